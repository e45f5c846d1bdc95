use super::*;
use protocol_engine::engine::{fingerprint, statuses};
use protocol_engine::flow::{FlowState, StepStatus};
use protocol_wire::secret::Secret;

fn env() -> PresetEnv {
    PresetEnv {
        demo_org: "http://127.0.0.1:9400/".into(),
        redirect_uri: "http://127.0.0.1:8080/".into(),
    }
}

fn ctx<'a>(c: &'a FlowConfig, st: &'a FlowState, id: &str) -> Ctx<'a> {
    Ctx::preview(&FLOW, FLOW.step(id).unwrap(), c, st, 1000)
}

fn build(c: &FlowConfig, st: &FlowState, id: &str) -> HttpRequest {
    match FLOW.step(id).unwrap().action {
        Action::Request { build, .. } => build(&ctx(c, st, id)).unwrap(),
        Action::SignIn => unreachable!(),
    }
}

fn names(statuses: &[StepStatus]) -> Vec<&'static str> {
    statuses.iter().map(|s| s.name()).collect()
}

/// Records a successful run of `id` with `outputs`, as the runner does.
fn run(c: &FlowConfig, st: &mut FlowState, id: &'static str, outputs: &[(Output, &str)]) {
    let step = FLOW.step(id).unwrap();
    let needs = (step.needs)(c);
    st.record(
        id,
        needs,
        step.produces,
        Ok(outputs.iter().map(|(o, v)| (*o, Secret::new(*v))).collect()),
        |st| fingerprint(&ctx(c, st, id)),
    );
}

#[test]
fn demo_preset_uses_okta_paths_and_the_resource_servers_issuer_as_audience() {
    let c = demo(&env());
    let st = FlowState::default();
    let x = build(&c, &st, "exchange");
    assert_eq!(x.url, "http://127.0.0.1:9400/oauth2/v1/token");
    assert_eq!(
        x.form_value("audience"),
        Some("http://127.0.0.1:9400/oauth2/files")
    );
    assert_eq!(
        x.form_value("requested_token_type"),
        Some(TOKEN_TYPE_ID_JAG)
    );
    assert_eq!(x.form_value("subject_token_type"), Some(TOKEN_TYPE_ID));
    assert_eq!(
        x.form_value("subject_token"),
        Some("{user's ID token from step 1}")
    );
    assert_eq!(
        x.form_value("client_assertion"),
        Some(protocol_engine::flow::context::ASSERTION_PLACEHOLDER)
    );
    assert!(
        x.form_value("resource").is_none(),
        "an empty resource is not sent"
    );
    let b = build(&c, &st, "bearer");
    assert_eq!(b.url, "http://127.0.0.1:9400/oauth2/files/v1/token");
    assert_eq!(b.form_value("assertion"), Some("{ID-JAG from step 2}"));
}

#[test]
fn the_assertion_audience_is_the_endpoint_or_the_issuer_never_free_text() {
    let mut c = demo(&env());
    let st = FlowState::default();
    let job = context::signing_job(&ctx(&c, &st, "bearer"))
        .unwrap()
        .unwrap();
    assert_eq!(job.aud, "http://127.0.0.1:9400/oauth2/files/v1/token");
    assert_eq!(job.client_id, demo::AGENT);
    c.client_mut(&AGENT_AT_AS).assertion_aud = AssertionAud::Issuer;
    let job = context::signing_job(&ctx(&c, &st, "bearer"))
        .unwrap()
        .unwrap();
    assert_eq!(job.aud, "http://127.0.0.1:9400/oauth2/files");
    // The introspection assertion names the introspection endpoint.
    c.client_mut(&AGENT_AT_AS).assertion_aud = AssertionAud::Endpoint;
    let job = context::signing_job(&ctx(&c, &st, "introspect"))
        .unwrap()
        .unwrap();
    assert_eq!(job.aud, "http://127.0.0.1:9400/oauth2/files/v1/introspect");
}

