//! A step card: number, actor badge, title, description, configuration, the exact cURL,
//! Send with progress, the outcome (summary, checks, decoded tokens) and "view log".

use leptos::prelude::*;
use protocol::flow::StepStatus;
use protocol::request::HttpRequest;

use super::curl_block::CurlBlock;
use super::findings::Findings;
use super::log_view::LogView;
use super::token_view::TokenInspector;
use crate::store::{StepRun, StepState, Store};

/// A command shown on a card.
#[derive(Clone, Debug, PartialEq)]
pub struct Command {
    /// Caption ("2. Exchange authorization code for tokens").
    pub caption: String,
    /// The request.
    pub request: HttpRequest,
    /// Show as a browser URL, not cURL.
    pub url_only: bool,
}

/// How to start the relay for this server and page, and a switch to use it.
#[component]
fn RelayAdvice(command: Signal<String>, enable: Callback<()>) -> impl IntoView {
    let store = expect_context::<Store>();
    view! {
        <div class="relay-advice">
            <p>"Start the relay on your machine (it prints a key):"</p>
            <pre tabindex="0" class="wrap"><code>{command}</code></pre>
            <button type="button" class="small" on:click=move |_| {
                enable.run(());
                store.tab.set(crate::store::Tab::Configuration);
            }>"Send this server's requests via the relay"</button>
        </div>
    }
}

/// What a card needs to offer the relay: the command to start it, and a switch.
#[derive(Clone, Copy)]
pub struct RelayHooks {
    /// The command that starts the relay.
    pub command: Signal<String>,
    /// Turns the relay on for this flow's servers.
    pub enable: Callback<()>,
}

/// One step of a flow.
#[component]
pub fn StepCard(
    /// 1-based step number.
    number: usize,
    /// The step's status and its description.
    state: Signal<StepState>,
    /// The step's runs.
    run: RwSignal<StepRun>,
    /// How to offer the relay when a server refuses the browser.
    relay: RelayHooks,
    actor: &'static str,
    #[prop(optional)] optional: bool,
    title: &'static str,
    description: &'static str,
    commands: Signal<Vec<Command>>,
    send_label: &'static str,
    on_send: Callback<()>,
    children: Children,
) -> impl IntoView {
    let (reveal, set_reveal) = signal(false);
    let (log_open, set_log_open) = signal(false);
    let busy = move || run.with(|r| r.busy);
    let blocked = move || matches!(state.get().status, StepStatus::Blocked { .. });
    let heading_id = format!("step-{number}-title");
    let labelled_by = heading_id.clone();
    let log_id = format!("step-{number}-log");
    let actor_class = if actor == "CLIENT APP" {
        "badge client"
    } else {
        "badge agent"
    };

    // Commands as sent replace their previews once the step has run.
    let shown = move || {
        let mut cmds = commands.get();
        run.with(|r| {
            for x in &r.log {
                if let Some(c) = cmds.iter_mut().find(|c| c.request.label == x.request.label) {
                    c.request = x.request.clone();
                    if !c.caption.ends_with("(as sent)") {
                        c.caption.push_str(" (as sent)");
                    }
                }
            }
        });
        cmds
    };

    view! {
        <article class="step" aria-labelledby=labelled_by data-step=number
            data-status=move || state.get().status.name() data-runs=move || run.with(|r| r.finished)>
            <header class="step-head">
                <span class="step-num" aria-hidden="true">{number}</span>
                <span class=actor_class>{actor}</span>
                {optional.then(|| view! { <span class="badge optional">"Optional"</span> })}
                <h3 id=heading_id>{title}</h3>
            </header>
            <p class="step-desc">{description}</p>
            <p class=move || format!("step-status {}", state.get().status.name()) role="status">
                {move || state.get().text}
            </p>
            <section class="step-config" aria-label="Configuration">
                <h4>"Configuration"</h4>
                {children()}
            </section>
            <section class="step-curl" aria-label="cURL">
                <div class="row">
                    <h4>{move || if shown().len() > 1 { "cURL Commands" } else { "cURL Command" }}</h4>
                    <label class="toggle">
                        <input type="checkbox" prop:checked=reveal on:change=move |ev| set_reveal.set(event_target_checked(&ev))/>
                        " Reveal secrets"
                    </label>
                </div>
                {move || shown().into_iter().map(|c| view! {
                    <CurlBlock caption=c.caption request=c.request url_only=c.url_only reveal=reveal/>
                }).collect_view()}
            </section>
            <div class="actions">
                <button type="button" class="primary send" disabled=move || busy() || blocked()
                    aria-busy=move || if busy() { "true" } else { "false" }
                    on:click=move |_| on_send.run(())>
                    {move || if busy() { view! { <span class="spinner" aria-hidden="true"></span>"Sending…" }.into_any() } else { send_label.into_any() }}
                </button>
            </div>
            {move || run.with(|r| r.outcome.clone()).map(|o| {
                let class = if o.ok { "outcome ok" } else { "outcome bad" };
                view! {
                    <section class=class aria-live="polite" aria-label="Result">
                        <p class="summary">{o.summary.clone()}</p>
                        {o.suggest_relay.then(|| view! { <RelayAdvice command=relay.command enable=relay.enable/> })}
                        <Findings findings=o.findings.clone()/>
                        {o.tokens.clone().into_iter().map(|t| view! { <TokenInspector token=t reveal=reveal/> }).collect_view()}
                        {o.body.clone().map(|b| {
                            let secret = o.secret_body;
                            let shown = move || {
                                let v = if secret && !reveal.get() { protocol::request::mask_all_values(&b) } else { b.clone() };
                                serde_json::to_string_pretty(&v).unwrap_or_default()
                            };
                            view! {
                                <details open class="body"><summary>"Response body"</summary>
                                    <pre class="json">{shown}</pre></details>
                            }
                        })}
                    </section>
                }
            })}
            <button type="button" class="log-toggle" aria-expanded=move || if log_open.get() { "true" } else { "false" }
                aria-controls=log_id.clone() on:click=move |_| set_log_open.update(|o| *o = !*o)>
                {move || if log_open.get() { "hide log" } else { "view log" }}
                {move || run.with(|r| if r.log.is_empty() { String::new() } else { format!(" ({})", r.log.len()) })}
            </button>
            <div id=log_id class="log-panel" hidden=move || !log_open.get()>
                {move || view! { <LogView entries=run.with(|r| r.log.clone()) reveal=reveal/> }}
            </div>
        </article>
    }
}
