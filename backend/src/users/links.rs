//! Invitations instead of typed passwords, and password resets: a one-time link the
//! person opens to set their own password. The token is random (32 bytes), stored only
//! as its SHA-256; a link expires (an invitation in 7 days, a reset in 24 hours), is
//! used once, and a deactivation voids every link of the account. Issuing a link voids
//! the user's earlier unused links. Setting the password ends every session.
//!
//! A link is private when it reaches its person alone: e-mailed, or printed on the
//! server by whoever runs it (`scr password-link`). Without mail set up, a link is
//! shown once to the administrator who issued it, except for an account that holds
//! or awaits a role needing two people (one reading names in full, or the
//! administrator's): that account's link is printed on the server, so no administrator
//! ever knows the password of an account that reads names.

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
    /// A role needing two people was approved on a password someone else may know:
    /// the person sets their own.
    Renewal,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Invitation => "invitation",
            Purpose::Reset => "reset",
            Purpose::Renewal => "renewal",
        }
    }
}

/// A link just issued: the token (shown or sent once, never stored) and its account.
#[derive(Debug, Clone)]
pub struct Issued {
    pub token: String,
    pub user: user::Model,
    pub purpose: Purpose,
    /// For its person alone: e-mail it, never answer it.
    pub private: bool,
}

/// How a link reaches its person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// By e-mail (mail is set up): private.
    Mail,
    /// Answered once to the administrator to pass on (no mail set up).
    Shown,
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

