//! The only code that touches browser APIs: WebCrypto, fetch, storage, location, windows.

pub mod crypto;
pub mod http;
pub mod storage;
pub mod worker;

use wasm_bindgen::{JsCast, JsValue};

/// What the browser refused or does not offer, in words for the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BrowserError {
    /// A browser API threw or rejected: its name and message.
    Threw(String),
    /// The browser refused what was asked (`what`, a sentence): its message.
    Refused {
        /// What was refused, and what may help.
        what: &'static str,
        /// The browser's message.
        message: String,
        /// What may help, said after the browser's message (`""` or `"; ..."`).
        hint: &'static str,
    },
    /// Something the page needs is not offered here: why, and what to do instead.
    Unavailable(String),
    /// A private key that cannot be used.
    Key(protocol::keys::KeyError),
    /// A value that is not the JSON expected (the parser's message).
    Json(String),
}

impl std::fmt::Display for BrowserError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BrowserError::Threw(m) | BrowserError::Unavailable(m) => f.write_str(m),
            BrowserError::Refused {
                what,
                message,
                hint,
            } => write!(f, "{what} ({message}){hint}"),
            BrowserError::Key(e) => write!(f, "{e}"),
            BrowserError::Json(m) => write!(f, "not the JSON expected ({m})"),
        }
    }
}

impl BrowserError {
    /// A JS exception.
    pub fn js(e: &JsValue) -> Self {
        BrowserError::Threw(js_error(e))
    }

    /// The browser refused `what` (a sentence) with the exception `e`.
    pub fn refused(what: &'static str, e: &JsValue) -> Self {
        Self::refused_with_hint(what, e, "")
    }

    /// As [`BrowserError::refused`], with what may help after the browser's message.
    pub fn refused_with_hint(what: &'static str, e: &JsValue, hint: &'static str) -> Self {
        BrowserError::Refused {
            what,
            message: js_error(e),
            hint,
        }
    }
}

/// Turns a JS exception into readable text.
pub fn js_error(e: &JsValue) -> String {
    if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        let name: String = err.name().into();
        let msg: String = err.message().into();
        return format!("{name}: {msg}");
    }
    e.as_string().unwrap_or_else(|| "unknown error".into())
}

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

/// The folder the page is served from (`https://docs.example/playground/`).
pub fn page_base() -> String {
    let url = page_url();
    match url.rfind('/') {
        Some(i) => url[..=i].to_string(),
        None => format!("{url}/"),
    }
}

/// Whether the page runs in a secure context (https, or http on localhost / 127.0.0.1).
pub fn is_secure_context() -> bool {
    window().is_secure_context()
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
        let _ = history.replace_state_with_url(
            &JsValue::NULL,
            "",
            Some(&format!("{}{}", page_url(), hash())),
        );
    }
}

/// Runs `f` once the page is idle (`requestIdleCallback`, or after a short delay where the
/// browser has none).
pub fn when_idle(f: Box<dyn FnOnce()>) {
    let callback = wasm_bindgen::closure::Closure::once_into_js(f);
    let window = window();
    let idle = js_sys::Reflect::get(&window, &"requestIdleCallback".into()).unwrap_or_default();
    match idle.dyn_ref::<js_sys::Function>() {
        Some(request) => {
            let options = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&options, &"timeout".into(), &2000.into());
            let _ = request.call2(&window, &callback, &options);
        }
        None => {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                callback.unchecked_ref(),
                200,
            );
        }
    }
}

/// Reloads the page (the files now deployed).
pub fn reload() {
    let _ = window().location().reload();
}

/// Navigates the whole page (the same-tab sign-in redirect).
pub fn navigate(url: &str) -> Result<(), BrowserError> {
    window()
        .location()
        .assign(url)
        .map_err(|e| BrowserError::js(&e))
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

/// Offers `text` as a file download named `name`.
pub fn save_file(name: &str, mime: &str, text: &str) -> Result<(), BrowserError> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|e| BrowserError::js(&e))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| BrowserError::js(&e))?;
    let document = window()
        .document()
        .ok_or_else(|| BrowserError::Unavailable("this page has no document".into()))?;
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| BrowserError::js(&e))?
        .unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    let _ = window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000);
    Ok(())
}

/// Moves keyboard focus to the element with this id, if it exists.
pub fn focus(id: &str) {
    if let Some(el) = window()
        .document()
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// Moves keyboard focus to the element with this id once the DOM updates now pending are
/// applied (a result panel being unhidden, say).
pub fn focus_soon(id: &str) {
    let id = id.to_string();
    let later = wasm_bindgen::closure::Closure::once_into_js(move || focus(&id));
    let _ =
        window().set_timeout_with_callback_and_timeout_and_arguments_0(later.unchecked_ref(), 0);
}

/// Scrolls the element with this id into view.
pub fn scroll_to(id: &str) {
    if let Some(el) = window().document().and_then(|d| d.get_element_by_id(id)) {
        el.scroll_into_view();
    }
}

/// The content of `<meta name=...>`, if present.
pub fn meta(name: &str) -> Option<String> {
    window()
        .document()?
        .query_selector(&format!("meta[name={name}]"))
        .ok()??
        .get_attribute("content")
}
