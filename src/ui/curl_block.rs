//! A request shown as the cURL sent, or as code in another language to run it again (or, for
//! the authorize redirect, as the URL the browser opens): masked until secrets are revealed;
//! Copy copies what is shown; Explain names each part. Code and explanations come from the
//! part of the app loaded at their first use (`crate::lazy`).

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::codegen::Language;
use protocol::flow::context::Command;

use crate::browser;
use crate::store::Store;
use crate::ui::lazy_view::Lazy;

/// Where a request to the built-in demo can be re-run: its base URL in this page, and the
/// local demo tenant's (`./run`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuiltInTwin {
    /// The built-in demo's base URL (below this page).
    pub built_in: String,
    /// The local demo tenant's base URL.
    pub local: String,
}

/// One captioned command; for the built-in demo, a note that its endpoint lives in this page
/// and the same command against the local demo tenant.
#[component]
pub fn CurlBlock(command: Command, twin: Option<BuiltInTwin>) -> impl IntoView {
    let store = expect_context::<Store>();
    let Command {
        caption,
        request,
        url_only,
    } = command;
    let label = request.label.clone();
    let copied = RwSignal::new(false);
    let explain = RwSignal::new(false);
    let open_explain = move |_| explain.update(|e| *e = !*e);
    // Explain never shows a secret parameter's value; known values in the others are masked.
    let explained = {
        let request = request.clone();
        move || store.shown_request(&request)
    };
    let language = move || {
        (!url_only)
            .then(|| store.code.with(|c| Language::by_id(c)))
            .flatten()
    };
    // Code in another language comes from a part of the app loaded at its first use; a
    // result for a choice no longer current is dropped.
    let code = RwSignal::new(None::<(Language, bool, Result<String, crate::lazy::ChunkError>)>);
    let wanted = move || language().map(|l| (l, store.reveal.get()));
    // Bumped by Retry after a failed load.
    let tries = RwSignal::new(0u32);
    Effect::new({
        let request = request.clone();
        move |_| {
            tries.track();
            let Some((l, reveal)) = wanted() else {
                return;
            };
            let request = store.shown_request(&request);
            spawn_local(async move {
                let made = crate::ui::parts::code(request, l, reveal).await;
                if untrack(wanted) == Some((l, reveal)) {
                    code.set(Some((l, reveal, made)));
                }
            });
        }
    });
    // The code for the current choice, once it has come.
    let arrived = move || {
        let w = wanted()?;
        code.with(|c| match c {
            Some((l, r, made)) if (*l, *r) == w => Some(made.clone()),
            _ => None,
        })
    };
    // Nothing to copy while the code is on its way.
    let pending = move || wanted().is_some() && arrived().is_none();
    let shown = Signal::derive(move || match language() {
        _ if url_only => store.shown(&protocol::curl::browser_url(&request)),
        None => protocol::curl::render(&store.shown_request(&request), store.reveal.get()),
        Some(l) => match arrived() {
            Some(Ok(text)) => text,
            Some(Err(e)) => format!("The {} code could not be made: {e}.", l.label()),
            None => format!("Loading the {} code…", l.label()),
        },
    });
    view! {
        <figure class="curl">
            <figcaption>
                <span>{move || match language() {
                    None => caption.clone(),
                    Some(l) => format!("{}: {}, to run it again", label, l.label()),
                }}</span>
                <span class="actions">
                    {(!url_only).then(|| view! {
                        <select class="small" aria-label="Show the request as" prop:value=move || store.code.get()
                            on:change=move |ev| store.code.set(event_target_value(&ev))>
                            <option value="">"cURL, as sent"</option>
                            {Language::ALL.into_iter().map(|l| view! { <option value=l.id()>{l.label()}</option> }).collect_view()}
                        </select>
                    })}
                    <button type="button" class="small" aria-expanded=move || if explain.get() { "true" } else { "false" }
                        on:click=open_explain>"Explain"</button>
                    <button type="button" class="small" prop:disabled=pending
                        title="Copies what is shown: secrets stay masked until you reveal them"
                        on:click=move |_| { browser::copy_text(&shown.get_untracked()); copied.set(true); }>
                        {move || if copied.get() { "Copied" } else { "Copy" }}
                    </button>
                </span>
            </figcaption>
            <pre tabindex="0" class:wrap=url_only aria-label="Command"><code>{shown}</code></pre>
            {move || matches!(arrived(), Some(Err(_))).then(|| view! {
                <button type="button" class="small" on:click=move |_| { code.set(None); tries.update(|n| *n += 1); }>"Retry"</button>
            })}
            {twin.filter(|_| !url_only).map(|t| {
                let local = Signal::derive(move || shown.get().replace(&t.built_in, &t.local));
                view! {
                    <details class="twin">
                        <summary>"This endpoint lives in this page: run it in a terminal against ./run instead"</summary>
                        <p class="help">"The built-in demo is a service worker in this page, so the command above works only from this browser. The same request against the local demo tenant (start it with ./run). Codes and assertions are bound to the server that issued or expects them: run the steps against ./run's tenant to get ones it accepts."</p>
                        <pre tabindex="0" aria-label="Command for the local demo tenant"><code>{local}</code></pre>
                    </details>
                }
            })}
            <Show when=move || explain.get()>
                {
                    let explained = explained.clone();
                    view! {
                        <dl class="explain">
                            <Lazy load=move || crate::ui::parts::explain(explained()) what="the explanation"/>
                        </dl>
                    }
                }
            </Show>
        </figure>
    }
}
