//! Presentation rules shared by every page: UK dates, day counts, tag colours, the
//! page numbers a list offers. Pure functions, tested on the host.

use shared::deadline::DeadlineStatus;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `2026-03-04` -> `4 March 2026`, the GOV.UK style for dates. Anything else is shown as it came.
pub fn uk_date(iso: &str) -> String {
    let date = iso.get(..10).unwrap_or(iso);
    let mut parts = date.split('-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else { return iso.to_owned() };
    match (m.parse::<usize>(), d.parse::<u32>()) {
        (Ok(m @ 1..=12), Ok(d)) => format!("{d} {} {y}", MONTHS[m - 1]),
        _ => iso.to_owned(),
    }
}

/// `2026-03-04T14:05:09.123Z` -> `4 March 2026 at 14:05 UTC`: a moment recorded by
/// the server (always UTC). Anything else is shown as it came.
pub fn date_time(iso: &str) -> String {
    match iso.get(11..16) {
        Some(hm) if iso.as_bytes().get(10) == Some(&b'T') && hm.as_bytes().get(2) == Some(&b':') => {
            format!("{} at {hm} UTC", uk_date(iso))
        }
        _ => uk_date(iso),
    }
}

/// `2026-03-04T14:05:09Z` -> `14:05 UTC`: the time of a moment later today.
pub fn time_of(iso: &str) -> String {
    match iso.get(11..16) {
        Some(hm) if iso.as_bytes().get(10) == Some(&b'T') && hm.as_bytes().get(2) == Some(&b':') => {
            format!("{hm} UTC")
        }
        _ => iso.to_owned(),
    }
}

/// "3 days left", "due today", "2 days overdue".
pub fn days_left(days: i64) -> String {
    match days {
        0 => "due today".to_owned(),
        1 => "1 day left".to_owned(),
        d if d > 1 => format!("{d} days left"),
        -1 => "1 day overdue".to_owned(),
        d => format!("{} days overdue", -d),
    }
}

/// The GOV.UK tag modifier for a deadline status.
pub fn status_tag(s: DeadlineStatus) -> &'static str {
    match s {
        DeadlineStatus::OnTrack => "govuk-tag govuk-tag--blue",
        DeadlineStatus::AtRisk => "govuk-tag govuk-tag--yellow",
        DeadlineStatus::Overdue => "govuk-tag govuk-tag--red",
        DeadlineStatus::Met => "govuk-tag govuk-tag--green",
        DeadlineStatus::MetLate => "govuk-tag govuk-tag--orange",
    }
}

/// The day, month and year boxes of a `YYYY-MM-DD` date (leading zeros dropped, as
/// people type them); empty boxes for an empty date.
pub fn date_parts(iso: &str) -> (String, String, String) {
    let mut parts = iso.splitn(3, '-');
    let y = parts.next().unwrap_or_default().to_owned();
    let m = parts.next().map(|m| m.trim_start_matches('0').to_owned()).unwrap_or_default();
    let d = parts.next().map(|d| d.trim_start_matches('0').to_owned()).unwrap_or_default();
    (d, m, y)
}

/// The date the three boxes make: `YYYY-MM-DD` when they make a real-looking date, empty
/// when all are empty, and otherwise what was typed (which the server refuses with a
/// message beside the field).
pub fn date_of_parts(d: &str, m: &str, y: &str) -> String {
    let (d, m, y) = (d.trim(), m.trim(), y.trim());
    match (d.parse::<u32>(), m.parse::<u32>(), y.parse::<i32>()) {
        _ if d.is_empty() && m.is_empty() && y.is_empty() => String::new(),
        (Ok(dd), Ok(mm), Ok(yy)) if (1..=31).contains(&dd) && (1..=12).contains(&mm) && (1000..=9999).contains(&yy) => {
            format!("{yy:04}-{mm:02}-{dd:02}")
        }
        _ => format!("{y}-{m}-{d}"),
    }
}

/// The page numbers a list of `pages` pages offers from page `current` (both from 1),
/// as GOV.UK pagination shows them: the first, the last, the current and its
/// neighbours, with `None` for each gap ("⋯").
pub fn page_numbers(current: i64, pages: i64) -> Vec<Option<i64>> {
    let mut out = Vec::new();
    for n in 1..=pages {
        if n == 1 || n == pages || n.abs_diff(current) <= 1 {
            out.push(Some(n));
        } else if out.last() != Some(&None) {
            out.push(None);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lists_offer_the_ends_and_the_pages_around_the_current_one() {
        assert_eq!(page_numbers(1, 1), vec![Some(1)]);
        assert_eq!(page_numbers(2, 3), vec![Some(1), Some(2), Some(3)]);
        assert_eq!(page_numbers(1, 40), vec![Some(1), Some(2), None, Some(40)]);
        assert_eq!(page_numbers(20, 40), vec![Some(1), None, Some(19), Some(20), Some(21), None, Some(40)]);
        assert_eq!(page_numbers(40, 40), vec![Some(1), None, Some(39), Some(40)]);
        assert_eq!(page_numbers(3, 5), vec![Some(1), Some(2), Some(3), Some(4), Some(5)]);
    }

    #[test]
    fn date_boxes_and_dates_go_both_ways() {
        assert_eq!(date_parts("2025-02-03"), ("3".into(), "2".into(), "2025".into()));
        assert_eq!(date_of_parts("3", "2", "2025"), "2025-02-03");
        assert_eq!(date_of_parts(" 3 ", "02", "2025"), "2025-02-03");
        assert_eq!(date_of_parts("", "", ""), "");
        assert_eq!(date_of_parts("31", "13", "2025"), "2025-13-31", "kept as typed for the server to refuse");
        assert_eq!(date_parts(""), (String::new(), String::new(), String::new()));
        let (d, m, y) = date_parts("1999-12-31");
        assert_eq!(date_of_parts(&d, &m, &y), "1999-12-31");
    }

    #[test]
    fn dates_are_shown_the_uk_way() {
        assert_eq!(uk_date("2026-03-04"), "4 March 2026");
        assert_eq!(uk_date("2026-12-25T10:00:00+00:00"), "25 December 2026");
        assert_eq!(uk_date("not a date"), "not a date");
        assert_eq!(uk_date("2026-13-01"), "2026-13-01");
        assert_eq!(date_time("2026-03-04T14:05:09.123Z"), "4 March 2026 at 14:05 UTC");
        assert_eq!(date_time("2026-03-04"), "4 March 2026");
        assert_eq!(time_of("2026-03-04T14:05:09.123Z"), "14:05 UTC");
        assert_eq!(time_of("soon"), "soon");
    }

    #[test]
    fn day_counts_read_as_sentences() {
        assert_eq!(days_left(0), "due today");
        assert_eq!(days_left(1), "1 day left");
        assert_eq!(days_left(9), "9 days left");
        assert_eq!(days_left(-1), "1 day overdue");
        assert_eq!(days_left(-12), "12 days overdue");
    }

    #[test]
    fn overdue_is_red_and_at_risk_is_yellow() {
        assert!(status_tag(DeadlineStatus::Overdue).ends_with("red"));
        assert!(status_tag(DeadlineStatus::AtRisk).ends_with("yellow"));
    }
}
