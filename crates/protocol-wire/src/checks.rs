//! Checks on tokens and token responses. Each returns findings, never panics: a finding has
//! a severity, one sentence a person understands, and the spec section it comes from.

use serde::{Deserialize, Serialize};

use crate::constants::*;
use crate::jwt::{string_list, DecodedJwt};
use crate::response::TokenResponse;
use crate::scope;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    /// The check passed.
    Pass,
    /// Worth knowing, not a problem.
    Info,
    /// Unusual or risky, but not fatal.
    Warning,
    /// Wrong: the next step will (or should) fail.
    Error,
}

impl Severity {
    /// `pass`, `info`, `warning`, `error`.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Pass => "pass",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// The mark shown beside a finding (its name is given to screen readers instead).
    pub fn glyph(self) -> &'static str {
        match self {
            Severity::Pass => "✓",
            Severity::Info => "ℹ",
            Severity::Warning => "⚠",
            Severity::Error => "✖",
        }
    }
}

/// One result of a check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Severity.
    pub severity: Severity,
    /// Short stable name of the check (`id_jag.typ`).
    pub check: String,
    /// One sentence for people.
    pub message: String,
    /// The spec section it comes from (`RFC 8693 2.2.1`), or empty.
    #[serde(default)]
    pub spec: String,
}

impl Finding {
    /// A finding without a spec reference.
    pub fn new(severity: Severity, check: &str, message: impl Into<String>) -> Self {
        Self {
            severity,
            check: check.into(),
            message: message.into(),
            spec: String::new(),
        }
    }

    /// Names the spec section the check comes from.
    pub fn spec(mut self, section: &str) -> Self {
        self.spec = section.into();
        self
    }
}

/// The ID-JAG draft, as cited by checks.
pub const ID_JAG_DRAFT: &str = "draft-ietf-oauth-identity-assertion-authz-grant";

fn f(severity: Severity, check: &str, spec: &str, message: String) -> Finding {
    Finding::new(severity, check, message).spec(spec)
}

/// Whether any finding is an error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|x| x.severity == Severity::Error)
}

/// Lifetime checks shared by every token: `exp` not passed, `iat` not in the future.
pub fn check_times(jwt: &DecodedJwt, now: i64, what: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    const SPEC: &str = "RFC 7519 4.1.4";
    match jwt.time_claim("exp") {
        None => out.push(f(
            Severity::Error,
            "exp",
            SPEC,
            format!("The {what} has no exp claim, so it never expires."),
        )),
        Some(exp) if exp.saturating_add(CLOCK_SKEW_SECS) < now => out.push(f(
            Severity::Error,
            "exp",
            SPEC,
            format!(
                "The {what} expired {} seconds ago.",
                now.saturating_sub(exp)
            ),
        )),
        Some(exp) => out.push(f(
            Severity::Pass,
            "exp",
            SPEC,
            format!(
                "The {what} is valid for another {} seconds.",
                exp.saturating_sub(now)
            ),
        )),
    }
    if let Some(iat) = jwt.time_claim("iat") {
        if iat > now.saturating_add(CLOCK_SKEW_SECS) {
            out.push(f(
                Severity::Error,
                "iat",
                "RFC 7519 4.1.6",
                format!("The {what} was issued {} seconds in the future: the clocks disagree beyond the {CLOCK_SKEW_SECS} s skew.", iat.saturating_sub(now)),
            ));
        }
    }
    out
}

