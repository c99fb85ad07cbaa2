//! The review in the schema, composed from the features' parts in the order the
//! schema has always listed its fields (the review's own record first, the audit
//! trail last); the lists of reviews, queues included; and reloading a review after a
//! step changed it.

use std::sync::Arc;

use async_graphql::{Context, Enum, Object};
use chrono::{NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use shared::policy::{Field, Operation};
use shared::role::Role;

use crate::access::{self, ReviewAccess};
use crate::completion::graphql::CompletionOfReview;
use crate::decision::graphql::DecisionOfReview;
use crate::entities::*;
use crate::errors::{ApiError, ApiResult};
use crate::findings::graphql::FindingsOfReview;
use crate::graphql::enums::*;
use crate::graphql::errors::GqlResult;
use crate::graphql::loaders::{ById, ByReview};
use crate::graphql::objects::*;
use crate::graphql::request::{caller, loaders, state};
use crate::people::graphql::PeopleOfReview;
use crate::review::graphql::ReviewPhaseOfReview;
use async_graphql::MergedObject;
use shared::deadline::ProcedureProfile;
use shared::profile::ProfileKind;
use shared::stage::Relationship;

// A case, from its referral onwards.
#[derive(MergedObject, Clone)]
#[graphql(name = "Review")]
pub struct Review(
    ReviewRecord,
    PeopleOfReview,
    FindingsOfReview,
    DecisionOfReview,
    ReviewPhaseOfReview,
    CompletionOfReview,
    crate::rapid_review::graphql::RapidReviewOfReview,
    ReviewTrail,
);

impl Review {
    pub fn new(a: Arc<ReviewAccess>) -> Self {
        Review(
            ReviewRecord(a.clone()),
            PeopleOfReview(a.clone()),
            FindingsOfReview(a.clone()),
            DecisionOfReview(a.clone()),
            ReviewPhaseOfReview(a.clone()),
            CompletionOfReview(a.clone()),
            crate::rapid_review::graphql::RapidReviewOfReview(a.clone()),
            ReviewTrail(a),
        )
    }
}

pub(crate) async fn reload(ctx: &Context<'_>, review_id: i32) -> GqlResult<Review> {
    // What this request read before the change is stale now.
    crate::graphql::loaders::forget(loaders(ctx)?);
    let a = access::for_review(&state(ctx)?.db, caller(ctx)?, review_id).await?;
    Ok(Review::new(Arc::new(a)))
}

/// The review of an IMR the caller just changed.
pub(crate) async fn reload_imr(ctx: &Context<'_>, imr_id: i32) -> GqlResult<Review> {
    use sea_orm::EntityTrait;
    let i = crate::entities::imr::Entity::find_by_id(imr_id).one(&state(ctx)?.db).await?.ok_or(ApiError::NotFound)?;
    reload(ctx, i.review_id).await
}

// The review's own record: reference, stage, boards, agencies, the caller's standing, deadlines.
#[derive(Clone)]
pub struct ReviewRecord(pub Arc<ReviewAccess>);

#[Object]
impl ReviewRecord {
    async fn id(&self) -> i32 {
        self.0.review.id
    }

    /// The board's reference, e.g. `SCR-2026-0007`.
    async fn reference(&self) -> GqlResult<&str> {
        self.0.read(Field::ReviewSummary)?;
        Ok(&self.0.review.reference)
    }

    async fn stage(&self) -> GqlResult<StageGql> {
        self.0.read(Field::ReviewSummary)?;
        Ok(self.0.stage()?.into())
    }

    /// The stage's number in the review's procedure (1 to 18 under the 2010 one; the
    /// closed-without-review end counts as 5 there, where Ofsted is told).
    async fn stage_number(&self) -> GqlResult<i32> {
        self.0.read(Field::ReviewSummary)?;
        let (stage, profile) = (self.0.stage()?, self.0.profile()?);
        Ok(i32::from(match profile.kind {
            ProfileKind::SeriousCaseReview2010 => stage.number(),
            _ => profile.number(stage),
        }))
    }

    /// What the stage is called in the review's procedure.
    async fn stage_title(&self) -> GqlResult<&'static str> {
        self.0.read(Field::ReviewSummary)?;
        Ok(self.0.profile()?.title(self.0.stage()?))
    }

    /// The procedure the review runs under, kept from when it started.
    async fn procedure(&self) -> GqlResult<ProfileKindGql> {
        self.0.read(Field::ReviewSummary)?;
        Ok(self.0.profile()?.kind.into())
    }

    /// The documents the procedure expects, each with the stage it is due by and
    /// whether the review has reached that stage.
    async fn documents_expected(&self) -> GqlResult<Vec<ExpectedDocument>> {
        self.0.read(Field::ReviewSummary)?;
        let (stage, profile) = (self.0.stage()?, self.0.profile()?);
        Ok(profile
            .documents
            .iter()
            .filter(|(by, _)| !profile.ends_early(stage) || profile.reached(stage, *by))
            .map(|(by, what)| ExpectedDocument {
                document: (*what).to_owned(),
                by_stage: profile.title(*by).to_owned(),
                reached: profile.reached(stage, *by),
            })
            .collect())
    }

    /// Optimistic-concurrency version of the review's own record.
    async fn version(&self) -> i32 {
        self.0.review.version
    }

    async fn referred_on(&self) -> GqlResult<NaiveDate> {
        self.0.read(Field::ReviewSummary)?;
        Ok(self.0.review.referred_on)
    }

    async fn decided_on(&self) -> GqlResult<Option<NaiveDate>> {
        self.0.read(Field::ReviewSummary)?;
        Ok(self.0.review.decided_on)
    }

    async fn notified_to_ofsted(&self) -> GqlResult<bool> {
        self.0.read(Field::ReviewSummary)?;
        Ok(self.0.review.notified_to_ofsted)
    }

    async fn lead_board(&self, ctx: &Context<'_>) -> GqlResult<Option<Board>> {
        self.0.read(Field::ReviewSummary)?;
        Ok(by_id::<board::Entity>(ctx, self.0.review.lead_board_id).await?.map(Board))
    }

    async fn partner_boards(&self, ctx: &Context<'_>) -> GqlResult<Vec<Board>> {
        self.0.read(Field::ReviewSummary)?;
        let links = rows::<review_board::Entity>(ctx, self.0.review.id).await?;
        let mut out = Vec::new();
        for l in links.iter().filter(|l| !l.is_lead) {
            out.extend(by_id::<board::Entity>(ctx, l.board_id).await?.map(Board));
        }
        Ok(out)
    }

    async fn involved_agencies(&self, ctx: &Context<'_>) -> GqlResult<Vec<Agency>> {
        self.0.read(Field::ReviewSummary)?;
        let links = rows::<review_agency::Entity>(ctx, self.0.review.id).await?;
        let found = loaders(ctx)?.load_many(links.iter().map(|l| ById::<agency::Entity>::of(l.agency_id))).await?;
        let mut out: Vec<Agency> = found.into_values().map(Agency).collect();
        out.sort_by_key(|a| a.0.id);
        Ok(out)
    }

    /// The involved agencies for which you may take `operation` now (an agency manager
    /// confirms the report, signs up to actions, for their own agencies only).
    async fn agencies_for(&self, ctx: &Context<'_>, operation: OperationGql) -> GqlResult<Vec<Agency>> {
        self.0.read(Field::ReviewSummary)?;
        let op: Operation = operation.into();
        let links = rows::<review_agency::Entity>(ctx, self.0.review.id).await?;
        let mut ids = Vec::new();
        for l in links.iter() {
            if self.0.may_for_agency(op, l.agency_id)? {
                ids.push(l.agency_id);
            }
        }
        let found = loaders(ctx)?.load_many(ids.into_iter().map(ById::<agency::Entity>::of)).await?;
        let mut out: Vec<Agency> = found.into_values().map(Agency).collect();
        out.sort_by_key(|a| a.0.id);
        Ok(out)
    }

    /// The parts you play on this review by their names, with the agency where the
    /// part is an agency's ("IMR author, Greater Manchester Police").
    async fn my_parts(&self, ctx: &Context<'_>) -> GqlResult<Vec<String>> {
        use shared::role::Capacity;
        let me = caller(ctx)?;
        let name = |id: i32| async move {
            Ok::<_, crate::errors::ApiError>(
                by_id::<agency::Entity>(ctx, id).await?.map(|a| a.name).unwrap_or_default(),
            )
        };
        let mut out = Vec::new();
        for c in &self.0.capacities {
            match c {
                Capacity::ImrAuthor => {
                    for i in rows::<imr::Entity>(ctx, self.0.review.id)
                        .await?
                        .iter()
                        .filter(|i| i.author_id == Some(me.user.id))
                    {
                        out.push(format!("IMR author, {}", name(i.agency_id).await?));
                    }
                }
                Capacity::AgencyManager => {
                    let involved = rows::<review_agency::Entity>(ctx, self.0.review.id).await?;
                    for l in involved.iter().filter(|l| {
                        me.grants
                            .iter()
                            .any(|g| g.role == Role::AgencyManager && g.agency == Some(shared::AgencyId(l.agency_id)))
                    }) {
                        out.push(format!("Agency manager, {}", name(l.agency_id).await?));
                    }
                }
                other => out.push(other.title().to_owned()),
            }
        }
        out.dedup();
        Ok(out)
    }

    /// The capacities in which you act on this review.
    async fn my_capacities(&self) -> Vec<CapacityGql> {
        self.0.capacities.iter().map(|c| (*c).into()).collect()
    }

    /// Why you can see this review.
    async fn my_scope_reasons(&self) -> Vec<ScopeReasonGql> {
        self.0.reasons.iter().map(|c| (*c).into()).collect()
    }

    /// What you may do to this review now (role and stage both allowing).
    async fn allowed_operations(&self) -> GqlResult<Vec<OperationGql>> {
        Ok(self.0.allowed_operations()?.into_iter().map(Into::into).collect())
    }

    /// The procedure's tasks on this review, in order: each with its phase, its status
    /// from the stage reached, who does it, its due date when a deadline runs and the
    /// caller may read deadlines, and the steps of it the caller may take now.
    async fn tasks(&self, ctx: &Context<'_>) -> GqlResult<Vec<ReviewTask>> {
        let (stage, profile) = (self.0.stage()?, self.0.profile()?);
        let allowed = self.0.allowed_operations()?;
        let deadlines = match self.0.read(Field::Deadlines) {
            Ok(_) => rows::<deadline::Entity>(ctx, self.0.review.id).await?,
            Err(_) => Default::default(),
        };
        let mut out = Vec::new();
        for rule in shared::tasks::tasks_of(profile.kind) {
            let due = match rule.deadline {
                Some(kind) => deadlines.iter().find(|d| d.kind == kind.as_str()).filter(|d| d.met_on.is_none()),
                None => None,
            };
            out.push(ReviewTask {
                task: rule.task.into(),
                title: rule.task.title().to_owned(),
                phase: rule.phase.into(),
                status: rule.status(profile, stage).into(),
                owners: rule.owners.iter().map(|c| c.title().to_owned()).collect(),
                mine: rule.belongs_to(&self.0.capacities),
                steps_now: rule.operations.iter().filter(|o| allowed.contains(o)).map(|o| (*o).into()).collect(),
                due_on: due.map(|d| d.due_on),
                waits_for: rule.waits_for(profile, stage),
            });
        }
        Ok(out)
    }

    async fn deadlines(&self, ctx: &Context<'_>, as_of: Option<NaiveDate>) -> GqlResult<Vec<Deadline>> {
        self.0.read(Field::Deadlines)?;
        let at_risk_days = match by_id::<board::Entity>(ctx, self.0.review.lead_board_id).await? {
            Some(b) => crate::stored::profile(&b)?.at_risk_days,
            None => ProcedureProfile::working_together_2010().at_risk_days,
        };
        let today = as_of.unwrap_or_else(|| Utc::now().date_naive());
        Ok(rows::<deadline::Entity>(ctx, self.0.review.id)
            .await?
            .iter()
            .map(|d| Deadline { row: d.clone(), today, at_risk_days, access: self.0.clone() })
            .collect())
    }
}

