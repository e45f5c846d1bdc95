//! localStorage (what the user chose to keep) and sessionStorage (only across a same-tab
//! sign-in redirect, cleared on return). Everything is written through [`keep`], which
//! leaves every secret out unless the user asked to remember secrets.

use protocol::secret::redacted;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::window;

fn local() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
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

/// Keeps a value in localStorage; secrets only if `remember`.
pub fn keep<T: Serialize>(key: &str, value: &T, remember: bool) {
    let Some(s) = local() else { return };
    match to_stored(value, remember) {
        Some(json) => {
            let _ = s.set_item(key, &json);
        }
        None => {
            let _ = s.remove_item(key);
        }
    }
}

/// Reads a value kept in localStorage, if it can be read.
pub fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    serde_json::from_str(&local()?.get_item(key).ok().flatten()?).ok()
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
pub fn keep_for_redirect<T: Serialize>(key: &str, value: &T) -> Result<(), String> {
    let json = to_stored(value, false).ok_or("the sign-in state cannot be written")?;
    session()
        .ok_or("sessionStorage is unavailable (private mode?)")?
        .set_item(key, &json)
        .map_err(|e| super::js_error(&e))
}

/// Reads and removes a sessionStorage value (one use).
pub fn take_from_session<T: DeserializeOwned>(key: &str) -> Option<T> {
    let s = session()?;
    let v = s.get_item(key).ok().flatten();
    let _ = s.remove_item(key);
    serde_json::from_str(&v?).ok()
}
