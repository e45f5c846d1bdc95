//! The "Agentic Token Exchange Flow" (the headline page, seeds 000 and 002): the user signs in
//! (code + PKCE), the AI agent exchanges the user's ID token for an ID-JAG at the identity
//! provider (RFC 8693, its own client authentication), redeems the ID-JAG at the resource
//! authorization server (RFC 7523), calls the API, then inspects and revokes the token.
//! Step 2 can also ask for Okta's other resource types (a vaulted secret, a service account).

use super::common::{self, API_BODY, API_HEADERS, API_METHOD, API_RESPONSE, INTROSPECTION};
use super::common::{API_REFUSAL, INTROSPECTION_AFTER, REVOKED};
use super::signin::{self, USER_ACCESS_TOKEN, USER_ID_TOKEN, USER_REFRESH_TOKEN};
use super::StepOutcome;
use protocol_engine::flow::*;
use protocol_engine::needs;
use protocol_wire::checks::{self, AccessTokenExpectations, Finding, IdJagExpectations, Severity};
use protocol_wire::constants::*;
use protocol_wire::demo;
use protocol_wire::jwt::decode;
use protocol_wire::request::HttpRequest;
use protocol_wire::requests::TokenExchange;
use protocol_wire::response::{parse_token_response, HttpCapture};
use protocol_wire::scope;

/// The identity provider (Okta: the org authorization server), which issues ID-JAGs.
pub const IDP: ServerRole = ServerRole {
    key: "idp",
    label: "identity provider",
    kind: RoleKind::AuthorizationServer,
    issued_by: None,
};
/// The resource authorization server (Okta: a custom authorization server).
pub const RESOURCE_AS: ServerRole = ServerRole {
    key: "resource_as",
    label: "resource authorization server",
    kind: RoleKind::AuthorizationServer,
    issued_by: None,
};
/// The API the agent calls.
pub const API: ServerRole = ServerRole {
    key: "api",
    label: "resource API",
    kind: RoleKind::Resource,
    issued_by: Some(&RESOURCE_AS),
};

/// The client app the user signs in to (a public SPA).
pub const APP: Registration = Registration {
    key: "app",
    label: "client app",
    server: &IDP,
};
/// The AI agent at the identity provider.
pub const AGENT_AT_IDP: Registration = Registration {
    key: "agent_idp",
    label: "AI agent (at the identity provider)",
    server: &IDP,
};
/// The AI agent at the resource authorization server (its client ID there may differ).
pub const AGENT_AT_AS: Registration = Registration {
    key: "agent_as",
    label: "AI agent (at the resource authorization server)",
    server: &RESOURCE_AS,
};

/// The ID-JAG of step 2.
pub const ID_JAG: Output = Output {
    key: "id_jag",
    label: "ID-JAG",
    kind: OutputKind::IdJag,
};
/// The agent's access token from step 3.
pub const AGENT_ACCESS_TOKEN: Output = Output {
    key: "agent_access_token",
    label: "agent's access token",
    kind: OutputKind::AccessToken,
};

/// What step 2 asks for (Okta's resource types).
pub const RESOURCE_TYPE: Field = Field {
    key: "resource_type",
    label: "Resource type",
    kind: FieldKind::Choice(&[
        (TYPE_AS, "Authorization server (ID-JAG)"),
        (TYPE_SECRET, "Secret (vaulted secret)"),
        (TYPE_SERVICE_ACCOUNT, "Service account"),
    ]),
    help: "Okta's resource connection types: an ID-JAG for an authorization server, or a vaulted credential released as it is.",
};
const TYPE_AS: &str = "authorization_server";
const TYPE_SECRET: &str = "secret";
const TYPE_SERVICE_ACCOUNT: &str = "service_account";

