//! `demo-tenant`: runs the demo authorization server (and optionally serves the built app).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use demo_tenant::{app_router, router, rsa_keys, NativeTenant};
use tenant_core::config::Config;
use tenant_core::MemoryStore;

const HELP: &str = "demo-tenant: an OAuth authorization server shaped like an Okta org, for Agent Token Playground.

USAGE:
    demo-tenant [OPTIONS]

OPTIONS:
    --host <IP>            Address to bind (default 127.0.0.1; loopback only unless you mean it)
    --port <PORT>          Port of the tenant (default 9400)
    --base-url <URL>       Public base URL / org URL (default http://<host>:<port>)
    --config <FILE>        TOML file; each top-level key replaces the built-in default (users,
                           clients, servers, connections, apis, limits, ...). Unknown keys are
                           an error. Start from --print-config.
    --cors-origin <ORIGIN> Allow this browser origin (repeatable; default: the app's origins)
    --no-cors              Send no CORS headers (to see how the app diagnoses a CORS block)
    --okta-strict          Refuse browser (Origin) token requests unless code + PKCE, as Okta does
    --tamper-id-jag-signatures  Corrupt every ID-JAG's signature (to see the app flag it)
    --serve-app <DIR>      Also serve the built app from DIR (e.g. dist) on --app-port
    --app-port <PORT>      Port for --serve-app (default 8080)
    --record-requests      Keep the last token requests at /_demo/requests (for tests)
    --print-config         Print the configuration as TOML (a starting --config) and exit
    -h, --help             This help

ENDPOINTS (relative to the base URL):
    /.well-known/openid-configuration, /.well-known/oauth-authorization-server     org metadata
    /oauth2/v1/{authorize,token,keys,introspect,revoke,userinfo}                  org authorization server
    /oauth2/{id}/v1/...                      custom servers: default, files, aus-trusted-api2, agents
    /oauth2/{id}/.well-known/..., /.well-known/oauth-authorization-server/oauth2/{id}   their metadata
    /am/oauth2/realms/root/realms/alpha/{access_token,tokeninfo,introspect,token/revoke}  PingOne AIC realm
    /api/files, /api/api2, /api/chat, /agents/agent1, /agents/agent2             resource APIs
    /.well-known/oauth-protected-resource/{api path}                              RFC 9728 metadata
";

struct Args {
    host: String,
    port: u16,
    base_url: Option<String>,
    config: Option<PathBuf>,
    cors_origins: Vec<String>,
    no_cors: bool,
    okta_strict: bool,
    tamper: bool,
    serve_app: Option<PathBuf>,
    app_port: u16,
    record: bool,
    print_config: bool,
}

fn parse_args() -> Result<Args, Stop> {
    let mut a = Args {
        host: "127.0.0.1".into(),
        port: 9400,
        base_url: None,
        config: None,
        cors_origins: vec![],
        no_cors: false,
        okta_strict: false,
        tamper: false,
        serve_app: None,
        app_port: 8080,
        record: false,
        print_config: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut val = |name: &str| {
            it.next()
                .ok_or_else(|| Stop::Usage(format!("{name} needs a value")))
        };
        match arg.as_str() {
            "-h" | "--help" => {
                print!("{HELP}");
                std::process::exit(0);
            }
            "--host" => a.host = val("--host")?,
            "--port" => {
                a.port = val("--port")?
                    .parse()
                    .map_err(|_| Stop::Usage("--port must be a number from 0 to 65535".into()))?
            }
            "--base-url" => a.base_url = Some(val("--base-url")?),
            "--config" => a.config = Some(val("--config")?.into()),
            "--cors-origin" => a.cors_origins.push(val("--cors-origin")?),
            "--no-cors" => a.no_cors = true,
            "--okta-strict" => a.okta_strict = true,
            "--tamper-id-jag-signatures" => a.tamper = true,
            "--serve-app" => a.serve_app = Some(val("--serve-app")?.into()),
            "--app-port" => {
                a.app_port = val("--app-port")?.parse().map_err(|_| {
                    Stop::Usage("--app-port must be a number from 0 to 65535".into())
                })?
            }
            "--record-requests" => a.record = true,
            "--print-config" => a.print_config = true,
            other => return Err(Stop::Usage(format!("unknown option {other} (see --help)"))),
        }
    }
    Ok(a)
}

/// Why the tenant did not start or stopped: said on stderr, exit status 2.
#[derive(Debug)]
enum Stop {
    /// The command line is not usable: what is wrong.
    Usage(String),
    /// A configuration file is refused: which, and why.
    Config { path: String, why: String },
    /// A file, an address or the server failed: what was being done, and why.
    Io { doing: String, why: String },
}

/// The base URL and the CORS origins, parsed by the `url` crate: the issuer and every
/// endpoint are built on the base, and a browser sends an origin exactly as `scheme://host:port`.
fn check_urls(config: &Config) -> Result<(), Stop> {
    let base = &config.base_url;
    if protocol_wire::base_url::http_base(base).is_err() {
        return Err(Stop::Usage(format!(
            "the base URL {base:?} (--base-url or base_url) must be an http(s) URL with a host \
             and no query, fragment or user info, such as http://127.0.0.1:9400"
        )));
    }
    for origin in &config.cors_origins {
        let same = url::Url::parse(origin)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .is_some_and(|u| u.origin().ascii_serialization() == *origin);
        if !same {
            return Err(Stop::Usage(format!(
                "the CORS origin {origin:?} (--cors-origin or cors_origins) must be an origin \
                 as a browser sends it: scheme, host and port only, lower case, no trailing \
                 slash, such as http://127.0.0.1:8080"
            )));
        }
    }
    Ok(())
}

impl Stop {
    fn io(doing: impl Into<String>, why: impl std::fmt::Display) -> Self {
        Stop::Io {
            doing: doing.into(),
            why: why.to_string(),
        }
    }
}

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stop::Usage(m) => f.write_str(m),
            Stop::Config { path, why } => write!(f, "{path}: {why}"),
            Stop::Io { doing, why } => write!(f, "{doing}: {why}"),
        }
    }
}

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("demo-tenant: {e}");
        std::process::exit(2);
    }
}

