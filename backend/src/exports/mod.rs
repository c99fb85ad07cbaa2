//! Documents of a review exported to PDF, DOCX and (the chronology) CSV.
//!
//! A document is first built as plain blocks (headings, paragraphs, tables) from the
//! records, then written by a well-kept library: `printpdf` for PDF, `docx-rs` for
//! DOCX, `csv` for CSV. Building is where access applies:
//! - for internal use, text is as the caller may read it (names replaced by labels
//!   unless the caller reads names in full);
//! - for outside use (SPEC 3, the anonymisation gate), the caller must be allowed to
//!   export for outside use; the overview report and the executive summary must
//!   already pass the gate as written (their authors replace each name; nothing is
//!   silently rewritten in a document meant for publication), every other document
//!   (and every part of those two their authors did not write) has names replaced by
//!   labels and quasi-identifiers masked; any warning left stops the document until a
//!   second person overrides it (`anonymise`), and the finished document is checked
//!   once more before it leaves.

mod formats;
mod outside;

pub use formats::*;
pub use outside::*;

pub mod graphql;

use std::io::Cursor;

pub mod public;

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};
use shared::gate::{Gate, Report, WarningKind};
use shared::imr::ANALYSIS_QUESTIONS;
use shared::policy::{Field, ImrView, Operation};
use shared::report::{ReportSection, SummarySection};
use shared::stage::Relationship;

use crate::access::{self, ReviewAccess};
use crate::context::Caller;
use crate::entities::*;
use crate::errors::{ApiError, ApiResult};
use crate::records::{self, Doc, content_of, status_of};
use crate::step::Step;

/// The documents a review exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    TermsOfReference,
    Imr(i32),
    Chronology,
    OverviewReport,
    ExecutiveSummary,
    ActionPlan,
}

impl Kind {
    /// The name used in the export's address and file name.
    pub fn slug(self) -> &'static str {
        match self {
            Kind::TermsOfReference => "terms-of-reference",
            Kind::Imr(_) => "imr",
            Kind::Chronology => "chronology",
            Kind::OverviewReport => "overview-report",
            Kind::ExecutiveSummary => "executive-summary",
            Kind::ActionPlan => "action-plan",
        }
    }

    /// The kind a document key (`anonymise::document_key`) names.
    pub fn from_key(key: &str) -> Option<Kind> {
        Some(match key.split_once(':') {
            Some(("imr", id)) => Kind::Imr(id.parse().ok()?),
            Some(_) => return None,
            None => match key {
                "terms-of-reference" => Kind::TermsOfReference,
                "chronology" => Kind::Chronology,
                "overview-report" => Kind::OverviewReport,
                "executive-summary" => Kind::ExecutiveSummary,
                "action-plan" => Kind::ActionPlan,
                _ => return None,
            },
        })
    }

    fn field(self) -> Field {
        match self {
            Kind::TermsOfReference => Field::TermsOfReference,
            Kind::Imr(_) => Field::Imrs,
            Kind::Chronology => Field::CombinedChronology,
            Kind::OverviewReport => Field::OverviewReport,
            Kind::ExecutiveSummary => Field::ExecutiveSummary,
            Kind::ActionPlan => Field::ActionPlan,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Docx,
    Csv,
}

impl Format {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pdf" => Some(Format::Pdf),
            "docx" => Some(Format::Docx),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Pdf => "application/pdf",
            Format::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Format::Csv => "text/csv; charset=utf-8",
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Csv => "csv",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Internal,
    Outside,
}

/// A document as blocks, before it is written in a format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub title: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(String),
    Paragraph(String),
    Table { headers: Vec<String>, rows: Vec<Vec<String>> },
}

impl Document {
    fn texts_mut(&mut self) -> Vec<&mut String> {
        let mut out = vec![&mut self.title];
        for b in &mut self.blocks {
            match b {
                Block::Heading(t) | Block::Paragraph(t) => out.push(t),
                Block::Table { headers, rows } => {
                    out.extend(headers.iter_mut());
                    for r in rows {
                        out.extend(r.iter_mut());
                    }
                }
            }
        }
        out
    }

