//! The demo tenant's identities, shared by the tenant (which registers them) and the app's
//! demo presets (which fill them in). Everything here is public on purpose and registered
//! nowhere but at the demo tenant.

/// The client app (a public SPA) users sign in to.
pub const APP: &str = "0oa-demo-agentic-app";
/// The AI agent (agent 1 of the agent-to-agent flow).
pub const AGENT: &str = "wlp-demo-ai-agent";
/// The AI agent's private key (JWK, ES256).
pub const AGENT_KEY: &str = include_str!("../../../demo/agent-private-key.DEMO-ONLY.jwk.json");
/// The second AI agent of the agent-to-agent flow (a research agent).
pub const AGENT2: &str = "wlp-demo-research-agent";
/// Its private key (JWK, ES256).
pub const AGENT2_KEY: &str = include_str!("../../../demo/agent2-private-key.DEMO-ONLY.jwk.json");
/// The service that starts the agent-to-agent chain with its own token.
pub const ORCHESTRATOR: &str = "0oa-demo-orchestrator";
/// Its client secret (`client_secret_basic`).
pub const ORCHESTRATOR_SECRET: &str = "demo-orchestrator-secret";
/// The on-behalf-of service app ("API1").
pub const SERVICE: &str = "0oa-demo-service-api1";
/// Its client secret (`client_secret_basic`).
pub const SERVICE_SECRET: &str = "demo-api1-secret";
/// The PingOne AIC autonomous agent.
pub const AUTONOMOUS_AGENT: &str = "bot-traffic-analyzer";
/// Its client secret (`client_secret_post`).
pub const AUTONOMOUS_SECRET: &str = "demo-agent-secret";
/// The PingOne AIC application the autonomous agent gets a token for.
pub const LOG_APP: &str = "access-log-api";
/// Its client secret.
pub const LOG_APP_SECRET: &str = "demo-log-app-secret";
/// The vaulted secret's ORN.
pub const SECRET_ORN: &str = "orn:okta:pam:00o-demo:secrets:3ad38bbd-c057-4a69-9d8d-06b8ca86f411";
/// The service account's ORN.
pub const SERVICE_ACCOUNT_ORN: &str =
    "orn:okta:pam:00o-demo:apps:salesforce:0oa-demo-sf:service_accounts:7c1e0d2a-5b1f-4f5e-9a43-2f6f0c9b8e11";
/// The users' password-less sign-in names, for tests and docs.
pub const ALICE: &str = "alice@example.com";
/// Alice's user ID (`uid`; `sub` of ID tokens).
pub const ALICE_ID: &str = "00u-alice";
/// The audience of the on-behalf-of target API (seed 003).
pub const API2_AUDIENCE: &str = "com.api.atko";
/// The native demo tenant's default URL (`./run` starts it there).
pub const LOCAL_ORG: &str = "http://127.0.0.1:9400";
/// Where the built-in demo (the tenant in a service worker) lives below the page.
pub const BUILT_IN_PATH: &str = "demo-tenant";

/// The org authorization server's issuer at `org`.
pub fn org(org: &str) -> String {
    org.trim().trim_end_matches('/').to_string()
}

/// A custom authorization server's issuer at `org`.
pub fn custom(org_url: &str, id: &str) -> String {
    format!("{}/oauth2/{id}", org(org_url))
}

/// The files API (resource of the `files` server).
pub fn files_api(org_url: &str) -> String {
    format!("{}/api/files", org(org_url))
}

/// Agent 1's resource URL (what a client asks a token for when it invokes agent 1).
pub fn agent1_url(org_url: &str) -> String {
    format!("{}/agents/agent1", org(org_url))
}

/// Agent 2's resource URL.
pub fn agent2_url(org_url: &str) -> String {
    format!("{}/agents/agent2", org(org_url))
}

/// The chat API that agent 2 finally calls (resource of the `agents` server).
pub fn chat_api(org_url: &str) -> String {
    format!("{}/api/chat", org(org_url))
}

/// The PingOne AIC realm `alpha` of the demo tenant.
pub fn realm(org_url: &str) -> String {
    format!("{}/am/oauth2/realms/root/realms/alpha", org(org_url))
}
