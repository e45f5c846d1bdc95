//! The page shell: flow picker, page-wide switches (theme, reveal secrets), title, the
//! Configuration / Flow Steps tabs, and one live region that announces step results.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser;
use crate::store::{Store, Tab, Theme};
use crate::ui::config_view::ConfigView;
use crate::ui::flow_view::FlowView;
use crate::ui::imported_run::ImportedRun;
use crate::ui::tabs::{panel_id, tab_id, TabList};

/// A share link that names a server on a host not used before: what it would set, where
/// signed assertions and secrets would go, and the reader's choice.
#[component]
fn LinkOffer() -> impl IntoView {
    let store = expect_context::<Store>();
    Effect::new(move |_| {
        if store.offer.with(Option::is_some) {
            browser::focus_soon("offer-title");
        }
    });
    move || {
        store.offer.get().map(|o| {
            let r = o.received;
            view! {
                <section class="offer" aria-labelledby="offer-title">
                    <h2 id="offer-title" tabindex="-1">{format!("Use the settings from this link for the {}?", o.flow.label)}</h2>
                    <p>"It sets:"</p>
                    <ul>{r.servers.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                    <p class="warn"><strong>"Servers you have not used before: "</strong>{r.new_servers.join(", ")}
                        ". Signed assertions and the secrets you enter for them would be sent there. Links carry no keys, secrets or tokens, and endpoints are read from each server itself."</p>
                    <div class="row">
                        <button type="button" class="primary" on:click=move |_| crate::flows::share::answer(store, true)>"Use these settings"</button>
                        <button type="button" on:click=move |_| crate::flows::share::answer(store, false)>"Keep my settings"</button>
                    </div>
                </section>
            }
        })
    }
}

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let store = Store::new();
    provide_context(store);
    spawn_local(crate::flows::signin::complete_redirect(store));
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
            <LinkOffer/>
            {move || match store.imported.get() {
                Some(run) => view! { <ImportedRun run=run/> }.into_any(),
                None => view! {
                    <TabList id="page".into() label="Views" selected=page_tab
                        tabs=vec![(Tab::CONFIGURATION, "Configuration".to_string()), (Tab::STEPS, "Flow Steps".to_string())]/>
                    <div role="tabpanel" id=move || panel_id("page", page_tab.get()) aria-labelledby=move || tab_id("page", page_tab.get())>
                        {move || {
                            let slot = store.slot(active.get());
                            match page_tab.get() {
                                Tab::CONFIGURATION => view! { <ConfigView flow=slot/> }.into_any(),
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
