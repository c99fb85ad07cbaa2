//! Access through the API: every capacity against every field and operation of the
//! policy table, row scope, and the rule that pseudonymised callers never receive a
//! real identity. On SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use backend::entities::*;
use common::{Backend, TestApp, code};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};
use shared::policy::{Access, Field, Operation, field_access, may, may_globally};
use shared::role::{Capacity, Role};

/// The real identities on the walked review, for checking what leaks.
struct Names {
    child: String,
    child_first: String,
    others: Vec<String>,
    panel_member: String,
}

/// Puts the child's name into every free-text field of the review, so that full and
/// pseudonymised answers can be told apart.
async fn write_names_into_free_text(app: &TestApp, id: i32, child: &str) {
    let db = &app.db;
    for a in
        criteria_assessment::Entity::find().filter(criteria_assessment::Column::ReviewId.eq(id)).all(db).await.unwrap()
    {
        let mut m: criteria_assessment::ActiveModel = a.clone().into();
        m.reasons = Set(format!("{} {child} was known to agencies.", a.reasons));
        m.update(db).await.unwrap();
    }
    for r in recommendation::Entity::find().filter(recommendation::Column::ReviewId.eq(id)).all(db).await.unwrap() {
        let mut m: recommendation::ActiveModel = r.clone().into();
        m.reasons = Set(format!("{} Learning about {child}.", r.reasons));
        m.update(db).await.unwrap();
    }
    for r in decision::Entity::find().filter(decision::Column::ReviewId.eq(id)).all(db).await.unwrap() {
        let mut m: decision::ActiveModel = r.clone().into();
        m.reasons = Set(format!("{} {child}'s case meets 11.2.", r.reasons));
        m.update(db).await.unwrap();
    }
    for r in notification::Entity::find().filter(notification::Column::ReviewId.eq(id)).all(db).await.unwrap() {
        let mut m: notification::ActiveModel = r.clone().into();
        m.reasons = Set(Some(format!("Ofsted was told about {child}.")));
        m.update(db).await.unwrap();
    }
    for r in recommendation::Entity::find().filter(recommendation::Column::ReviewId.eq(id)).all(db).await.unwrap() {
        let mut m: recommendation::ActiveModel = r.clone().into();
        m.scope = Set(Some(format!("Everything agencies knew of {child}.")));
        m.update(db).await.unwrap();
    }
    if let Some(d) = deadline::Entity::find().filter(deadline::Column::ReviewId.eq(id)).all(db).await.unwrap().first() {
        deadline_extension::ActiveModel {
            deadline_id: Set(d.id),
            from_due: Set(d.due_on),
            to_due: Set(d.due_on),
            reason: Set(format!("Waiting for the police interview of {child}.")),
            granted_by: Set(1),
            granted_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }
    // A board left out with a reason that names the child.
    for r in referral::Entity::find().filter(referral::Column::ReviewId.eq(id)).all(db).await.unwrap() {
        let mut m: referral::ActiveModel = r.into();
        m.boards_left_out = Set(format!("[{{\"board\":9,\"reason\":\"Saw {child} once.\"}}]"));
        m.boards_added =
            Set(format!("[{{\"board\":8,\"reason\":\"Its school taught {child}.\",\"on\":\"2026-01-05\"}}]"));
        m.update(db).await.unwrap();
    }
    // A rapid review's record, as a review under the 2023 procedure holds (the demo's
    // has one already): the field's access is the same whatever the procedure.
    let (notes, reasons) =
        (Some(format!("The partners discussed {child}.")), Some(format!("Agencies missed the signs about {child}.")));
    match rapid_review::Entity::find().filter(rapid_review::Column::ReviewId.eq(id)).one(db).await.unwrap() {
        Some(rr) => {
            let mut m: rapid_review::ActiveModel = rr.into();
            (m.meeting_notes, m.reasons) = (Set(notes), Set(reasons));
            m.update(db).await.unwrap();
        }
        None => {
            rapid_review::ActiveModel {
                review_id: Set(id),
                notified_on: Set(chrono::Utc::now().date_naive()),
                notified_by: Set(1),
                meeting_notes: Set(notes),
                reasons: Set(reasons),
                ..Default::default()
            }
            .insert(db)
            .await
            .unwrap();
        }
    }
    rapid_review_information::ActiveModel {
        review_id: Set(id),
        agency_id: Set(police_id(app).await),
        requested_on: Set(chrono::Utc::now().date_naive()),
        summary: Set(Some(format!("Police attended {child}'s home twice."))),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    parallel_process::ActiveModel {
        review_id: Set(id),
        kind: Set("criminal_proceedings".into()),
        status: Set("open".into()),
        description: Set(format!("R v the carer of {child}.")),
        expected_end: Set(None),
        updated_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    family_contribution::ActiveModel {
        review_id: Set(id),
        person_id: Set(None),
        contributed_on: Set(chrono::Utc::now().date_naive()),
        method: Set("meeting".into()),
        summary: Set(format!("The grandmother spoke about {child}.")),
        recorded_by: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    for r in setup_checklist_item::Entity::find()
        .filter(setup_checklist_item::Column::ReviewId.eq(id))
        .all(db)
        .await
        .unwrap()
    {
        let mut m: setup_checklist_item::ActiveModel = r.clone().into();
        m.note = Set(Some(format!("Records about {child} secured.")));
        m.update(db).await.unwrap();
    }
    write_review_documents(app, id, child).await;
    for r in
        terms_of_reference::Entity::find().filter(terms_of_reference::Column::ReviewId.eq(id)).all(db).await.unwrap()
    {
        let mut m: terms_of_reference::ActiveModel = r.clone().into();
        m.answers = Set(r.answers.replacen("Agreed by the panel", &format!("Agreed for {child}"), 1));
        m.update(db).await.unwrap();
    }
}

/// A submitted police IMR with two chronology entries and a link between them, the
/// overview report with a confirmation, and the executive summary, each
/// naming the child, so that the walk can tell full from pseudonymised answers.
async fn write_review_documents(app: &TestApp, id: i32, child: &str) {
    let db = &app.db;
    let police = police_id(app).await;
    let now = chrono::Utc::now();
    let f = finding::ActiveModel {
        review_id: Set(id),
        text: Set(format!("No agency asked {child} what life at home was like.")),
        recorded_by: Set(1),
        recorded_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    finding_theme::ActiveModel { finding_id: Set(f.id), theme: Set("voice_of_the_child".into()), ..Default::default() }
        .insert(db)
        .await
        .unwrap();
    let content = serde_json::to_string(&shared::imr::Content {
        summary: format!("Officers met {child} twice."),
        ..Default::default()
    })
    .unwrap();
    let existing = imr::Entity::find()
        .filter(imr::Column::ReviewId.eq(id))
        .filter(imr::Column::AgencyId.eq(police))
        .one(db)
        .await
        .unwrap();
    let i = match existing {
        Some(i) => {
            let mut m: imr::ActiveModel = i.into();
            m.status = Set("submitted".into());
            m.content = Set(content);
            m.update(db).await.unwrap()
        }
        None => imr::ActiveModel {
            review_id: Set(id),
            agency_id: Set(police),
            status: Set("submitted".into()),
            due_on: Set(now.date_naive()),
            requested_by: Set(1),
            requested_at: Set(now),
            author_id: Set(None),
            designated_by: Set(None),
            declared_at: Set(Some(now)),
            version: Set(1),
            content: Set(content),
            submitted_at: Set(Some(now)),
            panel_comments: Set(None),
            decided_by: Set(None),
            decided_at: Set(None),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap(),
    };
    let mut entries = Vec::new();
    for day in [1, 2] {
        let e = chronology_entry::ActiveModel {
            review_id: Set(id),
            imr_id: Set(i.id),
            agency_id: Set(police),
            on_date: Set(chrono::NaiveDate::from_ymd_opt(2025, 1, day).unwrap()),
            at_time: Set(None),
            precision: Set("exact".into()),
            sequence: Set(0),
            practitioner_role: Set("Police constable".into()),
            event: Set(format!("Visited {child} at home.")),
            decision_or_action: Set(String::new()),
            child_seen: Set(true),
            seen_alone: Set(false),
            wishes_sought: Set(false),
            perpetrator_contact: Set(false),
            source: Set("Log".into()),
            people: Set("[]".into()),
            version: Set(1),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        entries.push(e.id);
    }
    chronology_link::ActiveModel {
        review_id: Set(id),
        entry_a: Set(entries[0]),
        entry_b: Set(entries[1]),
        note: Set(format!("Both about {child}.")),
        linked_by: Set(1),
        linked_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    let sections = serde_json::to_string(&shared::report::Sections(vec![format!("{child} was admitted."); 4])).unwrap();
    // A new version on top of any the review has: the latest is what is read.
    let version =
        overview_report::Entity::find().filter(overview_report::Column::ReviewId.eq(id)).all(db).await.unwrap().len()
            as i32
            + 1;
    let summary_version = executive_summary::Entity::find()
        .filter(executive_summary::Column::ReviewId.eq(id))
        .all(db)
        .await
        .unwrap()
        .len() as i32
        + 1;
    overview_report::ActiveModel {
        review_id: Set(id),
        version: Set(version),
        sections: Set(sections.clone()),
        saved_by: Set(1),
        saved_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    executive_summary::ActiveModel {
        review_id: Set(id),
        version: Set(summary_version),
        sections: Set(sections),
        saved_by: Set(1),
        saved_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    // The completion phase: an action (owned by the walk's action owner when there is
    // one), a milestone and an amendment.
    let owner = user::Entity::find()
        .filter(user::Column::Email.eq("owner@scr.example"))
        .one(db)
        .await
        .unwrap()
        .map_or(1, |u| u.id);
    action::ActiveModel {
        review_id: Set(id),
        recommendation: Set(format!("Review how {child} was seen.")),
        agency_id: Set(police),
        owner_id: Set(owner),
        due_on: Set(now.date_naive()),
        intended_outcome: Set("Better practice".into()),
        success_measure: Set("Audit".into()),
        status: Set("open".into()),
        signed_up_by: Set(None),
        signed_up_at: Set(None),
        closure_comment: Set(Some(format!("Still about {child}."))),
        closed_by: Set(None),
        closed_at: Set(None),
        reaudit_on: Set(None),
        reaudit_result: Set(None),
        version: Set(1),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    milestone::ActiveModel {
        review_id: Set(id),
        kind: Set("interim_report".into()),
        body: Set(String::new()),
        on_date: Set(now.date_naive()),
        details: Set(format!("Progress on {child}'s review.")),
        recorded_by: Set(1),
        recorded_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    amendment::ActiveModel {
        review_id: Set(id),
        description: Set(format!("Say more about {child}'s school.")),
        done_on: Set(None),
        done_by: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    report_confirmation::ActiveModel {
        review_id: Set(id),
        agency_id: Set(police),
        report_version: Set(version),
        comment: Set(Some(format!("Fair to {child}."))),
        confirmed_by: Set(1),
        confirmed_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
}

async fn police_id(app: &TestApp) -> i32 {
    agency::Entity::find()
        .filter(agency::Column::Name.eq("Greater Manchester Police"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// The police IMR author, assigned to the review as the agency manager would.
async fn assign_police_author(app: &TestApp, id: i32) {
    review_assignment::ActiveModel {
        review_id: Set(id),
        user_id: Set(app.user_id("imr.author@scr.example").await),
        assignment: Set("imr_author".into()),
        agency_id: Set(Some(police_id(app).await)),
        appointed_by: Set(1),
        appointed_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
}

async fn names_of(app: &TestApp, id: i32) -> Names {
    let people = person::Entity::find().filter(person::Column::ReviewId.eq(id)).all(&app.db).await.unwrap();
    let child = people.iter().find(|p| p.relationship == "child").unwrap().name.clone();
    let mut others: Vec<String> = people.iter().map(|p| p.name.clone()).collect();
    for p in &people {
        others.extend(serde_json::from_str::<Vec<String>>(&p.aliases).unwrap());
        others.extend(p.address.clone());
        others.extend(p.date_of_birth.map(|d| d.to_string()));
    }
    let panel_member = user::Entity::find()
        .filter(user::Column::Email.eq("panel.member@scr.example"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .name;
    Names { child_first: child.split(' ').next().unwrap().to_owned(), child, others, panel_member }
}

/// The child's name followed by what identifies the family without naming it, in the
/// ways people write them: date of birth, the first line of the address, an e-mail
/// address, a phone number and an NHS number. Each of these joins the strings no
/// label-only reader may receive.
async fn with_identifiers(app: &TestApp, id: i32, n: &mut Names) -> String {
    let people = person::Entity::find().filter(person::Column::ReviewId.eq(id)).all(&app.db).await.unwrap();
    let child = people.iter().find(|p| p.relationship == "child").unwrap();
    let dob = child.date_of_birth.unwrap().format("%d/%m/%Y").to_string();
    let first_line = child.address.as_deref().unwrap().split(',').next().unwrap().to_owned();
    let contact = ["family.contact@example.org", "07700 900123", "943 476 5919"];
    n.others.extend([dob.clone(), first_line.clone()]);
    n.others.extend(contact.map(str::to_owned));
    format!("{} (born {dob}, of {first_line}; {}, {}, NHS number {})", n.child, contact[0], contact[1], contact[2])
}

/// Adds a user holding only `assignment` on the review.
async fn assign_new_user(app: &TestApp, id: i32, email: &str, assignment: &str) {
    let u = backend::users::create_user(
        &app.db,
        None,
        backend::users::NewUser {
            email: email.into(),
            name: format!("Walk {assignment}"),
            job_title: Some("Tester".into()),
            agency_id: None,
            password: common::PASSWORD.into(),
            grants: vec![shared::policy::Grant { role: Role::Professional, board: None, agency: None }],
        },
    )
    .await
    .unwrap();
    review_assignment::ActiveModel {
        review_id: Set(id),
        user_id: Set(u.id),
        assignment: Set(assignment.into()),
        agency_id: Set(None),
        appointed_by: Set(u.id),
        appointed_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
}

const WALKERS: [(Capacity, &str); 16] = [
    (Capacity::BoardChair, "chair@scr.example"),
    (Capacity::BusinessManager, "manager@scr.example"),
    (Capacity::InitialPanelMember, "panel@scr.example"),
    (Capacity::PanelChair, "independent.chair@scr.example"),
    (Capacity::PanelMember, "panel.member@scr.example"),
    (Capacity::OverviewAuthor, "author@scr.example"),
    (Capacity::ImrAuthor, "imr.author@scr.example"),
    (Capacity::DesignatedProfessional, "designated@scr.example"),
    (Capacity::AgencyManager, "agency.manager@scr.example"),
    (Capacity::Referrer, "professional@scr.example"),
    (Capacity::ActionOwner, "owner@scr.example"),
    (Capacity::PerformanceSubGroup, "subgroup@scr.example"),
    (Capacity::Inspector, "inspector@scr.example"),
    (Capacity::PartnerBoard, "partner@scr.example"),
    (Capacity::ReportingAnalyst, "analyst@scr.example"),
    (Capacity::SystemAdministrator, "admin@scr.example"),
];

fn probe(field: Field) -> &'static str {
    match field {
        Field::ReviewSummary => "reference stage referral { boardsLeftOut { reason } boardsAdded { reason } }",
        Field::Deadlines => "deadlines { kind dueOn extensions { reason } }",
        Field::PersonLabel => "people { label }",
        Field::PersonName => "people { name aliases }",
        Field::PersonDateOfBirth => "people { dateOfBirth }",
        Field::PersonAddress => "people { address }",
        Field::ReferralCircumstances => "referral { circumstances }",
        Field::ReferralFacts => "referral { facts { childDied } proposal { category } }",
        Field::CriteriaAssessment => "criteriaAssessments { reasons }",
        Field::Recommendation => "recommendation { reasons scope }",
        Field::ChairDecision => "decision { reasons }",
        Field::OfstedNotification => "ofstedNotification { sentOn reasons }",
        Field::SetupChecklist => "setupChecklist { note }",
        Field::Appointments => "appointments { assignment name }",
        Field::TermsOfReference => "termsOfReference { answers { text } }",
        Field::ParallelProcesses => "parallelProcesses { kind status description }",
        Field::FamilyContributions => "familyContributions { method summary }",
        Field::Imrs => "imrs { status content { summary } chronology { event } }",
        Field::CombinedChronology => "combinedChronology { entries { event } links { note } }",
        Field::OverviewReport => "overviewReport { sections { text } } reportConfirmations { comment }",
        Field::ExecutiveSummary => "executiveSummary { sections { text } }",
        Field::ActionPlan => "actions { recommendation closureComment updates { note } }",
        Field::Completion => "milestones { details } amendments { description }",
        Field::Findings => "findings { text themes }",
        Field::AuditTrail => "auditTrail { operation }",
        Field::RapidReview => "rapidReview { meetingNotes reasons information { summary } }",
    }
}

/// What the caller received of `field`: refused, full, or pseudonymised (with no real
/// identity anywhere in it).
fn classify(field: Field, v: &Value, n: &Names) -> Access {
    if code(v) == "FORBIDDEN" {
        return Access::Hidden;
    }
    assert!(v.get("errors").is_none(), "{field:?}: {v}");
    let text = v["data"].to_string();
    let full = match field {
        Field::PersonName
        | Field::ReferralCircumstances
        | Field::CriteriaAssessment
        | Field::Recommendation
        | Field::ChairDecision
        | Field::SetupChecklist
        | Field::TermsOfReference
        | Field::OfstedNotification
        | Field::ParallelProcesses
        | Field::FamilyContributions
        | Field::Imrs
        | Field::CombinedChronology
        | Field::OverviewReport
        | Field::ExecutiveSummary
        | Field::ActionPlan
        | Field::Findings
        | Field::RapidReview
        | Field::Completion => text.contains(&n.child_first),
        Field::PersonDateOfBirth | Field::PersonAddress => v["data"]["review"]["people"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p.as_object().unwrap().values().any(|x| !x.is_null())),
        Field::Appointments => text.contains(&n.panel_member),
        _ => true,
    };
    if full {
        return Access::Full;
    }
    for real in std::iter::once(&n.child).chain(&n.others) {
        assert!(!text.contains(real.as_str()), "{field:?} pseudonymised but holds {real:?}: {text}");
    }
    Access::Pseudonymised
}

async fn every_capacity_gets_exactly_its_policy_cell_for_every_field(b: Backend) {
    let app = TestApp::spawn(b).await;
    let id = app.review_at("TERMS_AGREED").await;
    assign_new_user(&app, id, "designated@scr.example", "designated_professional").await;
    assign_new_user(&app, id, "owner@scr.example", "action_owner").await;
    assign_police_author(&app, id).await;
    let mut n = names_of(&app, id).await;
    let marker = with_identifiers(&app, id, &mut n).await;
    write_names_into_free_text(&app, id, &marker).await;
    for (cap, email) in WALKERS {
        let token = app.login(email).await;
        let v = app.gql(Some(&token), "query($id:Int!){review(id:$id){myCapacities}}", json!({"id": id})).await;
        if cap == Capacity::SystemAdministrator {
            // No reason to see the review at all: out of scope, not merely hidden.
            assert_eq!(code(&v), "NOT_FOUND", "{v}");
            for f in Field::ALL {
                assert_eq!(field_access(cap, *f), Access::Hidden);
            }
            continue;
        }
        assert_eq!(v["data"]["review"]["myCapacities"], json!([cap.as_str().to_uppercase()]), "{email}");
        for f in Field::ALL {
            let q = format!("query($id:Int!){{review(id:$id){{ {} }}}}", probe(*f));
            let v = app.gql(Some(&token), &q, json!({"id": id})).await;
            if field_access(cap, Field::PersonName) < Access::Full {
                let text = v["data"].to_string();
                for real in std::iter::once(&n.child).chain(&n.others).chain(std::iter::once(&n.child_first)) {
                    assert!(!text.contains(real.as_str()), "{cap:?} reading {f:?} received {real:?}: {text}");
                }
            }
            let got = classify(*f, &v, &n);
            assert_eq!(got, field_access(cap, *f), "{cap:?} reading {f:?}");
        }
    }
}

/// A request for `op` on the review that can never succeed, so the walk changes
/// nothing: a refused caller gets `FORBIDDEN`, an allowed one a stage or validation error.
fn attempt(op: Operation, id: i32, items: &(i64, i64, i64), imr: i32, action: i32) -> (String, Value) {
    let far = "2999-01-01";
    let (q, vars) = match op {
        Operation::RecordAssessment => (
            "mutation($id:Int!){recordCriteriaAssessment(reviewId:$id,category:MANDATORY,reasons:\"\"){id}}",
            json!({"id": id}),
        ),
        Operation::RecordRecommendation => {
            ("mutation($id:Int!){recordRecommendation(reviewId:$id,conduct:true,reasons:\"\"){id}}", json!({"id": id}))
        }
        Operation::DecideReview => {
            ("mutation($id:Int!){decideReview(reviewId:$id,conduct:true,reasons:\"\"){id}}", json!({"id": id}))
        }
        Operation::RecordOfstedNotification => {
            ("mutation($id:Int!){recordOfstedNotification(reviewId:$id,sentOn:\"2999-01-01\"){id}}", json!({"id": id}))
        }
        Operation::UpdateSetupChecklist => (
            "mutation($i:Int!,$d:NaiveDate){updateSetupChecklistItem(itemId:$i,done:true,doneOn:$d){id}}",
            json!({"i": items.0, "d": far}),
        ),
        Operation::ConfirmRecordsSecured => (
            "mutation($i:Int!,$d:NaiveDate){updateSetupChecklistItem(itemId:$i,done:true,doneOn:$d){id}}",
            json!({"i": items.1, "d": far}),
        ),
        Operation::Appoint => {
            ("mutation($id:Int!){appoint(reviewId:$id,userId:1,assignment:IMR_AUTHOR){id}}", json!({"id": id}))
        }
        Operation::EditTermsOfReference => (
            "mutation($id:Int!){saveTermsOfReference(reviewId:$id,expectedVersion:0,answers:[]){id}}",
            json!({"id": id}),
        ),
        Operation::ApproveTermsOfReference => {
            ("mutation($id:Int!){approveTermsOfReference(reviewId:$id,version:0){id}}", json!({"id": id}))
        }
        Operation::RecordTermsSent => {
            ("mutation($id:Int!){recordTermsSentToOfsted(reviewId:$id,sentOn:\"2999-01-01\"){id}}", json!({"id": id}))
        }
        Operation::RecordPeople => (
            "mutation($id:Int!){addRelationship(reviewId:$id,fromPersonId:0,toPersonId:0,tie:SIBLING_OF){id}}",
            json!({"id": id}),
        ),
        Operation::RecordParallelProcess => (
            "mutation($id:Int!){recordParallelProcess(reviewId:$id,kind:INQUEST,status:OPEN,description:\"\"){id}}",
            json!({"id": id}),
        ),
        Operation::RecordFamilyContribution => (
            "mutation($id:Int!){recordFamilyContribution(reviewId:$id,contributedOn:\"2026-01-01\",method:MEETING,summary:\"\"){id}}",
            json!({"id": id}),
        ),
        Operation::RequestImr => ("mutation($id:Int!){requestImrs(reviewId:$id,agencyIds:[]){id}}", json!({"id": id})),
        Operation::DesignateImrAuthor => {
            ("mutation($i:Int!){designateImrAuthor(imrId:$i,userId:0){id}}", json!({"i": imr}))
        }
        Operation::WriteImr => {
            ("mutation($i:Int!){saveImr(imrId:$i,expectedVersion:-1,content:{analysis:[\"\"]}){id}}", json!({"i": imr}))
        }
        Operation::DecideImr => ("mutation($i:Int!){decideImr(imrId:$i,accept:false){id}}", json!({"i": imr})),
        Operation::LinkChronologyEntries => (
            "mutation($id:Int!){linkChronologyEntries(reviewId:$id,entryA:0,entryB:0,note:\"\"){id}}",
            json!({"id": id}),
        ),
        Operation::AdvancePhase => {
            ("mutation($id:Int!){advancePhase(reviewId:$id,to:REFERRED){id}}", json!({"id": id}))
        }
        Operation::EditOverviewReport => (
            "mutation($id:Int!){saveOverviewReport(reviewId:$id,expectedVersion:-1,sections:[]){id}}",
            json!({"id": id}),
        ),
        Operation::ConfirmRepresentation => (
            "mutation($id:Int!,$a:Int!){confirmRepresentation(reviewId:$id,agencyId:$a,reportVersion:-1){id}}",
            json!({"id": id, "a": items.2}),
        ),
        Operation::EditExecutiveSummary => (
            "mutation($id:Int!){saveExecutiveSummary(reviewId:$id,expectedVersion:-1,sections:[]){id}}",
            json!({"id": id}),
        ),
        Operation::RecordQualityAssurance => {
            ("mutation($id:Int!){recordQualityAssurance(reviewId:$id){id}}", json!({"id": id}))
        }
        Operation::ApproveReport => ("mutation($id:Int!){approveReport(reviewId:$id){id}}", json!({"id": id})),
        Operation::SubmitReview => {
            ("mutation($id:Int!){submitReview(reviewId:$id,sentOn:\"2999-01-01\"){id}}", json!({"id": id}))
        }
        Operation::RecordOfstedLetter => (
            "mutation($id:Int!){recordOfstedLetter(reviewId:$id,kind:APPROVED,sentOn:\"2999-01-01\",reasons:\"\",progress:\"\"){id}}",
            json!({"id": id}),
        ),
        Operation::RecordEvaluation => (
            "mutation($id:Int!){recordEvaluation(reviewId:$id,receivedOn:\"2999-01-01\",judgement:\"\"){id}}",
            json!({"id": id}),
        ),
        Operation::ManageActions => (
            "mutation($id:Int!){addAction(reviewId:$id,input:{recommendation:\"\",agencyId:0,ownerId:0,intendedOutcome:\"\",successMeasure:\"\"}){id}}",
            json!({"id": id}),
        ),
        Operation::SignUpActions => {
            ("mutation($id:Int!,$a:Int!){signUpActions(reviewId:$id,agencyId:$a){id}}", json!({"id": id, "a": items.2}))
        }
        Operation::UpdateAction => {
            ("mutation($a:Int!){recordProgress(actionId:$a,expectedVersion:-1,note:\"\"){id}}", json!({"a": action}))
        }
        Operation::DecideClosure => {
            ("mutation($a:Int!){decideClosure(actionId:$a,approve:false){id}}", json!({"a": action}))
        }
        Operation::PlanPublication => {
            ("mutation($id:Int!){planPublication(reviewId:$id,plannedOn:\"2000-01-01\"){id}}", json!({"id": id}))
        }
        Operation::Publish => ("mutation($id:Int!){publish(reviewId:$id){id}}", json!({"id": id})),
        Operation::RecordFinding => {
            ("mutation($id:Int!){recordFinding(reviewId:$id,text:\"\",themes:[]){id}}", json!({"id": id}))
        }
        Operation::Conclude => {
            ("mutation($id:Int!){conclude(reviewId:$id,governmentOfficeToldOn:\"2999-01-01\"){id}}", json!({"id": id}))
        }
        // Taken over HTTP, not GraphQL: see `export_attempt`.
        Operation::ExportForOutside => ("", json!({})),
        Operation::ExtendDeadline => (
            "mutation($id:Int!){extendDeadline(reviewId:$id,kind:COMPLETION,dueOn:\"2999-01-01\",reason:\" \"){id}}",
            json!({"id": id}),
        ),
        Operation::SubmitReferral => (
            "mutation{submitReferral(input:{child:{relationship:CHILD,name:\"\"},circumstances:\"\",facts:{},normalResidenceBoardId:1,involvedAgencyIds:[]}){id}}",
            json!({}),
        ),
        Operation::OverrideGateWarning => (
            "mutation($id:Int!){overrideGateWarning(reviewId:$id,document:\"chronology\",version:\"0\",kind:\"NEAR_MISS\",found:\"\",reason:\" \"){clear}}",
            json!({"id": id}),
        ),
        Operation::ManageUsers => {
            ("mutation{createUser(input:{email:\"bad\",name:\"\",password:\"\",roles:[]}){id}}", json!({}))
        }
        Operation::ManageOrganisations => ("mutation{createBoard(name:\" \"){id}}", json!({})),
        Operation::NotifyNationalPanel => (
            "mutation($id:Int!,$d:NaiveDate){notifyNationalPanel(reviewId:$id,sentOn:$d){id}}",
            json!({"id": id, "d": far}),
        ),
        Operation::RequestRapidReviewInformation => (
            "mutation($id:Int!,$d:NaiveDate){requestRapidReviewInformation(reviewId:$id,requestedOn:$d){id}}",
            json!({"id": id, "d": far}),
        ),
        Operation::ReturnRapidReviewInformation => (
            "mutation($id:Int!,$a:Int!){returnRapidReviewInformation(reviewId:$id,agencyId:$a,summary:\" \"){id}}",
            json!({"id": id, "a": items.2}),
        ),
        Operation::RecordRapidReviewMeeting => {
            ("mutation($id:Int!){recordRapidReviewMeeting(reviewId:$id,notes:\" \"){id}}", json!({"id": id}))
        }
        Operation::DecideRapidReview => (
            "mutation($id:Int!){decideRapidReview(reviewId:$id,commission:false,reasons:\" \"){id}}",
            json!({"id": id}),
        ),
        Operation::SendRapidReview => (
            "mutation($id:Int!,$d:NaiveDate){sendRapidReview(reviewId:$id,sentOn:$d){id}}",
            json!({"id": id, "d": far}),
        ),
        Operation::RecordPanelResponse => {
            ("mutation($id:Int!){recordPanelResponse(reviewId:$id,response:\" \"){id}}", json!({"id": id}))
        }
        Operation::RecordLearning => {
            ("mutation($id:Int!){recordLearning(reviewId:$id,learning:\" \"){id}}", json!({"id": id}))
        }
        Operation::CommissionReview => (
            "mutation($id:Int!,$d:NaiveDate){commissionReview(reviewId:$id,commissionedOn:$d){id}}",
            json!({"id": id, "d": far}),
        ),
        Operation::AddPartnerBoard => {
            ("mutation($id:Int!){addPartnerBoard(reviewId:$id,boardId:1,reason:\" \"){id}}", json!({"id": id}))
        }
    };
    (q.to_owned(), vars)
}

async fn every_capacity_may_take_exactly_the_operations_of_its_policy_row(b: Backend) {
    let app = TestApp::spawn(b).await;
    let id = app.review_at("TERMS_AGREED").await;
    assign_new_user(&app, id, "designated@scr.example", "designated_professional").await;
    assign_new_user(&app, id, "owner@scr.example", "action_owner").await;
    assign_police_author(&app, id).await;
    let police = police_id(&app).await;
    let n = names_of(&app, id).await;
    write_review_documents(&app, id, &n.child).await;
    let imr_id = imr::Entity::find().filter(imr::Column::ReviewId.eq(id)).one(&app.db).await.unwrap().unwrap().id;
    let action_id =
        action::Entity::find().filter(action::Column::ReviewId.eq(id)).one(&app.db).await.unwrap().unwrap().id;
    let items = setup_checklist_item::Entity::find()
        .filter(setup_checklist_item::Column::ReviewId.eq(id))
        .all(&app.db)
        .await
        .unwrap();
    let plain = items.iter().find(|i| i.item == "agencies_notified").unwrap().id;
    let records = items.iter().find(|i| i.item == "records_secured" && i.agency_id == Some(police)).unwrap().id;
    let before = audit_entry::Entity::find().all(&app.db).await.unwrap().len();
    for (cap, email) in WALKERS {
        let token = app.login(email).await;
        for op in Operation::ALL.iter().filter(|o| !o.is_global()) {
            if *op == Operation::ExportForOutside {
                // A summary that names the child: allowed callers reach the gate, which refuses it.
                let path = format!("/api/reviews/{id}/export/executive-summary?format=pdf&purpose=outside");
                let (status, _, body) = app.get(Some(&token), &path).await;
                let v: Value = serde_json::from_slice(&body).unwrap();
                let want = if cap == Capacity::SystemAdministrator {
                    "NOT_FOUND"
                } else if may(cap, *op) {
                    "GATE_FAILED"
                } else {
                    "FORBIDDEN"
                };
                assert_eq!(v["extensions"]["code"], want, "{cap:?} {op:?}: {status} {v}");
                continue;
            }
            let (q, vars) =
                attempt(*op, id, &(i64::from(plain), i64::from(records), i64::from(police)), imr_id, action_id);
            let v = app.gql(Some(&token), &q, vars).await;
            let c = code(&v);
            assert!(v["data"].is_null() || v.get("errors").is_some(), "{cap:?} {op:?} must not succeed: {v}");
            if cap == Capacity::SystemAdministrator {
                assert_eq!(c, "NOT_FOUND", "{op:?}: {v}");
            } else if may(cap, *op) {
                // Allowed by role: refused for the stage exactly when the table's stages
                // leave out the review's (terms agreed), else it reaches validation.
                let in_stage = shared::profile::SERIOUS_CASE_REVIEW_2010
                    .allowed_in(*op)
                    .is_none_or(|s| s.contains(&shared::stage::Stage::TermsAgreed));
                let want = if in_stage { "VALIDATION" } else { "WRONG_STAGE" };
                assert_eq!(c, want, "{cap:?} may {op:?}: {v}");
            } else {
                assert_eq!(c, "FORBIDDEN", "{cap:?} may not {op:?}: {v}");
            }
        }
    }
    // Global operations, by global role.
    let by_role = [
        (Role::BoardChair, "chair@scr.example"),
        (Role::BusinessManager, "manager@scr.example"),
        (Role::InitialPanelMember, "panel@scr.example"),
        (Role::AgencyManager, "agency.manager@scr.example"),
        (Role::Professional, "professional@scr.example"),
        (Role::PerformanceSubGroup, "subgroup@scr.example"),
        (Role::Inspector, "inspector@scr.example"),
        (Role::PartnerBoard, "partner@scr.example"),
        (Role::SystemAdministrator, "admin@scr.example"),
        (Role::ReportingAnalyst, "analyst@scr.example"),
    ];
    assert_eq!(by_role.len(), Role::ALL.len());
    for (role, email) in by_role {
        let token = app.login(email).await;
        for op in Operation::ALL.iter().copied().filter(|o| o.is_global()) {
            let (q, vars) = attempt(op, id, &(0, 0, 0), 0, 0);
            let v = app.gql(Some(&token), &q, vars).await;
            let want = if may_globally(&[role], op) { "VALIDATION" } else { "FORBIDDEN" };
            assert_eq!(code(&v), want, "{role:?} {op:?}: {v}");
        }
    }
    // Nothing the walk attempted was written.
    assert_eq!(audit_entry::Entity::find().all(&app.db).await.unwrap().len(), before);
}

async fn a_partner_board_never_receives_the_real_identity_of_child_or_family(b: Backend) {
    let app = TestApp::spawn(b).await;
    let partner = app.login("partner@scr.example").await;
    let d = app.ok(&partner, "{reviews{id}}", json!({})).await;
    let ids: Vec<i64> = d["reviews"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert!(!ids.is_empty(), "the demo has reviews with the partner board");
    let everything = "query($id:Int!){review(id:$id){reference stage child{label name aliases} people{label relationship name aliases}
        referral{circumstances facts{childDied} proposal{category reasons}} criteriaAssessments{reasons} recommendation{scope reasons}
        decision{reasons} ofstedNotification{reasons} setupChecklist{note} appointments{assignment name jobTitle agency}
        termsOfReference{answers{text}} deadlines{kind status extensions{reason}}
        parallelProcesses{description} familyContributions{summary}
        imrs{content{summary analysis{answer}} chronology{event practitionerRole}} combinedChronology{entries{event} links{note}}
        overviewReport{sections{text}} reportConfirmations{comment} executiveSummary{sections{text}}
        actions{recommendation closureComment} milestones{details} amendments{description}}}";
    let mut seen_label = false;
    for id in ids {
        let mut n = names_of(&app, id as i32).await;
        let marker = with_identifiers(&app, id as i32, &mut n).await;
        write_names_into_free_text(&app, id as i32, &marker).await;
        let v = app.gql(Some(&partner), everything, json!({"id": id})).await;
        let text = v["data"].to_string();
        for real in std::iter::once(&n.child).chain(&n.others).chain(std::iter::once(&n.child_first)) {
            assert!(!text.contains(real.as_str()), "partner board received {real:?} on review {id}: {text}");
        }
        seen_label |= text.contains("Child A");
    }
    assert!(seen_label, "labels stand where the names were");
}

async fn rows_out_of_scope_are_not_found_and_the_administrator_sees_no_case(b: Backend) {
    let app = TestApp::spawn(b).await;
    // The inspector sees only reviews notified to Ofsted.
    let inspector = app.login("inspector@scr.example").await;
    let referred = app.review_at("REFERRED").await;
    let v = app.gql(Some(&inspector), "query($id:Int!){review(id:$id){reference}}", json!({"id": referred})).await;
    assert_eq!(code(&v), "NOT_FOUND");
    let d = app.ok(&inspector, "{reviews{stage notifiedToOfsted}}", json!({})).await;
    assert!(!d["reviews"].as_array().unwrap().is_empty(), "the demo has notified reviews");
    assert!(d["reviews"].as_array().unwrap().iter().all(|r| r["notifiedToOfsted"] == true));
    // A review that does not exist answers the same.
    let v = app.gql(Some(&inspector), "{review(id:999999){reference}}", json!({})).await;
    assert_eq!(code(&v), "NOT_FOUND");
    // The administrator manages accounts and sees no case.
    let admin = app.login("admin@scr.example").await;
    let d = app.ok(&admin, "{reviews{id} myDeadlines{deadline{kind}} users{email roles{role}}}", json!({})).await;
    assert_eq!(d["reviews"], json!([]));
    assert_eq!(d["myDeadlines"], json!([]));
    assert!(d["users"].as_array().unwrap().len() >= 13);
    // Nobody else lists users.
    let chair = app.login("chair@scr.example").await;
    assert_eq!(code(&app.gql(Some(&chair), "{users{email}}", json!({})).await), "FORBIDDEN");
    // The agency manager sees reviews involving the agency; the referrer their referrals.
    let am = app.login("agency.manager@scr.example").await;
    let d = app.ok(&am, "{reviews{myScopeReasons}}", json!({})).await;
    assert!(!d["reviews"].as_array().unwrap().is_empty(), "the police are involved in the demo");
    assert!(d["reviews"].as_array().unwrap().iter().all(|r| r["myScopeReasons"] == json!(["INVOLVED_AGENCY_MANAGER"])));
}

async fn filtering_or_sorting_on_a_field_the_caller_cannot_read_is_refused(b: Backend) {
    let app = TestApp::spawn(b).await;
    let partner = app.login("partner@scr.example").await;
    let v = app.gql(Some(&partner), "{reviews(childName:\"Liam\"){id}}", json!({})).await;
    assert_eq!(code(&v), "FORBIDDEN");
    let v = app.gql(Some(&partner), "{reviews(orderBy:CHILD_NAME){id}}", json!({})).await;
    assert_eq!(code(&v), "FORBIDDEN");
    // Allowed where the caller reads names in full.
    let chair = app.login("chair@scr.example").await;
    let d = app.ok(&chair, "{reviews(childName:\"liam\"){child{name}}}", json!({})).await;
    assert_eq!(d["reviews"], json!([{"child": {"name": "Liam Okafor"}}]));
    let d = app.ok(&chair, "{reviews(childName:\"Li\"){child{name}}}", json!({})).await;
    assert!(!d["reviews"].as_array().unwrap().is_empty());
    let d = app.ok(&chair, "{reviews(orderBy:CHILD_NAME){child{name}}}", json!({})).await;
    let names: Vec<&str> =
        d["reviews"].as_array().unwrap().iter().map(|r| r["child"]["name"].as_str().unwrap()).collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|s| s.to_lowercase());
    assert_eq!(names, sorted);
}

async fn each_workspace_queue_is_refused_to_other_roles(b: Backend) {
    let app = TestApp::spawn(b).await;
    for (query, owner) in [
        ("{ panelQueue { stage } }", "panel@scr.example"),
        ("{ chairQueue { stage } }", "chair@scr.example"),
        ("{ managerQueue { stage } }", "manager@scr.example"),
    ] {
        let token = app.login(owner).await;
        let d = app.ok(&token, query, json!({})).await;
        let list = d.as_object().unwrap().values().next().unwrap().as_array().unwrap().clone();
        assert!(!list.is_empty(), "{owner} has work in the demo");
        for other in ["imr.author@scr.example", "partner@scr.example", "admin@scr.example"] {
            let t = app.login(other).await;
            assert_eq!(code(&app.gql(Some(&t), query, json!({})).await), "FORBIDDEN", "{other} {query}");
        }
    }
    let chair = app.login("chair@scr.example").await;
    let d = app.ok(&chair, "{ chairQueue { stage } }", json!({})).await;
    for r in d["chairQueue"].as_array().unwrap() {
        assert!(r["stage"] == "RECOMMENDED" || r["stage"] == "SET_UP", "{r}");
    }
}

on_both_databases!(
    the_anonymisation_gate_finds_names_allows_11_16_names_and_needs_full_access,
    each_workspace_queue_is_refused_to_other_roles,
    every_capacity_gets_exactly_its_policy_cell_for_every_field,
    every_capacity_may_take_exactly_the_operations_of_its_policy_row,
    a_partner_board_never_receives_the_real_identity_of_child_or_family,
    rows_out_of_scope_are_not_found_and_the_administrator_sees_no_case,
    filtering_or_sorting_on_a_field_the_caller_cannot_read_is_refused,
);

async fn the_anonymisation_gate_finds_names_allows_11_16_names_and_needs_full_access(b: Backend) {
    let app = TestApp::spawn(b).await;
    let id = app.review_at("TERMS_AGREED").await;
    let chair = app.login("chair@scr.example").await;
    let n = names_of(&app, id).await;
    // A household member who shares a first name with the panel chair.
    person::ActiveModel {
        review_id: Set(id),
        label: Set("Household member 1".into()),
        relationship: Set("household_member".into()),
        name: Set("Alan Reeve".into()),
        aliases: Set("[]".into()),
        date_of_birth: Set(None),
        address: Set(None),
        agency_id: Set(None),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    let q = "query($id:Int!,$t:String!){anonymisationCheck(reviewId:$id,text:$t){passes hits{found label} warnings{kind hit{found}} replaced}}";
    let text = format!(
        "{} was seen at school. The panel was chaired by Alan Forbes; Margaret Hale chairs the board.",
        n.child
    );
    let d = app.ok(&chair, q, json!({"id": id, "t": text})).await;
    let r = &d["anonymisationCheck"];
    assert_eq!(r["passes"], false);
    assert_eq!(r["hits"][0]["label"], "Child A");
    assert_eq!(r["hits"].as_array().unwrap().len(), 1, "the allowed names are not hits: {r}");
    let d = app.ok(&chair, q, json!({"id": id, "t": "Alan Forbes met Alan."})).await;
    let hits = d["anonymisationCheck"]["hits"].as_array().unwrap().clone();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0]["label"], "Household member 1");
    assert!(r["replaced"].as_str().unwrap().starts_with("Child A was seen"));
    let d = app.ok(&chair, q, json!({"id": id, "t": r["replaced"]})).await;
    assert_eq!(d["anonymisationCheck"]["passes"], true);
    // Quasi-identifiers are warnings, not hits.
    let d = app.ok(&chair, q, json!({"id": id, "t": "They attended Hillside Primary School near SK6 2GG."})).await;
    let kinds: Vec<&str> =
        d["anonymisationCheck"]["warnings"].as_array().unwrap().iter().map(|w| w["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["A school's name", "A postcode"]);
    assert_eq!(d["anonymisationCheck"]["passes"], true);
    // The answer quotes real names: refused to anyone without full access to names.
    let partner = app.login("partner@scr.example").await;
    assert_eq!(code(&app.gql(Some(&partner), q, json!({"id": id, "t": "x"})).await), "FORBIDDEN");
}
