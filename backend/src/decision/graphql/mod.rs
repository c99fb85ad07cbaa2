//! The decision phase in the schema (stages 1 to 7): the referral, the criteria
//! assessment, the recommendation and the chair's decision, Ofsted's notification,
//! setting up (checklist, appointments), the terms of reference and deadline extensions.
//! The referral's own object, with its partner boards and their grounds, is in
//! `referrals.rs`.

use std::sync::Arc;

use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use shared::policy::{Access, Field, Operation};
use shared::role::Assignment;

use crate::access::{self, ReviewAccess};
use crate::decision::NewReferral;
use crate::entities::*;
use crate::graphql::enums::*;
use crate::graphql::errors::GqlResult;
use crate::graphql::inputs::*;
use crate::graphql::objects::*;
use crate::graphql::request::{caller, state};
use crate::graphql::reviews::{Review, reload};
use shared::criteria::{self, ReferralFacts};
use shared::stage::{ChecklistItem, NoReviewOutcome, Relationship};

mod referrals;

pub use referrals::*;

/// The facts of a referral that the criteria turn on.
#[derive(SimpleObject)]
pub struct ReferralFactsView {
    pub child_died: bool,
    pub suspected_suicide: bool,
    pub abuse_or_neglect: Option<AbuseOrNeglectGql>,
    pub custody: Option<CustodySettingGql>,
    pub detained_under_mental_health_law: bool,
    pub harm: Vec<HarmCategoryGql>,
    pub inter_agency_concern: Option<bool>,
    pub indicators: Vec<IndicatorGql>,
}

impl From<&ReferralFacts> for ReferralFactsView {
    fn from(f: &ReferralFacts) -> Self {
        Self {
            child_died: f.child_died,
            suspected_suicide: f.suspected_suicide,
            abuse_or_neglect: f.abuse_or_neglect.map(Into::into),
            custody: f.custody.map(Into::into),
            detained_under_mental_health_law: f.detained_under_mental_health_law,
            harm: f.harm.iter().map(|h| (*h).into()).collect(),
            inter_agency_concern: f.inter_agency_concern,
            indicators: f.indicators.iter().map(|i| (*i).into()).collect(),
        }
    }
}

/// The criteria engine's answer.
#[derive(SimpleObject)]
pub struct Proposal {
    pub category: CategoryGql,
    /// The facts that led here, each with its paragraph of the procedure.
    pub reasons: Vec<String>,
    /// Facts absent or unknown that would have led to a stronger category.
    pub missing: Vec<String>,
}

impl From<criteria::Proposal> for Proposal {
    fn from(p: criteria::Proposal) -> Self {
        Self { category: p.category.into(), reasons: p.reasons, missing: p.missing }
    }
}

#[derive(SimpleObject)]
pub struct CriteriaAssessment {
    /// The Initial Panel's view.
    pub category: CategoryGql,
    /// What the engine proposed when the panel recorded its view.
    pub engine_category: CategoryGql,
    pub reasons: String,
    /// When it was recorded.
    pub assessed_at: DateTime<Utc>,
    /// When the panel assessed.
    pub assessed_on: NaiveDate,
}

#[derive(SimpleObject)]
pub struct Recommendation {
    pub conduct: bool,
    pub alternative: Option<NoReviewOutcomeGql>,
    pub scope: Option<String>,
    pub reasons: String,
    /// When it was recorded.
    pub recommended_at: DateTime<Utc>,
    /// When the panel recommended.
    pub recommended_on: NaiveDate,
}

#[derive(SimpleObject)]
pub struct ChairDecision {
    pub conduct: bool,
    pub outcome: Option<NoReviewOutcomeGql>,
    pub reasons: String,
    pub decided_on: NaiveDate,
}

#[derive(SimpleObject)]
pub struct OfstedNotification {
    pub subject: String,
    pub reasons: Option<String>,
    pub sent_on: NaiveDate,
    pub terms_sent_on: Option<NaiveDate>,
}

#[derive(SimpleObject)]
pub struct SetupChecklistItem {
    pub id: i32,
    pub item: ChecklistItemGql,
    /// For "records secured": the agency that confirms.
    pub agency_id: Option<i32>,
    /// That agency's name.
    pub agency_name: Option<String>,
    pub done: bool,
    pub done_on: Option<NaiveDate>,
    pub note: Option<String>,
}

