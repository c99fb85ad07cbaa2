//! Individual Management Reviews (11.12, 11.13): the sections an IMR must complete,
//! the analysis questions, and the SMART check on each recommendation.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::value::ValidationError;
use crate::{AgencyId, role::str_enum};

/// The analysis questions of 11.13, each to be answered.
pub const ANALYSIS_QUESTIONS: [&str; 12] = [
    "Were judgements made, or actions taken, that indicate practice or management could be improved?",
    "Were practitioners aware of and sensitive to the needs of the children, knowledgeable about indicators of abuse or neglect, and did they know what to do if they had concerns about a child?",
    "Were adequate policies and procedures in place?",
    "Were key opportunities for assessment and decision-making taken, so that decisions were made in an informed way?",
    "Did actions and interventions reflect the assessments and decisions made?",
    "Were appropriate child protection or care plans in place, and were procedures adequate, followed and complied with?",
    "Were the child's wishes and feelings ascertained and recorded?",
    "Were racial, cultural, linguistic and religious issues addressed?",
    "Were senior managers or other professionals involved appropriately?",
    "Was practice consistent with the organisation's and the board's policies, procedures and wider professional standards?",
    "Were there issues in communication, information sharing or service delivery between those working in office hours and those providing out-of-hours services?",
    "Were there organisational difficulties within or between agencies, including capacity, staffing or resourcing, and did they affect the case?",
];

str_enum! {
    /// The sections of an IMR (11.13 and Appendix 3).
    pub enum Section {
        Chronology => "chronology", "Chronology of involvement";
        Summary => "summary", "Summary of decisions and services";
        Analysis => "analysis", "Analysis of involvement";
        Lessons => "lessons", "Lessons learned";
        GoodPractice => "good_practice", "Good practice";
        Recommendations => "recommendations", "Recommendations";
        StaffSupport => "staff_support", "Staff support and de-briefing";
    }
}

str_enum! {
    /// Where an agency's IMR stands (stage 9).
    pub enum ImrStatus {
        Requested => "requested", "Requested, author not yet designated";
        AuthorDesignated => "author_designated", "Author designated, independence not yet declared";
        InProgress => "in_progress", "Being written";
        Submitted => "submitted", "Submitted to the panel";
        Returned => "returned", "Returned for revision";
        Accepted => "accepted", "Accepted by the panel";
    }
}

impl ImrStatus {
    /// Whether the author may still change the IMR.
    pub fn is_editable(self) -> bool {
        matches!(self, ImrStatus::InProgress | ImrStatus::Returned)
    }

    /// Whether the IMR has reached the panel (its content is no longer a draft).
    pub fn is_submitted(self) -> bool {
        matches!(self, ImrStatus::Submitted | ImrStatus::Accepted)
    }
}

/// The written sections of an IMR as saved, one version at a time. The chronology is
/// kept entry by entry beside it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Content {
    pub summary: String,
    /// One answer per `ANALYSIS_QUESTIONS`, in order.
    pub analysis: Vec<String>,
    pub lessons: String,
    pub good_practice: String,
    pub recommendations: Vec<Recommendation>,
    pub staff_support: String,
}

impl Content {
    /// The draft as the completeness check sees it, with the number of chronology entries.
    pub fn draft(&self, chronology_entries: usize) -> Draft {
        Draft {
            chronology_entries,
            summary: self.summary.clone(),
            analysis: self.analysis.clone(),
            lessons: self.lessons.clone(),
            good_practice: self.good_practice.clone(),
            recommendations: self.recommendations.clone(),
            staff_support: self.staff_support.clone(),
        }
    }

    /// Every piece of free text in the IMR, for the anonymisation gate and pseudonymisation.
    pub fn texts_mut(&mut self) -> Vec<&mut String> {
        let mut out = vec![&mut self.summary, &mut self.lessons, &mut self.good_practice, &mut self.staff_support];
        out.extend(self.analysis.iter_mut());
        for r in &mut self.recommendations {
            out.push(&mut r.action);
            out.push(&mut r.intended_outcome);
            out.push(&mut r.success_measure);
        }
        out
    }
}

/// A recommendation as drafted: every part must be there for it to be SMART.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recommendation {
    pub action: String,
    pub owner_agency: Option<AgencyId>,
    pub due: Option<NaiveDate>,
    pub intended_outcome: String,
    pub success_measure: String,
}

/// Every reason recommendation `index` is not SMART (specific action, owner agency,
/// due date after `today`, intended outcome, how success is measured).
pub fn smart_problems(r: &Recommendation, index: usize, today: NaiveDate) -> Vec<ValidationError> {
    let f = |part: &str| format!("recommendations.{index}.{part}");
    let mut out = Vec::new();
    if r.action.trim().is_empty() {
        out.push(ValidationError::new(f("action"), "Say what action is to be taken"));
    }
    if r.owner_agency.is_none() {
        out.push(ValidationError::new(f("ownerAgencyId"), "Say which agency owns the action"));
    }
    match r.due {
        None => out.push(ValidationError::new(f("due"), "Give the date the action is due")),
        Some(d) if d <= today => out.push(ValidationError::new(f("due"), "The due date must be in the future")),
        Some(_) => {}
    }
    if r.intended_outcome.trim().is_empty() {
        out.push(ValidationError::new(f("intendedOutcome"), "Say what outcome the action should bring"));
    }
    if r.success_measure.trim().is_empty() {
        out.push(ValidationError::new(f("successMeasure"), "Say how success will be measured"));
    }
    out
}

