//! The tenant's behaviour, each test run twice: against the core in process (as the service
//! worker runs it) and over HTTP against the native server.

mod common;

use common::*;
use protocol::checks::{check_access_token, check_id_jag, check_id_token, has_errors};
use protocol::checks::{AccessTokenExpectations, IdJagExpectations, IdTokenExpectations};
use protocol::constants::*;
use protocol::demo;
use protocol::jwt::decode;
use protocol::request::{Method, Param};
use protocol::requests::{self, TokenExchange};
use serde_json::json;

fn id_jag_request(
    r: &Running,
    subject: &str,
    scope: &str,
    audience: &str,
) -> protocol::request::HttpRequest {
    let x = id_jag_exchange(subject, audience, scope);
    requests::token_exchange(&r.org().token, &x, &agent_auth(&r.org().token))
}

async fn get_id_jag(r: &Running, user: &SignedIn) -> String {
    let res = r
        .send(&id_jag_request(
            r,
            &user.id_token,
            "files.read files.delete",
            &r.files().issuer,
        ))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json["issued_token_type"], TOKEN_TYPE_ID_JAG);
    assert_eq!(res.json["token_type"], "N_A");
    assert_eq!(
        res.json["scope"], "files.read",
        "files.delete is outside the managed connection"
    );
    res.json["access_token"].as_str().unwrap().into()
}

conformance!(id_jag_flow_end_to_end, |via| {
    let r = start(via).await;
    let user = sign_in(&r).await;
    let idt = decode(&user.id_token).unwrap();
    let f = check_id_token(
        &idt,
        &IdTokenExpectations {
            issuer: r.base.clone(),
            client_id: demo::APP.into(),
            nonce: NONCE.into(),
            now: now(),
            nonce_expected: true,
        },
    );
    assert!(!has_errors(&f), "{f:?}");
    assert_eq!(
        idt.str_claim("sub"),
        Some(demo::ALICE_ID),
        "ID tokens name the user by ID"
    );
    let at = claims(&user.access_token);
    assert_eq!(
        at["sub"],
        demo::ALICE,
        "Okta access tokens name the user by login"
    );
    assert_eq!(at["uid"], demo::ALICE_ID);
    assert_eq!(at["cid"], demo::APP);
    assert_eq!(at["ver"], 1);
    assert!(at["auth_time"].is_i64());

    let id_jag = get_id_jag(&r, &user).await;
    let jag = decode(&id_jag).unwrap();
    let f = check_id_jag(
        &jag,
        &IdJagExpectations {
            audience: r.files().issuer,
            client_id: demo::AGENT.into(),
            requested_scope: "files.read files.delete".into(),
            now: now(),
        },
    );
    assert!(!has_errors(&f), "{f:?}");
    assert_eq!(jag.str_claim("sub"), Some(demo::ALICE_ID));
    assert!(jag.str_claim("jti").unwrap().starts_with("IDAAG."));
    assert!(
        jag.claims.get("act").is_none(),
        "an ID token subject has no actor chain yet"
    );

    let bearer = requests::jwt_bearer(
        &r.files().token,
        &id_jag,
        "",
        &[],
        &agent_auth(&r.files().token),
    );
    let res = r.send(&bearer).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let token = res.json["access_token"].as_str().unwrap().to_string();
    let f = check_access_token(
        &decode(&token).unwrap(),
        &AccessTokenExpectations {
            issuer: r.files().issuer,
            audience: vec![format!("{}/api/files", r.base)],
            subject: demo::ALICE_ID.into(),
            actor: demo::AGENT.into(),
            previous_scope: vec!["files.read".into()],
            now: now(),
        },
    );
    assert!(!has_errors(&f), "{f:?}");

    let api_url = format!("{}/api/files/documents", r.base);
    let api = r
        .send(&requests::api_call(Method::Get, &api_url, &token))
        .await;
    assert_eq!(api.status, 200, "{}", api.text);
    assert_eq!(api.json["caller"]["sub"], demo::ALICE);
    assert_eq!(api.json["caller"]["act"]["sub"], demo::AGENT);
    assert_eq!(
        api.json["summary"],
        "Files API: wlp-demo-ai-agent is acting on behalf of Alice Example (00u-alice)"
    );

    let i = r
        .send(&requests::introspect(
            &r.files().introspect,
            &token,
            "access_token",
            &agent_auth(&r.files().introspect),
        ))
        .await;
    assert_eq!(i.json["active"], true, "{}", i.text);
    assert_eq!(i.json["act"]["sub"], demo::AGENT);
    let v = r
        .send(&requests::revoke(
            &r.files().revoke,
            &token,
            "access_token",
            &agent_auth(&r.files().revoke),
        ))
        .await;
    assert_eq!((v.status, v.text.as_str()), (200, ""));
    let i = r
        .send(&requests::introspect(
            &r.files().introspect,
            &token,
            "",
            &agent_auth(&r.files().introspect),
        ))
        .await;
    assert_eq!(i.json, json!({"active": false}));
    let api = r
        .send(&requests::api_call(Method::Get, &api_url, &token))
        .await;
    assert_eq!((api.status, api.error()), (401, "invalid_token"));
    let challenge = api.header("www-authenticate").unwrap();
    assert!(
        challenge.starts_with("Bearer realm=\"demo-tenant\", error=\"invalid_token\""),
        "{challenge}"
    );
    assert!(
        challenge.contains(&format!(
            "resource_metadata=\"{}/.well-known/oauth-protected-resource/api/files\"",
            r.base
        )),
        "{challenge}"
    );
});

