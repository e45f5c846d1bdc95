//! The demo tenant's configuration: built-in defaults matching the app's demo preset,
//! overridable section by section from a TOML file.

use serde::Deserialize;

/// A person who can sign in.
#[derive(Clone, Debug, Deserialize)]
pub struct User {
    /// Subject (`sub`), Okta-style (`00u...`).
    pub id: String,
    /// Login name shown on the sign-in page.
    pub username: String,
    /// Display name.
    pub name: String,
    /// Email.
    pub email: String,
}

/// How a client authenticates at the token endpoint.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AuthMethod {
    /// Public client (PKCE only).
    None,
    /// `client_secret_basic`.
    ClientSecretBasic,
    /// `client_secret_post`.
    ClientSecretPost,
    /// `private_key_jwt`.
    PrivateKeyJwt,
}

/// A registered client: an app, an AI agent, a service.
#[derive(Clone, Debug, Deserialize)]
pub struct Client {
    /// Client ID (for an AI agent, its principal ID).
    pub id: String,
    /// Human name.
    pub name: String,
    /// Token endpoint authentication method.
    pub auth: AuthMethod,
    /// Secret, for the secret methods.
    #[serde(default)]
    pub secret: Option<String>,
    /// Public JWKS (JSON text), for `private_key_jwt`.
    #[serde(default)]
    pub jwks: Option<String>,
    /// Exact redirect URIs (authorization code).
    #[serde(default)]
    pub redirect_uris: Vec<String>,
    /// Grant types the client may use.
    pub grants: Vec<String>,
    /// For an AI agent: the apps whose users' ID tokens it may exchange.
    #[serde(default)]
    pub linked_apps: Vec<String>,
}

/// A managed connection (delegation policy): which client may reach which target, with
/// which scopes at most.
#[derive(Clone, Debug, Deserialize)]
pub struct Connection {
    /// The client (agent or service) ID.
    pub client: String,
    /// The target: a custom authorization server ID, or in a PingOne realm the target
    /// application's client ID.
    pub server: String,
    /// Scopes the client may be granted there.
    pub scopes: Vec<String>,
}

/// How a server's URLs are laid out.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// Okta custom authorization server: `/oauth2/{id}/v1/...`.
    #[default]
    Okta,
    /// PingOne Advanced Identity Cloud realm: `/am/oauth2/realms/root/realms/{id}/...`.
    Pingone,
}

/// A secret or service account in the vault, released by token exchange (Okta resource types).
#[derive(Clone, Debug, Deserialize)]
pub struct VaultedResource {
    /// The resource's ORN (`orn:okta:pam:...`).
    pub orn: String,
    /// `secret` or `service_account`.
    pub kind: String,
    /// Agents with a resource connection to it.
    pub clients: Vec<String>,
    /// What is released (username/password, key/value pairs).
    pub value: serde_json::Value,
}

/// A custom authorization server (`/oauth2/{id}`) or a PingOne realm.
#[derive(Clone, Debug, Deserialize)]
pub struct AuthServer {
    /// Path ID (`default`, `files`, or a realm name such as `alpha`).
    pub id: String,
    /// URL layout.
    #[serde(default)]
    pub layout: Layout,
    /// Further audiences it may mint tokens for in an on-behalf-of exchange (`com.api.atko`).
    #[serde(default)]
    pub extra_audiences: Vec<String>,
    /// Servers whose access tokens it accepts as subject tokens (trusted servers).
    #[serde(default)]
    pub trusts: Vec<String>,
    /// Human name.
    pub name: String,
    /// Default `aud` of its access tokens.
    pub audience: String,
    /// Scopes it knows.
    pub scopes: Vec<String>,
    /// Resource URIs (RFC 8707) it issues tokens for.
    #[serde(default)]
    pub resources: Vec<String>,
}

