//! The relay: for authorization servers that refuse browser calls (Okta refuses any `/token`
//! request with an `Origin` header unless it is code + PKCE). The app sends the request to the
//! relay on the user's own machine; the relay forwards it without `Origin`, `Referer` or
//! cookies, only to the upstream bases it was started with, only for a caller that presents the
//! per-run key, and answers CORS only for the app's origins. Assertions are signed in the
//! browser: no key ever reaches the relay. It logs method, URL path, status and time; never
//! query strings, bodies, headers, tokens or secrets.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use protocol_wire::base_url::{http_base, NotBase};
use protocol_wire::secret::Secret;
use serde_json::json;

/// Header carrying the per-run key.
pub const KEY_HEADER: &str = "x-relay-key";
/// Header carrying the upstream URL the request is for.
pub const TARGET_HEADER: &str = "x-relay-target";
/// Largest request or response body relayed.
pub const MAX_BODY: usize = 256 * 1024;
/// Time allowed for a request body to arrive.
pub const BODY_TIME: Duration = Duration::from_secs(10);
/// The methods relayed: those the app's API step sends. Others (HEAD, and OPTIONS, which the
/// relay answers itself as a CORS preflight) are refused with 405.
pub const METHODS: [Method; 5] = [
    Method::GET,
    Method::POST,
    Method::PUT,
    Method::PATCH,
    Method::DELETE,
];
/// [`METHODS`] as listed in `Allow` and `Access-Control-Allow-Methods`.
const METHOD_LIST: &str = "GET, POST, PUT, PATCH, DELETE";
/// Response headers the page may read: the upstream's challenge and allowed methods (passed
/// through from the upstream), and the relay's own marker.
const EXPOSE: &str = "www-authenticate, allow, x-relay";

/// What the relay allows. Its `Debug` does not show the key (a [`Secret`]).
#[derive(Clone, Debug)]
pub struct Settings {
    /// Upstream bases (`https://acme.okta.com`); a target must equal one or lie below it.
    pub upstreams: Vec<String>,
    /// Browser origins allowed to call the relay (the app's origins).
    pub origins: Vec<String>,
    /// The per-run key.
    pub key: Secret,
    /// Upstream timeout.
    pub timeout: Duration,
}

/// A fresh random key (24 bytes, base64url).
pub fn random_key() -> String {
    use base64::Engine;
    let mut b = [0u8; 24];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

/// Why an `--upstream` is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UpstreamError {
    /// Not an http(s) URL (the value given).
    NoScheme(String),
    /// Not a base URL: no host, or a query, fragment, space or user info (the value given).
    NotBase(String),
}

impl std::fmt::Display for UpstreamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UpstreamError::NoScheme(b) => {
                write!(f, "upstream {b:?} must start with https:// or http://")
            }
            UpstreamError::NotBase(b) => write!(
                f,
                "upstream {b:?} must be a base URL such as https://acme.okta.com"
            ),
        }
    }
}

/// Normalises an upstream base ([`http_base`]: an http(s) scheme and a host required; no
/// query, fragment, user info or space); the trailing slash dropped.
pub fn normalize_upstream(base: &str) -> Result<String, UpstreamError> {
    match http_base(base) {
        Ok(url) => Ok(url.as_str().trim_end_matches('/').to_string()),
        Err(NotBase::Scheme) => Err(UpstreamError::NoScheme(base.into())),
        Err(NotBase::Shape) => Err(UpstreamError::NotBase(base.into())),
    }
}

