//! A review as a task list (the GOV.UK "task list" pattern): every task of the
//! procedure, the phase it belongs to, who does it, the steps it is made of, and its
//! status worked out from the stage the review has reached. The client draws the list
//! and a page per task from this table; the server answers each task's status and
//! due date, and tells each person which steps are theirs to take now.

use crate::deadline::DeadlineKind;
use crate::policy::Operation;
use crate::profile::{Profile, ProfileKind};
use crate::role::{Capacity, str_enum};
use crate::stage::Stage;

str_enum! {
    /// A task of the procedure, in the order it is done. The stable name is the last
    /// part of the task page's address (`/reviews/7/tasks/decision`).
    pub enum Task {
        Referral => "referral", "Referral and its facts";
        Assessment => "assessment", "Criteria assessment";
        Recommendation => "recommendation", "Initial Panel recommendation";
        Decision => "decision", "Chair's decision";
        Notification => "notification", "Ofsted notification";
        SetUp => "set-up", "Set-up checklist and appointments";
        Terms => "terms", "Terms of reference";
        Family => "family", "Family, people and parallel processes";
        Imrs => "imrs", "Individual Management Reviews";
        Chronology => "chronology", "Combined chronology";
        Analysis => "analysis", "Analysis and findings";
        Report => "report", "Overview report and executive summary";
        Assurance => "assurance", "Quality assurance";
        Submission => "submission", "Approval and submission to Ofsted and the DfE";
        Evaluation => "evaluation", "Ofsted evaluation";
        Actions => "actions", "Action plan";
        Publication => "publication", "Publication";
        Conclusion => "conclusion", "Conclusion";
        Incident => "incident", "Serious incident notification";
        RapidReview => "rapid-review", "Rapid review";
        PanelResponse => "panel-response", "The National Panel's response";
        Commissioning => "commissioning", "Local review commissioned, or learning recorded";
    }
}

str_enum! {
    /// Where a task stands.
    pub enum TaskStatus {
        Completed => "completed", "Completed";
        InProgress => "in_progress", "In progress";
        NotStarted => "not_started", "Not started";
        CannotStartYet => "cannot_start_yet", "Cannot start yet";
        NotNeeded => "not_needed", "Not needed";
    }
}

str_enum! {
    /// The phases the task list groups tasks under.
    pub enum Phase {
        Decision => "decision", "Deciding whether to hold a review";
        SetUp => "set_up", "Setting up the review";
        Review => "review", "Conducting the review";
        Completion => "completion", "Completing the review";
    }
}

/// One row of the task table.
pub struct TaskRule {
    pub task: Task,
    pub phase: Phase,
    /// The stage from which the task can be done.
    pub starts: Stage,
    /// The stage that marks the task completed.
    pub completed_at: Stage,
    /// The steps the task's page offers; the first is the one that finishes it.
    pub operations: &'static [Operation],
    /// Who does it, in the access policy's capacities.
    pub owners: &'static [Capacity],
    /// The deadline it is due by, if one runs.
    pub deadline: Option<DeadlineKind>,
    /// Whether the task is needed when the case is closed without a review.
    pub before_closure: bool,
}

use Capacity as C;
use Operation as O;

/// Tasks both procedures have, the same in each.
const REFERRAL_TASK: TaskRule = TaskRule {
    task: Task::Referral,
    phase: Phase::Decision,
    starts: Stage::Referred,
    completed_at: Stage::Referred,
    operations: &[],
    owners: &[C::Referrer],
    deadline: None,
    before_closure: true,
};

const FAMILY_TASK: TaskRule = TaskRule {
    task: Task::Family,
    phase: Phase::SetUp,
    starts: Stage::Referred,
    completed_at: Stage::QualityAssured,
    operations: &[O::RecordPeople, O::RecordParallelProcess, O::RecordFamilyContribution],
    owners: &[C::BusinessManager, C::PanelChair],
    deadline: None,
    before_closure: false,
};

const CHRONOLOGY_TASK: TaskRule = TaskRule {
    task: Task::Chronology,
    phase: Phase::Review,
    starts: Stage::ImrsSubmitted,
    completed_at: Stage::Analysis,
    operations: &[O::AdvancePhase, O::LinkChronologyEntries],
    owners: &[C::PanelChair, C::PanelMember],
    deadline: None,
    before_closure: false,
};

