//! The user's sign-in, shared by every flow that has one: authorization code with PKCE for a
//! public client, the code exchange, the ID token's checks (the nonce must match), an
//! optional refresh, and "Use Existing" (tokens pasted by the user instead).

use crate::flow::outcome::{Diagnosis, StepOutcome, TokenView};
use crate::flow::{ConfigError, Ctx, Endpoint, Field, FieldKind, Output, OutputKind};
use protocol_wire::checks::{self, Finding, IdTokenExpectations, Severity};
use protocol_wire::constants::GRANT_REFRESH_TOKEN;
use protocol_wire::jwt::decode;
use protocol_wire::request::HttpRequest;
use protocol_wire::requests::{self, AuthorizeParams};
use protocol_wire::response::{parse_token_response, HttpCapture, TokenResponse};

/// The user's ID token.
pub const USER_ID_TOKEN: Output = Output {
    key: "user_id_token",
    label: "user's ID token",
    kind: OutputKind::IdToken,
};
/// The user's access token.
pub const USER_ACCESS_TOKEN: Output = Output {
    key: "user_access_token",
    label: "user's access token",
    kind: OutputKind::AccessToken,
};
/// The user's refresh token (with `offline_access`).
pub const USER_REFRESH_TOKEN: Output = Output {
    key: "user_refresh_token",
    label: "user's refresh token",
    kind: OutputKind::RefreshToken,
};

/// The redirect URI (this page).
pub const REDIRECT_URI: Field = Field {
    key: "redirect_uri",
    label: "Redirect URI",
    kind: FieldKind::Url,
    help: "This page's URL: register it exactly for the client app (RFC 6749 3.1.2).",
};
/// The scopes of the sign-in.
pub const SCOPES: Field = Field {
    key: "signin_scopes",
    label: "Sign-in scopes",
    kind: FieldKind::Scopes(None),
    help: "Include openid for an ID token; offline_access asks for a refresh token.",
};

/// The authorize URL the browser navigates to.
pub fn authorize(
    ctx: &Ctx,
    code_challenge: &str,
    state: &str,
    nonce: &str,
) -> Result<HttpRequest, ConfigError> {
    let server = ctx.step.target.server;
    Ok(requests::authorize(&AuthorizeParams {
        endpoint: ctx.url_of(server, Endpoint::Authorize)?,
        client_id: client_id(ctx)?,
        redirect_uri: redirect_uri(ctx)?,
        scope: ctx.param(&SCOPES).into(),
        state: state.into(),
        nonce: nonce.into(),
        code_challenge: code_challenge.into(),
        extra: vec![],
    }))
}

fn client_id(ctx: &Ctx) -> Result<String, ConfigError> {
    let reg = ctx.step.client.ok_or(ConfigError::BadParam {
        field: "client",
        reason: "a sign-in step names its client app".into(),
    })?;
    match ctx.client(reg).id() {
        "" => Err(ConfigError::NoClientId { client: reg.label }),
        id => Ok(id.into()),
    }
}

fn redirect_uri(ctx: &Ctx) -> Result<String, ConfigError> {
    let uri = ctx.param(&REDIRECT_URI);
    protocol_wire::request::validate_url(uri).map_err(|e| ConfigError::BadParam {
        field: REDIRECT_URI.label,
        reason: e.to_string(),
    })?;
    Ok(uri.into())
}

/// Why an authorization response gives no code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoCode {
    /// `state` is not the one this page sent (RFC 6749 10.12).
    ForgedState,
    /// The server answered an error (RFC 6749 4.1.2.1).
    Denied {
        /// `error`.
        error: String,
        /// `error_description`.
        description: String,
    },
    /// Neither `code` nor `error`.
    Empty,
}

impl NoCode {
    /// The step's failed outcome, with the fix for an error the server named.
    pub fn outcome(&self) -> StepOutcome {
        match self {
            NoCode::ForgedState => StepOutcome::failed("Refused: the state returned by the authorization server does not match the one this page sent. The response may be forged (CSRF); nothing was exchanged."),
            NoCode::Denied { error, description } => {
                let (cause, fix) = protocol_wire::response::oauth_error_hint(error);
                StepOutcome {
                    ok: false,
                    summary: format!("The authorization server answered {error}: {description}"),
                    diagnosis: Some(Diagnosis {
                        cause: cause.into(),
                        fix: fix.into(),
                        relay: false,
                    }),
                    ..Default::default()
                }
            }
            NoCode::Empty => {
                StepOutcome::failed("The authorization response has neither a code nor an error.")
            }
        }
    }
}

