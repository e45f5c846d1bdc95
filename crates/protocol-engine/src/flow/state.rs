//! A flow's values (tokens and answers, in memory only) and the record of its step runs.
//!
//! Every value carries a version that changes when it changes. A run records the versions
//! of the values it used and a fingerprint of the request it sent; the step is stale when
//! either moved since, or when a step it depends on is stale (transitively).

use super::{FlowDef, Output};
use protocol_wire::maps::SortedMap;
use protocol_wire::secret::Secret;

/// Where a step stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepStatus {
    /// Some needed values are missing.
    Blocked {
        /// The missing values.
        missing: Vec<Output>,
    },
    /// Can run; has not run.
    Ready,
    /// Ran successfully with the current inputs.
    Done,
    /// Ran successfully, but something it depends on changed since.
    Stale {
        /// What changed.
        why: Vec<Staleness>,
    },
    /// The last run failed; can run again.
    Failed,
}

/// Why a step is stale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Staleness {
    /// A value it used was replaced.
    Value(Output),
    /// Its own request changed (a parameter or server setting was edited).
    Request,
    /// A step whose output it uses is stale itself (by step id).
    Upstream(&'static str),
}

impl StepStatus {
    /// A short name for styling and tests (`blocked`, `ready`, `done`, `stale`, `failed`).
    pub fn name(&self) -> &'static str {
        match self {
            StepStatus::Blocked { .. } => "blocked",
            StepStatus::Ready => "ready",
            StepStatus::Done => "done",
            StepStatus::Stale { .. } => "stale",
            StepStatus::Failed => "failed",
        }
    }

    /// One line for people; `origin` says where a value comes from ("step 2", or
    /// "Configuration"), `number` gives a step's number by id.
    pub fn describe(
        &self,
        origin: impl Fn(Output) -> String,
        number: impl Fn(&str) -> String,
    ) -> String {
        match self {
            StepStatus::Blocked { missing } => format!(
                "Waiting for {}",
                missing
                    .iter()
                    .map(|o| format!("{} ({})", o.label, origin(*o)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            StepStatus::Ready => "Ready".into(),
            StepStatus::Done => "Done".into(),
            StepStatus::Stale { why } => {
                let parts: Vec<String> = why
                    .iter()
                    .map(|w| match w {
                        Staleness::Value(o) => format!("{} ({}) changed", o.label, origin(*o)),
                        Staleness::Request => "its request changed".into(),
                        Staleness::Upstream(id) => format!("{} is stale", number(id)),
                    })
                    .collect();
                format!("Stale: {} since this ran — run it again", parts.join(", "))
            }
            StepStatus::Failed => "Failed — fix and retry".into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    value: Secret,
    version: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Run {
    ok: bool,
    inputs: Vec<(Output, u64)>,
    fingerprint: u64,
}

/// The values of a flow and the record of its step runs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FlowState {
    values: SortedMap<Output, Entry>,
    runs: SortedMap<&'static str, Run>,
    clock: u64,
}

impl FlowState {
    /// A value, if set.
    pub fn get(&self, output: Output) -> Option<&Secret> {
        self.values.get(&output).map(|e| &e.value)
    }

    /// Teaches `known` every token this flow holds (answers kept for the record are not
    /// secret).
    pub fn learn_secrets(&self, known: &mut protocol_wire::mask::Known) {
        for (output, entry) in &self.values {
            if output.kind.is_secret() {
                known.learn(entry.value.expose());
            }
        }
    }

    /// Sets a value; an empty one removes it. A changed value gets a new version.
    pub fn set(&mut self, output: Output, value: Secret) {
        if value.is_empty() {
            if self.values.remove(&output).is_some() {
                self.clock += 1;
            }
            return;
        }
        if self.values.get(&output).is_some_and(|e| e.value == value) {
            return;
        }
        self.clock += 1;
        self.values.insert(
            output,
            Entry {
                value,
                version: self.clock,
            },
        );
    }

    fn version(&self, output: Output) -> u64 {
        self.values.get(&output).map_or(0, |e| e.version)
    }

    /// Records a run of step `id` that used `needs`. A success stores its outputs; a failure
    /// clears the step's outputs (`produces`), so later steps cannot go on with results of an
    /// earlier run. The versions of the inputs and the request's `fingerprint` are taken once
    /// the outputs are in, so a step that replaces its own input (a refresh token that
    /// rotates) is not stale because of itself.
    pub fn record(
        &mut self,
        id: &'static str,
        needs: &[Output],
        produces: &[Output],
        outcome: Result<Vec<(Output, Secret)>, ()>,
        fingerprint: impl FnOnce(&FlowState) -> u64,
    ) {
        let ok = outcome.is_ok();
        match outcome {
            Ok(outputs) => {
                for (o, v) in outputs {
                    self.set(o, v);
                }
            }
            Err(()) => {
                for o in produces {
                    self.set(*o, Secret::empty());
                }
            }
        }
        let inputs = needs.iter().map(|o| (*o, self.version(*o))).collect();
        let fingerprint = fingerprint(self);
        self.runs.insert(
            id,
            Run {
                ok,
                inputs,
                fingerprint,
            },
        );
    }

    /// Forgets every value and run ("Reset steps").
    pub fn reset(&mut self) {
        self.values.clear();
        self.runs.clear();
        self.clock += 1;
    }

    /// The status of every step of `def` that applies to `config`, in order, given each
    /// step's current request fingerprint (`fingerprint(step id)`).
    pub fn statuses(
        &self,
        def: &FlowDef,
        config: &super::FlowConfig,
        fingerprint: impl Fn(&'static super::Step) -> u64,
    ) -> Vec<StepStatus> {
        let steps = def.steps(config);
        let mut out: Vec<StepStatus> = Vec::with_capacity(steps.len());
        for step in &steps {
            let needs = (step.needs)(config);
            let missing: Vec<Output> = needs
                .iter()
                .filter(|o| self.get(**o).is_none())
                .copied()
                .collect();
            let status = if !missing.is_empty() {
                StepStatus::Blocked { missing }
            } else {
                match self.runs.get(&step.id) {
                    None => StepStatus::Ready,
                    Some(run) if !run.ok => StepStatus::Failed,
                    Some(run) => {
                        let mut why: Vec<Staleness> = run
                            .inputs
                            .iter()
                            .filter(|(o, v)| self.version(*o) != *v)
                            .map(|(o, _)| Staleness::Value(*o))
                            .collect();
                        if fingerprint(step) != run.fingerprint {
                            why.push(Staleness::Request);
                        }
                        for o in needs {
                            let upstream = steps
                                .iter()
                                .position(|s| s.produces.contains(o))
                                .filter(|i| matches!(out.get(*i), Some(StepStatus::Stale { .. })));
                            if let Some(i) = upstream {
                                let w = Staleness::Upstream(steps[i].id);
                                if !why.contains(&w) {
                                    why.push(w);
                                }
                            }
                        }
                        if why.is_empty() {
                            StepStatus::Done
                        } else {
                            StepStatus::Stale { why }
                        }
                    }
                }
            };
            out.push(status);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::OutputKind;

    const fn output(key: &'static str) -> Output {
        Output {
            key,
            label: key,
            kind: OutputKind::AccessToken,
        }
    }

    #[test]
    fn values_set_in_any_order_are_found_replaced_and_removed() {
        let (a, b, c) = (output("a"), output("b"), output("c"));
        let mut s = FlowState::default();
        for o in [c, a, b] {
            s.set(o, Secret::new(o.key));
        }
        assert_eq!(s.get(a).unwrap().expose(), "a");
        assert_eq!(s.get(c).unwrap().expose(), "c");
        let before = s.version(b);
        s.set(b, Secret::new("b"));
        assert_eq!(s.version(b), before, "the same value keeps its version");
        s.set(b, Secret::new("b2"));
        assert!(s.version(b) > before, "a changed value gets a new one");
        assert_eq!(s.get(b).unwrap().expose(), "b2");
        s.set(a, Secret::empty());
        assert!(s.get(a).is_none());
        assert_eq!(s.version(a), 0);
        let keys: Vec<_> = s.values.keys().map(|o| o.key).collect();
        assert_eq!(keys, ["b", "c"], "kept in key order, as a map");
    }
}
