//! How a case changes its step's request: each variation is a [`Tweak`] for the driver, so
//! the changed request is built, signed, routed and logged like any other.
//!
//! A token or assertion is tampered by changing one claim value and re-encoding the payload,
//! keeping the original header and signature: the signature check, not the parser, is what
//! is tried (changing a raw byte can break the JSON, or touch only base64 padding bits).

use serde_json::Value;

use super::Variation;
use protocol_engine::engine::Tweak;
use protocol_wire::constants::{TOKEN_TYPE_ACCESS, TOKEN_TYPE_ID};
use protocol_wire::encoding::{b64_decode, b64url, b64url_decode, percent_decode};
use protocol_wire::keys::PrivateKey;
use protocol_wire::request::{HttpRequest, Method, Param};

/// The value a tampered claim gets.
pub const TAMPERED: &str = "atp-probe-tampered";
/// The token `revoke.unknown` revokes: never issued by anyone.
pub const NEVER_ISSUED: &str = "atp-probe-never-issued-0c9f4e2a7b1d";
/// The `aud` of an assertion addressed to another server.
pub const OTHER_AUDIENCE: &str = "https://probe.invalid/oauth2/v1/token";
/// How long the probe watches for a redirect to an unregistered URI.
pub const REDIRECT_WAIT_SECS: u32 = 6;
/// The query parameter that marks a probe's redirect URI (`?atp-probe=unregistered`).
pub const MARK: &str = "atp-probe";
/// Another verifier: valid in form (RFC 7636 §4.1, 43 to 128 unreserved characters), but not
/// the one the challenge was made from.
const WRONG_VERIFIER: &str = "atp-probe-wrong-verifier-0123456789abcdefghijklmnopqrstuvwxyzABCD";

/// A P-256 key made for the probe, in no client's key set (its `kid` says so).
const STRANGER_JWK: &str = r#"{"kty":"EC","crv":"P-256","x":"MEOHLtZzLmoOtY2tMRH_dP72y5zoC7pPIo9B1n6b4O0","y":"7F6uPH1NZ99Oz0sKKhC3tifh17HdM957tGrllDg-wUM","d":"6LUaUHSuZCiEeV0VTFOcqCYdvT_8LkAKH6tmcjGr-wk","kid":"atp-probe-stranger","alg":"ES256"}"#;

/// The driver's changes for `variation` (none for the variations that change the
/// configuration or run a step twice: the battery does those).
pub fn tweak(variation: Variation) -> Tweak {
    let mut t = Tweak::default();
    match variation {
        Variation::RedirectUnregistered => {
            t.authorize = Some(unregistered_redirect);
            t.wait_secs = Some(REDIRECT_WAIT_SECS);
        }
        Variation::CodeTwice => t.exchange_twice = true,
        Variation::WrongVerifier => t.exchange = Some(wrong_verifier),
        Variation::NoVerifier => t.exchange = Some(no_verifier),
        Variation::NoChallenge => t.authorize = Some(no_challenge),
        Variation::OtherRedirectUri => t.exchange = Some(other_redirect_uri),
        Variation::NoClientAuth => t.request = Some(strip_client_auth),
        Variation::AssertionExpired => t.claims = Some(expired),
        Variation::AssertionOtherAudience => t.claims = Some(other_audience),
        Variation::AssertionOtherKey => t.key = Some(stranger_key()),
        Variation::TamperSubject => t.request = Some(tamper_subject),
        Variation::SwapSubjectType => t.request = Some(swap_subject_type),
        Variation::TamperAssertion => t.request = Some(tamper_assertion),
        Variation::NoBearer => t.request = Some(no_bearer),
        Variation::TamperBearer => t.request = Some(tamper_bearer),
        Variation::MethodBeyondScope => t.request = Some(method_beyond_scope),
        Variation::UnknownToken => t.request = Some(unknown_token),
        Variation::AssertionReplay
        | Variation::OtherClient
        | Variation::OtherServer
        | Variation::SameTwice
        | Variation::AfterRevoke => {}
    }
    t
}