#[derive(SimpleObject)]
pub struct Appointment {
    pub id: i32,
    pub assignment: AssignmentGql,
    /// Absent when the appointee may not be named to you (11.16).
    pub user_id: Option<i32>,
    pub name: Option<String>,
    pub job_title: Option<String>,
    pub agency: Option<String>,
    /// When the appointment was recorded.
    pub appointed_at: DateTime<Utc>,
    /// The day of the appointment.
    pub appointed_on: NaiveDate,
}

#[derive(SimpleObject)]
pub struct TermsOfReference {
    pub version: i32,
    /// Whether this is the newest version; only the newest can be edited or approved.
    pub latest: bool,
    pub answers: Vec<TermsAnswer>,
    pub saved_at: DateTime<Utc>,
    pub approved: bool,
    /// When the approval was recorded.
    pub approved_at: Option<DateTime<Utc>>,
    /// The day the Chair approved.
    pub approved_on: Option<NaiveDate>,
}

#[derive(SimpleObject)]
pub struct TermsAnswer {
    /// 1 to 19, as in Appendix 1.
    pub number: i32,
    pub question: String,
    pub text: Option<String>,
    pub not_applicable: bool,
}

/// The facts the criteria turn on (11.2, 11.2.1, 11.5). Unknown is `null`.
#[derive(InputObject, Default)]
pub struct ReferralFactsInput {
    #[graphql(default)]
    pub child_died: bool,
    #[graphql(default)]
    pub suspected_suicide: bool,
    pub abuse_or_neglect: Option<AbuseOrNeglectGql>,
    pub custody: Option<CustodySettingGql>,
    #[graphql(default)]
    pub detained_under_mental_health_law: bool,
    #[graphql(default)]
    pub harm: Vec<HarmCategoryGql>,
    pub inter_agency_concern: Option<bool>,
    #[graphql(default)]
    pub indicators: Vec<IndicatorGql>,
}

