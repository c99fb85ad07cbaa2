//! The board's report over 1,000 reviews with their actions, through GraphQL (token,
//! caller, row scope, aggregation) against reading the same rows straight from the
//! database. Prints; asserts nothing about time.
//!
//! `cargo bench -p backend --bench reporting` runs the full size on a fresh SQLite
//! file, or on the empty database named by `SCR_BENCH_DATABASE_URL`. Under
//! `cargo test` (no `--bench` argument) it runs a small size.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use backend::app::{AppState, app};
use backend::auth::{Subject, Tokens};
use backend::context::Caller;
use backend::decision::NewReferral;
use backend::entities::*;
use backend::register::NewPerson;
use chrono::Utc;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use tower::ServiceExt;

const QUERY: &str = "{report{reviews timeliness{decisions decidedWithin28Days submissions submittedOnTime
    submittedOnTimeWithExtensions} overdueImrsByAgency{label count} overdueActionsByAgency{label count}
    actionsByStatus{label count} openActionsByAge{label count} reviewsByCategory{label count}
    themes{theme reviews findings}}}";

/// The rows the report counts, read directly.
async fn direct(db: &DatabaseConnection, board: i32) -> usize {
    let links = review_board::Entity::find().filter(review_board::Column::BoardId.eq(board)).all(db).await.unwrap();
    let ids: Vec<i32> = links.iter().map(|l| l.review_id).collect();
    let d = deadline::Entity::find().filter(deadline::Column::ReviewId.is_in(ids.clone())).all(db).await.unwrap();
    let i = imr::Entity::find().filter(imr::Column::ReviewId.is_in(ids.clone())).all(db).await.unwrap();
    let a = action::Entity::find().filter(action::Column::ReviewId.is_in(ids.clone())).all(db).await.unwrap();
    let c = criteria_assessment::Entity::find()
        .filter(criteria_assessment::Column::ReviewId.is_in(ids.clone()))
        .all(db)
        .await
        .unwrap();
    let f = finding::Entity::find().filter(finding::Column::ReviewId.is_in(ids)).all(db).await.unwrap();
    let t = finding_theme::Entity::find()
        .filter(finding_theme::Column::FindingId.is_in(f.iter().map(|x| x.id).collect::<Vec<_>>()))
        .all(db)
        .await
        .unwrap();
    d.len() + i.len() + a.len() + c.len() + f.len() + t.len()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (reviews, per_review, iterations) = if full { (1_000, 5, 50) } else { (20, 2, 3) };
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async move {
        let path = std::env::temp_dir().join(format!("scr_bench_reporting_{}.db", std::process::id()));
        let url =
            std::env::var("SCR_BENCH_DATABASE_URL").unwrap_or_else(|_| format!("sqlite://{}?mode=rwc", path.display()));
        let mut db = backend::db::connect(&url).await.unwrap();
        backend::db::migrate(&db).await.unwrap();
        backend::seed::seed_demo(&db).await.unwrap();
        let professional = user::Entity::find()
            .filter(user::Column::Email.eq("professional@scr.example"))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        let referrer = Caller::load(&db, &Subject::User(professional.id)).await.unwrap();
        let board = board::Entity::find().all(&db).await.unwrap()[0].id;
        let agencies: Vec<i32> = agency::Entity::find().all(&db).await.unwrap().iter().take(3).map(|a| a.id).collect();
        let seeded = Instant::now();
        // The report counts the first board's reviews; the demo's second board leads its own.
        let existing =
            review::Entity::find().filter(review::Column::LeadBoardId.eq(board)).all(&db).await.unwrap().len();
        for i in existing..reviews {
            let person = |relationship, name: String| NewPerson {
                relationship,
                label: None,
                name,
                aliases: vec![],
                date_of_birth: None,
                address: None,
                agency_id: None,
            };
            let id = backend::decision::submit_referral(
                &db,
                &referrer,
                NewReferral {
                    child: person(shared::stage::Relationship::Child, format!("Bench Child{i}")),
                    family: vec![],
                    circumstances: "A case for the reporting benchmark.".into(),
                    facts: Default::default(),
                    normal_residence_board_id: board,
                    looked_after_by_board_id: None,
                    other_involved_board_ids: vec![],
                    involved_agency_ids: agencies.clone(),
                    left_out_boards: vec![],
                    received_on: None,
                },
            )
            .await
            .unwrap();
            let now = Utc::now();
            let rows: Vec<action::ActiveModel> = (0..per_review)
                .map(|k| action::ActiveModel {
                    review_id: Set(id),
                    recommendation: Set(format!("Action {k}")),
                    agency_id: Set(agencies[k % agencies.len()]),
                    owner_id: Set(professional.id),
                    due_on: Set(now.date_naive() + chrono::Duration::days(k as i64 * 40 - 60)),
                    intended_outcome: Set("Outcome".into()),
                    success_measure: Set("Measure".into()),
                    status: Set(["open", "closure_requested", "implemented"][k % 3].into()),
                    signed_up_by: Set(None),
                    signed_up_at: Set(None),
                    closure_comment: Set(None),
                    closed_by: Set(None),
                    closed_at: Set(None),
                    reaudit_on: Set(None),
                    reaudit_result: Set(None),
                    version: Set(1),
                    created_at: Set(now - chrono::Duration::days(k as i64 * 70)),
                    ..Default::default()
                })
                .collect();
            action::Entity::insert_many(rows).exec(&db).await.unwrap();
            // Two findings a review, each with two learning themes.
            for k in 0..2usize {
                let f = finding::Entity::insert(finding::ActiveModel {
                    review_id: Set(id),
                    text: Set(format!("Finding {k}")),
                    recorded_by: Set(professional.id),
                    recorded_at: Set(now),
                    ..Default::default()
                })
                .exec(&db)
                .await
                .unwrap()
                .last_insert_id;
                let themes = shared::findings::Theme::ALL;
                let tags = (0..2).map(|j| finding_theme::ActiveModel {
                    finding_id: Set(f),
                    theme: Set(themes[(i + k + j * 5) % themes.len()].as_str().into()),
                    ..Default::default()
                });
                finding_theme::Entity::insert_many(tags).exec(&db).await.unwrap();
            }
        }
        let seeding = seeded.elapsed();
        let statements = Arc::new(AtomicUsize::new(0));
        let counter = statements.clone();
        db.set_metric_callback(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
        });
        let chair =
            user::Entity::find().filter(user::Column::Email.eq("chair@scr.example")).one(&db).await.unwrap().unwrap();
        let tokens = Tokens::new(vec![9; 48], chrono::Duration::minutes(15), None).unwrap();
        let token = tokens.issue(chair.id, chair.session_generation).unwrap();
        let router = app(AppState { db: db.clone(), tokens, mail: None, edge: backend::edge::Edge::unlimited(), sessions: backend::users::sessions::SessionRules::default(), oidc: Default::default() });
        let body = serde_json::json!({ "query": QUERY }).to_string();
        let fetch = || {
            let router = router.clone();
            let req = Request::post("/graphql")
                .header("content-type", "application/json")
                .header("authorization", format!("Bearer {token}"))
                .body(Body::from(body.clone()))
                .unwrap();
            async move { axum::body::to_bytes(router.oneshot(req).await.unwrap().into_body(), usize::MAX).await.unwrap() }
        };
        let before = statements.load(Ordering::SeqCst);
        let v: serde_json::Value = serde_json::from_slice(&fetch().await).unwrap();
        assert!(v.get("errors").is_none(), "{v}");
        assert_eq!(v["data"]["report"]["reviews"].as_u64().unwrap() as usize, reviews);
        let gql_statements = statements.load(Ordering::SeqCst) - before;
        let before = statements.load(Ordering::SeqCst);
        direct(&db, board).await;
        let direct_statements = statements.load(Ordering::SeqCst) - before;
        let (mut g, mut d) = (Vec::new(), Vec::new());
        for _ in 0..iterations {
            let t = Instant::now();
            std::hint::black_box(fetch().await);
            g.push(t.elapsed());
            let t = Instant::now();
            std::hint::black_box(direct(&db, board).await);
            d.push(t.elapsed());
        }
        g.sort();
        d.sort();
        println!(
            "reporting: {reviews} reviews, {} actions, on {} (seeded in {seeding:.1?}), {iterations} reports each",
            (reviews - existing) * per_review,
            if url.starts_with("postgres") { "PostgreSQL" } else { "SQLite" }
        );
        println!("| path | p50 | p95 | SQL statements |");
        println!("| --- | --- | --- | --- |");
        println!(
            "| GraphQL report (token, caller, row scope, counts) | {:.1?} | {:.1?} | {gql_statements} |",
            percentile(&g, 0.5),
            percentile(&g, 0.95)
        );
        println!("| sea-orm, same rows | {:.1?} | {:.1?} | {direct_statements} |", percentile(&d, 0.5), percentile(&d, 0.95));
        println!("ratio GraphQL / direct: p50 {:.2}x", percentile(&g, 0.5).as_secs_f64() / percentile(&d, 0.5).as_secs_f64());
        drop(router);
        drop(db);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    });
}
