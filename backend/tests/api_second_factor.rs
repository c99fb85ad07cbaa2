//! The second factor: a role that reads names in full cannot sign in on a password
//! alone; enrolment with a code from the secret shown; each code's time step accepted
//! once; ten recovery codes, each good once; a reset by two people for an account
//! that reads names; a board that asks it of everyone.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use backend::entities::audit_entry;
use backend::users::second_factor::code_at;
use backend::users::sessions::SessionRules;
use common::{Backend, PASSWORD, TestApp, code, test_sessions};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

const LOGIN: &str =
    "mutation($e:String!,$p:String!){login(email:$e,password:$p){token user{email} secondFactor challenge}}";
const START: &str = "mutation($c:String){startSecondFactorEnrolment(challenge:$c){secret uri qrSvg}}";
const CONFIRM: &str = "mutation($c:String,$k:String!){confirmSecondFactorEnrolment(challenge:$c,code:$k){recoveryCodes signIn{token user{email}}}}";
const VERIFY: &str =
    "mutation($c:String!,$k:String!){verifySecondFactor(challenge:$c,code:$k){token user{email} secondFactor}}";

async fn required(b: Backend) -> TestApp {
    TestApp::spawn_with_sessions(b, SessionRules { second_factor_required: true, ..test_sessions() }).await
}

async fn login(app: &TestApp, email: &str) -> Value {
    app.gql(None, LOGIN, json!({"e": email, "p": PASSWORD})).await["data"]["login"].clone()
}

fn now_code(secret: &str) -> String {
    code_at(secret, u64::try_from(chrono::Utc::now().timestamp()).unwrap()).unwrap()
}

