//! The app's reactive state: one slot per flow (configuration, flow state, step runs), the
//! active flow and tab.

use leptos::prelude::*;
use protocol::flow::{FlowState, StepStatus};
use protocol::flows::agentic::AgenticConfig;
use protocol::flows::autonomous::AutonomousConfig;
use protocol::flows::obo::OboConfig;
use protocol::flows::{FlowSettings, StepOutcome};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::browser::http::Exchange;
use crate::browser::{self, storage};

/// The demo tenant's default URL (the README's run command starts it there).
pub const DEMO_ORG: &str = "http://127.0.0.1:9400";
/// The demo agent's key: public on purpose, registered only at the demo tenant.
pub const DEMO_AGENT_KEY: &str = include_str!("../demo/agent-private-key.DEMO-ONLY.jwk.json");
const REMEMBER_KEY: &str = "atp.remember.v1";

/// Which tab is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    /// The Configuration tab.
    Configuration,
    /// The Flow Steps tab.
    Steps,
}

/// The flows the app runs; each has a URL fragment so docs can link to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowKind {
    /// User → AI agent delegation with an ID-JAG (the headline flow).
    Agentic,
    /// Agent-to-agent: an agent invokes another agent through an ID-JAG.
    AgentToAgent,
    /// Okta On-Behalf-Of token exchange.
    Obo,
    /// The autonomous AI agent (PingOne AIC).
    Autonomous,
}

impl FlowKind {
    /// All flows, in picker order.
    pub const ALL: [FlowKind; 4] = [
        FlowKind::Agentic,
        FlowKind::AgentToAgent,
        FlowKind::Obo,
        FlowKind::Autonomous,
    ];

    /// The URL fragment (`#/autonomous`).
    pub fn hash(self) -> &'static str {
        match self {
            FlowKind::Agentic => "#/agentic",
            FlowKind::AgentToAgent => "#/agent-to-agent",
            FlowKind::Obo => "#/obo",
            FlowKind::Autonomous => "#/autonomous",
        }
    }

    /// The flow named by a URL fragment (the headline flow by default).
    pub fn from_hash(hash: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|f| f.hash() == hash)
            .unwrap_or(FlowKind::Agentic)
    }

    /// Picker label.
    pub fn label(self) -> &'static str {
        match self {
            FlowKind::Agentic => "User → AI agent (ID-JAG)",
            FlowKind::AgentToAgent => "Agent → agent (ID-JAG)",
            FlowKind::Obo => "On-Behalf-Of (Okta)",
            FlowKind::Autonomous => "Autonomous agent (PingOne AIC)",
        }
    }
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

/// Where a step stands, and the sentence that says so.
#[derive(Clone, Debug, PartialEq)]
pub struct StepState {
    /// The status.
    pub status: StepStatus,
    /// The status for people (what it waits for, what changed).
    pub text: String,
}

/// One flow's state: its configuration (kept on the device without secrets unless
/// remembered), its values and step runs (memory only).
pub struct FlowSlot<C: Send + Sync + 'static, const N: usize> {
    /// The configuration.
    pub config: RwSignal<C>,
    /// Values and step runs.
    pub flow: RwSignal<FlowState>,
    /// One run record per step.
    pub runs: [RwSignal<StepRun>; N],
}

impl<C: Send + Sync + 'static, const N: usize> Clone for FlowSlot<C, N> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<C: Send + Sync + 'static, const N: usize> Copy for FlowSlot<C, N> {}

