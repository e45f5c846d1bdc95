//! The probe's run: a normal run of the flow up to its revocation (the values every case
//! varies), then each case on the step it targets, through the driver, with its own inputs
//! where they are single-use (a fresh sign-in for each code case, a fresh ID-JAG for each JWT
//! bearer case), the revocation last. Nothing here touches the page's own run.

use super::judge::{judge, Seen};
use super::report::{BaseRow, CaseResult, Got, Report};
use super::vary::{self, tweak};
use super::{Case, StepKind, Variation, CASES};
use protocol_catalogue::flows::StepOutcome;
use protocol_engine::engine::{self, Exchange, Host, Ran, Site, Tweak};
use protocol_engine::flow::context::Ctx;
use protocol_engine::flow::{
    Action, AuthMethod, Client, Endpoint, Field, FieldKind, FlowConfig, FlowDef, FlowState, Layout,
    Output, Server, Step,
};
use protocol_wire::constants::{GRANT_JWT_BEARER, GRANT_TOKEN_EXCHANGE};
use protocol_wire::demo;
use protocol_wire::request::origin_of;
use protocol_wire::transport::ServerKind;

/// What the probe can use besides the flow's configuration: a second client registered at
/// the JWT bearer step's server, and a second authorization server that trusts the same
/// identity provider (for `jb.idjag_other_client` and `jb.idjag_other_audience`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extra {
    /// Other clients; the first whose ID differs from the step's client is used.
    pub clients: Vec<Client>,
    /// Other authorization servers; the first whose issuer differs from the step's is used.
    pub servers: Vec<Server>,
}

impl Extra {
    /// The demo tenant at `org`: its two AI agents (each registered with its own key) and its
    /// two custom authorization servers for agents.
    pub fn demo(org: &str) -> Self {
        Extra {
            clients: vec![
                Client::with_key(demo::AGENT2, demo::AGENT2_KEY),
                Client::with_key(demo::AGENT, demo::AGENT_KEY),
            ],
            servers: vec![
                Server::new(&demo::custom(org, "agents"), Layout::OktaCustom),
                Server::new(&demo::custom(org, "files"), Layout::OktaCustom),
            ],
        }
    }

    /// What `config` offers at `site`: the demo tenant's, when the flow's JWT bearer step
    /// talks to the built-in or the local demo tenant; else nothing (the user gives them).
    pub fn for_config(def: &'static FlowDef, config: &FlowConfig, site: &Site) -> Self {
        let Some(step) = def
            .steps(config)
            .into_iter()
            .find(|s| kinds(def, config, s).contains(&StepKind::JwtBearer))
        else {
            return Extra::default();
        };
        match site.kind(config.server(step.target.server)) {
            ServerKind::BuiltInDemo => Extra::demo(&site.built_in_demo),
            ServerKind::LocalDemo => Extra::demo(&site.local_demo),
            _ => Extra::default(),
        }
    }

    fn client_besides(&self, id: &str) -> Option<&Client> {
        self.clients
            .iter()
            .find(|c| !c.id().is_empty() && c.id() != id)
    }

    fn server_besides(&self, issuer: &str) -> Option<&Server> {
        self.servers
            .iter()
            .find(|s| !s.issuer().is_empty() && s.issuer() != issuer)
    }
}

/// What a probe of a flow will do, said before it starts.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The servers it sends wrong requests to: (role key, label, issuer or URL).
    pub servers: Vec<(String, String, String)>,
    /// How many times the user's sign-in page opens (one for the normal run, one per code
    /// case).
    pub sign_ins: usize,
    /// The cases that apply, in order.
    pub cases: Vec<&'static Case>,
    /// The cases the flow has no step for, with why.
    pub not_applicable: Vec<(&'static Case, String)>,
}