// Who changed the review, and who read whose identity.
#[derive(Clone)]
pub struct ReviewTrail(pub Arc<ReviewAccess>);

#[Object]
impl ReviewTrail {
    /// Every change made to the review, oldest first.
    async fn audit_trail(&self, ctx: &Context<'_>) -> GqlResult<Vec<AuditEntry>> {
        self.0.read(Field::AuditTrail)?;
        Ok(crate::audit::for_review(&loaders(ctx)?.loader().db, self.0.review.id)
            .await?
            .into_iter()
            .map(AuditEntry::from)
            .collect())
    }

    /// Who was answered whose real identity (name, aliases, date of birth, address),
    /// and when, newest first; read with the audit trail.
    async fn identity_reads(&self, ctx: &Context<'_>) -> GqlResult<Vec<IdentityRead>> {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
        self.0.read(Field::AuditTrail)?;
        let rows = identity_read::Entity::find()
            .filter(identity_read::Column::ReviewId.eq(self.0.review.id))
            .order_by_desc(identity_read::Column::Id)
            .limit(1_000)
            .all(&loaders(ctx)?.loader().db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| IdentityRead { user_id: r.user_id, person_id: r.person_id, field: r.field, read_at: r.read_at })
            .collect())
    }
}

/// How a list of reviews is sorted.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum ReviewOrder {
    #[default]
    ReferredOnDesc,
    ReferredOnAsc,
    Reference,
    /// Needs full access to names on every review you can see.
    ChildName,
}

