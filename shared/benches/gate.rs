//! The anonymisation gate over large texts: checking and masking 1 MB and 2 MB of
//! text against 50 registered people, to show the time grows with the text's length
//! and no faster. Prints; asserts nothing about time.
//!
//! `cargo bench -p shared --bench gate`. Under `cargo test` (no `--bench` argument) it
//! runs on 64 KB.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use shared::gate::{Identified, Register};
use shared::pseudonymise::RegisteredPerson;

const FIRST: [&str; 10] =
    ["Kelly", "Declan", "Chloë", "Siobhan", "Liam", "Aisha", "Tomasz", "Grace", "Oluwaseun", "Mei"];
const LAST: [&str; 5] = ["Sutton", "O'Neill", "Brontë", "Okafor-Smith", "Brackenbury"];

fn register() -> Register {
    let people = (0..50)
        .map(|i| Identified {
            person: RegisteredPerson {
                label: format!("Person {i}"),
                names: vec![format!("{} {}{i}", FIRST[i % 10], LAST[i % 5]), format!("Alias{i}")],
            },
            date_of_birth: NaiveDate::from_ymd_opt(1980 + i as i32 % 40, 1 + i as u32 % 12, 1 + i as u32 % 28),
            address: Some(format!("{} Station Road{i}, Stockport SK4 1AA", i + 1)),
        })
        .collect();
    Register { people, allowed: vec!["Margaret Hale".into()], schools: vec!["Hillside Primary School".into()] }
}

/// Ordinary case prose with a name, an identifier or a near miss now and then.
fn text(bytes: usize) -> String {
    let pieces = [
        "The health visitor saw the child at home and recorded that the home conditions were poor. ",
        "Kelly Sutton3 said she had not been told of the appointment. ",
        "A referral was made to children’s social care on 12/04/2019 by the school nurse. ",
        "Mr O’Neill1 (tel. 07700 900123) was not seen. ",
        "The family moved to 4 Station Road3, Stockport. ",
        "Brackenbery4 was mentioned by the neighbour; NHS number 943 476 5919. ",
    ];
    let mut t = String::with_capacity(bytes + 200);
    let mut i = 0;
    while t.len() < bytes {
        t.push_str(pieces[i % pieces.len()]);
        i += 1;
    }
    t
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (small, runs) = if full { (1 << 20, 5) } else { (64 << 10, 1) };
    let gate = register().gate();
    let mut previous: Option<(usize, Duration, Duration)> = None;
    for size in [small, 2 * small] {
        let t = text(size);
        let mut check = Vec::new();
        let mut mask = Vec::new();
        let mut report = None;
        for _ in 0..runs {
            let start = Instant::now();
            report = Some(gate.check(&t));
            check.push(start.elapsed());
            let start = Instant::now();
            std::hint::black_box(gate.mask(&t));
            mask.push(start.elapsed());
        }
        let (check, mask) = (median(check), median(mask));
        let report = report.expect("at least one run");
        println!(
            "gate over {:>5} KB, 50 people: check {:>8.1} ms ({} hits, {} warnings), mask {:>8.1} ms",
            t.len() / 1024,
            check.as_secs_f64() * 1e3,
            report.hits.len(),
            report.warnings.len(),
            mask.as_secs_f64() * 1e3,
        );
        if let Some((bytes, c, m)) = previous {
            println!(
                "  twice the text ({}x the bytes): check x{:.2}, mask x{:.2}",
                t.len() as f64 / bytes as f64,
                check.as_secs_f64() / c.as_secs_f64(),
                mask.as_secs_f64() / m.as_secs_f64()
            );
        }
        previous = Some((t.len(), check, mask));
    }
}
