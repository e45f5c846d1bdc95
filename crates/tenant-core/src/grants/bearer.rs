//! RFC 7523 JWT bearer grant with an ID-JAG, as the draft's resource authorization server
//! checks it: typ, trusted issuer and signature, `aud` = this issuer (exactly one), client
//! continuity, lifetime by this server's clock, single-use `jti`, scope and resource narrowing.

use protocol_wire::constants::*;
use protocol_wire::jwt::{decode, verify};
use protocol_wire::native::NativeVerifier;
use protocol_wire::scope;
use serde_json::{json, Value};

use super::resources;
use crate::config::Client;
use crate::error::OAuthError;
use crate::form::{Form, MAX_ID_LEN};
use crate::tokens::{self, AccessToken, Subject, ACCESS_TOKEN_SECS};
use crate::Cx;

pub(super) fn jwt_bearer(
    cx: &Cx,
    server: Option<&str>,
    client: &Client,
    form: &Form,
) -> Result<Value, OAuthError> {
    let server_id = server.ok_or_else(|| OAuthError::unsupported_grant_type(
        "Redeem an ID-JAG at the custom authorization server named in its aud, not at the org server (an identity provider does not accept its own ID-JAGs).",
    ))?;
    let srv = cx
        .config
        .server(server_id)
        .ok_or_else(|| OAuthError::not_found("Unknown authorization server."))?;
    if cx.config.is_realm(server) {
        return Err(OAuthError::unsupported_grant_type(
            "This realm does not accept the JWT bearer grant.",
        ));
    }
    let assertion = form.require("assertion")?;
    let bad = |d: String| OAuthError::invalid_grant(d);
    let jwt = decode(assertion).map_err(|e| bad(format!("The assertion is not a JWT: {e}")))?;
    if jwt.header_str("typ") != Some(ID_JAG_TYP) {
        return Err(bad(format!(
            "The assertion's typ is {:?}; an ID-JAG must be typed {ID_JAG_TYP}.",
            jwt.header_str("typ").unwrap_or("(missing)")
        )));
    }
    let org = cx.config.issuer(None);
    if jwt.str_claim("iss") != Some(org.as_str()) {
        return Err(bad(format!(
            "The ID-JAG issuer {:?} is not a trusted identity provider.",
            jwt.str_claim("iss").unwrap_or("(missing)")
        )));
    }
    verify(&jwt, &cx.jwks(None), &NativeVerifier)
        .map_err(|e| bad(format!("The ID-JAG signature is invalid: {e}.")))?;
    let issuer = cx.config.issuer(Some(server_id));
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
    let n = cx.now;
    let exp = jwt
        .time_claim("exp")
        .ok_or_else(|| bad("The ID-JAG has no valid exp.".into()))?;
    if exp.saturating_add(CLOCK_SKEW_SECS) < n {
        return Err(bad(format!(
            "The ID-JAG expired {} seconds ago.",
            n.saturating_sub(exp)
        )));
    }
    let iat = jwt
        .time_claim("iat")
        .ok_or_else(|| bad("The ID-JAG has no valid iat.".into()))?;
    if iat > n.saturating_add(CLOCK_SKEW_SECS) {
        return Err(bad("The ID-JAG's iat is in the future.".into()));
    }
    if exp.saturating_sub(iat) > ID_JAG_MAX_LIFETIME_SECS + CLOCK_SKEW_SECS {
        return Err(bad(format!(
            "The ID-JAG lives {} s; at most {ID_JAG_MAX_LIFETIME_SECS} s are accepted.",
            exp.saturating_sub(iat)
        )));
    }
    let jti = jwt
        .str_claim("jti")
        .ok_or_else(|| bad("The ID-JAG has no jti.".into()))?;
    if jti.len() > MAX_ID_LEN {
        return Err(bad("The ID-JAG's jti is too long.".into()));
    }
    cx.use_once("id-jag", jti, exp, || {
        bad("This ID-JAG was already redeemed: the demo tenant treats ID-JAGs as single-use. Get a new one.".into())
    })?;
    let allowed = cx
        .config
        .connection(&client.id, server_id)
        .map(|c| c.scopes.clone())
        .ok_or_else(|| {
            OAuthError::invalid_grant(format!(
                "No managed connection lets {} obtain tokens from {}.",
                client.id, srv.name
            ))
        })?;
    let in_jag = scope::from_claims(&jwt.claims).unwrap_or_default();
    let requested = form.get("scope")?.map(scope::split);
    if let Some(extra) = requested.iter().flatten().find(|s| !in_jag.contains(s)) {
        return Err(OAuthError::invalid_scope(format!(
            "Scope {extra} is not in the ID-JAG; a JWT bearer grant may only narrow."
        )));
    }
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
    let in_jag_resources = protocol_wire::jwt::string_list(jwt.claims.get("resource"));
    let asked = resources(form, &srv.resources, &srv.name)?;
    if let Some(r) = asked
        .iter()
        .find(|r| !in_jag_resources.is_empty() && !in_jag_resources.iter().any(|x| x == *r))
    {
        return Err(OAuthError::invalid_target(format!(
            "resource {r} is not in the ID-JAG; a JWT bearer grant may only narrow."
        )));
    }
    let aud = asked
        .first()
        .map(|s| s.to_string())
        .or_else(|| in_jag_resources.first().cloned())
        .unwrap_or_else(|| srv.audience.clone());
    if !srv.resources.is_empty() && !srv.resources.contains(&aud) && aud != srv.audience {
        return Err(OAuthError::invalid_target(format!(
            "resource {aud} is not served by {}.",
            srv.name
        )));
    }
    let subject =
        Subject::of_claims(cx, &jwt.claims).ok_or_else(|| bad("The ID-JAG has no sub.".into()))?;
    let act = jwt
        .claims
        .get("act")
        .cloned()
        .unwrap_or_else(|| json!({ "sub": client.id }));
    let (access, _) = tokens::access_token(
        cx,
        AccessToken {
            server: Some(server_id),
            aud: json!(aud),
            subject: &subject,
            client: &client.id,
            scopes: &granted,
            auth_time: jwt.time_claim("auth_time"),
            act: Some(act),
            sub_profile: jwt.str_claim("sub_profile"),
        },
    )?;
    Ok(
        json!({ "token_type": "Bearer", "access_token": access, "expires_in": ACCESS_TOKEN_SECS, "scope": granted.join(" ") }),
    )
}
