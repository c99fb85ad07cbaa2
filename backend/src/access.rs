//! Access enforcement: every row and field goes through `shared::policy`.
//!
//! Row scope: `for_reviews` computes, for each review, the capacities in which the
//! caller acts on it (`policy::capacities`); a review with none is out of scope and
//! answers `NOT_FOUND`. Field policy: `ReviewAccess::read` returns how much of a
//! field the caller may see, or `FORBIDDEN`. Operations: `ReviewAccess::require`.
//! `in_scope` and `holding` are the same rules as one SQL condition, so that lists
//! page in the database; the policy function still decides every row answered.

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait};
use shared::policy::{self, Access, Field, Operation, ReviewScope, ScopeReason, Viewer};
use shared::profile::{Profile, ProfileKind};
use shared::role::{Assignment, Capacity};
use shared::stage::Stage;
use shared::{AgencyId, BoardId, UserId};

use crate::context::Caller;
use crate::entities::*;
use crate::errors::{ApiError, ApiResult};

/// The caller's standing on one review.
#[derive(Debug, Clone)]
pub struct ReviewAccess {
    pub review: review::Model,
    pub capacities: Vec<Capacity>,
    pub reasons: Vec<ScopeReason>,
    /// The agencies the caller writes or manages IMRs for on this review.
    pub own_agencies: Vec<AgencyId>,
}

/// The procedure a review runs under.
pub fn profile_of(r: &review::Model) -> ApiResult<&'static Profile> {
    Ok(Profile::of(crate::stored::value("review procedure", &r.profile, ProfileKind::parse)?))
}

/// The reviews at a stage where `op` may be taken, under whichever procedure each runs:
/// a condition on `review`.
pub fn at_stage_for(op: Operation) -> sea_orm::Condition {
    let mut any = sea_orm::Condition::any();
    for p in shared::profile::PROFILES {
        let mut this = sea_orm::Condition::all().add(review::Column::Profile.eq(p.kind.as_str()));
        match p.allowed_in(op) {
            _ if !p.has(op) => continue,
            Some(stages) => this = this.add(review::Column::Stage.is_in(stages.iter().map(|s| s.as_str()))),
            None => {}
        }
        any = any.add(this);
    }
    any
}

impl ReviewAccess {
    /// The review's stage. A stage this build does not know is a corrupt row
    /// (`INTERNAL`), never mistaken for another stage.
    pub fn stage(&self) -> ApiResult<Stage> {
        crate::stored::value("review stage", &self.review.stage, Stage::parse)
    }

    /// The procedure the review runs under. One this build does not know is a corrupt
    /// row (`INTERNAL`).
    pub fn profile(&self) -> ApiResult<&'static Profile> {
        profile_of(&self.review)
    }

    /// How much of `field` the caller may read; `FORBIDDEN` when hidden.
    pub fn read(&self, field: Field) -> ApiResult<Access> {
        match policy::best_access(&self.capacities, field) {
            Access::Hidden => Err(ApiError::forbidden_field(field)),
            a => Ok(a),
        }
    }

    /// Whether the caller may read `field` in full.
    pub fn full(&self, field: Field) -> bool {
        policy::best_access(&self.capacities, field) == Access::Full
    }

    /// Refuses unless the caller may take `op` on this review now.
    pub fn require(&self, op: Operation) -> ApiResult<()> {
        if !policy::may_any(&self.capacities, op) {
            return Err(ApiError::Forbidden(op.title().to_lowercase()));
        }
        let stage = self.stage()?;
        if !self.profile()?.allows(op, stage) {
            return Err(ApiError::WrongStage(stage));
        }
        Ok(())
    }

    /// How much of `agency`'s IMR the caller sees.
    pub fn imr_view(&self, agency: i32, submitted: bool) -> policy::ImrView {
        policy::imr_view(&self.capacities, &self.own_agencies, AgencyId(agency), submitted)
    }

    /// Refuses unless the caller may take `op` for `agency` (an IMR author or agency
    /// manager acts only for their own agency; other capacities for any).
    pub fn require_for_agency(&self, op: Operation, agency: i32) -> ApiResult<()> {
        self.require(op)?;
        let bound = |c: &Capacity| matches!(c, Capacity::ImrAuthor | Capacity::AgencyManager);
        let free = self.capacities.iter().any(|c| !bound(c) && policy::may(*c, op));
        if free || self.own_agencies.contains(&AgencyId(agency)) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(op.title().to_lowercase()))
        }
    }

    /// Whether the caller may take `op` on this review now: `require` as a yes or no,
    /// except that a stored value that does not parse stays an `INTERNAL` error.
    pub fn may(&self, op: Operation) -> ApiResult<bool> {
        match self.require(op) {
            Ok(()) => Ok(true),
            Err(e @ ApiError::Internal(_)) => Err(e),
            Err(_) => Ok(false),
        }
    }

    /// As `may`, for `agency` (see `require_for_agency`).
    pub fn may_for_agency(&self, op: Operation, agency: i32) -> ApiResult<bool> {
        match self.require_for_agency(op, agency) {
            Ok(()) => Ok(true),
            Err(e @ ApiError::Internal(_)) => Err(e),
            Err(_) => Ok(false),
        }
    }

    /// The operations the caller may take on this review at its current stage.
    pub fn allowed_operations(&self) -> ApiResult<Vec<Operation>> {
        let mut out = Vec::new();
        for op in Operation::ALL.iter().copied().filter(|op| !op.is_global()) {
            if self.may(op)? {
                out.push(op);
            }
        }
        Ok(out)
    }
}

