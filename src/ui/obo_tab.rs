//! The On-Behalf-Of flow (seed 003): its steps and its configuration.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::flows::obo::OboConfig;

use super::config_tab::{RelaySettings, RelaySwitch, TextField};
use super::step_card::{Command, RelayHooks, StepCard};
use crate::browser;
use crate::flows::obo as run;
use crate::store::{FlowKind, Store};

macro_rules! bind {
    ($store:expr, $field:ident) => {
        (
            Signal::derive(move || $store.obo.config.with(|c| c.$field.clone())),
            Callback::new(move |v: String| $store.obo.edit(|c| c.$field = v)),
        )
    };
}

/// The three steps.
#[component]
pub fn OboSteps() -> impl IntoView {
    let store = expect_context::<Store>();
    let slot = store.obo;
    let relay = RelayHooks {
        command: Signal::derive(move || slot.config.with(|c| c.relay_command(&browser::origin()))),
        enable: Callback::new(move |_| slot.edit(|c| c.relay_servers = true)),
    };
    let (aud_v, aud_s) = bind!(store, audience);
    let (xs_v, xs_s) = bind!(store, exchange_scopes);
    let (api_v, api_s) = bind!(store, api_url);
    let step1 = Signal::derive(move || {
        let s = slot.config.with(|c| c.sign_in());
        vec![
            Command {
                caption: "1. Direct user to authorize endpoint:".into(),
                request: s.authorize("{S256 challenge}", "{random state}", "{random nonce}"),
                url_only: true,
            },
            Command {
                caption: "2. Exchange authorization code for tokens:".into(),
                request: s.code_exchange("{code from the redirect}", "{PKCE code_verifier}"),
                url_only: false,
            },
        ]
    });
    let step2 = Signal::derive(move || {
        let at = slot.value_or(
            "user_access_token",
            "{access token from the Authorization Code with PKCE flow}",
        );
        vec![Command {
            caption: "Token exchange by the service app (API1):".into(),
            request: slot.config.with(|c| c.exchange(&at)),
            url_only: false,
        }]
    });
    let step3 = Signal::derive(move || {
        let at = slot.value_or("obo_token", "{token from step 2}");
        vec![Command {
            caption: "API2 call:".into(),
            request: slot.config.with(|c| c.api(&at)),
            url_only: false,
        }]
    });
    let token_cmd =
        |caption: &'static str, build: fn(&OboConfig, &str) -> protocol::request::HttpRequest| {
            Signal::derive(move || {
                let at = slot.value_or("obo_token", "{token from step 2}");
                vec![Command {
                    caption: caption.into(),
                    request: slot.config.with(|c| build(c, &at)),
                    url_only: false,
                }]
            })
        };
    let step4 = token_cmd("Introspection by the service app:", |c, t| c.introspect(t));
    let step5 = token_cmd("Revocation by the service app:", |c, t| c.revoke(t));
    let step6 = token_cmd("Introspection again:", |c, t| c.introspect(t));
    let step7 = token_cmd("The same API2 call:", |c, t| c.api(t));
    view! {
        <section class="phase" aria-labelledby="ophase-1">
            <h2 id="ophase-1">"Phase 1 — User Authentication"</h2>
            <p class="phase-desc">"The user signs in to the client app at a custom authorization server; its access token is meant for API1."</p>
            <StepCard number=1 state=slot.step_state(0) run=slot.runs[0] relay=relay actor="CLIENT APP"
                title="Obtain the User's Access Token (Authorization Code + PKCE)"
                description="The client app signs the user in and receives an access token for API1 (audience api://default)."
                commands=step1 send_label="Sign in (redirect)"
                on_send=Callback::new(move |_| spawn_local(crate::flows::signin::start(store, FlowKind::Obo)))>
                <p class="endpoints"><code>"/oauth2/"{move || slot.config.with(|c| c.sign_in_server.clone())}"/v1/"</code>" authorize + token · scopes "
                    <code>{move || slot.config.with(|c| c.app_scopes.clone())}</code></p>
            </StepCard>
        </section>
        <section class="phase" aria-labelledby="ophase-2">
            <h2 id="ophase-2">"Phase 2 — On-Behalf-Of Exchange"</h2>
            <p class="phase-desc">"API1 (a service app) exchanges the user's token for a token to API2, authenticating with its client ID and secret (client_secret_basic). The user stays the subject."</p>
            <StepCard number=2 state=slot.step_state(1) run=slot.runs[1] relay=relay actor="SERVICE APP"
                title="Token Exchange - Obtain a Token for API2"
                description="RFC 8693 with subject_token = the user's access token, audience = API2's audience, and the scopes API2 needs."
                commands=step2 send_label="Exchange token"
                on_send=Callback::new(move |_| spawn_local(run::exchange(store)))>
                <label class="field">"Exchanging authorization server"
                    <select name="exchange-server" on:change=move |ev| { let v = event_target_value(&ev); slot.edit(|c| c.exchange_server = v); }>
                        <option value="default" selected=move || slot.config.with(|c| c.exchange_server == "default")>"default (the same server)"</option>
                        <option value="aus-trusted-api2" selected=move || slot.config.with(|c| c.exchange_server == "aus-trusted-api2")>"aus-trusted-api2 (a trusted server)"</option>
                    </select>
                </label>
                <TextField label="Audience" name="obo-audience" value=aud_v on_input=aud_s/>
                <TextField label="Scope" name="obo-scope" value=xs_v on_input=xs_s/>
            </StepCard>
        </section>
        <section class="phase" aria-labelledby="ophase-3">
            <h2 id="ophase-3">"Phase 3 — Use the Token"</h2>
            <StepCard number=3 state=slot.step_state(2) run=slot.runs[2] relay=relay actor="SERVICE APP" optional=true
                title="Call API2"
                description="API2 accepts the new token and sees the user as the subject."
                commands=step3 send_label="Call API2"
                on_send=Callback::new(move |_| spawn_local(run::call_api(store)))>
                <TextField label="API2 URL" name="obo-api-url" value=api_v on_input=api_s url=true/>
            </StepCard>
        </section>
        <section class="phase" aria-labelledby="ophase-4">
            <h2 id="ophase-4">"Phase 4 — Inspect and Revoke"</h2>
            <p class="phase-desc">"The service app introspects (RFC 7662) and revokes (RFC 7009) the token it obtained; API2 then refuses it."</p>
            <StepCard number=4 state=slot.step_state(3) run=slot.runs[3] relay=relay actor="SERVICE APP" optional=true
                title="Introspect the Token" description="Is the token active, and for whom?"
                commands=step4 send_label="Introspect" on_send=Callback::new(move |_| spawn_local(run::introspect(store, false)))>
                <p class="endpoints"><code>"/oauth2/"{move || slot.config.with(|c| c.exchange_server.clone())}"/v1/introspect"</code></p>
            </StepCard>
            <StepCard number=5 state=slot.step_state(4) run=slot.runs[4] relay=relay actor="SERVICE APP" optional=true
                title="Revoke the Token" description="The server answers 200 whether or not it knew the token."
                commands=step5 send_label="Revoke" on_send=Callback::new(move |_| spawn_local(run::revoke(store)))>
                <p class="endpoints"><code>"/oauth2/"{move || slot.config.with(|c| c.exchange_server.clone())}"/v1/revoke"</code></p>
            </StepCard>
            <StepCard number=6 state=slot.step_state(5) run=slot.runs[5] relay=relay actor="SERVICE APP" optional=true
                title="Introspect Again" description="The revoked token is reported inactive."
                commands=step6 send_label="Introspect" on_send=Callback::new(move |_| spawn_local(run::introspect(store, true)))>
                <p class="endpoints"><code>"/oauth2/"{move || slot.config.with(|c| c.exchange_server.clone())}"/v1/introspect"</code></p>
            </StepCard>
            <StepCard number=7 state=slot.step_state(6) run=slot.runs[6] relay=relay actor="SERVICE APP" optional=true
                title="Call API2 with the Revoked Token" description="API2 must refuse it (HTTP 401 invalid_token)."
                commands=step7 send_label="Call API2" on_send=Callback::new(move |_| spawn_local(run::call_api_after_revoke(store)))>
                <p class="muted">"Same request as step 3."</p>
            </StepCard>
        </section>
    }
}

