//! The built-in demo: the demo tenant's core running in a service worker next to the page.
//! It is registered at the first use of the built-in demo, never on page load, so the page's
//! first load does not fetch it.

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::{is_secure_context, meta, window, BrowserError};

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Why the built-in demo cannot run here, if it cannot.
pub fn unavailable() -> Option<String> {
    if !is_secure_context() {
        return Some(format!(
            "The built-in demo runs in a service worker, which browsers allow only on https pages or on http://localhost / 127.0.0.1. This page is {}. Open it over https (or on localhost), or start the local demo tenant (./run) and choose its preset.",
            super::origin()
        ));
    }
    let container = get(&window().navigator(), "serviceWorker");
    if container.is_undefined() || container.is_null() {
        return Some("This browser offers no service workers here (a private window may disable them), so the built-in demo cannot run. Start the local demo tenant (./run) and choose its preset.".into());
    }
    None
}

/// The script URL with the build's version, so a new deploy replaces an old worker.
fn script_url() -> String {
    match meta("atp-worker-version") {
        Some(v) => format!("sw.js?v={v}"),
        None => "sw.js".into(),
    }
}

/// Fetches the worker's files into the browser's cache without registering it (registration
/// waits for the first use of the built-in demo), so its first use does not wait for them.
pub async fn prefetch() {
    if unavailable().is_some() {
        return;
    }
    let version = meta("atp-worker-version").unwrap_or_else(|| "dev".into());
    for file in ["sw.js", "demo-worker.js", "demo-worker_bg.wasm"] {
        let url = format!("{file}?v={version}");
        let _ = JsFuture::from(window().fetch_with_str(&url)).await;
    }
}

/// Registers the worker if needed and waits until it controls this page.
pub async fn ensure() -> Result<(), BrowserError> {
    if let Some(why) = unavailable() {
        return Err(BrowserError::Unavailable(why));
    }
    let container = get(&window().navigator(), "serviceWorker");
    let controller = get(&container, "controller");
    let wanted = script_url();
    if !controller.is_null() && !controller.is_undefined() {
        let current = get(&controller, "scriptURL")
            .as_string()
            .unwrap_or_default();
        if current.ends_with(&wanted) {
            return Ok(());
        }
    }
    let options = Object::new();
    let _ = Reflect::set(&options, &"scope".into(), &"./".into());
    let register: js_sys::Function = get(&container, "register").unchecked_into();
    let changed = controller_change(&container);
    let promise: Promise = register
        .call2(&container, &JsValue::from_str(&wanted), &options)
        .map_err(|e| BrowserError::js(&e))?
        .unchecked_into();
    JsFuture::from(promise).await.map_err(|e| {
        BrowserError::refused(
            "The built-in demo could not start (service worker registration failed)",
            &e,
        )
    })?;
    let controller = get(&container, "controller");
    let current = get(&controller, "scriptURL")
        .as_string()
        .unwrap_or_default();
    if !current.ends_with(&wanted) {
        JsFuture::from(changed).await.map_err(|_| {
            BrowserError::Unavailable(
                "The built-in demo did not start in time; reload the page and try again.".into(),
            )
        })?;
    }
    Ok(())
}

/// Resolves at the next `controllerchange`, or rejects after 15 s.
fn controller_change(container: &JsValue) -> Promise {
    let container = container.clone();
    Promise::new(&mut move |resolve, reject| {
        let done = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let add: js_sys::Function = get(&container, "addEventListener").unchecked_into();
        let _ = add.call2(&container, &"controllerchange".into(), &done);
        let fail = Closure::once_into_js(move || {
            let _ = reject.call0(&JsValue::NULL);
        });
        let _ = window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(fail.unchecked_ref(), 15_000);
    })
}

/// The IndexedDB database in which sw.js keeps the built-in demo's state.
const DATABASE: &str = "atp-built-in-demo";

/// Clears the built-in demo's stored state (its signing keys, codes, used `jti`s,
/// revocations) by deleting its database from this page: it works whether or not the worker
/// runs, and the worker reads the state afresh at each request.
pub async fn reset() -> Result<(), BrowserError> {
    let factory = get(&window(), "indexedDB");
    if factory.is_undefined() || factory.is_null() {
        return Err(BrowserError::Unavailable(
            "This browser offers no IndexedDB here, so the built-in demo keeps no state to reset."
                .into(),
        ));
    }
    let delete: js_sys::Function = get(&factory, "deleteDatabase").unchecked_into();
    let request = delete
        .call1(&factory, &JsValue::from_str(DATABASE))
        .map_err(|e| BrowserError::js(&e))?;
    let done = Promise::new(&mut move |resolve, reject| {
        let ok = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let _ = Reflect::set(&request, &"onsuccess".into(), &ok);
        let _ = Reflect::set(&request, &"onerror".into(), &reject.clone().into());
        let late = Closure::once_into_js(move || {
            let _ = reject.call0(&JsValue::NULL);
        });
        let _ = window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(late.unchecked_ref(), 5_000);
    });
    JsFuture::from(done).await.map(|_| ()).map_err(|_| {
        BrowserError::Unavailable("The built-in demo's storage is in use by another tab of this page; close that tab and try again.".into())
    })
}
