//! The stages of a review (SPEC 2) and which stage each step may be taken in.

use crate::role::str_enum;

str_enum! {
    /// Where a case stands. Stages 1 to 18 follow the procedure; a case not taken to
    /// review ends at `ClosedWithoutReview` once Ofsted has been told.
    pub enum Stage {
        Referred => "referred", "Referral received";
        CriteriaAssessed => "criteria_assessed", "Criteria assessed";
        Recommended => "recommended", "Panel recommendation made";
        Decided => "decided", "Chair decision made";
        OfstedNotified => "ofsted_notified", "Ofsted notified";
        SetUp => "set_up", "Review set up";
        TermsAgreed => "terms_agreed", "Terms of reference agreed";
        ImrsRequested => "imrs_requested", "IMRs requested";
        ImrsSubmitted => "imrs_submitted", "IMRs submitted";
        CombinedChronology => "combined_chronology", "Combined chronology";
        Analysis => "analysis", "Analysis and family consulted";
        OverviewReport => "overview_report", "Overview report and executive summary";
        QualityAssured => "quality_assured", "Quality assurance and approval";
        Submitted => "submitted", "Submitted to Ofsted and DfE";
        Evaluated => "evaluated", "Ofsted evaluation";
        ActionPlanning => "action_planning", "Action planning and monitoring";
        Published => "published", "Published";
        Concluded => "concluded", "Concluded";
        ClosedWithoutReview => "closed_without_review", "Closed without a review";
    }
}

impl Stage {
    /// The procedure's stage number (SPEC 2); the closed-without-review end counts as 5,
    /// where Ofsted is told of the decision.
    pub fn number(self) -> u8 {
        match self {
            Stage::ClosedWithoutReview => 5,
            other => Self::ALL
                .iter()
                .position(|s| *s == other)
                .map_or(0, |p| p as u8 + 1),
        }
    }

    /// Whether the decision phase (stages 1 to 7) is over.
    pub fn is_past_decision_phase(self) -> bool {
        self != Stage::ClosedWithoutReview && self.number() >= Stage::TermsAgreed.number()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_are_numbered_as_in_the_procedure() {
        assert_eq!(Stage::Referred.number(), 1);
        assert_eq!(Stage::TermsAgreed.number(), 7);
        assert_eq!(Stage::Concluded.number(), 18);
        assert_eq!(Stage::ClosedWithoutReview.number(), 5);
    }

    #[test]
    fn stages_order_by_their_place_in_the_procedure() {
        assert!(Stage::Referred < Stage::Decided);
        assert!(Stage::SetUp < Stage::TermsAgreed);
    }
}
