//! What a probe found: the normal run it started from, one result per case, and the report
//! as JSON (secrets removed by the run export's rules).

use serde_json::{json, Value};

use super::{Case, Level, Verdict};
use protocol_engine::engine::Exchange;
use protocol_engine::flow::{FlowDef, Step};
use protocol_render::export::Redactor;
use protocol_wire::endpoints::challenge_param;
use protocol_wire::mask::Known;

/// The format marker of a probe report.
pub const FORMAT: &str = "agent-token-playground/probe@1";

/// What the server answered: the status and the `error` code (from the JSON body, or from
/// the `WWW-Authenticate` challenge).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Got {
    /// The HTTP status, if an answer was read.
    pub status: Option<u16>,
    /// The `error` code, if one was given.
    pub error: Option<String>,
}

impl Got {
    /// What `x` got back.
    pub fn of(x: &Exchange) -> Got {
        let Ok(c) = &x.result else {
            return Got::default();
        };
        let body_error = serde_json::from_str::<Value>(&c.body)
            .ok()
            .and_then(|v| v.get("error").and_then(Value::as_str).map(String::from));
        let error = body_error.or_else(|| {
            c.header("www-authenticate")
                .and_then(|h| challenge_param(h, "error"))
        });
        Got {
            status: Some(c.status),
            error,
        }
    }

    /// In words: `400 invalid_grant`, `200`, `no answer`.
    pub fn shown(&self) -> String {
        match (self.status, &self.error) {
            (Some(s), Some(e)) => format!("{s} {e}"),
            (Some(s), None) => s.to_string(),
            (None, _) => "no answer".into(),
        }
    }

