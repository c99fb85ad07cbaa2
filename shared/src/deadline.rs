//! Deadlines as data (SPEC 2): a procedure profile says which deadlines a review has,
//! what each runs from and for how long; a `Deadline` knows its due date, whether it
//! is on track, at risk, overdue or met, and keeps the history of every extension.

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::ValidationError;
use crate::calendar::Calendar;
use crate::profile::{Profile, ProfileKind};
use crate::role::str_enum;

str_enum! {
    /// The deadlines of the procedure.
    pub enum DeadlineKind {
        PanelRecommendation => "panel_recommendation", "Initial Panel recommendation";
        ChairDecision => "chair_decision", "Chair's decision";
        TermsToOfsted => "terms_to_ofsted", "Terms of reference sent to Ofsted";
        ImrSubmission => "imr_submission", "IMRs submitted";
        Completion => "completion", "Review completed and submitted";
        IncidentNotification => "incident_notification", "Serious incident notified to the National Panel";
        RapidReview => "rapid_review", "Rapid review sent to the National Panel";
        LocalReviewPublication => "local_review_publication", "Local review published";
    }
}

str_enum! {
    /// The event a deadline runs from.
    pub enum Anchor {
        Referral => "referral", "the referral";
        Decision => "decision", "the Chair's decision";
        Notification => "notification", "the notification to the National Panel";
        Commissioning => "commissioning", "the decision to commission the local review";
    }
}

/// How long a deadline runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Period {
    Days(u32),
    /// Working days of the board's calendar: not weekends, bank holidays of England and
    /// Wales or the board's closure days.
    WorkingDays(u32),
    Weeks(u32),
    Months(u32),
}

impl Period {
    /// The date this period ends when it starts on `from`, working days counted on
    /// `cal`. Saturates at the calendar's end rather than panicking.
    pub fn after(self, from: NaiveDate, cal: &Calendar) -> NaiveDate {
        let add_days = |d: NaiveDate, n: u64| d.checked_add_days(Days::new(n)).unwrap_or(NaiveDate::MAX);
        match self {
            Period::Days(n) => add_days(from, u64::from(n)),
            Period::Weeks(n) => add_days(from, u64::from(n) * 7),
            Period::Months(n) => from.checked_add_months(Months::new(n)).unwrap_or(NaiveDate::MAX),
            Period::WorkingDays(n) => cal.add_working_days(from, n),
        }
    }
}

/// One deadline of a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineRule {
    pub kind: DeadlineKind,
    pub anchor: Anchor,
    pub period: Period,
}

/// A board's timetable: the deadlines of the procedure it runs (`kind`, see
/// `crate::profile`), which a board may lengthen or shorten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcedureProfile {
    /// The procedure; timetables stored before there were two are the 2010 one.
    #[serde(default)]
    pub kind: ProfileKind,
    pub name: String,
    pub rules: Vec<DeadlineRule>,
    /// A deadline is at risk this many days before it is due.
    pub at_risk_days: u32,
}

impl ProcedureProfile {
    /// The timetable of a procedure, as its profile sets it.
    pub fn of(kind: ProfileKind) -> Self {
        Self { kind, name: kind.title().to_owned(), rules: Profile::of(kind).deadlines.to_vec(), at_risk_days: 7 }
    }

    /// Working Together 2010, chapter 8, as Stockport's chapter 11 applies it.
    pub fn working_together_2010() -> Self {
        Self::of(ProfileKind::SeriousCaseReview2010)
    }

    /// Today's route in England: rapid review and local child safeguarding practice review.
    pub fn practice_review_2023() -> Self {
        Self::of(ProfileKind::PracticeReview2023)
    }

    /// The deadlines that start when `anchor` happens on `on`.
    pub fn deadlines_from(&self, anchor: Anchor, on: NaiveDate, cal: &Calendar) -> Vec<Deadline> {
        self.rules
            .iter()
            .filter(|r| r.anchor == anchor)
            .map(|r| Deadline::new(r.kind, on, r.period.after(on, cal)))
            .collect()
    }
}

str_enum! {
    /// Where a deadline stands on a given day.
    pub enum DeadlineStatus {
        OnTrack => "on_track", "On track";
        AtRisk => "at_risk", "At risk";
        Overdue => "overdue", "Overdue";
        Met => "met", "Met";
        MetLate => "met_late", "Met late";
    }
}

/// An extension granted, kept for the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    pub kind: DeadlineKind,
    pub starts: NaiveDate,
    pub due: NaiveDate,
    pub met_on: Option<NaiveDate>,
    pub extensions: Vec<Extension>,
}

