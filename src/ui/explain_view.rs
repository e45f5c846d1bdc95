//! "Explain" for a request: each part, what it is, and the spec section that asks for it.

use leptos::prelude::*;
use protocol::request::HttpRequest;

/// The parts of `request` (already masked for display), as a description list's items.
#[component]
pub fn ExplainView(request: HttpRequest) -> impl IntoView {
    protocol::explain::explain(&request)
        .into_iter()
        .map(|e| {
            view! {
                <dt><code>{e.part}</code></dt>
                <dd>{e.meaning}{(!e.spec.is_empty()).then(|| view! { <span class="spec">{format!(" ({})", e.spec)}</span> })}</dd>
            }
        })
        .collect_view()
}
