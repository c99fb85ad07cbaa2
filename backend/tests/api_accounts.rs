//! An account through its life: a leaver switched off (every token, the calendar
//! address and the password refused at once), signing out everywhere, changing one's
//! own password, a new calendar address, a role removed; who may do each; every
//! refusal names its field and changes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use backend::entities::audit_entry;
use common::{Backend, PASSWORD, TestApp, code};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

const ME: &str = "{ me { email } }";

async fn me_code(app: &TestApp, token: &str) -> String {
    code(&app.gql(Some(token), ME, json!({})).await)
}

async fn calendar_status(app: &TestApp, token: &str) -> StatusCode {
    let url = app.ok(token, "{calendarFeedUrl}", json!({})).await["calendarFeedUrl"].as_str().unwrap().to_owned();
    app.get(None, &url).await.0
}

async fn sign_in(app: &TestApp, email: &str, password: &str) -> Value {
    app.gql(
        None,
        "mutation($e:String!,$p:String!){login(email:$e,password:$p){token}}",
        json!({"e": email, "p": password}),
    )
    .await
}

fn field(v: &Value) -> String {
    v["errors"][0]["extensions"]["fields"][0]["field"].as_str().unwrap_or("").to_owned()
}

async fn account_entries(app: &TestApp, operation: &str) -> usize {
    audit_entry::Entity::find().filter(audit_entry::Column::Operation.eq(operation)).all(&app.db).await.unwrap().len()
}

async fn a_leaver_is_out_the_moment_they_are_deactivated(b: Backend) {
    let app = TestApp::spawn(b).await;
    let admin = app.login("admin@scr.example").await;
    let author = app.login("author@scr.example").await;
    let url = app.ok(&author, "{calendarFeedUrl}", json!({})).await["calendarFeedUrl"].as_str().unwrap().to_owned();
    assert_eq!(app.get(None, &url).await.0, StatusCode::OK, "the control: the feed opens before");
    let id = app.user_id("author@scr.example").await;

    let d = app
        .ok(
            &admin,
            "mutation($u:Int!){deactivateUser(userId:$u){user{active} openAssignments{reference what}}}",
            json!({"u": id}),
        )
        .await;
    assert_eq!(d["deactivateUser"]["user"]["active"], false);
    let open = d["deactivateUser"]["openAssignments"].as_array().unwrap();
    assert!(
        open.iter().any(|a| a["what"] == "Overview author"),
        "the overview author's appointment is listed to hand on: {open:?}"
    );

    assert_eq!(me_code(&app, &author).await, "UNAUTHENTICATED", "the old token fails at once");
    assert_eq!(app.get(None, &url).await.0, StatusCode::UNAUTHORIZED, "the calendar address fails at once");
    assert_eq!(code(&sign_in(&app, "author@scr.example", PASSWORD).await), "UNAUTHENTICATED");
    assert_eq!(account_entries(&app, "deactivate_user").await, 1);

    // Switched on again: a new sign-in works, what was issued before stays refused.
    app.ok(&admin, "mutation($u:Int!){reactivateUser(userId:$u){active}}", json!({"u": id})).await;
    assert_eq!(me_code(&app, &author).await, "UNAUTHENTICATED");
    assert_eq!(app.get(None, &url).await.0, StatusCode::UNAUTHORIZED);
    let again = app.login("author@scr.example").await;
    assert_eq!(me_code(&app, &again).await, "");
}

async fn only_an_administrator_deactivates_and_never_themself(b: Backend) {
    let app = TestApp::spawn(b).await;
    let chair = app.login("chair@scr.example").await;
    let admin = app.login("admin@scr.example").await;
    let author = app.user_id("author@scr.example").await;
    let q = "mutation($u:Int!){deactivateUser(userId:$u){user{active}}}";
    assert_eq!(code(&app.gql(Some(&chair), q, json!({"u": author})).await), "FORBIDDEN");
    let own = app.user_id("admin@scr.example").await;
    let v = app.gql(Some(&admin), q, json!({"u": own})).await;
    assert_eq!((code(&v), field(&v)), ("VALIDATION".to_owned(), "userId".to_owned()), "{v}");
    let v = app.gql(Some(&admin), "mutation($u:Int!){reactivateUser(userId:$u){active}}", json!({"u": author})).await;
    assert_eq!(code(&v), "VALIDATION", "reactivating an active account is refused: {v}");
    assert_eq!(code(&app.gql(Some(&admin), q, json!({"u": 999_999})).await), "NOT_FOUND");
    assert_eq!(account_entries(&app, "deactivate_user").await, 0, "nothing refused was written");
    assert_eq!(me_code(&app, &app.login("author@scr.example").await).await, "");
}

