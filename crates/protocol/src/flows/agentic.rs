//! The "Agentic Token Exchange Flow": user sign-in (code + PKCE), ID token -> ID-JAG (RFC 8693
//! with `private_key_jwt`), ID-JAG -> access token (RFC 7523), API call.

use serde::{Deserialize, Serialize};

use super::signin::SignIn;
use super::{interpret_json, StepOutcome, TokenView};
use crate::checks::{self, AccessTokenExpectations, IdJagExpectations};
use crate::client_auth::{assertion_claims, ClientAuth};
use crate::constants::*;
use crate::endpoints::{okta_custom, okta_org, Endpoints};
use crate::flow::{FlowState, StepSpec};
use crate::jwt::{decode, Alg, UnsignedJwt};
use crate::request::{HttpRequest, Method};
use crate::requests::{self, TokenExchange};
use crate::response::{parse_token_response, HttpCapture};
use crate::scope;

/// Which of the user's tokens the agent exchanges.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Subject {
    /// The ID token (the draft's primary case).
    #[default]
    IdToken,
    /// The access token.
    AccessToken,
}

/// What the agent asks the org for in step 2 (Okta's resource types).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResourceType {
    /// An authorization server: an ID-JAG, then an access token (the default).
    #[default]
    AuthorizationServer,
    /// A secret from the vault, released as-is.
    Secret,
    /// A service account's credentials, released as-is.
    ServiceAccount,
}

impl ResourceType {
    /// The `requested_token_type` for this resource type.
    pub fn requested_token_type(self) -> &'static str {
        match self {
            ResourceType::AuthorizationServer => TOKEN_TYPE_ID_JAG,
            ResourceType::Secret => TOKEN_TYPE_OKTA_VAULTED_SECRET,
            ResourceType::ServiceAccount => TOKEN_TYPE_OKTA_SERVICE_ACCOUNT,
        }
    }
}

/// ORN of the demo tenant's vaulted secret.
pub const DEMO_SECRET_ORN: &str =
    "orn:okta:pam:00o-demo:secrets:3ad38bbd-c057-4a69-9d8d-06b8ca86f411";
/// ORN of the demo tenant's service account.
pub const DEMO_SERVICE_ACCOUNT_ORN: &str =
    "orn:okta:pam:00o-demo:apps:salesforce:0oa-demo-sf:service_accounts:7c1e0d2a-5b1f-4f5e-9a43-2f6f0c9b8e11";

/// Everything the Configuration tab holds for this flow.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AgenticConfig {
    /// Org URL (`https://acme.okta.com`, or the demo tenant).
    pub org_url: String,
    /// The client app's client ID (public SPA client).
    pub app_client_id: String,
    /// Redirect URI registered for the client app (this page).
    pub redirect_uri: String,
    /// Scopes of the sign-in.
    pub app_scopes: String,
    /// The AI agent's client / principal ID.
    pub agent_client_id: String,
    /// The agent's private key, JWK or PEM (secret; kept in memory unless remembered).
    pub agent_key: String,
    /// The target custom authorization server's ID (`/oauth2/{id}`).
    pub auth_server_id: String,
    /// The audience of the ID-JAG: the target server's issuer.
    pub audience: String,
    /// Scopes asked for in the exchange.
    pub exchange_scopes: String,
    /// Optional RFC 8707 resource.
    pub resource: String,
    /// Which user token is the subject.
    pub subject: Subject,
    /// The API to call in step 4.
    pub api_url: String,
    /// The local relay's URL (`relay` binary; for servers that refuse browser calls).
    pub relay_url: String,
    /// The key the relay printed at start (secret).
    pub relay_key: String,
    /// Send the org authorization server's requests via the relay.
    pub relay_org: bool,
    /// Send the custom authorization server's requests via the relay.
    pub relay_custom: bool,
    /// The identity provider's endpoints from RFC 8414 discovery (overrides the Okta org paths).
    pub idp: Option<Endpoints>,
    /// The resource authorization server's endpoints from discovery (overrides the Okta custom
    /// server paths).
    pub resource_as: Option<Endpoints>,
    /// What step 2 asks for.
    pub resource_type: ResourceType,
    /// The vaulted resource's ORN (secret and service account types).
    pub orn: String,
    /// Agent-to-agent: the invoked agent's URL, the `resource` of the agent's own
    /// client-credentials token (its alternative subject token).
    pub a2a_resource: String,
}