/// Why a relay target is refused. Each message says what was wrong and what to send instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TargetError {
    /// The header value is not UTF-8 text.
    NotText,
    /// A control character or white space (`at` counts characters from 1). A URL parser
    /// drops tabs and newlines and trims the ends, so the URL forwarded would not be the
    /// one the relay checked.
    Unprintable {
        /// The character.
        ch: char,
        /// Its position, counting characters from 1.
        at: usize,
    },
    /// A backslash, which URL parsers read as a slash.
    Backslash,
    /// A fragment (`#…`), which is never sent to a server.
    Fragment,
    /// An encoded slash or backslash (`%2F`, `%5C`) in the path: an upstream that decodes
    /// it could be led out of its base path.
    EncodedSeparator,
    /// Not an absolute URL; the parser's reason.
    NotAUrl(String),
    /// A scheme other than `http` or `https`.
    NotHttp(String),
    /// Outside every upstream the relay was started with (listed, comma-separated).
    NotAllowed(String),
    /// User name or password in the URL.
    UserInfo,
    /// The URL as parsed is not the URL as sent (dot segments, case, default port, escapes):
    /// the relay forwards only a URL written the way it is read.
    NotCanonical {
        /// What was sent.
        sent: String,
        /// How it reads once parsed: what to send instead.
        canonical: String,
    },
}

impl TargetError {
    /// The HTTP status for this refusal: 403 for a target that reads clearly but is not
    /// allowed, 400 for one that cannot be taken as written.
    pub fn status(&self) -> StatusCode {
        match self {
            TargetError::NotAllowed(_) | TargetError::UserInfo | TargetError::EncodedSeparator => {
                StatusCode::FORBIDDEN
            }
            _ => StatusCode::BAD_REQUEST,
        }
    }

    /// The error code in the JSON answer.
    pub fn code(&self) -> &'static str {
        if self.status() == StatusCode::FORBIDDEN {
            "target_not_allowed"
        } else {
            "target_invalid"
        }
    }
}

fn char_name(ch: char) -> String {
    match ch {
        '\t' => "a tab".into(),
        '\n' => "a line feed".into(),
        '\r' => "a carriage return".into(),
        ' ' => "a space".into(),
        c => format!("the character U+{:04X}", c as u32),
    }
}

fn percent_encoded(ch: char) -> String {
    let mut buf = [0u8; 4];
    ch.encode_utf8(&mut buf)
        .bytes()
        .map(|b| format!("%{b:02X}"))
        .collect()
}

impl std::fmt::Display for TargetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TargetError::NotText => write!(
                f,
                "The {TARGET_HEADER} header is not text: send the URL in ASCII, percent-encoding other characters (é as %C3%A9)."
            ),
            TargetError::Unprintable { ch, at } => write!(
                f,
                "The {TARGET_HEADER} URL has {} at character {at}; URL parsers drop or trim such characters, so the relay will not guess what was meant. Send the URL without it, or write it as {} if it belongs in the URL.",
                char_name(*ch),
                percent_encoded(*ch)
            ),
            TargetError::Backslash => write!(
                f,
                "The {TARGET_HEADER} URL has a backslash, which URL parsers read as a slash: send / instead."
            ),
            TargetError::Fragment => write!(
                f,
                "The {TARGET_HEADER} URL has a fragment (#…), which is never sent to a server: send the URL without it."
            ),
            TargetError::EncodedSeparator => write!(
                f,
                "The {TARGET_HEADER} URL has an encoded slash or backslash (%2F or %5C) in its path, which an upstream could decode to leave the allowed path: send the path with plain slashes."
            ),
            TargetError::NotAUrl(why) => write!(
                f,
                "The {TARGET_HEADER} header is not an absolute URL ({why}): send one such as https://acme.okta.com/oauth2/v1/token."
            ),
            TargetError::NotHttp(scheme) => write!(
                f,
                "The {TARGET_HEADER} URL uses {scheme}:, and the relay forwards only http:// and https:// URLs."
            ),
            TargetError::NotAllowed(upstreams) => write!(
                f,
                "This relay forwards only to {upstreams}; it is not an open proxy. Restart it with --upstream for another server."
            ),
            TargetError::UserInfo => write!(
                f,
                "The {TARGET_HEADER} URL carries a user name or password (user:password@host): send the URL without it, and credentials in the Authorization header."
            ),
            TargetError::NotCanonical { sent, canonical } => write!(
                f,
                "The {TARGET_HEADER} URL {sent} reads as {canonical} once parsed (dot segments, letter case, default port or escapes), and the relay forwards only a URL written the way it is read: send {canonical}"
            ),
        }
    }
}

impl std::error::Error for TargetError {}

