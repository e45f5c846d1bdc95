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

/// A name/value pair of a query, header or form body; `secret` values are masked on display.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Param {
    /// Name (header name, form field or query parameter).
    pub name: String,
    /// Exact value that goes on the wire.
    pub value: String,
    /// Whether the value is a secret, key-derived assertion or token.
    pub secret: bool,
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

    /// Every secret value in the request, longest first, for masking logs.
    pub fn secret_values(&self) -> Vec<String> {
        self.query
            .iter()
            .chain(&self.headers)
            .chain(&self.form)
            .filter(|p| p.secret && !p.value.is_empty() && !is_placeholder(&p.value))
            .flat_map(|p| {
                // An `Authorization` header hides its credential, not its scheme.
                let credential = p.value.split_once(' ').map(|(_, c)| c.to_string());
                std::iter::once(p.value.clone()).chain(credential)
            })
            .fold(Vec::<String>::new(), |mut out, v| {
                // Longest first (a secret that contains another is masked whole), each once;
                // placed by hand: a sort would add kilobytes of code to the bundle.
                if !out.contains(&v) {
                    let at = out.partition_point(|s| s.len() >= v.len());
                    out.insert(at, v);
                }
                out
            })
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

/// Replaces every secret in `text` by a mask, for logs shown before the user reveals them.
pub fn mask_secrets(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    for s in secrets.iter().filter(|s| s.len() >= 4) {
        out = out.replace(s.as_str(), &mask(s));
    }
    out
}

/// JSON members whose values are credentials or tokens.
pub const SECRET_MEMBERS: &[&str] = &[
    "access_token",
    "id_token",
    "refresh_token",
    "client_secret",
    "assertion",
    "client_assertion",
    "subject_token",
    "actor_token",
    "password",
    "secret",
    "private_key",
    "d",
    "token",
];

/// Masks credential members of a JSON body (any depth) for display; non-JSON bodies are
/// returned unchanged.
pub fn mask_json_body(body: &str) -> String {
    fn walk(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, val) in map.iter_mut() {
                    match val {
                        serde_json::Value::String(s)
                            if SECRET_MEMBERS.contains(&k.as_str()) && !s.is_empty() =>
                        {
                            *s = mask(s)
                        }
                        _ => walk(val),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    match serde_json::from_str::<serde_json::Value>(body) {
        Ok(mut v) => {
            walk(&mut v);
            serde_json::to_string_pretty(&v).unwrap_or_else(|_| body.to_string())
        }
        Err(_) => body.to_string(),
    }
}

/// Whether a value is a preview placeholder such as `{code from the redirect}`: shown as is,
/// since it is not a secret.
pub fn is_placeholder(value: &str) -> bool {
    value.len() < 120
        && value.starts_with('{')
        && value.ends_with('}')
        && !value.contains(['\n', '"', ':'])
}

/// Masks every string and number in a JSON value (for released credentials), keeping keys.
pub fn mask_all_values(v: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::Object(m) => Value::Object(crate::maps::inserted(
            m.iter().map(|(k, v)| (k.clone(), mask_all_values(v))),
        )),
        Value::Array(a) => Value::Array(a.iter().map(mask_all_values).collect()),
        Value::String(s) => Value::String(mask(s)),
        Value::Number(n) => Value::String(mask(&n.to_string())),
        other => other.clone(),
    }
}

/// The mask shown in place of a secret value: its length and nothing of its content.
pub fn mask(value: &str) -> String {
    format!("‹hidden {} chars›", value.chars().count())
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
        assert!(v.secret_values().contains(&"KEY".to_string()));
    }

    #[test]
    fn placeholders_are_not_secrets() {
        assert!(is_placeholder("{code from the redirect}"));
        assert!(!is_placeholder(r#"{"kty":"EC"}"#));
        assert!(!is_placeholder("eyJhbGciOi"));
        let mut r = HttpRequest::new("x", Method::Post, "https://h/t");
        r.form
            .push(Param::secret("code", "{code from the redirect}"));
        assert!(r.secret_values().is_empty());
    }

    #[test]
    fn masks_json_credentials_at_any_depth() {
        let m = mask_json_body(
            r#"{"access_token":"abc.def","vaulted_secret":{"password":"p4ss"},"scope":"x"}"#,
        );
        assert!(
            !m.contains("abc.def") && !m.contains("p4ss") && m.contains("\"scope\": \"x\""),
            "{m}"
        );
        assert_eq!(mask_json_body("not json"), "not json");
    }

    #[test]
    fn secret_values_are_longest_first_and_each_once() {
        let mut r = HttpRequest::new("x", Method::Post, "https://h/t");
        r.form.push(Param::secret("client_secret", "abc"));
        r.form.push(Param::secret("password", "abcdef"));
        r.headers.push(Param::secret("X-Key", "xyz"));
        r.query.push(Param::secret("k", "abc"));
        r.headers.push(Param::secret("Authorization", "Basic abc"));
        assert_eq!(r.secret_values(), ["Basic abc", "abcdef", "abc", "xyz"]);
    }

    #[test]
    fn masks_secrets_including_header_credentials() {
        let mut r = HttpRequest::new("x", Method::Post, "https://h/t");
        r.headers
            .push(Param::secret("Authorization", "Basic YWJjOmRlZg=="));
        r.form.push(Param::secret("client_secret", "topsecret"));
        let secrets = r.secret_values();
        let masked = mask_secrets("auth=YWJjOmRlZg== s=topsecret", &secrets);
        assert!(
            !masked.contains("topsecret") && !masked.contains("YWJjOmRlZg=="),
            "{masked}"
        );
    }
}
