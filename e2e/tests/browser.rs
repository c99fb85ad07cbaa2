//! The client in a real browser: headless Chromium driven through WebDriver against
//! the real `scr` binary with the demo data. One test per journey; every wait is for
//! a state of the page, never a fixed time; axe-core checks each workspace.

#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]

mod support;

use fantoccini::Locator;
use futures::FutureExt;
use serde_json::json;
use support::{Browser, WAIT, api, journey, xpath_literal};

fn review_id_from(url: &str) -> String {
    url.rsplit('/').next().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn a_case_goes_from_referral_to_approved_terms_in_the_browser() {
    journey("referral_to_approved_terms", |b| {
        async move {
            // A professional refers; the proposal updates as the facts are filled in.
            b.sign_in("professional@scr.example").await;
            b.click_text("Refer a case").await;
            b.wait_text("What the criteria suggest").await;
            b.axe("the referral form").await;
            b.fill("#f-child-name", "Zara Whitfield").await;
            b.fill("#f-circumstances", "Zara was found injured at home; her school had raised concerns.").await;
            b.click_css("label[for='fact-died']").await;
            b.wait_css("#fact-abuse").await.select_by_value("suspected").await.expect("select");
            b.wait_text("Mandatory: a review must be held").await;
            b.wait_css("#f-normalResidenceBoardId")
                .await
                .select_by_label("Stockport Safeguarding Children Board")
                .await
                .expect("board");
            b.click_css("label[for='agency-1']").await;
            b.click_css("label[for='agency-2']").await;
            // 11.3: the form shows which board leads and why.
            b.wait_text("Boards taking part (11.3)").await;
            b.wait_text("The board for the area where the child is normally resident leads (11.3).").await;
            // The referral came in three days ago: its clock runs from then, not from today.
            let received = chrono::Utc::now().date_naive() - chrono::Duration::days(3);
            b.fill("#f-receivedOn", &received.format("%-d").to_string()).await;
            b.fill("#f-receivedOn-month", &received.format("%-m").to_string()).await;
            b.fill("#f-receivedOn-year", &received.format("%Y").to_string()).await;
            b.click_text("Send the referral").await;
            b.wait_text("Referral received").await;
            let url = b.c.current_url().await.expect("url").to_string();
            let id = review_id_from(&url);
            b.wait_text(&received.format("%-d %B %Y").to_string()).await;
            b.axe("the review page").await;

            // The Initial Panel assesses and recommends.
            b.sign_in("panel@scr.example").await;
            b.click_text("Initial panel").await;
            b.wait_text("Initial panel: referrals to consider").await;
            b.axe("the Initial Panel's queue").await;
            // The review's task list: the panel's task is offered, the Chair's cannot start yet.
            b.goto(&format!("/reviews/{id}")).await;
            b.settled().await;
            assert_eq!(b.task_status("assessment").await, "Not started");
            assert_eq!(b.task_status("decision").await, "Cannot start yet");
            b.axe("the review's task list").await;
            b.click_css("li[data-task='assessment'] a").await;
            b.settled().await;
            b.click_css("label[for='f-assessment-category-mandatory']").await;
            b.fill("#f-assessment-reasons", "The child was seriously injured and neglect is suspected.").await;
            b.click_text("Record the assessment").await;
            b.wait_text("The panel's assessment was recorded").await;
            b.settled().await;
            b.click_text("Next task: Initial Panel recommendation").await;
            b.settled().await;
            b.click_css("label[for='f-recommendation-conduct-yes']").await;
            b.fill("#f-recommendation-scope", "The two years before the injury.").await;
            b.fill("#f-recommendation-reasons", "The criteria of 11.2 are met.").await;
            b.click_text("Record the recommendation").await;
            b.wait_text("The panel's recommendation was recorded").await;
            b.settled().await;

            // The Chair decides.
            b.sign_in("chair@scr.example").await;
            b.click_text("Board Chair").await;
            b.wait_text("Board Chair: decisions and approvals").await;
            b.axe("the Chair's queue").await;
            b.goto(&format!("/reviews/{id}/tasks/decision")).await;
            b.settled().await;
            b.click_css("label[for='f-decision-conduct-yes']").await;
            b.fill("#f-decision-reasons", "I agree with the panel.").await;
            // Check your answers, then record: no browser confirmation box.
            b.click_text("Continue").await;
            b.wait_text("Check your decision before you record it").await;
            b.axe("checking the Chair's decision").await;
            b.click_text("Record the decision").await;
            b.wait_text("Your decision was recorded").await;

            // The business manager notifies Ofsted, appoints and completes set-up.
            b.sign_in("manager@scr.example").await;
            b.click_text("Business manager").await;
            b.wait_text("Business manager: notifications and set-up").await;
            b.axe("the business manager's queue").await;
            b.goto(&format!("/reviews/{id}/tasks/notification")).await;
            b.settled().await;
            b.click_text("Record the notification").await;
            b.wait_text("The Ofsted notification was recorded").await;
            b.settled().await;
            b.goto(&format!("/reviews/{id}/tasks/set-up")).await;
            b.settled().await;
            // "Complete set-up" is not offered while things are missing; they are listed.
            let missing = b.wait_css("#setup-missing").await.text().await.expect("text");
            assert!(missing.contains("Appoint the independent SCR Panel chair"), "{missing}");
            assert!(b.c.find(Locator::XPath("//button[normalize-space(.)='Complete set-up']")).await.is_err());
            for (post, person) in [("panel_chair", "Alan Forbes"), ("overview_author", "Julia Stone")] {
                b.click_css(&format!("label[for='f-appoint-assignment-{post}']")).await;
                let select = b.wait_css("#f-appoint-userId").await;
                b.wait_text(person).await;
                let option = select
                    .find(Locator::XPath(&format!(".//option[starts-with(normalize-space(.), '{person}')]")))
                    .await
                    .expect("option");
                option.click().await.expect("choose");
                b.click_text("Appoint").await;
                b.wait_text("The appointment was made").await;
                b.settled().await;
                b.wait_text(person).await;
            }
            loop {
                b.settled().await;
                let buttons =
                    b.c.find_all(Locator::XPath("//button[normalize-space(.)='Mark as done']")).await.expect("buttons");
                let Some(first) = buttons.first() else { break };
                let before = buttons.len();
                first.click().await.expect("tick");
                b.c.wait()
                    .at_most(WAIT)
                    .for_element(Locator::XPath(&format!(
                        "//body[count(//button[normalize-space(.)='Mark as done']) < {before}]"
                    )))
                    .await
                    .expect("the item is ticked");
            }
            b.click_text("Complete set-up").await;
            b.wait_text("Set-up is complete").await;

            // The panel agrees the terms of reference.
            b.sign_in("panel@scr.example").await;
            b.goto(&format!("/reviews/{id}/tasks/terms")).await;
            b.settled().await;
            b.wait_css("#terms-editor").await;
            for i in 0..19 {
                if i == 8 {
                    b.click_css("label[for='f-terms-answers-8-na']").await;
                } else {
                    b.fill(&format!("#f-terms-answers-{i}"), &format!("Agreed answer {}", i + 1)).await;
                }
            }
            b.click_text("Save the terms of reference").await;
            b.wait_text("The terms of reference were saved").await;

            // The Chair approves them.
            b.sign_in("chair@scr.example").await;
            b.goto(&format!("/reviews/{id}/tasks/terms")).await;
            b.settled().await;
            b.click_text("Approve version 1").await;
            b.wait_text("The terms of reference are approved").await;
            b.click_text("Return to the task list").await;
            let moved = "//li[contains(@class,'scr-tracker__step--current')][starts-with(normalize-space(.),'Terms of reference agreed')]";
            b.c.wait()
                .at_most(WAIT)
                .for_element(Locator::XPath(moved))
                .await
                .expect("the tracker shows the terms agreed");
            b.settled().await;
            let current = b.wait_css(".scr-tracker__step--current").await.text().await.expect("text");
            assert_eq!(current, "Terms of reference agreed (current stage)");
            assert_eq!(b.task_status("terms").await, "Completed");
            assert_eq!(b.task_status("imrs").await, "Not started");
        }
        .boxed()
    })
    .await;
}

#[tokio::test]
async fn a_partner_board_sees_the_label_and_never_the_childs_name() {
    journey("partner_board_labels_only", |b| {
        async move {
            b.sign_in("partner@scr.example").await;
            b.wait_text("Reviews you can see").await;
            b.axe("the partner board's reviews").await;
            let first = b.wait_css("#review-table a[href^='/reviews/']").await;
            first.click().await.expect("open");
            b.settled().await;
            b.axe("a review's tasks seen by a partner board").await;
            assert_no_names(b).await;
            b.click_css("li[data-task='referral'] a").await;
            b.wait_text("Child A").await;
            b.wait_css("#circumstances").await;
            assert_no_names(b).await;
            b.axe("a review seen by a partner board").await;
            // At phone width the page reflows: nothing wider than the screen.
            b.c.set_window_size(390, 844).await.expect("resize");
            let overflow = b
                .c
                .execute("return document.documentElement.scrollWidth - document.documentElement.clientWidth;", vec![])
                .await
                .expect("measure");
            assert!(overflow.as_i64().unwrap_or(1) <= 0, "the page is wider than a 390 px screen by {overflow}");
            b.screenshot("partner_board_at_390px").await;
            b.c.set_window_size(1280, 1000).await.expect("resize");

            // A review in its review phase: the genogram, the IMRs, the chronology and
            // the report, all with labels only.
            b.goto("/").await;
            let href = b.open_review_at("Overview report and executive summary").await;
            // A partner board reads the tasks and does none of them.
            assert_eq!(b.task_status("imrs").await, "Completed");
            assert_eq!(b.task_status("report").await, "In progress");
            assert_eq!(b.task_status("conclusion").await, "Cannot start yet");
            b.goto(&format!("{href}/tasks/family")).await;
            let genogram =
                b.wait_css(".scr-genogram svg").await.attr("aria-label").await.expect("label").unwrap_or_default();
            assert!(genogram.contains("Child A") && genogram.contains("Alleged perpetrator 1"), "{genogram}");
            b.goto(&format!("{href}/tasks/imrs")).await;
            b.wait_css("#imr-table").await;
            assert_no_names(b).await;
            b.goto(&format!("{href}/tasks/chronology")).await;
            b.click_text("Open the combined chronology").await;
            b.wait_css("#combined-chronology").await;
            b.settled().await;
            assert_no_names(b).await;
            b.axe("the combined chronology seen by a partner board").await;
            b.goto(&format!("{href}/report")).await;
            b.wait_css("#executive-summary").await;
            b.settled().await;
            b.wait_text("Mother told the health visitor").await;
            assert_no_names(b).await;
        }
        .boxed()
    })
    .await;
}

#[tokio::test]
async fn an_imr_author_cannot_reach_the_chairs_queue() {
    journey("imr_author_refused_chair_queue", |b| {
        async move {
            b.sign_in("imr.author@scr.example").await;
            b.wait_text("Reviews you can see").await;
            let nav = b.wait_css("#navigation").await.text().await.expect("nav");
            assert!(!nav.contains("Board Chair"), "navigation offers the Chair's queue: {nav}");
            // The notifications: the overdue action first, then the IMR to write, and the
            // calendar feed's address.
            b.click_css("#navigation a[href='/notifications']").await;
            b.wait_css("#notifications").await;
            let first = b.wait_css("#notifications li").await.text().await.expect("text");
            // Ten days overdue when seeded (eleven if midnight passed since).
            assert!(
                first.starts_with("Overdue")
                    && (first.contains("overdue by 10 days") || first.contains("overdue by 11 days")),
                "{first}"
            );
            b.wait_text("Write and submit the IMR").await;
            let feed = b.wait_css("#calendar-feed").await.text().await.expect("text");
            assert!(feed.contains("/api/calendar.ics?token="), "{feed}");
            b.axe("the notifications").await;
            b.goto("/chair").await;
            b.wait_text("You do not have access to this").await;
            assert!(!b.body_text().await.contains("SCR-"), "no review is listed");
            // The other pages of the shell: sign-in, and the administrator's accounts page.
            b.click_text("Sign out").await;
            b.wait_css("#f-email").await;
            b.axe("the sign-in page").await;
            b.sign_in("admin@scr.example").await;
            b.click_text("Administration").await;
            b.click_text("People").await;
            b.wait_css("#people-table").await;
            b.wait_text("imr.author@scr.example").await;
            b.axe("the administration page").await;
        }
        .boxed()
    })
    .await;
}

#[tokio::test]
async fn a_second_editor_sees_the_conflict_and_keeps_their_text() {
    journey("terms_conflict_keeps_text", |b| {
        async move {
            // The review at set-up; the panel member opens the editor first.
            b.sign_in("panel.member@scr.example").await;
            b.wait_text("Reviews you can see").await;
            let link = b
                .c
                .wait()
                .at_most(WAIT)
                .for_element(Locator::XPath("//table[@id='review-table']//tr[.//strong[normalize-space(.)='Review set up']]//a"))
                .await
                .expect("a review at set-up");
            let href = link.attr("href").await.expect("href").expect("href");
            b.goto(&format!("{href}/tasks/terms")).await;
            b.wait_css("#terms-editor").await;
            b.fill("#f-terms-answers-0", "My careful answer that must not be lost").await;
            // Meanwhile the Initial Panel saves a version through the API.
            let api = reqwest::Client::new();
            let login: serde_json::Value = api
                .post(format!("{}/graphql", b.base))
                .json(&json!({"query": "mutation{login(email:\"panel@scr.example\",password:\"scr-demo-password\"){token}}"}))
                .send().await.expect("login").json().await.expect("json");
            let token = login["data"]["login"]["token"].as_str().expect("token").to_owned();
            let id: i64 = href.rsplit('/').next().and_then(|s| s.parse().ok()).expect("id");
            let answers: Vec<serde_json::Value> = (0..19).map(|i| json!({"text": format!("Their answer {}", i + 1)})).collect();
            let saved: serde_json::Value = api
                .post(format!("{}/graphql", b.base))
                .bearer_auth(&token)
                .json(&json!({"query": "mutation($id:Int!,$a:[TermsAnswerInput!]!){saveTermsOfReference(reviewId:$id,expectedVersion:0,answers:$a){id}}", "variables": {"id": id, "a": answers}}))
                .send().await.expect("save").json().await.expect("json");
            assert!(saved.get("errors").is_none(), "{saved}");
            // The member saves from the version they started with: a conflict, both texts shown.
            b.click_text("Save the terms of reference").await;
            b.wait_text("changed by someone else").await;
            b.wait_text("Their answer 1").await;
            let mine = b.wait_css("#f-terms-answers-0").await.prop("value").await.expect("value").unwrap_or_default();
            assert_eq!(mine, "My careful answer that must not be lost");
            b.axe("the terms of reference editor after a conflict").await;
        }
        .boxed()
    })
    .await;
}

#[tokio::test]
async fn an_expired_session_asks_to_sign_in_again_and_keeps_what_was_typed() {
    journey("expired_session_keeps_text", |b| {
        async move {
            b.sign_in("professional@scr.example").await;
            b.click_text("Refer a case").await;
            b.fill("#f-child-name", "Toby Marsh").await;
            b.fill("#f-circumstances", "Typed before the session ended.").await;
            // The session ends on the server (as at its idle or absolute limit) while the
            // tab still holds its token: the token is refused and cannot be renewed.
            b.c.execute_async(
                "const done = arguments[arguments.length - 1];
                 fetch('/api/session/sign-out', { method: 'POST', headers: { 'X-SCR-Session': '1' } }).then(() => done(true));",
                vec![],
            )
            .await
            .expect("end the session on the server");
            b.wait_css("#f-normalResidenceBoardId").await.select_by_label("Stockport Safeguarding Children Board").await.expect("board");
            b.click_css("label[for='agency-1']").await;
            b.click_text("Send the referral").await;
            b.wait_text("Your session has ended").await;
            // Still on the form, with the text as typed.
            let typed = b.wait_css("#f-circumstances").await.prop("value").await.expect("value").unwrap_or_default();
            assert_eq!(typed, "Typed before the session ended.");
            b.axe("the sign-in panel over a form").await;
            // Sign in again from the panel, then send: the referral goes through.
            b.fill("#f-email", "professional@scr.example").await;
            b.fill("#f-password", "scr-demo-password").await;
            b.click_text("Sign in").await;
            b.c.wait().at_most(WAIT).for_element(Locator::XPath("//body[not(.//*[@id='expired-title'])]")).await.expect("the panel goes");
            b.click_text("Send the referral").await;
            b.wait_text("Referral received").await;
            b.wait_text("Toby Marsh").await;
        }
        .boxed()
    })
    .await;
}

/// The real names in the demo: none may reach a partner board's page.
const DEMO_NAMES: [&str; 34] = [
    "Liam", "Okafor", "Amelia", "Wright", "Noah", "Kowalski", "Isla", "Brennan", "Musa", "Hassan", "Poppy", "Clarke",
    "Oscar", "Nowak", "Ruby", "Evans", "Jane", "Karen", "Anna", "Siobhan", "Amina", "Lisa", "Ewa", "Claire", "Harry",
    "Doyle", "Megan", "Mia", "Sutton", "Kelly", "Jayden", "Harding", "Craig", "Donnell",
];

async fn assert_no_names(b: &Browser) {
    let text = b.body_text().await;
    for real in DEMO_NAMES {
        assert!(!text.contains(real), "the partner board's page shows {real:?}:\n{text}");
    }
}

/// Opens the demo's review at the overview report and its report and summary
/// workspace, waiting for `ready` (what the signed-in user is shown there).
async fn open_report_workspace(b: &Browser, ready: &str) {
    let href = b.open_review_at("Overview report and executive summary").await;
    b.goto(&format!("{href}/tasks/report")).await;
    b.click_text("Open the overview report and executive summary").await;
    b.wait_css(ready).await;
    b.settled().await;
}

/// Clicks a button inside the element with id `within`.
async fn click_in(b: &Browser, within: &str, text: &str) {
    let xpath = format!("//*[@id={}]//button[normalize-space(.)={}]", xpath_literal(within), xpath_literal(text));
    let e =
        b.c.wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|e| panic!("no {text:?} in #{within}: {e}"));
    e.click().await.unwrap_or_else(|e| panic!("click {text:?}: {e}"));
}

