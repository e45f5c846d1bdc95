//! Okta On-Behalf-Of token exchange (seed 003): the user signs in to the client app at a
//! custom authorization server; a service app ("API1") exchanges the user's access token
//! for a token to another API ("API2"), at the same server or at one that trusts it.

use super::common::{self, API_BODY, API_HEADERS, API_METHOD, API_REFUSAL, API_RESPONSE};
use super::common::{INTROSPECTION, INTROSPECTION_AFTER, REVOKED};
use super::signin::{self, USER_ACCESS_TOKEN, USER_ID_TOKEN, USER_REFRESH_TOKEN};
use super::StepOutcome;
use protocol_engine::flow::*;
use protocol_engine::needs;
use protocol_wire::checks::{self, AccessTokenExpectations, Finding, Severity};
use protocol_wire::constants::TOKEN_TYPE_ACCESS;
use protocol_wire::demo;
use protocol_wire::jwt::decode;
use protocol_wire::request::HttpRequest;
use protocol_wire::requests::TokenExchange;
use protocol_wire::response::{parse_token_response, HttpCapture};
use protocol_wire::scope;

/// The custom authorization server the user signs in at.
pub const SIGNIN_AS: ServerRole = ServerRole {
    key: "signin_as",
    label: "sign-in authorization server",
    kind: RoleKind::AuthorizationServer,
    issued_by: None,
};
/// The server that performs the exchange (the same one, or one that trusts it).
pub const EXCHANGE_AS: ServerRole = ServerRole {
    key: "exchange_as",
    label: "exchanging authorization server",
    kind: RoleKind::AuthorizationServer,
    issued_by: None,
};
/// API2.
pub const API: ServerRole = ServerRole {
    key: "api",
    label: "API2",
    kind: RoleKind::Resource,
    issued_by: Some(&EXCHANGE_AS),
};

/// The client app the user signs in to.
pub const APP: Registration = Registration {
    key: "app",
    label: "client app",
    server: &SIGNIN_AS,
};
/// The service app (API1) that exchanges the user's token.
pub const SERVICE: Registration = Registration {
    key: "service",
    label: "service app (API1)",
    server: &EXCHANGE_AS,
};

/// The on-behalf-of token.
pub const OBO_TOKEN: Output = Output {
    key: "obo_token",
    label: "on-behalf-of token",
    kind: OutputKind::AccessToken,
};

/// The exchange's `audience`.
pub const AUDIENCE: Field = Field {
    key: "audience",
    label: "Audience (API2's audience)",
    kind: FieldKind::Text,
    help: "Okta: the target server's configured audience (com.api.atko), not an issuer URL.",
};
/// The exchange's `scope`.
pub const EXCHANGE_SCOPE: Field = Field {
    key: "exchange_scope",
    label: "Scope",
    kind: FieldKind::Scopes(Some(&EXCHANGE_AS)),
    help: "API2's scopes; openid and offline_access are not allowed for a service app's exchange.",
};
/// The exchange's `resource` values.
pub const EXCHANGE_RESOURCE: Field = Field {
    key: "exchange_resource",
    label: "Resource (optional, RFC 8707)",
    kind: FieldKind::Uris,
    help: "Not used by Okta's example; other servers may need it.",
};
/// The exchange's `requested_token_type`.
pub const REQUESTED_TYPE: Field = Field {
    key: "requested_token_type",
    label: "Requested token type (optional; empty: not sent, an access token)",
    kind: FieldKind::Text,
    help: "RFC 8693 2.1: the server issues an access token when it is absent.",
};