async fn signing_out_everywhere_ends_every_session(b: Backend) {
    let app = TestApp::spawn(b).await;
    let laptop = app.login("chair@scr.example").await;
    let phone = app.login("chair@scr.example").await;
    assert!(app.ok(&laptop, "mutation{signOutEverywhere}", json!({})).await["signOutEverywhere"].as_bool().unwrap());
    assert_eq!(me_code(&app, &laptop).await, "UNAUTHENTICATED");
    assert_eq!(me_code(&app, &phone).await, "UNAUTHENTICATED");
    let fresh = app.login("chair@scr.example").await;
    assert_eq!(me_code(&app, &fresh).await, "");
    assert_eq!(account_entries(&app, "sign_out_everywhere").await, 1);
}

async fn changing_a_password_needs_the_current_one_and_ends_other_sessions(b: Backend) {
    let app = TestApp::spawn(b).await;
    let other = app.login("manager@scr.example").await;
    let this = app.login("manager@scr.example").await;
    let q = "mutation($c:String!,$n:String!){changePassword(currentPassword:$c,newPassword:$n){token user{email}}}";
    for (current, new, want) in [
        ("not my password at all", "a brand new passphrase", "currentPassword"),
        (PASSWORD, "short", "newPassword"),
        (PASSWORD, "Password1234", "newPassword"),
        (PASSWORD, "manager@scr.example", "newPassword"),
        (PASSWORD, PASSWORD, "newPassword"),
    ] {
        let v = app.gql(Some(&this), q, json!({"c": current, "n": new})).await;
        assert_eq!((code(&v), field(&v)), ("VALIDATION".to_owned(), want.to_owned()), "{new}: {v}");
    }
    assert_eq!(me_code(&app, &other).await, "", "nothing refused changed the account");
    assert_eq!(account_entries(&app, "change_password").await, 0);

    let d = app.ok(&this, q, json!({"c": PASSWORD, "n": "a brand new passphrase"})).await;
    let new_token = d["changePassword"]["token"].as_str().unwrap().to_owned();
    assert_eq!(me_code(&app, &new_token).await, "", "this session carries on with its new token");
    assert_eq!(me_code(&app, &other).await, "UNAUTHENTICATED", "the other session ends");
    assert_eq!(me_code(&app, &this).await, "UNAUTHENTICATED", "the token used to change it ends too");
    assert_eq!(code(&sign_in(&app, "manager@scr.example", PASSWORD).await), "UNAUTHENTICATED");
    assert!(sign_in(&app, "manager@scr.example", "a brand new passphrase").await["data"]["login"]["token"].is_string());
    assert_eq!(account_entries(&app, "change_password").await, 1);
}

