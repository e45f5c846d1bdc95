//! Share links: a flow's configuration in the URL (`#/{flow}?config=…`), so a docs page can
//! link to "this flow, pre-filled for this server". A link carries servers (issuer, layout,
//! relay switch), client IDs and how they authenticate, and step parameters; never keys,
//! secrets, tokens, discovered metadata, the redirect URI (the reader's own page) or the API
//! headers and body (they may hold credentials). Endpoints are never taken from a link: they
//! come from the server's layout or its own metadata, so a link cannot point an issuer at
//! another token endpoint, and an assertion's audience is always the server it is sent to.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::flows::{common, signin};
use protocol_engine::flow::config::{AssertionAud, AuthMethod, Client, FlowConfig, Layout, Server};
use protocol_engine::flow::FlowDef;
use protocol_wire::encoding::{b64url as b64url_encode, b64url_decode};
use protocol_wire::jwt::Alg;
use protocol_wire::maps::inserted;

/// The parameter of the fragment that carries a shared configuration.
pub const PARAM: &str = "config";
/// A share link's fragment split into its route (`#/obo`) and the payload it carries, if it
/// carries one.
pub fn in_hash(hash: &str) -> Option<(&str, String)> {
    let (route, query) = hash.split_once('?')?;
    let payload = protocol_wire::encoding::form_decode(query)
        .into_iter()
        .find(|(k, _)| k == PARAM)?
        .1;
    Some((route, payload))
}

/// Longest link payload accepted (characters).
pub const MAX_LEN: usize = 8192;

/// Parameters a link never carries.
const NOT_SHARED: [&str; 3] = [
    signin::REDIRECT_URI.key,
    common::API_HEADERS.key,
    common::API_BODY.key,
];

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SharedServer {
    issuer: String,
    layout: Layout,
    #[serde(default)]
    relay: bool,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SharedClient {
    id: String,
    auth: AuthMethod,
    #[serde(default)]
    assertion_aud: AssertionAud,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rsa_alg: Option<Alg>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Shared {
    v: u8,
    #[serde(default)]
    servers: BTreeMap<String, SharedServer>,
    #[serde(default)]
    clients: BTreeMap<String, SharedClient>,
    #[serde(default)]
    params: BTreeMap<String, String>,
}

/// The link payload for `config` (base64url JSON).
pub fn encode(config: &FlowConfig) -> String {
    let shared = Shared {
        v: 1,
        servers: inserted(config.servers.iter().map(|(k, s)| {
            let v = SharedServer {
                issuer: s.issuer().to_string(),
                layout: s.layout,
                relay: s.relay,
            };
            (k.clone(), v)
        })),
        clients: inserted(config.clients.iter().map(|(k, c)| {
            let v = SharedClient {
                id: c.id().to_string(),
                auth: c.auth,
                assertion_aud: c.assertion_aud,
                rsa_alg: c.rsa_alg,
            };
            (k.clone(), v)
        })),
        params: inserted(
            config
                .params
                .iter()
                .filter(|(k, v)| !NOT_SHARED.contains(&k.as_str()) && !v.trim().is_empty())
                .map(|(k, v)| (k.clone(), v.clone())),
        ),
    };
    b64url_encode(
        serde_json::to_string(&shared)
            .unwrap_or_default()
            .as_bytes(),
    )
}

/// A link read for `def`: the configuration to use once the reader agrees, and what to tell
/// them first.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Received {
    /// The configuration: the link's values over the reader's own, keys and secrets kept only
    /// for clients of servers that did not change.
    pub config: FlowConfig,
    /// One line per server: its label and issuer.
    pub servers: Vec<String>,
    /// The issuers on hosts the reader has not used: signed assertions and secrets would go
    /// there.
    pub new_servers: Vec<String>,
}

/// Why a share link cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkError {
    /// Longer than [`MAX_LEN`].
    TooLong,
    /// Not base64url, or not UTF-8 once decoded.
    NotText,
    /// Not a configuration this app writes (the parser's message).
    Unknown(String),
    /// Made by a newer version (its format number).
    Newer(u8),
    /// A step parameter's value is not acceptable.
    BadParam {
        /// The parameter's label.
        field: &'static str,
        /// Why.
        problem: String,
    },
    /// A server's issuer is not a usable URL.
    BadIssuer {
        /// The server's label.
        server: &'static str,
        /// Why.
        reason: String,
    },
}

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkError::TooLong => write!(f, "the link's configuration is longer than {MAX_LEN} characters"),
            LinkError::NotText => f.write_str("the link's configuration is not base64url-encoded UTF-8 text"),
            LinkError::Unknown(e) => write!(f, "the link's configuration is not one this app writes ({e}); links never carry endpoints, keys or secrets"),
            LinkError::Newer(v) => write!(f, "the link was made by a newer version (format {v})"),
            LinkError::BadParam { field, problem } => write!(f, "{field} in the link: {problem}"),
            LinkError::BadIssuer { server, reason } => write!(f, "the {server}'s issuer in the link is not usable: {reason}"),
        }
    }
}

