//! The people of a review and what is recorded of their family: people with their
//! labels, ties between them, households, parallel processes (trials, inquests) and
//! the family's contributions. Steps of any phase up to the overview report.

pub mod graphql;

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, SqlErr};
use shared::policy::Operation;
use shared::stage::Relationship;
use shared::value::Text;

use crate::access;
use crate::context::Caller;
use crate::entities::*;
use crate::errors::{ApiError, ApiResult};
use crate::register::{NewPerson, label_gate, parse_person, unique_label};
use crate::step::{Problems, Step, not_in_future};

/// Adds a person to a review (a sibling, a carer, a professional...).
pub async fn add_person(db: &DatabaseConnection, caller: &Caller, review_id: i32, p: NewPerson) -> ApiResult<i32> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::RecordPeople)?;
    let people = person::Entity::find().filter(person::Column::ReviewId.eq(review_id)).all(db).await?;
    let mut problems = Problems::default();
    let parsed = parse_person(&p, "input", &mut problems);
    let gate = label_gate(&people, &[&p])?;
    if let Some(problem) = p.label.as_deref().and_then(|l| gate.label_problem(l)) {
        problems.push("input.label", problem);
    }
    if let Some(ag) = p.agency_id {
        if p.relationship != Relationship::Professional {
            problems.push("input.agencyId", "Only a professional is recorded with an agency");
        } else if agency::Entity::find_by_id(ag).one(db).await?.is_none() {
            problems.push("input.agencyId", "No such agency");
        }
    }
    if p.relationship == Relationship::Child && people.iter().any(|x| x.relationship == Relationship::Child.as_str()) {
        problems
            .push("input.relationship", "The review already has its child: record brothers and sisters as siblings");
    }
    problems.finish()?;
    let Some((name, aliases, address)) = parsed else { return Err(ApiError::invalid("input.name", "Enter a name")) };
    let aliases = serde_json::to_string(&aliases).map_err(ApiError::internal)?;
    // Two people added at once may both be given the next free label ("Sibling 2"):
    // the unique index refuses the second, whose step then takes the label after it.
    for _ in 0..8 {
        let step = Step::begin(db, caller, &a, Operation::RecordPeople).await?;
        let labels: Vec<String> = person::Entity::find()
            .filter(person::Column::ReviewId.eq(review_id))
            .all(step.txn())
            .await?
            .into_iter()
            .map(|x| x.label)
            .collect();
        let inserted = person::ActiveModel {
            review_id: Set(review_id),
            label: Set(unique_label(p.label.as_deref(), p.relationship, &labels)),
            relationship: Set(p.relationship.as_str().to_owned()),
            name: Set(name.clone()),
            aliases: Set(aliases.clone()),
            date_of_birth: Set(p.date_of_birth),
            address: Set(address.clone()),
            agency_id: Set(p.agency_id),
            ..Default::default()
        }
        .insert(step.txn())
        .await;
        match inserted {
            Ok(row) => {
                step.done("person", row.id).await?;
                return Ok(row.id);
            }
            // Dropping the step rolls its transaction back.
            Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::Conflict { current: a.review.version })
}

/// Records a tie between two people of the review, refusing one that would make the
/// genogram impossible to draw.
pub async fn add_relationship(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    from: i32,
    to: i32,
    tie: shared::genogram::Tie,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::RecordPeople)?;
    let people = person::Entity::find().filter(person::Column::ReviewId.eq(review_id)).all(db).await?;
    let mut problems = Problems::default();
    for (field, id) in [("fromPersonId", from), ("toPersonId", to)] {
        if !people.iter().any(|p| p.id == id) {
            problems.push(field, "No such person in this review");
        }
    }
    problems.finish()?;
    let existing: Vec<shared::genogram::Link> = relationship::Entity::find()
        .filter(relationship::Column::ReviewId.eq(review_id))
        .all(db)
        .await?
        .iter()
        .map(|r| -> ApiResult<shared::genogram::Link> {
            Ok(shared::genogram::Link {
                from: r.from_person_id,
                to: r.to_person_id,
                tie: crate::stored::value("relationship tie", &r.tie, shared::genogram::Tie::parse)?,
            })
        })
        .collect::<ApiResult<_>>()?;
    shared::genogram::check_link(shared::genogram::Link { from, to, tie }, &existing)?;
    let step = Step::begin(db, caller, &a, Operation::RecordPeople).await?;
    let row = relationship::ActiveModel {
        review_id: Set(review_id),
        from_person_id: Set(from),
        to_person_id: Set(to),
        tie: Set(tie.as_str().to_owned()),
        ..Default::default()
    }
    .insert(step.txn())
    .await?;
    step.done("relationship", row.id).await?;
    Ok(())
}

