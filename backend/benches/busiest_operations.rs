//! The five operations the client sends most (who am I, the unread count in the
//! header, the dashboard, a review's header on every review tab, the action tracker)
//! through GraphQL, the real router with its token check, against reading the rows each
//! answer holds straight through sea-orm; at two sizes of database, so that the number
//! of SQL statements a request takes can be seen not to grow with the data. Prints;
//! asserts nothing about time.
//!
//! `cargo bench -p backend --bench busiest_operations` runs 100 and 1,000 synthetic
//! reviews on a fresh SQLite file, or on the empty database named by
//! `SCR_BENCH_DATABASE_URL`. Under `cargo test` it runs a small size.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use backend::app::{AppState, app};
use backend::auth::Tokens;
use backend::entities::*;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use tower::ServiceExt;

/// The client's own operations (`frontend/graphql/operations.graphql`).
const ME: &str = "{ me { id email name jobTitle roles { role boardId agencyId } } }";
const UNREAD: &str = "{ unreadNotificationCount }";
const DASHBOARD: &str = "{ myDeadlines { review { id reference } deadline { kind dueOn status daysLeft } }
  reviews(first: 200) { id reference stage stageNumber referredOn child { label name } myCapacities allowedOperations } }";
const REVIEW_HEADER: &str = "query($id: Int!) { review(id: $id) { id reference stage stageNumber version referredOn
  decidedOn notifiedToOfsted leadBoard { name } partnerBoards { name } involvedAgencies { id name } myCapacities
  allowedOperations } }";
const ACTIONS: &str = "{ actions { id recommendation ownerName isMine dueOn overdue intendedOutcome successMeasure
  status closureComment version agency { id name } review { id reference allowedOperations } updates { note recordedAt }
  evidence { id fileName kind size } } }";

/// Who asks: what every authenticated request, GraphQL or not, must read.
async fn caller_rows(db: &DatabaseConnection, user_id: i32) -> usize {
    let u = user::Entity::find_by_id(user_id).one(db).await.unwrap();
    let g = role_grant::Entity::find().filter(role_grant::Column::UserId.eq(user_id)).all(db).await.unwrap();
    usize::from(u.is_some()) + g.len()
}

async fn board_review_ids(db: &DatabaseConnection, board: i32) -> Vec<i32> {
    review_board::Entity::find()
        .filter(review_board::Column::BoardId.eq(board))
        .all(db)
        .await
        .unwrap()
        .iter()
        .map(|l| l.review_id)
        .collect()
}

