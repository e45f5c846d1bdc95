//! The user's sign-in for any flow that has one: PKCE with WebCrypto, random state and nonce,
//! the authorize redirect, and on return the state check and the code exchange.

use leptos::prelude::*;
use protocol::flows::signin::SignIn;
use protocol::flows::StepOutcome;
use serde::{Deserialize, Serialize};

use super::judge;
use crate::browser::http::{send, Exchange};
use crate::browser::{self, crypto, storage};
use crate::store::{FlowKind, Store};

const PENDING_KEY: &str = "atp.pending-signin.v2";

/// What must survive the redirect; kept in sessionStorage and removed on return.
#[derive(Serialize, Deserialize)]
struct Pending {
    flow: String,
    state: String,
    nonce: String,
    verifier: String,
    config: serde_json::Value,
    remember: bool,
}

/// The sign-in of a flow, its configuration as JSON, and the relay for a URL.
fn sign_in_of(store: Store, kind: FlowKind) -> Option<(SignIn, serde_json::Value)> {
    match kind {
        FlowKind::Agentic | FlowKind::AgentToAgent => store
            .agentic_slot(kind)
            .config
            .with_untracked(|c| Some((c.sign_in(), serde_json::to_value(c).ok()?))),
        FlowKind::Obo => store
            .obo
            .config
            .with_untracked(|c| Some((c.sign_in(), serde_json::to_value(c).ok()?))),
        FlowKind::Autonomous => None,
    }
}

fn relay_for(store: Store, kind: FlowKind, url: &str) -> Option<(String, String)> {
    match kind {
        FlowKind::Agentic | FlowKind::AgentToAgent => store
            .agentic_slot(kind)
            .config
            .with_untracked(|c| c.relay_for(url)),
        FlowKind::Obo => store.obo.config.with_untracked(|c| c.relay_for(url)),
        FlowKind::Autonomous => None,
    }
}

fn begin(store: Store, kind: FlowKind) {
    match kind {
        FlowKind::Agentic | FlowKind::AgentToAgent => store.agentic_slot(kind).begin(0),
        FlowKind::Obo => store.obo.begin(0),
        FlowKind::Autonomous => {}
    }
}

fn finish(store: Store, kind: FlowKind, exchange: Option<Exchange>, outcome: StepOutcome) {
    match kind {
        FlowKind::Agentic | FlowKind::AgentToAgent => {
            store.agentic_slot(kind).finish(0, exchange, outcome)
        }
        FlowKind::Obo => store.obo.finish(0, exchange, outcome),
        FlowKind::Autonomous => {}
    }
}

/// PKCE with WebCrypto, random state and nonce, then the authorize redirect.
pub async fn start(store: Store, kind: FlowKind) {
    let Some((sign_in, config)) = sign_in_of(store, kind) else {
        return;
    };
    begin(store, kind);
    let result: Result<(), String> = async {
        let pkce = crypto::new_pkce().await?;
        let (state, nonce) = (crypto::random_id()?, crypto::random_id()?);
        let url = sign_in
            .authorize(&pkce.challenge, &state, &nonce)
            .full_url();
        protocol::request::validate_url(&url)?;
        let pending = Pending {
            flow: kind.hash().into(),
            state,
            nonce,
            verifier: pkce.verifier,
            config,
            remember: store.remember.get_untracked(),
        };
        storage::session_set(
            PENDING_KEY,
            &serde_json::to_string(&pending).map_err(|e| e.to_string())?,
        )?;
        browser::navigate(&url)
    }
    .await;
    if let Err(e) = result {
        finish(
            store,
            kind,
            None,
            StepOutcome::failed(format!("Could not start the sign-in: {e}")),
        );
    }
}

/// On load: if the URL carries an authorization response, check `state` and exchange the code
/// for the flow that started the sign-in.
pub async fn complete(store: Store) {
    let params = protocol::encoding::form_decode(&browser::query());
    let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    if get("code").is_none() && get("error").is_none() {
        return;
    }
    browser::clear_query();
    let pending: Option<Pending> =
        storage::session_take(PENDING_KEY).and_then(|s| serde_json::from_str(&s).ok());
    let Some(pending) = pending else {
        finish(store, store.active.get_untracked(), None, StepOutcome::failed("Refused: this page got an authorization response it did not ask for (no sign-in was pending in this tab). Start the sign-in again."));
        return;
    };
    let kind = FlowKind::from_hash(&pending.flow);
    store.active.set(kind);
    browser::set_hash(kind.hash());
    let restored = match kind {
        FlowKind::Agentic | FlowKind::AgentToAgent => {
            serde_json::from_value(pending.config.clone())
                .map(|c| store.agentic_slot(kind).config.set(c))
                .is_ok()
        }
        FlowKind::Obo => serde_json::from_value(pending.config.clone())
            .map(|c| store.obo.config.set(c))
            .is_ok(),
        FlowKind::Autonomous => false,
    };
    store.remember.set(pending.remember);
    if !restored {
        finish(
            store,
            kind,
            None,
            StepOutcome::failed(
                "The saved sign-in could not be restored; start the sign-in again.",
            ),
        );
        return;
    }
    if get("state").as_deref() != Some(pending.state.as_str()) {
        finish(store, kind, None, StepOutcome::failed("Refused: the state returned by the authorization server does not match the one this page sent. The response may be forged (CSRF); nothing was exchanged."));
        return;
    }
    if let Some(error) = get("error") {
        let desc = get("error_description").unwrap_or_default();
        finish(
            store,
            kind,
            None,
            StepOutcome::failed(format!(
                "The authorization server answered {error}: {desc} {}",
                protocol::response::oauth_error_hint(&error)
            )),
        );
        return;
    }
    let Some((sign_in, _)) = sign_in_of(store, kind) else {
        return;
    };
    begin(store, kind);
    let request = sign_in.code_exchange(&get("code").unwrap_or_default(), &pending.verifier);
    let exchange = send(&request, relay_for(store, kind, &request.url)).await;
    let outcome = judge(&exchange, |cap| {
        sign_in.interpret(cap, &pending.nonce, browser::now_secs())
    });
    finish(store, kind, Some(exchange), outcome);
}
