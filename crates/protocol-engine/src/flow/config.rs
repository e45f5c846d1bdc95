//! The configuration model every flow shares: its servers (issuer, how endpoints are found,
//! relay switch), its clients (per server: ID, authentication method, secret or key, the
//! assertion audience) and its step parameters. Presets fill it; the user can change any
//! field; saved configurations and share links serialise it.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Endpoint, Field, Registration, RoleKind, ServerRole};
use protocol_wire::endpoints::{
    okta_custom_issuer, okta_org, pingone_realm, Endpoints, ServerMetadata,
};
use protocol_wire::jwt::{Alg, AlgError};
use protocol_wire::maps::KeyMap;
use protocol_wire::request::{validate_url, UrlError};
use protocol_wire::secret::Secret;

/// A flow's whole configuration.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct FlowConfig {
    /// Servers by role key.
    pub servers: KeyMap<Server>,
    /// Clients by registration key.
    pub clients: KeyMap<Client>,
    /// Step parameters by field key.
    pub params: KeyMap<String>,
}

/// A configuration is read from JSON text by hand, through a `serde_json::Value`, which the
/// page reads anyway: the same members serde's derive writes, each checked for its type, and
/// what is missing left at its default. serde's derived readers of the configuration, its
/// servers and clients were about 10 KB of the page's first load.
impl<'de> Deserialize<'de> for FlowConfig {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        FlowConfig::from_json(&Value::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// Why a kept configuration cannot be read: which member, and what it should be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unreadable {
    /// A member of another JSON type than the one it is written as.
    WrongType {
        /// The member (a key of the configuration, or a field's name).
        member: String,
        /// What it should be ("a string").
        expected: &'static str,
    },
    /// A name no value has (`layout`, `auth`, `assertion_aud`).
    UnknownName {
        /// The member.
        member: &'static str,
        /// The name found.
        found: String,
        /// The names there are.
        expected: &'static [&'static str],
    },
    /// An RSA signing algorithm this app does not use.
    Alg(AlgError),
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unreadable::WrongType { member, expected } => {
                write!(f, "{member}: expected {expected}")
            }
            Unreadable::UnknownName {
                member,
                found,
                expected,
            } => {
                write!(f, "{member}: unknown variant `{found}`, expected one of ")?;
                for (i, name) in expected.iter().enumerate() {
                    write!(f, "{}`{name}`", if i == 0 { "" } else { ", " })?;
                }
                Ok(())
            }
            Unreadable::Alg(e) => write!(f, "rsa_alg: {e}"),
        }
    }
}

impl FlowConfig {
    fn from_json(json: &Value) -> Result<Self, Unreadable> {
        let json = Members::of(json, "the configuration")?;
        let mut config = FlowConfig::default();
        for (key, server) in json.entries("servers")? {
            let server = Members::of(server, key)?;
            config.servers.insert(
                key.clone(),
                Server {
                    issuer: server.string("issuer")?.into(),
                    layout: server.named("layout", Layout::from_name)?,
                    metadata: server
                        .get("metadata")
                        .map(|v| Members::of(v, "metadata").map(|_| ServerMetadata::members(v)))
                        .transpose()?,
                    relay: server.flag("relay")?,
                },
            );
        }
        for (key, client) in json.entries("clients")? {
            let client = Members::of(client, key)?;
            config.clients.insert(
                key.clone(),
                Client {
                    id: client.string("id")?.into(),
                    auth: client.named("auth", AuthMethod::from_name)?,
                    secret: Secret::new(client.string("secret")?),
                    key: Secret::new(client.string("key")?),
                    assertion_aud: client.named("assertion_aud", AssertionAud::from_name)?,
                    rsa_alg: client
                        .get("rsa_alg")
                        .map(|v| {
                            text(v, "rsa_alg").and_then(|a| Alg::parse(a).map_err(Unreadable::Alg))
                        })
                        .transpose()?,
                },
            );
        }
        for (key, value) in json.entries("params")? {
            config.params.insert(key.clone(), text(value, key)?.into());
        }
        Ok(config)
    }
}

