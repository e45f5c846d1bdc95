//! The one request value every step builds: it is rendered as cURL, sent, and logged.

use serde::{Deserialize, Serialize};

use crate::encoding::form_encode;

/// HTTP method of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Method {
    /// GET (authorize redirect, metadata, tokeninfo, API reads).
    Get,
    /// POST (token, introspect, revoke, API writes).
    Post,
    /// PUT (API).
    Put,
    /// PATCH (API).
    Patch,
    /// DELETE (API).
    Delete,
}

impl Method {
    /// Every method, in menu order.
    pub const ALL: [Method; 5] = [
        Method::Get,
        Method::Post,
        Method::Put,
        Method::Patch,
        Method::Delete,
    ];

    /// `"GET"`, `"POST"`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Parses a method name (any case).
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

/// A name/value pair of a query, header or form body; `secret` values are masked on display
/// (and in its `Debug`).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Param {
    /// Name (header name, form field or query parameter).
    pub name: String,
    /// Exact value that goes on the wire.
    pub value: String,
    /// Whether the value is a secret, key-derived assertion or token.
    pub secret: bool,
}

impl std::fmt::Debug for Param {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let value: &dyn std::fmt::Debug = if self.secret {
            &"‹secret›"
        } else {
            &self.value
        };
        f.debug_struct("Param")
            .field("name", &self.name)
            .field("value", value)
            .field("secret", &self.secret)
            .finish()
    }
}

impl Param {
    /// A value that may be shown.
    pub fn public(name: &str, value: &str) -> Self {
        Self {
            name: name.into(),
            value: value.into(),
            secret: false,
        }
    }
    /// A value masked until the user reveals it.
    pub fn secret(name: &str, value: &str) -> Self {
        Self {
            name: name.into(),
            value: value.into(),
            secret: true,
        }
    }
}

/// One HTTP request, exactly as it is sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpRequest {
    /// What the request does, for people ("Token exchange (RFC 8693)").
    pub label: String,
    /// HTTP method.
    pub method: Method,
    /// Endpoint URL; `query` is appended to it.
    pub url: String,
    /// Query parameters, in order.
    pub query: Vec<Param>,
    /// Headers the app sets, in order (the browser adds `Origin` and friends).
    pub headers: Vec<Param>,
    /// Form fields (`application/x-www-form-urlencoded`), in order; repeats allowed.
    pub form: Vec<Param>,
    /// A raw body (JSON for an API call), sent instead of the form when set.
    #[serde(default)]
    pub raw_body: Option<String>,
}

impl HttpRequest {
    /// A request with no parameters yet.
    pub fn new(label: &str, method: Method, url: &str) -> Self {
        Self {
            label: label.into(),
            method,
            url: url.trim().into(),
            query: Vec::new(),
            headers: Vec::new(),
            form: Vec::new(),
            raw_body: None,
        }
    }

    /// The URL with the query string appended.
    pub fn full_url(&self) -> String {
        if self.query.is_empty() {
            return self.url.clone();
        }
        let sep = if self.url.contains('?') { '&' } else { '?' };
        let query = form_encode(
            self.query
                .iter()
                .map(|p| (p.name.as_str(), p.value.as_str())),
        );
        format!("{}{sep}{query}", self.url)
    }

    /// The body: the raw one if set, else the form-encoded fields (if any).
    pub fn body(&self) -> Option<String> {
        if let Some(raw) = &self.raw_body {
            return Some(raw.clone());
        }
        if self.form.is_empty() {
            None
        } else {
            Some(form_encode(
                self.form
                    .iter()
                    .map(|p| (p.name.as_str(), p.value.as_str())),
            ))
        }
    }

    /// First value of a form field.
    pub fn form_value(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.value.as_str())
    }

    /// First value of a header (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .map(|p| p.value.as_str())
    }

    /// Pushes a form field.
    pub fn push_form(&mut self, param: Param) -> &mut Self {
        self.form.push(param);
        self
    }

    /// Feeds every byte that defines the request to `write` (a client assertion excluded:
    /// it is fresh on every send).
    pub fn fingerprint_into(&self, write: &mut dyn FnMut(&[u8])) {
        write(self.method.as_str().as_bytes());
        write(self.url.as_bytes());
        for p in self.query.iter().chain(&self.headers).chain(&self.form) {
            write(p.name.as_bytes());
            if p.name != "client_assertion" {
                write(p.value.as_bytes());
            }
        }
        if let Some(b) = &self.raw_body {
            write(b.as_bytes());
        }
    }
}

