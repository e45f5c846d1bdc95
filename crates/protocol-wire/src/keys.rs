//! Private keys pasted by the user (JWK, or PEM: PKCS#8, PKCS#1 RSA, SEC1 EC), normalised
//! to a private JWK the browser imports, plus the public JWK / JWKS to register.

use std::fmt;

use pkcs1::RsaPrivateKey;
use pkcs8::der::{self, asn1::ObjectIdentifier, Decode, Tag, Tagged};
use pkcs8::PrivateKeyInfo;
use sec1::{EcParameters, EcPrivateKey};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::encoding::{b64url, b64url_decode};
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
        /// What the decoder found.
        reason: crate::encoding::NotBase64,
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
    /// Bytes after the end of the key's DER structure.
    TrailingData(usize),
    /// A PKCS#8 key of another algorithm.
    Pkcs8Algorithm,
    /// An EC key without its public point.
    NoPublicPoint,
    /// An unsupported EC curve without a common name, given by its OID.
    CurveOid(String),
    /// An EC key that does not name its curve.
    EcCurveMissing,
    /// An EC key whose curve is spelled out (explicit parameters) instead of named.
    ExplicitCurve,
    /// An EC private scalar of this many bytes, not 32 (P-256).
    EcScalarLength(usize),
    /// An RSA key with more than two primes.
    MultiPrimeRsa,
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
            KeyError::TrailingData(n) => write!(f, "The key has {n} unexpected byte(s) after the end of its data; paste the key exactly as exported, or export it again."),
            KeyError::Pkcs8Algorithm => f.write_str("The PKCS#8 key's algorithm is not RSA or EC P-256."),
            KeyError::NoPublicPoint => f.write_str("This EC key does not include its public point; re-export it with: openssl pkcs8 -topk8 -nocrypt -in key.pem"),
            KeyError::CurveOid(oid) => write!(f, "The EC key's curve (OID {oid}) is not supported; use P-256 (ES256)."),
            KeyError::EcCurveMissing => f.write_str("This EC key does not name its curve; export it with its curve named (P-256): openssl pkcs8 -topk8 -nocrypt -in key.pem"),
            KeyError::ExplicitCurve => f.write_str("This EC key spells out its curve parameters instead of naming the curve; re-export it with: openssl ec -in key.pem -param_enc named_curve"),
            KeyError::EcScalarLength(n) => write!(f, "The EC private key is {n} bytes long; a P-256 private key is 32 bytes. Export the key again or generate a new one."),
            KeyError::MultiPrimeRsa => f.write_str("This RSA key has more than two primes (multi-prime RSA), which is not supported; generate a two-prime key: openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048"),
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

/// Parses a private JWK only (no PEM): for callers that never see PEM (the demo tenant's
/// configuration), so the PEM and DER readers are not linked into them (the built-in demo's
/// wasm worker).
pub fn parse_private_jwk(input: &str) -> Result<PrivateKey, KeyError> {
    let v: Value =
        serde_json::from_str(input.trim()).map_err(|e| KeyError::BadJson(e.to_string()))?;
    if v.get("keys").is_some() {
        return Err(KeyError::IsJwks);
    }
    from_jwk(v.as_object().ok_or(KeyError::NotObject)?)
}

/// Parses a private key given as a JWK (JSON) or PEM text.
pub fn parse_private_key(input: &str) -> Result<PrivateKey, KeyError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(KeyError::Empty);
    }
    if input.starts_with('{') {
        return parse_private_jwk(input);
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
    let block = PemBlock::first(pem)?;
    match block.label {
        "PRIVATE KEY" | "RSA PRIVATE KEY" | "EC PRIVATE KEY" => {}
        "ENCRYPTED PRIVATE KEY" => return Err(KeyError::Encrypted),
        "PUBLIC KEY" | "RSA PUBLIC KEY" | "CERTIFICATE" => {
            return Err(KeyError::NotPrivate(block.label.into()))
        }
        other => return Err(KeyError::PemType(other.into())),
    }
    let der = block.der()?;
    let jwk = match block.label {
        "RSA PRIVATE KEY" => rsa_private_to_jwk(&der)?,
        "EC PRIVATE KEY" => sec1_to_jwk(&der, None, None)?,
        _ => pkcs8_to_jwk(&der)?,
    };
    from_jwk(&jwk)
}

