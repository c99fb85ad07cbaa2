//! Today's statutory route through the API, on SQLite and PostgreSQL: a board that
//! moves to the 2023 procedure runs serious incidents through notification and rapid
//! review to either no further review (learning recorded) or a local child
//! safeguarding practice review through to publication, every clock in working days,
//! each step by the right user on the day it happened; its reviews under way keep the
//! 2010 procedure.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::{Duration, NaiveDate, Utc};
use common::{Backend, TestApp, code};
use serde_json::{Value, json};
use shared::calendar::Calendar;

const REFER: &str =
    r#"mutation($i: ReferralInput!) { submitReferral(input: $i) { id reference procedure stage stageTitle } }"#;
const STATE: &str = r#"query($id: Int!) { review(id: $id) { stage stageTitle stageNumber procedure deadlines { kind startsOn dueOn metOn status } tasks { task status } rapidReview { notifiedOn meetingOn meetingNotes commission reasons decidedOn sentOn panelResponse learning commissionedOn information { agency returnedOn summary } } } }"#;

fn day(n: i64) -> NaiveDate {
    Utc::now().date_naive() - Duration::days(n)
}

fn ago(n: i64) -> String {
    day(n).to_string()
}

fn field(v: &Value) -> String {
    v["errors"][0]["extensions"]["field"].as_str().unwrap_or_default().to_owned()
}

fn deadline<'a>(review: &'a Value, kind: &str) -> &'a Value {
    review["deadlines"].as_array().unwrap().iter().find(|d| d["kind"] == kind).unwrap_or_else(|| panic!("{kind}"))
}

fn task<'a>(review: &'a Value, t: &str) -> &'a str {
    review["tasks"].as_array().unwrap().iter().find(|x| x["task"] == t).unwrap()["status"].as_str().unwrap()
}

struct Route {
    app: TestApp,
    id: i64,
    manager: String,
    chair: String,
    agencies: [i32; 3],
}

impl Route {
    async fn state(&self) -> Value {
        self.app.ok(&self.manager, STATE, json!({"id": self.id})).await["review"].clone()
    }
}