impl From<ReferralFactsInput> for ReferralFacts {
    fn from(f: ReferralFactsInput) -> Self {
        ReferralFacts {
            child_died: f.child_died,
            suspected_suicide: f.suspected_suicide,
            abuse_or_neglect: f.abuse_or_neglect.map(Into::into),
            custody: f.custody.map(Into::into),
            detained_under_mental_health_law: f.detained_under_mental_health_law,
            harm: f.harm.into_iter().map(Into::into).collect(),
            inter_agency_concern: f.inter_agency_concern,
            indicators: f.indicators.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(InputObject)]
pub struct ReferralInput {
    /// The child (relationship `CHILD`).
    pub child: PersonInput,
    /// Siblings, parents, carers, the alleged perpetrator, household members.
    #[graphql(default)]
    pub family: Vec<PersonInput>,
    pub circumstances: String,
    pub facts: ReferralFactsInput,
    /// The board where the child is or was normally resident.
    pub normal_residence_board_id: i32,
    /// The board of the local authority looking after the child, if looked after.
    pub looked_after_by_board_id: Option<i32>,
    /// Other boards whose agencies knew the child.
    #[graphql(default)]
    pub other_involved_board_ids: Vec<i32>,
    /// Agencies known to be involved. The board of each becomes a partner unless left out.
    pub involved_agency_ids: Vec<i32>,
    /// Boards proposed only because an agency of theirs is involved, left out with a reason.
    #[graphql(default)]
    pub left_out_boards: Vec<LeftOutBoardInput>,
    /// When the referral was received; today when not given. Never in the future.
    pub received_on: Option<NaiveDate>,
}

impl From<ReferralInput> for NewReferral {
    fn from(r: ReferralInput) -> Self {
        NewReferral {
            child: r.child.into(),
            family: r.family.into_iter().map(Into::into).collect(),
            circumstances: r.circumstances,
            facts: r.facts.into(),
            normal_residence_board_id: r.normal_residence_board_id,
            looked_after_by_board_id: r.looked_after_by_board_id,
            other_involved_board_ids: r.other_involved_board_ids,
            involved_agency_ids: r.involved_agency_ids,
            left_out_boards: r
                .left_out_boards
                .into_iter()
                .map(|l| shared::lead_board::LeftOut { board: shared::BoardId(l.board_id), reason: l.reason })
                .collect(),
            received_on: r.received_on,
        }
    }
}

/// One answer of the terms of reference.
#[derive(InputObject)]
pub struct TermsAnswerInput {
    pub text: Option<String>,
    #[graphql(default)]
    pub not_applicable: bool,
}

// The review's fields of the decision phase.
#[derive(Clone)]
pub struct DecisionOfReview(pub Arc<ReviewAccess>);

#[Object]
impl DecisionOfReview {
    /// The child the review is about.
    async fn child(&self, ctx: &Context<'_>) -> GqlResult<Option<Person>> {
        self.0.read(Field::PersonLabel)?;
        Ok(rows::<person::Entity>(ctx, self.0.review.id)
            .await?
            .iter()
            .find(|p| p.relationship == Relationship::Child.as_str())
            .map(|p| Person { row: p.clone(), access: self.0.clone() }))
    }

    async fn referral(&self, ctx: &Context<'_>) -> GqlResult<Option<Referral>> {
        self.0.read(Field::ReviewSummary)?;
        Ok(rows::<referral::Entity>(ctx, self.0.review.id)
            .await?
            .first()
            .map(|r| Referral { row: r.clone(), access: self.0.clone() }))
    }

    /// Every criteria assessment recorded, oldest first.
    async fn criteria_assessments(&self, ctx: &Context<'_>) -> GqlResult<Vec<CriteriaAssessment>> {
        self.0.read(Field::CriteriaAssessment)?;
        let list = rows::<criteria_assessment::Entity>(ctx, self.0.review.id).await?;
        let mut out = Vec::new();
        for a in list.iter() {
            out.push(CriteriaAssessment {
                category: crate::stored::value("criteria category", &a.category, criteria::Category::parse)?.into(),
                engine_category: crate::stored::value(
                    "engine criteria category",
                    &a.engine_category,
                    criteria::Category::parse,
                )?
                .into(),
                reasons: text(ctx, &self.0, Field::CriteriaAssessment, &a.reasons).await?,
                assessed_at: a.assessed_at,
                assessed_on: a.assessed_on.unwrap_or_else(|| a.assessed_at.date_naive()),
            });
        }
        Ok(out)
    }

    async fn recommendation(&self, ctx: &Context<'_>) -> GqlResult<Option<Recommendation>> {
        self.0.read(Field::Recommendation)?;
        let list = rows::<recommendation::Entity>(ctx, self.0.review.id).await?;
        let Some(r) = list.last() else {
            return Ok(None);
        };
        Ok(Some(Recommendation {
            conduct: r.conduct,
            alternative: crate::stored::optional(
                "no-review outcome",
                r.alternative.as_deref(),
                NoReviewOutcome::parse,
            )?
            .map(Into::into),
            scope: opt_text(ctx, &self.0, Field::Recommendation, r.scope.as_deref()).await?,
            reasons: text(ctx, &self.0, Field::Recommendation, &r.reasons).await?,
            recommended_at: r.recommended_at,
            recommended_on: r.recommended_on.unwrap_or_else(|| r.recommended_at.date_naive()),
        }))
    }

    async fn decision(&self, ctx: &Context<'_>) -> GqlResult<Option<ChairDecision>> {
        self.0.read(Field::ChairDecision)?;
        let list = rows::<decision::Entity>(ctx, self.0.review.id).await?;
        let Some(d) = list.last() else {
            return Ok(None);
        };
        Ok(Some(ChairDecision {
            conduct: d.conduct,
            outcome: crate::stored::optional("no-review outcome", d.outcome.as_deref(), NoReviewOutcome::parse)?
                .map(Into::into),
            reasons: text(ctx, &self.0, Field::ChairDecision, &d.reasons).await?,
            decided_on: d.decided_on,
        }))
    }

    async fn ofsted_notification(&self, ctx: &Context<'_>) -> GqlResult<Option<OfstedNotification>> {
        self.0.read(Field::OfstedNotification)?;
        let list = rows::<notification::Entity>(ctx, self.0.review.id).await?;
        let Some(n) = list.iter().rev().find(|n| n.recipient == "ofsted") else {
            return Ok(None);
        };
        Ok(Some(OfstedNotification {
            subject: n.subject.clone(),
            reasons: opt_text(ctx, &self.0, Field::OfstedNotification, n.reasons.as_deref()).await?,
            sent_on: n.sent_on,
            terms_sent_on: n.terms_sent_on,
        }))
    }

    async fn setup_checklist(&self, ctx: &Context<'_>) -> GqlResult<Vec<SetupChecklistItem>> {
        let access = self.0.read(Field::SetupChecklist)?;
        let list = rows::<setup_checklist_item::Entity>(ctx, self.0.review.id).await?;
        let mut out = Vec::new();
        for i in list.iter() {
            out.push(SetupChecklistItem {
                id: i.id,
                item: crate::stored::value("checklist item", &i.item, ChecklistItem::parse)?.into(),
                agency_id: i.agency_id,
                agency_name: match i.agency_id {
                    Some(a) => by_id::<agency::Entity>(ctx, a).await?.map(|a| a.name),
                    None => None,
                },
                done: i.done,
                done_on: i.done_on,
                note: match (&i.note, access) {
                    (Some(n), _) => Some(text(ctx, &self.0, Field::SetupChecklist, n).await?),
                    (None, _) => None,
                },
            });
        }
        Ok(out)
    }

    async fn appointments(&self, ctx: &Context<'_>) -> GqlResult<Vec<Appointment>> {
        let access = self.0.read(Field::Appointments)?;
        let list = rows::<review_assignment::Entity>(ctx, self.0.review.id).await?;
        let mut out = Vec::new();
        for a in list.iter() {
            let assignment = crate::stored::value("review assignment", &a.assignment, Assignment::parse)?;
            let u = by_id::<user::Entity>(ctx, a.user_id).await?;
            let agency = match u.as_ref().and_then(|u| u.agency_id) {
                Some(id) => by_id::<agency::Entity>(ctx, id).await?.map(|x| x.name),
                None => None,
            };
            let job_title = u.as_ref().and_then(|u| u.job_title.clone());
            // 11.16: only the panel chair and the overview author are named to outsiders;
            // panel members by job title and employer.
            let named =
                access == Access::Full || matches!(assignment, Assignment::PanelChair | Assignment::OverviewAuthor);
            out.push(Appointment {
                id: a.id,
                assignment: assignment.into(),
                user_id: named.then_some(a.user_id),
                name: if named { u.map(|u| u.name) } else { None },
                job_title,
                agency,
                appointed_at: a.appointed_at,
                appointed_on: a.appointed_on.unwrap_or_else(|| a.appointed_at.date_naive()),
            });
        }
        Ok(out)
    }

    /// The terms of reference: the latest version, or the one asked for.
    async fn terms_of_reference(&self, ctx: &Context<'_>, version: Option<i32>) -> GqlResult<Option<TermsOfReference>> {
        self.0.read(Field::TermsOfReference)?;
        let list = rows::<terms_of_reference::Entity>(ctx, self.0.review.id).await?;
        let latest = list.iter().map(|t| t.version).max().unwrap_or(0);
        let found = match version {
            Some(v) => list.iter().find(|t| t.version == v),
            None => list.iter().max_by_key(|t| t.version),
        };
        let Some(t) = found else { return Ok(None) };
        let stored: Vec<crate::records::StoredAnswer> = crate::stored::json("terms of reference answers", &t.answers)?;
        let mut answers = Vec::new();
        for (i, q) in shared::terms::QUESTIONS.iter().enumerate() {
            let a = stored.get(i).cloned().unwrap_or_default();
            answers.push(TermsAnswer {
                number: i as i32 + 1,
                question: (*q).to_owned(),
                text: opt_text(ctx, &self.0, Field::TermsOfReference, a.text.as_deref()).await?,
                not_applicable: a.not_applicable,
            });
        }
        Ok(Some(TermsOfReference {
            version: t.version,
            latest: t.version == latest,
            answers,
            saved_at: t.saved_at,
            approved: t.approved_at.is_some(),
            approved_at: t.approved_at,
            approved_on: crate::records::day_of(t.approved_on, t.approved_at),
        }))
    }

    /// Every saved version number, oldest first.
    async fn terms_of_reference_versions(&self, ctx: &Context<'_>) -> GqlResult<Vec<i32>> {
        self.0.read(Field::TermsOfReference)?;
        Ok(rows::<terms_of_reference::Entity>(ctx, self.0.review.id).await?.iter().map(|t| t.version).collect())
    }
}

#[derive(Default)]
pub struct DecisionQuery;

#[Object]
impl DecisionQuery {
    /// What the criteria engine proposes for a set of facts (nothing is stored).
    async fn criteria_proposal(&self, ctx: &Context<'_>, facts: ReferralFactsInput) -> GqlResult<Proposal> {
        caller(ctx)?;
        Ok(shared::criteria::assess(&facts.into()).into())
    }

    /// The nineteen questions of the terms of reference (Appendix 1).
    async fn terms_of_reference_questions(&self) -> Vec<&'static str> {
        shared::terms::QUESTIONS.to_vec()
    }
}

#[derive(Default)]
pub struct AppointmentQuery;

#[Object]
impl AppointmentQuery {
    /// Users who could be appointed to a review: name, job title and agency only.
    async fn appointable_users(&self, ctx: &Context<'_>, review_id: i32) -> GqlResult<Vec<AppointableUser>> {
        let c = caller(ctx)?;
        let db = &state(ctx)?.db;
        access::for_review(db, c, review_id).await?.require(Operation::Appoint)?;
        let users =
            user::Entity::find().filter(user::Column::Active.eq(true)).order_by_asc(user::Column::Name).all(db).await?;
        let agencies = agency::Entity::find().all(db).await?;
        Ok(users
            .into_iter()
            .map(|u| AppointableUser {
                id: u.id,
                agency: u.agency_id.and_then(|id| agencies.iter().find(|a| a.id == id)).map(|a| a.name.clone()),
                name: u.name,
                job_title: u.job_title,
            })
            .collect())
    }
}

#[derive(Default)]
pub struct DecisionMutation;

#[Object]
impl DecisionMutation {
    /// Stage 1: refer a case.
    async fn submit_referral(&self, ctx: &Context<'_>, input: ReferralInput) -> GqlResult<Review> {
        let id = crate::decision::submit_referral(&state(ctx)?.db, caller(ctx)?, input.into()).await?;
        reload(ctx, id).await
    }

