//! What a step would send now, before it runs: the requests its card shows (two for a
//! sign-in: the authorize URL and the code exchange, with placeholders for what the sign-in
//! makes), their fingerprint (a run is stale when it changes), and each step's status.

use crate::flow::context::{Command, Ctx, Fnv};
use crate::flow::{Action, ConfigError, FlowConfig, FlowDef, FlowState, StepStatus};

/// Placeholders of a sign-in preview.
pub mod signin_placeholders {
    /// The S256 challenge.
    pub const CHALLENGE: &str = "{S256 challenge of a fresh verifier}";
    /// `state`.
    pub const STATE: &str = "{random state}";
    /// `nonce`.
    pub const NONCE: &str = "{random nonce}";
    /// The code.
    pub const CODE: &str = "{code from the redirect}";
    /// The verifier.
    pub const VERIFIER: &str = "{PKCE code_verifier}";
}

/// The requests a step sends (two for a sign-in: the authorize URL and the code exchange).
pub fn commands(ctx: &Ctx) -> Result<Vec<Command>, ConfigError> {
    use signin_placeholders as p;
    match ctx.step.action {
        Action::SignIn => {
            let authorize = crate::signin::authorize(ctx, p::CHALLENGE, p::STATE, p::NONCE)?;
            let exchange = crate::signin::code_exchange(ctx, p::CODE, p::VERIFIER)?;
            Ok(vec![
                Command {
                    caption: "1. Direct user to authorize endpoint for standard OAuth flow:".into(),
                    request: authorize,
                    url_only: true,
                },
                Command {
                    caption: "2. Exchange authorization code for tokens:".into(),
                    request: exchange,
                    url_only: false,
                },
            ])
        }
        Action::Request { build, .. } => {
            let request = build(ctx)?;
            Ok(vec![Command {
                caption: format!("{}:", request.label),
                request,
                url_only: false,
            }])
        }
    }
}

/// A fingerprint of what the step would send now (the assertion excluded): a run is stale
/// when it changes.
pub fn fingerprint(ctx: &Ctx) -> u64 {
    let mut h = Fnv::default();
    match commands(ctx) {
        Ok(cmds) => {
            for c in cmds {
                c.request.fingerprint_into(&mut |b| h.write(b));
            }
        }
        Err(e) => h.write(e.to_string().as_bytes()),
    }
    h.0
}

/// The status of every step that applies, in order.
pub fn statuses(
    flow: &'static FlowDef,
    config: &FlowConfig,
    state: &FlowState,
    now: i64,
) -> Vec<StepStatus> {
    state.statuses(flow, config, |step| {
        fingerprint(&Ctx::preview(flow, step, config, state, now))
    })
}
