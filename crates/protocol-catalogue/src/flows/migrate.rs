//! Settings saved by the first version (one struct per flow, under `atp.agentic.v2`,
//! `atp.a2a.v1`, `atp.obo.v1`, `atp.autonomous.v1`) read into today's configuration model,
//! over the flow's preset. What has no place in the new model is named, so the user is told
//! exactly what was dropped.

use serde_json::{Map, Value};

use crate::flows::{agent_to_agent as a2a, agentic, autonomous, obo, signin};
use protocol_engine::flow::config::{FlowConfig, Layout, Server};
use protocol_engine::flow::{Field, Registration, ServerRole};
use protocol_wire::secret::Secret;

/// A storage key of the first version and the flow it belonged to.
pub const OLD_KEYS: [(&str, &str); 4] = [
    ("atp.agentic.v2", "agentic"),
    ("atp.a2a.v1", "agent-to-agent"),
    ("atp.obo.v1", "obo"),
    ("atp.autonomous.v1", "autonomous"),
];

/// Old settings read into the new model.
#[derive(Debug)]
pub struct Migrated {
    /// The configuration: the preset, with every old value that has a place in it.
    pub config: FlowConfig,
    /// The relay's URL and key, kept page-wide now.
    pub relay_url: Option<String>,
    /// The relay key (a secret; present only if it had been remembered).
    pub relay_key: Option<Secret>,
    /// Old settings with no place in the new model (their names, as the old form showed them).
    pub dropped: Vec<String>,
}

/// Where an old field goes.
enum To {
    Issuer(&'static ServerRole, Layout),
    /// `{org}/oauth2/{id}`, for the Okta custom server ID fields.
    CustomServer(&'static ServerRole),
    /// `{org}/am/oauth2/realms/root/realms/{realm}` (PingOne AIC).
    Realm(&'static ServerRole),
    Relay(&'static [&'static ServerRole]),
    ClientId(&'static [&'static Registration]),
    Secret(&'static [&'static Registration]),
    Key(&'static [&'static Registration]),
    Param(&'static Field),
    /// The old resource type and ORN, which now has one field per type.
    Orn,
    RelayUrl,
    RelayKey,
}

/// The old fields of a flow, with where each one goes; `None`: nothing to go to.
fn table(flow: &str) -> &'static [(&'static str, Option<To>)] {
    use To::*;
    match flow {
        "agentic" => &[
            ("org_url", Some(Issuer(&agentic::IDP, Layout::OktaOrg))),
            ("app_client_id", Some(ClientId(&[&agentic::APP]))),
            ("redirect_uri", Some(Param(&signin::REDIRECT_URI))),
            ("app_scopes", Some(Param(&signin::SCOPES))),
            (
                "agent_client_id",
                Some(ClientId(&[&agentic::AGENT_AT_IDP, &agentic::AGENT_AT_AS])),
            ),
            (
                "agent_key",
                Some(Key(&[&agentic::AGENT_AT_IDP, &agentic::AGENT_AT_AS])),
            ),
            ("auth_server_id", Some(CustomServer(&agentic::RESOURCE_AS))),
            ("audience", Some(Param(&agentic::AUDIENCE))),
            ("exchange_scopes", Some(Param(&agentic::EXCHANGE_SCOPE))),
            ("resource", Some(Param(&agentic::EXCHANGE_RESOURCE))),
            ("subject", Some(Param(&agentic::SUBJECT))),
            ("api_url", Some(Issuer(&agentic::API, Layout::Discovery))),
            ("relay_url", Some(RelayUrl)),
            ("relay_key", Some(RelayKey)),
            ("relay_org", Some(Relay(&[&agentic::IDP]))),
            ("relay_custom", Some(Relay(&[&agentic::RESOURCE_AS]))),
            ("idp", None),
            ("resource_as", None),
            ("resource_type", Some(Param(&agentic::RESOURCE_TYPE))),
            ("orn", Some(Orn)),
            ("a2a_resource", None),
        ],
        "agent-to-agent" => &[
            (
                "org_url",
                Some(Issuer(&a2a::RESOURCE_AS, Layout::OktaCustom)),
            ),
            (
                "agent_client_id",
                Some(ClientId(&[&a2a::AGENT1_AT_IDP, &a2a::AGENT1_AT_AS])),
            ),
            (
                "agent_key",
                Some(Key(&[&a2a::AGENT1_AT_IDP, &a2a::AGENT1_AT_AS])),
            ),
            ("relay_url", Some(RelayUrl)),
            ("relay_key", Some(RelayKey)),
            (
                "relay_org",
                Some(Relay(&[&a2a::RESOURCE_AS, &a2a::AGENT2_RESOURCE])),
            ),
            (
                "relay_custom",
                Some(Relay(&[&a2a::RESOURCE_AS, &a2a::AGENT2_RESOURCE])),
            ),
        ],
        "obo" => &[
            ("org_url", None),
            ("app_client_id", Some(ClientId(&[&obo::APP]))),
            ("redirect_uri", Some(Param(&signin::REDIRECT_URI))),
            ("app_scopes", Some(Param(&signin::SCOPES))),
            ("sign_in_server", Some(CustomServer(&obo::SIGNIN_AS))),
            ("service_client_id", Some(ClientId(&[&obo::SERVICE]))),
            ("service_secret", Some(Secret(&[&obo::SERVICE]))),
            ("exchange_server", Some(CustomServer(&obo::EXCHANGE_AS))),
            ("audience", Some(Param(&obo::AUDIENCE))),
            ("exchange_scopes", Some(Param(&obo::EXCHANGE_SCOPE))),
            ("api_url", Some(Issuer(&obo::API, Layout::Discovery))),
            ("relay_url", Some(RelayUrl)),
            ("relay_key", Some(RelayKey)),
            (
                "relay_servers",
                Some(Relay(&[&obo::SIGNIN_AS, &obo::EXCHANGE_AS])),
            ),
        ],
        "autonomous" => &[
            ("tenant_url", None),
            ("realm", Some(Realm(&autonomous::REALM))),
            ("agent_client_id", Some(ClientId(&[&autonomous::AGENT]))),
            ("agent_secret", Some(Secret(&[&autonomous::AGENT]))),
            ("agent_scopes", Some(Param(&autonomous::AGENT_SCOPES))),
            ("audience", Some(Param(&autonomous::AUDIENCE))),
            ("exchange_scopes", Some(Param(&autonomous::EXCHANGE_SCOPE))),
            ("relay_url", Some(RelayUrl)),
            ("relay_key", Some(RelayKey)),
            ("relay_realm", Some(Relay(&[&autonomous::REALM]))),
        ],
        _ => &[],
    }
}

