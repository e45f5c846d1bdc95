//! Serves an axum [`Router`] with everything bounded: at most `max_connections` at once, a
//! client that sends nothing is dropped after `first_byte`, headers must arrive within
//! `headers` (hyper's header timer also bounds a keep-alive connection's wait between
//! requests), a connection lives at most `lifetime` (answers after it carry
//! `Connection: close`, so the client does not reuse it; `grace` later it is shut down, a
//! request in flight first getting its answer, and `grace` after that it is cut), and
//! [`read_body`] bounds a body's size and time.
//!
//! Over the cap no client is cut off without an answer. A new connection asks the connection
//! idle the longest (accepted, with no request in flight: before its first byte or between
//! keep-alive requests) to close, which it does once idle [`MAKE_WAY_AFTER`] unless a request
//! comes first, and waits up to [`SLOT_WAIT`] for a slot; if none frees, it is answered
//! `503 Service Unavailable` with `Retry-After: 1` and `Connection: close`. At most
//! `max_connections` such connections wait or are answered at once; beyond that the server
//! accepts no more until one is done, and new clients wait in the kernel's listen queue (when
//! that is full, Linux drops the attempt and the client retries it: a delay, not a reset).

use std::collections::BTreeMap;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::header::{HeaderValue, CONNECTION};
use axum::response::Response;
use axum::Router;
use hyper::body::Incoming;
use hyper::Request;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;
use tower::ServiceExt;

/// How long a connection over the cap waits for a slot (freed by an idle connection asked to
/// make way, or by one finishing) before it is answered 503.
pub const SLOT_WAIT: Duration = Duration::from_millis(500);
/// An idle connection asked to make way closes once it has been idle this long, so a client
/// that has only just connected, or just been answered, has a moment to send its request.
pub const MAKE_WAY_AFTER: Duration = Duration::from_millis(250);
/// Time to write the 503 answer.
const REFUSAL_WRITE: Duration = Duration::from_secs(1);
/// After the 503, what the client sends is read and dropped before closing, until it closes
/// its end, or sends nothing for `LINGER_QUIET`, at most for `LINGER` and `LINGER_BYTES`:
/// closing with unread data would reset the connection, and the client could lose the answer.
const LINGER: Duration = Duration::from_secs(1);
const LINGER_QUIET: Duration = Duration::from_millis(200);
const LINGER_BYTES: usize = 64 * 1024;
/// The whole answer to a client over the cap.
const REFUSAL: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";

/// The bounds of a server.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Connections served at once. Over it, the connection idle the longest makes way, or
    /// the new client is answered 503 (see the crate's documentation); as many again may
    /// wait for a slot or be answered so at once.
    pub max_connections: usize,
    /// Time for a new connection's first byte.
    pub first_byte: Duration,
    /// Time for a request's headers; also the longest wait of a keep-alive connection for its
    /// next request (hyper's header timer runs from the end of the previous answer).
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

/// Locks, going on with the data if another thread panicked while holding the lock (nothing
/// here leaves it half-changed).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The connections with no request in flight, the one idle the longest first.
#[derive(Default)]
struct IdleQueue(Mutex<Queue>);

#[derive(Default)]
struct Queue {
    next: u64,
    conns: BTreeMap<u64, Arc<Conn>>,
}

impl IdleQueue {
    /// Asks the connection idle the longest, if any, to close.
    fn make_way(&self) {
        let conn = {
            let mut queue = lock(&self.0);
            let Some((_, conn)) = queue.conns.pop_first() else {
                return;
            };
            lock(&conn.state).key = None;
            conn
        };
        conn.make_way.notify_one();
    }
}

/// One connection, as the [`IdleQueue`] sees it.
struct Conn {
    queue: Arc<IdleQueue>,
    /// Changed only with `queue`'s lock held (taken first).
    state: Mutex<ConnState>,
    /// Told when the connection should close to make way.
    make_way: Notify,
}

