//! Native RSA / P-256 signing and verification (feature `native-crypto`): for the demo
//! tenant, its wasm worker and tests. The browser app signs with WebCrypto instead.
//!
//! Keys are read and made with RustCrypto. Natively (not in wasm32), each key is also handed
//! to aws-lc-rs once, when it is built, and aws-lc-rs signs with it (AWS-LC's RSA is as fast
//! as OpenSSL's, several times RustCrypto's); a key it would not take keeps signing with
//! RustCrypto, as the wasm worker does. Verification asks aws-lc-rs first natively and
//! RustCrypto whenever aws-lc-rs does not accept, so what is refused, and why, is RustCrypto's
//! answer.

use p256::ecdsa::signature::{Signer as _, Verifier as _};
use rand_core::OsRng;
use rsa::signature::SignatureEncoding;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::{BigUint, RsaPrivateKey, RsaPublicKey};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::encoding::{b64url, b64url_decode};
use crate::jwt::{Alg, CryptoError, Signer, Verifier};
use crate::keys::{parse_private_jwk, parse_private_key, KeyError, PrivateKey};

enum Inner {
    Rsa(Box<RsaPrivateKey>),
    Ec(p256::ecdsa::SigningKey),
    #[cfg(not(target_arch = "wasm32"))]
    FastRsa(Box<aws_lc_rs::signature::RsaKeyPair>),
    #[cfg(not(target_arch = "wasm32"))]
    FastEc(Box<aws_lc_rs::signature::EcdsaKeyPair>),
}

/// The same key for aws-lc-rs, when it takes it (converted once, not per signature).
#[cfg(not(target_arch = "wasm32"))]
fn to_fast(inner: Inner) -> Inner {
    use aws_lc_rs::signature::{EcdsaKeyPair, RsaKeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};
    use rsa::pkcs1::EncodeRsaPrivateKey;
    match inner {
        Inner::Rsa(k) => match k
            .to_pkcs1_der()
            .ok()
            .and_then(|der| RsaKeyPair::from_der(der.as_bytes()).ok())
        {
            Some(pair) => Inner::FastRsa(Box::new(pair)),
            None => Inner::Rsa(k),
        },
        Inner::Ec(k) => {
            let public = k.verifying_key().to_encoded_point(false);
            match EcdsaKeyPair::from_private_key_and_public_key(
                &ECDSA_P256_SHA256_FIXED_SIGNING,
                &k.to_bytes(),
                public.as_bytes(),
            ) {
                Ok(pair) => Inner::FastEc(Box::new(pair)),
                Err(_) => Inner::Ec(k),
            }
        }
        other => other,
    }
}

/// A private key that signs natively.
pub struct NativeKey {
    /// The parsed key (JWKs, kid, alg).
    pub key: PrivateKey,
    inner: Inner,
}

fn member(jwk: &Value, m: &'static str) -> Result<Vec<u8>, KeyError> {
    b64url_decode(
        jwk.get(m)
            .and_then(Value::as_str)
            .ok_or(KeyError::Missing(m))?,
    )
    .map_err(|reason| KeyError::BadMember { member: m, reason })
}

fn big(jwk: &Value, m: &'static str) -> Result<BigUint, KeyError> {
    Ok(BigUint::from_bytes_be(&member(jwk, m)?))
}

impl NativeKey {
    /// Builds a signer from a parsed key.
    pub fn from_private(key: PrivateKey) -> Result<Self, KeyError> {
        let Self { key, inner } = Self::rust_crypto(key)?;
        #[cfg(not(target_arch = "wasm32"))]
        let inner = to_fast(inner);
        Ok(Self { key, inner })
    }

    /// A signer that signs with RustCrypto only (what the wasm worker uses).
    fn rust_crypto(key: PrivateKey) -> Result<Self, KeyError> {
        let j = &key.private_jwk;
        let inner = match key.alg {
            Alg::RS256 | Alg::PS256 => {
                let k = RsaPrivateKey::from_components(
                    big(j, "n")?,
                    big(j, "e")?,
                    big(j, "d")?,
                    vec![big(j, "p")?, big(j, "q")?],
                )
                .map_err(|e| KeyError::Invalid(e.to_string()))?;
                Inner::Rsa(Box::new(k))
            }
            Alg::ES256 => Inner::Ec(
                p256::ecdsa::SigningKey::from_slice(&member(j, "d")?)
                    .map_err(|e| KeyError::Invalid(e.to_string()))?,
            ),
        };
        Ok(Self { key, inner })
    }

