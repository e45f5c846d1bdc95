//! An exported run, opened read-only: its steps with their requests, responses, checks and
//! decoded tokens, exactly as exported (redacted values stay redacted).

use leptos::prelude::*;
use protocol::export::RunExport;

use super::findings::Findings;
use crate::store::Store;

/// The imported run, or why the file could not be read.
#[component]
pub fn ImportedRun(run: Result<RunExport, String>) -> impl IntoView {
    let store = expect_context::<Store>();
    let close = move |_| store.imported.set(None);
    crate::browser::focus_soon("imported-title");
    match run {
        Err(e) => view! {
            <section class="imported" aria-labelledby="imported-title">
                <h2 id="imported-title" tabindex="-1">"This file cannot be opened"</h2>
                <p class="field-error">{protocol::text::capitalize(&e) + "."}</p>
                <button type="button" on:click=close>"Back to the flow"</button>
            </section>
        }
        .into_any(),
        Ok(run) => view! {
            <section class="imported" aria-labelledby="imported-title">
                <h2 id="imported-title" tabindex="-1">{format!("Imported run (read-only): {}", run.title)}</h2>
                <p class="help">{format!("Exported {}. Removed: {}.", run.exported_at, run.removed.join("; "))}</p>
                <button type="button" on:click=close>"Close the imported run"</button>
                {run.steps.into_iter().map(|s| view! {
                    <article class="step imported-step">
                        <h3>{format!("Step {}: {}", s.number, s.title)}
                            <span class=format!("pill {}", s.status)>{s.status.clone()}</span></h3>
                        {s.summary.map(|m| view! { <p class="summary">{m}</p> })}
                        {s.exchanges.into_iter().map(|x| {
                            let curl = protocol::curl::render(&x.request, true);
                            view! {
                                <figure class="curl">
                                    <figcaption>{format!("{} — {} ({} ms)", x.request.label, x.at, x.ms)}</figcaption>
                                    <pre tabindex="0"><code>{curl}</code></pre>
                                </figure>
                                {match (x.response, x.error) {
                                    (Some(r), _) => view! {
                                        <p>{format!("HTTP {}", r.status)}</p>
                                        <pre tabindex="0" class="body"><code>{r.body}</code></pre>
                                    }.into_any(),
                                    (None, e) => view! { <p>{format!("No response: {}", e.unwrap_or_default())}</p> }.into_any(),
                                }}
                            }
                        }).collect_view()}
                        {(!s.findings.is_empty()).then(|| view! { <Findings findings=s.findings.clone()/> })}
                        {s.tokens.into_iter().filter_map(|t| t.claims.map(|c| (t.label, c))).map(|(label, claims)| view! {
                            <p class="token-label">{label}</p>
                            <pre tabindex="0" class="claims"><code>{serde_json::to_string_pretty(&claims).unwrap_or_default()}</code></pre>
                        }).collect_view()}
                    </article>
                }).collect_view()}
            </section>
        }
        .into_any(),
    }
}
