//! A cURL command rendered from the request value, masked until revealed, with copy.

use leptos::prelude::*;
use protocol::request::HttpRequest;

use crate::browser;

/// One captioned command. `url_only` shows a browser URL instead of cURL (authorize).
#[component]
pub fn CurlBlock(
    caption: String,
    request: HttpRequest,
    #[prop(optional)] url_only: bool,
    reveal: ReadSignal<bool>,
) -> impl IntoView {
    let full = if url_only {
        protocol::curl::browser_url(&request)
    } else {
        protocol::curl::render(&request, true)
    };
    let shown = {
        let request = request.clone();
        move || {
            if url_only {
                protocol::curl::browser_url(&request)
            } else {
                protocol::curl::render(&request, reveal.get())
            }
        }
    };
    let copied = RwSignal::new(false);
    view! {
        <figure class="curl">
            <figcaption>
                <span>{caption}</span>
                <button type="button" class="small" title="Copies the complete command, secrets included"
                    on:click=move |_| { browser::copy_text(&full); copied.set(true); }>
                    {move || if copied.get() { "Copied" } else { "Copy" }}
                </button>
            </figcaption>
            <pre tabindex="0" class:wrap=url_only><code>{shown}</code></pre>
        </figure>
    }
}
