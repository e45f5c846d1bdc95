//! Code export, checked with each language's own tools: the token-exchange request as cURL,
//! HTTPie, Python `requests`, JavaScript `fetch` and Go `net/http` is run against the demo tenant
//! (over HTTP on loopback) with a freshly signed assertion in `CLIENT_ASSERTION`, and must get an
//! ID-JAG, and so is the Rust `reqwest` snippet, built as a crate of its own.

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
    run_with(program, args, aud, &[])
}

/// [`run`] with more environment variables.
fn run_with(program: &str, args: &[&str], aud: &str, env: &[(&str, PathBuf)]) -> String {
    let ClientAuth::PrivateKeyJwt { assertion, .. } = agent_auth(aud) else {
        unreachable!()
    };
    let out = Command::new(program)
        .args(args)
        .env(ASSERTION_VAR, assertion.expose())
        .envs(env.iter().map(|(k, v)| (k, v)))
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
async fn each_snippet_runs_with_its_own_tool() {
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
        let go = run_go(&code(Language::Go), &t);
        let rust = run_rust(&code(Language::Rust), &t);
        [curl, http, python, fetch, go, rust]
    })
    .await
    .unwrap();
    for out in &outputs {
        issued(out);
    }
}

/// Builds and runs a Rust program as a crate of its own, with reqwest's blocking client at the
/// version of this workspace's Cargo.lock (offline: `./test` has fetched it); its build lives in
/// target/ so later runs are fast.
fn run_rust(program: &str, aud: &str) -> String {
    let dir = root().join("target/rust-snippet");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"snippet\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n\
         [dependencies]\nreqwest = { version = \"0.12\", default-features = false, features = [\"blocking\"] }\n\n\
         [workspace]\n",
    )
    .unwrap();
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    std::fs::write(dir.join("src/main.rs"), program).unwrap();
    let manifest = dir.join("Cargo.toml");
    let args = [
        "run",
        "--quiet",
        "--offline",
        "--manifest-path",
        manifest.to_str().unwrap(),
    ];
    run_with(
        "cargo",
        &args,
        aud,
        &[("CARGO_TARGET_DIR", dir.join("target"))],
    )
}

/// Runs a Go program with `go run` (Debian's Go, installed by scripts/setup --browser); the
/// build cache lives in target/ so later runs are fast.
fn run_go(program: &str, aud: &str) -> String {
    let dir = root().join(format!("target/go-snippet-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("main.go");
    std::fs::write(&file, program).unwrap();
    let cache = root().join("target/go");
    let env = [
        ("GOCACHE", cache.join("cache")),
        ("GOPATH", cache.join("path")),
    ];
    let out = run_with("go", &["run", file.to_str().unwrap()], aud, &env);
    let _ = std::fs::remove_dir_all(&dir);
    out
}
