//! A decoded token (header, claims, readable times; the raw token masked until revealed, with
//! Copy), and JSON bodies whose credential members stay masked until revealed.

use leptos::prelude::*;
use protocol::flows::TokenView;
use serde_json::Value;

use crate::browser;
use crate::store::Store;

fn pretty(v: &Option<Value>) -> String {
    v.as_ref()
        .and_then(|v| serde_json::to_string_pretty(v).ok())
        .unwrap_or_default()
}

/// Shows one token.
#[component]
pub fn TokenInspector(token: TokenView) -> impl IntoView {
    let store = expect_context::<Store>();
    let raw = token.raw.expose().to_string();
    let masked = protocol::mask::mask(&raw);
    // A closure, not an arena signal: this view is rebuilt when Reveal changes, and a render
    // effect scheduled by that change must not read a signal disposed with the old view.
    let shown = move || {
        if store.reveal.get() {
            raw.clone()
        } else {
            masked.clone()
        }
    };
    let copy = shown.clone();
    let typ = token
        .header
        .as_ref()
        .and_then(|h| h.get("typ"))
        .and_then(|t| t.as_str())
        .map(|t| format!("typ {t}"))
        .unwrap_or_default();
    view! {
        <details class="token" open>
            <summary><strong>{token.label.clone()}</strong>" "<span class="muted">{typ}</span></summary>
            <div class="token-raw">
                <code>{shown}</code>
                <button type="button" class="small" title="Copies what is shown: the token stays masked until you reveal secrets"
                    on:click=move |_| browser::copy_text(&untrack(&copy))>"Copy"</button>
            </div>
            {token.note.clone().map(|n| view! { <p class="muted">{n}</p> })}
            {(!token.times.is_empty()).then(|| view! {
                <table class="times">
                    <caption class="sr-only">"Times"</caption>
                    <tbody>
                        {token.times.iter().map(|(claim, utc, rel)| view! {
                            <tr><th scope="row">{claim.clone()}</th><td>{utc.clone()}</td><td class="muted">{rel.clone()}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            <div class="jwt-parts">
                {token.header.is_some().then(|| view! { <div><h4>"Header"</h4><pre class="json" tabindex="0">{pretty(&token.header)}</pre></div> })}
                {token.claims.is_some().then(|| view! { <div><h4>"Claims"</h4><pre class="json claims" tabindex="0">{pretty(&token.claims)}</pre></div> })}
            </div>
        </details>
    }
}

/// A JSON body, as given: the caller masks it (`Store::shown_outcome`).
#[component]
pub fn JsonView(value: Value) -> impl IntoView {
    let shown = serde_json::to_string_pretty(&value).unwrap_or_default();
    view! {
        <details open class="body"><summary>"Response body"</summary>
            <pre class="json" tabindex="0">{shown}</pre></details>
    }
}
