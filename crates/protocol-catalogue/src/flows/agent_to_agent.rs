//! Agent-to-agent (seed 001, Okta's "AI agent-to-agent token exchange"): a client gets a
//! token for itself at a custom authorization server with `resource` = agent 1's URL (T1);
//! agent 1 exchanges T1 for an ID-JAG (`resource` = agent 2's URL) and redeems it (T3, for
//! agent 2); agent 2 exchanges T3 for an ID-JAG, redeems it (T5) and calls the final API.
//! Each token carries the chain of actors in nested `act` claims. The user-delegated
//! variant starts from a user's ID token instead.

use super::agentic::{self, read_bearer_with, read_id_jag, IdJagStep, IDP};
use super::common::{self, API_BODY, API_HEADERS, API_METHOD, API_RESPONSE};
use super::signin::{self, USER_ID_TOKEN};
use super::StepOutcome;
use protocol_engine::flow::*;
use protocol_engine::needs;
use protocol_wire::checks::{Finding, Severity};
use protocol_wire::constants::*;
use protocol_wire::demo;
use protocol_wire::request::HttpRequest;
use protocol_wire::requests::{self, TokenExchange};
use protocol_wire::response::{parse_token_response, HttpCapture};

/// The custom authorization server that issues T1, T3 and T5.
pub const RESOURCE_AS: ServerRole = ServerRole {
    key: "resource_as",
    label: "custom authorization server",
    kind: RoleKind::AuthorizationServer,
    issued_by: None,
};
/// Agent 2, invoked by agent 1 with T3.
pub const AGENT2_RESOURCE: ServerRole = ServerRole {
    key: "agent2",
    label: "agent 2",
    kind: RoleKind::Resource,
    issued_by: Some(&RESOURCE_AS),
};
/// The API agent 2 finally calls with T5.
pub const API: ServerRole = ServerRole {
    key: "api",
    label: "final API",
    kind: RoleKind::Resource,
    issued_by: Some(&RESOURCE_AS),
};

/// The client that starts the chain with its own token.
pub const INITIATOR: Registration = Registration {
    key: "initiator",
    label: "initiating client",
    server: &RESOURCE_AS,
};
/// Agent 1 at the identity provider.
pub const AGENT1_AT_IDP: Registration = Registration {
    key: "agent1_idp",
    label: "agent 1 (at the identity provider)",
    server: &IDP,
};
/// Agent 1 at the custom authorization server.
pub const AGENT1_AT_AS: Registration = Registration {
    key: "agent1_as",
    label: "agent 1 (at the custom authorization server)",
    server: &RESOURCE_AS,
};
/// Agent 2 at the identity provider.
pub const AGENT2_AT_IDP: Registration = Registration {
    key: "agent2_idp",
    label: "agent 2 (at the identity provider)",
    server: &IDP,
};
/// Agent 2 at the custom authorization server.
pub const AGENT2_AT_AS: Registration = Registration {
    key: "agent2_as",
    label: "agent 2 (at the custom authorization server)",
    server: &RESOURCE_AS,
};

/// T1: the initiating client's own token for agent 1.
pub const CLIENT_TOKEN: Output = Output {
    key: "client_token",
    label: "client's token for agent 1 (T1)",
    kind: OutputKind::AccessToken,
};
/// T2: agent 1's ID-JAG.
pub const ID_JAG_1: Output = Output {
    key: "id_jag_1",
    label: "agent 1's ID-JAG (T2)",
    kind: OutputKind::IdJag,
};
/// T3: agent 1's token for agent 2.
pub const AGENT1_TOKEN: Output = Output {
    key: "agent1_token",
    label: "agent 1's token for agent 2 (T3)",
    kind: OutputKind::AccessToken,
};
/// Agent 2's answer to agent 1.
pub const AGENT2_ANSWER: Output = Output {
    key: "agent2_answer",
    label: "agent 2's answer",
    kind: OutputKind::Json,
};
/// T4: agent 2's ID-JAG.
pub const ID_JAG_2: Output = Output {
    key: "id_jag_2",
    label: "agent 2's ID-JAG (T4)",
    kind: OutputKind::IdJag,
};
/// T5: agent 2's token for the API.
pub const AGENT2_TOKEN: Output = Output {
    key: "agent2_token",
    label: "agent 2's token for the API (T5)",
    kind: OutputKind::AccessToken,
};

