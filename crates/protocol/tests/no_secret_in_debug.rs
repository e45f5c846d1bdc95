//! A secret cannot be printed by accident: the `Debug` of every type that holds one (a client
//! secret, a private key, a token, an assertion, a PKCE verifier, a secret parameter, a body
//! that carries tokens) leaves its value out.

use protocol::client_auth::ClientAuth;
use protocol::engine::PendingSignIn;
use protocol::flows::StepOutcome;
use protocol::keys::parse_private_key;
use protocol::pkce::Pkce;
use protocol::request::{HttpRequest, Method, Param};
use protocol::response::{parse_token_response, HttpCapture};
use protocol::secret::Secret;

const SECRET: &str = "s3cr3t-value-that-must-not-print";

fn assert_hidden(what: &str, debug: String) {
    assert!(
        !debug.contains(SECRET),
        "{what} printed its secret: {debug}"
    );
}

#[test]
fn debug_output_leaves_every_secret_out() {
    assert_hidden("Secret", format!("{:?}", Secret::new(SECRET)));
    assert_hidden(
        "Param",
        format!("{:?}", Param::secret("client_secret", SECRET)),
    );
    let mut req = HttpRequest::new("t", Method::Post, "https://as.example/token");
    ClientAuth::SecretPost {
        client_id: "c".into(),
        client_secret: SECRET.into(),
    }
    .apply(&mut req);
    assert_hidden("HttpRequest", format!("{req:?}"));
    let auth = ClientAuth::PrivateKeyJwt {
        client_id: None,
        assertion: SECRET.into(),
    };
    assert_hidden("ClientAuth", format!("{auth:?}"));
    let basic = ClientAuth::SecretBasic {
        client_id: "c".into(),
        client_secret: SECRET.into(),
    };
    assert_hidden("ClientAuth", format!("{basic:?}"));
    let capture = HttpCapture {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body: format!(
            r#"{{"access_token":"{SECRET}","id_token":"{SECRET}","token_type":"Bearer"}}"#
        ),
    };
    assert_hidden("HttpCapture", format!("{capture:?}"));
    let tokens = parse_token_response(&capture).unwrap();
    assert_hidden("TokenResponse", format!("{tokens:?}"));
    let pkce = Pkce {
        verifier: SECRET.into(),
        challenge: "c".into(),
    };
    assert_hidden("Pkce", format!("{pkce:?}"));
    let pending = PendingSignIn {
        state: "s".into(),
        nonce: "n".into(),
        verifier: SECRET.into(),
    };
    assert_hidden("PendingSignIn", format!("{pending:?}"));
    let mut outcome = StepOutcome::success("ok");
    outcome.body = Some(serde_json::json!({ "password": SECRET }));
    assert_hidden("StepOutcome", format!("{outcome:?}"));
    let key = parse_private_key(protocol::demo::AGENT_KEY).unwrap();
    let d = key.private_jwk["d"].as_str().unwrap().to_string();
    let debug = format!("{key:?}");
    assert!(
        !debug.contains(&d),
        "PrivateKey printed its private part: {debug}"
    );
}
