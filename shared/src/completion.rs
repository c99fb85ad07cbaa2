//! The completion phase (SPEC stages 13 to 18; 11.17 to 11.22): the dated facts a
//! review records on its way to conclusion, actions and their closure, and the rules
//! that gate publication and conclusion.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ValidationError;
use crate::role::str_enum;

str_enum! {
    /// A dated fact of the completion phase.
    pub enum Milestone {
        QualityAssured => "quality_assured", "Quality assured by the Initial Panel";
        Approved => "approved", "Approved by the Board Chair";
        Submitted => "submitted", "Submitted to Ofsted and the Department for Education";
        ExtensionLetter => "extension_letter", "Extension letter to Ofsted";
        InterimReport => "interim_report", "Interim report to Ofsted";
        Evaluation => "evaluation", "Ofsted evaluation letter";
        PlanningMeeting => "planning_meeting", "Action-plan planning meeting";
        PublicationPlan => "publication_plan", "Publication plan";
        Notice => "notice", "Advance notice of publication";
        Published => "published", "Published";
        GovernmentOfficeNotice => "government_office_notice", "Government Office told of the conclusion";
    }
}

str_enum! {
    /// Who is told in advance of publication (11.20).
    pub enum NoticeBody {
        DepartmentForEducation => "dfe", "Department for Education";
        Ofsted => "ofsted", "Ofsted";
        StrategicHealthAuthority => "sha", "Strategic health authority";
        CareQualityCommission => "cqc", "Care Quality Commission";
        Hmic => "hmic", "HM Inspectorate of Constabulary";
        Hmip => "hmip", "HM Inspectorate of Prisons";
        HmiProbation => "hmi_probation", "HM Inspectorate of Probation";
        YouthJusticeBoard => "yjb", "Youth Justice Board";
        PrisonsOmbudsman => "ppo", "Prisons and Probation Ombudsman";
        Family => "family", "The family";
    }
}

/// The bodies that must be told before publication under the 2010 procedure: all of
/// 11.20 and the family, plus the Youth Justice Board and the Prisons and Probation
/// Ombudsman when the child died in custody. A local review of the 2023 route tells the
/// family; its report has gone to the National Panel and the Secretary of State when it
/// was sent to them.
pub fn required_notices(kind: crate::profile::ProfileKind, died_in_custody: bool) -> Vec<NoticeBody> {
    if kind == crate::profile::ProfileKind::PracticeReview2023 {
        return vec![NoticeBody::Family];
    }
    NoticeBody::ALL
        .iter()
        .copied()
        .filter(|b| died_in_custody || !matches!(b, NoticeBody::YouthJusticeBoard | NoticeBody::PrisonsOmbudsman))
        .collect()
}

str_enum! {
    /// Where an action of the plan stands.
    pub enum ActionStatus {
        Open => "open", "Open";
        ClosureRequested => "closure_requested", "Closure requested";
        Implemented => "implemented", "Implemented";
    }
}

/// What publication needs to know of the review.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationFacts {
    pub planned_on: Option<NaiveDate>,
    /// Parallel processes still open (their titles).
    pub open_processes: Vec<String>,
    pub override_reason: Option<String>,
    /// Whether the report is published with the summary; if not, the reasons.
    pub together: bool,
    pub apart_reasons: Option<String>,
    pub notices_missing: Vec<NoticeBody>,
    /// The summary passes the anonymisation gate.
    pub summary_passes_gate: bool,
}

/// Every reason the review may not be published now (11.17 to 11.20).
pub fn publication_problems(f: &PublicationFacts) -> Vec<ValidationError> {
    let mut out = Vec::new();
    if f.planned_on.is_none() {
        out.push(ValidationError::new("plan", "Record the publication plan first"));
    }
    let overridden = f.override_reason.as_deref().is_some_and(|r| !r.trim().is_empty());
    if !f.open_processes.is_empty() && !overridden {
        out.push(ValidationError::new(
            "overrideReason",
            format!(
                "Publication waits for {} to conclude, unless you record why it should go ahead",
                f.open_processes.join(", ")
            ),
        ));
    }
    if !f.together && f.apart_reasons.as_deref().is_none_or(|r| r.trim().is_empty()) {
        out.push(ValidationError::new(
            "plan",
            "The report and the summary are published together unless compelling reasons are recorded",
        ));
    }
    for b in &f.notices_missing {
        let who = b.title().strip_prefix("The ").map_or_else(|| b.title().to_owned(), |r| format!("the {r}"));
        out.push(ValidationError::new("notices", format!("Tell {who} before publication")));
    }
    if !f.summary_passes_gate {
        out.push(ValidationError::new("summary", "The executive summary still names someone: it cannot be published"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ready() -> PublicationFacts {
        PublicationFacts {
            planned_on: NaiveDate::from_ymd_opt(2027, 3, 1),
            together: true,
            summary_passes_gate: true,
            ..Default::default()
        }
    }

    #[test]
    fn a_planned_anonymised_review_with_every_notice_sent_may_be_published() {
        assert!(publication_problems(&ready()).is_empty());
    }

    #[test]
    fn an_open_criminal_trial_blocks_publication_unless_an_override_is_recorded() {
        let f = PublicationFacts { open_processes: vec!["Criminal proceedings".into()], ..ready() };
        let p = publication_problems(&f);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].field, "overrideReason");
        assert!(p[0].message.contains("Criminal proceedings"));
        let f = PublicationFacts { override_reason: Some("The court agreed".into()), ..f };
        assert!(publication_problems(&f).is_empty());
        let f = PublicationFacts { override_reason: Some("  ".into()), ..f };
        assert_eq!(publication_problems(&f).len(), 1, "a blank reason is no reason");
    }

    #[test]
    fn every_missing_notice_and_every_other_gap_is_listed() {
        let f = PublicationFacts {
            planned_on: None,
            together: false,
            summary_passes_gate: false,
            notices_missing: vec![NoticeBody::Ofsted, NoticeBody::Family],
            ..Default::default()
        };
        let fields: Vec<String> = publication_problems(&f).into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["plan", "plan", "notices", "notices", "summary"]);
    }

    #[test]
    fn custody_adds_the_youth_justice_board_and_the_ombudsman() {
        use crate::profile::ProfileKind::{PracticeReview2023, SeriousCaseReview2010};
        assert!(!required_notices(SeriousCaseReview2010, false).contains(&NoticeBody::YouthJusticeBoard));
        assert!(required_notices(SeriousCaseReview2010, true).contains(&NoticeBody::PrisonsOmbudsman));
        assert!(required_notices(SeriousCaseReview2010, false).contains(&NoticeBody::Family));
        assert_eq!(required_notices(SeriousCaseReview2010, true).len(), NoticeBody::ALL.len());
        assert_eq!(required_notices(PracticeReview2023, true), [NoticeBody::Family]);
    }
}

