//! A step card, drawn from the step's declaration: header (number, actor, title, status and
//! the main action), then the step's parameters, and its Request, Result, Tokens, Checks and
//! Log as tabs. A finished card folds to a one-line summary once a later step runs.

use leptos::prelude::*;
use protocol::engine::commands;
use protocol::flow::context::Command;
use protocol::flow::{ActorKind, ConfigError, Ctx, Step, StepStatus};

use super::curl_block::{BuiltInTwin, CurlBlock};
use super::fields::FieldInput;
use super::tabs::{panel_id, tab_id, TabList};
use crate::browser;
use crate::store::{FlowSlot, Store};
use crate::ui::lazy_view::Lazy;
use protocol::transport::ServerKind;

/// The id prefix of a step's elements.
pub fn step_dom_id(slot: FlowSlot, step: &Step) -> String {
    format!("{}-{}", slot.def.id, step.id)
}

/// One step of a flow.
#[component]
pub fn StepCard(
    flow: FlowSlot,
    step: &'static Step,
    /// Its 1-based number among the steps that apply.
    number: Signal<usize>,
    /// The step run most recently (cards of earlier finished steps fold).
    last_run: RwSignal<Option<&'static str>>,
) -> impl IntoView {
    let slot = flow;
    let store = expect_context::<Store>();
    let run = slot.run(step.id);
    let prefix = step_dom_id(slot, step);
    let status = Signal::derive(move || slot.status(step.id).unwrap_or(StepStatus::Ready));
    let busy = move || run.with(|r| r.busy);
    let blocked = move || matches!(status.get(), StepStatus::Blocked { .. });
    let user_open = RwSignal::new(None::<bool>);
    let open = move || {
        user_open.get().unwrap_or_else(|| {
            !(status.get() == StepStatus::Done && last_run.get().is_some_and(|id| id != step.id))
        })
    };
    let selected = RwSignal::new("request");
    // After a run: show its result and take the focus there; announce it.
    Effect::new(move |prev: Option<u32>| {
        let n = run.with(|r| r.finished);
        if prev.is_some_and(|p| p != n) {
            selected.set("result");
            user_open.set(None);
            let summary = run
                .with(|r| {
                    r.outcome
                        .as_ref()
                        .map(|o| untrack(|| store.shown(&o.summary)))
                })
                .unwrap_or_default();
            store
                .announce
                .set(format!("Step {}: {summary}", number.get_untracked()));
            browser::focus_soon(&format!("{}-result", step_dom_id(slot, step)));
        }
        n
    });
    let text = move || {
        let st = status.get();
        slot.config.with(|c| {
            slot.state.with(|s| {
                let ctx = Ctx::preview(slot.def, step, c, s, 0);
                st.describe(
                    |o| ctx.origin(o),
                    |id| match slot.def.number(c, id) {
                        Some(n) => format!("step {n}"),
                        None => "an earlier step".into(),
                    },
                )
            })
        })
    };
    let previews = Memo::new(move |_| {
        slot.config.with(|c| {
            slot.state
                .with(|s| commands(&Ctx::preview(slot.def, step, c, s, browser::now_secs())))
        })
    });
    // The requests as sent replace their previews while the run is current.
    let shown = move || -> Result<Vec<Command>, ConfigError> {
        let sent = run.with(|r| r.sent.clone());
        if !sent.is_empty() && status.get() == StepStatus::Done {
            return Ok(sent.into_iter().map(Command::as_sent).collect());
        }
        previews.get()
    };
    let relayed = move || slot.config.with(|c| c.server(step.target.server).relay);
    let env = store.env.get_value();
    let kind = {
        let env = env.clone();
        move || {
            slot.config
                .with(|c| env.server_kind(c.server(step.target.server)))
        }
    };
    let answered_by = {
        let kind = kind.clone();
        move || match kind() {
            ServerKind::BuiltInDemo => Some(" · answered by the built-in demo, in this page"),
            ServerKind::LocalDemo => Some(" · answered by the local demo tenant"),
            _ => None,
        }
    };
    let twin = move || {
        (kind() == ServerKind::BuiltInDemo).then(|| BuiltInTwin {
            built_in: env.built_in_demo.clone(),
            local: env.local_demo.clone(),
        })
    };
    let endpoint = move || match previews.get() {
        Ok(cmds) => cmds
            .last()
            .map(|c| format!("{} {}", c.request.method.as_str(), c.request.url))
            .unwrap_or_default(),
        Err(e) => e.to_string(),
    };
    let on_send = move |_| {
        last_run.set(Some(step.id));
        crate::flows::start(store, slot, step);
    };
    let badge = match step.actor.kind {
        ActorKind::Client => "badge client",
        ActorKind::Agent => "badge agent",
        ActorKind::Service => "badge service",
    };
    let counts = move |f: fn(&protocol::flows::StepOutcome) -> usize| {
        run.with(|r| r.outcome.as_ref().map_or(0, f))
    };
    let tabs = vec![
        ("request", "Request".to_string()),
        ("result", "Result".to_string()),
        ("tokens", "Tokens".to_string()),
        ("checks", "Checks".to_string()),
        ("log", "Log".to_string()),
    ];
    let p = prefix.clone();
    let pid = move |k: &str| panel_id(&p, k);
    let p2 = prefix.clone();
    let tid = move |k: &str| tab_id(&p2, k);
    view! {
        <article class="step" id=prefix.clone() aria-labelledby=format!("{prefix}-title")
            data-step=move || number.get() data-step-id=step.id data-status=move || status.get().name()
            data-runs=move || run.with(|r| r.finished)>
            <header class="step-head">
                <span class="step-num" aria-hidden="true">{move || number.get()}</span>
                <span class=badge>{step.actor.label}</span>
                {step.optional.then(|| view! { <span class="badge optional">"Optional"</span> })}
                <h3 id=format!("{prefix}-title") tabindex="-1"><span class="sr-only">{move || format!("Step {}: ", number.get())}</span>{step.title}</h3>
                <span class=move || format!("pill {}", status.get().name())>{move || status.get().name()}</span>
                <button type="button" class="primary send" disabled=move || busy() || blocked()
                    aria-busy=move || if busy() { "true" } else { "false" } on:click=on_send>
                    {move || if busy() { view! { <span class="spinner" aria-hidden="true"></span>"Sending…" }.into_any() } else { step.action_label.into_any() }}
                </button>
                <button type="button" class="fold" aria-expanded=move || if open() { "true" } else { "false" }
                    aria-controls=format!("{prefix}-body") on:click=move |_| user_open.set(Some(!open()))>
                    <span class="sr-only">{move || if open() { "Fold step" } else { "Open step" }}</span>
                    <span aria-hidden="true">{move || if open() { "▾" } else { "▸" }}</span>
                </button>
            </header>
            <Show when=move || !open()>
                <p class="folded-summary">{move || run.with(|r| r.outcome.as_ref().map(|o| store.shown(&o.summary))).unwrap_or_else(text)}</p>
            </Show>
            <div class="step-body" id=format!("{prefix}-body") hidden=move || !open()>
                <p class="step-desc">{move || store.described(slot, step.description)}</p>
                <p class=move || format!("step-status {}", status.get().name())>{text}</p>
                {step.notes.iter().map(|n| view! { <p class="note">{*n}</p> }).collect_view()}
                <p class="endpoint"><code>{endpoint}</code>
                    {move || relayed().then(|| view! { <span class="via">" · via the relay"</span> })}
                    {move || answered_by().map(|a| view! { <span class="via">{a}</span> })}</p>
                {(!step.fields.is_empty()).then(|| view! {
                    <details class="params" open=move || run.with(|r| r.finished == 0)>
                        <summary>"Configuration"</summary>
                        <div class="step-fields">
                            {step.fields.iter().map(|f| view! { <FieldInput flow=slot field=*f context="card"/> }).collect_view()}
                        </div>
                    </details>
                })}
                {step.is_sign_in().then(|| view! { <UseExisting flow=slot step=step/> })}
                <TabList id=prefix.clone() label="Step details" tabs=tabs selected=selected class="card-tabs"/>
                <div role="tabpanel" id=pid("request") aria-labelledby=tid("request") hidden=move || selected.get() != "request">
                    <h4 class="request-heading">{move || {
                        let many = shown().is_ok_and(|c| c.len() > 1);
                        match store.code.with(|c| protocol::codegen::Language::by_id(c)) {
                            None if many => "cURL Commands".to_string(),
                            None => "cURL Command".to_string(),
                            Some(l) => format!("{} code", l.label()),
                        }
                    }}</h4>
                    {move || match shown() {
                        Ok(cmds) => {
                            let twin = twin();
                            cmds.into_iter().map(|c| view! { <CurlBlock command=c twin=twin.clone()/> }).collect_view().into_any()
                        }
                        Err(e) => view! { <p class="field-error">{e.to_string()}</p> }.into_any(),
                    }}
                </div>
                <div role="tabpanel" id=pid("result") aria-labelledby=tid("result") hidden=move || selected.get() != "result">
                    <h4 id=format!("{prefix}-result") tabindex="-1" class="result-heading">"Result"</h4>
                    {move || match run.with(|r| r.outcome.as_ref().map(|o| store.shown_outcome(o))) {
                        None => view! { <p class="muted">"Not run yet."</p> }.into_any(),
                        Some(o) => view! { <Lazy load=move || crate::ui::parts::outcome(slot, step, o.clone()) what="the result"/> }.into_any(),
                    }}
                </div>
                <div role="tabpanel" id=pid("tokens") aria-labelledby=tid("tokens") hidden=move || selected.get() != "tokens">
                    {move || {
                        let tokens = run.with(|r| r.outcome.as_ref().map(|o| store.shown_outcome(o).tokens).unwrap_or_default());
                        if tokens.is_empty() {
                            view! { <p class="muted">"No token yet."</p> }.into_any()
                        } else {
                            view! { <Lazy load=move || crate::ui::parts::tokens(tokens.clone()) what="the tokens"/> }.into_any()
                        }
                    }}
                </div>
                <div role="tabpanel" id=pid("checks") aria-labelledby=tid("checks") hidden=move || selected.get() != "checks">
                    {move || if counts(|o| o.findings.len()) == 0 {
                        view! { <p class="muted">"No checks yet."</p> }.into_any()
                    } else {
                        let findings = run.with(|r| r.outcome.as_ref().map(|o| store.shown_outcome(o).findings).unwrap_or_default());
                        view! { <Lazy load=move || crate::ui::parts::findings(findings.clone()) what="the checks"/> }.into_any()
                    }}
                </div>
                <div role="tabpanel" id=pid("log") aria-labelledby=tid("log") hidden=move || selected.get() != "log">
                    {move || {
                        let (entries, dropped) = run.with(|r| (r.log.clone(), r.dropped));
                        if entries.is_empty() {
                            view! { <p class="muted log-empty">"Nothing sent yet."</p> }.into_any()
                        } else {
                            view! { <Lazy load=move || crate::ui::parts::log(entries.clone(), dropped) what="the log"/> }.into_any()
                        }
                    }}
                </div>
            </div>
        </article>
    }
}

