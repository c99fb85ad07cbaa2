//! The migrations go up, all the way down and up again, on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Backend, fresh_database};
use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Statement};

async fn table_count(db: &sea_orm::DatabaseConnection) -> i64 {
    let sql = match db.get_database_backend() {
        sea_orm::DbBackend::Sqlite => {
            "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'seaql_migrations'"
        }
        _ => {
            "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'seaql_migrations'"
        }
    };
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

async fn migrations_go_up_down_and_up_again(b: Backend) {
    let (url, _cleanup) = fresh_database(b).await;
    let db = backend::db::connect(&url).await.unwrap();
    Migrator::up(&db, None).await.unwrap();
    let tables = table_count(&db).await;
    assert_eq!(tables, 52, "every table so far");
    Migrator::down(&db, None).await.unwrap();
    assert_eq!(table_count(&db).await, 0, "down removes every table");
    Migrator::up(&db, None).await.unwrap();
    assert_eq!(table_count(&db).await, tables);
    // Seeding works on the re-created schema.
    assert!(backend::seed::seed_demo(&db).await.unwrap());
    assert!(!backend::seed::seed_demo(&db).await.unwrap(), "seeding twice changes nothing");
}

on_both_databases!(migrations_go_up_down_and_up_again);
