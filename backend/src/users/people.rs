//! Finding people among the accounts (administrators): by name or e-mail, agency,
//! role and whether the account is active; sorted by name and paged in the database.

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use shared::role::Role;

use super::require_admin;
use crate::context::Caller;
use crate::entities::*;
use crate::errors::{ApiError, ApiResult};

/// At most this many people a page.
pub const MAX_PAGE: u64 = 100;

/// What to look for; every part optional.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Part of the name or the e-mail address, any case.
    pub text: Option<String>,
    pub agency_id: Option<i32>,
    pub role: Option<Role>,
    pub active: Option<bool>,
}

/// One page of the people found, and how many were found in all.
pub async fn find(
    db: &DatabaseConnection,
    actor: &Caller,
    filter: &Filter,
    offset: u64,
    limit: u64,
) -> ApiResult<(u64, Vec<user::Model>)> {
    require_admin(actor)?;
    if limit == 0 || limit > MAX_PAGE {
        return Err(ApiError::invalid("limit", format!("Ask for between 1 and {MAX_PAGE} people a page")));
    }
    let mut cond = Condition::all();
    if let Some(text) = filter.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        if text.chars().count() > 200 {
            return Err(ApiError::invalid("text", "Search for 200 characters or fewer"));
        }
        let like = |col: user::Column| crate::db::contains(Expr::col((user::Entity, col)), text);
        cond = cond.add(Condition::any().add(like(user::Column::Name)).add(like(user::Column::Email)));
    }
    if let Some(a) = filter.agency_id {
        cond = cond.add(user::Column::AgencyId.eq(a));
    }
    if let Some(active) = filter.active {
        cond = cond.add(user::Column::Active.eq(active));
    }
    if let Some(role) = filter.role {
        cond = cond.add(
            user::Column::Id.in_subquery(
                Query::select()
                    .column(role_grant::Column::UserId)
                    .from(role_grant::Entity)
                    .and_where(role_grant::Column::Role.eq(role.as_str()))
                    .to_owned(),
            ),
        );
    }
    let q = user::Entity::find().filter(cond);
    let total = q.clone().count(db).await?;
    let page =
        q.order_by_asc(user::Column::Name).order_by_asc(user::Column::Id).offset(offset).limit(limit).all(db).await?;
    Ok((total, page))
}
