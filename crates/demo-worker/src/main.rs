//! The built-in demo: the demo tenant's core answering requests in a service worker, so the
//! app works from any static host with nothing else running. `sw.js` receives the fetch
//! events, keeps the tenant's state in IndexedDB (the browser stops idle workers), and calls
//! [`handle`] for each request to the demo issuer.

use std::cell::RefCell;
use std::collections::BTreeMap;

use js_sys::{Array, Object, Reflect, Uint8Array};
use protocol_wire::native::NativeKey;
use tenant_core::config::{Config, Limits};
use tenant_core::{Keys, MemoryStore, Platform, Request, Tenant};
use wasm_bindgen::prelude::*;

fn main() {}

/// The browser's clock and randomness.
struct BrowserPlatform;

impl Platform for BrowserPlatform {
    fn now(&self) -> i64 {
        (js_sys::Date::now() / 1000.0) as i64
    }

    fn fill_random(&self, buf: &mut [u8]) {
        // The worker's crypto.getRandomValues, through getrandom's `js` backend.
        if getrandom::getrandom(buf).is_err() {
            buf.fill(0);
        }
    }
}

/// The tenant, built once per worker start (its keys come from IndexedDB).
struct Built {
    base: String,
    scope: String,
    keys_json: String,
    tenant: Tenant<MemoryStore>,
}

thread_local! {
    static BUILT: RefCell<Option<Built>> = const { RefCell::new(None) };
}

/// The demo configuration for a tenant at `base`, redirecting back to the page at `scope`.
fn config(base: &str, scope: &str) -> Config {
    let mut c = Config {
        base_url: base.into(),
        cors_origins: vec![],
        cors: false,
        limits: Limits::in_browser(),
        ..Config::default()
    };
    for client in &mut c.clients {
        if client.auth == tenant_core::config::AuthMethod::None {
            client.redirect_uris = vec![scope.into(), format!("{scope}index.html")];
        }
    }
    c.finish()
}

/// ES256 keys from stored secrets (server → base64url scalar), made at first use.
fn keys(config: &Config, stored: &str) -> Result<(Keys, String), protocol_wire::keys::KeyError> {
    let mut secrets: BTreeMap<String, String> = serde_json::from_str(stored).unwrap_or_default();
    let keys = Keys::generate(config, |server| {
        let name = server.clone().unwrap_or_else(|| "org".into());
        let secret = match secrets
            .get(&name)
            .and_then(|s| protocol_wire::encoding::b64url_decode(s).ok())
        {
            Some(b) if b.len() == 32 => b,
            _ => {
                let mut b = [0u8; 32];
                BrowserPlatform.fill_random(&mut b);
                secrets.insert(name, protocol_wire::encoding::b64url(&b));
                b.to_vec()
            }
        };
        NativeKey::ec_from_secret(&secret)
    })?;
    Ok((keys, serde_json::to_string(&secrets).unwrap_or_default()))
}

fn set(o: &Object, k: &str, v: &JsValue) {
    let _ = Reflect::set(o, &JsValue::from_str(k), v);
}

/// Answers one request to the demo issuer.
///
/// `base` is the demo issuer (`https://host/page/demo-tenant`), `scope` the page's folder;
/// `path` is below `base`. `state` and `keys` are what IndexedDB holds (empty at first use).
/// Returns `{status, headers: [[name, value]...], body: Uint8Array, state, keys}`.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn handle(
    base: String,
    scope: String,
    method: String,
    path: String,
    query: String,
    headers: Array,
    body: Vec<u8>,
    state: String,
    stored_keys: String,
) -> Result<JsValue, JsValue> {
    BUILT.with(|b| {
        let mut b = b.borrow_mut();
        // Keys other than the stored ones (none after "Reset the built-in demo") mean a new
        // tenant: the running worker must not carry its old keys over a reset.
        let stale = b
            .as_ref()
            .is_none_or(|x| x.base != base || x.scope != scope || x.keys_json != stored_keys);
        if stale {
            let cfg = config(&base, &scope);
            let (keys, keys_json) =
                keys(&cfg, &stored_keys).map_err(|e| JsValue::from_str(&e.to_string()))?;
            let store = MemoryStore::new(cfg.limits.clone());
            *b = Some(Built {
                base: base.clone(),
                scope: scope.clone(),
                keys_json,
                tenant: Tenant::new(cfg, keys, store, false),
            });
        }
        let built = b.as_ref().expect("built above");
        let limits = built.tenant.config.limits.clone();
        built
            .tenant
            .with_store(|s| *s = MemoryStore::from_json(&state, limits));
        let req = Request {
            method,
            path,
            query,
            headers: headers
                .iter()
                .filter_map(|pair| {
                    let pair: Array = pair.dyn_into().ok()?;
                    Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
                })
                .collect(),
            body,
        };
        let res = built.tenant.handle(&req, &BrowserPlatform);
        let out = Object::new();
        set(&out, "status", &JsValue::from(res.status));
        let hs = Array::new();
        for (k, v) in &res.headers {
            hs.push(&Array::of2(&JsValue::from_str(k), &JsValue::from_str(v)));
        }
        set(&out, "headers", &hs);
        set(&out, "body", &Uint8Array::from(res.body.as_slice()));
        set(
            &out,
            "state",
            &JsValue::from_str(&built.tenant.with_store(|s| s.to_json())),
        );
        set(&out, "keys", &JsValue::from_str(&built.keys_json));
        Ok(out.into())
    })
}
