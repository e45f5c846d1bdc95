//! JWT decoding (without trusting), encoding for signing, and signature verification through
//! a [`Verifier`] so that the browser can use WebCrypto and native code RustCrypto.

use serde::{Deserialize, Serialize};
use std::fmt;

use serde_json::{Map, Value};

use crate::encoding::{b64url, b64url_decode};

/// A JWS algorithm this crate signs and verifies with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Alg {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RS256,
    /// RSASSA-PSS with SHA-256 (salt 32 bytes).
    PS256,
    /// ECDSA P-256 with SHA-256, raw `r||s` signature.
    ES256,
}

/// Why an `alg` value is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AlgError {
    /// No `alg` header.
    Missing,
    /// `none`: an unsigned JWT.
    None,
    /// A shared-secret (HMAC) algorithm.
    SharedSecret(String),
    /// Any other algorithm.
    Unsupported(String),
}

impl fmt::Display for AlgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AlgError::Missing => f.write_str("the token has no alg header"),
            AlgError::None => f.write_str("alg \"none\" (unsigned JWT) is never acceptable"),
            AlgError::SharedSecret(a) => write!(
                f,
                "alg {a:?} is a shared-secret algorithm; only RS256, PS256 and ES256 are supported"
            ),
            AlgError::Unsupported(a) => {
                write!(f, "alg {a:?} is not supported (RS256, PS256 and ES256 are)")
            }
        }
    }
}

impl Alg {
    /// The JOSE name.
    pub fn as_str(self) -> &'static str {
        match self {
            Alg::RS256 => "RS256",
            Alg::PS256 => "PS256",
            Alg::ES256 => "ES256",
        }
    }

    /// The JWK key type it needs (`RSA`, `EC`).
    pub fn kty(self) -> &'static str {
        match self {
            Alg::RS256 | Alg::PS256 => "RSA",
            Alg::ES256 => "EC",
        }
    }

    /// Parses a JOSE `alg` value this crate supports.
    pub fn parse(s: &str) -> Result<Self, AlgError> {
        match s {
            "RS256" => Ok(Alg::RS256),
            "PS256" => Ok(Alg::PS256),
            "ES256" => Ok(Alg::ES256),
            "none" => Err(AlgError::None),
            s if s.starts_with("HS") => Err(AlgError::SharedSecret(s.into())),
            other => Err(AlgError::Unsupported(other.into())),
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
pub enum JwtError {
    /// Not three dot-separated parts.
    Parts(usize),
    /// An encrypted JWT (JWE).
    Encrypted,
    /// A part is not base64url.
    Encoding {
        /// `header`, `claims` or `signature`.
        part: &'static str,
        /// What the decoder found.
        reason: crate::encoding::NotBase64,
    },
    /// A part is not JSON.
    NotJson {
        /// `header` or `claims`.
        part: &'static str,
        /// The parser's message.
        reason: String,
    },
    /// A part is JSON but not an object.
    NotObject(&'static str),
}

impl fmt::Display for JwtError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JwtError::Parts(n) => write!(
                f,
                "A JWT has 3 dot-separated parts; this has {n}. It may be an opaque token."
            ),
            JwtError::Encrypted => f.write_str(
                "This is an encrypted JWT (JWE, 5 parts); it cannot be decoded without the key.",
            ),
            JwtError::Encoding { part, reason } => write!(f, "{part}: {reason}"),
            JwtError::NotJson { part, reason } => write!(f, "the {part} is not JSON: {reason}"),
            JwtError::NotObject(part) => write!(f, "the {part} is JSON but not an object"),
        }
    }
}

/// Decodes a compact JWS without verifying it.
pub fn decode(token: &str) -> Result<DecodedJwt, JwtError> {
    let token = token.trim();
    let parts: Vec<&str> = token.split('.').collect();
    match parts.len() {
        3 => {}
        5 => return Err(JwtError::Encrypted),
        n => return Err(JwtError::Parts(n)),
    }
    let header = json_part(parts[0], "header")?;
    let claims = json_part(parts[1], "claims")?;
    let signature = b64url_decode(parts[2]).map_err(|reason| JwtError::Encoding {
        part: "signature",
        reason,
    })?;
    Ok(DecodedJwt {
        header,
        claims,
        signing_input: format!("{}.{}", parts[0], parts[1]),
        signature,
    })
}