/// The kinds of `step` in `config` (from its declaration and the grant its request names).
pub fn kinds(def: &'static FlowDef, config: &FlowConfig, step: &'static Step) -> Vec<StepKind> {
    let Action::Request { build, .. } = step.action else {
        return vec![StepKind::SignIn];
    };
    match step.target.endpoint {
        Endpoint::Resource => vec![StepKind::Api],
        Endpoint::Introspect => vec![StepKind::Introspect],
        Endpoint::Revoke => vec![StepKind::Revoke],
        Endpoint::Token => {
            let state = FlowState::default();
            let preview = build(&Ctx::preview(def, step, config, &state, 0));
            let grant = preview
                .as_ref()
                .ok()
                .and_then(|r| r.form_value("grant_type").map(String::from));
            let mut out = Vec::new();
            match grant.as_deref() {
                Some(GRANT_TOKEN_EXCHANGE) => out.push(StepKind::TokenExchange),
                Some(GRANT_JWT_BEARER) => out.push(StepKind::JwtBearer),
                _ => {}
            }
            let auth = step.client.map(|r| config.client(r).auth);
            if auth.is_some_and(|a| a != AuthMethod::None) {
                out.push(StepKind::ConfidentialClient);
            }
            if auth == Some(AuthMethod::PrivateKeyJwt) {
                out.push(StepKind::PrivateKeyJwt);
            }
            out
        }
        Endpoint::Authorize | Endpoint::Info => Vec::new(),
    }
}

/// What probing `def` in `config` will do.
pub fn plan(def: &'static FlowDef, config: &FlowConfig) -> Plan {
    let steps = def.steps(config);
    let has = |k: StepKind| steps.iter().any(|s| kinds(def, config, s).contains(&k));
    let mut cases = Vec::new();
    let mut not_applicable = Vec::new();
    for case in CASES {
        if !has(case.target) {
            not_applicable.push((
                case,
                format!("This flow has no {} step.", case.target.described()),
            ));
        } else if case.vary == Variation::AfterRevoke && !has(StepKind::Revoke) {
            not_applicable.push((case, "This flow revokes no token.".into()));
        } else {
            cases.push(case);
        }
    }
    let sign_ins = if has(StepKind::SignIn) {
        1 + cases.iter().filter(|c| c.signs_in()).count()
    } else {
        0
    };
    let mut servers: Vec<(String, String, String)> = Vec::new();
    for case in &cases {
        for s in steps
            .iter()
            .filter(|s| kinds(def, config, s).contains(&case.target))
        {
            let role = s.target.server;
            if !servers.iter().any(|(k, _, _)| k == role.key) {
                servers.push((
                    role.key.into(),
                    role.label.into(),
                    config.server(role).issuer().into(),
                ));
            }
        }
    }
    Plan {
        servers,
        sign_ins,
        cases,
        not_applicable,
    }
}

/// Why a case could not be prepared: it is then "not run", with this said.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Unprepared {
    /// The flow has no revocation step.
    NoRevocation,
    /// The flow revokes another token than the step uses.
    OtherToken { step: &'static str },
    /// The normal run did not produce what the revocation needs.
    RevocationMissing { need: &'static str },
    /// The revocation failed.
    RevocationFailed { summary: String },
    /// A single-use input could not be made again.
    FreshFailed { need: &'static str, summary: String },
    /// The token's scope covers the method tried and is one scope: nothing narrower.
    OneScope(String),
    /// The token's scope covers the method tried; the step that gets it has no scope field.
    NoScopeField,
    /// The narrower token was refused.
    NarrowFailed {
        step: &'static str,
        scope: String,
        summary: String,
    },
}

impl std::fmt::Display for Unprepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const COVERS: &str =
            "The token's scope covers DELETE and no narrower token could be asked for:";
        match self {
            Unprepared::NoRevocation => f.write_str("This flow revokes no token."),
            Unprepared::OtherToken { step } => {
                write!(
                    f,
                    "This flow revokes another token than the one \"{step}\" uses."
                )
            }
            Unprepared::RevocationMissing { need } => write!(
                f,
                "The revocation could not run: the normal run did not produce the {need}."
            ),
            Unprepared::RevocationFailed { summary } => {
                write!(f, "The revocation failed ({summary}).")
            }
            Unprepared::FreshFailed { need, summary } => {
                write!(f, "A fresh {need} could not be obtained ({summary}).")
            }
            Unprepared::OneScope(scope) => write!(f, "{COVERS} its scope is {scope}."),
            Unprepared::NoScopeField => {
                write!(f, "{COVERS} the step that gets it has no scope to narrow.")
            }
            Unprepared::NarrowFailed {
                step,
                scope,
                summary,
            } => write!(
                f,
                "{COVERS} \"{step}\" with scope {scope} failed ({summary})."
            ),
        }
    }
}

