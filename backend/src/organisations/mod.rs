//! Organisations after the first board: boards (created and renamed), the local
//! authority areas each covers, and agencies (created, renamed, closed and reopened).
//! Nothing a review refers to is deleted: a closed agency stays on the reviews that
//! name it and leaves every picker. Administrators only; each change is an audit entry.
//! The first board and administrator come from `scr init` (`init.rs`).

pub mod graphql;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, TransactionTrait,
};
use shared::deadline::ProcedureProfile;
use shared::policy::{self, Operation};
use shared::value::Text;

use crate::audit::{self, Entry};
use crate::context::Caller;
use crate::entities::*;
use crate::errors::{ApiError, ApiResult};
use crate::step::on_duplicate;

/// The kinds of agency a board works with, as stored.
pub const AGENCY_KINDS: [&str; 6] = ["police", "health", "social_care", "education", "probation", "other"];

fn require(actor: &Caller) -> ApiResult<()> {
    if policy::may_globally(&actor.roles(), Operation::ManageOrganisations) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(Operation::ManageOrganisations.title().to_lowercase()))
    }
}

/// A name of 1 to 120 characters, trimmed, for `field`.
pub(crate) fn name(field: &str, raw: &str) -> ApiResult<String> {
    let t = Text::parse(field, raw)?.into_inner();
    if t.chars().count() > 120 {
        return Err(ApiError::invalid(field, "A name must be 120 characters or fewer"));
    }
    Ok(t)
}

pub(crate) async fn log(
    txn: &impl ConnectionTrait,
    actor: Option<i32>,
    operation: &str,
    kind: &str,
    id: i32,
) -> ApiResult<()> {
    audit::record(txn, Entry { actor, operation, record_type: kind, record_id: id, review_id: None, version: None })
        .await?;
    Ok(())
}

async fn board_named(db: &impl ConnectionTrait, n: &str) -> ApiResult<Option<board::Model>> {
    let all = board::Entity::find().all(db).await?;
    Ok(all.into_iter().find(|b| b.name.eq_ignore_ascii_case(n)))
}

pub(crate) async fn insert_board(txn: &impl ConnectionTrait, n: String) -> ApiResult<board::Model> {
    let profile = serde_json::to_string(&ProcedureProfile::working_together_2010()).map_err(ApiError::internal)?;
    board::ActiveModel {
        name: Set(n),
        procedure_profile: Set(profile),
        created_at: Set(Utc::now()),
        second_factor_for_all: Set(false),
        ..Default::default()
    }
    .insert(txn)
    .await
    .map_err(|e| on_duplicate(e, || ApiError::invalid("name", "A board with this name already exists")))
}

/// Creates a board, with the procedure's usual timetable.
pub async fn create_board(db: &DatabaseConnection, actor: &Caller, raw_name: &str) -> ApiResult<board::Model> {
    require(actor)?;
    let n = name("name", raw_name)?;
    if board_named(db, &n).await?.is_some() {
        return Err(ApiError::invalid("name", "A board with this name already exists"));
    }
    // Not a step on a review: a board belongs to no review.
    let txn = db.begin().await?;
    let b = insert_board(&txn, n).await?;
    log(&txn, Some(actor.user.id), "create_board", "board", b.id).await?;
    txn.commit().await?;
    Ok(b)
}

/// Renames a board; its reviews keep pointing at it.
pub async fn rename_board(
    db: &DatabaseConnection,
    actor: &Caller,
    board_id: i32,
    raw: &str,
) -> ApiResult<board::Model> {
    require(actor)?;
    let n = name("name", raw)?;
    let b = board::Entity::find_by_id(board_id).one(db).await?.ok_or(ApiError::NotFound)?;
    if let Some(other) = board_named(db, &n).await?
        && other.id != b.id
    {
        return Err(ApiError::invalid("name", "A board with this name already exists"));
    }
    // Not a step on a review: a board belongs to no review.
    let txn = db.begin().await?;
    let b = board::ActiveModel { id: Set(b.id), name: Set(n), ..Default::default() }
        .update(&txn)
        .await
        .map_err(|e| on_duplicate(e, || ApiError::invalid("name", "A board with this name already exists")))?;
    log(&txn, Some(actor.user.id), "rename_board", "board", b.id).await?;
    txn.commit().await?;
    Ok(b)
}

