//! Fetching one review with its decision-phase records, the people's names asked for in
//! full, through GraphQL (the real router, token check included) against the fair
//! direct baseline: the caller read, the review read only if `access::in_scope` finds
//! it, then the same rows straight through sea-orm. At 100, 1,000 and 10,000 reviews
//! in the database. Prints; asserts nothing about time.
//!
//! `cargo bench -p backend --bench review_fetch` runs the full sizes
//! (`SCR_BENCH_SIZES=100,1000` picks others). Under `cargo test` (no `--bench`
//! argument) it runs a small size, so the benchmark itself stays working.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use backend::app::{AppState, app};
use backend::auth::{Subject, Tokens};
use backend::context::Caller;
use backend::entities::*;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use tower::ServiceExt;

const QUERY: &str =
    "query($id:Int!){review(id:$id){ reference stage referredOn decidedOn leadBoard{name} partnerBoards{name}
  involvedAgencies{name} deadlines{kind dueOn status} people{label name aliases dateOfBirth address}
  referral{circumstances facts{childDied} proposal{category}} criteriaAssessments{category reasons}
  recommendation{reasons scope} decision{conduct reasons} ofstedNotification{sentOn} setupChecklist{item done note}
  appointments{assignment name} termsOfReference{version answers{text notApplicable}} }}";

