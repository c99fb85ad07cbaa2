//! Setting the review up (stage 6): the checklist, appointments checked for
//! independence, and the set-up completed.

use super::*;

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
pub(super) async fn candidate_facts(
    db: &DatabaseConnection,
    r: &review::Model,
    u: &user::Model,
) -> ApiResult<Candidate> {
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

/// Stage 6: appoints someone to the review on the day given (today when not given),
/// never before the decision to hold it. The independent panel chair and the overview
/// author are refused, with every reason, when independence fails.
pub async fn appoint(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    user_id: i32,
    assignment: Assignment,
    appointed_on: Option<NaiveDate>,
) -> ApiResult<review_assignment::Model> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::Appoint)?;
    let mut dated = Problems::default();
    let on = event_date("appointedOn", appointed_on, Some(since_decision(&a.review)), &mut dated);
    dated.finish()?;
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
        appointed_on: Set(Some(on)),
        ..Default::default()
    }
    .insert(step.txn())
    .await?;
    crate::step::tell(
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
