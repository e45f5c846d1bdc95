//! Agent-to-agent as Okta documents it (seed 001): T1 for agent 1, agent 1's ID-JAG and T3 for
//! agent 2, agent 2's ID-JAG and T5 for the API, with the nested `act` chain; run against the
//! core and over HTTP.

mod common;

use common::*;
use protocol::constants::*;
use protocol::demo;
use protocol::request::Method;
use protocol::requests::{self, TokenExchange};
use serde_json::{json, Value};

fn exchange(
    r: &Running,
    subject: &str,
    kind: &str,
    resource: &str,
    agent2: bool,
) -> protocol::request::HttpRequest {
    let x = TokenExchange {
        subject_token: subject.into(),
        subject_token_type: kind.into(),
        requested_token_type: TOKEN_TYPE_ID_JAG.into(),
        audience: vec![r.custom("agents").issuer],
        resource: vec![resource.into()],
        scope: "chat.read chat.history".into(),
        actor: None,
    };
    let auth = if agent2 {
        agent2_auth(&r.org().token)
    } else {
        agent_auth(&r.org().token)
    };
    requests::token_exchange(&r.org().token, &x, &auth)
}

fn bearer(r: &Running, jag: &str, agent2: bool) -> protocol::request::HttpRequest {
    let token = r.custom("agents").token;
    let auth = if agent2 {
        agent2_auth(&token)
    } else {
        agent_auth(&token)
    };
    requests::jwt_bearer(&token, jag, "", &[], &auth)
}

async fn ok(r: &Running, req: &protocol::request::HttpRequest) -> Value {
    let res = r.send(req).await;
    assert_eq!(
        res.status,
        200,
        "{} {}: {}",
        req.method.as_str(),
        req.url,
        res.text
    );
    res.json
}

async fn client_token(r: &Running) -> String {
    let res = ok(
        r,
        &requests::client_credentials(
            &r.custom("agents").token,
            "chat.read chat.history",
            &[demo::agent1_url(&r.base)],
            &basic(demo::ORCHESTRATOR, demo::ORCHESTRATOR_SECRET),
        ),
    )
    .await;
    res["access_token"].as_str().unwrap().into()
}

conformance!(the_documented_chain_of_two_agents, |via| {
    let r = start(via).await;
    let t1 = client_token(&r).await;
    assert_eq!(
        claims(&t1)["aud"],
        demo::agent1_url(&r.base),
        "T1 names agent 1"
    );

    let res = ok(
        &r,
        &exchange(
            &r,
            &t1,
            TOKEN_TYPE_ACCESS,
            &demo::agent2_url(&r.base),
            false,
        ),
    )
    .await;
    assert_eq!(res["token_type"], "N_A");
    let t2 = claims(res["access_token"].as_str().unwrap());
    assert!(t2["jti"].as_str().unwrap().starts_with("IDAAG."));
    assert_eq!(
        t2["sub"],
        demo::ORCHESTRATOR,
        "the original service identity is kept"
    );
    assert_eq!(t2["sub_profile"], "service");
    assert_eq!(t2["resource"], demo::agent2_url(&r.base));
    assert_eq!(
        t2["client_id"],
        demo::AGENT,
        "the draft's client_id (Okta's example leaves it out)"
    );
    assert_eq!(
        t2["act"],
        json!({"sub": demo::AGENT, "sub_profile": "ai_agent", "act": {"sub": demo::ORCHESTRATOR, "sub_profile": "service"}})
    );

    let res = ok(
        &r,
        &bearer(&r, res["access_token"].as_str().unwrap(), false),
    )
    .await;
    let t3 = res["access_token"].as_str().unwrap().to_string();
    let c3 = claims(&t3);
    assert_eq!(c3["aud"], demo::agent2_url(&r.base));
    assert_eq!(c3["act"], t2["act"], "T3 carries the chain");

    let answer = r
        .send(&requests::api_call(
            Method::Get,
            &demo::agent2_url(&r.base),
            &t3,
        ))
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(
        answer.json["summary"],
        "Agent 2: wlp-demo-ai-agent is acting on behalf of 0oa-demo-orchestrator"
    );

    // Agent 2 exchanges T3, which names it; the chain grows.
    let res = ok(
        &r,
        &exchange(&r, &t3, TOKEN_TYPE_ACCESS, &demo::chat_api(&r.base), true),
    )
    .await;
    let t4 = claims(res["access_token"].as_str().unwrap());
    assert_eq!(t4["sub"], demo::ORCHESTRATOR);
    assert_eq!(
        protocol::checks::act_chain_of(t4.get("act")),
        [demo::AGENT2, demo::AGENT, demo::ORCHESTRATOR],
        "outermost = the immediate actor, innermost = the originator"
    );
    let res = ok(&r, &bearer(&r, res["access_token"].as_str().unwrap(), true)).await;
    let t5 = res["access_token"].as_str().unwrap().to_string();
    assert_eq!(claims(&t5)["aud"], demo::chat_api(&r.base));
    let api = r
        .send(&requests::api_call(
            Method::Get,
            &format!("{}/history", demo::chat_api(&r.base)),
            &t5,
        ))
        .await;
    assert_eq!(api.status, 200, "{}", api.text);
    assert_eq!(
        api.json["summary"],
        "Chat API: wlp-demo-research-agent is acting for wlp-demo-ai-agent on behalf of 0oa-demo-orchestrator"
    );
    assert_eq!(
        api.json["caller"]["actors"],
        json!([demo::AGENT2, demo::AGENT, demo::ORCHESTRATOR])
    );
});