/// Which of the user's tokens is the subject.
pub const SUBJECT: Field = Field {
    key: "subject",
    label: "Subject token",
    kind: FieldKind::Choice(&[
        ("id_token", "ID token (urn:…:id_token)"),
        ("access_token", "Access token (urn:…:access_token)"),
    ]),
    help: "The draft's primary case is the ID token; Okta also accepts an access token.",
};
/// The exchange's `audience`.
pub const AUDIENCE: Field = Field {
    key: "audience",
    label: "Audience (Target Auth Server)",
    kind: FieldKind::Text,
    help: "The ID-JAG's aud: the issuer of the server that will redeem it (draft section 4.3). Empty: the resource authorization server's issuer.",
};
/// The exchange's `scope`.
pub const EXCHANGE_SCOPE: Field = Field {
    key: "exchange_scope",
    label: "Scope",
    kind: FieldKind::ScopesOf(&ScopeSource {
        server: &RESOURCE_AS,
        after: &AUDIENCE,
        missing: "Configure Audience (Target Auth Server) to load scopes",
    }),
    help: "Scopes at the resource authorization server; custom scopes only (Okta refuses openid here).",
};
/// The exchange's `resource` values.
pub const EXCHANGE_RESOURCE: Field = Field {
    key: "exchange_resource",
    label: "Resource (optional, RFC 8707; space-separated)",
    kind: FieldKind::Uris,
    help: "Names the API; the ID-JAG carries it, and the access token's aud follows it.",
};
/// The exchange's `requested_token_type`.
pub const REQUESTED_TYPE: Field = Field {
    key: "requested_token_type",
    label: "Requested token type (empty: ID-JAG)",
    kind: FieldKind::Text,
    help: "urn:ietf:params:oauth:token-type:id-jag for this flow.",
};
/// The vaulted secret's ORN.
pub const SECRET_ORN: Field = Field {
    key: "secret_orn",
    label: "Secret ORN (orn:okta:pam:…:secrets:…)",
    kind: FieldKind::Text,
    help: "A vaulted secret is named by its ORN alone: no audience, no scope.",
};
/// The service account's ORN.
pub const ACCOUNT_ORN: Field = Field {
    key: "account_orn",
    label: "Service account ORN (orn:okta:pam:…:service-accounts:…)",
    kind: FieldKind::Text,
    help: "A service account is named by its ORN alone: no audience, no scope.",
};
/// The JWT bearer step's `scope`.
pub const BEARER_SCOPE: Field = Field {
    key: "bearer_scope",
    label: "Scope (optional; empty: the ID-JAG's)",
    kind: FieldKind::Scopes(Some(&RESOURCE_AS)),
    help: "RFC 7523 allows narrowing; the draft takes the scope from the ID-JAG.",
};
/// The JWT bearer step's `resource` values.
pub const BEARER_RESOURCE: Field = Field {
    key: "bearer_resource",
    label: "Resource (optional, RFC 8707)",
    kind: FieldKind::Uris,
    help: "Some servers need it to issue a JWT access token for the right API.",
};

fn resource_type(c: &FlowConfig) -> &str {
    match c.param(&RESOURCE_TYPE) {
        "" => TYPE_AS,
        t => t,
    }
}

fn for_as(c: &FlowConfig) -> bool {
    resource_type(c) == TYPE_AS
}

fn for_secret(c: &FlowConfig) -> bool {
    resource_type(c) == TYPE_SECRET
}

fn for_service_account(c: &FlowConfig) -> bool {
    resource_type(c) == TYPE_SERVICE_ACCOUNT
}

fn wants_refresh(c: &FlowConfig) -> bool {
    scope::split(c.param(&signin::SCOPES))
        .iter()
        .any(|s| s == "offline_access")
}

fn subject_is_access(c: &FlowConfig) -> bool {
    c.param(&SUBJECT) == "access_token"
}

fn subject_needs(c: &FlowConfig) -> &'static [Output] {
    if subject_is_access(c) {
        &[USER_ACCESS_TOKEN]
    } else {
        &[USER_ID_TOKEN]
    }
}