/// The members of one JSON object, each read for its type; a missing or `null` member is
/// the member's default.
struct Members<'a>(&'a serde_json::Map<String, Value>);

impl<'a> Members<'a> {
    /// `value` as an object, or why not (`member` names it).
    fn of(value: &'a Value, member: &str) -> Result<Self, Unreadable> {
        value
            .as_object()
            .map(Members)
            .ok_or_else(|| Unreadable::WrongType {
                member: member.into(),
                expected: "an object",
            })
    }

    /// A member that is there and not `null`.
    fn get(&self, member: &str) -> Option<&'a Value> {
        self.0.get(member).filter(|v| !v.is_null())
    }

    /// A string member ("" when missing).
    fn string(&self, member: &str) -> Result<&'a str, Unreadable> {
        self.get(member).map_or(Ok(""), |v| text(v, member))
    }

    /// A boolean member (false when missing).
    fn flag(&self, member: &str) -> Result<bool, Unreadable> {
        self.get(member).map_or(Ok(false), |v| {
            v.as_bool().ok_or(Unreadable::WrongType {
                member: member.into(),
                expected: "true or false",
            })
        })
    }

    /// A member kept by name (`layout`, `auth`; its default when missing).
    fn named<T: Default>(
        &self,
        member: &'static str,
        from_name: fn(&'static str, &str) -> Result<T, Unreadable>,
    ) -> Result<T, Unreadable> {
        self.get(member)
            .map_or(Ok(T::default()), |v| from_name(member, text(v, member)?))
    }

    /// The entries of an object member (none when missing).
    fn entries(
        &self,
        member: &str,
    ) -> Result<impl Iterator<Item = (&'a String, &'a Value)>, Unreadable> {
        let inner = self
            .get(member)
            .map(|v| Members::of(v, member))
            .transpose()?;
        Ok(inner.into_iter().flat_map(|m| m.0.iter()))
    }
}

/// `value` as a string, or why not.
fn text<'a>(value: &'a Value, member: &str) -> Result<&'a str, Unreadable> {
    value.as_str().ok_or_else(|| Unreadable::WrongType {
        member: member.into(),
        expected: "a string",
    })
}

static NO_SERVER: Server = Server::empty();
static NO_CLIENT: Client = Client::empty();

impl FlowConfig {
    /// A server's settings (empty ones if it was never set).
    pub fn server(&self, role: &ServerRole) -> &Server {
        self.servers.get(role.key).unwrap_or(&NO_SERVER)
    }

    /// A server's settings, to change.
    pub fn server_mut(&mut self, role: &ServerRole) -> &mut Server {
        self.servers.get_or_default(role.key)
    }

    /// Sends a server's requests through the relay, and those of every other server on the
    /// same origin (an Okta org and its custom servers refuse browser calls alike).
    pub fn relay_origin_of(&mut self, role: &ServerRole) {
        let origin =
            protocol_wire::request::origin_of(self.server(role).issuer()).map(str::to_owned);
        self.server_mut(role).relay = true;
        for server in self.servers.values_mut() {
            if origin.is_some()
                && protocol_wire::request::origin_of(server.issuer()) == origin.as_deref()
            {
                server.relay = true;
            }
        }
    }

    /// A client's settings (empty ones if it was never set).
    pub fn client(&self, reg: &Registration) -> &Client {
        self.clients.get(reg.key).unwrap_or(&NO_CLIENT)
    }

    /// Teaches `known` this configuration's secrets: client secrets and private keys.
    pub fn learn_secrets(&self, known: &mut protocol_wire::mask::Known) {
        for c in self.clients.values() {
            known.learn(c.secret.expose());
            known.learn(c.key.expose());
        }
    }

