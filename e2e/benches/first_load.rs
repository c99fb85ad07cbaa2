//! First load of the browser client in headless Chromium on loopback: bytes
//! transferred (wasm + js + css, as the browser received them) for the sign-in page
//! and then the home page, the time from navigation start to the client's first
//! render, and the size of each page's own module, loaded when the page is first
//! opened. Prints; asserts nothing.
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
            // Then sign in to the home page: what it needs beyond the sign-in page counts too.
            c.find(Locator::Css("#f-email"))
                .await
                .expect("e-mail")
                .send_keys("manager@scr.example")
                .await
                .expect("type");
            c.find(Locator::Css("#f-password"))
                .await
                .expect("password")
                .send_keys("scr-demo-password")
                .await
                .expect("type");
            c.find(Locator::XPath("//button[normalize-space(.)='Sign in']"))
                .await
                .expect("button")
                .click()
                .await
                .expect("sign in");
            c.wait()
                .at_most(Duration::from_secs(20))
                .for_element(Locator::Css("#your-tasks"))
                .await
                .expect("the home page");
            let all: Value = c
                .execute(
                    "return performance.getEntriesByType('resource').map(r => [r.name, r.encodedBodySize, r.decodedBodySize]);",
                    vec![],
                )
                .await
                .expect("timings");
            sizes = serde_json::from_value::<Vec<(String, u64, u64)>>(all)
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
    println!("| total, sign-in page and home page | {:.1} KB | {:.1} KB |", t as f64 / 1000.0, d as f64 / 1000.0);
    // The modules of the other pages, fetched the first time each is opened (brotli).
    let dist = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../dist/assets");
    let folder = std::fs::read_dir(&dist)
        .expect("dist/assets")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("client-")) && p.is_dir())
        .expect("the client's folder");
    let mut pages: Vec<(String, u64)> = std::fs::read_dir(&folder)
        .expect("the client's folder")
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let page = name.strip_prefix("split_")?.strip_suffix(".wasm.br")?;
            let page = page.rsplit_once('_').map_or(page, |(p, _)| p).to_owned();
            Some((page, e.metadata().ok()?.len()))
        })
        .collect();
    pages.sort();
    let shared: u64 = std::fs::read_dir(&folder)
        .expect("the client's folder")
        .filter_map(Result::ok)
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.starts_with("chunk_") && n.ends_with(".wasm.br")
        })
        .filter_map(|e| e.metadata().ok().map(|m| m.len()))
        .sum();
    println!("| page module (loaded when first opened) | brotli |");
    println!("| --- | --- |");
    for (page, size) in &pages {
        println!("| {page} | {:.1} KB |", *size as f64 / 1000.0);
    }
    println!(
        "| parts shared by several pages, each loaded with the first page that needs it | {:.1} KB |",
        shared as f64 / 1000.0
    );
    println!(
        "time to first render: median {:.0} ms, min {:.0} ms, max {:.0} ms",
        renders[renders.len() / 2],
        renders[0],
        renders[renders.len() - 1]
    );
}
