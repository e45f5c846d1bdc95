//! Pieces several flows share: the API call, introspection and revocation, and the wording
//! of token lifetimes and granted scopes.

use serde_json::Value;

use super::{StepOutcome, TokenView};
use crate::checks::{Finding, Severity};
use crate::constants::TOKEN_TYPE_ACCESS;
use crate::flow::{ConfigError, Ctx, Field, FieldKind, Output, OutputKind};
use crate::jwt::decode;
use crate::request::{HttpRequest, Method, Param};
use crate::requests::{self, TokenExchange};
use crate::response::{parse_json, HttpCapture, TokenResponse};
use crate::scope;

/// The API's answer.
pub const API_RESPONSE: Output = Output {
    key: "api_response",
    label: "API answer",
    kind: OutputKind::Json,
};
/// Introspection of a live token.
pub const INTROSPECTION: Output = Output {
    key: "introspection",
    label: "introspection",
    kind: OutputKind::Json,
};
/// The token was revoked.
pub const REVOKED: Output = Output {
    key: "revoked",
    label: "revocation",
    kind: OutputKind::Marker,
};
/// Introspection after revocation.
pub const INTROSPECTION_AFTER: Output = Output {
    key: "introspection_after",
    label: "introspection after revocation",
    kind: OutputKind::Json,
};
/// The API's refusal of a revoked token.
pub const API_REFUSAL: Output = Output {
    key: "api_refusal",
    label: "API refusal",
    kind: OutputKind::Json,
};

/// The API call's method.
pub const API_METHOD: Field = Field {
    key: "api_method",
    label: "Method",
    kind: FieldKind::Choice(&[
        ("GET", "GET"),
        ("POST", "POST"),
        ("PUT", "PUT"),
        ("PATCH", "PATCH"),
        ("DELETE", "DELETE"),
    ]),
    help: "An MCP initialize, for example, is a POST with a JSON body.",
};
/// Extra headers of the API call.
pub const API_HEADERS: Field = Field {
    key: "api_headers",
    label: "Extra headers (Name: value, one per line)",
    kind: FieldKind::Multiline,
    help: "Sent as they are, after Accept and Authorization.",
};
/// The API call's JSON body.
pub const API_BODY: Field = Field {
    key: "api_body",
    label: "JSON body (optional)",
    kind: FieldKind::Multiline,
    help: "Sent with Content-Type: application/json; must be valid JSON.",
};

/// The API call with the bearer token `token`, as configured (method, headers, body).
pub fn api_call(ctx: &Ctx, token: Output) -> Result<HttpRequest, ConfigError> {
    let method = match ctx.param(&API_METHOD) {
        "" => Method::Get,
        m => Method::parse(m).ok_or_else(|| ConfigError::BadParam {
            field: API_METHOD.label,
            reason: format!("{m:?} is not an HTTP method"),
        })?,
    };
    let mut r = requests::api_call(method, &ctx.url()?, &ctx.value(token));
    for line in ctx
        .param(&API_HEADERS)
        .lines()
        .filter(|l| !l.trim().is_empty())
    {
        let (name, value) = line.split_once(':').ok_or_else(|| ConfigError::BadParam {
            field: API_HEADERS.label,
            reason: format!("{line:?} is not \"Name: value\""),
        })?;
        let name = name.trim();
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b))
        {
            return Err(ConfigError::BadParam {
                field: API_HEADERS.label,
                reason: format!("{name:?} is not a header name"),
            });
        }
        r.headers.push(Param::public(name, value.trim()));
    }
    let body = ctx.param(&API_BODY);
    if !body.is_empty() {
        serde_json::from_str::<Value>(body).map_err(|e| ConfigError::BadParam {
            field: API_BODY.label,
            reason: format!("not valid JSON: {e}"),
        })?;
        r.headers
            .push(Param::public("Content-Type", "application/json"));
        r.raw_body = Some(body.into());
    }
    Ok(r)
}

/// Reads a JSON answer that is not a token response (API call, introspection, tokeninfo).
pub fn read_json(capture: &HttpCapture, what: &str) -> StepOutcome {
    match parse_json(capture) {
        Ok(v) => {
            let summary = v
                .get("summary")
                .and_then(Value::as_str)
                .map(String::from)
                .unwrap_or_else(|| format!("{what}: HTTP {}.", capture.status));
            StepOutcome {
                ok: true,
                summary,
                body: Some(v),
                ..Default::default()
            }
        }
        Err(p) => {
            let mut o = StepOutcome::problem(&p);
            if let Some(h) = capture.header("www-authenticate") {
                o.summary.push_str(&format!(" (WWW-Authenticate: {h})"));
            }
            o
        }
    }
}

/// Reads the API's answer.
pub fn read_api(_: &Ctx, capture: &HttpCapture) -> StepOutcome {
    let o = read_json(capture, "The API answered");
    if o.ok {
        return o.output(API_RESPONSE, &capture.body);
    }
    o
}

/// Introspection (RFC 7662) of `token` at the step's server, as the step's client.
pub fn introspect(ctx: &Ctx, token: Output) -> Result<HttpRequest, ConfigError> {
    Ok(requests::introspect(
        &ctx.url()?,
        &ctx.value(token),
        "access_token",
        &ctx.client_auth()?,
    ))
}

