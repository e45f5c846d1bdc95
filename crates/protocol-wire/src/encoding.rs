//! `application/x-www-form-urlencoded` (WHATWG URL standard) and base64url helpers.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;

/// Percent-encodes one name or value the way a browser form (`URLSearchParams`) does:
/// ASCII alphanumerics and `*-._` stay, space becomes `+`, every other byte is `%XX` (the
/// WHATWG URL standard's `application/x-www-form-urlencoded` serializer, by the maintained
/// `form_urlencoded` crate; the demo tenant decodes with a strict decoder of its own).
pub fn form_urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Encodes ordered pairs as a form body (`a=1&b=2`). Repeated names are kept in order.
pub fn form_encode<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    pairs
        .into_iter()
        .map(|(k, v)| format!("{}={}", form_urlencode(k), form_urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Decodes a form body or query string into ordered pairs, keeping repeated names
/// (`resource` and `audience` may repeat). Malformed escapes are kept literally.
pub fn form_decode(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .filter(|part| !part.is_empty())
        .map(|part| match part.split_once('=') {
            Some((k, v)) => (percent_decode(k), percent_decode(v)),
            None => (percent_decode(part), String::new()),
        })
        .collect()
}

/// Decodes `+` and `%XX` escapes; invalid UTF-8 is replaced with U+FFFD.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match (hex_value(bytes[i + 1]), hex_value(bytes[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push(h << 4 | l);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// base64url without padding (JOSE, PKCE).
pub fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Text that is not valid base64 (or base64url): which alphabet, and the decoder's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotBase64 {
    /// base64url (JOSE) rather than standard base64.
    pub url: bool,
    /// What is wrong.
    pub why: String,
}

impl std::fmt::Display for NotBase64 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let alphabet = if self.url { "base64url" } else { "base64" };
        write!(f, "not valid {alphabet}: {}", self.why)
    }
}

/// Decodes base64url, tolerating trailing `=` padding.
pub fn b64url_decode(s: &str) -> Result<Vec<u8>, NotBase64> {
    URL_SAFE_NO_PAD
        .decode(s.trim_end_matches('='))
        .map_err(|e| NotBase64 {
            url: true,
            why: e.to_string(),
        })
}

/// Standard base64 with padding (HTTP Basic, PEM).
pub fn b64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Decodes standard base64, ignoring ASCII white space (PEM bodies are wrapped).
pub fn b64_decode(s: &str) -> Result<Vec<u8>, NotBase64> {
    let compact: String = s.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    STANDARD.decode(compact).map_err(|e| NotBase64 {
        url: false,
        why: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_a_browser_form() {
        assert_eq!(form_urlencode("a b&c=d/é*~"), "a+b%26c%3Dd%2F%C3%A9*%7E");
        assert_eq!(
            form_encode([("scope", "a b"), ("resource", "x"), ("resource", "y")]),
            "scope=a+b&resource=x&resource=y"
        );
    }

    #[test]
    fn decode_keeps_repeats_and_tolerates_garbage() {
        let pairs = form_decode("resource=x&resource=y&bad=%zz%&novalue&e=%C3%A9+1");
        assert_eq!(pairs[0], ("resource".into(), "x".into()));
        assert_eq!(pairs[1], ("resource".into(), "y".into()));
        assert_eq!(pairs[2], ("bad".into(), "%zz%".into()));
        assert_eq!(pairs[3], ("novalue".into(), "".into()));
        assert_eq!(pairs[4], ("e".into(), "é 1".into()));
    }

    #[test]
    fn base64_helpers() {
        assert_eq!(b64url(&[0xfb, 0xff]), "-_8");
        assert_eq!(b64url_decode("-_8=").unwrap(), vec![0xfb, 0xff]);
        assert_eq!(b64_decode("aGVs\nbG8=").unwrap(), b"hello");
        assert!(b64url_decode("***").is_err());
    }
}
