//! Signature verification of the tokens a step obtained, against their issuer's keys: which
//! JWKS to read (the configured server whose issuer the token names, never a URL from the
//! token), which key in it, and how each result reads as a finding. The signature itself is
//! checked by the platform (WebCrypto in the browser, native code in tests).

use serde_json::Value;

use crate::flow::{FlowConfig, FlowDef, RoleKind, ServerRole};
use protocol_wire::checks::{Finding, Severity};
use protocol_wire::jwt::{decode, find_key, DecodedJwt, VerifyError};

/// JWS validation (RFC 7515 section 5.2).
pub const SPEC: &str = "RFC 7515 5.2";

/// Where a token's keys are: the configured server it names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeySource {
    /// The server role whose issuer the token names.
    pub role: &'static ServerRole,
    /// Its JWKS URL (from its layout or its metadata).
    pub jwks_uri: String,
}

/// A JWT to verify, or why it cannot be.
pub enum Target {
    /// A JWT, its decoded form and where its issuer's keys are.
    Jwt(Box<DecodedJwt>, KeySource),
    /// Not verifiable, and why (opaque token, unknown issuer, ...).
    Skip(String),
}

/// What to verify for a token (`raw`) obtained in `def` configured as `config`.
pub fn target(def: &FlowDef, config: &FlowConfig, raw: &str) -> Target {
    let Ok(jwt) = decode(raw) else {
        return Target::Skip(
            "an opaque token: only its issuer can say whether it is valid (introspection)".into(),
        );
    };
    let Some(iss) = jwt
        .str_claim("iss")
        .map(|s| s.trim_end_matches('/').to_string())
    else {
        return Target::Skip(
            "the token has no iss, so there is no issuer whose keys could verify it".into(),
        );
    };
    let role = def.servers.iter().copied().find(|r| {
        r.kind == RoleKind::AuthorizationServer
            && config.server(r).issuer().trim_end_matches('/') == iss
    });
    let Some(role) = role else {
        return Target::Skip(format!(
            "{iss} is not one of this flow's servers, so its keys are not trusted here"
        ));
    };
    match config.server(role).endpoints(role) {
        Ok(e) if !e.keys.is_empty() => Target::Jwt(
            Box::new(jwt),
            KeySource {
                role,
                jwks_uri: e.keys,
            },
        ),
        Ok(_) => Target::Skip(format!("the {}'s metadata names no jwks_uri", role.label)),
        Err(e) => Target::Skip(e.to_string()),
    }
}

/// The key of `jwks` for this token, or why there is none (an unknown `kid` is worth one
/// fresh read of the JWKS: the server may have rotated its keys).
pub fn key<'a>(jwks: &'a Value, jwt: &DecodedJwt) -> Result<&'a Value, VerifyError> {
    find_key(jwks, jwt)
}

/// The public part of a JWK, as WebCrypto imports it (no `use`, `key_ops`, `alg` mismatch).
pub fn public_jwk(key: &Value) -> Value {
    let mut out = serde_json::Map::new();
    for m in ["kty", "crv", "x", "y", "n", "e"] {
        if let Some(v) = key.get(m) {
            out.insert(m.into(), v.clone());
        }
    }
    Value::Object(out)
}

/// The outcome of verifying one token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verified {
    /// The signature matches key `kid` of `jwks_uri`.
    Yes {
        /// The key's `kid` (or `-`).
        kid: String,
        /// Where the key came from.
        jwks_uri: String,
    },
    /// The signature was checked and does not match, or no key could check it.
    No {
        /// Why.
        error: VerifyError,
        /// Where the keys came from.
        jwks_uri: String,
    },
    /// The JWKS could not be read.
    Unreachable {
        /// Its URL.
        jwks_uri: String,
        /// Why.
        why: String,
    },
    /// Nothing to verify, and why.
    Skipped(String),
}

impl Verified {
    /// The finding for token `label`.
    pub fn finding(&self, label: &str) -> Finding {
        match self {
            Verified::Yes { kid, jwks_uri } => Finding::new(
                Severity::Pass,
                "signature",
                format!("{label}: signature verified with key {kid} from {jwks_uri}."),
            ),
            Verified::No { error: VerifyError::BadSignature, jwks_uri } => Finding::new(
                Severity::Error,
                "signature",
                format!("{label}: the signature does not match the issuer's key from {jwks_uri}: the token was altered or not issued by this server. Do not use it."),
            ),
            Verified::No { error, jwks_uri } => Finding::new(
                Severity::Error,
                "signature",
                format!("{label}: not verified: {error} (keys from {jwks_uri})."),
            ),
            Verified::Unreachable { jwks_uri, why } => Finding::new(
                Severity::Warning,
                "signature",
                format!("{label}: not verified: the issuer's keys at {jwks_uri} could not be read ({why})."),
            ),
            Verified::Skipped(why) => Finding::new(Severity::Info, "signature", format!("{label}: signature not checked: {why}.")),
        }
        .spec(SPEC)
    }
}
