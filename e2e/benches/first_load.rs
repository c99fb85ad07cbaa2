//! First load of the browser client in headless Chromium on loopback: bytes
//! transferred (wasm + js + css, as the browser received them) and the time from
//! navigation start to the client's first render. Prints; asserts nothing.
//!
//! `cargo bench -p e2e --bench first_load` runs 7 fresh browsers; under
//! `cargo test` (no `--bench`) one, to keep the benchmark working.

#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]

use std::process::{Command, Stdio};
use std::time::Duration;

use fantoccini::{ClientBuilder, Locator};
use serde_json::{Value, json};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("port")
}

#[tokio::main]
async fn main() {
    let runs = if std::env::args().any(|a| a == "--bench") { 7 } else { 1 };
    let server = e2e::Server::start();
    let port = free_port();
    let mut driver = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver");
    let url = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    for _ in 0..100 {
        if http.get(format!("{url}/status")).send().await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut renders = Vec::new();
    let mut sizes: Vec<(String, u64, u64)> = Vec::new();
    for run in 0..runs {
        let profile = std::env::temp_dir().join(format!("scr_bench_chrome_{}_{run}", std::process::id()));
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), json!({"binary": "/usr/bin/chromium", "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--window-size=1280,900", format!("--user-data-dir={}", profile.display())]}));
        let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&url)
            .await
            .expect("session");
        c.goto(&server.base).await.expect("goto");
        c.wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css("#f-email"))
            .await
            .expect("the sign-in form");
        let v: Value = c
            .execute(
                "const mark = performance.getEntriesByName('scr-first-render')[0];
                 return { render: mark ? mark.startTime : null,
                          resources: performance.getEntriesByType('resource').map(r => [r.name, r.encodedBodySize, r.decodedBodySize]) };",
                vec![],
            )
            .await
            .expect("timings");
        renders.push(v["render"].as_f64().expect("the client marks its first render"));
        if run == 0 {
            sizes = serde_json::from_value::<Vec<(String, u64, u64)>>(v["resources"].clone())
                .unwrap_or_default()
                .into_iter()
                .filter(|(n, _, _)| n.contains("/assets/"))
                .collect();
        }
        let _ = c.close().await;
        let _ = std::fs::remove_dir_all(&profile);
    }
    let _ = driver.kill();
    let _ = driver.wait();
    renders.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let kind = |n: &str| {
        if n.ends_with(".wasm") {
            "wasm"
        } else if n.ends_with(".css") {
            "css"
        } else {
            "js"
        }
    };
    println!("first_load: {runs} fresh browser(s), loopback");
    println!("| file | transferred | decoded |");
    println!("| --- | --- | --- |");
    let (mut t, mut d) = (0, 0);
    for (n, enc, dec) in &sizes {
        println!(
            "| {} ({}) | {:.1} KB | {:.1} KB |",
            kind(n),
            n.rsplit('/').next().unwrap_or(n),
            *enc as f64 / 1000.0,
            *dec as f64 / 1000.0
        );
        t += enc;
        d += dec;
    }
    println!("| total | {:.1} KB | {:.1} KB |", t as f64 / 1000.0, d as f64 / 1000.0);
    println!(
        "time to first render: median {:.0} ms, min {:.0} ms, max {:.0} ms",
        renders[renders.len() / 2],
        renders[0],
        renders[renders.len() - 1]
    );
}
