//! localStorage (what the user chose to keep) and sessionStorage (only across a same-tab
//! sign-in redirect, cleared on return). Everything is written through [`keep`], which
//! leaves every secret out unless the user asked to remember secrets.

use protocol::secret::redacted;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{window, BrowserError};

fn local() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// localStorage, or why the page has none.
fn local_or_why() -> Result<web_sys::Storage, BrowserError> {
    local().ok_or_else(|| {
        BrowserError::Unavailable(
            "this browser gives the page no localStorage (private mode, or blocked in its settings)"
                .into(),
        )
    })
}

fn no_session() -> BrowserError {
    BrowserError::Unavailable("sessionStorage is unavailable (private mode?)".into())
}

fn session() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

/// The JSON to store: secrets left out unless `remember`.
pub fn to_stored<T: Serialize>(value: &T, remember: bool) -> Option<String> {
    if remember {
        serde_json::to_string(value).ok()
    } else {
        redacted(|| serde_json::to_string(value).ok()).0
    }
}

/// Keeps a value in localStorage; secrets only if `remember`. The error says why the browser
/// did not keep it (no localStorage, or full).
pub fn keep<T: Serialize>(key: &str, value: &T, remember: bool) -> Result<(), BrowserError> {
    let s = local_or_why()?;
    match to_stored(value, remember) {
        Some(json) => s.set_item(key, &json).map_err(|e| {
            BrowserError::refused_with_hint(
                "the browser refused to store it",
                &e,
                "; this site's storage may be full",
            )
        }),
        None => s.remove_item(key).map_err(|e| BrowserError::js(&e)),
    }
}

/// Reads a value kept in localStorage, if it can be read.
pub fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    read(key).ok().flatten()
}

/// Reads a value kept in localStorage: `None` when nothing is kept, an error when what is kept
/// cannot be read (another version's format, or edited by hand).
pub fn read<T: DeserializeOwned>(key: &str) -> Result<Option<T>, BrowserError> {
    let Some(text) = load_raw(key) else {
        return Ok(None);
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| BrowserError::Json(e.to_string()))
}

/// Copies what is kept under `key` (which could not be read) to a key of its own, never
/// overwriting an earlier copy, so that what replaces it does not lose it; returns that key.
pub fn set_aside(key: &str) -> Result<String, BrowserError> {
    let s = local_or_why()?;
    let text = load_raw(key).unwrap_or_default();
    let aside = format!("{key}.unreadable.{}", super::now_secs());
    s.set_item(&aside, &text)
        .map_err(|e| BrowserError::js(&e))?;
    Ok(aside)
}

/// The raw text kept under a key (for migrating older formats).
pub fn load_raw(key: &str) -> Option<String> {
    local()?.get_item(key).ok().flatten()
}

/// Removes a localStorage item.
pub fn forget(key: &str) {
    if let Some(s) = local() {
        let _ = s.remove_item(key);
    }
}

/// Keeps a value in sessionStorage across a redirect; never its secrets.
pub fn keep_for_redirect<T: Serialize>(key: &str, value: &T) -> Result<(), BrowserError> {
    let json = to_stored(value, false)
        .ok_or_else(|| BrowserError::Json("the sign-in state cannot be written".into()))?;
    session()
        .ok_or_else(no_session)?
        .set_item(key, &json)
        .map_err(|e| BrowserError::js(&e))
}

/// Keeps a text in sessionStorage for the next load of this tab.
pub fn keep_raw_for_reload(key: &str, text: &str) -> Result<(), BrowserError> {
    session()
        .ok_or_else(no_session)?
        .set_item(key, text)
        .map_err(|e| BrowserError::js(&e))
}

/// Reads and removes a sessionStorage value as it is (one use).
pub fn take_raw_from_session(key: &str) -> Option<String> {
    let s = session()?;
    let v = s.get_item(key).ok().flatten();
    let _ = s.remove_item(key);
    v
}

/// Whether sessionStorage holds `key`.
pub fn in_session(key: &str) -> bool {
    session().is_some_and(|s| s.get_item(key).ok().flatten().is_some())
}

/// Reads and removes a sessionStorage value (one use).
pub fn take_from_session<T: DeserializeOwned>(key: &str) -> Option<T> {
    let s = session()?;
    let v = s.get_item(key).ok().flatten();
    let _ = s.remove_item(key);
    serde_json::from_str(&v?).ok()
}
