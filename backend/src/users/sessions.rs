//! Sessions that last while people work.
//!
//! Signing in starts a session. Its access tokens are short-lived bearer tokens that
//! name it (`sid`); it is renewed through a refresh token the browser keeps in an
//! `HttpOnly; Secure; SameSite=Strict` cookie scoped to `/api/session`, which page
//! scripts never see. Each refresh token is used once and replaced: a refresh token
//! presented again later than a few seconds after its use (two tabs renewing together
//! can do that) means two parties hold it, so the whole session ends. A
//! session ends when it has not been renewed within the idle limit, at its absolute
//! limit however busy, when signed out, and when the account's session generation
//! moves on (sign out everywhere, a password changed, deactivation).

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, TransactionTrait,
};

use super::links::{hash, new_token};
use crate::auth::Tokens;
use crate::entities::{refresh_token, sign_in_session, user};
use crate::errors::{ApiError, ApiResult};
pub use crate::session_rules::{Clock, SessionRules, cookie};

/// How long after its use a refresh token presented again is only refused, not taken
/// as stolen: two tabs renewing at once, or an answer lost on the way.
pub const REUSE_GRACE: Duration = Duration::seconds(10);

/// The refresh token's cookie, and the only path it is sent to.
pub const REFRESH_COOKIE: &str = "scr_refresh";
pub const COOKIE_PATH: &str = "/api/session";

/// A session's credentials, as handed to its browser.
#[derive(Debug, Clone)]
pub struct Issued {
    pub session_id: i32,
    /// The bearer token.
    pub access: String,
    pub access_expires_at: DateTime<Utc>,
    /// The refresh token, for the cookie only.
    pub refresh: String,
    /// When the session ends unless renewed before.
    pub idle_ends_at: DateTime<Utc>,
    /// When the session ends however busy.
    pub ends_at: DateTime<Utc>,
    pub user: user::Model,
}

impl Issued {
    /// The `Set-Cookie` value that hands the refresh token to the browser until the
    /// session's absolute end.
    pub fn cookie(&self, now: DateTime<Utc>) -> String {
        let max_age = (self.ends_at - now).num_seconds().max(0);
        format!(
            "{REFRESH_COOKIE}={}; Path={COOKIE_PATH}; Max-Age={max_age}; HttpOnly; Secure; SameSite=Strict",
            self.refresh
        )
    }
}

/// The `Set-Cookie` value that removes the refresh token from the browser.
pub fn cleared_cookie() -> String {
    format!("{REFRESH_COOKIE}=; Path={COOKIE_PATH}; Max-Age=0; HttpOnly; Secure; SameSite=Strict")
}

/// The refresh token in a request's `Cookie` header, if any.
pub fn presented(headers: &axum::http::HeaderMap) -> Option<String> {
    cookie(headers, REFRESH_COOKIE).filter(|v| v.len() <= 128)
}

