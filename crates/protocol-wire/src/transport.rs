//! Failures before any HTTP response could be read, explained for people: what happened,
//! why, and the fix for the server actually configured.

use serde::{Deserialize, Serialize};

use crate::diagnosis::Diagnosis;

/// Why no response could be read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TransportFailure {
    /// The server answered, but the browser hid the response: CORS.
    Cors {
        /// The URL called.
        url: String,
        /// This page's origin.
        origin: String,
    },
    /// Nothing answered: server down, wrong host or port, DNS, TLS, offline.
    Network {
        /// The URL called.
        url: String,
        /// What the browser said.
        detail: String,
    },
    /// The server took longer than the app waits.
    Timeout {
        /// The URL called.
        url: String,
        /// How long the app waited, in seconds.
        secs: u32,
    },
    /// The server answered with a redirect (the browser hides where to).
    Redirected {
        /// The URL called.
        url: String,
    },
    /// The local relay did not answer.
    RelayDown {
        /// The relay's URL.
        relay: String,
    },
    /// The request could not be built or sent (bad URL, bad key, no relay key, ...).
    Invalid {
        /// What is wrong.
        detail: String,
    },
}

/// Which kind of server a failure happened at: the fix depends on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServerKind {
    /// The demo tenant started by `./run`.
    LocalDemo,
    /// The demo tenant in this browser.
    BuiltInDemo,
    /// An Okta org.
    Okta,
    /// Any other server.
    Other,
}

impl ServerKind {
    /// What kind the server at `issuer` is, given where the built-in and the local demo
    /// answer: below one of them, an Okta host or a server laid out as Okta's
    /// (`okta_layout`), or any other.
    pub fn of(issuer: &str, okta_layout: bool, built_in_demo: &str, local_demo: &str) -> Self {
        let below = |base: &str| issuer == base || issuer.starts_with(&format!("{base}/"));
        if below(built_in_demo) {
            ServerKind::BuiltInDemo
        } else if below(local_demo) {
            ServerKind::LocalDemo
        } else if issuer.contains(".okta.com") || issuer.contains(".oktapreview.com") || okta_layout
        {
            ServerKind::Okta
        } else {
            ServerKind::Other
        }
    }
}

/// What the fix can name: the server, its kind, this page, and the relay commands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Remedy {
    /// How the card calls the server ("identity provider").
    pub server: String,
    /// What kind of server it is.
    pub kind: ServerKind,
    /// This page's origin.
    pub origin: String,
    /// The relay command, from a checkout and installed.
    pub relay: RelayCommands,
}

/// The commands that start the relay for the servers that use it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RelayCommands {
    /// From a checkout of this project.
    pub checkout: String,
    /// Installed once with `cargo install --path crates/relay`.
    pub installed: String,
}

fn host_of(url: &str) -> &str {
    url.split("://")
        .nth(1)
        .and_then(|r| r.split(['/', '?', '#']).next())
        .unwrap_or(url)
}

impl TransportFailure {
    /// The headline for a card.
    pub fn headline(&self) -> String {
        match self {
            TransportFailure::Cors { url, .. } => format!(
                "Blocked by CORS: {} did not let this page read its answer.",
                host_of(url)
            ),
            TransportFailure::Network { url, .. } => {
                format!("Network failure: nothing answered at {}.", host_of(url))
            }
            TransportFailure::Timeout { url, secs } => format!(
                "Timed out: {} did not answer within {secs} s.",
                host_of(url)
            ),
            TransportFailure::Redirected { url } => format!(
                "Redirected: {} answered with a redirect instead of answering.",
                host_of(url)
            ),
            TransportFailure::RelayDown { relay } => {
                format!("The local relay is not running at {relay}.")
            }
            TransportFailure::Invalid { .. } => "The request could not be sent.".into(),
        }
    }

    /// Why, and what to do for the server actually configured.
    pub fn diagnosis(&self, r: &Remedy) -> Diagnosis {
        let relay_fix = format!(
            "Start the relay on your machine and paste the key it prints in Configuration → Relay. From a checkout of this project: {} — or, installed once with cargo install --path crates/relay: {}",
            r.relay.checkout, r.relay.installed
        );
        let (cause, fix, relay) = match self {
            TransportFailure::Cors { origin, .. } => (
                format!("The {} is reachable, but it does not allow this page's origin ({origin}) to read its answers, so the browser hid the response. The request may still have been processed.", r.server),
                match r.kind {
                    ServerKind::LocalDemo => format!("Restart the demo tenant so that it allows this origin: ./run --cors-origin {origin} (or cargo run -p demo-tenant -- --cors-origin {origin})."),
                    ServerKind::BuiltInDemo => "The built-in demo answers this page only; reload the page.".into(),
                    ServerKind::Okta => format!("In Okta, add {origin} as a Trusted Origin with CORS enabled (Security → API → Trusted Origins), or send this server's requests through the local relay."),
                    ServerKind::Other => format!("Allow {origin} in the server's CORS settings, or send this server's requests through the local relay, or copy the cURL and run it in a terminal."),
                },
                r.kind != ServerKind::BuiltInDemo,
            ),
            TransportFailure::Network { detail, .. } => (
                format!("The server is down, the host or port is wrong, or the network is off. The browser said: {detail}"),
                match r.kind {
                    ServerKind::LocalDemo => "Start the demo tenant with ./run, or choose the built-in demo preset (it runs in this browser).".into(),
                    ServerKind::BuiltInDemo => "Reload the page: the built-in demo could not start.".into(),
                    _ => format!("Check the {}'s URL in Configuration and that the server runs.", r.server),
                },
                false,
            ),
            TransportFailure::Timeout { .. } => (
                "The server accepted the connection but sent no answer in time.".into(),
                "Try again (Send retries); if it keeps happening, check the server.".into(),
                false,
            ),
            TransportFailure::Redirected { .. } => (
                "Token, introspection and API endpoints answer directly; a redirect usually means the URL is outdated or leads to a login page. The app does not follow it, so nothing is sent elsewhere.".into(),
                format!("Check the {}'s endpoints: Discover reads the current ones from its metadata.", r.server),
                false,
            ),
            TransportFailure::RelayDown { .. } => (
                format!("The {} is set to go through the relay, and nothing answers at the relay's URL.", r.server),
                relay_fix.clone(),
                false,
            ),
            TransportFailure::Invalid { detail } => (detail.clone(), String::new(), false),
        };
        Diagnosis { cause, fix, relay }
    }

