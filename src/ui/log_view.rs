//! The full request/response log of a step: method, URL, headers, bodies, status, timing.

use leptos::prelude::*;
use protocol::request::{mask_json_body, mask_secrets};

use crate::browser::http::Exchange;
use crate::store::Store;

/// The log entries of one step, newest first.
#[component]
pub fn LogView(entries: Vec<Exchange>) -> impl IntoView {
    let store = expect_context::<Store>();
    let reveal = store.reveal;
    if entries.is_empty() {
        return view! { <p class="muted log-empty">"Nothing sent yet."</p> }.into_any();
    }
    view! {
        <ol class="log" reversed>
            {entries.into_iter().rev().map(|x| {
                let secrets = x.request.secret_values();
                let show = move |text: String| if reveal.get() { text } else { mask_secrets(&text, &secrets) };
                let req_headers: String = x.request.headers.iter().map(|h| format!("{}: {}\n", h.name, h.value)).collect();
                let req_text = format!("{req_headers}\n{}", x.request.body().unwrap_or_default());
                let (status_line, res_headers, res_body, class) = match &x.result {
                    Ok(c) => (
                        format!("HTTP {}", c.status),
                        c.headers.iter().map(|(k, v)| format!("{k}: {v}\n")).collect::<String>(),
                        c.body.clone(),
                        if c.is_success() { "ok" } else { "bad" },
                    ),
                    Err(f) => (f.title().to_string(), String::new(), f.headline(), "bad"),
                };
                let req_shown = { let show = show.clone(); move || show(req_text.clone()) };
                let body_shown = move || if reveal.get() { res_body.clone() } else { mask_json_body(&res_body) };
                let url = x.request.full_url();
                view! {
                    <li class=format!("entry {class}")>
                        <p class="entry-line">
                            <time>{x.at.clone()}</time>" "
                            <strong>{x.request.method.as_str()}</strong>" "
                            <span class="url">{move || show(url.clone())}</span>" → "
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
                            <pre tabindex="0">{res_headers}"\n"{body_shown}</pre>
                        </details>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}
