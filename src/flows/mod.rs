//! The one runner every step of every flow goes through: sign (if the client signs an
//! assertion), build, route (relay or direct), send, read, record. The step's declaration
//! says what each part does; nothing here knows a flow.

pub mod discovery;
pub mod export;
pub mod reload;
pub mod saved;
pub mod share;
pub mod signin;
pub mod verify;

use leptos::prelude::*;
use protocol::flow::context::{fingerprint, signing_job};
use protocol::flow::{Action, ConfigError, Ctx, FlowConfig, RoleKind, ServerRole, Step};
use protocol::flows::StepOutcome;
use protocol::response::HttpCapture;
use protocol::transport::{relay_commands, Remedy, TransportFailure};

use crate::browser::http::{self, Exchange, Route};
use crate::browser::{self, crypto, worker};
use crate::store::{FlowSlot, Store};

/// Starts a step (its action button): the runner is a part of the app loaded on first use
/// (prefetched once the page is idle); the card shows the step busy meanwhile, and a runner
/// that cannot be loaded is the step's failure, with why.
pub fn start(store: Store, slot: FlowSlot, step: &'static Step) {
    slot.run(step.id).update(|r| r.busy = true);
    leptos::task::spawn_local(async move {
        match crate::lazy::run_step(store, slot, step).await {
            Ok(run) => run.await,
            Err(e) => slot.run(step.id).update(|r| {
                r.busy = false;
                r.finished += 1;
                r.outcome = Some(StepOutcome::failed(format!(
                    "This step could not start: {e}."
                )));
            }),
        }
    });
}

/// Runs a step (its action button).
pub async fn run(store: Store, slot: FlowSlot, step: &'static Step) {
    match step.action {
        Action::SignIn => signin::start(store, slot, step).await,
        Action::Request { build, read } => {
            slot.run(step.id).update(|r| r.busy = true);
            let config = slot.config.get_untracked();
            let state = slot.state.get_untracked();
            let ctx = Ctx::preview(slot.def, step, &config, &state, browser::now_secs());
            let (exchange, outcome) = match send_step(store, &ctx, build).await {
                Ok((exchange, assertion)) => {
                    let ctx = Ctx::preview(slot.def, step, &config, &state, browser::now_secs())
                        .sending(assertion.as_deref());
                    let outcome = judge(
                        store,
                        &config,
                        step.target.server,
                        slot.def,
                        &exchange,
                        |c| read(&ctx, c),
                    );
                    (Some(exchange), outcome)
                }
                Err(outcome) => (None, outcome),
            };
            let outcome = verify::check_signatures(store, slot.def, &config, outcome).await;
            let sent = exchange.iter().map(|x| x.request.clone()).collect();
            finish(slot, step, sent, exchange, outcome);
        }
    }
}

/// Signs, builds, routes and sends the step's request; returns the exchange and the
/// assertion it carried.
async fn send_step(
    store: Store,
    ctx: &Ctx<'_>,
    build: protocol::flow::Build,
) -> Result<(Exchange, Option<String>), StepOutcome> {
    ensure_built_in_demo(store, ctx.config, ctx.step.target.server).await?;
    let assertion = match signing_job(ctx).map_err(config_failure)? {
        None => None,
        Some(job) => Some(
            crypto::sign_assertion(&job, browser::now_secs())
                .await
                .map_err(|e| StepOutcome::failed(format!("The private key cannot sign: {e}")))?,
        ),
    };
    let sending = Ctx::preview(ctx.flow, ctx.step, ctx.config, ctx.state, ctx.now)
        .sending(assertion.as_deref());
    let request = build(&sending).map_err(config_failure)?;
    let exchange = http::send(&request, route(store, ctx.config, ctx.step.target.server)).await;
    Ok((exchange, assertion))
}

/// Starts the built-in demo's worker before the first request to it.
pub async fn ensure_built_in_demo(
    store: Store,
    config: &FlowConfig,
    role: &ServerRole,
) -> Result<(), StepOutcome> {
    let kind = store.env.with_value(|e| e.server_kind(config.server(role)));
    if kind == protocol::transport::ServerKind::BuiltInDemo {
        worker::ensure().await.map_err(StepOutcome::failed)?;
    }
    Ok(())
}