#[derive(Default)]
struct ConnState {
    /// Its place in the queue while it waits there.
    key: Option<u64>,
    /// Since when no request is in flight; `None` while one is.
    idle_since: Option<Instant>,
}

impl Conn {
    fn new(queue: Arc<IdleQueue>) -> Arc<Conn> {
        Arc::new(Conn {
            queue,
            state: Mutex::default(),
            make_way: Notify::new(),
        })
    }

    /// No request in flight from now on: last in the queue.
    fn idle(self: &Arc<Self>) {
        let mut queue = lock(&self.queue.0);
        let mut state = lock(&self.state);
        if let Some(key) = state.key.take() {
            queue.conns.remove(&key);
        }
        let key = queue.next;
        queue.next += 1;
        queue.conns.insert(key, self.clone());
        state.key = Some(key);
        state.idle_since = Some(Instant::now());
    }

    /// A request is in flight, or its first bytes have come, or the connection is closing:
    /// out of the queue.
    fn busy(&self) {
        let mut queue = lock(&self.queue.0);
        let mut state = lock(&self.state);
        if let Some(key) = state.key.take() {
            queue.conns.remove(&key);
        }
        state.idle_since = None;
    }

    fn idle_since(&self) -> Option<Instant> {
        lock(&self.state).idle_since
    }

    /// Waits until this connection, idle since `since`, should close to make way: the idle
    /// time is reached and no request came meanwhile. Returns `false` if one came (the
    /// request to make way is dropped; the connection is queued again when it is idle).
    async fn still_idle_after(&self, since: Instant) -> bool {
        tokio::time::sleep_until(since + MAKE_WAY_AFTER).await;
        self.idle_since() == Some(since)
    }
}

/// Takes the connection out of the queue when its task ends, however it ends.
struct Leave(Arc<Conn>);

impl Drop for Leave {
    fn drop(&mut self) {
        self.0.busy();
    }
}

/// A connection's stream that marks it busy as soon as bytes of a request come, so one that
/// has begun sending is not taken for idle.
struct Watched {
    stream: TcpStream,
    conn: Arc<Conn>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.conn.busy();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// Accepts connections on `listener` and serves `router` on each, within `limits`.
pub async fn serve(listener: TcpListener, router: Router, limits: Limits) -> std::io::Result<()> {
    let cap = limits.max_connections.min(Semaphore::MAX_PERMITS);
    let slots = Arc::new(Semaphore::new(cap));
    // Connections over the cap, waiting for a slot or being answered 503.
    let over = Arc::new(Semaphore::new(cap.max(1)));
    let queue = Arc::new(IdleQueue::default());
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(c) => c,
            // Out of descriptors or a reset during accept: keep serving the others.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        if let Ok(slot) = slots.clone().try_acquire_owned() {
            tokio::spawn(connection(
                stream,
                slot,
                router.clone(),
                limits,
                queue.clone(),
            ));
            continue;
        }
        queue.make_way();
        let waiting = match over.clone().try_acquire_owned() {
            Ok(waiting) => waiting,
            // Both caps are reached: this client waits for whichever frees first, and no
            // other is accepted meanwhile (they wait in the listen queue, not reset).
            Err(_) => tokio::select! {
                biased;
                Ok(slot) = slots.clone().acquire_owned() => {
                    tokio::spawn(connection(stream, slot, router.clone(), limits, queue.clone()));
                    continue;
                }
                Ok(waiting) = over.clone().acquire_owned() => waiting,
                // The semaphores are never closed; were they, the client is let go.
                else => continue,
            },
        };
        let (slots, router, queue) = (slots.clone(), router.clone(), queue.clone());
        tokio::spawn(async move {
            match tokio::time::timeout(SLOT_WAIT, slots.acquire_owned()).await {
                Ok(Ok(slot)) => {
                    drop(waiting);
                    connection(stream, slot, router, limits, queue).await;
                }
                _ => {
                    refuse(stream).await;
                    drop(waiting);
                }
            }
        });
    }
}

