//! What the features' GraphQL objects share: the request's loaders and the helpers
//! over them (`rows`, `by_id`), free text as the caller may read it (`text`: names
//! replaced and identifiers masked unless the caller reads both the field and names in
//! full), and the objects more than one feature returns (boards, agencies, people,
//! deadlines, the audit trail, users who may be appointed, problems).

use std::sync::Arc;

use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use shared::deadline::{self as dl, DeadlineKind};
use shared::policy::{Access, Field};
use shared::stage::Relationship;

use crate::access::ReviewAccess;
use crate::entities::*;
use crate::errors::ApiResult;
use crate::graphql::enums::*;
use crate::graphql::errors::GqlResult;
use crate::graphql::loaders::{ById, ByReview, ExtensionsOf};
use crate::graphql::request::loaders;

pub(crate) async fn rows<E>(ctx: &Context<'_>, review_id: i32) -> ApiResult<Arc<Vec<E::Model>>>
where
    E: crate::graphql::loaders::ReviewChild + Send + Sync + 'static,
    E::Model: Send + Sync + Clone + 'static,
{
    Ok(loaders(ctx)?.load_one(ByReview::<E>::of(review_id)).await?.unwrap_or_default())
}

pub(crate) async fn by_id<E>(ctx: &Context<'_>, id: i32) -> ApiResult<Option<E::Model>>
where
    E: crate::graphql::loaders::ById32 + Send + Sync + 'static,
    E::Model: Send + Sync + Clone + 'static,
{
    Ok(loaders(ctx)?.load_one(ById::<E>::of(id)).await?)
}

/// The masking gate of a review (its people with every identifier, and its schools),
/// worked out once a request.
pub(crate) async fn masking(ctx: &Context<'_>, review_id: i32) -> ApiResult<Arc<shared::gate::Gate>> {
    let masks = ctx.data_opt::<crate::anonymise::Masks>();
    if let Some(gate) = masks.and_then(|m| m.get(review_id)) {
        return Ok(gate);
    }
    let people = rows::<person::Entity>(ctx, review_id).await?;
    let involved = rows::<review_agency::Entity>(ctx, review_id).await?;
    let agencies = loaders(ctx)?.load_many(involved.iter().map(|i| ById::<agency::Entity>::of(i.agency_id))).await?;
    let schools = agencies.into_values().filter(|a| a.kind == "education").map(|a| a.name).collect();
    let gate = Arc::new(crate::anonymise::masking_register(&people, schools)?.gate());
    if let Some(m) = masks {
        m.put(review_id, gate.clone());
    }
    Ok(gate)
}

/// Free text of `field` as the caller may read it. Text is shown as written only to
/// a caller who may read both the field and people's names in full: anyone else gets
/// the registered names replaced by labels and every quasi-identifier (address,
/// postcode, date of birth, e-mail, phone, NHS and National Insurance number, school)
/// masked by its kind, whatever the field's own cell says.
pub(crate) async fn text(ctx: &Context<'_>, access: &ReviewAccess, field: Field, raw: &str) -> ApiResult<String> {
    match access.read(field)? {
        Access::Full if access.full(Field::PersonName) => Ok(raw.to_owned()),
        _ => Ok(masking(ctx, access.review.id).await?.mask(raw)),
    }
}

pub(crate) async fn opt_text(
    ctx: &Context<'_>,
    access: &ReviewAccess,
    field: Field,
    raw: Option<&str>,
) -> ApiResult<Option<String>> {
    match raw {
        Some(t) => text(ctx, access, field, t).await.map(Some),
        None => access.read(field).map(|_| None),
    }
}

pub struct Board(pub board::Model);

#[Object]
impl Board {
    async fn id(&self) -> i32 {
        self.0.id
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The name of the timetable this board runs reviews by.
    async fn procedure_profile(&self) -> GqlResult<String> {
        Ok(crate::stored::profile(&self.0)?.name)
    }
    /// The procedure this board runs new reviews by.
    async fn procedure(&self) -> GqlResult<crate::graphql::enums::ProfileKindGql> {
        Ok(crate::stored::profile(&self.0)?.kind.into())
    }
    /// The board's own closure days, skipped with weekends and bank holidays when
    /// working days are counted.
    async fn closure_days(&self) -> GqlResult<Vec<chrono::NaiveDate>> {
        Ok(crate::stored::json("board closure days", &self.0.closure_days)?)
    }
}

pub struct Agency(pub agency::Model);

#[Object]
impl Agency {
    async fn id(&self) -> i32 {
        self.0.id
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Police, health, social care, education, probation...
    async fn kind(&self) -> &str {
        &self.0.kind
    }
    async fn board(&self, ctx: &Context<'_>) -> GqlResult<Option<Board>> {
        Ok(by_id::<board::Entity>(ctx, self.0.board_id).await?.map(Board))
    }
    /// A closed agency stays on the reviews that name it and is offered nowhere.
    async fn active(&self) -> bool {
        self.0.active
    }
}

/// A person of the review.
pub struct Person {
    pub row: person::Model,
    pub access: Arc<ReviewAccess>,
}

impl Person {
    /// Notes, for the request's identity-read log, that this person's `field` is answered.
    fn identity_read(&self, ctx: &Context<'_>, field: &'static str) {
        if let Some(reads) = ctx.data_opt::<Arc<crate::audit::IdentityReads>>() {
            reads.note(self.row.review_id, self.row.id, field);
        }
    }
}

#[Object]
impl Person {
    async fn id(&self) -> i32 {
        self.row.id
    }
    /// "Child A", "Mother": how the person appears to anyone outside the review. A
    /// label-only reader never receives a label that holds a registered name, alias or
    /// address (one recorded before labels were checked): they get the relationship and
    /// the person's number instead.
    async fn label(&self, ctx: &Context<'_>) -> GqlResult<String> {
        if self.access.full(Field::PersonName) {
            return Ok(self.row.label.clone());
        }
        Ok(crate::anonymise::safe_label(&self.row, &*masking(ctx, self.row.review_id).await?)?)
    }
    async fn relationship(&self) -> GqlResult<RelationshipGql> {
        Ok(crate::stored::value("person relationship", &self.row.relationship, Relationship::parse)?.into())
    }
    /// The real name; the label when you may see only pseudonymised identities.
    async fn name(&self, ctx: &Context<'_>) -> GqlResult<String> {
        Ok(match self.access.read(Field::PersonName)? {
            Access::Full => {
                self.identity_read(ctx, "name");
                self.row.name.clone()
            }
            _ => crate::anonymise::safe_label(&self.row, &*masking(ctx, self.row.review_id).await?)?,
        })
    }
    /// Other names and spellings; empty when you may see only pseudonymised identities.
    async fn aliases(&self, ctx: &Context<'_>) -> GqlResult<Vec<String>> {
        Ok(match self.access.read(Field::PersonName)? {
            Access::Full => {
                self.identity_read(ctx, "aliases");
                crate::stored::aliases(&self.row)?
            }
            _ => Vec::new(),
        })
    }
    async fn date_of_birth(&self, ctx: &Context<'_>) -> GqlResult<Option<NaiveDate>> {
        Ok(match self.access.read(Field::PersonDateOfBirth)? {
            Access::Full => {
                self.identity_read(ctx, "date_of_birth");
                self.row.date_of_birth
            }
            _ => None,
        })
    }
    async fn address(&self, ctx: &Context<'_>) -> GqlResult<Option<String>> {
        Ok(match self.access.read(Field::PersonAddress)? {
            Access::Full => {
                self.identity_read(ctx, "address");
                self.row.address.clone()
            }
            _ => None,
        })
    }
    /// For a professional, the agency they work for (read with the label).
    async fn agency(&self, ctx: &Context<'_>) -> GqlResult<Option<Agency>> {
        self.access.read(Field::PersonLabel)?;
        Ok(match self.row.agency_id {
            Some(id) => by_id::<agency::Entity>(ctx, id).await?.map(Agency),
            None => None,
        })
    }
}

/// A deadline of a review, with its status today.
pub struct Deadline {
    pub row: deadline::Model,
    pub today: NaiveDate,
    pub at_risk_days: u32,
    /// For the extension reasons, which are free text.
    pub access: Arc<ReviewAccess>,
}

#[Object]
impl Deadline {
    async fn kind(&self) -> GqlResult<DeadlineKindGql> {
        Ok(crate::stored::value("deadline kind", &self.row.kind, DeadlineKind::parse)?.into())
    }
    async fn review_id(&self) -> i32 {
        self.row.review_id
    }
    async fn starts_on(&self) -> NaiveDate {
        self.row.starts_on
    }
    async fn due_on(&self) -> NaiveDate {
        self.row.due_on
    }
    async fn original_due_on(&self) -> NaiveDate {
        self.row.original_due_on
    }
    async fn met_on(&self) -> Option<NaiveDate> {
        self.row.met_on
    }
    async fn status(&self) -> DeadlineStatusGql {
        dl::status(self.row.due_on, self.row.met_on, self.today, self.at_risk_days).into()
    }
    /// Days until due (negative when overdue).
    async fn days_left(&self) -> i64 {
        (self.row.due_on - self.today).num_days()
    }
    async fn extensions(&self, ctx: &Context<'_>) -> GqlResult<Vec<DeadlineExtension>> {
        let list = loaders(ctx)?.load_one(ExtensionsOf(self.row.id)).await?.unwrap_or_default();
        let mut out = Vec::new();
        for e in list.iter() {
            out.push(DeadlineExtension {
                from_due: e.from_due,
                to_due: e.to_due,
                reason: text(ctx, &self.access, Field::Deadlines, &e.reason).await?,
                granted_at: e.granted_at,
            });
        }
        Ok(out)
    }
}

#[derive(SimpleObject)]
pub struct DeadlineExtension {
    pub from_due: NaiveDate,
    pub to_due: NaiveDate,
    pub reason: String,
    pub granted_at: DateTime<Utc>,
}

/// One real identity answered to one user.
#[derive(SimpleObject)]
pub struct IdentityRead {
    pub user_id: i32,
    pub person_id: i32,
    /// "name", "aliases", "date_of_birth" or "address".
    pub field: String,
    pub read_at: DateTime<Utc>,
}

#[derive(SimpleObject)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub actor_id: Option<i32>,
    pub operation: String,
    pub record_type: String,
    pub record_id: i32,
    pub version: Option<i32>,
}

impl From<audit_entry::Model> for AuditEntry {
    fn from(r: audit_entry::Model) -> Self {
        AuditEntry {
            at: r.at,
            actor_id: r.actor_id,
            operation: r.operation,
            record_type: r.record_type,
            record_id: r.record_id,
            version: r.version,
        }
    }
}

/// Someone who could be appointed to a review: enough to choose, nothing more.
#[derive(SimpleObject)]
pub struct AppointableUser {
    pub id: i32,
    pub name: String,
    pub job_title: Option<String>,
    pub agency: Option<String>,
}

/// A section of an IMR still missing, or a recommendation not yet SMART.
#[derive(SimpleObject)]
pub struct Problem {
    pub field: String,
    pub message: String,
}

/// A document the review's procedure expects.
#[derive(async_graphql::SimpleObject)]
pub struct ExpectedDocument {
    pub document: String,
    /// The stage it is expected by, as the procedure calls it.
    pub by_stage: String,
    /// Whether the review has reached that stage.
    pub reached: bool,
}

/// A task of the procedure on one review (the review's task list).
#[derive(async_graphql::SimpleObject)]
pub struct ReviewTask {
    pub task: TaskGql,
    pub title: String,
    pub phase: PhaseGql,
    pub status: TaskStatusGql,
    /// Who does it, by the names of their parts.
    pub owners: Vec<String>,
    /// Whether the caller is among those who do it.
    pub mine: bool,
    /// The steps of this task the caller may take now.
    pub steps_now: Vec<OperationGql>,
    /// When it is due, while a deadline for it runs.
    pub due_on: Option<NaiveDate>,
    /// Why it cannot start yet.
    pub waits_for: Option<String>,
}
