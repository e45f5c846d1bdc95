//! The Configuration tab of any flow, drawn from its declaration: the preset, each server
//! (issuer, how its endpoints are found, discovery, the relay switch), each client at each
//! server (ID, authentication method, secret or key, assertion audience), every step's
//! parameters, the sign-in mode, the relay, and what is kept on this device.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::flow::{
    AssertionAud, AuthMethod, Layout, PresetKind, Registration, RoleKind, ServerRole,
};
use protocol::jwt::Alg;

use super::bind::{bind, Path};
use super::fields::{FieldInput, Look, TextInput};
use super::notice::Notice;
use crate::browser::{self, crypto, BrowserError};
use crate::error::ActionError;
use crate::flows::discovery;
use crate::store::{FlowSlot, SignInMode, Store};

/// Named configurations: save the current one, load or delete a saved one.
#[component]
fn SavedConfigs(flow: FlowSlot) -> impl IntoView {
    use crate::flows::saved;
    let slot = flow;
    let store = expect_context::<Store>();
    let version = RwSignal::new(0u32);
    let stored = move || {
        version.track();
        saved::list(slot).map(|all| all.into_iter().map(|s| s.name).collect::<Vec<_>>())
    };
    let names = move || stored().unwrap_or_default();
    let name = RwSignal::new(String::new());
    let chosen = RwSignal::new(String::new());
    let message = RwSignal::new(None::<Result<String, ActionError>>);
    let id = format!("{}-saved", slot.def.id);
    view! {
        <fieldset class="saved">
            <legend>"Saved configurations"</legend>
            <div class="row">
                <TextInput label="Name".into() name="saved-name" id=format!("{id}-name") value=Signal::derive(move || name.get())
                    on_input=Callback::new(move |v: String| name.set(v))/>
                <button type="button" class="small" on:click=move |_| {
                    let r = saved::save(store, slot, &name.get_untracked());
                    if r.is_ok() { chosen.set(name.get_untracked().trim().to_string()); }
                    message.set(Some(r));
                    version.update(|v| *v += 1);
                }>"Save this configuration"</button>
            </div>
            <Show when=move || !names().is_empty()>
                <div class="row">
                    <label for=format!("{}-list", slot.def.id)>"Saved"</label>
                    <select id=format!("{}-list", slot.def.id) name="saved-list" prop:value=move || chosen.get()
                        on:change=move |ev| chosen.set(event_target_value(&ev))>
                        <option value="">"Choose…"</option>
                        {move || names().into_iter().map(|n| view! { <option value=n.clone()>{n.clone()}</option> }).collect_view()}
                    </select>
                    <button type="button" class="small" on:click=move |_| message.set(Some(saved::load(slot, &chosen.get_untracked())))>"Load"</button>
                    <button type="button" class="small" on:click=move |_| {
                        let r = saved::delete(store, slot, &chosen.get_untracked());
                        if r.is_ok() { chosen.set(String::new()); }
                        message.set(Some(r));
                        version.update(|v| *v += 1);
                    }>"Delete"</button>
                </div>
            </Show>
            <p class="help">"Kept on this device like the current configuration: without keys and secrets unless Remember is on."</p>
            {move || stored().err().map(|e| view! { <p class="field-error" role="alert">{e.to_string()}</p> })}
            {move || message.get().map(|m| match m.map_err(|e| e.to_string()) {
                Ok(t) => view! { <p class="found" role="status">{t}</p> }.into_any(),
                Err(e) => view! { <p class="field-error" role="alert">{e}</p> }.into_any(),
            })}
        </fieldset>
    }
}

/// A link to this flow with this configuration, for a colleague or a docs page.
#[component]
fn ShareLink(flow: FlowSlot) -> impl IntoView {
    let slot = flow;
    let link = RwSignal::new(None::<Result<String, ActionError>>);
    view! {
        <fieldset class="share">
            <legend>"Share this configuration"</legend>
            <p class="help">"A link that opens this flow pre-filled: servers, client IDs, how they authenticate, and the step parameters. It never carries keys, secrets, tokens, the redirect URI or the API's headers and body; whoever opens it is asked before any server new to them is used."</p>
            <button type="button" class="small" on:click=move |_| spawn_local(async move {
                let made = crate::flows::share::link_for(slot).await;
                if let Ok(url) = &made {
                    browser::copy_text(url);
                }
                link.set(Some(made));
            })>"Copy a link to this configuration"</button>
            {move || link.get().map(|l| match l {
                Ok(l) => view! {
                    <div class="field">
                        <label for=format!("{}-share-link", slot.def.id)>"Link (copied)"</label>
                        <input id=format!("{}-share-link", slot.def.id) name="share-link" readonly value=l/>
                    </div>
                }.into_any(),
                Err(e) => view! { <p class="field-error" role="alert">{format!("No link was made: {e}.")}</p> }.into_any(),
            })}
        </fieldset>
    }
}

