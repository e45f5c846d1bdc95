//! Interpreting what came back: token responses, OAuth errors, and typed failures for
//! HTML pages, non-JSON and empty bodies.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::constants::{TOKEN_TYPE_OKTA_SERVICE_ACCOUNT, TOKEN_TYPE_OKTA_VAULTED_SECRET};

/// What the browser (or any client) captured of a response. Its `Debug` shows the status, the
/// header names and the body's length: a body may carry tokens.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpCapture {
    /// HTTP status.
    pub status: u16,
    /// Response headers the client could read.
    pub headers: Vec<(String, String)>,
    /// Body text.
    pub body: String,
}

impl std::fmt::Debug for HttpCapture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpCapture")
            .field("status", &self.status)
            .field(
                "headers",
                &self
                    .headers
                    .iter()
                    .map(|(k, _)| k.as_str())
                    .collect::<Vec<_>>(),
            )
            .field("body", &format_args!("‹{} bytes›", self.body.len()))
            .finish()
    }
}

impl HttpCapture {
    /// A header value (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Why a response is not what the step needed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResponseProblem {
    /// RFC 6749 5.2 error JSON.
    OAuth {
        /// HTTP status.
        status: u16,
        /// `error`.
        error: String,
        /// `error_description`.
        description: Option<String>,
        /// `error_uri`.
        uri: Option<String>,
    },
    /// An HTML page (a login page, proxy or server error page).
    Html {
        /// HTTP status.
        status: u16,
        /// The page `<title>`, if any.
        title: Option<String>,
    },
    /// A body that is not JSON.
    NotJson {
        /// HTTP status.
        status: u16,
        /// The start of the body.
        snippet: String,
    },
    /// No body where one was needed.
    Empty {
        /// HTTP status.
        status: u16,
    },
    /// A non-2xx status with a JSON body that is not an OAuth error.
    Http {
        /// HTTP status.
        status: u16,
        /// The start of the body.
        snippet: String,
    },
    /// A 2xx JSON body missing what the step needs.
    Shape {
        /// What is missing or wrong.
        detail: String,
    },
}

impl ResponseProblem {
    /// The headline: what came back, in one sentence.
    pub fn headline(&self) -> String {
        match self {
            ResponseProblem::OAuth {
                status,
                error,
                description,
                ..
            } => match description {
                Some(d) => format!(
                    "The server refused the request (HTTP {status} {error}): {}.",
                    d.trim_end_matches('.')
                ),
                None => format!("The server refused the request (HTTP {status} {error})."),
            },
            ResponseProblem::Html { status, title } => format!(
                "HTTP {status}: an HTML page{} came back instead of JSON.",
                title
                    .as_ref()
                    .map(|t| format!(" (\u{201c}{t}\u{201d})"))
                    .unwrap_or_default()
            ),
            ResponseProblem::NotJson { status, .. } => {
                format!("HTTP {status}: the body is not JSON.")
            }
            ResponseProblem::Empty { status } => format!("HTTP {status} with an empty body."),
            ResponseProblem::Http { status, .. } if *status >= 500 => {
                format!("HTTP {status}: the server failed (a server error).")
            }
            ResponseProblem::Http { status, .. } if (300..400).contains(status) => {
                format!("HTTP {status}: the server redirected the request elsewhere.")
            }
            ResponseProblem::Http { status, .. } => format!("HTTP {status}: the request failed."),
            ResponseProblem::Shape { detail } => {
                format!("The response is JSON but unusable: {detail}.")
            }
        }
    }

