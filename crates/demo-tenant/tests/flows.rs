//! End-to-end flows over real HTTP on loopback, and one negative test per validation rule.

mod common;

use common::*;
use demo_tenant::config::{DEMO_AGENT, DEMO_APP};
use protocol::checks::{
    check_access_token, check_id_jag, check_id_token, has_errors, AccessTokenExpectations,
    IdJagExpectations, IdTokenExpectations,
};
use protocol::constants::*;
use protocol::encoding::form_decode;
use protocol::jwt::decode;
use protocol::pkce::Pkce;
use protocol::request::Method;
use protocol::requests::{self, AuthorizeParams, TokenExchange};
use serde_json::json;

struct SignedIn {
    id_token: String,
    access_token: String,
}

fn pkce() -> Pkce {
    Pkce::from_random_bytes(&[7u8; 32]).unwrap()
}

fn authorize_params(r: &Running, p: &Pkce) -> AuthorizeParams {
    AuthorizeParams {
        endpoint: r.org().authorize,
        client_id: DEMO_APP.into(),
        redirect_uri: REDIRECT.into(),
        scope: "openid profile email".into(),
        state: "state-123".into(),
        nonce: "nonce-456".into(),
        code_challenge: p.challenge.clone(),
        extra: vec![],
    }
}

/// Signs in as Alice: the page, the user pick, the redirect back with code and state.
async fn get_code(r: &Running, p: &Pkce) -> String {
    let url = requests::authorize(&authorize_params(r, p));
    let page = r.send(&url).await;
    assert_eq!(page.status, 200);
    assert!(
        page.text.contains("Sign in as Alice Example"),
        "{}",
        page.text
    );
    let query = url.full_url().split_once('?').unwrap().1.to_string();
    let res = r
        .http
        .post(&r.org().authorize)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("{query}&user=00u-alice"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with(REDIRECT), "{location}");
    let params = form_decode(location.split_once('?').unwrap().1);
    assert!(
        params.contains(&("state".into(), "state-123".into())),
        "state is echoed"
    );
    params.into_iter().find(|(k, _)| k == "code").unwrap().1
}

async fn sign_in(r: &Running) -> SignedIn {
    let p = pkce();
    let code = get_code(r, &p).await;
    let res = r
        .send(&requests::authorization_code(
            &r.org().token,
            &code,
            REDIRECT,
            &p.verifier,
            &app_auth(),
        ))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let id_token = res.json["id_token"].as_str().unwrap().to_string();
    let findings = check_id_token(
        &decode(&id_token).unwrap(),
        &IdTokenExpectations {
            issuer: r.base.clone(),
            client_id: DEMO_APP.into(),
            nonce: "nonce-456".into(),
            now: now(),
        },
    );
    assert!(!has_errors(&findings), "{findings:?}");
    SignedIn {
        id_token,
        access_token: res.json["access_token"].as_str().unwrap().into(),
    }
}