const ANALYSIS_TASK: TaskRule = TaskRule {
    task: Task::Analysis,
    phase: Phase::Review,
    starts: Stage::CombinedChronology,
    completed_at: Stage::OverviewReport,
    operations: &[O::AdvancePhase, O::RecordFinding],
    owners: &[C::PanelChair, C::PanelMember],
    deadline: None,
    before_closure: false,
};

const REPORT_TASK: TaskRule = TaskRule {
    task: Task::Report,
    phase: Phase::Review,
    starts: Stage::CombinedChronology,
    completed_at: Stage::QualityAssured,
    operations: &[O::EditOverviewReport, O::EditExecutiveSummary, O::ConfirmRepresentation],
    owners: &[C::OverviewAuthor, C::AgencyManager],
    deadline: None,
    before_closure: false,
};

const ASSURANCE_TASK: TaskRule = TaskRule {
    task: Task::Assurance,
    phase: Phase::Completion,
    starts: Stage::OverviewReport,
    completed_at: Stage::QualityAssured,
    operations: &[O::RecordQualityAssurance],
    owners: &[C::BusinessManager, C::PanelChair],
    deadline: None,
    before_closure: false,
};

const CONCLUSION_TASK: TaskRule = TaskRule {
    task: Task::Conclusion,
    phase: Phase::Completion,
    starts: Stage::Published,
    completed_at: Stage::Concluded,
    operations: &[O::Conclude],
    owners: &[C::BoardChair, C::BusinessManager],
    deadline: None,
    before_closure: false,
};

/// The task table of the Serious Case Review procedure (chapter 11), in order.
pub const TASKS: &[TaskRule] = &[
    REFERRAL_TASK,
    TaskRule {
        task: Task::Assessment,
        phase: Phase::Decision,
        starts: Stage::Referred,
        completed_at: Stage::CriteriaAssessed,
        operations: &[O::RecordAssessment],
        owners: &[C::InitialPanelMember],
        deadline: None,
        before_closure: true,
    },
    TaskRule {
        task: Task::Recommendation,
        phase: Phase::Decision,
        starts: Stage::CriteriaAssessed,
        completed_at: Stage::Recommended,
        operations: &[O::RecordRecommendation],
        owners: &[C::InitialPanelMember],
        deadline: Some(DeadlineKind::PanelRecommendation),
        before_closure: true,
    },
    TaskRule {
        task: Task::Decision,
        phase: Phase::Decision,
        starts: Stage::Recommended,
        completed_at: Stage::Decided,
        operations: &[O::DecideReview],
        owners: &[C::BoardChair],
        deadline: Some(DeadlineKind::ChairDecision),
        before_closure: true,
    },
    TaskRule {
        task: Task::Notification,
        phase: Phase::Decision,
        starts: Stage::Decided,
        completed_at: Stage::OfstedNotified,
        operations: &[O::RecordOfstedNotification],
        owners: &[C::BusinessManager],
        deadline: None,
        before_closure: true,
    },
    TaskRule {
        task: Task::SetUp,
        phase: Phase::SetUp,
        starts: Stage::OfstedNotified,
        completed_at: Stage::SetUp,
        operations: &[O::UpdateSetupChecklist, O::Appoint, O::ConfirmRecordsSecured],
        owners: &[C::BusinessManager, C::AgencyManager],
        deadline: None,
        before_closure: false,
    },
    TaskRule {
        task: Task::Terms,
        phase: Phase::SetUp,
        starts: Stage::Recommended,
        completed_at: Stage::TermsAgreed,
        operations: &[O::ApproveTermsOfReference, O::EditTermsOfReference, O::RecordTermsSent],
        owners: &[C::BusinessManager, C::BoardChair],
        deadline: Some(DeadlineKind::TermsToOfsted),
        before_closure: false,
    },
    FAMILY_TASK,
    TaskRule {
        task: Task::Imrs,
        phase: Phase::Review,
        starts: Stage::TermsAgreed,
        completed_at: Stage::ImrsSubmitted,
        operations: &[O::DecideImr, O::RequestImr, O::DesignateImrAuthor, O::WriteImr],
        owners: &[C::BusinessManager, C::AgencyManager, C::ImrAuthor, C::PanelChair],
        deadline: Some(DeadlineKind::ImrSubmission),
        before_closure: false,
    },
    CHRONOLOGY_TASK,
    ANALYSIS_TASK,
    REPORT_TASK,
    ASSURANCE_TASK,
    TaskRule {
        task: Task::Submission,
        phase: Phase::Completion,
        starts: Stage::QualityAssured,
        completed_at: Stage::Submitted,
        operations: &[O::SubmitReview, O::ApproveReport],
        owners: &[C::BoardChair, C::BusinessManager],
        deadline: Some(DeadlineKind::Completion),
        before_closure: false,
    },
    TaskRule {
        task: Task::Evaluation,
        phase: Phase::Completion,
        starts: Stage::Submitted,
        completed_at: Stage::Evaluated,
        operations: &[O::RecordEvaluation],
        owners: &[C::BusinessManager],
        deadline: None,
        before_closure: false,
    },
    TaskRule {
        task: Task::Actions,
        phase: Phase::Completion,
        starts: Stage::Evaluated,
        completed_at: Stage::Concluded,
        operations: &[O::ManageActions, O::SignUpActions, O::UpdateAction, O::DecideClosure],
        owners: &[C::BusinessManager, C::AgencyManager, C::ActionOwner, C::PerformanceSubGroup],
        deadline: None,
        before_closure: false,
    },
    TaskRule {
        task: Task::Publication,
        phase: Phase::Completion,
        starts: Stage::ActionPlanning,
        completed_at: Stage::Published,
        operations: &[O::Publish, O::PlanPublication],
        owners: &[C::BusinessManager, C::BoardChair],
        deadline: None,
        before_closure: false,
    },
    CONCLUSION_TASK,
];

