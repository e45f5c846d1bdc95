//! How a flow is declared: a table of steps in phases. The same table drives the browser's
//! runner, the cards, and the native run against the demo tenant.
//!
//! A step names the values it needs and produces ([`Output`]), the server and endpoint it
//! talks to ([`Target`]), the client that authenticates ([`Registration`]), the parameters
//! shown on its card ([`Field`]), **one** request builder used both for the preview and for
//! Send, and one reader that turns the response into an outcome.

pub mod config;
pub mod context;
pub mod outcome;
pub mod state;
pub mod texts;

pub use config::{AssertionAud, AuthMethod, Client, ConfigError, FlowConfig, Layout, Server};
pub use context::{Command, Ctx, SigningJob};
pub use state::{FlowState, StepStatus};

pub use outcome::StepOutcome;
use protocol_wire::request::HttpRequest;
use protocol_wire::response::HttpCapture;

/// A value a step produces and later steps consume (a token, an API answer, a marker).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Output {
    /// Stable identifier within a flow.
    pub key: &'static str,
    /// How people call it ("ID-JAG", "user ID token").
    pub label: &'static str,
    /// What a pasted value must look like.
    pub kind: OutputKind,
}

/// The shape of an [`Output`], for validating values pasted by the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OutputKind {
    /// An OpenID Connect ID token (a JWT with `iss`, `sub`, `aud`, `exp`).
    IdToken,
    /// An access token (opaque or JWT).
    AccessToken,
    /// A refresh token (opaque).
    RefreshToken,
    /// An ID-JAG (a JWT typed `oauth-id-jag+jwt`).
    IdJag,
    /// A JSON answer kept for the record.
    Json,
    /// Something happened (a revocation); no useful value.
    Marker,
}

impl OutputKind {
    /// Whether a value of this kind is a credential (masked until revealed).
    pub fn is_secret(self) -> bool {
        !matches!(self, OutputKind::Json | OutputKind::Marker)
    }
}

/// A parameter shown on a card and in the Configuration tab (`scope`, `audience`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    /// Stable identifier within a flow (storage key; `name` attribute of the input).
    pub key: &'static str,
    /// Label.
    pub label: &'static str,
    /// Input kind.
    pub kind: FieldKind,
    /// One line of help (what the server does with it, which spec).
    pub help: &'static str,
}

/// How a [`Field`] is edited and validated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// Free text; empty means "not sent".
    Text,
    /// An absolute http(s) URL.
    Url,
    /// Space-separated scopes; "Load scopes" offers those a server's metadata lists.
    Scopes(Option<&'static ServerRole>),
    /// Space-separated scopes that "Load scopes" offers only once another field names the
    /// server they are asked of.
    ScopesOf(&'static ScopeSource),
    /// One or more URIs, space-separated (repeated parameters such as `resource`).
    Uris,
    /// One of fixed choices: (stored value, label).
    Choice(&'static [(&'static str, &'static str)]),
    /// Multi-line text (a JSON body, extra headers `Name: value` one per line).
    Multiline,
}

impl FieldKind {
    /// Why `value` is not acceptable, if it is not (empty values are always acceptable: they
    /// are not sent).
    pub fn problem(self, value: &str) -> Option<String> {
        let v = value.trim();
        if v.is_empty() {
            return None;
        }
        match self {
            FieldKind::Url => protocol_wire::request::validate_url(v).err().map(|e| e.to_string()),
            FieldKind::Uris => v.split_whitespace().find(|u| !is_absolute_uri(u)).map(|u| {
                format!("{u:?} is not an absolute URI (RFC 8707 needs one, such as https://api.example/files)")
            }),
            FieldKind::Scopes(_) | FieldKind::ScopesOf(_) => v
                .chars()
                .find(|c| c.is_control() || *c == '"' || *c == '\\')
                .map(|c| format!("{c:?} cannot appear in a scope (RFC 6749 3.3)")),
            FieldKind::Multiline | FieldKind::Text | FieldKind::Choice(_) => None,
        }
    }
}

/// Where a scope field's "Load scopes" reads its list, and what it waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScopeSource {
    /// The server whose metadata lists the scopes.
    pub server: &'static ServerRole,
    /// The field that must be set before scopes are loaded (the audience they are for).
    pub after: &'static Field,
    /// What is said while it is empty.
    pub missing: &'static str,
}

impl FieldKind {
    /// The server a scope field loads its scopes from, and the field that must be set first.
    pub fn scope_source(self) -> Option<(&'static ServerRole, Option<&'static ScopeSource>)> {
        match self {
            FieldKind::Scopes(Some(role)) => Some((role, None)),
            FieldKind::ScopesOf(src) => Some((src.server, Some(src))),
            _ => None,
        }
    }
}

/// `scheme:rest` with a valid scheme (RFC 3986 3.1).
fn is_absolute_uri(u: &str) -> bool {
    match u.split_once(':') {
        Some((scheme, rest)) => {
            !rest.is_empty()
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

/// A server a flow talks to: an authorization server, or a resource (API).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServerRole {
    /// Stable identifier within a flow.
    pub key: &'static str,
    /// How the cards and the form name it.
    pub label: &'static str,
    /// Authorization server or resource.
    pub kind: RoleKind,
    /// For a resource: the authorization server whose tokens it accepts (RFC 9728 discovery
    /// fills that server's issuer).
    pub issued_by: Option<&'static ServerRole>,
}

/// What a [`ServerRole`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoleKind {
    /// An OAuth authorization server (issuer, metadata, token endpoint...).
    AuthorizationServer,
    /// A protected resource (an API URL; RFC 9728 metadata may name its server).
    Resource,
}

/// A client registered at a server: the same agent may have another client ID and another
/// authentication method at each server it talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Registration {
    /// Stable identifier within a flow.
    pub key: &'static str,
    /// Who the client is ("AI agent", "Client app (SPA)").
    pub label: &'static str,
    /// Where it is registered.
    pub server: &'static ServerRole,
}

/// Who acts in a step, shown as a badge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor {
    /// Badge text ("CLIENT APP", "AI Agent").
    pub label: &'static str,
    /// Badge style.
    pub kind: ActorKind,
}

