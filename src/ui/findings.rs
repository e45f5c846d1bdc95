//! The protocol crate's check results, by severity.

use leptos::prelude::*;
use protocol::checks::{Finding, Severity};

fn icon(s: Severity) -> (&'static str, &'static str) {
    match s {
        Severity::Pass => ("✓", "pass"),
        Severity::Info => ("ℹ", "info"),
        Severity::Warning => ("⚠", "warning"),
        Severity::Error => ("✖", "error"),
    }
}

/// A list of findings.
#[component]
pub fn Findings(findings: Vec<Finding>) -> impl IntoView {
    if findings.is_empty() {
        return ().into_any();
    }
    view! {
        <ul class="findings" aria-label="Checks">
            {findings.into_iter().map(|f| {
                let (glyph, class) = icon(f.severity);
                view! {
                    <li class=format!("finding {class}") data-check=f.check.clone()>
                        <span class="glyph" aria-hidden="true">{glyph}</span>
                        <span class="sr-only">{format!("{class}: ")}</span>
                        {f.message}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
