//! PostgreSQL stops under the server and comes back: `/readyz` fails while it is away,
//! every request gets the code `UNAVAILABLE` (never a crash, never an anonymous
//! answer), and the server serves again on its own within seconds of its return. The
//! test runs its own PostgreSQL cluster (Debian's binaries, as the `postgres` user) so
//! that stopping it disturbs nothing else.

#![allow(clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;
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

#[tokio::test]
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
    println!("recovered {:.1?} after PostgreSQL came back", back.elapsed());
    drop(server);
    as_postgres(&pg_ctl, &["-D", &data_s, "-m", "fast", "-w", "stop"]);
    let _ = std::fs::remove_dir_all(&dir);
}
