//! On-behalf-of (seed 003, with trusted servers), the PingOne AIC autonomous agent (seed 004),
//! and the Okta resource types (vaulted secret, service account), over real HTTP.

mod common;

use common::*;
use demo_tenant::config::*;
use protocol::client_auth::ClientAuth;
use protocol::constants::*;
use protocol::jwt::decode;
use protocol::request::Method;
use protocol::requests::{self, TokenExchange};

/// Alice's access token from a sign-in at a custom server (the OBO SPA signs in at `default`).
async fn user_access_token(r: &Running, server: &str) -> String {
    let json = sign_in_at(
        r,
        Some(server),
        "openid api:access:read api:access:write",
        "00u-alice",
    )
    .await;
    json["access_token"].as_str().unwrap().into()
}

fn obo(subject: &str, scope: &str, audience: &str, secret: &str) -> (TokenExchange, ClientAuth) {
    (
        TokenExchange {
            subject_token: subject.into(),
            subject_token_type: TOKEN_TYPE_ACCESS.into(),
            scope: scope.into(),
            audience: vec![audience.into()],
            ..Default::default()
        },
        ClientAuth::SecretBasic {
            client_id: DEMO_SERVICE.into(),
            client_secret: secret.into(),
        },
    )
}

#[tokio::test]
async fn on_behalf_of_keeps_the_user_and_narrows_at_the_trusted_server() {
    let r = start().await;
    let at = user_access_token(&r, "default").await;
    let default = protocol::endpoints::okta_custom(&r.base, "default");
    let (x, auth) = obo(
        &at,
        "api:access:read api:access:write",
        "com.api.atko",
        DEMO_SERVICE_SECRET,
    );
    let req = requests::token_exchange(&default.token, &x, &auth);
    // Exactly the seed's request: Basic auth, these five fields in this order.
    let names: Vec<&str> = req.form.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "grant_type",
            "subject_token_type",
            "subject_token",
            "scope",
            "audience"
        ]
    );
    let res = r.send(&req).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json["issued_token_type"], TOKEN_TYPE_ACCESS);
    let t = decode(res.json["access_token"].as_str().unwrap()).unwrap();
    assert_eq!(
        t.str_claim("sub"),
        Some("00u-alice"),
        "the user stays the subject"
    );
    assert_eq!(t.audiences(), ["com.api.atko"]);
    assert_eq!(t.str_claim("cid"), Some(DEMO_SERVICE));

    // The trusted server accepts default's token, and its policy narrows the scopes.
    let trusted = protocol::endpoints::okta_custom(&r.base, "aus-trusted-api2");
    let (x, auth) = obo(
        &at,
        "api:access:read api:access:write",
        "com.api.atko",
        DEMO_SERVICE_SECRET,
    );
    let res = r
        .send(&requests::token_exchange(&trusted.token, &x, &auth))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json["scope"], "api:access:read");
    let t = decode(res.json["access_token"].as_str().unwrap()).unwrap();
    assert_eq!(t.str_claim("iss"), Some(trusted.issuer.as_str()));
    // API2 accepts the trusted server's token and names the service and the user.
    let api = r
        .send(&requests::api_call(
            Method::Get,
            &format!("{}/api/api2/orders", r.base),
            res.json["access_token"].as_str().unwrap(),
        ))
        .await;
    assert_eq!(api.status, 200, "{}", api.text);
    assert!(api.json["summary"]
        .as_str()
        .unwrap()
        .contains("0oa-demo-service-api1 is calling on behalf of Alice Example"));

    // A server that does not trust default refuses its token.
    let files = protocol::endpoints::okta_custom(&r.base, "files");
    let (x, auth) = obo(
        &at,
        "files.read",
        &format!("{}/api/files", r.base),
        DEMO_SERVICE_SECRET,
    );
    let res = r
        .send(&requests::token_exchange(&files.token, &x, &auth))
        .await;
    assert_eq!((res.status, res.error()), (400, "invalid_grant"));
    assert!(res.text.contains("does not trust"));
}

