//! From an answer to a verdict: what a case's [`Judge`] makes of what the server did, at the
//! case's [`Level`] (what a MUST forbids fails; what only a SHOULD covers warns; where the
//! specs allow both, it is reported as info).

use serde_json::Value;

use super::{Case, Got, Judge, Level, Variation, Verdict};
use protocol_engine::engine::{Answer, Exchange, Ran, NO_ANSWER};
use protocol_wire::endpoints::{challenge_param, resource_metadata_from_challenge};

/// What the judge sees of a case's run.
pub struct Seen<'a> {
    /// The run of the varied step (its last exchange is the one judged).
    pub ran: &'a Ran,
    /// Whether the request went straight to another origin than the page's (a header CORS
    /// does not expose is then unreadable, not absent).
    pub cross_origin: bool,
}

impl Seen<'_> {
    fn last(&self) -> Option<&Exchange> {
        self.ran.exchanges.last()
    }
}

/// The verdict on `case` from what was `seen`: the answer judged, the verdict, and why.
pub fn judge(case: &Case, seen: &Seen) -> (Got, Verdict, String) {
    if case.judge == Judge::NoRedirect {
        return no_redirect(seen.ran);
    }
    let Some(x) = seen.last() else {
        if case.vary == Variation::NoChallenge {
            if let Some(Answer::Error(e)) = &seen.ran.answer {
                return (
                    Got {
                        status: None,
                        error: Some(e.clone()),
                    },
                    Verdict::Pass,
                    format!("The authorization request without a code_challenge was refused ({e}): this server requires PKCE, so no code can be downgraded."),
                );
            }
        }
        return (
            Got::default(),
            Verdict::NotRun,
            format!(
                "The varied request was not sent: {}",
                seen.ran.outcome.summary
            ),
        );
    };
    let got = Got::of(x);
    let c = match &x.result {
        Ok(c) => c,
        Err(f) => {
            return (
                got,
                Verdict::NotRun,
                format!("No answer was read: {}", f.headline()),
            )
        }
    };
    let (verdict, note) = match case.judge {
        Judge::Refused { errors, statuses } => refused(case, &got, errors, statuses),
        Judge::Optional { errors, note } => {
            if got.accepted() {
                (Verdict::Info, format!("Accepted ({}). {note}", got.shown()))
            } else if got.error.as_deref().is_some_and(|e| errors.contains(&e)) {
                (Verdict::Pass, format!("Refused: {}.", got.shown()))
            } else {
                (
                    Verdict::Pass,
                    format!(
                        "Refused ({}); the usual code is {}.",
                        got.shown(),
                        errors.join(" or ")
                    ),
                )
            }
        }
        Judge::Either => {
            if got.accepted() {
                (Verdict::Info, format!("Accepted again ({}): the server lets a client re-present it, which the ID-JAG draft allows.", got.shown()))
            } else {
                (Verdict::Info, format!("Refused the second time ({}): the server treats it as single-use (a one-time jti), which RFC 7523 §3 allows.", got.shown()))
            }
        }
        Judge::Challenge => challenge(case, &got, c.header("www-authenticate"), seen),
        Judge::BadToken => bad_token(&got, x, seen),
        Judge::IntrospectionAuth => introspection_auth(&got, &c.body),
        Judge::Accepted => {
            if got.accepted() {
                (Verdict::Pass, format!("Answered {}.", got.shown()))
            } else {
                (Verdict::Warn, format!("Answered {}: RFC 7009 §2.2 says an invalid token does not cause an error response (the client cannot act on it), so 200 is expected.", got.shown()))
            }
        }
        Judge::Inactive => inactive(&got, &c.body),
        Judge::NoRedirect => unreachable!("judged above"),
    };
    (got, verdict, note)
}

/// What breaking a requirement of `level` is: fail for a MUST, warn for a SHOULD, info where
/// both are allowed.
fn broken(level: Level) -> Verdict {
    match level {
        Level::Must => Verdict::Fail,
        Level::Should => Verdict::Warn,
        Level::May | Level::None => Verdict::Info,
    }
}

