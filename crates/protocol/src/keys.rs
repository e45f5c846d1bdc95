//! Private keys pasted by the user (JWK, or PEM: PKCS#8, PKCS#1 RSA, SEC1 EC), normalised
//! to a private JWK the browser imports, plus the public JWK / JWKS to register.

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::encoding::{b64_decode, b64url, b64url_decode};
use crate::jwt::Alg;

/// A parsed private key.
#[derive(Clone, Debug, PartialEq)]
pub struct PrivateKey {
    /// The algorithm the key signs with (RS256 for RSA, ES256 for P-256).
    pub alg: Alg,
    /// Key ID: the JWK's `kid`, else its RFC 7638 thumbprint.
    pub kid: String,
    /// Private JWK with `kid`, `alg` and `use`.
    pub private_jwk: Value,
    /// The matching public JWK.
    pub public_jwk: Value,
}

impl PrivateKey {
    /// `{"keys": [public JWK]}`, to register with the authorization server.
    pub fn public_jwks(&self) -> Value {
        json!({ "keys": [self.public_jwk] })
    }
}

const RSA_PUBLIC: &[&str] = &["kty", "n", "e"];
const RSA_PRIVATE: &[&str] = &["d", "p", "q", "dp", "dq", "qi"];
const EC_PUBLIC: &[&str] = &["kty", "crv", "x", "y"];

/// Parses a private key given as a JWK (JSON) or PEM text.
pub fn parse_private_key(input: &str) -> Result<PrivateKey, String> {
    let input = input.trim();
    if input.is_empty() {
        return Err("No key given: paste a private key as JWK or PEM, or generate one.".into());
    }
    if input.starts_with('{') {
        let v: Value = serde_json::from_str(input)
            .map_err(|e| format!("The key looks like JSON but is not valid JSON: {e}."))?;
        if v.get("keys").is_some() {
            return Err("This is a JWKS (a key set). Paste the single private JWK instead.".into());
        }
        return from_jwk(v.as_object().ok_or("The JWK must be a JSON object.")?);
    }
    if input.starts_with("-----BEGIN") {
        return from_pem(input);
    }
    Err("The key is neither a JWK (starts with {) nor PEM (starts with -----BEGIN).".into())
}

fn from_jwk(jwk: &Map<String, Value>) -> Result<PrivateKey, String> {
    let s = |k: &str| jwk.get(k).and_then(Value::as_str);
    let (alg, public_members, private_members) = match s("kty") {
        Some("RSA") => (Alg::RS256, RSA_PUBLIC, RSA_PRIVATE),
        Some("EC") => match s("crv") {
            Some("P-256") => (Alg::ES256, EC_PUBLIC, &["d"][..]),
            Some(c) => return Err(format!("Curve {c} is not supported; use P-256 (ES256).")),
            None => return Err("The EC JWK has no crv.".into()),
        },
        Some("OKP") => {
            return Err(
                "OKP keys (Ed25519) are not supported; use RSA (RS256) or P-256 (ES256).".into(),
            )
        }
        Some("oct") => return Err(
            "This is a symmetric (oct) key; client assertions need an RSA or P-256 private key."
                .into(),
        ),
        Some(k) => {
            return Err(format!(
                "Key type {k} is not supported; use RSA or EC P-256."
            ))
        }
        None => return Err("The JWK has no kty.".into()),
    };
    if s("d").is_none() {
        return Err("This is a public key (no \"d\"): the private key is needed to sign assertions. Register the public key with the server, paste the private one here.".into());
    }
    if let Some(a) = s("alg") {
        if a != alg.as_str() {
            return Err(format!(
                "The JWK says alg {a}, but this key type signs with {}.",
                alg.as_str()
            ));
        }
    }
    for m in public_members.iter().chain(private_members) {
        let v = s(m).ok_or_else(|| {
            format!("The JWK is missing \"{m}\" (RSA private JWKs need n, e, d, p, q, dp, dq, qi).")
        })?;
        if *m != "kty" && *m != "crv" {
            b64url_decode(v).map_err(|e| format!("JWK member {m}: {e}"))?;
        }
    }
    if alg == Alg::RS256 {
        let n = b64url_decode(s("n").unwrap_or_default()).unwrap_or_default();
        let bits = n.iter().skip_while(|b| **b == 0).count() * 8;
        if bits < 2048 {
            return Err(format!(
                "This RSA key has a {bits}-bit modulus; at least 2048 bits are required."
            ));
        }
    } else {
        for m in ["x", "y", "d"] {
            if b64url_decode(s(m).unwrap_or_default()).map(|b| b.len()) != Ok(32) {
                return Err(format!("P-256 member {m} must be 32 bytes."));
            }
        }
    }
    let mut public = Map::new();
    for m in public_members {
        public.insert((*m).into(), jwk[*m].clone());
    }
    let kid = s("kid")
        .map(String::from)
        .unwrap_or_else(|| thumbprint(&public));
    let mut private = public.clone();
    for m in private_members {
        private.insert((*m).into(), jwk[*m].clone());
    }
    for obj in [&mut public, &mut private] {
        obj.insert("kid".into(), json!(kid));
        obj.insert("alg".into(), json!(alg.as_str()));
        obj.insert("use".into(), json!("sig"));
    }
    Ok(PrivateKey {
        alg,
        kid,
        private_jwk: Value::Object(private),
        public_jwk: Value::Object(public),
    })
}

