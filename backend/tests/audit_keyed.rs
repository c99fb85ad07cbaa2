//! An audit chain that cannot be rewritten quietly: keyed with HMAC-SHA-256 from the
//! configuration, an edit recomputed with plain SHA-256 (as anyone with the database
//! and `hashlib` could) or with a wrong key is named; anchors kept outside the database
//! catch a rolled-back or rewritten log even by someone holding the key; keys rotate.
//! The key is the process's, so this binary holds one test, walking both databases in
//! turn.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use backend::audit::{self, Broken, Entry};
use backend::entities::*;
use common::{Backend, TestApp};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use sha2::{Digest, Sha256};

const KEY: &str = "the board's audit key, kept outside the database";
const NEW_KEY: &str = "the board's next audit key, after a rotation";

async fn entries(app: &TestApp) -> Vec<audit_entry::Model> {
    audit_entry::Entity::find().order_by_asc(audit_entry::Column::Id).all(&app.db).await.unwrap()
}

/// Rewrites every entry from `from` on as a forger without the key would: plain SHA-256
/// over the same fields, chained, and the head to match.
async fn forge_without_the_key(app: &TestApp, from: usize) {
    let all = entries(app).await;
    let mut prev = all[from - 1].hash.clone();
    for (k, row) in all.iter().enumerate().skip(from) {
        let unkeyed = audit_entry::Model { key_id: None, prev_hash: prev.clone(), ..row.clone() };
        let fields = [
            (k as i64 + 1).to_string(),
            prev.clone(),
            unkeyed.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            unkeyed.actor_id.map_or_else(String::new, |x| x.to_string()),
            unkeyed.operation.clone(),
            unkeyed.record_type.clone(),
            unkeyed.record_id.to_string(),
            unkeyed.review_id.map_or_else(String::new, |x| x.to_string()),
            unkeyed.version.map_or_else(String::new, |x| x.to_string()),
        ];
        let hash: String =
            Sha256::digest(fields.join("\u{1f}").as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        audit_entry::Entity::update_many()
            .col_expr(audit_entry::Column::PrevHash, Expr::value(prev.clone()))
            .col_expr(audit_entry::Column::Hash, Expr::value(hash.clone()))
            .col_expr(audit_entry::Column::KeyId, Expr::value(Option::<String>::None))
            .filter(audit_entry::Column::Id.eq(row.id))
            .exec(&app.db)
            .await
            .unwrap();
        prev = hash;
    }
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::Hash, Expr::value(prev))
        .exec(&app.db)
        .await
        .unwrap();
}

async fn keyed_chain(b: Backend) {
    audit::configure(Some(KEY), &[]).unwrap();
    let app = TestApp::spawn(b).await;
    let all = entries(&app).await;
    assert!(
        all.iter().all(|e| e.key_id.as_deref() == Some(audit::key_id(KEY.as_bytes()).as_str())),
        "every entry keyed"
    );
    assert_eq!(audit::verify(&app.db).await.unwrap(), Ok(all.len() as u64));
    let first_anchor = audit::anchor(&app.db).await.unwrap();
    assert!(first_anchor.mac.is_some());

    // An edit, with every later hash recomputed without the key: named.
    let victim = all.len() / 2;
    audit_entry::Entity::update_many()
        .col_expr(audit_entry::Column::Operation, Expr::value("approve_terms_of_reference"))
        .filter(audit_entry::Column::Id.eq(all[victim].id))
        .exec(&app.db)
        .await
        .unwrap();
    forge_without_the_key(&app, victim).await;
    assert_eq!(audit::verify(&app.db).await.unwrap(), Err(Broken::Unkeyed { id: all[victim].id }));
    // Nor does `scr audit rekey` sign a log partly rewritten without the key, nor a
    // restart re-seal a log whose head was emptied behind its back.
    assert_eq!(audit::rekey(&app.db).await.unwrap(), Err(Broken::Unkeyed { id: all[victim].id }));
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::Entries, Expr::value(0))
        .exec(&app.db)
        .await
        .unwrap();
    backend::db::migrate(&app.db).await.unwrap();
    assert!(audit::verify(&app.db).await.unwrap().is_err(), "not re-sealed on start");
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::Entries, Expr::value(i32::try_from(all.len()).unwrap()))
        .exec(&app.db)
        .await
        .unwrap();
    // The forged entries claiming the real key's name: their hashes are not its.
    let forged_id = audit::key_id(KEY.as_bytes());
    audit_entry::Entity::update_many()
        .col_expr(audit_entry::Column::KeyId, Expr::value(Some(forged_id)))
        .exec(&app.db)
        .await
        .unwrap();
    let broken = audit::verify(&app.db).await.unwrap();
    assert!(matches!(broken, Err(Broken::Edited { .. })), "{broken:?}");
}