/// The configuration of a flow.
#[component]
pub fn ConfigView(flow: FlowSlot) -> impl IntoView {
    let slot = flow;
    let store = expect_context::<Store>();
    let def = slot.def;
    let reset_outcome = RwSignal::new(None::<Result<String, BrowserError>>);
    view! {
        <Notice flow=slot/>
        <form class="config" on:submit=move |ev| ev.prevent_default()>
            <h2 class="sr-only">{format!("Configuration of the {}", def.title)}</h2>
            <Presets flow=slot/>
            {def.servers.iter().map(|r| view! { <ServerForm flow=slot role=*r/> }).collect_view()}
            {def.clients.iter().map(|r| view! { <ClientForm flow=slot reg=*r/> }).collect_view()}
            <fieldset>
                <legend>"Step parameters"</legend>
                <p class="help">"The same fields as on the step cards."</p>
                {move || def.steps(&slot.config.get()).into_iter().filter(|s| !s.fields.is_empty()).map(|s| view! {
                    <div class="group">
                        <h3>{s.title}</h3>
                        {s.fields.iter().map(|f| view! { <FieldInput flow=slot field=*f context="cfg"/> }).collect_view()}
                    </div>
                }).collect_view()}
            </fieldset>
            <SavedConfigs flow=slot/>
            <ShareLink flow=slot/>
            <fieldset>
                <legend>"Sign-in"</legend>
                <label class="toggle"><input type="radio" name="signin-mode" prop:checked=move || store.signin_mode.get() == SignInMode::Popup
                    on:change=move |_| store.signin_mode.set(SignInMode::Popup)/>" In a pop-up window: this page never unloads, so nothing is stored."</label>
                <label class="toggle"><input type="radio" name="signin-mode" prop:checked=move || store.signin_mode.get() == SignInMode::Redirect
                    on:change=move |_| store.signin_mode.set(SignInMode::Redirect)/>" In this tab (for servers that forbid pop-ups): non-secret settings cross the redirect in sessionStorage; secrets you did not ask to remember must be entered again."</label>
            </fieldset>
            <RelaySettings flow=slot/>
            <fieldset>
                <legend>"Storage"</legend>
                <label class="toggle"><input type="checkbox" name="remember" prop:checked=store.remember
                    on:change=move |ev| store.remember.set(event_target_checked(&ev))/>
                    " Remember secrets (private keys, client secrets, the relay key) on this device, in localStorage. Off: they stay in this page's memory only."</label>
                <p class="help">"Tokens are never stored. The configuration without secrets is kept so a reload keeps your settings."</p>
                <button type="button" class="small" on:click=move |_| spawn_local(async move {
                    let outcome = crate::flows::reset_built_in_demo(store).await;
                    if let Ok(m) = &outcome {
                        store.announce.set(m.clone());
                    }
                    reset_outcome.set(Some(outcome));
                })>"Reset the built-in demo"</button>
                <span class="help">" Forgets its signing keys, codes and revocations (stored in this browser)."</span>
                {move || reset_outcome.get().map(|o| match o.map_err(|e| e.to_string()) {
                    Ok(m) => view! { <p class="found" role="status">{m}</p> }.into_any(),
                    Err(e) => view! { <p class="field-error" role="alert">{e}</p> }.into_any(),
                })}
            </fieldset>
        </form>
    }
}

