//! The tokens the tenant mints, shaped as the vendor docs show them: Okta access tokens
//! (`sub` = the user's login, `uid` = the user ID, `cid`, `scp`, `ver`, `auth_time`), ID
//! tokens, ID-JAGs, and PingOne AIC tokens.

use serde_json::{json, Value};

use crate::config::User;
use crate::error::OAuthError;
use crate::Cx;

/// Access token lifetime at the Okta-shaped servers.
pub const ACCESS_TOKEN_SECS: i64 = 3600;
/// Access token lifetime in the PingOne realm (PingOne says 3599).
pub const REALM_TOKEN_SECS: i64 = 3599;
/// Authorization code lifetime.
pub const CODE_SECS: i64 = 300;
/// Refresh token lifetime.
pub const REFRESH_TOKEN_SECS: i64 = 24 * 3600;
/// The `typ` of Okta access tokens.
pub const OKTA_AT_TYP: &str = "application/okta-internal-at+jwt";

/// Who a token is about: a user (by login, with `uid`), or a client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    /// A user.
    User {
        /// Login (`sub` of access tokens).
        login: String,
        /// User ID (`uid`; `sub` of ID tokens and ID-JAGs).
        id: String,
    },
    /// A client acting for itself.
    Client(String),
}

impl Subject {
    /// The subject of a user.
    pub fn user(u: &User) -> Self {
        Subject::User {
            login: u.username.clone(),
            id: u.id.clone(),
        }
    }

    /// The `sub` of an access token.
    pub fn at_sub(&self) -> &str {
        match self {
            Subject::User { login, .. } => login,
            Subject::Client(c) => c,
        }
    }

    /// The `sub` of an ID token or ID-JAG (the user ID, or the client).
    pub fn id_sub(&self) -> &str {
        match self {
            Subject::User { id, .. } => id,
            Subject::Client(c) => c,
        }
    }

    /// Reads the subject of a token issued here: a user if `sub` or `uid` names one.
    pub fn of_claims(cx: &Cx, claims: &serde_json::Map<String, Value>) -> Option<Self> {
        let sub = claims.get("sub")?.as_str()?;
        let uid = claims.get("uid").and_then(Value::as_str);
        match cx
            .config
            .user(uid.unwrap_or(sub))
            .or_else(|| cx.config.user(sub))
        {
            Some(u) => Some(Subject::user(u)),
            None => Some(Subject::Client(sub.to_string())),
        }
    }
}

/// An Okta-shaped access token.
pub struct AccessToken<'a> {
    /// The issuing server (`None`: the org).
    pub server: Option<&'a str>,
    /// `aud`.
    pub aud: Value,
    /// Who it is about.
    pub subject: &'a Subject,
    /// `cid`: the client it was issued to.
    pub client: &'a str,
    /// `scp`.
    pub scopes: &'a [String],
    /// `auth_time`, when a user signed in.
    pub auth_time: Option<i64>,
    /// `act` (and `sub_profile` for agent-to-agent tokens).
    pub act: Option<Value>,
    /// Okta's `sub_profile` (agent-to-agent).
    pub sub_profile: Option<&'a str>,
}

/// Signs an Okta-shaped access token; returns it with its `exp`.
pub fn access_token(cx: &Cx, t: AccessToken) -> Result<(String, i64), OAuthError> {
    let n = cx.now;
    let exp = n + ACCESS_TOKEN_SECS;
    let mut claims = json!({
        "ver": 1, "jti": format!("AT.{}", cx.random_id()), "iss": cx.config.issuer(t.server),
        "aud": t.aud, "iat": n, "exp": exp, "cid": t.client, "scp": t.scopes,
        "sub": t.subject.at_sub(),
    });
    if let Subject::User { id, .. } = t.subject {
        claims["uid"] = json!(id);
    }
    if let Some(at) = t.auth_time {
        claims["auth_time"] = json!(at);
    }
    if let Some(p) = t.sub_profile {
        claims["sub_profile"] = json!(p);
    }
    if let Some(act) = t.act {
        claims["act"] = act;
    }
    Ok((cx.sign(t.server, OKTA_AT_TYP, claims)?, exp))
}

/// Scopes as an array for `scp`, or a space-separated string.
pub fn scope_string(scopes: &[String]) -> String {
    scopes.join(" ")
}

/// The token with one byte of its signature changed (the tamper switch for tests).
pub fn tampered(token: &str) -> String {
    let Some((head, sig)) = token.rsplit_once('.') else {
        return token.to_string();
    };
    let mut bytes = protocol_wire::encoding::b64url_decode(sig).unwrap_or_default();
    if let Some(b) = bytes.first_mut() {
        *b ^= 0x01;
    }
    format!("{head}.{}", protocol_wire::encoding::b64url(&bytes))
}
