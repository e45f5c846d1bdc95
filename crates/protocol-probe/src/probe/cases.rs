//! The probe's cases, as data: which step each varies, how, what the spec requires and at
//! which level. Sections were checked against the RFC texts and ID-JAG draft -03 (its section
//! numbers; later revisions may renumber).

use super::{Case, Judge, Level, SpecRef, StepKind, Variation};

const fn rfc(label: &'static str, url: &'static str) -> SpecRef {
    SpecRef { label, url }
}

const RFC6749_3_2_1: SpecRef = rfc(
    "RFC 6749 §3.2.1",
    "https://www.rfc-editor.org/rfc/rfc6749#section-3.2.1",
);
const RFC6749_4_1_2: SpecRef = rfc(
    "RFC 6749 §4.1.2",
    "https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2",
);
const RFC6749_4_1_2_1: SpecRef = rfc(
    "RFC 6749 §4.1.2.1",
    "https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1",
);
const RFC6749_4_1_3: SpecRef = rfc(
    "RFC 6749 §4.1.3",
    "https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3",
);
const RFC6749_5_2: SpecRef = rfc(
    "RFC 6749 §5.2",
    "https://www.rfc-editor.org/rfc/rfc6749#section-5.2",
);
const RFC6749_10_5: SpecRef = rfc(
    "RFC 6749 §10.5",
    "https://www.rfc-editor.org/rfc/rfc6749#section-10.5",
);
const RFC7636_4_6: SpecRef = rfc(
    "RFC 7636 §4.6",
    "https://www.rfc-editor.org/rfc/rfc7636#section-4.6",
);
const RFC9700_2_1: SpecRef = rfc(
    "RFC 9700 §2.1",
    "https://www.rfc-editor.org/rfc/rfc9700#section-2.1",
);
const RFC9700_2_1_1: SpecRef = rfc(
    "RFC 9700 §2.1.1",
    "https://www.rfc-editor.org/rfc/rfc9700#section-2.1.1",
);
const RFC7523_3: SpecRef = rfc(
    "RFC 7523 §3",
    "https://www.rfc-editor.org/rfc/rfc7523#section-3",
);
const RFC7523_3_1: SpecRef = rfc(
    "RFC 7523 §3.1",
    "https://www.rfc-editor.org/rfc/rfc7523#section-3.1",
);
const RFC7523_3_2: SpecRef = rfc(
    "RFC 7523 §3.2",
    "https://www.rfc-editor.org/rfc/rfc7523#section-3.2",
);
const RFC8693_2_1: SpecRef = rfc(
    "RFC 8693 §2.1",
    "https://www.rfc-editor.org/rfc/rfc8693#section-2.1",
);
const RFC8693_2_2_2: SpecRef = rfc(
    "RFC 8693 §2.2.2",
    "https://www.rfc-editor.org/rfc/rfc8693#section-2.2.2",
);
const IDJAG_4_4_1: SpecRef = rfc(
    "ID-JAG draft -03 §4.4.1",
    "https://datatracker.ietf.org/doc/html/draft-ietf-oauth-identity-assertion-authz-grant-03#section-4.4.1",
);
const IDJAG_4_4_3: SpecRef = rfc(
    "ID-JAG draft -03 §4.4.3",
    "https://datatracker.ietf.org/doc/html/draft-ietf-oauth-identity-assertion-authz-grant-03#section-4.4.3",
);
const IDJAG_4_3_4_3: SpecRef = rfc(
    "ID-JAG draft -03 §4.3.4.3",
    "https://datatracker.ietf.org/doc/html/draft-ietf-oauth-identity-assertion-authz-grant-03#section-4.3.4.3",
);
const RFC6750_3: SpecRef = rfc(
    "RFC 6750 §3",
    "https://www.rfc-editor.org/rfc/rfc6750#section-3",
);
const RFC6750_3_1: SpecRef = rfc(
    "RFC 6750 §3.1",
    "https://www.rfc-editor.org/rfc/rfc6750#section-3.1",
);
const RFC9068_4: SpecRef = rfc(
    "RFC 9068 §4",
    "https://www.rfc-editor.org/rfc/rfc9068#section-4",
);
const RFC9728_5_1: SpecRef = rfc(
    "RFC 9728 §5.1",
    "https://www.rfc-editor.org/rfc/rfc9728#section-5.1",
);
const RFC7009_2: SpecRef = rfc(
    "RFC 7009 §2",
    "https://www.rfc-editor.org/rfc/rfc7009#section-2",
);
const RFC7009_2_1: SpecRef = rfc(
    "RFC 7009 §2.1",
    "https://www.rfc-editor.org/rfc/rfc7009#section-2.1",
);
const RFC7009_2_2: SpecRef = rfc(
    "RFC 7009 §2.2",
    "https://www.rfc-editor.org/rfc/rfc7009#section-2.2",
);
const RFC7662_2_1: SpecRef = rfc(
    "RFC 7662 §2.1",
    "https://www.rfc-editor.org/rfc/rfc7662#section-2.1",
);
const RFC7662_2_2: SpecRef = rfc(
    "RFC 7662 §2.2",
    "https://www.rfc-editor.org/rfc/rfc7662#section-2.2",
);
const RFC7662_2_3: SpecRef = rfc(
    "RFC 7662 §2.3",
    "https://www.rfc-editor.org/rfc/rfc7662#section-2.3",
);