conformance!(pkce_and_code_rules, |via| {
    let r = start(via).await;
    let (code, verifier) = get_code(&r, None, "openid", demo::ALICE_ID).await;
    let wrong = protocol::pkce::Pkce::from_random_bytes(&[9u8; 32]).unwrap();
    let res = r
        .send(&requests::authorization_code(
            &r.org().token,
            &code,
            REDIRECT,
            &wrong.verifier,
            &app_auth(),
        ))
        .await;
    assert_eq!((res.status, res.error()), (400, "invalid_grant"));
    assert!(res.description().contains("PKCE"), "{}", res.text);
    // The code was consumed by the failed attempt: a second use is refused too.
    let res = r
        .send(&requests::authorization_code(
            &r.org().token,
            &code,
            REDIRECT,
            &verifier,
            &app_auth(),
        ))
        .await;
    assert_eq!((res.status, res.error()), (400, "invalid_grant"));
    assert!(res.description().contains("already used"), "{}", res.text);
    let (code, verifier) = get_code(&r, None, "openid", demo::ALICE_ID).await;
    let res = r
        .send(&requests::authorization_code(
            &r.org().token,
            &code,
            "http://127.0.0.1:8080/other",
            &verifier,
            &app_auth(),
        ))
        .await;
    assert_eq!((res.status, res.error()), (400, "invalid_grant"));
});

conformance!(authorize_page_rules, |via| {
    let r = start(via).await;
    let params = |edit: &dyn Fn(&mut requests::AuthorizeParams)| {
        let mut p = requests::AuthorizeParams {
            endpoint: r.org().authorize,
            client_id: demo::APP.into(),
            redirect_uri: REDIRECT.into(),
            scope: "openid".into(),
            state: STATE.into(),
            nonce: NONCE.into(),
            code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM".into(),
            extra: vec![],
        };
        edit(&mut p);
        requests::authorize(&p)
    };
    let page = r.send(&params(&|_| {})).await;
    let csp = page.header("content-security-policy").unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'")
            && csp.contains("form-action 'self' http://127.0.0.1:8080"),
        "{csp}"
    );
    assert!(
        csp.contains("style-src 'sha256-") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(page.header("referrer-policy"), Some("no-referrer"));

    let res = r
        .send(&params(&|p| {
            p.redirect_uri = "https://evil.example/".into()
        }))
        .await;
    assert_eq!(res.status, 400);
    assert!(
        res.header("location").is_none(),
        "never redirect to an unregistered URI"
    );
    assert!(res.text.contains("not registered"));

    let res = r.send(&params(&|p| p.code_challenge.clear())).await;
    assert_eq!(res.status, 303);
    let loc = res.header("location").unwrap();
    assert!(
        loc.contains("error=invalid_request") && loc.contains("state=state-123"),
        "{loc}"
    );

    let res = r.send(&params(&|p| p.nonce = "n".repeat(60_000))).await;
    assert_eq!(res.status, 303, "an oversized nonce is refused, not stored");
    assert!(res
        .header("location")
        .unwrap()
        .contains("error=invalid_request"));
});

conformance!(client_assertion_rules, |via| {
    let r = start(via).await;
    let user = sign_in(&r).await;
    let token = r.org().token;
    let key = agent_key();
    let claims = |edit: &dyn Fn(&mut serde_json::Value)| {
        let n = now();
        let mut c = json!({"iss": demo::AGENT, "sub": demo::AGENT, "aud": token, "iat": n, "exp": n + 60, "jti": random_id()});
        edit(&mut c);
        assertion_auth(&key, c)
    };
    let cases: Vec<(&str, protocol::client_auth::ClientAuth, &str)> = vec![
        (
            "wrong aud",
            claims(&|c| c["aud"] = json!(r.files().token)),
            "aud",
        ),
        (
            "issuer aud where the endpoint is registered",
            claims(&|c| c["aud"] = json!(r.base)),
            "aud",
        ),
        (
            "expired",
            claims(&|c| {
                c["iat"] = json!(now() - 700);
                c["exp"] = json!(now() - 600)
            }),
            "expired",
        ),
        (
            "ten years ahead",
            claims(&|c| {
                c["iat"] = json!(now() + 315_360_000);
                c["exp"] = json!(now() + 315_360_060)
            }),
            "seconds from now",
        ),
        (
            "iat in the future",
            claims(&|c| c["iat"] = json!(now() + 600)),
            "future",
        ),
        (
            "exp of 2^63",
            claims(&|c| c["exp"] = json!(i64::MAX)),
            "exp",
        ),
        (
            "exp of -2^63",
            claims(&|c| c["exp"] = json!(i64::MIN)),
            "exp",
        ),
        (
            "iat of -2^63",
            claims(&|c| c["iat"] = json!(i64::MIN)),
            "iat",
        ),
        ("exp of 1e300", claims(&|c| c["exp"] = json!(1e300)), "exp"),
        (
            "iat of -1e300",
            claims(&|c| c["iat"] = json!(-1e300)),
            "iat",
        ),
        (
            "unregistered key",
            agent_auth_with(
                &protocol::native::NativeKey::generate_ec()
                    .unwrap()
                    .with_kid(&key.key.kid),
                demo::AGENT,
                &token,
                now(),
                "j3",
            ),
            "signature",
        ),
        (
            "oversized jti",
            claims(&|c| c["jti"] = json!("j".repeat(10_000))),
            "jti",
        ),
    ];
    let x = id_jag_exchange(&user.id_token, &r.files().issuer, "files.read");
    for (name, auth, needle) in cases {
        let res = r.send(&requests::token_exchange(&token, &x, &auth)).await;
        assert_eq!(
            (res.status, res.error()),
            (401, "invalid_client"),
            "{name}: {}",
            res.text
        );
        assert!(res.description().contains(needle), "{name}: {}", res.text);
    }
    // Replay: the same assertion twice.
    let auth = agent_auth_with(&key, demo::AGENT, &token, now(), "j-replay");
    assert_eq!(
        r.send(&requests::token_exchange(&token, &x, &auth))
            .await
            .status,
        200
    );
    let res = r.send(&requests::token_exchange(&token, &x, &auth)).await;
    assert_eq!((res.status, res.error()), (401, "invalid_client"));
    assert!(res.text.contains("already used"));
});

