//! From an empty PostgreSQL database to a working board with the README's production
//! commands alone: `scr migrate`, `scr init` (by flags, the password on standard input),
//! `scr serve`; then, over the API, the first administrator signs in, adds an area and
//! an agency, invites the Board Chair (without mail, the Chair's link is printed on the
//! server by `scr password-link`, never shown to the administrator; the role waits for a
//! second person: `scr approve-grant`, since the board has nobody yet to approve it),
//! and the Chair refers a case. `scr init`
//! run again changes nothing; run for another board it refuses.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod fresh;

use e2e::Server;
use fresh::{INIT, empty_database, migrate_and_init, scr};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

async fn gql(base: &str, token: Option<&str>, query: &str, variables: Value) -> Value {
    let mut req =
        reqwest::Client::new().post(format!("{base}/graphql")).json(&json!({"query": query, "variables": variables}));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.expect("request").json().await.expect("json")
}

/// Signs in; an account that must have a second factor sets it up first, computing the
/// code from the secret as an authenticator app would.
async fn sign_in(base: &str, email: &str, password: &str) -> String {
    let v = gql(
        base,
        None,
        "mutation($e:String!,$p:String!){login(email:$e,password:$p){token secondFactor challenge}}",
        json!({"e": email, "p": password}),
    )
    .await;
    let login = &v["data"]["login"];
    if login["secondFactor"] == "ENROL" {
        let challenge = login["challenge"].as_str().expect("a challenge");
        let started = gql(
            base,
            None,
            "mutation($c:String){startSecondFactorEnrolment(challenge:$c){secret}}",
            json!({"c": challenge}),
        )
        .await;
        let secret = ok(&started)["startSecondFactorEnrolment"]["secret"].as_str().expect("a secret").to_owned();
        let done = gql(
            base,
            None,
            "mutation($c:String,$k:String!){confirmSecondFactorEnrolment(challenge:$c,code:$k){signIn{token}}}",
            json!({"c": challenge, "k": e2e::totp_now(&secret)}),
        )
        .await;
        return ok(&done)["confirmSecondFactorEnrolment"]["signIn"]["token"]
            .as_str()
            .unwrap_or_else(|| panic!("{email} signs in: {done}"))
            .to_owned();
    }
    login["token"].as_str().unwrap_or_else(|| panic!("{email} signs in: {v}")).to_owned()
}

