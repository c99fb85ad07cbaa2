//! The GraphQL edge of errors: an `ApiError` rendered for the client
//! (`ApiError::rendered`) as an async-graphql error. async-graphql wants a `Clone`
//! error and converts anything `Display` by itself, which would drop the code, so
//! resolvers return `GqlResult`.

use async_graphql::ErrorExtensions;

use crate::errors::ApiError;

/// An `ApiError` rendered for the client. Resolvers return `GqlResult<T>`; `?` on an
/// `ApiResult` converts through here, so every error keeps its code.
#[derive(Debug, Clone)]
pub struct GqlError(async_graphql::Error);

pub type GqlResult<T> = Result<T, GqlError>;

/// The GraphQL error the client receives for `e`, with `extensions.code`.
pub fn render(e: ApiError) -> async_graphql::Error {
    let (message, ext) = e.rendered();
    async_graphql::Error::new(message).extend_with(|_, out| {
        for (k, v) in ext {
            out.set(k, async_graphql::Value::from_json(v).unwrap_or(async_graphql::Value::Null));
        }
    })
}

impl From<ApiError> for GqlError {
    fn from(e: ApiError) -> Self {
        GqlError(render(e))
    }
}

impl From<std::sync::Arc<sea_orm::DbErr>> for GqlError {
    fn from(e: std::sync::Arc<sea_orm::DbErr>) -> Self {
        ApiError::from(e).into()
    }
}

impl From<sea_orm::DbErr> for GqlError {
    fn from(e: sea_orm::DbErr) -> Self {
        ApiError::from(e).into()
    }
}

impl From<GqlError> for async_graphql::Error {
    fn from(e: GqlError) -> Self {
        e.0
    }
}
