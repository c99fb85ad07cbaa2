//! Two pairs of eyes on access to case content: a role that reads names in full (or the
//! administrator's) is proposed by one person and takes effect when a second approves
//! it, never the person it is for nor its proposer; the administrator's role is held
//! alone; the administrator alone reaches no case content by any sequence of these
//! operations; every proposal and decision is in the administration audit.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::smtp::{Inbox, messages_to, smtp_server};
use common::{Backend, TestApp, code};
use serde_json::{Value, json};

const CREATE: &str = "mutation($e:String!,$r:[RoleGrantInput!]!){createUser(input:{email:$e,name:\"New Person\",password:\"a long new passphrase\",roles:$r}){id roles{role} pendingRoles{id role boardId}}}";
const APPROVE: &str =
    "mutation($p:Int!){approveGrant(proposalId:$p){proposal{outcome decidedBy} passwordEnded linkEmailed}}";

fn field(v: &Value) -> String {
    v["errors"][0]["extensions"]["fields"][0]["field"].as_str().unwrap_or("").to_owned()
}

async fn sign_in(app: &TestApp, email: &str) -> String {
    let v = app
        .gql(
            None,
            "mutation($e:String!,$p:String!){login(email:$e,password:$p){token}}",
            json!({"e": email, "p": "a long new passphrase"}),
        )
        .await;
    v["data"]["login"]["token"].as_str().unwrap_or_else(|| panic!("{email}: {v}")).to_owned()
}

async fn sign_in_with(app: &TestApp, email: &str, password: &str) -> Value {
    app.gql(
        None,
        "mutation($e:String!,$p:String!){login(email:$e,password:$p){token}}",
        json!({"e": email, "p": password}),
    )
    .await
}

const SET: &str = "mutation($t:String!,$p:String!){setPasswordWithLink(token:$t,password:$p){token}}";

fn token_of(link: &str) -> String {
    link.split("#token=").nth(1).unwrap_or_else(|| panic!("a token in {link}")).trim().to_owned()
}

/// The person sets their own password through a link printed on the server
/// (`scr password-link`), and is signed in.
async fn set_own_password(app: &TestApp, email: &str) -> String {
    let issued = backend::users::links::issue_on_server(&app.db, email).await.unwrap();
    let d = app.gql(None, SET, json!({"t": issued.token, "p": "only the owner knows this"})).await;
    d["data"]["setPasswordWithLink"]["token"].as_str().unwrap_or_else(|| panic!("{d}")).to_owned()
}

async fn reviews_seen(app: &TestApp, token: &str) -> usize {
    let v = app.gql(Some(token), "{reviews{id child{name}}}", json!({})).await;
    v["data"]["reviews"].as_array().map_or(0, Vec::len)
}

