//! What is secret in a run, and how it is hidden until the user reveals it.
//!
//! Two rules, applied together wherever text is shown or exported:
//! - **by value**: every secret value the run has seen ([`Known`]: sent as a secret parameter,
//!   delivered by a response, held in the configuration) is hidden wherever it appears, in any
//!   text, whatever surrounds it;
//! - **by name**: a JSON member or header whose name says it carries a credential
//!   ([`is_credential_name`]: `access_token`, `api_key`, `clientSecret`, `X-Api-Key`, ...) is
//!   hidden whole, nested objects included, even when its value was never seen before.
//!
//! A list of names alone always misses the next vendor's name for a key, which is why every
//! value a response delivers is also learned by value.

use std::fmt;

use serde_json::Value;

use crate::encoding::form_urlencode;
use crate::request::{is_placeholder, HttpRequest, Param};

/// Values shorter than this are hidden where they are declared (a secret parameter, a
/// credential member) but not searched for in every text: a short value such as `abc`
/// would mask unrelated words.
pub const MIN_SEARCHED_LEN: usize = 6;

/// The mask shown in place of a secret value: its length and nothing of its content. A mask
/// is not masked again.
pub fn mask(value: &str) -> String {
    if is_mask(value) {
        return value.to_string();
    }
    format!("‹hidden {} chars›", value.chars().count())
}

