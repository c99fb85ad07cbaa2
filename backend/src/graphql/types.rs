//! GraphQL output objects. Each field that carries case content asks the review's
//! `ReviewAccess` first: full, pseudonymised, or `FORBIDDEN`. Free text (including
//! extension reasons) goes through `text`, which replaces registered names unless
//! the caller may read both the field and people's names in full.

use std::sync::Arc;

use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use shared::criteria::{self, ReferralFacts};
use shared::deadline::{self as dl, DeadlineKind, ProcedureProfile};
use shared::policy::{Access, Field};
use shared::role::Assignment;
use shared::stage::{ChecklistItem, NoReviewOutcome, Relationship};

use super::enums::*;
use super::errors::GqlResult;
use crate::access::ReviewAccess;
use crate::entities::*;
use crate::errors::{ApiError, ApiResult};
use crate::graphql::loaders::{ById, ByReview, ExtensionsOf, RequestLoader, ThemesOf};

pub(crate) fn loaders<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a RequestLoader> {
    ctx.data::<RequestLoader>().map_err(|_| ApiError::Internal("request has no loaders".into()))
}

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

async fn opt_text(
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
}

/// A role held by a user, for a board or an agency.
#[derive(SimpleObject)]
pub struct RoleGrant {
    pub role: RoleGql,
    pub board_id: Option<i32>,
    pub agency_id: Option<i32>,
}

/// A user account: who they are and what they hold, never case content.
pub struct UserAccount {
    pub user: user::Model,
    pub grants: Vec<shared::policy::Grant>,
}

#[Object]
impl UserAccount {
    async fn id(&self) -> i32 {
        self.user.id
    }
    async fn email(&self) -> &str {
        &self.user.email
    }
    async fn name(&self) -> &str {
        &self.user.name
    }
    async fn job_title(&self) -> Option<&str> {
        self.user.job_title.as_deref()
    }
    async fn active(&self) -> bool {
        self.user.active
    }
    async fn agency(&self, ctx: &Context<'_>) -> GqlResult<Option<Agency>> {
        match self.user.agency_id {
            Some(a) => Ok(by_id::<agency::Entity>(ctx, a).await?.map(Agency)),
            None => Ok(None),
        }
    }
    async fn roles(&self) -> Vec<RoleGrant> {
        self.grants
            .iter()
            .map(|g| RoleGrant {
                role: g.role.into(),
                board_id: g.board.map(|b| b.0),
                agency_id: g.agency.map(|a| a.0),
            })
            .collect()
    }
}

/// A case, from its referral onwards.
#[derive(Clone)]
pub struct Review(pub Arc<ReviewAccess>);

impl Review {
    fn r(&self) -> &review::Model {
        &self.0.review
    }
    fn summary(&self) -> ApiResult<()> {
        self.0.read(Field::ReviewSummary).map(|_| ())
    }
}