    /// Parses JWK or PEM text into a signer.
    pub fn parse(input: &str) -> Result<Self, KeyError> {
        Self::from_private(parse_private_key(input)?)
    }

    /// Generates a fresh RSA 2048 key (slow in debug builds: seconds).
    pub fn generate_rsa() -> Result<Self, KeyError> {
        let k =
            RsaPrivateKey::new(&mut OsRng, 2048).map_err(|e| KeyError::Invalid(e.to_string()))?;
        let (p, q) = (&k.primes()[0], &k.primes()[1]);
        let one = BigUint::from(1u8);
        let dp = k.d() % (p - &one);
        let dq = k.d() % (q - &one);
        let qi = k
            .crt_coefficient()
            .ok_or_else(|| KeyError::Invalid("no CRT coefficient".into()))?;
        let b = |x: &BigUint| b64url(&x.to_bytes_be());
        let jwk = json!({"kty":"RSA","n":b(k.n()),"e":b(k.e()),"d":b(k.d()),"p":b(p),"q":b(q),"dp":b(&dp),"dq":b(&dq),"qi":b(&qi)});
        Self::from_private(parse_private_jwk(&jwk.to_string())?)
    }

    /// A P-256 key from 32 secret bytes (for callers that bring their own randomness).
    pub fn ec_from_secret(secret: &[u8]) -> Result<Self, KeyError> {
        let sk = p256::ecdsa::SigningKey::from_slice(secret)
            .map_err(|e| KeyError::Invalid(e.to_string()))?;
        let point = sk.verifying_key().to_encoded_point(false);
        let (Some(x), Some(y)) = (point.x(), point.y()) else {
            return Err(KeyError::BadPoint);
        };
        let jwk = json!({"kty":"EC","crv":"P-256", "x": b64url(x), "y": b64url(y), "d": b64url(&sk.to_bytes())});
        // A JWK, read as one: the PEM and DER readers stay out of what only makes keys (the
        // built-in demo's worker).
        Self::from_private(parse_private_jwk(&jwk.to_string())?)
    }

    /// Generates a fresh P-256 key.
    pub fn generate_ec() -> Result<Self, KeyError> {
        let sk = p256::ecdsa::SigningKey::random(&mut OsRng);
        Self::ec_from_secret(&sk.to_bytes())
    }

    /// The same key with another `kid`.
    pub fn with_kid(mut self, kid: &str) -> Self {
        self.key.kid = kid.into();
        self.key.private_jwk["kid"] = json!(kid);
        self.key.public_jwk["kid"] = json!(kid);
        self
    }
}

impl Signer for NativeKey {
    fn alg(&self) -> Alg {
        self.key.alg
    }
    fn kid(&self) -> Option<&str> {
        Some(&self.key.kid)
    }
    fn sign(&self, input: &[u8]) -> Result<Vec<u8>, CryptoError> {
        Ok(match (&self.inner, self.key.alg) {
            (Inner::Rsa(k), Alg::PS256) => {
                use rsa::signature::RandomizedSigner;
                rsa::pss::SigningKey::<Sha256>::new((**k).clone())
                    .try_sign_with_rng(&mut OsRng, input)
                    .map_err(|e| CryptoError(e.to_string()))?
                    .to_vec()
            }
            (Inner::Rsa(k), _) => rsa::pkcs1v15::SigningKey::<Sha256>::new((**k).clone())
                .sign(input)
                .to_vec(),
            (Inner::Ec(k), _) => {
                let sig: p256::ecdsa::Signature = k.sign(input);
                sig.to_bytes().to_vec()
            }
            #[cfg(not(target_arch = "wasm32"))]
            (Inner::FastRsa(k), alg) => {
                use aws_lc_rs::signature::{RsaEncoding, RSA_PKCS1_SHA256, RSA_PSS_SHA256};
                let padding: &'static dyn RsaEncoding = match alg {
                    Alg::PS256 => &RSA_PSS_SHA256,
                    _ => &RSA_PKCS1_SHA256,
                };
                let mut sig = vec![0; k.public_modulus_len()];
                k.sign(
                    padding,
                    &aws_lc_rs::rand::SystemRandom::new(),
                    input,
                    &mut sig,
                )
                .map_err(|_| CryptoError("RSA signing failed".into()))?;
                sig
            }
            #[cfg(not(target_arch = "wasm32"))]
            (Inner::FastEc(k), _) => k
                .sign(&aws_lc_rs::rand::SystemRandom::new(), input)
                .map_err(|_| CryptoError("ECDSA signing failed".into()))?
                .as_ref()
                .to_vec(),
        })
    }
}

