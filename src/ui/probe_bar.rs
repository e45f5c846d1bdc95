//! "Probe this server", on every flow's page, with what it will do said before it is pressed:
//! the servers it sends deliberately wrong requests to and how many times it opens the sign-in.
//! Part of the first load (no chunk for it): the probe itself is loaded when pressed, so the bar
//! names every server of the flow without asking the plan (every flow's cases vary every one
//! of its servers: `every_flow_probes_every_one_of_its_servers` in protocol-probe).

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::engine::sign_in_step;
use protocol::probe::SIGN_IN_CASES;

use crate::store::{FlowSlot, Store, Tab};

/// Whether a probe of `slot` is running.
pub fn running(slot: FlowSlot) -> bool {
    slot.probe
        .report
        .with(|r| r.as_ref().is_some_and(|r| !r.finished))
}

/// The button, and what pressing it does.
#[component]
pub fn ProbeBar(flow: FlowSlot) -> impl IntoView {
    let slot = flow;
    let store = expect_context::<Store>();
    let scope_id = format!("{}-probe-scope", slot.def.id);
    let said = move || {
        slot.config.with(|c| {
            let servers = slot
                .def
                .servers
                .iter()
                .map(|r| format!("{} ({})", r.label, c.server(r).issuer()))
                .collect::<Vec<_>>()
                .join(", ");
            let sign_ins = if sign_in_step(slot.def, c).is_some() {
                format!(" It opens the sign-in page {} times (one for a normal run, one per authorization-code case; a server that keeps your session may answer without asking).", 1 + SIGN_IN_CASES)
            } else {
                String::new()
            };
            format!("Tries the refusals the specs require, with deliberately wrong requests, against: {servers}.{sign_ins} Nothing is sent until you press it.")
        })
    };
    let start = move |_| {
        if running(slot) {
            return;
        }
        store.tab.set(Tab::PROBE);
        spawn_local(async move {
            match crate::flows::parts::run_probe(store, slot).await {
                Ok(probe) => probe.await,
                Err(e) => store
                    .announce
                    .set(format!("The probe could not start: {e}.")),
            }
        });
    };
    view! {
        <div class="probe-bar">
            <button type="button" on:click=start aria-describedby=scope_id.clone()
                aria-disabled=move || running(slot).then_some("true")>"Probe this server"</button>
            <p class="muted" id=scope_id>{said}</p>
        </div>
    }
}
