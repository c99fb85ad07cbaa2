//! Working days (SPEC 9): Monday to Friday, less the bank holidays of England and Wales
//! and any closure days a board adds. The product ships the bank holidays for the years
//! it covers; `scr` warns a year before the list runs out, so that a new list is shipped
//! before a deadline is counted past its end.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// The bank holidays of England and Wales, as announced by proclamation and published
/// on GOV.UK (`www.gov.uk/bank-holidays.json`; 2027 is the last year published there
/// when this list was made), with substitute days where a holiday falls
/// at a weekend and the one-off holidays of 2020 (VE Day moved to 8 May), 2022
/// (the Platinum Jubilee, the State Funeral) and 2023 (the Coronation).
#[rustfmt::skip]
const ENGLAND_AND_WALES: &[(i32, u32, u32)] = &[
    (2018, 1, 1), (2018, 3, 30), (2018, 4, 2), (2018, 5, 7), (2018, 5, 28), (2018, 8, 27), (2018, 12, 25), (2018, 12, 26),
    (2019, 1, 1), (2019, 4, 19), (2019, 4, 22), (2019, 5, 6), (2019, 5, 27), (2019, 8, 26), (2019, 12, 25), (2019, 12, 26),
    (2020, 1, 1), (2020, 4, 10), (2020, 4, 13), (2020, 5, 8), (2020, 5, 25), (2020, 8, 31), (2020, 12, 25), (2020, 12, 28),
    (2021, 1, 1), (2021, 4, 2), (2021, 4, 5), (2021, 5, 3), (2021, 5, 31), (2021, 8, 30), (2021, 12, 27), (2021, 12, 28),
    (2022, 1, 3), (2022, 4, 15), (2022, 4, 18), (2022, 5, 2), (2022, 6, 2), (2022, 6, 3), (2022, 8, 29), (2022, 9, 19),
    (2022, 12, 26), (2022, 12, 27),
    (2023, 1, 2), (2023, 4, 7), (2023, 4, 10), (2023, 5, 1), (2023, 5, 8), (2023, 5, 29), (2023, 8, 28), (2023, 12, 25),
    (2023, 12, 26),
    (2024, 1, 1), (2024, 3, 29), (2024, 4, 1), (2024, 5, 6), (2024, 5, 27), (2024, 8, 26), (2024, 12, 25), (2024, 12, 26),
    (2025, 1, 1), (2025, 4, 18), (2025, 4, 21), (2025, 5, 5), (2025, 5, 26), (2025, 8, 25), (2025, 12, 25), (2025, 12, 26),
    (2026, 1, 1), (2026, 4, 3), (2026, 4, 6), (2026, 5, 4), (2026, 5, 25), (2026, 8, 31), (2026, 12, 25), (2026, 12, 28),
    (2027, 1, 1), (2027, 3, 26), (2027, 3, 29), (2027, 5, 3), (2027, 5, 31), (2027, 8, 30), (2027, 12, 27), (2027, 12, 28),
];

/// The first and last years the shipped list covers.
pub const FIRST_YEAR: i32 = 2018;
pub const LAST_YEAR: i32 = 2027;

/// The bank holidays of England and Wales the product knows.
pub fn bank_holidays() -> impl Iterator<Item = NaiveDate> {
    ENGLAND_AND_WALES.iter().filter_map(|(y, m, d)| NaiveDate::from_ymd_opt(*y, *m, *d))
}

/// The last day the list covers.
pub fn covered_until() -> NaiveDate {
    NaiveDate::from_ymd_opt(LAST_YEAR, 12, 31).unwrap_or(NaiveDate::MAX)
}

