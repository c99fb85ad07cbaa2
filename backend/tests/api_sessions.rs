//! Sessions that last while people work: a refresh token in an `HttpOnly; Secure;
//! SameSite=Strict` cookie renews short access tokens, is used once and replaced, and a
//! reused one ends the whole session; idle and absolute limits (with a test clock);
//! signing out ends the session on the server.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use backend::users::sessions::SessionRules;
use chrono::Duration;
use common::{Backend, PASSWORD, TestApp, code, test_sessions};
use serde_json::{Value, json};

const LOGIN: &str =
    "mutation($e:String!,$p:String!){login(email:$e,password:$p){token idleEndsAt endsAt secondFactor}}";

/// Signs in; answers the access token and the refresh cookie's `Set-Cookie` value.
async fn sign_in(app: &TestApp, email: &str) -> (String, String) {
    let body = json!({"query": LOGIN, "variables": {"e": email, "p": PASSWORD}}).to_string();
    let req = Request::post("/graphql").header("content-type", "application/json").body(Body::from(body)).unwrap();
    let (status, headers, bytes) = app.send(req).await;
    assert_eq!(status, StatusCode::OK);
    let v: Value = serde_json::from_slice(&bytes).unwrap();
    let token = v["data"]["login"]["token"].as_str().unwrap_or_else(|| panic!("no token: {v}")).to_owned();
    (token, set_cookie(&headers).expect("login sets the refresh cookie"))
}

fn set_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("scr_refresh="))
        .map(str::to_owned)
}

/// The `name=value` part of a `Set-Cookie` value.
fn pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().to_owned()
}

/// `POST /api/session/refresh` with `cookie`: the status, the JSON and the next cookie.
async fn refresh(app: &TestApp, cookie: &str) -> (StatusCode, Value, Option<String>) {
    let req = Request::post("/api/session/refresh")
        .header("x-scr-session", "1")
        .header(header::COOKIE, pair(cookie))
        .body(Body::empty())
        .unwrap();
    let (status, headers, bytes) = app.send(req).await;
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null), set_cookie(&headers))
}

async fn me_code(app: &TestApp, token: &str) -> String {
    code(&app.gql(Some(token), "{ me { email } }", json!({})).await)
}

async fn the_refresh_cookie_is_http_only_strict_and_scoped(b: Backend) {
    let app = TestApp::spawn(b).await;
    let (_, cookie) = sign_in(&app, "chair@scr.example").await;
    for part in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/api/session"] {
        assert!(cookie.split("; ").any(|p| p == part), "{part} missing from {cookie}");
    }
    // Without the header a page of another origin cannot send, nothing is renewed.
    let req = Request::post("/api/session/refresh").header(header::COOKIE, pair(&cookie)).body(Body::empty()).unwrap();
    let (status, _, _) = app.send(req).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refresh(&app, &cookie).await.0, StatusCode::OK, "the cookie was not spent by the refused request");
}

async fn a_form_on_another_site_cannot_sign_anyone_in(b: Backend) {
    let app = TestApp::spawn(b).await;
    // A plain HTML form posts `text/plain` or `multipart/form-data` without asking first:
    // neither is read, so no session (and no cookie) comes of it.
    let body = json!({"query": LOGIN, "variables": {"e": "chair@scr.example", "p": PASSWORD}}).to_string();
    for content_type in ["text/plain", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded"] {
        let req =
            Request::post("/graphql").header("content-type", content_type).body(Body::from(body.clone())).unwrap();
        let (status, headers, _) = app.send(req).await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{content_type}");
        assert!(set_cookie(&headers).is_none(), "{content_type}");
    }
    // The control: the same body as JSON signs in.
    sign_in(&app, "chair@scr.example").await;
}

async fn a_refresh_renews_the_token_and_replaces_the_cookie(b: Backend) {
    let app = TestApp::spawn(b).await;
    let (first, cookie) = sign_in(&app, "chair@scr.example").await;
    let (status, v, next) = refresh(&app, &cookie).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let token = v["token"].as_str().unwrap();
    assert_eq!(me_code(&app, &first).await, "", "the first token lasts its own life");
    assert_eq!(v["user"]["email"], "chair@scr.example");
    assert!(v["idleEndsAt"].is_string() && v["endsAt"].is_string());
    assert_eq!(me_code(&app, token).await, "");
    let next = next.expect("a new refresh token");
    assert_ne!(pair(&next), pair(&cookie));
    assert_eq!(refresh(&app, &next).await.0, StatusCode::OK, "the new one renews in turn");
}