    /// Whether the answer was a success (2xx).
    pub fn accepted(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// One case's result.
#[derive(Clone)]
pub struct CaseResult {
    /// The case.
    pub case: &'static Case,
    /// The step it varied (`None` when it could not run).
    pub step: Option<&'static Step>,
    /// The judged answer.
    pub got: Got,
    /// The verdict.
    pub verdict: Verdict,
    /// Why, in words (what was sent, what came back, what the spec says).
    pub note: String,
    /// Every request the case sent (fresh inputs first, the varied request last).
    pub exchanges: Vec<Exchange>,
}

impl CaseResult {
    /// A case that was not run, with why.
    pub fn not_run(case: &'static Case, step: Option<&'static Step>, why: String) -> Self {
        CaseResult {
            case,
            step,
            got: Got::default(),
            verdict: Verdict::NotRun,
            note: why,
            exchanges: Vec::new(),
        }
    }
}

/// A step of the normal run the probe starts from.
#[derive(Clone)]
pub struct BaseRow {
    /// The step.
    pub step: &'static Step,
    /// Whether it succeeded.
    pub ok: bool,
    /// Its outcome, in one line.
    pub summary: String,
    /// Its requests and answers.
    pub exchanges: Vec<Exchange>,
}

/// A probe's report.
#[derive(Clone)]
pub struct Report {
    /// The flow probed.
    pub flow: &'static FlowDef,
    /// The servers wrong requests went to: (role key, issuer or URL).
    pub servers: Vec<(String, String)>,
    /// When it started (UTC).
    pub started: String,
    /// The normal run, step by step.
    pub baseline: Vec<BaseRow>,
    /// One result per case, in [`super::CASES`] order (so far, while it runs).
    pub cases: Vec<CaseResult>,
    /// Cases the flow has no step for, with why.
    pub not_applicable: Vec<(&'static Case, String)>,
    /// Whether every case has run.
    pub finished: bool,
}

impl Report {
    /// How many results have `verdict`.
    pub fn count(&self, verdict: Verdict) -> usize {
        self.cases.iter().filter(|c| c.verdict == verdict).count()
    }

    /// The results of MUST cases that failed.
    pub fn must_failures(&self) -> Vec<&CaseResult> {
        self.cases
            .iter()
            .filter(|c| c.verdict == Verdict::Fail && c.case.level == Level::Must)
            .collect()
    }

    /// The report in one sentence: the counts, and whether every MUST case passed.
    pub fn summary(&self) -> String {
        let counts = [
            Verdict::Pass,
            Verdict::Fail,
            Verdict::Warn,
            Verdict::Info,
            Verdict::NotRun,
        ]
        .into_iter()
        .filter_map(|v| match self.count(v) {
            0 => None,
            n => Some(format!("{n} {}", v.label())),
        })
        .collect::<Vec<_>>()
        .join(", ");
        let musts = self
            .cases
            .iter()
            .filter(|c| c.case.level == Level::Must)
            .collect::<Vec<_>>();
        let verdict = if !self.finished {
            "Running".to_string()
        } else if musts.is_empty() {
            "No MUST case applied".to_string()
        } else if musts.iter().all(|c| c.verdict == Verdict::Pass) {
            format!("Every MUST case passed ({})", musts.len())
        } else {
            let failed = self.must_failures().len();
            let open = musts
                .iter()
                .filter(|c| !matches!(c.verdict, Verdict::Pass | Verdict::Fail))
                .count();
            match (failed, open) {
                (0, n) => format!("{n} MUST case(s) not passed (warn or not run)"),
                (f, 0) => format!("{f} MUST case(s) failed"),
                (f, n) => format!("{f} MUST case(s) failed, {n} not passed (warn or not run)"),
            }
        };
        format!("{} cases: {counts}. {verdict}.", self.cases.len())
    }

    /// Every secret the probe's requests and answers carried (to mask them anywhere).
    pub fn secrets(&self) -> Known {
        let mut known = Known::new();
        let all = self
            .baseline
            .iter()
            .flat_map(|b| &b.exchanges)
            .chain(self.cases.iter().flat_map(|c| &c.exchanges));
        for x in all {
            x.learn_secrets(&mut known);
        }
        known
    }

    /// The report as JSON: `{"flow", "servers", "started", "cases": [{"id", "title", "spec",
    /// "level", "expected", "got": {"status", "error"}, "verdict", "note"}]}`, with each case's
    /// requests and answers; secrets removed as in a run export (`known` adds what the page
    /// knows besides the probe's own).
    pub fn json(&self, known: &Known) -> Value {
        let mut all = self.secrets();
        all.extend(known);
        let mut red = Redactor::new(false, &all);
        let cases: Vec<Value> = self
            .cases
            .iter()
            .map(|r| {
                json!({
                    "id": r.case.id,
                    "title": r.case.title,
                    "spec": r.case.spec_line(),
                    "spec_links": r.case.spec.iter().map(|s| json!({"label": s.label, "url": s.url})).collect::<Vec<_>>(),
                    "level": r.case.level.label(),
                    "expected": r.case.expected,
                    "step": r.step.map(|s| s.id),
                    "got": {"status": r.got.status, "error": r.got.error},
                    "verdict": r.verdict.label(),
                    "note": red.text(&r.note),
                    "exchanges": r.exchanges.iter().map(|x| red.exchange(x)).collect::<Vec<_>>(),
                })
            })
            .collect();
        let baseline: Vec<Value> = self
            .baseline
            .iter()
            .map(|b| {
                json!({
                    "step": b.step.id,
                    "title": b.step.title,
                    "ok": b.ok,
                    "summary": red.text(&b.summary),
                    "exchanges": b.exchanges.iter().map(|x| red.exchange(x)).collect::<Vec<_>>(),
                })
            })
            .collect();
        let servers: serde_json::Map<String, Value> = self
            .servers
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        json!({
            "format": FORMAT,
            "flow": self.flow.id,
            "title": self.flow.title,
            "servers": servers,
            "started": self.started,
            "finished": self.finished,
            "summary": self.summary(),
            "cases": cases,
            "not_applicable": self.not_applicable.iter().map(|(c, why)| json!({"id": c.id, "why": why})).collect::<Vec<_>>(),
            "baseline": baseline,
            "removed": red.removed(),
        })
    }
}
