//! Every demo role against every account and organisation operation: only whom the
//! access table gives the operation (an administrator's global operations) may do it,
//! and a business manager invites and proposes for their own board; every other caller
//! is refused as `FORBIDDEN` and nothing changes. What everyone may do to their own
//! account, everyone can.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use backend::entities::{agency, user};
use backend::seed::DEMO_USERS;
use common::{Backend, TestApp, code};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;
use shared::policy::{Operation, may_globally};
use shared::role::Role;

async fn every_role_meets_only_the_account_operations_the_table_gives_it(b: Backend) {
    let app = TestApp::spawn(b).await;
    let police = agency::Entity::find().filter(agency::Column::BoardId.eq(1)).one(&app.db).await.unwrap().unwrap();
    let target = app.user_id("professional@scr.example").await;
    let accounts_before = user::Entity::find().count(&app.db).await.unwrap();
    let mut invited = 0;
    for (i, (email, _, _, role, _)) in DEMO_USERS.iter().enumerate() {
        let token = app.login(email).await;
        let admin = may_globally(&[*role], Operation::ManageUsers);
        let organiser = may_globally(&[*role], Operation::ManageOrganisations);
        // The first board's business manager manages its people; the second board's
        // business manager does not reach the first board's agencies or board.
        let board_manager = *role == Role::BusinessManager && !email.starts_with("manchester.");
        let officer = matches!(role, Role::BoardChair | Role::BusinessManager);
        let checks: Vec<(&str, String, serde_json::Value, bool)> = vec![
            ("users", "{users{id}}".into(), json!({}), admin),
            ("openAssignments", "query($u:Int!){openAssignments(userId:$u){what}}".into(), json!({"u": target}), admin),
            (
                "startPasswordReset",
                "mutation($u:Int!){startPasswordReset(userId:$u){emailed}}".into(),
                json!({"u": target}),
                admin,
            ),
            (
                "removeRole",
                "mutation($u:Int!){removeRole(userId:$u,grant:{role:INSPECTOR}){id}}".into(),
                json!({"u": target}),
                admin,
            ),
            ("deactivateUser", "mutation{deactivateUser(userId:-1){openAssignments{what}}}".into(), json!({}), admin),
            ("reactivateUser", "mutation{reactivateUser(userId:-1){id}}".into(), json!({}), admin),
            (
                "inviteUser",
                "mutation($e:String!,$a:Int!){inviteUser(input:{email:$e,name:\"Ivy Invitee\",agencyId:$a,roles:[{role:PROFESSIONAL}]}){emailed}}".into(),
                json!({"e": format!("invitee{i}@scr.example"), "a": police.id}),
                admin || board_manager,
            ),
            (
                "proposeGrant",
                "mutation($u:Int!){proposeGrant(userId:$u,grant:{role:INITIAL_PANEL_MEMBER,boardId:1}){id}}".into(),
                json!({"u": target}),
                admin || board_manager,
            ),
            ("grantProposals", "{grantProposals{id}}".into(), json!({}), admin || officer),
            ("administrationAudit", "{administrationAudit{total}}".into(), json!({}), admin || officer),
            ("allAgencies", "{allAgencies{id}}".into(), json!({}), true),
            ("createBoard", format!("mutation{{createBoard(name:\"Board {i}\"){{id}}}}"), json!({}), organiser),
            ("addArea", format!("mutation{{addArea(boardId:1,name:\"Area {i}\"){{id}}}}"), json!({}), organiser),
            (
                "createAgency",
                format!("mutation{{createAgency(boardId:1,name:\"Agency {i}\",kind:\"health\"){{id}}}}"),
                json!({}),
                organiser,
            ),
            ("rotateCalendarLink", "mutation{rotateCalendarLink}".into(), json!({}), true),
        ];
        for (name, query, vars, allowed) in checks {
            let v = app.gql(Some(&token), &query, vars).await;
            let c = code(&v);
            assert_ne!(c, "BAD_REQUEST", "{name}: {v}");
            if allowed {
                assert_ne!(c, "FORBIDDEN", "{email} ({}) may {name}: {v}", role.as_str());
                if name == "inviteUser" {
                    assert!(v["errors"].is_null(), "{email} invites: {v}");
                    invited += 1;
                }
            } else {
                assert_eq!(c, "FORBIDDEN", "{email} ({}) may not {name}: {v}", role.as_str());
            }
        }
    }
    assert_eq!(
        user::Entity::find().count(&app.db).await.unwrap(),
        accounts_before + invited,
        "only the allowed invitations made accounts"
    );
    // A business manager invites for their own board only.
    let manager = app.login("manager@scr.example").await;
    let other = agency::Entity::find().filter(agency::Column::BoardId.ne(1)).one(&app.db).await.unwrap();
    if let Some(other) = other {
        let v = app
            .gql(
                Some(&manager),
                "mutation($a:Int!){inviteUser(input:{email:\"far@scr.example\",name:\"Far Away\",agencyId:$a,roles:[{role:PROFESSIONAL}]}){emailed}}",
                json!({"a": other.id}),
            )
            .await;
        assert_eq!(code(&v), "FORBIDDEN", "another board's agency: {v}");
    }
    let v = app
        .gql(
            Some(&manager),
            "mutation{inviteUser(input:{email:\"admin2@scr.example\",name:\"Second Admin\",roles:[{role:SYSTEM_ADMINISTRATOR}]}){emailed}}",
            json!({}),
        )
        .await;
    assert_eq!(code(&v), "FORBIDDEN", "nor an administrator: {v}");
    let v = app
        .gql(
            Some(&manager),
            "mutation($a:Int!){inviteUser(input:{email:\"wide@scr.example\",name:\"Wide Reach\",agencyId:$a,roles:[{role:PROFESSIONAL,boardId:2}]}){emailed}}",
            json!({"a": police.id}),
        )
        .await;
    assert_eq!(code(&v), "FORBIDDEN", "nor a professional's role naming another board: {v}");
}

on_both_databases!(every_role_meets_only_the_account_operations_the_table_gives_it);