/// A step of the normal run: its kinds, the values before it, and whether it succeeded.
struct Base {
    step: &'static Step,
    kinds: Vec<StepKind>,
    before: FlowState,
    ok: bool,
    summary: String,
}

/// The probe while it runs.
struct Battery<'a, H: Host> {
    host: &'a H,
    site: &'a Site,
    def: &'static FlowDef,
    config: &'a FlowConfig,
    extra: &'a Extra,
    base: Vec<Base>,
    /// The values after the normal run.
    after: FlowState,
    /// The flow's revocation step, if it has one.
    revoke: Option<&'static Step>,
    /// The values once the token was revoked, and the revocation's exchanges (shown in the
    /// first case that uses them); `None` until then.
    revoked: Option<Result<FlowState, Unprepared>>,
}

/// Probes `def` in `config`: the normal run, then every case that applies; `on` sees the
/// report after each step and case (the page shows rows as they come).
pub async fn run<H: Host>(
    host: &H,
    site: &Site,
    def: &'static FlowDef,
    config: &FlowConfig,
    extra: &Extra,
    on: &mut dyn FnMut(&Report),
) -> Report {
    let plan = plan(def, config);
    let mut report = Report {
        flow: def,
        servers: plan
            .servers
            .iter()
            .map(|(k, _, v)| (k.clone(), v.clone()))
            .collect(),
        started: protocol_wire::timefmt::utc(host.now()),
        baseline: Vec::new(),
        cases: Vec::new(),
        not_applicable: plan.not_applicable.clone(),
        finished: false,
    };
    on(&report);
    let steps = def.steps(config);
    let revoke_at = steps
        .iter()
        .position(|s| kinds(def, config, s).contains(&StepKind::Revoke));
    let mut b = Battery {
        host,
        site,
        def,
        config,
        extra,
        base: Vec::new(),
        after: FlowState::default(),
        revoke: revoke_at.map(|i| steps[i]),
        revoked: None,
    };
    for step in &steps[..revoke_at.unwrap_or(steps.len())] {
        let row = b.normal(step).await;
        report.baseline.push(row);
        on(&report);
    }
    for case in plan.cases {
        let result = b.case(case).await;
        report.cases.push(result);
        on(&report);
    }
    report.finished = true;
    on(&report);
    report
}

/// Whether `field` is a scope field.
fn is_scope(field: &Field) -> bool {
    matches!(field.kind, FieldKind::Scopes(_) | FieldKind::ScopesOf(_))
}

/// The first value `step` needs that `state` lacks.
fn missing(step: &Step, config: &FlowConfig, state: &FlowState) -> Option<Output> {
    (step.needs)(config)
        .iter()
        .copied()
        .find(|o| state.get(*o).is_none())
}

