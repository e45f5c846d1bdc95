//! Named configurations the user saves per flow, kept in localStorage like the current one:
//! without keys and secrets unless "Remember" is on.

use leptos::prelude::*;
use protocol::flow::FlowConfig;
use serde::{Deserialize, Serialize};

use crate::browser::storage;
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

/// The saved configurations of a flow, by name.
pub fn list(slot: FlowSlot) -> Vec<Saved> {
    storage::load(&key(slot)).unwrap_or_default()
}

/// Saves the flow's configuration under `name` (replacing one of that name).
pub fn save(store: Store, slot: FlowSlot, name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("Give the configuration a name.".into());
    }
    if name.chars().count() > 80 {
        return Err("Names are at most 80 characters.".into());
    }
    let mut all = list(slot);
    all.retain(|s| s.name != name);
    if all.len() >= MAX {
        return Err(format!(
            "At most {MAX} configurations are kept per flow; delete one first."
        ));
    }
    all.push(Saved {
        name: name.into(),
        config: slot.config.get_untracked(),
    });
    all.sort_by_key(|s| s.name.to_lowercase());
    storage::keep(&key(slot), &all, store.remember.get_untracked());
    Ok(if store.remember.get_untracked() {
        format!("Saved \u{201c}{name}\u{201d}, with its secrets (Remember is on).")
    } else {
        format!("Saved \u{201c}{name}\u{201d} without keys and secrets (Remember is off).")
    })
}

/// The configuration saved as `name`, or why there is none.
fn find(slot: FlowSlot, name: &str) -> Result<Saved, String> {
    if name.is_empty() {
        return Err("Choose a saved configuration first.".into());
    }
    list(slot)
        .into_iter()
        .find(|s| s.name == name)
        .ok_or_else(|| format!("No configuration named \u{201c}{name}\u{201d}."))
}

/// Loads the configuration saved as `name`; secrets it lacks keep their current values when
/// the client is the same.
pub fn load(slot: FlowSlot, name: &str) -> Result<String, String> {
    let mut config = find(slot, name)?.config;
    config.fill_empty_secrets_from(&slot.config.get_untracked());
    slot.config.set(config);
    slot.reset_steps();
    Ok(format!(
        "Loaded \u{201c}{name}\u{201d}; the steps were reset."
    ))
}

/// Deletes the configuration saved as `name`.
pub fn delete(store: Store, slot: FlowSlot, name: &str) -> Result<String, String> {
    find(slot, name)?;
    let mut all = list(slot);
    all.retain(|s| s.name != name);
    storage::keep(&key(slot), &all, store.remember.get_untracked());
    Ok(format!("Deleted \u{201c}{name}\u{201d}."))
}
