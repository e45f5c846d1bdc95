//! Native RSA / P-256 signing and verification (feature `native-crypto`): for the demo
//! tenant and for tests. The browser app signs with WebCrypto instead.

use p256::ecdsa::signature::{Signer as _, Verifier as _};
use rand_core::OsRng;
use rsa::signature::SignatureEncoding;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::{BigUint, RsaPrivateKey, RsaPublicKey};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::encoding::{b64url, b64url_decode};
use crate::jwt::{Alg, CryptoError, Signer, Verifier};
use crate::keys::{parse_private_key, KeyError, PrivateKey};

enum Inner {
    Rsa(Box<RsaPrivateKey>),
    Ec(p256::ecdsa::SigningKey),
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
        Self::parse(&jwk.to_string())
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
        Self::parse(&jwk.to_string())
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
}
