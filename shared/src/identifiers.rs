//! Quasi-identifiers: what identifies a family without naming it. The registered
//! addresses (in full and their first lines) and dates of birth (in the usual written
//! forms) of the people of a review and the names of its schools, found the way names
//! are (`fold.rs`, without look-alike letters, so digits stay digits); and wherever
//! they stand, UK postcodes, e-mail addresses, UK phone numbers, NHS numbers with a
//! valid check digit and National Insurance numbers.
//!
//! Label-only readers receive each of them masked by its kind ("[address]"); the gate
//! warns of each of them in a text bound for an outside body.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

use crate::fold::{Depth, Folded, Phrases, fold, leftmost_longest};
use crate::role::str_enum;

str_enum! {
    /// Kinds of quasi-identifier, and the near miss of a name.
    pub enum WarningKind {
        DateOfBirth => "date_of_birth", "A date of birth";
        Address => "address", "A street address";
        Postcode => "postcode", "A postcode";
        School => "school", "A school's name";
        Email => "email", "An e-mail address";
        Phone => "phone", "A phone number";
        NhsNumber => "nhs_number", "An NHS number";
        NiNumber => "ni_number", "A National Insurance number";
        NearMiss => "near_miss", "Close to a registered name";
    }
}

impl WarningKind {
    /// What stands in its place for a reader who may not read it.
    pub fn mask(self) -> &'static str {
        match self {
            WarningKind::DateOfBirth => "[date of birth]",
            WarningKind::Address => "[address]",
            WarningKind::Postcode => "[postcode]",
            WarningKind::School => "[school]",
            WarningKind::Email => "[e-mail address]",
            WarningKind::Phone => "[phone number]",
            WarningKind::NhsNumber => "[NHS number]",
            WarningKind::NiNumber => "[National Insurance number]",
            WarningKind::NearMiss => "[name]",
        }
    }
}

/// One quasi-identifier in a text: byte offsets into the text as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub kind: WarningKind,
    pub start: usize,
    pub end: usize,
}

/// What a review registers that identifies its family.
#[derive(Debug, Clone, Default)]
pub struct Registered<'a> {
    pub dates_of_birth: Vec<NaiveDate>,
    pub addresses: Vec<&'a str>,
    pub schools: Vec<&'a str>,
}

