//! Who is calling: the signed-in user with their role grants, loaded once per request.

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, JoinType, QueryFilter, QuerySelect, RelationDef};
use shared::UserId;
use shared::policy::Grant;
use shared::role::Role;

use crate::auth::Subject;
use crate::entities::{external_identity, role_grant, sign_in_session, user};
use crate::errors::{ApiError, ApiResult};
use sea_orm::sea_query::{Expr, Query};

/// The signed-in user of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: user::Model,
    pub grants: Vec<Grant>,
    /// The sign-in session the caller's token belongs to.
    pub session: Option<i32>,
}

impl Caller {
    pub fn id(&self) -> UserId {
        UserId(self.user.id)
    }

    pub fn roles(&self) -> Vec<Role> {
        let mut r: Vec<Role> = self.grants.iter().map(|g| g.role).collect();
        r.sort();
        r.dedup();
        r
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }

    /// Boards on which the user holds any role.
    pub fn boards(&self) -> Vec<i32> {
        self.grants.iter().filter_map(|g| g.board.map(|b| b.0)).collect()
    }

    /// Agencies the user manages.
    pub fn managed_agencies(&self) -> Vec<i32> {
        self.grants.iter().filter(|g| g.role == Role::AgencyManager).filter_map(|g| g.agency.map(|a| a.0)).collect()
    }

    /// Loads the user a token speaks for; a deactivated or unknown user is unauthenticated.
    pub async fn load(db: &DatabaseConnection, subject: &Subject) -> ApiResult<Self> {
        // The user and their grants in one statement: every request pays for it.
        let grants_of_user: RelationDef =
            role_grant::Entity::belongs_to(user::Entity).from(role_grant::Column::UserId).to(user::Column::Id).into();
        let id = match subject {
            Subject::User(id) | Subject::Session { user: id, .. } => *id,
            Subject::External { issuer, subject, email } => external_account(db, issuer, subject, email).await?,
        };
        let mut query =
            user::Entity::find_by_id(id).join(JoinType::LeftJoin, grants_of_user.rev()).select_also(role_grant::Entity);
        if let Subject::Session { session: Some(session), .. } = subject {
            // The token's session is still open: checked in the same statement.
            query = query.filter(Expr::exists(
                Query::select()
                    .expr(Expr::val(1))
                    .from(sign_in_session::Entity)
                    .and_where(sign_in_session::Column::Id.eq(*session))
                    .and_where(sign_in_session::Column::UserId.eq(id))
                    .and_where(sign_in_session::Column::EndedAt.is_null())
                    .to_owned(),
            ));
        }
        let rows = query.all(db).await?;
        let user = rows.first().map(|(u, _)| u.clone()).filter(|u| u.active).ok_or(ApiError::Unauthenticated)?;
        if let Subject::Session { generation, .. } = subject
            && *generation != user.session_generation
        {
            // Signed out everywhere, password changed, role removed or deactivated since.
            return Err(ApiError::Unauthenticated);
        }
        let grants =
            rows.iter().filter_map(|(_, g)| g.as_ref()).map(crate::stored::grant).collect::<ApiResult<Vec<Grant>>>()?;
        let session = match subject {
            Subject::Session { session, .. } => *session,
            _ => None,
        };
        Ok(Self { user, grants, session })
    }
}

/// The account an identity provider's subject signs in as: the one bound to it; or, the
/// first time, the active account with the verified e-mail address, if that account is
/// bound to no other subject of this provider (then the binding is made, and audited).
/// Never by the e-mail alone once the account is bound.
pub(crate) async fn external_account(
    db: &DatabaseConnection,
    issuer: &str,
    subject: &str,
    email: &str,
) -> ApiResult<i32> {
    use sea_orm::{ActiveModelTrait, Set, TransactionTrait};
    let bound = |db| {
        external_identity::Entity::find()
            .filter(external_identity::Column::Issuer.eq(issuer))
            .filter(external_identity::Column::Subject.eq(subject))
            .one(db)
    };
    if let Some(b) = bound(db).await? {
        return Ok(b.user_id);
    }
    let u = user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .filter(user::Column::Active.eq(true))
        .one(db)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    let other = external_identity::Entity::find()
        .filter(external_identity::Column::UserId.eq(u.id))
        .filter(external_identity::Column::Issuer.eq(issuer))
        .one(db)
        .await?;
    if other.is_some() {
        tracing::warn!(user = u.id, "a second subject of the identity provider claimed a bound account's e-mail");
        return Err(ApiError::Unauthenticated);
    }
    // Not a step on a review: an account belongs to no review.
    let txn = db.begin().await?;
    let made = external_identity::ActiveModel {
        user_id: Set(u.id),
        issuer: Set(issuer.to_owned()),
        subject: Set(subject.to_owned()),
        bound_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    match made {
        Ok(_) => {
            crate::audit::record(
                &txn,
                crate::audit::Entry {
                    actor: Some(u.id),
                    operation: "bind_external_identity",
                    record_type: "user",
                    record_id: u.id,
                    review_id: None,
                    version: None,
                },
            )
            .await?;
            txn.commit().await?;
            Ok(u.id)
        }
        // Bound at the same moment by another request: whichever won decides.
        Err(_) => {
            drop(txn);
            match bound(db).await? {
                Some(b) if b.user_id == u.id => Ok(u.id),
                _ => Err(ApiError::Unauthenticated),
            }
        }
    }
}

/// What every request shares.
#[derive(Debug, Clone)]
pub struct AppState {
    pub db: sea_orm::DatabaseConnection,
    pub tokens: crate::auth::Tokens,
    /// Where invitations and password resets are e-mailed from; without it, their
    /// links are answered once to the administrator who asked.
    pub mail: Option<crate::mailer::Mailer>,
    /// Limits per client address, and what is open only in development.
    pub edge: crate::edge::Edge,
    /// How long sign-in sessions last, and whether a second factor is asked for.
    pub sessions: crate::session_rules::SessionRules,
    /// The OpenID providers people may sign in through.
    pub oidc: crate::oidc::Providers,
}
