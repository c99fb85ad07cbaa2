//! Authentication and the HTTP edge: tokens that must be refused, limits, health.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use backend::auth::{Claims, Tokens};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use common::{Backend, TestApp, code};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::json;
use tower::ServiceExt;

const ME: &str = "{ me { email } }";
const IDP_ISSUER: &str = "https://idp.example";
const IDP_AUDIENCE: &str = "scr";

fn idp() -> backend::auth::ExternalIdp {
    Tokens::external_idp(include_str!("fixtures/test_idp_public.pem"), IDP_ISSUER.into(), IDP_AUDIENCE.into()).unwrap()
}

fn claims(sub: &str, iss: &str, aud: &str, exp_in: i64) -> Claims {
    let now = chrono::Utc::now().timestamp();
    Claims {
        sub: sub.into(),
        email: None,
        email_verified: Some(true),
        iss: iss.into(),
        aud: aud.into(),
        iat: now,
        exp: now + exp_in,
        generation: 0,
        sid: None,
    }
}

async fn me_code(app: &TestApp, token: &str) -> String {
    code(&app.gql(Some(token), ME, json!({})).await)
}

async fn tokens_that_are_expired_forged_or_misaddressed_are_unauthenticated(b: Backend) {
    let app = TestApp::spawn_with(b, Some(idp())).await;
    let chair = app.user_id("chair@scr.example").await.to_string();
    // The control: a proper token works.
    let good = app.tokens.issue(chair.parse().unwrap(), 0).unwrap();
    assert_eq!(app.gql(Some(&good), ME, json!({})).await["data"]["me"]["email"], "chair@scr.example");

    let expired = app.tokens.sign(&claims(&chair, "scr", "scr", -3600)).unwrap();
    let other_key =
        Tokens::new(b"another-secret-another-secret-another".to_vec(), chrono::Duration::minutes(15), None).unwrap();
    let bad_signature = other_key.issue(chair.parse().unwrap(), 0).unwrap();
    let wrong_audience = app.tokens.sign(&claims(&chair, "scr", "someone-else", 600)).unwrap();
    let wrong_issuer = app.tokens.sign(&claims(&chair, "evil", "scr", 600)).unwrap();
    let payload = B64.encode(serde_json::to_vec(&claims(&chair, "scr", "scr", 600)).unwrap());
    let alg_none = format!("{}.{payload}.", B64.encode(br#"{"alg":"none","typ":"JWT"}"#));
    // Claims edited after signing: another user's id under the chair's signature.
    let admin = app.user_id("admin@scr.example").await.to_string();
    let parts: Vec<&str> = good.split('.').collect();
    let edited = format!(
        "{}.{}.{}",
        parts[0],
        B64.encode(serde_json::to_vec(&claims(&admin, "scr", "scr", 600)).unwrap()),
        parts[2]
    );
    // An HS256 token "signed" with the identity provider's public key.
    let mut c = claims("x", IDP_ISSUER, IDP_AUDIENCE, 600);
    c.email = Some("chair@scr.example".into());
    let confused = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &c,
        &EncodingKey::from_secret(include_bytes!("fixtures/test_idp_public.pem")),
    )
    .unwrap();
    for (what, t) in [
        ("expired", expired),
        ("bad signature", bad_signature),
        ("wrong audience", wrong_audience),
        ("wrong issuer", wrong_issuer),
        ("alg none", alg_none),
        ("edited claims", edited),
        ("HS256 with the RS256 public key", confused),
        ("garbage", "not.a.token".to_owned()),
    ] {
        assert_eq!(me_code(&app, &t).await, "UNAUTHENTICATED", "{what} was accepted");
    }
    // No token at all.
    assert_eq!(code(&app.gql(None, ME, json!({})).await), "UNAUTHENTICATED");
}

async fn the_external_identity_provider_signs_in_users_by_email(b: Backend) {
    let app = TestApp::spawn_with(b, Some(idp())).await;
    let key = EncodingKey::from_rsa_pem(include_bytes!("fixtures/test_idp_private.pem")).unwrap();
    let token = |sub: &str, email: &str, verified: Option<bool>| {
        let mut c = claims(sub, IDP_ISSUER, IDP_AUDIENCE, 600);
        c.email = Some(email.into());
        c.email_verified = verified;
        jsonwebtoken::encode(&Header::new(Algorithm::RS256), &c, &key).unwrap()
    };
    // An address the provider does not vouch for names nobody, whoever it names.
    for verified in [Some(false), None] {
        assert_eq!(me_code(&app, &token("idp-user-77", "admin@scr.example", verified)).await, "UNAUTHENTICATED");
    }
    // The first sign-in with a verified address binds the provider's subject.
    let first = token("idp-user-77", "Manager@SCR.example", Some(true));
    assert_eq!(app.gql(Some(&first), ME, json!({})).await["data"]["me"]["email"], "manager@scr.example");
    // Afterwards the subject decides, never the e-mail alone: another subject claiming
    // the same address is refused...
    assert_eq!(me_code(&app, &token("someone-else", "manager@scr.example", Some(true))).await, "UNAUTHENTICATED");
    // ...and the bound subject is the manager even if the provider's address changes.
    let moved = token("idp-user-77", "p.shah@council.example", Some(true));
    assert_eq!(app.gql(Some(&moved), ME, json!({})).await["data"]["me"]["email"], "manager@scr.example");
    let bound = backend::entities::external_identity::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(bound.len(), 1, "{bound:?}");
    // Its tokens are still held to its issuer, audience and expiry.
    for (iss, aud, exp) in
        [("https://other.example", IDP_AUDIENCE, 600), (IDP_ISSUER, "other", 600), (IDP_ISSUER, IDP_AUDIENCE, -3600)]
    {
        let mut c = claims("x", iss, aud, exp);
        c.email = Some("manager@scr.example".into());
        let t = jsonwebtoken::encode(&Header::new(Algorithm::RS256), &c, &key).unwrap();
        assert_eq!(me_code(&app, &t).await, "UNAUTHENTICATED", "{iss} {aud} {exp}");
    }
    // An unknown e-mail is no one.
    assert_eq!(me_code(&app, &token("x", "stranger@example.org", Some(true))).await, "UNAUTHENTICATED");
}

async fn login_issues_a_fifteen_minute_token_and_refuses_bad_passwords_alike(b: Backend) {
    let app = TestApp::spawn(b).await;
    let login =
        "mutation($e:String!,$p:String!){login(email:$e,password:$p){token expiresAt user{email roles{role boardId}}}}";
    let v = app.gql(None, login, json!({"e": "chair@scr.example", "p": common::PASSWORD})).await;
    let l = &v["data"]["login"];
    assert_eq!(l["user"]["roles"][0]["role"], "BOARD_CHAIR");
    let expires = chrono::DateTime::parse_from_rfc3339(l["expiresAt"].as_str().unwrap()).unwrap();
    let minutes = (expires.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_minutes();
    assert!((14..=15).contains(&minutes), "{minutes}");
    for (e, p) in
        [("chair@scr.example", "wrong-password-123"), ("nobody@scr.example", common::PASSWORD), ("not an email", "x")]
    {
        let v = app.gql(None, login, json!({"e": e, "p": p})).await;
        assert_eq!(code(&v), "UNAUTHENTICATED", "{e}");
        assert_eq!(v["errors"][0]["message"], "Sign in to continue");
    }
}

async fn every_demo_user_can_sign_in(b: Backend) {
    let app = TestApp::spawn(b).await;
    for (email, _, _, role, _) in backend::seed::DEMO_USERS {
        let t = app.login(email).await;
        let d = app.ok(&t, "{me{roles{role}}}", json!({})).await;
        assert_eq!(d["me"]["roles"][0]["role"], role.as_str().to_uppercase(), "{email}");
    }
}

async fn limits_and_bad_requests_get_clear_answers_never_a_500(b: Backend) {
    let app = TestApp::spawn(b).await;
    let chair = app.login("chair@scr.example").await;
    // Body over the limit: 413.
    let big = json!({"query": format!("{{ me {{ email }} }} #{}", "x".repeat(2 * 1024 * 1024))});
    let (status, _) = app.post(Some(&chair), big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    // A review page's depth is fine; a query nested past the limit is refused whole.
    let page =
        "{ reviews { deadlines { extensions { reason } } leadBoard { name } referral { proposal { category } } } }";
    assert!(app.gql(Some(&chair), page, json!({})).await.get("errors").is_none());
    let mut bomb = "id".to_owned();
    for _ in 0..20 {
        bomb = format!("reviews {{ {bomb} }}");
    }
    let v = app.gql(Some(&chair), &format!("{{ {bomb} }}"), json!({})).await;
    assert!(v["data"].is_null(), "{v}");
    assert!(v["errors"][0]["message"].as_str().unwrap().contains("nested too deep"), "{v}");
    // Aliases multiplying an expensive field run into the complexity limit.
    let aliases: String = (0..3000).map(|i| format!("a{i}: me {{ email }} ")).collect();
    let v = app.gql(Some(&chair), &format!("{{ {aliases} }}"), json!({})).await;
    assert!(v["data"].is_null() && v["errors"].is_array(), "alias bomb accepted");
    // Malformed JSON and a wrong content type: 4xx.
    let res = app
        .router
        .clone()
        .oneshot(
            Request::post("/graphql").header("content-type", "application/json").body(Body::from("{not json")).unwrap(),
        )
        .await
        .unwrap();
    assert!(res.status().is_client_error(), "{}", res.status());
    // Out-of-range arguments are validation errors.
    let v = app.gql(Some(&chair), "{ reviews(first: 100000) { id } }", json!({})).await;
    assert!(v["errors"].is_array());
    // Health and readiness; no GraphiQL on GET (see api_edges).
    for (path, want) in [("/healthz", "ok"), ("/readyz", "ready")] {
        let res = app.router.clone().oneshot(Request::get(path).body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(axum::body::to_bytes(res.into_body(), 1024).await.unwrap(), want);
    }
    let res = app.router.clone().oneshot(Request::get("/graphql").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
}

async fn security_headers_are_set_hsts_only_behind_tls_and_cors_is_closed(b: Backend) {
    let app = TestApp::spawn(b).await;
    let get = |path: &'static str, proto: Option<&'static str>| {
        let router = app.router.clone();
        async move {
            let mut req = Request::get(path);
            if let Some(p) = proto {
                req = req.header("x-forwarded-proto", p);
            }
            router.oneshot(req.body(Body::empty()).unwrap()).await.unwrap()
        }
    };
    let res = get("/healthz", None).await;
    let h = res.headers();
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert!(h.get("strict-transport-security").is_none(), "no HSTS over plain HTTP");
    let res = get("/healthz", Some("https")).await;
    assert_eq!(res.headers()["strict-transport-security"], "max-age=31536000; includeSubDomains");
    // Another origin's preflight and request get no permission to read the answer.
    let preflight = Request::builder()
        .method("OPTIONS")
        .uri("/graphql")
        .header("origin", "https://evil.example")
        .header("access-control-request-method", "POST")
        .body(Body::empty())
        .unwrap();
    let res = app.router.clone().oneshot(preflight).await.unwrap();
    assert!(res.headers().get("access-control-allow-origin").is_none());
    let cross = Request::post("/graphql")
        .header("origin", "https://evil.example")
        .header("content-type", "application/json")
        .body(Body::from(json!({"query": "{__typename}"}).to_string()))
        .unwrap();
    let res = app.router.clone().oneshot(cross).await.unwrap();
    assert!(res.headers().get("access-control-allow-origin").is_none());
}

async fn a_list_of_reviews_costs_the_same_statements_whatever_its_length(b: Backend) {
    let app = TestApp::spawn(b).await;
    let chair = app.login("chair@scr.example").await;
    let list = "{ reviews(first: 200) { reference stage child { label name } people { label } deadlines { kind status extensions { reason } }
        referral { proposal { category } } decision { conduct } leadBoard { name } partnerBoards { name } involvedAgencies { name }
        appointments { name } termsOfReference { version } findings { text themes } } }";
    let count = |app: &TestApp| app.statements();
    let before = count(&app);
    let d = app.ok(&chair, list, json!({})).await;
    let small_n = d["reviews"].as_array().unwrap().len();
    let small = count(&app) - before;
    // Add forty more referrals and ask again.
    let referrer = backend::context::Caller::load(
        &app.db,
        &backend::auth::Subject::User(app.user_id("professional@scr.example").await),
    )
    .await
    .unwrap();
    let board = backend::entities::board::Entity::find().all(&app.db).await.unwrap()[0].id;
    let agency = backend::entities::agency::Entity::find().all(&app.db).await.unwrap()[0].id;
    for i in 0..40 {
        backend::decision::submit_referral(
            &app.db,
            &referrer,
            backend::decision::NewReferral {
                child: backend::register::NewPerson {
                    relationship: shared::stage::Relationship::Child,
                    label: None,
                    name: format!("Child Number{i}"),
                    aliases: vec![],
                    date_of_birth: None,
                    address: None,
                    agency_id: None,
                },
                family: vec![],
                circumstances: "Extra case for the statement count.".into(),
                facts: Default::default(),
                normal_residence_board_id: board,
                looked_after_by_board_id: None,
                other_involved_board_ids: vec![],
                involved_agency_ids: vec![agency],
                left_out_boards: vec![],
                received_on: None,
            },
        )
        .await
        .unwrap();
    }
    let before = count(&app);
    if std::env::var_os("SCR_TEST_PRINT_SQL").is_some() {
        eprintln!("SQL: ---- second list ----");
    }
    let d = app.ok(&chair, list, json!({})).await;
    let large_n = d["reviews"].as_array().unwrap().len();
    let large = count(&app) - before;
    assert_eq!(large_n, small_n + 40);
    assert_eq!(small, large, "statements grew with rows: {small} for {small_n} reviews, {large} for {large_n}");
    assert!(small < 30, "{small} statements for one list");
}

async fn the_busiest_lists_cost_the_same_statements_whatever_the_data(b: Backend) {
    let app = TestApp::spawn(b).await;
    let chair = app.login("chair@scr.example").await;
    // The client's dashboard and action tracker, as it sends them.
    let dashboard = "{ myDeadlines { review { id reference } deadline { kind dueOn status daysLeft } }
        reviews(first: 200) { id reference stage child { label name } myCapacities allowedOperations } }";
    let actions =
        "{ actions { id recommendation ownerName isMine agency { name } review { reference allowedOperations }
        updates { note recordedAt } evidence { fileName size } } }";
    let action_page = "{ actionPage(first: 50) { total actions { id recommendation ownerName isMine agency { name }
        review { reference allowedOperations } updates { note recordedAt } evidence { fileName size } } } }";
    let cost = |q: &'static str| {
        let (app, chair) = (&app, &chair);
        async move {
            let before = app.statements();
            let d = app.ok(chair, q, json!({})).await;
            (app.statements() - before, d)
        }
    };
    // One review with its decision-phase records, and a page of the combined
    // chronology, as the client asks for them.
    let review = "query($id:Int!){ review(id:$id) { reference stage leadBoard { name } partnerBoards { name }
        involvedAgencies { name } deadlines { kind dueOn status } people { label }
        referral { circumstances } criteriaAssessments { category } recommendation { scope } decision { conduct }
        ofstedNotification { sentOn } myCapacities allowedOperations } }";
    let chronology = "query($id:Int!){ review(id:$id) { id reference allowedOperations people { id label }
        involvedAgencies { id name } combinedChronology(first: 50) { total filtered next
        entries { id agencyName date event personIds } gaps { days } suggestedConflicts { entryIds }
        links { note } agencies { name } } } }";
    let cost_of = |q: &'static str, id: i32| {
        let (app, chair) = (&app, &chair);
        async move {
            let before = app.statements();
            let d = app.ok(chair, q, json!({ "id": id })).await;
            (app.statements() - before, d)
        }
    };
    // The newest synthetic review whose IMRs are accepted: its chronology has entries.
    let latest_with_entries = || async {
        use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
        backend::entities::imr::Entity::find()
            .filter(backend::entities::imr::Column::Status.eq("accepted"))
            .order_by_desc(backend::entities::imr::Column::ReviewId)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .review_id
    };
    backend::seed::synthetic::seed(&app.db, 18, 2, || {}).await.unwrap();
    let (dash_small, _) = cost(dashboard).await;
    let (act_small, d) = cost(actions).await;
    let small_n = d["actions"].as_array().unwrap().len();
    let (page_small, _) = cost(action_page).await;
    let small_review = latest_with_entries().await;
    let (one_small, _) = cost_of(review, small_review).await;
    let (chron_small, d) = cost_of(chronology, small_review).await;
    let small_entries = d["review"]["combinedChronology"]["filtered"].as_i64().unwrap();
    backend::seed::synthetic::seed(&app.db, 36, 12, || {}).await.unwrap();
    let (dash_large, _) = cost(dashboard).await;
    let (act_large, d) = cost(actions).await;
    let large_n = d["actions"].as_array().unwrap().len();
    let (page_large, _) = cost(action_page).await;
    // The page prefetches what its actions select, as the whole list does: one
    // statement a table, never one an action.
    assert_eq!(page_small, page_large, "the action tracker page's statements grew with the actions");
    assert!(page_small <= act_small + 1, "action page {page_small}, whole list {act_small} statements");
    let large_review = latest_with_entries().await;
    let (one_large, _) = cost_of(review, large_review).await;
    let (chron_large, d) = cost_of(chronology, large_review).await;
    let large_entries = d["review"]["combinedChronology"]["filtered"].as_i64().unwrap();
    assert!(large_entries >= small_entries * 5, "{small_entries} then {large_entries} entries");
    assert_eq!(one_small, one_large, "one review's statements grew with the data");
    assert_eq!(chron_small, chron_large, "the chronology's statements grew with its entries");
    eprintln!("statements: one review {one_small}, combined chronology {chron_small}");
    assert!(large_n >= small_n + 10, "{small_n} then {large_n} actions");
    assert_eq!(dash_small, dash_large, "the dashboard's statements grew with the reviews");
    assert_eq!(
        act_small, act_large,
        "statements grew with actions: {act_small} for {small_n}, {act_large} for {large_n}"
    );
    eprintln!("statements: dashboard {dash_small}, actions {act_small}");
    // The caller, the reviews they see and their access, then one statement a table.
    assert!(dash_small <= 9 && act_small <= 8, "dashboard {dash_small}, actions {act_small} statements");
}

