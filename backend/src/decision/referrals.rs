//! From referral to decision (stages 1 to 5): the referral with its people and
//! deadlines, the criteria assessment, the recommendation, the chair's decision and
//! Ofsted's notification.

use super::*;

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
    /// Boards an involved agency would make partners, left out with a reason.
    pub left_out_boards: Vec<LeftOut>,
    /// When the referral was received; today when not given.
    pub received_on: Option<NaiveDate>,
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
    if known_agencies.iter().any(|a| !a.active) {
        problems.push("involvedAgencyIds", "One of the agencies named is closed");
    }
    let on = event_date("receivedOn", input.received_on, None, &mut problems);
    // 11.3: the lead, and every board with an interest (its agencies' included) a partner.
    let facts = ResidenceFacts {
        looked_after_by: input.looked_after_by_board_id.map(BoardId),
        normal_residence: BoardId(input.normal_residence_board_id),
        other_involved: input.other_involved_board_ids.iter().copied().map(BoardId).collect(),
        agency_boards: known_agencies.iter().map(|a| BoardId(a.board_id)).collect(),
    };
    let lead = match settle(&facts, &input.left_out_boards) {
        Ok(l) => Some(l),
        Err(es) => {
            es.into_iter().for_each(|e| problems.push(e.field, e.message));
            None
        }
    };

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
    let (Some(child), Some(circumstances), Some(lead)) = (child, circumstances, lead) else {
        return Err(ApiError::invalid("child", "The child's details are incomplete"));
    };
    // Each reason is free text like any other: parsed, and masked for label-only readers.
    let mut left_out: Vec<LeftOut> = Vec::new();
    for (i, l) in input.left_out_boards.iter().enumerate() {
        let reason = Text::parse(&format!("leftOutBoards.{i}.reason"), &l.reason)?;
        left_out.push(LeftOut { board: l.board, reason: reason.into_inner() });
    }
    // The review runs under the procedure its lead board runs now, and keeps it.
    let (timetable, _) = timetable_for(db, lead.lead.0).await?;
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
        profile: Set(timetable.kind.as_str().to_owned()),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut am: review::ActiveModel = r.clone().into();
    let prefix = match timetable.kind {
        shared::profile::ProfileKind::SeriousCaseReview2010 => "SCR",
        shared::profile::ProfileKind::PracticeReview2023 => "CSPR",
    };
    am.reference = Set(format!("{prefix}-{}-{:04}", on.format("%Y"), r.id));
    let r = am.update(&txn).await?;
    referral::ActiveModel {
        review_id: Set(r.id),
        circumstances: Set(circumstances.into_inner()),
        facts: Set(serde_json::to_string(&input.facts).map_err(ApiError::internal)?),
        looked_after_by_board_id: Set(input.looked_after_by_board_id),
        normal_residence_board_id: Set(input.normal_residence_board_id),
        lead_board_reason: Set(lead.reason.clone()),
        boards_left_out: Set(serde_json::to_string(&left_out).map_err(ApiError::internal)?),
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
    create_deadlines(&txn, &r, Anchor::Referral, on).await?;
    log(&txn, caller, Operation::SubmitReferral, "review", r.id, r.id, Some(1)).await?;
    txn.commit().await?;
    Ok(r.id)
}

/// The day of the panel's latest criteria assessment, or of the referral when there is
/// none: what a recommendation follows.
async fn latest_assessment_on(db: &DatabaseConnection, r: &review::Model) -> ApiResult<(NaiveDate, &'static str)> {
    let all =
        criteria_assessment::Entity::find().filter(criteria_assessment::Column::ReviewId.eq(r.id)).all(db).await?;
    let latest = all.iter().map(|c| c.assessed_on.unwrap_or_else(|| c.assessed_at.date_naive())).max();
    Ok(match latest {
        Some(d) => (d, "the criteria assessment"),
        None => (r.referred_on, "the referral"),
    })
}

/// Stage 2: the Initial Panel records its view of the criteria beside the engine's.
pub async fn record_assessment(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    category: Category,
    reasons: &str,
    assessed_on: Option<NaiveDate>,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::RecordAssessment)?;
    if category == Category::NotYetKnown {
        return Err(ApiError::invalid(
            "category",
            "Record the panel's view: met in one of the three ways, or not met. \"Not yet known\" is the engine's answer while a fact is unrecorded",
        ));
    }
    let mut problems = Problems::default();
    let reasons = problems.check(Text::parse("reasons", reasons));
    let on = event_date("assessedOn", assessed_on, Some((a.review.referred_on, "the referral")), &mut problems);
    problems.finish()?;
    let reasons = reasons.map(Text::into_inner).unwrap_or_default();
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
        reasons: Set(reasons),
        assessed_by: Set(caller.user.id),
        assessed_at: Set(Utc::now()),
        assessed_on: Set(Some(on)),
        ..Default::default()
    }
    .insert(step.txn())
    .await?;
    step.move_to(Stage::CriteriaAssessed).await?;
    step.done("criteria_assessment", row.id).await.map(|_| ())
}