    /// A board with an interest found after the referral becomes a partner (11.3), with
    /// the reason; refused for the lead board, a partner already, or without a reason.
    async fn add_partner_board(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        board_id: i32,
        reason: String,
        #[graphql(desc = "The day the board was added; today when not given.")] added_on: Option<NaiveDate>,
    ) -> GqlResult<Review> {
        crate::decision::add_partner_board(&state(ctx)?.db, caller(ctx)?, review_id, board_id, &reason, added_on)
            .await?;
        reload(ctx, review_id).await
    }

    /// Stage 2: the Initial Panel's view of the criteria.
    async fn record_criteria_assessment(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        category: CategoryGql,
        reasons: String,
        #[graphql(desc = "When the panel assessed; today when not given")] assessed_on: Option<NaiveDate>,
    ) -> GqlResult<Review> {
        crate::decision::record_assessment(
            &state(ctx)?.db,
            caller(ctx)?,
            review_id,
            category.into(),
            &reasons,
            assessed_on,
        )
        .await?;
        reload(ctx, review_id).await
    }

    /// Stage 3: the Initial Panel's recommendation.
    #[allow(clippy::too_many_arguments)] // each is a field of the recommendation's form
    async fn record_recommendation(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        conduct: bool,
        alternative: Option<NoReviewOutcomeGql>,
        scope: Option<String>,
        reasons: String,
        #[graphql(desc = "When the panel recommended; today when not given")] recommended_on: Option<NaiveDate>,
    ) -> GqlResult<Review> {
        crate::decision::record_recommendation(
            &state(ctx)?.db,
            caller(ctx)?,
            review_id,
            conduct,
            alternative.map(Into::into),
            scope.as_deref(),
            &reasons,
            recommended_on,
        )
        .await?;
        reload(ctx, review_id).await
    }