use sea_orm::EntityTrait;

async fn failed_sign_ins_slow_an_account_down_and_no_stranger_can_lock_it_out(b: Backend) {
    use backend::entities::login_failure;
    use backend::users::{LOGIN_FREE_FAILURES, LOGIN_MAX_DELAY_SECONDS};
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, QueryFilter};
    let app = TestApp::spawn(b).await;
    let login = "mutation($e:String!,$p:String!){login(email:$e,password:$p){token}}";
    let attempt = |email: &'static str, password: &'static str| {
        let app = &app;
        async move { app.gql(None, login, json!({"e": email, "p": password})).await }
    };
    // Age every recorded failure of `email` by `seconds`.
    let age = |email: &'static str, seconds: i64| {
        let app = &app;
        async move {
            let rows = login_failure::Entity::find()
                .filter(login_failure::Column::Email.eq(format!("sign-in:{email}")))
                .all(&app.db)
                .await
                .unwrap();
            for r in rows {
                login_failure::Entity::update_many()
                    .col_expr(
                        login_failure::Column::FailedAt,
                        Expr::value(r.failed_at - chrono::Duration::seconds(seconds)),
                    )
                    .filter(login_failure::Column::Id.eq(r.id))
                    .exec(&app.db)
                    .await
                    .unwrap();
            }
        }
    };
    for _ in 0..LOGIN_FREE_FAILURES {
        assert_eq!(code(&attempt("chair@scr.example", "guess").await), "UNAUTHENTICATED");
    }
    // The next attempt, even with the right password, waits a moment and says how long.
    let v = attempt("chair@scr.example", common::PASSWORD).await;
    assert_eq!(code(&v), "TOO_MANY_ATTEMPTS", "{v}");
    let wait = v["errors"][0]["extensions"]["retryAfter"].as_i64().unwrap();
    assert_eq!(wait, 1, "{v}");
    // A stranger keeps guessing: the delay doubles, but never beyond a minute.
    for _ in 0..12 {
        age("chair@scr.example", LOGIN_MAX_DELAY_SECONDS + 1).await;
        assert_eq!(code(&attempt("chair@scr.example", "guess").await), "UNAUTHENTICATED");
    }
    let v = attempt("chair@scr.example", common::PASSWORD).await;
    let wait = v["errors"][0]["extensions"]["retryAfter"].as_i64().unwrap();
    assert!((1..=LOGIN_MAX_DELAY_SECONDS).contains(&wait), "never a lock-out: {wait}");
    // A minute after the stranger's last guess the Chair is in, and the failures go.
    age("chair@scr.example", LOGIN_MAX_DELAY_SECONDS).await;
    assert!(attempt("chair@scr.example", common::PASSWORD).await["data"]["login"]["token"].is_string());
    let left = login_failure::Entity::find()
        .filter(login_failure::Column::Email.eq("sign-in:chair@scr.example"))
        .all(&app.db)
        .await
        .unwrap();
    assert!(left.is_empty(), "a successful sign-in clears the account's failures");
    // Another account is not affected; an unknown one is paced alike.
    assert!(attempt("manager@scr.example", common::PASSWORD).await["data"]["login"]["token"].is_string());
    for _ in 0..LOGIN_FREE_FAILURES {
        assert_eq!(code(&attempt("nobody@scr.example", "guess").await), "UNAUTHENTICATED");
    }
    assert_eq!(code(&attempt("nobody@scr.example", "guess").await), "TOO_MANY_ATTEMPTS");
    // Failures older than the window are removed by the next attempt of anyone.
    age("nobody@scr.example", backend::users::LOGIN_WINDOW_MINUTES * 60 + 1).await;
    attempt("manager@scr.example", common::PASSWORD).await;
    let old = login_failure::Entity::find()
        .filter(login_failure::Column::Email.eq("sign-in:nobody@scr.example"))
        .all(&app.db)
        .await
        .unwrap();
    assert!(old.is_empty(), "expired failures are removed: {old:?}");
}