#[tokio::test]
async fn imr_authors_declare_independence_write_and_submit_their_imrs() {
    journey("imr_author_writes_and_submits", |b| {
        async move {
            // Social care's author: a declaration of involvement is refused with the reason.
            // Their home page leads to the IMR: the task is theirs.
            b.sign_in("social.author@scr.example").await;
            b.wait_css("#task-table").await;
            b.click_css("#task-table tr[data-kind='imr'] a").await;
            b.wait_css("#declaration").await;
            b.settled().await;
            b.axe("the IMR author's declaration").await;
            b.click_css("label[for='f-declare-directInvolvement-yes']").await;
            b.click_css("label[for='f-declare-lineManagesPractitioners-no']").await;
            b.click_text("Declare").await;
            b.wait_text("must have had no direct involvement").await;
            b.click_css("label[for='f-declare-directInvolvement-no']").await;
            b.click_text("Declare").await;
            b.wait_text("Your independence is declared").await;
            b.wait_css("#imr-editor").await;

            // The police author finishes a half-written IMR and submits it.
            b.sign_in("imr.author@scr.example").await;
            let href = b.open_review_at("IMRs requested").await;
            b.goto(&format!("{href}/tasks/imrs")).await;
            b.click_css("#imr-table a[href*='/imrs/']").await;
            b.wait_css("#imr-editor").await;
            b.settled().await;
            b.wait_css("#imr-missing").await;
            b.axe("the IMR author's workspace").await;
            // A refused submission: focus goes to the list of what is missing.
            b.click_text("Save and submit to the panel").await;
            b.wait_text("Check the IMR before you submit it").await;
            b.axe("checking the IMR before submission").await;
            b.click_text("Submit the IMR to the panel").await;
            b.wait_focus_in("#imr-editor .govuk-error-summary").await;
            let listed = b.wait_css("#imr-editor .govuk-error-summary").await.text().await.expect("text");
            assert!(listed.contains("There is a problem") && listed.lines().count() > 2, "{listed}");
            // The author answers a question, then adds a chronology entry: the answer stays.
            b.fill("#f-imr-analysis-4", "Answered from the records (question 5).").await;
            b.fill("#f-entry-date", "3").await;
            b.fill("#f-entry-date-month", "2").await;
            b.fill("#f-entry-date-year", "2025").await;
            b.fill("#f-entry-practitionerRole", "Police sergeant").await;
            b.fill("#f-entry-event", "Welfare check at the home after an anonymous call.").await;
            b.click_css("label[for='entry-childSeen']").await;
            b.click_text("Add the entry").await;
            b.wait_text("The entry was added to the chronology").await;
            b.settled().await;
            b.wait_text("Welfare check at the home").await;
            let kept = b.wait_css("#f-imr-analysis-4").await.prop("value").await.expect("value").unwrap_or_default();
            assert_eq!(kept, "Answered from the records (question 5).", "adding an entry keeps the typed answer");
            // An entry is changed in place, not removed and typed again.
            let change = "//tr[.//td[contains(., 'Welfare check at the home')]]//button[starts-with(normalize-space(.), 'Change')]";
            b.c.find(Locator::XPath(change)).await.expect("the entry's Change button").click().await.expect("change");
            b.wait_text("Change the entry").await;
            let loaded = b.wait_css("#f-entry-event").await.prop("value").await.expect("value").unwrap_or_default();
            assert_eq!(loaded, "Welfare check at the home after an anonymous call.");
            assert_eq!(b.wait_css("#f-entry-date-year").await.prop("value").await.expect("value").as_deref(), Some("2025"));
            b.fill("#f-entry-event", "Welfare check at the home after a neighbour's call.").await;
            b.click_text("Save the change").await;
            b.wait_text("The entry was changed").await;
            b.settled().await;
            b.wait_text("after a neighbour's call").await;
            assert!(!b.body_text().await.contains("after an anonymous call"), "the entry was changed, not added");
            for i in 5..12 {
                b.fill(&format!("#f-imr-analysis-{i}"), &format!("Answered from the records (question {}).", i + 1))
                    .await;
            }
            b.fill("#f-imr-staffSupport", "Officers were offered de-briefing.").await;
            b.click_text("Save and submit to the panel").await;
            b.wait_text("Check the IMR before you submit it").await;
            b.click_text("Submit the IMR to the panel").await;
            b.wait_text("The IMR was submitted to the panel").await;
            b.settled().await;
            b.wait_css("#imr-sections").await;
            b.wait_text("Submitted to the panel").await;
            assert!(b.c.find(Locator::Css("#imr-editor")).await.is_err(), "a submitted IMR is no longer editable");
        }
        .boxed()
    })
    .await;
}

