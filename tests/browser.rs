//! WebCrypto in a real browser agrees with the protocol crate (run by ./test in Chromium).

#![cfg(target_arch = "wasm32")]

use agent_token_playground::browser::crypto;
use protocol::jwt::{decode, Alg, UnsignedJwt};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn webcrypto_pkce_matches_rfc7636_and_the_protocol_crate() {
    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    let browser = crypto::pkce_challenge(verifier).await.unwrap();
    assert_eq!(browser, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    assert_eq!(browser, protocol::pkce::challenge_s256(verifier));
    for _ in 0..20 {
        let pkce = crypto::new_pkce().await.unwrap();
        protocol::pkce::validate_verifier(&pkce.verifier).unwrap();
        assert_eq!(
            pkce.challenge,
            protocol::pkce::challenge_s256(&pkce.verifier)
        );
    }
}

#[wasm_bindgen_test]
async fn generated_keys_sign_jose_signatures() {
    for (alg, len) in [(Alg::ES256, 64), (Alg::RS256, 256)] {
        let jwk = crypto::generate_key(alg).await.unwrap();
        let parsed = protocol::keys::parse_private_key(&jwk).unwrap();
        assert_eq!(parsed.alg, alg);
        let jwt = crypto::sign_jwt(&jwk, |a, kid| {
            UnsignedJwt::new(a, "JWT", Some(kid), serde_json::json!({"iss": "agent"}))
        })
        .await
        .unwrap();
        let d = decode(&jwt).unwrap();
        assert_eq!(
            d.signature.len(),
            len,
            "{alg:?} signature is raw JOSE, not DER"
        );
        assert_eq!(d.header_str("kid"), Some(parsed.kid.as_str()));
    }
}

#[wasm_bindgen_test]
async fn the_demo_key_imports_and_a_public_key_is_refused() {
    let key = protocol::demo::AGENT_KEY;
    assert!(crypto::sign_jwt(key, |a, k| UnsignedJwt::new(
        a,
        "JWT",
        Some(k),
        serde_json::json!({})
    ))
    .await
    .is_ok());
    let public = protocol::keys::parse_private_key(key)
        .unwrap()
        .public_jwk
        .to_string();
    let err = crypto::sign_jwt(&public, |a, k| {
        UnsignedJwt::new(a, "JWT", Some(k), serde_json::json!({}))
    })
    .await
    .unwrap_err();
    assert!(err.to_string().contains("public key"), "{err}");
}