/// Whether `value` is a mask made by [`mask`].
fn is_mask(value: &str) -> bool {
    value
        .strip_prefix("‹hidden ")
        .and_then(|r| r.strip_suffix(" chars›"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// A parameter's value as shown: a secret one masked unless revealed (an `Authorization`
/// value keeps its scheme visible: `Bearer ‹hidden 40 chars›`); placeholders as they are.
pub fn shown_value(p: &Param, reveal: bool) -> String {
    if !p.secret || reveal || is_placeholder(&p.value) {
        return p.value.clone();
    }
    match p.value.split_once(' ') {
        Some((scheme, cred)) if p.name.eq_ignore_ascii_case("authorization") => {
            format!("{scheme} {}", mask(cred))
        }
        _ => mask(&p.value),
    }
}

/// Form-encoded parameters as shown: public values encoded as sent, secret ones replaced by
/// their mask (unless revealed: then exactly the bytes sent).
pub fn shown_form(params: &[Param], reveal: bool) -> String {
    params
        .iter()
        .map(|p| {
            let value = if p.secret && !reveal && !is_placeholder(&p.value) {
                shown_value(p, false)
            } else {
                form_urlencode(&p.value)
            };
            format!("{}={value}", form_urlencode(&p.name))
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// A request's URL (with its query) as shown; see [`shown_form`].
pub fn shown_url(req: &HttpRequest, reveal: bool) -> String {
    if req.query.is_empty() {
        return req.url.clone();
    }
    let sep = if req.url.contains('?') { '&' } else { '?' };
    format!("{}{sep}{}", req.url, shown_form(&req.query, reveal))
}

/// A request's headers (one `Name: value` a line), a blank line and its body, as shown.
pub fn shown_message(req: &HttpRequest, reveal: bool) -> String {
    let headers: String = req
        .headers
        .iter()
        .map(|h| format!("{}: {}\n", h.name, shown_value(h, reveal)))
        .collect();
    let body = match &req.raw_body {
        Some(raw) if reveal => raw.clone(),
        Some(raw) => mask_json_text(raw),
        None => shown_form(&req.form, reveal),
    };
    format!("{headers}\n{body}")
}

/// Whether a JSON member, header or parameter name says that its value is a credential:
/// tokens, secrets, passwords, keys, assertions, cookies, verifiers (any case, with `-`,
/// `_` or `.` between words). Names of a credential's *kind* or *place* (`token_type`,
/// `token_endpoint`, `expires_in`, `key_id`, `public_key`) are not.
pub fn is_credential_name(name: &str) -> bool {
    let n: String = name
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | '.' | ' '))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    const NOT: &[&str] = &[
        "type",
        "types",
        "endpoint",
        "endpoints",
        "uri",
        "url",
        "hint",
        "expiresin",
        "expiresat",
        "lifetime",
        "method",
        "methods",
        "supported",
        "alg",
        "algs",
        "format",
        "id",
        "ids",
        "name",
    ];
    if NOT.iter().any(|s| n.ends_with(s)) && n != "sessionid" || n.contains("public") {
        return false;
    }
    const WORDS: &[&str] = &[
        "token",
        "secret",
        "password",
        "passwd",
        "passphrase",
        "credential",
        "assertion",
        "cookie",
        "verifier",
        "authorization",
        "apikey",
        "privatekey",
    ];
    const EXACT: &[&str] = &["key", "code", "sessionid", "session", "auth"];
    WORDS.iter().any(|w| n.contains(w)) || EXACT.contains(&n.as_str()) || n.ends_with("key")
}

/// Members of a JWK that hold private key material.
const JWK_PRIVATE: &[&str] = &["d", "p", "q", "dp", "dq", "qi", "k"];

/// Every secret value a run has seen, longest first, each once. Its `Debug` shows how many it
/// holds, never one of them.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Known {
    values: Vec<String>,
}

impl fmt::Debug for Known {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Known(‹{} secret values›)", self.values.len())
    }
}

impl Known {
    /// Nothing known yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many values are known.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether no value is known.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Learns a secret value, and the parts of it that may appear alone: an `Authorization`
    /// value's credential (`Bearer x` -> `x`), a JWT's signature, a JWK's private members.
    pub fn learn(&mut self, value: &str) {
        let v = value.trim();
        if v.len() < MIN_SEARCHED_LEN || is_placeholder(v) {
            return;
        }
        self.insert(v);
        if let Some((scheme, credential)) = v.split_once(' ') {
            if !scheme.is_empty() && scheme.bytes().all(|b| b.is_ascii_alphabetic()) {
                self.learn(credential);
            }
        }
        let parts: Vec<&str> = v.split('.').collect();
        if parts.len() == 3 && parts.iter().all(|p| is_base64url(p)) {
            self.learn(parts[2]);
        }
        if v.starts_with('{') {
            if let Ok(json) = serde_json::from_str::<Value>(v) {
                self.learn_json(&json);
            }
        }
    }

    fn insert(&mut self, v: &str) {
        if self.values.iter().any(|s| s == v) {
            return;
        }
        // Longest first, so a secret that contains another is masked whole; placed by hand
        // (a sort would add kilobytes of code to the bundle).
        let at = self.values.partition_point(|s| s.len() >= v.len());
        self.values.insert(at, v.to_string());
    }

    /// Learns everything `other` knows.
    pub fn extend(&mut self, other: &Known) {
        for v in &other.values {
            self.insert(v);
        }
    }

    /// Learns the secret parameters of a request (query, headers, form), the values of headers
    /// and of JSON body members named as credentials.
    pub fn learn_request(&mut self, req: &HttpRequest) {
        for p in req.query.iter().chain(&req.headers).chain(&req.form) {
            if p.secret || is_credential_name(&p.name) {
                self.learn(&p.value);
            }
        }
        if let Some(body) = &req.raw_body {
            self.learn_body(body);
        }
    }

    /// Learns the credentials of a response's headers (`Set-Cookie`, ...).
    pub fn learn_headers<'a>(&mut self, headers: impl IntoIterator<Item = (&'a str, &'a str)>) {
        for (name, value) in headers {
            if is_credential_name(name) {
                self.learn(value);
            }
        }
    }

    /// Learns the credentials a body delivers: JSON members named as credentials (at any
    /// depth, everything inside them), and the same in each `data:` line of an event stream.
    pub fn learn_body(&mut self, body: &str) {
        for json in json_documents(body) {
            self.learn_json(&json);
        }
    }

    /// Learns the credentials of a JSON value (see [`Known::learn_body`]).
    pub fn learn_json(&mut self, v: &Value) {
        match v {
            Value::Object(map) => {
                let jwk = map.contains_key("kty");
                for (k, val) in map {
                    if is_credential_name(k) || (jwk && JWK_PRIVATE.contains(&k.as_str())) {
                        self.learn_all(val);
                    } else {
                        self.learn_json(val);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|i| self.learn_json(i)),
            _ => {}
        }
    }

    /// Learns every string and number inside `v`: a member the flow declares as delivering a
    /// credential (a vaulted secret, a service account) is secret whole.
    pub fn learn_all(&mut self, v: &Value) {
        match v {
            Value::String(s) => self.learn(s),
            Value::Number(n) => self.learn(&n.to_string()),
            Value::Array(items) => items.iter().for_each(|i| self.learn_all(i)),
            Value::Object(map) => map.values().for_each(|i| self.learn_all(i)),
            _ => {}
        }
    }

    /// The known values, longest first.
    pub fn values(&self) -> &[String] {
        &self.values
    }

    /// `text` with every known value replaced by its mask.
    pub fn mask(&self, text: &str) -> String {
        self.replace(text, mask)
    }

    /// `text` with every known value replaced by what `with` makes of it.
    pub fn replace(&self, text: &str, with: impl Fn(&str) -> String) -> String {
        let mut out = text.to_string();
        for s in &self.values {
            if out.contains(s.as_str()) {
                out = out.replace(s.as_str(), &with(s));
            }
        }
        out
    }

    /// `req` as it may be shown: known values hidden in the URL, the public parameters and the
    /// raw body (secret parameters stay as they are: every renderer hides them whole), and
    /// headers named as credentials marked secret.
    pub fn mask_request(&self, req: &HttpRequest) -> HttpRequest {
        let mut r = req.clone();
        r.url = self.mask(&r.url);
        for p in r
            .query
            .iter_mut()
            .chain(r.headers.iter_mut())
            .chain(r.form.iter_mut())
        {
            if is_credential_name(&p.name) {
                p.secret = true;
            }
            if !p.secret {
                p.value = self.mask(&p.value);
            }
        }
        if let Some(body) = &r.raw_body {
            r.raw_body = Some(self.mask(&mask_json_text(body)));
        }
        r
    }
}

fn is_base64url(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'=')
}

/// The JSON documents of a body: the body itself, or each `data:` line of an event stream.
fn json_documents(body: &str) -> Vec<Value> {
    if let Ok(v) = serde_json::from_str::<Value>(body) {
        return vec![v];
    }
    body.lines()
        .filter_map(|l| l.strip_prefix("data:"))
        .filter_map(|d| serde_json::from_str::<Value>(d.trim()).ok())
        .collect()
}

/// A JSON value with every member named as a credential hidden whole (any depth).
pub fn mask_json(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(crate::maps::inserted(m.iter().map(|(k, val)| {
            let shown = if is_credential_name(k) {
                mask_all_values(val)
            } else {
                mask_json(val)
            };
            (k.clone(), shown)
        }))),
        Value::Array(a) => Value::Array(a.iter().map(mask_json).collect()),
        other => other.clone(),
    }
}

/// A JSON text with its credential members hidden (pretty-printed); any other text is
/// returned as it is (known values are hidden by [`Known::mask`]).
pub fn mask_json_text(text: &str) -> String {
    match serde_json::from_str::<Value>(text) {
        Ok(v) => serde_json::to_string_pretty(&mask_json(&v)).unwrap_or_else(|_| text.into()),
        Err(_) => text.to_string(),
    }
}

/// Masks every string and number in a JSON value (a released credential), keeping keys.
pub fn mask_all_values(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(crate::maps::inserted(
            m.iter().map(|(k, v)| (k.clone(), mask_all_values(v))),
        )),
        Value::Array(a) => Value::Array(a.iter().map(mask_all_values).collect()),
        Value::String(s) => Value::String(mask(s)),
        Value::Number(n) => Value::String(mask(&n.to_string())),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests;