async fn a_board_chair_grant_waits_for_a_second_person(b: Backend) {
    let app = TestApp::spawn(b).await;
    let admin = app.login("admin@scr.example").await;
    let d = app
        .ok(&admin, CREATE, json!({"e": "new.chair@scr.example", "r": [{"role": "BOARD_CHAIR", "boardId": 1}]}))
        .await;
    let u = &d["createUser"];
    assert!(u["roles"].as_array().unwrap().is_empty(), "not in effect yet: {u}");
    let proposal = u["pendingRoles"][0]["id"].as_i64().unwrap();
    let newcomer = sign_in(&app, "new.chair@scr.example").await;
    assert_eq!(reviews_seen(&app, &newcomer).await, 0, "no case content while it waits");

    let v = app.gql(Some(&admin), APPROVE, json!({"p": proposal})).await;
    assert_eq!((code(&v), field(&v)), ("VALIDATION".to_owned(), "proposalId".to_owned()), "its proposer: {v}");
    assert_eq!(code(&app.gql(Some(&newcomer), APPROVE, json!({"p": proposal})).await), "FORBIDDEN", "its subject");
    let analyst = app.login("analyst@scr.example").await;
    assert_eq!(code(&app.gql(Some(&analyst), APPROVE, json!({"p": proposal})).await), "FORBIDDEN");

    let chair = app.login("chair@scr.example").await;
    let pending = app.ok(&chair, "{grantProposals{id role}}", json!({})).await;
    assert!(pending["grantProposals"].as_array().unwrap().iter().any(|p| p["id"] == proposal));
    let d = app.ok(&chair, APPROVE, json!({"p": proposal})).await;
    assert_eq!(d["approveGrant"]["proposal"]["outcome"], "APPROVED");
    let v = app.gql(Some(&chair), APPROVE, json!({"p": proposal})).await;
    assert_eq!(field(&v), "proposalId", "approving twice: {v}");

    // The administrator typed that password: it ends with the approval, and the Chair
    // sets their own through a link printed on the server (no mail here).
    assert_eq!(
        (d["approveGrant"]["passwordEnded"].as_bool(), d["approveGrant"]["linkEmailed"].as_bool()),
        (Some(true), Some(false))
    );
    assert_eq!(code(&app.gql(Some(&newcomer), "{me{id}}", json!({})).await), "UNAUTHENTICATED");
    assert_eq!(code(&sign_in_with(&app, "new.chair@scr.example", "a long new passphrase").await), "UNAUTHENTICATED");
    let own = set_own_password(&app, "new.chair@scr.example").await;
    assert!(reviews_seen(&app, &own).await > 0, "in effect once approved, on the Chair's own password");

    let audit = app.ok(&chair, "{administrationAudit{entries{operation recordType recordId}}}", json!({})).await;
    let ops: Vec<&str> = audit["administrationAudit"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["operation"].as_str().unwrap())
        .collect();
    assert!(ops.contains(&"propose_grant") && ops.contains(&"approve_grant"), "{ops:?}");
    assert_eq!(code(&app.gql(Some(&analyst), "{administrationAudit{total}}", json!({})).await), "FORBIDDEN");
    let audit = app.ok(&chair, "{administrationAudit{entries{operation actor subject}}}", json!({})).await;
    let approval = audit["administrationAudit"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["operation"] == "approve_grant")
        .unwrap()
        .clone();
    assert_eq!(approval["actor"], "Margaret Hale <chair@scr.example>");
    assert_eq!(approval["subject"], "Board Chair for New Person <new.chair@scr.example>");

    // The same as CSV, for the same readers only.
    let (status, headers, body) = app.get(Some(&chair), "/api/administration-audit.csv").await;
    assert_eq!(status, axum::http::StatusCode::OK);
    assert!(headers.contains("text/csv"), "{headers}");
    let csv = String::from_utf8(body).unwrap();
    assert!(csv.starts_with("When (UTC),Who,Operation,Record,Record id,About"), "{csv}");
    assert!(
        csv.lines()
            .any(|l| l.contains("approve_grant") && l.contains("Board Chair for New Person <new.chair@scr.example>")),
        "{csv}"
    );
    assert_eq!(app.get(Some(&analyst), "/api/administration-audit.csv").await.0, axum::http::StatusCode::FORBIDDEN);
    assert_eq!(app.get(None, "/api/administration-audit.csv").await.0, axum::http::StatusCode::UNAUTHORIZED);
}

