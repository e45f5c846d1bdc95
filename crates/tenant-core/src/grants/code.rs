//! Authorization code with PKCE (RFC 6749 4.1, RFC 7636) and the refresh token grant
//! (RFC 6749 6): refresh tokens come with `offline_access` and rotate on every use.

use protocol_wire::scope;
use serde_json::{json, Value};

use crate::config::Client;
use crate::error::OAuthError;
use crate::form::Form;
use crate::store::{PendingCode, RefreshGrant};
use crate::tokens::{self, AccessToken, Subject, ACCESS_TOKEN_SECS, REFRESH_TOKEN_SECS};
use crate::{full_error, Cx};

pub(super) fn authorization_code(
    cx: &Cx,
    server: Option<&str>,
    client: &Client,
    form: &Form,
) -> Result<Value, OAuthError> {
    let code = form.require("code")?;
    let redirect_uri = form.require("redirect_uri")?;
    let verifier = form.get("code_verifier")?.ok_or_else(|| {
        OAuthError::invalid_request("code_verifier is required: this server requires PKCE.")
    })?;
    let pending = cx.store().take_code(code, cx.now).ok_or_else(|| {
        OAuthError::invalid_grant(
            "The authorization code is unknown, expired or already used; codes are single-use.",
        )
    })?;
    if pending.server.as_deref() != server {
        return Err(OAuthError::invalid_grant(
            "The code was issued by another authorization server.",
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
    protocol_wire::pkce::validate_verifier(verifier)
        .map_err(|e| OAuthError::invalid_grant(e.to_string()))?;
    if protocol_wire::pkce::challenge_s256(verifier) != pending.code_challenge {
        return Err(OAuthError::invalid_grant(
            "PKCE verification failed: S256(code_verifier) does not match the code_challenge.",
        ));
    }
    issue(
        cx,
        server,
        client,
        &pending.user_id,
        &pending.scope,
        pending.auth_time,
        pending.nonce.as_deref(),
    )
}

/// Mints the user's tokens: access token, ID token (with `openid`), refresh token (with
/// `offline_access`, for a client allowed the refresh grant).
fn issue(
    cx: &Cx,
    server: Option<&str>,
    client: &Client,
    user_id: &str,
    scope: &str,
    auth_time: i64,
    nonce: Option<&str>,
) -> Result<Value, OAuthError> {
    let user = cx
        .config
        .user(user_id)
        .ok_or_else(|| OAuthError::invalid_grant("The user no longer exists."))?;
    let n = cx.now;
    let issuer = cx.config.issuer(server);
    let aud = match server {
        None => issuer.clone(),
        Some(id) => cx
            .config
            .server(id)
            .map(|s| s.audience.clone())
            .unwrap_or_default(),
    };
    let scopes = scope::split(scope);
    let subject = Subject::user(user);
    let (access, _) = tokens::access_token(
        cx,
        AccessToken {
            server,
            aud: json!(aud),
            subject: &subject,
            client: &client.id,
            scopes: &scopes,
            auth_time: Some(auth_time),
            act: None,
            sub_profile: None,
        },
    )?;
    let mut resp = json!({
        "token_type": "Bearer", "expires_in": ACCESS_TOKEN_SECS, "access_token": access, "scope": scope,
    });
    if scopes.iter().any(|s| s == "openid") {
        let mut claims = json!({
            "iss": issuer, "sub": user.id, "aud": client.id, "iat": n, "exp": n + ACCESS_TOKEN_SECS,
            "jti": format!("ID.{}", cx.random_id()), "auth_time": auth_time, "amr": ["pwd"], "ver": 1,
        });
        if let Some(nonce) = nonce {
            claims["nonce"] = json!(nonce);
        }
        if scopes.iter().any(|s| s == "email") {
            claims["email"] = json!(user.email);
        }
        if scopes.iter().any(|s| s == "profile") {
            claims["name"] = json!(user.name);
            claims["preferred_username"] = json!(user.username);
        }
        resp["id_token"] = json!(cx.sign(server, "JWT", claims)?);
    }
    if scopes.iter().any(|s| s == "offline_access")
        && client.grants.iter().any(|g| g == "refresh_token")
    {
        let refresh = cx.random_id();
        cx.store()
            .put_refresh(
                &refresh,
                RefreshGrant {
                    client_id: client.id.clone(),
                    user_id: user.id.clone(),
                    scope: scope.into(),
                    server: server.map(String::from),
                    auth_time,
                },
                n + REFRESH_TOKEN_SECS,
                n,
            )
            .map_err(full_error)?;
        resp["refresh_token"] = json!(refresh);
    }
    Ok(resp)
}

pub(super) fn refresh(
    cx: &Cx,
    server: Option<&str>,
    client: &Client,
    form: &Form,
) -> Result<Value, OAuthError> {
    let token = form.require("refresh_token")?;
    let grant = cx.store().take_refresh(token, cx.now).ok_or_else(|| {
        OAuthError::invalid_grant("The refresh token is unknown, expired, revoked or already used (refresh tokens rotate: each is used once).")
    })?;
    if grant.server.as_deref() != server {
        return Err(OAuthError::invalid_grant(
            "The refresh token was issued by another authorization server.",
        ));
    }
    if grant.client_id != client.id {
        return Err(OAuthError::invalid_grant(
            "The refresh token was issued to another client.",
        ));
    }
    let scope = match form.get("scope")? {
        None => grant.scope.clone(),
        Some(s) => {
            let had = scope::split(&grant.scope);
            if let Some(extra) = scope::split(s).iter().find(|x| !had.contains(x)) {
                return Err(OAuthError::invalid_scope(format!(
                    "Scope {extra} was not granted with this refresh token; a refresh may only narrow."
                )));
            }
            s.to_string()
        }
    };
    issue(
        cx,
        server,
        client,
        &grant.user_id,
        &scope,
        grant.auth_time,
        None,
    )
}

/// Keeps a pending code (from the sign-in page).
pub fn remember_code(cx: &Cx, pending: PendingCode) -> Result<String, OAuthError> {
    let code = cx.random_id();
    cx.store()
        .put_code(&code, pending, cx.now + tokens::CODE_SECS, cx.now)
        .map_err(full_error)?;
    Ok(code)
}