fn exchange(ctx: &Ctx) -> Result<HttpRequest, ConfigError> {
    let access = subject_is_access(ctx.config);
    let subject = if access {
        USER_ACCESS_TOKEN
    } else {
        USER_ID_TOKEN
    };
    let requested = match ctx.param(&REQUESTED_TYPE) {
        "" => TOKEN_TYPE_ID_JAG,
        t => t,
    };
    common::exchange(
        ctx,
        TokenExchange {
            subject_token: ctx.value(subject),
            subject_token_type: common::subject_type(access).into(),
            requested_token_type: requested.into(),
            audience: vec![id_jag_audience(ctx, &HEADLINE_ID_JAG)?],
            resource: common::uris(ctx.param(&EXCHANGE_RESOURCE)),
            scope: ctx.param(&EXCHANGE_SCOPE).into(),
            actor: None,
        },
    )
}

/// What an ID-JAG step asks for and who will redeem it, for reading its answer.
pub struct IdJagStep {
    /// The audience field (empty: the resource server's issuer).
    pub audience: &'static Field,
    /// The scope field.
    pub scope: &'static Field,
    /// The server that will redeem the ID-JAG.
    pub resource_as: &'static ServerRole,
    /// The client that will redeem it there (the ID-JAG's `client_id`).
    pub redeemer: &'static Registration,
    /// Where the ID-JAG goes.
    pub output: Output,
}

/// The audience an ID-JAG is asked for: the field, else the resource server's issuer.
pub fn id_jag_audience(ctx: &Ctx, spec: &IdJagStep) -> Result<String, ConfigError> {
    match ctx.param(spec.audience) {
        "" => match ctx.server(spec.resource_as).issuer() {
            "" => Err(ConfigError::NoIssuer {
                server: spec.resource_as.label,
            }),
            issuer => Ok(issuer.into()),
        },
        a => Ok(a.into()),
    }
}

/// Reads a token exchange that should return an ID-JAG.
pub fn read_id_jag(ctx: &Ctx, capture: &HttpCapture, spec: &IdJagStep) -> StepOutcome {
    let resp = match parse_token_response(capture) {
        Ok(r) => r,
        Err(p) => return StepOutcome::problem(&p),
    };
    let mut findings = checks::check_id_jag_response(&resp);
    let Some(jag) = resp.access_token.clone() else {
        return StepOutcome::failed("The response carries no ID-JAG in access_token.");
    };
    let expected_aud = id_jag_audience(ctx, spec).unwrap_or_default();
    if let Ok(jwt) = decode(&jag) {
        findings.extend(checks::check_id_jag(
            &jwt,
            &IdJagExpectations {
                audience: expected_aud.clone(),
                client_id: ctx.client(spec.redeemer).id().into(),
                requested_scope: ctx.param(spec.scope).into(),
                now: ctx.now,
            },
        ));
        if jwt.claims.contains_key("act") {
            findings.extend(checks::check_act(&jwt, ctx.client_id()));
        }
    }
    let view = common::view("ID-JAG", &jag, ctx.now);
    if resp.issued_token_type.as_deref() != Some(TOKEN_TYPE_ID_JAG) {
        let mut o = StepOutcome::failed(
            "Refused: the response is not an ID-JAG (issued_token_type), so it must not be used.",
        )
        .token(view);
        o.findings = findings;
        return o;
    }
    let mut o = StepOutcome::success(format!(
        "ID-JAG issued for {expected_aud} with {}, {}.",
        common::granted_scope(&resp, ctx.param(spec.scope)),
        common::lifetime(&resp, Some(&jag), ctx.now)
    ))
    .output(spec.output, &jag)
    .token(view);
    o.findings = findings;
    o
}

const HEADLINE_ID_JAG: IdJagStep = IdJagStep {
    audience: &AUDIENCE,
    scope: &EXCHANGE_SCOPE,
    resource_as: &RESOURCE_AS,
    redeemer: &AGENT_AT_AS,
    output: ID_JAG,
};

fn read_exchange(ctx: &Ctx, capture: &HttpCapture) -> StepOutcome {
    read_id_jag(ctx, capture, &HEADLINE_ID_JAG)
}

