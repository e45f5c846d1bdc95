//! A request shown as cURL (or, for the authorize redirect, as the URL the browser opens):
//! masked until secrets are revealed; Copy copies what is shown; Explain names each part.

use leptos::prelude::*;
use protocol::flow::context::Command;

use crate::browser;
use crate::store::Store;

/// One captioned command.
#[component]
pub fn CurlBlock(command: Command) -> impl IntoView {
    let store = expect_context::<Store>();
    let Command {
        caption,
        request,
        url_only,
    } = command;
    let explained = protocol::explain::explain(&request);
    let shown = Signal::derive(move || {
        if url_only {
            protocol::curl::browser_url(&request)
        } else {
            protocol::curl::render(&request, store.reveal.get())
        }
    });
    let copied = RwSignal::new(false);
    let explain = RwSignal::new(false);
    view! {
        <figure class="curl">
            <figcaption>
                <span>{caption}</span>
                <span class="actions">
                    <button type="button" class="small" aria-expanded=move || if explain.get() { "true" } else { "false" }
                        on:click=move |_| explain.update(|e| *e = !*e)>"Explain"</button>
                    <button type="button" class="small"
                        title="Copies what is shown: secrets stay masked until you reveal them"
                        on:click=move |_| { browser::copy_text(&shown.get_untracked()); copied.set(true); }>
                        {move || if copied.get() { "Copied" } else { "Copy" }}
                    </button>
                </span>
            </figcaption>
            <pre tabindex="0" class:wrap=url_only aria-label="Command"><code>{shown}</code></pre>
            <Show when=move || explain.get()>
                <dl class="explain">
                    {explained.clone().into_iter().map(|e| view! {
                        <dt><code>{e.part}</code></dt>
                        <dd>{e.meaning}{(!e.spec.is_empty()).then(|| view! { <span class="spec">{format!(" ({})", e.spec)}</span> })}</dd>
                    }).collect_view()}
                </dl>
            </Show>
        </figure>
    }
}
