//! Tabs that follow the WAI-ARIA tabs pattern: one tab stop, arrow keys, Home and End.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A tab list; the caller renders each panel with [`panel_id`] and [`tab_id`].
#[component]
pub fn TabList(
    /// Prefix of the element ids.
    id: String,
    /// Accessible name of the tab list.
    label: &'static str,
    /// (key, label) of each tab.
    tabs: Vec<(&'static str, String)>,
    /// The selected tab's key.
    selected: RwSignal<&'static str>,
    /// Extra class.
    #[prop(optional)]
    class: &'static str,
) -> impl IntoView {
    let keys: Vec<&'static str> = tabs.iter().map(|(k, _)| *k).collect();
    let prefix = id.clone();
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        // From the focused tab (WAI-ARIA tabs pattern), which need not be the selected one.
        let focused = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .map(|e| e.id());
        let i = keys
            .iter()
            .position(|k| focused.as_deref() == Some(tab_id(&prefix, k).as_str()))
            .or_else(|| keys.iter().position(|k| *k == selected.get_untracked()))
            .unwrap_or(0);
        let next = match ev.key().as_str() {
            "ArrowRight" => (i + 1) % keys.len(),
            "ArrowLeft" => (i + keys.len() - 1) % keys.len(),
            "Home" => 0,
            "End" => keys.len() - 1,
            _ => return,
        };
        ev.prevent_default();
        selected.set(keys[next]);
        crate::browser::focus(&tab_id(&prefix, keys[next]));
    };
    view! {
        <div role="tablist" aria-label=label class=format!("tabs {class}") on:keydown=on_key>
            {tabs.into_iter().map(|(key, text)| {
                let is = move || selected.get() == key;
                view! {
                    <button type="button" role="tab" id=tab_id(&id, key) aria-controls=panel_id(&id, key)
                        aria-selected=move || if is() { "true" } else { "false" }
                        tabindex=move || if is() { "0" } else { "-1" }
                        class:active=is
                        on:click=move |_| selected.set(key)>{text}</button>
                }
            }).collect_view()}
        </div>
    }
}

/// The id of a tab.
pub fn tab_id(prefix: &str, key: &str) -> String {
    format!("{prefix}-tab-{key}")
}

/// The id of a tab's panel.
pub fn panel_id(prefix: &str, key: &str) -> String {
    format!("{prefix}-panel-{key}")
}
