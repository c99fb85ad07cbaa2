//! The anonymisation gate (SPEC 3 and 8; 11.15, 11.16, Appendix 3): a check over any
//! text bound for an outside body, and the masking of text for readers who may only
//! read labels.
//!
//! Every registered name, alias and variant of every person in the review, in any
//! spelling a reader would take for it (`fold.rs`), is a hit, except inside the names
//! 11.16 allows (the Board Chair, the SCR Panel chair, the overview author, and panel
//! members' job titles and employers). A text with a hit may not leave, and nobody can
//! wave a hit through. Quasi-identifiers (`identifiers.rs`) and near misses of names
//! are warnings: the text leaves only once each is changed or overridden by a second
//! person.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::fold::{Depth, Folded, Phrases, fold};
pub use crate::identifiers::WarningKind;
use crate::identifiers::{Finder, Registered};
use crate::pseudonymise::{Hit, Matcher, RegisteredPerson};

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
    /// Whether the text is free of registered names. It may leave for an outside body
    /// only if, besides, every warning has been overridden (`Gate::clear`).
    pub fn passes(&self) -> bool {
        self.hits.is_empty()
    }
}

/// A review's register made ready to check and mask any number of texts.
#[derive(Debug, Clone)]
pub struct Gate {
    names: Matcher,
    allowed: Phrases<()>,
    identifiers: Finder,
}

impl Register {
    pub fn gate(&self) -> Gate {
        let people: Vec<RegisteredPerson> = self.people.iter().map(|p| p.person.clone()).collect();
        let allowed = self.allowed.iter().map(|a| (fold(a, Depth::Names), ())).collect();
        Gate {
            names: Matcher::new(&people),
            allowed: Phrases::new(allowed),
            identifiers: Finder::new(&Registered {
                dates_of_birth: self.people.iter().filter_map(|p| p.date_of_birth).collect(),
                addresses: self.people.iter().filter_map(|p| p.address.as_deref()).collect(),
                schools: self.schools.iter().map(String::as_str).collect(),
            }),
        }
    }
}

impl Gate {
    /// Checks `text`: its name hits and its warnings, in order.
    pub fn check(&self, text: &str) -> Report {
        let folded = Folded::new(text, Depth::Names);
        let allowed = Spans::new(self.allowed.find(&folded).into_iter().map(|(s, e, _)| folded.original(s, e)));
        let hits: Vec<Hit> =
            self.names.find_in(text, &folded).into_iter().filter(|h| !allowed.cover(h.start, h.end)).collect();
        let hit_spans = Spans::new(hits.iter().map(|h| (h.start, h.end)));
        let mut warnings: Vec<Warning> = self
            .identifiers
            .find(text)
            .into_iter()
            .map(|f| Warning { kind: f.kind, start: f.start, end: f.end, found: text[f.start..f.end].to_owned() })
            .chain(self.names.near_misses_in(text, &folded).into_iter().map(|n| Warning {
                kind: WarningKind::NearMiss,
                start: n.start,
                end: n.end,
                found: n.found,
            }))
            .filter(|w| !allowed.cover(w.start, w.end) && !hit_spans.touch(w.start, w.end))
            .collect();
        warnings.sort_by_key(|w| (w.start, w.end));
        warnings.dedup_by_key(|w| (w.start, w.end));
        Report { hits, warnings }
    }

    /// `text` as a label-only reader receives it: every registered name replaced by its
    /// person's label and every quasi-identifier by its kind ("[address]").
    pub fn mask(&self, text: &str) -> String {
        if text.is_empty() {
            return String::new();
        }
        let hits = self.names.find(text);
        let mut spans: Vec<(usize, usize, &str)> = hits.iter().map(|h| (h.start, h.end, h.label.as_str())).collect();
        spans.extend(self.identifiers.find(text).into_iter().map(|f| (f.start, f.end, f.kind.mask())));
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for (s, e, with) in crate::fold::leftmost_longest(spans) {
            out.push_str(&text[last..s]);
            out.push_str(with);
            last = e;
        }
        out.push_str(&text[last..]);
        out
    }

    /// Why `label` cannot stand in for a person: it holds a registered name or alias, or
    /// a registered address or a postcode, in any spelling. `None` when it can.
    pub fn label_problem(&self, label: &str) -> Option<&'static str> {
        if !self.names.find(label).is_empty() {
            Some("A label must not contain anyone's name")
        } else if self
            .identifiers
            .find(label)
            .iter()
            .any(|f| matches!(f.kind, WarningKind::Address | WarningKind::Postcode))
        {
            Some("A label must not contain an address or a postcode")
        } else {
            None
        }
    }

    /// Whether every warning of `report` is in `overridden` (by kind and text found)
    /// and it has no hit: whether the text may leave.
    pub fn clear(report: &Report, overridden: &[(WarningKind, String)]) -> bool {
        report.passes() && report.warnings.iter().all(|w| overridden.iter().any(|(k, f)| *k == w.kind && *f == w.found))
    }
}

