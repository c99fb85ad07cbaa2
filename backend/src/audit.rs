//! The audit log: every mutation writes one entry in the same transaction as the
//! change it records, so there is never a change without its entry.
//!
//! The log is append-only and hash-chained: each entry stores the hash of the entry
//! before it and its own SHA-256 over that and its fields, and `audit_head` keeps the
//! last hash and the number of entries. Writers take the head's row first (its lock,
//! on PostgreSQL; the write lock, on SQLite), so concurrent transactions chain one
//! after the other instead of forking. `verify` walks the chain and names the first
//! entry that was edited, removed or added out of turn, and a truncated tail.

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use sha2::{Digest, Sha256};

use crate::entities::{audit_entry, audit_head};
use crate::errors::ApiResult;

/// What an entry records.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub actor: Option<i32>,
    pub operation: &'a str,
    pub record_type: &'a str,
    pub record_id: i32,
    pub review_id: Option<i32>,
    pub version: Option<i32>,
}

/// The head's only row.
const HEAD: i32 = 1;

/// SHA-256 (hex) of the entry at position `seq` (from 1) of the chain, over the hash
/// before it and every field it records.
pub fn entry_hash(seq: i64, prev: &str, m: &audit_entry::Model) -> String {
    let opt = |v: Option<i32>| v.map_or_else(String::new, |x| x.to_string());
    let fields = [
        seq.to_string(),
        prev.to_owned(),
        m.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        opt(m.actor_id),
        m.operation.clone(),
        m.record_type.clone(),
        m.record_id.to_string(),
        opt(m.review_id),
        opt(m.version),
    ];
    let digest = Sha256::digest(fields.join("\u{1f}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes `e` as the next entry of the chain.
pub async fn record(conn: &impl ConnectionTrait, e: Entry<'_>) -> Result<(), DbErr> {
    let at: DateTime<Utc> = Utc::now().trunc_subsecs(6);
    let mut m = audit_entry::Model {
        id: 0,
        at,
        actor_id: e.actor,
        operation: e.operation.to_owned(),
        record_type: e.record_type.to_owned(),
        record_id: e.record_id,
        review_id: e.review_id,
        version: e.version,
        prev_hash: String::new(),
        hash: String::new(),
    };
    append(conn, &mut m).await
}

/// Takes the head (and with it the right to write the next entry), then chains `m`.
async fn append(conn: &impl ConnectionTrait, m: &mut audit_entry::Model) -> Result<(), DbErr> {
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::Entries, Expr::col(audit_head::Column::Entries).add(1))
        .filter(audit_head::Column::Id.eq(HEAD))
        .exec(conn)
        .await?;
    let head = audit_head::Entity::find_by_id(HEAD)
        .one(conn)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("the audit log's head".into()))?;
    m.prev_hash = head.hash;
    m.hash = entry_hash(i64::from(head.entries), &m.prev_hash, m);
    audit_entry::ActiveModel {
        at: Set(m.at),
        actor_id: Set(m.actor_id),
        operation: Set(m.operation.clone()),
        record_type: Set(m.record_type.clone()),
        record_id: Set(m.record_id),
        review_id: Set(m.review_id),
        version: Set(m.version),
        prev_hash: Set(m.prev_hash.clone()),
        hash: Set(m.hash.clone()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::Hash, Expr::value(m.hash.clone()))
        .filter(audit_head::Column::Id.eq(HEAD))
        .exec(conn)
        .await?;
    Ok(())
}

/// Entries written before the chain existed (an older database) are sealed into it,
/// in order, once: only while the head is still empty, so an entry cleared later is
/// never re-sealed but reported by `verify`.
pub async fn seal_unchained(db: &sea_orm::DatabaseConnection) -> Result<u64, DbErr> {
    use sea_orm::TransactionTrait;
    // Not a step on a review: the audit log itself, sealed once on migration.
    let txn = db.begin().await?;
    let head = audit_head::Entity::find_by_id(HEAD).one(&txn).await?;
    if head.is_none_or(|h| h.entries != 0) {
        return Ok(0);
    }
    let rows = audit_entry::Entity::find().order_by_asc(audit_entry::Column::Id).all(&txn).await?;
    let mut prev = String::new();
    for (k, row) in rows.iter().enumerate() {
        let hash = entry_hash(k as i64 + 1, &prev, row);
        audit_entry::Entity::update_many()
            .col_expr(audit_entry::Column::PrevHash, Expr::value(prev.clone()))
            .col_expr(audit_entry::Column::Hash, Expr::value(hash.clone()))
            .filter(audit_entry::Column::Id.eq(row.id))
            .exec(&txn)
            .await?;
        prev = hash;
    }
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::Hash, Expr::value(prev))
        .col_expr(audit_head::Column::Entries, Expr::value(rows.len() as i32))
        .filter(audit_head::Column::Id.eq(HEAD))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(rows.len() as u64)
}

/// Where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Broken {
    #[error("audit entry {id} was changed: its hash does not match what it records")]
    Edited { id: i32 },
    #[error("the audit entry before entry {id} is missing or was changed")]
    Unlinked { id: i32 },
    #[error("the audit log ends before its last entry: {missing} entr(y/ies) removed from the end")]
    Truncated { missing: i64 },
    #[error("the audit log has {extra} entr(y/ies) after the last one it recorded")]
    Appended { extra: i64 },
    #[error("the audit log's head is missing")]
    NoHead,
}

