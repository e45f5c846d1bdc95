//! Failures before any HTTP response could be read, explained for people.

use serde::{Deserialize, Serialize};

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
    /// The request could not be built (bad URL, bad key, ...).
    Invalid {
        /// What is wrong.
        detail: String,
    },
}

fn host_of(url: &str) -> &str {
    url.split("://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or(url)
}

impl TransportFailure {
    /// Short title for a card.
    pub fn title(&self) -> &'static str {
        match self {
            TransportFailure::Cors { .. } => "Blocked by CORS",
            TransportFailure::Network { .. } => "Network failure",
            TransportFailure::Invalid { .. } => "Invalid request",
        }
    }

    /// What happened and how to fix it.
    pub fn explain(&self) -> String {
        match self {
            TransportFailure::Cors { url, origin } => format!(
                "{host} is reachable, but it did not allow this page's origin ({origin}) to read its answer (CORS), so the browser \
                 hid the response. The request may still have been processed. Fix: in Okta, add {origin} as a Trusted Origin \
                 with CORS enabled (Security → API → Trusted Origins); or route this server through the local relay, or run \
                 `trunk serve` with the dev proxy (README); or copy the cURL and run it in a terminal.",
                host = host_of(url)
            ),
            TransportFailure::Network { url, detail } => format!(
                "Nothing answered at {host}: the server is down, the host or port is wrong, or the network is off. Check the URL \
                 and that the server runs (the demo tenant: ./run). Browser said: {detail}",
                host = host_of(url)
            ),
            TransportFailure::Invalid { detail } => detail.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explanations_name_the_fix() {
        let c = TransportFailure::Cors {
            url: "https://acme.okta.com/oauth2/v1/token".into(),
            origin: "http://127.0.0.1:8080".into(),
        };
        assert!(c.explain().contains("Trusted Origin") && c.explain().contains("acme.okta.com"));
        let n = TransportFailure::Network {
            url: "http://127.0.0.1:9400/x".into(),
            detail: "Failed to fetch".into(),
        };
        assert!(n.explain().contains("127.0.0.1:9400"));
    }
}