/// `token` with one claim changed (`sub`, or else its first text claim) to [`TAMPERED`], the
/// payload re-encoded, header and signature kept; an opaque token gets its last character
/// changed. Returns the token and what was changed, in words.
pub fn tamper(token: &str) -> (String, String) {
    let parts: Vec<&str> = token.split('.').collect();
    if let [header, payload, signature] = parts[..] {
        let claims = b64url_decode(payload)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            // From text, as everything else the page reads: one JSON reader in the bundle.
            .and_then(|t| serde_json::from_str::<Value>(&t).ok());
        if let Some(Value::Object(mut claims)) = claims {
            let name = if claims.contains_key("sub") {
                Some("sub".to_string())
            } else {
                claims
                    .iter()
                    .find(|(_, v)| v.is_string())
                    .map(|(k, _)| k.clone())
            };
            if let Some(name) = name {
                claims.insert(name.clone(), Value::String(TAMPERED.into()));
                let text = Value::Object(claims).to_string();
                return (
                    format!("{header}.{}.{signature}", b64url(text.as_bytes())),
                    format!(
                        "its {name} claim changed to \"{TAMPERED}\", header and signature kept"
                    ),
                );
            }
        }
    }
    let mut out = token.to_string();
    let last = out.pop();
    out.push(if last == Some('A') { 'B' } else { 'A' });
    (out, "an opaque token: its last character changed".into())
}

fn set_form(req: &mut HttpRequest, name: &str, change: impl Fn(&str) -> String) {
    for p in req.form.iter_mut().filter(|p| p.name == name) {
        p.value = change(&p.value);
    }
}

fn set_query(req: &mut HttpRequest, name: &str, change: impl Fn(&str) -> String) {
    for p in req.query.iter_mut().filter(|p| p.name == name) {
        p.value = change(&p.value);
    }
}

/// `uri` with the probe's mark added to its query: the same page (the app still loads there
/// and sees an answer), but not the registered URI under exact matching (RFC 9700 §2.1).
pub fn marked(uri: &str, tag: &str) -> String {
    let sep = if uri.contains('?') { '&' } else { '?' };
    format!("{uri}{sep}{MARK}={tag}")
}

fn unregistered_redirect(req: &mut HttpRequest) {
    set_query(req, "redirect_uri", |v| marked(v, "unregistered"));
}

fn no_challenge(req: &mut HttpRequest) {
    req.query
        .retain(|p| p.name != "code_challenge" && p.name != "code_challenge_method");
}

fn wrong_verifier(req: &mut HttpRequest) {
    set_form(req, "code_verifier", |_| WRONG_VERIFIER.into());
}

fn no_verifier(req: &mut HttpRequest) {
    req.form.retain(|p| p.name != "code_verifier");
}

fn other_redirect_uri(req: &mut HttpRequest) {
    set_form(req, "redirect_uri", |v| marked(v, "other"));
}

/// The client ID a request names: in the body, in its client assertion's `iss`, or in its
/// `Authorization: Basic` header.
fn client_id_of(req: &HttpRequest) -> Option<String> {
    if let Some(id) = req.form_value("client_id") {
        return Some(id.to_string());
    }
    if let Some(a) = req.form_value("client_assertion") {
        if let Ok(jwt) = protocol_wire::jwt::decode(a) {
            return jwt.str_claim("iss").map(String::from);
        }
    }
    let basic = req.header("authorization")?.strip_prefix("Basic ")?;
    let pair = String::from_utf8(b64_decode(basic.trim()).ok()?).ok()?;
    let (id, _) = pair.split_once(':')?;
    Some(percent_decode(id))
}

/// The request without client authentication: no assertion, secret or `Authorization`
/// header; only the `client_id` (RFC 6749 §2.3.1: a client that does not authenticate names
/// itself).
pub fn strip_client_auth(req: &mut HttpRequest) {
    let id = client_id_of(req);
    req.form.retain(|p| {
        !matches!(
            p.name.as_str(),
            "client_assertion" | "client_assertion_type" | "client_secret"
        )
    });
    req.headers
        .retain(|h| !h.name.eq_ignore_ascii_case("authorization"));
    if req.form_value("client_id").is_none() {
        if let Some(id) = id {
            req.form.push(Param::public("client_id", &id));
        }
    }
}

fn expired(claims: &mut Value, now: i64) {
    claims["exp"] = (now - 600).into();
    claims["iat"] = (now - 900).into();
    if claims.get("nbf").is_some() {
        claims["nbf"] = (now - 900).into();
    }
}

fn other_audience(claims: &mut Value, _: i64) {
    claims["aud"] = OTHER_AUDIENCE.into();
}

/// The probe's own signing key (see [`STRANGER_JWK`]).
pub fn stranger_key() -> PrivateKey {
    protocol_wire::keys::parse_private_key(STRANGER_JWK).expect("the probe's key is a valid JWK")
}

fn tamper_subject(req: &mut HttpRequest) {
    set_form(req, "subject_token", |v| tamper(v).0);
}

fn tamper_assertion(req: &mut HttpRequest) {
    set_form(req, "assertion", |v| tamper(v).0);
}