/// Starts a session for `user`, signed in by `method`.
pub async fn start(
    db: &DatabaseConnection,
    rules: &SessionRules,
    tokens: &Tokens,
    user: user::Model,
    method: &str,
) -> ApiResult<Issued> {
    let now = rules.clock.now();
    tidy(db, &rules.clock).await?;
    // Not a step on a review: a sign-in session belongs to no review.
    let txn = db.begin().await?;
    let session = sign_in_session::ActiveModel {
        user_id: Set(user.id),
        method: Set(method.to_owned()),
        generation: Set(user.session_generation),
        started_at: Set(now),
        last_active_at: Set(now),
        ends_at: Set(now + rules.absolute),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let refresh = new_token();
    keep(&txn, session.id, &refresh, now).await?;
    txn.commit().await?;
    issue(rules, tokens, &session, refresh, user, now)
}

async fn keep(txn: &impl ConnectionTrait, session_id: i32, refresh: &str, now: DateTime<Utc>) -> ApiResult<()> {
    refresh_token::ActiveModel {
        session_id: Set(session_id),
        token_hash: Set(hash(refresh)),
        issued_at: Set(now),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

fn issue(
    rules: &SessionRules,
    tokens: &Tokens,
    session: &sign_in_session::Model,
    refresh: String,
    user: user::Model,
    now: DateTime<Utc>,
) -> ApiResult<Issued> {
    let idle_ends_at = Ord::min(now + rules.idle, session.ends_at);
    // An access token never outlives its session.
    let access_expires_at = Ord::min(Utc::now() + tokens.lifetime(), Utc::now() + (idle_ends_at - now));
    let access = tokens.issue_for_session(user.id, user.session_generation, session.id, access_expires_at)?;
    Ok(Issued {
        session_id: session.id,
        access,
        access_expires_at,
        refresh,
        idle_ends_at,
        ends_at: session.ends_at,
        user,
    })
}

/// Ends a session, saying why; an ended one stays as it ended.
pub async fn end(db: &impl ConnectionTrait, clock: &Clock, session_id: i32, reason: &str) -> ApiResult<()> {
    sign_in_session::Entity::update_many()
        .col_expr(sign_in_session::Column::EndedAt, sea_orm::sea_query::Expr::value(clock.now()))
        .col_expr(sign_in_session::Column::EndReason, sea_orm::sea_query::Expr::value(reason))
        .filter(sign_in_session::Column::Id.eq(session_id))
        .filter(sign_in_session::Column::EndedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Renews a session with its refresh token: a new access token and a new refresh
/// token, the one presented spent. Every refusal is `UNAUTHENTICATED`.
pub async fn refresh(
    db: &DatabaseConnection,
    rules: &SessionRules,
    tokens: &Tokens,
    presented: &str,
) -> ApiResult<Issued> {
    let now = rules.clock.now();
    let Some(token) =
        refresh_token::Entity::find().filter(refresh_token::Column::TokenHash.eq(hash(presented))).one(db).await?
    else {
        return Err(ApiError::Unauthenticated);
    };
    let session =
        sign_in_session::Entity::find_by_id(token.session_id).one(db).await?.ok_or(ApiError::Unauthenticated)?;
    if session.ended_at.is_some() {
        return Err(ApiError::Unauthenticated);
    }
    if let Some(used) = token.used_at {
        // Spent a moment ago: two tabs renewing together, or an answer lost on the way.
        // Refused, and the session goes on under its newer token.
        if now - used < REUSE_GRACE {
            return Err(ApiError::Unauthenticated);
        }
        tracing::warn!(
            session = session.id,
            user = session.user_id,
            "a spent refresh token was presented again; the session ends"
        );
        end(db, &rules.clock, session.id, "refresh token reused").await?;
        return Err(ApiError::Unauthenticated);
    }
    let ended = if now >= session.ends_at {
        Some("absolute limit")
    } else if now >= session.last_active_at + rules.idle {
        Some("idle")
    } else {
        None
    };
    if let Some(reason) = ended {
        end(db, &rules.clock, session.id, reason).await?;
        return Err(ApiError::Unauthenticated);
    }
    let user = user::Entity::find_by_id(session.user_id).one(db).await?.ok_or(ApiError::Unauthenticated)?;
    if !user.active || user.session_generation != session.generation {
        end(db, &rules.clock, session.id, "signed out everywhere").await?;
        return Err(ApiError::Unauthenticated);
    }
    // Not a step on a review: a sign-in session belongs to no review.
    let txn = db.begin().await?;
    // Spent here, once: of two requests presenting it together, one wins and the other
    // is a reuse.
    let spent = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, sea_orm::sea_query::Expr::value(now))
        .filter(refresh_token::Column::Id.eq(token.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if spent.rows_affected != 1 {
        // Spent by a request at the same moment: that one renewed the session.
        return Err(ApiError::Unauthenticated);
    }
    let session = sign_in_session::ActiveModel { id: Set(session.id), last_active_at: Set(now), ..Default::default() }
        .update(&txn)
        .await?;
    let next = new_token();
    keep(&txn, session.id, &next, now).await?;
    txn.commit().await?;
    issue(rules, tokens, &session, next, user, now)
}

/// Signs out: the session of the refresh token presented ends.
pub async fn sign_out(db: &DatabaseConnection, clock: &Clock, presented: &str) -> ApiResult<()> {
    if let Some(token) =
        refresh_token::Entity::find().filter(refresh_token::Column::TokenHash.eq(hash(presented))).one(db).await?
    {
        end(db, clock, token.session_id, "signed out").await?;
    }
    Ok(())
}

/// Refresh tokens spent more than a day ago, and every token of sessions ended more
/// than a day ago, go; the sessions stay as a record of who signed in when.
pub async fn tidy(db: &DatabaseConnection, clock: &Clock) -> ApiResult<()> {
    use sea_orm::sea_query::Query;
    let day_ago = clock.now() - Duration::days(1);
    let old = Query::select()
        .column(sign_in_session::Column::Id)
        .from(sign_in_session::Entity)
        .and_where(sign_in_session::Column::EndedAt.lt(day_ago))
        .to_owned();
    refresh_token::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(refresh_token::Column::SessionId.in_subquery(old))
                .add(refresh_token::Column::UsedAt.lt(day_ago)),
        )
        .exec(db)
        .await?;
    Ok(())
}
