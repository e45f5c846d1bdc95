//! RFC 8693 token exchange: ID-JAGs and Okta's vaulted resources at the org server,
//! on-behalf-of at custom servers, the autonomous agent's exchange in a PingOne realm.

use protocol_wire::constants::*;
use protocol_wire::jwt::{decode, DecodedJwt};
use protocol_wire::scope;
use serde_json::{json, Value};

use super::{check_defined, narrow, resources};
use crate::config::{Client, ClientKind};
use crate::error::OAuthError;
use crate::form::Form;
use crate::tokens::{self, AccessToken, Subject, ACCESS_TOKEN_SECS, REALM_TOKEN_SECS};
use crate::Cx;

pub(super) fn token_exchange(
    cx: &Cx,
    server: Option<&str>,
    client: &Client,
    form: &Form,
) -> Result<Value, OAuthError> {
    let requested = form
        .get("requested_token_type")?
        .unwrap_or(TOKEN_TYPE_ACCESS);
    let realm = cx.config.is_realm(server);
    match (server, requested) {
        (None, TOKEN_TYPE_ID_JAG) => id_jag(cx, client, form),
        (None, TOKEN_TYPE_OKTA_VAULTED_SECRET | TOKEN_TYPE_OKTA_SERVICE_ACCOUNT) => vaulted(cx, client, form, requested),
        (Some(_), TOKEN_TYPE_ID_JAG) => Err(OAuthError::invalid_request(
            "ID-JAGs are issued by the org authorization server (/oauth2/v1/token), not by a custom authorization server.",
        )),
        (Some(id), TOKEN_TYPE_ACCESS) if realm => realm_exchange(cx, id, client, form),
        (Some(id), TOKEN_TYPE_ACCESS) => on_behalf_of(cx, id, client, form),
        (_, other) => Err(OAuthError::invalid_request(format!(
            "requested_token_type {other} is not supported at this endpoint."
        ))),
    }
}

/// The subject token type named in the request (ID or access token).
fn subject_type(form: &Form) -> Result<&'static str, OAuthError> {
    match form.get("subject_token_type")? {
        None => Err(OAuthError::invalid_request("subject_token_type is required.")),
        Some(TOKEN_TYPE_ID) => Ok(TOKEN_TYPE_ID),
        Some(TOKEN_TYPE_ACCESS) => Ok(TOKEN_TYPE_ACCESS),
        Some(other) => Err(OAuthError::invalid_request(format!(
            "subject_token_type {other} is not supported here (use the ID token or access token type)."
        ))),
    }
}

/// A token issued by one of this tenant's servers, verified; with the server that issued it.
fn own_token(cx: &Cx, token: &str, what: &str) -> Result<(DecodedJwt, Option<String>), OAuthError> {
    let jwt = decode(token)
        .map_err(|e| OAuthError::invalid_grant(format!("The {what} is not a JWT: {e}")))?;
    let server = cx.server_of(&jwt).ok_or_else(|| {
        OAuthError::invalid_grant(format!("The {what} was not issued by this org."))
    })?;
    let jwt = cx
        .verify_own(token, server.as_deref())
        .map_err(|e| OAuthError::invalid_grant(format!("Invalid {what}: {e}")))?;
    Ok((jwt, server))
}

/// Who may exchange a subject token at the org server, and what the ID-JAG carries.
struct CheckedSubject {
    jwt: DecodedJwt,
    subject: Subject,
    /// The `act` chain the exchange continues (agent-to-agent), if any.
    chain: Option<Value>,
}

