//! JWT decoding (without trusting), encoding for signing, and signature verification through
//! a [`Verifier`] so that the browser can use WebCrypto and native code RustCrypto.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::encoding::{b64url, b64url_decode};

/// A JWS algorithm this crate signs and verifies with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Alg {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RS256,
    /// ECDSA P-256 with SHA-256, raw `r||s` signature.
    ES256,
}

impl Alg {
    /// The JOSE name.
    pub fn as_str(self) -> &'static str {
        match self {
            Alg::RS256 => "RS256",
            Alg::ES256 => "ES256",
        }
    }

    /// Parses a JOSE `alg` value this crate supports.
    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "RS256" => Ok(Alg::RS256),
            "ES256" => Ok(Alg::ES256),
            "none" => Err("alg \"none\" (unsigned JWT) is never acceptable".into()),
            s if s.starts_with("HS") => Err(format!(
                "alg {s:?} is a shared-secret algorithm; only RS256 and ES256 are supported"
            )),
            other => Err(format!(
                "alg {other:?} is not supported (RS256 and ES256 are)"
            )),
        }
    }
}

/// A decoded compact JWS. Nothing in it is trusted until [`verify`] says so.
#[derive(Clone, Debug, PartialEq)]
pub struct DecodedJwt {
    /// JOSE header.
    pub header: Map<String, Value>,
    /// Claims.
    pub claims: Map<String, Value>,
    /// `base64url(header) "." base64url(claims)`, the bytes that were signed.
    pub signing_input: String,
    /// Raw signature bytes.
    pub signature: Vec<u8>,
}

/// Why a string is not a decodable JWT.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JwtError(pub String);

impl std::fmt::Display for JwtError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Decodes a compact JWS without verifying it.
pub fn decode(token: &str) -> Result<DecodedJwt, JwtError> {
    let token = token.trim();
    let parts: Vec<&str> = token.split('.').collect();
    match parts.len() {
        3 => {}
        5 => {
            return Err(JwtError(
                "This is an encrypted JWT (JWE, 5 parts); it cannot be decoded without the key."
                    .into(),
            ))
        }
        n => {
            return Err(JwtError(format!(
                "A JWT has 3 dot-separated parts; this has {n}. It may be an opaque token."
            )))
        }
    }
    let header = json_part(parts[0], "header")?;
    let claims = json_part(parts[1], "claims")?;
    let signature = b64url_decode(parts[2]).map_err(|e| JwtError(format!("signature: {e}")))?;
    Ok(DecodedJwt {
        header,
        claims,
        signing_input: format!("{}.{}", parts[0], parts[1]),
        signature,
    })
}

fn json_part(part: &str, what: &str) -> Result<Map<String, Value>, JwtError> {
    let bytes = b64url_decode(part).map_err(|e| JwtError(format!("{what}: {e}")))?;
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(JwtError(format!("the {what} is JSON but not an object"))),
        Err(e) => Err(JwtError(format!("the {what} is not JSON: {e}"))),
    }
}

impl DecodedJwt {
    /// A string claim.
    pub fn str_claim(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }
    /// A numeric date claim, in seconds.
    pub fn time_claim(&self, name: &str) -> Option<i64> {
        self.claims
            .get(name)
            .and_then(|v| v.as_i64().or_else(|| v.as_f64().map(|f| f as i64)))
    }
    /// `aud` as a list (it may be a string or an array).
    pub fn audiences(&self) -> Vec<String> {
        string_list(self.claims.get("aud"))
    }
    /// A header parameter.
    pub fn header_str(&self, name: &str) -> Option<&str> {
        self.header.get(name).and_then(Value::as_str)
    }
}

/// A string or array-of-strings value as a list (`aud`, `scp`, `resource`).
pub fn string_list(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(String::from))
            .collect(),
        _ => Vec::new(),
    }
}

/// A JWT before signing.
#[derive(Clone, Debug, PartialEq)]
pub struct UnsignedJwt {
    /// JOSE header (must contain `alg`).
    pub header: Value,
    /// Claims.
    pub claims: Value,
}

impl UnsignedJwt {
    /// A JWT whose header names `alg`, `typ` and, if given, `kid`.
    pub fn new(alg: Alg, typ: &str, kid: Option<&str>, claims: Value) -> Self {
        let mut header = serde_json::json!({ "alg": alg.as_str(), "typ": typ });
        if let Some(kid) = kid {
            header["kid"] = Value::String(kid.into());
        }
        Self { header, claims }
    }
    /// The bytes to sign.
    pub fn signing_input(&self) -> String {
        format!(
            "{}.{}",
            b64url(self.header.to_string().as_bytes()),
            b64url(self.claims.to_string().as_bytes())
        )
    }
    /// The compact JWS once the signature is known.
    pub fn with_signature(&self, signature: &[u8]) -> String {
        format!("{}.{}", self.signing_input(), b64url(signature))
    }
    /// Signs synchronously with a [`Signer`].
    pub fn sign(&self, signer: &dyn Signer) -> Result<String, String> {
        let sig = signer.sign(self.signing_input().as_bytes())?;
        Ok(self.with_signature(&sig))
    }
}