/// Reads the authorization response (the redirect's query, with or without `?`): the code,
/// or why there is none. `state` must be the one this page sent, else nothing is exchanged.
pub fn authorization_code(query: &str, expected_state: &str) -> Result<String, NoCode> {
    let params = protocol_wire::encoding::form_decode(query.trim_start_matches('?'));
    let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    if get("state").as_deref() != Some(expected_state) {
        return Err(NoCode::ForgedState);
    }
    if let Some(error) = get("error") {
        return Err(NoCode::Denied {
            error,
            description: get("error_description").unwrap_or_default(),
        });
    }
    get("code").ok_or(NoCode::Empty)
}

/// Whether a page's query is an authorization response (it carries `code` or `error`).
pub fn is_authorization_response(query: &str) -> bool {
    protocol_wire::encoding::form_decode(query.trim_start_matches('?'))
        .iter()
        .any(|(k, _)| k == "code" || k == "error")
}

/// The code exchange at the sign-in server's token endpoint (PKCE verifier, the client's
/// own authentication: `none` for a SPA).
pub fn code_exchange(ctx: &Ctx, code: &str, verifier: &str) -> Result<HttpRequest, ConfigError> {
    let server = ctx.step.target.server;
    Ok(requests::authorization_code(
        &ctx.url_of(server, Endpoint::Token)?,
        code,
        &redirect_uri(ctx)?,
        verifier,
        &ctx.client_auth()?,
    ))
}

/// Reads the code exchange: a nonce mismatch refuses the tokens.
pub fn read(ctx: &Ctx, capture: &HttpCapture, nonce: &str) -> StepOutcome {
    let resp = match parse_token_response(capture) {
        Ok(r) => r,
        Err(p) => return StepOutcome::problem(&p),
    };
    read_tokens(ctx, &resp, Some(nonce), "Signed in")
}

/// Reads the user's tokens from a code exchange or a refresh.
fn read_tokens(ctx: &Ctx, resp: &TokenResponse, nonce: Option<&str>, what: &str) -> StepOutcome {
    let mut out = StepOutcome::success("");
    let issuer = ctx
        .server(ctx.step.target.server)
        .endpoints(ctx.step.target.server)
        .map(|e| e.issuer)
        .unwrap_or_default();
    if let Some(at) = &resp.access_token {
        out = out.output(USER_ACCESS_TOKEN, at).token(TokenView::new(
            "User access token",
            at,
            ctx.now,
        ));
    }
    if let Some(rt) = &resp.refresh_token {
        out =
            out.output(USER_REFRESH_TOKEN, rt)
                .token(TokenView::new("Refresh token", rt, ctx.now));
    }
    let Some(idt) = &resp.id_token else {
        out.summary = format!("{what}; no ID token came back (add the openid scope to get one).");
        return out;
    };
    let view = TokenView::new("ID token", idt, ctx.now);
    if let Ok(jwt) = decode(idt) {
        out.findings = checks::check_id_token(
            &jwt,
            &IdTokenExpectations {
                issuer,
                client_id: ctx.client_id().into(),
                nonce: nonce.unwrap_or_default().into(),
                now: ctx.now,
                nonce_expected: nonce.is_some(),
            },
        );
        let bad_nonce = out
            .findings
            .iter()
            .any(|f| f.check == "id_token.nonce" && f.severity == Severity::Error);
        if bad_nonce {
            out.ok = false;
            out.outputs.clear();
            out.summary = "Refused: the ID token's nonce does not match the one this page sent, so it may be replayed or injected.".into();
            out.tokens.insert(0, view);
            return out;
        }
    }
    let who = view.claim("sub").unwrap_or("the user").to_string();
    out.outputs.push((USER_ID_TOKEN, idt.as_str().into()));
    out.tokens.insert(0, view);
    let refresh = if resp.refresh_token.is_some() {
        ", ID token, access token and refresh token received"
    } else {
        ": ID token and access token received"
    };
    out.summary = format!("{what} as {who}{refresh}.");
    out
}

/// The refresh step: `grant_type=refresh_token` at the sign-in server.
pub fn refresh(ctx: &Ctx) -> Result<HttpRequest, ConfigError> {
    let mut r = requests::refresh(
        &ctx.url()?,
        &ctx.value(USER_REFRESH_TOKEN),
        "",
        &ctx.client_auth()?,
    );
    r.label = format!("Refresh token grant ({GRANT_REFRESH_TOKEN})");
    Ok(r)
}

/// Reads a refresh: new tokens replace the old ones (later steps become stale).
pub fn read_refresh(ctx: &Ctx, capture: &HttpCapture) -> StepOutcome {
    match parse_token_response(capture) {
        Ok(resp) => {
            let mut o = read_tokens(ctx, &resp, None, "Refreshed");
            if resp.refresh_token.is_none() {
                o.findings.push(Finding::new(
                    Severity::Info,
                    "refresh.rotation",
                    "No new refresh token came back: the old one stays valid (no rotation).",
                ));
            }
            o
        }
        Err(p) => StepOutcome::problem(&p),
    }
}