/// The default address of the local relay.
pub const DEFAULT_RELAY_URL: &str = "http://127.0.0.1:9500";

impl AgenticConfig {
    /// The preset for the demo tenant at `org_url`, redirecting back to `redirect_uri`.
    pub fn demo(org_url: &str, redirect_uri: &str, agent_key: &str) -> Self {
        let org = org_url.trim_end_matches('/');
        Self {
            org_url: org.into(),
            app_client_id: "0oa-demo-agentic-app".into(),
            redirect_uri: redirect_uri.into(),
            app_scopes: "openid profile email".into(),
            agent_client_id: "wlp-demo-ai-agent".into(),
            agent_key: agent_key.into(),
            auth_server_id: "files".into(),
            audience: format!("{org}/oauth2/files"),
            exchange_scopes: "files.read".into(),
            resource: String::new(),
            subject: Subject::IdToken,
            api_url: format!("{org}/api/files/documents"),
            relay_url: DEFAULT_RELAY_URL.into(),
            relay_key: String::new(),
            relay_org: false,
            relay_custom: false,
            idp: None,
            resource_as: None,
            resource_type: ResourceType::AuthorizationServer,
            orn: String::new(),
            a2a_resource: String::new(),
        }
    }

    /// The Okta preset: a real org's paths, client IDs and key to fill in, relay on for the
    /// token steps (Okta refuses browser token calls other than code + PKCE).
    pub fn okta(redirect_uri: &str) -> Self {
        let org = "https://your-org.okta.com";
        Self {
            org_url: org.into(),
            app_client_id: String::new(),
            redirect_uri: redirect_uri.into(),
            app_scopes: "openid profile email".into(),
            agent_client_id: String::new(),
            agent_key: String::new(),
            auth_server_id: String::new(),
            audience: String::new(),
            exchange_scopes: String::new(),
            resource: String::new(),
            subject: Subject::IdToken,
            api_url: String::new(),
            relay_url: DEFAULT_RELAY_URL.into(),
            relay_key: String::new(),
            relay_org: true,
            relay_custom: true,
            idp: None,
            resource_as: None,
            resource_type: ResourceType::AuthorizationServer,
            orn: String::new(),
            a2a_resource: String::new(),
        }
    }

    /// The relay (URL, key) to send `url` through, if the server it belongs to is set to use it.
    /// The resource server is checked first: an Okta custom server lies below the org's URL.
    pub fn relay_for(&self, url: &str) -> Option<(String, String)> {
        let relay = || {
            (
                self.relay_url.trim().trim_end_matches('/').to_string(),
                self.relay_key.trim().to_string(),
            )
        };
        if self.custom().serves(url) {
            return self.relay_custom.then(relay);
        }
        (self.relay_org && self.org().serves(url)).then(relay)
    }

    /// How a card names an endpoint: Okta's path, or the URL discovery found.
    pub fn endpoint_label(&self, resource_server: bool, name: &str) -> String {
        let (discovered, okta) = if resource_server {
            (
                &self.resource_as,
                format!("/oauth2/{}/v1/{name}", self.auth_server_id.trim()),
            )
        } else {
            (&self.idp, format!("/oauth2/v1/{name}"))
        };
        let Some(e) = discovered else { return okta };
        match name {
            "authorize" => e.authorize.clone(),
            "token" => e.token.clone(),
            "introspect" => e.introspect.clone(),
            "revoke" => e.revoke.clone(),
            _ => e.issuer.clone(),
        }
    }

    /// The command that starts the relay for this org and this page's origin.
    pub fn relay_command(&self, origin: &str) -> String {
        super::relay_command(&self.org_url, origin, &self.relay_url)
    }

    /// The identity provider's endpoints: discovered ones, else the Okta org server's.
    pub fn org(&self) -> Endpoints {
        self.idp.clone().unwrap_or_else(|| okta_org(&self.org_url))
    }

