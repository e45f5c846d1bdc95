//! Serves an axum [`Router`] with everything bounded: at most `max_connections` at once
//! (further ones are closed at once, before they can exhaust file descriptors), a client
//! that sends nothing is dropped after `first_byte`, headers must arrive within `headers`,
//! a connection lives at most `lifetime` (answers after it carry `Connection: close`, so the
//! client does not reuse it; `grace` later it is shut down, a request in flight first getting
//! its answer, and `grace` after that it is cut), and [`read_body`] bounds a body's size and
//! time.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::header::{HeaderValue, CONNECTION};
use axum::response::Response;
use axum::Router;
use hyper::body::Incoming;
use hyper::Request;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::time::Instant;
use tower::ServiceExt;

/// The bounds of a server.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Connections served at once.
    pub max_connections: usize,
    /// Time for a new connection's first byte.
    pub first_byte: Duration,
    /// Time for a request's headers.
    pub headers: Duration,
    /// Longest life of a connection (keep-alive included).
    pub lifetime: Duration,
    /// After the lifetime, time for the client to take the hint (`Connection: close`), and
    /// then for a request in flight to finish, before the connection is shut, then cut.
    pub grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_connections: 256,
            first_byte: Duration::from_secs(10),
            headers: Duration::from_secs(10),
            lifetime: Duration::from_secs(300),
            grace: Duration::from_secs(10),
        }
    }
}

/// Accepts connections on `listener` and serves `router` on each, within `limits`.
pub async fn serve(listener: TcpListener, router: Router, limits: Limits) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(c) => c,
            // Out of descriptors or a reset during accept: keep serving the others.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(permit) = slots.clone().try_acquire_owned() else {
            drop(stream);
            continue;
        };
        let deadline = Instant::now() + limits.lifetime;
        let service = TowerToHyperService::new(ServiceExt::<Request<Incoming>>::map_response(
            router.clone(),
            move |mut response: Response| {
                if Instant::now() >= deadline {
                    response
                        .headers_mut()
                        .insert(CONNECTION, HeaderValue::from_static("close"));
                }
                response
            },
        ));
        tokio::spawn(async move {
            let _permit = permit;
            // `peek`, not `readable`: a new socket counts as readable until a read finds it
            // empty, so `readable` returns at once. Data, the end or an error ends the wait.
            if tokio::time::timeout(limits.first_byte, stream.peek(&mut [0u8; 1]))
                .await
                .is_err()
            {
                return;
            }
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.headers)
                .serve_connection(TokioIo::new(stream), service);
            let mut conn = std::pin::pin!(conn);
            if tokio::time::timeout_at(deadline + limits.grace, conn.as_mut())
                .await
                .is_err()
            {
                // Still open after the hint: no further request, but the one in flight gets
                // its answer instead of a reset.
                conn.as_mut().graceful_shutdown();
                let _ = tokio::time::timeout(limits.grace, conn).await;
            }
        });
    }
}

/// Why a body could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum BodyError {
    /// Larger than allowed.
    TooLarge(usize),
    /// Not received in time.
    TimedOut(Duration),
    /// The connection failed while reading.
    Broken,
}

impl std::fmt::Display for BodyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BodyError::TooLarge(n) => write!(f, "The request body is larger than {n} bytes."),
            BodyError::TimedOut(d) => write!(
                f,
                "The request body did not arrive within {} s.",
                d.as_secs()
            ),
            BodyError::Broken => f.write_str("The request body could not be read."),
        }
    }
}

/// Reads a whole body, at most `max` bytes, within `time`.
pub async fn read_body(body: Body, max: usize, time: Duration) -> Result<Bytes, BodyError> {
    match tokio::time::timeout(time, axum::body::to_bytes(body, max)).await {
        Err(_) => Err(BodyError::TimedOut(time)),
        Ok(Ok(b)) => Ok(b),
        Ok(Err(e)) => {
            let text = e.to_string();
            if text.contains("length limit") || text.contains("too large") {
                Err(BodyError::TooLarge(max))
            } else {
                Err(BodyError::Broken)
            }
        }
    }
}