/// Walks the whole chain in pages; the number of entries when it holds.
pub async fn verify(conn: &impl ConnectionTrait) -> Result<Result<u64, Broken>, DbErr> {
    let Some(head) = audit_head::Entity::find_by_id(HEAD).one(conn).await? else {
        return Ok(Err(Broken::NoHead));
    };
    let mut pages = audit_entry::Entity::find().order_by_asc(audit_entry::Column::Id).paginate(conn, 5_000);
    let mut prev = String::new();
    let mut seq: i64 = 0;
    while let Some(rows) = pages.fetch_and_next().await? {
        for row in rows {
            seq += 1;
            if row.prev_hash != prev {
                return Ok(Err(Broken::Unlinked { id: row.id }));
            }
            if entry_hash(seq, &prev, &row) != row.hash {
                return Ok(Err(Broken::Edited { id: row.id }));
            }
            prev = row.hash;
        }
    }
    let recorded = i64::from(head.entries);
    if seq < recorded || (seq == recorded && prev != head.hash) {
        return Ok(Err(Broken::Truncated { missing: Ord::max(recorded - seq, 1) }));
    }
    if seq > recorded {
        return Ok(Err(Broken::Appended { extra: seq - recorded }));
    }
    Ok(Ok(seq as u64))
}

/// The audit trail of a review, oldest first.
pub async fn for_review(conn: &impl ConnectionTrait, review_id: i32) -> ApiResult<Vec<audit_entry::Model>> {
    Ok(audit_entry::Entity::find()
        .filter(audit_entry::Column::ReviewId.eq(review_id))
        .order_by_asc(audit_entry::Column::Id)
        .all(conn)
        .await?)
}

/// The real identities one request answered: (review, person, field), written in one
/// statement when the request ends, before the answer leaves.
#[derive(Debug, Default)]
pub struct IdentityReads(std::sync::Mutex<std::collections::BTreeSet<(i32, i32, &'static str)>>);

impl IdentityReads {
    /// Notes that `field` of `person` on `review` is being answered in full.
    pub fn note(&self, review: i32, person: i32, field: &'static str) {
        if let Ok(mut set) = self.0.lock() {
            set.insert((review, person, field));
        }
    }

    /// Writes what was noted, for `user`; nothing when nothing was read.
    pub async fn flush(&self, conn: &impl ConnectionTrait, user: i32) -> Result<usize, DbErr> {
        let reads: Vec<(i32, i32, &'static str)> = match self.0.lock() {
            Ok(mut set) => std::mem::take(&mut *set).into_iter().collect(),
            Err(_) => return Err(DbErr::Custom("identity reads lock poisoned".into())),
        };
        if reads.is_empty() {
            return Ok(0);
        }
        let now = Utc::now();
        let n = reads.len();
        crate::entities::identity_read::Entity::insert_many(reads.into_iter().map(|(review, person, field)| {
            crate::entities::identity_read::ActiveModel {
                user_id: Set(user),
                review_id: Set(review),
                person_id: Set(person),
                field: Set(field.to_owned()),
                read_at: Set(now),
                ..Default::default()
            }
        }))
        .exec(conn)
        .await?;
        Ok(n)
    }
}