    /// The resource authorization server's endpoints: discovered ones, else the Okta custom
    /// authorization server's.
    pub fn custom(&self) -> Endpoints {
        self.resource_as
            .clone()
            .unwrap_or_else(|| okta_custom(&self.org_url, &self.auth_server_id))
    }

    /// Copies the configuration into the flow state (so edits mark steps stale).
    pub fn sync(&self, state: &mut FlowState) {
        let subject = match self.subject {
            Subject::IdToken => "id_token",
            Subject::AccessToken => "access_token",
        };
        for (k, v) in [
            ("cfg.org_url", self.org_url.as_str()),
            ("cfg.app_client_id", &self.app_client_id),
            ("cfg.redirect_uri", &self.redirect_uri),
            ("cfg.app_scopes", &self.app_scopes),
            ("cfg.agent_client_id", &self.agent_client_id),
            ("cfg.agent_key", &self.agent_key),
            ("cfg.auth_server_id", &self.auth_server_id),
            ("cfg.audience", &self.audience),
            ("cfg.exchange_scopes", &self.exchange_scopes),
            ("cfg.resource", &self.resource),
            (
                "cfg.resource_type",
                self.resource_type.requested_token_type(),
            ),
            ("cfg.orn", &self.orn),
            ("cfg.subject", subject),
            ("cfg.api_url", &self.api_url),
        ] {
            state.set(k, v);
        }
    }

