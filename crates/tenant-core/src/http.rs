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

/// A request, as the host received it. `path` is relative to the tenant's base URL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
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

/// A response for the host to send.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// Headers, in order.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Vec<u8>,
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