/// Ranges of a text, sorted, to ask in logarithmic time whether one of them covers or
/// touches a range: a text with many of them is checked in time that grows with its
/// length, not with its length squared.
struct Spans {
    /// (start, end), by start.
    spans: Vec<(usize, usize)>,
    /// The furthest end among the first k spans.
    furthest: Vec<usize>,
}

impl Spans {
    fn new(spans: impl Iterator<Item = (usize, usize)>) -> Spans {
        let mut spans: Vec<(usize, usize)> = spans.collect();
        spans.sort();
        let furthest = spans
            .iter()
            .scan(0, |max, (_, e)| {
                *max = (*max).max(*e);
                Some(*max)
            })
            .collect();
        Spans { spans, furthest }
    }

    /// Whether one span holds all of `start..end`.
    fn cover(&self, start: usize, end: usize) -> bool {
        let k = self.spans.partition_point(|(s, _)| *s <= start);
        k > 0 && self.furthest[k - 1] >= end
    }

    /// Whether one span shares any of `start..end`.
    fn touch(&self, start: usize, end: usize) -> bool {
        let k = self.spans.partition_point(|(s, _)| *s < end);
        k > 0 && self.furthest[k - 1] > start
    }
}

/// Checks `text` against the register.
pub fn check(text: &str, register: &Register) -> Report {
    register.gate().check(text)
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

    #[test]
    fn a_label_may_hold_no_name_alias_address_or_postcode() {
        let gate = register().gate();
        assert!(gate.label_problem("Child A").is_none());
        assert!(gate.label_problem("Li").is_some());
        assert!(gate.label_problem("Lodger at 12 Station Road").is_some());
        assert!(gate.label_problem("Lodger in SK4 1AA").is_some());
        assert!(gate.label_problem("Mrs OKAFOR\u{2019}s lodger").is_some());
    }

    #[test]
    fn label_only_readers_get_names_and_identifiers_masked() {
        let t = "Liam Okafor (born 12 April 2019) lived at 12 Station Road, SK4 1AA; \
                 mother jane.o@example.org, 07700 900123, NHS 943 476 5919, NI AB 12 34 56 C, Hillside Primary School.";
        assert_eq!(
            register().gate().mask(t),
            "Child A (born [date of birth]) lived at [address], [postcode]; mother [e-mail address], \
             [phone number], NHS [NHS number], NI [National Insurance number], [school]."
        );
    }

    #[test]
    fn text_without_names_or_identifiers_is_masked_to_itself() {
        let t = "The child was seen twice in March; the school nurse referred on the 4th.";
        assert_eq!(register().gate().mask(t), t);
    }

    #[test]
    fn a_near_miss_is_a_warning_but_not_a_hit() {
        let r = check("Mrs Okafr attended.", &register());
        assert!(r.passes());
        assert_eq!(
            r.warnings.iter().map(|w| (w.kind, w.found.as_str())).collect::<Vec<_>>(),
            [(WarningKind::NearMiss, "Okafr")]
        );
    }

    #[test]
    fn only_overridden_warnings_let_a_text_leave() {
        let r = check("Seen at 12 Station Road.", &register());
        assert!(r.passes() && !Gate::clear(&r, &[]));
        assert!(Gate::clear(&r, &[(WarningKind::Address, "12 Station Road".into())]));
        let named = check("Liam at 12 Station Road.", &register());
        assert!(!Gate::clear(&named, &[(WarningKind::Address, "12 Station Road".into())]));
    }

    proptest! {
        #[test]
        fn masked_text_holds_no_name_and_no_identifier(prefix in "[a-z ,.]{0,30}", suffix in "[a-z ,.]{0,30}") {
            let gate = register().gate();
            let t = format!("{prefix} Jane Okafor {suffix} 12/04/2019 {suffix} SK4 1AA {prefix} 943 476 5919.");
            let masked = gate.mask(&t);
            let r = gate.check(&masked);
            prop_assert!(r.passes(), "{}", masked);
            prop_assert!(r.warnings.iter().all(|w| w.kind == WarningKind::NearMiss), "{:?}", r.warnings);
        }

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