#[test]
fn per_server_client_authentication() {
    let mut c = demo(&env());
    *c.client_mut(&AGENT_AT_AS) =
        Client::with_secret("rs-client", AuthMethod::ClientSecretBasic, "s3cret");
    let st = FlowState::default();
    let b = build(&c, &st, "bearer");
    assert!(b.header("authorization").unwrap().starts_with("Basic "));
    assert!(b.form_value("client_assertion").is_none());
    assert_eq!(context::signing_job(&ctx(&c, &st, "bearer")).unwrap(), None);
    // The ID-JAG's client_id is checked against the resource server's client ID.
    assert_eq!(ctx(&c, &st, "bearer").client_id(), "rs-client");
    c.client_mut(&AGENT_AT_AS).secret = Secret::empty();
    let Action::Request { build, .. } = FLOW.step("bearer").unwrap().action else {
        unreachable!()
    };
    assert_eq!(
        build(&ctx(&c, &st, "bearer")).unwrap_err(),
        ConfigError::NoSecret {
            client: AGENT_AT_AS.label
        }
    );
}

#[test]
fn staleness_cascades_to_every_dependent_step() {
    let mut c = demo(&env());
    let mut st = FlowState::default();
    let s = |c: &FlowConfig, st: &FlowState| names(&statuses(&FLOW, c, st, 1000));
    assert_eq!(
        s(&c, &st),
        ["ready", "blocked", "blocked", "blocked", "blocked", "blocked", "blocked", "blocked"]
    );
    run(
        &c,
        &mut st,
        "signin",
        &[(USER_ID_TOKEN, "idt"), (USER_ACCESS_TOKEN, "at")],
    );
    run(&c, &mut st, "exchange", &[(ID_JAG, "jag")]);
    run(&c, &mut st, "bearer", &[(AGENT_ACCESS_TOKEN, "tok")]);
    run(&c, &mut st, "api", &[(API_RESPONSE, "{}")]);
    run(&c, &mut st, "introspect", &[(INTROSPECTION, "{}")]);
    assert_eq!(
        s(&c, &st),
        ["done", "done", "done", "done", "done", "ready", "blocked", "blocked"]
    );

    // Editing step 2's input marks step 2 and everything after it stale, transitively.
    c.set_param(&EXCHANGE_SCOPE, "files.read files.write");
    assert_eq!(
        s(&c, &st),
        ["done", "stale", "stale", "stale", "stale", "ready", "blocked", "blocked"]
    );
    let all = statuses(&FLOW, &c, &st, 1000);
    assert_eq!(
        all[1],
        StepStatus::Stale {
            why: vec![protocol_engine::flow::state::Staleness::Request]
        }
    );
    assert_eq!(
        all[3],
        StepStatus::Stale {
            why: vec![protocol_engine::flow::state::Staleness::Upstream("bearer")]
        }
    );

    // Re-running step 2 with a new ID-JAG: step 2 is done, step 3 stale (its input changed),
    // and step 4 still stale through step 3.
    run(&c, &mut st, "exchange", &[(ID_JAG, "jag2")]);
    assert_eq!(
        s(&c, &st),
        ["done", "done", "stale", "stale", "stale", "ready", "blocked", "blocked"]
    );
    run(&c, &mut st, "bearer", &[(AGENT_ACCESS_TOKEN, "tok")]);
    assert_eq!(
        s(&c, &st),
        ["done", "done", "done", "done", "done", "ready", "blocked", "blocked"],
        "same token again: nothing changed for 4 and 5"
    );
}

#[test]
fn status_texts_name_where_values_come_from() {
    let c = demo(&env());
    let st = FlowState::default();
    let all = statuses(&FLOW, &c, &st, 1000);
    let cx = ctx(&c, &st, "bearer");
    let text = all[2].describe(
        |o| cx.origin(o),
        |id| format!("step {}", FLOW.number(&c, id).unwrap()),
    );
    assert_eq!(text, "Waiting for ID-JAG (step 2)");
}

#[test]
fn resource_types_have_their_own_steps_and_mask_only_credentials() {
    let mut c = demo(&env());
    c.set_param(&RESOURCE_TYPE, "secret");
    assert_eq!(
        c.param(&SECRET_ORN),
        demo::SECRET_ORN,
        "the demo preset names the demo secret"
    );
    let steps: Vec<&str> = FLOW.steps(&c).iter().map(|s| s.id).collect();
    assert_eq!(steps, ["signin", "exchange_secret"]);
    let st = FlowState::default();
    let x = build(&c, &st, "exchange_secret");
    assert_eq!(
        x.form_value("requested_token_type"),
        Some(TOKEN_TYPE_OKTA_VAULTED_SECRET)
    );
    assert_eq!(x.form_value("resource"), Some(demo::SECRET_ORN));
    assert!(x.form_value("audience").is_none() && x.form_value("scope").is_none());
    let body = r#"{"issued_token_type":"urn:okta:params:oauth:token-type:vaulted-secret","vaulted_secret":{"k":"v"},"token_type":"N_A","expires_in":300}"#;
    let o = read_secret(
        &ctx(&c, &st, "exchange_secret"),
        &HttpCapture {
            status: 200,
            headers: vec![],
            body: body.into(),
        },
    );
    assert!(o.ok, "{o:?}");
    assert_eq!(
        o.secret_members,
        ["vaulted_secret"],
        "expires_in and token_type stay readable"
    );
    assert!(o.summary.contains("valid 300 s"), "{}", o.summary);
    assert_eq!(
        FLOW.step("exchange_secret").unwrap().title,
        "Token Exchange - Obtain a Vaulted Secret"
    );
}

