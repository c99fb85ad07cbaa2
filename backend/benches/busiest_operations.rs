//! The operations the client sends most, through GraphQL, against the fair direct
//! baseline: the same rows read straight through sea-orm **with the same access rules
//! applied in SQL** (the caller read, `access::in_scope` on every review read, the
//! action tracker's own visibility). At 100, 1,000 and 10,000 synthetic reviews, so
//! that time and statements can be seen not to grow with the board. Prints; asserts
//! nothing about time.
//!
//! For each operation and size: GraphQL p50 / p95 through the real router in this
//! process (token check included), the baseline's p50 / p95, their ratio, SQL statements
//! per request of each; and, when a release `scr` binary is there (`cargo build
//! --release -p backend --bin scr`, or `SCR_BENCH_SERVER=PATH`), one client's p50 and
//! the requests a second of 16 concurrent clients over real HTTP against it.
//!
//! `cargo bench -p backend --bench busiest_operations` runs on a fresh SQLite file, or
//! on the empty database named by `SCR_BENCH_DATABASE_URL`. `SCR_BENCH_SIZES=100,1000`
//! picks the sizes, `SCR_BENCH_ONLY=DashboardPage` one operation, `SCR_BENCH_SHOW_SQL=1`
//! prints each request's statements. Under `cargo test` it runs a small size.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use backend::access::in_scope;
use backend::app::{AppState, app};
use backend::auth::{Subject, Tokens};
use backend::context::Caller;
use backend::entities::*;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};
use tower::ServiceExt;

/// The token secret of both the router in this process and the served binary.
const SECRET: &str = "busiest-operations-benchmark-token-secret-0123456789";

/// The client's own operations (`frontend/graphql/operations.graphql`), and one review
/// with its decision-phase records as the decision pages read them.
const ME: &str = "{ me { id email name jobTitle roles { role boardId agencyId } } }";
const UNREAD: &str = "{ unreadNotificationCount }";
const REVIEW_HEADER: &str = "query($id: Int!) { review(id: $id) { id reference stage stageNumber version referredOn
  decidedOn notifiedToOfsted leadBoard { name } partnerBoards { name } involvedAgencies { id name } myCapacities
  allowedOperations } }";
const REVIEW: &str = "query($id: Int!) { review(id: $id) { reference stage referredOn decidedOn leadBoard { name }
  partnerBoards { name } involvedAgencies { name } deadlines { kind dueOn status } people { label relationship }
  referral { circumstances facts { childDied } proposal { category } } criteriaAssessments { category reasons }
  recommendation { reasons scope } decision { conduct reasons } ofstedNotification { sentOn }
  setupChecklist { item done note } appointments { assignment name } termsOfReference { version } } }";
const DASHBOARD_PAGE: &str = "{ reviewPage(first: 50) { total offset first
  reviews { id reference stage referredOn child { label } myParts deadlines { kind dueOn status } } } }";
const ACTIONS_PAGE: &str = "{ actionPage(first: 50) { total offset first actions { id recommendation ownerName isMine
  dueOn overdue intendedOutcome successMeasure status closureComment version agency { id name }
  review { id reference allowedOperations } updates { note recordedAt } evidence { id fileName kind size } } } }";
const CHRONOLOGY: &str = "query($chronology: Int!) { review(id: $chronology) { id reference allowedOperations
  people { id label } involvedAgencies { id name } combinedChronology { total filtered next
  entries { id agencyId agencyName date time precision practitionerRole event decisionOrAction childSeen seenAlone
  wishesSought perpetratorContact source personIds } gaps { from to days } suggestedConflicts { date entryIds }
  links { entryA entryB note } agencies { id name } } } }";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Me,
    Unread,
    ReviewHeader,
    Review,
    DashboardPage,
    ActionsPage,
    Chronology,
}

impl Op {
    const ALL: [Op; 7] =
        [Op::Me, Op::Unread, Op::ReviewHeader, Op::Review, Op::DashboardPage, Op::ActionsPage, Op::Chronology];

