//! The anonymisation gate in the schema: a text checked against a review's register,
//! a document as the gate sees it on its way out, and overriding a warning.

use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use shared::policy::Field;

use crate::access::{self};
use crate::entities::*;
use crate::errors::ApiError;
use crate::graphql::errors::GqlResult;
use crate::graphql::request::{caller, state};

/// One place in a text where the gate found something. Offsets are byte offsets
/// into the UTF-8 text.
#[derive(SimpleObject)]
pub struct GateHit {
    pub start: i32,
    pub end: i32,
    pub found: String,
    /// The person's label, to replace a name with.
    pub label: Option<String>,
}

#[derive(SimpleObject)]
pub struct GateWarning {
    /// "A date of birth", "A street address", "A postcode", "A school's name".
    pub kind: String,
    pub hit: GateHit,
}

/// The anonymisation gate's answer on a text.
#[derive(SimpleObject)]
pub struct GateReport {
    /// False while any registered name remains: the text may not leave.
    pub passes: bool,
    pub hits: Vec<GateHit>,
    pub warnings: Vec<GateWarning>,
    /// The text with every hit replaced by the person's label.
    pub replaced: String,
}

/// A document on its way to an outside body, as the gate sees it now.
#[derive(SimpleObject)]
pub struct OutsideGate {
    /// The name its overrides are kept under: "executive-summary", "imr:4"...
    pub document: String,
    /// The version the warnings belong to: an override holds for this version only.
    pub version: String,
    /// Registered names: the document cannot leave, and no one can override them.
    pub hits: Vec<GateHit>,
    /// Warnings, each with its override if a second person has recorded one.
    pub warnings: Vec<OutsideWarning>,
    /// True when the document may leave: no name, and every warning overridden.
    pub clear: bool,
}

#[derive(SimpleObject)]
pub struct OutsideWarning {
    /// The kind's stable name (NEAR_MISS, DATE_OF_BIRTH...).
    pub kind: String,
    /// The kind as people say it.
    pub title: String,
    pub found: String,
    pub overridden: Option<GateOverride>,
}

/// A warning let through by a second person, with their reason.
#[derive(SimpleObject)]
pub struct GateOverride {
    pub by: String,
    pub reason: String,
    pub at: DateTime<Utc>,
}

/// A document as the gate sees it on its way out, with the overrides of its version.
pub(crate) async fn outside_gate(ctx: &Context<'_>, review_id: i32, document: &str) -> GqlResult<OutsideGate> {
    let db = &state(ctx)?.db;
    let c = caller(ctx)?;
    let a = access::for_review(db, c, review_id).await?;
    if !a.full(Field::PersonName) {
        return Err(ApiError::forbidden_field(Field::PersonName).into());
    }
    let check = crate::exports::outside_check(db, c, review_id, document).await?;
    let done = crate::anonymise::overrides(db, review_id, &check.document, &check.version).await?;
    let ids: Vec<i32> = done.iter().map(|o| o.overridden_by).collect();
    let users = user::Entity::find().filter(user::Column::Id.is_in(ids)).all(db).await?;
    let mut hits = Vec::new();
    let mut warnings: Vec<OutsideWarning> = Vec::new();
    for r in check.reports {
        hits.extend(r.hits.into_iter().map(|h| GateHit {
            start: h.start as i32,
            end: h.end as i32,
            found: h.found,
            label: Some(h.label),
        }));
        for w in r.warnings {
            if warnings.iter().any(|x| x.kind == w.kind.as_str().to_uppercase() && x.found == w.found) {
                continue;
            }
            let overridden =
                done.iter().find(|o| o.kind == w.kind.as_str() && o.found == w.found).map(|o| GateOverride {
                    by: users.iter().find(|u| u.id == o.overridden_by).map_or_else(String::new, |u| u.name.clone()),
                    reason: o.reason.clone(),
                    at: o.overridden_at,
                });
            warnings.push(OutsideWarning {
                kind: w.kind.as_str().to_uppercase(),
                title: w.kind.title().to_owned(),
                found: w.found,
                overridden,
            });
        }
    }
    Ok(OutsideGate {
        clear: hits.is_empty() && warnings.iter().all(|w| w.overridden.is_some()),
        document: check.document,
        version: check.version,
        hits,
        warnings,
    })
}

#[derive(Default)]
pub struct GateQuery;

#[Object]
impl GateQuery {
    /// (hits: the text may not leave) and quasi-identifiers (warnings). The answer
    /// quotes the names it found, so it needs full access to names on the review.
    #[graphql(complexity = 200)]
    async fn anonymisation_check(&self, ctx: &Context<'_>, review_id: i32, text: String) -> GqlResult<GateReport> {
        let a = access::for_review(&state(ctx)?.db, caller(ctx)?, review_id).await?;
        if !a.full(Field::PersonName) {
            return Err(ApiError::forbidden_field(Field::PersonName).into());
        }
        if text.chars().count() > shared::value::Text::MAX_CHARS * 5 {
            return Err(ApiError::invalid("text", "The text is too long to check at once").into());
        }
        let register = crate::anonymise::gate_register(
            &state(ctx)?.db,
            &a.review,
            a.full(Field::PersonDateOfBirth),
            a.full(Field::PersonAddress),
        )
        .await?;
        // A long text takes a while to scan: keep it off the async workers.
        let (text, report) = tokio::task::spawn_blocking(move || {
            let report = shared::gate::check(&text, &register);
            (text, report)
        })
        .await
        .map_err(ApiError::internal)?;
        Ok(GateReport {
            passes: report.passes(),
            replaced: shared::gate::replace_hits(&text, &report),
            hits: report
                .hits
                .into_iter()
                .map(|h| GateHit { start: h.start as i32, end: h.end as i32, found: h.found, label: Some(h.label) })
                .collect(),
            warnings: report
                .warnings
                .into_iter()
                .map(|w| GateWarning {
                    kind: w.kind.title().to_owned(),
                    hit: GateHit { start: w.start as i32, end: w.end as i32, found: w.found, label: None },
                })
                .collect(),
        })
    }

    /// A document as the anonymisation gate sees it on its way to an outside body: its
    /// names, its warnings and their overrides. For those who may export for outside use
    /// and read names in full.
    async fn outside_gate(&self, ctx: &Context<'_>, review_id: i32, document: String) -> GqlResult<OutsideGate> {
        outside_gate(ctx, review_id, &document).await
    }
}

#[derive(Default)]
pub struct GateMutation;

#[Object]
impl GateMutation {
    /// A second person (the Board Chair or the business manager, never the text's writer)
    /// lets one warning of one version of a document through to an outside body, with a
    /// reason. A name can never be overridden. `kind` is the warning's stable name as
    /// `outsideGate` gives it.
    #[allow(clippy::too_many_arguments)]
    async fn override_gate_warning(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        document: String,
        version: String,
        kind: String,
        found: String,
        reason: String,
    ) -> GqlResult<OutsideGate> {
        let kind = shared::gate::WarningKind::parse(&kind.to_lowercase())
            .ok_or_else(|| ApiError::invalid("kind", "No such kind of warning"))?;
        let req = crate::exports::OverrideRequest {
            review_id,
            document: &document,
            version: &version,
            kind,
            found: &found,
            reason: &reason,
        };
        crate::exports::override_warning(&state(ctx)?.db, caller(ctx)?, req).await?;
        outside_gate(ctx, review_id, &document).await
    }
}
