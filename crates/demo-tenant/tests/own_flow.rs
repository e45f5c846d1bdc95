//! A flow declared here alone, in this file, runs through the same driver as the app's flows
//! against the tenant's core: a declaration (servers, clients, values, fields, steps with one
//! builder and one reader each) is all a new flow needs.

mod common;

use common::host::TenantHost;
use common::*;
use protocol::engine::{self, Site};
use protocol::flow::*;
use protocol::flows::{common as shared, StepOutcome};
use protocol::request::HttpRequest;
use protocol::response::{parse_token_response, HttpCapture};

const REALM: ServerRole = ServerRole {
    key: "realm",
    label: "realm",
    kind: RoleKind::AuthorizationServer,
    issued_by: None,
};
const AGENT: Registration = Registration {
    key: "agent",
    label: "agent",
    server: &REALM,
};
const TOKEN: Output = Output {
    key: "token",
    label: "agent's token",
    kind: OutputKind::AccessToken,
};
const INFO: Output = Output {
    key: "info",
    label: "token info",
    kind: OutputKind::Json,
};
const SCOPE: Field = Field {
    key: "scope",
    label: "Scope",
    kind: FieldKind::Text,
    help: "",
};
const ACTOR: Actor = Actor {
    label: "Agent",
    kind: ActorKind::Agent,
};

fn token_request(ctx: &Ctx) -> Result<HttpRequest, ConfigError> {
    Ok(protocol::requests::client_credentials(
        &ctx.url()?,
        ctx.param(&SCOPE),
        &[],
        &ctx.client_auth()?,
    ))
}

fn read_token(ctx: &Ctx, capture: &HttpCapture) -> StepOutcome {
    match parse_token_response(capture) {
        Ok(resp) => match resp.access_token {
            Some(at) => StepOutcome::success("The agent has a token.")
                .output(TOKEN, &at)
                .token(shared::view("Agent's token", &at, ctx.now)),
            None => StepOutcome::failed("No access token."),
        },
        Err(p) => StepOutcome::problem(&p),
    }
}

fn info_request(ctx: &Ctx) -> Result<HttpRequest, ConfigError> {
    Ok(protocol::requests::tokeninfo(
        &ctx.url()?,
        &ctx.value(TOKEN),
    ))
}

fn read_info(_: &Ctx, capture: &HttpCapture) -> StepOutcome {
    let o = shared::read_json(capture, "Token info");
    if o.ok {
        return o.output(INFO, &capture.body);
    }
    o
}

static FLOW: FlowDef = FlowDef {
    id: "own",
    label: "Own",
    title: "A flow of this test's own",
    subtitle: "Client credentials, then token info",
    servers: &[&REALM],
    clients: &[&AGENT],
    phases: &[Phase {
        title: "Phase 1",
        description: "The agent gets a token and asks what it holds.",
        steps: &[
            Step {
                id: "token",
                actor: ACTOR,
                title: "Client credentials",
                description: "",
                action_label: "Get a token",
                optional: false,
                needs: protocol::needs![],
                produces: &[TOKEN],
                target: Target {
                    server: &REALM,
                    endpoint: Endpoint::Token,
                },
                client: Some(&AGENT),
                fields: &[&SCOPE],
                when: every,
                notes: &[],
                action: Action::Request {
                    build: token_request,
                },
            },
            Step {
                id: "info",
                actor: ACTOR,
                title: "Token info",
                description: "",
                action_label: "Ask",
                optional: false,
                needs: protocol::needs![TOKEN],
                produces: &[INFO],
                target: Target {
                    server: &REALM,
                    endpoint: Endpoint::Info,
                },
                client: None,
                fields: &[],
                when: every,
                notes: &[],
                action: Action::Request {
                    build: info_request,
                },
            },
        ],
    }],
    preset: |_, _| None,
};

/// How the flow's answers are read, by step id.
fn readers(step: &str) -> Option<Read> {
    match step {
        "token" => Some(read_token),
        "info" => Some(read_info),
        _ => None,
    }
}

conformance!(a_flow_declared_in_a_test_runs_through_the_driver, |via| {
    let r = start(via).await;
    let config = FlowConfig::default()
        .with_server(
            &REALM,
            Server::new(&protocol::demo::realm(&r.base), Layout::PingOneRealm),
        )
        .with_client(
            &AGENT,
            Client::with_secret(
                protocol::demo::AUTONOMOUS_AGENT,
                AuthMethod::ClientSecretPost,
                protocol::demo::AUTONOMOUS_SECRET,
            ),
        )
        .with(&SCOPE, "monitor-system");
    let host = TenantHost::new(&r);
    let site = Site::default();
    let mut state = FlowState::default();
    for step in FLOW.steps(&config) {
        let at = engine::StepAt {
            def: &FLOW,
            readers,
            step,
            config: &config,
            state: &state,
        };
        let ran = engine::run(&host, &site, at).await.unwrap();
        assert!(ran.outcome.ok, "{}: {}", step.id, ran.outcome.summary);
        engine::record(&FLOW, step, &config, &mut state, &ran.outcome, now());
    }
    let info: serde_json::Value = serde_json::from_str(state.get(INFO).unwrap().expose()).unwrap();
    assert_eq!(info["sub"], protocol::demo::AUTONOMOUS_AGENT);
    assert!(
        state.get(TOKEN).is_some(),
        "the first step's token fed the second"
    );
});
