//! Flows as data over the protocol: which request each step sends and how its answer is
//! judged. The browser shell only signs, sends and shows.

pub mod agentic;
pub mod autonomous;
pub mod obo;
pub mod signin;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::checks::Finding;
use crate::jwt::decode;
use crate::response::{HttpCapture, ResponseProblem};
use crate::timefmt;

/// What every flow's configuration offers the app shell.
pub trait FlowSettings {
    /// The steps' inputs and outputs, in order.
    fn specs(&self) -> Vec<crate::flow::StepSpec>;
    /// Copies the configuration into the flow state (so edits mark steps stale).
    fn sync(&self, state: &mut crate::flow::FlowState);
    /// Clears secrets before the configuration is kept on the device.
    fn forget_secrets(&mut self);
}

/// The relay (URL, key) for a request to `url` when the server at `base` is set to use it.
pub fn relay_target(
    url: &str,
    base: &str,
    enabled: bool,
    relay_url: &str,
    relay_key: &str,
) -> Option<(String, String)> {
    let base = base.trim().trim_end_matches('/');
    (enabled && !base.is_empty() && url.starts_with(&format!("{base}/"))).then(|| {
        (
            relay_url.trim().trim_end_matches('/').to_string(),
            relay_key.trim().to_string(),
        )
    })
}

/// The command that starts the relay for `upstream` and this page's `origin` (with `--port`
/// when the relay URL is not the default one).
pub fn relay_command(upstream: &str, origin: &str, relay_url: &str) -> String {
    let port = relay_url
        .trim()
        .trim_end_matches('/')
        .rsplit_once(':')
        .and_then(|(_, p)| p.parse::<u16>().ok());
    let mut cmd = format!(
        "cargo run -p relay -- --upstream {} --allow-origin {}",
        crate::curl::shell_quote(upstream.trim().trim_end_matches('/')),
        crate::curl::shell_quote(origin)
    );
    if let Some(p) = port.filter(|p| *p != 9500) {
        cmd.push_str(&format!(" --port {p}"));
    }
    cmd
}

/// A token as shown on a card: raw, decoded header and claims, readable times.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TokenView {
    /// What it is ("ID token", "ID-JAG", ...).
    pub label: String,
    /// The raw token.
    pub raw: String,
    /// Decoded JOSE header, if it is a JWT.
    pub header: Option<Value>,
    /// Decoded claims, if it is a JWT.
    pub claims: Option<Value>,
    /// Time claims as (claim, UTC time, relative time).
    pub times: Vec<(String, String, String)>,
    /// Why it could not be decoded (opaque token, ...).
    pub note: Option<String>,
}

impl TokenView {
    /// Decodes a token for display; never fails.
    pub fn new(label: &str, raw: &str, now: i64) -> Self {
        match decode(raw) {
            Ok(jwt) => {
                let times = ["iat", "nbf", "auth_time", "exp"]
                    .iter()
                    .filter_map(|c| {
                        jwt.time_claim(c)
                            .map(|t| (c.to_string(), timefmt::utc(t), timefmt::relative(t, now)))
                    })
                    .collect();
                Self {
                    label: label.into(),
                    raw: raw.into(),
                    header: Some(Value::Object(jwt.header)),
                    claims: Some(Value::Object(jwt.claims)),
                    times,
                    note: None,
                }
            }
            Err(e) => Self {
                label: label.into(),
                raw: raw.into(),
                header: None,
                claims: None,
                times: vec![],
                note: Some(e.0),
            },
        }
    }
}

/// What a step run produced, for the flow state and the card.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StepOutcome {
    /// Whether the step succeeded (its outputs may be used).
    pub ok: bool,
    /// One line for the card ("ID-JAG issued for ...", or the failure explained).
    pub summary: String,
    /// Values for the flow state.
    pub outputs: Vec<(String, String)>,
    /// Tokens to decode on the card.
    pub tokens: Vec<TokenView>,
    /// Check results.
    pub findings: Vec<Finding>,
    /// The JSON body, for non-token answers (API, introspection).
    pub body: Option<Value>,
    /// The server refused the browser (Okta's rule) or CORS blocked it: the relay would help.
    pub suggest_relay: bool,
    /// The body holds credentials (a vaulted secret): mask every value until revealed.
    pub secret_body: bool,
}

