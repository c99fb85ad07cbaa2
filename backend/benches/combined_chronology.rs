//! The combined chronology of 8 IMRs x 250 entries (2,000) through GraphQL (the real router:
//! token, caller, access, merge, gaps, conflicts, every field) against the same rows
//! read straight from the database, then its growth at 10x and 100x the entries.
//! A partner board's fetch (every free-text field pseudonymised) is measured beside
//! the board's. Prints; asserts nothing about time.
//!
//! `cargo bench -p backend --bench combined_chronology` runs the full sizes (the 100x
//! step holds 200,000 entries). Under `cargo test` (no `--bench` argument) it runs
//! small sizes, so the benchmark itself stays working.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use backend::app::{AppState, app};
use backend::auth::Tokens;
use backend::entities::*;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};
use tower::ServiceExt;

const IMRS: usize = 8;

const QUERY: &str =
    "query($id:Int!,$after:String){review(id:$id){combinedChronology(first:5000,after:$after){ total next
    entries{id agencyId agencyName date time precision practitionerRole event decisionOrAction
            childSeen seenAlone wishesSought perpetratorContact source personIds}
    gaps{from to days} suggestedConflicts{date personIds entryIds} links{entryA entryB note} agencies{name} }}}";

/// The same rows as the query, read directly: the submitted IMRs, their entries in
/// date order, and the agencies' names.
async fn direct(db: &DatabaseConnection, review_id: i32) -> usize {
    let imrs = imr::Entity::find().filter(imr::Column::ReviewId.eq(review_id)).all(db).await.unwrap();
    let entries = chronology_entry::Entity::find()
        .filter(chronology_entry::Column::ReviewId.eq(review_id))
        .filter(chronology_entry::Column::ImrId.is_in(imrs.iter().map(|i| i.id)))
        .order_by_asc(chronology_entry::Column::OnDate)
        .all(db)
        .await
        .unwrap();
    let agencies = agency::Entity::find()
        .filter(agency::Column::Id.is_in(imrs.iter().map(|i| i.agency_id)))
        .all(db)
        .await
        .unwrap();
    entries.len() + agencies.len()
}

