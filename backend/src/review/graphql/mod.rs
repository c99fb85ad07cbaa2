//! The review phase in the schema (stages 8 to 12): IMRs with their content and
//! versions, chronology entries and the combined chronology, the overview report and
//! the executive summary in versions, and the agencies' confirmations.

pub mod mutation;

use std::sync::Arc;

use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use shared::policy::Field;

use crate::access::ReviewAccess;
use crate::entities::*;
use crate::errors::{ApiError, ApiResult};
use crate::graphql::enums::*;
use crate::graphql::errors::GqlResult;
use crate::graphql::objects::*;
use crate::graphql::request::loaders;
use crate::records::{self, Doc, content_of, day_of, status_of};
use shared::chronology::{self, Filter};
use shared::imr::ANALYSIS_QUESTIONS;
use shared::policy::ImrView;
use shared::report::{ReportSection, Sections, SummarySection};

/// One agency's Individual Management Review.
pub struct Imr {
    pub row: imr::Model,
    pub access: Arc<ReviewAccess>,
}

impl Imr {
    fn view(&self) -> ApiResult<ImrView> {
        Ok(self.access.imr_view(self.row.agency_id, status_of(&self.row)?.is_submitted()))
    }
    /// The content, or `None` for a caller who sees only the IMR's status.
    fn readable(&self) -> ApiResult<bool> {
        Ok(self.view()? == ImrView::Content)
    }
}

/// A question of 11.13 with the author's answer.
#[derive(SimpleObject)]
pub struct AnalysisAnswer {
    pub number: i32,
    pub question: String,
    pub answer: String,
}

#[derive(SimpleObject)]
pub struct RecommendationView {
    pub action: String,
    pub owner_agency_id: Option<i32>,
    pub due: Option<NaiveDate>,
    pub intended_outcome: String,
    pub success_measure: String,
}

/// The written sections of an IMR.
#[derive(SimpleObject)]
pub struct ImrContent {
    pub summary: String,
    pub analysis: Vec<AnalysisAnswer>,
    pub lessons: String,
    pub good_practice: String,
    pub recommendations: Vec<RecommendationView>,
    pub staff_support: String,
}

async fn imr_text(ctx: &Context<'_>, a: &ReviewAccess, raw: &str) -> ApiResult<String> {
    text(ctx, a, Field::Imrs, raw).await
}

