//! Probing the flow's servers from the page: the protocol crate's battery
//! (`protocol::probe`) runs with the browser as its host; each step and case lands in the
//! flow's probe report as it comes. It touches neither the flow's steps nor its values.

use leptos::prelude::*;
use protocol::engine::sign_in_step;
use protocol::flow::{AuthMethod, Client, FlowConfig, FlowDef, Server};
use protocol::probe::{self, battery, Extra};

use crate::flows::host::{BrowserHost, ProbeSignIns};
use crate::store::{FlowSlot, ProbeExtra, Store};

/// Probes `slot`'s servers as configured; the report replaces the last one.
pub async fn run(store: Store, slot: FlowSlot) {
    let config = slot.config.get_untracked();
    let site = store.site();
    let def = slot.def;
    let typed = slot.probe.extra.get_untracked();
    let mut extra = Extra::for_config(def, &config, &site);
    extra_from(&typed, def, &config, &mut extra);
    let plan = probe::plan(def, &config);
    let Some(step) = sign_in_step(def, &config).or_else(|| def.steps(&config).first().copied())
    else {
        return;
    };
    let host = BrowserHost {
        store,
        slot,
        step,
        probe: Some(ProbeSignIns {
            total: plan.sign_ins,
            opened: Default::default(),
            prompt: slot.probe.prompt,
        }),
    };
    let report = probe::run(&host, &site, def, &config, &extra, &mut |r| {
        slot.probe.secrets.set(r.secrets());
        slot.probe.report.set(Some(r.clone()));
    })
    .await;
    store
        .announce
        .set(format!("Probe finished. {}", report.summary()));
}

/// What the user typed, before the demo's: a second client (authenticating as the JWT bearer
/// step's client does) and a second server (laid out as that step's server).
fn extra_from(typed: &ProbeExtra, def: &'static FlowDef, config: &FlowConfig, extra: &mut Extra) {
    let Some(step) = def
        .steps(config)
        .into_iter()
        .find(|s| battery::kinds(def, config, s).contains(&probe::StepKind::JwtBearer))
    else {
        return;
    };
    if !typed.client_id.trim().is_empty() {
        let own = step
            .client
            .map(|r| config.client(r).clone())
            .unwrap_or_default();
        let credential = typed.credential.expose();
        let client = match own.auth {
            AuthMethod::PrivateKeyJwt => Client {
                assertion_aud: own.assertion_aud,
                rsa_alg: own.rsa_alg,
                ..Client::with_key(typed.client_id.trim(), credential)
            },
            method => Client::with_secret(typed.client_id.trim(), method, credential),
        };
        extra.clients.insert(0, client);
    }
    if !typed.issuer.trim().is_empty() {
        let layout = config.server(step.target.server).layout;
        extra
            .servers
            .insert(0, Server::new(typed.issuer.trim(), layout));
    }
}
