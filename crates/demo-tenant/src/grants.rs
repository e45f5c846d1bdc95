//! The token endpoint: one function per grant, each validating as PROTOCOL.md says.

use axum::http::HeaderMap;
use protocol::constants::*;
use protocol::jwt::{decode, verify, DecodedJwt};
use protocol::native::NativeVerifier;
use protocol::scope;
use serde_json::{json, Value};

use crate::client_auth::{authenticate, Authenticated};
use crate::config::Client;
use crate::error::OAuthError;
use crate::form::Form;
use crate::state::{now, random_id, Tenant};

/// Access token lifetime.
const ACCESS_TOKEN_SECS: i64 = 3600;

/// Handles a token request at `server` (`None`: the org authorization server).
pub fn token(
    t: &Tenant,
    server: Option<&str>,
    headers: &HeaderMap,
    form: &Form,
) -> Result<Value, OAuthError> {
    let grant = form.require("grant_type")?;
    if t.config.okta_strict && headers.contains_key("origin") {
        let pkce = grant == GRANT_AUTHORIZATION_CODE && form.get("code_verifier")?.is_some();
        if !pkce {
            return Err(OAuthError::invalid_client(
                "Browser requests to the token endpoint must use Proof Key for Code Exchange.",
            ));
        }
    }
    let endpoint = t.config.endpoint(server, "token");
    let auth = authenticate(t, headers, form, &endpoint)?;
    let basic = auth.basic;
    let client = auth.client;
    if !client.grants.iter().any(|g| g == grant) && is_known_grant(grant) {
        return Err(OAuthError::unauthorized_client(format!(
            "Client {} may not use the {grant} grant.",
            client.id
        ))
        .with_basic(basic));
    }
    let result = match grant {
        GRANT_AUTHORIZATION_CODE => authorization_code(t, server, client, form),
        GRANT_TOKEN_EXCHANGE => token_exchange(t, server, &auth, form),
        GRANT_JWT_BEARER => jwt_bearer(t, server, client, form),
        GRANT_CLIENT_CREDENTIALS => client_credentials(t, server, client, form),
        other => Err(OAuthError::unsupported_grant_type(format!(
            "Grant type {other} is not supported here."
        ))),
    };
    result.map_err(|e| e.with_basic(basic))
}

fn is_known_grant(g: &str) -> bool {
    [
        GRANT_AUTHORIZATION_CODE,
        GRANT_TOKEN_EXCHANGE,
        GRANT_JWT_BEARER,
        GRANT_CLIENT_CREDENTIALS,
    ]
    .contains(&g)
}