async fn anchors_and_rotation(b: Backend) {
    audit::configure(Some(KEY), &[]).unwrap();
    let app = TestApp::spawn(b).await;
    let early = audit::anchor(&app.db).await.unwrap();
    for k in 0..5 {
        let e = Entry {
            actor: None,
            operation: "test",
            record_type: "anchored",
            record_id: k,
            review_id: None,
            version: None,
        };
        audit::record(&app.db, e).await.unwrap();
    }
    let late = audit::anchor(&app.db).await.unwrap();
    let file = [&early, &late].iter().map(|a| serde_json::to_string(a).unwrap()).collect::<Vec<_>>().join("\n");
    assert_eq!(audit::verify_anchors(&app.db, &file).await.unwrap(), Ok(2));

    // Rolled back by someone who holds the key: the last entries removed and the head
    // rewound, a chain that verifies on its own. The anchor knows better.
    let all = entries(&app).await;
    let keep = usize::try_from(early.entries).unwrap() + 2;
    audit_entry::Entity::delete_many()
        .filter(audit_entry::Column::Id.gt(all[keep - 1].id))
        .exec(&app.db)
        .await
        .unwrap();
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::Hash, Expr::value(all[keep - 1].hash.clone()))
        .col_expr(audit_head::Column::Entries, Expr::value(i32::try_from(keep).unwrap()))
        .exec(&app.db)
        .await
        .unwrap();
    assert_eq!(audit::verify(&app.db).await.unwrap(), Ok(keep as u64), "intact on its own");
    let broken = audit::verify_anchors(&app.db, &file).await.unwrap();
    assert!(matches!(broken, Err(Broken::Anchor { entries, .. }) if entries == late.entries), "{broken:?}");
    // A forged anchor is refused.
    let mut forged = late.clone();
    forged.entries = i64::try_from(keep).unwrap();
    forged.hash = all[keep - 1].hash.clone();
    let forged = serde_json::to_string(&forged).unwrap();
    assert_eq!(audit::verify_anchors(&app.db, &forged).await.unwrap(), Err(Broken::AnchorForged { line: 1 }));

    // Rotation: the new key writes, the old one still verifies what it wrote...
    audit::configure(Some(NEW_KEY), &[KEY.to_owned()]).unwrap();
    let e =
        Entry { actor: None, operation: "test", record_type: "rotated", record_id: 1, review_id: None, version: None };
    audit::record(&app.db, e).await.unwrap();
    let n = entries(&app).await.len() as u64;
    assert_eq!(audit::verify(&app.db).await.unwrap(), Ok(n));
    // ...and without it, its entries cannot be checked.
    audit::configure(Some(NEW_KEY), &[]).unwrap();
    assert!(matches!(audit::verify(&app.db).await.unwrap(), Err(Broken::UnknownKey { .. })));
    // `scr audit rekey` moves the whole chain to the new key; the old one can go.
    audit::configure(Some(NEW_KEY), &[KEY.to_owned()]).unwrap();
    assert_eq!(audit::rekey(&app.db).await.unwrap(), Ok(n));
    audit::configure(Some(NEW_KEY), &[]).unwrap();
    assert_eq!(audit::verify(&app.db).await.unwrap(), Ok(n));
}

#[tokio::test]
async fn an_audit_chain_keyed_outside_the_database_cannot_be_rewritten_quietly() {
    for b in [Backend::Sqlite, Backend::Postgres] {
        keyed_chain(b).await;
        anchors_and_rotation(b).await;
    }
}