/// Where the chain starts.
pub const ORIGIN: Field = Field {
    key: "origin",
    label: "Subject token",
    kind: FieldKind::Choice(&[
        (ORIGIN_CLIENT, "The initiating client's own token (client credentials, step 1)"),
        (ORIGIN_USER, "A user's ID token (sign-in, step 1)"),
    ]),
    help: "Machine access: a client's own token whose aud is agent 1's URL. User access: the user's ID token.",
};
const ORIGIN_CLIENT: &str = "client";
const ORIGIN_USER: &str = "user";
/// T1's scope.
pub const T1_SCOPE: Field = Field {
    key: "t1_scope",
    label: "Scope",
    kind: FieldKind::Scopes(Some(&RESOURCE_AS)),
    help: "Scopes of the client's own token.",
};
/// T1's `resource`: the URL configured on agent 1.
pub const T1_RESOURCE: Field = Field {
    key: "t1_resource",
    label: "Resource (agent 1's URL)",
    kind: FieldKind::Uris,
    help: "The URL configured on the agent this client invokes; it becomes T1's aud.",
};
/// Agent 1's exchange: `audience`.
pub const A1_AUDIENCE: Field = Field {
    key: "a1_audience",
    label: "Audience (empty: the custom authorization server's issuer)",
    kind: FieldKind::Text,
    help: "The ID-JAG's aud: the issuer of the server that will redeem it.",
};
/// Agent 1's exchange: `resource` (agent 2's URL).
pub const A1_RESOURCE: Field = Field {
    key: "a1_resource",
    label: "Resource (agent 2's URL)",
    kind: FieldKind::Uris,
    help: "The agent that agent 1 invokes; T3's aud.",
};
/// Agent 1's exchange: `scope`.
pub const A1_SCOPE: Field = Field {
    key: "a1_scope",
    label: "Scope",
    kind: FieldKind::Scopes(Some(&RESOURCE_AS)),
    help: "Narrowed by agent 1's resource connection.",
};
/// Agent 1's JWT bearer: `scope`.
pub const A1_BEARER_SCOPE: Field = Field {
    key: "a1_bearer_scope",
    label: "Scope (optional; empty: the ID-JAG's)",
    kind: FieldKind::Scopes(Some(&RESOURCE_AS)),
    help: "RFC 7523 allows narrowing.",
};
/// Agent 1's JWT bearer: `resource`.
pub const A1_BEARER_RESOURCE: Field = Field {
    key: "a1_bearer_resource",
    label: "Resource (optional; empty: the ID-JAG's)",
    kind: FieldKind::Uris,
    help: "RFC 8707.",
};
/// Agent 2's exchange: `audience`.
pub const A2_AUDIENCE: Field = Field {
    key: "a2_audience",
    label: "Audience (empty: the custom authorization server's issuer)",
    kind: FieldKind::Text,
    help: "The ID-JAG's aud.",
};
/// Agent 2's exchange: `resource` (the final API).
pub const A2_RESOURCE: Field = Field {
    key: "a2_resource",
    label: "Resource (the final API)",
    kind: FieldKind::Uris,
    help: "Okta's example sends none; T5's aud is then the server's default audience.",
};
/// Agent 2's exchange: `scope`.
pub const A2_SCOPE: Field = Field {
    key: "a2_scope",
    label: "Scope",
    kind: FieldKind::Scopes(Some(&RESOURCE_AS)),
    help: "Narrowed by agent 2's resource connection.",
};
/// Agent 2's JWT bearer: `scope`.
pub const A2_BEARER_SCOPE: Field = Field {
    key: "a2_bearer_scope",
    label: "Scope (optional; empty: the ID-JAG's)",
    kind: FieldKind::Scopes(Some(&RESOURCE_AS)),
    help: "RFC 7523 allows narrowing.",
};
/// Agent 2's JWT bearer: `resource`.
pub const A2_BEARER_RESOURCE: Field = Field {
    key: "a2_bearer_resource",
    label: "Resource (optional; empty: the ID-JAG's)",
    kind: FieldKind::Uris,
    help: "RFC 8707.",
};

