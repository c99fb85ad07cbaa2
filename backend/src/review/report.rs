//! The overview report and the executive summary (stages 11 and 12): saved in
//! versions, and the agencies' confirmations that the report represents them fairly.

use super::*;

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