async fn the_administrator_alone_reaches_no_case_content(b: Backend) {
    let app = TestApp::spawn(b).await;
    let admin = app.login("admin@scr.example").await;
    let admin_id = app.user_id("admin@scr.example").await;
    // The administrator's own account cannot take a case-reading role, proposed or not.
    let v = app
        .gql(
            Some(&admin),
            "mutation($u:Int!){proposeGrant(userId:$u,grant:{role:BOARD_CHAIR,boardId:1}){id}}",
            json!({"u": admin_id}),
        )
        .await;
    assert_eq!((code(&v), field(&v)), ("VALIDATION".to_owned(), "grant".to_owned()), "{v}");
    let v = app
        .gql(
            Some(&admin),
            CREATE,
            json!({"e": "both@scr.example", "r": [{"role": "SYSTEM_ADMINISTRATOR"}, {"role": "BOARD_CHAIR", "boardId": 1}]}),
        )
        .await;
    assert_eq!((code(&v), field(&v)), ("VALIDATION".to_owned(), "roles".to_owned()), "{v}");

    // A second administrator under the first's control waits too, and so does every
    // case-reading role the first gives anyone.
    let puppet =
        app.ok(&admin, CREATE, json!({"e": "puppet@scr.example", "r": [{"role": "SYSTEM_ADMINISTRATOR"}]})).await;
    let puppet_proposal = puppet["createUser"]["pendingRoles"][0]["id"].as_i64().unwrap();
    let mut proposals = vec![puppet_proposal];
    for (email, role) in [
        ("c@scr.example", json!({"role": "BOARD_CHAIR", "boardId": 1})),
        ("m@scr.example", json!({"role": "BUSINESS_MANAGER", "boardId": 1})),
        ("p@scr.example", json!({"role": "INITIAL_PANEL_MEMBER", "boardId": 1})),
        ("a@scr.example", json!({"role": "AGENCY_MANAGER", "agencyId": 1})),
    ] {
        let d = app.ok(&admin, CREATE, json!({"e": email, "r": [role]})).await;
        assert!(d["createUser"]["roles"].as_array().unwrap().is_empty(), "{email}: {d}");
        proposals.push(d["createUser"]["pendingRoles"][0]["id"].as_i64().unwrap());
        let t = sign_in(&app, email).await;
        assert_eq!(reviews_seen(&app, &t).await, 0, "{email} reads nothing while the grant waits");
    }
    for p in &proposals {
        let v = app.gql(Some(&admin), APPROVE, json!({"p": p})).await;
        assert_eq!(code(&v), "VALIDATION", "the proposer approves nothing: {v}");
    }
    // The puppet holds no role yet, so it cannot approve either.
    let puppet_token = sign_in(&app, "puppet@scr.example").await;
    for p in &proposals {
        assert_eq!(code(&app.gql(Some(&puppet_token), APPROVE, json!({"p": p})).await), "FORBIDDEN");
    }
    assert_eq!(reviews_seen(&app, &admin).await, 0);
}

async fn a_refusal_needs_a_reason_and_a_business_manager_proposes_for_their_board(b: Backend) {
    let app = TestApp::spawn(b).await;
    let manager = app.login("manager@scr.example").await;
    let chair = app.login("chair@scr.example").await;
    let professional = app.user_id("professional@scr.example").await;
    let propose =
        "mutation($u:Int!,$g:RoleGrantInput!){proposeGrant(userId:$u,grant:$g){roles{role} pendingRoles{id}}}";
    let d = app
        .ok(&manager, propose, json!({"u": professional, "g": {"role": "INITIAL_PANEL_MEMBER", "boardId": 1}}))
        .await;
    let p = d["proposeGrant"]["pendingRoles"][0]["id"].as_i64().unwrap();
    let v = app
        .gql(Some(&manager), propose, json!({"u": professional, "g": {"role": "INITIAL_PANEL_MEMBER", "boardId": 1}}))
        .await;
    assert_eq!(field(&v), "grant", "proposed twice: {v}");
    let v = app.gql(Some(&manager), propose, json!({"u": professional, "g": {"role": "SYSTEM_ADMINISTRATOR"}})).await;
    assert_eq!(code(&v), "FORBIDDEN", "a business manager gives no administrator's role: {v}");
    let v = app
        .gql(Some(&manager), propose, json!({"u": professional, "g": {"role": "INITIAL_PANEL_MEMBER", "boardId": 2}}))
        .await;
    assert_eq!(code(&v), "FORBIDDEN", "nor a role on another board: {v}");

    let refuse = "mutation($p:Int!,$r:String!){refuseGrant(proposalId:$p,reason:$r){outcome reason}}";
    let v = app.gql(Some(&chair), refuse, json!({"p": p, "r": "  "})).await;
    assert_eq!(field(&v), "reason", "{v}");
    let d = app.ok(&chair, refuse, json!({"p": p, "r": "Not on the panel this year."})).await;
    assert_eq!(d["refuseGrant"]["outcome"], "REFUSED");
    assert_eq!(field(&app.gql(Some(&chair), APPROVE, json!({"p": p})).await), "proposalId", "decided already");
    let roles =
        app.ok(&app.login("admin@scr.example").await, "{users{email roles{role} pendingRoles{id}}}", json!({})).await;
    let me = roles["users"].as_array().unwrap().iter().find(|u| u["email"] == "professional@scr.example").unwrap();
    assert_eq!(me["roles"].as_array().unwrap().len(), 1, "still the professional's role only: {me}");
    assert!(me["pendingRoles"].as_array().unwrap().is_empty());
}

