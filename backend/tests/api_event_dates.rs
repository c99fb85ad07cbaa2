//! The procedure as people run it, through the API on SQLite and PostgreSQL: events
//! take the date they happened (never in the future, never before the step they follow)
//! and deadlines run from those dates while the audit log keeps when they were recorded;
//! an involved agency's board becomes a partner unless left out with a reason; the
//! engine says "not yet known" while a deciding fact is unrecorded; a board's closure
//! days and the bank holidays move deadlines counted in working days.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::{Duration, NaiveDate, Utc};
use common::{Backend, TestApp, code};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::{Value, json};

const REFER: &str =
    r#"mutation($i: ReferralInput!) { submitReferral(input: $i) { id referredOn partnerBoards { id } } }"#;
const DEADLINES: &str =
    r#"query($id: Int!) { review(id: $id) { referredOn decidedOn deadlines { kind startsOn dueOn metOn status } } }"#;

fn ago(days: i64) -> String {
    (Utc::now().date_naive() - Duration::days(days)).to_string()
}

fn referral(board: i64, agencies: &[i64]) -> Value {
    json!({
        "child": { "relationship": "CHILD", "name": "Tomasz Lewandowski" },
        "circumstances": "Admitted to hospital with a fractured skull; the explanation did not fit the injury.",
        "facts": { "harm": ["LIFE_THREATENING_INJURY"], "abuseOrNeglect": "SUSPECTED", "interAgencyConcern": true },
        "normalResidenceBoardId": board,
        "involvedAgencyIds": agencies,
    })
}

/// The Stockport board, the partner board, and the first Stockport agency.
async fn directory(app: &TestApp, token: &str) -> (i64, i64, i64) {
    let d = app.ok(token, "{ boards { id name } agencies { id board { id } } }", json!({})).await;
    let boards = d["boards"].as_array().unwrap();
    let id_of = |starts: bool| {
        boards.iter().find(|b| b["name"].as_str().unwrap().starts_with("Stockport") == starts).unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let (home, partner) = (id_of(true), id_of(false));
    let agency =
        d["agencies"].as_array().unwrap().iter().find(|a| a["board"]["id"] == home).unwrap()["id"].as_i64().unwrap();
    (home, partner, agency)
}

fn deadline<'a>(review: &'a Value, kind: &str) -> &'a Value {
    review["deadlines"].as_array().unwrap().iter().find(|d| d["kind"] == kind).unwrap_or_else(|| panic!("{kind}"))
}

fn field(v: &Value) -> String {
    v["errors"][0]["extensions"]["field"].as_str().unwrap_or_default().to_owned()
}

