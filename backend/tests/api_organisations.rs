//! Organisations after the first board, and the first board itself: boards, areas and
//! agencies created, renamed, closed and reopened by administrators only, each refusal
//! naming its field and changing nothing; a closed agency stays on its reviews and
//! leaves every picker; `scr init`'s setup on an empty database, idempotent and
//! refusing a database set up otherwise.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use backend::entities::{agency, audit_entry, board, user};
use backend::init::{FirstBoard, Init, first_board};
use common::{Backend, TestApp, code};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

fn field(v: &Value) -> String {
    v["errors"][0]["extensions"]["fields"][0]["field"].as_str().unwrap_or("").to_owned()
}

fn refused(v: &Value) -> (String, String) {
    (code(v), field(v))
}

fn validation(f: &str) -> (String, String) {
    ("VALIDATION".to_owned(), f.to_owned())
}

async fn entries(app: &TestApp, operation: &str) -> usize {
    audit_entry::Entity::find().filter(audit_entry::Column::Operation.eq(operation)).all(&app.db).await.unwrap().len()
}

async fn administrators_set_up_boards_areas_and_agencies(b: Backend) {
    let app = TestApp::spawn(b).await;
    let admin = app.login("admin@scr.example").await;
    let boards_before = board::Entity::find().all(&app.db).await.unwrap().len();

    let d =
        app.ok(&admin, "mutation{createBoard(name:\"Trafford Safeguarding Partnership\"){id name}}", json!({})).await;
    let id = d["createBoard"]["id"].as_i64().unwrap();
    let v =
        app.gql(Some(&admin), "mutation{createBoard(name:\"trafford safeguarding partnership\"){id}}", json!({})).await;
    assert_eq!(refused(&v), validation("name"), "a name already used, in any case: {v}");
    let v = app.gql(Some(&admin), "mutation{createBoard(name:\"   \"){id}}", json!({})).await;
    assert_eq!(refused(&v), validation("name"), "{v}");
    assert_eq!(board::Entity::find().all(&app.db).await.unwrap().len(), boards_before + 1);

    let d = app
        .ok(&admin, "mutation($b:Int!){renameBoard(boardId:$b,name:\"Trafford Partnership\"){name}}", json!({"b": id}))
        .await;
    assert_eq!(d["renameBoard"]["name"], "Trafford Partnership");

    let q = "mutation($b:Int!,$n:String!){addArea(boardId:$b,name:$n){id name boardId}}";
    let d = app.ok(&admin, q, json!({"b": id, "n": "Trafford"})).await;
    assert_eq!(d["addArea"]["boardId"], id);
    assert_eq!(refused(&app.gql(Some(&admin), q, json!({"b": id, "n": "TRAFFORD"})).await), validation("name"));
    assert_eq!(refused(&app.gql(Some(&admin), q, json!({"b": 999_999, "n": "Salford"})).await), validation("boardId"));
    let areas = app.ok(&admin, "{areas{name boardId}}", json!({})).await;
    assert_eq!(areas["areas"].as_array().unwrap().len(), 1);

    let q = "mutation($b:Int!,$n:String!,$k:String!){createAgency(boardId:$b,name:$n,kind:$k){id name kind active board{id}}}";
    let d = app.ok(&admin, q, json!({"b": id, "n": "Trafford Police", "k": "police"})).await;
    assert_eq!(d["createAgency"]["active"], true);
    assert_eq!(d["createAgency"]["board"]["id"], id);
    let v = app.gql(Some(&admin), q, json!({"b": id, "n": "Trafford Health", "k": "fire brigade"})).await;
    assert_eq!(refused(&v), validation("kind"), "{v}");
    let v = app.gql(Some(&admin), q, json!({"b": id, "n": "trafford police", "k": "police"})).await;
    assert_eq!(refused(&v), validation("name"), "{v}");
    assert_eq!(entries(&app, "create_agency").await, 1, "nothing refused was written");
    assert_eq!(entries(&app, "create_board").await, 1);
    assert_eq!(entries(&app, "add_area").await, 1);
}

async fn nobody_but_an_administrator_sets_up_organisations(b: Backend) {
    let app = TestApp::spawn(b).await;
    let police = agency::Entity::find().one(&app.db).await.unwrap().unwrap();
    for email in ["chair@scr.example", "manager@scr.example", "analyst@scr.example"] {
        let t = app.login(email).await;
        for (q, vars) in [
            ("mutation{createBoard(name:\"X Board\"){id}}", json!({})),
            ("mutation($b:Int!){addArea(boardId:$b,name:\"X\"){id}}", json!({"b": police.board_id})),
            (
                "mutation($b:Int!){createAgency(boardId:$b,name:\"X\",kind:\"police\"){id}}",
                json!({"b": police.board_id}),
            ),
            ("mutation($a:Int!){closeAgency(agencyId:$a){id}}", json!({"a": police.id})),
            ("mutation($a:Int!){renameAgency(agencyId:$a,name:\"Y\"){id}}", json!({"a": police.id})),
        ] {
            assert_eq!(code(&app.gql(Some(&t), q, vars).await), "FORBIDDEN", "{email}: {q}");
        }
    }
    let still = agency::Entity::find_by_id(police.id).one(&app.db).await.unwrap().unwrap();
    assert_eq!((still.active, still.name), (true, police.name));
}