/// "Use Existing": tokens pasted instead of signing in.
#[component]
fn UseExisting(flow: FlowSlot, step: &'static Step) -> impl IntoView {
    let slot = flow;
    let open = RwSignal::new(false);
    let id_token = RwSignal::new(String::new());
    let access_token = RwSignal::new(String::new());
    let base = step_dom_id(slot, step);
    view! {
        <div class="use-existing">
            <button type="button" class="small" aria-expanded=move || if open.get() { "true" } else { "false" }
                on:click=move |_| open.update(|o| *o = !*o)>"Use Existing"</button>
            <Show when=move || open.get()>
                <div class="paste">
                    <label for=format!("{base}-paste-id")>"ID token"</label>
                    <textarea id=format!("{base}-paste-id") rows="3" spellcheck="false" prop:value=id_token
                        on:input=move |ev| id_token.set(event_target_value(&ev))></textarea>
                    <label for=format!("{base}-paste-at")>"Access token"</label>
                    <textarea id=format!("{base}-paste-at") rows="3" spellcheck="false" prop:value=access_token
                        on:input=move |ev| access_token.set(event_target_value(&ev))></textarea>
                    <button type="button" on:click=move |_| {
                        let o = protocol::flows::signin::use_existing(&id_token.get_untracked(), &access_token.get_untracked(), browser::now_secs());
                        crate::flows::finish(slot, step, protocol::engine::Ran { outcome: o, ..Default::default() });
                    }>"Use these tokens"</button>
                </div>
            </Show>
        </div>
    }
}