#[Object]
impl Review {
    async fn id(&self) -> i32 {
        self.r().id
    }
    /// The board's reference, e.g. `SCR-2026-0007`.
    async fn reference(&self) -> GqlResult<&str> {
        self.summary()?;
        Ok(&self.r().reference)
    }
    async fn stage(&self) -> GqlResult<StageGql> {
        self.summary()?;
        Ok(self.0.stage()?.into())
    }
    /// The procedure's stage number, 1 to 18.
    async fn stage_number(&self) -> GqlResult<i32> {
        self.summary()?;
        Ok(i32::from(self.0.stage()?.number()))
    }
    /// Optimistic-concurrency version of the review's own record.
    async fn version(&self) -> i32 {
        self.r().version
    }
    async fn referred_on(&self) -> GqlResult<NaiveDate> {
        self.summary()?;
        Ok(self.r().referred_on)
    }
    async fn decided_on(&self) -> GqlResult<Option<NaiveDate>> {
        self.summary()?;
        Ok(self.r().decided_on)
    }
    async fn notified_to_ofsted(&self) -> GqlResult<bool> {
        self.summary()?;
        Ok(self.r().notified_to_ofsted)
    }
    async fn lead_board(&self, ctx: &Context<'_>) -> GqlResult<Option<Board>> {
        self.summary()?;
        Ok(by_id::<board::Entity>(ctx, self.r().lead_board_id).await?.map(Board))
    }
    async fn partner_boards(&self, ctx: &Context<'_>) -> GqlResult<Vec<Board>> {
        self.summary()?;
        let links = rows::<review_board::Entity>(ctx, self.r().id).await?;
        let mut out = Vec::new();
        for l in links.iter().filter(|l| !l.is_lead) {
            out.extend(by_id::<board::Entity>(ctx, l.board_id).await?.map(Board));
        }
        Ok(out)
    }
    async fn involved_agencies(&self, ctx: &Context<'_>) -> GqlResult<Vec<Agency>> {
        self.summary()?;
        let links = rows::<review_agency::Entity>(ctx, self.r().id).await?;
        let found = loaders(ctx)?.load_many(links.iter().map(|l| ById::<agency::Entity>::of(l.agency_id))).await?;
        let mut out: Vec<Agency> = found.into_values().map(Agency).collect();
        out.sort_by_key(|a| a.0.id);
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
    async fn deadlines(&self, ctx: &Context<'_>, as_of: Option<NaiveDate>) -> GqlResult<Vec<Deadline>> {
        self.0.read(Field::Deadlines)?;
        let at_risk_days = match by_id::<board::Entity>(ctx, self.r().lead_board_id).await? {
            Some(b) => crate::stored::profile(&b)?.at_risk_days,
            None => ProcedureProfile::working_together_2010().at_risk_days,
        };
        let today = as_of.unwrap_or_else(|| Utc::now().date_naive());
        Ok(rows::<deadline::Entity>(ctx, self.r().id)
            .await?
            .iter()
            .map(|d| Deadline { row: d.clone(), today, at_risk_days, access: self.0.clone() })
            .collect())
    }
    async fn people(&self, ctx: &Context<'_>) -> GqlResult<Vec<Person>> {
        self.0.read(Field::PersonLabel)?;
        Ok(rows::<person::Entity>(ctx, self.r().id)
            .await?
            .iter()
            .map(|p| Person { row: p.clone(), access: self.0.clone() })
            .collect())
    }
    /// How the people of the review are related: the genogram's lines. Person ids
    /// only, so a caller who sees labels sees the family with labels.
    async fn relationships(&self, ctx: &Context<'_>) -> GqlResult<Vec<FamilyTie>> {
        self.0.read(Field::PersonLabel)?;
        Ok(rows::<relationship::Entity>(ctx, self.r().id)
            .await?
            .iter()
            .map(|r| -> ApiResult<FamilyTie> {
                Ok(FamilyTie {
                    from_person_id: r.from_person_id,
                    to_person_id: r.to_person_id,
                    tie: crate::stored::value("relationship tie", &r.tie, shared::genogram::Tie::parse)?.into(),
                })
            })
            .collect::<ApiResult<Vec<FamilyTie>>>()?)
    }
    /// Who lives with whom: the genogram's household boundaries.
    async fn households(&self, ctx: &Context<'_>) -> GqlResult<Vec<Household>> {
        self.0.read(Field::PersonLabel)?;
        let list = rows::<household::Entity>(ctx, self.r().id).await?;
        let ids: Vec<i32> = list.iter().map(|h| h.id).collect();
        let members = loaders(ctx)?.loader().members_of(&ids).await?;
        Ok(list
            .iter()
            .map(|h| Household {
                label: h.label.clone(),
                person_ids: members.iter().filter(|m| m.household_id == h.id).map(|m| m.person_id).collect(),
            })
            .collect())
    }
    /// Processes running beside the review, which bear on its timing and publication.
    async fn parallel_processes(&self, ctx: &Context<'_>) -> GqlResult<Vec<ParallelProcess>> {
        self.0.read(Field::ParallelProcesses)?;
        let mut out = Vec::new();
        for p in rows::<parallel_process::Entity>(ctx, self.r().id).await?.iter() {
            out.push(ParallelProcess {
                id: p.id,
                kind: crate::stored::value(
                    "parallel process kind",
                    &p.kind,
                    shared::stage::ParallelProcessKind::parse,
                )?
                .into(),
                status: crate::stored::value(
                    "parallel process status",
                    &p.status,
                    shared::stage::ProcessStatus::parse,
                )?
                .into(),
                description: text(ctx, &self.0, Field::ParallelProcesses, &p.description).await?,
                expected_end: p.expected_end,
            });
        }
        Ok(out)
    }
    /// What the family contributed, and how.
    async fn family_contributions(&self, ctx: &Context<'_>) -> GqlResult<Vec<FamilyContribution>> {
        self.0.read(Field::FamilyContributions)?;
        let mut out = Vec::new();
        for c in rows::<family_contribution::Entity>(ctx, self.r().id).await?.iter() {
            out.push(FamilyContribution {
                id: c.id,
                person_id: c.person_id,
                contributed_on: c.contributed_on,
                method: crate::stored::value(
                    "family contribution method",
                    &c.method,
                    shared::stage::ContributionMethod::parse,
                )?
                .into(),
                summary: text(ctx, &self.0, Field::FamilyContributions, &c.summary).await?,
            });
        }
        Ok(out)
    }
    /// The panel's findings, each with its learning themes.
    async fn findings(&self, ctx: &Context<'_>) -> GqlResult<Vec<Finding>> {
        self.0.read(Field::Findings)?;
        let rows = rows::<finding::Entity>(ctx, self.r().id).await?;
        let themes = loaders(ctx)?.load_many(rows.iter().map(|f| ThemesOf(f.id))).await?;
        let mut out = Vec::new();
        for f in rows.iter() {
            let tags = themes.get(&ThemesOf(f.id)).map(|t| t.as_slice()).unwrap_or_default();
            out.push(Finding {
                id: f.id,
                text: text(ctx, &self.0, Field::Findings, &f.text).await?,
                themes: tags
                    .iter()
                    .map(|t| crate::stored::value("finding theme", &t.theme, shared::findings::Theme::parse))
                    .map(|t| t.map(ThemeGql::from))
                    .collect::<ApiResult<Vec<ThemeGql>>>()?,
                recorded_on: f.recorded_at.date_naive(),
            });
        }
        Ok(out)
    }
    /// The child the review is about.
    async fn child(&self, ctx: &Context<'_>) -> GqlResult<Option<Person>> {
        self.0.read(Field::PersonLabel)?;
        Ok(rows::<person::Entity>(ctx, self.r().id)
            .await?
            .iter()
            .find(|p| p.relationship == Relationship::Child.as_str())
            .map(|p| Person { row: p.clone(), access: self.0.clone() }))
    }
    async fn referral(&self, ctx: &Context<'_>) -> GqlResult<Option<Referral>> {
        self.summary()?;
        Ok(rows::<referral::Entity>(ctx, self.r().id)
            .await?
            .first()
            .map(|r| Referral { row: r.clone(), access: self.0.clone() }))
    }
    /// Every criteria assessment recorded, oldest first.
    async fn criteria_assessments(&self, ctx: &Context<'_>) -> GqlResult<Vec<CriteriaAssessment>> {
        self.0.read(Field::CriteriaAssessment)?;
        let list = rows::<criteria_assessment::Entity>(ctx, self.r().id).await?;
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
            });
        }
        Ok(out)
    }
    async fn recommendation(&self, ctx: &Context<'_>) -> GqlResult<Option<Recommendation>> {
        self.0.read(Field::Recommendation)?;
        let list = rows::<recommendation::Entity>(ctx, self.r().id).await?;
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
        }))
    }
    async fn decision(&self, ctx: &Context<'_>) -> GqlResult<Option<ChairDecision>> {
        self.0.read(Field::ChairDecision)?;
        let list = rows::<decision::Entity>(ctx, self.r().id).await?;
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
        let list = rows::<notification::Entity>(ctx, self.r().id).await?;
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
        let list = rows::<setup_checklist_item::Entity>(ctx, self.r().id).await?;
        let mut out = Vec::new();
        for i in list.iter() {
            out.push(SetupChecklistItem {
                id: i.id,
                item: crate::stored::value("checklist item", &i.item, ChecklistItem::parse)?.into(),
                agency_id: i.agency_id,
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
        let list = rows::<review_assignment::Entity>(ctx, self.r().id).await?;
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
            });
        }
        Ok(out)
    }
    /// The terms of reference: the latest version, or the one asked for.
    async fn terms_of_reference(&self, ctx: &Context<'_>, version: Option<i32>) -> GqlResult<Option<TermsOfReference>> {
        self.0.read(Field::TermsOfReference)?;
        let list = rows::<terms_of_reference::Entity>(ctx, self.r().id).await?;
        let latest = list.iter().map(|t| t.version).max().unwrap_or(0);
        let found = match version {
            Some(v) => list.iter().find(|t| t.version == v),
            None => list.iter().max_by_key(|t| t.version),
        };
        let Some(t) = found else { return Ok(None) };
        let stored: Vec<crate::decision_phase::StoredAnswer> =
            crate::stored::json("terms of reference answers", &t.answers)?;
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
        }))
    }
    /// Every saved version number, oldest first.
    async fn terms_of_reference_versions(&self, ctx: &Context<'_>) -> GqlResult<Vec<i32>> {
        self.0.read(Field::TermsOfReference)?;
        Ok(rows::<terms_of_reference::Entity>(ctx, self.r().id).await?.iter().map(|t| t.version).collect())
    }
    /// The IMRs requested: an author or agency manager sees their own agency's only;
    /// others see every agency's status and, once submitted, the content.
    async fn imrs(&self, ctx: &Context<'_>) -> GqlResult<Vec<super::review_docs::Imr>> {
        super::review_docs::imrs(ctx, &self.0).await
    }
    /// Every submitted IMR's chronology merged in time order, filtered, with gaps longer
    /// than `gapDays` and possible conflicts marked.
    async fn combined_chronology(
        &self,
        ctx: &Context<'_>,
        filter: Option<super::review_docs::ChronologyFilterInput>,
        #[graphql(desc = "Longest quiet period not marked as a gap; 28 days when left out")] gap_days: Option<i32>,
    ) -> GqlResult<super::review_docs::CombinedChronology> {
        super::review_docs::combined(ctx, &self.0, filter.unwrap_or_default(), gap_days.unwrap_or(28)).await
    }
    /// The overview report (11.14): the latest version, or the one asked for.
    async fn overview_report(
        &self,
        ctx: &Context<'_>,
        version: Option<i32>,
    ) -> GqlResult<Option<super::review_docs::ReviewDocument>> {
        super::review_docs::document(ctx, &self.0, crate::review_phase::Doc::OverviewReport, version).await
    }
    /// The agencies' confirmations that the report represents them fairly.
    async fn report_confirmations(&self, ctx: &Context<'_>) -> GqlResult<Vec<super::review_docs::ReportConfirmation>> {
        super::review_docs::confirmations(ctx, &self.0).await
    }
    /// The executive summary (11.16); until first saved, a draft pre-filled from the report.
    async fn executive_summary(
        &self,
        ctx: &Context<'_>,
        version: Option<i32>,
    ) -> GqlResult<Option<super::review_docs::ReviewDocument>> {
        super::review_docs::document(ctx, &self.0, crate::review_phase::Doc::ExecutiveSummary, version).await
    }
    /// Saved version numbers of the overview report and the executive summary.
    async fn document_versions(&self, ctx: &Context<'_>) -> GqlResult<DocumentVersions> {
        let db = &loaders(ctx)?.loader().db;
        let mut out = DocumentVersions { overview_report: Vec::new(), executive_summary: Vec::new() };
        if self.0.read(Field::OverviewReport).is_ok() {
            out.overview_report =
                crate::review_phase::versions(db, self.r().id, crate::review_phase::Doc::OverviewReport)
                    .await?
                    .iter()
                    .map(|v| v.version)
                    .collect();
        }
        if self.0.read(Field::ExecutiveSummary).is_ok() {
            out.executive_summary =
                crate::review_phase::versions(db, self.r().id, crate::review_phase::Doc::ExecutiveSummary)
                    .await?
                    .iter()
                    .map(|v| v.version)
                    .collect();
        }
        Ok(out)
    }
    /// The completion phase's dated facts: assurance, approval, submission, letters,
    /// evaluation, meetings, the publication plan, notices, publication, conclusion.
    async fn milestones(&self, ctx: &Context<'_>) -> GqlResult<Vec<super::completion::MilestoneView>> {
        super::completion::milestones(ctx, &self.0).await
    }
    /// The amendments Ofsted's evaluation asked for.
    async fn amendments(&self, ctx: &Context<'_>) -> GqlResult<Vec<super::completion::Amendment>> {
        super::completion::amendments(ctx, &self.0).await
    }
    /// The action plan (an action owner sees their own actions only).
    async fn actions(&self, ctx: &Context<'_>) -> GqlResult<Vec<super::completion::Action>> {
        super::completion::actions(ctx, &self.0).await
    }
    /// Who may be given an action: active staff of the involved agencies. Empty unless
    /// the caller may manage the action plan now.
    async fn action_owner_candidates(&self, ctx: &Context<'_>) -> GqlResult<Vec<AppointableUser>> {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        if !self.0.may(shared::policy::Operation::ManageActions)? {
            return Ok(Vec::new());
        }
        let involved: Vec<i32> =
            rows::<review_agency::Entity>(ctx, self.r().id).await?.iter().map(|a| a.agency_id).collect();
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
    async fn publication_problems(&self, ctx: &Context<'_>) -> GqlResult<Vec<super::review_docs::Problem>> {
        super::completion::publication_problems(ctx, &self.0).await
    }
    /// Every change made to the review, oldest first.
    async fn audit_trail(&self, ctx: &Context<'_>) -> GqlResult<Vec<AuditEntry>> {
        self.0.read(Field::AuditTrail)?;
        Ok(crate::audit::for_review(&loaders(ctx)?.loader().db, self.r().id)
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
            .filter(identity_read::Column::ReviewId.eq(self.r().id))
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

/// The referral that opened the case.
pub struct Referral {
    pub row: referral::Model,
    pub access: Arc<ReviewAccess>,
}

impl Referral {
    fn facts_value(&self) -> ApiResult<ReferralFacts> {
        crate::stored::json("referral facts", &self.row.facts)
    }
}

#[Object]
impl Referral {
    async fn circumstances(&self, ctx: &Context<'_>) -> GqlResult<String> {
        Ok(text(ctx, &self.access, Field::ReferralCircumstances, &self.row.circumstances).await?)
    }
    async fn facts(&self) -> GqlResult<ReferralFactsView> {
        self.access.read(Field::ReferralFacts)?;
        Ok(ReferralFactsView::from(&self.facts_value()?))
    }
    /// The criteria engine's proposal for these facts.
    async fn proposal(&self) -> GqlResult<Proposal> {
        self.access.read(Field::ReferralFacts)?;
        Ok(criteria::assess(&self.facts_value()?).into())
    }
    /// Why the lead board leads (11.3).
    async fn lead_board_reason(&self) -> GqlResult<&str> {
        self.access.read(Field::ReviewSummary)?;
        Ok(&self.row.lead_board_reason)
    }
    async fn looked_after_by_board_id(&self) -> GqlResult<Option<i32>> {
        self.access.read(Field::ReferralFacts)?;
        Ok(self.row.looked_after_by_board_id)
    }
}

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
    pub assessed_at: DateTime<Utc>,
}

#[derive(SimpleObject)]
pub struct Recommendation {
    pub conduct: bool,
    pub alternative: Option<NoReviewOutcomeGql>,
    pub scope: Option<String>,
    pub reasons: String,
    pub recommended_at: DateTime<Utc>,
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
    pub appointed_at: DateTime<Utc>,
}

#[derive(SimpleObject)]
pub struct TermsOfReference {
    pub version: i32,
    /// Whether this is the newest version; only the newest can be edited or approved.
    pub latest: bool,
    pub answers: Vec<TermsAnswer>,
    pub saved_at: DateTime<Utc>,
    pub approved: bool,
    pub approved_at: Option<DateTime<Utc>>,
}

#[derive(SimpleObject)]
pub struct TermsAnswer {
    /// 1 to 19, as in Appendix 1.
    pub number: i32,
    pub question: String,
    pub text: Option<String>,
    pub not_applicable: bool,
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

/// A deadline with the review it belongs to, for "what is at risk or overdue".
#[derive(SimpleObject)]
pub struct DeadlineAlert {
    pub review: Review,
    pub deadline: Deadline,
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

#[derive(SimpleObject)]
pub struct LoginResult {
    /// Bearer token for the `Authorization` header.
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: UserAccount,
}

/// One place in a text where the gate found something. Offsets are byte offsets
/// into the UTF-8 text.
#[derive(SimpleObject)]
pub struct GateHit {
    pub start: i32,
    pub end: i32,
    pub found: String,
    /// The person's label, to replace a name with.
    pub label: Option<String>,
}

#[derive(SimpleObject)]
pub struct GateWarning {
    /// "A date of birth", "A street address", "A postcode", "A school's name".
    pub kind: String,
    pub hit: GateHit,
}

/// The anonymisation gate's answer on a text.
#[derive(SimpleObject)]
pub struct GateReport {
    /// False while any registered name remains: the text may not leave.
    pub passes: bool,
    pub hits: Vec<GateHit>,
    pub warnings: Vec<GateWarning>,
    /// The text with every hit replaced by the person's label.
    pub replaced: String,
}

/// A document on its way to an outside body, as the gate sees it now.
#[derive(SimpleObject)]
pub struct OutsideGate {
    /// The name its overrides are kept under: "executive-summary", "imr:4"...
    pub document: String,
    /// The version the warnings belong to: an override holds for this version only.
    pub version: String,
    /// Registered names: the document cannot leave, and no one can override them.
    pub hits: Vec<GateHit>,
    /// Warnings, each with its override if a second person has recorded one.
    pub warnings: Vec<OutsideWarning>,
    /// True when the document may leave: no name, and every warning overridden.
    pub clear: bool,
}

#[derive(SimpleObject)]
pub struct OutsideWarning {
    /// The kind's stable name (NEAR_MISS, DATE_OF_BIRTH...).
    pub kind: String,
    /// The kind as people say it.
    pub title: String,
    pub found: String,
    pub overridden: Option<GateOverride>,
}

/// A warning let through by a second person, with their reason.
#[derive(SimpleObject)]
pub struct GateOverride {
    pub by: String,
    pub reason: String,
    pub at: DateTime<Utc>,
}

/// Someone who could be appointed to a review: enough to choose, nothing more.
#[derive(SimpleObject)]
pub struct AppointableUser {
    pub id: i32,
    pub name: String,
    pub job_title: Option<String>,
    pub agency: Option<String>,
}

/// One line of the genogram, read "from ... to".
#[derive(SimpleObject)]
pub struct FamilyTie {
    pub from_person_id: i32,
    pub to_person_id: i32,
    pub tie: TieGql,
}

/// A household: its label and who lives in it.
#[derive(SimpleObject)]
pub struct Household {
    pub label: String,
    pub person_ids: Vec<i32>,
}

/// The saved versions of the review's documents that the caller may read.
#[derive(SimpleObject)]
pub struct DocumentVersions {
    pub overview_report: Vec<i32>,
    pub executive_summary: Vec<i32>,
}

#[derive(SimpleObject)]
pub struct ParallelProcess {
    pub id: i32,
    pub kind: ParallelProcessKindGql,
    pub status: ProcessStatusGql,
    pub description: String,
    pub expected_end: Option<NaiveDate>,
}

#[derive(SimpleObject)]
pub struct FamilyContribution {
    pub id: i32,
    /// The family member, when the contribution is one person's.
    pub person_id: Option<i32>,
    pub contributed_on: NaiveDate,
    pub method: ContributionMethodGql,
    pub summary: String,
}

/// One of the panel's findings, tagged with its learning themes.
#[derive(SimpleObject)]
pub struct Finding {
    pub id: i32,
    pub text: String,
    pub themes: Vec<ThemeGql>,
    pub recorded_on: NaiveDate,
}

/// How often a learning theme was found across the reviews counted.
#[derive(SimpleObject)]
pub struct ThemeCount {
    pub theme: ThemeGql,
    /// Reviews with at least one finding on the theme.
    pub reviews: i32,
    pub findings: i32,
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

/// A labelled count, for a table or a bar of a chart.
#[derive(SimpleObject)]
pub struct Count {
    pub label: String,
    pub count: i32,
}

/// Deadlines met: decisions within 28 days of referral, submissions within 6 months of
/// the decision (by the original date, and by the date as extended).
#[derive(SimpleObject)]
pub struct TimelinessView {
    pub decisions: i32,
    pub decided_within_28_days: i32,
    pub submissions: i32,
    pub submitted_on_time: i32,
    pub submitted_on_time_with_extensions: i32,
}

#[derive(SimpleObject)]
pub struct ReportView {
    /// The reviews counted.
    pub reviews: i32,
    pub timeliness: TimelinessView,
    pub overdue_imrs_by_agency: Vec<Count>,
    pub overdue_actions_by_agency: Vec<Count>,
    pub actions_by_status: Vec<Count>,
    pub open_actions_by_age: Vec<Count>,
    pub reviews_by_category: Vec<Count>,
    /// Learning themes across the reviews, the most widespread first.
    pub themes: Vec<ThemeCount>,
}

/// Something that needs the caller's attention.
#[derive(SimpleObject)]
pub struct Notification {
    /// "deadline", "imr", "imr_decision", "action", "closure_decision" or "appointment".
    pub kind: String,
    pub review_id: i32,
    pub reference: String,
    pub message: String,
    /// Where in the client to act on it.
    pub path: String,
    pub due_on: Option<NaiveDate>,
    pub overdue: bool,
}
