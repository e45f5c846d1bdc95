//! The resource APIs: each accepts an access token only with the right issuer, audience and
//! scope, and answers who is calling on whose behalf, through the whole `act` chain.

use protocol_wire::checks::act_chain_of;
use serde_json::{json, Value};

use crate::config::Api;
use crate::endpoints::bearer;
use crate::error::OAuthError;
use crate::http::{Request, Response};
use crate::Cx;

/// The API serving `path` (its own path, or a path below it).
pub fn api_for<'a>(cx: &Cx<'a>, path: &str) -> Option<&'a Api> {
    cx.config.apis.iter().find(|a| {
        path == a.path
            || path
                .strip_prefix(a.path.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// The answer to a call to `api` at `path`: JSON; or, for a JSON-RPC POST whose client
/// accepts an event stream (an MCP client over streamable HTTP), one event whose data is the
/// JSON-RPC response, as an MCP server answers.
pub fn answer(cx: &Cx, api: &Api, req: &Request, path: &str) -> Response {
    let result = call(cx, api, req, path);
    let rpc_id = (req.method == "POST")
        .then(|| serde_json::from_slice::<Value>(&req.body).ok())
        .flatten()
        .filter(|b| b.get("jsonrpc").is_some())
        .map(|b| b.get("id").cloned().unwrap_or(Value::Null));
    let streams = req
        .header("accept")
        .is_some_and(|a| a.contains("text/event-stream"));
    match (result, rpc_id) {
        (Ok(v), Some(id)) if streams => {
            Response::event(200, &json!({ "jsonrpc": "2.0", "id": id, "result": v }))
        }
        (Ok(v), _) => Response::json(200, &v),
        (Err(e), _) => e.response(),
    }
}

/// A call to `api` at `path`.
pub fn call(cx: &Cx, api: &Api, req: &Request, path: &str) -> Result<Value, OAuthError> {
    let metadata = format!(
        "{}/.well-known/oauth-protected-resource{}",
        cx.config.base_url, api.path
    );
    let unauthorized = |e: OAuthError| e.with_resource_metadata(metadata.clone());
    let Some(needed) = api.scope_for(&req.method) else {
        return Err(OAuthError::method_not_allowed(&api.allow()));
    };
    let token = bearer(req).map_err(unauthorized)?;
    let jwt = protocol_wire::jwt::decode(token).map_err(|e| {
        unauthorized(OAuthError::invalid_token(format!(
            "The access token is not a JWT: {e}"
        )))
    })?;
    let servers: Vec<String> = cx.config.servers_for(api).map(|s| s.id.clone()).collect();
    let server = servers
        .iter()
        .find(|s| jwt.str_claim("iss") == Some(cx.config.issuer(Some(s)).as_str()))
        .cloned();
    let Some(server) = server else {
        let accepted: Vec<String> = servers.iter().map(|s| cx.config.issuer(Some(s))).collect();
        return Err(unauthorized(OAuthError::invalid_token(format!(
            "This API accepts tokens from {} only; this one is from {}.",
            accepted.join(" or "),
            jwt.str_claim("iss").unwrap_or("(no iss)")
        ))));
    };
    let jwt = cx
        .verify_own(token, Some(&server))
        .map_err(|e| unauthorized(OAuthError::invalid_token(e.to_string())))?;
    if !jwt.audiences().contains(&api.audience) {
        return Err(unauthorized(OAuthError::invalid_token(format!(
            "The token's aud {:?} does not include this API ({}).",
            jwt.audiences(),
            api.audience
        ))));
    }
    let scopes = protocol_wire::scope::from_claims(&jwt.claims).unwrap_or_default();
    if !scopes.iter().any(|s| s == needed) {
        return Err(OAuthError::insufficient_scope(format!(
            "{} {} requires the {needed} scope; the token has {}.",
            req.method,
            api.name,
            if scopes.is_empty() {
                "none".to_string()
            } else {
                scopes.join(" ")
            }
        ))
        .with_scope(needed));
    }
    let sub = jwt.str_claim("sub").unwrap_or_default();
    let user = jwt
        .str_claim("uid")
        .and_then(|u| cx.config.user(u))
        .or_else(|| cx.config.user(sub));
    let act = jwt.claims.get("act").cloned().unwrap_or(Value::Null);
    let chain = act_chain_of(jwt.claims.get("act"));
    let principal = match user {
        Some(u) => format!("{} ({})", u.name, u.id),
        None => sub.to_string(),
    };
    let summary = match (chain.split_first(), user) {
        (Some((first, rest)), _) => {
            let via: String = rest
                .iter()
                .filter(|a| a.as_str() != sub)
                .map(|a| format!(" for {a}"))
                .collect();
            format!(
                "{}: {first} is acting{via} on behalf of {principal}",
                api.name
            )
        }
        (None, Some(_)) => match jwt.str_claim("cid") {
            Some(c) => format!(
                "{}: {c} is calling on behalf of {principal}; no act claim names it",
                api.name
            ),
            None => format!("{}: {principal} is calling directly", api.name),
        },
        (None, None) => format!("{}: {sub} is calling for itself", api.name),
    };
    Ok(json!({
        "resource": path,
        "method": req.method,
        "api": api.name,
        "caller": { "sub": sub, "uid": jwt.claims.get("uid"), "act": act, "actors": chain, "client_id": jwt.claims.get("cid"), "scope": scopes.join(" ") },
        "summary": summary,
        "items": [
            { "id": "item-1", "title": "Q3 planning notes", "owner": sub },
            { "id": "item-2", "title": "Agent access review", "owner": sub }
        ]
    }))
}
