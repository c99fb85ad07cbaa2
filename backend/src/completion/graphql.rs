//! The completion phase in the schema (stages 13 to 18): milestones, amendments, the
//! action plan with its updates and evidence, and what still stops publication.

use std::sync::Arc;

use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use shared::policy::Field;

use crate::access::ReviewAccess;
use crate::entities::*;
use crate::errors::ApiResult;
use crate::graphql::enums::*;
use crate::graphql::errors::GqlResult;
use crate::graphql::loaders::{EvidenceOf, UpdatesOf};
use crate::graphql::objects::*;
use crate::graphql::request::{caller, loaders, state};
use crate::graphql::reviews::{Review, reload};
use shared::completion::{ActionStatus, Milestone};
use shared::policy::action_visible;

#[derive(SimpleObject)]
pub struct MilestoneView {
    pub kind: MilestoneGql,
    /// For a notice, who was told.
    pub body: Option<NoticeBodyGql>,
    pub on_date: NaiveDate,
    pub details: String,
}

#[derive(SimpleObject)]
pub struct Amendment {
    pub id: i32,
    pub description: String,
    pub done_on: Option<NaiveDate>,
}

pub async fn milestones(ctx: &Context<'_>, a: &ReviewAccess) -> GqlResult<Vec<MilestoneView>> {
    a.read(Field::Completion)?;
    let mut out = Vec::new();
    for m in rows::<milestone::Entity>(ctx, a.review.id).await?.iter() {
        let kind = crate::stored::value("milestone kind", &m.kind, Milestone::parse)?;
        out.push(MilestoneView {
            kind: kind.into(),
            body: crate::stored::notice_body(m)?.map(Into::into),
            on_date: m.on_date,
            details: text(ctx, a, Field::Completion, &m.details).await?,
        });
    }
    Ok(out)
}

pub async fn amendments(ctx: &Context<'_>, a: &ReviewAccess) -> GqlResult<Vec<Amendment>> {
    a.read(Field::Completion)?;
    let mut out = Vec::new();
    for m in rows::<amendment::Entity>(ctx, a.review.id).await?.iter() {
        out.push(Amendment {
            id: m.id,
            description: text(ctx, a, Field::Completion, &m.description).await?,
            done_on: m.done_on,
        });
    }
    Ok(out)
}

/// What still stops publication (empty when it may go ahead), for those who plan it.
pub async fn publication_problems(ctx: &Context<'_>, a: &ReviewAccess) -> GqlResult<Vec<Problem>> {
    a.read(Field::Completion)?;
    let db = &loaders(ctx)?.loader().db;
    let facts = crate::completion::publication_facts(db, a, None).await?;
    Ok(shared::completion::publication_problems(&facts)
        .into_iter()
        .map(|p| Problem { field: p.field, message: p.message })
        .collect())
}

/// One action of a review's plan.
pub struct Action {
    pub row: action::Model,
    pub access: Arc<ReviewAccess>,
}

/// A file attached to an action as evidence; download it from
/// `GET /api/evidence/{id}` with the same token.
#[derive(SimpleObject)]
pub struct Evidence {
    pub id: i32,
    pub file_name: String,
    /// "PDF document", "Plain text"...
    pub kind: String,
    pub size: i32,
    pub uploaded_at: DateTime<Utc>,
}

#[derive(SimpleObject)]
pub struct ActionUpdate {
    pub note: String,
    pub recorded_at: DateTime<Utc>,
}

