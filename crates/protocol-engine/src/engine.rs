//! The one driver every step of every flow runs through, in the browser and in native tests
//! alike: sign (the client's assertion) -> build -> route (direct or through the relay) ->
//! send -> read -> judge (a transport failure explained for the server configured) -> verify
//! the tokens' signatures -> the outcome, which [`record`] writes into the flow's state.
//!
//! It does no IO itself: the [`Host`] it is given is the only way out (the time, random bytes,
//! signing and verifying with the host's own crypto, sending HTTP, the user's sign-in). The
//! browser's host is WebCrypto, fetch and a pop-up or a redirect; the native tests' host is a
//! native signer and the demo tenant, in-process or over HTTP.
//!
//! A sign-in is data like any step: the authorize request, the answer at the redirect URI
//! (its `state`, the ID token's `nonce`, PKCE) and the code exchange are the driver's; only
//! opening the authorization page is the host's ([`Host::authorize`]). When the host leaves
//! the page for it (a same-tab redirect), the run resumes with [`resume_sign_in`].

mod preview;
mod signatures;

pub use preview::{commands, fingerprint, signin_placeholders, statuses};

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::flow::context::{signing_job, Ctx};
use crate::flow::outcome::StepOutcome;
use crate::flow::{Action, ConfigError, FlowConfig, FlowDef, FlowState, RoleKind, ServerRole};
use crate::flow::{Readers, Server, Step};
use crate::signin;
use protocol_wire::jwt::Alg;
use protocol_wire::keys::PrivateKey;
use protocol_wire::request::{via_relay, HttpRequest};
use protocol_wire::response::HttpCapture;
use protocol_wire::secret::Secret;
use protocol_wire::transport::{relay_commands, Remedy, ServerKind, TransportFailure};

/// One request and what came of it, for the step's log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Exchange {
    /// When it was sent (UTC).
    pub at: String,
    /// The request exactly as built for its endpoint (before any relay addressing).
    pub request: HttpRequest,
    /// The response, or why there is none.
    pub result: Result<HttpCapture, TransportFailure>,
    /// Duration in whole milliseconds.
    pub ms: u32,
    /// The relay it went through, if any.
    pub via: Option<String>,
}

impl Exchange {
    /// Teaches `known` the secrets this exchange carried: the request's secret parameters,
    /// and what the answer delivered (credential headers and body members).
    pub fn learn_secrets(&self, known: &mut protocol_wire::mask::Known) {
        known.learn_request(&self.request);
        if let Ok(c) = &self.result {
            known.learn_headers(c.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            known.learn_body(&c.body);
        }
    }
}

/// Where a request goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// Straight to its endpoint.
    Direct,
    /// Through the local relay at `url` (the request is addressed to it with
    /// [`Route::addressed`]), with its key.
    Relay {
        /// The relay's URL.
        url: String,
        /// The key it printed at start.
        key: Secret,
    },
}

impl Route {
    /// The request as it leaves: unchanged, or addressed to the relay; a relay route without
    /// a key is refused (said to the user, never sent).
    pub fn addressed(&self, request: &HttpRequest) -> Result<HttpRequest, TransportFailure> {
        match self {
            Route::Direct => Ok(request.clone()),
            Route::Relay { key, .. } if key.is_empty() => Err(TransportFailure::Invalid {
                detail: "This server is set to go through the relay, but no relay key is set: start the relay and paste the key it prints (Configuration → Relay).".into(),
            }),
            Route::Relay { url, key } => Ok(via_relay(request, url, key.expose().trim())),
        }
    }

    /// The relay's URL, if the request goes through one.
    pub fn relay(&self) -> Option<&str> {
        match self {
            Route::Direct => None,
            Route::Relay { url, .. } => Some(url),
        }
    }
}

/// Where a run happens: what routing and diagnoses need to know about the page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Site {
    /// The page's origin (`http://127.0.0.1:8080`).
    pub origin: String,
    /// The built-in demo's base URL (below the page).
    pub built_in_demo: String,
    /// The local demo tenant's URL.
    pub local_demo: String,
    /// The relay's URL.
    pub relay_url: String,
    /// The relay's key.
    pub relay_key: Secret,
}

impl Site {
    /// What kind of server `server` is (for diagnoses).
    pub fn kind(&self, server: &Server) -> ServerKind {
        server.kind(&self.built_in_demo, &self.local_demo)
    }

