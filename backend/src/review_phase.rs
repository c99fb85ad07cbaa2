//! The review phase (SPEC stages 8 to 12) as database operations: IMRs requested,
//! authored, submitted and decided; their chronologies merged into one; the overview
//! report and the executive summary written in versions. Like `services`, nothing
//! here knows of HTTP or GraphQL: each function checks the caller through the policy,
//! validates with the `shared` rules and changes the records in one transaction with
//! its audit entry.

use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use shared::chronology::{self, Precision, When};
use shared::deadline::DeadlineKind;
use shared::imr::{Content, ImrStatus, Recommendation};
use shared::independence::{Candidate, Post, independence_failures};
use shared::policy::{Field, ImrView, Operation};
use shared::report::{ReportSection, Sections, SummarySection};
use shared::role::Assignment;
use shared::stage::Stage;
use shared::value::Text;
use shared::{AgencyId, ValidationError};

use crate::access::{self, ReviewAccess};
use crate::context::Caller;
use crate::entities::*;
use crate::errors::{ApiError, ApiResult};
use crate::step::{Problems, Step, log, mark_met, on_duplicate, today};

/// A chronology entry as typed by its author: the shared rules' entry, whose `id` and
/// `agency` the server sets from the IMR it is added to.
pub type NewEntry = chronology::Entry;

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

/// The IMR and the caller's standing, once the caller may take `op` on it: refused
/// by role and stage first, then `NOT_FOUND` for an IMR the caller may not see.
async fn imr_for(
    db: &DatabaseConnection,
    caller: &Caller,
    imr_id: i32,
    op: Operation,
) -> ApiResult<(imr::Model, ReviewAccess)> {
    let i = imr::Entity::find_by_id(imr_id).one(db).await?.ok_or(ApiError::NotFound)?;
    let a = access::for_review(db, caller, i.review_id).await?;
    a.require_for_agency(op, i.agency_id)?;
    if a.imr_view(i.agency_id, status_of(&i)?.is_submitted()) == ImrView::Hidden {
        return Err(ApiError::NotFound);
    }
    Ok((i, a))
}

/// The IMR as its designated author may change it now.
async fn authored_imr(db: &DatabaseConnection, caller: &Caller, imr_id: i32) -> ApiResult<(imr::Model, ReviewAccess)> {
    let (i, a) = imr_for(db, caller, imr_id, Operation::WriteImr).await?;
    if i.author_id != Some(caller.user.id) {
        return Err(ApiError::Forbidden("an IMR you were not designated to write".into()));
    }
    let status = status_of(&i)?;
    if status == ImrStatus::AuthorDesignated {
        return Err(ApiError::invalid("declaration", "Declare your independence before writing the IMR"));
    }
    if !status.is_editable() {
        return Err(ApiError::invalid("status", format!("The IMR cannot be changed now: {}", status.title())));
    }
    Ok((i, a))
}