/// The whole tenant.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Public base URL (the org URL); `{base}` in other values is replaced by it.
    pub base_url: String,
    /// Origins allowed by CORS (the app's origins).
    pub cors_origins: Vec<String>,
    /// Users.
    pub users: Vec<User>,
    /// Clients.
    pub clients: Vec<Client>,
    /// Custom authorization servers.
    pub servers: Vec<AuthServer>,
    /// Managed connections (delegation policy).
    pub connections: Vec<Connection>,
    /// Vaulted secrets and service accounts.
    pub vaulted: Vec<VaultedResource>,
    /// Refuse browser token requests that are not code + PKCE, as Okta does.
    pub okta_strict: bool,
    /// CORS on or off.
    pub cors: bool,
}

/// Public JWKS of the demo agent (its private half ships with the app's demo preset).
pub const DEMO_AGENT_JWK: &str = include_str!("../../../demo/agent-private-key.DEMO-ONLY.jwk.json");

/// The demo SPA client ID.
pub const DEMO_APP: &str = "0oa-demo-agentic-app";
/// The demo AI agent ID.
pub const DEMO_AGENT: &str = "wlp-demo-ai-agent";
/// The on-behalf-of service app ("API1").
pub const DEMO_SERVICE: &str = "0oa-demo-service-api1";
/// Its client secret (demo only).
pub const DEMO_SERVICE_SECRET: &str = "demo-api1-secret";
/// The PingOne AIC autonomous agent.
pub const DEMO_AUTONOMOUS_AGENT: &str = "bot-traffic-analyzer";
/// Its client secret (demo only).
pub const DEMO_AUTONOMOUS_SECRET: &str = "demo-agent-secret";
pub use protocol::flows::agentic::{DEMO_SECRET_ORN, DEMO_SERVICE_ACCOUNT_ORN};
/// The PingOne AIC application the autonomous agent gets a token for.
pub const DEMO_LOG_APP: &str = "access-log-api";

fn public_jwks_of(private_jwk: &str) -> String {
    let key = protocol::keys::parse_private_key(private_jwk).expect("demo key parses");
    key.public_jwks().to_string()
}