fn id_jag_request(
    r: &Running,
    subject: &str,
    scope: &str,
    audience: &str,
) -> protocol::request::HttpRequest {
    let x = TokenExchange {
        subject_token: subject.into(),
        subject_token_type: TOKEN_TYPE_ID.into(),
        requested_token_type: TOKEN_TYPE_ID_JAG.into(),
        audience: vec![audience.into()],
        scope: scope.into(),
        ..Default::default()
    };
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

#[tokio::test]
async fn id_jag_flow_end_to_end() {
    let r = start().await;
    let user = sign_in(&r).await;
    let id_jag = get_id_jag(&r, &user).await;
    let jag = decode(&id_jag).unwrap();
    let findings = check_id_jag(
        &jag,
        &IdJagExpectations {
            audience: r.files().issuer,
            client_id: DEMO_AGENT.into(),
            requested_scope: "files.read files.delete".into(),
            now: now(),
        },
    );
    assert!(!has_errors(&findings), "{findings:?}");
    assert_eq!(jag.str_claim("sub"), Some("00u-alice"));

    let bearer = requests::jwt_bearer(&r.files().token, &id_jag, "", &agent_auth(&r.files().token));
    let res = r.send(&bearer).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let at = res.json["access_token"].as_str().unwrap().to_string();
    let findings = check_access_token(
        &decode(&at).unwrap(),
        &AccessTokenExpectations {
            issuer: r.files().issuer,
            audience: format!("{}/api/files", r.base),
            subject: "00u-alice".into(),
            actor: DEMO_AGENT.into(),
            previous_scope: vec!["files.read".into()],
            now: now(),
        },
    );
    assert!(!has_errors(&findings), "{findings:?}");

    let api = r
        .send(&requests::api_call(
            Method::Get,
            &format!("{}/api/files/documents", r.base),
            &at,
        ))
        .await;
    assert_eq!(api.status, 200, "{}", api.text);
    assert_eq!(api.json["caller"]["sub"], "00u-alice");
    assert_eq!(api.json["caller"]["act"]["sub"], DEMO_AGENT);
    assert!(api.json["summary"]
        .as_str()
        .unwrap()
        .contains("on behalf of Alice"));

    // Introspect, revoke, introspect again, and the API refuses the token.
    let auth = || agent_auth(&r.files().introspect);
    let i = r
        .send(&requests::introspect(
            &r.files().introspect,
            &at,
            "access_token",
            &auth(),
        ))
        .await;
    assert_eq!(i.json["active"], true, "{}", i.text);
    assert_eq!(i.json["act"]["sub"], DEMO_AGENT);
    let v = r
        .send(&requests::revoke(
            &r.files().revoke,
            &at,
            "access_token",
            &agent_auth(&r.files().revoke),
        ))
        .await;
    assert_eq!(v.status, 200);
    assert!(v.text.is_empty());
    let i = r
        .send(&requests::introspect(
            &r.files().introspect,
            &at,
            "",
            &auth(),
        ))
        .await;
    assert_eq!(i.json, json!({"active": false}));
    let api = r
        .send(&requests::api_call(
            Method::Get,
            &format!("{}/api/files/documents", r.base),
            &at,
        ))
        .await;
    assert_eq!(api.status, 401);
    assert_eq!(api.error(), "invalid_token");
    assert!(api.headers["www-authenticate"]
        .to_str()
        .unwrap()
        .starts_with("Bearer error=\"invalid_token\""));
}

#[tokio::test]
async fn pkce_and_code_rules() {
    let r = start().await;
    let p = pkce();
    let code = get_code(&r, &p).await;
    let wrong = Pkce::from_random_bytes(&[9u8; 32]).unwrap();
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
    assert!(res.json["error_description"]
        .as_str()
        .unwrap()
        .contains("PKCE"));
    // The code was consumed by the failed attempt: a second use is refused too.
    let res = r
        .send(&requests::authorization_code(
            &r.org().token,
            &code,
            REDIRECT,
            &p.verifier,
            &app_auth(),
        ))
        .await;
    assert_eq!((res.status, res.error()), (400, "invalid_grant"));
    assert!(res.json["error_description"]
        .as_str()
        .unwrap()
        .contains("already used"));

    let code = get_code(&r, &p).await;
    let res = r
        .send(&requests::authorization_code(
            &r.org().token,
            &code,
            "http://127.0.0.1:8080/other",
            &p.verifier,
            &app_auth(),
        ))
        .await;
    assert_eq!((res.status, res.error()), (400, "invalid_grant"));
}

#[tokio::test]
async fn authorize_refuses_unregistered_redirect_and_missing_pkce() {
    let r = start().await;
    let p = pkce();
    let mut params = authorize_params(&r, &p);
    params.redirect_uri = "https://evil.example/".into();
    let res = r.send(&requests::authorize(&params)).await;
    assert_eq!(res.status, 400);
    assert!(
        res.headers.get("location").is_none(),
        "never redirect to an unregistered URI"
    );
    assert!(res.text.contains("not registered"));

    let mut params = authorize_params(&r, &p);
    params.code_challenge.clear();
    let res = r.send(&requests::authorize(&params)).await;
    assert_eq!(res.status, 303);
    let loc = res.headers["location"].to_str().unwrap();
    assert!(
        loc.contains("error=invalid_request") && loc.contains("state=state-123"),
        "{loc}"
    );
}

#[tokio::test]
async fn client_assertion_rules() {
    let r = start().await;
    let user = sign_in(&r).await;
    let token = r.org().token;
    let key = agent_key();
    let cases = [
        (
            "wrong aud",
            agent_auth_with(&key, &r.files().token, now(), "j1"),
            "aud",
        ),
        (
            "expired",
            agent_auth_with(&key, &token, now() - 600, "j2"),
            "expired",
        ),
        (
            "unregistered key",
            agent_auth_with(
                &protocol::native::NativeKey::generate_ec()
                    .unwrap()
                    .with_kid(&key.key.kid),
                &token,
                now(),
                "j3",
            ),
            "signature",
        ),
    ];
    for (name, auth, needle) in cases {
        let x = TokenExchange {
            subject_token: user.id_token.clone(),
            subject_token_type: TOKEN_TYPE_ID.into(),
            requested_token_type: TOKEN_TYPE_ID_JAG.into(),
            audience: vec![r.files().issuer],
            scope: "files.read".into(),
            ..Default::default()
        };
        let res = r.send(&requests::token_exchange(&token, &x, &auth)).await;
        assert_eq!(
            (res.status, res.error()),
            (401, "invalid_client"),
            "{name}: {}",
            res.text
        );
        assert!(
            res.json["error_description"]
                .as_str()
                .unwrap()
                .contains(needle),
            "{name}: {}",
            res.text
        );
    }
    // Replay: the same assertion twice.
    let auth = agent_auth_with(&key, &token, now(), "j-replay");
    let x = TokenExchange {
        subject_token: user.id_token.clone(),
        subject_token_type: TOKEN_TYPE_ID.into(),
        requested_token_type: TOKEN_TYPE_ID_JAG.into(),
        audience: vec![r.files().issuer],
        scope: "files.read".into(),
        ..Default::default()
    };
    assert_eq!(
        r.send(&requests::token_exchange(&token, &x, &auth))
            .await
            .status,
        200
    );
    let res = r.send(&requests::token_exchange(&token, &x, &auth)).await;
    assert_eq!((res.status, res.error()), (401, "invalid_client"));
    assert!(res.text.contains("already used"));
}

#[tokio::test]
async fn token_exchange_rules() {
    let r = start().await;
    let user = sign_in(&r).await;
    let res = r
        .send(&id_jag_request(
            &r,
            &user.id_token,
            "files.delete",
            &r.files().issuer,
        ))
        .await;
    assert_eq!(
        (res.status, res.error()),
        (400, "invalid_scope"),
        "scope outside policy"
    );
    let res = r
        .send(&id_jag_request(
            &r,
            &user.id_token,
            "openid",
            &r.files().issuer,
        ))
        .await;
    assert_eq!(
        (res.status, res.error()),
        (400, "invalid_scope"),
        "openid is refused in an ID-JAG exchange"
    );
    let res = r
        .send(&id_jag_request(
            &r,
            &user.id_token,
            "files.read",
            &format!("{}/", r.files().issuer),
        ))
        .await;
    assert_eq!(
        (res.status, res.error()),
        (400, "invalid_target"),
        "issuer with trailing slash is unknown"
    );
    let res = r
        .send(&id_jag_request(
            &r,
            &user.id_token,
            "files.read",
            &format!("{}/oauth2/default", r.base),
        ))
        .await;
    assert_eq!(
        (res.status, res.error()),
        (400, "invalid_target"),
        "no managed connection to default"
    );
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
    let res = r.send(&req).await;
    assert_eq!((res.status, res.error()), (400, "unsupported_grant_type"));

    let mut req = id_jag_request(&r, &user.id_token, "files.read", &r.files().issuer);
    req.form.push(protocol::request::Param::public(
        "resource",
        "https://unknown.example/api",
    ));
    let res = r.send(&req).await;
    assert_eq!((res.status, res.error()), (400, "invalid_target"));

    // The access token as subject must be declared as such.
    let mut req = id_jag_request(&r, &user.access_token, "files.read", &r.files().issuer);
    req.form
        .iter_mut()
        .find(|p| p.name == "subject_token_type")
        .unwrap()
        .value = TOKEN_TYPE_ACCESS.into();
    assert_eq!(
        r.send(&req).await.status,
        200,
        "an access token from the linked app is a valid subject"
    );
}

/// Mints an org-signed ID-JAG with chosen claims, to test the resource server's checks.
fn forged_jag(r: &Running, typ: &str, edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let n = now();
    let mut claims = json!({"iss": r.base, "sub": "00u-alice", "aud": r.files().issuer, "client_id": DEMO_AGENT,
        "jti": demo_tenant::state::random_id(), "iat": n, "exp": n + 300, "scope": "files.read"});
    edit(&mut claims);
    r.tenant.sign(None, typ, claims)
}

#[tokio::test]
async fn jwt_bearer_rules() {
    let r = start().await;
    let cases: Vec<(&str, String, &str)> = vec![
        ("wrong typ", forged_jag(&r, "JWT", |_| {}), "typ"),
        (
            "expired",
            forged_jag(&r, ID_JAG_TYP, |c| {
                c["iat"] = json!(now() - 900);
                c["exp"] = json!(now() - 600);
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
    ];
    for (name, jag, needle) in cases {
        let res = r
            .send(&requests::jwt_bearer(
                &r.files().token,
                &jag,
                "",
                &agent_auth(&r.files().token),
            ))
            .await;
        assert_eq!(
            (res.status, res.error()),
            (400, "invalid_grant"),
            "{name}: {}",
            res.text
        );
        assert!(
            res.json["error_description"]
                .as_str()
                .unwrap()
                .contains(needle),
            "{name}: {}",
            res.text
        );
    }
    // Signed by someone else than the org.
    let mut parts: Vec<String> = forged_jag(&r, ID_JAG_TYP, |_| {})
        .split('.')
        .map(String::from)
        .collect();
    parts[2] = protocol::encoding::b64url(&[1u8; 256]);
    let res = r
        .send(&requests::jwt_bearer(
            &r.files().token,
            &parts.join("."),
            "",
            &agent_auth(&r.files().token),
        ))
        .await;
    assert_eq!((res.status, res.error()), (400, "invalid_grant"));

    // Replay of a valid ID-JAG.
    let jag = forged_jag(&r, ID_JAG_TYP, |_| {});
    assert_eq!(
        r.send(&requests::jwt_bearer(
            &r.files().token,
            &jag,
            "",
            &agent_auth(&r.files().token)
        ))
        .await
        .status,
        200
    );
    let res = r
        .send(&requests::jwt_bearer(
            &r.files().token,
            &jag,
            "",
            &agent_auth(&r.files().token),
        ))
        .await;
    assert_eq!((res.status, res.error()), (400, "invalid_grant"));
    assert!(res.text.contains("already redeemed"));

    // Scope outside the connection is narrowed away; nothing left is invalid_scope.
    let jag = forged_jag(&r, ID_JAG_TYP, |c| c["scope"] = json!("files.delete"));
    let res = r
        .send(&requests::jwt_bearer(
            &r.files().token,
            &jag,
            "",
            &agent_auth(&r.files().token),
        ))
        .await;
    assert_eq!((res.status, res.error()), (400, "invalid_scope"));
}

#[tokio::test]
async fn basic_auth_errors_carry_www_authenticate() {
    let r = start().await;
    let auth = protocol::client_auth::ClientAuth::SecretBasic {
        client_id: SVC.into(),
        client_secret: "wrong".into(),
    };
    let res = r
        .send(&requests::client_credentials(
            &r.files().token,
            "files.read",
            &[],
            &auth,
        ))
        .await;
    assert_eq!((res.status, res.error()), (401, "invalid_client"));
    assert!(res.headers["www-authenticate"]
        .to_str()
        .unwrap()
        .starts_with("Basic"));
    // The right secret, with characters that RFC 6749 2.3.1 form-encodes before base64.
    let auth = protocol::client_auth::ClientAuth::SecretBasic {
        client_id: SVC.into(),
        client_secret: SVC_SECRET.into(),
    };
    let res = r
        .send(&requests::client_credentials(
            &r.files().token,
            "files.read",
            &[],
            &auth,
        ))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let auth = protocol::client_auth::ClientAuth::SecretBasic {
        client_id: SVC.into(),
        client_secret: SVC_SECRET.into(),
    };
    let res = r
        .send(&requests::client_credentials(
            &r.files().token,
            "files.read",
            &[],
            &auth,
        ))
        .await;
    let at = res.json["access_token"].as_str().unwrap();
    let api = r
        .send(&requests::api_call(
            Method::Get,
            &format!("{}/api/files/x", r.base),
            at,
        ))
        .await;
    assert_eq!(api.status, 200);
    assert!(api.json["summary"]
        .as_str()
        .unwrap()
        .contains("calling for itself"));
}

#[tokio::test]
async fn api_rules() {
    let r = start().await;
    let api = format!("{}/api/files/documents", r.base);
    let res = r.send(&requests::get_json("no token", &api)).await;
    assert_eq!((res.status, res.error()), (401, "invalid_token"));
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
    let at = r.tenant.sign(
        Some("files"),
        "JWT",
        json!({"iss": r.files().issuer, "aud": format!("{}/api/files", r.base),
        "sub": "00u-alice", "scp": ["files.write"], "iat": n, "exp": n + 60, "jti": "x"}),
    );
    let res = r.send(&requests::api_call(Method::Get, &api, &at)).await;
    assert_eq!((res.status, res.error()), (403, "insufficient_scope"));
}

#[tokio::test]
async fn transport_rules_cors_strict_mode_and_limits() {
    let r = start().await;
    let user = sign_in(&r).await;
    // CORS: the app origin is allowed, others are not.
    let req = id_jag_request(&r, &user.id_token, "files.read", &r.files().issuer);
    let res = r.send_with(&req, &[("origin", APP_ORIGIN)]).await;
    assert_eq!(res.headers["access-control-allow-origin"], APP_ORIGIN);
    let req = id_jag_request(&r, &user.id_token, "files.read", &r.files().issuer);
    let res = r
        .send_with(&req, &[("origin", "https://evil.example")])
        .await;
    assert!(res.headers.get("access-control-allow-origin").is_none());
    // A huge body is refused with a client error, never a 500.
    let mut big = requests::client_credentials(&r.files().token, "files.read", &[], &app_auth());
    big.form.push(protocol::request::Param::public(
        "pad",
        &"x".repeat(200_000),
    ));
    let res = r.send(&big).await;
    assert!((400..500).contains(&res.status), "{}", res.status);
    // Not a form.
    let res = r
        .http
        .post(&r.org().token)
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 400);
    // What the tenant received is recorded with every parameter, for tests that compare with cURL.
    let rec: serde_json::Value = r
        .http
        .get(format!("{}/_demo/requests", r.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(rec
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["form"].to_string().contains("requested_token_type")));

    // Okta-strict mode refuses browser token requests other than code + PKCE.
    let strict = start_with(|c| c.okta_strict = true).await;
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
        res.json["error_description"],
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

    // CORS off: no CORS headers at all.
    let off = start_with(|c| c.cors = false).await;
    let res = off
        .send_with(
            &requests::get_json(
                "m",
                &format!("{}/.well-known/openid-configuration", off.base),
            ),
            &[("origin", APP_ORIGIN)],
        )
        .await;
    assert_eq!(res.status, 200);
    assert!(res.headers.get("access-control-allow-origin").is_none());
}
