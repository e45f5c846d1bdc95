//! Shared helpers: start a tenant on a free loopback port, send protocol requests.

#![allow(dead_code)]

use std::sync::Arc;

use demo_tenant::config::{AuthMethod, Client, Config, DEMO_AGENT, DEMO_AGENT_JWK, DEMO_APP};
use demo_tenant::state::Tenant;
use protocol::client_auth::{assertion_claims, ClientAuth};
use protocol::jwt::{Signer, UnsignedJwt};
use protocol::native::NativeKey;
use protocol::request::{HttpRequest, Method};
use serde_json::Value;

pub const APP_ORIGIN: &str = "http://127.0.0.1:8080";
pub const REDIRECT: &str = "http://127.0.0.1:8080/";
pub const SVC: &str = "0oa-test-service";
pub const SVC_SECRET: &str = "s3cr3t with spaces & symbols";

pub struct Running {
    pub base: String,
    pub tenant: Arc<Tenant>,
    pub http: reqwest::Client,
}

pub async fn start_with(edit: impl FnOnce(&mut Config)) -> Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mut config = Config {
        base_url: base.clone(),
        ..Config::default()
    };
    config.clients.push(Client {
        id: SVC.into(),
        name: "Test service".into(),
        auth: AuthMethod::ClientSecretBasic,
        secret: Some(SVC_SECRET.into()),
        jwks: None,
        redirect_uris: vec![],
        grants: vec!["client_credentials".into()],
        linked_apps: vec![],
    });
    edit(&mut config);
    let tenant = Arc::new(Tenant::new(config.finish(), true).unwrap());
    let router = demo_tenant::router(tenant.clone());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    Running { base, tenant, http }
}

pub async fn start() -> Running {
    start_with(|_| {}).await
}

pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub json: Value,
    pub text: String,
}

impl Reply {
    pub fn error(&self) -> &str {
        self.json["error"].as_str().unwrap_or("")
    }
}

impl Running {
    pub async fn send(&self, req: &HttpRequest) -> Reply {
        self.send_with(req, &[]).await
    }

    pub async fn send_with(&self, req: &HttpRequest, extra: &[(&str, &str)]) -> Reply {
        let method = match req.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
        };
        let mut b = self.http.request(method, req.full_url());
        for h in &req.headers {
            b = b.header(&h.name, &h.value);
        }
        for (k, v) in extra {
            b = b.header(*k, *v);
        }
        if let Some(body) = req.body() {
            b = b.body(body);
        }
        let res = b.send().await.unwrap();
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap();
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            json,
            text,
        }
    }

    pub fn org(&self) -> protocol::endpoints::Endpoints {
        protocol::endpoints::okta_org(&self.base)
    }

    pub fn files(&self) -> protocol::endpoints::Endpoints {
        protocol::endpoints::okta_custom(&self.base, "files")
    }
}

pub fn agent_key() -> NativeKey {
    NativeKey::parse(DEMO_AGENT_JWK).unwrap()
}

pub fn now() -> i64 {
    demo_tenant::state::now()
}

/// A fresh private_key_jwt authentication for the demo agent at `token_endpoint`.
pub fn agent_auth(token_endpoint: &str) -> ClientAuth {
    agent_auth_with(
        &agent_key(),
        token_endpoint,
        now(),
        &demo_tenant::state::random_id(),
    )
}

pub fn agent_auth_with(key: &NativeKey, aud: &str, iat: i64, jti: &str) -> ClientAuth {
    let claims = assertion_claims(DEMO_AGENT, aud, iat, 60, jti);
    let assertion = UnsignedJwt::new(key.alg(), "JWT", key.kid(), claims)
        .sign(key)
        .unwrap();
    ClientAuth::PrivateKeyJwt {
        client_id: None,
        assertion,
    }
}

pub fn app_auth() -> ClientAuth {
    ClientAuth::None {
        client_id: DEMO_APP.into(),
    }
}

/// Signs `user` in through the authorize page of `server` (`None`: the org) and exchanges the
/// code; returns the token response JSON.
pub async fn sign_in_at(r: &Running, server: Option<&str>, scope: &str, user: &str) -> Value {
    let ep = match server {
        None => r.org(),
        Some(id) => protocol::endpoints::okta_custom(&r.base, id),
    };
    let p = protocol::pkce::Pkce::from_random_bytes(&[5u8; 32]).unwrap();
    let url = protocol::requests::authorize(&protocol::requests::AuthorizeParams {
        endpoint: ep.authorize.clone(),
        client_id: DEMO_APP.into(),
        redirect_uri: REDIRECT.into(),
        scope: scope.into(),
        state: "s".into(),
        nonce: "n".into(),
        code_challenge: p.challenge.clone(),
        extra: vec![],
    });
    let query = url.full_url().split_once('?').unwrap().1.to_string();
    let res = r
        .http
        .post(&ep.authorize)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("{query}&user={user}"))
        .send()
        .await
        .unwrap();
    let loc = res.headers()["location"].to_str().unwrap().to_string();
    let code = protocol::encoding::form_decode(loc.split_once('?').unwrap().1)
        .into_iter()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1;
    let req = protocol::requests::authorization_code(
        &ep.token,
        &code,
        REDIRECT,
        &p.verifier,
        &app_auth(),
    );
    let res = r.send(&req).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.json
}
