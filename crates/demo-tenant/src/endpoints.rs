//! Discovery, JWKS, introspection, revocation, userinfo and the resource API.

use axum::http::HeaderMap;
use protocol::constants::*;
use serde_json::{json, Value};

use crate::client_auth::authenticate;
use crate::error::OAuthError;
use crate::form::Form;
use crate::state::Tenant;

/// RFC 8414 / OpenID discovery document of a server.
pub fn metadata(t: &Tenant, server: Option<&str>) -> Value {
    let e = |n: &str| t.config.endpoint(server, n);
    let scopes: Vec<String> = match server {
        None => ["openid", "profile", "email", "offline_access"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        Some(id) => t
            .config
            .server(id)
            .map(|s| s.scopes.clone())
            .unwrap_or_default(),
    };
    let mut grants = vec![
        GRANT_AUTHORIZATION_CODE,
        GRANT_CLIENT_CREDENTIALS,
        GRANT_TOKEN_EXCHANGE,
    ];
    if server.is_some() {
        grants.push(GRANT_JWT_BEARER);
    }
    let mut doc = json!({
        "issuer": t.config.issuer(server),
        "authorization_endpoint": e("authorize"),
        "token_endpoint": e("token"),
        "jwks_uri": e("keys"),
        "introspection_endpoint": e("introspect"),
        "revocation_endpoint": e("revoke"),
        "userinfo_endpoint": e("userinfo"),
        "scopes_supported": scopes,
        "response_types_supported": ["code"],
        "grant_types_supported": grants,
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["none", "client_secret_basic", "client_secret_post", "private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": ["RS256", "ES256"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "subject_types_supported": ["public"],
    });
    if server.is_none() {
        doc["identity_chaining_requested_token_types_supported"] = json!([TOKEN_TYPE_ID_JAG]);
    } else {
        doc["authorization_grant_profiles_supported"] =
            json!(["urn:ietf:params:oauth:grant-profile:id-jag"]);
    }
    doc
}

/// RFC 7662: `{active: true, ...}` for a valid token of this server, `{active: false}` otherwise.
pub fn introspect(
    t: &Tenant,
    server: Option<&str>,
    headers: &HeaderMap,
    form: &Form,
) -> Result<Value, OAuthError> {
    let auth = authenticate(t, headers, form, &t.config.endpoint(server, "introspect"))?;
    let token = form
        .require("token")
        .map_err(|e| e.with_basic(auth.basic))?;
    let Ok(jwt) = t.verify_own(token, server) else {
        return Ok(json!({ "active": false }));
    };
    let mut out = json!({ "active": true, "token_type": "Bearer" });
    for k in ["iss", "sub", "aud", "exp", "iat", "jti", "act", "uid"] {
        if let Some(v) = jwt.claims.get(k) {
            out[k] = v.clone();
        }
    }
    if let Some(s) = protocol::scope::from_claims(&jwt.claims) {
        out["scope"] = json!(s.join(" "));
    }
    out["client_id"] = jwt
        .claims
        .get("cid")
        .or(jwt.claims.get("client_id"))
        .cloned()
        .unwrap_or(Value::Null);
    if jwt.header_str("typ") == Some(ID_JAG_TYP) {
        out["token_type"] = json!("N_A");
    }
    Ok(out)
}

/// RFC 7009: revokes a token of this server; 200 whether or not it was known.
pub fn revoke(
    t: &Tenant,
    server: Option<&str>,
    headers: &HeaderMap,
    form: &Form,
) -> Result<(), OAuthError> {
    let auth = authenticate(t, headers, form, &t.config.endpoint(server, "revoke"))?;
    let token = form
        .require("token")
        .map_err(|e| e.with_basic(auth.basic))?;
    if let Ok(jwt) = t.verify_own(token, server) {
        if let Some(jti) = jwt.str_claim("jti") {
            t.revoked.lock().unwrap().insert(jti.to_string());
        }
    }
    Ok(())
}

fn bearer(headers: &HeaderMap) -> Result<&str, OAuthError> {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            OAuthError::invalid_token(
                "A bearer access token is required (Authorization: Bearer ...).",
            )
        })
}

/// OpenID userinfo for an access token of this server.
pub fn userinfo(
    t: &Tenant,
    server: Option<&str>,
    headers: &HeaderMap,
) -> Result<Value, OAuthError> {
    let jwt = t
        .verify_own(bearer(headers)?, server)
        .map_err(OAuthError::invalid_token)?;
    let sub = jwt.str_claim("sub").unwrap_or_default();
    let user = t
        .config
        .user(sub)
        .ok_or_else(|| OAuthError::invalid_token("The token's subject is not a user."))?;
    Ok(
        json!({ "sub": user.id, "name": user.name, "email": user.email, "preferred_username": user.username }),
    )
}

/// A resource API of the demo tenant.
struct Api {
    audience: String,
    servers: Vec<String>,
    scope: &'static str,
}

/// The demo APIs: `files` (tokens from the files server), `api2` (audience `com.api.atko`,
/// from any server that mints it: the on-behalf-of target) and `agents/research` (the second
/// agent of the agent-to-agent flow).
fn api(t: &Tenant, name: &str) -> Option<Api> {
    let (audience, scope) = match name {
        "files" => (format!("{}/api/files", t.config.base_url), "files.read"),
        "api2" => ("com.api.atko".to_string(), "api:access:read"),
        "agents" => (
            format!("{}/api/agents/research", t.config.base_url),
            "research.read",
        ),
        _ => return None,
    };
    let servers = t
        .config
        .servers
        .iter()
        .filter(|s| {
            s.audience == audience
                || s.resources.contains(&audience)
                || s.extra_audiences.contains(&audience)
        })
        .map(|s| s.id.clone())
        .collect();
    Some(Api {
        audience,
        servers,
        scope,
    })
}

/// A resource API call: accepts an access token only with the right issuer, audience and
/// scope, and shows who is calling on whose behalf.
pub fn resource_api(
    t: &Tenant,
    headers: &HeaderMap,
    name: &str,
    path: &str,
) -> Result<Value, OAuthError> {
    let api = api(t, name).ok_or_else(|| {
        OAuthError::not_found(format!(
            "There is no API {name} (try /api/files/... or /api/api2/...)."
        ))
    })?;
    let token = bearer(headers)?;
    let jwt = protocol::jwt::decode(token)
        .map_err(|e| OAuthError::invalid_token(format!("The access token is not a JWT: {e}")))?;
    let server = api
        .servers
        .iter()
        .find(|s| jwt.str_claim("iss") == Some(t.config.issuer(Some(s)).as_str()))
        .cloned();
    let Some(server) = server else {
        let accepted: Vec<String> = api
            .servers
            .iter()
            .map(|s| t.config.issuer(Some(s)))
            .collect();
        return Err(OAuthError::invalid_token(format!(
            "This API accepts tokens from {} only; this one is from {}.",
            accepted.join(" or "),
            jwt.str_claim("iss").unwrap_or("(no iss)")
        )));
    };
    let jwt = t
        .verify_own(token, Some(&server))
        .map_err(OAuthError::invalid_token)?;
    if !jwt.audiences().contains(&api.audience) {
        return Err(OAuthError::invalid_token(format!(
            "The token's aud {:?} does not include this API ({}).",
            jwt.audiences(),
            api.audience
        )));
    }
    let scopes = protocol::scope::from_claims(&jwt.claims).unwrap_or_default();
    if !scopes.iter().any(|s| s == api.scope) {
        return Err(OAuthError::insufficient_scope(format!(
            "This API requires the {} scope.",
            api.scope
        )));
    }
    let sub = jwt.str_claim("sub").unwrap_or_default();
    let user = t.config.user(sub);
    let actor = jwt.claims.get("act").cloned().unwrap_or(Value::Null);
    let client = jwt.str_claim("cid");
    let summary = match (actor.get("sub").and_then(Value::as_str), user, client) {
        (Some(a), Some(u), _) => format!("{a} is acting on behalf of {} ({})", u.name, u.id),
        (None, Some(u), Some(c)) => format!(
            "{c} is calling on behalf of {} ({}); no act claim names it",
            u.name, u.id
        ),
        (None, Some(u), None) => format!("{} ({}) is calling directly", u.name, u.id),
        (Some(a), None, _) => format!("{a} is acting on behalf of {sub}"),
        (None, None, _) => format!("{sub} is calling for itself"),
    };
    Ok(json!({
        "resource": path,
        "caller": { "sub": sub, "act": actor, "client_id": jwt.claims.get("cid"), "scope": scopes.join(" ") },
        "summary": summary,
        "documents": [
            { "id": "doc-1", "title": "Q3 planning notes", "owner": sub },
            { "id": "doc-2", "title": "Agent access review", "owner": sub }
        ]
    }))
}

/// PingOne AIC `tokeninfo`: the claims of a valid access token (scope as an array, as AIC does).
pub fn tokeninfo(
    t: &Tenant,
    realm: &str,
    headers: &HeaderMap,
    query: &str,
) -> Result<Value, OAuthError> {
    let from_query = Form::parse(query).get("access_token")?.map(String::from);
    let token = match from_query {
        Some(q) => q,
        None => bearer(headers)?.to_string(),
    };
    let jwt = t
        .verify_own(&token, Some(realm))
        .map_err(OAuthError::invalid_token)?;
    let mut out = Value::Object(jwt.claims.clone());
    out["scope"] = json!(protocol::scope::from_claims(&jwt.claims).unwrap_or_default());
    if let Some(exp) = jwt.time_claim("exp") {
        out["expires_in"] = json!((exp - crate::state::now()).max(0));
    }
    Ok(out)
}
