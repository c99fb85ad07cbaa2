//! The combined chronology (SPEC 4; 11.13, 11.14): every agency's entries merged in
//! time order, filtered by agency, person and the seen / alone / wishes /
//! perpetrator flags, with gaps in agency contact and possible conflicts marked.

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::AgencyId;
use crate::role::str_enum;

str_enum! {
    /// How precisely an entry's date is known.
    pub enum Precision {
        Exact => "exact", "Exact date";
        Month => "month", "Month only";
        Year => "year", "Year only";
    }
}

/// When an event happened, as precisely as the record says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct When {
    /// For `Month` the first of the month, for `Year` the first of January.
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
    pub precision: Precision,
}

impl When {
    /// The sort key: approximate dates sort at the start of their period, untimed
    /// entries before timed ones on the same day.
    fn key(&self) -> (NaiveDate, Option<NaiveTime>) {
        (self.date, self.time)
    }
}

/// One entry of an agency's chronology.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: i32,
    pub agency: AgencyId,
    pub when: When,
    /// Order among the agency's entries on the same day.
    pub sequence: i32,
    pub practitioner_role: String,
    pub event: String,
    pub decision_or_action: String,
    pub child_seen: bool,
    pub seen_alone: bool,
    pub wishes_sought: bool,
    pub perpetrator_contact: bool,
    pub source: String,
    /// The people of the review the entry is about (person ids).
    pub people: Vec<i32>,
}

/// Every reason an entry as typed cannot be kept, by field (`today` bounds the date).
pub fn entry_problems(e: &Entry, today: NaiveDate) -> Vec<crate::ValidationError> {
    use crate::ValidationError as V;
    let mut out = Vec::new();
    if e.when.date > today {
        out.push(V::new("date", "The date must be today or in the past"));
    }
    if e.when.time.is_some() && e.when.precision != Precision::Exact {
        out.push(V::new("time", "A time can only be given with an exact date"));
    }
    if e.sequence < 0 {
        out.push(V::new("sequence", "The order within the day is a number from 0"));
    }
    for (field, text, what) in [
        ("practitionerRole", &e.practitioner_role, "Say which practitioner was involved, by role"),
        ("event", &e.event, "Describe the event"),
    ] {
        if text.trim().is_empty() {
            out.push(V::new(field, what));
        }
    }
    if e.seen_alone && !e.child_seen {
        out.push(V::new("seenAlone", "The child can only be seen alone if the child was seen"));
    }
    out
}

/// Merges entries from every agency into one time order (stable for equal times:
/// by sequence, then agency, then id), as the combined chronology shows them.
pub fn merge(mut entries: Vec<Entry>) -> Vec<Entry> {
    entries.sort_by(|a, b| {
        a.when
            .key()
            .cmp(&b.when.key())
            .then(a.sequence.cmp(&b.sequence))
            .then(a.agency.cmp(&b.agency))
            .then(a.id.cmp(&b.id))
    });
    entries
}

/// What the panel filters the combined chronology by; `None` means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    pub agencies: Vec<AgencyId>,
    pub person: Option<i32>,
    pub child_seen: Option<bool>,
    pub seen_alone: Option<bool>,
    pub wishes_sought: Option<bool>,
    pub perpetrator_contact: Option<bool>,
}

impl Filter {
    pub fn matches(&self, e: &Entry) -> bool {
        let flag = |want: Option<bool>, have: bool| want.is_none_or(|w| w == have);
        (self.agencies.is_empty() || self.agencies.contains(&e.agency))
            && self.person.is_none_or(|p| e.people.contains(&p))
            && flag(self.child_seen, e.child_seen)
            && flag(self.seen_alone, e.seen_alone)
            && flag(self.wishes_sought, e.wishes_sought)
            && flag(self.perpetrator_contact, e.perpetrator_contact)
    }
}

/// A period with no agency contact longer than the chosen number of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gap {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: i64,
}

