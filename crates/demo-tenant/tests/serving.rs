//! How the native tenant serves the built app: precompressed assets by `Accept-Encoding` with
//! `Vary`, hashed files cached for a year, the rest revalidated, security headers everywhere,
//! and the page told the tenant's URL.

async fn serve(dist: &std::path::Path) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let router = demo_tenant::app_router(dist, "http://127.0.0.1:9400");
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    url
}

#[tokio::test]
async fn assets_are_compressed_cached_and_protected() {
    let dist = std::env::temp_dir().join(format!("atp-serving-{}", std::process::id()));
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<html><head></head><body></body></html>",
    )
    .unwrap();
    let wasm = "agent-token-playground-0123456789abcdef_bg.wasm";
    std::fs::write(dist.join(wasm), vec![0u8; 4096]).unwrap();
    // The bytes of the precompressed file do not matter here, only which file is served.
    std::fs::write(dist.join(format!("{wasm}.gz")), b"gzip bytes").unwrap();
    std::fs::write(dist.join("sw.js"), "// worker").unwrap();
    let base = serve(&dist).await;
    let http = reqwest::Client::new();

    let res = http
        .get(format!("{base}/{wasm}"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-encoding"], "gzip");
    assert_eq!(
        res.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(res.headers()["vary"]
        .to_str()
        .unwrap()
        .contains("accept-encoding"));
    let plain = http.get(format!("{base}/{wasm}")).send().await.unwrap();
    assert!(
        plain.headers().get("content-encoding").is_none(),
        "uncompressed when not accepted"
    );

    for path in ["/", "/sw.js"] {
        let res = http.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(res.headers()["cache-control"], "no-cache", "{path}");
        assert!(res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'"));
        assert_eq!(res.headers()["x-content-type-options"], "nosniff");
        assert_eq!(res.headers()["referrer-policy"], "no-referrer");
    }
    let page = http
        .get(format!("{base}/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("<meta name=\"atp-demo-org\" content=\"http://127.0.0.1:9400\">"));
    std::fs::remove_dir_all(&dist).unwrap();
}