    /// Why it happened and what to do.
    pub fn diagnosis(&self) -> crate::diagnosis::Diagnosis {
        let (cause, fix): (String, String) = match self {
            ResponseProblem::OAuth { .. } if self.is_browser_refusal() => (
                BROWSER_REFUSAL_CAUSE.into(),
                BROWSER_REFUSAL_FIX.into(),
            ),
            ResponseProblem::OAuth { error, .. } => {
                let (c, f) = oauth_error_hint(error);
                (c.into(), f.into())
            }
            ResponseProblem::Html { .. } => (
                "The URL probably points at a web page (a login page, a proxy or an error page), not at this endpoint.".into(),
                "Check the server's issuer and endpoints in Configuration; Discover reads them from its metadata.".into(),
            ),
            ResponseProblem::NotJson { snippet, .. } => (
                format!("It is not an OAuth response. It starts with: {snippet}"),
                "Check that the URL is the endpoint itself (Configuration), not a page in front of it.".into(),
            ),
            ResponseProblem::Empty { .. } => (
                "A JSON response was expected.".into(),
                "Check the endpoint URL in Configuration.".into(),
            ),
            ResponseProblem::Http { status, snippet } if *status >= 500 => (
                format!("The server could not handle the request. Body: {snippet}"),
                "Try again later, or check the server's logs; nothing in this request can be blamed for a 5xx.".into(),
            ),
            ResponseProblem::Http { status, snippet } if (300..400).contains(status) => (
                format!("Token, introspection and API endpoints answer directly; a redirect usually means the URL is outdated or points at a login page. {snippet}"),
                "Use the URL the server redirects to, or run Discover to read the current endpoints.".into(),
            ),
            ResponseProblem::Http { snippet, .. } => (
                format!("The body is JSON but not an OAuth error: {snippet}"),
                "Check the endpoint URL and the request parameters.".into(),
            ),
            ResponseProblem::Shape { .. } => (
                "The server answered 2xx without the members this step needs.".into(),
                "Check that this endpoint supports this grant (its metadata lists grant_types_supported).".into(),
            ),
        };
        crate::diagnosis::Diagnosis {
            cause,
            fix,
            relay: self.is_browser_refusal(),
        }
    }

    /// Headline, cause and fix in one paragraph (logs, tests).
    pub fn explain(&self) -> String {
        let d = self.diagnosis();
        format!("{} {} {}", self.headline(), d.cause, d.fix)
    }

    /// The OAuth `error` code, if this is an OAuth error.
    pub fn oauth_error(&self) -> Option<&str> {
        match self {
            ResponseProblem::OAuth { error, .. } => Some(error),
            _ => None,
        }
    }

    /// Okta's refusal of browser calls to `/token` for anything but code + PKCE.
    pub fn is_browser_refusal(&self) -> bool {
        matches!(self, ResponseProblem::OAuth { error, description: Some(d), .. }
            if error == "invalid_client" && d.contains("Browser requests to the token endpoint"))
    }
}

/// Why a server (Okta) refuses token requests from a browser.
pub const BROWSER_REFUSAL_CAUSE: &str = "This server accepts only authorization code + PKCE from a browser: it refuses any other token request that carries an Origin header.";
/// What to do about it.
pub const BROWSER_REFUSAL_FIX: &str = "Send this server's requests through the local relay: it forwards them without the Origin header, and the private key still never leaves this page.";

/// What typically causes an OAuth error code, and what to check.
pub fn oauth_error_hint(error: &str) -> (&'static str, &'static str) {
    match error {
        "invalid_client" => ("Client authentication failed.", "Check the client ID, its authentication method, the secret or the private key (its public key must be registered), and the assertion audience the server expects (token endpoint or issuer)."),
        "invalid_grant" => ("The grant or subject token was rejected: it may be expired, used already, issued for another client or audience, or fail a policy.", "Run the step that produced it again, and check the audience and client it was issued for."),
        "invalid_request" => ("A parameter is missing, repeated or malformed.", "Compare the request with the server's documentation; the cURL above is exactly what was sent."),
        "invalid_scope" => ("A requested scope is unknown here, or not allowed for this client by policy.", "Request scopes the server lists (Load scopes) and that a policy grants to this client."),
        "invalid_target" => ("The audience or resource is unknown, or this client may not reach it.", "Check the audience and resource parameters against what the server serves."),
        "unauthorized_client" => ("This client is not allowed to use this grant type.", "Enable the grant for this client at the server."),
        "unsupported_grant_type" => ("The server does not support this grant type.", "Check grant_types_supported in its metadata."),
        "access_denied" => ("The user or a policy denied the request.", "Check the server's access policies for this client."),
        "invalid_token" => ("The access token is invalid, expired, revoked, or for another audience.", "Get a fresh token, and check the audience the API expects."),
        "insufficient_scope" => ("The access token lacks a scope this API requires.", "Request the scope the API names in its WWW-Authenticate header."),
        "interaction_required" => ("The user must interact (consent or sign in) before this token can be issued.", "Open the interaction URI the server returned, then retry."),
        "temporarily_unavailable" => ("The server is busy or at a limit.", "Wait a moment and retry."),
        "relay_key_required" => ("The relay refused the request: no relay key was sent.", "Paste the key the relay printed at start in Configuration → Relay."),
        "relay_key_invalid" => ("The relay refused the request: the relay key is not the one it printed at start (a relay restart prints a new key).", "Paste the key the running relay printed in Configuration → Relay."),
        "target_not_allowed" => ("The relay forwards only to the servers it was started with; this one is not among them.", "Restart the relay with an --upstream for this server (the command in Configuration → Relay lists every server that uses it)."),
        "origin_not_allowed" => ("The relay answers only the origins it was started with.", "Restart the relay with --allow-origin for this page."),
        "relay_upstream_unreachable" => ("The relay is running but cannot reach the server.", "Check the server URL and your network."),
        "relay_upstream_timeout" => ("The server did not answer the relay in time.", "Try again; check the server."),
        _ => ("", "Check the request against the server's documentation."),
    }
}