fn ok(v: &Value) -> &Value {
    assert!(v.get("errors").is_none(), "unexpected errors: {v}");
    &v["data"]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_board_is_set_up_and_staffed_from_an_empty_postgresql_database() {
    let name = format!("scr_setup_{}", std::process::id());
    let (url, admin) = empty_database(&name).await;
    let init = INIT;
    let password = "a long first passphrase\n";
    let done = migrate_and_init(&url, password.trim_end());
    assert!(String::from_utf8_lossy(&done.stdout).contains("set up board"));
    let again = scr(&init, &url, password);
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    assert!(String::from_utf8_lossy(&again.stdout).contains("nothing changed"), "run twice, it says so");
    let other = scr(
        &[
            "init",
            "--board-name",
            "Another Board",
            "--area",
            "Elsewhere",
            "--admin-email",
            "x@y.example",
            "--admin-name",
            "X Y",
        ],
        &url,
        password,
    );
    assert!(!other.status.success(), "a database set up otherwise is refused");

    let dir = std::env::temp_dir().join(format!("scr_setup_{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let options = e2e::Options {
        env: vec![
            ("SCR_JWT_SECRET".into(), "a production secret of enough length for the tokens".into()),
            ("SCR_AUDIT_KEY".into(), fresh::AUDIT_KEY.into()),
        ],
        production: true,
        ..e2e::Options::default()
    };
    let server = Server::serve_as_is_with(url.clone(), dir, options);
    let base = server.base.clone();
    let admin_token = sign_in(&base, "admin@stockport.example", "a long first passphrase").await;
    let boards = gql(&base, Some(&admin_token), "{boards{id name}}", json!({})).await;
    let board = ok(&boards)["boards"][0]["id"].as_i64().expect("the first board");
    ok(&gql(
        &base,
        Some(&admin_token),
        "mutation($b:Int!){addArea(boardId:$b,name:\"Tameside\"){id}}",
        json!({"b": board}),
    )
    .await);
    let agency = gql(
        &base,
        Some(&admin_token),
        "mutation($b:Int!){createAgency(boardId:$b,name:\"Greater Manchester Police\",kind:\"police\"){id}}",
        json!({"b": board}),
    )
    .await;
    let agency = ok(&agency)["createAgency"]["id"].as_i64().expect("an agency");
    // Invited without mail set up: a Board Chair's link is never shown to the
    // administrator; whoever runs the server prints it for the Chair.
    let chair = gql(
        &base,
        Some(&admin_token),
        "mutation($b:Int!){inviteUser(input:{email:\"chair@stockport.example\",name:\"Chris Chair\",roles:[{role:BOARD_CHAIR,boardId:$b}]}){link onServer user{roles{role} pendingRoles{id}}}}",
        json!({"b": board}),
    )
    .await;
    let invited = &ok(&chair)["inviteUser"];
    assert_eq!((invited["link"].clone(), invited["onServer"].clone()), (Value::Null, json!(true)), "{invited}");
    let created = &invited["user"];
    assert!(created["roles"].as_array().expect("roles").is_empty(), "a Board Chair's role waits for a second person");
    let proposal = created["pendingRoles"][0]["id"].as_i64().expect("a proposal").to_string();
    let printed = scr(&["password-link", "--email", "chair@stockport.example", "--public-url", &base], &url, "");
    assert!(printed.status.success(), "{}", String::from_utf8_lossy(&printed.stderr));
    let link = String::from_utf8_lossy(&printed.stdout).trim().to_owned();
    let token = link.split("#token=").nth(1).unwrap_or_else(|| panic!("a link: {link}")).to_owned();
    let set = gql(
        &base,
        None,
        "mutation($t:String!){setPasswordWithLink(token:$t,password:\"the chair's own phrase\"){token}}",
        json!({"t": token}),
    )
    .await;
    ok(&set);
    // Nobody on the new board can approve it yet: whoever runs the server does, once.
    let approved = scr(&["approve-grant", "--proposal", &proposal], &url, "");
    assert!(approved.status.success(), "{}", String::from_utf8_lossy(&approved.stderr));
    assert!(
        !String::from_utf8_lossy(&approved.stdout).contains("has ended"),
        "the Chair's own password stands: {}",
        String::from_utf8_lossy(&approved.stdout)
    );
    // The administrator reads no case content.
    let v = gql(&base, Some(&admin_token), "{reviews{id}}", json!({})).await;
    assert!(v["data"]["reviews"].as_array().is_none_or(|r| r.is_empty()), "{v}");

    let chair_token = sign_in(&base, "chair@stockport.example", "the chair's own phrase").await;
    let referral = gql(
        &base,
        Some(&chair_token),
        "mutation($b:Int!,$a:Int!){submitReferral(input:{child:{relationship:CHILD,name:\"Kai Brook\"},circumstances:\"Injuries found at nursery.\",facts:{childDied:false,interAgencyConcern:true},normalResidenceBoardId:$b,involvedAgencyIds:[$a]}){id reference stage}}",
        json!({"b": board, "a": agency}),
    )
    .await;
    let r = &ok(&referral)["submitReferral"];
    assert_eq!(r["stage"], "REFERRED", "{r}");
    drop(server);
    // The log kept outside the database: an anchor, and the chain checked against it.
    let anchors = std::env::temp_dir().join(format!("scr_setup_anchors_{}", std::process::id()));
    let anchored = scr(&["audit", "anchor", "--to", anchors.to_str().expect("path")], &url, "");
    assert!(anchored.status.success(), "{}", String::from_utf8_lossy(&anchored.stderr));
    let checked = scr(&["audit", "verify", "--anchors", anchors.to_str().expect("path")], &url, "");
    assert!(String::from_utf8_lossy(&checked.stdout).contains("matching 1 anchor"), "{checked:?}");
    // Without the key, the keyed log cannot be vouched for.
    let unkeyed = std::process::Command::new(e2e::scr_binary())
        .args(["audit", "verify"])
        .env("DATABASE_URL", &url)
        .output()
        .expect("scr");
    assert!(!unkeyed.status.success(), "verified without its key: {unkeyed:?}");
    let _ = std::fs::remove_file(&anchors);
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.expect("drop");
}