/// Whether `url`'s serialization is `sent`, allowing exactly one difference: an empty path
/// written as nothing (`https://host`, `https://host?x=1`) where the serialization has `/`.
/// Both mean the same request line (`GET / HTTP/1.1`), so nothing can hide in it.
fn written_as_read(sent: &str, url: &url::Url) -> bool {
    let read = url.as_str();
    if read == sent {
        return true;
    }
    if url.path() != "/" || url.fragment().is_some() {
        return false;
    }
    // The serialization is ASCII: the path's `/` sits right before the query, if any.
    let slash = read.len() - 1 - url.query().map_or(0, |q| q.len() + 1);
    read.get(..slash)
        .zip(read.get(slash + 1..))
        .is_some_and(|(head, tail)| format!("{head}{tail}") == sent)
}

/// Checks `target` and returns it parsed, only if it lies on an allowed upstream base or below
/// it (on a path-segment boundary) and is written exactly the way a URL parser reads it.
///
/// Refused: control characters and white space (a parser drops tabs and newlines and trims
/// the ends, so the checked URL would not be the sent one); backslashes, encoded slashes and
/// backslashes in the path, user info and fragments (an upstream that decodes them could be
/// led out of its base path); and any target whose serialization differs from what was sent
/// (dot segments, `%2e` forms, letter case, default ports, escapes), with the form to send
/// in the message. The one difference accepted is an empty path: `https://host` reads as
/// `https://host/`, the same request.
pub fn allowed_target(target: &str, upstreams: &[String]) -> Result<url::Url, TargetError> {
    if let Some((at, ch)) = target
        .chars()
        .enumerate()
        .find(|(_, c)| c.is_control() || c.is_whitespace())
    {
        return Err(TargetError::Unprintable { ch, at: at + 1 });
    }
    if target.contains('\\') {
        return Err(TargetError::Backslash);
    }
    if target.contains('#') {
        return Err(TargetError::Fragment);
    }
    // Only the path can be escaped from; a query often carries an encoded URL.
    let path = target
        .split_once('?')
        .map_or(target, |(path, _)| path)
        .to_ascii_lowercase();
    if path.contains("%2f") || path.contains("%5c") {
        return Err(TargetError::EncodedSeparator);
    }
    let url = url::Url::parse(target).map_err(|e| TargetError::NotAUrl(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(TargetError::NotHttp(url.scheme().to_string()));
    }
    let allowed = upstreams.iter().any(|u| {
        let Ok(base) = url::Url::parse(u) else {
            return false;
        };
        let prefix = base.path().trim_end_matches('/');
        let path = url.path();
        base.origin() == url.origin()
            && (path == prefix
                || path
                    .strip_prefix(prefix)
                    .is_some_and(|rest| rest.starts_with('/')))
    });
    if !allowed {
        return Err(TargetError::NotAllowed(upstreams.join(", ")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(TargetError::UserInfo);
    }
    if !written_as_read(target, &url) {
        return Err(TargetError::NotCanonical {
            sent: target.to_string(),
            canonical: url.to_string(),
        });
    }
    Ok(url)
}

struct Relay {
    settings: Settings,
    client: reqwest::Client,
}

fn error(status: StatusCode, code: &str, description: String) -> Response {
    (
        status,
        axum::Json(json!({ "error": code, "error_description": description })),
    )
        .into_response()
}

fn cors(res: &mut Response, origin: Option<&HeaderValue>) {
    let h = res.headers_mut();
    h.insert(header::VARY, HeaderValue::from_static("origin"));
    h.insert("x-relay", HeaderValue::from_static("1"));
    if let Some(o) = origin {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, o.clone());
        h.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static(EXPOSE),
        );
    }
}

/// Headers never forwarded upstream.
const DROP_REQUEST: &[&str] = &[
    "host",
    "origin",
    "referer",
    "cookie",
    "cookie2",
    "connection",
    "content-length",
    "transfer-encoding",
    "keep-alive",
    "upgrade",
    "te",
    "trailer",
    "proxy-authorization",
    KEY_HEADER,
    TARGET_HEADER,
    "accept-encoding",
];
/// Headers never returned to the browser.
const DROP_RESPONSE: &[&str] = &[
    "set-cookie",
    "set-cookie2",
    "connection",
    "content-length",
    "transfer-encoding",
    "keep-alive",
    "content-encoding",
];

async fn handle(State(relay): State<Arc<Relay>>, req: Request) -> Response {
    let started = Instant::now();
    let s = &relay.settings;
    let origin = req.headers().get(header::ORIGIN).cloned();
    let allowed_origin = match &origin {
        None => None,
        Some(o) if s.origins.iter().any(|a| a.as_bytes() == o.as_bytes()) => Some(o.clone()),
        Some(o) => {
            eprintln!("refused: origin {:?} is not allowed", o);
            return error(StatusCode::FORBIDDEN, "origin_not_allowed", format!(
                "This relay answers only the app's origins ({}); start it with --allow-origin for another.",
                s.origins.join(", ")
            ));
        }
    };
    let mut res = if req.method() == Method::OPTIONS {
        preflight()
    } else {
        forward(&relay, req).await
    };
    cors(&mut res, allowed_origin.as_ref());
    if !res.headers().contains_key("x-relay-logged") {
        eprintln!(
            "{} ({} ms)",
            res.status().as_u16(),
            started.elapsed().as_millis()
        );
    }
    res.headers_mut().remove("x-relay-logged");
    res
}

fn preflight() -> Response {
    let mut res = StatusCode::NO_CONTENT.into_response();
    let h = res.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static(METHOD_LIST),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static(
            "authorization, content-type, accept, x-relay-key, x-relay-target, dpop",
        ),
    );
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
    res
}

