//! Pieces several flows share: the API call, introspection and revocation, and the wording
//! of token lifetimes and granted scopes.

use serde_json::Value;

use super::{Diagnosis, RawBody, StepOutcome, TokenView};
use protocol_engine::flow::{ConfigError, Ctx, Field, FieldKind, Output, OutputKind};
use protocol_wire::checks::{Finding, Severity};
use protocol_wire::constants::TOKEN_TYPE_ACCESS;
use protocol_wire::jwt::decode;
use protocol_wire::request::{HttpRequest, Method, Param};
use protocol_wire::requests::{self, TokenExchange};
use protocol_wire::response::{parse_json, HttpCapture, TokenResponse};
use protocol_wire::scope;

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
    help: "Each method may need its own scope (the demo's APIs: GET the read scope, POST, PUT, PATCH and DELETE the write scope); a method the API does not offer is refused with 405 and the list it offers. An MCP initialize, for example, is a POST with a JSON body.",
};
/// Extra headers of the API call.
pub const API_HEADERS: Field = Field {
    key: "api_headers",
    label: "Extra headers (Name: value, one per line)",
    kind: FieldKind::Multiline,
    help: "Sent as they are, after Authorization; an Accept here replaces the default (application/json, and text/event-stream too with a JSON body, as MCP servers expect).",
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
    let body = ctx.param(&API_BODY);
    if !body.is_empty() {
        // A JSON-RPC server over streamable HTTP (MCP) may answer with an event stream.
        r.headers.retain(|h| !h.name.eq_ignore_ascii_case("accept"));
        r.headers.insert(
            0,
            Param::public("Accept", "application/json, text/event-stream"),
        );
    }
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
        // A header whose name says it carries a credential is masked like the token.
        if name.eq_ignore_ascii_case("accept") {
            r.headers.retain(|h| !h.name.eq_ignore_ascii_case("accept"));
        }
        r.headers
            .push(if protocol_wire::mask::is_credential_name(name) {
                Param::secret(name, value.trim())
            } else {
                Param::public(name, value.trim())
            });
    }
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

/// Reads the API's answer: JSON, an event stream (each event's data shown, JSON
/// pretty-printed), or anything else shown as it came with what it is; a refusal explained
/// for the method and scope asked for.
pub fn read_api(ctx: &Ctx, capture: &HttpCapture) -> StepOutcome {
    let content_type = capture.header("content-type").unwrap_or("").trim();
    if capture.is_success() && protocol_wire::sse::is_event_stream(content_type) {
        return read_events(capture).output(API_RESPONSE, &capture.body);
    }
    let method = match ctx.param(&API_METHOD) {
        "" => "GET",
        m => m,
    };
    let o = read_json(capture, "The API answered");
    if o.ok {
        return o.output(API_RESPONSE, &capture.body);
    }
    match capture.status {
        405 => refused_method(capture, method, o),
        403 => refused_scope(capture, method, o),
        _ if unreadable(capture) => raw(capture, content_type, o),
        _ => o,
    }
}

/// Whether a body is neither JSON nor empty (shown raw, then).
fn unreadable(capture: &HttpCapture) -> bool {
    !capture.body.trim().is_empty() && serde_json::from_str::<Value>(&capture.body).is_err()
}

/// How much of an unreadable body is kept for the card.
const RAW_MAX: usize = 64 * 1024;

/// An answer this step cannot read, shown as it came with its content type; a 2xx is still a
/// success (the API answered), the diagnosis names what was received.
fn raw(capture: &HttpCapture, content_type: &str, mut o: StepOutcome) -> StepOutcome {
    let what = if content_type.is_empty() {
        "no Content-Type".to_string()
    } else {
        content_type.to_string()
    };
    let mut text: String = capture.body.chars().take(RAW_MAX).collect();
    if text.len() < capture.body.len() {
        text.push_str("\n… (cut: the answer is longer)");
    }
    let bytes = capture.body.len();
    if capture.is_success() {
        o = StepOutcome::success(format!(
            "The API answered HTTP {} with {what} ({bytes} bytes), shown as it came.",
            capture.status
        ));
    }
    o.diagnosis = Some(Diagnosis {
        cause: format!("This step reads JSON and event streams (text/event-stream); the API sent {what}, {bytes} bytes, shown below as it came."),
        fix: "If the API should answer JSON, check its URL (a page in front of it answers HTML) and the Accept header (Extra headers).".into(),
        relay: false,
    });
    o.raw = Some(RawBody {
        content_type: what,
        text,
    });
    o
}

