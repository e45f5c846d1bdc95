//! Runs rendered cURL commands through a real POSIX shell, with `curl` replaced by a
//! recorder, and checks that the exact bytes of every value arrive as arguments.

use std::path::PathBuf;
use std::process::Command;

use protocol_wire::curl::render;
use protocol_wire::request::{HttpRequest, Method, Param};

fn recorder_dir() -> PathBuf {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(make_recorder).clone()
}

fn make_recorder() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("curl-recorder-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("curl");
    // Writes each argument followed by a NUL byte, so any byte sequence is recoverable.
    std::fs::write(
        &script,
        "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\0' \"$a\"; done > \"$RECORD\"\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    dir
}

fn run_through_shell(req: &HttpRequest) -> Vec<String> {
    let dir = recorder_dir();
    let record = dir.join(format!("args-{:?}", std::thread::current().id()));
    let status = Command::new("sh")
        .arg("-c")
        .arg(render(req, true))
        .env(
            "PATH",
            format!(
                "{}:{}",
                dir.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .env("RECORD", &record)
        .env("HOME", "/should-not-expand")
        .status()
        .expect("sh runs");
    assert!(status.success());
    let bytes = std::fs::read(&record).unwrap();
    bytes
        .split(|b| *b == 0)
        .filter(|s| !s.is_empty())
        .map(|s| String::from_utf8(s.to_vec()).unwrap())
        .collect()
}

const ADVERSARIAL: &[&str] = &[
    "it's",
    "'; rm -rf / #",
    "$HOME ${HOME} $(id) `id`",
    "line1\nline2\r\n",
    "tab\there \\ back\\slash",
    "unicode ✓ émoji 🤖 ‹›",
    "\"double\" quotes & ampersand | pipe > redirect",
    "!history !! event",
    "",
    "=leading equals",
];

#[test]
fn every_adversarial_value_arrives_exactly() {
    for value in ADVERSARIAL {
        let mut r = HttpRequest::new("t", Method::Post, "https://h.example/token?x='y'");
        r.headers.push(Param::public("X-Test", value));
        r.form.push(Param::secret("subject_token", value));
        r.form.push(Param::public("scope", value));
        let args = run_through_shell(&r);
        assert_eq!(args[0], "--request");
        assert_eq!(args[3], "https://h.example/token?x='y'");
        assert_eq!(args[5], format!("X-Test: {value}"), "header for {value:?}");
        assert_eq!(
            args[7],
            format!("subject_token={value}"),
            "form value for {value:?}"
        );
        assert_eq!(args[9], format!("scope={value}"));
    }
}

#[test]
fn get_query_values_arrive_exactly() {
    for value in ADVERSARIAL {
        let r = protocol_wire::requests::tokeninfo("https://h/tokeninfo", value);
        let args = run_through_shell(&r);
        assert_eq!(
            args,
            [
                "--get",
                "--url",
                "https://h/tokeninfo",
                "--data-urlencode",
                &format!("access_token={}", value.trim())
            ]
        );
    }
}
