//! What a step run produced ([`StepOutcome`]): for the flow state (its outputs) and for the
//! card (summary, diagnosis, decoded tokens, checks, the body).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Output;
use protocol_wire::checks::Finding;
pub use protocol_wire::diagnosis::Diagnosis;
use protocol_wire::jwt::decode;
use protocol_wire::response::ResponseProblem;
use protocol_wire::secret::Secret;
use protocol_wire::timefmt;

/// `v` with every known value hidden in its strings.
fn mask_strings(v: &Value, known: &protocol_wire::mask::Known) -> Value {
    match v {
        Value::String(s) => Value::String(known.mask(s)),
        Value::Array(a) => Value::Array(a.iter().map(|i| mask_strings(i, known)).collect()),
        Value::Object(m) => Value::Object(protocol_wire::maps::inserted(
            m.iter().map(|(k, i)| (k.clone(), mask_strings(i, known))),
        )),
        other => other.clone(),
    }
}

/// A token as shown on a card: raw, decoded header and claims, readable times.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TokenView {
    /// What it is ("ID token", "ID-JAG", ...).
    pub label: String,
    /// The raw token.
    pub raw: Secret,
    /// Decoded JOSE header, if it is a JWT.
    pub header: Option<Value>,
    /// Decoded claims, if it is a JWT.
    pub claims: Option<Value>,
    /// Time claims as (claim, UTC time, relative time).
    pub times: Vec<(String, String, String)>,
    /// Why it could not be decoded (opaque token, ...).
    pub note: Option<String>,
}

impl TokenView {
    /// Decodes a token for display; never fails.
    pub fn new(label: &str, raw: &str, now: i64) -> Self {
        match decode(raw) {
            Ok(jwt) => {
                let times = ["iat", "nbf", "auth_time", "exp"]
                    .iter()
                    .filter_map(|c| {
                        jwt.time_claim(c)
                            .map(|t| (c.to_string(), timefmt::utc(t), timefmt::relative(t, now)))
                    })
                    .collect();
                Self {
                    label: label.into(),
                    raw: raw.into(),
                    header: Some(Value::Object(jwt.header)),
                    claims: Some(Value::Object(jwt.claims)),
                    times,
                    note: None,
                }
            }
            Err(e) => Self {
                label: label.into(),
                raw: raw.into(),
                header: None,
                claims: None,
                times: vec![],
                note: Some(e.to_string()),
            },
        }
    }

    /// A string claim.
    pub fn claim(&self, name: &str) -> Option<&str> {
        self.claims.as_ref()?.get(name)?.as_str()
    }
}

/// What a step run produced, for the flow state and the card. Its `Debug` leaves out the
/// body (an answer may release credentials) and the raw tokens (their views hide them).
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StepOutcome {
    /// Whether the step succeeded (its outputs may be used).
    pub ok: bool,
    /// One line for the card ("ID-JAG issued for ...", or what failed).
    pub summary: String,
    /// For a failure: why it happened and how to fix it.
    pub diagnosis: Option<Diagnosis>,
    /// Values for the flow state.
    #[serde(skip)]
    pub outputs: Vec<(Output, Secret)>,
    /// Tokens to decode on the card.
    pub tokens: Vec<TokenView>,
    /// Check results.
    pub findings: Vec<Finding>,
    /// The JSON body, for non-token answers (API, introspection, released credentials).
    pub body: Option<Value>,
    /// Members of `body` whose values are credentials: masked until revealed.
    pub secret_members: Vec<String>,
    /// An answer this step could not read (neither JSON nor an event stream), as it came.
    #[serde(default)]
    pub raw: Option<RawBody>,
}

/// A body shown as it came, with what it said it is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawBody {
    /// Its `Content-Type` ("no Content-Type" when there was none).
    pub content_type: String,
    /// The text (cut at 64 KB).
    pub text: String,
}

impl std::fmt::Debug for StepOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StepOutcome")
            .field("ok", &self.ok)
            .field("summary", &self.summary)
            .field("diagnosis", &self.diagnosis)
            .field("outputs", &self.outputs)
            .field("tokens", &self.tokens)
            .field("findings", &self.findings)
            .field("secret_members", &self.secret_members)
            .finish_non_exhaustive()
    }
}

impl StepOutcome {
    /// A success with a summary.
    pub fn success(summary: impl Into<String>) -> Self {
        Self {
            ok: true,
            summary: summary.into(),
            ..Default::default()
        }
    }

    /// A failed outcome from a response problem.
    pub fn problem(p: &ResponseProblem) -> Self {
        Self {
            ok: false,
            summary: p.headline(),
            diagnosis: Some(p.diagnosis()),
            ..Default::default()
        }
    }

    /// A failed outcome with a message.
    pub fn failed(message: impl Into<String>) -> Self {
        Self {
            ok: false,
            summary: message.into(),
            ..Default::default()
        }
    }

    /// Teaches `known` the secrets this outcome holds: the tokens, the outputs that are
    /// credentials, the members of its body the step declares as credentials (whole), and
    /// the body's members named as credentials.
    pub fn learn_secrets(&self, known: &mut protocol_wire::mask::Known) {
        for t in &self.tokens {
            known.learn(t.raw.expose());
        }
        for (output, value) in &self.outputs {
            if output.kind.is_secret() {
                known.learn(value.expose());
            }
        }
        if let Some(body) = &self.body {
            for m in &self.secret_members {
                if let Some(v) = body.get(m) {
                    known.learn_all(v);
                }
            }
            known.learn_json(body);
        }
    }

    /// This outcome as it may be shown before secrets are revealed: every known value hidden
    /// in its texts (summary, diagnosis, findings, decoded tokens) and the body's credential
    /// members hidden whole. The raw tokens stay: their views mask them whole.
    pub fn masked(&self, known: &protocol_wire::mask::Known) -> StepOutcome {
        let mut o = self.clone();
        o.summary = known.mask(&o.summary);
        if let Some(d) = &mut o.diagnosis {
            d.cause = known.mask(&d.cause);
            d.fix = known.mask(&d.fix);
        }
        for f in &mut o.findings {
            f.message = known.mask(&f.message);
        }
        for t in &mut o.tokens {
            for part in [&mut t.header, &mut t.claims].into_iter().flatten() {
                *part = mask_strings(part, known);
            }
            t.note = t.note.as_ref().map(|n| known.mask(n));
        }
        if let Some(body) = &mut o.body {
            if let Some(map) = body.as_object_mut() {
                for m in &o.secret_members {
                    if let Some(v) = map.get_mut(m) {
                        *v = protocol_wire::mask::mask_all_values(v);
                    }
                }
            }
            *body = mask_strings(&protocol_wire::mask::mask_json(body), known);
        }
        if let Some(raw) = &mut o.raw {
            raw.text = known.mask(&raw.text);
        }
        o
    }

    /// Adds an output.
    pub fn output(mut self, output: Output, value: &str) -> Self {
        self.outputs.push((output, value.into()));
        self
    }

    /// Adds a decoded token.
    pub fn token(mut self, view: TokenView) -> Self {
        self.tokens.push(view);
        self
    }
}
