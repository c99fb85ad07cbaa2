//! The Administration workspace on the demo data, in a real browser: people found and
//! paged, a person's page (a role given that waits for a second person, the account
//! deactivated with its work to hand on, reactivated), and the Board Chair approving
//! the role.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use futures::FutureExt;
use support::journey;

#[tokio::test]
async fn an_administrator_finds_a_person_gives_a_role_and_deactivates_a_leaver() {
    journey("administration_people", |b| {
        async move {
            b.sign_in("admin@scr.example").await;
            b.click_css("#navigation a[href='/admin']").await;
            b.click_text("People").await;
            let first = b.wait_css("#people-results").await.text().await.expect("text");
            assert!(first.starts_with("Showing 1 to "), "{first}");
            b.axe("people").await;
            b.fill("#people-text", "BROOKS").await;
            b.click_css("#people-search").await;
            b.wait_text("Showing 1 to 1 of 1").await;
            // The search is kept in the address: a reload (or a shared link) shows the same list.
            let url = b.c.current_url().await.expect("url").to_string();
            assert!(url.ends_with("/admin/people?q=BROOKS"), "{url}");
            b.c.refresh().await.expect("reload");
            b.wait_text("Showing 1 to 1 of 1").await;
            assert_eq!(b.wait_css("#people-text").await.prop("value").await.expect("value").as_deref(), Some("BROOKS"));
            b.click_text("Hannah Brooks").await;
            b.wait_text("Give a role").await;
            b.axe("a person's page").await;

            // A role that reads names waits for a second person.
            b.wait_css("#f-give-grant-role").await.select_by_value("initial_panel_member").await.expect("role");
            b.wait_css("#f-give-grant-boardId")
                .await
                .select_by_label("Stockport Safeguarding Children Board")
                .await
                .expect("board");
            b.click_text("Give the role").await;
            b.wait_text("Initial SCR Panel member waits for a second person to approve it.").await;
            b.wait_css("#person-pending").await;

            // A leaver: deactivated after confirming, with the work to hand on listed.
            b.click_css("#person-deactivate").await;
            b.c.accept_alert().await.expect("confirm");
            b.wait_text("Hannah Brooks's account is deactivated.").await;
            b.wait_css("#person-reactivate").await;
            b.click_text("People").await;
            b.wait_css("#people-state").await.select_by_value("inactive").await.expect("state");
            b.click_css("#people-search").await;
            b.wait_text("Showing 1 to 1 of 1").await;
            b.wait_text("Hannah Brooks").await;
            b.click_text("Hannah Brooks").await;
            b.click_css("#person-reactivate").await;
            b.wait_text("Hannah Brooks's account is active again.").await;

            // The Board Chair approves the role.
            b.sign_in("chair@scr.example").await;
            b.click_css("#navigation a[href='/admin']").await;
            b.click_text("Roles to approve").await;
            b.wait_text("Initial SCR Panel member, Stockport Safeguarding Children Board for Hannah Brooks").await;
            b.click_text("Approve Initial SCR Panel member, Stockport Safeguarding Children Board for Hannah Brooks <professional@scr.example>").await;
            b.c.accept_alert().await.expect("confirm");
            b.wait_text("is approved for Hannah Brooks").await;
            b.wait_css("#no-approvals").await;
        }
        .boxed()
    })
    .await;
}