/// Stage 8: the business manager asks each of `agency_ids` for an IMR, due when the
/// review's IMR deadline falls (6 weeks after the decision).
pub async fn request_imrs(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    agency_ids: &[i32],
) -> ApiResult<Vec<i32>> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::RequestImr)?;
    if agency_ids.is_empty() {
        return Err(ApiError::invalid("agencyIds", "Choose at least one agency"));
    }
    let involved = review_agency::Entity::find().filter(review_agency::Column::ReviewId.eq(review_id)).all(db).await?;
    let existing = imr::Entity::find().filter(imr::Column::ReviewId.eq(review_id)).all(db).await?;
    let mut problems = Problems::default();
    for (n, id) in agency_ids.iter().enumerate() {
        if !involved.iter().any(|x| x.agency_id == *id) {
            problems.push(format!("agencyIds.{n}"), "Not an agency involved in this review");
        } else if existing.iter().any(|x| x.agency_id == *id) || agency_ids[..n].contains(id) {
            problems.push(format!("agencyIds.{n}"), "An IMR is already requested from this agency");
        }
    }
    problems.finish()?;
    let due = deadline::Entity::find()
        .filter(deadline::Column::ReviewId.eq(review_id))
        .filter(deadline::Column::Kind.eq(DeadlineKind::ImrSubmission.as_str()))
        .one(db)
        .await?
        .map(|d| d.due_on)
        .unwrap_or_else(|| a.review.decided_on.unwrap_or_else(today) + chrono::Duration::weeks(6));
    let mut step = Step::begin(db, caller, &a, Operation::RequestImr).await?;
    let version = step.move_to(Stage::ImrsRequested).await?;
    let mut ids = Vec::new();
    let now = Utc::now();
    for (n, agency_id) in agency_ids.iter().enumerate() {
        let row = imr::ActiveModel {
            review_id: Set(review_id),
            agency_id: Set(*agency_id),
            status: Set(ImrStatus::Requested.as_str().to_owned()),
            due_on: Set(due),
            requested_by: Set(caller.user.id),
            requested_at: Set(now),
            author_id: Set(None),
            designated_by: Set(None),
            declared_at: Set(None),
            version: Set(0),
            content: Set(serde_json::to_string(&Content::default()).map_err(ApiError::internal)?),
            submitted_at: Set(None),
            panel_comments: Set(None),
            decided_by: Set(None),
            decided_at: Set(None),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(step.txn())
        .await
        .map_err(|e| on_duplicate(e, || ApiError::Conflict { current: version }))?;
        // One audit entry per IMR requested; done() writes the last one.
        if n + 1 < agency_ids.len() {
            log(step.txn(), caller, Operation::RequestImr, "imr", row.id, review_id, Some(version)).await?;
        }
        ids.push(row.id);
    }
    let Some(&last) = ids.last() else {
        return Err(ApiError::invalid("agencyIds", "Choose at least one agency"));
    };
    step.done("imr", last).await?;
    Ok(ids)
}

