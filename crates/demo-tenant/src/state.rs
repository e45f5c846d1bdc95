//! The tenant at run time: configuration, signing keys, and what it remembers (codes,
//! used `jti`s, revoked tokens, recorded requests).

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Mutex;

use protocol::jwt::{decode, verify, DecodedJwt, UnsignedJwt};
use protocol::native::{NativeKey, NativeVerifier};
use serde_json::Value;

use crate::config::Config;

/// A code waiting to be exchanged.
#[derive(Clone, Debug)]
pub struct PendingCode {
    /// Client it was issued to.
    pub client_id: String,
    /// Redirect URI it was issued for.
    pub redirect_uri: String,
    /// PKCE S256 challenge.
    pub code_challenge: String,
    /// The user.
    pub user_id: String,
    /// Granted scopes.
    pub scope: String,
    /// Nonce to put in the ID token.
    pub nonce: Option<String>,
    /// Which server issued it (`None`: org).
    pub server: Option<String>,
    /// Expiry (seconds).
    pub expires_at: i64,
    /// Already exchanged once.
    pub used: bool,
    /// When the user signed in.
    pub auth_time: i64,
}

/// One token-endpoint request as received, for tests that compare it with the app's cURL.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Recorded {
    /// Request path.
    pub path: String,
    /// Form parameters, in order.
    pub form: Vec<(String, String)>,
    /// Whether an `Authorization` header was present.
    pub authorization: bool,
}

/// Shared tenant state.
pub struct Tenant {
    /// The configuration (finished).
    pub config: Config,
    keys: HashMap<Option<String>, NativeKey>,
    /// Authorization codes.
    pub codes: Mutex<HashMap<String, PendingCode>>,
    /// Used one-time identifiers (`kind:jti`) with their expiry.
    pub used_jti: Mutex<HashMap<String, i64>>,
    /// Revoked token `jti`s.
    pub revoked: Mutex<HashSet<String>>,
    /// Recorded token requests (only with `record_requests`).
    pub recorded: Mutex<VecDeque<Recorded>>,
    /// Whether to record token requests.
    pub record_requests: bool,
}

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// 16 random bytes, base64url.
pub fn random_id() -> String {
    let mut b = [0u8; 16];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut b);
    protocol::encoding::b64url(&b)
}

impl Tenant {
    /// Builds the tenant, generating an RSA signing key for the org and each custom server.
    pub fn new(config: Config, record_requests: bool) -> Result<Self, String> {
        let mut keys = HashMap::new();
        let mut ids: Vec<Option<String>> = vec![None];
        ids.extend(config.servers.iter().map(|s| Some(s.id.clone())));
        for id in ids {
            let kid = format!(
                "demo-{}-{}",
                id.as_deref().unwrap_or("org"),
                &random_id()[..8]
            );
            keys.insert(id, NativeKey::generate_rsa()?.with_kid(&kid));
        }
        Ok(Self {
            config,
            keys,
            codes: Mutex::default(),
            used_jti: Mutex::default(),
            revoked: Mutex::default(),
            recorded: Mutex::default(),
            record_requests,
        })
    }

    /// The public JWKS of a server.
    pub fn jwks(&self, server: Option<&str>) -> Value {
        self.keys
            .get(&server.map(String::from))
            .map(|k| k.key.public_jwks())
            .unwrap_or(Value::Null)
    }

    /// Signs claims as a server.
    pub fn sign(&self, server: Option<&str>, typ: &str, claims: Value) -> String {
        let key = &self.keys[&server.map(String::from)];
        UnsignedJwt::new(key.key.alg, typ, Some(&key.key.kid), claims)
            .sign(key)
            .expect("native signing does not fail")
    }

    /// Decodes and verifies a token issued by one of this tenant's servers (`server`),
    /// checking signature, issuer, expiry and revocation.
    pub fn verify_own(&self, token: &str, server: Option<&str>) -> Result<DecodedJwt, String> {
        let jwt = decode(token).map_err(|e| format!("The token is not a JWT: {e}"))?;
        let issuer = self.config.issuer(server);
        if jwt.str_claim("iss") != Some(issuer.as_str()) {
            return Err(format!("The token was not issued by {issuer}."));
        }
        verify(&jwt, &self.jwks(server), &NativeVerifier)
            .map_err(|e| format!("Signature check failed: {e}."))?;
        let exp = jwt.time_claim("exp").ok_or("The token has no exp.")?;
        if exp + protocol::constants::CLOCK_SKEW_SECS < now() {
            return Err("The token has expired.".into());
        }
        if let Some(jti) = jwt.str_claim("jti") {
            if self.revoked.lock().unwrap().contains(jti) {
                return Err("The token has been revoked.".into());
            }
        }
        Ok(jwt)
    }

    /// Which of this tenant's servers issued a token, judging by its `iss`.
    pub fn server_of(&self, jwt: &DecodedJwt) -> Option<Option<String>> {
        let iss = jwt.str_claim("iss")?;
        if iss == self.config.issuer(None) {
            return Some(None);
        }
        self.config
            .servers
            .iter()
            .find(|s| self.config.issuer(Some(&s.id)) == iss)
            .map(|s| Some(s.id.clone()))
    }

    /// Marks a one-time identifier used; `false` if it was used before (a replay).
    pub fn use_once(&self, kind: &str, jti: &str, expires_at: i64) -> bool {
        let mut used = self.used_jti.lock().unwrap();
        let t = now();
        used.retain(|_, exp| *exp + 60 > t);
        used.insert(format!("{kind}:{jti}"), expires_at).is_none()
    }
}
