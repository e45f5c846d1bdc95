//! Form controls: text inputs with inline validation, and a step parameter's control chosen
//! by its declared kind (text, URL, scopes with "Load scopes", URIs, choice, multi-line).

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::flow::{Field, FieldKind, ScopeSource, ServerRole};

use super::bind::{bind, Path};
use crate::store::{FlowSlot, Store};

/// How a text input is shown.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub enum Look {
    /// One line.
    #[default]
    Line,
    /// A secret (masked while typing).
    Secret,
    /// Several lines.
    Lines,
}

/// A labelled text input; `problem` explains a value that will not work.
#[component]
pub fn TextInput(
    label: String,
    #[prop(into)] name: String,
    id: String,
    value: Signal<String>,
    on_input: Callback<String>,
    #[prop(optional)] look: Look,
    #[prop(optional)] help: &'static str,
    #[prop(optional, into)] problem: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let err_id = format!("{id}-error");
    let help_id = format!("{id}-help");
    let problem = move || problem.and_then(|p| p.get());
    let described = {
        let (e, h) = (err_id.clone(), help_id.clone());
        move || {
            let mut ids = Vec::new();
            if !help.is_empty() {
                ids.push(h.clone());
            }
            if problem().is_some() {
                ids.push(e.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let input = move |ev| on_input.run(event_target_value(&ev));
    let control = match look {
        Look::Lines => view! {
            <textarea id=id.clone() name=name.clone() rows="4" spellcheck="false" autocomplete="off" prop:value=value
                aria-invalid=move || if problem().is_some() { "true" } else { "false" }
                aria-describedby=described.clone() on:input=input></textarea>
        }
        .into_any(),
        _ => view! {
            <input id=id.clone() name=name type=if look == Look::Secret { "password" } else { "text" }
                spellcheck="false" autocomplete="off" prop:value=value
                aria-invalid=move || if problem().is_some() { "true" } else { "false" }
                aria-describedby=described on:input=input/>
        }
        .into_any(),
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {control}
            {(!help.is_empty()).then(|| view! { <span class="help" id=help_id>{help}</span> })}
            {move || problem().map(|p| view! { <span class="field-error" id=err_id.clone()>{p}</span> })}
        </div>
    }
}

/// A step parameter's control, bound to the flow's configuration.
#[component]
pub fn FieldInput(
    flow: FlowSlot,
    field: &'static Field,
    #[prop(into)] context: String,
) -> impl IntoView {
    let slot = flow;
    let id = format!("{context}-{}-{}", slot.def.id, field.key);
    let (value, set) = bind(slot, Path::Param(field));
    match field.kind {
        FieldKind::Choice(options) => view! {
            <div class="field">
                <label for=id.clone()>{field.label}</label>
                <select id=id name=field.key on:change=move |ev| set.run(event_target_value(&ev))>
                    {options.iter().map(|(v, label)| {
                        let v = *v;
                        view! { <option value=v selected=move || value.with(|x| x == v || (x.is_empty() && v == options[0].0))>{*label}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
        .into_any(),
        kind => {
            let problem = Signal::derive(move || value.with(|v| kind.problem(v)));
            let look = if kind == FieldKind::Multiline { Look::Lines } else { Look::Line };
            let scopes = kind
                .scope_source()
                .map(|(role, after)| view! { <ScopePicker flow=slot field=field role=role after=after/> });
            view! {
                <TextInput label=field.label.to_string() name=field.key id=id value=value on_input=set
                    look=look help=field.help problem=problem/>
                {scopes}
            }
            .into_any()
        }
    }
}

/// Scopes listed in a server's metadata, to add to or remove from a scope field. An empty
/// or partial list is explained: a real Okta org lists only scopes marked "include in
/// public metadata".
#[component]
fn ScopePicker(
    flow: FlowSlot,
    field: &'static Field,
    role: &'static ServerRole,
    /// The field that must name the server first, if any.
    after: Option<&'static ScopeSource>,
) -> impl IntoView {
    let slot = flow;
    let store = expect_context::<Store>();
    let listed = Memo::new(move |_| {
        slot.config.with(|c| {
            c.server(role)
                .current_metadata()
                .map(|m| m.scopes_supported.clone())
        })
    });
    let load = move |_| {
        spawn_local(async move {
            match crate::flows::parts::discover(store, slot, role).await {
                Ok(discovery) => discovery.await,
                Err(e) => slot.discovered(role.key, Err(e.into())),
            }
        })
    };
    let has_issuer = move || slot.config.with(|c| !c.server(role).issuer().is_empty());
    // What must be configured before scopes can be loaded, if anything.
    let missing = move || match after {
        Some(src) if slot.config.with(|c| c.param(src.after).is_empty()) => {
            Some(src.missing.to_string())
        }
        _ => (!has_issuer()).then(|| format!("Configure the {} to load its scopes.", role.label)),
    };
    view! {
        <div class="scopes">
            {move || match missing() {
                Some(m) => view! { <span class="help">{m}</span> }.into_any(),
                None => view! { <button type="button" class="small" on:click=load>"Load scopes"</button> }.into_any(),
            }}
            {move || match (listed.get(), slot.discovery_of(role.key)) {
                (_, Some(Err(e))) => view! { <p class="field-error">"Could not load scopes: "{e.to_string()}</p> }.into_any(),
                (Some(scopes), _) if scopes.is_empty() => view! {
                    <p class="help">"The metadata lists no scopes_supported. Okta lists only scopes marked \u{201c}Include in public metadata\u{201d} (Security → API → the authorization server → Scopes): tick it, or type the scopes here."</p>
                }.into_any(),
                (Some(scopes), _) => view! {
                    <fieldset class="chips">
                        <legend>"Scopes the server lists"</legend>
                        {scopes.into_iter().map(|s| {
                            let s2 = s.clone();
                            let checked = move || slot.config.with(|c| protocol::scope::split(c.param(field)).contains(&s2));
                            let s3 = s.clone();
                            view! {
                                <label class="chip"><input type="checkbox" prop:checked=checked on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    slot.config.update(|c| {
                                        let mut list = protocol::scope::split(c.param(field));
                                        list.retain(|x| x != &s3);
                                        if on { list.push(s3.clone()); }
                                        c.set_param(field, list.join(" "));
                                    });
                                }/>{s}</label>
                            }
                        }).collect_view()}
                        <p class="help">"Only scopes published in the server's metadata are listed; others may still exist."</p>
                    </fieldset>
                }.into_any(),
                (None, _) => ().into_any(),
            }}
        </div>
    }
}
