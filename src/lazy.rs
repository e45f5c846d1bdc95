//! The parts of the app loaded on first use: each split point here is cut out of the main wasm
//! module by `wasm-split-cli` (scripts/post-build.mjs) into a chunk the browser fetches the
//! first time it is called. Every split point is fallible: a chunk that cannot be loaded is a
//! [`ChunkError`] shown in the page ([`Lazy`]), with a Retry (network) or a Reload (the chunk
//! of an older build is gone), never a panic.
//!
//! Split points live only in this crate (the protocol crates stay free of Leptos). With the
//! `nosplit` feature they are plain async functions in one module (wasm-bindgen-test cannot
//! link split code).

use std::future::Future;

use leptos::prelude::*;

use crate::store::Store;

/// Why a part of the app could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChunkError {
    /// The server no longer has it (404, 410): the page is older than the files deployed now.
    Gone {
        /// The file.
        file: String,
    },
    /// The network failed (offline, reset, a refused integrity check, a server error).
    Network {
        /// The file, if known.
        file: String,
        /// What failed.
        reason: String,
    },
}

impl std::fmt::Display for ChunkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChunkError::Gone { file } => write!(
                f,
                "this page is older than the version now deployed ({file} is no longer on the server); reload to use the new version"
            ),
            ChunkError::Network { file, reason } => write!(
                f,
                "{} could not be loaded ({reason}); check the connection, then try again",
                if file.is_empty() {
                    "a part of the app"
                } else {
                    file
                }
            ),
        }
    }
}

impl From<leptos::wasm_split::SplitLoaderError> for ChunkError {
    /// What the loader recorded about the failed fetch (`atpChunkFailure`, written by the
    /// chunk fetcher that scripts/post-build.mjs adds to the loader).
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        let global = js_sys::global();
        let key = wasm_bindgen::JsValue::from_str("atpChunkFailure");
        let failure = js_sys::Reflect::get(&global, &key).unwrap_or_default();
        // Kept, not taken: a load shared by two callers (a prefetch and a click) reports to
        // both; the next failure replaces it.
        let field = |k: &str| js_sys::Reflect::get(&failure, &k.into()).ok();
        let file = field("file")
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        let status = field("status").and_then(|v| v.as_f64()).unwrap_or(0.0) as u16;
        match status {
            404 | 410 => ChunkError::Gone { file },
            0 => ChunkError::Network {
                file,
                reason: field("reason")
                    .and_then(|v| v.as_string())
                    .unwrap_or_else(|| "the network failed".into()),
            },
            s => ChunkError::Network {
                file,
                reason: format!("the server answered HTTP {s}"),
            },
        }
    }
}