/// The Stockport board moves to the 2023 procedure and a serious incident is reported,
/// the local authority having become aware of it twelve days ago.
async fn reported(b: Backend) -> Route {
    let app = TestApp::spawn(b).await;
    let admin = app.login("admin@scr.example").await;
    let professional = app.login("professional@scr.example").await;
    let manager = app.login("manager@scr.example").await;
    let chair = app.login("chair@scr.example").await;
    let d = app.ok(&admin, "{ boards { id name } agencies { id name } }", json!({})).await;
    let home =
        d["boards"].as_array().unwrap().iter().find(|b| b["name"].as_str().unwrap().starts_with("Stockport")).unwrap()
            ["id"]
            .as_i64()
            .unwrap();
    let agency = |n: &str| {
        d["agencies"].as_array().unwrap().iter().find(|a| a["name"] == n).unwrap()["id"].as_i64().unwrap() as i32
    };
    let agencies = [
        agency("Greater Manchester Police"),
        agency("Stockport NHS Foundation Trust"),
        agency("Stockport Children's Social Care"),
    ];

    // A review already under way stays on the 2010 procedure.
    let old = app.review_at("RECOMMENDED").await;
    let v = app
        .ok(
            &admin,
            "mutation($b:Int!){setBoardProcedure(boardId:$b,procedure:PRACTICE_REVIEW_2023){procedure}}",
            json!({"b": home}),
        )
        .await;
    assert_eq!(v["setBoardProcedure"]["procedure"], "PRACTICE_REVIEW_2023");
    let v = app.ok(&chair, STATE, json!({"id": old})).await;
    assert_eq!(v["review"]["procedure"], "SERIOUS_CASE_REVIEW_2010");
    assert_eq!(task(&v["review"], "DECISION"), "NOT_STARTED");
    // Only an administrator chooses a board's procedure.
    let v = app
        .gql(
            Some(&chair),
            "mutation($b:Int!){setBoardProcedure(boardId:$b,procedure:PRACTICE_REVIEW_2023){procedure}}",
            json!({"b": home}),
        )
        .await;
    assert_eq!(code(&v), "FORBIDDEN", "{v}");

    let input = json!({
        "child": { "relationship": "CHILD", "name": "Ellie Marsh", "dateOfBirth": "2022-02-02" },
        "family": [{ "relationship": "MOTHER", "name": "Gemma Marsh" }],
        "circumstances": "Ellie was admitted with a head injury; her mother's partner gave no explanation.",
        "facts": { "harm": ["LIFE_THREATENING_INJURY"], "abuseOrNeglect": "SUSPECTED", "interAgencyConcern": true },
        "normalResidenceBoardId": home,
        "involvedAgencyIds": agencies,
        "receivedOn": ago(12),
    });
    let r = app.ok(&professional, REFER, json!({"i": input})).await["submitReferral"].clone();
    assert_eq!(r["procedure"], "PRACTICE_REVIEW_2023");
    assert_eq!((r["stage"].as_str(), r["stageTitle"].as_str()), (Some("REFERRED"), Some("Serious incident reported")));
    assert!(r["reference"].as_str().unwrap().starts_with("CSPR-"), "{r}");
    let route = Route { id: r["id"].as_i64().unwrap(), app, manager, chair, agencies };
    let s = route.state().await;
    // Notify within 5 working days of becoming aware.
    let notify = deadline(&s, "INCIDENT_NOTIFICATION");
    let cal = Calendar::england_and_wales();
    assert_eq!(notify["dueOn"], cal.add_working_days(day(12), 5).to_string());
    assert_eq!(s["deadlines"].as_array().unwrap().len(), 1, "no 2010 deadline: {s}");
    assert_eq!(task(&s, "INCIDENT"), "NOT_STARTED");
    // It waits on the business manager's queue for the notification, not on the Chair's.
    let queue = "query($q:Queue!){queuePage(queue:$q){reviews{id}}}";
    let on = |v: &Value, id: i64| v["queuePage"]["reviews"].as_array().unwrap().iter().any(|r| r["id"] == id);
    assert!(on(&route.app.ok(&route.manager, queue, json!({"q": "MANAGER"})).await, route.id));
    assert!(!on(&route.app.ok(&route.chair, queue, json!({"q": "CHAIR"})).await, route.id));
    route
}

