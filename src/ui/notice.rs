//! A flow's notice (what a migration dropped, secrets to enter again, what could not be kept on
//! this device), shown above the Flow Steps and the Configuration alike until dismissed.

use leptos::prelude::*;

use crate::store::FlowSlot;

/// The flow's notice, if any, with a Dismiss button.
#[component]
pub fn Notice(flow: FlowSlot) -> impl IntoView {
    let slot = flow;
    move || {
        slot.notice.get().map(|n| {
            view! {
                <div class="notice" role="note"><p>{n}</p>
                    <button type="button" class="small" on:click=move |_| slot.notice.set(None)>"Dismiss"</button></div>
            }
        })
    }
}
