//! Endpoint layouts (Okta org and custom authorization servers, PingOne AIC realms),
//! RFC 8414 / OpenID discovery documents, and RFC 9728 protected-resource metadata.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The endpoints of one authorization server.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoints {
    /// Issuer identifier (exact string; no trailing slash on Okta custom servers).
    pub issuer: String,
    /// Authorize endpoint.
    pub authorize: String,
    /// Token endpoint.
    pub token: String,
    /// JWKS.
    pub keys: String,
    /// Introspection.
    pub introspect: String,
    /// Revocation.
    pub revoke: String,
    /// UserInfo, or PingOne `tokeninfo`.
    pub info: String,
}

fn base(url: &str) -> &str {
    url.trim().trim_end_matches('/')
}

/// Okta's org authorization server: `{org}/oauth2/v1/...`, issuer `{org}`.
pub fn okta_org(org: &str) -> Endpoints {
    let org = base(org);
    let p = format!("{org}/oauth2/v1");
    Endpoints {
        issuer: org.to_string(),
        authorize: format!("{p}/authorize"),
        token: format!("{p}/token"),
        keys: format!("{p}/keys"),
        introspect: format!("{p}/introspect"),
        revoke: format!("{p}/revoke"),
        info: format!("{p}/userinfo"),
    }
}

/// An Okta custom authorization server by its issuer (`{org}/oauth2/{id}`): `{issuer}/v1/...`.
pub fn okta_custom_issuer(issuer: &str) -> Endpoints {
    let issuer = base(issuer);
    let p = format!("{issuer}/v1");
    Endpoints {
        authorize: format!("{p}/authorize"),
        token: format!("{p}/token"),
        keys: format!("{p}/keys"),
        introspect: format!("{p}/introspect"),
        revoke: format!("{p}/revoke"),
        info: format!("{p}/userinfo"),
        issuer: issuer.to_string(),
    }
}

/// An Okta custom authorization server by org and ID: issuer `{org}/oauth2/{id}`.
pub fn okta_custom(org: &str, id: &str) -> Endpoints {
    okta_custom_issuer(&format!(
        "{}/oauth2/{}",
        base(org),
        id.trim().trim_matches('/')
    ))
}

/// A PingOne Advanced Identity Cloud realm by its issuer
/// (`{tenant}/am/oauth2/realms/root/realms/{realm}`).
pub fn pingone_realm(issuer: &str) -> Endpoints {
    let issuer = base(issuer);
    Endpoints {
        authorize: format!("{issuer}/authorize"),
        token: format!("{issuer}/access_token"),
        keys: format!("{issuer}/connect/jwk_uri"),
        introspect: format!("{issuer}/introspect"),
        revoke: format!("{issuer}/token/revoke"),
        info: format!("{issuer}/tokeninfo"),
        issuer: issuer.to_string(),
    }
}

/// A PingOne AIC realm by tenant URL and realm name.
pub fn pingone_aic(tenant: &str, realm: &str) -> Endpoints {
    pingone_realm(&format!(
        "{}/am/oauth2/realms/root/realms/{}",
        base(tenant),
        realm.trim().trim_matches('/')
    ))
}

/// `https://host/.well-known/{name}{path}` for an identifier `https://host{path}` (RFC 8414
/// 3.1 and RFC 9728 3.1 insert the well-known segment between host and path).
fn well_known_inserted(identifier: &str, name: &str) -> Option<String> {
    let id = base(identifier);
    let (scheme, rest) = id.split_once("://")?;
    let (host, path) = match rest.split_once('/') {
        Some((h, p)) => (h, format!("/{p}")),
        None => (rest, String::new()),
    };
    Some(format!("{scheme}://{host}/.well-known/{name}{path}"))
}