/// The reviews in the caller's scope, as a condition on `review`: exactly those on
/// which `policy::capacities` finds a capacity. Lists filter, sort and page with it in
/// the database, then work out access for the page's reviews only.
pub fn in_scope(caller: &Caller) -> Condition {
    holding(caller, |_| true)
}

/// The reviews on which the caller acts in at least one capacity that `wanted` accepts,
/// as a condition on `review`, built from the same rules as `policy::capacities`
/// (`policy::SCOPE_RULES`, the caller's assignments, the referrer): a grant acts
/// through the first rule of its role that reaches the review, so a later rule holds
/// only where no earlier one of the same role does.
pub fn holding(caller: &Caller, wanted: impl Fn(Capacity) -> bool) -> Condition {
    let me = caller.user.id;
    // Never true: the start of a disjunction that may gain no term.
    let mut any = Condition::any().add(Expr::val(1).eq(0));
    let mut grants: Vec<&policy::Grant> = caller.grants.iter().collect();
    grants.sort_by_key(|g| (g.role, g.board, g.agency));
    grants.dedup();
    for g in grants {
        let rules: Vec<&policy::ScopeRule> = policy::SCOPE_RULES.iter().filter(|r| r.role == g.role).collect();
        for (k, rule) in rules.iter().enumerate() {
            if !wanted(rule.capacity()) {
                continue;
            }
            let Some(this) = reach(rule.reach, g) else { continue };
            let mut holds = Condition::all().add(this);
            for earlier in &rules[..k] {
                if let Some(e) = reach(earlier.reach, g) {
                    holds = holds.add(e.not());
                }
            }
            any = any.add(holds);
        }
    }
    let assignments: Vec<&str> =
        Assignment::ALL.iter().filter(|a| wanted(Capacity::from(**a))).map(|a| a.as_str()).collect();
    if !assignments.is_empty() {
        any = any.add(
            review::Column::Id.in_subquery(
                Query::select()
                    .column(review_assignment::Column::ReviewId)
                    .from(review_assignment::Entity)
                    .and_where(review_assignment::Column::UserId.eq(me))
                    .and_where(review_assignment::Column::Assignment.is_in(assignments))
                    .to_owned(),
            ),
        );
    }
    if wanted(Capacity::Referrer) {
        any = any.add(review::Column::ReferredBy.eq(me));
    }
    any
}

/// Where `grant` reaches a review through `reach`, as a condition on `review`; `None`
/// when it reaches none (a board's rule on a grant without a board).
fn reach(reach: policy::Reach, grant: &policy::Grant) -> Option<Condition> {
    use policy::Reach;
    let c = match reach {
        Reach::LeadBoard => Condition::all().add(review::Column::LeadBoardId.eq(grant.board?.0)),
        Reach::ReviewBoard => {
            let b = grant.board?.0;
            Condition::any().add(review::Column::LeadBoardId.eq(b)).add(
                review::Column::Id.in_subquery(
                    Query::select()
                        .column(review_board::Column::ReviewId)
                        .from(review_board::Entity)
                        .and_where(review_board::Column::BoardId.eq(b))
                        .and_where(review_board::Column::IsLead.eq(false))
                        .to_owned(),
                ),
            )
        }
        Reach::InvolvedAgency => Condition::all().add(
            review::Column::Id.in_subquery(
                Query::select()
                    .column(review_agency::Column::ReviewId)
                    .from(review_agency::Entity)
                    .and_where(review_agency::Column::AgencyId.eq(grant.agency?.0))
                    .to_owned(),
            ),
        ),
        Reach::NotifiedToOfsted => Condition::all().add(review::Column::NotifiedToOfsted.eq(true)),
    };
    Some(c)
}

