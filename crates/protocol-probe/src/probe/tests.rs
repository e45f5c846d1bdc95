//! The judges on answers made up here, the plan of each flow, and the report's JSON (the
//! battery itself runs against the demo tenant and a lax server in the tenant's tests).

use super::judge::{judge, Seen};
use super::*;
use protocol_engine::engine::{Exchange, Ran};
use protocol_engine::flow::{PresetEnv, PresetKind};
use protocol_wire::request::{HttpRequest, Method, Param};
use protocol_wire::response::HttpCapture;

fn exchange(status: u16, headers: &[(&str, &str)], body: &str, bearer: Option<&str>) -> Exchange {
    let mut request = HttpRequest::new("t", Method::Get, "https://api.example/docs");
    if let Some(b) = bearer {
        request
            .headers
            .push(Param::secret("Authorization", &format!("Bearer {b}")));
    }
    Exchange {
        at: String::new(),
        request,
        result: Ok(HttpCapture {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: body.into(),
        }),
        ms: 0,
        via: None,
    }
}

fn verdict_of(id: &str, x: Exchange, cross_origin: bool) -> (Got, Verdict, String) {
    let ran = Ran {
        exchanges: vec![x],
        ..Ran::default()
    };
    judge(
        Case::by_id(id).unwrap(),
        &Seen {
            ran: &ran,
            cross_origin,
        },
    )
}

