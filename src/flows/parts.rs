//! The split points that run protocol work: a step's runner, the same-tab sign-in's return,
//! discovery, the Markdown report, share links, and the runs kept over a reload; each cut out of
//! the main wasm module into the chunk it names (see `crate::lazy`).

use crate::lazy::{split, ChunkFuture};

split!(
    run,
    preload_runner,
    /// Running a step: sign, build, route, send, read, judge, verify, record.
    pub fn run_step(
        store: crate::store::Store,
        slot: crate::store::FlowSlot,
        step: &'static protocol::flow::Step,
    ) -> ChunkFuture {
        Box::pin(crate::flows::run(store, slot, step))
    }
);

split!(
    run,
    preload_complete_redirect,
    /// Completing (or forgetting) a same-tab sign-in when the page loads again.
    pub fn complete_redirect(store: crate::store::Store) -> ChunkFuture {
        Box::pin(crate::flows::signin::complete_redirect(store))
    }
);

split!(
    later,
    preload_markdown,
    /// The Markdown report of an exported run.
    pub fn markdown(run: protocol::export::RunExport) -> String {
        protocol::export::markdown(&run)
    }
);

split!(
    later,
    preload_share_payload,
    /// The share-link payload of a configuration (no keys, secrets or tokens).
    pub fn share_payload(config: protocol::flow::FlowConfig) -> String {
        protocol::flows::share::encode(&config)
    }
);

split!(
    later,
    preload_share_read,
    /// A share link's payload read for a flow over the reader's configuration; `known` lists
    /// the issuers the reader has used.
    pub fn share_read(
        def: &'static protocol::flow::FlowDef,
        payload: String,
        current: protocol::flow::FlowConfig,
        known: Vec<String>,
    ) -> Result<protocol::flows::share::Received, protocol::flows::share::LinkError> {
        protocol::flows::share::decode(def, &payload, &current, &known)
    }
);

split!(
    later,
    preload_restore,
    /// After a reload for a new version: the run kept from before it (the text kept), shown.
    pub fn restore(store: crate::store::Store, kept: String) -> () {
        crate::flows::reload::show(store, &kept)
    }
);

split!(
    configuration,
    preload_discover,
    /// Discovering a server (RFC 8414 / OpenID metadata): "Load scopes" and "Discover".
    pub fn discover(
        store: crate::store::Store,
        slot: crate::store::FlowSlot,
        role: &'static protocol::flow::ServerRole,
    ) -> ChunkFuture {
        Box::pin(crate::flows::discovery::discover_and_report(
            store, slot, role,
        ))
    }
);

split!(
    run,
    preload_runs_to_keep,
    /// Every flow's run without secrets (JSON), kept across a reload for a new version.
    pub fn runs_to_keep(store: crate::store::Store) -> String {
        crate::flows::reload::runs_json(store)
    }
);

split!(
    later,
    preload_probe_runner,
    /// A probe of a flow's servers: the battery, with the page as its host.
    pub fn run_probe(store: crate::store::Store, slot: crate::store::FlowSlot) -> ChunkFuture {
        Box::pin(crate::flows::probe::run(store, slot))
    }
);
