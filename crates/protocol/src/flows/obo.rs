//! Okta On-Behalf-Of token exchange (seed 003): the user signs in to the client app (code +
//! PKCE) at a custom authorization server; the service app ("API1") exchanges the user's access
//! token, authenticating with client_secret_basic, for a token to another API ("API2"), either
//! at the same server or at a second server that trusts the first.

use serde::{Deserialize, Serialize};

use super::signin::SignIn;
use super::{interpret_json, relay_target, FlowSettings, StepOutcome, TokenView};
use crate::checks::{self, AccessTokenExpectations, Finding, Severity};
use crate::client_auth::ClientAuth;
use crate::constants::TOKEN_TYPE_ACCESS;
use crate::endpoints::{okta_custom, Endpoints};
use crate::flow::{FlowState, StepSpec};
use crate::jwt::decode;
use crate::request::{HttpRequest, Method};
use crate::requests::{self, TokenExchange};
use crate::response::{parse_token_response, HttpCapture};
use crate::scope;

/// Everything the On-Behalf-Of flow is configured with.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OboConfig {
    /// Org URL.
    pub org_url: String,
    /// The client app (public SPA) the user signs in to.
    pub app_client_id: String,
    /// Its redirect URI (this page).
    pub redirect_uri: String,
    /// Scopes of the sign-in.
    pub app_scopes: String,
    /// The custom authorization server the user signs in at.
    pub sign_in_server: String,
    /// The service app ("API1") that exchanges the token.
    pub service_client_id: String,
    /// Its client secret (client_secret_basic; kept in memory unless remembered).
    pub service_secret: String,
    /// The custom authorization server that performs the exchange (the same, or a trusted one).
    pub exchange_server: String,
    /// The audience of the new token (API2's audience).
    pub audience: String,
    /// Scopes asked for in the exchange.
    pub exchange_scopes: String,
    /// API2, called with the new token.
    pub api_url: String,
    /// The local relay's URL.
    pub relay_url: String,
    /// The relay's key (secret).
    pub relay_key: String,
    /// Send the authorization servers' requests via the relay.
    pub relay_servers: bool,
}

impl OboConfig {
    /// The preset for the demo tenant.
    pub fn demo(org: &str, redirect_uri: &str) -> Self {
        let org = org.trim_end_matches('/');
        Self {
            org_url: org.into(),
            app_client_id: "0oa-demo-agentic-app".into(),
            redirect_uri: redirect_uri.into(),
            app_scopes: "openid api:access:read api:access:write".into(),
            sign_in_server: "default".into(),
            service_client_id: "0oa-demo-service-api1".into(),
            service_secret: "demo-api1-secret".into(),
            exchange_server: "default".into(),
            audience: "com.api.atko".into(),
            exchange_scopes: "api:access:read api:access:write".into(),
            api_url: format!("{org}/api/api2/orders"),
            relay_url: super::agentic::DEFAULT_RELAY_URL.into(),
            relay_key: String::new(),
            relay_servers: false,
        }
    }

    /// The server that performs the exchange.
    pub fn exchanger(&self) -> Endpoints {
        okta_custom(&self.org_url, &self.exchange_server)
    }

    /// Step 1's sign-in at the custom authorization server.
    pub fn sign_in(&self) -> SignIn {
        SignIn {
            endpoints: okta_custom(&self.org_url, &self.sign_in_server),
            client_id: self.app_client_id.trim().into(),
            redirect_uri: self.redirect_uri.trim().into(),
            scopes: self.app_scopes.trim().into(),
        }
    }

    /// Step 2: the exchange, exactly as seed 003 (Basic auth, five fields).
    pub fn exchange(&self, user_access_token: &str) -> HttpRequest {
        let x = TokenExchange {
            subject_token: user_access_token.into(),
            subject_token_type: TOKEN_TYPE_ACCESS.into(),
            scope: self.exchange_scopes.trim().into(),
            audience: vec![self.audience.trim().into()],
            ..Default::default()
        };
        let auth = ClientAuth::SecretBasic {
            client_id: self.service_client_id.trim().into(),
            client_secret: self.service_secret.clone(),
        };
        requests::token_exchange(&self.exchanger().token, &x, &auth)
    }

    fn service_auth(&self) -> ClientAuth {
        ClientAuth::SecretBasic {
            client_id: self.service_client_id.trim().into(),
            client_secret: self.service_secret.clone(),
        }
    }

    /// Introspection of the new token at the exchanging server, as the service app.
    pub fn introspect(&self, token: &str) -> HttpRequest {
        requests::introspect(
            &self.exchanger().introspect,
            token,
            "access_token",
            &self.service_auth(),
        )
    }

    /// Revocation of the new token at the exchanging server, as the service app.
    pub fn revoke(&self, token: &str) -> HttpRequest {
        requests::revoke(
            &self.exchanger().revoke,
            token,
            "access_token",
            &self.service_auth(),
        )
    }

    /// Step 3: API2 with the new token.
    pub fn api(&self, token: &str) -> HttpRequest {
        requests::api_call(Method::Get, self.api_url.trim(), token)
    }

    /// The command that starts the relay for this server and this page's origin.
    pub fn relay_command(&self, origin: &str) -> String {
        super::relay_command(&self.org_url, origin, &self.relay_url)
    }

    /// The relay for `url`, if the servers are set to use it.
    pub fn relay_for(&self, url: &str) -> Option<(String, String)> {
        relay_target(
            url,
            &format!("{}/oauth2", self.org_url.trim_end_matches('/')),
            self.relay_servers,
            &self.relay_url,
            &self.relay_key,
        )
    }