impl<C, const N: usize> FlowSlot<C, N>
where
    C: FlowSettings + Clone + PartialEq + Serialize + DeserializeOwned + Send + Sync + 'static,
{
    /// Loads the saved configuration (else `default`), lets `fix_up` refill demo-only secrets,
    /// and keeps storage and flow state in sync with edits.
    fn new(
        key: &'static str,
        default: C,
        fix_up: impl Fn(&mut C),
        remember: RwSignal<bool>,
    ) -> Self {
        let mut config = storage::local_get(key)
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or(default);
        fix_up(&mut config);
        let slot = FlowSlot {
            config: RwSignal::new(config),
            flow: RwSignal::new(FlowState::default()),
            runs: std::array::from_fn(|_| RwSignal::new(StepRun::default())),
        };
        Effect::new(move |_| {
            let config = slot.config.get();
            slot.flow.update(|f| config.sync(f));
            let mut kept = config.clone();
            if !remember.get() {
                kept.forget_secrets();
            }
            match serde_json::to_string(&kept) {
                Ok(s) => storage::local_set(key, &s),
                Err(_) => storage::local_remove(key),
            }
        });
        slot
    }

    /// The status of step `i` (0-based).
    pub fn status(&self, i: usize) -> StepStatus {
        let specs = self.config.with(|c| c.specs());
        self.flow.with(|f| f.status(&specs[i]))
    }

    /// The status of step `i` and its description, as a signal.
    pub fn step_state(&self, i: usize) -> Signal<StepState> {
        let slot = *self;
        Memo::new(move |_| {
            let specs = slot.config.with(|c| c.specs());
            let status = slot.flow.with(|f| f.status(&specs[i]));
            StepState {
                text: status.describe(&specs),
                status,
            }
        })
        .into()
    }

    /// Marks step `i` busy.
    pub fn begin(&self, i: usize) {
        self.runs[i].update(|r| r.busy = true);
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

    /// Updates the configuration.
    pub fn edit(&self, f: impl FnOnce(&mut C)) {
        self.config.update(f);
    }

    /// A value of the flow state (untracked).
    pub fn value(&self, key: &str) -> String {
        self.flow
            .with_untracked(|f| f.get(key).unwrap_or_default().to_string())
    }

    /// A value of the flow state, or a placeholder for previews (tracked).
    pub fn value_or(&self, key: &str, placeholder: &str) -> String {
        self.flow
            .with(|f| f.get(key).map(String::from))
            .unwrap_or_else(|| placeholder.to_string())
    }
}

/// The slot type of the ID-JAG flows (user → agent, agent → agent).
pub type AgenticSlot = FlowSlot<AgenticConfig, 8>;

/// App-wide state, provided as context.
#[derive(Clone, Copy)]
pub struct Store {
    /// The headline flow.
    pub agentic: AgenticSlot,
    /// The agent-to-agent flow (same steps, its own preset and state).
    pub a2a: AgenticSlot,
    /// The On-Behalf-Of flow.
    pub obo: FlowSlot<OboConfig, 7>,
    /// The autonomous agent flow.
    pub autonomous: FlowSlot<AutonomousConfig, 4>,
    /// Keep secrets (keys) on this device.
    pub remember: RwSignal<bool>,
    /// The visible tab.
    pub tab: RwSignal<Tab>,
    /// The flow shown.
    pub active: RwSignal<FlowKind>,
    /// Scopes offered by the target server's metadata, or why loading failed.
    pub scopes: RwSignal<Option<Result<Vec<String>, String>>>,
    /// The last discovery's result.
    pub discovery: RwSignal<Option<Result<String, String>>>,
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

/// The demo preset of an ID-JAG flow for this page.
pub fn demo_config(kind: FlowKind) -> AgenticConfig {
    match kind {
        FlowKind::AgentToAgent => {
            AgenticConfig::agent_to_agent(&demo_org(), &browser::page_url(), DEMO_AGENT_KEY.trim())
        }
        _ => AgenticConfig::demo(&demo_org(), &browser::page_url(), DEMO_AGENT_KEY.trim()),
    }
}

#[derive(Serialize, Deserialize)]
struct Remember(bool);

impl Store {
    /// Loads every flow's saved configuration (or its demo preset).
    pub fn new() -> Self {
        let remember = RwSignal::new(
            storage::local_get(REMEMBER_KEY)
                .and_then(|s| serde_json::from_str::<Remember>(&s).ok())
                .is_some_and(|r| r.0),
        );
        Effect::new(move |_| {
            storage::local_set(
                REMEMBER_KEY,
                &serde_json::to_string(&Remember(remember.get())).unwrap_or_default(),
            )
        });
        let org = demo_org();
        let agentic = FlowSlot::new(
            "atp.agentic.v2",
            demo_config(FlowKind::Agentic),
            move |c: &mut AgenticConfig| {
                if c.agent_key.is_empty() && c.org_url == demo_org() {
                    c.agent_key = DEMO_AGENT_KEY.trim().into();
                }
            },
            remember,
        );
        let a2a = FlowSlot::new(
            "atp.a2a.v1",
            AgenticConfig::agent_to_agent(&org, &browser::page_url(), DEMO_AGENT_KEY.trim()),
            move |c: &mut AgenticConfig| {
                if c.agent_key.is_empty() && c.org_url == demo_org() {
                    c.agent_key = DEMO_AGENT_KEY.trim().into();
                }
            },
            remember,
        );
        let obo_demo = OboConfig::demo(&org, &browser::page_url());
        let obo_secret = obo_demo.service_secret.clone();
        let obo_org = org.clone();
        let obo = FlowSlot::new(
            "atp.obo.v1",
            obo_demo,
            move |c: &mut OboConfig| {
                if c.service_secret.is_empty() && c.org_url == obo_org {
                    c.service_secret = obo_secret.clone();
                }
            },
            remember,
        );
        let autonomous_demo = AutonomousConfig::demo(&org);
        let demo_secret = autonomous_demo.agent_secret.clone();
        let autonomous = FlowSlot::new(
            "atp.autonomous.v1",
            autonomous_demo,
            move |c: &mut AutonomousConfig| {
                if c.agent_secret.is_empty() && c.tenant_url == org {
                    c.agent_secret = demo_secret.clone();
                }
            },
            remember,
        );
        Store {
            agentic,
            a2a,
            obo,
            autonomous,
            remember,
            tab: RwSignal::new(Tab::Steps),
            active: RwSignal::new(FlowKind::from_hash(&browser::hash())),
            scopes: RwSignal::new(None),
            discovery: RwSignal::new(None),
        }
    }
}

impl Store {
    /// The slot of an ID-JAG flow (the agent-to-agent one, else the headline one).
    pub fn agentic_slot(&self, kind: FlowKind) -> AgenticSlot {
        match kind {
            FlowKind::AgentToAgent => self.a2a,
            _ => self.agentic,
        }
    }
}

impl Default for Store {
    fn default() -> Self {
        Self::new()
    }
}
