//! The protocol crate's check results, by severity, each naming its spec section.

use leptos::prelude::*;
use protocol::checks::Finding;

/// A list of findings.
#[component]
pub fn Findings(findings: Vec<Finding>) -> impl IntoView {
    view! {
        <ul class="findings">
            {findings.into_iter().map(|f| {
                let class = f.severity.name();
                view! {
                    <li class=format!("finding {class}") data-check=f.check.clone()>
                        <span class="glyph" aria-hidden="true">{f.severity.glyph()}</span>
                        <span class="text"><span class="sr-only">{format!("{class}: ")}</span>
                            {f.message}
                            {(!f.spec.is_empty()).then(|| view! { <span class="spec">{format!(" — {}", f.spec)}</span> })}</span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
