//! Client credentials (RFC 6749 4.4): a client's token for itself. Custom servers grant it
//! under an access policy (scopes narrowed, `resource` among the ones they serve); the
//! PingOne realm grants only the scopes assigned to the client; the org server issues such
//! tokens only for Okta's own APIs, as Okta does.

use protocol_wire::constants::GRANT_CLIENT_CREDENTIALS;
use protocol_wire::scope;
use serde_json::{json, Value};

use super::{check_defined, narrow, resources};
use crate::config::Client;
use crate::error::OAuthError;
use crate::form::Form;
use crate::tokens::{self, AccessToken, Subject, ACCESS_TOKEN_SECS, REALM_TOKEN_SECS};
use crate::Cx;

pub(super) fn client_credentials(
    cx: &Cx,
    server: Option<&str>,
    client: &Client,
    form: &Form,
) -> Result<Value, OAuthError> {
    let Some(server_id) = server else {
        return Err(OAuthError::invalid_scope(
            "The org authorization server issues client-credentials tokens only for Okta's own APIs (okta.* scopes). Ask a custom authorization server (/oauth2/{id}/v1/token) for a token to your API or agent.",
        ));
    };
    let srv = cx
        .config
        .server(server_id)
        .ok_or_else(|| OAuthError::not_found("Unknown authorization server."))?;
    let requested = scope::split(form.get("scope")?.unwrap_or_default());
    check_defined(&requested, &srv.scopes, &srv.name)?;
    let allowed = cx
        .config
        .connection(&client.id, server_id)
        .map(|c| c.scopes.clone())
        .ok_or_else(|| {
            OAuthError::unauthorized_client(format!(
                "No access policy of {} lets {} use client credentials.",
                srv.name, client.id
            ))
        })?;
    let granted = narrow(client, &allowed, &requested, "access policy")?;
    let n = cx.now;
    if cx.config.is_realm(server) {
        if !form.all("resource").is_empty() {
            return Err(OAuthError::invalid_target(
                "This realm does not take resource indicators.",
            ));
        }
        let access = cx.sign(server, "JWT", json!({
            "iss": cx.config.issuer(server), "sub": client.id, "aud": client.id, "client_id": client.id,
            "scope": granted.join(" "), "grant_type": GRANT_CLIENT_CREDENTIALS, "jti": cx.random_id(),
            "iat": n, "nbf": n, "exp": n + REALM_TOKEN_SECS, "tokenName": "access_token", "token_type": "Bearer",
            "authGrantId": cx.random_id(), "auditTrackingId": format!("{}-{n}", cx.random_id()),
            "subname": client.id, "cts": "OAUTH2_STATELESS_GRANT",
        }))?;
        return Ok(
            json!({ "token_type": "Bearer", "access_token": access, "expires_in": REALM_TOKEN_SECS, "scope": granted.join(" ") }),
        );
    }
    let aud = match resources(form, &srv.resources, &srv.name)?.as_slice() {
        [] => srv.audience.clone(),
        [one] => one.to_string(),
        _ => {
            return Err(OAuthError::invalid_target(
                "Only one resource may be requested with client credentials here.",
            ))
        }
    };
    let subject = Subject::Client(client.id.clone());
    let (access, _) = tokens::access_token(
        cx,
        AccessToken {
            server,
            aud: json!(aud),
            subject: &subject,
            client: &client.id,
            scopes: &granted,
            auth_time: None,
            act: None,
            sub_profile: None,
        },
    )?;
    Ok(
        json!({ "token_type": "Bearer", "access_token": access, "expires_in": ACCESS_TOKEN_SECS, "scope": granted.join(" ") }),
    )
}