/// Declares a split point: `split!(chunk, preload_fn, pub fn name(args) -> Type { body })`
/// becomes an `async fn name(args) -> Result<Type, ChunkError>` whose body lives in the chunk
/// `chunk` (split points that name the same chunk share it), and `async fn preload_fn()` that
/// fetches the chunk without running anything.
macro_rules! split {
    ($chunk:ident, $preload:ident, $(#[$meta:meta])* pub fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty $body:block) => {
        #[cfg(not(feature = "nosplit"))]
        $(#[$meta])*
        #[leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible, preload($preload))]
        pub fn $name($($arg: $ty),*) -> Result<$ret, $crate::lazy::ChunkError> {
            Ok($body)
        }
        #[cfg(feature = "nosplit")]
        $(#[$meta])*
        pub async fn $name($($arg: $ty),*) -> Result<$ret, $crate::lazy::ChunkError> {
            Ok($body)
        }
        /// Fetches this split point's chunk without running it (a no-op in one module).
        #[cfg(feature = "nosplit")]
        pub async fn $preload() -> Result<(), leptos::wasm_split::SplitLoaderError> {
            Ok(())
        }
    };
}

/// A view made by a split point, once its chunk is there: "Loading …" meanwhile; if the chunk
/// cannot be loaded, why, with Retry (the network failed) or Reload (the page is older than
/// the files now deployed).
#[component]
pub fn Lazy<F, Fut>(
    /// Makes the view (calls a split point).
    load: F,
    /// What is loading, for the message ("the configuration").
    what: &'static str,
) -> impl IntoView
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<AnyView, ChunkError>> + 'static,
{
    let attempt = RwSignal::new(0u32);
    view! {
        <Suspense fallback=move || view! { <p class="help loading-part" role="status">{format!("Loading {what}…")}</p> }>
            {move || {
                // Tracked without a panic if this part of the page is already gone.
                let _ = attempt.try_get();
                // The split point's future is not Send (the loader lives in this thread).
                let made = leptos::__reexports::send_wrapper::SendWrapper::new(load());
                Suspend::new(async move {
                    match made.await {
                        Ok(v) => v,
                        Err(e) => view! { <ChunkFailure error=e what=what retry=attempt/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// Why a part could not be loaded, and what to do.
#[component]
fn ChunkFailure(error: ChunkError, what: &'static str, retry: RwSignal<u32>) -> impl IntoView {
    let store = expect_context::<Store>();
    let gone = matches!(error, ChunkError::Gone { .. });
    view! {
        <div class="chunk-failure" role="alert">
            <p>{format!("Could not show {what}: {error}.")}</p>
            {if gone {
                view! {
                    <button type="button" class="primary" on:click=move |_| leptos::task::spawn_local(crate::flows::reload::keeping_runs(store))>
                        "Reload (your configuration and run are kept)"
                    </button>
                }.into_any()
            } else {
                view! {
                    <button type="button" class="primary" on:click=move |_| retry.update(|n| *n += 1)>"Retry"</button>
                }.into_any()
            }}
        </div>
    }
}

// The split points. Each names the chunk it lives in: `run` (running a step and showing its
// result: what the first click needs), `configuration` (the Configuration tab, discovery) and
// `later` (lineage, run files and reports, code in other languages, share links). Fewer,
// larger chunks fetch faster than many small ones (each group's shared code would be a file of
// its own); all three are prefetched once the page is idle. The preload functions fetch a
// chunk ahead of its first use.

split!(
    configuration,
    preload_configuration,
    /// The Configuration tab of a flow.
    pub fn configuration(slot: crate::store::FlowSlot) -> AnyView {
        view! { <crate::ui::config_view::ConfigView flow=slot/> }.into_any()
    }
);

split!(
    run,
    preload_outcome,
    /// A step's Result tab, once it ran.
    pub fn outcome(
        slot: crate::store::FlowSlot,
        step: &'static protocol::flow::Step,
        outcome: protocol::flows::StepOutcome,
    ) -> AnyView {
        view! { <crate::ui::outcome_view::OutcomeView flow=slot step=step outcome=outcome/> }
            .into_any()
    }
);

split!(
    run,
    preload_tokens,
    /// A step's Tokens tab, once it obtained some.
    pub fn tokens(tokens: Vec<protocol::flows::TokenView>) -> AnyView {
        tokens
            .into_iter()
            .map(|t| view! { <crate::ui::token_view::TokenInspector token=t/> })
            .collect_view()
            .into_any()
    }
);

split!(
    run,
    preload_findings,
    /// A step's Checks tab, once it has some.
    pub fn findings(findings: Vec<protocol::checks::Finding>) -> AnyView {
        view! { <crate::ui::findings::Findings findings=findings/> }.into_any()
    }
);

split!(
    run,
    preload_log,
    /// A step's Log tab, once it sent something.
    pub fn log(entries: Vec<protocol::engine::Exchange>, dropped: u32) -> AnyView {
        view! { <crate::ui::log_view::LogView entries=entries dropped=dropped/> }.into_any()
    }
);

/// A future made in a chunk, run from the main module.
pub type ChunkFuture = std::pin::Pin<Box<dyn Future<Output = ()>>>;

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
    preload_lineage,
    /// The token lineage of a flow.
    pub fn lineage(slot: crate::store::FlowSlot) -> AnyView {
        view! { <crate::ui::lineage_view::Lineage flow=slot/> }.into_any()
    }
);

split!(
    later,
    preload_probe_bar,
    /// "Probe this server", with what it will do.
    pub fn probe_bar(slot: crate::store::FlowSlot) -> AnyView {
        view! { <crate::ui::probe_view::ProbeBar flow=slot/> }.into_any()
    }
);

split!(
    later,
    preload_probe,
    /// The Probe tab of a flow.
    pub fn probe(slot: crate::store::FlowSlot) -> AnyView {
        view! { <crate::ui::probe_view::ProbeView flow=slot/> }.into_any()
    }
);

split!(
    later,
    preload_run_files,
    /// "Export or open a run".
    pub fn run_files(slot: crate::store::FlowSlot) -> AnyView {
        view! { <crate::ui::flow_view::RunFiles flow=slot/> }.into_any()
    }
);

split!(
    later,
    preload_code,
    /// A request as code in another language (secrets masked unless `reveal`).
    pub fn code(
        request: protocol::request::HttpRequest,
        language: protocol::codegen::Language,
        reveal: bool,
    ) -> String {
        protocol::codegen::render(&request, language, reveal)
    }
);

split!(
    later,
    preload_explain,
    /// "Explain" for a request, already masked for display.
    pub fn explain(request: protocol::request::HttpRequest) -> AnyView {
        view! { <crate::ui::explain_view::ExplainView request=request/> }.into_any()
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
    preload_imported_run,
    /// A run file (its text) opened read-only, or why it cannot be.
    pub fn imported_run(file: String, why: Option<String>) -> AnyView {
        view! { <crate::ui::imported_run::ImportedRun file=file why=why/> }.into_any()
    }
);

split!(
    later,
    preload_share_payload,
    /// The share-link payload of a configuration (no keys, secrets or tokens).
    pub fn share_payload(config: protocol::flow::FlowConfig) -> String {
        protocol::flow::share::encode(&config)
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
    ) -> Result<protocol::flow::share::Received, String> {
        protocol::flow::share::decode(def, &payload, &current, &known)
    }
);

split!(
    later,
    preload_link_offer,
    /// The question a share link naming a new server asks.
    pub fn link_offer(offer: crate::flows::share::Offer) -> AnyView {
        view! { <crate::ui::link_offer::LinkOffer offer=offer/> }.into_any()
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

/// Once the page is idle after its first paint, fetches the chunks the next clicks need (the
/// runner and a step's tabs first, then the Configuration, code in other languages, reports and
/// share links) and, where the built-in demo is the preset in use, its worker's files, so that
/// on a normal connection no click waits on the network. A failed prefetch is not an error: the
/// click that needs the chunk loads it again (and says so if it cannot). Marks
/// `atp-prefetched` when done (the tests and the benchmark read it).
pub fn prefetch_when_idle(built_in_demo: bool) {
    let run = move || {
        leptos::task::spawn_local(async move {
            let _ = preload_runner().await;
            let _ = preload_lineage().await;
            let _ = preload_configuration().await;
            if built_in_demo {
                crate::browser::worker::prefetch().await;
            }
            crate::mark("atp-prefetched");
        });
    };
    crate::browser::when_idle(Box::new(run));
}
