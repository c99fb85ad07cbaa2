//! A review as a task list and each person's own work, through the API: every task's
//! status follows the stage the review has reached, only those who do a task are told
//! they may act on it, the steps a person may take now reach their list of tasks, and
//! the board's report counts deadlines as the reviews themselves show them. On SQLite
//! and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Backend, TestApp, code};
use serde_json::{Value, json};
use shared::stage::Stage;
use shared::tasks::{TASKS, Task};

const TASKS_Q: &str =
    "query($id:Int!){review(id:$id){stage tasks{task title phase status owners mine stepsNow dueOn waitsFor}}}";

fn stage_of(v: &Value) -> Stage {
    let s = v["review"]["stage"].as_str().unwrap().to_lowercase();
    Stage::parse(&s).unwrap_or_else(|| panic!("stage {s}"))
}

fn task_of(t: &Value) -> Task {
    let name = t["task"].as_str().unwrap().to_lowercase().replace('_', "-");
    Task::parse(&name).unwrap_or_else(|| panic!("task {name}"))
}

async fn each_review_lists_its_tasks_with_statuses_from_its_stage(b: Backend) {
    let app = TestApp::spawn(b).await;
    let manager = app.login("manager@scr.example").await;
    let partner = app.login("partner@scr.example").await;
    let mut seen_stages = Vec::new();
    for stage in ["REFERRED", "RECOMMENDED", "SET_UP", "IMRS_REQUESTED", "OVERVIEW_REPORT", "ACTION_PLANNING"] {
        let id = app.review_at(stage).await;
        let v = app.ok(&manager, TASKS_Q, json!({"id": id})).await;
        let at = stage_of(&v);
        seen_stages.push(at);
        let tasks = v["review"]["tasks"].as_array().unwrap();
        assert_eq!(tasks.len(), TASKS.len(), "every task is listed");
        for (t, rule) in tasks.iter().zip(TASKS.iter()) {
            assert_eq!(task_of(t), rule.task, "in the table's order");
            let status = t["status"].as_str().unwrap().to_lowercase();
            let scr = &shared::profile::SERIOUS_CASE_REVIEW_2010;
            assert_eq!(status, rule.status(scr, at).as_str(), "{:?} at {at:?}", rule.task);
            assert_eq!(t["waitsFor"].is_string(), rule.waits_for(scr, at).is_some());
            // Steps offered now are the task's own, and only to those who may take them.
            for step in t["stepsNow"].as_array().unwrap() {
                let op = shared::policy::Operation::parse(&step.as_str().unwrap().to_lowercase()).unwrap();
                assert!(rule.operations.contains(&op), "{op:?} is not a step of {:?}", rule.task);
            }
        }
        // The partner board reads the same statuses and does none of the tasks.
        let p = app.gql(Some(&partner), TASKS_Q, json!({"id": id})).await;
        if let Some(list) = p["data"]["review"]["tasks"].as_array() {
            for (mine, theirs) in tasks.iter().zip(list) {
                assert_eq!(mine["status"], theirs["status"]);
                assert_eq!(theirs["mine"], false, "{theirs}");
                assert_eq!(theirs["stepsNow"], json!([]), "{theirs}");
            }
        } else {
            assert_eq!(code(&p), "NOT_FOUND", "a review outside the partner board's scope: {p}");
        }
    }
    // The manager is offered the Ofsted notification once the Chair has decided.
    let decided = app.review_at("DECIDED").await;
    let v = app.ok(&manager, TASKS_Q, json!({"id": decided})).await;
    let notification = v["review"]["tasks"].as_array().unwrap().iter().find(|t| t["task"] == "NOTIFICATION").unwrap();
    assert_eq!(notification["status"], "NOT_STARTED");
    assert_eq!(notification["mine"], true);
    assert_eq!(notification["stepsNow"], json!(["RECORD_OFSTED_NOTIFICATION"]));
    // A task with a running deadline carries its due date for those who read deadlines.
    let recommended = app.review_at("RECOMMENDED").await;
    let v = app.ok(&manager, TASKS_Q, json!({"id": recommended})).await;
    let decision = v["review"]["tasks"].as_array().unwrap().iter().find(|t| t["task"] == "DECISION").unwrap();
    assert!(decision["dueOn"].is_string(), "{decision}");
    assert!(seen_stages.contains(&Stage::ActionPlanning));
}