async fn a_reused_refresh_token_ends_the_whole_session(b: Backend) {
    let app = TestApp::spawn(b).await;
    let (_, stolen) = sign_in(&app, "chair@scr.example").await;
    // The owner renews; then someone presents the spent token.
    let (_, v, owners) = refresh(&app, &stolen).await;
    let owners_token = v["token"].as_str().unwrap().to_owned();
    // Within seconds of its use it is only refused (two tabs renewing together) ...
    assert_eq!(refresh(&app, &stolen).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(me_code(&app, &owners_token).await, "", "the session goes on");
    // ... later, it is taken for stolen.
    app.sessions.clock.advance(Duration::seconds(11));
    let (status, _, cleared) = refresh(&app, &stolen).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(cleared.is_some_and(|c| c.contains("Max-Age=0")), "the refused cookie is removed");
    // Neither the thief nor the owner holds the session any more.
    assert_eq!(refresh(&app, &owners.unwrap()).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(me_code(&app, &owners_token).await, "UNAUTHENTICATED", "its access tokens end with it");
    // Another sign-in is a new session.
    let (again, _) = sign_in(&app, "chair@scr.example").await;
    assert_eq!(me_code(&app, &again).await, "");
}

async fn two_refreshes_with_one_token_at_once_renew_once_and_the_session_goes_on(b: Backend) {
    let app = TestApp::spawn(b).await;
    let (_, cookie) = sign_in(&app, "chair@scr.example").await;
    let (a, b2) = tokio::join!(refresh(&app, &cookie), refresh(&app, &cookie));
    let winners: Vec<_> = [a, b2].into_iter().filter(|r| r.0 == StatusCode::OK).collect();
    assert_eq!(winners.len(), 1, "a refresh token renews once");
    let next = winners[0].2.clone().unwrap();
    assert_eq!(refresh(&app, &next).await.0, StatusCode::OK, "the winner's session goes on");
}

async fn a_password_change_or_a_deactivation_ends_refresh(b: Backend) {
    let app = TestApp::spawn(b).await;
    let (token, cookie) = sign_in(&app, "author@scr.example").await;
    let change = "mutation($c:String!,$n:String!){changePassword(currentPassword:$c,newPassword:$n){token}}";
    app.ok(&token, change, json!({"c": PASSWORD, "n": "a quite different passphrase"})).await;
    assert_eq!(refresh(&app, &cookie).await.0, StatusCode::UNAUTHORIZED, "sessions before the change end");
    let (_, cookie) = sign_in(&app, "professional@scr.example").await;
    let admin = app.login("admin@scr.example").await;
    let id = app.user_id("professional@scr.example").await;
    app.ok(&admin, "mutation($u:Int!){deactivateUser(userId:$u){user{id}}}", json!({"u": id})).await;
    assert_eq!(refresh(&app, &cookie).await.0, StatusCode::UNAUTHORIZED, "a leaver's session ends");
}

async fn an_idle_session_ends_and_a_busy_one_lasts_to_its_absolute_limit(b: Backend) {
    let rules = SessionRules { idle: Duration::minutes(30), absolute: Duration::hours(2), ..test_sessions() };
    let app = TestApp::spawn_with_sessions(b, rules).await;
    let clock = app.sessions.clock.clone();
    // Idle: 31 minutes without a renewal.
    let (_, cookie) = sign_in(&app, "chair@scr.example").await;
    clock.advance(Duration::minutes(31));
    assert_eq!(refresh(&app, &cookie).await.0, StatusCode::UNAUTHORIZED);
    // Busy: renewed every 25 minutes, it lasts until its absolute end and no longer.
    let (_, mut cookie) = sign_in(&app, "chair@scr.example").await;
    let mut renewed = 0;
    loop {
        clock.advance(Duration::minutes(25));
        let (status, _, next) = refresh(&app, &cookie).await;
        if status != StatusCode::OK {
            break;
        }
        renewed += 1;
        cookie = next.unwrap();
    }
    assert_eq!(renewed, 4, "renewed at 25, 50, 75 and 100 minutes; refused at 125, past two hours");
}

async fn signing_out_ends_the_session_on_the_server(b: Backend) {
    let app = TestApp::spawn(b).await;
    let (token, cookie) = sign_in(&app, "chair@scr.example").await;
    let (other, _) = sign_in(&app, "chair@scr.example").await;
    let req = Request::post("/api/session/sign-out")
        .header("x-scr-session", "1")
        .header(header::COOKIE, pair(&cookie))
        .body(Body::empty())
        .unwrap();
    let (status, headers, _) = app.send(req).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(set_cookie(&headers).is_some_and(|c| c.contains("Max-Age=0")));
    assert_eq!(refresh(&app, &cookie).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(me_code(&app, &token).await, "UNAUTHENTICATED", "its access token is refused at once");
    assert_eq!(me_code(&app, &other).await, "", "another session goes on");
    // The API's own sign-out ends the token's session.
    app.ok(&other, "mutation { signOut }", json!({})).await;
    assert_eq!(me_code(&app, &other).await, "UNAUTHENTICATED");
}

async fn signing_out_everywhere_ends_refresh_too(b: Backend) {
    let app = TestApp::spawn(b).await;
    let (token, cookie) = sign_in(&app, "chair@scr.example").await;
    app.ok(&token, "mutation { signOutEverywhere }", json!({})).await;
    assert_eq!(refresh(&app, &cookie).await.0, StatusCode::UNAUTHORIZED);
}

on_both_databases!(
    a_form_on_another_site_cannot_sign_anyone_in,
    the_refresh_cookie_is_http_only_strict_and_scoped,
    a_refresh_renews_the_token_and_replaces_the_cookie,
    a_reused_refresh_token_ends_the_whole_session,
    two_refreshes_with_one_token_at_once_renew_once_and_the_session_goes_on,
    a_password_change_or_a_deactivation_ends_refresh,
    an_idle_session_ends_and_a_busy_one_lasts_to_its_absolute_limit,
    signing_out_ends_the_session_on_the_server,
    signing_out_everywhere_ends_refresh_too,
);
