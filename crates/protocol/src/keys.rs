//! Private keys pasted by the user (JWK, or PEM: PKCS#8, PKCS#1 RSA, SEC1 EC), normalised
//! to a private JWK the browser imports, plus the public JWK / JWKS to register.

use std::fmt;

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::encoding::{b64_decode, b64url, b64url_decode};
use crate::jwt::Alg;

/// A parsed private key. Its `Debug` shows the public half only.
#[derive(Clone, PartialEq)]
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

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PrivateKey")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("public_jwk", &self.public_jwk)
            .finish_non_exhaustive()
    }
}

impl PrivateKey {
    /// The same RSA key set to sign with `alg` (RS256 or PS256); EC keys are unchanged.
    pub fn with_rsa_alg(mut self, alg: Alg) -> Self {
        if self.alg == Alg::ES256 || alg == Alg::ES256 {
            return self;
        }
        self.alg = alg;
        for jwk in [&mut self.private_jwk, &mut self.public_jwk] {
            jwk["alg"] = json!(alg.as_str());
        }
        self
    }

    /// `{"keys": [public JWK]}`, to register with the authorization server.
    pub fn public_jwks(&self) -> Value {
        json!({ "keys": [self.public_jwk] })
    }
}

/// Why a pasted key cannot be used to sign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyError {
    /// Nothing was pasted.
    Empty,
    /// Neither a JWK nor PEM.
    UnknownFormat,
    /// Looks like JSON but is not.
    BadJson(String),
    /// A key set, not a key.
    IsJwks,
    /// JSON, but not an object.
    NotObject,
    /// A public key (no `d`).
    PublicOnly,
    /// An unsupported curve.
    Curve(String),
    /// An EC JWK without `crv`.
    NoCurve,
    /// Ed25519 / OKP.
    Okp,
    /// A symmetric key.
    Symmetric,
    /// Another key type.
    KeyType(String),
    /// No `kty`.
    NoKeyType,
    /// The JWK's `alg` does not fit the key.
    AlgMismatch {
        /// What the JWK says.
        given: String,
        /// What the key signs with.
        expected: &'static str,
    },
    /// A required JWK member is missing.
    Missing(&'static str),
    /// A JWK member is not base64url.
    BadMember {
        /// The member.
        member: &'static str,
        /// The decoder's message.
        reason: String,
    },
    /// An RSA modulus under 2048 bits.
    WeakRsa(usize),
    /// A P-256 member of the wrong length.
    EcLength(&'static str),
    /// A malformed PEM header line.
    PemHeader,
    /// A PEM without its END line.
    PemEnd(String),
    /// An encrypted PEM.
    Encrypted,
    /// The PEM body is not base64.
    PemBody(String),
    /// A PEM that holds no private key.
    NotPrivate(String),
    /// Another PEM type.
    PemType(String),
    /// Malformed DER.
    Der(&'static str),
    /// A PKCS#8 key of another algorithm.
    Pkcs8Algorithm,
    /// An EC key without its public point.
    NoPublicPoint,
    /// An EC point that is not an uncompressed P-256 point.
    BadPoint,
    /// The numbers do not form a valid key.
    Invalid(String),
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::Empty => f.write_str("No key given: paste a private key as JWK or PEM, or generate one."),
            KeyError::UnknownFormat => f.write_str("The key is neither a JWK (starts with {) nor PEM (starts with -----BEGIN)."),
            KeyError::BadJson(e) => write!(f, "The key looks like JSON but is not valid JSON: {e}."),
            KeyError::IsJwks => f.write_str("This is a JWKS (a key set). Paste the single private JWK instead."),
            KeyError::NotObject => f.write_str("The JWK must be a JSON object."),
            KeyError::PublicOnly => f.write_str("This is a public key (no \"d\"): the private key is needed to sign assertions. Register the public key with the server, paste the private one here."),
            KeyError::Curve(c) => write!(f, "Curve {c} is not supported; use P-256 (ES256)."),
            KeyError::NoCurve => f.write_str("The EC JWK has no crv."),
            KeyError::Okp => f.write_str("OKP keys (Ed25519) are not supported; use RSA (RS256, PS256) or P-256 (ES256)."),
            KeyError::Symmetric => f.write_str("This is a symmetric (oct) key; client assertions need an RSA or P-256 private key."),
            KeyError::KeyType(k) => write!(f, "Key type {k} is not supported; use RSA or EC P-256."),
            KeyError::NoKeyType => f.write_str("The JWK has no kty."),
            KeyError::AlgMismatch { given, expected } => write!(f, "The JWK says alg {given}, but this key type signs with {expected}."),
            KeyError::Missing(m) => write!(f, "The JWK is missing \"{m}\" (RSA private JWKs need n, e, d, p, q, dp, dq, qi)."),
            KeyError::BadMember { member, reason } => write!(f, "JWK member {member}: {reason}"),
            KeyError::WeakRsa(bits) => write!(f, "This RSA key has a {bits}-bit modulus; at least 2048 bits are required."),
            KeyError::EcLength(m) => write!(f, "P-256 member {m} must be 32 bytes."),
            KeyError::PemHeader => f.write_str("The PEM header line is malformed."),
            KeyError::PemEnd(end) => write!(f, "The PEM has no \"{end}\" line."),
            KeyError::Encrypted => f.write_str("This key is encrypted. Decrypt it first: openssl pkey -in key.pem -out plain.pem"),
            KeyError::PemBody(e) => write!(f, "The PEM body is {e}."),
            KeyError::NotPrivate(label) => write!(f, "This is a {}, not a private key: the private key is needed to sign assertions.", label.to_ascii_lowercase()),
            KeyError::PemType(t) => write!(f, "PEM type \"{t}\" is not supported; use PRIVATE KEY (PKCS#8), RSA PRIVATE KEY or EC PRIVATE KEY."),
            KeyError::Der(what) => write!(f, "malformed key: {what}"),
            KeyError::Pkcs8Algorithm => f.write_str("The PKCS#8 key's algorithm is not RSA or EC P-256."),
            KeyError::NoPublicPoint => f.write_str("This EC key does not include its public point; re-export it with: openssl pkcs8 -topk8 -nocrypt -in key.pem"),
            KeyError::BadPoint => f.write_str("The EC public point is not an uncompressed P-256 point."),
            KeyError::Invalid(e) => write!(f, "The key is not valid: {e}."),
        }
    }
}

