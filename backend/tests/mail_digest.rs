//! The weekly digest, sent through SMTP to a real SMTP server on loopback (the
//! `mailin` protocol implementation over a TCP listener), on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::smtp::{Inbox, message_to, smtp_server};
use common::{Backend, TestApp};

async fn each_user_gets_their_own_digest_and_managers_their_agencys_roll_up(b: Backend) {
    let app = TestApp::spawn(b).await;
    let inbox = Inbox::default();
    let port = smtp_server(inbox.clone());
    let mailer =
        backend::attention::mail::Mailer::new(&format!("smtp://127.0.0.1:{port}"), "Board <scr@board.example>")
            .unwrap();
    let today = chrono::Utc::now().date_naive();
    let sent = backend::attention::mail::send_digests(&app.db, &mailer, today).await.unwrap();
    let messages = inbox.messages.lock().unwrap().clone();
    assert_eq!(messages.len(), sent, "every digest sent arrived");
    assert!(sent >= 5, "the demo gives several people work: {sent}");
    let author = message_to(&messages, "imr.author@scr.example");
    assert!(author.contains("Subject: Your Serious Case Review work this week"), "{author}");
    assert!(author.contains("OVERDUE") && author.contains("overdue by 10 days"), "{author}");
    assert!(author.contains("Write and submit the IMR"), "{author}");
    let manager = message_to(&messages, "agency.manager@scr.example");
    assert!(manager.contains("Your agency across reviews"), "{manager}");
    assert!(manager.contains("1 overdue"), "the police's overdue action in the roll-up: {manager}");
    // The administrator has no case work; nobody's message names a family.
    assert!(!messages.iter().any(|(to, _)| to.iter().any(|t| t.contains("admin@scr.example"))));
    for (to, _) in &messages {
        let m = message_to(&messages, &to[0]);
        for name in ["Harry", "Doyle", "Leo", "Donna", "Mia", "Sutton", "Liam", "Okafor", "Kaminski", "Joanna"] {
            assert!(!m.contains(name), "a digest names {name}: {m}");
        }
    }
}

on_both_databases!(each_user_gets_their_own_digest_and_managers_their_agencys_roll_up);