impl Default for Config {
    fn default() -> Self {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        Config {
            base_url: "http://127.0.0.1:9400".into(),
            cors_origins: s(&["http://127.0.0.1:8080", "http://localhost:8080"]),
            users: vec![
                User {
                    id: "00u-alice".into(),
                    username: "alice@example.com".into(),
                    name: "Alice Example".into(),
                    email: "alice@example.com".into(),
                },
                User {
                    id: "00u-bob".into(),
                    username: "bob@example.com".into(),
                    name: "Bob Example".into(),
                    email: "bob@example.com".into(),
                },
            ],
            clients: vec![
                Client {
                    id: DEMO_APP.into(),
                    name: "Agentic App (SPA, public client)".into(),
                    auth: AuthMethod::None,
                    secret: None,
                    jwks: None,
                    redirect_uris: Vec::new(), // filled from cors_origins: "{origin}/"
                    grants: s(&["authorization_code", "refresh_token"]),
                    linked_apps: Vec::new(),
                },
                Client {
                    id: DEMO_AGENT.into(),
                    name: "Demo AI Agent".into(),
                    auth: AuthMethod::PrivateKeyJwt,
                    secret: None,
                    jwks: Some(public_jwks_of(DEMO_AGENT_JWK)),
                    redirect_uris: Vec::new(),
                    grants: s(&[
                        protocol::constants::GRANT_TOKEN_EXCHANGE,
                        protocol::constants::GRANT_JWT_BEARER,
                        "client_credentials",
                    ]),
                    linked_apps: s(&[DEMO_APP]),
                },
                Client {
                    id: DEMO_SERVICE.into(),
                    name: "API1 (service app, on-behalf-of)".into(),
                    auth: AuthMethod::ClientSecretBasic,
                    secret: Some(DEMO_SERVICE_SECRET.into()),
                    jwks: None,
                    redirect_uris: Vec::new(),
                    grants: s(&[protocol::constants::GRANT_TOKEN_EXCHANGE]),
                    linked_apps: Vec::new(),
                },
                Client {
                    id: DEMO_AUTONOMOUS_AGENT.into(),
                    name: "Bot traffic analyzer (autonomous AI agent)".into(),
                    auth: AuthMethod::ClientSecretPost,
                    secret: Some(DEMO_AUTONOMOUS_SECRET.into()),
                    jwks: None,
                    redirect_uris: Vec::new(),
                    grants: s(&[
                        "client_credentials",
                        protocol::constants::GRANT_TOKEN_EXCHANGE,
                    ]),
                    linked_apps: Vec::new(),
                },
                Client {
                    id: DEMO_LOG_APP.into(),
                    name: "Access log API (application)".into(),
                    auth: AuthMethod::ClientSecretPost,
                    secret: Some("demo-log-app-secret".into()),
                    jwks: None,
                    redirect_uris: Vec::new(),
                    grants: s(&["client_credentials"]),
                    linked_apps: Vec::new(),
                },
            ],
            servers: vec![
                AuthServer {
                    id: "default".into(),
                    layout: Layout::Okta,
                    name: "default".into(),
                    audience: "api://default".into(),
                    extra_audiences: s(&["com.api.atko"]),
                    trusts: Vec::new(),
                    scopes: s(&[
                        "openid",
                        "profile",
                        "email",
                        "offline_access",
                        "api:access:read",
                        "api:access:write",
                    ]),
                    resources: Vec::new(),
                },
                AuthServer {
                    id: "files".into(),
                    layout: Layout::Okta,
                    name: "Files API authorization server".into(),
                    audience: "{base}/api/files".into(),
                    extra_audiences: Vec::new(),
                    trusts: Vec::new(),
                    scopes: s(&["files.read", "files.write", "files.delete"]),
                    resources: s(&["{base}/api/files"]),
                },
                AuthServer {
                    id: "aus-trusted-api2".into(),
                    layout: Layout::Okta,
                    name: "API2 authorization server (trusts default)".into(),
                    audience: "com.api.atko".into(),
                    extra_audiences: Vec::new(),
                    trusts: s(&["default"]),
                    scopes: s(&["api:access:read", "api:access:write"]),
                    resources: Vec::new(),
                },
                AuthServer {
                    id: "agent2".into(),
                    layout: Layout::Okta,
                    name: "Research agent authorization server".into(),
                    audience: "{base}/api/agents/research".into(),
                    extra_audiences: Vec::new(),
                    trusts: Vec::new(),
                    scopes: s(&["research.read", "research.write"]),
                    resources: s(&["{base}/api/agents/research"]),
                },
                AuthServer {
                    id: "alpha".into(),
                    layout: Layout::Pingone,
                    name: "PingOne AIC realm alpha".into(),
                    audience: String::new(),
                    extra_audiences: Vec::new(),
                    trusts: Vec::new(),
                    scopes: s(&["monitor-system", "logs-read", "logs-search", "logs-delete"]),
                    resources: Vec::new(),
                },
            ],
            connections: vec![
                Connection {
                    client: DEMO_AGENT.into(),
                    server: "agent2".into(),
                    scopes: s(&["research.read"]),
                },
                Connection {
                    client: DEMO_AGENT.into(),
                    server: "files".into(),
                    scopes: s(&["files.read", "files.write"]),
                },
                Connection {
                    client: DEMO_SERVICE.into(),
                    server: "default".into(),
                    scopes: s(&["api:access:read", "api:access:write"]),
                },
                Connection {
                    client: DEMO_SERVICE.into(),
                    server: "aus-trusted-api2".into(),
                    scopes: s(&["api:access:read"]),
                },
                Connection {
                    client: DEMO_AUTONOMOUS_AGENT.into(),
                    server: DEMO_LOG_APP.into(),
                    scopes: s(&["logs-read", "logs-search"]),
                },
            ],
            vaulted: vec![
                VaultedResource {
                    orn: DEMO_SECRET_ORN.into(),
                    kind: "secret".into(),
                    clients: s(&[DEMO_AGENT]),
                    value: serde_json::json!({ "api_key": "demo-not-a-real-key-7f3a", "environment": "staging" }),
                },
                VaultedResource {
                    orn: DEMO_SERVICE_ACCOUNT_ORN.into(),
                    kind: "service_account".into(),
                    clients: s(&[DEMO_AGENT]),
                    value: serde_json::json!({ "username": "svc-reporting@demo.example", "password": "demo-not-a-real-password" }),
                },
            ],
            okta_strict: false,
            cors: true,
        }
    }
}

