//! The panel's findings and their learning themes (SPEC 4, procedure 11.21 and 11.22):
//! each finding is tagged with one or more themes from one shared list, so the board
//! can see which lessons recur across reviews.

use crate::ValidationError;
use crate::role::str_enum;

str_enum! {
    /// A learning theme: the tags the board reports on across reviews.
    pub enum Theme {
        InformationSharing => "information_sharing", "Information sharing between agencies";
        RiskAssessment => "risk_assessment", "Assessment of risk";
        VoiceOfTheChild => "voice_of_the_child", "The child's voice and daily life";
        Neglect => "neglect", "Recognising and responding to neglect";
        DomesticAbuse => "domestic_abuse", "Domestic abuse";
        ParentalMentalHealth => "parental_mental_health", "Parental mental health";
        SubstanceMisuse => "substance_misuse", "Parental substance misuse";
        MenInTheHousehold => "men_in_the_household", "Men in the household";
        Supervision => "supervision", "Supervision and management oversight";
        Escalation => "escalation", "Thresholds and escalation";
        DisguisedCompliance => "disguised_compliance", "Disguised compliance";
        WasNotBrought => "was_not_brought", "Missed appointments (was not brought)";
        RecordKeeping => "record_keeping", "Record keeping";
    }
}

/// The longest finding, in characters.
pub const MAX_FINDING_CHARS: usize = 4000;

/// What is wrong with a finding as given, by field: `text` and `themes`.
pub fn finding_problems(text: &str, themes: &[Theme]) -> Vec<ValidationError> {
    let mut out = Vec::new();
    if text.trim().is_empty() {
        out.push(ValidationError::new("text", "Write the finding"));
    } else if text.chars().count() > MAX_FINDING_CHARS {
        out.push(ValidationError::new("text", format!("Keep the finding under {MAX_FINDING_CHARS} characters")));
    } else if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        out.push(ValidationError::new("text", "Remove the control characters from the text"));
    }
    if themes.is_empty() {
        out.push(ValidationError::new("themes", "Tag the finding with at least one learning theme"));
    }
    let mut seen = themes.to_vec();
    seen.sort();
    seen.dedup();
    if seen.len() != themes.len() {
        out.push(ValidationError::new("themes", "Each theme once"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_needs_text_and_at_least_one_theme() {
        let fields = |p: Vec<ValidationError>| p.into_iter().map(|e| e.field).collect::<Vec<_>>();
        assert_eq!(fields(finding_problems("  ", &[])), ["text", "themes"]);
        assert!(finding_problems("Agencies did not share the referral", &[Theme::InformationSharing]).is_empty());
        assert_eq!(fields(finding_problems("x", &[Theme::Neglect, Theme::Neglect])), ["themes"]);
        assert_eq!(fields(finding_problems(&"x".repeat(MAX_FINDING_CHARS + 1), &[Theme::Neglect])), ["text"]);
        assert_eq!(fields(finding_problems("a\u{0}b", &[Theme::Neglect])), ["text"]);
        assert!(finding_problems("line one\nline two", &[Theme::Neglect]).is_empty());
    }

    #[test]
    fn every_theme_round_trips_through_its_stable_name() {
        for t in Theme::ALL {
            assert_eq!(Theme::parse(t.as_str()), Some(*t));
        }
    }
}