#[tokio::test]
async fn the_panel_reads_the_genogram_and_filters_the_combined_chronology() {
    journey("panel_filters_chronology", |b| {
        async move {
            b.sign_in("panel.member@scr.example").await;
            let href = b.open_review_at("Overview report and executive summary").await;
            b.goto(&format!("{href}/tasks/family")).await;
            let genogram =
                b.wait_css(".scr-genogram svg").await.attr("aria-label").await.expect("label").unwrap_or_default();
            assert!(genogram.contains("Child A") && genogram.contains("Mother"), "{genogram}");
            b.c.execute("document.querySelector('.scr-genogram').scrollIntoView();", vec![]).await.expect("scroll");
            b.screenshot("genogram").await;
            b.goto(&format!("{href}/tasks/chronology")).await;
            b.click_text("Open the combined chronology").await;
            b.wait_css("#combined-chronology").await;
            b.settled().await;
            b.wait_text("Showing 10 of 10 entries").await;
            b.wait_css("#chronology-gaps").await;
            assert!(b.body_text().await.contains("Possible conflict"), "same-day entries are marked");
            b.axe("the combined chronology").await;
            b.click_css("label[for='filter-agency-1']").await;
            b.click_text("Apply filters").await;
            b.wait_text("Showing 3 of 10 entries").await;
            let agencies: Vec<String> = {
                let cells =
                    b.c.find_all(Locator::Css("#combined-chronology tbody tr td:nth-child(2)")).await.expect("cells");
                let mut out = Vec::new();
                for c in cells {
                    out.push(c.text().await.expect("text"));
                }
                out
            };
            assert!(agencies.iter().all(|a| a == "Greater Manchester Police"), "{agencies:?}");
            b.click_css("label[for='filter-agency-1']").await;
            b.wait_css("#filter-seenAlone").await.select_by_value("yes").await.expect("select");
            b.click_text("Apply filters").await;
            b.wait_text("Showing 2 of 10 entries").await;
            b.click_text("Timeline").await;
            b.wait_css("#chronology-timeline svg").await;
            b.c.execute("document.querySelector('#chronology-timeline').scrollIntoView();", vec![])
                .await
                .expect("scroll");
            b.screenshot("chronology_timeline").await;
            b.axe("the chronology timeline").await;
            // A page at a time: each "Show the next" adds the following entries under the
            // ones read, and focus moves to the first of them.
            b.goto(&format!("{href}/chronology?per-page=4")).await;
            b.wait_text("Showing 4 of 10 entries").await;
            b.click_text("Show the next 4 of 6 entries").await;
            b.wait_text("Showing 8 of 10 entries").await;
            b.wait_focus_in("#combined-chronology tbody").await;
            b.click_text("Show the next 2 of 2 entries").await;
            b.wait_text("Showing 10 of 10 entries").await;
            assert!(b.c.find(Locator::Css("#chronology-more")).await.is_err(), "nothing more to show");
            let rows = b.c.find_all(Locator::Css("#combined-chronology tbody tr")).await.expect("rows");
            let mut ids = Vec::new();
            for r in rows {
                ids.push(r.attr("id").await.expect("id").unwrap_or_default());
            }
            let mut distinct = ids.clone();
            distinct.sort();
            distinct.dedup();
            assert_eq!((ids.len(), distinct.len()), (10, 10), "every entry once: {ids:?}");
        }
        .boxed()
    })
    .await;
}

