//! An exported run, opened read-only: its steps with their requests, responses, checks and
//! decoded tokens, exactly as exported (redacted values stay redacted). Every value from the
//! file is text in the page (Leptos escapes it); nothing in it can become markup or run.

use leptos::prelude::*;
use protocol::export::{ExchangeRecord, RunExport, StepRecord};

use super::findings::Findings;
use crate::store::Store;

/// A run file's text, read and shown; or why it cannot be opened.
#[component]
pub fn ImportedRun(
    /// The file's text.
    file: String,
    /// Why it is shown, when the page opened it by itself (after a reload for a new version).
    why: Option<String>,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let close = move |_| store.imported.set(None);
    crate::browser::focus_soon("imported-title");
    match protocol::export::import(&file) {
        Err(e) => view! {
            <section class="imported" aria-labelledby="imported-title">
                <h2 id="imported-title" tabindex="-1">"This file cannot be opened"</h2>
                <p class="field-error">{protocol::text::capitalize(&e.to_string()) + "."}</p>
                <button type="button" on:click=close>"Back to the flow"</button>
            </section>
        }
        .into_any(),
        Ok(run) => view! {
            <section class="imported" aria-labelledby="imported-title">
                <Head run=&run/>
                {why.map(|w| view! { <p class="notice" role="status">{w}</p> })}
                <button type="button" on:click=close>"Close the imported run"</button>
                {run.steps.into_iter().map(|s| view! { <ImportedStep step=s/> }).collect_view()}
            </section>
        }
        .into_any(),
    }
}

#[component]
fn Head<'a>(run: &'a RunExport) -> impl IntoView {
    view! {
        <h2 id="imported-title" tabindex="-1">{format!("Imported run (read-only): {}", run.title)}</h2>
        <p class="help">{format!("Exported {}. Removed: {}.", run.exported_at, run.removed.join("; "))}</p>
    }
}

#[component]
fn ImportedStep(step: StepRecord) -> impl IntoView {
    let s = step;
    view! {
        <article class="step imported-step">
            <h3>{format!("Step {}: {} ", s.number, s.title)}<span class=format!("pill {}", s.status)>{s.status.clone()}</span></h3>
            {s.summary.map(|summary| view! { <p class="summary">{summary}</p> })}
            {s.exchanges.into_iter().map(|x| view! { <Exchange x=x/> }).collect_view()}
            {(!s.findings.is_empty()).then(|| view! { <Findings findings=s.findings/> })}
            {s.tokens.into_iter().filter_map(|t| {
                let claims = serde_json::to_string_pretty(t.claims.as_ref()?).unwrap_or_default();
                Some(view! {
                    <p class="token-label">{t.label}</p>
                    <pre tabindex="0" class="claims"><code>{claims}</code></pre>
                })
            }).collect_view()}
        </article>
    }
}

#[component]
fn Exchange(x: ExchangeRecord) -> impl IntoView {
    view! {
        <figure class="curl">
            <figcaption>{format!("{} — {} ({} ms)", x.request.label, x.at, x.ms)}</figcaption>
            // Exported requests are redacted already: shown as they are.
            <pre tabindex="0"><code>{protocol::curl::render(&x.request, true)}</code></pre>
        </figure>
        {match x.response {
            Some(r) => view! {
                <p>{format!("HTTP {}", r.status)}</p>
                <pre tabindex="0" class="body"><code>{r.body}</code></pre>
            }.into_any(),
            None => view! { <p>{format!("No response: {}", x.error.unwrap_or_default())}</p> }.into_any(),
        }}
    }
}
