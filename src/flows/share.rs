//! Share links (`#/{flow}?config=…`): making one from a flow's configuration, and reading one
//! when the page opens or the fragment changes. A link that names a server on a host the reader
//! has not used waits for the reader's consent; an unreadable one is refused with the reason.

use protocol::flow::FlowDef;
use protocol::flows::share::{self, Received};

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser;
use crate::error::ActionError;
use crate::store::{FlowSlot, Offer, Store};

/// The link to `slot`'s configuration (no keys, secrets or tokens).
pub async fn link_for(slot: FlowSlot) -> Result<String, ActionError> {
    let config = slot.config.get_untracked();
    let payload = crate::flows::parts::share_payload(config).await?;
    Ok(format!(
        "{}{}?{}={payload}",
        browser::page_url(),
        slot.def.hash(),
        share::PARAM
    ))
}

/// The issuers the reader has used: every server of every flow's configuration, and the demos.
fn known_issuers(store: Store) -> Vec<String> {
    let env = store.env.get_value();
    let mut known = vec![env.local_demo.clone(), env.built_in_demo.clone()];
    for slot in store.slots() {
        slot.config.with_untracked(|c| {
            known.extend(c.servers.values().map(|s| s.issuer().to_string()));
        });
        for p in env.demo_presets(slot.def) {
            known.extend(p.servers.values().map(|s| s.issuer().to_string()));
        }
    }
    known.retain(|k| !k.is_empty());
    known
}

/// Reads a `config` link in the fragment, if any, and removes it from the address bar: a link
/// to known servers only is applied at once (and said so), one naming a new host waits for
/// the reader, an unreadable one is refused with the reason.
pub fn read_from_hash(store: Store) {
    let hash = browser::hash();
    let Some((route, payload)) = share::in_hash(&hash) else {
        return;
    };
    browser::set_hash(route);
    let def = crate::store::flow_from_hash(route);
    let slot = store.slot(def);
    // Said at once: reading it may first load a part of the app (slow on a slow network).
    slot.notice
        .set(Some("Reading the configuration in this link…".into()));
    let current = slot.config.get_untracked();
    let known = known_issuers(store);
    spawn_local(async move {
        let read = match crate::flows::parts::share_read(def, payload, current, known).await {
            Ok(read) => read.map_err(ActionError::from),
            Err(e) => Err(ActionError::from(e)),
        };
        apply(store, def, read);
    });
}

/// What a link read for `def` does: applied, offered, or refused with the reason.
fn apply(store: Store, def: &'static FlowDef, read: Result<Received, ActionError>) {
    let slot = store.slot(def);
    match read {
        Err(e) => slot.notice.set(Some(format!(
            "The configuration in this link was not applied: {e}."
        ))),
        Ok(received) if received.new_servers.is_empty() => {
            let servers = received.servers.join("; ");
            slot.config.set(received.config);
            slot.reset_steps();
            slot.notice.set(Some(format!(
                "Settings from the link were applied ({servers})."
            )));
        }
        Ok(received) => {
            slot.notice.set(None);
            store.offer.set(Some(Offer {
                flow: def,
                received,
            }));
        }
    }
}

/// The reader's answer to a waiting link.
pub fn answer(store: Store, accept: bool) {
    let Some(offer) = store.offer.get_untracked() else {
        return;
    };
    store.offer.set(None);
    let slot = store.slot(offer.flow);
    if accept {
        slot.config.set(offer.received.config);
        slot.reset_steps();
        slot.notice.set(Some("Settings from the link were applied. Enter the keys and secrets its servers need in Configuration.".into()));
    } else {
        slot.notice.set(Some(
            "The link's settings were not applied; your configuration is unchanged.".into(),
        ));
    }
}