/// The subject of an agent's exchange at the org server:
/// - an ID token: from the org server, issued to the agent or an app linked to it;
/// - a user's access token without `act`: issued to a linked app (seed 002's alternative);
/// - a client's own token, or a token another agent obtained: its `aud` must name this
///   agent's URL, and its client (or acting agent) must be allowed to delegate to it.
fn agent_subject(cx: &Cx, agent: &Client, form: &Form) -> Result<CheckedSubject, OAuthError> {
    let kind = subject_type(form)?;
    let (jwt, issuer) = own_token(cx, form.require("subject_token")?, "subject token")?;
    let looks_like_access = jwt.claims.contains_key("scp") || jwt.claims.contains_key("cid");
    if kind == TOKEN_TYPE_ID && looks_like_access {
        return Err(OAuthError::invalid_grant(
            "The subject token is an access token, but subject_token_type says ID token.",
        ));
    }
    if kind == TOKEN_TYPE_ACCESS && !looks_like_access {
        return Err(OAuthError::invalid_grant(
            "The subject token is not an access token, but subject_token_type says access token.",
        ));
    }
    let subject = Subject::of_claims(cx, &jwt.claims)
        .ok_or_else(|| OAuthError::invalid_grant("The subject token has no sub."))?;
    if kind == TOKEN_TYPE_ID {
        if issuer.is_some() {
            return Err(OAuthError::invalid_grant(format!(
                "The ID token was issued by {}, a custom authorization server; an ID-JAG exchange takes ID tokens from the org authorization server ({}), as Okta's AI agent token exchange requires.",
                jwt.str_claim("iss").unwrap_or_default(),
                cx.config.issuer(None)
            )));
        }
        let owner = jwt.audiences().into_iter().next().unwrap_or_default();
        linked(agent, &owner)?;
        return Ok(CheckedSubject {
            jwt,
            subject,
            chain: None,
        });
    }
    let client = jwt.str_claim("cid").unwrap_or_default().to_string();
    let prior_act = jwt.claims.get("act").cloned();
    let machine = prior_act.is_some() || matches!(subject, Subject::Client(_));
    if !machine {
        linked(agent, &client)?;
        return Ok(CheckedSubject {
            jwt,
            subject,
            chain: None,
        });
    }
    let url = agent.resource_url.as_deref().ok_or_else(|| {
        OAuthError::invalid_grant(format!(
            "Agent {} has no resource URL configured, so no client can obtain a token for it.",
            agent.id
        ))
    })?;
    let auds = jwt.audiences();
    if !auds.iter().any(|a| a == url) {
        return Err(OAuthError::invalid_grant(format!(
            "The subject token's aud {auds:?} does not name agent {} ({url}): a token obtained for another agent or resource cannot be exchanged by this one.",
            agent.id
        )));
    }
    let delegator = prior_act
        .as_ref()
        .and_then(|a| a.get("sub"))
        .and_then(Value::as_str)
        .unwrap_or(&client)
        .to_string();
    if !agent.delegations.contains(&delegator) {
        return Err(OAuthError::invalid_grant(format!(
            "No delegation link lets {delegator} delegate to agent {}.",
            agent.id
        )));
    }
    let chain = match prior_act {
        Some(a) => a,
        None => {
            let kind = cx
                .config
                .client(&client)
                .map(|c| c.kind)
                .unwrap_or(ClientKind::Service);
            json!({ "sub": client, "sub_profile": kind.sub_profile() })
        }
    };
    Ok(CheckedSubject {
        jwt,
        subject,
        chain: Some(chain),
    })
}

fn linked(agent: &Client, owner: &str) -> Result<(), OAuthError> {
    if owner != agent.id && !agent.linked_apps.iter().any(|a| a == owner) {
        return Err(OAuthError::invalid_grant(format!(
            "The subject token was issued to {owner}, which is not linked to agent {}.",
            agent.id
        )));
    }
    Ok(())
}

fn id_jag(cx: &Cx, agent: &Client, form: &Form) -> Result<Value, OAuthError> {
    let checked = agent_subject(cx, agent, form)?;
    let audience = form.get("audience")?.ok_or_else(|| {
        OAuthError::invalid_request(
            "audience is required: the issuer of the target authorization server.",
        )
    })?;
    let target = cx
        .config
        .servers
        .iter()
        .find(|s| !cx.config.is_realm(Some(&s.id)) && cx.config.issuer(Some(&s.id)) == audience)
        .ok_or_else(|| OAuthError::invalid_target(format!(
            "audience {audience} is not the issuer of any authorization server in this org (issuers match exactly)."
        )))?;
    let connection = cx.config.connection(&agent.id, &target.id).ok_or_else(|| {
        OAuthError::invalid_target(format!(
            "No managed connection lets {} reach {audience}.",
            agent.id
        ))
    })?;
    let requested = scope::split(form.get("scope")?.unwrap_or_default());
    if let Some(s) = requested
        .iter()
        .find(|s| ["openid", "profile", "email", "offline_access"].contains(&s.as_str()))
    {
        return Err(OAuthError::invalid_scope(format!(
            "{s} not allowed: an ID-JAG exchange asks for the resource's own scopes."
        )));
    }
    check_defined(&requested, &target.scopes, &target.name)?;
    let granted = narrow(agent, &connection.scopes, &requested, "managed connection")?;
    let resources = resources(form, &target.resources, &target.name)?;
    let n = cx.now;
    let mut claims = json!({
        "iss": cx.config.issuer(None), "sub": checked.subject.id_sub(), "aud": audience, "client_id": agent.id,
        "jti": format!("IDAAG.{}", cx.random_id()), "iat": n, "exp": n + ID_JAG_MAX_LIFETIME_SECS,
        "scope": granted.join(" "),
    });
    if let Some(at) = checked.jwt.time_claim("auth_time") {
        claims["auth_time"] = json!(at);
    }
    if let Subject::User { id, .. } = &checked.subject {
        if let Some(u) = cx.config.user(id) {
            claims["email"] = json!(u.email);
        }
    }
    if let Some(prior) = checked.chain {
        let profile = if matches!(checked.subject, Subject::Client(_)) {
            "service"
        } else {
            "user"
        };
        claims["sub_profile"] = json!(profile);
        claims["act"] =
            json!({ "sub": agent.id, "sub_profile": agent.kind.sub_profile(), "act": prior });
    }
    match resources.as_slice() {
        [] => {}
        [one] => claims["resource"] = json!(one),
        many => claims["resource"] = json!(many),
    }
    let mut id_jag = cx.sign(None, ID_JAG_TYP, claims)?;
    if cx.config.tamper_id_jag_signatures {
        id_jag = crate::tokens::tampered(&id_jag);
    }
    Ok(json!({
        "issued_token_type": TOKEN_TYPE_ID_JAG, "access_token": id_jag, "token_type": "N_A",
        "expires_in": ID_JAG_MAX_LIFETIME_SECS, "scope": granted.join(" "),
    }))
}