#[Object]
impl Imr {
    async fn id(&self) -> i32 {
        self.row.id
    }
    async fn agency(&self, ctx: &Context<'_>) -> GqlResult<Option<Agency>> {
        Ok(by_id::<agency::Entity>(ctx, self.row.agency_id).await?.map(Agency))
    }
    async fn status(&self) -> GqlResult<ImrStatusGql> {
        Ok(status_of(&self.row)?.into())
    }
    async fn due_on(&self) -> NaiveDate {
        self.row.due_on
    }
    /// The designated author, by name (staff, not family: never pseudonymised).
    async fn author_name(&self, ctx: &Context<'_>) -> GqlResult<Option<String>> {
        Ok(match self.row.author_id {
            Some(id) => by_id::<user::Entity>(ctx, id).await?.map(|u| u.name),
            None => None,
        })
    }
    /// Whether the caller is the designated author.
    async fn is_mine(&self, ctx: &Context<'_>) -> GqlResult<bool> {
        Ok(self.row.author_id == Some(crate::graphql::caller(ctx)?.user.id))
    }
    async fn independence_declared(&self) -> bool {
        self.row.declared_at.is_some()
    }
    /// The saved version the author's next save must name.
    async fn version(&self) -> i32 {
        self.row.version
    }
    async fn submitted_at(&self) -> Option<DateTime<Utc>> {
        self.row.submitted_at
    }
    async fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.row.decided_at
    }
    /// The day the IMR was requested.
    async fn requested_on(&self) -> NaiveDate {
        self.row.requested_on.unwrap_or_else(|| self.row.requested_at.date_naive())
    }
    /// The day the IMR was last submitted.
    async fn submitted_on(&self) -> Option<NaiveDate> {
        day_of(self.row.submitted_on, self.row.submitted_at)
    }
    /// The day the panel last accepted or returned the IMR.
    async fn decided_on(&self) -> Option<NaiveDate> {
        day_of(self.row.decided_on, self.row.decided_at)
    }
    /// The panel's comments when it returned or accepted the IMR.
    async fn panel_comments(&self, ctx: &Context<'_>) -> GqlResult<Option<String>> {
        match (&self.row.panel_comments, self.readable()?) {
            (Some(c), true) => Ok(Some(imr_text(ctx, &self.access, c).await?)),
            _ => Ok(None),
        }
    }
    /// The written sections; null for a caller who may see only the IMR's status.
    async fn content(&self, ctx: &Context<'_>, version: Option<i32>) -> GqlResult<Option<ImrContent>> {
        if !self.readable()? {
            return Ok(None);
        }
        let mut c = match version {
            None => content_of(&self.row)?,
            Some(v) => {
                let db = &loaders(ctx)?.loader().db;
                let found = records::imr_version(db, self.row.id, v).await?;
                found.ok_or_else(|| ApiError::invalid("version", "No such version of the IMR"))?
            }
        };
        for t in c.texts_mut() {
            *t = imr_text(ctx, &self.access, t).await?;
        }
        c.analysis.resize(ANALYSIS_QUESTIONS.len(), String::new());
        Ok(Some(ImrContent {
            analysis: c
                .analysis
                .iter()
                .zip(ANALYSIS_QUESTIONS)
                .enumerate()
                .map(|(i, (a, q))| AnalysisAnswer { number: i as i32 + 1, question: q.to_owned(), answer: a.clone() })
                .collect(),
            recommendations: c
                .recommendations
                .into_iter()
                .map(|r| RecommendationView {
                    action: r.action,
                    owner_agency_id: r.owner_agency.map(|x| x.0),
                    due: r.due,
                    intended_outcome: r.intended_outcome,
                    success_measure: r.success_measure,
                })
                .collect(),
            summary: c.summary,
            lessons: c.lessons,
            good_practice: c.good_practice,
            staff_support: c.staff_support,
        }))
    }
    /// Every saved version number, oldest first.
    async fn versions(&self, ctx: &Context<'_>) -> GqlResult<Vec<i32>> {
        if !self.readable()? {
            return Ok(Vec::new());
        }
        Ok(records::imr_versions(&loaders(ctx)?.loader().db, self.row.id).await?)
    }
    /// The agency's chronology, in time order.
    async fn chronology(&self, ctx: &Context<'_>) -> GqlResult<Vec<ChronologyEntry>> {
        if !self.readable()? {
            return Ok(Vec::new());
        }
        let all = rows::<chronology_entry::Entity>(ctx, self.row.review_id).await?;
        let mine = chronology::merge(
            all.iter()
                .filter(|e| e.imr_id == self.row.id)
                .map(records::entry_of)
                .collect::<ApiResult<Vec<chronology::Entry>>>()?,
        );
        let versions: std::collections::HashMap<i32, i32> = all.iter().map(|r| (r.id, r.version)).collect();
        let mut out = Vec::new();
        for e in mine {
            let version = versions.get(&e.id).copied().unwrap_or(1);
            out.push(ChronologyEntry::build(ctx, &self.access, Field::Imrs, e, version).await?);
        }
        Ok(out)
    }
    /// Who the caller may designate as the author: active staff of the IMR's agency.
    /// Empty unless the caller may designate the author now.
    async fn author_candidates(&self, ctx: &Context<'_>) -> GqlResult<Vec<crate::graphql::objects::AppointableUser>> {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        if !self.access.may_for_agency(shared::policy::Operation::DesignateImrAuthor, self.row.agency_id)? {
            return Ok(Vec::new());
        }
        let db = &loaders(ctx)?.loader().db;
        let agency = by_id::<agency::Entity>(ctx, self.row.agency_id).await?.map(|a| a.name);
        Ok(user::Entity::find()
            .filter(user::Column::AgencyId.eq(self.row.agency_id))
            .filter(user::Column::Active.eq(true))
            .order_by_asc(user::Column::Name)
            .all(db)
            .await?
            .into_iter()
            .map(|u| crate::graphql::objects::AppointableUser {
                id: u.id,
                name: u.name,
                job_title: u.job_title,
                agency: agency.clone(),
            })
            .collect())
    }
    /// What still stops submission: missing sections, recommendations not SMART.
    async fn missing(&self, ctx: &Context<'_>) -> GqlResult<Vec<Problem>> {
        if !self.readable()? {
            return Ok(Vec::new());
        }
        let db = &loaders(ctx)?.loader().db;
        Ok(crate::review::submission_problems(db, &self.row)
            .await?
            .into_iter()
            .map(|p| Problem { field: p.field, message: p.message })
            .collect())
    }
}

