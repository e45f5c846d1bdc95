//! The tenant's view of HTTP: a request and a response as plain values, so the same logic
//! answers the native server (axum) and the service worker in the browser.

use serde_json::Value;

/// Headers every answer of the tenant carries.
pub const SECURITY_HEADERS: [(&str, &str); 2] = [
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
];

/// The CSP of answers that are not pages (JSON, errors): nothing may run, nothing may frame.
pub const DATA_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

/// A request, as the host received it. `path` is relative to the tenant's base URL. Its debug
/// output names the headers and sizes the query and body, without their values (credentials).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Request {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path below the base URL (`/oauth2/v1/token`).
    pub path: String,
    /// The query string, without `?`.
    pub query: String,
    /// Headers (names in any case).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Request {
    /// A header value (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A response for the host to send. Its debug output leaves the header values and the body
/// (tokens) out.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// Headers, in order.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Vec<u8>,
}

/// The names of headers, without their values.
fn header_names(headers: &[(String, String)]) -> Vec<&str> {
    headers.iter().map(|(k, _)| k.as_str()).collect()
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query_len", &self.query.len())
            .field("headers", &header_names(&self.headers))
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl std::fmt::Debug for Response {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &header_names(&self.headers))
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl Response {
    /// A JSON answer, never cached.
    pub fn json(status: u16, value: &Value) -> Self {
        Self {
            status,
            headers: vec![
                ("content-type".into(), "application/json".into()),
                ("cache-control".into(), "no-store".into()),
                ("pragma".into(), "no-cache".into()),
            ],
            body: value.to_string().into_bytes(),
        }
    }

    /// An HTML page with its own Content-Security-Policy.
    pub fn html(status: u16, body: String, csp: &str) -> Self {
        Self {
            status,
            headers: vec![
                ("content-type".into(), "text/html; charset=utf-8".into()),
                ("cache-control".into(), "no-store".into()),
                ("content-security-policy".into(), csp.into()),
            ],
            body: body.into_bytes(),
        }
    }

    /// One server-sent event (`text/event-stream`) carrying `value` as its data, as an MCP
    /// server (streamable HTTP) answers a JSON-RPC POST.
    pub fn event(status: u16, value: &Value) -> Self {
        Self {
            status,
            headers: vec![
                ("content-type".into(), "text/event-stream".into()),
                ("cache-control".into(), "no-store".into()),
            ],
            body: format!("event: message\ndata: {value}\n\n").into_bytes(),
        }
    }

    /// A `303 See Other` to `location`.
    pub fn redirect(location: &str) -> Self {
        Self {
            status: 303,
            headers: vec![
                ("location".into(), location.into()),
                ("cache-control".into(), "no-store".into()),
            ],
            body: Vec::new(),
        }
    }

    /// An empty answer.
    pub fn empty(status: u16) -> Self {
        Self {
            status,
            headers: vec![("cache-control".into(), "no-store".into())],
            body: Vec::new(),
        }
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// A header value (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Adds the headers every answer carries (and a restrictive CSP unless it has one).
    pub fn secured(mut self) -> Self {
        for (k, v) in SECURITY_HEADERS {
            self.headers.push((k.into(), v.into()));
        }
        if self.header("content-security-policy").is_none() {
            self.headers
                .push(("content-security-policy".into(), DATA_CSP.into()));
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_leaves_credentials_and_tokens_out() {
        let req = Request {
            method: "POST".into(),
            path: "/oauth2/v1/token".into(),
            query: "code=the-code-value".into(),
            headers: vec![("authorization".into(), "Basic c2VjcmV0LXZhbHVl".into())],
            body: b"client_secret=secret-value".to_vec(),
        };
        let shown = format!("{req:?}");
        for secret in ["the-code-value", "c2VjcmV0LXZhbHVl", "secret-value"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.contains("/oauth2/v1/token") && shown.contains("authorization"));
        let resp = Response::json(200, &serde_json::json!({"access_token": "token-value"}));
        let shown = format!("{resp:?}");
        assert!(
            !shown.contains("token-value") && shown.contains("200"),
            "{shown}"
        );
    }
}
