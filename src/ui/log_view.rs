//! The full request/response log of a step: method, URL, headers, bodies, status, timing.
//! Until secrets are revealed, secret parameters are masked where they are declared, and every
//! secret value the page has seen is masked wherever it appears (`Store::shown`).

use leptos::prelude::*;
use protocol::mask::{mask_json_text, shown_message, shown_url};

use crate::store::Store;
use protocol::engine::Exchange;

/// The log entries of one step, newest first.
#[component]
pub fn LogView(
    entries: Vec<Exchange>,
    /// How many earlier requests are no longer kept.
    dropped: u32,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let count = entries.len();
    view! {
        {(dropped > 0).then(|| view! {
            <p class="muted log-dropped">{format!("{dropped} earlier request{} not kept: the log keeps the last {} of each step.", if dropped == 1 { "" } else { "s" }, crate::store::LOG_KEPT)}</p>
        })}
        <ol class="log" reversed start=count>
            {entries.into_iter().rev().map(|x| {
                let (status_line, res_headers, res_body, class) = match &x.result {
                    Ok(c) => (
                        format!("HTTP {}", c.status),
                        c.headers.iter().map(|(k, v)| format!("{k}: {v}\n")).collect::<String>(),
                        c.body.clone(),
                        if c.is_success() { "ok" } else { "bad" },
                    ),
                    Err(f) => (f.title().to_string(), String::new(), f.headline(), "bad"),
                };
                let request = x.request.clone();
                let url = {
                    let request = request.clone();
                    move || { let reveal = store.reveal.get(); store.shown(&shown_url(&store.shown_request(&request), reveal)) }
                };
                let req_shown = move || { let reveal = store.reveal.get(); store.shown(&shown_message(&store.shown_request(&request), reveal)) };
                let response = format!("{res_headers}\n");
                let res_shown = move || {
                    if store.reveal.get() {
                        format!("{response}{res_body}")
                    } else {
                        store.shown(&format!("{}{}", mask_credential_headers(&response), mask_json_text(&res_body)))
                    }
                };
                view! {
                    <li class=format!("entry {class}")>
                        <p class="entry-line">
                            <time>{x.at.clone()}</time>" "
                            <strong>{x.request.method.as_str()}</strong>" "
                            <span class="url">{url}</span>" → "
                            <strong class="status">{status_line}</strong>
                            <span class="muted">{format!(" ({} ms)", x.ms)}</span>
                            {x.via.clone().map(|v| view! { <span class="via">{format!(" via the relay at {v} (sent without Origin)")}</span> })}
                        </p>
                        <details>
                            <summary>"Request"</summary>
                            <pre tabindex="0">{req_shown}</pre>
                        </details>
                        <details open>
                            <summary>"Response"</summary>
                            <pre tabindex="0">{res_shown}</pre>
                        </details>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// Response header lines with the values of credential headers (`Set-Cookie`, ...) masked.
fn mask_credential_headers(lines: &str) -> String {
    lines
        .lines()
        .map(|l| match l.split_once(": ") {
            Some((name, value)) if protocol::mask::is_credential_name(name) => {
                format!("{name}: {}\n", protocol::mask::mask(value))
            }
            _ => format!("{l}\n"),
        })
        .collect()
}
