//! An account through its life after it is created: signing out everywhere, changing
//! one's own password, a new calendar-feed address, roles removed, and leavers
//! deactivated (and reactivated). Whatever ends access raises the user's session
//! generation, so every token issued before is refused at once; deactivation raises
//! the calendar generation too. Each change is an audit entry.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, TransactionTrait,
};
use shared::imr::ImrStatus;
use shared::policy::Grant;
use shared::stage::Stage;
use shared::value::check_new_password_for;

use super::require_admin;
use crate::audit::{self, Entry};
use crate::auth;
use crate::context::Caller;
use crate::entities::*;
use crate::errors::{ApiError, ApiResult};

/// Something a user is doing on a review that someone must take on when they leave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenAssignment {
    pub review_id: i32,
    pub reference: String,
    /// What it is: "Panel chair", "IMR author (police)", "Action owner"...
    pub what: String,
}

pub(crate) async fn account_log(
    txn: &impl ConnectionTrait,
    actor: Option<i32>,
    operation: &str,
    user_id: i32,
) -> ApiResult<()> {
    audit::record(
        txn,
        Entry { actor, operation, record_type: "user", record_id: user_id, review_id: None, version: None },
    )
    .await?;
    Ok(())
}

/// Raises the user's session generation (and the calendar's when asked) in `txn`.
async fn revoke(txn: &impl ConnectionTrait, user_id: i32, calendar_too: bool) -> ApiResult<()> {
    let mut update = user::Entity::update_many()
        .col_expr(user::Column::SessionGeneration, Expr::col(user::Column::SessionGeneration).add(1))
        .filter(user::Column::Id.eq(user_id));
    if calendar_too {
        update = update.col_expr(user::Column::CalendarGeneration, Expr::col(user::Column::CalendarGeneration).add(1));
    }
    update.exec(txn).await?;
    Ok(())
}

/// Ends every session of the caller, this one included.
pub async fn sign_out_everywhere(db: &DatabaseConnection, caller: &Caller) -> ApiResult<()> {
    // Not a step on a review: an account belongs to no review.
    let txn = db.begin().await?;
    revoke(&txn, caller.user.id, false).await?;
    account_log(&txn, Some(caller.user.id), "sign_out_everywhere", caller.user.id).await?;
    txn.commit().await?;
    Ok(())
}

/// Changes the caller's own password, the current one required. Every other session
/// ends; the account is answered, for this session's renewal.
pub async fn change_password(
    db: &DatabaseConnection,
    caller: &Caller,
    current: &str,
    new: &str,
) -> ApiResult<user::Model> {
    if current.len() > 1024 || new.len() > 1024 {
        return Err(ApiError::invalid("newPassword", "Password must be 128 characters or fewer"));
    }
    let (hash, typed) = (caller.user.password_hash.clone(), current.to_owned());
    let ok =
        tokio::task::spawn_blocking(move || auth::verify_password(&hash, &typed)).await.map_err(ApiError::internal)?;
    if !ok {
        return Err(ApiError::invalid("currentPassword", "Your current password is not right"));
    }
    check_new_password_for(new, &caller.user.email)
        .map_err(|e| shared::ValidationError::new("newPassword", e.message))?;
    if new == current {
        return Err(ApiError::invalid("newPassword", "Choose a password you have not been using"));
    }
    let new_hash = auth::hash_password(new)?;
    // Not a step on a review: an account belongs to no review.
    let txn = db.begin().await?;
    user::ActiveModel { id: Set(caller.user.id), password_hash: Set(new_hash), ..Default::default() }
        .update(&txn)
        .await?;
    revoke(&txn, caller.user.id, false).await?;
    account_log(&txn, Some(caller.user.id), "change_password", caller.user.id).await?;
    txn.commit().await?;
    let u = user::Entity::find_by_id(caller.user.id).one(db).await?.ok_or(ApiError::Unauthenticated)?;
    Ok(u)
}

/// A new calendar-feed address for the caller: the old one stops working.
pub async fn rotate_calendar(db: &DatabaseConnection, caller: &Caller) -> ApiResult<i32> {
    // Not a step on a review: an account belongs to no review.
    let txn = db.begin().await?;
    user::Entity::update_many()
        .col_expr(user::Column::CalendarGeneration, Expr::col(user::Column::CalendarGeneration).add(1))
        .filter(user::Column::Id.eq(caller.user.id))
        .exec(&txn)
        .await?;
    account_log(&txn, Some(caller.user.id), "rotate_calendar", caller.user.id).await?;
    txn.commit().await?;
    let u = user::Entity::find_by_id(caller.user.id).one(db).await?.ok_or(ApiError::Unauthenticated)?;
    Ok(u.calendar_generation)
}

