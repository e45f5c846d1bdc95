//! The smallest Leptos CSR page with a button, marked like the app (`atp-start`,
//! `atp-interactive`) so the benchmark reads both the same way.

use leptos::prelude::*;

fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

fn main() {
    mark("atp-start");
    let count = RwSignal::new(0);
    leptos::mount::mount_to_body(move || {
        view! {
            <main>
                <h1>"Hello"</h1>
                <div data-step="1"><button class="send" on:click=move |_| count.update(|c| *c += 1)>{move || format!("Clicked {}", count.get())}</button></div>
            </main>
        }
    });
    mark("atp-interactive");
}
