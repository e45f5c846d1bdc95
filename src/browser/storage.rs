//! localStorage (only what the user chose to keep) and sessionStorage (only across the
//! sign-in redirect, cleared on return).

use super::window;

fn local() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn session() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

/// Reads a localStorage item.
pub fn local_get(key: &str) -> Option<String> {
    local()?.get_item(key).ok().flatten()
}

/// Writes a localStorage item.
pub fn local_set(key: &str, value: &str) {
    if let Some(s) = local() {
        let _ = s.set_item(key, value);
    }
}

/// Removes a localStorage item.
pub fn local_remove(key: &str) {
    if let Some(s) = local() {
        let _ = s.remove_item(key);
    }
}

/// Reads and removes a sessionStorage item (one use).
pub fn session_take(key: &str) -> Option<String> {
    let s = session()?;
    let v = s.get_item(key).ok().flatten();
    let _ = s.remove_item(key);
    v
}

/// Writes a sessionStorage item.
pub fn session_set(key: &str, value: &str) -> Result<(), String> {
    session()
        .ok_or("sessionStorage is unavailable (private mode?)")?
        .set_item(key, value)
        .map_err(|e| super::js_error(&e))
}