/// The rows of each operation's answer, read directly.
async fn direct(op: Op, db: &DatabaseConnection, user_id: i32, board: i32, review_id: i32) -> usize {
    match op {
        Op::Me => caller_rows(db, user_id).await,
        Op::Unread => user_notification::Entity::find()
            .filter(user_notification::Column::UserId.eq(user_id))
            .filter(user_notification::Column::ReadAt.is_null())
            .count(db)
            .await
            .unwrap() as usize,
        Op::Dashboard => {
            let ids = board_review_ids(db, board).await;
            let page = review::Entity::find()
                .filter(review::Column::Id.is_in(ids.clone()))
                .order_by_desc(review::Column::ReferredOn)
                .limit(200)
                .all(db)
                .await
                .unwrap();
            let children = person::Entity::find()
                .filter(person::Column::ReviewId.is_in(page.iter().map(|r| r.id)))
                .filter(person::Column::Relationship.eq("child"))
                .all(db)
                .await
                .unwrap();
            let deadlines =
                deadline::Entity::find().filter(deadline::Column::ReviewId.is_in(ids)).all(db).await.unwrap();
            page.len() + children.len() + deadlines.len()
        }
        Op::ReviewHeader => {
            let r = review::Entity::find_by_id(review_id).one(db).await.unwrap();
            let links = review_board::Entity::find()
                .filter(review_board::Column::ReviewId.eq(review_id))
                .all(db)
                .await
                .unwrap();
            let boards = board::Entity::find()
                .filter(board::Column::Id.is_in(links.iter().map(|l| l.board_id)))
                .all(db)
                .await
                .unwrap();
            let ra = review_agency::Entity::find()
                .filter(review_agency::Column::ReviewId.eq(review_id))
                .all(db)
                .await
                .unwrap();
            let agencies = agency::Entity::find()
                .filter(agency::Column::Id.is_in(ra.iter().map(|l| l.agency_id)))
                .all(db)
                .await
                .unwrap();
            usize::from(r.is_some()) + boards.len() + agencies.len()
        }
        Op::Actions => {
            let ids = board_review_ids(db, board).await;
            let actions = action::Entity::find().filter(action::Column::ReviewId.is_in(ids)).all(db).await.unwrap();
            let agencies = agency::Entity::find()
                .filter(agency::Column::Id.is_in(actions.iter().map(|a| a.agency_id)))
                .all(db)
                .await
                .unwrap();
            let owners = user::Entity::find()
                .filter(user::Column::Id.is_in(actions.iter().map(|a| a.owner_id)))
                .all(db)
                .await
                .unwrap();
            let reviews = review::Entity::find()
                .filter(review::Column::Id.is_in(actions.iter().map(|a| a.review_id)))
                .all(db)
                .await
                .unwrap();
            let updates = action_update::Entity::find()
                .filter(action_update::Column::ActionId.is_in(actions.iter().map(|a| a.id)))
                .all(db)
                .await
                .unwrap();
            let evidence = action_evidence::Entity::find()
                .filter(action_evidence::Column::ActionId.is_in(actions.iter().map(|a| a.id)))
                .all(db)
                .await
                .unwrap();
            actions.len() + agencies.len() + owners.len() + reviews.len() + updates.len() + evidence.len()
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Op {
    Me,
    Unread,
    Dashboard,
    ReviewHeader,
    Actions,
}

impl Op {
    const ALL: [Op; 5] = [Op::Me, Op::Unread, Op::Dashboard, Op::ReviewHeader, Op::Actions];

    fn name(self) -> &'static str {
        match self {
            Op::Me => "Me",
            Op::Unread => "UnreadCount",
            Op::Dashboard => "Dashboard",
            Op::ReviewHeader => "ReviewHeader",
            Op::Actions => "Actions",
        }
    }

    fn body(self, review_id: i32) -> String {
        let query = match self {
            Op::Me => ME,
            Op::Unread => UNREAD,
            Op::Dashboard => DASHBOARD,
            Op::ReviewHeader => REVIEW_HEADER,
            Op::Actions => ACTIONS,
        };
        serde_json::json!({ "query": query, "variables": { "id": review_id } }).to_string()
    }
}

async fn send(router: &Router, token: &str, body: &str) -> axum::body::Bytes {
    let req = Request::post("/graphql")
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {token}"))
        .body(Body::from(body.to_owned()))
        .unwrap();
    axum::body::to_bytes(router.clone().oneshot(req).await.unwrap().into_body(), usize::MAX).await.unwrap()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (sizes, iterations): (&[usize], usize) = if full { (&[100, 1_000], 200) } else { (&[3, 6], 3) };
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async move {
        let path = std::env::temp_dir().join(format!("scr_bench_busiest_{}.db", std::process::id()));
        let url =
            std::env::var("SCR_BENCH_DATABASE_URL").unwrap_or_else(|_| format!("sqlite://{}?mode=rwc", path.display()));
        let mut db = backend::db::connect(&url).await.unwrap();
        backend::db::migrate(&db).await.unwrap();
        let statements = Arc::new(AtomicUsize::new(0));
        let counter = statements.clone();
        // `SCR_BENCH_SHOW_SQL=1` prints every statement: to see where a request's go.
        let show = std::env::var_os("SCR_BENCH_SHOW_SQL").is_some();
        let showing = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let printing = showing.clone();
        db.set_metric_callback(move |info| {
            counter.fetch_add(1, Ordering::SeqCst);
            if printing.load(Ordering::SeqCst) {
                eprintln!("  sql: {}", info.statement.sql.chars().take(160).collect::<String>());
            }
        });
        let tokens = Tokens::new(vec![9; 48], chrono::Duration::minutes(15), None).unwrap();
        let router = app(AppState { db: db.clone(), tokens: tokens.clone(), mail: None, edge: backend::edge::Edge::unlimited(), sessions: backend::users::sessions::SessionRules::default(), oidc: Default::default() });
        println!(
            "busiest_operations: as the board chair, on {}, {iterations} requests of each, the two paths interleaved",
            if url.starts_with("postgres") { "PostgreSQL" } else { "SQLite" }
        );
        println!(
            "| operation | reviews | GraphQL p50 / p95 | sea-orm p50 / p95 | ratio (p50) | \
             sea-orm with the caller (p50) | ratio (p50) | statements GraphQL / sea-orm |"
        );
        println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
        let mut seeded = 0;
        for &size in sizes {
            let started = Instant::now();
            backend::seed::synthetic::seed(&db, size - seeded, 10, || {}).await.unwrap();
            seeded = size;
            let seeding = started.elapsed();
            let chair =
                user::Entity::find().filter(user::Column::Email.eq("chair@scr.example")).one(&db).await.unwrap().unwrap();
            let board = board::Entity::find().all(&db).await.unwrap()[0].id;
            // The review whose header is fetched: one in the middle of the procedure.
            let review_id = review::Entity::find()
                .filter(review::Column::Stage.eq("action_planning"))
                .one(&db)
                .await
                .unwrap()
                .unwrap()
                .id;
            let token = tokens.issue(chair.id, chair.session_generation).unwrap();
            // `SCR_BENCH_ONLY=Dashboard` measures one operation (for a profiler).
            let only = std::env::var("SCR_BENCH_ONLY").ok();
            for op in Op::ALL.into_iter().filter(|op| only.as_deref().is_none_or(|o| o == op.name())) {
                let body = op.body(review_id);
                if show {
                    eprintln!("{}:", op.name());
                }
                showing.store(show, Ordering::SeqCst);
                let before = statements.load(Ordering::SeqCst);
                let v: serde_json::Value = serde_json::from_slice(&send(&router, &token, &body).await).unwrap();
                showing.store(false, Ordering::SeqCst);
                assert!(v.get("errors").is_none(), "{}: {v}", op.name());
                let gql_statements = statements.load(Ordering::SeqCst) - before;
                let before = statements.load(Ordering::SeqCst);
                let rows = direct(op, &db, chair.id, board, review_id).await;
                match op {
                    Op::Unread => assert_eq!(v["data"]["unreadNotificationCount"].as_u64(), Some(rows as u64), "{v}"),
                    _ => assert!(rows > 0, "{}: no rows", op.name()),
                }
                let direct_statements = statements.load(Ordering::SeqCst) - before;
                if show {
                    continue;
                }
                let (mut g, mut d, mut dc) = (Vec::new(), Vec::new(), Vec::new());
                for _ in 0..iterations / 10 + 1 {
                    send(&router, &token, &body).await;
                    direct(op, &db, chair.id, board, review_id).await;
                }
                for _ in 0..iterations {
                    let t = Instant::now();
                    std::hint::black_box(send(&router, &token, &body).await);
                    g.push(t.elapsed());
                    let t = Instant::now();
                    std::hint::black_box(direct(op, &db, chair.id, board, review_id).await);
                    d.push(t.elapsed());
                    // Who asks is read once: for `Me` that is the whole answer.
                    let t = Instant::now();
                    if !matches!(op, Op::Me) {
                        std::hint::black_box(caller_rows(&db, chair.id).await);
                    }
                    std::hint::black_box(direct(op, &db, chair.id, board, review_id).await);
                    dc.push(t.elapsed());
                }
                g.sort();
                d.sort();
                dc.sort();
                let ratio = |a: &[Duration], b: &[Duration]| {
                    percentile(a, 0.5).as_secs_f64() / percentile(b, 0.5).as_secs_f64()
                };
                println!(
                    "| {} | {size} | {:.2?} / {:.2?} | {:.2?} / {:.2?} | {:.2}x | {:.2?} | {:.2}x | {gql_statements} / {direct_statements} |",
                    op.name(),
                    percentile(&g, 0.5),
                    percentile(&g, 0.95),
                    percentile(&d, 0.5),
                    percentile(&d, 0.95),
                    ratio(&g, &d),
                    percentile(&dc, 0.5),
                    ratio(&g, &dc),
                );
            }
            eprintln!("({size} reviews seeded in {seeding:.1?})");
        }
        drop(router);
        drop(db);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    });
}
