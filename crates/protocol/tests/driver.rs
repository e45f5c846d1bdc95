//! The driver against a scripted host: what it signs, sends and makes of the answers. The
//! whole flows run through it against the demo tenant in `crates/demo-tenant/tests`.

use std::cell::RefCell;
use std::collections::BTreeMap;

use serde_json::{json, Value};

use protocol::engine::*;
use protocol::flow::{Action, FlowConfig, FlowState, Step};
use protocol::flow::{PresetEnv, PresetKind};
use protocol::flows::agentic;
use protocol::jwt::Alg;
use protocol::jwt::{Signer, Verifier};
use protocol::keys::PrivateKey;
use protocol::native::{NativeKey, NativeVerifier};
use protocol::request::HttpRequest;
use protocol::response::HttpCapture;
use protocol::transport::TransportFailure;

/// Answers by URL (without query); records what was sent and how.
#[derive(Default)]
struct Scripted {
    answers: BTreeMap<String, HttpCapture>,
    sent: RefCell<Vec<(HttpRequest, Route)>>,
    authorize_answer: Option<String>,
    authorized: RefCell<Vec<(String, PendingSignIn)>>,
}

impl Scripted {
    fn answer(mut self, url: &str, status: u16, body: Value) -> Self {
        self.answers.insert(
            url.into(),
            HttpCapture {
                status,
                headers: vec![("content-type".into(), "application/json".into())],
                body: body.to_string(),
            },
        );
        self
    }
}

impl Host for Scripted {
    fn now(&self) -> i64 {
        1_800_000_000
    }
    fn fill_random(&self, out: &mut [u8]) -> Result<(), HostError> {
        out.iter_mut().enumerate().for_each(|(i, b)| *b = i as u8);
        Ok(())
    }
    async fn sign(&self, key: &PrivateKey, input: &[u8]) -> Result<Vec<u8>, HostError> {
        NativeKey::from_private(key.clone())
            .and_then(|k| {
                k.sign(input)
                    .map_err(|e| protocol::keys::KeyError::Invalid(e.0))
            })
            .map_err(|e| HostError(e.to_string()))
    }
    async fn verify(
        &self,
        alg: Alg,
        jwk: &Value,
        input: &[u8],
        sig: &[u8],
    ) -> Result<bool, HostError> {
        NativeVerifier
            .verify(alg, jwk, input, sig)
            .map_err(|e| HostError(e.0))
    }
    async fn send(&self, request: &HttpRequest, route: &Route) -> Exchange {
        self.sent
            .borrow_mut()
            .push((request.clone(), route.clone()));
        let result = match route.addressed(request) {
            Err(f) => Err(f),
            Ok(_) => self
                .answers
                .get(&request.url)
                .cloned()
                .ok_or(TransportFailure::Network {
                    url: request.url.clone(),
                    detail: "not scripted".into(),
                }),
        };
        Exchange {
            at: "now".into(),
            request: request.clone(),
            result,
            ms: 1,
            via: route.relay().map(String::from),
        }
    }
    async fn authorize(
        &self,
        url: &str,
        pending: &PendingSignIn,
        _: Option<u32>,
    ) -> Result<Option<String>, HostError> {
        self.authorized
            .borrow_mut()
            .push((url.into(), pending.clone()));
        Ok(self.authorize_answer.clone())
    }
    fn cached_jwks(&self, _: &str) -> Option<Value> {
        None
    }
    fn keep_jwks(&self, _: &str, _: &Value) {}
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    use std::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};
    fn raw() -> RawWaker {
        fn no(_: *const ()) {}
        fn clone(_: *const ()) -> RawWaker {
            raw()
        }
        static V: RawWakerVTable = RawWakerVTable::new(clone, no, no, no);
        RawWaker::new(std::ptr::null(), &V)
    }
    let waker = unsafe { Waker::from_raw(raw()) };
    let mut cx = Context::from_waker(&waker);
    let mut f = std::pin::pin!(f);
    match f.as_mut().poll(&mut cx) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("the scripted host never waits"),
    }
}

const ORG: &str = "http://127.0.0.1:9400";

fn config() -> FlowConfig {
    agentic::FLOW
        .preset(
            PresetKind::LocalDemo,
            &PresetEnv {
                demo_org: ORG.into(),
                redirect_uri: "http://127.0.0.1:8080/".into(),
            },
        )
        .unwrap()
}

fn step(id: &str) -> &'static Step {
    agentic::FLOW.step(id).unwrap()
}

