//! Shared helpers: a tenant reached directly through its core or over HTTP on loopback,
//! protocol requests sent to it, and the sign-in a user would do.

#![allow(dead_code)]

pub mod host;

use std::sync::Arc;

use demo_tenant::NativeTenant;
use protocol::client_auth::{assertion_claims, ClientAuth};
use protocol::demo;
use protocol::endpoints::Endpoints;
use protocol::jwt::{Signer, UnsignedJwt};
use protocol::native::NativeKey;
use protocol::request::HttpRequest;
use protocol::requests::TokenExchange;
use serde_json::Value;
use tenant_core::config::Config;
use tenant_core::{Keys, MemoryStore, Platform};

pub const APP_ORIGIN: &str = "http://127.0.0.1:8080";
pub const REDIRECT: &str = "http://127.0.0.1:8080/";

/// How a test reaches the tenant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    /// Calling the core in process (what the service worker does).
    Core,
    /// Over HTTP to the native server on loopback.
    Http,
}

pub struct Running {
    pub base: String,
    pub tenant: Arc<NativeTenant>,
    pub via: Via,
    pub http: reqwest::Client,
}

/// Every conformance test runs twice: against the core and against the HTTP server.
#[macro_export]
macro_rules! conformance {
    ($name:ident, |$via:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test]
            async fn core() {
                let $via = Via::Core;
                $body
            }
            #[tokio::test]
            async fn http() {
                let $via = Via::Http;
                $body
            }
        }
    };
}

pub async fn start(via: Via) -> Running {
    start_with(via, |_| {}).await
}

pub async fn start_with(via: Via, edit: impl FnOnce(&mut Config)) -> Running {
    let (listener, base) = match via {
        Via::Http => {
            let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let base = format!("http://{}", l.local_addr().unwrap());
            (Some(l), base)
        }
        Via::Core => (None, "http://tenant.core.test".to_string()),
    };
    let mut config = Config {
        base_url: base.clone(),
        ..Config::default()
    };
    edit(&mut config);
    let config = config.finish();
    let keys = Keys::generate(&config, |_| NativeKey::generate_ec()).unwrap();
    let store = MemoryStore::new(config.limits.clone());
    let tenant = Arc::new(NativeTenant::new(config, keys, store, true));
    if let Some(l) = listener {
        let router = demo_tenant::router(tenant.clone());
        tokio::spawn(bounded_server::serve(
            l,
            router,
            bounded_server::Limits::default(),
        ));
    }
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    Running {
        base,
        tenant,
        via,
        http,
    }
}

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub json: Value,
    pub text: String,
}

impl Reply {
    pub fn error(&self) -> &str {
        self.json["error"].as_str().unwrap_or("")
    }
    pub fn description(&self) -> &str {
        self.json["error_description"].as_str().unwrap_or("")
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn capture(&self) -> protocol::response::HttpCapture {
        protocol::response::HttpCapture {
            status: self.status,
            headers: self.headers.clone(),
            body: self.text.clone(),
        }
    }
}

pub struct NativePlatformForTests;

impl Platform for NativePlatformForTests {
    fn now(&self) -> i64 {
        demo_tenant::NativePlatform.now()
    }
    fn fill_random(&self, buf: &mut [u8]) {
        demo_tenant::NativePlatform.fill_random(buf)
    }
}

impl Running {
    pub async fn send(&self, req: &HttpRequest) -> Reply {
        self.send_with(req, &[]).await
    }

    pub async fn send_with(&self, req: &HttpRequest, extra: &[(&str, &str)]) -> Reply {
        let mut headers: Vec<(String, String)> = req
            .headers
            .iter()
            .map(|h| (h.name.clone(), h.value.clone()))
            .collect();
        headers.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        self.raw(
            req.method.as_str(),
            &req.full_url(),
            headers,
            req.body().unwrap_or_default().into_bytes(),
        )
        .await
    }