fn authorization_code(
    t: &Tenant,
    server: Option<&str>,
    client: &Client,
    form: &Form,
) -> Result<Value, OAuthError> {
    let code = form.require("code")?;
    let redirect_uri = form.require("redirect_uri")?;
    let verifier = form.get("code_verifier")?.ok_or_else(|| {
        OAuthError::invalid_request("code_verifier is required: this server requires PKCE.")
    })?;
    let pending = {
        let mut codes = t.codes.lock().unwrap();
        let p = codes
            .get_mut(code)
            .ok_or_else(|| OAuthError::invalid_grant("The authorization code is unknown."))?;
        if p.used {
            return Err(OAuthError::invalid_grant(
                "The authorization code was already used; codes are single-use.",
            ));
        }
        p.used = true;
        p.clone()
    };
    if pending.server.as_deref() != server {
        return Err(OAuthError::invalid_grant(
            "The code was issued by another authorization server.",
        ));
    }
    if pending.expires_at < now() {
        return Err(OAuthError::invalid_grant(
            "The authorization code has expired.",
        ));
    }
    if pending.client_id != client.id {
        return Err(OAuthError::invalid_grant(
            "The code was issued to another client.",
        ));
    }
    if pending.redirect_uri != redirect_uri {
        return Err(OAuthError::invalid_grant(
            "redirect_uri differs from the one in the authorization request.",
        ));
    }
    protocol::pkce::validate_verifier(verifier).map_err(OAuthError::invalid_grant)?;
    if protocol::pkce::challenge_s256(verifier) != pending.code_challenge {
        return Err(OAuthError::invalid_grant(
            "PKCE verification failed: S256(code_verifier) does not match the code_challenge.",
        ));
    }
    let user = t
        .config
        .user(&pending.user_id)
        .ok_or_else(|| OAuthError::invalid_grant("The user no longer exists."))?;
    let n = now();
    let issuer = t.config.issuer(server);
    let aud = match server {
        None => issuer.clone(),
        Some(id) => t
            .config
            .server(id)
            .map(|s| s.audience.clone())
            .unwrap_or_default(),
    };
    let scopes = scope::split(&pending.scope);
    let access = t.sign(server, "application/okta-internal-at+jwt", json!({
        "ver": 1, "jti": format!("AT.{}", random_id()), "iss": issuer, "aud": aud, "sub": user.id,
        "iat": n, "exp": n + ACCESS_TOKEN_SECS, "cid": client.id, "uid": user.id, "scp": scopes,
        "auth_time": pending.auth_time,
    }));
    let mut resp = json!({
        "token_type": "Bearer", "expires_in": ACCESS_TOKEN_SECS, "access_token": access, "scope": pending.scope,
    });
    if scopes.iter().any(|s| s == "openid") {
        let mut claims = json!({
            "iss": issuer, "sub": user.id, "aud": client.id, "iat": n, "exp": n + ACCESS_TOKEN_SECS,
            "jti": format!("ID.{}", random_id()), "auth_time": pending.auth_time, "amr": ["pwd"],
        });
        if let Some(nonce) = &pending.nonce {
            claims["nonce"] = json!(nonce);
        }
        if scopes.iter().any(|s| s == "email") {
            claims["email"] = json!(user.email);
        }
        if scopes.iter().any(|s| s == "profile") {
            claims["name"] = json!(user.name);
            claims["preferred_username"] = json!(user.username);
        }
        resp["id_token"] = json!(t.sign(server, "JWT", claims));
    }
    Ok(resp)
}

/// Validates a subject token this tenant issued; returns it decoded.
fn subject_token(t: &Tenant, form: &Form) -> Result<(DecodedJwt, &'static str), OAuthError> {
    let token = form.require("subject_token")?;
    let kind = match form.get("subject_token_type")? {
        None => return Err(OAuthError::invalid_request("subject_token_type is required.")),
        Some(TOKEN_TYPE_ID) => TOKEN_TYPE_ID,
        Some(TOKEN_TYPE_ACCESS) => TOKEN_TYPE_ACCESS,
        Some(other) => return Err(OAuthError::invalid_request(format!("subject_token_type {other} is not supported here (use the ID token or access token type)."))),
    };
    let jwt = decode(token)
        .map_err(|e| OAuthError::invalid_grant(format!("The subject token is not a JWT: {e}")))?;
    let server = t.server_of(&jwt).ok_or_else(|| {
        OAuthError::invalid_grant("The subject token was not issued by this org.")
    })?;
    let jwt = t
        .verify_own(token, server.as_deref())
        .map_err(|e| OAuthError::invalid_grant(format!("Invalid subject token: {e}")))?;
    if kind == TOKEN_TYPE_ID && jwt.str_claim("nonce").is_none() && jwt.claims.contains_key("scp") {
        return Err(OAuthError::invalid_grant(
            "The subject token is an access token, but subject_token_type says ID token.",
        ));
    }
    if kind == TOKEN_TYPE_ACCESS && !jwt.claims.contains_key("scp") {
        return Err(OAuthError::invalid_grant(
            "The subject token is not an access token, but subject_token_type says access token.",
        ));
    }
    Ok((jwt, kind))
}

fn token_exchange(
    t: &Tenant,
    server: Option<&str>,
    auth: &Authenticated,
    form: &Form,
) -> Result<Value, OAuthError> {
    let requested = form
        .get("requested_token_type")?
        .unwrap_or(TOKEN_TYPE_ACCESS);
    let realm = t.config.is_realm(server);
    match (server, requested) {
        (None, TOKEN_TYPE_ID_JAG) => id_jag_exchange(t, auth.client, form),
        (None, TOKEN_TYPE_OKTA_VAULTED_SECRET | TOKEN_TYPE_OKTA_SERVICE_ACCOUNT) => vaulted_exchange(t, auth.client, form, requested),
        (Some(_), TOKEN_TYPE_ID_JAG) => Err(OAuthError::invalid_request(
            "ID-JAGs are issued by the org authorization server (/oauth2/v1/token), not by a custom authorization server.",
        )),
        (Some(id), TOKEN_TYPE_ACCESS) if realm => realm_exchange(t, id, auth.client, form),
        (Some(id), TOKEN_TYPE_ACCESS) => on_behalf_of(t, id, auth.client, form),
        (_, other) => Err(OAuthError::invalid_request(format!("requested_token_type {other} is not supported at this endpoint."))),
    }
}