/// Notification, information, meeting, decision, sent, the National Panel's response.
async fn to_the_panels_response(r: &Route, commission: bool) {
    let (app, id) = (&r.app, r.id);
    let panel = app.login("panel@scr.example").await;
    let police = app.login("agency.manager@scr.example").await;
    let health = app.login("health.manager@scr.example").await;
    let social = app.login("social.manager@scr.example").await;

    // A 2010 step has no place in this procedure.
    let v = app
        .gql(
            Some(&panel),
            "mutation($id:Int!){recordCriteriaAssessment(reviewId:$id,category:MANDATORY,reasons:\"x\"){id}}",
            json!({"id": id}),
        )
        .await;
    assert_eq!(code(&v), "WRONG_STAGE", "{v}");
    // Out of turn, and by the wrong person.
    let request = "mutation($id:Int!,$d:NaiveDate){requestRapidReviewInformation(reviewId:$id,requestedOn:$d){stage}}";
    let v = app.gql(Some(&r.manager), request, json!({"id": id, "d": ago(9)})).await;
    assert_eq!(code(&v), "WRONG_STAGE", "{v}");
    let notify = "mutation($id:Int!,$d:NaiveDate){notifyNationalPanel(reviewId:$id,sentOn:$d){stage}}";
    let v = app.gql(Some(&r.chair), notify, json!({"id": id, "d": ago(10)})).await;
    assert_eq!(code(&v), "FORBIDDEN", "{v}");
    // Not before the incident was known, not tomorrow.
    for bad in [ago(13), ago(-1)] {
        let v = app.gql(Some(&r.manager), notify, json!({"id": id, "d": bad})).await;
        assert_eq!((code(&v), field(&v)), ("VALIDATION".to_owned(), "sentOn".to_owned()), "{bad}: {v}");
    }
    app.ok(&r.manager, notify, json!({"id": id, "d": ago(10)})).await;
    let s = r.state().await;
    assert_eq!(s["stage"], "INCIDENT_NOTIFIED");
    assert_eq!(deadline(&s, "INCIDENT_NOTIFICATION")["status"], "MET");
    // The rapid review: 15 working days from the notification, bank holidays skipped.
    let rr = deadline(&s, "RAPID_REVIEW");
    assert_eq!(rr["startsOn"], ago(10));
    assert_eq!(rr["dueOn"], Calendar::england_and_wales().add_working_days(day(10), 15).to_string());

    app.ok(&r.manager, request, json!({"id": id, "d": ago(9)})).await;
    let give = "mutation($id:Int!,$a:Int!,$s:String!,$d:NaiveDate){returnRapidReviewInformation(reviewId:$id,agencyId:$a,summary:$s,returnedOn:$d){stage}}";
    app.ok(
        &police,
        give,
        json!({"id": id, "a": r.agencies[0], "s": "Two call-outs to the home in March.", "d": ago(7)}),
    )
    .await;
    // An agency manager returns only their own agency's information.
    let v = app.gql(Some(&police), give, json!({"id": id, "a": r.agencies[1], "s": "Not ours.", "d": ago(7)})).await;
    assert_eq!(code(&v), "FORBIDDEN", "{v}");
    app.ok(&health, give, json!({"id": id, "a": r.agencies[1], "s": "Health visitor saw a bruise.", "d": ago(6)}))
        .await;
    // The meeting waits for every agency's information, and names who is missing.
    let meet =
        "mutation($id:Int!,$n:String!,$d:NaiveDate){recordRapidReviewMeeting(reviewId:$id,notes:$n,heldOn:$d){stage}}";
    let v = app.gql(Some(&r.manager), meet, json!({"id": id, "n": "Met.", "d": ago(5)})).await;
    assert_eq!(field(&v), "information", "{v}");
    assert!(v["errors"][0]["message"].as_str().unwrap().contains("Children"), "{v}");
    app.ok(&social, give, json!({"id": id, "a": r.agencies[2], "s": "Open to early help.", "d": ago(5)})).await;
    let v = app.gql(Some(&r.manager), meet, json!({"id": id, "n": "Met.", "d": ago(6)})).await;
    assert_eq!(field(&v), "heldOn", "before the last agency's information: {v}");
    app.ok(
        &r.manager,
        meet,
        json!({"id": id, "n": "All three agencies attended; the facts were agreed.", "d": ago(4)}),
    )
    .await;
    // Now the partners' decision waits on the Chair's queue.
    let v = app.ok(&r.chair, "query{queuePage(queue:CHAIR){reviews{id}}}", json!({})).await;
    assert!(v["queuePage"]["reviews"].as_array().unwrap().iter().any(|x| x["id"] == id), "{v}");

    let decide = "mutation($id:Int!,$c:Boolean!,$r:String!,$d:NaiveDate){decideRapidReview(reviewId:$id,commission:$c,reasons:$r,decidedOn:$d){stage}}";
    let reasons = if commission {
        "Two agencies missed the same signs: the criteria for a local review are met."
    } else {
        "The learning is clear from the rapid review; a local review would add nothing."
    };
    let v = app.gql(Some(&r.manager), decide, json!({"id": id, "c": commission, "r": reasons, "d": ago(3)})).await;
    assert_eq!(code(&v), "FORBIDDEN", "the partners decide, through the Chair: {v}");
    let v = app.gql(Some(&r.chair), decide, json!({"id": id, "c": commission, "r": " ", "d": ago(3)})).await;
    assert_eq!(field(&v), "reasons", "{v}");
    app.ok(&r.chair, decide, json!({"id": id, "c": commission, "r": reasons, "d": ago(3)})).await;

    let send = "mutation($id:Int!,$d:NaiveDate){sendRapidReview(reviewId:$id,sentOn:$d){stage}}";
    app.ok(&r.manager, send, json!({"id": id, "d": ago(2)})).await;
    let s = r.state().await;
    assert_eq!(deadline(&s, "RAPID_REVIEW")["metOn"], ago(2));
    assert_eq!(deadline(&s, "RAPID_REVIEW")["status"], "MET");
    assert_eq!(task(&s, "RAPID_REVIEW"), "COMPLETED");
    let respond = "mutation($id:Int!,$t:String!,$d:NaiveDate){recordPanelResponse(reviewId:$id,response:$t,receivedOn:$d){stage stageTitle}}";
    let v = app.gql(Some(&r.manager), respond, json!({"id": id, "t": "Agreed.", "d": ago(3)})).await;
    assert_eq!(field(&v), "receivedOn", "before it was sent: {v}");
    let v = app
        .ok(&r.manager, respond, json!({"id": id, "t": "The Panel agrees with the partners' decision.", "d": ago(1)}))
        .await;
    assert_eq!(v["recordPanelResponse"]["stageTitle"], "National Panel's response recorded");
}

