//! Invitations instead of typed passwords, and password resets: a one-time link the
//! person opens to set their own password. The token is random (32 bytes), stored only
//! as its SHA-256; a link expires (an invitation in 7 days, a reset in 24 hours), is
//! used once, and a deactivation voids every link of the account. Issuing a reset voids
//! the user's earlier unused links. Setting the password ends every session.

use chrono::{Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, TransactionTrait,
};
use sha2::{Digest, Sha256};
use shared::policy::Grant;
use shared::value::{Email, PersonName, Text, check_new_password_for};

use crate::audit::{self, Entry};
use crate::auth;
use crate::context::Caller;
use crate::entities::*;
use crate::errors::{ApiError, ApiResult};
use crate::step::{Problems, on_duplicate};

/// How long a link may be used.
pub const INVITATION_DAYS: i64 = 7;
pub const RESET_HOURS: i64 = 24;

/// What a link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Invitation,
    Reset,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Invitation => "invitation",
            Purpose::Reset => "reset",
        }
    }
}

/// A link just issued: the token (shown or sent once, never stored) and its account.
#[derive(Debug, Clone)]
pub struct Issued {
    pub token: String,
    pub user: user::Model,
    pub purpose: Purpose,
}

impl Issued {
    /// The path of the page that opens the link; the token is in the fragment, so it
    /// reaches no server log.
    pub fn path(&self) -> String {
        format!("/set-password#token={}", self.token)
    }
}

/// A person invited, with their roles.
#[derive(Debug, Clone)]
pub struct Invitation {
    pub email: String,
    pub name: String,
    pub job_title: Option<String>,
    pub agency_id: Option<i32>,
    pub grants: Vec<Grant>,
}

fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn new_token() -> String {
    use rand_core::{OsRng, RngCore};
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

async fn log(txn: &impl ConnectionTrait, actor: Option<i32>, operation: &str, user_id: i32) -> ApiResult<()> {
    audit::record(
        txn,
        Entry { actor, operation, record_type: "user", record_id: user_id, review_id: None, version: None },
    )
    .await?;
    Ok(())
}

async fn issue(txn: &impl ConnectionTrait, actor: &Caller, user: user::Model, purpose: Purpose) -> ApiResult<Issued> {
    // Earlier unused links of the account stop working: one link in use at a time.
    one_time_link::Entity::update_many()
        .col_expr(one_time_link::Column::UsedAt, Expr::value(Some(Utc::now())))
        .filter(one_time_link::Column::UserId.eq(user.id))
        .filter(one_time_link::Column::UsedAt.is_null())
        .exec(txn)
        .await?;
    let token = new_token();
    let lifetime = match purpose {
        Purpose::Invitation => Duration::days(INVITATION_DAYS),
        Purpose::Reset => Duration::hours(RESET_HOURS),
    };
    one_time_link::ActiveModel {
        user_id: Set(user.id),
        purpose: Set(purpose.as_str().to_owned()),
        token_hash: Set(hash(&token)),
        expires_at: Set(Utc::now() + lifetime),
        used_at: Set(None),
        created_by: Set(Some(actor.user.id)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(Issued { token, user, purpose })
}

/// Invites a person (administrators): their account with the roles asked for (a role
/// that reads names in full waits for a second person), and a link to set their own
/// password.
pub async fn invite(db: &DatabaseConnection, actor: &Caller, inv: Invitation) -> ApiResult<Issued> {
    super::require_admin(actor)?;
    let mut problems = Problems::default();
    let email = problems.check(Email::parse(&inv.email));
    let name = problems.check(PersonName::parse(&inv.name));
    let job_title = problems.check(Text::parse_optional("jobTitle", inv.job_title.as_deref().unwrap_or(""))).flatten();
    if let Some(e) = &email
        && user::Entity::find().filter(user::Column::Email.eq(e.as_ref())).one(db).await?.is_some()
    {
        problems.push("email", "A user with this e-mail address already exists");
    }
    super::grant_problems(&mut problems, &inv.grants, inv.agency_id);
    problems.finish()?;
    let (Some(email), Some(name)) = (email, name) else {
        return Err(ApiError::invalid("email", "Give an e-mail address and a name"));
    };
    // Nobody can sign in with a password until the link sets one.
    let unusable = auth::hash_password(&new_token())?;
    // Not a step on a review: an account belongs to no review.
    let txn = db.begin().await?;
    let u = user::ActiveModel {
        email: Set(email.as_ref().to_owned()),
        name: Set(name.as_ref().to_owned()),
        job_title: Set(job_title.map(Text::into_inner)),
        password_hash: Set(unusable),
        agency_id: Set(inv.agency_id),
        active: Set(true),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| on_duplicate(e, || ApiError::invalid("email", "A user with this e-mail address already exists")))?;
    for g in &inv.grants {
        super::grants::grant_or_propose(&txn, Some(actor), u.id, &super::with_account_agency(g, inv.agency_id)).await?;
    }
    log(&txn, Some(actor.user.id), "invite_user", u.id).await?;
    let issued = issue(&txn, actor, u, Purpose::Invitation).await?;
    txn.commit().await?;
    Ok(issued)
}

/// Starts a password reset for an account (administrators): a link for its owner.
pub async fn start_reset(db: &DatabaseConnection, actor: &Caller, user_id: i32) -> ApiResult<Issued> {
    super::require_admin(actor)?;
    let u = user::Entity::find_by_id(user_id).one(db).await?.ok_or(ApiError::NotFound)?;
    if !u.active {
        return Err(ApiError::invalid("userId", "The account is deactivated: reactivate it first"));
    }
    // Not a step on a review: an account belongs to no review.
    let txn = db.begin().await?;
    log(&txn, Some(actor.user.id), "start_password_reset", u.id).await?;
    let issued = issue(&txn, actor, u, Purpose::Reset).await?;
    txn.commit().await?;
    Ok(issued)
}

/// Voids every unused link of an account (in a deactivation's transaction).
pub async fn void_links(txn: &impl ConnectionTrait, user_id: i32) -> ApiResult<()> {
    one_time_link::Entity::update_many()
        .col_expr(one_time_link::Column::UsedAt, Expr::value(Some(Utc::now())))
        .filter(one_time_link::Column::UserId.eq(user_id))
        .filter(one_time_link::Column::UsedAt.is_null())
        .exec(txn)
        .await?;
    Ok(())
}

/// Sets the password through a link, once: the account's sessions end and a new one
/// begins. An unknown, used, expired or voided link is refused alike.
pub async fn set_password(
    db: &DatabaseConnection,
    tokens: &auth::Tokens,
    token: &str,
    password: &str,
) -> ApiResult<(String, user::Model)> {
    let refused = || ApiError::invalid("token", "This link has expired or has been used: ask for a new one");
    if token.len() > 200 || password.len() > 1024 {
        return Err(refused());
    }
    let link = one_time_link::Entity::find()
        .filter(one_time_link::Column::TokenHash.eq(hash(token)))
        .one(db)
        .await?
        .ok_or_else(refused)?;
    if link.used_at.is_some() || link.expires_at < Utc::now() {
        return Err(refused());
    }
    let u = user::Entity::find_by_id(link.user_id).one(db).await?.filter(|u| u.active).ok_or_else(refused)?;
    check_new_password_for(password, &u.email).map_err(|e| shared::ValidationError::new("password", e.message))?;
    let new_hash = auth::hash_password(password)?;
    // Not a step on a review: an account belongs to no review.
    let txn = db.begin().await?;
    // Compare-and-set on the link still unused: opened twice at once, one wins.
    let done = one_time_link::Entity::update_many()
        .col_expr(one_time_link::Column::UsedAt, Expr::value(Some(Utc::now())))
        .filter(one_time_link::Column::Id.eq(link.id))
        .filter(one_time_link::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(refused());
    }
    user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(new_hash))
        .col_expr(user::Column::SessionGeneration, Expr::col(user::Column::SessionGeneration).add(1))
        .col_expr(user::Column::LastSignInAt, Expr::value(Some(Utc::now())))
        .filter(user::Column::Id.eq(u.id))
        .exec(&txn)
        .await?;
    log(&txn, None, if link.purpose == "reset" { "reset_password" } else { "accept_invitation" }, u.id).await?;
    txn.commit().await?;
    let u = user::Entity::find_by_id(u.id).one(db).await?.ok_or_else(refused)?;
    Ok((tokens.issue(u.id, u.session_generation)?, u))
}

/// The message that carries a link.
pub fn message(issued: &Issued, link: &str) -> (String, String) {
    match issued.purpose {
        Purpose::Invitation => (
            "You are invited to the Serious Case Review system".to_owned(),
            format!(
                "Dear {},\n\nAn account has been made for you. Set your password within {INVITATION_DAYS} days by opening:\n\n{link}\n\nThe link works once. If you did not expect this, ignore it.\n",
                issued.user.name
            ),
        ),
        Purpose::Reset => (
            "Reset your password for the Serious Case Review system".to_owned(),
            format!(
                "Dear {},\n\nAn administrator started a reset of your password. Set a new one within {RESET_HOURS} hours by opening:\n\n{link}\n\nThe link works once. If you did not ask for this, tell your administrator.\n",
                issued.user.name
            ),
        ),
    }
}
