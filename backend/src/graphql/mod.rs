//! The GraphQL schema: queries, mutations and the objects they return. The HTTP
//! adapter (`app.rs`) is thin; everything a request may see is decided here through
//! `access` and `shared::policy`.

pub mod completion;
pub mod enums;
pub mod inputs;
pub mod mutation;
pub mod query;
pub mod review_docs;
pub mod types;

use async_graphql::{Context, EmptySubscription, Schema};

use crate::context::Caller;
use crate::errors::{ApiError, ApiResult};

pub type ScrSchema = Schema<query::Query, mutation::Mutation, EmptySubscription>;

/// Deepest query accepted: deep enough for a review page, far from a recursion bomb.
pub const MAX_DEPTH: usize = 12;
/// Costliest query accepted (async-graphql's default cost of 1 per field).
pub const MAX_COMPLEXITY: usize = 2_000;

/// Builds the schema with its limits. Request data (caller, loaders) is added per request.
pub fn schema(state: crate::app::AppState) -> ScrSchema {
    Schema::build(query::Query, mutation::Mutation, EmptySubscription)
        .data(state)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .limit_recursive_depth(32)
        .limit_directives(20)
        .finish()
}

/// The schema in SDL, as checked in at `schema.graphql`.
pub fn sdl() -> String {
    Schema::build(query::Query, mutation::Mutation, EmptySubscription).finish().sdl()
}

/// The signed-in caller, or `UNAUTHENTICATED`.
pub(crate) fn caller<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a Caller> {
    ctx.data_opt::<std::sync::Arc<Caller>>().map(|c| c.as_ref()).ok_or(ApiError::Unauthenticated)
}

pub(crate) fn state<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a crate::app::AppState> {
    ctx.data::<crate::app::AppState>().map_err(|_| ApiError::Internal("schema has no state".into()))
}