/// Sixteen wrong passwords sent at the same moment: each attempt is reserved before its
/// password is checked, so only the free ones are checked and recorded; the rest wait.
async fn failed_sign_ins_sent_together_are_paced_like_one_after_another(b: Backend) {
    use backend::entities::login_failure;
    use sea_orm::{ColumnTrait, QueryFilter};
    let app = TestApp::spawn(b).await;
    let login = "mutation($e:String!,$p:String!){login(email:$e,password:$p){token}}";
    let all = futures::future::join_all(
        (0..16).map(|_| app.gql(None, login, json!({"e": "chair@scr.example", "p": "guess"}))),
    )
    .await;
    let codes: Vec<String> = all.iter().map(code).collect();
    let checked = codes.iter().filter(|c| *c == "UNAUTHENTICATED").count();
    assert!((1..=backend::users::LOGIN_FREE_FAILURES).contains(&checked), "{checked} passwords checked: {codes:?}");
    assert_eq!(checked + codes.iter().filter(|c| *c == "TOO_MANY_ATTEMPTS").count(), 16, "{codes:?}");
    let recorded = login_failure::Entity::find()
        .filter(login_failure::Column::Email.eq("sign-in:chair@scr.example"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(recorded.len(), checked, "refused attempts leave nothing behind");
}

on_both_databases!(
    security_headers_are_set_hsts_only_behind_tls_and_cors_is_closed,
    failed_sign_ins_slow_an_account_down_and_no_stranger_can_lock_it_out,
    failed_sign_ins_sent_together_are_paced_like_one_after_another,
    tokens_that_are_expired_forged_or_misaddressed_are_unauthenticated,
    the_external_identity_provider_signs_in_users_by_email,
    login_issues_a_fifteen_minute_token_and_refuses_bad_passwords_alike,
    every_demo_user_can_sign_in,
    limits_and_bad_requests_get_clear_answers_never_a_500,
    a_list_of_reviews_costs_the_same_statements_whatever_its_length,
    the_busiest_lists_cost_the_same_statements_whatever_the_data,
);