/// Refuses a filter or sort on `field` unless the caller may read it as asked on every
/// review in scope: otherwise the order of results would leak what the field hides.
pub(crate) fn require_on_all(all: &[Arc<ReviewAccess>], field: Field, full: bool, what: &str) -> ApiResult<()> {
    let ok = all.iter().all(|a| if full { a.full(field) } else { a.read(field).is_ok() });
    if ok {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!(
            "{what}: you cannot read {} on every review you see",
            field.title().to_lowercase()
        )))
    }
}

/// The reviews on which the caller may take one of `ops` now, for a workspace that
/// only holders of `role` have (others are refused, not shown an empty queue).
pub(crate) async fn queue(ctx: &Context<'_>, role: Role, ops: &[Operation]) -> GqlResult<Vec<Review>> {
    let list = queued(ctx, role, ops).await?;
    let ids: Vec<i32> = list.iter().map(|a| a.review.id).collect();
    crate::graphql::loaders::prefetch(loaders(ctx)?, &ids, wanted(&ctx.look_ahead())).await?;
    Ok(list.into_iter().map(|a| Review::new(Arc::new(a))).collect())
}

/// A work queue: whose it is and the steps that put a review on it.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum Queue {
    /// The Initial Panel's referrals to assess and recommend on.
    Panel,
    /// The Board Chair's decisions and terms of reference to approve, and the rapid
    /// review's decision and what follows the National Panel's response.
    Chair,
    /// The Business Manager's notifications, set-up and terms to send, and the rapid
    /// review's notification, requests, meeting, sending and response.
    Manager,
}

