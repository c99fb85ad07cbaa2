//! The real `scr` binary: seeded, served, signed into by every demo user, stopped
//! gracefully.

#![allow(clippy::expect_used, clippy::panic)]

use e2e::{Server, demo_emails};
use serde_json::{Value, json};

async fn gql(
    client: &reqwest::Client,
    base: &str,
    token: Option<&str>,
    query: &str,
    vars: Value,
) -> Value {
    let mut req = client
        .post(format!("{base}/graphql"))
        .json(&json!({"query": query, "variables": vars}));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.expect("request");
    assert!(res.status().is_success(), "HTTP {}", res.status());
    res.json().await.expect("json")
}

#[tokio::test]
async fn the_served_binary_signs_in_every_demo_user_and_stops_on_sigterm() {
    let mut server = Server::start();
    let client = reqwest::Client::new();
    let base = server.base.clone();
    assert_eq!(
        client
            .get(format!("{base}/healthz"))
            .send()
            .await
            .expect("healthz")
            .text()
            .await
            .expect("body"),
        "ok"
    );
    assert_eq!(
        client
            .get(format!("{base}/readyz"))
            .send()
            .await
            .expect("readyz")
            .status(),
        200
    );

    let emails = demo_emails();
    assert!(emails.len() >= 13, "{emails:?}");
    for email in &emails {
        let v = gql(
            &client,
            &base,
            None,
            "mutation($e:String!,$p:String!){login(email:$e,password:$p){token}}",
            json!({"e": email, "p": "scr-demo-password"}),
        )
        .await;
        let token = v["data"]["login"]["token"]
            .as_str()
            .unwrap_or_else(|| panic!("{email} cannot sign in: {v}"))
            .to_owned();
        let me = gql(
            &client,
            &base,
            Some(&token),
            "{ me { email } reviews { reference } }",
            json!({}),
        )
        .await;
        assert_eq!(me["data"]["me"]["email"], email.as_str(), "{me}");
        if email == "chair@scr.example" {
            assert_eq!(
                me["data"]["reviews"].as_array().map(Vec::len),
                Some(8),
                "the demo has a case at every stage"
            );
        }
        if email == "admin@scr.example" {
            assert_eq!(
                me["data"]["reviews"],
                json!([]),
                "the administrator sees no case"
            );
        }
    }
    assert!(server.terminate(), "scr did not exit cleanly on SIGTERM");
}