/// Styles of [`Actor`] badges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActorKind {
    /// The app the user uses, or an initiating client.
    Client,
    /// An AI agent.
    Agent,
    /// A backend service.
    Service,
}

/// Which endpoint of a server a step calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// The authorization endpoint (navigated to, never fetched).
    Authorize,
    /// The token endpoint.
    Token,
    /// RFC 7662 introspection.
    Introspect,
    /// RFC 7009 revocation.
    Revoke,
    /// UserInfo, or PingOne's `tokeninfo`.
    Info,
    /// The resource itself (an API URL).
    Resource,
}

impl Endpoint {
    /// The endpoint's name as in metadata documents and cards.
    pub fn name(self) -> &'static str {
        match self {
            Endpoint::Authorize => "authorization endpoint",
            Endpoint::Token => "token endpoint",
            Endpoint::Introspect => "introspection endpoint",
            Endpoint::Revoke => "revocation endpoint",
            Endpoint::Info => "token info endpoint",
            Endpoint::Resource => "API",
        }
    }
}

/// The server and endpoint a step talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target {
    /// The server (its relay switch, endpoints and label apply).
    pub server: &'static ServerRole,
    /// The endpoint.
    pub endpoint: Endpoint,
}

/// Builds a step's request from its context (placeholders in a preview).
pub type Build = fn(&Ctx) -> Result<HttpRequest, ConfigError>;
/// Turns the response into the step's outcome.
pub type Read = fn(&Ctx, &HttpCapture) -> StepOutcome;
/// A flow's readers, by step id: declared in the flow's module beside its [`FlowDef`] but apart
/// from it, so that showing a flow (the page's first load) does not carry the code that reads
/// answers; the runner asks for them (`flows::readers` for the catalogue's flows).
pub type Readers = fn(&str) -> Option<Read>;

/// What a step does when its action button is pressed.
#[derive(Clone, Copy)]
pub enum Action {
    /// The user signs in (authorization code + PKCE): authorize, then the code exchange.
    SignIn,
    /// One HTTP request: built by `build`, its answer judged by the flow's reader for the
    /// step (see [`Readers`]).
    Request {
        /// The request builder (the same for the preview and for Send).
        build: Build,
    },
}

/// One step of a flow.
#[derive(Clone, Copy)]
pub struct Step {
    /// Stable identifier within the flow (`data-step-id`, tests find cards by it).
    pub id: &'static str,
    /// Who acts.
    pub actor: Actor,
    /// Card title.
    pub title: &'static str,
    /// Card description.
    pub description: &'static str,
    /// Label of the card's main action.
    pub action_label: &'static str,
    /// Whether the flow is complete without it.
    pub optional: bool,
    /// Values that must exist before the step can run (may depend on the configuration,
    /// e.g. which of the user's tokens is the subject).
    pub needs: fn(&FlowConfig) -> &'static [Output],
    /// Values a successful run produces.
    pub produces: &'static [Output],
    /// The server and endpoint.
    pub target: Target,
    /// The client that authenticates (token, introspection, revocation), if any.
    pub client: Option<&'static Registration>,
    /// Parameters shown on the card.
    pub fields: &'static [&'static Field],
    /// Whether the step applies to this configuration (e.g. only for one resource type).
    pub when: fn(&FlowConfig) -> bool,
    /// Short notes shown on the card (corrections, vendor differences).
    pub notes: &'static [&'static str],
    /// What the action does.
    pub action: Action,
}