/// The steps that put a review on the Board Chair's queue, under either procedure.
const CHAIR_STEPS: &[Operation] = &[
    Operation::DecideReview,
    Operation::ApproveTermsOfReference,
    Operation::DecideRapidReview,
    Operation::CommissionReview,
    Operation::RecordLearning,
];

/// The steps that put a review on the Business Manager's queue, under either procedure.
const MANAGER_STEPS: &[Operation] = &[
    Operation::RecordOfstedNotification,
    Operation::UpdateSetupChecklist,
    Operation::RecordTermsSent,
    Operation::NotifyNationalPanel,
    Operation::RequestRapidReviewInformation,
    Operation::RecordRapidReviewMeeting,
    Operation::SendRapidReview,
    Operation::RecordPanelResponse,
];

impl Queue {
    fn rule(self) -> (Role, &'static [Operation]) {
        match self {
            Queue::Panel => (Role::InitialPanelMember, &[Operation::RecordAssessment, Operation::RecordRecommendation]),
            Queue::Chair => (Role::BoardChair, CHAIR_STEPS),
            Queue::Manager => (Role::BusinessManager, MANAGER_STEPS),
        }
    }
}

/// The reviews on a role's queue, oldest referral first; `FORBIDDEN` without the role.
async fn queued(ctx: &Context<'_>, role: Role, ops: &[Operation]) -> GqlResult<Vec<ReviewAccess>> {
    let c = caller(ctx)?;
    if !c.has_role(role) {
        return Err(ApiError::Forbidden(format!("the {} workspace", role.title())).into());
    }
    let db = &state(ctx)?.db;
    let candidates = review::Entity::find()
        .filter(on_queue(c, ops))
        .order_by_asc(review::Column::ReferredOn)
        .order_by_asc(review::Column::Id)
        .all(db)
        .await?;
    decide_queue(db, c, ops, &candidates).await
}