async fn a_review_under_way_is_entered_with_its_real_dates(b: Backend) {
    let app = TestApp::spawn(b).await;
    let professional = app.login("professional@scr.example").await;
    let panel = app.login("panel@scr.example").await;
    let chair = app.login("chair@scr.example").await;
    let manager = app.login("manager@scr.example").await;
    let (home, _, agency) = directory(&app, &professional).await;

    // A referral cannot be received tomorrow, and nothing is stored when it is refused.
    let mut input = referral(home, &[agency]);
    input["receivedOn"] = json!(ago(-1));
    let v = app.gql(Some(&professional), REFER, json!({"i": input})).await;
    assert_eq!((code(&v), field(&v)), ("VALIDATION".to_owned(), "receivedOn".to_owned()), "{v}");

    // Received thirty days ago: the 28-day clock started then, so it is already overdue.
    input["receivedOn"] = json!(ago(30));
    let id = app.ok(&professional, REFER, json!({"i": input})).await["submitReferral"]["id"].as_i64().unwrap();
    let r = &app.ok(&chair, DEADLINES, json!({"id": id})).await["review"];
    assert_eq!(r["referredOn"], ago(30));
    let decision = deadline(r, "CHAIR_DECISION");
    assert_eq!((decision["startsOn"].clone(), decision["dueOn"].clone()), (json!(ago(30)), json!(ago(2))));
    assert_eq!(decision["status"], "OVERDUE");

    // The panel assessed five days after the referral; not before it, not tomorrow.
    let assess = "mutation($id:Int!,$on:NaiveDate){recordCriteriaAssessment(reviewId:$id,category:DISCRETIONARY,reasons:\"11.2.1 met.\",assessedOn:$on){stage}}";
    for bad in [ago(31), ago(-1)] {
        let v = app.gql(Some(&panel), assess, json!({"id": id, "on": bad})).await;
        assert_eq!((code(&v), field(&v)), ("VALIDATION".to_owned(), "assessedOn".to_owned()), "{bad}: {v}");
    }
    let v = app.gql(Some(&panel), assess, json!({"id": id, "on": ago(31)})).await;
    assert!(v["errors"][0]["message"].as_str().unwrap().contains("the referral"), "{v}");
    app.ok(&panel, assess, json!({"id": id, "on": ago(25)})).await;
    let a = app
        .ok(&panel, "query($id:Int!){review(id:$id){criteriaAssessments{assessedOn assessedAt}}}", json!({"id": id}))
        .await;
    let a = &a["review"]["criteriaAssessments"][0];
    assert_eq!(a["assessedOn"], ago(25));
    // When it was recorded is kept beside when it happened.
    assert!(a["assessedAt"].as_str().unwrap().starts_with(&ago(0)), "{a}");

    // The recommendation cannot come before the assessment it follows.
    let recommend = "mutation($id:Int!,$on:NaiveDate){recordRecommendation(reviewId:$id,conduct:true,scope:\"Two years of involvement.\",reasons:\"Lessons.\",recommendedOn:$on){stage}}";
    let v = app.gql(Some(&panel), recommend, json!({"id": id, "on": ago(26)})).await;
    assert_eq!(field(&v), "recommendedOn", "{v}");
    assert!(v["errors"][0]["message"].as_str().unwrap().contains("the criteria assessment"), "{v}");
    app.ok(&panel, recommend, json!({"id": id, "on": ago(20)})).await;
    let r = &app.ok(&chair, DEADLINES, json!({"id": id})).await["review"];
    assert_eq!(deadline(r, "PANEL_RECOMMENDATION")["metOn"], ago(20));
    assert_eq!(deadline(r, "PANEL_RECOMMENDATION")["status"], "MET");

    // The Chair decided fifteen days ago: met on time, and the decision's clocks start then.
    let decide = "mutation($id:Int!,$on:NaiveDate){decideReview(reviewId:$id,conduct:true,reasons:\"A review will be held.\",decidedOn:$on){stage}}";
    for bad in [ago(21), ago(-2)] {
        let v = app.gql(Some(&chair), decide, json!({"id": id, "on": bad})).await;
        assert_eq!((code(&v), field(&v)), ("VALIDATION".to_owned(), "decidedOn".to_owned()), "{bad}: {v}");
    }
    app.ok(&chair, decide, json!({"id": id, "on": ago(15)})).await;
    let r = &app.ok(&chair, DEADLINES, json!({"id": id})).await["review"];
    assert_eq!(r["decidedOn"], ago(15));
    assert_eq!(deadline(r, "CHAIR_DECISION")["metOn"], ago(15));
    assert_eq!(deadline(r, "CHAIR_DECISION")["status"], "MET");
    let terms = deadline(r, "TERMS_TO_OFSTED");
    assert_eq!((terms["startsOn"].clone(), terms["dueOn"].clone()), (json!(ago(15)), json!(ago(1))));
    assert_eq!(terms["status"], "OVERDUE");

    // Ofsted was told the day after the decision; not before it.
    let notify = "mutation($id:Int!,$d:NaiveDate!){recordOfstedNotification(reviewId:$id,sentOn:$d){stage}}";
    let v = app.gql(Some(&manager), notify, json!({"id": id, "d": ago(16)})).await;
    assert_eq!(field(&v), "sentOn", "{v}");
    app.ok(&manager, notify, json!({"id": id, "d": ago(14)})).await;

    // The audit log keeps who recorded each step and when it was recorded: today.
    let trail =
        app.ok(&chair, "query($id:Int!){review(id:$id){auditTrail{at actorId operation}}}", json!({"id": id})).await;
    let entries = trail["review"]["auditTrail"].as_array().unwrap();
    let decided = entries.iter().find(|e| e["operation"] == "decide_review").unwrap();
    assert!(decided["at"].as_str().unwrap().starts_with(&ago(0)), "{decided}");
    assert_eq!(decided["actorId"], app.user_id("chair@scr.example").await);
    assert_eq!(entries.len(), 5, "{entries:?}");

    // A panel member appointed two days after the decision; not before it, not tomorrow.
    let member = app.user_id("panel.member@scr.example").await;
    let appoint = "mutation($id:Int!,$u:Int!,$on:NaiveDate){appoint(reviewId:$id,userId:$u,assignment:PANEL_MEMBER,appointedOn:$on){appointments{appointedOn appointedAt}}}";
    for bad in [ago(16), ago(-1)] {
        let v = app.gql(Some(&manager), appoint, json!({"id": id, "u": member, "on": bad})).await;
        assert_eq!((code(&v), field(&v)), ("VALIDATION".to_owned(), "appointedOn".to_owned()), "{bad}: {v}");
    }
    let v = app.gql(Some(&manager), appoint, json!({"id": id, "u": member, "on": ago(16)})).await;
    assert!(v["errors"][0]["message"].as_str().unwrap().contains("the decision to hold the review"), "{v}");
    let a = app.ok(&manager, appoint, json!({"id": id, "u": member, "on": ago(13)})).await;
    let a = &a["appoint"]["appointments"][0];
    assert_eq!(a["appointedOn"], ago(13));
    assert!(a["appointedAt"].as_str().unwrap().starts_with(&ago(0)), "{a}");
}

