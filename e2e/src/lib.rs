//! Helpers for end-to-end tests: start the real `scr` binary on a fresh SQLite file
//! and talk to it over HTTP. The browser tests will build on these.

// A test-support library: failing loudly with the reason is what it is for.
#![allow(clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// The `scr` binary under test: `SCR_BIN`, or the workspace's debug build.
pub fn scr_binary() -> PathBuf {
    let path = std::env::var_os("SCR_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/debug/scr")));
    assert!(path.exists(), "{} is missing: build it with `cargo build -p backend --bin scr`", path.display());
    path
}

/// A running `scr serve` on its own database, stopped when dropped.
#[derive(Debug)]
pub struct Server {
    child: Child,
    pub base: String,
    pub database_url: String,
    dir: PathBuf,
    options: Options,
}

/// How the server is started beyond the defaults.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Extra environment, e.g. `RUST_LOG` or `SCR_LOG_FORMAT`.
    pub env: Vec<(String, String)>,
    /// Where its standard error (the log) goes; discarded when `None`.
    pub log: Option<PathBuf>,
    /// Serve as in production: without `--dev`, so the token secret must come from the
    /// environment (`SCR_JWT_SECRET` in `env`).
    pub production: bool,
    /// The address to listen on (default: a free port on 127.0.0.1), for a server whose
    /// public address must be known before it starts (an identity provider's callback).
    pub bind: Option<String>,
}

impl Server {
    /// Seeds the demo data into a fresh SQLite file and serves it on a free port.
    pub fn start() -> Self {
        let dir = std::env::temp_dir().join(format!("scr_e2e_{}_{}", std::process::id(), unique()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let database_url = format!("sqlite://{}?mode=rwc", dir.join("scr.db").display());
        Self::start_on(database_url, dir)
    }

    /// Seeds the demo data into the empty database `database_url` and serves it; `dir`
    /// is removed when the server is dropped.
    pub fn start_on(database_url: String, dir: PathBuf) -> Self {
        Self::start_with(database_url, dir, Options::default())
    }

    /// As `start_on`, with `options`.
    pub fn start_with(database_url: String, dir: PathBuf, options: Options) -> Self {
        let seeded = Command::new(scr_binary())
            .arg("seed-demo")
            .env("DATABASE_URL", &database_url)
            .output()
            .expect("run scr seed-demo");
        assert!(seeded.status.success(), "seed-demo failed: {}", String::from_utf8_lossy(&seeded.stderr));
        let (child, base) = serve(&database_url, &options);
        Self { child, base, database_url, dir, options }
    }

    /// Serves `database_url` as it is (nothing seeded): for a database set up by the
    /// README's production commands.
    pub fn serve_as_is(database_url: String, dir: PathBuf) -> Self {
        Self::serve_as_is_with(database_url, dir, Options::default())
    }

    /// As `serve_as_is`, with `options`.
    pub fn serve_as_is_with(database_url: String, dir: PathBuf, options: Options) -> Self {
        let (child, base) = serve(&database_url, &options);
        Self { child, base, database_url, dir, options }
    }

    /// Serves the same database again (after `terminate` or `kill`), on a new port.
    pub fn restart(&mut self) {
        let (child, base) = serve(&self.database_url, &self.options);
        self.child = child;
        self.base = base;
    }

    /// The server process's resident memory, in KiB (Linux).
    pub fn rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status.lines().find_map(|l| l.strip_prefix("VmRSS:")).and_then(|v| v.split_whitespace().next()?.parse().ok())
    }

    /// Sends SIGKILL: the process dies at once, whatever it was doing.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Sends SIGTERM and waits for the process; returns whether it exited cleanly.
    pub fn terminate(&mut self) -> bool {
        self.send_sigterm();
        self.wait_exit()
    }

    /// Sends SIGTERM and returns at once.
    pub fn send_sigterm(&self) {
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
    }

    /// Waits for the process to end; returns whether it exited cleanly.
    pub fn wait_exit(&mut self) -> bool {
        self.child.wait().map(|s| s.success()).unwrap_or(false)
    }
}

/// Starts `scr serve` on `database_url` and a free port; returns it and its address.
fn serve(database_url: &str, options: &Options) -> (Child, String) {
    let stderr = match &options.log {
        Some(path) => Stdio::from(
            std::fs::OpenOptions::new().create(true).append(true).open(path).expect("open the server's log file"),
        ),
        None => Stdio::null(),
    };
    let bind = options.bind.clone().unwrap_or_else(|| "127.0.0.1:0".to_owned());
    let args: Vec<&str> =
        if options.production { vec!["serve", "--bind", &bind] } else { vec!["serve", "--dev", "--bind", &bind] };
    let mut child = Command::new(scr_binary())
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("SCR_CLIENT_DIR", concat!(env!("CARGO_MANIFEST_DIR"), "/../dist"))
        .env("RUST_LOG", "warn")
        // The tests sign in from one address far more often than people do.
        .env("SCR_SIGN_IN_PER_MINUTE", "10000")
        .env("SCR_ANONYMOUS_PER_MINUTE", "100000")
        .envs(options.env.iter().map(|(k, v)| (k, v)))
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("start scr serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("read the listening line");
    let base = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("scr serve did not say where it listens: {line:?}"))
        .to_owned();
    (child, base)
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn unique() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default()
}

/// The demo accounts, as `scr demo-logins` prints them.
pub fn demo_emails() -> Vec<String> {
    let out = Command::new(scr_binary()).arg("demo-logins").output().expect("run scr demo-logins");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next().filter(|w| w.contains('@')).map(str::to_owned))
        .collect()
}

/// The code an authenticator app shows now for the base32 `secret` (RFC 6238: SHA-1,
/// 6 digits, 30 seconds).
pub fn totp_now(secret: &str) -> String {
    let bytes = totp_rs::Secret::Encoded(secret.to_owned()).to_bytes().expect("a base32 secret");
    let totp = totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 0, 30, bytes, None, "e2e".into()).expect("a TOTP");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    totp.generate(now)
}
