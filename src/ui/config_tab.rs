//! The Configuration tab: org, client app, AI agent (key pasted or generated in the browser),
//! target authorization server, API, and the explicit "remember on this device".

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::jwt::Alg;

use crate::browser::{self, crypto};
use crate::store::{demo_config, AgenticSlot, FlowKind, Store};

/// A labelled text input bound to a configuration value; URL fields are validated inline.
#[component]
pub fn TextField(
    label: &'static str,
    name: &'static str,
    value: Signal<String>,
    on_input: Callback<String>,
    #[prop(optional)] url: bool,
) -> impl IntoView {
    let error = move || {
        let v = value.get();
        (url && !v.trim().is_empty())
            .then(|| protocol::request::validate_url(&v).err())
            .flatten()
    };
    view! {
        <label class="field">
            <span>{label}</span>
            <input type="text" name=name spellcheck="false" autocomplete="off" prop:value=value
                aria-invalid=move || if error().is_some() { "true" } else { "false" }
                on:input=move |ev| on_input.run(event_target_value(&ev))/>
            {move || error().map(|e| view! { <span class="field-error" role="alert">{e}</span> })}
        </label>
    }
}

macro_rules! bind {
    ($store:expr, $field:ident) => {
        (
            Signal::derive(move || $store.config.with(|c| c.$field.clone())),
            Callback::new(move |v: String| $store.edit(|c| c.$field = v)),
        )
    };
}

