//! The authorize endpoint: a small sign-in page with a user picker (no password, no
//! consent), requiring PKCE S256 and an exactly registered redirect URI. The page carries a
//! CSP that allows its own style only, forbids framing, and lets its form go only to the
//! tenant and to the redirect URI's origin.

use protocol_wire::encoding::form_encode;
use sha2::{Digest, Sha256};

use crate::form::Form;
use crate::grants::remember_code;
use crate::http::Response;
use crate::store::PendingCode;
use crate::Cx;

const ORG_SCOPES: &[&str] = &["openid", "profile", "email", "offline_access"];

use protocol_wire::text::escape_html as esc;

const STYLE: &str = "body{font-family:system-ui,sans-serif;background:#f4f6fb;color:#1c2333;margin:0}\
main{max-width:420px;margin:8vh auto;background:#fff;padding:2rem;border-radius:12px;box-shadow:0 4px 24px #0002}\
h1{font-size:1.3rem}button{display:block;width:100%;margin:.5rem 0;padding:.8rem;border-radius:8px;border:1px solid #2f49c4;\
background:#2f49c4;color:#fff;font-size:1rem;cursor:pointer}button.secondary{background:#fff;color:#2f49c4}\
button:focus-visible{outline:3px solid #ffb300;outline-offset:2px}\
.muted{color:#4f5868;font-size:.9rem}code{background:#eef1f8;padding:0 .3em;border-radius:4px;word-break:break-word}\
@media (prefers-color-scheme:dark){body{background:#11151f;color:#e6e9f2}main{background:#1b2130}code{background:#283047}.muted{color:#aab3c5}\
button{background:#8fa3ff;border-color:#8fa3ff;color:#11151f}button.secondary{background:#1b2130;color:#8fa3ff}}";

fn csp(form_target: Option<&str>) -> String {
    let hash = protocol_wire::encoding::b64(&Sha256::digest(STYLE.as_bytes()));
    let target = form_target
        .and_then(protocol_wire::request::origin_of)
        .map(|o| format!(" {o}"))
        .unwrap_or_default();
    format!(
        "default-src 'none'; style-src 'sha256-{hash}'; img-src data:; form-action 'self'{target}; frame-ancestors 'none'; base-uri 'none'"
    )
}

fn page(title: &str, body: &str, form_target: Option<&str>, status: u16) -> Response {
    Response::html(
        status,
        format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <link rel=\"icon\" href=\"data:,\"><title>{t}</title><style>{STYLE}</style></head><body><main>{body}</main></body></html>",
            t = esc(title)
        ),
        &csp(form_target),
    )
}

fn error_page(title: &str, detail: &str) -> Response {
    page(
        title,
        &format!(
            "<h1>{t}</h1><p>{d}</p><p class=\"muted\">The demo tenant does not redirect back when the client or redirect URI cannot be trusted (RFC 6749 4.1.2.1). Go back to the app and check its configuration.</p>",
            t = esc(title),
            d = esc(detail)
        ),
        None,
        400,
    )
}

fn redirect_with(redirect_uri: &str, params: &[(&str, &str)]) -> Response {
    let sep = if redirect_uri.contains('?') { '&' } else { '?' };
    let q = form_encode(params.iter().copied().filter(|(_, v)| !v.is_empty()));
    Response::redirect(&format!("{redirect_uri}{sep}{q}"))
}

/// A validated authorization request.
struct AuthzRequest {
    client_id: String,
    redirect_uri: String,
    state: String,
    nonce: Option<String>,
    scope: String,
    code_challenge: String,
}

