//! The completion phase through the API: from the overview report to conclusion, with
//! every gate refused before it is passed. On SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use backend::entities::*;
use common::{Backend, TestApp, code};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

fn fields(v: &Value) -> Vec<String> {
    v["errors"][0]["extensions"]["fields"]
        .as_array()
        .map(|a| a.iter().map(|f| f["field"].as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

fn messages(v: &Value) -> String {
    v["errors"][0]["extensions"]["fields"].to_string()
}

async fn agency_id(app: &TestApp, name: &str) -> i32 {
    agency::Entity::find().filter(agency::Column::Name.eq(name)).one(&app.db).await.unwrap().unwrap().id
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

const STAGE: &str = "query($id:Int!){review(id:$id){stage}}";

async fn stage(app: &TestApp, token: &str, id: i32) -> String {
    app.ok(token, STAGE, json!({"id": id})).await["review"]["stage"].as_str().unwrap().to_owned()
}

/// Takes the demo review at "overview report" through assurance, approval and
/// submission; returns its id.
async fn submitted(app: &TestApp) -> i32 {
    let id = app.review_at("OVERVIEW_REPORT").await;
    let panel = app.login("panel@scr.example").await;
    let qa = "mutation($id:Int!){recordQualityAssurance(reviewId:$id,notes:\"Checked against 11.14.\"){stage}}";
    // Refused while the summary names the mother and two agencies have not confirmed.
    let v = app.gql(Some(&panel), qa, json!({"id": id})).await;
    assert_eq!(code(&v), "VALIDATION");
    let m = messages(&v);
    assert!(m.contains("Kelly Sutton") && m.contains("Mother"), "{m}");
    assert_eq!(fields(&v).iter().filter(|f| *f == "confirmations").count(), 2, "{m}");
    // The panel chair replaces the name; health and social care confirm.
    app.replace_in_summary(id, "Kelly Sutton", "Mother").await;
    let confirm = "mutation($id:Int!,$a:Int!){confirmRepresentation(reviewId:$id,agencyId:$a,reportVersion:1){id}}";
    for (who, agency) in [
        ("health.manager@scr.example", "Stockport NHS Foundation Trust"),
        ("social.manager@scr.example", "Stockport Children's Social Care"),
    ] {
        let t = app.login(who).await;
        app.ok(&t, confirm, json!({"id": id, "a": agency_id(app, agency).await})).await;
    }
    assert_eq!(app.ok(&panel, qa, json!({"id": id})).await["recordQualityAssurance"]["stage"], "QUALITY_ASSURED");

    // A letter to Ofsted about an extension needs the Chair's consent first.
    let bm = app.login("manager@scr.example").await;
    let letter = "mutation($id:Int!,$d:NaiveDate!){recordOfstedLetter(reviewId:$id,kind:EXTENSION_LETTER,sentOn:$d,reasons:\"The trial\",progress:\"Report drafted\"){id}}";
    let v = app.gql(Some(&bm), letter, json!({"id": id, "d": today()})).await;
    assert_eq!(fields(&v), ["kind"], "{v}");
    let board_chair = app.login("chair@scr.example").await;
    let due = deadline::Entity::find()
        .filter(deadline::Column::ReviewId.eq(id))
        .filter(deadline::Column::Kind.eq("completion"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .due_on;
    let extend = "mutation($id:Int!,$d:NaiveDate!){extendDeadline(reviewId:$id,kind:COMPLETION,dueOn:$d,reason:\"Awaiting the criminal trial\"){id}}";
    app.ok(&board_chair, extend, json!({"id": id, "d": due + chrono::Duration::days(60)})).await;
    app.ok(&bm, letter, json!({"id": id, "d": today()})).await;

    // Submission waits for the Chair's approval.
    let submit = "mutation($id:Int!,$d:NaiveDate!){submitReview(reviewId:$id,sentOn:$d){stage}}";
    let v = app.gql(Some(&bm), submit, json!({"id": id, "d": today()})).await;
    assert_eq!(v["errors"][0]["extensions"]["field"], "review");
    let approve = "mutation($id:Int!){approveReport(reviewId:$id){id}}";
    app.ok(&board_chair, approve, json!({"id": id})).await;
    assert_eq!(code(&app.gql(Some(&board_chair), approve, json!({"id": id})).await), "VALIDATION", "approved once");
    assert_eq!(app.ok(&bm, submit, json!({"id": id, "d": today()})).await["submitReview"]["stage"], "SUBMITTED");
    let dl = deadline::Entity::find()
        .filter(deadline::Column::ReviewId.eq(id))
        .filter(deadline::Column::Kind.eq("completion"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(dl.met_on, Some(today()));
    id
}

const ADD: &str = "mutation($id:Int!,$i:ActionInput!){addAction(reviewId:$id,input:$i){id}}";
const ACTIONS: &str = "query($id:Int!){review(id:$id){actions{id status version isMine recommendation ownerName}}}";
const PROGRESS: &str = "mutation($a:Int!,$v:Int!,$n:String!,$c:Boolean){recordProgress(actionId:$a,expectedVersion:$v,note:$n,requestClosure:$c){id}}";
const DECIDE: &str = "mutation($a:Int!,$ok:Boolean!,$c:String,$r:NaiveDate){decideClosure(actionId:$a,approve:$ok,comment:$c,reauditOn:$r){id}}";

fn action(agency: i32, owner: i32, due_in_days: i64) -> Value {
    json!({
        "recommendation": "Brief every health visitor on the referral pathway",
        "agencyId": agency,
        "ownerId": owner,
        "dueOn": (today() + chrono::Duration::days(due_in_days)).to_string(),
        "intendedOutcome": "Every concern is referred",
        "successMeasure": "Audit of 20 cases"
    })
}

async fn a_review_goes_from_its_report_to_conclusion_through_every_gate(b: Backend) {
    let app = TestApp::spawn(b).await;
    let id = submitted(&app).await;
    let bm = app.login("manager@scr.example").await;

    // Ofsted's evaluation; its amendments become tasks.
    let eval = "mutation($id:Int!,$d:NaiveDate!){recordEvaluation(reviewId:$id,receivedOn:$d,judgement:\"Adequate\",amendments:[\"Clarify the chronology\",\"Add the GP's view\"]){stage amendments{id description doneOn}}}";
    let d = app.ok(&bm, eval, json!({"id": id, "d": today()})).await;
    assert_eq!(d["recordEvaluation"]["stage"], "EVALUATED");
    let amendment = d["recordEvaluation"]["amendments"][0]["id"].clone();
    let done = "mutation($a:Int!){completeAmendment(amendmentId:$a){amendments{doneOn}}}";
    assert!(
        app.ok(&bm, done, json!({"a": amendment})).await["completeAmendment"]["amendments"][0]["doneOn"].is_string()
    );

    // Actions: SMART, for an involved agency, owned by a real user.
    let health = agency_id(&app, "Stockport NHS Foundation Trust").await;
    let probation = agency_id(&app, "National Probation Service North West").await;
    let nurse = app.user_id("health.author@scr.example").await;
    let police_author = app.user_id("imr.author@scr.example").await;
    let v = app.gql(Some(&bm), ADD, json!({"id": id, "i": action(health, nurse, -1)})).await;
    assert_eq!(fields(&v), ["dueOn"]);
    let v = app.gql(Some(&bm), ADD, json!({"id": id, "i": action(probation, nurse, 30)})).await;
    assert_eq!(fields(&v), ["agencyId"]);
    app.ok(&bm, ADD, json!({"id": id, "i": action(health, nurse, 30)})).await;
    app.ok(&bm, ADD, json!({"id": id, "i": action(health, police_author, 60)})).await;
    let meeting = "mutation($id:Int!,$h:NaiveDate!,$u:NaiveDate!){recordPlanningMeeting(reviewId:$id,heldOn:$h,participants:\"Agency leads\",updatesDue:$u){stage}}";
    let d = app.ok(&bm, meeting, json!({"id": id, "h": today(), "u": today() + chrono::Duration::days(28)})).await;
    assert_eq!(d["recordPlanningMeeting"]["stage"], "ACTION_PLANNING");
    // The agency's senior manager signs up; another agency's manager cannot.
    let sign = "mutation($id:Int!,$a:Int!){signUpActions(reviewId:$id,agencyId:$a){id}}";
    let police_manager = app.login("agency.manager@scr.example").await;
    assert_eq!(code(&app.gql(Some(&police_manager), sign, json!({"id": id, "a": health})).await), "FORBIDDEN");
    let hm = app.login("health.manager@scr.example").await;
    app.ok(&hm, sign, json!({"id": id, "a": health})).await;

    // The owner sees their own action only, also across reviews.
    let owner = app.login("health.author@scr.example").await;
    let d = app.ok(&owner, ACTIONS, json!({"id": id})).await;
    let mine = d["review"]["actions"].as_array().unwrap().clone();
    evidence_is_checked_kept_and_shown_only_to_those_who_see_the_action(&app, &owner, mine[0]["id"].as_i64().unwrap())
        .await;
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(mine[0]["isMine"], true);
    let a = mine[0]["id"].as_i64().unwrap();
    // Across reviews: this one and the demo's action plan, all theirs.
    let across = app.ok(&owner, "{actions(filter:{mine:true}){id isMine review{reference}}}", json!({})).await;
    let across = across["actions"].as_array().unwrap().clone();
    assert!(across.iter().any(|x| x["id"] == a) && across.iter().all(|x| x["isMine"] == true), "{across:?}");
    let v = app.gql(Some(&owner), PROGRESS, json!({"a": a, "v": 99, "n": "Briefings booked"})).await;
    assert_eq!(code(&v), "CONFLICT");
    // Signing up counted as a change: the owner edits from the version they read.
    let v = mine[0]["version"].as_i64().unwrap();
    assert_eq!(v, 2);
    app.ok(&owner, PROGRESS, json!({"a": a, "v": v, "n": "Briefings booked"})).await;
    app.ok(&owner, PROGRESS, json!({"a": a, "v": v + 1, "n": "All 40 briefed; attendance list kept", "c": true})).await;
    assert_eq!(code(&app.gql(Some(&owner), DECIDE, json!({"a": a, "ok": true})).await), "FORBIDDEN");
    // The sub-group decides: a refusal needs a comment; approval may set a re-audit.
    let psg = app.login("subgroup@scr.example").await;
    assert_eq!(
        app.gql(Some(&psg), DECIDE, json!({"a": a, "ok": false})).await["errors"][0]["extensions"]["field"],
        "comment"
    );
    let later = today() + chrono::Duration::days(180);
    app.ok(&psg, DECIDE, json!({"a": a, "ok": true, "r": later})).await;
    let reaudit = "mutation($a:Int!){recordReaudit(actionId:$a,result:\"Sustained\"){id}}";
    app.ok(&psg, reaudit, json!({"a": a})).await;

    // The business manager owning an action cannot approve its own closure.
    let bm_id = app.user_id("manager@scr.example").await;
    app.ok(&bm, ADD, json!({"id": id, "i": action(health, bm_id, 20)})).await;
    let d = app.ok(&bm, ACTIONS, json!({"id": id})).await;
    let own = d["review"]["actions"].as_array().unwrap().iter().find(|x| x["isMine"] == true).unwrap().clone();
    let own_id = own["id"].as_i64().unwrap();
    app.ok(&bm, PROGRESS, json!({"a": own_id, "v": 1, "n": "Done", "c": true})).await;
    let v = app.gql(Some(&bm), DECIDE, json!({"a": own_id, "ok": true})).await;
    assert_eq!(code(&v), "FORBIDDEN", "{v}");
    app.ok(&psg, DECIDE, json!({"a": own_id, "ok": true})).await;

    // A partner board reads the plan with labels only.
    let partner = app.login("partner@scr.example").await;
    let text = app.ok(&partner, ACTIONS, json!({"id": id})).await.to_string();
    assert!(!text.contains("Mia") && text.contains("Brief every health visitor"), "{text}");

    // Publication: refused while the criminal trial is open and the notices unsent.
    let process = "mutation($id:Int!){recordParallelProcess(reviewId:$id,kind:CRIMINAL_PROCEEDINGS,status:OPEN,description:\"R v the mother's partner\"){id}}";
    app.ok(&bm, process, json!({"id": id})).await;
    let publish = "mutation($id:Int!,$o:String){publish(reviewId:$id,overrideReason:$o){stage}}";
    let v = app.gql(Some(&bm), publish, json!({"id": id})).await;
    let f = fields(&v);
    assert!(f.contains(&"plan".to_owned()) && f.contains(&"overrideReason".to_owned()), "{v}");
    assert_eq!(
        f.iter().filter(|x| *x == "notices").count(),
        8,
        "eight bodies and the family, no custody bodies: {f:?}"
    );
    let plan = "mutation($id:Int!,$d:NaiveDate!){planPublication(reviewId:$id,plannedOn:$d){id}}";
    app.ok(&bm, plan, json!({"id": id, "d": today() + chrono::Duration::days(14)})).await;
    let notice = "mutation($id:Int!,$b:NoticeBody!,$d:NaiveDate!){recordNotice(reviewId:$id,body:$b,sentOn:$d){id}}";
    for body in [
        "DEPARTMENT_FOR_EDUCATION",
        "OFSTED",
        "STRATEGIC_HEALTH_AUTHORITY",
        "CARE_QUALITY_COMMISSION",
        "HMIC",
        "HMIP",
        "HMI_PROBATION",
        "FAMILY",
    ] {
        app.ok(&bm, notice, json!({"id": id, "b": body, "d": today()})).await;
    }
    assert_eq!(
        app.gql(Some(&bm), notice, json!({"id": id, "b": "OFSTED", "d": today()})).await["errors"][0]["extensions"]["field"],
        "body"
    );
    let v = app.gql(Some(&bm), publish, json!({"id": id})).await;
    assert_eq!(fields(&v), ["overrideReason"], "only the open trial stands in the way: {v}");
    assert!(messages(&v).contains("Criminal proceedings"));
    let problems = app.ok(&bm, "query($id:Int!){review(id:$id){publicationProblems{field}}}", json!({"id": id})).await;
    assert_eq!(problems["review"]["publicationProblems"], json!([{"field": "overrideReason"}]));
    let reference =
        app.ok(&bm, "query($id:Int!){review(id:$id){reference}}", json!({"id": id})).await["review"]["reference"]
            .as_str()
            .unwrap()
            .to_owned();
    let (status, _, _) = app.get(None, &format!("/published/{reference}")).await;
    assert_eq!(status, axum::http::StatusCode::NOT_FOUND, "nothing is public before publication");
    let d = app.ok(&bm, publish, json!({"id": id, "o": "The court has agreed publication may go ahead"})).await;
    assert_eq!(d["publish"]["stage"], "PUBLISHED");
    // The published summary is readable by anyone, anonymised.
    let (status, ct, body) = app.get(None, &format!("/published/{reference}")).await;
    assert_eq!(status, axum::http::StatusCode::OK);
    assert!(ct.starts_with("text/html"));
    let html = String::from_utf8(body).unwrap();
    assert!(
        html.contains("Mother told the health visitor") && !html.contains("Sutton") && !html.contains("Mia"),
        "{html}"
    );

    // Conclusion waits for every action.
    let conclude = "mutation($id:Int!,$d:NaiveDate!){conclude(reviewId:$id,governmentOfficeToldOn:$d){stage}}";
    let chair = app.login("chair@scr.example").await;
    let v = app.gql(Some(&chair), conclude, json!({"id": id, "d": today()})).await;
    assert_eq!(v["errors"][0]["extensions"]["field"], "actions");
    assert!(v["errors"][0]["message"].as_str().unwrap().contains("1 action(s)"), "{v}");
    let author = app.login("imr.author@scr.example").await;
    let d = app.ok(&author, ACTIONS, json!({"id": id})).await;
    let last = d["review"]["actions"][0]["id"].as_i64().unwrap();
    let v = d["review"]["actions"][0]["version"].clone();
    app.ok(&author, PROGRESS, json!({"a": last, "v": v, "n": "Done", "c": true})).await;
    app.ok(&bm, DECIDE, json!({"a": last, "ok": true})).await;
    assert_eq!(app.ok(&chair, conclude, json!({"id": id, "d": today()})).await["conclude"]["stage"], "CONCLUDED");
    assert_eq!(stage(&app, &chair, id).await, "CONCLUDED");
    let kinds: Vec<String> = milestone::Entity::find()
        .filter(milestone::Column::ReviewId.eq(id))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.kind)
        .collect();
    for k in [
        "quality_assured",
        "approved",
        "extension_letter",
        "submitted",
        "evaluation",
        "planning_meeting",
        "publication_plan",
        "published",
        "government_office_notice",
    ] {
        assert!(kinds.contains(&k.to_owned()), "{k} missing from {kinds:?}");
    }
}

async fn the_sub_group_sees_overdue_actions_across_reviews_with_labels(b: Backend) {
    let app = TestApp::spawn(b).await;
    let q = "{actions(filter:{overdueOnly:true}){overdue status recommendation agency{name} review{reference}}}";
    let psg = app.login("subgroup@scr.example").await;
    let d = app.ok(&psg, q, json!({})).await;
    let list = d["actions"].as_array().unwrap().clone();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["overdue"], true);
    assert_eq!(list[0]["agency"]["name"], "Greater Manchester Police");
    // Everything the sub-group reads of the plan is pseudonymised.
    let all =
        app.ok(&psg, "{actions{recommendation updates{note} review{child{label name}}}}", json!({})).await.to_string();
    assert!(!all.contains("Leo") && !all.contains("Donna") && all.contains("Child A"), "{all}");
    // Owners see their own; someone with no reason to read a plan sees none.
    let owner = app.login("social.author@scr.example").await;
    let d = app.ok(&owner, "{actions{status isMine}}", json!({})).await;
    assert_eq!(d["actions"], json!([{"status": "CLOSURE_REQUESTED", "isMine": true}]));
    let referrer = app.login("professional@scr.example").await;
    assert_eq!(app.ok(&referrer, "{actions{id}}", json!({})).await["actions"], json!([]));
}

async fn evidence_is_checked_kept_and_shown_only_to_those_who_see_the_action(app: &TestApp, owner: &str, action: i64) {
    use axum::http::StatusCode;
    let path = format!("/api/actions/{action}/evidence?name=attendance.txt");
    let (status, body) = app.upload(Some(owner), &path, b"40 of 40 health visitors attended".to_vec()).await;
    assert_eq!(status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&body));
    let id = serde_json::from_slice::<Value>(&body).unwrap()["id"].as_i64().unwrap();
    // A program renamed to .pdf, and a file over the limit, are refused.
    let renamed = format!("/api/actions/{action}/evidence?name=audit.pdf");
    let (status, body) = app.upload(Some(owner), &renamed, b"MZ\x90\x00\x03\x00\x00\x00\x04\x00".to_vec()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(serde_json::from_slice::<Value>(&body).unwrap()["extensions"]["field"], "file");
    let (status, _) = app.upload(Some(owner), &path, vec![b'a'; 6 * 1024 * 1024]).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    // Someone else's action is not theirs to add to.
    let other = app.login("imr.author@scr.example").await;
    let (status, _) = app.upload(Some(&other), &path, b"x".to_vec()).await;
    assert!(status == StatusCode::NOT_FOUND || status == StatusCode::FORBIDDEN, "{status}");
    // Listed with the action; downloadable by the board, not by another owner.
    let d = app.ok(owner, "{actions(filter:{mine:true}){id evidence{id fileName kind size}}}", json!({})).await;
    let listed = d["actions"].as_array().unwrap().iter().find(|a| a["id"] == action).unwrap()["evidence"].clone();
    assert_eq!(listed, json!([{"id": id, "fileName": "attendance.txt", "kind": "Plain text", "size": 33}]));
    let bm = app.login("manager@scr.example").await;
    let (status, ct, bytes) = app.get(Some(&bm), &format!("/api/evidence/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("text/plain"));
    assert_eq!(bytes, b"40 of 40 health visitors attended");
    assert_eq!(app.get(Some(&other), &format!("/api/evidence/{id}")).await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.get(None, &format!("/api/evidence/{id}")).await.0, StatusCode::UNAUTHORIZED);
    // Readers of labels only (the sub-group, who decide closures, and the analyst)
    // receive a text file masked like any free text, and no other kind of file; the
    // name a file was uploaded under loses its bidirectional and invisible characters.
    let path = format!("/api/actions/{action}/evidence?name=visit%E2%80%AEtxt.exe%E2%80%8B");
    let review = action::Entity::find_by_id(action as i32).one(&app.db).await.unwrap().unwrap().review_id;
    let people = person::Entity::find().filter(person::Column::ReviewId.eq(review)).all(&app.db).await.unwrap();
    let mother = people.iter().find(|p| p.relationship == "mother").unwrap();
    let first_line = mother.address.as_deref().unwrap().split(',').next().unwrap();
    let visit = format!("{} was seen at {first_line}, SK4 6LL.", mother.name);
    let (status, body) = app.upload(Some(owner), &path, visit.clone().into_bytes()).await;
    assert_eq!(status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&body));
    let text_id = serde_json::from_slice::<Value>(&body).unwrap()["id"].as_i64().unwrap();
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
    let (status, body) = app.upload(Some(owner), &format!("/api/actions/{action}/evidence?name=chart.png"), png).await;
    assert_eq!(status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&body));
    let png_id = serde_json::from_slice::<Value>(&body).unwrap()["id"].as_i64().unwrap();
    let d = app.ok(owner, "{actions(filter:{mine:true}){id evidence{id fileName}}}", json!({})).await;
    let listed = d["actions"].as_array().unwrap().iter().find(|a| a["id"] == action).unwrap()["evidence"].clone();
    assert_eq!(listed[1], json!({"id": text_id, "fileName": "visittxt.exe"}));
    for reader in ["subgroup@scr.example", "analyst@scr.example"] {
        let token = app.login(reader).await;
        let (status, _, bytes) = app.get(Some(&token), &format!("/api/evidence/{text_id}")).await;
        assert_eq!(status, StatusCode::OK, "{reader}");
        let masked = format!("{} was seen at [address], [postcode].", mother.label);
        assert_eq!(String::from_utf8(bytes).unwrap(), masked, "{reader}");
        assert_eq!(app.get(Some(&token), &format!("/api/evidence/{png_id}")).await.0, StatusCode::FORBIDDEN);
    }
    // The board, who read names in full, get the file as uploaded.
    let (_, _, bytes) = app.get(Some(&bm), &format!("/api/evidence/{text_id}")).await;
    assert_eq!(bytes, visit.as_bytes());
}

async fn the_boards_report_counts_timeliness_overdue_work_and_categories(b: Backend) {
    let app = TestApp::spawn(b).await;
    let q = "{report{reviews timeliness{decisions decidedWithin28Days submissions submittedOnTime submittedOnTimeWithExtensions}
        overdueImrsByAgency{label count} overdueActionsByAgency{label count} actionsByStatus{label count}
        openActionsByAge{label count} reviewsByCategory{label count}}}";
    let chair = app.login("chair@scr.example").await;
    let r = app.ok(&chair, q, json!({})).await["report"].clone();
    assert_eq!(r["reviews"], 11, "{r}");
    let t = &r["timeliness"];
    // Decided: four cases of the decision phase, the closed one and the three of the
    // review and completion phases (8 of the 11).
    assert_eq!(t["decisions"], 8, "{t}");
    assert!(t["decidedWithin28Days"].as_i64().unwrap() <= 8);
    assert_eq!(t["submissions"], 1, "the review planning its actions was submitted");
    assert_eq!(t["submittedOnTime"], 1);
    assert_eq!(r["overdueActionsByAgency"], json!([{"label": "Greater Manchester Police", "count": 1}]));
    let status: Vec<(String, i64)> = r["actionsByStatus"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["label"].as_str().unwrap().to_owned(), c["count"].as_i64().unwrap()))
        .collect();
    assert_eq!(status, [("Open".to_owned(), 2), ("Closure requested".to_owned(), 1), ("Implemented".to_owned(), 0)]);
    let open: i64 = r["openActionsByAge"].as_array().unwrap().iter().map(|c| c["count"].as_i64().unwrap()).sum();
    assert_eq!(open, 3);
    let categories: i64 = r["reviewsByCategory"].as_array().unwrap().iter().map(|c| c["count"].as_i64().unwrap()).sum();
    assert_eq!(categories, 11, "every review counted once");
    // Today no IMR is overdue; once their deadline has passed, those still out are.
    assert_eq!(r["overdueImrsByAgency"], json!([]));
    let later = app
        .ok(
            &chair,
            "query($d:NaiveDate!){report(asOf:$d){overdueImrsByAgency{label count}}}",
            json!({"d": "2099-01-01"}),
        )
        .await;
    assert!(!later["report"]["overdueImrsByAgency"].as_array().unwrap().is_empty(), "IMRs still out fall overdue");
    // The sub-group reads the same counts; those outside the board do not.
    let psg = app.login("subgroup@scr.example").await;
    assert_eq!(app.ok(&psg, q, json!({})).await["report"], r);
    for who in ["professional@scr.example", "admin@scr.example", "partner@scr.example"] {
        let t = app.login(who).await;
        assert_eq!(code(&app.gql(Some(&t), q, json!({})).await), "FORBIDDEN", "{who}");
    }
}

async fn notifications_and_the_calendar_feed_show_each_person_their_own_work(b: Backend) {
    use axum::http::StatusCode;
    let app = TestApp::spawn(b).await;
    let q = "{notifications{kind reference message path overdue dueOn}}";
    let author = app.login("imr.author@scr.example").await;
    let items = app.ok(&author, q, json!({})).await["notifications"].as_array().unwrap().clone();
    assert_eq!(items[0]["kind"], "action", "the overdue action comes first: {items:?}");
    assert_eq!(items[0]["overdue"], true);
    assert!(items[0]["message"].as_str().unwrap().contains("overdue by 10 days"), "{items:?}");
    assert!(
        items
            .iter()
            .any(|i| i["kind"] == "imr" && i["message"].as_str().unwrap().starts_with("Write and submit the IMR")),
        "{items:?}"
    );
    let bm = app.login("manager@scr.example").await;
    let items = app.ok(&bm, q, json!({})).await["notifications"].as_array().unwrap().clone();
    assert!(items.iter().any(|i| i["kind"] == "closure_decision"), "{items:?}");
    assert!(items.iter().any(|i| i["kind"] == "deadline" && i["overdue"] == true), "the demo has overdue deadlines");
    let admin = app.login("admin@scr.example").await;
    assert_eq!(app.ok(&admin, q, json!({})).await["notifications"], json!([]));

    // The calendar: a feed address with its own token, which opens nothing else.
    let url = app.ok(&author, "{calendarFeedUrl}", json!({})).await["calendarFeedUrl"].as_str().unwrap().to_owned();
    let (status, ct, body) = app.get(None, &url).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("text/calendar"));
    let ics = String::from_utf8(body).unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR") && ics.contains("BEGIN:VEVENT"), "{ics}");
    assert!(ics.contains("Action due") && ics.contains("IMR due") && ics.contains("DTSTART;VALUE=DATE:"), "{ics}");
    for name in ["Harry", "Doyle", "Leo", "Donna", "Mia", "Sutton"] {
        assert!(!ics.contains(name), "the feed names {name}");
    }
    let feed_token = url.rsplit("token=").next().unwrap();
    let v = app.gql(Some(feed_token), "{me{email}}", json!({})).await;
    assert_eq!(code(&v), "UNAUTHENTICATED", "a feed token is not an API token");
    assert_eq!(app.get(None, "/api/calendar.ics?token=forged").await.0, StatusCode::UNAUTHORIZED);
}

on_both_databases!(
    notifications_and_the_calendar_feed_show_each_person_their_own_work,
    the_boards_report_counts_timeliness_overdue_work_and_categories,
    a_review_goes_from_its_report_to_conclusion_through_every_gate,
    the_sub_group_sees_overdue_actions_across_reviews_with_labels,
);