/// 405: the method is not one the API answers; `Allow` names those it does.
fn refused_method(capture: &HttpCapture, method: &str, mut o: StepOutcome) -> StepOutcome {
    let allow = capture
        .header("allow")
        .map(str::trim)
        .filter(|a| !a.is_empty());
    o.summary = match allow {
        Some(a) => format!("HTTP 405: the API does not answer {method}; it answers {a}."),
        None => format!("HTTP 405: the API does not answer {method} (it sent no Allow header, or the browser could not read it)."),
    };
    o.diagnosis = Some(Diagnosis {
        cause: format!("{method} is not a method this resource offers (RFC 9110 15.5.6)."),
        fix: match allow {
            Some(a) => format!("Choose one of {a} as the Method (step parameters)."),
            None => "Choose another Method (step parameters); the API's documentation lists those it offers.".into(),
        },
        relay: false,
    });
    o
}

/// 403 `insufficient_scope`: the token lacks the scope this method needs; the challenge's
/// `scope` names it (RFC 6750 3.1).
fn refused_scope(capture: &HttpCapture, method: &str, mut o: StepOutcome) -> StepOutcome {
    let challenge = capture.header("www-authenticate").unwrap_or("");
    let Some(scope) = protocol_wire::endpoints::challenge_param(challenge, "scope") else {
        return o;
    };
    o.summary = format!("HTTP 403 insufficient_scope: {method} on this API needs the scope {scope}, which the token does not carry.");
    o.diagnosis = Some(Diagnosis {
        cause: format!("The API names the scope it needs in its challenge (RFC 6750 3.1): {scope}."),
        fix: format!("Ask for {scope} in the scope of the steps that obtain the token (if the authorization server's policy grants it), or choose a method the token's scope covers."),
        relay: false,
    });
    o
}