/// What the user is doing that someone must take on: appointments on reviews still
/// open, IMRs they write that the panel has not accepted, actions they own that are
/// not closed.
pub async fn open_assignments(db: &impl ConnectionTrait, user_id: i32) -> ApiResult<Vec<OpenAssignment>> {
    let mut out = Vec::new();
    let appointed =
        review_assignment::Entity::find().filter(review_assignment::Column::UserId.eq(user_id)).all(db).await?;
    let imrs = imr::Entity::find().filter(imr::Column::AuthorId.eq(user_id)).all(db).await?;
    let actions = action::Entity::find().filter(action::Column::OwnerId.eq(user_id)).all(db).await?;
    let mut ids: Vec<i32> = appointed.iter().map(|a| a.review_id).collect();
    ids.extend(imrs.iter().map(|i| i.review_id));
    ids.extend(actions.iter().map(|a| a.review_id));
    let reviews = review::Entity::find().filter(review::Column::Id.is_in(ids)).all(db).await?;
    let open = |id: i32| -> ApiResult<Option<&review::Model>> {
        let Some(r) = reviews.iter().find(|r| r.id == id) else { return Ok(None) };
        let stage = crate::stored::value("review stage", &r.stage, Stage::parse)?;
        Ok((!matches!(stage, Stage::Concluded | Stage::ClosedWithoutReview)).then_some(r))
    };
    for a in &appointed {
        if let Some(r) = open(a.review_id)? {
            let what = crate::stored::value("review assignment", &a.assignment, shared::role::Assignment::parse)?;
            out.push(OpenAssignment { review_id: r.id, reference: r.reference.clone(), what: what.title().to_owned() });
        }
    }
    for i in &imrs {
        if crate::records::status_of(i)? != ImrStatus::Accepted
            && let Some(r) = open(i.review_id)?
        {
            out.push(OpenAssignment { review_id: r.id, reference: r.reference.clone(), what: "IMR author".to_owned() });
        }
    }
    for a in &actions {
        let status = crate::stored::value("action status", &a.status, shared::completion::ActionStatus::parse)?;
        if status != shared::completion::ActionStatus::Implemented
            && let Some(r) = open(a.review_id)?
        {
            out.push(OpenAssignment {
                review_id: r.id,
                reference: r.reference.clone(),
                what: "Action owner".to_owned(),
            });
        }
    }
    Ok(out)
}

/// Switches an account off (a leaver) or on again. Switching off ends every session
/// and the calendar-feed address at once, and answers what the user was doing that
/// someone must take on. Nobody switches themself off.
pub async fn set_active(
    db: &DatabaseConnection,
    actor: &Caller,
    user_id: i32,
    active: bool,
) -> ApiResult<(user::Model, Vec<OpenAssignment>)> {
    require_admin(actor)?;
    if user_id == actor.user.id && !active {
        return Err(ApiError::invalid("userId", "You cannot deactivate your own account"));
    }
    let u = user::Entity::find_by_id(user_id).one(db).await?.ok_or(ApiError::NotFound)?;
    if u.active == active {
        let state = if active { "active" } else { "deactivated" };
        return Err(ApiError::invalid("userId", format!("The account is already {state}")));
    }
    // Not a step on a review: an account belongs to no review.
    let txn = db.begin().await?;
    user::ActiveModel { id: Set(user_id), active: Set(active), ..Default::default() }.update(&txn).await?;
    revoke(&txn, user_id, true).await?;
    if !active {
        super::links::void_links(&txn, user_id).await?;
    }
    account_log(&txn, Some(actor.user.id), if active { "reactivate_user" } else { "deactivate_user" }, user_id).await?;
    txn.commit().await?;
    let u = user::Entity::find_by_id(user_id).one(db).await?.ok_or(ApiError::NotFound)?;
    let open = if active { Vec::new() } else { open_assignments(db, user_id).await? };
    Ok((u, open))
}

/// Takes a role away from a user; their sessions end so the role goes at once.
pub async fn remove_role(db: &DatabaseConnection, actor: &Caller, user_id: i32, grant: &Grant) -> ApiResult<()> {
    require_admin(actor)?;
    let found = role_grant::Entity::find()
        .filter(role_grant::Column::UserId.eq(user_id))
        .filter(role_grant::Column::Role.eq(grant.role.as_str()))
        .all(db)
        .await?
        .into_iter()
        .find(|g| g.board_id == grant.board.map(|b| b.0) && g.agency_id == grant.agency.map(|a| a.0))
        .ok_or_else(|| ApiError::invalid("grant", "The user does not hold that role"))?;
    // Not a step on a review: an account belongs to no review.
    let txn = db.begin().await?;
    role_grant::Entity::delete_by_id(found.id).exec(&txn).await?;
    revoke(&txn, user_id, false).await?;
    account_log(&txn, Some(actor.user.id), "remove_role", user_id).await?;
    txn.commit().await?;
    Ok(())
}

/// Ends every session of another account (administrators): a lost device, a shared
/// screen. The calendar address stays.
pub async fn end_sessions(db: &DatabaseConnection, actor: &Caller, user_id: i32) -> ApiResult<user::Model> {
    require_admin(actor)?;
    user::Entity::find_by_id(user_id).one(db).await?.ok_or(ApiError::NotFound)?;
    // Not a step on a review: an account belongs to no review.
    let txn = db.begin().await?;
    revoke(&txn, user_id, false).await?;
    account_log(&txn, Some(actor.user.id), "end_sessions", user_id).await?;
    txn.commit().await?;
    user::Entity::find_by_id(user_id).one(db).await?.ok_or(ApiError::NotFound)
}
