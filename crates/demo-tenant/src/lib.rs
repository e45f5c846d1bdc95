//! The demo tenant: a real OAuth authorization server shaped like an Okta org (org and
//! custom authorization servers, a resource API), for click-through demos and tests.

// Handlers return the HTTP response itself as the error value; boxing it gains nothing.
#![allow(clippy::result_large_err)]

pub mod authorize;
pub mod client_auth;
pub mod config;
pub mod endpoints;
pub mod error;
pub mod form;
pub mod grants;
pub mod state;

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Path, RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;

use crate::error::OAuthError;
use crate::form::Form;
use crate::state::{Recorded, Tenant};

/// Largest request body accepted.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

type Shared = State<Arc<Tenant>>;

fn json_response(r: Result<serde_json::Value, OAuthError>) -> Response {
    match r {
        Ok(v) => {
            let mut res = Json(v).into_response();
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            res
        }
        Err(e) => e.into_response(),
    }
}

fn require_form(headers: &HeaderMap) -> Result<(), OAuthError> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if ct.starts_with("application/x-www-form-urlencoded") {
        Ok(())
    } else {
        Err(OAuthError::invalid_request(format!(
            "Content-Type must be application/x-www-form-urlencoded (got {:?}).",
            if ct.is_empty() { "none" } else { ct }
        )))
    }
}

fn post_endpoint(
    t: &Tenant,
    server: Option<&str>,
    endpoint: &str,
    headers: &HeaderMap,
    body: &str,
    path: &str,
) -> Response {
    if let Err(e) = require_form(headers) {
        return e.into_response();
    }
    let form = Form::parse(body);
    match endpoint {
        "token" => {
            if t.record_requests {
                let mut rec = t.recorded.lock().unwrap();
                if rec.len() >= 50 {
                    rec.pop_front();
                }
                rec.push_back(Recorded {
                    path: path.into(),
                    form: form.0.clone(),
                    authorization: headers.contains_key("authorization"),
                });
            }
            json_response(grants::token(t, server, headers, &form))
        }
        "introspect" => json_response(endpoints::introspect(t, server, headers, &form)),
        "revoke" => match endpoints::revoke(t, server, headers, &form) {
            Ok(()) => StatusCode::OK.into_response(),
            Err(e) => e.into_response(),
        },
        "authorize" => authorize::submit(t, server, body),
        _ => OAuthError::not_found(format!("No endpoint {endpoint}.")).into_response(),
    }
}

fn get_endpoint(
    t: &Tenant,
    server: Option<&str>,
    endpoint: &str,
    headers: &HeaderMap,
    query: &str,
) -> Response {
    match endpoint {
        "authorize" => authorize::page(t, server, query),
        "keys" => Json(t.jwks(server)).into_response(),
        "userinfo" => json_response(endpoints::userinfo(t, server, headers)),
        "tokeninfo" if t.config.is_realm(server) => json_response(endpoints::tokeninfo(
            t,
            server.unwrap_or_default(),
            headers,
            query,
        )),
        _ => OAuthError::not_found(format!("No endpoint {endpoint} (or wrong method)."))
            .into_response(),
    }
}

fn known_server(t: &Tenant, id: &str, realm: bool) -> Result<(), Response> {
    if t.config.server(id).is_some() && t.config.is_realm(Some(id)) == realm {
        Ok(())
    } else {
        Err(OAuthError::not_found(format!(
            "There is no authorization server {id:?} in this org."
        ))
        .into_response())
    }
}

async fn org_get(
    State(t): Shared,
    Path(ep): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    get_endpoint(&t, None, &ep, &headers, &q.unwrap_or_default())
}

async fn org_post(
    State(t): Shared,
    Path(ep): Path<String>,
    headers: HeaderMap,
    req: Request,
) -> Response {
    let path = req.uri().path().to_string();
    let body = read_body(req).await;
    match body {
        Ok(b) => post_endpoint(&t, None, &ep, &headers, &b, &path),
        Err(r) => r,
    }
}

async fn custom_get(
    State(t): Shared,
    Path((srv, ep)): Path<(String, String)>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    if let Err(r) = known_server(&t, &srv, false) {
        return r;
    }
    get_endpoint(&t, Some(&srv), &ep, &headers, &q.unwrap_or_default())
}

async fn custom_post(
    State(t): Shared,
    Path((srv, ep)): Path<(String, String)>,
    headers: HeaderMap,
    req: Request,
) -> Response {
    if let Err(r) = known_server(&t, &srv, false) {
        return r;
    }
    let path = req.uri().path().to_string();
    match read_body(req).await {
        Ok(b) => post_endpoint(&t, Some(&srv), &ep, &headers, &b, &path),
        Err(r) => r,
    }
}

async fn read_body(req: Request) -> Result<String, Response> {
    let bytes = axum::body::to_bytes(req.into_body(), MAX_BODY_BYTES)
        .await
        .map_err(|_| {
            OAuthError::invalid_request(format!(
                "The request body is larger than {MAX_BODY_BYTES} bytes."
            ))
            .into_response()
        })?;
    String::from_utf8(bytes.to_vec())
        .map_err(|_| OAuthError::invalid_request("The request body is not UTF-8.").into_response())
}

/// PingOne realm endpoint names mapped to the tenant's (`access_token` is the token endpoint).
fn realm_endpoint(ep: &str) -> &str {
    match ep {
        "access_token" => "token",
        other => other,
    }
}

