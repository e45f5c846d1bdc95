//! The demo tenant's command line: `--print-config` prints TOML that `--config` accepts and
//! that round-trips; an unknown key is an error naming it; a bad option says what to do.

use std::process::Command;

fn tenant(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_demo-tenant"))
        .args(args)
        .output()
        .expect("the demo tenant runs")
}

#[test]
fn print_config_round_trips_through_config() {
    let printed = tenant(&["--print-config"]);
    assert!(
        printed.status.success(),
        "{}",
        String::from_utf8_lossy(&printed.stderr)
    );
    let toml = String::from_utf8(printed.stdout).unwrap();
    assert!(
        toml.contains("[[clients]]"),
        "TOML, not debug output: {}",
        &toml[..200.min(toml.len())]
    );
    let dir = std::env::temp_dir().join(format!("atp-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("tenant.toml");
    std::fs::write(&file, &toml).unwrap();
    let again = tenant(&["--config", file.to_str().unwrap(), "--print-config"]);
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(
        String::from_utf8(again.stdout).unwrap(),
        toml,
        "the printed configuration round-trips"
    );

    std::fs::write(&file, format!("bogus_key = 1\n{toml}")).unwrap();
    let bad = tenant(&["--config", file.to_str().unwrap(), "--print-config"]);
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("bogus_key"), "the unknown key is named: {err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_unknown_option_is_a_clear_error() {
    let out = tenant(&["--frobnicate"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--frobnicate") && err.contains("--help"),
        "{err}"
    );
}

#[test]
fn a_base_url_or_cors_origin_that_is_not_one_is_a_clear_error() {
    for (args, says) in [
        (&["--base-url", "127.0.0.1:9400"][..], "the base URL"),
        (&["--base-url", "ftp://127.0.0.1"][..], "the base URL"),
        (
            &["--base-url", "http://127.0.0.1:9400/?x=1"][..],
            "the base URL",
        ),
        (
            &["--cors-origin", "http://127.0.0.1:8080/"][..],
            "the CORS origin",
        ),
        (
            &["--cors-origin", "http://127.0.0.1:8080/app"][..],
            "the CORS origin",
        ),
        (&["--cors-origin", "127.0.0.1:8080"][..], "the CORS origin"),
    ] {
        let out = tenant(&[args, &["--print-config"]].concat());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} is refused");
        assert!(
            err.contains(says) && err.contains(args[1]) && err.contains("such as"),
            "{args:?}: {err}"
        );
    }
    let ok = tenant(&[
        "--base-url",
        "http://127.0.0.1:9400/",
        "--cors-origin",
        "http://localhost:8080",
        "--print-config",
    ]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
}