fn refused(case: &Case, got: &Got, errors: &[&str], statuses: &[u16]) -> (Verdict, String) {
    let status = got.status.unwrap_or_default();
    let named = got.error.as_deref().is_some_and(|e| errors.contains(&e));
    let expected = format!(
        "{} ({})",
        errors.join(" or "),
        statuses
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(" or ")
    );
    if got.accepted() {
        let why = match case.vary {
            Variation::AfterRevoke => " A resource server that validates self-contained (JWT) access tokens itself accepts them until they expire unless it introspects them or learns of revocations (RFC 7009 §3 allows this); revocation can also take time to propagate.",
            Variation::MethodBeyondScope => " The token's scope may cover this method; if it does not, the API does not check scope per method.",
            _ => "",
        };
        return (
            broken(case.level),
            format!(
                "Accepted ({}): the spec requires a refusal: {expected}.{why}",
                got.shown()
            ),
        );
    }
    if case.vary == Variation::MethodBeyondScope && matches!(status, 404 | 405) {
        return (
            Verdict::NotRun,
            format!("The API answered {} to a DELETE of a resource that does not exist: it does not offer the method, or looked the resource up before the token's scope, so nothing tells whether it checks scope per method.", got.shown()),
        );
    }
    if status >= 500 {
        return (
            Verdict::Warn,
            format!("Refused with a server error ({}) instead of the error response the spec names: {expected}.", got.shown()),
        );
    }
    if named && statuses.contains(&status) {
        let which = if errors.len() > 1
            && errors.contains(&"invalid_request")
            && errors.contains(&"invalid_grant")
        {
            match got.error.as_deref() {
                Some("invalid_grant") => " The server used invalid_grant (the ID-JAG draft's example, MCP's and Okta's code); RFC 8693 §2.2.2 names invalid_request.",
                _ => " The server used invalid_request, the code RFC 8693 §2.2.2 names.",
            }
        } else {
            ""
        };
        return (Verdict::Pass, format!("Refused: {}.{which}", got.shown()));
    }
    (
        Verdict::Warn,
        format!(
            "Refused, but with {} where the spec names {expected}.",
            got.shown()
        ),
    )
}

fn no_redirect(ran: &Ran) -> (Got, Verdict, String) {
    match &ran.answer {
        None if ran.outcome.summary == NO_ANSWER => (
            Got::default(),
            Verdict::Pass,
            "No redirect came back within the time given: the server kept the browser (its own error page) instead of sending it to the unregistered URI.".into(),
        ),
        None => (
            Got::default(),
            Verdict::NotRun,
            format!("The authorization page could not be watched: {}", ran.outcome.summary),
        ),
        Some(Answer::Code) => (
            Got {
                status: Some(302),
                error: None,
            },
            Verdict::Fail,
            "The server redirected the browser to the unregistered URI with an authorization code: anyone who can make a victim open such a link receives the code.".into(),
        ),
        Some(Answer::Error(e)) => (
            Got {
                status: Some(302),
                error: Some(e.clone()),
            },
            Verdict::Fail,
            format!("The server redirected the browser to the unregistered URI (with error={e}); RFC 6749 §4.1.2.1 says it MUST NOT redirect automatically to an invalid redirection URI."),
        ),
    }
}

fn challenge(case: &Case, got: &Got, header: Option<&str>, seen: &Seen) -> (Verdict, String) {
    if got.accepted() {
        return (
            broken(case.level),
            format!(
                "The API answered {} to a request without any token.",
                got.shown()
            ),
        );
    }
    let status = got.status.unwrap_or_default();
    let status_note = if status == 401 {
        String::new()
    } else {
        format!(" It answered {status} where 401 is the usual status.")
    };
    let Some(h) = header else {
        if seen.cross_origin {
            return (Verdict::Warn, format!("Refused ({}), but the WWW-Authenticate header could not be read: it is not exposed to the browser (the API must send Access-Control-Expose-Headers: WWW-Authenticate), or it was not sent, which RFC 6750 §3 requires.{status_note}", got.shown()));
        }
        return (
            broken(case.level),
            format!("Refused ({}) without a WWW-Authenticate header: RFC 6750 §3 requires a Bearer challenge.{status_note}", got.shown()),
        );
    };
    if !h.trim_start().to_ascii_lowercase().starts_with("bearer") {
        return (
            broken(case.level),
            format!("The challenge is not for the Bearer scheme: WWW-Authenticate: {h}"),
        );
    }
    let metadata = resource_metadata_from_challenge(h)
        .map(|u| format!(" It names its resource metadata (RFC 9728 §5.1): {u}."))
        .unwrap_or_default();
    if let Some(e) = challenge_param(h, "error") {
        return (
            Verdict::Warn,
            format!("The challenge carries error=\"{e}\": RFC 6750 §3.1 says a request without authentication SHOULD NOT include an error code.{metadata}{status_note}"),
        );
    }
    let verdict = if status == 401 {
        Verdict::Pass
    } else {
        Verdict::Warn
    };
    (
        verdict,
        format!(
            "{}: WWW-Authenticate: {h}.{metadata}{status_note}",
            got.shown()
        ),
    )
}