    /// A client's settings, to change.
    pub fn client_mut(&mut self, reg: &Registration) -> &mut Client {
        self.clients.get_or_default(reg.key)
    }

    /// A parameter, trimmed ("" if unset).
    pub fn param(&self, field: &Field) -> &str {
        self.params.get(field.key).map_or("", |v| v.trim())
    }

    /// Sets a parameter (an empty value removes it).
    pub fn set_param(&mut self, field: &Field, value: impl Into<String>) {
        let value = value.into();
        if value.trim().is_empty() {
            self.params.remove(field.key);
        } else {
            self.params.insert(field.key.to_string(), value);
        }
    }

    /// Builder form of [`FlowConfig::set_param`], for presets.
    pub fn with(mut self, field: &Field, value: impl Into<String>) -> Self {
        self.set_param(field, value);
        self
    }

    /// Builder: a server's settings.
    pub fn with_server(mut self, role: &ServerRole, server: Server) -> Self {
        self.servers.insert(role.key.to_string(), server);
        self
    }

    /// Fills the secrets this configuration lacks from a demo preset, for clients that are
    /// the demo's (same client ID) while the servers are the demo's (a shared issuer): the
    /// demo's secrets are public, so a reload need not ask for them.
    pub fn refill_secrets_from(&mut self, demo: &FlowConfig) {
        let demo_issuers: Vec<&str> = demo
            .servers
            .values()
            .map(Server::issuer)
            .filter(|i| !i.is_empty())
            .collect();
        if !self
            .servers
            .values()
            .any(|s| demo_issuers.contains(&s.issuer()))
        {
            return;
        }
        for (key, d) in &demo.clients {
            let Some(c) = self.clients.get_mut(key) else {
                continue;
            };
            if c.id() != d.id() {
                continue;
            }
            if c.secret.is_empty() {
                c.secret = d.secret.clone();
            }
            if c.key.is_empty() {
                c.key = d.key.clone();
            }
        }
    }

    /// Fills this configuration's empty secrets from `other` where the client is the same
    /// (same registration, same client ID).
    pub fn fill_empty_secrets_from(&mut self, other: &FlowConfig) {
        for (key, o) in &other.clients {
            if let Some(c) = self.clients.get_mut(key).filter(|c| c.id() == o.id()) {
                if c.secret.is_empty() {
                    c.secret = o.secret.clone();
                }
                if c.key.is_empty() {
                    c.key = o.key.clone();
                }
            }
        }
    }

    /// The clients of `def` holding a secret or key of their own: set, and not the one any
    /// of `demos` (the demo presets) gives them. Those are lost when not remembered.
    pub fn own_secrets(&self, def: &super::FlowDef, demos: &[FlowConfig]) -> Vec<String> {
        def.clients
            .iter()
            .filter(|reg| {
                let c = self.client(reg);
                let from_demo = |d: &FlowConfig| {
                    let dc = d.client(reg);
                    (c.secret.is_empty() || c.secret == dc.secret)
                        && (c.key.is_empty() || c.key == dc.key)
                };
                (!c.secret.is_empty() || !c.key.is_empty()) && !demos.iter().any(from_demo)
            })
            .map(|reg| secret_label(self, reg))
            .collect()
    }

    /// The clients of `def` whose authentication needs a secret or a key that is not set.
    pub fn missing_secrets(&self, def: &super::FlowDef) -> Vec<String> {
        def.clients
            .iter()
            .filter(|reg| {
                let c = self.client(reg);
                match c.auth {
                    AuthMethod::ClientSecretBasic | AuthMethod::ClientSecretPost => {
                        c.secret.is_empty()
                    }
                    AuthMethod::PrivateKeyJwt => c.key.is_empty(),
                    AuthMethod::None => false,
                }
            })
            .map(|reg| secret_label(self, reg))
            .collect()
    }

    /// Builder: a client's settings.
    pub fn with_client(mut self, reg: &Registration, client: Client) -> Self {
        self.clients.insert(reg.key.to_string(), client);
        self
    }
}

