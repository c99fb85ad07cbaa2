//! The review phase's mutations and their inputs: IMRs requested, authored and
//! decided, chronology entries and links, moving on, the report and the summary.

use async_graphql::{Context, InputObject, Object};
use chrono::NaiveDate;

use crate::graphql::enums::*;
use crate::graphql::errors::GqlResult;
use crate::graphql::request::{caller, state};
use crate::graphql::reviews::{Review, reload, reload_imr};
use crate::records::Doc;

/// A recommendation of an IMR, as drafted: parts may be missing until submission.
#[derive(InputObject)]
pub struct RecommendationInput {
    #[graphql(default)]
    pub action: String,
    pub owner_agency_id: Option<i32>,
    pub due: Option<NaiveDate>,
    #[graphql(default)]
    pub intended_outcome: String,
    #[graphql(default)]
    pub success_measure: String,
}

/// The written sections of an IMR; any may be empty in a draft.
#[derive(InputObject)]
pub struct ImrContentInput {
    #[graphql(default)]
    pub summary: String,
    /// One answer per analysis question, in order.
    #[graphql(default)]
    pub analysis: Vec<String>,
    #[graphql(default)]
    pub lessons: String,
    #[graphql(default)]
    pub good_practice: String,
    #[graphql(default)]
    pub recommendations: Vec<RecommendationInput>,
    #[graphql(default)]
    pub staff_support: String,
}

impl From<ImrContentInput> for shared::imr::Content {
    fn from(c: ImrContentInput) -> Self {
        shared::imr::Content {
            summary: c.summary,
            analysis: c.analysis,
            lessons: c.lessons,
            good_practice: c.good_practice,
            recommendations: c
                .recommendations
                .into_iter()
                .map(|r| {
                    crate::review::recommendation(
                        r.action,
                        r.owner_agency_id,
                        r.due,
                        r.intended_outcome,
                        r.success_measure,
                    )
                })
                .collect(),
            staff_support: c.staff_support,
        }
    }
}

/// A chronology entry as typed.
#[derive(InputObject)]
pub struct ChronologyEntryInput {
    /// For an approximate date, any day of the month or year.
    pub date: NaiveDate,
    /// "HH:MM", only with an exact date.
    pub time: Option<String>,
    #[graphql(default_with = "PrecisionGql::Exact")]
    pub precision: PrecisionGql,
    #[graphql(default)]
    pub sequence: i32,
    pub practitioner_role: String,
    pub event: String,
    #[graphql(default)]
    pub decision_or_action: String,
    #[graphql(default)]
    pub child_seen: bool,
    #[graphql(default)]
    pub seen_alone: bool,
    #[graphql(default)]
    pub wishes_sought: bool,
    #[graphql(default)]
    pub perpetrator_contact: bool,
    #[graphql(default)]
    pub source: String,
    #[graphql(default)]
    pub person_ids: Vec<i32>,
}

impl TryFrom<ChronologyEntryInput> for crate::review::NewEntry {
    type Error = crate::errors::ApiError;
    fn try_from(e: ChronologyEntryInput) -> Result<Self, Self::Error> {
        let time =
            match e.time.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                Some(t) => Some(chrono::NaiveTime::parse_from_str(t, "%H:%M").map_err(|_| {
                    crate::errors::ApiError::invalid("time", "Give the time as HH:MM, for example 14:30")
                })?),
                None => None,
            };
        Ok(crate::review::NewEntry {
            id: 0,
            agency: shared::AgencyId(0),
            when: shared::chronology::When { date: e.date, time, precision: e.precision.into() },
            sequence: e.sequence,
            practitioner_role: e.practitioner_role,
            event: e.event,
            decision_or_action: e.decision_or_action,
            child_seen: e.child_seen,
            seen_alone: e.seen_alone,
            wishes_sought: e.wishes_sought,
            perpetrator_contact: e.perpetrator_contact,
            source: e.source,
            people: e.person_ids,
        })
    }
}

#[derive(Default)]
pub struct ReviewMutation;

#[Object]
impl ReviewMutation {
    /// Stage 8: ask involved agencies for their IMRs, due with the review's IMR deadline.
    async fn request_imrs(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        agency_ids: Vec<i32>,
        #[graphql(desc = "The day the IMRs were requested; today when not given.")] requested_on: Option<NaiveDate>,
    ) -> GqlResult<Review> {
        crate::review::request_imrs(&state(ctx)?.db, caller(ctx)?, review_id, &agency_ids, requested_on).await?;
        reload(ctx, review_id).await
    }

    /// The agency manager designates who writes the agency's IMR.
    async fn designate_imr_author(&self, ctx: &Context<'_>, imr_id: i32, user_id: i32) -> GqlResult<Review> {
        crate::review::designate_imr_author(&state(ctx)?.db, caller(ctx)?, imr_id, user_id).await?;
        reload_imr(ctx, imr_id).await
    }

