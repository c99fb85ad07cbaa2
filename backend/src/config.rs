//! Configuration from the environment (and the matching command-line flags).

use std::net::SocketAddr;

/// Where the database is when `DATABASE_URL` is not set: a SQLite file in the
/// working directory, created when missing.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://scr.db?mode=rwc";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

/// Settings shared by every subcommand that touches the database.
#[derive(Debug, Clone, clap::Args)]
pub struct DatabaseArgs {
    /// Database URL: `sqlite://FILE?mode=rwc` or `postgres://USER@HOST/DB`.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,
}

/// Settings of `scr serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DatabaseArgs,
    /// Address to listen on.
    #[arg(long, env = "SCR_BIND", default_value = DEFAULT_BIND)]
    pub bind: SocketAddr,
    /// Secret for signing tokens, at least 32 bytes.
    #[arg(long, env = "SCR_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,
    /// PEM file or PEM text of an external identity provider's RS256 public key.
    #[arg(long, env = "SCR_JWT_PUBLIC_KEY", hide_env_values = true)]
    pub jwt_public_key: Option<String>,
    /// Issuer that external tokens must name.
    #[arg(long, env = "SCR_JWT_ISSUER", default_value = "")]
    pub jwt_issuer: String,
    /// Audience that external tokens must name.
    #[arg(long, env = "SCR_JWT_AUDIENCE", default_value = "scr")]
    pub jwt_audience: String,
    /// Lifetime of the access tokens this server issues, in seconds (a session renews
    /// them while it lasts).
    #[arg(long, env = "SCR_ACCESS_TOKEN_SECONDS", default_value_t = 300)]
    pub access_token_seconds: u32,
    /// A session not renewed for this many seconds ends (the client warns two
    /// minutes before).
    #[arg(long, env = "SCR_SESSION_IDLE_SECONDS", default_value_t = 1800)]
    pub session_idle_seconds: u32,
    /// No session lasts longer than this many hours.
    #[arg(long, env = "SCR_SESSION_HOURS", default_value_t = 12)]
    pub session_hours: u32,
    /// `required`: accounts that read names in full (and everyone on a board that asks)
    /// sign in with a second factor. `off` only for a demonstration. Default: `required`,
    /// `off` with `--dev`.
    #[arg(long, env = "SCR_SECOND_FACTOR", value_parser = ["required", "off"])]
    pub second_factor: Option<String>,
    /// Folder of the built browser client (`scripts/build-client.sh` writes `dist`).
    /// Served at `/` when it holds an `index.html`.
    #[arg(long, env = "SCR_CLIENT_DIR", default_value = "dist")]
    pub client_dir: std::path::PathBuf,
    /// SMTP server for invitations and password resets (as `scr send-digest` takes it).
    /// Without it, a link is answered once to the administrator who asked for it.
    #[arg(long, env = "SCR_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// Who those messages come from.
    #[arg(long, env = "SCR_MAIL_FROM", default_value = "Serious Case Reviews <scr@localhost>")]
    pub mail_from: String,
    /// The address people open the product at, for the links in messages.
    #[arg(long, env = "SCR_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
    pub public_url: String,
    /// Development mode: generate a throw-away token secret when none is set, and let
    /// the schema be introspected without signing in.
    #[arg(long)]
    pub dev: bool,
    /// `/metrics` answers only `Authorization: Bearer` this token; without it, `/metrics`
    /// is not served.
    #[arg(long, env = "SCR_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// Proxies (load balancers) whose `X-Forwarded-For` gives the client's address,
    /// comma-separated.
    #[arg(long, env = "SCR_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Sign-in attempts a client address may make a minute.
    #[arg(long, env = "SCR_SIGN_IN_PER_MINUTE", default_value_t = 10)]
    pub sign_in_per_minute: u32,
    /// Requests without signing in a client address may make a minute.
    #[arg(long, env = "SCR_ANONYMOUS_PER_MINUTE", default_value_t = 120)]
    pub anonymous_per_minute: u32,
    /// Seconds a client may take to send a request's body (evidence files: 120).
    #[arg(long, env = "SCR_BODY_TIMEOUT_SECONDS", default_value_t = 20)]
    pub body_timeout_seconds: u64,
    /// Append a signed anchor of the audit log's head to this file on a schedule (keep
    /// it on storage the database's administrators cannot write).
    #[arg(long, env = "SCR_AUDIT_ANCHOR_FILE")]
    pub audit_anchor_file: Option<std::path::PathBuf>,
    /// Minutes between anchors.
    #[arg(long, env = "SCR_AUDIT_ANCHOR_MINUTES", default_value_t = 60)]
    pub audit_anchor_minutes: u64,
    /// Seconds a client may take to send a request's headers.
    #[arg(long, env = "SCR_HEADER_TIMEOUT_SECONDS", default_value_t = 10)]
    pub header_timeout_seconds: u64,
}
