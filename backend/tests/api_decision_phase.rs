//! The decision phase through the API, from referral to approved terms of reference,
//! on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Backend, TestApp, code, codes};
use serde_json::{Value, json};

const REFER: &str = r#"mutation($i: ReferralInput!) { submitReferral(input: $i) { id reference stage child { label name } deadlines { kind status } } }"#;

fn referral(board: i64, agencies: &[i64]) -> Value {
    json!({
        "child": { "relationship": "CHILD", "name": "Kacper Zielinski", "aliases": ["Kacpi"], "dateOfBirth": "2018-05-01", "address": "7 Wharf Street, Stockport" },
        "family": [{ "relationship": "MOTHER", "name": "Marta Zielinska" }, { "relationship": "ALLEGED_PERPETRATOR", "name": "Dean Holt" }],
        "circumstances": "Kacper was found unresponsive at home. Marta said Dean Holt had been looking after Kacpi.",
        "facts": { "childDied": true, "abuseOrNeglect": "SUSPECTED", "indicators": ["CHILD_PROTECTION_PLAN"] },
        "normalResidenceBoardId": board,
        "involvedAgencyIds": agencies,
    })
}

async fn directory(app: &TestApp, token: &str) -> (i64, Vec<i64>) {
    let d = app.ok(token, "{ boards { id name } agencies { id name } }", json!({})).await;
    let board =
        d["boards"].as_array().unwrap().iter().find(|b| b["name"].as_str().unwrap().starts_with("Stockport")).unwrap()
            ["id"]
            .as_i64()
            .unwrap();
    let agencies = d["agencies"].as_array().unwrap().iter().take(3).map(|a| a["id"].as_i64().unwrap()).collect();
    (board, agencies)
}

fn all_answers(text: &str) -> Value {
    Value::Array(
        (0..19)
            .map(|i| if i == 8 { json!({"notApplicable": true}) } else { json!({"text": format!("{text} {}", i + 1)}) })
            .collect(),
    )
}

