//! Flow state: what each step needs and produces, so a step is enabled only when its inputs
//! exist, and editing an input or re-running a step marks later steps stale.
//!
//! Every value carries a version that changes when the value changes. A step run records
//! the versions of the inputs it used; it is stale when any of them moved since.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What a step reads and writes, by value name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepSpec {
    /// Step identifier.
    pub id: String,
    /// Values that must exist before the step can run.
    pub needs: Vec<String>,
    /// Values the step also reads when present (configuration), for staleness only.
    pub uses: Vec<String>,
    /// Values a successful run produces.
    pub produces: Vec<String>,
}

impl StepSpec {
    /// A spec from string slices.
    pub fn new(id: &str, needs: &[&str], uses: &[&str], produces: &[&str]) -> Self {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect();
        Self {
            id: id.into(),
            needs: v(needs),
            uses: v(uses),
            produces: v(produces),
        }
    }
}

/// Where a step stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepStatus {
    /// Some needed values are missing.
    Blocked {
        /// The missing value names.
        missing: Vec<String>,
    },
    /// Can run; has not run (or its last result was cleared).
    Ready,
    /// Ran successfully with the current inputs.
    Done,
    /// Ran successfully, but inputs changed since.
    Stale {
        /// The inputs that changed.
        changed: Vec<String>,
    },
    /// The last run failed; can run again.
    Failed,
}

impl StepStatus {
    /// A short name for styling (`blocked`, `ready`, `done`, `stale`, `failed`).
    pub fn name(&self) -> &'static str {
        match self {
            StepStatus::Blocked { .. } => "blocked",
            StepStatus::Ready => "ready",
            StepStatus::Done => "done",
            StepStatus::Stale { .. } => "stale",
            StepStatus::Failed => "failed",
        }
    }

    /// One line for people, naming each missing or changed value by where it comes from: the
    /// step of `specs` that produces it, or the configuration.
    pub fn describe(&self, specs: &[StepSpec]) -> String {
        let list = |keys: &[String]| {
            keys.iter()
                .map(|k| describe_value(k, specs))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            StepStatus::Blocked { missing } => format!("Waiting for {}", list(missing)),
            StepStatus::Ready => "Ready".into(),
            StepStatus::Done => "Done".into(),
            StepStatus::Stale { changed } => format!(
                "Stale: {} changed since this ran — run it again",
                list(changed)
            ),
            StepStatus::Failed => "Failed — fix and retry".into(),
        }
    }
}