impl StepOutcome {
    /// A failed outcome from a response problem.
    pub fn problem(p: &ResponseProblem) -> Self {
        Self {
            ok: false,
            summary: p.explain(),
            suggest_relay: p.is_browser_refusal(),
            ..Default::default()
        }
    }

    /// A failed outcome with a message.
    pub fn failed(message: impl Into<String>) -> Self {
        Self {
            ok: false,
            summary: message.into(),
            ..Default::default()
        }
    }
}

/// Reads a JSON answer that is not a token response (API call, introspection, tokeninfo).
pub fn interpret_json(capture: &HttpCapture, what: &str) -> StepOutcome {
    match crate::response::parse_json(capture) {
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

/// Reads an introspection answer; `expect_active` says what the step is showing.
pub fn read_introspection(capture: &HttpCapture, expect_active: bool) -> StepOutcome {
    let mut o = interpret_json(capture, "Introspection answered");
    let Some(body) = o.body.clone() else { return o };
    let active = body.get("active").and_then(serde_json::Value::as_bool);
    let (sev, message) = match (active, expect_active) {
        (Some(true), true) => (crate::checks::Severity::Pass, format!(
            "active: the server vouches for it (sub {}, scope {}).",
            body.get("sub").and_then(|v| v.as_str()).unwrap_or("?"),
            body.get("scope").and_then(|v| v.as_str()).unwrap_or("?")
        )),
        (Some(false), false) => (crate::checks::Severity::Pass, "active: false — revoked tokens are reported inactive, with no other claim (RFC 7662 2.2).".into()),
        (Some(false), true) => (crate::checks::Severity::Error, "active: false — the token is expired, revoked or unknown to this server.".into()),
        (Some(true), false) => (crate::checks::Severity::Error, "active: true — the server still accepts a revoked token.".into()),
        (None, _) => (crate::checks::Severity::Error, "The answer has no boolean active member (RFC 7662 requires it).".into()),
    };
    o.ok = sev == crate::checks::Severity::Pass;
    o.summary = message.clone();
    o.findings = vec![crate::checks::Finding {
        severity: sev,
        check: "introspection.active".into(),
        message,
    }];
    if o.ok {
        o.outputs.push((
            if expect_active {
                "introspection"
            } else {
                "introspection2"
            }
            .into(),
            capture.body.clone(),
        ));
    }
    o
}

/// Reads a revocation answer (200 with any body means revoked, known or not).
pub fn read_revocation(capture: &HttpCapture) -> StepOutcome {
    if capture.is_success() {
        return StepOutcome {
            ok: true,
            summary: format!("HTTP {}: revoked. RFC 7009 answers 200 whether or not the token was known; introspect to see the effect.", capture.status),
            outputs: vec![("revoked".into(), "yes".into())],
            ..Default::default()
        };
    }
    match crate::response::parse_json(capture) {
        Err(p) => StepOutcome::problem(&p),
        Ok(_) => StepOutcome::failed(format!("HTTP {}: revocation failed.", capture.status)),
    }
}

/// Reads the API's answer to a revoked token: refusing it is the expected result.
pub fn read_refusal(capture: &HttpCapture) -> StepOutcome {
    if capture.status == 401 {
        let why = capture.header("www-authenticate").unwrap_or("");
        return StepOutcome {
            ok: true,
            summary: format!("The API refused the revoked token (HTTP 401), as it must. {why}"),
            outputs: vec![("api_refusal".into(), capture.body.clone())],
            ..Default::default()
        };
    }
    if capture.is_success() {
        return StepOutcome::failed("The API still accepted the revoked token: it does not check revocation (introspection or a revocation list).");
    }
    let mut o = interpret_json(capture, "API answered");
    o.ok = false;
    o
}
