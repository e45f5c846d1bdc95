//! A step's result: its summary, the diagnosis of a failure, the body of a non-token answer
//! (JSON, or as it came when it could not be read).

use leptos::prelude::*;
use protocol::flow::Step;
use protocol::flows::StepOutcome;

use super::diagnosis::DiagnosisView;
use super::token_view::JsonView;
use crate::store::FlowSlot;

/// The result of a step's last run, already masked for display.
#[component]
pub fn OutcomeView(flow: FlowSlot, step: &'static Step, outcome: StepOutcome) -> impl IntoView {
    let o = outcome;
    view! {
        <div class=if o.ok { "outcome ok" } else { "outcome bad" }>
            <p class="summary">{o.summary.clone()}</p>
            {o.diagnosis.clone().map(|d| view! { <DiagnosisView flow=flow step=step diagnosis=d/> })}
            {o.body.clone().map(|b| view! { <JsonView value=b/> })}
            {o.raw.clone().map(|r| view! {
                <details open class="body raw"><summary>{format!("Response body, as it came ({})", r.content_type)}</summary>
                    <pre tabindex="0">{r.text}</pre></details>
            })}
        </div>
    }
}
