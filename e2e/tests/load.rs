//! Load and faults against the real `scr` binary on loopback.
//!
//! Many clients at once, mixed reads and writes across roles: no 5xx and no `INTERNAL`
//! error, p50 and p99 printed, and every write the server acknowledged is in the
//! database afterwards. Then the server is killed (SIGKILL) in the middle of a write
//! load and started again: the database passes SQLite's integrity check, every
//! acknowledged write is there and the audit chain is whole.
//!
//! CI runs the short form. The full form (200 clients for 60 seconds):
//! `SCR_LOAD_CLIENTS=200 SCR_LOAD_SECONDS=60 cargo test -p e2e --test load -- --nocapture`.

#![allow(clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use e2e::Server;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};
use tokio::sync::Mutex;

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    server_errors: Vec<String>,
    conflicts: usize,
    /// The texts of findings the server said it recorded.
    acknowledged: Vec<String>,
}

async fn post(client: &reqwest::Client, base: &str, token: &str, query: &str, vars: Value) -> (u16, Value) {
    let res = client
        .post(format!("{base}/graphql"))
        .bearer_auth(token)
        .json(&json!({"query": query, "variables": vars}))
        .send()
        .await;
    match res {
        Ok(r) => {
            let status = r.status().as_u16();
            (status, r.json().await.unwrap_or(Value::Null))
        }
        Err(e) => (0, json!({"transport": e.to_string()})),
    }
}

async fn login(client: &reqwest::Client, base: &str, email: &str) -> String {
    let q = "mutation($e:String!){login(email:$e,password:\"scr-demo-password\"){token}}";
    let res = client
        .post(format!("{base}/graphql"))
        .json(&json!({"query": q, "variables": {"e": email}}))
        .send()
        .await
        .expect("login");
    let v: Value = res.json().await.expect("json");
    v["data"]["login"]["token"].as_str().unwrap_or_else(|| panic!("login {email}: {v}")).to_owned()
}

/// The review at `stage` as the chair sees it.
async fn review_at(client: &reqwest::Client, base: &str, chair: &str, stage: &str) -> i64 {
    let (_, v) = post(client, base, chair, "query($s:Stage){reviews(stage:$s){id}}", json!({"s": stage})).await;
    v["data"]["reviews"][0]["id"].as_i64().unwrap_or_else(|| panic!("no review at {stage}: {v}"))
}

const READS: [(&str, &str); 5] = [
    ("chair@scr.example", "{reviews{id reference stage deadlines{kind dueOn}}}"),
    ("subgroup@scr.example", "{actions{id status dueOn}}"),
    ("manager@scr.example", "{notifications{kind message} unreadNotificationCount}"),
    ("partner@scr.example", "{reviews{id child{label name}}}"),
    ("analyst@scr.example", "{report{reviews themes{theme reviews}}}"),
];
const WRITE: &str =
    "mutation($id:Int!,$t:String!){recordFinding(reviewId:$id,text:$t,themes:[INFORMATION_SHARING]){id}}";

/// Runs `clients` clients for `seconds`; one in four requests writes a finding.
async fn run(base: &str, clients: u64, seconds: u64, writes_only: bool) -> Tally {
    let client = reqwest::Client::builder().pool_max_idle_per_host(clients as usize).build().expect("client");
    let chair = login(&client, base, "chair@scr.example").await;
    let review = review_at(&client, base, &chair, "OVERVIEW_REPORT").await;
    let mut tokens = Vec::new();
    for (email, _) in READS {
        tokens.push(login(&client, base, email).await);
    }
    let writer = login(&client, base, "independent.chair@scr.example").await;
    let tally = Arc::new(Mutex::new(Tally::default()));
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (client, base, tokens, writer, tally) =
            (client.clone(), base.to_owned(), tokens.clone(), writer.clone(), tally.clone());
        tasks.push(tokio::spawn(async move {
            let mut n = 0u64;
            while Instant::now() < until {
                n += 1;
                let write = writes_only || (c + n).is_multiple_of(4);
                let text = format!("Load finding {c}-{n}");
                let started = Instant::now();
                let (status, v) = if write {
                    post(&client, &base, &writer, WRITE, json!({"id": review, "t": text})).await
                } else {
                    let k = ((c + n) % READS.len() as u64) as usize;
                    post(&client, &base, &tokens[k], READS[k].1, json!({})).await
                };
                let took = started.elapsed();
                let code = v["errors"][0]["extensions"]["code"].as_str().unwrap_or("").to_owned();
                let mut t = tally.lock().await;
                t.latencies.push(took);
                if status == 0 {
                    // The server went away (the crash test kills it): stop this client.
                    break;
                }
                if status >= 500 || code == "INTERNAL" {
                    t.server_errors.push(format!("{status} {v}"));
                } else if code == "CONFLICT" {
                    t.conflicts += 1;
                } else if write && v["errors"].is_null() {
                    t.acknowledged.push(text);
                } else if !v["errors"].is_null() {
                    t.server_errors.push(format!("unexpected error: {v}"));
                }
            }
        }));
    }
    for t in tasks {
        t.await.expect("client");
    }
    Arc::try_unwrap(tally).ok().expect("clients finished").into_inner()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted.get(((sorted.len().max(1) - 1) as f64 * p).round() as usize).copied().unwrap_or_default()
}