const RSA_PUBLIC: &[&str] = &["kty", "n", "e"];
const RSA_PRIVATE: &[&str] = &["d", "p", "q", "dp", "dq", "qi"];
const EC_PUBLIC: &[&str] = &["kty", "crv", "x", "y"];

/// Parses a client's signing key (JWK or PEM): an RSA key signs with `rsa_alg` (RS256 when
/// `None`), an EC key with ES256.
pub fn parse_signing_key(input: &str, rsa_alg: Option<Alg>) -> Result<PrivateKey, KeyError> {
    let key = parse_private_key(input)?;
    Ok(match rsa_alg {
        Some(alg) => key.with_rsa_alg(alg),
        None => key,
    })
}

/// Parses a private key given as a JWK (JSON) or PEM text.
pub fn parse_private_key(input: &str) -> Result<PrivateKey, KeyError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(KeyError::Empty);
    }
    if input.starts_with('{') {
        let v: Value = serde_json::from_str(input).map_err(|e| KeyError::BadJson(e.to_string()))?;
        if v.get("keys").is_some() {
            return Err(KeyError::IsJwks);
        }
        return from_jwk(v.as_object().ok_or(KeyError::NotObject)?);
    }
    if input.starts_with("-----BEGIN") {
        return from_pem(input);
    }
    Err(KeyError::UnknownFormat)
}

