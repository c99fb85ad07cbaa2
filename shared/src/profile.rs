//! Procedure profiles (SPEC 9): the stages a review passes through, the operations
//! allowed in each, the stage each operation moves to, the deadlines and the documents
//! expected, as data. Each board chooses its profile; each review keeps the profile it
//! started under. A third procedure (Wales's child practice reviews, safeguarding adults
//! reviews) is another table of the same shape, plus the steps that are its own.
//!
//! - The **2010 Serious Case Review** profile is the procedure of the reference text
//!   (Working Together 2010, chapter 8, as Stockport's chapter 11 applies it).
//! - The **2023 practice review** profile is today's statutory route in England
//!   (Children Act 2004 ss. 16C and 16F; Working Together to Safeguard Children 2023,
//!   chapter 5): the local authority notifies the Child Safeguarding Practice Review
//!   Panel of a serious incident within 5 working days of becoming aware of it; the
//!   safeguarding partners carry out a rapid review (the involved agencies' information,
//!   a rapid review meeting, the decision whether to commission a local child
//!   safeguarding practice review and its reasons) and send it to the National Panel
//!   within 15 working days; the National Panel responds; then either no further review,
//!   with the learning recorded, or a local review: reviewers appointed (with the
//!   independence checks), terms agreed, the agencies' contributions, a final report
//!   through the anonymisation gate, sent to the National Panel and the Secretary of
//!   State, published within six months of the decision to commission it, and its
//!   actions carried to closure.

use crate::deadline::{Anchor, DeadlineKind, DeadlineRule, Period};
use crate::policy::Operation;
use crate::role::str_enum;
use crate::stage::Stage;

str_enum! {
    /// The procedures a board may run reviews by.
    /// Named in GraphQL as `SERIOUS_CASE_REVIEW_2010` and `PRACTICE_REVIEW_2023`; serde
    /// would join the year to the word before it, so each says its name.
    pub enum ProfileKind {
        #[serde(rename = "SERIOUS_CASE_REVIEW_2010")]
        SeriousCaseReview2010 => "serious_case_review_2010",
            "Serious Case Review (Working Together 2010, chapter 8)";
        #[serde(rename = "PRACTICE_REVIEW_2023")]
        PracticeReview2023 => "practice_review_2023",
            "Rapid review and local child safeguarding practice review (Working Together 2023, chapter 5)";
    }
}

/// What timetables stored before there were two procedures ran: the 2010 one.
#[allow(clippy::derivable_impls)] // `str_enum!` writes the type; its default is said here
impl Default for ProfileKind {
    fn default() -> Self {
        ProfileKind::SeriousCaseReview2010
    }
}

/// One operation of a profile: the stages it may be taken in (`None`: any) and the
/// stages it moves the review to (empty: the stage stays; several: the step's outcome
/// chooses).
#[derive(Debug, Clone, Copy)]
pub struct StepRule {
    pub op: Operation,
    pub allowed_in: Option<&'static [Stage]>,
    pub moves_to: &'static [Stage],
}

/// A procedure as data.
#[derive(Debug)]
pub struct Profile {
    pub kind: ProfileKind,
    /// Every stage, in the order a review passes through them; the first is where a
    /// review starts.
    pub stages: &'static [Stage],
    /// The stages a review ends at.
    pub ends: &'static [Stage],
    /// Its steps, in groups: those every procedure shares and its own.
    steps: &'static [&'static [StepRule]],
    /// What a stage is called under this profile, where it differs from its own title.
    titles: &'static [(Stage, &'static str)],
    /// The documents expected by the time a review reaches a stage.
    pub documents: &'static [(Stage, &'static str)],
    /// The deadlines and what each runs from.
    pub deadlines: &'static [DeadlineRule],
}

