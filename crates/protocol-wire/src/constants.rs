//! URIs and fixed strings from the RFCs and the ID-JAG draft.

/// RFC 8693 token exchange grant type.
pub const GRANT_TOKEN_EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
/// RFC 7523 JWT bearer grant type.
pub const GRANT_JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/// RFC 6749 authorization code grant type.
pub const GRANT_AUTHORIZATION_CODE: &str = "authorization_code";
/// RFC 6749 refresh token grant type.
pub const GRANT_REFRESH_TOKEN: &str = "refresh_token";
/// RFC 6749 client credentials grant type.
pub const GRANT_CLIENT_CREDENTIALS: &str = "client_credentials";
/// RFC 7523 client assertion type for `private_key_jwt`.
pub const CLIENT_ASSERTION_TYPE_JWT: &str =
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// RFC 8693 access token type.
pub const TOKEN_TYPE_ACCESS: &str = "urn:ietf:params:oauth:token-type:access_token";
/// RFC 8693 ID token type.
pub const TOKEN_TYPE_ID: &str = "urn:ietf:params:oauth:token-type:id_token";
/// RFC 8693 refresh token type.
pub const TOKEN_TYPE_REFRESH: &str = "urn:ietf:params:oauth:token-type:refresh_token";
/// RFC 8693 SAML 2 assertion type.
pub const TOKEN_TYPE_SAML2: &str = "urn:ietf:params:oauth:token-type:saml2";
/// ID-JAG token type (draft-ietf-oauth-identity-assertion-authz-grant).
pub const TOKEN_TYPE_ID_JAG: &str = "urn:ietf:params:oauth:token-type:id-jag";
/// Okta vaulted secret resource type.
pub const TOKEN_TYPE_OKTA_VAULTED_SECRET: &str = "urn:okta:params:oauth:token-type:vaulted-secret";
/// Okta service account resource type.
pub const TOKEN_TYPE_OKTA_SERVICE_ACCOUNT: &str =
    "urn:okta:params:oauth:token-type:service-account";
/// JOSE `typ` of an ID-JAG.
pub const ID_JAG_TYP: &str = "oauth-id-jag+jwt";
/// Longest ID-JAG lifetime the draft and Okta use, in seconds.
pub const ID_JAG_MAX_LIFETIME_SECS: i64 = 300;
/// Clock skew tolerated when checking `iat` / `exp`, in seconds.
pub const CLOCK_SKEW_SECS: i64 = 30;

/// A short human name for a token type URI (`"ID-JAG"`, `"access token"`, ...).
pub fn token_type_name(uri: &str) -> &str {
    match uri {
        TOKEN_TYPE_ACCESS => "access token",
        TOKEN_TYPE_ID => "ID token",
        TOKEN_TYPE_REFRESH => "refresh token",
        TOKEN_TYPE_SAML2 => "SAML 2 assertion",
        TOKEN_TYPE_ID_JAG => "ID-JAG",
        TOKEN_TYPE_OKTA_VAULTED_SECRET => "vaulted secret",
        TOKEN_TYPE_OKTA_SERVICE_ACCOUNT => "service account",
        other => other,
    }
}
