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
        // The rapid review and local child safeguarding practice review route (2023).
        IncidentNotified => "incident_notified", "Serious incident notified to the National Panel";
        InformationRequested => "information_requested", "Agencies' information requested for the rapid review";
        RapidReviewMeeting => "rapid_review_meeting", "Rapid review meeting held";
        RapidReviewDecided => "rapid_review_decided", "Rapid review decision made";
        SentToNationalPanel => "sent_to_national_panel", "Rapid review sent to the National Panel";
        NationalPanelResponded => "national_panel_responded", "National Panel's response recorded";
        ClosedWithLearning => "closed_with_learning", "No further review: learning recorded";
        ReviewCommissioned => "review_commissioned", "Local child safeguarding practice review commissioned";
    }
}

impl Stage {
    /// The 2010 procedure's stage number (SPEC 2); the closed-without-review end counts
    /// as 5, where Ofsted is told of the decision. A stage of another profile is
    /// numbered by that profile (`Profile::number`).
    pub fn number(self) -> u8 {
        match self {
            Stage::ClosedWithoutReview => 5,
            other => Self::ALL.iter().position(|s| *s == other).map_or(0, |p| p as u8 + 1),
        }
    }

    /// Whether the decision phase is over: the terms of reference agreed, under either
    /// profile.
    pub fn is_past_decision_phase(self) -> bool {
        use Stage::*;
        matches!(
            self,
            TermsAgreed
                | ImrsRequested
                | ImrsSubmitted
                | CombinedChronology
                | Analysis
                | OverviewReport
                | QualityAssured
                | Submitted
                | Evaluated
                | ActionPlanning
                | Published
                | Concluded
        )
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

str_enum! {
    /// What happens to a case not taken to a full review (11.6.1).
    pub enum NoReviewOutcome {
        ImrsOnly => "imrs_only", "Individual management reviews only";
        SmallScaleAudit => "small_scale_audit", "Small-scale audit";
        NoFurtherAction => "no_further_action", "No further action";
    }
}

str_enum! {
    /// The items of the set-up checklist (Appendix 3, "Following Referral").
    pub enum ChecklistItem {
        AgenciesNotified => "agencies_notified", "Agencies notified and asked to designate staff";
        DesignatedStaffNamed => "designated_staff_named", "Designated staff named";
        RecordsSecured => "records_secured", "Records secured";
        PractitionersInformed => "practitioners_informed", "Practitioners informed";
        MediaStrategy => "media_strategy", "Media strategy agreed, or recorded as not needed";
    }
}

str_enum! {
    /// How a person stands to the child of the review.
    pub enum Relationship {
        Child => "child", "Child";
        Sibling => "sibling", "Sibling";
        Mother => "mother", "Mother";
        Father => "father", "Father";
        Carer => "carer", "Carer";
        AllegedPerpetrator => "alleged_perpetrator", "Alleged perpetrator";
        HouseholdMember => "household_member", "Household member";
        Professional => "professional", "Professional";
    }
}

impl Relationship {
    /// The label a person gets when none is given: "Mother", "Sibling 2". `n` counts
    /// people of the same relationship already in the review.
    pub fn default_label(self, n: usize) -> String {
        match self {
            Relationship::Child => {
                let letter = char::from(b'A' + (n % 26) as u8);
                format!("Child {letter}")
            }
            Relationship::Mother | Relationship::Father if n == 0 => self.title().to_owned(),
            other => format!("{} {}", other.title(), n + 1),
        }
    }
}

#[cfg(test)]
mod label_tests {
    use super::*;

    #[test]
    fn default_labels_follow_the_usual_anonymised_forms() {
        assert_eq!(Relationship::Child.default_label(0), "Child A");
        assert_eq!(Relationship::Child.default_label(1), "Child B");
        assert_eq!(Relationship::Mother.default_label(0), "Mother");
        assert_eq!(Relationship::Mother.default_label(1), "Mother 2");
        assert_eq!(Relationship::Professional.default_label(0), "Professional 1");
    }
}

str_enum! {
    /// Processes that run beside a review and bear on its timing and publication (SPEC 4; 11.7, 11.20).
    pub enum ParallelProcessKind {
        CriminalProceedings => "criminal_proceedings", "Criminal proceedings";
        Inquest => "inquest", "Inquest";
        DomesticHomicideReview => "domestic_homicide_review", "Domestic homicide review";
        OmbudsmanInvestigation => "ombudsman_investigation", "Prisons and Probation Ombudsman investigation";
        MappaReview => "mappa_review", "MAPPA serious case review";
        SeriousFurtherOffence => "serious_further_offence", "Serious further offence review";
        NhsSeriousIncident => "nhs_serious_incident", "NHS serious incident investigation";
        YouthJusticeReview => "youth_justice_review", "Youth justice review";
        Disciplinary => "disciplinary", "Disciplinary proceedings";
    }
}

str_enum! {
    /// Where a parallel process stands.
    pub enum ProcessStatus {
        Expected => "expected", "Expected";
        Open => "open", "Open";
        Concluded => "concluded", "Concluded";
    }
}

str_enum! {
    /// How a family member contributed to the review (Appendix 3, "within six months").
    pub enum ContributionMethod {
        Meeting => "meeting", "Meeting";
        HomeVisit => "home_visit", "Home visit";
        Telephone => "telephone", "Telephone";
        Letter => "letter", "Letter or e-mail";
        Declined => "declined", "Declined to take part";
    }
}