/// The request as sent to the local relay: same method, headers and body, addressed to the
/// relay, naming the real URL in `X-Relay-Target` and carrying the relay key.
pub fn via_relay(req: &HttpRequest, relay_url: &str, key: &str) -> HttpRequest {
    let mut r = req.clone();
    r.url = format!("{}/", relay_url.trim().trim_end_matches('/'));
    r.query.clear();
    r.headers
        .push(Param::public("X-Relay-Target", &req.full_url()));
    r.headers.push(Param::secret("X-Relay-Key", key));
    r
}

/// Why a URL is not usable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UrlError {
    /// Nothing was given.
    Empty,
    /// Not `http://` or `https://`.
    NotHttp(String),
    /// No host name.
    NoHost(String),
    /// White space or control characters.
    Whitespace(String),
    /// The port is not a number from 0 to 65535.
    BadPort(String, String),
}

impl std::fmt::Display for UrlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UrlError::Empty => f.write_str("The URL is empty."),
            UrlError::NotHttp(u) => write!(f, "{u:?} is not an absolute http:// or https:// URL."),
            UrlError::NoHost(u) => write!(f, "{u:?} has no host name."),
            UrlError::Whitespace(u) => {
                write!(f, "{u:?} contains white space or control characters.")
            }
            UrlError::BadPort(u, p) => write!(f, "{u:?} has an invalid port {p:?}."),
        }
    }
}

/// Checks that `url` is an absolute `http(s)` URL with a host and no white space.
pub fn validate_url(url: &str) -> Result<(), UrlError> {
    let url = url.trim();
    if url.is_empty() {
        return Err(UrlError::Empty);
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| UrlError::NotHttp(url.into()))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || host.starts_with(':') {
        return Err(UrlError::NoHost(url.into()));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(UrlError::Whitespace(url.into()));
    }
    if let Some((_, port)) = host.rsplit_once(':') {
        if !host.ends_with(']') && port.parse::<u16>().is_err() {
            return Err(UrlError::BadPort(url.into(), port.into()));
        }
    }
    Ok(())
}

/// The origin (`scheme://host[:port]`) of an absolute URL, if it has one.
pub fn origin_of(url: &str) -> Option<&str> {
    let url = url.trim();
    let start = url.find("://")? + 3;
    let end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| start + i);
    (end > start).then(|| &url[..end])
}

/// Whether a value is a preview placeholder such as `{code from the redirect}`: shown as is,
/// since it is not a secret.
pub fn is_placeholder(value: &str) -> bool {
    value.len() < 120
        && value.starts_with('{')
        && value.ends_with('}')
        && !value.contains(['\n', '"', ':'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_with_query_and_body() {
        let mut r = HttpRequest::new("x", Method::Post, "https://h.example/t?x=1");
        r.query.push(Param::public("a", "b c"));
        r.form
            .push(Param::public("grant_type", "client_credentials"));
        r.form.push(Param::secret("client_secret", "s&=t"));
        assert_eq!(r.full_url(), "https://h.example/t?x=1&a=b+c");
        assert_eq!(
            r.body().unwrap(),
            "grant_type=client_credentials&client_secret=s%26%3Dt"
        );
        assert_eq!(r.form_value("client_secret"), Some("s&=t"));
    }

    #[test]
    fn validates_urls() {
        assert!(validate_url("http://127.0.0.1:9400/oauth2/v1/token").is_ok());
        assert!(validate_url("https://[::1]/x").is_ok());
        assert!(validate_url("ftp://x").is_err());
        assert!(validate_url("https://").is_err());
        assert!(validate_url("https://a b").is_err());
        assert!(validate_url("https://h:99999/").is_err());
        assert!(validate_url("example.com").is_err());
    }

    #[test]
    fn relayed_request_names_its_target() {
        let mut r = HttpRequest::new("x", Method::Get, "https://org/tokeninfo");
        r.query.push(Param::secret("access_token", "AT"));
        let v = via_relay(&r, "http://127.0.0.1:9500/", "KEY");
        assert_eq!(v.full_url(), "http://127.0.0.1:9500/");
        assert_eq!(
            v.header("x-relay-target"),
            Some("https://org/tokeninfo?access_token=AT")
        );
        assert_eq!(v.header("x-relay-key"), Some("KEY"));
        assert!(v
            .headers
            .iter()
            .any(|h| h.name == "X-Relay-Key" && h.secret));
    }

    #[test]
    fn placeholders_are_not_secrets() {
        assert!(is_placeholder("{code from the redirect}"));
        assert!(!is_placeholder(r#"{"kty":"EC"}"#));
        assert!(!is_placeholder("eyJhbGciOi"));
        let mut r = HttpRequest::new("x", Method::Post, "https://h/t");
        r.form
            .push(Param::secret("code", "{code from the redirect}"));
        let mut known = crate::mask::Known::new();
        known.learn_request(&r);
        assert!(known.is_empty());
    }
}
