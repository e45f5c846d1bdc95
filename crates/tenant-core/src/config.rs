//! The demo tenant's configuration: built-in defaults (the identities of `protocol_wire::demo`),
//! replaceable section by section from TOML. Unknown keys are an error naming the key, and
//! the configuration prints as TOML that reads back the same.

use serde::{Deserialize, Serialize};

use protocol_wire::constants::{GRANT_JWT_BEARER, GRANT_TOKEN_EXCHANGE};
use protocol_wire::demo;
use protocol_wire::secret::Secret;

/// A person who can sign in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct User {
    /// User ID (`uid`; `sub` of ID tokens), Okta-style (`00u...`).
    pub id: String,
    /// Login (`sub` of Okta access tokens), shown on the sign-in page.
    pub username: String,
    /// Display name.
    pub name: String,
    /// Email.
    pub email: String,
}

/// How a client authenticates at the token endpoint.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
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

impl AuthMethod {
    /// The metadata name.
    pub fn name(self) -> &'static str {
        match self {
            AuthMethod::None => "none (a public client with PKCE)",
            AuthMethod::ClientSecretBasic => "client_secret_basic",
            AuthMethod::ClientSecretPost => "client_secret_post",
            AuthMethod::PrivateKeyJwt => "private_key_jwt",
        }
    }
}

/// Which `aud` a client's assertions may carry.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AssertionAudience {
    /// The URL of the endpoint it is sent to (what Okta requires).
    #[default]
    Endpoint,
    /// The authorization server's issuer (RFC 7523bis).
    Issuer,
    /// Either.
    Either,
}

/// What kind of party a client is (Okta's `sub_profile` in agent-to-agent tokens).
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ClientKind {
    /// An app users sign in to.
    #[default]
    App,
    /// A backend service.
    Service,
    /// An AI agent.
    AiAgent,
}

impl ClientKind {
    /// Okta's `sub_profile` value.
    pub fn sub_profile(self) -> &'static str {
        match self {
            ClientKind::App | ClientKind::Service => "service",
            ClientKind::AiAgent => "ai_agent",
        }
    }
}

/// A registered client: an app, an AI agent, a service. Its secret is a [`Secret`], so its
/// debug output leaves the value out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Client {
    /// Client ID (for an AI agent, its principal ID).
    pub id: String,
    /// Human name.
    pub name: String,
    /// What it is.
    #[serde(default)]
    pub kind: ClientKind,
    /// Token endpoint authentication method.
    pub auth: AuthMethod,
    /// How it authenticates at the custom authorization servers (`/oauth2/{id}`), where that
    /// differs from the org server (a resource server that takes `client_secret_basic`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_server_auth: Option<AuthMethod>,
    /// Secret, for the secret methods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<Secret>,
    /// Public JWKS (JSON text), for `private_key_jwt`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks: Option<String>,
    /// Which assertion audience it accepts (for `private_key_jwt`).
    #[serde(default)]
    pub assertion_audience: AssertionAudience,
    /// Exact redirect URIs (authorization code).
    #[serde(default)]
    pub redirect_uris: Vec<String>,
    /// Grant types the client may use.
    pub grants: Vec<String>,
    /// For an AI agent: the apps whose users' tokens it may exchange.
    #[serde(default)]
    pub linked_apps: Vec<String>,
    /// For an AI agent: the URL configured on it (a client asks a token for it with
    /// `resource`; the agent may exchange only tokens whose `aud` names it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_url: Option<String>,
    /// For an AI agent: the clients and agents that may delegate to it (Okta's delegation
    /// links for machine access).
    #[serde(default)]
    pub delegations: Vec<String>,
}

impl Client {
    /// How this client authenticates at the server whose issuer is `issuer` (`org`: the org
    /// server's issuer).
    pub fn auth_at(&self, issuer: &str, org: &str) -> AuthMethod {
        match self.custom_server_auth {
            Some(m) if issuer != org => m,
            _ => self.auth,
        }
    }
}