conformance!(each_agent_exchanges_only_tokens_issued_for_it, |via| {
    let r = start(via).await;
    let t1 = client_token(&r).await;
    // Agent 2 cannot exchange T1: its aud names agent 1.
    let res = r
        .send(&exchange(
            &r,
            &t1,
            TOKEN_TYPE_ACCESS,
            &demo::chat_api(&r.base),
            true,
        ))
        .await;
    assert_eq!(
        (res.status, res.error()),
        (400, "invalid_grant"),
        "{}",
        res.text
    );
    assert!(
        res.description()
            .contains("does not name agent wlp-demo-research-agent"),
        "{}",
        res.text
    );
    // A client token without resource is for no agent.
    let t = ok(
        &r,
        &requests::client_credentials(
            &r.custom("agents").token,
            "chat.read",
            &[],
            &basic(demo::ORCHESTRATOR, demo::ORCHESTRATOR_SECRET),
        ),
    )
    .await;
    let res = r
        .send(&exchange(
            &r,
            t["access_token"].as_str().unwrap(),
            TOKEN_TYPE_ACCESS,
            &demo::agent2_url(&r.base),
            false,
        ))
        .await;
    assert_eq!(res.error(), "invalid_grant");
    // Without a delegation link, the agent may not act for that client.
    let r = start_with(via, |c| {
        for client in &mut c.clients {
            if client.id == demo::AGENT {
                client.delegations.clear();
            }
        }
    })
    .await;
    let t1 = client_token(&r).await;
    let res = r
        .send(&exchange(
            &r,
            &t1,
            TOKEN_TYPE_ACCESS,
            &demo::agent2_url(&r.base),
            false,
        ))
        .await;
    assert_eq!(res.error(), "invalid_grant");
    assert!(res.description().contains("delegation"), "{}", res.text);
});

conformance!(
    the_user_delegated_variant_keeps_the_user_as_subject,
    |via| {
        let r = start(via).await;
        let user = sign_in(&r).await;
        let res = ok(
            &r,
            &exchange(
                &r,
                &user.id_token,
                TOKEN_TYPE_ID,
                &demo::agent2_url(&r.base),
                false,
            ),
        )
        .await;
        let t2 = claims(res["access_token"].as_str().unwrap());
        assert_eq!(t2["sub"], demo::ALICE_ID);
        let res = ok(
            &r,
            &bearer(&r, res["access_token"].as_str().unwrap(), false),
        )
        .await;
        let t3 = res["access_token"].as_str().unwrap().to_string();
        assert_eq!(claims(&t3)["sub"], demo::ALICE);
        let res = ok(
            &r,
            &exchange(&r, &t3, TOKEN_TYPE_ACCESS, &demo::chat_api(&r.base), true),
        )
        .await;
        let res = ok(&r, &bearer(&r, res["access_token"].as_str().unwrap(), true)).await;
        let t5 = res["access_token"].as_str().unwrap();
        let api = r
            .send(&requests::api_call(
                Method::Get,
                &format!("{}/history", demo::chat_api(&r.base)),
                t5,
            ))
            .await;
        assert_eq!(
        api.json["summary"],
        "Chat API: wlp-demo-research-agent is acting for wlp-demo-ai-agent on behalf of Alice Example (00u-alice)"
    );
    }
);
