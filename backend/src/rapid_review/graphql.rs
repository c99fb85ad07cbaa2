//! The rapid review in the schema: read as a field of the review (`Field::RapidReview`,
//! free text pseudonymised for those who read labels only), and its steps.

use std::sync::Arc;

use async_graphql::{Context, Object, SimpleObject};
use chrono::NaiveDate;
use shared::policy::Field;

use crate::access::ReviewAccess;
use crate::entities::*;
use crate::graphql::errors::GqlResult;
use crate::graphql::objects::{by_id, opt_text, rows, text};
use crate::graphql::request::{caller, state};
use crate::graphql::reviews::{Review, reload};

/// One agency's information for the rapid review.
#[derive(SimpleObject)]
pub struct RapidReviewInformation {
    pub agency_id: i32,
    pub agency: String,
    pub requested_on: NaiveDate,
    pub returned_on: Option<NaiveDate>,
    pub summary: Option<String>,
}

/// The rapid review as far as it has gone.
#[derive(SimpleObject)]
pub struct RapidReview {
    /// When the National Panel was notified of the serious incident.
    pub notified_on: NaiveDate,
    pub information_requested_on: Option<NaiveDate>,
    pub information: Vec<RapidReviewInformation>,
    pub meeting_on: Option<NaiveDate>,
    pub meeting_notes: Option<String>,
    /// Whether the partners decided to commission a local review; `null` until decided.
    pub commission: Option<bool>,
    pub reasons: Option<String>,
    pub decided_on: Option<NaiveDate>,
    /// When the rapid review was sent to the National Panel.
    pub sent_on: Option<NaiveDate>,
    pub panel_response: Option<String>,
    pub panel_responded_on: Option<NaiveDate>,
    pub learning: Option<String>,
    pub closed_on: Option<NaiveDate>,
    pub commissioned_on: Option<NaiveDate>,
}

#[derive(Clone)]
pub struct RapidReviewOfReview(pub Arc<ReviewAccess>);

#[Object]
impl RapidReviewOfReview {
    /// The rapid review (reviews under the 2023 procedure, once the National Panel has
    /// been notified).
    async fn rapid_review(&self, ctx: &Context<'_>) -> GqlResult<Option<RapidReview>> {
        let a = &self.0;
        a.read(Field::RapidReview)?;
        let Some(r) = rows::<rapid_review::Entity>(ctx, a.review.id).await?.first().cloned() else {
            return Ok(None);
        };
        let mut information = Vec::new();
        for i in rows::<rapid_review_information::Entity>(ctx, a.review.id).await?.iter() {
            information.push(RapidReviewInformation {
                agency_id: i.agency_id,
                agency: by_id::<agency::Entity>(ctx, i.agency_id).await?.map(|x| x.name).unwrap_or_default(),
                requested_on: i.requested_on,
                returned_on: i.returned_on,
                summary: opt_text(ctx, a, Field::RapidReview, i.summary.as_deref()).await?,
            });
        }
        let t = |raw: Option<String>| async move {
            match raw {
                Some(x) => text(ctx, a, Field::RapidReview, &x).await.map(Some),
                None => Ok(None),
            }
        };
        Ok(Some(RapidReview {
            notified_on: r.notified_on,
            information_requested_on: r.information_requested_on,
            information,
            meeting_on: r.meeting_on,
            meeting_notes: t(r.meeting_notes).await?,
            commission: r.commission,
            reasons: t(r.reasons).await?,
            decided_on: r.decided_on,
            sent_on: r.sent_on,
            panel_response: t(r.panel_response).await?,
            panel_responded_on: r.panel_responded_on,
            learning: t(r.learning).await?,
            closed_on: r.closed_on,
            commissioned_on: r.commissioned_on,
        }))
    }
}

#[derive(Default)]
pub struct RapidReviewMutation;

/// The steps of the rapid review. Each takes the date it happened; today when not given.
#[Object]
impl RapidReviewMutation {
    /// The serious incident notified to the National Panel.
    async fn notify_national_panel(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        sent_on: Option<NaiveDate>,
    ) -> GqlResult<Review> {
        super::notify_national_panel(&state(ctx)?.db, caller(ctx)?, review_id, sent_on).await?;
        reload(ctx, review_id).await
    }

    /// Every involved agency asked for its information.
    async fn request_rapid_review_information(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        requested_on: Option<NaiveDate>,
    ) -> GqlResult<Review> {
        super::request_information(&state(ctx)?.db, caller(ctx)?, review_id, requested_on).await?;
        reload(ctx, review_id).await
    }

    /// An agency's information returned.
    async fn return_rapid_review_information(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        agency_id: i32,
        summary: String,
        returned_on: Option<NaiveDate>,
    ) -> GqlResult<Review> {
        super::return_information(&state(ctx)?.db, caller(ctx)?, review_id, agency_id, &summary, returned_on).await?;
        reload(ctx, review_id).await
    }

    /// The rapid review meeting.
    async fn record_rapid_review_meeting(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        notes: String,
        held_on: Option<NaiveDate>,
    ) -> GqlResult<Review> {
        super::record_meeting(&state(ctx)?.db, caller(ctx)?, review_id, held_on, &notes).await?;
        reload(ctx, review_id).await
    }

    /// The partners' decision whether to commission a local review, with reasons.
    async fn decide_rapid_review(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        commission: bool,
        reasons: String,
        decided_on: Option<NaiveDate>,
    ) -> GqlResult<Review> {
        super::decide(&state(ctx)?.db, caller(ctx)?, review_id, commission, &reasons, decided_on).await?;
        reload(ctx, review_id).await
    }

    /// The rapid review sent to the National Panel.
    async fn send_rapid_review(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        sent_on: Option<NaiveDate>,
    ) -> GqlResult<Review> {
        super::send(&state(ctx)?.db, caller(ctx)?, review_id, sent_on).await?;
        reload(ctx, review_id).await
    }

    /// The National Panel's response.
    async fn record_panel_response(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        response: String,
        received_on: Option<NaiveDate>,
    ) -> GqlResult<Review> {
        super::record_response(&state(ctx)?.db, caller(ctx)?, review_id, &response, received_on).await?;
        reload(ctx, review_id).await
    }

    /// No further review: closed with the learning recorded.
    async fn record_learning(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        learning: String,
        closed_on: Option<NaiveDate>,
    ) -> GqlResult<Review> {
        super::record_learning(&state(ctx)?.db, caller(ctx)?, review_id, &learning, closed_on).await?;
        reload(ctx, review_id).await
    }

    /// The local child safeguarding practice review commissioned.
    async fn commission_review(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        commissioned_on: Option<NaiveDate>,
    ) -> GqlResult<Review> {
        super::commission(&state(ctx)?.db, caller(ctx)?, review_id, commissioned_on).await?;
        reload(ctx, review_id).await
    }
}