/// The demo's case that started last month, entered after the event: its appointments,
/// terms and IMRs carry the days they happened; the panel's decision on an IMR takes
/// its day too, never before the submission, and a late request never before the terms.
async fn the_demos_case_from_last_month_carries_its_imrs_real_dates(b: Backend) {
    let app = TestApp::spawn(b).await;
    let chair = app.login("chair@scr.example").await;
    let d = app.ok(&chair, "{reviews(stage:IMRS_REQUESTED){id referredOn decidedOn}}", json!({})).await;
    let r = d["reviews"].as_array().unwrap().iter().find(|r| r["referredOn"] == ago(45)).expect("last month's case");
    assert_eq!(r["decidedOn"], ago(38));
    let id = r["id"].as_i64().unwrap();
    let q = "query($id:Int!){review(id:$id){appointments{assignment appointedOn} imrs{id agency{id name} status requestedOn submittedOn decidedOn} involvedAgencies{id} deadlines{kind status}}}";
    let r = app.ok(&chair, q, json!({"id": id})).await;
    let r = &r["review"];
    // The panel's appointments were made last month; the IMR authors designated since.
    let panel = r["appointments"].as_array().unwrap().iter().filter(|a| a["assignment"] != "IMR_AUTHOR");
    assert_eq!(panel.clone().count(), 3, "{r}");
    assert!(panel.into_iter().all(|a| a["appointedOn"] == ago(33)), "{r}");
    let imrs = r["imrs"].as_array().unwrap();
    assert!(imrs.iter().all(|i| i["requestedOn"] == ago(28)), "{imrs:?}");
    let health = imrs.iter().find(|i| i["status"] == "SUBMITTED").expect("health's IMR");
    assert_eq!(health["submittedOn"], ago(4));
    // Sent to Ofsted on the day the terms were agreed, so that clock is met.
    assert_eq!(deadline(r, "TERMS_TO_OFSTED")["status"], "MET");

    let panel_chair = app.login("independent.chair@scr.example").await;
    let decide = "mutation($i:Int!,$on:NaiveDate){decideImr(imrId:$i,accept:true,decidedOn:$on){id}}";
    let imr = health["id"].as_i64().unwrap();
    for bad in [ago(5), ago(-1)] {
        let v = app.gql(Some(&panel_chair), decide, json!({"i": imr, "on": bad})).await;
        assert_eq!((code(&v), field(&v)), ("VALIDATION".to_owned(), "decidedOn".to_owned()), "{bad}: {v}");
    }
    let v = app.gql(Some(&panel_chair), decide, json!({"i": imr, "on": ago(5)})).await;
    assert!(v["errors"][0]["message"].as_str().unwrap().contains("the IMR was submitted"), "{v}");
    app.ok(&panel_chair, decide, json!({"i": imr, "on": ago(2)})).await;
    let r = app.ok(&chair, q, json!({"id": id})).await;
    let health = r["review"]["imrs"].as_array().unwrap().iter().find(|i| i["id"] == imr).unwrap().clone();
    assert_eq!((health["status"].clone(), health["decidedOn"].clone()), (json!("ACCEPTED"), json!(ago(2))));

    // The agency not yet asked is asked now, dated after the terms were agreed.
    let asked: Vec<&Value> = imrs.iter().map(|i| &i["agency"]["id"]).collect();
    let other =
        r["review"]["involvedAgencies"].as_array().unwrap().iter().find(|a| !asked.contains(&&a["id"])).unwrap()["id"]
            .clone();
    let manager = app.login("manager@scr.example").await;
    let request = "mutation($id:Int!,$a:[Int!]!,$on:NaiveDate){requestImrs(reviewId:$id,agencyIds:$a,requestedOn:$on){imrs{agency{id} requestedOn}}}";
    let v = app.gql(Some(&manager), request, json!({"id": id, "a": [other], "on": ago(31)})).await;
    assert_eq!(field(&v), "requestedOn", "{v}");
    assert!(v["errors"][0]["message"].as_str().unwrap().contains("the terms of reference"), "{v}");
    // A submission cannot predate the request: named beside the sections still missing.
    let author = app.login("imr.author@scr.example").await;
    let mine = app.ok(&author, "query($id:Int!){review(id:$id){imrs{id isMine version}}}", json!({"id": id})).await;
    let police = mine["review"]["imrs"].as_array().unwrap().iter().find(|i| i["isMine"] == true).unwrap().clone();
    let submit = "mutation($i:Int!,$v:Int!,$on:NaiveDate){submitImr(imrId:$i,expectedVersion:$v,submittedOn:$on){id}}";
    let v = app.gql(Some(&author), submit, json!({"i": police["id"], "v": police["version"], "on": ago(30)})).await;
    let errors = v["errors"][0]["extensions"]["fields"].as_array().cloned().unwrap_or_default();
    let dated = errors.iter().find(|e| e["field"] == "submittedOn").unwrap_or_else(|| panic!("{v}"));
    assert!(dated["message"].as_str().unwrap().contains("the IMR was requested"), "{v}");
    assert!(errors.len() > 1, "the missing sections are named too: {v}");
    let v = app.ok(&manager, request, json!({"id": id, "a": [other], "on": ago(29)})).await;
    let asked =
        v["requestImrs"]["imrs"].as_array().unwrap().iter().find(|i| i["agency"]["id"] == other).unwrap().clone();
    assert_eq!(asked["requestedOn"], ago(29));
}