/// The configuration form.
#[component]
pub fn ConfigTab(kind: FlowKind) -> impl IntoView {
    let store = expect_context::<Store>();
    let slot = store.agentic_slot(kind);
    let show_key = RwSignal::new(false);
    let key_error = RwSignal::new(None::<String>);
    let (org_v, org_s) = bind!(slot, org_url);
    let (app_v, app_s) = bind!(slot, app_client_id);
    let (redir_v, redir_s) = bind!(slot, redirect_uri);
    let (scopes_v, scopes_s) = bind!(slot, app_scopes);
    let (agent_v, agent_s) = bind!(slot, agent_client_id);
    let (srv_v, srv_s) = bind!(slot, auth_server_id);
    let (aud_v, aud_s) = bind!(slot, audience);
    let (api_v, api_s) = bind!(slot, api_url);
    let (relay_url_v, relay_url_s) = bind!(slot, relay_url);
    let (relay_key_v, relay_key_s) = bind!(slot, relay_key);

    let parsed = Memo::new(move |_| {
        store
            .agentic
            .config
            .with(|c| protocol::keys::parse_private_key(&c.agent_key))
    });
    let jwks = move || {
        parsed
            .get()
            .ok()
            .map(|k| serde_json::to_string_pretty(&k.public_jwks()).unwrap_or_default())
    };
    let generate = move |alg: Alg| {
        key_error.set(None);
        spawn_local(async move {
            match crypto::generate_key(alg).await {
                Ok(jwk) => slot.edit(|c| c.agent_key = jwk),
                Err(e) => key_error.set(Some(e)),
            }
        });
    };

    view! {
        <form class="config" on:submit=move |ev| ev.prevent_default() aria-label="Configuration">
            <div class="row presets">
                <button type="button" on:click=move |_| {
                    slot.config.set(demo_config(kind));
                    store.scopes.set(None);
                }>"Reset to the demo tenant"</button>
                <button type="button" on:click=move |_| {
                    slot.config.set(protocol::flows::agentic::AgenticConfig::okta(&browser::page_url()));
                    store.scopes.set(None);
                }>"Okta org preset"</button>
                <span class="muted">"The demo tenant runs on your machine (./run); nothing here needs an Okta org."</span>
            </div>

            <fieldset>
                <legend>"Org and client app"</legend>
                <TextField label="Org URL" name="org-url" value=org_v on_input=org_s url=true/>
                <TextField label="Client ID (client app)" name="app-client-id" value=app_v on_input=app_s/>
                <TextField label="Redirect URI (this page; register it in the app)" name="redirect-uri" value=redir_v on_input=redir_s url=true/>
                <TextField label="Scopes" name="app-scopes" value=scopes_v on_input=scopes_s/>
            </fieldset>

            <fieldset>
                <legend>"AI agent"</legend>
                <TextField label="Agent client ID / principal ID" name="agent-client-id" value=agent_v on_input=agent_s/>
                <div class="key-summary" role="status">
                    {move || match parsed.get() {
                        Ok(k) => view! { <span class="ok">{format!("{} private key, kid {}", k.alg.as_str(), k.kid)}</span> }.into_any(),
                        Err(e) => view! { <span class="bad">{e}</span> }.into_any(),
                    }}
                </div>
                <div class="row">
                    <button type="button" on:click=move |_| generate(Alg::ES256)>"Generate ES256 key"</button>
                    <button type="button" on:click=move |_| generate(Alg::RS256)>"Generate RS256 key"</button>
                    <label class="toggle"><input type="checkbox" prop:checked=show_key
                        on:change=move |ev| show_key.set(event_target_checked(&ev))/>" Show / paste private key"</label>
                </div>
                {move || key_error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                <Show when=move || show_key.get()>
                    <label class="field"><span>"Private key (JWK or PEM). It never leaves this page: assertions are signed here."</span>
                        <textarea name="agent-key" rows="6" spellcheck="false" autocomplete="off"
                            prop:value=move || slot.config.with(|c| c.agent_key.clone())
                            on:input=move |ev| slot.edit(|c| c.agent_key = event_target_value(&ev))></textarea>
                    </label>
                </Show>
                {move || jwks().map(|j| {
                    let copy = j.clone();
                    view! {
                        <figure class="curl">
                            <figcaption><span>"Public JWKS to register for the agent"</span>
                                <button type="button" class="small" on:click=move |_| browser::copy_text(&copy)>"Copy"</button></figcaption>
                            <pre tabindex="0"><code>{j}</code></pre>
                        </figure>
                    }
                })}
            </fieldset>

            <fieldset>
                <legend>"Target custom authorization server"</legend>
                <TextField label="Authorization server ID (/oauth2/{id})" name="cfg-auth-server-id" value=srv_v on_input=srv_s/>
                <TextField label="Audience: the server's issuer, exactly" name="cfg-audience" value=aud_v on_input=aud_s url=true/>
                <button type="button" class="small" on:click=move |_| slot.edit(|c| c.audience = c.custom().issuer)>
                    "Set audience from org URL and server ID"</button>
            </fieldset>

            <fieldset>
                <legend>"Resource API"</legend>
                <TextField label="API URL" name="cfg-api-url" value=api_v on_input=api_s url=true/>
            </fieldset>

            <Discovery target=slot/>

            <RelaySettings command=Signal::derive(move || slot.config.with(|c| c.relay_command(&browser::origin())))
                url=relay_url_v set_url=relay_url_s key=relay_key_v set_key=relay_key_s
                switches=vec![
                    RelaySwitch { name: "relay-org", label: "Send the org authorization server's requests (/oauth2/v1/) via the relay",
                        on: Signal::derive(move || slot.config.with(|c| c.relay_org)), set: Callback::new(move |v| slot.edit(|c| c.relay_org = v)) },
                    RelaySwitch { name: "relay-custom", label: "Send the custom authorization server's requests (/oauth2/{id}/) via the relay",
                        on: Signal::derive(move || slot.config.with(|c| c.relay_custom)), set: Callback::new(move |v| slot.edit(|c| c.relay_custom = v)) },
                ]/>

            <fieldset>
                <legend>"Storage"</legend>
                <label class="toggle"><input type="checkbox" name="remember" prop:checked=store.remember
                    on:change=move |ev| store.remember.set(event_target_checked(&ev))/>
                    " Remember the private key and the relay key on this device (localStorage). Off: they stay in memory only."</label>
                <p class="muted">"Tokens are never stored. Configuration without secrets is kept so a reload keeps your settings."</p>
            </fieldset>
        </form>
    }
}

/// Generic preset: endpoints from RFC 8414 / OpenID discovery instead of Okta's paths.
#[component]
fn Discovery(target: AgenticSlot) -> impl IntoView {
    let slot = target;
    let store = expect_context::<Store>();
    let idp = RwSignal::new(String::new());
    let resource = RwSignal::new(String::new());
    let in_use = move |e: Option<protocol::endpoints::Endpoints>, okta: &str| match e {
        Some(e) => format!("discovered: token {} (issuer {})", e.token, e.issuer),
        None => format!("Okta paths: {okta}"),
    };
    view! {
        <fieldset class="discovery">
            <legend>"Any server (RFC 8414 discovery)"</legend>
            <p class="muted">"For a server that is not laid out like Okta: read its metadata and use the endpoints it lists."</p>
            <div class="row">
                <label class="field"><span>"Identity provider issuer"</span>
                    <input type="text" name="discover-idp" spellcheck="false" prop:value=idp on:input=move |ev| idp.set(event_target_value(&ev))/></label>
                <button type="button" class="small" on:click=move |_| spawn_local(crate::flows::agentic::discover(store, slot, false, idp.get_untracked()))>"Discover"</button>
            </div>
            <div class="row">
                <label class="field"><span>"Resource authorization server issuer"</span>
                    <input type="text" name="discover-resource" spellcheck="false" prop:value=resource on:input=move |ev| resource.set(event_target_value(&ev))/></label>
                <button type="button" class="small" on:click=move |_| spawn_local(crate::flows::agentic::discover(store, slot, true, resource.get_untracked()))>"Discover"</button>
            </div>
            {move || store.discovery.get().map(|r| match r {
                Ok(m) => view! { <p class="key-summary" role="status"><span class="ok">{m}</span></p> }.into_any(),
                Err(e) => view! { <p class="field-error" role="alert">{e}</p> }.into_any(),
            })}
            <ul class="in-use">
                <li>"Identity provider: "{move || slot.config.with(|c| in_use(c.idp.clone(), "/oauth2/v1/"))}</li>
                <li>"Resource authorization server: "{move || slot.config.with(|c| in_use(c.resource_as.clone(), "/oauth2/{id}/v1/"))}</li>
            </ul>
            <button type="button" class="small" on:click=move |_| {
                slot.edit(|c| { c.idp = None; c.resource_as = None; });
                store.discovery.set(None);
            }>"Use Okta paths again"</button>
        </fieldset>
    }
}

/// A relay switch: a checkbox name, its label, its value and its setter.
#[derive(Clone)]
pub struct RelaySwitch {
    /// Input name.
    pub name: &'static str,
    /// Label.
    pub label: &'static str,
    /// Whether it is on.
    pub on: Signal<bool>,
    /// Sets it.
    pub set: Callback<bool>,
}

/// The relay settings of a flow: the command to start it, its URL and key, and the switches
/// that send a server's requests through it.
#[component]
pub fn RelaySettings(
    command: Signal<String>,
    url: Signal<String>,
    set_url: Callback<String>,
    key: Signal<String>,
    set_key: Callback<String>,
    switches: Vec<RelaySwitch>,
) -> impl IntoView {
    view! {
        <fieldset class="relay">
            <legend>"Relay (for servers that refuse browser calls)"</legend>
            <p class="muted">"Okta accepts only code + PKCE from a browser. The relay runs on your machine and forwards the other requests without the Origin header; assertions are still signed here, and the cURL shown stays the direct request."</p>
            <pre tabindex="0" class="wrap"><code>{command}</code></pre>
            <TextField label="Relay URL" name="relay-url" value=url on_input=set_url url=true/>
            <TextField label="Relay key (printed by the relay at start)" name="relay-key" value=key on_input=set_key/>
            {switches.into_iter().map(|sw| view! {
                <label class="toggle"><input type="checkbox" name=sw.name prop:checked=sw.on
                    on:change=move |ev| sw.set.run(event_target_checked(&ev))/>{format!(" {}", sw.label)}</label>
            }).collect_view()}
        </fieldset>
    }
}