/// The scopes a managed connection grants for a request: requested ∩ allowed, never empty.
fn narrow(
    t: &Tenant,
    client: &Client,
    target: &str,
    requested: &[String],
    known: &[String],
) -> Result<Vec<String>, OAuthError> {
    if let Some(s) = requested.iter().find(|s| !known.contains(s)) {
        return Err(OAuthError::invalid_scope(format!(
            "Scope {s} is not defined here."
        )));
    }
    let allowed = t
        .config
        .connections
        .iter()
        .find(|c| c.client == client.id && c.server == target)
        .map(|c| c.scopes.clone())
        .ok_or_else(|| {
            OAuthError::invalid_target(format!(
                "No policy lets {} obtain tokens for {target}.",
                client.id
            ))
        })?;
    let granted: Vec<String> = if requested.is_empty() {
        allowed.clone()
    } else {
        requested
            .iter()
            .filter(|s| allowed.contains(s))
            .cloned()
            .collect()
    };
    if granted.is_empty() {
        return Err(OAuthError::invalid_scope(format!(
            "None of the requested scopes are allowed for {} (allowed: {}).",
            client.id,
            allowed.join(" ")
        )));
    }
    Ok(granted)
}

/// An access token issued by this server or one it trusts, as an exchange's subject.
fn access_subject(t: &Tenant, server: &str, form: &Form) -> Result<DecodedJwt, OAuthError> {
    let token = form.require("subject_token")?;
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
    let jwt = decode(token)
        .map_err(|e| OAuthError::invalid_grant(format!("The subject token is not a JWT: {e}")))?;
    let issuer = t.server_of(&jwt).ok_or_else(|| {
        OAuthError::invalid_grant("The subject token was not issued by this org.")
    })?;
    let trusted = issuer.as_deref() == Some(server)
        || t.config
            .server(server)
            .is_some_and(|s| issuer.as_ref().is_some_and(|i| s.trusts.contains(i)));
    if !trusted {
        return Err(OAuthError::invalid_grant(format!(
            "The subject token was issued by {}, which this authorization server does not trust.",
            jwt.str_claim("iss").unwrap_or("(unknown)")
        )));
    }
    t.verify_own(token, issuer.as_deref())
        .map_err(|e| OAuthError::invalid_grant(format!("Invalid subject token: {e}")))
}

/// Okta On-Behalf-Of: the user's access token for a token with another audience (seed 003).
fn on_behalf_of(
    t: &Tenant,
    server: &str,
    client: &Client,
    form: &Form,
) -> Result<Value, OAuthError> {
    let srv = t
        .config
        .server(server)
        .ok_or_else(|| OAuthError::not_found("Unknown authorization server."))?;
    let subject = access_subject(t, server, form)?;
    let audience = form.require("audience")?;
    if audience != srv.audience && !srv.extra_audiences.iter().any(|a| a == audience) {
        return Err(OAuthError::invalid_target(format!(
            "audience {audience} is not served by {}.",
            srv.name
        )));
    }
    let granted = narrow(
        t,
        client,
        server,
        &scope::split(form.get("scope")?.unwrap_or_default()),
        &srv.scopes,
    )?;
    let n = now();
    let access = t.sign(Some(server), "application/okta-internal-at+jwt", json!({
        "ver": 1, "jti": format!("AT.{}", random_id()), "iss": t.config.issuer(Some(server)), "aud": audience,
        "sub": subject.str_claim("sub"), "uid": subject.claims.get("uid"), "iat": n, "exp": n + ACCESS_TOKEN_SECS,
        "cid": client.id, "scp": granted,
    }));
    Ok(json!({
        "token_type": "Bearer", "expires_in": ACCESS_TOKEN_SECS, "access_token": access, "scope": granted.join(" "),
        "issued_token_type": TOKEN_TYPE_ACCESS,
    }))
}

