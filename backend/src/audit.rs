//! The audit log: every mutation writes one entry in the same transaction as the
//! change it records, so there is never a change without its entry.
//!
//! The log is append-only and hash-chained: each entry stores the hash of the entry
//! before it and its own hash over that and its fields, and `audit_head` keeps the
//! last hash and the number of entries. The hash is keyed (HMAC-SHA-256) with a key from
//! the configuration (`SCR_AUDIT_KEY`) that never lives in the database, so someone
//! who can write to the database cannot recompute the chain after editing it; each
//! entry names its key by an identifier derived from it (`key_id`), so keys can be
//! rotated (`SCR_AUDIT_OLD_KEYS` keeps the old ones verifiable, `scr audit rekey`
//! moves the whole chain to the current one). Without a key (development) the hash is
//! plain SHA-256. `anchor` gives the head, signed, to keep outside the database, and
//! `verify_anchors` checks the chain against such anchors. Writers take the head's row first (its lock,
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

/// The audit keys of the process: the current one (new entries) and every one whose
/// entries can be verified.
#[derive(Clone, Default)]
pub struct Keys {
    current: Option<String>,
    all: std::collections::HashMap<String, Vec<u8>>,
}

static KEYS: std::sync::RwLock<Option<Keys>> = std::sync::RwLock::new(None);

/// The identifier of a key: the first 16 hex digits of its SHA-256. Says nothing of
/// the key.
pub fn key_id(key: &[u8]) -> String {
    Sha256::digest(key).iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Sets the process's audit keys: `current` for new entries, `old` for verifying
/// entries made before a rotation. Each key is at least 32 bytes.
pub fn configure(current: Option<&str>, old: &[String]) -> Result<(), String> {
    let mut keys = Keys::default();
    for k in old.iter().map(String::as_str).chain(current) {
        if k.len() < 32 {
            return Err("an audit key must be at least 32 bytes".into());
        }
        keys.all.insert(key_id(k.as_bytes()), k.as_bytes().to_vec());
    }
    keys.current = current.map(|k| key_id(k.as_bytes()));
    *KEYS.write().map_err(|_| "the audit keys are unreadable".to_owned())? = Some(keys);
    Ok(())
}

fn keys() -> Keys {
    KEYS.read().ok().and_then(|k| k.clone()).unwrap_or_default()
}

/// The current key's identifier, if a key is configured.
pub fn current_key_id() -> Option<String> {
    keys().current
}

fn mac(key: &[u8], data: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let Ok(mut m) = Hmac::<Sha256>::new_from_slice(key) else { return String::new() };
    m.update(data);
    m.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

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

/// The hash (hex) of the entry at position `seq` (from 1) of the chain, over the hash
/// before it and every field it records: HMAC-SHA-256 with the key `m.key_id` names,
/// or SHA-256 when it names none. `None` when its key is not configured.
pub fn entry_hash(seq: i64, prev: &str, m: &audit_entry::Model) -> Option<String> {
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
    let data = fields.join("\u{1f}");
    match &m.key_id {
        Some(id) => keys().all.get(id).map(|k| mac(k, data.as_bytes())),
        None => Some(Sha256::digest(data.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()),
    }
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
        key_id: current_key_id(),
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
    m.hash = entry_hash(i64::from(head.entries), &m.prev_hash, m)
        .ok_or_else(|| DbErr::Custom("the audit key is not configured".into()))?;
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
        key_id: Set(m.key_id.clone()),
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
    // Only a log written before the chain existed: never one whose entries were
    // chained (a head emptied behind the server's back is reported by `verify`, not
    // re-sealed).
    if rows.iter().any(|r| !r.hash.is_empty() || r.key_id.is_some()) {
        return Ok(0);
    }
    let mut prev = String::new();
    let key = current_key_id();
    for (k, row) in rows.iter().enumerate() {
        let keyed = audit_entry::Model { key_id: key.clone(), ..row.clone() };
        let hash = entry_hash(k as i64 + 1, &prev, &keyed).unwrap_or_default();
        audit_entry::Entity::update_many()
            .col_expr(audit_entry::Column::PrevHash, Expr::value(prev.clone()))
            .col_expr(audit_entry::Column::Hash, Expr::value(hash.clone()))
            .col_expr(audit_entry::Column::KeyId, Expr::value(key.clone()))
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
    #[error(
        "audit entry {id} was hashed with key {key_id}, which is not configured (SCR_AUDIT_KEY or SCR_AUDIT_OLD_KEYS)"
    )]
    UnknownKey { id: i32, key_id: String },
    #[error(
        "audit entry {id} is not keyed while an audit key is configured: run `scr audit rekey` once, or it was rewritten"
    )]
    Unkeyed { id: i32 },
    #[error(
        "the audit log differs from the anchor taken {at} at entry {entries}: an entry between ids {after} and {upto} was changed, removed or added"
    )]
    Anchor { at: String, entries: i64, after: i32, upto: i32 },
    #[error("anchor {line} is not signed by a configured audit key")]
    AnchorForged { line: usize },
}