conformance!(assertion_audience_follows_the_client_registration, |via| {
    use tenant_core::config::AssertionAudience;
    let r = start_with(via, |c| {
        for client in &mut c.clients {
            if client.id == demo::AGENT {
                client.assertion_audience = AssertionAudience::Issuer;
            }
            if client.id == demo::AGENT2 {
                client.assertion_audience = AssertionAudience::Either;
            }
        }
    })
    .await;
    let user = sign_in(&r).await;
    let exchange = |auth| {
        let x = id_jag_exchange(&user.id_token, &r.files().issuer, "files.read");
        requests::token_exchange(&r.org().token, &x, &auth)
    };
    let res = r.send(&exchange(agent_auth(&r.org().token))).await;
    assert_eq!((res.status, res.error()), (401, "invalid_client"));
    assert!(
        res.description().contains("this server's issuer"),
        "{}",
        res.text
    );
    assert_eq!(
        r.send(&exchange(agent_auth(&r.base))).await.status,
        200,
        "aud = the issuer"
    );
    // Agent 2 accepts either form.
    let auth2 = |aud: &str| agent2_auth(aud);
    for aud in [r.org().token, r.base.clone()] {
        let x = id_jag_exchange(&user.id_token, &r.custom("agents").issuer, "chat.read");
        let res = r
            .send(&requests::token_exchange(&r.org().token, &x, &auth2(&aud)))
            .await;
        assert_eq!(res.status, 200, "{aud}: {}", res.text);
    }
});

conformance!(token_exchange_rules, |via| {
    let r = start(via).await;
    let user = sign_in(&r).await;
    let cases = [
        (
            "files.delete",
            r.files().issuer,
            "invalid_scope",
            "by the managed connection",
        ),
        (
            "openid",
            r.files().issuer,
            "invalid_scope",
            "openid not allowed",
        ),
        (
            "files.read",
            format!("{}/", r.files().issuer),
            "invalid_target",
            "issuers match exactly",
        ),
        (
            "files.read",
            format!("{}/oauth2/default", r.base),
            "invalid_target",
            "No managed connection",
        ),
        (
            "files.read+files.write",
            r.files().issuer,
            "invalid_scope",
            "joined by '+'",
        ),
    ];
    for (scope, aud, error, needle) in cases {
        let res = r
            .send(&id_jag_request(&r, &user.id_token, scope, &aud))
            .await;
        assert_eq!(
            (res.status, res.error()),
            (400, error),
            "{scope} {aud}: {}",
            res.text
        );
        assert!(res.text.contains(needle), "{needle}: {}", res.text);
    }
    let res = r
        .send(&id_jag_request(
            &r,
            "not-a-jwt",
            "files.read",
            &r.files().issuer,
        ))
        .await;
    assert_eq!((res.status, res.error()), (400, "invalid_grant"));

    let mut req = id_jag_request(&r, &user.id_token, "files.read", &r.files().issuer);
    req.form.retain(|p| p.name != "subject_token_type");
    let res = r.send(&req).await;
    assert_eq!((res.status, res.error()), (400, "invalid_request"));
    assert!(res.text.contains("subject_token_type"));

    let mut req = id_jag_request(&r, &user.id_token, "files.read", &r.files().issuer);
    req.form
        .iter_mut()
        .find(|p| p.name == "grant_type")
        .unwrap()
        .value = "password".into();
    assert_eq!(r.send(&req).await.error(), "unsupported_grant_type");

    let mut req = id_jag_request(&r, &user.id_token, "files.read", &r.files().issuer);
    req.form
        .push(Param::public("resource", "https://unknown.example/api"));
    assert_eq!(r.send(&req).await.error(), "invalid_target");

    // The user's access token as subject (seed 002's alternative) must be declared as such.
    let mut req = id_jag_request(&r, &user.access_token, "files.read", &r.files().issuer);
    req.form
        .iter_mut()
        .find(|p| p.name == "subject_token_type")
        .unwrap()
        .value = TOKEN_TYPE_ACCESS.into();
    let res = r.send(&req).await;
    assert_eq!(
        res.status, 200,
        "an access token from the linked app is a valid subject: {}",
        res.text
    );
    let req = id_jag_request(&r, &user.access_token, "files.read", &r.files().issuer);
    assert_eq!(
        r.send(&req).await.error(),
        "invalid_grant",
        "an access token declared as an ID token"
    );

    // An ID token from a custom server: the ID-JAG docs require the org server's.
    let custom = sign_in_at(&r, Some("default"), "openid").await;
    let res = r
        .send(&id_jag_request(
            &r,
            &custom.id_token,
            "files.read",
            &r.files().issuer,
        ))
        .await;
    assert_eq!((res.status, res.error()), (400, "invalid_grant"));
    assert!(
        res.description().contains("org authorization server"),
        "{}",
        res.text
    );
});

