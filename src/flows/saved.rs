//! Named configurations the user saves per flow, kept in localStorage like the current one:
//! without keys and secrets unless "Remember" is on.

use leptos::prelude::*;
use protocol::flow::FlowConfig;
use serde::{Deserialize, Serialize};

use crate::browser::{storage, BrowserError};
use crate::error::ActionError;
use crate::store::{FlowSlot, Store};

/// Most configurations kept per flow.
pub const MAX: usize = 50;

/// A saved configuration.
#[derive(Clone, Serialize, Deserialize)]
pub struct Saved {
    /// Its name.
    pub name: String,
    /// The configuration.
    pub config: FlowConfig,
}

fn key(slot: FlowSlot) -> String {
    format!("atp.saved.{}.v1", slot.def.id)
}

/// The saved configurations of a flow, by name, or why they cannot be read.
pub fn list(slot: FlowSlot) -> Result<Vec<Saved>, ActionError> {
    storage::read(&key(slot))
        .map(Option::unwrap_or_default)
        .map_err(|e| ActionError::Kept(format!("The saved configurations of this flow cannot be read ({e}). Saving one sets them aside and starts a new list.")))
}

/// The list to change, and what was done when the stored one could not be read: it is kept
/// aside under another key (never overwritten) and a new list is started.
fn list_to_change(slot: FlowSlot) -> Result<(Vec<Saved>, String), ActionError> {
    if let Ok(all) = list(slot) {
        return Ok((all, String::new()));
    }
    let aside = storage::set_aside(&key(slot))
        .map_err(|e| ActionError::Kept(format!("The saved configurations cannot be read, and could not be set aside ({e}); nothing was changed.")))?;
    Ok((
        Vec::new(),
        format!(" The list that could not be read was kept under \u{201c}{aside}\u{201d} in this site's localStorage, and a new one was started."),
    ))
}

fn write(store: Store, slot: FlowSlot, all: &[Saved]) -> Result<(), BrowserError> {
    storage::keep(&key(slot), &all, store.remember.get_untracked())
}

/// Saves the flow's configuration under `name` (replacing one of that name).
pub fn save(store: Store, slot: FlowSlot, name: &str) -> Result<String, ActionError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ActionError::Input("Give the configuration a name.".into()));
    }
    if name.chars().count() > 80 {
        return Err(ActionError::Input(
            "Names are at most 80 characters.".into(),
        ));
    }
    let (mut all, aside) = list_to_change(slot)?;
    all.retain(|s| s.name != name);
    if all.len() >= MAX {
        return Err(ActionError::Input(format!(
            "At most {MAX} configurations are kept per flow; delete one first."
        )));
    }
    // The list is kept in order of names; placed by hand, as a sort adds kilobytes of code.
    let lower = name.to_ascii_lowercase();
    let at = all.partition_point(|s| s.name.to_ascii_lowercase() <= lower);
    all.insert(
        at,
        Saved {
            name: name.into(),
            config: slot.config.get_untracked(),
        },
    );
    write(store, slot, &all).map_err(|e| ActionError::Kept(format!("Not saved: {e}.")))?;
    Ok(if store.remember.get_untracked() {
        format!("Saved \u{201c}{name}\u{201d}, with its secrets (Remember is on).{aside}")
    } else {
        format!("Saved \u{201c}{name}\u{201d} without keys and secrets (Remember is off).{aside}")
    })
}

/// The saved configurations and the position of the one saved as `name`, or why there is
/// none (read once, for the caller to use or change).
fn find(slot: FlowSlot, name: &str) -> Result<(Vec<Saved>, usize), ActionError> {
    if name.is_empty() {
        return Err(ActionError::Input(
            "Choose a saved configuration first.".into(),
        ));
    }
    let all = list(slot)?;
    let at = all.iter().position(|s| s.name == name).ok_or_else(|| {
        ActionError::Input(format!("No configuration named \u{201c}{name}\u{201d}."))
    })?;
    Ok((all, at))
}

/// Loads the configuration saved as `name`; secrets it lacks keep their current values when
/// the client is the same.
pub fn load(slot: FlowSlot, name: &str) -> Result<String, ActionError> {
    let (mut all, at) = find(slot, name)?;
    let mut config = all.swap_remove(at).config;
    config.fill_empty_secrets_from(&slot.config.get_untracked());
    slot.config.set(config);
    slot.reset_steps();
    Ok(format!(
        "Loaded \u{201c}{name}\u{201d}; the steps were reset."
    ))
}

/// Deletes the configuration saved as `name`.
pub fn delete(store: Store, slot: FlowSlot, name: &str) -> Result<String, ActionError> {
    let (mut all, at) = find(slot, name)?;
    all.remove(at);
    write(store, slot, &all).map_err(|e| ActionError::Kept(format!("Not deleted: {e}.")))?;
    Ok(format!("Deleted \u{201c}{name}\u{201d}."))
}
