//! The autonomous AI agent flow (seed 004, PingOne Advanced Identity Cloud): the agent gets
//! its own token with client credentials, inspects it, exchanges it for a narrower token to
//! an application (RFC 8693, `audience` = the application's client ID), and inspects that.
//! Against a server that has no `tokeninfo`, the inspections use introspection (RFC 7662).

use serde_json::Value;

use super::common;
use super::StepOutcome;
use protocol_engine::flow::*;
use protocol_engine::needs;
use protocol_wire::checks::{self, Finding, Severity};
use protocol_wire::constants::TOKEN_TYPE_ACCESS;
use protocol_wire::demo;
use protocol_wire::request::HttpRequest;
use protocol_wire::requests::{self, TokenExchange};
use protocol_wire::response::{parse_token_response, HttpCapture};
use protocol_wire::scope;

/// The authorization server (a PingOne AIC realm, or any server).
pub const REALM: ServerRole = ServerRole {
    key: "realm",
    label: "authorization server",
    kind: RoleKind::AuthorizationServer,
    issued_by: None,
};

/// The AI agent.
pub const AGENT: Registration = Registration {
    key: "agent",
    label: "AI agent",
    server: &REALM,
};

/// The agent's own token.
pub const AGENT_TOKEN: Output = Output {
    key: "agent_token",
    label: "agent's own token",
    kind: OutputKind::AccessToken,
};
/// What inspecting it said.
pub const AGENT_INFO: Output = Output {
    key: "agent_info",
    label: "agent token info",
    kind: OutputKind::Json,
};
/// The exchanged token.
pub const EXCHANGED_TOKEN: Output = Output {
    key: "exchanged_token",
    label: "exchanged token",
    kind: OutputKind::AccessToken,
};
/// What inspecting it said.
pub const EXCHANGED_INFO: Output = Output {
    key: "exchanged_info",
    label: "exchanged token info",
    kind: OutputKind::Json,
};

/// The agent token's scopes.
pub const AGENT_SCOPES: Field = Field {
    key: "agent_scopes",
    label: "Scope",
    kind: FieldKind::Scopes(Some(&REALM)),
    help: "Scopes assigned to the agent; PingOne grants only those.",
};
/// The exchange's `audience`: the application's client ID.
pub const AUDIENCE: Field = Field {
    key: "audience",
    label: "Audience (the application's client ID)",
    kind: FieldKind::Text,
    help: "PingOne AIC names the target application by its client ID.",
};
/// The exchange's `scope`.
pub const EXCHANGE_SCOPE: Field = Field {
    key: "exchange_scope",
    label: "Scope",
    kind: FieldKind::Scopes(Some(&REALM)),
    help: "Limited to what the agent is permitted at the application.",
};
/// The exchange's `resource` values.
pub const EXCHANGE_RESOURCE: Field = Field {
    key: "exchange_resource",
    label: "Resource (optional, RFC 8707)",
    kind: FieldKind::Uris,
    help: "Not used by PingOne's example.",
};
/// Whether to send the agent's token as `actor_token` too.
pub const ACTOR: Field = Field {
    key: "actor",
    label: "Actor token (RFC 8693 delegation)",
    kind: FieldKind::Choice(&[
        ("", "None: the subject acts for itself"),
        ("agent", "The agent's own token as actor_token"),
    ]),
    help: "With an actor_token, the issued token's act names the actor (RFC 8693 4.1).",
};

fn credentials(ctx: &Ctx) -> Result<HttpRequest, ConfigError> {
    Ok(requests::client_credentials(
        &ctx.url()?,
        ctx.param(&AGENT_SCOPES),
        &[],
        &ctx.client_auth()?,
    ))
}

fn read_credentials(ctx: &Ctx, capture: &HttpCapture) -> StepOutcome {
    let resp = match parse_token_response(capture) {
        Ok(r) => r,
        Err(p) => return StepOutcome::problem(&p),
    };
    let Some(at) = resp.access_token.clone() else {
        return StepOutcome::failed("The response carries no access_token.");
    };
    StepOutcome::success(format!(
        "The agent has its own token, {}, {}.",
        common::granted_scope(&resp, ctx.param(&AGENT_SCOPES)),
        common::lifetime(&resp, Some(&at), ctx.now)
    ))
    .output(AGENT_TOKEN, &at)
    .token(common::view("Agent access token", &at, ctx.now))
}

