//! Invitations instead of typed passwords, and resets: a one-time link, e-mailed through
//! a real SMTP server on loopback or (without one) answered once to the administrator;
//! it sets the person's own password once, expires, and dies with a deactivation.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use backend::entities::one_time_link;
use common::smtp::{Inbox, message_to, smtp_server};
use common::{Backend, PASSWORD, TestApp, code};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

const INVITE: &str = "mutation($e:String!){inviteUser(input:{email:$e,name:\"Nia Newcomer\",roles:[{role:PROFESSIONAL}]}){emailed link user{id roles{role}}}}";
const SET: &str = "mutation($t:String!,$p:String!){setPasswordWithLink(token:$t,password:$p){token user{email}}}";

fn field(v: &Value) -> String {
    v["errors"][0]["extensions"]["fields"][0]["field"].as_str().unwrap_or("").to_owned()
}

fn token_of(link: &str) -> String {
    link.split("#token=").nth(1).unwrap_or_else(|| panic!("a token in {link}")).trim().to_owned()
}

async fn sign_in(app: &TestApp, email: &str, password: &str) -> Value {
    app.gql(
        None,
        "mutation($e:String!,$p:String!){login(email:$e,password:$p){token}}",
        json!({"e": email, "p": password}),
    )
    .await
}

async fn an_invitation_sets_the_persons_own_password_once(b: Backend) {
    let app = TestApp::spawn(b).await;
    let admin = app.login("admin@scr.example").await;
    let d = app.ok(&admin, INVITE, json!({"e": "nia@scr.example"})).await;
    assert_eq!(d["inviteUser"]["emailed"], false, "no mail set up: the link is answered");
    let link = d["inviteUser"]["link"].as_str().unwrap().to_owned();
    assert!(link.starts_with("/set-password#token="), "{link}");
    let token = token_of(&link);
    let stored = one_time_link::Entity::find().all(&app.db).await.unwrap();
    assert!(stored.iter().all(|l| l.token_hash != token && !l.token_hash.contains(&token)), "only a hash is kept");

    let v = app.gql(None, SET, json!({"t": token, "p": "Password1234"})).await;
    assert_eq!(field(&v), "password", "the rules still hold: {v}");
    let v = app.gql(None, SET, json!({"t": "not-a-token", "p": "my very own passphrase"})).await;
    assert_eq!(field(&v), "token", "{v}");
    let d = app.gql(None, SET, json!({"t": token, "p": "my very own passphrase"})).await;
    assert_eq!(d["data"]["setPasswordWithLink"]["user"]["email"], "nia@scr.example", "{d}");
    let v = app.gql(None, SET, json!({"t": token, "p": "another own passphrase"})).await;
    assert_eq!(field(&v), "token", "used once: {v}");
    assert!(sign_in(&app, "nia@scr.example", "my very own passphrase").await["data"]["login"]["token"].is_string());

    let v = app.gql(Some(&admin), INVITE, json!({"e": "nia@scr.example"})).await;
    assert_eq!(field(&v), "email", "an e-mail address already used: {v}");
    let chair = app.login("chair@scr.example").await;
    assert_eq!(code(&app.gql(Some(&chair), INVITE, json!({"e": "x@scr.example"})).await), "FORBIDDEN");
}

async fn an_expired_or_superseded_link_is_refused(b: Backend) {
    let app = TestApp::spawn(b).await;
    let admin = app.login("admin@scr.example").await;
    let id = app.user_id("professional@scr.example").await;
    let reset = "mutation($u:Int!){startPasswordReset(userId:$u){link}}";
    let first = token_of(app.ok(&admin, reset, json!({"u": id})).await["startPasswordReset"]["link"].as_str().unwrap());
    let second =
        token_of(app.ok(&admin, reset, json!({"u": id})).await["startPasswordReset"]["link"].as_str().unwrap());
    assert_eq!(field(&app.gql(None, SET, json!({"t": first, "p": "a fresh passphrase"})).await), "token", "superseded");
    one_time_link::Entity::update_many()
        .col_expr(one_time_link::Column::ExpiresAt, Expr::value(chrono::Utc::now() - chrono::Duration::minutes(1)))
        .filter(one_time_link::Column::UsedAt.is_null())
        .exec(&app.db)
        .await
        .unwrap();
    assert_eq!(field(&app.gql(None, SET, json!({"t": second, "p": "a fresh passphrase"})).await), "token", "expired");
    assert!(sign_in(&app, "professional@scr.example", PASSWORD).await["data"]["login"]["token"].is_string());
}

async fn a_reset_link_issued_before_a_deactivation_dies_with_it(b: Backend) {
    let app = TestApp::spawn(b).await;
    let admin = app.login("admin@scr.example").await;
    let old_session = app.login("professional@scr.example").await;
    let id = app.user_id("professional@scr.example").await;
    let link = app.ok(&admin, "mutation($u:Int!){startPasswordReset(userId:$u){link}}", json!({"u": id})).await;
    let token = token_of(link["startPasswordReset"]["link"].as_str().unwrap());
    app.ok(&admin, "mutation($u:Int!){deactivateUser(userId:$u){user{active}}}", json!({"u": id})).await;
    app.ok(&admin, "mutation($u:Int!){reactivateUser(userId:$u){active}}", json!({"u": id})).await;
    assert_eq!(field(&app.gql(None, SET, json!({"t": token, "p": "a fresh passphrase"})).await), "token");
    assert_eq!(code(&app.gql(Some(&old_session), "{me{id}}", json!({})).await), "UNAUTHENTICATED");
}

async fn an_invitation_goes_out_by_email_when_mail_is_set_up(b: Backend) {
    let inbox = Inbox::default();
    let port = smtp_server(inbox.clone());
    let mailer = backend::mailer::Mailer::new(&format!("smtp://127.0.0.1:{port}"), "Board <scr@board.example>")
        .unwrap()
        .with_link_base("https://scr.board.example/");
    let app = TestApp::spawn_with_mail(b, mailer).await;
    let admin = app.login("admin@scr.example").await;
    let d = app.ok(&admin, INVITE, json!({"e": "mailed@scr.example"})).await;
    assert_eq!(d["inviteUser"]["emailed"], true);
    assert!(d["inviteUser"]["link"].is_null(), "an e-mailed link is not shown to the administrator");
    let messages = inbox.messages.lock().unwrap().clone();
    let body = message_to(&messages, "mailed@scr.example");
    let line = body
        .lines()
        .find(|l| l.contains("https://scr.board.example/set-password#token="))
        .unwrap_or_else(|| panic!("{body}"));
    let token = token_of(line);
    let d = app.gql(None, SET, json!({"t": token, "p": "my very own passphrase"})).await;
    assert_eq!(d["data"]["setPasswordWithLink"]["user"]["email"], "mailed@scr.example", "{d}");
}

on_both_databases!(
    an_invitation_sets_the_persons_own_password_once,
    an_expired_or_superseded_link_is_refused,
    a_reset_link_issued_before_a_deactivation_dies_with_it,
    an_invitation_goes_out_by_email_when_mail_is_set_up,
);
