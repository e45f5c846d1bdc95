//! The autonomous agent flow (PingOne AIC): its steps and its configuration.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::flows::autonomous::AutonomousConfig;

use super::config_tab::{RelaySettings, RelaySwitch, TextField};
use super::step_card::{Command, RelayHooks, StepCard};
use crate::browser;
use crate::flows::autonomous as run;
use crate::store::Store;

macro_rules! bind {
    ($store:expr, $field:ident) => {
        (
            Signal::derive(move || $store.autonomous.config.with(|c| c.$field.clone())),
            Callback::new(move |v: String| $store.autonomous.edit(|c| c.$field = v)),
        )
    };
}

fn commands(
    store: Store,
    build: impl Fn(&AutonomousConfig, Store) -> Command + Send + Sync + 'static,
) -> Signal<Vec<Command>> {
    Signal::derive(move || vec![build(&store.autonomous.config.get(), store)])
}

/// The four steps.
#[component]
pub fn AutonomousSteps() -> impl IntoView {
    let store = expect_context::<Store>();
    let slot = store.autonomous;
    let relay = RelayHooks {
        command: Signal::derive(move || slot.config.with(|c| c.relay_command(&browser::origin()))),
        enable: Callback::new(move |_| slot.edit(|c| c.relay_realm = true)),
    };
    let (scopes_v, scopes_s) = bind!(store, agent_scopes);
    let (aud_v, aud_s) = bind!(store, audience);
    let (xs_v, xs_s) = bind!(store, exchange_scopes);
    let cmd = |caption: &str, request| Command {
        caption: caption.into(),
        request,
        url_only: false,
    };
    let step1 = commands(store, move |c, _| {
        cmd("Client credentials (client_secret_post):", c.credentials())
    });
    let step2 = commands(store, move |c, s| {
        cmd(
            "Token info:",
            c.info(
                &s.autonomous
                    .value_or("agent_token", "{agent token from step 1}"),
            ),
        )
    });
    let step3 = commands(store, move |c, s| {
        cmd(
            "Token exchange with audience:",
            c.exchange(
                &s.autonomous
                    .value_or("agent_token", "{agent token from step 1}"),
            ),
        )
    });
    let step4 = commands(store, move |c, s| {
        cmd(
            "Token info:",
            c.info(
                &s.autonomous
                    .value_or("exchanged_token", "{exchanged token from step 3}"),
            ),
        )
    });
    let realm = move || {
        slot.config
            .with(|c| format!("/am/oauth2/realms/root/realms/{}/", c.realm))
    };
    view! {
        <section class="phase" aria-labelledby="aphase-1">
            <h2 id="aphase-1">"Phase 1 — Agent Authentication"</h2>
            <p class="phase-desc">"No user is involved: the AI agent authenticates as itself with its client ID and secret and inspects the token it got."</p>
            <StepCard number=1 state=slot.step_state(0) run=slot.runs[0] relay=relay actor="AI Agent"
                title="Obtain the Agent's Access Token (Client Credentials)"
                description="The agent requests a token for itself with the client credentials grant, authenticating with client_secret_post."
                commands=step1 send_label="Get agent token" on_send=Callback::new(move |_| spawn_local(run::credentials(store)))>
                <p class="endpoints"><code>{realm}</code>"access_token · agent "<code>{move || slot.config.with(|c| c.agent_client_id.clone())}</code></p>
                <TextField label="Scope" name="agent-scopes" value=scopes_v on_input=scopes_s/>
            </StepCard>
            <StepCard number=2 state=slot.step_state(1) run=slot.runs[1] relay=relay actor="AI Agent" optional=true
                title="Inspect the Agent's Token (tokeninfo)"
                description="tokeninfo shows the claims: sub and aud are both the agent."
                commands=step2 send_label="Inspect token" on_send=Callback::new(move |_| spawn_local(run::info(store, false)))>
                <p class="endpoints"><code>{realm}</code>"tokeninfo"</p>
            </StepCard>
        </section>
        <section class="phase" aria-labelledby="aphase-2">
            <h2 id="aphase-2">"Phase 2 — Scoped Token for the Application"</h2>
            <p class="phase-desc">"The agent exchanges its own token (RFC 8693) for a narrower token to one application: audience is the application's client ID, and the scopes are limited to what the agent is permitted there."</p>
            <StepCard number=3 state=slot.step_state(2) run=slot.runs[2] relay=relay actor="AI Agent"
                title="Token Exchange - Obtain a Token for the Application"
                description="Token exchange with the agent's token as subject_token, audience = the application's client ID, and narrowed scopes."
                commands=step3 send_label="Exchange token" on_send=Callback::new(move |_| spawn_local(run::exchange(store)))>
                <TextField label="Audience (the application's client ID)" name="autonomous-audience" value=aud_v on_input=aud_s/>
                <TextField label="Scope" name="autonomous-scope" value=xs_v on_input=xs_s/>
            </StepCard>
            <StepCard number=4 state=slot.step_state(3) run=slot.runs[3] relay=relay actor="AI Agent" optional=true
                title="Inspect the Exchanged Token (tokeninfo)"
                description="The exchanged token names the agent as both sub and act: autonomous, unlike on-behalf-of where sub is the user."
                commands=step4 send_label="Inspect token" on_send=Callback::new(move |_| spawn_local(run::info(store, true)))>
                <p class="endpoints"><code>{realm}</code>"tokeninfo"</p>
            </StepCard>
        </section>
    }
}