fn json_part(part: &str, what: &'static str) -> Result<Map<String, Value>, JwtError> {
    let bytes = b64url_decode(part).map_err(|reason| JwtError::Encoding { part: what, reason })?;
    // One JSON reader for the whole app (`from_str`): each extra one costs bundle bytes.
    let text = String::from_utf8(bytes).map_err(|_| JwtError::NotJson {
        part: what,
        reason: "not UTF-8".into(),
    })?;
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(JwtError::NotObject(what)),
        Err(e) => Err(JwtError::NotJson {
            part: what,
            reason: e.to_string(),
        }),
    }
}

impl DecodedJwt {
    /// A string claim.
    pub fn str_claim(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }
    /// A numeric date claim, in seconds; `None` when absent or not a plausible date
    /// (non-numeric, or beyond ±2^53, where an `f64` stops being exact).
    pub fn time_claim(&self, name: &str) -> Option<i64> {
        numeric_date(self.claims.get(name)?)
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

/// Largest magnitude accepted for a NumericDate (2^53 seconds: exact in an `f64`).
pub const MAX_NUMERIC_DATE: i64 = 1 << 53;

/// A JSON NumericDate (RFC 7519 2) as whole seconds, refusing values no clock reaches, so
/// later arithmetic on it cannot overflow.
pub fn numeric_date(v: &Value) -> Option<i64> {
    let n = match v.as_i64() {
        Some(n) => n,
        None => {
            let f = v.as_f64()?;
            if !f.is_finite() || f.abs() > MAX_NUMERIC_DATE as f64 {
                return None;
            }
            f as i64
        }
    };
    (n.unsigned_abs() <= MAX_NUMERIC_DATE.unsigned_abs()).then_some(n)
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
    pub fn sign(&self, signer: &dyn Signer) -> Result<String, CryptoError> {
        let sig = signer.sign(self.signing_input().as_bytes())?;
        Ok(self.with_signature(&sig))
    }
}

/// A failure of the platform's cryptography (WebCrypto, RustCrypto), as it reported it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CryptoError(pub String);

impl fmt::Display for CryptoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Signs JWS input. ECDSA signatures are JOSE raw `r||s`, never DER.
pub trait Signer {
    /// The algorithm the key signs with.
    fn alg(&self) -> Alg;
    /// The key ID to put in the header.
    fn kid(&self) -> Option<&str>;
    /// Signs `input` and returns the JWS signature bytes.
    fn sign(&self, input: &[u8]) -> Result<Vec<u8>, CryptoError>;
}

/// Verifies a JWS signature with a public JWK.
pub trait Verifier {
    /// `Ok(true)` if `signature` over `input` is valid for `jwk` under `alg`.
    fn verify(
        &self,
        alg: Alg,
        jwk: &Value,
        input: &[u8],
        signature: &[u8],
    ) -> Result<bool, CryptoError>;
}

/// Why a signature could not be verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VerifyError {
    /// The algorithm is refused.
    Alg(AlgError),
    /// The JWKS is not `{"keys": [...]}`.
    NoKeys,
    /// No key of the right type has the token's `kid`.
    UnknownKid {
        /// The token's `kid`.
        kid: String,
        /// The key type the algorithm needs.
        kty: &'static str,
    },
    /// No `kid`, and not exactly one key of the right type.
    Ambiguous {
        /// How many keys of that type there are.
        count: usize,
        /// The key type.
        kty: &'static str,
    },
    /// The key's `alg` differs from the token's.
    AlgMismatch {
        /// The key's `alg`.
        key: String,
        /// The token's `alg`.
        token: &'static str,
    },
    /// The signature does not match.
    BadSignature,
    /// The platform could not run the check.
    Crypto(CryptoError),
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::Alg(e) => e.fmt(f),
            VerifyError::NoKeys => f.write_str("the JWKS has no \"keys\" array"),
            VerifyError::UnknownKid { kid, kty } => {
                write!(f, "no {kty} key with kid {kid:?} in the issuer's JWKS")
            }
            VerifyError::Ambiguous { count, kty } => write!(
                f,
                "the token has no kid and the JWKS has {count} {kty} keys"
            ),
            VerifyError::AlgMismatch { key, token } => write!(
                f,
                "the key with this kid is for {key}, but the token says {token}"
            ),
            VerifyError::BadSignature => {
                f.write_str("the signature does not match the issuer's key")
            }
            VerifyError::Crypto(e) => write!(f, "the signature could not be checked: {e}"),
        }
    }
}

/// The token's algorithm.
pub fn alg_of(jwt: &DecodedJwt) -> Result<Alg, AlgError> {
    Alg::parse(jwt.header_str("alg").ok_or(AlgError::Missing)?)
}

