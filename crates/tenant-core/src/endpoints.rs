//! Discovery (RFC 8414, OpenID, RFC 9728 for the APIs), introspection (RFC 7662),
//! revocation (RFC 7009), userinfo and PingOne's tokeninfo.

use protocol_wire::constants::*;
use serde_json::{json, Value};

use crate::client_auth::authenticate;
use crate::error::OAuthError;
use crate::form::Form;
use crate::http::Request;
use crate::Cx;

/// RFC 8414 / OpenID discovery document of a server. Scopes marked unpublished are left
/// out, as a real Okta org lists only scopes marked "include in public metadata".
pub fn metadata(cx: &Cx, server: Option<&str>) -> Value {
    let e = |n: &str| cx.config.endpoint(server, n);
    let realm = cx.config.is_realm(server);
    let scopes: Vec<String> = match server {
        None => ["openid", "profile", "email", "offline_access"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        Some(id) => cx
            .config
            .server(id)
            .map(|s| {
                s.scopes
                    .iter()
                    .filter(|x| !s.unpublished_scopes.contains(x))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default(),
    };
    let mut grants = vec![
        GRANT_AUTHORIZATION_CODE,
        GRANT_REFRESH_TOKEN,
        GRANT_CLIENT_CREDENTIALS,
        GRANT_TOKEN_EXCHANGE,
    ];
    if server.is_some() && !realm {
        grants.push(GRANT_JWT_BEARER);
    }
    let mut doc = json!({
        "issuer": cx.config.issuer(server),
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
        "token_endpoint_auth_signing_alg_values_supported": ["RS256", "PS256", "ES256"],
        "id_token_signing_alg_values_supported": ["RS256", "ES256"],
        "subject_types_supported": ["public"],
    });
    if server.is_none() {
        doc["identity_chaining_requested_token_types_supported"] = json!([TOKEN_TYPE_ID_JAG]);
    } else if !realm {
        doc["authorization_grant_profiles_supported"] =
            json!(["urn:ietf:params:oauth:grant-profile:id-jag"]);
    }
    doc
}

/// RFC 9728 metadata of the API at `path`, if the tenant serves one there.
pub fn protected_resource(cx: &Cx, path: &str) -> Option<Value> {
    let api = cx.config.apis.iter().find(|a| a.path == path)?;
    let servers: Vec<String> = cx
        .config
        .servers_for(api)
        .map(|s| cx.config.issuer(Some(&s.id)))
        .collect();
    Some(json!({
        "resource": format!("{}{}", cx.config.base_url, api.path),
        "authorization_servers": servers,
        "scopes_supported": api.scopes(),
        // Not in RFC 9728 (extra members are allowed): the scope each method needs.
        "methods_supported": api.methods,
        "bearer_methods_supported": ["header"],
        "resource_name": api.name,
    }))
}

/// RFC 7662: `{active: true, ...}` for a valid token of this server, `{active: false}` otherwise.
pub fn introspect(
    cx: &Cx,
    server: Option<&str>,
    req: &Request,
    form: &Form,
) -> Result<Value, OAuthError> {
    let auth = authenticate(
        cx,
        req,
        form,
        &cx.config.endpoint(server, "introspect"),
        &cx.config.issuer(server),
    )?;
    let token = form
        .require("token")
        .map_err(|e| e.with_basic(auth.basic))?;
    let Ok(jwt) = cx.verify_own(token, server) else {
        return Ok(json!({ "active": false }));
    };
    let mut out = json!({ "active": true, "token_type": "Bearer" });
    for k in [
        "iss",
        "sub",
        "aud",
        "exp",
        "iat",
        "nbf",
        "jti",
        "act",
        "uid",
        "sub_profile",
        "auth_time",
    ] {
        if let Some(v) = jwt.claims.get(k) {
            out[k] = v.clone();
        }
    }
    if let Some(s) = protocol_wire::scope::from_claims(&jwt.claims) {
        out["scope"] = json!(s.join(" "));
    }
    if let Some(c) = jwt.claims.get("cid").or(jwt.claims.get("client_id")) {
        out["client_id"] = c.clone();
    }
    if jwt.header_str("typ") == Some(ID_JAG_TYP) {
        out["token_type"] = json!("N_A");
    }
    Ok(out)
}

/// RFC 7009: revokes a token of this server; 200 whether or not it was known.
pub fn revoke(cx: &Cx, server: Option<&str>, req: &Request, form: &Form) -> Result<(), OAuthError> {
    let auth = authenticate(
        cx,
        req,
        form,
        &cx.config.endpoint(server, "revoke"),
        &cx.config.issuer(server),
    )?;
    let token = form
        .require("token")
        .map_err(|e| e.with_basic(auth.basic))?;
    if let Ok(jwt) = cx.verify_own(token, server) {
        if let (Some(jti), Some(exp)) = (jwt.str_claim("jti"), jwt.time_claim("exp")) {
            cx.store()
                .revoke(jti, exp, cx.now)
                .map_err(crate::full_error)?;
        }
    } else {
        // A refresh token (opaque): revoking it means forgetting it.
        let _ = cx.store().take_refresh(token, cx.now);
    }
    Ok(())
}

/// The bearer token of a request.
pub fn bearer(req: &Request) -> Result<&str, OAuthError> {
    req.header("authorization")
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            OAuthError::token_required(
                "A bearer access token is required (Authorization: Bearer ...).",
            )
        })
}

/// OpenID userinfo for an access token of this server.
pub fn userinfo(cx: &Cx, server: Option<&str>, req: &Request) -> Result<Value, OAuthError> {
    let jwt = cx
        .verify_own(bearer(req)?, server)
        .map_err(|e| OAuthError::invalid_token(e.to_string()))?;
    let sub = jwt
        .str_claim("uid")
        .or(jwt.str_claim("sub"))
        .unwrap_or_default();
    let user = cx
        .config
        .user(sub)
        .ok_or_else(|| OAuthError::invalid_token("The token's subject is not a user."))?;
    Ok(
        json!({ "sub": user.id, "name": user.name, "email": user.email, "preferred_username": user.username }),
    )
}

/// PingOne AIC `tokeninfo`: the claims of a valid access token, scope as an array, and
/// `expires_in` from the token's own `exp`.
pub fn tokeninfo(cx: &Cx, realm: &str, req: &Request) -> Result<Value, OAuthError> {
    let from_query = Form::parse(&req.query)?
        .get("access_token")?
        .map(String::from);
    let token = match from_query {
        Some(q) => q,
        None => bearer(req)?.to_string(),
    };
    let jwt = cx
        .verify_own(&token, Some(realm))
        .map_err(|e| OAuthError::invalid_token(e.to_string()))?;
    let mut out = Value::Object(jwt.claims.clone());
    out["scope"] = json!(protocol_wire::scope::from_claims(&jwt.claims).unwrap_or_default());
    if let Some(exp) = jwt.time_claim("exp") {
        out["expires_in"] = json!(exp.saturating_sub(cx.now).max(0));
    }
    Ok(out)
}