fn snippet(body: &str) -> String {
    let trimmed = body.trim();
    let mut s: String = trimmed.chars().take(160).collect();
    if trimmed.chars().count() > 160 {
        s.push('…');
    }
    s
}

fn html_title(body: &str) -> Option<String> {
    let lower = body.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = start + lower[start..].find('>')? + 1;
    let close = open_end + lower[open_end..].find("</title")?;
    let title = body.get(open_end..close)?.trim();
    (!title.is_empty()).then(|| title.chars().take(120).collect())
}

fn looks_like_html(capture: &HttpCapture, body: &str) -> bool {
    capture
        .header("content-type")
        .is_some_and(|c| c.contains("text/html"))
        || body.trim_start().get(..1) == Some("<")
}

/// Parses a JSON body, turning OAuth errors, HTML, empty and non-JSON bodies into problems.
pub fn parse_json(capture: &HttpCapture) -> Result<Value, ResponseProblem> {
    let status = capture.status;
    let body = capture.body.trim();
    if (300..400).contains(&status) {
        return Err(ResponseProblem::Http {
            status,
            snippet: capture
                .header("location")
                .map(|l| format!("It points to {l}."))
                .unwrap_or_default(),
        });
    }
    if body.is_empty() {
        return Err(ResponseProblem::Empty { status });
    }
    if looks_like_html(capture, body) {
        return Err(ResponseProblem::Html {
            status,
            title: html_title(body),
        });
    }
    let json: Value = serde_json::from_str(body).map_err(|_| ResponseProblem::NotJson {
        status,
        snippet: snippet(body),
    })?;
    if let Some(error) = json.get("error").and_then(Value::as_str) {
        let text = |k: &str| json.get(k).and_then(Value::as_str).map(String::from);
        return Err(ResponseProblem::OAuth {
            status,
            error: error.to_string(),
            description: text("error_description"),
            uri: text("error_uri"),
        });
    }
    if !capture.is_success() {
        return Err(ResponseProblem::Http {
            status,
            snippet: snippet(body),
        });
    }
    Ok(json)
}

/// A successful token endpoint response (RFC 6749 5.1, RFC 8693 2.2.1), including Okta's
/// resource types that return an object instead of a token.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TokenResponse {
    /// `access_token` (for a token exchange: the issued token, whatever its type).
    pub access_token: Option<String>,
    /// `id_token`.
    pub id_token: Option<String>,
    /// `refresh_token` (`null` is treated as absent).
    pub refresh_token: Option<String>,
    /// `token_type` (`Bearer`, or `N_A` for non-access tokens).
    pub token_type: Option<String>,
    /// `issued_token_type` (RFC 8693).
    pub issued_token_type: Option<String>,
    /// `expires_in` seconds.
    pub expires_in: Option<i64>,
    /// `scope` granted.
    pub scope: Option<String>,
    /// Okta `vaulted_secret` object.
    pub vaulted_secret: Option<Value>,
    /// Okta `service_account` object.
    pub service_account: Option<Value>,
    /// The whole JSON.
    pub raw: Value,
}

