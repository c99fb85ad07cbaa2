//! A property-based fuzzer over the request path: generated GraphQL requests (every
//! kind of operation the client sends, with odd unicode, huge strings, impossible
//! dates, out-of-range numbers, wrong types and unknown enum values in their variables;
//! junk query text; depth, alias and fragment-cycle bombs; no, junk or valid tokens)
//! go through the real router on a seeded database. Every answer must be below 500,
//! JSON, and every error in it must carry an `extensions.code` other than `INTERNAL`.
//!
//! CI runs `SCR_FUZZ_CASES` (default 1,500) cases; the long run:
//! `SCR_FUZZ_CASES=1000000 cargo test --release -p backend --test fuzz_requests -- --nocapture`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::Request;
use common::{Backend, TestApp};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};
use tower::ServiceExt;

/// Operations the client sends, each with the variables it takes.
const OPERATIONS: [&str; 16] = [
    "mutation($a:String!,$b:String!){login(email:$a,password:$b){token}}",
    "query($n:Int!){review(id:$n){reference stage child{name label} people{name aliases address dateOfBirth}}}",
    "query($a:String,$n:Int!,$m:Int!){reviews(childName:$a,first:$n,offset:$m){id reference}}",
    "query($d:NaiveDate){report(asOf:$d){reviews themes{theme reviews}}}",
    "query($d:NaiveDate){notifications(asOf:$d){message} myDeadlines(asOf:$d){dueOn}}",
    "query($n:Int!,$a:String!){anonymisationCheck(reviewId:$n,text:$a){hits{found label}}}",
    "mutation($n:Int!,$a:String!,$e:[Theme!]!){recordFinding(reviewId:$n,text:$a,themes:$e){id}}",
    "mutation($n:Int!,$m:Int!,$s:[String!]!){saveExecutiveSummary(reviewId:$n,expectedVersion:$m,sections:$s){id}}",
    "mutation($n:Int!,$e:DeadlineKind!,$d:NaiveDate!,$a:String!){extendDeadline(reviewId:$n,kind:$e,dueOn:$d,reason:$a){id}}",
    "mutation($n:Int!,$i:ActionInput!){addAction(reviewId:$n,input:$i){id}}",
    "mutation($n:Int!,$m:Int!,$a:String!){recordProgress(actionId:$n,expectedVersion:$m,note:$a){id}}",
    "mutation($x:[Int!]){markNotificationsRead(ids:$x)}",
    "mutation($i:ReferralInput!){submitReferral(input:$i){id}}",
    "query($n:Int!,$f:ChronologyFilter,$m:Int){review(id:$n){combinedChronology(filter:$f,gapDays:$m){entries{event}}}}",
    "mutation($n:Int!,$d:NaiveDate!,$a:String){recordOfstedNotification(reviewId:$n,sentOn:$d,reasons:$a){id}}",
    "mutation($n:Int!,$b:Boolean!,$a:String){decideImr(imrId:$n,accept:$b,comments:$a){id}}",
];

fn odd_string() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => ".{0,24}",
        1 => Just(String::new()),
        1 => Just("\u{0}\u{7}\u{1b}[31m".to_owned()),
        1 => Just("Ｍａｒｇａｒｅｔ \u{202e}evil\u{202c} 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 👨‍👩‍👧 ﷽".to_owned()),
        1 => Just("'; DROP TABLE reviews; --".to_owned()),
        1 => Just("chair@scr.example".to_owned()),
        1 => (1usize..300_000).prop_map(|n| "é".repeat(n)),
        1 => Just("2026-02-30".to_owned()),
        1 => Just("-0001-13-45".to_owned()),
    ]
}