/// Mints an org-signed ID-JAG with chosen claims, to test the resource server's checks.
fn forged_jag(r: &Running, typ: &str, edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let n = now();
    let mut c = json!({"iss": r.base, "sub": demo::ALICE_ID, "aud": r.files().issuer, "client_id": demo::AGENT,
        "jti": random_id(), "iat": n, "exp": n + 300, "scope": "files.read"});
    edit(&mut c);
    r.sign(None, typ, c)
}

conformance!(jwt_bearer_rules, |via| {
    let r = start(via).await;
    let bearer = |jag: &str, scope: &str, resource: &[String]| {
        requests::jwt_bearer(
            &r.files().token,
            jag,
            scope,
            resource,
            &agent_auth(&r.files().token),
        )
    };
    let files_api = format!("{}/api/files", r.base);
    let cases: Vec<(&str, String, &str)> = vec![
        ("wrong typ", forged_jag(&r, "JWT", |_| {}), "typ"),
        (
            "expired",
            forged_jag(&r, ID_JAG_TYP, |c| {
                c["iat"] = json!(now() - 900);
                c["exp"] = json!(now() - 600)
            }),
            "expired",
        ),
        (
            "wrong aud",
            forged_jag(&r, ID_JAG_TYP, |c| {
                c["aud"] = json!(format!("{}/oauth2/default", r.base))
            }),
            "aud",
        ),
        (
            "two auds",
            forged_jag(&r, ID_JAG_TYP, |c| {
                c["aud"] = json!([r.files().issuer, "x"])
            }),
            "aud",
        ),
        (
            "client_id mismatch",
            forged_jag(&r, ID_JAG_TYP, |c| c["client_id"] = json!("someone-else")),
            "client",
        ),
        (
            "untrusted issuer",
            forged_jag(&r, ID_JAG_TYP, |c| c["iss"] = json!("https://evil.example")),
            "trusted",
        ),
        (
            "future iat",
            forged_jag(&r, ID_JAG_TYP, |c| c["iat"] = json!(now() + 600)),
            "iat",
        ),
        (
            "long-lived",
            forged_jag(&r, ID_JAG_TYP, |c| c["exp"] = json!(now() + 86_400)),
            "lives",
        ),
        (
            "absurd exp",
            forged_jag(&r, ID_JAG_TYP, |c| c["exp"] = json!(1e300)),
            "exp",
        ),
    ];
    for (name, jag, needle) in cases {
        let res = r.send(&bearer(&jag, "", &[])).await;
        assert_eq!(
            (res.status, res.error()),
            (400, "invalid_grant"),
            "{name}: {}",
            res.text
        );
        assert!(res.description().contains(needle), "{name}: {}", res.text);
    }
    let mut parts: Vec<String> = forged_jag(&r, ID_JAG_TYP, |_| {})
        .split('.')
        .map(String::from)
        .collect();
    parts[2] = protocol::encoding::b64url(&[1u8; 64]);
    assert_eq!(
        r.send(&bearer(&parts.join("."), "", &[])).await.error(),
        "invalid_grant",
        "signed by someone else"
    );

    let jag = forged_jag(&r, ID_JAG_TYP, |_| {});
    assert_eq!(r.send(&bearer(&jag, "", &[])).await.status, 200);
    let res = r.send(&bearer(&jag, "", &[])).await;
    assert_eq!((res.status, res.error()), (400, "invalid_grant"));
    assert!(res.text.contains("already redeemed"));

    let jag = forged_jag(&r, ID_JAG_TYP, |c| c["scope"] = json!("files.delete"));
    assert_eq!(
        r.send(&bearer(&jag, "", &[])).await.error(),
        "invalid_scope",
        "nothing left after narrowing"
    );
    let jag = forged_jag(&r, ID_JAG_TYP, |c| c["scope"] = json!("files.read"));
    assert_eq!(
        r.send(&bearer(&jag, "files.write", &[])).await.error(),
        "invalid_scope",
        "a bearer grant cannot widen"
    );
    // resource: among what the server serves, and within the ID-JAG's.
    let jag = forged_jag(&r, ID_JAG_TYP, |_| {});
    let res = r
        .send(&bearer(&jag, "", std::slice::from_ref(&files_api)))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(
        claims(res.json["access_token"].as_str().unwrap())["aud"],
        files_api
    );
    let jag = forged_jag(&r, ID_JAG_TYP, |_| {});
    assert_eq!(
        r.send(&bearer(&jag, "", &["http://evil.example/x".into()]))
            .await
            .error(),
        "invalid_target"
    );
});