/// The caller's access to each of `reviews` that is in scope, in three statements
/// whatever the number of reviews.
pub async fn for_reviews(
    db: &DatabaseConnection,
    caller: &Caller,
    reviews: &[review::Model],
) -> ApiResult<Vec<ReviewAccess>> {
    Ok(for_reviews_with_links(db, caller, reviews).await?.0)
}

/// The boards and agencies of reviews, read on the way to working out access: a
/// request's loader is given them so that it does not read them again.
#[derive(Debug, Default)]
pub struct Links {
    pub boards: Vec<review_board::Model>,
    pub agencies: Vec<review_agency::Model>,
}

/// As `for_reviews`, with the links it read.
pub async fn for_reviews_with_links(
    db: &DatabaseConnection,
    caller: &Caller,
    reviews: &[review::Model],
) -> ApiResult<(Vec<ReviewAccess>, Links)> {
    if reviews.is_empty() {
        return Ok((Vec::new(), Links::default()));
    }
    let ids: Vec<i32> = reviews.iter().map(|r| r.id).collect();
    let (boards, agencies, assignments) = links_of(db, caller, &ids).await?;
    let mut partners: HashMap<i32, Vec<BoardId>> = HashMap::new();
    for b in boards.iter().filter(|b| !b.is_lead) {
        partners.entry(b.review_id).or_default().push(BoardId(b.board_id));
    }
    let mut involved: HashMap<i32, Vec<AgencyId>> = HashMap::new();
    for a in &agencies {
        involved.entry(a.review_id).or_default().push(AgencyId(a.agency_id));
    }
    let mut mine: HashMap<i32, Vec<Assignment>> = HashMap::new();
    let mut writes_for: HashMap<i32, Vec<AgencyId>> = HashMap::new();
    for a in assignments {
        let x = crate::stored::value("review assignment", &a.assignment, Assignment::parse)?;
        mine.entry(a.review_id).or_default().push(x);
        if let (Assignment::ImrAuthor, Some(ag)) = (x, a.agency_id) {
            writes_for.entry(a.review_id).or_default().push(AgencyId(ag));
        }
    }
    let managed: Vec<AgencyId> = caller.managed_agencies().into_iter().map(AgencyId).collect();
    let empty_b = Vec::new();
    let empty_a = Vec::new();
    let empty_s = Vec::new();
    let access = reviews
        .iter()
        .filter_map(|r| {
            let scope = ReviewScope {
                lead_board: BoardId(r.lead_board_id),
                partner_boards: partners.get(&r.id).unwrap_or(&empty_b),
                involved_agencies: involved.get(&r.id).unwrap_or(&empty_a),
                notified_to_ofsted: r.notified_to_ofsted,
                referred_by: UserId(r.referred_by),
            };
            let viewer =
                Viewer { user: caller.id(), grants: &caller.grants, assignments: mine.get(&r.id).unwrap_or(&empty_s) };
            let found = policy::capacities(&viewer, &scope);
            if found.is_empty() {
                return None;
            }
            let mut capacities: Vec<Capacity> = found.iter().map(|(c, _)| *c).collect();
            capacities.dedup();
            let mut reasons: Vec<ScopeReason> = found.iter().map(|(_, r)| *r).collect();
            reasons.sort();
            reasons.dedup();
            let mut own_agencies = writes_for.get(&r.id).cloned().unwrap_or_default();
            own_agencies.extend(managed.iter().filter(|a| scope.involved_agencies.contains(a)));
            own_agencies.sort();
            own_agencies.dedup();
            Some(ReviewAccess { review: r.clone(), capacities, reasons, own_agencies })
        })
        .collect();
    Ok((access, Links { boards, agencies }))
}

/// An assignment the caller holds on a review, as working out access reads it.
struct Held {
    review_id: i32,
    assignment: String,
    agency_id: Option<i32>,
}

