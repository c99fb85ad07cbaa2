//! People, relationships and households of a review: the genogram's data, on SQLite
//! and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Backend, TestApp, code};
use serde_json::json;

const GENOGRAM: &str = "query($id:Int!){review(id:$id){people{id label relationship name} relationships{fromPersonId toPersonId tie} households{label personIds}}}";

async fn the_family_is_recorded_with_ties_and_households_and_shown_to_partners_by_label(b: Backend) {
    let app = TestApp::spawn(b).await;
    let id = app.review_at("TERMS_AGREED").await;
    let panel = app.login("panel@scr.example").await;
    let add = "mutation($id:Int!,$p:PersonInput!){addPerson(reviewId:$id,input:$p){people{id label relationship}}}";
    let d = app.ok(&panel, add, json!({"id": id, "p": {"relationship": "FATHER", "name": "Tomasz Nowak"}})).await;
    let people = d["addPerson"]["people"].as_array().unwrap().clone();
    let father = people.iter().find(|p| p["relationship"] == "FATHER").unwrap();
    assert_eq!(father["label"], "Father");
    let d = app.ok(&panel, add, json!({"id": id, "p": {"relationship": "SIBLING", "name": "Zofia Nowak"}})).await;
    let people = d["addPerson"]["people"].as_array().unwrap().clone();
    let pid = |rel: &str| people.iter().find(|p| p["relationship"] == rel).unwrap()["id"].as_i64().unwrap();
    let (child, mother, father, sibling) = (pid("CHILD"), pid("MOTHER"), pid("FATHER"), pid("SIBLING"));
    assert_eq!(people.iter().find(|p| p["relationship"] == "SIBLING").unwrap()["label"], "Sibling 1");

    let tie = "mutation($id:Int!,$f:Int!,$t:Int!,$k:Tie!){addRelationship(reviewId:$id,fromPersonId:$f,toPersonId:$t,tie:$k){id}}";
    for (f, t, k) in [
        (mother, child, "PARENT_OF"),
        (father, child, "PARENT_OF"),
        (mother, father, "PARTNER_OF"),
        (child, sibling, "SIBLING_OF"),
    ] {
        app.ok(&panel, tie, json!({"id": id, "f": f, "t": t, "k": k})).await;
    }
    // Refused: the same tie again (either way round when symmetric), a child as its
    // parent's parent, oneself, and someone from another review.
    for (f, t, k, field) in [
        (father, mother, "PARTNER_OF", "toPersonId"),
        (child, mother, "PARENT_OF", "toPersonId"),
        (child, child, "SIBLING_OF", "toPersonId"),
        (child, 1, "SIBLING_OF", "toPersonId"),
    ] {
        let v = app.gql(Some(&panel), tie, json!({"id": id, "f": f, "t": t, "k": k})).await;
        assert_eq!(code(&v), "VALIDATION", "{f} {t} {k}: {v}");
        assert_eq!(v["errors"][0]["extensions"]["field"], field);
    }
    let house = "mutation($id:Int!,$l:String!,$p:[Int!]!){setHousehold(reviewId:$id,label:$l,personIds:$p){id}}";
    app.ok(&panel, house, json!({"id": id, "l": "Household 1", "p": [mother, child, sibling]})).await;
    app.ok(&panel, house, json!({"id": id, "l": "Household 1", "p": [mother, child, sibling, father]})).await;
    let v = app.gql(Some(&panel), house, json!({"id": id, "l": "Tomasz's flat", "p": [father]})).await;
    assert_eq!(code(&v), "VALIDATION", "a household's label holding a name");

    let chair = app.login("chair@scr.example").await;
    let d = app.ok(&chair, GENOGRAM, json!({"id": id})).await;
    assert_eq!(d["review"]["relationships"].as_array().unwrap().len(), 4);
    let h = &d["review"]["households"][0];
    assert_eq!(h["label"], "Household 1");
    assert_eq!(h["personIds"].as_array().unwrap().len(), 4);

    // The partner board sees the same family, by label only.
    let partner = app.login("partner@scr.example").await;
    let d = app.ok(&partner, GENOGRAM, json!({"id": id})).await;
    let text = d.to_string();
    for real in ["Tomasz", "Zofia", "Nowak"] {
        assert!(!text.contains(real), "{real} reached the partner board: {text}");
    }
    assert_eq!(d["review"]["relationships"].as_array().unwrap().len(), 4);

    // Those without the step may not record people.
    let v = app.gql(Some(&partner), add, json!({"id": id, "p": {"relationship": "CARER", "name": "X Y"}})).await;
    assert_eq!(code(&v), "FORBIDDEN");
    // Every change is in the audit trail.
    let d =
        app.ok(&chair, "query($id:Int!){review(id:$id){auditTrail{operation recordType}}}", json!({"id": id})).await;
    let kinds: Vec<&str> = d["review"]["auditTrail"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["operation"] == "record_people")
        .map(|e| e["recordType"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == "person").count(), 2);
    assert_eq!(kinds.iter().filter(|k| **k == "relationship").count(), 4);
    assert_eq!(kinds.iter().filter(|k| **k == "household").count(), 2);
}

