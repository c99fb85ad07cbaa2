//! The GraphQL schema: queries, mutations and the objects they return. The HTTP
//! adapter (`app.rs`) is thin; everything a request may see is decided here through
//! `access` and `shared::policy`.

pub mod completion;
pub mod enums;
pub mod errors;
pub mod inputs;
pub mod loaders;
pub mod mutation;
pub mod query;
pub mod review_docs;
pub mod types;

use std::sync::Arc;

use async_graphql::{Context, EmptySubscription, Schema};
use sea_orm::{EntityTrait, QueryFilter, QueryOrder};

use crate::access::{self, ReviewAccess};
use crate::context::Caller;
use crate::entities::review;
use crate::errors::{ApiError, ApiResult};

pub type ScrSchema = Schema<query::Query, mutation::Mutation, EmptySubscription>;

/// Deepest query accepted: deep enough for a review page, far from a recursion bomb.
pub const MAX_DEPTH: usize = 12;
/// Costliest query accepted (async-graphql's default cost of 1 per field).
pub const MAX_COMPLEXITY: usize = 2_000;

/// Builds the schema with its limits. Request data (caller, loaders) is added per request.
pub fn schema(state: crate::context::AppState) -> ScrSchema {
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

pub(crate) fn state<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a crate::context::AppState> {
    ctx.data::<crate::context::AppState>().map_err(|_| ApiError::Internal("schema has no state".into()))
}

/// The caller's access to every review they may see, worked out once a request however
/// many of a query's fields need it (the dashboard's deadlines and its list both do).
#[derive(Default)]
pub struct VisibleReviews(tokio::sync::OnceCell<Arc<Vec<Arc<ReviewAccess>>>>);

/// Every review the caller may see, in id order, with their access. Queries only: a
/// mutation may change what is visible.
pub(crate) async fn visible_reviews(ctx: &Context<'_>) -> ApiResult<Arc<Vec<Arc<ReviewAccess>>>> {
    let work_out = || async {
        let c = caller(ctx)?;
        let db = &state(ctx)?.db;
        let candidates =
            review::Entity::find().filter(access::candidates(c)).order_by_asc(review::Column::Id).all(db).await?;
        let (all, links) = access::for_reviews_with_links(db, c, &candidates).await?;
        let seen: Vec<&review::Model> = all.iter().map(|a| &a.review).collect();
        crate::graphql::loaders::remember(types::loaders(ctx)?, &seen, links).await;
        Ok::<_, ApiError>(Arc::new(all.into_iter().map(Arc::new).collect()))
    };
    match ctx.data_opt::<VisibleReviews>() {
        Some(memo) => memo.0.get_or_try_init(work_out).await.cloned(),
        None => work_out().await,
    }
}