fn exchange_vaulted(
    ctx: &Ctx,
    requested: &str,
    orn: &'static Field,
) -> Result<HttpRequest, ConfigError> {
    let access = subject_is_access(ctx.config);
    let subject = if access {
        USER_ACCESS_TOKEN
    } else {
        USER_ID_TOKEN
    };
    let field = orn;
    let orn = ctx.param(field);
    if orn.is_empty() {
        return Err(ConfigError::BadParam {
            field: field.label,
            reason: "the resource's ORN is required".into(),
        });
    }
    common::exchange(
        ctx,
        TokenExchange {
            subject_token: ctx.value(subject),
            subject_token_type: common::subject_type(access).into(),
            requested_token_type: requested.into(),
            resource: vec![orn.into()],
            ..Default::default()
        },
    )
}

fn exchange_secret(ctx: &Ctx) -> Result<HttpRequest, ConfigError> {
    exchange_vaulted(ctx, TOKEN_TYPE_OKTA_VAULTED_SECRET, &SECRET_ORN)
}

fn exchange_service_account(ctx: &Ctx) -> Result<HttpRequest, ConfigError> {
    exchange_vaulted(ctx, TOKEN_TYPE_OKTA_SERVICE_ACCOUNT, &ACCOUNT_ORN)
}

fn read_vaulted(ctx: &Ctx, capture: &HttpCapture, secret: bool) -> StepOutcome {
    let resp = match parse_token_response(capture) {
        Ok(r) => r,
        Err(p) => return StepOutcome::problem(&p),
    };
    let (what, member, expected) = if secret {
        (
            "vaulted secret",
            "vaulted_secret",
            TOKEN_TYPE_OKTA_VAULTED_SECRET,
        )
    } else {
        (
            "service account",
            "service_account",
            TOKEN_TYPE_OKTA_SERVICE_ACCOUNT,
        )
    };
    let object = if secret {
        &resp.vaulted_secret
    } else {
        &resp.service_account
    };
    if object.is_none() {
        return StepOutcome::failed(format!("The response carries no {member} object."));
    }
    let mut o = StepOutcome::success(format!(
        "{} released for {}, {}.",
        protocol_wire::text::capitalize(what),
        ctx.param(if secret { &SECRET_ORN } else { &ACCOUNT_ORN }),
        common::lifetime(&resp, None, ctx.now)
    ));
    if resp.issued_token_type.as_deref() != Some(expected) {
        o.findings.push(
            Finding::new(
                Severity::Error,
                "issued_token_type",
                format!(
                    "issued_token_type is {:?}, not {expected:?}.",
                    resp.issued_token_type
                ),
            )
            .spec("RFC 8693 2.2.1"),
        );
    }
    o.findings.push(Finding::new(
        Severity::Info,
        "resource_type",
        format!("The {what} itself is released (there is no access_token member, unlike RFC 8693 responses): no ID-JAG, no JWT bearer step, and no revocation; the vault manages its lifecycle. Its values are masked until you reveal secrets."),
    ));
    o.body = Some(resp.raw.clone());
    o.secret_members = vec![member.into()];
    o
}

fn read_secret(ctx: &Ctx, capture: &HttpCapture) -> StepOutcome {
    read_vaulted(ctx, capture, true)
}

fn read_service_account(ctx: &Ctx, capture: &HttpCapture) -> StepOutcome {
    read_vaulted(ctx, capture, false)
}

fn bearer(ctx: &Ctx) -> Result<HttpRequest, ConfigError> {
    Ok(protocol_wire::requests::jwt_bearer(
        &ctx.url()?,
        &ctx.value(ID_JAG),
        ctx.param(&BEARER_SCOPE),
        &common::uris(ctx.param(&BEARER_RESOURCE)),
        &ctx.client_auth()?,
    ))
}