/// Eight agencies, each with an accepted IMR on the review.
async fn imrs(db: &DatabaseConnection, review_id: i32, board_id: i32) -> Vec<(i32, i32)> {
    let mut out = Vec::new();
    for k in 0..IMRS {
        let a = agency::ActiveModel {
            name: Set(format!("Bench agency {k}")),
            kind: Set("health".into()),
            board_id: Set(board_id),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        review_agency::ActiveModel { review_id: Set(review_id), agency_id: Set(a.id), ..Default::default() }
            .insert(db)
            .await
            .unwrap();
        let i = backend::seed::synthetic::imr_row(db, review_id, a.id, "accepted", 1, Utc::now().date_naive())
            .await
            .unwrap();
        out.push((i, a.id));
    }
    out
}

/// Adds `per_imr` entries to each IMR, about the child and the mother, with the
/// child's first name in the text (so a partner board's fetch has names to replace).
async fn add_entries(
    db: &DatabaseConnection,
    review_id: i32,
    imrs: &[(i32, i32)],
    people: &[i32],
    per_imr: usize,
    child: &str,
) {
    let event = |n: usize| format!("Home visit {n}: {child} was weighed and seemed withdrawn.");
    for (k, (imr_id, agency_id)) in imrs.iter().enumerate() {
        backend::seed::synthetic::entries(db, review_id, *imr_id, *agency_id, people, per_imr, k, &event)
            .await
            .unwrap();
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    // Entries per IMR at each step, and fetches at each step.
    let steps: &[(usize, usize)] = if full { &[(250, 30), (2_500, 5), (25_000, 2)] } else { &[(10, 3), (100, 2)] };
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async move {
        let path = std::env::temp_dir().join(format!("scr_bench_chronology_{}.db", std::process::id()));
        let url =
            std::env::var("SCR_BENCH_DATABASE_URL").unwrap_or_else(|_| format!("sqlite://{}?mode=rwc", path.display()));
        let mut db = backend::db::connect(&url).await.unwrap();
        backend::db::migrate(&db).await.unwrap();
        backend::seed::seed_demo(&db).await.unwrap();
        // The review at "terms agreed" has a partner board; the chronology is put on it.
        let r = review::Entity::find().filter(review::Column::Stage.eq("terms_agreed")).one(&db).await.unwrap().unwrap();
        let people = person::Entity::find().filter(person::Column::ReviewId.eq(r.id)).all(&db).await.unwrap();
        let child = people.iter().find(|p| p.relationship == "child").unwrap();
        let first = child.name.split(' ').next().unwrap().to_owned();
        let ids: Vec<i32> = people.iter().map(|p| p.id).collect();
        let imrs = imrs(&db, r.id, r.lead_board_id).await;

        let statements = Arc::new(AtomicUsize::new(0));
        let counter = statements.clone();
        db.set_metric_callback(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
        });
        let tokens = Tokens::new(vec![9; 48], chrono::Duration::minutes(15), None).unwrap();
        let token_of = |email: &str| {
            let db = db.clone();
            let tokens = tokens.clone();
            let email = email.to_owned();
            async move {
                let u = user::Entity::find().filter(user::Column::Email.eq(email)).one(&db).await.unwrap().unwrap();
                tokens.issue(u.id, u.session_generation).unwrap()
            }
        };
        let chair = token_of("chair@scr.example").await;
        let partner = token_of("partner@scr.example").await;
        let router = app(AppState { db: db.clone(), tokens: tokens.clone(), mail: None, edge: backend::edge::Edge::unlimited(), sessions: backend::users::sessions::SessionRules::default(), oidc: Default::default() });
        // The whole chronology, a page of 5,000 entries at a time: every page's answer.
        let fetch = |token: String| {
            let router = router.clone();
            let id = r.id;
            async move {
                let mut pages = Vec::new();
                let mut after: Option<String> = None;
                loop {
                    let body = serde_json::json!({"query": QUERY, "variables": {"id": id, "after": after}}).to_string();
                    let req = Request::post("/graphql")
                        .header("content-type", "application/json")
                        .header("authorization", format!("Bearer {token}"))
                        .body(Body::from(body))
                        .unwrap();
                    let res = router.clone().oneshot(req).await.unwrap();
                    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
                    // The next page's cursor, found without parsing the whole answer.
                    let text = String::from_utf8_lossy(&bytes);
                    after = text
                        .split_once("\"next\":\"")
                        .and_then(|(_, rest)| rest.split_once('"'))
                        .map(|(cursor, _)| cursor.to_owned());
                    pages.push(bytes);
                    if after.is_none() {
                        break pages;
                    }
                }
            }
        };

        println!(
            "combined_chronology: {IMRS} IMRs on {}, growth from the first step",
            if url.starts_with("postgres") { "PostgreSQL" } else { "SQLite" }
        );
        println!("| entries | GraphQL, board (p50) | GraphQL, partner board (p50) | direct (p50) | ratio board / direct | response | statements (GraphQL / direct) |");
        println!("| --- | --- | --- | --- | --- | --- | --- |");
        let mut have = 0;
        let mut first_step: Option<(f64, f64)> = None;
        for (per_imr, iterations) in steps.iter().copied() {
            let seeded = Instant::now();
            add_entries(&db, r.id, &imrs, &ids, per_imr - have, &first).await;
            have = per_imr;
            let seeding = seeded.elapsed();
            // Check the answers once: every entry there, names only for the board.
            let before = statements.load(Ordering::SeqCst);
            let pages = fetch(chair.clone()).await;
            let gql_statements = statements.load(Ordering::SeqCst) - before;
            let v: serde_json::Value = serde_json::from_slice(&pages[0]).unwrap();
            assert!(v.get("errors").is_none(), "{}", &v.to_string()[..400.min(v.to_string().len())]);
            let total = v["data"]["review"]["combinedChronology"]["total"].as_u64().unwrap() as usize;
            assert_eq!(total, per_imr * IMRS);
            let entries: usize = pages
                .iter()
                .map(|b| {
                    let v: serde_json::Value = serde_json::from_slice(b).unwrap();
                    v["data"]["review"]["combinedChronology"]["entries"].as_array().map_or(0, Vec::len)
                })
                .sum();
            assert_eq!(entries, total, "every entry, over {} pages", pages.len());
            let size: usize = pages.iter().map(|b| b.len()).sum();
            let seen = fetch(partner.clone()).await;
            assert!(
                seen.iter().all(|b| !String::from_utf8_lossy(b).contains(&first)),
                "a partner board received the child's name"
            );
            let before = statements.load(Ordering::SeqCst);
            assert_eq!(direct(&db, r.id).await, total + IMRS);
            let direct_statements = statements.load(Ordering::SeqCst) - before;

            let (mut g, mut p, mut d) = (Vec::new(), Vec::new(), Vec::new());
            for _ in 0..iterations {
                let t = Instant::now();
                std::hint::black_box(fetch(chair.clone()).await);
                g.push(t.elapsed());
                let t = Instant::now();
                std::hint::black_box(fetch(partner.clone()).await);
                p.push(t.elapsed());
                let t = Instant::now();
                std::hint::black_box(direct(&db, r.id).await);
                d.push(t.elapsed());
            }
            for x in [&mut g, &mut p, &mut d] {
                x.sort();
            }
            let (g50, p50, d50) = (percentile(&g, 0.5), percentile(&p, 0.5), percentile(&d, 0.5));
            let base = *first_step.get_or_insert((g50.as_secs_f64(), d50.as_secs_f64()));
            println!(
                "| {total} (seeded in {seeding:.1?}) | {g50:.1?} (x{:.1}) | {p50:.1?} | {d50:.1?} (x{:.1}) | {:.2}x | {:.1} MB | {gql_statements} / {direct_statements} |",
                g50.as_secs_f64() / base.0,
                d50.as_secs_f64() / base.1,
                g50.as_secs_f64() / d50.as_secs_f64(),
                size as f64 / 1e6,
            );
        }
        drop(router);
        drop(db);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    });
}
