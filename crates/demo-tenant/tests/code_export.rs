//! Code export, checked with each language's own tools: the token-exchange request as cURL,
//! HTTPie, Python `requests` and JavaScript `fetch` is run against the demo tenant (over HTTP on
//! loopback) with a freshly signed assertion in `CLIENT_ASSERTION`, and must get an ID-JAG; the
//! Rust snippet must parse (`syn`); the Go snippet has no tool on the package registries, so its
//! shape is checked.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::*;
use protocol::client_auth::ClientAuth;
use protocol::codegen::{render, Language, ASSERTION_VAR};
use protocol::constants::TOKEN_TYPE_ID_JAG;
use protocol::requests;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `program args` with a fresh assertion for `aud` in the environment; returns stdout.
fn run(program: &str, args: &[&str], aud: &str) -> String {
    let ClientAuth::PrivateKeyJwt { assertion, .. } = agent_auth(aud) else {
        unreachable!()
    };
    let out = Command::new(program)
        .args(args)
        .env(ASSERTION_VAR, assertion)
        .output()
        .unwrap_or_else(|e| panic!("{program} could not run ({e}); scripts/setup installs it"));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{program} failed: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

#[tokio::test]
async fn each_snippet_runs_or_parses_with_its_own_tool() {
    let r = start(Via::Http).await;
    let user = sign_in(&r).await;
    let token = r.org().token;
    let x = id_jag_exchange(&user.id_token, &r.files().issuer, "files.read");
    let used = ClientAuth::PrivateKeyJwt {
        client_id: None,
        assertion: "an.assertion.already-used".into(),
    };
    let req = requests::token_exchange(&token, &x, &used);
    let code = move |lang| render(&req, lang, true);
    let issued = |out: &str| {
        assert!(out.contains(TOKEN_TYPE_ID_JAG), "no ID-JAG issued: {out}");
    };
    // The tools run concurrently with the tenant's runtime: each on a blocking thread.
    let t = token.clone();
    let outputs = tokio::task::spawn_blocking(move || {
        let curl = run("sh", &["-c", &code(Language::Curl)], &t);
        let httpie = root().join("tools/python/bin/http");
        let http_cmd = code(Language::Httpie).replacen(
            "http ",
            &format!("{} --ignore-stdin ", httpie.display()),
            1,
        );
        let http = run("sh", &["-c", &http_cmd], &t);
        let python = run(
            root().join("tools/python/bin/python").to_str().unwrap(),
            &["-c", &code(Language::Python)],
            &t,
        );
        let fetch = run(
            "node",
            &["--input-type=module", "-e", &code(Language::Fetch)],
            &t,
        );
        [curl, http, python, fetch]
    })
    .await
    .unwrap();
    for out in &outputs {
        issued(out);
    }
    let req = requests::token_exchange(&token, &x, &used);
    syn::parse_file(&render(&req, Language::Rust, true)).expect("the Rust snippet parses");
    let go = render(&req, Language::Go, true);
    assert!(go.contains("package main") && go.contains("os.Getenv(\"CLIENT_ASSERTION\")"));
    assert_eq!(go.matches('{').count(), go.matches('}').count(), "{go}");
    assert_eq!(go.matches('(').count(), go.matches(')').count(), "{go}");
}