#[test]
fn a_sign_in_is_data_the_host_only_opens_the_page() {
    // The answer comes back with another state: nothing is exchanged.
    let host = Scripted {
        authorize_answer: Some("code=c1&state=forged".into()),
        ..Default::default()
    };
    let c = config();
    let ran = block_on(run(
        &host,
        &Site::default(),
        StepAt {
            def: &agentic::FLOW,
            readers: agentic::readers,
            step: step("signin"),
            config: &c,
            state: &FlowState::default(),
        },
    ))
    .unwrap();
    assert!(!ran.outcome.ok);
    assert!(
        ran.outcome
            .summary
            .contains("state returned by the authorization server does not match"),
        "{}",
        ran.outcome.summary
    );
    assert!(
        host.sent.borrow().is_empty(),
        "no code exchange after a forged state"
    );
    let (url, pending) = host.authorized.borrow()[0].clone();
    assert!(
        url.starts_with(&format!("{ORG}/oauth2/v1/authorize?")),
        "{url}"
    );
    assert!(
        url.contains(&format!("state={}", pending.state))
            && url.contains("code_challenge_method=S256")
    );
    assert_eq!(ran.sent.len(), 1, "the authorize request as sent");
    assert!(
        !format!("{pending:?}").contains(&pending.verifier),
        "the verifier is not printed"
    );
    // A page that left for the sign-in (same-tab) resumes later.
    let left = Scripted::default();
    assert!(block_on(run(
        &left,
        &Site::default(),
        StepAt {
            def: &agentic::FLOW,
            readers: agentic::readers,
            step: step("signin"),
            config: &c,
            state: &FlowState::default()
        }
    ))
    .is_none());
}

#[test]
fn a_request_step_is_signed_built_routed_sent_and_read() {
    let c = config();
    let mut state = FlowState::default();
    let id_token = protocol::jwt::UnsignedJwt {
        header: json!({"alg": "none"}),
        claims: json!({"iss": ORG, "sub": "00u-alice"}),
    }
    .with_signature(b"x");
    state.set(protocol::signin::USER_ID_TOKEN, id_token.as_str().into());
    let token_url = format!("{ORG}/oauth2/v1/token");
    let host = Scripted::default().answer(
        &token_url,
        400,
        json!({"error": "invalid_grant", "error_description": "no"}),
    );
    let ran = block_on(run(
        &host,
        &Site::default(),
        StepAt {
            def: &agentic::FLOW,
            readers: agentic::readers,
            step: step("exchange"),
            config: &c,
            state: &state,
        },
    ))
    .unwrap();
    let sent = host.sent.borrow();
    let (req, route) = &sent[0];
    assert_eq!(route, &Route::Direct);
    assert_eq!(req.url, token_url);
    let assertion = req.form_value("client_assertion").unwrap();
    let jwt = protocol::jwt::decode(assertion).unwrap();
    assert_eq!(
        jwt.str_claim("aud"),
        Some(token_url.as_str()),
        "signed for the endpoint it goes to"
    );
    assert!(!ran.outcome.ok);
    assert!(
        ran.outcome.summary.contains("invalid_grant"),
        "{}",
        ran.outcome.summary
    );
    assert_eq!(ran.exchanges.len(), 1);
    // Recorded: a failure clears what the step produces and marks it failed.
    record(
        &agentic::FLOW,
        step("exchange"),
        &c,
        &mut state,
        &ran.outcome,
        host.now(),
    );
    assert!(state.get(agentic::ID_JAG).is_none());
}

#[test]
fn a_server_set_to_use_the_relay_needs_its_key() {
    let mut c = config();
    c.server_mut(&agentic::IDP).relay = true;
    let mut state = FlowState::default();
    state.set(
        protocol::signin::USER_ID_TOKEN,
        "eyJhbGciOiJub25lIn0.e30.eA".into(),
    );
    let site = Site {
        relay_url: "http://127.0.0.1:9500/".into(),
        ..Default::default()
    };
    let host = Scripted::default();
    let ran = block_on(run(
        &host,
        &site,
        StepAt {
            def: &agentic::FLOW,
            readers: agentic::readers,
            step: step("exchange"),
            config: &c,
            state: &state,
        },
    ))
    .unwrap();
    let why = ran.outcome.diagnosis.unwrap().cause;
    assert!(why.contains("no relay key is set"), "{why}");
    let (_, route) = host.sent.borrow()[0].clone();
    assert_eq!(route.relay(), Some("http://127.0.0.1:9500"));
}

#[test]
fn a_request_step_without_a_reader_is_not_sent_and_says_why() {
    let c = config();
    let host = Scripted::default();
    let ran = block_on(run(
        &host,
        &Site::default(),
        StepAt {
            def: &agentic::FLOW,
            readers: |_| None,
            step: step("exchange"),
            config: &c,
            state: &FlowState::default(),
        },
    ))
    .unwrap();
    assert!(host.sent.borrow().is_empty(), "nothing sent");
    assert!(!ran.outcome.ok);
    assert!(
        ran.outcome.summary.contains("no reader") && ran.outcome.summary.contains("\"exchange\""),
        "{}",
        ran.outcome.summary
    );
}

#[test]
fn every_request_step_of_every_flow_has_a_reader() {
    for def in protocol::flows::ALL {
        let readers = protocol::flows::readers(def);
        for s in def.all_steps() {
            match s.action {
                Action::Request { .. } => {
                    assert!(
                        readers(s.id).is_some(),
                        "{}: {} has no reader",
                        def.id,
                        s.id
                    )
                }
                Action::SignIn => assert!(readers(s.id).is_none(), "{}: {}", def.id, s.id),
            }
        }
    }
}