    /// Reads the exchange answer: the user stays the subject; audience and scopes change.
    pub fn interpret_exchange(
        &self,
        capture: &HttpCapture,
        user_access_token: &str,
        now: i64,
    ) -> StepOutcome {
        let resp = match parse_token_response(capture) {
            Ok(r) => r,
            Err(p) => return StepOutcome::problem(&p),
        };
        let Some(at) = resp.access_token.clone() else {
            return StepOutcome::failed("The response carries no access_token.");
        };
        let user = decode(user_access_token).ok();
        let mut findings = vec![];
        if let Ok(jwt) = decode(&at) {
            findings = checks::check_access_token(
                &jwt,
                &AccessTokenExpectations {
                    issuer: self.exchanger().issuer,
                    audience: self.audience.trim().into(),
                    subject: user
                        .as_ref()
                        .and_then(|u| u.str_claim("sub"))
                        .unwrap_or_default()
                        .into(),
                    actor: String::new(),
                    previous_scope: vec![],
                    now,
                },
            );
            findings.extend(checks::check_scope_step(
                &scope::split(&self.exchange_scopes),
                &scope::from_claims(&jwt.claims).unwrap_or_default(),
                "new token",
            ));
            findings.push(Finding {
                severity: Severity::Info,
                check: "obo".into(),
                message: format!(
                    "On-behalf-of: {} now holds a token whose sub is still the user; Okta's token names the service in cid, not in act.",
                    self.service_client_id.trim()
                ),
            });
        }
        if self.exchange_server.trim() != self.sign_in_server.trim() {
            findings.push(Finding {
                severity: Severity::Info,
                check: "trusted_server".into(),
                message: format!("Trusted servers: {} accepted a token issued by {} because it trusts that server.", self.exchange_server.trim(), self.sign_in_server.trim()),
            });
        }
        StepOutcome {
            ok: true,
            summary: format!(
                "Token for {} issued by {}, scope {:?}.",
                self.audience.trim(),
                self.exchanger().issuer,
                resp.scope.unwrap_or_default()
            ),
            outputs: vec![("obo_token".into(), at.clone())],
            tokens: vec![TokenView::new("On-behalf-of access token", &at, now)],
            findings,
            ..Default::default()
        }
    }

    /// Reads API2's answer.
    pub fn interpret_api(&self, capture: &HttpCapture) -> StepOutcome {
        let mut o = interpret_json(capture, "API answered");
        if o.ok {
            o.outputs
                .push(("api_response".into(), capture.body.clone()));
        }
        o
    }
}

impl FlowSettings for OboConfig {
    fn specs(&self) -> Vec<StepSpec> {
        vec![
            StepSpec::new(
                "signin",
                &["cfg.org_url", "cfg.app_client_id", "cfg.redirect_uri"],
                &["cfg.app_scopes", "cfg.sign_in_server"],
                &["user_id_token", "user_access_token"],
            ),
            StepSpec::new(
                "exchange",
                &[
                    "user_access_token",
                    "cfg.service_client_id",
                    "cfg.service_secret",
                    "cfg.audience",
                ],
                &["cfg.exchange_scopes", "cfg.exchange_server"],
                &["obo_token"],
            ),
            StepSpec::new("api", &["obo_token", "cfg.api_url"], &[], &["api_response"]),
            StepSpec::new(
                "introspect",
                &["obo_token", "cfg.service_secret"],
                &[],
                &["introspection"],
            ),
            StepSpec::new(
                "revoke",
                &["obo_token", "cfg.service_secret"],
                &[],
                &["revoked"],
            ),
            StepSpec::new(
                "introspect2",
                &["revoked", "obo_token"],
                &[],
                &["introspection2"],
            ),
            StepSpec::new(
                "api2",
                &["revoked", "obo_token", "cfg.api_url"],
                &[],
                &["api_refusal"],
            ),
        ]
    }

    fn sync(&self, state: &mut FlowState) {
        for (k, v) in [
            ("cfg.org_url", self.org_url.as_str()),
            ("cfg.app_client_id", &self.app_client_id),
            ("cfg.redirect_uri", &self.redirect_uri),
            ("cfg.app_scopes", &self.app_scopes),
            ("cfg.sign_in_server", &self.sign_in_server),
            ("cfg.service_client_id", &self.service_client_id),
            ("cfg.service_secret", &self.service_secret),
            ("cfg.audience", &self.audience),
            ("cfg.exchange_scopes", &self.exchange_scopes),
            ("cfg.exchange_server", &self.exchange_server),
            ("cfg.api_url", &self.api_url),
        ] {
            state.set(k, v);
        }
    }

    fn forget_secrets(&mut self) {
        self.service_secret.clear();
        self.relay_key.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exchange_is_the_seed_003_request() {
        let c = OboConfig::demo("http://127.0.0.1:9400", "http://127.0.0.1:8080/");
        let r = c.exchange("AT");
        assert_eq!(r.url, "http://127.0.0.1:9400/oauth2/default/v1/token");
        let names: Vec<&str> = r.form.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "grant_type",
                "subject_token_type",
                "subject_token",
                "scope",
                "audience"
            ]
        );
        assert!(r.header("authorization").unwrap().starts_with("Basic "));
        assert_eq!(
            c.sign_in().endpoints.authorize,
            "http://127.0.0.1:9400/oauth2/default/v1/authorize"
        );
        let mut t = c.clone();
        t.exchange_server = "aus-trusted-api2".into();
        assert_eq!(
            t.exchange("AT").url,
            "http://127.0.0.1:9400/oauth2/aus-trusted-api2/v1/token"
        );
        t.relay_servers = true;
        assert!(t.relay_for(&t.exchange("AT").url).is_some());
        assert!(t.relay_for(&t.api_url).is_none());
    }
}