impl<H: Host> Battery<'_, H> {
    /// Runs `step` of the flow (in `config`) on `state`, varied by `tweak`.
    async fn step(
        &self,
        step: &'static Step,
        config: &FlowConfig,
        state: &FlowState,
        tweak: &Tweak,
    ) -> Ran {
        let at = protocol_catalogue::flows::step_at(self.def, step, config, state);
        engine::run_tweaked(self.host, self.site, at, tweak)
            .await
            .unwrap_or_else(|| Ran {
                outcome: StepOutcome::failed(
                    "The sign-in left the page; the probe signs in in a pop-up window.",
                ),
                ..Ran::default()
            })
    }

    /// A step of the normal run, recorded into `after`.
    async fn normal(&mut self, step: &'static Step) -> BaseRow {
        let before = self.after.clone();
        let kinds = kinds(self.def, self.config, step);
        let (ok, summary, exchanges) = match missing(step, self.config, &before) {
            Some(need) => (
                false,
                format!(
                    "Not run: it needs the {}, which an earlier step did not produce.",
                    need.label
                ),
                Vec::new(),
            ),
            None => {
                let ran = self
                    .step(step, self.config, &before, &Tweak::default())
                    .await;
                engine::record(
                    self.def,
                    step,
                    self.config,
                    &mut self.after,
                    &ran.outcome,
                    self.host.now(),
                );
                (ran.outcome.ok, ran.outcome.summary, ran.exchanges)
            }
        };
        self.base.push(Base {
            step,
            kinds,
            before,
            ok,
            summary: summary.clone(),
        });
        BaseRow {
            step,
            ok,
            summary,
            exchanges,
        }
    }

    /// Runs `case` and judges it.
    async fn case(&mut self, case: &'static Case) -> CaseResult {
        if case.target == StepKind::Revoke {
            let Some(step) = self.revoke else {
                return CaseResult::not_run(case, None, "This flow revokes no token.".into());
            };
            if let Some(need) = missing(step, self.config, &self.after) {
                return CaseResult::not_run(
                    case,
                    Some(step),
                    format!("The normal run did not produce the {}.", need.label),
                );
            }
            let ran = self
                .step(step, self.config, &self.after.clone(), &tweak(case.vary))
                .await;
            return self.judged(case, step, ran, Vec::new());
        }
        let Some(i) = self
            .base
            .iter()
            .position(|b| b.kinds.contains(&case.target))
        else {
            return CaseResult::not_run(
                case,
                None,
                format!(
                    "The normal run stopped before this flow's {} step.",
                    case.target.described()
                ),
            );
        };
        let step = self.base[i].step;
        if !self.base[i].ok {
            return CaseResult::not_run(
                case,
                Some(step),
                format!(
                    "The normal run of this step failed ({}), so there is nothing to vary.",
                    self.base[i].summary
                ),
            );
        }
        let mut setup = Vec::new();
        let state = match case.vary {
            Variation::AfterRevoke => match self.revoked_state(step, &mut setup).await {
                Ok(s) => s,
                Err(why) => return CaseResult::not_run(case, Some(step), why.to_string()),
            },
            _ if case.target == StepKind::JwtBearer => match self.fresh(i, &mut setup).await {
                Ok(s) => s,
                Err(why) => {
                    let mut r = CaseResult::not_run(case, Some(step), why.to_string());
                    r.exchanges = setup;
                    return r;
                }
            },
            _ => self.base[i].before.clone(),
        };
        let mut config = self.config.clone();
        let mut narrowed: Option<String> = None;
        match case.vary {
            Variation::OtherClient => {
                let reg = step.client.expect("a JWT bearer step names its client");
                let own = self.config.client(reg).id().to_string();
                let Some(other) = self.extra.client_besides(&own) else {
                    return CaseResult::not_run(case, Some(step), format!("It needs a second client registered at the {}: give one under \"Another client\" before probing.", step.target.server.label));
                };
                *config.client_mut(reg) = other.clone();
            }
            Variation::OtherServer => {
                let own = self.config.server(step.target.server);
                let Some(other) = self.extra.server_besides(own.issuer()) else {
                    return CaseResult::not_run(case, Some(step), "It needs a second authorization server that trusts the same identity provider: give its issuer under \"Another authorization server\" before probing.".into());
                };
                let relay = own.relay;
                *config.server_mut(step.target.server) = Server {
                    relay,
                    ..other.clone()
                };
            }
            _ => {}
        }
        let ran = match case.vary {
            Variation::AssertionReplay | Variation::SameTwice => {
                let first = self.step(step, &config, &state, &Tweak::default()).await;
                setup.extend(first.exchanges.iter().cloned());
                if !first.outcome.ok {
                    let mut r = CaseResult::not_run(
                        case,
                        Some(step),
                        format!(
                            "The first request failed ({}), so there is nothing to repeat.",
                            first.outcome.summary
                        ),
                    );
                    r.exchanges = setup;
                    return r;
                }
                let mut again = Tweak::default();
                if case.vary == Variation::AssertionReplay {
                    let Some(a) = first
                        .sent
                        .last()
                        .and_then(|r| r.form_value("client_assertion"))
                    else {
                        return CaseResult::not_run(
                            case,
                            Some(step),
                            "The request carried no client assertion.".into(),
                        );
                    };
                    again.assertion = Some(a.to_string());
                }
                self.step(step, &config, &state, &again).await
            }
            Variation::CodeTwice => {
                let ran = self.step(step, &config, &state, &tweak(case.vary)).await;
                if !ran.outcome.ok {
                    let mut r = CaseResult::not_run(
                        case,
                        Some(step),
                        format!(
                            "The first redemption failed ({}), so there is nothing to repeat.",
                            ran.outcome.summary
                        ),
                    );
                    r.exchanges = ran.exchanges;
                    return r;
                }
                ran
            }
            Variation::MethodBeyondScope => {
                let first = self.step(step, &config, &state, &tweak(case.vary)).await;
                let accepted = first
                    .exchanges
                    .last()
                    .is_some_and(|x| Got::of(x).accepted());
                if !accepted {
                    first
                } else {
                    setup.extend(first.exchanges.iter().cloned());
                    match self.narrower(i, &first, &mut setup).await {
                        Ok((narrow_state, said)) => {
                            narrowed = Some(said);
                            self.step(step, &config, &narrow_state, &tweak(case.vary))
                                .await
                        }
                        Err(why) => {
                            narrowed = Some(why.to_string());
                            first
                        }
                    }
                }
            }
            v => self.step(step, &config, &state, &tweak(v)).await,
        };
        let mut result = self.judged(case, step, ran, setup);
        if let Some(said) = narrowed {
            result.note = format!("{said} {}", result.note);
        }
        result
    }

    /// The values before base step `i` (an API call) with its token asked again for a
    /// narrower scope (the one with "read" in its name, else the first of the token's), when
    /// the token's scope covered the method tried; says what it did, or why it could not.
    async fn narrower(
        &self,
        i: usize,
        first: &Ran,
        setup: &mut Vec<Exchange>,
    ) -> Result<(FlowState, String), Unprepared> {
        let scopes = first
            .sent
            .last()
            .and_then(vary::bearer_of)
            .and_then(|t| protocol_wire::jwt::decode(t).ok())
            .map(|jwt| {
                let v = jwt.claims.get("scp").or_else(|| jwt.claims.get("scope"));
                match v {
                    Some(serde_json::Value::String(s)) => {
                        s.split_whitespace().map(String::from).collect()
                    }
                    other => protocol_wire::jwt::string_list(other),
                }
            })
            .unwrap_or_default();
        if scopes.len() < 2 {
            return Err(Unprepared::OneScope(scopes.join(" ")));
        }
        let narrow = scopes
            .iter()
            .find(|s| s.contains("read"))
            .unwrap_or(&scopes[0])
            .clone();
        let target = &self.base[i];
        let Some(p) = self.base.iter().position(|b| {
            (target.step.needs)(self.config)
                .iter()
                .any(|n| b.step.produces.contains(n))
                && b.step.fields.iter().any(|f| is_scope(f))
        }) else {
            return Err(Unprepared::NoScopeField);
        };
        let producer = self.base[p].step;
        let field = producer
            .fields
            .iter()
            .find(|f| is_scope(f))
            .expect("found above");
        let config = self.config.clone().with(field, narrow.as_str());
        let before = if self.base[p].kinds.contains(&StepKind::JwtBearer) {
            self.fresh(p, setup).await?
        } else {
            self.base[p].before.clone()
        };
        let ran = self
            .step(producer, &config, &before, &Tweak::default())
            .await;
        setup.extend(ran.exchanges.iter().cloned());
        if !ran.outcome.ok {
            return Err(Unprepared::NarrowFailed {
                step: producer.title,
                scope: narrow,
                summary: ran.outcome.summary,
            });
        }
        let mut state = target.before.clone();
        engine::record(
            self.def,
            producer,
            &config,
            &mut state,
            &ran.outcome,
            self.host.now(),
        );
        Ok((
            state,
            format!(
                "The first token's scope ({}) covers DELETE: the probe asked \"{}\" for a token with only {narrow}, and tried again.",
                scopes.join(" "),
                producer.title
            ),
        ))
    }

    /// The verdict on `ran`, with the exchanges that prepared it first.
    fn judged(
        &self,
        case: &'static Case,
        step: &'static Step,
        ran: Ran,
        mut setup: Vec<Exchange>,
    ) -> CaseResult {
        let cross_origin = ran.exchanges.last().is_some_and(|x| {
            x.via.is_none() && origin_of(&x.request.url) != origin_of(&self.site.origin)
        });
        let (got, verdict, mut note) = judge(
            case,
            &Seen {
                ran: &ran,
                cross_origin,
            },
        );
        if let Some(detail) = self.what_was_varied(case, &ran) {
            note = format!("{detail} {note}");
        }
        setup.extend(ran.exchanges);
        CaseResult {
            case,
            step: Some(step),
            got,
            verdict,
            note,
            exchanges: setup,
        }
    }

    /// What a tampering changed, for the note.
    fn what_was_varied(&self, case: &Case, ran: &Ran) -> Option<String> {
        let req = ran.sent.last()?;
        let token = match case.vary {
            Variation::TamperSubject => req.form_value("subject_token")?,
            Variation::TamperAssertion => req.form_value("assertion")?,
            Variation::TamperBearer => vary::bearer_of(req)?,
            _ => return None,
        };
        let changed = if token.split('.').count() == 3 {
            let claims = protocol_wire::jwt::decode(token).ok()?.claims;
            let name = claims
                .iter()
                .find(|(_, v)| v.as_str() == Some(vary::TAMPERED))?
                .0
                .clone();
            format!("Tampered: its {name} claim changed, header and signature kept.")
        } else {
            "Tampered: an opaque token, one character changed.".into()
        };
        Some(changed)
    }

    /// The values before base step `i` with its single-use inputs made again (a fresh ID-JAG
    /// from the token exchange that produced it); the exchanges go to `setup`.
    async fn fresh(&self, i: usize, setup: &mut Vec<Exchange>) -> Result<FlowState, Unprepared> {
        let target = &self.base[i];
        let mut state = target.before.clone();
        for need in (target.step.needs)(self.config) {
            let Some(p) = self.base.iter().find(|b| {
                b.step.produces.contains(need) && b.kinds.contains(&StepKind::TokenExchange)
            }) else {
                continue;
            };
            let ran = self
                .step(p.step, self.config, &p.before, &Tweak::default())
                .await;
            setup.extend(ran.exchanges.iter().cloned());
            if !ran.outcome.ok {
                return Err(Unprepared::FreshFailed {
                    need: need.label,
                    summary: ran.outcome.summary,
                });
            }
            engine::record(
                self.def,
                p.step,
                self.config,
                &mut state,
                &ran.outcome,
                self.host.now(),
            );
        }
        Ok(state)
    }

    /// The values once the flow's token is revoked (the revocation runs once, the first time
    /// it is needed; its exchanges go to `setup` then). `step` must use the revoked token.
    async fn revoked_state(
        &mut self,
        step: &'static Step,
        setup: &mut Vec<Exchange>,
    ) -> Result<FlowState, Unprepared> {
        let revoke = self.revoke.ok_or(Unprepared::NoRevocation)?;
        let revoked_token = (revoke.needs)(self.config);
        if !(step.needs)(self.config)
            .iter()
            .any(|n| revoked_token.contains(n))
        {
            return Err(Unprepared::OtherToken { step: step.title });
        }
        if self.revoked.is_none() {
            let mut state = self.after.clone();
            let result = match missing(revoke, self.config, &state) {
                Some(need) => Err(Unprepared::RevocationMissing { need: need.label }),
                None => {
                    let ran = self
                        .step(revoke, self.config, &state, &Tweak::default())
                        .await;
                    setup.extend(ran.exchanges.iter().cloned());
                    if ran.outcome.ok {
                        engine::record(
                            self.def,
                            revoke,
                            self.config,
                            &mut state,
                            &ran.outcome,
                            self.host.now(),
                        );
                        Ok(state)
                    } else {
                        Err(Unprepared::RevocationFailed {
                            summary: ran.outcome.summary,
                        })
                    }
                }
            };
            self.revoked = Some(result);
        }
        self.revoked.clone().expect("set above")
    }
}
