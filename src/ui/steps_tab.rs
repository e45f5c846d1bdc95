//! The Flow Steps tab: three phases, four step cards, as on the source page.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::flows::agentic::{ResourceType, Subject, DEMO_SECRET_ORN, DEMO_SERVICE_ACCOUNT_ORN};

use super::config_tab::TextField;
use super::step_card::{Command, RelayHooks, StepCard};
use crate::flows::agentic as run;
use crate::store::{AgenticSlot, FlowKind, Store};

/// Binds a configuration field to a text input.
macro_rules! field {
    ($store:expr, $field:ident) => {
        (
            Signal::derive(move || $store.config.with(|c| c.$field.clone())),
            Callback::new(move |v: String| $store.edit(|c| c.$field = v)),
        )
    };
}

/// The phases and step cards.
#[component]
pub fn StepsTab(kind: FlowKind) -> impl IntoView {
    let store = expect_context::<Store>();
    let slot = store.agentic_slot(kind);
    let paste = RwSignal::new(false);
    let pasted_id = RwSignal::new(String::new());
    let pasted_at = RwSignal::new(String::new());

    let step1 = Signal::derive(move || {
        let c = slot.config.get();
        vec![
            Command {
                caption: "1. Direct user to authorize endpoint for standard OAuth flow:".into(),
                request: c.authorize(
                    "{S256 challenge of a fresh verifier}",
                    "{random state}",
                    "{random nonce}",
                ),
                url_only: true,
            },
            Command {
                caption: "2. Exchange authorization code for tokens:".into(),
                request: c.code_exchange("{code from the redirect}", "{PKCE code_verifier}"),
                url_only: false,
            },
        ]
    });
    let step2 = Signal::derive(move || {
        let c = slot.config.get();
        let subject = store
            .agentic
            .value_or(c.subject_key(), "{the user's token from step 1}");
        vec![Command {
            caption: "Token exchange at the org authorization server:".into(),
            request: c.exchange(
                &subject,
                "{client assertion, signed in your browser when you press Send}",
            ),
            url_only: false,
        }]
    });
    let step3 = Signal::derive(move || {
        let c = slot.config.get();
        let jag = slot.value_or("id_jag", "{ID-JAG from step 2}");
        vec![Command {
            caption: "JWT bearer grant at the custom authorization server:".into(),
            request: c.bearer(&jag, "{fresh client assertion, signed at send time}"),
            url_only: false,
        }]
    });
    let step4 = Signal::derive(move || {
        let c = slot.config.get();
        let at = store
            .agentic
            .value_or("agent_access_token", "{access token from step 3}");
        vec![Command {
            caption: "API call with the agent's access token:".into(),
            request: c.api(&at),
            url_only: false,
        }]
    });

    let relay = RelayHooks {
        command: Signal::derive(move || {
            store
                .agentic
                .config
                .with(|c| c.relay_command(&crate::browser::origin()))
        }),
        enable: Callback::new(move |_| {
            slot.edit(|c| {
                c.relay_org = true;
                c.relay_custom = true;
            })
        }),
    };
    let token_cmd = |caption: &'static str,
                     build: fn(
        &protocol::flows::agentic::AgenticConfig,
        &str,
        &str,
    ) -> protocol::request::HttpRequest| {
        Signal::derive(move || {
            let c = slot.config.get();
            let at = store
                .agentic
                .value_or("agent_access_token", "{access token from step 3}");
            vec![Command {
                caption: caption.into(),
                request: build(&c, &at, "{client assertion, signed at send time}"),
                url_only: false,
            }]
        })
    };
    let step5 = token_cmd(
        "Introspection at the custom authorization server:",
        |c, t, a| c.introspect(t, a),
    );
    let step6 = token_cmd(
        "Revocation at the custom authorization server:",
        |c, t, a| c.revoke(t, a),
    );
    let step7 = token_cmd("Introspection again:", |c, t, a| c.introspect(t, a));
    let step8 = token_cmd("The same API call:", |c, t, _| c.api(t));
    let (aud_get, aud_set) = field!(slot, audience);
    let (orn_get, orn_set) = field!(slot, orn);
    let (scope_get, scope_set) = field!(slot, exchange_scopes);
    let (res_get, res_set) = field!(slot, resource);
    let (srv_get, srv_set) = field!(slot, auth_server_id);
    let (api_get, api_set) = field!(slot, api_url);

    view! {
        <section class="phase" aria-labelledby="phase-1">
            <h2 id="phase-1">"Phase 1 — User Authentication"</h2>
            <p class="phase-desc">"The user authenticates with Okta via the origin application. This produces an access token and/or ID token that represents the user's identity."</p>
            <StepCard number=1 state=slot.step_state(0) run=slot.runs[0] relay=relay actor="CLIENT APP" title="Obtain Access Token - User Authentication (SSO)"
                description="Using the OIDC standard authentication flow, redirect the user to Okta for authentication. The Agentic App exchanges the authorization code for an access token that will be used as the subject_token in token exchange."
                commands=step1 send_label="Sign in (redirect)"
                on_send=Callback::new(move |_| spawn_local(crate::flows::signin::start(store, kind)))>
                <p class="endpoints"><code>{move || slot.config.with(|c| c.endpoint_label(false, "authorize"))}</code>" · "<code>{move || slot.config.with(|c| c.endpoint_label(false, "token"))}</code>
                    " · client "<code>{move || slot.config.with(|c| c.app_client_id.clone())}</code>
                    " · scopes "<code>{move || slot.config.with(|c| c.app_scopes.clone())}</code></p>
                <p class="muted">"PKCE (S256), state and nonce are made with WebCrypto in this page when you sign in; state and nonce are checked on return."</p>
                <Show when=move || kind == FlowKind::AgentToAgent>
                    <p class="muted">"Agent-to-agent: the subject can be the user's ID token (sign in, subject = ID token in step 2) or the agent's own token for the agent it invokes:"</p>
                    <button type="button" class="small" name="agent-credentials"
                        on:click=move |_| spawn_local(run::agent_credentials(slot))>
                        "Use the agent's own token (client credentials, resource = "{move || slot.config.with(|c| c.a2a_resource.clone())}")"</button>
                </Show>
                <button type="button" class="small" aria-expanded=move || if paste.get() { "true" } else { "false" }
                    on:click=move |_| paste.update(|p| *p = !*p)>"Use Existing"</button>
                <Show when=move || paste.get()>
                    <div class="paste">
                        <label>"ID token"<textarea rows="3" spellcheck="false" prop:value=pasted_id
                            on:input=move |ev| pasted_id.set(event_target_value(&ev))></textarea></label>
                        <label>"Access token"<textarea rows="3" spellcheck="false" prop:value=pasted_at
                            on:input=move |ev| pasted_at.set(event_target_value(&ev))></textarea></label>
                        <button type="button" on:click=move |_| run::use_existing(slot, &pasted_id.get_untracked(), &pasted_at.get_untracked())>
                            "Use these tokens"</button>
                    </div>
                </Show>
            </StepCard>
        </section>

        <section class="phase" aria-labelledby="phase-2">
            <h2 id="phase-2">"Phase 2 — Agent Token Acquisition"</h2>
            <p class="phase-desc">"The origin application sends the user's token to the AI Agent via a secure channel. The agent uses this token to obtain delegated authorization — first exchanging it for an ID-JAG token, then exchanging the ID-JAG for an access token from the custom authorization server."</p>
            <StepCard number=2 state=slot.step_state(1) run=slot.runs[1] relay=relay actor="AI Agent" title="Token Exchange - Obtain ID-JAG Token"
                description="The AI Agent exchanges the user's token for an ID-JAG (Identity Assertion) token via Token Exchange (RFC 8693). Uses a JWT client assertion signed with the Agent's private key for authentication."
                commands=step2 send_label="Exchange for ID-JAG"
                on_send=Callback::new(move |_| spawn_local(run::exchange(slot)))>
                <p class="endpoints"><code>{move || slot.config.with(|c| c.endpoint_label(false, "token"))}</code>" · audience "<code>{move || slot.config.with(|c| c.audience.clone())}</code>
                    " · agent "<code>{move || slot.config.with(|c| c.agent_client_id.clone())}</code></p>
                <label class="field">"Subject token"
                    <select on:change=move |ev| {
                        let v = event_target_value(&ev);
                        slot.edit(|c| c.subject = if v == "access" { Subject::AccessToken } else { Subject::IdToken });
                    }>
                        <option value="id" selected=move || slot.config.with(|c| c.subject == Subject::IdToken)>"ID token (urn:…:id_token)"</option>
                        <option value="access" selected=move || slot.config.with(|c| c.subject == Subject::AccessToken)>"Access token (urn:…:access_token)"</option>
                    </select>
                </label>
                <label class="field">"Resource type"
                    <select name="resource-type" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        slot.edit(|c| {
                            c.resource_type = match v.as_str() {
                                "secret" => ResourceType::Secret,
                                "service-account" => ResourceType::ServiceAccount,
                                _ => ResourceType::AuthorizationServer,
                            };
                            // On the demo tenant, offer its resource of that type.
                            if c.org_url == crate::store::demo_org() {
                                c.orn = match c.resource_type {
                                    ResourceType::Secret => DEMO_SECRET_ORN.into(),
                                    ResourceType::ServiceAccount => DEMO_SERVICE_ACCOUNT_ORN.into(),
                                    ResourceType::AuthorizationServer => String::new(),
                                };
                            }
                        });
                    }>
                        <option value="as" selected=move || slot.config.with(|c| c.resource_type == ResourceType::AuthorizationServer)>"Authorization server (ID-JAG)"</option>
                        <option value="secret" selected=move || slot.config.with(|c| c.resource_type == ResourceType::Secret)>"Secret (vaulted secret)"</option>
                        <option value="service-account" selected=move || slot.config.with(|c| c.resource_type == ResourceType::ServiceAccount)>"Service account"</option>
                    </select>
                </label>
                <Show when=move || slot.config.with(|c| c.resource_type != ResourceType::AuthorizationServer)>
                    <TextField label="Resource ORN (orn:okta:pam:…)" name="orn" value=orn_get on_input=orn_set/>
                    <p class="muted">"A secret or service account is named by its ORN alone: no audience, no scope. Steps 3 and 4 apply to the ID-JAG type only."</p>
                </Show>
                <Show when=move || slot.config.with(|c| c.resource_type == ResourceType::AuthorizationServer)>
                <TextField label="Audience (target authorization server issuer)" name="audience" value=aud_get on_input=aud_set/>
                <div class="row">
                    <TextField label="Scope" name="exchange-scope" value=scope_get on_input=scope_set/>
                    <button type="button" class="small" on:click=move |_| spawn_local(run::load_scopes(store, slot))
                        disabled=move || slot.config.with(|c| c.audience.trim().is_empty())>"Load scopes"</button>
                </div>
                <Show when=move || slot.config.with(|c| c.audience.trim().is_empty())>
                    <p class="muted">"Configure Audience (Target Auth Server) to load scopes"</p>
                </Show>
                <ScopePicker target=slot/>
                <TextField label="Resource (optional, RFC 8707)" name="resource" value=res_get on_input=res_set/>
                </Show>
            </StepCard>
            <StepCard number=3 state=slot.step_state(2) run=slot.runs[2] relay=relay actor="AI Agent" title="JWT Bearer Grant - Obtain Access Token"
                description="The AI Agent exchanges the ID-JAG token for an access token from the Custom Authorization Server using the JWT Bearer grant (RFC 7523). Uses the same JWT client assertion for authentication."
                commands=step3 send_label="Redeem ID-JAG"
                on_send=Callback::new(move |_| spawn_local(run::bearer(slot)))>
                <p class="endpoints"><code>{move || slot.config.with(|c| c.endpoint_label(true, "token"))}</code></p>
                <TextField label="Custom authorization server ID" name="auth-server-id" value=srv_get on_input=srv_set/>
                <p class="muted">"A fresh client assertion is signed for this endpoint: its aud must be this token endpoint, not the org's."</p>
            </StepCard>
        </section>

        <section class="phase" aria-labelledby="phase-3">
            <h2 id="phase-3">"Phase 3 — Use the Token"</h2>
            <p class="phase-desc">"The AI Agent now has a scoped access token and can make API calls on behalf of the user."</p>
            <StepCard number=4 state=slot.step_state(3) run=slot.runs[3] relay=relay actor="AI Agent" optional=true title="Test Token with API"
                description="Test the access token by making an authenticated API request to a resource server."
                commands=step4 send_label="Call API"
                on_send=Callback::new(move |_| spawn_local(run::call_api(slot)))>
                <TextField label="API URL" name="api-url" value=api_get on_input=api_set/>
            </StepCard>
        </section>

        <section class="phase" aria-labelledby="phase-4">
            <h2 id="phase-4">"Phase 4 — Inspect and Revoke"</h2>
            <p class="phase-desc">"Introspection (RFC 7662) asks the authorization server whether a token is active; revocation (RFC 7009) ends it early. After revocation, introspection says inactive and the API must refuse the token."</p>
            <StepCard number=5 state=slot.step_state(4) run=slot.runs[4] relay=relay actor="AI Agent" optional=true
                title="Introspect the Access Token"
                description="The agent asks the custom authorization server about its access token (authenticated with a client assertion)."
                commands=step5 send_label="Introspect"
                on_send=Callback::new(move |_| spawn_local(run::introspect(slot, false)))>
                <p class="endpoints"><code>{move || slot.config.with(|c| c.endpoint_label(true, "introspect"))}</code></p>
            </StepCard>
            <StepCard number=6 state=slot.step_state(5) run=slot.runs[5] relay=relay actor="AI Agent" optional=true
                title="Revoke the Access Token"
                description="The agent revokes its access token; the server answers 200 whether or not it knew the token."
                commands=step6 send_label="Revoke"
                on_send=Callback::new(move |_| spawn_local(run::revoke(slot)))>
                <p class="endpoints"><code>{move || slot.config.with(|c| c.endpoint_label(true, "revoke"))}</code></p>
            </StepCard>
            <StepCard number=7 state=slot.step_state(6) run=slot.runs[6] relay=relay actor="AI Agent" optional=true
                title="Introspect Again"
                description="The revoked token is now reported inactive, with no other claim."
                commands=step7 send_label="Introspect"
                on_send=Callback::new(move |_| spawn_local(run::introspect(slot, true)))>
                <p class="endpoints"><code>{move || slot.config.with(|c| c.endpoint_label(true, "introspect"))}</code></p>
            </StepCard>
            <StepCard number=8 state=slot.step_state(7) run=slot.runs[7] relay=relay actor="AI Agent" optional=true
                title="Call the API with the Revoked Token"
                description="The resource server must refuse a revoked token (HTTP 401 invalid_token)."
                commands=step8 send_label="Call API"
                on_send=Callback::new(move |_| spawn_local(run::call_api_after_revoke(slot)))>
                <p class="muted">"Same request as step 4."</p>
            </StepCard>
        </section>
    }
}