/// One entry of a chronology.
#[derive(SimpleObject)]
pub struct ChronologyEntry {
    pub id: i32,
    pub agency_id: i32,
    pub agency_name: String,
    pub date: NaiveDate,
    /// "HH:MM", when the time is known.
    pub time: Option<String>,
    pub precision: PrecisionGql,
    pub sequence: i32,
    pub practitioner_role: String,
    pub event: String,
    pub decision_or_action: String,
    pub child_seen: bool,
    pub seen_alone: bool,
    pub wishes_sought: bool,
    pub perpetrator_contact: bool,
    pub source: String,
    pub person_ids: Vec<i32>,
    /// The version an edit must name.
    pub version: i32,
}

impl ChronologyEntry {
    pub async fn build(
        ctx: &Context<'_>,
        a: &ReviewAccess,
        field: Field,
        e: chronology::Entry,
        version: i32,
    ) -> ApiResult<Self> {
        let agency_name = by_id::<agency::Entity>(ctx, e.agency.0).await?.map(|x| x.name).unwrap_or_default();
        Ok(ChronologyEntry {
            id: e.id,
            agency_id: e.agency.0,
            agency_name,
            date: e.when.date,
            time: e.when.time.map(|t| t.format("%H:%M").to_string()),
            precision: e.when.precision.into(),
            sequence: e.sequence,
            practitioner_role: text(ctx, a, field, &e.practitioner_role).await?,
            event: text(ctx, a, field, &e.event).await?,
            decision_or_action: text(ctx, a, field, &e.decision_or_action).await?,
            child_seen: e.child_seen,
            seen_alone: e.seen_alone,
            wishes_sought: e.wishes_sought,
            perpetrator_contact: e.perpetrator_contact,
            source: text(ctx, a, field, &e.source).await?,
            person_ids: e.people,
            version,
        })
    }
}

/// What the panel filters the combined chronology by; each left out means "any".
#[derive(InputObject, Default)]
pub struct ChronologyFilterInput {
    #[graphql(default)]
    pub agency_ids: Vec<i32>,
    pub person_id: Option<i32>,
    pub child_seen: Option<bool>,
    pub seen_alone: Option<bool>,
    pub wishes_sought: Option<bool>,
    pub perpetrator_contact: Option<bool>,
}

impl From<ChronologyFilterInput> for Filter {
    fn from(f: ChronologyFilterInput) -> Self {
        Filter {
            agencies: f.agency_ids.into_iter().map(shared::AgencyId).collect(),
            person: f.person_id,
            child_seen: f.child_seen,
            seen_alone: f.seen_alone,
            wishes_sought: f.wishes_sought,
            perpetrator_contact: f.perpetrator_contact,
        }
    }
}

#[derive(SimpleObject)]
pub struct ChronologyGap {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: i32,
}

/// Entries from more than one agency about the same people on the same day, which
/// may describe one event differently.
#[derive(SimpleObject)]
pub struct ConflictSuggestion {
    pub date: NaiveDate,
    pub person_ids: Vec<i32>,
    pub entry_ids: Vec<i32>,
}

/// Two entries the panel linked, with its note.
#[derive(SimpleObject)]
pub struct ChronologyLink {
    pub id: i32,
    pub entry_a: i32,
    pub entry_b: i32,
    pub note: String,
}

/// The most entries one page of the combined chronology holds, and how many when the
/// page size is left out.
pub const CHRONOLOGY_PAGE_MAX: i32 = 5_000;
pub const CHRONOLOGY_PAGE_DEFAULT: i32 = 500;

/// Every submitted IMR's entries merged in time order and filtered, a page at a time.
/// What is worked out over the whole filtered chronology (gaps, suggested conflicts, the
/// agencies' lanes) and the links are worked out only when asked for.
pub struct CombinedChronology {
    access: Arc<ReviewAccess>,
    /// Every entry that matches the filter, in time order.
    filtered: Vec<chronology::Entry>,
    /// The page: `filtered[start..end]`.
    start: usize,
    end: usize,
    total: i32,
    gap_days: i64,
}