fn swap_subject_type(req: &mut HttpRequest) {
    set_form(req, "subject_token_type", |v| {
        if v == TOKEN_TYPE_ID {
            TOKEN_TYPE_ACCESS.into()
        } else {
            TOKEN_TYPE_ID.into()
        }
    });
}

fn no_bearer(req: &mut HttpRequest) {
    req.headers
        .retain(|h| !h.name.eq_ignore_ascii_case("authorization"));
}

fn tamper_bearer(req: &mut HttpRequest) {
    for h in req
        .headers
        .iter_mut()
        .filter(|h| h.name.eq_ignore_ascii_case("authorization"))
    {
        if let Some(token) = h.value.strip_prefix("Bearer ") {
            h.value = format!("Bearer {}", tamper(token).0);
        }
    }
}

/// The bearer token of a request (`Authorization: Bearer …`).
pub fn bearer_of(req: &HttpRequest) -> Option<&str> {
    req.header("authorization")?.strip_prefix("Bearer ")
}

/// The path below the API a scope check is tried on: a resource that does not exist, so the
/// method (a DELETE) changes nothing even where the token's scope covers it.
pub const NONEXISTENT: &str = "atp-probe-nonexistent";

fn method_beyond_scope(req: &mut HttpRequest) {
    req.url = format!("{}/{NONEXISTENT}", req.url.trim_end_matches('/'));
    req.method = if req.method == Method::Delete {
        Method::Put
    } else {
        Method::Delete
    };
    req.raw_body = None;
    req.headers
        .retain(|h| !h.name.eq_ignore_ascii_case("content-type"));
}

fn unknown_token(req: &mut HttpRequest) {
    set_form(req, "token", |_| NEVER_ISSUED.into());
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol_wire::jwt::decode;

    #[test]
    fn tamper_changes_one_claim_and_keeps_header_and_signature() {
        let token = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSIsImF1ZCI6ImEifQ.c2ln";
        let (t, what) = tamper(token);
        let parts: Vec<&str> = t.split('.').collect();
        assert_eq!(parts[0], "eyJhbGciOiJFUzI1NiJ9");
        assert_eq!(parts[2], "c2ln");
        let jwt = decode(&t).unwrap();
        assert_eq!(jwt.str_claim("sub"), Some(TAMPERED));
        assert_eq!(jwt.str_claim("aud"), Some("a"));
        assert!(what.contains("sub"), "{what}");
    }

    #[test]
    fn tamper_without_sub_changes_a_text_claim_and_an_opaque_token_one_character() {
        let token = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln";
        let jwt = decode(&tamper(token).0).unwrap();
        assert_eq!(jwt.str_claim("iss"), Some(TAMPERED));
        let (t, what) = tamper("opaqueA");
        assert_eq!(t, "opaqueB");
        assert!(what.contains("opaque"));
    }

    #[test]
    fn strip_client_auth_keeps_the_client_id_from_each_method() {
        let mut basic = HttpRequest::new("t", Method::Post, "https://as/token");
        basic.headers.push(Param::secret(
            "Authorization",
            &format!("Basic {}", protocol_wire::encoding::b64(b"my%20app:s3cret")),
        ));
        strip_client_auth(&mut basic);
        assert!(basic.header("authorization").is_none());
        assert_eq!(basic.form_value("client_id"), Some("my app"));

        let mut post = HttpRequest::new("t", Method::Post, "https://as/token");
        post.form.push(Param::public("client_id", "c"));
        post.form.push(Param::secret("client_secret", "s"));
        strip_client_auth(&mut post);
        assert_eq!(post.form_value("client_secret"), None);
        assert_eq!(post.form_value("client_id"), Some("c"));

        let mut jwt = HttpRequest::new("t", Method::Post, "https://as/token");
        jwt.form.push(Param::public("client_assertion_type", "x"));
        jwt.form.push(Param::secret(
            "client_assertion",
            "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJhZ2VudCJ9.c2ln",
        ));
        strip_client_auth(&mut jwt);
        assert_eq!(jwt.form_value("client_assertion"), None);
        assert_eq!(jwt.form_value("client_assertion_type"), None);
        assert_eq!(jwt.form_value("client_id"), Some("agent"));
    }

    #[test]
    fn marked_redirect_uri_keeps_the_page_and_adds_the_mark() {
        assert_eq!(
            marked("http://127.0.0.1:8080/", "x"),
            "http://127.0.0.1:8080/?atp-probe=x"
        );
        assert_eq!(
            marked("https://a/cb?v=1", "x"),
            "https://a/cb?v=1&atp-probe=x"
        );
    }

    #[test]
    fn the_stranger_key_parses() {
        assert_eq!(stranger_key().kid, "atp-probe-stranger");
    }
}