/// Okta resource types: a vaulted secret or a service account released to an agent.
fn vaulted(cx: &Cx, agent: &Client, form: &Form, requested: &str) -> Result<Value, OAuthError> {
    agent_subject(cx, agent, form)?;
    let (want_kind, member) = match requested {
        TOKEN_TYPE_OKTA_VAULTED_SECRET => ("secret", "vaulted_secret"),
        _ => ("service_account", "service_account"),
    };
    let resources = form.all("resource");
    let [orn] = resources.as_slice() else {
        return Err(OAuthError::invalid_request(
            "Exactly one resource (the ORN of the secret or service account) is required.",
        ));
    };
    let res = cx
        .config
        .vaulted
        .iter()
        .find(|r| r.orn == *orn && r.kind == want_kind)
        .ok_or_else(|| {
            OAuthError::invalid_target(format!(
                "No {} with ORN {orn} exists.",
                want_kind.replace('_', " ")
            ))
        })?;
    if !res.clients.contains(&agent.id) {
        return Err(OAuthError::invalid_target(format!(
            "Agent {} has no resource connection to {orn}.",
            agent.id
        )));
    }
    let mut out = json!({ "issued_token_type": requested, "token_type": "N_A", "expires_in": ID_JAG_MAX_LIFETIME_SECS });
    out[member] = res.value.clone();
    Ok(out)
}

/// An access token issued by this server or one it trusts, as an exchange's subject.
fn access_subject(cx: &Cx, server: &str, form: &Form) -> Result<DecodedJwt, OAuthError> {
    match form.get("subject_token_type")? {
        Some(TOKEN_TYPE_ACCESS) => {}
        Some(other) => {
            return Err(OAuthError::invalid_request(format!(
                "subject_token_type must be the access token type here, not {other}."
            )))
        }
        None => {
            return Err(OAuthError::invalid_request(
                "subject_token_type is required.",
            ))
        }
    }
    let (jwt, issuer) = own_token(cx, form.require("subject_token")?, "subject token")?;
    let trusted = issuer.as_deref() == Some(server)
        || cx
            .config
            .server(server)
            .is_some_and(|s| issuer.as_ref().is_some_and(|i| s.trusts.contains(i)));
    if !trusted {
        return Err(OAuthError::invalid_grant(format!(
            "The subject token was issued by {}, which this authorization server does not trust.",
            jwt.str_claim("iss").unwrap_or("(unknown)")
        )));
    }
    Ok(jwt)
}