#[Object]
impl Action {
    async fn id(&self) -> i32 {
        self.row.id
    }
    async fn review(&self) -> Review {
        Review::new(self.access.clone())
    }
    async fn recommendation(&self, ctx: &Context<'_>) -> GqlResult<String> {
        Ok(text(ctx, &self.access, Field::ActionPlan, &self.row.recommendation).await?)
    }
    async fn agency(&self, ctx: &Context<'_>) -> GqlResult<Option<Agency>> {
        Ok(by_id::<agency::Entity>(ctx, self.row.agency_id).await?.map(Agency))
    }
    /// The owner, by name (staff, not family).
    async fn owner_name(&self, ctx: &Context<'_>) -> GqlResult<Option<String>> {
        Ok(by_id::<user::Entity>(ctx, self.row.owner_id).await?.map(|u| u.name))
    }
    async fn is_mine(&self, ctx: &Context<'_>) -> GqlResult<bool> {
        Ok(self.row.owner_id == crate::graphql::caller(ctx)?.user.id)
    }
    async fn due_on(&self) -> NaiveDate {
        self.row.due_on
    }
    /// Past its due date and not implemented.
    async fn overdue(&self) -> bool {
        self.row.due_on < Utc::now().date_naive() && self.row.status != ActionStatus::Implemented.as_str()
    }
    async fn intended_outcome(&self, ctx: &Context<'_>) -> GqlResult<String> {
        Ok(text(ctx, &self.access, Field::ActionPlan, &self.row.intended_outcome).await?)
    }
    async fn success_measure(&self, ctx: &Context<'_>) -> GqlResult<String> {
        Ok(text(ctx, &self.access, Field::ActionPlan, &self.row.success_measure).await?)
    }
    async fn status(&self) -> GqlResult<ActionStatusGql> {
        Ok(crate::stored::value("action status", &self.row.status, ActionStatus::parse)?.into())
    }
    async fn signed_up_at(&self) -> Option<DateTime<Utc>> {
        self.row.signed_up_at
    }
    async fn closure_comment(&self, ctx: &Context<'_>) -> GqlResult<Option<String>> {
        Ok(match &self.row.closure_comment {
            Some(c) => Some(text(ctx, &self.access, Field::ActionPlan, c).await?),
            None => None,
        })
    }
    async fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.row.closed_at
    }
    async fn reaudit_on(&self) -> Option<NaiveDate> {
        self.row.reaudit_on
    }
    async fn reaudit_result(&self, ctx: &Context<'_>) -> GqlResult<Option<String>> {
        Ok(match &self.row.reaudit_result {
            Some(c) => Some(text(ctx, &self.access, Field::ActionPlan, c).await?),
            None => None,
        })
    }
    /// The version a progress update must name.
    async fn version(&self) -> i32 {
        self.row.version
    }
    /// Files attached as evidence, oldest first.
    async fn evidence(&self, ctx: &Context<'_>) -> GqlResult<Vec<Evidence>> {
        let found = loaders(ctx)?.load_one(EvidenceOf(self.row.id)).await?.unwrap_or_default();
        let mut out = Vec::new();
        for e in found.iter() {
            out.push(Evidence {
                id: e.id,
                file_name: text(ctx, &self.access, Field::ActionPlan, &e.file_name).await?,
                kind: e.evidence_kind()?.title().to_owned(),
                size: e.size,
                uploaded_at: e.uploaded_at,
            });
        }
        Ok(out)
    }
    /// Progress recorded, oldest first.
    async fn updates(&self, ctx: &Context<'_>) -> GqlResult<Vec<ActionUpdate>> {
        let list = loaders(ctx)?.load_one(UpdatesOf(self.row.id)).await?.unwrap_or_default();
        let mut out = Vec::new();
        for u in list.iter() {
            out.push(ActionUpdate {
                note: text(ctx, &self.access, Field::ActionPlan, &u.note).await?,
                recorded_at: u.recorded_at,
            });
        }
        Ok(out)
    }
}

pub async fn actions(ctx: &Context<'_>, a: &Arc<ReviewAccess>) -> GqlResult<Vec<Action>> {
    a.read(Field::ActionPlan)?;
    let me = crate::graphql::caller(ctx)?.id();
    let list: Vec<Action> = rows::<action::Entity>(ctx, a.review.id)
        .await?
        .iter()
        .filter(|x| action_visible(&a.capacities, me, shared::UserId(x.owner_id)))
        .map(|x| Action { row: x.clone(), access: a.clone() })
        .collect();
    prefetch(ctx, ctx.look_ahead(), &list).await?;
    Ok(list)
}

/// Loads what `look` (the selection on each action) asks of `list` in one statement per
/// table, so that a list of actions costs the same number of statements however long it is.
async fn prefetch(ctx: &Context<'_>, look: async_graphql::Lookahead<'_>, list: &[Action]) -> ApiResult<()> {
    let wanted = crate::graphql::loaders::ActionsWanted {
        updates: look.field("updates").exists(),
        evidence: look.field("evidence").exists(),
        agency: look.field("agency").exists(),
        owner: look.field("ownerName").exists(),
    };
    let rows: Vec<&action::Model> = list.iter().map(|a| &a.row).collect();
    let pseudonymised: Vec<i32> =
        list.iter().filter(|a| !a.access.full(Field::PersonName)).map(|a| a.access.review.id).collect();
    crate::graphql::loaders::prefetch_actions(loaders(ctx)?, &rows, &pseudonymised, wanted).await?;
    Ok(())
}