/// The boards and agencies of `ids` and the caller's assignments on them, in one
/// statement (three selects joined by `UNION ALL`, told apart by their first column).
async fn links_of(
    db: &DatabaseConnection,
    caller: &Caller,
    ids: &[i32],
) -> ApiResult<(Vec<review_board::Model>, Vec<review_agency::Model>, Vec<Held>)> {
    use sea_orm::sea_query::{Alias, UnionType};
    use sea_orm::{ConnectionTrait, QueryResult};
    const BOARD: i32 = 1;
    const AGENCY: i32 = 2;
    const ASSIGNMENT: i32 = 3;
    // Literal kinds and typed NULLs (no parameters), so that both databases agree on
    // the union's column types.
    let kind = |k: i32| Expr::cust(k.to_string());
    let no_text = || Expr::cust("CAST(NULL AS TEXT)");
    let no_int = || Expr::cust("CAST(NULL AS INTEGER)");
    let columns = ["kind", "id", "review_id", "ref_id", "flag", "assignment", "agency_id"];
    let select = |exprs: [Expr; 7]| {
        let mut q = Query::select();
        for (e, name) in exprs.into_iter().zip(columns) {
            q.expr_as(e, Alias::new(name));
        }
        q
    };
    let col = |t: &str, c: &str| Expr::col((Alias::new(t), Alias::new(c)));
    let mut q = select([
        kind(BOARD),
        col("review_boards", "id"),
        col("review_boards", "review_id"),
        col("review_boards", "board_id"),
        Expr::cust("CASE WHEN review_boards.is_lead THEN 1 ELSE 0 END"),
        no_text(),
        no_int(),
    ])
    .from(review_board::Entity)
    .and_where(review_board::Column::ReviewId.is_in(ids.iter().copied()))
    .to_owned();
    let agencies = select([
        kind(AGENCY),
        col("review_agencies", "id"),
        col("review_agencies", "review_id"),
        col("review_agencies", "agency_id"),
        Expr::cust("0"),
        no_text(),
        no_int(),
    ])
    .from(review_agency::Entity)
    .and_where(review_agency::Column::ReviewId.is_in(ids.iter().copied()))
    .to_owned();
    let assignments = select([
        kind(ASSIGNMENT),
        col("review_assignments", "id"),
        col("review_assignments", "review_id"),
        col("review_assignments", "user_id"),
        Expr::cust("0"),
        col("review_assignments", "assignment"),
        col("review_assignments", "agency_id"),
    ])
    .from(review_assignment::Entity)
    .and_where(review_assignment::Column::ReviewId.is_in(ids.iter().copied()))
    .and_where(review_assignment::Column::UserId.eq(caller.user.id))
    .to_owned();
    q.union(UnionType::All, agencies).union(UnionType::All, assignments);
    let rows: Vec<QueryResult> = db.query_all(&q).await?;
    let (mut boards, mut involved, mut mine) = (Vec::new(), Vec::new(), Vec::new());
    let int = |r: &QueryResult, c: &str| r.try_get::<i32>("", c);
    for r in &rows {
        let (id, review_id, ref_id) = (int(r, "id")?, int(r, "review_id")?, int(r, "ref_id")?);
        match int(r, "kind")? {
            BOARD => {
                boards.push(review_board::Model { id, review_id, board_id: ref_id, is_lead: int(r, "flag")? == 1 })
            }
            AGENCY => involved.push(review_agency::Model { id, review_id, agency_id: ref_id }),
            _ => mine.push(Held {
                review_id,
                assignment: r.try_get("", "assignment")?,
                agency_id: r.try_get("", "agency_id")?,
            }),
        }
    }
    Ok((boards, involved, mine))
}

/// The caller's access to one review; `NOT_FOUND` when it does not exist or is out
/// of scope (the two are indistinguishable on purpose).
pub async fn for_review(db: &DatabaseConnection, caller: &Caller, review_id: i32) -> ApiResult<ReviewAccess> {
    Ok(for_review_with_links(db, caller, review_id).await?.0)
}

/// As `for_review`, with the links it read.
pub async fn for_review_with_links(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
) -> ApiResult<(ReviewAccess, Links)> {
    let r = review::Entity::find_by_id(review_id).one(db).await?.ok_or(ApiError::NotFound)?;
    let (mut found, links) = for_reviews_with_links(db, caller, std::slice::from_ref(&r)).await?;
    Ok((found.pop().ok_or(ApiError::NotFound)?, links))
}
