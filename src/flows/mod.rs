//! Running a step in the page: the protocol crate's driver (`protocol::engine`) does the work
//! with the browser's host (`browser::host`); this module starts it, shows the step busy, and
//! records what came of it in the flow's signals. Nothing here knows a flow.

pub mod discovery;
pub mod export;
pub mod host;
pub mod parts;
pub mod probe;
pub mod reload;
pub mod saved;
pub mod share;
pub mod signin;

use leptos::prelude::*;
use protocol::engine::{self, Ran, Site};
use protocol::flow::Step;
use protocol::flows::StepOutcome;

use crate::browser::{self, worker};
use crate::flows::host::BrowserHost;
use crate::store::{FlowSlot, Store};

/// Starts a step (its action button): the runner is a part of the app loaded on first use
/// (prefetched once the page is idle); the card shows the step busy meanwhile, and a runner
/// that cannot be loaded is the step's failure, with why.
pub fn start(store: Store, slot: FlowSlot, step: &'static Step) {
    slot.run(step.id).update(|r| r.busy = true);
    leptos::task::spawn_local(async move {
        match crate::flows::parts::run_step(store, slot, step).await {
            Ok(run) => run.await,
            Err(e) => finish(
                slot,
                step,
                Ran {
                    outcome: StepOutcome::failed(format!("This step could not start: {e}.")),
                    ..Default::default()
                },
            ),
        }
    });
}

/// Runs a step through the driver, with the browser as its host. A sign-in in this tab leaves
/// the page (it is completed when the page loads again).
pub async fn run(store: Store, slot: FlowSlot, step: &'static Step) {
    slot.run(step.id).update(|r| r.busy = true);
    let config = slot.config.get_untracked();
    let state = slot.state.get_untracked();
    let host = BrowserHost::for_step(store, slot, step);
    let at = protocol::flows::step_at(slot.def, step, &config, &state);
    if let Some(ran) = engine::run(&host, &store.site(), at).await {
        finish(slot, step, ran);
    }
}

/// Resets the built-in demo (new signing keys at its next use, no codes, no revocations) and
/// the steps of every flow that uses it, whose tokens the reset tenant no longer knows.
pub async fn reset_built_in_demo(store: Store) -> Result<String, browser::BrowserError> {
    worker::reset().await?;
    let mut reset = Vec::new();
    for slot in store.slots() {
        if slot.uses_built_in_demo(store) {
            slot.reset_steps();
            reset.push(slot.def.label);
        }
    }
    Ok(if reset.is_empty() {
        "The built-in demo was reset: it forgot its signing keys, codes and revocations.".into()
    } else {
        format!(
            "The built-in demo was reset: it forgot its signing keys, codes and revocations. Steps cleared in: {}.",
            reset.join(", ")
        )
    })
}

/// Records a finished run: the flow's state (outputs, or outputs cleared on failure) and the
/// card (the requests as sent, the log, the outcome).
pub fn finish(slot: FlowSlot, step: &'static Step, ran: Ran) {
    let config = slot.config.get_untracked();
    slot.state.update(|st| {
        engine::record(
            slot.def,
            step,
            &config,
            st,
            &ran.outcome,
            browser::now_secs(),
        )
    });
    slot.run(step.id).update(|r| {
        r.busy = false;
        r.finished += 1;
        if !ran.sent.is_empty() {
            r.sent = ran.sent;
        }
        for x in ran.exchanges {
            r.record(x);
        }
        r.outcome = Some(ran.outcome);
    });
}

impl Store {
    /// Where runs happen: the page and the relay, for the driver.
    pub fn site(&self) -> Site {
        let env = self.env.get_value();
        let relay = self.relay.get_untracked();
        Site {
            origin: env.origin,
            built_in_demo: env.built_in_demo,
            local_demo: env.local_demo,
            relay_url: relay.url,
            relay_key: relay.key,
        }
    }
}
