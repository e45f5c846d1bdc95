//! The demo tenant's logic: an authorization server shaped like an Okta org (org and custom
//! authorization servers, a PingOne AIC realm, resource APIs), with no server dependency.
//! The native server (`demo-tenant`, axum) and the service worker in the browser
//! (`demo-worker`) both hand it a [`Request`] and send back its [`Response`].
//!
//! It reads no clock and no random source of its own: the host's [`Platform`] provides both,
//! so the same code runs natively and in wasm32.

pub mod authorize;
pub mod client_auth;
pub mod config;
pub mod endpoints;
pub mod error;
pub mod form;
pub mod grants;
pub mod http;
pub mod resources;
pub mod router;
pub mod store;
pub mod tokens;

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use protocol_wire::jwt::{decode, verify, DecodedJwt, UnsignedJwt};
use protocol_wire::keys::KeyError;
use protocol_wire::native::{NativeKey, NativeVerifier};
use serde_json::Value;

pub use config::Config;
pub use error::OAuthError;
pub use http::{Request, Response};
pub use store::{MemoryStore, Store};

/// What the host provides: the time and randomness.
pub trait Platform {
    /// Seconds since the Unix epoch.
    fn now(&self) -> i64;
    /// Fills `buf` with cryptographically secure random bytes.
    fn fill_random(&self, buf: &mut [u8]);
}

/// The signing keys of the org server (`None`) and of each custom server and realm.
#[derive(Clone)]
pub struct Keys(HashMap<Option<String>, Arc<NativeKey>>);

impl Keys {
    /// Every server a configuration names (the org first).
    pub fn servers(config: &Config) -> Vec<Option<String>> {
        std::iter::once(None)
            .chain(config.servers.iter().map(|s| Some(s.id.clone())))
            .collect()
    }

    /// Keys made by `make` for each server of `config`, with `kid`s like `demo-files-1a2b`.
    pub fn generate(
        config: &Config,
        mut make: impl FnMut(&Option<String>) -> Result<NativeKey, KeyError>,
    ) -> Result<Self, KeyError> {
        let mut keys = HashMap::new();
        for id in Self::servers(config) {
            let key = make(&id)?;
            let short: String = key
                .key
                .kid
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .take(8)
                .collect();
            let kid = format!("demo-{}-{short}", id.as_deref().unwrap_or("org"));
            keys.insert(id, Arc::new(key.with_kid(&kid)));
        }
        Ok(Self(keys))
    }

    fn get(&self, server: Option<&str>) -> Option<&NativeKey> {
        self.0.get(&server.map(String::from)).map(|k| &**k)
    }
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

/// How many recorded requests are kept.
pub const RECORDED_MAX: usize = 50;

/// The tenant: configuration, keys and memory.
pub struct Tenant<S: Store + Send + 'static = MemoryStore> {
    /// The configuration (finished).
    pub config: Config,
    keys: Keys,
    store: Mutex<S>,
    recorded: Option<Mutex<VecDeque<Recorded>>>,
}

impl<S: Store + Send + 'static> Tenant<S> {
    /// A tenant with these keys and this store; `record` keeps the last token requests.
    pub fn new(config: Config, keys: Keys, store: S, record: bool) -> Self {
        Self {
            config,
            keys,
            store: Mutex::new(store),
            recorded: record.then(Mutex::default),
        }
    }

    /// Answers one request.
    pub fn handle(&self, req: &Request, env: &dyn Platform) -> Response {
        let cx = Cx {
            config: &self.config,
            keys: &self.keys,
            store: &self.store,
            recorded: self.recorded.as_ref(),
            env,
            now: env.now(),
        };
        router::route(&cx, req).secured()
    }

    /// Runs `f` on the store (the service worker loads and saves it around each request).
    pub fn with_store<R>(&self, f: impl FnOnce(&mut S) -> R) -> R {
        f(&mut self.store.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Signs claims with a server's key, as the tenant would (tests forge tokens with it).
    pub fn sign_as(&self, server: Option<&str>, typ: &str, claims: Value) -> Option<String> {
        let key = self.keys.get(server)?;
        UnsignedJwt::new(key.key.alg, typ, Some(&key.key.kid), claims)
            .sign(key)
            .ok()
    }

    /// The requests recorded so far (with `record`).
    pub fn recorded(&self) -> Option<Vec<Recorded>> {
        self.recorded.as_ref().map(|r| {
            r.lock()
                .unwrap_or_else(|e| e.into_inner())
                .iter()
                .cloned()
                .collect()
        })
    }
}

/// Everything a handler needs for one request.
pub struct Cx<'a> {
    /// The configuration.
    pub config: &'a Config,
    keys: &'a Keys,
    store: &'a Mutex<dyn Store + Send>,
    recorded: Option<&'a Mutex<VecDeque<Recorded>>>,
    env: &'a dyn Platform,
    /// The time of the request.
    pub now: i64,
}