fn is_pingone(c: &FlowConfig) -> bool {
    c.server(&REALM).layout == Layout::PingOneRealm
}

fn not_pingone(c: &FlowConfig) -> bool {
    !is_pingone(c)
}

fn info(ctx: &Ctx) -> Result<HttpRequest, ConfigError> {
    Ok(requests::tokeninfo(&ctx.url()?, &ctx.value(AGENT_TOKEN)))
}

fn info_after(ctx: &Ctx) -> Result<HttpRequest, ConfigError> {
    Ok(requests::tokeninfo(
        &ctx.url()?,
        &ctx.value(EXCHANGED_TOKEN),
    ))
}

fn introspect(ctx: &Ctx) -> Result<HttpRequest, ConfigError> {
    common::introspect(ctx, AGENT_TOKEN)
}

fn introspect_after(ctx: &Ctx) -> Result<HttpRequest, ConfigError> {
    common::introspect(ctx, EXCHANGED_TOKEN)
}

fn read_info(ctx: &Ctx, capture: &HttpCapture) -> StepOutcome {
    read_token_info(ctx, capture, false)
}

fn read_info_after(ctx: &Ctx, capture: &HttpCapture) -> StepOutcome {
    read_token_info(ctx, capture, true)
}

/// Reads a tokeninfo or introspection answer; after the exchange, explains the autonomous
/// `sub` = `act.sub`.
fn read_token_info(ctx: &Ctx, capture: &HttpCapture, exchanged: bool) -> StepOutcome {
    let mut o = common::read_json(capture, "Token info answered");
    let Some(body) = o.body.clone() else { return o };
    if body.get("active").and_then(Value::as_bool) == Some(false) {
        o.ok = false;
        o.summary = "active: false — the server does not consider this token valid.".into();
        return o;
    }
    let sub = body
        .get("sub")
        .and_then(Value::as_str)
        .unwrap_or("(none)")
        .to_string();
    let aud = protocol_wire::jwt::string_list(body.get("aud"));
    let scopes = match body.get("scope") {
        Some(Value::String(s)) => scope::split(s),
        other => protocol_wire::jwt::string_list(other),
    };
    let chain = checks::act_chain_of(body.get("act"));
    o.summary = format!(
        "sub {sub}, aud {}, scope {}.",
        aud.join(", "),
        scopes.join(" ")
    );
    let agent = ctx.client(&AGENT).id().to_string();
    if exchanged {
        let mut f = vec![];
        match chain.first() {
            Some(a) if *a == agent && sub == agent => f.push(Finding::new(Severity::Info, "autonomous", format!("sub and act.sub are both {agent}: the agent acts for itself (autonomous). In on-behalf-of, sub would be the user and act would name the agent.")).spec("RFC 8693 4.1")),
            Some(a) => f.push(Finding::new(Severity::Info, "act", format!("{a} acts on behalf of {sub}.")).spec("RFC 8693 4.1")),
            None => f.push(Finding::new(Severity::Warning, "act", "The exchanged token has no act claim naming the agent.").spec("RFC 8693 4.1")),
        }
        let app = ctx.param(&AUDIENCE);
        if aud.iter().any(|a| a == app) {
            f.push(Finding::new(
                Severity::Pass,
                "aud",
                format!("aud includes the application {app}."),
            ));
        } else {
            f.push(Finding::new(
                Severity::Error,
                "aud",
                format!("aud {aud:?} does not include the application {app:?}."),
            ));
        }
        f.extend(checks::check_scope_step(
            &scope::split(ctx.param(&EXCHANGE_SCOPE)),
            &scopes,
            "exchanged token",
        ));
        o.findings = f;
        o.outputs
            .push((EXCHANGED_INFO, capture.body.as_str().into()));
    } else {
        o.outputs.push((AGENT_INFO, capture.body.as_str().into()));
    }
    o
}

