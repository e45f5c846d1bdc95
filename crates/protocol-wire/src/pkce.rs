//! PKCE (RFC 7636): verifier from caller-provided random bytes, S256 challenge.

use std::fmt;

use sha2::{Digest, Sha256};

use crate::encoding::b64url;

/// Why a PKCE value is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PkceError {
    /// Too few or too many random bytes to make a verifier.
    RandomLength(usize),
    /// A verifier shorter than 43 or longer than 128 characters.
    Length(usize),
    /// A character outside `[A-Za-z0-9-._~]`.
    Character(char),
}

impl fmt::Display for PkceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PkceError::RandomLength(n) => write!(
                f,
                "PKCE needs 32 to 96 random bytes (43 to 128 characters), got {n}"
            ),
            PkceError::Length(n) => write!(
                f,
                "code_verifier must be 43 to 128 characters long, it is {n}"
            ),
            PkceError::Character(c) => {
                write!(f, "code_verifier contains {c:?}, outside [A-Za-z0-9-._~]")
            }
        }
    }
}

/// A verifier and its S256 challenge. Its `Debug` does not show the verifier.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Pkce {
    /// `code_verifier`, sent to the token endpoint.
    pub verifier: String,
    /// `code_challenge`, sent to the authorize endpoint.
    pub challenge: String,
}

impl std::fmt::Debug for Pkce {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pkce")
            .field("verifier", &"‹hidden›")
            .field("challenge", &self.challenge)
            .finish()
    }
}

impl Pkce {
    /// Builds a verifier from 32 to 96 random bytes (43 to 128 characters) and its challenge.
    pub fn from_random_bytes(random: &[u8]) -> Result<Self, PkceError> {
        if !(32..=96).contains(&random.len()) {
            return Err(PkceError::RandomLength(random.len()));
        }
        let verifier = b64url(random);
        let challenge = challenge_s256(&verifier);
        Ok(Self {
            verifier,
            challenge,
        })
    }
}

/// `BASE64URL(SHA256(ASCII(code_verifier)))`.
pub fn challenge_s256(verifier: &str) -> String {
    b64url(&Sha256::digest(verifier.as_bytes()))
}

/// Checks a verifier's length and alphabet (`[A-Za-z0-9-._~]{43,128}`).
pub fn validate_verifier(verifier: &str) -> Result<(), PkceError> {
    let len = verifier.len();
    if !(43..=128).contains(&len) {
        return Err(PkceError::Length(len));
    }
    match verifier
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "-._~".contains(*c)))
    {
        Some(c) => Err(PkceError::Character(c)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_appendix_b_vector() {
        // RFC 7636 appendix B octets. (PROTOCOL.md quotes a wrong verifier for this vector.)
        let random: [u8; 32] = [
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212,
            37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
        ];
        let pkce = Pkce::from_random_bytes(&random).unwrap();
        assert_eq!(pkce.verifier, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert_eq!(
            pkce.challenge,
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        validate_verifier(&pkce.verifier).unwrap();
    }

    #[test]
    fn rejects_short_input_and_bad_verifiers() {
        assert!(Pkce::from_random_bytes(&[0; 31]).is_err());
        assert_eq!(
            Pkce::from_random_bytes(&[0; 96]).unwrap().verifier.len(),
            128
        );
        assert!(validate_verifier("short").is_err());
        assert!(validate_verifier(&"a".repeat(42)).is_err());
        assert!(validate_verifier(&format!("{}+", "a".repeat(43))).is_err());
        assert!(validate_verifier(&"a".repeat(129)).is_err());
    }
}