/// The same rows as the query, read directly, with the same row scope: who asks, and
/// the review only if it is in their scope.
async fn direct(db: &DatabaseConnection, chair: i32, id: i32) -> usize {
    let caller = Caller::load(db, &Subject::User(chair)).await.unwrap();
    let r = review::Entity::find_by_id(id).filter(backend::access::in_scope(&caller)).one(db).await.unwrap().unwrap();
    let links = review_board::Entity::find().filter(review_board::Column::ReviewId.eq(id)).all(db).await.unwrap();
    let boards =
        board::Entity::find().filter(board::Column::Id.is_in(links.iter().map(|l| l.board_id))).all(db).await.unwrap();
    let ra = review_agency::Entity::find().filter(review_agency::Column::ReviewId.eq(id)).all(db).await.unwrap();
    let agencies =
        agency::Entity::find().filter(agency::Column::Id.is_in(ra.iter().map(|l| l.agency_id))).all(db).await.unwrap();
    let deadlines = deadline::Entity::find().filter(deadline::Column::ReviewId.eq(id)).all(db).await.unwrap();
    let people = person::Entity::find().filter(person::Column::ReviewId.eq(id)).all(db).await.unwrap();
    let referral = referral::Entity::find().filter(referral::Column::ReviewId.eq(id)).all(db).await.unwrap();
    let assessments =
        criteria_assessment::Entity::find().filter(criteria_assessment::Column::ReviewId.eq(id)).all(db).await.unwrap();
    let rec = recommendation::Entity::find().filter(recommendation::Column::ReviewId.eq(id)).all(db).await.unwrap();
    let dec = decision::Entity::find().filter(decision::Column::ReviewId.eq(id)).all(db).await.unwrap();
    let notes = notification::Entity::find().filter(notification::Column::ReviewId.eq(id)).all(db).await.unwrap();
    let items = setup_checklist_item::Entity::find()
        .filter(setup_checklist_item::Column::ReviewId.eq(id))
        .all(db)
        .await
        .unwrap();
    let assigned =
        review_assignment::Entity::find().filter(review_assignment::Column::ReviewId.eq(id)).all(db).await.unwrap();
    let users =
        user::Entity::find().filter(user::Column::Id.is_in(assigned.iter().map(|a| a.user_id))).all(db).await.unwrap();
    let terms =
        terms_of_reference::Entity::find().filter(terms_of_reference::Column::ReviewId.eq(id)).all(db).await.unwrap();
    r.id as usize
        + boards.len()
        + agencies.len()
        + deadlines.len()
        + people.len()
        + referral.len()
        + assessments.len()
        + rec.len()
        + dec.len()
        + notes.len()
        + items.len()
        + users.len()
        + terms.len()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let sizes: Vec<usize> = match std::env::var("SCR_BENCH_SIZES") {
        Ok(s) => s.split(',').map(|n| n.trim().parse().expect("SCR_BENCH_SIZES: numbers")).collect(),
        Err(_) if full => vec![100, 1_000, 10_000],
        Err(_) => vec![20],
    };
    let iterations = if full { 400 } else { 5 };
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async move {
        let path = std::env::temp_dir().join(format!("scr_bench_{}.db", std::process::id()));
        let url =
            std::env::var("SCR_BENCH_DATABASE_URL").unwrap_or_else(|_| format!("sqlite://{}?mode=rwc", path.display()));
        let mut db = backend::db::connect(&url).await.unwrap();
        backend::db::migrate(&db).await.unwrap();
        backend::seed::seed_demo(&db).await.unwrap();
        let statements = Arc::new(AtomicUsize::new(0));
        let counter = statements.clone();
        db.set_metric_callback(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
        });
        let chair =
            user::Entity::find().filter(user::Column::Email.eq("chair@scr.example")).one(&db).await.unwrap().unwrap();
        let tokens = Tokens::new(vec![9; 48], chrono::Duration::minutes(15), None).unwrap();
        let token = tokens.issue(chair.id, chair.session_generation).unwrap();
        let router = app(AppState {
            db: db.clone(),
            tokens,
            mail: None,
            edge: backend::edge::Edge::unlimited(),
            sessions: backend::users::sessions::SessionRules::default(),
            oidc: Default::default(),
        });
        println!(
            "review_fetch on {}: {iterations} fetches of each path, interleaved",
            if url.starts_with("postgres") { "PostgreSQL" } else { "SQLite" }
        );
        println!("| reviews | GraphQL p50 / p95 | baseline p50 / p95 | ratio (p50) | statements GraphQL / baseline |");
        println!("| --- | --- | --- | --- | --- |");
        for size in sizes {
            let have = review::Entity::find().count(&db).await.unwrap() as usize;
            if size > have {
                backend::seed::synthetic::seed(&db, size - have, 10, || {}).await.unwrap();
            }
            // The planner's statistics brought up to date, as autovacuum does soon after
            // a bulk load: measured straight after one, PostgreSQL plans from stale counts.
            if url.starts_with("postgres") {
                sea_orm::ConnectionTrait::execute_unprepared(&db, "ANALYZE").await.unwrap();
            }
            let target = review::Entity::find()
                .filter(review::Column::Stage.eq("terms_agreed"))
                .one(&db)
                .await
                .unwrap()
                .unwrap()
                .id;
            let body = serde_json::json!({"query": QUERY, "variables": {"id": target}}).to_string();
            let request = || {
                Request::post("/graphql")
                    .header("content-type", "application/json")
                    .header("authorization", format!("Bearer {token}"))
                    .body(Body::from(body.clone()))
                    .unwrap()
            };
            // Check the answer once, and count its statements.
            let before = statements.load(Ordering::SeqCst);
            let res = router.clone().oneshot(request()).await.unwrap();
            let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
            let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            assert!(v.get("errors").is_none(), "{v}");
            let gql_statements = statements.load(Ordering::SeqCst) - before;
            let before = statements.load(Ordering::SeqCst);
            direct(&db, chair.id, target).await;
            let direct_statements = statements.load(Ordering::SeqCst) - before;
            let mut g = Vec::with_capacity(iterations);
            let mut d = Vec::with_capacity(iterations);
            for _ in 0..iterations / 10 + 1 {
                router.clone().oneshot(request()).await.unwrap();
                direct(&db, chair.id, target).await;
            }
            // Interleave the two so both see the same machine.
            for _ in 0..iterations {
                let t = Instant::now();
                let res = router.clone().oneshot(request()).await.unwrap();
                axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
                g.push(t.elapsed());
                let t = Instant::now();
                std::hint::black_box(direct(&db, chair.id, target).await);
                d.push(t.elapsed());
            }
            g.sort();
            d.sort();
            println!(
                "| {size} | {:.2?} / {:.2?} | {:.2?} / {:.2?} | {:.2}x | {gql_statements} / {direct_statements} |",
                percentile(&g, 0.5),
                percentile(&g, 0.95),
                percentile(&d, 0.5),
                percentile(&d, 0.95),
                percentile(&g, 0.5).as_secs_f64() / percentile(&d, 0.5).as_secs_f64(),
            );
        }
        drop(router);
        drop(db);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    });
}