/// Steps are the same when their ids are (ids are unique within a flow).
impl PartialEq for Step {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

/// A group of steps with a heading, as on the source page.
#[derive(Clone, Copy)]
pub struct Phase {
    /// "Phase 1 — User Authentication".
    pub title: &'static str,
    /// What happens in it.
    pub description: &'static str,
    /// Its steps.
    pub steps: &'static [Step],
}

/// Which preset a configuration starts from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PresetKind {
    /// The demo tenant running inside this browser (service worker).
    BuiltInDemo,
    /// The native demo tenant started by `./run`.
    LocalDemo,
    /// A real Okta org (fill in the blanks).
    Okta,
    /// A real PingOne Advanced Identity Cloud tenant.
    PingOne,
    /// Any standards-compliant server, found by discovery.
    Generic,
}

impl PresetKind {
    /// Every preset, in menu order.
    pub const ALL: [PresetKind; 5] = [
        PresetKind::BuiltInDemo,
        PresetKind::LocalDemo,
        PresetKind::Okta,
        PresetKind::PingOne,
        PresetKind::Generic,
    ];

    /// Menu label.
    pub fn label(self) -> &'static str {
        match self {
            PresetKind::BuiltInDemo => "Built-in demo (in this browser)",
            PresetKind::LocalDemo => "Local demo tenant (./run)",
            PresetKind::Okta => "Okta org",
            PresetKind::PingOne => "PingOne Advanced Identity Cloud",
            PresetKind::Generic => "Generic (discovery)",
        }
    }

    /// Stable identifier (storage, share links).
    pub fn key(self) -> &'static str {
        match self {
            PresetKind::BuiltInDemo => "builtin",
            PresetKind::LocalDemo => "local",
            PresetKind::Okta => "okta",
            PresetKind::PingOne => "pingone",
            PresetKind::Generic => "generic",
        }
    }
}

/// What a preset needs to know about where the page runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PresetEnv {
    /// The demo tenant's org URL (built-in or local, depending on the preset).
    pub demo_org: String,
    /// This page's URL: the redirect URI.
    pub redirect_uri: String,
}

/// A flow, declared once.
pub struct FlowDef {
    /// Stable identifier (`agentic`); the URL fragment is `#/{id}`.
    pub id: &'static str,
    /// Picker label.
    pub label: &'static str,
    /// Page title.
    pub title: &'static str,
    /// Page subtitle.
    pub subtitle: &'static str,
    /// The servers it talks to, in form order.
    pub servers: &'static [&'static ServerRole],
    /// The clients it authenticates as, in form order.
    pub clients: &'static [&'static Registration],
    /// Its phases and steps.
    pub phases: &'static [Phase],
    /// The presets it offers and how each fills the configuration.
    pub preset: fn(PresetKind, &PresetEnv) -> Option<FlowConfig>,
}

impl FlowDef {
    /// The URL fragment (`#/agentic`).
    pub fn hash(&self) -> String {
        format!("#/{}", self.id)
    }

    /// Every step, in order, whether it applies or not.
    pub fn all_steps(&self) -> impl Iterator<Item = &'static Step> + '_ {
        self.phases.iter().flat_map(|p| p.steps.iter())
    }

    /// The steps that apply to `config`, in order: their position is their number (1-based).
    pub fn steps(&self, config: &FlowConfig) -> Vec<&'static Step> {
        self.all_steps().filter(|s| (s.when)(config)).collect()
    }

    /// A step by id.
    pub fn step(&self, id: &str) -> Option<&'static Step> {
        self.all_steps().find(|s| s.id == id)
    }

    /// The 1-based number of a step in `config`, if it applies.
    pub fn number(&self, config: &FlowConfig, id: &str) -> Option<usize> {
        self.steps(config)
            .iter()
            .position(|s| s.id == id)
            .map(|i| i + 1)
    }

    /// The step that produces `output` in `config` (the first that applies).
    pub fn producer(&self, config: &FlowConfig, output: Output) -> Option<&'static Step> {
        self.steps(config)
            .into_iter()
            .find(|s| s.produces.contains(&output))
    }

    /// Every field of the flow, once, in step order.
    pub fn fields(&self) -> Vec<&'static Field> {
        let mut out: Vec<&'static Field> = Vec::new();
        for f in self.all_steps().flat_map(|s| s.fields.iter().copied()) {
            if !out.iter().any(|o| o.key == f.key) {
                out.push(f);
            }
        }
        out
    }

    /// The configuration of a preset, if the flow offers it.
    pub fn preset(&self, kind: PresetKind, env: &PresetEnv) -> Option<FlowConfig> {
        (self.preset)(kind, env)
    }
}

/// `needs: needs![A, B]`: a step that always needs these values.
#[macro_export]
macro_rules! needs {
    ($($o:expr),* $(,)?) => {{
        fn f(_: &$crate::flow::FlowConfig) -> &'static [$crate::flow::Output] {
            &[$($o),*]
        }
        f as fn(&$crate::flow::FlowConfig) -> &'static [$crate::flow::Output]
    }};
}

/// A step that applies to every configuration.
pub fn every(_: &FlowConfig) -> bool {
    true
}