/// Checks the RFC 8693 response that should carry an ID-JAG.
pub fn check_id_jag_response(resp: &TokenResponse) -> Vec<Finding> {
    let mut out = Vec::new();
    match resp.issued_token_type.as_deref() {
        Some(TOKEN_TYPE_ID_JAG) => out.push(f(Severity::Pass, "issued_token_type", "RFC 8693 2.2.1", "issued_token_type is the ID-JAG type.".into())),
        Some(other) => out.push(f(Severity::Error, "issued_token_type", "RFC 8693 2.2.1", format!("issued_token_type is {other:?}, not the ID-JAG type {TOKEN_TYPE_ID_JAG:?}; a client must reject it."))),
        None => out.push(f(Severity::Error, "issued_token_type", "RFC 8693 2.2.1", "The response has no issued_token_type, which RFC 8693 requires.".into())),
    }
    match resp.token_type.as_deref() {
        Some("N_A") => out.push(f(Severity::Pass, "token_type", ID_JAG_DRAFT, "token_type is N_A: an ID-JAG is not an access token.".into())),
        Some(other) => out.push(f(Severity::Warning, "token_type", ID_JAG_DRAFT, format!("token_type is {other:?}; the ID-JAG draft requires N_A (an ID-JAG cannot be used as an access token). Okta's agent-to-agent examples show Bearer; switch on issued_token_type, not token_type."))),
        None => out.push(f(Severity::Warning, "token_type", "RFC 8693 2.2.1", "The response has no token_type, which RFC 8693 requires.".into())),
    }
    if let Some(e) = resp.expires_in {
        if e > ID_JAG_MAX_LIFETIME_SECS {
            out.push(f(Severity::Warning, "expires_in", ID_JAG_DRAFT, format!("expires_in is {e} s; ID-JAGs are meant to be short-lived (at most {ID_JAG_MAX_LIFETIME_SECS} s).")));
        }
    }
    out
}

/// What the next step expects of an ID-JAG.
#[derive(Clone, Debug, Default)]
pub struct IdJagExpectations {
    /// Issuer of the resource authorization server (the required `aud`).
    pub audience: String,
    /// The client's ID at the resource authorization server (the required `client_id`).
    pub client_id: String,
    /// Scopes requested in the exchange.
    pub requested_scope: String,
    /// Current time, seconds.
    pub now: i64,
}

/// Checks an ID-JAG against the draft and the next step.
pub fn check_id_jag(jwt: &DecodedJwt, exp: &IdJagExpectations) -> Vec<Finding> {
    let mut out = Vec::new();
    match jwt.header_str("typ") {
        Some(ID_JAG_TYP) => out.push(f(Severity::Pass, "id_jag.typ", ID_JAG_DRAFT, format!("Header typ is {ID_JAG_TYP}."))),
        other => out.push(f(Severity::Error, "id_jag.typ", ID_JAG_DRAFT, format!("Header typ is {:?}; an ID-JAG must be typed {ID_JAG_TYP:?}, and a resource server rejects anything else.", other.unwrap_or("(missing)")))),
    }
    let missing: Vec<&str> = ["iss", "sub", "aud", "client_id", "jti", "exp", "iat"]
        .into_iter()
        .filter(|c| !jwt.claims.contains_key(*c))
        .collect();
    if missing.is_empty() {
        out.push(f(
            Severity::Pass,
            "id_jag.claims",
            ID_JAG_DRAFT,
            "All required claims (iss, sub, aud, client_id, jti, exp, iat) are present.".into(),
        ));
    } else if missing == ["client_id"] {
        out.push(f(Severity::Warning, "id_jag.claims", ID_JAG_DRAFT, "The ID-JAG has no client_id claim, which the draft requires (Okta's documented ID-JAGs leave it out); the resource server cannot check which client may redeem it.".into()));
    } else {
        out.push(f(
            Severity::Error,
            "id_jag.claims",
            ID_JAG_DRAFT,
            format!("Required claims missing: {}.", missing.join(", ")),
        ));
    }
    let auds = jwt.audiences();
    if auds.len() > 1 {
        out.push(f(
            Severity::Error,
            "id_jag.aud",
            ID_JAG_DRAFT,
            format!(
                "aud has {} values; an ID-JAG must name exactly one audience.",
                auds.len()
            ),
        ));
    } else if !exp.audience.is_empty() {
        match auds.first() {
            Some(a) if a == exp.audience.trim() => out.push(f(Severity::Pass, "id_jag.aud", ID_JAG_DRAFT, format!("aud is the target authorization server's issuer ({a})."))),
            Some(a) => out.push(f(Severity::Error, "id_jag.aud", ID_JAG_DRAFT, format!("aud is {a:?} but the target authorization server's issuer is {:?}; it will refuse this ID-JAG.", exp.audience.trim()))),
            None => {}
        }
    }
    if let (Some(cid), false) = (jwt.str_claim("client_id"), exp.client_id.is_empty()) {
        if cid == exp.client_id.trim() {
            out.push(f(Severity::Pass, "id_jag.client_id", ID_JAG_DRAFT, format!("client_id {cid} is the client that will redeem it at the resource authorization server.")));
        } else {
            out.push(f(Severity::Error, "id_jag.client_id", ID_JAG_DRAFT, format!("client_id is {cid:?} but the next step authenticates at the resource authorization server as {:?}; it will refuse the ID-JAG.", exp.client_id.trim())));
        }
    }
    if let (Some(iat), Some(e)) = (jwt.time_claim("iat"), jwt.time_claim("exp")) {
        let life = e.saturating_sub(iat);
        if life > ID_JAG_MAX_LIFETIME_SECS {
            out.push(f(Severity::Warning, "id_jag.lifetime", ID_JAG_DRAFT, format!("Lifetime is {life} s; ID-JAGs should live at most {ID_JAG_MAX_LIFETIME_SECS} s.")));
        } else {
            out.push(f(
                Severity::Pass,
                "id_jag.lifetime",
                ID_JAG_DRAFT,
                format!("Lifetime is {life} s (at most {ID_JAG_MAX_LIFETIME_SECS} s)."),
            ));
        }
    }
    out.extend(check_times(jwt, exp.now, "ID-JAG"));
    if let Some(granted) = scope::from_claims(&jwt.claims) {
        out.extend(check_scope_step(
            &scope::split(&exp.requested_scope),
            &granted,
            "ID-JAG",
        ));
    }
    out
}

