//! The server's edges: one sign-in a request, whatever its aliases; a limit per client
//! address on signing in and on asking without signing in; no GraphiQL, and no schema
//! introspection without signing in outside development; no answer kept by a cache or
//! run as a page.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use backend::edge::{Edge, Limits};
use backend::entities::login_failure;
use common::{Backend, PASSWORD, TestApp, code};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::json;
use tower::ServiceExt;

async fn one_request_signs_in_once_whatever_its_aliases(b: Backend) {
    let app = TestApp::spawn(b).await;
    // One password tried against many accounts in one request.
    let mut fields = String::new();
    for (i, email) in
        ["chair@scr.example", "manager@scr.example", "admin@scr.example", "panel@scr.example"].iter().enumerate()
    {
        fields.push_str(&format!("a{i}: login(email:\"{email}\", password:\"{PASSWORD}\"){{token}} "));
    }
    let v = app.gql(None, &format!("mutation {{ {fields} }}"), json!({})).await;
    let tokens = (0..4).filter(|i| v["data"][format!("a{i}")]["token"].is_string()).count();
    assert_eq!(tokens, 1, "one sign-in answered: {v}");
    let refused =
        v["errors"].as_array().unwrap().iter().filter(|e| e["extensions"]["code"] == "TOO_MANY_ATTEMPTS").count();
    assert_eq!(refused, 3, "{v}");
    // Many wrong passwords in one request: one checked, one failure recorded.
    let mut fields = String::new();
    for i in 0..20 {
        fields.push_str(&format!("a{i}: login(email:\"chair@scr.example\", password:\"guess {i}\"){{token}} "));
    }
    app.gql(None, &format!("mutation {{ {fields} }}"), json!({})).await;
    assert_eq!(login_failure::Entity::find().count(&app.db).await.unwrap(), 1);
    // A stolen session cannot guess its account's password many times a request either.
    let manager = app.login("manager@scr.example").await;
    let mut fields = String::new();
    for i in 0..5 {
        fields.push_str(&format!(
            "a{i}: changePassword(currentPassword:\"guess {i}\", newPassword:\"a long new passphrase {i}\"){{token}} "
        ));
    }
    let v = app.gql(Some(&manager), &format!("mutation {{ {fields} }}"), json!({})).await;
    let refused =
        v["errors"].as_array().unwrap().iter().filter(|e| e["extensions"]["code"] == "TOO_MANY_ATTEMPTS").count();
    assert_eq!(refused, 4, "one current password checked: {v}");
}

async fn a_client_address_over_its_limit_waits(b: Backend) {
    let edge = Edge::new(false, None, Vec::new(), Limits { sign_in_per_minute: 3, anonymous_per_minute: 1_000 });
    let app = TestApp::spawn_with_edge(b, edge).await;
    let login = "mutation($e:String!,$p:String!){login(email:$e,password:$p){token}}";
    for email in ["chair@scr.example", "manager@scr.example", "panel@scr.example"] {
        assert!(app.gql(None, login, json!({"e": email, "p": PASSWORD})).await["data"]["login"]["token"].is_string());
    }
    // A fourth account from the same address, within the minute: refused before any
    // password is checked.
    let v = app.gql(None, login, json!({"e": "admin@scr.example", "p": PASSWORD})).await;
    assert_eq!(code(&v), "TOO_MANY_ATTEMPTS", "{v}");
    assert!(v["errors"][0]["extensions"]["retryAfter"].as_i64().unwrap() >= 1);

    let edge = Edge::new(false, None, Vec::new(), Limits { sign_in_per_minute: 1_000, anonymous_per_minute: 2 });
    let app = TestApp::spawn_with_edge(b, edge).await;
    for _ in 0..2 {
        assert_eq!(code(&app.gql(None, "{me{id}}", json!({})).await), "UNAUTHENTICATED");
    }
    assert_eq!(
        code(&app.gql(None, "{me{id}}", json!({})).await),
        "TOO_MANY_ATTEMPTS",
        "anonymous requests are limited"
    );
}

async fn the_schema_is_introspected_only_by_the_signed_in_outside_development(b: Backend) {
    let app = TestApp::spawn(b).await;
    let v = app.gql(None, "{__schema{types{name}} __type(name:\"Review\"){fields{name}}}", json!({})).await;
    assert!(
        v["data"]["__schema"].is_null() && v["data"]["__type"].is_null(),
        "nothing of the schema without signing in: {v}"
    );
    assert!(!v.to_string().contains("child"), "{v}");
    let chair = app.login("chair@scr.example").await;
    assert!(app.ok(&chair, "{__schema{types{name}}}", json!({})).await["__schema"]["types"].is_array());

    let dev = Edge::new(true, None, Vec::new(), Limits { sign_in_per_minute: 1_000, anonymous_per_minute: 1_000 });
    let app = TestApp::spawn_with_edge(b, dev).await;
    assert!(app.gql(None, "{__schema{types{name}}}", json!({})).await["data"]["__schema"]["types"].is_array());
    // No GraphiQL page, in any mode: nothing loads scripts from elsewhere.
    let (status, _, _) = app.get(None, "/graphql").await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
}

async fn no_answer_is_cached_or_run_as_a_page(b: Backend) {
    let app = TestApp::spawn(b).await;
    let chair = app.login("chair@scr.example").await;
    let req = Request::post("/graphql")
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {chair}"))
        .body(Body::from(json!({"query": "{reviews{id}}"}).to_string()))
        .unwrap();
    let res = app.router.clone().oneshot(req).await.unwrap();
    assert_eq!(res.headers()["cache-control"], "no-store");
    assert!(res.headers()["content-security-policy"].to_str().unwrap().contains("sandbox"));
    let review = app.review_at("REFERRED").await;
    let req = Request::get(format!("/api/reviews/{review}/export/chronology?format=csv"))
        .header("authorization", format!("Bearer {chair}"))
        .body(Body::empty())
        .unwrap();
    let res = app.router.clone().oneshot(req).await.unwrap();
    assert_eq!(res.headers()["cache-control"], "no-store", "a download is not kept either");
    assert!(res.headers()["content-security-policy"].to_str().unwrap().contains("sandbox"));
}

on_both_databases!(
    one_request_signs_in_once_whatever_its_aliases,
    a_client_address_over_its_limit_waits,
    the_schema_is_introspected_only_by_the_signed_in_outside_development,
    no_answer_is_cached_or_run_as_a_page,
);