async fn a_second_child_or_a_named_label_is_refused(b: Backend) {
    let app = TestApp::spawn(b).await;
    let id = app.review_at("REFERRED").await;
    let panel = app.login("panel@scr.example").await;
    let add = "mutation($id:Int!,$p:PersonInput!){addPerson(reviewId:$id,input:$p){id}}";
    let v =
        app.gql(Some(&panel), add, json!({"id": id, "p": {"relationship": "CHILD", "name": "Another Child"}})).await;
    assert_eq!(v["errors"][0]["extensions"]["field"], "input.relationship");
    let v = app
        .gql(
            Some(&panel),
            add,
            json!({"id": id, "p": {"relationship": "CARER", "name": "Pat Doyle", "label": "Doyle"}}),
        )
        .await;
    assert_eq!(v["errors"][0]["extensions"]["field"], "input.label");
    // A professional is recorded with the agency they work for; nobody else is.
    let v = app
        .gql(Some(&panel), add, json!({"id": id, "p": {"relationship": "CARER", "name": "Pat Reid", "agencyId": 1}}))
        .await;
    assert_eq!(v["errors"][0]["extensions"]["field"], "input.agencyId");
    let v = app
        .gql(
            Some(&panel),
            add,
            json!({"id": id, "p": {"relationship": "PROFESSIONAL", "name": "Sam Hill", "agencyId": 999}}),
        )
        .await;
    assert_eq!(v["errors"][0]["extensions"]["field"], "input.agencyId");
    app.ok(&panel, add, json!({"id": id, "p": {"relationship": "PROFESSIONAL", "name": "Sam Hill", "agencyId": 1}}))
        .await;
    let d = app.ok(&panel, "query($id:Int!){review(id:$id){people{label agency{name}}}}", json!({"id": id})).await;
    let pro = d["review"]["people"].as_array().unwrap().iter().find(|p| !p["agency"].is_null()).unwrap().clone();
    assert_eq!(pro["agency"]["name"], "Greater Manchester Police");
    assert_eq!(pro["label"], "Professional 1");
}

async fn parallel_processes_and_family_contributions_are_recorded_and_pseudonymised_for_partners(b: Backend) {
    let app = TestApp::spawn(b).await;
    let id = app.review_at("TERMS_AGREED").await;
    let manager = app.login("manager@scr.example").await;
    let child = app.ok(&manager, "query($id:Int!){review(id:$id){child{id name}}}", json!({"id": id})).await["review"]
        ["child"]
        .clone();
    let name = child["name"].as_str().unwrap().to_owned();
    let record = "mutation($id:Int!,$d:String!,$e:NaiveDate){recordParallelProcess(reviewId:$id,kind:CRIMINAL_PROCEEDINGS,status:OPEN,description:$d,expectedEnd:$e){parallelProcesses{id status description expectedEnd}}}";
    let d = app
        .ok(&manager, record, json!({"id": id, "d": format!("Trial of the man who harmed {name}"), "e": "2027-03-01"}))
        .await;
    let p = d["recordParallelProcess"]["parallelProcesses"][0].clone();
    assert_eq!(p["status"], "OPEN");
    assert_eq!(p["expectedEnd"], "2027-03-01");
    let d = app
        .ok(&manager, "mutation($p:Int!){updateParallelProcess(processId:$p,status:CONCLUDED){parallelProcesses{status expectedEnd}}}", json!({"p": p["id"]}))
        .await;
    assert_eq!(d["updateParallelProcess"]["parallelProcesses"][0]["status"], "CONCLUDED");
    let v = app.gql(Some(&manager), record, json!({"id": id, "d": " ", "e": null})).await;
    assert_eq!(v["errors"][0]["extensions"]["field"], "description");

    let contribute = "mutation($id:Int!,$p:Int,$s:String!,$on:NaiveDate!){recordFamilyContribution(reviewId:$id,personId:$p,contributedOn:$on,method:HOME_VISIT,summary:$s){familyContributions{method summary personId}}}";
    let today = chrono::Utc::now().date_naive().to_string();
    let d = app
        .ok(
            &manager,
            contribute,
            json!({"id": id, "p": child["id"], "s": format!("{name}'s grandmother described the home."), "on": today}),
        )
        .await;
    assert_eq!(d["recordFamilyContribution"]["familyContributions"][0]["method"], "HOME_VISIT");
    let v = app.gql(Some(&manager), contribute, json!({"id": id, "p": 999999, "s": "x", "on": "2999-01-01"})).await;
    let fields: Vec<&str> = v["errors"][0]["extensions"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["contributedOn", "personId"]);

    let partner = app.login("partner@scr.example").await;
    let d = app
        .ok(
            &partner,
            "query($id:Int!){review(id:$id){parallelProcesses{description} familyContributions{summary}}}",
            json!({"id": id}),
        )
        .await;
    let text = d.to_string();
    assert!(!text.contains(name.split(' ').next().unwrap()), "{text}");
    assert!(text.contains("Child A"), "{text}");
}

on_both_databases!(
    parallel_processes_and_family_contributions_are_recorded_and_pseudonymised_for_partners,
    the_family_is_recorded_with_ties_and_households_and_shown_to_partners_by_label,
    a_second_child_or_a_named_label_is_refused,
);