/// Revocation (RFC 7009) of `token` at the step's server, as the step's client.
pub fn revoke(ctx: &Ctx, token: Output) -> Result<HttpRequest, ConfigError> {
    Ok(requests::revoke(
        &ctx.url()?,
        &ctx.value(token),
        "access_token",
        &ctx.client_auth()?,
    ))
}

/// Reads an introspection of a live token: `active: true` is expected.
pub fn read_introspection(_: &Ctx, capture: &HttpCapture) -> StepOutcome {
    introspection(capture, true)
}

/// Reads an introspection after revocation: `active: false` is expected.
pub fn read_introspection_after(_: &Ctx, capture: &HttpCapture) -> StepOutcome {
    introspection(capture, false)
}

fn introspection(capture: &HttpCapture, expect_active: bool) -> StepOutcome {
    let mut o = read_json(capture, "Introspection answered");
    let Some(body) = o.body.clone() else { return o };
    let active = body.get("active").and_then(Value::as_bool);
    let text = |k: &str| {
        body.get(k)
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string()
    };
    let (sev, message) = match (active, expect_active) {
        (Some(true), true) => (Severity::Pass, format!(
            "active: the server vouches for it (sub {}, scope {}).", text("sub"), text("scope")
        )),
        (Some(false), false) => (Severity::Pass, "active: false — revoked tokens are reported inactive, with no other claim (RFC 7662 2.2).".into()),
        (Some(false), true) => (Severity::Error, "active: false — the token is expired, revoked or unknown to this server.".into()),
        (Some(true), false) => (Severity::Error, "active: true — the server still accepts a revoked token.".into()),
        (None, _) => (Severity::Error, "The answer has no boolean active member (RFC 7662 2.2 requires it).".into()),
    };
    o.ok = sev == Severity::Pass;
    o.summary = message.clone();
    o.findings = vec![Finding::new(sev, "introspection.active", message).spec("RFC 7662 2.2")];
    if o.ok {
        let out = if expect_active {
            INTROSPECTION
        } else {
            INTROSPECTION_AFTER
        };
        o.outputs.push((out, capture.body.as_str().into()));
    }
    o
}

/// Reads a revocation answer (200 with any body means revoked, known or not).
pub fn read_revocation(_: &Ctx, capture: &HttpCapture) -> StepOutcome {
    if capture.is_success() {
        return StepOutcome::success(format!(
            "HTTP {}: revoked. RFC 7009 answers 200 whether or not the token was known; introspect to see the effect.",
            capture.status
        ))
        .output(REVOKED, "yes");
    }
    match parse_json(capture) {
        Err(p) => StepOutcome::problem(&p),
        Ok(_) => StepOutcome::failed(format!("HTTP {}: revocation failed.", capture.status)),
    }
}

/// Reads the API's answer to a revoked token: refusing it is the expected result.
pub fn read_refusal(_: &Ctx, capture: &HttpCapture) -> StepOutcome {
    if capture.status == 401 {
        let why = capture.header("www-authenticate").unwrap_or("");
        return StepOutcome::success(format!(
            "The API refused the revoked token (HTTP 401), as it must. {why}"
        ))
        .output(API_REFUSAL, &capture.body);
    }
    if capture.is_success() {
        return StepOutcome::failed("The API still accepted the revoked token: it does not check revocation (introspection or a revocation list).");
    }
    let mut o = read_json(capture, "The API answered");
    o.ok = false;
    o
}

/// How long a token lives, for a summary: `valid 300 s`, from `expires_in`, else from the
/// token's own `exp`, else unknown.
pub fn lifetime(resp: &TokenResponse, token: Option<&str>, now: i64) -> String {
    if let Some(e) = resp.expires_in {
        return format!("valid {e} s");
    }
    match token
        .and_then(|t| decode(t).ok())
        .and_then(|j| j.time_claim("exp"))
    {
        Some(exp) => format!(
            "valid {} s (from its exp; no expires_in)",
            exp.saturating_sub(now)
        ),
        None => "lifetime unknown (no expires_in, and the token has no exp)".into(),
    }
}

/// The granted scope for a summary: the response's `scope`, or what RFC 8693 2.2.1 means
/// when it is absent (the requested scope).
pub fn granted_scope(resp: &TokenResponse, requested: &str) -> String {
    match (&resp.scope, requested.trim()) {
        (Some(s), _) => format!("scope {s:?}"),
        (None, "") => "no scope stated".into(),
        (None, r) => format!(
            "scope {r:?} as requested (the response omits scope when it equals the request, RFC 8693 2.2.1)"
        ),
    }
}

/// An RFC 8693 exchange of `subject` at the step's server, with the step's parameters.
pub fn exchange(ctx: &Ctx, x: TokenExchange) -> Result<HttpRequest, ConfigError> {
    Ok(requests::token_exchange(
        &ctx.url()?,
        &x,
        &ctx.client_auth()?,
    ))
}

/// The access token type URI, or the ID token's, for a subject choice.
pub fn subject_type(is_access: bool) -> &'static str {
    if is_access {
        TOKEN_TYPE_ACCESS
    } else {
        crate::constants::TOKEN_TYPE_ID
    }
}

/// Splits a space-separated list of URIs (repeated `resource` / `audience`).
pub fn uris(value: &str) -> Vec<String> {
    scope::split(value)
}

/// The token of a token response, decoded for the card.
pub fn view(label: &str, token: &str, now: i64) -> TokenView {
    TokenView::new(label, token, now)
}
