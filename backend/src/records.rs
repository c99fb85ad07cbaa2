//! What a review's records hold, read the same way by every phase that shows,
//! checks or exports them: an IMR's content and status, chronology rows as the shared
//! rules see them and the combined chronology, the overview report's and executive
//! summary's versions, the terms of reference's answers as stored and the day they were
//! approved, the list of an action's evidence, and the day a dated step happened. Reads
//! only: the steps that write these rows live in their phase.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use shared::AgencyId;
use shared::chronology::{self, Precision, When};
use shared::imr::{Content, ImrStatus};
use shared::policy::{Field, Operation};
use shared::report::{ReportSection, Sections, SummarySection};

use crate::entities::*;
use crate::errors::ApiResult;

/// The day a step happened: its day column, or, for a row recorded before the step
/// took a day, the day it was recorded (UTC).
pub fn day_of(on: Option<NaiveDate>, at: Option<DateTime<Utc>>) -> Option<NaiveDate> {
    on.or(at.map(|x| x.date_naive()))
}

/// The day the Chair approved the review's terms of reference, once they are.
pub async fn terms_approved_on(db: &impl ConnectionTrait, review_id: i32) -> ApiResult<Option<NaiveDate>> {
    let approved = terms_of_reference::Entity::find()
        .filter(terms_of_reference::Column::ReviewId.eq(review_id))
        .filter(terms_of_reference::Column::ApprovedAt.is_not_null())
        .all(db)
        .await?;
    Ok(approved.iter().filter_map(|t| day_of(t.approved_on, t.approved_at)).max())
}

/// The stored content of an IMR.
pub fn content_of(i: &imr::Model) -> ApiResult<Content> {
    crate::stored::json("IMR content", &i.content)
}

pub fn status_of(i: &imr::Model) -> ApiResult<ImrStatus> {
    crate::stored::value("IMR status", &i.status, ImrStatus::parse)
}

pub fn sections_of(json: &str, count: usize) -> ApiResult<Sections> {
    let mut s: Sections = crate::stored::json("document sections", json)?;
    s.0.resize(count, String::new());
    Ok(s)
}

/// A chronology row as the shared rules see it.
pub fn entry_of(e: &chronology_entry::Model) -> ApiResult<chronology::Entry> {
    Ok(chronology::Entry {
        id: e.id,
        agency: AgencyId(e.agency_id),
        when: When {
            date: e.on_date,
            time: e.at_time,
            precision: crate::stored::value("chronology precision", &e.precision, Precision::parse)?,
        },
        sequence: e.sequence,
        practitioner_role: e.practitioner_role.clone(),
        event: e.event.clone(),
        decision_or_action: e.decision_or_action.clone(),
        child_seen: e.child_seen,
        seen_alone: e.seen_alone,
        wishes_sought: e.wishes_sought,
        perpetrator_contact: e.perpetrator_contact,
        source: e.source.clone(),
        people: crate::stored::json("chronology people", &e.people)?,
    })
}

/// A saved version of an IMR's sections.
pub async fn imr_version(db: &impl ConnectionTrait, imr_id: i32, version: i32) -> ApiResult<Option<Content>> {
    imr_version::Entity::find()
        .filter(imr_version::Column::ImrId.eq(imr_id))
        .filter(imr_version::Column::Version.eq(version))
        .one(db)
        .await?
        .map(|v| crate::stored::json("IMR version content", &v.content))
        .transpose()
}

/// The version numbers saved of an IMR, oldest first.
pub async fn imr_versions(db: &impl ConnectionTrait, imr_id: i32) -> ApiResult<Vec<i32>> {
    Ok(imr_version::Entity::find()
        .filter(imr_version::Column::ImrId.eq(imr_id))
        .order_by_asc(imr_version::Column::Version)
        .all(db)
        .await?
        .iter()
        .map(|v| v.version)
        .collect())
}

/// The entries of every submitted or accepted IMR of the review, in time order.
pub async fn combined_entries(db: &impl ConnectionTrait, review_id: i32) -> ApiResult<Vec<chronology::Entry>> {
    let imrs = imr::Entity::find().filter(imr::Column::ReviewId.eq(review_id)).all(db).await?;
    let rows =
        chronology_entry::Entity::find().filter(chronology_entry::Column::ReviewId.eq(review_id)).all(db).await?;
    merge_submitted(&imrs, &rows)
}