#[component]
fn Presets(flow: FlowSlot) -> impl IntoView {
    let slot = flow;
    let store = expect_context::<Store>();
    let env = store.env.get_value();
    let offered: Vec<PresetKind> = PresetKind::ALL
        .into_iter()
        .filter(|k| slot.def.preset(*k, &env.preset_env(*k)).is_some())
        .collect();
    let chosen = RwSignal::new(env.default_preset());
    let apply = move |_| {
        let kind = chosen.get_untracked();
        let env = store.env.get_value();
        if let Some(c) = slot.def.preset(kind, &env.preset_env(kind)) {
            slot.config.set(c);
            slot.discovery.set(Vec::new());
        }
    };
    let unavailable = crate::browser::worker::unavailable();
    view! {
        <fieldset class="presets">
            <legend>"Preset"</legend>
            <div class="row">
                <label for=format!("{}-preset", slot.def.id)>"Start from"</label>
                <select id=format!("{}-preset", slot.def.id) name="preset" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some(k) = PresetKind::ALL.into_iter().find(|k| k.key() == v) { chosen.set(k); }
                }>
                    {offered.into_iter().map(|k| view! { <option value=k.key() selected=move || chosen.get() == k>{k.label()}</option> }).collect_view()}
                </select>
                <button type="button" on:click=apply>"Reset to preset"</button>
            </div>
            <p class="help">"A preset fills every field below; change any of them afterwards. The built-in demo runs in this browser; the local demo tenant runs on your machine (./run)."</p>
            {unavailable.map(|why| view! { <p class="help">{why}</p> })}
        </fieldset>
    }
}

