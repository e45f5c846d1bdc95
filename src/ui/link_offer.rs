//! A share link that names a server on a host the reader has not used: what it would set,
//! where signed assertions and secrets would go, and the reader's choice.

use leptos::prelude::*;

use crate::browser;
use crate::store::Offer;
use crate::store::Store;

/// A share link that names a server on a host not used before: what it would set, where
/// signed assertions and secrets would go, and the reader's choice.
#[component]
pub fn LinkOffer(offer: Offer) -> impl IntoView {
    let store = expect_context::<Store>();
    browser::focus_soon("offer-title");
    let r = offer.received;
    view! {
                <section class="offer" aria-labelledby="offer-title">
                    <h2 id="offer-title" tabindex="-1">{format!("Use the settings from this link for the {}?", offer.flow.label)}</h2>
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
}
