//! The audit log is a hash chain: `verify` holds on an untouched log, also after
//! concurrent writers, and names an edited, removed or truncated entry. On SQLite and
//! PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use backend::audit::{self, Broken, Entry};
use backend::entities::*;
use common::{Backend, TestApp};
use sea_orm::{ActiveModelTrait, EntityTrait, QueryOrder, Set, TransactionTrait};

async fn entries(app: &TestApp) -> Vec<audit_entry::Model> {
    audit_entry::Entity::find().order_by_asc(audit_entry::Column::Id).all(&app.db).await.unwrap()
}

async fn verify(app: &TestApp) -> Result<u64, Broken> {
    audit::verify(&app.db).await.unwrap()
}

async fn the_audit_chain_holds_and_names_what_was_tampered_with(b: Backend) {
    let app = TestApp::spawn(b).await;
    let seeded = entries(&app).await;
    assert!(seeded.len() > 100, "the demo writes its steps through the services");
    assert_eq!(verify(&app).await, Ok(seeded.len() as u64));
    assert!(seeded.iter().all(|e| e.hash.len() == 64), "every entry is chained");

    // Twenty writers at once chain one after another, never forking.
    let mut tasks = Vec::new();
    for k in 0..20 {
        let db = app.db.clone();
        tasks.push(tokio::spawn(async move {
            let txn = db.begin().await.unwrap();
            let e = Entry {
                actor: None,
                operation: "test",
                record_type: "concurrent",
                record_id: k,
                review_id: None,
                version: None,
            };
            audit::record(&txn, e).await.unwrap();
            txn.commit().await.unwrap();
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let all = entries(&app).await;
    assert_eq!(verify(&app).await, Ok(all.len() as u64));

    // An edited entry.
    let victim = all[all.len() / 2].clone();
    let mut m: audit_entry::ActiveModel = victim.clone().into();
    m.operation = Set("approve_terms_of_reference".into());
    m.update(&app.db).await.unwrap();
    assert_eq!(verify(&app).await, Err(Broken::Edited { id: victim.id }));
    // Re-hashed to hide the edit: the next entry no longer links to it.
    let mut m: audit_entry::ActiveModel = victim.clone().into();
    let mut edited = victim.clone();
    edited.operation = "approve_terms_of_reference".into();
    let position = all.iter().position(|e| e.id == victim.id).unwrap() as i64 + 1;
    m.operation = Set(edited.operation.clone());
    m.hash = Set(audit::entry_hash(position, &victim.prev_hash, &edited));
    m.update(&app.db).await.unwrap();
    let next = all[all.len() / 2 + 1].id;
    assert_eq!(verify(&app).await, Err(Broken::Unlinked { id: next }));
    let restore: audit_entry::ActiveModel = victim.clone().into();
    audit_entry::ActiveModel { operation: Set(victim.operation.clone()), hash: Set(victim.hash.clone()), ..restore }
        .update(&app.db)
        .await
        .unwrap();
    assert_eq!(verify(&app).await, Ok(all.len() as u64), "restored");

    // A removed entry in the middle.
    let gone = all[10].clone();
    audit_entry::Entity::delete_by_id(gone.id).exec(&app.db).await.unwrap();
    assert_eq!(verify(&app).await, Err(Broken::Unlinked { id: all[11].id }));
    let back: audit_entry::ActiveModel = gone.into();
    audit_entry::Entity::insert(back).exec(&app.db).await.unwrap();
    assert_eq!(verify(&app).await, Ok(all.len() as u64), "restored");

    // The last entry removed: the head still counts it.
    audit_entry::Entity::delete_by_id(all.last().unwrap().id).exec(&app.db).await.unwrap();
    assert_eq!(verify(&app).await, Err(Broken::Truncated { missing: 1 }));
}

on_both_databases!(the_audit_chain_holds_and_names_what_was_tampered_with);
