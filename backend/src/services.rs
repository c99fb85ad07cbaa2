//! The decision phase (SPEC stages 1 to 7) as database operations. Nothing here
//! knows of HTTP or GraphQL: each function checks the caller's access through the
//! policy, validates with the `shared` rules, changes the records in one
//! transaction with its audit entry, and returns what changed.

use chrono::{Duration, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set,
    SqlErr, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use shared::criteria::{self, Category, ReferralFacts};
use shared::deadline::{Anchor, DeadlineKind, ProcedureProfile};
use shared::independence::{Candidate, Post, independence_failures};
use shared::lead_board::{ResidenceFacts, lead_board};
use shared::policy::{self, Grant, Operation};
use shared::role::{Assignment, Role};
use shared::stage::{ChecklistItem, NoReviewOutcome, Relationship, Stage};
use shared::value::{Email, PersonName, Text, check_new_password};
use shared::{BoardId, ValidationError};

use crate::access;
use crate::audit::{self, Entry};
use crate::auth;
use crate::context::Caller;
use crate::entities::*;
use crate::errors::{ApiError, ApiResult};
use crate::step::{Problems, Step, log, mark_met, not_in_future, on_duplicate, today};

/// One answer of the terms of reference as stored.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StoredAnswer {
    pub text: Option<String>,
    pub not_applicable: bool,
}

/// A person named in a referral.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub relationship: Relationship,
    pub label: Option<String>,
    pub name: String,
    pub aliases: Vec<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub address: Option<String>,
    /// For a professional, the agency they work for.
    pub agency_id: Option<i32>,
}

/// A referral as submitted.
#[derive(Debug, Clone)]
pub struct NewReferral {
    pub child: NewPerson,
    pub family: Vec<NewPerson>,
    pub circumstances: String,
    pub facts: ReferralFacts,
    pub normal_residence_board_id: i32,
    pub looked_after_by_board_id: Option<i32>,
    pub other_involved_board_ids: Vec<i32>,
    pub involved_agency_ids: Vec<i32>,
}

async fn profile_for(txn: &impl sea_orm::ConnectionTrait, board_id: i32) -> ApiResult<ProcedureProfile> {
    let b = board::Entity::find_by_id(board_id).one(txn).await?.ok_or(ApiError::NotFound)?;
    crate::stored::profile(&b)
}

