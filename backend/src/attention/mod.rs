//! What needs the caller's attention, across every review they see: deadlines at risk
//! or overdue, IMRs to write or decide, actions due or awaiting a closure decision.
//! Worked out from the records on each request, so it is never out of date; the same
//! items feed the calendar.
//!
//! Beside them, the notifications kept for each user: an appointment, an IMR returned
//! or accepted, an action given or its closure decided, a report approved. Each is
//! written in the transaction of the change it tells of, and is read or unread.

pub mod mail;

pub mod graphql;

use chrono::{Duration, NaiveDate, Utc};
use icalendar::{Calendar, Component, Event, EventLike};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use shared::completion::ActionStatus;
use shared::imr::ImrStatus;
use shared::policy::{Field, Operation, action_visible};

use crate::access::{self, ReviewAccess};
use crate::context::Caller;
use crate::entities::*;
use crate::errors::ApiResult;

/// One thing to attend to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// "deadline", "step", "imr", "imr_decision", "action" or "closure_decision".
    pub kind: &'static str,
    pub review_id: i32,
    pub reference: String,
    pub message: String,
    /// Where in the client to act on it.
    pub path: String,
    /// When it falls due, if it does.
    pub due_on: Option<NaiveDate>,
    pub overdue: bool,
}

fn days(n: i64) -> String {
    if n == 1 { "1 day".to_owned() } else { format!("{n} days") }
}

/// Everything for the caller, overdue first, then by due date.
pub async fn items(db: &DatabaseConnection, caller: &Caller, today: NaiveDate) -> ApiResult<Vec<Item>> {
    let mut out = Vec::new();
    for (a, d, _) in alerts(db, caller, today).await? {
        let kind = crate::stored::value("deadline kind", &d.kind, shared::deadline::DeadlineKind::parse)?.title();
        let late = (today - d.due_on).num_days();
        out.push(Item {
            kind: "deadline",
            review_id: a.review.id,
            reference: a.review.reference.clone(),
            message: if late > 0 {
                format!("{kind}: overdue by {}", days(late))
            } else {
                format!("{kind}: due in {}", days(-late))
            },
            path: match shared::tasks::tasks_of(a.profile()?.kind)
                .iter()
                .find(|r| r.deadline.is_some_and(|k| k.as_str() == d.kind))
            {
                Some(r) => format!("/reviews/{}/tasks/{}", a.review.id, r.task.as_str()),
                None => format!("/reviews/{}", a.review.id),
            },
            due_on: Some(d.due_on),
            overdue: late > 0,
        });
    }
    let reviews = review::Entity::find().filter(access::in_scope(caller)).all(db).await?;
    let accesses = access::for_reviews(db, caller, &reviews).await?;
    let ids: Vec<i32> = accesses.iter().map(|a| a.review.id).collect();
    let imrs = imr::Entity::find().filter(imr::Column::ReviewId.is_in(ids.clone())).all(db).await?;
    let actions = action::Entity::find().filter(action::Column::ReviewId.is_in(ids)).all(db).await?;
    let agencies = agency::Entity::find().all(db).await?;
    let agency = |id: i32| agencies.iter().find(|a| a.id == id).map_or_else(String::new, |a| a.name.clone());
    let deadlines = deadline::Entity::find()
        .filter(deadline::Column::ReviewId.is_in(accesses.iter().map(|a| a.review.id)))
        .filter(deadline::Column::MetOn.is_null())
        .all(db)
        .await?;
    for a in &accesses {
        let reference = a.review.reference.clone();
        let id = a.review.id;
        out.extend(next_steps(a, &deadlines, today)?);
        for i in imrs.iter().filter(|i| i.review_id == id) {
            let status = crate::stored::value("IMR status", &i.status, ImrStatus::parse)?;
            let path = format!("/reviews/{id}/imrs/{}", i.id);
            if i.author_id == Some(caller.user.id) {
                let message = match status {
                    ImrStatus::AuthorDesignated => Some("Declare your independence to start the IMR"),
                    ImrStatus::InProgress => Some("Write and submit the IMR"),
                    ImrStatus::Returned => Some("The panel returned the IMR with comments"),
                    _ => None,
                };
                if let Some(m) = message {
                    out.push(Item {
                        kind: "imr",
                        review_id: id,
                        reference: reference.clone(),
                        message: format!("{m} for {}", agency(i.agency_id)),
                        path: path.clone(),
                        due_on: Some(i.due_on),
                        overdue: i.due_on < today,
                    });
                }
            }
            if status == ImrStatus::Submitted && a.may(Operation::DecideImr)? {
                out.push(Item {
                    kind: "imr_decision",
                    review_id: id,
                    reference: reference.clone(),
                    message: format!("Accept or return the IMR from {}", agency(i.agency_id)),
                    path,
                    due_on: None,
                    overdue: false,
                });
            }
        }
        if a.read(Field::ActionPlan).is_ok() {
            for x in actions.iter().filter(|x| x.review_id == id) {
                let status = crate::stored::value("action status", &x.status, ActionStatus::parse)?;
                let mine = x.owner_id == caller.user.id;
                if mine && status == ActionStatus::Open && x.due_on <= today + Duration::days(14) {
                    let late = (today - x.due_on).num_days();
                    out.push(Item {
                        kind: "action",
                        review_id: id,
                        reference: reference.clone(),
                        message: if late > 0 {
                            format!("Your action for {} is overdue by {}", agency(x.agency_id), days(late))
                        } else {
                            format!("Your action for {} is due in {}", agency(x.agency_id), days(-late))
                        },
                        path: "/actions".to_owned(),
                        due_on: Some(x.due_on),
                        overdue: late > 0,
                    });
                }
                if !mine
                    && status == ActionStatus::ClosureRequested
                    && a.may(Operation::DecideClosure)?
                    && action_visible(&a.capacities, caller.id(), shared::UserId(x.owner_id))
                {
                    out.push(Item {
                        kind: "closure_decision",
                        review_id: id,
                        reference: reference.clone(),
                        message: format!("Approve or refuse the closure of an action for {}", agency(x.agency_id)),
                        path: "/actions".to_owned(),
                        due_on: None,
                        overdue: false,
                    });
                }
            }
        }
    }
    out.sort_by_key(|i| (!i.overdue, i.due_on.is_none(), i.due_on, i.review_id));
    Ok(out)
}

