//! Sends a protocol request with fetch and captures everything the page may see: status,
//! readable headers, body, timing; or a typed failure that tells CORS from a dead server.

use js_sys::{Array, Promise};
use protocol::request::{validate_url, HttpRequest};
use protocol::response::HttpCapture;
use protocol::transport::TransportFailure;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Headers, Request, RequestCache, RequestCredentials, RequestInit, RequestMode, Response,
};

use super::{js_error, origin, perf_now, window};

/// One request and what came of it, for the step log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Exchange {
    /// When it was sent (UTC).
    pub at: String,
    /// The request exactly as sent.
    pub request: HttpRequest,
    /// The response, or why there is none.
    pub result: Result<HttpCapture, TransportFailure>,
    /// Duration in milliseconds (includes a CORS preflight).
    pub ms: f64,
    /// The relay it went through, if any (the request shown is the one the relay forwarded).
    pub via: Option<String>,
}

fn build(req: &HttpRequest, no_cors_probe: bool) -> Result<Request, JsValue> {
    let init = RequestInit::new();
    init.set_credentials(RequestCredentials::Omit);
    init.set_cache(RequestCache::NoStore);
    if no_cors_probe {
        init.set_method("GET");
        init.set_mode(RequestMode::NoCors);
        return Request::new_with_str_and_init(&req.url, &init);
    }
    init.set_method(req.method.as_str());
    init.set_mode(RequestMode::Cors);
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

/// Sends the request, directly or through the local relay (`relay` = URL and key). A
/// `TypeError` from fetch is re-probed with `no-cors`: if the server answers that, it is
/// reachable and the failure was CORS; if not, it is a network failure.
pub async fn send(req: &HttpRequest, relay: Option<(String, String)>) -> Exchange {
    let at = protocol::timefmt::utc(super::now_secs());
    let started = perf_now();
    let result = match &relay {
        None => send_inner(req).await,
        Some((_, key)) if key.is_empty() => Err(TransportFailure::Invalid {
            detail: "This server is set to go through the relay, but no relay key is set: start the relay and paste the key it prints (Configuration → Relay).".into(),
        }),
        Some((url, key)) => send_inner(&protocol::request::via_relay(req, url, key)).await,
    };
    Exchange {
        at,
        request: req.clone(),
        result,
        ms: perf_now() - started,
        via: relay.map(|(url, _)| url),
    }
}

async fn send_inner(req: &HttpRequest) -> Result<HttpCapture, TransportFailure> {
    validate_url(&req.url).map_err(|detail| TransportFailure::Invalid { detail })?;
    let request = build(req, false).map_err(|e| TransportFailure::Invalid {
        detail: format!("The browser cannot build this request: {}", js_error(&e)),
    })?;
    match fetch(&request).await {
        Ok(res) => capture(res).await.map_err(|e| TransportFailure::Network {
            url: req.url.clone(),
            detail: js_error(&e),
        }),
        Err(e) => {
            let detail = js_error(&e);
            let reachable = match build(req, true) {
                Ok(probe) => fetch(&probe).await.is_ok(),
                Err(_) => false,
            };
            if reachable {
                Err(TransportFailure::Cors {
                    url: req.url.clone(),
                    origin: origin(),
                })
            } else {
                Err(TransportFailure::Network {
                    url: req.url.clone(),
                    detail,
                })
            }
        }
    }
}
