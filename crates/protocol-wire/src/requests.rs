//! One typed builder per request the flows send. Each returns an [`HttpRequest`].

use serde::{Deserialize, Serialize};

use crate::client_auth::ClientAuth;
use crate::constants::*;
use crate::request::{HttpRequest, Method, Param};

/// Inputs of the authorization request (code flow with PKCE).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizeParams {
    /// The authorize endpoint.
    pub endpoint: String,
    /// The client ID.
    pub client_id: String,
    /// Exact registered redirect URI.
    pub redirect_uri: String,
    /// Space-separated scopes (include `openid` for an ID token).
    pub scope: String,
    /// Random `state`, checked on return.
    pub state: String,
    /// Random `nonce`, checked in the ID token.
    pub nonce: String,
    /// S256 `code_challenge`.
    pub code_challenge: String,
    /// Further parameters (`prompt`, `login_hint`, ...).
    pub extra: Vec<(String, String)>,
}

/// The authorize URL the browser navigates to (never fetched).
pub fn authorize(p: &AuthorizeParams) -> HttpRequest {
    let mut r = HttpRequest::new(
        "Authorization request (code + PKCE)",
        Method::Get,
        &p.endpoint,
    );
    for (k, v) in [
        ("client_id", p.client_id.as_str()),
        ("response_type", "code"),
        ("scope", p.scope.as_str()),
        ("redirect_uri", p.redirect_uri.as_str()),
        ("state", p.state.as_str()),
        ("nonce", p.nonce.as_str()),
        ("code_challenge", p.code_challenge.as_str()),
        ("code_challenge_method", "S256"),
    ] {
        r.query.push(Param::public(k, v));
    }
    for (k, v) in &p.extra {
        r.query.push(Param::public(k, v));
    }
    r
}

fn token_request(
    label: &str,
    endpoint: &str,
    fields: Vec<Param>,
    auth: &ClientAuth,
) -> HttpRequest {
    let mut r = HttpRequest::new(label, Method::Post, endpoint);
    r.headers.push(Param::public("Accept", "application/json"));
    r.form = fields;
    auth.apply(&mut r);
    r.headers.push(Param::public(
        "Content-Type",
        "application/x-www-form-urlencoded",
    ));
    r
}

fn non_empty(v: &str) -> Option<&str> {
    let v = v.trim();
    (!v.is_empty()).then_some(v)
}

/// Authorization code exchange (RFC 6749 4.1.3 + RFC 7636).
pub fn authorization_code(
    token_endpoint: &str,
    code: &str,
    redirect_uri: &str,
    code_verifier: &str,
    auth: &ClientAuth,
) -> HttpRequest {
    let fields = vec![
        Param::public("grant_type", GRANT_AUTHORIZATION_CODE),
        Param::public("redirect_uri", redirect_uri),
        Param::secret("code", code),
        Param::secret("code_verifier", code_verifier),
    ];
    token_request("Authorization code exchange", token_endpoint, fields, auth)
}

/// Inputs of an RFC 8693 token exchange.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenExchange {
    /// The token being exchanged.
    pub subject_token: String,
    /// Its type URI.
    pub subject_token_type: String,
    /// The wanted type URI (ID-JAG, access token, vaulted secret, ...); omitted if empty.
    pub requested_token_type: String,
    /// `audience` values (may repeat); empty ones are dropped.
    pub audience: Vec<String>,
    /// `resource` values (RFC 8707, may repeat); empty ones are dropped.
    pub resource: Vec<String>,
    /// Space-separated scopes; omitted if empty.
    pub scope: String,
    /// Optional actor token and its type.
    pub actor: Option<(String, String)>,
}

/// RFC 8693 token exchange.
pub fn token_exchange(token_endpoint: &str, x: &TokenExchange, auth: &ClientAuth) -> HttpRequest {
    let mut f = vec![Param::public("grant_type", GRANT_TOKEN_EXCHANGE)];
    if let Some(t) = non_empty(&x.requested_token_type) {
        f.push(Param::public("requested_token_type", t));
    }
    f.push(Param::public("subject_token_type", &x.subject_token_type));
    f.push(Param::secret("subject_token", x.subject_token.trim()));
    if let Some((token, ty)) = &x.actor {
        f.push(Param::secret("actor_token", token.trim()));
        f.push(Param::public("actor_token_type", ty));
    }
    if let Some(s) = non_empty(&x.scope) {
        f.push(Param::public("scope", s));
    }
    for a in x.audience.iter().filter_map(|a| non_empty(a)) {
        f.push(Param::public("audience", a));
    }
    for res in x.resource.iter().filter_map(|r| non_empty(r)) {
        f.push(Param::public("resource", res));
    }
    let label = match x.requested_token_type.as_str() {
        TOKEN_TYPE_ID_JAG => "Token exchange for an ID-JAG (RFC 8693)",
        _ => "Token exchange (RFC 8693)",
    };
    token_request(label, token_endpoint, f, auth)
}