/// One PEM block as pasted: its label and the lines between its BEGIN and END lines.
struct PemBlock<'a> {
    label: &'a str,
    body: Vec<&'a str>,
}

impl<'a> PemBlock<'a> {
    /// The block `pem` starts with. Lenient where pasting is: whitespace around lines and blank
    /// lines are dropped, and whatever follows the END line is ignored.
    fn first(pem: &'a str) -> Result<Self, KeyError> {
        let mut lines = pem.lines().map(str::trim).filter(|l| !l.is_empty());
        let label = lines
            .next()
            .and_then(|l| l.strip_prefix("-----BEGIN "))
            .and_then(|l| l.strip_suffix("-----"))
            // "--" is never in a label (RFC 7468); it is when the line breaks were lost, and
            // then the "label" would be the whole key.
            .filter(|l| !l.contains("--"))
            .ok_or(KeyError::PemHeader)?;
        let end = format!("-----END {label}-----");
        let mut body = Vec::new();
        for line in lines {
            if line == end {
                return Ok(Self { label, body });
            }
            body.push(line);
        }
        Err(KeyError::PemEnd(end))
    }

    /// The DER inside, decoded by `pem-rfc7468` (RFC 7468's strict grammar) once the base64 is
    /// wrapped again at 64 columns, so that a key wrapped at any width is read.
    fn der(&self) -> Result<Vec<u8>, KeyError> {
        // OpenSSL's "traditional" encryption: RFC 1421 headers before the base64.
        if self.body.iter().any(|l| l.starts_with("Proc-Type:")) {
            return Err(KeyError::Encrypted);
        }
        let base64 = self.body.concat();
        if base64.is_empty() {
            return Err(KeyError::PemBody("empty".into()));
        }
        let mut text = Vec::with_capacity(base64.len() + base64.len() / 64 + 64);
        for part in [b"-----BEGIN ", self.label.as_bytes(), b"-----\n"] {
            text.extend_from_slice(part);
        }
        for line in base64.as_bytes().chunks(64) {
            text.extend_from_slice(line);
            text.push(b'\n');
        }
        for part in [b"-----END ", self.label.as_bytes(), b"-----\n"] {
            text.extend_from_slice(part);
        }
        pem_rfc7468::decode_vec(&text)
            .map(|(_, der)| der)
            .map_err(|e| match e {
                pem_rfc7468::Error::HeaderDisallowed => KeyError::PemBody(
                    "not plain base64: it has header lines (\"Name: value\"); remove them".into(),
                ),
                pem_rfc7468::Error::Base64(e) => {
                    KeyError::PemBody(format!("not valid base64: {e}"))
                }
                e => KeyError::PemBody(format!("not valid base64 ({e})")),
            })
    }
}

/// rsaEncryption (RFC 8017).
const OID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
/// id-ecPublicKey (RFC 5480).
const OID_EC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
/// P-256 (secp256r1, prime256v1), the one curve supported.
const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
/// X25519, X448, Ed25519 and Ed448 (RFC 8410).
const OID_OKP: [ObjectIdentifier; 4] = [
    ObjectIdentifier::new_unwrap("1.3.101.110"),
    ObjectIdentifier::new_unwrap("1.3.101.111"),
    ObjectIdentifier::new_unwrap("1.3.101.112"),
    ObjectIdentifier::new_unwrap("1.3.101.113"),
];
/// Curves named in the error when a key is on one of them; others are named by their OID.
const CURVE_NAMES: [(ObjectIdentifier, &str); 3] = [
    (ObjectIdentifier::new_unwrap("1.3.132.0.34"), "P-384"),
    (ObjectIdentifier::new_unwrap("1.3.132.0.35"), "P-521"),
    (ObjectIdentifier::new_unwrap("1.3.132.0.10"), "secp256k1"),
];

