//! A run written down: the configuration, every request and response, the findings, the
//! decoded tokens and the timings, as JSON (which imports back, read-only) and as a Markdown
//! report. Unless the user includes them, private keys, client secrets and credentials in
//! requests are removed, tokens lose their signatures (their claims stay readable, the token
//! is no longer usable), and the export says what was removed.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use protocol_engine::flow::FlowConfig;
use protocol_wire::checks::Finding;
use protocol_wire::mask::{is_credential_name, Known};
use protocol_wire::request::HttpRequest;
use protocol_wire::response::HttpCapture;
use protocol_wire::secret::redacted;

/// The format marker of an exported run.
pub const FORMAT: &str = "agent-token-playground/run@1";
/// What replaces a removed value.
pub const REMOVED: &str = "‹removed›";
/// What replaces a removed signature.
pub const NO_SIGNATURE: &str = "‹signature removed›";

/// A whole run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunExport {
    /// [`FORMAT`].
    pub format: String,
    /// The flow's id and title.
    pub flow: String,
    /// The flow's title.
    pub title: String,
    /// When it was exported (UTC).
    pub exported_at: String,
    /// Whether secrets were included on purpose.
    pub includes_secrets: bool,
    /// What was removed, in words.
    pub removed: Vec<String>,
    /// The configuration.
    pub config: FlowConfig,
    /// Each step that applied, in order.
    pub steps: Vec<StepRecord>,
}

/// One step of the run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepRecord {
    /// Its number in the run.
    pub number: usize,
    /// Its title.
    pub title: String,
    /// Its status when exported (`done`, `failed`, `ready`, ...).
    pub status: String,
    /// Its outcome's summary, if it ran.
    pub summary: Option<String>,
    /// What the checks found.
    pub findings: Vec<Finding>,
    /// The tokens it obtained, decoded.
    pub tokens: Vec<TokenRecord>,
    /// Its requests and responses.
    pub exchanges: Vec<ExchangeRecord>,
}

/// A decoded token.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TokenRecord {
    /// What it is.
    pub label: String,
    /// The token (without its signature unless secrets are included; opaque ones removed).
    pub token: String,
    /// Its JOSE header, if a JWT.
    pub header: Option<Value>,
    /// Its claims, if a JWT.
    pub claims: Option<Value>,
}

/// A request and what came back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExchangeRecord {
    /// When it was sent (UTC).
    pub at: String,
    /// The request as sent (credentials removed unless included).
    pub request: HttpRequest,
    /// The response, if one was read.
    pub response: Option<HttpCapture>,
    /// Why there is no response.
    pub error: Option<String>,
    /// Milliseconds.
    pub ms: u32,
    /// The relay it went through.
    pub via: Option<String>,
}

/// Removes secrets from what is exported, and counts what it removed: by declaration (secret
/// parameters), by name (credential members and headers) and by value (every secret the run
/// has seen, wherever it appears).
#[derive(Default)]
pub struct Redactor {
    include: bool,
    known: Known,
    credentials: usize,
    signatures: usize,
    opaque: usize,
}

impl Redactor {
    /// A redactor that removes the values in `known` wherever they appear; `include` keeps
    /// everything (the user's explicit choice).
    pub fn new(include: bool, known: &Known) -> Self {
        Self {
            include,
            known: known.clone(),
            ..Self::default()
        }
    }

    /// Any text (a summary, a finding, an error message) without the known secrets in it.
    pub fn text(&mut self, text: &str) -> String {
        if self.include {
            return text.to_string();
        }
        self.known.replace(text, |_| REMOVED.to_string())
    }

    /// A token as exported: a JWT without its signature, an opaque token removed.
    pub fn token(&mut self, raw: &str) -> String {
        if self.include || raw.is_empty() {
            return raw.to_string();
        }
        let parts: Vec<&str> = raw.split('.').collect();
        if parts.len() == 3 && protocol_wire::jwt::decode(raw).is_ok() {
            self.signatures += 1;
            format!("{}.{}.{NO_SIGNATURE}", parts[0], parts[1])
        } else {
            self.opaque += 1;
            REMOVED.to_string()
        }
    }

    /// A secret value of a request: tokens lose their signature, other credentials go.
    fn credential(&mut self, value: &str) -> String {
        if self.include {
            return value.to_string();
        }
        match value.split_once(' ') {
            Some((scheme, cred)) if scheme.eq_ignore_ascii_case("bearer") => {
                format!("{scheme} {}", self.token(cred))
            }
            _ if value.matches('.').count() == 2 => self.token(value),
            _ => {
                self.credentials += 1;
                REMOVED.to_string()
            }
        }
    }

    /// A request with its secret values redacted.
    pub fn request(&mut self, req: &HttpRequest) -> HttpRequest {
        if self.include {
            return req.clone();
        }
        let mut r = req.clone();
        r.url = self.text(&r.url);
        for p in r
            .query
            .iter_mut()
            .chain(r.headers.iter_mut())
            .chain(r.form.iter_mut())
        {
            p.value = if p.secret || is_credential_name(&p.name) {
                self.credential(&p.value)
            } else {
                self.text(&p.value)
            };
        }
        if let Some(body) = &r.raw_body {
            r.raw_body = Some(self.body(body));
        }
        r
    }

