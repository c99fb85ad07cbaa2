//! What of a family's identity leaves, and for whom: the review's register (its people
//! with their names, aliases, dates of birth and addresses, its schools, the names
//! 11.16 allows) made into a `shared::gate::Gate`; masking for label-only readers,
//! worked out once a request for each review (`Masks`); safe labels; and the gate's
//! refusal on the way out, where a warning stands until a second person has overridden
//! it for that version and a name never passes (`require_clear`). Recording an
//! override is a step of the exports (`exports::override_warning`), which know what
//! each document holds.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use shared::gate::{Gate, Identified, Register, Report, WarningKind};
use shared::role::{Assignment, Role};

use crate::entities::*;
use crate::errors::{ApiError, ApiResult, GateRefusal};

/// The register a label-only reader's text is masked against: every person with every
/// identifier, and the review's schools. (What 11.16 allows does not matter here.)
pub fn masking_register(people: &[person::Model], schools: Vec<String>) -> ApiResult<Register> {
    let mut register = Register {
        people: people
            .iter()
            .map(|p| {
                Ok(Identified {
                    person: registered_person(p)?,
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
    docs: &[crate::records::Doc],
) -> ApiResult<Option<GateRefusal>> {
    let gate = gate_register(db, r, true, true).await?.gate();
    let mut all = GateRefusal::default();
    for d in docs {
        let Some(latest) = crate::records::versions(db, r.id, *d).await?.pop() else { continue };
        let reports: Vec<Report> = latest.sections.0.iter().map(|t| gate.check(t)).collect();
        let key = document_key(d.slug(), None);
        if let Some(found) = refusal(db, r.id, &key, &latest.version.to_string(), &reports).await? {
            all.hits.extend(found.hits);
            all.warnings.extend(found.warnings);
        }
    }
    Ok(if all.hits.is_empty() && all.warnings.is_empty() { None } else { Some(all) })
}

/// A person of a review as the name matcher sees them: their label, name and aliases.
pub(crate) fn registered_person(p: &person::Model) -> ApiResult<shared::pseudonymise::RegisteredPerson> {
    let mut names = vec![p.name.clone()];
    names.extend(crate::stored::aliases(p)?);
    Ok(shared::pseudonymise::RegisteredPerson { label: p.label.clone(), names })
}

/// What the anonymisation gate checks a review's text against: its people with their
/// identifiers, the names 11.16 allows, and the schools involved.
/// Dates of birth and addresses are included only when the caller may read them,
/// so that the gate's warnings cannot be used to test guesses.
pub async fn gate_register(
    db: &impl sea_orm::ConnectionTrait,
    r: &review::Model,
    with_dates_of_birth: bool,
    with_addresses: bool,
) -> ApiResult<shared::gate::Register> {
    use shared::gate::{Identified, Register};
    let people = person::Entity::find().filter(person::Column::ReviewId.eq(r.id)).all(db).await?;
    let people = people
        .into_iter()
        .map(|p| {
            Ok(Identified {
                person: registered_person(&p)?,
                date_of_birth: p.date_of_birth.filter(|_| with_dates_of_birth),
                address: p.address.filter(|_| with_addresses),
            })
        })
        .collect::<ApiResult<_>>()?;
    let mut allowed = Vec::new();
    // The Board Chair of the lead board, by name.
    let chairs = role_grant::Entity::find()
        .filter(role_grant::Column::Role.eq(Role::BoardChair.as_str()))
        .filter(role_grant::Column::BoardId.eq(r.lead_board_id))
        .all(db)
        .await?;
    let chair_ids: Vec<i32> = chairs.iter().map(|g| g.user_id).collect();
    for u in user::Entity::find().filter(user::Column::Id.is_in(chair_ids)).all(db).await? {
        allowed.push(u.name);
    }
    // The panel chair and the overview author by name; panel members by job title and employer.
    let assigned =
        review_assignment::Entity::find().filter(review_assignment::Column::ReviewId.eq(r.id)).all(db).await?;
    let agencies = agency::Entity::find().all(db).await?;
    for a in &assigned {
        let Some(u) = user::Entity::find_by_id(a.user_id).one(db).await? else { continue };
        match crate::stored::value("review assignment", &a.assignment, Assignment::parse)? {
            Assignment::PanelChair | Assignment::OverviewAuthor => allowed.push(u.name),
            Assignment::PanelMember => {
                allowed.extend(u.job_title.clone());
                allowed.extend(u.agency_id.and_then(|id| agencies.iter().find(|x| x.id == id)).map(|x| x.name.clone()));
            }
            _ => {}
        }
    }
    let involved = review_agency::Entity::find().filter(review_agency::Column::ReviewId.eq(r.id)).all(db).await?;
    let schools = agencies
        .iter()
        .filter(|a| a.kind == "education" && involved.iter().any(|i| i.agency_id == a.id))
        .map(|a| a.name.clone())
        .collect();
    Ok(Register { people, allowed, schools })
}