    /// Where a request to `role` goes: through the relay when that server is set to use it.
    pub fn route(&self, config: &FlowConfig, role: &ServerRole) -> Route {
        if config.server(role).relay {
            Route::Relay {
                url: self.relay_url.trim().trim_end_matches('/').to_string(),
                key: self.relay_key.clone(),
            }
        } else {
            Route::Direct
        }
    }

    /// What a fix may say about `role` in this configuration.
    pub fn remedy(&self, def: &FlowDef, config: &FlowConfig, role: &ServerRole) -> Remedy {
        Remedy {
            server: role.label.into(),
            kind: self.kind(config.server(role)),
            origin: self.origin.clone(),
            relay: relay_commands(
                &relay_upstreams(def, config, Some(role)),
                &self.origin,
                &self.relay_url,
            ),
        }
    }
}

/// The URLs of every server that uses the relay (and of `role`), for the relay command.
pub fn relay_upstreams(
    def: &FlowDef,
    config: &FlowConfig,
    role: Option<&ServerRole>,
) -> Vec<String> {
    let mut out = Vec::new();
    for r in def.servers.iter().copied() {
        let server = config.server(r);
        if !server.relay && role.is_none_or(|x| x.key != r.key) {
            continue;
        }
        out.push(server.issuer().to_string());
        if r.kind == RoleKind::AuthorizationServer {
            if let Ok(e) = server.endpoints(r) {
                out.extend([e.token, e.introspect, e.revoke, e.keys, e.info]);
            }
        }
    }
    out.retain(|u| !u.is_empty());
    out
}

/// Why the host could not do what the driver asked (sign, verify, open the sign-in).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostError(pub String);

impl fmt::Display for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a sign-in must remember until its answer comes back: checked against the answer
/// (`state`), the ID token (`nonce`), and sent with the code (`verifier`). Its `Debug` does not
/// show the verifier.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingSignIn {
    /// The `state` sent.
    pub state: String,
    /// The `nonce` sent.
    pub nonce: String,
    /// The PKCE `code_verifier` (kept only for this sign-in).
    pub verifier: String,
}

impl fmt::Debug for PendingSignIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingSignIn")
            .field("state", &self.state)
            .field("nonce", &self.nonce)
            .field("verifier", &"‹hidden›")
            .finish()
    }
}

/// Everything the driver needs from where it runs.
#[allow(async_fn_in_trait)]
pub trait Host {
    /// The time, in seconds since the epoch.
    fn now(&self) -> i64;
    /// Fills `out` with random bytes (PKCE, `state`, `nonce`, `jti`).
    fn fill_random(&self, out: &mut [u8]) -> Result<(), HostError>;
    /// Signs `input` with `key` for the key's algorithm (the browser imports it into WebCrypto
    /// as a non-extractable key).
    async fn sign(&self, key: &PrivateKey, input: &[u8]) -> Result<Vec<u8>, HostError>;
    /// Whether `signature` over `input` verifies with the public `jwk` for `alg`.
    async fn verify(
        &self,
        alg: Alg,
        jwk: &Value,
        input: &[u8],
        signature: &[u8],
    ) -> Result<bool, HostError>;
    /// Sends `request` to `route` (the relay, if so); captures the answer or why there is
    /// none. The exchange names `request` as built, not as addressed to the relay.
    async fn send(&self, request: &HttpRequest, route: &Route) -> Exchange;
    /// The user's sign-in: opens `url` (the authorization request) and returns the query of
    /// the answer at the redirect URI, or `None` when the page left for it (a same-tab
    /// redirect: the host keeps `pending`, and the run resumes with [`resume_sign_in`]).
    /// With `wait`, at most that many seconds for an answer, then `None` (a probe watching
    /// whether the server redirects at all; never a same-tab redirect then).
    async fn authorize(
        &self,
        url: &str,
        pending: &PendingSignIn,
        wait: Option<u32>,
    ) -> Result<Option<String>, HostError>;
    /// A JWKS read before (a cache for this page's life; `None` to always read).
    fn cached_jwks(&self, uri: &str) -> Option<Value>;
    /// Keeps a JWKS just read.
    fn keep_jwks(&self, uri: &str, jwks: &Value);
}