/// A warning to print when the list runs out within a year of `today`, naming the day
/// it ends: from then on only weekends and a board's own closure days would be skipped.
pub fn coverage_warning(today: NaiveDate) -> Option<String> {
    let end = covered_until();
    let horizon = today.checked_add_days(Days::new(365)).unwrap_or(NaiveDate::MAX);
    (horizon > end).then(|| {
        format!(
            "the bank holidays of England and Wales shipped with scr end on {end}; deadlines counted in working days past that day skip weekends and boards' closure days only. Ship the new list before then."
        )
    })
}

/// The days a board does not work: weekends, the bank holidays of England and Wales, and
/// the board's own closure days.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    closed: BTreeSet<NaiveDate>,
}

impl Calendar {
    /// The bank holidays of England and Wales.
    pub fn england_and_wales() -> Self {
        Self { closed: bank_holidays().collect() }
    }

    /// The same, with a board's own closure days besides.
    pub fn with_closures(mut self, days: impl IntoIterator<Item = NaiveDate>) -> Self {
        self.closed.extend(days);
        self
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !self.closed.contains(&d)
    }

    /// The `n`th working day after `from` (`from` itself never counts, whether or not it
    /// is a working day). Saturates at the calendar's end rather than panicking.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut d = from;
        let mut left = n;
        while left > 0 {
            match d.succ_opt() {
                Some(next) => d = next,
                None => return NaiveDate::MAX,
            }
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn every_listed_holiday_is_a_real_weekday_and_each_year_has_its_eight_at_least() {
        let all: Vec<NaiveDate> = bank_holidays().collect();
        assert_eq!(all.len(), ENGLAND_AND_WALES.len(), "every entry is a real date");
        for h in &all {
            assert!(!matches!(h.weekday(), Weekday::Sat | Weekday::Sun), "{h} falls at a weekend");
        }
        for y in FIRST_YEAR..=LAST_YEAR {
            let n = all.iter().filter(|h| h.year() == y).count();
            assert!((8..=10).contains(&n), "{y} has {n}");
        }
        let mut sorted = all.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted, all, "listed in order, once each");
    }

    /// Good Friday and Easter Monday from the Gregorian computus, to check the list.
    fn easter_sunday(y: i32) -> NaiveDate {
        let a = y % 19;
        let b = y / 100;
        let c = y % 100;
        let dd = b / 4;
        let e = b % 4;
        let f = (b + 8) / 25;
        let g = (b - f + 1) / 3;
        let h = (19 * a + b - dd - g + 15) % 30;
        let i = c / 4;
        let k = c % 4;
        let l = (32 + 2 * e + 2 * i - h - k) % 7;
        let m = (a + 11 * h + 22 * l) / 451;
        let month = (h + l - 7 * m + 114) / 31;
        let day = (h + l - 7 * m + 114) % 31 + 1;
        d(y, month as u32, day as u32)
    }

    #[test]
    fn easter_and_the_fixed_rules_agree_with_the_list_every_year() {
        let cal = Calendar::england_and_wales();
        for y in FIRST_YEAR..=LAST_YEAR {
            let easter = easter_sunday(y);
            assert!(!cal.is_working_day(easter - chrono::Duration::days(2)), "Good Friday {y}");
            assert!(!cal.is_working_day(easter + chrono::Duration::days(1)), "Easter Monday {y}");
            // The last Monday of May and of August (in 2022 the spring holiday moved to
            // 2 June for the Platinum Jubilee).
            for month in [5, 8].into_iter().filter(|m| !(y == 2022 && *m == 5)) {
                let last = (1..=31)
                    .rev()
                    .filter_map(|day| NaiveDate::from_ymd_opt(y, month, day))
                    .find(|x| x.weekday() == Weekday::Mon)
                    .unwrap();
                assert!(!cal.is_working_day(last), "last Monday of {month}/{y}");
            }
            // New Year's Day, or the Monday after when it falls at a weekend.
            let ny = d(y, 1, 1);
            let ny_off = match ny.weekday() {
                Weekday::Sat => d(y, 1, 3),
                Weekday::Sun => d(y, 1, 2),
                _ => ny,
            };
            assert!(!cal.is_working_day(ny_off), "New Year {y}");
        }
    }