/// Where to look for an issuer's metadata, best first: the RFC 8414 location (path
/// inserted), the appended `oauth-authorization-server` document (Okta's custom servers list
/// ID-JAG details there), then OpenID discovery.
pub fn metadata_urls(issuer: &str) -> Vec<String> {
    let issuer = base(issuer);
    let mut urls = Vec::new();
    for u in [
        well_known_inserted(issuer, "oauth-authorization-server"),
        Some(format!("{issuer}/.well-known/oauth-authorization-server")),
        Some(format!("{issuer}/.well-known/openid-configuration")),
    ]
    .into_iter()
    .flatten()
    {
        if !urls.contains(&u) {
            urls.push(u);
        }
    }
    urls
}

/// Why a metadata document cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MetadataError {
    /// Not a JSON object.
    NotObject,
    /// No `issuer` (or `resource`) member.
    Missing(&'static str),
    /// The document is for another issuer (or resource) than the one asked for.
    Mismatch {
        /// What it says.
        found: String,
        /// What was expected.
        expected: String,
    },
}

impl fmt::Display for MetadataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MetadataError::NotObject => f.write_str("the metadata is not a JSON object"),
            MetadataError::Missing(m) => write!(f, "the metadata document has no {m:?} member"),
            MetadataError::Mismatch { found, expected } => write!(
                f,
                "the metadata names {found:?} but {expected:?} was expected; they must match exactly (watch trailing slashes)"
            ),
        }
    }
}

/// The fields of an authorization server's metadata that the app uses. Written by serde; read
/// (from a kept configuration) by [`ServerMetadata::members`], as from a server's document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ServerMetadata {
    /// `issuer`.
    pub issuer: String,
    /// `authorization_endpoint`.
    pub authorization_endpoint: Option<String>,
    /// `token_endpoint`.
    pub token_endpoint: Option<String>,
    /// `jwks_uri`.
    pub jwks_uri: Option<String>,
    /// `introspection_endpoint`.
    pub introspection_endpoint: Option<String>,
    /// `revocation_endpoint`.
    pub revocation_endpoint: Option<String>,
    /// `userinfo_endpoint`.
    pub userinfo_endpoint: Option<String>,
    /// `scopes_supported`.
    pub scopes_supported: Vec<String>,
    /// `grant_types_supported`.
    pub grant_types_supported: Vec<String>,
    /// `token_endpoint_auth_methods_supported`.
    pub token_endpoint_auth_methods_supported: Vec<String>,
    /// `token_endpoint_auth_signing_alg_values_supported`.
    pub token_endpoint_auth_signing_alg_values_supported: Vec<String>,
    /// `authorization_grant_profiles_supported` (ID-JAG draft).
    pub authorization_grant_profiles_supported: Vec<String>,
    /// The URL the document was read from.
    pub source: String,
}

fn str_member(json: &Value, k: &str) -> Option<String> {
    json.get(k).and_then(Value::as_str).map(String::from)
}

impl ServerMetadata {
    /// Reads metadata JSON, requiring `issuer` to equal the expected issuer exactly
    /// (RFC 8414 3.3), so a mistyped issuer is caught early.
    pub fn parse(json: &Value, expected_issuer: &str, source: &str) -> Result<Self, MetadataError> {
        if !json.is_object() {
            return Err(MetadataError::NotObject);
        }
        let issuer = str_member(json, "issuer").ok_or(MetadataError::Missing("issuer"))?;
        if issuer != base(expected_issuer) {
            return Err(MetadataError::Mismatch {
                found: issuer,
                expected: base(expected_issuer).into(),
            });
        }
        Ok(Self {
            issuer,
            source: source.into(),
            ..Self::members(json)
        })
    }

