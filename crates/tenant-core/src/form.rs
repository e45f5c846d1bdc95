//! A form body that keeps repeated parameters (`resource`, `audience`) and refuses repeats
//! of single-valued ones, as RFC 6749 3.1 requires.

use crate::error::OAuthError;

/// Longest value accepted for identifiers a client chooses (`state`, `nonce`, `jti`, ...).
pub const MAX_ID_LEN: usize = 512;

/// Decoded form parameters, in order.
pub struct Form(pub Vec<(String, String)>);

impl Form {
    /// Parses a form body or query string.
    pub fn parse(body: &str) -> Self {
        Form(protocol::encoding::form_decode(body))
    }

    /// A single-valued parameter; repeats are an `invalid_request`.
    pub fn get(&self, name: &str) -> Result<Option<&str>, OAuthError> {
        let mut it = self.0.iter().filter(|(k, _)| k == name);
        let first = it.next().map(|(_, v)| v.as_str());
        if it.next().is_some() {
            return Err(OAuthError::invalid_request(format!(
                "Parameter {name} is repeated."
            )));
        }
        Ok(first.filter(|v| !v.is_empty()))
    }

    /// A single-valued parameter no longer than [`MAX_ID_LEN`].
    pub fn get_id(&self, name: &str) -> Result<Option<&str>, OAuthError> {
        match self.get(name)? {
            Some(v) if v.len() > MAX_ID_LEN => Err(OAuthError::invalid_request(format!(
                "Parameter {name} is longer than {MAX_ID_LEN} bytes."
            ))),
            v => Ok(v),
        }
    }

    /// A required single-valued parameter.
    pub fn require(&self, name: &str) -> Result<&str, OAuthError> {
        self.get(name)?.ok_or_else(|| {
            OAuthError::invalid_request(format!("The {name} parameter is required."))
        })
    }

    /// Every value of a repeatable parameter.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
            .collect()
    }
}
