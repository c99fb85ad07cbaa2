//! The overview report (11.14) and the executive summary (11.16): their outlines,
//! and the summary's first draft taken from the report.

use serde::{Deserialize, Serialize};

use crate::role::str_enum;

str_enum! {
    /// The outline of the overview report (11.14).
    pub enum ReportSection {
        Introduction => "introduction", "Introduction";
        Facts => "facts", "The facts";
        Analysis => "analysis", "Analysis";
        Conclusions => "conclusions", "Conclusions and recommendations";
    }
}

str_enum! {
    /// The outline of the executive summary (11.16).
    pub enum SummarySection {
        Introduction => "introduction", "Introduction";
        Facts => "facts", "The facts and summary of events";
        KeyIssues => "key_issues", "Key issues and themes";
        Priorities => "priorities", "Priorities for learning and change";
    }
}

/// A document written in sections: the text of each section of the outline `S`, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sections(pub Vec<String>);

impl Sections {
    /// Every section empty.
    pub fn empty(count: usize) -> Self {
        Sections(vec![String::new(); count])
    }

    /// The text of section `i`, empty when not written.
    pub fn get(&self, i: usize) -> &str {
        self.0.get(i).map_or("", String::as_str)
    }

    /// The sections still empty, by index.
    pub fn empty_sections(&self, count: usize) -> Vec<usize> {
        (0..count).filter(|i| self.get(*i).trim().is_empty()).collect()
    }
}

/// The executive summary's first draft: each of its sections starts from the report's
/// matching section, for the panel to cut down and edit (11.16 asks it to reflect the
/// full report). The analysis becomes the key issues; the conclusions the priorities.
pub fn prefill_summary(report: &Sections) -> Sections {
    let from = |s: ReportSection| report.get(ReportSection::ALL.iter().position(|x| *x == s).unwrap_or(0)).to_owned();
    Sections(
        SummarySection::ALL
            .iter()
            .map(|s| match s {
                SummarySection::Introduction => from(ReportSection::Introduction),
                SummarySection::Facts => from(ReportSection::Facts),
                SummarySection::KeyIssues => from(ReportSection::Analysis),
                SummarySection::Priorities => from(ReportSection::Conclusions),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_starts_from_the_matching_report_sections() {
        let report = Sections(vec!["intro".into(), "facts".into(), "why".into(), "do this".into()]);
        assert_eq!(prefill_summary(&report).0, ["intro", "facts", "why", "do this"]);
    }

    #[test]
    fn a_short_report_prefills_what_it_has() {
        let report = Sections(vec!["intro".into()]);
        let s = prefill_summary(&report);
        assert_eq!(s.0.len(), SummarySection::ALL.len());
        assert_eq!(s.get(0), "intro");
        assert_eq!(s.empty_sections(4), [1, 2, 3]);
    }
}