/// Walks the whole chain in pages; the number of entries when it holds.
pub async fn verify(conn: &impl ConnectionTrait) -> Result<Result<u64, Broken>, DbErr> {
    let Some(head) = audit_head::Entity::find_by_id(HEAD).one(conn).await? else {
        return Ok(Err(Broken::NoHead));
    };
    let mut pages = audit_entry::Entity::find().order_by_asc(audit_entry::Column::Id).paginate(conn, 5_000);
    let mut prev = String::new();
    let mut seq: i64 = 0;
    // With a key configured, every entry must be keyed: an entry rewritten with plain
    // SHA-256 would otherwise pass.
    let keyed = current_key_id().is_some();
    while let Some(rows) = pages.fetch_and_next().await? {
        for row in rows {
            seq += 1;
            if row.prev_hash != prev {
                return Ok(Err(Broken::Unlinked { id: row.id }));
            }
            if keyed && row.key_id.is_none() {
                return Ok(Err(Broken::Unkeyed { id: row.id }));
            }
            match entry_hash(seq, &prev, &row) {
                None => {
                    return Ok(Err(Broken::UnknownKey { id: row.id, key_id: row.key_id.unwrap_or_default() }));
                }
                Some(h) if h != row.hash => return Ok(Err(Broken::Edited { id: row.id })),
                Some(_) => {}
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

/// The chain's head as kept outside the database: how many entries, the last hash,
/// when, and a signature with the current audit key (none without one).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Anchor {
    pub entries: i64,
    pub hash: String,
    pub at: String,
    pub key_id: Option<String>,
    pub mac: Option<String>,
}

fn anchor_data(entries: i64, hash: &str, at: &str) -> String {
    format!("{entries}\u{1f}{hash}\u{1f}{at}")
}

/// The head now, signed: one line of JSON for an outside log.
pub async fn anchor(conn: &impl ConnectionTrait) -> Result<Anchor, DbErr> {
    let head = audit_head::Entity::find_by_id(HEAD)
        .one(conn)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("the audit log's head".into()))?;
    let at = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let entries = i64::from(head.entries);
    let k = keys();
    let key_id = k.current.clone();
    let mac = key_id
        .as_ref()
        .and_then(|id| k.all.get(id))
        .map(|key| mac(key, anchor_data(entries, &head.hash, &at).as_bytes()));
    Ok(Anchor { entries, hash: head.hash, at, key_id, mac })
}

/// Checks the chain against anchors (one JSON line each, as `anchor` writes them):
/// each signed anchor's signature, then that the chain's entry number `entries` still
/// ends with the anchored hash. Names the first anchor the log no longer matches, and
/// the ids between which the change lies. Run after `verify`.
pub async fn verify_anchors(conn: &impl ConnectionTrait, lines: &str) -> Result<Result<usize, Broken>, DbErr> {
    let mut anchors = Vec::new();
    for (i, line) in lines.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let a: Anchor = serde_json::from_str(line).map_err(|e| DbErr::Custom(format!("anchor {}: {e}", i + 1)))?;
        let k = keys();
        match (&a.key_id, &a.mac) {
            (Some(id), Some(m)) => {
                let expected = k.all.get(id).map(|key| mac(key, anchor_data(a.entries, &a.hash, &a.at).as_bytes()));
                if expected.as_deref() != Some(m.as_str()) {
                    return Ok(Err(Broken::AnchorForged { line: i + 1 }));
                }
            }
            // An unsigned anchor is believed only when no key is configured.
            _ if k.current.is_some() => return Ok(Err(Broken::AnchorForged { line: i + 1 })),
            _ => {}
        }
        anchors.push(a);
    }
    anchors.sort_by_key(|a| a.entries);
    let rows: Vec<(i32, String)> = audit_entry::Entity::find()
        .order_by_asc(audit_entry::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|r| (r.id, r.hash))
        .collect();
    let mut after = 0;
    for a in &anchors {
        let n = usize::try_from(a.entries).unwrap_or(usize::MAX);
        let upto = rows.get(n.saturating_sub(1)).map_or(rows.last().map_or(0, |r| r.0), |r| r.0);
        let matches = n == 0 || rows.get(n - 1).is_some_and(|r| r.1 == a.hash);
        if !matches {
            return Ok(Err(Broken::Anchor { at: a.at.clone(), entries: a.entries, after, upto }));
        }
        after = upto;
    }
    Ok(Ok(anchors.len()))
}

/// Moves the whole chain to the current key (after checking it as it is): for a log
/// written before a key was configured, or to retire an old key. Returns the entries
/// rehashed.
pub async fn rekey(db: &sea_orm::DatabaseConnection) -> Result<Result<u64, Broken>, DbErr> {
    use sea_orm::TransactionTrait;
    let Some(key) = current_key_id() else {
        return Err(DbErr::Custom("no audit key is configured (SCR_AUDIT_KEY)".into()));
    };
    // Not a step on a review: the audit log itself, rewritten by whoever runs the server.
    let txn = db.begin().await?;
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::Entries, Expr::col(audit_head::Column::Entries))
        .filter(audit_head::Column::Id.eq(HEAD))
        .exec(&txn)
        .await?;
    let rows = audit_entry::Entity::find().order_by_asc(audit_entry::Column::Id).all(&txn).await?;
    // A log partly keyed and partly not was rewritten: only a log wholly without a key
    // (written before one was set) or wholly keyed (a rotation) is rehashed.
    let keyed = rows.iter().filter(|r| r.key_id.is_some()).count();
    if keyed != 0
        && keyed != rows.len()
        && let Some(r) = rows.iter().find(|r| r.key_id.is_none())
    {
        return Ok(Err(Broken::Unkeyed { id: r.id }));
    }
    let head = audit_head::Entity::find_by_id(HEAD).one(&txn).await?;
    let Some(head) = head else { return Ok(Err(Broken::NoHead)) };
    let recorded = i64::from(head.entries);
    let last = rows.last().map(|r| r.hash.clone()).unwrap_or_default();
    if recorded != rows.len() as i64 || last != head.hash {
        return Ok(Err(Broken::Truncated { missing: Ord::max(recorded - rows.len() as i64, 1) }));
    }
    let mut prev = String::new();
    let mut rehashed = Vec::with_capacity(rows.len());
    for (k, row) in rows.iter().enumerate() {
        let seq = k as i64 + 1;
        if row.prev_hash != prev {
            return Ok(Err(Broken::Unlinked { id: row.id }));
        }
        match entry_hash(seq, &prev, row) {
            None => return Ok(Err(Broken::UnknownKey { id: row.id, key_id: row.key_id.clone().unwrap_or_default() })),
            Some(h) if h != row.hash => return Ok(Err(Broken::Edited { id: row.id })),
            Some(_) => {}
        }
        prev = row.hash.clone();
        rehashed.push(row.clone());
    }
    let mut new_prev = String::new();
    for (k, row) in rehashed.iter().enumerate() {
        let keyed = audit_entry::Model { key_id: Some(key.clone()), prev_hash: new_prev.clone(), ..row.clone() };
        let hash = entry_hash(k as i64 + 1, &new_prev, &keyed).unwrap_or_default();
        audit_entry::Entity::update_many()
            .col_expr(audit_entry::Column::PrevHash, Expr::value(new_prev.clone()))
            .col_expr(audit_entry::Column::Hash, Expr::value(hash.clone()))
            .col_expr(audit_entry::Column::KeyId, Expr::value(Some(key.clone())))
            .filter(audit_entry::Column::Id.eq(row.id))
            .exec(&txn)
            .await?;
        new_prev = hash;
    }
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::Hash, Expr::value(new_prev))
        .filter(audit_head::Column::Id.eq(HEAD))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(Ok(rehashed.len() as u64))
}