/// Compares the scopes a step asked for with what a token carries.
pub fn check_scope_step(requested: &[String], granted: &[String], what: &str) -> Vec<Finding> {
    const SPEC: &str = "RFC 6749 3.3";
    if requested.is_empty() {
        return vec![f(
            Severity::Info,
            "scope",
            SPEC,
            format!("The {what} carries scopes: {}.", granted.join(" ")),
        )];
    }
    let n = scope::compare(requested, granted);
    let mut out = Vec::new();
    if !n.added.is_empty() {
        out.push(f(
            Severity::Error,
            "scope.widened",
            SPEC,
            format!(
                "The {what} carries scopes that were not asked for: {}. Scopes must only narrow.",
                n.added.join(" ")
            ),
        ));
    }
    if !n.dropped.is_empty() {
        out.push(f(
            Severity::Info,
            "scope.narrowed",
            SPEC,
            format!(
                "Policy narrowed the scopes: {} not granted; {} kept.",
                n.dropped.join(" "),
                if n.kept.is_empty() {
                    "none".to_string()
                } else {
                    n.kept.join(" ")
                }
            ),
        ));
    } else if n.added.is_empty() {
        out.push(f(
            Severity::Pass,
            "scope",
            SPEC,
            format!(
                "The {what} carries exactly the requested scopes ({}).",
                n.kept.join(" ")
            ),
        ));
    }
    out
}

/// What an ID token is expected to carry.
#[derive(Clone, Debug, Default)]
pub struct IdTokenExpectations {
    /// The issuer.
    pub issuer: String,
    /// The client ID (must be in `aud`).
    pub client_id: String,
    /// The nonce sent in the authorize request.
    pub nonce: String,
    /// Current time.
    pub now: i64,
    /// Whether a nonce was sent (a refreshed ID token need not carry one).
    pub nonce_expected: bool,
}

/// Checks an ID token: issuer, audience, nonce, lifetime.
pub fn check_id_token(jwt: &DecodedJwt, exp: &IdTokenExpectations) -> Vec<Finding> {
    const OIDC: &str = "OpenID Connect Core 3.1.3.7";
    let mut out = Vec::new();
    if exp.nonce_expected {
        match jwt.str_claim("nonce") {
            Some(n) if n == exp.nonce => out.push(f(
                Severity::Pass,
                "id_token.nonce",
                OIDC,
                "The nonce matches the one sent: this ID token answers our request.".into(),
            )),
            Some(_) => out.push(f(
                Severity::Error,
                "id_token.nonce",
                OIDC,
                "The nonce does not match the one sent: the ID token may be replayed or injected."
                    .into(),
            )),
            None => out.push(f(
                Severity::Error,
                "id_token.nonce",
                OIDC,
                "The ID token has no nonce although one was sent.".into(),
            )),
        }
    }
    match jwt.str_claim("iss") {
        Some(i) if i == exp.issuer => out.push(f(
            Severity::Pass,
            "id_token.iss",
            OIDC,
            format!("Issued by {i}."),
        )),
        other => out.push(f(
            Severity::Error,
            "id_token.iss",
            OIDC,
            format!(
                "iss is {:?}, expected {:?}.",
                other.unwrap_or("(missing)"),
                exp.issuer
            ),
        )),
    }
    if jwt.audiences().iter().any(|a| a == &exp.client_id) {
        out.push(f(
            Severity::Pass,
            "id_token.aud",
            OIDC,
            format!("aud names the client {}.", exp.client_id),
        ));
    } else {
        out.push(f(
            Severity::Error,
            "id_token.aud",
            OIDC,
            format!(
                "aud {:?} does not name the client {:?}.",
                jwt.audiences(),
                exp.client_id
            ),
        ));
    }
    out.extend(check_times(jwt, exp.now, "ID token"));
    out
}

