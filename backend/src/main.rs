//! `scr`: the Serious Case Review server and its administration commands.

use std::io::{IsTerminal, Read};

use backend::config::{DatabaseArgs, ServeArgs};
use backend::{app, auth, db, graphql, seed, users};
use clap::{Parser, Subcommand};
use shared::policy::Grant;
use shared::role::Role;
use shared::{AgencyId, BoardId};

#[derive(Parser)]
#[command(name = "scr", version, about = "Serious Case Reviews, from referral to the last action")]
struct Cli {
    /// How log lines are written to standard error: `text` for people, `json` (one
    /// object a line) for a log collector.
    #[arg(long, global = true, env = "SCR_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    /// The key the audit log's hashes are made with (HMAC-SHA-256, at least 32 bytes).
    /// Kept outside the database; give it to every command that writes or checks the
    /// log. `scr serve` refuses to start without it outside `--dev`.
    #[arg(long, global = true, env = "SCR_AUDIT_KEY", hide_env_values = true)]
    audit_key: Option<String>,
    /// Earlier audit keys, comma-separated, whose entries are still to be verified
    /// (after a rotation, until `scr audit rekey`).
    #[arg(long, global = true, env = "SCR_AUDIT_OLD_KEYS", hide_env_values = true, value_delimiter = ',')]
    audit_old_keys: Vec<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database, then serve the API.
    Serve(Box<ServeArgs>),
    /// Bring the database schema up to date.
    Migrate(DatabaseArgs),
    /// Set up an empty database: the first board, its local authority areas and the
    /// first system administrator. Asks for what the flags leave out (at a terminal);
    /// the administrator's password is read from standard input, or asked for without
    /// echo. Run again with the same board and administrator, it changes nothing; on a
    /// database already set up otherwise, it refuses.
    Init {
        #[command(flatten)]
        db: DatabaseArgs,
        #[arg(long)]
        board_name: Option<String>,
        /// A local authority area the board covers (repeat for several).
        #[arg(long = "area")]
        areas: Vec<String>,
        #[arg(long)]
        admin_email: Option<String>,
        #[arg(long)]
        admin_name: Option<String>,
    },
    /// Create a user; the password is read from standard input.
    CreateUser {
        #[command(flatten)]
        db: DatabaseArgs,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// One of: board_chair, business_manager, initial_panel_member, agency_manager,
        /// professional, performance_sub_group, inspector, partner_board, system_administrator.
        #[arg(long)]
        role: String,
        #[arg(long)]
        agency: Option<i32>,
        #[arg(long)]
        board: Option<i32>,
        #[arg(long)]
        job_title: Option<String>,
    },
    /// Approve a proposed role grant from the command line (for a board with nobody yet
    /// to approve it: its first Board Chair). Audited without a person.
    ApproveGrant {
        #[command(flatten)]
        db: DatabaseArgs,
        #[arg(long)]
        proposal: i32,
        /// The address people open the product at, for a link printed.
        #[arg(long, env = "SCR_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
        public_url: String,
    },
    /// Print a one-time link for a person to set their own password (an invitation if
    /// they have never signed in, else a reset). For whoever runs the server: the link
    /// reaches the person alone, so it serves an account that reads names when mail is
    /// not set up. Earlier links of the account stop working.
    PasswordLink {
        #[command(flatten)]
        db: DatabaseArgs,
        #[arg(long)]
        email: String,
        /// The address people open the product at.
        #[arg(long, env = "SCR_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
        public_url: String,
    },
    /// Load the demo board, users for every role and cases at every stage.
    SeedDemo(DatabaseArgs),
    /// Add N synthetic reviews at every stage (IMRs with chronologies, findings,
    /// actions, deadlines met, overdue and running) for runs at scale.
    SeedSynthetic {
        #[command(flatten)]
        db: DatabaseArgs,
        #[arg(long)]
        reviews: usize,
        /// Chronology entries in each IMR (three IMRs a review once IMRs are requested).
        #[arg(long, default_value_t = 100)]
        entries_per_imr: usize,
    },
    /// E-mail each user the digest of their due and overdue work (run it weekly).
    SendDigest {
        #[command(flatten)]
        db: DatabaseArgs,
        /// SMTP server: smtp://HOST:PORT, smtp://HOST:587?tls=required or smtps://USER:PASSWORD@HOST:465.
        #[arg(long, env = "SCR_SMTP_URL")]
        smtp_url: String,
        /// The sender, e.g. "Safeguarding Board <scr@board.example>".
        #[arg(long, env = "SCR_MAIL_FROM")]
        from: String,
    },
    /// Write a consistent copy of the SQLite database while it serves.
    Backup {
        #[command(flatten)]
        db: DatabaseArgs,
        /// The new file to write.
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Replace the SQLite database with a checked backup (stop `scr serve` first).
    Restore {
        #[command(flatten)]
        db: DatabaseArgs,
        /// The backup to restore.
        #[arg(long)]
        from: std::path::PathBuf,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Print the GraphQL schema (SDL).
    PrintSchema,
    /// Print the demo accounts and what each shows.
    DemoLogins,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Walk the hash chain: fails, naming the entry, when one was edited or removed;
    /// with `--anchors FILE`, also checks it against the anchors kept there.
    Verify {
        #[command(flatten)]
        db: DatabaseArgs,
        #[arg(long)]
        anchors: Option<std::path::PathBuf>,
    },
    /// Write the chain's head, signed with the audit key, as one line of JSON: appended
    /// to `--to FILE`, or to standard output, for a log kept outside the database.
    Anchor {
        #[command(flatten)]
        db: DatabaseArgs,
        #[arg(long)]
        to: Option<std::path::PathBuf>,
    },
    /// Rehash the whole chain with the current audit key, after checking it: once for a
    /// log written before the key was set, or to retire an old key.
    Rekey(DatabaseArgs),
}

type CliResult = Result<(), Box<dyn std::error::Error>>;

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    let logs = tracing_subscriber::fmt().with_writer(std::io::stderr).with_env_filter(
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into()),
    );
    match cli.log_format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.json().flatten_event(true).with_current_span(false).init(),
    }
    if let Err(e) = run(cli).await {
        eprintln!("scr: {e}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> CliResult {
    backend::audit::configure(cli.audit_key.as_deref(), &cli.audit_old_keys)?;
    match cli.command {
        Command::Serve(args) => serve(*args).await,
        Command::Migrate(args) => {
            let conn = db::connect(&args.database_url).await?;
            db::migrate(&conn).await?;
            println!("database is up to date");
            Ok(())
        }
        Command::Init { db: args, board_name, areas, admin_email, admin_name } => {
            let board_name = ask(board_name, "Board name")?;
            let areas = if areas.is_empty() {
                ask(None, "Local authority areas it covers (comma-separated)")?
                    .split(',')
                    .map(|a| a.trim().to_owned())
                    .filter(|a| !a.is_empty())
                    .collect()
            } else {
                areas
            };
            let admin_email = ask(admin_email, "First administrator's e-mail")?;
            let admin_name = ask(admin_name, "First administrator's name")?;
            let admin_password = if std::io::stdin().is_terminal() {
                rpassword::prompt_password("First administrator's password (12 characters or more): ")?
            } else {
                let mut p = String::new();
                std::io::stdin().read_to_string(&mut p)?;
                p.trim_end_matches(['\n', '\r']).to_owned()
            };
            let conn = db::connect(&args.database_url).await?;
            db::migrate(&conn).await?;
            let first = backend::init::FirstBoard { board_name, areas, admin_email, admin_name, admin_password };
            match backend::init::first_board(&conn, first).await {
                Ok(backend::init::Init::Created { board_id, admin_id }) => {
                    println!("set up board {board_id} and administrator {admin_id}: sign in with that e-mail address");
                    Ok(())
                }
                Ok(backend::init::Init::AlreadyDone { board_id }) => {
                    println!("already set up (board {board_id}): nothing changed");
                    Ok(())
                }
                Err(backend::errors::ApiError::Validation(errs)) => {
                    Err(errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; ").into())
                }
                Err(e) => Err(e.into()),
            }
        }
        Command::PasswordLink { db: args, email, public_url } => {
            let conn = db::connect(&args.database_url).await?;
            db::migrate(&conn).await?;
            match backend::users::links::issue_on_server(&conn, &email).await {
                Ok(issued) => {
                    println!("{}{}", public_url.trim_end_matches('/'), issued.path());
                    Ok(())
                }
                Err(backend::errors::ApiError::Validation(errs)) => {
                    Err(errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; ").into())
                }
                Err(e) => Err(e.into()),
            }
        }
        Command::ApproveGrant { db: args, proposal, public_url } => {
            let conn = db::connect(&args.database_url).await?;
            db::migrate(&conn).await?;
            match backend::users::grants::decide_grant(&conn, None, proposal, true, None, true).await {
                Ok(d) => {
                    println!("approved: {} for user {}", d.proposal.role, d.proposal.user_id);
                    if let Some(issued) = d.renewal {
                        println!(
                            "the account's password was set by someone else and has ended; give {} this link to set their own (valid {} days, once):\n{}{}",
                            issued.user.email,
                            backend::users::links::INVITATION_DAYS,
                            public_url.trim_end_matches('/'),
                            issued.path()
                        );
                    }
                    Ok(())
                }
                Err(backend::errors::ApiError::Validation(errs)) => {
                    Err(errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; ").into())
                }
                Err(e) => Err(e.into()),
            }
        }
        Command::CreateUser { db: args, email, name, role, agency, board, job_title } => {
            let role = Role::parse(&role).ok_or_else(|| format!("unknown role {role:?}"))?;
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password)?;
            let password = password.trim_end_matches(['\n', '\r']).to_owned();
            let conn = db::connect(&args.database_url).await?;
            db::migrate(&conn).await?;
            let input = users::NewUser {
                email,
                name,
                job_title,
                agency_id: agency,
                password,
                grants: vec![Grant {
                    role,
                    board: board.map(BoardId),
                    agency: agency.filter(|_| role.is_agency_role()).map(AgencyId),
                }],
            };
            match users::create_user(&conn, None, input).await {
                Ok(u) => {
                    println!("created user {} ({})", u.id, u.email);
                    Ok(())
                }
                Err(backend::errors::ApiError::Validation(errs)) => {
                    Err(errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; ").into())
                }
                Err(e) => Err(e.into()),
            }
        }
        Command::SeedDemo(args) => {
            let conn = db::connect(&args.database_url).await?;
            db::migrate(&conn).await?;
            if seed::seed_demo(&conn).await? {
                println!("demo data loaded");
            } else {
                println!("demo data already present");
            }
            Ok(())
        }
        Command::SeedSynthetic { db: args, reviews, entries_per_imr } => {
            let conn = db::connect(&args.database_url).await?;
            db::migrate(&conn).await?;
            let bar = indicatif::ProgressBar::new(reviews as u64);
            bar.set_style(indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} reviews, {elapsed} (about {eta} left)",
            )?);
            let started = std::time::Instant::now();
            let w = backend::seed::synthetic::seed(&conn, reviews, entries_per_imr, || bar.inc(1)).await?;
            bar.finish();
            println!(
                "{} reviews, {} IMRs, {} chronology entries, {} actions written in {:.1?}",
                w.reviews,
                w.imrs,
                w.entries,
                w.actions,
                started.elapsed()
            );
            Ok(())
        }
        Command::SendDigest { db: args, smtp_url, from } => {
            let conn = db::connect(&args.database_url).await?;
            let mailer = backend::attention::mail::Mailer::new(&smtp_url, &from)?;
            let sent = backend::attention::mail::send_digests(&conn, &mailer, chrono::Utc::now().date_naive()).await?;
            println!("{sent} digest(s) sent");
            Ok(())
        }
        Command::DemoLogins => {
            for (email, name, title, role, what) in seed::DEMO_USERS {
                println!("  {email:<32} {:<26} {name}, {title}: {what}", role.title());
            }
            Ok(())
        }
        Command::Backup { db: args, to } => {
            let conn = db::connect(&args.database_url).await?;
            backend::backup::backup(&conn, &to).await?;
            let entries = backend::backup::check(&to).await?;
            println!("backup written to {} and checked ({entries} audit entries chained)", to.display());
            Ok(())
        }
        Command::Restore { db: args, from } => {
            let entries = backend::backup::restore(&args.database_url, &from).await?;
            println!("restored from {} ({entries} audit entries chained)", from.display());
            Ok(())
        }
        Command::Audit { command: AuditCommand::Verify { db: args, anchors } } => {
            let conn = db::connect(&args.database_url).await?;
            let n = match backend::audit::verify(&conn).await? {
                Ok(n) => n,
                Err(broken) => return Err(format!("audit log broken: {broken}").into()),
            };
            match anchors {
                None => println!("audit log intact: {n} entries chained"),
                Some(file) => {
                    let lines = std::fs::read_to_string(&file)?;
                    match backend::audit::verify_anchors(&conn, &lines).await? {
                        Ok(k) => println!("audit log intact: {n} entries chained, matching {k} anchor(s)"),
                        Err(broken) => return Err(format!("audit log broken: {broken}").into()),
                    }
                }
            }
            Ok(())
        }
        Command::Audit { command: AuditCommand::Anchor { db: args, to } } => {
            let conn = db::connect(&args.database_url).await?;
            let line = serde_json::to_string(&backend::audit::anchor(&conn).await?)?;
            match to {
                Some(file) => {
                    use std::io::Write as _;
                    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(&file)?;
                    writeln!(f, "{line}")?;
                    println!("anchor appended to {}", file.display());
                }
                None => println!("{line}"),
            }
            Ok(())
        }
        Command::Audit { command: AuditCommand::Rekey(args) } => {
            let conn = db::connect(&args.database_url).await?;
            match backend::audit::rekey(&conn).await? {
                Ok(n) => {
                    println!("audit log rehashed with the current key: {n} entries");
                    Ok(())
                }
                Err(broken) => Err(format!("audit log broken, not rehashed: {broken}").into()),
            }
        }
        Command::PrintSchema => {
            print!("{}", graphql::sdl());
            Ok(())
        }
    }
}

async fn serve(args: ServeArgs) -> CliResult {
    let secret = match (&args.jwt_secret, args.dev) {
        (Some(s), _) => s.as_bytes().to_vec(),
        (None, true) => {
            tracing::warn!("development mode: using a random token secret; tokens end with this process");
            auth::Tokens::random_secret()
        }
        (None, false) => {
            return Err("SCR_JWT_SECRET is not set (at least 32 bytes); use --dev to generate a throw-away one".into());
        }
    };
    if backend::audit::current_key_id().is_none() {
        if !args.dev {
            return Err("SCR_AUDIT_KEY is not set (at least 32 bytes): the audit log's hashes are keyed with it".into());
        }
        tracing::warn!("development mode: no SCR_AUDIT_KEY, the audit log is hashed without a key");
    }
    let external = match &args.jwt_public_key {
        Some(k) => {
            let pem = if k.contains("-----BEGIN") { k.clone() } else { std::fs::read_to_string(k)? };
            if args.jwt_issuer.is_empty() {
                return Err("SCR_JWT_ISSUER must name the external identity provider".into());
            }
            Some(auth::Tokens::external_idp(&pem, args.jwt_issuer.clone(), args.jwt_audience.clone())?)
        }
        None => None,
    };
    let tokens =
        auth::Tokens::new(secret, chrono::Duration::seconds(i64::from(args.access_token_seconds.max(5))), external)?;
    let second_factor_required = match args.second_factor.as_deref() {
        Some(rule) => rule == "required",
        None => !args.dev,
    };
    if !second_factor_required {
        tracing::warn!("no second factor is asked for (SCR_SECOND_FACTOR=off or --dev): for a demonstration only");
    }
    if let Some(w) = shared::calendar::coverage_warning(chrono::Utc::now().date_naive()) {
        tracing::warn!("{w}");
    }
    let oidc = backend::oidc::Providers::new(backend::oidc::ProviderSettings::from_env()?, &args.public_url)?;
    for (id, name) in oidc.offered() {
        tracing::info!(%id, %name, "single sign-on offered");
    }
    let sessions = backend::users::sessions::SessionRules {
        idle: chrono::Duration::seconds(i64::from(args.session_idle_seconds.max(60))),
        absolute: chrono::Duration::hours(i64::from(args.session_hours.max(1))),
        clock: backend::users::sessions::Clock::default(),
        second_factor_required,
    };
    let conn = db::connect(&args.db.database_url).await?;
    db::migrate(&conn).await?;
    let client = args.client_dir.join("index.html").exists().then(|| args.client_dir.clone());
    match &client {
        Some(dir) => tracing::info!(dir = %dir.display(), "serving the browser client"),
        None => {
            tracing::warn!(dir = %args.client_dir.display(), "no browser client there (build it with scripts/build-client.sh): serving the API only")
        }
    }
    let mail = match &args.smtp_url {
        Some(url) => Some(backend::mailer::Mailer::new(url, &args.mail_from)?.with_link_base(&args.public_url)),
        None => {
            tracing::info!("no SCR_SMTP_URL: invitation and reset links are answered to the administrator");
            None
        }
    };
    let edge = backend::edge::Edge::new(
        args.dev,
        args.metrics_token.clone(),
        args.trusted_proxies.clone(),
        backend::edge::Limits {
            sign_in_per_minute: args.sign_in_per_minute,
            anonymous_per_minute: args.anonymous_per_minute,
        },
    )
    .with_body_deadline(std::time::Duration::from_secs(args.body_timeout_seconds));
    if let Some(file) = args.audit_anchor_file.clone() {
        let (db, every) = (conn.clone(), std::time::Duration::from_secs(args.audit_anchor_minutes.max(1) * 60));
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                let line = match backend::audit::anchor(&db).await.map(|a| serde_json::to_string(&a)) {
                    Ok(Ok(l)) => l,
                    Ok(Err(e)) => {
                        tracing::error!(error = %e, "the audit anchor could not be written");
                        continue;
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "the audit anchor could not be read");
                        continue;
                    }
                };
                let written = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&file)
                    .and_then(|mut f| std::io::Write::write_all(&mut f, format!("{line}\n").as_bytes()));
                if let Err(e) = written {
                    tracing::error!(error = %e, file = %file.display(), "the audit anchor could not be written");
                }
            }
        });
    }
    let router = app::app_with_client(app::AppState { db: conn, tokens, mail, edge, sessions, oidc }, client);
    let listener = tokio::net::TcpListener::bind(args.bind).await?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, "serving");
    println!("scr is listening on http://{addr} (GraphQL at http://{addr}/graphql)");
    backend::serve::serve(listener, router, std::time::Duration::from_secs(args.header_timeout_seconds), shutdown())
        .await?;
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down; finishing requests in flight");
}

/// A value from its flag, or asked for at a terminal; refused when neither.
fn ask(given: Option<String>, question: &str) -> Result<String, Box<dyn std::error::Error>> {
    if let Some(v) = given {
        return Ok(v);
    }
    if !std::io::stdin().is_terminal() {
        return Err(format!("{question}: give it as a flag (see `scr init --help`)").into());
    }
    eprint!("{question}: ");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim().to_owned())
}
