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
    assert!(seeded.len() > 100, "the demo writes its steps through the phases' steps");
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
    m.hash = Set(audit::entry_hash(position, &victim.prev_hash, &edited).unwrap());
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

async fn every_real_identity_answered_is_logged_with_who_read_it(b: Backend) {
    use sea_orm::{ColumnTrait, QueryFilter};
    use serde_json::json;
    let app = TestApp::spawn(b).await;
    let id = app.review_at("OVERVIEW_REPORT").await;
    let q = "query($id:Int!){review(id:$id){people{id name dateOfBirth}}}";
    let reads = |user: i32| {
        let db = app.db.clone();
        async move {
            identity_read::Entity::find()
                .filter(identity_read::Column::UserId.eq(user))
                .filter(identity_read::Column::ReviewId.eq(id))
                .all(&db)
                .await
                .unwrap()
        }
    };
    // A partner board is answered labels: nothing to log.
    let partner = app.login("partner@scr.example").await;
    let partner_id = app.user_id("partner@scr.example").await;
    app.gql(Some(&partner), q, json!({"id": id})).await;
    assert!(reads(partner_id).await.is_empty());
    // The chair is answered names and dates of birth: each person's, once per request.
    let chair = app.login("chair@scr.example").await;
    let chair_id = app.user_id("chair@scr.example").await;
    let people = app.ok(&chair, q, json!({"id": id})).await["review"]["people"].as_array().unwrap().len();
    let logged = reads(chair_id).await;
    assert_eq!(logged.iter().filter(|r| r.field == "name").count(), people);
    assert!(logged.iter().all(|r| ["name", "date_of_birth"].contains(&r.field.as_str())));
    // Readable with the audit trail, by those who read it.
    let trail = app.ok(&chair, "query($id:Int!){review(id:$id){identityReads{userId field}}}", json!({"id": id})).await;
    let list = trail["review"]["identityReads"].as_array().unwrap();
    assert!(list.iter().any(|r| r["userId"] == chair_id && r["field"] == "name"), "{trail}");
    let v = app.gql(Some(&partner), "query($id:Int!){review(id:$id){identityReads{userId}}}", json!({"id": id})).await;
    assert_eq!(common::code(&v), "FORBIDDEN");
}

on_both_databases!(
    the_audit_chain_holds_and_names_what_was_tampered_with,
    every_real_identity_answered_is_logged_with_who_read_it,
);
