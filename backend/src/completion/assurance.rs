//! From quality assurance to Ofsted's evaluation (stages 13 to 15): the report
//! assured and approved, the review submitted, Ofsted's letters and evaluation, and
//! the amendments it asks for.

use super::*;

/// Registered names still in the latest report and summary, as (found, label).
pub(super) async fn gate_hits(
    db: &DatabaseConnection,
    a: &ReviewAccess,
) -> ApiResult<(Vec<(String, String)>, bool, bool)> {
    let register = crate::anonymise::gate_register(db, &a.review, false, false).await?;
    let mut hits = Vec::new();
    let mut present = (false, false);
    for (doc, slot) in [(Doc::OverviewReport, 0), (Doc::ExecutiveSummary, 1)] {
        if let Some(v) = records::versions(db, a.review.id, doc).await?.pop() {
            if slot == 0 {
                present.0 = true
            } else {
                present.1 = true
            }
            for s in &v.sections.0 {
                hits.extend(shared::gate::check(s, &register).hits.into_iter().map(|h| (h.found, h.label)));
            }
        }
    }
    Ok((hits, present.0, present.1))
}

/// Stage 13: the Initial Panel assures the quality of the report and summary. Refused,
/// listing each gap, unless both are written, pass the gate, and every agency that
/// wrote an IMR has confirmed the latest report.
pub async fn record_quality_assurance(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    notes: Option<&str>,
    assured_on: Option<NaiveDate>,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::RecordQualityAssurance)?;
    let notes = optional_text("notes", notes)?;
    let mut problems = Problems::default();
    let decided = a.review.decided_on.map(|d| (d, "the decision to hold the review"));
    let on = event_date("assuredOn", assured_on, decided, &mut problems);
    let (hits, report, summary) = gate_hits(db, &a).await?;
    if !report {
        problems.push("overviewReport", "The overview report has not been written");
    }
    if !summary {
        problems.push("executiveSummary", "The executive summary has not been saved");
    }
    for (found, label) in &hits {
        problems.push("executiveSummary", format!("\"{found}\" is still named (replace it with {label})"));
    }
    let latest = records::versions(db, review_id, Doc::OverviewReport).await?.last().map_or(0, |v| v.version);
    let confirmed = report_confirmation::Entity::find()
        .filter(report_confirmation::Column::ReviewId.eq(review_id))
        .filter(report_confirmation::Column::ReportVersion.eq(latest))
        .all(db)
        .await?;
    let agencies = agency::Entity::find().all(db).await?;
    for i in imr::Entity::find().filter(imr::Column::ReviewId.eq(review_id)).all(db).await? {
        if !confirmed.iter().any(|c| c.agency_id == i.agency_id) {
            let name = agencies.iter().find(|x| x.id == i.agency_id).map_or("An agency", |x| x.name.as_str());
            problems.push("confirmations", format!("{name} has not confirmed version {latest} of the report"));
        }
    }
    problems.finish()?;
    let mut step = Step::begin(db, caller, &a, Operation::RecordQualityAssurance).await?;
    step.move_to(Stage::QualityAssured).await?;
    let id = add_milestone(step.txn(), caller, review_id, Milestone::QualityAssured, "", on, notes).await?;
    step.done("milestone", id).await?;
    Ok(())
}

/// Stage 13: the Board Chair approves the assured report, on the day given (today when
/// not given), never before its quality assurance.
pub async fn approve_report(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    approved_on: Option<NaiveDate>,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::ApproveReport)?;
    if !milestones(db, review_id, Milestone::Approved).await?.is_empty() {
        return Err(ApiError::invalid("review", "The report is already approved"));
    }
    let assured = last_on(db, review_id, Milestone::QualityAssured).await?.map(|d| (d, "the quality assurance"));
    let mut problems = Problems::default();
    let on = event_date("approvedOn", approved_on, assured, &mut problems);
    problems.finish()?;
    let step = Step::begin(db, caller, &a, Operation::ApproveReport).await?;
    let id = add_milestone(step.txn(), caller, review_id, Milestone::Approved, "", on, String::new()).await?;
    let authors = review_assignment::Entity::find()
        .filter(review_assignment::Column::ReviewId.eq(review_id))
        .filter(review_assignment::Column::Assignment.eq(Assignment::OverviewAuthor.as_str()))
        .all(step.txn())
        .await?;
    let mut told: Vec<i32> = authors.iter().map(|x| x.user_id).collect();
    told.extend(crate::step::board_officers(step.txn(), a.review.lead_board_id, Role::BusinessManager).await?);
    told.sort_unstable();
    told.dedup();
    for user in told {
        let message = "The Chair approved the overview report for submission".to_owned();
        crate::step::tell(step.txn(), user, &a.review, "approval", message, format!("/reviews/{review_id}")).await?;
    }
    step.done("milestone", id).await?;
    Ok(())
}