async fn a_new_calendar_address_retires_the_old_one(b: Backend) {
    let app = TestApp::spawn(b).await;
    let chair = app.login("chair@scr.example").await;
    let old = app.ok(&chair, "{calendarFeedUrl}", json!({})).await["calendarFeedUrl"].as_str().unwrap().to_owned();
    let new = app.ok(&chair, "mutation{rotateCalendarLink}", json!({})).await["rotateCalendarLink"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(old, new);
    assert_eq!(app.get(None, &old).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(app.get(None, &new).await.0, StatusCode::OK);
    assert_eq!(calendar_status(&app, &chair).await, StatusCode::OK, "the address asked for now is the new one");
    assert_eq!(me_code(&app, &chair).await, "", "the API session is untouched");
}

async fn a_removed_role_goes_at_once(b: Backend) {
    let app = TestApp::spawn(b).await;
    let admin = app.login("admin@scr.example").await;
    let analyst = app.login("analyst@scr.example").await;
    let id = app.user_id("analyst@scr.example").await;
    let q = "mutation($u:Int!,$g:RoleGrantInput!){removeRole(userId:$u,grant:$g){roles{role}}}";
    let v = app.gql(Some(&admin), q, json!({"u": id, "g": {"role": "BOARD_CHAIR", "boardId": 1}})).await;
    assert_eq!((code(&v), field(&v)), ("VALIDATION".to_owned(), "grant".to_owned()), "a role not held: {v}");
    let chair = app.login("chair@scr.example").await;
    let v = app.gql(Some(&chair), q, json!({"u": id, "g": {"role": "REPORTING_ANALYST", "boardId": 1}})).await;
    assert_eq!(code(&v), "FORBIDDEN");
    assert_eq!(me_code(&app, &analyst).await, "", "nothing refused ended the session");

    let roles = app.ok(&admin, "{users{email roles{role boardId agencyId}}}", json!({})).await;
    let held =
        roles["users"].as_array().unwrap().iter().find(|u| u["email"] == "analyst@scr.example").unwrap()["roles"][0]
            .clone();
    let d = app.ok(&admin, q, json!({"u": id, "g": held})).await;
    assert!(d["removeRole"]["roles"].as_array().unwrap().is_empty());
    assert_eq!(me_code(&app, &analyst).await, "UNAUTHENTICATED", "the session that held the role ends");
    assert_eq!(account_entries(&app, "remove_role").await, 1);
}

const PEOPLE: &str = "query($t:String,$r:Role,$a:Boolean,$o:Int!,$l:Int!){people(filter:{text:$t,role:$r,active:$a},offset:$o,limit:$l){total offset people{email active}}}";

fn emails(v: &Value) -> Vec<String> {
    v["people"]["people"].as_array().unwrap().iter().map(|p| p["email"].as_str().unwrap().to_owned()).collect()
}

async fn people_are_found_by_name_email_role_and_state_a_page_at_a_time(b: Backend) {
    let app = TestApp::spawn(b).await;
    let admin = app.login("admin@scr.example").await;
    let all = |o: i64, l: i64| json!({"t": null, "r": null, "a": null, "o": o, "l": l});
    let everyone = app.ok(&admin, PEOPLE, all(0, 100)).await;
    let total = everyone["people"]["total"].as_u64().unwrap();
    assert_eq!(emails(&everyone).len() as u64, total);
    let first = emails(&app.ok(&admin, PEOPLE, all(0, 5)).await);
    let second = emails(&app.ok(&admin, PEOPLE, all(5, 5)).await);
    assert_eq!(first.len(), 5);
    assert!(first.iter().all(|e| !second.contains(e)), "pages do not overlap: {first:?} {second:?}");
    assert_eq!([first, second].concat(), emails(&everyone)[..10].to_vec(), "sorted the same way page by page");

    let hale = app.ok(&admin, PEOPLE, json!({"t": "  HALE ", "o": 0, "l": 25})).await;
    assert_eq!(emails(&hale), vec!["chair@scr.example"], "by name, any case");
    let by_email = app.ok(&admin, PEOPLE, json!({"t": "analyst@", "o": 0, "l": 25})).await;
    assert_eq!(emails(&by_email), vec!["analyst@scr.example"]);
    let wildcard = app.ok(&admin, PEOPLE, json!({"t": "%", "o": 0, "l": 25})).await;
    assert_eq!(wildcard["people"]["total"], 0, "a typed % matches itself");
    let chairs = app.ok(&admin, PEOPLE, json!({"r": "BOARD_CHAIR", "o": 0, "l": 25})).await;
    assert!(emails(&chairs).contains(&"chair@scr.example".to_owned()));
    assert!(!emails(&chairs).contains(&"analyst@scr.example".to_owned()));

    let analyst = app.user_id("analyst@scr.example").await;
    app.ok(&admin, "mutation($u:Int!){deactivateUser(userId:$u){user{id}}}", json!({"u": analyst})).await;
    let inactive = app.ok(&admin, PEOPLE, json!({"a": false, "o": 0, "l": 25})).await;
    assert_eq!(emails(&inactive), vec!["analyst@scr.example"]);

    let v = app.gql(Some(&admin), PEOPLE, all(0, 0)).await;
    assert_eq!((code(&v), field(&v)), ("VALIDATION".to_owned(), "limit".to_owned()), "{v}");
    let chair = app.login("chair@scr.example").await;
    assert_eq!(code(&app.gql(Some(&chair), PEOPLE, all(0, 5)).await), "FORBIDDEN");
    let q = "query($u:Int!){person(userId:$u){email}}";
    assert_eq!(code(&app.gql(Some(&chair), q, json!({"u": analyst})).await), "FORBIDDEN");
    assert_eq!(app.ok(&admin, q, json!({"u": analyst})).await["person"]["email"], "analyst@scr.example");
}

async fn an_administrator_ends_another_accounts_sessions(b: Backend) {
    let app = TestApp::spawn(b).await;
    let admin = app.login("admin@scr.example").await;
    let chair = app.login("chair@scr.example").await;
    let id = app.user_id("chair@scr.example").await;
    let end = "mutation($u:Int!){endSessions(userId:$u){id}}";
    assert_eq!(
        code(&app.gql(Some(&chair), end, json!({"u": app.user_id("admin@scr.example").await})).await),
        "FORBIDDEN"
    );
    app.ok(&admin, end, json!({"u": id})).await;
    assert_eq!(me_code(&app, &chair).await, "UNAUTHENTICATED");
    assert!(sign_in(&app, "chair@scr.example", PASSWORD).await["data"]["login"]["token"].is_string(), "signs in again");
    assert_eq!(account_entries(&app, "end_sessions").await, 1);
}

on_both_databases!(
    people_are_found_by_name_email_role_and_state_a_page_at_a_time,
    an_administrator_ends_another_accounts_sessions,
    a_leaver_is_out_the_moment_they_are_deactivated,
    only_an_administrator_deactivates_and_never_themself,
    signing_out_everywhere_ends_every_session,
    changing_a_password_needs_the_current_one_and_ends_other_sessions,
    a_new_calendar_address_retires_the_old_one,
    a_removed_role_goes_at_once,
);