#[tokio::test]
async fn an_executive_summary_naming_the_mother_cannot_be_exported_until_the_name_is_replaced() {
    journey("summary_gate_blocks_export", |b| {
        async move {
            b.sign_in("independent.chair@scr.example").await;
            open_report_workspace(b, "#summary-editor").await;
            b.axe("the report and summary workspace").await;
            click_in(b, "export-executive-summary", "PDF for outside use").await;
            b.wait_text("still names \"Kelly Sutton\" (replace with Mother)").await;
            click_in(b, "summary-editor", "Check for names").await;
            b.wait_css("#summary-editor mark.scr-hit").await;
            b.axe("the gate's highlighted names").await;
            click_in(b, "summary-editor", "Replace \"Kelly Sutton\" with Mother").await;
            b.wait_text("No registered names found").await;
            let text =
                b.wait_css("#f-summary-sections-1").await.prop("value").await.expect("value").unwrap_or_default();
            assert!(text.starts_with("Mother told the health visitor"), "{text}");
            b.click_text("Save the summary").await;
            b.wait_text("The executive summary was saved").await;
            b.settled().await;
            click_in(b, "export-executive-summary", "PDF for outside use").await;
            b.wait_text("executive-summary.pdf").await;
            click_in(b, "export-executive-summary", "Word for outside use").await;
            b.wait_text("executive-summary.docx").await;
        }
        .boxed()
    })
    .await;
}