/// A managed connection or access policy: which client may obtain tokens for which target,
/// with which scopes at most.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Connection {
    /// The client (agent or service) ID.
    pub client: String,
    /// The target: a custom authorization server ID, a realm name, or in a PingOne realm the
    /// target application's client ID.
    pub server: String,
    /// Scopes the client may be granted there.
    pub scopes: Vec<String>,
}

/// How a server's URLs are laid out.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// Okta custom authorization server: `/oauth2/{id}/v1/...`.
    #[default]
    Okta,
    /// PingOne Advanced Identity Cloud realm: `/am/oauth2/realms/root/realms/{id}/...`.
    Pingone,
}

/// A secret or service account in the vault, released by token exchange (Okta resource types).
/// Its debug output leaves the released value out.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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

impl std::fmt::Debug for VaultedResource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VaultedResource")
            .field("orn", &self.orn)
            .field("kind", &self.kind)
            .field("clients", &self.clients)
            .finish_non_exhaustive()
    }
}

/// A custom authorization server (`/oauth2/{id}`) or a PingOne realm.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthServer {
    /// Path ID (`default`, `files`, or a realm name such as `alpha`).
    pub id: String,
    /// Human name.
    pub name: String,
    /// URL layout.
    #[serde(default)]
    pub layout: Layout,
    /// Default `aud` of its access tokens.
    pub audience: String,
    /// Further audiences it may mint tokens for in an on-behalf-of exchange (`com.api.atko`).
    #[serde(default)]
    pub extra_audiences: Vec<String>,
    /// Servers whose access tokens it accepts as subject tokens (trusted servers).
    #[serde(default)]
    pub trusts: Vec<String>,
    /// Scopes it knows.
    pub scopes: Vec<String>,
    /// Scopes left out of its public metadata (Okta lists only scopes marked "include in
    /// public metadata").
    #[serde(default)]
    pub unpublished_scopes: Vec<String>,
    /// Resource URIs (RFC 8707) it issues tokens for.
    #[serde(default)]
    pub resources: Vec<String>,
}

/// A protected resource the tenant serves.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Api {
    /// Path below the base URL (`/api/files`); the API answers it and every path below.
    pub path: String,
    /// The `aud` it accepts (its resource identifier, or an audience such as `com.api.atko`).
    pub audience: String,
    /// Human name.
    pub name: String,
    /// The methods it answers and the scope each needs (`GET = "files.read"`); any other
    /// method is refused with 405 and `Allow`.
    pub methods: std::collections::BTreeMap<String, String>,
}

impl Api {
    /// An API that answers GET with `read` and the writing methods with `write`.
    pub fn read_write(path: &str, audience: String, name: &str, read: &str, write: &str) -> Self {
        let methods = [
            ("GET", read),
            ("POST", write),
            ("PUT", write),
            ("PATCH", write),
            ("DELETE", write),
        ];
        Api {
            path: path.into(),
            audience,
            name: name.into(),
            methods: methods
                .into_iter()
                .map(|(m, s)| (m.to_string(), s.to_string()))
                .collect(),
        }
    }

    /// A JSON-RPC endpoint such as MCP's: GET and POST with `read`, and DELETE (ending a
    /// session, as MCP's Streamable HTTP transport does) with `write`.
    pub fn rpc(path: &str, audience: String, name: &str, read: &str, write: &str) -> Self {
        Api {
            path: path.into(),
            audience,
            name: name.into(),
            methods: [("GET", read), ("POST", read), ("DELETE", write)]
                .into_iter()
                .map(|(m, s)| (m.to_string(), s.to_string()))
                .collect(),
        }
    }

