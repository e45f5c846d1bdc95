//! The driver's host in the browser (`protocol::engine::Host`): the clock and random bytes of
//! the page, WebCrypto for signing (keys imported as non-extractable) and verifying, fetch for
//! HTTP (the built-in demo's worker started before its first request), the issuers' keys kept
//! for the page's life, and the user's sign-in in a pop-up or in this tab.

use std::cell::RefCell;
use std::collections::HashMap;

use protocol::engine::{Exchange, Host, HostError, PendingSignIn, Route};
use protocol::flow::Step;
use protocol::jwt::Alg;
use protocol::keys::PrivateKey;
use protocol::request::HttpRequest;
use protocol::transport::TransportFailure;
use serde_json::Value;

use leptos::prelude::*;

use crate::browser::{crypto, http, worker, BrowserError};
use crate::store::{FlowSlot, Store};

thread_local! {
    /// JWKS by URL, for this page's life.
    static JWKS: RefCell<HashMap<String, Value>> = RefCell::new(HashMap::new());
}

/// The host for one run of `step` of `slot`'s flow, or for a probe of it.
pub struct BrowserHost {
    /// The app.
    pub store: Store,
    /// The flow.
    pub slot: FlowSlot,
    /// The step.
    pub step: &'static Step,
    /// A probe's sign-ins: always in a pop-up (a probe never leaves the page).
    pub probe: Option<ProbeSignIns>,
}

impl BrowserHost {
    /// The host for one step of a flow run by the user (not by a probe).
    pub fn for_step(store: Store, slot: FlowSlot, step: &'static Step) -> Self {
        BrowserHost {
            store,
            slot,
            step,
            probe: None,
        }
    }
}

/// A probe's sign-ins: how many it makes, how many opened so far, and the prompt shown when
/// the browser blocks a window that no click opened.
pub struct ProbeSignIns {
    /// How many the probe makes.
    pub total: usize,
    /// How many opened so far.
    pub opened: std::cell::Cell<usize>,
    /// The prompt ("3 of 7") while one waits for a click.
    pub prompt: RwSignal<Option<String>>,
}

impl Host for BrowserHost {
    fn now(&self) -> i64 {
        crate::browser::now_secs()
    }

    fn fill_random(&self, out: &mut [u8]) -> Result<(), HostError> {
        let bytes = crypto::random_bytes(out.len()).map_err(host_error)?;
        out.copy_from_slice(&bytes);
        Ok(())
    }

    async fn sign(&self, key: &PrivateKey, input: &[u8]) -> Result<Vec<u8>, HostError> {
        crypto::sign(key, input).await.map_err(host_error)
    }

    async fn verify(
        &self,
        alg: Alg,
        jwk: &Value,
        input: &[u8],
        signature: &[u8],
    ) -> Result<bool, HostError> {
        crypto::verify(alg, jwk, input, signature)
            .await
            .map_err(host_error)
    }

    async fn send(&self, request: &HttpRequest, route: &Route) -> Exchange {
        send(self.store, request, route).await
    }

    async fn authorize(
        &self,
        url: &str,
        pending: &PendingSignIn,
        wait: Option<u32>,
    ) -> Result<Option<String>, HostError> {
        ensure_built_in_demo(self.store, url)
            .await
            .map_err(host_error)?;
        if let Some(p) = &self.probe {
            p.opened.set(p.opened.get() + 1);
            let which = format!("{} of {}", p.opened.get(), p.total.max(p.opened.get()));
            let prompt = p.prompt;
            return crate::flows::signin::popup_or_ask(url, wait, |ask| {
                prompt.set(ask.then(|| which.clone()))
            })
            .await
            .map_err(host_error);
        }
        crate::flows::signin::open(self.store, self.slot, self.step, url, pending, wait)
            .await
            .map_err(host_error)
    }

    fn cached_jwks(&self, uri: &str) -> Option<Value> {
        JWKS.with(|c| c.borrow().get(uri).cloned())
    }

    fn keep_jwks(&self, uri: &str, jwks: &Value) {
        JWKS.with(|c| c.borrow_mut().insert(uri.into(), jwks.clone()));
    }
}

/// Sends `request` along `route`, the built-in demo's worker started first if it answers it.
pub async fn send(store: Store, request: &HttpRequest, route: &Route) -> Exchange {
    if let Err(why) = ensure_built_in_demo(store, &request.url).await {
        return Exchange {
            at: protocol::timefmt::utc(crate::browser::now_secs()),
            request: request.clone(),
            result: Err(TransportFailure::Invalid {
                detail: why.to_string(),
            }),
            ms: 0,
            via: None,
        };
    }
    http::send(request, route).await
}

/// What the browser refused, for the driver.
fn host_error(e: impl std::fmt::Display) -> HostError {
    HostError(e.to_string())
}

/// Starts the built-in demo's worker before the first request to it.
async fn ensure_built_in_demo(store: Store, url: &str) -> Result<(), BrowserError> {
    let base = store.env.with_value(|e| e.built_in_demo.clone());
    if url == base || url.starts_with(&format!("{base}/")) {
        worker::ensure().await?;
    }
    Ok(())
}
