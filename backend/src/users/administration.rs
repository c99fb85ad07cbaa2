//! The administration audit: every change to accounts and organisations (the audit
//! entries that belong to no review), with who made it and what it was about, for the
//! Board Chair, the business manager and administrators; on screen and as CSV.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use shared::policy::{self, Operation};
use shared::role::Role;

use crate::context::Caller;
use crate::entities::*;
use crate::errors::{ApiError, ApiResult};

/// At most this many entries, newest first.
pub const LIMIT: u64 = 1_000;

/// One change, as a reader of the administration audit sees it.
#[derive(Debug, Clone)]
pub struct Change {
    pub at: DateTime<Utc>,
    pub actor_id: Option<i32>,
    /// "Name <e-mail>", or "the server" for the command line.
    pub actor: String,
    pub operation: String,
    pub record_type: String,
    pub record_id: i32,
    /// What it was about: the account ("Name <e-mail>"), the role proposed and for
    /// whom, the board, area or agency by name.
    pub subject: String,
}

/// Refuses anyone but a Board Chair, a business manager or an administrator.
pub fn require_reader(c: &Caller) -> ApiResult<()> {
    if c.has_role(Role::BoardChair)
        || c.has_role(Role::BusinessManager)
        || policy::may_globally(&c.roles(), Operation::ManageUsers)
    {
        Ok(())
    } else {
        Err(ApiError::Forbidden("the administration audit".into()))
    }
}

/// The newest changes to accounts and organisations, described.
pub async fn changes(db: &DatabaseConnection, c: &Caller) -> ApiResult<Vec<Change>> {
    require_reader(c)?;
    let rows = audit_entry::Entity::find()
        .filter(audit_entry::Column::ReviewId.is_null())
        .order_by_desc(audit_entry::Column::Id)
        .limit(LIMIT)
        .all(db)
        .await?;
    let people: HashMap<i32, String> =
        user::Entity::find().all(db).await?.into_iter().map(|u| (u.id, format!("{} <{}>", u.name, u.email))).collect();
    let boards: HashMap<i32, String> =
        board::Entity::find().all(db).await?.into_iter().map(|b| (b.id, b.name)).collect();
    let agencies: HashMap<i32, String> =
        agency::Entity::find().all(db).await?.into_iter().map(|a| (a.id, a.name)).collect();
    let areas: HashMap<i32, String> =
        local_authority_area::Entity::find().all(db).await?.into_iter().map(|a| (a.id, a.name)).collect();
    let proposal_ids: Vec<i32> =
        rows.iter().filter(|r| r.record_type == "grant_proposal").map(|r| r.record_id).collect();
    let proposals: HashMap<i32, grant_proposal::Model> = grant_proposal::Entity::find()
        .filter(grant_proposal::Column::Id.is_in(proposal_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let named = |map: &HashMap<i32, String>, id: i32| map.get(&id).cloned().unwrap_or_else(|| format!("#{id}"));
    let described = rows
        .into_iter()
        .map(|r| {
            let subject = match r.record_type.as_str() {
                "user" => named(&people, r.record_id),
                "board" => named(&boards, r.record_id),
                "agency" => named(&agencies, r.record_id),
                "local_authority_area" | "area" => named(&areas, r.record_id),
                "grant_proposal" => proposals.get(&r.record_id).map_or_else(
                    || format!("#{}", r.record_id),
                    |p| {
                        let role: &str = match Role::parse(&p.role) {
                            Some(r) => r.title(),
                            None => &p.role,
                        };
                        format!("{role} for {}", named(&people, p.user_id))
                    },
                ),
                _ => format!("#{}", r.record_id),
            };
            Change {
                at: r.at,
                actor_id: r.actor_id,
                actor: r.actor_id.map_or_else(|| "the server".to_owned(), |a| named(&people, a)),
                operation: r.operation,
                record_type: r.record_type,
                record_id: r.record_id,
                subject,
            }
        })
        .collect();
    Ok(described)
}

/// The changes as a table: headers and rows, for CSV.
pub fn table(changes: &[Change]) -> (Vec<String>, Vec<Vec<String>>) {
    let headers = ["When (UTC)", "Who", "Operation", "Record", "Record id", "About"].map(str::to_owned).to_vec();
    let rows = changes
        .iter()
        .map(|c| {
            vec![
                c.at.format("%Y-%m-%d %H:%M:%S").to_string(),
                c.actor.clone(),
                c.operation.clone(),
                c.record_type.clone(),
                c.record_id.to_string(),
                c.subject.clone(),
            ]
        })
        .collect();
    (headers, rows)
}