/// `invalid_grant` only.
const GRANT: &[&str] = &["invalid_grant"];
/// `invalid_client` only.
const CLIENT: &[&str] = &["invalid_client"];
/// The refusal of a bad subject token: RFC 8693 names `invalid_request`; the ID-JAG draft's
/// example and common servers use `invalid_grant`.
const SUBJECT: &[&str] = &["invalid_request", "invalid_grant"];

/// Every case, in the order they run and are reported. Ids are stable.
pub static CASES: &[Case] = &[
    Case {
        id: "authz.redirect_unregistered",
        title: "Authorization request with a redirect_uri not registered for the client",
        spec: &[RFC6749_4_1_2_1, RFC9700_2_1],
        level: Level::Must,
        expected: "No redirect to that URI (the server shows its own error page)",
        target: StepKind::SignIn,
        vary: Variation::RedirectUnregistered,
        judge: Judge::NoRedirect,
    },
    Case {
        id: "code.reuse",
        title: "The same authorization code redeemed twice",
        spec: &[RFC6749_4_1_2, RFC6749_10_5],
        level: Level::Must,
        expected: "The second redemption refused: invalid_grant",
        target: StepKind::SignIn,
        vary: Variation::CodeTwice,
        judge: Judge::Refused {
            errors: GRANT,
            statuses: &[400],
        },
    },
    Case {
        id: "code.pkce_wrong_verifier",
        title: "Code exchange with another code_verifier",
        spec: &[RFC7636_4_6],
        level: Level::Must,
        expected: "Refused: invalid_grant",
        target: StepKind::SignIn,
        vary: Variation::WrongVerifier,
        judge: Judge::Refused {
            errors: GRANT,
            statuses: &[400],
        },
    },
    Case {
        id: "code.pkce_missing_verifier",
        title: "Code exchange without the code_verifier, although a challenge was sent",
        spec: &[RFC9700_2_1_1],
        level: Level::Must,
        expected: "Refused (no code is named: invalid_grant or invalid_request)",
        target: StepKind::SignIn,
        vary: Variation::NoVerifier,
        judge: Judge::Refused {
            errors: &["invalid_grant", "invalid_request"],
            statuses: &[400],
        },
    },
    Case {
        id: "code.pkce_downgrade",
        title: "A code_verifier sent for a code whose authorization request had no challenge",
        spec: &[RFC9700_2_1_1],
        level: Level::Must,
        expected: "Refused (no code is named); refusing the authorization request without a challenge passes too",
        target: StepKind::SignIn,
        vary: Variation::NoChallenge,
        judge: Judge::Refused {
            errors: &["invalid_grant", "invalid_request"],
            statuses: &[400],
        },
    },
    Case {
        id: "code.redirect_uri_mismatch",
        title: "Code exchange with another redirect_uri than the authorization request's",
        spec: &[RFC6749_4_1_3],
        level: Level::Must,
        expected: "Refused: invalid_grant",
        target: StepKind::SignIn,
        vary: Variation::OtherRedirectUri,
        judge: Judge::Refused {
            errors: GRANT,
            statuses: &[400],
        },
    },
    Case {
        id: "auth.missing",
        title: "A confidential client's token request without client authentication",
        spec: &[RFC6749_3_2_1, RFC6749_5_2],
        level: Level::Must,
        expected: "Refused: invalid_client, 400 or 401",
        target: StepKind::ConfidentialClient,
        vary: Variation::NoClientAuth,
        judge: Judge::Refused {
            errors: CLIENT,
            statuses: &[400, 401],
        },
    },
    Case {
        id: "auth.assertion_expired",
        title: "Client assertion whose exp passed ten minutes ago",
        spec: &[RFC7523_3, RFC7523_3_2],
        level: Level::Must,
        expected: "Refused: invalid_client",
        target: StepKind::PrivateKeyJwt,
        vary: Variation::AssertionExpired,
        judge: Judge::Refused {
            errors: CLIENT,
            statuses: &[400, 401],
        },
    },
    Case {
        id: "auth.assertion_wrong_aud",
        title: "Client assertion addressed to another server",
        spec: &[RFC7523_3, RFC7523_3_2],
        level: Level::Must,
        expected: "Refused: invalid_client",
        target: StepKind::PrivateKeyJwt,
        vary: Variation::AssertionOtherAudience,
        judge: Judge::Refused {
            errors: CLIENT,
            statuses: &[400, 401],
        },
    },
    Case {
        id: "auth.assertion_other_key",
        title: "Client assertion signed by a key not in the client's key set",
        spec: &[RFC7523_3, RFC7523_3_2],
        level: Level::Must,
        expected: "Refused: invalid_client",
        target: StepKind::PrivateKeyJwt,
        vary: Variation::AssertionOtherKey,
        judge: Judge::Refused {
            errors: CLIENT,
            statuses: &[400, 401],
        },
    },
    Case {
        id: "auth.assertion_replay",
        title: "The same client assertion (same jti) sent twice",
        spec: &[RFC7523_3],
        level: Level::May,
        expected: "Either: replay protection is optional (refused: pass; accepted: info)",
        target: StepKind::PrivateKeyJwt,
        vary: Variation::AssertionReplay,
        judge: Judge::Optional {
            errors: CLIENT,
            note: "RFC 7523 makes replay detection of a client assertion's jti optional (MAY); OpenID Connect Core §9 expects single use.",
        },
    },
    Case {
        id: "te.subject_tampered",
        title: "Token exchange with a tampered subject_token",
        spec: &[RFC8693_2_1, RFC8693_2_2_2, IDJAG_4_3_4_3],
        level: Level::Must,
        expected: "Refused: invalid_request (RFC 8693) or invalid_grant (the ID-JAG draft's example, common servers)",
        target: StepKind::TokenExchange,
        vary: Variation::TamperSubject,
        judge: Judge::Refused {
            errors: SUBJECT,
            statuses: &[400],
        },
    },
    Case {
        id: "te.subject_type_mismatch",
        title: "Token exchange whose subject_token_type does not match the token",
        spec: &[RFC8693_2_1, RFC8693_2_2_2],
        level: Level::Must,
        expected: "Refused (the token is validated as the type it is said to be): invalid_request or invalid_grant",
        target: StepKind::TokenExchange,
        vary: Variation::SwapSubjectType,
        judge: Judge::Refused {
            errors: SUBJECT,
            statuses: &[400],
        },
    },
    Case {
        id: "jb.idjag_tampered",
        title: "JWT bearer grant with a tampered ID-JAG",
        spec: &[RFC7523_3, RFC7523_3_1],
        level: Level::Must,
        expected: "Refused: invalid_grant",
        target: StepKind::JwtBearer,
        vary: Variation::TamperAssertion,
        judge: Judge::Refused {
            errors: GRANT,
            statuses: &[400],
        },
    },
    Case {
        id: "jb.idjag_other_client",
        title: "A valid ID-JAG redeemed by another client than its client_id",
        spec: &[IDJAG_4_4_1],
        level: Level::Must,
        expected: "Refused: invalid_grant",
        target: StepKind::JwtBearer,
        vary: Variation::OtherClient,
        judge: Judge::Refused {
            errors: GRANT,
            statuses: &[400],
        },
    },
    Case {
        id: "jb.idjag_other_audience",
        title: "A valid ID-JAG for one authorization server redeemed at another",
        spec: &[RFC7523_3, IDJAG_4_4_1],
        level: Level::Must,
        expected: "Refused: invalid_grant",
        target: StepKind::JwtBearer,
        vary: Variation::OtherServer,
        judge: Judge::Refused {
            errors: GRANT,
            statuses: &[400],
        },
    },
    Case {
        id: "jb.idjag_replay",
        title: "The same ID-JAG redeemed twice",
        spec: &[RFC7523_3, IDJAG_4_4_3],
        level: Level::None,
        expected: "Either: the draft lets clients re-present an ID-JAG; a one-time jti is a server's choice",
        target: StepKind::JwtBearer,
        vary: Variation::SameTwice,
        judge: Judge::Either,
    },
    Case {
        id: "api.no_token",
        title: "API call without Authorization",
        spec: &[RFC6750_3, RFC6750_3_1, RFC9728_5_1],
        level: Level::Must,
        expected: "401 with WWW-Authenticate: Bearer, without an error attribute (SHOULD NOT)",
        target: StepKind::Api,
        vary: Variation::NoBearer,
        judge: Judge::Challenge,
    },
    Case {
        id: "api.bad_token",
        title: "API call with the access token tampered",
        spec: &[RFC9068_4, RFC6750_3_1],
        level: Level::Must,
        expected: "Refused: 401 invalid_token",
        target: StepKind::Api,
        vary: Variation::TamperBearer,
        judge: Judge::BadToken,
    },
    Case {
        id: "api.insufficient_scope",
        title: "API call with a method the token's scope does not cover",
        spec: &[RFC6750_3_1],
        level: Level::Should,
        expected: "403 insufficient_scope",
        target: StepKind::Api,
        vary: Variation::MethodBeyondScope,
        judge: Judge::Refused {
            errors: &["insufficient_scope"],
            statuses: &[403],
        },
    },
    Case {
        id: "introspect.no_auth",
        title: "Introspection without client authentication",
        spec: &[RFC7662_2_1, RFC7662_2_3],
        level: Level::Must,
        expected: "Refused: 401 (400 invalid_client: warn)",
        target: StepKind::Introspect,
        vary: Variation::NoClientAuth,
        judge: Judge::IntrospectionAuth,
    },
    Case {
        id: "revoke.unknown",
        title: "Revocation of a token the server never issued",
        spec: &[RFC7009_2_2],
        level: Level::None,
        expected: "200 (anything else: warn)",
        target: StepKind::Revoke,
        vary: Variation::UnknownToken,
        judge: Judge::Accepted,
    },
    Case {
        id: "api.after_revoke",
        title: "API call with the access token after its revocation",
        spec: &[RFC7009_2, RFC7009_2_1],
        level: Level::Should,
        expected: "401 invalid_token",
        target: StepKind::Api,
        vary: Variation::AfterRevoke,
        judge: Judge::Refused {
            errors: &["invalid_token"],
            statuses: &[401],
        },
    },
    Case {
        id: "introspect.revoked",
        title: "Introspection of a revoked token",
        spec: &[RFC7662_2_2],
        level: Level::Must,
        expected: "active: false",
        target: StepKind::Introspect,
        vary: Variation::AfterRevoke,
        judge: Judge::Inactive,
    },
];
