//! The administration audit: every change to accounts and organisations (the audit
//! entries that belong to no review), with who made it and what it was about, for the
//! Board Chair, the business manager and administrators; on screen and as CSV.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, IntoIden, LikeExpr, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use shared::policy::{self, Operation};
use shared::role::Role;

use crate::context::Caller;
use crate::entities::*;
use crate::errors::{ApiError, ApiResult};

/// At most this many entries a page on screen.
pub const MAX_PAGE: u64 = 100;

/// At most this many entries in one CSV download, newest first.
pub const CSV_LIMIT: u64 = 10_000;

/// What a change was about, as the list's filter offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum About {
    /// Accounts: invitations, roles given and taken away, deactivation, factors.
    Accounts,
    /// Roles proposed, approved and refused.
    Proposals,
    /// Boards, agencies and local authority areas.
    Organisations,
}

impl About {
    pub fn parse(s: &str) -> Option<About> {
        match s {
            "accounts" => Some(About::Accounts),
            "proposals" => Some(About::Proposals),
            "organisations" => Some(About::Organisations),
            _ => None,
        }
    }

    fn record_types(self) -> &'static [&'static str] {
        match self {
            About::Accounts => &["user"],
            About::Proposals => &["grant_proposal"],
            About::Organisations => &["board", "agency", "local_authority_area", "area"],
        }
    }
}

/// What to look for; every part optional.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Part of who made the change or of what it was about (a person's name or
    /// e-mail address, a board's, agency's or area's name), or of the operation.
    pub text: Option<String>,
    pub about: Option<About>,
    /// The first and last day (UTC) of the changes, both included.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

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

/// The changes to accounts and organisations that `filter` finds, newest first: how
/// many in all, and `limit` of them from `offset`, described. Found and paged in the
/// database.
pub async fn find(
    db: &DatabaseConnection,
    c: &Caller,
    filter: &Filter,
    offset: u64,
    limit: u64,
) -> ApiResult<(u64, Vec<Change>)> {
    require_reader(c)?;
    if limit == 0 || limit > MAX_PAGE {
        return Err(ApiError::invalid("limit", format!("Ask for between 1 and {MAX_PAGE} entries a page")));
    }
    let q = audit_entry::Entity::find().filter(condition(filter)?);
    let total = q.clone().count(db).await?;
    let rows = q.order_by_desc(audit_entry::Column::Id).offset(offset).limit(limit).all(db).await?;
    Ok((total, describe(db, rows).await?))
}

/// The newest changes that `filter` finds, at most [`CSV_LIMIT`], for a download.
pub async fn download(db: &DatabaseConnection, c: &Caller, filter: &Filter) -> ApiResult<Vec<Change>> {
    require_reader(c)?;
    let rows = audit_entry::Entity::find()
        .filter(condition(filter)?)
        .order_by_desc(audit_entry::Column::Id)
        .limit(CSV_LIMIT)
        .all(db)
        .await?;
    describe(db, rows).await
}

/// `filter` as a condition on audit entries that belong to no review.
fn condition(filter: &Filter) -> ApiResult<Condition> {
    let mut cond = Condition::all().add(audit_entry::Column::ReviewId.is_null());
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && to < from
    {
        return Err(ApiError::invalid("to", "The last day must be the same as or after the first day"));
    }
    if let Some(from) = filter.from {
        cond = cond.add(audit_entry::Column::At.gte(from.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()));
    }
    if let Some(to) = filter.to.and_then(|d| d.succ_opt()) {
        cond = cond.add(audit_entry::Column::At.lt(to.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()));
    }
    if let Some(about) = filter.about {
        cond = cond.add(audit_entry::Column::RecordType.is_in(about.record_types().iter().copied()));
    }
    if let Some(text) = filter.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        if text.chars().count() > 200 {
            return Err(ApiError::invalid("text", "Search for 200 characters or fewer"));
        }
        cond = cond.add(matching(text));
    }
    Ok(cond)
}