/// How a probe varies a step (a normal run varies nothing): the same driver sends what it
/// changes, so a varied request is signed, routed, logged and judged like any other.
#[derive(Clone, Default)]
pub struct Tweak {
    /// The client assertion's claims, changed before it is signed (`exp` in the past, another
    /// `aud`); the second argument is now.
    pub claims: Option<fn(&mut Value, i64)>,
    /// The client assertion signed with this key instead of the client's (one the server
    /// does not know).
    pub key: Option<PrivateKey>,
    /// This client assertion again instead of a fresh one (a replay).
    pub assertion: Option<String>,
    /// The request once built, changed before it is sent.
    pub request: Option<fn(&mut HttpRequest)>,
    /// A sign-in: the authorization request, changed before the page opens.
    pub authorize: Option<fn(&mut HttpRequest)>,
    /// A sign-in: the code exchange, changed before it is sent.
    pub exchange: Option<fn(&mut HttpRequest)>,
    /// A sign-in: the code exchange sent a second time; the second answer is the step's last
    /// exchange (the first one's tokens are the outcome's outputs).
    pub exchange_twice: bool,
    /// A sign-in: at most this many seconds for the answer.
    pub wait_secs: Option<u32>,
}

/// What a step's run produced: the requests as sent, the log, and the outcome.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ran {
    /// The requests as sent (the authorize URL of a sign-in included).
    pub sent: Vec<HttpRequest>,
    /// Every exchange, in order.
    pub exchanges: Vec<Exchange>,
    /// The outcome.
    pub outcome: StepOutcome,
    /// A sign-in: what came back to the redirect URI (nothing when no answer came).
    pub answer: Option<Answer>,
}

/// What a sign-in's redirect brought back (never the code itself: it is a credential).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// An authorization code.
    Code,
    /// An error (`error=`), or an answer with neither.
    Error(String),
}

impl Answer {
    /// What the redirect's `query` carries.
    pub fn of(query: &str) -> Self {
        let params = protocol_wire::encoding::form_decode(query.trim_start_matches('?'));
        let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        match (get("error"), get("code")) {
            (Some(e), _) => Answer::Error(e),
            (None, Some(_)) => Answer::Code,
            (None, None) => Answer::Error("neither code nor error".into()),
        }
    }
}

impl Ran {
    fn failed(outcome: StepOutcome) -> Self {
        Ran {
            outcome,
            ..Default::default()
        }
    }
}

impl Step {
    /// Whether this step is the user's sign-in (its card offers "Use Existing").
    pub fn is_sign_in(&self) -> bool {
        matches!(self.action, Action::SignIn)
    }
}

/// The sign-in step of `def` in `config`, if it has one.
pub fn sign_in_step(def: &FlowDef, config: &FlowConfig) -> Option<&'static Step> {
    def.steps(config).into_iter().find(|s| s.is_sign_in())
}

/// A configuration that cannot produce the request: the step fails before sending.
pub fn config_failure(e: ConfigError) -> StepOutcome {
    StepOutcome::failed(format!("Not sent: {e}"))
}

/// A step to run: its flow, itself, the configuration and the flow's values so far.
#[derive(Clone, Copy)]
pub struct StepAt<'a> {
    /// The flow.
    pub def: &'static FlowDef,
    /// The flow's readers (`protocol::flows::readers(def)` for the catalogue's flows; `protocol::flows::step_at` builds a catalogue step).
    pub readers: Readers,
    /// The step.
    pub step: &'static Step,
    /// The configuration.
    pub config: &'a FlowConfig,
    /// The values so far (read, not written: see [`record`]).
    pub state: &'a FlowState,
}

impl StepAt<'_> {
    fn ctx(&self, now: i64) -> Ctx<'_> {
        Ctx::preview(self.def, self.step, self.config, self.state, now)
    }
}

/// Runs a step. `None` when the host left the page for the sign-in (a same-tab redirect).
pub async fn run<H: Host>(host: &H, site: &Site, at: StepAt<'_>) -> Option<Ran> {
    run_tweaked(host, site, at, &Tweak::default()).await
}

/// Runs a step varied by `tweak` (the probe's wrong requests).
pub async fn run_tweaked<H: Host>(
    host: &H,
    site: &Site,
    at: StepAt<'_>,
    tweak: &Tweak,
) -> Option<Ran> {
    let ctx = at.ctx(host.now());
    match at.step.action {
        Action::SignIn => start_sign_in(host, site, &ctx, tweak).await,
        Action::Request { build } => {
            let Some(read) = (at.readers)(at.step.id) else {
                return Some(Ran::failed(StepOutcome::failed(format!(
                    "Not sent: the flow declares no reader for its step \"{}\" (add it to the \
                     flow's readers).",
                    at.step.id
                ))));
            };
            let ran = request(host, site, &ctx, build, read, tweak).await;
            Some(with_signatures(host, site, at.def, at.config, ran).await)
        }
    }
}