async fn an_involved_agencys_board_becomes_a_partner_unless_left_out_with_a_reason(b: Backend) {
    let app = TestApp::spawn(b).await;
    let admin = app.login("admin@scr.example").await;
    let professional = app.login("professional@scr.example").await;
    let partner_officer = app.login("partner@scr.example").await;
    let (home, partner, agency) = directory(&app, &professional).await;
    let theirs = app
        .ok(
            &admin,
            "mutation($b:Int!){createAgency(boardId:$b,name:\"Trafford Health Visiting\",kind:\"health\"){id}}",
            json!({"b": partner}),
        )
        .await["createAgency"]["id"]
        .as_i64()
        .unwrap();
    let seen = "query($id:Int!){review(id:$id){reference referral{boardsLeftOut{boardId reason}}}}";

    // No board typed in: the agency's board is a partner all the same, and its officer sees the review.
    let d = app.ok(&professional, REFER, json!({"i": referral(home, &[agency, theirs])})).await;
    assert_eq!(d["submitReferral"]["partnerBoards"], json!([{"id": partner}]));
    let id = d["submitReferral"]["id"].as_i64().unwrap();
    let v = app.ok(&partner_officer, seen, json!({"id": id})).await;
    assert!(v["review"]["reference"].as_str().unwrap().starts_with("SCR-"));

    // Leaving it out needs a reason; refused, nothing is stored.
    let before = app.ok(&admin, "{reviews{id}}", json!({})).await["reviews"].as_array().unwrap().len();
    let mut input = referral(home, &[agency, theirs]);
    input["leftOutBoards"] = json!([{"boardId": partner, "reason": "   "}]);
    let v = app.gql(Some(&professional), REFER, json!({"i": input.clone()})).await;
    assert_eq!((code(&v), field(&v)), ("VALIDATION".to_owned(), "leftOutBoards.0.reason".to_owned()), "{v}");
    // The lead board, or a board with no interest, is never "left out".
    input["leftOutBoards"] = json!([{"boardId": home, "reason": "No."}]);
    let v = app.gql(Some(&professional), REFER, json!({"i": input.clone()})).await;
    assert_eq!(field(&v), "leftOutBoards.0.boardId", "{v}");
    let after = app.ok(&admin, "{reviews{id}}", json!({})).await["reviews"].as_array().unwrap().len();
    assert_eq!(before, after);

    // With a reason it is left out, the reason kept, and its officer cannot see the review.
    input["leftOutBoards"] =
        json!([{"boardId": partner, "reason": "One contact by a health visitor; records shared."}]);
    let d = app.ok(&professional, REFER, json!({"i": input})).await;
    assert_eq!(d["submitReferral"]["partnerBoards"], json!([]));
    let id = d["submitReferral"]["id"].as_i64().unwrap();
    let chair = app.login("chair@scr.example").await;
    let v = app.ok(&chair, seen, json!({"id": id})).await;
    assert_eq!(
        v["review"]["referral"]["boardsLeftOut"],
        json!([{"boardId": partner, "reason": "One contact by a health visitor; records shared."}])
    );
    let v = app.gql(Some(&partner_officer), seen, json!({"id": id})).await;
    assert_eq!(code(&v), "NOT_FOUND", "{v}");

    // Later the business manager finds the board has an interest after all and adds it,
    // with the reason; never the lead, never without a reason, never dated tomorrow, and
    // never by someone the policy does not let add boards.
    let manager = app.login("manager@scr.example").await;
    let add = "mutation($id:Int!,$b:Int!,$r:String!,$on:NaiveDate){addPartnerBoard(reviewId:$id,boardId:$b,reason:$r,addedOn:$on){partnerBoards{id}}}";
    let why = "Its health visitors saw the child weekly in the last month.";
    for (board, reason, on, expected) in [
        (partner, "  ", None, "reason"),
        (home, why, None, "boardId"),
        (partner, why, Some(ago(-1)), "addedOn"),
        (partner, why, Some(ago(400)), "addedOn"),
    ] {
        let v = app.gql(Some(&manager), add, json!({"id": id, "b": board, "r": reason, "on": on})).await;
        assert_eq!((code(&v), field(&v)), ("VALIDATION".to_owned(), expected.to_owned()), "{v}");
    }
    for someone in [&professional, &chair, &partner_officer] {
        let v = app.gql(Some(someone), add, json!({"id": id, "b": partner, "r": why})).await;
        assert!(matches!(code(&v).as_str(), "FORBIDDEN" | "NOT_FOUND"), "{v}");
    }
    let v = app.gql(Some(&partner_officer), seen, json!({"id": id})).await;
    assert_eq!(code(&v), "NOT_FOUND", "nothing was added by a refusal: {v}");
    let d = app.ok(&manager, add, json!({"id": id, "b": partner, "r": why, "on": ago(0)})).await;
    assert_eq!(d["addPartnerBoard"]["partnerBoards"], json!([{"id": partner}]));
    let v = app.gql(Some(&manager), add, json!({"id": id, "b": partner, "r": why})).await;
    assert_eq!((code(&v), field(&v)), ("VALIDATION".to_owned(), "boardId".to_owned()), "added once: {v}");
    // The reason and the day are kept, it is no longer listed as left out, its officer
    // now sees the review and was told.
    let q = "query($id:Int!){review(id:$id){referral{boardsLeftOut{boardId} boardsAdded{boardId reason addedOn} partners{boardId grounds}}}}";
    let v = app.ok(&chair, q, json!({"id": id})).await;
    assert_eq!(v["review"]["referral"]["boardsLeftOut"], json!([]));
    // Why it takes part: its agency is involved, and it was added after the referral.
    let grounds = v["review"]["referral"]["partners"][0]["grounds"].to_string();
    assert!(
        grounds.contains("agency of this board is involved") && grounds.contains("Added after the referral"),
        "{v}"
    );
    assert_eq!(v["review"]["referral"]["boardsAdded"], json!([{"boardId": partner, "reason": why, "addedOn": ago(0)}]));
    let v = app.ok(&partner_officer, seen, json!({"id": id})).await;
    let reference = v["review"]["reference"].as_str().unwrap().to_owned();
    let inbox = app.ok(&partner_officer, "{inbox{message}}", json!({})).await;
    let told = format!("{reference}: ");
    assert!(
        inbox["inbox"].as_array().unwrap().iter().any(|m| m["message"].as_str().unwrap().starts_with(&told)
            && m["message"].as_str().unwrap().contains("is now a partner")),
        "{inbox}"
    );
}