/// Names a household ("Household 1") and who lives in it, replacing its members if it
/// exists.
pub async fn set_household(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    label: &str,
    members: &[i32],
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::RecordPeople)?;
    let people = person::Entity::find().filter(person::Column::ReviewId.eq(review_id)).all(db).await?;
    let mut problems = Problems::default();
    let label = label.trim();
    if label.is_empty() || label.chars().count() > 60 {
        problems.push("label", "A household's label must be 1 to 60 characters");
    } else if let Some(problem) = label_gate(&people, &[])?.label_problem(label) {
        problems.push("label", problem);
    }
    for (i, id) in members.iter().enumerate() {
        if !people.iter().any(|p| p.id == *id) {
            problems.push(format!("personIds.{i}"), "No such person in this review");
        }
    }
    problems.finish()?;
    let existing = household::Entity::find()
        .filter(household::Column::ReviewId.eq(review_id))
        .filter(household::Column::Label.eq(label))
        .one(db)
        .await?;
    let step = Step::begin(db, caller, &a, Operation::RecordPeople).await?;
    let h = match existing {
        Some(h) => h,
        None => {
            household::ActiveModel { review_id: Set(review_id), label: Set(label.to_owned()), ..Default::default() }
                .insert(step.txn())
                .await?
        }
    };
    household_member::Entity::delete_many()
        .filter(household_member::Column::HouseholdId.eq(h.id))
        .exec(step.txn())
        .await?;
    let mut unique: Vec<i32> = members.to_vec();
    unique.sort();
    unique.dedup();
    for pid in unique {
        household_member::ActiveModel { household_id: Set(h.id), person_id: Set(pid), ..Default::default() }
            .insert(step.txn())
            .await?;
    }
    step.done("household", h.id).await?;
    Ok(())
}

/// Records a process running beside the review (criminal proceedings, an inquest...).
pub async fn record_parallel_process(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    kind: shared::stage::ParallelProcessKind,
    status: shared::stage::ProcessStatus,
    description: &str,
    expected_end: Option<NaiveDate>,
) -> ApiResult<i32> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::RecordParallelProcess)?;
    let description = Text::parse("description", description)?;
    let step = Step::begin(db, caller, &a, Operation::RecordParallelProcess).await?;
    let row = parallel_process::ActiveModel {
        review_id: Set(review_id),
        kind: Set(kind.as_str().to_owned()),
        status: Set(status.as_str().to_owned()),
        description: Set(description.into_inner()),
        expected_end: Set(expected_end),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(step.txn())
    .await?;
    step.done("parallel_process", row.id).await?;
    Ok(row.id)
}

/// Moves a parallel process on: its status and expected end.
pub async fn update_parallel_process(
    db: &DatabaseConnection,
    caller: &Caller,
    process_id: i32,
    status: shared::stage::ProcessStatus,
    expected_end: Option<NaiveDate>,
) -> ApiResult<i32> {
    let p = parallel_process::Entity::find_by_id(process_id).one(db).await?.ok_or(ApiError::NotFound)?;
    let a = access::for_review(db, caller, p.review_id).await?;
    a.require(Operation::RecordParallelProcess)?;
    let step = Step::begin(db, caller, &a, Operation::RecordParallelProcess).await?;
    let mut am: parallel_process::ActiveModel = p.into();
    am.status = Set(status.as_str().to_owned());
    am.expected_end = Set(expected_end);
    am.updated_at = Set(Utc::now());
    let saved = am.update(step.txn()).await?;
    step.done("parallel_process", saved.id).await?;
    Ok(saved.review_id)
}

/// Records what a family member contributed to the review, and how.
pub async fn record_family_contribution(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    person_id: Option<i32>,
    contributed_on: NaiveDate,
    method: shared::stage::ContributionMethod,
    summary: &str,
) -> ApiResult<i32> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::RecordFamilyContribution)?;
    let mut problems = Problems::default();
    let summary = problems.check(Text::parse("summary", summary));
    problems.check(not_in_future("contributedOn", contributed_on));
    if let Some(pid) = person_id {
        let found = person::Entity::find_by_id(pid).one(db).await?;
        if found.is_none_or(|p| p.review_id != review_id) {
            problems.push("personId", "No such person in this review");
        }
    }
    problems.finish()?;
    let summary = summary.map(Text::into_inner).unwrap_or_default();
    let step = Step::begin(db, caller, &a, Operation::RecordFamilyContribution).await?;
    let row = family_contribution::ActiveModel {
        review_id: Set(review_id),
        person_id: Set(person_id),
        contributed_on: Set(contributed_on),
        method: Set(method.as_str().to_owned()),
        summary: Set(summary),
        recorded_by: Set(caller.user.id),
        ..Default::default()
    }
    .insert(step.txn())
    .await?;
    step.done("family_contribution", row.id).await?;
    Ok(row.id)
}
