//! A second factor for local accounts: TOTP (RFC 6238, SHA-1, 6 digits, 30 s) with
//! ten single-use recovery codes.
//!
//! A password alone never starts a session for an account that has the factor, nor
//! for one that must have it (a role that reads names in full, or a board that asks it
//! of everyone): the password answers a short-lived challenge instead, and the code
//! (or, the first time, enrolment) completes the sign-in. A code's time step is
//! accepted once. Codes are paced like passwords, per account. The factor is reset by
//! an administrator or an officer of the person's board; for an account that reads
//! names, by two of them, one proposing and another confirming.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, TransactionTrait,
};
use shared::policy::{self, Operation, grant_needs_second_person};
use shared::role::Role;
use totp_rs::{Algorithm, Secret, TOTP};

use crate::auth::Tokens;
use crate::context::Caller;
use crate::entities::{agency, board, recovery_code, role_grant, user};
use crate::errors::{ApiError, ApiResult};

/// What a correct password leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// A session starts.
    Nothing,
    /// The account's code (or a recovery code) is asked for.
    Code,
    /// The account must enrol a factor before its first session.
    Enrol,
}

/// The audiences of the challenges a correct password answers with.
pub const CODE_CHALLENGE: &str = "scr-second-factor";
pub const ENROL_CHALLENGE: &str = "scr-enrol-second-factor";

const ISSUER: &str = "Serious Case Reviews";
const STEP_SECONDS: u64 = 30;
pub const RECOVERY_CODES: usize = 10;
/// Wrong codes in a row after which the factor is locked until someone resets it: the
/// pace alone (one attempt a minute) would let a patient guesser through in months.
pub const MAX_FAILURES: i32 = 10;

/// Whether the account must sign in with a second factor: a role that reads names in
/// full (or the administrator's), or a board of theirs that asks it of everyone.
pub async fn required(db: &impl ConnectionTrait, u: &user::Model) -> ApiResult<bool> {
    let grants = role_grant::Entity::find().filter(role_grant::Column::UserId.eq(u.id)).all(db).await?;
    if grants.iter().any(|g| Role::parse(&g.role).is_some_and(grant_needs_second_person)) {
        return Ok(true);
    }
    let mut boards: Vec<i32> = grants.iter().filter_map(|g| g.board_id).collect();
    let agencies: Vec<i32> = grants.iter().filter_map(|g| g.agency_id).chain(u.agency_id).collect();
    if !agencies.is_empty() {
        let found = agency::Entity::find().filter(agency::Column::Id.is_in(agencies)).all(db).await?;
        boards.extend(found.iter().map(|a| a.board_id));
    }
    if boards.is_empty() {
        return Ok(false);
    }
    Ok(board::Entity::find()
        .filter(board::Column::Id.is_in(boards))
        .filter(board::Column::SecondFactorForAll.eq(true))
        .one(db)
        .await?
        .is_some())
}

/// What a correct password for `u` leads to, under the server's rules.
pub async fn need(
    db: &impl ConnectionTrait,
    rules: &super::sessions::SessionRules,
    u: &user::Model,
) -> ApiResult<Need> {
    if u.totp_secret.is_some() {
        Ok(Need::Code)
    } else if rules.second_factor_required && required(db, u).await? {
        Ok(Need::Enrol)
    } else {
        Ok(Need::Nothing)
    }
}

fn totp(secret: Vec<u8>, account: &str) -> ApiResult<TOTP> {
    TOTP::new(Algorithm::SHA1, 6, 0, STEP_SECONDS, secret, Some(ISSUER.to_owned()), account.to_owned())
        .map_err(ApiError::internal)
}

fn decode(secret_b32: &str) -> ApiResult<Vec<u8>> {
    Secret::Encoded(secret_b32.to_owned()).to_bytes().map_err(ApiError::internal)
}

/// The time step a code belongs to (the current one or either neighbour, for clocks a
/// little apart), if it is right and later than `after`.
pub fn matching_step(secret_b32: &str, code: &str, now: i64, after: Option<i64>) -> ApiResult<Option<i64>> {
    let t = totp(decode(secret_b32)?, "check")?;
    let current = now / STEP_SECONDS as i64;
    for step in [current - 1, current, current + 1] {
        if after.is_some_and(|a| step <= a) || step < 0 {
            continue;
        }
        if t.check(code, step as u64 * STEP_SECONDS) {
            return Ok(Some(step));
        }
    }
    Ok(None)
}

/// A code for `secret_b32` at `unix_seconds` (tests and the command line compute codes).
pub fn code_at(secret_b32: &str, unix_seconds: u64) -> ApiResult<String> {
    Ok(totp(decode(secret_b32)?, "code")?.generate(unix_seconds))
}

