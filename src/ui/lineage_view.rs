//! The token lineage of the run shown: a picture (one box per token, each a link to its
//! step), the same content as a table, and "Save as SVG". Hops come from
//! [`protocol::lineage`].

use leptos::prelude::*;
use protocol::lineage::{hops, rows, svg, Hop};
use wasm_bindgen::JsCast;

use super::step_card::step_dom_id;
use crate::browser;
use crate::store::FlowSlot;

fn open_step(slot: FlowSlot, step: &str) {
    if let Some(s) = slot.def.step(step) {
        let id = step_dom_id(slot, s);
        browser::scroll_to(&id);
        browser::focus(&format!("{id}-title"));
    }
}

/// The lineage section of a flow.
#[component]
pub fn Lineage(flow: FlowSlot) -> impl IntoView {
    let slot = flow;
    let all = Memo::new(move |_| {
        let statuses = slot.statuses.get();
        let runs: Vec<_> = statuses
            .iter()
            .enumerate()
            .filter_map(|(i, (step, _))| {
                let r = slot.run(step.id).get();
                r.outcome
                    .filter(|o| o.ok)
                    .map(|o| (step.id, i + 1, step.actor.label, o.tokens))
            })
            .collect();
        hops(runs.iter().map(|(id, n, a, t)| (*id, *n, *a, t.as_slice())))
    });
    let title = move || format!("Token lineage of the {}", slot.def.title);
    let picture = move || svg(&all.get(), &title());
    let heading = format!("{}-lineage", slot.def.id);
    let section = format!("{heading}-section");
    let labelled_by = heading.clone();
    view! {
        <section class="lineage" aria-labelledby=labelled_by id=section>
            <h2 id=heading tabindex="-1">"Token lineage"</h2>
            {move || if all.with(Vec::is_empty) {
                view! { <p class="muted">"Run the steps: each token obtained appears here, with how sub, aud, client_id, the act chain and scope change from one to the next."</p> }.into_any()
            } else {
                view! {
                    <div class="row">
                        <button type="button" class="small" on:click=move |_| {
                            let _ = browser::save_file(&format!("{}-lineage.svg", slot.def.id), "image/svg+xml", &picture());
                        }>"Save as SVG"</button>
                        <span class="help">"Select a token to open its step; the table below holds the same values in full."</span>
                    </div>
                    <div class="lineage-picture" aria-hidden="true" inner_html=picture on:click=move |ev| {
                        let hop = ev.target()
                            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                            .and_then(|e| e.closest("[data-step]").ok().flatten())
                            .and_then(|e| e.get_attribute("data-step"));
                        if let Some(step) = hop {
                            open_step(slot, &step);
                        }
                    }></div>
                    <HopTable flow=slot hops=all/>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn HopTable(flow: FlowSlot, hops: Memo<Vec<Hop>>) -> impl IntoView {
    let slot = flow;
    view! {
        <div class="table-scroll">
            <table class="lineage-table">
                <caption>"Each token of the run, in order"</caption>
                <thead><tr><th scope="col">"Step"</th><th scope="col">"Token"</th><th scope="col">"Claims"</th></tr></thead>
                <tbody>
                    {move || hops.get().into_iter().map(|h| {
                        let step = h.step;
                        view! {
                            <tr>
                                <td><button type="button" class="link" on:click=move |_| open_step(slot, step)>{format!("Step {}", h.number)}</button></td>
                                <th scope="row">{h.label.clone()}<br/><span class="muted">{format!("obtained by {}", h.actor)}</span></th>
                                <td><dl class="claims-list">{rows(&h).into_iter().map(|(k, v)| view! {
                                    <dt>{k}</dt><dd class=if k == "narrowed" { "narrowed" } else { "" }>{v}</dd>
                                }).collect_view()}</dl></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