/// Enrols `email` through its sign-in; answers the secret, the recovery codes and the token.
async fn enrol(app: &TestApp, email: &str) -> (String, Vec<String>, String) {
    let l = login(app, email).await;
    assert_eq!(l["secondFactor"], "ENROL", "{l}");
    let challenge = l["challenge"].as_str().unwrap().to_owned();
    let started = app.ok("", START, json!({"c": challenge})).await;
    let secret = started["startSecondFactorEnrolment"]["secret"].as_str().unwrap().to_owned();
    let done = app.ok("", CONFIRM, json!({"c": challenge, "k": now_code(&secret)})).await;
    let done = &done["confirmSecondFactorEnrolment"];
    let codes: Vec<String> =
        done["recoveryCodes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned()).collect();
    (secret, codes, done["signIn"]["token"].as_str().unwrap().to_owned())
}

async fn entries(app: &TestApp, operation: &str) -> usize {
    audit_entry::Entity::find().filter(audit_entry::Column::Operation.eq(operation)).all(&app.db).await.unwrap().len()
}

async fn a_role_that_reads_names_cannot_sign_in_on_a_password_alone(b: Backend) {
    let app = required(b).await;
    let l = login(&app, "chair@scr.example").await;
    assert_eq!(l["secondFactor"], "ENROL");
    assert!(l["token"].is_null() && l["user"].is_null(), "no session and no account before the factor: {l}");
    // The challenge opens nothing but its step.
    let challenge = l["challenge"].as_str().unwrap();
    assert_eq!(code(&app.gql(Some(challenge), "{ me { email } }", json!({})).await), "UNAUTHENTICATED");
    assert_eq!(code(&app.gql(None, VERIFY, json!({"c": challenge, "k": "123456"})).await), "UNAUTHENTICATED");
    // A role that does not read names signs in as before.
    let p = login(&app, "professional@scr.example").await;
    assert_eq!(p["secondFactor"], "NOT_NEEDED");
    assert!(p["token"].is_string());
}

async fn enrolment_needs_a_code_from_the_secret_shown(b: Backend) {
    let app = required(b).await;
    let l = login(&app, "chair@scr.example").await;
    let challenge = l["challenge"].as_str().unwrap().to_owned();
    let started = app.ok("", START, json!({"c": challenge})).await["startSecondFactorEnrolment"].clone();
    let secret = started["secret"].as_str().unwrap();
    assert!(started["uri"].as_str().unwrap().starts_with("otpauth://totp/"));
    assert!(started["qrSvg"].as_str().unwrap().contains("<svg"));
    let right = now_code(secret);
    let wrong = if right == "000000" { "111111" } else { "000000" };
    let refused = app.gql(None, CONFIRM, json!({"c": challenge, "k": wrong})).await;
    assert_eq!(code(&refused), "VALIDATION");
    assert_eq!(refused["errors"][0]["extensions"]["fields"][0]["field"], "code");
    let done = app.ok("", CONFIRM, json!({"c": challenge, "k": right})).await["confirmSecondFactorEnrolment"].clone();
    let codes = done["recoveryCodes"].as_array().unwrap();
    assert_eq!(codes.len(), 10);
    assert_eq!(done["signIn"]["user"]["email"], "chair@scr.example");
    assert_eq!(entries(&app, "enrol_second_factor").await, 1);
    // From now on the password leads to the code.
    assert_eq!(login(&app, "chair@scr.example").await["secondFactor"], "ENTER_CODE");
}

async fn a_code_signs_in_once_and_recovery_codes_once_each(b: Backend) {
    let app = required(b).await;
    let (secret, recovery, _) = enrol(&app, "chair@scr.example").await;
    // The step of the code that confirmed enrolment is spent: a later step's code is
    // needed. Wait for it.
    let spent = now_code(&secret);
    while now_code(&secret) == spent {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    let code_now = now_code(&secret);
    let ch = login(&app, "chair@scr.example").await["challenge"].as_str().unwrap().to_owned();
    let ok = app.ok("", VERIFY, json!({"c": ch, "k": code_now})).await;
    let token = ok["verifySecondFactor"]["token"].as_str().unwrap().to_owned();
    assert_eq!(app.ok(&token, "{ me { email } }", json!({})).await["me"]["email"], "chair@scr.example");
    // The same code again: refused, it has been used.
    let ch = login(&app, "chair@scr.example").await["challenge"].as_str().unwrap().to_owned();
    assert_eq!(code(&app.gql(None, VERIFY, json!({"c": ch, "k": code_now})).await), "VALIDATION");
    // A recovery code, typed loosely, works once.
    let typed = recovery[0].to_uppercase().replace('-', " ");
    let ok = app.gql(None, VERIFY, json!({"c": ch, "k": typed})).await;
    assert!(ok["data"]["verifySecondFactor"]["token"].is_string(), "{ok}");
    let ch = login(&app, "chair@scr.example").await["challenge"].as_str().unwrap().to_owned();
    assert_eq!(code(&app.gql(None, VERIFY, json!({"c": ch, "k": recovery[0]})).await), "VALIDATION");
    assert!(
        app.gql(None, VERIFY, json!({"c": ch, "k": recovery[1]})).await["data"]["verifySecondFactor"]["token"]
            .is_string()
    );
    assert_eq!(entries(&app, "use_recovery_code").await, 2);
    // A challenge to enrol is not a challenge to enter a code.
    let enrol_ch = login(&app, "manager@scr.example").await["challenge"].as_str().unwrap().to_owned();
    assert_eq!(code(&app.gql(None, VERIFY, json!({"c": enrol_ch, "k": recovery[2]})).await), "UNAUTHENTICATED");
}

async fn wrong_codes_in_a_row_lock_the_factor_until_it_is_reset(b: Backend) {
    use backend::entities::user;
    use sea_orm::{ActiveModelTrait, Set};
    let app = required(b).await;
    let (secret, recovery, _) = enrol(&app, "chair@scr.example").await;
    let (_, _, admin) = enrol(&app, "admin@scr.example").await;
    let (_, _, manager) = enrol(&app, "manager@scr.example").await;
    let id = app.user_id("chair@scr.example").await;
    // Nine wrong codes so far (each paced a minute apart, so set here); the tenth locks.
    user::ActiveModel { id: Set(id), totp_failures: Set(Some(9)), ..Default::default() }.update(&app.db).await.unwrap();
    let ch = login(&app, "chair@scr.example").await["challenge"].as_str().unwrap().to_owned();
    let right = now_code(&secret);
    let wrong = if right == "000000" { "111111" } else { "000000" };
    assert_eq!(code(&app.gql(None, VERIFY, json!({"c": ch, "k": wrong})).await), "VALIDATION");
    let locked = app.gql(None, VERIFY, json!({"c": ch, "k": recovery[0]})).await;
    assert!(locked["errors"][0]["message"].as_str().unwrap().contains("locked"), "{locked}");
    // Two people reset it; the Chair sets up a new one.
    let reset = "mutation($u:Int!){resetSecondFactor(userId:$u)}";
    app.ok(&admin, reset, json!({"u": id})).await;
    app.ok(&manager, reset, json!({"u": id})).await;
    assert_eq!(login(&app, "chair@scr.example").await["secondFactor"], "ENROL");
}

async fn resetting_the_factor_of_someone_who_reads_names_takes_two_people(b: Backend) {
    let app = required(b).await;
    enrol(&app, "chair@scr.example").await;
    let (_, _, admin) = enrol(&app, "admin@scr.example").await;
    let (_, _, manager) = enrol(&app, "manager@scr.example").await;
    let professional = login(&app, "professional@scr.example").await["token"].as_str().unwrap().to_owned();
    let chair_id = app.user_id("chair@scr.example").await;
    let reset = "mutation($u:Int!){resetSecondFactor(userId:$u)}";
    assert_eq!(code(&app.gql(Some(&professional), reset, json!({"u": chair_id})).await), "FORBIDDEN");
    assert_eq!(app.ok(&admin, reset, json!({"u": chair_id})).await["resetSecondFactor"], "PROPOSED");
    assert_eq!(login(&app, "chair@scr.example").await["secondFactor"], "ENTER_CODE", "not yet");
    let again = app.gql(Some(&admin), reset, json!({"u": chair_id})).await;
    assert_eq!(code(&again), "VALIDATION", "the proposer does not confirm: {again}");
    // The business manager of the Chair's board confirms.
    assert_eq!(app.ok(&manager, reset, json!({"u": chair_id})).await["resetSecondFactor"], "RESET");
    assert_eq!(login(&app, "chair@scr.example").await["secondFactor"], "ENROL");
    assert_eq!(entries(&app, "propose_second_factor_reset").await, 1);
    assert_eq!(entries(&app, "reset_second_factor").await, 1);
    // Nobody resets their own.
    let admin_id = app.user_id("admin@scr.example").await;
    assert_eq!(code(&app.gql(Some(&admin), reset, json!({"u": admin_id})).await), "VALIDATION");
}

async fn a_board_may_ask_a_second_factor_of_everyone(b: Backend) {
    let app = required(b).await;
    let (_, _, chair) = enrol(&app, "chair@scr.example").await;
    let board = app.ok(&chair, "{ me { roles { boardId } } }", json!({})).await["me"]["roles"][0]["boardId"].clone();
    let professional = login(&app, "professional@scr.example").await["token"].as_str().unwrap().to_owned();
    let set = "mutation($b:Int!,$f:Boolean!){setBoardSecondFactor(boardId:$b,forEveryone:$f)}";
    assert_eq!(code(&app.gql(Some(&professional), set, json!({"b": board, "f": true})).await), "FORBIDDEN");
    app.ok(&chair, set, json!({"b": board, "f": true})).await;
    assert_eq!(login(&app, "professional@scr.example").await["secondFactor"], "ENROL");
    app.ok(&chair, set, json!({"b": board, "f": false})).await;
    assert_eq!(login(&app, "professional@scr.example").await["secondFactor"], "NOT_NEEDED");
}

on_both_databases!(
    a_role_that_reads_names_cannot_sign_in_on_a_password_alone,
    enrolment_needs_a_code_from_the_secret_shown,
    a_code_signs_in_once_and_recovery_codes_once_each,
    resetting_the_factor_of_someone_who_reads_names_takes_two_people,
    a_board_may_ask_a_second_factor_of_everyone,
    wrong_codes_in_a_row_lock_the_factor_until_it_is_reset,
);