/// Verifies RS256, PS256 and ES256 signatures natively.
pub struct NativeVerifier;

fn crypto(e: KeyError) -> CryptoError {
    CryptoError(e.to_string())
}

impl Verifier for NativeVerifier {
    fn verify(
        &self,
        alg: Alg,
        jwk: &Value,
        input: &[u8],
        signature: &[u8],
    ) -> Result<bool, CryptoError> {
        #[cfg(not(target_arch = "wasm32"))]
        if fast_accepts(alg, jwk, input, signature) {
            return Ok(true);
        }
        rust_crypto_verify(alg, jwk, input, signature)
    }
}

/// Whether aws-lc-rs finds the signature valid, for keys RustCrypto takes too. `false`
/// means "ask RustCrypto": a bad signature, or a key aws-lc-rs refuses (RustCrypto then says
/// why).
#[cfg(not(target_arch = "wasm32"))]
fn fast_accepts(alg: Alg, jwk: &Value, input: &[u8], signature: &[u8]) -> bool {
    use aws_lc_rs::signature::{
        RsaPublicKeyComponents, UnparsedPublicKey, ECDSA_P256_SHA256_FIXED,
        RSA_PKCS1_2048_8192_SHA256, RSA_PSS_2048_8192_SHA256,
    };
    fn unpadded(b: &[u8]) -> &[u8] {
        &b[b.iter().take_while(|x| **x == 0).count()..]
    }
    match alg {
        Alg::RS256 | Alg::PS256 => {
            let (Ok(n), Ok(e)) = (member(jwk, "n"), member(jwk, "e")) else {
                return false;
            };
            let (n, e) = (unpadded(&n), unpadded(&e));
            // Only keys RustCrypto takes too: moduli up to 4096 bits (aws-lc-rs takes 8192)
            // and 2 <= e < 2^33, whatever AWS-LC would make of another exponent.
            let e_value = e.iter().fold(0u64, |v, b| (v << 8) | u64::from(*b));
            if n.len() > 512 || e.len() > 5 || !(2..1 << 33).contains(&e_value) {
                return false;
            }
            let params = match alg {
                Alg::PS256 => &RSA_PSS_2048_8192_SHA256,
                _ => &RSA_PKCS1_2048_8192_SHA256,
            };
            RsaPublicKeyComponents { n, e }
                .verify(params, input, signature)
                .is_ok()
        }
        Alg::ES256 => {
            let (Ok(x), Ok(y)) = (member(jwk, "x"), member(jwk, "y")) else {
                return false;
            };
            if x.len() != 32 || y.len() != 32 {
                return false;
            }
            let mut point = Vec::with_capacity(65);
            point.push(4);
            point.extend_from_slice(&x);
            point.extend_from_slice(&y);
            UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, point)
                .verify(input, signature)
                .is_ok()
        }
    }
}

