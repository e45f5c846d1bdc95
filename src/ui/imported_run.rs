//! An exported run, opened read-only: its steps with their requests, responses, checks and
//! decoded tokens, exactly as exported (redacted values stay redacted).

use leptos::prelude::*;

use crate::store::Store;

/// The imported run, or why the file could not be read.
#[component]
pub fn ImportedRun(run: Result<(String, String), String>) -> impl IntoView {
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
        // Made by the extras module from the file, every value escaped (`crates/extras`).
        Ok((head, steps)) => view! {
            <section class="imported" aria-labelledby="imported-title">
                <div inner_html=head></div>
                <button type="button" on:click=close>"Close the imported run"</button>
                <div inner_html=steps></div>
            </section>
        }
        .into_any(),
    }
}