/// An IMR as drafted, as far as completeness is concerned.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub chronology_entries: usize,
    pub summary: String,
    /// One answer per `ANALYSIS_QUESTIONS`, in order.
    pub analysis: Vec<String>,
    pub lessons: String,
    pub good_practice: String,
    pub recommendations: Vec<Recommendation>,
    pub staff_support: String,
}

/// Everything that stops the draft from being submitted; empty when it may be.
pub fn submission_problems(d: &Draft, today: NaiveDate) -> Vec<ValidationError> {
    let mut out = Vec::new();
    if d.chronology_entries == 0 {
        out.push(ValidationError::new("chronology", "Add the chronology of your agency's involvement"));
    }
    let blank = |s: &str| s.trim().is_empty();
    if blank(&d.summary) {
        out.push(ValidationError::new("summary", "Summarise the decisions reached and services offered"));
    }
    for (i, q) in ANALYSIS_QUESTIONS.iter().enumerate() {
        if d.analysis.get(i).is_none_or(|a| blank(a)) {
            out.push(ValidationError::new(format!("analysis.{i}"), format!("Answer analysis question {}: {q}", i + 1)));
        }
    }
    for (field, text, what) in [
        ("lessons", &d.lessons, "Say what this case teaches your agency"),
        ("goodPractice", &d.good_practice, "Record the good practice found, or say there was none"),
        ("staffSupport", &d.staff_support, "Record the support and de-briefing offered to staff"),
    ] {
        if blank(text) {
            out.push(ValidationError::new(field, what));
        }
    }
    if d.recommendations.is_empty() {
        out.push(ValidationError::new("recommendations", "Make at least one recommendation"));
    }
    for (i, r) in d.recommendations.iter().enumerate() {
        out.extend(smart_problems(r, i, today));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
    }

    fn smart() -> Recommendation {
        Recommendation {
            action: "Train all health visitors in recognising neglect".into(),
            owner_agency: Some(AgencyId(2)),
            due: NaiveDate::from_ymd_opt(2026, 12, 1),
            intended_outcome: "Neglect is recognised at the first visit".into(),
            success_measure: "Audit of 20 cases shows referrals within a week".into(),
        }
    }

    fn complete() -> Draft {
        Draft {
            chronology_entries: 3,
            summary: "Two visits, one referral.".into(),
            analysis: vec!["Yes".into(); 12],
            lessons: "Share concerns sooner.".into(),
            good_practice: "The school referred promptly.".into(),
            recommendations: vec![smart()],
            staff_support: "De-briefing held.".into(),
        }
    }

    #[test]
    fn a_complete_draft_with_smart_recommendations_may_be_submitted() {
        assert!(submission_problems(&complete(), today()).is_empty());
    }

    #[test]
    fn every_missing_section_is_listed_by_field() {
        let d = Draft { analysis: vec!["Yes".into(); 11], ..Default::default() };
        let fields: Vec<String> = submission_problems(&d, today()).into_iter().map(|e| e.field).collect();
        for f in ["chronology", "summary", "analysis.11", "lessons", "goodPractice", "staffSupport", "recommendations"]
        {
            assert!(fields.contains(&f.to_owned()), "{f} missing from {fields:?}");
        }
        assert!(!fields.contains(&"analysis.0".to_owned()));
    }

    #[test]
    fn each_part_of_smart_is_required() {
        type Break = fn(&mut Recommendation);
        let cases: [(Break, &str); 5] = [
            (|r| r.action.clear(), "action"),
            (|r| r.owner_agency = None, "ownerAgencyId"),
            (|r| r.due = None, "due"),
            (|r| r.intended_outcome = " ".into(), "intendedOutcome"),
            (|r| r.success_measure.clear(), "successMeasure"),
        ];
        for (break_it, field) in cases {
            let mut r = smart();
            break_it(&mut r);
            let problems = smart_problems(&r, 3, today());
            assert_eq!(problems.len(), 1, "{field}");
            assert_eq!(problems[0].field, format!("recommendations.3.{field}"));
        }
    }

    #[test]
    fn only_an_imr_in_progress_or_returned_may_be_edited() {
        let editable: Vec<ImrStatus> = ImrStatus::ALL.iter().copied().filter(|s| s.is_editable()).collect();
        assert_eq!(editable, [ImrStatus::InProgress, ImrStatus::Returned]);
        assert!(!ImrStatus::Returned.is_submitted());
        assert!(ImrStatus::Accepted.is_submitted());
    }

    #[test]
    fn content_reaches_the_completeness_check_whole() {
        let c = Content {
            summary: "s".into(),
            analysis: vec!["a".into(); 12],
            lessons: "l".into(),
            good_practice: "g".into(),
            recommendations: vec![smart()],
            staff_support: "t".into(),
        };
        assert!(submission_problems(&c.draft(1), today()).is_empty());
        assert_eq!(submission_problems(&c.draft(0), today())[0].field, "chronology");
        let mut c2 = c.clone();
        assert_eq!(c2.texts_mut().len(), 4 + 12 + 3);
    }

    #[test]
    fn a_due_date_in_the_past_is_not_smart() {
        let r = Recommendation { due: NaiveDate::from_ymd_opt(2026, 1, 1), ..smart() };
        assert_eq!(smart_problems(&r, 0, today())[0].message, "The due date must be in the future");
    }
}
