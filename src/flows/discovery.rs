//! Discovery for every flow: a server's RFC 8414 / OpenID metadata (its endpoints, scopes
//! and keys), and RFC 9728 protected-resource metadata (from an API URL to the authorization
//! server whose tokens it accepts). What is found is kept in the flow's configuration, for
//! the server (and issuer) it was read for.

use leptos::prelude::*;
use protocol::endpoints::{
    metadata_urls, protected_resource_candidates, resource_metadata_from_challenge,
    ResourceMetadata, ServerMetadata,
};
use protocol::flow::{Layout, ServerRole};
use protocol::request::validate_url;
use protocol::requests::get_json;
use protocol::response::parse_json;

use crate::error::ActionError;
use crate::flows::host::send;
use crate::store::{FlowSlot, Store};

/// Reads `role`'s metadata, trying every location in turn; keeps it in the configuration.
pub async fn discover(
    store: Store,
    slot: FlowSlot,
    role: &'static ServerRole,
) -> Result<ServerMetadata, ActionError> {
    let config = slot.config.get_untracked();
    let issuer = config.server(role).issuer().to_string();
    validate_url(&issuer).map_err(|e| {
        ActionError::Input(format!("The {}'s issuer is not usable: {e}", role.label))
    })?;
    let mut tried = Vec::new();
    for url in metadata_urls(&issuer) {
        let x = send(
            store,
            &get_json("Authorization server metadata (RFC 8414)", &url),
            &store.site().route(&config, role),
        )
        .await;
        let parsed = match &x.result {
            Ok(cap) => parse_json(cap).map_err(|p| p.headline()).and_then(|json| {
                ServerMetadata::parse(&json, &issuer, &url).map_err(|e| e.to_string())
            }),
            Err(f) => Err(f.headline()),
        };
        match parsed {
            Ok(meta) => {
                slot.config
                    .update(|c| c.server_mut(role).metadata = Some(meta.clone()));
                return Ok(meta);
            }
            Err(e) => tried.push(format!("{url}: {e}")),
        }
    }
    Err(ActionError::NotFound(format!(
        "No usable metadata for {issuer}. Tried {}",
        tried.join(" · ")
    )))
}

/// Discovers `role` and records a one-line result for the form.
pub async fn discover_and_report(store: Store, slot: FlowSlot, role: &'static ServerRole) {
    let result = discover(store, slot, role).await.map(|m| {
        format!(
            "Read {}: token endpoint {}{}.",
            m.source,
            m.token_endpoint.as_deref().unwrap_or("(none)"),
            if m.scopes_supported.is_empty() {
                String::new()
            } else {
                format!(", {} scopes listed", m.scopes_supported.len())
            }
        )
    });
    slot.discovered(role.key, result);
}

/// RFC 9728: finds the resource's metadata (from the API's `WWW-Authenticate` challenge to
/// an unauthenticated call, else at the well-known location of the URL and its parents),
/// takes its first authorization server as the issuer of the server that issues its
/// tokens, and discovers that server.
pub async fn discover_resource(store: Store, slot: FlowSlot, resource: &'static ServerRole) {
    let result: Result<String, ActionError> = async {
        let target = resource.issued_by.ok_or_else(|| {
            ActionError::Input("This flow does not say which server issues this resource's tokens.".into())
        })?;
        let config = slot.config.get_untracked();
        let url = config.server(resource).issuer().to_string();
        validate_url(&url)
            .map_err(|e| ActionError::Input(format!("The {} URL is not usable: {e}", resource.label)))?;
        let way = store.site().route(&config, resource);
        let mut candidates = protected_resource_candidates(&url);
        let probe = send(store, &get_json("Unauthenticated call (RFC 9728 5.1)", &url), &way).await;
        if let Some(m) = probe
            .result
            .ok()
            .and_then(|c| c.header("www-authenticate").and_then(resource_metadata_from_challenge))
        {
            let id = candidates.iter().find(|(u, _)| *u == m).map(|(_, id)| id.clone()).unwrap_or_else(|| url.clone());
            candidates.insert(0, (m, id));
        }
        let mut tried = Vec::new();
        for (prm, id) in candidates {
            let x = send(store, &get_json("Protected resource metadata (RFC 9728)", &prm), &way).await;
            let found = x
                .result
                .map_err(|f| f.headline())
                .and_then(|cap| parse_json(&cap).map_err(|p| p.headline()))
                .and_then(|json| ResourceMetadata::parse(&json, &id).map_err(|e| e.to_string()));
            match found {
                Ok(meta) => {
                    let issuer = meta.authorization_servers[0].clone();
                    slot.config.update(|c| {
                        let s = c.server_mut(target);
                        s.issuer = issuer.clone();
                        s.layout = Layout::Discovery;
                    });
                    discover(store, slot, target).await?;
                    return Ok(format!(
                        "{prm} names {issuer} as the authorization server of {}: the {} now uses it, found by discovery.",
                        meta.resource, target.label
                    ));
                }
                Err(e) => tried.push(format!("{prm}: {e}")),
            }
        }
        Err(ActionError::NotFound(format!("No protected-resource metadata found for {url}. Tried {}", tried.join(" · "))))
    }
    .await;
    slot.discovered(resource.key, result);
}
