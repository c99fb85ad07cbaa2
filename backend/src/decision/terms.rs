//! The terms of reference (stage 7): saved in versions, approved, and sent to Ofsted.

use super::*;

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
/// not applicable every question, on the day given (today when not given), never before
/// the decision to hold the review (or the referral, before one).
pub async fn approve_terms(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    version: i32,
    approved_on: Option<NaiveDate>,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::ApproveTermsOfReference)?;
    let mut problems = Problems::default();
    let on = event_date("approvedOn", approved_on, Some(since_decision(&a.review)), &mut problems);
    problems.finish()?;
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
    am.approved_on = Set(Some(on));
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
    let approved_on = crate::records::terms_approved_on(db, review_id).await?;
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