/// PingOne AIC: the agent's own token (or a user's) for a token to an application (seed 004).
fn realm_exchange(
    t: &Tenant,
    realm: &str,
    client: &Client,
    form: &Form,
) -> Result<Value, OAuthError> {
    let srv = t
        .config
        .server(realm)
        .ok_or_else(|| OAuthError::not_found("Unknown realm."))?;
    let subject = access_subject(t, realm, form)?;
    let audience = form.require("audience")?;
    if t.config.client(audience).is_none() {
        return Err(OAuthError::invalid_target(format!(
            "audience {audience} is not an application in this realm (use its client ID)."
        )));
    }
    let granted = narrow(
        t,
        client,
        audience,
        &scope::split(form.get("scope")?.unwrap_or_default()),
        &srv.scopes,
    )?;
    let n = now();
    let access = t.sign(Some(realm), "JWT", json!({
        "iss": t.config.issuer(Some(realm)), "sub": subject.str_claim("sub"), "aud": [client.id, audience],
        "act": { "sub": client.id }, "client_id": client.id, "scope": granted.join(" "), "jti": random_id(),
        "grant_type": GRANT_TOKEN_EXCHANGE, "iat": n, "exp": n + ACCESS_TOKEN_SECS - 1,
        "auth_time": subject.claims.get("auth_time"),
    }));
    Ok(json!({
        "access_token": access, "refresh_token": null, "issued_token_type": TOKEN_TYPE_ACCESS,
        "scope": granted.join(" "), "token_type": "Bearer", "expires_in": ACCESS_TOKEN_SECS - 1,
    }))
}

/// Okta resource types: a vaulted secret or a service account released to an agent.
fn vaulted_exchange(
    t: &Tenant,
    client: &Client,
    form: &Form,
    requested: &str,
) -> Result<Value, OAuthError> {
    linked_subject(t, client, form)?;
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
    let res = t
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
    if !res.clients.contains(&client.id) {
        return Err(OAuthError::invalid_target(format!(
            "Agent {} has no resource connection to {orn}.",
            client.id
        )));
    }
    let mut out = json!({ "issued_token_type": requested, "token_type": "N_A", "expires_in": ID_JAG_MAX_LIFETIME_SECS });
    out[member] = res.value.clone();
    Ok(out)
}

/// The subject token of an agent's exchange at the org server: issued here, to the agent itself
/// or to an app the agent is linked to (the ID token's `aud`, the access token's `cid`).
fn linked_subject(t: &Tenant, client: &Client, form: &Form) -> Result<DecodedJwt, OAuthError> {
    let (subject, kind) = subject_token(t, form)?;
    let owner = match kind {
        TOKEN_TYPE_ID => subject.audiences().into_iter().next().unwrap_or_default(),
        _ => subject.str_claim("cid").unwrap_or_default().to_string(),
    };
    if owner != client.id && !client.linked_apps.contains(&owner) {
        return Err(OAuthError::invalid_grant(format!(
            "The subject token was issued to {owner}, which is not linked to agent {}.",
            client.id
        )));
    }
    Ok(subject)
}

