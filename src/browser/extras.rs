//! The app's rarely used parts (code in other languages, "Explain", the Markdown report, run
//! import, share links) live in a second wasm module, `crates/extras`, that boot.js loads at
//! their first use: the first load stays smaller. Each function here is one of its entry
//! points; values cross as JSON, a refusal comes back as its reason.

use js_sys::{Array, Promise};
use protocol::codegen::Language;
use protocol::export::RunExport;
use protocol::flow::config::FlowConfig;
use protocol::flow::share::Received;
use protocol::flow::FlowDef;
use protocol::request::HttpRequest;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// boot.js: loads the extras module once, then calls its function `name` with `args`.
    #[wasm_bindgen(js_name = atpExtras, catch)]
    fn atp_extras(name: &str, args: Array) -> Result<Promise, JsValue>;
}

fn json<T: Serialize + ?Sized>(value: &T) -> JsValue {
    JsValue::from_str(&serde_json::to_string(value).unwrap_or_default())
}

/// Calls the module's `name`; a refusal (the module's, or boot.js's when it cannot load the
/// module) comes back as its reason, a string.
async fn call(name: &str, args: Array) -> Result<JsValue, String> {
    let promise = atp_extras(name, args).map_err(|e| super::js_error(&e))?;
    JsFuture::from(promise)
        .await
        .map_err(|e| super::js_error(&e))
}

/// What an answer of the wrong shape means.
fn two_versions(name: &str) -> String {
    format!("the extras module's {name} answered in another shape (the page's files are from two versions: reload)")
}

async fn text(name: &str, args: Array) -> Result<String, String> {
    call(name, args)
        .await?
        .as_string()
        .ok_or_else(|| two_versions(name))
}

/// `request` as code in `language`, secrets masked unless `reveal`.
pub async fn code(
    request: &HttpRequest,
    language: Language,
    reveal: bool,
) -> Result<String, String> {
    let args = Array::of3(&json(request), &language.id().into(), &reveal.into());
    text("code", args).await
}

/// "Explain" for `request`: the items of an HTML description list, every value escaped.
pub async fn explain(request: &HttpRequest) -> Result<String, String> {
    text("explain", Array::of1(&json(request))).await
}

/// The Markdown report of `run`.
pub async fn markdown(run: &RunExport) -> Result<String, String> {
    text("markdown", Array::of1(&json(run))).await
}

/// The share-link payload of `config` (no keys, secrets or tokens).
pub async fn share_payload(config: &FlowConfig) -> Result<String, String> {
    text("share_payload", Array::of1(&json(config))).await
}

/// A share-link `payload` for `def` read over the `current` configuration; `known` lists the
/// issuers the reader has used.
pub async fn share_read(
    def: &FlowDef,
    payload: &str,
    current: &FlowConfig,
    known: &[String],
) -> Result<Received, String> {
    let args = Array::of4(
        &def.id.into(),
        &payload.into(),
        &json(current),
        &json(known),
    );
    let received = text("share_read", args).await?;
    serde_json::from_str(&received).map_err(|e| e.to_string())
}

/// A run file read and rendered read-only: its heading and its steps as HTML (every value
/// escaped), or why it cannot be opened.
pub async fn imported(file: &str) -> Result<(String, String), String> {
    let answer = call("imported", Array::of1(&file.into())).await?;
    let parts = answer
        .dyn_into::<Array>()
        .map_err(|_| two_versions("imported"))?;
    match (parts.get(0).as_string(), parts.get(1).as_string()) {
        (Some(head), Some(steps)) if parts.length() == 2 => Ok((head, steps)),
        _ => Err(two_versions("imported")),
    }
}