#[Object]
impl CombinedChronology {
    /// The page's entries, in time order.
    async fn entries(&self, ctx: &Context<'_>) -> GqlResult<Vec<ChronologyEntry>> {
        let a = &self.access;
        let page = &self.filtered[self.start..self.end];
        let versions: std::collections::HashMap<i32, i32> =
            rows::<chronology_entry::Entity>(ctx, a.review.id).await?.iter().map(|e| (e.id, e.version)).collect();
        // The page's agencies in one statement, before each entry asks for its own.
        let mut agencies: Vec<i32> = page.iter().map(|e| e.agency.0).collect();
        agencies.sort_unstable();
        agencies.dedup();
        loaders(ctx)?.load_many(agencies.into_iter().map(crate::graphql::loaders::ById::<agency::Entity>::of)).await?;
        let mut out = Vec::with_capacity(page.len());
        for e in page {
            let v = versions.get(&e.id).copied().unwrap_or(1);
            out.push(ChronologyEntry::build(ctx, a, Field::CombinedChronology, e.clone(), v).await?);
        }
        Ok(out)
    }

    /// The number of entries before filtering.
    async fn total(&self) -> i32 {
        self.total
    }

    /// The number of entries the filter keeps, on every page.
    async fn filtered(&self) -> i32 {
        i32::try_from(self.filtered.len()).unwrap_or(i32::MAX)
    }

    /// Where the next page starts (give it as `after`); none on the last page.
    async fn next(&self) -> Option<String> {
        (self.end < self.filtered.len()).then(|| self.filtered[self.end - 1].id.to_string())
    }

    /// Quiet periods longer than `gapDays` between the filtered entries, over every page.
    async fn gaps(&self) -> Vec<ChronologyGap> {
        chronology::gaps(&self.filtered, self.gap_days)
            .into_iter()
            .map(|g| ChronologyGap { from: g.from, to: g.to, days: g.days as i32 })
            .collect()
    }

    /// Same people, same day, different agencies, over every page: worth the panel's look.
    async fn suggested_conflicts(&self) -> Vec<ConflictSuggestion> {
        chronology::suggested_conflicts(&self.filtered)
            .into_iter()
            .map(|s| ConflictSuggestion { date: s.date, person_ids: s.people, entry_ids: s.entries })
            .collect()
    }

    /// The links the panel made between the review's entries.
    async fn links(&self, ctx: &Context<'_>) -> GqlResult<Vec<ChronologyLink>> {
        let a = &self.access;
        let mut links = Vec::new();
        for l in rows::<chronology_link::Entity>(ctx, a.review.id).await?.iter() {
            links.push(ChronologyLink {
                id: l.id,
                entry_a: l.entry_a,
                entry_b: l.entry_b,
                note: text(ctx, a, Field::CombinedChronology, &l.note).await?,
            });
        }
        Ok(links)
    }

    /// One lane per agency with filtered entries, in the order of their first entry.
    async fn agencies(&self, ctx: &Context<'_>) -> GqlResult<Vec<Agency>> {
        let mut lanes: Vec<i32> = Vec::new();
        for e in &self.filtered {
            if !lanes.contains(&e.agency.0) {
                lanes.push(e.agency.0);
            }
        }
        let found = loaders(ctx)?
            .load_many(lanes.iter().map(|id| crate::graphql::loaders::ById::<agency::Entity>::of(*id)))
            .await?;
        Ok(lanes
            .iter()
            .filter_map(|id| found.get(&crate::graphql::loaders::ById::<agency::Entity>::of(*id)).cloned().map(Agency))
            .collect())
    }
}