fn from_jwk(jwk: &Map<String, Value>) -> Result<PrivateKey, KeyError> {
    let s = |k: &str| jwk.get(k).and_then(Value::as_str);
    let (alg, public_members, private_members) = match s("kty") {
        Some("RSA") => (Alg::RS256, RSA_PUBLIC, RSA_PRIVATE),
        Some("EC") => match s("crv") {
            Some("P-256") => (Alg::ES256, EC_PUBLIC, &["d"][..]),
            Some(c) => return Err(KeyError::Curve(c.into())),
            None => return Err(KeyError::NoCurve),
        },
        Some("OKP") => return Err(KeyError::Okp),
        Some("oct") => return Err(KeyError::Symmetric),
        Some(k) => return Err(KeyError::KeyType(k.into())),
        None => return Err(KeyError::NoKeyType),
    };
    if s("d").is_none() {
        return Err(KeyError::PublicOnly);
    }
    if let Some(a) = s("alg") {
        let rsa_pss = alg == Alg::RS256 && a == "PS256";
        if a != alg.as_str() && !rsa_pss {
            return Err(KeyError::AlgMismatch {
                given: a.into(),
                expected: alg.as_str(),
            });
        }
    }
    for m in public_members.iter().chain(private_members) {
        let v = s(m).ok_or(KeyError::Missing(m))?;
        if *m != "kty" && *m != "crv" {
            b64url_decode(v).map_err(|reason| KeyError::BadMember { member: m, reason })?;
        }
    }
    if alg == Alg::RS256 {
        let n = b64url_decode(s("n").unwrap_or_default()).unwrap_or_default();
        let bits = n.iter().skip_while(|b| **b == 0).count() * 8;
        if bits < 2048 {
            return Err(KeyError::WeakRsa(bits));
        }
    } else {
        for m in ["x", "y", "d"] {
            if b64url_decode(s(m).unwrap_or_default()).map(|b| b.len()) != Ok(32) {
                return Err(KeyError::EcLength(m));
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
    let key = PrivateKey {
        alg,
        kid,
        private_jwk: Value::Object(private),
        public_jwk: Value::Object(public),
    };
    Ok(match s("alg") {
        Some("PS256") => key.with_rsa_alg(Alg::PS256),
        _ => key,
    })
}

/// RFC 7638 JWK thumbprint (SHA-256, base64url) over the required public members.
pub fn thumbprint(public: &Map<String, Value>) -> String {
    let members: &[&str] = if public.get("kty").and_then(Value::as_str) == Some("RSA") {
        &["e", "kty", "n"]
    } else {
        &["crv", "kty", "x", "y"]
    };
    let canonical: Map<String, Value> = crate::maps::inserted(members.iter().map(|m| {
        (
            (*m).to_string(),
            public.get(*m).cloned().unwrap_or(Value::Null),
        )
    }));
    b64url(&Sha256::digest(
        Value::Object(canonical).to_string().as_bytes(),
    ))
}

fn from_pem(pem: &str) -> Result<PrivateKey, KeyError> {
    let first = pem.lines().next().unwrap_or_default().trim();
    let label = first
        .strip_prefix("-----BEGIN ")
        .and_then(|l| l.strip_suffix("-----"))
        .ok_or(KeyError::PemHeader)?
        .to_string();
    let end = format!("-----END {label}-----");
    let body_end = pem
        .find(&end)
        .ok_or_else(|| KeyError::PemEnd(end.clone()))?;
    let body = &pem[first.len()..body_end];
    if body.contains("Proc-Type:") {
        return Err(KeyError::Encrypted);
    }
    let der = b64_decode(body).map_err(KeyError::PemBody)?;
    let jwk = match label.as_str() {
        "PRIVATE KEY" => pkcs8_to_jwk(&der)?,
        "RSA PRIVATE KEY" => rsa_private_to_jwk(&der)?,
        "EC PRIVATE KEY" => sec1_to_jwk(&der, None)?,
        "ENCRYPTED PRIVATE KEY" => return Err(KeyError::Encrypted),
        "PUBLIC KEY" | "RSA PUBLIC KEY" | "CERTIFICATE" => return Err(KeyError::NotPrivate(label)),
        other => return Err(KeyError::PemType(other.into())),
    };
    from_jwk(&jwk)
}

struct Der<'a> {
    data: &'a [u8],
}

impl<'a> Der<'a> {
    fn read(&mut self, want: u8) -> Result<&'a [u8], KeyError> {
        let (tag, content) = self.next()?;
        if tag != want {
            return Err(KeyError::Der("unexpected DER tag"));
        }
        Ok(content)
    }

    fn peek_tag(&self) -> Option<u8> {
        self.data.first().copied()
    }

    fn next(&mut self) -> Result<(u8, &'a [u8]), KeyError> {
        let err = || KeyError::Der("truncated DER");
        let tag = *self.data.first().ok_or_else(err)?;
        let first = *self.data.get(1).ok_or_else(err)?;
        let (len, header) = if first < 0x80 {
            (usize::from(first), 2)
        } else {
            let n = usize::from(first & 0x7f);
            if n == 0 || n > 4 {
                return Err(KeyError::Der("unsupported DER length"));
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

fn pkcs8_to_jwk(der: &[u8]) -> Result<Map<String, Value>, KeyError> {
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
        OID_ED25519 => Err(KeyError::Okp),
        _ => Err(KeyError::Pkcs8Algorithm),
    }
}

fn uint(bytes: &[u8]) -> String {
    let start = bytes
        .iter()
        .position(|b| *b != 0)
        .unwrap_or(bytes.len().saturating_sub(1));
    b64url(&bytes[start..])
}

fn rsa_private_to_jwk(der: &[u8]) -> Result<Map<String, Value>, KeyError> {
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

fn sec1_to_jwk(
    der: &[u8],
    curve_from_pkcs8: Option<&[u8]>,
) -> Result<Map<String, Value>, KeyError> {
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
        return Err(KeyError::Curve("other than P-256".into()));
    }
    let point = point.ok_or(KeyError::NoPublicPoint)?;
    // BIT STRING: one byte of unused bits, then 0x04 || x || y.
    if point.len() != 66 || point[1] != 0x04 {
        return Err(KeyError::BadPoint);
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
        let e = |s: &str| parse_private_key(s).unwrap_err().to_string();
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