/// Signs (if the client signs an assertion), builds, routes, sends, reads and judges one
/// request of a step.
async fn request<H: Host>(
    host: &H,
    site: &Site,
    ctx: &Ctx<'_>,
    build: crate::flow::Build,
    read: impl FnOnce(&Ctx, &HttpCapture) -> StepOutcome,
    tweak: &Tweak,
) -> Ran {
    let assertion = match sign_assertion(host, ctx, tweak).await {
        Ok(a) => a,
        Err(outcome) => return Ran::failed(outcome),
    };
    let sending = Ctx::preview(ctx.flow, ctx.step, ctx.config, ctx.state, ctx.now)
        .sending(assertion.as_deref());
    let mut req = match build(&sending) {
        Ok(r) => r,
        Err(e) => return Ran::failed(config_failure(e)),
    };
    if let Some(change) = tweak.request {
        change(&mut req);
    }
    let exchange = host
        .send(&req, &site.route(ctx.config, ctx.step.target.server))
        .await;
    let outcome = judge(site, ctx, &exchange, |c| read(&sending, c));
    Ran {
        sent: vec![req],
        exchanges: vec![exchange],
        outcome,
        answer: None,
    }
}

/// The client assertion the step's client signs, if it authenticates with
/// `private_key_jwt`: claims from the configuration, a fresh `jti`, signed by the host.
async fn sign_assertion<H: Host>(
    host: &H,
    ctx: &Ctx<'_>,
    tweak: &Tweak,
) -> Result<Option<String>, StepOutcome> {
    let Some(job) = signing_job(ctx).map_err(config_failure)? else {
        return Ok(None);
    };
    if let Some(again) = &tweak.assertion {
        return Ok(Some(again.clone()));
    }
    let cannot = |e: String| StepOutcome::failed(format!("The private key cannot sign: {e}"));
    let key = match &tweak.key {
        Some(k) => k.clone(),
        None => protocol_wire::keys::parse_signing_key(job.key.expose(), job.rsa_alg)
            .map_err(|e| cannot(e.to_string()))?,
    };
    let jti = random_id(host).map_err(|e| cannot(e.0))?;
    let mut unsigned = job.unsigned(key.alg, &key.kid, host.now(), &jti);
    if let Some(change) = tweak.claims {
        change(&mut unsigned.claims, host.now());
    }
    let signature = host
        .sign(&key, unsigned.signing_input().as_bytes())
        .await
        .map_err(|e| cannot(e.0))?;
    Ok(Some(unsigned.with_signature(&signature)))
}

/// 16 random bytes, base64url.
fn random_id<H: Host>(host: &H) -> Result<String, HostError> {
    let mut b = [0u8; 16];
    host.fill_random(&mut b)?;
    Ok(protocol_wire::encoding::b64url(&b))
}

/// The step's reading of an answer, or the transport failure explained for the server
/// actually configured.
fn judge(
    site: &Site,
    ctx: &Ctx,
    exchange: &Exchange,
    read: impl FnOnce(&HttpCapture) -> StepOutcome,
) -> StepOutcome {
    let role = ctx.step.target.server;
    let remedy = || site.remedy(ctx.flow, ctx.config, role);
    match &exchange.result {
        Ok(capture) => {
            let mut o = read(capture);
            if let Some(d) = &mut o.diagnosis {
                if d.relay && d.fix.is_empty() {
                    d.fix = remedy().relay.checkout;
                }
            }
            o
        }
        Err(f) => StepOutcome {
            ok: false,
            summary: f.headline(),
            diagnosis: Some(f.diagnosis(&remedy())),
            ..Default::default()
        },
    }
}

/// Adds a signature finding for every token of a successful outcome.
async fn with_signatures<H: Host>(
    host: &H,
    site: &Site,
    def: &'static FlowDef,
    config: &FlowConfig,
    mut ran: Ran,
) -> Ran {
    if ran.outcome.ok {
        for t in ran.outcome.tokens.clone() {
            let verified = signatures::verify(host, site, def, config, t.raw.expose()).await;
            ran.outcome.findings.push(verified.finding(&t.label));
        }
    }
    ran
}

