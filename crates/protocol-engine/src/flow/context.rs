//! What a step's builder and reader see: the configuration, the values so far, and whether
//! this is a preview (placeholders stand in for missing values and the assertion) or the
//! request that is sent. One builder serves both, so the cURL shown is the request sent.

use serde_json::Value;

use super::{AssertionAud, AuthMethod};
use super::{ConfigError, Endpoint, Field, FlowConfig, FlowDef, FlowState, Output};
use super::{Registration, ServerRole, Step};
use protocol_wire::client_auth::{assertion_claims, ClientAuth};
use protocol_wire::jwt::{Alg, UnsignedJwt};
use protocol_wire::request::HttpRequest;
use protocol_wire::secret::Secret;

/// The placeholder shown for the client assertion in a preview.
pub const ASSERTION_PLACEHOLDER: &str =
    "{client assertion, signed in this browser when you press Send}";
/// How long a client assertion lives (seconds); it is also single-use.
pub const ASSERTION_LIFETIME_SECS: i64 = 60;

/// A step's view of the flow.
pub struct Ctx<'a> {
    /// The flow.
    pub flow: &'static FlowDef,
    /// The step being built or read.
    pub step: &'static Step,
    /// The configuration.
    pub config: &'a FlowConfig,
    /// Values produced so far.
    pub state: &'a FlowState,
    /// Current time (seconds).
    pub now: i64,
    assertion: Option<&'a str>,
}

impl<'a> Ctx<'a> {
    /// A preview: missing values and the assertion are placeholders.
    pub fn preview(
        flow: &'static FlowDef,
        step: &'static Step,
        config: &'a FlowConfig,
        state: &'a FlowState,
        now: i64,
    ) -> Self {
        Self {
            flow,
            step,
            config,
            state,
            now,
            assertion: None,
        }
    }

    /// The request to send, with the signed assertion (if the client signs one).
    pub fn sending(self, assertion: Option<&'a str>) -> Self {
        Self { assertion, ..self }
    }

    /// A parameter of this step (trimmed, "" if unset).
    pub fn param(&self, field: &Field) -> &str {
        self.config.param(field)
    }

    /// Whether a value exists.
    pub fn has(&self, output: Output) -> bool {
        self.state.get(output).is_some()
    }

    /// A value, or a placeholder naming where it will come from (`{ID-JAG from step 2}`).
    pub fn value(&self, output: Output) -> String {
        match self.state.get(output) {
            Some(v) => v.expose().to_string(),
            None => format!("{{{} from {}}}", output.label, self.origin(output)),
        }
    }

    /// Where a value comes from: `step 2`, or `Configuration`.
    pub fn origin(&self, output: Output) -> String {
        match self.flow.producer(self.config, output) {
            Some(s) => match self.flow.number(self.config, s.id) {
                Some(n) => format!("step {n}"),
                None => "an earlier step".into(),
            },
            None => "Configuration".into(),
        }
    }

    /// A server's settings.
    pub fn server(&self, role: &ServerRole) -> &super::Server {
        self.config.server(role)
    }

    /// A client's settings.
    pub fn client(&self, reg: &Registration) -> &super::Client {
        self.config.client(reg)
    }

    /// The URL this step sends to.
    pub fn url(&self) -> Result<String, ConfigError> {
        let t = self.step.target;
        self.config.server(t.server).url(t.server, t.endpoint)
    }

    /// Another endpoint of a server (the authorize URL of a sign-in, ...).
    pub fn url_of(&self, role: &ServerRole, endpoint: Endpoint) -> Result<String, ConfigError> {
        self.config.server(role).url(role, endpoint)
    }

    /// The client authentication this step sends: the assertion itself when sending, a
    /// placeholder in a preview.
    pub fn client_auth(&self) -> Result<ClientAuth, ConfigError> {
        let Some(reg) = self.step.client else {
            return Err(ConfigError::BadParam {
                field: "client",
                reason: "this step does not authenticate a client".into(),
            });
        };
        client_auth_for(self.config, reg, self.assertion)
    }

    /// The client ID this step authenticates as ("" if none).
    pub fn client_id(&self) -> &str {
        self.step
            .client
            .map_or("", |reg| self.config.client(reg).id())
    }
}

