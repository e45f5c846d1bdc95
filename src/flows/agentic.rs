//! The Agentic Token Exchange Flow's actions: each signs what must be signed (WebCrypto),
//! sends the protocol crate's request, and records the protocol crate's interpretation.

use leptos::prelude::*;
use protocol::flows::StepOutcome;
use protocol::transport::TransportFailure;

use super::judge;
use crate::browser::http::{send, Exchange};
use crate::browser::{self, crypto};
use crate::store::{AgenticSlot, Store};

/// Sends a request directly, or via the relay if its server is set to use one.
async fn send_for(
    config: &protocol::flows::agentic::AgenticConfig,
    request: &protocol::request::HttpRequest,
) -> Exchange {
    send(request, config.relay_for(&request.url)).await
}

/// "Use Existing": a token pasted by the user stands in for step 1.
pub fn use_existing(slot: AgenticSlot, id_token: &str, access_token: &str) {
    let now = browser::now_secs();
    let mut o = StepOutcome {
        ok: true,
        summary: "Using tokens pasted by you (no sign-in).".into(),
        ..Default::default()
    };
    for (key, label, v) in [
        ("user_id_token", "ID token", id_token),
        ("user_access_token", "User access token", access_token),
    ] {
        if !v.trim().is_empty() {
            o.outputs.push((key.into(), v.trim().into()));
            o.tokens
                .push(protocol::flows::TokenView::new(label, v.trim(), now));
        }
    }
    if o.outputs.is_empty() {
        o = StepOutcome::failed("Paste an ID token or an access token first.");
    }
    slot.finish(0, None, o);
}

async fn signed(slot: AgenticSlot, token_endpoint: &str) -> Result<String, String> {
    let config = slot.config.get_untracked();
    let jti = crypto::random_id()?;
    let now = browser::now_secs();
    crypto::sign_jwt(&config.agent_key, |alg, kid| {
        config.assertion(token_endpoint, alg, kid, now, &jti)
    })
    .await
    .map_err(|e| format!("The agent's private key cannot sign: {e}"))
}

/// Step 2: ID token (or access token) → ID-JAG, authenticated by a browser-signed assertion.
pub async fn exchange(slot: AgenticSlot) {
    slot.begin(1);
    let config = slot.config.get_untracked();
    let assertion = match signed(slot, &config.org().token).await {
        Ok(a) => a,
        Err(e) => {
            return slot.finish(
                1,
                None,
                StepOutcome::failed(TransportFailure::Invalid { detail: e }.explain()),
            )
        }
    };
    let request = config.exchange(&slot.value(config.subject_key()), &assertion);
    let exchange = send_for(&config, &request).await;
    let outcome = judge(&exchange, |cap| {
        config.interpret_exchange(cap, browser::now_secs())
    });
    slot.finish(1, Some(exchange), outcome);
}

/// Step 3: ID-JAG → access token at the custom authorization server, with a fresh assertion.
pub async fn bearer(slot: AgenticSlot) {
    slot.begin(2);
    let config = slot.config.get_untracked();
    let assertion = match signed(slot, &config.custom().token).await {
        Ok(a) => a,
        Err(e) => return slot.finish(2, None, StepOutcome::failed(e)),
    };
    let id_jag = slot.value("id_jag");
    let exchange = send_for(&config, &config.bearer(&id_jag, &assertion)).await;
    let outcome = judge(&exchange, |cap| {
        config.interpret_bearer(cap, &id_jag, browser::now_secs())
    });
    slot.finish(2, Some(exchange), outcome);
}

/// Step 4: call the API with the agent's access token.
pub async fn call_api(slot: AgenticSlot) {
    slot.begin(3);
    let config = slot.config.get_untracked();
    let exchange = send_for(&config, &config.api(&slot.value("agent_access_token"))).await;
    let outcome = judge(&exchange, |cap| config.interpret_api(cap));
    slot.finish(3, Some(exchange), outcome);
}