fn exchange(ctx: &Ctx) -> Result<HttpRequest, ConfigError> {
    common::exchange(
        ctx,
        TokenExchange {
            subject_token: ctx.value(USER_ACCESS_TOKEN),
            subject_token_type: TOKEN_TYPE_ACCESS.into(),
            requested_token_type: ctx.param(&REQUESTED_TYPE).into(),
            audience: common::uris(ctx.param(&AUDIENCE)),
            resource: common::uris(ctx.param(&EXCHANGE_RESOURCE)),
            scope: ctx.param(&EXCHANGE_SCOPE).into(),
            actor: None,
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
    let user = ctx
        .state
        .get(USER_ACCESS_TOKEN)
        .and_then(|t| decode(t.expose()).ok());
    let exchanger = ctx.server(&EXCHANGE_AS).issuer().to_string();
    let signin = ctx.server(&SIGNIN_AS).issuer().to_string();
    let mut findings = vec![];
    if let Ok(jwt) = decode(&at) {
        let subject = user
            .as_ref()
            .and_then(|u| u.str_claim("uid").or(u.str_claim("sub")))
            .unwrap_or_default();
        findings = checks::check_access_token(
            &jwt,
            &AccessTokenExpectations {
                issuer: exchanger.clone(),
                audience: common::uris(ctx.param(&AUDIENCE)),
                subject: subject.into(),
                actor: String::new(),
                previous_scope: vec![],
                now: ctx.now,
            },
        );
        findings.extend(checks::check_scope_step(
            &scope::split(ctx.param(&EXCHANGE_SCOPE)),
            &scope::from_claims(&jwt.claims).unwrap_or_default(),
            "new token",
        ));
        findings.push(Finding::new(
            Severity::Info,
            "obo",
            format!(
                "On-behalf-of: {} now holds a token whose subject is still the user; Okta's token names the service in cid, not in act.",
                ctx.client_id()
            ),
        ).spec("RFC 8693 1.1"));
    }
    if exchanger != signin {
        findings.push(Finding::new(
            Severity::Info,
            "trusted_server",
            format!("Trusted servers: {exchanger} accepted a token issued by {signin} because it trusts that server."),
        ));
    }
    let mut o = StepOutcome::success(format!(
        "Token for {} issued by {exchanger}, {}, {}.",
        ctx.param(&AUDIENCE),
        common::granted_scope(&resp, ctx.param(&EXCHANGE_SCOPE)),
        common::lifetime(&resp, Some(&at), ctx.now)
    ))
    .output(OBO_TOKEN, &at)
    .token(common::view("On-behalf-of access token", &at, ctx.now));
    o.findings = findings;
    o
}

fn api(ctx: &Ctx) -> Result<HttpRequest, ConfigError> {
    common::api_call(ctx, OBO_TOKEN)
}

fn introspect(ctx: &Ctx) -> Result<HttpRequest, ConfigError> {
    common::introspect(ctx, OBO_TOKEN)
}

fn revoke(ctx: &Ctx) -> Result<HttpRequest, ConfigError> {
    common::revoke(ctx, OBO_TOKEN)
}

const CLIENT_APP: Actor = Actor {
    label: "CLIENT APP",
    kind: ActorKind::Client,
};
const SERVICE_APP: Actor = Actor {
    label: "SERVICE (API1)",
    kind: ActorKind::Service,
};

/// How the answer of each of the flow's request steps is read, by step id. Apart from
/// [`FLOW`] so that what only shows the flow (the page's first load) does not carry them.
pub fn readers(step: &str) -> Option<Read> {
    Some(match step {
        "exchange" => read_exchange,
        "api" => common::read_api,
        "introspect" => common::read_introspection,
        "revoke" => common::read_revocation,
        "introspect_after" => common::read_introspection_after,
        "api_after" => common::read_refusal,
        _ => return None,
    })
}

/// The flow.
pub static FLOW: FlowDef = FlowDef {
    id: "obo",
    label: "On-Behalf-Of (Okta)",
    title: "On-Behalf-Of Token Exchange",
    subtitle: "A service exchanges the user's access token for a token to another API (RFC 8693, client_secret_basic)",
    servers: &[&SIGNIN_AS, &EXCHANGE_AS, &API],
    clients: &[&APP, &SERVICE],
    phases: &[
        Phase {
            title: "Phase 1 — User Authentication",
            description: "The user signs in to the client app at a custom authorization server; the app gets an access token for API1.",
            steps: &[Step {
                id: "signin",
                actor: CLIENT_APP,
                title: "Sign In to the Client App (Authorization Code with PKCE)",
                description: "The app redirects the user to the custom authorization server and exchanges the code for an access token (and an ID token). It sends the access token to API1.",
                action_label: "Sign in",
                optional: false,
                needs: needs![],
                produces: &[USER_ID_TOKEN, USER_ACCESS_TOKEN, USER_REFRESH_TOKEN],
                target: Target { server: &SIGNIN_AS, endpoint: Endpoint::Authorize },
                client: Some(&APP),
                fields: &[&signin::REDIRECT_URI, &signin::SCOPES],
                when: every,
                notes: &[],
                action: Action::SignIn,
            }],
        },
        Phase {
            title: "Phase 2 — On-Behalf-Of Exchange",
            description: "API1, a service app, exchanges the user's access token for a token to API2 (RFC 8693), authenticating with client_secret_basic. The user stays the subject; the audience and scopes change.",
            steps: &[Step {
                id: "exchange",
                actor: SERVICE_APP,
                title: "Token Exchange - Obtain a Token for API2",
                description: "The service app sends the user's access token as subject_token with audience = API2's audience; the exchanging server may be the one that issued the token, or one that trusts it.",
                action_label: "Exchange token",
                optional: false,
                needs: needs![USER_ACCESS_TOKEN],
                produces: &[OBO_TOKEN],
                target: Target { server: &EXCHANGE_AS, endpoint: Endpoint::Token },
                client: Some(&SERVICE),
                fields: &[&AUDIENCE, &EXCHANGE_SCOPE, &EXCHANGE_RESOURCE, &REQUESTED_TYPE],
                when: every,
                notes: &["Trusted servers: set the exchanging authorization server (Configuration) to another server that trusts the sign-in server; on the demo tenant, …/oauth2/aus-trusted-api2."],
                action: Action::Request { build: exchange },
            }],
        },
        Phase {
            title: "Phase 3 — Call API2, Inspect and Revoke",
            description: "API1 calls API2 with the new token; the token can be introspected and revoked, after which API2 refuses it.",
            steps: &[
                Step {
                    id: "api",
                    actor: SERVICE_APP,
                    title: "Call API2",
                    description: "API2 checks the token's issuer, audience and scope, and sees the user as the subject.",
                    action_label: "Call API2",
                    optional: false,
                    needs: needs![OBO_TOKEN],
                    produces: &[API_RESPONSE],
                    target: Target { server: &API, endpoint: Endpoint::Resource },
                    client: None,
                    fields: &[&API_METHOD, &API_HEADERS, &API_BODY],
                    when: every,
                    notes: &[],
                    action: Action::Request { build: api },
                },
                Step {
                    id: "introspect",
                    actor: SERVICE_APP,
                    title: "Introspect the New Token",
                    description: "The service app asks the exchanging server whether the token is active.",
                    action_label: "Introspect",
                    optional: true,
                    needs: needs![OBO_TOKEN],
                    produces: &[INTROSPECTION],
                    target: Target { server: &EXCHANGE_AS, endpoint: Endpoint::Introspect },
                    client: Some(&SERVICE),
                    fields: &[],
                    when: every,
                    notes: &[],
                    action: Action::Request { build: introspect },
                },
                Step {
                    id: "revoke",
                    actor: SERVICE_APP,
                    title: "Revoke the New Token",
                    description: "The service app revokes the token (RFC 7009).",
                    action_label: "Revoke",
                    optional: true,
                    needs: needs![OBO_TOKEN],
                    produces: &[REVOKED],
                    target: Target { server: &EXCHANGE_AS, endpoint: Endpoint::Revoke },
                    client: Some(&SERVICE),
                    fields: &[],
                    when: every,
                    notes: &[],
                    action: Action::Request { build: revoke },
                },
                Step {
                    id: "introspect_after",
                    actor: SERVICE_APP,
                    title: "Introspect Again",
                    description: "The revoked token is reported inactive.",
                    action_label: "Introspect",
                    optional: true,
                    needs: needs![REVOKED, OBO_TOKEN],
                    produces: &[INTROSPECTION_AFTER],
                    target: Target { server: &EXCHANGE_AS, endpoint: Endpoint::Introspect },
                    client: Some(&SERVICE),
                    fields: &[],
                    when: every,
                    notes: &[],
                    action: Action::Request { build: introspect },
                },
                Step {
                    id: "api_after",
                    actor: SERVICE_APP,
                    title: "Call API2 with the Revoked Token",
                    description: "API2 must refuse it (HTTP 401 invalid_token).",
                    action_label: "Call API2",
                    optional: true,
                    needs: needs![REVOKED, OBO_TOKEN],
                    produces: &[API_REFUSAL],
                    target: Target { server: &API, endpoint: Endpoint::Resource },
                    client: None,
                    fields: &[],
                    when: every,
                    notes: &["Same request as the API2 step."],
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
    FlowConfig::default()
        .with_server(
            &SIGNIN_AS,
            Server::new(&demo::custom(org, "default"), Layout::OktaCustom),
        )
        .with_server(
            &EXCHANGE_AS,
            Server::new(&demo::custom(org, "default"), Layout::OktaCustom),
        )
        .with_server(
            &API,
            Server::new(
                &format!("{}/api/api2/orders", demo::org(org)),
                Layout::Discovery,
            ),
        )
        .with_client(&APP, Client::public(demo::APP))
        .with_client(
            &SERVICE,
            Client::with_secret(
                demo::SERVICE,
                AuthMethod::ClientSecretBasic,
                demo::SERVICE_SECRET,
            ),
        )
        .with(&signin::REDIRECT_URI, env.redirect_uri.as_str())
        .with(&signin::SCOPES, "openid api:access:read api:access:write")
        .with(&AUDIENCE, demo::API2_AUDIENCE)
        .with(&EXCHANGE_SCOPE, "api:access:read api:access:write")
}

fn preset(kind: PresetKind, env: &PresetEnv) -> Option<FlowConfig> {
    let real = |issuer: &str, layout: Layout, relay: bool| {
        let server = Server {
            relay,
            ..Server::new(issuer, layout)
        };
        FlowConfig::default()
            .with_server(&SIGNIN_AS, server.clone())
            .with_server(&EXCHANGE_AS, server)
            .with_server(&API, Server::default())
            .with_client(&APP, Client::public(""))
            .with_client(
                &SERVICE,
                Client::with_secret("", AuthMethod::ClientSecretBasic, ""),
            )
            .with(&signin::REDIRECT_URI, env.redirect_uri.as_str())
            .with(&signin::SCOPES, "openid")
    };
    match kind {
        PresetKind::BuiltInDemo | PresetKind::LocalDemo => Some(demo(env)),
        PresetKind::Okta => Some(real(
            "https://your-org.okta.com/oauth2/default",
            Layout::OktaCustom,
            true,
        )),
        PresetKind::Generic => Some(real("", Layout::Discovery, false)),
        PresetKind::PingOne => None,
    }
}
