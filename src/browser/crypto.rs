//! WebCrypto: random values, SHA-256, key import/generation, JWS signing. Private keys are
//! imported as non-extractable `CryptoKey`s and never leave the page.

use js_sys::{Array, Object, Reflect, Uint8Array};
use protocol::flow::SigningJob;
use protocol::jwt::{Alg, UnsignedJwt};
use protocol::keys::{parse_private_key, parse_signing_key, PrivateKey};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

use super::{window, BrowserError};

fn subtle() -> Result<SubtleCrypto, BrowserError> {
    let crypto = window().crypto().map_err(|e| BrowserError::js(&e))?;
    Ok(crypto.subtle())
}

/// `n` random bytes from `crypto.getRandomValues`.
pub fn random_bytes(n: usize) -> Result<Vec<u8>, BrowserError> {
    let mut buf = vec![0u8; n];
    window()
        .crypto()
        .and_then(|c| c.get_random_values_with_u8_array(&mut buf).map(|_| ()))
        .map_err(|e| BrowserError::js(&e))?;
    Ok(buf)
}

/// A random base64url identifier (for state, nonce, jti).
pub fn random_id() -> Result<String, BrowserError> {
    Ok(protocol::encoding::b64url(&random_bytes(24)?))
}

/// SHA-256 through `crypto.subtle.digest`.
pub async fn sha256(data: &[u8]) -> Result<Vec<u8>, BrowserError> {
    let promise = subtle()?
        .digest_with_str_and_u8_array("SHA-256", data)
        .map_err(|e| BrowserError::js(&e))?;
    let buf = JsFuture::from(promise)
        .await
        .map_err(|e| BrowserError::js(&e))?;
    Ok(Uint8Array::new(&buf).to_vec())
}

/// The PKCE S256 challenge of a verifier, computed with WebCrypto.
pub async fn pkce_challenge(verifier: &str) -> Result<String, BrowserError> {
    Ok(protocol::encoding::b64url(
        &sha256(verifier.as_bytes()).await?,
    ))
}

/// A fresh PKCE pair: 32 random bytes, WebCrypto S256.
pub async fn new_pkce() -> Result<protocol::pkce::Pkce, BrowserError> {
    let verifier = protocol::pkce::Pkce::from_random_bytes(&random_bytes(32)?)
        .map_err(|e| BrowserError::Threw(e.to_string()))?
        .verifier;
    let challenge = pkce_challenge(&verifier).await?;
    Ok(protocol::pkce::Pkce {
        verifier,
        challenge,
    })
}

