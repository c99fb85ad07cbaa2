//! The anonymisation gate (SPEC 3; 11.15, 11.16, Appendix 3): a check over any text
//! bound for an external body. Every registered name, alias and variant of every
//! person in the review is a hit, except inside the names 11.16 allows (the Board
//! Chair, the SCR Panel chair, the overview author, and panel members' job titles and
//! employers). Quasi-identifiers (dates of birth, street addresses, postcodes, school
//! names) are warnings. A text with a hit may not leave.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::pseudonymise::{Hit, RegisteredPerson, find_names};
use crate::role::str_enum;

/// A person of the review with the identifiers the gate warns about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identified {
    pub person: RegisteredPerson,
    pub date_of_birth: Option<NaiveDate>,
    pub address: Option<String>,
}

/// What the gate knows of the review.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Register {
    pub people: Vec<Identified>,
    /// Names and phrases 11.16 allows: the Board Chair, panel chair and overview
    /// author by name; panel members' job titles and employers.
    pub allowed: Vec<String>,
    /// Schools known to the review (agencies of the education kind).
    pub schools: Vec<String>,
}

str_enum! {
    /// Kinds of quasi-identifier.
    pub enum WarningKind {
        DateOfBirth => "date_of_birth", "A date of birth";
        Address => "address", "A street address";
        Postcode => "postcode", "A postcode";
        School => "school", "A school's name";
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub kind: WarningKind,
    pub start: usize,
    pub end: usize,
    pub found: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub hits: Vec<Hit>,
    pub warnings: Vec<Warning>,
}

impl Report {
    /// Whether the text may leave for an external body.
    pub fn passes(&self) -> bool {
        self.hits.is_empty()
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Byte ranges where `needle` stands in `hay` as whole words, ignoring case.
fn occurrences(hay: &str, needle: &str) -> Vec<(usize, usize)> {
    let needle = needle.trim();
    if needle.is_empty() {
        return Vec::new();
    }
    let person = RegisteredPerson { label: String::new(), names: vec![needle.to_owned()] };
    // Reuse the name matcher: whole word, any case. Only the full phrase counts here.
    find_names(hay, std::slice::from_ref(&person))
        .into_iter()
        .filter(|h| h.found.chars().count() == needle.chars().count())
        .map(|h| (h.start, h.end))
        .collect()
}

fn dob_forms(d: NaiveDate) -> Vec<String> {
    let month = MONTHS[d.month0() as usize];
    vec![
        d.format("%Y-%m-%d").to_string(),
        d.format("%d/%m/%Y").to_string(),
        format!("{}/{}/{}", d.day(), d.month(), d.year()),
        format!("{} {month} {}", d.day(), d.year()),
        format!("{} {month} {}", d.format("%d"), d.year()),
    ]
}

/// Whether `s` (upper-cased, one space at most) has the shape of a UK postcode.
fn is_postcode(s: &str) -> bool {
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let b = compact.as_bytes();
    if !(5..=7).contains(&b.len()) {
        return false;
    }
    let (outward, inward) = b.split_at(b.len() - 3);
    let alpha = |c: &u8| c.is_ascii_uppercase();
    let digit = |c: &u8| c.is_ascii_digit();
    inward.first().is_some_and(digit)
        && inward[1..].iter().all(alpha)
        && outward.first().is_some_and(alpha)
        && outward.iter().any(digit)
        && outward.iter().all(|c| alpha(c) || digit(c))
}

fn postcodes(text: &str) -> Vec<(usize, usize)> {
    let words: Vec<(usize, &str)> = text
        .split_whitespace()
        .map(|w| {
            let trimmed = w.trim_start_matches(['(', '[', '"']);
            let start = trimmed.as_ptr() as usize - text.as_ptr() as usize;
            (start, trimmed.trim_end_matches([',', '.', ';', ')', ']', '"']))
        })
        .collect();
    let mut out = Vec::new();
    for i in 0..words.len() {
        let (start, w) = words[i];
        if w.len() >= 5 && is_postcode(w) {
            out.push((start, start + w.len()));
        } else if let Some(&(s2, next)) = words.get(i + 1) {
            let joined = format!("{w} {next}");
            if (2..=4).contains(&w.len())
                && next.len() == 3
                && is_postcode(&joined)
                && w.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            {
                out.push((start, s2 + next.len()));
            }
        }
    }
    out
}

/// Checks `text` against the register.
pub fn check(text: &str, register: &Register) -> Report {
    let allowed: Vec<(usize, usize)> = register.allowed.iter().flat_map(|a| occurrences(text, a)).collect();
    let inside_allowed = |s: usize, e: usize| allowed.iter().any(|(a, b)| *a <= s && e <= *b);
    let people: Vec<RegisteredPerson> = register.people.iter().map(|p| p.person.clone()).collect();
    let hits = find_names(text, &people).into_iter().filter(|h| !inside_allowed(h.start, h.end)).collect();

    let mut warnings = Vec::new();
    let mut warn = |kind: WarningKind, ranges: Vec<(usize, usize)>| {
        for (s, e) in ranges {
            warnings.push(Warning { kind, start: s, end: e, found: text[s..e].to_owned() });
        }
    };
    for p in &register.people {
        if let Some(d) = p.date_of_birth {
            for form in dob_forms(d) {
                warn(WarningKind::DateOfBirth, occurrences(text, &form));
            }
        }
        if let Some(first_line) = p.address.as_deref().and_then(|a| a.split(',').next()) {
            warn(WarningKind::Address, occurrences(text, first_line));
        }
    }
    warn(WarningKind::Postcode, postcodes(text));
    for s in &register.schools {
        warn(WarningKind::School, occurrences(text, s));
    }
    warnings.sort_by_key(|w| (w.start, w.end));
    warnings.dedup_by_key(|w| (w.start, w.end));
    Report { hits, warnings }
}

/// `text` with every hit replaced by its person's label (warnings are left for a
/// person to judge).
pub fn replace_hits(text: &str, report: &Report) -> String {
    crate::pseudonymise::replace(text, &report.hits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn register() -> Register {
        Register {
            people: vec![
                Identified {
                    person: RegisteredPerson {
                        label: "Child A".into(),
                        names: vec!["Liam Okafor".into(), "Li".into()],
                    },
                    date_of_birth: NaiveDate::from_ymd_opt(2019, 4, 12),
                    address: Some("12 Station Road, Stockport SK4 1AA".into()),
                },
                Identified {
                    person: RegisteredPerson { label: "Mother".into(), names: vec!["Jane Okafor".into()] },
                    date_of_birth: None,
                    address: None,
                },
                Identified {
                    person: RegisteredPerson { label: "Social worker 1".into(), names: vec!["Alan Price".into()] },
                    date_of_birth: None,
                    address: None,
                },
            ],
            allowed: vec![
                "Margaret Hale".into(),
                "Alan Forbes".into(),
                "Team Manager, Stockport Children's Social Care".into(),
            ],
            schools: vec!["Hillside Primary School".into()],
        }
    }

    #[test]
    fn names_aliases_and_possessives_are_hits_and_the_text_cannot_leave() {
        let r = check("Jane's son Li was seen by OKAFOR family friends.", &register());
        assert!(!r.passes());
        assert_eq!(r.hits.iter().map(|h| h.label.as_str()).collect::<Vec<_>>(), ["Mother", "Child A", "Child A"]);
    }

    #[test]
    fn the_names_11_16_allows_are_not_hits_even_when_they_share_a_first_name() {
        let r = check("The review was chaired by Alan Forbes; the Board Chair is Margaret Hale.", &register());
        assert!(r.passes(), "{:?}", r.hits);
        // A registered professional who shares the first name is still a hit.
        let r = check("Alan Forbes spoke to Alan.", &register());
        assert_eq!(r.hits.len(), 1);
        assert_eq!(r.hits[0].label, "Social worker 1");
    }

    #[test]
    fn dates_of_birth_in_any_usual_form_are_warnings() {
        for t in ["born 2019-04-12", "born 12/04/2019", "born 12 April 2019", "born 12/4/2019"] {
            let r = check(t, &register());
            assert!(r.passes());
            assert_eq!(r.warnings.iter().map(|w| w.kind).collect::<Vec<_>>(), [WarningKind::DateOfBirth], "{t}");
        }
    }

    #[test]
    fn street_addresses_postcodes_and_schools_are_warnings() {
        let r = check("The family lived at 12 Station Road (SK4 1AA) near Hillside Primary School.", &register());
        let kinds: Vec<WarningKind> = r.warnings.iter().map(|w| w.kind).collect();
        assert_eq!(kinds, [WarningKind::Address, WarningKind::Postcode, WarningKind::School]);
        assert!(check("Postcode M1 1AE and SW1A1AA.", &register()).warnings.len() == 2);
        assert!(check("Tables 12 and ABC 123 are not postcodes.", &register()).warnings.is_empty());
    }

    #[test]
    fn replacing_the_hits_with_labels_makes_the_text_pass() {
        let reg = register();
        let t = "Liam Okafor's mother Jane Okafor called.";
        let fixed = replace_hits(t, &check(t, &reg));
        assert_eq!(fixed, "Child A's mother Mother called.");
        assert!(check(&fixed, &reg).passes());
    }

    proptest! {
        #[test]
        fn after_replacement_no_hit_remains(prefix in "[a-z ,.']{0,30}", suffix in "[a-z ,.']{0,30}") {
            let reg = register();
            let t = format!("{prefix}Jane Okafor{suffix} Li{suffix}");
            let fixed = replace_hits(&t, &check(&t, &reg));
            prop_assert!(check(&fixed, &reg).passes(), "{}", fixed);
        }

        #[test]
        fn the_gate_never_panics_on_any_text(t in "\\PC{0,200}") {
            let r = check(&t, &register());
            for w in r.warnings {
                prop_assert!(t.is_char_boundary(w.start) && t.is_char_boundary(w.end));
            }
        }
    }
}
