//! A deliberately lax server, probed: it redirects to any `redirect_uri`, redeems a code any
//! number of times, ignores the PKCE verifier and challenge, the client's authentication
//! (assertion signature, `aud`, `exp`, `jti`), the subject token's and the ID-JAG's
//! signatures, accepts any bearer at the API, answers introspection to anyone and keeps
//! revoked tokens active. Every MUST case must fail, every SHOULD case warn, with the request
//! that got through in the case's log.

mod common;

use std::cell::Cell;

use protocol::constants::{ID_JAG_TYP, TOKEN_TYPE_ACCESS, TOKEN_TYPE_ID_JAG};
use protocol::encoding::{b64url, b64url_decode, form_decode};
use protocol::engine::{Exchange, Host, HostError, PendingSignIn, Route, Site};
use protocol::flow::{PresetEnv, PresetKind};
use protocol::flows;
use protocol::jwt::{Alg, Signer, UnsignedJwt};
use protocol::keys::PrivateKey;
use protocol::native::NativeKey;
use protocol::probe::{self, Extra, Level, Verdict};
use protocol::request::HttpRequest;
use protocol::response::HttpCapture;
use serde_json::{json, Value};

const ORG: &str = "http://lax.test";

/// The lax server as the driver's host: it answers every request itself.
struct Lax {
    key: NativeKey,
    serial: Cell<u32>,
}

impl Lax {
    fn new() -> Self {
        Lax {
            key: NativeKey::generate_ec().unwrap().with_kid("lax"),
            serial: Cell::new(0),
        }
    }

    fn jwt(&self, typ: &str, claims: Value) -> String {
        UnsignedJwt::new(self.key.alg(), typ, self.key.kid(), claims)
            .sign(&self.key)
            .unwrap()
    }

    fn jti(&self) -> String {
        self.serial.set(self.serial.get() + 1);
        format!("lax-{}", self.serial.get())
    }

    /// The issuer of the server an endpoint belongs to (`…/oauth2/files/v1/token` →
    /// `…/oauth2/files`).
    fn issuer(url: &str) -> String {
        if let Some((realm, _)) = url.rsplit_once("/access_token") {
            return realm.to_string();
        }
        url.rsplit_once("/v1/")
            .map(|(i, _)| i.to_string())
            .unwrap_or_else(|| ORG.into())
            .trim_end_matches("/oauth2")
            .to_string()
    }

    fn answer(&self, req: &HttpRequest) -> (u16, Value) {
        let now = common::now();
        let path = req.url.split('?').next().unwrap_or_default();
        let issuer = Self::issuer(path);
        let form = |n: &str| req.form_value(n).unwrap_or_default().to_string();
        if path.ends_with("/keys") || path.ends_with("/jwk_uri") {
            return (200, self.key.key.public_jwks());
        }
        if path.ends_with("/introspect") {
            // To anyone, and revoked or not.
            return (
                200,
                json!({"active": true, "sub": "alice", "scope": "files.read"}),
            );
        }
        if path.ends_with("/revoke") {
            return (200, json!({}));
        }
        if path.ends_with("/tokeninfo") {
            return (
                200,
                json!({"active": true, "sub": "alice", "scope": "monitor-system"}),
            );
        }
        if !path.ends_with("/token") && !path.ends_with("/access_token") {
            // The API: any bearer (or none), any method.
            return (200, json!({"documents": [], "method": req.method.as_str()}));
        }
        let sub = "00u-alice";
        let access = |aud: &str, scope: &str| {
            self.jwt(
                "at+jwt",
                json!({"iss": issuer, "sub": sub, "aud": aud, "scp": scope.split_whitespace().collect::<Vec<_>>(),
                       "client_id": form("client_id"), "iat": now, "exp": now + 3600, "jti": self.jti()}),
            )
        };
        match form("grant_type").as_str() {
            "authorization_code" => {
                // The code carries the nonce and client; it is never spent.
                let code: Value =
                    serde_json::from_slice(&b64url_decode(&form("code")).unwrap_or_default())
                        .unwrap_or_default();
                let id_token = self.jwt(
                    "JWT",
                    json!({"iss": issuer, "sub": sub, "aud": code["client_id"], "nonce": code["nonce"],
                           "iat": now, "exp": now + 3600, "email": "alice@example.com"}),
                );
                (
                    200,
                    json!({"token_type": "Bearer", "expires_in": 3600, "scope": code["scope"],
                           "access_token": access("api://default", code["scope"].as_str().unwrap_or("openid")),
                           "id_token": id_token}),
                )
            }
            "urn:ietf:params:oauth:grant-type:token-exchange" => {
                let audience = form("audience");
                let scope = form("scope");
                if form("requested_token_type") == TOKEN_TYPE_ID_JAG {
                    let client = req
                        .form_value("client_assertion")
                        .and_then(|a| protocol::jwt::decode(a).ok())
                        .and_then(|j| j.str_claim("iss").map(String::from))
                        .unwrap_or_else(|| form("client_id"));
                    let jag = self.jwt(
                        ID_JAG_TYP,
                        json!({"iss": issuer, "sub": sub, "aud": audience, "client_id": client,
                               "scope": scope, "iat": now, "exp": now + 300, "jti": self.jti()}),
                    );
                    (
                        200,
                        json!({"access_token": jag, "issued_token_type": TOKEN_TYPE_ID_JAG,
                               "token_type": "N_A", "expires_in": 300, "scope": scope}),
                    )
                } else {
                    (
                        200,
                        json!({"access_token": access(&audience, &scope), "issued_token_type": TOKEN_TYPE_ACCESS,
                               "token_type": "Bearer", "expires_in": 3600, "scope": scope}),
                    )
                }
            }
            "urn:ietf:params:oauth:grant-type:jwt-bearer" => {
                // The ID-JAG is read, never checked.
                let claims = protocol::jwt::decode(&form("assertion"))
                    .map(|j| j.claims)
                    .unwrap_or_default();
                let scope = claims["scope"].as_str().unwrap_or("files.read").to_string();
                let aud = claims["aud"].as_str().unwrap_or(ORG).to_string();
                (
                    200,
                    json!({"access_token": access(&format!("{aud}/api"), &scope), "token_type": "Bearer",
                           "expires_in": 3600, "scope": scope}),
                )
            }
            _ => (
                200,
                json!({"access_token": access(&issuer, &form("scope")), "token_type": "Bearer",
                       "expires_in": 3600, "scope": form("scope")}),
            ),
        }
    }
}