fn obj(pairs: &[(&str, JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o
}

fn algorithm(alg: Alg, for_import: bool) -> Object {
    match (alg, for_import) {
        (Alg::RS256, _) => obj(&[
            ("name", "RSASSA-PKCS1-v1_5".into()),
            ("hash", "SHA-256".into()),
        ]),
        (Alg::PS256, true) => obj(&[("name", "RSA-PSS".into()), ("hash", "SHA-256".into())]),
        (Alg::PS256, false) => obj(&[("name", "RSA-PSS".into()), ("saltLength", 32.into())]),
        (Alg::ES256, true) => obj(&[("name", "ECDSA".into()), ("namedCurve", "P-256".into())]),
        (Alg::ES256, false) => obj(&[("name", "ECDSA".into()), ("hash", "SHA-256".into())]),
    }
}

/// Imports a parsed private key for signing (non-extractable).
pub async fn import_signing_key(key: &PrivateKey) -> Result<CryptoKey, BrowserError> {
    let mut jwk = key.private_jwk.clone();
    if let Some(o) = jwk.as_object_mut() {
        // WebCrypto checks `use`/`key_ops` against the usages; `kid` is ignored.
        o.remove("use");
    }
    let jwk = js_sys::JSON::parse(&jwk.to_string()).map_err(|e| BrowserError::js(&e))?;
    let usages = Array::of1(&"sign".into());
    let promise = subtle()?
        .import_key_with_object(
            "jwk",
            jwk.unchecked_ref(),
            &algorithm(key.alg, true),
            false,
            &usages,
        )
        .map_err(|e| BrowserError::js(&e))?;
    let k = JsFuture::from(promise)
        .await
        .map_err(|e| BrowserError::refused("The browser refused the key", &e))?;
    Ok(k.unchecked_into())
}

/// Signs a step's client assertion in this browser: a fresh `jti`, the time now.
pub async fn sign_assertion(job: &SigningJob, now: i64) -> Result<String, BrowserError> {
    let jti = random_id()?;
    sign_jwt_with(job.key.expose(), job.rsa_alg, |alg, kid| {
        job.unsigned(alg, kid, now, &jti)
    })
    .await
}

/// Signs a JWT with a key given as JWK or PEM text.
pub async fn sign_jwt(
    key_text: &str,
    build: impl FnOnce(Alg, &str) -> UnsignedJwt,
) -> Result<String, BrowserError> {
    sign_jwt_with(key_text, None, build).await
}

/// Signs a JWT with a key given as JWK or PEM text; an RSA key signs with `rsa_alg` (RS256
/// when `None`).
pub async fn sign_jwt_with(
    key_text: &str,
    rsa_alg: Option<Alg>,
    build: impl FnOnce(Alg, &str) -> UnsignedJwt,
) -> Result<String, BrowserError> {
    let key = parse_signing_key(key_text, rsa_alg).map_err(BrowserError::Key)?;
    let unsigned = build(key.alg, &key.kid);
    let signature = sign(&key, unsigned.signing_input().as_bytes()).await?;
    Ok(unsigned.with_signature(&signature))
}

/// Signs `input` with `key`, imported into WebCrypto as a non-extractable key.
pub async fn sign(key: &PrivateKey, input: &[u8]) -> Result<Vec<u8>, BrowserError> {
    let crypto_key = import_signing_key(key).await?;
    let promise = subtle()?
        .sign_with_object_and_u8_array(&algorithm(key.alg, false), &crypto_key, input)
        .map_err(|e| BrowserError::js(&e))?;
    let sig = JsFuture::from(promise)
        .await
        .map_err(|e| BrowserError::refused("Signing failed", &e))?;
    Ok(Uint8Array::new(&sig).to_vec())
}

/// Generates a key pair in the browser and returns the private JWK text.
pub async fn generate_key(alg: Alg) -> Result<String, BrowserError> {
    let params = match alg {
        Alg::ES256 => obj(&[("name", "ECDSA".into()), ("namedCurve", "P-256".into())]),
        Alg::RS256 | Alg::PS256 => obj(&[
            ("name", "RSASSA-PKCS1-v1_5".into()),
            ("modulusLength", 2048.into()),
            ("publicExponent", Uint8Array::from(&[1u8, 0, 1][..]).into()),
            ("hash", "SHA-256".into()),
        ]),
    };
    let usages = Array::of2(&"sign".into(), &"verify".into());
    let promise = subtle()?
        .generate_key_with_object(&params, true, &usages)
        .map_err(|e| BrowserError::js(&e))?;
    let pair = JsFuture::from(promise)
        .await
        .map_err(|e| BrowserError::js(&e))?;
    let private: CryptoKey = Reflect::get(&pair, &"privateKey".into())
        .map_err(|e| BrowserError::js(&e))?
        .unchecked_into();
    let exported = JsFuture::from(
        subtle()?
            .export_key("jwk", &private)
            .map_err(|e| BrowserError::js(&e))?,
    )
    .await
    .map_err(|e| BrowserError::js(&e))?;
    let text: String = js_sys::JSON::stringify(&exported)
        .map_err(|e| BrowserError::js(&e))?
        .into();
    // Normalise through the protocol crate (adds kid and alg, drops key_ops/ext).
    Ok(parse_private_key(&text)
        .map_err(BrowserError::Key)?
        .private_jwk
        .to_string())
}

/// Verifies a JWS signature with a public JWK (RS256, ES256, PS256).
pub async fn verify(
    alg: Alg,
    jwk: &serde_json::Value,
    input: &[u8],
    signature: &[u8],
) -> Result<bool, BrowserError> {
    let jwk = js_sys::JSON::parse(&jwk.to_string()).map_err(|e| BrowserError::js(&e))?;
    let usages = Array::of1(&"verify".into());
    let promise = subtle()?
        .import_key_with_object(
            "jwk",
            jwk.unchecked_ref(),
            &algorithm(alg, true),
            false,
            &usages,
        )
        .map_err(|e| BrowserError::js(&e))?;
    let key: CryptoKey = JsFuture::from(promise)
        .await
        .map_err(|e| BrowserError::refused("the browser refused the issuer's key", &e))?
        .unchecked_into();
    let sig = signature.to_vec();
    let promise = subtle()?
        .verify_with_object_and_u8_array_and_u8_array(&algorithm(alg, false), &key, &sig, input)
        .map_err(|e| BrowserError::js(&e))?;
    let ok = JsFuture::from(promise)
        .await
        .map_err(|e| BrowserError::js(&e))?;
    Ok(ok.as_bool() == Some(true))
}