/// The org (or tenant) URL an old configuration was relative to.
fn base_url(old: &Map<String, Value>) -> String {
    ["org_url", "tenant_url"]
        .iter()
        .find_map(|k| old.get(*k).and_then(Value::as_str))
        .unwrap_or_default()
        .trim()
        .trim_end_matches('/')
        .to_string()
}

/// An old enum value in today's spelling (`IdToken` -> `id_token`).
fn snake(v: &str) -> String {
    let mut out = String::new();
    for (i, c) in v.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    match out.as_str() {
        "authorization_server" => "id_jag".into(),
        _ => out,
    }
}

fn label(field: &str) -> String {
    field.replace('_', " ")
}

/// Why the first version's settings cannot be carried over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable(pub String);

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the saved settings are not readable JSON ({})", self.0)
    }
}

/// Reads the old settings of `flow` (JSON) over `preset`.
pub fn migrate(flow: &str, json: &str, preset: FlowConfig) -> Result<Migrated, Unreadable> {
    let old: Map<String, Value> =
        serde_json::from_str(json).map_err(|e| Unreadable(e.to_string()))?;
    let org = base_url(&old);
    let mut out = Migrated {
        config: preset,
        relay_url: None,
        relay_key: None,
        dropped: Vec::new(),
    };
    let fields = table(flow);
    let c = &mut out.config;
    for (name, value) in &old {
        let empty = match value {
            Value::Null => true,
            Value::String(s) => s.trim().is_empty(),
            Value::Bool(b) => !b,
            _ => false,
        };
        let text = value.as_str().map(str::trim).unwrap_or_default();
        let Some((_, to)) = fields.iter().find(|(n, _)| n == name) else {
            if !empty {
                out.dropped.push(label(name));
            }
            continue;
        };
        match to {
            None => {
                // The org URL is folded into the server URLs; discovered endpoints are read
                // again by Discover.
                if !empty && !matches!(name.as_str(), "org_url" | "tenant_url") {
                    out.dropped.push(label(name));
                }
            }
            Some(_) if empty => {}
            Some(To::Issuer(role, layout)) => {
                *c.server_mut(role) = Server {
                    relay: c.server(role).relay,
                    ..Server::new(text, *layout)
                }
            }
            Some(To::CustomServer(role)) => {
                let issuer = format!("{org}/oauth2/{text}");
                *c.server_mut(role) = Server {
                    relay: c.server(role).relay,
                    ..Server::new(&issuer, Layout::OktaCustom)
                };
            }
            Some(To::Realm(role)) => {
                let issuer = format!("{org}/am/oauth2/realms/root/realms/{text}");
                *c.server_mut(role) = Server {
                    relay: c.server(role).relay,
                    ..Server::new(&issuer, Layout::PingOneRealm)
                };
            }
            Some(To::Relay(roles)) => {
                for r in *roles {
                    c.server_mut(r).relay = value.as_bool().unwrap_or(false);
                }
            }
            Some(To::ClientId(regs)) => {
                for r in *regs {
                    c.client_mut(r).id = text.into();
                }
            }
            Some(To::Secret(regs)) => {
                for r in *regs {
                    c.client_mut(r).secret = Secret::new(text);
                }
            }
            Some(To::Key(regs)) => {
                for r in *regs {
                    c.client_mut(r).key = Secret::new(text);
                }
            }
            Some(To::Param(field)) => {
                let v = if field.key == agentic::SUBJECT.key
                    || field.key == agentic::RESOURCE_TYPE.key
                {
                    snake(text)
                } else {
                    text.to_string()
                };
                c.set_param(field, v);
            }
            Some(To::Orn) => {
                let secret = old
                    .get("resource_type")
                    .and_then(Value::as_str)
                    .is_some_and(|t| snake(t) == "secret");
                c.set_param(
                    if secret {
                        &agentic::SECRET_ORN
                    } else {
                        &agentic::ACCOUNT_ORN
                    },
                    text,
                );
            }
            Some(To::RelayUrl) => out.relay_url = Some(text.into()),
            Some(To::RelayKey) => out.relay_key = Some(Secret::new(text)),
        }
    }
    // The org URL of the agent-to-agent flow named its custom server's host only.
    if flow == "agent-to-agent" && !org.is_empty() {
        for role in [&a2a::RESOURCE_AS, &a2a::AGENT2_RESOURCE] {
            let path = c
                .server(role)
                .issuer()
                .split_once("/oauth2/")
                .map(|(_, p)| p.to_string());
            if let Some(p) = path {
                c.server_mut(role).issuer = format!("{org}/oauth2/{p}");
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flows;
    use protocol_engine::flow::{PresetEnv, PresetKind};

    fn preset(flow: &str) -> FlowConfig {
        let env = PresetEnv {
            demo_org: "http://127.0.0.1:9400".into(),
            redirect_uri: "http://127.0.0.1:9400/".into(),
        };
        (flows::by_id(flow).unwrap().preset)(PresetKind::LocalDemo, &env).unwrap()
    }

    #[test]
    fn the_headline_flow_keeps_every_setting_it_still_has() {
        let old = r#"{"org_url":"https://acme.okta.com/","app_client_id":"0oa-app","redirect_uri":"http://localhost:8080/",
            "app_scopes":"openid profile","agent_client_id":"wlp-agent","agent_key":"","auth_server_id":"aus123",
            "audience":"https://acme.okta.com/oauth2/aus123","exchange_scopes":"files.read","resource":"",
            "subject":"AccessToken","api_url":"https://api.acme.example/files","relay_url":"http://127.0.0.1:9500",
            "relay_key":"","relay_org":true,"relay_custom":false,"idp":{"token":"https://x"},"resource_as":null,
            "resource_type":"Secret","orn":"orn:okta:pam:1:secrets:2","a2a_resource":""}"#;
        let m = migrate("agentic", old, preset("agentic")).unwrap();
        let c = &m.config;
        assert_eq!(c.server(&agentic::IDP).issuer(), "https://acme.okta.com");
        assert!(c.server(&agentic::IDP).relay);
        assert_eq!(
            c.server(&agentic::RESOURCE_AS).issuer(),
            "https://acme.okta.com/oauth2/aus123"
        );
        assert_eq!(c.client(&agentic::AGENT_AT_AS).id(), "wlp-agent");
        assert_eq!(c.param(&agentic::SUBJECT), "access_token");
        assert_eq!(c.param(&agentic::RESOURCE_TYPE), "secret");
        assert_eq!(c.param(&agentic::SECRET_ORN), "orn:okta:pam:1:secrets:2");
        assert_eq!(m.relay_url.as_deref(), Some("http://127.0.0.1:9500"));
        assert_eq!(
            m.dropped,
            vec!["idp"],
            "discovered endpoints are read again"
        );
    }

    #[test]
    fn unknown_fields_are_named_and_garbage_is_an_error() {
        let m = migrate(
            "obo",
            r#"{"org_url":"https://a.okta.com","service_secret":"s3","color":"blue"}"#,
            preset("obo"),
        )
        .unwrap();
        assert_eq!(m.config.client(&obo::SERVICE).secret.expose(), "s3");
        assert_eq!(m.dropped, vec!["color"]);
        assert!(migrate("obo", "not json", preset("obo")).is_err());
    }
}
