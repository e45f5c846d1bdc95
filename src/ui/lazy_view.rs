//! A view made by a split point ([`crate::lazy`]): "Loading …" meanwhile; if its chunk cannot
//! be loaded, why, with Retry (the network failed) or Reload (the page is older than the files
//! now deployed).

use std::future::Future;

use leptos::prelude::*;

use crate::lazy::ChunkError;
use crate::store::Store;

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
