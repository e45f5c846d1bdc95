//! The authorize endpoint: a small sign-in page with a user picker (consent-free), requiring
//! PKCE S256 and an exactly registered redirect URI.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use protocol::encoding::form_encode;

use crate::form::Form;
use crate::state::{now, random_id, PendingCode, Tenant};

const ORG_SCOPES: &[&str] = &["openid", "profile", "email", "offline_access"];

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn error_page(title: &str, detail: &str) -> Response {
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\"><title>{t}</title>{STYLE}</head>\
         <body><main><h1>{t}</h1><p>{d}</p><p class=\"muted\">The demo tenant does not redirect back when the client or \
         redirect URI cannot be trusted (RFC 6749 4.1.2.1).</p></main></body></html>",
        t = esc(title),
        d = esc(detail)
    );
    (StatusCode::BAD_REQUEST, Html(body)).into_response()
}

fn redirect_with(redirect_uri: &str, params: &[(&str, &str)]) -> Response {
    let sep = if redirect_uri.contains('?') { '&' } else { '?' };
    let q = form_encode(params.iter().copied().filter(|(_, v)| !v.is_empty()));
    Redirect::to(&format!("{redirect_uri}{sep}{q}")).into_response()
}

const STYLE: &str = "<style>body{font-family:system-ui,sans-serif;background:#f4f6fb;color:#1c2333;margin:0}\
main{max-width:420px;margin:8vh auto;background:#fff;padding:2rem;border-radius:12px;box-shadow:0 4px 24px #0002}\
h1{font-size:1.3rem}button{display:block;width:100%;margin:.5rem 0;padding:.8rem;border-radius:8px;border:1px solid #3f5bd8;\
background:#3f5bd8;color:#fff;font-size:1rem;cursor:pointer}button.secondary{background:#fff;color:#3f5bd8}\
.muted{color:#5b6478;font-size:.9rem}code{background:#eef1f8;padding:0 .3em;border-radius:4px}\
@media (prefers-color-scheme:dark){body{background:#11151f;color:#e6e9f2}main{background:#1b2130}code{background:#283047}.muted{color:#9aa3b8}}</style>";

/// Validated authorization request.
struct AuthzRequest {
    client_id: String,
    redirect_uri: String,
    state: String,
    nonce: Option<String>,
    scope: String,
    code_challenge: String,
}

/// Checks an authorization request; `Err` is the response to send instead.
fn validate(t: &Tenant, server: Option<&str>, f: &Form) -> Result<AuthzRequest, Response> {
    let one = |k: &str| {
        f.get(k)
            .map_err(|e| error_page("Invalid request", &e.description))
    };
    let client_id = one("client_id")?.unwrap_or_default().to_string();
    let client = t.config.client(&client_id).ok_or_else(|| {
        error_page(
            "Unknown client",
            &format!("No client with ID {client_id:?} is registered."),
        )
    })?;
    let redirect_uri = one("redirect_uri")?.unwrap_or_default().to_string();
    if !client.redirect_uris.contains(&redirect_uri) {
        return Err(error_page(
            "Redirect URI not registered",
            &format!("{redirect_uri:?} is not registered for {client_id} (registered: {}). Redirect URIs must match exactly.", client.redirect_uris.join(", ")),
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
        Some(id) => t
            .config
            .server(id)
            .map(|s| s.scopes.clone())
            .unwrap_or_default(),
    };
    if let Some(s) = protocol::scope::split(&scope)
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
        nonce: one("nonce")?.map(String::from),
        scope,
        code_challenge,
    })
}

/// GET: the sign-in page.
pub fn page(t: &Tenant, server: Option<&str>, query: &str) -> Response {
    let f = Form::parse(query);
    let req = match validate(t, server, &f) {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let hidden: String =
        f.0.iter()
            .map(|(k, v)| {
                format!(
                    "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                    esc(k),
                    esc(v)
                )
            })
            .collect();
    let users: String = t
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
    let client = t
        .config
        .client(&req.client_id)
        .map(|c| c.name.clone())
        .unwrap_or_default();
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><link rel=\"icon\" href=\"data:,\">\
         <title>Sign in · Demo tenant</title>{STYLE}</head><body><main><h1>Sign in to the demo tenant</h1>\
         <p class=\"muted\"><strong>{client}</strong> asks for <code>{scope}</code>. This is a demo identity provider: pick a user, no password.</p>\
         <form method=\"post\">{hidden}{users}<button class=\"secondary\" type=\"submit\" name=\"user\" value=\"\">Cancel</button></form>\
         </main></body></html>",
        client = esc(&client),
        scope = esc(&req.scope),
    ))
    .into_response()
}

/// POST: the user picked (or cancelled); redirect back with a code or an error.
pub fn submit(t: &Tenant, server: Option<&str>, body: &str) -> Response {
    let f = Form::parse(body);
    let req = match validate(t, server, &f) {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let user = f.get("user").ok().flatten().and_then(|u| t.config.user(u));
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
    let code = random_id();
    let n = now();
    t.codes.lock().unwrap().insert(
        code.clone(),
        PendingCode {
            client_id: req.client_id,
            redirect_uri: req.redirect_uri.clone(),
            code_challenge: req.code_challenge,
            user_id: user.id.clone(),
            scope: req.scope,
            nonce: req.nonce,
            server: server.map(String::from),
            expires_at: n + 300,
            used: false,
            auth_time: n,
        },
    );
    redirect_with(&req.redirect_uri, &[("code", &code), ("state", &req.state)])
}