/// The task table of the rapid review and local child safeguarding practice review
/// route (Working Together 2023, chapter 5), in order.
pub const PRACTICE_REVIEW_TASKS: &[TaskRule] = &[
    REFERRAL_TASK,
    TaskRule {
        task: Task::Incident,
        phase: Phase::Decision,
        starts: Stage::Referred,
        completed_at: Stage::IncidentNotified,
        operations: &[O::NotifyNationalPanel],
        owners: &[C::BusinessManager],
        deadline: Some(DeadlineKind::IncidentNotification),
        before_closure: true,
    },
    TaskRule {
        task: Task::RapidReview,
        phase: Phase::Decision,
        starts: Stage::IncidentNotified,
        completed_at: Stage::SentToNationalPanel,
        operations: &[
            O::SendRapidReview,
            O::RequestRapidReviewInformation,
            O::ReturnRapidReviewInformation,
            O::RecordRapidReviewMeeting,
            O::DecideRapidReview,
        ],
        owners: &[C::BusinessManager, C::AgencyManager, C::BoardChair],
        deadline: Some(DeadlineKind::RapidReview),
        before_closure: true,
    },
    TaskRule {
        task: Task::PanelResponse,
        phase: Phase::Decision,
        starts: Stage::SentToNationalPanel,
        completed_at: Stage::NationalPanelResponded,
        operations: &[O::RecordPanelResponse],
        owners: &[C::BusinessManager],
        deadline: None,
        before_closure: true,
    },
    TaskRule {
        task: Task::Commissioning,
        phase: Phase::Decision,
        starts: Stage::NationalPanelResponded,
        completed_at: Stage::ReviewCommissioned,
        operations: &[O::CommissionReview, O::RecordLearning],
        owners: &[C::BoardChair],
        deadline: None,
        before_closure: true,
    },
    TaskRule {
        task: Task::Terms,
        phase: Phase::SetUp,
        starts: Stage::RapidReviewDecided,
        completed_at: Stage::TermsAgreed,
        operations: &[O::ApproveTermsOfReference, O::EditTermsOfReference, O::Appoint],
        owners: &[C::BusinessManager, C::BoardChair],
        deadline: None,
        before_closure: false,
    },
    FAMILY_TASK,
    TaskRule {
        task: Task::Imrs,
        phase: Phase::Review,
        starts: Stage::TermsAgreed,
        completed_at: Stage::ImrsSubmitted,
        operations: &[O::DecideImr, O::RequestImr, O::DesignateImrAuthor, O::WriteImr],
        owners: &[C::BusinessManager, C::AgencyManager, C::ImrAuthor, C::PanelChair],
        deadline: None,
        before_closure: false,
    },
    CHRONOLOGY_TASK,
    ANALYSIS_TASK,
    REPORT_TASK,
    ASSURANCE_TASK,
    TaskRule {
        task: Task::Submission,
        phase: Phase::Completion,
        starts: Stage::QualityAssured,
        completed_at: Stage::Submitted,
        operations: &[O::SubmitReview, O::ApproveReport],
        owners: &[C::BoardChair, C::BusinessManager],
        deadline: None,
        before_closure: false,
    },
    TaskRule {
        task: Task::Actions,
        phase: Phase::Completion,
        starts: Stage::Submitted,
        completed_at: Stage::Concluded,
        operations: &[O::ManageActions, O::SignUpActions, O::UpdateAction, O::DecideClosure],
        owners: &[C::BusinessManager, C::AgencyManager, C::ActionOwner, C::PerformanceSubGroup],
        deadline: None,
        before_closure: false,
    },
    TaskRule {
        task: Task::Publication,
        phase: Phase::Completion,
        starts: Stage::ActionPlanning,
        completed_at: Stage::Published,
        operations: &[O::Publish, O::PlanPublication],
        owners: &[C::BusinessManager, C::BoardChair],
        deadline: Some(DeadlineKind::LocalReviewPublication),
        before_closure: false,
    },
    CONCLUSION_TASK,
];