impl Host for Lax {
    fn now(&self) -> i64 {
        common::now()
    }

    fn fill_random(&self, out: &mut [u8]) -> Result<(), HostError> {
        common::host::native_random(out)
    }

    async fn sign(&self, key: &PrivateKey, input: &[u8]) -> Result<Vec<u8>, HostError> {
        common::host::native_sign(key, input)
    }

    async fn verify(
        &self,
        alg: Alg,
        jwk: &Value,
        input: &[u8],
        signature: &[u8],
    ) -> Result<bool, HostError> {
        common::host::native_verify(alg, jwk, input, signature)
    }

    async fn send(&self, request: &HttpRequest, _: &Route) -> Exchange {
        let (status, body) = self.answer(request);
        Exchange {
            at: protocol::timefmt::utc(common::now()),
            request: request.clone(),
            result: Ok(HttpCapture {
                status,
                headers: vec![("content-type".into(), "application/json".into())],
                body: body.to_string(),
            }),
            ms: 0,
            via: None,
        }
    }

    async fn authorize(
        &self,
        url: &str,
        _: &PendingSignIn,
        _: Option<u32>,
    ) -> Result<Option<String>, HostError> {
        // Signs in at once and redirects wherever it is told, with or without a challenge.
        let query = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
        let params = form_decode(query);
        let get = |n: &str| {
            params
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let code = b64url(
            json!({"nonce": get("nonce"), "client_id": get("client_id"), "scope": get("scope")})
                .to_string()
                .as_bytes(),
        );
        Ok(Some(format!("code={code}&state={}", get("state"))))
    }

    fn cached_jwks(&self, _: &str) -> Option<Value> {
        None
    }

    fn keep_jwks(&self, _: &str, _: &Value) {}
}

#[tokio::test]
async fn a_lax_server_is_flagged_on_every_row() {
    let host = Lax::new();
    let site = Site {
        origin: common::APP_ORIGIN.into(),
        ..Default::default()
    };
    let env = PresetEnv {
        demo_org: ORG.into(),
        redirect_uri: common::REDIRECT.into(),
    };
    let mut seen = std::collections::BTreeSet::new();
    for def in flows::ALL {
        let config = def.preset(PresetKind::LocalDemo, &env).unwrap();
        let report = probe::run(&host, &site, def, &config, &Extra::demo(ORG), &mut |_| {}).await;
        for b in &report.baseline {
            assert!(b.ok, "{} {}: {}", def.id, b.step.id, b.summary);
        }
        for c in &report.cases {
            let expected = match (c.case.id, c.case.level) {
                (_, Level::Must) => Verdict::Fail,
                (_, Level::Should) => Verdict::Warn,
                ("revoke.unknown", _) => Verdict::Pass,
                _ => Verdict::Info,
            };
            assert_eq!(
                c.verdict,
                expected,
                "{} {} ({}): {}",
                def.id,
                c.case.id,
                c.got.shown(),
                c.note
            );
            // The request that got through is in the case's log.
            let last = c.exchanges.last().expect("a request was sent");
            assert!(
                matches!(&last.result, Ok(r) if r.status == 200 || c.case.id == "authz.redirect_unregistered")
            );
            seen.insert(c.case.id);
        }
        assert!(
            report.summary().contains("MUST case(s) failed"),
            "{}",
            report.summary()
        );
        // The JSON report carries no secret: no token, assertion or key material.
        let text = report.json(&Default::default()).to_string();
        for x in report.cases.iter().flat_map(|c| &c.exchanges) {
            for p in x.request.form.iter().chain(&x.request.headers) {
                if p.secret && p.value.len() > 8 {
                    assert!(!text.contains(&p.value), "{} leaked", p.name);
                }
            }
        }
    }
    assert_eq!(seen.len(), probe::CASES.len(), "{seen:?}");
}