/// The reviews on which the caller may take one of `ops` now, as a condition on
/// `review`: a capacity that may take the step (`access::holding`) at a stage the step
/// is taken in.
fn on_queue(c: &crate::context::Caller, ops: &[Operation]) -> sea_orm::Condition {
    let mut any = sea_orm::Condition::any();
    for op in ops {
        any = any.add(
            sea_orm::Condition::all()
                .add(access::holding(c, |cap| shared::policy::may(cap, *op)))
                .add(access::at_stage_for(*op)),
        );
    }
    any
}

/// Of `rows`, those on which the policy lets the caller take one of `ops` now: the
/// decider for every review a queue answers.
async fn decide_queue(
    db: &sea_orm::DatabaseConnection,
    c: &crate::context::Caller,
    ops: &[Operation],
    rows: &[review::Model],
) -> GqlResult<Vec<ReviewAccess>> {
    let mut list: Vec<ReviewAccess> = Vec::new();
    for a in access::for_reviews(db, c, rows).await? {
        if a.allowed_operations()?.iter().any(|op| ops.contains(op)) {
            list.push(a);
        }
    }
    Ok(list)
}

/// Which relations of the reviews a selection asks for.
pub(crate) fn wanted(sel: &async_graphql::Lookahead<'_>) -> crate::graphql::loaders::Wanted {
    let has = |f: &str| sel.field(f).exists();
    crate::graphql::loaders::Wanted {
        people: has("people") || has("child"),
        deadlines: has("deadlines"),
        extensions: sel.field("deadlines").field("extensions").exists(),
        referral: has("referral"),
        assessments: has("criteriaAssessments"),
        recommendation: has("recommendation"),
        decision: has("decision"),
        notification: has("ofstedNotification"),
        checklist: has("setupChecklist"),
        appointments: has("appointments"),
        terms: has("termsOfReference") || has("termsOfReferenceVersions"),
        boards: has("leadBoard") || has("partnerBoards"),
        agencies: has("involvedAgencies"),
        findings: has("findings"),
    }
}

/// Refuses, as `require_on_all`, in one statement: whether a review in scope lacks
/// the capacity to read `field` (in full, with `full`) is asked of the database.
async fn require_everywhere(ctx: &Context<'_>, field: Field, full: bool, what: &str) -> ApiResult<()> {
    let c = caller(ctx)?;
    let reads = |cap: shared::role::Capacity| {
        let a = shared::policy::field_access(cap, field);
        if full { a == shared::policy::Access::Full } else { a > shared::policy::Access::Hidden }
    };
    let lacking = review::Entity::find()
        .filter(access::in_scope(c))
        .filter(access::holding(c, reads).not())
        .count(&state(ctx)?.db)
        .await?;
    if lacking == 0 {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!(
            "{what}: you cannot read {} on every review you see",
            field.title().to_lowercase()
        )))
    }
}

