//! Probe a server: the refusals the specs require, tried on purpose. Each [`Case`] is data
//! (which kind of step it varies, how, what the spec requires and at which level); the
//! [`battery`] runs a normal run of the flow, then every case through the one step driver
//! ([`protocol_engine::engine`]), so a varied request is signed, routed, logged and masked like any
//! other; [`judge`] turns each answer into a verdict.

pub mod battery;
mod cases;
pub mod judge;
mod report;
pub mod vary;

pub use battery::{plan, run, Extra, Plan};
pub use cases::CASES;
pub use report::{BaseRow, CaseResult, Got, Report};

use serde::{Serialize, Serializer};

/// How many cases sign in again (each with its own sign-in): with the normal run's, a probe of a
/// flow that has a sign-in opens the sign-in page this many times plus one. A constant, so the
/// page can say it before the probe's code is loaded (a test checks it against [`CASES`]).
pub const SIGN_IN_CASES: usize = 6;

/// How strongly a spec requires what a case checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// MUST (or MUST NOT).
    Must,
    /// SHOULD (or SHOULD NOT).
    Should,
    /// MAY: both answers are allowed.
    May,
    /// No keyword: the specs allow both, or describe without requiring.
    None,
}

impl Level {
    /// As the report writes it: `MUST`, `SHOULD`, `MAY`, `none`.
    pub fn label(self) -> &'static str {
        match self {
            Level::Must => "MUST",
            Level::Should => "SHOULD",
            Level::May => "MAY",
            Level::None => "none",
        }
    }
}

/// A section of a spec, with its address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpecRef {
    /// `RFC 6749 §4.1.2`.
    pub label: &'static str,
    /// Its URL (the section's anchor).
    pub url: &'static str,
}

/// What came of a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Refused or answered as required.
    Pass,
    /// Accepted what a MUST forbids (or answered against a MUST).
    Fail,
    /// Refused with another code or status than the spec names, or accepted what only a
    /// SHOULD covers.
    Warn,
    /// Reported without a judgement: the specs allow both.
    Info,
    /// Not tried, with why.
    NotRun,
}

impl Verdict {
    /// As the report writes it: `pass`, `fail`, `warn`, `info`, `not run`.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Warn => "warn",
            Verdict::Info => "info",
            Verdict::NotRun => "not run",
        }
    }
}

impl Serialize for Verdict {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.label())
    }
}

/// The kind of step a case varies (a step may be several: a token exchange by a client that
/// signs assertions is also a `private_key_jwt` step).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKind {
    /// The user's sign-in (authorization code + PKCE).
    SignIn,
    /// A token request by a client that authenticates.
    ConfidentialClient,
    /// A token request by a client that authenticates with `private_key_jwt`.
    PrivateKeyJwt,
    /// An RFC 8693 token exchange.
    TokenExchange,
    /// An RFC 7523 JWT bearer grant.
    JwtBearer,
    /// A call to the API with the access token.
    Api,
    /// RFC 7662 introspection.
    Introspect,
    /// RFC 7009 revocation.
    Revoke,
}

impl StepKind {
    /// The step, in words ("a token exchange"), for "this flow has no ..." notes.
    pub fn described(self) -> &'static str {
        match self {
            StepKind::SignIn => "user sign-in",
            StepKind::ConfidentialClient => "token request by a client that authenticates",
            StepKind::PrivateKeyJwt => "token request signed with private_key_jwt",
            StepKind::TokenExchange => "token exchange",
            StepKind::JwtBearer => "JWT bearer grant",
            StepKind::Api => "API call",
            StepKind::Introspect => "introspection",
            StepKind::Revoke => "revocation",
        }
    }
}

/// How a case varies its step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variation {
    /// The authorization request's `redirect_uri` changed to one not registered.
    RedirectUnregistered,
    /// The code exchange sent twice.
    CodeTwice,
    /// Another `code_verifier`.
    WrongVerifier,
    /// No `code_verifier`.
    NoVerifier,
    /// No challenge in the authorization request; the verifier sent all the same.
    NoChallenge,
    /// Another `redirect_uri` at the token endpoint.
    OtherRedirectUri,
    /// The client authentication removed (only the `client_id` left).
    NoClientAuth,
    /// The client assertion expired ten minutes ago.
    AssertionExpired,
    /// The client assertion addressed to another server.
    AssertionOtherAudience,
    /// The client assertion signed by a key the server does not know.
    AssertionOtherKey,
    /// The same client assertion twice.
    AssertionReplay,
    /// The `subject_token` tampered.
    TamperSubject,
    /// The `subject_token_type` swapped (an ID token said to be an access token, or back).
    SwapSubjectType,
    /// The `assertion` (the ID-JAG) tampered.
    TamperAssertion,
    /// A valid ID-JAG redeemed by another client.
    OtherClient,
    /// A valid ID-JAG redeemed at another authorization server.
    OtherServer,
    /// The same request twice (the second answer is judged).
    SameTwice,
    /// No `Authorization` header.
    NoBearer,
    /// The bearer token tampered.
    TamperBearer,
    /// A method the token's scope does not cover.
    MethodBeyondScope,
    /// A token the server never issued.
    UnknownToken,
    /// The step again after the token's revocation.
    AfterRevoke,
}

/// How an answer is judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Judge {
    /// Refused with one of `errors` (and one of `statuses`); another refusal is a warn.
    Refused {
        /// The error codes the spec names.
        errors: &'static [&'static str],
        /// The statuses the spec names.
        statuses: &'static [u16],
    },
    /// The browser was not sent to the unregistered URI.
    NoRedirect,
    /// Refusing is optional: refused is a pass, accepted is info with `note`.
    Optional {
        /// The error codes a refusal names.
        errors: &'static [&'static str],
        /// Why accepting is allowed.
        note: &'static str,
    },
    /// Both answers are allowed: reported as info.
    Either,
    /// A 401 with a `WWW-Authenticate: Bearer` challenge, without an `error`.
    Challenge,
    /// A tampered access token refused with `invalid_token` (RFC 9068 for a JWT).
    BadToken,
    /// Introspection refused without client authentication: 401 (400 `invalid_client` warns).
    IntrospectionAuth,
    /// Answered 200.
    Accepted,
    /// Answered `active: false`.
    Inactive,
}

/// One probe case.
#[derive(Debug)]
pub struct Case {
    /// Stable id (`code.reuse`).
    pub id: &'static str,
    /// What is tried, in words.
    pub title: &'static str,
    /// The sections that ask for the answer.
    pub spec: &'static [SpecRef],
    /// How strongly.
    pub level: Level,
    /// What the spec expects, in words.
    pub expected: &'static str,
    /// The kind of step it varies.
    pub target: StepKind,
    /// How.
    pub vary: Variation,
    /// How the answer is judged.
    pub judge: Judge,
}

impl Case {
    /// The case with `id`.
    pub fn by_id(id: &str) -> Option<&'static Case> {
        CASES.iter().find(|c| c.id == id)
    }

    /// Its sections as one line: `RFC 6749 §4.1.2, RFC 6749 §10.5`.
    pub fn spec_line(&self) -> String {
        self.spec
            .iter()
            .map(|s| s.label)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Whether it needs a sign-in of its own.
    pub fn signs_in(&self) -> bool {
        self.target == StepKind::SignIn
    }
}

#[cfg(test)]
mod tests;
