//! An empty PostgreSQL database for the README's production commands, and those
//! commands run as a person would run them.

#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use e2e::scr_binary;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

/// The audit key the production commands are given (README: `SCR_AUDIT_KEY`).
pub const AUDIT_KEY: &str = "an audit key for the production set-up tests";

/// Runs `scr args` on `database_url` with the audit key, `stdin` typed in.
pub fn scr(args: &[&str], database_url: &str, stdin: &str) -> Output {
    let mut child = Command::new(scr_binary())
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("SCR_AUDIT_KEY", AUDIT_KEY)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run scr");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
    child.wait_with_output().expect("scr output")
}

/// A new, empty PostgreSQL database `name`: its URL, and the connection that drops it.
pub async fn empty_database(name: &str) -> (String, DatabaseConnection) {
    let admin_url =
        std::env::var("SCR_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let admin = Database::connect(&admin_url).await.expect("PostgreSQL on 127.0.0.1:5432 (scripts/ensure-postgres.sh)");
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.expect("drop");
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create");
    let (base_url, _) = admin_url.rsplit_once('/').expect("a database in the URL");
    (format!("{base_url}/{name}"), admin)
}

/// `scr init`'s flags for the first board and its administrator.
pub const INIT: [&str; 9] = [
    "init",
    "--board-name",
    "Stockport Safeguarding Children Board",
    "--area",
    "Stockport",
    "--admin-email",
    "admin@stockport.example",
    "--admin-name",
    "Pat Admin",
];

/// The README's `scr migrate` then `scr init`, the password typed in.
pub fn migrate_and_init(url: &str, password: &str) -> Output {
    let migrated = scr(&["migrate"], url, "");
    assert!(migrated.status.success(), "{}", String::from_utf8_lossy(&migrated.stderr));
    let done = scr(&INIT, url, &format!("{password}\n"));
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    done
}
