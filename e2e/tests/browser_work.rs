//! A day's work in the browser: a review as a task list at each phase, typed text that
//! survives other saves, reloads and links, focus on the outcome of every action, each
//! person's own tasks first, and the pages at phone width and by keyboard alone.
//! Headless Chromium against the real `scr` binary with the demo data; axe-core on
//! every new page.

#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]

mod support;

use fantoccini::Locator;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use futures::FutureExt;
use serde_json::json;
use support::{Browser, api, journey};

async fn press(b: &Browser, key: Key) {
    let k: char = key.into();
    let keys = KeyActions::new("keyboard".into()).then(KeyAction::Down { value: k }).then(KeyAction::Up { value: k });
    b.c.perform_actions(keys).await.expect("press a key");
}

async fn focused_matches(b: &Browser, css: &str) -> bool {
    b.c.execute("return !!(document.activeElement && document.activeElement.matches(arguments[0]));", vec![json!(css)])
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// Presses Tab until focus reaches `css`, as a keyboard user moves through a page.
async fn tab_to(b: &Browser, css: &str) {
    for _ in 0..80 {
        if focused_matches(b, css).await {
            return;
        }
        press(b, Key::Tab).await;
    }
    panic!("Tab never reached {css}");
}

/// Types into whatever has focus.
async fn type_here(b: &Browser, text: &str) {
    b.c.active_element().await.expect("focus").send_keys(text).await.expect("type");
}

async fn title(b: &Browser) -> String {
    b.c.execute("return document.title;", vec![]).await.expect("title").as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn a_reviews_task_list_shows_each_phase_to_the_manager_and_a_partner_board() {
    journey("task_lists_by_phase", |b| {
        async move {
            b.sign_in("manager@scr.example").await;
            // The home page needs no page module; a review's pages load theirs when opened.
            let modules = "return performance.getEntriesByType('resource').map(r => r.name).filter(n => n.includes('/split_')).map(n => n.split('/').pop());";
            b.wait_css("#your-tasks").await;
            let loaded = b.c.execute(modules, vec![]).await.expect("resources");
            assert_eq!(loaded, json!([]), "the home page loaded a page module");
            let phases = [
                ("Review set up", [("set-up", "Completed"), ("terms", "In progress"), ("imrs", "Cannot start yet")]),
                (
                    "IMRs requested",
                    [("terms", "Completed"), ("imrs", "In progress"), ("chronology", "Cannot start yet")],
                ),
                (
                    "Overview report and executive summary",
                    [("analysis", "Completed"), ("report", "In progress"), ("assurance", "Not started")],
                ),
                (
                    "Action planning and monitoring",
                    [("actions", "In progress"), ("publication", "Not started"), ("conclusion", "Cannot start yet")],
                ),
            ];
            let mut acts = 0;
            for (stage, expected) in phases {
                b.open_review_at(stage).await;
                let loaded = b.c.execute(modules, vec![]).await.expect("resources").to_string();
                assert!(loaded.contains("split_review_pages"), "{loaded}");
                for (task, status) in expected {
                    assert_eq!(b.task_status(task).await, status, "{task} at {stage}");
                }
                acts +=
                    b.c.find_all(Locator::XPath(
                        "//div[contains(@class,'govuk-task-list__hint')][contains(.,'You can act on this now')]",
                    ))
                    .await
                    .expect("hints")
                    .len();
                // A task that cannot start yet is not a link, and says what it waits for.
                let waiting =
                    b.c.find_all(Locator::XPath("//li[.//strong[normalize-space(.)='Cannot start yet']]//a"))
                        .await
                        .expect("links");
                assert!(waiting.is_empty(), "a task that cannot start is offered as a link at {stage}");
                b.wait_text("Starts when the review reaches").await;
                assert!(title(b).await.starts_with("SCR-"), "the page is titled by its review");
            }
            assert!(acts > 0, "the business manager is told where to act");
            // The list of reviews: filtered by stage, the choice kept in the address.
            b.goto("/").await;
            b.wait_css("#find-stage").await.select_by_value("imrs_requested").await.expect("stage");
            b.click_text("Show reviews").await;
            b.wait_text("Showing 1 to ").await;
            let url = b.c.current_url().await.expect("url").to_string();
            assert!(url.contains("stage=imrs_requested"), "{url}");
            b.c.refresh().await.expect("reload");
            let rows = b.wait_css("#review-table").await.text().await.expect("rows");
            assert!(rows.contains("IMRs requested") && !rows.contains("Action planning"), "{rows}");
            // The manager's queue, searched by a reference, the search kept in the address.
            b.goto("/manager").await;
            let first = b.wait_css("table.govuk-table tbody tr a").await.text().await.expect("reference");
            let waiting = b.wait_css("#queue-results").await.text().await.expect("count");
            b.fill("#queue-reference", &first).await;
            b.click_text("Search").await;
            b.wait_text("1 waiting").await;
            assert!(b.c.current_url().await.expect("url").as_str().contains(&format!("reference={first}")));
            assert!(waiting.starts_with(|c: char| c.is_ascii_digit()), "{waiting}");
            b.axe("a searched queue").await;
            b.axe("a review's task list at action planning").await;
            b.screenshot("task_list").await;
            // A task page shows its record and no form for a finished step.
            let href = b.open_review_at("Action planning and monitoring").await;
            b.goto(&format!("{href}/tasks/decision")).await;
            b.settled().await;
            b.wait_text("A Serious Case Review will be held").await;
            assert!(b.c.find(Locator::Css("#f-decision-reasons")).await.is_err(), "no form for a decided review");
            assert!(title(b).await.contains("Chair's decision"), "{}", title(b).await);
            b.axe("a finished task's page").await;

            // The partner board reads the statuses and is told of no task to do.
            b.sign_in("partner@scr.example").await;
            b.open_review_at("Overview report and executive summary").await;
            assert_eq!(b.task_status("report").await, "In progress");
            assert_eq!(b.task_status("imrs").await, "Completed");
            assert!(!b.body_text().await.contains("You can act on this now"));
            b.axe("a partner board's task list").await;
        }
        .boxed()
    })
    .await;
}

#[tokio::test]
async fn the_author_keeps_every_word_through_another_save_a_reload_and_a_link() {
    journey("drafts_survive", |b| {
        async move {
            b.sign_in("author@scr.example").await;
            let href = b.open_review_at("Overview report and executive summary").await;
            b.goto(&format!("{href}/report")).await;
            b.wait_css("#summary-editor").await;
            b.settled().await;
            // Unsaved words in the summary, then the report saved on the same page.
            b.fill("#f-summary-sections-2", "Words typed into the summary and not yet saved.").await;
            b.fill("#f-report-sections-0", "A new introduction for the report.").await;
            b.click_text("Save the report").await;
            b.wait_text("The overview report was saved").await;
            b.wait_focus_in("#success").await;
            b.settled().await;
            let kept =
                b.wait_css("#f-summary-sections-2").await.prop("value").await.expect("value").unwrap_or_default();
            assert_eq!(
                kept, "Words typed into the summary and not yet saved.",
                "saving the report keeps the summary as typed"
            );
            // A second save of the report goes on from the version just saved.
            b.fill("#f-report-sections-0", "A newer introduction for the report.").await;
            b.click_text("Save the report").await;
            b.wait_text("The overview report was saved").await;
            b.settled().await;
            assert!(!b.body_text().await.contains("changed by someone else"), "no conflict with oneself");

            // A link inside the client asks before leaving unsaved text.
            b.click_css(".govuk-back-link").await;
            let question = b.c.get_alert_text().await.expect("a question before leaving");
            assert!(question.contains("not saved"), "{question}");
            b.c.dismiss_alert().await.expect("stay");
            b.wait_css("#summary-editor").await;

            // A reload: the text is offered back, and restored on request.
            b.c.refresh().await.expect("reload");
            b.wait_css("#summary-editor").await;
            b.settled().await;
            b.wait_css("#f-summary-sections-2-draft").await;
            b.axe("a kept draft offered back").await;
            b.click_css("#f-summary-sections-2-draft .scr-restore").await;
            let restored =
                b.wait_css("#f-summary-sections-2").await.prop("value").await.expect("value").unwrap_or_default();
            assert_eq!(restored, "Words typed into the summary and not yet saved.");
            // Once saved, nothing is offered any more.
            b.click_text("Save the summary").await;
            b.wait_text("The executive summary was saved").await;
            b.settled().await;
            b.c.refresh().await.expect("reload");
            b.wait_css("#summary-editor").await;
            b.settled().await;
            assert!(b.c.find(Locator::Css(".scr-draft")).await.is_err(), "a saved text is not offered back");
            let saved =
                b.wait_css("#f-summary-sections-2").await.prop("value").await.expect("value").unwrap_or_default();
            assert_eq!(saved, "Words typed into the summary and not yet saved.");
        }
        .boxed()
    })
    .await;
}

#[tokio::test]
async fn an_action_owner_sees_their_overdue_action_first_on_a_phone() {
    journey("own_tasks_on_a_phone", |b| {
        async move {
            b.c.set_window_size(390, 844).await.expect("resize");
            b.sign_in("imr.author@scr.example").await;
            let first = b.wait_css("#task-table tbody tr").await;
            assert_eq!(first.attr("data-kind").await.expect("kind").as_deref(), Some("action"));
            let text = first.text().await.expect("text");
            assert!(
                text.contains("Overdue")
                    && (text.contains("overdue by 10 days") || text.contains("overdue by 11 days")),
                "{text}"
            );
            // The parts played on each review are named, not "Professional".
            let parts = b.wait_css("#review-table").await.text().await.expect("text");
            assert!(parts.contains("IMR author"), "{parts}");
            b.fits("the home page").await;
            b.axe("the home page on a phone").await;
            b.screenshot("home_at_390px").await;
            // The navigation folds behind a menu button.
            let nav = b.wait_css("#navigation").await;
            assert!(!nav.is_displayed().await.expect("shown"), "the links are folded away");
            b.click_text("Menu").await;
            assert!(nav.is_displayed().await.expect("shown"));
            b.click_css("#navigation a[href='/actions']").await;
            b.wait_text("Add a referral prompt to the domestic abuse log").await;
            assert!(
                !b.wait_css("#navigation").await.is_displayed().await.expect("shown"),
                "following a link folds the menu"
            );
            b.fits("the actions").await;
            // A file over the limit is refused before a byte of it is sent.
            let big = std::env::temp_dir().join(format!("evidence-too-big-{}.pdf", std::process::id()));
            std::fs::write(&big, vec![b'%'; 6 * 1024 * 1024]).expect("write the file");
            b.wait_css(".scr-action input[type='file']")
                .await
                .send_keys(&big.display().to_string())
                .await
                .expect("choose the file");
            b.click_text("Attach the file").await;
            b.wait_text("The file is larger than 5 MB").await;
            b.wait_focus_in(".govuk-error-summary").await;
            let _ = std::fs::remove_file(&big);
            let href = b.open_review_at("IMRs requested").await;
            b.fits("a review's task list").await;
            b.goto(&format!("{href}/tasks/imrs")).await;
            b.settled().await;
            b.wait_css("#imr-table").await;
            b.fits("the IMRs").await;
            b.axe("the IMRs on a phone").await;
            b.screenshot("imrs_at_390px").await;
            b.click_css("#imr-table a[href*='/imrs/']").await;
            b.wait_css("#imr-chronology, #imr-editor").await;
            b.settled().await;
            b.fits("an IMR").await;
            b.goto("/reports").await;
            b.fits("the notifications page").await;
        }
        .boxed()
    })
    .await;
}

#[tokio::test]
async fn a_keyboard_user_refers_a_case_and_the_panel_assesses_it() {
    journey("keyboard_referral_and_assessment", |b| {
        async move {
            b.c.set_window_size(390, 844).await.expect("resize");
            b.sign_in("professional@scr.example").await;
            b.goto("/refer").await;
            b.wait_css("#f-child-name").await;
            assert_eq!(title(b).await, "Refer a case - Serious Case Reviews");
            b.fits("the referral form").await;
            // The first Tab reaches the skip link, which moves focus to the page's content.
            b.c.execute("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);", vec![])
                .await
                .expect("reset");
            press(b, Key::Tab).await;
            assert!(focused_matches(b, ".govuk-skip-link").await, "the skip link comes first");
            press(b, Key::Enter).await;
            assert!(focused_matches(b, "#main-content").await, "the skip link moves focus to the content");
            tab_to(b, "#f-child-name").await;
            type_here(b, "Ada Pennington").await;
            tab_to(b, "#f-circumstances").await;
            type_here(b, "Ada was taken to hospital with injuries her nursery had noticed before.").await;
            tab_to(b, "#fact-died").await;
            press(b, Key::Space).await;
            tab_to(b, "#fact-abuse").await;
            type_here(b, "Suspected").await;
            b.wait_text("Mandatory: a review must be held").await;
            tab_to(b, "#f-normalResidenceBoardId").await;
            type_here(b, "Stockport").await;
            tab_to(b, "#agency-1").await;
            press(b, Key::Space).await;
            tab_to(b, "button[type='submit']").await;
            press(b, Key::Enter).await;
            b.wait_text("Referral received").await;
            b.settled().await;
            // Focus follows to the new page's heading.
            b.wait_focus_in("main h1").await;
            let url = b.c.current_url().await.expect("url").to_string();
            let id = url.rsplit('/').next().unwrap_or_default().to_owned();
            b.fits("the new review's task list").await;

            // The panel records its assessment by keyboard; focus goes to the outcome.
            b.sign_in("panel@scr.example").await;
            b.goto(&format!("/reviews/{id}/tasks/assessment")).await;
            b.settled().await;
            b.wait_css("#f-assessment-reasons").await;
            b.fits("the assessment task").await;
            tab_to(b, "#f-assessment-reasons").await;
            type_here(b, "Serious injury with neglect suspected.").await;
            tab_to(b, "button[type='submit']").await;
            press(b, Key::Enter).await;
            // Nothing chosen: the error summary takes focus and names what to do.
            b.wait_focus_in(".govuk-error-summary").await;
            let problem = b.wait_css(".govuk-error-summary").await.text().await.expect("text");
            assert!(problem.contains("There is a problem"), "{problem}");
            tab_to(b, "#f-assessment-category-mandatory").await;
            press(b, Key::Space).await;
            tab_to(b, "button[type='submit']").await;
            press(b, Key::Enter).await;
            b.wait_text("The panel's assessment was recorded").await;
            b.wait_focus_in("#success").await;
            b.axe("a recorded assessment at phone width").await;
        }
        .boxed()
    })
    .await;
}

#[tokio::test]
async fn the_reporting_analyst_meets_no_dead_ends() {
    journey("analyst_no_dead_ends", |b| {
        async move {
            b.sign_in("analyst@scr.example").await;
            let href = b.open_review_at("IMRs requested").await;
            // The IMRs' records are closed to the analyst: the task is listed, not linked.
            assert_eq!(b.task_status("imrs").await, "In progress");
            assert!(
                b.c.find(Locator::Css("li[data-task='imrs'] a")).await.is_err(),
                "a task whose records the analyst cannot open is not offered as a link"
            );
            b.wait_text("Its records are not open to your part on this review").await;
            // An address typed in says why, and leads back.
            b.goto(&format!("{href}/imrs/1")).await;
            b.wait_text("You do not have access to this").await;
            b.click_text("Go to your work and reviews").await;
            b.wait_text("Your tasks").await;
            b.goto(&format!("{href}/tasks/imrs")).await;
            b.wait_text("The records of this task are not open to your part on this review").await;
            b.axe("a task closed to the analyst").await;
        }
        .boxed()
    })
    .await;
}

#[tokio::test]
async fn the_reports_count_what_the_reviews_deadlines_show() {
    journey("reports_agree_with_deadlines", |b| {
        async move {
            // What the reviews' own deadlines say, read through the API as the Chair.
            let login = api(
                &b.base,
                None,
                "mutation{login(email:\"chair@scr.example\",password:\"scr-demo-password\"){token}}",
                json!({}),
            )
            .await;
            let token = login["data"]["login"]["token"].as_str().expect("token").to_owned();
            let ids = api(&b.base, Some(&token), "{reviews(first:200){id}}", json!({})).await;
            let mut late = 0;
            for r in ids["data"]["reviews"].as_array().expect("reviews") {
                let d = api(
                    &b.base,
                    Some(&token),
                    "query($id:Int!){review(id:$id){deadlines{kind status}}}",
                    json!({"id": r["id"]}),
                )
                .await;
                late += d["data"]["review"]["deadlines"]
                    .as_array()
                    .expect("deadlines")
                    .iter()
                    .filter(|x| x["kind"] == "CHAIR_DECISION" && x["status"] == "OVERDUE")
                    .count();
            }
            assert!(late > 0, "the demo has decisions overdue");
            // The report says the same.
            b.sign_in("chair@scr.example").await;
            b.goto("/reports").await;
            let summary = b.wait_css("#report-summary").await.text().await.expect("summary");
            assert!(summary.contains(&format!("with {late} overdue and not yet made")), "{summary}");
            let table = b.wait_css("#report-timeliness table").await.text().await.expect("table");
            assert!(table.contains(&format!("Decision overdue, not yet made {late}")), "{table}");
            // A period in the past counts no deadline, and stays in the address.
            b.fill("#f-period-from", "1").await;
            b.fill("#f-period-from-month", "1").await;
            b.fill("#f-period-from-year", "1990").await;
            b.fill("#f-period-to", "31").await;
            b.fill("#f-period-to-month", "12").await;
            b.fill("#f-period-to-year", "1990").await;
            b.click_text("Show the report").await;
            b.wait_text("Timeliness counts deadlines due from 1 January 1990 to 31 December 1990").await;
            assert!(b.c.current_url().await.expect("url").as_str().contains("from=1990-01-01"));
            b.axe("the report for a period").await;
            b.c.set_window_size(390, 844).await.expect("resize");
            b.fits("the reports").await;
        }
        .boxed()
    })
    .await;
}

/// Today's statutory route in the browser: the administrator moves the board to the
/// 2023 procedure, a serious incident is reported, and the rapid review runs through
/// notification, the agencies' information, the meeting, the partners' decision, the
/// National Panel and its response, to no further review with the learning recorded.
#[tokio::test]
async fn a_rapid_review_runs_from_notification_to_the_learning_recorded() {
    journey("rapid_review", |b| {
        async move {
            b.sign_in("admin@scr.example").await;
            b.goto("/admin/organisations").await;
            b.wait_css("#procedure-1-form").await;
            b.click_css("label[for='f-procedure-1-procedure-practice_review_2023']").await;
            b.click_css("#procedure-1-form button").await;
            b.c.accept_alert().await.expect("confirm the change of procedure");
            b.wait_text("New reviews will run under").await;

            // A serious incident is reported as any referral is.
            b.sign_in("professional@scr.example").await;
            b.click_text("Refer a case").await;
            b.wait_text("What the criteria suggest").await;
            b.fill("#f-child-name", "Rosie Calder").await;
            b.fill("#f-circumstances", "Rosie was admitted with a fractured arm; the explanation did not fit.").await;
            b.wait_css("#f-normalResidenceBoardId")
                .await
                .select_by_label("Stockport Safeguarding Children Board")
                .await
                .expect("board");
            b.click_css("label[for='agency-1']").await;
            b.click_css("label[for='agency-2']").await;
            // The referrer names another board with an interest: it becomes a partner, and says why.
            b.click_css("label[for='other-board-2']").await;
            b.wait_text("Named as a board with an interest (11.3).").await;
            b.click_text("Send the referral").await;
            b.wait_text("Serious incident reported").await;
            b.wait_text("Manchester Safeguarding Children Board").await;
            let url = b.c.current_url().await.expect("url").to_string();
            let id = url.rsplit('/').next().unwrap_or_default().to_owned();
            b.wait_text("Rapid review and local child safeguarding practice review").await;

            // The business manager notifies the National Panel and asks the agencies.
            b.sign_in("manager@scr.example").await;
            b.goto(&format!("/reviews/{id}")).await;
            b.settled().await;
            assert_eq!(b.task_status("incident").await, "Not started");
            assert_eq!(b.task_status("rapid-review").await, "Cannot start yet");
            b.goto(&format!("/reviews/{id}/tasks/incident")).await;
            b.settled().await;
            b.axe("the notification to the National Panel").await;
            b.click_text("Record the notification").await;
            b.wait_text("The notification to the National Panel was recorded").await;
            b.goto(&format!("/reviews/{id}/tasks/rapid-review")).await;
            b.settled().await;
            b.click_text("Ask every involved agency").await;
            b.wait_text("Each involved agency was asked for its information").await;
            b.wait_css("#rapid-review-information").await;
            // The meeting waits for every agency's information.
            b.fill("#f-meeting-notes", "Premature.").await;
            b.click_text("Record the meeting").await;
            b.wait_text("Still waiting for the information of").await;

            // Each agency returns its own information.
            for (email, agency) in [
                ("agency.manager@scr.example", "Greater Manchester Police"),
                ("health.manager@scr.example", "Stockport NHS Foundation Trust"),
            ] {
                b.sign_in(email).await;
                b.goto(&format!("/reviews/{id}/tasks/rapid-review")).await;
                b.settled().await;
                b.wait_css("#f-return-information-agencyId").await.select_by_label(agency).await.expect("agency");
                b.fill("#f-return-information-summary", &format!("{agency}: one contact in the month before.")).await;
                b.click_text("Return the information").await;
                b.wait_text("The agency's information was returned").await;
            }

            b.sign_in("manager@scr.example").await;
            b.goto(&format!("/reviews/{id}/tasks/rapid-review")).await;
            b.settled().await;
            b.axe("the rapid review").await;
            b.fill("#f-meeting-notes", "Both agencies attended; the facts were agreed and no child is at risk now.")
                .await;
            b.click_text("Record the meeting").await;
            b.wait_text("The rapid review meeting was recorded").await;

            // The Chair records the partners' decision, checked before it is recorded.
            b.sign_in("chair@scr.example").await;
            b.goto(&format!("/reviews/{id}/tasks/rapid-review")).await;
            b.settled().await;
            b.click_css("label[for='f-rapid-decision-commission-no']").await;
            b.fill("#f-rapid-decision-reasons", "The learning is clear from the rapid review.").await;
            b.click_text("Continue").await;
            b.wait_text("Check the partners' decision before you record it").await;
            b.click_text("Record the decision").await;
            b.wait_text("The partners' decision was recorded").await;

            b.sign_in("manager@scr.example").await;
            b.goto(&format!("/reviews/{id}/tasks/rapid-review")).await;
            b.settled().await;
            b.click_text("Record it as sent").await;
            b.wait_text("The rapid review was recorded as sent to the National Panel").await;
            b.goto(&format!("/reviews/{id}/tasks/panel-response")).await;
            b.settled().await;
            b.fill("#f-response-response", "The National Panel agrees with the partners.").await;
            b.click_text("Record the response").await;
            b.wait_text("The National Panel's response was recorded").await;

            b.sign_in("chair@scr.example").await;
            b.goto(&format!("/reviews/{id}/tasks/commissioning")).await;
            b.settled().await;
            b.axe("the choice after the National Panel's response").await;
            b.fill("#f-learning-learning", "Fractures in a baby are always referred to children's social care.").await;
            b.click_text("Close with the learning recorded").await;
            b.wait_text("The case was closed with its learning recorded").await;
            b.goto(&format!("/reviews/{id}")).await;
            b.settled().await;
            b.wait_text("No further review: learning recorded").await;
            assert_eq!(b.task_status("imrs").await, "Not needed");
            assert_eq!(b.task_status("rapid-review").await, "Completed");
        }
        .boxed()
    })
    .await;
}

#[tokio::test]
async fn the_business_manager_adds_a_board_with_an_interest_after_the_referral() {
    journey("partner_board_added", |b| {
        async move {
            b.sign_in("manager@scr.example").await;
            // The case at "Ofsted notified" was referred with no other board.
            let href = b.open_review_at("Ofsted notified").await;
            b.wait_css("#add-partner-board summary").await.click().await.expect("open");
            let reason = "Its health visitors saw the child weekly in the month before the incident.";
            // No board chosen: the error sits beside the field and the summary takes focus.
            b.fill("#f-partner-reason", reason).await;
            b.click_text("Add the board as a partner").await;
            b.wait_focus_in(".govuk-error-summary").await;
            b.wait_text("Choose the board to add").await;
            // The reason is still as typed; the board is chosen and the date left as today.
            let kept = b.wait_css("#f-partner-reason").await.prop("value").await.expect("value");
            assert_eq!(kept.as_deref(), Some(reason));
            b.wait_css("#f-partner-boardId")
                .await
                .select_by_label("Manchester Safeguarding Children Board")
                .await
                .expect("board");
            b.axe("adding a board with an interest").await;
            b.click_text("Add the board as a partner").await;
            b.wait_focus_in("#success").await;
            b.wait_text("The board was added as a partner").await;
            b.settled().await;
            let glance = b.body_text().await;
            assert!(glance.contains("Manchester Safeguarding Children Board"), "{glance}");
            // The referral keeps why and when.
            b.goto(&format!("{href}/tasks/referral")).await;
            b.settled().await;
            let added = b.wait_css("#boards-added").await.text().await.expect("added");
            assert!(added.contains("Manchester Safeguarding Children Board") && added.contains(reason), "{added}");
            let why = b.wait_css("#partner-grounds").await.text().await.expect("grounds");
            assert!(why.contains("Added after the referral"), "{why}");

            // The partner board's officer now sees the review.
            b.sign_in("partner@scr.example").await;
            b.goto(&href).await;
            b.settled().await;
            b.wait_text("Ofsted notified").await;
        }
        .boxed()
    })
    .await;
}
