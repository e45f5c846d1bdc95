//! A decoded token: header, claims, readable times; the raw token masked until revealed.

use leptos::prelude::*;
use protocol::flows::TokenView;

fn pretty(v: &Option<serde_json::Value>) -> String {
    v.as_ref()
        .and_then(|v| serde_json::to_string_pretty(v).ok())
        .unwrap_or_default()
}

/// Shows one token.
#[component]
pub fn TokenInspector(token: TokenView, reveal: ReadSignal<bool>) -> impl IntoView {
    let raw = token.raw.clone();
    let masked = protocol::request::mask(&raw);
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
            <div class="token-raw"><code>{move || if reveal.get() { raw.clone() } else { masked.clone() }}</code></div>
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
                {token.header.is_some().then(|| view! { <div><h5>"Header"</h5><pre class="json">{pretty(&token.header)}</pre></div> })}
                {token.claims.is_some().then(|| view! { <div><h5>"Claims"</h5><pre class="json claims">{pretty(&token.claims)}</pre></div> })}
            </div>
        </details>
    }
}