/// Scopes from the target server's metadata, to add to or remove from the request.
#[component]
fn ScopePicker(target: AgenticSlot) -> impl IntoView {
    let slot = target;
    let store = expect_context::<Store>();
    move || {
        match store.scopes.get() {
        None => ().into_any(),
        Some(Err(e)) => view! { <p class="outcome bad" role="alert">"Could not load scopes: "{e}</p> }.into_any(),
        Some(Ok(scopes)) if scopes.is_empty() => view! { <p class="muted">"The server lists no scopes_supported."</p> }.into_any(),
        Some(Ok(scopes)) => view! {
            <fieldset class="scopes"><legend>"scopes_supported"</legend>
                {scopes.into_iter().map(|s| {
                    let s2 = s.clone();
                    let checked = move || slot.config.with(|c| protocol::scope::split(&c.exchange_scopes).contains(&s2));
                    let s3 = s.clone();
                    view! {
                        <label class="chip"><input type="checkbox" prop:checked=checked on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            slot.edit(|c| {
                                let mut list = protocol::scope::split(&c.exchange_scopes);
                                list.retain(|x| x != &s3);
                                if on { list.push(s3.clone()); }
                                c.exchange_scopes = list.join(" ");
                            });
                        }/>{s.clone()}</label>
                    }
                }).collect_view()}
            </fieldset>
        }.into_any(),
    }
    }
}
