//! Sends a protocol request with fetch and captures everything the page may see: status,
//! readable headers, body, timing; or a typed failure that tells CORS from a dead server, a
//! timeout, a redirect and a relay that is not running.

use js_sys::{Array, Promise};
use protocol::engine::{Exchange, Route};
use protocol::request::{validate_url, HttpRequest};
use protocol::response::HttpCapture;
use protocol::transport::TransportFailure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortSignal, Headers, Request, RequestCache, RequestCredentials, RequestInit, RequestMode,
    RequestRedirect, Response, ResponseType,
};

use super::{js_error, origin, perf_now, window};

/// How long the app waits for an answer.
pub const TIMEOUT_SECS: u32 = 30;

fn build(req: &HttpRequest, no_cors_probe: bool) -> Result<Request, JsValue> {
    let init = RequestInit::new();
    init.set_credentials(RequestCredentials::Omit);
    init.set_cache(RequestCache::NoStore);
    init.set_signal(Some(&AbortSignal::timeout_with_u32(TIMEOUT_SECS * 1000)));
    if no_cors_probe {
        init.set_method("GET");
        init.set_mode(RequestMode::NoCors);
        return Request::new_with_str_and_init(&req.url, &init);
    }
    init.set_method(req.method.as_str());
    init.set_mode(RequestMode::Cors);
    // A token endpoint that redirects is reported, never followed.
    init.set_redirect(RequestRedirect::Manual);
    let headers = Headers::new()?;
    for h in &req.headers {
        headers.append(&h.name, &h.value)?;
    }
    init.set_headers(&headers);
    if let Some(body) = req.body() {
        init.set_body(&JsValue::from_str(&body));
    }
    Request::new_with_str_and_init(&req.full_url(), &init)
}

async fn fetch(request: &Request) -> Result<Response, JsValue> {
    let promise: Promise = window().fetch_with_request(request);
    Ok(JsFuture::from(promise).await?.unchecked_into())
}

async fn capture(res: Response) -> Result<HttpCapture, JsValue> {
    let mut headers = Vec::new();
    if let Some(iter) = js_sys::try_iter(&res.headers())? {
        for pair in iter {
            let pair: Array = pair?.unchecked_into();
            headers.push((
                pair.get(0).as_string().unwrap_or_default(),
                pair.get(1).as_string().unwrap_or_default(),
            ));
        }
    }
    let body = JsFuture::from(res.text()?)
        .await?
        .as_string()
        .unwrap_or_default();
    Ok(HttpCapture {
        status: res.status(),
        headers,
        body,
    })
}

/// Sends the request along `route`. A `TypeError` from fetch is re-probed with `no-cors`: if
/// the server answers that, it is reachable and the failure was CORS; if not, it is a network
/// failure (or, through the relay, a relay that is not running).
pub async fn send(req: &HttpRequest, route: &Route) -> Exchange {
    let at = protocol::timefmt::utc(super::now_secs());
    let started = perf_now();
    let via = route.relay().map(String::from);
    let result = match route.addressed(req) {
        Err(refused) => Err(refused),
        Ok(addressed) => send_inner(&addressed, route.relay()).await,
    };
    Exchange {
        at,
        request: req.clone(),
        result,
        ms: (perf_now() - started).max(0.0) as u32,
        via,
    }
}

async fn send_inner(
    req: &HttpRequest,
    relay: Option<&str>,
) -> Result<HttpCapture, TransportFailure> {
    validate_url(&req.url).map_err(|e| TransportFailure::Invalid {
        detail: e.to_string(),
    })?;
    let request = build(req, false).map_err(|e| TransportFailure::Invalid {
        detail: format!("The browser cannot build this request: {}", js_error(&e)),
    })?;
    match fetch(&request).await {
        Ok(res) if res.type_() == ResponseType::Opaqueredirect => {
            Err(TransportFailure::Redirected {
                url: req.url.clone(),
            })
        }
        Ok(res) => capture(res).await.map_err(|e| TransportFailure::Network {
            url: req.url.clone(),
            detail: js_error(&e),
        }),
        Err(e) => {
            let detail = js_error(&e);
            if detail.contains("TimeoutError") {
                return Err(TransportFailure::Timeout {
                    url: req.url.clone(),
                    secs: TIMEOUT_SECS,
                });
            }
            let reachable = match build(req, true) {
                Ok(probe) => fetch(&probe).await.is_ok(),
                Err(_) => false,
            };
            match (reachable, relay) {
                (false, Some(relay)) => Err(TransportFailure::RelayDown {
                    relay: relay.into(),
                }),
                (true, _) => Err(TransportFailure::Cors {
                    url: req.url.clone(),
                    origin: origin(),
                }),
                (false, None) => Err(TransportFailure::Network {
                    url: req.url.clone(),
                    detail,
                }),
            }
        }
    }
}