/// Serde for a unit enum as one of its names (what serde's derive writes with `snake_case`),
/// read through a string: far less code in the page than the derive's.
macro_rules! serde_by_name {
    ($t:ty { $($v:ident = $n:literal),* $(,)? }) => {
        impl Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.name())
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let name = String::deserialize(d)?;
                <$t>::from_name(stringify!($t), &name).map_err(serde::de::Error::custom)
            }
        }
        impl $t {
            /// The name it is kept by (in JSON).
            fn name(self) -> &'static str {
                match self { $(Self::$v => $n),* }
            }

            /// The value of this name (as kept in JSON), read for `member`.
            fn from_name(member: &'static str, name: &str) -> Result<Self, Unreadable> {
                match name {
                    $($n => Ok(Self::$v),)*
                    other => Err(Unreadable::UnknownName {
                        member,
                        found: other.into(),
                        expected: &[$($n),*],
                    }),
                }
            }
        }
    };
}

serde_by_name!(Layout {
    Discovery = "discovery",
    OktaOrg = "okta_org",
    OktaCustom = "okta_custom",
    PingOneRealm = "ping_one_realm",
});

serde_by_name!(AuthMethod {
    None = "none",
    ClientSecretBasic = "client_secret_basic",
    ClientSecretPost = "client_secret_post",
    PrivateKeyJwt = "private_key_jwt",
});

serde_by_name!(AssertionAud {
    Endpoint = "endpoint",
    Issuer = "issuer",
});

/// How a server's endpoints are found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Layout {
    /// From its metadata (RFC 8414 / OpenID discovery): any standards-compliant server.
    #[default]
    Discovery,
    /// Okta's org authorization server: `{issuer}/oauth2/v1/...`.
    OktaOrg,
    /// An Okta custom authorization server: `{issuer}/v1/...` (issuer `{org}/oauth2/{id}`).
    OktaCustom,
    /// A PingOne Advanced Identity Cloud realm: `{issuer}/access_token`, `/tokeninfo`, ...
    PingOneRealm,
}

impl Layout {
    /// Every layout, in menu order.
    pub const ALL: [Layout; 4] = [
        Layout::Discovery,
        Layout::OktaOrg,
        Layout::OktaCustom,
        Layout::PingOneRealm,
    ];

    /// Menu label.
    pub fn label(self) -> &'static str {
        match self {
            Layout::Discovery => "Discovery (RFC 8414 / OpenID metadata): any server",
            Layout::OktaOrg => "Okta org authorization server ({issuer}/oauth2/v1/…)",
            Layout::OktaCustom => "Okta custom authorization server ({issuer}/v1/…)",
            Layout::PingOneRealm => "PingOne AIC realm ({issuer}/access_token, /tokeninfo)",
        }
    }

    /// Stable identifier: the name it is kept by.
    pub fn key(self) -> &'static str {
        self.name()
    }
}

/// One server's settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Server {
    /// An authorization server's issuer (exact string), or a resource's URL.
    pub issuer: String,
    /// How its endpoints are found.
    pub layout: Layout,
    /// What its metadata said, when it was read (for the issuer it was read for).
    pub metadata: Option<ServerMetadata>,
    /// Send its requests through the local relay.
    pub relay: bool,
}

impl Server {
    /// Settings with nothing set.
    pub const fn empty() -> Self {
        Self {
            issuer: String::new(),
            layout: Layout::Discovery,
            metadata: None,
            relay: false,
        }
    }

    /// A server at `issuer` laid out as `layout`.
    pub fn new(issuer: &str, layout: Layout) -> Self {
        Self {
            issuer: issuer.trim().trim_end_matches('/').to_string(),
            layout,
            ..Self::empty()
        }
    }