    /// Stage 4: the Chair's decision, with reasons.
    async fn decide_review(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        conduct: bool,
        outcome: Option<NoReviewOutcomeGql>,
        reasons: String,
        #[graphql(desc = "When the Chair decided; today when not given")] decided_on: Option<NaiveDate>,
    ) -> GqlResult<Review> {
        crate::decision::decide(
            &state(ctx)?.db,
            caller(ctx)?,
            review_id,
            conduct,
            outcome.map(Into::into),
            &reasons,
            decided_on,
        )
        .await?;
        reload(ctx, review_id).await
    }

    /// Stage 5: Ofsted told of the decision.
    async fn record_ofsted_notification(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        sent_on: NaiveDate,
        reasons: Option<String>,
    ) -> GqlResult<Review> {
        crate::decision::record_ofsted_notification(
            &state(ctx)?.db,
            caller(ctx)?,
            review_id,
            sent_on,
            reasons.as_deref(),
        )
        .await?;
        reload(ctx, review_id).await
    }

    /// Stage 6: tick or untick an item of the set-up checklist.
    async fn update_setup_checklist_item(
        &self,
        ctx: &Context<'_>,
        item_id: i32,
        done: bool,
        note: Option<String>,
        done_on: Option<NaiveDate>,
    ) -> GqlResult<Review> {
        let item = crate::decision::update_checklist_item(
            &state(ctx)?.db,
            caller(ctx)?,
            item_id,
            done,
            note.as_deref(),
            done_on,
        )
        .await?;
        reload(ctx, item.review_id).await
    }