/// The autonomous flow's configuration.
#[component]
pub fn AutonomousConfigForm() -> impl IntoView {
    let store = expect_context::<Store>();
    let slot = store.autonomous;
    let (t_v, t_s) = bind!(store, tenant_url);
    let (r_v, r_s) = bind!(store, realm);
    let (id_v, id_s) = bind!(store, agent_client_id);
    let (ru_v, ru_s) = bind!(store, relay_url);
    let (rk_v, rk_s) = bind!(store, relay_key);
    view! {
        <form class="config" on:submit=move |ev| ev.prevent_default() aria-label="Configuration">
            <div class="row presets">
                <button type="button" on:click=move |_| slot.config.set(AutonomousConfig::demo(&crate::store::demo_org()))>
                    "PingOne AIC preset (demo tenant realm)"</button>
            </div>
            <fieldset>
                <legend>"PingOne Advanced Identity Cloud"</legend>
                <TextField label="Tenant URL" name="tenant-url" value=t_v on_input=t_s url=true/>
                <TextField label="Realm" name="realm" value=r_v on_input=r_s/>
                <TextField label="AI agent client ID" name="autonomous-agent-id" value=id_v on_input=id_s/>
                <label class="field"><span>"AI agent client secret (client_secret_post)"</span>
                    <input type="password" name="autonomous-agent-secret" autocomplete="off"
                        prop:value=move || slot.config.with(|c| c.agent_secret.clone())
                        on:input=move |ev| slot.edit(|c| c.agent_secret = event_target_value(&ev))/>
                </label>
            </fieldset>
            <RelaySettings command=Signal::derive(move || slot.config.with(|c| c.relay_command(&browser::origin())))
                url=ru_v set_url=ru_s key=rk_v set_key=rk_s
                switches=vec![RelaySwitch { name: "relay-realm", label: "Send the realm's requests via the relay",
                    on: Signal::derive(move || slot.config.with(|c| c.relay_realm)), set: Callback::new(move |v| slot.edit(|c| c.relay_realm = v)) }]/>
            <fieldset>
                <legend>"Storage"</legend>
                <label class="toggle"><input type="checkbox" name="remember" prop:checked=store.remember
                    on:change=move |ev| store.remember.set(event_target_checked(&ev))/>
                    " Remember secrets on this device (localStorage). Off: they stay in memory only."</label>
            </fieldset>
        </form>
    }
}
