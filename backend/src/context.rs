//! Who is calling: the signed-in user with their role grants, loaded once per request.

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, JoinType, QueryFilter, QuerySelect, RelationDef};
use shared::UserId;
use shared::policy::Grant;
use shared::role::Role;

use crate::auth::Subject;
use crate::entities::{role_grant, user};
use crate::errors::{ApiError, ApiResult};

/// The signed-in user of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: user::Model,
    pub grants: Vec<Grant>,
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
        let rows = match subject {
            Subject::User(id) | Subject::Session { user: id, .. } => user::Entity::find_by_id(*id),
            Subject::ExternalEmail(e) => user::Entity::find().filter(user::Column::Email.eq(e.as_str())),
        }
        .join(JoinType::LeftJoin, grants_of_user.rev())
        .select_also(role_grant::Entity)
        .all(db)
        .await?;
        let user = rows.first().map(|(u, _)| u.clone()).filter(|u| u.active).ok_or(ApiError::Unauthenticated)?;
        if let Subject::Session { generation, .. } = subject
            && *generation != user.session_generation
        {
            // Signed out everywhere, password changed, role removed or deactivated since.
            return Err(ApiError::Unauthenticated);
        }
        let grants =
            rows.iter().filter_map(|(_, g)| g.as_ref()).map(crate::stored::grant).collect::<ApiResult<Vec<Grant>>>()?;
        Ok(Self { user, grants })
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
}
