//! The user's sign-in shared by flows: authorization code with PKCE for a public client, the
//! code exchange, and the reading of its answer (the ID token's nonce must match).

use serde::{Deserialize, Serialize};

use super::{StepOutcome, TokenView};
use crate::checks::{self, IdTokenExpectations};
use crate::client_auth::ClientAuth;
use crate::endpoints::Endpoints;
use crate::jwt::decode;
use crate::request::HttpRequest;
use crate::requests::{self, AuthorizeParams};
use crate::response::{parse_token_response, HttpCapture};

/// Where and as whom the user signs in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignIn {
    /// The authorization server.
    pub endpoints: Endpoints,
    /// The public client's ID.
    pub client_id: String,
    /// The registered redirect URI (this page).
    pub redirect_uri: String,
    /// Space-separated scopes.
    pub scopes: String,
}

impl SignIn {
    /// The authorize URL the browser navigates to.
    pub fn authorize(&self, code_challenge: &str, state: &str, nonce: &str) -> HttpRequest {
        requests::authorize(&AuthorizeParams {
            endpoint: self.endpoints.authorize.clone(),
            client_id: self.client_id.clone(),
            redirect_uri: self.redirect_uri.clone(),
            scope: self.scopes.clone(),
            state: state.into(),
            nonce: nonce.into(),
            code_challenge: code_challenge.into(),
            extra: vec![],
        })
    }

    /// The code exchange (public client + PKCE verifier).
    pub fn code_exchange(&self, code: &str, verifier: &str) -> HttpRequest {
        let auth = ClientAuth::None {
            client_id: self.client_id.clone(),
        };
        requests::authorization_code(
            &self.endpoints.token,
            code,
            &self.redirect_uri,
            verifier,
            &auth,
        )
    }

    /// Reads the code exchange answer: outputs `user_id_token` and `user_access_token`; a
    /// nonce mismatch refuses the tokens.
    pub fn interpret(&self, capture: &HttpCapture, nonce: &str, now: i64) -> StepOutcome {
        let resp = match parse_token_response(capture) {
            Ok(r) => r,
            Err(p) => return StepOutcome::problem(&p),
        };
        let mut out = StepOutcome {
            ok: true,
            ..Default::default()
        };
        if let Some(at) = &resp.access_token {
            out.outputs.push(("user_access_token".into(), at.clone()));
            out.tokens
                .push(TokenView::new("User access token", at, now));
        }
        let Some(idt) = &resp.id_token else {
            out.summary =
                "Signed in; no ID token came back (add the openid scope to get one).".into();
            return out;
        };
        let view = TokenView::new("ID token", idt, now);
        if let Ok(jwt) = decode(idt) {
            out.findings = checks::check_id_token(
                &jwt,
                &IdTokenExpectations {
                    issuer: self.endpoints.issuer.clone(),
                    client_id: self.client_id.clone(),
                    nonce: nonce.into(),
                    now,
                },
            );
            let bad_nonce = out
                .findings
                .iter()
                .any(|f| f.check == "id_token.nonce" && f.severity == checks::Severity::Error);
            if bad_nonce {
                out.ok = false;
                out.outputs.clear();
                out.summary = "Refused: the ID token's nonce does not match the one this page sent, so it may be replayed or injected.".into();
                out.tokens.insert(0, view);
                return out;
            }
        }
        let who = view
            .claims
            .as_ref()
            .and_then(|c| c.get("sub"))
            .and_then(|s| s.as_str())
            .unwrap_or("the user")
            .to_string();
        out.outputs.push(("user_id_token".into(), idt.clone()));
        out.tokens.insert(0, view);
        out.summary = format!("Signed in as {who}: ID token and access token received.");
        out
    }
}