conformance!(client_credentials_enforce_policy, |via| {
    let r = start(via).await;
    let agents = r.custom("agents");
    let orchestrator = || basic(demo::ORCHESTRATOR, demo::ORCHESTRATOR_SECRET);
    // A client without an access policy at the files server gets nothing there.
    let res = r
        .send(&requests::client_credentials(
            &r.files().token,
            "files.read files.delete",
            &[],
            &post(demo::LOG_APP, demo::LOG_APP_SECRET),
        ))
        .await;
    assert_eq!(
        (res.status, res.error()),
        (400, "unauthorized_client"),
        "{}",
        res.text
    );
    // A resource the server does not serve, or an undefined scope, is refused.
    let res = r
        .send(&requests::client_credentials(
            &agents.token,
            "chat.read",
            &["http://evil.example/x".into()],
            &orchestrator(),
        ))
        .await;
    assert_eq!(
        (res.status, res.error()),
        (400, "invalid_target"),
        "{}",
        res.text
    );
    let res = r
        .send(&requests::client_credentials(
            &agents.token,
            "no.such.scope",
            &[],
            &orchestrator(),
        ))
        .await;
    assert_eq!(
        (res.status, res.error()),
        (400, "invalid_scope"),
        "{}",
        res.text
    );
    // Scopes outside the policy are narrowed away.
    let res = r
        .send(&requests::client_credentials(
            &agents.token,
            "chat.read chat.write",
            &[demo::agent1_url(&r.base)],
            &orchestrator(),
        ))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json["scope"], "chat.read");
    let t1 = claims(res.json["access_token"].as_str().unwrap());
    assert_eq!(t1["aud"], demo::agent1_url(&r.base));
    assert_eq!(t1["sub"], demo::ORCHESTRATOR);
    // The org server issues client-credentials tokens for Okta's own APIs only.
    let res = r
        .send(&requests::client_credentials(
            &r.org().token,
            "chat.read",
            &[],
            &orchestrator(),
        ))
        .await;
    assert_eq!(res.error(), "invalid_scope");
    assert!(
        res.description().contains("custom authorization server"),
        "{}",
        res.text
    );
    // A PingOne agent gets only the scopes assigned to it; none asked means all assigned.
    let bot = || post(demo::AUTONOMOUS_AGENT, demo::AUTONOMOUS_SECRET);
    let res = r
        .send(&requests::client_credentials(
            &r.realm().token,
            "logs-delete",
            &[],
            &bot(),
        ))
        .await;
    assert_eq!(res.error(), "invalid_scope", "{}", res.text);
    let res = r
        .send(&requests::client_credentials(
            &r.realm().token,
            "",
            &[],
            &bot(),
        ))
        .await;
    assert_eq!(res.json["scope"], "monitor-system", "{}", res.text);
    // The bot's realm token is not accepted by an Okta-shaped API.
    let token = res.json["access_token"].as_str().unwrap();
    let api = r
        .send(&requests::api_call(
            Method::Get,
            &format!("{}/api/api2/orders", r.base),
            token,
        ))
        .await;
    assert_eq!(api.status, 401);
});

conformance!(basic_auth_errors_carry_www_authenticate, |via| {
    let r = start(via).await;
    let agents = r.custom("agents");
    let res = r
        .send(&requests::client_credentials(
            &agents.token,
            "chat.read",
            &[],
            &basic(demo::ORCHESTRATOR, "wrong"),
        ))
        .await;
    assert_eq!((res.status, res.error()), (401, "invalid_client"));
    assert!(res.header("www-authenticate").unwrap().starts_with("Basic"));
    // Characters RFC 6749 2.3.1 form-encodes before base64.
    let r = start_with(via, |c| {
        for client in &mut c.clients {
            if client.id == demo::ORCHESTRATOR {
                client.secret = Some("s3cr3t with spaces & symbols:+".into());
            }
        }
    })
    .await;
    let agents = r.custom("agents");
    let res = r
        .send(&requests::client_credentials(
            &agents.token,
            "chat.read",
            &[],
            &basic(demo::ORCHESTRATOR, "s3cr3t with spaces & symbols:+"),
        ))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let token = res.json["access_token"].as_str().unwrap();
    let api = r
        .send(&requests::api_call(
            Method::Get,
            &format!("{}/api/chat/history", r.base),
            token,
        ))
        .await;
    assert_eq!(api.status, 200, "{}", api.text);
    assert!(api.json["summary"]
        .as_str()
        .unwrap()
        .contains("calling for itself"));
});

