//! Signature checks of the tokens a step obtained: the issuer's JWKS read once per issuer
//! (through the relay when that server uses it) and read again once when a token names a key
//! it does not have; the signature verified with WebCrypto; the result added to the step's
//! checks. Which keys and what the results mean is [`protocol::verify`].

use std::cell::RefCell;
use std::collections::HashMap;

use protocol::flow::{FlowConfig, FlowDef};
use protocol::flows::StepOutcome;
use protocol::jwt::{alg_of, VerifyError};
use protocol::response::parse_json;
use protocol::verify::{self, KeySource, Target, Verified};
use serde_json::Value;

use super::{ensure_built_in_demo, route};
use crate::browser::{crypto, http};
use crate::store::Store;

thread_local! {
    /// JWKS by URL, for this page's life.
    static JWKS: RefCell<HashMap<String, Value>> = RefCell::new(HashMap::new());
}

/// Adds a signature finding for every token of a successful outcome.
pub async fn check_signatures(
    store: Store,
    def: &'static FlowDef,
    config: &FlowConfig,
    mut outcome: StepOutcome,
) -> StepOutcome {
    if !outcome.ok {
        return outcome;
    }
    for t in outcome.tokens.clone() {
        let v = verify_one(store, def, config, t.raw.expose()).await;
        outcome.findings.push(v.finding(&t.label));
    }
    outcome
}

async fn fetch(store: Store, config: &FlowConfig, src: &KeySource) -> Result<Value, String> {
    ensure_built_in_demo(store, config, src.role)
        .await
        .map_err(|o| o.summary)?;
    let req = protocol::requests::get_json("Issuer keys (JWKS)", &src.jwks_uri);
    let x = http::send(&req, route(store, config, src.role)).await;
    let capture = x.result.map_err(|f| f.headline())?;
    let jwks = parse_json(&capture).map_err(|p| p.headline())?;
    JWKS.with(|c| c.borrow_mut().insert(src.jwks_uri.clone(), jwks.clone()));
    Ok(jwks)
}

async fn verify_one(
    store: Store,
    def: &'static FlowDef,
    config: &FlowConfig,
    raw: &str,
) -> Verified {
    let (jwt, src) = match verify::target(def, config, raw) {
        Target::Skip(why) => return Verified::Skipped(why),
        Target::Jwt(jwt, src) => (jwt, src),
    };
    let cached = JWKS.with(|c| c.borrow().get(&src.jwks_uri).cloned());
    let fresh = cached.is_none();
    let mut jwks = match cached {
        Some(j) => j,
        None => match fetch(store, config, &src).await {
            Ok(j) => j,
            Err(why) => {
                return Verified::Unreachable {
                    jwks_uri: src.jwks_uri,
                    why,
                }
            }
        },
    };
    // A key we do not have yet: the server may have rotated its keys; read them once more.
    if !fresh
        && matches!(
            verify::key(&jwks, &jwt),
            Err(VerifyError::UnknownKid { .. })
        )
    {
        match fetch(store, config, &src).await {
            Ok(j) => jwks = j,
            Err(why) => {
                return Verified::Unreachable {
                    jwks_uri: src.jwks_uri,
                    why,
                }
            }
        }
    }
    let key = match verify::key(&jwks, &jwt) {
        Ok(k) => k.clone(),
        Err(error) => {
            return Verified::No {
                error,
                jwks_uri: src.jwks_uri,
            }
        }
    };
    let Ok(alg) = alg_of(&jwt) else {
        return Verified::Skipped("the token's algorithm is not one this app verifies".into());
    };
    match crypto::verify(
        alg,
        &verify::public_jwk(&key),
        jwt.signing_input.as_bytes(),
        &jwt.signature,
    )
    .await
    {
        Ok(true) => Verified::Yes {
            kid: key
                .get("kid")
                .and_then(Value::as_str)
                .unwrap_or("-")
                .to_string(),
            jwks_uri: src.jwks_uri,
        },
        Ok(false) => Verified::No {
            error: VerifyError::BadSignature,
            jwks_uri: src.jwks_uri,
        },
        Err(e) => Verified::No {
            error: VerifyError::Crypto(protocol::jwt::CryptoError(e)),
            jwks_uri: src.jwks_uri,
        },
    }
}