impl Profile {
    pub fn of(kind: ProfileKind) -> &'static Profile {
        match kind {
            ProfileKind::SeriousCaseReview2010 => &SERIOUS_CASE_REVIEW_2010,
            ProfileKind::PracticeReview2023 => &PRACTICE_REVIEW_2023,
        }
    }

    fn all_steps(&self) -> impl Iterator<Item = &StepRule> + '_ {
        self.steps.iter().flat_map(|g| g.iter())
    }

    fn step(&self, op: Operation) -> Option<&StepRule> {
        self.all_steps().find(|s| s.op == op)
    }

    /// Whether the profile has the operation at all.
    pub fn has(&self, op: Operation) -> bool {
        self.step(op).is_some()
    }

    /// The stages in which `op` may be taken: `None` when stage does not matter; empty
    /// when the profile has no such step.
    pub fn allowed_in(&self, op: Operation) -> Option<&'static [Stage]> {
        match self.step(op) {
            Some(s) => s.allowed_in,
            None => Some(&[]),
        }
    }

    /// Whether `op` may be taken at `stage`.
    pub fn allows(&self, op: Operation, stage: Stage) -> bool {
        self.has(op) && self.allowed_in(op).is_none_or(|s| s.contains(&stage))
    }

    /// The stages `op` moves a review to.
    pub fn moves_to(&self, op: Operation) -> &'static [Stage] {
        self.step(op).map_or(&[], |s| s.moves_to)
    }

    /// The stage's place in the procedure, from 0; `None` when not one of its stages.
    pub fn position(&self, stage: Stage) -> Option<usize> {
        self.stages.iter().position(|s| *s == stage)
    }

    /// The stage's number as people count them, from 1.
    pub fn number(&self, stage: Stage) -> u8 {
        self.position(stage).map_or(0, |p| p as u8 + 1)
    }

    /// What the stage is called under this profile.
    pub fn title(&self, stage: Stage) -> &'static str {
        self.titles.iter().find(|(s, _)| *s == stage).map_or_else(|| stage.title(), |(_, t)| t)
    }

    pub fn is_end(&self, stage: Stage) -> bool {
        self.ends.contains(&stage)
    }

    /// Whether a move from `from` to `to` goes forward (never back to an earlier stage).
    pub fn is_forward(&self, from: Stage, to: Stage) -> bool {
        matches!((self.position(from), self.position(to)), (Some(f), Some(t)) if t > f)
    }

    /// Whether a review at `stage` has reached `other` or passed it, in this profile's
    /// order. An end reached early comes before the stages it skipped, so a case closed
    /// without a review has reached the notification but not the set-up.
    pub fn reached(&self, stage: Stage, other: Stage) -> bool {
        matches!((self.position(stage), self.position(other)), (Some(s), Some(o)) if s >= o)
    }

    /// Whether `stage` is an end that comes before the last stage (a case closed without
    /// a review, or with its learning recorded).
    pub fn ends_early(&self, stage: Stage) -> bool {
        self.is_end(stage) && self.stages.last() != Some(&stage)
    }

    /// Every operation the profile has.
    pub fn operations(&self) -> impl Iterator<Item = Operation> + '_ {
        self.all_steps().map(|s| s.op)
    }

    /// The deadlines that start when `anchor` happens.
    pub fn deadlines_from(&self, anchor: Anchor) -> impl Iterator<Item = &DeadlineRule> + '_ {
        self.deadlines.iter().filter(move |d| d.anchor == anchor)
    }
}

use Operation as O;
use Stage::*;

const fn step(op: Operation, allowed_in: &'static [Stage], moves_to: &'static [Stage]) -> StepRule {
    StepRule { op, allowed_in: Some(allowed_in), moves_to }
}

const fn anywhere(op: Operation) -> StepRule {
    StepRule { op, allowed_in: None, moves_to: &[] }
}

/// Every stage of 2010 until the report is written, where people, parallel processes
/// and family contributions are recorded and a board with an interest may be added.
const SCR_OPEN_TO_REPORT: &[Stage] = &[
    Referred,
    CriteriaAssessed,
    Recommended,
    Decided,
    OfstedNotified,
    SetUp,
    TermsAgreed,
    ImrsRequested,
    ImrsSubmitted,
    CombinedChronology,
    Analysis,
    OverviewReport,
];

/// Steps every procedure has, taken at any stage.
const ANYWHERE_STEPS: &[StepRule] = &[
    StepRule { op: O::SubmitReferral, allowed_in: None, moves_to: &[Referred] },
    anywhere(O::ManageUsers),
    anywhere(O::ManageOrganisations),
    anywhere(O::ExtendDeadline),
    anywhere(O::ExportForOutside),
    anywhere(O::OverrideGateWarning),
];