/// The steps of the procedure the caller may take now on one review, each once, from
/// the task list: "Decide whether a review is held", "Record the Ofsted notification".
/// IMRs and actions are told of item by item instead, and the family's records are
/// kept up throughout rather than done.
fn next_steps(a: &ReviewAccess, deadlines: &[deadline::Model], today: NaiveDate) -> ApiResult<Vec<Item>> {
    use shared::tasks::{Task, TaskStatus, tasks_of};
    let (stage, profile) = (a.stage()?, a.profile()?);
    let mut taken = Vec::new();
    let mut out = Vec::new();
    for rule in tasks_of(profile.kind).iter().filter(|r| !matches!(r.task, Task::Imrs | Task::Family | Task::Referral))
    {
        let Some(op) = rule.operations.first().copied() else { continue };
        if taken.contains(&op)
            || !matches!(rule.status(profile, stage), TaskStatus::NotStarted | TaskStatus::InProgress)
            || !a.may(op)?
        {
            continue;
        }
        taken.push(op);
        let due = rule.deadline.and_then(|k| {
            deadlines.iter().find(|d| d.review_id == a.review.id && d.kind == k.as_str()).map(|d| d.due_on)
        });
        out.push(Item {
            kind: "step",
            review_id: a.review.id,
            reference: a.review.reference.clone(),
            message: op.title().to_owned(),
            path: format!("/reviews/{}/tasks/{}", a.review.id, rule.task.as_str()),
            due_on: due,
            overdue: due.is_some_and(|d| d < today),
        });
    }
    Ok(out)
}

/// The caller's dated items as an iCalendar feed (all-day events). Only references,
/// deadline names and agencies go into it: nothing of the family.
pub async fn calendar(db: &DatabaseConnection, caller: &Caller, today: NaiveDate) -> ApiResult<String> {
    let mut cal = Calendar::new();
    cal.name("Serious Case Reviews");
    let reviews = review::Entity::find().filter(access::in_scope(caller)).all(db).await?;
    let accesses = access::for_reviews(db, caller, &reviews).await?;
    let readable: Vec<i32> =
        accesses.iter().filter(|a| a.read(Field::Deadlines).is_ok()).map(|a| a.review.id).collect();
    let reference =
        |id: i32| accesses.iter().find(|a| a.review.id == id).map_or_else(String::new, |a| a.review.reference.clone());
    for d in deadline::Entity::find()
        .filter(deadline::Column::ReviewId.is_in(readable))
        .filter(deadline::Column::MetOn.is_null())
        .all(db)
        .await?
    {
        let kind = crate::stored::value("deadline kind", &d.kind, shared::deadline::DeadlineKind::parse)?.title();
        cal.push(
            Event::new()
                .uid(&format!("deadline-{}@scr", d.id))
                .summary(&format!("{}: {kind}", reference(d.review_id)))
                .all_day(d.due_on)
                .done(),
        );
    }
    for i in items(db, caller, today).await? {
        if let (Some(due), "imr" | "action") = (i.due_on, i.kind) {
            cal.push(
                Event::new()
                    .uid(&format!("{}-{}-{}@scr", i.kind, i.review_id, due))
                    .summary(&format!("{}: {} due", i.reference, if i.kind == "imr" { "IMR" } else { "Action" }))
                    .all_day(due)
                    .done(),
            );
        }
    }
    Ok(cal.done().to_string())
}

