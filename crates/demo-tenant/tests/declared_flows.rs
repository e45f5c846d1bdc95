//! Every declared flow, step by step, against the tenant (in process and over HTTP), through
//! the one driver the browser uses (`protocol::engine`): the same signing, building, routing,
//! reading, judging and signature checks, with a native host instead of the browser's. A step
//! that fails, or a check that errs (a signature that does not verify included), fails the
//! test.

mod common;

use common::host::TenantHost;
use common::*;
use protocol::checks::Severity;
use protocol::engine::{self, Site};
use protocol::flow::{FlowConfig, FlowDef, FlowState, StepStatus};
use protocol::flows;

/// Runs every step of `def` that applies to `config`, in order, through the driver; returns
/// the final state.
async fn run(r: &Running, def: &'static FlowDef, config: &FlowConfig) -> FlowState {
    let host = TenantHost::new(r);
    let site = Site {
        origin: APP_ORIGIN.into(),
        local_demo: r.base.clone(),
        ..Default::default()
    };
    let mut state = FlowState::default();
    for step in def.steps(config) {
        let at = protocol::flows::step_at(def, step, config, &state);
        let ran = engine::run(&host, &site, at)
            .await
            .expect("the native host answers the sign-in here");
        let outcome = &ran.outcome;
        assert!(
            outcome.ok,
            "{} {}: {}\n{:?}",
            def.id, step.id, outcome.summary, outcome.diagnosis
        );
        for req in &ran.sent {
            assert!(
                !req.full_url().contains('{'),
                "{} {}: a placeholder was sent: {}",
                def.id,
                step.id,
                req.full_url()
            );
        }
        let errors: Vec<_> = outcome
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{} {}: {errors:?}", def.id, step.id);
        // Every token was verified against its issuer's keys, as in the browser.
        for t in &outcome.tokens {
            if t.header.is_some() {
                assert!(
                    outcome.findings.iter().any(|f| f.check == "signature"
                        && f.severity == Severity::Pass
                        && f.message
                            .starts_with(&format!("{}: signature verified", t.label))),
                    "{} {}: {} not verified: {:?}",
                    def.id,
                    step.id,
                    t.label,
                    outcome.findings
                );
            }
        }
        engine::record(def, step, config, &mut state, outcome, now());
    }
    let statuses = engine::statuses(def, config, &state, now());
    assert!(
        statuses.iter().all(|s| *s == StepStatus::Done),
        "{}: {statuses:?}",
        def.id
    );
    state
}

conformance!(every_declared_flow_runs_against_the_tenant, |via| {
    let r = start(via).await;
    for def in flows::ALL {
        run(&r, def, &preset(&r, def)).await;
    }
});

conformance!(variants_run_too, |via| {
    use protocol::flows::{agent_to_agent, agentic, autonomous, obo, signin};
    let r = start(via).await;
    // Headline flow: the user's access token as subject, refresh, and both resource types.
    let mut c = preset(&r, &agentic::FLOW);
    c.set_param(&agentic::SUBJECT, "access_token");
    c.set_param(&signin::SCOPES, "openid profile email offline_access");
    let st = run(&r, &agentic::FLOW, &c).await;
    assert!(st.get(signin::USER_REFRESH_TOKEN).is_some());
    // Both resource types, with the ORNs the demo preset fills in.
    for kind in ["secret", "service_account"] {
        let mut c = preset(&r, &agentic::FLOW);
        c.set_param(&agentic::RESOURCE_TYPE, kind);
        run(&r, &agentic::FLOW, &c).await;
    }
    // Agent-to-agent, user-delegated.
    let mut c = preset(&r, &agent_to_agent::FLOW);
    c.set_param(&agent_to_agent::ORIGIN, "user");
    run(&r, &agent_to_agent::FLOW, &c).await;
    // On-behalf-of at the trusted server.
    let mut c = preset(&r, &obo::FLOW);
    c.server_mut(&obo::EXCHANGE_AS).issuer = format!("{}/oauth2/aus-trusted-api2", r.base);
    run(&r, &obo::FLOW, &c).await;
    // The autonomous agent with an actor token.
    let mut c = preset(&r, &autonomous::FLOW);
    c.set_param(&autonomous::ACTOR, "agent");
    run(&r, &autonomous::FLOW, &c).await;
});