fn bad_token(got: &Got, x: &Exchange, seen: &Seen) -> (Verdict, String) {
    let jwt = super::vary::bearer_of(&x.request).is_some_and(|t| t.split('.').count() == 3);
    if got.accepted() {
        return (
            Verdict::Fail,
            format!("The API accepted a tampered access token ({}): it does not check the token's signature (or asks no one about it).", got.shown()),
        );
    }
    let status = got.status.unwrap_or_default();
    match got.error.as_deref() {
        Some("invalid_token") if status == 401 => {
            (Verdict::Pass, format!("Refused: {}.", got.shown()))
        }
        Some("invalid_token") => (
            Verdict::Warn,
            format!("Refused with invalid_token, but status {status}: RFC 6750 §3.1 says 401 SHOULD be used."),
        ),
        None if seen.cross_origin && status == 401 => (
            Verdict::Warn,
            "Refused (401), but its error code could not be read: WWW-Authenticate is not exposed to the browser (Access-Control-Expose-Headers), or was sent without one.".into(),
        ),
        other => {
            let code = other.map_or("no error code".to_string(), |e| format!("error {e}"));
            if jwt {
                (Verdict::Fail, format!("Refused ({}) with {code}: for a JWT access token that fails validation, RFC 9068 §4 requires the error code invalid_token.", got.shown()))
            } else {
                (Verdict::Warn, format!("Refused ({}) with {code}: RFC 6750 §3.1 names invalid_token (an opaque token: RFC 9068 does not apply).", got.shown()))
            }
        }
    }
}

fn introspection_auth(got: &Got, body: &str) -> (Verdict, String) {
    let status = got.status.unwrap_or_default();
    if got.accepted() {
        let active = serde_json::from_str::<Value>(body)
            .ok()
            .and_then(|v| v.get("active").and_then(Value::as_bool));
        let what = match active {
            Some(true) => " and told an unauthenticated caller the token is active",
            Some(false) => " (active: false, but even that answer lets anyone test tokens)",
            None => "",
        };
        return (
            Verdict::Fail,
            format!("The introspection endpoint answered {}{what}: RFC 7662 §2.1 requires authorization to call it, to prevent token scanning.", got.shown()),
        );
    }
    match (status, got.error.as_deref()) {
        (401, _) => (Verdict::Pass, format!("Refused: {}.", got.shown())),
        (400, Some("invalid_client")) => (
            Verdict::Warn,
            "Refused with 400 invalid_client: RFC 7662 §2.3 answers a caller whose credentials are invalid with 401.".into(),
        ),
        _ => (
            Verdict::Warn,
            format!("Refused with {}: RFC 7662 §2.3 names 401.", got.shown()),
        ),
    }
}

fn inactive(got: &Got, body: &str) -> (Verdict, String) {
    if !got.accepted() {
        return (
            Verdict::Fail,
            format!("Answered {}: RFC 7662 §2.2 and §2.3 require an introspection response with active: false for a token that is not active, not an error.", got.shown()),
        );
    }
    let v = serde_json::from_str::<Value>(body).unwrap_or(Value::Null);
    match v.get("active").and_then(Value::as_bool) {
        Some(false) => {
            let extra: Vec<&str> = v
                .as_object()
                .map(|o| {
                    o.keys()
                        .map(String::as_str)
                        .filter(|k| *k != "active")
                        .collect()
                })
                .unwrap_or_default();
            if extra.is_empty() {
                (Verdict::Pass, "Answered active: false.".into())
            } else {
                (Verdict::Pass, format!("Answered active: false, with {} besides (RFC 7662 §2.2: SHOULD NOT say more about an inactive token).", extra.join(", ")))
            }
        }
        Some(true) => (
            Verdict::Fail,
            "Answered active: true for a revoked token.".into(),
        ),
        None => (
            Verdict::Fail,
            "The answer has no boolean active member.".into(),
        ),
    }
}