/// Without mail: a link for an account that awaits or holds a role reading names is
/// never shown to an administrator, and a password set through a link that was shown
/// ends when such a role is approved.
async fn no_administrator_knows_the_password_of_an_account_that_reads_names(b: Backend) {
    let app = TestApp::spawn(b).await;
    let admin = app.login("admin@scr.example").await;
    let invite = "mutation($e:String!,$r:[RoleGrantInput!]!){inviteUser(input:{email:$e,name:\"Ola Okafor\",roles:$r}){emailed link onServer user{id pendingRoles{id}}}}";
    let d = app.ok(&admin, invite, json!({"e": "ola@scr.example", "r": [{"role": "BOARD_CHAIR", "boardId": 1}]})).await;
    assert_eq!(
        (d["inviteUser"]["link"].clone(), d["inviteUser"]["onServer"].clone()),
        (Value::Null, json!(true)),
        "{d}"
    );
    let chair_id = app.user_id("chair@scr.example").await;
    let v =
        app.gql(Some(&admin), "mutation($u:Int!){startPasswordReset(userId:$u){link}}", json!({"u": chair_id})).await;
    assert_eq!(
        (code(&v), field(&v)),
        ("VALIDATION".to_owned(), "userId".to_owned()),
        "the Chair's reset is not shown: {v}"
    );

    // A professional's link is shown to the administrator, who could keep it.
    let d = app.ok(&admin, invite, json!({"e": "pro@scr.example", "r": [{"role": "PROFESSIONAL"}]})).await;
    let shown = token_of(d["inviteUser"]["link"].as_str().unwrap());
    let pro_id = d["inviteUser"]["user"]["id"].as_i64().unwrap();
    let set = app.gql(None, SET, json!({"t": shown, "p": "the administrator saw the link"})).await;
    let pro = set["data"]["setPasswordWithLink"]["token"].as_str().unwrap().to_owned();
    let d = app
        .ok(
            &admin,
            "mutation($u:Int!){proposeGrant(userId:$u,grant:{role:AGENCY_MANAGER,agencyId:1}){pendingRoles{id}}}",
            json!({"u": pro_id}),
        )
        .await;
    let p = d["proposeGrant"]["pendingRoles"][0]["id"].as_i64().unwrap();
    let d = app.ok(&app.login("chair@scr.example").await, APPROVE, json!({"p": p})).await;
    assert_eq!(d["approveGrant"]["passwordEnded"], true, "{d}");
    assert_eq!(code(&app.gql(Some(&pro), "{me{id}}", json!({})).await), "UNAUTHENTICATED");
    assert_eq!(code(&sign_in_with(&app, "pro@scr.example", "the administrator saw the link").await), "UNAUTHENTICATED");
    let own = set_own_password(&app, "pro@scr.example").await;
    assert!(reviews_seen(&app, &own).await > 0, "the agency manager reads on their own password");

    // A password its owner alone knows is kept when a further role is approved.
    let d = app
        .ok(
            &admin,
            "mutation($u:Int!){proposeGrant(userId:$u,grant:{role:AGENCY_MANAGER,agencyId:2}){pendingRoles{id}}}",
            json!({"u": pro_id}),
        )
        .await;
    let p = d["proposeGrant"]["pendingRoles"][0]["id"].as_i64().unwrap();
    let d = app.ok(&app.login("chair@scr.example").await, APPROVE, json!({"p": p})).await;
    assert_eq!(d["approveGrant"]["passwordEnded"], false, "{d}");
    assert!(app.gql(Some(&own), "{me{id}}", json!({})).await["data"]["me"]["id"].is_number());
}

