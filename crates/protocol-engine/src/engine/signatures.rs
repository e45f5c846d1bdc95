//! Signature checks of the tokens a step obtained: the issuer's JWKS read through the host
//! (once per issuer, through the relay when that server uses it, and once more when a token
//! names a key it does not have: the server may have rotated its keys); the signature checked
//! by the host. Which keys, and what the results mean, is [`crate::verify`].

use serde_json::Value;

use super::{Host, Site};
use crate::flow::{FlowConfig, FlowDef};
use crate::verify::{self, KeySource, Target, Verified};
use protocol_wire::jwt::{alg_of, CryptoError, VerifyError};
use protocol_wire::response::parse_json;

/// Verifies one token obtained in `def` configured as `config`.
pub async fn verify<H: Host>(
    host: &H,
    site: &Site,
    def: &FlowDef,
    config: &FlowConfig,
    raw: &str,
) -> Verified {
    let (jwt, src) = match verify::target(def, config, raw) {
        Target::Skip(why) => return Verified::Skipped(why),
        Target::Jwt(jwt, src) => (jwt, src),
    };
    let unreachable = |why: KeysUnread| Verified::Unreachable {
        jwks_uri: src.jwks_uri.clone(),
        why: why.to_string(),
    };
    let cached = host.cached_jwks(&src.jwks_uri);
    let fresh = cached.is_none();
    let mut jwks = match cached {
        Some(j) => j,
        None => match read_jwks(host, site, config, &src).await {
            Ok(j) => j,
            Err(why) => return unreachable(why),
        },
    };
    if !fresh
        && matches!(
            verify::key(&jwks, &jwt),
            Err(VerifyError::UnknownKid { .. })
        )
    {
        match read_jwks(host, site, config, &src).await {
            Ok(j) => jwks = j,
            Err(why) => return unreachable(why),
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
    match host
        .verify(
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
            error: VerifyError::Crypto(CryptoError(e.0)),
            jwks_uri: src.jwks_uri,
        },
    }
}

/// Why an issuer's keys could not be read.
enum KeysUnread {
    /// No answer.
    Transport(protocol_wire::transport::TransportFailure),
    /// An answer that is not a key set.
    Response(protocol_wire::response::ResponseProblem),
}

impl std::fmt::Display for KeysUnread {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeysUnread::Transport(t) => f.write_str(&t.headline()),
            KeysUnread::Response(p) => f.write_str(&p.headline()),
        }
    }
}

async fn read_jwks<H: Host>(
    host: &H,
    site: &Site,
    config: &FlowConfig,
    src: &KeySource,
) -> Result<Value, KeysUnread> {
    let req = protocol_wire::requests::get_json("Issuer keys (JWKS)", &src.jwks_uri);
    let x = host.send(&req, &site.route(config, src.role)).await;
    let capture = x.result.map_err(KeysUnread::Transport)?;
    let jwks = parse_json(&capture).map_err(KeysUnread::Response)?;
    host.keep_jwks(&src.jwks_uri, &jwks);
    Ok(jwks)
}
