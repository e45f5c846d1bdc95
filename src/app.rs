//! The page shell: flow picker, page-wide switches (theme, reveal secrets), title, the
//! Configuration / Flow Steps tabs, and one live region that announces step results.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser;
use crate::store::{Store, Tab, Theme};
use crate::ui::flow_view::FlowView;
use crate::ui::lazy_view::Lazy;
use crate::ui::tabs::{panel_id, tab_id, TabList};

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let store = Store::new();
    provide_context(store);
    prefetch_when_idle(store.active_slot().uses_built_in_demo(store));
    if crate::flows::signin::returning() {
        spawn_local(async move {
            match crate::flows::parts::complete_redirect(store).await {
                Ok(done) => done.await,
                Err(e) => store
                    .active_slot()
                    .notice
                    .set(Some(format!("The sign-in could not be completed: {e}."))),
            }
        });
    }
    if let Some(kept) = crate::flows::reload::kept() {
        spawn_local(async move {
            if let Err(e) = crate::flows::parts::restore(store, kept).await {
                store.active_slot().notice.set(Some(format!(
                    "The run kept before the page was reloaded could not be shown: {e}."
                )));
            }
        });
    }
    crate::flows::share::read_from_hash(store);
    browser::on_hash_change(move || {
        crate::flows::share::read_from_hash(store);
        if let Some(def) = protocol::flows::by_hash(&browser::hash()) {
            store.active.set(def);
        }
    });
    Effect::new(move |_| {
        let theme = match store.theme.get() {
            Theme::System => "",
            Theme::Light => "light",
            Theme::Dark => "dark",
        };
        if let Some(root) = browser::window()
            .document()
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("data-theme", theme);
        }
    });
    let active = store.active;
    let page_tab = store.tab;
    view! {
        <a class="skip" href="#main">"Skip to the flow"</a>
        <header class="page-head">
            <div class="brand">"Agent Token Playground"</div>
            <nav class="flows" aria-label="Flows">
                {protocol::flows::ALL.iter().copied().map(|f| view! {
                    <a href=f.hash() aria-current=move || std::ptr::eq(active.get(), f).then_some("page")>{f.label}</a>
                }).collect_view()}
            </nav>
            <div class="switches">
                <label for="theme">"Theme"</label>
                <select id="theme" name="theme" on:change=move |ev| {
                    store.theme.set(match event_target_value(&ev).as_str() { "light" => Theme::Light, "dark" => Theme::Dark, _ => Theme::System });
                }>
                    <option value="system" selected=move || store.theme.get() == Theme::System>"System"</option>
                    <option value="light" selected=move || store.theme.get() == Theme::Light>"Light"</option>
                    <option value="dark" selected=move || store.theme.get() == Theme::Dark>"Dark"</option>
                </select>
                <label class="toggle"><input type="checkbox" name="reveal" prop:checked=store.reveal
                    on:change=move |ev| store.reveal.set(event_target_checked(&ev))/>" Reveal secrets"</label>
            </div>
        </header>
        <main id="main" tabindex="-1">
            <h1>{move || active.get().title}</h1>
            <p class="subtitle">{move || active.get().subtitle}</p>
            {move || store.offer.get().map(|o| view! { <Lazy load=move || crate::ui::parts::link_offer(o.clone()) what="the link's settings"/> })}
            {move || match store.imported.get() {
                Some((file, why)) => view! { <Lazy load=move || crate::ui::parts::imported_run(file.clone(), why.clone()) what="the run"/> }.into_any(),
                None => view! {
                    {move || view! { <crate::ui::probe_bar::ProbeBar flow=store.slot(active.get())/> }}
                    <TabList id="page".into() label="Views" selected=page_tab
                        tabs=vec![(Tab::CONFIGURATION, "Configuration".to_string()), (Tab::STEPS, "Flow Steps".to_string()), (Tab::PROBE, "Probe".to_string())]/>
                    <div role="tabpanel" id=move || panel_id("page", page_tab.get()) aria-labelledby=move || tab_id("page", page_tab.get())>
                        {move || {
                            let slot = store.slot(active.get());
                            match page_tab.get() {
                                Tab::CONFIGURATION => view! { <Lazy load=move || crate::ui::parts::configuration(slot) what="the configuration"/> }.into_any(),
                                Tab::PROBE => view! { <Lazy load=move || crate::ui::parts::probe(slot) what="the probe"/> }.into_any(),
                                _ => view! { <FlowView flow=slot/> }.into_any(),
                            }
                        }}
                    </div>
                }.into_any(),
            }}
        </main>
        <p class="sr-only" role="status" aria-live="polite">{move || store.announce.get()}</p>
        <footer class="page-foot muted">
            "Private keys never leave this page; tokens and secrets go only to the endpoint they are meant for (or through a relay on your own machine)."
        </footer>
    }
}

/// Once the page is idle after its first paint, fetches the chunks the next clicks need (the
/// runner and a step's tabs first, then the Configuration, code in other languages, reports and
/// share links) and, where the built-in demo is the preset in use, its worker's files, so that
/// on a normal connection no click waits on the network. A failed prefetch is not an error: the
/// click that needs the chunk loads it again (and says so if it cannot). Marks
/// `atp-prefetched` when done (the tests and the benchmark read it).
pub fn prefetch_when_idle(built_in_demo: bool) {
    let run = move || {
        leptos::task::spawn_local(async move {
            let _ = crate::flows::parts::preload_runner().await;
            let _ = crate::ui::parts::preload_lineage().await;
            let _ = crate::ui::parts::preload_configuration().await;
            if built_in_demo {
                crate::browser::worker::prefetch().await;
            }
            crate::mark("atp-prefetched");
        });
    };
    crate::browser::when_idle(Box::new(run));
}