/// Reads an issuer's RFC 8414 / OpenID metadata, trying the usual locations in turn; returns
/// it with the URL that answered, or every location's failure.
async fn fetch_metadata(
    config: &protocol::flows::agentic::AgenticConfig,
    issuer: &str,
) -> Result<(protocol::endpoints::ServerMetadata, String), String> {
    protocol::request::validate_url(issuer)?;
    let mut tried = Vec::new();
    for request in protocol::flows::agentic::AgenticConfig::metadata(issuer) {
        let x = send_for(config, &request).await;
        let parsed = match &x.result {
            Ok(cap) => protocol::response::parse_json(cap)
                .map_err(|p| p.explain())
                .and_then(|json| protocol::endpoints::ServerMetadata::parse(&json, issuer)),
            Err(f) => Err(f.explain()),
        };
        match parsed {
            Ok(meta) => return Ok((meta, request.url)),
            Err(e) => tried.push(format!("{}: {e}", request.url)),
        }
    }
    Err(format!(
        "No usable metadata for {issuer}. Tried {}",
        tried.join(" · ")
    ))
}

/// "Load scopes": reads the target server's metadata and offers `scopes_supported`.
pub async fn load_scopes(store: Store, slot: AgenticSlot) {
    let config = slot.config.get_untracked();
    let result = fetch_metadata(&config, config.audience.trim())
        .await
        .map(|(m, _)| m.scopes_supported);
    store.scopes.set(Some(result));
}

/// Generic preset: reads an issuer's metadata and uses the endpoints it lists for the identity
/// provider (`resource = false`) or the resource authorization server (`resource = true`,
/// which also sets the audience).
pub async fn discover(store: Store, slot: AgenticSlot, resource: bool, issuer: String) {
    let issuer = issuer.trim().trim_end_matches('/').to_string();
    let config = slot.config.get_untracked();
    let result = fetch_metadata(&config, &issuer).await.map(|(meta, url)| {
        let endpoints = protocol::endpoints::Endpoints::from_metadata(&meta);
        let summary = format!(
            "Discovered {issuer} at {url}: token endpoint {}.",
            endpoints.token
        );
        slot.edit(|c| {
            if resource {
                c.audience = issuer.clone();
                c.resource_as = Some(endpoints);
            } else {
                c.idp = Some(endpoints);
            }
        });
        summary
    });
    store.discovery.set(Some(result));
}

/// Steps 5 and 7: introspect the agent's access token (before and after revocation).
pub async fn introspect(slot: AgenticSlot, after_revoke: bool) {
    let i = if after_revoke { 6 } else { 4 };
    slot.begin(i);
    let config = slot.config.get_untracked();
    let assertion = match signed(slot, &config.custom().introspect).await {
        Ok(a) => a,
        Err(e) => return slot.finish(i, None, StepOutcome::failed(e)),
    };
    let request = config.introspect(&slot.value("agent_access_token"), &assertion);
    let exchange = send_for(&config, &request).await;
    let outcome = judge(&exchange, |cap| {
        protocol::flows::read_introspection(cap, !after_revoke)
    });
    slot.finish(i, Some(exchange), outcome);
}

/// Step 6: revoke the agent's access token.
pub async fn revoke(slot: AgenticSlot) {
    slot.begin(5);
    let config = slot.config.get_untracked();
    let assertion = match signed(slot, &config.custom().revoke).await {
        Ok(a) => a,
        Err(e) => return slot.finish(5, None, StepOutcome::failed(e)),
    };
    let request = config.revoke(&slot.value("agent_access_token"), &assertion);
    let exchange = send_for(&config, &request).await;
    let outcome = judge(&exchange, protocol::flows::read_revocation);
    slot.finish(5, Some(exchange), outcome);
}

/// Step 8: the API must now refuse the revoked token.
pub async fn call_api_after_revoke(slot: AgenticSlot) {
    slot.begin(7);
    let config = slot.config.get_untracked();
    let exchange = send_for(&config, &config.api(&slot.value("agent_access_token"))).await;
    let outcome = judge(&exchange, protocol::flows::read_refusal);
    slot.finish(7, Some(exchange), outcome);
}

/// Agent-to-agent step 1 alternative: the agent's own token by client credentials, with the
/// invoked agent as `resource`.
pub async fn agent_credentials(slot: AgenticSlot) {
    slot.begin(0);
    let config = slot.config.get_untracked();
    let assertion = match signed(slot, &config.org().token).await {
        Ok(a) => a,
        Err(e) => return slot.finish(0, None, StepOutcome::failed(e)),
    };
    let request = config.agent_credentials(&assertion);
    let exchange = send_for(&config, &request).await;
    let outcome = judge(&exchange, |cap| {
        config.interpret_agent_credentials(cap, browser::now_secs())
    });
    slot.finish(0, Some(exchange), outcome);
}