async fn run() -> Result<(), Stop> {
    let args = parse_args()?;
    let mut config = match &args.config {
        Some(p) => Config::from_toml(
            &std::fs::read_to_string(p)
                .map_err(|e| Stop::io(format!("cannot read {}", p.display()), e))?,
        )
        .map_err(|e| Stop::Config {
            path: p.display().to_string(),
            why: e.to_string(),
        })?,
        None => Config::default(),
    };
    if let Some(b) = &args.base_url {
        config.base_url = b.clone();
    } else if args.config.is_none() || args.port != 9400 || args.host != "127.0.0.1" {
        config.base_url = format!("http://{}:{}", args.host, args.port);
    }
    if !args.cors_origins.is_empty() {
        config.cors_origins = args.cors_origins.clone();
    } else if args.serve_app.is_some() && args.app_port != 8080 {
        config.cors_origins = vec![
            format!("http://127.0.0.1:{}", args.app_port),
            format!("http://localhost:{}", args.app_port),
        ];
    }
    check_urls(&config)?;
    config.cors &= !args.no_cors;
    config.okta_strict |= args.okta_strict;
    config.tamper_id_jag_signatures |= args.tamper;
    if args.print_config {
        print!(
            "{}",
            config
                .to_toml()
                .map_err(|e| Stop::io("cannot write the configuration", e))?
        );
        return Ok(());
    }
    let config = config.finish();
    let keys = rsa_keys(&config).map_err(|e| Stop::io("cannot make signing keys", e))?;
    let store = MemoryStore::new(config.limits.clone());
    let tenant = Arc::new(NativeTenant::new(config, keys, store, args.record));
    let addr: SocketAddr = format!("{}:{}", args.host, args.port)
        .parse()
        .map_err(|e| Stop::Usage(format!("bad address: {e}")))?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| Stop::io(format!("cannot listen on {addr}"), e))?;
    eprintln!(
        "demo tenant (org) at {} — CORS {} for {:?}{}",
        tenant.config.base_url,
        if tenant.config.cors { "on" } else { "OFF" },
        tenant.config.cors_origins,
        if tenant.config.okta_strict {
            " — Okta-strict mode"
        } else {
            ""
        }
    );
    let limits = bounded_server::Limits::default();
    let api = bounded_server::serve(listener, router(tenant.clone()), limits);
    match args.serve_app {
        Some(dir) => {
            if !dir.join("index.html").exists() {
                return Err(Stop::Usage(format!(
                    "{} has no index.html: build the app first (trunk build --release)",
                    dir.display()
                )));
            }
            let app_addr: SocketAddr = format!("{}:{}", args.host, args.app_port)
                .parse()
                .map_err(|e| Stop::Usage(format!("bad address: {e}")))?;
            let app_listener = tokio::net::TcpListener::bind(app_addr)
                .await
                .map_err(|e| Stop::io(format!("cannot listen on {app_addr}"), e))?;
            eprintln!("\n  Agent Token Playground: open http://{app_addr}/\n");
            let app = bounded_server::serve(
                app_listener,
                app_router(&dir, &tenant.config.base_url),
                limits,
            );
            tokio::select! {
                r = api => r.map_err(|e| Stop::io("the tenant stopped", e)),
                r = app => r.map_err(|e| Stop::io("the app server stopped", e)),
            }
        }
        None => api.await.map_err(|e| Stop::io("the tenant stopped", e)),
    }
}