/// Reads a link payload for `def` over the reader's `current` configuration. `known` lists
/// issuers the reader has used (any flow); a server on another host (origin) is new.
pub fn decode(
    def: &FlowDef,
    payload: &str,
    current: &FlowConfig,
    known: &[String],
) -> Result<Received, LinkError> {
    if payload.len() > MAX_LEN {
        return Err(LinkError::TooLong);
    }
    let bytes = b64url_decode(payload).map_err(|_| LinkError::NotText)?;
    let text = String::from_utf8(bytes).map_err(|_| LinkError::NotText)?;
    let shared: Shared =
        serde_json::from_str(&text).map_err(|e| LinkError::Unknown(e.to_string()))?;
    if shared.v != 1 {
        return Err(LinkError::Newer(shared.v));
    }
    let mut config = current.clone();
    let mut servers = Vec::new();
    let mut new_servers = Vec::new();
    let mut changed = Vec::new();
    for role in def.servers {
        let Some(s) = shared.servers.get(role.key) else {
            continue;
        };
        let issuer = s.issuer.trim().trim_end_matches('/').to_string();
        if !issuer.is_empty() {
            protocol_wire::request::validate_url(&issuer).map_err(|e| LinkError::BadIssuer {
                server: role.label,
                reason: e.to_string(),
            })?;
        }
        if config.server(role).issuer() != issuer {
            changed.push(role.key);
        }
        let origin = protocol_wire::request::origin_of(&issuer);
        if !issuer.is_empty()
            && !known
                .iter()
                .any(|k| protocol_wire::request::origin_of(k) == origin)
        {
            new_servers.push(issuer.clone());
        }
        servers.push(format!(
            "{}: {}",
            role.label,
            if issuer.is_empty() { "(none)" } else { &issuer }
        ));
        *config.server_mut(role) = Server {
            relay: s.relay,
            ..Server::new(&issuer, s.layout)
        };
    }
    for reg in def.clients {
        let Some(c) = shared.clients.get(reg.key) else {
            continue;
        };
        let mine = config.client(reg).clone();
        let keep = mine.id() == c.id.trim() && !changed.contains(&reg.server.key);
        *config.client_mut(reg) = Client {
            id: c.id.trim().to_string(),
            auth: c.auth,
            assertion_aud: c.assertion_aud,
            rsa_alg: c.rsa_alg,
            secret: if keep {
                mine.secret
            } else {
                Default::default()
            },
            key: if keep { mine.key } else { Default::default() },
        };
    }
    for f in def.fields() {
        if let Some(v) = shared
            .params
            .get(f.key)
            .filter(|_| !NOT_SHARED.contains(&f.key))
        {
            if let Some(problem) = f.kind.problem(v) {
                return Err(LinkError::BadParam {
                    field: f.label,
                    problem,
                });
            }
            config.set_param(f, v.clone());
        }
    }
    new_servers.dedup();
    Ok(Received {
        config,
        servers,
        new_servers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fragment_names_its_flow_and_carries_its_payload() {
        use crate::flows::{agentic, by_hash, obo};
        assert!(std::ptr::eq(by_hash("#/obo").unwrap(), &obo::FLOW));
        assert!(std::ptr::eq(by_hash("#/obo?config=x").unwrap(), &obo::FLOW));
        assert!(std::ptr::eq(
            by_hash("agentic/step").unwrap(),
            &agentic::FLOW
        ));
        assert!(by_hash("#/nope").is_none() && by_hash("").is_none());
        assert_eq!(
            in_hash("#/obo?config=abc"),
            Some(("#/obo", "abc".to_string()))
        );
        assert_eq!(in_hash("#/obo?other=1"), None);
        assert_eq!(in_hash("#/obo"), None);
    }
    use crate::flows::obo;
    use protocol_engine::flow::{PresetEnv, PresetKind};
    use protocol_wire::secret::Secret;

    fn demo() -> FlowConfig {
        let env = PresetEnv {
            demo_org: "http://127.0.0.1:9400".into(),
            redirect_uri: "http://127.0.0.1:9400/".into(),
        };
        (obo::FLOW.preset)(PresetKind::LocalDemo, &env).unwrap()
    }

    #[test]
    fn a_link_round_trips_and_carries_no_secret() {
        let mut c = demo();
        c.client_mut(&obo::SERVICE).secret = Secret::new("very-secret-value");
        c.set_param(&common::API_HEADERS, "Authorization: Bearer abc.def.ghi");
        let link = encode(&c);
        let text = String::from_utf8(b64url_decode(&link).unwrap()).unwrap();
        assert!(
            !text.contains("very-secret-value") && !text.contains("abc.def.ghi"),
            "{text}"
        );
        assert!(!text.contains("redirect_uri"), "{text}");
        let got = decode(
            &obo::FLOW,
            &link,
            &demo(),
            &["http://127.0.0.1:9400".into()],
        )
        .unwrap();
        assert_eq!(
            got.config.server(&obo::EXCHANGE_AS).issuer(),
            c.server(&obo::EXCHANGE_AS).issuer()
        );
        assert_eq!(got.config.param(&obo::AUDIENCE), c.param(&obo::AUDIENCE));
        assert!(got.new_servers.is_empty());
    }

    #[test]
    fn a_new_server_is_named_and_drops_the_readers_secrets_for_it() {
        let mut theirs = demo();
        theirs.server_mut(&obo::EXCHANGE_AS).issuer = "https://evil.example/oauth2/default".into();
        let mut mine = demo();
        mine.client_mut(&obo::SERVICE).secret = Secret::new("mine");
        let got = decode(
            &obo::FLOW,
            &encode(&theirs),
            &mine,
            &["http://127.0.0.1:9400".into()],
        )
        .unwrap();
        assert_eq!(
            got.new_servers,
            vec!["https://evil.example/oauth2/default".to_string()]
        );
        assert!(
            got.config.client(&obo::SERVICE).secret.is_empty(),
            "no secret follows a link to another server"
        );
    }

    #[test]
    fn endpoints_in_a_link_are_refused() {
        let forged = r#"{"v":1,"servers":{"exchange_as":{"issuer":"http://127.0.0.1:9400/oauth2/default","layout":"discovery","metadata":{"token_endpoint":"https://evil.example/token"}}}}"#;
        let err = decode(&obo::FLOW, &b64url_encode(forged.as_bytes()), &demo(), &[]).unwrap_err();
        assert!(err.to_string().contains("never carry endpoints"), "{err}");
        assert!(decode(&obo::FLOW, "%%%", &demo(), &[]).is_err());
    }
}