/// A page of the reviews the caller may see, filtered, sorted and paged in the
/// database (`access::in_scope`), with how many match in all; access is then worked
/// out for the page's reviews only; the total is counted only when `counted`. Not for
/// a search or sort by the child's name, which `filtered` answers.
async fn page_in_database(
    ctx: &Context<'_>,
    stage: Option<StageGql>,
    reference: Option<String>,
    order_by: ReviewOrder,
    first: i32,
    offset: i32,
    counted: bool,
) -> GqlResult<(i32, Vec<Arc<ReviewAccess>>)> {
    let c = caller(ctx)?;
    let db = &state(ctx)?.db;
    let mut q = review::Entity::find().filter(access::in_scope(c));
    if let Some(s) = stage {
        require_everywhere(ctx, Field::ReviewSummary, false, "filtering by stage").await?;
        q = q.filter(review::Column::Stage.eq(shared::stage::Stage::from(s).as_str()));
    }
    if let Some(r) = reference.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        q = q
            .filter(crate::db::contains(sea_orm::sea_query::Expr::col((review::Entity, review::Column::Reference)), r));
    }
    q = match order_by {
        ReviewOrder::ReferredOnDesc => q.order_by_desc(review::Column::ReferredOn).order_by_desc(review::Column::Id),
        ReviewOrder::ReferredOnAsc => q.order_by_asc(review::Column::ReferredOn).order_by_asc(review::Column::Id),
        ReviewOrder::Reference | ReviewOrder::ChildName => {
            q.order_by_asc(review::Column::Reference).order_by_asc(review::Column::Id)
        }
    };
    let total = if counted { q.clone().count(db).await? } else { 0 };
    let rows = q.offset(offset as u64).limit(first as u64).all(db).await?;
    let (page, links) = access::for_reviews_with_links(db, c, &rows).await?;
    let seen: Vec<&review::Model> = page.iter().map(|a| &a.review).collect();
    crate::graphql::loaders::remember(loaders(ctx)?, &seen, links).await;
    Ok((i32::try_from(total).unwrap_or(i32::MAX), page.into_iter().map(Arc::new).collect()))
}