    /// What kind of server it is, given where the built-in and the local demo answer.
    pub fn kind(
        &self,
        built_in_demo: &str,
        local_demo: &str,
    ) -> protocol_wire::transport::ServerKind {
        protocol_wire::transport::ServerKind::of(
            self.issuer(),
            matches!(self.layout, Layout::OktaOrg | Layout::OktaCustom),
            built_in_demo,
            local_demo,
        )
    }

    /// The issuer, trimmed.
    pub fn issuer(&self) -> &str {
        self.issuer.trim()
    }

    /// The metadata, if it was read for the current issuer.
    pub fn current_metadata(&self) -> Option<&ServerMetadata> {
        self.metadata.as_ref().filter(|m| m.issuer == self.issuer())
    }

    /// The endpoints in use: the metadata's (when read for this issuer), else the layout's.
    pub fn endpoints(&self, role: &ServerRole) -> Result<Endpoints, ConfigError> {
        let issuer = self.issuer();
        if issuer.is_empty() {
            return Err(ConfigError::NoIssuer { server: role.label });
        }
        validate_url(issuer).map_err(|error| ConfigError::BadUrl {
            what: format!("the {}'s issuer", role.label),
            error,
        })?;
        if let Some(m) = self.current_metadata() {
            return Ok(Endpoints::from_metadata(m));
        }
        match (self.layout, &self.metadata) {
            (Layout::OktaOrg, _) => Ok(okta_org(issuer)),
            (Layout::OktaCustom, _) => Ok(okta_custom_issuer(issuer)),
            (Layout::PingOneRealm, _) => Ok(pingone_realm(issuer)),
            (Layout::Discovery, Some(m)) => Err(ConfigError::DiscoveryOutdated {
                server: role.label,
                read_for: m.issuer.clone(),
            }),
            (Layout::Discovery, None) => Err(ConfigError::NotDiscovered { server: role.label }),
        }
    }

    /// The URL of one endpoint (the resource URL itself for an API).
    pub fn url(&self, role: &ServerRole, endpoint: Endpoint) -> Result<String, ConfigError> {
        if role.kind == RoleKind::Resource || endpoint == Endpoint::Resource {
            let url = self.issuer();
            if url.is_empty() {
                return Err(ConfigError::NoIssuer { server: role.label });
            }
            validate_url(url).map_err(|error| ConfigError::BadUrl {
                what: format!("the {} URL", role.label),
                error,
            })?;
            return Ok(url.to_string());
        }
        let e = self.endpoints(role)?;
        let url = match endpoint {
            Endpoint::Authorize => e.authorize,
            Endpoint::Token => e.token,
            Endpoint::Introspect => e.introspect,
            Endpoint::Revoke => e.revoke,
            Endpoint::Info => e.info,
            Endpoint::Resource => unreachable!("handled above"),
        };
        if url.is_empty() {
            return Err(ConfigError::NoEndpoint {
                server: role.label,
                endpoint,
            });
        }
        Ok(url)
    }
}

/// How a client authenticates at a token, introspection or revocation endpoint.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AuthMethod {
    /// A public client: `client_id` in the body.
    #[default]
    None,
    /// `Authorization: Basic` with the client secret.
    ClientSecretBasic,
    /// `client_id` and `client_secret` in the body.
    ClientSecretPost,
    /// A JWT assertion signed with the client's private key (in this browser).
    PrivateKeyJwt,
}

impl AuthMethod {
    /// Every method, in menu order.
    pub const ALL: [AuthMethod; 4] = [
        AuthMethod::None,
        AuthMethod::ClientSecretBasic,
        AuthMethod::ClientSecretPost,
        AuthMethod::PrivateKeyJwt,
    ];

    /// The name metadata uses (`client_secret_basic`).
    pub fn key(self) -> &'static str {
        self.name()
    }

    /// Parses a metadata name.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::from_name("auth", key).ok()
    }
}

/// What a `private_key_jwt` assertion names as its `aud`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AssertionAud {
    /// The exact URL the request is sent to (what Okta requires).
    #[default]
    Endpoint,
    /// The authorization server's issuer (RFC 7523bis and newer guidance).
    Issuer,
}