async fn a_case_goes_from_referral_to_approved_terms_with_four_users(b: Backend) {
    let app = TestApp::spawn(b).await;
    let professional = app.login("professional@scr.example").await;
    let panel = app.login("panel@scr.example").await;
    let chair = app.login("chair@scr.example").await;
    let manager = app.login("manager@scr.example").await;
    let agency_manager = app.login("agency.manager@scr.example").await;
    let (board, agencies) = directory(&app, &professional).await;

    // 1. Referral.
    let d = app.ok(&professional, REFER, json!({"i": referral(board, &agencies)})).await;
    let r = &d["submitReferral"];
    let id = r["id"].as_i64().unwrap();
    assert_eq!(r["stage"], "REFERRED");
    assert!(r["reference"].as_str().unwrap().starts_with("SCR-"));
    assert_eq!(r["child"], json!({"label": "Child A", "name": "Kacper Zielinski"}));
    let kinds: Vec<&str> = r["deadlines"].as_array().unwrap().iter().map(|d| d["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["PANEL_RECOMMENDATION", "CHAIR_DECISION"]);

    // The panel sees the engine's proposal, then records its own view.
    let d = app
        .ok(&panel, "query($id:Int!){review(id:$id){referral{proposal{category reasons}}}}", json!({"id": id}))
        .await;
    assert_eq!(d["review"]["referral"]["proposal"]["category"], "MANDATORY");
    let d = app
        .ok(&panel, "mutation($id:Int!){recordCriteriaAssessment(reviewId:$id,category:MANDATORY,reasons:\"11.2 is met\"){stage criteriaAssessments{category engineCategory}}}", json!({"id": id}))
        .await;
    assert_eq!(d["recordCriteriaAssessment"]["stage"], "CRITERIA_ASSESSED");
    assert_eq!(d["recordCriteriaAssessment"]["criteriaAssessments"][0]["engineCategory"], "MANDATORY");

    // 3. Recommendation, with a draft of the terms of reference.
    let d = app
        .ok(&panel, "mutation($id:Int!){recordRecommendation(reviewId:$id,conduct:true,scope:\"Two years before the death\",reasons:\"Mandatory\"){stage deadlines{kind status metOn}}}", json!({"id": id}))
        .await;
    assert_eq!(d["recordRecommendation"]["stage"], "RECOMMENDED");
    assert_eq!(d["recordRecommendation"]["deadlines"][0]["status"], "MET");
    let save = "mutation($id:Int!,$v:Int!,$a:[TermsAnswerInput!]!){saveTermsOfReference(reviewId:$id,expectedVersion:$v,answers:$a){termsOfReference{version approved}}}";
    let d = app.ok(&panel, save, json!({"id": id, "v": 0, "a": all_answers("Draft")})).await;
    assert_eq!(d["saveTermsOfReference"]["termsOfReference"]["version"], 1);

    // 4. The Chair decides.
    let d = app.ok(&chair, "mutation($id:Int!){decideReview(reviewId:$id,conduct:true,reasons:\"Agreed\"){stage decidedOn deadlines{kind}}}", json!({"id": id})).await;
    assert_eq!(d["decideReview"]["stage"], "DECIDED");
    assert_eq!(d["decideReview"]["deadlines"].as_array().unwrap().len(), 5);

    // 5. Ofsted notified: the set-up checklist opens, with one records item per agency.
    let today = chrono::Utc::now().date_naive().to_string();
    let d = app
        .ok(&manager, "mutation($id:Int!,$d:NaiveDate!){recordOfstedNotification(reviewId:$id,sentOn:$d){stage setupChecklist{id item agencyId done}}}", json!({"id": id, "d": today}))
        .await;
    assert_eq!(d["recordOfstedNotification"]["stage"], "OFSTED_NOTIFIED");
    let items = d["recordOfstedNotification"]["setupChecklist"].as_array().unwrap().clone();
    assert_eq!(items.iter().filter(|i| i["item"] == "RECORDS_SECURED").count(), agencies.len());

    // 6. Set-up: completing too early names what is missing.
    let v = app.gql(Some(&manager), "mutation($id:Int!){completeSetUp(reviewId:$id){stage}}", json!({"id": id})).await;
    assert_eq!(code(&v), "VALIDATION");
    let fields: Vec<&str> = v["errors"][0]["extensions"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"appointments.panelChair") && fields.contains(&"appointments.overviewAuthor"),
        "{fields:?}"
    );

    let pc = app.user_id("independent.chair@scr.example").await;
    let oa = app.user_id("author@scr.example").await;
    let pm = app.user_id("panel.member@scr.example").await;
    let appoint = "mutation($id:Int!,$u:Int!,$a:Assignment!){appoint(reviewId:$id,userId:$u,assignment:$a){appointments{assignment name}}}";
    app.ok(&manager, appoint, json!({"id": id, "u": pc, "a": "PANEL_CHAIR"})).await;
    app.ok(&manager, appoint, json!({"id": id, "u": oa, "a": "OVERVIEW_AUTHOR"})).await;
    app.ok(&manager, appoint, json!({"id": id, "u": pm, "a": "PANEL_MEMBER"})).await;
    let police = agencies[0];
    for item in &items {
        let who = if item["item"] == "RECORDS_SECURED" && item["agencyId"] == json!(police) {
            &agency_manager
        } else {
            &manager
        };
        app.ok(
            who,
            "mutation($i:Int!){updateSetupChecklistItem(itemId:$i,done:true,note:\"Done\"){id}}",
            json!({"i": item["id"]}),
        )
        .await;
    }
    let d = app.ok(&manager, "mutation($id:Int!){completeSetUp(reviewId:$id){stage}}", json!({"id": id})).await;
    assert_eq!(d["completeSetUp"]["stage"], "SET_UP");

    // 7. The panel member edits the terms (from version 1), the Chair approves.
    let member = app.login("panel.member@scr.example").await;
    let d = app.ok(&member, save, json!({"id": id, "v": 1, "a": all_answers("Agreed")})).await;
    assert_eq!(d["saveTermsOfReference"]["termsOfReference"]["version"], 2);
    let d = app
        .ok(&chair, "mutation($id:Int!){approveTermsOfReference(reviewId:$id,version:2){stage termsOfReference{version approved answers{number notApplicable}}}}", json!({"id": id}))
        .await;
    let approved = &d["approveTermsOfReference"];
    assert_eq!(approved["stage"], "TERMS_AGREED");
    assert_eq!(approved["termsOfReference"]["approved"], true);
    assert_eq!(approved["termsOfReference"]["answers"][8]["notApplicable"], true);
    let d = app
        .ok(&manager, "mutation($id:Int!,$d:NaiveDate!){recordTermsSentToOfsted(reviewId:$id,sentOn:$d){ofstedNotification{termsSentOn} deadlines{kind status}}}", json!({"id": id, "d": today}))
        .await;
    let dl = d["recordTermsSentToOfsted"]["deadlines"].as_array().unwrap();
    assert_eq!(dl.iter().find(|x| x["kind"] == "TERMS_TO_OFSTED").unwrap()["status"], "MET");

    // Version 1 is still readable.
    let d = app
        .ok(
            &chair,
            "query($id:Int!){review(id:$id){termsOfReference(version:1){answers{text}} termsOfReferenceVersions}}",
            json!({"id": id}),
        )
        .await;
    assert_eq!(d["review"]["termsOfReference"]["answers"][0]["text"], "Draft 1");
    assert_eq!(d["review"]["termsOfReferenceVersions"], json!([1, 2]));

    // Every mutation left an audit entry.
    let d = app.ok(&chair, "query($id:Int!){review(id:$id){auditTrail{operation actorId}}}", json!({"id": id})).await;
    let ops: Vec<&str> =
        d["review"]["auditTrail"].as_array().unwrap().iter().map(|e| e["operation"].as_str().unwrap()).collect();
    for op in [
        "submit_referral",
        "record_assessment",
        "record_recommendation",
        "decide_review",
        "record_ofsted_notification",
        "appoint",
        "update_setup_checklist",
        "confirm_records_secured",
        "edit_terms_of_reference",
        "approve_terms_of_reference",
        "record_terms_sent",
    ] {
        assert!(ops.contains(&op), "no audit entry for {op}: {ops:?}");
    }
}

async fn a_stale_terms_of_reference_edit_is_refused_and_nothing_is_overwritten(b: Backend) {
    let app = TestApp::spawn(b).await;
    let id = app.review_at("SET_UP").await;
    let panel = app.login("panel@scr.example").await;
    let member = app.login("panel.member@scr.example").await;
    let save = "mutation($id:Int!,$v:Int!,$a:[TermsAnswerInput!]!){saveTermsOfReference(reviewId:$id,expectedVersion:$v,answers:$a){termsOfReference{version}}}";
    // Both start from version 0; the first save wins.
    app.ok(&panel, save, json!({"id": id, "v": 0, "a": all_answers("First")})).await;
    let v = app.gql(Some(&member), save, json!({"id": id, "v": 0, "a": all_answers("Second")})).await;
    assert_eq!(code(&v), "CONFLICT");
    assert_eq!(v["errors"][0]["extensions"]["currentVersion"], 1);
    let chair = app.login("chair@scr.example").await;
    let d = app
        .ok(&chair, "query($id:Int!){review(id:$id){termsOfReference{version answers{text}}}}", json!({"id": id}))
        .await;
    assert_eq!(d["review"]["termsOfReference"]["version"], 1);
    assert_eq!(d["review"]["termsOfReference"]["answers"][0]["text"], "First 1");
    // Approving a version that is not the latest is a conflict too.
    let v = app
        .gql(
            Some(&chair),
            "mutation($id:Int!){approveTermsOfReference(reviewId:$id,version:7){stage}}",
            json!({"id": id}),
        )
        .await;
    assert_eq!(code(&v), "CONFLICT");
}

async fn approval_needs_every_question_answered_or_not_applicable(b: Backend) {
    let app = TestApp::spawn(b).await;
    let id = app.review_at("SET_UP").await;
    let panel = app.login("panel@scr.example").await;
    let mut answers = all_answers("x");
    answers[4] = json!({});
    app.ok(&panel, "mutation($id:Int!,$a:[TermsAnswerInput!]!){saveTermsOfReference(reviewId:$id,expectedVersion:0,answers:$a){id}}", json!({"id": id, "a": answers})).await;
    let chair = app.login("chair@scr.example").await;
    let v = app
        .gql(
            Some(&chair),
            "mutation($id:Int!){approveTermsOfReference(reviewId:$id,version:1){stage}}",
            json!({"id": id}),
        )
        .await;
    assert_eq!(code(&v), "VALIDATION");
    assert_eq!(v["errors"][0]["extensions"]["field"], "answers.4");
}

async fn a_step_out_of_turn_is_refused_naming_the_stage(b: Backend) {
    let app = TestApp::spawn(b).await;
    let id = app.review_at("REFERRED").await;
    let chair = app.login("chair@scr.example").await;
    let v = app
        .gql(
            Some(&chair),
            "mutation($id:Int!){decideReview(reviewId:$id,conduct:true,reasons:\"x\"){stage}}",
            json!({"id": id}),
        )
        .await;
    assert_eq!(code(&v), "WRONG_STAGE");
    assert_eq!(v["errors"][0]["extensions"]["stage"], "REFERRED");
    // The wrong role is refused before the stage is considered.
    let manager = app.login("manager@scr.example").await;
    let v = app
        .gql(
            Some(&manager),
            "mutation($id:Int!){decideReview(reviewId:$id,conduct:true,reasons:\"x\"){stage}}",
            json!({"id": id}),
        )
        .await;
    assert_eq!(code(&v), "FORBIDDEN");
}

async fn bad_referral_input_names_every_field_and_stores_nothing(b: Backend) {
    let app = TestApp::spawn(b).await;
    let professional = app.login("professional@scr.example").await;
    let (board, _) = directory(&app, &professional).await;
    let mut input = referral(board, &[]);
    input["child"]["name"] = json!("   ");
    input["child"]["dateOfBirth"] = json!("2999-01-01");
    input["circumstances"] = json!("");
    let before = app.ok(&professional, "{reviews{id}}", json!({})).await["reviews"].as_array().unwrap().len();
    let v = app.gql(Some(&professional), REFER, json!({"i": input})).await;
    assert_eq!(code(&v), "VALIDATION");
    let fields: Vec<&str> = v["errors"][0]["extensions"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    for f in ["child.name", "child.dateOfBirth", "circumstances", "involvedAgencyIds"] {
        assert!(fields.contains(&f), "{f} missing from {fields:?}");
    }
    let after = app.ok(&professional, "{reviews{id}}", json!({})).await["reviews"].as_array().unwrap().len();
    assert_eq!(before, after);
    // A malformed date or enum is a GraphQL validation error, never a 500.
    let (status, v) = app
        .post(Some(&professional), json!({"query": REFER, "variables": {"i": {"child": {"relationship": "KING"}}}}))
        .await;
    assert_eq!(status, axum::http::StatusCode::OK);
    assert!(v["errors"].is_array());
}

async fn an_appointment_that_fails_independence_is_refused_with_every_reason(b: Backend) {
    let app = TestApp::spawn(b).await;
    let id = app.review_at("OFSTED_NOTIFIED").await;
    let manager = app.login("manager@scr.example").await;
    let appoint = "mutation($id:Int!,$u:Int!,$a:Assignment!){appoint(reviewId:$id,userId:$u,assignment:$a){id}}";
    // The Board Chair is on the board.
    let chair = app.user_id("chair@scr.example").await;
    let v = app.gql(Some(&manager), appoint, json!({"id": id, "u": chair, "a": "OVERVIEW_AUTHOR"})).await;
    assert_eq!(code(&v), "VALIDATION");
    let msgs: Vec<&str> = v["errors"][0]["extensions"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        msgs.iter().any(|m| m.contains("Board Chair")) && msgs.iter().any(|m| m.contains("on the board")),
        "{msgs:?}"
    );
    // A professional employed by an involved agency cannot chair the panel.
    let member = app.user_id("panel.member@scr.example").await;
    let v = app.gql(Some(&manager), appoint, json!({"id": id, "u": member, "a": "PANEL_CHAIR"})).await;
    assert_eq!(code(&v), "VALIDATION");
    assert!(v["errors"][0]["message"].as_str().unwrap().contains("employed by an agency involved"));
    // Nothing was appointed.
    let c = app.login("chair@scr.example").await;
    let d = app.ok(&c, "query($id:Int!){review(id:$id){appointments{id}}}", json!({"id": id})).await;
    assert_eq!(d["review"]["appointments"], json!([]));
}

async fn a_case_not_taken_to_review_is_closed_once_ofsted_has_the_reasons(b: Backend) {
    let app = TestApp::spawn(b).await;
    let chair = app.login("chair@scr.example").await;
    let d = app
        .ok(
            &chair,
            "{reviews(stage:CLOSED_WITHOUT_REVIEW){id decision{conduct outcome} ofstedNotification{reasons}}}",
            json!({}),
        )
        .await;
    let r = &d["reviews"][0];
    assert_eq!(r["decision"]["outcome"], "SMALL_SCALE_AUDIT");
    assert!(r["ofstedNotification"]["reasons"].as_str().unwrap().contains("not met"));
    // Without reasons, the notification of a no-review decision is refused.
    let id = app.review_at("RECOMMENDED").await;
    let manager = app.login("manager@scr.example").await;
    app.ok(&chair, "mutation($id:Int!){decideReview(reviewId:$id,conduct:false,outcome:NO_FURTHER_ACTION,reasons:\"Not met\"){stage}}", json!({"id": id})).await;
    let today = chrono::Utc::now().date_naive().to_string();
    let v = app
        .gql(
            Some(&manager),
            "mutation($id:Int!,$d:NaiveDate!){recordOfstedNotification(reviewId:$id,sentOn:$d){stage}}",
            json!({"id": id, "d": today}),
        )
        .await;
    assert_eq!(code(&v), "VALIDATION", "{v}");
    assert_eq!(v["errors"][0]["extensions"]["field"], "reasons");
}

async fn deadlines_at_risk_or_overdue_are_listed_for_the_caller(b: Backend) {
    let app = TestApp::spawn(b).await;
    let panel = app.login("panel@scr.example").await;
    let d = app.ok(&panel, "{myDeadlines{review{reference} deadline{kind status daysLeft}}}", json!({})).await;
    let list = d["myDeadlines"].as_array().unwrap();
    assert!(list.iter().any(|x| x["deadline"]["status"] == "OVERDUE"), "{list:?}");
    assert!(list.iter().any(|x| x["deadline"]["status"] == "AT_RISK"), "{list:?}");
    assert!(list.iter().all(|x| x["deadline"]["status"] == "OVERDUE" || x["deadline"]["status"] == "AT_RISK"));
    // The Chair may extend one, with a reason; the history is kept.
    let overdue = list.iter().find(|x| x["deadline"]["status"] == "OVERDUE").unwrap();
    let chair = app.login("chair@scr.example").await;
    let reviews = app.ok(&chair, "{reviews{id reference}}", json!({})).await;
    let id = reviews["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["reference"] == overdue["review"]["reference"])
        .unwrap()["id"]
        .clone();
    let far = (chrono::Utc::now().date_naive() + chrono::Duration::days(60)).to_string();
    let q = "mutation($id:Int!,$k:DeadlineKind!,$d:NaiveDate!,$r:String!){extendDeadline(reviewId:$id,kind:$k,dueOn:$d,reason:$r){deadlines{kind dueOn originalDueOn status extensions{reason}}}}";
    let v = app.gql(Some(&chair), q, json!({"id": id, "k": overdue["deadline"]["kind"], "d": far, "r": " "})).await;
    assert_eq!(code(&v), "VALIDATION", "{v}");
    let d = app
        .ok(&chair, q, json!({"id": id, "k": overdue["deadline"]["kind"], "d": far, "r": "Awaiting police disclosure"}))
        .await;
    let dl = d["extendDeadline"]["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["kind"] == overdue["deadline"]["kind"])
        .unwrap()
        .clone();
    assert_eq!(dl["dueOn"], far);
    assert_ne!(dl["originalDueOn"], far);
    assert_eq!(dl["status"], "ON_TRACK");
    assert_eq!(dl["extensions"][0]["reason"], "Awaiting police disclosure");
    // Only the Chair may extend.
    let v = app.gql(Some(&panel), q, json!({"id": id, "k": overdue["deadline"]["kind"], "d": far, "r": "x"})).await;
    assert_eq!(codes(&v), ["FORBIDDEN"]);
}

async fn a_label_that_holds_a_name_is_refused(b: Backend) {
    let app = TestApp::spawn(b).await;
    let professional = app.login("professional@scr.example").await;
    let (board, agencies) = directory(&app, &professional).await;
    let mut input = referral(board, &agencies);
    input["family"][0]["label"] = json!("Marta's mum");
    let v = app.gql(Some(&professional), REFER, json!({"i": input})).await;
    assert_eq!(code(&v), "VALIDATION");
    assert_eq!(v["errors"][0]["extensions"]["field"], "family.0.label");
}

async fn set_up_steps_cannot_be_undone_or_doubled(b: Backend) {
    let app = TestApp::spawn(b).await;
    let manager = app.login("manager@scr.example").await;
    // A finished checklist cannot be unticked.
    let id = app.review_at("SET_UP").await;
    let d = app.ok(&manager, "query($id:Int!){review(id:$id){setupChecklist{id note}}}", json!({"id": id})).await;
    let item = d["review"]["setupChecklist"][0].clone();
    let untick = "mutation($i:Int!,$d:Boolean!){updateSetupChecklistItem(itemId:$i,done:$d){id}}";
    let v = app.gql(Some(&manager), untick, json!({"i": item["id"], "d": false})).await;
    assert_eq!(code(&v), "VALIDATION");
    // Ticking again without a note keeps the note written before.
    app.ok(&manager, untick, json!({"i": item["id"], "d": true})).await;
    let d = app.ok(&manager, "query($id:Int!){review(id:$id){setupChecklist{id note}}}", json!({"id": id})).await;
    assert_eq!(d["review"]["setupChecklist"][0]["note"], item["note"]);
    // The overview author cannot also sit on the panel, in either order.
    let author = app.user_id("author@scr.example").await;
    let v = app
        .gql(
            Some(&manager),
            "mutation($id:Int!,$u:Int!){appoint(reviewId:$id,userId:$u,assignment:PANEL_MEMBER){id}}",
            json!({"id": id, "u": author}),
        )
        .await;
    assert_eq!(code(&v), "VALIDATION");
    assert!(v["errors"][0]["message"].as_str().unwrap().contains("overview author"), "{v}");
    // The terms cannot be recorded as sent before they are approved, nor twice.
    let agreed = app.review_at("TERMS_AGREED").await;
    let sent = "mutation($id:Int!,$d:NaiveDate!){recordTermsSentToOfsted(reviewId:$id,sentOn:$d){id}}";
    let yesterday = (chrono::Utc::now().date_naive() - chrono::Duration::days(1)).to_string();
    let today = chrono::Utc::now().date_naive().to_string();
    assert_eq!(code(&app.gql(Some(&manager), sent, json!({"id": agreed, "d": yesterday})).await), "VALIDATION");
    app.ok(&manager, sent, json!({"id": agreed, "d": today})).await;
    assert_eq!(code(&app.gql(Some(&manager), sent, json!({"id": agreed, "d": today})).await), "VALIDATION");
}

async fn a_scope_belongs_only_to_a_recommended_review(b: Backend) {
    let app = TestApp::spawn(b).await;
    let id = app.review_at("CRITERIA_ASSESSED").await;
    let panel = app.login("panel@scr.example").await;
    let v = app
        .gql(
            Some(&panel),
            "mutation($id:Int!){recordRecommendation(reviewId:$id,conduct:false,alternative:IMRS_ONLY,scope:\"Two years\",reasons:\"x\"){id}}",
            json!({"id": id}),
        )
        .await;
    assert_eq!(code(&v), "VALIDATION");
    assert_eq!(v["errors"][0]["extensions"]["field"], "scope");
}

on_both_databases!(
    a_label_that_holds_a_name_is_refused,
    set_up_steps_cannot_be_undone_or_doubled,
    a_scope_belongs_only_to_a_recommended_review,
    a_case_goes_from_referral_to_approved_terms_with_four_users,
    a_stale_terms_of_reference_edit_is_refused_and_nothing_is_overwritten,
    approval_needs_every_question_answered_or_not_applicable,
    a_step_out_of_turn_is_refused_naming_the_stage,
    bad_referral_input_names_every_field_and_stores_nothing,
    an_appointment_that_fails_independence_is_refused_with_every_reason,
    a_case_not_taken_to_review_is_closed_once_ofsted_has_the_reasons,
    deadlines_at_risk_or_overdue_are_listed_for_the_caller,
);