/// Gaps of more than `min_days` between consecutive entries of a merged chronology.
pub fn gaps(merged: &[Entry], min_days: i64) -> Vec<Gap> {
    merged
        .windows(2)
        .filter_map(|w| {
            let days = (w[1].when.date - w[0].when.date).num_days();
            (days > min_days).then_some(Gap { from: w[0].when.date, to: w[1].when.date, days })
        })
        .collect()
}

/// Entries that may describe the same event differently: about the same people, on
/// the same exact day, from more than one agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub date: NaiveDate,
    /// The people the entries share (person ids, ascending).
    pub people: Vec<i32>,
    /// The entries (ids, ascending).
    pub entries: Vec<i32>,
}

/// The suggested conflicts of a merged chronology: for each exact day and person, the
/// entries about that person when they come from more than one agency; people whose
/// entries are the same set are one suggestion. The answer grows with the entries, not
/// with their pairs, however many agencies wrote about one day.
pub fn suggested_conflicts(merged: &[Entry]) -> Vec<Suggestion> {
    use std::collections::BTreeMap;
    let mut out = Vec::new();
    let mut day_start = 0;
    while day_start < merged.len() {
        let date = merged[day_start].when.date;
        let day_end =
            merged[day_start..].iter().position(|e| e.when.date != date).map_or(merged.len(), |n| day_start + n);
        // person -> entries of that day about them (exact dates only).
        let mut by_person: BTreeMap<i32, Vec<&Entry>> = BTreeMap::new();
        for e in merged[day_start..day_end].iter().filter(|e| e.when.precision == Precision::Exact) {
            for p in &e.people {
                by_person.entry(*p).or_default().push(e);
            }
        }
        // entry set -> people sharing it.
        let mut groups: BTreeMap<Vec<i32>, Vec<i32>> = BTreeMap::new();
        for (person, entries) in by_person {
            let first = entries[0].agency;
            if entries.iter().any(|e| e.agency != first) {
                let mut ids: Vec<i32> = entries.iter().map(|e| e.id).collect();
                ids.sort();
                ids.dedup();
                groups.entry(ids).or_default().push(person);
            }
        }
        out.extend(groups.into_iter().map(|(entries, people)| Suggestion { date, people, entries }));
        day_start = day_end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn entry(id: i32, agency: i32, date: NaiveDate, people: &[i32]) -> Entry {
        Entry {
            id,
            agency: AgencyId(agency),
            when: When { date, time: None, precision: Precision::Exact },
            sequence: 0,
            practitioner_role: "Health visitor".into(),
            event: "Home visit".into(),
            decision_or_action: "Follow up in two weeks".into(),
            child_seen: true,
            seen_alone: false,
            wishes_sought: false,
            perpetrator_contact: false,
            source: "Visit record".into(),
            people: people.to_vec(),
        }
    }

    #[test]
    fn entries_from_all_agencies_merge_in_time_order() {
        let a = entry(1, 1, d(2025, 3, 5), &[1]);
        let b = entry(2, 2, d(2025, 1, 9), &[1]);
        let mut c = entry(3, 1, d(2025, 3, 5), &[1]);
        c.when.time = NaiveTime::from_hms_opt(9, 30, 0);
        let merged = merge(vec![a, b, c]);
        assert_eq!(merged.iter().map(|e| e.id).collect::<Vec<_>>(), [2, 1, 3]);
    }

    #[test]
    fn same_day_entries_keep_each_agencys_sequence() {
        let mut a = entry(1, 1, d(2025, 3, 5), &[]);
        a.sequence = 2;
        let mut b = entry(2, 1, d(2025, 3, 5), &[]);
        b.sequence = 1;
        assert_eq!(merge(vec![a, b]).iter().map(|e| e.id).collect::<Vec<_>>(), [2, 1]);
    }

    #[test]
    fn filters_combine_agency_person_and_flags() {
        let mut e = entry(1, 3, d(2025, 1, 1), &[7]);
        e.seen_alone = true;
        assert!(Filter::default().matches(&e));
        assert!(
            Filter { agencies: vec![AgencyId(3)], person: Some(7), seen_alone: Some(true), ..Default::default() }
                .matches(&e)
        );
        assert!(!Filter { agencies: vec![AgencyId(4)], ..Default::default() }.matches(&e));
        assert!(!Filter { person: Some(8), ..Default::default() }.matches(&e));
        assert!(!Filter { wishes_sought: Some(true), ..Default::default() }.matches(&e));
    }

    #[test]
    fn an_entry_needs_a_role_an_event_and_a_consistent_date_and_flags() {
        let today = d(2025, 6, 1);
        assert!(entry_problems(&entry(1, 1, d(2025, 1, 1), &[]), today).is_empty());
        let mut e = entry(1, 1, d(2025, 7, 1), &[]);
        e.event = " ".into();
        e.practitioner_role.clear();
        e.when.precision = Precision::Month;
        e.when.time = NaiveTime::from_hms_opt(10, 0, 0);
        e.child_seen = false;
        e.seen_alone = true;
        e.sequence = -1;
        let fields: Vec<String> = entry_problems(&e, today).into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["date", "time", "sequence", "practitionerRole", "event", "seenAlone"]);
    }

    #[test]
    fn gaps_longer_than_the_chosen_days_are_marked() {
        let merged = merge(vec![
            entry(1, 1, d(2025, 1, 1), &[]),
            entry(2, 2, d(2025, 1, 20), &[]),
            entry(3, 1, d(2025, 4, 1), &[]),
        ]);
        assert_eq!(gaps(&merged, 30), vec![Gap { from: d(2025, 1, 20), to: d(2025, 4, 1), days: 71 }]);
        assert_eq!(gaps(&merged, 10).len(), 2);
    }

    #[test]
    fn same_person_same_day_different_agencies_is_a_suggested_conflict() {
        let merged = merge(vec![
            entry(1, 1, d(2025, 2, 2), &[5]),
            entry(2, 2, d(2025, 2, 2), &[5, 6]),
            entry(3, 1, d(2025, 2, 2), &[5]),
            entry(4, 3, d(2025, 2, 2), &[9]),
            entry(5, 2, d(2025, 2, 3), &[5]),
        ]);
        // Person 6 appears in one agency's entry only; person 9 likewise; the next day
        // has one entry.
        assert_eq!(
            suggested_conflicts(&merged),
            vec![Suggestion { date: d(2025, 2, 2), people: vec![5], entries: vec![1, 2, 3] }]
        );
    }

    #[test]
    fn people_in_the_same_entries_make_one_suggestion_and_one_agency_makes_none() {
        let merged = merge(vec![
            entry(1, 1, d(2025, 2, 2), &[5, 6]),
            entry(2, 2, d(2025, 2, 2), &[5, 6]),
            entry(3, 1, d(2025, 3, 3), &[5]),
            entry(4, 1, d(2025, 3, 3), &[5]),
        ]);
        assert_eq!(
            suggested_conflicts(&merged),
            vec![Suggestion { date: d(2025, 2, 2), people: vec![5, 6], entries: vec![1, 2] }]
        );
    }

    #[test]
    fn approximate_dates_are_not_suggested_as_conflicts() {
        let mut a = entry(1, 1, d(2025, 2, 1), &[5]);
        a.when.precision = Precision::Month;
        let b = entry(2, 2, d(2025, 2, 1), &[5]);
        assert!(suggested_conflicts(&merge(vec![a, b])).is_empty());
    }

    proptest! {
        #[test]
        fn merging_keeps_every_entry_and_orders_by_date(days in proptest::collection::vec(0i64..2000, 0..60)) {
            let entries: Vec<Entry> = days.iter().enumerate()
                .map(|(i, n)| entry(i as i32, (i % 4) as i32, d(2020, 1, 1) + chrono::Duration::days(*n), &[(i % 3) as i32]))
                .collect();
            let merged = merge(entries.clone());
            prop_assert_eq!(merged.len(), entries.len());
            for w in merged.windows(2) {
                prop_assert!(w[0].when.date <= w[1].when.date);
            }
            for g in gaps(&merged, 30) {
                prop_assert!(g.days > 30 && g.to > g.from);
            }
            // Suggestions never outnumber the entries' (day, person) pairs.
            prop_assert!(suggested_conflicts(&merged).len() <= merged.len());
        }
    }
}
