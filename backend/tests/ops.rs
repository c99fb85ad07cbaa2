//! What operators read: `/metrics` in the Prometheus text format, with no personal
//! data in it. On SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{Backend, TestApp};
use serde_json::json;
use tower::ServiceExt;

async fn metrics_count_requests_errors_latency_and_the_pool_without_personal_data(b: Backend) {
    let app = TestApp::spawn(b).await;
    let chair = app.login("chair@scr.example").await;
    app.ok(&chair, "{reviews{id child{name}}}", json!({})).await;
    let v = app.gql(None, "{me{email}}", json!({})).await;
    assert_eq!(common::code(&v), "UNAUTHENTICATED");
    let res = app.router.clone().oneshot(Request::get("/healthz").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    // Only with the configured token: nobody else reads the metrics.
    let res = app.router.clone().oneshot(Request::get("/metrics").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let wrong = Request::get("/metrics").header("authorization", "Bearer guess").body(Body::empty()).unwrap();
    assert_eq!(app.router.clone().oneshot(wrong).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let asked = Request::get("/metrics")
        .header("authorization", format!("Bearer {}", common::METRICS_TOKEN))
        .body(Body::empty())
        .unwrap();
    let res = app.router.clone().oneshot(asked).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/openmetrics-text"));
    let text = String::from_utf8(axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap().to_vec()).unwrap();
    let value = |prefix: &str| -> f64 {
        text.lines()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no {prefix} in:\n{text}"))
            .rsplit(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    // The login and two queries went to /graphql and were answered 200.
    assert!(value(r#"scr_http_requests_total{method="POST",route="/graphql",status="200"}"#) >= 3.0);
    assert_eq!(value(r#"scr_http_requests_total{method="GET",route="/healthz",status="200"}"#), 1.0);
    assert_eq!(value(r#"scr_graphql_errors_total{code="UNAUTHENTICATED"}"#), 1.0);
    assert!(value(r#"scr_http_request_duration_seconds_count{route="/graphql"}"#) >= 3.0);
    assert!(text.contains("scr_http_request_duration_seconds_bucket{"), "latency as a histogram: {text}");
    let idle = value(r#"scr_db_pool_connections{state="idle"}"#);
    let busy = value(r#"scr_db_pool_connections{state="in_use"}"#);
    assert!(idle + busy >= 1.0, "the pool is open: {idle} + {busy}");
    // Routes are templates; nothing of a person or a case is a label.
    for secret in ["chair@scr.example", "Margaret", "Liam", "Okafor", "Doyle", "Sutton"] {
        assert!(!text.contains(secret), "{secret} in the metrics");
    }
}

on_both_databases!(metrics_count_requests_errors_latency_and_the_pool_without_personal_data);
