//! "Explain" for a request: each header and parameter with one line on what it is and the
//! spec section that asks for it.

use protocol_wire::constants::*;
use protocol_wire::request::HttpRequest;

/// One explained part of a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explained {
    /// The part (`grant_type`, `Authorization: Basic`).
    pub part: String,
    /// What it is.
    pub meaning: String,
    /// Where the spec asks for it.
    pub spec: &'static str,
}

fn part(part: impl Into<String>, meaning: impl Into<String>, spec: &'static str) -> Explained {
    Explained {
        part: part.into(),
        meaning: meaning.into(),
        spec,
    }
}

fn grant(value: &str) -> (&'static str, &'static str) {
    match value {
        GRANT_TOKEN_EXCHANGE => (
            "Token exchange: trade one token for another.",
            "RFC 8693 2.1",
        ),
        GRANT_JWT_BEARER => (
            "JWT bearer grant: a signed JWT (here an ID-JAG) is the grant.",
            "RFC 7523 2.1",
        ),
        GRANT_AUTHORIZATION_CODE => (
            "Authorization code grant: trade the code from the redirect for tokens.",
            "RFC 6749 4.1.3",
        ),
        GRANT_CLIENT_CREDENTIALS => (
            "Client credentials: the client asks a token for itself.",
            "RFC 6749 4.4.2",
        ),
        GRANT_REFRESH_TOKEN => ("Refresh: new tokens without the user.", "RFC 6749 6"),
        _ => ("The grant type.", "RFC 6749 4"),
    }
}

fn param(name: &str, value: &str) -> Explained {
    let (meaning, spec): (String, &'static str) = match name {
        "grant_type" => {
            let (m, s) = grant(value);
            (m.into(), s)
        }
        "subject_token" => ("The token being exchanged: whose identity or authority is delegated.".into(), "RFC 8693 2.1"),
        "subject_token_type" => (format!("What the subject token is: {}.", token_type_name(value)), "RFC 8693 3"),
        "requested_token_type" => (format!("What to issue: {}.", token_type_name(value)), "RFC 8693 2.1"),
        "actor_token" => ("The token of the party acting for the subject; the issued token's act names it.".into(), "RFC 8693 2.1"),
        "actor_token_type" => (format!("What the actor token is: {}.", token_type_name(value)), "RFC 8693 2.1"),
        "audience" => ("The logical name of where the token will be used (for an ID-JAG: the resource authorization server's issuer).".into(), "RFC 8693 2.1"),
        "resource" => ("An absolute URI naming the API the token is for; it may repeat.".into(), "RFC 8707 2"),
        "scope" => ("Space-separated permissions asked for; the server may grant fewer.".into(), "RFC 6749 3.3"),
        "assertion" => ("The signed JWT that is the grant (here the ID-JAG from the identity provider).".into(), "RFC 7523 2.1"),
        "client_assertion_type" => ("Says the client authenticates with a signed JWT (private_key_jwt).".into(), "RFC 7523 2.2"),
        "client_assertion" => ("A short-lived JWT signed in this browser with the client's private key: iss = sub = the client, aud = this server, single-use jti.".into(), "RFC 7523 3; OpenID Connect Core 9"),
        "client_id" => ("The client's ID (a public client identifies itself this way).".into(), "RFC 6749 2.3.1"),
        "client_secret" => ("The client's secret, in the body (client_secret_post).".into(), "RFC 6749 2.3.1"),
        "code" => ("The single-use authorization code from the redirect.".into(), "RFC 6749 4.1.3"),
        "redirect_uri" => ("Must be the same redirect URI as in the authorization request.".into(), "RFC 6749 4.1.3"),
        "code_verifier" => ("The PKCE secret whose S256 hash was sent as code_challenge.".into(), "RFC 7636 4.5"),
        "refresh_token" => ("The refresh token from an earlier grant.".into(), "RFC 6749 6"),
        "token" => ("The token to introspect or revoke.".into(), "RFC 7662 2.1; RFC 7009 2.1"),
        "token_type_hint" => ("Helps the server find the token.".into(), "RFC 7662 2.1; RFC 7009 2.1"),
        "response_type" => ("code: the authorization code flow.".into(), "RFC 6749 4.1.1"),
        "state" => ("A random value the page checks on return, against cross-site request forgery.".into(), "RFC 6749 10.12"),
        "nonce" => ("A random value that must come back in the ID token, against replay.".into(), "OpenID Connect Core 3.1.2.1"),
        "code_challenge" => ("BASE64URL(SHA-256(code_verifier)).".into(), "RFC 7636 4.2"),
        "code_challenge_method" => ("S256: the challenge is a SHA-256 hash (plain is never used).".into(), "RFC 7636 4.3"),
        "access_token" => ("The token to inspect (PingOne AIC's tokeninfo takes it in the query).".into(), "PingOne AIC tokeninfo"),
        _ => ("A parameter of this server.".into(), ""),
    };
    part(name, meaning, spec)
}

/// Every part of `req`, explained.
pub fn explain(req: &HttpRequest) -> Vec<Explained> {
    let mut out = vec![part(
        format!("{} {}", req.method.as_str(), req.url),
        format!("{}.", req.label),
        "",
    )];
    for h in &req.headers {
        let scheme = h.value.split(' ').next().unwrap_or_default();
        out.push(match (h.name.to_ascii_lowercase().as_str(), scheme) {
            ("authorization", "Basic") => part("Authorization: Basic", "client_secret_basic: the client ID and secret, each form-encoded, joined by ':', then base64.", "RFC 6749 2.3.1"),
            ("authorization", "Bearer") => part("Authorization: Bearer", "The access token, presented to the API.", "RFC 6750 2.1"),
            ("content-type", _) => part(format!("Content-Type: {}", h.value), "How the body is encoded.", "RFC 6749 3.2"),
            ("accept", _) => part(format!("Accept: {}", h.value), "The answer is wanted as JSON.", "RFC 9110 12.5.1"),
            (_, _) => part(format!("{}: {}", h.name, h.value), "A header you configured.", ""),
        });
    }
    for p in req.query.iter().chain(&req.form) {
        out.push(param(&p.name, &p.value));
    }
    if req.raw_body.is_some() {
        out.push(part(
            "JSON body",
            "The body you configured, sent as it is.",
            "",
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol_wire::client_auth::ClientAuth;

    #[test]
    fn every_part_of_a_token_exchange_is_explained_with_its_spec() {
        let x = protocol_wire::requests::TokenExchange {
            subject_token: "T".into(),
            subject_token_type: TOKEN_TYPE_ID.into(),
            requested_token_type: TOKEN_TYPE_ID_JAG.into(),
            audience: vec!["https://as".into()],
            scope: "a".into(),
            ..Default::default()
        };
        let r = protocol_wire::requests::token_exchange(
            "https://idp/token",
            &x,
            &ClientAuth::PrivateKeyJwt {
                client_id: None,
                assertion: "A".into(),
            },
        );
        let e = explain(&r);
        assert_eq!(e.len(), 1 + r.headers.len() + r.form.len());
        assert!(e.iter().skip(1).all(|x| !x.spec.is_empty()), "{e:?}");
        assert!(e
            .iter()
            .any(|x| x.part == "requested_token_type" && x.meaning.contains("ID-JAG")));
    }
}
