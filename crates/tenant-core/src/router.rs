//! Which handler answers a path: the org server (`/oauth2/v1/...`), custom servers
//! (`/oauth2/{id}/v1/...`), PingOne realms (`/am/oauth2/realms/root/realms/{realm}/...`),
//! discovery documents, and the resource APIs.

use serde_json::json;

use crate::error::{method_not_allowed, OAuthError};
use crate::form::Form;
use crate::http::{Request, Response};
use crate::{authorize, endpoints, grants, resources, Cx};

/// Routes one request.
pub fn route(cx: &Cx, req: &Request) -> Response {
    let path = req.path.as_str();
    let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match segs.as_slice() {
        [".well-known", "openid-configuration" | "oauth-authorization-server"] => {
            get_json(req, || Ok(endpoints::metadata(cx, None)))
        }
        [".well-known", "oauth-authorization-server", "oauth2", id] => custom_metadata(cx, req, id),
        [".well-known", "oauth-protected-resource", ..] => {
            let api_path = &path[".well-known/oauth-protected-resource".len() + 1..];
            get_json(req, || {
                endpoints::protected_resource(cx, api_path).ok_or_else(|| {
                    OAuthError::not_found(format!("No protected resource at {api_path}."))
                })
            })
        }
        ["oauth2", "v1", ep] => endpoint(cx, req, None, ep),
        ["oauth2", id, "v1", ep] => match known(cx, id, false) {
            Ok(()) => endpoint(cx, req, Some(id), ep),
            Err(r) => r,
        },
        ["oauth2", id, ".well-known", "oauth-authorization-server" | "openid-configuration"] => {
            custom_metadata(cx, req, id)
        }
        ["am", "oauth2", "realms", "root", "realms", realm, rest @ ..] => {
            match known(cx, realm, true) {
                Err(r) => r,
                Ok(()) => match rest {
                    [".well-known", "openid-configuration"] => {
                        get_json(req, || Ok(endpoints::metadata(cx, Some(realm))))
                    }
                    ["connect", "jwk_uri"] => endpoint(cx, req, Some(realm), "keys"),
                    ["token", "revoke"] => endpoint(cx, req, Some(realm), "revoke"),
                    ["access_token"] => endpoint(cx, req, Some(realm), "token"),
                    [ep] => endpoint(cx, req, Some(realm), ep),
                    _ => not_found(),
                },
            }
        }
        ["_demo", "requests"] => match cx.recorded() {
            Some(r) => Response::json(200, &json!(r)),
            None => {
                OAuthError::not_found("Request recording is off (start with --record-requests).")
                    .response()
            }
        },
        _ => match resources::api_for(cx, path) {
            Some(api) => resources::answer(cx, api, req, path),
            None => not_found(),
        },
    }
}

fn not_found() -> Response {
    OAuthError::not_found("No such endpoint on the demo tenant.").response()
}

fn known(cx: &Cx, id: &str, realm: bool) -> Result<(), Response> {
    if cx.config.server(id).is_some() && cx.config.is_realm(Some(id)) == realm {
        Ok(())
    } else {
        Err(OAuthError::not_found(format!(
            "There is no authorization server {id:?} in this org."
        ))
        .response())
    }
}

fn custom_metadata(cx: &Cx, req: &Request, id: &str) -> Response {
    match known(cx, id, false) {
        Ok(()) => get_json(req, || Ok(endpoints::metadata(cx, Some(id)))),
        Err(r) => r,
    }
}

fn json_result(r: Result<serde_json::Value, OAuthError>) -> Response {
    match r {
        Ok(v) => Response::json(200, &v),
        Err(e) => e.response(),
    }
}

fn get_json(req: &Request, f: impl FnOnce() -> Result<serde_json::Value, OAuthError>) -> Response {
    if req.method != "GET" && req.method != "HEAD" {
        return method_not_allowed("GET");
    }
    json_result(f())
}

/// The body as a form, if the request is one.
fn form_body(req: &Request) -> Result<Form, OAuthError> {
    let ct = req.header("content-type").unwrap_or("");
    if !ct.starts_with("application/x-www-form-urlencoded") {
        return Err(OAuthError::invalid_request(format!(
            "Content-Type must be application/x-www-form-urlencoded (got {:?}).",
            if ct.is_empty() { "none" } else { ct }
        )));
    }
    let text = std::str::from_utf8(&req.body)
        .map_err(|_| OAuthError::invalid_request("The request body is not UTF-8."))?;
    Form::parse(text)
}

fn endpoint(cx: &Cx, req: &Request, server: Option<&str>, ep: &str) -> Response {
    let post = req.method == "POST";
    let get = req.method == "GET" || req.method == "HEAD";
    match ep {
        "authorize" if get => authorize::show(cx, server, &req.query),
        "authorize" if post => match std::str::from_utf8(&req.body) {
            Ok(body) => authorize::submit(cx, server, body),
            Err(_) => OAuthError::invalid_request("The request body is not UTF-8.").response(),
        },
        "authorize" => method_not_allowed("GET, POST"),
        "token" | "introspect" | "revoke" if !post => method_not_allowed("POST"),
        "token" => json_result(form_body(req).and_then(|form| {
            cx.record(&req.path, &form.0, req.header("authorization").is_some());
            grants::token(cx, server, req, &form)
        })),
        "introspect" => json_result(
            form_body(req).and_then(|form| endpoints::introspect(cx, server, req, &form)),
        ),
        "revoke" => match form_body(req).and_then(|form| endpoints::revoke(cx, server, req, &form))
        {
            Ok(()) => Response::empty(200),
            Err(e) => e.response(),
        },
        "keys" | "userinfo" | "tokeninfo" if !get => method_not_allowed("GET"),
        "keys" => Response::json(200, &cx.jwks(server)).with_header("cache-control", "max-age=60"),
        "userinfo" => json_result(endpoints::userinfo(cx, server, req)),
        "tokeninfo" if cx.config.is_realm(server) => {
            json_result(endpoints::tokeninfo(cx, server.unwrap_or_default(), req))
        }
        _ => OAuthError::not_found(format!("No endpoint {ep} here.")).response(),
    }
}
