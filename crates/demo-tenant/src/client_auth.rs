//! Authenticating the client at token, introspection and revocation endpoints.

use axum::http::HeaderMap;
use protocol::constants::CLIENT_ASSERTION_TYPE_JWT;
use protocol::encoding::{b64_decode, percent_decode};
use protocol::jwt::{decode, verify};
use protocol::native::NativeVerifier;

use crate::config::{AuthMethod, Client};
use crate::error::OAuthError;
use crate::form::Form;
use crate::state::{now, Tenant};

/// Longest client assertion lifetime accepted (Okta: one hour).
const MAX_ASSERTION_LIFETIME: i64 = 3600;

/// The authenticated client and whether HTTP Basic was used.
pub struct Authenticated<'a> {
    /// The client.
    pub client: &'a Client,
    /// HTTP Basic was used.
    pub basic: bool,
}

/// Authenticates the caller by Basic, assertion, secret in the body, or as a public client.
/// `endpoint` is the URL the request was sent to (the assertion's required `aud`).
pub fn authenticate<'a>(
    t: &'a Tenant,
    headers: &HeaderMap,
    form: &Form,
    endpoint: &str,
) -> Result<Authenticated<'a>, OAuthError> {
    let auth_header = headers.get("authorization").and_then(|v| v.to_str().ok());
    if let Some(h) = auth_header {
        let cred = h.strip_prefix("Basic ").ok_or_else(|| {
            OAuthError::invalid_client(
                "Only HTTP Basic is accepted in the Authorization header of a token request.",
            )
        })?;
        return basic(t, cred, form).map_err(|e| e.with_basic(true));
    }
    if let Some(kind) = form.get("client_assertion_type")? {
        if kind != CLIENT_ASSERTION_TYPE_JWT {
            return Err(OAuthError::invalid_client(format!(
                "client_assertion_type must be {CLIENT_ASSERTION_TYPE_JWT}."
            )));
        }
        return assertion(t, form.require("client_assertion")?, form, endpoint);
    }
    let client_id = form.get("client_id")?.ok_or_else(|| {
        OAuthError::invalid_client("Client authentication is required: no credentials were sent.")
    })?;
    let client = t
        .config
        .client(client_id)
        .ok_or_else(|| OAuthError::invalid_client(format!("Unknown client {client_id}.")))?;
    match (form.get("client_secret")?, client.auth) {
        (Some(secret), AuthMethod::ClientSecretPost)
            if Some(secret) == client.secret.as_deref() =>
        {
            Ok(Authenticated {
                client,
                basic: false,
            })
        }
        (Some(_), AuthMethod::ClientSecretPost) => {
            Err(OAuthError::invalid_client("The client secret is wrong."))
        }
        (None, AuthMethod::None) => Ok(Authenticated {
            client,
            basic: false,
        }),
        (_, m) => Err(OAuthError::invalid_client(format!(
            "Client {client_id} must authenticate with {}.",
            method_name(m)
        ))),
    }
}

fn method_name(m: AuthMethod) -> &'static str {
    match m {
        AuthMethod::None => "none (public client, PKCE)",
        AuthMethod::ClientSecretBasic => "client_secret_basic",
        AuthMethod::ClientSecretPost => "client_secret_post",
        AuthMethod::PrivateKeyJwt => "private_key_jwt",
    }
}

fn basic<'a>(t: &'a Tenant, cred: &str, form: &Form) -> Result<Authenticated<'a>, OAuthError> {
    let raw = b64_decode(cred)
        .map_err(|_| OAuthError::invalid_client("The Basic credentials are not valid base64."))?;
    let text = String::from_utf8(raw)
        .map_err(|_| OAuthError::invalid_client("The Basic credentials are not UTF-8."))?;
    let (id, secret) = text
        .split_once(':')
        .ok_or_else(|| OAuthError::invalid_client("The Basic credentials have no ':'."))?;
    let (id, secret) = (percent_decode(id), percent_decode(secret));
    let client = t
        .config
        .client(&id)
        .ok_or_else(|| OAuthError::invalid_client(format!("Unknown client {id}.")))?;
    if client.auth != AuthMethod::ClientSecretBasic {
        return Err(OAuthError::invalid_client(format!(
            "Client {id} must authenticate with {}.",
            method_name(client.auth)
        )));
    }
    if client.secret.as_deref() != Some(secret.as_str()) {
        return Err(OAuthError::invalid_client("The client secret is wrong."));
    }
    if form.get("client_id")?.is_some_and(|c| c != id) {
        return Err(OAuthError::invalid_request(
            "client_id in the body differs from the Basic credentials.",
        ));
    }
    Ok(Authenticated {
        client,
        basic: true,
    })
}

fn assertion<'a>(
    t: &'a Tenant,
    assertion: &str,
    form: &Form,
    endpoint: &str,
) -> Result<Authenticated<'a>, OAuthError> {
    let bad = |d: String| OAuthError::invalid_client(d);
    let jwt =
        decode(assertion).map_err(|e| bad(format!("The client assertion is not a JWT: {e}")))?;
    let iss = jwt
        .str_claim("iss")
        .ok_or_else(|| bad("The client assertion has no iss.".into()))?;
    if jwt.str_claim("sub") != Some(iss) {
        return Err(bad(
            "The client assertion's sub must equal its iss (the client ID).".into(),
        ));
    }
    if form.get("client_id")?.is_some_and(|c| c != iss) {
        return Err(bad(
            "client_id differs from the client assertion's iss.".into()
        ));
    }
    let client = t
        .config
        .client(iss)
        .ok_or_else(|| bad(format!("Unknown client {iss}.")))?;
    if client.auth != AuthMethod::PrivateKeyJwt {
        return Err(bad(format!(
            "Client {iss} must authenticate with {}.",
            method_name(client.auth)
        )));
    }
    let jwks: serde_json::Value = client
        .jwks
        .as_deref()
        .and_then(|j| serde_json::from_str(j).ok())
        .ok_or_else(|| bad(format!("Client {iss} has no registered public key.")))?;
    verify(&jwt, &jwks, &NativeVerifier).map_err(|e| {
        bad(format!(
            "The client assertion's signature was not made by a key registered for {iss}: {e}."
        ))
    })?;
    let auds = jwt.audiences();
    if auds.len() != 1 || auds[0] != endpoint {
        return Err(bad(format!(
            "The client assertion's aud must be this token endpoint, {endpoint}; it is {auds:?}."
        )));
    }
    let n = now();
    let exp = jwt
        .time_claim("exp")
        .ok_or_else(|| bad("The client assertion has no exp.".into()))?;
    if exp + protocol::constants::CLOCK_SKEW_SECS < n {
        return Err(bad(format!(
            "The client assertion expired {} seconds ago.",
            n - exp
        )));
    }
    if exp - jwt.time_claim("iat").unwrap_or(n) > MAX_ASSERTION_LIFETIME {
        return Err(bad(
            "The client assertion lives longer than one hour.".into()
        ));
    }
    let jti = jwt
        .str_claim("jti")
        .ok_or_else(|| bad("The client assertion has no jti.".into()))?;
    if !t.use_once(&format!("assertion:{iss}"), jti, exp) {
        return Err(bad("The client assertion's jti was already used: assertions are single-use. Sign a fresh one.".into()));
    }
    Ok(Authenticated {
        client,
        basic: false,
    })
}
