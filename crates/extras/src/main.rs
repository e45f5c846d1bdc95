//! The extras module's entry points for the page (boot.js's `atpExtras`): JSON in, text out,
//! a string thrown for a refusal. Each is the same-named function of the library.

use wasm_bindgen::prelude::*;

fn main() {}

/// [`extras::code`].
#[wasm_bindgen]
pub fn code(request: &str, language: &str, reveal: bool) -> Result<String, String> {
    extras::code(request, language, reveal)
}

/// [`extras::explain`].
#[wasm_bindgen]
pub fn explain(request: &str) -> Result<String, String> {
    extras::explain(request)
}

/// [`extras::markdown`].
#[wasm_bindgen]
pub fn markdown(run: &str) -> Result<String, String> {
    extras::markdown(run)
}

/// [`extras::share_payload`].
#[wasm_bindgen]
pub fn share_payload(config: &str) -> Result<String, String> {
    extras::share_payload(config)
}

/// [`extras::share_read`].
#[wasm_bindgen]
pub fn share_read(flow: &str, payload: &str, current: &str, known: &str) -> Result<String, String> {
    extras::share_read(flow, payload, current, known)
}

/// [`extras::imported`]: the heading and the steps, as two HTML fragments.
#[wasm_bindgen]
pub fn imported(file: &str) -> Result<Vec<String>, String> {
    extras::imported(file).map(|(head, steps)| vec![head, steps])
}