/// The authentication of the client `reg` (with `assertion`, or a placeholder).
pub fn client_auth_for(
    config: &FlowConfig,
    reg: &'static Registration,
    assertion: Option<&str>,
) -> Result<ClientAuth, ConfigError> {
    let c = config.client(reg);
    if c.id().is_empty() {
        return Err(ConfigError::NoClientId { client: reg.label });
    }
    let id = c.id().to_string();
    match c.auth {
        AuthMethod::None => Ok(ClientAuth::None { client_id: id }),
        AuthMethod::ClientSecretBasic | AuthMethod::ClientSecretPost if c.secret.is_empty() => {
            Err(ConfigError::NoSecret { client: reg.label })
        }
        AuthMethod::ClientSecretBasic => Ok(ClientAuth::SecretBasic {
            client_id: id,
            client_secret: c.secret.clone(),
        }),
        AuthMethod::ClientSecretPost => Ok(ClientAuth::SecretPost {
            client_id: id,
            client_secret: c.secret.clone(),
        }),
        AuthMethod::PrivateKeyJwt if c.key.is_empty() => {
            Err(ConfigError::NoKey { client: reg.label })
        }
        AuthMethod::PrivateKeyJwt => Ok(ClientAuth::PrivateKeyJwt {
            client_id: None,
            assertion: assertion.unwrap_or(ASSERTION_PLACEHOLDER).into(),
        }),
    }
}

/// A client assertion to sign before sending: which key, and the claims.
#[derive(Clone, Debug, PartialEq)]
pub struct SigningJob {
    /// The private key (JWK or PEM).
    pub key: Secret,
    /// For an RSA key: RS256 (default) or PS256.
    pub rsa_alg: Option<Alg>,
    /// `iss` = `sub`.
    pub client_id: String,
    /// `aud`: the endpoint URL or the issuer, as the client is configured.
    pub aud: String,
}

impl SigningJob {
    /// The unsigned assertion for a key of algorithm `alg` and id `kid`.
    pub fn unsigned(&self, alg: Alg, kid: &str, now: i64, jti: &str) -> UnsignedJwt {
        UnsignedJwt::new(
            alg,
            "JWT",
            Some(kid),
            assertion_claims(
                &self.client_id,
                &self.aud,
                now,
                ASSERTION_LIFETIME_SECS,
                jti,
            ),
        )
    }
}

/// The assertion the step's client must sign, if it authenticates with `private_key_jwt`.
pub fn signing_job(ctx: &Ctx) -> Result<Option<SigningJob>, ConfigError> {
    let Some(reg) = ctx.step.client else {
        return Ok(None);
    };
    let c = ctx.config.client(reg);
    if c.auth != AuthMethod::PrivateKeyJwt {
        return Ok(None);
    }
    if c.key.is_empty() {
        return Err(ConfigError::NoKey { client: reg.label });
    }
    let aud = match c.assertion_aud {
        AssertionAud::Endpoint => ctx.url()?,
        // The issuer of the server the request goes to: its endpoints come from this
        // issuer's layout or metadata, so the assertion cannot be replayed elsewhere.
        AssertionAud::Issuer => ctx.config.server(reg.server).issuer().to_string(),
    };
    Ok(Some(SigningJob {
        key: c.key.clone(),
        rsa_alg: c.rsa_alg,
        client_id: c.id().to_string(),
        aud,
    }))
}

/// A request shown on a card.
#[derive(Clone, Debug, PartialEq)]
pub struct Command {
    /// What it is ("Token exchange for an ID-JAG (RFC 8693)").
    pub caption: String,
    /// The request.
    pub request: HttpRequest,
    /// Shown as a browser URL, not cURL (the authorize redirect).
    pub url_only: bool,
}

impl Command {
    /// A request as it was sent: a bare GET (the authorize redirect) is shown as its URL.
    pub fn as_sent(request: HttpRequest) -> Self {
        Command {
            caption: format!("{} (as sent):", request.label),
            url_only: request.method == protocol_wire::request::Method::Get
                && request.form.is_empty()
                && request.headers.is_empty(),
            request,
        }
    }
}

/// 64-bit FNV-1a: a stable, dependency-free fingerprint.
pub struct Fnv(pub u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    /// Adds bytes (and a separator, so `ab`+`c` differs from `a`+`bc`).
    pub fn write(&mut self, bytes: &[u8]) {
        for b in bytes.iter().chain(&[0xff]) {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// A JSON value's string at `key`.
pub fn json_str<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol_wire::request::Method;

    #[test]
    fn a_request_as_sent_is_a_url_only_when_it_is_a_bare_get() {
        let redirect = Command::as_sent(HttpRequest::new(
            "Authorize",
            Method::Get,
            "https://as.example/authorize?client_id=a",
        ));
        assert!(redirect.url_only);
        assert_eq!(redirect.caption, "Authorize (as sent):");
        let keys = Command::as_sent(protocol_wire::requests::get_json(
            "JWKS",
            "https://as.example/keys",
        ));
        assert!(!keys.url_only, "a GET with headers is shown as cURL");
        let mut token = HttpRequest::new("Token", Method::Post, "https://as.example/token");
        token.form.push(protocol_wire::request::Param::public(
            "grant_type",
            "client_credentials",
        ));
        assert!(!Command::as_sent(token).url_only);
    }
}