/// A client's registration at one server.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Client {
    /// The client ID at that server.
    pub id: String,
    /// How it authenticates.
    pub auth: AuthMethod,
    /// The client secret (`client_secret_basic` / `client_secret_post`).
    pub secret: Secret,
    /// The private key, JWK or PEM (`private_key_jwt`); never leaves the browser.
    pub key: Secret,
    /// The assertion's `aud`.
    pub assertion_aud: AssertionAud,
    /// The signing algorithm for an RSA key (RS256 or PS256); EC keys sign ES256.
    pub rsa_alg: Option<Alg>,
}

impl Client {
    /// Settings with nothing set.
    pub const fn empty() -> Self {
        Self {
            id: String::new(),
            auth: AuthMethod::None,
            secret: Secret::empty(),
            key: Secret::empty(),
            assertion_aud: AssertionAud::Endpoint,
            rsa_alg: None,
        }
    }

    /// A public client.
    pub fn public(id: &str) -> Self {
        Self {
            id: id.into(),
            ..Self::empty()
        }
    }

    /// A client that authenticates with a secret.
    pub fn with_secret(id: &str, method: AuthMethod, secret: &str) -> Self {
        Self {
            id: id.into(),
            auth: method,
            secret: secret.into(),
            ..Self::empty()
        }
    }

    /// A client that signs assertions with `key`.
    pub fn with_key(id: &str, key: &str) -> Self {
        Self {
            id: id.into(),
            auth: AuthMethod::PrivateKeyJwt,
            key: key.into(),
            ..Self::empty()
        }
    }

    /// The client ID, trimmed.
    pub fn id(&self) -> &str {
        self.id.trim()
    }
}

/// "the AI agent's private key": what a client's credential is called.
fn secret_label(config: &FlowConfig, reg: &Registration) -> String {
    let what = if config.client(reg).auth == AuthMethod::PrivateKeyJwt {
        "private key"
    } else {
        "client secret"
    };
    format!("{}'s {what}", reg.label)
}

