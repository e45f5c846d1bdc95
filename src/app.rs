//! The page shell: flow picker, title, Configuration / Flow Steps tabs.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser;
use crate::store::{FlowKind, Store, Tab};
use crate::ui::autonomous_tab::{AutonomousConfigForm, AutonomousSteps};
use crate::ui::config_tab::ConfigTab;
use crate::ui::obo_tab::{OboConfigForm, OboSteps};
use crate::ui::steps_tab::StepsTab;

fn heading(flow: FlowKind) -> (&'static str, &'static str) {
    match flow {
        FlowKind::Agentic => ("Agentic Token Exchange Flow", "User to AI Agent Delegation using ID-JAG Tokens (client assertion)"),
        FlowKind::AgentToAgent => ("Agent-to-Agent Token Exchange", "An AI agent invokes another agent through an ID-JAG: client credentials with resource (or the user's ID token), token exchange, JWT bearer"),
        FlowKind::Obo => ("On-Behalf-Of Token Exchange", "A service exchanges the user's access token for a token to another API (Okta, RFC 8693, client_secret_basic)"),
        FlowKind::Autonomous => ("Autonomous AI Agent Flow", "An AI agent acting on its own: client credentials, then token exchange (PingOne Advanced Identity Cloud)"),
    }
}

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let store = Store::new();
    provide_context(store);
    spawn_local(crate::flows::signin::complete(store));
    browser::on_hash_change(move || store.active.set(FlowKind::from_hash(&browser::hash())));
    let tab = store.tab;
    let active = store.active;
    let tab_button = move |t: Tab, id: &'static str, label: &'static str| {
        view! {
            <button type="button" role="tab" id=id aria-controls="tab-panel"
                aria-selected=move || if tab.get() == t { "true" } else { "false" }
                class:active=move || tab.get() == t
                on:click=move |_| tab.set(t)>{label}</button>
        }
    };
    view! {
        <nav class="flows" aria-label="Flows">
            {FlowKind::ALL.into_iter().map(|f| view! {
                <a href=f.hash() aria-current=move || (active.get() == f).then_some("page")>{f.label()}</a>
            }).collect_view()}
        </nav>
        <header class="page-head">
            <h1>{move || heading(active.get()).0}</h1>
            <p class="subtitle">{move || heading(active.get()).1}</p>
        </header>
        <nav class="tabs" role="tablist" aria-label="Views">
            {tab_button(Tab::Configuration, "tab-config", "Configuration")}
            {tab_button(Tab::Steps, "tab-steps", "Flow Steps")}
        </nav>
        <main id="tab-panel" role="tabpanel" aria-labelledby=move || if tab.get() == Tab::Steps { "tab-steps" } else { "tab-config" }>
            {move || match (active.get(), tab.get()) {
                (k @ (FlowKind::Agentic | FlowKind::AgentToAgent), Tab::Configuration) => view! { <ConfigTab kind=k/> }.into_any(),
                (k @ (FlowKind::Agentic | FlowKind::AgentToAgent), Tab::Steps) => view! { <StepsTab kind=k/> }.into_any(),
                (FlowKind::Obo, Tab::Configuration) => view! { <OboConfigForm/> }.into_any(),
                (FlowKind::Obo, Tab::Steps) => view! { <OboSteps/> }.into_any(),
                (FlowKind::Autonomous, Tab::Configuration) => view! { <AutonomousConfigForm/> }.into_any(),
                (FlowKind::Autonomous, Tab::Steps) => view! { <AutonomousSteps/> }.into_any(),
            }}
        </main>
        <footer class="page-foot muted">
            "Private keys never leave this page; tokens go only to the endpoint they are meant for."
        </footer>
    }
}
