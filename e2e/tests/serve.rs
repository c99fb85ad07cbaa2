//! The real `scr` binary: seeded, served, signed into by every demo user, stopped
//! gracefully.

#![allow(clippy::expect_used, clippy::panic)]

use e2e::{Server, demo_emails};
use serde_json::{Value, json};

async fn gql(client: &reqwest::Client, base: &str, token: Option<&str>, query: &str, vars: Value) -> Value {
    let mut req = client.post(format!("{base}/graphql")).json(&json!({"query": query, "variables": vars}));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.expect("request");
    assert!(res.status().is_success(), "HTTP {}", res.status());
    res.json().await.expect("json")
}

#[tokio::test]
async fn the_served_binary_signs_in_every_demo_user_and_stops_on_sigterm() {
    let mut server = Server::start();
    let client = reqwest::Client::new();
    let base = server.base.clone();
    assert_eq!(client.get(format!("{base}/healthz")).send().await.expect("healthz").text().await.expect("body"), "ok");
    assert_eq!(client.get(format!("{base}/readyz")).send().await.expect("readyz").status(), 200);

    let emails = demo_emails();
    assert!(emails.len() >= 13, "{emails:?}");
    for email in &emails {
        let v = gql(
            &client,
            &base,
            None,
            "mutation($e:String!,$p:String!){login(email:$e,password:$p){token}}",
            json!({"e": email, "p": "scr-demo-password"}),
        )
        .await;
        let token =
            v["data"]["login"]["token"].as_str().unwrap_or_else(|| panic!("{email} cannot sign in: {v}")).to_owned();
        let me = gql(&client, &base, Some(&token), "{ me { email } reviews { reference } }", json!({})).await;
        assert_eq!(me["data"]["me"]["email"], email.as_str(), "{me}");
        if email == "chair@scr.example" {
            assert_eq!(
                me["data"]["reviews"].as_array().map(Vec::len),
                Some(11),
                "the demo has a case at every stage of the decision phase, two in the review phase and one planning its actions"
            );
        }
        if email == "admin@scr.example" {
            assert_eq!(me["data"]["reviews"], json!([]), "the administrator sees no case");
        }
    }
    // The client: deep links get index.html, never cached, under the CSP; hashed assets
    // are cached for good and come compressed.
    let page = client.get(format!("{base}/reviews/7")).send().await.expect("deep link");
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "no-cache");
    let csp = page.headers()["content-security-policy"].to_str().expect("csp").to_owned();
    assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'") && csp.contains("default-src 'none'"), "{csp}");
    let html = page.text().await.expect("html");
    let asset = html.split('"').find(|s| s.starts_with("/assets/app-")).expect("the stylesheet link").to_owned();
    let css = client.get(format!("{base}{asset}")).header("accept-encoding", "gzip").send().await.expect("asset");
    assert_eq!(css.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(css.headers()["content-encoding"], "gzip");
    // The page names its icon; the old `/favicon.ico` address is told there is none
    // instead of being answered with the page.
    let icon = html.split('"').find(|s| s.starts_with("/assets/favicon-")).expect("the icon link").to_owned();
    let svg = client.get(format!("{base}{icon}")).send().await.expect("icon");
    assert_eq!(svg.status(), 200);
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    let ico = client.get(format!("{base}/favicon.ico")).send().await.expect("favicon.ico");
    assert_eq!(ico.status(), 404);
    assert!(!ico.text().await.expect("text").contains("<html"), "favicon.ico is not the page");
    assert!(server.terminate(), "scr did not exit cleanly on SIGTERM");
}

