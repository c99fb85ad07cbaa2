//! Connecting to the database and bringing its schema up to date.

use std::time::Duration;

use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr};

/// Opens a pool on `url`. SQLite files are created when missing and run in WAL mode
/// with foreign keys on, so readers do not block the writer and references hold.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.sqlx_logging(false).connect_timeout(Duration::from_secs(5)).acquire_timeout(Duration::from_secs(10));
    if url.starts_with("sqlite:") {
        opts.map_sqlx_sqlite_opts(|o| {
            o.create_if_missing(true)
                .foreign_keys(true)
                .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
        });
        // SQLite has one writer; a small pool keeps writers from queueing inside SQLite.
        opts.max_connections(8);
    } else {
        opts.max_connections(20);
    }
    Database::connect(opts).await
}

/// Applies every pending migration, then seals into the audit chain any entries an
/// older database wrote before the chain existed.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await?;
    crate::audit::seal_unchained(db).await.map(|_| ())
}

/// Whether the database answers a trivial query.
pub async fn ping(db: &DatabaseConnection) -> bool {
    db.execute_unprepared("SELECT 1").await.is_ok()
}

/// What a search box asks of a text column: `column` contains `typed`, in any case,
/// LIKE's own wildcards in what was typed matching themselves.
pub fn contains(column: sea_orm::sea_query::Expr, typed: &str) -> sea_orm::sea_query::Expr {
    use sea_orm::sea_query::{ExprTrait, Func, LikeExpr};
    sea_orm::sea_query::Expr::expr(Func::lower(column))
        .like(LikeExpr::new(format!("%{}%", escape_like(typed))).escape('\\'))
}

/// `typed` in lower case with `\`, `%` and `_` escaped for a LIKE pattern.
pub fn escape_like(typed: &str) -> String {
    typed.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}
