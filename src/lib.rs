//! Agent Token Playground: run, watch and understand agentic OAuth token flows step by step.
//!
//! This crate is the browser shell. Protocol logic lives in the `protocol` crate; `browser`
//! holds every browser API call; `ui` shows what the protocol crate computed.

pub mod app;
pub mod browser;
pub mod error;
pub mod flows;
pub mod lazy;
pub mod store;
pub mod ui;

/// Marks a moment for the benchmark (`performance.mark`), read by `scripts/bench`.
pub(crate) fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// Installs the panic hook and mounts the app.
pub fn start() {
    mark("atp-start");
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_panic(&info.to_string());
    }));
    leptos::mount::mount_to_body(app::App);
    // Step 1's action is in the DOM and usable from here on.
    mark("atp-interactive");
    if let Some(loading) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("loading"))
    {
        loading.remove();
    }
}

/// A panic is a bug: say so on the page instead of leaving a dead page.
fn show_panic(message: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(el) = doc.create_element("div") else {
        return;
    };
    el.set_class_name("panic");
    let _ = el.set_attribute("role", "alert");
    el.set_text_content(Some(&format!(
        "Agent Token Playground hit a bug and stopped. Reload the page to start again, and please report this: {message}"
    )));
    if let Some(body) = doc.body() {
        let _ = body.prepend_with_node_1(&el);
    }
}