conformance!(api_rules, |via| {
    let r = start(via).await;
    let api = format!("{}/api/files/documents", r.base);
    // No token: 401 with a Bearer challenge that names no error (RFC 6750 3.1) and the
    // resource's metadata (RFC 9728).
    let res = r.send(&requests::get_json("no token", &api)).await;
    assert_eq!(res.status, 401, "{}", res.text);
    let challenge = res.header("www-authenticate").unwrap();
    assert!(challenge.starts_with("Bearer realm="), "{challenge}");
    assert!(
        !challenge.contains("error="),
        "no error code without credentials: {challenge}"
    );
    assert!(challenge.contains("resource_metadata="), "{challenge}");
    let user = sign_in(&r).await;
    let res = r
        .send(&requests::api_call(Method::Get, &api, &user.access_token))
        .await;
    assert_eq!(
        (res.status, res.error()),
        (401, "invalid_token"),
        "an org token is for the wrong issuer"
    );
    let n = now();
    let token = |scopes: &[&str], jti: &str| {
        r.sign(
            Some("files"),
            "JWT",
            json!({"iss": r.files().issuer, "aud": format!("{}/api/files", r.base),
            "sub": demo::ALICE, "scp": scopes, "iat": n, "exp": n + 60, "jti": jti}),
        )
    };
    let read = token(&["files.read"], "r");
    let write = token(&["files.write"], "w");
    let both = token(&["files.read", "files.write"], "rw");
    // Each method needs its own scope: reading needs files.read, writing files.write; a
    // token without it gets 403 insufficient_scope naming the scope (RFC 6750 3.1).
    let cases: &[(Method, &str, u16, Option<&str>)] = &[
        (Method::Get, &read, 200, None),
        (Method::Get, &write, 403, Some("files.read")),
        (Method::Post, &read, 403, Some("files.write")),
        (Method::Put, &read, 403, Some("files.write")),
        (Method::Patch, &read, 403, Some("files.write")),
        (Method::Delete, &read, 403, Some("files.write")),
        (Method::Delete, &both, 200, None),
        (Method::Post, &write, 200, None),
    ];
    for (method, token, status, scope) in cases {
        let res = r.send(&requests::api_call(*method, &api, token)).await;
        assert_eq!(res.status, *status, "{} {}", method.as_str(), res.text);
        if let Some(scope) = scope {
            assert_eq!(res.error(), "insufficient_scope");
            let challenge = res.header("www-authenticate").unwrap();
            assert!(
                challenge.contains(&format!("scope=\"{scope}\"")),
                "{} {challenge}",
                method.as_str()
            );
        } else {
            assert_eq!(res.json["method"], method.as_str());
        }
    }
    // A method the API does not offer: 405 with Allow, before the token is even read. The
    // chat API answers GET and POST (an MCP call is a POST with a JSON body), and DELETE
    // (ending a session) with chat.write.
    let chat = format!("{}/api/chat/history", r.base);
    let chat_token = r.sign(
        Some("agents"),
        "JWT",
        json!({"iss": format!("{}/oauth2/agents", r.base), "aud": format!("{}/api/chat", r.base),
        "sub": demo::ALICE, "scp": ["chat.read"], "iat": n, "exp": n + 60, "jti": "c"}),
    );
    let res = r
        .send(&requests::api_call(Method::Put, &chat, &chat_token))
        .await;
    assert_eq!(res.status, 405, "{}", res.text);
    assert_eq!(res.header("allow"), Some("GET, POST, DELETE"));
    let res = r
        .send(&requests::api_call(Method::Delete, &chat, &chat_token))
        .await;
    assert_eq!((res.status, res.error()), (403, "insufficient_scope"));
    let mut post = requests::api_call(Method::Post, &chat, &chat_token);
    post.raw_body = Some(r#"{"jsonrpc":"2.0","method":"initialize","id":1}"#.into());
    let res = r.send(&post).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json["method"], "POST");
    // An MCP client accepts an event stream too: the answer is one event carrying the
    // JSON-RPC response, as an MCP server (streamable HTTP) sends it.
    for h in post.headers.iter_mut().filter(|h| h.name == "Accept") {
        h.value = "application/json, text/event-stream".into();
    }
    let res = r.send(&post).await;
    assert_eq!(res.header("content-type"), Some("text/event-stream"));
    let (events, _) = protocol::sse::parse(&res.text);
    let data = events[0].json().unwrap();
    assert_eq!(
        (data["id"].clone(), data["result"]["method"].clone()),
        (json!(1), json!("POST"))
    );
    // The metadata says which scope each method needs.
    let meta = r
        .send(&requests::get_json(
            "metadata",
            &format!("{}/.well-known/oauth-protected-resource/api/files", r.base),
        ))
        .await;
    assert_eq!(meta.json["methods_supported"]["DELETE"], "files.write");
    assert_eq!(
        meta.json["scopes_supported"],
        json!(["files.read", "files.write"])
    );
});

conformance!(okta_strict_mode_and_form_rules, |via| {
    let strict = start_with(via, |c| c.okta_strict = true).await;
    let user = sign_in(&strict).await;
    let req = id_jag_request(
        &strict,
        &user.id_token,
        "files.read",
        &strict.files().issuer,
    );
    let res = strict.send_with(&req, &[("origin", APP_ORIGIN)]).await;
    assert_eq!((res.status, res.error()), (401, "invalid_client"));
    assert_eq!(
        res.description(),
        "Browser requests to the token endpoint must use Proof Key for Code Exchange."
    );
    let req = id_jag_request(
        &strict,
        &user.id_token,
        "files.read",
        &strict.files().issuer,
    );
    assert_eq!(
        strict.send(&req).await.status,
        200,
        "without Origin (a relay, curl) it works"
    );
    // Not a form; the wrong method.
    let res = strict
        .raw(
            "POST",
            &strict.org().token,
            vec![("content-type".into(), "application/json".into())],
            b"{}".to_vec(),
        )
        .await;
    assert_eq!((res.status, res.error()), (400, "invalid_request"));
    let res = strict.raw("GET", &strict.org().token, vec![], vec![]).await;
    assert_eq!(res.status, 405);
    assert_eq!(res.header("allow"), Some("POST"));
    let res = strict
        .raw(
            "POST",
            &format!("{}/.well-known/openid-configuration", strict.base),
            vec![],
            vec![],
        )
        .await;
    assert_eq!((res.status, res.header("allow")), (405, Some("GET")));
});

