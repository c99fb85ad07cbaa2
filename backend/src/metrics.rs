//! `/metrics` in the Prometheus (OpenMetrics) text format: requests by route, method
//! and status, their latency, GraphQL errors by code, and the database pool. Routes are
//! their templates (`/api/evidence/{evidence_id}`), so no identifier and nothing of a
//! case ever becomes a label. Each `App` has its own registry.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use sea_orm::DatabaseConnection;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CodeLabels {
    code: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    state: String,
}

fn latency_histogram() -> Histogram {
    // 1 ms to about 16 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

/// The server's metrics.
#[derive(Clone)]
pub struct Metrics {
    registry: Arc<Registry>,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    graphql_errors: Family<CodeLabels, Counter>,
    pool: Family<PoolLabels, Gauge>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("scr");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register("http_requests", "HTTP requests answered, by route, method and status", requests.clone());
        let latency = Family::<RouteLabels, Histogram, fn() -> Histogram>::new_with_constructor(latency_histogram);
        registry.register("http_request_duration_seconds", "Time to answer an HTTP request", latency.clone());
        let graphql_errors = Family::<CodeLabels, Counter>::default();
        registry.register("graphql_errors", "GraphQL errors answered, by extensions.code", graphql_errors.clone());
        let pool = Family::<PoolLabels, Gauge>::default();
        registry.register("db_pool_connections", "Database pool connections, idle and in use", pool.clone());
        Self { registry: Arc::new(registry), requests, latency, graphql_errors, pool }
    }
}

impl Metrics {
    /// Counts the codes of a GraphQL answer's errors (`REQUEST` for one without a code).
    pub fn graphql_errors<'a>(&self, codes: impl Iterator<Item = Option<&'a str>>) {
        for code in codes {
            let code = code.unwrap_or("REQUEST").to_owned();
            self.graphql_errors.get_or_create(&CodeLabels { code }).inc();
        }
    }

    /// The metrics as text, with the pool read now.
    pub fn render(&self, db: &DatabaseConnection) -> String {
        let (size, idle) = pool_size(db);
        self.pool.get_or_create(&PoolLabels { state: "idle".into() }).set(idle);
        self.pool.get_or_create(&PoolLabels { state: "in_use".into() }).set(size - idle);
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}

fn pool_size(db: &DatabaseConnection) -> (i64, i64) {
    // Each accessor is only called for its own backend (they panic on another).
    match db.get_database_backend() {
        sea_orm::DbBackend::Sqlite => {
            let p = db.get_sqlite_connection_pool();
            (i64::from(p.size()), p.num_idle() as i64)
        }
        sea_orm::DbBackend::Postgres => {
            let p = db.get_postgres_connection_pool();
            (i64::from(p.size()), p.num_idle() as i64)
        }
        _ => (0, 0),
    }
}

/// Counts and times every request to a matched route.
pub async fn track(State(m): State<Metrics>, req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().map_or_else(|| "other".to_owned(), |p| p.as_str().to_owned());
    let method = req.method().as_str().to_owned();
    let started = Instant::now();
    let res = next.run(req).await;
    let elapsed = started.elapsed();
    // One line a request: the route's pattern, never the address as sent (it can carry a
    // calendar token), and nothing about who asked or what was answered.
    tracing::info!(target: "scr::request", %method, %route, status = res.status().as_u16(), ms = elapsed.as_secs_f64() * 1e3, "request");
    m.latency.get_or_create(&RouteLabels { route: route.clone() }).observe(elapsed.as_secs_f64());
    m.requests.get_or_create(&RequestLabels { method, route, status: res.status().as_u16() }).inc();
    res
}

/// The content type of the text format.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// `GET /metrics`.
pub fn answer(m: &Metrics, db: &DatabaseConnection) -> Response {
    ([(axum::http::header::CONTENT_TYPE, CONTENT_TYPE)], m.render(db)).into_response()
}