#[test]
fn summaries_say_what_an_absent_member_means() {
    let c = demo(&env());
    let st = FlowState::default();
    let header = protocol_wire::encoding::b64url(br#"{"alg":"ES256","typ":"oauth-id-jag+jwt"}"#);
    let claims = protocol_wire::encoding::b64url(br#"{"iss":"x","sub":"u","aud":"http://127.0.0.1:9400/oauth2/files","client_id":"wlp-demo-ai-agent","jti":"j","iat":1000,"exp":1300}"#);
    let jag = format!("{header}.{claims}.c2ln");
    let body = format!(
        r#"{{"issued_token_type":"{TOKEN_TYPE_ID_JAG}","access_token":"{jag}","token_type":"N_A"}}"#
    );
    let o = read_exchange(
        &ctx(&c, &st, "exchange"),
        &HttpCapture {
            status: 200,
            headers: vec![],
            body,
        },
    );
    assert!(o.ok, "{o:?}");
    assert!(
        o.summary.contains("scope \"files.read\" as requested"),
        "{}",
        o.summary
    );
    assert!(
        o.summary.contains("valid 300 s (from its exp"),
        "{}",
        o.summary
    );
    assert!(!o.summary.contains("valid 0 s"));
}

#[test]
fn errors_and_wrong_token_types_are_refused() {
    let c = demo(&env());
    let st = FlowState::default();
    let cap = |status, body: &str| HttpCapture {
        status,
        headers: vec![],
        body: body.into(),
    };
    let cx = ctx(&c, &st, "exchange");
    let o = read_exchange(
        &cx,
        &cap(
            401,
            r#"{"error":"invalid_client","error_description":"bad key"}"#,
        ),
    );
    assert!(!o.ok && o.summary.contains("invalid_client"));
    assert!(o.diagnosis.unwrap().fix.contains("private key"));
    let o = read_exchange(
        &cx,
        &cap(
            200,
            r#"{"access_token":"x.y.z","issued_token_type":"urn:ietf:params:oauth:token-type:access_token","token_type":"Bearer"}"#,
        ),
    );
    assert!(!o.ok && o.outputs.is_empty());
}

#[test]
fn the_api_step_sends_method_headers_and_json_body() {
    let mut c = demo(&env());
    c.set_param(&API_METHOD, "POST");
    c.set_param(&API_HEADERS, "MCP-Protocol-Version: 2025-06-18\n");
    c.set_param(
        &API_BODY,
        r#"{"jsonrpc":"2.0","method":"initialize","id":1}"#,
    );
    let st = FlowState::default();
    let r = build(&c, &st, "api");
    assert_eq!(r.method, protocol_wire::request::Method::Post);
    assert_eq!(r.header("mcp-protocol-version"), Some("2025-06-18"));
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert!(r.body().unwrap().contains("initialize"));
    c.set_param(&API_BODY, "{not json");
    let Action::Request { build, .. } = FLOW.step("api").unwrap().action else {
        unreachable!()
    };
    assert!(build(&ctx(&c, &st, "api"))
        .unwrap_err()
        .to_string()
        .contains("not valid JSON"));
}

#[test]
fn refresh_appears_with_offline_access() {
    let mut c = demo(&env());
    assert!(FLOW.number(&c, "refresh").is_none());
    c.set_param(&signin::SCOPES, "openid offline_access");
    assert_eq!(FLOW.number(&c, "refresh"), Some(2));
    let r = build(&c, &FlowState::default(), "refresh");
    assert_eq!(r.form_value("grant_type"), Some("refresh_token"));
    assert_eq!(r.form_value("client_id"), Some(demo::APP));
}
