//! Endpoint layouts (Okta org and custom authorization servers, PingOne AIC realms) and
//! RFC 8414 / OpenID discovery documents.

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

/// An Okta custom authorization server: `{org}/oauth2/{id}/v1/...`, issuer `{org}/oauth2/{id}`.
pub fn okta_custom(org: &str, id: &str) -> Endpoints {
    let issuer = format!("{}/oauth2/{}", base(org), id.trim().trim_matches('/'));
    let p = format!("{issuer}/v1");
    Endpoints {
        authorize: format!("{p}/authorize"),
        token: format!("{p}/token"),
        keys: format!("{p}/keys"),
        introspect: format!("{p}/introspect"),
        revoke: format!("{p}/revoke"),
        info: format!("{p}/userinfo"),
        issuer,
    }
}

/// A PingOne Advanced Identity Cloud realm (`/am/oauth2/realms/root/realms/{realm}/...`).
pub fn pingone_aic(tenant: &str, realm: &str) -> Endpoints {
    let issuer = format!(
        "{}/am/oauth2/realms/root/realms/{}",
        base(tenant),
        realm.trim().trim_matches('/')
    );
    Endpoints {
        authorize: format!("{issuer}/authorize"),
        token: format!("{issuer}/access_token"),
        keys: format!("{issuer}/connect/jwk_uri"),
        introspect: format!("{issuer}/introspect"),
        revoke: format!("{issuer}/token/revoke"),
        info: format!("{issuer}/tokeninfo"),
        issuer,
    }
}

/// Where to look for an issuer's metadata, best first: the appended
/// `oauth-authorization-server` document (Okta lists ID-JAG details there), OpenID
/// discovery, then the RFC 8414 path-inserted form.
pub fn metadata_urls(issuer: &str) -> Vec<String> {
    let issuer = base(issuer);
    let mut urls = vec![
        format!("{issuer}/.well-known/oauth-authorization-server"),
        format!("{issuer}/.well-known/openid-configuration"),
    ];
    if let Some((scheme, rest)) = issuer.split_once("://") {
        if let Some((host, path)) = rest.split_once('/') {
            urls.push(format!(
                "{scheme}://{host}/.well-known/oauth-authorization-server/{path}"
            ));
        }
    }
    urls
}

/// The fields of an authorization server's metadata that the app uses.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
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
    /// `scopes_supported`.
    pub scopes_supported: Vec<String>,
    /// `grant_types_supported`.
    pub grant_types_supported: Vec<String>,
    /// `token_endpoint_auth_methods_supported`.
    pub token_endpoint_auth_methods_supported: Vec<String>,
}

impl ServerMetadata {
    /// Reads metadata JSON, requiring `issuer` to equal the expected issuer exactly
    /// (RFC 8414 3.3), so a mistyped audience is caught early.
    pub fn parse(json: &Value, expected_issuer: &str) -> Result<Self, String> {
        let s = |k: &str| json.get(k).and_then(Value::as_str).map(String::from);
        let list = |k: &str| crate::jwt::string_list(json.get(k));
        let issuer = s("issuer").ok_or("the metadata document has no \"issuer\"")?;
        if issuer != expected_issuer.trim() {
            return Err(format!(
                "the metadata says issuer {issuer:?} but {:?} was expected; issuers must match exactly (watch trailing slashes)",
                expected_issuer.trim()
            ));
        }
        Ok(Self {
            issuer,
            authorization_endpoint: s("authorization_endpoint"),
            token_endpoint: s("token_endpoint"),
            jwks_uri: s("jwks_uri"),
            introspection_endpoint: s("introspection_endpoint"),
            revocation_endpoint: s("revocation_endpoint"),
            scopes_supported: list("scopes_supported"),
            grant_types_supported: list("grant_types_supported"),
            token_endpoint_auth_methods_supported: list("token_endpoint_auth_methods_supported"),
        })
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
            info: String::new(),
        }
    }

    /// Whether `url` is one of these endpoints or one of the issuer's metadata documents.
    pub fn serves(&self, url: &str) -> bool {
        let issuer = self.issuer.trim_end_matches('/');
        (!issuer.is_empty() && url.starts_with(&format!("{issuer}/.well-known/")))
            || [
                &self.authorize,
                &self.token,
                &self.keys,
                &self.introspect,
                &self.revoke,
                &self.info,
            ]
            .iter()
            .any(|e| !e.is_empty() && url.split('?').next() == Some(e.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn endpoints_from_metadata() {
        let doc = json!({"issuer":"https://idp.example","token_endpoint":"https://login.idp.example/token","authorization_endpoint":"https://login.idp.example/auth"});
        let e =
            Endpoints::from_metadata(&ServerMetadata::parse(&doc, "https://idp.example").unwrap());
        assert_eq!(e.token, "https://login.idp.example/token");
        assert!(e.serves("https://login.idp.example/token"));
        assert!(e.serves("https://idp.example/.well-known/openid-configuration"));
        assert!(!e.serves("https://other.example/token"));
        assert!(
            !e.serves("https://idp.example/api/x"),
            "an API on the same host is not the server"
        );
    }

    #[test]
    fn okta_layouts() {
        let org = okta_org("https://acme.okta.com/");
        assert_eq!(org.issuer, "https://acme.okta.com");
        assert_eq!(org.token, "https://acme.okta.com/oauth2/v1/token");
        let c = okta_custom("https://acme.okta.com", "aus123");
        assert_eq!(c.issuer, "https://acme.okta.com/oauth2/aus123");
        assert_eq!(c.token, "https://acme.okta.com/oauth2/aus123/v1/token");
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
            urls[0],
            "https://acme.okta.com/oauth2/default/.well-known/oauth-authorization-server"
        );
        assert_eq!(
            urls[2],
            "https://acme.okta.com/.well-known/oauth-authorization-server/oauth2/default"
        );
        assert_eq!(metadata_urls("https://acme.okta.com").len(), 2);
    }

    #[test]
    fn metadata_issuer_must_match() {
        let doc = json!({"issuer":"https://a/oauth2/x","scopes_supported":["s1","s2"],"token_endpoint":"https://a/t"});
        let m = ServerMetadata::parse(&doc, "https://a/oauth2/x").unwrap();
        assert_eq!(m.scopes_supported, ["s1", "s2"]);
        assert!(ServerMetadata::parse(&doc, "https://a/oauth2/x/")
            .unwrap_err()
            .contains("exactly"));
        assert!(ServerMetadata::parse(&json!({}), "x").is_err());
    }
}
