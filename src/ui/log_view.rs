//! The full request/response log of a step: method, URL, headers, bodies, status, timing.

use leptos::prelude::*;
use protocol::request::{mask_json_body, mask_secrets};

use crate::browser::http::Exchange;

/// The log entries of one step, newest first.
#[component]
pub fn LogView(entries: Vec<Exchange>, reveal: ReadSignal<bool>) -> impl IntoView {
    if entries.is_empty() {
        return view! { <p class="muted log-empty">"Nothing sent yet."</p> }.into_any();
    }
    view! {
        <ol class="log" reversed>
            {entries.into_iter().rev().map(|x| {
                let secrets = x.request.secret_values();
                let show = move |text: String| if reveal.get() { text } else { mask_secrets(&text, &secrets) };
                let req_headers: String = x.request.headers.iter().map(|h| format!("{}: {}\n", h.name, h.value)).collect();
                let req_body = x.request.body().unwrap_or_default();
                let (status_line, res_headers, res_body, class) = match &x.result {
                    Ok(c) => (
                        format!("HTTP {}", c.status),
                        c.headers.iter().map(|(k, v)| format!("{k}: {v}\n")).collect::<String>(),
                        c.body.clone(),
                        if c.is_success() { "ok" } else { "bad" },
                    ),
                    Err(f) => (f.title().to_string(), String::new(), f.explain(), "bad"),
                };
                let req_text = format!("{req_headers}\n{req_body}");
                let req_shown = { let show = show.clone(); move || show(req_text.clone()) };
                let body_shown = {
                    let res_body = res_body.clone();
                    move || if reveal.get() { res_body.clone() } else { mask_json_body(&res_body) }
                };
                let url = x.request.full_url();
                view! {
                    <li class=format!("entry {class}")>
                        <p class="entry-line">
                            <time>{x.at.clone()}</time>" "
                            <strong>{x.request.method.as_str()}</strong>" "
                            <span class="url">{move || show(url.clone())}</span>" → "
                            <strong class="status">{status_line}</strong>
                            <span class="muted">{format!(" ({:.0} ms)", x.ms)}</span>
                            {x.via.clone().map(|v| view! { <span class="via">{format!(" via the relay at {v} (sent without Origin)")}</span> })}
                        </p>
                        <details>
                            <summary>"Request"</summary>
                            <pre>{req_shown}</pre>
                        </details>
                        <details open>
                            <summary>"Response"</summary>
                            <pre>{res_headers}"\n"{body_shown}</pre>
                        </details>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}
