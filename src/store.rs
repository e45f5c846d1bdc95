//! The app's reactive state: one slot per declared flow (its configuration, kept on the device
//! without secrets unless remembered; its values and step runs, in memory only), the relay
//! settings shared by every flow, and page-wide switches.

use leptos::prelude::*;
use protocol::engine::statuses;
use protocol::flow::{
    FlowConfig, FlowDef, FlowState, PresetEnv, PresetKind, Server, Step, StepStatus,
};
use protocol::flows::migrate;
use protocol::flows::StepOutcome;
use protocol::mask::Known;
use protocol::secret::Secret;
use protocol::transport::{ServerKind, DEFAULT_RELAY_URL};
use serde::{Deserialize, Serialize};

use crate::browser::{self, storage};
use crate::error::ActionError;
use protocol::engine::Exchange;

const REMEMBER_KEY: &str = "atp.remember.v1";
const RELAY_KEY: &str = "atp.relay.v1";
const THEME_KEY: &str = "atp.theme.v1";
const CODE_KEY: &str = "atp.code-language.v1";

/// A share link waiting for the reader's answer.
#[derive(Clone)]
pub struct Offer {
    /// The flow it pre-fills.
    pub flow: &'static protocol::flow::FlowDef,
    /// What it holds.
    pub received: protocol::flows::share::Received,
}

/// The page's tabs (keys of [`Store::tab`]).
pub struct Tab;

impl Tab {
    /// The Configuration tab.
    pub const CONFIGURATION: &'static str = "config";
    /// The Flow Steps tab.
    pub const STEPS: &'static str = "steps";
    /// The Probe tab (the report of a probe of the flow's servers).
    pub const PROBE: &'static str = "probe";
}

/// How the user signs in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignInMode {
    /// In a popup window: this page never unloads, so nothing is stored.
    #[default]
    Popup,
    /// In this tab (for servers that forbid popups): non-secret settings cross the redirect
    /// in sessionStorage; secrets that were not remembered must be entered again.
    Redirect,
}

/// The color scheme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Theme {
    /// Follow the system.
    #[default]
    System,
    /// Light.
    Light,
    /// Dark.
    Dark,
}

/// The local relay, shared by every flow.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RelaySettings {
    /// Its URL.
    pub url: String,
    /// The key it printed at start.
    pub key: Secret,
}

impl Default for RelaySettings {
    fn default() -> Self {
        Self {
            url: DEFAULT_RELAY_URL.into(),
            key: Secret::empty(),
        }
    }
}

/// Where the page runs: what the presets and the diagnoses need to know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Env {
    /// The native demo tenant's URL (announced by it when it serves the page).
    pub local_demo: String,
    /// The built-in demo's URL (below this page).
    pub built_in_demo: String,
    /// Whether the native demo tenant served this page.
    pub served_by_tenant: bool,
    /// This page's URL: the redirect URI.
    pub redirect_uri: String,
    /// This page's origin.
    pub origin: String,
}

impl Env {
    /// Reads the page's situation.
    pub fn detect() -> Self {
        let announced =
            browser::meta("atp-demo-org").filter(|u| protocol::request::validate_url(u).is_ok());
        Self {
            served_by_tenant: announced.is_some(),
            local_demo: announced.unwrap_or_else(|| protocol::demo::LOCAL_ORG.into()),
            built_in_demo: format!("{}{}", browser::page_base(), protocol::demo::BUILT_IN_PATH),
            redirect_uri: browser::page_url(),
            origin: browser::origin(),
        }
    }

    /// The preset a first visit starts from: the native tenant only where it served the page
    /// (a hosted page never probes loopback addresses).
    pub fn default_preset(&self) -> PresetKind {
        if self.served_by_tenant {
            PresetKind::LocalDemo
        } else {
            PresetKind::BuiltInDemo
        }
    }

    /// What a preset needs to know.
    pub fn preset_env(&self, kind: PresetKind) -> PresetEnv {
        PresetEnv {
            demo_org: match kind {
                PresetKind::LocalDemo => self.local_demo.clone(),
                _ => self.built_in_demo.clone(),
            },
            redirect_uri: self.redirect_uri.clone(),
        }
    }

    /// `def`'s demo presets (local and built-in), whose secrets are the demo's own.
    pub fn demo_presets(&self, def: &FlowDef) -> Vec<FlowConfig> {
        [PresetKind::LocalDemo, PresetKind::BuiltInDemo]
            .into_iter()
            .filter_map(|k| def.preset(k, &self.preset_env(k)))
            .collect()
    }