/// Entries whose actor or subject is named by `text` (any case), or whose operation
/// reads as it ("approve grant" finds `approve_grant`).
fn matching(text: &str) -> Condition {
    let like = |table: sea_orm::sea_query::DynIden, col: sea_orm::sea_query::DynIden| {
        crate::db::contains(Expr::col((table, col)), text)
    };
    let ids = |table: sea_orm::sea_query::DynIden, cond: Condition| -> SelectStatement {
        Query::select()
            .column((table.clone(), sea_orm::sea_query::Alias::new("id")))
            .from(table)
            .cond_where(cond)
            .to_owned()
    };
    let people = || {
        ids(
            user::Entity.into_iden(),
            Condition::any()
                .add(like(user::Entity.into_iden(), user::Column::Name.into_iden()))
                .add(like(user::Entity.into_iden(), user::Column::Email.into_iden())),
        )
    };
    let named = |table: sea_orm::sea_query::DynIden, col: sea_orm::sea_query::DynIden| {
        ids(table.clone(), Condition::all().add(like(table, col)))
    };
    let about = |types: &[&str], sub: SelectStatement| {
        Condition::all()
            .add(audit_entry::Column::RecordType.is_in(types.iter().copied()))
            .add(audit_entry::Column::RecordId.in_subquery(sub))
    };
    // "approve grant" reads as `approve_grant`: a space matches the underscore.
    let operation = format!("%{}%", crate::db::escape_like(&text.replace(' ', "_")).replace("\\_", "_"));
    Condition::any()
        .add(audit_entry::Column::ActorId.in_subquery(people()))
        .add(about(&["user"], people()))
        .add(about(&["board"], named(board::Entity.into_iden(), board::Column::Name.into_iden())))
        .add(about(&["agency"], named(agency::Entity.into_iden(), agency::Column::Name.into_iden())))
        .add(about(
            &["local_authority_area", "area"],
            named(local_authority_area::Entity.into_iden(), local_authority_area::Column::Name.into_iden()),
        ))
        .add(about(
            &["grant_proposal"],
            Query::select()
                .column(grant_proposal::Column::Id)
                .from(grant_proposal::Entity)
                .and_where(grant_proposal::Column::UserId.in_subquery(people()))
                .to_owned(),
        ))
        .add(Expr::col(audit_entry::Column::Operation).like(LikeExpr::new(operation).escape('\\')))
}

/// Each entry with who made it and what it was about, by name.
async fn describe(db: &DatabaseConnection, rows: Vec<audit_entry::Model>) -> ApiResult<Vec<Change>> {
    // Only the people, organisations and proposals this page names.
    let of = |types: &[&str]| -> std::collections::BTreeSet<i32> {
        rows.iter().filter(|r| types.contains(&r.record_type.as_str())).map(|r| r.record_id).collect()
    };
    let proposals: HashMap<i32, grant_proposal::Model> = grant_proposal::Entity::find()
        .filter(grant_proposal::Column::Id.is_in(of(&["grant_proposal"])))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let mut person_ids = of(&["user"]);
    person_ids.extend(rows.iter().filter_map(|r| r.actor_id));
    person_ids.extend(proposals.values().map(|p| p.user_id));
    let people: HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(person_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, format!("{} <{}>", u.name, u.email)))
        .collect();
    let boards: HashMap<i32, String> = board::Entity::find()
        .filter(board::Column::Id.is_in(of(&["board"])))
        .all(db)
        .await?
        .into_iter()
        .map(|b| (b.id, b.name))
        .collect();
    let agencies: HashMap<i32, String> = agency::Entity::find()
        .filter(agency::Column::Id.is_in(of(&["agency"])))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    let areas: HashMap<i32, String> = local_authority_area::Entity::find()
        .filter(local_authority_area::Column::Id.is_in(of(&["local_authority_area", "area"])))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
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
