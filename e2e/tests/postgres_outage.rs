//! PostgreSQL stops under the server, under load, and comes back: `/readyz` fails while
//! it is away, every request gets an answer or the code `UNAVAILABLE` (never a 5xx,
//! never a crash, never an anonymous answer), and the server serves every client again
//! on its own within seconds of its return. The
//! test runs its own PostgreSQL cluster (Debian's binaries, as the `postgres` user) so
//! that stopping it disturbs nothing else.

#![allow(clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use e2e::Server;
use serde_json::{Value, json};

fn pg_bin(name: &str) -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL's binaries (scripts/ensure-postgres.sh installs them)")
        .filter_map(|e| e.ok().map(|e| e.path().join("bin").join(name)))
        .filter(|p| p.exists())
        .collect();
    found.sort();
    found.pop().unwrap_or_else(|| panic!("no {name}"))
}

fn as_postgres(program: &Path, args: &[&str]) {
    let out =
        Command::new("runuser").arg("-u").arg("postgres").arg("--").arg(program).args(args).output().expect("runuser");
    assert!(out.status.success(), "{} {args:?}: {}", program.display(), String::from_utf8_lossy(&out.stderr));
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

async fn gql(client: &reqwest::Client, base: &str, token: Option<&str>, query: &str) -> (u16, Value) {
    let mut req = client.post(format!("{base}/graphql")).json(&json!({"query": query}));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.expect("request");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// What one request of the load got.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Answered,
    Unavailable,
    /// Anything else: a transport error, a 5xx, another error code.
    Wrong(String),
}

/// One request of the load: when it was sent, when it was answered, and how.
type Sample = (Instant, Instant, Outcome);

/// `clients` senders reading as the chair, in turn, until `stop`.
fn load(base: &str, token: &str, clients: usize, stop: Arc<AtomicBool>) -> Arc<Mutex<Vec<Sample>>> {
    let samples = Arc::new(Mutex::new(Vec::new()));
    let queries = [
        "{ reviews { id } }",
        "{ me { email roles { role } } }",
        "{ unreadNotificationCount notifications { message } }",
    ];
    for k in 0..clients {
        let (base, token, stop, samples) = (base.to_owned(), token.to_owned(), stop.clone(), samples.clone());
        tokio::spawn(async move {
            let client = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().expect("client");
            let mut n = k;
            while !stop.load(Ordering::SeqCst) {
                let sent = Instant::now();
                let res = client
                    .post(format!("{base}/graphql"))
                    .bearer_auth(&token)
                    .json(&json!({"query": queries[n % queries.len()]}))
                    .send()
                    .await;
                n += 1;
                let outcome = match res {
                    Err(e) => Outcome::Wrong(format!("transport: {e}")),
                    Ok(r) if r.status().is_server_error() => Outcome::Wrong(format!("HTTP {}", r.status())),
                    Ok(r) => {
                        let v: Value = r.json().await.unwrap_or(Value::Null);
                        match v["errors"][0]["extensions"]["code"].as_str() {
                            None if v["data"].is_object() => Outcome::Answered,
                            Some("UNAVAILABLE") => Outcome::Unavailable,
                            _ => Outcome::Wrong(v.to_string()),
                        }
                    }
                };
                samples.lock().expect("samples").push((sent, Instant::now(), outcome));
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        });
    }
    samples
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_reports_the_database_gone_and_recovers_on_its_own() {
    let dir = std::env::temp_dir().join(format!("scr_pg_outage_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let data = dir.join("data");
    std::fs::create_dir_all(&data).expect("data dir");
    let chown = Command::new("chown").args(["-R", "postgres:postgres", dir.to_str().expect("path")]).status();
    assert!(chown.expect("chown").success());
    let data_s = data.to_str().expect("path").to_owned();
    as_postgres(&pg_bin("initdb"), &["-D", &data_s, "-A", "trust", "-U", "postgres", "--no-sync"]);
    let port = free_port().to_string();
    let opts = format!("-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off", dir.display());
    let log = dir.join("pg.log");
    let log_s = log.to_str().expect("path").to_owned();
    let pg_ctl = pg_bin("pg_ctl");
    as_postgres(&pg_ctl, &["-D", &data_s, "-o", &opts, "-l", &log_s, "-w", "start"]);

    let url = format!("postgres://postgres@127.0.0.1:{port}/postgres");
    let server = Server::start_on(url, dir.join("scr"));
    let client = reqwest::Client::new();
    let login = "mutation{login(email:\"chair@scr.example\",password:\"scr-demo-password\"){token}}";
    let (_, v) = gql(&client, &server.base, None, login).await;
    let token = v["data"]["login"]["token"].as_str().expect("token").to_owned();
    let ready = |c: reqwest::Client, base: String| async move {
        c.get(format!("{base}/readyz")).send().await.map(|r| r.status().as_u16()).unwrap_or(0)
    };
    assert_eq!(ready(client.clone(), server.base.clone()).await, 200);
    let stop = Arc::new(AtomicBool::new(false));
    let samples = load(&server.base, &token, 12, stop.clone());
    tokio::time::sleep(Duration::from_secs(1)).await;

    let stopped = Instant::now();
    as_postgres(&pg_ctl, &["-D", &data_s, "-m", "immediate", "-w", "stop"]);
    assert_eq!(ready(client.clone(), server.base.clone()).await, 503, "not ready while the database is away");
    let (status, v) = gql(&client, &server.base, Some(&token), "{ reviews { id } }").await;
    assert!(status < 500, "{status} {v}");
    assert_eq!(v["errors"][0]["extensions"]["code"], "UNAVAILABLE", "{v}");

    as_postgres(&pg_ctl, &["-D", &data_s, "-o", &opts, "-l", &log_s, "-w", "start"]);
    let back = Instant::now();
    loop {
        let (_, v) = gql(&client, &server.base, Some(&token), "{ reviews { id } }").await;
        if v["data"]["reviews"].is_array() && ready(client.clone(), server.base.clone()).await == 200 {
            break;
        }
        assert!(back.elapsed() < Duration::from_secs(30), "not recovered 30 s after the database returned: {v}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let recovered = Instant::now();
    println!("recovered {:.1?} after PostgreSQL came back", back.elapsed());
    // The load goes on a while after: every client is served again.
    tokio::time::sleep(Duration::from_secs(2)).await;
    stop.store(true, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let samples = samples.lock().expect("samples").clone();
    let wrong: Vec<&Sample> = samples.iter().filter(|s| matches!(s.2, Outcome::Wrong(_))).collect();
    assert!(wrong.is_empty(), "answers neither served nor UNAVAILABLE: {:?}", &wrong[..wrong.len().min(5)]);
    let before = samples.iter().filter(|s| s.1 < stopped).count();
    assert!(before > 0 && samples.iter().filter(|s| s.1 < stopped).all(|s| s.2 == Outcome::Answered));
    let unavailable = samples.iter().filter(|s| s.2 == Outcome::Unavailable).count();
    assert!(unavailable > 0, "the load never saw the database away");
    let after: Vec<&Sample> = samples.iter().filter(|s| s.0 > recovered).collect();
    assert!(after.len() >= 12, "too little load after the return: {}", after.len());
    assert!(after.iter().all(|s| s.2 == Outcome::Answered), "a request sent after recovery failed");
    println!(
        "under load (12 clients): {} requests, {before} answered before the stop, {unavailable} UNAVAILABLE while \
         PostgreSQL was away, {} answered after its return, none wrong",
        samples.len(),
        after.len()
    );
    drop(server);
    as_postgres(&pg_ctl, &["-D", &data_s, "-m", "fast", "-w", "stop"]);
    let _ = std::fs::remove_dir_all(&dir);
}