/// Filters of the list of actions across reviews.
#[derive(InputObject, Default)]
pub struct ActionFilterInput {
    pub status: Option<ActionStatusGql>,
    pub agency_id: Option<i32>,
    #[graphql(default)]
    pub overdue_only: bool,
    /// Only the caller's own actions.
    #[graphql(default)]
    pub mine: bool,
}

/// Actions across every review the caller may read the plan of, overdue first, then by
/// due date: how many match (when `counted`), and a page of them (or all).
pub async fn actions_across(
    ctx: &Context<'_>,
    filter: ActionFilterInput,
    offset: u64,
    limit: Option<u64>,
    counted: bool,
) -> ApiResult<(u64, Vec<Action>)> {
    let filter = crate::completion::tracker::ActionFilter {
        status: filter.status.map(ActionStatus::from),
        agency_id: filter.agency_id,
        overdue_only: filter.overdue_only,
        mine: filter.mine,
    };
    let (total, rows) = crate::completion::tracker::actions_across(
        &state(ctx)?.db,
        crate::graphql::caller(ctx)?,
        &filter,
        offset,
        limit,
        counted,
    )
    .await?;
    Ok((total, rows.into_iter().map(|(row, access)| Action { row, access }).collect()))
}

/// One page of the actions across reviews, with how many match in all.
#[derive(SimpleObject)]
pub struct ActionPage {
    /// How many actions match, on every page.
    pub total: i32,
    pub offset: i32,
    /// The page size asked for.
    pub first: i32,
    pub actions: Vec<Action>,
}

/// An action of the plan: a SMART recommendation with its owner.
#[derive(InputObject)]
pub struct ActionInput {
    pub recommendation: String,
    pub agency_id: i32,
    pub owner_id: i32,
    pub due_on: Option<NaiveDate>,
    pub intended_outcome: String,
    pub success_measure: String,
}

impl From<ActionInput> for crate::completion::NewAction {
    fn from(a: ActionInput) -> Self {
        crate::completion::NewAction {
            recommendation: a.recommendation,
            agency_id: a.agency_id,
            owner_id: a.owner_id,
            due_on: a.due_on,
            intended_outcome: a.intended_outcome,
            success_measure: a.success_measure,
        }
    }
}

// The review's fields of the completion phase.
#[derive(Clone)]
pub struct CompletionOfReview(pub Arc<ReviewAccess>);

#[Object]
impl CompletionOfReview {
    /// The completion phase's dated facts: assurance, approval, submission, letters,
    /// evaluation, meetings, the publication plan, notices, publication, conclusion.
    async fn milestones(&self, ctx: &Context<'_>) -> GqlResult<Vec<MilestoneView>> {
        milestones(ctx, &self.0).await
    }

    /// The amendments Ofsted's evaluation asked for.
    async fn amendments(&self, ctx: &Context<'_>) -> GqlResult<Vec<Amendment>> {
        amendments(ctx, &self.0).await
    }

    /// The action plan (an action owner sees their own actions only).
    async fn actions(&self, ctx: &Context<'_>) -> GqlResult<Vec<Action>> {
        actions(ctx, &self.0).await
    }

    /// Who may be given an action: active staff of the involved agencies. Empty unless
    /// the caller may manage the action plan now.
    async fn action_owner_candidates(&self, ctx: &Context<'_>) -> GqlResult<Vec<AppointableUser>> {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        if !self.0.may(shared::policy::Operation::ManageActions)? {
            return Ok(Vec::new());
        }
        let involved: Vec<i32> =
            rows::<review_agency::Entity>(ctx, self.0.review.id).await?.iter().map(|a| a.agency_id).collect();
        let db = &loaders(ctx)?.loader().db;
        let users = user::Entity::find()
            .filter(user::Column::AgencyId.is_in(involved))
            .filter(user::Column::Active.eq(true))
            .order_by_asc(user::Column::Name)
            .all(db)
            .await?;
        let mut out = Vec::new();
        for u in users {
            let agency = match u.agency_id {
                Some(id) => by_id::<agency::Entity>(ctx, id).await?.map(|a| a.name),
                None => None,
            };
            out.push(AppointableUser { id: u.id, name: u.name, job_title: u.job_title, agency });
        }
        Ok(out)
    }

    /// What still stops publication; empty when it may go ahead.
    async fn publication_problems(&self, ctx: &Context<'_>) -> GqlResult<Vec<Problem>> {
        publication_problems(ctx, &self.0).await
    }
}