async fn a_rapid_review_decided_with_no_further_review(b: Backend) {
    let r = reported(b).await;
    to_the_panels_response(&r, false).await;
    let (app, id) = (&r.app, r.id);
    let learn = "mutation($id:Int!,$l:String!){recordLearning(reviewId:$id,learning:$l){stage}}";
    let v = app.gql(Some(&r.manager), learn, json!({"id": id, "l": "x"})).await;
    assert_eq!(code(&v), "FORBIDDEN", "{v}");
    let v = app.gql(Some(&r.chair), learn, json!({"id": id, "l": "  "})).await;
    assert_eq!(field(&v), "learning", "{v}");
    app.ok(
        &r.chair,
        learn,
        json!({"id": id, "l": "Repeat call-outs to a home with a baby are shared with health visiting."}),
    )
    .await;
    let s = r.state().await;
    assert_eq!(s["stage"], "CLOSED_WITH_LEARNING");
    assert_eq!(task(&s, "COMMISSIONING"), "COMPLETED");
    assert_eq!(task(&s, "IMRS"), "NOT_NEEDED");
    let rr = &s["rapidReview"];
    assert_eq!(rr["commission"], false);
    assert_eq!(rr["notifiedOn"], ago(10));
    assert_eq!(rr["information"].as_array().unwrap().len(), 3);
    assert!(rr["learning"].as_str().unwrap().contains("health visiting"));
    // The documents the procedure expects, as far as this case went: the final report
    // of a local review is not expected of a case closed with its learning.
    let docs = app
        .ok(&r.chair, "query($id:Int!){review(id:$id){documentsExpected{document byStage reached}}}", json!({"id": id}))
        .await;
    let docs = docs["review"]["documentsExpected"].as_array().unwrap().clone();
    let expected = |d: &str| docs.iter().find(|x| x["document"] == d).map(|x| x["reached"].clone());
    assert_eq!(expected("The National Panel's response"), Some(json!(true)), "{docs:?}");
    assert_eq!(expected("The learning identified by the rapid review"), Some(json!(true)), "{docs:?}");
    assert_eq!(expected("The final report"), None, "{docs:?}");
    // The board's report counts both procedures, and the 2023 clocks as they went.
    let report = app
        .ok(&r.chair, "{report{reviewsByProcedure{label count} clocks{kind met metOnTime overdue}}}", json!({}))
        .await;
    let by = report["report"]["reviewsByProcedure"].as_array().unwrap();
    let count =
        |p: &str| by.iter().find(|c| c["label"].as_str().unwrap().starts_with(p)).map(|c| c["count"].as_i64().unwrap());
    assert_eq!(count("Rapid review and local"), Some(1), "{report}");
    assert!(count("Serious Case Review").unwrap() > 1, "{report}");
    let clocks = report["report"]["clocks"].as_array().unwrap();
    let clock = |k: &str| clocks.iter().find(|c| c["kind"] == k).unwrap().clone();
    assert_eq!(
        clock("INCIDENT_NOTIFICATION"),
        json!({"kind": "INCIDENT_NOTIFICATION", "met": 1, "metOnTime": 1, "overdue": 0})
    );
    assert_eq!(clock("RAPID_REVIEW"), json!({"kind": "RAPID_REVIEW", "met": 1, "metOnTime": 1, "overdue": 0}));
    assert_eq!(clock("LOCAL_REVIEW_PUBLICATION")["met"], 0);
    // Closed: nothing further can be commissioned.
    let v =
        app.gql(Some(&r.chair), "mutation($id:Int!){commissionReview(reviewId:$id){stage}}", json!({"id": id})).await;
    assert_eq!(code(&v), "WRONG_STAGE", "{v}");
}