/// The task table of a procedure.
pub fn tasks_of(kind: ProfileKind) -> &'static [TaskRule] {
    match kind {
        ProfileKind::SeriousCaseReview2010 => TASKS,
        ProfileKind::PracticeReview2023 => PRACTICE_REVIEW_TASKS,
    }
}

impl Task {
    /// The task's row in a procedure's table, if the procedure has the task.
    pub fn rule_in(self, kind: ProfileKind) -> Option<&'static TaskRule> {
        tasks_of(kind).iter().find(|r| r.task == self)
    }

    /// The task whose page offers `op` first, if any: where a person goes to take it.
    pub fn of_operation(kind: ProfileKind, op: Operation) -> Option<Task> {
        tasks_of(kind).iter().find(|r| r.operations.contains(&op)).map(|r| r.task)
    }

    /// The task after this one in a procedure, if any.
    pub fn next_in(self, kind: ProfileKind) -> Option<Task> {
        let list = tasks_of(kind);
        list.iter().position(|r| r.task == self).and_then(|i| list.get(i + 1)).map(|r| r.task)
    }
}

impl TaskRule {
    /// Where the task stands when the review has reached `stage` under `profile`.
    pub fn status(&self, profile: &Profile, stage: Stage) -> TaskStatus {
        if profile.ends_early(stage) {
            return if self.before_closure { TaskStatus::Completed } else { TaskStatus::NotNeeded };
        }
        if profile.reached(stage, self.completed_at) {
            TaskStatus::Completed
        } else if stage != self.starts && profile.reached(stage, self.starts) {
            TaskStatus::InProgress
        } else if stage == self.starts {
            TaskStatus::NotStarted
        } else {
            TaskStatus::CannotStartYet
        }
    }

    /// Why the task cannot start yet, in words, when it cannot.
    pub fn waits_for(&self, profile: &Profile, stage: Stage) -> Option<String> {
        (self.status(profile, stage) == TaskStatus::CannotStartYet)
            .then(|| format!("Starts when the review reaches \"{}\".", profile.title(self.starts)))
    }