/// The combined chronology's entries: those of submitted or accepted IMRs, merged.
pub fn merge_submitted(imrs: &[imr::Model], entries: &[chronology_entry::Model]) -> ApiResult<Vec<chronology::Entry>> {
    let mut submitted: Vec<i32> = Vec::new();
    for i in imrs {
        if status_of(i)?.is_submitted() {
            submitted.push(i.id);
        }
    }
    let chosen = entries
        .iter()
        .filter(|e| submitted.contains(&e.imr_id))
        .map(entry_of)
        .collect::<ApiResult<Vec<chronology::Entry>>>()?;
    Ok(chronology::merge(chosen))
}

/// Which of the two sectioned documents of the review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doc {
    OverviewReport,
    ExecutiveSummary,
}

impl Doc {
    /// The name its exports and gate overrides go by.
    pub fn slug(self) -> &'static str {
        match self {
            Doc::OverviewReport => "overview-report",
            Doc::ExecutiveSummary => "executive-summary",
        }
    }
    pub fn sections(self) -> usize {
        match self {
            Doc::OverviewReport => ReportSection::ALL.len(),
            Doc::ExecutiveSummary => SummarySection::ALL.len(),
        }
    }
    pub fn field(self) -> Field {
        match self {
            Doc::OverviewReport => Field::OverviewReport,
            Doc::ExecutiveSummary => Field::ExecutiveSummary,
        }
    }
    pub fn operation(self) -> Operation {
        match self {
            Doc::OverviewReport => Operation::EditOverviewReport,
            Doc::ExecutiveSummary => Operation::EditExecutiveSummary,
        }
    }
}

/// A saved version of the overview report or the executive summary.
#[derive(Debug, Clone)]
pub struct DocVersion {
    pub version: i32,
    pub sections: Sections,
    pub saved_by: i32,
    pub saved_at: chrono::DateTime<Utc>,
}

/// Runs `$body` with `$t` naming the entity module of `doc`'s table; the overview
/// report's and the executive summary's tables have the same columns.
macro_rules! with_table {
    ($doc:expr, $t:ident => $body:expr) => {
        match $doc {
            Doc::OverviewReport => {
                use overview_report as $t;
                $body
            }
            Doc::ExecutiveSummary => {
                use executive_summary as $t;
                $body
            }
        }
    };
}

pub(crate) use with_table;

/// Every saved version of `doc`, oldest first.
pub async fn versions(db: &impl ConnectionTrait, review_id: i32, doc: Doc) -> ApiResult<Vec<DocVersion>> {
    with_table!(doc, t => t::Entity::find()
        .filter(t::Column::ReviewId.eq(review_id))
        .order_by_asc(t::Column::Version)
        .all(db)
        .await?
        .into_iter()
        .map(|r| -> ApiResult<DocVersion> {
            Ok(DocVersion {
                version: r.version,
                sections: sections_of(&r.sections, doc.sections())?,
                saved_by: r.saved_by,
                saved_at: r.saved_at,
            })
        })
        .collect::<ApiResult<Vec<DocVersion>>>())
}

/// One answer of the terms of reference as stored.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StoredAnswer {
    pub text: Option<String>,
    pub not_applicable: bool,
}

/// A file of evidence, as listed (the bytes stay behind until downloaded).
#[derive(Debug, Clone)]
pub struct EvidenceInfo {
    pub id: i32,
    pub action_id: i32,
    pub file_name: String,
    /// The kind's stable name as stored: `evidence_kind` decodes it (a batched loader's
    /// error is a database error, so a corrupt kind is found where it is shown).
    pub kind: String,
    pub size: i32,
    pub uploaded_at: chrono::DateTime<Utc>,
}

impl EvidenceInfo {
    /// The file's kind; `INTERNAL` when the stored name does not parse.
    pub fn evidence_kind(&self) -> ApiResult<shared::completion::EvidenceKind> {
        crate::stored::value("evidence kind", &self.kind, shared::completion::EvidenceKind::parse)
    }
}

/// The evidence of actions, without the files' bytes.
pub async fn evidence_of(db: &impl ConnectionTrait, action_ids: &[i32]) -> Result<Vec<EvidenceInfo>, sea_orm::DbErr> {
    use sea_orm::QuerySelect;
    let rows: Vec<(i32, i32, String, String, i32, chrono::DateTime<Utc>)> = action_evidence::Entity::find()
        .select_only()
        .columns([
            action_evidence::Column::Id,
            action_evidence::Column::ActionId,
            action_evidence::Column::FileName,
            action_evidence::Column::Kind,
            action_evidence::Column::Size,
            action_evidence::Column::UploadedAt,
        ])
        .filter(action_evidence::Column::ActionId.is_in(action_ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, action_id, file_name, kind, size, uploaded_at)| EvidenceInfo {
            id,
            action_id,
            file_name,
            kind,
            size,
            uploaded_at,
        })
        .collect())
}