#[derive(Default)]
pub struct ActionsQuery;

#[Object]
impl ActionsQuery {
    /// Actions across every review whose plan the caller may read: an action owner their
    /// own, the performance sub-group and the board every one. Overdue first.
    async fn actions(&self, ctx: &Context<'_>, filter: Option<ActionFilterInput>) -> GqlResult<Vec<Action>> {
        let (_, list) = actions_across(ctx, filter.unwrap_or_default(), 0, None, false).await?;
        prefetch(ctx, ctx.look_ahead(), &list).await?;
        Ok(list)
    }

    /// A page of those actions, overdue first, with how many match in all.
    async fn action_page(
        &self,
        ctx: &Context<'_>,
        filter: Option<ActionFilterInput>,
        #[graphql(default = 25, validator(minimum = 1, maximum = 200))] first: i32,
        #[graphql(default = 0, validator(minimum = 0))] offset: i32,
    ) -> GqlResult<ActionPage> {
        let (total, page) =
            actions_across(ctx, filter.unwrap_or_default(), offset as u64, Some(first as u64), true).await?;
        let total = i32::try_from(total).unwrap_or(i32::MAX);
        // What the page's `actions` select, not the page itself.
        prefetch(ctx, ctx.look_ahead().field("actions"), &page).await?;
        Ok(ActionPage { total, offset, first, actions: page })
    }
}

#[derive(Default)]
pub struct CompletionMutation;

#[Object]
impl CompletionMutation {
    /// Stage 13: the Initial Panel assures the report and summary.
    async fn record_quality_assurance(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        notes: Option<String>,
        #[graphql(desc = "When the report was assured; today when not given")] assured_on: Option<NaiveDate>,
    ) -> GqlResult<Review> {
        crate::completion::record_quality_assurance(
            &state(ctx)?.db,
            caller(ctx)?,
            review_id,
            notes.as_deref(),
            assured_on,
        )
        .await?;
        reload(ctx, review_id).await
    }

    /// Stage 13: the Board Chair approves the report.
    async fn approve_report(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        #[graphql(desc = "When the Chair approved it; today when not given")] approved_on: Option<NaiveDate>,
    ) -> GqlResult<Review> {
        crate::completion::approve_report(&state(ctx)?.db, caller(ctx)?, review_id, approved_on).await?;
        reload(ctx, review_id).await
    }

    /// Stage 14: submit to Ofsted and the DfE.
    async fn submit_review(&self, ctx: &Context<'_>, review_id: i32, sent_on: NaiveDate) -> GqlResult<Review> {
        crate::completion::submit_review(&state(ctx)?.db, caller(ctx)?, review_id, sent_on).await?;
        reload(ctx, review_id).await
    }

    /// An extension letter or interim report sent to Ofsted.
    async fn record_ofsted_letter(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        kind: MilestoneGql,
        sent_on: NaiveDate,
        reasons: String,
        progress: String,
    ) -> GqlResult<Review> {
        let db = &state(ctx)?.db;
        crate::completion::record_ofsted_letter(db, caller(ctx)?, review_id, kind.into(), sent_on, &reasons, &progress)
            .await?;
        reload(ctx, review_id).await
    }

    /// Stage 15: Ofsted's evaluation letter, each amendment it asks for a task.
    async fn record_evaluation(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        received_on: NaiveDate,
        judgement: String,
        #[graphql(default)] amendments: Vec<String>,
    ) -> GqlResult<Review> {
        let db = &state(ctx)?.db;
        crate::completion::record_evaluation(db, caller(ctx)?, review_id, received_on, &judgement, &amendments).await?;
        reload(ctx, review_id).await
    }

    /// An amendment Ofsted asked for is done.
    async fn complete_amendment(&self, ctx: &Context<'_>, amendment_id: i32) -> GqlResult<Review> {
        let review_id = crate::completion::complete_amendment(&state(ctx)?.db, caller(ctx)?, amendment_id).await?;
        reload(ctx, review_id).await
    }