    /// Short title for a log entry.
    pub fn title(&self) -> &'static str {
        match self {
            TransportFailure::Cors { .. } => "Blocked by CORS",
            TransportFailure::Network { .. } => "Network failure",
            TransportFailure::Timeout { .. } => "Timed out",
            TransportFailure::Redirected { .. } => "Redirected",
            TransportFailure::RelayDown { .. } => "Relay not running",
            TransportFailure::Invalid { .. } => "Invalid request",
        }
    }
}

/// The relay commands for `upstreams` (their origins), this page's `origin` and the relay's
/// URL (`--port` when it is not the default).
pub fn relay_commands(upstreams: &[String], origin: &str, relay_url: &str) -> RelayCommands {
    let mut args = String::new();
    let mut seen: Vec<&str> = Vec::new();
    for u in upstreams {
        let base = crate::request::origin_of(u).unwrap_or(u.as_str());
        if !base.is_empty() && !seen.contains(&base) {
            seen.push(base);
            args.push_str(&format!(" --upstream {}", crate::curl::shell_quote(base)));
        }
    }
    if seen.is_empty() {
        args.push_str(" --upstream 'https://your-server.example'");
    }
    args.push_str(&format!(
        " --allow-origin {}",
        crate::curl::shell_quote(origin)
    ));
    let port = relay_url
        .trim()
        .trim_end_matches('/')
        .rsplit_once(':')
        .and_then(|(_, p)| p.parse::<u16>().ok());
    if let Some(p) = port.filter(|p| *p != DEFAULT_RELAY_PORT) {
        args.push_str(&format!(" --port {p}"));
    }
    RelayCommands {
        checkout: format!("cargo run -p relay --{args}"),
        installed: format!("relay{args}"),
    }
}

/// The relay's default port.
pub const DEFAULT_RELAY_PORT: u16 = 9500;
/// The relay's default URL.
pub const DEFAULT_RELAY_URL: &str = "http://127.0.0.1:9500";

#[cfg(test)]
mod tests {
    use super::*;

    fn remedy(kind: ServerKind) -> Remedy {
        Remedy {
            server: "identity provider".into(),
            kind,
            origin: "http://127.0.0.1:8080".into(),
            relay: relay_commands(
                &["https://acme.okta.com/oauth2/v1/token".into()],
                "http://127.0.0.1:8080",
                DEFAULT_RELAY_URL,
            ),
        }
    }

    #[test]
    fn the_fix_names_what_the_configured_server_needs() {
        let c = TransportFailure::Cors {
            url: "https://acme.okta.com/oauth2/v1/token".into(),
            origin: "http://127.0.0.1:8080".into(),
        };
        assert!(c
            .diagnosis(&remedy(ServerKind::Okta))
            .fix
            .contains("Trusted Origin"));
        let demo = c.diagnosis(&remedy(ServerKind::LocalDemo)).fix;
        assert!(
            demo.contains("--cors-origin http://127.0.0.1:8080") && !demo.contains("Okta"),
            "{demo}"
        );
        assert!(c.headline().contains("acme.okta.com"));
        let down = TransportFailure::RelayDown {
            relay: "http://127.0.0.1:9500".into(),
        };
        let d = down.diagnosis(&remedy(ServerKind::Okta));
        assert!(
            d.fix
                .contains("cargo run -p relay -- --upstream 'https://acme.okta.com'")
                && d.fix.contains("relay --upstream"),
            "{}",
            d.fix
        );
        assert!(down.headline().contains("relay"));
    }

    #[test]
    fn relay_commands_list_every_upstream_once() {
        let c = relay_commands(
            &[
                "https://a.example/oauth2/v1/token".into(),
                "https://a.example/x".into(),
                "https://b.example:8443/t".into(),
            ],
            "http://127.0.0.1:8080",
            "http://127.0.0.1:9600",
        );
        assert_eq!(c.installed, "relay --upstream 'https://a.example' --upstream 'https://b.example:8443' --allow-origin 'http://127.0.0.1:8080' --port 9600");
    }
}
