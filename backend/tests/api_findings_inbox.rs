//! Findings and their learning themes, the reporting analyst, the notifications kept
//! for each user, and the submission package, through the API on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use backend::entities::*;
use common::{Backend, TestApp, code, pdf_text};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

/// Real names in the demo's family records: none may reach a pseudonymised reader.
const FAMILY_NAMES: [&str; 6] = ["Kelly Sutton", "Mia Sutton", "Sutton", "Leo Grant", "Harry Doyle", "Doyle"];

const FINDINGS: &str = "query($id:Int!){review(id:$id){findings{id text themes}}}";
const RECORD: &str =
    "mutation($id:Int!,$t:String!,$th:[Theme!]!){recordFinding(reviewId:$id,text:$t,themes:$th){findings{id}}}";
const REPORT: &str = "{report{reviews themes{theme reviews findings}}}";

fn fields(v: &Value) -> Vec<String> {
    v["errors"][0]["extensions"]["fields"]
        .as_array()
        .map(|a| a.iter().map(|f| f["field"].as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

fn theme_counts(report: &Value) -> Vec<(String, i64, i64)> {
    report["report"]["themes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (t["theme"].as_str().unwrap().to_owned(), t["reviews"].as_i64().unwrap(), t["findings"].as_i64().unwrap())
        })
        .collect()
}

async fn findings_are_recorded_by_the_panel_tagged_and_counted_across_reviews(b: Backend) {
    let app = TestApp::spawn(b).await;
    let id = app.review_at("OVERVIEW_REPORT").await;
    let panel_chair = app.login("independent.chair@scr.example").await;
    let seeded =
        app.ok(&panel_chair, FINDINGS, json!({"id": id})).await["review"]["findings"].as_array().unwrap().len();
    assert_eq!(seeded, 3, "the demo's findings");

    // Refused by field; nothing written.
    let v = app.gql(Some(&panel_chair), RECORD, json!({"id": id, "t": "  ", "th": []})).await;
    assert_eq!(code(&v), "VALIDATION");
    assert_eq!(fields(&v), ["text", "themes"]);
    let v = app.gql(Some(&panel_chair), RECORD, json!({"id": id, "t": "x", "th": ["NEGLECT", "NEGLECT"]})).await;
    assert_eq!(fields(&v), ["themes"]);
    // Only the panel and the overview author record findings.
    let bm = app.login("manager@scr.example").await;
    let v = app.gql(Some(&bm), RECORD, json!({"id": id, "t": "Records were late", "th": ["RECORD_KEEPING"]})).await;
    assert_eq!(code(&v), "FORBIDDEN");

    let text = "Kelly Sutton's missed appointments were not followed up.";
    let d =
        app.ok(&panel_chair, RECORD, json!({"id": id, "t": text, "th": ["RECORD_KEEPING", "WAS_NOT_BROUGHT"]})).await;
    assert_eq!(d["recordFinding"]["findings"].as_array().unwrap().len(), seeded + 1);
    let list = app.ok(&panel_chair, FINDINGS, json!({"id": id})).await["review"]["findings"].clone();
    let mine = list.as_array().unwrap().iter().find(|f| f["text"] == text).expect("recorded as written").clone();
    assert_eq!(mine["themes"], json!(["RECORD_KEEPING", "WAS_NOT_BROUGHT"]));

    // Across reviews: the demo's two reviews with findings, each theme counted once per review.
    let chair = app.login("chair@scr.example").await;
    let counts = theme_counts(&app.ok(&chair, REPORT, json!({})).await);
    assert_eq!(counts[0], ("DOMESTIC_ABUSE".to_owned(), 2, 4), "{counts:?}");
    assert!(counts.contains(&("INFORMATION_SHARING".to_owned(), 2, 2)), "{counts:?}");
    assert!(counts.contains(&("RECORD_KEEPING".to_owned(), 1, 1)), "{counts:?}");
    assert!(counts.contains(&("WAS_NOT_BROUGHT".to_owned(), 1, 1)), "{counts:?}");
    assert!(!counts.iter().any(|c| c.0 == "NEGLECT"), "themes never found are left out: {counts:?}");

    // The read-only reporting analyst: the same report; findings with labels, not names;
    // no step at all.
    let analyst = app.login("analyst@scr.example").await;
    assert_eq!(app.ok(&analyst, REPORT, json!({})).await, app.ok(&chair, REPORT, json!({})).await);
    let seen = app.ok(&analyst, FINDINGS, json!({"id": id})).await.to_string();
    assert!(seen.contains("Mother's missed appointments"), "{seen}");
    for name in FAMILY_NAMES {
        assert!(!seen.contains(name), "the analyst read {name}: {seen}");
    }
    let v = app.gql(Some(&analyst), RECORD, json!({"id": id, "t": "x", "th": ["NEGLECT"]})).await;
    assert_eq!(code(&v), "FORBIDDEN");

    // Removed, with its themes: the report no longer counts it.
    let remove = "mutation($f:Int!){removeFinding(findingId:$f){findings{id}}}";
    assert_eq!(code(&app.gql(Some(&bm), remove, json!({"f": mine["id"]})).await), "FORBIDDEN");
    app.ok(&panel_chair, remove, json!({"f": mine["id"]})).await;
    let counts = theme_counts(&app.ok(&chair, REPORT, json!({})).await);
    assert!(!counts.iter().any(|c| c.0 == "RECORD_KEEPING"), "{counts:?}");
    let tags = finding_theme::Entity::find()
        .filter(finding_theme::Column::FindingId.eq(mine["id"].as_i64().unwrap() as i32))
        .all(&app.db)
        .await
        .unwrap();
    assert!(tags.is_empty(), "the themes go with the finding");
}

const INBOX: &str = "{inbox{id kind message path read} unreadNotificationCount}";

async fn inbox(app: &TestApp, token: &str) -> (Vec<Value>, i64) {
    let d = app.ok(token, INBOX, json!({})).await;
    (d["inbox"].as_array().unwrap().clone(), d["unreadNotificationCount"].as_i64().unwrap())
}

async fn notifications_are_kept_for_appointments_returns_and_approvals_and_marked_read(b: Backend) {
    let app = TestApp::spawn(b).await;
    // The demo's appointments were told to the people appointed.
    let panel_chair = app.login("independent.chair@scr.example").await;
    let (list, unread) = inbox(&app, &panel_chair).await;
    assert!(list.iter().any(|m| m["kind"] == "appointment"
        && m["message"].as_str().unwrap().ends_with("You were appointed SCR Panel chair")));
    assert_eq!(unread, list.len() as i64, "nothing read yet");

    // The panel returns the health IMR: its author hears of it.
    let id = app.review_at("IMRS_REQUESTED").await;
    let health = imr::Entity::find()
        .filter(imr::Column::ReviewId.eq(id))
        .filter(imr::Column::Status.eq("submitted"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let author = app.login("health.author@scr.example").await;
    let (before, unread_before) = inbox(&app, &author).await;
    app.ok(
        &panel_chair,
        "mutation($i:Int!){decideImr(imrId:$i,accept:false,comments:\"Add the GP's contacts\"){id}}",
        json!({"i": health.id}),
    )
    .await;
    let (after, unread_after) = inbox(&app, &author).await;
    assert_eq!(after.len(), before.len() + 1);
    assert_eq!(unread_after, unread_before + 1);
    let returned = &after[0];
    assert_eq!(returned["kind"], "return", "newest first: {after:?}");
    assert_eq!(returned["read"], false);
    assert_eq!(returned["path"], format!("/reviews/{id}/imrs/{}", health.id));

    // Only its owner marks it read.
    let mark = "mutation($ids:[Int!]){markNotificationsRead(ids:$ids)}";
    let other = app.login("imr.author@scr.example").await;
    assert_eq!(app.ok(&other, mark, json!({"ids": [returned["id"]]})).await["markNotificationsRead"], 0);
    assert_eq!(inbox(&app, &author).await.1, unread_after);
    assert_eq!(app.ok(&author, mark, json!({"ids": [returned["id"]]})).await["markNotificationsRead"], 1);
    let (list, unread) = inbox(&app, &author).await;
    assert_eq!(unread, unread_after - 1);
    assert_eq!(list[0]["read"], true);
    let unread_only = app.ok(&author, "{inbox(unreadOnly:true){id}}", json!({})).await;
    assert!(!unread_only["inbox"].as_array().unwrap().iter().any(|m| m["id"] == returned["id"]));
    app.ok(&author, mark, json!({"ids": null})).await;
    assert_eq!(inbox(&app, &author).await.1, 0, "all marked read");

    // Closure asked and decided: the business manager hears of the request, the owner
    // of the decision.
    let owner = app.login("imr.author@scr.example").await;
    let actions = app.ok(&owner, "{actions(filter:{mine:true}){id version status}}", json!({})).await;
    let open = actions["actions"].as_array().unwrap().iter().find(|a| a["status"] == "OPEN").unwrap().clone();
    let bm = app.login("manager@scr.example").await;
    let bm_before = inbox(&app, &bm).await.0.len();
    app.ok(
        &owner,
        "mutation($a:Int!,$v:Int!){recordProgress(actionId:$a,expectedVersion:$v,note:\"Briefings done\",requestClosure:true){id}}",
        json!({"a": open["id"], "v": open["version"]}),
    )
    .await;
    let (bm_list, _) = inbox(&app, &bm).await;
    assert_eq!(bm_list.len(), bm_before + 1);
    assert_eq!(bm_list[0]["kind"], "closure_requested");
    app.ok(&bm, "mutation($a:Int!){decideClosure(actionId:$a,approve:true){id}}", json!({"a": open["id"]})).await;
    let (owner_list, _) = inbox(&app, &owner).await;
    assert_eq!(owner_list[0]["kind"], "approval");
    assert!(owner_list[0]["message"].as_str().unwrap().contains("closure of your action was approved"));

    // No message names the family, for anyone.
    for email in
        ["independent.chair@scr.example", "health.author@scr.example", "manager@scr.example", "imr.author@scr.example"]
    {
        let t = app.login(email).await;
        let text = serde_json::to_string(&inbox(&app, &t).await.0).unwrap();
        for name in FAMILY_NAMES {
            assert!(!text.contains(name), "{email}'s notifications name {name}");
        }
    }
    assert_eq!(code(&app.gql(None, INBOX, json!({})).await), "UNAUTHENTICATED");
}

async fn the_submission_package_holds_every_document_through_the_gate(b: Backend) {
    let app = TestApp::spawn(b).await;
    let id = app.review_at("OVERVIEW_REPORT").await;
    let path = format!("/api/reviews/{id}/submission-package");
    let bm = app.login("manager@scr.example").await;
    // The summary still names the mother: the whole package is refused, naming her.
    let (status, _, body) = app.get(Some(&bm), &path).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let err: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(err["extensions"]["code"], "GATE_FAILED");
    assert!(err.to_string().contains("Kelly Sutton"), "{err}");
    // Those who may not send documents outside are refused.
    for who in ["partner@scr.example", "analyst@scr.example", "health.author@scr.example"] {
        let t = app.login(who).await;
        let (_, _, body) = app.get(Some(&t), &path).await;
        let v: Value = serde_json::from_slice(&body).unwrap();
        assert!(["FORBIDDEN", "NOT_FOUND"].contains(&v["extensions"]["code"].as_str().unwrap()), "{who}: {v}");
    }
    assert_eq!(app.get(None, &path).await.0, StatusCode::UNAUTHORIZED);

    // The panel chair replaces the name; the package then leaves with every document.
    app.replace_in_summary(id, "Kelly Sutton", "Mother").await;
    let (status, content_type, body) = app.get(Some(&bm), &path).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    assert_eq!(content_type, "application/zip");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(body)).unwrap();
    let mut names: Vec<String> = zip.file_names().map(str::to_owned).collect();
    names.sort();
    assert_eq!(names.len(), 7, "three IMRs, the chronology, the report, the summary, the action plan: {names:?}");
    for suffix in ["chronology.pdf", "overview-report.pdf", "executive-summary.pdf", "action-plan.pdf"] {
        assert!(names.iter().any(|n| n.ends_with(suffix)), "{suffix} in {names:?}");
    }
    assert_eq!(names.iter().filter(|n| n.contains("-imr-")).count(), 3);
    let mut all = String::new();
    for n in &names {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut zip.by_name(n).unwrap(), &mut bytes).unwrap();
        assert!(bytes.starts_with(b"%PDF"), "{n}");
        all.push_str(&pdf_text(&bytes));
    }
    assert!(all.contains("Recommendations of the Individual Management Reviews"), "the action plan");
    assert!(all.contains("Child A"), "people by their labels");
    for name in FAMILY_NAMES {
        assert!(!all.contains(name), "the package names {name}");
    }
}

on_both_databases!(
    findings_are_recorded_by_the_panel_tagged_and_counted_across_reviews,
    notifications_are_kept_for_appointments_returns_and_approvals_and_marked_read,
    the_submission_package_holds_every_document_through_the_gate,
);