/// Stage 14: the approved review goes to Ofsted and the DfE (due 6 months after the
/// decision). The package is anonymised on the way out; the report and summary must
/// pass the gate as written.
pub async fn submit_review(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    sent_on: NaiveDate,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::SubmitReview)?;
    let Some(approved) = last_on(db, review_id, Milestone::Approved).await? else {
        return Err(ApiError::invalid("review", "The Board Chair has not approved the report"));
    };
    let mut problems = Problems::default();
    event_date("sentOn", Some(sent_on), Some((approved, "the Chair's approval")), &mut problems);
    problems.finish()?;
    if let Some(refusal) =
        crate::anonymise::written_refusal(db, &a.review, &[Doc::OverviewReport, Doc::ExecutiveSummary]).await?
    {
        return Err(ApiError::GateFailed(refusal));
    }
    let mut step = Step::begin(db, caller, &a, Operation::SubmitReview).await?;
    step.move_to(Stage::Submitted).await?;
    mark_met(step.txn(), review_id, DeadlineKind::Completion, sent_on).await?;
    let id = add_milestone(step.txn(), caller, review_id, Milestone::Submitted, "", sent_on, String::new()).await?;
    step.done("milestone", id).await?;
    Ok(())
}

/// A letter to Ofsted while the review runs late: an extension letter (after the Chair
/// has consented to moving the completion deadline) or an interim report.
pub async fn record_ofsted_letter(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    kind: Milestone,
    sent_on: NaiveDate,
    reasons: &str,
    progress: &str,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::RecordOfstedLetter)?;
    let stage = a.stage()?;
    if stage == Stage::ClosedWithoutReview || stage < Stage::Decided || stage >= Stage::Submitted {
        return Err(ApiError::WrongStage(stage));
    }
    if !matches!(kind, Milestone::ExtensionLetter | Milestone::InterimReport) {
        return Err(ApiError::invalid("kind", "Choose an extension letter or an interim report"));
    }
    let mut problems = Problems::default();
    let reasons = problems.check(Text::parse("reasons", reasons));
    let progress = problems.check(Text::parse("progress", progress));
    problems.check(not_in_future("sentOn", sent_on));
    if kind == Milestone::ExtensionLetter {
        let completion = deadline::Entity::find()
            .filter(deadline::Column::ReviewId.eq(review_id))
            .filter(deadline::Column::Kind.eq(DeadlineKind::Completion.as_str()))
            .one(db)
            .await?;
        let extended = match completion {
            Some(d) => deadline_extension::Entity::find()
                .filter(deadline_extension::Column::DeadlineId.eq(d.id))
                .one(db)
                .await?
                .is_some(),
            None => false,
        };
        if !extended {
            problems.push("kind", "The Board Chair has not consented to extending the completion deadline");
        }
    }
    problems.finish()?;
    let details = format!(
        "Reasons: {}\nProgress: {}",
        reasons.map(Text::into_inner).unwrap_or_default(),
        progress.map(Text::into_inner).unwrap_or_default()
    );
    let step = Step::begin(db, caller, &a, Operation::RecordOfstedLetter).await?;
    let id = add_milestone(step.txn(), caller, review_id, kind, "", sent_on, details).await?;
    step.done("milestone", id).await?;
    Ok(())
}

/// Stage 15: Ofsted's evaluation letter; each amendment it asks for becomes a task.
pub async fn record_evaluation(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    received_on: NaiveDate,
    judgement: &str,
    amendments: &[String],
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::RecordEvaluation)?;
    let mut problems = Problems::default();
    let judgement = problems.check(Text::parse("judgement", judgement));
    problems.check(not_in_future("receivedOn", received_on));
    let mut tasks = Vec::new();
    for (i, t) in amendments.iter().enumerate() {
        if let Some(t) = problems.check(Text::parse(&format!("amendments.{i}"), t)) {
            tasks.push(t.into_inner());
        }
    }
    problems.finish()?;
    let mut step = Step::begin(db, caller, &a, Operation::RecordEvaluation).await?;
    step.move_to(Stage::Evaluated).await?;
    let id = add_milestone(
        step.txn(),
        caller,
        review_id,
        Milestone::Evaluation,
        "",
        received_on,
        judgement.map(Text::into_inner).unwrap_or_default(),
    )
    .await?;
    for t in tasks {
        amendment::ActiveModel {
            review_id: Set(review_id),
            description: Set(t),
            done_on: Set(None),
            done_by: Set(None),
            ..Default::default()
        }
        .insert(step.txn())
        .await?;
    }
    step.done("milestone", id).await?;
    Ok(())
}

/// An amendment Ofsted asked for is done.
pub async fn complete_amendment(db: &DatabaseConnection, caller: &Caller, amendment_id: i32) -> ApiResult<i32> {
    let m = amendment::Entity::find_by_id(amendment_id).one(db).await?.ok_or(ApiError::NotFound)?;
    let a = access::for_review(db, caller, m.review_id).await?;
    a.require(Operation::ManageActions)?;
    if m.done_on.is_some() {
        return Err(ApiError::invalid("amendmentId", "This amendment is already done"));
    }
    let step = Step::begin(db, caller, &a, Operation::ManageActions).await?;
    let mut am: amendment::ActiveModel = m.into();
    am.done_on = Set(Some(today()));
    am.done_by = Set(Some(caller.user.id));
    let saved = am.update(step.txn()).await?;
    step.done("amendment", saved.id).await?;
    Ok(saved.review_id)
}