    /// Stage 6: appoint the panel chair, a panel member, the overview author or a
    /// designated professional. Independence failures are refused with every reason.
    async fn appoint(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        user_id: i32,
        assignment: AssignmentGql,
        #[graphql(desc = "The day of the appointment; today when not given.")] appointed_on: Option<NaiveDate>,
    ) -> GqlResult<Review> {
        crate::decision::appoint(&state(ctx)?.db, caller(ctx)?, review_id, user_id, assignment.into(), appointed_on)
            .await?;
        reload(ctx, review_id).await
    }

    /// Stage 6 complete.
    async fn complete_set_up(&self, ctx: &Context<'_>, review_id: i32) -> GqlResult<Review> {
        crate::decision::complete_set_up(&state(ctx)?.db, caller(ctx)?, review_id).await?;
        reload(ctx, review_id).await
    }

    /// Stage 7: save the terms of reference as a new version. `expectedVersion` is the
    /// version you started from (0 for the first); a stale one is refused with `CONFLICT`.
    async fn save_terms_of_reference(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        expected_version: i32,
        answers: Vec<TermsAnswerInput>,
    ) -> GqlResult<Review> {
        let answers: Vec<(Option<String>, bool)> = answers.into_iter().map(|a| (a.text, a.not_applicable)).collect();
        crate::decision::save_terms(&state(ctx)?.db, caller(ctx)?, review_id, expected_version, &answers).await?;
        reload(ctx, review_id).await
    }

    /// Stage 7 complete: the Chair approves a version of the terms of reference.
    async fn approve_terms_of_reference(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        version: i32,
        #[graphql(desc = "The day the Chair approved; today when not given")] approved_on: Option<NaiveDate>,
    ) -> GqlResult<Review> {
        crate::decision::approve_terms(&state(ctx)?.db, caller(ctx)?, review_id, version, approved_on).await?;
        reload(ctx, review_id).await
    }

    /// The approved terms of reference were sent to Ofsted.
    async fn record_terms_sent_to_ofsted(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        sent_on: NaiveDate,
    ) -> GqlResult<Review> {
        crate::decision::record_terms_sent(&state(ctx)?.db, caller(ctx)?, review_id, sent_on).await?;
        reload(ctx, review_id).await
    }
}

#[derive(Default)]
pub struct DeadlineMutation;

#[Object]
impl DeadlineMutation {
    /// Move a deadline later, with the reason; the history is kept.
    async fn extend_deadline(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        kind: DeadlineKindGql,
        due_on: NaiveDate,
        reason: String,
    ) -> GqlResult<Review> {
        crate::decision::extend_deadline(&state(ctx)?.db, caller(ctx)?, review_id, kind.into(), due_on, &reason)
            .await?;
        reload(ctx, review_id).await
    }
}
