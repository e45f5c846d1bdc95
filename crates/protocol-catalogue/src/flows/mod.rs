//! The catalogue: every flow the app runs, each declared once as a table of steps
//! ([`protocol_engine::flow::FlowDef`]), and what is tied to them (their migration from the first
//! version's settings, share links).
//!
//! Adding a flow: one file here (its servers, clients, fields, steps, presets and readers),
//! one line in [`ALL`] and one in [`readers`].

pub mod agent_to_agent;
pub mod agentic;
pub mod autonomous;
pub mod common;
pub mod obo;
pub use protocol_engine::signin;

pub mod migrate;
pub mod share;

use protocol_engine::engine::StepAt;
pub use protocol_engine::flow::outcome::{Diagnosis, RawBody, StepOutcome, TokenView};
use protocol_engine::flow::{FlowConfig, FlowDef, FlowState, Readers, Step};

/// Every flow, in picker order. The first is the default page.
pub static ALL: [&FlowDef; 4] = [
    &agentic::FLOW,
    &agent_to_agent::FLOW,
    &obo::FLOW,
    &autonomous::FLOW,
];

/// The readers of a flow of [`ALL`] (none for another flow). A function, not a table: only
/// the code that runs steps calls it, so the readers load with that code, not with the page.
pub fn readers(def: &FlowDef) -> Readers {
    match def.id {
        id if id == agentic::FLOW.id => agentic::readers,
        id if id == agent_to_agent::FLOW.id => agent_to_agent::readers,
        id if id == obo::FLOW.id => obo::readers,
        id if id == autonomous::FLOW.id => autonomous::readers,
        _ => |_| None,
    }
}

/// The flow with this id (`agentic`), if any.
pub fn by_id(id: &str) -> Option<&'static FlowDef> {
    ALL.iter().copied().find(|f| f.id == id)
}

/// The flow a URL fragment names (`#/obo`, `#/obo?config=…`), if any.
pub fn by_hash(hash: &str) -> Option<&'static FlowDef> {
    let path = hash.trim_start_matches('#').trim_start_matches('/');
    by_id(path.split(['?', '/']).next().unwrap_or_default())
}

/// A step of a flow of the catalogue, with the catalogue's readers, ready for the driver.
pub fn step_at<'a>(
    def: &'static FlowDef,
    step: &'static Step,
    config: &'a FlowConfig,
    state: &'a FlowState,
) -> StepAt<'a> {
    StepAt {
        def,
        readers: readers(def),
        step,
        config,
        state,
    }
}