/// A DER decoding error as a [`KeyError`].
fn der_error(e: der::Error) -> KeyError {
    use der::ErrorKind as K;
    KeyError::Der(match e.kind() {
        K::TrailingData { remaining, .. } => {
            return KeyError::TrailingData(usize::try_from(remaining).unwrap_or(usize::MAX))
        }
        K::Incomplete { .. } => "truncated DER",
        K::TagUnexpected { .. } | K::TagUnknown { .. } | K::TagNumberInvalid => {
            "unexpected DER tag"
        }
        K::Length { .. } | K::IndefiniteLength | K::Overlength | K::Overflow => "bad DER length",
        K::Noncanonical { .. } => "non-canonical DER",
        K::OidMalformed => "malformed OID",
        K::Value { .. } => "unexpected value in the DER",
        _ => "invalid DER",
    })
}

/// PKCS#8 `PrivateKeyInfo` (RFC 5208 / RFC 5958) holding an RSA or EC key.
fn pkcs8_to_jwk(der: &[u8]) -> Result<Map<String, Value>, KeyError> {
    let info = PrivateKeyInfo::from_der(der).map_err(der_error)?;
    let algorithm = info.algorithm.oid;
    if algorithm == OID_RSA {
        return rsa_private_to_jwk(info.private_key);
    }
    if OID_OKP.contains(&algorithm) {
        return Err(KeyError::Okp);
    }
    if algorithm != OID_EC {
        return Err(KeyError::Pkcs8Algorithm);
    }
    // RFC 5480: the curve's OID; a SEQUENCE spells the curve out, NULL inherits it.
    let curve = match info.algorithm.parameters {
        None => None,
        Some(p) => match p.tag() {
            Tag::ObjectIdentifier => Some(p.decode_as::<ObjectIdentifier>().map_err(der_error)?),
            Tag::Sequence => return Err(KeyError::ExplicitCurve),
            Tag::Null => return Err(KeyError::EcCurveMissing),
            _ => return Err(KeyError::Der("unexpected EC parameters")),
        },
    };
    sec1_to_jwk(info.private_key, curve, info.public_key)
}

/// PKCS#1 `RSAPrivateKey` (RFC 8017), two primes.
fn rsa_private_to_jwk(der: &[u8]) -> Result<Map<String, Value>, KeyError> {
    let key = RsaPrivateKey::from_der(der).map_err(der_error)?;
    if key.other_prime_infos.is_some() {
        return Err(KeyError::MultiPrimeRsa);
    }
    let mut jwk = Map::new();
    jwk.insert("kty".into(), json!("RSA"));
    for (m, v) in [
        ("n", key.modulus),
        ("e", key.public_exponent),
        ("d", key.private_exponent),
        ("p", key.prime1),
        ("q", key.prime2),
        ("dp", key.exponent1),
        ("dq", key.exponent2),
        ("qi", key.coefficient),
    ] {
        // Unsigned big-endian, no leading zeros: as RFC 7518 wants.
        jwk.insert(m.into(), json!(b64url(v.as_bytes())));
    }
    Ok(jwk)
}