async fn forward(relay: &Relay, req: Request) -> Response {
    let s = &relay.settings;
    match req.headers().get(KEY_HEADER) {
        None => {
            eprintln!("refused: no relay key");
            return error(StatusCode::UNAUTHORIZED, "relay_key_required", format!(
                "Send the key this relay printed at start in the {KEY_HEADER} header (the app's relay setting)."
            ));
        }
        Some(k) if !k.to_str().is_ok_and(|k| s.key.matches(k)) => {
            eprintln!("refused: wrong relay key");
            return error(
                StatusCode::UNAUTHORIZED,
                "relay_key_invalid",
                "This is not the key this relay printed at start (each start prints a new one)."
                    .into(),
            );
        }
        Some(_) => {}
    }
    let Some(target) = req.headers().get(TARGET_HEADER) else {
        return error(
            StatusCode::BAD_REQUEST,
            "relay_target_required",
            format!("Name the upstream URL in the {TARGET_HEADER} header."),
        );
    };
    let checked = std::str::from_utf8(target.as_bytes())
        .map_err(|_| TargetError::NotText)
        .and_then(|t| allowed_target(t, &s.upstreams));
    let target = match checked {
        Ok(t) => t,
        Err(e) => {
            // The target itself is not logged: its query may carry a token.
            eprintln!("refused: {}", e.code());
            return error(e.status(), e.code(), e.to_string());
        }
    };
    let method = req.method().clone();
    if !METHODS.contains(&method) {
        eprintln!("refused: method not relayed");
        let mut res = error(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            format!("The relay forwards {METHOD_LIST}; send the request with one of them ({method} is not relayed)."),
        );
        res.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static(METHOD_LIST));
        return res;
    }
    let mut headers = HeaderMap::new();
    for (k, v) in req.headers() {
        let name = k.as_str();
        if !DROP_REQUEST.contains(&name)
            && !name.starts_with("sec-")
            && !name.starts_with("access-control-")
        {
            headers.append(k.clone(), v.clone());
        }
    }
    let body = match bounded_server::read_body(req.into_body(), MAX_BODY, BODY_TIME).await {
        Ok(b) => b,
        Err(e @ bounded_server::BodyError::TooLarge(_)) => {
            return error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                e.to_string(),
            )
        }
        Err(e) => {
            return error(
                StatusCode::REQUEST_TIMEOUT,
                "body_incomplete",
                e.to_string(),
            )
        }
    };
    let path_only = format!("{}{}", target.origin().ascii_serialization(), target.path());
    let started = Instant::now();
    let upstream = relay
        .client
        .request(method.clone(), target)
        .headers(headers)
        .body(body)
        .send()
        .await;
    let mut res = match upstream {
        Err(e) if e.is_timeout() => error(
            StatusCode::GATEWAY_TIMEOUT,
            "relay_upstream_timeout",
            format!(
                "{path_only} did not answer within {} s.",
                s.timeout.as_secs()
            ),
        ),
        Err(e) => error(
            StatusCode::BAD_GATEWAY,
            "relay_upstream_unreachable",
            format!("The relay could not reach {path_only}: {}", root_cause(&e)),
        ),
        Ok(up) => {
            let status = up.status();
            let mut out = HeaderMap::new();
            for (k, v) in up.headers() {
                if !DROP_RESPONSE.contains(&k.as_str())
                    && !k.as_str().starts_with("access-control-")
                {
                    out.append(k.clone(), v.clone());
                }
            }
            match read_limited(up).await {
                Ok(bytes) => {
                    let mut r = Response::new(Body::from(bytes));
                    *r.status_mut() = status;
                    *r.headers_mut() = out;
                    r
                }
                Err(e) => error(
                    StatusCode::BAD_GATEWAY,
                    "relay_upstream_body",
                    e.to_string(),
                ),
            }
        }
    };
    eprintln!(
        "{method} {path_only} -> {} ({} ms)",
        res.status().as_u16(),
        started.elapsed().as_millis()
    );
    res.headers_mut()
        .insert("x-relay-logged", HeaderValue::from_static("1"));
    res
}