/// RFC 7638 JWK thumbprint (SHA-256, base64url) over the required public members.
pub fn thumbprint(public: &Map<String, Value>) -> String {
    let members: &[&str] = if public.get("kty").and_then(Value::as_str) == Some("RSA") {
        &["e", "kty", "n"]
    } else {
        &["crv", "kty", "x", "y"]
    };
    let canonical: Map<String, Value> = members
        .iter()
        .map(|m| {
            (
                (*m).to_string(),
                public.get(*m).cloned().unwrap_or(Value::Null),
            )
        })
        .collect();
    b64url(&Sha256::digest(
        Value::Object(canonical).to_string().as_bytes(),
    ))
}

fn from_pem(pem: &str) -> Result<PrivateKey, String> {
    let first = pem.lines().next().unwrap_or_default().trim();
    let label = first
        .strip_prefix("-----BEGIN ")
        .and_then(|l| l.strip_suffix("-----"))
        .ok_or("The PEM header line is malformed.")?
        .to_string();
    let end = format!("-----END {label}-----");
    let body_end = pem
        .find(&end)
        .ok_or_else(|| format!("The PEM has no \"{end}\" line."))?;
    let body = &pem[first.len()..body_end];
    if body.contains("Proc-Type:") {
        return Err("This PEM is encrypted (Proc-Type). Decrypt it first: openssl pkey -in key.pem -out plain.pem".into());
    }
    let der = b64_decode(body).map_err(|e| format!("The PEM body is {e}."))?;
    let jwk = match label.as_str() {
        "PRIVATE KEY" => pkcs8_to_jwk(&der)?,
        "RSA PRIVATE KEY" => rsa_private_to_jwk(&der)?,
        "EC PRIVATE KEY" => sec1_to_jwk(&der, None)?,
        "ENCRYPTED PRIVATE KEY" => return Err("This PKCS#8 key is encrypted. Decrypt it first: openssl pkcs8 -in key.pem -nocrypt -out plain.pem".into()),
        "PUBLIC KEY" | "RSA PUBLIC KEY" | "CERTIFICATE" => return Err(format!("This is a {}, not a private key: the private key is needed to sign assertions.", label.to_lowercase())),
        other => return Err(format!("PEM type \"{other}\" is not supported; use PRIVATE KEY (PKCS#8), RSA PRIVATE KEY or EC PRIVATE KEY.")),
    };
    from_jwk(&jwk)
}

struct Der<'a> {
    data: &'a [u8],
}

impl<'a> Der<'a> {
    fn read(&mut self, want: u8) -> Result<&'a [u8], String> {
        let (tag, content) = self.next()?;
        if tag != want {
            return Err(format!(
                "malformed key: expected DER tag 0x{want:02x}, found 0x{tag:02x}"
            ));
        }
        Ok(content)
    }

    fn peek_tag(&self) -> Option<u8> {
        self.data.first().copied()
    }

    fn next(&mut self) -> Result<(u8, &'a [u8]), String> {
        let err = || "malformed key: truncated DER".to_string();
        let tag = *self.data.first().ok_or_else(err)?;
        let first = *self.data.get(1).ok_or_else(err)?;
        let (len, header) = if first < 0x80 {
            (usize::from(first), 2)
        } else {
            let n = usize::from(first & 0x7f);
            if n == 0 || n > 4 {
                return Err("malformed key: unsupported DER length".into());
            }
            let bytes = self.data.get(2..2 + n).ok_or_else(err)?;
            (
                bytes
                    .iter()
                    .fold(0usize, |acc, b| acc << 8 | usize::from(*b)),
                2 + n,
            )
        };
        let end = header.checked_add(len).ok_or_else(err)?;
        let content = self.data.get(header..end).ok_or_else(err)?;
        self.data = &self.data[end..];
        Ok((tag, content))
    }
}

const OID_RSA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01];
const OID_EC: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01];
const OID_P256: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];
const OID_ED25519: &[u8] = &[0x2B, 0x65, 0x70];