#[tokio::test]
async fn a_surname_typed_with_a_curly_apostrophe_is_caught_before_the_summary_leaves() {
    journey("summary_curly_apostrophe", |b| {
        async move {
            // The overview author pastes a sentence from a word processor: the registered
            // "Craig O'Donnell" written with a typographic apostrophe.
            b.sign_in("author@scr.example").await;
            open_report_workspace(b, "#summary-editor").await;
            b.fill("#f-summary-sections-0", "Mr O\u{2019}Donnell was not known to any agency before the incident.")
                .await;
            click_in(b, "summary-editor", "Check for names").await;
            let marked = b.wait_css("#f-summary-sections-0-gate mark.scr-hit").await.text().await.expect("text");
            assert_eq!(marked, "O\u{2019}Donnell");
            b.axe("a curly apostrophe highlighted").await;
            b.click_text("Save the summary").await;
            b.wait_text("The executive summary was saved").await;
            b.settled().await;
            // Saved as written, it cannot leave for an outside body.
            click_in(b, "export-executive-summary", "PDF for outside use").await;
            b.wait_text("still names \"O\u{2019}Donnell\"").await;
            b.wait_text("is a name: replace it with").await;
            // Replaced by its label (and the mother's name with it), it leaves.
            click_in(b, "summary-editor", "Check for names").await;
            b.wait_css("#summary-editor mark.scr-hit").await;
            click_in(b, "summary-editor", "Replace every name with its label").await;
            b.wait_text("No registered names found").await;
            let text =
                b.wait_css("#f-summary-sections-0").await.prop("value").await.expect("value").unwrap_or_default();
            assert!(
                !text.contains("Donnell") && text.ends_with("was not known to any agency before the incident."),
                "{text}"
            );
            b.click_text("Save the summary").await;
            b.wait_text("The executive summary was saved").await;
            b.settled().await;
            b.wait_text("Nothing stops this version").await;
            click_in(b, "export-executive-summary", "PDF for outside use").await;
            b.wait_text("executive-summary.pdf").await;
        }
        .boxed()
    })
    .await;
}

