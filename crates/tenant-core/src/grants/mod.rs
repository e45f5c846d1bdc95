//! The token endpoint: client authentication, then one module per grant, each validating
//! as PROTOCOL.md says and enforcing the same policy (managed connections, audiences the
//! tenant serves, scopes that only narrow).

mod bearer;
mod code;
mod credentials;
mod exchange;

pub use code::remember_code;

use protocol_wire::constants::*;
use serde_json::Value;

use crate::client_auth::authenticate;
use crate::config::Client;
use crate::error::OAuthError;
use crate::form::Form;
use crate::http::Request;
use crate::Cx;

/// Handles a token request at `server` (`None`: the org authorization server).
pub fn token(
    cx: &Cx,
    server: Option<&str>,
    req: &Request,
    form: &Form,
) -> Result<Value, OAuthError> {
    let grant = form.require("grant_type")?;
    if cx.config.okta_strict && req.header("origin").is_some() {
        let pkce = grant == GRANT_AUTHORIZATION_CODE && form.get("code_verifier")?.is_some();
        if !pkce {
            return Err(OAuthError::invalid_client(
                "Browser requests to the token endpoint must use Proof Key for Code Exchange.",
            ));
        }
    }
    let endpoint = cx.config.endpoint(server, "token");
    let auth = authenticate(cx, req, form, &endpoint, &cx.config.issuer(server))?;
    let basic = auth.basic;
    let client = auth.client;
    if is_known_grant(grant) && !client.grants.iter().any(|g| g == grant) {
        return Err(OAuthError::unauthorized_client(format!(
            "Client {} may not use the {grant} grant.",
            client.id
        ))
        .with_basic(basic));
    }
    let result = match grant {
        GRANT_AUTHORIZATION_CODE => code::authorization_code(cx, server, client, form),
        GRANT_REFRESH_TOKEN => code::refresh(cx, server, client, form),
        GRANT_TOKEN_EXCHANGE => exchange::token_exchange(cx, server, client, form),
        GRANT_JWT_BEARER => bearer::jwt_bearer(cx, server, client, form),
        GRANT_CLIENT_CREDENTIALS => credentials::client_credentials(cx, server, client, form),
        other => Err(OAuthError::unsupported_grant_type(format!(
            "Grant type {other} is not supported here."
        ))),
    };
    result.map_err(|e| e.with_basic(basic))
}

fn is_known_grant(g: &str) -> bool {
    [
        GRANT_AUTHORIZATION_CODE,
        GRANT_REFRESH_TOKEN,
        GRANT_TOKEN_EXCHANGE,
        GRANT_JWT_BEARER,
        GRANT_CLIENT_CREDENTIALS,
    ]
    .contains(&g)
}

/// Refuses a scope the server does not define, explaining `+`-joined scopes (seed 001 shows
/// `chat.read+chat.history`, which a form-encoding client sends as one word).
pub fn check_defined(
    requested: &[String],
    known: &[String],
    server_name: &str,
) -> Result<(), OAuthError> {
    let Some(s) = requested.iter().find(|s| !known.contains(s)) else {
        return Ok(());
    };
    let parts: Vec<&str> = s.split('+').collect();
    if parts.len() > 1 && parts.iter().all(|p| known.iter().any(|k| k == p)) {
        return Err(OAuthError::invalid_scope(format!(
            "Scope {s:?} is not defined on {server_name}. It looks like {} scopes joined by '+': separate scopes with spaces (in a form body a literal '+' only means a space when it is not percent-encoded, and curl --data-urlencode encodes it as %2B).",
            parts.len()
        )));
    }
    Err(OAuthError::invalid_scope(format!(
        "Scope {s} is not defined on {server_name}."
    )))
}

/// The scopes a policy grants: requested ∩ allowed (everything allowed when none was
/// requested), never empty.
pub fn narrow(
    client: &Client,
    allowed: &[String],
    requested: &[String],
    policy: &str,
) -> Result<Vec<String>, OAuthError> {
    let granted: Vec<String> = if requested.is_empty() {
        allowed.to_vec()
    } else {
        requested
            .iter()
            .filter(|s| allowed.contains(s))
            .cloned()
            .collect()
    };
    if granted.is_empty() {
        return Err(OAuthError::invalid_scope(format!(
            "None of the requested scopes are allowed for {} by the {policy} (allowed: {}).",
            client.id,
            allowed.join(" ")
        )));
    }
    Ok(granted)
}

/// The `resource` values of a request, each required to be one this server issues tokens
/// for (RFC 8707 2: otherwise `invalid_target`).
pub fn resources<'f>(
    form: &'f Form,
    served: &[String],
    server_name: &str,
) -> Result<Vec<&'f str>, OAuthError> {
    let resources = form.all("resource");
    if let Some(r) = resources.iter().find(|r| !served.iter().any(|x| x == *r)) {
        return Err(OAuthError::invalid_target(format!(
            "resource {r} is not served by {server_name}{}.",
            if served.is_empty() {
                " (it serves no resource indicators)".to_string()
            } else {
                format!(" (it serves {})", served.join(", "))
            }
        )));
    }
    Ok(resources)
}