fn pkcs8_to_jwk(der: &[u8]) -> Result<Map<String, Value>, String> {
    let mut outer = Der {
        data: Der { data: der }.read(0x30)?,
    };
    outer.read(0x02)?;
    let mut alg = Der {
        data: outer.read(0x30)?,
    };
    let oid = alg.read(0x06)?;
    let params = if alg.peek_tag() == Some(0x06) {
        Some(alg.read(0x06)?)
    } else {
        None
    };
    let key = outer.read(0x04)?;
    match oid {
        OID_RSA => rsa_private_to_jwk(key),
        OID_EC => sec1_to_jwk(key, params),
        OID_ED25519 => {
            Err("Ed25519 keys are not supported; use RSA (RS256) or P-256 (ES256).".into())
        }
        _ => Err("The PKCS#8 key's algorithm is not RSA or EC.".into()),
    }
}

fn uint(bytes: &[u8]) -> String {
    let start = bytes
        .iter()
        .position(|b| *b != 0)
        .unwrap_or(bytes.len().saturating_sub(1));
    b64url(&bytes[start..])
}

fn rsa_private_to_jwk(der: &[u8]) -> Result<Map<String, Value>, String> {
    let mut seq = Der {
        data: Der { data: der }.read(0x30)?,
    };
    seq.read(0x02)?;
    let mut jwk = Map::new();
    jwk.insert("kty".into(), json!("RSA"));
    for m in ["n", "e", "d", "p", "q", "dp", "dq", "qi"] {
        jwk.insert(m.into(), json!(uint(seq.read(0x02)?)));
    }
    Ok(jwk)
}

fn sec1_to_jwk(der: &[u8], curve_from_pkcs8: Option<&[u8]>) -> Result<Map<String, Value>, String> {
    let mut seq = Der {
        data: Der { data: der }.read(0x30)?,
    };
    seq.read(0x02)?;
    let d = seq.read(0x04)?;
    let mut curve = curve_from_pkcs8;
    let mut point = None;
    while let Ok((tag, content)) = seq.next() {
        match tag {
            0xA0 => curve = Some(Der { data: content }.read(0x06)?),
            0xA1 => point = Some(Der { data: content }.read(0x03)?),
            _ => {}
        }
    }
    if curve != Some(OID_P256) {
        return Err("Only the P-256 curve is supported for EC keys (ES256).".into());
    }
    let point = point.ok_or("This EC key does not include its public point; re-export it with: openssl pkcs8 -topk8 -nocrypt -in key.pem")?;
    // BIT STRING: one byte of unused bits, then 0x04 || x || y.
    if point.len() != 66 || point[1] != 0x04 {
        return Err("The EC public point is not an uncompressed P-256 point.".into());
    }
    let mut d32 = [0u8; 32];
    let d = &d[d.len().saturating_sub(32)..];
    d32[32 - d.len()..].copy_from_slice(d);
    let mut jwk = Map::new();
    jwk.insert("kty".into(), json!("EC"));
    jwk.insert("crv".into(), json!("P-256"));
    jwk.insert("x".into(), json!(b64url(&point[2..34])));
    jwk.insert("y".into(), json!(b64url(&point[34..66])));
    jwk.insert("d".into(), json!(b64url(&d32)));
    Ok(jwk)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EC_PKCS8: &str = include_str!("../tests/fixtures/ec_pkcs8.pem");

    #[test]
    fn parses_pkcs8_ec_pem() {
        let k = parse_private_key(EC_PKCS8).unwrap();
        assert_eq!(k.alg, Alg::ES256);
        assert_eq!(k.public_jwk["crv"], "P-256");
        assert!(k.public_jwk.get("d").is_none());
        assert_eq!(k.private_jwk["kid"], k.kid);
        assert_eq!(k.public_jwks()["keys"][0]["kid"], k.kid);
    }

    #[test]
    fn rfc7638_thumbprint_example() {
        let jwk = serde_json::json!({"kty":"RSA","e":"AQAB","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"});
        assert_eq!(
            thumbprint(jwk.as_object().unwrap()),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }

    #[test]
    fn clear_errors_for_wrong_keys() {
        let e = |s: &str| parse_private_key(s).unwrap_err();
        assert!(e("").contains("No key"));
        assert!(e("hello").contains("neither"));
        assert!(e("{").contains("not valid JSON"));
        assert!(e(r#"{"keys":[]}"#).contains("JWKS"));
        assert!(e(r#"{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}"#).contains("public key"));
        assert!(e(r#"{"kty":"EC","crv":"P-384","d":"AA"}"#).contains("P-384"));
        assert!(e(r#"{"kty":"oct","k":"AA"}"#).contains("symmetric"));
        assert!(
            e("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")
                .contains("not a private key")
        );
        assert!(e(
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----"
        )
        .contains("encrypted"));
        assert!(
            e("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----").contains("malformed")
        );
        assert!(
            e("-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----").contains("base64")
        );
        assert!(e("-----BEGIN PRIVATE KEY-----\nAAAA").contains("END"));
    }
}