/// The steps of a review once its terms are agreed, the same under every procedure:
/// contributions, the chronology, the report, its approval and publication.
const REVIEW_STEPS: &[StepRule] = &[
    step(O::RequestImr, &[TermsAgreed, ImrsRequested], &[ImrsRequested]),
    step(O::DesignateImrAuthor, &[ImrsRequested], &[]),
    step(O::WriteImr, &[ImrsRequested], &[]),
    step(O::DecideImr, &[ImrsRequested], &[ImrsSubmitted]),
    step(O::LinkChronologyEntries, &[ImrsSubmitted, CombinedChronology, Analysis, OverviewReport], &[]),
    step(
        O::AdvancePhase,
        &[ImrsSubmitted, CombinedChronology, Analysis],
        &[CombinedChronology, Analysis, OverviewReport],
    ),
    step(O::EditOverviewReport, &[CombinedChronology, Analysis, OverviewReport], &[]),
    step(O::ConfirmRepresentation, &[OverviewReport], &[]),
    step(O::EditExecutiveSummary, &[Analysis, OverviewReport], &[]),
    step(O::RecordFinding, &[CombinedChronology, Analysis, OverviewReport, QualityAssured], &[]),
    step(O::RecordQualityAssurance, &[OverviewReport], &[QualityAssured]),
    step(O::ApproveReport, &[QualityAssured], &[]),
    step(O::SubmitReview, &[QualityAssured], &[Submitted]),
    step(O::DecideClosure, &[ActionPlanning, Published], &[]),
    step(O::PlanPublication, &[ActionPlanning], &[]),
    step(O::Publish, &[ActionPlanning], &[Published]),
    step(O::Conclude, &[Published], &[Concluded]),
];

const SCR_STEPS: &[StepRule] = &[
    anywhere(O::RecordOfstedLetter),
    step(O::RecordAssessment, &[Referred, CriteriaAssessed], &[CriteriaAssessed]),
    step(O::RecordRecommendation, &[CriteriaAssessed], &[Recommended]),
    step(O::DecideReview, &[Recommended], &[Decided]),
    step(O::RecordOfstedNotification, &[Decided], &[OfstedNotified, ClosedWithoutReview]),
    step(O::UpdateSetupChecklist, &[OfstedNotified, SetUp, TermsAgreed], &[SetUp]),
    step(O::ConfirmRecordsSecured, &[OfstedNotified, SetUp, TermsAgreed], &[]),
    step(O::Appoint, &[OfstedNotified, SetUp, TermsAgreed], &[]),
    step(O::EditTermsOfReference, &[Recommended, Decided, OfstedNotified, SetUp], &[]),
    step(O::ApproveTermsOfReference, &[SetUp], &[TermsAgreed]),
    step(O::RecordTermsSent, &[TermsAgreed], &[]),
    step(O::RecordEvaluation, &[Submitted], &[Evaluated]),
    step(O::ManageActions, &[Evaluated, ActionPlanning], &[ActionPlanning]),
    step(O::SignUpActions, &[Evaluated, ActionPlanning, Published], &[]),
    step(O::UpdateAction, &[Evaluated, ActionPlanning, Published], &[]),
    // A trial or an inquest can start, and bear on publication, at any time.
    step(
        O::RecordParallelProcess,
        &[
            Referred,
            CriteriaAssessed,
            Recommended,
            Decided,
            OfstedNotified,
            SetUp,
            TermsAgreed,
            ImrsRequested,
            ImrsSubmitted,
            CombinedChronology,
            Analysis,
            OverviewReport,
            QualityAssured,
            Submitted,
            Evaluated,
            ActionPlanning,
            Published,
        ],
        &[],
    ),
    step(O::RecordPeople, SCR_OPEN_TO_REPORT, &[]),
    step(O::AddPartnerBoard, SCR_OPEN_TO_REPORT, &[]),
    step(O::RecordFamilyContribution, SCR_OPEN_TO_REPORT, &[]),
];