/// Picks the JWK from a JWKS that should verify this token (by `kid`, else the only key of
/// the right type). Keys are taken from the configured issuer's JWKS, never from the token.
pub fn find_key<'a>(jwks: &'a Value, jwt: &DecodedJwt) -> Result<&'a Value, VerifyError> {
    let alg = alg_of(jwt).map_err(VerifyError::Alg)?;
    let kty = alg.kty();
    let keys = jwks
        .get("keys")
        .and_then(Value::as_array)
        .ok_or(VerifyError::NoKeys)?;
    let candidates: Vec<&Value> = keys
        .iter()
        .filter(|k| k.get("kty").and_then(Value::as_str) == Some(kty))
        .collect();
    let key = match jwt.header_str("kid") {
        Some(kid) => candidates
            .into_iter()
            .find(|k| k.get("kid").and_then(Value::as_str) == Some(kid))
            .ok_or_else(|| VerifyError::UnknownKid {
                kid: kid.into(),
                kty,
            })?,
        None if candidates.len() == 1 => candidates[0],
        None => {
            return Err(VerifyError::Ambiguous {
                count: candidates.len(),
                kty,
            })
        }
    };
    match key.get("alg").and_then(Value::as_str) {
        Some(a) if a != alg.as_str() => Err(VerifyError::AlgMismatch {
            key: a.into(),
            token: alg.as_str(),
        }),
        _ => Ok(key),
    }
}

/// Verifies a decoded token against a JWKS.
pub fn verify(jwt: &DecodedJwt, jwks: &Value, verifier: &dyn Verifier) -> Result<(), VerifyError> {
    let alg = alg_of(jwt).map_err(VerifyError::Alg)?;
    let key = find_key(jwks, jwt)?;
    match verifier
        .verify(alg, key, jwt.signing_input.as_bytes(), &jwt.signature)
        .map_err(VerifyError::Crypto)?
    {
        true => Ok(()),
        false => Err(VerifyError::BadSignature),
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
        assert_eq!(decode("opaque").unwrap_err(), JwtError::Parts(1));
        assert!(decode("opaque")
            .unwrap_err()
            .to_string()
            .contains("3 dot-separated"));
        assert_eq!(decode("a.b.c.d.e").unwrap_err(), JwtError::Encrypted);
        assert!(matches!(
            decode("e30.bm90anNvbg.c2ln").unwrap_err(),
            JwtError::NotJson { part: "claims", .. }
        ));
        assert_eq!(
            decode("e30.WzFd.c2ln").unwrap_err(),
            JwtError::NotObject("claims")
        );
    }

    #[test]
    fn refuses_none_and_hmac() {
        assert_eq!(Alg::parse("none").unwrap_err(), AlgError::None);
        assert!(matches!(
            Alg::parse("HS256").unwrap_err(),
            AlgError::SharedSecret(_)
        ));
        assert_eq!(Alg::parse("PS256").unwrap(), Alg::PS256);
    }

    #[test]
    fn numeric_dates_beyond_any_clock_are_refused() {
        for (v, ok) in [
            (json!(1_700_000_000), true),
            (json!(1.7e9), true),
            (json!(i64::MAX), false),
            (json!(i64::MIN), false),
            (json!(1e300), false),
            (json!(-1e300), false),
            (json!("1700000000"), false),
        ] {
            assert_eq!(numeric_date(&v).is_some(), ok, "{v}");
        }
    }

    #[test]
    fn key_selection() {
        let jwks = json!({"keys":[{"kty":"RSA","kid":"a"},{"kty":"EC","kid":"b","alg":"ES256"}]});
        let d = decode(&token(json!({"alg":"ES256","kid":"b"}), json!({}))).unwrap();
        assert_eq!(find_key(&jwks, &d).unwrap()["kid"], "b");
        let d = decode(&token(json!({"alg":"RS256","kid":"zz"}), json!({}))).unwrap();
        assert_eq!(
            find_key(&jwks, &d).unwrap_err(),
            VerifyError::UnknownKid {
                kid: "zz".into(),
                kty: "RSA"
            }
        );
        let d = decode(&token(json!({"alg":"RS256"}), json!({}))).unwrap();
        assert_eq!(find_key(&jwks, &d).unwrap()["kid"], "a");
        let d = decode(&token(json!({"alg":"PS256","kid":"a"}), json!({}))).unwrap();
        assert_eq!(
            find_key(&jwks, &d).unwrap()["kid"],
            "a",
            "PS256 uses RSA keys"
        );
    }
}