/// Why a pasted value cannot be what it claims to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PasteError {
    /// Nothing was pasted.
    Empty,
    /// It is not a JWT, though this kind of token always is.
    NotJwt(String),
    /// A JWT without a claim this kind of token always has.
    MissingClaim(&'static str),
    /// White space inside a token.
    Whitespace,
}

impl std::fmt::Display for PasteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PasteError::Empty => f.write_str("nothing was pasted"),
            PasteError::NotJwt(e) => write!(f, "it is not a JWT ({e}), and an ID token always is"),
            PasteError::MissingClaim(c) => {
                write!(f, "it has no {c} claim, which every ID token has")
            }
            PasteError::Whitespace => f.write_str("it contains white space, which no token does"),
        }
    }
}

/// Checks that a pasted value can be a token of `kind`.
pub fn check_pasted(kind: OutputKind, value: &str) -> Result<(), PasteError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(PasteError::Empty);
    }
    if v.chars().any(char::is_whitespace) {
        return Err(PasteError::Whitespace);
    }
    if kind == OutputKind::IdToken {
        let jwt = decode(v).map_err(|e| PasteError::NotJwt(e.to_string()))?;
        for c in ["iss", "sub", "aud", "exp"] {
            if !jwt.claims.contains_key(c) {
                return Err(PasteError::MissingClaim(c));
            }
        }
    }
    Ok(())
}

/// "Use Existing": tokens pasted by the user stand in for the sign-in. A value that cannot
/// be what it claims to be is an error, and the step is not done.
pub fn use_existing(id_token: &str, access_token: &str, now: i64) -> StepOutcome {
    let mut o = StepOutcome::success("Using tokens pasted by you (no sign-in).");
    for (output, label, v) in [
        (USER_ID_TOKEN, "ID token", id_token),
        (USER_ACCESS_TOKEN, "User access token", access_token),
    ] {
        if v.trim().is_empty() {
            continue;
        }
        match check_pasted(output.kind, v) {
            Ok(()) => {
                o.outputs.push((output, v.trim().into()));
                o.tokens.push(TokenView::new(label, v.trim(), now));
            }
            Err(e) => {
                o.ok = false;
                o.findings.push(Finding::new(
                    Severity::Error,
                    "paste",
                    format!("The pasted {label} cannot be used: {e}."),
                ));
            }
        }
    }
    if !o.ok {
        o.outputs.clear();
        o.tokens.clear();
        o.summary = "Refused: a pasted value cannot be the token it stands for.".into();
        o.diagnosis = Some(Diagnosis {
            cause: o.findings.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join(" "),
            fix: "Paste each token exactly as the server issued it (a JWT is three base64url parts separated by dots, with no spaces), or sign in instead.".into(),
            relay: false,
        });
    } else if o.outputs.is_empty() {
        return StepOutcome::failed("Paste an ID token or an access token first.");
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_authorization_response_gives_its_code_only_with_the_state_sent() {
        assert_eq!(authorization_code("?code=c1&state=s1", "s1").unwrap(), "c1");
        let forged = authorization_code("code=c1&state=other", "s1").unwrap_err();
        assert_eq!(forged, NoCode::ForgedState);
        assert!(forged.outcome().summary.contains("nothing was exchanged"));
        assert_eq!(
            authorization_code("code=c1", "s1"),
            Err(NoCode::ForgedState),
            "a missing state is refused"
        );
        let denied = authorization_code("error=access_denied&error_description=No.&state=s1", "s1")
            .unwrap_err()
            .outcome();
        assert_eq!(
            denied.summary,
            "The authorization server answered access_denied: No."
        );
        assert!(denied.diagnosis.is_some_and(|d| !d.fix.is_empty()));
        let empty = authorization_code("state=s1", "s1").unwrap_err();
        assert_eq!(empty, NoCode::Empty);
        assert!(empty
            .outcome()
            .summary
            .contains("neither a code nor an error"));
        assert!(is_authorization_response("?code=c1&state=s1"));
        assert!(is_authorization_response("error=access_denied"));
        assert!(!is_authorization_response("?config=abc"));
    }

    #[test]
    fn pasted_garbage_is_refused_with_the_reason_and_keeps_nothing() {
        let o = use_existing("not-a-jwt", "opaque-access-token", 0);
        assert!(!o.ok);
        assert!(o.outputs.is_empty() && o.tokens.is_empty());
        let d = o.diagnosis.expect("a diagnosis");
        assert!(
            d.cause.contains("The pasted ID token cannot be used"),
            "{}",
            d.cause
        );
        assert!(d.fix.contains("three base64url parts"));
    }

    #[test]
    fn an_opaque_access_token_alone_is_accepted() {
        let o = use_existing("", "opaque-access-token", 0);
        assert!(o.ok, "{}", o.summary);
        assert_eq!(o.outputs.len(), 1);
    }

    #[test]
    fn nothing_pasted_is_not_a_success() {
        assert!(!use_existing(" ", "", 0).ok);
    }
}