    /// The designated author declares independence; refused, with the reasons, when it fails.
    async fn declare_imr_independence(
        &self,
        ctx: &Context<'_>,
        imr_id: i32,
        direct_involvement: bool,
        line_manages_practitioners: bool,
    ) -> GqlResult<Review> {
        let db = &state(ctx)?.db;
        crate::review::declare_independence(db, caller(ctx)?, imr_id, direct_involvement, line_manages_practitioners)
            .await?;
        reload_imr(ctx, imr_id).await
    }

    /// Save a new version of the IMR's sections; `expectedVersion` is the version edited.
    async fn save_imr(
        &self,
        ctx: &Context<'_>,
        imr_id: i32,
        expected_version: i32,
        content: ImrContentInput,
    ) -> GqlResult<Review> {
        crate::review::save_imr(&state(ctx)?.db, caller(ctx)?, imr_id, expected_version, content.into()).await?;
        reload_imr(ctx, imr_id).await
    }

    /// Add an entry to the IMR's chronology.
    async fn add_chronology_entry(
        &self,
        ctx: &Context<'_>,
        imr_id: i32,
        entry: ChronologyEntryInput,
    ) -> GqlResult<Review> {
        crate::review::add_entry(&state(ctx)?.db, caller(ctx)?, imr_id, entry.try_into()?).await?;
        reload_imr(ctx, imr_id).await
    }

    /// Change a chronology entry; `expectedVersion` is the entry's version edited.
    async fn update_chronology_entry(
        &self,
        ctx: &Context<'_>,
        entry_id: i32,
        expected_version: i32,
        entry: ChronologyEntryInput,
    ) -> GqlResult<Review> {
        let review_id =
            crate::review::update_entry(&state(ctx)?.db, caller(ctx)?, entry_id, expected_version, entry.try_into()?)
                .await?;
        reload(ctx, review_id).await
    }

    /// Remove a chronology entry.
    async fn delete_chronology_entry(
        &self,
        ctx: &Context<'_>,
        entry_id: i32,
        expected_version: i32,
    ) -> GqlResult<Review> {
        let review_id = crate::review::delete_entry(&state(ctx)?.db, caller(ctx)?, entry_id, expected_version).await?;
        reload(ctx, review_id).await
    }

    /// Submit the IMR to the panel: refused, listing what is missing, until complete.
    async fn submit_imr(
        &self,
        ctx: &Context<'_>,
        imr_id: i32,
        expected_version: i32,
        #[graphql(desc = "The day the IMR was submitted; today when not given.")] submitted_on: Option<NaiveDate>,
    ) -> GqlResult<Review> {
        crate::review::submit_imr(&state(ctx)?.db, caller(ctx)?, imr_id, expected_version, submitted_on).await?;
        reload_imr(ctx, imr_id).await
    }

    /// The panel accepts a submitted IMR, or returns it with comments.
    async fn decide_imr(
        &self,
        ctx: &Context<'_>,
        imr_id: i32,
        accept: bool,
        comments: Option<String>,
        #[graphql(desc = "The day the panel decided; today when not given.")] decided_on: Option<NaiveDate>,
    ) -> GqlResult<Review> {
        crate::review::decide_imr(&state(ctx)?.db, caller(ctx)?, imr_id, accept, comments.as_deref(), decided_on)
            .await?;
        reload_imr(ctx, imr_id).await
    }

    /// Link two entries of the combined chronology that describe the same event differently.
    async fn link_chronology_entries(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        entry_a: i32,
        entry_b: i32,
        note: String,
    ) -> GqlResult<Review> {
        crate::review::link_entries(&state(ctx)?.db, caller(ctx)?, review_id, entry_a, entry_b, &note).await?;
        reload(ctx, review_id).await
    }

    /// Move the review on: combined chronology, analysis, overview report.
    async fn advance_phase(&self, ctx: &Context<'_>, review_id: i32, to: StageGql) -> GqlResult<Review> {
        crate::review::advance_phase(&state(ctx)?.db, caller(ctx)?, review_id, to.into()).await?;
        reload(ctx, review_id).await
    }

    /// Save a new version of the overview report, one text per section of 11.14.
    async fn save_overview_report(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        expected_version: i32,
        sections: Vec<String>,
    ) -> GqlResult<Review> {
        let db = &state(ctx)?.db;
        crate::review::save_document(db, caller(ctx)?, review_id, Doc::OverviewReport, expected_version, sections)
            .await?;
        reload(ctx, review_id).await
    }

    /// An agency confirms a version of the report represents its information fairly.
    async fn confirm_representation(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        agency_id: i32,
        report_version: i32,
        comment: Option<String>,
    ) -> GqlResult<Review> {
        let db = &state(ctx)?.db;
        crate::review::confirm_representation(
            db,
            caller(ctx)?,
            review_id,
            agency_id,
            report_version,
            comment.as_deref(),
        )
        .await?;
        reload(ctx, review_id).await
    }

    /// Save a new version of the executive summary, one text per section of 11.16.
    async fn save_executive_summary(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        expected_version: i32,
        sections: Vec<String>,
    ) -> GqlResult<Review> {
        let db = &state(ctx)?.db;
        crate::review::save_document(db, caller(ctx)?, review_id, Doc::ExecutiveSummary, expected_version, sections)
            .await?;
        reload(ctx, review_id).await
    }
}