fn from_user(c: &FlowConfig) -> bool {
    c.param(&ORIGIN) == ORIGIN_USER
}

fn from_client(c: &FlowConfig) -> bool {
    !from_user(c)
}

fn origin_needs(c: &FlowConfig) -> &'static [Output] {
    if from_user(c) {
        &[USER_ID_TOKEN]
    } else {
        &[CLIENT_TOKEN]
    }
}

fn client_token(ctx: &Ctx) -> Result<HttpRequest, ConfigError> {
    let mut r = requests::client_credentials(
        &ctx.url()?,
        ctx.param(&T1_SCOPE),
        &common::uris(ctx.param(&T1_RESOURCE)),
        &ctx.client_auth()?,
    );
    r.label = "Client credentials grant with resource (RFC 8707)".into();
    Ok(r)
}

fn read_client_token(ctx: &Ctx, capture: &HttpCapture) -> StepOutcome {
    let resp = match parse_token_response(capture) {
        Ok(r) => r,
        Err(p) => return StepOutcome::problem(&p),
    };
    let Some(at) = resp.access_token.clone() else {
        return StepOutcome::failed("The response carries no access_token.");
    };
    let view = common::view("The client's own token (T1)", &at, ctx.now);
    let agent1 = common::uris(ctx.param(&T1_RESOURCE));
    let aud = view
        .claims
        .as_ref()
        .map(|c| protocol_wire::jwt::string_list(c.get("aud")))
        .unwrap_or_default();
    let mut o = StepOutcome::success(format!(
        "The client has its own token for {}, {}, {}.",
        aud.join(", "),
        common::granted_scope(&resp, ctx.param(&T1_SCOPE)),
        common::lifetime(&resp, Some(&at), ctx.now)
    ))
    .output(CLIENT_TOKEN, &at)
    .token(view);
    match agent1.first() {
        Some(a) if aud.contains(a) => o.findings.push(
            Finding::new(Severity::Pass, "t1.aud", format!("aud is agent 1's URL ({a}): only agent 1 may exchange it.")).spec("RFC 8707 2"),
        ),
        Some(a) => o.findings.push(
            Finding::new(Severity::Error, "t1.aud", format!("aud {aud:?} does not name agent 1 ({a}); agent 1's exchange will be refused.")).spec("RFC 8707 2"),
        ),
        None => o.findings.push(Finding::new(Severity::Warning, "t1.aud", "No resource was asked for: the token is not bound to agent 1, and Okta refuses to exchange it.")),
    }
    o
}

const A1_JAG: IdJagStep = IdJagStep {
    audience: &A1_AUDIENCE,
    scope: &A1_SCOPE,
    resource_as: &RESOURCE_AS,
    redeemer: &AGENT1_AT_AS,
    output: ID_JAG_1,
};

const A2_JAG: IdJagStep = IdJagStep {
    audience: &A2_AUDIENCE,
    scope: &A2_SCOPE,
    resource_as: &RESOURCE_AS,
    redeemer: &AGENT2_AT_AS,
    output: ID_JAG_2,
};