/// Sets a board's own closure days (a Christmas shutdown, a local holiday), skipped
/// with weekends and the bank holidays of England and Wales when working days are
/// counted for its reviews from now on; deadlines already set keep their dates.
pub async fn set_closure_days(
    db: &DatabaseConnection,
    actor: &Caller,
    board_id: i32,
    mut days: Vec<chrono::NaiveDate>,
) -> ApiResult<board::Model> {
    require(actor)?;
    days.sort();
    days.dedup();
    if days.len() > 366 {
        return Err(ApiError::invalid("days", "A board can close on at most 366 days"));
    }
    let b = board::Entity::find_by_id(board_id).one(db).await?.ok_or(ApiError::NotFound)?;
    let raw = serde_json::to_string(&days).map_err(ApiError::internal)?;
    // Not a step on a review: a board belongs to no review.
    let txn = db.begin().await?;
    let b = board::ActiveModel { id: Set(b.id), closure_days: Set(raw), ..Default::default() }.update(&txn).await?;
    log(&txn, Some(actor.user.id), "set_closure_days", "board", b.id).await?;
    txn.commit().await?;
    Ok(b)
}

/// Sets the procedure a board runs reviews by from now on, with that procedure's
/// timetable. Reviews already under way keep the procedure they started under.
pub async fn set_procedure(
    db: &DatabaseConnection,
    actor: &Caller,
    board_id: i32,
    kind: shared::profile::ProfileKind,
) -> ApiResult<board::Model> {
    require(actor)?;
    let b = board::Entity::find_by_id(board_id).one(db).await?.ok_or(ApiError::NotFound)?;
    let raw = serde_json::to_string(&ProcedureProfile::of(kind)).map_err(ApiError::internal)?;
    // Not a step on a review: a board belongs to no review.
    let txn = db.begin().await?;
    let b =
        board::ActiveModel { id: Set(b.id), procedure_profile: Set(raw), ..Default::default() }.update(&txn).await?;
    log(&txn, Some(actor.user.id), "set_procedure", "board", b.id).await?;
    txn.commit().await?;
    Ok(b)
}

pub(crate) async fn insert_area(
    txn: &impl ConnectionTrait,
    board_id: i32,
    n: String,
) -> ApiResult<local_authority_area::Model> {
    local_authority_area::ActiveModel { name: Set(n), board_id: Set(board_id), ..Default::default() }
        .insert(txn)
        .await
        .map_err(|e| on_duplicate(e, || ApiError::invalid("name", "An area with this name already exists")))
}

/// Adds a local authority area to the board that covers it (each area has one board).
pub async fn add_area(
    db: &DatabaseConnection,
    actor: &Caller,
    board_id: i32,
    raw: &str,
) -> ApiResult<local_authority_area::Model> {
    require(actor)?;
    let n = name("name", raw)?;
    board::Entity::find_by_id(board_id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::invalid("boardId", "No board has that id"))?;
    let all = local_authority_area::Entity::find().all(db).await?;
    if all.iter().any(|a| a.name.eq_ignore_ascii_case(&n)) {
        return Err(ApiError::invalid("name", "An area with this name already exists"));
    }
    // Not a step on a review: an area belongs to no review.
    let txn = db.begin().await?;
    let a = insert_area(&txn, board_id, n).await?;
    log(&txn, Some(actor.user.id), "add_area", "local_authority_area", a.id).await?;
    txn.commit().await?;
    Ok(a)
}