/// Signs JWS input. ECDSA signatures are JOSE raw `r||s`, never DER.
pub trait Signer {
    /// The algorithm the key signs with.
    fn alg(&self) -> Alg;
    /// The key ID to put in the header.
    fn kid(&self) -> Option<&str>;
    /// Signs `input` and returns the JWS signature bytes.
    fn sign(&self, input: &[u8]) -> Result<Vec<u8>, String>;
}

/// Verifies a JWS signature with a public JWK.
pub trait Verifier {
    /// `Ok(true)` if `signature` over `input` is valid for `jwk` under `alg`.
    fn verify(&self, alg: Alg, jwk: &Value, input: &[u8], signature: &[u8])
        -> Result<bool, String>;
}

/// Picks the JWK from a JWKS that should verify this token (by `kid`, else the only key of
/// the right type). Keys are taken from the configured issuer's JWKS, never from the token.
pub fn find_key<'a>(jwks: &'a Value, jwt: &DecodedJwt) -> Result<&'a Value, String> {
    let alg = Alg::parse(jwt.header_str("alg").unwrap_or("(missing)"))?;
    let kty = match alg {
        Alg::RS256 => "RSA",
        Alg::ES256 => "EC",
    };
    let keys = jwks
        .get("keys")
        .and_then(Value::as_array)
        .ok_or("the JWKS has no \"keys\" array")?;
    let candidates: Vec<&Value> = keys
        .iter()
        .filter(|k| k.get("kty").and_then(Value::as_str) == Some(kty))
        .collect();
    match jwt.header_str("kid") {
        Some(kid) => candidates
            .into_iter()
            .find(|k| k.get("kid").and_then(Value::as_str) == Some(kid))
            .ok_or_else(|| format!("no {kty} key with kid {kid:?} in the issuer's JWKS")),
        None if candidates.len() == 1 => Ok(candidates[0]),
        None => Err(format!(
            "the token has no kid and the JWKS has {} {kty} keys",
            candidates.len()
        )),
    }
}

/// Verifies a decoded token against a JWKS.
pub fn verify(jwt: &DecodedJwt, jwks: &Value, verifier: &dyn Verifier) -> Result<(), String> {
    let alg = Alg::parse(jwt.header_str("alg").unwrap_or("(missing)"))?;
    let key = find_key(jwks, jwt)?;
    match verifier.verify(alg, key, jwt.signing_input.as_bytes(), &jwt.signature)? {
        true => Ok(()),
        false => Err("the signature does not match the issuer's key".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn token(header: Value, claims: Value) -> String {
        UnsignedJwt { header, claims }.with_signature(b"sig")
    }

    #[test]
    fn decodes_and_reads_claims() {
        let t = token(
            json!({"alg":"RS256","typ":"oauth-id-jag+jwt"}),
            json!({"aud":["a"],"exp":10.0,"sub":"u"}),
        );
        let d = decode(&t).unwrap();
        assert_eq!(d.header_str("typ"), Some("oauth-id-jag+jwt"));
        assert_eq!(d.audiences(), vec!["a"]);
        assert_eq!(d.time_claim("exp"), Some(10));
        assert_eq!(d.signature, b"sig");
    }

    #[test]
    fn explains_what_is_not_a_jwt() {
        assert!(decode("opaque").unwrap_err().0.contains("3 dot-separated"));
        assert!(decode("a.b.c.d.e").unwrap_err().0.contains("JWE"));
        assert!(decode("e30.bm90anNvbg.c2ln")
            .unwrap_err()
            .0
            .contains("not JSON"));
        assert!(decode("e30.WzFd.c2ln")
            .unwrap_err()
            .0
            .contains("not an object"));
    }

    #[test]
    fn refuses_none_and_hmac() {
        assert!(Alg::parse("none").is_err());
        assert!(Alg::parse("HS256").unwrap_err().contains("shared-secret"));
    }

    #[test]
    fn key_selection() {
        let jwks = json!({"keys":[{"kty":"RSA","kid":"a"},{"kty":"EC","kid":"b"}]});
        let d = decode(&token(json!({"alg":"ES256","kid":"b"}), json!({}))).unwrap();
        assert_eq!(find_key(&jwks, &d).unwrap()["kid"], "b");
        let d = decode(&token(json!({"alg":"RS256","kid":"zz"}), json!({}))).unwrap();
        assert!(find_key(&jwks, &d).unwrap_err().contains("zz"));
        let d = decode(&token(json!({"alg":"RS256"}), json!({}))).unwrap();
        assert_eq!(find_key(&jwks, &d).unwrap()["kid"], "a");
    }
}