/// With mail: the approval is e-mailed, and so is the link for a password of the
/// person's own when an administrator typed theirs.
async fn an_approval_is_emailed_with_the_link_for_the_persons_own_password(b: Backend) {
    let inbox = Inbox::default();
    let port = smtp_server(inbox.clone());
    let mailer = backend::mailer::Mailer::new(&format!("smtp://127.0.0.1:{port}"), "Board <scr@board.example>")
        .unwrap()
        .with_link_base("https://scr.board.example");
    let app = TestApp::spawn_with_mail(b, mailer).await;
    let admin = app.login("admin@scr.example").await;
    let d = app
        .ok(&admin, CREATE, json!({"e": "typed@scr.example", "r": [{"role": "BUSINESS_MANAGER", "boardId": 1}]}))
        .await;
    let p = d["createUser"]["pendingRoles"][0]["id"].as_i64().unwrap();
    let d = app.ok(&app.login("chair@scr.example").await, APPROVE, json!({"p": p})).await;
    assert_eq!(
        (d["approveGrant"]["passwordEnded"].as_bool(), d["approveGrant"]["linkEmailed"].as_bool()),
        (Some(true), Some(true))
    );
    assert_eq!(code(&sign_in_with(&app, "typed@scr.example", "a long new passphrase").await), "UNAUTHENTICATED");
    let messages = inbox.messages.lock().unwrap().clone();
    let all = messages_to(&messages, "typed@scr.example").concat();
    assert!(all.contains("You now hold the role Business Manager"), "{all}");
    let line = all
        .lines()
        .find(|l| l.contains("https://scr.board.example/set-password#token="))
        .unwrap_or_else(|| panic!("{all}"));
    let d = app.gql(None, SET, json!({"t": token_of(line), "p": "only the owner knows this"})).await;
    let own = d["data"]["setPasswordWithLink"]["token"].as_str().unwrap_or_else(|| panic!("{d}"));
    assert!(reviews_seen(&app, own).await > 0);
}

const AUDIT: &str = "query($f:AdministrationFilter!,$o:Int!,$l:Int!){administrationAudit(filter:$f,offset:$o,limit:$l){total offset entries{at operation recordType recordId actor subject}}}";