#[tokio::test]
async fn on_behalf_of_refusals() {
    let r = start().await;
    let at = user_access_token(&r, "default").await;
    let default = protocol::endpoints::okta_custom(&r.base, "default");
    let (x, auth) = obo(&at, "api:access:read", "com.api.atko", "wrong-secret");
    let res = r
        .send(&requests::token_exchange(&default.token, &x, &auth))
        .await;
    assert_eq!((res.status, res.error()), (401, "invalid_client"));
    assert!(res.headers["www-authenticate"]
        .to_str()
        .unwrap()
        .starts_with("Basic"));
    let (x, auth) = obo(
        &at,
        "api:access:read",
        "com.unknown.api",
        DEMO_SERVICE_SECRET,
    );
    let res = r
        .send(&requests::token_exchange(&default.token, &x, &auth))
        .await;
    assert_eq!((res.status, res.error()), (400, "invalid_target"));
    let (x, auth) = obo(&at, "api:access:admin", "com.api.atko", DEMO_SERVICE_SECRET);
    let res = r
        .send(&requests::token_exchange(&default.token, &x, &auth))
        .await;
    assert_eq!((res.status, res.error()), (400, "invalid_scope"));
    let (mut x, auth) = obo(&at, "api:access:read", "com.api.atko", DEMO_SERVICE_SECRET);
    x.subject_token_type = TOKEN_TYPE_ID.into();
    let res = r
        .send(&requests::token_exchange(&default.token, &x, &auth))
        .await;
    assert_eq!((res.status, res.error()), (400, "invalid_request"));
}

#[tokio::test]
async fn autonomous_agent_in_a_pingone_realm() {
    let r = start().await;
    let realm = protocol::endpoints::pingone_aic(&r.base, "alpha");
    let auth = ClientAuth::SecretPost {
        client_id: DEMO_AUTONOMOUS_AGENT.into(),
        client_secret: DEMO_AUTONOMOUS_SECRET.into(),
    };
    let res = r
        .send(&requests::client_credentials(
            &realm.token,
            "monitor-system",
            &[],
            &auth,
        ))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let own = res.json["access_token"].as_str().unwrap().to_string();

    let info = r.send(&requests::tokeninfo(&realm.info, &own)).await;
    assert_eq!(info.status, 200, "{}", info.text);
    assert_eq!(info.json["sub"], DEMO_AUTONOMOUS_AGENT);
    assert_eq!(info.json["aud"], DEMO_AUTONOMOUS_AGENT);
    assert_eq!(info.json["scope"], serde_json::json!(["monitor-system"]));

    let x = TokenExchange {
        subject_token: own.clone(),
        subject_token_type: TOKEN_TYPE_ACCESS.into(),
        audience: vec![DEMO_LOG_APP.into()],
        scope: "logs-read logs-search logs-delete".into(),
        ..Default::default()
    };
    let res = r
        .send(&requests::token_exchange(&realm.token, &x, &auth))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert!(
        res.json["refresh_token"].is_null(),
        "PingOne answers refresh_token: null"
    );
    assert_eq!(
        res.json["scope"], "logs-read logs-search",
        "logs-delete is outside the agent's permissions"
    );
    let exchanged = res.json["access_token"].as_str().unwrap();
    let info = r.send(&requests::tokeninfo(&realm.info, exchanged)).await;
    assert_eq!(info.json["sub"], DEMO_AUTONOMOUS_AGENT);
    assert_eq!(
        info.json["act"]["sub"], DEMO_AUTONOMOUS_AGENT,
        "sub and act are both the agent"
    );
    assert_eq!(
        info.json["aud"],
        serde_json::json!([DEMO_AUTONOMOUS_AGENT, DEMO_LOG_APP])
    );

    // Refusals: wrong secret, unknown application, nothing allowed, bad tokeninfo.
    let bad = ClientAuth::SecretPost {
        client_id: DEMO_AUTONOMOUS_AGENT.into(),
        client_secret: "nope".into(),
    };
    let res = r
        .send(&requests::client_credentials(
            &realm.token,
            "monitor-system",
            &[],
            &bad,
        ))
        .await;
    assert_eq!((res.status, res.error()), (401, "invalid_client"));
    let mut y = x.clone();
    y.audience = vec!["no-such-app".into()];
    let res = r
        .send(&requests::token_exchange(&realm.token, &y, &auth))
        .await;
    assert_eq!((res.status, res.error()), (400, "invalid_target"));
    let mut y = x.clone();
    y.scope = "logs-delete".into();
    let res = r
        .send(&requests::token_exchange(&realm.token, &y, &auth))
        .await;
    assert_eq!((res.status, res.error()), (400, "invalid_scope"));
    let res = r.send(&requests::tokeninfo(&realm.info, "garbage")).await;
    assert_eq!((res.status, res.error()), (401, "invalid_token"));
    // Realm discovery and keys exist where AIC puts them.
    let meta = r
        .send(&requests::get_json(
            "m",
            &format!("{}/.well-known/openid-configuration", realm.issuer),
        ))
        .await;
    assert_eq!(meta.json["token_endpoint"], realm.token);
    assert_eq!(
        r.send(&requests::get_json("k", &realm.keys)).await.status,
        200
    );
}

