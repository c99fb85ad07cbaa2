//! Signing in and staying signed in, in a real browser: an author types for longer
//! than an access token lives and saves without signing in again; a session left
//! alone warns before its idle limit and "Stay signed in" keeps it; "Sign out" ends the
//! session on the server, so a reload does not bring it back; a role that reads names
//! sets up a second factor (the test computes codes from the secret shown, as an app
//! would), keeps its recovery codes, and signs in with a code and with a recovery code
//! that works once.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::time::Duration;

use e2e::{Options, Server};
use fantoccini::Locator;
use futures::FutureExt;
use support::{Browser, journey_on, start_on};

fn server(env: &[(&str, &str)]) -> Server {
    let dir = std::env::temp_dir().join(format!("scr_sessions_{}_{}", std::process::id(), rand_suffix()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.join("scr.db").display());
    let options =
        Options { env: env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(), ..Options::default() };
    Server::start_with(url, dir, options)
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default()
}

/// Whether `css` is on the page now.
async fn present(b: &Browser, css: &str) -> bool {
    b.c.find(Locator::Css(css)).await.is_ok()
}

#[tokio::test]
async fn an_author_types_longer_than_a_token_lives_and_saves_without_signing_in_again() {
    // Access tokens of five seconds: the session renews them while the author types.
    let b = start_on(server(&[("SCR_ACCESS_TOKEN_SECONDS", "5")])).await;
    journey_on(b, "session_outlives_its_tokens", |b| {
        async move {
            b.sign_in("health.author@scr.example").await;
            b.click_text("Actions").await;
            b.wait_text("Brief every health visitor").await;
            b.settled().await;
            let note = b.wait_css(".scr-action textarea[id$='-note']").await;
            // Twelve seconds of typing: more than two tokens' lives.
            for word in "Every health visitor was briefed and the attendance list is kept on file by the team lead"
                .split(' ')
                .take(12)
            {
                note.send_keys(&format!("{word} ")).await.expect("type");
                tokio::time::sleep(Duration::from_secs(1)).await; // the pace of a person typing
            }
            b.click_text("Save and ask to close").await;
            b.wait_text("Your update was saved and closure requested").await;
            assert!(!present(b, "#expired-title").await, "never asked to sign in again");
            b.settled().await;
            b.wait_text("Every health visitor was briefed").await;
        }
        .boxed()
    })
    .await;
}

#[tokio::test]
async fn a_session_left_alone_warns_first_and_signing_out_ends_it_on_the_server() {
    // An idle limit of 125 seconds: the warning comes two minutes before, 5 seconds in.
    let b = start_on(server(&[("SCR_SESSION_IDLE_SECONDS", "125")])).await;
    journey_on(b, "session_idle_warning_and_sign_out", |b| {
        async move {
            b.sign_in("chair@scr.example").await;
            let warning = b.wait_css("#idle-warning").await.text().await.expect("text");
            assert!(warning.contains("You will be signed out at"), "{warning}");
            b.axe("the idle warning").await;
            b.click_css("#stay-signed-in").await;
            let mut gone = false;
            for _ in 0..50 {
                if !present(b, "#idle-warning").await {
                    gone = true;
                    break;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            assert!(gone, "staying signed in moves the idle limit on");
            // A reload keeps the session (the refresh cookie renews it) ...
            b.goto("/").await;
            b.wait_text("Signed in as").await;
            // ... until it is signed out: then the server refuses the cookie too.
            b.c.execute("sessionStorage.clear();", vec![]).await.expect("clear the tab's storage");
            b.goto("/").await;
            b.wait_text("Signed in as").await;
            b.click_text("Sign out").await;
            b.wait_css("#f-email").await;
            b.c.execute("sessionStorage.clear();", vec![]).await.expect("clear the tab's storage");
            b.goto("/").await;
            b.wait_css("#f-email").await;
            tokio::time::sleep(Duration::from_secs(2)).await; // time for a renewal that must not come
            assert!(present(b, "#f-email").await && !b.body_text().await.contains("Signed in as"));
        }
        .boxed()
    })
    .await;
}

#[tokio::test]
async fn a_chair_sets_up_a_second_factor_and_signs_in_with_codes() {
    let b = start_on(server(&[("SCR_SECOND_FACTOR", "required")])).await;
    journey_on(b, "second_factor", |b| {
        async move {
            b.password_step("chair@scr.example", "scr-demo-password").await;
            b.wait_text("Set up a second factor").await;
            let secret = b.wait_css("#totp-secret").await.text().await.expect("secret");
            b.wait_css("img.scr-qr").await;
            b.axe("setting up a second factor").await;
            b.fill("#f-code", "000000").await;
            if e2e::totp_now(&secret) == "000000" {
                b.fill("#f-code", "111111").await;
            }
            b.click_text("Set up and continue").await;
            b.wait_text("That code is not right").await;
            let enrolled_with = e2e::totp_now(&secret);
            b.fill("#f-code", &enrolled_with).await;
            b.click_text("Set up and continue").await;
            b.wait_text("Keep your recovery codes").await;
            let codes = b.c.find_all(Locator::Css("#recovery-codes li")).await.expect("codes");
            assert_eq!(codes.len(), 10);
            let first = codes[0].text().await.expect("code");
            assert!(!b.body_text().await.contains("Signed in as"), "not signed in until the codes are kept");
            b.axe("the recovery codes").await;
            b.click_css("#codes-kept").await;
            b.wait_text("Signed in as").await;

            // A recovery code signs in once.
            b.password_step("chair@scr.example", "scr-demo-password").await;
            b.wait_text("Enter your code").await;
            b.fill("#f-code", &first).await;
            b.click_text("Continue").await;
            b.wait_text("Signed in as").await;
            b.password_step("chair@scr.example", "scr-demo-password").await;
            b.wait_text("Enter your code").await;
            b.fill("#f-code", &first).await;
            b.click_text("Continue").await;
            b.wait_text("That code is not right, or has been used").await;

            // The app's next code (the enrolment's own is spent).
            let mut next = e2e::totp_now(&secret);
            while next == enrolled_with {
                tokio::time::sleep(Duration::from_millis(500)).await; // the app's code changes every 30 s
                next = e2e::totp_now(&secret);
            }
            b.fill("#f-code", &next).await;
            b.click_text("Continue").await;
            b.wait_text("Signed in as").await;
        }
        .boxed()
    })
    .await;
}
