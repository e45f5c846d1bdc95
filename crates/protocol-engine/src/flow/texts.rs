//! Texts of a flow's declaration that name the server actually configured: a description may
//! say `{idp:idp}` ("Okta" under the Okta preset, "your identity provider" for another
//! server), `{as:resource_as}` ("custom authorization server" for an Okta custom server) or
//! `{AS:resource_as}` (the same, capitalized as the seed page writes it), each naming a server
//! role of the flow by its key.

use super::{FlowConfig, Layout, Server};
use protocol_wire::transport::ServerKind;

/// Who runs `server`, for a sentence ("redirect the user to Okta").
pub fn vendor(server: &Server, kind: ServerKind) -> &'static str {
    match kind {
        ServerKind::Okta => "Okta",
        ServerKind::BuiltInDemo => "the built-in demo",
        ServerKind::LocalDemo => "the local demo tenant",
        ServerKind::Other if server.layout == Layout::PingOneRealm => "PingOne",
        ServerKind::Other => "your identity provider",
    }
}

/// How a redeeming authorization server is called: Okta's "custom authorization server", or
/// the draft's "resource authorization server".
fn redeemer(server: &Server, capitalized: bool) -> &'static str {
    match (server.layout == Layout::OktaCustom, capitalized) {
        (true, false) => "custom authorization server",
        (true, true) => "Custom Authorization Server",
        (false, _) => "resource authorization server",
    }
}

/// `template` with its placeholders filled for `config`; `kind` tells what kind a server is
/// (it depends on where the page runs). An unknown placeholder is left as it is.
pub fn fill(template: &str, config: &FlowConfig, kind: &dyn Fn(&Server) -> ServerKind) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let Some(end) = after.find('}') else {
            rest = after;
            break;
        };
        let inner = &after[1..end];
        let filled = inner.split_once(':').and_then(|(what, role)| {
            let server = config.servers.get(role)?;
            match what {
                "idp" => Some(vendor(server, kind(server))),
                "as" => Some(redeemer(server, false)),
                "AS" => Some(redeemer(server, true)),
                _ => None,
            }
        });
        match filled {
            Some(text) => out.push_str(text),
            None => out.push_str(&after[..=end]),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::{RoleKind, ServerRole};

    const IDP: ServerRole = ServerRole {
        key: "idp",
        label: "identity provider",
        kind: RoleKind::AuthorizationServer,
        issued_by: None,
    };
    const RESOURCE_AS: ServerRole = ServerRole {
        key: "resource_as",
        label: "resource authorization server",
        kind: RoleKind::AuthorizationServer,
        issued_by: None,
    };

    fn config(layout: Layout, issuer: &str) -> FlowConfig {
        FlowConfig::default()
            .with_server(&IDP, Server::new(issuer, layout))
            .with_server(
                &RESOURCE_AS,
                Server::new(&format!("{issuer}/oauth2/default"), Layout::OktaCustom),
            )
    }

    fn kind_of(s: &Server) -> ServerKind {
        s.kind("http://page/demo", "http://127.0.0.1:9400")
    }

    #[test]
    fn the_seed_text_under_okta_and_the_vendor_elsewhere() {
        let t = "redirect the user to {idp:idp} for authentication, then the {as:resource_as} ({AS:resource_as})";
        assert_eq!(
            fill(t, &config(Layout::OktaOrg, "https://your-org.okta.com"), &kind_of),
            "redirect the user to Okta for authentication, then the custom authorization server (Custom Authorization Server)"
        );
        assert_eq!(
            fill(t, &config(Layout::Discovery, "https://idp.example"), &kind_of),
            "redirect the user to your identity provider for authentication, then the custom authorization server (Custom Authorization Server)"
        );
        assert!(fill(
            t,
            &config(Layout::OktaOrg, "http://127.0.0.1:9400"),
            &kind_of
        )
        .starts_with("redirect the user to the local demo tenant"));
    }

    #[test]
    fn unknown_or_unclosed_placeholders_stay() {
        let c = config(Layout::OktaOrg, "https://your-org.okta.com");
        assert_eq!(
            fill("{x:idp} {idp:nope} {", &c, &kind_of),
            "{x:idp} {idp:nope} {"
        );
    }
}