async fn realm_get(
    State(t): Shared,
    Path((realm, ep)): Path<(String, String)>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    if let Err(r) = known_server(&t, &realm, true) {
        return r;
    }
    get_endpoint(
        &t,
        Some(&realm),
        realm_endpoint(&ep),
        &headers,
        &q.unwrap_or_default(),
    )
}

async fn realm_post(
    State(t): Shared,
    Path((realm, ep)): Path<(String, String)>,
    headers: HeaderMap,
    req: Request,
) -> Response {
    if let Err(r) = known_server(&t, &realm, true) {
        return r;
    }
    let path = req.uri().path().to_string();
    match read_body(req).await {
        Ok(b) => post_endpoint(&t, Some(&realm), realm_endpoint(&ep), &headers, &b, &path),
        Err(r) => r,
    }
}

async fn realm_keys(State(t): Shared, Path(realm): Path<String>) -> Response {
    if let Err(r) = known_server(&t, &realm, true) {
        return r;
    }
    Json(t.jwks(Some(&realm))).into_response()
}

async fn realm_metadata(State(t): Shared, Path(realm): Path<String>) -> Response {
    if let Err(r) = known_server(&t, &realm, true) {
        return r;
    }
    json_response(Ok(endpoints::metadata(&t, Some(&realm))))
}

async fn org_metadata(State(t): Shared) -> Response {
    json_response(Ok(endpoints::metadata(&t, None)))
}

async fn custom_metadata(State(t): Shared, Path((srv, doc)): Path<(String, String)>) -> Response {
    if let Err(r) = known_server(&t, &srv, false) {
        return r;
    }
    match doc.as_str() {
        "openid-configuration" | "oauth-authorization-server" => {
            json_response(Ok(endpoints::metadata(&t, Some(&srv))))
        }
        _ => OAuthError::not_found("Unknown metadata document.").into_response(),
    }
}

async fn resource_api(
    State(t): Shared,
    Path((name, rest)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    json_response(endpoints::resource_api(
        &t,
        &headers,
        &name,
        &format!("/api/{name}/{rest}"),
    ))
}

async fn recorded(State(t): Shared) -> Response {
    if !t.record_requests {
        return OAuthError::not_found("Request recording is off (start with --record-requests).")
            .into_response();
    }
    Json(
        t.recorded
            .lock()
            .unwrap()
            .iter()
            .cloned()
            .collect::<Vec<_>>(),
    )
    .into_response()
}

async fn not_found() -> Response {
    OAuthError::not_found("No such endpoint on the demo tenant.").into_response()
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

fn cors(t: &Tenant) -> CorsLayer {
    let origins: Vec<HeaderValue> = t
        .config
        .cors_origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o.trim_end_matches('/')).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT])
        .expose_headers([
            header::WWW_AUTHENTICATE,
            header::DATE,
            HeaderName::from_static("x-demo-tenant"),
        ])
        .max_age(std::time::Duration::from_secs(600))
}

/// The tenant's router: org server, custom servers, discovery, the resource API.
pub fn router(t: Arc<Tenant>) -> Router {
    let cors_on = t.config.cors;
    let layer = cors(&t);
    let r = Router::new()
        .route("/.well-known/openid-configuration", get(org_metadata))
        .route("/.well-known/oauth-authorization-server", get(org_metadata))
        .route("/oauth2/v1/{endpoint}", get(org_get).post(org_post))
        .route(
            "/oauth2/{server}/v1/{endpoint}",
            get(custom_get).post(custom_post),
        )
        .route("/oauth2/{server}/.well-known/{doc}", get(custom_metadata))
        .route(
            "/am/oauth2/realms/root/realms/{realm}/{endpoint}",
            get(realm_get).post(realm_post),
        )
        .route(
            "/am/oauth2/realms/root/realms/{realm}/connect/jwk_uri",
            get(realm_keys),
        )
        .route(
            "/am/oauth2/realms/root/realms/{realm}/.well-known/openid-configuration",
            get(realm_metadata),
        )
        .route("/api/{api}/{*rest}", get(resource_api))
        .route("/_demo/requests", get(recorded))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(log_requests))
        .layer(middleware::map_response(
            |mut res: Response<Body>| async move {
                res.headers_mut()
                    .insert("x-demo-tenant", HeaderValue::from_static("1"));
                res
            },
        ))
        .with_state(t);
    if cors_on {
        r.layer(layer)
    } else {
        r
    }
}

/// Serves the built app (`dist/`), with index.html for unknown paths. The page learns the
/// tenant's URL from a `<meta name="atp-demo-org">` tag, so its demo preset follows `--port`.
pub fn app_router(dist: &std::path::Path, org_url: &str) -> Router {
    let index = std::fs::read_to_string(dist.join("index.html")).unwrap_or_default();
    let meta = format!(
        "<meta name=\"atp-demo-org\" content=\"{}\">",
        org_url.replace('"', "")
    );
    let index = Arc::new(index.replacen("<head>", &format!("<head>\n  {meta}"), 1));
    let page = move || {
        let index = index.clone();
        async move {
            (
                [
                    (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                    (header::CACHE_CONTROL, "no-cache"),
                ],
                (*index).clone(),
            )
        }
    };
    Router::new()
        .route("/", get(page.clone()))
        .route("/index.html", get(page.clone()))
        .fallback_service(ServeDir::new(dist).fallback(get(page)))
}
