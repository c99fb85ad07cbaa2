//! Accounts: creating a user with role grants, and signing in (argon2id, throttled
//! per account).

pub mod accounts;
pub mod administration;
pub mod grants;
pub mod graphql;
pub mod links;
pub mod people;
pub mod second_factor;
pub mod sessions;

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};
use shared::policy::{self, Grant, Operation};
use shared::role::Role;
use shared::value::{Email, PersonName, Text, check_new_password, check_new_password_for};

use crate::audit::{self, Entry};
use crate::auth;
use crate::context::Caller;
use crate::entities::*;
use crate::errors::{ApiError, ApiResult};
use crate::step::{Problems, on_duplicate};

/// A new account with its role grants.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub job_title: Option<String>,
    pub agency_id: Option<i32>,
    pub password: String,
    pub grants: Vec<Grant>,
}

/// The e-mail address (unused), name and password of a new account, each problem
/// named by its field.
async fn identity_problems(
    db: &DatabaseConnection,
    problems: &mut Problems,
    email: &str,
    name: &str,
    password: &str,
) -> ApiResult<(Option<Email>, Option<PersonName>)> {
    let email = problems.check(Email::parse(email));
    let name = problems.check(PersonName::parse(name));
    if let Some(e) = &email {
        problems.check(check_new_password_for(password, e.as_ref()));
        if user::Entity::find().filter(user::Column::Email.eq(e.as_ref())).one(db).await?.is_some() {
            problems.push("email", "A user with this e-mail address already exists");
        }
    } else {
        problems.check(check_new_password(password));
    }
    Ok((email, name))
}

/// Checks a new account's e-mail address, name and password without writing anything.
pub async fn check_new_user(db: &DatabaseConnection, email: &str, name: &str, password: &str) -> ApiResult<()> {
    let mut problems = Problems::default();
    identity_problems(db, &mut problems, email, name, password).await?;
    problems.finish()
}

/// Refuses anyone but an administrator (who manages accounts).
pub(crate) fn require_admin(actor: &Caller) -> ApiResult<()> {
    if policy::may_globally(&actor.roles(), Operation::ManageUsers) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(Operation::ManageUsers.title().to_lowercase()))
    }
}

/// The problems of a new account's roles: none, the administrator's combined with
/// another, a board role without its board, an agency role without its agency.
pub(crate) fn grant_problems(problems: &mut Problems, grants: &[Grant], agency_id: Option<i32>) {
    if grants.is_empty() {
        problems.push("roles", "Give the user at least one role");
    }
    if grants.iter().any(|g| g.role == Role::SystemAdministrator) && grants.len() > 1 {
        problems.push(
            "roles",
            "The system administrator's role reads no case content and is held alone: use a separate account",
        );
    }
    for (i, g) in grants.iter().enumerate() {
        if g.role.is_board_role() && g.board.is_none() {
            problems
                .push(format!("roles.{i}.boardId"), format!("{} is held for a board: name the board", g.role.title()));
        }
        if g.role.is_agency_role() && g.agency.is_none() && agency_id.is_none() {
            problems.push(
                format!("roles.{i}.agencyId"),
                format!("{} is held for an agency: name the agency", g.role.title()),
            );
        }
    }
}

/// A grant as stored for an account of `agency_id`: an agency role without its own
/// agency is held for the account's.
pub(crate) fn with_account_agency(g: &Grant, agency_id: Option<i32>) -> Grant {
    let own = if g.role.is_agency_role() { agency_id.map(shared::AgencyId) } else { None };
    Grant { role: g.role, board: g.board, agency: g.agency.or(own) }
}