/// RFC 7523 JWT bearer grant (for example with an ID-JAG as the assertion), with optional
/// `scope` and RFC 8707 `resource` values (empty ones are not sent).
pub fn jwt_bearer(
    token_endpoint: &str,
    assertion: &str,
    scope: &str,
    resource: &[String],
    auth: &ClientAuth,
) -> HttpRequest {
    let mut f = vec![
        Param::public("grant_type", GRANT_JWT_BEARER),
        Param::secret("assertion", assertion.trim()),
    ];
    if let Some(s) = non_empty(scope) {
        f.push(Param::public("scope", s));
    }
    for res in resource.iter().filter_map(|r| non_empty(r)) {
        f.push(Param::public("resource", res));
    }
    token_request("JWT bearer grant (RFC 7523)", token_endpoint, f, auth)
}

/// Client credentials grant, with optional RFC 8707 `resource` values.
pub fn client_credentials(
    token_endpoint: &str,
    scope: &str,
    resource: &[String],
    auth: &ClientAuth,
) -> HttpRequest {
    let mut f = vec![Param::public("grant_type", GRANT_CLIENT_CREDENTIALS)];
    if let Some(s) = non_empty(scope) {
        f.push(Param::public("scope", s));
    }
    for res in resource.iter().filter_map(|r| non_empty(r)) {
        f.push(Param::public("resource", res));
    }
    token_request("Client credentials grant", token_endpoint, f, auth)
}

/// Refresh token grant (RFC 6749 6); `scope` may only narrow (empty: not sent).
pub fn refresh(
    token_endpoint: &str,
    refresh_token: &str,
    scope: &str,
    auth: &ClientAuth,
) -> HttpRequest {
    let mut f = vec![
        Param::public("grant_type", GRANT_REFRESH_TOKEN),
        Param::secret("refresh_token", refresh_token.trim()),
    ];
    if let Some(s) = non_empty(scope) {
        f.push(Param::public("scope", s));
    }
    token_request("Refresh token grant", token_endpoint, f, auth)
}

/// RFC 7662 token introspection.
pub fn introspect(
    endpoint: &str,
    token: &str,
    token_type_hint: &str,
    auth: &ClientAuth,
) -> HttpRequest {
    let mut f = vec![Param::secret("token", token.trim())];
    if let Some(h) = non_empty(token_type_hint) {
        f.push(Param::public("token_type_hint", h));
    }
    token_request("Token introspection (RFC 7662)", endpoint, f, auth)
}

/// RFC 7009 token revocation.
pub fn revoke(
    endpoint: &str,
    token: &str,
    token_type_hint: &str,
    auth: &ClientAuth,
) -> HttpRequest {
    let mut f = vec![Param::secret("token", token.trim())];
    if let Some(h) = non_empty(token_type_hint) {
        f.push(Param::public("token_type_hint", h));
    }
    token_request("Token revocation (RFC 7009)", endpoint, f, auth)
}

/// PingOne AIC `tokeninfo` (GET with the token in the query, as the vendor documents).
pub fn tokeninfo(endpoint: &str, access_token: &str) -> HttpRequest {
    let mut r = HttpRequest::new("Token info (PingOne AIC)", Method::Get, endpoint);
    r.query
        .push(Param::secret("access_token", access_token.trim()));
    r
}

/// A resource API call with a bearer access token.
pub fn api_call(method: Method, url: &str, access_token: &str) -> HttpRequest {
    let mut r = HttpRequest::new("API call with the access token", method, url);
    r.headers.push(Param::public("Accept", "application/json"));
    r.headers.push(Param::secret(
        "Authorization",
        &format!("Bearer {}", access_token.trim()),
    ));
    r
}