/// The reviews the caller may see, filtered and sorted as asked: by stage, by part of
/// the reference, by part of the child's name or an alias (only for a caller who reads
/// names in full on every review in scope, or the order would leak them).
async fn filtered(
    ctx: &Context<'_>,
    stage: Option<StageGql>,
    reference: Option<String>,
    child_name: Option<String>,
    order_by: ReviewOrder,
) -> GqlResult<Vec<Arc<ReviewAccess>>> {
    let all = super::visible_reviews(ctx).await?;
    if stage.is_some() {
        require_on_all(&all, Field::ReviewSummary, false, "filtering by stage")?;
    }
    let needs_names = child_name.is_some() || order_by == ReviewOrder::ChildName;
    if child_name.is_some() {
        require_on_all(&all, Field::PersonName, true, "filtering by name")?;
    }
    if order_by == ReviewOrder::ChildName {
        require_on_all(&all, Field::PersonName, true, "sorting by name")?;
    }
    let mut children: std::collections::HashMap<i32, person::Model> = std::collections::HashMap::new();
    if needs_names {
        let found = loaders(ctx)?.load_many(all.iter().map(|a| ByReview::<person::Entity>::of(a.review.id))).await?;
        for (k, people) in found {
            if let Some(ch) = people.iter().find(|p| p.relationship == Relationship::Child.as_str()) {
                children.insert(k.0, ch.clone());
            }
        }
    }
    let needle = child_name.map(|n| n.trim().to_lowercase());
    let aliases: std::collections::HashMap<i32, Vec<String>> =
        children.iter().map(|(id, ch)| Ok((*id, crate::stored::aliases(ch)?))).collect::<ApiResult<_>>()?;
    let mut at_stage: Vec<&Arc<ReviewAccess>> = Vec::new();
    for a in all.iter() {
        if let Some(s) = stage
            && a.stage()? != shared::stage::Stage::from(s)
        {
            continue;
        }
        at_stage.push(a);
    }
    let mut list: Vec<Arc<ReviewAccess>> = at_stage
        .into_iter()
        .filter(|a| {
            needle.as_ref().is_none_or(|n| {
                children.get(&a.review.id).is_some_and(|ch| {
                    ch.name.to_lowercase().contains(n)
                        || aliases.get(&a.review.id).is_some_and(|l| l.iter().any(|x| x.to_lowercase().contains(n)))
                })
            })
        })
        .filter(|a| {
            reference.as_ref().is_none_or(|r| a.review.reference.to_lowercase().contains(&r.trim().to_lowercase()))
        })
        .cloned()
        .collect();
    match order_by {
        ReviewOrder::ReferredOnDesc => {
            list.sort_by(|a, b| b.review.referred_on.cmp(&a.review.referred_on).then(b.review.id.cmp(&a.review.id)))
        }
        ReviewOrder::ReferredOnAsc => {
            list.sort_by(|a, b| a.review.referred_on.cmp(&b.review.referred_on).then(a.review.id.cmp(&b.review.id)))
        }
        ReviewOrder::Reference => list.sort_by(|a, b| a.review.reference.cmp(&b.review.reference)),
        ReviewOrder::ChildName => list.sort_by_key(|a| children.get(&a.review.id).map(|c| c.name.to_lowercase())),
    }
    Ok(list)
}

/// One page of a list of reviews, with the size of the whole list.
#[derive(async_graphql::SimpleObject)]
pub struct ReviewPage {
    /// How many reviews match, on every page.
    pub total: i32,
    pub offset: i32,
    /// The page size asked for.
    pub first: i32,
    pub reviews: Vec<Review>,
}

#[derive(Default)]
pub struct ReviewsQuery;

#[Object]
impl ReviewsQuery {
    /// The reviews you may see, from referral onwards.
    async fn reviews(
        &self,
        ctx: &Context<'_>,
        stage: Option<StageGql>,
        #[graphql(desc = "Part of the child's name or an alias; needs full access to names.")] child_name: Option<
            String,
        >,
        #[graphql(default)] order_by: ReviewOrder,
        #[graphql(default = 50, validator(minimum = 1, maximum = 200))] first: i32,
        #[graphql(default = 0, validator(minimum = 0))] offset: i32,
    ) -> GqlResult<Vec<Review>> {
        let page: Vec<Arc<ReviewAccess>> = if child_name.is_some() || order_by == ReviewOrder::ChildName {
            let list = filtered(ctx, stage, None, child_name, order_by).await?;
            list.into_iter().skip(offset as usize).take(first as usize).collect()
        } else {
            page_in_database(ctx, stage, None, order_by, first, offset, false).await?.1
        };
        let ids: Vec<i32> = page.iter().map(|a| a.review.id).collect();
        crate::graphql::loaders::prefetch(loaders(ctx)?, &ids, wanted(&ctx.look_ahead())).await?;
        Ok(page.into_iter().map(Review::new).collect())
    }