async fn create_deadlines(
    txn: &DatabaseTransaction,
    review_id: i32,
    board_id: i32,
    anchor: Anchor,
    on: NaiveDate,
) -> ApiResult<()> {
    for d in profile_for(txn, board_id).await?.deadlines_from(anchor, on) {
        deadline::ActiveModel {
            review_id: Set(review_id),
            kind: Set(d.kind.as_str().to_owned()),
            starts_on: Set(d.starts),
            due_on: Set(d.due),
            original_due_on: Set(d.due),
            met_on: Set(None),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

fn parse_person(p: &NewPerson, path: &str, problems: &mut Problems) -> Option<(String, Vec<String>, Option<String>)> {
    let name = problems.check(PersonName::parse(&p.name).map_err(|e| e.under(path)));
    let mut aliases = Vec::new();
    for (i, a) in p.aliases.iter().enumerate() {
        if a.trim().is_empty() {
            continue;
        }
        if let Some(n) = problems
            .check(PersonName::parse(a).map_err(|e| ValidationError::new(format!("{path}.aliases.{i}"), e.message)))
        {
            aliases.push(n.as_ref().to_owned());
        }
    }
    if let Some(d) = p.date_of_birth {
        problems.check(not_in_future(&format!("{path}.dateOfBirth"), d));
    }
    let address = match &p.address {
        Some(a) => problems.check(Text::parse_optional(&format!("{path}.address"), a)).flatten().map(Text::into_inner),
        None => None,
    };
    if let Some(l) = &p.label
        && (l.trim().is_empty() || l.chars().count() > 60)
    {
        problems.push(format!("{path}.label"), "A label must be 1 to 60 characters");
    }
    Some((name?.as_ref().to_owned(), aliases, address))
}

/// The label a new person gets: the one given, or the usual one for the relationship
/// ("Mother", "Sibling 2"), made unique, ignoring case, among `taken`.
fn unique_label(given: Option<&str>, relationship: Relationship, taken: &[String]) -> String {
    let same = taken.iter().filter(|l| l.starts_with(relationship.title())).count();
    let wanted = given.map(|l| l.trim().to_owned()).unwrap_or_else(|| relationship.default_label(same));
    let is_taken = |l: &str| taken.iter().any(|x| x.eq_ignore_ascii_case(l));
    let mut label = wanted.clone();
    let mut n = 2;
    while is_taken(&label) {
        label = format!("{wanted} ({n})");
        n += 1;
    }
    label
}

/// What a new label is checked against: the review's people and those being added,
/// with their names, aliases and addresses.
fn label_gate(people: &[person::Model], new: &[&NewPerson]) -> ApiResult<shared::gate::Gate> {
    let mut register = crate::anonymise::masking_register(people, Vec::new())?;
    register.people.extend(new.iter().map(|p| shared::gate::Identified {
        person: shared::pseudonymise::RegisteredPerson {
            label: String::new(),
            names: std::iter::once(p.name.clone()).chain(p.aliases.iter().cloned()).collect(),
        },
        date_of_birth: None,
        address: p.address.clone(),
    }));
    Ok(register.gate())
}

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

/// Stage 1: a professional refers a case. Creates the review, its people, its boards
/// and agencies, and the deadlines that run from the referral.
pub async fn submit_referral(db: &DatabaseConnection, caller: &Caller, input: NewReferral) -> ApiResult<i32> {
    if !policy::may_globally(&caller.roles(), Operation::SubmitReferral) {
        return Err(ApiError::Forbidden(Operation::SubmitReferral.title().to_lowercase()));
    }
    let mut problems = Problems::default();
    if input.child.relationship != Relationship::Child {
        problems.push("child.relationship", "The subject of a referral is the child");
    }
    let child = parse_person(&input.child, "child", &mut problems);
    let mut family = Vec::new();
    for (i, p) in input.family.iter().enumerate() {
        if p.relationship == Relationship::Child {
            problems.push(format!("family.{i}.relationship"), "Record brothers and sisters as siblings");
        }
        family.push(parse_person(p, &format!("family.{i}"), &mut problems));
    }
    let circumstances = problems.check(Text::parse("circumstances", &input.circumstances));
    if input.involved_agency_ids.is_empty() {
        problems.push("involvedAgencyIds", "Name at least one agency known to be involved");
    }
    if input.facts.suspected_suicide && !input.facts.child_died {
        problems.push("facts.suspectedSuicide", "A suspected suicide is recorded only when the child has died");
    }
    // Every referenced board and agency must exist.
    let mut board_ids: Vec<i32> = vec![input.normal_residence_board_id];
    board_ids.extend(input.looked_after_by_board_id);
    board_ids.extend(input.other_involved_board_ids.iter().copied());
    board_ids.sort();
    board_ids.dedup();
    let known_boards = board::Entity::find().filter(board::Column::Id.is_in(board_ids.clone())).all(db).await?;
    if known_boards.len() != board_ids.len() {
        problems.push("normalResidenceBoardId", "One of the boards named does not exist");
    }
    let mut agency_ids = input.involved_agency_ids.clone();
    agency_ids.sort();
    agency_ids.dedup();
    let known_agencies = agency::Entity::find().filter(agency::Column::Id.is_in(agency_ids.clone())).all(db).await?;
    if known_agencies.len() != agency_ids.len() {
        problems.push("involvedAgencyIds", "One of the agencies named does not exist");
    }
    // A label stands in for a name outside the review: it must not hold one, nor an address.
    let everyone: Vec<&NewPerson> = std::iter::once(&input.child).chain(&input.family).collect();
    let labels_gate = label_gate(&[], &everyone)?;
    for (path, p) in std::iter::once(("child".to_owned(), &input.child))
        .chain(input.family.iter().enumerate().map(|(i, p)| (format!("family.{i}"), p)))
    {
        if let Some(problem) = p.label.as_deref().and_then(|l| labels_gate.label_problem(l)) {
            problems.push(format!("{path}.label"), problem);
        }
    }
    let mut labels: Vec<String> = Vec::new();
    problems.finish()?;
    let (Some(child), Some(circumstances)) = (child, circumstances) else {
        return Err(ApiError::invalid("child", "The child's details are incomplete"));
    };

    let lead = lead_board(&ResidenceFacts {
        looked_after_by: input.looked_after_by_board_id.map(BoardId),
        normal_residence: BoardId(input.normal_residence_board_id),
        other_involved: input.other_involved_board_ids.iter().copied().map(BoardId).collect(),
    });
    let on = today();
    // Not a step on a review: the review is created here.
    let txn = db.begin().await?;
    let now = Utc::now();
    let r = review::ActiveModel {
        reference: Set(format!("pending-{}-{}", caller.user.id, now.timestamp_nanos_opt().unwrap_or_default())),
        stage: Set(Stage::Referred.as_str().to_owned()),
        lead_board_id: Set(lead.lead.0),
        referred_by: Set(caller.user.id),
        referred_on: Set(on),
        decided_on: Set(None),
        notified_to_ofsted: Set(false),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut am: review::ActiveModel = r.clone().into();
    am.reference = Set(format!("SCR-{}-{:04}", on.format("%Y"), r.id));
    am.update(&txn).await?;
    referral::ActiveModel {
        review_id: Set(r.id),
        circumstances: Set(circumstances.into_inner()),
        facts: Set(serde_json::to_string(&input.facts).map_err(ApiError::internal)?),
        looked_after_by_board_id: Set(input.looked_after_by_board_id),
        normal_residence_board_id: Set(input.normal_residence_board_id),
        lead_board_reason: Set(lead.reason.clone()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    review_board::ActiveModel {
        review_id: Set(r.id),
        board_id: Set(lead.lead.0),
        is_lead: Set(true),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for p in &lead.partners {
        review_board::ActiveModel {
            review_id: Set(r.id),
            board_id: Set(p.0),
            is_lead: Set(false),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    for a in &agency_ids {
        review_agency::ActiveModel { review_id: Set(r.id), agency_id: Set(*a), ..Default::default() }
            .insert(&txn)
            .await?;
    }
    let people = std::iter::once((&input.child, Some(child))).chain(input.family.iter().zip(family));
    for (p, parsed) in people {
        let Some((name, aliases, address)) = parsed else {
            continue;
        };
        let label = unique_label(p.label.as_deref(), p.relationship, &labels);
        labels.push(label.clone());
        person::ActiveModel {
            review_id: Set(r.id),
            label: Set(label),
            relationship: Set(p.relationship.as_str().to_owned()),
            name: Set(name),
            aliases: Set(serde_json::to_string(&aliases).map_err(ApiError::internal)?),
            date_of_birth: Set(p.date_of_birth),
            address: Set(address),
            agency_id: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    create_deadlines(&txn, r.id, lead.lead.0, Anchor::Referral, on).await?;
    log(&txn, caller, Operation::SubmitReferral, "review", r.id, r.id, Some(1)).await?;
    txn.commit().await?;
    Ok(r.id)
}

/// Stage 2: the Initial Panel records its view of the criteria beside the engine's.
pub async fn record_assessment(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    category: Category,
    reasons: &str,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::RecordAssessment)?;
    let reasons = Text::parse("reasons", reasons)?;
    let facts: ReferralFacts =
        match referral::Entity::find().filter(referral::Column::ReviewId.eq(review_id)).one(db).await? {
            Some(r) => crate::stored::json("referral facts", &r.facts)?,
            None => ReferralFacts::default(),
        };
    let engine = criteria::assess(&facts).category;
    let mut step = Step::begin(db, caller, &a, Operation::RecordAssessment).await?;
    let row = criteria_assessment::ActiveModel {
        review_id: Set(review_id),
        category: Set(category.as_str().to_owned()),
        engine_category: Set(engine.as_str().to_owned()),
        reasons: Set(reasons.into_inner()),
        assessed_by: Set(caller.user.id),
        assessed_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(step.txn())
    .await?;
    step.move_to(Stage::CriteriaAssessed).await?;
    step.done("criteria_assessment", row.id).await.map(|_| ())
}

/// Stage 3: the panel recommends a review (with its scope) or not (with what instead).
pub async fn record_recommendation(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    conduct: bool,
    alternative: Option<NoReviewOutcome>,
    scope: Option<&str>,
    reasons: &str,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::RecordRecommendation)?;
    let mut problems = Problems::default();
    let reasons = problems.check(Text::parse("reasons", reasons));
    let scope = problems.check(Text::parse_optional("scope", scope.unwrap_or(""))).flatten();
    match (conduct, alternative, &scope) {
        (true, Some(_), _) => {
            problems.push("alternative", "An alternative is recorded only when no review is recommended")
        }
        (true, None, None) => problems.push("scope", "Set out the scope of the review you recommend"),
        (false, None, _) => problems.push("alternative", "Choose IMRs only, a small-scale audit or no further action"),
        _ => {}
    }
    if !conduct && scope.is_some() {
        problems.push("scope", "A scope is set out only when a review is recommended");
    }
    problems.finish()?;
    let reasons = reasons.map(Text::into_inner).unwrap_or_default();
    let mut step = Step::begin(db, caller, &a, Operation::RecordRecommendation).await?;
    let row = recommendation::ActiveModel {
        review_id: Set(review_id),
        conduct: Set(conduct),
        alternative: Set(alternative.map(|x| x.as_str().to_owned())),
        scope: Set(scope.map(Text::into_inner)),
        reasons: Set(reasons),
        recommended_by: Set(caller.user.id),
        recommended_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(step.txn())
    .await
    .map_err(|e| on_duplicate(e, || ApiError::Conflict { current: a.review.version + 1 }))?;
    mark_met(step.txn(), review_id, DeadlineKind::PanelRecommendation, today()).await?;
    step.move_to(Stage::Recommended).await?;
    step.done("recommendation", row.id).await.map(|_| ())
}

/// Stage 4: the Chair decides, with reasons; the decision is final. A review starts
/// the deadlines that run from the decision.
pub async fn decide(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    conduct: bool,
    outcome: Option<NoReviewOutcome>,
    reasons: &str,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::DecideReview)?;
    let mut problems = Problems::default();
    let reasons = problems.check(Text::parse("reasons", reasons));
    match (conduct, outcome) {
        (true, Some(_)) => problems.push("outcome", "An outcome is recorded only when no review is held"),
        (false, None) => problems.push("outcome", "Choose IMRs only, a small-scale audit or no further action"),
        _ => {}
    }
    problems.finish()?;
    let on = today();
    let mut step = Step::begin(db, caller, &a, Operation::DecideReview).await?;
    let row = decision::ActiveModel {
        review_id: Set(review_id),
        conduct: Set(conduct),
        outcome: Set(outcome.map(|x| x.as_str().to_owned())),
        reasons: Set(reasons.map(Text::into_inner).unwrap_or_default()),
        decided_by: Set(caller.user.id),
        decided_on: Set(on),
        ..Default::default()
    }
    .insert(step.txn())
    .await
    .map_err(|e| on_duplicate(e, || ApiError::Conflict { current: a.review.version + 1 }))?;
    mark_met(step.txn(), review_id, DeadlineKind::ChairDecision, on).await?;
    // Without a recommendation the panel's deadline is moot once the Chair has decided.
    mark_met(step.txn(), review_id, DeadlineKind::PanelRecommendation, on).await?;
    if conduct {
        create_deadlines(step.txn(), review_id, step.review().lead_board_id, Anchor::Decision, on).await?;
    }
    review::Entity::update_many()
        .col_expr(review::Column::DecidedOn, Expr::value(on))
        .filter(review::Column::Id.eq(review_id))
        .exec(step.txn())
        .await?;
    step.move_to(Stage::Decided).await?;
    step.done("decision", row.id).await.map(|_| ())
}

/// Stage 5: Ofsted is told of every decision; reasons are required when no review is
/// held, and such a case closes here. A review opens its set-up checklist.
pub async fn record_ofsted_notification(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    sent_on: NaiveDate,
    reasons: Option<&str>,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::RecordOfstedNotification)?;
    let Some(d) = decision::Entity::find().filter(decision::Column::ReviewId.eq(review_id)).one(db).await? else {
        return Err(ApiError::WrongStage(a.stage()?));
    };
    let mut problems = Problems::default();
    problems.check(not_in_future("sentOn", sent_on));
    if sent_on < d.decided_on {
        problems.push("sentOn", "Ofsted is notified on or after the day of the decision");
    }
    let reasons = problems.check(Text::parse_optional("reasons", reasons.unwrap_or(""))).flatten();
    if !d.conduct && reasons.is_none() {
        problems.push("reasons", "Give Ofsted the reasons no review is being held");
    }
    problems.finish()?;
    let mut step = Step::begin(db, caller, &a, Operation::RecordOfstedNotification).await?;
    let row = notification::ActiveModel {
        review_id: Set(review_id),
        recipient: Set("ofsted".to_owned()),
        subject: Set(if d.conduct {
            "Decision to conduct a Serious Case Review"
        } else {
            "Decision not to conduct a Serious Case Review"
        }
        .to_owned()),
        reasons: Set(reasons.map(Text::into_inner)),
        sent_on: Set(sent_on),
        terms_sent_on: Set(None),
        recorded_by: Set(caller.user.id),
        recorded_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(step.txn())
    .await?;
    if d.conduct {
        let agencies =
            review_agency::Entity::find().filter(review_agency::Column::ReviewId.eq(review_id)).all(step.txn()).await?;
        let mut items: Vec<(ChecklistItem, Option<i32>)> =
            vec![(ChecklistItem::AgenciesNotified, None), (ChecklistItem::DesignatedStaffNamed, None)];
        items.extend(agencies.iter().map(|x| (ChecklistItem::RecordsSecured, Some(x.agency_id))));
        items.push((ChecklistItem::PractitionersInformed, None));
        items.push((ChecklistItem::MediaStrategy, None));
        for (item, agency_id) in items {
            setup_checklist_item::ActiveModel {
                review_id: Set(review_id),
                item: Set(item.as_str().to_owned()),
                agency_id: Set(agency_id),
                done: Set(false),
                ..Default::default()
            }
            .insert(step.txn())
            .await?;
        }
    }
    let to = if d.conduct { Stage::OfstedNotified } else { Stage::ClosedWithoutReview };
    review::Entity::update_many()
        .col_expr(review::Column::NotifiedToOfsted, Expr::value(true))
        .filter(review::Column::Id.eq(review_id))
        .exec(step.txn())
        .await?;
    step.move_to(to).await?;
    step.done("notification", row.id).await.map(|_| ())
}

/// Stage 6: ticks (or unticks) one item of the set-up checklist. An agency manager may
/// confirm only that their own agency's records are secured.
pub async fn update_checklist_item(
    db: &DatabaseConnection,
    caller: &Caller,
    item_id: i32,
    done: bool,
    note: Option<&str>,
    done_on: Option<NaiveDate>,
) -> ApiResult<setup_checklist_item::Model> {
    let item = setup_checklist_item::Entity::find_by_id(item_id).one(db).await?.ok_or(ApiError::NotFound)?;
    let a = access::for_review(db, caller, item.review_id).await?;
    let kind = crate::stored::value("checklist item", &item.item, ChecklistItem::parse)?;
    if kind == ChecklistItem::RecordsSecured {
        a.require(Operation::ConfirmRecordsSecured)?;
        let board_officer = a.capacities.iter().any(|c| policy::may(*c, Operation::UpdateSetupChecklist));
        if !board_officer && !item.agency_id.is_some_and(|ag| caller.managed_agencies().contains(&ag)) {
            return Err(ApiError::Forbidden("confirming another agency's records".to_owned()));
        }
    } else {
        a.require(Operation::UpdateSetupChecklist)?;
    }
    let mut problems = Problems::default();
    let note = problems.check(Text::parse_optional("note", note.unwrap_or(""))).flatten();
    let on = done_on.unwrap_or_else(today);
    problems.check(not_in_future("doneOn", on));
    if !done && a.stage()? != Stage::OfstedNotified {
        problems.push("done", "Set-up is complete: its checklist can no longer be undone");
    }
    if !done && done_on.is_some() {
        problems.push("doneOn", "A date is given only when the item is done");
    }
    problems.finish()?;
    let op = if kind == ChecklistItem::RecordsSecured {
        Operation::ConfirmRecordsSecured
    } else {
        Operation::UpdateSetupChecklist
    };
    let step = Step::begin(db, caller, &a, op).await?;
    let mut am: setup_checklist_item::ActiveModel = item.into();
    am.done = Set(done);
    am.done_on = Set(done.then_some(on));
    if let Some(n) = note {
        am.note = Set(Some(n.into_inner()));
    }
    am.done_by = Set(done.then_some(caller.user.id));
    let saved = am.update(step.txn()).await?;
    step.done("setup_checklist_item", saved.id).await?;
    Ok(saved)
}

/// Stage 6 complete: every checklist item done, the independent panel chair and the
/// overview author appointed.
pub async fn complete_set_up(db: &DatabaseConnection, caller: &Caller, review_id: i32) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::UpdateSetupChecklist)?;
    let stage = a.stage()?;
    if stage != Stage::OfstedNotified {
        return Err(ApiError::WrongStage(stage));
    }
    let items = setup_checklist_item::Entity::find()
        .filter(setup_checklist_item::Column::ReviewId.eq(review_id))
        .all(db)
        .await?;
    let assigned =
        review_assignment::Entity::find().filter(review_assignment::Column::ReviewId.eq(review_id)).all(db).await?;
    let mut problems = Problems::default();
    for i in items.iter().filter(|i| !i.done) {
        let title = crate::stored::value("checklist item", &i.item, ChecklistItem::parse)?.title();
        problems.push(format!("checklist.{}", i.id), format!("Not done yet: {title}"));
    }
    for (who, field) in [
        (Assignment::PanelChair, "appointments.panelChair"),
        (Assignment::OverviewAuthor, "appointments.overviewAuthor"),
    ] {
        if !assigned.iter().any(|x| x.assignment == who.as_str()) {
            problems.push(field, format!("Appoint the {}", who.title().to_lowercase()));
        }
    }
    problems.finish()?;
    let mut step = Step::begin(db, caller, &a, Operation::UpdateSetupChecklist).await?;
    step.move_to(Stage::SetUp).await?;
    step.done("review", review_id).await.map(|_| ())
}

/// What the independence rules need to know of a candidate on a review.
async fn candidate_facts(db: &DatabaseConnection, r: &review::Model, u: &user::Model) -> ApiResult<Candidate> {
    let grants = role_grant::Entity::find().filter(role_grant::Column::UserId.eq(u.id)).all(db).await?;
    let on_lead = |role: Role| grants.iter().any(|g| g.role == role.as_str() && g.board_id == Some(r.lead_board_id));
    let agencies = review_agency::Entity::find().filter(review_agency::Column::ReviewId.eq(r.id)).all(db).await?;
    let assigned = review_assignment::Entity::find()
        .filter(review_assignment::Column::ReviewId.eq(r.id))
        .filter(review_assignment::Column::UserId.eq(u.id))
        .all(db)
        .await?;
    Ok(Candidate {
        is_board_chair: on_lead(Role::BoardChair),
        on_initial_panel: on_lead(Role::InitialPanelMember),
        on_scr_panel: assigned.iter().any(|x| {
            x.assignment == Assignment::PanelMember.as_str() || x.assignment == Assignment::PanelChair.as_str()
        }),
        on_board: [Role::BoardChair, Role::BusinessManager, Role::InitialPanelMember, Role::PerformanceSubGroup]
            .into_iter()
            .any(on_lead),
        employed_by_involved_agency: u.agency_id.is_some_and(|ag| agencies.iter().any(|x| x.agency_id == ag)),
        direct_involvement: false,
        line_manages_practitioners: false,
    })
}

/// Stage 6: appoints someone to the review. The independent panel chair and the
/// overview author are refused, with every reason, when independence fails.
pub async fn appoint(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    user_id: i32,
    assignment: Assignment,
) -> ApiResult<review_assignment::Model> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::Appoint)?;
    let post = match assignment {
        Assignment::PanelChair => Some(Post::IndependentPanelChair),
        Assignment::OverviewAuthor => Some(Post::OverviewAuthor),
        Assignment::PanelMember | Assignment::DesignatedProfessional => None,
        Assignment::ImrAuthor | Assignment::ActionOwner => {
            return Err(ApiError::invalid(
                "assignment",
                "IMR authors and action owners are assigned later in the review",
            ));
        }
    };
    let u = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .filter(|u| u.active)
        .ok_or_else(|| ApiError::invalid("userId", "No active user has that id"))?;
    let existing =
        review_assignment::Entity::find().filter(review_assignment::Column::ReviewId.eq(review_id)).all(db).await?;
    if existing.iter().any(|x| x.user_id == user_id && x.assignment == assignment.as_str()) {
        return Err(ApiError::invalid("userId", format!("Already appointed as {}", assignment.title().to_lowercase())));
    }
    if matches!(assignment, Assignment::PanelChair | Assignment::OverviewAuthor)
        && existing.iter().any(|x| x.assignment == assignment.as_str())
    {
        return Err(ApiError::invalid(
            "assignment",
            format!("A {} is already appointed", assignment.title().to_lowercase()),
        ));
    }
    if matches!(assignment, Assignment::PanelChair | Assignment::PanelMember)
        && existing.iter().any(|x| x.user_id == user_id && x.assignment == Assignment::OverviewAuthor.as_str())
    {
        return Err(ApiError::invalid("userId", "The overview author cannot sit on the SCR Panel (11.10.1)"));
    }
    if let Some(post) = post {
        let failures = independence_failures(post, &candidate_facts(db, &a.review, &u).await?);
        if !failures.is_empty() {
            return Err(ApiError::Validation(
                failures.iter().map(|f| ValidationError::new("userId", f.title())).collect(),
            ));
        }
    }
    // Whether a panel chair is already appointed was read above: two appointments on
    // the same reading must not both succeed.
    let step = Step::begin_unchanged(db, caller, &a, Operation::Appoint).await?;
    let row = review_assignment::ActiveModel {
        review_id: Set(review_id),
        user_id: Set(user_id),
        assignment: Set(assignment.as_str().to_owned()),
        agency_id: Set(u.agency_id),
        appointed_by: Set(caller.user.id),
        appointed_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(step.txn())
    .await?;
    crate::notify::tell(
        step.txn(),
        user_id,
        step.review(),
        "appointment",
        format!("You were appointed {}", assignment.title()),
        format!("/reviews/{review_id}"),
    )
    .await?;
    step.done("review_assignment", row.id).await?;
    Ok(row)
}

/// Stage 7: saves a new version of the terms of reference. `expected_version` is the
/// version the editor started from (0 for none); if another save came first the
/// edit is refused with `CONFLICT` and nothing is overwritten.
pub async fn save_terms(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    expected_version: i32,
    answers: &[(Option<String>, bool)],
) -> ApiResult<i32> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::EditTermsOfReference)?;
    if answers.len() != shared::terms::QUESTIONS.len() {
        return Err(ApiError::invalid(
            "answers",
            format!("Give all {} answers, empty where not yet answered", shared::terms::QUESTIONS.len()),
        ));
    }
    let mut problems = Problems::default();
    let mut stored = Vec::new();
    for (i, (t, na)) in answers.iter().enumerate() {
        if let Some(ans) = problems.check(shared::terms::Answer::parse(i, t.as_deref(), *na)) {
            stored.push(match ans {
                shared::terms::Answer::Answered(t) => StoredAnswer { text: Some(t), not_applicable: false },
                shared::terms::Answer::NotApplicable => StoredAnswer { text: None, not_applicable: true },
                shared::terms::Answer::Open => StoredAnswer::default(),
            });
        }
    }
    problems.finish()?;
    let latest = terms_of_reference::Entity::find()
        .filter(terms_of_reference::Column::ReviewId.eq(review_id))
        .order_by_desc(terms_of_reference::Column::Version)
        .one(db)
        .await?;
    let current = latest.as_ref().map_or(0, |t| t.version);
    if current != expected_version {
        return Err(ApiError::Conflict { current });
    }
    let version = current + 1;
    // A save and an approval of the terms on the same reading must not both succeed.
    let step = Step::begin_unchanged(db, caller, &a, Operation::EditTermsOfReference).await?;
    let row = terms_of_reference::ActiveModel {
        review_id: Set(review_id),
        version: Set(version),
        answers: Set(serde_json::to_string(&stored).map_err(ApiError::internal)?),
        saved_by: Set(caller.user.id),
        saved_at: Set(Utc::now()),
        approved_by: Set(None),
        approved_at: Set(None),
        ..Default::default()
    }
    .insert(step.txn())
    .await
    .map_err(|e| on_duplicate(e, || ApiError::Conflict { current: version }))?;
    step.done("terms_of_reference", row.id).await?;
    Ok(version)
}

/// Stage 7 complete: the Chair approves the latest version, which must answer or mark
/// not applicable every question.
pub async fn approve_terms(db: &DatabaseConnection, caller: &Caller, review_id: i32, version: i32) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::ApproveTermsOfReference)?;
    let latest = terms_of_reference::Entity::find()
        .filter(terms_of_reference::Column::ReviewId.eq(review_id))
        .order_by_desc(terms_of_reference::Column::Version)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::invalid("version", "No terms of reference have been saved"))?;
    if latest.version != version {
        return Err(ApiError::Conflict { current: latest.version });
    }
    let stored: Vec<StoredAnswer> = crate::stored::json("terms of reference answers", &latest.answers)?;
    let answers: Vec<shared::terms::Answer> = stored
        .into_iter()
        .map(|s| match (s.text, s.not_applicable) {
            (_, true) => shared::terms::Answer::NotApplicable,
            (Some(t), false) => shared::terms::Answer::Answered(t),
            (None, false) => shared::terms::Answer::Open,
        })
        .collect();
    shared::terms::check_complete(&answers).map_err(ApiError::Validation)?;
    let mut step = Step::begin_unchanged(db, caller, &a, Operation::ApproveTermsOfReference).await?;
    let mut am: terms_of_reference::ActiveModel = latest.into();
    am.approved_by = Set(Some(caller.user.id));
    am.approved_at = Set(Some(Utc::now()));
    let saved = am.update(step.txn()).await?;
    step.move_to(Stage::TermsAgreed).await?;
    step.done("terms_of_reference", saved.id).await.map(|_| ())
}

/// The approved terms of reference were sent to Ofsted (due 14 days after the decision).
pub async fn record_terms_sent(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    sent_on: NaiveDate,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::RecordTermsSent)?;
    not_in_future("sentOn", sent_on)?;
    let Some(n) = notification::Entity::find()
        .filter(notification::Column::ReviewId.eq(review_id))
        .filter(notification::Column::Recipient.eq("ofsted"))
        .one(db)
        .await?
    else {
        return Err(ApiError::WrongStage(a.stage()?));
    };
    if n.terms_sent_on.is_some() {
        return Err(ApiError::invalid("sentOn", "Sending the terms to Ofsted is already recorded"));
    }
    let approved_on = terms_of_reference::Entity::find()
        .filter(terms_of_reference::Column::ReviewId.eq(review_id))
        .filter(terms_of_reference::Column::ApprovedAt.is_not_null())
        .one(db)
        .await?
        .and_then(|t| t.approved_at)
        .map(|t| t.date_naive());
    if sent_on < n.sent_on || approved_on.is_some_and(|d| sent_on < d) {
        return Err(ApiError::invalid("sentOn", "The terms are sent on or after their approval"));
    }
    let step = Step::begin(db, caller, &a, Operation::RecordTermsSent).await?;
    let mut am: notification::ActiveModel = n.into();
    am.terms_sent_on = Set(Some(sent_on));
    let saved = am.update(step.txn()).await?;
    mark_met(step.txn(), review_id, DeadlineKind::TermsToOfsted, sent_on).await?;
    step.done("notification", saved.id).await?;
    Ok(())
}

/// Extends a deadline with the Chair's consent and a reason; the history is kept.
pub async fn extend_deadline(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    kind: DeadlineKind,
    due_on: NaiveDate,
    reason: &str,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::ExtendDeadline)?;
    let row = deadline::Entity::find()
        .filter(deadline::Column::ReviewId.eq(review_id))
        .filter(deadline::Column::Kind.eq(kind.as_str()))
        .one(db)
        .await?
        .ok_or_else(|| ApiError::invalid("kind", "This review has no such deadline yet"))?;
    let mut d = shared::deadline::Deadline::new(kind, row.starts_on, row.due_on);
    d.met_on = row.met_on;
    let reason =
        Text::parse("reason", reason).map_err(|_| ApiError::invalid("reason", "Give the reason for the extension"))?;
    d.extend(due_on, reason.as_ref())?;
    let ext = d.extensions.pop().ok_or_else(|| ApiError::Internal("extension not recorded".into()))?;
    let step = Step::begin(db, caller, &a, Operation::ExtendDeadline).await?;
    let res = deadline::Entity::update_many()
        .col_expr(deadline::Column::DueOn, Expr::value(due_on))
        .filter(deadline::Column::Id.eq(row.id))
        .filter(deadline::Column::DueOn.eq(row.due_on))
        .exec(step.txn())
        .await?;
    if res.rows_affected != 1 {
        return Err(ApiError::Conflict { current: step.review().version });
    }
    let e = deadline_extension::ActiveModel {
        deadline_id: Set(row.id),
        from_due: Set(ext.from),
        to_due: Set(ext.to),
        reason: Set(ext.reason),
        granted_by: Set(caller.user.id),
        granted_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(step.txn())
    .await?;
    step.done("deadline_extension", e.id).await?;
    Ok(())
}

/// A new account with its role grants.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub job_title: Option<String>,
    pub agency_id: Option<i32>,
    pub password: String,
    pub grants: Vec<Grant>,
}