/// Working Together 2010, chapter 8, as Stockport's chapter 11 applies it.
pub static SERIOUS_CASE_REVIEW_2010: Profile = Profile {
    kind: ProfileKind::SeriousCaseReview2010,
    stages: &[
        Referred,
        CriteriaAssessed,
        Recommended,
        Decided,
        OfstedNotified,
        ClosedWithoutReview,
        SetUp,
        TermsAgreed,
        ImrsRequested,
        ImrsSubmitted,
        CombinedChronology,
        Analysis,
        OverviewReport,
        QualityAssured,
        Submitted,
        Evaluated,
        ActionPlanning,
        Published,
        Concluded,
    ],
    ends: &[ClosedWithoutReview, Concluded],
    steps: &[ANYWHERE_STEPS, SCR_STEPS, REVIEW_STEPS],
    titles: &[],
    documents: &[
        (Recommended, "The scope of the review and draft terms of reference"),
        (TermsAgreed, "Terms of reference, the 19 questions of Appendix 1 answered"),
        (ImrsSubmitted, "An Individual Management Review from each involved agency"),
        (QualityAssured, "Overview report and executive summary"),
        (Evaluated, "Ofsted's evaluation letter"),
        (Published, "The executive summary and overview report, published"),
    ],
    deadlines: &[
        DeadlineRule { kind: DeadlineKind::PanelRecommendation, anchor: Anchor::Referral, period: Period::Days(28) },
        DeadlineRule { kind: DeadlineKind::ChairDecision, anchor: Anchor::Referral, period: Period::Days(28) },
        DeadlineRule { kind: DeadlineKind::TermsToOfsted, anchor: Anchor::Decision, period: Period::Days(14) },
        DeadlineRule { kind: DeadlineKind::ImrSubmission, anchor: Anchor::Decision, period: Period::Weeks(6) },
        DeadlineRule { kind: DeadlineKind::Completion, anchor: Anchor::Decision, period: Period::Months(6) },
    ],
};

/// The stages of a local review in which people, parallel processes and family
/// contributions are recorded and a board with an interest may be added.
const LCSPR_OPEN_TO_REPORT: &[Stage] = &[
    Referred,
    IncidentNotified,
    InformationRequested,
    RapidReviewMeeting,
    RapidReviewDecided,
    SentToNationalPanel,
    NationalPanelResponded,
    ReviewCommissioned,
    TermsAgreed,
    ImrsRequested,
    ImrsSubmitted,
    CombinedChronology,
    Analysis,
    OverviewReport,
];

const LCSPR_STEPS: &[StepRule] = &[
    step(O::NotifyNationalPanel, &[Referred], &[IncidentNotified]),
    step(O::RequestRapidReviewInformation, &[IncidentNotified], &[InformationRequested]),
    step(O::ReturnRapidReviewInformation, &[InformationRequested], &[]),
    step(O::RecordRapidReviewMeeting, &[InformationRequested], &[RapidReviewMeeting]),
    step(O::DecideRapidReview, &[RapidReviewMeeting], &[RapidReviewDecided]),
    step(O::SendRapidReview, &[RapidReviewDecided], &[SentToNationalPanel]),
    step(O::RecordPanelResponse, &[SentToNationalPanel], &[NationalPanelResponded]),
    step(O::RecordLearning, &[NationalPanelResponded], &[ClosedWithLearning]),
    step(O::CommissionReview, &[NationalPanelResponded], &[ReviewCommissioned]),
    step(O::Appoint, &[ReviewCommissioned, TermsAgreed], &[]),
    step(
        O::EditTermsOfReference,
        &[RapidReviewDecided, SentToNationalPanel, NationalPanelResponded, ReviewCommissioned],
        &[],
    ),
    step(O::ApproveTermsOfReference, &[ReviewCommissioned], &[TermsAgreed]),
    step(O::ManageActions, &[Submitted, ActionPlanning], &[ActionPlanning]),
    step(O::SignUpActions, &[Submitted, ActionPlanning, Published], &[]),
    step(O::UpdateAction, &[Submitted, ActionPlanning, Published], &[]),
    step(
        O::RecordParallelProcess,
        &[
            Referred,
            IncidentNotified,
            InformationRequested,
            RapidReviewMeeting,
            RapidReviewDecided,
            SentToNationalPanel,
            NationalPanelResponded,
            ReviewCommissioned,
            TermsAgreed,
            ImrsRequested,
            ImrsSubmitted,
            CombinedChronology,
            Analysis,
            OverviewReport,
            QualityAssured,
            Submitted,
            ActionPlanning,
            Published,
        ],
        &[],
    ),
    step(O::RecordPeople, LCSPR_OPEN_TO_REPORT, &[]),
    step(O::AddPartnerBoard, LCSPR_OPEN_TO_REPORT, &[]),
    step(O::RecordFamilyContribution, LCSPR_OPEN_TO_REPORT, &[]),
];