async fn the_engine_says_not_yet_known_and_the_panel_cannot_record_it(b: Backend) {
    let app = TestApp::spawn(b).await;
    let professional = app.login("professional@scr.example").await;
    let panel = app.login("panel@scr.example").await;
    let (home, _, agency) = directory(&app, &professional).await;
    let mut input = referral(home, &[agency]);
    input["facts"] = json!({ "childDied": true });
    let id = app.ok(&professional, REFER, json!({"i": input})).await["submitReferral"]["id"].as_i64().unwrap();
    let d = app
        .ok(&panel, "query($id:Int!){review(id:$id){referral{proposal{category missing}}}}", json!({"id": id}))
        .await;
    let p = &d["review"]["referral"]["proposal"];
    assert_eq!(p["category"], "NOT_YET_KNOWN");
    assert!(p["missing"].as_array().unwrap().iter().any(|m| m.as_str().unwrap().contains("has not been recorded")));
    assert!(p["missing"].as_array().unwrap().iter().any(|m| m.as_str().unwrap().contains("11.5")));
    let v = app
        .gql(
            Some(&panel),
            "mutation($id:Int!){recordCriteriaAssessment(reviewId:$id,category:NOT_YET_KNOWN,reasons:\"Waiting.\"){stage}}",
            json!({"id": id}),
        )
        .await;
    assert_eq!((code(&v), field(&v)), ("VALIDATION".to_owned(), "category".to_owned()), "{v}");
}