/// The quasi-identifiers of a review, ready to be searched for in any number of texts.
#[derive(Debug, Clone)]
pub struct Finder {
    phrases: Phrases<WarningKind>,
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

fn ordinal(day: u32) -> String {
    let suffix = match (day % 10, day % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{day}{suffix}")
}

/// The usual ways of writing `d`, folded: 12/04/2019, 12.4.19, 2019-04-12, 12 April
/// 2019, 12th of Apr. 2019, April 12, 2019...
pub fn date_forms(d: NaiveDate) -> Vec<String> {
    let (day, month, year) = (d.day(), d.month(), d.year());
    let days = [day.to_string(), format!("{day:02}")];
    let months = [month.to_string(), format!("{month:02}")];
    let years = [year.to_string(), format!("{:02}", year.rem_euclid(100))];
    let mut out = Vec::new();
    for dd in &days {
        for mm in &months {
            for yy in &years {
                for sep in ["/", "-", ".", " "] {
                    out.push(format!("{dd}{sep}{mm}{sep}{yy}"));
                }
            }
            for sep in ["-", "/", "."] {
                out.push(format!("{year}{sep}{mm}{sep}{dd}"));
            }
        }
    }
    let name = MONTHS[d.month0() as usize];
    let mut month_names = vec![name.to_owned(), name[..3].to_owned(), format!("{}.", &name[..3])];
    if month == 9 {
        month_names.push("sept".into());
        month_names.push("sept.".into());
    }
    let day_words = [day.to_string(), format!("{day:02}"), ordinal(day)];
    for m in &month_names {
        for dw in &day_words {
            for y in [year.to_string(), format!("'{:02}", year.rem_euclid(100))] {
                out.push(format!("{dw} {m} {y}"));
                out.push(format!("{dw} of {m} {y}"));
                out.push(format!("{dw} of {m}, {y}"));
                out.push(format!("{dw} {m}, {y}"));
                out.push(format!("{m} {dw} {y}"));
                out.push(format!("{m} {dw}, {y}"));
                out.push(format!("{dw}-{m}-{y}"));
            }
        }
    }
    out.into_iter().map(|f| fold(&f, Depth::Identifiers)).collect()
}

fn patterns() -> &'static [(WarningKind, Option<Regex>)] {
    static RE: OnceLock<Vec<(WarningKind, Option<Regex>)>> = OnceLock::new();
    RE.get_or_init(|| {
        [
            (WarningKind::Email, r"[\w.%+'-]+@[\w-]+(?:\.[\w-]+)+"),
            // Outward code, an optional space, inward code (SK4 1AA, M1 1AE, SW1A 1AA).
            (WarningKind::Postcode, r"\b[a-z]{1,2}[0-9][a-z0-9]? ?[0-9][a-z]{2}\b"),
            (WarningKind::NhsNumber, r"\b[0-9]{3}[ -]?[0-9]{3}[ -]?[0-9]{4}\b"),
            (WarningKind::NiNumber, r"\b[a-ceghj-pr-tw-z][a-ceghj-npr-tw-z] ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[a-d]\b"),
            // +44 7700 900123, +44 (0)161 496 0000, 0044..., (0161) 496 0000, 07700900123.
            (WarningKind::Phone, r"(?:\+44 ?(?:\(0\) ?)?|\b0044 ?|\(0|\b0)(?:[0-9][ -]?\)? ?){8,9}[0-9]\b"),
        ]
        .into_iter()
        .map(|(k, p)| (k, Regex::new(p).ok()))
        .collect()
    })
}

/// Whether ten digits make an NHS number: the check digit (modulus 11) holds.
pub fn nhs_check_digit_holds(digits: &[u32]) -> bool {
    if digits.len() != 10 {
        return false;
    }
    let sum: u32 = digits[..9].iter().enumerate().map(|(i, d)| d * (10 - i as u32)).sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return false,
        c => c,
    };
    check == digits[9]
}

fn digits(s: &str) -> Vec<u32> {
    s.chars().filter_map(|c| c.to_digit(10)).collect()
}

/// Whether a match of the phone pattern has the digits of a UK number.
fn is_phone(s: &str) -> bool {
    let d = digits(s);
    if s.starts_with('+') || s.starts_with("0044") {
        let country = if s.starts_with('+') { 2 } else { 4 };
        // "+44 (0)161..." carries the trunk zero as well.
        let trunk = usize::from(s.contains("(0)"));
        let national = d.len().saturating_sub(country + trunk);
        (9..=10).contains(&national)
    } else {
        (10..=11).contains(&d.len())
    }
}

fn is_ni_number(s: &str) -> bool {
    let prefix: String = s.chars().take(2).collect();
    !matches!(prefix.as_str(), "bg" | "gb" | "nk" | "kn" | "tn" | "nt" | "zz")
}

impl Finder {
    pub fn new(registered: &Registered<'_>) -> Finder {
        let mut phrases = Vec::new();
        for d in &registered.dates_of_birth {
            phrases.extend(date_forms(*d).into_iter().map(|f| (f, WarningKind::DateOfBirth)));
        }
        for a in &registered.addresses {
            phrases.push((fold(a, Depth::Identifiers), WarningKind::Address));
            // The first line too (not the others: a town alone identifies no one).
            if let Some(line) = a.split([',', '\n']).next().map(|l| fold(l, Depth::Identifiers))
                && line.chars().filter(|c| c.is_alphabetic()).count() >= 4
            {
                phrases.push((line, WarningKind::Address));
            }
        }
        for s in &registered.schools {
            phrases.push((fold(s, Depth::Identifiers), WarningKind::School));
        }
        phrases.sort();
        phrases.dedup();
        Finder { phrases: Phrases::new(phrases) }
    }

