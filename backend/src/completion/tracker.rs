//! The action tracker: actions across every review whose plan the caller may read,
//! found, sorted (overdue first) and paged in the database. Which actions the caller
//! may see is the policy's `action_visible` written as one condition
//! (`access::holding`); access is then worked out for the page's reviews only, and
//! `action_visible` still decides every action answered.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, Order, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use shared::completion::ActionStatus;
use shared::policy::{Access, Field, action_visible, field_access};
use shared::role::Capacity;

use crate::access::{self, ReviewAccess};
use crate::context::Caller;
use crate::entities::*;
use crate::errors::ApiResult;

/// What to look for among the actions; every part optional.
#[derive(Debug, Clone, Default)]
pub struct ActionFilter {
    pub status: Option<ActionStatus>,
    pub agency_id: Option<i32>,
    pub overdue_only: bool,
    /// Only the caller's own actions.
    pub mine: bool,
}

/// The actions `filter` finds that the caller may see, overdue first, then open, then
/// by due date: how many in all (when `counted`), and `limit` of them from `offset`
/// (or all of them), each with the caller's access to its review.
pub async fn actions_across(
    db: &DatabaseConnection,
    caller: &Caller,
    filter: &ActionFilter,
    offset: u64,
    limit: Option<u64>,
    counted: bool,
) -> ApiResult<(u64, Vec<(action::Model, Arc<ReviewAccess>)>)> {
    let today = Utc::now().date_naive();
    let implemented = ActionStatus::Implemented.as_str();
    let reads_plan = |c: Capacity| field_access(c, Field::ActionPlan) > Access::Hidden;
    let reviews_where = |cond: Condition| {
        action::Column::ReviewId
            .in_subquery(Query::select().column(review::Column::Id).from(review::Entity).cond_where(cond).to_owned())
    };
    // `action_visible`: a capacity that reads the plan sees every action, except the
    // action owner's, which sees its own.
    let visible = Condition::any()
        .add(reviews_where(access::holding(caller, |c| reads_plan(c) && c != Capacity::ActionOwner)))
        .add(
            Condition::all()
                .add(action::Column::OwnerId.eq(caller.user.id))
                .add(reviews_where(access::holding(caller, |c| reads_plan(c) && c == Capacity::ActionOwner))),
        );
    let mut q = action::Entity::find().filter(visible);
    if filter.mine {
        q = q.filter(action::Column::OwnerId.eq(caller.user.id));
    }
    if let Some(s) = filter.status {
        q = q.filter(action::Column::Status.eq(s.as_str()));
    }
    if let Some(ag) = filter.agency_id {
        q = q.filter(action::Column::AgencyId.eq(ag));
    }
    let open = || Expr::col(action::Column::Status).ne(implemented);
    let overdue = || Condition::all().add(open()).add(Expr::col(action::Column::DueOn).lt(today));
    if filter.overdue_only {
        q = q.filter(overdue());
    }
    let total = if counted { q.clone().count(db).await? } else { 0 };
    // Overdue first, then open, then implemented: among open actions the overdue have
    // the earliest due dates, so "not implemented, then by due date" is that order, and
    // it is the order of an index (migration 000023, whose expression this is, word for
    // word, so that both databases walk it).
    let mut q = q
        .order_by(Expr::cust("(status = 'implemented')"), Order::Asc)
        .order_by_asc(action::Column::DueOn)
        .order_by_asc(action::Column::Id);
    // SQLite takes an offset only with a limit.
    if let Some(l) = limit {
        q = q.offset(offset).limit(l);
    }
    let rows = q.all(db).await?;
    // Access to the page's reviews only.
    let mut ids: Vec<i32> = rows.iter().map(|a| a.review_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let reviews = review::Entity::find().filter(review::Column::Id.is_in(ids)).all(db).await?;
    let by_review: HashMap<i32, Arc<ReviewAccess>> =
        access::for_reviews(db, caller, &reviews).await?.into_iter().map(|a| (a.review.id, Arc::new(a))).collect();
    let list = rows
        .into_iter()
        .filter_map(|row| {
            let a = by_review.get(&row.review_id)?;
            action_visible(&a.capacities, caller.id(), shared::UserId(row.owner_id)).then(|| (row, Arc::clone(a)))
        })
        .collect();
    Ok((total, list))
}