/// Okta On-Behalf-Of: the user's access token for a token with another audience (seed 003).
fn on_behalf_of(cx: &Cx, server: &str, service: &Client, form: &Form) -> Result<Value, OAuthError> {
    let srv = cx
        .config
        .server(server)
        .ok_or_else(|| OAuthError::not_found("Unknown authorization server."))?;
    let subject_jwt = access_subject(cx, server, form)?;
    let audience = form.require("audience")?;
    if audience != srv.audience && !srv.extra_audiences.iter().any(|a| a == audience) {
        return Err(OAuthError::invalid_target(format!(
            "audience {audience} is not served by {}.",
            srv.name
        )));
    }
    let requested = scope::split(form.get("scope")?.unwrap_or_default());
    if let Some(s) = requested
        .iter()
        .find(|s| ["openid", "offline_access", "profile", "email"].contains(&s.as_str()))
    {
        return Err(OAuthError::invalid_scope(format!(
            "{s} is not allowed: a service app's token exchange cannot request OpenID Connect scopes or offline_access."
        )));
    }
    check_defined(&requested, &srv.scopes, &srv.name)?;
    let allowed = cx
        .config
        .connection(&service.id, server)
        .map(|c| c.scopes.clone())
        .ok_or_else(|| {
            OAuthError::invalid_target(format!(
                "No policy lets {} obtain tokens for {}.",
                service.id, srv.name
            ))
        })?;
    let granted = narrow(service, &allowed, &requested, "access policy")?;
    resources(form, &srv.resources, &srv.name)?;
    let subject = Subject::of_claims(cx, &subject_jwt.claims)
        .ok_or_else(|| OAuthError::invalid_grant("The subject token has no sub."))?;
    let (access, _) = tokens::access_token(
        cx,
        AccessToken {
            server: Some(server),
            aud: json!(audience),
            subject: &subject,
            client: &service.id,
            scopes: &granted,
            auth_time: subject_jwt.time_claim("auth_time"),
            act: None,
            sub_profile: None,
        },
    )?;
    Ok(json!({
        "token_type": "Bearer", "expires_in": ACCESS_TOKEN_SECS, "access_token": access, "scope": granted.join(" "),
        "issued_token_type": TOKEN_TYPE_ACCESS,
    }))
}

/// PingOne AIC: the agent's own token for a token to an application (seed 004), optionally
/// with an actor token (RFC 8693 delegation: `act` names the actor).
fn realm_exchange(cx: &Cx, realm: &str, client: &Client, form: &Form) -> Result<Value, OAuthError> {
    let srv = cx
        .config
        .server(realm)
        .ok_or_else(|| OAuthError::not_found("Unknown realm."))?;
    let subject = access_subject(cx, realm, form)?;
    let audience = form.require("audience")?;
    if cx.config.client(audience).is_none() {
        return Err(OAuthError::invalid_target(format!(
            "audience {audience} is not an application in this realm (use its client ID)."
        )));
    }
    let requested = scope::split(form.get("scope")?.unwrap_or_default());
    check_defined(&requested, &srv.scopes, &srv.name)?;
    let allowed = cx
        .config
        .connection(&client.id, audience)
        .map(|c| c.scopes.clone())
        .ok_or_else(|| {
            OAuthError::invalid_target(format!(
                "No policy lets {} obtain tokens for {audience}.",
                client.id
            ))
        })?;
    let granted = narrow(client, &allowed, &requested, "realm's policy")?;
    let actor = match (form.get("actor_token")?, form.get("actor_token_type")?) {
        (None, None) => client.id.clone(),
        (Some(t), Some(TOKEN_TYPE_ACCESS)) => {
            let jwt = cx
                .verify_own(t, Some(realm))
                .map_err(|e| OAuthError::invalid_grant(format!("Invalid actor token: {e}")))?;
            jwt.str_claim("sub").unwrap_or_default().to_string()
        }
        (Some(_), Some(other)) => {
            return Err(OAuthError::invalid_request(format!(
                "actor_token_type {other} is not supported here."
            )))
        }
        (Some(_), None) => {
            return Err(OAuthError::invalid_request(
                "actor_token_type is required with actor_token (RFC 8693 2.1).",
            ))
        }
        (None, Some(_)) => {
            return Err(OAuthError::invalid_request(
                "actor_token_type without actor_token (RFC 8693 2.1).",
            ))
        }
    };
    let n = cx.now;
    let mut claims = json!({
        "iss": cx.config.issuer(Some(realm)), "sub": subject.str_claim("sub"), "aud": [client.id, audience],
        "act": { "sub": actor }, "client_id": client.id, "scope": granted.join(" "), "jti": cx.random_id(),
        "grant_type": GRANT_TOKEN_EXCHANGE, "iat": n, "nbf": n, "exp": n + REALM_TOKEN_SECS,
        "tokenName": "access_token", "token_type": "Bearer", "authGrantId": cx.random_id(),
        "auditTrackingId": format!("{}-{}", cx.random_id(), n), "subname": subject.str_claim("sub"),
        "cts": "OAUTH2_STATELESS_GRANT",
    });
    if let Some(at) = subject.time_claim("auth_time") {
        claims["auth_time"] = json!(at);
    }
    let access = cx.sign(Some(realm), "JWT", claims)?;
    Ok(json!({
        "access_token": access, "refresh_token": null, "issued_token_type": TOKEN_TYPE_ACCESS,
        "scope": granted.join(" "), "token_type": "Bearer", "expires_in": REALM_TOKEN_SECS,
    }))
}