#[tokio::test]
async fn vaulted_secret_and_service_account() {
    let r = start().await;
    let org = r.org();
    // An ID token of the linked app as subject.
    let id_token = sign_in_at(&r, None, "openid", "00u-bob").await["id_token"]
        .as_str()
        .unwrap()
        .to_string();

    for (kind, orn, member) in [
        (
            TOKEN_TYPE_OKTA_VAULTED_SECRET,
            DEMO_SECRET_ORN,
            "vaulted_secret",
        ),
        (
            TOKEN_TYPE_OKTA_SERVICE_ACCOUNT,
            DEMO_SERVICE_ACCOUNT_ORN,
            "service_account",
        ),
    ] {
        let x = TokenExchange {
            subject_token: id_token.clone(),
            subject_token_type: TOKEN_TYPE_ID.into(),
            requested_token_type: kind.into(),
            resource: vec![orn.into()],
            ..Default::default()
        };
        let res = r
            .send(&requests::token_exchange(
                &org.token,
                &x,
                &agent_auth(&org.token),
            ))
            .await;
        assert_eq!(res.status, 200, "{}", res.text);
        assert_eq!(res.json["issued_token_type"], kind);
        assert_eq!(res.json["token_type"], "N_A");
        assert!(res.json[member].is_object());
        assert!(
            res.json.get("access_token").is_none(),
            "Okta's resource types carry no access_token"
        );
        // The wrong kind for that ORN is unknown.
        let mut y = x.clone();
        y.resource = vec![format!("{orn}-nope")];
        let res = r
            .send(&requests::token_exchange(
                &org.token,
                &y,
                &agent_auth(&org.token),
            ))
            .await;
        assert_eq!((res.status, res.error()), (400, "invalid_target"));
    }
    let api = r
        .send(&requests::api_call(
            Method::Get,
            &format!("{}/api/files/x", r.base),
            "x",
        ))
        .await;
    assert_eq!(api.status, 401);
}

#[tokio::test]
async fn agent_to_agent_with_the_agents_own_token() {
    let r = start().await;
    let org = r.org();
    let resource = format!("{}/api/agents/research", r.base);
    // The agent's own token, for the agent it will invoke (resource becomes aud).
    let res = r
        .send(&requests::client_credentials(
            &org.token,
            "",
            std::slice::from_ref(&resource),
            &agent_auth(&org.token),
        ))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let own = res.json["access_token"].as_str().unwrap().to_string();
    assert_eq!(
        decode(&own).unwrap().audiences(),
        std::slice::from_ref(&resource)
    );
    let agent2 = protocol::endpoints::okta_custom(&r.base, "agent2");
    let x = TokenExchange {
        subject_token: own,
        subject_token_type: TOKEN_TYPE_ACCESS.into(),
        requested_token_type: TOKEN_TYPE_ID_JAG.into(),
        audience: vec![agent2.issuer.clone()],
        scope: "research.read research.write".into(),
        ..Default::default()
    };
    let res = r
        .send(&requests::token_exchange(
            &org.token,
            &x,
            &agent_auth(&org.token),
        ))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json["scope"], "research.read");
    let jag = res.json["access_token"].as_str().unwrap().to_string();
    assert_eq!(decode(&jag).unwrap().str_claim("sub"), Some(DEMO_AGENT));
    let res = r
        .send(&requests::jwt_bearer(
            &agent2.token,
            &jag,
            "",
            &agent_auth(&agent2.token),
        ))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let at = res.json["access_token"].as_str().unwrap();
    let api = r
        .send(&requests::api_call(
            Method::Get,
            &format!("{resource}/tasks"),
            at,
        ))
        .await;
    assert_eq!(api.status, 200, "{}", api.text);
    assert_eq!(api.json["caller"]["act"]["sub"], DEMO_AGENT);
    // The files token is no good for the research agent's API.
    let res = r
        .send(&requests::api_call(
            Method::Get,
            &format!("{resource}/tasks"),
            "x.y.z",
        ))
        .await;
    assert_eq!(res.status, 401);
}