async fn findings_present(database_url: &str, texts: &[String]) -> Vec<String> {
    let db = sea_orm::Database::connect(database_url).await.expect("open");
    let rows = db
        .query_all_raw(Statement::from_string(DbBackend::Sqlite, "SELECT text FROM findings"))
        .await
        .expect("findings");
    let stored: std::collections::HashSet<String> =
        rows.iter().filter_map(|r| r.try_get_by_index::<String>(0).ok()).collect();
    let check = db
        .query_one_raw(Statement::from_string(DbBackend::Sqlite, "PRAGMA integrity_check"))
        .await
        .expect("integrity check")
        .and_then(|r| r.try_get_by_index::<String>(0).ok());
    assert_eq!(check.as_deref(), Some("ok"), "SQLite's integrity check");
    db.close().await.expect("close");
    texts.iter().filter(|t| !stored.contains(*t)).cloned().collect()
}

#[tokio::test]
async fn many_clients_at_once_get_no_server_error_and_every_acknowledged_write_is_kept() {
    let server = Server::start();
    let (clients, seconds) = (setting("SCR_LOAD_CLIENTS", 40), setting("SCR_LOAD_SECONDS", 6));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let idle = server.rss_kib();
    let base = server.base.clone();
    let load = tokio::spawn(async move { run(&base, clients, seconds, false).await });
    let mut peak = 0;
    while !load.is_finished() {
        peak = peak.max(server.rss_kib().unwrap_or(0));
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let t = load.await.expect("load");
    println!("server memory: idle {} KiB, peak under load {peak} KiB", idle.unwrap_or(0));
    let mut sorted = t.latencies.clone();
    sorted.sort();
    println!(
        "load: {clients} clients for {seconds} s: {} requests ({:.0}/s), p50 {:.1?}, p99 {:.1?}, {} writes acknowledged, {} refused as conflicts",
        sorted.len(),
        sorted.len() as f64 / seconds as f64,
        percentile(&sorted, 0.5),
        percentile(&sorted, 0.99),
        t.acknowledged.len(),
        t.conflicts
    );
    assert!(t.server_errors.is_empty(), "server errors: {:?}", &t.server_errors[..t.server_errors.len().min(5)]);
    assert!(!t.acknowledged.is_empty(), "some writes went through");
    let missing = findings_present(&server.database_url, &t.acknowledged).await;
    assert!(missing.is_empty(), "acknowledged but missing: {missing:?}");
}

#[tokio::test]
async fn killed_during_writes_the_server_restarts_with_every_acknowledged_write_and_its_audit_chain() {
    let mut server = Server::start();
    let base = server.base.clone();
    let load = tokio::spawn(async move { run(&base, 16, 4, true).await });
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.kill();
    let t = load.await.expect("load");
    assert!(t.server_errors.is_empty(), "{:?}", &t.server_errors[..t.server_errors.len().min(5)]);
    assert!(!t.acknowledged.is_empty(), "writes were acknowledged before the kill");
    server.restart();
    let missing = findings_present(&server.database_url, &t.acknowledged).await;
    assert!(missing.is_empty(), "acknowledged before the kill but missing after: {missing:?}");
    let verify = std::process::Command::new(e2e::scr_binary())
        .args(["audit", "verify"])
        .env("DATABASE_URL", &server.database_url)
        .output()
        .expect("scr audit verify");
    assert!(verify.status.success(), "{}", String::from_utf8_lossy(&verify.stderr));
    // And it serves again.
    let client = reqwest::Client::new();
    let token = login(&client, &server.base, "chair@scr.example").await;
    let (status, v) = post(&client, &server.base, &token, "{me{email}}", json!({})).await;
    assert_eq!((status, v["data"]["me"]["email"].as_str()), (200, Some("chair@scr.example")));
}