    /// Add an action to the plan; its owner is given the review to see.
    async fn add_action(&self, ctx: &Context<'_>, review_id: i32, input: ActionInput) -> GqlResult<Review> {
        crate::completion::add_action(&state(ctx)?.db, caller(ctx)?, review_id, input.into()).await?;
        reload(ctx, review_id).await
    }

    /// The initial action-plan planning meeting.
    async fn record_planning_meeting(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        held_on: NaiveDate,
        participants: String,
        updates_due: NaiveDate,
    ) -> GqlResult<Review> {
        let db = &state(ctx)?.db;
        crate::completion::record_planning_meeting(db, caller(ctx)?, review_id, held_on, &participants, updates_due)
            .await?;
        reload(ctx, review_id).await
    }

    /// The agency's senior manager signs up to its actions.
    async fn sign_up_actions(&self, ctx: &Context<'_>, review_id: i32, agency_id: i32) -> GqlResult<Review> {
        crate::completion::sign_up_actions(&state(ctx)?.db, caller(ctx)?, review_id, agency_id).await?;
        reload(ctx, review_id).await
    }

    /// The owner records progress on an action, and may ask for it to be closed.
    async fn record_progress(
        &self,
        ctx: &Context<'_>,
        action_id: i32,
        expected_version: i32,
        note: String,
        #[graphql(desc = "Ask for the action to be closed with this update (default no)")] request_closure: Option<
            bool,
        >,
    ) -> GqlResult<Review> {
        let db = &state(ctx)?.db;
        let closure = request_closure.unwrap_or(false);
        let review_id =
            crate::completion::record_progress(db, caller(ctx)?, action_id, expected_version, &note, closure).await?;
        reload(ctx, review_id).await
    }

    /// Someone other than the owner approves an action's closure or refuses it.
    async fn decide_closure(
        &self,
        ctx: &Context<'_>,
        action_id: i32,
        approve: bool,
        comment: Option<String>,
        reaudit_on: Option<NaiveDate>,
    ) -> GqlResult<Review> {
        let db = &state(ctx)?.db;
        let review_id =
            crate::completion::decide_closure(db, caller(ctx)?, action_id, approve, comment.as_deref(), reaudit_on)
                .await?;
        reload(ctx, review_id).await
    }

    /// The result of an implemented action's re-audit.
    async fn record_reaudit(&self, ctx: &Context<'_>, action_id: i32, result: String) -> GqlResult<Review> {
        let review_id = crate::completion::record_reaudit(&state(ctx)?.db, caller(ctx)?, action_id, &result).await?;
        reload(ctx, review_id).await
    }

    /// The publication plan.
    async fn plan_publication(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        planned_on: NaiveDate,
        #[graphql(default = true)] together: bool,
        apart_reasons: Option<String>,
    ) -> GqlResult<Review> {
        let db = &state(ctx)?.db;
        crate::completion::plan_publication(
            db,
            caller(ctx)?,
            review_id,
            planned_on,
            together,
            apart_reasons.as_deref(),
        )
        .await?;
        reload(ctx, review_id).await
    }

    /// An advance notice of publication sent.
    async fn record_notice(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        body: NoticeBodyGql,
        sent_on: NaiveDate,
    ) -> GqlResult<Review> {
        crate::completion::record_notice(&state(ctx)?.db, caller(ctx)?, review_id, body.into(), sent_on).await?;
        reload(ctx, review_id).await
    }

    /// Stage 17: publish; refused with every reason until it may go ahead.
    async fn publish(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        override_reason: Option<String>,
        #[graphql(desc = "When it was published; today when not given")] published_on: Option<NaiveDate>,
    ) -> GqlResult<Review> {
        crate::completion::publish(&state(ctx)?.db, caller(ctx)?, review_id, override_reason.as_deref(), published_on)
            .await?;
        reload(ctx, review_id).await
    }

    /// Stage 18: conclude once every action is implemented.
    async fn conclude(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        government_office_told_on: NaiveDate,
    ) -> GqlResult<Review> {
        crate::completion::conclude(&state(ctx)?.db, caller(ctx)?, review_id, government_office_told_on).await?;
        reload(ctx, review_id).await
    }
}