    /// Any request, by method, full URL, headers and body.
    pub async fn raw(
        &self,
        method: &str,
        url: &str,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    ) -> Reply {
        let (status, headers, text) = match self.via {
            Via::Core => {
                let rest = url
                    .strip_prefix(&self.base)
                    .unwrap_or_else(|| panic!("{url} is not below {}", self.base));
                let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
                let res = self.tenant.handle(
                    &tenant_core::Request {
                        method: method.into(),
                        path: path.into(),
                        query: query.into(),
                        headers,
                        body,
                    },
                    &NativePlatformForTests,
                );
                (
                    res.status,
                    res.headers,
                    String::from_utf8_lossy(&res.body).into_owned(),
                )
            }
            Via::Http => {
                let mut b = self
                    .http
                    .request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), url);
                for (k, v) in headers {
                    b = b.header(k, v);
                }
                let res = b.body(body).send().await.unwrap();
                let status = res.status().as_u16();
                let headers = res
                    .headers()
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_string()))
                    .collect();
                (status, headers, res.text().await.unwrap())
            }
        };
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            json,
            text,
        }
    }

    pub async fn post_form(&self, url: &str, body: &str) -> Reply {
        self.raw(
            "POST",
            url,
            vec![(
                "content-type".into(),
                "application/x-www-form-urlencoded".into(),
            )],
            body.as_bytes().to_vec(),
        )
        .await
    }

    pub fn org(&self) -> Endpoints {
        protocol::endpoints::okta_org(&self.base)
    }

    pub fn custom(&self, id: &str) -> Endpoints {
        protocol::endpoints::okta_custom(&self.base, id)
    }

    pub fn files(&self) -> Endpoints {
        self.custom("files")
    }

    pub fn realm(&self) -> Endpoints {
        protocol::endpoints::pingone_aic(&self.base, "alpha")
    }

    /// Signs claims with one of the tenant's server keys (to forge tokens in tests).
    pub fn sign(&self, server: Option<&str>, typ: &str, claims: Value) -> String {
        self.tenant.sign_as(server, typ, claims).unwrap()
    }
}

/// A flow's local-demo preset for the tenant `r`, as the page fills it.
pub fn preset(r: &Running, def: &protocol::flow::FlowDef) -> protocol::flow::FlowConfig {
    let env = protocol::flow::PresetEnv {
        demo_org: r.base.clone(),
        redirect_uri: REDIRECT.into(),
    };
    def.preset(protocol::flow::PresetKind::LocalDemo, &env)
        .expect("every flow has a demo preset")
}

pub fn now() -> i64 {
    demo_tenant::NativePlatform.now()
}

pub fn random_id() -> String {
    let mut b = [0u8; 12];
    demo_tenant::NativePlatform.fill_random(&mut b);
    protocol::encoding::b64url(&b)
}

pub fn agent_key() -> NativeKey {
    NativeKey::parse(demo::AGENT_KEY).unwrap()
}

pub fn agent2_key() -> NativeKey {
    NativeKey::parse(demo::AGENT2_KEY).unwrap()
}

/// A fresh private_key_jwt authentication for the demo agent at `aud`.
pub fn agent_auth(aud: &str) -> ClientAuth {
    agent_auth_with(&agent_key(), demo::AGENT, aud, now(), &random_id())
}

/// A fresh private_key_jwt authentication for agent 2 at `aud`.
pub fn agent2_auth(aud: &str) -> ClientAuth {
    agent_auth_with(&agent2_key(), demo::AGENT2, aud, now(), &random_id())
}

pub fn agent_auth_with(
    key: &NativeKey,
    client: &str,
    aud: &str,
    iat: i64,
    jti: &str,
) -> ClientAuth {
    let claims = assertion_claims(client, aud, iat, 60, jti);
    assertion_auth(key, claims)
}

pub fn assertion_auth(key: &NativeKey, claims: Value) -> ClientAuth {
    let assertion = UnsignedJwt::new(key.alg(), "JWT", key.kid(), claims)
        .sign(key)
        .unwrap();
    ClientAuth::PrivateKeyJwt {
        client_id: None,
        assertion: assertion.into(),
    }
}