/// SEC1 `ECPrivateKey` (RFC 5915) on P-256; `curve` and `public_key` come from the PKCS#8
/// wrapper, if any.
fn sec1_to_jwk(
    der: &[u8],
    curve: Option<ObjectIdentifier>,
    public_key: Option<&[u8]>,
) -> Result<Map<String, Value>, KeyError> {
    let key = EcPrivateKey::from_der(der).map_err(der_error)?;
    let curve = match (curve, key.parameters.and_then(EcParameters::named_curve)) {
        (Some(outer), Some(inner)) if outer != inner => {
            return Err(KeyError::Der("the key names two different curves"))
        }
        (outer, inner) => outer.or(inner).ok_or(KeyError::EcCurveMissing)?,
    };
    if curve != OID_P256 {
        return Err(match CURVE_NAMES.iter().find(|(oid, _)| *oid == curve) {
            Some((_, name)) => KeyError::Curve((*name).into()),
            None => KeyError::CurveOid(curve.to_string()),
        });
    }
    // SEC1 fixes the length at 32 bytes; shorter ones lost leading zeros (old OpenSSL) and are
    // padded back, longer ones are not P-256 scalars.
    let d = key.private_key;
    if d.is_empty() || d.len() > 32 {
        return Err(KeyError::EcScalarLength(d.len()));
    }
    let mut d32 = [0u8; 32];
    d32[32 - d.len()..].copy_from_slice(d);
    let point = key
        .public_key
        .or(public_key)
        .ok_or(KeyError::NoPublicPoint)?;
    let (x, y) = match point {
        [0x04, xy @ ..] if xy.len() == 64 => xy.split_at(32),
        _ => return Err(KeyError::BadPoint),
    };
    let mut jwk = Map::new();
    jwk.insert("kty".into(), json!("EC"));
    jwk.insert("crv".into(), json!("P-256"));
    jwk.insert("x".into(), json!(b64url(x)));
    jwk.insert("y".into(), json!(b64url(y)));
    jwk.insert("d".into(), json!(b64url(&d32)));
    Ok(jwk)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EC_PKCS8: &str = include_str!("../tests/fixtures/ec_pkcs8.pem");
    // One P-256 key as PKCS#8 and as SEC1 (`openssl ec -in ec_pair_pkcs8.pem`).
    const EC_PAIR_PKCS8: &str = include_str!("../tests/fixtures/ec_pair_pkcs8.pem");
    const EC_PAIR_SEC1: &str = include_str!("../tests/fixtures/ec_pair_sec1.pem");
    // One RSA key as PKCS#1 and as PKCS#8.
    const RSA_PKCS1: &str = include_str!("../tests/fixtures/rsa_pkcs1.pem");
    const RSA_PKCS8: &str = include_str!("../tests/fixtures/rsa_pkcs8.pem");

    /// The DER inside a PEM fixture.
    fn der_of(pem: &str) -> Vec<u8> {
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        crate::encoding::b64_decode(&body).unwrap()
    }

    /// `der` as PEM under `label`, wrapped at 64 columns.
    fn pem(label: &str, der: &[u8]) -> String {
        let b64 = crate::encoding::b64(der);
        let lines: Vec<&str> = b64
            .as_bytes()
            .chunks(64)
            .map(|l| std::str::from_utf8(l).unwrap())
            .collect();
        format!(
            "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
            lines.join("\n")
        )
    }

    /// One DER tag-length-value.
    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let n = content.len();
        let mut out = match n {
            0..0x80 => vec![tag, n as u8],
            0x80..0x100 => vec![tag, 0x81, n as u8],
            _ => vec![tag, 0x82, (n >> 8) as u8, n as u8],
        };
        out.extend_from_slice(content);
        out
    }

    /// A SEC1 ECPrivateKey with private scalar `d`, P-256 named if `named`, and `point`.
    fn sec1(d: &[u8], named: bool, point: Option<&[u8]>) -> Vec<u8> {
        let mut body = tlv(0x02, &[1]);
        body.extend(tlv(0x04, d));
        if named {
            body.extend(tlv(0xA0, &tlv(0x06, OID_P256.as_bytes())));
        }
        if let Some(point) = point {
            body.extend(tlv(0xA1, &tlv(0x03, &[&[0][..], point].concat())));
        }
        tlv(0x30, &body)
    }

    /// `sec1` wrapped in a PKCS#8 PrivateKeyInfo naming P-256.
    fn pkcs8_ec(sec1: &[u8]) -> Vec<u8> {
        let mut algorithm = tlv(0x06, OID_EC.as_bytes());
        algorithm.extend(tlv(0x06, OID_P256.as_bytes()));
        let mut body = tlv(0x02, &[0]);
        body.extend(tlv(0x30, &algorithm));
        body.extend(tlv(0x04, sec1));
        tlv(0x30, &body)
    }

    /// The private scalar and public point of the EC_PAIR key.
    fn ec_pair_parts() -> (Vec<u8>, Vec<u8>) {
        let der = der_of(EC_PAIR_SEC1);
        let key = EcPrivateKey::from_der(&der).unwrap();
        let (d, point) = (key.private_key.to_vec(), key.public_key.unwrap().to_vec());
        // The helpers write what openssl wrote.
        assert_eq!(sec1(&d, true, Some(&point)), der);
        assert_eq!(
            pkcs8_ec(&sec1(&d, false, Some(&point))),
            der_of(EC_PAIR_PKCS8)
        );
        (d, point)
    }

    #[test]
    fn one_key_in_each_pem_form_gives_one_jwk() {
        let ec = parse_private_key(EC_PAIR_PKCS8).unwrap();
        assert_eq!(ec, parse_private_key(EC_PAIR_SEC1).unwrap());
        // As read by `openssl ec -text`, and the RFC 7638 thumbprint computed apart from it.
        assert_eq!(
            ec.private_jwk["x"],
            "ttKOdvvgot4rMVTwoXtwCJfjUF8OjCqBGc3w719bjlw"
        );
        assert_eq!(
            ec.private_jwk["y"],
            "RHBYJVo7HIg20pyDyA9ypSXiB_DRQtOOeF8nVaUAiVY"
        );
        assert_eq!(
            ec.private_jwk["d"],
            "ZuSXntOUwZTdmRVCmEcL9wOcLSZ5Xyd2s9aFHTCxCDY"
        );
        assert_eq!(ec.kid, "R8O0kVfzJbUXfraPkvmeep8lC2ohWcSneCD1gjxlU6A");

        let rsa = parse_private_key(RSA_PKCS1).unwrap();
        assert_eq!(rsa, parse_private_key(RSA_PKCS8).unwrap());
        assert_eq!(rsa.kid, "QOA_SaVOKSv2W1Y2XfzPzigJUZqVZN2vZrQ2S6Zr0Ns");
        assert_eq!(rsa.private_jwk["e"], "AQAB");
        for m in RSA_PRIVATE {
            let v = b64url_decode(rsa.private_jwk[*m].as_str().unwrap()).unwrap();
            assert_ne!(v[0], 0, "{m} has a leading zero");
        }
    }

    #[test]
    fn trailing_data_after_the_der_is_refused() {
        for (label, fixture) in [
            ("PRIVATE KEY", EC_PAIR_PKCS8),
            ("EC PRIVATE KEY", EC_PAIR_SEC1),
            ("RSA PRIVATE KEY", RSA_PKCS1),
            ("PRIVATE KEY", RSA_PKCS8),
        ] {
            let der = der_of(fixture);
            assert!(parse_private_key(&pem(label, &der)).is_ok(), "{label}");
            for garbage in [&b"\0"[..], b"\x05\x00", b"garbage"] {
                let long = [&der[..], garbage].concat();
                assert_eq!(
                    parse_private_key(&pem(label, &long)).unwrap_err(),
                    KeyError::TrailingData(garbage.len()),
                    "{label} + {garbage:?}"
                );
            }
        }
        // Inside PKCS#8: after the SEC1 key in its OCTET STRING.
        let inner = [der_of(EC_PAIR_SEC1), b"xx".to_vec()].concat();
        let e = parse_private_key(&pem("PRIVATE KEY", &pkcs8_ec(&inner))).unwrap_err();
        assert_eq!(e, KeyError::TrailingData(2));
        assert!(e.to_string().contains("after the end"));
    }

    #[test]
    fn an_ec_scalar_longer_than_32_bytes_is_refused_not_truncated() {
        let (d, point) = ec_pair_parts();
        for first in [0x00, 0x01] {
            let long = sec1(&[&[first][..], &d].concat(), true, Some(&point));
            for pem in [
                pem("EC PRIVATE KEY", &long),
                pem("PRIVATE KEY", &pkcs8_ec(&long)),
            ] {
                let e = parse_private_key(&pem).unwrap_err();
                assert_eq!(e, KeyError::EcScalarLength(33));
                assert!(e.to_string().contains("32 bytes"));
            }
        }
        let empty = sec1(&[], true, Some(&point));
        assert_eq!(
            parse_private_key(&pem("EC PRIVATE KEY", &empty)).unwrap_err(),
            KeyError::EcScalarLength(0)
        );
        // Shorter: leading zeros dropped (as old OpenSSL did), put back.
        let short = sec1(&d[1..], true, Some(&point));
        let key = parse_private_key(&pem("EC PRIVATE KEY", &short)).unwrap();
        assert_eq!(key.private_jwk["d"], b64url(&[&[0][..], &d[1..]].concat()));
    }

    #[test]
    fn ec_keys_missing_a_part_say_which() {
        let (d, point) = ec_pair_parts();
        let e = |der: &[u8], label: &str| parse_private_key(&pem(label, der)).unwrap_err();
        let no_point = sec1(&d, true, None);
        assert_eq!(e(&no_point, "EC PRIVATE KEY"), KeyError::NoPublicPoint);
        assert_eq!(
            e(&pkcs8_ec(&no_point), "PRIVATE KEY"),
            KeyError::NoPublicPoint
        );
        assert!(e(&no_point, "EC PRIVATE KEY")
            .to_string()
            .contains("openssl pkcs8 -topk8"));
        let no_curve = sec1(&d, false, Some(&point));
        assert_eq!(e(&no_curve, "EC PRIVATE KEY"), KeyError::EcCurveMissing);
        let compressed = [&[0x02][..], &point[1..33]].concat();
        assert_eq!(
            e(&sec1(&d, true, Some(&compressed)), "EC PRIVATE KEY"),
            KeyError::BadPoint
        );
    }

    #[test]
    fn unsupported_keys_say_what_they_are() {
        let e = |pem: &str| parse_private_key(pem).unwrap_err();
        let fixture = |name: &str| {
            std::fs::read_to_string(format!(
                "{}/tests/fixtures/{name}.pem",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap()
        };
        assert_eq!(
            e(&fixture("ec_p384_pkcs8")),
            KeyError::Curve("P-384".into())
        );
        let brainpool = e(&fixture("ec_brainpool_sec1"));
        assert_eq!(brainpool, KeyError::CurveOid("1.3.36.3.3.2.8.1.1.7".into()));
        assert!(brainpool.to_string().contains("OID 1.3.36.3.3.2.8.1.1.7"));
        assert_eq!(e(&fixture("ec_explicit_pkcs8")), KeyError::ExplicitCurve);
        assert_eq!(e(&fixture("ed25519")), KeyError::Okp);
        assert_eq!(e(&fixture("rsa_3prime_pkcs1")), KeyError::MultiPrimeRsa);
        for encrypted in ["ec_pkcs8_encrypted", "ec_sec1_encrypted"] {
            assert_eq!(e(&fixture(encrypted)), KeyError::Encrypted, "{encrypted}");
        }
        assert!(KeyError::Encrypted.to_string().contains("openssl pkey"));
    }

    #[test]
    fn pem_as_pasted_still_parses() {
        let want = parse_private_key(EC_PAIR_PKCS8).unwrap();
        let body: String = EC_PAIR_PKCS8
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        let at_76: Vec<&str> = body
            .as_bytes()
            .chunks(76)
            .map(|l| std::str::from_utf8(l).unwrap())
            .collect();
        let block =
            |body: &str| format!("-----BEGIN PRIVATE KEY-----\n{body}\n-----END PRIVATE KEY-----");
        for pasted in [
            EC_PAIR_PKCS8.replace('\n', "\r\n"),
            EC_PAIR_PKCS8
                .lines()
                .map(|l| format!("   {l} \t"))
                .collect::<Vec<_>>()
                .join("\n"),
            EC_PAIR_PKCS8.replacen('\n', "\n\n", 2),
            block(&at_76.join("\n")),
            block(&body),
            format!(
                "{EC_PAIR_PKCS8}\n{}",
                include_str!("../tests/fixtures/ec_public.pem")
            ),
        ] {
            assert_eq!(parse_private_key(&pasted).unwrap(), want, "{pasted}");
        }
        // Its line breaks lost: the error does not quote the key.
        let flat = EC_PAIR_PKCS8.replace('\n', " ");
        assert_eq!(parse_private_key(&flat).unwrap_err(), KeyError::PemHeader);
        let headed = EC_PAIR_PKCS8.replacen('\n', "\nComment: mine\n", 1);
        assert!(matches!(
            parse_private_key(&headed).unwrap_err(),
            KeyError::PemBody(_)
        ));
        assert_eq!(
            parse_private_key(&block("")).unwrap_err(),
            KeyError::PemBody("empty".into())
        );
    }

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