/// Why a request cannot be built from the configuration; each says what to change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// A server has no issuer (or URL).
    NoIssuer {
        /// The server's label.
        server: &'static str,
    },
    /// A URL is not usable.
    BadUrl {
        /// Which URL.
        what: String,
        /// Why.
        error: UrlError,
    },
    /// A server found by discovery has not been discovered yet.
    NotDiscovered {
        /// The server's label.
        server: &'static str,
    },
    /// Discovery ran for another issuer than the one now configured.
    DiscoveryOutdated {
        /// The server's label.
        server: &'static str,
        /// The issuer the metadata was read for.
        read_for: String,
    },
    /// The server does not list this endpoint.
    NoEndpoint {
        /// The server's label.
        server: &'static str,
        /// The endpoint.
        endpoint: Endpoint,
    },
    /// A client has no client ID.
    NoClientId {
        /// The client's label.
        client: &'static str,
    },
    /// A client that authenticates with a secret has none.
    NoSecret {
        /// The client's label.
        client: &'static str,
    },
    /// A client that signs assertions has no key.
    NoKey {
        /// The client's label.
        client: &'static str,
    },
    /// A parameter is malformed.
    BadParam {
        /// The field's label.
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::NoIssuer { server } => write!(f, "The {server} has no issuer URL. Set it in Configuration, or pick a preset."),
            ConfigError::BadUrl { what, error } => write!(f, "{} is not usable: {error}", protocol_wire::text::capitalize(what)),
            ConfigError::NotDiscovered { server } => write!(f, "The {server} is found by discovery, and its metadata has not been read yet. Press Discover in Configuration (or choose Okta or PingOne paths)."),
            ConfigError::DiscoveryOutdated { server, read_for } => write!(f, "The {server}'s metadata was read for {read_for}, not for the issuer now configured. Press Discover again."),
            ConfigError::NoEndpoint { server, endpoint } => write!(f, "The {server}'s metadata lists no {}, so this step cannot run against it.", endpoint.name()),
            ConfigError::NoClientId { client } => write!(f, "The {client} has no client ID. Set it in Configuration."),
            ConfigError::NoSecret { client } => write!(f, "The {client} authenticates with a client secret, and none is set. Paste it in Configuration."),
            ConfigError::NoKey { client } => write!(f, "The {client} signs client assertions, and it has no private key. Paste or generate one in Configuration."),
            ConfigError::BadParam { field, reason } => write!(f, "{field}: {reason}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_configuration_reads_back_as_written_with_every_member_set() {
        let mut c = FlowConfig::default();
        c.servers.insert(
            "idp".into(),
            Server {
                issuer: "https://acme.okta.com".into(),
                layout: Layout::OktaCustom,
                metadata: Some(ServerMetadata {
                    issuer: "https://acme.okta.com".into(),
                    token_endpoint: Some("https://acme.okta.com/token".into()),
                    scopes_supported: vec!["openid".into()],
                    source: "https://acme.okta.com/.well-known/openid-configuration".into(),
                    ..Default::default()
                }),
                relay: true,
            },
        );
        c.servers.insert(
            "api".into(),
            Server::new("https://api.example", Layout::Discovery),
        );
        c.clients.insert(
            "agent".into(),
            Client {
                id: "wlp-agent".into(),
                auth: AuthMethod::PrivateKeyJwt,
                secret: Secret::new("s3cret"),
                key: Secret::new("{\"kty\":\"RSA\"}"),
                assertion_aud: AssertionAud::Issuer,
                rsa_alg: Some(Alg::PS256),
            },
        );
        c.clients.insert("app".into(), Client::default());
        c.params.insert("scope".into(), "files.read openid".into());
        let text = serde_json::to_string(&c).unwrap();
        assert_eq!(
            serde_json::from_str::<FlowConfig>(&text).unwrap(),
            c,
            "{text}"
        );
        // What is missing stays at its default; null is missing.
        let partial: FlowConfig = serde_json::from_str(
            r#"{"servers":{"idp":{"issuer":"https://as.example","metadata":null}},"params":null}"#,
        )
        .unwrap();
        assert_eq!(
            partial.servers.get("idp").unwrap().layout,
            Layout::Discovery
        );
        assert!(partial.clients.is_empty() && partial.params.is_empty());
    }

    #[test]
    fn a_member_of_the_wrong_type_is_named() {
        let e = |json: &str| {
            serde_json::from_str::<FlowConfig>(json)
                .unwrap_err()
                .to_string()
        };
        assert!(
            e(r#"{"servers":{"idp":{"relay":"yes"}}}"#).contains("relay: expected true or false")
        );
        assert!(e(r#"{"clients":{"app":{"auth":"basic"}}}"#).contains("unknown variant `basic`"));
        assert!(e(r#"{"clients":{"app":{"rsa_alg":"HS256"}}}"#).contains("rsa_alg"));
        assert!(e(r#"{"params":{"scope":3}}"#).contains("scope: expected a string"));
        assert!(e(r#"{"servers":[]}"#).contains("servers: expected an object"));
        assert!(
            e(r#"{"servers":{"idp":{"metadata":"x"}}}"#).contains("metadata: expected an object")
        );
        assert!(e(r#"[]"#).contains("the configuration: expected an object"));
    }

    #[test]
    fn enums_are_kept_by_their_snake_case_names() {
        let names = |v: &[String]| v.join(",");
        let layouts: Vec<String> = Layout::ALL
            .iter()
            .map(|l| serde_json::to_string(l).unwrap())
            .collect();
        assert_eq!(
            names(&layouts),
            r#""discovery","okta_org","okta_custom","ping_one_realm""#
        );
        let methods: Vec<String> = AuthMethod::ALL
            .iter()
            .map(|m| serde_json::to_string(m).unwrap())
            .collect();
        assert_eq!(
            names(&methods),
            r#""none","client_secret_basic","client_secret_post","private_key_jwt""#
        );
        for m in AuthMethod::ALL {
            let text = serde_json::to_string(&m).unwrap();
            assert_eq!(serde_json::from_str::<AuthMethod>(&text).unwrap(), m);
            assert_eq!(text, format!("\"{}\"", m.key()));
        }
        for l in Layout::ALL {
            assert_eq!(
                serde_json::from_str::<Layout>(&serde_json::to_string(&l).unwrap()).unwrap(),
                l
            );
        }
        assert_eq!(
            serde_json::from_str::<AssertionAud>(r#""issuer""#).unwrap(),
            AssertionAud::Issuer
        );
        let e = serde_json::from_str::<Layout>(r#""okta""#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown variant `okta`"), "{e}");
    }

    const AS: ServerRole = ServerRole {
        key: "as",
        label: "resource authorization server",
        kind: RoleKind::AuthorizationServer,
        issued_by: None,
    };

    #[test]
    fn endpoints_follow_the_layout_until_metadata_is_read() {
        let mut s = Server::new("https://acme.okta.com/oauth2/aus1/", Layout::OktaCustom);
        assert_eq!(
            s.url(&AS, Endpoint::Token).unwrap(),
            "https://acme.okta.com/oauth2/aus1/v1/token"
        );
        s.layout = Layout::Discovery;
        assert_eq!(
            s.url(&AS, Endpoint::Token).unwrap_err(),
            ConfigError::NotDiscovered { server: AS.label }
        );
        s.metadata = Some(ServerMetadata {
            issuer: "https://acme.okta.com/oauth2/aus1".into(),
            token_endpoint: Some("https://login.example/token".into()),
            ..Default::default()
        });
        assert_eq!(
            s.url(&AS, Endpoint::Token).unwrap(),
            "https://login.example/token"
        );
        assert!(matches!(
            s.url(&AS, Endpoint::Revoke).unwrap_err(),
            ConfigError::NoEndpoint { .. }
        ));
        // A change of issuer invalidates what was discovered.
        s.issuer = "https://other.example".into();
        let e = s.url(&AS, Endpoint::Token).unwrap_err();
        assert!(e.to_string().contains("Discover again"), "{e}");
    }

    #[test]
    fn params_trim_and_empty_removes() {
        const F: Field = Field {
            key: "scope",
            label: "Scope",
            kind: super::super::FieldKind::Scopes(None),
            help: "",
        };
        let mut c = FlowConfig::default().with(&F, " a b ");
        assert_eq!(c.param(&F), "a b");
        c.set_param(&F, "  ");
        assert!(c.params.is_empty());
    }

    #[test]
    fn a_server_is_a_demo_only_below_its_url() {
        use protocol_wire::transport::ServerKind;
        let kind = |issuer: &str, layout| {
            Server::new(issuer, layout).kind(
                "https://docs.example/play/demo-tenant",
                "http://127.0.0.1:9400",
            )
        };
        let g = Layout::Discovery;
        assert_eq!(
            kind("https://docs.example/play/demo-tenant/oauth2/x", g),
            ServerKind::BuiltInDemo
        );
        assert_eq!(
            kind("https://docs.example/play/demo-tenant-evil", g),
            ServerKind::Other
        );
        assert_eq!(kind("http://127.0.0.1:9400", g), ServerKind::LocalDemo);
        assert_eq!(kind("http://127.0.0.1:94001", g), ServerKind::Other);
        assert_eq!(
            kind("https://acme.okta.com/oauth2/default", g),
            ServerKind::Okta
        );
        assert_eq!(
            kind("https://idp.example", Layout::OktaCustom),
            ServerKind::Okta
        );
        assert_eq!(kind("https://idp.example", g), ServerKind::Other);
    }
}