fn exchange(ctx: &Ctx) -> Result<HttpRequest, ConfigError> {
    let actor = (ctx.param(&ACTOR) == "agent")
        .then(|| (ctx.value(AGENT_TOKEN), TOKEN_TYPE_ACCESS.to_string()));
    common::exchange(
        ctx,
        TokenExchange {
            subject_token: ctx.value(AGENT_TOKEN),
            subject_token_type: TOKEN_TYPE_ACCESS.into(),
            audience: common::uris(ctx.param(&AUDIENCE)),
            resource: common::uris(ctx.param(&EXCHANGE_RESOURCE)),
            scope: ctx.param(&EXCHANGE_SCOPE).into(),
            actor,
            ..Default::default()
        },
    )
}

fn read_exchange(ctx: &Ctx, capture: &HttpCapture) -> StepOutcome {
    let resp = match parse_token_response(capture) {
        Ok(r) => r,
        Err(p) => return StepOutcome::problem(&p),
    };
    let Some(at) = resp.access_token.clone() else {
        return StepOutcome::failed("The response carries no access_token.");
    };
    let mut findings = vec![];
    if resp.issued_token_type.as_deref() != Some(TOKEN_TYPE_ACCESS) {
        findings.push(
            Finding::new(
                Severity::Warning,
                "issued_token_type",
                format!(
                    "issued_token_type is {:?}, not the access token type.",
                    resp.issued_token_type
                ),
            )
            .spec("RFC 8693 2.2.1"),
        );
    }
    if resp.raw.get("refresh_token").is_some_and(Value::is_null) {
        findings.push(Finding::new(
            Severity::Info,
            "refresh_token",
            "refresh_token is null (PingOne's way of saying none).",
        ));
    }
    if let Some(s) = &resp.scope {
        findings.extend(checks::check_scope_step(
            &scope::split(ctx.param(&EXCHANGE_SCOPE)),
            &scope::split(s),
            "exchanged token",
        ));
    }
    let mut o = StepOutcome::success(format!(
        "Token for {} issued, {}, {}.",
        ctx.param(&AUDIENCE),
        common::granted_scope(&resp, ctx.param(&EXCHANGE_SCOPE)),
        common::lifetime(&resp, Some(&at), ctx.now)
    ))
    .output(EXCHANGED_TOKEN, &at)
    .token(common::view("Exchanged access token", &at, ctx.now));
    o.findings = findings;
    o
}

const AI_AGENT: Actor = Actor {
    label: "AI Agent",
    kind: ActorKind::Agent,
};

const INFO_STEP: Step = Step {
    id: "info",
    actor: AI_AGENT,
    title: "Inspect the Agent's Token (tokeninfo)",
    description: "tokeninfo shows the claims: sub and aud are both the agent.",
    action_label: "Inspect token",
    optional: true,
    needs: needs![AGENT_TOKEN],
    produces: &[AGENT_INFO],
    target: Target {
        server: &REALM,
        endpoint: Endpoint::Info,
    },
    client: None,
    fields: &[],
    when: is_pingone,
    notes: &[],
    action: Action::Request { build: info },
};

const INFO_AFTER_STEP: Step = Step {
    id: "info_after",
    actor: AI_AGENT,
    title: "Inspect the Exchanged Token (tokeninfo)",
    description: "The exchanged token names the agent as both sub and act: autonomous, unlike on-behalf-of where sub is the user.",
    action_label: "Inspect token",
    optional: true,
    needs: needs![EXCHANGED_TOKEN],
    produces: &[EXCHANGED_INFO],
    target: Target { server: &REALM, endpoint: Endpoint::Info },
    client: None,
    fields: &[],
    when: is_pingone,
    notes: &[],
    action: Action::Request { build: info_after },
};

/// How the answer of each of the flow's request steps is read, by step id. Apart from
/// [`FLOW`] so that what only shows the flow (the page's first load) does not carry them.
pub fn readers(step: &str) -> Option<Read> {
    Some(match step {
        "info" => read_info,
        "info_after" => read_info_after,
        "credentials" => read_credentials,
        "introspect" => read_info,
        "exchange" => read_exchange,
        "introspect_after" => read_info_after,
        _ => return None,
    })
}

