//! Accounts and sign-in in the schema: the signed-in user, the board's directory
//! (boards, agencies, users) and creating accounts.

use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use sea_orm::{EntityTrait, QueryOrder};
use shared::policy::{Grant, Operation};

use crate::entities::*;
use crate::errors::{ApiError, ApiResult};
use crate::graphql::enums::*;
use crate::graphql::errors::GqlResult;
use crate::graphql::objects::*;
use crate::graphql::request::{caller, state};

/// A role held by a user, for a board or an agency.
#[derive(SimpleObject)]
pub struct RoleGrant {
    pub role: RoleGql,
    pub board_id: Option<i32>,
    pub agency_id: Option<i32>,
}

/// A user account: who they are and what they hold, never case content.
pub struct UserAccount {
    pub user: user::Model,
    pub grants: Vec<shared::policy::Grant>,
}

#[Object]
impl UserAccount {
    async fn id(&self) -> i32 {
        self.user.id
    }
    async fn email(&self) -> &str {
        &self.user.email
    }
    async fn name(&self) -> &str {
        &self.user.name
    }
    async fn job_title(&self) -> Option<&str> {
        self.user.job_title.as_deref()
    }
    async fn active(&self) -> bool {
        self.user.active
    }
    async fn agency(&self, ctx: &Context<'_>) -> GqlResult<Option<Agency>> {
        match self.user.agency_id {
            Some(a) => Ok(by_id::<agency::Entity>(ctx, a).await?.map(Agency)),
            None => Ok(None),
        }
    }
    async fn roles(&self) -> Vec<RoleGrant> {
        self.grants
            .iter()
            .map(|g| RoleGrant {
                role: g.role.into(),
                board_id: g.board.map(|b| b.0),
                agency_id: g.agency.map(|a| a.0),
            })
            .collect()
    }
}

#[derive(SimpleObject)]
pub struct LoginResult {
    /// Bearer token for the `Authorization` header.
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: UserAccount,
}

#[derive(InputObject)]
pub struct RoleGrantInput {
    pub role: RoleGql,
    pub board_id: Option<i32>,
    pub agency_id: Option<i32>,
}

#[derive(InputObject)]
pub struct NewUserInput {
    pub email: String,
    pub name: String,
    pub job_title: Option<String>,
    pub agency_id: Option<i32>,
    pub password: String,
    pub roles: Vec<RoleGrantInput>,
}

#[derive(Default)]
pub struct SignIn;

#[Object]
impl SignIn {
    /// Signs in. The token goes in `Authorization: Bearer <token>`.
    async fn login(&self, ctx: &Context<'_>, email: String, password: String) -> GqlResult<LoginResult> {
        let st = state(ctx)?;
        if password.len() > 1024 {
            return Err(ApiError::Unauthenticated.into());
        }
        let (token, user) = crate::users::login(&st.db, &st.tokens, &email, &password).await?;
        let caller = crate::context::Caller::load(&st.db, &crate::auth::Subject::User(user.id)).await?;
        Ok(LoginResult {
            token,
            expires_at: chrono::Utc::now() + st.tokens.lifetime(),
            user: UserAccount { user: caller.user, grants: caller.grants },
        })
    }
}

#[derive(Default)]
pub struct SignedIn;

#[Object]
impl SignedIn {
    /// Who you are, with your roles.
    async fn me(&self, ctx: &Context<'_>) -> GqlResult<UserAccount> {
        let c = caller(ctx)?;
        Ok(UserAccount { user: c.user.clone(), grants: c.grants.clone() })
    }
}

#[derive(Default)]
pub struct Directory;

#[Object]
impl Directory {
    async fn boards(&self, ctx: &Context<'_>) -> GqlResult<Vec<Board>> {
        caller(ctx)?;
        Ok(board::Entity::find()
            .order_by_asc(board::Column::Name)
            .all(&state(ctx)?.db)
            .await?
            .into_iter()
            .map(Board)
            .collect())
    }

    async fn agencies(&self, ctx: &Context<'_>) -> GqlResult<Vec<Agency>> {
        caller(ctx)?;
        Ok(agency::Entity::find()
            .order_by_asc(agency::Column::Name)
            .all(&state(ctx)?.db)
            .await?
            .into_iter()
            .map(Agency)
            .collect())
    }

    /// Every user account with its roles: for administrators, and only accounts.
    async fn users(&self, ctx: &Context<'_>) -> GqlResult<Vec<UserAccount>> {
        let c = caller(ctx)?;
        if !shared::policy::may_globally(&c.roles(), Operation::ManageUsers) {
            return Err(ApiError::Forbidden(Operation::ManageUsers.title().to_lowercase()).into());
        }
        let db = &state(ctx)?.db;
        let users = user::Entity::find().order_by_asc(user::Column::Name).all(db).await?;
        let grants = role_grant::Entity::find().all(db).await?;
        let mut out = Vec::new();
        for u in users {
            let g = grants
                .iter()
                .filter(|g| g.user_id == u.id)
                .map(crate::stored::grant)
                .collect::<ApiResult<Vec<shared::policy::Grant>>>()?;
            out.push(UserAccount { user: u, grants: g });
        }
        Ok(out)
    }
}

#[derive(Default)]
pub struct Accounts;

#[Object]
impl Accounts {
    /// Create a user account (administrators).
    async fn create_user(&self, ctx: &Context<'_>, input: NewUserInput) -> GqlResult<UserAccount> {
        let c = caller(ctx)?;
        let grants: Vec<Grant> = input
            .roles
            .iter()
            .map(|g| Grant {
                role: g.role.into(),
                board: g.board_id.map(shared::BoardId),
                agency: g.agency_id.map(shared::AgencyId),
            })
            .collect();
        let u = crate::users::create_user(
            &state(ctx)?.db,
            Some(c),
            crate::users::NewUser {
                email: input.email,
                name: input.name,
                job_title: input.job_title,
                agency_id: input.agency_id,
                password: input.password,
                grants,
            },
        )
        .await?;
        let loaded = crate::context::Caller::load(&state(ctx)?.db, &crate::auth::Subject::User(u.id)).await?;
        Ok(UserAccount { user: loaded.user, grants: loaded.grants })
    }
}
