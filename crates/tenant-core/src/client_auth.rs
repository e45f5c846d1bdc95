//! Authenticating the client at token, introspection and revocation endpoints: HTTP Basic,
//! a secret in the body, a signed assertion, or a public client. Assertion times are judged
//! by this server's clock, never the client's.

use protocol_wire::constants::{CLIENT_ASSERTION_TYPE_JWT, CLOCK_SKEW_SECS};
use protocol_wire::encoding::b64_decode;
use protocol_wire::jwt::{decode, verify};
use protocol_wire::native::NativeVerifier;

use crate::config::{AssertionAudience, AuthMethod, Client};
use crate::error::OAuthError;
use crate::form::{Form, MAX_ID_LEN};
use crate::http::Request;
use crate::Cx;

/// Longest client assertion lifetime accepted (Okta: one hour).
pub const MAX_ASSERTION_LIFETIME: i64 = 3600;

/// The authenticated client and whether HTTP Basic was used.
pub struct Authenticated<'a> {
    /// The client.
    pub client: &'a Client,
    /// HTTP Basic was used.
    pub basic: bool,
}

/// Authenticates the caller at `endpoint` (the URL the request was sent to) of the server
/// whose issuer is `issuer`.
pub fn authenticate<'a>(
    cx: &Cx<'a>,
    req: &Request,
    form: &Form,
    endpoint: &str,
    issuer: &str,
) -> Result<Authenticated<'a>, OAuthError> {
    if let Some(h) = req.header("authorization") {
        let cred = h.strip_prefix("Basic ").ok_or_else(|| {
            OAuthError::invalid_client(
                "Only HTTP Basic is accepted in the Authorization header of this request.",
            )
        })?;
        return basic(cx, cred, form, issuer).map_err(|e| e.with_basic(true));
    }
    if let Some(kind) = form.get("client_assertion_type")? {
        if kind != CLIENT_ASSERTION_TYPE_JWT {
            return Err(OAuthError::invalid_client(format!(
                "client_assertion_type must be {CLIENT_ASSERTION_TYPE_JWT}."
            )));
        }
        return assertion(
            cx,
            form.require("client_assertion")?,
            form,
            endpoint,
            issuer,
        );
    }
    let client_id = form.get("client_id")?.ok_or_else(|| {
        OAuthError::invalid_client("Client authentication is required: no credentials were sent.")
    })?;
    let client = cx
        .config
        .client(client_id)
        .ok_or_else(|| OAuthError::invalid_client(format!("Unknown client {client_id}.")))?;
    match (
        form.get("client_secret")?,
        client.auth_at(issuer, &cx.config.issuer(None)),
    ) {
        (Some(secret), AuthMethod::ClientSecretPost)
            if client.secret.as_ref().is_some_and(|s| s.matches(secret)) =>
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
            "Client {client_id} must authenticate with {} at {issuer}.",
            m.name()
        ))),
    }
}

fn basic<'a>(
    cx: &Cx<'a>,
    cred: &str,
    form: &Form,
    issuer: &str,
) -> Result<Authenticated<'a>, OAuthError> {
    let raw = b64_decode(cred)
        .map_err(|_| OAuthError::invalid_client("The Basic credentials are not valid base64."))?;
    let text = String::from_utf8(raw)
        .map_err(|_| OAuthError::invalid_client("The Basic credentials are not UTF-8."))?;
    let (id, secret) = text
        .split_once(':')
        .ok_or_else(|| OAuthError::invalid_client("The Basic credentials have no ':'."))?;
    let malformed =
        |why| OAuthError::invalid_client(format!("The Basic credentials are malformed: {why}."));
    let (id, secret) = (
        crate::form::decode(id).map_err(malformed)?,
        crate::form::decode(secret).map_err(malformed)?,
    );
    let client = cx
        .config
        .client(&id)
        .ok_or_else(|| OAuthError::invalid_client(format!("Unknown client {id}.")))?;
    let method = client.auth_at(issuer, &cx.config.issuer(None));
    if method != AuthMethod::ClientSecretBasic {
        return Err(OAuthError::invalid_client(format!(
            "Client {id} must authenticate with {} at {issuer}.",
            method.name()
        )));
    }
    if !client.secret.as_ref().is_some_and(|s| s.matches(&secret)) {
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
    cx: &Cx<'a>,
    assertion: &str,
    form: &Form,
    endpoint: &str,
    issuer: &str,
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
    let client = cx
        .config
        .client(iss)
        .ok_or_else(|| bad(format!("Unknown client {iss}.")))?;
    let method = client.auth_at(issuer, &cx.config.issuer(None));
    if method != AuthMethod::PrivateKeyJwt {
        return Err(bad(format!(
            "Client {iss} must authenticate with {} at {issuer}.",
            method.name()
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
    let accepted: Vec<&str> = match client.assertion_audience {
        AssertionAudience::Endpoint => vec![endpoint],
        AssertionAudience::Issuer => vec![issuer],
        AssertionAudience::Either => vec![endpoint, issuer],
    };
    if auds.len() != 1 || !accepted.contains(&auds[0].as_str()) {
        let wanted = match client.assertion_audience {
            AssertionAudience::Endpoint => format!("this endpoint, {endpoint}"),
            AssertionAudience::Issuer => format!("this server's issuer, {issuer}"),
            AssertionAudience::Either => format!("{endpoint} or {issuer}"),
        };
        return Err(bad(format!(
            "The client assertion's aud must be {wanted} (as registered for {iss}); it is {auds:?}."
        )));
    }
    let n = cx.now;
    let exp = jwt
        .time_claim("exp")
        .ok_or_else(|| bad("The client assertion has no valid exp (a NumericDate).".into()))?;
    if exp.saturating_add(CLOCK_SKEW_SECS) < n {
        return Err(bad(format!(
            "The client assertion expired {} seconds ago.",
            n.saturating_sub(exp)
        )));
    }
    if exp.saturating_sub(n) > MAX_ASSERTION_LIFETIME + CLOCK_SKEW_SECS {
        return Err(bad(format!(
            "The client assertion expires {} seconds from now (by this server's clock); at most {MAX_ASSERTION_LIFETIME} are accepted.",
            exp.saturating_sub(n)
        )));
    }
    if let Some(iat) = jwt.claims.get("iat") {
        let iat = protocol_wire::jwt::numeric_date(iat)
            .ok_or_else(|| bad("The client assertion's iat is not a valid NumericDate.".into()))?;
        if iat > n.saturating_add(CLOCK_SKEW_SECS) {
            return Err(bad(format!(
                "The client assertion was issued {} seconds in the future (by this server's clock).",
                iat.saturating_sub(n)
            )));
        }
    }
    let jti = jwt
        .str_claim("jti")
        .ok_or_else(|| bad("The client assertion has no jti.".into()))?;
    if jti.len() > MAX_ID_LEN {
        return Err(bad(format!(
            "The client assertion's jti is longer than {MAX_ID_LEN} bytes."
        )));
    }
    cx.use_once(&format!("assertion:{iss}"), jti, exp, || {
        bad("The client assertion's jti was already used: assertions are single-use. Sign a fresh one.".into())
    })?;
    Ok(Authenticated {
        client,
        basic: false,
    })
}