/// RustCrypto's answer (the only one in wasm32).
fn rust_crypto_verify(
    alg: Alg,
    jwk: &Value,
    input: &[u8],
    signature: &[u8],
) -> Result<bool, CryptoError> {
    match alg {
        Alg::RS256 | Alg::PS256 => {
            let pk = RsaPublicKey::new(
                big(jwk, "n").map_err(crypto)?,
                big(jwk, "e").map_err(crypto)?,
            )
            .map_err(|e| CryptoError(format!("invalid RSA public key: {e}")))?;
            if alg == Alg::PS256 {
                let Ok(sig) = rsa::pss::Signature::try_from(signature) else {
                    return Ok(false);
                };
                return Ok(rsa::pss::VerifyingKey::<Sha256>::new(pk)
                    .verify(input, &sig)
                    .is_ok());
            }
            let Ok(sig) = rsa::pkcs1v15::Signature::try_from(signature) else {
                return Ok(false);
            };
            Ok(rsa::pkcs1v15::VerifyingKey::<Sha256>::new(pk)
                .verify(input, &sig)
                .is_ok())
        }
        Alg::ES256 => {
            let (x, y) = (
                member(jwk, "x").map_err(crypto)?,
                member(jwk, "y").map_err(crypto)?,
            );
            if x.len() != 32 || y.len() != 32 {
                return Err(CryptoError("P-256 x and y must be 32 bytes".into()));
            }
            let point = p256::EncodedPoint::from_affine_coordinates(
                x.as_slice().into(),
                y.as_slice().into(),
                false,
            );
            let vk = p256::ecdsa::VerifyingKey::from_encoded_point(&point)
                .map_err(|e| CryptoError(format!("invalid P-256 public key: {e}")))?;
            let Ok(sig) = p256::ecdsa::Signature::from_slice(signature) else {
                return Ok(false);
            };
            Ok(vk.verify(input, &sig).is_ok())
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::jwt::{decode, verify, UnsignedJwt, VerifyError};
    use crate::keys::parse_signing_key;

    /// aws-lc-rs's answer alone.
    struct FastOnly;
    impl Verifier for FastOnly {
        fn verify(
            &self,
            alg: Alg,
            jwk: &Value,
            input: &[u8],
            sig: &[u8],
        ) -> Result<bool, CryptoError> {
            Ok(fast_accepts(alg, jwk, input, sig))
        }
    }

    /// RustCrypto's answer alone (the verifier's only one before aws-lc-rs, and in wasm32).
    struct RustCryptoOnly;
    impl Verifier for RustCryptoOnly {
        fn verify(
            &self,
            alg: Alg,
            jwk: &Value,
            input: &[u8],
            sig: &[u8],
        ) -> Result<bool, CryptoError> {
            rust_crypto_verify(alg, jwk, input, sig)
        }
    }

    fn fast(k: &NativeKey) -> bool {
        matches!(k.inner, Inner::FastRsa(_) | Inner::FastEc(_))
    }

    /// Signs with `signer`; `verifier` accepts the token and refuses it with one claim changed.
    fn agrees(signer: &NativeKey, verifier: &dyn Verifier, what: &str) {
        let claims = serde_json::json!({"iss": "https://org", "jti": "j1"});
        let jwt = UnsignedJwt::new(signer.alg(), "JWT", signer.kid(), claims)
            .sign(signer)
            .unwrap();
        let jwks = signer.key.public_jwks();
        let decoded = decode(&jwt).unwrap();
        verify(&decoded, &jwks, verifier).unwrap_or_else(|e| panic!("{what}: {e}"));
        if signer.alg() == Alg::ES256 {
            assert_eq!(decoded.signature.len(), 64, "{what}: ES256 is raw r||s");
        }
        let mut parts: Vec<String> = jwt.split('.').map(String::from).collect();
        parts[1] = b64url(br#"{"iss":"https://evil"}"#);
        let tampered = decode(&parts.join(".")).unwrap();
        assert_eq!(
            verify(&tampered, &jwks, verifier).unwrap_err(),
            VerifyError::BadSignature,
            "{what}"
        );
    }

    #[test]
    fn aws_lc_and_rust_crypto_verify_each_others_signatures() {
        let rsa = include_str!("../tests/fixtures/rsa_pkcs8.pem");
        let ec = include_str!("../tests/fixtures/ec_pkcs8.pem");
        for (alg, pem) in [(Alg::RS256, rsa), (Alg::PS256, rsa), (Alg::ES256, ec)] {
            let key = parse_signing_key(pem, Some(alg)).unwrap();
            assert_eq!(key.alg, alg);
            let on_aws_lc = NativeKey::from_private(key.clone()).unwrap();
            let on_rust_crypto = NativeKey::rust_crypto(key).unwrap();
            assert!(fast(&on_aws_lc) && !fast(&on_rust_crypto), "{alg:?}");
            for (signer, by) in [(&on_aws_lc, "aws-lc-rs"), (&on_rust_crypto, "RustCrypto")] {
                agrees(
                    signer,
                    &RustCryptoOnly,
                    &format!("{alg:?} by {by}, RustCrypto verifies"),
                );
                agrees(
                    signer,
                    &FastOnly,
                    &format!("{alg:?} by {by}, aws-lc-rs verifies"),
                );
                agrees(
                    signer,
                    &NativeVerifier,
                    &format!("{alg:?} by {by}, NativeVerifier"),
                );
            }
        }
        for generated in [
            NativeKey::generate_ec().unwrap(),
            NativeKey::generate_rsa().unwrap(),
        ] {
            assert!(fast(&generated));
            agrees(&generated, &RustCryptoOnly, "generated key");
        }
    }

    #[test]
    fn refusals_are_rust_cryptos() {
        let ec = NativeKey::generate_ec().unwrap();
        let jwt = UnsignedJwt::new(Alg::ES256, "JWT", ec.kid(), serde_json::json!({}))
            .sign(&ec)
            .unwrap();
        let decoded = decode(&jwt).unwrap();
        // Not a point of P-256: the same error as before aws-lc-rs.
        let mut jwk = ec.key.public_jwk.clone();
        jwk["y"] = serde_json::json!(b64url(&[7u8; 32]));
        let jwks = serde_json::json!({ "keys": [jwk] });
        let (a, b) = (
            verify(&decoded, &jwks, &NativeVerifier),
            verify(&decoded, &jwks, &RustCryptoOnly),
        );
        assert!(
            matches!(&a, Err(VerifyError::Crypto(e)) if e.0.contains("P-256")),
            "{a:?}"
        );
        assert_eq!(a, b);
        // A DER signature, not JOSE r||s: refused by both.
        let der = [0x30u8; 70];
        for v in [&NativeVerifier as &dyn Verifier, &FastOnly, &RustCryptoOnly] {
            assert!(!v
                .verify(
                    Alg::ES256,
                    &ec.key.public_jwk,
                    decoded.signing_input.as_bytes(),
                    &der
                )
                .unwrap());
        }
        // e = 1 makes the encoded message its own signature: refused, as RustCrypto refuses
        // the key.
        let n = parse_signing_key(include_str!("../tests/fixtures/rsa_pkcs8.pem"), None)
            .unwrap()
            .public_jwk["n"]
            .clone();
        let input = b"a.b";
        let digest_info: [u8; 19] = [
            0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
            0x01, 0x05, 0x00, 0x04, 0x20,
        ];
        let mut forged = vec![0u8, 1];
        forged.resize(256 - 32 - digest_info.len() - 1, 0xff);
        forged.push(0);
        forged.extend_from_slice(&digest_info);
        forged.extend_from_slice(&<Sha256 as sha2::Digest>::digest(input));
        assert_eq!(forged.len(), 256);
        let jwk = serde_json::json!({"kty": "RSA", "n": n, "e": "AQ"});
        assert!(!fast_accepts(Alg::RS256, &jwk, input, &forged));
        assert!(NativeVerifier
            .verify(Alg::RS256, &jwk, input, &forged)
            .is_err());
        // An RSA key under 2048 bits: aws-lc-rs does not take it, RustCrypto answers as before.
        let small = rsa::RsaPrivateKey::new(&mut OsRng, 1024).unwrap();
        let jwk =
            serde_json::json!({"kty": "RSA", "n": b64url(&small.n().to_bytes_be()), "e": "AQAB"});
        let sig = rsa::pkcs1v15::SigningKey::<Sha256>::new(small)
            .sign(input)
            .to_vec();
        assert!(!fast_accepts(Alg::RS256, &jwk, input, &sig));
        assert!(NativeVerifier
            .verify(Alg::RS256, &jwk, input, &sig)
            .unwrap());
    }
}