impl Config {
    /// Reads a TOML file over the defaults (each top-level key replaces the default).
    pub fn from_toml(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| format!("invalid configuration: {e}"))
    }

    /// Resolves `{base}` placeholders and derived defaults. Call once before serving.
    pub fn finish(mut self) -> Self {
        self.base_url = self.base_url.trim_end_matches('/').to_string();
        let base = self.base_url.clone();
        let sub = |v: &mut String| *v = v.replace("{base}", &base);
        for srv in &mut self.servers {
            sub(&mut srv.audience);
            srv.resources.iter_mut().for_each(sub);
        }
        let origins = self.cors_origins.clone();
        for c in &mut self.clients {
            c.redirect_uris.iter_mut().for_each(sub);
            if c.auth == AuthMethod::None && c.redirect_uris.is_empty() {
                c.redirect_uris = origins
                    .iter()
                    .map(|o| format!("{}/", o.trim_end_matches('/')))
                    .collect();
            }
        }
        self
    }

    /// A client by ID.
    pub fn client(&self, id: &str) -> Option<&Client> {
        self.clients.iter().find(|c| c.id == id)
    }

    /// A user by ID or username.
    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id || u.username == id)
    }

    /// A custom server by path ID.
    pub fn server(&self, id: &str) -> Option<&AuthServer> {
        self.servers.iter().find(|s| s.id == id)
    }

    fn layout(&self, id: &str) -> Layout {
        self.server(id).map(|s| s.layout).unwrap_or_default()
    }

    /// Whether a server is a PingOne realm.
    pub fn is_realm(&self, server: Option<&str>) -> bool {
        server.is_some_and(|id| self.layout(id) == Layout::Pingone)
    }

    /// The issuer of the org server (`None`), a custom server or a realm.
    pub fn issuer(&self, server: Option<&str>) -> String {
        match server {
            None => self.base_url.clone(),
            Some(id) if self.layout(id) == Layout::Pingone => {
                format!("{}/am/oauth2/realms/root/realms/{id}", self.base_url)
            }
            Some(id) => format!("{}/oauth2/{id}", self.base_url),
        }
    }

    /// The URL of a server's endpoint (`token`, `keys`, `introspect`, ...).
    pub fn endpoint(&self, server: Option<&str>, name: &str) -> String {
        match server {
            None => format!("{}/oauth2/v1/{name}", self.base_url),
            Some(id) if self.layout(id) == Layout::Pingone => {
                let path = match name {
                    "token" => "access_token",
                    "keys" => "connect/jwk_uri",
                    "revoke" => "token/revoke",
                    "userinfo" => "userinfo",
                    other => other,
                };
                format!("{}/{path}", self.issuer(server))
            }
            Some(id) => format!("{}/oauth2/{id}/v1/{name}", self.base_url),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_replaces_only_the_keys_it_names() {
        let c = Config::from_toml(
            r#"
            okta_strict = true
            [[users]]
            id = "00u-carol"
            username = "carol@example.com"
            name = "Carol"
            email = "carol@example.com"
            "#,
        )
        .unwrap()
        .finish();
        assert!(c.okta_strict);
        assert_eq!(c.users.len(), 1);
        assert!(
            c.client(DEMO_AGENT).is_some(),
            "clients keep their defaults"
        );
        assert_eq!(
            c.server("files").unwrap().audience,
            "http://127.0.0.1:9400/api/files"
        );
        assert!(Config::from_toml("users = 3")
            .unwrap_err()
            .contains("invalid configuration"));
    }

    #[test]
    fn realm_layout_paths() {
        let c = Config::default().finish();
        assert_eq!(
            c.endpoint(Some("alpha"), "token"),
            "http://127.0.0.1:9400/am/oauth2/realms/root/realms/alpha/access_token"
        );
        assert_eq!(
            c.endpoint(Some("files"), "token"),
            "http://127.0.0.1:9400/oauth2/files/v1/token"
        );
        assert_eq!(
            c.endpoint(None, "keys"),
            "http://127.0.0.1:9400/oauth2/v1/keys"
        );
    }
}