    fn name(self) -> &'static str {
        match self {
            Op::Me => "Me",
            Op::Unread => "UnreadCount",
            Op::ReviewHeader => "ReviewHeader",
            Op::Review => "Review",
            Op::DashboardPage => "DashboardPage",
            Op::ActionsPage => "ActionsPage",
            Op::Chronology => "Chronology",
        }
    }

    fn body(self, t: &Targets) -> String {
        let query = match self {
            Op::Me => ME,
            Op::Unread => UNREAD,
            Op::ReviewHeader => REVIEW_HEADER,
            Op::Review => REVIEW,
            Op::DashboardPage => DASHBOARD_PAGE,
            Op::ActionsPage => ACTIONS_PAGE,
            Op::Chronology => CHRONOLOGY,
        };
        let vars = match self {
            Op::ReviewHeader | Op::Review => serde_json::json!({ "id": t.review }),
            Op::Chronology => serde_json::json!({ "chronology": t.chronology }),
            _ => serde_json::json!({}),
        };
        serde_json::json!({ "query": query, "variables": vars }).to_string()
    }
}

/// What the operations are asked about.
#[derive(Clone, Copy)]
struct Targets {
    chair: i32,
    /// A review in the middle of the procedure, with decision-phase records.
    review: i32,
    /// A review whose combined chronology holds some 300 entries.
    chronology: i32,
}

/// The review `id` if the caller may see it: the baseline's row scope.
async fn scoped(db: &DatabaseConnection, caller: &Caller, id: i32) -> review::Model {
    review::Entity::find_by_id(id).filter(in_scope(caller)).one(db).await.unwrap().expect("a review in scope")
}

/// The boards of a review, in one statement.
async fn boards_of(db: &DatabaseConnection, review: i32) -> Vec<board::Model> {
    let links = review_board::Entity::find()
        .select_only()
        .column(review_board::Column::BoardId)
        .filter(review_board::Column::ReviewId.eq(review))
        .into_query();
    board::Entity::find().filter(board::Column::Id.in_subquery(links)).all(db).await.unwrap()
}

/// The agencies involved in a review, in one statement.
async fn agencies_of(db: &DatabaseConnection, review: i32) -> Vec<agency::Model> {
    let links = review_agency::Entity::find()
        .select_only()
        .column(review_agency::Column::AgencyId)
        .filter(review_agency::Column::ReviewId.eq(review))
        .into_query();
    agency::Entity::find().filter(agency::Column::Id.in_subquery(links)).all(db).await.unwrap()
}