async fn a_rapid_review_becomes_a_local_review_through_to_publication(b: Backend) {
    let r = reported(b).await;
    to_the_panels_response(&r, true).await;
    let (app, id) = (&r.app, r.id);
    app.ok(
        &r.chair,
        "mutation($id:Int!,$d:NaiveDate){commissionReview(reviewId:$id,commissionedOn:$d){stage}}",
        json!({"id": id, "d": ago(0)}),
    )
    .await;
    let s = r.state().await;
    assert_eq!(s["stage"], "REVIEW_COMMISSIONED");
    let publication = deadline(&s, "LOCAL_REVIEW_PUBLICATION");
    assert_eq!(publication["dueOn"], (day(0).checked_add_months(chrono::Months::new(6)).unwrap()).to_string());

    // Reviewers appointed, with the independence checks: the Board Chair cannot write it.
    let appoint = "mutation($id:Int!,$u:Int!,$a:Assignment!){appoint(reviewId:$id,userId:$u,assignment:$a){id}}";
    let chair_id = app.user_id("chair@scr.example").await;
    let v = app.gql(Some(&r.manager), appoint, json!({"id": id, "u": chair_id, "a": "OVERVIEW_AUTHOR"})).await;
    assert_eq!(code(&v), "VALIDATION", "{v}");
    for (email, a) in [
        ("independent.chair@scr.example", "PANEL_CHAIR"),
        ("author@scr.example", "OVERVIEW_AUTHOR"),
        ("panel.member@scr.example", "PANEL_MEMBER"),
    ] {
        app.ok(&r.manager, appoint, json!({"id": id, "u": app.user_id(email).await, "a": a})).await;
    }
    // Terms agreed.
    let answers: Vec<Value> = (0..19)
        .map(|i| if i == 8 { json!({"notApplicable": true}) } else { json!({"text": format!("Agreed {}", i + 1)}) })
        .collect();
    let save = "mutation($id:Int!,$v:Int!,$a:[TermsAnswerInput!]!){saveTermsOfReference(reviewId:$id,expectedVersion:$v,answers:$a){id}}";
    let panel_member = app.login("panel.member@scr.example").await;
    app.ok(&panel_member, save, json!({"id": id, "v": 0, "a": answers})).await;
    // The Chair approved the terms the day the review was commissioned, not before.
    let approve_terms =
        "mutation($id:Int!,$d:NaiveDate){approveTermsOfReference(reviewId:$id,version:1,approvedOn:$d){stage}}";
    let v = app.gql(Some(&r.chair), approve_terms, json!({"id": id, "d": ago(1)})).await;
    assert_eq!(field(&v), "approvedOn", "before the commissioning: {v}");
    app.ok(&r.chair, approve_terms, json!({"id": id, "d": ago(0)})).await;
    let terms =
        app.ok(&r.chair, "query($id:Int!){review(id:$id){termsOfReference{approvedOn}}}", json!({"id": id})).await;
    assert_eq!(terms["review"]["termsOfReference"]["approvedOn"], ago(0));
    let s = r.state().await;
    assert_eq!(s["stage"], "TERMS_AGREED");

    // The agencies' contributions, the chronology, analysis and the final report, through
    // the same steps as any review.
    backend::seed::later_phases::final_report(&app.db, id as i32, r.agencies).await.unwrap();
    let s = r.state().await;
    assert_eq!((s["stage"].as_str(), s["stageTitle"].as_str()), (Some("OVERVIEW_REPORT"), Some("Final report")));
    let panel = app.login("panel@scr.example").await;
    app.ok(&panel, "mutation($id:Int!){recordQualityAssurance(reviewId:$id,notes:\"Clear.\"){id}}", json!({"id": id}))
        .await;
    // An approval cannot come before the assurance it follows.
    let approve = "mutation($id:Int!,$d:NaiveDate){approveReport(reviewId:$id,approvedOn:$d){id}}";
    let v = app.gql(Some(&r.chair), approve, json!({"id": id, "d": ago(1)})).await;
    assert_eq!(field(&v), "approvedOn", "{v}");
    app.ok(&r.chair, approve, json!({"id": id, "d": ago(0)})).await;
    let v = app
        .ok(
            &r.manager,
            "mutation($id:Int!,$d:NaiveDate!){submitReview(reviewId:$id,sentOn:$d){stageTitle}}",
            json!({"id": id, "d": ago(0)}),
        )
        .await;
    assert_eq!(v["submitReview"]["stageTitle"], "Sent to the National Panel and the Secretary of State");
    // No Ofsted evaluation in this procedure: the action plan follows at once.
    let v = app
        .gql(
            Some(&r.manager),
            "mutation($id:Int!){recordEvaluation(reviewId:$id,receivedOn:\"2000-01-01\",judgement:\"Good\"){id}}",
            json!({"id": id}),
        )
        .await;
    assert_eq!(code(&v), "WRONG_STAGE", "{v}");
    let meeting = "mutation($id:Int!,$h:NaiveDate!,$u:NaiveDate!){recordPlanningMeeting(reviewId:$id,heldOn:$h,participants:\"The three agencies\",updatesDue:$u){stage}}";
    let v = app.ok(&r.manager, meeting, json!({"id": id, "h": ago(0), "u": ago(-30)})).await;
    assert_eq!(v["recordPlanningMeeting"]["stage"], "ACTION_PLANNING");
    let owner = app.user_id("health.author@scr.example").await;
    let action = json!({
        "recommendation": "Brief health visitors on repeat call-outs",
        "agencyId": r.agencies[1], "ownerId": owner, "dueOn": (day(-60)).to_string(),
        "intendedOutcome": "Every repeat call-out is shared", "successMeasure": "Audit of ten cases",
    });
    app.ok(
        &r.manager,
        "mutation($id:Int!,$a:ActionInput!){addAction(reviewId:$id,input:$a){stage}}",
        json!({"id": id, "a": action}),
    )
    .await;

    // Publication: planned, the bodies told, the summary anonymised.
    app.ok(
        &r.manager,
        "mutation($id:Int!,$d:NaiveDate!){planPublication(reviewId:$id,plannedOn:$d){id}}",
        json!({"id": id, "d": ago(0)}),
    )
    .await;
    let problems =
        app.ok(&r.manager, "query($id:Int!){review(id:$id){publicationProblems{field}}}", json!({"id": id})).await;
    // The family is told in advance; the report went to the National Panel and the
    // Secretary of State when it was sent.
    assert_eq!(problems["review"]["publicationProblems"], json!([{"field": "notices"}]), "{problems}");
    app.ok(
        &r.manager,
        "mutation($id:Int!,$d:NaiveDate!){recordNotice(reviewId:$id,body:FAMILY,sentOn:$d){id}}",
        json!({"id": id, "d": ago(0)}),
    )
    .await;
    let publish = "mutation($id:Int!,$d:NaiveDate){publish(reviewId:$id,publishedOn:$d){stage}}";
    let v = app.gql(Some(&r.manager), publish, json!({"id": id, "d": ago(-1)})).await;
    assert_eq!(field(&v), "publishedOn", "not tomorrow: {v}");
    let v = app.gql(Some(&r.manager), publish, json!({"id": id, "d": ago(0)})).await;
    assert!(v.get("errors").is_none(), "publication refused: {v} (problems before notices: {problems})");
    let s = r.state().await;
    assert_eq!(s["stage"], "PUBLISHED");
    assert_eq!(deadline(&s, "LOCAL_REVIEW_PUBLICATION")["status"], "MET");
    assert_eq!(task(&s, "PUBLICATION"), "COMPLETED");
}