/// The agency manager designates who writes the agency's IMR. The author must work
/// for the agency; a new designation replaces the previous author, whose
/// independence declaration lapses with it.
pub async fn designate_imr_author(
    db: &DatabaseConnection,
    caller: &Caller,
    imr_id: i32,
    user_id: i32,
) -> ApiResult<()> {
    let (i, a) = imr_for(db, caller, imr_id, Operation::DesignateImrAuthor).await?;
    let status = status_of(&i)?;
    if !matches!(status, ImrStatus::Requested | ImrStatus::AuthorDesignated | ImrStatus::InProgress) {
        return Err(ApiError::invalid("status", format!("The author cannot be changed now: {}", status.title())));
    }
    let u = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .filter(|u| u.active)
        .ok_or_else(|| ApiError::invalid("userId", "No active user has that id"))?;
    if u.agency_id != Some(i.agency_id) {
        return Err(ApiError::invalid("userId", "The IMR author must work for the agency"));
    }
    let step = Step::begin(db, caller, &a, Operation::DesignateImrAuthor).await?;
    if let Some(previous) = i.author_id {
        review_assignment::Entity::delete_many()
            .filter(review_assignment::Column::ReviewId.eq(i.review_id))
            .filter(review_assignment::Column::UserId.eq(previous))
            .filter(review_assignment::Column::Assignment.eq(Assignment::ImrAuthor.as_str()))
            .filter(review_assignment::Column::AgencyId.eq(i.agency_id))
            .exec(step.txn())
            .await?;
    }
    review_assignment::ActiveModel {
        review_id: Set(i.review_id),
        user_id: Set(user_id),
        assignment: Set(Assignment::ImrAuthor.as_str().to_owned()),
        agency_id: Set(Some(i.agency_id)),
        appointed_by: Set(caller.user.id),
        appointed_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(step.txn())
    .await?;
    let mut am: imr::ActiveModel = i.into();
    am.author_id = Set(Some(user_id));
    am.designated_by = Set(Some(caller.user.id));
    am.declared_at = Set(None);
    am.status = Set(ImrStatus::AuthorDesignated.as_str().to_owned());
    am.updated_at = Set(Utc::now());
    let saved = am.update(step.txn()).await?;
    crate::notify::tell(
        step.txn(),
        user_id,
        step.review(),
        "appointment",
        "You are your agency's IMR author: declare your independence to start".to_owned(),
        format!("/reviews/{}/imrs/{}", saved.review_id, saved.id),
    )
    .await?;
    step.done("imr", saved.id).await?;
    Ok(())
}

/// The designated author declares independence (SPEC 3): no direct involvement with
/// the child or family, no line management of the practitioners. A declaration that
/// fails is refused with each reason, and the author may not write.
pub async fn declare_independence(
    db: &DatabaseConnection,
    caller: &Caller,
    imr_id: i32,
    direct_involvement: bool,
    line_manages_practitioners: bool,
) -> ApiResult<()> {
    let (i, a) = imr_for(db, caller, imr_id, Operation::WriteImr).await?;
    if i.author_id != Some(caller.user.id) {
        return Err(ApiError::Forbidden("an IMR you were not designated to write".into()));
    }
    if status_of(&i)? != ImrStatus::AuthorDesignated {
        return Err(ApiError::invalid("status", "Independence is already declared for this IMR"));
    }
    let facts = Candidate { direct_involvement, line_manages_practitioners, ..Default::default() };
    let failures = independence_failures(Post::ImrAuthor, &facts);
    if !failures.is_empty() {
        return Err(ApiError::Validation(
            failures
                .iter()
                .map(|f| {
                    let field = match f {
                        shared::independence::IndependenceFailure::DirectInvolvement => "directInvolvement",
                        _ => "lineManagesPractitioners",
                    };
                    ValidationError::new(
                        field,
                        format!("{}: ask your agency manager to designate another author", f.title()),
                    )
                })
                .collect(),
        ));
    }
    let step = Step::begin(db, caller, &a, Operation::WriteImr).await?;
    let mut am: imr::ActiveModel = i.into();
    am.declared_at = Set(Some(Utc::now()));
    am.status = Set(ImrStatus::InProgress.as_str().to_owned());
    am.updated_at = Set(Utc::now());
    let saved = am.update(step.txn()).await?;
    step.done("imr", saved.id).await?;
    Ok(())
}

fn check_len(problems: &mut Problems, field: &str, s: &str) {
    if s.chars().count() > Text::MAX_CHARS {
        problems.push(field, format!("Keep this under {} characters", Text::MAX_CHARS));
    }
}

/// Saves a new version of the IMR's written sections. `expected_version` is the
/// version the author started from; a save that lost the race is refused with
/// `CONFLICT` and the stored text is left as it was, so the author can merge.
pub async fn save_imr(
    db: &DatabaseConnection,
    caller: &Caller,
    imr_id: i32,
    expected_version: i32,
    mut content: Content,
) -> ApiResult<i32> {
    let (i, a) = authored_imr(db, caller, imr_id).await?;
    let n = shared::imr::ANALYSIS_QUESTIONS.len();
    let mut problems = Problems::default();
    if content.analysis.len() > n {
        problems.push("analysis", format!("There are {n} analysis questions"));
    }
    content.analysis.resize(n, String::new());
    for (field, s) in [
        ("summary", &content.summary),
        ("lessons", &content.lessons),
        ("goodPractice", &content.good_practice),
        ("staffSupport", &content.staff_support),
    ] {
        check_len(&mut problems, field, s);
    }
    for (k, s) in content.analysis.iter().enumerate() {
        check_len(&mut problems, &format!("analysis.{k}"), s);
    }
    let agencies: Vec<i32> = agency::Entity::find().all(db).await?.iter().map(|x| x.id).collect();
    for (k, r) in content.recommendations.iter().enumerate() {
        if r.owner_agency.is_some_and(|x| !agencies.contains(&x.0)) {
            problems.push(format!("recommendations.{k}.ownerAgencyId"), "No such agency");
        }
        for (part, s) in
            [("action", &r.action), ("intendedOutcome", &r.intended_outcome), ("successMeasure", &r.success_measure)]
        {
            check_len(&mut problems, &format!("recommendations.{k}.{part}"), s);
        }
    }
    problems.finish()?;
    let json = serde_json::to_string(&content).map_err(ApiError::internal)?;
    let step = Step::begin(db, caller, &a, Operation::WriteImr).await?;
    let version = expected_version + 1;
    let res = imr::Entity::update_many()
        .col_expr(imr::Column::Content, Expr::value(json.clone()))
        .col_expr(imr::Column::Version, Expr::value(version))
        .col_expr(imr::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(imr::Column::Id.eq(i.id))
        .filter(imr::Column::Version.eq(expected_version))
        .exec(step.txn())
        .await?;
    if res.rows_affected != 1 {
        return Err(ApiError::Conflict { current: i.version });
    }
    imr_version::ActiveModel {
        imr_id: Set(i.id),
        version: Set(version),
        content: Set(json),
        saved_by: Set(caller.user.id),
        saved_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(step.txn())
    .await
    .map_err(|e| on_duplicate(e, || ApiError::Conflict { current: version }))?;
    step.done("imr", i.id).await?;
    Ok(version)
}

async fn check_entry(db: &impl ConnectionTrait, review_id: i32, e: &NewEntry) -> ApiResult<()> {
    let mut problems = Problems::default();
    for p in chronology::entry_problems(e, today()) {
        problems.push(p.field, p.message);
    }
    for (field, s) in [
        ("practitionerRole", &e.practitioner_role),
        ("event", &e.event),
        ("decisionOrAction", &e.decision_or_action),
        ("source", &e.source),
    ] {
        check_len(&mut problems, field, s);
    }
    if !e.people.is_empty() {
        let found = person::Entity::find()
            .filter(person::Column::ReviewId.eq(review_id))
            .filter(person::Column::Id.is_in(e.people.clone()))
            .count(db)
            .await?;
        let mut distinct = e.people.clone();
        distinct.sort();
        distinct.dedup();
        if found as usize != distinct.len() {
            problems.push("people", "Choose people recorded in this review");
        }
    }
    problems.finish()
}

fn entry_model(e: NewEntry) -> chronology_entry::ActiveModel {
    let d = e.when.date;
    let date = match e.when.precision {
        Precision::Exact => d,
        Precision::Month => d.with_day0(0).unwrap_or(d),
        Precision::Year => NaiveDate::from_ymd_opt(d.year(), 1, 1).unwrap_or(d),
    };
    let mut people = e.people;
    people.sort();
    people.dedup();
    chronology_entry::ActiveModel {
        on_date: Set(date),
        at_time: Set(e.when.time),
        precision: Set(e.when.precision.as_str().to_owned()),
        sequence: Set(e.sequence),
        practitioner_role: Set(e.practitioner_role.trim().to_owned()),
        event: Set(e.event.trim().to_owned()),
        decision_or_action: Set(e.decision_or_action.trim().to_owned()),
        child_seen: Set(e.child_seen),
        seen_alone: Set(e.seen_alone),
        wishes_sought: Set(e.wishes_sought),
        perpetrator_contact: Set(e.perpetrator_contact),
        source: Set(e.source.trim().to_owned()),
        people: Set(serde_json::to_string(&people).unwrap_or_else(|_| "[]".into())),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
}

/// Adds an entry to the IMR's chronology.
pub async fn add_entry(db: &DatabaseConnection, caller: &Caller, imr_id: i32, e: NewEntry) -> ApiResult<i32> {
    let (i, a) = authored_imr(db, caller, imr_id).await?;
    check_entry(db, i.review_id, &e).await?;
    let step = Step::begin(db, caller, &a, Operation::WriteImr).await?;
    let mut am = entry_model(e);
    am.review_id = Set(i.review_id);
    am.imr_id = Set(i.id);
    am.agency_id = Set(i.agency_id);
    am.version = Set(1);
    let row = am.insert(step.txn()).await?;
    step.done("chronology_entry", row.id).await?;
    Ok(row.id)
}

async fn authored_entry(
    db: &DatabaseConnection,
    caller: &Caller,
    entry_id: i32,
    expected_version: i32,
) -> ApiResult<(chronology_entry::Model, imr::Model, ReviewAccess)> {
    let entry = chronology_entry::Entity::find_by_id(entry_id).one(db).await?.ok_or(ApiError::NotFound)?;
    let (i, a) = authored_imr(db, caller, entry.imr_id).await?;
    if entry.version != expected_version {
        return Err(ApiError::Conflict { current: entry.version });
    }
    Ok((entry, i, a))
}

/// Changes an entry; refused with `CONFLICT` when it changed since `expected_version`.
/// Returns the review's id.
pub async fn update_entry(
    db: &DatabaseConnection,
    caller: &Caller,
    entry_id: i32,
    expected_version: i32,
    e: NewEntry,
) -> ApiResult<i32> {
    let (entry, i, a) = authored_entry(db, caller, entry_id, expected_version).await?;
    check_entry(db, i.review_id, &e).await?;
    let step = Step::begin(db, caller, &a, Operation::WriteImr).await?;
    let mut am = entry_model(e);
    am.id = sea_orm::ActiveValue::Unchanged(entry.id);
    am.version = Set(expected_version + 1);
    let res = chronology_entry::Entity::update_many()
        .set(am)
        .filter(chronology_entry::Column::Id.eq(entry.id))
        .filter(chronology_entry::Column::Version.eq(expected_version))
        .exec(step.txn())
        .await?;
    if res.rows_affected != 1 {
        return Err(ApiError::Conflict { current: expected_version + 1 });
    }
    step.done("chronology_entry", entry.id).await?;
    Ok(i.review_id)
}

/// Removes an entry the author no longer wants; refused when it changed meanwhile.
pub async fn delete_entry(
    db: &DatabaseConnection,
    caller: &Caller,
    entry_id: i32,
    expected_version: i32,
) -> ApiResult<i32> {
    let (entry, i, a) = authored_entry(db, caller, entry_id, expected_version).await?;
    let step = Step::begin(db, caller, &a, Operation::WriteImr).await?;
    let res = chronology_entry::Entity::delete_many()
        .filter(chronology_entry::Column::Id.eq(entry.id))
        .filter(chronology_entry::Column::Version.eq(expected_version))
        .exec(step.txn())
        .await?;
    if res.rows_affected != 1 {
        return Err(ApiError::Conflict { current: expected_version + 1 });
    }
    step.done("chronology_entry", entry.id).await?;
    Ok(i.review_id)
}

/// Everything that stops the IMR from being submitted as it stands.
pub async fn submission_problems(db: &impl ConnectionTrait, i: &imr::Model) -> ApiResult<Vec<ValidationError>> {
    let entries = chronology_entry::Entity::find().filter(chronology_entry::Column::ImrId.eq(i.id)).count(db).await?;
    Ok(shared::imr::submission_problems(&content_of(i)?.draft(entries as usize), today()))
}

/// Stage 9: the author submits the IMR. Refused, listing every missing section,
/// while any is empty or a recommendation is not SMART.
pub async fn submit_imr(db: &DatabaseConnection, caller: &Caller, imr_id: i32, expected_version: i32) -> ApiResult<()> {
    let (i, a) = authored_imr(db, caller, imr_id).await?;
    if i.version != expected_version {
        return Err(ApiError::Conflict { current: i.version });
    }
    let problems = submission_problems(db, &i).await?;
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    let step = Step::begin(db, caller, &a, Operation::WriteImr).await?;
    let res = imr::Entity::update_many()
        .col_expr(imr::Column::Status, Expr::value(ImrStatus::Submitted.as_str()))
        .col_expr(imr::Column::SubmittedAt, Expr::value(Utc::now()))
        .col_expr(imr::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(imr::Column::Id.eq(i.id))
        .filter(imr::Column::Version.eq(expected_version))
        .exec(step.txn())
        .await?;
    if res.rows_affected != 1 {
        return Err(ApiError::Conflict { current: expected_version + 1 });
    }
    step.done("imr", i.id).await?;
    Ok(())
}

/// The panel accepts a submitted IMR, or returns it to the author with comments.
/// When the last requested IMR is accepted the review moves to "IMRs submitted" and
/// the IMR deadline is met.
pub async fn decide_imr(
    db: &DatabaseConnection,
    caller: &Caller,
    imr_id: i32,
    accept: bool,
    comments: Option<&str>,
) -> ApiResult<()> {
    let (i, a) = imr_for(db, caller, imr_id, Operation::DecideImr).await?;
    if status_of(&i)? != ImrStatus::Submitted {
        return Err(ApiError::invalid("status", "Only a submitted IMR can be accepted or returned"));
    }
    let comments = match comments.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => Some(Text::parse("comments", c)?.into_inner()),
        None if !accept => return Err(ApiError::invalid("comments", "Say what the author should revise")),
        None => None,
    };
    let others = imr::Entity::find()
        .filter(imr::Column::ReviewId.eq(i.review_id))
        .filter(imr::Column::Id.ne(i.id))
        .all(db)
        .await?;
    let mut all_accepted = accept;
    if accept {
        for o in &others {
            all_accepted &= status_of(o)? == ImrStatus::Accepted;
        }
    }
    let mut step = Step::begin(db, caller, &a, Operation::DecideImr).await?;
    if all_accepted {
        mark_met(step.txn(), i.review_id, DeadlineKind::ImrSubmission, today()).await?;
        step.move_to(Stage::ImrsSubmitted).await?;
    }
    let review_id = i.review_id;
    let mut am: imr::ActiveModel = i.into();
    am.status = Set(if accept { ImrStatus::Accepted } else { ImrStatus::Returned }.as_str().to_owned());
    am.panel_comments = Set(comments);
    am.decided_by = Set(Some(caller.user.id));
    am.decided_at = Set(Some(Utc::now()));
    am.updated_at = Set(Utc::now());
    let saved = am.update(step.txn()).await?;
    if let Some(author) = saved.author_id {
        let (kind, message) = if accept {
            ("approval", "The panel accepted your agency's IMR")
        } else {
            ("return", "The panel returned your agency's IMR with comments")
        };
        let path = format!("/reviews/{review_id}/imrs/{}", saved.id);
        crate::notify::tell(step.txn(), author, step.review(), kind, message.to_owned(), path).await?;
    }
    step.done("imr", saved.id).await?;
    Ok(())
}

/// The combined chronology: every submitted IMR's entries merged in time order, with
/// the gaps longer than `gap_days` and the suggested conflicts (SPEC 4).
pub struct Combined {
    pub entries: Vec<chronology::Entry>,
    pub gaps: Vec<chronology::Gap>,
    pub suggested: Vec<chronology::Suggestion>,
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

/// Merges, filters and marks the chronology. Gaps and suggestions are computed over the
/// filtered entries, so "no contact by health for 90 days" is one filter away.
pub fn combine(merged: Vec<chronology::Entry>, filter: &chronology::Filter, gap_days: i64) -> Combined {
    let entries: Vec<chronology::Entry> = merged.into_iter().filter(|e| filter.matches(e)).collect();
    let gaps = chronology::gaps(&entries, gap_days);
    let suggested = chronology::suggested_conflicts(&entries);
    Combined { entries, gaps, suggested }
}

/// The panel links two entries that describe the same event differently.
pub async fn link_entries(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    entry_a: i32,
    entry_b: i32,
    note: &str,
) -> ApiResult<i32> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::LinkChronologyEntries)?;
    if entry_a == entry_b {
        return Err(ApiError::invalid("entryB", "Choose two different entries"));
    }
    let note = Text::parse("note", note)?.into_inner();
    let combined: Vec<i32> = combined_entries(db, review_id).await?.iter().map(|e| e.id).collect();
    for (field, id) in [("entryA", entry_a), ("entryB", entry_b)] {
        if !combined.contains(&id) {
            return Err(ApiError::invalid(field, "No such entry in this review's combined chronology"));
        }
    }
    let (lo, hi) = (entry_a.min(entry_b), entry_a.max(entry_b));
    let step = Step::begin(db, caller, &a, Operation::LinkChronologyEntries).await?;
    let row = chronology_link::ActiveModel {
        review_id: Set(review_id),
        entry_a: Set(lo),
        entry_b: Set(hi),
        note: Set(note),
        linked_by: Set(caller.user.id),
        linked_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(step.txn())
    .await
    .map_err(|e| on_duplicate(e, || ApiError::invalid("entryB", "These entries are already linked")))?;
    step.done("chronology_link", row.id).await?;
    Ok(row.id)
}

/// Moves the review on: IMRs submitted -> combined chronology -> analysis -> overview report.
pub async fn advance_phase(db: &DatabaseConnection, caller: &Caller, review_id: i32, to: Stage) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::AdvancePhase)?;
    let next = match a.stage()? {
        Stage::ImrsSubmitted => Stage::CombinedChronology,
        Stage::CombinedChronology => Stage::Analysis,
        _ => Stage::OverviewReport,
    };
    if to != next {
        return Err(ApiError::invalid("to", format!("The next stage is \"{}\"", next.title())));
    }
    let mut step = Step::begin(db, caller, &a, Operation::AdvancePhase).await?;
    step.move_to(next).await?;
    step.done("review", review_id).await?;
    Ok(())
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
    fn operation(self) -> Operation {
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

/// Saves a new version of the overview report or the executive summary; a stale
/// `expected_version` is refused with `CONFLICT` and nothing is overwritten.
pub async fn save_document(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    doc: Doc,
    expected_version: i32,
    sections: Vec<String>,
) -> ApiResult<i32> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(doc.operation())?;
    if sections.len() != doc.sections() {
        return Err(ApiError::invalid(
            "sections",
            format!("Give all {} sections, empty where not written", doc.sections()),
        ));
    }
    let mut problems = Problems::default();
    for (k, s) in sections.iter().enumerate() {
        check_len(&mut problems, &format!("sections.{k}"), s);
    }
    problems.finish()?;
    let current = versions(db, review_id, doc).await?.last().map_or(0, |v| v.version);
    if current != expected_version {
        return Err(ApiError::Conflict { current });
    }
    let version = current + 1;
    let json = serde_json::to_string(&Sections(sections)).map_err(ApiError::internal)?;
    let step = Step::begin(db, caller, &a, doc.operation()).await?;
    let conflict = |e| on_duplicate(e, || ApiError::Conflict { current: version });
    let (now, me) = (Utc::now(), caller.user.id);
    let id = with_table!(doc, t => t::ActiveModel {
        review_id: Set(review_id),
        version: Set(version),
        sections: Set(json),
        saved_by: Set(me),
        saved_at: Set(now),
        ..Default::default()
    }
    .insert(step.txn())
    .await
    .map_err(conflict)?
    .id);
    let record = match doc {
        Doc::OverviewReport => "overview_report",
        Doc::ExecutiveSummary => "executive_summary",
    };
    step.done(record, id).await?;
    Ok(version)
}

/// A contributing agency confirms its information is fairly represented in version
/// `report_version` of the overview report (11.15); a newer version needs a new
/// confirmation.
pub async fn confirm_representation(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    agency_id: i32,
    report_version: i32,
    comment: Option<&str>,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require_for_agency(Operation::ConfirmRepresentation, agency_id)?;
    let contributed = imr::Entity::find()
        .filter(imr::Column::ReviewId.eq(review_id))
        .filter(imr::Column::AgencyId.eq(agency_id))
        .one(db)
        .await?;
    if contributed.is_none() {
        return Err(ApiError::invalid("agencyId", "The agency contributed no IMR to this review"));
    }
    let latest = versions(db, review_id, Doc::OverviewReport).await?.last().map_or(0, |v| v.version);
    if latest == 0 {
        return Err(ApiError::invalid("reportVersion", "No overview report has been saved"));
    }
    if latest != report_version {
        return Err(ApiError::Conflict { current: latest });
    }
    let comment = match comment.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => Some(Text::parse("comment", c)?.into_inner()),
        None => None,
    };
    let step = Step::begin(db, caller, &a, Operation::ConfirmRepresentation).await?;
    let row = report_confirmation::ActiveModel {
        review_id: Set(review_id),
        agency_id: Set(agency_id),
        report_version: Set(report_version),
        comment: Set(comment),
        confirmed_by: Set(caller.user.id),
        confirmed_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(step.txn())
    .await
    .map_err(|e| on_duplicate(e, || ApiError::invalid("agencyId", "The agency has already confirmed this version")))?;
    step.done("report_confirmation", row.id).await?;
    Ok(())
}

/// Recommendations as the API takes them.
pub fn recommendation(
    action: String,
    owner_agency_id: Option<i32>,
    due: Option<NaiveDate>,
    intended_outcome: String,
    success_measure: String,
) -> Recommendation {
    Recommendation { action, owner_agency: owner_agency_id.map(AgencyId), due, intended_outcome, success_measure }
}
