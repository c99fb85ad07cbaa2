//! Steps that do not depend on what was read succeed together: many people adding
//! findings, people and family contributions to one review at the same moment all
//! succeed, and every one is kept. (Versioned edits and stage moves are refused when
//! stale: the other API tests hold those.) On SQLite and PostgreSQL, on a runtime with
//! several threads so that the requests really overlap.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::Request;
use backend::entities::*;
use common::{Backend, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use tower::ServiceExt;

const RECORD: &str =
    "mutation($id:Int!,$t:String!){recordFinding(reviewId:$id,text:$t,themes:[INFORMATION_SHARING]){id}}";
const ADD: &str =
    "mutation($id:Int!,$n:String!){addPerson(reviewId:$id,input:{relationship:HOUSEHOLD_MEMBER,name:$n}){id}}";
const CONTRIBUTE: &str = "mutation($id:Int!,$s:String!){recordFamilyContribution(reviewId:$id,contributedOn:\"2026-01-05\",method:MEETING,summary:$s){id}}";

const FIRST_NAMES: [&str; 8] = ["Alys", "Bryn", "Cai", "Dyfan", "Elin", "Ffion", "Gethin", "Hywel"];

async fn send(router: axum::Router, token: String, query: &'static str, variables: Value) -> Value {
    let body = json!({ "query": query, "variables": variables }).to_string();
    let req = Request::post("/graphql")
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {token}"))
        .body(Body::from(body))
        .unwrap();
    let res = router.oneshot(req).await.unwrap();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

async fn steps_that_do_not_depend_on_what_was_read_all_succeed_at_once(b: Backend) {
    let app = TestApp::spawn(b).await;
    let id = app.review_at("OVERVIEW_REPORT").await;
    let panel_chair = app.login("independent.chair@scr.example").await;
    let member = app.login("panel.member@scr.example").await;
    let manager = app.login("manager@scr.example").await;
    let count = |e: &'static str| {
        let db = app.db.clone();
        async move {
            match e {
                "findings" => finding::Entity::find().filter(finding::Column::ReviewId.eq(id)).count(&db).await,
                "people" => person::Entity::find().filter(person::Column::ReviewId.eq(id)).count(&db).await,
                _ => {
                    family_contribution::Entity::find()
                        .filter(family_contribution::Column::ReviewId.eq(id))
                        .count(&db)
                        .await
                }
            }
            .unwrap()
        }
    };
    let before = (count("findings").await, count("people").await, count("contributions").await);

    const EACH: usize = 8;
    let mut tasks = Vec::new();
    for (i, first) in FIRST_NAMES.iter().enumerate().take(EACH) {
        for (token, query, vars) in [
            (&panel_chair, RECORD, json!({"id": id, "t": format!("Finding {i} from the panel chair")})),
            (&member, RECORD, json!({"id": id, "t": format!("Finding {i} from a panel member")})),
            (&panel_chair, ADD, json!({"id": id, "n": format!("{first} Lodger")})),
            (&manager, CONTRIBUTE, json!({"id": id, "s": format!("Contribution {i}")})),
        ] {
            tasks.push(tokio::spawn(send(app.router.clone(), token.clone(), query, vars)));
        }
    }
    let mut refused = Vec::new();
    for t in tasks {
        let v = t.await.unwrap();
        if v.get("errors").is_some() {
            refused.push(v);
        }
    }
    assert!(refused.is_empty(), "{} of {} refused: {:?}", refused.len(), 4 * EACH, refused.first());
    assert_eq!(count("findings").await, before.0 + 2 * EACH as u64);
    assert_eq!(count("people").await, before.1 + EACH as u64);
    assert_eq!(count("contributions").await, before.2 + EACH as u64);
}

mod sqlite {
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn steps_that_do_not_depend_on_what_was_read_all_succeed_at_once() {
        super::steps_that_do_not_depend_on_what_was_read_all_succeed_at_once(super::Backend::Sqlite).await
    }
}

mod postgres {
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn steps_that_do_not_depend_on_what_was_read_all_succeed_at_once() {
        super::steps_that_do_not_depend_on_what_was_read_all_succeed_at_once(super::Backend::Postgres).await
    }
}