    /// A page of the reviews you may see, with how many there are in all: searched by
    /// part of the reference or (for those who read names in full) the child's name,
    /// filtered by stage and sorted as asked.
    #[allow(clippy::too_many_arguments)]
    async fn review_page(
        &self,
        ctx: &Context<'_>,
        stage: Option<StageGql>,
        #[graphql(desc = "Part of the review's reference.")] reference: Option<String>,
        #[graphql(desc = "Part of the child's name or an alias; needs full access to names.")] child_name: Option<
            String,
        >,
        #[graphql(default)] order_by: ReviewOrder,
        #[graphql(default = 25, validator(minimum = 1, maximum = 200))] first: i32,
        #[graphql(default = 0, validator(minimum = 0))] offset: i32,
    ) -> GqlResult<ReviewPage> {
        let (total, page) = if child_name.is_some() || order_by == ReviewOrder::ChildName {
            let list = filtered(ctx, stage, reference, child_name, order_by).await?;
            let total = i32::try_from(list.len()).unwrap_or(i32::MAX);
            (total, list.into_iter().skip(offset as usize).take(first as usize).collect())
        } else {
            page_in_database(ctx, stage, reference, order_by, first, offset, true).await?
        };
        let ids: Vec<i32> = page.iter().map(|a| a.review.id).collect();
        crate::graphql::loaders::prefetch(loaders(ctx)?, &ids, wanted(&ctx.look_ahead().field("reviews"))).await?;
        Ok(ReviewPage { total, offset, first, reviews: page.into_iter().map(Review::new).collect() })
    }

    /// The Initial Panel's queue: referrals waiting for an assessment or a
    /// recommendation. Only Initial Panel members have it.
    async fn panel_queue(&self, ctx: &Context<'_>) -> GqlResult<Vec<Review>> {
        queue(ctx, Role::InitialPanelMember, &[Operation::RecordAssessment, Operation::RecordRecommendation]).await
    }

    /// A page of a work queue, searched by part of the reference, with its total.
    async fn queue_page(
        &self,
        ctx: &Context<'_>,
        queue: Queue,
        #[graphql(desc = "Part of the review's reference.")] reference: Option<String>,
        #[graphql(default = 25, validator(minimum = 1, maximum = 200))] first: i32,
        #[graphql(default = 0, validator(minimum = 0))] offset: i32,
    ) -> GqlResult<ReviewPage> {
        let (role, ops) = queue.rule();
        let c = caller(ctx)?;
        if !c.has_role(role) {
            return Err(ApiError::Forbidden(format!("the {} workspace", role.title())).into());
        }
        let db = &state(ctx)?.db;
        let mut q = review::Entity::find().filter(on_queue(c, ops));
        if let Some(r) = reference.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
            q = q.filter(crate::db::contains(
                sea_orm::sea_query::Expr::col((review::Entity, review::Column::Reference)),
                r,
            ));
        }
        let q = q.order_by_asc(review::Column::ReferredOn).order_by_asc(review::Column::Id);
        let total = i32::try_from(q.clone().count(db).await?).unwrap_or(i32::MAX);
        let rows = q.offset(offset as u64).limit(first as u64).all(db).await?;
        let page = decide_queue(db, c, ops, &rows).await?;
        let ids: Vec<i32> = page.iter().map(|a| a.review.id).collect();
        crate::graphql::loaders::prefetch(loaders(ctx)?, &ids, wanted(&ctx.look_ahead().field("reviews"))).await?;
        Ok(ReviewPage { total, offset, first, reviews: page.into_iter().map(|a| Review::new(Arc::new(a))).collect() })
    }

    /// The Board Chair's queue: decisions and terms of reference awaiting approval.
    async fn chair_queue(&self, ctx: &Context<'_>) -> GqlResult<Vec<Review>> {
        queue(ctx, Role::BoardChair, CHAIR_STEPS).await
    }

    /// The Business Manager's queue: notifications, set-up and appointments to do.
    async fn manager_queue(&self, ctx: &Context<'_>) -> GqlResult<Vec<Review>> {
        queue(ctx, Role::BusinessManager, MANAGER_STEPS).await
    }

    /// One review; `NOT_FOUND` when it does not exist or you may not see it.
    async fn review(&self, ctx: &Context<'_>, id: i32) -> GqlResult<Review> {
        let (a, links) = access::for_review_with_links(&state(ctx)?.db, caller(ctx)?, id).await?;
        crate::graphql::loaders::remember(loaders(ctx)?, &[&a.review], links).await;
        crate::graphql::loaders::prefetch(loaders(ctx)?, &[id], wanted(&ctx.look_ahead())).await?;
        Ok(Review::new(Arc::new(a)))
    }
}