/// The flow.
pub static FLOW: FlowDef = FlowDef {
    id: "autonomous",
    label: "Autonomous agent (PingOne AIC)",
    title: "Autonomous AI Agent Flow",
    subtitle: "An AI agent acting on its own: client credentials, then token exchange (PingOne Advanced Identity Cloud, or any server)",
    servers: &[&REALM],
    clients: &[&AGENT],
    phases: &[
        Phase {
            title: "Phase 1 — Agent Authentication",
            description: "No user is involved: the AI agent authenticates as itself with its client ID and secret and inspects the token it got.",
            steps: &[
                Step {
                    id: "credentials",
                    actor: AI_AGENT,
                    title: "Obtain the Agent's Access Token (Client Credentials)",
                    description: "The agent requests a token for itself with the client credentials grant, authenticating with client_secret_post.",
                    action_label: "Get agent token",
                    optional: false,
                    needs: needs![],
                    produces: &[AGENT_TOKEN],
                    target: Target { server: &REALM, endpoint: Endpoint::Token },
                    client: Some(&AGENT),
                    fields: &[&AGENT_SCOPES],
                    when: every,
                    notes: &[],
                    action: Action::Request { build: credentials },
                },
                INFO_STEP,
                Step {
                    id: "introspect",
                    title: "Inspect the Agent's Token (introspection)",
                    description: "This server has no tokeninfo: introspection (RFC 7662) shows the token's claims instead.",
                    target: Target { server: &REALM, endpoint: Endpoint::Introspect },
                    client: Some(&AGENT),
                    when: not_pingone,
                    action: Action::Request { build: introspect },
                    ..INFO_STEP
                },
            ],
        },
        Phase {
            title: "Phase 2 — Scoped Token for the Application",
            description: "The agent exchanges its own token (RFC 8693) for a narrower token to one application: audience is the application's client ID, and the scopes are limited to what the agent is permitted there.",
            steps: &[
                Step {
                    id: "exchange",
                    actor: AI_AGENT,
                    title: "Token Exchange - Obtain a Token for the Application",
                    description: "Token exchange with the agent's token as subject_token, audience = the application's client ID, and narrowed scopes.",
                    action_label: "Exchange token",
                    optional: false,
                    needs: needs![AGENT_TOKEN],
                    produces: &[EXCHANGED_TOKEN],
                    target: Target { server: &REALM, endpoint: Endpoint::Token },
                    client: Some(&AGENT),
                    fields: &[&AUDIENCE, &EXCHANGE_SCOPE, &EXCHANGE_RESOURCE, &ACTOR],
                    when: every,
                    notes: &[],
                    action: Action::Request { build: exchange },
                },
                INFO_AFTER_STEP,
                Step {
                    id: "introspect_after",
                    title: "Inspect the Exchanged Token (introspection)",
                    description: "Introspection (RFC 7662) of the exchanged token: sub and act name the agent.",
                    target: Target { server: &REALM, endpoint: Endpoint::Introspect },
                    client: Some(&AGENT),
                    when: not_pingone,
                    action: Action::Request { build: introspect_after },
                    ..INFO_AFTER_STEP
                },
            ],
        },
    ],
    preset,
};

/// The demo tenant's configuration.
pub fn demo(env: &PresetEnv) -> FlowConfig {
    FlowConfig::default()
        .with_server(
            &REALM,
            Server::new(&demo::realm(&env.demo_org), Layout::PingOneRealm),
        )
        .with_client(
            &AGENT,
            Client::with_secret(
                demo::AUTONOMOUS_AGENT,
                AuthMethod::ClientSecretPost,
                demo::AUTONOMOUS_SECRET,
            ),
        )
        .with(&AGENT_SCOPES, "monitor-system")
        .with(&AUDIENCE, demo::LOG_APP)
        .with(&EXCHANGE_SCOPE, "logs-read logs-search")
}

fn preset(kind: PresetKind, env: &PresetEnv) -> Option<FlowConfig> {
    let real = |issuer: &str, layout: Layout, relay: bool| {
        FlowConfig::default()
            .with_server(
                &REALM,
                Server {
                    relay,
                    ..Server::new(issuer, layout)
                },
            )
            .with_client(
                &AGENT,
                Client::with_secret("", AuthMethod::ClientSecretPost, ""),
            )
    };
    match kind {
        PresetKind::BuiltInDemo | PresetKind::LocalDemo => Some(demo(env)),
        PresetKind::PingOne => Some(real(
            "https://openam-your-tenant.forgeblocks.com:443/am/oauth2/realms/root/realms/alpha",
            Layout::PingOneRealm,
            true,
        )),
        PresetKind::Generic => Some(real("", Layout::Discovery, false)),
        PresetKind::Okta => None,
    }
}
