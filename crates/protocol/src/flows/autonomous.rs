//! The autonomous AI agent flow (seed 004, PingOne Advanced Identity Cloud): the agent gets its
//! own token with client credentials, inspects it, exchanges it for a narrower token to an
//! application (RFC 8693 with `audience` = the application's client ID), and inspects that.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{interpret_json, relay_target, FlowSettings, StepOutcome, TokenView};
use crate::checks::{self, Finding, Severity};
use crate::client_auth::ClientAuth;
use crate::constants::TOKEN_TYPE_ACCESS;
use crate::endpoints::{pingone_aic, Endpoints};
use crate::flow::{FlowState, StepSpec};
use crate::request::HttpRequest;
use crate::requests::{self, TokenExchange};
use crate::response::{parse_token_response, HttpCapture};
use crate::scope;

/// Everything the autonomous flow is configured with.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AutonomousConfig {
    /// Tenant URL (`https://openam-acme.forgeblocks.com`, or the demo tenant).
    pub tenant_url: String,
    /// Realm (`alpha`).
    pub realm: String,
    /// The AI agent's client ID.
    pub agent_client_id: String,
    /// Its client secret (client_secret_post; kept in memory unless remembered).
    pub agent_secret: String,
    /// Scopes of the agent's own token.
    pub agent_scopes: String,
    /// The application's client ID (the exchange's `audience`).
    pub audience: String,
    /// Scopes asked for in the exchange.
    pub exchange_scopes: String,
    /// The local relay's URL.
    pub relay_url: String,
    /// The relay's key (secret).
    pub relay_key: String,
    /// Send the realm's requests via the relay.
    pub relay_realm: bool,
}

impl AutonomousConfig {
    /// The PingOne AIC preset pointing at the demo tenant's realm `alpha`.
    pub fn demo(tenant: &str) -> Self {
        Self {
            tenant_url: tenant.trim_end_matches('/').into(),
            realm: "alpha".into(),
            agent_client_id: "bot-traffic-analyzer".into(),
            agent_secret: "demo-agent-secret".into(),
            agent_scopes: "monitor-system".into(),
            audience: "access-log-api".into(),
            exchange_scopes: "logs-read logs-search".into(),
            relay_url: super::agentic::DEFAULT_RELAY_URL.into(),
            relay_key: String::new(),
            relay_realm: false,
        }
    }

    /// The realm's endpoints.
    pub fn realm(&self) -> Endpoints {
        pingone_aic(&self.tenant_url, &self.realm)
    }

    fn auth(&self) -> ClientAuth {
        ClientAuth::SecretPost {
            client_id: self.agent_client_id.trim().into(),
            client_secret: self.agent_secret.clone(),
        }
    }

    /// Step 1: client credentials with client_secret_post.
    pub fn credentials(&self) -> HttpRequest {
        requests::client_credentials(
            &self.realm().token,
            self.agent_scopes.trim(),
            &[],
            &self.auth(),
        )
    }

    /// Steps 2 and 4: tokeninfo.
    pub fn info(&self, token: &str) -> HttpRequest {
        requests::tokeninfo(&self.realm().info, token)
    }

    /// Step 3: the agent's own token for a token to the application.
    pub fn exchange(&self, own_token: &str) -> HttpRequest {
        let x = TokenExchange {
            subject_token: own_token.into(),
            subject_token_type: TOKEN_TYPE_ACCESS.into(),
            audience: vec![self.audience.trim().into()],
            scope: self.exchange_scopes.trim().into(),
            ..Default::default()
        };
        requests::token_exchange(&self.realm().token, &x, &self.auth())
    }

    /// The command that starts the relay for this server and this page's origin.
    pub fn relay_command(&self, origin: &str) -> String {
        super::relay_command(&self.tenant_url, origin, &self.relay_url)
    }

