//! Signing in, in the schema: a password, then the second factor it may need (a code,
//! a recovery code, or setting one up), and the identity providers offered.

use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use sea_orm::EntityTrait;

use super::{UserAccount, account};
use crate::entities::*;
use crate::errors::{ApiError, ApiResult};
use crate::graphql::errors::GqlResult;
use crate::graphql::request::{caller, state};

/// What a sign-in step needs next.
#[derive(async_graphql::Enum, Copy, Clone, PartialEq, Eq)]
pub enum SecondFactorStep {
    /// Signed in: `token` is set.
    NotNeeded,
    /// Send the code from the authenticator app (or a recovery code) with `challenge`
    /// to `verifySecondFactor`.
    EnterCode,
    /// Set up a second factor first: `startSecondFactorEnrolment` with `challenge`.
    Enrol,
}

/// The answer to a sign-in step: a session, or the second factor it waits for.
#[derive(SimpleObject)]
pub struct LoginResult {
    /// Bearer token for the `Authorization` header; none while a second factor is asked for.
    pub token: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    /// When the session ends unless renewed (`POST /api/session/refresh`) before.
    pub idle_ends_at: Option<DateTime<Utc>>,
    /// When the session ends however busy.
    pub ends_at: Option<DateTime<Utc>>,
    pub user: Option<UserAccount>,
    pub second_factor: SecondFactorStep,
    /// Good for ten minutes, for the second factor's step only.
    pub challenge: Option<String>,
}

impl LoginResult {
    fn waiting(step: SecondFactorStep, challenge: String) -> Self {
        Self {
            token: None,
            expires_at: None,
            idle_ends_at: None,
            ends_at: None,
            user: None,
            second_factor: step,
            challenge: Some(challenge),
        }
    }
}

/// A session for `u`, its refresh token set as a cookie on the answer.
pub(super) async fn start_session(ctx: &Context<'_>, u: user::Model, method: &str) -> ApiResult<LoginResult> {
    let st = state(ctx)?;
    let issued = crate::users::sessions::start(&st.db, &st.sessions, &st.tokens, u, method).await?;
    ctx.append_http_header(axum::http::header::SET_COOKIE, issued.cookie(st.sessions.clock.now()));
    Ok(LoginResult {
        token: Some(issued.access),
        expires_at: Some(issued.access_expires_at),
        idle_ends_at: Some(issued.idle_ends_at),
        ends_at: Some(issued.ends_at),
        user: Some(account(&st.db, issued.user).await?),
        second_factor: SecondFactorStep::NotNeeded,
        challenge: None,
    })
}

/// After a right password: a session, or the challenge of the second factor it needs.
pub(super) async fn after_password(ctx: &Context<'_>, u: user::Model) -> ApiResult<LoginResult> {
    use crate::users::second_factor::{self as factor, Need};
    let st = state(ctx)?;
    match factor::need(&st.db, &st.sessions, &u).await? {
        Need::Nothing => start_session(ctx, u, "password").await,
        Need::Code => Ok(LoginResult::waiting(
            SecondFactorStep::EnterCode,
            st.tokens.issue_challenge(u.id, u.session_generation, factor::CODE_CHALLENGE)?,
        )),
        Need::Enrol => Ok(LoginResult::waiting(
            SecondFactorStep::Enrol,
            st.tokens.issue_challenge(u.id, u.session_generation, factor::ENROL_CHALLENGE)?,
        )),
    }
}

/// An identity provider offered on the sign-in page.
#[derive(SimpleObject)]
pub struct SignInProvider {
    pub id: String,
    /// "Sign in with {name}".
    pub name: String,
}

/// A second factor to set up: its secret as text, as an address and as a QR code.
#[derive(SimpleObject)]
pub struct SecondFactorEnrolment {
    /// The secret in base32, to type into an authenticator app.
    pub secret: String,
    /// The `otpauth://` address the QR code holds.
    pub uri: String,
    /// The QR code, as an SVG document.
    pub qr_svg: String,
}