/// Checks an authorization request; `Err` is the response to send instead.
fn validate(cx: &Cx, server: Option<&str>, f: &Form) -> Result<AuthzRequest, Response> {
    let one = |k: &str| {
        f.get_id(k)
            .map_err(|e| error_page("Invalid request", &e.description))
    };
    let client_id = one("client_id")?.unwrap_or_default().to_string();
    let client = cx.config.client(&client_id).ok_or_else(|| {
        error_page(
            "Unknown client",
            &format!("No client with ID {client_id:?} is registered."),
        )
    })?;
    let redirect_uri = f
        .get("redirect_uri")
        .map_err(|e| error_page("Invalid request", &e.description))?
        .unwrap_or_default()
        .to_string();
    if !client.redirect_uris.contains(&redirect_uri) {
        return Err(error_page(
            "Redirect URI not registered",
            &format!(
                "{redirect_uri:?} is not registered for {client_id} (registered: {}). Redirect URIs must match exactly.",
                client.redirect_uris.join(", ")
            ),
        ));
    }
    let state = one("state")?.unwrap_or_default().to_string();
    let fail = |error: &str, d: &str| {
        redirect_with(
            &redirect_uri,
            &[
                ("error", error),
                ("error_description", d),
                ("state", &state),
            ],
        )
    };
    let one = |k: &str| {
        f.get_id(k)
            .map_err(|e| fail("invalid_request", &e.description))
    };
    let nonce = one("nonce")?.map(String::from);
    if one("response_type")? != Some("code") {
        return Err(fail(
            "unsupported_response_type",
            "Only response_type=code is supported.",
        ));
    }
    if !client.grants.iter().any(|g| g == "authorization_code") {
        return Err(fail(
            "unauthorized_client",
            "This client may not use the authorization code grant.",
        ));
    }
    let code_challenge = one("code_challenge")?.unwrap_or_default().to_string();
    if code_challenge.is_empty() || one("code_challenge_method")? != Some("S256") {
        return Err(fail(
            "invalid_request",
            "PKCE is required: send code_challenge with code_challenge_method=S256.",
        ));
    }
    let scope = one("scope")?.unwrap_or_default().to_string();
    let known: Vec<String> = match server {
        None => ORG_SCOPES.iter().map(|s| s.to_string()).collect(),
        Some(id) => cx
            .config
            .server(id)
            .map(|s| s.scopes.clone())
            .unwrap_or_default(),
    };
    if let Some(s) = protocol_wire::scope::split(&scope)
        .iter()
        .find(|s| !known.contains(s))
    {
        return Err(fail(
            "invalid_scope",
            &format!("Scope {s} is not defined on this authorization server."),
        ));
    }
    Ok(AuthzRequest {
        client_id,
        redirect_uri,
        state,
        nonce,
        scope,
        code_challenge,
    })
}

/// GET: the sign-in page.
pub fn show(cx: &Cx, server: Option<&str>, query: &str) -> Response {
    let f = match Form::parse(query) {
        Ok(f) => f,
        Err(e) => return error_page("Invalid request", &e.description),
    };
    let req = match validate(cx, server, &f) {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let hidden: String =
        f.0.iter()
            .filter(|(k, _)| k != "user")
            .map(|(k, v)| {
                format!(
                    "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                    esc(k),
                    esc(v)
                )
            })
            .collect();
    let users: String = cx
        .config
        .users
        .iter()
        .map(|u| {
            format!(
                "<button type=\"submit\" name=\"user\" value=\"{}\">Sign in as {}</button>",
                esc(&u.id),
                esc(&u.name)
            )
        })
        .collect();
    let client = cx
        .config
        .client(&req.client_id)
        .map(|c| c.name.clone())
        .unwrap_or_default();
    page(
        "Sign in · Demo tenant",
        &format!(
            "<h1>Sign in to the demo tenant</h1>\
             <p class=\"muted\"><strong>{client}</strong> asks for <code>{scope}</code>. This is a demo identity provider: pick a user, no password.</p>\
             <form method=\"post\">{hidden}{users}<button class=\"secondary\" type=\"submit\" name=\"user\" value=\"\">Cancel</button></form>",
            client = esc(&client),
            scope = esc(&req.scope),
        ),
        Some(&req.redirect_uri),
        200,
    )
}

/// POST: the user picked (or cancelled); redirect back with a code or an error.
pub fn submit(cx: &Cx, server: Option<&str>, body: &str) -> Response {
    let f = match Form::parse(body) {
        Ok(f) => f,
        Err(e) => return error_page("Invalid request", &e.description),
    };
    let req = match validate(cx, server, &f) {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let user = f.get("user").ok().flatten().and_then(|u| cx.config.user(u));
    let Some(user) = user else {
        return redirect_with(
            &req.redirect_uri,
            &[
                ("error", "access_denied"),
                ("error_description", "The user cancelled the sign-in."),
                ("state", &req.state),
            ],
        );
    };
    let pending = PendingCode {
        client_id: req.client_id,
        redirect_uri: req.redirect_uri.clone(),
        code_challenge: req.code_challenge,
        user_id: user.id.clone(),
        scope: req.scope,
        nonce: req.nonce,
        server: server.map(String::from),
        auth_time: cx.now,
    };
    match remember_code(cx, pending) {
        Ok(code) => redirect_with(&req.redirect_uri, &[("code", &code), ("state", &req.state)]),
        Err(e) => redirect_with(
            &req.redirect_uri,
            &[
                ("error", "temporarily_unavailable"),
                ("error_description", &e.description),
                ("state", &req.state),
            ],
        ),
    }
}