fn agent_exchange(
    ctx: &Ctx,
    spec: &IdJagStep,
    subject: Output,
    resource: &Field,
) -> Result<HttpRequest, ConfigError> {
    let access = subject != USER_ID_TOKEN;
    common::exchange(
        ctx,
        TokenExchange {
            subject_token: ctx.value(subject),
            subject_token_type: common::subject_type(access).into(),
            requested_token_type: TOKEN_TYPE_ID_JAG.into(),
            audience: vec![agentic::id_jag_audience(ctx, spec)?],
            resource: common::uris(ctx.param(resource)),
            scope: ctx.param(spec.scope).into(),
            actor: None,
        },
    )
}

fn agent1_exchange(ctx: &Ctx) -> Result<HttpRequest, ConfigError> {
    let subject = if from_user(ctx.config) {
        USER_ID_TOKEN
    } else {
        CLIENT_TOKEN
    };
    agent_exchange(ctx, &A1_JAG, subject, &A1_RESOURCE)
}

fn read_agent1_exchange(ctx: &Ctx, capture: &HttpCapture) -> StepOutcome {
    with_okta_note(read_id_jag(ctx, capture, &A1_JAG))
}

fn agent2_exchange(ctx: &Ctx) -> Result<HttpRequest, ConfigError> {
    agent_exchange(ctx, &A2_JAG, AGENT1_TOKEN, &A2_RESOURCE)
}

fn read_agent2_exchange(ctx: &Ctx, capture: &HttpCapture) -> StepOutcome {
    with_okta_note(read_id_jag(ctx, capture, &A2_JAG))
}

/// Where Okta's agent-to-agent examples differ from the draft, the card says so.
fn with_okta_note(mut o: StepOutcome) -> StepOutcome {
    if o.ok {
        o.findings.push(Finding::new(
            Severity::Info,
            "okta.a2a",
            "Okta's agent-to-agent examples show token_type Bearer and leave client_id out of the ID-JAG; the draft requires N_A and client_id, as this server sends. Okta adds sub_profile (service, ai_agent) and an IDAAG. jti prefix.",
        ));
    }
    o
}

fn bearer(
    ctx: &Ctx,
    jag: Output,
    scope: &Field,
    resource: &Field,
) -> Result<HttpRequest, ConfigError> {
    Ok(requests::jwt_bearer(
        &ctx.url()?,
        &ctx.value(jag),
        ctx.param(scope),
        &common::uris(ctx.param(resource)),
        &ctx.client_auth()?,
    ))
}

fn agent1_bearer(ctx: &Ctx) -> Result<HttpRequest, ConfigError> {
    bearer(ctx, ID_JAG_1, &A1_BEARER_SCOPE, &A1_BEARER_RESOURCE)
}

fn read_agent1_bearer(ctx: &Ctx, capture: &HttpCapture) -> StepOutcome {
    read_bearer_with(ctx, capture, ID_JAG_1, AGENT1_TOKEN, &A1_BEARER_RESOURCE)
}

fn agent2_bearer(ctx: &Ctx) -> Result<HttpRequest, ConfigError> {
    bearer(ctx, ID_JAG_2, &A2_BEARER_SCOPE, &A2_BEARER_RESOURCE)
}

fn read_agent2_bearer(ctx: &Ctx, capture: &HttpCapture) -> StepOutcome {
    read_bearer_with(ctx, capture, ID_JAG_2, AGENT2_TOKEN, &A2_BEARER_RESOURCE)
}

fn invoke_agent2(ctx: &Ctx) -> Result<HttpRequest, ConfigError> {
    let mut r = requests::api_call(
        protocol_wire::request::Method::Get,
        &ctx.url()?,
        &ctx.value(AGENT1_TOKEN),
    );
    r.label = "Agent 1 invokes agent 2 with T3".into();
    Ok(r)
}

fn read_invoke(_: &Ctx, capture: &HttpCapture) -> StepOutcome {
    let o = common::read_json(capture, "Agent 2 answered");
    if o.ok {
        return o.output(AGENT2_ANSWER, &capture.body);
    }
    o
}

fn api(ctx: &Ctx) -> Result<HttpRequest, ConfigError> {
    common::api_call(ctx, AGENT2_TOKEN)
}

