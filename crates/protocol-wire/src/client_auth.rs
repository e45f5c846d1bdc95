//! Client authentication (RFC 6749 2.3, RFC 7523 2.2), applied to any token request.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::constants::CLIENT_ASSERTION_TYPE_JWT;
use crate::encoding::{b64, form_urlencode};
use crate::request::{HttpRequest, Param};
use crate::secret::Secret;

/// How a client proves who it is at a token, introspection or revocation endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClientAuth {
    /// Public client: `client_id` in the body.
    None {
        /// The client ID.
        client_id: String,
    },
    /// `Authorization: Basic` with form-encoded ID and secret.
    SecretBasic {
        /// The client ID.
        client_id: String,
        /// The client secret.
        client_secret: Secret,
    },
    /// `client_id` and `client_secret` in the body.
    SecretPost {
        /// The client ID.
        client_id: String,
        /// The client secret.
        client_secret: Secret,
    },
    /// A signed JWT assertion (`client_assertion_type` + `client_assertion`).
    PrivateKeyJwt {
        /// Also send `client_id` in the body (optional per RFC 7523).
        client_id: Option<String>,
        /// The signed assertion, from [`assertion_claims`] and a signer.
        assertion: Secret,
    },
}

impl ClientAuth {
    /// The method name as in metadata (`client_secret_basic`, ...).
    pub fn method_name(&self) -> &'static str {
        match self {
            ClientAuth::None { .. } => "none",
            ClientAuth::SecretBasic { .. } => "client_secret_basic",
            ClientAuth::SecretPost { .. } => "client_secret_post",
            ClientAuth::PrivateKeyJwt { .. } => "private_key_jwt",
        }
    }

    /// Adds this authentication to a request: a header or body fields.
    pub fn apply(&self, req: &mut HttpRequest) {
        match self {
            ClientAuth::None { client_id } => {
                req.form.push(Param::public("client_id", client_id));
            }
            ClientAuth::SecretBasic {
                client_id,
                client_secret,
            } => {
                req.headers.push(Param::secret(
                    "Authorization",
                    &basic_authorization(client_id, client_secret.expose()),
                ));
            }
            ClientAuth::SecretPost {
                client_id,
                client_secret,
            } => {
                req.form.push(Param::public("client_id", client_id));
                req.form
                    .push(Param::secret("client_secret", client_secret.expose()));
            }
            ClientAuth::PrivateKeyJwt {
                client_id,
                assertion,
            } => {
                if let Some(id) = client_id {
                    req.form.push(Param::public("client_id", id));
                }
                req.form.push(Param::public(
                    "client_assertion_type",
                    CLIENT_ASSERTION_TYPE_JWT,
                ));
                req.form
                    .push(Param::secret("client_assertion", assertion.expose()));
            }
        }
    }
}

/// `Basic base64(urlencode(id) ":" urlencode(secret))`, as RFC 6749 2.3.1 requires.
pub fn basic_authorization(client_id: &str, client_secret: &str) -> String {
    let pair = format!(
        "{}:{}",
        form_urlencode(client_id),
        form_urlencode(client_secret)
    );
    format!("Basic {}", b64(pair.as_bytes()))
}

/// Claims of a `private_key_jwt` client assertion: `iss` = `sub` = client, `aud` = the exact
/// token endpoint, a short lifetime and a unique `jti`.
pub fn assertion_claims(
    client_id: &str,
    token_endpoint: &str,
    now: i64,
    lifetime_secs: i64,
    jti: &str,
) -> Value {
    json!({
        "iss": client_id,
        "sub": client_id,
        "aud": token_endpoint,
        "iat": now,
        "exp": now + lifetime_secs,
        "jti": jti,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::Method;

    #[test]
    fn basic_form_encodes_before_base64() {
        // RFC 6749 2.3.1: "a:b c" must be encoded as "a%3Ab+c".
        let v = basic_authorization("a:b c", "p@ss/word");
        assert_eq!(v, format!("Basic {}", b64(b"a%3Ab+c:p%40ss%2Fword")));
    }

    #[test]
    fn each_method_lands_where_it_should() {
        let mut r = HttpRequest::new("t", Method::Post, "https://h/t");
        ClientAuth::SecretPost {
            client_id: "c".into(),
            client_secret: "s".into(),
        }
        .apply(&mut r);
        assert_eq!(r.form_value("client_secret"), Some("s"));
        assert!(r.header("authorization").is_none());

        let mut r = HttpRequest::new("t", Method::Post, "https://h/t");
        ClientAuth::PrivateKeyJwt {
            client_id: None,
            assertion: "a.b.c".into(),
        }
        .apply(&mut r);
        assert_eq!(
            r.form_value("client_assertion_type"),
            Some(CLIENT_ASSERTION_TYPE_JWT)
        );
        assert_eq!(r.form_value("client_assertion"), Some("a.b.c"));
        assert!(r.form_value("client_id").is_none());
    }

    #[test]
    fn assertion_claims_shape() {
        let c = assertion_claims("agent", "https://h/oauth2/v1/token", 1000, 60, "j1");
        assert_eq!(c["iss"], "agent");
        assert_eq!(c["sub"], "agent");
        assert_eq!(c["aud"], "https://h/oauth2/v1/token");
        assert_eq!(c["exp"], 1060);
        assert_eq!(c["jti"], "j1");
    }
}
