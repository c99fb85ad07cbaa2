//! What a GraphQL request carries: the signed-in caller, the server's state, the
//! request's loaders, and the reviews the caller may see, worked out once.

use std::sync::Arc;

use async_graphql::Context;
use sea_orm::{EntityTrait, QueryFilter, QueryOrder};

use crate::access::{self, ReviewAccess};
use crate::context::Caller;
use crate::entities::review;
use crate::errors::{ApiError, ApiResult};
use crate::graphql::loaders::RequestLoader;

pub(crate) fn loaders<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a RequestLoader> {
    ctx.data::<RequestLoader>().map_err(|_| ApiError::Internal("request has no loaders".into()))
}

/// The signed-in caller, or `UNAUTHENTICATED`.
pub(crate) fn caller<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a Caller> {
    ctx.data_opt::<std::sync::Arc<Caller>>().map(|c| c.as_ref()).ok_or(ApiError::Unauthenticated)
}

pub(crate) fn state<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a crate::context::AppState> {
    ctx.data::<crate::context::AppState>().map_err(|_| ApiError::Internal("schema has no state".into()))
}

/// A sign-in attempt: one a request (aliased sign-ins are refused after the first),
/// within the client address's limit.
pub(crate) fn sign_in_gate(ctx: &Context<'_>) -> ApiResult<()> {
    if let Ok(once) = ctx.data::<crate::edge::SignInOnce>()
        && !once.first()
    {
        return Err(ApiError::TooManyAttempts { retry_after: 1 });
    }
    let ip = ctx.data::<crate::edge::ClientAddress>().map_or(std::net::IpAddr::from([0, 0, 0, 0]), |c| c.0);
    state(ctx)?.edge.sign_in(ip).map_err(|retry_after| ApiError::TooManyAttempts { retry_after })
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
            review::Entity::find().filter(access::in_scope(c)).order_by_asc(review::Column::Id).all(db).await?;
        let (all, links) = access::for_reviews_with_links(db, c, &candidates).await?;
        let seen: Vec<&review::Model> = all.iter().map(|a| &a.review).collect();
        crate::graphql::loaders::remember(loaders(ctx)?, &seen, links).await;
        Ok::<_, ApiError>(Arc::new(all.into_iter().map(Arc::new).collect()))
    };
    match ctx.data_opt::<VisibleReviews>() {
        Some(memo) => memo.0.get_or_try_init(work_out).await.cloned(),
        None => work_out().await,
    }
}