/// The largest evidence file accepted.
pub const MAX_EVIDENCE_BYTES: usize = 5 * 1024 * 1024;

str_enum! {
    /// The kinds of file accepted as evidence of progress, told by their content.
    pub enum EvidenceKind {
        Pdf => "pdf", "PDF document";
        Docx => "docx", "Word document";
        Png => "png", "PNG image";
        Jpeg => "jpeg", "JPEG image";
        Text => "text", "Plain text";
    }
}

impl EvidenceKind {
    pub fn content_type(self) -> &'static str {
        match self {
            EvidenceKind::Pdf => "application/pdf",
            EvidenceKind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            EvidenceKind::Png => "image/png",
            EvidenceKind::Jpeg => "image/jpeg",
            EvidenceKind::Text => "text/plain; charset=utf-8",
        }
    }
}

/// What an uploaded file is, from its first bytes, never from the name or the type
/// the browser sent. Anything else is refused with the reason.
/// A file's name as uploaded, without control characters or invisible formatting ones
/// (bidirectional overrides that make "exe.txt" show as "txt.exe", zero-width spaces).
pub fn clean_file_name(name: &str) -> String {
    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
    name.chars()
        .filter(|c| !matches!(c.general_category(), GeneralCategory::Control | GeneralCategory::Format))
        .collect()
}

/// Whether a file of `len` bytes may be attached: checked by the browser before it
/// sends anything, and by the server on what arrives.
pub fn check_evidence_size(len: usize) -> Result<(), ValidationError> {
    if len == 0 {
        return Err(ValidationError::new("file", "The file is empty"));
    }
    if len > MAX_EVIDENCE_BYTES {
        return Err(ValidationError::new("file", "The file is larger than 5 MB: attach a smaller one, or split it"));
    }
    Ok(())
}

pub fn check_evidence(name: &str, bytes: &[u8]) -> Result<EvidenceKind, ValidationError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.contains(['/', '\\']) || name.chars().any(char::is_control)
    {
        return Err(ValidationError::new("name", "Give the file a plain name of up to 200 characters"));
    }
    check_evidence_size(bytes.len())?;
    let kind = if bytes.starts_with(b"%PDF-") {
        EvidenceKind::Pdf
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        EvidenceKind::Png
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        EvidenceKind::Jpeg
    } else if bytes.starts_with(b"PK\x03\x04") && name.to_lowercase().ends_with(".docx") {
        EvidenceKind::Docx
    } else if std::str::from_utf8(bytes).is_ok_and(|t| !t.chars().any(|c| c.is_control() && !"\n\r\t".contains(c))) {
        EvidenceKind::Text
    } else {
        return Err(ValidationError::new("file", "Accepted files: PDF, Word (.docx), PNG, JPEG or plain text"));
    };
    Ok(kind)
}

#[cfg(test)]
mod evidence_tests {
    use super::*;

    #[test]
    fn upload_names_lose_control_and_bidirectional_characters() {
        assert_eq!(clean_file_name("report\u{202E}fdp.exe\u{200B}\u{0007}"), "reportfdp.exe");
        assert_eq!(clean_file_name("Plan – Brontë.pdf"), "Plan – Brontë.pdf");
    }

    #[test]
    fn files_are_told_by_their_content_and_limited_in_size() {
        assert_eq!(check_evidence("audit.pdf", b"%PDF-1.7 ...").unwrap(), EvidenceKind::Pdf);
        assert_eq!(check_evidence("notes.txt", "Attendance: 40".as_bytes()).unwrap(), EvidenceKind::Text);
        assert_eq!(check_evidence("photo.png", b"\x89PNG\r\n\x1a\n....").unwrap(), EvidenceKind::Png);
        // A program renamed to .pdf is still refused.
        assert_eq!(check_evidence("audit.pdf", b"MZ\x90\x00\x03\x00\x00\x00").unwrap_err().field, "file");
        assert_eq!(check_evidence("x.zip", b"PK\x03\x04rest").unwrap_err().field, "file");
        assert_eq!(check_evidence("../../etc/passwd", b"x").unwrap_err().field, "name");
        assert_eq!(check_evidence("a.txt", b"").unwrap_err().field, "file");
        assert_eq!(check_evidence("a.txt", &vec![b'a'; MAX_EVIDENCE_BYTES + 1]).unwrap_err().field, "file");
    }
}