    /// The relay to use for `url`, if the realm is set to use one.
    pub fn relay_for(&self, url: &str) -> Option<(String, String)> {
        relay_target(
            url,
            &self.realm().issuer,
            self.relay_realm,
            &self.relay_url,
            &self.relay_key,
        )
    }

    /// Reads the client credentials answer.
    pub fn interpret_credentials(&self, capture: &HttpCapture, now: i64) -> StepOutcome {
        let resp = match parse_token_response(capture) {
            Ok(r) => r,
            Err(p) => return StepOutcome::problem(&p),
        };
        let Some(at) = resp.access_token else {
            return StepOutcome::failed("The response carries no access_token.");
        };
        let view = TokenView::new("Agent access token", &at, now);
        StepOutcome {
            ok: true,
            summary: format!(
                "The agent has its own token, scope {:?}.",
                resp.scope.unwrap_or_default()
            ),
            outputs: vec![("agent_token".into(), at)],
            tokens: vec![view],
            ..Default::default()
        }
    }

    /// Reads a tokeninfo answer; after the exchange, explains the autonomous `sub` = `act.sub`.
    pub fn interpret_info(&self, capture: &HttpCapture, exchanged: bool) -> StepOutcome {
        let mut o = interpret_json(capture, "tokeninfo answered");
        let Some(body) = o.body.clone() else { return o };
        let sub = body
            .get("sub")
            .and_then(Value::as_str)
            .unwrap_or("(none)")
            .to_string();
        let aud = crate::jwt::string_list(body.get("aud"));
        let scopes = crate::jwt::string_list(body.get("scope"));
        let actor = body
            .get("act")
            .and_then(|a| a.get("sub"))
            .and_then(Value::as_str)
            .map(String::from);
        o.summary = format!(
            "sub {sub}, aud {}, scope {}.",
            aud.join(", "),
            scopes.join(" ")
        );
        let agent = self.agent_client_id.trim();
        if exchanged {
            let mut f = vec![];
            match actor.as_deref() {
                Some(a) if a == agent && sub == agent => f.push(Finding {
                    severity: Severity::Info,
                    check: "autonomous".into(),
                    message: format!("sub and act.sub are both {agent}: the agent acts for itself (autonomous). In on-behalf-of, sub would be the user and act would name the agent."),
                }),
                Some(a) => f.push(Finding { severity: Severity::Info, check: "act".into(), message: format!("{a} acts on behalf of {sub}.") }),
                None => f.push(Finding { severity: Severity::Warning, check: "act".into(), message: "The exchanged token has no act claim naming the agent.".into() }),
            }
            if aud.iter().any(|a| a == self.audience.trim()) {
                f.push(Finding {
                    severity: Severity::Pass,
                    check: "aud".into(),
                    message: format!("aud includes the application {}.", self.audience.trim()),
                });
            } else {
                f.push(Finding {
                    severity: Severity::Error,
                    check: "aud".into(),
                    message: format!(
                        "aud {aud:?} does not include the application {:?}.",
                        self.audience.trim()
                    ),
                });
            }
            f.extend(checks::check_scope_step(
                &scope::split(&self.exchange_scopes),
                &scopes,
                "exchanged token",
            ));
            o.findings = f;
            o.outputs
                .push(("exchanged_info".into(), capture.body.clone()));
        } else {
            o.outputs.push(("agent_info".into(), capture.body.clone()));
        }
        o
    }