    /// An exchange of the log, as exported: its request and response redacted.
    pub fn exchange(&mut self, x: &protocol_engine::engine::Exchange) -> ExchangeRecord {
        ExchangeRecord {
            at: x.at.clone(),
            request: self.request(&x.request),
            response: x.result.as_ref().ok().map(|c| self.capture(c)),
            error: x.result.as_ref().err().map(|f| self.text(&f.headline())),
            ms: x.ms,
            via: x.via.clone(),
        }
    }

    /// A response with credential headers and body members redacted.
    pub fn capture(&mut self, capture: &HttpCapture) -> HttpCapture {
        if self.include {
            return capture.clone();
        }
        let mut c = capture.clone();
        for (name, value) in &mut c.headers {
            *value = if is_credential_name(name) {
                self.credential(value)
            } else {
                self.text(value)
            };
        }
        c.body = self.body(&c.body);
        c
    }

    /// A response or JSON request body with its secret members redacted.
    pub fn body(&mut self, body: &str) -> String {
        if self.include {
            return body.to_string();
        }
        let Ok(mut v) = serde_json::from_str::<Value>(body) else {
            return self.text(body);
        };
        self.walk(&mut v);
        let text = serde_json::to_string_pretty(&v).unwrap_or_default();
        self.text(&text)
    }

    fn walk(&mut self, v: &mut Value) {
        match v {
            Value::Object(map) => {
                for (k, val) in map.iter_mut() {
                    match val {
                        Value::String(s) if is_credential_name(k) => {
                            *s = if k.ends_with("token") || k.ends_with("assertion") {
                                self.token(s)
                            } else {
                                self.credential(s)
                            }
                        }
                        Value::Object(_) | Value::Array(_) | Value::Number(_)
                            if is_credential_name(k) =>
                        {
                            *val = Value::String(REMOVED.into());
                            self.credentials += 1;
                        }
                        Value::String(s) => *s = self.text(s),
                        other => self.walk(other),
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|i| self.walk(i)),
            Value::String(s) => *s = self.text(s),
            _ => {}
        }
    }

    /// The configuration without keys and secrets (unless included), and without any known
    /// secret typed into a parameter (an API header's value).
    pub fn config(&mut self, config: &FlowConfig) -> FlowConfig {
        if self.include {
            return config.clone();
        }
        // Through JSON text, not a `Value`: the page already reads and writes a configuration
        // as text (storage), so no second serializer and reader of it is built for `Value`.
        let (text, n) = redacted(|| serde_json::to_string(config).unwrap_or_default());
        self.credentials += n;
        let mut json: Value = serde_json::from_str(&text).unwrap_or_default();
        self.scrub(&mut json);
        serde_json::from_str(&json.to_string()).unwrap_or_default()
    }

    /// Removes the known secrets from every string of `v`.
    fn scrub(&mut self, v: &mut Value) {
        match v {
            Value::String(s) => *s = self.text(s),
            Value::Array(items) => items.iter_mut().for_each(|i| self.scrub(i)),
            Value::Object(map) => map.values_mut().for_each(|i| self.scrub(i)),
            _ => {}
        }
    }

    /// What was removed, in words.
    pub fn removed(&self) -> Vec<String> {
        if self.include {
            return vec!["nothing: secrets were included on purpose".into()];
        }
        let mut out = vec!["the relay key (never exported)".to_string()];
        if self.credentials > 0 {
            out.push(format!(
                "{} private keys, client secrets and other credentials",
                self.credentials
            ));
        }
        if self.signatures > 0 {
            out.push(format!(
                "{} token signatures (claims kept; the tokens cannot be used)",
                self.signatures
            ));
        }
        if self.opaque > 0 {
            out.push(format!("{} opaque tokens", self.opaque));
        }
        out
    }
}

/// Why a file is not an exported run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportError {
    /// Larger than 16 MB.
    TooLarge,
    /// Not JSON (the parser's message).
    NotJson(String),
    /// JSON, but not a run this app exported.
    NotARun,
    /// A run, but damaged (the parser's message).
    Damaged(String),
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::TooLarge => {
                f.write_str("the file is larger than 16 MB; an exported run is far smaller")
            }
            ImportError::NotJson(e) => write!(f, "the file is not JSON ({e})"),
            ImportError::NotARun => write!(
                f,
                "the file is not a run exported by this app (no \"format\": \"{FORMAT}\")"
            ),
            ImportError::Damaged(e) => write!(f, "the exported run is damaged ({e})"),
        }
    }
}

/// Reads an exported run; anything else is refused with the reason.
pub fn import(json: &str) -> Result<RunExport, ImportError> {
    if json.len() > 16 * 1024 * 1024 {
        return Err(ImportError::TooLarge);
    }
    let v: Value = serde_json::from_str(json).map_err(|e| ImportError::NotJson(e.to_string()))?;
    if v.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(ImportError::NotARun);
    }
    serde_json::from_str(json).map_err(|e| ImportError::Damaged(e.to_string()))
}

