//! A failure explained: the cause, then the fix for the server actually configured, and
//! where the relay would help, how to start it and a switch to use it.

use leptos::prelude::*;
use protocol::flow::Step;
use protocol::flows::Diagnosis;

use crate::store::{FlowSlot, Store, Tab};

/// The cause and the fix of a failure.
#[component]
pub fn DiagnosisView(flow: FlowSlot, step: &'static Step, diagnosis: Diagnosis) -> impl IntoView {
    let slot = flow;
    let store = expect_context::<Store>();
    let role = step.target.server;
    let commands = Memo::new(move |_| {
        slot.config
            .with(|c| store.site().remedy(slot.def, c, role).relay)
    });
    view! {
        <div class="diagnosis">
            {(!diagnosis.cause.is_empty()).then(|| view! { <p><strong>"Why: "</strong>{diagnosis.cause.clone()}</p> })}
            {(!diagnosis.fix.is_empty()).then(|| view! { <p><strong>"Fix: "</strong>{diagnosis.fix.clone()}</p> })}
            {diagnosis.relay.then(|| view! {
                <div class="relay-advice">
                    <p>"Start the relay on your machine (it prints a key). From a checkout of this project:"</p>
                    <pre tabindex="0" class="wrap"><code>{move || commands.get().checkout}</code></pre>
                    <p>"Or install it once (cargo install --path crates/relay) and run:"</p>
                    <pre tabindex="0" class="wrap"><code>{move || commands.get().installed}</code></pre>
                    <button type="button" class="small" on:click=move |_| {
                        slot.config.update(|c| c.relay_origin_of(role));
                        store.tab.set(Tab::CONFIGURATION);
                    }>{move || {
                        let host = slot.config.with(|c| protocol::request::origin_of(c.server(role).issuer()).unwrap_or_default().to_string());
                        format!("Send requests to {host} via the relay")
                    }}</button>
                </div>
            })}
        </div>
    }
}
