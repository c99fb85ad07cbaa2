//! What needs attention, in the schema: deadlines across reviews, what to do next,
//! the notifications kept for the caller and the calendar feed.

use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};

use crate::graphql::errors::GqlResult;
use crate::graphql::objects::*;
use crate::graphql::request::{caller, loaders, state};
use crate::graphql::reviews::{Review, wanted};

/// A deadline with the review it belongs to, for "what is at risk or overdue".
#[derive(SimpleObject)]
pub struct DeadlineAlert {
    pub review: Review,
    pub deadline: Deadline,
}

/// A notification kept for the caller: an appointment, a return, an approval.
#[derive(SimpleObject)]
pub struct InboxMessage {
    pub id: i32,
    /// "appointment", "assignment", "return", "approval" or "closure_requested".
    pub kind: String,
    pub review_id: Option<i32>,
    pub message: String,
    /// Where in the client to act on it.
    pub path: String,
    pub created_at: DateTime<Utc>,
    pub read: bool,
}

/// Something that needs the caller's attention.
#[derive(SimpleObject)]
pub struct Notification {
    /// "deadline", "step", "imr", "imr_decision", "action" or "closure_decision".
    pub kind: String,
    pub review_id: i32,
    pub reference: String,
    pub message: String,
    /// Where in the client to act on it.
    pub path: String,
    pub due_on: Option<NaiveDate>,
    pub overdue: bool,
}

#[derive(Default)]
pub struct DeadlinesQuery;

#[Object]
impl DeadlinesQuery {
    /// Deadlines at risk or overdue on the reviews you may see, soonest first.
    async fn my_deadlines(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The day to judge by; today when left out.")] as_of: Option<NaiveDate>,
    ) -> GqlResult<Vec<DeadlineAlert>> {
        let today = as_of.unwrap_or_else(|| Utc::now().date_naive());
        let (found, links) = crate::attention::alerts_with_links(&state(ctx)?.db, caller(ctx)?, today).await?;
        let mut seen: Vec<&crate::entities::review::Model> = found.iter().map(|(a, _, _)| &a.review).collect();
        seen.sort_by_key(|r| r.id);
        seen.dedup_by_key(|r| r.id);
        let ids: Vec<i32> = seen.iter().map(|r| r.id).collect();
        crate::graphql::loaders::remember(loaders(ctx)?, &seen, links).await;
        crate::graphql::loaders::prefetch(loaders(ctx)?, &ids, wanted(&ctx.look_ahead().field("review"))).await?;
        Ok(found
            .into_iter()
            .map(|(a, d, at_risk_days)| DeadlineAlert {
                review: Review::new(a.clone()),
                deadline: Deadline { row: d, today, at_risk_days, access: a },
            })
            .collect())
    }
}

#[derive(Default)]
pub struct NotificationsQuery;

#[Object]
impl NotificationsQuery {
    /// Checks text bound for an external body against the review's registered names
    /// What needs the caller's attention across their reviews, overdue first.
    async fn notifications(&self, ctx: &Context<'_>, as_of: Option<NaiveDate>) -> GqlResult<Vec<Notification>> {
        let today = as_of.unwrap_or_else(crate::step::today);
        Ok(crate::attention::items(&state(ctx)?.db, caller(ctx)?, today)
            .await?
            .into_iter()
            .map(|i| Notification {
                kind: i.kind.to_owned(),
                review_id: i.review_id,
                reference: i.reference,
                message: i.message,
                path: i.path,
                due_on: i.due_on,
                overdue: i.overdue,
            })
            .collect())
    }

    /// The notifications kept for the caller, newest first; only the unread when asked.
    async fn inbox(&self, ctx: &Context<'_>, unread_only: Option<bool>) -> GqlResult<Vec<InboxMessage>> {
        let list = crate::attention::inbox(&state(ctx)?.db, caller(ctx)?, unread_only.unwrap_or(false)).await?;
        Ok(list
            .into_iter()
            .map(|m| InboxMessage {
                id: m.id,
                kind: m.kind,
                review_id: m.review_id,
                message: m.message,
                path: m.path,
                created_at: m.created_at,
                read: m.read_at.is_some(),
            })
            .collect())
    }

    /// How many of the caller's notifications are unread.
    async fn unread_notification_count(&self, ctx: &Context<'_>) -> GqlResult<i32> {
        let n = crate::attention::unread_count(&state(ctx)?.db, caller(ctx)?).await?;
        Ok(i32::try_from(n).unwrap_or(i32::MAX))
    }

    /// The address of the caller's calendar feed (iCalendar), with its own token.
    async fn calendar_feed_url(&self, ctx: &Context<'_>) -> GqlResult<String> {
        let token = state(ctx)?.tokens.issue_calendar(caller(ctx)?.user.id, caller(ctx)?.user.calendar_generation)?;
        Ok(format!("/api/calendar.ics?token={token}"))
    }
}

#[derive(Default)]
pub struct NotificationsMutation;

#[Object]
impl NotificationsMutation {
    /// Mark the caller's notifications read: those named, or all when none are named.
    /// Returns how many were marked.
    async fn mark_notifications_read(&self, ctx: &Context<'_>, ids: Option<Vec<i32>>) -> GqlResult<i32> {
        let n = crate::attention::mark_read(&state(ctx)?.db, caller(ctx)?, ids).await?;
        Ok(i32::try_from(n).unwrap_or(i32::MAX))
    }
}
