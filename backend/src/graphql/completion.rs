//! GraphQL objects of the completion phase: milestones, Ofsted's amendments and the
//! action plan, with the action owner's and the sub-group's lists across reviews.

use std::sync::Arc;

use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use shared::completion::{ActionStatus, Milestone};
use shared::policy::{Field, action_visible};

use super::enums::*;
use super::errors::GqlResult;
use super::review_docs::Problem;
use super::types::{Agency, Review, by_id, loaders, rows, text};
use crate::access::ReviewAccess;
use crate::entities::*;
use crate::errors::ApiResult;
use crate::graphql::loaders::{EvidenceOf, UpdatesOf};

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
        Review(self.access.clone())
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
        Ok(self.row.owner_id == super::caller(ctx)?.user.id)
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
    let me = super::caller(ctx)?.id();
    let list: Vec<Action> = rows::<action::Entity>(ctx, a.review.id)
        .await?
        .iter()
        .filter(|x| action_visible(&a.capacities, me, shared::UserId(x.owner_id)))
        .map(|x| Action { row: x.clone(), access: a.clone() })
        .collect();
    prefetch(ctx, &list).await?;
    Ok(list)
}

/// Loads what the selection asks of `list` in one statement per table, so that a list
/// of actions costs the same number of statements however long it is.
async fn prefetch(ctx: &Context<'_>, list: &[Action]) -> ApiResult<()> {
    let look = ctx.look_ahead();
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
/// due date.
pub async fn actions_across(ctx: &Context<'_>, filter: ActionFilterInput) -> ApiResult<Vec<Action>> {
    let db = &loaders(ctx)?.loader().db;
    let caller = super::caller(ctx)?;
    let accesses: Vec<Arc<ReviewAccess>> =
        super::visible_reviews(ctx).await?.iter().filter(|a| a.read(Field::ActionPlan).is_ok()).cloned().collect();
    let ids: Vec<i32> = accesses.iter().map(|a| a.review.id).collect();
    let by_review: std::collections::HashMap<i32, &Arc<ReviewAccess>> =
        accesses.iter().map(|a| (a.review.id, a)).collect();
    let mut q = action::Entity::find().filter(action::Column::ReviewId.is_in(ids));
    if filter.mine {
        q = q.filter(action::Column::OwnerId.eq(caller.user.id));
    }
    if let Some(s) = filter.status {
        q = q.filter(action::Column::Status.eq(ActionStatus::from(s).as_str()));
    }
    if let Some(ag) = filter.agency_id {
        q = q.filter(action::Column::AgencyId.eq(ag));
    }
    let today = Utc::now().date_naive();
    let mut list: Vec<Action> = q
        .all(db)
        .await?
        .into_iter()
        .filter_map(|row| {
            let a = by_review.get(&row.review_id)?;
            action_visible(&a.capacities, caller.id(), shared::UserId(row.owner_id))
                .then(|| Action { row, access: Arc::clone(a) })
        })
        .filter(|x| {
            !filter.overdue_only || (x.row.due_on < today && x.row.status != ActionStatus::Implemented.as_str())
        })
        .collect();
    let open = |x: &Action| x.row.status != ActionStatus::Implemented.as_str();
    list.sort_by_key(|x| (!(open(x) && x.row.due_on < today), !open(x), x.row.due_on, x.row.id));
    prefetch(ctx, &list).await?;
    Ok(list)
}
