//! A review as a task list (the GOV.UK "task list" pattern): every task of the
//! procedure, the phase it belongs to, who does it, the steps it is made of, and its
//! status worked out from the stage the review has reached. The client draws the list
//! and a page per task from this table; the server answers each task's status and
//! due date, and tells each person which steps are theirs to take now.

use crate::deadline::DeadlineKind;
use crate::policy::Operation;
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

/// The task table of the Serious Case Review procedure (chapter 11), in order.
pub const TASKS: [TaskRule; 18] = [
    TaskRule {
        task: Task::Referral,
        phase: Phase::Decision,
        starts: Stage::Referred,
        completed_at: Stage::Referred,
        operations: &[],
        owners: &[C::Referrer],
        deadline: None,
        before_closure: true,
    },
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
    TaskRule {
        task: Task::Family,
        phase: Phase::SetUp,
        starts: Stage::Referred,
        completed_at: Stage::QualityAssured,
        operations: &[O::RecordPeople, O::RecordParallelProcess, O::RecordFamilyContribution],
        owners: &[C::BusinessManager, C::PanelChair],
        deadline: None,
        before_closure: false,
    },
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
    TaskRule {
        task: Task::Chronology,
        phase: Phase::Review,
        starts: Stage::ImrsSubmitted,
        completed_at: Stage::Analysis,
        operations: &[O::AdvancePhase, O::LinkChronologyEntries],
        owners: &[C::PanelChair, C::PanelMember],
        deadline: None,
        before_closure: false,
    },
    TaskRule {
        task: Task::Analysis,
        phase: Phase::Review,
        starts: Stage::CombinedChronology,
        completed_at: Stage::OverviewReport,
        operations: &[O::AdvancePhase, O::RecordFinding],
        owners: &[C::PanelChair, C::PanelMember],
        deadline: None,
        before_closure: false,
    },
    TaskRule {
        task: Task::Report,
        phase: Phase::Review,
        starts: Stage::CombinedChronology,
        completed_at: Stage::QualityAssured,
        operations: &[O::EditOverviewReport, O::EditExecutiveSummary, O::ConfirmRepresentation],
        owners: &[C::OverviewAuthor, C::AgencyManager],
        deadline: None,
        before_closure: false,
    },
    TaskRule {
        task: Task::Assurance,
        phase: Phase::Completion,
        starts: Stage::OverviewReport,
        completed_at: Stage::QualityAssured,
        operations: &[O::RecordQualityAssurance],
        owners: &[C::BusinessManager, C::PanelChair],
        deadline: None,
        before_closure: false,
    },
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
    TaskRule {
        task: Task::Conclusion,
        phase: Phase::Completion,
        starts: Stage::Published,
        completed_at: Stage::Concluded,
        operations: &[O::Conclude],
        owners: &[C::BoardChair, C::BusinessManager],
        deadline: None,
        before_closure: false,
    },
];

impl Task {
    /// The task's row of the table.
    pub fn rule(self) -> &'static TaskRule {
        // Every task has exactly one row, in declaration order (tested below).
        &TASKS[Task::ALL.iter().position(|t| *t == self).unwrap_or(0)]
    }

    /// The task whose page offers `op` first, if any: where a person goes to take it.
    pub fn of_operation(op: Operation) -> Option<Task> {
        TASKS.iter().find(|r| r.operations.contains(&op)).map(|r| r.task)
    }
}

impl TaskRule {
    /// Where the task stands when the review has reached `stage`.
    pub fn status(&self, stage: Stage) -> TaskStatus {
        if stage == Stage::ClosedWithoutReview {
            return if self.before_closure { TaskStatus::Completed } else { TaskStatus::NotNeeded };
        }
        if stage >= self.completed_at {
            TaskStatus::Completed
        } else if stage > self.starts {
            TaskStatus::InProgress
        } else if stage == self.starts {
            TaskStatus::NotStarted
        } else {
            TaskStatus::CannotStartYet
        }
    }

    /// Why the task cannot start yet, in words, when it cannot.
    pub fn waits_for(&self, stage: Stage) -> Option<String> {
        (self.status(stage) == TaskStatus::CannotStartYet)
            .then(|| format!("Starts when the review reaches \"{}\".", self.starts.title()))
    }

    /// Whether someone acting in `caps` does this task.
    pub fn belongs_to(&self, caps: &[Capacity]) -> bool {
        self.owners.iter().any(|o| caps.contains(o))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_task_has_its_row_in_order() {
        assert_eq!(Task::ALL.len(), TASKS.len());
        for (t, r) in Task::ALL.iter().zip(TASKS.iter()) {
            assert_eq!(*t, r.task);
            assert_eq!(t.rule().task, *t);
        }
    }

    #[test]
    fn a_task_starts_no_later_than_it_is_completed() {
        for r in &TASKS {
            assert!(r.starts <= r.completed_at, "{:?}", r.task);
        }
    }

    #[test]
    fn every_step_on_a_review_belongs_to_a_task() {
        let outside = [
            O::SubmitReferral,
            O::ManageUsers,
            O::ManageOrganisations,
            O::ExtendDeadline,
            O::ExportForOutside,
            O::OverrideGateWarning,
            O::RecordOfstedLetter,
        ];
        for op in Operation::ALL.iter().filter(|o| !outside.contains(o)) {
            assert!(Task::of_operation(*op).is_some(), "{op:?} has no task");
        }
    }

    #[test]
    fn the_finishing_step_moves_the_review_to_where_the_task_is_completed() {
        // The action plan runs until the review is concluded, whatever its first step.
        for r in TASKS.iter().filter(|r| !r.operations.is_empty() && r.task != Task::Actions) {
            let reaches = r.operations[0].moves_to();
            assert!(reaches.is_empty() || reaches.contains(&r.completed_at), "{:?}", r.task);
        }
    }

    #[test]
    fn statuses_follow_the_stage() {
        let decision = Task::Decision.rule();
        assert_eq!(decision.status(Stage::Referred), TaskStatus::CannotStartYet);
        assert_eq!(decision.status(Stage::Recommended), TaskStatus::NotStarted);
        assert_eq!(decision.status(Stage::Decided), TaskStatus::Completed);
        assert_eq!(Task::Imrs.rule().status(Stage::ImrsRequested), TaskStatus::InProgress);
        assert_eq!(Task::Imrs.rule().status(Stage::ClosedWithoutReview), TaskStatus::NotNeeded);
        assert_eq!(Task::Notification.rule().status(Stage::ClosedWithoutReview), TaskStatus::Completed);
        assert!(
            Task::Decision.rule().waits_for(Stage::Referred).is_some_and(|w| w.contains("Panel recommendation made"))
        );
        assert_eq!(Task::Decision.rule().waits_for(Stage::Recommended), None);
    }

    #[test]
    fn stable_names_are_addresses() {
        for t in Task::ALL {
            assert!(t.as_str().chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{t:?}");
            assert_eq!(Task::parse(t.as_str()), Some(*t));
        }
    }
}