pub fn app_auth() -> ClientAuth {
    ClientAuth::None {
        client_id: demo::APP.into(),
    }
}

pub fn basic(id: &str, secret: &str) -> ClientAuth {
    ClientAuth::SecretBasic {
        client_id: id.into(),
        client_secret: secret.into(),
    }
}

pub fn post(id: &str, secret: &str) -> ClientAuth {
    ClientAuth::SecretPost {
        client_id: id.into(),
        client_secret: secret.into(),
    }
}

/// The user's tokens after a sign-in.
pub struct SignedIn {
    pub id_token: String,
    pub access_token: String,
    pub refresh_token: Option<String>,
}

pub const NONCE: &str = "nonce-456";
pub const STATE: &str = "state-123";

/// Signs `user` in through the authorize page of `server` (`None`: the org): the page, the
/// user's pick, the redirect back with code and state. Returns the code and the verifier.
pub async fn get_code(
    r: &Running,
    server: Option<&str>,
    scope: &str,
    user: &str,
) -> (String, String) {
    let ep = match server {
        None => r.org(),
        Some(id) => r.custom(id),
    };
    let p = protocol::pkce::Pkce::from_random_bytes(&[7u8; 32]).unwrap();
    let url = protocol::requests::authorize(&protocol::requests::AuthorizeParams {
        endpoint: ep.authorize.clone(),
        client_id: demo::APP.into(),
        redirect_uri: REDIRECT.into(),
        scope: scope.into(),
        state: STATE.into(),
        nonce: NONCE.into(),
        code_challenge: p.challenge.clone(),
        extra: vec![],
    });
    let page = r.send(&url).await;
    assert_eq!(page.status, 200, "{}", page.text);
    let query = url.full_url().split_once('?').unwrap().1.to_string();
    let res = r
        .post_form(&ep.authorize, &format!("{query}&user={user}"))
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let loc = res.header("location").unwrap().to_string();
    assert!(loc.starts_with(REDIRECT), "{loc}");
    let params = protocol::encoding::form_decode(loc.split_once('?').unwrap().1);
    assert!(
        params.contains(&("state".into(), STATE.into())),
        "state is echoed: {loc}"
    );
    let code = params
        .into_iter()
        .find(|(k, _)| k == "code")
        .unwrap_or_else(|| panic!("no code in {loc}"))
        .1;
    (code, p.verifier)
}

/// Signs in and exchanges the code; returns the tokens.
pub async fn sign_in_at(r: &Running, server: Option<&str>, scope: &str) -> SignedIn {
    let (code, verifier) = get_code(r, server, scope, demo::ALICE_ID).await;
    let ep = match server {
        None => r.org(),
        Some(id) => r.custom(id),
    };
    let res = r
        .send(&protocol::requests::authorization_code(
            &ep.token,
            &code,
            REDIRECT,
            &verifier,
            &app_auth(),
        ))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    SignedIn {
        id_token: res.json["id_token"].as_str().unwrap_or_default().into(),
        access_token: res.json["access_token"].as_str().unwrap().into(),
        refresh_token: res.json["refresh_token"].as_str().map(String::from),
    }
}

/// Alice signs in at the org server with openid profile email.
pub async fn sign_in(r: &Running) -> SignedIn {
    sign_in_at(r, None, "openid profile email").await
}

/// The exchange of a user's ID token for an ID-JAG for `audience` (the draft's step 2).
pub fn id_jag_exchange(id_token: &str, audience: &str, scope: &str) -> TokenExchange {
    TokenExchange {
        subject_token: id_token.into(),
        subject_token_type: protocol::constants::TOKEN_TYPE_ID.into(),
        requested_token_type: protocol::constants::TOKEN_TYPE_ID_JAG.into(),
        audience: vec![audience.into()],
        scope: scope.into(),
        ..Default::default()
    }
}

pub fn claims(token: &str) -> Value {
    Value::Object(protocol::jwt::decode(token).unwrap().claims)
}