fn odd_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        3 => odd_string().prop_map(Value::from),
        2 => any::<i32>().prop_map(Value::from),
        1 => any::<i64>().prop_map(Value::from),
        1 => any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        1 => any::<bool>().prop_map(Value::from),
        1 => Just(Value::Null),
        1 => prop_oneof![Just("COMPLETION"), Just("NOT_A_KIND"), Just("NEGLECT"), Just("child")].prop_map(Value::from),
        1 => prop_oneof![Just("2026-11-26"), Just("1900-01-01"), Just("2999-12-31"), Just("26/11/2026")].prop_map(Value::from),
        1 => (1i64..30).prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::btree_map("[a-zA-Z]{1,12}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A request body, whole.
fn request() -> impl Strategy<Value = Value> {
    let names = ["a", "b", "n", "m", "d", "e", "s", "i", "x", "f"];
    let vars = prop::collection::vec(odd_value(), names.len())
        .prop_map(move |vs| Value::Object(names.iter().map(|n| (*n).to_owned()).zip(vs).collect()));
    prop_oneof![
        8 => (0..OPERATIONS.len(), vars).prop_map(|(k, v)| json!({"query": OPERATIONS[k], "variables": v})),
        1 => odd_string().prop_map(|q| json!({"query": q})),
        1 => (1usize..400).prop_map(|n| {
            let mut q = "id".to_owned();
            for _ in 0..n { q = format!("reviews {{ {q} }}"); }
            json!({"query": format!("{{ {q} }}")})
        }),
        1 => (1usize..5000).prop_map(|n| {
            let aliases: String = (0..n).map(|i| format!("a{i}: reviews {{ id }} ")).collect();
            json!({"query": format!("{{ {aliases} }}")})
        }),
        1 => Just(json!({"query": "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }"})),
        1 => prop::collection::vec(Just(json!({"query": "{ me { email } }"})), 1..50).prop_map(Value::from),
        1 => odd_value().prop_map(|v| json!({"query": "{ me { email } }", "variables": v, "operationName": 7})),
    ]
}

/// Sends `body` with `token` and checks the answer; the failure, if any.
async fn check(app: &TestApp, token: Option<&str>, body: &Value) -> Result<(), String> {
    let mut req = Request::post("/graphql").header("content-type", "application/json");
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let res = app.router.clone().oneshot(req.body(Body::from(body.to_string())).unwrap()).await.unwrap();
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), 64 << 20).await.unwrap();
    if status.is_server_error() {
        return Err(format!("{status} for {body}: {}", String::from_utf8_lossy(&bytes)));
    }
    if status.is_client_error() {
        // Refused before GraphQL (body limit, malformed JSON or a batch): fine, if clear.
        return Ok(());
    }
    let v: Value = serde_json::from_slice(&bytes).map_err(|e| format!("not JSON ({e}) for {body}"))?;
    for e in v["errors"].as_array().into_iter().flatten() {
        match e["extensions"]["code"].as_str() {
            Some("INTERNAL") => return Err(format!("INTERNAL for {body}: {e}")),
            Some(c) if !c.is_empty() => {}
            _ => return Err(format!("an error without a code for {body}: {e}")),
        }
    }
    Ok(())
}

#[test]
fn generated_requests_never_get_a_server_error_and_every_error_is_coded() {
    let cases: u32 = std::env::var("SCR_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1_500);
    let backend = match std::env::var("SCR_FUZZ_DATABASE").as_deref() {
        Ok("postgres") => Backend::Postgres,
        _ => Backend::Sqlite,
    };
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let app = rt.block_on(TestApp::spawn(backend));
    let chair = rt.block_on(app.login("chair@scr.example"));
    let partner = rt.block_on(app.login("partner@scr.example"));
    let tokens = [None, Some(chair.as_str()), Some(partner.as_str()), Some("not.a.token")];
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    let started = std::time::Instant::now();
    let result = runner.run(&(0..tokens.len(), request()), |(t, body)| {
        rt.block_on(check(&app, tokens[t], &body)).map_err(TestCaseError::fail)
    });
    println!("fuzz: {cases} generated requests in {:.1?}", started.elapsed());
    if let Err(e) = result {
        panic!("{e}");
    }
}