    /// The methods it answers with their scopes, in the usual order (GET, POST, PUT, PATCH,
    /// DELETE, then any other).
    pub fn methods_in_order(&self) -> Vec<(&str, &str)> {
        const ORDER: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];
        let rank = |m: &str| ORDER.iter().position(|o| *o == m).unwrap_or(ORDER.len());
        let mut out: Vec<(&str, &str)> = Vec::new();
        for (m, s) in &self.methods {
            // Placed by rank (a sort would add code to the built-in demo's bundle).
            let at = out.partition_point(|(o, _)| rank(o) <= rank(m));
            out.insert(at, (m.as_str(), s.as_str()));
        }
        out
    }

    /// The methods it answers, for `Allow`.
    pub fn allow(&self) -> String {
        let methods: Vec<&str> = self
            .methods_in_order()
            .into_iter()
            .map(|(m, _)| m)
            .collect();
        methods.join(", ")
    }

    /// The scope `method` needs, if the API answers it (HEAD as GET).
    pub fn scope_for(&self, method: &str) -> Option<&str> {
        let method = if method == "HEAD" { "GET" } else { method };
        self.methods.get(method).map(String::as_str)
    }

    /// Every scope it asks for, each once.
    pub fn scopes(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for (_, s) in self.methods_in_order() {
            if !out.contains(&s) {
                out.push(s);
            }
        }
        out
    }
}

/// Bounds on what the tenant remembers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Authorization codes waiting to be exchanged.
    pub codes: usize,
    /// Used one-time identifiers (assertion and ID-JAG `jti`s) remembered until they expire.
    pub used_ids: usize,
    /// Revoked tokens remembered until they expire.
    pub revoked: usize,
    /// Live refresh tokens.
    pub refresh_tokens: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            codes: 10_000,
            used_ids: 100_000,
            revoked: 50_000,
            refresh_tokens: 10_000,
        }
    }
}

impl Limits {
    /// The small bounds of the in-browser demo (its state is stored as one record).
    pub fn in_browser() -> Self {
        Self {
            codes: 100,
            used_ids: 2_000,
            revoked: 1_000,
            refresh_tokens: 200,
        }
    }
}

/// The whole tenant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Public base URL (the org URL); `{base}` in other values is replaced by it.
    pub base_url: String,
    /// Origins allowed by CORS (the app's origins); also the default redirect URIs.
    pub cors_origins: Vec<String>,
    /// Refuse browser token requests that are not code + PKCE, as Okta does.
    pub okta_strict: bool,
    /// CORS on or off.
    pub cors: bool,
    /// For tests and demonstrations: corrupt the signature of every ID-JAG issued, to see a
    /// client refuse it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub tamper_id_jag_signatures: bool,
    /// Bounds on remembered state.
    pub limits: Limits,
    /// Users.
    pub users: Vec<User>,
    /// Clients.
    pub clients: Vec<Client>,
    /// Custom authorization servers and realms.
    pub servers: Vec<AuthServer>,
    /// Managed connections and access policies.
    pub connections: Vec<Connection>,
    /// Vaulted secrets and service accounts.
    pub vaulted: Vec<VaultedResource>,
    /// Resource APIs.
    pub apis: Vec<Api>,
}

