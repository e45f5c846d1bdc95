//! The split points that make views: each is cut out of the main wasm module into the chunk it
//! names (`run`: a step's result tabs; `configuration`: the Configuration tab; `later`: lineage,
//! run files, code in other languages, Explain, a run opened read-only, share-link offers, the
//! probe), loaded the first time it is called and prefetched once the page is idle
//! (`crate::app`). Shown through [`super::lazy_view::Lazy`].

use leptos::prelude::*;

use crate::lazy::split;

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
    preload_imported_run,
    /// A run file (its text) opened read-only, or why it cannot be.
    pub fn imported_run(file: String, why: Option<String>) -> AnyView {
        view! { <crate::ui::imported_run::ImportedRun file=file why=why/> }.into_any()
    }
);

split!(
    later,
    preload_link_offer,
    /// The question a share link naming a new server asks.
    pub fn link_offer(offer: crate::store::Offer) -> AnyView {
        view! { <crate::ui::link_offer::LinkOffer offer=offer/> }.into_any()
    }
);
