//! The Flow Steps tab of any flow, drawn from its declaration: a progress rail that stays in
//! view, "Run next step" and "Reset steps", then each phase with its step cards.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::flow::{Phase, StepStatus};

use super::notice::Notice;
use super::step_card::{step_dom_id, StepCard};
use crate::browser;
use crate::store::{FlowSlot, Store};
use crate::ui::lazy_view::Lazy;

/// The steps of a flow.
#[component]
pub fn FlowView(flow: FlowSlot) -> impl IntoView {
    let slot = flow;
    let store = expect_context::<Store>();
    let last_run = RwSignal::new(None::<&'static str>);
    let next = move || {
        slot.statuses.with(|all| {
            all.iter()
                .find(|(_, s)| {
                    matches!(
                        s,
                        StepStatus::Ready | StepStatus::Stale { .. } | StepStatus::Failed
                    )
                })
                .map(|(s, _)| *s)
        })
    };
    let run_next = move |_| {
        if let Some(step) = next() {
            last_run.set(Some(step.id));
            browser::scroll_to(&step_dom_id(slot, step));
            crate::flows::start(store, slot, step);
        }
    };
    // The toolbar and the first phase are built at once, so step 1 is usable at the first
    // paint; after that paint, each other phase is built in a task of its own, then the run
    // files, the lineage and the rail, so no one task keeps the page from answering input.
    let parts: Vec<RwSignal<bool>> = (0..=slot.def.phases.len())
        .map(|part| RwSignal::new(part == 0))
        .collect();
    let rest = parts[slot.def.phases.len()];
    let shown = parts.clone();
    request_animation_frame(move || build_rest(parts, 1));
    view! {
        // The steps come first in the page's order (the next action is a few Tab presses away);
        // the progress rail follows, shown beside them (above them on narrow screens).
        <div class="flow-layout">
            <div class="flow-main">
                <Notice flow=slot/>
                <div class="toolbar">
                    <button type="button" class="primary" on:click=run_next disabled=move || next().is_none()>
                        {move || match next() { Some(s) => format!("Run next step: {}", s.action_label), None => "All steps done".into() }}
                    </button>
                    <button type="button" on:click=move |_| { last_run.set(None); slot.reset_steps(); }>"Reset steps"</button>
                    <button type="button" on:click=move |_| {
                        let id = format!("{}-lineage", slot.def.id);
                        browser::scroll_to(&format!("{id}-section"));
                        browser::focus(&id);
                    }>"Token lineage"</button>
                    {move || rest.get().then(|| view! { <Lazy load=move || crate::ui::parts::run_files(slot) what="the run files menu"/> })}
                </div>
                {slot.def.phases.iter().enumerate().map(|(i, phase)| {
                    let shown = shown[i];
                    view! { {move || shown.get().then(|| view! { <PhaseView flow=slot phase=phase index=i last_run=last_run/> })} }
                }).collect_view()}
                {move || rest.get().then(|| view! { <Lazy load=move || crate::ui::parts::lineage(slot) what="the token lineage"/> })}
            </div>
            {move || rest.get().then(|| view! { <Rail flow=slot/> })}
        </div>
    }
}

/// Shows part `next` of the flow view in a task of its own, then the parts after it (one per
/// phase, the last one the run files, lineage and rail).
fn build_rest(parts: Vec<RwSignal<bool>>, next: usize) {
    set_timeout(
        move || {
            // A signal is gone when the view is (another flow or tab was opened): then stop.
            let shown = parts.get(next).is_some_and(|p| p.try_set(true).is_none());
            if shown && next + 1 < parts.len() {
                build_rest(parts, next + 1);
            }
        },
        Duration::ZERO,
    );
}

/// What the run files menu says: what is on its way, or what failed and why.
#[derive(Clone)]
enum Said {
    /// On its way.
    Working(&'static str),
    /// What did not happen, and why.
    Failed(&'static str, crate::error::ActionError),
}

/// Export the run (JSON, Markdown) and open an exported one.
#[component]
pub fn RunFiles(flow: FlowSlot) -> impl IntoView {
    let slot = flow;
    let store = expect_context::<Store>();
    let include = RwSignal::new(false);
    // What is on its way (the report is made by a part of the app loaded at its first use),
    // or why an export failed.
    let said = RwSignal::new(None::<Said>);
    let save = move |markdown: bool| {
        let include = include.get_untracked();
        said.set(Some(Said::Working("Making the file…")));
        spawn_local(async move {
            let outcome = crate::flows::export::download(store, slot, include, markdown).await;
            said.set(outcome.err().map(|e| Said::Failed("No file was made", e)));
        });
    };
    let input_id = format!("{}-open-run", slot.def.id);
    view! {
        <details class="run-files">
            <summary>"Export or open a run"</summary>
            <div class="menu">
                <label class="toggle"><input type="checkbox" name="export-secrets" prop:checked=include
                    on:change=move |ev| include.set(event_target_checked(&ev))/>
                    " Include keys, secrets and token signatures (the file can then be used against your servers)"</label>
                <div class="row">
                    <button type="button" class="small" on:click=move |_| save(false)>"Export as JSON"</button>
                    <button type="button" class="small" on:click=move |_| save(true)>"Export as Markdown"</button>
                </div>
                <label for=input_id.clone()>"Open an exported run (JSON), read-only: "</label>
                <input type="file" id=input_id name="open-run" accept=".json,application/json" on:change=move |ev| {
                    let input: web_sys::HtmlInputElement = event_target(&ev);
                    if let Some(file) = input.files().and_then(|f| f.get(0)) {
                        // No "Opening…" line: the run replaces this view at once, and a line set
                        // now would be drawn after this view is gone.
                        said.set(None);
                        spawn_local(async move {
                            let opened = crate::flows::export::open(store, file).await;
                            if let Err(e) = opened {
                                said.set(Some(Said::Failed("No run was opened", e)));
                            }
                        });
                    }
                    input.set_value("");
                }/>
                {move || said.get().map(|m| match m {
                    Said::Working(t) => view! { <p class="help" role="status">{t}</p> }.into_any(),
                    Said::Failed(what, e) => view! { <p class="field-error" role="alert">{format!("{what}: {e}.")}</p> }.into_any(),
                })}
            </div>
        </details>
    }
}

#[component]
fn PhaseView(
    flow: FlowSlot,
    phase: &'static Phase,
    index: usize,
    last_run: RwSignal<Option<&'static str>>,
) -> impl IntoView {
    let slot = flow;
    // The steps of this phase that apply: a new list only when the configuration changes
    // which apply (not at every run), so the cards and their open tabs stay.
    let visible = Memo::new(move |_| {
        slot.statuses.with(|all| {
            phase
                .steps
                .iter()
                .filter(|s| all.iter().any(|(v, _)| v.id == s.id))
                .map(|s| s.id)
                .collect::<Vec<_>>()
        })
    });
    let heading = format!("{}-phase-{}", slot.def.id, index + 1);
    let store = expect_context::<Store>();
    view! {
        <Show when=move || visible.with(|v| !v.is_empty())>
            <section class="phase" aria-labelledby=heading.clone()>
                <h2 id=heading.clone()>{phase.title}</h2>
                <p class="phase-desc">{move || store.described(slot, phase.description)}</p>
                {move || visible.get().into_iter().filter_map(|id| {
                    let step = slot.def.step(id)?;
                    let number = Signal::derive(move || {
                        slot.statuses.with(|all| all.iter().position(|(s, _)| s.id == id).map_or(0, |i| i + 1))
                    });
                    Some(view! { <StepCard flow=slot step=step number=number last_run=last_run/> })
                }).collect_view()}
            </section>
        </Show>
    }
}

/// Phases and steps with their status; a step's entry jumps to its card.
#[component]
fn Rail(flow: FlowSlot) -> impl IntoView {
    let slot = flow;
    view! {
        <nav class="rail" aria-label="Progress">
            <ol>
                {move || slot.statuses.get().into_iter().enumerate().map(|(i, (step, status))| {
                    let id = step_dom_id(slot, step);
                    let name = status.name();
                    view! {
                        <li class=format!("rail-step {name}")>
                            <button type="button" class="link" on:click=move |_| {
                                browser::scroll_to(&id);
                                browser::focus(&format!("{id}-title"));
                            }>
                                <span class="rail-num" aria-hidden="true">{i + 1}</span>
                                <span class="rail-title">{step.title}</span>
                                <span class="sr-only">{format!(" ({name})")}</span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </nav>
    }
}