conformance!(client_options_run_too, |via| {
    use protocol::flow::{AssertionAud, AuthMethod};
    use protocol::flows::agentic;
    use tenant_core::config::{AssertionAudience, AuthMethod as TenantAuth};
    // The tenant registers the agent with the issuer as its assertion audience, and with
    // client_secret_basic at its custom (resource) servers.
    let r = start_with(via, |c| {
        let agent = c
            .clients
            .iter_mut()
            .find(|c| c.id == protocol::demo::AGENT)
            .unwrap();
        agent.assertion_audience = AssertionAudience::Issuer;
        agent.custom_server_auth = Some(TenantAuth::ClientSecretBasic);
        agent.secret = Some("agent-at-resource-secret".into());
    })
    .await;
    let mut c = preset(&r, &agentic::FLOW);
    c.client_mut(&agentic::AGENT_AT_IDP).assertion_aud = AssertionAud::Issuer;
    let agent_as = c.client_mut(&agentic::AGENT_AT_AS);
    agent_as.auth = AuthMethod::ClientSecretBasic;
    agent_as.secret = protocol::secret::Secret::new("agent-at-resource-secret");
    let state = run(&r, &agentic::FLOW, &c).await;
    assert!(state.get(agentic::AGENT_ACCESS_TOKEN).is_some());
});

#[tokio::test]
async fn flows_found_by_discovery_run_too() {
    use protocol::flow::Layout;
    use protocol::flows::{agentic, autonomous, obo};
    let r = start(Via::Http).await;
    // Discovery reads each server's metadata; the app does the same through fetch.
    let discover = |c: &mut FlowConfig, role: &'static protocol::flow::ServerRole| {
        let issuer = c.server(role).issuer().to_string();
        let server = c.server_mut(role);
        server.layout = Layout::Discovery;
        server.metadata = None;
        issuer
    };
    for def in [&agentic::FLOW, &obo::FLOW, &autonomous::FLOW] {
        let mut c = preset(&r, def);
        for role in def
            .servers
            .iter()
            .filter(|s| s.kind == protocol::flow::RoleKind::AuthorizationServer)
        {
            let issuer = discover(&mut c, role);
            let mut found = None;
            for url in protocol::endpoints::metadata_urls(&issuer) {
                let res = r
                    .send(&protocol::requests::get_json("metadata", &url))
                    .await;
                if res.status == 200 {
                    found = Some(
                        protocol::endpoints::ServerMetadata::parse(&res.json, &issuer, &url)
                            .unwrap(),
                    );
                    break;
                }
            }
            c.server_mut(role).metadata =
                Some(found.unwrap_or_else(|| panic!("no metadata for {issuer}")));
        }
        let steps: Vec<&str> = def.steps(&c).iter().map(|s| s.id).collect();
        if def.id == "autonomous" {
            assert!(
                steps.contains(&"introspect"),
                "no tokeninfo in metadata: introspection instead ({steps:?})"
            );
        }
        run(&r, def, &c).await;
    }
}

#[tokio::test]
async fn secrets_are_forgotten_before_anything_is_stored() {
    let r = start(Via::Core).await;
    for def in flows::ALL {
        let c = preset(&r, def);
        let (kept, n) = protocol::secret::redacted(|| serde_json::to_string(&c).unwrap());
        for secret in [
            protocol::demo::AGENT_KEY,
            protocol::demo::SERVICE_SECRET,
            protocol::demo::AUTONOMOUS_SECRET,
        ] {
            let d = serde_json::from_str::<serde_json::Value>(secret)
                .ok()
                .and_then(|v| v["d"].as_str().map(String::from));
            let needle = d.unwrap_or_else(|| secret.to_string());
            assert!(!kept.contains(&needle), "{}: {needle} kept", def.id);
        }
        assert!(n > 0, "{} has secrets to forget", def.id);
    }
}