#[component]
fn ServerForm(flow: FlowSlot, role: &'static ServerRole) -> impl IntoView {
    let slot = flow;
    let store = expect_context::<Store>();
    let id = format!("cfg-{}-{}", slot.def.id, role.key);
    let (issuer, set_issuer) = bind(slot, Path::Issuer(role));
    let resource = role.kind == RoleKind::Resource;
    let issuer_problem = Signal::derive(move || {
        issuer.with(|v| {
            (!v.trim().is_empty())
                .then(|| {
                    protocol::request::validate_url(v)
                        .err()
                        .map(|e| e.to_string())
                })
                .flatten()
        })
    });
    let layout = move || slot.config.with(|c| c.server(role).layout);
    let endpoints = move || slot.config.with(|c| c.server(role).endpoints(role));
    let discovered = move || {
        slot.config
            .with(|c| c.server(role).current_metadata().map(|m| m.source.clone()))
    };
    view! {
        <fieldset class="server">
            <legend>{protocol::text::capitalize(role.label)}</legend>
            <TextInput label=if resource { "URL".to_string() } else { "Issuer (exactly as the server names itself)".to_string() }
                name=role.key id=format!("{id}-issuer") value=issuer on_input=set_issuer problem=issuer_problem/>
            {(!resource).then(|| view! {
                <div class="field">
                    <label for=format!("{id}-layout")>"Its endpoints"</label>
                    <select id=format!("{id}-layout") name=format!("{}-layout", role.key) on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some(l) = Layout::ALL.into_iter().find(|l| l.key() == v) {
                            slot.config.update(|c| c.server_mut(role).layout = l);
                        }
                    }>
                        {Layout::ALL.into_iter().map(|l| view! { <option value=l.key() selected=move || layout() == l>{l.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="row">
                    <button type="button" class="small" name=format!("{}-discover", role.key)
                        on:click=move |_| spawn_local(discovery::discover_and_report(store, slot, role))>"Discover"</button>
                    <span class="help">"Reads the issuer's metadata (RFC 8414, OpenID discovery): its endpoints, scopes and keys."</span>
                </div>
                <div class="in-use">
                    {move || match endpoints() {
                        Ok(e) => view! {
                            <p class="help">{match discovered() { Some(src) => format!("Endpoints in use, from {src}:"), None => "Endpoints in use, from the layout's paths:".into() }}</p>
                            <ul class="endpoint-list">
                                {[("token", e.token), ("authorize", e.authorize), ("introspect", e.introspect), ("revoke", e.revoke), ("keys", e.keys)]
                                    .into_iter().filter(|(_, u)| !u.is_empty())
                                    .map(|(n, u)| view! { <li><span class="muted">{n}" "</span><code>{u}</code></li> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <p class="field-error">{e.to_string()}</p> }.into_any(),
                    }}
                </div>
            })}
            {(resource && role.issued_by.is_some()).then(|| view! {
                <div class="row">
                    <button type="button" class="small" name=format!("{}-discover", role.key)
                        on:click=move |_| spawn_local(discovery::discover_resource(store, slot, role))>"Find its authorization server"</button>
                    <span class="help">"Reads the API's protected-resource metadata (RFC 9728) and discovers the server it names."</span>
                </div>
            })}
            {move || slot.discovery_of(role.key).map(|r| match r.map_err(|e| e.to_string()) {
                Ok(m) => view! { <p class="found" role="status">{m}</p> }.into_any(),
                Err(e) => view! { <p class="field-error" role="alert">{e}</p> }.into_any(),
            })}
            <label class="toggle"><input type="checkbox" name=format!("relay-{}", role.key)
                prop:checked=move || slot.config.with(|c| c.server(role).relay)
                on:change=move |ev| { let on = event_target_checked(&ev); slot.config.update(|c| c.server_mut(role).relay = on); }/>
                {format!(" Send the {}'s requests via the relay", role.label)}</label>
        </fieldset>
    }
}

#[component]
fn ClientForm(flow: FlowSlot, reg: &'static Registration) -> impl IntoView {
    let slot = flow;
    let id = format!("cfg-{}-{}", slot.def.id, reg.key);
    let (id_client, id_auth, id_secret, id_aud) = (
        format!("{id}-id"),
        format!("{id}-auth"),
        format!("{id}-secret"),
        format!("{id}-aud"),
    );
    let (client_id, set_client_id) = bind(slot, Path::ClientId(reg));
    let (secret, set_secret) = bind(slot, Path::Secret(reg));
    let method = move || slot.config.with(|c| c.client(reg).auth);
    let aud = move || slot.config.with(|c| c.client(reg).assertion_aud);
    view! {
        <fieldset class="client">
            <legend>{protocol::text::capitalize(reg.label)}</legend>
            <TextInput label="Client ID".into() name=reg.key id=id_client value=client_id on_input=set_client_id/>
            <div class="field">
                <label for=id_auth.clone()>"Client authentication"</label>
                <select id=id_auth name=format!("{}-auth", reg.key) on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some(m) = AuthMethod::from_key(&v) { slot.config.update(|c| c.client_mut(reg).auth = m); }
                }>
                    {AuthMethod::ALL.into_iter().map(|m| view! { <option value=m.key() selected=move || method() == m>{m.key()}</option> }).collect_view()}
                </select>
            </div>
            <Show when=move || matches!(method(), AuthMethod::ClientSecretBasic | AuthMethod::ClientSecretPost)>
                <TextInput label="Client secret".into() name=format!("{}-secret", reg.key) id=id_secret.clone()
                    value=secret on_input=set_secret look=Look::Secret/>
            </Show>
            <Show when=move || method() == AuthMethod::PrivateKeyJwt>
                <div class="field">
                    <label for=id_aud.clone()>"Assertion audience (aud)"</label>
                    <select id=id_aud.clone() name=format!("{}-aud", reg.key) on:change=move |ev| {
                        let a = if event_target_value(&ev) == "issuer" { AssertionAud::Issuer } else { AssertionAud::Endpoint };
                        slot.config.update(|c| c.client_mut(reg).assertion_aud = a);
                    }>
                        <option value="endpoint" selected=move || aud() == AssertionAud::Endpoint>"The endpoint URL the request goes to (Okta)"</option>
                        <option value="issuer" selected=move || aud() == AssertionAud::Issuer>"The server's issuer (RFC 7523bis)"</option>
                    </select>
                </div>
                <KeyForm flow=slot reg=reg/>
            </Show>
        </fieldset>
    }
}

/// A client's private key: its summary, the public JWKS to register, generate, paste, or use
/// another client's key of this flow.
#[component]
fn KeyForm(flow: FlowSlot, reg: &'static Registration) -> impl IntoView {
    let slot = flow;
    let id = format!("cfg-{}-{}-key", slot.def.id, reg.key);
    let key_field = id.clone();
    let show = RwSignal::new(false);
    let error = RwSignal::new(None::<BrowserError>);
    let parsed = Memo::new(move |_| {
        slot.config.with(|c| {
            let client = c.client(reg);
            protocol::keys::parse_signing_key(client.key.expose(), client.rsa_alg)
        })
    });
    let generate = move |alg: Alg| {
        error.set(None);
        spawn_local(async move {
            match crypto::generate_key(alg).await {
                Ok(jwk) => slot.config.update(|c| c.client_mut(reg).key = jwk.into()),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let others: Vec<&'static Registration> = slot
        .def
        .clients
        .iter()
        .copied()
        .filter(|r| r.key != reg.key)
        .collect();
    view! {
        <div class="key">
            <p class="key-summary" id=format!("{id}-summary")>{move || match parsed.get() {
                Ok(k) => view! { <span class="ok">{format!("{} private key, kid {}", k.alg.as_str(), k.kid)}</span> }.into_any(),
                Err(e) => view! { <span class="bad">{e.to_string()}</span> }.into_any(),
            }}</p>
            <div class="row">
                <button type="button" class="small" on:click=move |_| generate(Alg::ES256)>"Generate ES256 key"</button>
                <button type="button" class="small" on:click=move |_| generate(Alg::RS256)>"Generate RSA key"</button>
                {others.into_iter().map(|o| view! {
                    <button type="button" class="small" on:click=move |_| slot.config.update(|c| {
                        let k = c.client(o).key.clone();
                        c.client_mut(reg).key = k;
                    })>{format!("Same key as the {}", o.label)}</button>
                }).collect_view()}
                <label class="toggle"><input type="checkbox" prop:checked=show on:change=move |ev| show.set(event_target_checked(&ev))/>" Show / paste the private key"</label>
            </div>
            <Show when=move || parsed.with(|k| k.as_ref().is_ok_and(|k| k.alg != Alg::ES256))>
                <div class="field">
                    <label for=format!("{id}-alg")>"RSA signing algorithm"</label>
                    <select id=format!("{id}-alg") on:change=move |ev| {
                        let a = if event_target_value(&ev) == "PS256" { Alg::PS256 } else { Alg::RS256 };
                        slot.config.update(|c| c.client_mut(reg).rsa_alg = Some(a));
                    }>
                        <option value="RS256" selected=move || parsed.with(|k| k.as_ref().is_ok_and(|k| k.alg == Alg::RS256))>"RS256"</option>
                        <option value="PS256" selected=move || parsed.with(|k| k.as_ref().is_ok_and(|k| k.alg == Alg::PS256))>"PS256"</option>
                    </select>
                </div>
            </Show>
            {move || error.get().map(|e| view! { <p class="field-error" role="alert">{e.to_string()}</p> })}
            <Show when=move || show.get()>
                <div class="field">
                    <label for=key_field.clone()>"Private key (JWK or PEM). It never leaves this page: assertions are signed here."</label>
                    <textarea id=key_field.clone() name=format!("{}-key", reg.key) rows="6" spellcheck="false" autocomplete="off"
                        prop:value=move || slot.config.with(|c| c.client(reg).key.expose().to_string())
                        on:input=move |ev| slot.config.update(|c| c.client_mut(reg).key = event_target_value(&ev).into())></textarea>
                </div>
            </Show>
            {move || parsed.get().ok().map(|k| {
                let jwks = serde_json::to_string_pretty(&k.public_jwks()).unwrap_or_default();
                let copy = jwks.clone();
                view! {
                    <figure class="curl jwks">
                        <figcaption><span>"Public JWKS to register for this client"</span>
                            <button type="button" class="small" on:click=move |_| browser::copy_text(&copy)>"Copy"</button></figcaption>
                        <pre tabindex="0" class="wrap"><code>{jwks}</code></pre>
                    </figure>
                }
            })}
        </div>
    }
}

#[component]
fn RelaySettings(flow: FlowSlot) -> impl IntoView {
    let slot = flow;
    let store = expect_context::<Store>();
    let url = Signal::derive(move || store.relay.with(|r| r.url.clone()));
    let key = Signal::derive(move || store.relay.with(|r| r.key.expose().to_string()));
    let commands = Memo::new(move |_| {
        slot.config.with(|c| {
            let env = store.env.get_value();
            protocol::transport::relay_commands(
                &protocol::engine::relay_upstreams(slot.def, c, None),
                &env.origin,
                &store.relay.with(|r| r.url.clone()),
            )
        })
    });
    view! {
        <fieldset class="relay">
            <legend>"Relay (for servers that refuse browser calls)"</legend>
            <p class="help">"Okta accepts only code + PKCE from a browser. The relay runs on your machine and forwards the other requests without the Origin header; assertions are still signed here, and the cURL shown stays the direct request. Tick \u{201c}via the relay\u{201d} for each server that needs it; the command lists them all."</p>
            <p class="help">"From a checkout of this project:"</p>
            <pre tabindex="0" class="wrap"><code>{move || commands.get().checkout}</code></pre>
            <p class="help">"Installed once (cargo install --path crates/relay):"</p>
            <pre tabindex="0" class="wrap"><code>{move || commands.get().installed}</code></pre>
            <TextInput label="Relay URL".into() name="relay-url" id="cfg-relay-url".into() value=url
                on_input=Callback::new(move |v: String| store.relay.update(|r| r.url = v))/>
            <TextInput label="Relay key (printed by the relay at start)".into() name="relay-key" id="cfg-relay-key".into() value=key
                on_input=Callback::new(move |v: String| store.relay.update(|r| r.key = v.into())) look=Look::Secret/>
        </fieldset>
    }
}