/// The caller's kept notifications, newest first (at most `INBOX_LIMIT`).
pub async fn inbox(
    db: &DatabaseConnection,
    caller: &Caller,
    unread_only: bool,
) -> ApiResult<Vec<user_notification::Model>> {
    let mut q = user_notification::Entity::find().filter(user_notification::Column::UserId.eq(caller.user.id));
    if unread_only {
        q = q.filter(user_notification::Column::ReadAt.is_null());
    }
    Ok(q.order_by_desc(user_notification::Column::Id).limit(INBOX_LIMIT).all(db).await?)
}

/// The most notifications one answer holds.
pub const INBOX_LIMIT: u64 = 200;

/// How many of the caller's notifications are unread.
pub async fn unread_count(db: &DatabaseConnection, caller: &Caller) -> ApiResult<u64> {
    Ok(user_notification::Entity::find()
        .filter(user_notification::Column::UserId.eq(caller.user.id))
        .filter(user_notification::Column::ReadAt.is_null())
        .count(db)
        .await?)
}

/// Marks the caller's notifications `ids` read (all of them when `None`); another
/// user's are left alone. Returns how many were marked.
pub async fn mark_read(db: &DatabaseConnection, caller: &Caller, ids: Option<Vec<i32>>) -> ApiResult<u64> {
    let mut q = user_notification::Entity::update_many()
        .col_expr(user_notification::Column::ReadAt, Expr::value(Utc::now()))
        .filter(user_notification::Column::UserId.eq(caller.user.id))
        .filter(user_notification::Column::ReadAt.is_null());
    if let Some(ids) = ids {
        q = q.filter(user_notification::Column::Id.is_in(ids));
    }
    Ok(q.exec(db).await?.rows_affected)
}

/// Deadlines at risk or overdue on the reviews where the caller reads deadlines, soonest
/// first. The database finds the open deadlines due within the widest at-risk window of
/// any board on reviews where the caller holds a capacity that reads them; access is then
/// worked out for those reviews only, and the policy decides each one.
pub async fn alerts(
    db: &DatabaseConnection,
    caller: &Caller,
    today: NaiveDate,
) -> ApiResult<Vec<(std::sync::Arc<ReviewAccess>, deadline::Model, u32)>> {
    Ok(alerts_with_links(db, caller, today).await?.0)
}

/// As `alerts`, with the boards and agencies of their reviews read on the way.
pub async fn alerts_with_links(
    db: &DatabaseConnection,
    caller: &Caller,
    today: NaiveDate,
) -> ApiResult<(Vec<(std::sync::Arc<ReviewAccess>, deadline::Model, u32)>, access::Links)> {
    let boards = board::Entity::find().all(db).await?;
    let mut widest = 0;
    for b in &boards {
        widest = widest.max(crate::stored::profile(b)?.at_risk_days);
    }
    let reads =
        |c: shared::role::Capacity| shared::policy::field_access(c, Field::Deadlines) > shared::policy::Access::Hidden;
    let rows = deadline::Entity::find()
        .filter(deadline::Column::MetOn.is_null())
        .filter(deadline::Column::DueOn.lte(today + Duration::days(i64::from(widest))))
        .filter(
            deadline::Column::ReviewId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(review::Column::Id)
                    .from(review::Entity)
                    .cond_where(access::holding(caller, reads))
                    .to_owned(),
            ),
        )
        .order_by_asc(deadline::Column::DueOn)
        .order_by_asc(deadline::Column::Id)
        .all(db)
        .await?;
    let mut ids: Vec<i32> = rows.iter().map(|d| d.review_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let reviews = if ids.is_empty() {
        Vec::new()
    } else {
        review::Entity::find().filter(review::Column::Id.is_in(ids)).all(db).await?
    };
    let (found, links) = access::for_reviews_with_links(db, caller, &reviews).await?;
    let by_id: std::collections::HashMap<i32, std::sync::Arc<ReviewAccess>> = found
        .into_iter()
        .filter(|a| a.read(Field::Deadlines).is_ok())
        .map(|a| (a.review.id, std::sync::Arc::new(a)))
        .collect();
    let mut out = Vec::new();
    for d in rows {
        let Some(a) = by_id.get(&d.review_id) else {
            continue;
        };
        let board = boards
            .iter()
            .find(|b| b.id == a.review.lead_board_id)
            .ok_or_else(|| crate::stored::corrupt("lead board of a review", &a.review.lead_board_id.to_string()))?;
        let at_risk = crate::stored::profile(board)?.at_risk_days;
        let s = shared::deadline::status(d.due_on, d.met_on, today, at_risk);
        if matches!(s, shared::deadline::DeadlineStatus::AtRisk | shared::deadline::DeadlineStatus::Overdue) {
            out.push((a.clone(), d, at_risk));
        }
    }
    Ok((out, links))
}
