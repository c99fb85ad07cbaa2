//! The GraphQL operations the client sends: generated from
//! `graphql/operations.graphql` and checked against the checked-in `schema.graphql`
//! at compile time, so a schema change that breaks the client fails the build.
//! Enums are the `shared` crate's own, so the client and the server agree on them.

#![allow(clippy::all, clippy::pedantic, missing_docs)]

use graphql_client::GraphQLQuery;

type NaiveDate = String;
type DateTime = String;
type Stage = shared::stage::Stage;
type Capacity = shared::role::Capacity;
type Operation = shared::policy::Operation;
type Role = shared::role::Role;
type Assignment = shared::role::Assignment;
type DeadlineKind = shared::deadline::DeadlineKind;
type DeadlineStatus = shared::deadline::DeadlineStatus;
type CriteriaCategory = shared::criteria::Category;
type AbuseOrNeglect = shared::criteria::AbuseOrNeglect;
type CustodySetting = shared::criteria::CustodySetting;
type HarmCategory = shared::criteria::HarmCategory;
type Indicator = shared::criteria::Indicator;
type NoReviewOutcome = shared::stage::NoReviewOutcome;
type ChecklistItemKind = shared::stage::ChecklistItem;
type Relationship = shared::stage::Relationship;
type ImrStatus = shared::imr::ImrStatus;
type DatePrecision = shared::chronology::Precision;
type Tie = shared::genogram::Tie;
type ParallelProcessKind = shared::stage::ParallelProcessKind;
type ProcessStatus = shared::stage::ProcessStatus;
type ContributionMethod = shared::stage::ContributionMethod;
type Milestone = shared::completion::Milestone;
type NoticeBody = shared::completion::NoticeBody;
type ActionStatus = shared::completion::ActionStatus;
type Theme = shared::findings::Theme;
type Task = shared::tasks::Task;
type TaskStatus = shared::tasks::TaskStatus;
type Phase = shared::tasks::Phase;
type Procedure = shared::profile::ProfileKind;

macro_rules! operations {
    ($($name:ident),* $(,)?) => {$(
        #[derive(GraphQLQuery)]
        #[graphql(
            schema_path = "../schema.graphql",
            query_path = "graphql/operations.graphql",
            response_derives = "Clone",
            variables_derives = "Clone",
            extern_enums(
                "Stage", "Capacity", "Operation", "Role", "Assignment", "DeadlineKind", "DeadlineStatus",
                "CriteriaCategory", "AbuseOrNeglect", "CustodySetting", "HarmCategory", "Indicator",
                "NoReviewOutcome", "ChecklistItemKind", "Relationship", "ImrStatus", "DatePrecision", "Tie",
                "ParallelProcessKind", "ProcessStatus", "ContributionMethod", "Milestone", "NoticeBody", "ActionStatus",
                "Theme", "Task", "TaskStatus", "Phase", "Procedure"
            )
        )]
        pub struct $name;
    )*};
}

operations!(
    SetBoardClosureDays,
    SetBoardProcedure,
    RapidReviewRecord,
    NotifyNationalPanel,
    RequestRapidReviewInformation,
    ReturnRapidReviewInformation,
    RecordRapidReviewMeeting,
    DecideRapidReview,
    SendRapidReview,
    RecordPanelResponse,
    RecordLearning,
    CommissionReview,
    ReviewTasks,
    QueuePage,
    UpdateChronologyEntry,
    ReviewList,
    AdminOrganisations,
    AdminPeople,
    AdminPerson,
    InviteUser,
    StartPasswordReset,
    DeactivateUser,
    ReactivateUser,
    EndSessions,
    RemoveRole,
    ProposeGrant,
    GrantProposals,
    ApproveGrant,
    RefuseGrant,
    AdministrationAudit,
    CreateBoard,
    RenameBoard,
    AddArea,
    CreateAgency,
    RenameAgency,
    CloseAgency,
    ReopenAgency,
    Login,
    SignInProviders,
    SetPasswordWithLink,
    ChangePassword,
    SignOutEverywhere,
    VerifySecondFactor,
    StartSecondFactorEnrolment,
    ConfirmSecondFactorEnrolment,
    ResetSecondFactor,
    RotateCalendarLink,
    Me,
    Dashboard,
    Directory,
    CriteriaProposal,
    SubmitReferral,
    ReviewHeader,
    ReviewDeadlines,
    ReviewPeople,
    ReviewPeopleDetails,
    ReviewReferral,
    AddPartnerBoard,
    ReviewFacts,
    ReviewAssessments,
    ReviewRecommendation,
    ReviewDecision,
    ReviewNotification,
    ReviewChecklist,
    ReviewAppointments,
    ReviewTerms,
    AppointableUsers,
    TermsQuestions,
    RecordCriteriaAssessment,
    RecordRecommendation,
    DecideReview,
    RecordOfstedNotification,
    UpdateSetupChecklistItem,
    Appoint,
    CompleteSetUp,
    SaveTermsOfReference,
    ApproveTermsOfReference,
    RecordTermsSentToOfsted,
    ReviewImrs,
    ReviewGenogram,
    ImrWorkspace,
    CombinedChronology,
    ReviewDocuments,
    ReviewConfirmations,
    ReviewSummary,
    AnonymisationCheck,
    OutsideGate,
    OverrideGateWarning,
    RequestImrs,
    DesignateImrAuthor,
    DeclareImrIndependence,
    SaveImr,
    AddChronologyEntry,
    DeleteChronologyEntry,
    SubmitImr,
    DecideImr,
    LinkChronologyEntries,
    AdvancePhase,
    SaveOverviewReport,
    ConfirmRepresentation,
    SaveExecutiveSummary,
    AddPerson,
    AddRelationship,
    SetHousehold,
    ReviewProcesses,
    ReviewContributions,
    RecordParallelProcess,
    UpdateParallelProcess,
    RecordFamilyContribution,
    ReviewCompletion,
    PublicationProblems,
    ReviewActions,
    ActionPage,
    RecordQualityAssurance,
    ApproveReport,
    SubmitReview,
    RecordOfstedLetter,
    RecordEvaluation,
    CompleteAmendment,
    AddAction,
    RecordPlanningMeeting,
    SignUpActions,
    RecordProgress,
    DecideClosure,
    PlanPublication,
    RecordNotice,
    Publish,
    Conclude,
    Report,
    MarkNotificationsRead,
    UnreadCount,
    ReviewFindings,
    RecordFinding,
    RemoveFinding,
    Notifications,
);