/// A new secret to enrol, shown as text, as an `otpauth://` address and as a QR code.
#[derive(Debug, Clone)]
pub struct Enrolment {
    pub secret: String,
    pub uri: String,
    pub qr_svg: String,
}

/// Starts enrolling `u`: a fresh secret, kept aside until a code from it confirms it.
pub async fn start_enrolment(db: &DatabaseConnection, u: &user::Model) -> ApiResult<Enrolment> {
    if u.totp_secret.is_some() {
        return Err(ApiError::invalid(
            "secondFactor",
            "You already have a second factor. To replace it, ask an administrator to reset it.",
        ));
    }
    let secret = Secret::generate_secret();
    let bytes = secret.to_bytes().map_err(ApiError::internal)?;
    let t = totp(bytes, &u.email)?;
    let encoded = t.get_secret_base32();
    let uri = t.get_url();
    let qr_svg = qrcode::QrCode::new(uri.as_bytes())
        .map_err(ApiError::internal)?
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .build();
    user::ActiveModel { id: Set(u.id), totp_pending_secret: Set(Some(encoded.clone())), ..Default::default() }
        .update(db)
        .await?;
    Ok(Enrolment { secret: encoded, uri, qr_svg })
}

fn normalise_recovery(code: &str) -> String {
    code.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

fn hash(code: &str) -> String {
    super::links::hash(&normalise_recovery(code))
}

fn new_recovery_code() -> String {
    use rand_core::{OsRng, RngCore};
    // No 0/o, 1/l/i: read off paper without doubt.
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut out = String::with_capacity(11);
    for i in 0..10 {
        if i == 5 {
            out.push('-');
        }
        let pick = (OsRng.next_u32() as usize) % ALPHABET.len();
        out.push(char::from(ALPHABET[pick]));
    }
    out
}

/// Confirms enrolment with a code from the secret shown: the factor is the account's,
/// and ten recovery codes are made (shown this once, stored hashed).
pub async fn confirm_enrolment(
    db: &DatabaseConnection,
    user_id: i32,
    code: &str,
    actor: Option<i32>,
) -> ApiResult<Vec<String>> {
    let u = user::Entity::find_by_id(user_id).one(db).await?.ok_or(ApiError::Unauthenticated)?;
    let pending = u.totp_pending_secret.clone().ok_or_else(|| {
        ApiError::invalid("code", "Start setting up the second factor again: no secret is waiting for a code")
    })?;
    let key = attempt_key(u.id);
    super::reserve_attempt(db, &key).await?;
    let Some(step) = matching_step(&pending, code.trim(), Utc::now().timestamp(), None)? else {
        return Err(ApiError::invalid("code", "That code is not right. Enter the 6 digits your app shows now."));
    };
    super::attempt_succeeded(db, &key).await?;
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
    // Not a step on a review: an account's second factor belongs to no review.
    let txn = db.begin().await?;
    let done = user::Entity::update_many()
        .col_expr(user::Column::TotpSecret, sea_orm::sea_query::Expr::value(Some(pending.clone())))
        .col_expr(user::Column::TotpPendingSecret, sea_orm::sea_query::Expr::value(Option::<String>::None))
        .col_expr(user::Column::TotpLastStep, sea_orm::sea_query::Expr::value(Some(step)))
        .filter(user::Column::Id.eq(u.id))
        .filter(user::Column::TotpSecret.is_null())
        .filter(user::Column::TotpPendingSecret.eq(pending))
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(ApiError::invalid("code", "Setting up the second factor was finished or restarted elsewhere"));
    }
    recovery_code::Entity::delete_many().filter(recovery_code::Column::UserId.eq(u.id)).exec(&txn).await?;
    for c in &codes {
        recovery_code::ActiveModel {
            user_id: Set(u.id),
            code_hash: Set(hash(c)),
            used_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    super::accounts::account_log(&txn, Some(actor.unwrap_or(u.id)), "enrol_second_factor", u.id).await?;
    txn.commit().await?;
    Ok(codes)
}

fn attempt_key(user_id: i32) -> String {
    format!("second-factor:{user_id}")
}

/// How `code` signs `u` in: the app's code for a step not used before, or an unused
/// recovery code (then spent). `None` when it is neither.
async fn check_code(
    db: &DatabaseConnection,
    u: &user::Model,
    secret: &str,
    code: &str,
) -> ApiResult<Option<&'static str>> {
    let typed: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if typed.len() == 6 && typed.chars().all(|c| c.is_ascii_digit()) {
        let Some(step) = matching_step(secret, &typed, Utc::now().timestamp(), u.totp_last_step)? else {
            return Ok(None);
        };
        // Compare-and-set: a code's step is accepted once, even by two requests at once.
        let mut update = user::Entity::update_many()
            .col_expr(user::Column::TotpLastStep, sea_orm::sea_query::Expr::value(Some(step)))
            .filter(user::Column::Id.eq(u.id));
        update = match u.totp_last_step {
            Some(last) => update.filter(user::Column::TotpLastStep.eq(last)),
            None => update.filter(user::Column::TotpLastStep.is_null()),
        };
        return Ok((update.exec(db).await?.rows_affected == 1).then_some("password+totp"));
    }
    let spent = recovery_code::Entity::update_many()
        .col_expr(recovery_code::Column::UsedAt, sea_orm::sea_query::Expr::value(Some(Utc::now())))
        .filter(recovery_code::Column::UserId.eq(u.id))
        .filter(recovery_code::Column::CodeHash.eq(hash(&typed)))
        .filter(recovery_code::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if spent.rows_affected != 1 {
        return Ok(None);
    }
    // Not a step on a review: an account's second factor belongs to no review.
    let txn = db.begin().await?;
    super::accounts::account_log(&txn, Some(u.id), "use_recovery_code", u.id).await?;
    txn.commit().await?;
    Ok(Some("password+recovery-code"))
}

/// Checks a code, or a recovery code, for the account a code challenge names. Answers
/// the account and how it signed in.
pub async fn verify(
    db: &DatabaseConnection,
    tokens: &Tokens,
    challenge: &str,
    code: &str,
) -> ApiResult<(user::Model, &'static str)> {
    let (user_id, generation) = tokens.verify_challenge(challenge, CODE_CHALLENGE)?;
    let u = user::Entity::find_by_id(user_id).one(db).await?.ok_or(ApiError::Unauthenticated)?;
    if !u.active || u.session_generation != generation {
        return Err(ApiError::Unauthenticated);
    }
    let Some(secret) = u.totp_secret.clone() else {
        return Err(ApiError::Unauthenticated);
    };
    if code.len() > 64 {
        return Err(ApiError::invalid("code", "Enter the 6 digits your app shows, or a recovery code"));
    }
    if u.totp_failures.unwrap_or(0) >= MAX_FAILURES {
        return Err(ApiError::invalid(
            "code",
            "Too many wrong codes: your second factor is locked. Ask an administrator to reset it.",
        ));
    }
    let key = attempt_key(u.id);
    super::reserve_attempt(db, &key).await?;
    let method = match check_code(db, &u, &secret, code).await? {
        Some(m) => m,
        None => {
            user::Entity::update_many()
                .col_expr(
                    user::Column::TotpFailures,
                    sea_orm::sea_query::ExprTrait::add(
                        sea_orm::sea_query::Func::coalesce([
                            sea_orm::sea_query::Expr::col(user::Column::TotpFailures),
                            sea_orm::sea_query::Expr::val(0),
                        ]),
                        1,
                    ),
                )
                .filter(user::Column::Id.eq(u.id))
                .exec(db)
                .await?;
            return Err(ApiError::invalid("code", "That code is not right, or has been used"));
        }
    };
    user::ActiveModel { id: Set(u.id), totp_failures: Set(None), ..Default::default() }.update(db).await?;
    super::attempt_succeeded(db, &key).await?;
    Ok((u, method))
}

/// Recovery codes the account has not used.
pub async fn recovery_codes_left(db: &impl ConnectionTrait, user_id: i32) -> ApiResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(recovery_code::Entity::find()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .filter(recovery_code::Column::UsedAt.is_null())
        .count(db)
        .await?)
}

/// What asking to reset a second factor did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetOutcome {
    /// A second person must confirm it.
    Proposed,
    /// The factor is gone; the person enrols again at their next sign-in.
    Reset,
}