pub async fn combined(
    ctx: &Context<'_>,
    a: &Arc<ReviewAccess>,
    filter: ChronologyFilterInput,
    gap_days: i32,
    first: Option<i32>,
    after: Option<String>,
) -> GqlResult<CombinedChronology> {
    a.read(Field::CombinedChronology)?;
    if gap_days < 1 {
        return Err(ApiError::invalid("gapDays", "Give a number of days from 1").into());
    }
    let first = first.unwrap_or(CHRONOLOGY_PAGE_DEFAULT);
    if !(1..=CHRONOLOGY_PAGE_MAX).contains(&first) {
        return Err(ApiError::invalid("first", format!("Give a page size from 1 to {CHRONOLOGY_PAGE_MAX}")).into());
    }
    let merged = combined_rows(ctx, a.review.id).await?;
    let total = i32::try_from(merged.len()).unwrap_or(i32::MAX);
    let filter: Filter = filter.into();
    let filtered: Vec<chronology::Entry> = merged.into_iter().filter(|e| filter.matches(e)).collect();
    let start = match after {
        None => 0,
        Some(cursor) => {
            let gone =
                || ApiError::invalid("after", "That page has changed since it was read: start from the first page");
            let id: i32 = cursor.trim().parse().map_err(|_| gone())?;
            filtered.iter().position(|e| e.id == id).ok_or_else(gone)? + 1
        }
    };
    let end = filtered.len().min(start + first as usize);
    Ok(CombinedChronology { access: a.clone(), filtered, start, end, total, gap_days: i64::from(gap_days) })
}

/// The combined chronology's rows, from the request's loaders: entries of submitted
/// or accepted IMRs only.
async fn combined_rows(ctx: &Context<'_>, review_id: i32) -> ApiResult<Vec<chronology::Entry>> {
    let imrs = rows::<imr::Entity>(ctx, review_id).await?;
    let entries = rows::<chronology_entry::Entity>(ctx, review_id).await?;
    records::merge_submitted(&imrs, &entries)
}

/// One section of the overview report or the executive summary.
#[derive(SimpleObject)]
pub struct DocumentSection {
    pub key: String,
    pub title: String,
    pub text: String,
}

/// A version of the overview report or the executive summary.
#[derive(SimpleObject)]
pub struct ReviewDocument {
    /// 0 for an executive summary not yet saved, pre-filled from the report.
    pub version: i32,
    pub latest: bool,
    pub prefilled: bool,
    pub saved_at: Option<DateTime<Utc>>,
    pub sections: Vec<DocumentSection>,
}

pub async fn document(
    ctx: &Context<'_>,
    a: &ReviewAccess,
    doc: Doc,
    version: Option<i32>,
) -> GqlResult<Option<ReviewDocument>> {
    a.read(doc.field())?;
    let db = &loaders(ctx)?.loader().db;
    let all = records::versions(db, a.review.id, doc).await?;
    let latest = all.last().map_or(0, |v| v.version);
    let found = match version {
        Some(v) => all.iter().find(|d| d.version == v),
        None => all.last(),
    };
    let (version, sections, saved_at, prefilled) = match (found, doc, version) {
        (Some(d), _, _) => (d.version, d.sections.clone(), Some(d.saved_at), false),
        (None, Doc::ExecutiveSummary, None) => {
            // 11.16: the summary starts from the report.
            let report = records::versions(db, a.review.id, Doc::OverviewReport).await?;
            match report.last() {
                Some(r) => (0, shared::report::prefill_summary(&r.sections), None, true),
                None => return Ok(None),
            }
        }
        _ => return Ok(None),
    };
    Ok(Some(ReviewDocument {
        version,
        latest: version == latest,
        prefilled,
        saved_at,
        sections: sections_view(ctx, a, doc, &sections).await?,
    }))
}

async fn sections_view(ctx: &Context<'_>, a: &ReviewAccess, doc: Doc, s: &Sections) -> ApiResult<Vec<DocumentSection>> {
    let outline: Vec<(&str, &str)> = match doc {
        Doc::OverviewReport => ReportSection::ALL.iter().map(|x| (x.as_str(), x.title())).collect(),
        Doc::ExecutiveSummary => SummarySection::ALL.iter().map(|x| (x.as_str(), x.title())).collect(),
    };
    let mut out = Vec::new();
    for (i, (key, title)) in outline.into_iter().enumerate() {
        out.push(DocumentSection {
            key: key.to_owned(),
            title: title.to_owned(),
            text: text(ctx, a, doc.field(), s.get(i)).await?,
        });
    }
    Ok(out)
}

/// An agency's confirmation that the report represents it fairly.
#[derive(SimpleObject)]
pub struct ReportConfirmation {
    pub agency: Option<Agency>,
    pub report_version: i32,
    pub comment: Option<String>,
    pub confirmed_at: DateTime<Utc>,
}