/// The demo's partner board runs today's route: its business manager has a rapid
/// review under way, notified on time, the information returned, the meeting next; the
/// first board, which runs 2010 and has no part in it, does not see it.
async fn the_demos_second_board_runs_a_rapid_review(b: Backend) {
    let app = TestApp::spawn(b).await;
    let admin = app.login("admin@scr.example").await;
    let d = app.ok(&admin, "{ boards { name procedure } }", json!({})).await;
    let procedures: Vec<(String, String)> = d["boards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["name"].as_str().unwrap().to_owned(), b["procedure"].as_str().unwrap().to_owned()))
        .collect();
    assert!(procedures.contains(&("Stockport Safeguarding Children Board".into(), "SERIOUS_CASE_REVIEW_2010".into())));
    assert!(procedures.contains(&("Manchester Safeguarding Children Board".into(), "PRACTICE_REVIEW_2023".into())));
    let manager = app.login("manchester.manager@scr.example").await;
    let d = app.ok(&manager, "{ reviews { id reference procedure stage allowedOperations } }", json!({})).await;
    // Its own review, beside the first board's in which it is a partner and acts in nothing.
    let (own, partnered): (Vec<&Value>, Vec<&Value>) =
        d["reviews"].as_array().unwrap().iter().partition(|r| r["procedure"] == "PRACTICE_REVIEW_2023");
    assert_eq!(own.len(), 1, "{d}");
    assert!(partnered.iter().all(|r| r["allowedOperations"] == json!([])), "{d}");
    let r = own[0];
    assert!(r["reference"].as_str().unwrap().starts_with("CSPR-"), "{r}");
    assert_eq!(
        (r["procedure"].as_str(), r["stage"].as_str()),
        (Some("PRACTICE_REVIEW_2023"), Some("INFORMATION_REQUESTED"))
    );
    assert!(r["allowedOperations"].as_array().unwrap().contains(&json!("RECORD_RAPID_REVIEW_MEETING")), "{r}");
    let v = app.ok(&manager, STATE, json!({"id": r["id"]})).await;
    let state = &v["review"];
    assert_eq!(deadline(state, "INCIDENT_NOTIFICATION")["status"], "MET");
    assert_eq!(deadline(state, "RAPID_REVIEW")["metOn"], Value::Null);
    assert_eq!(state["rapidReview"]["notifiedOn"], ago(6));
    let info = state["rapidReview"]["information"].as_array().unwrap();
    assert!(info.iter().all(|i| i["returnedOn"] == ago(2)), "{info:?}");
    // The first board's officers have no part in it.
    let stockport = app.login("manager@scr.example").await;
    let v = app.gql(Some(&stockport), STATE, json!({"id": r["id"]})).await;
    assert_eq!(code(&v), "NOT_FOUND", "{v}");
}

on_both_databases!(
    the_demos_second_board_runs_a_rapid_review,
    a_rapid_review_decided_with_no_further_review,
    a_rapid_review_becomes_a_local_review_through_to_publication,
);