    /// Reads the exchange answer.
    pub fn interpret_exchange(&self, capture: &HttpCapture, now: i64) -> StepOutcome {
        let resp = match parse_token_response(capture) {
            Ok(r) => r,
            Err(p) => return StepOutcome::problem(&p),
        };
        let Some(at) = resp.access_token.clone() else {
            return StepOutcome::failed("The response carries no access_token.");
        };
        let mut findings = vec![];
        if resp.issued_token_type.as_deref() != Some(TOKEN_TYPE_ACCESS) {
            findings.push(Finding {
                severity: Severity::Warning,
                check: "issued_token_type".into(),
                message: format!(
                    "issued_token_type is {:?}, not the access token type.",
                    resp.issued_token_type
                ),
            });
        }
        if resp.raw.get("refresh_token").is_some_and(Value::is_null) {
            findings.push(Finding {
                severity: Severity::Info,
                check: "refresh_token".into(),
                message: "refresh_token is null (PingOne's way of saying none).".into(),
            });
        }
        let granted = scope::split(&resp.scope.clone().unwrap_or_default());
        findings.extend(checks::check_scope_step(
            &scope::split(&self.exchange_scopes),
            &granted,
            "exchanged token",
        ));
        StepOutcome {
            ok: true,
            summary: format!(
                "Token for {} issued, scope {:?}.",
                self.audience.trim(),
                resp.scope.unwrap_or_default()
            ),
            outputs: vec![("exchanged_token".into(), at.clone())],
            tokens: vec![TokenView::new("Exchanged access token", &at, now)],
            findings,
            ..Default::default()
        }
    }
}

impl FlowSettings for AutonomousConfig {
    fn specs(&self) -> Vec<StepSpec> {
        vec![
            StepSpec::new(
                "credentials",
                &["cfg.tenant_url", "cfg.agent_client_id", "cfg.agent_secret"],
                &["cfg.agent_scopes", "cfg.realm"],
                &["agent_token"],
            ),
            StepSpec::new("info", &["agent_token"], &[], &["agent_info"]),
            StepSpec::new(
                "exchange",
                &["agent_token", "cfg.audience"],
                &["cfg.exchange_scopes"],
                &["exchanged_token"],
            ),
            StepSpec::new("info2", &["exchanged_token"], &[], &["exchanged_info"]),
        ]
    }

    fn sync(&self, state: &mut FlowState) {
        for (k, v) in [
            ("cfg.tenant_url", self.tenant_url.as_str()),
            ("cfg.realm", &self.realm),
            ("cfg.agent_client_id", &self.agent_client_id),
            ("cfg.agent_secret", &self.agent_secret),
            ("cfg.agent_scopes", &self.agent_scopes),
            ("cfg.audience", &self.audience),
            ("cfg.exchange_scopes", &self.exchange_scopes),
        ] {
            state.set(k, v);
        }
    }

    fn forget_secrets(&mut self) {
        self.agent_secret.clear();
        self.relay_key.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_match_seed_004() {
        let c = AutonomousConfig::demo("https://t.example/");
        assert_eq!(c.credentials().body().unwrap(), "grant_type=client_credentials&scope=monitor-system&client_id=bot-traffic-analyzer&client_secret=demo-agent-secret");
        assert_eq!(
            c.credentials().url,
            "https://t.example/am/oauth2/realms/root/realms/alpha/access_token"
        );
        let x = c.exchange("AT");
        assert_eq!(x.form_value("audience"), Some("access-log-api"));
        assert_eq!(x.form_value("scope"), Some("logs-read logs-search"));
        assert!(
            x.form_value("requested_token_type").is_none(),
            "AIC defaults to an access token"
        );
        assert_eq!(
            c.info("AT").full_url(),
            "https://t.example/am/oauth2/realms/root/realms/alpha/tokeninfo?access_token=AT"
        );
    }

    #[test]
    fn explains_autonomous_versus_on_behalf_of() {
        let c = AutonomousConfig::demo("https://t.example");
        let body = r#"{"sub":"bot-traffic-analyzer","aud":["bot-traffic-analyzer","access-log-api"],"act":{"sub":"bot-traffic-analyzer"},"scope":["logs-read","logs-search"]}"#;
        let o = c.interpret_info(
            &HttpCapture {
                status: 200,
                headers: vec![],
                body: body.into(),
            },
            true,
        );
        assert!(o.ok);
        assert!(
            o.findings
                .iter()
                .any(|f| f.message.contains("acts for itself")),
            "{:?}",
            o.findings
        );
        assert!(!checks::has_errors(&o.findings));
    }
}
