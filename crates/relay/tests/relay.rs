//! The relay binary against an in-process upstream: it forwards without Origin, Referer and
//! cookies; it is not an open proxy; it needs its key; it leaks nothing into its log.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use axum::extract::Request;
use axum::Router;

const APP: &str = "http://127.0.0.1:8080";

/// Each request the upstream received: headers, body, path with query, and method.
type Seen = Arc<Mutex<Vec<(Vec<(String, String)>, String, String, String)>>>;

async fn upstream() -> (String, Seen) {
    let seen: Seen = Arc::default();
    let rec = seen.clone();
    let app = Router::new().fallback(move |req: Request| {
        let rec = rec.clone();
        async move {
            let path = req.uri().path_and_query().unwrap().to_string();
            let method = req.method().to_string();
            let headers = req
                .headers()
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
                .collect();
            let body = String::from_utf8(
                axum::body::to_bytes(req.into_body(), 1 << 20)
                    .await
                    .unwrap()
                    .to_vec(),
            )
            .unwrap();
            rec.lock().unwrap().push((headers, body, path, method));
            (
                [
                    ("content-type", "application/json"),
                    ("set-cookie", "sid=1"),
                    ("set-cookie2", "sid=2"),
                    ("www-authenticate", "Basic"),
                    ("allow", "GET, POST, PUT, PATCH, DELETE"),
                ],
                r#"{"access_token":"SECRET-TOKEN-XYZ","token_type":"Bearer"}"#,
            )
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

struct Relay {
    child: Child,
    url: String,
    key: String,
}

fn start_relay(upstream: &str) -> Relay {
    let mut child = Command::new(env!("CARGO_BIN_EXE_relay"))
        .args([
            "--upstream",
            upstream,
            "--allow-origin",
            APP,
            "--port",
            "0",
            "--timeout",
            "2",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = lines
        .next()
        .unwrap()
        .unwrap()
        .trim_start_matches("relay listening on ")
        .to_string();
    let key = lines
        .next()
        .unwrap()
        .unwrap()
        .trim_start_matches("relay key: ")
        .to_string();
    std::thread::spawn(move || for _ in lines {});
    Relay { child, url, key }
}

impl Relay {
    fn log(mut self) -> String {
        self.child.kill().unwrap();
        let mut s = String::new();
        self.child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        s
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::new()
}

#[tokio::test]
async fn forwards_without_browser_headers_and_leaks_nothing() {
    let (up, seen) = upstream().await;
    let relay = start_relay(&up);
    let res = client()
        .post(format!("{}/", relay.url))
        .header("x-relay-key", &relay.key)
        .header("x-relay-target", format!("{up}/oauth2/v1/token"))
        .header("origin", APP)
        .header("referer", format!("{APP}/"))
        .header("cookie", "session=abc")
        .header("cookie2", "$Version=1")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials&client_secret=TOPSECRET")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["access-control-allow-origin"], APP);
    for name in ["set-cookie", "set-cookie2"] {
        assert!(res.headers().get(name).is_none(), "{name} is passed back");
    }
    assert_eq!(res.headers()["www-authenticate"], "Basic");
    assert!(res.text().await.unwrap().contains("SECRET-TOKEN-XYZ"));
    let (headers, body, _, _) = seen.lock().unwrap()[0].clone();
    let names: Vec<&str> = headers.iter().map(|(k, _)| k.as_str()).collect();
    for banned in [
        "origin",
        "referer",
        "cookie",
        "cookie2",
        "x-relay-key",
        "x-relay-target",
    ] {
        assert!(
            !names.contains(&banned),
            "{banned} was forwarded: {names:?}"
        );
    }
    assert!(names.contains(&"content-type"));
    assert_eq!(
        body,
        "grant_type=client_credentials&client_secret=TOPSECRET"
    );

    // A GET with a token in the query.
    let res = client()
        .get(format!("{}/", relay.url))
        .header("x-relay-key", &relay.key)
        .header(
            "x-relay-target",
            format!("{up}/tokeninfo?access_token=QUERYSECRET"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let key = relay.key.clone();
    let log = relay.log();
    assert!(
        log.contains("POST") && log.contains("/oauth2/v1/token -> 200"),
        "{log}"
    );
    for secret in [
        "TOPSECRET",
        "SECRET-TOKEN-XYZ",
        "QUERYSECRET",
        "session=abc",
        key.as_str(),
    ] {
        assert!(!log.contains(secret), "the relay log leaks {secret}: {log}");
    }
}

#[tokio::test]
async fn refuses_without_key_outside_the_allow_list_and_other_origins() {
    let (up, seen) = upstream().await;
    let relay = start_relay(&up);
    let send = |key: Option<&str>, target: String, origin: &str| {
        let mut b = client()
            .post(format!("{}/", relay.url))
            .header("x-relay-target", target)
            .header("origin", origin.to_string());
        if let Some(k) = key {
            b = b.header("x-relay-key", k.to_string());
        }
        b.body("x=1").send()
    };
    let res = send(None, format!("{up}/token"), APP).await.unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(
        res.headers()["access-control-allow-origin"],
        APP,
        "the app can read why"
    );
    assert!(res.text().await.unwrap().contains("relay_key_required"));
    let res = send(Some("wrong"), format!("{up}/token"), APP)
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    assert!(
        res.text().await.unwrap().contains("relay_key_invalid"),
        "a wrong key is told apart from a missing one"
    );
    for target in [
        "http://127.0.0.1:1/token".to_string(),
        "http://127.0.0.1.evil.example/x".to_string(),
        format!("{up}@evil.example/x"),
        "https://example.com/".into(),
    ] {
        let res = send(Some(&relay.key), target.clone(), APP).await.unwrap();
        assert_eq!(res.status(), 403, "{target}");
        assert!(res.text().await.unwrap().contains("not an open proxy"));
    }
    // With the upstream's port, this one does not even parse: a port cannot hold a dot.
    let res = send(Some(&relay.key), format!("{up}.evil.example/x"), APP)
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("not an absolute URL"));
    let res = send(
        Some(&relay.key),
        format!("{up}/token"),
        "https://evil.example",
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 403);
    assert!(res.headers().get("access-control-allow-origin").is_none());
    assert!(
        seen.lock().unwrap().is_empty(),
        "nothing reached the upstream"
    );

    // The preflight for the app's origin allows the relay headers.
    let res = client()
        .request(reqwest::Method::OPTIONS, format!("{}/", relay.url))
        .header("origin", APP)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "x-relay-key,x-relay-target,content-type",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert!(res.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .contains("x-relay-key"));
    drop(relay.log());
}

#[tokio::test]
async fn an_unreachable_upstream_is_a_clear_error() {
    let relay = start_relay("http://127.0.0.1:9");
    let res = client()
        .post(format!("{}/", relay.url))
        .header("x-relay-key", &relay.key)
        .header("x-relay-target", "http://127.0.0.1:9/token")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 502);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("relay_upstream_unreachable"));
    drop(relay.log());
}

#[tokio::test]
async fn a_base_path_upstream_cannot_be_left_by_dot_segments() {
    let (up, seen) = upstream().await;
    let relay = start_relay(&format!("{up}/oauth2"));
    for target in [
        "/oauth2/../admin",
        "/oauth2/%2e%2e/admin",
        "/oauth2/.%2e/admin",
        "/oauth2/%2e%2e%2fadmin",
        "/oauth2x/token",
    ] {
        let res = client()
            .get(format!("{}/", relay.url))
            .header("x-relay-key", &relay.key)
            .header("x-relay-target", format!("{up}{target}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "{target}");
    }
    assert!(
        seen.lock().unwrap().is_empty(),
        "nothing reached the upstream"
    );
    // Inside the base once resolved, but not written the way it is read: refused, with the
    // URL to send instead; that one is forwarded.
    let res = client()
        .get(format!("{}/", relay.url))
        .header("x-relay-key", &relay.key)
        .header("x-relay-target", format!("{up}/oauth2/x/../v1/keys"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let text = res.text().await.unwrap();
    assert!(
        text.contains("target_invalid") && text.contains(&format!("send {up}/oauth2/v1/keys")),
        "{text}"
    );
    assert!(
        seen.lock().unwrap().is_empty(),
        "nothing reached the upstream"
    );
    let res = client()
        .get(format!("{}/", relay.url))
        .header("x-relay-key", &relay.key)
        .header("x-relay-target", format!("{up}/oauth2/v1/keys"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(seen.lock().unwrap()[0].2, "/oauth2/v1/keys");
    drop(relay.log());
}

#[tokio::test]
async fn odd_targets_are_refused_with_what_to_send_and_an_at_sign_stays_in_the_query() {
    let (up, seen) = upstream().await;
    let relay = start_relay(&up);
    let send = |target: reqwest::header::HeaderValue| {
        client()
            .get(format!("{}/", relay.url))
            .header("x-relay-key", &relay.key)
            .header("x-relay-target", target)
            .send()
    };
    // A URL parser drops the tab; the relay must not forward what it did not check. (White
    // space at either end of a header value is not part of it: HTTP trims it on the way.)
    let tab = format!("{up}/pa\tth");
    let res = send(tab.parse().unwrap()).await.unwrap();
    assert_eq!(res.status(), 400, "{tab:?}");
    let text = res.text().await.unwrap();
    assert!(
        text.contains("target_invalid")
            && text.contains("a tab at character")
            && text.contains("%09"),
        "{text}"
    );
    for odd in [format!("{up}/pa th"), format!("{up}/path?q=a b")] {
        let res = send(odd.parse().unwrap()).await.unwrap();
        assert_eq!(res.status(), 400, "{odd:?}");
    }
    // Bytes that are not text (obs-text in a header) and text a parser would re-escape.
    let mut raw = format!("{up}/caf").into_bytes();
    raw.push(0xE9);
    let res = send(reqwest::header::HeaderValue::from_bytes(&raw).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("is not text"));
    let res = send(
        reqwest::header::HeaderValue::from_bytes(format!("{up}/caf\u{e9}").as_bytes()).unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 400);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains(&format!("send {up}/caf%C3%A9")));
    assert!(
        seen.lock().unwrap().is_empty(),
        "nothing reached the upstream"
    );

    // An at sign after the path is part of the query: the allowed host gets the request.
    let res = send(format!("{up}/path?@evil.example").parse().unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(seen.lock().unwrap()[0].2, "/path?@evil.example");
    // The base alone, without its slash, is the same request as with it.
    let res = send(up.parse().unwrap()).await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(seen.lock().unwrap()[1].2, "/");
    drop(relay.log());
}

#[tokio::test]
async fn forwards_each_method_the_app_sends_and_refuses_others_clearly() {
    let (up, seen) = upstream().await;
    let relay = start_relay(&up);
    for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
        let body = if method == "GET" { "" } else { "m=1" };
        let res = client()
            .request(method.parse().unwrap(), format!("{}/", relay.url))
            .header("x-relay-key", &relay.key)
            .header("x-relay-target", format!("{up}/api/v1/things/1"))
            .header("origin", APP)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{method}");
        // The upstream's challenge and allowed methods reach the page.
        let exposed = res.headers()["access-control-expose-headers"]
            .to_str()
            .unwrap()
            .to_string();
        for name in ["www-authenticate", "allow"] {
            assert!(exposed.split(", ").any(|n| n == name), "{exposed}");
        }
        assert_eq!(res.headers()["www-authenticate"], "Basic");
        assert_eq!(res.headers()["allow"], "GET, POST, PUT, PATCH, DELETE");
        let (_, got, path, seen_method) = seen.lock().unwrap().last().unwrap().clone();
        assert_eq!(
            (seen_method.as_str(), got.as_str(), path.as_str()),
            (method, body, "/api/v1/things/1")
        );
    }

    // The preflight allows each of them.
    let res = client()
        .request(reqwest::Method::OPTIONS, format!("{}/", relay.url))
        .header("origin", APP)
        .header("access-control-request-method", "PATCH")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let allowed = res.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .to_string();
    for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
        assert!(allowed.split(", ").any(|m| m == method), "{allowed}");
    }

    // Others are refused, saying which are relayed.
    let before = seen.lock().unwrap().len();
    for method in ["HEAD", "TRACE", "PROPFIND"] {
        let res = client()
            .request(method.parse().unwrap(), format!("{}/", relay.url))
            .header("x-relay-key", &relay.key)
            .header("x-relay-target", format!("{up}/api/v1/things/1"))
            .header("origin", APP)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 405, "{method}");
        assert_eq!(res.headers()["allow"], "GET, POST, PUT, PATCH, DELETE");
        let text = res.text().await.unwrap();
        if method != "HEAD" {
            assert!(
                text.contains("forwards GET, POST, PUT, PATCH, DELETE")
                    && text.contains(&format!("{method} is not relayed")),
                "{text}"
            );
        }
    }
    assert_eq!(
        seen.lock().unwrap().len(),
        before,
        "nothing more reached the upstream"
    );
    drop(relay.log());
}