    type Ymd = (i32, u32, u32);

    /// (start, working days, due): weekends, bank holidays, year ends, and a start on a
    /// bank holiday.
    const CASES: &[(Ymd, u32, Ymd)] = &[
        // Friday 2 January 2026 + 15: three weekends skipped, no holiday.
        ((2026, 1, 2), 15, (2026, 1, 23)),
        // Across Easter 2026 (Good Friday 3 April, Easter Monday 6 April).
        ((2026, 3, 30), 5, (2026, 4, 8)),
        // A notification on a bank holiday (Spring bank holiday, Monday 25 May 2026):
        // the clock starts on the next working day, as if it had come in on the Saturday.
        ((2026, 5, 25), 5, (2026, 6, 1)),
        ((2026, 5, 23), 5, (2026, 6, 1)),
        // Over Christmas and the year's end: 25 and 28 December 2026 (Boxing Day a
        // Saturday) and 1 January 2027.
        ((2026, 12, 23), 5, (2027, 1, 4)),
        // The 2027 substitutes: Christmas Day and Boxing Day at a weekend, so 27 and 28.
        ((2027, 12, 24), 1, (2027, 12, 29)),
        // 2022's one-off holidays: the Jubilee (2, 3 June) and the State Funeral (19 September).
        ((2022, 6, 1), 1, (2022, 6, 6)),
        ((2022, 9, 16), 1, (2022, 9, 20)),
        // A rapid review of 15 working days from a notification on Friday 18 December 2026.
        ((2026, 12, 18), 15, (2027, 1, 13)),
    ];

    #[test]
    fn working_days_skip_weekends_bank_holidays_and_year_ends() {
        let cal = Calendar::england_and_wales();
        for ((y, m, day), n, (dy, dm, dd)) in CASES {
            assert_eq!(cal.add_working_days(d(*y, *m, *day), *n), d(*dy, *dm, *dd), "{y}-{m}-{day} + {n}");
        }
    }

    #[test]
    fn a_boards_closure_days_are_skipped_too() {
        let cal = Calendar::england_and_wales().with_closures([d(2026, 12, 29), d(2026, 12, 30), d(2026, 12, 31)]);
        // 23 December 2026 + 1: 24 December; + 2: past 25, the weekend, 28 (holiday),
        // 29 to 31 (closed) and 1 January (holiday) to Monday 4 January.
        assert_eq!(cal.add_working_days(d(2026, 12, 23), 2), d(2027, 1, 4));
        assert_eq!(Calendar::england_and_wales().add_working_days(d(2026, 12, 23), 2), d(2026, 12, 29));
    }

    #[test]
    fn the_list_warns_a_year_before_it_runs_out() {
        assert_eq!(coverage_warning(d(LAST_YEAR - 1, 12, 31)), None);
        assert_eq!(coverage_warning(d(2026, 11, 30)), None);
        let w = coverage_warning(d(LAST_YEAR, 1, 2)).expect("a warning within the last year");
        assert!(w.contains(&format!("{LAST_YEAR}-12-31")), "{w}");
        assert!(coverage_warning(d(LAST_YEAR + 3, 6, 1)).is_some());
    }

    proptest! {
        #[test]
        fn the_due_day_is_a_working_day_and_exactly_n_working_days_follow_the_start(
            offset in 0i64..4000, n in 1u32..60
        ) {
            let cal = Calendar::england_and_wales();
            let from = d(2018, 1, 1) + chrono::Duration::days(offset);
            let due = cal.add_working_days(from, n);
            prop_assert!(cal.is_working_day(due));
            let counted = from.iter_days().skip(1).take_while(|x| *x <= due).filter(|x| cal.is_working_day(*x)).count();
            prop_assert_eq!(counted, n as usize);
        }
    }
}