#[tokio::test]
async fn the_board_chair_lets_a_near_miss_through_with_a_reason_and_the_summary_leaves() {
    journey("gate_override", |b| {
        async move {
            // The panel chair writes a surname one letter short of the mother's.
            b.sign_in("independent.chair@scr.example").await;
            open_report_workspace(b, "#summary-editor").await;
            b.fill("#f-summary-sections-0", "Ms Suton did not attend the strategy discussion.").await;
            click_in(b, "summary-editor", "Check for names").await;
            click_in(b, "summary-editor", "Replace every name with its label").await;
            b.wait_text("No registered names found").await;
            b.wait_text("Close to a registered name: \"Suton\"").await;
            b.click_text("Save the summary").await;
            b.wait_text("The executive summary was saved").await;
            b.settled().await;
            // As its writer the panel chair cannot let it through.
            b.wait_text("This version (").await;
            b.wait_text("Change it, or ask the Board Chair or business manager").await;

            // The Board Chair, a second person, lets it through with a reason.
            b.sign_in("chair@scr.example").await;
            open_report_workspace(b, "#gate-executive-summary").await;
            click_in(b, "export-executive-summary", "PDF for outside use").await;
            b.wait_text("holds \"Suton\" (close to a registered name)").await;
            b.fill("#gate-executive-summary textarea", "A typing error for the mother's label; checked.").await;
            click_in(b, "gate-executive-summary", "Let \"Suton\" through").await;
            b.c.accept_alert().await.expect("confirm the override");
            b.wait_text("The warning was let through for this version").await;
            b.settled().await;
            b.wait_text("Let through by Margaret Hale").await;
            b.wait_text("Nothing stops this version").await;
            b.axe("the gate's overrides").await;
            click_in(b, "export-executive-summary", "PDF for outside use").await;
            b.wait_text("executive-summary.pdf").await;
        }
        .boxed()
    })
    .await;
}