    /// The subject token's flow-state key.
    pub fn subject_key(&self) -> &'static str {
        match self.subject {
            Subject::IdToken => "user_id_token",
            Subject::AccessToken => "user_access_token",
        }
    }

    /// The steps' inputs and outputs.
    pub fn specs(&self) -> [StepSpec; 8] {
        [
            StepSpec::new(
                "signin",
                &["cfg.org_url", "cfg.app_client_id", "cfg.redirect_uri"],
                &["cfg.app_scopes"],
                &["user_id_token", "user_access_token"],
            ),
            StepSpec::new(
                "exchange",
                &[
                    self.subject_key(),
                    "cfg.agent_client_id",
                    "cfg.agent_key",
                    if self.resource_type == ResourceType::AuthorizationServer {
                        "cfg.audience"
                    } else {
                        "cfg.orn"
                    },
                ],
                &[
                    "cfg.exchange_scopes",
                    "cfg.resource",
                    "cfg.org_url",
                    "cfg.subject",
                    "cfg.resource_type",
                    "cfg.orn",
                ],
                &["id_jag"],
            ),
            StepSpec::new(
                "bearer",
                &[
                    "id_jag",
                    "cfg.agent_client_id",
                    "cfg.agent_key",
                    "cfg.auth_server_id",
                ],
                &[],
                &["agent_access_token"],
            ),
            StepSpec::new(
                "api",
                &["agent_access_token", "cfg.api_url"],
                &[],
                &["api_response"],
            ),
            StepSpec::new(
                "introspect",
                &["agent_access_token", "cfg.agent_key"],
                &[],
                &["introspection"],
            ),
            StepSpec::new(
                "revoke",
                &["agent_access_token", "cfg.agent_key"],
                &[],
                &["revoked"],
            ),
            StepSpec::new(
                "introspect2",
                &["revoked", "agent_access_token"],
                &[],
                &["introspection2"],
            ),
            StepSpec::new(
                "api2",
                &["revoked", "agent_access_token", "cfg.api_url"],
                &[],
                &["api_refusal"],
            ),
        ]
    }

    /// The agent-to-agent preset on the demo tenant (seed 001): the agent invokes a research
    /// agent whose authorization server is `agent2`; its subject is its own client-credentials
    /// token (or, switching the subject, the user's ID token).
    pub fn agent_to_agent(org_url: &str, redirect_uri: &str, agent_key: &str) -> Self {
        let org = org_url.trim_end_matches('/');
        Self {
            auth_server_id: "agent2".into(),
            audience: format!("{org}/oauth2/agent2"),
            exchange_scopes: "research.read".into(),
            subject: Subject::AccessToken,
            api_url: format!("{org}/api/agents/research/tasks"),
            a2a_resource: format!("{org}/api/agents/research"),
            ..Self::demo(org, redirect_uri, agent_key)
        }
    }

    /// Agent-to-agent step 1 alternative: the agent's own token by client credentials, with
    /// the invoked agent as `resource`, authenticated by a browser-signed assertion.
    pub fn agent_credentials(&self, assertion: &str) -> HttpRequest {
        let auth = ClientAuth::PrivateKeyJwt {
            client_id: None,
            assertion: assertion.into(),
        };
        requests::client_credentials(
            &self.org().token,
            "",
            &[self.a2a_resource.trim().into()],
            &auth,
        )
    }

    /// Reads the agent's client-credentials answer: its token becomes the subject.
    pub fn interpret_agent_credentials(&self, capture: &HttpCapture, now: i64) -> StepOutcome {
        let resp = match parse_token_response(capture) {
            Ok(r) => r,
            Err(p) => return StepOutcome::problem(&p),
        };
        let Some(at) = resp.access_token else {
            return StepOutcome::failed("The response carries no access_token.");
        };
        let view = TokenView::new("Agent's own access token (client credentials)", &at, now);
        let aud = view
            .claims
            .as_ref()
            .map(|c| crate::jwt::string_list(c.get("aud")))
            .unwrap_or_default();
        let mut findings = vec![];
        if !self.a2a_resource.trim().is_empty()
            && !aud.iter().any(|a| a == self.a2a_resource.trim())
        {
            findings.push(checks::Finding {
                severity: checks::Severity::Warning,
                check: "aud".into(),
                message: format!(
                    "aud {aud:?} does not name the invoked agent {}.",
                    self.a2a_resource.trim()
                ),
            });
        }
        StepOutcome {
            ok: true,
            summary: format!("The agent has its own token for {} (no user involved); it is the subject token of step 2.", aud.join(", ")),
            outputs: vec![("user_access_token".into(), at)],
            tokens: vec![view],
            findings,
            ..Default::default()
        }
    }

    /// Step 1's sign-in at the org authorization server (public client, PKCE).
    pub fn sign_in(&self) -> SignIn {
        SignIn {
            endpoints: self.org(),
            client_id: self.app_client_id.trim().into(),
            redirect_uri: self.redirect_uri.trim().into(),
            scopes: self.app_scopes.trim().into(),
        }
    }

    /// Step 1a: the authorize URL.
    pub fn authorize(&self, code_challenge: &str, state: &str, nonce: &str) -> HttpRequest {
        self.sign_in().authorize(code_challenge, state, nonce)
    }

    /// Step 1b: exchange the code (public client + PKCE).
    pub fn code_exchange(&self, code: &str, verifier: &str) -> HttpRequest {
        self.sign_in().code_exchange(code, verifier)
    }

    /// The unsigned client assertion for the agent at `token_endpoint`.
    pub fn assertion(
        &self,
        token_endpoint: &str,
        alg: Alg,
        kid: &str,
        now: i64,
        jti: &str,
    ) -> UnsignedJwt {
        let claims = assertion_claims(self.agent_client_id.trim(), token_endpoint, now, 300, jti);
        UnsignedJwt::new(alg, "JWT", Some(kid), claims)
    }

    /// Step 2: the ID-JAG token exchange, given the signed assertion.
    pub fn exchange(&self, subject_token: &str, assertion: &str) -> HttpRequest {
        let x = TokenExchange {
            subject_token: subject_token.into(),
            subject_token_type: match self.subject {
                Subject::IdToken => TOKEN_TYPE_ID.into(),
                Subject::AccessToken => TOKEN_TYPE_ACCESS.into(),
            },
            requested_token_type: self.resource_type.requested_token_type().into(),
            audience: vec![self.audience.trim().into()],
            resource: vec![self.resource.trim().into()],
            scope: self.exchange_scopes.trim().into(),
            actor: None,
        };
        // A secret or service account is named by its ORN alone: no audience, no scope.
        let x = match self.resource_type {
            ResourceType::AuthorizationServer => x,
            _ => TokenExchange {
                audience: vec![],
                scope: String::new(),
                resource: vec![self.orn.trim().into()],
                ..x
            },
        };
        let auth = ClientAuth::PrivateKeyJwt {
            client_id: None,
            assertion: assertion.into(),
        };
        requests::token_exchange(&self.org().token, &x, &auth)
    }

    /// Step 3: the JWT bearer grant with the ID-JAG, given a fresh signed assertion.
    pub fn bearer(&self, id_jag: &str, assertion: &str) -> HttpRequest {
        let auth = ClientAuth::PrivateKeyJwt {
            client_id: None,
            assertion: assertion.into(),
        };
        requests::jwt_bearer(&self.custom().token, id_jag, "", &auth)
    }

    /// Step 4: the API call.
    pub fn api(&self, access_token: &str) -> HttpRequest {
        requests::api_call(Method::Get, self.api_url.trim(), access_token)
    }

    /// Introspection (RFC 7662) of a token at the resource authorization server, as the agent.
    pub fn introspect(&self, token: &str, assertion: &str) -> HttpRequest {
        let auth = ClientAuth::PrivateKeyJwt {
            client_id: None,
            assertion: assertion.into(),
        };
        requests::introspect(&self.custom().introspect, token, "access_token", &auth)
    }

    /// Revocation (RFC 7009) of a token at the resource authorization server, as the agent.
    pub fn revoke(&self, token: &str, assertion: &str) -> HttpRequest {
        let auth = ClientAuth::PrivateKeyJwt {
            client_id: None,
            assertion: assertion.into(),
        };
        requests::revoke(&self.custom().revoke, token, "access_token", &auth)
    }

    /// The metadata requests for an issuer, best location first ("Load scopes", discovery).
    pub fn metadata(issuer: &str) -> Vec<HttpRequest> {
        crate::endpoints::metadata_urls(issuer)
            .iter()
            .map(|url| requests::get_json("Authorization server metadata (RFC 8414)", url))
            .collect()
    }

    /// Reads the code exchange answer; the ID token's nonce must match.
    pub fn interpret_code_exchange(
        &self,
        capture: &HttpCapture,
        nonce: &str,
        now: i64,
    ) -> StepOutcome {
        self.sign_in().interpret(capture, nonce, now)
    }

    /// Reads the ID-JAG exchange answer and checks the ID-JAG against the next step (or, for
    /// a secret or service account, shows what was released).
    pub fn interpret_exchange(&self, capture: &HttpCapture, now: i64) -> StepOutcome {
        let resp = match parse_token_response(capture) {
            Ok(r) => r,
            Err(p) => return StepOutcome::problem(&p),
        };
        if self.resource_type != ResourceType::AuthorizationServer {
            return self.interpret_vaulted(&resp);
        }
        let mut findings = checks::check_id_jag_response(&resp);
        let Some(jag) = resp.access_token.clone() else {
            return StepOutcome::failed("The response carries no ID-JAG in access_token.");
        };
        let view = TokenView::new("ID-JAG", &jag, now);
        if let Ok(jwt) = decode(&jag) {
            findings.extend(checks::check_id_jag(
                &jwt,
                &IdJagExpectations {
                    audience: self.audience.trim().into(),
                    client_id: self.agent_client_id.trim().into(),
                    requested_scope: self.exchange_scopes.clone(),
                    now,
                },
            ));
        }
        let ok = resp.issued_token_type.as_deref() == Some(TOKEN_TYPE_ID_JAG);
        let summary = if ok {
            format!(
                "ID-JAG issued for {} with scope {:?}, valid {} s.",
                self.audience.trim(),
                resp.scope.clone().unwrap_or_default(),
                resp.expires_in.unwrap_or_default()
            )
        } else {
            "Refused: the response is not an ID-JAG (issued_token_type), so it must not be used."
                .into()
        };
        StepOutcome {
            ok,
            summary,
            outputs: if ok {
                vec![("id_jag".into(), jag)]
            } else {
                vec![]
            },
            tokens: vec![view],
            findings,
            body: None,
            suggest_relay: false,
            secret_body: false,
        }
    }

    fn interpret_vaulted(&self, resp: &crate::response::TokenResponse) -> StepOutcome {
        let (what, object) = match self.resource_type {
            ResourceType::Secret => ("vaulted secret", &resp.vaulted_secret),
            _ => ("service account", &resp.service_account),
        };
        let expected = self.resource_type.requested_token_type();
        if object.is_none() {
            return StepOutcome::failed(format!("The response carries no {what} object."));
        }
        let mut findings = vec![];
        if resp.issued_token_type.as_deref() != Some(expected) {
            findings.push(checks::Finding {
                severity: checks::Severity::Error,
                check: "issued_token_type".into(),
                message: format!(
                    "issued_token_type is {:?}, not {expected:?}.",
                    resp.issued_token_type
                ),
            });
        }
        findings.push(checks::Finding {
            severity: checks::Severity::Info,
            check: "resource_type".into(),
            message: format!("The {what} itself is released (there is no access_token member, unlike RFC 8693 responses): no ID-JAG, no JWT bearer step, and no revocation; the vault manages its lifecycle. Values are masked until you reveal secrets."),
        });
        StepOutcome {
            ok: true,
            summary: format!(
                "{} released for {}, valid {} s.",
                capitalize(what),
                self.orn.trim(),
                resp.expires_in.unwrap_or_default()
            ),
            findings,
            body: Some(resp.raw.clone()),
            secret_body: true,
            ..Default::default()
        }
    }

    /// Reads the JWT bearer answer and checks the access token (`act`, `sub`, scopes).
    pub fn interpret_bearer(&self, capture: &HttpCapture, id_jag: &str, now: i64) -> StepOutcome {
        let resp = match parse_token_response(capture) {
            Ok(r) => r,
            Err(p) => return StepOutcome::problem(&p),
        };
        let Some(at) = resp.access_token.clone() else {
            return StepOutcome::failed("The response carries no access_token.");
        };
        let jag = decode(id_jag).ok();
        let mut findings = Vec::new();
        if let Ok(jwt) = decode(&at) {
            findings = checks::check_access_token(
                &jwt,
                &AccessTokenExpectations {
                    issuer: self.custom().issuer,
                    audience: self.resource.trim().into(),
                    subject: jag
                        .as_ref()
                        .and_then(|j| j.str_claim("sub"))
                        .unwrap_or_default()
                        .into(),
                    actor: self.agent_client_id.trim().into(),
                    previous_scope: jag
                        .as_ref()
                        .and_then(|j| scope::from_claims(&j.claims))
                        .unwrap_or_default(),
                    now,
                },
            );
        }
        StepOutcome {
            ok: true,
            summary: format!(
                "Access token issued by {} with scope {:?}.",
                self.custom().issuer,
                resp.scope.unwrap_or_default()
            ),
            outputs: vec![("agent_access_token".into(), at.clone())],
            tokens: vec![TokenView::new("Agent access token", &at, now)],
            findings,
            body: None,
            suggest_relay: false,
            secret_body: false,
        }
    }

    /// Reads the API answer.
    pub fn interpret_api(&self, capture: &HttpCapture) -> StepOutcome {
        let mut o = interpret_json(capture, "API answered");
        if o.ok {
            o.outputs
                .push(("api_response".into(), capture.body.clone()));
        }
        o
    }
}