async fn each_person_is_told_the_steps_they_may_take_now(b: Backend) {
    let app = TestApp::spawn(b).await;
    let q = "{notifications{kind reviewId reference message path dueOn overdue}}";
    let steps = |items: &Value| -> Vec<(i64, String, String)> {
        items["notifications"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["kind"] == "step")
            .map(|i| {
                (
                    i["reviewId"].as_i64().unwrap(),
                    i["message"].as_str().unwrap().to_owned(),
                    i["path"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let chair = app.login("chair@scr.example").await;
    let recommended = i64::from(app.review_at("RECOMMENDED").await);
    let mine = steps(&app.ok(&chair, q, json!({})).await);
    assert!(
        mine.contains(&(
            recommended,
            "Decide whether a review is held".to_owned(),
            format!("/reviews/{recommended}/tasks/decision")
        )),
        "{mine:?}"
    );
    let panel = app.login("panel@scr.example").await;
    let referred = i64::from(app.review_at("REFERRED").await);
    let theirs = steps(&app.ok(&panel, q, json!({})).await);
    assert!(theirs.iter().any(|(id, m, _)| *id == referred && m == "Record the criteria assessment"), "{theirs:?}");
    assert!(!theirs.iter().any(|(_, m, _)| m == "Decide whether a review is held"), "the panel does not decide");
    let manager = app.login("manager@scr.example").await;
    let decided = i64::from(app.review_at("DECIDED").await);
    let theirs = steps(&app.ok(&manager, q, json!({})).await);
    assert!(theirs.iter().any(|(id, m, _)| *id == decided && m == "Record the Ofsted notification"), "{theirs:?}");
    // Each step once per review, and none to someone who reads only.
    let mut keys: Vec<(i64, String)> = theirs.iter().map(|(id, m, _)| (*id, m.clone())).collect();
    let all = keys.len();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), all, "a step is listed once per review");
    let partner = app.login("partner@scr.example").await;
    assert!(steps(&app.ok(&partner, q, json!({})).await).is_empty(), "a partner board takes no step");
    // Parts on a review are named with their agency.
    let author = app.login("imr.author@scr.example").await;
    let parts = app
        .ok(
            &author,
            "query($id:Int!){review(id:$id){myParts myCapacities}}",
            json!({"id": app.review_at("IMRS_REQUESTED").await}),
        )
        .await;
    assert_eq!(parts["review"]["myParts"], json!(["IMR author, Greater Manchester Police"]), "{parts}");
    // Overdue work comes first.
    let items = app.ok(&manager, q, json!({})).await["notifications"].as_array().unwrap().clone();
    let first_not_overdue = items.iter().position(|i| i["overdue"] == false).unwrap_or(items.len());
    assert!(items[first_not_overdue..].iter().all(|i| i["overdue"] == false), "{items:?}");
}

async fn the_report_counts_deadlines_as_the_reviews_show_them(b: Backend) {
    let app = TestApp::spawn(b).await;
    let chair = app.login("chair@scr.example").await;
    let ids: Vec<i64> = app.ok(&chair, "{reviews(first:200){id}}", json!({})).await["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    let today = chrono::Utc::now().date_naive();
    for as_of in [today, today + chrono::Duration::days(40), today + chrono::Duration::days(400)] {
        let d = as_of.to_string();
        let mut overdue = [0, 0];
        let mut met = [0, 0];
        for id in &ids {
            let v = app
                .ok(
                    &chair,
                    "query($id:Int!,$d:NaiveDate){review(id:$id){deadlines(asOf:$d){kind status}}}",
                    json!({"id": id, "d": d}),
                )
                .await;
            for x in v["review"]["deadlines"].as_array().unwrap() {
                let slot = match x["kind"].as_str().unwrap() {
                    "CHAIR_DECISION" => 0,
                    "COMPLETION" => 1,
                    _ => continue,
                };
                match x["status"].as_str().unwrap() {
                    "OVERDUE" => overdue[slot] += 1,
                    "MET" | "MET_LATE" => met[slot] += 1,
                    _ => {}
                }
            }
        }
        let r = app
            .ok(
                &chair,
                "query($d:NaiveDate){report(asOf:$d){timeliness{decisions decisionsOverdue submissions submissionsOverdue}}}",
                json!({"d": d}),
            )
            .await;
        let t = &r["report"]["timeliness"];
        assert_eq!(t["decisionsOverdue"], overdue[0], "decisions overdue as of {d}: {t}");
        assert_eq!(t["submissionsOverdue"], overdue[1], "submissions overdue as of {d}: {t}");
        assert_eq!(t["decisions"], met[0], "decisions made as of {d}: {t}");
        assert_eq!(t["submissions"], met[1], "submissions made as of {d}: {t}");
    }
    // A period counts only the deadlines originally due in it; a period that ends
    // before it starts is refused, naming the field.
    let narrow = app
        .ok(
            &chair,
            "{report(from:\"1990-01-01\",to:\"1990-12-31\"){timeliness{decisions decisionsOverdue submissions}}}",
            json!({}),
        )
        .await;
    assert_eq!(narrow["report"]["timeliness"], json!({"decisions": 0, "decisionsOverdue": 0, "submissions": 0}));
    let bad = app.gql(Some(&chair), "{report(from:\"2026-02-01\",to:\"2026-01-01\"){reviews}}", json!({})).await;
    assert_eq!(code(&bad), "VALIDATION", "{bad}");
    assert_eq!(bad["errors"][0]["extensions"]["fields"][0]["field"], "from", "{bad}");
}

async fn downloads_are_named_by_the_reference_once(b: Backend) {
    use axum::body::Body;
    let app = TestApp::spawn(b).await;
    let chair = app.login("chair@scr.example").await;
    let id = app.review_at("OVERVIEW_REPORT").await;
    let reference =
        app.ok(&chair, "query($id:Int!){review(id:$id){reference}}", json!({"id": id})).await["review"]["reference"]
            .as_str()
            .unwrap()
            .to_owned();
    assert!(reference.starts_with("SCR-"), "{reference}");
    let req = axum::http::Request::get(format!("/api/reviews/{id}/export/chronology?format=csv"))
        .header("authorization", format!("Bearer {chair}"))
        .body(Body::empty())
        .unwrap();
    let (status, headers, _) = app.send(req).await;
    assert_eq!(status, axum::http::StatusCode::OK);
    let disposition = headers["content-disposition"].to_str().unwrap().to_owned();
    assert_eq!(disposition, format!("attachment; filename=\"{reference}-chronology.csv\""));
}

async fn lists_of_reviews_and_actions_come_a_page_at_a_time_with_their_total(b: Backend) {
    let app = TestApp::spawn(b).await;
    let chair = app.login("chair@scr.example").await;
    let all: Vec<i64> = app.ok(&chair, "{reviews(first:200){id}}", json!({})).await["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert!(all.len() > 4, "the demo has reviews to page through");
    // Pages of four cover the list once each, in the list's order, with its total.
    let q = "query($o:Int!){reviewPage(first:4,offset:$o){total offset first reviews{id}}}";
    let mut paged = Vec::new();
    let mut offset = 0;
    loop {
        let p = app.ok(&chair, q, json!({"o": offset})).await["reviewPage"].clone();
        assert_eq!(p["total"], all.len(), "{p}");
        assert_eq!(p["first"], 4);
        let ids: Vec<i64> = p["reviews"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
        if ids.is_empty() {
            break;
        }
        paged.extend(ids);
        offset += 4;
    }
    assert_eq!(paged, all);
    // Searching by part of the reference, and by stage.
    let reference = app.ok(&chair, "query($id:Int!){review(id:$id){reference}}", json!({"id": all[0]})).await["review"]
        ["reference"]
        .as_str()
        .unwrap()
        .to_owned();
    let tail = &reference[reference.len() - 4..];
    let found = app
        .ok(
            &chair,
            "query($r:String){reviewPage(reference:$r){total reviews{reference}}}",
            json!({"r": tail.to_lowercase()}),
        )
        .await;
    assert!(found["reviewPage"]["total"].as_i64().unwrap() >= 1, "{found}");
    assert!(
        found["reviewPage"]["reviews"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["reference"].as_str().unwrap().contains(tail))
    );
    let at = app.ok(&chair, "{reviewPage(stage:IMRS_REQUESTED){total reviews{stage}}}", json!({})).await;
    assert!(at["reviewPage"]["reviews"].as_array().unwrap().iter().all(|r| r["stage"] == "IMRS_REQUESTED"), "{at}");
    // A partner board may not search by a name it cannot read.
    let partner = app.login("partner@scr.example").await;
    let refused = app.gql(Some(&partner), "{reviewPage(childName:\"a\"){total}}", json!({})).await;
    assert_eq!(code(&refused), "FORBIDDEN", "{refused}");

    // The action tracker: pages of one, overdue first, with the total.
    let subgroup = app.login("subgroup@scr.example").await;
    let every: Vec<i64> = app.ok(&subgroup, "{actions{id}}", json!({})).await["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    assert!(every.len() > 1, "the demo has actions to page through");
    // In the tracker's order: overdue, then open, then implemented, each by due date.
    let listed = app.ok(&subgroup, "{actions{id dueOn overdue status}}", json!({})).await;
    let keys: Vec<(u8, String, i64)> = listed["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let rank = if a["overdue"] == true {
                0
            } else if a["status"] != "IMPLEMENTED" {
                1
            } else {
                2
            };
            (rank, a["dueOn"].as_str().unwrap_or_default().to_owned(), a["id"].as_i64().unwrap())
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "the tracker's order");
    let mut seen = Vec::new();
    for o in 0..every.len() {
        let p = app
            .ok(&subgroup, "query($o:Int!){actionPage(first:1,offset:$o){total actions{id}}}", json!({"o": o}))
            .await;
        assert_eq!(p["actionPage"]["total"], every.len());
        seen.push(p["actionPage"]["actions"][0]["id"].as_i64().unwrap());
    }
    assert_eq!(seen, every);
    // A work queue, a page at a time and searched by reference; refused to other roles.
    let manager = app.login("manager@scr.example").await;
    let whole: Vec<i64> = app.ok(&manager, "{managerQueue{id}}", json!({})).await["managerQueue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert!(!whole.is_empty());
    let first =
        app.ok(&manager, "{queuePage(queue:MANAGER,first:1){total first reviews{id reference}}}", json!({})).await;
    assert_eq!(first["queuePage"]["total"], whole.len());
    assert_eq!(first["queuePage"]["reviews"][0]["id"], whole[0]);
    let r = first["queuePage"]["reviews"][0]["reference"].as_str().unwrap().to_owned();
    let found = app
        .ok(
            &manager,
            "query($r:String){queuePage(queue:MANAGER,reference:$r){total reviews{reference}}}",
            json!({"r": r}),
        )
        .await;
    assert_eq!(found["queuePage"]["total"], 1, "{found}");
    let refused = app.gql(Some(&subgroup), "{queuePage(queue:CHAIR){total}}", json!({})).await;
    assert_eq!(code(&refused), "FORBIDDEN", "{refused}");
    let overdue = app.ok(&subgroup, "{actionPage(filter:{overdueOnly:true}){total actions{overdue}}}", json!({})).await;
    assert_eq!(overdue["actionPage"]["total"], 1, "{overdue}");
}

on_both_databases!(
    each_review_lists_its_tasks_with_statuses_from_its_stage,
    each_person_is_told_the_steps_they_may_take_now,
    the_report_counts_deadlines_as_the_reviews_show_them,
    downloads_are_named_by_the_reference_once,
    lists_of_reviews_and_actions_come_a_page_at_a_time_with_their_total,
);