async fn agency_named(db: &impl ConnectionTrait, board_id: i32, n: &str) -> ApiResult<Option<agency::Model>> {
    let all = agency::Entity::find().filter(agency::Column::BoardId.eq(board_id)).all(db).await?;
    Ok(all.into_iter().find(|a| a.name.eq_ignore_ascii_case(n)))
}

/// Creates an agency of a board.
pub async fn create_agency(
    db: &DatabaseConnection,
    actor: &Caller,
    board_id: i32,
    raw: &str,
    kind: &str,
) -> ApiResult<agency::Model> {
    require(actor)?;
    let mut problems = crate::step::Problems::default();
    let n = problems.check(name("name", raw).map_err(first));
    if !AGENCY_KINDS.contains(&kind) {
        problems.push("kind", format!("Choose one of: {}", AGENCY_KINDS.join(", ")));
    }
    if board::Entity::find_by_id(board_id).one(db).await?.is_none() {
        problems.push("boardId", "No board has that id");
    } else if let Some(n) = &n
        && agency_named(db, board_id, n).await?.is_some()
    {
        problems.push("name", "The board already has an agency with this name");
    }
    problems.finish()?;
    let n = n.ok_or_else(|| ApiError::invalid("name", "Give the agency a name"))?;
    // Not a step on a review: an agency belongs to no review.
    let txn = db.begin().await?;
    let a = agency::ActiveModel {
        name: Set(n),
        kind: Set(kind.to_owned()),
        board_id: Set(board_id),
        active: Set(true),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| on_duplicate(e, || ApiError::invalid("name", "The board already has an agency with this name")))?;
    log(&txn, Some(actor.user.id), "create_agency", "agency", a.id).await?;
    txn.commit().await?;
    Ok(a)
}

/// The first validation error of an `ApiError`, for `Problems::check`.
fn first(e: ApiError) -> shared::ValidationError {
    match e {
        ApiError::Validation(mut v) if !v.is_empty() => v.remove(0),
        other => shared::ValidationError::new("name", other.to_string()),
    }
}

/// Renames an agency; the reviews that name it show the new name.
pub async fn rename_agency(
    db: &DatabaseConnection,
    actor: &Caller,
    agency_id: i32,
    raw: &str,
) -> ApiResult<agency::Model> {
    require(actor)?;
    let n = name("name", raw)?;
    let a = agency::Entity::find_by_id(agency_id).one(db).await?.ok_or(ApiError::NotFound)?;
    if let Some(other) = agency_named(db, a.board_id, &n).await?
        && other.id != a.id
    {
        return Err(ApiError::invalid("name", "The board already has an agency with this name"));
    }
    // Not a step on a review: an agency belongs to no review.
    let txn = db.begin().await?;
    let a = agency::ActiveModel { id: Set(a.id), name: Set(n), ..Default::default() }
        .update(&txn)
        .await
        .map_err(|e| on_duplicate(e, || ApiError::invalid("name", "The board already has an agency with this name")))?;
    log(&txn, Some(actor.user.id), "rename_agency", "agency", a.id).await?;
    txn.commit().await?;
    Ok(a)
}

/// Closes an agency (it stays on old reviews and leaves every picker) or reopens it.
pub async fn set_agency_open(
    db: &DatabaseConnection,
    actor: &Caller,
    agency_id: i32,
    open: bool,
) -> ApiResult<agency::Model> {
    require(actor)?;
    let a = agency::Entity::find_by_id(agency_id).one(db).await?.ok_or(ApiError::NotFound)?;
    if a.active == open {
        let state = if open { "open" } else { "closed" };
        return Err(ApiError::invalid("agencyId", format!("The agency is already {state}")));
    }
    // Not a step on a review: an agency belongs to no review.
    let txn = db.begin().await?;
    let a = agency::ActiveModel { id: Set(a.id), active: Set(open), ..Default::default() }.update(&txn).await?;
    log(&txn, Some(actor.user.id), if open { "reopen_agency" } else { "close_agency" }, "agency", a.id).await?;
    txn.commit().await?;
    Ok(a)
}