/// Resets the built-in demo (new signing keys at its next use, no codes, no revocations) and
/// the steps of every flow that uses it, whose tokens the reset tenant no longer knows.
pub async fn reset_built_in_demo(store: Store) -> Result<String, String> {
    worker::reset().await?;
    let env = store.env.get_value();
    let mut reset = Vec::new();
    for slot in store.slots() {
        let uses = slot.config.with_untracked(|c| {
            c.servers
                .values()
                .any(|s| env.server_kind(s) == protocol::transport::ServerKind::BuiltInDemo)
        });
        if uses {
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

/// Where a request to `role` goes: through the relay when that server is set to use it.
pub fn route(store: Store, config: &FlowConfig, role: &ServerRole) -> Route {
    if config.server(role).relay {
        let r = store.relay.get_untracked();
        Route::Relay {
            url: r.url.trim().trim_end_matches('/').to_string(),
            key: r.key.expose().to_string(),
        }
    } else {
        Route::Direct
    }
}

/// A configuration that cannot produce the request: the step fails before sending.
pub fn config_failure(e: ConfigError) -> StepOutcome {
    StepOutcome {
        ok: false,
        summary: format!("Not sent: {e}"),
        ..Default::default()
    }
}

/// The URLs of every server that uses the relay (and of `role`), for the relay command.
pub fn relay_upstreams(
    def: &protocol::flow::FlowDef,
    config: &FlowConfig,
    role: Option<&ServerRole>,
) -> Vec<String> {
    let mut out = Vec::new();
    for r in def.servers.iter().copied() {
        let server = config.server(r);
        if !server.relay && role.is_none_or(|x| x.key != r.key) {
            continue;
        }
        out.push(server.issuer().to_string());
        if r.kind == RoleKind::AuthorizationServer {
            if let Ok(e) = server.endpoints(r) {
                out.extend([e.token, e.introspect, e.revoke, e.keys, e.info]);
            }
        }
    }
    out.retain(|u| !u.is_empty());
    out
}

/// The protocol crate's reading of a response, or the transport failure explained for the
/// server actually configured.
pub fn judge(
    store: Store,
    config: &FlowConfig,
    role: &'static ServerRole,
    def: &protocol::flow::FlowDef,
    exchange: &Exchange,
    read: impl FnOnce(&HttpCapture) -> StepOutcome,
) -> StepOutcome {
    match &exchange.result {
        Ok(capture) => {
            let mut o = read(capture);
            if let Some(d) = &mut o.diagnosis {
                if d.relay && d.fix.is_empty() {
                    d.fix = remedy(store, config, role, def).relay.checkout;
                }
            }
            o
        }
        Err(f) => failure(f, &remedy(store, config, role, def)),
    }
}

/// What a fix may say about `role` in this configuration.
pub fn remedy(
    store: Store,
    config: &FlowConfig,
    role: &'static ServerRole,
    def: &protocol::flow::FlowDef,
) -> Remedy {
    let env = store.env.get_value();
    let relay_url = store.relay.with_untracked(|r| r.url.clone());
    Remedy {
        server: role.label.into(),
        kind: env.server_kind(config.server(role)),
        origin: env.origin.clone(),
        relay: relay_commands(
            &relay_upstreams(def, config, Some(role)),
            &env.origin,
            &relay_url,
        ),
    }
}

/// A transport failure as a step outcome.
pub fn failure(f: &TransportFailure, remedy: &Remedy) -> StepOutcome {
    StepOutcome {
        ok: false,
        summary: f.headline(),
        diagnosis: Some(f.diagnosis(remedy)),
        ..Default::default()
    }
}

/// Records a finished run: the flow state (outputs, or outputs cleared on failure) and the
/// card (the requests as sent, log, outcome).
pub fn finish(
    slot: FlowSlot,
    step: &'static Step,
    sent: Vec<protocol::request::HttpRequest>,
    exchange: Option<Exchange>,
    outcome: StepOutcome,
) {
    let config = slot.config.get_untracked();
    let needs = (step.needs)(&config);
    let outputs = if outcome.ok {
        Ok(outcome.outputs.clone())
    } else {
        Err(())
    };
    slot.state.update(|st| {
        st.record(step.id, needs, step.produces, outputs, |st| {
            fingerprint(&Ctx::preview(
                slot.def,
                step,
                &config,
                st,
                browser::now_secs(),
            ))
        })
    });
    slot.run(step.id).update(|r| {
        r.busy = false;
        r.finished += 1;
        if !sent.is_empty() {
            r.sent = sent;
        }
        if let Some(x) = exchange {
            r.record(x);
        }
        r.outcome = Some(outcome);
    });
}