/// Answers a client over the cap with a bare 503, then closes without a reset.
async fn refuse(mut stream: TcpStream) {
    if !matches!(
        tokio::time::timeout(REFUSAL_WRITE, stream.write_all(REFUSAL)).await,
        Ok(Ok(()))
    ) {
        return;
    }
    let _ = tokio::time::timeout(REFUSAL_WRITE, stream.shutdown()).await;
    let _ = tokio::time::timeout(LINGER, async {
        let mut buf = [0u8; 4096];
        let mut left = LINGER_BYTES;
        while left > 0 {
            match tokio::time::timeout(LINGER_QUIET, stream.read(&mut buf)).await {
                Ok(Ok(n)) if n > 0 => left = left.saturating_sub(n),
                _ => break,
            }
        }
    })
    .await;
}

/// Serves one connection holding `slot`, within `limits`; idle, it may be asked to make way.
async fn connection(
    stream: TcpStream,
    slot: OwnedSemaphorePermit,
    router: Router,
    limits: Limits,
    queue: Arc<IdleQueue>,
) {
    let _slot = slot;
    let conn = Conn::new(queue);
    let _leave = Leave(conn.clone());
    conn.idle();
    if !first_byte(&stream, &conn, limits.first_byte).await {
        return;
    }
    conn.busy();
    let deadline = Instant::now() + limits.lifetime;
    let ends = conn.clone();
    let service = TowerToHyperService::new(ServiceExt::<Request<Incoming>>::map_response(
        router,
        move |mut response: Response| {
            // Idle from the answer on (its body may still be on its way: a graceful shutdown
            // lets it finish).
            ends.idle();
            if Instant::now() >= deadline {
                response
                    .headers_mut()
                    .insert(CONNECTION, HeaderValue::from_static("close"));
            }
            response
        },
    ));
    let http = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.headers)
        .serve_connection(
            TokioIo::new(Watched {
                stream,
                conn: conn.clone(),
            }),
            service,
        );
    let mut http = std::pin::pin!(http);
    let shut_at = deadline + limits.grace;
    // Since when the connection was idle when asked to make way.
    let mut asked: Option<Instant> = None;
    loop {
        tokio::select! {
            _ = http.as_mut() => return,
            _ = tokio::time::sleep_until(shut_at) => break,
            _ = conn.make_way.notified(), if asked.is_none() => asked = conn.idle_since(),
            idle = conn.still_idle_after(asked.unwrap_or(shut_at)), if asked.is_some() => {
                asked = None;
                if idle {
                    // Idle: hyper closes it at once.
                    http.as_mut().graceful_shutdown();
                }
            }
        }
    }
    // Still open after the hint: no further request, but the one in flight gets its answer
    // instead of a reset.
    http.as_mut().graceful_shutdown();
    let _ = tokio::time::timeout(limits.grace, http).await;
}

/// Waits for a new connection's first byte, at most `limit`; `false` if the connection
/// should close instead: nothing came in time, or it was asked to make way and nothing came
/// before it had been idle [`MAKE_WAY_AFTER`].
async fn first_byte(stream: &TcpStream, conn: &Conn, limit: Duration) -> bool {
    let give_up = Instant::now() + limit;
    let mut asked: Option<Instant> = None;
    let mut byte = [0u8; 1];
    loop {
        let until = asked.map_or(give_up, |since| give_up.min(since + MAKE_WAY_AFTER));
        tokio::select! {
            biased;
            // Data, the end or an error (hyper reports it in its turn). `peek`, not
            // `readable`: a new socket counts as readable until a read finds it empty.
            _ = stream.peek(&mut byte) => return true,
            _ = tokio::time::sleep_until(until) => return false,
            _ = conn.make_way.notified(), if asked.is_none() => {
                asked = Some(conn.idle_since().unwrap_or_else(Instant::now));
            }
        }
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
