//! Two pairs of eyes on access to case content. A grant of a role that reads names in
//! full, or of the administrator's role (which approves such grants), is proposed by
//! one person and takes effect when a second approves it: the Board Chair or business
//! manager of the grant's board, or another administrator; never the person it is for,
//! nor its proposer. Other roles take effect at once. The administrator's role is held
//! alone: it reads no case content and is combined with no role that does. Proposals,
//! approvals and refusals are audit entries. The command line (`scr create-user`,
//! `scr approve-grant`), run by whoever runs the server, is outside the rule.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use shared::policy::{self, Grant, Operation, grant_needs_second_person};
use shared::role::Role;

use crate::audit::{self, Entry};
use crate::context::Caller;
use crate::entities::*;
use crate::errors::{ApiError, ApiResult};

/// What became of a grant asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Granted {
    /// In effect now.
    Now,
    /// Waiting for a second person: the proposal's id.
    Proposed(i32),
}

async fn log(txn: &impl ConnectionTrait, actor: Option<i32>, operation: &str, kind: &str, id: i32) -> ApiResult<()> {
    audit::record(txn, Entry { actor, operation, record_type: kind, record_id: id, review_id: None, version: None })
        .await?;
    Ok(())
}

/// The board a grant belongs to: its own, or its agency's.
async fn board_of(db: &impl ConnectionTrait, g: &Grant) -> ApiResult<Option<i32>> {
    if let Some(b) = g.board {
        return Ok(Some(b.0));
    }
    match g.agency {
        Some(a) => Ok(agency::Entity::find_by_id(a.0).one(db).await?.map(|a| a.board_id)),
        None => Ok(None),
    }
}

fn same(g: &Grant, role: &str, board: Option<i32>, agency: Option<i32>) -> bool {
    g.role.as_str() == role && g.board.map(|b| b.0) == board && g.agency.map(|a| a.0) == agency
}