/// The administration audit is found and paged in the database: by a person's or an
/// organisation's name, by an operation as it reads, by what it was about and by day;
/// what is typed matches itself (no wildcards); the CSV download finds the same.
async fn the_administration_audit_is_searched_filtered_and_paged(b: Backend) {
    let app = TestApp::spawn(b).await;
    let admin = app.login("admin@scr.example").await;
    let chair = app.login("chair@scr.example").await;
    app.ok(&admin, "mutation{createBoard(name:\"Wessex Safeguarding Board\"){id}}", json!({})).await;
    app.ok(
        &admin,
        CREATE,
        json!({"e": "zebedee.quill@scr.example", "r": [{"role": "REPORTING_ANALYST", "boardId": 1}]}),
    )
    .await;
    let audit = |f: Value, o: i64, l: i64| {
        let (app, chair) = (&app, chair.clone());
        async move { app.ok(&chair, AUDIT, json!({"f": f, "o": o, "l": l})).await["administrationAudit"].clone() }
    };
    let entries = |v: &Value| v["entries"].as_array().unwrap().clone();

    // Pages of two, newest first, together the same as one page of four.
    let all = audit(json!({}), 0, 4).await;
    let total = all["total"].as_u64().unwrap();
    assert!(total >= 4, "{all}");
    let (first, second) = (audit(json!({}), 0, 2).await, audit(json!({}), 2, 2).await);
    assert_eq!((first["total"].as_u64(), second["offset"].as_u64()), (Some(total), Some(2)));
    assert_eq!([entries(&first), entries(&second)].concat(), entries(&all));
    let newest_first = entries(&all);
    let times: Vec<&str> = newest_first.iter().map(|e| e["at"].as_str().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first: {times:?}");

    // By a person's name, any case: the account created, as its subject.
    let found = audit(json!({"text": "ZEBEDEE"}), 0, 50).await;
    assert_eq!(found["total"], 1, "{found}");
    assert!(entries(&found).iter().all(|e| e["subject"] == "New Person <zebedee.quill@scr.example>"), "{found}");
    // By who made the change: everything the administrator did, and nothing else.
    let by_admin = audit(json!({"text": "admin@scr.example"}), 0, 100).await;
    assert!(by_admin["total"].as_u64().unwrap() >= 1);
    assert!(
        entries(&by_admin).iter().all(|e| e["actor"].as_str().unwrap().contains("admin@scr.example")
            || e["subject"].as_str().unwrap().contains("admin@scr.example")),
        "{by_admin}"
    );
    // By the operation as it reads on screen.
    let managed = audit(json!({"text": "manage users"}), 0, 100).await;
    assert!(entries(&managed).iter().any(|e| e["subject"] == "New Person <zebedee.quill@scr.example>"), "{managed}");
    assert!(entries(&managed).iter().all(|e| e["operation"] == "manage_users"), "{managed}");
    // What is typed is not a wildcard.
    assert_eq!(audit(json!({"text": "%"}), 0, 10).await["total"], 0);
    assert_eq!(audit(json!({"text": "zebedee_quill"}), 0, 10).await["total"], 0);

    // By what it was about.
    for (about, types) in [
        ("accounts", &["user"][..]),
        ("proposals", &["grant_proposal"][..]),
        ("organisations", &["board", "agency", "local_authority_area", "area"][..]),
    ] {
        let v = audit(json!({"about": about}), 0, 100).await;
        assert!(entries(&v).iter().all(|e| types.contains(&e["recordType"].as_str().unwrap())), "{about}: {v}");
    }
    let accounts = audit(json!({"about": "accounts"}), 0, 1).await["total"].as_u64().unwrap();
    let organisations = audit(json!({"about": "organisations"}), 0, 1).await["total"].as_u64().unwrap();
    assert!(accounts > 0 && accounts < total, "{accounts} of {total}");
    assert!(organisations > 0 && organisations < total, "{organisations} of {total}");
    let board = audit(json!({"text": "wessex"}), 0, 10).await;
    assert_eq!(
        (board["total"].as_u64(), board["entries"][0]["recordType"].as_str()),
        (Some(1), Some("board")),
        "{board}"
    );

    // By day (UTC), both days included.
    let today = chrono::Utc::now().date_naive();
    let tomorrow = today.succ_opt().unwrap().to_string();
    assert_eq!(
        audit(json!({"text": "zebedee", "from": today.to_string(), "to": today.to_string()}), 0, 10).await["total"],
        1
    );
    assert_eq!(audit(json!({"from": tomorrow}), 0, 10).await["total"], 0);

    // Refusals name the field.
    let refused = |f: Value, l: i64| {
        let (app, chair) = (&app, chair.clone());
        async move { field(&app.gql(Some(&chair), AUDIT, json!({"f": f, "o": 0, "l": l})).await) }
    };
    assert_eq!(refused(json!({"from": tomorrow, "to": today.to_string()}), 10).await, "to");
    assert_eq!(refused(json!({"about": "reviews"}), 10).await, "about");
    assert_eq!(refused(json!({}), 101).await, "limit");
    assert_eq!(refused(json!({"text": "x".repeat(201)}), 10).await, "text");

    // The download finds what the screen finds.
    let (status, _, body) = app.get(Some(&chair), "/api/administration-audit.csv?q=zebedee&about=accounts").await;
    assert_eq!(status, axum::http::StatusCode::OK);
    let csv = String::from_utf8(body).unwrap();
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(csv.lines().skip(1).all(|l| l.contains("zebedee.quill@scr.example")), "{csv}");
    let (status, _, body) = app.get(Some(&chair), "/api/administration-audit.csv?from=yesterday").await;
    assert_eq!(status, axum::http::StatusCode::UNPROCESSABLE_ENTITY, "{}", String::from_utf8_lossy(&body));
}

on_both_databases!(
    the_administration_audit_is_searched_filtered_and_paged,
    no_administrator_knows_the_password_of_an_account_that_reads_names,
    an_approval_is_emailed_with_the_link_for_the_persons_own_password,
    a_board_chair_grant_waits_for_a_second_person,
    the_administrator_alone_reaches_no_case_content,
    a_refusal_needs_a_reason_and_a_business_manager_proposes_for_their_board,
);
