//! What of a family's identity leaves, and for whom: the review's register (its people
//! with their names, aliases, dates of birth and addresses, its schools, the names
//! 11.16 allows) made into a `shared::gate::Gate`; masking for label-only readers,
//! worked out once a request for each review; and the gate on the way out, where a
//! warning stands until a second person overrides it with a reason, for that warning
//! on that version, and a name never passes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use shared::gate::{Gate, Identified, Register, Report, WarningKind};
use shared::policy::Operation;

use crate::access;
use crate::context::Caller;
use crate::entities::*;
use crate::errors::{ApiError, ApiResult, GateRefusal};
use crate::step::Step;

/// The register a label-only reader's text is masked against: every person with every
/// identifier, and the review's schools. (What 11.16 allows does not matter here.)
pub fn masking_register(people: &[person::Model], schools: Vec<String>) -> ApiResult<Register> {
    let mut register = Register {
        people: people
            .iter()
            .map(|p| {
                Ok(Identified {
                    person: crate::services::registered_person(p)?,
                    date_of_birth: p.date_of_birth,
                    address: p.address.clone(),
                })
            })
            .collect::<ApiResult<_>>()?,
        allowed: Vec::new(),
        schools,
    };
    // What replaces a name must not itself identify: a label that holds a name, alias
    // or address is replaced by the relationship and number here too.
    let gate = register.gate();
    for (i, p) in people.iter().enumerate() {
        let safe = safe_label(p, &gate)?;
        if safe != p.label {
            register.people[i].person.label = safe;
        }
    }
    Ok(register)
}

/// A person's label as a label-only reader may receive it: as recorded, unless it holds
/// a registered name, alias, address or postcode (labels recorded before they were
/// checked), when the relationship and the person's number stand in for it.
pub fn safe_label(p: &person::Model, gate: &Gate) -> ApiResult<String> {
    if gate.label_problem(&p.label).is_none() {
        return Ok(p.label.clone());
    }
    let relationship =
        crate::stored::value("person relationship", &p.relationship, shared::stage::Relationship::parse)?;
    Ok(format!("{} {}", relationship.title(), p.id))
}

/// The names of the schools (agencies of the education kind) involved in a review.
pub async fn schools_of(db: &impl ConnectionTrait, review_id: i32) -> ApiResult<Vec<String>> {
    let involved = review_agency::Entity::find().filter(review_agency::Column::ReviewId.eq(review_id)).all(db).await?;
    let ids: Vec<i32> = involved.iter().map(|i| i.agency_id).collect();
    Ok(agency::Entity::find()
        .filter(agency::Column::Id.is_in(ids))
        .filter(agency::Column::Kind.eq("education"))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.name)
        .collect())
}

/// The masking gate of a review, read from the database.
pub async fn masking_gate(db: &impl ConnectionTrait, review_id: i32) -> ApiResult<Gate> {
    let people = person::Entity::find().filter(person::Column::ReviewId.eq(review_id)).all(db).await?;
    Ok(masking_register(&people, schools_of(db, review_id).await?)?.gate())
}

/// Masking gates of the reviews a request has touched, each worked out once.
#[derive(Default)]
pub struct Masks(Mutex<HashMap<i32, Arc<Gate>>>);

impl Masks {
    pub fn get(&self, review_id: i32) -> Option<Arc<Gate>> {
        self.0.lock().ok().and_then(|m| m.get(&review_id).cloned())
    }

    pub fn put(&self, review_id: i32, gate: Arc<Gate>) {
        if let Ok(mut m) = self.0.lock() {
            m.insert(review_id, gate);
        }
    }
}

/// A document bound for an outside body, by the name its overrides are kept under.
pub fn document_key(slug: &str, imr: Option<i32>) -> String {
    match imr {
        Some(id) => format!("{slug}:{id}"),
        None => slug.to_owned(),
    }
}

/// The version of a document that has no version number of its own: a digest of the
/// text that was checked, so that any change to it is a new version.
pub fn digest_version<'a>(texts: impl Iterator<Item = &'a str>) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for t in texts {
        h.update((t.len() as u64).to_be_bytes());
        h.update(t.as_bytes());
    }
    h.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// The overrides recorded for one version of one document.