    /// The members of a metadata document (or of one kept with a configuration), without any
    /// check: what is missing or not of its type stays empty.
    pub fn members(json: &Value) -> Self {
        let list = |k: &str| crate::jwt::string_list(json.get(k));
        Self {
            issuer: str_member(json, "issuer").unwrap_or_default(),
            authorization_endpoint: str_member(json, "authorization_endpoint"),
            token_endpoint: str_member(json, "token_endpoint"),
            jwks_uri: str_member(json, "jwks_uri"),
            introspection_endpoint: str_member(json, "introspection_endpoint"),
            revocation_endpoint: str_member(json, "revocation_endpoint"),
            userinfo_endpoint: str_member(json, "userinfo_endpoint"),
            scopes_supported: list("scopes_supported"),
            grant_types_supported: list("grant_types_supported"),
            token_endpoint_auth_methods_supported: list("token_endpoint_auth_methods_supported"),
            token_endpoint_auth_signing_alg_values_supported: list(
                "token_endpoint_auth_signing_alg_values_supported",
            ),
            authorization_grant_profiles_supported: list("authorization_grant_profiles_supported"),
            source: str_member(json, "source").unwrap_or_default(),
        }
    }
}

/// Read through a JSON value, which the page reads anyway, rather than by a derived reader
/// of its own (9 KB of the page's first load).
impl<'de> Deserialize<'de> for ServerMetadata {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Value::deserialize(d).map(|json| Self::members(&json))
    }
}

impl Endpoints {
    /// Endpoints read from a server's metadata (what it does not list stays empty).
    pub fn from_metadata(m: &ServerMetadata) -> Self {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        Endpoints {
            issuer: m.issuer.clone(),
            authorize: s(&m.authorization_endpoint),
            token: s(&m.token_endpoint),
            keys: s(&m.jwks_uri),
            introspect: s(&m.introspection_endpoint),
            revoke: s(&m.revocation_endpoint),
            info: s(&m.userinfo_endpoint),
        }
    }
}

/// Where a resource's RFC 9728 metadata is (`/.well-known/oauth-protected-resource` inserted
/// between host and path).
pub fn protected_resource_url(resource: &str) -> Option<String> {
    well_known_inserted(
        resource.split(['?', '#']).next()?,
        "oauth-protected-resource",
    )
}

/// The metadata locations to try for an API URL, most specific first: the URL itself, then
/// each parent path (an API at `/api/files/documents` may be the resource `/api/files`).
pub fn protected_resource_candidates(url: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut id = base(url.split(['?', '#']).next().unwrap_or_default()).to_string();
    loop {
        if let Some(m) = protected_resource_url(&id) {
            out.push((m, id.clone()));
        }
        let Some((rest, _)) = id.rsplit_once('/') else {
            break;
        };
        if rest.ends_with(':') || rest.ends_with('/') {
            break;
        }
        id = rest.to_string();
    }
    out
}

/// The `resource_metadata` URL of a `WWW-Authenticate: Bearer` challenge (RFC 9728 5.1).
pub fn resource_metadata_from_challenge(challenge: &str) -> Option<String> {
    challenge_param(challenge, "resource_metadata")
}

/// A quoted parameter of a `WWW-Authenticate` challenge (`scope="files.write"`), by name.
pub fn challenge_param(challenge: &str, name: &str) -> Option<String> {
    let needle = format!("{name}=\"");
    let mut from = 0;
    while let Some(i) = challenge[from..].find(&needle) {
        let at = from + i;
        // A whole parameter name: at the start, or after a space or a comma.
        let whole = challenge[..at]
            .chars()
            .last()
            .is_none_or(|c| c == ' ' || c == ',');
        let rest = &challenge[at + needle.len()..];
        if whole {
            return Some(rest[..rest.find('"')?].to_string());
        }
        from = at + needle.len();
    }
    None
}

/// RFC 9728 protected-resource metadata: which authorization servers issue its tokens.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceMetadata {
    /// `resource`.
    pub resource: String,
    /// `authorization_servers` (issuers).
    pub authorization_servers: Vec<String>,
    /// `scopes_supported`.
    pub scopes_supported: Vec<String>,
}