/// An event stream: each event with its data (JSON where it is JSON).
fn read_events(capture: &HttpCapture) -> StepOutcome {
    let (events, dropped) = protocol_wire::sse::parse(&capture.body);
    let list: Vec<Value> = events
        .iter()
        .map(|e| {
            let mut v = serde_json::json!({ "event": e.name, "data": e.json().unwrap_or_else(|| Value::String(e.data.clone())) });
            if let Some(id) = &e.id {
                v["id"] = Value::String(id.clone());
            }
            v
        })
        .collect();
    let errors = events
        .iter()
        .filter(|e| e.json().is_some_and(|j| j.get("error").is_some()))
        .count();
    let mut summary = format!(
        "The API answered with an event stream (text/event-stream): {} event{}",
        events.len(),
        if events.len() == 1 { "" } else { "s" }
    );
    if dropped > 0 {
        summary.push_str(&format!(" shown, {dropped} more not kept"));
    }
    if errors > 0 {
        summary.push_str(&format!(", {errors} with a JSON-RPC error"));
    }
    summary.push('.');
    StepOutcome {
        ok: true,
        summary,
        body: Some(serde_json::json!({ "events": list })),
        ..Default::default()
    }
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
        protocol_wire::constants::TOKEN_TYPE_ID
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

#[cfg(test)]
mod api_tests {
    use super::*;
    use crate::flows::agentic::FLOW;
    use protocol_engine::flow::{FlowConfig, FlowState};

    fn answer(status: u16, headers: &[(&str, &str)], body: &str) -> HttpCapture {
        HttpCapture {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: body.into(),
        }
    }

    fn read(config: &FlowConfig, capture: &HttpCapture) -> StepOutcome {
        let state = FlowState::default();
        let ctx = Ctx::preview(&FLOW, FLOW.step("api").unwrap(), config, &state, 0);
        read_api(&ctx, capture)
    }

    #[test]
    fn an_event_stream_is_read_event_by_event() {
        let sse =
            "event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"ok\":true}}\n\n";
        let o = read(
            &FlowConfig::default(),
            &answer(200, &[("content-type", "text/event-stream")], sse),
        );
        assert!(o.ok, "{}", o.summary);
        assert!(
            o.summary
                .contains("event stream (text/event-stream): 1 event."),
            "{}",
            o.summary
        );
        assert_eq!(o.body.unwrap()["events"][0]["data"]["result"]["ok"], true);
    }

    #[test]
    fn what_cannot_be_read_is_shown_raw_with_what_it_is() {
        let o = read(
            &FlowConfig::default(),
            &answer(200, &[("content-type", "text/plain")], "hello"),
        );
        assert!(o.ok);
        assert_eq!(o.raw.as_ref().unwrap().text, "hello");
        assert!(o
            .diagnosis
            .unwrap()
            .cause
            .contains("the API sent text/plain, 5 bytes"));
        let o = read(&FlowConfig::default(), &answer(502, &[], "Bad gateway"));
        assert!(!o.ok);
        assert_eq!(o.raw.unwrap().content_type, "no Content-Type");
    }

    #[test]
    fn refusals_name_the_methods_and_the_scope() {
        let c = FlowConfig::default().with(&API_METHOD, "DELETE");
        let o = read(
            &c,
            &answer(
                405,
                &[("allow", "GET, POST")],
                r#"{"error":"invalid_request"}"#,
            ),
        );
        assert_eq!(
            o.summary,
            "HTTP 405: the API does not answer DELETE; it answers GET, POST."
        );
        let o = read(
            &c,
            &answer(
                403,
                &[(
                    "www-authenticate",
                    r#"Bearer realm="x", error="insufficient_scope", scope="files.write""#,
                )],
                r#"{"error":"insufficient_scope"}"#,
            ),
        );
        assert!(
            o.summary
                .contains("DELETE on this API needs the scope files.write"),
            "{}",
            o.summary
        );
    }

    #[test]
    fn a_json_body_asks_for_json_or_an_event_stream_unless_told_otherwise() {
        let jwt = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln";
        let mut state = FlowState::default();
        state.set(crate::flows::agentic::AGENT_ACCESS_TOKEN, jwt.into());
        let base = crate::flows::agentic::demo(&protocol_engine::flow::PresetEnv {
            demo_org: "http://127.0.0.1:9400".into(),
            redirect_uri: "http://127.0.0.1:8080/".into(),
        });
        let build = |c: &FlowConfig| {
            let ctx = Ctx::preview(&FLOW, FLOW.step("api").unwrap(), c, &state, 0);
            api_call(&ctx, crate::flows::agentic::AGENT_ACCESS_TOKEN).unwrap()
        };
        assert_eq!(build(&base).header("accept"), Some("application/json"));
        let post = base.clone().with(&API_METHOD, "POST").with(&API_BODY, "{}");
        assert_eq!(
            build(&post).header("accept"),
            Some("application/json, text/event-stream")
        );
        let mine = post.with(
            &API_HEADERS,
            "Accept: text/event-stream\nX-Api-Key: k-123456",
        );
        let r = build(&mine);
        let accepts: Vec<&str> = r
            .headers
            .iter()
            .filter(|h| h.name.eq_ignore_ascii_case("accept"))
            .map(|h| h.value.as_str())
            .collect();
        assert_eq!(accepts, ["text/event-stream"]);
        assert!(
            r.headers.iter().any(|h| h.name == "X-Api-Key" && h.secret),
            "a credential header is secret"
        );
    }
}