/// The rows of each operation's answer, read directly, deciding what the caller may
/// see in SQL as GraphQL does: the caller, then their reviews by `access::in_scope`.
async fn direct(op: Op, db: &DatabaseConnection, t: Targets) -> usize {
    let caller = Caller::load(db, &Subject::User(t.chair)).await.unwrap();
    match op {
        Op::Me => caller.grants.len(),
        Op::Unread => user_notification::Entity::find()
            .filter(user_notification::Column::UserId.eq(t.chair))
            .filter(user_notification::Column::ReadAt.is_null())
            .count(db)
            .await
            .unwrap() as usize,
        Op::ReviewHeader => {
            let r = scoped(db, &caller, t.review).await;
            let boards = boards_of(db, r.id).await;
            let agencies = agencies_of(db, r.id).await;
            1 + boards.len() + agencies.len()
        }
        Op::Review => {
            let r = scoped(db, &caller, t.review).await;
            let id = r.id;
            let boards = boards_of(db, id).await;
            let agencies = agencies_of(db, id).await;
            let deadlines = deadline::Entity::find().filter(deadline::Column::ReviewId.eq(id)).all(db).await.unwrap();
            let people = person::Entity::find().filter(person::Column::ReviewId.eq(id)).all(db).await.unwrap();
            let referral = referral::Entity::find().filter(referral::Column::ReviewId.eq(id)).all(db).await.unwrap();
            let assessments = criteria_assessment::Entity::find()
                .filter(criteria_assessment::Column::ReviewId.eq(id))
                .all(db)
                .await
                .unwrap();
            let rec =
                recommendation::Entity::find().filter(recommendation::Column::ReviewId.eq(id)).all(db).await.unwrap();
            let dec = decision::Entity::find().filter(decision::Column::ReviewId.eq(id)).all(db).await.unwrap();
            let notes =
                notification::Entity::find().filter(notification::Column::ReviewId.eq(id)).all(db).await.unwrap();
            let items = setup_checklist_item::Entity::find()
                .filter(setup_checklist_item::Column::ReviewId.eq(id))
                .all(db)
                .await
                .unwrap();
            let appointed = user::Entity::find()
                .filter(
                    user::Column::Id.in_subquery(
                        review_assignment::Entity::find()
                            .select_only()
                            .column(review_assignment::Column::UserId)
                            .filter(review_assignment::Column::ReviewId.eq(id))
                            .into_query(),
                    ),
                )
                .all(db)
                .await
                .unwrap();
            let terms = terms_of_reference::Entity::find()
                .filter(terms_of_reference::Column::ReviewId.eq(id))
                .all(db)
                .await
                .unwrap();
            1 + boards.len()
                + agencies.len()
                + deadlines.len()
                + people.len()
                + referral.len()
                + assessments.len()
                + rec.len()
                + dec.len()
                + notes.len()
                + items.len()
                + appointed.len()
                + terms.len()
        }
        Op::DashboardPage => {
            let scope = review::Entity::find().filter(in_scope(&caller));
            let total = scope.clone().count(db).await.unwrap();
            let page = scope
                .order_by_desc(review::Column::ReferredOn)
                .order_by_desc(review::Column::Id)
                .limit(50)
                .all(db)
                .await
                .unwrap();
            let ids: Vec<i32> = page.iter().map(|r| r.id).collect();
            let children = person::Entity::find()
                .filter(person::Column::ReviewId.is_in(ids.clone()))
                .filter(person::Column::Relationship.eq("child"))
                .all(db)
                .await
                .unwrap();
            let deadlines =
                deadline::Entity::find().filter(deadline::Column::ReviewId.is_in(ids)).all(db).await.unwrap();
            let boards = board::Entity::find()
                .filter(board::Column::Id.is_in(page.iter().map(|r| r.lead_board_id)))
                .all(db)
                .await
                .unwrap();
            total as usize + page.len() + children.len() + deadlines.len() + boards.len()
        }
        Op::ActionsPage => {
            let (total, page) = backend::completion::tracker::actions_across(
                db,
                &caller,
                &backend::completion::tracker::ActionFilter::default(),
                0,
                Some(50),
                true,
            )
            .await
            .unwrap();
            let actions: Vec<&action::Model> = page.iter().map(|(a, _)| a).collect();
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
            total as usize + actions.len() + agencies.len() + owners.len() + updates.len() + evidence.len()
        }
        Op::Chronology => {
            let r = scoped(db, &caller, t.chronology).await;
            let id = r.id;
            let imrs = imr::Entity::find().filter(imr::Column::ReviewId.eq(id)).all(db).await.unwrap();
            let entries = chronology_entry::Entity::find()
                .filter(chronology_entry::Column::ReviewId.eq(id))
                .all(db)
                .await
                .unwrap();
            let links =
                chronology_link::Entity::find().filter(chronology_link::Column::ReviewId.eq(id)).all(db).await.unwrap();
            let people = person::Entity::find().filter(person::Column::ReviewId.eq(id)).all(db).await.unwrap();
            let agencies = agencies_of(db, id).await;
            1 + imrs.len() + entries.len() + links.len() + people.len() + agencies.len()
        }
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

/// The release `scr` serving the benchmark's database over HTTP, stopped when dropped.
struct Served {
    child: Child,
    base: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(url: &str) -> Option<Served> {
    let binary = std::env::var_os("SCR_BENCH_SERVER")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/release/scr")));
    if !binary.exists() {
        eprintln!("({} is missing: no HTTP figures; `cargo build --release -p backend --bin scr`)", binary.display());
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = Command::new(&binary)
        .args(["serve", "--dev", "--bind", &format!("127.0.0.1:{port}"), "--client-dir", "/nonexistent"])
        .env("DATABASE_URL", url)
        .env("SCR_JWT_SECRET", SECRET)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    for _ in 0..300 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some(Served { child, base });
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("{} did not start listening", binary.display());
}

/// One client's latencies over HTTP, then the requests a second of `clients` clients
/// sending for `for_`.
async fn over_http(base: &str, token: &str, body: &str, n: usize, clients: usize, for_: Duration) -> (Duration, f64) {
    let client = reqwest::Client::new();
    let (url, token, body) = (format!("{base}/graphql"), token.to_owned(), body.to_owned());
    let one = move |client: reqwest::Client| {
        let (url, token, body) = (url.clone(), token.clone(), body.clone());
        async move {
            let res = client
                .post(&url)
                .bearer_auth(&token)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            assert!(res.status().is_success(), "HTTP {}", res.status());
            let bytes = res.bytes().await.unwrap();
            // An error may follow the data: look for the list anywhere, without parsing.
            assert!(!bytes.windows(10).any(|w| w == b"\"errors\":["), "{}", String::from_utf8_lossy(&bytes));
        }
    };
    for _ in 0..n / 10 + 1 {
        one(client.clone()).await;
    }
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        one(client.clone()).await;
        times.push(t.elapsed());
    }
    times.sort();
    let done = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let until = started + for_;
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (client, done, one) = (reqwest::Client::new(), done.clone(), one.clone());
        tasks.push(tokio::spawn(async move {
            while Instant::now() < until {
                one(client.clone()).await;
                done.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    (percentile(&times, 0.5), done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64())
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let sizes: Vec<usize> = match std::env::var("SCR_BENCH_SIZES") {
        Ok(s) => s.split(',').map(|n| n.trim().parse().expect("SCR_BENCH_SIZES: numbers")).collect(),
        Err(_) if full => vec![100, 1_000, 10_000],
        Err(_) => vec![32, 36],
    };
    // Entries in each IMR of the first synthetic reviews (the chronology's) and the rest.
    let (chronology_entries, entries, iterations, seconds) = if full { (100, 10, 200, 3) } else { (4, 2, 3, 0) };
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async move {
        let path = std::env::temp_dir().join(format!("scr_bench_busiest_{}.db", std::process::id()));
        let url =
            std::env::var("SCR_BENCH_DATABASE_URL").unwrap_or_else(|_| format!("sqlite://{}?mode=rwc", path.display()));
        let mut db = backend::db::connect(&url).await.unwrap();
        backend::db::migrate(&db).await.unwrap();
        let statements = Arc::new(AtomicUsize::new(0));
        let counter = statements.clone();
        let show = std::env::var_os("SCR_BENCH_SHOW_SQL").is_some();
        let showing = Arc::new(AtomicBool::new(false));
        let printing = showing.clone();
        db.set_metric_callback(move |info| {
            counter.fetch_add(1, Ordering::SeqCst);
            if printing.load(Ordering::SeqCst) || std::env::var_os("SCR_BENCH_SHOW_ALL_SQL").is_some() {
                eprintln!("  sql: {}", info.statement.sql.chars().take(200).collect::<String>());
            }
        });
        let tokens = Tokens::new(SECRET.as_bytes().to_vec(), chrono::Duration::minutes(60), None).unwrap();
        let router = app(AppState {
            db: db.clone(),
            tokens: tokens.clone(),
            mail: None,
            edge: backend::edge::Edge::unlimited(),
            sessions: backend::users::sessions::SessionRules::default(),
            oidc: Default::default(),
        });
        let database = if url.starts_with("postgres") { "PostgreSQL" } else { "SQLite" };
        println!(
            "busiest_operations on {database}, as the board chair: {iterations} requests of each path, interleaved; \
             over HTTP, one client's p50 and 16 clients for {seconds} s"
        );
        println!(
            "| operation | reviews | GraphQL p50 / p95 | baseline p50 / p95 | ratio (p50) | statements GraphQL / baseline \
             | HTTP p50, one client | HTTP requests/s, 16 clients |"
        );
        println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
        // The demo first, then the reviews whose chronologies are read, then the rest.
        backend::seed::seed_demo(&db).await.unwrap();
        let demo = review::Entity::find().count(&db).await.unwrap() as usize;
        backend::seed::synthetic::seed(&db, 20, chronology_entries, || {}).await.unwrap();
        let only = std::env::var("SCR_BENCH_ONLY").ok();
        for &size in &sizes {
            let have = review::Entity::find().count(&db).await.unwrap() as usize;
            let started = Instant::now();
            if size > have {
                backend::seed::synthetic::seed(&db, size - have, entries, || {}).await.unwrap();
            }
            let seeding = started.elapsed();
            // The planner's statistics brought up to date, as autovacuum does soon after
            // a bulk load: measured straight after one, PostgreSQL plans from stale counts.
            if url.starts_with("postgres") {
                sea_orm::ConnectionTrait::execute_unprepared(&db, "ANALYZE").await.unwrap();
            }
            let chair =
                user::Entity::find().filter(user::Column::Email.eq("chair@scr.example")).one(&db).await.unwrap().unwrap();
            let first_synthetic =
                review::Entity::find().order_by_asc(review::Column::Id).offset(demo as u64).one(&db).await.unwrap().unwrap().id;
            let review = review::Entity::find()
                .filter(review::Column::Stage.eq("terms_agreed"))
                .order_by_asc(review::Column::Id)
                .one(&db)
                .await
                .unwrap()
                .unwrap()
                .id;
            let chronology = imr::Entity::find()
                .filter(imr::Column::Status.eq("accepted"))
                .filter(imr::Column::ReviewId.gte(first_synthetic))
                .order_by_asc(imr::Column::ReviewId)
                .one(&db)
                .await
                .unwrap()
                .unwrap()
                .review_id;
            let t = Targets { chair: chair.id, review, chronology };
            let token = tokens.issue(chair.id, chair.session_generation).unwrap();
            let served = if seconds > 0 { serve(&url) } else { None };
            for op in Op::ALL.into_iter().filter(|op| only.as_deref().is_none_or(|o| o == op.name())) {
                let body = op.body(&t);
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
                let rows = direct(op, &db, t).await;
                let direct_statements = statements.load(Ordering::SeqCst) - before;
                match op {
                    Op::Unread => assert_eq!(v["data"]["unreadNotificationCount"].as_u64(), Some(rows as u64), "{v}"),
                    Op::Chronology => assert!(
                        v["data"]["review"]["combinedChronology"]["total"].as_u64().is_some_and(|n| n >= 3 * chronology_entries as u64),
                        "{v}"
                    ),
                    _ => assert!(rows > 0, "{}: no rows", op.name()),
                }
                if show {
                    continue;
                }
                let (mut g, mut d) = (Vec::new(), Vec::new());
                for _ in 0..iterations / 10 + 1 {
                    send(&router, &token, &body).await;
                    direct(op, &db, t).await;
                }
                for _ in 0..iterations {
                    let s = Instant::now();
                    std::hint::black_box(send(&router, &token, &body).await);
                    g.push(s.elapsed());
                    let s = Instant::now();
                    std::hint::black_box(direct(op, &db, t).await);
                    d.push(s.elapsed());
                }
                g.sort();
                d.sort();
                let http = match &served {
                    Some(s) => {
                        let (p50, rate) =
                            over_http(&s.base, &token, &body, iterations, 16, Duration::from_secs(seconds)).await;
                        format!("{p50:.2?} | {rate:.0}")
                    }
                    None => "- | -".to_owned(),
                };
                println!(
                    "| {} | {size} | {:.2?} / {:.2?} | {:.2?} / {:.2?} | {:.2}x | {gql_statements} / {direct_statements} | {http} |",
                    op.name(),
                    percentile(&g, 0.5),
                    percentile(&g, 0.95),
                    percentile(&d, 0.5),
                    percentile(&d, 0.95),
                    percentile(&g, 0.5).as_secs_f64() / percentile(&d, 0.5).as_secs_f64(),
                );
            }
            drop(served);
            eprintln!("({size} reviews; {} seeded in {seeding:.1?})", size.saturating_sub(have));
        }
        drop(router);
        drop(db);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    });
}