pub async fn overrides(
    db: &impl ConnectionTrait,
    review_id: i32,
    document: &str,
    version: &str,
) -> ApiResult<Vec<gate_override::Model>> {
    Ok(gate_override::Entity::find()
        .filter(gate_override::Column::ReviewId.eq(review_id))
        .filter(gate_override::Column::Document.eq(document))
        .filter(gate_override::Column::Version.eq(version))
        .order_by_asc(gate_override::Column::Id)
        .all(db)
        .await?)
}

/// Refused (`GATE_FAILED`, with every name and every warning not overridden) unless the
/// reports of one version of one document have no name and every warning overridden.
pub async fn require_clear(
    db: &impl ConnectionTrait,
    review_id: i32,
    document: &str,
    version: &str,
    reports: &[Report],
) -> ApiResult<()> {
    match refusal(db, review_id, document, version, reports).await? {
        None => Ok(()),
        Some(r) => Err(ApiError::GateFailed(r)),
    }
}

/// What stops one version of one document: its names, and its warnings no second
/// person has overridden; `None` when nothing does.
pub async fn refusal(
    db: &impl ConnectionTrait,
    review_id: i32,
    document: &str,
    version: &str,
    reports: &[Report],
) -> ApiResult<Option<GateRefusal>> {
    let done = overrides(db, review_id, document, version).await?;
    let overridden: Vec<(WarningKind, String)> = done
        .iter()
        .map(|o| -> ApiResult<(WarningKind, String)> {
            Ok((crate::stored::value("gate warning kind", &o.kind, WarningKind::parse)?, o.found.clone()))
        })
        .collect::<ApiResult<Vec<(WarningKind, String)>>>()?;
    let mut refusal = GateRefusal::default();
    for r in reports {
        refusal.hits.extend(r.hits.iter().map(|h| (h.found.clone(), h.label.clone())));
        for w in &r.warnings {
            if !overridden.iter().any(|(k, f)| *k == w.kind && *f == w.found) {
                refusal.warnings.push(crate::errors::GateWarningRef {
                    document: document.to_owned(),
                    version: version.to_owned(),
                    kind: w.kind,
                    found: w.found.clone(),
                });
            }
        }
    }
    Ok(if refusal.hits.is_empty() && refusal.warnings.is_empty() { None } else { Some(refusal) })
}

/// What stops the latest versions of the overview report and executive summary (those
/// of `docs` that are written) as their authors wrote them; `None` when nothing does.
pub async fn written_refusal(
    db: &impl ConnectionTrait,
    r: &review::Model,
    docs: &[crate::review_phase::Doc],
) -> ApiResult<Option<GateRefusal>> {
    let gate = crate::services::gate_register(db, r, true, true).await?.gate();
    let mut all = GateRefusal::default();
    for d in docs {
        let Some(latest) = crate::review_phase::versions(db, r.id, *d).await?.pop() else { continue };
        let reports: Vec<Report> = latest.sections.0.iter().map(|t| gate.check(t)).collect();
        let key = document_key(d.slug(), None);
        if let Some(found) = refusal(db, r.id, &key, &latest.version.to_string(), &reports).await? {
            all.hits.extend(found.hits);
            all.warnings.extend(found.warnings);
        }
    }
    Ok(if all.hits.is_empty() && all.warnings.is_empty() { None } else { Some(all) })
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
    let current = crate::exports::outside_check(db, caller, req.review_id, req.document).await?;
    if current.writers.contains(&caller.user.id) {
        return Err(ApiError::Forbidden("overriding a warning in a text you wrote: a second person must".into()));
    }
    if current.version != req.version {
        return Err(ApiError::invalid(
            "version",
            format!("The document has changed since it was checked (it is now {}): check it again", current.version),
        ));
    }
    let register = crate::services::gate_register(db, &a.review, true, true).await?;
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
    .map_err(|e| {
        crate::services::on_duplicate(e, || ApiError::invalid("found", "That warning is already overridden"))
    })?;
    step.done("gate_override", row.id).await?;
    Ok(row.id)
}
