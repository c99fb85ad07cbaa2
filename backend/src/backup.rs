//! `scr backup` and `scr restore` for the SQLite database. A backup is taken while
//! `scr serve` runs (`VACUUM INTO` writes a consistent copy from one read transaction);
//! a restore checks the copy (SQLite's integrity check and the audit chain) before it
//! replaces the database file, and is done with the server stopped. PostgreSQL has its
//! own tools (`pg_dump` / `pg_restore`; see the README).

use std::path::{Path, PathBuf};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The file of a `sqlite:` database URL.
pub fn sqlite_file(url: &str) -> Result<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .ok_or("backup and restore are for the SQLite database; on PostgreSQL use pg_dump and pg_restore")?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Err("the database URL names no file".into());
    }
    Ok(PathBuf::from(path))
}

/// Writes a consistent copy of the live database to `to`, which must not exist.
pub async fn backup(db: &DatabaseConnection, to: &Path) -> Result<()> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return Err("backup is for the SQLite database; on PostgreSQL use pg_dump".into());
    }
    if to.exists() {
        return Err(format!("{} exists already; choose a new file", to.display()).into());
    }
    let target = to.to_str().ok_or("the backup's path is not valid UTF-8")?.replace('\'', "''");
    db.execute_unprepared(&format!("VACUUM INTO '{target}'")).await?;
    Ok(())
}

/// What a backup holds once checked: the number of audit entries in its intact chain.
pub async fn check(from: &Path) -> Result<u64> {
    if !from.is_file() {
        return Err(format!("{} is not a file", from.display()).into());
    }
    let url = format!("sqlite://{}?mode=ro", from.display());
    let db = Database::connect(&url).await?;
    let rows = db
        .query_all_raw(Statement::from_string(DbBackend::Sqlite, "PRAGMA integrity_check"))
        .await
        .map_err(|e| format!("{} is not a readable SQLite database: {e}", from.display()))?;
    let verdict: Vec<String> = rows.iter().filter_map(|r| r.try_get_by_index::<String>(0).ok()).collect();
    if verdict != ["ok"] {
        return Err(format!("{} fails SQLite's integrity check: {}", from.display(), verdict.join("; ")).into());
    }
    let entries = match crate::audit::verify(&db).await {
        Ok(Ok(n)) => n,
        Ok(Err(broken)) => return Err(format!("the backup's audit log is broken: {broken}").into()),
        Err(e) => return Err(format!("{} is not a database of this system: {e}", from.display()).into()),
    };
    db.close().await?;
    Ok(entries)
}

/// Replaces the database file with the checked backup `from`. The server must be
/// stopped: the old file and its write-ahead log are replaced under it otherwise.
pub async fn restore(database_url: &str, from: &Path) -> Result<u64> {
    let target = sqlite_file(database_url)?;
    let entries = check(from).await?;
    let staging = target.with_extension("restoring");
    std::fs::copy(from, &staging)?;
    for suffix in ["-wal", "-shm"] {
        let mut side = target.clone().into_os_string();
        side.push(suffix);
        match std::fs::remove_file(PathBuf::from(side)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
    }
    std::fs::rename(&staging, &target)?;
    Ok(entries)
}
