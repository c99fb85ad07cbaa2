//! The HTTP adapter: routes, limits and the per-request GraphQL context. Thin by
//! design; tests drive `app(state)` with `tower::ServiceExt::oneshot`.

use std::sync::Arc;

use async_graphql::http::GraphiQLSource;
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use sea_orm::DatabaseConnection;
use tower_http::limit::RequestBodyLimitLayer;

use crate::auth::Tokens;
use crate::context::Caller;
use crate::graphql::{self, ScrSchema};

/// Largest request body accepted; larger ones get 413.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// What every request shares.
#[derive(Debug, Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub tokens: Tokens,
}

#[derive(Clone)]
struct App {
    state: AppState,
    schema: ScrSchema,
}

pub fn app(state: AppState) -> Router {
    let schema = graphql::schema(state.clone());
    Router::new()
        .route("/graphql", get(graphiql).post(graphql_handler))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .with_state(App { state, schema })
}

async fn graphiql() -> impl IntoResponse {
    Html(GraphiQLSource::build().endpoint("/graphql").finish())
}

async fn readyz(State(app): State<App>) -> impl IntoResponse {
    if crate::db::ping(&app.state.db).await {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Resolves the caller from the bearer token. A missing, invalid, expired or
/// tampered token leaves the request anonymous: every field that needs a caller then
/// answers `UNAUTHENTICATED`, while `login` still works.
async fn caller(app: &App, headers: &HeaderMap) -> Option<Arc<Caller>> {
    let subject = app.state.tokens.verify(bearer(headers)?).ok()?;
    match Caller::load(&app.state.db, &subject).await {
        Ok(c) => Some(Arc::new(c)),
        Err(e) => {
            tracing::debug!(error = %e, "token names no active user");
            None
        }
    }
}

async fn graphql_handler(State(app): State<App>, headers: HeaderMap, req: GraphQLRequest) -> GraphQLResponse {
    let caller = caller(&app, &headers).await;
    let loaders = crate::loaders::request_loaders(app.state.db.clone());
    let mut req = req.into_inner().data(loaders);
    if let Some(c) = caller {
        req = req.data(c);
    }
    app.schema.execute(req).await.into()
}