    /// What kind of server `server` is, for diagnoses.
    pub fn server_kind(&self, server: &Server) -> ServerKind {
        server.kind(&self.built_in_demo, &self.local_demo)
    }
}

/// What happened on one step card.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StepRun {
    /// A request is in flight.
    pub busy: bool,
    /// The requests of the last run, as sent (the authorize URL of a sign-in included).
    pub sent: Vec<protocol::request::HttpRequest>,
    /// The requests sent by this step, newest last: the last [`LOG_KEPT`].
    pub log: Vec<Exchange>,
    /// How many earlier requests were dropped from the log (a long session stays flat).
    pub dropped: u32,
    /// The result of the last run.
    pub outcome: Option<StepOutcome>,
    /// How many runs finished.
    pub finished: u32,
}

/// How many requests a step's log keeps; earlier ones are counted, not kept.
pub const LOG_KEPT: usize = 10;

impl StepRun {
    /// Adds a request to the log, dropping the oldest beyond [`LOG_KEPT`].
    pub fn record(&mut self, exchange: Exchange) {
        self.log.push(exchange);
        if self.log.len() > LOG_KEPT {
            let extra = self.log.len() - LOG_KEPT;
            self.log.drain(..extra);
            self.dropped += extra as u32;
        }
    }

    /// Teaches `known` the secrets of every request this step sent and every answer and
    /// outcome it got.
    pub fn learn_secrets(&self, known: &mut Known) {
        for r in &self.sent {
            known.learn_request(r);
        }
        for x in &self.log {
            x.learn_secrets(known);
        }
        if let Some(o) = &self.outcome {
            o.learn_secrets(known);
        }
    }
}

