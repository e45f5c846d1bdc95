//! RFC 6749 5.2 error responses: JSON `{error, error_description}` with the right status.

use serde_json::json;

use crate::http::Response;

/// An OAuth error, rendered as RFC 6749 5.2 JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    /// HTTP status.
    pub status: u16,
    /// `error` code.
    pub error: &'static str,
    /// `error_description`.
    pub description: String,
    /// Whether the client used HTTP Basic (adds `WWW-Authenticate`).
    pub basic: bool,
    /// For a resource's 401: its RFC 9728 metadata URL.
    pub resource_metadata: Option<String>,
    /// For a resource's 403: the scope the request needs (RFC 6750 3.1 `scope`).
    pub scope: Option<String>,
    /// For a 405: the methods the endpoint answers (`Allow`).
    pub allow: Option<String>,
}

macro_rules! errors {
    ($($(#[$doc:meta])* $name:ident => $status:literal $code:literal;)*) => {
        impl OAuthError {
            $(
                $(#[$doc])*
                pub fn $name(d: impl Into<String>) -> Self {
                    Self::new($status, $code, d)
                }
            )*
        }
    };
}

errors! {
    /// 400 `invalid_request`.
    invalid_request => 400 "invalid_request";
    /// 401 `invalid_client`.
    invalid_client => 401 "invalid_client";
    /// 400 `invalid_grant`.
    invalid_grant => 400 "invalid_grant";
    /// 400 `invalid_scope`.
    invalid_scope => 400 "invalid_scope";
    /// 400 `invalid_target` (RFC 8707).
    invalid_target => 400 "invalid_target";
    /// 400 `unauthorized_client`.
    unauthorized_client => 400 "unauthorized_client";
    /// 400 `unsupported_grant_type`.
    unsupported_grant_type => 400 "unsupported_grant_type";
    /// 401 `invalid_token` (resource server).
    invalid_token => 401 "invalid_token";
    /// 403 `insufficient_scope` (resource server).
    insufficient_scope => 403 "insufficient_scope";
    /// 404 `not_found`.
    not_found => 404 "not_found";
    /// 503 `temporarily_unavailable`: a bounded store is full.
    temporarily_unavailable => 503 "temporarily_unavailable";
}

impl OAuthError {
    fn new(status: u16, error: &'static str, description: impl Into<String>) -> Self {
        Self {
            status,
            error,
            description: description.into(),
            basic: false,
            resource_metadata: None,
            scope: None,
            allow: None,
        }
    }

    /// 405 for a method an endpoint does not take, naming the ones it does (`Allow`).
    pub fn method_not_allowed(allow: &str) -> Self {
        Self {
            allow: Some(allow.into()),
            ..Self::new(
                405,
                "invalid_request",
                format!("This endpoint answers {allow} only."),
            )
        }
    }

    /// 401 for a request to a resource that carries no token: the challenge names no error
    /// (RFC 6750 3.1: "the resource server SHOULD NOT include an error code").
    pub fn token_required(d: impl Into<String>) -> Self {
        Self::new(401, "", d)
    }

    /// Names the scope a resource's request needs in its 403 challenge.
    pub fn with_scope(mut self, scope: &str) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// Marks that the client authenticated with HTTP Basic.
    pub fn with_basic(mut self, basic: bool) -> Self {
        self.basic = basic;
        self
    }

    /// Names the resource's RFC 9728 metadata in the `WWW-Authenticate` challenge.
    pub fn with_resource_metadata(mut self, url: String) -> Self {
        self.resource_metadata = Some(url);
        self
    }

    /// The HTTP response.
    pub fn response(&self) -> Response {
        let body = if self.error.is_empty() {
            json!({ "error_description": self.description })
        } else {
            json!({ "error": self.error, "error_description": self.description })
        };
        let mut res = Response::json(self.status, &body);
        let quoted = |s: &str| s.replace(['"', '\\'], "'");
        let challenge = match (self.error, self.basic) {
            ("invalid_client", true) => Some(r#"Basic realm="demo-tenant""#.to_string()),
            ("invalid_token" | "insufficient_scope" | "", _) => {
                let mut parts = vec![r#"realm="demo-tenant""#.to_string()];
                if !self.error.is_empty() {
                    parts.push(format!(r#"error="{}""#, self.error));
                    parts.push(format!(
                        r#"error_description="{}""#,
                        quoted(&self.description)
                    ));
                }
                if let Some(s) = &self.scope {
                    parts.push(format!(r#"scope="{}""#, quoted(s)));
                }
                if let Some(m) = &self.resource_metadata {
                    parts.push(format!(r#"resource_metadata="{}""#, quoted(m)));
                }
                Some(format!("Bearer {}", parts.join(", ")))
            }
            _ => None,
        };
        if let Some(c) = challenge {
            res = res.with_header("www-authenticate", &c);
        }
        if self.status == 503 {
            res = res.with_header("retry-after", "5");
        }
        if let Some(allow) = &self.allow {
            res = res.with_header("allow", allow);
        }
        res
    }
}

/// 405 for a method an endpoint does not take, naming the ones it does.
pub fn method_not_allowed(allow: &str) -> Response {
    OAuthError::method_not_allowed(allow).response()
}