/// A metadata or JWKS document fetch.
pub fn get_json(label: &str, url: &str) -> HttpRequest {
    let mut r = HttpRequest::new(label, Method::Get, url);
    r.headers.push(Param::public("Accept", "application/json"));
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::form_decode;

    #[test]
    fn obo_exchange_matches_seed_003() {
        let auth = ClientAuth::SecretBasic {
            client_id: "svc".into(),
            client_secret: "sec".into(),
        };
        let x = TokenExchange {
            subject_token: "AT".into(),
            subject_token_type: TOKEN_TYPE_ACCESS.into(),
            scope: "api:access:read api:access:write".into(),
            audience: vec!["com.api.atko".into()],
            ..Default::default()
        };
        let r = token_exchange("https://org.example/oauth2/default/v1/token", &x, &auth);
        let names: Vec<&str> = r.form.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "grant_type",
                "subject_token_type",
                "subject_token",
                "scope",
                "audience"
            ]
        );
        let hdrs: Vec<&str> = r.headers.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(hdrs, ["Accept", "Authorization", "Content-Type"]);
        assert_eq!(
            form_decode(&r.body().unwrap())[3],
            (
                "scope".to_string(),
                "api:access:read api:access:write".to_string()
            )
        );
    }

    #[test]
    fn obo_curl_is_the_seed_003_command() {
        let auth = ClientAuth::SecretBasic {
            client_id: "svc".into(),
            client_secret: "sec".into(),
        };
        let x = TokenExchange {
            subject_token: "{access token from the Authorization Code with PKCE flow}".into(),
            subject_token_type: TOKEN_TYPE_ACCESS.into(),
            scope: "api:access:read api:access:write".into(),
            audience: vec!["com.api.atko".into()],
            ..Default::default()
        };
        let r = token_exchange(
            "https://${yourOktaDomain}/oauth2/default/v1/token",
            &x,
            &auth,
        );
        // Seed 003 minus `--location` (a token endpoint must not be followed elsewhere) and
        // its trailing backslash; the Basic credential is masked until revealed.
        let expected = "curl --request POST \\
  --url 'https://${yourOktaDomain}/oauth2/default/v1/token' \\
  --header 'Accept: application/json' \\
  --header 'Authorization: Basic ‹hidden 12 chars›' \\
  --header 'Content-Type: application/x-www-form-urlencoded' \\
  --data-urlencode 'grant_type=urn:ietf:params:oauth:grant-type:token-exchange' \\
  --data-urlencode 'subject_token_type=urn:ietf:params:oauth:token-type:access_token' \\
  --data-urlencode 'subject_token={access token from the Authorization Code with PKCE flow}' \\
  --data-urlencode 'scope=api:access:read api:access:write' \\
  --data-urlencode 'audience=com.api.atko'";
        assert_eq!(crate::curl::render(&r, false), expected);
    }

    #[test]
    fn id_jag_exchange_repeats_resource_and_drops_empties() {
        let auth = ClientAuth::PrivateKeyJwt {
            client_id: None,
            assertion: "x.y.z".into(),
        };
        let x = TokenExchange {
            subject_token: " idt ".into(),
            subject_token_type: TOKEN_TYPE_ID.into(),
            requested_token_type: TOKEN_TYPE_ID_JAG.into(),
            audience: vec!["https://org/oauth2/aus1".into(), " ".into()],
            resource: vec!["https://api/a".into(), "https://api/b".into()],
            scope: "".into(),
            actor: None,
        };
        let r = token_exchange("https://org/oauth2/v1/token", &x, &auth);
        let pairs = form_decode(&r.body().unwrap());
        assert_eq!(pairs.iter().filter(|(k, _)| k == "resource").count(), 2);
        assert_eq!(pairs.iter().filter(|(k, _)| k == "audience").count(), 1);
        assert!(pairs.iter().all(|(k, _)| k != "scope"));
        assert_eq!(r.form_value("subject_token"), Some("idt"));
        assert!(r.label.contains("ID-JAG"));
    }

    #[test]
    fn autonomous_requests_match_seed_004() {
        let auth = ClientAuth::SecretPost {
            client_id: "agent".into(),
            client_secret: "pw".into(),
        };
        let base = "https://t.example/am/oauth2/realms/root/realms/alpha";
        let cc = client_credentials(
            &format!("{base}/access_token"),
            "monitor-system",
            &[],
            &auth,
        );
        assert_eq!(
            cc.body().unwrap(),
            "grant_type=client_credentials&scope=monitor-system&client_id=agent&client_secret=pw"
        );
        let ti = tokeninfo(&format!("{base}/tokeninfo"), "AT");
        assert_eq!(ti.full_url(), format!("{base}/tokeninfo?access_token=AT"));
        let x = TokenExchange {
            subject_token: "AT".into(),
            subject_token_type: TOKEN_TYPE_ACCESS.into(),
            audience: vec!["app-client".into()],
            scope: "logs-read logs-search".into(),
            ..Default::default()
        };
        let te = token_exchange(&format!("{base}/access_token"), &x, &auth);
        assert_eq!(te.form_value("audience"), Some("app-client"));
        assert_eq!(te.form_value("client_secret"), Some("pw"));
    }

    #[test]
    fn authorize_url_has_every_pkce_parameter() {
        let p = AuthorizeParams {
            endpoint: "https://org/oauth2/v1/authorize".into(),
            client_id: "app".into(),
            redirect_uri: "http://127.0.0.1:8080/".into(),
            scope: "openid profile".into(),
            state: "st".into(),
            nonce: "no".into(),
            code_challenge: "ch".into(),
            extra: vec![("login_hint".into(), "a@b".into())],
        };
        let url = authorize(&p).full_url();
        assert!(url.starts_with(
            "https://org/oauth2/v1/authorize?client_id=app&response_type=code&scope=openid+profile"
        ));
        assert!(url.contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2F"));
        assert!(url.ends_with("code_challenge=ch&code_challenge_method=S256&login_hint=a%40b"));
    }

    #[test]
    fn api_call_and_introspection() {
        let r = api_call(Method::Get, "https://api/x", "AT");
        assert_eq!(r.header("authorization"), Some("Bearer AT"));
        assert!(r.headers.iter().any(|p| p.secret));
        let auth = ClientAuth::None {
            client_id: "c".into(),
        };
        let i = introspect("https://h/introspect", "AT", "access_token", &auth);
        assert_eq!(
            i.body().unwrap(),
            "token=AT&token_type_hint=access_token&client_id=c"
        );
        let v = revoke("https://h/revoke", "AT", "", &auth);
        assert_eq!(v.body().unwrap(), "token=AT&client_id=c");
    }
}