const CLIENT: Actor = Actor {
    label: "CLIENT",
    kind: ActorKind::Client,
};
const AGENT_1: Actor = Actor {
    label: "AI Agent 1",
    kind: ActorKind::Agent,
};
const AGENT_2: Actor = Actor {
    label: "AI Agent 2",
    kind: ActorKind::Agent,
};

/// How the answer of each of the flow's request steps is read, by step id. Apart from
/// [`FLOW`] so that what only shows the flow (the page's first load) does not carry them.
pub fn readers(step: &str) -> Option<Read> {
    Some(match step {
        "client_token" => read_client_token,
        "agent1_exchange" => read_agent1_exchange,
        "agent1_bearer" => read_agent1_bearer,
        "invoke_agent2" => read_invoke,
        "agent2_exchange" => read_agent2_exchange,
        "agent2_bearer" => read_agent2_bearer,
        "api" => common::read_api,
        _ => return None,
    })
}

/// The flow.
pub static FLOW: FlowDef = FlowDef {
    id: "agent-to-agent",
    label: "Agent → agent (ID-JAG)",
    title: "Agent-to-Agent Token Exchange",
    subtitle: "A client invokes AI agent 1, which invokes AI agent 2: each agent exchanges the token it received for an ID-JAG and redeems it, and every token carries the chain of actors",
    servers: &[&IDP, &RESOURCE_AS, &AGENT2_RESOURCE, &API],
    clients: &[&INITIATOR, &agentic::APP, &AGENT1_AT_IDP, &AGENT1_AT_AS, &AGENT2_AT_IDP, &AGENT2_AT_AS],
    phases: &[
        Phase {
            title: "Phase 1 — The Subject Token",
            description: "Machine access: the client that invokes agent 1 gets a token for itself at a custom authorization server, with resource = the URL configured on agent 1. User access: the user signs in instead.",
            steps: &[
                Step {
                    id: "client_token",
                    actor: CLIENT,
                    title: "Client Credentials - Obtain a Token for Agent 1",
                    description: "The initiating client requests a token for itself with the client credentials grant. The resource parameter is agent 1's URL, so the token's aud names agent 1: only agent 1 may exchange it.",
                    action_label: "Get the client's token",
                    optional: false,
                    needs: needs![],
                    produces: &[CLIENT_TOKEN],
                    target: Target { server: &RESOURCE_AS, endpoint: Endpoint::Token },
                    client: Some(&INITIATOR),
                    fields: &[&T1_SCOPE, &T1_RESOURCE],
                    when: from_client,
                    notes: &[],
                    action: Action::Request { build: client_token },
                },
                Step { when: from_user, ..agentic::SIGN_IN },
            ],
        },
        Phase {
            title: "Phase 2 — Agent 1 Obtains a Token for Agent 2",
            description: "Agent 1 exchanges the token it received for an ID-JAG naming agent 2 as the resource, and redeems it at the custom authorization server. The new token's aud is agent 2; act names agent 1, then the client.",
            steps: &[
                Step {
                    id: "agent1_exchange",
                    actor: AGENT_1,
                    title: "Token Exchange - Agent 1 Obtains an ID-JAG",
                    description: "Agent 1 exchanges the subject token (T1, or the user's ID token) for an ID-JAG at the identity provider, with resource = agent 2's URL. The identity provider checks that the subject token was issued for agent 1.",
                    action_label: "Exchange for ID-JAG",
                    optional: false,
                    needs: origin_needs,
                    produces: &[ID_JAG_1],
                    target: Target { server: &IDP, endpoint: Endpoint::Token },
                    client: Some(&AGENT1_AT_IDP),
                    fields: &[&ORIGIN, &A1_AUDIENCE, &A1_RESOURCE, &A1_SCOPE],
                    when: every,
                    notes: &[],
                    action: Action::Request { build: agent1_exchange },
                },
                Step {
                    id: "agent1_bearer",
                    actor: AGENT_1,
                    title: "JWT Bearer Grant - Agent 1 Obtains a Token for Agent 2",
                    description: "Agent 1 redeems the ID-JAG at the custom authorization server (RFC 7523) and gets T3, whose aud is agent 2's URL.",
                    action_label: "Redeem ID-JAG",
                    optional: false,
                    needs: needs![ID_JAG_1],
                    produces: &[AGENT1_TOKEN],
                    target: Target { server: &RESOURCE_AS, endpoint: Endpoint::Token },
                    client: Some(&AGENT1_AT_AS),
                    fields: &[&A1_BEARER_SCOPE, &A1_BEARER_RESOURCE],
                    when: every,
                    notes: &[],
                    action: Action::Request { build: agent1_bearer },
                },
                Step {
                    id: "invoke_agent2",
                    actor: AGENT_1,
                    title: "Agent 1 Invokes Agent 2",
                    description: "Agent 1 calls agent 2 with T3. Agent 2 checks that the token was issued for it and sees who acts on whose behalf.",
                    action_label: "Invoke agent 2",
                    optional: true,
                    needs: needs![AGENT1_TOKEN],
                    produces: &[AGENT2_ANSWER],
                    target: Target { server: &AGENT2_RESOURCE, endpoint: Endpoint::Resource },
                    client: None,
                    fields: &[],
                    when: every,
                    notes: &[],
                    action: Action::Request { build: invoke_agent2 },
                },
            ],
        },
        Phase {
            title: "Phase 3 — Agent 2 Calls the API",
            description: "Agent 2 exchanges T3 (issued for it) for its own ID-JAG, redeems it, and calls the final API. The original identity stays the subject; act now names agent 2, then agent 1, then the client.",
            steps: &[
                Step {
                    id: "agent2_exchange",
                    actor: AGENT_2,
                    title: "Token Exchange - Agent 2 Obtains an ID-JAG",
                    description: "Agent 2 exchanges T3 for an ID-JAG at the identity provider. The identity provider checks that T3's aud names agent 2.",
                    action_label: "Exchange for ID-JAG",
                    optional: false,
                    needs: needs![AGENT1_TOKEN],
                    produces: &[ID_JAG_2],
                    target: Target { server: &IDP, endpoint: Endpoint::Token },
                    client: Some(&AGENT2_AT_IDP),
                    fields: &[&A2_AUDIENCE, &A2_RESOURCE, &A2_SCOPE],
                    when: every,
                    notes: &[],
                    action: Action::Request { build: agent2_exchange },
                },
                Step {
                    id: "agent2_bearer",
                    actor: AGENT_2,
                    title: "JWT Bearer Grant - Agent 2 Obtains a Token for the API",
                    description: "Agent 2 redeems its ID-JAG and gets T5 for the final API.",
                    action_label: "Redeem ID-JAG",
                    optional: false,
                    needs: needs![ID_JAG_2],
                    produces: &[AGENT2_TOKEN],
                    target: Target { server: &RESOURCE_AS, endpoint: Endpoint::Token },
                    client: Some(&AGENT2_AT_AS),
                    fields: &[&A2_BEARER_SCOPE, &A2_BEARER_RESOURCE],
                    when: every,
                    notes: &[],
                    action: Action::Request { build: agent2_bearer },
                },
                Step {
                    id: "api",
                    actor: AGENT_2,
                    title: "Agent 2 Calls the API",
                    description: "The API checks T5 and shows the whole chain: who acts, on whose behalf.",
                    action_label: "Call API",
                    optional: false,
                    needs: needs![AGENT2_TOKEN],
                    produces: &[API_RESPONSE],
                    target: Target { server: &API, endpoint: Endpoint::Resource },
                    client: None,
                    fields: &[&API_METHOD, &API_HEADERS, &API_BODY],
                    when: every,
                    notes: &[],
                    action: Action::Request { build: api },
                },
            ],
        },
    ],
    preset,
};

