//! The only code that touches browser APIs: WebCrypto, fetch, storage, location.

pub mod crypto;
pub mod http;
pub mod storage;

use wasm_bindgen::JsValue;

/// Turns a JS exception into readable text.
pub fn js_error(e: &JsValue) -> String {
    if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        let name: String = err.name().into();
        let msg: String = err.message().into();
        return format!("{name}: {msg}");
    }
    e.as_string().unwrap_or_else(|| format!("{e:?}"))
}

use wasm_bindgen::JsCast;

/// The window (always present in the app).
pub fn window() -> web_sys::Window {
    web_sys::window().expect("the app runs in a window")
}

/// This page's origin (`http://127.0.0.1:8080`).
pub fn origin() -> String {
    window().location().origin().unwrap_or_default()
}

/// This page's URL without query or fragment: the default redirect URI.
pub fn page_url() -> String {
    let loc = window().location();
    format!(
        "{}{}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_else(|_| "/".into())
    )
}

/// The URL fragment (`#/autonomous`).
pub fn hash() -> String {
    window().location().hash().unwrap_or_default()
}

/// Replaces the URL fragment without a history entry or a hashchange event.
pub fn set_hash(hash: &str) {
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(
            &JsValue::NULL,
            "",
            Some(&format!("{}{hash}", page_url())),
        );
    }
}

/// Calls `f` whenever the URL fragment changes (for the lifetime of the page).
pub fn on_hash_change(f: impl Fn() + 'static) {
    let cb = wasm_bindgen::closure::Closure::<dyn Fn()>::new(f);
    let _ = window().add_event_listener_with_callback("hashchange", cb.as_ref().unchecked_ref());
    cb.forget();
}

/// The query string of the current URL, without `?`.
pub fn query() -> String {
    window()
        .location()
        .search()
        .unwrap_or_default()
        .trim_start_matches('?')
        .to_string()
}

/// Removes the query from the address bar (after reading a redirect's code and state).
pub fn clear_query() {
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&page_url()));
    }
}

/// Navigates the whole page (used for the authorize redirect; never fetched).
pub fn navigate(url: &str) -> Result<(), String> {
    window().location().assign(url).map_err(|e| js_error(&e))
}

/// Seconds since the Unix epoch, from the browser clock.
pub fn now_secs() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// Milliseconds from the performance clock.
pub fn perf_now() -> f64 {
    window()
        .performance()
        .map(|p| p.now())
        .unwrap_or_else(js_sys::Date::now)
}

/// Copies text to the clipboard (fire and forget).
pub fn copy_text(text: &str) {
    let _ = window().navigator().clipboard().write_text(text);
}
