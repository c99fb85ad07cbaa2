//! The decision phase (SPEC stages 1 to 7) as database operations. Nothing here
//! knows of HTTP or GraphQL: each function checks the caller's access through the
//! policy, validates with the `shared` rules, changes the records in one
//! transaction with its audit entry, and returns what changed.

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use shared::criteria::{self, Category, ReferralFacts};
use shared::deadline::{Anchor, DeadlineKind, ProcedureProfile};
use shared::independence::{Candidate, Post, independence_failures};
use shared::lead_board::{ResidenceFacts, lead_board};
use shared::policy::{self, Operation};
use shared::role::{Assignment, Role};
use shared::stage::{ChecklistItem, NoReviewOutcome, Relationship, Stage};
use shared::value::Text;
use shared::{BoardId, ValidationError};

use crate::access;
use crate::context::Caller;
use crate::entities::*;
use crate::errors::{ApiError, ApiResult};
use crate::people::{NewPerson, label_gate, parse_person, unique_label};
use crate::step::{Problems, Step, log, mark_met, not_in_future, on_duplicate, today};

/// One answer of the terms of reference as stored.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StoredAnswer {
    pub text: Option<String>,
    pub not_applicable: bool,
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