/// Creates a user. `actor` is the administrator (None from the command line).
pub async fn create_user(db: &DatabaseConnection, actor: Option<&Caller>, input: NewUser) -> ApiResult<user::Model> {
    if let Some(c) = actor {
        require_admin(c)?;
    }
    let mut problems = Problems::default();
    let (email, name) = identity_problems(db, &mut problems, &input.email, &input.name, &input.password).await?;
    let job_title =
        problems.check(Text::parse_optional("jobTitle", input.job_title.as_deref().unwrap_or(""))).flatten();
    grant_problems(&mut problems, &input.grants, input.agency_id);
    if let Some(ag) = input.agency_id
        && agency::Entity::find_by_id(ag).one(db).await?.is_none()
    {
        problems.push("agencyId", "No agency has that id");
    }
    for (i, g) in input.grants.iter().enumerate() {
        if let Some(b) = g.board
            && board::Entity::find_by_id(b.0).one(db).await?.is_none()
        {
            problems.push(format!("roles.{i}.boardId"), "No board has that id");
        }
        if let Some(a) = g.agency
            && agency::Entity::find_by_id(a.0).one(db).await?.is_none()
        {
            problems.push(format!("roles.{i}.agencyId"), "No agency has that id");
        }
    }
    problems.finish()?;
    let (Some(email), Some(name)) = (email, name) else {
        return Err(ApiError::invalid("email", "Incomplete"));
    };
    let hash = auth::hash_password(&input.password)?;
    // Not a step on a review: a user account belongs to no review.
    let txn = db.begin().await?;
    let u = user::ActiveModel {
        email: Set(email.as_ref().to_owned()),
        name: Set(name.as_ref().to_owned()),
        job_title: Set(job_title.map(Text::into_inner)),
        password_hash: Set(hash),
        agency_id: Set(input.agency_id),
        active: Set(true),
        created_at: Set(Utc::now()),
        // Typed by an administrator: not the owner's alone. From the command line:
        // whoever runs the server is outside the two-person rule.
        password_private: Set(actor.is_none()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| on_duplicate(e, || ApiError::invalid("email", "A user with this e-mail address already exists")))?;
    for g in &input.grants {
        grants::grant_or_propose(&txn, actor, u.id, &with_account_agency(g, input.agency_id)).await?;
    }
    audit::record(
        &txn,
        Entry {
            actor: actor.map(|c| c.user.id),
            operation: Operation::ManageUsers.as_str(),
            record_type: "user",
            record_id: u.id,
            review_id: None,
            version: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(u)
}

/// Signs a user in: a token, or `UNAUTHENTICATED` without saying which part was wrong.
///
/// Each attempt is reserved in the database before its password is checked, so the
/// pace holds when attempts arrive together, at one instance or several: after
/// `LOGIN_FREE_FAILURES` failures within the window, each further attempt waits a
/// delay that doubles up to `LOGIN_MAX_DELAY_SECONDS`. A stranger can slow an account
/// down that much, never lock it out. An unknown account is paced alike, so neither
/// tells. Failures older than the window are removed.
pub async fn login(db: &DatabaseConnection, email: &str, password: &str) -> ApiResult<user::Model> {
    let key = Email::parse(email).map_or_else(|_| email.trim().to_lowercase(), |e| e.as_ref().to_owned());
    if key.len() > 320 || password.len() > 1024 {
        return Err(ApiError::Unauthenticated);
    }
    // Keys name their kind, so that nothing typed as an address paces a second factor.
    let key = format!("sign-in:{key}");
    reserve_attempt(db, &key).await?;
    let found = match Email::parse(email) {
        Ok(e) => user::Entity::find().filter(user::Column::Email.eq(e.as_ref())).one(db).await?,
        Err(_) => None,
    };
    let hash = found.as_ref().map_or_else(|| auth::decoy_hash().to_owned(), |u| u.password_hash.clone());
    let pw = password.to_owned();
    // argon2 is deliberately slow: keep it off the async workers.
    let ok =
        tokio::task::spawn_blocking(move || auth::verify_password(&hash, &pw)).await.map_err(ApiError::internal)?;
    match found {
        Some(u) if ok && u.active => {
            attempt_succeeded(db, &key).await?;
            let u = user::ActiveModel { id: Set(u.id), last_sign_in_at: Set(Some(Utc::now())), ..Default::default() }
                .update(db)
                .await?;
            Ok(u)
        }
        // The reservation stays as the failure.
        _ => Err(ApiError::Unauthenticated),
    }
}

/// Reserves an attempt at the secret behind `key` (an account's e-mail address, or its
/// second factor): refused with the time to wait while earlier failures pace it. The
/// reservation counts as a failure until `attempt_succeeded` clears the key.
pub(crate) async fn reserve_attempt(db: &DatabaseConnection, key: &str) -> ApiResult<()> {
    let now = Utc::now();
    let since = now - Duration::minutes(LOGIN_WINDOW_MINUTES);
    login_failure::Entity::delete_many().filter(login_failure::Column::FailedAt.lt(since)).exec(db).await?;
    let mine = login_failure::ActiveModel { email: Set(key.to_owned()), failed_at: Set(now), ..Default::default() }
        .insert(db)
        .await?;
    let earlier = login_failure::Entity::find()
        .filter(login_failure::Column::Email.eq(key))
        .filter(login_failure::Column::Id.lt(mine.id))
        .filter(login_failure::Column::FailedAt.gt(since))
        .order_by_asc(login_failure::Column::FailedAt)
        .all(db)
        .await?;
    let wait = login_delay(earlier.len());
    if let Some(last) = earlier.last() {
        let waited = (now - last.failed_at).num_milliseconds();
        if waited < wait * 1000 {
            // Not an attempt: nothing was checked, so it counts for nothing.
            login_failure::Entity::delete_by_id(mine.id).exec(db).await?;
            let retry_after = Ord::max((wait * 1000 - waited + 999) / 1000, 1);
            return Err(ApiError::TooManyAttempts { retry_after });
        }
    }
    Ok(())
}

/// Clears the failures of `key` after an attempt that succeeded.
pub(crate) async fn attempt_succeeded(db: &DatabaseConnection, key: &str) -> ApiResult<()> {
    login_failure::Entity::delete_many().filter(login_failure::Column::Email.eq(key)).exec(db).await?;
    Ok(())
}

/// Seconds an attempt waits after `failures` recent failures of its account.
pub fn login_delay(failures: usize) -> i64 {
    if failures < LOGIN_FREE_FAILURES {
        0
    } else {
        let doublings = u32::try_from(failures - LOGIN_FREE_FAILURES).unwrap_or(u32::MAX).min(16);
        Ord::min(1_i64 << doublings, LOGIN_MAX_DELAY_SECONDS)
    }
}

/// Failed sign-ins an account may have within the window before attempts are paced.
pub const LOGIN_FREE_FAILURES: usize = 3;
/// The longest an attempt waits after the one before.
pub const LOGIN_MAX_DELAY_SECONDS: i64 = 60;
/// The window, in minutes, in which failures count; older ones are removed.
pub const LOGIN_WINDOW_MINUTES: i64 = 15;