    /// Every text masked for a label-only reader, except those written for outside
    /// (which leave as written, once the gate lets them).
    fn mask_except(&mut self, gate: &Gate, written: &[String]) {
        for t in self.texts_mut() {
            if !written.contains(t) {
                *t = gate.mask(t);
            }
        }
    }

    /// The gate's report on each text.
    fn reports(&mut self, gate: &Gate) -> Vec<Report> {
        self.texts_mut()
            .into_iter()
            .map(|t| gate.check(t))
            .filter(|r| !r.hits.is_empty() || !r.warnings.is_empty())
            .collect()
    }
}

fn para(s: &str) -> Block {
    Block::Paragraph(para_text(s))
}

fn para_text(s: &str) -> String {
    if s.trim().is_empty() { "(not written)".to_owned() } else { s.to_owned() }
}

fn yes(b: bool) -> String {
    if b { "yes" } else { "no" }.to_owned()
}

/// The chronology as a table: one row per entry, people by label.
fn chronology_table(
    entries: &[shared::chronology::Entry],
    agencies: &[agency::Model],
    people: &[person::Model],
) -> Block {
    let agency = |id: i32| agencies.iter().find(|a| a.id == id).map_or_else(String::new, |a| a.name.clone());
    let labels = |ids: &[i32]| {
        ids.iter().filter_map(|id| people.iter().find(|p| p.id == *id)).map(|p| p.label.clone()).collect::<Vec<_>>()
    };
    Block::Table {
        headers: [
            "Date",
            "Time",
            "Agency",
            "Practitioner",
            "Event",
            "Decision or action",
            "Child seen",
            "Seen alone",
            "Wishes sought",
            "Perpetrator contact",
            "Source",
            "People",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows: entries
            .iter()
            .map(|e| {
                let date = match e.when.precision {
                    shared::chronology::Precision::Exact => e.when.date.format("%d/%m/%Y").to_string(),
                    shared::chronology::Precision::Month => e.when.date.format("%m/%Y").to_string(),
                    shared::chronology::Precision::Year => e.when.date.format("%Y").to_string(),
                };
                vec![
                    date,
                    e.when.time.map(|t| t.format("%H:%M").to_string()).unwrap_or_default(),
                    agency(e.agency.0),
                    e.practitioner_role.clone(),
                    e.event.clone(),
                    e.decision_or_action.clone(),
                    yes(e.child_seen),
                    yes(e.seen_alone),
                    yes(e.wishes_sought),
                    yes(e.perpetrator_contact),
                    e.source.clone(),
                    labels(&e.people).join(", "),
                ]
            })
            .collect(),
    }
}

/// The genogram as a table of labels: who is who, and who lives together.
async fn family_table(db: &DatabaseConnection, review_id: i32, people: &[person::Model]) -> ApiResult<Block> {
    let households = household::Entity::find().filter(household::Column::ReviewId.eq(review_id)).all(db).await?;
    let ids: Vec<i32> = households.iter().map(|h| h.id).collect();
    let members =
        household_member::Entity::find().filter(household_member::Column::HouseholdId.is_in(ids)).all(db).await?;
    Ok(Block::Table {
        headers: vec!["Person".into(), "Relationship to the child".into(), "Household".into()],
        rows: people
            .iter()
            .filter(|p| p.relationship != Relationship::Professional.as_str())
            .map(|p| -> ApiResult<Vec<String>> {
                let home = members
                    .iter()
                    .filter(|m| m.person_id == p.id)
                    .filter_map(|m| households.iter().find(|h| h.id == m.household_id))
                    .map(|h| h.label.clone())
                    .collect::<Vec<_>>()
                    .join(", ");
                let rel = crate::stored::value("person relationship", &p.relationship, Relationship::parse)?;
                Ok(vec![p.label.clone(), rel.title().to_owned(), home])
            })
            .collect::<ApiResult<Vec<Vec<String>>>>()?,
    })
}

/// Builds `kind` of the review as the caller may take it for `purpose`.
pub async fn build(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    kind: Kind,
    purpose: Purpose,
) -> ApiResult<Document> {
    let a = access::for_review(db, caller, review_id).await?;
    a.read(kind.field())?;
    if purpose == Purpose::Outside {
        a.require(Operation::ExportForOutside)?;
    }
    let people = person::Entity::find()
        .filter(person::Column::ReviewId.eq(review_id))
        .order_by_asc(person::Column::Id)
        .all(db)
        .await?;
    let mut doc = raw_document(db, &a, caller.id(), kind, &people).await?;
    match purpose {
        Purpose::Internal => {
            if !(a.full(kind.field()) && a.full(Field::PersonName)) {
                let masking = crate::anonymise::masking_gate(db, review_id).await?;
                doc.mask_except(&masking, &[]);
            } else {
                // A document with names in it: logged as read, for everyone it may name.
                let reads = crate::audit::IdentityReads::default();
                for p in &people {
                    reads.note(review_id, p.id, "name");
                }
                reads.flush(db, caller.user.id).await?;
            }
        }
        Purpose::Outside => {
            let checked = prepare_outside(db, &a, kind, &people, &mut doc).await?;
            crate::anonymise::require_clear(db, review_id, &checked.document, &checked.version, &checked.reports)
                .await?;
            // Defence in depth: a document checked on its written sections is checked
            // once more, finished, for names (any other was checked finished above).
            if checked.on_sections {
                let hits = doc.reports(&checked.gate);
                crate::anonymise::require_clear(db, review_id, &checked.document, &checked.version, &hits_only(hits))
                    .await?;
            }
        }
    }
    Ok(doc)
}

async fn raw_document(
    db: &DatabaseConnection,
    a: &ReviewAccess,
    caller: shared::UserId,
    kind: Kind,
    people: &[person::Model],
) -> ApiResult<Document> {
    let r = &a.review;
    let agencies = agency::Entity::find().all(db).await?;
    let title = |what: &str| format!("{what}: Serious Case Review {}", r.reference);
    Ok(match kind {
        Kind::TermsOfReference => {
            let t = terms_of_reference::Entity::find()
                .filter(terms_of_reference::Column::ReviewId.eq(r.id))
                .order_by_desc(terms_of_reference::Column::Version)
                .one(db)
                .await?
                .ok_or(ApiError::NotFound)?;
            let stored: Vec<crate::records::StoredAnswer> =
                crate::stored::json("terms of reference answers", &t.answers)?;
            let mut blocks = vec![Block::Paragraph(format!(
                "Version {}{}",
                t.version,
                if t.approved_at.is_some() { ", approved by the Board Chair" } else { ", not yet approved" }
            ))];
            for (i, q) in shared::terms::QUESTIONS.iter().enumerate() {
                let ans = stored.get(i).cloned().unwrap_or_default();
                blocks.push(Block::Heading(format!("{}. {q}", i + 1)));
                blocks.push(if ans.not_applicable {
                    Block::Paragraph("Not applicable".into())
                } else {
                    para(ans.text.as_deref().unwrap_or(""))
                });
            }
            Document { title: title("Terms of reference"), blocks }
        }
        Kind::Imr(id) => {
            let i =
                imr::Entity::find_by_id(id).one(db).await?.filter(|i| i.review_id == r.id).ok_or(ApiError::NotFound)?;
            let status = status_of(&i)?;
            if a.imr_view(i.agency_id, status.is_submitted()) != ImrView::Content {
                return Err(ApiError::NotFound);
            }
            let agency_name = agencies.iter().find(|x| x.id == i.agency_id).map_or("", |x| x.name.as_str());
            let c = content_of(&i)?;
            let entries =
                chronology_entry::Entity::find().filter(chronology_entry::Column::ImrId.eq(i.id)).all(db).await?;
            let entries = shared::chronology::merge(
                entries.iter().map(records::entry_of).collect::<ApiResult<Vec<shared::chronology::Entry>>>()?,
            );
            let mut blocks = vec![
                Block::Paragraph(format!("{agency_name}. Status: {}. Version {}.", status.title(), i.version)),
                Block::Heading("Chronology of involvement".into()),
                chronology_table(&entries, &agencies, people),
                Block::Heading("Summary of decisions and services".into()),
                para(&c.summary),
                Block::Heading("Analysis of involvement".into()),
            ];
            for (k, q) in ANALYSIS_QUESTIONS.iter().enumerate() {
                blocks.push(Block::Paragraph(format!("{}. {q}", k + 1)));
                blocks.push(para(c.analysis.get(k).map_or("", String::as_str)));
            }
            blocks.extend([
                Block::Heading("Lessons learned".into()),
                para(&c.lessons),
                Block::Heading("Good practice".into()),
                para(&c.good_practice),
                Block::Heading("Recommendations".into()),
                Block::Table {
                    headers: ["Action", "Owner", "Due", "Intended outcome", "Measure of success"]
                        .map(str::to_owned)
                        .to_vec(),
                    rows: c
                        .recommendations
                        .iter()
                        .map(|x| {
                            vec![
                                x.action.clone(),
                                x.owner_agency
                                    .and_then(|o| agencies.iter().find(|g| g.id == o.0))
                                    .map_or_else(String::new, |g| g.name.clone()),
                                x.due.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default(),
                                x.intended_outcome.clone(),
                                x.success_measure.clone(),
                            ]
                        })
                        .collect(),
                },
                Block::Heading("Staff support and de-briefing".into()),
                para(&c.staff_support),
            ]);
            Document { title: title(&format!("Individual Management Review, {agency_name}")), blocks }
        }
        Kind::Chronology => {
            let entries = records::combined_entries(db, r.id).await?;
            Document {
                title: title("Combined chronology"),
                blocks: vec![
                    Block::Paragraph(format!("{} entries from the submitted IMRs, in time order.", entries.len())),
                    chronology_table(&entries, &agencies, people),
                ],
            }
        }
        Kind::OverviewReport => {
            let v = records::versions(db, r.id, Doc::OverviewReport).await?;
            let latest = v.last().ok_or(ApiError::NotFound)?;
            let mut blocks = vec![Block::Paragraph(format!("Version {}", latest.version))];
            for (k, s) in ReportSection::ALL.iter().enumerate() {
                blocks.push(Block::Heading(s.title().to_owned()));
                blocks.push(para(latest.sections.get(k)));
                if *s == ReportSection::Facts {
                    blocks.push(Block::Heading("Genogram: the family and the household".into()));
                    blocks.push(family_table(db, r.id, people).await?);
                    blocks.push(Block::Heading("Integrated chronology".into()));
                    let entries = records::combined_entries(db, r.id).await?;
                    blocks.push(chronology_table(&entries, &agencies, people));
                }
            }
            Document { title: title("Overview report"), blocks }
        }
        Kind::ExecutiveSummary => {
            let v = records::versions(db, r.id, Doc::ExecutiveSummary).await?;
            let latest = v.last().ok_or(ApiError::NotFound)?;
            let mut blocks = vec![Block::Paragraph(format!("Version {}", latest.version))];
            for (k, s) in SummarySection::ALL.iter().enumerate() {
                blocks.push(Block::Heading(s.title().to_owned()));
                blocks.push(para(latest.sections.get(k)));
            }
            Document { title: title("Executive summary"), blocks }
        }
        Kind::ActionPlan => {
            let agency_name =
                |id: i32| agencies.iter().find(|g| g.id == id).map_or_else(String::new, |g| g.name.clone());
            let date = |d: chrono::NaiveDate| d.format("%d/%m/%Y").to_string();
            // The agencies' own plans: the recommendations of every IMR the caller reads in full.
            let imrs = imr::Entity::find()
                .filter(imr::Column::ReviewId.eq(r.id))
                .order_by_asc(imr::Column::Id)
                .all(db)
                .await?;
            let mut recommended = Vec::new();
            for i in &imrs {
                if a.imr_view(i.agency_id, status_of(i)?.is_submitted()) != ImrView::Content {
                    continue;
                }
                for x in content_of(i)?.recommendations {
                    recommended.push(vec![
                        agency_name(i.agency_id),
                        x.action,
                        x.owner_agency.map_or_else(String::new, |o| agency_name(o.0)),
                        x.due.map(date).unwrap_or_default(),
                        x.intended_outcome,
                        x.success_measure,
                    ]);
                }
            }
            let actions = action::Entity::find()
                .filter(action::Column::ReviewId.eq(r.id))
                .order_by_asc(action::Column::Id)
                .all(db)
                .await?;
            let agreed: Vec<Vec<String>> = actions
                .iter()
                .filter(|x| shared::policy::action_visible(&a.capacities, caller, shared::UserId(x.owner_id)))
                .map(|x| -> ApiResult<Vec<String>> {
                    let status =
                        crate::stored::value("action status", &x.status, shared::completion::ActionStatus::parse)?;
                    Ok(vec![
                        agency_name(x.agency_id),
                        x.recommendation.clone(),
                        date(x.due_on),
                        x.intended_outcome.clone(),
                        x.success_measure.clone(),
                        status.title().to_owned(),
                    ])
                })
                .collect::<ApiResult<_>>()?;
            let headers = |h: &[&str]| h.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
            let mut blocks = vec![
                Block::Heading("Recommendations of the Individual Management Reviews".into()),
                Block::Table {
                    headers: headers(&["IMR of", "Action", "Owner", "Due", "Intended outcome", "Measure of success"]),
                    rows: recommended,
                },
                Block::Heading("Actions agreed by the board".into()),
            ];
            blocks.push(if agreed.is_empty() {
                Block::Paragraph("None agreed yet: the plan is agreed after Ofsted's evaluation.".into())
            } else {
                Block::Table {
                    headers: headers(&["Agency", "Action", "Due", "Intended outcome", "Measure of success", "Status"]),
                    rows: agreed,
                }
            });
            Document { title: title("Action plan"), blocks }
        }
    })
}

/// The submission package to Ofsted and the Department for Education (11.17): every IMR
/// the caller may read in full, the combined chronology, the overview report, the
/// executive summary and the action plan, each built for outside use (so each passes
/// the anonymisation gate, or the whole package is refused with the names found), as
/// PDF files in one ZIP archive.
/// Returns the review's reference with the archive.
pub async fn submission_package(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
) -> ApiResult<(String, Vec<u8>)> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::ExportForOutside)?;
    let imrs =
        imr::Entity::find().filter(imr::Column::ReviewId.eq(review_id)).order_by_asc(imr::Column::Id).all(db).await?;
    let mut kinds: Vec<Kind> = Vec::new();
    for i in &imrs {
        if status_of(i)?.is_submitted() && a.imr_view(i.agency_id, true) == ImrView::Content {
            kinds.push(Kind::Imr(i.id));
        }
    }
    kinds.extend([Kind::Chronology, Kind::OverviewReport, Kind::ExecutiveSummary, Kind::ActionPlan]);
    let mut docs = Vec::new();
    for kind in kinds {
        let doc = match build(db, caller, review_id, kind, Purpose::Outside).await {
            Err(ApiError::NotFound) => {
                return Err(ApiError::invalid(
                    "document",
                    format!("The {} is not written yet", kind.slug().replace('-', " ")),
                ));
            }
            other => other?,
        };
        let name = match kind {
            Kind::Imr(id) => format!("{:02}-imr-{id}.pdf", docs.len() + 1),
            _ => format!("{:02}-{}.pdf", docs.len() + 1, kind.slug()),
        };
        docs.push((name, doc));
    }
    let reference = a.review.reference.clone();
    let folder = reference.clone();
    let bytes = tokio::task::spawn_blocking(move || zip_of(&folder, &docs)).await.map_err(ApiError::internal)??;
    Ok((reference, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_a_spreadsheet_would_run_are_written_as_text() {
        assert_eq!(csv_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_safe("-2+3"), "'-2+3");
        assert_eq!(csv_safe("Home visit"), "Home visit");
    }

    #[test]
    fn a_document_without_a_table_has_no_csv() {
        let d = Document { title: "t".into(), blocks: vec![Block::Paragraph("p".into())] };
        assert!(render(&d, Format::Csv).is_err());
    }
}
