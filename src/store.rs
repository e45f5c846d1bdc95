//! The app's reactive state: configuration, flow state and each step's runs.

use leptos::prelude::*;
use protocol::flow::{FlowState, StepStatus};
use protocol::flows::agentic::AgenticConfig;
use protocol::flows::StepOutcome;
use serde::{Deserialize, Serialize};

use crate::browser::http::Exchange;
use crate::browser::{self, storage};

/// The demo tenant's default URL (the README's run command starts it there).
pub const DEMO_ORG: &str = "http://127.0.0.1:9400";
/// The demo agent's key: public on purpose, registered only at the demo tenant.
pub const DEMO_AGENT_KEY: &str = include_str!("../demo/agent-private-key.DEMO-ONLY.jwk.json");
const CONFIG_KEY: &str = "atp.config.v1";

/// Which tab is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    /// The Configuration tab.
    Configuration,
    /// The Flow Steps tab.
    Steps,
}

/// What happened on one step card.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StepRun {
    /// A request is in flight.
    pub busy: bool,
    /// Every request sent by this step, newest last.
    pub log: Vec<Exchange>,
    /// The result of the last run.
    pub outcome: Option<StepOutcome>,
    /// How many runs finished.
    pub finished: u32,
}

/// What is kept in localStorage: the configuration, without secrets unless remembered.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Persisted {
    config: AgenticConfig,
    remember: bool,
}

/// App-wide state, provided as context.
#[derive(Clone, Copy)]
pub struct Store {
    /// The configuration.
    pub config: RwSignal<AgenticConfig>,
    /// Keep secrets (the agent key) on this device.
    pub remember: RwSignal<bool>,
    /// Values and step runs (never persisted).
    pub flow: RwSignal<FlowState>,
    /// One run record per step.
    pub runs: [RwSignal<StepRun>; 4],
    /// The visible tab.
    pub tab: RwSignal<Tab>,
    /// Scopes offered by the target server's metadata, or why loading failed.
    pub scopes: RwSignal<Option<Result<Vec<String>, String>>>,
}

/// The demo tenant's URL: announced by the tenant when it serves the app, else the default.
pub fn demo_org() -> String {
    browser::window()
        .document()
        .and_then(|d| d.query_selector("meta[name=atp-demo-org]").ok().flatten())
        .and_then(|m| m.get_attribute("content"))
        .filter(|u| protocol::request::validate_url(u).is_ok())
        .unwrap_or_else(|| DEMO_ORG.to_string())
}

/// The demo preset for this page.
pub fn demo_config() -> AgenticConfig {
    AgenticConfig::demo(&demo_org(), &browser::page_url(), DEMO_AGENT_KEY.trim())
}

impl Store {
    /// Loads the saved configuration (or the demo preset) and keeps it in sync.
    pub fn new() -> Self {
        let saved: Option<Persisted> =
            storage::local_get(CONFIG_KEY).and_then(|s| serde_json::from_str(&s).ok());
        let (mut config, remember) = match saved {
            Some(p) => (p.config, p.remember),
            None => (demo_config(), false),
        };
        if config.agent_key.is_empty() && config.org_url == demo_org() {
            config.agent_key = DEMO_AGENT_KEY.trim().into();
        }
        let store = Store {
            config: RwSignal::new(config),
            remember: RwSignal::new(remember),
            flow: RwSignal::new(FlowState::default()),
            runs: std::array::from_fn(|_| RwSignal::new(StepRun::default())),
            tab: RwSignal::new(Tab::Steps),
            scopes: RwSignal::new(None),
        };
        Effect::new(move |_| {
            let config = store.config.get();
            let remember = store.remember.get();
            store.flow.update(|f| config.sync(f));
            let mut kept = config.clone();
            if !remember {
                kept.agent_key.clear();
                kept.relay_key.clear();
            }
            match serde_json::to_string(&Persisted {
                config: kept,
                remember,
            }) {
                Ok(s) => storage::local_set(CONFIG_KEY, &s),
                Err(_) => storage::local_remove(CONFIG_KEY),
            }
        });
        store
    }

    /// The status of step `i` (0-based).
    pub fn status(&self, i: usize) -> StepStatus {
        let specs = self.config.with(|c| c.specs());
        self.flow.with(|f| f.status(&specs[i]))
    }

    /// Records a finished run of step `i`.
    pub fn finish(&self, i: usize, exchange: Option<Exchange>, outcome: StepOutcome) {
        let specs = self.config.with_untracked(|c| c.specs());
        let outputs: Vec<(&str, &str)> = outcome
            .outputs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        self.flow
            .update(|f| f.record_run(&specs[i], outcome.ok, &outputs));
        self.runs[i].update(|r| {
            r.busy = false;
            r.finished += 1;
            if let Some(x) = exchange {
                r.log.push(x);
            }
            r.outcome = Some(outcome);
        });
    }

    /// Marks step `i` busy.
    pub fn begin(&self, i: usize) {
        self.runs[i].update(|r| r.busy = true);
    }

    /// Updates the configuration.
    pub fn edit(&self, f: impl FnOnce(&mut AgenticConfig)) {
        self.config.update(f);
    }
}

impl Default for Store {
    fn default() -> Self {
        Self::new()
    }
}