fn fence(lang: &str, text: &str) -> String {
    let ticks = if text.contains("```") { "````" } else { "```" };
    format!("{ticks}{lang}\n{text}\n{ticks}\n")
}

/// The run as a Markdown report.
pub fn markdown(run: &RunExport) -> String {
    let mut md = format!(
        "# {}\n\nExported {} by Agent Token Playground ({}).\n\nRemoved: {}.\n\n## Configuration\n\n",
        run.title,
        run.exported_at,
        run.flow,
        run.removed.join("; ")
    );
    for (role, s) in &run.config.servers {
        md.push_str(&format!(
            "- server `{role}`: {} ({:?}{})\n",
            s.issuer(),
            s.layout,
            if s.relay { ", via the relay" } else { "" }
        ));
    }
    for (reg, c) in &run.config.clients {
        md.push_str(&format!(
            "- client `{reg}`: `{}`, {}\n",
            c.id(),
            c.auth.key()
        ));
    }
    for (k, v) in &run.config.params {
        md.push_str(&format!("- `{k}` = `{v}`\n"));
    }
    for s in &run.steps {
        md.push_str(&format!(
            "\n## Step {}: {}\n\nStatus: **{}**",
            s.number, s.title, s.status
        ));
        if let Some(summary) = &s.summary {
            md.push_str(&format!(" — {summary}"));
        }
        md.push('\n');
        for x in &s.exchanges {
            md.push_str(&format!(
                "\n### {} ({} ms{})\n\n",
                x.request.label,
                x.ms,
                x.via
                    .as_ref()
                    .map(|v| format!(", via the relay at {v}"))
                    .unwrap_or_default()
            ));
            md.push_str(&fence("sh", &protocol_wire::curl::render(&x.request, true)));
            match (&x.response, &x.error) {
                (Some(r), _) => {
                    md.push_str(&format!("\nHTTP {}\n\n", r.status));
                    if !r.body.is_empty() {
                        md.push_str(&fence("json", &r.body));
                    }
                }
                (None, Some(e)) => md.push_str(&format!("\nNo response: {e}\n")),
                _ => {}
            }
        }
        if !s.findings.is_empty() {
            md.push_str("\nChecks:\n\n");
            for f in &s.findings {
                let spec = if f.spec.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", f.spec)
                };
                md.push_str(&format!("- {}: {}{spec}\n", f.severity.name(), f.message));
            }
        }
        for t in &s.tokens {
            if let Some(claims) = &t.claims {
                md.push_str(&format!("\n{} claims:\n\n", t.label));
                md.push_str(&fence(
                    "json",
                    &serde_json::to_string_pretty(claims).unwrap_or_default(),
                ));
            }
        }
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol_wire::request::{Method, Param};

    const JWT: &str = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";

    #[test]
    fn requests_and_bodies_lose_credentials_and_signatures() {
        let mut r = HttpRequest::new("x", Method::Post, "https://as.example/token");
        r.headers
            .push(Param::secret("Authorization", "Basic c2VjcmV0"));
        r.form.push(Param::secret("subject_token", JWT));
        r.form.push(Param::secret("client_assertion", JWT));
        r.form.push(Param::public("scope", "files.read"));
        let mut red = Redactor::new(false, &Known::new());
        let out = serde_json::to_string(&red.request(&r)).unwrap();
        assert!(
            !out.contains("c2VjcmV0") && !out.contains("c2lnbmF0dXJl"),
            "{out}"
        );
        assert!(out.contains("eyJzdWIiOiJhbGljZSJ9"), "claims stay readable");
        let body = red.body(&format!(
            r#"{{"access_token":"opaque-123","id_token":"{JWT}","expires_in":300}}"#
        ));
        assert!(
            !body.contains("opaque-123") && !body.contains("c2lnbmF0dXJl") && body.contains("300"),
            "{body}"
        );
        let removed = red.removed().join("; ");
        assert!(
            removed.contains("3 token signatures") && removed.contains("1 opaque tokens"),
            "{removed}"
        );
        assert!(
            Redactor::new(true, &Known::new()).request(&r) == r,
            "included on purpose: unchanged"
        );
    }

    #[test]
    fn only_exported_runs_import() {
        assert!(import("{}")
            .unwrap_err()
            .to_string()
            .contains("not a run exported by this app"));
        assert!(import("nope").is_err());
        let run = RunExport {
            format: FORMAT.into(),
            flow: "agentic".into(),
            title: "T".into(),
            exported_at: "now".into(),
            includes_secrets: false,
            removed: vec![],
            config: FlowConfig::default(),
            steps: vec![],
        };
        let json = serde_json::to_string(&run).unwrap();
        assert_eq!(import(&json).unwrap(), run);
        assert!(markdown(&run).starts_with("# T\n"));
    }
}