impl ResourceMetadata {
    /// Reads the document; `resource` must equal the identifier it was fetched for
    /// (RFC 9728 3.3).
    pub fn parse(json: &Value, expected_resource: &str) -> Result<Self, MetadataError> {
        if !json.is_object() {
            return Err(MetadataError::NotObject);
        }
        let resource = str_member(json, "resource").ok_or(MetadataError::Missing("resource"))?;
        let expected = base(
            expected_resource
                .split(['?', '#'])
                .next()
                .unwrap_or_default(),
        );
        if base(&resource) != expected {
            return Err(MetadataError::Mismatch {
                found: resource,
                expected: expected.into(),
            });
        }
        let servers = crate::jwt::string_list(json.get("authorization_servers"));
        if servers.is_empty() {
            return Err(MetadataError::Missing("authorization_servers"));
        }
        Ok(Self {
            resource,
            authorization_servers: servers,
            scopes_supported: crate::jwt::string_list(json.get("scopes_supported")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kept_metadata_reads_back_as_written() {
        let m = ServerMetadata::parse(
            &json!({
                "issuer": "https://as.example",
                "authorization_endpoint": "https://as.example/authorize",
                "token_endpoint": "https://as.example/token",
                "jwks_uri": "https://as.example/keys",
                "introspection_endpoint": "https://as.example/introspect",
                "revocation_endpoint": "https://as.example/revoke",
                "userinfo_endpoint": "https://as.example/userinfo",
                "scopes_supported": ["openid", "files.read"],
                "grant_types_supported": ["urn:ietf:params:oauth:grant-type:jwt-bearer"],
                "token_endpoint_auth_methods_supported": ["private_key_jwt"],
                "token_endpoint_auth_signing_alg_values_supported": ["ES256"],
                "authorization_grant_profiles_supported": ["urn:ietf:params:oauth:grant-profile:id-jag"],
            }),
            "https://as.example",
            "https://as.example/.well-known/oauth-authorization-server",
        )
        .unwrap();
        // Every member set, so a member read under another name than it is written fails.
        let ServerMetadata {
            issuer,
            authorization_endpoint,
            token_endpoint,
            jwks_uri,
            introspection_endpoint,
            revocation_endpoint,
            userinfo_endpoint,
            scopes_supported,
            grant_types_supported,
            token_endpoint_auth_methods_supported,
            token_endpoint_auth_signing_alg_values_supported,
            authorization_grant_profiles_supported,
            source,
        } = &m;
        assert!(!issuer.is_empty() && !source.is_empty());
        for url in [
            authorization_endpoint,
            token_endpoint,
            jwks_uri,
            introspection_endpoint,
            revocation_endpoint,
            userinfo_endpoint,
        ] {
            assert!(url.is_some());
        }
        for list in [
            scopes_supported,
            grant_types_supported,
            token_endpoint_auth_methods_supported,
            token_endpoint_auth_signing_alg_values_supported,
            authorization_grant_profiles_supported,
        ] {
            assert!(!list.is_empty());
        }
        let text = serde_json::to_string(&m).unwrap();
        assert_eq!(serde_json::from_str::<ServerMetadata>(&text).unwrap(), m);
        assert_eq!(
            serde_json::from_str::<Option<ServerMetadata>>("null").unwrap(),
            None
        );
        // What a kept configuration lacks stays empty.
        let partial: ServerMetadata =
            serde_json::from_str(r#"{"issuer":"https://as.example","scopes_supported":"openid"}"#)
                .unwrap();
        assert_eq!(partial.scopes_supported, ["openid"]);
        assert_eq!(partial.token_endpoint, None);
    }

    #[test]
    fn endpoints_from_metadata() {
        let doc = json!({"issuer":"https://idp.example","token_endpoint":"https://login.idp.example/token","authorization_endpoint":"https://login.idp.example/auth"});
        let m = ServerMetadata::parse(&doc, "https://idp.example", "src").unwrap();
        let e = Endpoints::from_metadata(&m);
        assert_eq!(e.token, "https://login.idp.example/token");
        assert_eq!(e.revoke, "");
    }

    #[test]
    fn okta_and_pingone_layouts() {
        let org = okta_org("https://acme.okta.com/");
        assert_eq!(org.issuer, "https://acme.okta.com");
        assert_eq!(org.token, "https://acme.okta.com/oauth2/v1/token");
        let c = okta_custom("https://acme.okta.com", "aus123");
        assert_eq!(c.issuer, "https://acme.okta.com/oauth2/aus123");
        assert_eq!(c.token, "https://acme.okta.com/oauth2/aus123/v1/token");
        assert_eq!(c, okta_custom_issuer("https://acme.okta.com/oauth2/aus123"));
        let p = pingone_aic("https://t.id.forgerock.io", "alpha");
        assert_eq!(
            p.token,
            "https://t.id.forgerock.io/am/oauth2/realms/root/realms/alpha/access_token"
        );
        assert_eq!(
            p.info,
            "https://t.id.forgerock.io/am/oauth2/realms/root/realms/alpha/tokeninfo"
        );
    }

    #[test]
    fn metadata_locations() {
        let urls = metadata_urls("https://acme.okta.com/oauth2/default");
        assert_eq!(
            urls,
            [
                "https://acme.okta.com/.well-known/oauth-authorization-server/oauth2/default",
                "https://acme.okta.com/oauth2/default/.well-known/oauth-authorization-server",
                "https://acme.okta.com/oauth2/default/.well-known/openid-configuration",
            ]
        );
        assert_eq!(metadata_urls("https://acme.okta.com").len(), 2);
    }

    #[test]
    fn metadata_issuer_must_match() {
        let doc = json!({"issuer":"https://a/oauth2/x","scopes_supported":["s1","s2"],"token_endpoint":"https://a/t"});
        let m = ServerMetadata::parse(&doc, "https://a/oauth2/x", "u").unwrap();
        assert_eq!(m.scopes_supported, ["s1", "s2"]);
        let e = ServerMetadata::parse(
            &json!({"issuer":"https://a/oauth2/x/"}),
            "https://a/oauth2/x",
            "u",
        )
        .unwrap_err();
        assert!(e.to_string().contains("exactly"), "{e}");
        assert_eq!(
            ServerMetadata::parse(&json!({}), "x", "u").unwrap_err(),
            MetadataError::Missing("issuer")
        );
    }

    #[test]
    fn protected_resource_candidates_walk_up_the_path() {
        let c = protected_resource_candidates("https://api.example/api/files/documents?x");
        let ids: Vec<&str> = c.iter().map(|(_, id)| id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "https://api.example/api/files/documents",
                "https://api.example/api/files",
                "https://api.example/api",
                "https://api.example"
            ]
        );
        assert_eq!(
            c[1].0,
            "https://api.example/.well-known/oauth-protected-resource/api/files"
        );
        assert_eq!(
            resource_metadata_from_challenge(r#"Bearer error="invalid_token", resource_metadata="https://a/.well-known/oauth-protected-resource/x""#).as_deref(),
            Some("https://a/.well-known/oauth-protected-resource/x")
        );
    }

    #[test]
    fn protected_resource_metadata() {
        assert_eq!(
            protected_resource_url("https://api.example/files?x=1").unwrap(),
            "https://api.example/.well-known/oauth-protected-resource/files"
        );
        let doc = json!({"resource":"https://api.example/files","authorization_servers":["https://as.example"]});
        let m = ResourceMetadata::parse(&doc, "https://api.example/files").unwrap();
        assert_eq!(m.authorization_servers, ["https://as.example"]);
        assert!(ResourceMetadata::parse(&doc, "https://api.example/other").is_err());
        assert!(ResourceMetadata::parse(
            &json!({"resource":"https://api.example/files"}),
            "https://api.example/files"
        )
        .is_err());
    }
}