/// Today's route in England: rapid review, then a local child safeguarding practice
/// review or none.
pub static PRACTICE_REVIEW_2023: Profile = Profile {
    kind: ProfileKind::PracticeReview2023,
    stages: &[
        Referred,
        IncidentNotified,
        InformationRequested,
        RapidReviewMeeting,
        RapidReviewDecided,
        SentToNationalPanel,
        NationalPanelResponded,
        ClosedWithLearning,
        ReviewCommissioned,
        TermsAgreed,
        ImrsRequested,
        ImrsSubmitted,
        CombinedChronology,
        Analysis,
        OverviewReport,
        QualityAssured,
        Submitted,
        ActionPlanning,
        Published,
        Concluded,
    ],
    ends: &[ClosedWithLearning, Concluded],
    steps: &[ANYWHERE_STEPS, LCSPR_STEPS, REVIEW_STEPS],
    titles: &[
        (Referred, "Serious incident reported"),
        (TermsAgreed, "Terms of reference agreed"),
        (ImrsRequested, "Agencies' contributions requested"),
        (ImrsSubmitted, "Agencies' contributions received"),
        (OverviewReport, "Final report"),
        (QualityAssured, "Final report approved"),
        (Submitted, "Sent to the National Panel and the Secretary of State"),
    ],
    documents: &[
        (
            RapidReviewDecided,
            "The rapid review: each agency's information, the meeting's record, the decision and its reasons",
        ),
        (NationalPanelResponded, "The National Panel's response"),
        (ClosedWithLearning, "The learning identified by the rapid review"),
        (TermsAgreed, "Terms of reference of the local review"),
        (ImrsSubmitted, "A contribution from each involved agency"),
        (QualityAssured, "The final report"),
        (Published, "The final report, published"),
    ],
    deadlines: &[
        DeadlineRule {
            kind: DeadlineKind::IncidentNotification,
            anchor: Anchor::Referral,
            period: Period::WorkingDays(5),
        },
        DeadlineRule { kind: DeadlineKind::RapidReview, anchor: Anchor::Notification, period: Period::WorkingDays(15) },
        DeadlineRule {
            kind: DeadlineKind::LocalReviewPublication,
            anchor: Anchor::Commissioning,
            period: Period::Months(6),
        },
    ],
};