/// Reads a JWT bearer answer: the access token keeps the ID-JAG's subject, names the agent
/// in `act`, may only narrow the ID-JAG's scope, and is for the resource asked for.
pub fn read_bearer_with(
    ctx: &Ctx,
    capture: &HttpCapture,
    assertion: Output,
    token: Output,
    bearer_resource: &Field,
) -> StepOutcome {
    let resp = match parse_token_response(capture) {
        Ok(r) => r,
        Err(p) => return StepOutcome::problem(&p),
    };
    let Some(at) = resp.access_token.clone() else {
        return StepOutcome::failed("The response carries no access_token.");
    };
    let jag = ctx
        .state
        .get(assertion)
        .and_then(|j| decode(j.expose()).ok());
    let server = ctx.step.target.server;
    let issuer = ctx.server(server).issuer().to_string();
    let mut findings = Vec::new();
    if let Ok(jwt) = decode(&at) {
        let mut audience = common::uris(ctx.param(bearer_resource));
        if audience.is_empty() {
            audience = jag
                .as_ref()
                .map(|j| protocol_wire::jwt::string_list(j.claims.get("resource")))
                .unwrap_or_default();
        }
        findings = checks::check_access_token(
            &jwt,
            &AccessTokenExpectations {
                issuer: issuer.clone(),
                audience,
                subject: jag
                    .as_ref()
                    .and_then(|j| j.str_claim("sub"))
                    .unwrap_or_default()
                    .into(),
                actor: ctx.client_id().into(),
                previous_scope: jag
                    .as_ref()
                    .and_then(|j| scope::from_claims(&j.claims))
                    .unwrap_or_default(),
                now: ctx.now,
            },
        );
    }
    if resp.refresh_token.is_some() {
        findings.push(
            Finding::new(
                Severity::Warning,
                "refresh_token",
                "A refresh token came back: the ID-JAG draft says the resource server SHOULD NOT issue one (the client presents a new ID-JAG instead).",
            )
            .spec(checks::ID_JAG_DRAFT),
        );
    }
    let requested = jag
        .as_ref()
        .and_then(|j| scope::from_claims(&j.claims))
        .map(|s| s.join(" "))
        .unwrap_or_default();
    let mut o = StepOutcome::success(format!(
        "Access token issued by {issuer}, {}, {}.",
        common::granted_scope(&resp, &requested),
        common::lifetime(&resp, Some(&at), ctx.now)
    ))
    .output(token, &at)
    .token(common::view("Access token", &at, ctx.now));
    o.findings = findings;
    o
}

fn read_bearer(ctx: &Ctx, capture: &HttpCapture) -> StepOutcome {
    read_bearer_with(ctx, capture, ID_JAG, AGENT_ACCESS_TOKEN, &BEARER_RESOURCE)
}

fn api(ctx: &Ctx) -> Result<HttpRequest, ConfigError> {
    common::api_call(ctx, AGENT_ACCESS_TOKEN)
}

fn introspect(ctx: &Ctx) -> Result<HttpRequest, ConfigError> {
    common::introspect(ctx, AGENT_ACCESS_TOKEN)
}

fn revoke(ctx: &Ctx) -> Result<HttpRequest, ConfigError> {
    common::revoke(ctx, AGENT_ACCESS_TOKEN)
}

const CLIENT_APP: Actor = Actor {
    label: "CLIENT APP",
    kind: ActorKind::Client,
};
const AI_AGENT: Actor = Actor {
    label: "AI Agent",
    kind: ActorKind::Agent,
};

/// The user's sign-in step (shared with the agent-to-agent flow's user variant).
pub const SIGN_IN: Step = Step {
    id: "signin",
    actor: CLIENT_APP,
    title: "Obtain Access Token - User Authentication (SSO)",
    description: "Using the OIDC standard authentication flow, redirect the user to {idp:idp} for authentication. The Agentic App exchanges the authorization code for an ID token and an access token; the ID token is the subject_token of the token exchange in step 2 (the draft's primary case; step 2 can use the access token instead).",
    action_label: "Sign in",
    optional: false,
    needs: needs![],
    produces: &[USER_ID_TOKEN, USER_ACCESS_TOKEN, USER_REFRESH_TOKEN],
    target: Target {
        server: &IDP,
        endpoint: Endpoint::Authorize,
    },
    client: Some(&APP),
    fields: &[&signin::REDIRECT_URI, &signin::SCOPES],
    when: every,
    notes: &["PKCE (S256), state and nonce are made with WebCrypto in this page when you sign in; state and nonce are checked on return."],
    action: Action::SignIn,
};