/// Resets a person's second factor (lost phone). An administrator or an officer of a
/// board the person holds a role on may ask; for an account that reads names, a second
/// such person, not the one who proposed, confirms. Every session of theirs ends.
pub async fn reset(db: &DatabaseConnection, actor: &Caller, user_id: i32) -> ApiResult<ResetOutcome> {
    let u = user::Entity::find_by_id(user_id).one(db).await?.ok_or(ApiError::NotFound)?;
    let grants = role_grant::Entity::find().filter(role_grant::Column::UserId.eq(u.id)).all(db).await?;
    let their_boards: Vec<i32> = grants.iter().filter_map(|g| g.board_id).collect();
    let admin = policy::may_globally(&actor.roles(), Operation::ManageUsers);
    let officer = actor.grants.iter().any(|g| {
        matches!(g.role, Role::BoardChair | Role::BusinessManager)
            && g.board.is_some_and(|b| their_boards.contains(&b.0))
    });
    if !(admin || officer) {
        return Err(ApiError::Forbidden("reset this person's second factor".into()));
    }
    if u.id == actor.user.id {
        return Err(ApiError::invalid("userId", "Someone else resets your second factor"));
    }
    if u.totp_secret.is_none() && u.totp_pending_secret.is_none() {
        return Err(ApiError::invalid("userId", "This person has no second factor to reset"));
    }
    let two_people = grants.iter().any(|g| Role::parse(&g.role).is_some_and(grant_needs_second_person));
    // Not a step on a review: an account's second factor belongs to no review.
    let txn = db.begin().await?;
    if two_people && u.factor_reset_proposed_by.is_none_or(|p| p == actor.user.id) {
        if u.factor_reset_proposed_by == Some(actor.user.id) {
            return Err(ApiError::invalid("userId", "A second person confirms the reset you proposed"));
        }
        user::ActiveModel { id: Set(u.id), factor_reset_proposed_by: Set(Some(actor.user.id)), ..Default::default() }
            .update(&txn)
            .await?;
        super::accounts::account_log(&txn, Some(actor.user.id), "propose_second_factor_reset", u.id).await?;
        txn.commit().await?;
        return Ok(ResetOutcome::Proposed);
    }
    user::Entity::update_many()
        .col_expr(user::Column::TotpSecret, sea_orm::sea_query::Expr::value(Option::<String>::None))
        .col_expr(user::Column::TotpPendingSecret, sea_orm::sea_query::Expr::value(Option::<String>::None))
        .col_expr(user::Column::TotpLastStep, sea_orm::sea_query::Expr::value(Option::<i64>::None))
        .col_expr(user::Column::TotpFailures, sea_orm::sea_query::Expr::value(Option::<i32>::None))
        .col_expr(user::Column::FactorResetProposedBy, sea_orm::sea_query::Expr::value(Option::<i32>::None))
        .col_expr(
            user::Column::SessionGeneration,
            sea_orm::sea_query::ExprTrait::add(sea_orm::sea_query::Expr::col(user::Column::SessionGeneration), 1),
        )
        .filter(user::Column::Id.eq(u.id))
        .exec(&txn)
        .await?;
    recovery_code::Entity::delete_many().filter(recovery_code::Column::UserId.eq(u.id)).exec(&txn).await?;
    super::accounts::account_log(&txn, Some(actor.user.id), "reset_second_factor", u.id).await?;
    txn.commit().await?;
    Ok(ResetOutcome::Reset)
}