/// One flow's state. A component is handed its flow's slot and cannot reach another's.
#[derive(Clone, Copy)]
pub struct FlowSlot {
    /// The declaration.
    pub def: &'static FlowDef,
    /// The configuration.
    pub config: RwSignal<FlowConfig>,
    /// Values and the record of runs.
    pub state: RwSignal<FlowState>,
    /// Each step's status, in order, for the steps that apply.
    pub statuses: Memo<Vec<(&'static Step, StepStatus)>>,
    /// A notice for the user about this flow's configuration (what a migration dropped,
    /// secrets to enter again), if any.
    pub notice: RwSignal<Option<String>>,
    /// What the last discovery of each server found, by role key.
    pub discovery: RwSignal<Vec<(&'static str, Result<String, ActionError>)>>,
    /// Every secret value this flow has seen (configuration, values, every request sent and
    /// answer received), known to the masker from the moment it arrives.
    pub secrets: Memo<Known>,
    /// The flow's probe: its last report, and what it waits for.
    pub probe: ProbeSlot,
    runs: StoredValue<Vec<(&'static str, RwSignal<StepRun>)>>,
}

/// A flow's probe (in memory only): the last report (replaced by the next probe), the secrets
/// its requests carried (masked like a step's), whether a sign-in waits for the user's click
/// (the browser blocked a pop-up opened without one), and the second client and server the
/// user gave for the cases that need them.
#[derive(Clone, Copy)]
pub struct ProbeSlot {
    /// The report so far, or the last one.
    pub report: RwSignal<Option<protocol::probe::Report>>,
    /// Every secret its requests and answers carried.
    pub secrets: RwSignal<Known>,
    /// A sign-in waiting for a click: which one ("3 of 7").
    pub prompt: RwSignal<Option<String>>,
    /// The second client and authorization server, as typed.
    pub extra: RwSignal<ProbeExtra>,
}

/// The second client (registered at the JWT bearer step's server) and the second
/// authorization server (trusting the same identity provider) a probe may use; empty: the
/// demo tenant's own when the flow runs against it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProbeExtra {
    /// The other client's ID.
    pub client_id: String,
    /// Its secret, or its private key (JWK or PEM) when the step's client signs assertions.
    pub credential: protocol::secret::Secret,
    /// The other server's issuer.
    pub issuer: String,
}

/// The configuration kept for a flow, and what the user must be told.
struct Kept {
    config: FlowConfig,
    notice: Option<String>,
    /// What is stored could not be read nor copied aside: it must not be overwritten before
    /// the user changes the configuration (they were told where it is).
    hold: bool,
}

impl Kept {
    /// `config`, with `notice` if the user must be told something.
    fn new(config: FlowConfig, notice: Option<String>) -> Self {
        Kept {
            config,
            notice,
            hold: false,
        }
    }
}

/// The configuration kept for a flow: this version's, or the first version's carried over
/// (then forgotten), or the preset; with what the user must be told (what was dropped, or
/// why what was kept could not be read).
fn saved_config(
    def: &'static FlowDef,
    key: &str,
    preset: FlowConfig,
    relay: RwSignal<RelaySettings>,
) -> Kept {
    if let Some(json) = storage::load_raw(key) {
        return match serde_json::from_str(&json) {
            Ok(config) => Kept::new(config, None),
            Err(e) => {
                let unread = format!("The configuration kept for this flow could not be read ({e}), so the preset is used; set it again in Configuration.");
                // Kept aside, never overwritten by the preset that replaces it; if it cannot
                // be copied aside, it stays where it is until the configuration is changed.
                match storage::set_aside(key) {
                    Ok(aside) => Kept::new(preset, Some(format!("{unread} What could not be read is kept under \u{201c}{aside}\u{201d} in this site's localStorage."))),
                    Err(why) => Kept {
                        hold: true,
                        ..Kept::new(preset, Some(format!("{unread} It could not be copied aside ({why}), so it stays under \u{201c}{key}\u{201d} in this site's localStorage until you change this configuration: copy it from there first (the browser's developer tools) if you need it.")))
                    },
                }
            }
        };
    }
    let Some((old_key, json)) = migrate::OLD_KEYS
        .iter()
        .filter(|(_, flow)| *flow == def.id)
        .find_map(|(k, _)| storage::load_raw(k).map(|j| (*k, j)))
    else {
        return Kept::new(preset, None);
    };
    storage::forget(old_key);
    match migrate::migrate(def.id, &json, preset.clone()) {
        Ok(m) => {
            if let Some(url) = m.relay_url {
                relay.update(|r| r.url = url);
            }
            if let Some(k) = m.relay_key {
                relay.update(|r| r.key = k);
            }
            let mut text = "Settings saved by the previous version were carried over into this configuration.".to_string();
            if !m.dropped.is_empty() {
                text.push_str(&format!(" Not carried over (no longer used, or found again by Discover): {}.", m.dropped.join(", ")));
            }
            Kept::new(m.config, Some(text))
        }
        Err(e) => Kept::new(preset, Some(format!("Settings saved by the previous version could not be carried over ({e}); the preset is used."))),
    }
}

impl FlowSlot {
    fn new(
        def: &'static FlowDef,
        env: &Env,
        remember: RwSignal<bool>,
        relay: RwSignal<RelaySettings>,
    ) -> Self {
        let key = storage_key(def);
        let preset = def
            .preset(env.default_preset(), &env.preset_env(env.default_preset()))
            .unwrap_or_default();
        let Kept {
            mut config,
            notice,
            mut hold,
        } = saved_config(def, &key, preset, relay);
        for demo in env.demo_presets(def) {
            config.refill_secrets_from(&demo);
        }
        let config = RwSignal::new(config);
        let state = RwSignal::new(FlowState::default());
        let statuses = Memo::new(move |_| {
            let c = config.read();
            let s = state.read();
            let steps = def.steps(&c);
            let now = browser::now_secs();
            steps.into_iter().zip(statuses(def, &c, &s, now)).collect()
        });
        let notice = RwSignal::new(notice);
        // Whether the user was told that the browser refuses to keep the configuration.
        let mut told = false;
        Effect::new(move |_| {
            let remember = remember.get();
            if hold {
                // Not written over what could not be set aside, until the user changes it.
                hold = false;
                config.track();
                return;
            }
            // A configuration the browser refuses to keep stays in memory for this visit; the
            // user is told once (not again at every keystroke, nor after dismissing it).
            match config.with(|c| storage::keep(&key, c, remember)) {
                Ok(()) => told = false,
                Err(e) if !told => {
                    told = true;
                    notice.set(Some(format!("This configuration is not kept on this device: {e}. It stays in this page until it is closed.")));
                }
                Err(_) => {}
            }
        });
        let runs: Vec<(&'static str, RwSignal<StepRun>)> = def
            .all_steps()
            .map(|s| (s.id, RwSignal::new(StepRun::default())))
            .collect();
        // What the runs saw is learned apart from the configuration, so a keystroke does not
        // read every answer again.
        let seen = {
            let runs = runs.clone();
            Memo::new(move |_| {
                let mut known = Known::new();
                for (_, run) in &runs {
                    run.with(|r| r.learn_secrets(&mut known));
                }
                known
            })
        };
        let probe = ProbeSlot {
            report: RwSignal::new(None),
            secrets: RwSignal::new(Known::new()),
            prompt: RwSignal::new(None),
            extra: RwSignal::new(ProbeExtra::default()),
        };
        let secrets = Memo::new(move |_| {
            let mut known = seen.get();
            config.with(|c| c.learn_secrets(&mut known));
            state.with(|s| s.learn_secrets(&mut known));
            probe.secrets.with(|k| known.extend(k));
            probe.extra.with(|x| known.learn(x.credential.expose()));
            known
        });
        FlowSlot {
            secrets,
            probe,
            def,
            config,
            state,
            statuses,
            notice,
            discovery: RwSignal::new(Vec::new()),
            runs: StoredValue::new(runs),
        }
    }

    /// A step's run record.
    pub fn run(&self, id: &str) -> RwSignal<StepRun> {
        self.runs.with_value(|r| {
            r.iter()
                .find(|(s, _)| *s == id)
                .map(|(_, r)| *r)
                .expect("every step has a run record")
        })
    }

    /// A step's status (tracked), if it applies.
    pub fn status(&self, id: &str) -> Option<StepStatus> {
        self.statuses.with(|all| {
            all.iter()
                .find(|(s, _)| s.id == id)
                .map(|(_, st)| st.clone())
        })
    }

    /// Records what discovering a server found.
    pub fn discovered(&self, role: &'static str, result: Result<String, ActionError>) {
        self.discovery.update(|d| {
            d.retain(|(r, _)| *r != role);
            d.push((role, result));
        });
    }

    /// What discovering a server found last (tracked).
    pub fn discovery_of(&self, role: &str) -> Option<Result<String, ActionError>> {
        self.discovery
            .with(|d| d.iter().find(|(r, _)| *r == role).map(|(_, x)| x.clone()))
    }

    /// Whether this flow's configuration uses the built-in demo.
    pub fn uses_built_in_demo(&self, store: Store) -> bool {
        let env = store.env.get_value();
        self.config.with_untracked(|c| {
            c.servers
                .values()
                .any(|s| env.server_kind(s) == ServerKind::BuiltInDemo)
        })
    }

    /// Whether any step of this flow ran.
    pub fn has_run(&self) -> bool {
        self.runs.with_value(|r| {
            r.iter()
                .any(|(_, run)| run.with_untracked(|r| r.finished > 0))
        })
    }

    /// Forgets every value, run and result ("Reset steps").
    pub fn reset_steps(&self) {
        self.state.update(FlowState::reset);
        self.runs.with_value(|r| {
            for (_, run) in r {
                run.set(StepRun::default());
            }
        });
    }
}

fn storage_key(def: &FlowDef) -> String {
    format!("atp.flow.{}.v3", def.id)
}

/// App-wide state, provided as context.
#[derive(Clone, Copy)]
pub struct Store {
    flows: StoredValue<Vec<FlowSlot>>,
    /// The flow shown.
    pub active: RwSignal<&'static FlowDef>,
    /// The visible tab ([`Tab`]).
    pub tab: RwSignal<&'static str>,
    /// Keep secrets (keys, client secrets, the relay key) on this device.
    pub remember: RwSignal<bool>,
    /// Show secrets instead of masks, everywhere on the page.
    pub reveal: RwSignal<bool>,
    /// The local relay.
    pub relay: RwSignal<RelaySettings>,
    /// How the user signs in.
    pub signin_mode: RwSignal<SignInMode>,
    /// The color scheme.
    pub theme: RwSignal<Theme>,
    /// How requests are shown: as the cURL sent (`""`), or as code in a language (its id).
    pub code: RwSignal<String>,
    /// The last announcement for screen readers (a step's result).
    pub announce: RwSignal<String>,
    /// Where the page runs.
    pub env: StoredValue<Env>,
    /// An exported run opened read-only: the file's text (read and shown by a part of the app
    /// loaded at its first use), and why it is shown when the page did not ask for it.
    pub imported: RwSignal<Option<(String, Option<String>)>>,
    /// A share link naming a new server, waiting for the reader's answer.
    pub offer: RwSignal<Option<Offer>>,
    /// Every secret value the page has seen, in every flow, and the relay key.
    pub secrets: Memo<Known>,
}

#[derive(Serialize, Deserialize)]
struct Remember(bool);

impl Store {
    /// Loads every flow's kept configuration (or its default preset).
    pub fn new() -> Self {
        let env = Env::detect();
        let remember = RwSignal::new(storage::load::<Remember>(REMEMBER_KEY).is_some_and(|r| r.0));
        let relay = RwSignal::new(storage::load::<RelaySettings>(RELAY_KEY).unwrap_or_default());
        let flows: Vec<FlowSlot> = protocol::flows::ALL
            .iter()
            .map(|def| FlowSlot::new(def, &env, remember, relay))
            .collect();
        let secrets = {
            let flows = flows.clone();
            Memo::new(move |_| {
                let mut known = Known::new();
                relay.with(|r| known.learn(r.key.expose()));
                for slot in &flows {
                    slot.secrets.with(|k| known.extend(k));
                }
                known
            })
        };
        let theme = RwSignal::new(storage::load::<Theme>(THEME_KEY).unwrap_or_default());
        Effect::new(move |_| {
            let _ = storage::keep(REMEMBER_KEY, &Remember(remember.get()), true);
        });
        Effect::new(move |_| {
            let r = remember.get();
            let _ = relay.with(|s| storage::keep(RELAY_KEY, s, r));
        });
        Effect::new(move |_| {
            let _ = storage::keep(THEME_KEY, &theme.get(), true);
        });
        let code = RwSignal::new(storage::load::<String>(CODE_KEY).unwrap_or_default());
        Effect::new(move |_| {
            let _ = code.with(|c| storage::keep(CODE_KEY, c, true));
        });
        Store {
            flows: StoredValue::new(flows),
            active: RwSignal::new(flow_from_hash(&browser::hash())),
            tab: RwSignal::new(Tab::STEPS),
            remember,
            reveal: RwSignal::new(false),
            relay,
            signin_mode: RwSignal::new(SignInMode::default()),
            theme,
            code,
            announce: RwSignal::new(String::new()),
            env: StoredValue::new(env),
            offer: RwSignal::new(None),
            imported: RwSignal::new(None),
            secrets,
        }
    }

    /// `text` as it may be shown now: every known secret hidden unless the user revealed them
    /// (tracked).
    pub fn shown(&self, text: &str) -> String {
        if self.reveal.get() {
            text.to_string()
        } else {
            self.secrets.with(|k| k.mask(text))
        }
    }

    /// A step's outcome as it may be shown now (tracked): see [`StepOutcome::masked`].
    pub fn shown_outcome(&self, outcome: &StepOutcome) -> StepOutcome {
        if self.reveal.get() {
            outcome.clone()
        } else {
            self.secrets.with(|k| outcome.masked(k))
        }
    }

    /// A request as it may be shown now (tracked): see [`Known::mask_request`]; its secret
    /// parameters are for the renderer to hide.
    pub fn shown_request(
        &self,
        request: &protocol::request::HttpRequest,
    ) -> protocol::request::HttpRequest {
        if self.reveal.get() {
            request.clone()
        } else {
            self.secrets.with(|k| k.mask_request(request))
        }
    }

    /// The slot of a flow.
    pub fn slot(&self, def: &'static FlowDef) -> FlowSlot {
        self.flows.with_value(|f| {
            *f.iter()
                .find(|s| std::ptr::eq(s.def, def))
                .expect("every declared flow has a slot")
        })
    }

    /// Every flow's slot, in declaration order.
    pub fn slots(&self) -> Vec<FlowSlot> {
        self.flows.get_value()
    }

    /// A declared text of `slot`'s flow with the servers it names filled in for its
    /// configuration ("redirect the user to Okta"; see `protocol::flow::texts`) (tracked).
    pub fn described(&self, slot: FlowSlot, template: &str) -> String {
        let env = self.env.get_value();
        slot.config
            .with(|c| protocol::flow::texts::fill(template, c, &|s| env.server_kind(s)))
    }

    /// The slot of the flow shown.
    pub fn active_slot(&self) -> FlowSlot {
        self.slot(self.active.get())
    }
}

impl Default for Store {
    fn default() -> Self {
        Self::new()
    }
}

/// The flow named by a URL fragment (`#/obo`, `#/obo?config=...`), the first by default.
pub fn flow_from_hash(hash: &str) -> &'static FlowDef {
    protocol::flows::by_hash(hash).unwrap_or(protocol::flows::ALL[0])
}
