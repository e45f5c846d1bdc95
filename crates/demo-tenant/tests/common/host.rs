//! The driver's host in native tests: the tenant (in process or over HTTP) as the network, a
//! native signer and verifier, and a user who signs in as Alice on the tenant's sign-in page.

use std::cell::RefCell;
use std::collections::BTreeMap;

use protocol::engine::{Exchange, Host, HostError, PendingSignIn, Route};
use protocol::jwt::{Alg, Signer, Verifier};
use protocol::keys::PrivateKey;
use protocol::native::{NativeKey, NativeVerifier};
use protocol::request::HttpRequest;
use serde_json::Value;

use super::Running;

/// Random bytes for a native host.
pub fn native_random(out: &mut [u8]) -> Result<(), HostError> {
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, out);
    Ok(())
}

/// Signs as a native host does (the protocol crate's native signer).
pub fn native_sign(key: &PrivateKey, input: &[u8]) -> Result<Vec<u8>, HostError> {
    let key = NativeKey::from_private(key.clone()).map_err(|e| HostError(e.to_string()))?;
    key.sign(input).map_err(|e| HostError(e.0))
}

/// Verifies as a native host does (the protocol crate's native verifier).
pub fn native_verify(
    alg: Alg,
    jwk: &Value,
    input: &[u8],
    signature: &[u8],
) -> Result<bool, HostError> {
    NativeVerifier
        .verify(alg, jwk, input, signature)
        .map_err(|e| HostError(e.0))
}

/// The tenant as the driver's host; the user who signs in is `user`.
pub struct TenantHost<'r> {
    pub r: &'r Running,
    pub user: String,
    jwks: RefCell<BTreeMap<String, Value>>,
}

impl<'r> TenantHost<'r> {
    /// Alice, at the tenant `r`.
    pub fn new(r: &'r Running) -> Self {
        TenantHost {
            r,
            user: protocol::demo::ALICE_ID.into(),
            jwks: RefCell::default(),
        }
    }
}

impl Host for TenantHost<'_> {
    fn now(&self) -> i64 {
        super::now()
    }

    fn fill_random(&self, out: &mut [u8]) -> Result<(), HostError> {
        native_random(out)
    }

    async fn sign(&self, key: &PrivateKey, input: &[u8]) -> Result<Vec<u8>, HostError> {
        native_sign(key, input)
    }

    async fn verify(
        &self,
        alg: Alg,
        jwk: &Value,
        input: &[u8],
        signature: &[u8],
    ) -> Result<bool, HostError> {
        native_verify(alg, jwk, input, signature)
    }

    async fn send(&self, request: &HttpRequest, route: &Route) -> Exchange {
        assert_eq!(route, &Route::Direct, "no relay in native tests");
        let reply = self.r.send(request).await;
        Exchange {
            at: protocol::timefmt::utc(super::now()),
            request: request.clone(),
            result: Ok(reply.capture()),
            ms: 0,
            via: None,
        }
    }

    async fn authorize(
        &self,
        url: &str,
        _: &PendingSignIn,
        _: Option<u32>,
    ) -> Result<Option<String>, HostError> {
        let (endpoint, query) = url.split_once('?').expect("an authorize URL has a query");
        let page = self.r.raw("GET", url, vec![], vec![]).await;
        if let Some(location) = page.header("location") {
            // Redirected at once (an error, or a server that signs in without asking).
            let query = location.split_once('?').map(|(_, q)| q.to_string());
            return Ok(Some(query.unwrap_or_default()));
        }
        if page.status != 200 {
            // The server's own error page: no redirect.
            return Ok(None);
        }
        let res = self
            .r
            .post_form(endpoint, &format!("{query}&user={}", self.user))
            .await;
        let location = res
            .header("location")
            .ok_or_else(|| HostError(format!("no redirect after signing in: {}", res.text)))?;
        Ok(Some(
            location
                .split_once('?')
                .map(|(_, q)| q.to_string())
                .unwrap_or_default(),
        ))
    }

    fn cached_jwks(&self, uri: &str) -> Option<Value> {
        self.jwks.borrow().get(uri).cloned()
    }

    fn keep_jwks(&self, uri: &str, jwks: &Value) {
        self.jwks.borrow_mut().insert(uri.into(), jwks.clone());
    }
}
