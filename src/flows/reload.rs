//! Reloading the page for the version now deployed (a part of an older build is gone from the
//! server) without losing the run: each flow's run is kept in sessionStorage for the reload,
//! written as the run export without secrets (tokens lose their signatures, secrets are
//! removed), and shown read-only after it; the configurations are kept as always.

use leptos::prelude::*;
use protocol::export::RunExport;

use crate::browser::{self, storage};
use crate::store::Store;

const KEY: &str = "atp.reload.runs.v1";

/// Keeps every flow's run (no secrets), then reloads the page. The run is written by the part
/// of the app that exports runs; it was fetched once the page was idle, so it is there even
/// when the parts not fetched yet are gone from the server; if it is not, the page reloads
/// without the run (the configurations are kept anyway).
pub async fn keeping_runs(store: Store) {
    if let Ok(json) = crate::flows::parts::runs_to_keep(store).await {
        if !json.is_empty() {
            let _ = storage::keep_raw_for_reload(KEY, &json);
        }
    }
    browser::reload();
}

/// Every flow's run, as the export writes it without secrets (JSON; empty if none ran).
pub fn runs_json(store: Store) -> String {
    let runs: Vec<RunExport> = store
        .slots()
        .into_iter()
        .filter(|slot| slot.has_run())
        .map(|slot| super::export::build(store, slot, false))
        .collect();
    if runs.is_empty() {
        return String::new();
    }
    serde_json::to_string(&runs).unwrap_or_default()
}

/// After such a reload: what was kept, if anything (read once).
pub fn kept() -> Option<String> {
    storage::take_raw_from_session(KEY)
}

/// Shows the run `kept` holds for the flow shown, read-only, and says why.
pub fn show(store: Store, kept: &str) {
    let Ok(runs) = serde_json::from_str::<Vec<RunExport>>(kept) else {
        return;
    };
    let active = store.active.get_untracked().id;
    let Some(run) = runs.into_iter().find(|r| r.flow == active) else {
        return;
    };
    store.imported.set(Some((
        serde_json::to_string(&run).unwrap_or_default(),
        Some("The page was reloaded for the version now deployed. Your run before the reload is shown here, read-only (tokens were not kept: they are secrets); close it and run the steps again to go on.".into()),
    )));
}