conformance!(
    on_behalf_of_keeps_the_user_and_narrows_at_the_trusted_server,
    |via| {
        let r = start(via).await;
        let user = sign_in_at(
            &r,
            Some("default"),
            "openid api:access:read api:access:write",
        )
        .await;
        let svc = || basic(demo::SERVICE, demo::SERVICE_SECRET);
        let obo = |server: &str, scope: &str| {
            let x = TokenExchange {
                subject_token: user.access_token.clone(),
                subject_token_type: TOKEN_TYPE_ACCESS.into(),
                scope: scope.into(),
                audience: vec![demo::API2_AUDIENCE.into()],
                ..Default::default()
            };
            requests::token_exchange(&r.custom(server).token, &x, &svc())
        };
        let res = r
            .send(&obo("default", "api:access:read api:access:write"))
            .await;
        assert_eq!(res.status, 200, "{}", res.text);
        assert_eq!(res.json["issued_token_type"], TOKEN_TYPE_ACCESS);
        let t = claims(res.json["access_token"].as_str().unwrap());
        assert_eq!(
            (t["sub"].as_str(), t["uid"].as_str()),
            (Some(demo::ALICE), Some(demo::ALICE_ID))
        );
        assert_eq!(t["aud"], demo::API2_AUDIENCE);
        assert_eq!(t["cid"], demo::SERVICE);
        assert!(
            t["auth_time"].is_i64(),
            "On-Behalf-Of tokens carry auth_time (seed 003): {t}"
        );
        assert!(
            t.get("act").is_none(),
            "Okta names the service in cid, not in act"
        );
        let api = r
            .send(&requests::api_call(
                Method::Get,
                &format!("{}/api/api2/orders", r.base),
                res.json["access_token"].as_str().unwrap(),
            ))
            .await;
        assert_eq!(api.status, 200, "{}", api.text);
        assert!(
            api.json["summary"]
                .as_str()
                .unwrap()
                .contains("0oa-demo-service-api1 is calling on behalf of Alice Example"),
            "{}",
            api.text
        );

        let res = r
            .send(&obo("aus-trusted-api2", "api:access:read api:access:write"))
            .await;
        assert_eq!(res.status, 200, "{}", res.text);
        assert_eq!(
            res.json["scope"], "api:access:read",
            "the trusted server's policy narrows"
        );

        for (scope, needle) in [
            ("openid api:access:read", "openid"),
            ("offline_access", "offline_access"),
        ] {
            let res = r.send(&obo("default", scope)).await;
            assert_eq!(
                (res.status, res.error()),
                (400, "invalid_scope"),
                "{scope}: {}",
                res.text
            );
            assert!(res.description().contains(needle));
        }
        // files does not trust default.
        let x = TokenExchange {
            subject_token: user.access_token.clone(),
            subject_token_type: TOKEN_TYPE_ACCESS.into(),
            audience: vec![format!("{}/api/files", r.base)],
            ..Default::default()
        };
        let res = r
            .send(&requests::token_exchange(&r.files().token, &x, &svc()))
            .await;
        assert_eq!(res.error(), "invalid_grant");
        let res = r
            .send(&requests::token_exchange(
                &r.custom("default").token,
                &x,
                &basic(demo::SERVICE, "nope"),
            ))
            .await;
        assert_eq!((res.status, res.error()), (401, "invalid_client"));
    }
);

conformance!(autonomous_agent_in_a_pingone_realm, |via| {
    let r = start(via).await;
    let bot = || post(demo::AUTONOMOUS_AGENT, demo::AUTONOMOUS_SECRET);
    let cc = r
        .send(&requests::client_credentials(
            &r.realm().token,
            "monitor-system",
            &[],
            &bot(),
        ))
        .await;
    assert_eq!(cc.status, 200, "{}", cc.text);
    assert_eq!(cc.json["expires_in"], 3599);
    let own = cc.json["access_token"].as_str().unwrap().to_string();
    assert_eq!(
        claims(&own)["exp"].as_i64().unwrap() - claims(&own)["iat"].as_i64().unwrap(),
        3599
    );
    let info = r.send(&requests::tokeninfo(&r.realm().info, &own)).await;
    assert_eq!(info.status, 200, "{}", info.text);
    for field in [
        "cts",
        "auditTrackingId",
        "subname",
        "tokenName",
        "token_type",
        "authGrantId",
        "nbf",
        "expires_in",
    ] {
        assert!(
            info.json.get(field).is_some(),
            "tokeninfo lacks {field}: {}",
            info.text
        );
    }
    assert!(info.json["expires_in"].as_i64().unwrap() <= 3599);
    assert_eq!(info.json["scope"], json!(["monitor-system"]));

    let exchange = |actor: Option<(String, String)>| {
        let x = TokenExchange {
            subject_token: own.clone(),
            subject_token_type: TOKEN_TYPE_ACCESS.into(),
            audience: vec![demo::LOG_APP.into()],
            scope: "logs-read logs-search logs-delete".into(),
            actor,
            ..Default::default()
        };
        requests::token_exchange(&r.realm().token, &x, &bot())
    };
    let x = r.send(&exchange(None)).await;
    assert_eq!(x.status, 200, "{}", x.text);
    assert!(x.json["refresh_token"].is_null());
    assert_eq!(x.json["scope"], "logs-read logs-search");
    let t = claims(x.json["access_token"].as_str().unwrap());
    assert_eq!(t["aud"], json!([demo::AUTONOMOUS_AGENT, demo::LOG_APP]));
    assert_eq!(t["act"], json!({"sub": demo::AUTONOMOUS_AGENT}));
    assert!(
        t.get("auth_time").is_none(),
        "no auth_time: null for a machine token"
    );
    let x = r
        .send(&exchange(Some((own.clone(), TOKEN_TYPE_ACCESS.into()))))
        .await;
    assert_eq!(x.status, 200, "with an actor token: {}", x.text);
    let x = r
        .send(&exchange(Some((
            "not-a-token".into(),
            TOKEN_TYPE_ACCESS.into(),
        ))))
        .await;
    assert_eq!(x.error(), "invalid_grant");
    let mut bad = exchange(None);
    bad.form
        .iter_mut()
        .find(|p| p.name == "audience")
        .unwrap()
        .value = "no-such-app".into();
    assert_eq!(r.send(&bad).await.error(), "invalid_target");
});

