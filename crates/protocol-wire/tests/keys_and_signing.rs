//! Every supported key format parses, signs natively, and verifies against its public JWKS;
//! tampering is detected.

use protocol_wire::client_auth::assertion_claims;
use protocol_wire::jwt::{decode, verify, Alg, Signer, UnsignedJwt};
use protocol_wire::keys::{parse_private_key, parse_signing_key};
use protocol_wire::native::{NativeKey, NativeVerifier};

fn roundtrip(key: &NativeKey) {
    let claims = assertion_claims("agent", "https://org/oauth2/v1/token", 1000, 60, "jti-1");
    let jwt = UnsignedJwt::new(key.alg(), "JWT", key.kid(), claims)
        .sign(key)
        .unwrap();
    let decoded = decode(&jwt).unwrap();
    assert_eq!(decoded.header_str("kid"), Some(key.key.kid.as_str()));
    verify(&decoded, &key.key.public_jwks(), &NativeVerifier).unwrap();
    if key.alg() == Alg::ES256 {
        assert_eq!(decoded.signature.len(), 64, "ES256 signatures are raw r||s");
    }
    // Change one claim: the signature no longer matches.
    let mut parts: Vec<String> = jwt.split('.').map(String::from).collect();
    parts[1] = protocol_wire::encoding::b64url(br#"{"iss":"evil"}"#);
    let tampered = decode(&parts.join(".")).unwrap();
    assert_eq!(
        verify(&tampered, &key.key.public_jwks(), &NativeVerifier).unwrap_err(),
        protocol_wire::jwt::VerifyError::BadSignature
    );
}

#[test]
fn pem_formats_sign_and_verify() {
    for (name, pem, alg) in [
        (
            "ec pkcs8",
            include_str!("fixtures/ec_pkcs8.pem"),
            Alg::ES256,
        ),
        ("ec sec1", include_str!("fixtures/ec_sec1.pem"), Alg::ES256),
        (
            "ec pair pkcs8",
            include_str!("fixtures/ec_pair_pkcs8.pem"),
            Alg::ES256,
        ),
        (
            "ec pair sec1",
            include_str!("fixtures/ec_pair_sec1.pem"),
            Alg::ES256,
        ),
        (
            "rsa pkcs1",
            include_str!("fixtures/rsa_pkcs1.pem"),
            Alg::RS256,
        ),
        (
            "rsa pkcs8",
            include_str!("fixtures/rsa_pkcs8.pem"),
            Alg::RS256,
        ),
    ] {
        let key = NativeKey::parse(pem).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(key.alg(), alg, "{name}");
        roundtrip(&key);
    }
}

#[test]
fn pkcs1_and_pkcs8_of_one_rsa_key_agree() {
    let a = parse_private_key(include_str!("fixtures/rsa_pkcs1.pem")).unwrap();
    let b = parse_private_key(include_str!("fixtures/rsa_pkcs8.pem")).unwrap();
    assert_eq!(a.public_jwk, b.public_jwk);
    assert_eq!(a.private_jwk, b.private_jwk);
}

#[test]
fn pkcs8_and_sec1_of_one_ec_key_agree() {
    let a = parse_private_key(include_str!("fixtures/ec_pair_pkcs8.pem")).unwrap();
    let b = parse_private_key(include_str!("fixtures/ec_pair_sec1.pem")).unwrap();
    assert_eq!(a, b);
    // And the native signer takes the JWK as it is: the public point matches the scalar.
    roundtrip(&NativeKey::from_private(a).unwrap());
}

#[test]
fn private_jwk_output_reparses_to_the_same_key() {
    let a = parse_private_key(include_str!("fixtures/ec_pkcs8.pem")).unwrap();
    let b = parse_private_key(&a.private_jwk.to_string()).unwrap();
    assert_eq!(a, b);
}

#[test]
fn generated_keys_work_and_small_rsa_is_refused() {
    roundtrip(&NativeKey::generate_ec().unwrap());
    roundtrip(&NativeKey::generate_rsa().unwrap());
    assert_eq!(
        parse_private_key(include_str!("fixtures/rsa_1024.pem")).unwrap_err(),
        protocol_wire::keys::KeyError::WeakRsa(1024)
    );
    assert!(matches!(
        parse_private_key(include_str!("fixtures/ec_public.pem")).unwrap_err(),
        protocol_wire::keys::KeyError::NotPrivate(_)
    ));
}

#[test]
fn ps256_signs_and_verifies_with_an_rsa_key() {
    let rsa = include_str!("fixtures/rsa_pkcs8.pem");
    let key = NativeKey::from_private(parse_signing_key(rsa, Some(Alg::PS256)).unwrap()).unwrap();
    assert_eq!(key.key.public_jwk["alg"], "PS256");
    roundtrip(&key);
    // No choice: RS256; an EC key keeps ES256 whatever is chosen.
    assert_eq!(parse_signing_key(rsa, None).unwrap().alg, Alg::RS256);
    let ec = include_str!("fixtures/ec_pkcs8.pem");
    assert_eq!(
        parse_signing_key(ec, Some(Alg::PS256)).unwrap().alg,
        Alg::ES256
    );
}

#[test]
fn wrong_key_does_not_verify() {
    let a = NativeKey::generate_ec().unwrap();
    let b = NativeKey::generate_ec().unwrap().with_kid(&a.key.kid);
    let jwt = UnsignedJwt::new(Alg::ES256, "JWT", a.kid(), serde_json::json!({}))
        .sign(&a)
        .unwrap();
    assert!(verify(
        &decode(&jwt).unwrap(),
        &b.key.public_jwks(),
        &NativeVerifier
    )
    .is_err());
}
