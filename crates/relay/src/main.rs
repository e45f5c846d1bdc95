//! `relay`: run on your own machine so the browser app can reach an authorization server that
//! refuses browser calls. See `relay --help`.

use std::net::SocketAddr;
use std::time::Duration;

use protocol_wire::secret::Secret;
use relay::{normalize_upstream, random_key, Settings};

const HELP: &str = "relay: forwards Agent Token Playground's requests to your authorization server without the
browser's Origin header (Okta refuses browser token calls except code + PKCE). Assertions are signed
in the browser; the relay sees only what the browser would have sent, and logs no bodies or tokens.

USAGE:
    relay --upstream <URL> [--upstream <URL>...] [OPTIONS]

OPTIONS:
    --upstream <URL>       An authorization server base to forward to (e.g. https://acme.okta.com).
                           Required; repeatable. Anything else is refused: this is not an open proxy.
    --allow-origin <ORIGIN> The app's origin (repeatable; default http://127.0.0.1:8080 and http://localhost:8080)
    --port <PORT>          Port on 127.0.0.1 (default 9500). The relay binds loopback only.
    --key <KEY>            Use this key instead of a random one (e.g. for scripts)
    --timeout <SECONDS>    Upstream timeout (default 15)
    -h, --help             This help
";

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("relay: {e}");
        std::process::exit(2);
    }
}

async fn run() -> Result<(), Stop> {
    let mut upstreams = Vec::new();
    let mut origins = Vec::new();
    let mut port: u16 = 9500;
    let mut key = None;
    let mut timeout = 15u64;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = |n: &str| {
            args.next()
                .ok_or_else(|| Stop::Usage(format!("{n} needs a value")))
        };
        match a.as_str() {
            "-h" | "--help" => {
                print!("{HELP}");
                return Ok(());
            }
            "--upstream" => upstreams.push(
                normalize_upstream(&val("--upstream")?).map_err(|e| Stop::Usage(e.to_string()))?,
            ),
            "--allow-origin" => {
                origins.push(val("--allow-origin")?.trim_end_matches('/').to_string())
            }
            "--port" => {
                port = val("--port")?
                    .parse()
                    .map_err(|_| Stop::Usage("--port must be a number".into()))?
            }
            "--key" => key = Some(val("--key")?),
            "--timeout" => {
                timeout = val("--timeout")?
                    .parse()
                    .map_err(|_| Stop::Usage("--timeout must be a number of seconds".into()))?
            }
            other => return Err(Stop::Usage(format!("unknown option {other} (see --help)"))),
        }
    }
    if upstreams.is_empty() {
        return Err(Stop::Usage(
            "name at least one --upstream (see --help)".into(),
        ));
    }
    if origins.is_empty() {
        origins = vec![
            "http://127.0.0.1:8080".into(),
            "http://localhost:8080".into(),
        ];
    }
    let key = key.unwrap_or_else(random_key);
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| Stop::Io(format!("cannot listen on {addr}: {e}")))?;
    let bound = listener
        .local_addr()
        .map_err(|e| Stop::Io(format!("cannot read the address it listens on: {e}")))?;
    println!("relay listening on http://{bound}");
    println!("relay key: {key}");
    println!("forwarding only to: {}", upstreams.join(", "));
    println!("for browser origins: {}", origins.join(", "));
    let settings = Settings {
        upstreams,
        origins,
        key: Secret::new(key),
        timeout: Duration::from_secs(timeout),
    };
    bounded_server::serve(
        listener,
        relay::router(settings),
        bounded_server::Limits::default(),
    )
    .await
    .map_err(|e| Stop::Io(format!("the relay stopped: {e}")))
}

/// Why the relay did not start or stopped: said on stderr, exit status 2.
#[derive(Debug)]
enum Stop {
    /// The command line is not usable: what is wrong.
    Usage(String),
    /// The address or the server failed: what, and why.
    Io(String),
}

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stop::Usage(m) | Stop::Io(m) => f.write_str(m),
        }
    }
}
