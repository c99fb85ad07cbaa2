//! The review phase through the API: IMRs requested, designated, declared, written in
//! versions, submitted, returned and accepted; the combined chronology; the overview
//! report and the executive summary; the anonymisation gate on exports. On SQLite and
//! PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use backend::entities::*;
use common::{Backend, TestApp, code, pdf_text};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

const IMRS: &str = "query($id:Int!){review(id:$id){stage imrs{id status version agency{id name} authorName isMine
    independenceDeclared panelComments content{summary analysis{answer} staffSupport recommendations{action due}}
    chronology{id event version} missing{field}}}}";

async fn agency_id(app: &TestApp, name: &str) -> i32 {
    agency::Entity::find().filter(agency::Column::Name.eq(name)).one(&app.db).await.unwrap().unwrap().id
}

fn fields(v: &Value) -> Vec<String> {
    v["errors"][0]["extensions"]["fields"]
        .as_array()
        .map(|a| a.iter().map(|f| f["field"].as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

fn complete_content(owner: i32) -> Value {
    json!({
        "summary": "Two calls to the home and one referral.",
        "analysis": vec!["Answered with reference to the chronology."; 12],
        "lessons": "Refer every repeat incident.",
        "goodPractice": "Prompt attendance at hospital.",
        "recommendations": [{
            "action": "Brief officers on the referral pathway",
            "ownerAgencyId": owner,
            "due": (chrono::Utc::now().date_naive() + chrono::Duration::days(90)).to_string(),
            "intendedOutcome": "Every repeat incident is referred",
            "successMeasure": "Audit of 20 incidents"
        }],
        "staffSupport": "De-briefing offered."
    })
}

fn entry(date: &str) -> Value {
    json!({"date": date, "time": "09:30", "practitionerRole": "Police constable", "event": "Attended the home",
           "decisionOrAction": "Referral made", "childSeen": true, "source": "Incident log 44"})
}

const SAVE: &str = "mutation($i:Int!,$v:Int!,$c:ImrContentInput!){saveImr(imrId:$i,expectedVersion:$v,content:$c){id}}";
const ADD: &str = "mutation($i:Int!,$e:ChronologyEntryInput!){addChronologyEntry(imrId:$i,entry:$e){id}}";
const SUBMIT: &str = "mutation($i:Int!,$v:Int!){submitImr(imrId:$i,expectedVersion:$v){id}}";
const DECIDE: &str = "mutation($i:Int!,$a:Boolean!,$c:String){decideImr(imrId:$i,accept:$a,comments:$c){stage}}";
const DESIGNATE: &str = "mutation($i:Int!,$u:Int!){designateImrAuthor(imrId:$i,userId:$u){id}}";
const DECLARE: &str = "mutation($i:Int!,$d:Boolean!,$l:Boolean!){declareImrIndependence(imrId:$i,directInvolvement:$d,lineManagesPractitioners:$l){id}}";

async fn imr_of(app: &TestApp, token: &str, id: i32, agency: i32) -> Value {
    let d = app.ok(token, IMRS, json!({"id": id})).await;
    d["review"]["imrs"].as_array().unwrap().iter().find(|i| i["agency"]["id"] == agency).cloned().unwrap()
}

async fn an_imr_goes_from_request_through_return_to_acceptance(b: Backend) {
    let app = TestApp::spawn(b).await;
    let id = app.review_at("TERMS_AGREED").await;
    let (police, health, probation) = (
        agency_id(&app, "Greater Manchester Police").await,
        agency_id(&app, "Stockport NHS Foundation Trust").await,
        agency_id(&app, "National Probation Service North West").await,
    );
    let bm = app.login("manager@scr.example").await;
    let req = "mutation($id:Int!,$a:[Int!]!){requestImrs(reviewId:$id,agencyIds:$a){stage imrs{id status dueOn}}}";
    let v = app.gql(Some(&bm), req, json!({"id": id, "a": [police, probation, police]})).await;
    assert_eq!(code(&v), "VALIDATION");
    assert_eq!(fields(&v), ["agencyIds.1", "agencyIds.2"], "{v}");
    let d = app.ok(&bm, req, json!({"id": id, "a": [police, health]})).await;
    assert_eq!(d["requestImrs"]["stage"], "IMRS_REQUESTED");
    assert_eq!(d["requestImrs"]["imrs"].as_array().unwrap().len(), 2);
    let dl = deadline::Entity::find()
        .filter(deadline::Column::ReviewId.eq(id))
        .filter(deadline::Column::Kind.eq("imr_submission"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(d["requestImrs"]["imrs"][0]["dueOn"], dl.due_on.to_string(), "due with the 6-week deadline");
    let v = app.gql(Some(&bm), req, json!({"id": id, "a": [police]})).await;
    assert_eq!(fields(&v), ["agencyIds.0"], "asked twice");

    let am = app.login("agency.manager@scr.example").await;
    let hm = app.login("health.manager@scr.example").await;
    let police_imr = imr_of(&app, &am, id, police).await["id"].as_i64().unwrap();
    let author_id = app.user_id("imr.author@scr.example").await;
    let v = app.gql(Some(&hm), DESIGNATE, json!({"i": police_imr, "u": author_id})).await;
    assert_eq!(code(&v), "FORBIDDEN", "another agency's manager: {v}");
    let nurse = app.user_id("health.author@scr.example").await;
    let v = app.gql(Some(&am), DESIGNATE, json!({"i": police_imr, "u": nurse})).await;
    assert_eq!(v["errors"][0]["extensions"]["field"], "userId", "the author works for the agency: {v}");
    app.ok(&am, DESIGNATE, json!({"i": police_imr, "u": author_id})).await;

    let author = app.login("imr.author@scr.example").await;
    let v = app.gql(Some(&author), SAVE, json!({"i": police_imr, "v": 0, "c": {}})).await;
    assert_eq!(code(&v), "VALIDATION", "no writing before the declaration: {v}");
    let v = app.gql(Some(&author), DECLARE, json!({"i": police_imr, "d": true, "l": true})).await;
    assert_eq!(fields(&v), ["directInvolvement", "lineManagesPractitioners"]);
    let why = v["errors"][0]["extensions"]["fields"][0]["message"].as_str().unwrap();
    assert!(why.contains("designate another author"), "{v}");
    app.ok(&author, DECLARE, json!({"i": police_imr, "d": false, "l": false})).await;

    // Drafts save as versions; a stale save is refused and loses nothing stored.
    app.ok(&author, SAVE, json!({"i": police_imr, "v": 0, "c": {"summary": "First draft."}})).await;
    let v = app.gql(Some(&author), SAVE, json!({"i": police_imr, "v": 0, "c": {"summary": "Other tab."}})).await;
    assert_eq!(code(&v), "CONFLICT");
    assert_eq!(v["errors"][0]["extensions"]["currentVersion"], 1);
    let mine = imr_of(&app, &author, id, police).await;
    assert_eq!(mine["content"]["summary"], "First draft.");
    assert_eq!(mine["isMine"], true);

    // Submission lists every missing section.
    let v = app.gql(Some(&author), SUBMIT, json!({"i": police_imr, "v": 1})).await;
    let missing = fields(&v);
    for f in ["chronology", "analysis.0", "analysis.11", "lessons", "goodPractice", "staffSupport", "recommendations"] {
        assert!(missing.contains(&f.to_owned()), "{f} not listed: {missing:?}");
    }
    assert!(!missing.contains(&"summary".to_owned()));

    // Chronology entries: validated by field, edited against their version.
    let mut bad = entry("2999-01-01");
    bad["seenAlone"] = json!(true);
    bad["childSeen"] = json!(false);
    bad["event"] = json!(" ");
    let v = app.gql(Some(&author), ADD, json!({"i": police_imr, "e": bad})).await;
    assert_eq!(fields(&v), ["date", "event", "seenAlone"], "{v}");
    let mut bad = entry("2025-01-01");
    bad["time"] = json!("quarter past");
    assert_eq!(
        app.gql(Some(&author), ADD, json!({"i": police_imr, "e": bad})).await["errors"][0]["extensions"]["field"],
        "time"
    );
    app.ok(&author, ADD, json!({"i": police_imr, "e": entry("2025-03-04")})).await;
    let e = imr_of(&app, &author, id, police).await["chronology"][0].clone();
    let upd = "mutation($e:Int!,$v:Int!,$x:ChronologyEntryInput!){updateChronologyEntry(entryId:$e,expectedVersion:$v,entry:$x){id}}";
    app.ok(&author, upd, json!({"e": e["id"], "v": 1, "x": entry("2025-03-05")})).await;
    let v = app.gql(Some(&author), upd, json!({"e": e["id"], "v": 1, "x": entry("2025-03-06")})).await;
    assert_eq!(code(&v), "CONFLICT");

    // A recommendation that is not SMART stops submission.
    let mut c = complete_content(police);
    c["recommendations"][0]["due"] = json!("2020-01-01");
    app.ok(&author, SAVE, json!({"i": police_imr, "v": 1, "c": c})).await;
    let v = app.gql(Some(&author), SUBMIT, json!({"i": police_imr, "v": 2})).await;
    assert_eq!(fields(&v), ["recommendations.0.due"]);
    app.ok(&author, SAVE, json!({"i": police_imr, "v": 2, "c": complete_content(police)})).await;
    app.ok(&author, SUBMIT, json!({"i": police_imr, "v": 3})).await;
    let v = app.gql(Some(&author), SAVE, json!({"i": police_imr, "v": 3, "c": {}})).await;
    assert_eq!(v["errors"][0]["extensions"]["field"], "status", "submitted means frozen: {v}");

    // The panel returns it with comments; the author revises and resubmits; accepted.
    let chair = app.login("independent.chair@scr.example").await;
    let v = app.gql(Some(&chair), DECIDE, json!({"i": police_imr, "a": false})).await;
    assert_eq!(v["errors"][0]["extensions"]["field"], "comments");
    app.ok(&chair, DECIDE, json!({"i": police_imr, "a": false, "c": "Say more about the second call."})).await;
    let mine = imr_of(&app, &author, id, police).await;
    assert_eq!(mine["status"], "RETURNED");
    assert_eq!(mine["panelComments"], "Say more about the second call.");
    let mut c = complete_content(police);
    c["summary"] = json!("Two calls; the second is now analysed.");
    app.ok(&author, SAVE, json!({"i": police_imr, "v": 3, "c": c})).await;
    app.ok(&author, SUBMIT, json!({"i": police_imr, "v": 4})).await;
    let d = app.ok(&chair, DECIDE, json!({"i": police_imr, "a": true})).await;
    assert_eq!(d["decideImr"]["stage"], "IMRS_REQUESTED", "health's IMR is still out");
    let versions = "query($id:Int!){review(id:$id){imrs{versions content(version:1){summary}}}}";
    let d = app.ok(&chair, versions, json!({"id": id})).await;
    let p = d["review"]["imrs"].as_array().unwrap().iter().find(|i| i["versions"] == json!([1, 2, 3, 4])).unwrap();
    assert_eq!(p["content"]["summary"], "First draft.", "old versions stay readable");

    // Health's IMR done, the last acceptance moves the review on and meets the deadline.
    let health_imr = imr_of(&app, &hm, id, health).await["id"].as_i64().unwrap();
    app.ok(&hm, DESIGNATE, json!({"i": health_imr, "u": nurse})).await;
    let nt = app.login("health.author@scr.example").await;
    app.ok(&nt, DECLARE, json!({"i": health_imr, "d": false, "l": false})).await;
    app.ok(&nt, ADD, json!({"i": health_imr, "e": entry("2025-03-05")})).await;
    app.ok(&nt, SAVE, json!({"i": health_imr, "v": 0, "c": complete_content(health)})).await;
    app.ok(&nt, SUBMIT, json!({"i": health_imr, "v": 1})).await;
    let d = app.ok(&chair, DECIDE, json!({"i": health_imr, "a": true})).await;
    assert_eq!(d["decideImr"]["stage"], "IMRS_SUBMITTED");
    let dl = deadline::Entity::find_by_id(dl.id).one(&app.db).await.unwrap().unwrap();
    assert!(dl.met_on.is_some(), "the IMR deadline is met");
}

async fn authors_see_only_their_own_agencys_imr_and_the_panel_no_drafts(b: Backend) {
    let app = TestApp::spawn(b).await;
    let id = app.review_at("IMRS_REQUESTED").await;
    let police = agency_id(&app, "Greater Manchester Police").await;
    let health = agency_id(&app, "Stockport NHS Foundation Trust").await;
    let agencies_seen = |d: &Value| -> Vec<i64> {
        d["review"]["imrs"].as_array().unwrap().iter().map(|i| i["agency"]["id"].as_i64().unwrap()).collect()
    };
    let author = app.login("imr.author@scr.example").await;
    let d = app.ok(&author, IMRS, json!({"id": id})).await;
    assert_eq!(agencies_seen(&d), [i64::from(police)]);
    assert!(d["review"]["imrs"][0]["content"]["summary"].is_string(), "the author's own draft");
    let terms = "query($id:Int!){review(id:$id){termsOfReference{version}}}";
    assert!(app.ok(&author, terms, json!({"id": id})).await["review"]["termsOfReference"]["version"].is_i64());
    let combined = "query($id:Int!){review(id:$id){combinedChronology{total}}}";
    assert_eq!(code(&app.gql(Some(&author), combined, json!({"id": id})).await), "FORBIDDEN");
    let nurse = app.login("health.author@scr.example").await;
    assert_eq!(agencies_seen(&app.ok(&nurse, IMRS, json!({"id": id})).await), [i64::from(health)]);
    // Another agency's IMR by id: not found, for reading and for writing.
    let police_imr = imr::Entity::find()
        .filter(imr::Column::ReviewId.eq(id))
        .filter(imr::Column::AgencyId.eq(police))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let v = app.gql(Some(&nurse), SAVE, json!({"i": police_imr.id, "v": police_imr.version, "c": {}})).await;
    assert_eq!(code(&v), "FORBIDDEN", "{v}");

    let panel = app.login("panel.member@scr.example").await;
    let d = app.ok(&panel, IMRS, json!({"id": id})).await;
    let imrs = d["review"]["imrs"].as_array().unwrap();
    assert_eq!(imrs.len(), 3, "the panel follows every agency's IMR");
    for i in imrs {
        let submitted = i["status"] == "SUBMITTED";
        assert_eq!(i["content"].is_object(), submitted, "content only once submitted: {i}");
        assert_eq!(i["chronology"].as_array().unwrap().is_empty(), !submitted);
    }
    // An inspector (the review is notified to Ofsted) reads the submitted IMR with labels.
    let child = person::Entity::find()
        .filter(person::Column::ReviewId.eq(id))
        .filter(person::Column::Relationship.eq("child"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let first = child.name.split(' ').next().unwrap().to_owned();
    let chair = app.login("chair@scr.example").await;
    let full = app.ok(&chair, IMRS, json!({"id": id})).await.to_string();
    assert!(full.contains(&first), "the submitted IMR names the child for the board");
    let inspector = app.login("inspector@scr.example").await;
    let text = app.ok(&inspector, IMRS, json!({"id": id})).await.to_string();
    assert!(!text.contains(&first), "an inspector read {first}: {text}");
    assert!(text.contains("Child A") && text.contains("SUBMITTED"), "{text}");
}

/// The gaps of the whole combined chronology, read in one page.
async fn whole_gaps(app: &TestApp, who: &str, id: i32) -> Value {
    let q = "query($id:Int!){review(id:$id){combinedChronology{gaps{from to days}}}}";
    app.ok(who, q, json!({"id": id})).await["review"]["combinedChronology"]["gaps"].clone()
}

async fn the_combined_chronology_merges_filters_marks_links_and_exports(b: Backend) {
    let app = TestApp::spawn(b).await;
    let id = app.review_at("OVERVIEW_REPORT").await;
    let police = agency_id(&app, "Greater Manchester Police").await;
    let q = "query($id:Int!,$f:ChronologyFilterInput,$g:Int){review(id:$id){combinedChronology(filter:$f,gapDays:$g){
        total entries{id agencyName date seenAlone} gaps{from to days} suggestedConflicts{date personIds entryIds}
        links{entryA entryB note} agencies{name}}}}";
    let chair = app.login("chair@scr.example").await;
    let d = app.ok(&chair, q, json!({"id": id})).await;
    let c = &d["review"]["combinedChronology"];
    let entries = c["entries"].as_array().unwrap();
    assert_eq!(c["total"], 10);
    assert_eq!(entries.len(), 10);
    let dates: Vec<&str> = entries.iter().map(|e| e["date"].as_str().unwrap()).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "merged in time order");
    assert_eq!(c["agencies"].as_array().unwrap().len(), 3, "one lane per agency");
    assert!(!c["gaps"].as_array().unwrap().is_empty(), "months without contact are marked");
    for g in c["gaps"].as_array().unwrap() {
        assert!(g["days"].as_i64().unwrap() > 28);
    }
    // Police, health and social care all recorded the day of admission, and the police
    // and the health visitor the day of the second call: each about the child and the
    // mother, so one suggestion each.
    let suggested = c["suggestedConflicts"].as_array().unwrap();
    assert_eq!(suggested.len(), 2, "{suggested:?}");
    let sizes: Vec<usize> = suggested.iter().map(|s| s["entryIds"].as_array().unwrap().len()).collect();
    assert_eq!(sizes, [2, 3], "in date order: the second call, then the admission");
    assert!(suggested.iter().all(|s| s["personIds"].as_array().unwrap().len() == 2));
    let d = app.ok(&chair, q, json!({"id": id, "f": {"agencyIds": [police]}})).await;
    let e = d["review"]["combinedChronology"]["entries"].as_array().unwrap().clone();
    assert_eq!(e.len(), 3);
    assert!(e.iter().all(|x| x["agencyName"] == "Greater Manchester Police"));
    let d = app.ok(&chair, q, json!({"id": id, "f": {"seenAlone": true}})).await;
    let e = d["review"]["combinedChronology"]["entries"].as_array().unwrap().clone();
    assert_eq!(e.len(), 2);
    assert!(e.iter().all(|x| x["seenAlone"] == true));
    let v = app.gql(Some(&chair), q, json!({"id": id, "g": 0})).await;
    assert_eq!(v["errors"][0]["extensions"]["field"], "gapDays");

    // Paged: four entries a page, each page starting after the last one read; gaps and
    // suggestions are those of the whole chronology on every page.
    let paged = "query($id:Int!,$n:Int,$after:String){review(id:$id){combinedChronology(first:$n,after:$after){
        total filtered next entries{id} gaps{from to days} suggestedConflicts{entryIds}}}}";
    let all_ids: Vec<&Value> = entries.iter().map(|e| &e["id"]).collect();
    let (mut read, mut after, mut pages) = (Vec::new(), Value::Null, 0);
    loop {
        let d = app.ok(&chair, paged, json!({"id": id, "n": 4, "after": after})).await;
        let c = &d["review"]["combinedChronology"];
        assert_eq!((c["total"].as_i64(), c["filtered"].as_i64()), (Some(10), Some(10)), "{c}");
        assert_eq!(c["gaps"], whole_gaps(&app, &chair, id).await, "gaps differ on page {pages}");
        assert_eq!(c["suggestedConflicts"].as_array().map(Vec::len), Some(2), "{c}");
        let page = c["entries"].as_array().unwrap();
        assert!(page.len() <= 4 && !page.is_empty(), "{c}");
        read.extend(page.iter().map(|e| e["id"].clone()));
        pages += 1;
        match &c["next"] {
            Value::Null => break,
            n => after = n.clone(),
        }
    }
    assert_eq!(pages, 3, "10 entries at 4 a page");
    assert_eq!(read.iter().collect::<Vec<_>>(), all_ids, "every entry once, in order");
    for (vars, field) in [
        (json!({"id": id, "n": 0}), "first"),
        (json!({"id": id, "n": 5001}), "first"),
        (json!({"id": id, "after": "not a cursor"}), "after"),
        (json!({"id": id, "after": "2147483647"}), "after"),
    ] {
        let v = app.gql(Some(&chair), paged, vars).await;
        assert_eq!(v["errors"][0]["extensions"]["field"], field, "{v}");
    }

    // The panel links two entries; twice is refused, as is an entry from elsewhere.
    let pair = json!({"entryA": c["suggestedConflicts"][0]["entryIds"][0], "entryB": c["suggestedConflicts"][0]["entryIds"][1]});
    let link = "mutation($id:Int!,$a:Int!,$b:Int!,$n:String!){linkChronologyEntries(reviewId:$id,entryA:$a,entryB:$b,note:$n){id}}";
    let panel = app.login("panel.member@scr.example").await;
    let vars =
        json!({"id": id, "a": pair["entryB"], "b": pair["entryA"], "n": "Different times given for the admission."});
    app.ok(&panel, link, vars.clone()).await;
    assert_eq!(app.gql(Some(&panel), link, vars).await["errors"][0]["extensions"]["field"], "entryB");
    let elsewhere = chronology_entry::Entity::find()
        .filter(chronology_entry::Column::ReviewId.ne(id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let v = app.gql(Some(&panel), link, json!({"id": id, "a": pair["entryA"], "b": elsewhere.id, "n": "x"})).await;
    assert_eq!(code(&v), "VALIDATION");
    let d = app.ok(&chair, q, json!({"id": id})).await;
    assert_eq!(d["review"]["combinedChronology"]["links"][0]["entryA"], pair["entryA"]);

    // CSV export: a header and one row per entry, people by label.
    let (status, ct, body) = app.get(Some(&chair), &format!("/api/reviews/{id}/export/chronology?format=csv")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("text/csv"));
    let text = String::from_utf8(body).unwrap();
    let mut rows = csv_rows(&text);
    assert_eq!(rows.remove(0)[0], "Date");
    assert_eq!(rows.len(), 10);
    assert!(rows.iter().all(|r| r[11].contains("Child A") && r[11].contains("Mother")), "{text}");
    // Someone who may not read the combined chronology may not export it.
    let author = app.login("imr.author@scr.example").await;
    let (status, _, _) = app.get(Some(&author), &format!("/api/reviews/{id}/export/chronology?format=csv")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = app.get(None, &format!("/api/reviews/{id}/export/chronology?format=csv")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    // The export quotes fields holding commas; split them the way a reader would.
    let mut out = Vec::new();
    for line in text.lines() {
        let mut row = Vec::new();
        let (mut cur, mut quoted) = (String::new(), false);
        for ch in line.chars() {
            match (ch, quoted) {
                ('"', _) => quoted = !quoted,
                (',', false) => row.push(std::mem::take(&mut cur)),
                _ => cur.push(ch),
            }
        }
        row.push(cur);
        out.push(row);
    }
    out
}

async fn reports_are_versioned_confirmed_and_the_summary_starts_from_the_report(b: Backend) {
    let app = TestApp::spawn(b).await;
    let id = app.review_at("OVERVIEW_REPORT").await;
    let police = agency_id(&app, "Greater Manchester Police").await;
    let save =
        "mutation($id:Int!,$v:Int!,$s:[String!]!){saveOverviewReport(reviewId:$id,expectedVersion:$v,sections:$s){id}}";
    let author = app.login("author@scr.example").await;
    let sections = json!(["Intro v2", "Facts v2", "Analysis v2", "Conclusions v2"]);
    app.ok(&author, save, json!({"id": id, "v": 1, "s": sections})).await;
    let v = app.gql(Some(&author), save, json!({"id": id, "v": 1, "s": sections})).await;
    assert_eq!(code(&v), "CONFLICT");
    let v = app.gql(Some(&author), save, json!({"id": id, "v": 2, "s": ["only one"]})).await;
    assert_eq!(v["errors"][0]["extensions"]["field"], "sections");
    let panel = app.login("panel.member@scr.example").await;
    assert_eq!(code(&app.gql(Some(&panel), save, json!({"id": id, "v": 2, "s": sections})).await), "FORBIDDEN");
    let read = "query($id:Int!,$v:Int){review(id:$id){overviewReport(version:$v){version latest sections{key text}}
        documentVersions{overviewReport} reportConfirmations{agency{id} reportVersion}}}";
    let d = app.ok(&panel, read, json!({"id": id, "v": 1})).await;
    assert_eq!(d["review"]["overviewReport"]["latest"], false);
    assert_eq!(d["review"]["documentVersions"]["overviewReport"], json!([1, 2]));
    assert_eq!(d["review"]["reportConfirmations"][0]["reportVersion"], 1);

    // Confirmation is of the latest version, by the agency itself.
    let confirm =
        "mutation($id:Int!,$a:Int!,$v:Int!){confirmRepresentation(reviewId:$id,agencyId:$a,reportVersion:$v){id}}";
    let am = app.login("agency.manager@scr.example").await;
    assert_eq!(code(&app.gql(Some(&am), confirm, json!({"id": id, "a": police, "v": 1})).await), "CONFLICT");
    let hm = app.login("health.manager@scr.example").await;
    assert_eq!(code(&app.gql(Some(&hm), confirm, json!({"id": id, "a": police, "v": 2})).await), "FORBIDDEN");
    app.ok(&am, confirm, json!({"id": id, "a": police, "v": 2})).await;
    let v = app.gql(Some(&am), confirm, json!({"id": id, "a": police, "v": 2})).await;
    assert_eq!(v["errors"][0]["extensions"]["field"], "agencyId", "once per version");

    // Without a saved summary, the draft comes from the report's sections.
    executive_summary::Entity::delete_many()
        .filter(executive_summary::Column::ReviewId.eq(id))
        .exec(&app.db)
        .await
        .unwrap();
    let q = "query($id:Int!){review(id:$id){executiveSummary{version prefilled sections{key text}}}}";
    let d = app.ok(&panel, q, json!({"id": id})).await;
    let s = &d["review"]["executiveSummary"];
    assert_eq!(s["prefilled"], true);
    assert_eq!(s["version"], 0);
    let texts: Vec<&str> = s["sections"].as_array().unwrap().iter().map(|x| x["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["Intro v2", "Facts v2", "Analysis v2", "Conclusions v2"]);
    let save_s = "mutation($id:Int!,$v:Int!,$s:[String!]!){saveExecutiveSummary(reviewId:$id,expectedVersion:$v,sections:$s){executiveSummary{version prefilled}}}";
    let d = app.ok(&panel, save_s, json!({"id": id, "v": 0, "s": texts})).await;
    assert_eq!(d["saveExecutiveSummary"]["executiveSummary"], json!({"version": 1, "prefilled": false}));
}

fn docx_text(bytes: &[u8]) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut z.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    xml
}

async fn a_summary_naming_the_mother_cannot_leave_until_the_name_is_replaced(b: Backend) {
    let app = TestApp::spawn(b).await;
    let id = app.review_at("OVERVIEW_REPORT").await;
    let chair = app.login("chair@scr.example").await;
    let url =
        |doc: &str, fmt: &str, purpose: &str| format!("/api/reviews/{id}/export/{doc}?format={fmt}&purpose={purpose}");
    let (status, _, body) = app.get(Some(&chair), &url("executive-summary", "pdf", "outside")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let err: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(err["extensions"]["code"], "GATE_FAILED");
    assert_eq!(err["extensions"]["hits"], json!([{"found": "Kelly Sutton", "label": "Mother"}]), "{err}");
    // Inside the board the draft exports as written.
    let (status, _, body) = app.get(Some(&chair), &url("executive-summary", "pdf", "internal")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(pdf_text(&body).contains("Kelly Sutton"));
    // Only those who may send documents out may export for outside use.
    let panel = app.login("panel.member@scr.example").await;
    assert_eq!(app.get(Some(&panel), &url("executive-summary", "pdf", "outside")).await.0, StatusCode::FORBIDDEN);

    // The panel replaces the name with the label the gate offers; now it leaves, as
    // PDF and DOCX, with the names 11.16 allows.
    let q = "query($id:Int!){review(id:$id){executiveSummary{version sections{text}}}}";
    let d = app.ok(&panel, q, json!({"id": id})).await;
    let s = &d["review"]["executiveSummary"];
    let texts: Vec<String> = s["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["text"].as_str().unwrap().replace("Kelly Sutton", "Mother"))
        .collect();
    let save = "mutation($id:Int!,$v:Int!,$s:[String!]!){saveExecutiveSummary(reviewId:$id,expectedVersion:$v,sections:$s){id}}";
    app.ok(&panel, save, json!({"id": id, "v": s["version"], "s": texts})).await;
    let (status, ct, body) = app.get(Some(&chair), &url("executive-summary", "pdf", "outside")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ct, "application/pdf");
    let text = pdf_text(&body);
    assert!(text.contains("Mother told the health visitor"), "{text}");
    assert!(text.contains("Alan Forbes") && text.contains("Julia Stone"), "the names 11.16 allows: {text}");
    assert!(!text.contains("Sutton"), "{text}");
    let (status, _, body) = app.get(Some(&chair), &url("executive-summary", "docx", "outside")).await;
    assert_eq!(status, StatusCode::OK);
    let xml = docx_text(&body);
    assert!(xml.contains("Mother told the health visitor") && !xml.contains("Sutton"));

    // The overview report for outside use carries the genogram and chronology by label.
    let (status, _, body) = app.get(Some(&chair), &url("overview-report", "pdf", "outside")).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let text = pdf_text(&body);
    assert!(text.contains("Genogram") && text.contains("Child A") && text.contains("Mother"), "{text}");
    assert!(!text.contains("Mia") && !text.contains("Sutton"), "{text}");
    // Documents not written for publication are pseudonymised on the way out.
    let imr = imr::Entity::find().filter(imr::Column::ReviewId.eq(id)).one(&app.db).await.unwrap().unwrap();
    let (status, _, body) = app.get(Some(&chair), &format!("{}&imr={}", url("imr", "docx", "outside"), imr.id)).await;
    assert_eq!(status, StatusCode::OK);
    let xml = docx_text(&body);
    assert!(xml.contains("Child A") && !xml.contains("Mia"), "{xml}");
    let (status, _, body) = app.get(Some(&chair), &url("terms-of-reference", "pdf", "internal")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(pdf_text(&body).contains("Terms of reference"));
    let (status, _, _) = app.get(Some(&chair), &url("terms-of-reference", "csv", "internal")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "only the chronology is a table");
}

on_both_databases!(
    an_imr_goes_from_request_through_return_to_acceptance,
    authors_see_only_their_own_agencys_imr_and_the_panel_no_drafts,
    the_combined_chronology_merges_filters_marks_links_and_exports,
    reports_are_versioned_confirmed_and_the_summary_starts_from_the_report,
    a_summary_naming_the_mother_cannot_leave_until_the_name_is_replaced,
);
