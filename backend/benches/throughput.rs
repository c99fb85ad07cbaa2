//! Authenticated small-query throughput: `{ me { email } }` through the real router
//! (token check, the caller loaded from the database, GraphQL) against a bare axum
//! endpoint doing the same token check, and one doing the same check and reading the
//! caller, all in this process with the same concurrency. Prints the requests per
//! second of each and the ratios; asserts nothing about time.
//!
//! `cargo bench -p backend --bench throughput` (add `SCR_BENCH_DATABASE_URL` for
//! PostgreSQL). Under `cargo test` it runs for a moment, so it stays working.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::routing::get;
use backend::app::{AppState, app};
use backend::auth::{Subject, Tokens};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use tower::ServiceExt;

async fn bare(State(tokens): State<Tokens>, headers: HeaderMap) -> Result<String, StatusCode> {
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(StatusCode::UNAUTHORIZED)?;
    match tokens.verify(token) {
        Ok(Subject::Session { user: id, .. }) => Ok(format!("{{\"data\":{{\"me\":{{\"id\":{id}}}}}}}")),
        _ => Err(StatusCode::UNAUTHORIZED),
    }
}

/// The same token check, then the caller read from the database as every GraphQL
/// request reads it: what any authenticated endpoint of this system must do.
async fn bare_with_caller(
    State((tokens, db)): State<(Tokens, sea_orm::DatabaseConnection)>,
    headers: HeaderMap,
) -> Result<String, StatusCode> {
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(StatusCode::UNAUTHORIZED)?;
    let subject = tokens.verify(token).map_err(|_| StatusCode::UNAUTHORIZED)?;
    let caller = backend::context::Caller::load(&db, &subject).await.map_err(|_| StatusCode::UNAUTHORIZED)?;
    Ok(format!("{{\"data\":{{\"me\":{{\"email\":{:?}}}}}}}", caller.user.email))
}

/// Requests per second `router` answers with 200 to `clients` concurrent senders.
async fn rate(
    router: Router,
    path: &'static str,
    body: Option<String>,
    token: &str,
    clients: usize,
    for_: Duration,
) -> f64 {
    let done = Arc::new(AtomicU64::new(0));
    let until = Instant::now() + for_;
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (router, body, token, done) = (router.clone(), body.clone(), token.to_owned(), done.clone());
        tasks.push(tokio::spawn(async move {
            while Instant::now() < until {
                let req = match &body {
                    Some(b) => Request::post(path)
                        .header("content-type", "application/json")
                        .header("authorization", format!("Bearer {token}"))
                        .body(Body::from(b.clone())),
                    None => Request::get(path).header("authorization", format!("Bearer {token}")).body(Body::empty()),
                }
                .unwrap();
                let res = router.clone().oneshot(req).await.unwrap();
                assert_eq!(res.status(), StatusCode::OK);
                let _ = axum::body::to_bytes(res.into_body(), 1 << 16).await.unwrap();
                done.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    done.load(Ordering::Relaxed) as f64 / for_.as_secs_f64()
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (seconds, clients) = if full { (10, 32) } else { (1, 4) };
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async move {
        let path = std::env::temp_dir().join(format!("scr_bench_throughput_{}.db", std::process::id()));
        let url =
            std::env::var("SCR_BENCH_DATABASE_URL").unwrap_or_else(|_| format!("sqlite://{}?mode=rwc", path.display()));
        let db = backend::db::connect(&url).await.unwrap();
        backend::db::migrate(&db).await.unwrap();
        backend::seed::seed_demo(&db).await.unwrap();
        let tokens = Tokens::new(vec![7u8; 48], chrono::Duration::minutes(15), None).unwrap();
        let chair = backend::entities::user::Entity::find()
            .filter(backend::entities::user::Column::Email.eq("chair@scr.example"))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        let token = tokens.issue(chair.id, chair.session_generation).unwrap();
        let api = app(AppState {
            db: db.clone(),
            tokens: tokens.clone(),
            mail: None,
            edge: backend::edge::Edge::unlimited(),
            sessions: backend::users::sessions::SessionRules::default(),
            oidc: Default::default(),
        });
        let bare_router = Router::new().route("/bare", get(bare)).with_state(tokens.clone());
        let caller_router = Router::new().route("/caller", get(bare_with_caller)).with_state((tokens, db.clone()));
        let body = serde_json::json!({"query": "{ me { email } }"}).to_string();
        let time = Duration::from_secs(seconds);
        // Warm both, then measure each in turn.
        rate(api.clone(), "/graphql", Some(body.clone()), &token, clients, Duration::from_millis(300)).await;
        rate(bare_router.clone(), "/bare", None, &token, clients, Duration::from_millis(300)).await;
        rate(caller_router.clone(), "/caller", None, &token, clients, Duration::from_millis(300)).await;
        let graphql = rate(api, "/graphql", Some(body), &token, clients, time).await;
        let direct = rate(bare_router, "/bare", None, &token, clients, time).await;
        let with_caller = rate(caller_router, "/caller", None, &token, clients, time).await;
        let backend = if url.starts_with("postgres") { "PostgreSQL" } else { "SQLite" };
        println!("throughput: {clients} concurrent senders for {seconds} s each, on {backend}");
        println!("| endpoint | requests/s |");
        println!("| --- | --- |");
        println!("| GraphQL `{{ me {{ email }} }}` (token, caller from the database) | {graphql:.0} |");
        println!("| bare axum, same token check | {direct:.0} |");
        println!("| bare axum, same token check and the caller from the database | {with_caller:.0} |");
        println!("ratio GraphQL / bare: {:.2}", graphql / direct);
        println!("ratio GraphQL / bare with the caller: {:.2}", graphql / with_caller);
        drop(db);
        let _ = std::fs::remove_file(&path);
    });
}
