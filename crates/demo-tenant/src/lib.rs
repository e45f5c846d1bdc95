//! The demo tenant's native server: the tenant core (`tenant-core`) over HTTP with axum, CORS
//! for the app's origins, bounded connections, bodies and time; and the built app, served
//! precompressed with cache headers and security headers.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue, Method, Response as HttpResponse, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use protocol_wire::keys::KeyError;
use protocol_wire::native::NativeKey;
use tenant_core::{Keys, MemoryStore, Platform, Tenant};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;

/// The tenant as the native server runs it.
pub type NativeTenant = Tenant<MemoryStore>;

/// Largest request body accepted.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Longest time to receive a body.
pub const BODY_TIME: Duration = Duration::from_secs(15);

/// The clock and random source of the native server.
pub struct NativePlatform;

impl Platform for NativePlatform {
    fn now(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
    }

    fn fill_random(&self, buf: &mut [u8]) {
        rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, buf);
    }
}

/// RSA signing keys for every server of `config` (Okta signs with RS256).
pub fn rsa_keys(config: &tenant_core::Config) -> Result<Keys, KeyError> {
    Keys::generate(config, |_| NativeKey::generate_rsa())
}

/// The tenant's router: every path goes to the core.
pub fn router(t: Arc<NativeTenant>) -> Router {
    let cors_on = t.config.cors;
    let layer = cors(&t.config.cors_origins);
    let r = Router::new()
        .fallback(move |req: Request| handle(t.clone(), req))
        .layer(middleware::from_fn(log_requests))
        .layer(middleware::map_response(|mut res: Response| async move {
            res.headers_mut()
                .insert("x-demo-tenant", HeaderValue::from_static("1"));
            res
        }));
    if cors_on {
        r.layer(layer)
    } else {
        r
    }
}

async fn handle(t: Arc<NativeTenant>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let body = match bounded_server::read_body(body, MAX_BODY_BYTES, BODY_TIME).await {
        Ok(b) => b,
        Err(e) => {
            let status = match e {
                bounded_server::BodyError::TooLarge(_) => 413,
                bounded_server::BodyError::TimedOut(_) => 408,
                bounded_server::BodyError::Broken => 400,
            };
            return to_http(
                tenant_core::http::Response::json(
                    status,
                    &serde_json::json!({ "error": "invalid_request", "error_description": e.to_string() }),
                )
                .secured(),
            );
        }
    };
    let core = tenant_core::Request {
        method: parts.method.as_str().to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().unwrap_or_default().to_string(),
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: body.to_vec(),
    };
    to_http(t.handle(&core, &NativePlatform))
}

fn to_http(r: tenant_core::Response) -> Response {
    let mut res = HttpResponse::new(Body::from(r.body));
    *res.status_mut() = StatusCode::from_u16(r.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (k, v) in r.headers {
        if let (Ok(k), Ok(v)) = (HeaderName::try_from(k), HeaderValue::from_str(&v)) {
            res.headers_mut().append(k, v);
        }
    }
    res
}

/// Logs method, path, status and timing; never bodies, queries, secrets or tokens.
async fn log_requests(req: Request, next: Next) -> Response {
    let (method, path) = (req.method().clone(), req.uri().path().to_string());
    let started = Instant::now();
    let res = next.run(req).await;
    eprintln!(
        "{method} {path} -> {} ({} ms)",
        res.status().as_u16(),
        started.elapsed().as_millis()
    );
    res
}

fn cors(origins: &[String]) -> CorsLayer {
    let origins: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o.trim_end_matches('/')).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            HeaderName::from_static("mcp-protocol-version"),
        ])
        .expose_headers([
            header::WWW_AUTHENTICATE,
            header::ALLOW,
            header::DATE,
            HeaderName::from_static("x-demo-tenant"),
        ])
        .max_age(Duration::from_secs(600))
}

/// The Content-Security-Policy of the app's pages, as a header: what `index.html` says, plus
/// what only a header can say (no framing).
pub const APP_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self' http: https:; worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Whether a built file's name carries Trunk's content hash (`main-1a2b3c4d5e6f7a8b.css`).
pub fn is_hashed(file: &str) -> bool {
    let stem = file.split('.').next().unwrap_or(file);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, h)| {
        (8..=16).contains(&h.len()) && h.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

async fn asset_headers(req: Request, next: Next) -> Response {
    let file = req
        .uri()
        .path()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let mut res = next.run(req).await;
    let ok = res.status().is_success();
    let h = res.headers_mut();
    let cache = if ok && is_hashed(&file) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(APP_CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    res
}

/// Serves the built app (`dist/`): assets precompressed (`.br`, `.gz`) by `Accept-Encoding`,
/// hashed ones cached for a year, the rest revalidated. The page learns the tenant's URL
/// from a `<meta name="atp-demo-org">` tag, so its demo preset follows `--port`.
pub fn app_router(dist: &Path, org_url: &str) -> Router {
    let index = std::fs::read_to_string(dist.join("index.html")).unwrap_or_default();
    let meta = format!(
        "<meta name=\"atp-demo-org\" content=\"{}\">",
        org_url.replace(['"', '<', '>'], "")
    );
    let index = Arc::new(index.replacen("<head>", &format!("<head>\n  {meta}"), 1));
    let page = move || {
        let index = index.clone();
        async move {
            (
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                (*index).clone(),
            )
                .into_response()
        }
    };
    Router::new()
        .route("/", get(page.clone()))
        .route("/index.html", get(page))
        .fallback_service(ServeDir::new(dist).precompressed_br().precompressed_gzip())
        .layer(middleware::from_fn(asset_headers))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names() {
        assert!(is_hashed("main-1a2b3c4d5e6f7a8b.css"));
        assert!(is_hashed("agent-token-playground-9f8e7d6c5b4a3921_bg.wasm"));
        assert!(is_hashed("agent-token-playground-9f8e7d6c5b4a3921.js"));
        assert!(!is_hashed("boot.js"));
        assert!(!is_hashed("sw.js"));
        assert!(!is_hashed("demo-worker_bg.wasm"));
        assert!(!is_hashed("index.html"));
    }
}
