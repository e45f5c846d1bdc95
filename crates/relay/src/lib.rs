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
use serde_json::json;

/// Header carrying the per-run key.
pub const KEY_HEADER: &str = "x-relay-key";
/// Header carrying the upstream URL the request is for.
pub const TARGET_HEADER: &str = "x-relay-target";
/// Largest request or response body relayed.
pub const MAX_BODY: usize = 256 * 1024;
/// Time allowed for a request body to arrive.
pub const BODY_TIME: Duration = Duration::from_secs(10);

/// What the relay allows.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Upstream bases (`https://acme.okta.com`); a target must equal one or lie below it.
    pub upstreams: Vec<String>,
    /// Browser origins allowed to call the relay (the app's origins).
    pub origins: Vec<String>,
    /// The per-run key.
    pub key: String,
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

/// Normalises an upstream base: scheme and host required, no trailing slash, no query.
pub fn normalize_upstream(base: &str) -> Result<String, String> {
    let b = base.trim().trim_end_matches('/');
    let rest = b
        .strip_prefix("https://")
        .or_else(|| b.strip_prefix("http://"))
        .ok_or_else(|| format!("upstream {base:?} must start with https:// or http://"))?;
    if rest.is_empty() || rest.starts_with('/') || b.contains(['?', '#', ' ', '@']) {
        return Err(format!(
            "upstream {base:?} must be a base URL such as https://acme.okta.com"
        ));
    }
    Ok(b.to_string())
}

/// Resolves `target` the way a URL parser does (dot segments including `%2e` forms, case of
/// scheme and host, default ports) and returns it only if it is an allowed upstream base or
/// lies below one, on a path-segment boundary. Encoded slashes and backslashes, user info and
/// fragments are refused: an upstream that decodes them could be led out of its base path.
pub fn allowed_target(target: &str, upstreams: &[String]) -> Option<reqwest::Url> {
    let lower = target.to_ascii_lowercase();
    if target.contains(['\r', '\n', ' ', '\\', '#'])
        || lower.contains("%2f")
        || lower.contains("%5c")
    {
        return None;
    }
    let url = reqwest::Url::parse(target).ok()?;
    if !matches!(url.scheme(), "http" | "https")
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return None;
    }
    let allowed = upstreams.iter().any(|u| {
        let Ok(base) = reqwest::Url::parse(u) else {
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
    allowed.then_some(url)
}

fn eq_constant_time(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
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
            HeaderValue::from_static("www-authenticate, x-relay"),
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
        HeaderValue::from_static("GET, POST"),
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
        Some(k) if !eq_constant_time(k.as_bytes(), s.key.as_bytes()) => {
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
    let Some(target) = req
        .headers()
        .get(TARGET_HEADER)
        .and_then(|t| t.to_str().ok())
        .map(String::from)
    else {
        return error(
            StatusCode::BAD_REQUEST,
            "relay_target_required",
            format!("Name the upstream URL in the {TARGET_HEADER} header."),
        );
    };
    let Some(target) = allowed_target(&target, &s.upstreams) else {
        eprintln!("refused: target outside the allow-list");
        return error(StatusCode::FORBIDDEN, "target_not_allowed", format!(
            "This relay forwards only to {}; it is not an open proxy. Restart it with --upstream for another server.",
            s.upstreams.join(", ")
        ));
    };
    let method = req.method().clone();
    if method != Method::GET && method != Method::POST {
        return error(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "Only GET and POST are relayed.".into(),
        );
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
                Err(e) => error(StatusCode::BAD_GATEWAY, "relay_upstream_body", e),
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

async fn read_limited(mut up: reqwest::Response) -> Result<Vec<u8>, String> {
    let mut buf = Vec::new();
    while let Some(chunk) = up
        .chunk()
        .await
        .map_err(|e| format!("reading the upstream answer failed: {}", root_cause(&e)))?
    {
        if buf.len() + chunk.len() > MAX_BODY {
            return Err(format!(
                "the upstream answer is larger than {MAX_BODY} bytes"
            ));
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
        let ok = |t: &str| allowed_target(t, &ups).is_some();
        assert!(ok("https://acme.okta.com/oauth2/v1/token"));
        assert!(ok("https://acme.okta.com"));
        assert!(ok("https://ACME.okta.com:443/oauth2/v1/token?x=1"));
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
    fn a_base_path_cannot_be_escaped() {
        let ups = vec![normalize_upstream("http://127.0.0.1:9/oauth2").unwrap()];
        let ok = |t: &str| allowed_target(t, &ups).map(|u| u.to_string());
        assert_eq!(
            ok("http://127.0.0.1:9/oauth2/v1/token").as_deref(),
            Some("http://127.0.0.1:9/oauth2/v1/token")
        );
        assert_eq!(
            ok("http://127.0.0.1:9/oauth2/./v1/../v1/token").as_deref(),
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
        ] {
            assert_eq!(ok(escape), None, "{escape}");
        }
    }

    #[test]
    fn keys_compare() {
        assert!(eq_constant_time(b"abc", b"abc"));
        assert!(!eq_constant_time(b"abc", b"abd"));
        assert!(!eq_constant_time(b"abc", b"ab"));
        assert_ne!(random_key(), random_key());
    }
}