    /// Every quasi-identifier in `text`, in order, not overlapping.
    pub fn find(&self, text: &str) -> Vec<Found> {
        let folded = Folded::new(text, Depth::Identifiers);
        let mut spans: Vec<(usize, usize, WarningKind)> =
            self.phrases.find(&folded).into_iter().map(|(s, e, k)| (s, e, *k)).collect();
        let hay = folded.text.as_str();
        for (kind, re) in patterns() {
            let Some(re) = re else { continue };
            for m in re.find_iter(hay) {
                let s = m.as_str();
                let keep = match kind {
                    WarningKind::NhsNumber => nhs_check_digit_holds(&digits(s)),
                    WarningKind::Phone => is_phone(s),
                    WarningKind::NiNumber => is_ni_number(s),
                    _ => true,
                };
                if keep {
                    spans.push((m.start(), m.end(), *kind));
                }
            }
        }
        leftmost_longest(spans)
            .into_iter()
            .map(|(s, e, kind)| {
                let (start, end) = folded.original(s, e);
                Found { kind, start, end }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finder() -> Finder {
        Finder::new(&Registered {
            dates_of_birth: NaiveDate::from_ymd_opt(2019, 4, 12).into_iter().collect(),
            addresses: vec!["12 Station Road, Stockport SK4 1AA"],
            schools: vec!["Hillside Primary School"],
        })
    }

    fn kinds(t: &str) -> Vec<WarningKind> {
        finder().find(t).into_iter().map(|f| f.kind).collect()
    }

    #[test]
    fn the_patterns_compile() {
        assert!(patterns().iter().all(|(_, re)| re.is_some()));
    }

    #[test]
    fn dates_of_birth_in_the_usual_written_forms_are_found() {
        for t in [
            "born 2019-04-12.",
            "born 12/04/2019",
            "born 12/4/19",
            "born 12.04.2019",
            "born 12 April 2019",
            "born 12th April 2019",
            "born 12th of April, 2019",
            "born April 12, 2019",
            "born 12 Apr 2019",
            "born １２/０４/２０１９",
        ] {
            assert_eq!(kinds(t), [WarningKind::DateOfBirth], "{t}");
        }
        assert!(kinds("seen on 13/04/2019 and 12/04/2020").is_empty());
    }

    #[test]
    fn registered_addresses_postcodes_and_schools_are_found() {
        assert_eq!(
            kinds("lived at 12 Station Road and attended Hillside Primary School"),
            [WarningKind::Address, WarningKind::School]
        );
        assert_eq!(kinds("12 Station Road, Stockport SK4 1AA"), [WarningKind::Address]);
        assert_eq!(kinds("Lodger at 12 STATION ROAD"), [WarningKind::Address]);
        assert_eq!(kinds("moved to M1 1AE, then SW1A1AA"), [WarningKind::Postcode, WarningKind::Postcode]);
    }

    #[test]
    fn email_phone_nhs_and_national_insurance_numbers_are_found() {
        assert_eq!(kinds("wrote to kelly.s@example.org."), [WarningKind::Email]);
        for t in ["call 07700 900123", "call 0161 496 0000", "call +44 7700 900123", "call (0161) 4960000"] {
            assert_eq!(kinds(t), [WarningKind::Phone], "{t}");
        }
        // 943 476 5919 has a valid check digit; 943 476 5918 does not.
        assert_eq!(kinds("NHS number 943 476 5919"), [WarningKind::NhsNumber]);
        assert_eq!(kinds("NHS number 9434765919"), [WarningKind::NhsNumber]);
        assert!(kinds("ref 943 476 5918").is_empty());
        assert_eq!(kinds("NI AB 12 34 56 C"), [WarningKind::NiNumber]);
        assert_eq!(kinds("NI ab123456c"), [WarningKind::NiNumber]);
        assert!(kinds("GB123456A").is_empty());
    }

    #[test]
    fn ordinary_text_holds_no_identifier() {
        for t in [
            "The child was seen on 3 occasions in 2019 by 2 agencies.",
            "Section 47 enquiries began at 10:30 on the 4th.",
            "Recommendation 12: the board should review 150 cases.",
        ] {
            assert!(kinds(t).is_empty(), "{t}: {:?}", kinds(t));
        }
    }
}
