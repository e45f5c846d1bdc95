//! The autonomous agent flow's actions: client credentials, tokeninfo, token exchange, tokeninfo.

use leptos::prelude::*;
use protocol::flows::autonomous::AutonomousConfig;
use protocol::request::HttpRequest;

use super::judge;
use crate::browser::http::{send, Exchange};
use crate::browser::now_secs;
use crate::store::Store;

async fn send_for(config: &AutonomousConfig, request: &HttpRequest) -> Exchange {
    send(request, config.relay_for(&request.url)).await
}

/// Step 1: the agent's own token (client credentials, client_secret_post).
pub async fn credentials(store: Store) {
    let slot = store.autonomous;
    slot.begin(0);
    let config = slot.config.get_untracked();
    let exchange = send_for(&config, &config.credentials()).await;
    let outcome = judge(&exchange, |cap| {
        config.interpret_credentials(cap, now_secs())
    });
    slot.finish(0, Some(exchange), outcome);
}

/// Steps 2 and 4: tokeninfo of the agent's token (`exchanged = false`) or the exchanged one.
pub async fn info(store: Store, exchanged: bool) {
    let slot = store.autonomous;
    let i = if exchanged { 3 } else { 1 };
    slot.begin(i);
    let config = slot.config.get_untracked();
    let token = slot.value(if exchanged {
        "exchanged_token"
    } else {
        "agent_token"
    });
    let exchange = send_for(&config, &config.info(&token)).await;
    let outcome = judge(&exchange, |cap| config.interpret_info(cap, exchanged));
    slot.finish(i, Some(exchange), outcome);
}

/// Step 3: the agent's token for a narrower token to the application.
pub async fn exchange(store: Store) {
    let slot = store.autonomous;
    slot.begin(2);
    let config = slot.config.get_untracked();
    let exchange = send_for(&config, &config.exchange(&slot.value("agent_token"))).await;
    let outcome = judge(&exchange, |cap| config.interpret_exchange(cap, now_secs()));
    slot.finish(2, Some(exchange), outcome);
}