async fn working_days_skip_bank_holidays_and_the_boards_closure_days(b: Backend) {
    let app = TestApp::spawn(b).await;
    let admin = app.login("admin@scr.example").await;
    let chair = app.login("chair@scr.example").await;
    let professional = app.login("professional@scr.example").await;
    let (home, _, agency) = directory(&app, &professional).await;
    // The board's Chair decides within 15 working days of a referral (a timetable the
    // board holds in place of the procedure's 28 days).
    let mut timetable = shared::deadline::ProcedureProfile::working_together_2010();
    for r in &mut timetable.rules {
        if r.kind == shared::deadline::DeadlineKind::ChairDecision {
            r.period = shared::deadline::Period::WorkingDays(15);
        }
    }
    let profile = serde_json::to_string(&timetable).unwrap();
    backend::entities::board::ActiveModel {
        id: Set(home as i32),
        procedure_profile: Set(profile),
        ..Default::default()
    }
    .update(&app.db)
    .await
    .unwrap();
    let due = |d: Value| deadline(&d["review"], "CHAIR_DECISION")["dueOn"].as_str().unwrap().to_owned();

    // Friday 22 May 2026, before the Spring bank holiday (Monday 25 May): 15 working days is 15 June.
    let mut input = referral(home, &[agency]);
    input["receivedOn"] = json!("2026-05-22");
    let id = app.ok(&professional, REFER, json!({"i": input.clone()})).await["submitReferral"]["id"].as_i64().unwrap();
    assert_eq!(due(app.ok(&chair, DEADLINES, json!({"id": id})).await), "2026-06-15");

    // Only an administrator sets closure days; the board closes on 1 June.
    let set = "mutation($b:Int!,$d:[NaiveDate!]!){setBoardClosureDays(boardId:$b,days:$d){closureDays}}";
    let v = app.gql(Some(&chair), set, json!({"b": home, "d": ["2026-06-01"]})).await;
    assert_eq!(code(&v), "FORBIDDEN", "{v}");
    let d = app.ok(&admin, set, json!({"b": home, "d": ["2026-06-01", "2026-06-01"]})).await;
    assert_eq!(d["setBoardClosureDays"]["closureDays"], json!(["2026-06-01"]));
    let id = app.ok(&professional, REFER, json!({"i": input})).await["submitReferral"]["id"].as_i64().unwrap();
    assert_eq!(due(app.ok(&chair, DEADLINES, json!({"id": id})).await), "2026-06-16");
    // The demo's working days stay as they were for a board without closure days.
    let check = NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
    assert_eq!(
        shared::calendar::Calendar::england_and_wales()
            .add_working_days(NaiveDate::from_ymd_opt(2026, 5, 22).unwrap(), 15),
        check
    );
}

async fn the_demo_holds_a_review_entered_after_the_event(b: Backend) {
    let app = TestApp::spawn(b).await;
    let chair = app.login("chair@scr.example").await;
    let d = app.ok(&chair, "{reviews(stage:OFSTED_NOTIFIED){id referredOn decidedOn}}", json!({})).await;
    let r = d["reviews"].as_array().unwrap().iter().find(|r| r["referredOn"] == ago(19)).expect("the back-dated case");
    assert_eq!(r["decidedOn"], ago(6));
    let e = backend::entities::review::Entity::find_by_id(r["id"].as_i64().unwrap() as i32)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    // Recorded today, dated when it happened.
    assert_eq!(e.created_at.date_naive(), Utc::now().date_naive());
}

on_both_databases!(
    a_review_under_way_is_entered_with_its_real_dates,
    an_involved_agencys_board_becomes_a_partner_unless_left_out_with_a_reason,
    the_engine_says_not_yet_known_and_the_panel_cannot_record_it,
    working_days_skip_bank_holidays_and_the_boards_closure_days,
    the_demo_holds_a_review_entered_after_the_event,
    the_demos_case_from_last_month_carries_its_imrs_real_dates,
);