impl std::fmt::Debug for TokenResponse {
    /// Which members came, not their values (tokens).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let has = |v: &Option<String>| v.as_ref().map(|_| "‹present›");
        f.debug_struct("TokenResponse")
            .field("access_token", &has(&self.access_token))
            .field("id_token", &has(&self.id_token))
            .field("refresh_token", &has(&self.refresh_token))
            .field("token_type", &self.token_type)
            .field("issued_token_type", &self.issued_token_type)
            .field("expires_in", &self.expires_in)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

/// Parses a token endpoint response.
pub fn parse_token_response(capture: &HttpCapture) -> Result<TokenResponse, ResponseProblem> {
    let json = parse_json(capture)?;
    if !json.is_object() {
        return Err(ResponseProblem::Shape {
            detail: "the body is not a JSON object".into(),
        });
    }
    let text = |k: &str| {
        json.get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(String::from)
    };
    let t = TokenResponse {
        access_token: text("access_token"),
        id_token: text("id_token"),
        refresh_token: text("refresh_token"),
        token_type: text("token_type"),
        issued_token_type: text("issued_token_type"),
        expires_in: json
            .get("expires_in")
            .and_then(|v| v.as_i64().or_else(|| v.as_str()?.parse().ok())),
        scope: text("scope"),
        vaulted_secret: json.get("vaulted_secret").filter(|v| !v.is_null()).cloned(),
        service_account: json
            .get("service_account")
            .filter(|v| !v.is_null())
            .cloned(),
        raw: json.clone(),
    };
    let resource_object = match t.issued_token_type.as_deref() {
        Some(TOKEN_TYPE_OKTA_VAULTED_SECRET) => t.vaulted_secret.is_some(),
        Some(TOKEN_TYPE_OKTA_SERVICE_ACCOUNT) => t.service_account.is_some(),
        _ => false,
    };
    if t.access_token.is_none() && t.id_token.is_none() && !resource_object {
        return Err(ResponseProblem::Shape {
            detail: "it has no access_token (nor id_token, vaulted_secret or service_account)"
                .into(),
        });
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cap(status: u16, ct: &str, body: &str) -> HttpCapture {
        HttpCapture {
            status,
            headers: vec![("Content-Type".into(), ct.into())],
            body: body.into(),
        }
    }

    #[test]
    fn token_response_with_null_refresh() {
        let t = parse_token_response(&cap(200, "application/json",
            r#"{"access_token":"a","token_type":"Bearer","expires_in":"3600","refresh_token":null,"scope":"x y"}"#)).unwrap();
        assert_eq!(t.access_token.as_deref(), Some("a"));
        assert_eq!(t.refresh_token, None);
        assert_eq!(t.expires_in, Some(3600));
    }

    #[test]
    fn oauth_error_is_explained() {
        let e = parse_token_response(&cap(401, "application/json",
            r#"{"error":"invalid_client","error_description":"Browser requests to the token endpoint must use Proof Key for Code Exchange."}"#)).unwrap_err();
        assert_eq!(e.oauth_error(), Some("invalid_client"));
        assert!(e.is_browser_refusal());
        assert!(
            e.explain().contains("local relay")
                && !e.explain().contains("Client authentication failed"),
            "{}",
            e.explain()
        );
        assert!(!e.explain().contains(".."), "{}", e.explain());
        assert!(e.explain().contains("HTTP 401 invalid_client"));
    }

    #[test]
    fn html_non_json_empty_and_http() {
        let e = parse_json(&cap(
            404,
            "text/html",
            "<html><head><title>Not Found</title></head></html>",
        ))
        .unwrap_err();
        assert_eq!(
            e,
            ResponseProblem::Html {
                status: 404,
                title: Some("Not Found".into())
            }
        );
        assert!(matches!(
            parse_json(&cap(200, "text/plain", "hello")).unwrap_err(),
            ResponseProblem::NotJson { .. }
        ));
        assert_eq!(
            parse_json(&cap(200, "application/json", "  ")).unwrap_err(),
            ResponseProblem::Empty { status: 200 }
        );
        assert!(matches!(
            parse_json(&cap(500, "application/json", r#"{"message":"x"}"#)).unwrap_err(),
            ResponseProblem::Http { status: 500, .. }
        ));
        assert!(matches!(
            parse_token_response(&cap(200, "application/json", "[1]")).unwrap_err(),
            ResponseProblem::Shape { .. }
        ));
        assert!(matches!(
            parse_token_response(&cap(200, "application/json", r#"{"token_type":"Bearer"}"#))
                .unwrap_err(),
            ResponseProblem::Shape { .. }
        ));
    }

    #[test]
    fn vaulted_secret_needs_no_access_token() {
        let t = parse_token_response(&cap(200, "application/json",
            r#"{"issued_token_type":"urn:okta:params:oauth:token-type:vaulted-secret","vaulted_secret":{"username":"u","password":"p"}}"#)).unwrap();
        assert!(t.vaulted_secret.is_some());
    }
}