fn id_jag_exchange(t: &Tenant, client: &Client, form: &Form) -> Result<Value, OAuthError> {
    let subject = linked_subject(t, client, form)?;
    let audience = form.get("audience")?.ok_or_else(|| {
        OAuthError::invalid_request(
            "audience is required: the issuer of the target authorization server.",
        )
    })?;
    let target = t
        .config
        .servers
        .iter()
        .find(|s| t.config.issuer(Some(&s.id)) == audience)
        .ok_or_else(|| OAuthError::invalid_target(format!("audience {audience} is not the issuer of any authorization server in this org (issuers match exactly).")))?;
    let connection = t
        .config
        .connections
        .iter()
        .find(|c| c.client == client.id && c.server == target.id)
        .ok_or_else(|| {
            OAuthError::invalid_target(format!(
                "No managed connection lets {} reach {audience}.",
                client.id
            ))
        })?;
    let requested = scope::split(form.get("scope")?.unwrap_or_default());
    if let Some(s) = requested
        .iter()
        .find(|s| ["openid", "profile", "email", "offline_access"].contains(&s.as_str()))
    {
        return Err(OAuthError::invalid_scope(format!("Scope {s} cannot be requested in an ID-JAG exchange; ask for the resource's own scopes.")));
    }
    if let Some(s) = requested.iter().find(|s| !target.scopes.contains(s)) {
        return Err(OAuthError::invalid_scope(format!(
            "Scope {s} is not defined on {}.",
            target.name
        )));
    }
    let granted: Vec<String> = if requested.is_empty() {
        connection.scopes.clone()
    } else {
        requested
            .iter()
            .filter(|s| connection.scopes.contains(s))
            .cloned()
            .collect()
    };
    if granted.is_empty() {
        return Err(OAuthError::invalid_scope(format!(
            "None of the requested scopes are allowed for {} by the managed connection (allowed: {}).",
            client.id,
            connection.scopes.join(" ")
        )));
    }
    let resources = form.all("resource");
    if let Some(r) = resources
        .iter()
        .find(|r| !target.resources.iter().any(|x| x == *r))
    {
        return Err(OAuthError::invalid_target(format!(
            "resource {r} is not served by {}.",
            target.name
        )));
    }
    let user = subject.str_claim("sub").unwrap_or_default();
    let email = t.config.user(user).map(|u| u.email.clone());
    let n = now();
    let mut claims = json!({
        "iss": t.config.issuer(None), "sub": user, "aud": audience, "client_id": client.id,
        "jti": random_id(), "iat": n, "exp": n + ID_JAG_MAX_LIFETIME_SECS, "scope": granted.join(" "),
    });
    if let Some(at) = subject.time_claim("auth_time") {
        claims["auth_time"] = json!(at);
    }
    if let Some(e) = email {
        claims["email"] = json!(e);
    }
    match resources.as_slice() {
        [] => {}
        [one] => claims["resource"] = json!(one),
        many => claims["resource"] = json!(many),
    }
    let id_jag = t.sign(None, ID_JAG_TYP, claims);
    Ok(json!({
        "issued_token_type": TOKEN_TYPE_ID_JAG, "access_token": id_jag, "token_type": "N_A",
        "expires_in": ID_JAG_MAX_LIFETIME_SECS, "scope": granted.join(" "),
    }))
}