    /// Whether someone acting in `caps` does this task.
    pub fn belongs_to(&self, caps: &[Capacity]) -> bool {
        self.owners.iter().any(|o| caps.contains(o))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::profile::PROFILES;

    #[test]
    fn every_task_of_a_procedure_is_listed_once() {
        for p in PROFILES {
            let list = tasks_of(p.kind);
            for r in list {
                assert_eq!(list.iter().filter(|x| x.task == r.task).count(), 1, "{:?} {:?}", p.kind, r.task);
                assert_eq!(r.task.rule_in(p.kind).map(|x| x.task), Some(r.task));
            }
        }
        assert_eq!(Task::Incident.rule_in(ProfileKind::SeriousCaseReview2010).map(|r| r.task), None);
        assert_eq!(Task::Evaluation.rule_in(ProfileKind::PracticeReview2023).map(|r| r.task), None);
    }

    #[test]
    fn a_task_starts_no_later_than_it_is_completed_in_its_procedures_order() {
        for p in PROFILES {
            for r in tasks_of(p.kind) {
                assert!(p.reached(r.completed_at, r.starts), "{:?} {:?}", p.kind, r.task);
            }
        }
    }

    #[test]
    fn every_step_of_a_procedure_on_a_review_belongs_to_one_of_its_tasks() {
        let outside =
            [O::ExtendDeadline, O::ExportForOutside, O::OverrideGateWarning, O::RecordOfstedLetter, O::AddPartnerBoard];
        for p in PROFILES {
            for op in p.operations().filter(|o| !o.is_global() && !outside.contains(o)) {
                assert!(Task::of_operation(p.kind, op).is_some(), "{:?}: {op:?} has no task", p.kind);
            }
            for r in tasks_of(p.kind) {
                for op in r.operations {
                    assert!(p.has(*op), "{:?}: task {:?} offers {op:?}, not a step of it", p.kind, r.task);
                }
            }
        }
    }

    #[test]
    fn the_finishing_step_moves_the_review_to_where_the_task_is_completed() {
        // The action plan runs until the review is concluded, whatever its first step.
        for p in PROFILES {
            for r in tasks_of(p.kind).iter().filter(|r| !r.operations.is_empty() && r.task != Task::Actions) {
                let reaches = p.moves_to(r.operations[0]);
                assert!(reaches.is_empty() || reaches.contains(&r.completed_at), "{:?} {:?}", p.kind, r.task);
            }
        }
    }

    #[test]
    fn statuses_follow_the_stage() {
        let p = Profile::of(ProfileKind::SeriousCaseReview2010);
        let rule = |t: Task| t.rule_in(ProfileKind::SeriousCaseReview2010).unwrap();
        let decision = rule(Task::Decision);
        assert_eq!(decision.status(p, Stage::Referred), TaskStatus::CannotStartYet);
        assert_eq!(decision.status(p, Stage::Recommended), TaskStatus::NotStarted);
        assert_eq!(decision.status(p, Stage::Decided), TaskStatus::Completed);
        assert_eq!(rule(Task::Imrs).status(p, Stage::ImrsRequested), TaskStatus::InProgress);
        assert_eq!(rule(Task::Imrs).status(p, Stage::ClosedWithoutReview), TaskStatus::NotNeeded);
        assert_eq!(rule(Task::Notification).status(p, Stage::ClosedWithoutReview), TaskStatus::Completed);
        assert!(decision.waits_for(p, Stage::Referred).is_some_and(|w| w.contains("Panel recommendation made")));
        assert_eq!(decision.waits_for(p, Stage::Recommended), None);
    }

    #[test]
    fn the_rapid_review_tasks_follow_the_2023_route() {
        let p = Profile::of(ProfileKind::PracticeReview2023);
        let rule = |t: Task| t.rule_in(ProfileKind::PracticeReview2023).unwrap();
        assert_eq!(rule(Task::Incident).status(p, Stage::Referred), TaskStatus::NotStarted);
        assert_eq!(rule(Task::RapidReview).status(p, Stage::RapidReviewMeeting), TaskStatus::InProgress);
        assert_eq!(rule(Task::RapidReview).status(p, Stage::SentToNationalPanel), TaskStatus::Completed);
        assert_eq!(rule(Task::Imrs).status(p, Stage::ClosedWithLearning), TaskStatus::NotNeeded);
        assert_eq!(rule(Task::Commissioning).status(p, Stage::ClosedWithLearning), TaskStatus::Completed);
        assert!(
            rule(Task::Terms).waits_for(p, Stage::Referred).is_some_and(|w| w.contains("Rapid review decision made"))
        );
        assert_eq!(Task::Incident.next_in(ProfileKind::PracticeReview2023), Some(Task::RapidReview));
        // Stage titles follow the procedure: "Final report" is 2023's name for the overview report.
        assert!(rule(Task::Assurance).waits_for(p, Stage::Analysis).is_some_and(|w| w.contains("Final report")));
    }

    #[test]
    fn stable_names_are_addresses() {
        for t in Task::ALL {
            assert!(t.as_str().chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{t:?}");
            assert_eq!(Task::parse(t.as_str()), Some(*t));
        }
    }
}