async fn a_closed_agency_stays_on_its_reviews_and_leaves_every_picker(b: Backend) {
    let app = TestApp::spawn(b).await;
    let admin = app.login("admin@scr.example").await;
    let chair = app.login("chair@scr.example").await;
    let id = app.review_at("TERMS_AGREED").await;
    let on_review =
        app.ok(&chair, "query($id:Int!){review(id:$id){involvedAgencies{id name}}}", json!({"id": id})).await;
    let agency_id = on_review["review"]["involvedAgencies"][0]["id"].as_i64().unwrap();

    app.ok(&admin, "mutation($a:Int!){closeAgency(agencyId:$a){active}}", json!({"a": agency_id})).await;
    let v = app.gql(Some(&admin), "mutation($a:Int!){closeAgency(agencyId:$a){active}}", json!({"a": agency_id})).await;
    assert_eq!(refused(&v), validation("agencyId"), "closing twice: {v}");

    let picker = app.ok(&chair, "{agencies{id}}", json!({})).await;
    assert!(!picker["agencies"].as_array().unwrap().iter().any(|a| a["id"] == agency_id), "gone from the picker");
    let all = app.ok(&admin, "{allAgencies{id active}}", json!({})).await;
    assert!(all["allAgencies"].as_array().unwrap().iter().any(|a| a["id"] == agency_id && a["active"] == false));
    let after = app.ok(&chair, "query($id:Int!){review(id:$id){involvedAgencies{id}}}", json!({"id": id})).await;
    assert!(
        after["review"]["involvedAgencies"].as_array().unwrap().iter().any(|a| a["id"] == agency_id),
        "still on the review that names it"
    );

    let professional = app.login("professional@scr.example").await;
    let refer = "mutation($a:Int!){submitReferral(input:{child:{relationship:CHILD,name:\"Kai Brook\"},circumstances:\"Injuries.\",facts:{},normalResidenceBoardId:1,involvedAgencyIds:[$a]}){id}}";
    let v = app.gql(Some(&professional), refer, json!({"a": agency_id})).await;
    assert!(
        v["errors"][0]["extensions"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["field"] == "involvedAgencyIds" && f["message"].as_str().unwrap().contains("closed")),
        "a referral cannot name a closed agency: {v}"
    );

    app.ok(&admin, "mutation($a:Int!){reopenAgency(agencyId:$a){active}}", json!({"a": agency_id})).await;
    let picker = app.ok(&chair, "{agencies{id}}", json!({})).await;
    assert!(picker["agencies"].as_array().unwrap().iter().any(|a| a["id"] == agency_id));
    assert_eq!(entries(&app, "close_agency").await, 1);
    assert_eq!(entries(&app, "reopen_agency").await, 1);
}

fn first(board_name: &str, admin_email: &str) -> FirstBoard {
    FirstBoard {
        board_name: board_name.to_owned(),
        areas: vec!["Stockport".to_owned(), "High Peak".to_owned()],
        admin_email: admin_email.to_owned(),
        admin_name: "Pat Admin".to_owned(),
        admin_password: "a long first passphrase".to_owned(),
    }
}

async fn the_first_board_is_set_up_once_on_an_empty_database(b: Backend) {
    let (url, _cleanup) = common::fresh_database(b).await;
    let db = backend::db::connect(&url).await.unwrap();
    backend::db::migrate(&db).await.unwrap();

    let mut bad = first("Stockport Safeguarding Children Board", "admin@board.example");
    bad.admin_password = "Password1234".to_owned();
    match first_board(&db, bad).await {
        Err(backend::errors::ApiError::Validation(errs)) => {
            assert!(errs.iter().any(|e| e.field == "password" && e.message.contains("common")), "{errs:?}")
        }
        other => panic!("a common password is refused: {other:?}"),
    }
    assert!(board::Entity::find().all(&db).await.unwrap().is_empty(), "a refused setup writes nothing");

    let done = first_board(&db, first("Stockport Safeguarding Children Board", "admin@board.example")).await.unwrap();
    let Init::Created { board_id, admin_id } = done else { panic!("{done:?}") };
    let admin = user::Entity::find_by_id(admin_id).one(&db).await.unwrap().unwrap();
    assert_eq!(admin.email, "admin@board.example");
    let caller = backend::context::Caller::load(&db, &backend::auth::Subject::User(admin_id)).await.unwrap();
    assert_eq!(caller.roles(), vec![shared::role::Role::SystemAdministrator], "an administrator who reads no case");

    let again = first_board(&db, first("Stockport Safeguarding Children Board", "admin@board.example")).await.unwrap();
    assert_eq!(again, Init::AlreadyDone { board_id }, "run twice: nothing changes, and it says so");
    let other = first_board(&db, first("Another Board", "someone@board.example")).await;
    assert!(other.is_err(), "a database set up otherwise is refused");
    assert_eq!(board::Entity::find().all(&db).await.unwrap().len(), 1);
    assert_eq!(user::Entity::find().all(&db).await.unwrap().len(), 1);
}

on_both_databases!(
    administrators_set_up_boards_areas_and_agencies,
    nobody_but_an_administrator_sets_up_organisations,
    a_closed_agency_stays_on_its_reviews_and_leaves_every_picker,
    the_first_board_is_set_up_once_on_an_empty_database,
);