fn jwt_bearer(
    t: &Tenant,
    server: Option<&str>,
    client: &Client,
    form: &Form,
) -> Result<Value, OAuthError> {
    let server_id = server.ok_or_else(|| OAuthError::unsupported_grant_type("Redeem an ID-JAG at the custom authorization server named in its aud, not at the org server."))?;
    let srv = t
        .config
        .server(server_id)
        .ok_or_else(|| OAuthError::not_found("Unknown authorization server."))?;
    let assertion = form.require("assertion")?;
    let bad = |d: String| OAuthError::invalid_grant(d);
    let jwt = decode(assertion).map_err(|e| bad(format!("The assertion is not a JWT: {e}")))?;
    if jwt.header_str("typ") != Some(ID_JAG_TYP) {
        return Err(bad(format!(
            "The assertion's typ is {:?}; an ID-JAG must be typed {ID_JAG_TYP}.",
            jwt.header_str("typ").unwrap_or("(missing)")
        )));
    }
    let org = t.config.issuer(None);
    if jwt.str_claim("iss") != Some(org.as_str()) {
        return Err(bad(format!(
            "The ID-JAG issuer {:?} is not a trusted identity provider.",
            jwt.str_claim("iss").unwrap_or("(missing)")
        )));
    }
    verify(&jwt, &t.jwks(None), &NativeVerifier)
        .map_err(|e| bad(format!("The ID-JAG signature is invalid: {e}.")))?;
    let issuer = t.config.issuer(Some(server_id));
    let auds = jwt.audiences();
    if auds.len() != 1 || auds[0] != issuer {
        return Err(bad(format!(
            "The ID-JAG aud must be exactly this server's issuer {issuer}; it is {auds:?}."
        )));
    }
    if jwt.str_claim("client_id") != Some(client.id.as_str()) {
        return Err(bad(format!(
            "The ID-JAG was issued for client {:?}, but {} is redeeming it.",
            jwt.str_claim("client_id").unwrap_or("(missing)"),
            client.id
        )));
    }
    let n = now();
    let exp = jwt
        .time_claim("exp")
        .ok_or_else(|| bad("The ID-JAG has no exp.".into()))?;
    if exp + CLOCK_SKEW_SECS < n {
        return Err(bad(format!("The ID-JAG expired {} seconds ago.", n - exp)));
    }
    if jwt
        .time_claim("iat")
        .is_none_or(|iat| iat > n + CLOCK_SKEW_SECS)
    {
        return Err(bad("The ID-JAG's iat is missing or in the future.".into()));
    }
    let jti = jwt
        .str_claim("jti")
        .ok_or_else(|| bad("The ID-JAG has no jti.".into()))?;
    if !t.use_once("id-jag", jti, exp) {
        return Err(bad("This ID-JAG was already redeemed: the demo tenant treats ID-JAGs as single-use. Get a new one (step 2).".into()));
    }
    let allowed = t
        .config
        .connections
        .iter()
        .find(|c| c.client == client.id && c.server == server_id)
        .map(|c| c.scopes.clone())
        .unwrap_or_default();
    let in_jag = scope::from_claims(&jwt.claims).unwrap_or_default();
    let requested = form.get("scope")?.map(scope::split);
    let granted: Vec<String> = in_jag
        .iter()
        .filter(|s| allowed.contains(s) && srv.scopes.contains(s))
        .filter(|s| requested.as_ref().is_none_or(|r| r.contains(s)))
        .cloned()
        .collect();
    if granted.is_empty() {
        return Err(OAuthError::invalid_scope(
            "No scope of the ID-JAG is allowed for this client here.",
        ));
    }
    let aud = protocol::jwt::string_list(jwt.claims.get("resource"))
        .into_iter()
        .next()
        .unwrap_or_else(|| srv.audience.clone());
    let user = jwt.str_claim("sub").unwrap_or_default();
    let access = t.sign(Some(server_id), "application/okta-internal-at+jwt", json!({
        "ver": 1, "jti": format!("AT.{}", random_id()), "iss": issuer, "aud": aud, "sub": user,
        "iat": n, "exp": n + ACCESS_TOKEN_SECS, "cid": client.id, "scp": granted, "act": { "sub": client.id },
    }));
    Ok(
        json!({ "token_type": "Bearer", "access_token": access, "expires_in": ACCESS_TOKEN_SECS, "scope": granted.join(" ") }),
    )
}

fn client_credentials(
    t: &Tenant,
    server: Option<&str>,
    client: &Client,
    form: &Form,
) -> Result<Value, OAuthError> {
    let requested = scope::split(form.get("scope")?.unwrap_or_default());
    let resources = form.all("resource");
    let (aud, known): (String, Vec<String>) = match server {
        None => (t.config.issuer(None), vec![]),
        Some(id) => {
            let s = t
                .config
                .server(id)
                .ok_or_else(|| OAuthError::not_found("Unknown authorization server."))?;
            (s.audience.clone(), s.scopes.clone())
        }
    };
    if let Some(s) = requested
        .iter()
        .find(|s| server.is_some() && !known.contains(s))
    {
        return Err(OAuthError::invalid_scope(format!(
            "Scope {s} is not defined on this authorization server."
        )));
    }
    let aud = match resources.as_slice() {
        [] => aud,
        [one] => one.to_string(),
        _ => {
            return Err(OAuthError::invalid_target(
                "Only one resource may be requested with client credentials here.",
            ))
        }
    };
    let n = now();
    let access = if t.config.is_realm(server) {
        t.sign(server, "JWT", json!({
            "iss": t.config.issuer(server), "sub": client.id, "aud": client.id, "client_id": client.id,
            "scope": requested.join(" "), "grant_type": GRANT_CLIENT_CREDENTIALS, "jti": random_id(),
            "iat": n, "exp": n + ACCESS_TOKEN_SECS - 1,
        }))
    } else {
        t.sign(server, "application/okta-internal-at+jwt", json!({
            "ver": 1, "jti": format!("AT.{}", random_id()), "iss": t.config.issuer(server), "aud": aud, "sub": client.id,
            "iat": n, "exp": n + ACCESS_TOKEN_SECS, "cid": client.id, "scp": requested,
        }))
    };
    Ok(
        json!({ "token_type": "Bearer", "access_token": access, "expires_in": ACCESS_TOKEN_SECS, "scope": requested.join(" ") }),
    )
}
