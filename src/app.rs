//! The page shell: header, Configuration / Flow Steps tabs.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::store::{Store, Tab};
use crate::ui::config_tab::ConfigTab;
use crate::ui::steps_tab::StepsTab;

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let store = Store::new();
    provide_context(store);
    spawn_local(crate::flows::agentic::complete_sign_in(store));
    let tab = store.tab;
    let tab_button = move |t: Tab, id: &'static str, label: &'static str| {
        view! {
            <button type="button" role="tab" id=id aria-controls="tab-panel"
                aria-selected=move || if tab.get() == t { "true" } else { "false" }
                class:active=move || tab.get() == t
                on:click=move |_| tab.set(t)>{label}</button>
        }
    };
    view! {
        <header class="page-head">
            <h1>"Agentic Token Exchange Flow"</h1>
            <p class="subtitle">"User to AI Agent Delegation using ID-JAG Tokens (client assertion)"</p>
        </header>
        <nav class="tabs" role="tablist" aria-label="Views">
            {tab_button(Tab::Configuration, "tab-config", "Configuration")}
            {tab_button(Tab::Steps, "tab-steps", "Flow Steps")}
        </nav>
        <main id="tab-panel" role="tabpanel" aria-labelledby=move || if tab.get() == Tab::Steps { "tab-steps" } else { "tab-config" }>
            {move || match tab.get() {
                Tab::Configuration => view! { <ConfigTab/> }.into_any(),
                Tab::Steps => view! { <StepsTab/> }.into_any(),
            }}
        </main>
        <footer class="page-foot muted">
            "Private keys never leave this page; tokens go only to the endpoint they are meant for."
        </footer>
    }
}