/// SHA-256 of a token, hex: what is stored of one-time links and refresh tokens.
pub(crate) fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// 32 random bytes, hex: a one-time link's or a refresh token's secret.
pub(crate) fn new_token() -> String {
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

/// The refusal of a link that could only be shown to an administrator for an account
/// that reads names.
fn printed_on_server(email: &str) -> String {
    format!(
        "Mail is not set up, and this account holds or awaits a role that reads names: whoever runs the server prints its link with `scr password-link --email {email}`"
    )
}

async fn issue(
    txn: &impl ConnectionTrait,
    actor: Option<&Caller>,
    user: user::Model,
    purpose: Purpose,
    private: bool,
) -> ApiResult<Issued> {
    // Earlier unused links of the account stop working: one link in use at a time.
    one_time_link::Entity::update_many()
        .col_expr(one_time_link::Column::UsedAt, Expr::value(Some(Utc::now())))
        .filter(one_time_link::Column::UserId.eq(user.id))
        .filter(one_time_link::Column::UsedAt.is_null())
        .exec(txn)
        .await?;
    let token = new_token();
    let lifetime = match purpose {
        Purpose::Invitation | Purpose::Renewal => Duration::days(INVITATION_DAYS),
        Purpose::Reset => Duration::hours(RESET_HOURS),
    };
    one_time_link::ActiveModel {
        user_id: Set(user.id),
        purpose: Set(purpose.as_str().to_owned()),
        token_hash: Set(hash(&token)),
        expires_at: Set(Utc::now() + lifetime),
        used_at: Set(None),
        created_by: Set(actor.map(|c| c.user.id)),
        created_at: Set(Utc::now()),
        private: Set(private),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(Issued { token, user, purpose, private })
}

/// Invites a person (administrators; a business manager for their board): their account with the roles asked for (a role
/// that reads names in full waits for a second person), and a link to set their own
/// password. `None` when the link must be printed on the server (no mail, and a role
/// needing two people asked for).
pub async fn invite(
    db: &DatabaseConnection,
    actor: &Caller,
    inv: Invitation,
    delivery: Delivery,
) -> ApiResult<(user::Model, Option<Issued>)> {
    // An administrator invites anyone; a business manager, for their own board: roles
    // they may propose there, and professionals of the board's agencies.
    if super::require_admin(actor).is_err() {
        let board = match inv.agency_id {
            Some(a) => agency::Entity::find_by_id(a).one(db).await?.map(|a| a.board_id),
            None => None,
        };
        let manages_agency = board.is_some_and(|b| {
            actor
                .grants
                .iter()
                .any(|g| g.role == shared::role::Role::BusinessManager && g.board.map(|b| b.0) == Some(b))
        });
        let mut own = inv.agency_id.is_none() || manages_agency;
        for g in &inv.grants {
            own &= if g.role == shared::role::Role::Professional {
                // The professional's own agency decides; a grant naming another board
                // or agency is not the manager's to give.
                manages_agency && g.board.is_none() && g.agency.is_none()
            } else {
                super::grants::may_propose(db, actor, &super::with_account_agency(g, inv.agency_id)).await?
            };
        }
        if !own {
            return Err(ApiError::Forbidden("invite people with these roles".into()));
        }
    }
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
    let private = delivery == Delivery::Mail;
    let issued = if private || !super::grants::needs_private_password(&txn, u.id).await? {
        Some(issue(&txn, Some(actor), u.clone(), Purpose::Invitation, private).await?)
    } else {
        None
    };
    txn.commit().await?;
    Ok((u, issued))
}

/// Starts a password reset for an account (administrators): a link for its owner.
/// Without mail, an account that reads names is refused: its link is printed on the
/// server.
pub async fn start_reset(
    db: &DatabaseConnection,
    actor: &Caller,
    user_id: i32,
    delivery: Delivery,
) -> ApiResult<Issued> {
    super::require_admin(actor)?;
    let u = user::Entity::find_by_id(user_id).one(db).await?.ok_or(ApiError::NotFound)?;
    if !u.active {
        return Err(ApiError::invalid("userId", "The account is deactivated: reactivate it first"));
    }
    let private = delivery == Delivery::Mail;
    if !private && super::grants::needs_private_password(db, u.id).await? {
        return Err(ApiError::invalid("userId", printed_on_server(&u.email)));
    }
    // Not a step on a review: an account belongs to no review.
    let txn = db.begin().await?;
    log(&txn, Some(actor.user.id), "start_password_reset", u.id).await?;
    let issued = issue(&txn, Some(actor), u, Purpose::Reset, private).await?;
    txn.commit().await?;
    Ok(issued)
}

/// A link printed on the server (`scr password-link`), for whoever runs it to hand
/// to the person: private. An invitation when the person has never signed in.
pub async fn issue_on_server(db: &DatabaseConnection, email: &str) -> ApiResult<Issued> {
    let e = Email::parse(email).map_err(|e| shared::ValidationError::new("email", e.message))?;
    let u = user::Entity::find()
        .filter(user::Column::Email.eq(e.as_ref()))
        .one(db)
        .await?
        .ok_or_else(|| ApiError::invalid("email", "No account has this e-mail address"))?;
    if !u.active {
        return Err(ApiError::invalid("email", "The account is deactivated: reactivate it first"));
    }
    let purpose = if u.last_sign_in_at.is_none() { Purpose::Invitation } else { Purpose::Reset };
    // Not a step on a review: an account belongs to no review.
    let txn = db.begin().await?;
    log(&txn, None, "print_password_link", u.id).await?;
    let issued = issue(&txn, None, u, purpose, true).await?;
    txn.commit().await?;
    Ok(issued)
}

/// Ends an account's password that someone else may know (in an approval's
/// transaction): the password stops working, every session and link ends, and a
/// private link is issued when one can be delivered (`delivery` Mail, or from the
/// command line); otherwise whoever runs the server prints one.
pub async fn end_shared_password(
    txn: &impl ConnectionTrait,
    actor: Option<&Caller>,
    u: user::Model,
    private_delivery: bool,
) -> ApiResult<Option<Issued>> {
    let unusable = auth::hash_password(&new_token())?;
    user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(unusable))
        .col_expr(user::Column::SessionGeneration, Expr::col(user::Column::SessionGeneration).add(1))
        .filter(user::Column::Id.eq(u.id))
        .exec(txn)
        .await?;
    void_links(txn, u.id).await?;
    log(txn, actor.map(|c| c.user.id), "end_shared_password", u.id).await?;
    if private_delivery { Ok(Some(issue(txn, actor, u, Purpose::Renewal, true).await?)) } else { Ok(None) }
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
pub async fn set_password(db: &DatabaseConnection, token: &str, password: &str) -> ApiResult<user::Model> {
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
        .col_expr(user::Column::PasswordPrivate, Expr::value(link.private))
        .col_expr(user::Column::SessionGeneration, Expr::col(user::Column::SessionGeneration).add(1))
        .col_expr(user::Column::LastSignInAt, Expr::value(Some(Utc::now())))
        .filter(user::Column::Id.eq(u.id))
        .exec(&txn)
        .await?;
    let operation = match link.purpose.as_str() {
        "invitation" => "accept_invitation",
        "renewal" => "renew_password",
        _ => "reset_password",
    };
    log(&txn, None, operation, u.id).await?;
    txn.commit().await?;
    let u = user::Entity::find_by_id(u.id).one(db).await?.ok_or_else(refused)?;
    Ok(u)
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
        Purpose::Renewal => (
            "Set your own password for the Serious Case Review system".to_owned(),
            format!(
                "Dear {},\n\nA role that lets you read case content has been approved for your account. Your password was set by someone else, so it no longer works: set your own within {INVITATION_DAYS} days by opening:\n\n{link}\n\nThe link works once.\n",
                issued.user.name
            ),
        ),
    }
}

/// The message that tells a person a role was approved for them.
pub fn approval_message(name: &str, role: &str) -> (String, String) {
    (
        "A role was approved for you on the Serious Case Review system".to_owned(),
        format!("Dear {name},\n\nYou now hold the role {role}. It takes effect the next time you open the system.\n"),
    )
}