conformance!(vaulted_secret_and_service_account, |via| {
    let r = start(via).await;
    let user = sign_in(&r).await;
    let ask = |requested: &str, orn: &str| {
        let x = TokenExchange {
            subject_token: user.id_token.clone(),
            subject_token_type: TOKEN_TYPE_ID.into(),
            requested_token_type: requested.into(),
            resource: vec![orn.into()],
            ..Default::default()
        };
        requests::token_exchange(&r.org().token, &x, &agent_auth(&r.org().token))
    };
    let res = r
        .send(&ask(TOKEN_TYPE_OKTA_VAULTED_SECRET, demo::SECRET_ORN))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(
        res.json["vaulted_secret"]["api_key"],
        "demo-not-a-real-key-7f3a"
    );
    assert!(res.json.get("access_token").is_none());
    let res = r
        .send(&ask(
            TOKEN_TYPE_OKTA_SERVICE_ACCOUNT,
            demo::SERVICE_ACCOUNT_ORN,
        ))
        .await;
    assert_eq!(
        res.json["service_account"]["username"],
        "svc-reporting@demo.example"
    );
    let res = r
        .send(&ask(TOKEN_TYPE_OKTA_SERVICE_ACCOUNT, demo::SECRET_ORN))
        .await;
    assert_eq!(
        res.error(),
        "invalid_target",
        "a secret's ORN is not a service account"
    );
});

conformance!(refresh_tokens_come_with_offline_access_and_rotate, |via| {
    let r = start(via).await;
    let plain = sign_in(&r).await;
    assert!(plain.refresh_token.is_none());
    let user = sign_in_at(&r, None, "openid offline_access").await;
    let rt = user
        .refresh_token
        .expect("a refresh token with offline_access");
    let res = r
        .send(&requests::refresh(&r.org().token, &rt, "", &app_auth()))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let rt2 = res.json["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(rt, rt2, "refresh tokens rotate");
    assert!(res.json["id_token"].is_string() && res.json["access_token"].is_string());
    let reuse = r
        .send(&requests::refresh(&r.org().token, &rt, "", &app_auth()))
        .await;
    assert_eq!(
        reuse.error(),
        "invalid_grant",
        "a used refresh token is refused"
    );
    let wider = r
        .send(&requests::refresh(
            &r.org().token,
            &rt2,
            "openid email",
            &app_auth(),
        ))
        .await;
    assert_eq!(wider.error(), "invalid_scope");
    // Revoking a refresh token forgets it.
    let user = sign_in_at(&r, None, "openid offline_access").await;
    let rt = user.refresh_token.unwrap();
    assert_eq!(
        r.send(&requests::revoke(
            &r.org().revoke,
            &rt,
            "refresh_token",
            &app_auth()
        ))
        .await
        .status,
        200
    );
    assert_eq!(
        r.send(&requests::refresh(&r.org().token, &rt, "", &app_auth()))
            .await
            .error(),
        "invalid_grant"
    );
});

conformance!(metadata_as_a_real_org_serves_it, |via| {
    let r = start(via).await;
    let r = &r;
    let get = |url: String| async move { r.send(&requests::get_json("metadata", &url)).await };
    let files = get(format!(
        "{}/oauth2/files/.well-known/oauth-authorization-server",
        r.base
    ))
    .await;
    assert_eq!(
        files.json["scopes_supported"],
        json!(["files.read", "files.write"]),
        "files.delete is unpublished"
    );
    assert_eq!(files.json["issuer"], r.files().issuer);
    assert!(files.json["authorization_grant_profiles_supported"]
        .to_string()
        .contains("id-jag"));
    let path_form = get(format!(
        "{}/.well-known/oauth-authorization-server/oauth2/files",
        r.base
    ))
    .await;
    assert_eq!(
        path_form.status, 200,
        "RFC 8414 path form: {}",
        path_form.text
    );
    assert_eq!(path_form.json, files.json);
    let org = get(format!("{}/.well-known/openid-configuration", r.base)).await;
    assert_eq!(
        org.json["identity_chaining_requested_token_types_supported"],
        json!([TOKEN_TYPE_ID_JAG])
    );
    let prm = get(format!(
        "{}/.well-known/oauth-protected-resource/api/files",
        r.base
    ))
    .await;
    assert_eq!(prm.status, 200, "{}", prm.text);
    assert_eq!(prm.json["resource"], format!("{}/api/files", r.base));
    assert_eq!(prm.json["authorization_servers"], json!([r.files().issuer]));
    let none = get(format!(
        "{}/.well-known/oauth-protected-resource/nothing",
        r.base
    ))
    .await;
    assert_eq!(none.status, 404);
    assert_eq!(files.header("x-content-type-options"), Some("nosniff"));
    assert!(files
        .header("content-security-policy")
        .unwrap()
        .contains("frame-ancestors 'none'"));
});