/// Stage 3: the panel recommends a review (with its scope) or not (with what instead).
#[allow(clippy::too_many_arguments)] // each is a field of the recommendation's form
pub async fn record_recommendation(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    conduct: bool,
    alternative: Option<NoReviewOutcome>,
    scope: Option<&str>,
    reasons: &str,
    recommended_on: Option<NaiveDate>,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::RecordRecommendation)?;
    let assessed = latest_assessment_on(db, &a.review).await?;
    let mut problems = Problems::default();
    let on = event_date("recommendedOn", recommended_on, Some(assessed), &mut problems);
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
        recommended_on: Set(Some(on)),
        ..Default::default()
    }
    .insert(step.txn())
    .await
    .map_err(|e| on_duplicate(e, || ApiError::Conflict { current: a.review.version + 1 }))?;
    mark_met(step.txn(), review_id, DeadlineKind::PanelRecommendation, on).await?;
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
    decided_on: Option<NaiveDate>,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::DecideReview)?;
    let recommended = recommendation::Entity::find()
        .filter(recommendation::Column::ReviewId.eq(review_id))
        .one(db)
        .await?
        .and_then(|r| r.recommended_on)
        .map_or((a.review.referred_on, "the referral"), |d| (d, "the panel's recommendation"));
    let mut problems = Problems::default();
    let on = event_date("decidedOn", decided_on, Some(recommended), &mut problems);
    let reasons = problems.check(Text::parse("reasons", reasons));
    match (conduct, outcome) {
        (true, Some(_)) => problems.push("outcome", "An outcome is recorded only when no review is held"),
        (false, None) => problems.push("outcome", "Choose IMRs only, a small-scale audit or no further action"),
        _ => {}
    }
    problems.finish()?;
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
        create_deadlines(step.txn(), step.review(), Anchor::Decision, on).await?;
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

/// A board with an interest found after the referral (11.3): the business manager adds
/// it as a partner on the day given (today when not given, never before the referral),
/// with the reason, which is kept on the referral beside the boards left out. A board
/// left out at the referral may be added this way; it is then no longer listed as left
/// out. The board's chair, business managers and partner-board officers are told.
pub async fn add_partner_board(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    board_id: i32,
    reason: &str,
    added_on: Option<NaiveDate>,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::AddPartnerBoard)?;
    let mut problems = Problems::default();
    let on = event_date("addedOn", added_on, Some((a.review.referred_on, "the referral")), &mut problems);
    let board = board::Entity::find_by_id(board_id).one(db).await?;
    if board.is_none() {
        problems.push("boardId", "No board has that id");
    }
    let boards = review_board::Entity::find().filter(review_board::Column::ReviewId.eq(review_id)).all(db).await?;
    let partners: Vec<BoardId> = boards.iter().filter(|b| !b.is_lead).map(|b| BoardId(b.board_id)).collect();
    for e in shared::lead_board::may_add(BoardId(a.review.lead_board_id), &partners, BoardId(board_id), reason) {
        problems.push(e.field, e.message);
    }
    let parsed = match reason.trim() {
        "" => None,
        r => problems.check(Text::parse("reason", r)),
    };
    problems.finish()?;
    let (Some(reason), Some(board)) = (parsed, board) else {
        return Err(ApiError::invalid("reason", "Say why this board has an interest in the review (11.3)"));
    };
    let r = referral::Entity::find()
        .filter(referral::Column::ReviewId.eq(review_id))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let mut added: Vec<shared::lead_board::Added> = crate::stored::json("boards added", &r.boards_added)?;
    added.push(shared::lead_board::Added { board: BoardId(board_id), reason: reason.into_inner(), on });
    let mut left_out: Vec<LeftOut> = crate::stored::json("boards left out", &r.boards_left_out)?;
    left_out.retain(|l| l.board.0 != board_id);
    let step = Step::begin(db, caller, &a, Operation::AddPartnerBoard).await?;
    let row = review_board::ActiveModel {
        review_id: Set(review_id),
        board_id: Set(board_id),
        is_lead: Set(false),
        ..Default::default()
    }
    .insert(step.txn())
    .await
    .map_err(|e| on_duplicate(e, || ApiError::invalid("boardId", "This board is already a partner")))?;
    let mut am: referral::ActiveModel = r.into();
    am.boards_added = Set(serde_json::to_string(&added).map_err(ApiError::internal)?);
    am.boards_left_out = Set(serde_json::to_string(&left_out).map_err(ApiError::internal)?);
    am.update(step.txn()).await?;
    let told = role_grant::Entity::find()
        .filter(role_grant::Column::BoardId.eq(board_id))
        .filter(
            role_grant::Column::Role
                .is_in([Role::BoardChair, Role::BusinessManager, Role::PartnerBoard].map(Role::as_str)),
        )
        .all(step.txn())
        .await?;
    let mut users: Vec<i32> = told.iter().map(|g| g.user_id).collect();
    users.sort();
    users.dedup();
    for u in users {
        let message = format!("{} is now a partner in this review", board.name);
        crate::step::tell(step.txn(), u, step.review(), "partner", message, format!("/reviews/{review_id}")).await?;
    }
    step.done("review_board", row.id).await?;
    Ok(())
}