#[test]
fn serve_refuses_to_start_without_a_token_secret() {
    let dir = std::env::temp_dir().join(format!("scr_e2e_secret_{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let out = std::process::Command::new(e2e::scr_binary())
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("DATABASE_URL", format!("sqlite://{}?mode=rwc", dir.join("scr.db").display()))
        .env_remove("SCR_JWT_SECRET")
        .output()
        .expect("run scr serve");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("SCR_JWT_SECRET"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let short = std::process::Command::new(e2e::scr_binary())
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("DATABASE_URL", format!("sqlite://{}?mode=rwc", dir.join("scr.db").display()))
        .env("SCR_JWT_SECRET", "too-short")
        .output()
        .expect("run scr serve");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 32 bytes"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn create_user_reads_the_password_from_stdin_and_the_user_can_sign_in() {
    use std::io::Write;
    let server = Server::start();
    let mut child = std::process::Command::new(e2e::scr_binary())
        .args([
            "create-user",
            "--email",
            "New.Chair@Board.example",
            "--name",
            "New Chair",
            "--role",
            "board_chair",
            "--board",
            "1",
        ])
        .env("DATABASE_URL", &server.database_url)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run scr create-user");
    child.stdin.take().expect("stdin").write_all(b"a-long-enough-password\n").expect("write password");
    let out = child.wait_with_output().expect("create-user output");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let client = reqwest::Client::new();
    let v = gql(&client, &server.base, None, "mutation{login(email:\"new.chair@board.example\",password:\"a-long-enough-password\"){user{roles{role boardId}}}}", json!({})).await;
    assert_eq!(v["data"]["login"]["user"]["roles"], json!([{"role": "BOARD_CHAIR", "boardId": 1}]), "{v}");
    // A bad role or short password is refused with the reason, nothing created.
    let bad = std::process::Command::new(e2e::scr_binary())
        .args(["create-user", "--email", "x@board.example", "--name", "X", "--role", "king"])
        .env("DATABASE_URL", &server.database_url)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run scr create-user");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown role"));
}

#[tokio::test]
async fn audit_verify_passes_on_the_demo_and_names_an_entry_changed_behind_its_back() {
    use sea_orm::ConnectionTrait;
    let server = Server::start();
    let verify = || {
        std::process::Command::new(e2e::scr_binary())
            .args(["audit", "verify"])
            .env("DATABASE_URL", &server.database_url)
            .output()
            .expect("run scr audit verify")
    };
    let ok = verify();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(
        String::from_utf8_lossy(&ok.stdout).contains("audit log intact"),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    // Someone with the database file rewrites what entry 5 says was done.
    let db = sea_orm::Database::connect(&server.database_url).await.expect("open the database");
    db.execute_unprepared("UPDATE audit_log SET operation = 'decide_review' WHERE id = 5").await.expect("tamper");
    db.close().await.expect("close");
    let caught = verify();
    assert_eq!(caught.status.code(), Some(1));
    let err = String::from_utf8_lossy(&caught.stderr);
    assert!(err.contains("audit entry 5 was changed"), "{err}");
}

#[tokio::test]
async fn a_backup_taken_while_serving_restores_the_database_as_it_was() {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    let mut server = Server::start();
    let database_url = server.database_url.clone();
    let scr = |args: &[&str]| {
        std::process::Command::new(e2e::scr_binary())
            .args(args)
            .env("DATABASE_URL", &database_url)
            .stdin(std::process::Stdio::null())
            .output()
            .expect("run scr")
    };
    let dir = std::env::temp_dir().join(format!("scr_backup_{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("backup dir");
    let backup = dir.join("scr-backup.db");
    let _ = std::fs::remove_file(&backup);
    // Taken while the server serves: consistent, checked.
    let out = scr(&["backup", "--to", backup.to_str().expect("path")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("checked"));
    // Not over an existing file.
    assert!(!scr(&["backup", "--to", backup.to_str().expect("path")]).status.success());
    // A change after the backup, then the server stops.
    let client = reqwest::Client::new();
    let login = "mutation{login(email:\"chair@scr.example\",password:\"scr-demo-password\"){token}}";
    let v = gql(&client, &server.base, None, login, json!({})).await;
    assert!(v["data"]["login"]["token"].is_string(), "{v}");
    let count = |db: &sea_orm::DatabaseConnection, sql: &'static str| {
        let db = db.clone();
        async move {
            let row =
                db.query_one_raw(Statement::from_string(DbBackend::Sqlite, sql)).await.expect("query").expect("row");
            row.try_get_by_index::<i64>(0).expect("count")
        }
    };
    let db = sea_orm::Database::connect(&database_url).await.expect("open");
    db.execute_unprepared("INSERT INTO agencies (name, kind, board_id) VALUES ('Added after the backup', 'police', 1)")
        .await
        .expect("insert");
    let agencies_after = count(&db, "SELECT COUNT(*) FROM agencies").await;
    db.close().await.expect("close");
    assert!(server.terminate());
    // A file that is not a database is refused, and the database is left alone.
    let junk = dir.join("junk.db");
    std::fs::write(&junk, b"not a database").expect("junk");
    assert!(!scr(&["restore", "--from", junk.to_str().expect("path")]).status.success());
    // The backup comes back: the later change is gone and the audit chain holds.
    let out = scr(&["restore", "--from", backup.to_str().expect("path")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let db = sea_orm::Database::connect(&database_url).await.expect("open");
    assert_eq!(count(&db, "SELECT COUNT(*) FROM agencies").await, agencies_after - 1);
    db.close().await.expect("close");
    let verified = scr(&["audit", "verify"]);
    assert!(verified.status.success(), "{}", String::from_utf8_lossy(&verified.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn seed_synthetic_adds_reviews_at_every_stage_with_their_records() {
    let dir = std::env::temp_dir().join(format!("scr_synthetic_{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let url = format!("sqlite://{}?mode=rwc", dir.join("scr.db").display());
    let out = std::process::Command::new(e2e::scr_binary())
        .args(["seed-synthetic", "--reviews", "36", "--entries-per-imr", "10"])
        .env("DATABASE_URL", &url)
        .output()
        .expect("run scr seed-synthetic");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stdout);
    // 18 stages twice over: 22 of the 36 are at or past "IMRs requested" (3 IMRs each),
    // 6 at or past action planning (3 actions each).
    assert!(said.contains("36 reviews, 66 IMRs, 660 chronology entries, 18 actions"), "{said}");
    let verify = std::process::Command::new(e2e::scr_binary())
        .args(["audit", "verify"])
        .env("DATABASE_URL", &url)
        .output()
        .expect("run scr audit verify");
    assert!(verify.status.success(), "{}", String::from_utf8_lossy(&verify.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A database with heavy combined chronologies, served; `dir` holds it.
fn serve_synthetic(reviews: &str, entries_per_imr: &str, options: e2e::Options) -> Server {
    let dir = std::env::temp_dir().join(format!("scr_heavy_{}_{}", std::process::id(), entries_per_imr));
    std::fs::create_dir_all(&dir).expect("dir");
    let url = format!("sqlite://{}?mode=rwc", dir.join("scr.db").display());
    let out = std::process::Command::new(e2e::scr_binary())
        .args(["seed-synthetic", "--reviews", reviews, "--entries-per-imr", entries_per_imr])
        .env("DATABASE_URL", &url)
        .output()
        .expect("run scr seed-synthetic");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Server::start_with(url, dir, options)
}

async fn sign_in(client: &reqwest::Client, base: &str, email: &str) -> String {
    let v = gql(
        client,
        base,
        None,
        "mutation($e:String!,$p:String!){login(email:$e,password:$p){token}}",
        json!({"e": email, "p": "scr-demo-password"}),
    )
    .await;
    v["data"]["login"]["token"].as_str().unwrap_or_else(|| panic!("{email} cannot sign in: {v}")).to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_lets_every_request_in_flight_finish_before_the_server_stops() {
    let mut server = serve_synthetic("12", "1200", e2e::Options::default());
    let client = reqwest::Client::new();
    let base = server.base.clone();
    let token = sign_in(&client, &base, "chair@scr.example").await;
    // The synthetic reviews with IMRs: their combined chronologies (3,600 entries) take a
    // while to merge and send, on a machine of any size.
    let list =
        gql(&client, &base, Some(&token), "{ reviews(first: 200) { id child { name } imrs { id } } }", json!({})).await;
    let heavy: Vec<i64> = list["data"]["reviews"]
        .as_array()
        .expect("reviews")
        .iter()
        .filter(|r| r["imrs"].as_array().is_some_and(|i| i.len() >= 3))
        .filter(|r| r["child"]["name"].as_str().is_some_and(|n| n.starts_with("Synthetic")))
        .filter_map(|r| r["id"].as_i64())
        .collect();
    assert!(heavy.len() >= 3, "{list}");
    let query = "query($id:Int!){review(id:$id){combinedChronology(first: 5000){entries{event agencyName}}}}";
    let requests: Vec<_> = heavy
        .iter()
        .cycle()
        .take(16)
        .map(|id| {
            let (client, base, token) = (client.clone(), base.clone(), token.clone());
            let id = *id;
            tokio::spawn(async move {
                let res = client
                    .post(format!("{base}/graphql"))
                    .bearer_auth(token)
                    .json(&json!({"query": query, "variables": {"id": id}}))
                    .send()
                    .await;
                let answer = match res {
                    Ok(r) if r.status().is_success() => r.json::<Value>().await.map_err(|e| e.to_string()),
                    Ok(r) => Err(format!("HTTP {}", r.status())),
                    Err(e) => Err(e.to_string()),
                };
                (answer, std::time::Instant::now())
            })
        })
        .collect();
    // Every request is sent and accepted well before the signal.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let signalled = std::time::Instant::now();
    server.send_sigterm();
    let mut finished_after_the_signal = 0;
    for r in requests {
        let (answer, at) = r.await.expect("request task");
        let v = answer.unwrap_or_else(|e| panic!("a request in flight was cut off by SIGTERM: {e}"));
        assert!(v.get("errors").is_none(), "{v}");
        assert!(
            v["data"]["review"]["combinedChronology"]["entries"].as_array().is_some_and(|e| e.len() >= 3_000),
            "an answer came back incomplete: {} entries",
            v["data"]["review"]["combinedChronology"]["entries"].as_array().map_or(0, Vec::len)
        );
        if at > signalled {
            finished_after_the_signal += 1;
        }
    }
    assert!(finished_after_the_signal > 0, "every request had finished before the signal: the test proves nothing");
    let exited = tokio::task::spawn_blocking(move || {
        let clean = server.wait_exit();
        (clean, server)
    })
    .await
    .expect("wait");
    assert!(exited.0, "scr did not exit cleanly on SIGTERM");
    assert!(client.get(format!("{base}/healthz")).send().await.is_err(), "still listening after SIGTERM");
    println!("{finished_after_the_signal} of 16 requests were still in flight at SIGTERM and finished");
}

#[tokio::test]
async fn json_logs_hold_one_object_a_line_and_no_personal_data() {
    let dir = std::env::temp_dir().join(format!("scr_logs_{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let log = dir.join("scr.log");
    let options = e2e::Options {
        env: vec![("SCR_LOG_FORMAT".into(), "json".into()), ("RUST_LOG".into(), "debug,sqlx=warn,sea_orm=warn".into())],
        log: Some(log.clone()),
        ..e2e::Options::default()
    };
    let url = format!("sqlite://{}?mode=rwc", dir.join("scr.db").display());
    let mut server = Server::start_with(url, dir.clone(), options);
    let client = reqwest::Client::new();
    let base = server.base.clone();
    // A failed sign-in, a good one, names asked for and answered, a refused token, a
    // calendar feed with its token in the address.
    let failed = gql(
        &client,
        &base,
        None,
        "mutation{login(email:\"chair@scr.example\",password:\"Wrong-Password-9\"){token}}",
        json!({}),
    )
    .await;
    assert!(failed["errors"].is_array(), "{failed}");
    let token = sign_in(&client, &base, "chair@scr.example").await;
    let named = gql(
        &client,
        &base,
        Some(&token),
        "{ reviews(first: 200) { id child { name } people { name address } } }",
        json!({}),
    )
    .await;
    let names: Vec<String> = named["data"]["reviews"]
        .as_array()
        .expect("reviews")
        .iter()
        .flat_map(|r| r["people"].as_array().cloned().unwrap_or_default())
        .filter_map(|p| p["name"].as_str().map(str::to_owned))
        .collect();
    assert!(names.len() > 10, "{named}");
    gql(&client, &base, Some("not.a.token"), "{ me { email } }", json!({})).await;
    let feed = gql(&client, &base, Some(&token), "{ calendarFeedUrl }", json!({})).await;
    let feed = feed["data"]["calendarFeedUrl"].as_str().expect("feed url").to_owned();
    let calendar_token = feed.split("token=").nth(1).expect("token in the feed url").to_owned();
    assert_eq!(client.get(format!("{base}{feed}")).send().await.expect("feed").status(), 200);
    assert!(server.terminate());

    let written = std::fs::read_to_string(&log).expect("the log");
    let lines: Vec<&str> = written.lines().filter(|l| !l.trim().is_empty()).collect();
    let requests = lines
        .iter()
        .map(|l| serde_json::from_str::<Value>(l).unwrap_or_else(|e| panic!("not one JSON object ({e}): {l}")))
        .filter(|v| v["target"] == "scr::request")
        .inspect(|v| assert!(v["route"].is_string() && v["status"].is_u64() && v["ms"].is_f64(), "{v}"))
        .count();
    assert!(requests >= 6, "every request is logged: {written}");
    let secrets = ["chair@scr.example", "Wrong-Password-9", "scr-demo-password", &token, &calendar_token];
    for needle in names.iter().map(String::as_str).chain(secrets) {
        assert!(!written.contains(needle), "the log holds {needle:?}:\n{written}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A client that trickles its request, a header line or a body byte at a time, is cut
/// off at the deadline instead of holding its connection open.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_trickled_in_is_cut_off_at_its_deadline() {
    use std::io::{Read, Write};
    use std::time::{Duration, Instant};
    let dir = std::env::temp_dir().join(format!("scr_slow_{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let options = e2e::Options {
        env: vec![("SCR_HEADER_TIMEOUT_SECONDS".into(), "2".into()), ("SCR_BODY_TIMEOUT_SECONDS".into(), "3".into())],
        ..e2e::Options::default()
    };
    let url = format!("sqlite://{}?mode=rwc", dir.join("scr.db").display());
    let server = Server::start_with(url, dir, options);
    let addr = server.base.trim_start_matches("http://").to_owned();
    // Sends `first`, then `each` every half second; the time until the server closes.
    let trickle = |first: String, each: &'static [u8]| {
        let addr = addr.clone();
        std::thread::spawn(move || {
            let mut s = std::net::TcpStream::connect(&addr).expect("connect");
            s.set_read_timeout(Some(Duration::from_millis(500))).expect("timeout");
            let started = Instant::now();
            s.write_all(first.as_bytes()).expect("write");
            let mut buf = [0u8; 4096];
            while started.elapsed() < Duration::from_secs(30) {
                if s.write_all(each).is_err() {
                    break;
                }
                match s.read(&mut buf) {
                    Ok(0) => break,
                    Ok(_) => {
                        // An answer (408, or 400 for what came before the cut): the
                        // connection then closes.
                        let _ = s.read(&mut buf);
                        break;
                    }
                    Err(e)
                        if e.kind() == std::io::ErrorKind::WouldBlock || e.kind() == std::io::ErrorKind::TimedOut => {}
                    Err(_) => break,
                }
            }
            started.elapsed()
        })
    };
    let headers = trickle("POST /graphql HTTP/1.1\r\nHost: x\r\n".into(), b"X-Slow: 1\r\n").join().expect("thread");
    assert!(headers < Duration::from_secs(8), "headers trickled in kept the connection {headers:?}");
    let body = trickle(
        "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{".into(),
        b" ",
    )
    .join()
    .expect("thread");
    assert!(body < Duration::from_secs(9), "a body trickled in kept the connection {body:?}");
}