#[tokio::test]
async fn an_action_owner_records_progress_and_asks_to_close_and_the_manager_approves() {
    journey("action_owner_progress_and_closure", |b| {
        async move {
            b.sign_in("health.author@scr.example").await;
            b.click_text("Actions").await;
            b.wait_text("Brief every health visitor").await;
            b.settled().await;
            b.axe("the action owner's workspace").await;
            // Evidence: a file from disk, attached through the file input.
            let file = std::env::temp_dir().join(format!("attendance-{}.txt", std::process::id()));
            std::fs::write(&file, "40 of 40 health visitors attended the briefing.").expect("write the evidence");
            b.wait_css(".scr-action input[type='file']").await.send_keys(&file.display().to_string()).await.expect("choose the file");
            b.click_text("Attach the file").await;
            b.wait_text("The evidence was attached").await;
            b.settled().await;
            b.wait_text(&format!("attendance-{}.txt", std::process::id())).await;
            b.fill(".scr-action textarea[id$='-note']", "All 40 health visitors briefed; attendance list on file.").await;
            b.click_text("Save and ask to close").await;
            b.wait_text("Your update was saved and closure requested").await;
            b.settled().await;
            b.wait_text("All 40 health visitors briefed").await;
            b.wait_text("Closure requested").await;

            b.sign_in("manager@scr.example").await;
            b.click_text("Actions").await;
            b.settled().await;
            let approve = "//div[contains(@class,'scr-action')][.//h3[contains(., 'Brief every health visitor')]]//button[normalize-space(.)='Approve closure']";
            b.c.wait().at_most(WAIT).for_element(Locator::XPath(approve)).await.expect("approve").click().await.expect("click");
            b.wait_text("The action is closed as implemented").await;
            b.settled().await;
            let tag = "//div[contains(@class,'scr-action')]//h3[contains(., 'Brief every health visitor')]//strong";
            let text = b.c.wait().at_most(WAIT).for_element(Locator::XPath(tag)).await.expect("tag").text().await.expect("text");
            assert_eq!(text, "Implemented");

            // The owner hears of the decision, and marks the message read.
            b.sign_in("health.author@scr.example").await;
            b.click_css("#navigation a[href='/notifications']").await;
            b.wait_text("The closure of your action was approved").await;
            let heading = b.wait_css("#inbox-heading").await.text().await.expect("text");
            assert!(heading.contains("unread"), "{heading}");
            let badge = b.wait_css("#unread-count").await.text().await.expect("badge");
            let count = badge.split_whitespace().next().unwrap_or_default();
            assert!(heading.contains(&format!("({count} unread)")), "the navigation counts them: {badge} / {heading}");
            b.axe("the notifications with unread messages").await;
            b.click_css("#mark-all-read").await;
            b.c.wait()
                .at_most(WAIT)
                .for_element(Locator::XPath("//h2[@id='inbox-heading'][normalize-space(.)='Messages']"))
                .await
                .expect("every message read");
            assert!(b.c.find(Locator::Css(".scr-message--unread")).await.is_err(), "none left unread");
            let mut gone = false;
            for _ in 0..100 {
                if b.c.find(Locator::Css("#unread-count")).await.is_err() {
                    gone = true;
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            assert!(gone, "the navigation's count is gone once everything is read");
        }
        .boxed()
    })
    .await;
}

#[tokio::test]
async fn the_panel_tags_a_finding_and_the_reporting_analyst_sees_the_theme_counted() {
    journey("finding_and_learning_themes", |b| {
        async move {
            b.sign_in("independent.chair@scr.example").await;
            let href = b.open_review_at("Overview report and executive summary").await;
            b.goto(&format!("{href}/tasks/analysis")).await;
            b.wait_text("Findings and learning themes").await;
            b.click_css("#finding-form summary").await;
            // Refused by field, nothing lost.
            b.fill("#f-finding-text", "Health visitors were not told of the missed GP appointments.").await;
            b.click_text("Record the finding").await;
            b.wait_text("Tag the finding with at least one learning theme").await;
            b.click_css("label[for='finding-theme-was_not_brought']").await;
            b.click_css("label[for='finding-theme-information_sharing']").await;
            b.click_text("Record the finding").await;
            b.wait_text("The finding was recorded").await;
            b.settled().await;
            let list = b.wait_css("#findings").await.text().await.expect("text");
            assert!(
                list.contains("missed GP appointments") && list.contains("Missed appointments (was not brought)"),
                "{list}"
            );
            b.axe("the findings and their themes").await;

            b.sign_in("analyst@scr.example").await;
            let nav = b.wait_css("nav").await.text().await.expect("nav");
            assert!(nav.contains("Reports") && !nav.contains("Actions") && !nav.contains("Refer a case"), "{nav}");
            b.click_text("Reports").await;
            let themes = b.wait_css("#report-learning-themes table").await.text().await.expect("text");
            assert!(
                themes.contains("Domestic abuse") && themes.contains("Missed appointments (was not brought)"),
                "{themes}"
            );
            b.axe("the learning themes report").await;
            assert_no_names(b).await;
        }
        .boxed()
    })
    .await;
}

#[tokio::test]
async fn the_sub_group_sees_an_overdue_action_and_publication_waits_for_the_trial() {
    journey("subgroup_overdue_and_publication_blocked", |b| {
        async move {
            b.sign_in("subgroup@scr.example").await;
            b.click_text("Actions").await;
            b.settled().await;
            b.click_css("label[for='actions-overdue']").await;
            b.wait_text("1 action(s)").await;
            b.wait_text("Add a referral prompt to the domestic abuse log").await;
            let tags = b.c.find_all(Locator::Css(".scr-action h3 strong")).await.expect("tags");
            assert_eq!(tags.len(), 1);
            assert_eq!(tags[0].text().await.expect("text"), "Overdue");
            b.axe("the sub-group's overdue actions").await;
            // The reports: the same overdue action, counted by agency, as a chart and a table.
            b.click_text("Reports").await;
            let overdue = b.wait_css("#report-overdue-actions table").await.text().await.expect("text");
            assert!(overdue.contains("Greater Manchester Police"), "{overdue}");
            let summary = b.wait_css("#report-summary").await.text().await.expect("text");
            assert!(summary.contains("Across 11 reviews"), "{summary}");
            b.axe("the board's reports").await;

            b.sign_in("manager@scr.example").await;
            let href = b.open_review_at("Action planning and monitoring").await;
            b.goto(&format!("{href}/tasks/publication")).await;
            b.wait_css("#publication-problems").await;
            let problems = b.wait_css("#publication-problems").await.text().await.expect("text");
            assert!(problems.contains("Criminal proceedings"), "{problems}");
            b.axe("the review in its completion phase").await;
            click_in(b, "publish", "Continue").await;
            b.wait_text("Check before you publish").await;
            b.click_text("Publish").await;
            b.wait_text("Publication waits for Criminal proceedings to conclude").await;
            assert!(
                b.c.find(Locator::XPath("//strong[normalize-space(.)='Published']")).await.is_err(),
                "not published"
            );
        }
        .boxed()
    })
    .await;
}

#[tokio::test]
async fn an_invited_person_sets_their_own_password_from_the_link_and_is_signed_in() {
    journey("invitation_sets_password", |b| {
        async move {
            let login = "mutation($e:String!,$p:String!){login(email:$e,password:$p){token}}";
            let admin = api(&b.base, None, login, json!({"e": "admin@scr.example", "p": "scr-demo-password"})).await;
            let admin = admin["data"]["login"]["token"].as_str().expect("the administrator signs in").to_owned();
            let invited = api(
                &b.base,
                Some(&admin),
                "mutation{inviteUser(input:{email:\"nia.newcomer@scr.example\",name:\"Nia Newcomer\",roles:[{role:PROFESSIONAL}]}){link}}",
                json!({}),
            )
            .await;
            let link = invited["data"]["inviteUser"]["link"].as_str().unwrap_or_else(|| panic!("{invited}")).to_owned();
            // Signed out, the link opens the page that sets the password.
            b.goto("/").await;
            b.wait_css("#f-email").await;
            b.goto(&link).await;
            b.wait_text("Set your password").await;
            b.axe("the set-password page").await;
            b.fill("#f-password", "short").await;
            b.fill("#f-confirm", "short").await;
            b.click_text("Set password and sign in").await;
            b.wait_css("#f-password-error").await;
            b.fill("#f-password", "my very own passphrase").await;
            b.fill("#f-confirm", "my very own passphrase").await;
            b.click_text("Set password and sign in").await;
            b.wait_text("Signed in as").await;
            b.wait_text("Nia Newcomer").await;
            // The link worked once: opened again, it is refused with the reason.
            b.click_text("Sign out").await;
            b.wait_css("#f-email").await;
            b.goto(&link).await;
            b.fill("#f-password", "another passphrase here").await;
            b.fill("#f-confirm", "another passphrase here").await;
            b.click_text("Set password and sign in").await;
            b.wait_text("This link has expired or has been used").await;
        }
        .boxed()
    })
    .await;
}

#[tokio::test]
async fn a_user_changes_their_password_and_signs_out_everywhere_from_their_account() {
    journey("account_password_and_sessions", |b| {
        async move {
            b.sign_in("professional@scr.example").await;
            b.click_css("#navigation a[href='/account']").await;
            b.wait_text("Change your password").await;
            b.axe("your account").await;
            b.fill("#f-currentPassword", "not the password at all").await;
            b.fill("#f-newPassword", "a brand new passphrase").await;
            b.fill("#f-confirm", "a brand new passphrase").await;
            b.click_text("Change password").await;
            let err = b.wait_css("#f-currentPassword-error").await.text().await.expect("text");
            assert!(err.contains("not right"), "{err}");
            assert_eq!(
                b.wait_css("#f-newPassword").await.prop("value").await.expect("value").as_deref(),
                Some("a brand new passphrase"),
                "typed text is kept"
            );
            b.fill("#f-currentPassword", "scr-demo-password").await;
            b.click_text("Change password").await;
            b.wait_text("Your password is changed").await;
            // Still signed in on this page with the new token.
            b.click_css("#navigation a[href='/notifications']").await;
            b.wait_css("#notifications").await;
            b.click_css("#navigation a[href='/account']").await;
            b.click_text("Get a new calendar address").await;
            b.c.accept_alert().await.expect("confirm the new address");
            let addr = b.wait_css("#new-calendar-address").await.text().await.expect("text");
            assert!(addr.contains("/api/calendar.ics?token="), "{addr}");
            b.click_text("Sign out everywhere").await;
            b.c.accept_alert().await.expect("confirm signing out everywhere");
            b.wait_css("#f-email").await;
            b.fill("#f-email", "professional@scr.example").await;
            b.fill("#f-password", "a brand new passphrase").await;
            b.click_text("Sign in").await;
            b.wait_text("Signed in as").await;
        }
        .boxed()
    })
    .await;
}