/// The optional refresh of the user's tokens (when `offline_access` is asked for).
pub const REFRESH: Step = Step {
    id: "refresh",
    actor: CLIENT_APP,
    title: "Refresh the User's Tokens",
    description: "With offline_access, the sign-in also returns a refresh token; the app trades it for fresh tokens without asking the user again (RFC 6749 section 6). New tokens make the later steps stale.",
    action_label: "Refresh",
    optional: true,
    needs: needs![USER_REFRESH_TOKEN],
    produces: &[USER_ID_TOKEN, USER_ACCESS_TOKEN, USER_REFRESH_TOKEN],
    target: Target {
        server: &IDP,
        endpoint: Endpoint::Token,
    },
    client: Some(&APP),
    fields: &[],
    when: wants_refresh,
    notes: &[],
    action: Action::Request {
        build: signin::refresh,
    },
};

const EXCHANGE_NOTE: &str = "The agent signs a fresh client assertion in this browser for each request: its aud is the endpoint it is sent to (or the issuer, as configured in Configuration), it lives 60 s and is single-use.";

/// How the answer of each of the flow's request steps is read, by step id. Apart from
/// [`FLOW`] so that what only shows the flow (the page's first load) does not carry them.
pub fn readers(step: &str) -> Option<Read> {
    Some(match step {
        "refresh" => signin::read_refresh,
        "exchange" => read_exchange,
        "exchange_secret" => read_secret,
        "exchange_service_account" => read_service_account,
        "bearer" => read_bearer,
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
    id: "agentic",
    label: "User → AI agent (ID-JAG)",
    title: "Agentic Token Exchange Flow",
    subtitle: "User to AI Agent Delegation using ID-JAG Tokens (client assertion)",
    servers: &[&IDP, &RESOURCE_AS, &API],
    clients: &[&APP, &AGENT_AT_IDP, &AGENT_AT_AS],
    phases: &[
        Phase {
            title: "Phase 1 — User Authentication",
            description: "The user authenticates with {idp:idp} via the origin application. This produces an access token and/or ID token that represents the user's identity.",
            steps: &[SIGN_IN, REFRESH],
        },
        Phase {
            title: "Phase 2 — Agent Token Acquisition",
            description: "The origin application sends the user's token to the AI Agent via a secure channel. The agent uses this token to obtain delegated authorization — first exchanging it for an ID-JAG token, then exchanging the ID-JAG for an access token from the {as:resource_as}.",
            steps: &[
                Step {
                    id: "exchange",
                    actor: AI_AGENT,
                    title: "Token Exchange - Obtain ID-JAG Token",
                    description: "The AI Agent exchanges the user's token for an ID-JAG (Identity Assertion) token via Token Exchange (RFC 8693). Uses a JWT client assertion signed with the Agent's private key for authentication.",
                    action_label: "Exchange for ID-JAG",
                    optional: false,
                    needs: subject_needs,
                    produces: &[ID_JAG],
                    target: Target { server: &IDP, endpoint: Endpoint::Token },
                    client: Some(&AGENT_AT_IDP),
                    fields: &[&RESOURCE_TYPE, &SUBJECT, &AUDIENCE, &EXCHANGE_SCOPE, &EXCHANGE_RESOURCE, &REQUESTED_TYPE],
                    when: for_as,
                    notes: &[EXCHANGE_NOTE],
                    action: Action::Request { build: exchange },
                },
                Step {
                    id: "exchange_secret",
                    actor: AI_AGENT,
                    title: "Token Exchange - Obtain a Vaulted Secret",
                    description: "The AI Agent exchanges the user's token for a secret vaulted in Okta Privileged Access, named by its ORN (requested_token_type …:vaulted-secret). The secret is released as it is: there is no token to redeem.",
                    action_label: "Exchange for the secret",
                    optional: false,
                    needs: subject_needs,
                    produces: &[],
                    target: Target { server: &IDP, endpoint: Endpoint::Token },
                    client: Some(&AGENT_AT_IDP),
                    fields: &[&RESOURCE_TYPE, &SUBJECT, &SECRET_ORN],
                    when: for_secret,
                    notes: &[EXCHANGE_NOTE],
                    action: Action::Request { build: exchange_secret },
                },
                Step {
                    id: "exchange_service_account",
                    actor: AI_AGENT,
                    title: "Token Exchange - Obtain Service Account Credentials",
                    description: "The AI Agent exchanges the user's token for a service account's credentials, named by its ORN (requested_token_type …:service-account). They are released as they are: there is no token to redeem.",
                    action_label: "Exchange for the credentials",
                    optional: false,
                    needs: subject_needs,
                    produces: &[],
                    target: Target { server: &IDP, endpoint: Endpoint::Token },
                    client: Some(&AGENT_AT_IDP),
                    fields: &[&RESOURCE_TYPE, &SUBJECT, &ACCOUNT_ORN],
                    when: for_service_account,
                    notes: &[EXCHANGE_NOTE],
                    action: Action::Request { build: exchange_service_account },
                },
                Step {
                    id: "bearer",
                    actor: AI_AGENT,
                    title: "JWT Bearer Grant - Obtain Access Token",
                    description: "The AI Agent exchanges the ID-JAG token for an access token from the {AS:resource_as} using the JWT Bearer grant (RFC 7523). It authenticates again, with a fresh JWT client assertion addressed to this server (assertions are single-use).",
                    action_label: "Redeem ID-JAG",
                    optional: false,
                    needs: needs![ID_JAG],
                    produces: &[AGENT_ACCESS_TOKEN],
                    target: Target { server: &RESOURCE_AS, endpoint: Endpoint::Token },
                    client: Some(&AGENT_AT_AS),
                    fields: &[&BEARER_SCOPE, &BEARER_RESOURCE],
                    when: for_as,
                    notes: &["The source page said this step \"uses the same JWT client assertion\": it cannot, since an assertion is single-use and its aud names one server. A fresh one is signed for this endpoint."],
                    action: Action::Request { build: bearer },
                },
            ],
        },
        Phase {
            title: "Phase 3 — Use the Token",
            description: "The AI Agent now has a scoped access token and can make API calls on behalf of the user.",
            steps: &[Step {
                id: "api",
                actor: AI_AGENT,
                title: "Test Token with API",
                description: "Test the access token by making an authenticated API request to a resource server.",
                action_label: "Call API",
                optional: true,
                needs: needs![AGENT_ACCESS_TOKEN],
                produces: &[API_RESPONSE],
                target: Target { server: &API, endpoint: Endpoint::Resource },
                client: None,
                fields: &[&API_METHOD, &API_HEADERS, &API_BODY],
                when: for_as,
                notes: &[],
                action: Action::Request { build: api },
            }],
        },
        Phase {
            title: "Phase 4 — Inspect and Revoke",
            description: "Introspection (RFC 7662) asks the authorization server whether a token is active; revocation (RFC 7009) ends it early. After revocation, introspection says inactive and the API must refuse the token.",
            steps: &[
                Step {
                    id: "introspect",
                    actor: AI_AGENT,
                    title: "Introspect the Access Token",
                    description: "The agent asks the resource authorization server about its access token (authenticated as the agent).",
                    action_label: "Introspect",
                    optional: true,
                    needs: needs![AGENT_ACCESS_TOKEN],
                    produces: &[INTROSPECTION],
                    target: Target { server: &RESOURCE_AS, endpoint: Endpoint::Introspect },
                    client: Some(&AGENT_AT_AS),
                    fields: &[],
                    when: for_as,
                    notes: &[],
                    action: Action::Request { build: introspect },
                },
                Step {
                    id: "revoke",
                    actor: AI_AGENT,
                    title: "Revoke the Access Token",
                    description: "The agent revokes its access token; the server answers 200 whether or not it knew the token.",
                    action_label: "Revoke",
                    optional: true,
                    needs: needs![AGENT_ACCESS_TOKEN],
                    produces: &[REVOKED],
                    target: Target { server: &RESOURCE_AS, endpoint: Endpoint::Revoke },
                    client: Some(&AGENT_AT_AS),
                    fields: &[],
                    when: for_as,
                    notes: &[],
                    action: Action::Request { build: revoke },
                },
                Step {
                    id: "introspect_after",
                    actor: AI_AGENT,
                    title: "Introspect Again",
                    description: "The revoked token is now reported inactive, with no other claim.",
                    action_label: "Introspect",
                    optional: true,
                    needs: needs![REVOKED, AGENT_ACCESS_TOKEN],
                    produces: &[INTROSPECTION_AFTER],
                    target: Target { server: &RESOURCE_AS, endpoint: Endpoint::Introspect },
                    client: Some(&AGENT_AT_AS),
                    fields: &[],
                    when: for_as,
                    notes: &[],
                    action: Action::Request { build: introspect },
                },
                Step {
                    id: "api_after",
                    actor: AI_AGENT,
                    title: "Call the API with the Revoked Token",
                    description: "The resource server must refuse a revoked token (HTTP 401 invalid_token).",
                    action_label: "Call API",
                    optional: true,
                    needs: needs![REVOKED, AGENT_ACCESS_TOKEN],
                    produces: &[API_REFUSAL],
                    target: Target { server: &API, endpoint: Endpoint::Resource },
                    client: None,
                    fields: &[],
                    when: for_as,
                    notes: &["Same request as the API step."],
                    action: Action::Request { build: api },
                },
            ],
        },
    ],
    preset,
};

/// The demo tenant's configuration at `org` (built-in or local).
pub fn demo(env: &PresetEnv) -> FlowConfig {
    let org = &env.demo_org;
    FlowConfig::default()
        .with_server(&IDP, Server::new(&demo::org(org), Layout::OktaOrg))
        .with_server(
            &RESOURCE_AS,
            Server::new(&demo::custom(org, "files"), Layout::OktaCustom),
        )
        .with_server(
            &API,
            Server::new(
                &format!("{}/documents", demo::files_api(org)),
                Layout::Discovery,
            ),
        )
        .with_client(&APP, Client::public(demo::APP))
        .with_client(
            &AGENT_AT_IDP,
            Client::with_key(demo::AGENT, demo::AGENT_KEY.trim()),
        )
        .with_client(
            &AGENT_AT_AS,
            Client::with_key(demo::AGENT, demo::AGENT_KEY.trim()),
        )
        .with(&signin::REDIRECT_URI, env.redirect_uri.as_str())
        .with(&signin::SCOPES, "openid profile email")
        .with(&AUDIENCE, demo::custom(org, "files"))
        .with(&EXCHANGE_SCOPE, "files.read")
        .with(&SECRET_ORN, demo::SECRET_ORN)
        .with(&ACCOUNT_ORN, demo::SERVICE_ACCOUNT_ORN)
}

fn preset(kind: PresetKind, env: &PresetEnv) -> Option<FlowConfig> {
    let real = |idp: Server, resource: Server, agent: Client| {
        FlowConfig::default()
            .with_server(&IDP, idp)
            .with_server(&RESOURCE_AS, resource)
            .with_server(&API, Server::default())
            .with_client(&APP, Client::public(""))
            .with_client(&AGENT_AT_IDP, agent.clone())
            .with_client(&AGENT_AT_AS, agent)
            .with(&signin::REDIRECT_URI, env.redirect_uri.as_str())
            .with(&signin::SCOPES, "openid profile email")
    };
    match kind {
        PresetKind::BuiltInDemo | PresetKind::LocalDemo => Some(demo(env)),
        PresetKind::Okta => {
            let relayed = |issuer: &str, layout| Server {
                relay: true,
                ..Server::new(issuer, layout)
            };
            Some(real(
                relayed("https://your-org.okta.com", Layout::OktaOrg),
                relayed(
                    "https://your-org.okta.com/oauth2/default",
                    Layout::OktaCustom,
                ),
                Client::with_key("", ""),
            ))
        }
        PresetKind::Generic => Some(real(
            Server::default(),
            Server::default(),
            Client {
                assertion_aud: AssertionAud::Issuer,
                ..Client::with_key("", "")
            },
        )),
        PresetKind::PingOne => None,
    }
}

#[cfg(test)]
mod tests;