#[test]
fn the_error_code_comes_from_the_body_or_the_challenge() {
    let body = exchange(400, &[], r#"{"error":"invalid_grant"}"#, None);
    assert_eq!(Got::of(&body).shown(), "400 invalid_grant");
    let challenge = exchange(
        401,
        &[(
            "www-authenticate",
            r#"Bearer realm="x", error="invalid_token", error_description="expired""#,
        )],
        "",
        None,
    );
    assert_eq!(Got::of(&challenge).error.as_deref(), Some("invalid_token"));
}

#[test]
fn a_refusal_with_the_named_code_passes_and_another_code_or_a_crash_warns() {
    let pass = verdict_of(
        "code.reuse",
        exchange(400, &[], r#"{"error":"invalid_grant"}"#, None),
        false,
    );
    assert_eq!(pass.1, Verdict::Pass);
    let other = verdict_of(
        "code.reuse",
        exchange(400, &[], r#"{"error":"invalid_request"}"#, None),
        false,
    );
    assert_eq!(other.1, Verdict::Warn);
    assert!(other.2.contains("invalid_grant"), "{}", other.2);
    let crash = verdict_of("code.reuse", exchange(500, &[], "oops", None), false);
    assert_eq!(crash.1, Verdict::Warn);
    let accepted = verdict_of("code.reuse", exchange(200, &[], "{}", None), false);
    assert_eq!(accepted.1, Verdict::Fail);
    // What only a SHOULD covers warns when accepted.
    let revoked = verdict_of("api.after_revoke", exchange(200, &[], "{}", None), false);
    assert_eq!(revoked.1, Verdict::Warn);
    assert!(revoked.2.contains("self-contained"), "{}", revoked.2);
}

#[test]
fn subject_token_refusals_name_which_code_the_server_used() {
    let grant = verdict_of(
        "te.subject_tampered",
        exchange(400, &[], r#"{"error":"invalid_grant"}"#, None),
        false,
    );
    assert_eq!(grant.1, Verdict::Pass);
    assert!(grant.2.contains("used invalid_grant"), "{}", grant.2);
    let request = verdict_of(
        "te.subject_tampered",
        exchange(400, &[], r#"{"error":"invalid_request"}"#, None),
        false,
    );
    assert_eq!(request.1, Verdict::Pass);
}

#[test]
fn a_missing_token_needs_a_bearer_challenge_without_an_error() {
    let bare = [(
        "www-authenticate",
        r#"Bearer realm="api", resource_metadata="https://api/.well-known/oauth-protected-resource""#,
    )];
    let (_, v, note) = verdict_of("api.no_token", exchange(401, &bare, "", None), false);
    assert_eq!(v, Verdict::Pass);
    assert!(note.contains("RFC 9728"), "{note}");
    let with_error = [("www-authenticate", r#"Bearer error="invalid_token""#)];
    assert_eq!(
        verdict_of("api.no_token", exchange(401, &with_error, "", None), false).1,
        Verdict::Warn
    );
    // No header: absent (fail) where all headers are readable, unexposed (warn) across origins.
    assert_eq!(
        verdict_of("api.no_token", exchange(401, &[], "", None), false).1,
        Verdict::Fail
    );
    let (_, v, note) = verdict_of("api.no_token", exchange(401, &[], "", None), true);
    assert_eq!(v, Verdict::Warn);
    assert!(note.contains("not exposed to the browser"), "{note}");
    assert_eq!(
        verdict_of("api.no_token", exchange(200, &[], "{}", None), false).1,
        Verdict::Fail
    );
}

#[test]
fn a_tampered_jwt_access_token_must_get_invalid_token_an_opaque_one_should() {
    let jwt = Some("a.b.c");
    let forbidden = [("www-authenticate", r#"Bearer error="insufficient_scope""#)];
    assert_eq!(
        verdict_of("api.bad_token", exchange(403, &forbidden, "", jwt), false).1,
        Verdict::Fail
    );
    assert_eq!(
        verdict_of(
            "api.bad_token",
            exchange(403, &forbidden, "", Some("opaque")),
            false
        )
        .1,
        Verdict::Warn
    );
    let invalid = [("www-authenticate", r#"Bearer error="invalid_token""#)];
    assert_eq!(
        verdict_of("api.bad_token", exchange(401, &invalid, "", jwt), false).1,
        Verdict::Pass
    );
    assert_eq!(
        verdict_of("api.bad_token", exchange(400, &invalid, "", jwt), false).1,
        Verdict::Warn
    );
}

#[test]
fn introspection_and_revocation_answers() {
    assert_eq!(
        verdict_of("introspect.no_auth", exchange(401, &[], "", None), false).1,
        Verdict::Pass
    );
    assert_eq!(
        verdict_of(
            "introspect.no_auth",
            exchange(400, &[], r#"{"error":"invalid_client"}"#, None),
            false
        )
        .1,
        Verdict::Warn
    );
    assert_eq!(
        verdict_of(
            "introspect.no_auth",
            exchange(200, &[], r#"{"active":false}"#, None),
            false
        )
        .1,
        Verdict::Fail
    );
    assert_eq!(
        verdict_of(
            "introspect.revoked",
            exchange(200, &[], r#"{"active":false}"#, None),
            false
        )
        .1,
        Verdict::Pass
    );
    assert_eq!(
        verdict_of(
            "introspect.revoked",
            exchange(200, &[], r#"{"active":true}"#, None),
            false
        )
        .1,
        Verdict::Fail
    );
    assert_eq!(
        verdict_of("revoke.unknown", exchange(200, &[], "", None), false).1,
        Verdict::Pass
    );
    assert_eq!(
        verdict_of(
            "revoke.unknown",
            exchange(400, &[], r#"{"error":"invalid_request"}"#, None),
            false
        )
        .1,
        Verdict::Warn
    );
}

#[test]
fn optional_and_either_cases_are_info_when_accepted() {
    assert_eq!(
        verdict_of(
            "auth.assertion_replay",
            exchange(200, &[], "{}", None),
            false
        )
        .1,
        Verdict::Info
    );
    assert_eq!(
        verdict_of(
            "auth.assertion_replay",
            exchange(401, &[], r#"{"error":"invalid_client"}"#, None),
            false
        )
        .1,
        Verdict::Pass
    );
    assert_eq!(
        verdict_of(
            "jb.idjag_replay",
            exchange(400, &[], r#"{"error":"invalid_grant"}"#, None),
            false
        )
        .1,
        Verdict::Info
    );
}

#[test]
fn a_redirect_to_the_unregistered_uri_fails_and_none_passes() {
    let case = Case::by_id("authz.redirect_unregistered").unwrap();
    let quiet = Ran {
        outcome: protocol_catalogue::flows::StepOutcome::failed(protocol_engine::engine::NO_ANSWER),
        ..Ran::default()
    };
    let seen = |ran| Seen {
        ran,
        cross_origin: false,
    };
    assert_eq!(judge(case, &seen(&quiet)).1, Verdict::Pass);
    let redirected = Ran {
        answer: Some(protocol_engine::engine::Answer::Code),
        ..Ran::default()
    };
    assert_eq!(judge(case, &seen(&redirected)).1, Verdict::Fail);
}

#[test]
fn each_flow_plans_the_cases_it_has_steps_for() {
    let env = PresetEnv {
        demo_org: "http://127.0.0.1:9400".into(),
        redirect_uri: "http://127.0.0.1:8080/".into(),
    };
    let agentic = &protocol_catalogue::flows::agentic::FLOW;
    let p = plan(
        agentic,
        &agentic.preset(PresetKind::LocalDemo, &env).unwrap(),
    );
    assert!(p.not_applicable.is_empty(), "{:?}", p.not_applicable);
    assert_eq!(p.cases.len(), CASES.len());
    // One sign-in for the normal run, one per code case.
    assert_eq!(p.sign_ins, 7);
    assert_eq!(p.sign_ins, 1 + SIGN_IN_CASES);
    let servers: Vec<&str> = p.servers.iter().map(|(k, _, _)| k.as_str()).collect();
    assert_eq!(servers, ["idp", "resource_as", "api"]);
    let obo = &protocol_catalogue::flows::obo::FLOW;
    let p = plan(obo, &obo.preset(PresetKind::LocalDemo, &env).unwrap());
    assert!(p
        .not_applicable
        .iter()
        .any(|(c, why)| c.id == "jb.idjag_tampered" && why.contains("JWT bearer")));
}

/// The "Probe this server" bar (first load, src/ui/probe_bar.rs) names every server of the
/// flow without the plan, which is in a chunk: true while every flow's cases vary every one of
/// its servers, under every preset. A flow where they do not needs the bar to say less.
#[test]
fn every_flow_probes_every_one_of_its_servers() {
    let env = PresetEnv {
        demo_org: "http://127.0.0.1:9400".into(),
        redirect_uri: "http://127.0.0.1:8080/".into(),
    };
    let kinds = [
        PresetKind::BuiltInDemo,
        PresetKind::LocalDemo,
        PresetKind::Okta,
        PresetKind::PingOne,
        PresetKind::Generic,
    ];
    for def in protocol_catalogue::flows::ALL {
        for kind in kinds {
            let Some(config) = def.preset(kind, &env) else {
                continue;
            };
            let mut planned: Vec<String> = plan(def, &config)
                .servers
                .into_iter()
                .map(|(k, _, _)| k)
                .collect();
            planned.sort();
            let mut all: Vec<&str> = def.servers.iter().map(|r| r.key).collect();
            all.sort();
            assert_eq!(planned, all, "{} under {kind:?}", def.id);
        }
    }
}

#[test]
fn case_ids_are_unique_and_every_case_cites_a_section() {
    let mut ids: Vec<&str> = CASES.iter().map(|c| c.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), CASES.len());
    for c in CASES {
        assert!(!c.spec.is_empty(), "{}", c.id);
        for s in c.spec {
            assert!(
                s.url.starts_with("https://") && s.url.contains("#"),
                "{}",
                s.url
            );
            if s.label.contains("ID-JAG") {
                assert!(s.label.contains("-03 §"), "{}", s.label);
            }
        }
    }
}