/// The On-Behalf-Of flow's configuration.
#[component]
pub fn OboConfigForm() -> impl IntoView {
    let store = expect_context::<Store>();
    let slot = store.obo;
    let (org_v, org_s) = bind!(store, org_url);
    let (app_v, app_s) = bind!(store, app_client_id);
    let (redir_v, redir_s) = bind!(store, redirect_uri);
    let (scopes_v, scopes_s) = bind!(store, app_scopes);
    let (srv_v, srv_s) = bind!(store, sign_in_server);
    let (svc_v, svc_s) = bind!(store, service_client_id);
    let (ru_v, ru_s) = bind!(store, relay_url);
    let (rk_v, rk_s) = bind!(store, relay_key);
    view! {
        <form class="config" on:submit=move |ev| ev.prevent_default() aria-label="Configuration">
            <div class="row presets">
                <button type="button" on:click=move |_| slot.config.set(OboConfig::demo(&crate::store::demo_org(), &browser::page_url()))>
                    "Reset to the demo tenant"</button>
            </div>
            <fieldset>
                <legend>"Org and client app"</legend>
                <TextField label="Org URL" name="obo-org-url" value=org_v on_input=org_s url=true/>
                <TextField label="Client ID (client app)" name="obo-app-client-id" value=app_v on_input=app_s/>
                <TextField label="Redirect URI" name="obo-redirect-uri" value=redir_v on_input=redir_s url=true/>
                <TextField label="Scopes" name="obo-app-scopes" value=scopes_v on_input=scopes_s/>
                <TextField label="Sign-in custom authorization server ID" name="obo-sign-in-server" value=srv_v on_input=srv_s/>
            </fieldset>
            <fieldset>
                <legend>"Service app (API1)"</legend>
                <TextField label="Client ID" name="obo-service-id" value=svc_v on_input=svc_s/>
                <label class="field"><span>"Client secret (client_secret_basic)"</span>
                    <input type="password" name="obo-service-secret" autocomplete="off"
                        prop:value=move || slot.config.with(|c| c.service_secret.clone())
                        on:input=move |ev| slot.edit(|c| c.service_secret = event_target_value(&ev))/>
                </label>
            </fieldset>
            <RelaySettings command=Signal::derive(move || slot.config.with(|c| c.relay_command(&browser::origin())))
                url=ru_v set_url=ru_s key=rk_v set_key=rk_s
                switches=vec![RelaySwitch { name: "relay-servers", label: "Send the authorization servers' requests via the relay",
                    on: Signal::derive(move || slot.config.with(|c| c.relay_servers)), set: Callback::new(move |v| slot.edit(|c| c.relay_servers = v)) }]/>
        </form>
    }
}