/// The demo tenant's configuration.
pub fn demo(env: &PresetEnv) -> FlowConfig {
    let org = &env.demo_org;
    let scopes = "chat.read chat.history";
    FlowConfig::default()
        .with_server(&IDP, Server::new(&demo::org(org), Layout::OktaOrg))
        .with_server(
            &RESOURCE_AS,
            Server::new(&demo::custom(org, "agents"), Layout::OktaCustom),
        )
        .with_server(
            &AGENT2_RESOURCE,
            Server::new(&demo::agent2_url(org), Layout::Discovery),
        )
        .with_server(
            &API,
            Server::new(
                &format!("{}/history", demo::chat_api(org)),
                Layout::Discovery,
            ),
        )
        .with_client(
            &INITIATOR,
            Client::with_secret(
                demo::ORCHESTRATOR,
                AuthMethod::ClientSecretBasic,
                demo::ORCHESTRATOR_SECRET,
            ),
        )
        .with_client(&agentic::APP, Client::public(demo::APP))
        .with_client(
            &AGENT1_AT_IDP,
            Client::with_key(demo::AGENT, demo::AGENT_KEY.trim()),
        )
        .with_client(
            &AGENT1_AT_AS,
            Client::with_key(demo::AGENT, demo::AGENT_KEY.trim()),
        )
        .with_client(
            &AGENT2_AT_IDP,
            Client::with_key(demo::AGENT2, demo::AGENT2_KEY.trim()),
        )
        .with_client(
            &AGENT2_AT_AS,
            Client::with_key(demo::AGENT2, demo::AGENT2_KEY.trim()),
        )
        .with(&ORIGIN, ORIGIN_CLIENT)
        .with(&signin::REDIRECT_URI, env.redirect_uri.as_str())
        .with(&signin::SCOPES, "openid profile email")
        .with(&T1_SCOPE, scopes)
        .with(&T1_RESOURCE, demo::agent1_url(org))
        .with(&A1_RESOURCE, demo::agent2_url(org))
        .with(&A1_SCOPE, scopes)
        .with(&A2_RESOURCE, demo::chat_api(org))
        .with(&A2_SCOPE, scopes)
}