/// `ID-JAG (step 2)`, `user ID token (step 1)`, or `agent key (Configuration)`.
pub fn describe_value(key: &str, specs: &[StepSpec]) -> String {
    let name = key
        .trim_start_matches("cfg.")
        .replace("id_jag", "ID-JAG")
        .replace("id_token", "ID token")
        .replace('_', " ");
    match specs
        .iter()
        .position(|s| s.produces.iter().any(|p| p == key))
    {
        Some(i) => format!("{name} (step {})", i + 1),
        None => format!("{name} (Configuration)"),
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    value: String,
    version: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Run {
    ok: bool,
    inputs: BTreeMap<String, u64>,
}

/// The values of a flow and the record of its step runs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowState {
    values: BTreeMap<String, Entry>,
    runs: BTreeMap<String, Run>,
    clock: u64,
}

impl FlowState {
    /// Sets a value; an empty value removes it. Changing a value changes its version.
    pub fn set(&mut self, key: &str, value: &str) {
        if value.trim().is_empty() {
            if self.values.remove(key).is_some() {
                self.clock += 1;
            }
            return;
        }
        if self.values.get(key).is_some_and(|e| e.value == value) {
            return;
        }
        self.clock += 1;
        self.values.insert(
            key.into(),
            Entry {
                value: value.into(),
                version: self.clock,
            },
        );
    }

    /// A value, if set.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(|e| e.value.as_str())
    }

    fn version(&self, key: &str) -> u64 {
        self.values.get(key).map_or(0, |e| e.version)
    }

    /// The status of a step.
    pub fn status(&self, spec: &StepSpec) -> StepStatus {
        let missing: Vec<String> = spec
            .needs
            .iter()
            .filter(|k| self.get(k).is_none())
            .cloned()
            .collect();
        if !missing.is_empty() {
            return StepStatus::Blocked { missing };
        }
        match self.runs.get(&spec.id) {
            None => StepStatus::Ready,
            Some(run) if !run.ok => StepStatus::Failed,
            Some(run) => {
                let changed: Vec<String> = spec
                    .needs
                    .iter()
                    .chain(&spec.uses)
                    .filter(|k| run.inputs.get(*k).copied().unwrap_or(0) != self.version(k))
                    .cloned()
                    .collect();
                if changed.is_empty() {
                    StepStatus::Done
                } else {
                    StepStatus::Stale { changed }
                }
            }
        }
    }

    /// Records a run. A success stores its outputs; a failure clears them, so later steps
    /// cannot go on with results of an earlier run.
    pub fn record_run(&mut self, spec: &StepSpec, ok: bool, outputs: &[(&str, &str)]) {
        let inputs = spec
            .needs
            .iter()
            .chain(&spec.uses)
            .map(|k| (k.clone(), self.version(k)))
            .collect();
        if ok {
            for (k, v) in outputs {
                self.set(k, v);
            }
        } else {
            for k in &spec.produces {
                self.set(k, "");
            }
        }
        self.runs.insert(spec.id.clone(), Run { ok, inputs });
    }

    /// Forgets a step's run and its outputs.
    pub fn reset_step(&mut self, spec: &StepSpec) {
        self.runs.remove(&spec.id);
        for k in &spec.produces {
            self.set(k, "");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps() -> [StepSpec; 3] {
        [
            StepSpec::new("signin", &["client_id"], &["scope"], &["id_token"]),
            StepSpec::new(
                "exchange",
                &["id_token", "agent_key"],
                &["audience"],
                &["id_jag"],
            ),
            StepSpec::new("bearer", &["id_jag"], &[], &["access_token"]),
        ]
    }

    #[test]
    fn enables_in_order_and_marks_stale() {
        let [s1, s2, s3] = steps();
        let mut st = FlowState::default();
        assert_eq!(
            st.status(&s1),
            StepStatus::Blocked {
                missing: vec!["client_id".into()]
            }
        );
        st.set("client_id", "app");
        st.set("agent_key", "k");
        assert_eq!(st.status(&s1), StepStatus::Ready);
        assert!(matches!(st.status(&s2), StepStatus::Blocked { .. }));
        st.record_run(&s1, true, &[("id_token", "T1")]);
        assert_eq!(st.status(&s1), StepStatus::Done);
        st.record_run(&s2, true, &[("id_jag", "J1")]);
        st.record_run(&s3, true, &[("access_token", "A1")]);
        assert_eq!(st.status(&s3), StepStatus::Done);

        // Editing configuration used by step 2 makes it stale, not step 3.
        st.set("audience", "https://x");
        assert_eq!(
            st.status(&s2),
            StepStatus::Stale {
                changed: vec!["audience".into()]
            }
        );
        assert_eq!(st.status(&s3), StepStatus::Done);

        // Re-running step 2 with a new ID-JAG makes step 3 stale.
        st.record_run(&s2, true, &[("id_jag", "J2")]);
        assert_eq!(st.status(&s2), StepStatus::Done);
        assert_eq!(
            st.status(&s3),
            StepStatus::Stale {
                changed: vec!["id_jag".into()]
            }
        );

        // Setting the same value again changes nothing.
        st.set("id_jag", "J2");
        st.record_run(&s3, true, &[("access_token", "A2")]);
        st.set("id_jag", "J2");
        assert_eq!(st.status(&s3), StepStatus::Done);
    }

    #[test]
    fn statuses_name_where_values_come_from() {
        let specs = steps();
        let blocked = StepStatus::Blocked {
            missing: vec!["id_token".into(), "agent_key".into()],
        };
        assert_eq!(
            blocked.describe(&specs),
            "Waiting for ID token (step 1), agent key (Configuration)"
        );
        let stale = StepStatus::Stale {
            changed: vec!["id_jag".into()],
        };
        assert_eq!(
            stale.describe(&specs),
            "Stale: ID-JAG (step 2) changed since this ran — run it again"
        );
        assert_eq!(stale.name(), "stale");
    }

    #[test]
    fn failure_clears_outputs_and_blocks_dependents() {
        let [s1, s2, _] = steps();
        let mut st = FlowState::default();
        st.set("client_id", "app");
        st.set("agent_key", "k");
        st.record_run(&s1, true, &[("id_token", "T1")]);
        assert_eq!(st.status(&s2), StepStatus::Ready);
        st.record_run(&s1, false, &[]);
        assert_eq!(st.status(&s1), StepStatus::Failed);
        assert!(matches!(st.status(&s2), StepStatus::Blocked { .. }));
        st.reset_step(&s1);
        assert_eq!(st.status(&s1), StepStatus::Ready);
    }
}
