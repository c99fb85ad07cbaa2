//! Chronology entries (stage 9): added, corrected and deleted by an IMR's author while
//! it is a draft, and linked by the panel where two describe the same event.

use super::*;

/// A chronology entry as typed by its author: the shared rules' entry, whose `id` and
/// `agency` the server sets from the IMR it is added to.
pub type NewEntry = chronology::Entry;

pub(super) async fn check_entry(db: &impl ConnectionTrait, review_id: i32, e: &NewEntry) -> ApiResult<()> {
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

pub(super) fn entry_model(e: NewEntry) -> chronology_entry::ActiveModel {
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

pub(super) async fn authored_entry(
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
