use super::*;
use crate::request::{Method, Param};

const JWT: &str = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg";

#[test]
fn credential_names_are_recognised_in_any_spelling() {
    for name in [
        "access_token",
        "id_token",
        "refresh_token",
        "client_secret",
        "clientSecret",
        "api_key",
        "apiKey",
        "X-Api-Key",
        "x-auth-token",
        "Authorization",
        "Set-Cookie",
        "password",
        "private_key",
        "client_assertion",
        "code_verifier",
        "code",
        "key",
        "vaulted_secret",
        "credentials",
    ] {
        assert!(is_credential_name(name), "{name} names a credential");
    }
    for name in [
        "token_type",
        "issued_token_type",
        "token_endpoint",
        "expires_in",
        "refresh_token_expires_in",
        "client_id",
        "key_id",
        "public_key",
        "keys",
        "kid",
        "scope",
        "code_challenge",
        "code_challenge_method",
        "token_endpoint_auth_methods_supported",
        "authorization_endpoint",
        "environment",
        "state",
        "nonce",
    ] {
        assert!(
            !is_credential_name(name),
            "{name} does not name a credential"
        );
    }
}

#[test]
fn a_secret_delivered_under_a_name_no_list_has_is_learned_from_its_container() {
    // The vaulted secret of seed 000: `api_key` inside `vaulted_secret`; and a vendor's own
    // name inside an object whose name says it is secret.
    let body = r#"{"issued_token_type":"urn:okta:params:oauth:token-type:vaulted-secret",
        "vaulted_secret":{"api_key":"demo-not-a-real-key-7f3a","environment":"staging"},
        "token_type":"N_A","nested":{"deep":{"x_vendor_credential":"vendor-credential-value"}}}"#;
    let mut known = Known::new();
    known.learn_body(body);
    for v in [
        "demo-not-a-real-key-7f3a",
        "staging",
        "vendor-credential-value",
    ] {
        assert!(known.values().iter().any(|k| k == v), "{v} is known");
    }
    assert!(!known.values().iter().any(|k| k == "N_A"));
    let log = format!("HTTP 200\n{body}");
    let shown = known.mask(&log);
    assert!(!shown.contains("demo-not-a-real-key-7f3a"), "{shown}");
    assert!(shown.contains("‹hidden 24 chars›"), "{shown}");
}

#[test]
fn values_are_learned_with_the_parts_that_can_appear_alone() {
    let mut known = Known::new();
    known.learn(&format!("Bearer {JWT}"));
    let signature = JWT.rsplit('.').next().unwrap();
    assert!(known.values().iter().any(|v| v == JWT));
    assert!(known.values().iter().any(|v| v == signature));
    assert_eq!(known.mask(signature), mask(signature));
    // A JWK's private members.
    known.learn(
        r#"{"kty":"EC","crv":"P-256","x":"public-x-coordinate","d":"private-scalar-value"}"#,
    );
    assert!(known.values().iter().any(|v| v == "private-scalar-value"));
    assert!(!known.values().iter().any(|v| v == "public-x-coordinate"));
}

#[test]
fn a_mask_is_not_masked_again() {
    let once = mask("demo-not-a-real-key-7f3a");
    assert_eq!(once, "‹hidden 24 chars›");
    assert_eq!(mask(&once), once);
    let twice = mask_all_values(&mask_all_values(&serde_json::json!({"k": "secret-value"})));
    assert_eq!(twice["k"], "‹hidden 12 chars›");
}

#[test]
fn short_values_and_placeholders_are_not_searched_for() {
    let mut known = Known::new();
    known.learn("abc");
    known.learn("{code from the redirect}");
    assert!(known.is_empty());
    assert_eq!(
        known.mask("abc {code from the redirect}"),
        "abc {code from the redirect}"
    );
}

#[test]
fn longest_first_each_once_and_debug_shows_no_value() {
    let mut known = Known::new();
    known.learn("secret-one");
    known.learn("secret-one-and-more");
    known.learn("secret-one");
    assert_eq!(known.values(), ["secret-one-and-more", "secret-one"]);
    assert_eq!(
        known.mask("x secret-one-and-more y"),
        "x ‹hidden 19 chars› y"
    );
    assert_eq!(format!("{known:?}"), "Known(‹2 secret values›)");
}

#[test]
fn requests_are_learned_and_masked_outside_their_secret_parameters() {
    let mut req = HttpRequest::new("API", Method::Post, "https://api.example/x");
    req.headers
        .push(Param::secret("Authorization", &format!("Bearer {JWT}")));
    req.headers
        .push(Param::public("X-Api-Key", "typed-by-the-user"));
    req.raw_body = Some(format!(r#"{{"note":"{JWT}","password":"pw-in-a-body"}}"#));
    let mut known = Known::new();
    known.learn_request(&req);
    assert!(known.values().iter().any(|v| v == "typed-by-the-user"));
    assert!(known.values().iter().any(|v| v == "pw-in-a-body"));
    let shown = known.mask_request(&req);
    assert!(
        shown.headers.iter().all(|h| h.secret),
        "a credential-named header is secret"
    );
    let body = shown.raw_body.unwrap();
    assert!(
        !body.contains(JWT) && !body.contains("pw-in-a-body"),
        "{body}"
    );
}

#[test]
fn event_streams_are_read_line_by_line() {
    let mut known = Known::new();
    known.learn_body(
        "event: message\ndata: {\"result\":{\"access_token\":\"sse-delivered-token\"}}\n\n",
    );
    assert_eq!(known.values(), ["sse-delivered-token"]);
}

#[test]
fn json_text_hides_credential_members_at_any_depth() {
    let m = mask_json_text(
        r#"{"access_token":"abc.def","vaulted_secret":{"password":"p4ss"},"scope":"x"}"#,
    );
    assert!(
        !m.contains("abc.def") && !m.contains("p4ss") && m.contains("\"scope\": \"x\""),
        "{m}"
    );
    assert_eq!(mask_json_text("not json"), "not json");
}