/// Creates a user. `actor` is the administrator (None from the command line).
pub async fn create_user(db: &DatabaseConnection, actor: Option<&Caller>, input: NewUser) -> ApiResult<user::Model> {
    if let Some(c) = actor
        && !policy::may_globally(&c.roles(), Operation::ManageUsers)
    {
        return Err(ApiError::Forbidden(Operation::ManageUsers.title().to_lowercase()));
    }
    let mut problems = Problems::default();
    let email = problems.check(Email::parse(&input.email));
    let name = problems.check(PersonName::parse(&input.name));
    let job_title =
        problems.check(Text::parse_optional("jobTitle", input.job_title.as_deref().unwrap_or(""))).flatten();
    problems.check(check_new_password(&input.password));
    if input.grants.is_empty() {
        problems.push("roles", "Give the user at least one role");
    }
    for (i, g) in input.grants.iter().enumerate() {
        if g.role.is_board_role() && g.board.is_none() {
            problems
                .push(format!("roles.{i}.boardId"), format!("{} is held for a board: name the board", g.role.title()));
        }
        if g.role.is_agency_role() && g.agency.is_none() && input.agency_id.is_none() {
            problems.push(
                format!("roles.{i}.agencyId"),
                format!("{} is held for an agency: name the agency", g.role.title()),
            );
        }
    }
    if let Some(ag) = input.agency_id
        && agency::Entity::find_by_id(ag).one(db).await?.is_none()
    {
        problems.push("agencyId", "No agency has that id");
    }
    for (i, g) in input.grants.iter().enumerate() {
        if let Some(b) = g.board
            && board::Entity::find_by_id(b.0).one(db).await?.is_none()
        {
            problems.push(format!("roles.{i}.boardId"), "No board has that id");
        }
        if let Some(a) = g.agency
            && agency::Entity::find_by_id(a.0).one(db).await?.is_none()
        {
            problems.push(format!("roles.{i}.agencyId"), "No agency has that id");
        }
    }
    if let Some(e) = &email
        && user::Entity::find().filter(user::Column::Email.eq(e.as_ref())).one(db).await?.is_some()
    {
        problems.push("email", "A user with this e-mail address already exists");
    }
    problems.finish()?;
    let (Some(email), Some(name)) = (email, name) else {
        return Err(ApiError::invalid("email", "Incomplete"));
    };
    let hash = auth::hash_password(&input.password)?;
    // Not a step on a review: a user account belongs to no review.
    let txn = db.begin().await?;
    let u = user::ActiveModel {
        email: Set(email.as_ref().to_owned()),
        name: Set(name.as_ref().to_owned()),
        job_title: Set(job_title.map(Text::into_inner)),
        password_hash: Set(hash),
        agency_id: Set(input.agency_id),
        active: Set(true),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| on_duplicate(e, || ApiError::invalid("email", "A user with this e-mail address already exists")))?;
    for g in &input.grants {
        role_grant::ActiveModel {
            user_id: Set(u.id),
            role: Set(g.role.as_str().to_owned()),
            board_id: Set(g.board.map(|b| b.0)),
            agency_id: Set(g.agency.map(|a| a.0).or(if g.role.is_agency_role() { input.agency_id } else { None })),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        Entry {
            actor: actor.map(|c| c.user.id),
            operation: Operation::ManageUsers.as_str(),
            record_type: "user",
            record_id: u.id,
            review_id: None,
            version: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(u)
}

/// Signs a user in: a token, or `UNAUTHENTICATED` without saying which part was wrong.
pub async fn login(
    db: &DatabaseConnection,
    tokens: &auth::Tokens,
    email: &str,
    password: &str,
) -> ApiResult<(String, user::Model)> {
    let key = Email::parse(email).map_or_else(|_| email.trim().to_lowercase(), |e| e.as_ref().to_owned());
    // Throttled before the password is checked, so guessing goes no faster for a
    // right guess; the same for an account that does not exist, so neither tells.
    let since = Utc::now() - Duration::minutes(LOGIN_WINDOW_MINUTES);
    let recent = login_failure::Entity::find()
        .filter(login_failure::Column::Email.eq(key.clone()))
        .filter(login_failure::Column::FailedAt.gt(since))
        .order_by_asc(login_failure::Column::FailedAt)
        .all(db)
        .await?;
    if recent.len() >= LOGIN_MAX_FAILURES {
        let oldest = recent[recent.len() - LOGIN_MAX_FAILURES].failed_at;
        let retry_after = Ord::max((oldest + Duration::minutes(LOGIN_WINDOW_MINUTES) - Utc::now()).num_seconds(), 1);
        return Err(ApiError::TooManyAttempts { retry_after });
    }
    let found = match Email::parse(email) {
        Ok(e) => user::Entity::find().filter(user::Column::Email.eq(e.as_ref())).one(db).await?,
        Err(_) => None,
    };
    let hash = found.as_ref().map_or_else(|| auth::decoy_hash().to_owned(), |u| u.password_hash.clone());
    let pw = password.to_owned();
    // argon2 is deliberately slow: keep it off the async workers.
    let ok =
        tokio::task::spawn_blocking(move || auth::verify_password(&hash, &pw)).await.map_err(ApiError::internal)?;
    match found {
        Some(u) if ok && u.active => {
            login_failure::Entity::delete_many().filter(login_failure::Column::Email.eq(key)).exec(db).await?;
            Ok((tokens.issue(u.id)?, u))
        }
        _ => {
            login_failure::ActiveModel { email: Set(key), failed_at: Set(Utc::now()), ..Default::default() }
                .insert(db)
                .await?;
            Err(ApiError::Unauthenticated)
        }
    }
}

/// Failed sign-ins an account may have within the window before it is throttled.
pub const LOGIN_MAX_FAILURES: usize = 5;
/// The window, in minutes: the account may try again once its oldest counted failure
/// is older than this.
pub const LOGIN_WINDOW_MINUTES: i64 = 15;