fn public_jwks_of(private_jwk: &str) -> String {
    protocol_wire::keys::parse_private_jwk(private_jwk)
        .map(|k| k.public_jwks().to_string())
        .unwrap_or_default()
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

fn client(id: &str, name: &str, kind: ClientKind, auth: AuthMethod, grants: &[&str]) -> Client {
    Client {
        id: id.into(),
        name: name.into(),
        kind,
        auth,
        custom_server_auth: None,
        secret: None,
        jwks: None,
        assertion_audience: AssertionAudience::Endpoint,
        redirect_uris: vec![],
        grants: strings(grants),
        linked_apps: vec![],
        resource_url: None,
        delegations: vec![],
    }
}

fn server(id: &str, name: &str, audience: &str, scopes: &[&str]) -> AuthServer {
    AuthServer {
        id: id.into(),
        name: name.into(),
        layout: Layout::Okta,
        audience: audience.into(),
        extra_audiences: vec![],
        trusts: vec![],
        scopes: strings(scopes),
        unpublished_scopes: vec![],
        resources: vec![],
    }
}

fn connection(client: &str, server: &str, scopes: &[&str]) -> Connection {
    Connection {
        client: client.into(),
        server: server.into(),
        scopes: strings(scopes),
    }
}

impl Default for Config {
    fn default() -> Self {
        const TE: &str = GRANT_TOKEN_EXCHANGE;
        const JB: &str = GRANT_JWT_BEARER;
        let base = "{base}";
        Config {
            base_url: protocol_wire::demo::LOCAL_ORG.into(),
            cors_origins: strings(&["http://127.0.0.1:8080", "http://localhost:8080"]),
            okta_strict: false,
            tamper_id_jag_signatures: false,
            cors: true,
            limits: Limits::default(),
            users: vec![
                User {
                    id: demo::ALICE_ID.into(),
                    username: demo::ALICE.into(),
                    name: "Alice Example".into(),
                    email: demo::ALICE.into(),
                },
                User {
                    id: "00u-bob".into(),
                    username: "bob@example.com".into(),
                    name: "Bob Example".into(),
                    email: "bob@example.com".into(),
                },
            ],
            clients: vec![
                client(
                    demo::APP,
                    "Agentic App (SPA, public client)",
                    ClientKind::App,
                    AuthMethod::None,
                    &["authorization_code", "refresh_token"],
                ),
                Client {
                    jwks: Some(public_jwks_of(demo::AGENT_KEY)),
                    linked_apps: strings(&[demo::APP]),
                    resource_url: Some(demo::agent1_url(base)),
                    delegations: strings(&[demo::ORCHESTRATOR]),
                    ..client(
                        demo::AGENT,
                        "Demo AI Agent (agent 1)",
                        ClientKind::AiAgent,
                        AuthMethod::PrivateKeyJwt,
                        &[TE, JB],
                    )
                },
                Client {
                    jwks: Some(public_jwks_of(demo::AGENT2_KEY)),
                    linked_apps: strings(&[demo::APP]),
                    resource_url: Some(demo::agent2_url(base)),
                    delegations: strings(&[demo::AGENT]),
                    ..client(
                        demo::AGENT2,
                        "Research AI Agent (agent 2)",
                        ClientKind::AiAgent,
                        AuthMethod::PrivateKeyJwt,
                        &[TE, JB],
                    )
                },
                Client {
                    secret: Some(demo::ORCHESTRATOR_SECRET.into()),
                    ..client(
                        demo::ORCHESTRATOR,
                        "Orchestrator (service that invokes agent 1)",
                        ClientKind::Service,
                        AuthMethod::ClientSecretBasic,
                        &["client_credentials"],
                    )
                },
                Client {
                    secret: Some(demo::SERVICE_SECRET.into()),
                    ..client(
                        demo::SERVICE,
                        "API1 (service app, on-behalf-of)",
                        ClientKind::Service,
                        AuthMethod::ClientSecretBasic,
                        &[TE],
                    )
                },
                Client {
                    secret: Some(demo::AUTONOMOUS_SECRET.into()),
                    ..client(
                        demo::AUTONOMOUS_AGENT,
                        "Bot traffic analyzer (autonomous AI agent)",
                        ClientKind::AiAgent,
                        AuthMethod::ClientSecretPost,
                        &["client_credentials", TE],
                    )
                },
                Client {
                    secret: Some(demo::LOG_APP_SECRET.into()),
                    ..client(
                        demo::LOG_APP,
                        "Access log API (application)",
                        ClientKind::Service,
                        AuthMethod::ClientSecretPost,
                        &["client_credentials"],
                    )
                },
            ],
            servers: vec![
                AuthServer {
                    extra_audiences: strings(&[demo::API2_AUDIENCE]),
                    ..server(
                        "default",
                        "default",
                        "api://default",
                        &[
                            "openid",
                            "profile",
                            "email",
                            "offline_access",
                            "api:access:read",
                            "api:access:write",
                        ],
                    )
                },
                AuthServer {
                    unpublished_scopes: strings(&["files.delete"]),
                    resources: vec![demo::files_api(base)],
                    ..server(
                        "files",
                        "Files API authorization server",
                        &demo::files_api(base),
                        &["files.read", "files.write", "files.delete"],
                    )
                },
                AuthServer {
                    trusts: strings(&["default"]),
                    ..server(
                        "aus-trusted-api2",
                        "API2 authorization server (trusts default)",
                        demo::API2_AUDIENCE,
                        &["api:access:read", "api:access:write"],
                    )
                },
                AuthServer {
                    unpublished_scopes: strings(&["chat.write"]),
                    resources: vec![
                        demo::agent1_url(base),
                        demo::agent2_url(base),
                        demo::chat_api(base),
                    ],
                    ..server(
                        "agents",
                        "Agents authorization server (agent-to-agent)",
                        &demo::chat_api(base),
                        &["chat.read", "chat.history", "chat.write"],
                    )
                },
                AuthServer {
                    layout: Layout::Pingone,
                    ..server(
                        "alpha",
                        "PingOne AIC realm alpha",
                        "",
                        &["monitor-system", "logs-read", "logs-search", "logs-delete"],
                    )
                },
            ],
            connections: vec![
                connection(demo::AGENT, "files", &["files.read", "files.write"]),
                connection(demo::AGENT, "agents", &["chat.read", "chat.history"]),
                connection(demo::AGENT2, "agents", &["chat.read", "chat.history"]),
                connection(demo::ORCHESTRATOR, "agents", &["chat.read", "chat.history"]),
                connection(
                    demo::SERVICE,
                    "default",
                    &["api:access:read", "api:access:write"],
                ),
                connection(demo::SERVICE, "aus-trusted-api2", &["api:access:read"]),
                connection(demo::AUTONOMOUS_AGENT, "alpha", &["monitor-system"]),
                connection(
                    demo::AUTONOMOUS_AGENT,
                    demo::LOG_APP,
                    &["logs-read", "logs-search"],
                ),
                connection(demo::LOG_APP, "alpha", &["logs-read"]),
            ],
            vaulted: vec![
                VaultedResource {
                    orn: demo::SECRET_ORN.into(),
                    kind: "secret".into(),
                    clients: strings(&[demo::AGENT]),
                    value: serde_json::json!({ "api_key": "demo-not-a-real-key-7f3a", "environment": "staging" }),
                },
                VaultedResource {
                    orn: demo::SERVICE_ACCOUNT_ORN.into(),
                    kind: "service_account".into(),
                    clients: strings(&[demo::AGENT]),
                    value: serde_json::json!({ "username": "svc-reporting@demo.example", "password": "demo-not-a-real-password" }),
                },
            ],
            apis: vec![
                Api::read_write(
                    "/api/files",
                    demo::files_api(base),
                    "Files API",
                    "files.read",
                    "files.write",
                ),
                Api::read_write(
                    "/api/api2",
                    demo::API2_AUDIENCE.into(),
                    "API2",
                    "api:access:read",
                    "api:access:write",
                ),
                Api::rpc(
                    "/api/chat",
                    demo::chat_api(base),
                    "Chat API",
                    "chat.read",
                    "chat.write",
                ),
                Api::rpc(
                    "/agents/agent1",
                    demo::agent1_url(base),
                    "Agent 1",
                    "chat.read",
                    "chat.write",
                ),
                Api::rpc(
                    "/agents/agent2",
                    demo::agent2_url(base),
                    "Agent 2",
                    "chat.read",
                    "chat.write",
                ),
            ],
        }
    }
}

/// Why a configuration file is refused.
#[derive(Debug)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Config {
    /// Reads TOML over the defaults: each top-level key replaces the default; an unknown key
    /// (at any level) is an error naming it.
    pub fn from_toml(text: &str) -> Result<Self, ConfigError> {
        toml::from_str(text).map_err(|e| ConfigError(format!("invalid configuration: {e}")))
    }

    /// The configuration as TOML that [`Config::from_toml`] reads back the same.
    pub fn to_toml(&self) -> Result<String, ConfigError> {
        toml::to_string(self)
            .map_err(|e| ConfigError(format!("cannot print the configuration: {e}")))
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
        for api in &mut self.apis {
            sub(&mut api.audience);
        }
        let origins = self.cors_origins.clone();
        for c in &mut self.clients {
            c.redirect_uris.iter_mut().for_each(sub);
            if let Some(r) = &mut c.resource_url {
                sub(r);
            }
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

    /// A user by ID or login.
    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id || u.username == id)
    }

    /// A custom server or realm by path ID.
    pub fn server(&self, id: &str) -> Option<&AuthServer> {
        self.servers.iter().find(|s| s.id == id)
    }

    /// The managed connection of `client` to `target`, if any.
    pub fn connection(&self, client: &str, target: &str) -> Option<&Connection> {
        self.connections
            .iter()
            .find(|c| c.client == client && c.server == target)
    }

    fn layout(&self, id: &str) -> Layout {
        self.server(id).map(|s| s.layout).unwrap_or_default()
    }

    /// Whether a server is a PingOne realm.
    pub fn is_realm(&self, server: Option<&str>) -> bool {
        server.is_some_and(|id| self.layout(id) == Layout::Pingone)
    }

    /// The servers whose tokens `api` accepts: its audience is theirs, one of their
    /// resources, or one of their extra audiences.
    pub fn servers_for<'c>(&'c self, api: &'c Api) -> impl Iterator<Item = &'c AuthServer> + 'c {
        self.servers.iter().filter(|s| {
            s.audience == api.audience
                || s.resources.contains(&api.audience)
                || s.extra_audiences.contains(&api.audience)
        })
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
                    other => other,
                };
                format!("{}/{path}", self.issuer(server))
            }
            Some(id) => format!("{}/oauth2/{id}/v1/{name}", self.base_url),
        }
    }

    /// Which of this tenant's servers has this issuer.
    pub fn server_by_issuer(&self, iss: &str) -> Option<Option<String>> {
        if iss == self.issuer(None) {
            return Some(None);
        }
        self.servers
            .iter()
            .find(|s| self.issuer(Some(&s.id)) == iss)
            .map(|s| Some(s.id.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_configuration_prints_no_client_secret() {
        let c = Config::default();
        let debug = format!("{c:?}");
        for client in &c.clients {
            if let Some(secret) = &client.secret {
                assert!(
                    !debug.contains(secret.expose()),
                    "{} printed its secret",
                    client.id
                );
            }
        }
        assert!(c.clients.iter().any(|client| client.secret.is_some()));
        for vaulted in &c.vaulted {
            for value in vaulted
                .value
                .as_object()
                .into_iter()
                .flat_map(|o| o.values())
            {
                let value = value.as_str().unwrap_or_default();
                assert!(
                    value.len() < 4 || !debug.contains(value),
                    "{} printed {value}",
                    vaulted.orn
                );
            }
        }
        assert!(!c.vaulted.is_empty());
    }

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
            c.client(demo::AGENT).is_some(),
            "clients keep their defaults"
        );
        assert_eq!(
            c.server("files").unwrap().audience,
            "http://127.0.0.1:9400/api/files"
        );
    }

    #[test]
    fn unknown_keys_are_named() {
        let e = Config::from_toml("bogus_key = 1").unwrap_err().to_string();
        assert!(e.contains("bogus_key"), "{e}");
        let e = Config::from_toml("[[users]]\nid = \"x\"\nusername = \"x\"\nname = \"x\"\nemail = \"x\"\nnickname = \"y\"")
            .unwrap_err()
            .to_string();
        assert!(e.contains("nickname"), "{e}");
        assert!(Config::from_toml("users = 3").is_err());
    }

    #[test]
    fn printed_configuration_reads_back_the_same() {
        let c = Config::default();
        let text = c.to_toml().unwrap();
        assert_eq!(Config::from_toml(&text).unwrap(), c, "{text}");
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