impl super::FlowSettings for AgenticConfig {
    fn specs(&self) -> Vec<StepSpec> {
        AgenticConfig::specs(self).to_vec()
    }

    fn sync(&self, state: &mut FlowState) {
        AgenticConfig::sync(self, state)
    }

    fn forget_secrets(&mut self) {
        self.agent_key.clear();
        self.relay_key.clear();
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::StepStatus;

    fn cfg() -> AgenticConfig {
        AgenticConfig::demo(
            "http://127.0.0.1:9400/",
            "http://127.0.0.1:8080/",
            "{\"kty\":\"EC\"}",
        )
    }

    #[test]
    fn demo_preset_uses_okta_paths() {
        let c = cfg();
        assert_eq!(c.org().token, "http://127.0.0.1:9400/oauth2/v1/token");
        assert_eq!(
            c.custom().token,
            "http://127.0.0.1:9400/oauth2/files/v1/token"
        );
        assert_eq!(c.audience, c.custom().issuer);
        assert_eq!(
            AgenticConfig::metadata(&c.audience)[0].url,
            "http://127.0.0.1:9400/oauth2/files/.well-known/oauth-authorization-server"
        );
    }

    #[test]
    fn relay_applies_per_server() {
        let mut c = cfg();
        assert_eq!(c.relay_for(&c.org().token), None);
        c.relay_org = true;
        c.relay_key = "k".into();
        assert_eq!(
            c.relay_for(&c.org().token),
            Some(("http://127.0.0.1:9500".into(), "k".into()))
        );
        assert_eq!(c.relay_for(&c.custom().token), None);
        assert_eq!(c.relay_for(&c.api_url), None);
        c.relay_custom = true;
        assert!(c.relay_for(&c.custom().token).is_some());
        assert!(c
            .relay_for(&AgenticConfig::metadata(&c.audience)[0].url)
            .is_some());
        assert_eq!(
            c.relay_command("http://127.0.0.1:8080"),
            "cargo run -p relay -- --upstream 'http://127.0.0.1:9400' --allow-origin 'http://127.0.0.1:8080'"
        );
    }

    #[test]
    fn discovered_endpoints_override_okta_paths() {
        let mut c = cfg();
        assert_eq!(c.endpoint_label(false, "token"), "/oauth2/v1/token");
        assert_eq!(c.endpoint_label(true, "revoke"), "/oauth2/files/v1/revoke");
        c.idp = Some(Endpoints {
            issuer: "https://idp.example".into(),
            token: "https://login.idp.example/token".into(),
            ..Default::default()
        });
        assert_eq!(c.exchange("T", "A").url, "https://login.idp.example/token");
        assert_eq!(
            c.endpoint_label(false, "token"),
            "https://login.idp.example/token"
        );
        assert_eq!(
            c.bearer("J", "A").url,
            "http://127.0.0.1:9400/oauth2/files/v1/token",
            "the resource AS keeps Okta paths"
        );
        c.relay_org = true;
        assert!(c.relay_for("https://login.idp.example/token").is_some());
    }

    #[test]
    fn requests_carry_the_right_parameters() {
        let c = cfg();
        let x = c.exchange("IDT", "ASSERTION");
        assert_eq!(x.form_value("subject_token_type"), Some(TOKEN_TYPE_ID));
        assert_eq!(
            x.form_value("requested_token_type"),
            Some(TOKEN_TYPE_ID_JAG)
        );
        assert_eq!(
            x.form_value("audience"),
            Some("http://127.0.0.1:9400/oauth2/files")
        );
        assert_eq!(x.form_value("client_assertion"), Some("ASSERTION"));
        assert!(
            x.form_value("resource").is_none(),
            "an empty resource is not sent"
        );
        let b = c.bearer("JAG", "A2");
        assert_eq!(b.url, "http://127.0.0.1:9400/oauth2/files/v1/token");
        assert_eq!(b.form_value("assertion"), Some("JAG"));
        let a = c.assertion(&c.org().token, Alg::ES256, "kid1", 100, "j");
        assert_eq!(a.claims["aud"], "http://127.0.0.1:9400/oauth2/v1/token");
        assert_eq!(a.header["kid"], "kid1");
    }

    #[test]
    fn steps_unlock_in_order_and_config_edits_mark_stale() {
        let mut c = cfg();
        let mut st = FlowState::default();
        c.sync(&mut st);
        let specs = c.specs();
        assert_eq!(st.status(&specs[0]), StepStatus::Ready);
        assert!(matches!(st.status(&specs[1]), StepStatus::Blocked { .. }));
        st.record_run(&specs[0], true, &[("user_id_token", "T")]);
        assert_eq!(st.status(&specs[1]), StepStatus::Ready);
        st.record_run(&specs[1], true, &[("id_jag", "J")]);
        c.exchange_scopes = "files.write".into();
        c.sync(&mut st);
        assert_eq!(
            st.status(&specs[1]),
            StepStatus::Stale {
                changed: vec!["cfg.exchange_scopes".into()]
            }
        );
        // Switching the subject to the access token requires that token.
        c.subject = Subject::AccessToken;
        c.sync(&mut st);
        assert!(matches!(
            st.status(&c.specs()[1]),
            StepStatus::Blocked { .. }
        ));
    }

    #[test]
    fn agent_to_agent_preset() {
        let c =
            AgenticConfig::agent_to_agent("http://127.0.0.1:9400", "http://127.0.0.1:8080/", "k");
        let cc = c.agent_credentials("A");
        assert_eq!(cc.url, "http://127.0.0.1:9400/oauth2/v1/token");
        assert_eq!(
            cc.form_value("resource"),
            Some("http://127.0.0.1:9400/api/agents/research")
        );
        assert_eq!(
            c.exchange("AT", "A").form_value("subject_token_type"),
            Some(TOKEN_TYPE_ACCESS)
        );
        assert_eq!(
            c.exchange("AT", "A").form_value("audience"),
            Some("http://127.0.0.1:9400/oauth2/agent2")
        );
        assert_eq!(
            c.bearer("J", "A").url,
            "http://127.0.0.1:9400/oauth2/agent2/v1/token"
        );
    }

    #[test]
    fn vaulted_resource_types() {
        let mut c = cfg();
        c.resource_type = ResourceType::Secret;
        c.orn = DEMO_SECRET_ORN.into();
        let x = c.exchange("IDT", "A");
        assert_eq!(
            x.form_value("requested_token_type"),
            Some(TOKEN_TYPE_OKTA_VAULTED_SECRET)
        );
        assert_eq!(x.form_value("resource"), Some(DEMO_SECRET_ORN));
        assert!(x.form_value("audience").is_none() && x.form_value("scope").is_none());
        let body = r#"{"issued_token_type":"urn:okta:params:oauth:token-type:vaulted-secret","vaulted_secret":{"k":"v"},"token_type":"N_A","expires_in":300}"#;
        let o = c.interpret_exchange(
            &HttpCapture {
                status: 200,
                headers: vec![],
                body: body.into(),
            },
            0,
        );
        assert!(o.ok && o.secret_body && o.outputs.is_empty(), "{o:?}");
        let mut st = FlowState::default();
        c.sync(&mut st);
        st.set("user_id_token", "T");
        assert_eq!(
            st.status(&c.specs()[1]),
            StepStatus::Ready,
            "no audience needed for a secret"
        );
    }

    #[test]
    fn introspection_and_revocation_readings() {
        let c = cfg();
        let cap = |status, body: &str| HttpCapture {
            status,
            headers: vec![],
            body: body.into(),
        };
        assert!(
            crate::flows::read_introspection(
                &cap(200, r#"{"active":true,"sub":"u","scope":"s"}"#),
                true
            )
            .ok
        );
        assert!(
            !crate::flows::read_introspection(&cap(200, r#"{"active":true}"#), false).ok,
            "a revoked token reported active is a failure"
        );
        assert!(crate::flows::read_introspection(&cap(200, r#"{"active":false}"#), false).ok);
        assert!(!crate::flows::read_introspection(&cap(200, r#"{"sub":"u"}"#), true).ok);
        assert!(crate::flows::read_revocation(&cap(200, "")).ok);
        assert!(!crate::flows::read_revocation(&cap(401, r#"{"error":"invalid_client"}"#)).ok);
        assert!(crate::flows::read_refusal(&cap(401, r#"{"error":"invalid_token"}"#)).ok);
        assert!(!crate::flows::read_refusal(&cap(200, "{}")).ok);
        let x = c.introspect("AT", "A");
        assert_eq!(x.url, "http://127.0.0.1:9400/oauth2/files/v1/introspect");
        assert_eq!(x.form_value("token"), Some("AT"));
    }

    #[test]
    fn interprets_errors_and_wrong_token_types() {
        let c = cfg();
        let cap = |status, body: &str| HttpCapture {
            status,
            headers: vec![],
            body: body.into(),
        };
        let o = c.interpret_exchange(
            &cap(
                401,
                r#"{"error":"invalid_client","error_description":"bad key"}"#,
            ),
            0,
        );
        assert!(!o.ok && o.summary.contains("invalid_client"));
        let o = c.interpret_exchange(&cap(200, r#"{"access_token":"x.y.z","issued_token_type":"urn:ietf:params:oauth:token-type:access_token","token_type":"Bearer"}"#), 0);
        assert!(!o.ok && o.outputs.is_empty());
        let o = c.interpret_code_exchange(&cap(200, "<html><title>Sign in</title></html>"), "n", 0);
        assert!(!o.ok && o.summary.contains("HTML"));
    }
}