/// A second factor set up.
#[derive(SimpleObject)]
pub struct SecondFactorEnrolled {
    /// Ten codes, each good once, shown this once: keep them somewhere safe.
    pub recovery_codes: Vec<String>,
    /// The session that begins, when enrolment finished a sign-in.
    pub sign_in: Option<LoginResult>,
}

/// What asking to reset someone's second factor did.
#[derive(async_graphql::Enum, Copy, Clone, PartialEq, Eq)]
pub enum SecondFactorReset {
    /// A second person must confirm it.
    Proposed,
    /// Reset: the person sets up a new factor at their next sign-in.
    Reset,
}

#[derive(Default)]
pub struct SignIn;

#[Object]
impl SignIn {
    /// Signs in with a password. The answer is a session (its token goes in
    /// `Authorization: Bearer <token>`, its refresh token in an `HttpOnly` cookie), or
    /// the second factor the account needs first.
    async fn login(&self, ctx: &Context<'_>, email: String, password: String) -> GqlResult<LoginResult> {
        crate::graphql::request::sign_in_gate(ctx)?;
        let st = state(ctx)?;
        if password.len() > 1024 {
            return Err(ApiError::Unauthenticated.into());
        }
        let user = crate::users::login(&st.db, &email, &password).await?;
        Ok(after_password(ctx, user).await?)
    }

    /// Completes a sign-in with the code from the authenticator app, or one of the
    /// recovery codes (each good once).
    async fn verify_second_factor(&self, ctx: &Context<'_>, challenge: String, code: String) -> GqlResult<LoginResult> {
        crate::graphql::request::sign_in_gate(ctx)?;
        let st = state(ctx)?;
        let (u, method) = crate::users::second_factor::verify(&st.db, &st.tokens, &challenge, &code).await?;
        Ok(start_session(ctx, u, method).await?)
    }

    /// Starts setting up a second factor: with the challenge of a sign-in that needs
    /// one, or signed in.
    async fn start_second_factor_enrolment(
        &self,
        ctx: &Context<'_>,
        challenge: Option<String>,
    ) -> GqlResult<SecondFactorEnrolment> {
        let st = state(ctx)?;
        let u = enrolling(ctx, challenge.as_deref()).await?;
        let e = crate::users::second_factor::start_enrolment(&st.db, &u).await?;
        Ok(SecondFactorEnrolment { secret: e.secret, uri: e.uri, qr_svg: e.qr_svg })
    }

    /// Confirms the second factor with a code from it. The answer holds the recovery
    /// codes and, with a sign-in's challenge, the session that begins.
    async fn confirm_second_factor_enrolment(
        &self,
        ctx: &Context<'_>,
        challenge: Option<String>,
        code: String,
    ) -> GqlResult<SecondFactorEnrolled> {
        crate::graphql::request::sign_in_gate(ctx)?;
        let st = state(ctx)?;
        let u = enrolling(ctx, challenge.as_deref()).await?;
        let codes = crate::users::second_factor::confirm_enrolment(&st.db, u.id, &code, None).await?;
        let sign_in = match challenge {
            Some(_) => {
                let u = user::Entity::find_by_id(u.id).one(&st.db).await?.ok_or(ApiError::Unauthenticated)?;
                Some(start_session(ctx, u, "password+totp").await?)
            }
            None => None,
        };
        Ok(SecondFactorEnrolled { recovery_codes: codes, sign_in })
    }
}

/// Whose second factor is being set up: the challenge's account, else the caller.
async fn enrolling(ctx: &Context<'_>, challenge: Option<&str>) -> ApiResult<user::Model> {
    let st = state(ctx)?;
    match challenge {
        Some(ch) => {
            let (id, generation) = st.tokens.verify_challenge(ch, crate::users::second_factor::ENROL_CHALLENGE)?;
            user::Entity::find_by_id(id)
                .one(&st.db)
                .await?
                .filter(|u| u.active && u.session_generation == generation)
                .ok_or(ApiError::Unauthenticated)
        }
        None => Ok(caller(ctx)?.user.clone()),
    }
}
