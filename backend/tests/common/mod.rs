//! The test harness: the real router over a fresh, migrated database (SQLite file or
//! PostgreSQL database), seeded with the demo data, driven through `oneshot`.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod smtp;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use backend::app::{AppState, app};
use backend::auth::Tokens;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::{Value, json};
use tower::ServiceExt;

pub const SECRET: &[u8] = b"test-secret-that-is-at-least-32-bytes-long";
pub const PASSWORD: &str = backend::seed::DEMO_PASSWORD;
/// The metrics token the test server is configured with.
pub const METRICS_TOKEN: &str = "metrics-token-for-tests";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs each named `async fn(Backend)` as two tests, one per database. The runtime is
/// single-threaded so that DataLoader batches close only when the request yields,
/// which makes the statement counts exact.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[tokio::test] async fn $name() { super::$name($crate::common::Backend::Sqlite).await } )*
        }
        mod postgres {
            $( #[tokio::test] async fn $name() { super::$name($crate::common::Backend::Postgres).await } )*
        }
    };
}

fn unique() -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    format!("{}_{}_{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst), chrono::Utc::now().timestamp_micros())
}

/// The PostgreSQL server the tests create their databases on.
pub fn postgres_admin_url() -> String {
    std::env::var("SCR_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// Drops the test's PostgreSQL database (or SQLite file) when the test ends.
pub struct Cleanup {
    backend: Backend,
    name: String,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        match self.backend {
            Backend::Sqlite => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", self.name));
                }
            }
            Backend::Postgres => {
                let name = self.name.clone();
                // Drop runs inside the test's runtime: use a thread with its own.
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                    rt.block_on(async {
                        if let Ok(admin) = sea_orm::Database::connect(postgres_admin_url()).await {
                            let _ =
                                admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

pub struct TestApp {
    pub router: Router,
    pub db: DatabaseConnection,
    pub tokens: Tokens,
    pub statements: Arc<AtomicUsize>,
    pub backend: Backend,
    /// The session rules the router runs under; their clock can be moved on.
    pub sessions: backend::users::sessions::SessionRules,
    _cleanup: Cleanup,
}

/// Session rules for tests: as in production, but without the second factor unless a
/// test asks for it (the demo accounts read names and would all need one).
pub fn test_sessions() -> backend::users::sessions::SessionRules {
    backend::users::sessions::SessionRules { second_factor_required: false, ..Default::default() }
}

/// A fresh database of the given kind, migrated, with its URL.
pub async fn fresh_database(backend: Backend) -> (String, Cleanup) {
    match backend {
        Backend::Sqlite => {
            let path = std::env::temp_dir().join(format!("scr_test_{}.db", unique()));
            let p = path.to_string_lossy().to_string();
            (format!("sqlite://{p}?mode=rwc"), Cleanup { backend, name: p })
        }
        Backend::Postgres => {
            let name = format!("scr_test_{}", unique());
            let admin = sea_orm::Database::connect(postgres_admin_url())
                .await
                .expect("PostgreSQL must be running for the tests (.ci/run starts it); set SCR_TEST_POSTGRES_URL to point elsewhere");
            admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.unwrap();
            let base = postgres_admin_url();
            let url = match base.rsplit_once('/') {
                Some((server, _)) => format!("{server}/{name}"),
                None => panic!("SCR_TEST_POSTGRES_URL must end in /DATABASE"),
            };
            (url, Cleanup { backend, name })
        }
    }
}

impl TestApp {
    /// Fresh database, migrations, demo data; the router as `scr serve` builds it.
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, None).await
    }

    pub async fn spawn_with(backend: Backend, external: Option<backend::auth::ExternalIdp>) -> Self {
        Self::spawn_full(backend, external, None, None, test_sessions()).await
    }

    /// As `spawn`, with the session rules `sessions`.
    pub async fn spawn_with_sessions(backend: Backend, sessions: backend::users::sessions::SessionRules) -> Self {
        Self::spawn_full(backend, None, None, None, sessions).await
    }

    /// As `spawn`, with the edge's limits and settings `edge`.
    pub async fn spawn_with_edge(backend: Backend, edge: backend::edge::Edge) -> Self {
        Self::spawn_full(backend, None, None, Some(edge), test_sessions()).await
    }

    /// As `spawn`, sending invitations and resets through `mail`.
    pub async fn spawn_with_mail(backend: Backend, mail: backend::mailer::Mailer) -> Self {
        Self::spawn_full(backend, None, Some(mail), None, test_sessions()).await
    }

    async fn spawn_full(
        backend: Backend,
        external: Option<backend::auth::ExternalIdp>,
        mail: Option<backend::mailer::Mailer>,
        edge: Option<backend::edge::Edge>,
        sessions: backend::users::sessions::SessionRules,
    ) -> Self {
        let (url, cleanup) = fresh_database(backend).await;
        let mut db = backend::db::connect(&url).await.unwrap();
        backend::db::migrate(&db).await.unwrap();
        backend::seed::seed_demo(&db).await.unwrap();
        let statements = Arc::new(AtomicUsize::new(0));
        let counter = statements.clone();
        db.set_metric_callback(move |info| {
            counter.fetch_add(1, Ordering::SeqCst);
            if std::env::var_os("SCR_TEST_PRINT_SQL").is_some() {
                eprintln!("SQL: {}", info.statement.sql.chars().take(120).collect::<String>());
            }
        });
        let tokens = Tokens::new(SECRET.to_vec(), chrono::Duration::minutes(15), external).unwrap();
        // Tests sign in far more often than a person: the address limits are raised
        // unless a test sets its own.
        let edge = edge.unwrap_or_else(|| {
            backend::edge::Edge::new(
                false,
                Some(METRICS_TOKEN.to_owned()),
                Vec::new(),
                backend::edge::Limits { sign_in_per_minute: 100_000, anonymous_per_minute: 100_000 },
            )
        });
        let router = app(AppState {
            db: db.clone(),
            tokens: tokens.clone(),
            mail,
            edge,
            sessions: sessions.clone(),
            oidc: Default::default(),
        });
        Self { router, db, tokens, statements, backend, sessions, _cleanup: cleanup }
    }

    /// Posts a GraphQL request; returns the HTTP status and the JSON body.
    pub async fn post(&self, token: Option<&str>, body: Value) -> (StatusCode, Value) {
        let body = body.to_string();
        let mut req =
            Request::post("/graphql").header("content-type", "application/json").header("content-length", body.len());
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let res = self.router.clone().oneshot(req.body(Body::from(body.to_string())).unwrap()).await.unwrap();
        let status = res.status();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
        let v = serde_json::from_slice(&bytes).unwrap_or_else(|_| json!({ "raw": String::from_utf8_lossy(&bytes) }));
        (status, v)
    }

    /// Sends `req` as it is; returns the response's status, headers and body.
    pub async fn send(&self, req: axum::http::Request<Body>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let (status, headers) = (res.status(), res.headers().clone());
        (status, headers, axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap().to_vec())
    }

    /// A GET (an export); returns the status, the content type and the body.
    pub async fn get(&self, token: Option<&str>, path: &str) -> (StatusCode, String, Vec<u8>) {
        let mut req = Request::get(path);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let res = self.router.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
        let status = res.status();
        let ct = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
        (status, ct, bytes.to_vec())
    }

    /// A POST of raw bytes (an upload); returns the status and the body.
    pub async fn upload(&self, token: Option<&str>, path: &str, bytes: Vec<u8>) -> (StatusCode, Vec<u8>) {
        let mut req = Request::post(path).header("content-length", bytes.len());
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let res = self.router.clone().oneshot(req.body(Body::from(bytes)).unwrap()).await.unwrap();
        let status = res.status();
        (status, axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap().to_vec())
    }

    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let (status, v) = self.post(token, json!({ "query": query, "variables": variables })).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        v
    }

    /// Runs a GraphQL request and returns `data`, failing on any error.
    pub async fn ok(&self, token: &str, query: &str, variables: Value) -> Value {
        let v = self.gql(Some(token), query, variables).await;
        assert!(v.get("errors").is_none(), "unexpected errors: {v}");
        v["data"].clone()
    }

    pub async fn login(&self, email: &str) -> String {
        let v = self
            .gql(
                None,
                "mutation($e:String!,$p:String!){login(email:$e,password:$p){token}}",
                json!({"e": email, "p": PASSWORD}),
            )
            .await;
        v["data"]["login"]["token"].as_str().unwrap_or_else(|| panic!("login failed for {email}: {v}")).to_owned()
    }

    pub async fn user_id(&self, email: &str) -> i32 {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        backend::entities::user::Entity::find()
            .filter(backend::entities::user::Column::Email.eq(email))
            .one(&self.db)
            .await
            .unwrap()
            .unwrap()
            .id
    }

    /// Id of the demo review at `stage` (e.g. "TERMS_AGREED"), as the chair sees it.
    pub async fn review_at(&self, stage: &str) -> i32 {
        let chair = self.login("chair@scr.example").await;
        let d = self.ok(&chair, "query($s:Stage){reviews(stage:$s){id}}", json!({"s": stage})).await;
        d["reviews"][0]["id"].as_i64().unwrap_or_else(|| panic!("no demo review at {stage}")) as i32
    }

    pub fn statements(&self) -> usize {
        self.statements.load(Ordering::SeqCst)
    }
}

/// The first error's `extensions.code`, or "" when there is none.
pub fn code(v: &Value) -> String {
    v["errors"][0]["extensions"]["code"].as_str().unwrap_or("").to_owned()
}

/// Every error code in a response.
pub fn codes(v: &Value) -> Vec<String> {
    v["errors"]
        .as_array()
        .map(|a| a.iter().map(|e| e["extensions"]["code"].as_str().unwrap_or("").to_owned()).collect())
        .unwrap_or_default()
}

/// The text of a PDF, page after page.
pub fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).unwrap()
}

impl TestApp {
    /// The panel chair of the demo replaces `from` with `to` in every section of the
    /// review's executive summary, saving a new version.
    pub async fn replace_in_summary(&self, review_id: i32, from: &str, to: &str) {
        let chair = self.login("independent.chair@scr.example").await;
        let q = "query($id:Int!){review(id:$id){executiveSummary{version sections{text}}}}";
        let d = self.ok(&chair, q, json!({"id": review_id})).await;
        let s = &d["review"]["executiveSummary"];
        let texts: Vec<String> =
            s["sections"].as_array().unwrap().iter().map(|x| x["text"].as_str().unwrap().replace(from, to)).collect();
        let save = "mutation($id:Int!,$v:Int!,$s:[String!]!){saveExecutiveSummary(reviewId:$id,expectedVersion:$v,sections:$s){id}}";
        self.ok(&chair, save, json!({"id": review_id, "v": s["version"], "s": texts})).await;
    }
}