fn preset(kind: PresetKind, env: &PresetEnv) -> Option<FlowConfig> {
    match kind {
        PresetKind::BuiltInDemo | PresetKind::LocalDemo => Some(demo(env)),
        PresetKind::Okta | PresetKind::Generic => {
            let okta = kind == PresetKind::Okta;
            let server = |issuer: &str, layout| Server {
                relay: okta,
                ..Server::new(
                    if okta { issuer } else { "" },
                    if okta { layout } else { Layout::Discovery },
                )
            };
            let agent = Client {
                assertion_aud: if okta {
                    AssertionAud::Endpoint
                } else {
                    AssertionAud::Issuer
                },
                ..Client::with_key("", "")
            };
            Some(
                FlowConfig::default()
                    .with_server(&IDP, server("https://your-org.okta.com", Layout::OktaOrg))
                    .with_server(
                        &RESOURCE_AS,
                        server(
                            "https://your-org.okta.com/oauth2/default",
                            Layout::OktaCustom,
                        ),
                    )
                    .with_server(&AGENT2_RESOURCE, Server::default())
                    .with_server(&API, Server::default())
                    .with_client(
                        &INITIATOR,
                        Client::with_secret("", AuthMethod::ClientSecretBasic, ""),
                    )
                    .with_client(&agentic::APP, Client::public(""))
                    .with_client(&AGENT1_AT_IDP, agent.clone())
                    .with_client(&AGENT1_AT_AS, agent.clone())
                    .with_client(&AGENT2_AT_IDP, agent.clone())
                    .with_client(&AGENT2_AT_AS, agent)
                    .with(&ORIGIN, ORIGIN_CLIENT)
                    .with(&signin::REDIRECT_URI, env.redirect_uri.as_str())
                    .with(&signin::SCOPES, "openid profile email"),
            )
        }
        PresetKind::PingOne => None,
    }
}