/// A sign-in: PKCE, `state` and `nonce` from the host's random bytes; the authorize request,
/// opened by the host; then, when the answer came back here, its completion.
async fn start_sign_in<H: Host>(
    host: &H,
    site: &Site,
    ctx: &Ctx<'_>,
    tweak: &Tweak,
) -> Option<Ran> {
    let fail = |e: HostError| {
        Some(Ran::failed(StepOutcome::failed(format!(
            "Could not start the sign-in: {e}"
        ))))
    };
    let mut bytes = [0u8; 32];
    if let Err(e) = host.fill_random(&mut bytes) {
        return fail(e);
    }
    let pkce = match protocol_wire::pkce::Pkce::from_random_bytes(&bytes) {
        Ok(p) => p,
        Err(e) => return fail(HostError(e.to_string())),
    };
    let (state, nonce) = match (random_id(host), random_id(host)) {
        (Ok(s), Ok(n)) => (s, n),
        (Err(e), _) | (_, Err(e)) => return fail(e),
    };
    let mut authorize = match signin::authorize(ctx, &pkce.challenge, &state, &nonce) {
        Ok(r) => r,
        Err(e) => return Some(Ran::failed(config_failure(e))),
    };
    if let Some(change) = tweak.authorize {
        change(&mut authorize);
    }
    let pending = PendingSignIn {
        state,
        nonce,
        verifier: pkce.verifier,
    };
    let answer = match host
        .authorize(&authorize.full_url(), &pending, tweak.wait_secs)
        .await
    {
        Ok(Some(answer)) => answer,
        Ok(None) if tweak.wait_secs.is_some() => {
            return Some(Ran {
                sent: vec![authorize],
                ..Ran::failed(StepOutcome::failed(NO_ANSWER))
            })
        }
        Ok(None) => return None,
        Err(e) => {
            return Some(Ran {
                sent: vec![authorize],
                ..Ran::failed(StepOutcome::failed(e.0))
            })
        }
    };
    let mut ran = complete_sign_in(host, site, ctx, &pending, &answer, tweak).await;
    ran.sent.insert(0, authorize);
    ran.answer = Some(Answer::of(&answer));
    Some(with_signatures(host, site, ctx.flow, ctx.config, ran).await)
}

/// Completes a sign-in whose page left for the authorization server (a same-tab redirect):
/// `answer` is the query the page came back with.
pub async fn resume_sign_in<H: Host>(
    host: &H,
    site: &Site,
    at: StepAt<'_>,
    pending: &PendingSignIn,
    answer: &str,
) -> Ran {
    let ctx = at.ctx(host.now());
    let mut ran = complete_sign_in(host, site, &ctx, pending, answer, &Tweak::default()).await;
    ran.answer = Some(Answer::of(answer));
    with_signatures(host, site, at.def, at.config, ran).await
}

/// The answer at the redirect URI: `state` checked, the code exchanged with the PKCE verifier,
/// the tokens read (the ID token's `nonce` checked).
async fn complete_sign_in<H: Host>(
    host: &H,
    site: &Site,
    ctx: &Ctx<'_>,
    pending: &PendingSignIn,
    answer: &str,
    tweak: &Tweak,
) -> Ran {
    let code = match signin::authorization_code(answer, &pending.state) {
        Ok(code) => code,
        Err(refused) => return Ran::failed(refused.outcome()),
    };
    let mut exchange_request = match signin::code_exchange(ctx, &code, &pending.verifier) {
        Ok(r) => r,
        Err(e) => return Ran::failed(config_failure(e)),
    };
    if let Some(change) = tweak.exchange {
        change(&mut exchange_request);
    }
    let route = site.route(ctx.config, ctx.step.target.server);
    let exchange = host.send(&exchange_request, &route).await;
    let outcome = judge(site, ctx, &exchange, |c| {
        signin::read(ctx, c, &pending.nonce)
    });
    let mut exchanges = vec![exchange];
    if tweak.exchange_twice {
        // The same code again; the first answer's tokens stay the outcome's.
        exchanges.push(host.send(&exchange_request, &route).await);
    }
    Ran {
        sent: vec![exchange_request],
        exchanges,
        outcome,
        answer: None,
    }
}

/// The outcome of a sign-in that got no answer within the time it was given.
pub const NO_ANSWER: &str = "No answer came back to the page within the time given.";

/// Writes a step's outcome into the flow's state: a success stores its outputs, a failure
/// clears what the step produces; the run is recorded against the values it used and the
/// request it sent (see [`FlowState::record`]).
pub fn record(
    def: &'static FlowDef,
    step: &'static Step,
    config: &FlowConfig,
    state: &mut FlowState,
    outcome: &StepOutcome,
    now: i64,
) {
    let needs = (step.needs)(config);
    let outputs = if outcome.ok {
        Ok(outcome.outputs.clone())
    } else {
        Err(())
    };
    state.record(step.id, needs, step.produces, outputs, |st| {
        fingerprint(&Ctx::preview(def, step, config, st, now))
    });
}