impl Cx<'_> {
    /// 16 random bytes, base64url.
    pub fn random_id(&self) -> String {
        let mut b = [0u8; 16];
        self.env.fill_random(&mut b);
        protocol_wire::encoding::b64url(&b)
    }

    /// The store, locked.
    pub fn store(&self) -> MutexGuard<'_, dyn Store + Send + 'static> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records a token request (when recording is on).
    pub fn record(&self, path: &str, form: &[(String, String)], authorization: bool) {
        if let Some(r) = self.recorded {
            let mut r = r.lock().unwrap_or_else(|e| e.into_inner());
            if r.len() >= RECORDED_MAX {
                r.pop_front();
            }
            r.push_back(Recorded {
                path: path.into(),
                form: form.to_vec(),
                authorization,
            });
        }
    }

    /// The recorded requests (`None` when recording is off).
    pub fn recorded(&self) -> Option<Vec<Recorded>> {
        self.recorded.map(|r| {
            r.lock()
                .unwrap_or_else(|e| e.into_inner())
                .iter()
                .cloned()
                .collect()
        })
    }

    /// The public JWKS of a server.
    pub fn jwks(&self, server: Option<&str>) -> Value {
        self.keys
            .get(server)
            .map(|k| k.key.public_jwks())
            .unwrap_or_else(|| serde_json::json!({ "keys": [] }))
    }

    /// Signs claims as a server.
    pub fn sign(
        &self,
        server: Option<&str>,
        typ: &str,
        claims: Value,
    ) -> Result<String, OAuthError> {
        let key = self
            .keys
            .get(server)
            .ok_or_else(|| OAuthError::not_found("This server has no signing key."))?;
        UnsignedJwt::new(key.key.alg, typ, Some(&key.key.kid), claims)
            .sign(key)
            .map_err(|e| OAuthError::temporarily_unavailable(format!("Signing failed: {e}")))
    }

    /// Decodes and verifies a token issued by one of this tenant's servers (`server`),
    /// checking signature, issuer, expiry and revocation.
    pub fn verify_own(&self, token: &str, server: Option<&str>) -> Result<DecodedJwt, Rejected> {
        let jwt = decode(token).map_err(|e| Rejected::NotJwt(e.to_string()))?;
        let issuer = self.config.issuer(server);
        if jwt.str_claim("iss") != Some(issuer.as_str()) {
            return Err(Rejected::OtherIssuer(issuer));
        }
        verify(&jwt, &self.jwks(server), &NativeVerifier)
            .map_err(|e| Rejected::Signature(e.to_string()))?;
        let exp = jwt.time_claim("exp").ok_or(Rejected::NoExp)?;
        if exp.saturating_add(protocol_wire::constants::CLOCK_SKEW_SECS) < self.now {
            return Err(Rejected::Expired);
        }
        if let Some(jti) = jwt.str_claim("jti") {
            if self.store().is_revoked(jti, self.now) {
                return Err(Rejected::Revoked);
            }
        }
        Ok(jwt)
    }

    /// Which of this tenant's servers issued a token, judging by its `iss`.
    pub fn server_of(&self, jwt: &DecodedJwt) -> Option<Option<String>> {
        self.config.server_by_issuer(jwt.str_claim("iss")?)
    }

    /// Marks a one-time identifier used; refuses a replay with `replayed`.
    pub fn use_once(
        &self,
        kind: &str,
        id: &str,
        expires_at: i64,
        replayed: impl FnOnce() -> OAuthError,
    ) -> Result<(), OAuthError> {
        match self
            .store()
            .use_once(&format!("{kind}:{id}"), expires_at, self.now)
        {
            Ok(true) => Ok(()),
            Ok(false) => Err(replayed()),
            Err(full) => Err(full_error(full)),
        }
    }
}

/// The refusal when a bounded store is full.
pub fn full_error(full: store::Full) -> OAuthError {
    OAuthError::temporarily_unavailable(format!(
        "The demo tenant holds its maximum of {} {}; try again when some expire.",
        full.cap, full.what
    ))
}

/// Why a token this tenant is shown is not one of its own, valid ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rejected {
    /// Not a JWT (the decoder's message).
    NotJwt(String),
    /// Issued by another issuer than the one expected (the one expected).
    OtherIssuer(String),
    /// Its signature does not verify with the server's keys (why).
    Signature(String),
    /// No valid `exp`.
    NoExp,
    /// Expired.
    Expired,
    /// Revoked.
    Revoked,
}

impl std::fmt::Display for Rejected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rejected::NotJwt(e) => write!(f, "The token is not a JWT: {e}"),
            Rejected::OtherIssuer(i) => write!(f, "The token was not issued by {i}."),
            Rejected::Signature(e) => write!(f, "Signature check failed: {e}."),
            Rejected::NoExp => f.write_str("The token has no valid exp."),
            Rejected::Expired => f.write_str("The token has expired."),
            Rejected::Revoked => f.write_str("The token has been revoked."),
        }
    }
}
