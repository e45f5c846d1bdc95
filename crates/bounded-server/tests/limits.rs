//! The bounds hold against slow and greedy clients: a silent connection, headers sent a byte at
//! a time, more connections than allowed, and slow or oversized bodies.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::Request;
use axum::Router;
use bounded_server::{read_body, serve, BodyError, Limits};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const LIMITS: Limits = Limits {
    max_connections: 2,
    first_byte: Duration::from_millis(300),
    headers: Duration::from_millis(300),
    lifetime: Duration::from_secs(5),
    grace: Duration::from_secs(1),
};

async fn start() -> String {
    let app = Router::new().fallback(|req: Request| async move {
        match read_body(req.into_body(), 16, Duration::from_millis(300)).await {
            Ok(b) => format!("got {} bytes", b.len()),
            Err(e) => e.to_string(),
        }
    });
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    tokio::spawn(serve(listener, app, LIMITS));
    addr
}

/// Reads until the server closes the connection; returns what it sent and when it closed.
async fn until_closed(s: &mut TcpStream) -> (String, Duration) {
    let started = Instant::now();
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(3), s.read_to_end(&mut out)).await;
    (
        String::from_utf8_lossy(&out).into_owned(),
        started.elapsed(),
    )
}

#[tokio::test]
async fn a_silent_connection_is_closed_after_the_first_byte_timeout() {
    let addr = start().await;
    let mut s = TcpStream::connect(&addr).await.unwrap();
    let (_, took) = until_closed(&mut s).await;
    assert!(took < Duration::from_secs(2), "closed after {took:?}");
}

#[tokio::test]
async fn the_first_byte_timeout_holds_on_its_own() {
    let app = Router::new().fallback(|| async { "ok" });
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let limits = Limits {
        headers: Duration::from_secs(5),
        ..LIMITS
    };
    tokio::spawn(serve(listener, app, limits));
    let mut s = TcpStream::connect(&addr).await.unwrap();
    let (_, took) = until_closed(&mut s).await;
    assert!(
        took < Duration::from_secs(1),
        "closed after {took:?}, not after the first-byte timeout"
    );
}

#[tokio::test]
async fn headers_trickled_in_are_cut_off() {
    let addr = start().await;
    let mut s = TcpStream::connect(&addr).await.unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let started = Instant::now();
    for _ in 0..20 {
        if s.write_all(b"X-Slow: 1\r\n").await.is_err() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (_, _) = until_closed(&mut s).await;
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "still open after {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn connections_beyond_the_cap_are_refused_and_others_still_served() {
    let addr = start().await;
    let _a = TcpStream::connect(&addr).await.unwrap();
    let _b = TcpStream::connect(&addr).await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let mut c = TcpStream::connect(&addr).await.unwrap();
    let (text, took) = until_closed(&mut c).await;
    assert!(
        text.is_empty() && took < Duration::from_millis(250),
        "a third connection is dropped at once"
    );
    // Once the idle ones time out, the server answers again.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let mut d = TcpStream::connect(&addr).await.unwrap();
    d.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let (text, _) = until_closed(&mut d).await;
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
}

#[tokio::test]
async fn bodies_are_bounded_in_size_and_time() {
    let addr = start().await;
    let mut s = TcpStream::connect(&addr).await.unwrap();
    s.write_all(b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 40\r\n\r\n0123456789012345678901234567890123456789")
        .await
        .unwrap();
    assert!(until_closed(&mut s)
        .await
        .0
        .contains("larger than 16 bytes"));

    let mut s = TcpStream::connect(&addr).await.unwrap();
    s.write_all(
        b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 10\r\n\r\n012",
    )
    .await
    .unwrap();
    assert!(until_closed(&mut s)
        .await
        .0
        .contains("did not arrive within"));
}

#[tokio::test]
async fn a_request_in_flight_when_the_lifetime_ends_gets_its_answer_then_the_connection_closes() {
    let app = Router::new().fallback(|| async {
        tokio::time::sleep(Duration::from_millis(400)).await;
        "slow answer"
    });
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let limits = Limits {
        lifetime: Duration::from_millis(300),
        ..LIMITS
    };
    tokio::spawn(serve(listener, app, limits));
    let mut s = TcpStream::connect(&addr).await.unwrap();
    // Keep-alive: only the server's lifetime ends this connection.
    s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let (text, took) = until_closed(&mut s).await;
    assert!(
        text.starts_with("HTTP/1.1 200") && text.ends_with("slow answer"),
        "the answer arrives whole: {text:?}"
    );
    assert!(
        text.to_ascii_lowercase().contains("connection: close"),
        "{text}"
    );
    assert!(took < Duration::from_secs(1), "closed after {took:?}");
}

#[tokio::test]
async fn a_connection_past_its_lifetime_answers_with_connection_close_instead_of_vanishing() {
    let app = Router::new().fallback(|| async { "ok" });
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let limits = Limits {
        lifetime: Duration::from_millis(300),
        // hyper's header timeout also closes idle keep-alive connections.
        headers: Duration::from_secs(2),
        ..LIMITS
    };
    tokio::spawn(serve(listener, app, limits));
    let mut s = TcpStream::connect(&addr).await.unwrap();
    let request = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    s.write_all(request).await.unwrap();
    let mut first = [0u8; 512];
    let n = s.read(&mut first).await.unwrap();
    let first = String::from_utf8_lossy(&first[..n]).to_ascii_lowercase();
    assert!(
        first.starts_with("http/1.1 200") && !first.contains("connection: close"),
        "{first}"
    );
    // Idle past the lifetime, the client sends again on the same connection: it is
    // answered, told not to reuse the connection, and the connection closes.
    tokio::time::sleep(Duration::from_millis(400)).await;
    s.write_all(request).await.unwrap();
    let (second, took) = until_closed(&mut s).await;
    let second = second.to_ascii_lowercase();
    assert!(
        second.starts_with("http/1.1 200") && second.contains("connection: close"),
        "{second}"
    );
    assert!(took < Duration::from_millis(500), "closed after {took:?}");
}

#[tokio::test]
async fn read_body_names_each_failure() {
    assert_eq!(
        read_body(Body::from("x".repeat(17)), 16, Duration::from_secs(1)).await,
        Err(BodyError::TooLarge(16))
    );
    assert_eq!(
        read_body(Body::from("ok"), 16, Duration::from_secs(1))
            .await
            .unwrap(),
        "ok"
    );
}