pub async fn confirmations(ctx: &Context<'_>, a: &ReviewAccess) -> GqlResult<Vec<ReportConfirmation>> {
    a.read(Field::OverviewReport)?;
    let mut out = Vec::new();
    for c in rows::<report_confirmation::Entity>(ctx, a.review.id).await?.iter() {
        out.push(ReportConfirmation {
            agency: by_id::<agency::Entity>(ctx, c.agency_id).await?.map(Agency),
            report_version: c.report_version,
            comment: match &c.comment {
                Some(t) => Some(text(ctx, a, Field::OverviewReport, t).await?),
                None => None,
            },
            confirmed_at: c.confirmed_at,
        });
    }
    Ok(out)
}

pub async fn imrs(ctx: &Context<'_>, a: &Arc<ReviewAccess>) -> GqlResult<Vec<Imr>> {
    a.read(Field::Imrs)?;
    let mut out = Vec::new();
    for i in rows::<imr::Entity>(ctx, a.review.id).await?.iter() {
        let found = Imr { row: i.clone(), access: a.clone() };
        if found.view()? != ImrView::Hidden {
            out.push(found);
        }
    }
    Ok(out)
}

/// The saved versions of the review's documents that the caller may read.
#[derive(SimpleObject)]
pub struct DocumentVersions {
    pub overview_report: Vec<i32>,
    pub executive_summary: Vec<i32>,
}

// The review's fields of the review phase.
#[derive(Clone)]
pub struct ReviewPhaseOfReview(pub Arc<ReviewAccess>);

#[Object]
impl ReviewPhaseOfReview {
    /// The IMRs requested: an author or agency manager sees their own agency's only;
    /// others see every agency's status and, once submitted, the content.
    async fn imrs(&self, ctx: &Context<'_>) -> GqlResult<Vec<Imr>> {
        imrs(ctx, &self.0).await
    }

    /// Every submitted IMR's chronology merged in time order, filtered, with gaps longer
    /// than `gapDays` and possible conflicts marked.
    async fn combined_chronology(
        &self,
        ctx: &Context<'_>,
        filter: Option<ChronologyFilterInput>,
        #[graphql(desc = "Longest quiet period not marked as a gap; 28 days when left out")] gap_days: Option<i32>,
        #[graphql(desc = "Entries a page, from 1 to 5,000; 500 when left out")] first: Option<i32>,
        #[graphql(desc = "The `next` of the page before; the first page when left out")] after: Option<String>,
    ) -> GqlResult<CombinedChronology> {
        combined(ctx, &self.0, filter.unwrap_or_default(), gap_days.unwrap_or(28), first, after).await
    }

    /// The overview report (11.14): the latest version, or the one asked for.
    async fn overview_report(&self, ctx: &Context<'_>, version: Option<i32>) -> GqlResult<Option<ReviewDocument>> {
        document(ctx, &self.0, crate::records::Doc::OverviewReport, version).await
    }

    /// The agencies' confirmations that the report represents them fairly.
    async fn report_confirmations(&self, ctx: &Context<'_>) -> GqlResult<Vec<ReportConfirmation>> {
        confirmations(ctx, &self.0).await
    }

    /// The executive summary (11.16); until first saved, a draft pre-filled from the report.
    async fn executive_summary(&self, ctx: &Context<'_>, version: Option<i32>) -> GqlResult<Option<ReviewDocument>> {
        document(ctx, &self.0, crate::records::Doc::ExecutiveSummary, version).await
    }

    /// Saved version numbers of the overview report and the executive summary.
    async fn document_versions(&self, ctx: &Context<'_>) -> GqlResult<DocumentVersions> {
        let db = &loaders(ctx)?.loader().db;
        let mut out = DocumentVersions { overview_report: Vec::new(), executive_summary: Vec::new() };
        if self.0.read(Field::OverviewReport).is_ok() {
            out.overview_report = crate::records::versions(db, self.0.review.id, crate::records::Doc::OverviewReport)
                .await?
                .iter()
                .map(|v| v.version)
                .collect();
        }
        if self.0.read(Field::ExecutiveSummary).is_ok() {
            out.executive_summary =
                crate::records::versions(db, self.0.review.id, crate::records::Doc::ExecutiveSummary)
                    .await?
                    .iter()
                    .map(|v| v.version)
                    .collect();
        }
        Ok(out)
    }
}