/// Sets whether everyone on a board signs in with a second factor.
pub async fn set_board_rule(db: &DatabaseConnection, actor: &Caller, board_id: i32, for_all: bool) -> ApiResult<()> {
    let admin = policy::may_globally(&actor.roles(), Operation::ManageOrganisations);
    let chair = actor.grants.iter().any(|g| g.role == Role::BoardChair && g.board.map(|b| b.0) == Some(board_id));
    if !(admin || chair) {
        return Err(ApiError::Forbidden("set this board's sign-in rule".into()));
    }
    board::Entity::find_by_id(board_id).one(db).await?.ok_or(ApiError::NotFound)?;
    // Not a step on a review: an account's second factor belongs to no review.
    let txn = db.begin().await?;
    board::ActiveModel { id: Set(board_id), second_factor_for_all: Set(for_all), ..Default::default() }
        .update(&txn)
        .await?;
    crate::audit::record(
        &txn,
        crate::audit::Entry {
            actor: Some(actor.user.id),
            operation: if for_all { "require_second_factor_for_all" } else { "require_second_factor_for_names" },
            record_type: "board",
            record_id: board_id,
            review_id: None,
            version: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_accepted_in_its_step_and_its_neighbours_once() {
        let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
        let now = 1_800_000_000_i64;
        let code = code_at(secret, now as u64).unwrap();
        let step = now / 30;
        assert_eq!(matching_step(secret, &code, now, None).unwrap(), Some(step));
        assert_eq!(matching_step(secret, &code, now + 30, None).unwrap(), Some(step), "a neighbour's clock");
        assert_eq!(matching_step(secret, &code, now + 90, None).unwrap(), None, "too old");
        assert_eq!(matching_step(secret, &code, now, Some(step)).unwrap(), None, "replayed");
        assert_eq!(matching_step(secret, "000000", now, None).unwrap().is_some(), code == "000000");
    }

    #[test]
    fn recovery_codes_are_read_however_typed() {
        let c = new_recovery_code();
        assert_eq!(c.len(), 11);
        assert_eq!(hash(&c), hash(&format!(" {} ", c.to_uppercase().replace('-', " "))));
        assert_ne!(hash(&c), hash(&new_recovery_code()));
    }
}
