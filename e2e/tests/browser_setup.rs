//! A board set up and staffed from an empty PostgreSQL database with the README's
//! production commands and the browser alone: `scr migrate`, `scr init`, `scr serve`
//! (production mode, mail through a real SMTP server on loopback); the first
//! administrator signs in, adds an area and an agency and invites the Board Chair; the
//! Chair opens the link from the e-mail and sets their own password; whoever runs the
//! server approves the board's first Chair (`scr approve-grant`, the number shown on
//! the approvals page); the Chair refers a case, and the administrator still reads
//! no case content.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod fresh;
#[path = "../../backend/tests/common/smtp.rs"]
#[allow(dead_code)]
mod smtp;
mod support;

use e2e::{Options, Server};
use fantoccini::Locator;
use fresh::{empty_database, migrate_and_init, scr};
use futures::FutureExt;
use sea_orm::ConnectionTrait;
use smtp::{Inbox, messages_to, smtp_server};
use support::{WAIT, journey_on, start_on, xpath_literal};

const ADMIN_PASSWORD: &str = "a long first passphrase";
const CHAIR_PASSWORD: &str = "the chair's own phrase";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_board_is_set_up_and_staffed_from_an_empty_database_in_the_browser() {
    let name = format!("scr_browser_setup_{}", std::process::id());
    let (url, admin) = empty_database(&name).await;
    // The README's production commands.
    migrate_and_init(&url, ADMIN_PASSWORD);

    let inbox = Inbox::default();
    let port = smtp_server(inbox.clone());
    let dir = std::env::temp_dir().join(format!("scr_browser_setup_{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let options = Options {
        env: vec![
            ("SCR_JWT_SECRET".into(), "a production secret of enough length for the tokens".into()),
            ("SCR_AUDIT_KEY".into(), fresh::AUDIT_KEY.into()),
            ("SCR_SMTP_URL".into(), format!("smtp://127.0.0.1:{port}")),
            ("SCR_MAIL_FROM".into(), "Stockport SCR <scr@stockport.example>".into()),
            ("SCR_PUBLIC_URL".into(), "https://scr.stockport.example".into()),
        ],
        production: true,
        ..Options::default()
    };
    let server = Server::serve_as_is_with(url.clone(), dir, options);
    let b = start_on(server).await;
    let database_url = url.clone();
    journey_on(b, "board_set_up_from_an_empty_database", move |b| {
        async move {
            // The first administrator sets the board up, with a second factor from the
            // first sign-in (production asks it of everyone who reads names or administers).
            let (_, admin_codes) = b.sign_in_enrolling("admin@stockport.example", ADMIN_PASSWORD).await;
            b.click_css("#navigation a[href='/admin']").await;
            b.wait_text("Administration").await;
            b.click_text("Boards and agencies").await;
            b.wait_text("Covers Stockport.").await;
            b.axe("boards and agencies").await;
            b.fill("#f-area-1-name", "Tameside").await;
            b.click_text("Add area").await;
            b.wait_text("Tameside was added.").await;
            b.wait_text("Covers Stockport, Tameside.").await;
            b.fill("#f-agency-name", "Greater Manchester Police").await;
            b.wait_css("#f-agency-kind").await.select_by_value("police").await.expect("kind");
            b.click_css("#create-agency").await;
            b.wait_text("Greater Manchester Police was created.").await;

            // An empty name is refused beside its field, and nothing is created.
            b.click_css("#create-agency").await;
            b.wait_css("#f-agency-name-error").await;

            // The Board Chair is invited; the link goes by e-mail, never to the screen.
            b.click_text("Invite someone").await;
            b.wait_text("Send the invitation").await;
            b.axe("the invitation form").await;
            b.fill("#f-email", "chair@stockport.example").await;
            b.fill("#f-name", "Chris Chair").await;
            b.click_css("label[for='role-board_chair']").await;
            b.wait_css("#f-roles-0-boardId")
                .await
                .select_by_label("Stockport Safeguarding Children Board")
                .await
                .expect("board");
            b.click_text("Send the invitation").await;
            b.wait_text("A link was e-mailed to Chris Chair.").await;
            b.wait_text("wait for a second person").await;
            let outcome = b.wait_css("#invite-outcome").await.text().await.expect("text");
            assert!(!outcome.contains("set-password"), "no link on the administrator's screen: {outcome}");

            // The proposal waits; the administrator, its proposer, cannot approve it.
            b.click_text("Roles to approve").await;
            let card = b.wait_css("#approvals li[id^='proposal-']").await;
            let proposal =
                card.attr("id").await.expect("id").expect("an id").trim_start_matches("proposal-").to_owned();
            b.wait_text("Board Chair, Stockport Safeguarding Children Board for Chris Chair").await;
            b.axe("roles to approve").await;
            b.click_text(
                "Approve Board Chair, Stockport Safeguarding Children Board for Chris Chair <chair@stockport.example>",
            )
            .await;
            b.c.accept_alert().await.expect("confirm");
            b.wait_text("A second person approves what you proposed").await;

            // The Chair opens the link from the e-mail and sets their own password.
            let messages = inbox.messages.lock().unwrap().clone();
            let body = messages_to(&messages, "chair@stockport.example").concat();
            let line = body
                .lines()
                .find(|l| l.contains("https://scr.stockport.example/set-password#token="))
                .unwrap_or_else(|| panic!("the invitation e-mail: {body}"));
            let path = &line[line.find("/set-password").expect("the path")..].trim();
            b.click_text("Sign out").await;
            b.wait_css("#f-email").await;
            b.goto(path).await;
            b.wait_text("Set your password").await;
            b.fill("#f-password", CHAIR_PASSWORD).await;
            b.fill("#f-confirm", CHAIR_PASSWORD).await;
            b.click_text("Set password and sign in").await;
            b.wait_text("Signed in as").await;
            b.wait_text("Chris Chair").await;

            // Nobody on the new board can approve yet: whoever runs the server does.
            let approved = scr(&["approve-grant", "--proposal", &proposal], &database_url, "");
            assert!(approved.status.success(), "{}", String::from_utf8_lossy(&approved.stderr));
            assert!(
                !String::from_utf8_lossy(&approved.stdout).contains("has ended"),
                "the Chair's own password stands: {}",
                String::from_utf8_lossy(&approved.stdout)
            );

            // The Chair refers a case.
            // The Chair's role reads names: the second factor is set up at this sign-in.
            b.sign_in_enrolling("chair@stockport.example", CHAIR_PASSWORD).await;
            b.click_text("Refer a case").await;
            b.wait_text("What the criteria suggest").await;
            b.fill("#f-child-name", "Kai Brook").await;
            b.fill("#f-circumstances", "Kai was found injured at nursery.").await;
            b.click_css("label[for='fact-died']").await;
            b.wait_css("#fact-abuse").await.select_by_value("suspected").await.expect("select");
            b.wait_css("#f-normalResidenceBoardId")
                .await
                .select_by_label("Stockport Safeguarding Children Board")
                .await
                .expect("board");
            let police = format!("//label[normalize-space(.)={}]", xpath_literal("Greater Manchester Police"));
            b.c.wait()
                .at_most(WAIT)
                .for_element(Locator::XPath(&police))
                .await
                .expect("the new agency")
                .click()
                .await
                .expect("tick");
            b.click_text("Send the referral").await;
            b.wait_text("Referral received").await;
            b.wait_text("Kai Brook").await;

            // The administrator reads no case content, and the audit shows who did what.
            b.sign_in_with_code("admin@stockport.example", ADMIN_PASSWORD, &admin_codes[0]).await;
            b.click_css("#navigation a[href='/admin']").await;
            b.click_text("Administration audit").await;
            b.wait_css("#audit-table").await;
            b.axe("the administration audit").await;
            let audit = b.body_text().await;
            for done in ["invite user", "approve grant", "create agency", "add area"] {
                assert!(audit.contains(done), "{done} in the audit: {audit}");
            }
            assert!(!b.body_text().await.contains("Kai Brook"));

            // Found by what happened, the search kept in the address through a reload.
            b.fill("#audit-text", "approve grant").await;
            b.click_css("#audit-search").await;
            let shown = || async {
                let cells = b.c.find_all(Locator::Css("#audit-table tbody td:nth-child(3)")).await.expect("cells");
                let mut ops = Vec::new();
                for c in cells {
                    ops.push(c.text().await.unwrap_or_default());
                }
                (b.c.current_url().await.expect("address").to_string(), ops)
            };
            let until = std::time::Instant::now() + WAIT;
            loop {
                let (address, ops) = shown().await;
                if address.contains("q=approve%20grant") && !ops.is_empty() && ops.iter().all(|o| o == "approve grant")
                {
                    break;
                }
                assert!(std::time::Instant::now() < until, "{address}: {ops:?}");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            b.c.refresh().await.expect("reload");
            b.wait_css("#audit-table").await;
            let typed = b.wait_css("#audit-text").await.prop("value").await.expect("value");
            assert_eq!(typed.as_deref(), Some("approve grant"));
            let (_, ops) = shown().await;
            assert!(!ops.is_empty() && ops.iter().all(|o| o == "approve grant"), "{ops:?}");
            b.axe("the administration audit, searched").await;
            // Days the wrong way round are refused beside the field, nothing lost.
            for (css, v) in [("#f-audit-from", "2"), ("#f-audit-from-month", "1"), ("#f-audit-from-year", "2026")] {
                b.fill(css, v).await;
            }
            for (css, v) in [("#f-audit-to", "1"), ("#f-audit-to-month", "1"), ("#f-audit-to-year", "2026")] {
                b.fill(css, v).await;
            }
            b.click_css("#audit-search").await;
            b.wait_focus_in(".govuk-error-summary").await;
            b.wait_text("The last day must be the same as or after the first day").await;
            let typed = b.wait_css("#audit-text").await.prop("value").await.expect("value");
            assert_eq!(typed.as_deref(), Some("approve grant"));
            b.goto("/").await;
            b.wait_text("Signed in as").await;
            assert!(!b.body_text().await.contains("Kai Brook"), "the administrator reads no case content");
        }
        .boxed()
    })
    .await;
    // Every entry the commands and the server wrote is keyed and chained.
    let checked = scr(&["audit", "verify"], &url, "");
    assert!(checked.status.success(), "{}", String::from_utf8_lossy(&checked.stderr));
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.expect("drop");
}