impl Deadline {
    pub fn new(kind: DeadlineKind, starts: NaiveDate, due: NaiveDate) -> Self {
        Self { kind, starts, due, met_on: None, extensions: Vec::new() }
    }

    /// The due date before any extension.
    pub fn original_due(&self) -> NaiveDate {
        self.extensions.first().map_or(self.due, |e| e.from)
    }

    pub fn status(&self, today: NaiveDate, at_risk_days: u32) -> DeadlineStatus {
        status(self.due, self.met_on, today, at_risk_days)
    }

    /// Moves the due date later, keeping the old one and the reason in the history.
    pub fn extend(&mut self, to: NaiveDate, reason: &str) -> Result<(), ValidationError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(ValidationError::new("reason", "Give the reason for the extension"));
        }
        if self.met_on.is_some() {
            return Err(ValidationError::new("dueOn", "This deadline has been met and cannot be extended"));
        }
        if to <= self.due {
            return Err(ValidationError::new("dueOn", "The new due date must be after the current one"));
        }
        self.extensions.push(Extension { from: self.due, to, reason: reason.to_owned() });
        self.due = to;
        Ok(())
    }
}

/// The status rule on its own, for records that keep only the dates.
pub fn status(due: NaiveDate, met_on: Option<NaiveDate>, today: NaiveDate, at_risk_days: u32) -> DeadlineStatus {
    match met_on {
        Some(m) if m <= due => DeadlineStatus::Met,
        Some(_) => DeadlineStatus::MetLate,
        None if today > due => DeadlineStatus::Overdue,
        None if (due - today).num_days() <= i64::from(at_risk_days) => DeadlineStatus::AtRisk,
        None => DeadlineStatus::OnTrack,
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
    fn the_default_profile_has_the_five_deadlines_of_the_procedure() {
        let p = ProcedureProfile::working_together_2010();
        assert_eq!(p.name, "Serious Case Review (Working Together 2010, chapter 8)");
        let from_referral = p.deadlines_from(Anchor::Referral, d(2026, 1, 1), &Calendar::default());
        assert_eq!(
            from_referral.iter().map(|x| (x.kind, x.due)).collect::<Vec<_>>(),
            vec![(DeadlineKind::PanelRecommendation, d(2026, 1, 29)), (DeadlineKind::ChairDecision, d(2026, 1, 29)),]
        );
        let from_decision = p.deadlines_from(Anchor::Decision, d(2026, 1, 31), &Calendar::default());
        assert_eq!(
            from_decision.iter().map(|x| (x.kind, x.due)).collect::<Vec<_>>(),
            vec![
                (DeadlineKind::TermsToOfsted, d(2026, 2, 14)),
                (DeadlineKind::ImrSubmission, d(2026, 3, 14)),
                // Six months from 31 January ends on the last day of July.
                (DeadlineKind::Completion, d(2026, 7, 31)),
            ]
        );
        assert_eq!(p.at_risk_days, 7);
    }

    #[test]
    fn six_months_from_the_end_of_august_is_the_end_of_february() {
        assert_eq!(Period::Months(6).after(d(2025, 8, 31), &Calendar::default()), d(2026, 2, 28));
    }

    #[test]
    fn the_2023_route_counts_its_clocks_in_working_days() {
        let cal = Calendar::england_and_wales();
        // Friday 2 January 2026 + 15 working days = Friday 23 January.
        assert_eq!(Period::WorkingDays(15).after(d(2026, 1, 2), &cal), d(2026, 1, 23));
        let p = ProcedureProfile::practice_review_2023();
        // Aware on Thursday 24 December 2026: notify within 5 working days, past
        // Christmas, the Boxing Day substitute (28th) and New Year's Day: Tuesday 5 January 2027.
        let aware = p.deadlines_from(Anchor::Referral, d(2026, 12, 24), &cal);
        assert_eq!(
            aware.iter().map(|x| (x.kind, x.due)).collect::<Vec<_>>(),
            [(DeadlineKind::IncidentNotification, d(2027, 1, 5))]
        );
        // Notified on a bank holiday (Easter Monday 6 April 2026): 15 working days run
        // from the next working day, to Monday 27 April.
        let notified = p.deadlines_from(Anchor::Notification, d(2026, 4, 6), &cal);
        assert_eq!(
            notified.iter().map(|x| (x.kind, x.due)).collect::<Vec<_>>(),
            [(DeadlineKind::RapidReview, d(2026, 4, 27))]
        );
        let commissioned = p.deadlines_from(Anchor::Commissioning, d(2026, 8, 31), &cal);
        assert_eq!(commissioned[0].kind, DeadlineKind::LocalReviewPublication);
        assert_eq!(commissioned[0].due, d(2027, 2, 28));
    }

    #[test]
    fn status_is_on_track_then_at_risk_seven_days_before_then_overdue() {
        let due = d(2026, 3, 31);
        assert_eq!(status(due, None, d(2026, 3, 23), 7), DeadlineStatus::OnTrack);
        assert_eq!(status(due, None, d(2026, 3, 24), 7), DeadlineStatus::AtRisk);
        assert_eq!(status(due, None, due, 7), DeadlineStatus::AtRisk);
        assert_eq!(status(due, None, d(2026, 4, 1), 7), DeadlineStatus::Overdue);
    }

    #[test]
    fn a_met_deadline_records_whether_it_was_met_on_time() {
        let due = d(2026, 3, 31);
        assert_eq!(status(due, Some(due), d(2027, 1, 1), 7), DeadlineStatus::Met);
        assert_eq!(status(due, Some(d(2026, 4, 2)), d(2027, 1, 1), 7), DeadlineStatus::MetLate);
    }

    #[test]
    fn an_extension_needs_a_reason_and_a_later_date_and_keeps_history() {
        let mut dl = Deadline::new(DeadlineKind::Completion, d(2026, 1, 1), d(2026, 7, 1));
        assert_eq!(dl.extend(d(2026, 9, 1), "  ").unwrap_err().field, "reason");
        assert_eq!(dl.extend(d(2026, 6, 1), "criminal trial").unwrap_err().field, "dueOn");
        dl.extend(d(2026, 9, 1), "criminal trial").unwrap();
        dl.extend(d(2026, 10, 1), "inquest adjourned").unwrap();
        assert_eq!(dl.due, d(2026, 10, 1));
        assert_eq!(dl.original_due(), d(2026, 7, 1));
        assert_eq!(dl.extensions.len(), 2);
        assert_eq!(dl.extensions[1].from, d(2026, 9, 1));
    }

    #[test]
    fn a_met_deadline_cannot_be_extended() {
        let mut dl = Deadline::new(DeadlineKind::ChairDecision, d(2026, 1, 1), d(2026, 1, 29));
        dl.met_on = Some(d(2026, 1, 20));
        assert!(dl.extend(d(2026, 2, 20), "late").is_err());
    }

    fn arb_date() -> impl Strategy<Value = NaiveDate> {
        (0i64..20_000).prop_map(|n| d(1990, 1, 1) + chrono::Duration::days(n))
    }

    fn arb_period() -> impl Strategy<Value = Period> {
        prop_oneof![
            (1u32..400).prop_map(Period::Days),
            (1u32..100).prop_map(Period::WorkingDays),
            (1u32..60).prop_map(Period::Weeks),
            (1u32..24).prop_map(Period::Months),
        ]
    }

    proptest! {
        #[test]
        fn a_due_date_is_always_after_its_start(from in arb_date(), p in arb_period()) {
            prop_assert!(p.after(from, &Calendar::england_and_wales()) > from);
        }

        #[test]
        fn an_unmet_deadline_only_gets_worse_as_days_pass(due in arb_date(), a in arb_date(), b in arb_date()) {
            let (early, late) = if a <= b { (a, b) } else { (b, a) };
            let rank = |s: DeadlineStatus| match s { DeadlineStatus::OnTrack => 0, DeadlineStatus::AtRisk => 1, _ => 2 };
            prop_assert!(rank(status(due, None, early, 7)) <= rank(status(due, None, late, 7)));
        }

        #[test]
        fn extensions_only_move_later_and_the_original_due_date_survives(
            start in arb_date(), p in arb_period(), steps in proptest::collection::vec(-30i64..90, 1..6)
        ) {
            let mut dl = Deadline::new(DeadlineKind::Completion, start, p.after(start, &Calendar::default()));
            let original = dl.due;
            for s in steps {
                let before = dl.due;
                let to = before + chrono::Duration::days(s);
                match dl.extend(to, "reason") {
                    Ok(()) => prop_assert!(dl.due > before),
                    Err(_) => prop_assert_eq!(dl.due, before),
                }
            }
            prop_assert_eq!(dl.original_due(), original);
            for w in dl.extensions.windows(2) {
                prop_assert_eq!(w[0].to, w[1].from);
            }
        }
    }
}
