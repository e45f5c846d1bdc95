//! The On-Behalf-Of flow's actions (its sign-in is the shared one).

use leptos::prelude::*;

use super::judge;
use crate::browser::http::send;
use crate::browser::now_secs;
use crate::store::Store;

/// Step 2: the service app exchanges the user's access token (client_secret_basic).
pub async fn exchange(store: Store) {
    let slot = store.obo;
    slot.begin(1);
    let config = slot.config.get_untracked();
    let user_token = slot.value("user_access_token");
    let request = config.exchange(&user_token);
    let exchange = send(&request, config.relay_for(&request.url)).await;
    let outcome = judge(&exchange, |cap| {
        config.interpret_exchange(cap, &user_token, now_secs())
    });
    slot.finish(1, Some(exchange), outcome);
}

/// Step 3: call API2 with the new token.
pub async fn call_api(store: Store) {
    let slot = store.obo;
    slot.begin(2);
    let config = slot.config.get_untracked();
    let request = config.api(&slot.value("obo_token"));
    let exchange = send(&request, config.relay_for(&request.url)).await;
    let outcome = judge(&exchange, |cap| config.interpret_api(cap));
    slot.finish(2, Some(exchange), outcome);
}

/// Steps 4 and 6: introspect the new token (before and after revocation).
pub async fn introspect(store: Store, after_revoke: bool) {
    let slot = store.obo;
    let i = if after_revoke { 5 } else { 3 };
    slot.begin(i);
    let config = slot.config.get_untracked();
    let request = config.introspect(&slot.value("obo_token"));
    let exchange = send(&request, config.relay_for(&request.url)).await;
    let outcome = judge(&exchange, |cap| {
        protocol::flows::read_introspection(cap, !after_revoke)
    });
    slot.finish(i, Some(exchange), outcome);
}

/// Step 5: revoke the new token.
pub async fn revoke(store: Store) {
    let slot = store.obo;
    slot.begin(4);
    let config = slot.config.get_untracked();
    let request = config.revoke(&slot.value("obo_token"));
    let exchange = send(&request, config.relay_for(&request.url)).await;
    let outcome = judge(&exchange, protocol::flows::read_revocation);
    slot.finish(4, Some(exchange), outcome);
}

/// Step 7: API2 must now refuse the revoked token.
pub async fn call_api_after_revoke(store: Store) {
    let slot = store.obo;
    slot.begin(6);
    let config = slot.config.get_untracked();
    let request = config.api(&slot.value("obo_token"));
    let exchange = send(&request, config.relay_for(&request.url)).await;
    let outcome = judge(&exchange, protocol::flows::read_refusal);
    slot.finish(6, Some(exchange), outcome);
}