/// The user's roles in effect and those waiting for a second person.
async fn held_and_pending(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> ApiResult<(Vec<role_grant::Model>, Vec<grant_proposal::Model>)> {
    let held = role_grant::Entity::find().filter(role_grant::Column::UserId.eq(user_id)).all(db).await?;
    let pending = grant_proposal::Entity::find()
        .filter(grant_proposal::Column::UserId.eq(user_id))
        .filter(grant_proposal::Column::Outcome.is_null())
        .all(db)
        .await?;
    Ok((held, pending))
}

/// Whether the user holds or awaits a role that takes two people to give: such an
/// account's password must be known to its owner alone.
pub async fn needs_private_password(db: &impl ConnectionTrait, user_id: i32) -> ApiResult<bool> {
    let (held, pending) = held_and_pending(db, user_id).await?;
    Ok(held
        .iter()
        .map(|g| &g.role)
        .chain(pending.iter().map(|p| &p.role))
        .any(|r| Role::parse(r).is_some_and(grant_needs_second_person)))
}

/// Refuses a grant that would combine the administrator's role with another, or that
/// the user holds or has pending already. `field` names the grant in the request.
pub async fn check_grant(db: &impl ConnectionTrait, user_id: i32, g: &Grant, field: &str) -> ApiResult<()> {
    let (held, pending) = held_and_pending(db, user_id).await?;
    if held.iter().any(|h| same(g, &h.role, h.board_id, h.agency_id)) {
        return Err(ApiError::invalid(field, "The user holds this role already"));
    }
    if pending.iter().any(|p| same(g, &p.role, p.board_id, p.agency_id)) {
        return Err(ApiError::invalid(field, "This role is already waiting for approval"));
    }
    let roles: Vec<&str> =
        held.iter().map(|h| h.role.as_str()).chain(pending.iter().map(|p| p.role.as_str())).collect();
    let admin = Role::SystemAdministrator.as_str();
    let mixes =
        if g.role == Role::SystemAdministrator { roles.iter().any(|r| *r != admin) } else { roles.contains(&admin) };
    if mixes {
        return Err(ApiError::invalid(
            field,
            "The system administrator's role reads no case content and is held alone: use a separate account",
        ));
    }
    Ok(())
}

/// Gives `g` to the user now, or proposes it when a second person must approve (from
/// the API; the command line, `actor` None, grants at once). Runs in the caller's
/// transaction.
pub async fn grant_or_propose(
    txn: &impl ConnectionTrait,
    actor: Option<&Caller>,
    user_id: i32,
    g: &Grant,
) -> ApiResult<Granted> {
    if actor.is_some() && grant_needs_second_person(g.role) {
        let p = grant_proposal::ActiveModel {
            user_id: Set(user_id),
            role: Set(g.role.as_str().to_owned()),
            board_id: Set(g.board.map(|b| b.0)),
            agency_id: Set(g.agency.map(|a| a.0)),
            proposed_by: Set(actor.map(|c| c.user.id)),
            proposed_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        log(txn, actor.map(|c| c.user.id), "propose_grant", "grant_proposal", p.id).await?;
        return Ok(Granted::Proposed(p.id));
    }
    role_grant::ActiveModel {
        user_id: Set(user_id),
        role: Set(g.role.as_str().to_owned()),
        board_id: Set(g.board.map(|b| b.0)),
        agency_id: Set(g.agency.map(|a| a.0)),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(Granted::Now)
}

/// Whether `actor` may propose `g`: an administrator, or the business manager of the
/// grant's board.
pub(crate) async fn may_propose(db: &impl ConnectionTrait, actor: &Caller, g: &Grant) -> ApiResult<bool> {
    if policy::may_globally(&actor.roles(), Operation::ManageUsers) {
        return Ok(true);
    }
    let Some(board) = board_of(db, g).await? else { return Ok(false) };
    Ok(g.role != Role::SystemAdministrator
        && actor.grants.iter().any(|a| a.role == Role::BusinessManager && a.board.map(|b| b.0) == Some(board)))
}

/// Asks for a role for an existing user: in effect now, or proposed for a second person.
pub async fn propose_grant(db: &DatabaseConnection, actor: &Caller, user_id: i32, g: &Grant) -> ApiResult<Granted> {
    if !may_propose(db, actor, g).await? {
        return Err(ApiError::Forbidden("grant this role".into()));
    }
    let u = user::Entity::find_by_id(user_id).one(db).await?.ok_or(ApiError::NotFound)?;
    if !u.active {
        return Err(ApiError::invalid("userId", "The account is deactivated: reactivate it first"));
    }
    if g.role.is_board_role() && g.board.is_none() {
        return Err(ApiError::invalid(
            "grant.boardId",
            format!("{} is held for a board: name the board", g.role.title()),
        ));
    }
    if g.role.is_agency_role() && g.agency.is_none() {
        return Err(ApiError::invalid(
            "grant.agencyId",
            format!("{} is held for an agency: name the agency", g.role.title()),
        ));
    }
    if let Some(b) = g.board
        && board::Entity::find_by_id(b.0).one(db).await?.is_none()
    {
        return Err(ApiError::invalid("grant.boardId", "No board has that id"));
    }
    if let Some(a) = g.agency
        && agency::Entity::find_by_id(a.0).one(db).await?.filter(|a| a.active).is_none()
    {
        return Err(ApiError::invalid("grant.agencyId", "No open agency has that id"));
    }
    check_grant(db, user_id, g, "grant").await?;
    use sea_orm::TransactionTrait;
    // Not a step on a review: an account belongs to no review.
    let txn = db.begin().await?;
    let done = grant_or_propose(&txn, Some(actor), user_id, g).await?;
    if done == Granted::Now {
        log(&txn, Some(actor.user.id), "grant_role", "user", user_id).await?;
    }
    txn.commit().await?;
    Ok(done)
}

/// A grant decided, and what became of a password someone else may know.
#[derive(Debug)]
pub struct Decided {
    pub proposal: grant_proposal::Model,
    /// The approved role's account had a password someone else may know: it ended,
    /// with every session, and the person sets their own through this private link
    /// (e-mail it) or, when it is `None`, through one printed on the server.
    pub password_ended: bool,
    pub renewal: Option<super::links::Issued>,
}

/// Approves or refuses a pending grant. `actor` None: from the command line.
/// `private_delivery`: a private link can reach the person (mail is set up, or the
/// command line prints it).
pub async fn decide_grant(
    db: &DatabaseConnection,
    actor: Option<&Caller>,
    proposal_id: i32,
    approve: bool,
    reason: Option<&str>,
    private_delivery: bool,
) -> ApiResult<Decided> {
    let p = grant_proposal::Entity::find_by_id(proposal_id).one(db).await?.ok_or(ApiError::NotFound)?;
    let g = Grant {
        role: crate::stored::value("role", &p.role, Role::parse)?,
        board: p.board_id.map(shared::BoardId),
        agency: p.agency_id.map(shared::AgencyId),
    };
    if let Some(c) = actor {
        let board = board_of(db, &g).await?;
        let officer = c.grants.iter().any(|a| {
            matches!(a.role, Role::BoardChair | Role::BusinessManager)
                && board.is_some()
                && a.board.map(|b| b.0) == board
        });
        let admin = policy::may_globally(&c.roles(), Operation::ManageUsers);
        // An administrator's role is approved by another administrator or any Board Chair.
        let chair_for_admin = g.role == Role::SystemAdministrator && c.has_role(Role::BoardChair);
        if !(officer || admin || chair_for_admin) {
            return Err(ApiError::Forbidden("decide this grant".into()));
        }
        if p.user_id == c.user.id {
            return Err(ApiError::invalid("proposalId", "Nobody approves a role for themself"));
        }
        if p.proposed_by == Some(c.user.id) {
            return Err(ApiError::invalid("proposalId", "A second person approves what you proposed"));
        }
    }
    if p.outcome.is_some() {
        return Err(ApiError::invalid("proposalId", "This grant has been decided already"));
    }
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if !approve && reason.is_none() {
        return Err(ApiError::invalid("reason", "Say why the grant is refused"));
    }
    if approve {
        check_grant_held(db, p.user_id, &g).await?;
    }
    use sea_orm::TransactionTrait;
    // Not a step on a review: an account belongs to no review.
    let txn = db.begin().await?;
    // Compare-and-set on the proposal still pending: two approvers at once, one wins.
    let done = grant_proposal::Entity::update_many()
        .col_expr(
            grant_proposal::Column::Outcome,
            sea_orm::sea_query::Expr::value(if approve { "approved" } else { "refused" }),
        )
        .col_expr(grant_proposal::Column::DecidedBy, sea_orm::sea_query::Expr::value(actor.map(|c| c.user.id)))
        .col_expr(grant_proposal::Column::DecidedAt, sea_orm::sea_query::Expr::value(Utc::now()))
        .col_expr(grant_proposal::Column::Reason, sea_orm::sea_query::Expr::value(reason.map(str::to_owned)))
        .filter(grant_proposal::Column::Id.eq(p.id))
        .filter(grant_proposal::Column::Outcome.is_null())
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(ApiError::invalid("proposalId", "This grant has been decided already"));
    }
    let (mut password_ended, mut renewal) = (false, None);
    if approve {
        role_grant::ActiveModel {
            user_id: Set(p.user_id),
            role: Set(p.role.clone()),
            board_id: Set(p.board_id),
            agency_id: Set(p.agency_id),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        // The role takes effect on a password its owner alone knows: one an
        // administrator typed, or set through a link shown to one, ends here.
        let u = user::Entity::find_by_id(p.user_id).one(&txn).await?.ok_or(ApiError::NotFound)?;
        if !u.password_private {
            password_ended = true;
            renewal = super::links::end_shared_password(&txn, actor, u, private_delivery).await?;
        }
    }
    log(&txn, actor.map(|c| c.user.id), if approve { "approve_grant" } else { "refuse_grant" }, "grant_proposal", p.id)
        .await?;
    txn.commit().await?;
    let proposal = grant_proposal::Entity::find_by_id(p.id).one(db).await?.ok_or(ApiError::NotFound)?;
    Ok(Decided { proposal, password_ended, renewal })
}

/// On approval, the role must still be free to give (not held, not mixing with the
/// administrator's role).
async fn check_grant_held(db: &impl ConnectionTrait, user_id: i32, g: &Grant) -> ApiResult<()> {
    let held = role_grant::Entity::find().filter(role_grant::Column::UserId.eq(user_id)).all(db).await?;
    if held.iter().any(|h| same(g, &h.role, h.board_id, h.agency_id)) {
        return Err(ApiError::invalid("proposalId", "The user holds this role already"));
    }
    let admin = Role::SystemAdministrator.as_str();
    let mixes = if g.role == Role::SystemAdministrator {
        held.iter().any(|h| h.role != admin)
    } else {
        held.iter().any(|h| h.role == admin)
    };
    if mixes {
        return Err(ApiError::invalid("proposalId", "The system administrator's role is held alone"));
    }
    Ok(())
}

/// The proposals `actor` may see: all for an administrator; their boards' for a Board
/// Chair or business manager (and administrators' roles for a Board Chair).
pub async fn proposals_for(
    db: &DatabaseConnection,
    actor: &Caller,
    pending_only: bool,
) -> ApiResult<Vec<grant_proposal::Model>> {
    let admin = policy::may_globally(&actor.roles(), Operation::ManageUsers);
    let boards: Vec<i32> = actor
        .grants
        .iter()
        .filter(|g| matches!(g.role, Role::BoardChair | Role::BusinessManager))
        .filter_map(|g| g.board.map(|b| b.0))
        .collect();
    if !admin && boards.is_empty() {
        return Err(ApiError::Forbidden("grant proposals".into()));
    }
    let mut q = grant_proposal::Entity::find();
    if pending_only {
        q = q.filter(grant_proposal::Column::Outcome.is_null());
    }
    let all = q.all(db).await?;
    let mut out = Vec::new();
    for p in all {
        let g = Grant {
            role: crate::stored::value("role", &p.role, Role::parse)?,
            board: p.board_id.map(shared::BoardId),
            agency: p.agency_id.map(shared::AgencyId),
        };
        let board = board_of(db, &g).await?;
        let sees = admin
            || board.is_some_and(|b| boards.contains(&b))
            || (g.role == Role::SystemAdministrator && actor.has_role(Role::BoardChair));
        if sees {
            out.push(p);
        }
    }
    Ok(out)
}