/// Why the upstream's answer was not read whole.
enum Unread {
    /// The connection failed while reading (the root cause).
    Failed(String),
    /// Larger than the relay forwards.
    TooLarge,
}

impl std::fmt::Display for Unread {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unread::Failed(why) => write!(f, "reading the upstream answer failed: {why}"),
            Unread::TooLarge => write!(f, "the upstream answer is larger than {MAX_BODY} bytes"),
        }
    }
}

async fn read_limited(mut up: reqwest::Response) -> Result<Vec<u8>, Unread> {
    let mut buf = Vec::new();
    while let Some(chunk) = up
        .chunk()
        .await
        .map_err(|e| Unread::Failed(root_cause(&e)))?
    {
        if buf.len() + chunk.len() > MAX_BODY {
            return Err(Unread::TooLarge);
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf)
}

fn root_cause(e: &dyn std::error::Error) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

/// The relay's router (every path answers; the request names its target in a header).
pub fn router(settings: Settings) -> Router {
    let client = reqwest::Client::builder()
        .timeout(settings.timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("the HTTP client builds");
    let relay = Arc::new(Relay { settings, client });
    Router::new().fallback(handle).with_state(relay)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_list_respects_boundaries() {
        let ups = vec![normalize_upstream("https://acme.okta.com/").unwrap()];
        let ok = |t: &str| allowed_target(t, &ups).is_ok();
        assert!(ok("https://acme.okta.com/oauth2/v1/token"));
        assert!(ok("https://acme.okta.com"));
        assert!(ok("https://acme.okta.com/oauth2/v1/token?x=1"));
        assert!(!ok("https://acme.okta.com.evil.net/x"));
        assert!(!ok("https://acme.okta.com@evil.net/x"));
        assert!(!ok("https://user@acme.okta.com/x"));
        assert!(!ok("http://acme.okta.com/x"));
        assert!(!ok("https://acme.okta.com:8443/x"));
        assert!(!ok("https://evil.net/https://acme.okta.com/"));
        assert!(normalize_upstream("acme.okta.com").is_err());
        assert!(normalize_upstream("https://").is_err());
    }

    #[test]
    fn upstreams_are_parsed_as_urls() {
        let ok = |b: &str| normalize_upstream(b).unwrap();
        assert_eq!(ok("HTTPS://Acme.Okta.com:443/"), "https://acme.okta.com");
        assert_eq!(
            ok(" http://127.0.0.1:9/oauth2/ "),
            "http://127.0.0.1:9/oauth2"
        );
        let no_scheme = |b: &str| matches!(normalize_upstream(b), Err(UpstreamError::NoScheme(_)));
        assert!(no_scheme("acme.okta.com"));
        assert!(no_scheme("ftp://acme.okta.com"));
        let not_base = |b: &str| matches!(normalize_upstream(b), Err(UpstreamError::NotBase(_)));
        for b in [
            "https://",
            "https://acme.okta.com/?x=1",
            "https://acme.okta.com/#top",
            "https://user@acme.okta.com",
            "https://user:pw@acme.okta.com",
            "https://acme.okta.com/a b",
            "https://exa mple.com",
        ] {
            assert!(not_base(b), "{b} is not a base URL");
        }
    }

    #[test]
    fn a_base_path_cannot_be_escaped() {
        let ups = vec![normalize_upstream("http://127.0.0.1:9/oauth2").unwrap()];
        let ok = |t: &str| allowed_target(t, &ups).ok().map(|u| u.to_string());
        assert_eq!(
            ok("http://127.0.0.1:9/oauth2/v1/token").as_deref(),
            Some("http://127.0.0.1:9/oauth2/v1/token")
        );
        for escape in [
            "http://127.0.0.1:9/oauth2/../admin",
            "http://127.0.0.1:9/oauth2/%2e%2e/admin",
            "http://127.0.0.1:9/oauth2/.%2e/admin",
            "http://127.0.0.1:9/oauth2/%2E%2E/admin",
            "http://127.0.0.1:9/oauth2/%2e./admin",
            "http://127.0.0.1:9/oauth2/..%2fadmin",
            "http://127.0.0.1:9/oauth2/..%5cadmin",
            "http://127.0.0.1:9/oauth2\\..\\admin",
            "http://127.0.0.1:9/oauth2x",
            "http://127.0.0.1:9/oauth2/v1/token#frag",
            // Inside the base once resolved, but not written the way it is read.
            "http://127.0.0.1:9/oauth2/./v1/../v1/token",
        ] {
            assert_eq!(ok(escape), None, "{escape}");
        }
    }

    #[test]
    fn control_characters_and_white_space_are_refused_not_dropped() {
        let ups = vec![normalize_upstream("https://allowed.example").unwrap()];
        let err = allowed_target("https://allowed.example/pa\tth", &ups).unwrap_err();
        assert_eq!(err, TargetError::Unprintable { ch: '\t', at: 27 });
        assert_eq!(err.status(), StatusCode::BAD_REQUEST);
        let text = err.to_string();
        assert!(
            text.contains("a tab at character 27") && text.contains("%09"),
            "{text}"
        );
        for odd in [
            "https://allowed.example/pa\nth",
            "https://allowed.example/pa\rth",
            "https://allowed.example/pa th",
            "https://allowed.example/path?q=a b",
            " https://allowed.example/path",
            "https://allowed.example/path ",
            "https://allowed.example/path\t",
            "\thttps://allowed.example/path",
            "https://allowed.\nexample/path",
            "https://allowed.example/pa\u{0}th",
            "https://allowed.example/pa\u{7f}th",
            "https://allowed.example/pa\u{a0}th",
            "https://allowed.example/pa\u{2028}th",
            "https://allowed.example/pa\u{3000}th",
        ] {
            assert!(
                matches!(
                    allowed_target(odd, &ups),
                    Err(TargetError::Unprintable { .. })
                ),
                "{odd:?}"
            );
        }
        let nbsp = allowed_target("https://allowed.example/a\u{a0}", &ups).unwrap_err();
        assert!(nbsp.to_string().contains("U+00A0") && nbsp.to_string().contains("%C2%A0"));
    }

    #[test]
    fn a_target_must_be_written_the_way_it_is_read() {
        let ups = vec![normalize_upstream("https://allowed.example").unwrap()];
        for (sent, read) in [
            ("https://ALLOWED.example/x", "https://allowed.example/x"),
            ("HTTPS://allowed.example/x", "https://allowed.example/x"),
            ("https://allowed.example:443/x", "https://allowed.example/x"),
            (
                "https://allowed.example/a/./b",
                "https://allowed.example/a/b",
            ),
            (
                "https://allowed.example/a/%2e/b",
                "https://allowed.example/a/b",
            ),
            (
                "https://allowed.example/a/x/../b",
                "https://allowed.example/a/b",
            ),
            (
                "https://allowed.example/\u{e9}",
                "https://allowed.example/%C3%A9",
            ),
            (
                "https://allowed.example/a\"b",
                "https://allowed.example/a%22b",
            ),
            (
                "https://allowed.example/a<b>",
                "https://allowed.example/a%3Cb%3E",
            ),
            (
                "https://allowed.example/a?q=<b>",
                "https://allowed.example/a?q=%3Cb%3E",
            ),
            ("https:allowed.example/x", "https://allowed.example/x"),
            ("https:///allowed.example/x", "https://allowed.example/x"),
        ] {
            let err = allowed_target(sent, &ups).unwrap_err();
            assert_eq!(
                err,
                TargetError::NotCanonical {
                    sent: sent.into(),
                    canonical: read.into()
                },
                "{sent}"
            );
            assert_eq!(err.status(), StatusCode::BAD_REQUEST);
            assert!(err.to_string().ends_with(&format!("send {read}")), "{err}");
        }
        // The one difference accepted: an empty path is the same request as `/`.
        for (sent, read) in [
            ("https://allowed.example", "https://allowed.example/"),
            ("https://allowed.example/", "https://allowed.example/"),
            (
                "https://allowed.example?x=1",
                "https://allowed.example/?x=1",
            ),
        ] {
            assert_eq!(allowed_target(sent, &ups).unwrap().as_str(), read, "{sent}");
        }
        // A longer path's own trailing slash is kept as sent.
        assert_eq!(
            allowed_target("https://allowed.example/x/", &ups)
                .unwrap()
                .as_str(),
            "https://allowed.example/x/"
        );
        assert!(matches!(
            allowed_target("/oauth2/v1/token", &ups),
            Err(TargetError::NotAUrl(_))
        ));
        assert!(matches!(
            allowed_target("ftp://allowed.example/x", &ups),
            Err(TargetError::NotHttp(s)) if s == "ftp"
        ));
    }

    #[test]
    fn an_at_sign_after_the_path_stays_on_the_allowed_host() {
        let ups = vec![normalize_upstream("https://allowed.example").unwrap()];
        for target in [
            "https://allowed.example/path?@evil.example",
            "https://allowed.example/path?x=@evil.example/",
            "https://allowed.example/p@evil.example",
        ] {
            let url = allowed_target(target, &ups).unwrap();
            assert_eq!(url.host_str(), Some("allowed.example"), "{target}");
            assert_eq!(url.as_str(), target);
        }
        assert!(matches!(
            allowed_target("https://allowed.example@evil.example/path", &ups),
            Err(TargetError::NotAllowed(_))
        ));
        assert_eq!(
            allowed_target("https://me@allowed.example/path", &ups),
            Err(TargetError::UserInfo)
        );
    }

    #[test]
    fn encoded_slashes_are_refused_in_the_path_only() {
        let ups = vec![normalize_upstream("https://allowed.example/oauth2").unwrap()];
        let target = "https://allowed.example/oauth2/v1/logout?post_logout_redirect_uri=https%3A%2F%2Fapp.example%2Fcb&x=a%5Cb";
        assert_eq!(allowed_target(target, &ups).unwrap().as_str(), target);
        for escape in [
            "https://allowed.example/oauth2/..%2Fadmin?x=1",
            "https://allowed.example/oauth2/..%5cadmin?x=%2F",
        ] {
            assert_eq!(
                allowed_target(escape, &ups),
                Err(TargetError::EncodedSeparator),
                "{escape}"
            );
        }
    }

    #[test]
    fn keys_are_fresh_matched_exactly_and_never_printed() {
        assert_ne!(random_key(), random_key());
        let key = random_key();
        let settings = Settings {
            upstreams: vec![],
            origins: vec![],
            key: Secret::new(key.clone()),
            timeout: Duration::from_secs(1),
        };
        assert!(settings.key.matches(&key) && !settings.key.matches(&key[1..]));
        assert!(!format!("{settings:?}").contains(&key));
    }
}
