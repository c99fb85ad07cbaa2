//! A document on its way out of the board: checked by the gate as its writers wrote
//! it, and a warning overridden by a second person for one version of it.

use super::*;

pub(super) fn hits_only(reports: Vec<Report>) -> Vec<Report> {
    reports.into_iter().map(|r| Report { hits: r.hits, warnings: Vec::new() }).collect()
}

/// A document bound for an outside body, as the gate sees it.
pub struct OutsideCheck {
    /// The name its overrides are kept under ("executive-summary", "imr:4").
    pub document: String,
    /// Its version: the number of a versioned document, a digest of the checked text
    /// of any other.
    pub version: String,
    /// The gate's reports: on the sections as written for the report and summary, on
    /// the masked document for any other.
    pub reports: Vec<Report>,
    /// Who wrote it: they may not override its warnings (filled by `outside_check`,
    /// which overrides use; an export does not need it).
    pub writers: Vec<i32>,
    /// Whether the reports are on the sections as written rather than the finished document.
    pub(super) on_sections: bool,
    /// The gate, with every identifier of every person of the review.
    pub(super) gate: Gate,
}

/// Masks `doc` for outside use and checks it: what the gate finds, under which version.
pub(super) async fn prepare_outside(
    db: &DatabaseConnection,
    a: &ReviewAccess,
    kind: Kind,
    people: &[person::Model],
    doc: &mut Document,
) -> ApiResult<OutsideCheck> {
    let review_id = a.review.id;
    let register = crate::anonymise::gate_register(db, &a.review, true, true).await?;
    let gate = register.gate();
    let masking = crate::anonymise::masking_register(people, register.schools.clone())?.gate();
    let document = crate::anonymise::document_key(kind.slug(), if let Kind::Imr(id) = kind { Some(id) } else { None });
    let written_doc = match kind {
        Kind::OverviewReport => Some(Doc::OverviewReport),
        Kind::ExecutiveSummary => Some(Doc::ExecutiveSummary),
        _ => None,
    };
    Ok(match written_doc {
        Some(d) => {
            let latest = records::versions(db, review_id, d).await?.pop().ok_or(ApiError::NotFound)?;
            let written: Vec<String> = latest.sections.0.iter().map(|t| para_text(t)).collect();
            let reports = latest.sections.0.iter().map(|t| gate.check(t)).collect();
            doc.mask_except(&masking, &written);
            OutsideCheck {
                document,
                version: latest.version.to_string(),
                reports,
                writers: vec![latest.saved_by],
                on_sections: true,
                gate,
            }
        }
        None => {
            doc.mask_except(&masking, &[]);
            let version = crate::anonymise::digest_version(doc.texts_mut().into_iter().map(|t| t.as_str()));
            let reports = doc.reports(&gate);
            OutsideCheck { document, version, reports, writers: Vec::new(), on_sections: false, gate }
        }
    })
}

/// Who wrote what a document holds.
pub(super) async fn writers_of(db: &DatabaseConnection, review_id: i32, kind: Kind) -> ApiResult<Vec<i32>> {
    Ok(match kind {
        Kind::TermsOfReference => terms_of_reference::Entity::find()
            .filter(terms_of_reference::Column::ReviewId.eq(review_id))
            .all(db)
            .await?
            .into_iter()
            .map(|t| t.saved_by)
            .collect(),
        Kind::Imr(id) => imr::Entity::find_by_id(id).one(db).await?.and_then(|i| i.author_id).into_iter().collect(),
        Kind::Chronology | Kind::OverviewReport | Kind::ExecutiveSummary => imr::Entity::find()
            .filter(imr::Column::ReviewId.eq(review_id))
            .all(db)
            .await?
            .into_iter()
            .filter_map(|i| i.author_id)
            .collect(),
        Kind::ActionPlan => action::Entity::find()
            .filter(action::Column::ReviewId.eq(review_id))
            .all(db)
            .await?
            .into_iter()
            .map(|x| x.owner_id)
            .collect(),
    })
}

/// What the gate finds in `document` (as `anonymise::document_key` names it) on its
/// way out now, for a caller who may export it for outside use.
pub async fn outside_check(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    document: &str,
) -> ApiResult<OutsideCheck> {
    let kind = Kind::from_key(document).ok_or_else(|| ApiError::invalid("document", "No such document"))?;
    let a = access::for_review(db, caller, review_id).await?;
    a.read(kind.field())?;
    a.require(Operation::ExportForOutside)?;
    let people = person::Entity::find()
        .filter(person::Column::ReviewId.eq(review_id))
        .order_by_asc(person::Column::Id)
        .all(db)
        .await?;
    let mut doc = raw_document(db, &a, caller.id(), kind, &people).await?;
    let mut check = prepare_outside(db, &a, kind, &people, &mut doc).await?;
    if !check.on_sections {
        check.writers = writers_of(db, review_id, kind).await?;
    }
    Ok(check)
}

/// What an override is asked for.
pub struct OverrideRequest<'a> {
    pub review_id: i32,
    pub document: &'a str,
    pub version: &'a str,
    pub kind: WarningKind,
    pub found: &'a str,
    pub reason: &'a str,
}

/// A second person (the Board Chair or the business manager, never the one who wrote
/// the text) lets one warning of one version of one document through, with a reason.
/// Refused when the warning is not on that version as it stands now, or when what was
/// found holds a registered name: a name can never be overridden.
pub async fn override_warning(db: &DatabaseConnection, caller: &Caller, req: OverrideRequest<'_>) -> ApiResult<i32> {
    let a = access::for_review(db, caller, req.review_id).await?;
    a.require(Operation::OverrideGateWarning)?;
    let reason = shared::value::Text::parse("reason", req.reason)?.into_inner();
    let current = outside_check(db, caller, req.review_id, req.document).await?;
    if current.writers.contains(&caller.user.id) {
        return Err(ApiError::Forbidden("overriding a warning in a text you wrote: a second person must".into()));
    }
    if current.version != req.version {
        return Err(ApiError::invalid(
            "version",
            format!("The document has changed since it was checked (it is now {}): check it again", current.version),
        ));
    }
    let register = crate::anonymise::gate_register(db, &a.review, true, true).await?;
    if !register.gate().check(req.found).hits.is_empty() {
        return Err(ApiError::invalid("found", "A name can never be overridden: replace it with the person's label"));
    }
    if !current.reports.iter().flat_map(|r| &r.warnings).any(|w| w.kind == req.kind && w.found == req.found) {
        return Err(ApiError::invalid("found", "That warning is not in this version of the document"));
    }
    let step = Step::begin(db, caller, &a, Operation::OverrideGateWarning).await?;
    let row = gate_override::ActiveModel {
        review_id: Set(req.review_id),
        document: Set(req.document.to_owned()),
        version: Set(req.version.to_owned()),
        kind: Set(req.kind.as_str().to_owned()),
        found: Set(req.found.to_owned()),
        reason: Set(reason),
        overridden_by: Set(caller.user.id),
        overridden_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(step.txn())
    .await
    .map_err(|e| crate::step::on_duplicate(e, || ApiError::invalid("found", "That warning is already overridden")))?;
    step.done("gate_override", row.id).await?;
    Ok(row.id)
}