/// Both profiles.
pub const PROFILES: [&Profile; 2] = [&SERIOUS_CASE_REVIEW_2010, &PRACTICE_REVIEW_2023];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The stages reachable from `from` by forward moves of operations allowed there.
    fn next(p: &Profile, from: Stage) -> Vec<Stage> {
        let mut out: Vec<Stage> = p
            .operations()
            .filter(|op| !op.is_global() && p.allows(*op, from))
            .flat_map(|op| p.moves_to(op).iter().copied())
            .filter(|to| p.is_forward(from, *to))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    #[test]
    fn every_stage_is_reachable_and_every_stage_but_an_end_leads_on() {
        for p in PROFILES {
            let mut seen = vec![p.stages[0]];
            let mut todo = vec![p.stages[0]];
            while let Some(s) = todo.pop() {
                let n = next(p, s);
                assert_eq!(n.is_empty(), p.is_end(s), "{:?}: {s:?} leads to {n:?}", p.kind);
                for t in n {
                    if !seen.contains(&t) {
                        seen.push(t);
                        todo.push(t);
                    }
                }
            }
            for s in p.stages {
                assert!(seen.contains(s), "{:?}: nothing reaches {s:?}", p.kind);
            }
        }
    }

    #[test]
    fn moves_stay_within_the_profile_and_steps_are_listed_once() {
        for p in PROFILES {
            for r in p.all_steps() {
                for s in r.allowed_in.unwrap_or_default().iter().chain(r.moves_to) {
                    assert!(p.position(*s).is_some(), "{:?}: {:?} names {s:?}", p.kind, r.op);
                }
                assert_eq!(p.all_steps().filter(|x| x.op == r.op).count(), 1, "{:?}: {:?}", p.kind, r.op);
            }
            let mut stages = p.stages.to_vec();
            stages.sort();
            stages.dedup();
            assert_eq!(stages.len(), p.stages.len(), "{:?} lists a stage twice", p.kind);
            assert_eq!(p.stages.last(), Some(&Stage::Concluded));
        }
    }

    #[test]
    fn a_procedure_reads_and_writes_by_the_name_the_schema_gives_it() {
        for (k, name) in [
            (ProfileKind::SeriousCaseReview2010, "\"SERIOUS_CASE_REVIEW_2010\""),
            (ProfileKind::PracticeReview2023, "\"PRACTICE_REVIEW_2023\""),
        ] {
            assert_eq!(serde_json::to_string(&k).unwrap(), name);
            assert_eq!(serde_json::from_str::<ProfileKind>(name).unwrap(), k);
        }
    }

    #[test]
    fn the_2010_profile_numbers_its_stages_as_the_procedure_does() {
        let p = Profile::of(ProfileKind::SeriousCaseReview2010);
        for s in Stage::ALL.iter().filter(|s| p.position(**s).is_some()) {
            assert_eq!(p.title(*s), s.title());
        }
        // The stage machine is the procedure's, in the procedure's order.
        assert!(p.is_forward(Stage::Decided, Stage::ClosedWithoutReview));
        assert!(p.is_forward(Stage::OfstedNotified, Stage::SetUp));
        assert!(!p.has(Operation::NotifyNationalPanel));
        assert!(!p.allows(Operation::DecideRapidReview, Stage::Referred));
    }

    #[test]
    fn the_2023_route_branches_after_the_national_panels_response() {
        let p = Profile::of(ProfileKind::PracticeReview2023);
        assert_eq!(next(p, Stage::NationalPanelResponded), vec![Stage::ClosedWithLearning, Stage::ReviewCommissioned]);
        assert!(p.is_end(Stage::ClosedWithLearning) && p.ends_early(Stage::ClosedWithLearning));
        assert!(!p.has(Operation::RecordOfstedNotification) && !p.has(Operation::RecordEvaluation));
        assert_eq!(p.title(Stage::Submitted), "Sent to the National Panel and the Secretary of State");
        // Closed with learning has not "reached" the local review's stages after it.
        assert!(!p.reached(Stage::ClosedWithLearning, Stage::ReviewCommissioned));
        assert!(p.reached(Stage::ReviewCommissioned, Stage::NationalPanelResponded));
        let kinds: Vec<DeadlineKind> = p.deadlines.iter().map(|d| d.kind).collect();
        assert_eq!(
            kinds,
            [DeadlineKind::IncidentNotification, DeadlineKind::RapidReview, DeadlineKind::LocalReviewPublication]
        );
    }

    proptest! {
        /// However the outcomes fall, a review walked forward ends at one of its ends,
        /// in no more steps than the profile has stages.
        #[test]
        fn a_review_walked_at_random_reaches_an_end(choices in proptest::collection::vec(any::<proptest::sample::Index>(), 30)) {
            for p in PROFILES {
                let mut at = p.stages[0];
                let mut steps = 0;
                while !p.is_end(at) {
                    let n = next(p, at);
                    prop_assert!(!n.is_empty(), "{:?}: dead end at {:?}", p.kind, at);
                    at = *choices[steps % choices.len()].get(&n);
                    steps += 1;
                    prop_assert!(steps <= p.stages.len());
                }
            }
        }
    }
}