/// What an access token from a delegation step is expected to carry.
#[derive(Clone, Debug, Default)]
pub struct AccessTokenExpectations {
    /// Expected issuer (empty: not checked).
    pub issuer: String,
    /// Expected `aud` values (any of them; empty: not checked).
    pub audience: Vec<String>,
    /// Expected subject: the user or client whose identity travels (matched against `sub`
    /// and Okta's `uid`; empty: not checked).
    pub subject: String,
    /// Expected immediate actor in `act.sub` (empty: no actor expected).
    pub actor: String,
    /// Scopes of the previous step (the ID-JAG), which this token may only narrow.
    pub previous_scope: Vec<String>,
    /// Current time.
    pub now: i64,
}

/// Checks an access token: issuer, audience, subject, `act` chain, scope narrowing, lifetime.
pub fn check_access_token(jwt: &DecodedJwt, exp: &AccessTokenExpectations) -> Vec<Finding> {
    const JWT_AT: &str = "RFC 9068 2.2";
    let mut out = Vec::new();
    if !exp.issuer.is_empty() {
        match jwt.str_claim("iss") {
            Some(i) if i == exp.issuer => out.push(f(
                Severity::Pass,
                "at.iss",
                JWT_AT,
                format!("Issued by {i}."),
            )),
            other => out.push(f(
                Severity::Error,
                "at.iss",
                JWT_AT,
                format!(
                    "iss is {:?}, expected {:?}.",
                    other.unwrap_or("(missing)"),
                    exp.issuer
                ),
            )),
        }
    }
    let expected_aud: Vec<&String> = exp
        .audience
        .iter()
        .filter(|a| !a.trim().is_empty())
        .collect();
    if !expected_aud.is_empty() {
        let auds = jwt.audiences();
        match expected_aud.iter().find(|a| auds.contains(a)) {
            Some(a) => out.push(f(
                Severity::Pass,
                "at.aud",
                "RFC 8707 2",
                format!("aud includes {a}: the API will accept it."),
            )),
            None => out.push(f(
                Severity::Error,
                "at.aud",
                "RFC 8707 2",
                format!(
                    "aud is {auds:?} but {} was expected; the API will refuse it.",
                    expected_aud
                        .iter()
                        .map(|a| format!("{a:?}"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            )),
        }
    }
    if !exp.subject.is_empty() {
        let sub = jwt.str_claim("sub");
        let uid = jwt.str_claim("uid");
        if sub == Some(exp.subject.as_str()) {
            out.push(f(
                Severity::Pass,
                "at.sub",
                "RFC 8693 1.1",
                format!("sub is still the same identity ({}).", exp.subject),
            ));
        } else if uid == Some(exp.subject.as_str()) {
            out.push(f(Severity::Pass, "at.sub", "RFC 8693 1.1", format!("sub is {} (Okta names the user by login in access tokens); uid {} is the same user.", sub.unwrap_or("(missing)"), exp.subject)));
        } else {
            out.push(f(
                Severity::Error,
                "at.sub",
                "RFC 8693 1.1",
                format!(
                    "sub is {:?}, not {:?} whose identity should travel.",
                    sub.unwrap_or("(missing)"),
                    exp.subject
                ),
            ));
        }
    }
    out.extend(check_act(jwt, &exp.actor));
    if let Some(granted) = scope::from_claims(&jwt.claims) {
        if !exp.previous_scope.is_empty() {
            out.extend(check_scope_step(
                &exp.previous_scope,
                &granted,
                "access token",
            ));
        }
    }
    out.extend(check_times(jwt, exp.now, "access token"));
    out
}

/// Describes the `act` chain (and `may_act`) of a token, checking the expected actor.
pub fn check_act(jwt: &DecodedJwt, expected_actor: &str) -> Vec<Finding> {
    const SPEC: &str = "RFC 8693 4.1";
    let mut out = Vec::new();
    let chain = act_chain(jwt);
    let subject = jwt.str_claim("sub").unwrap_or("the subject");
    match (chain.first(), expected_actor.is_empty()) {
        (Some(first), false) if first == expected_actor => out.push(f(Severity::Pass, "act", SPEC, format!("act.sub is {first}: it acts on behalf of {subject}{}.", prior(&chain)))),
        (Some(first), false) => out.push(f(Severity::Error, "act", SPEC, format!("act.sub is {first:?}, not the agent {expected_actor:?}."))),
        (None, false) => out.push(f(Severity::Error, "act", SPEC, format!("The token has no act claim, so nothing shows that {expected_actor} acts for {subject}."))),
        (Some(first), true) => out.push(f(Severity::Info, "act", SPEC, format!("{first} acts on behalf of {subject}{}.", prior(&chain)))),
        (None, true) => {}
    }
    if let Some(may) = jwt.claims.get("may_act") {
        let who = string_list(may.get("sub"));
        out.push(f(
            Severity::Info,
            "may_act",
            "RFC 8693 4.4",
            format!(
                "may_act allows {} to act for the subject.",
                if who.is_empty() {
                    may.to_string()
                } else {
                    who.join(", ")
                }
            ),
        ));
    }
    out
}

fn prior(chain: &[String]) -> String {
    if chain.len() > 1 {
        format!(
            " (earlier actors, most recent first: {})",
            chain[1..].join(" → ")
        )
    } else {
        String::new()
    }
}

/// The actors in a nested `act` claim, the immediate actor first, the originator last.
pub fn act_chain(jwt: &DecodedJwt) -> Vec<String> {
    act_chain_of(jwt.claims.get("act"))
}

/// The actors of an `act` value (of a token or an introspection answer).
pub fn act_chain_of(act: Option<&serde_json::Value>) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = act;
    while let Some(a) = cur {
        match a.get("sub").and_then(|v| v.as_str()) {
            Some(s) => out.push(s.to_string()),
            None => break,
        }
        cur = a.get("act");
        if out.len() > 16 {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwt::{decode, UnsignedJwt};
    use serde_json::{json, Value};

    fn jwt(header: Value, claims: Value) -> DecodedJwt {
        decode(&UnsignedJwt { header, claims }.with_signature(b"s")).unwrap()
    }

    fn sev(findings: &[Finding], check: &str) -> Severity {
        findings
            .iter()
            .find(|x| x.check == check)
            .unwrap_or_else(|| panic!("no {check} in {findings:?}"))
            .severity
    }

    fn good_id_jag() -> Value {
        json!({"iss":"https://org","sub":"u1","aud":"https://org/oauth2/aus1","client_id":"agent",
               "jti":"j","iat":1000,"exp":1300,"scope":"files.read"})
    }

    fn exp() -> IdJagExpectations {
        IdJagExpectations {
            audience: "https://org/oauth2/aus1".into(),
            client_id: "agent".into(),
            requested_scope: "files.read files.write".into(),
            now: 1100,
        }
    }

    #[test]
    fn good_id_jag_passes_with_narrowing_info() {
        let fs = check_id_jag(
            &jwt(
                json!({"alg":"RS256","typ":"oauth-id-jag+jwt"}),
                good_id_jag(),
            ),
            &exp(),
        );
        assert!(!has_errors(&fs), "{fs:?}");
        assert_eq!(sev(&fs, "scope.narrowed"), Severity::Info);
    }

    #[test]
    fn each_id_jag_defect_is_an_error() {
        let h = json!({"alg":"RS256","typ":"oauth-id-jag+jwt"});
        assert_eq!(
            sev(
                &check_id_jag(
                    &jwt(json!({"alg":"RS256","typ":"JWT"}), good_id_jag()),
                    &exp()
                ),
                "id_jag.typ"
            ),
            Severity::Error
        );
        let mut c = good_id_jag();
        c["aud"] = json!("https://org/oauth2/other");
        assert_eq!(
            sev(&check_id_jag(&jwt(h.clone(), c), &exp()), "id_jag.aud"),
            Severity::Error
        );
        let mut c = good_id_jag();
        c["aud"] = json!(["a", "b"]);
        assert_eq!(
            sev(&check_id_jag(&jwt(h.clone(), c), &exp()), "id_jag.aud"),
            Severity::Error
        );
        let mut c = good_id_jag();
        c["client_id"] = json!("other");
        assert_eq!(
            sev(
                &check_id_jag(&jwt(h.clone(), c), &exp()),
                "id_jag.client_id"
            ),
            Severity::Error
        );
        let mut c = good_id_jag();
        c.as_object_mut().unwrap().remove("jti");
        assert_eq!(
            sev(&check_id_jag(&jwt(h.clone(), c), &exp()), "id_jag.claims"),
            Severity::Error
        );
        let mut c = good_id_jag();
        c["exp"] = json!(5000);
        assert_eq!(
            sev(&check_id_jag(&jwt(h.clone(), c), &exp()), "id_jag.lifetime"),
            Severity::Warning
        );
        let mut e = exp();
        e.now = 2000;
        assert_eq!(
            sev(&check_id_jag(&jwt(h.clone(), good_id_jag()), &e), "exp"),
            Severity::Error
        );
        let mut e = exp();
        e.now = 900;
        assert_eq!(
            sev(&check_id_jag(&jwt(h.clone(), good_id_jag()), &e), "iat"),
            Severity::Error
        );
        let mut c = good_id_jag();
        c["scope"] = json!("files.read admin");
        assert_eq!(
            sev(&check_id_jag(&jwt(h, c), &exp()), "scope.widened"),
            Severity::Error
        );
    }

    #[test]
    fn id_jag_response_rules() {
        let ok = TokenResponse {
            issued_token_type: Some(TOKEN_TYPE_ID_JAG.into()),
            token_type: Some("N_A".into()),
            expires_in: Some(300),
            ..Default::default()
        };
        assert!(!has_errors(&check_id_jag_response(&ok)));
        let bad = TokenResponse {
            issued_token_type: Some(TOKEN_TYPE_ACCESS.into()),
            token_type: Some("Bearer".into()),
            expires_in: Some(3600),
            ..Default::default()
        };
        let fs = check_id_jag_response(&bad);
        assert_eq!(sev(&fs, "issued_token_type"), Severity::Error);
        assert_eq!(sev(&fs, "token_type"), Severity::Warning);
        assert_eq!(sev(&fs, "expires_in"), Severity::Warning);
    }

    #[test]
    fn id_token_nonce_and_audience() {
        let t = jwt(
            json!({"alg":"RS256"}),
            json!({"iss":"https://org","aud":"app","nonce":"n1","exp":2000,"iat":1000}),
        );
        let mut e = IdTokenExpectations {
            issuer: "https://org".into(),
            client_id: "app".into(),
            nonce: "n1".into(),
            now: 1500,
            nonce_expected: true,
        };
        assert!(!has_errors(&check_id_token(&t, &e)));
        e.nonce = "other".into();
        assert_eq!(
            sev(&check_id_token(&t, &e), "id_token.nonce"),
            Severity::Error
        );
    }

    #[test]
    fn access_token_act_chain_and_audience() {
        let t = jwt(
            json!({"alg":"RS256"}),
            json!({"iss":"https://org/oauth2/aus1","sub":"u1","aud":"https://api","scp":["files.read"],
            "act":{"sub":"agent","act":{"sub":"orchestrator"}},"exp":2000,"iat":1000}),
        );
        let e = AccessTokenExpectations {
            issuer: "https://org/oauth2/aus1".into(),
            audience: vec!["https://api".into()],
            subject: "u1".into(),
            actor: "agent".into(),
            previous_scope: vec!["files.read".into()],
            now: 1500,
        };
        let fs = check_access_token(&t, &e);
        assert!(!has_errors(&fs), "{fs:?}");
        assert!(fs.iter().any(|x| x.message.contains("orchestrator")));
        let e2 = AccessTokenExpectations {
            actor: "someone".into(),
            audience: vec!["https://other".into()],
            ..e
        };
        let fs = check_access_token(&t, &e2);
        assert_eq!(sev(&fs, "act"), Severity::Error);
        assert_eq!(sev(&fs, "at.aud"), Severity::Error);
    }
}
