//! A form body that keeps repeated parameters (`resource`, `audience`) and refuses repeats
//! of single-valued ones, as RFC 6749 3.1 requires. Decoded strictly, apart from the
//! clients' encoder (`protocol_wire::encoding`): a `%` not followed by two hex digits, or bytes
//! that are not UTF-8 once decoded, are an `invalid_request` naming the parameter, so a bug
//! in an encoder shows instead of being decoded back symmetrically.

use crate::error::OAuthError;

/// Longest value accepted for identifiers a client chooses (`state`, `nonce`, `jti`, ...).
pub const MAX_ID_LEN: usize = 512;

/// One name or value of `application/x-www-form-urlencoded`, decoded strictly: `+` is a
/// space, `%` starts exactly two hex digits, and the result is UTF-8. The error says what
/// is wrong.
pub fn decode(s: &str) -> Result<String, &'static str> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = |j: usize| bytes.get(j).and_then(|b| (*b as char).to_digit(16));
                match (hex(i + 1), hex(i + 2)) {
                    (Some(h), Some(l)) => out.push((h * 16 + l) as u8),
                    _ => return Err("a % is not followed by two hex digits"),
                }
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| "its bytes are not UTF-8 once decoded")
}

/// Decoded form parameters, in order.
pub struct Form(pub Vec<(String, String)>);

impl Form {
    /// Parses a form body or query string; a malformed escape is an `invalid_request`.
    pub fn parse(body: &str) -> Result<Self, OAuthError> {
        let mut out = Vec::new();
        for part in body.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            let name = decode(k).map_err(|why| {
                OAuthError::invalid_request(format!("A parameter name is malformed: {why}."))
            })?;
            let value = decode(v).map_err(|why| {
                OAuthError::invalid_request(format!("Parameter {name} is malformed: {why}."))
            })?;
            out.push((name, value));
        }
        Ok(Form(out))
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

#[cfg(test)]
mod strict_tests {
    use super::{decode, Form};
    use proptest::prelude::*;

    #[test]
    fn malformed_escapes_and_bytes_that_are_not_utf8_are_refused() {
        assert_eq!(decode("a+b%20c%2B").unwrap(), "a b c+");
        assert!(decode("%zz").is_err());
        assert!(decode("abc%4").is_err());
        assert!(decode("%").is_err());
        assert!(decode("%e9").is_err(), "a lone Latin-1 byte is not UTF-8");
        assert_eq!(decode("%C3%A9").unwrap(), "é");
        let e = Form::parse("grant_type=client_credentials&scope=%zz")
            .err()
            .unwrap();
        assert_eq!(e.error, "invalid_request");
        assert!(e.description.contains("scope"), "{}", e.description);
    }

    proptest! {
        /// What the clients' encoder writes, the strict decoder reads back exactly.
        #[test]
        fn the_client_encoder_and_the_strict_decoder_agree(
            pairs in proptest::collection::vec(("\\PC{0,12}", "\\PC{0,24}"), 0..6)
        ) {
            let body = protocol_wire::encoding::form_encode(
                pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            );
            let form = Form::parse(&body).unwrap();
            prop_assert_eq!(form.0, pairs);
        }
    }
}
