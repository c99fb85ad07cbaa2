//! GraphQL mirrors of the domain's enums. `remote` derives the conversions both ways,
//! so a variant added in `shared` fails to compile here until it is mirrored.

use async_graphql::Enum;

macro_rules! mirror {
    ($($local:ident = $remote:tt as $name:tt { $($v:ident),* $(,)? })*) => {$(
        #[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
        #[graphql(remote = $remote, name = $name)]
        pub enum $local { $($v),* }
    )*};
}

mirror! {
    RoleGql = "shared::role::Role" as "Role" {
        BoardChair, BusinessManager, InitialPanelMember, AgencyManager, Professional,
        PerformanceSubGroup, Inspector, PartnerBoard, SystemAdministrator, ReportingAnalyst,
    }
    AssignmentGql = "shared::role::Assignment" as "Assignment" {
        PanelChair, PanelMember, OverviewAuthor, ImrAuthor, DesignatedProfessional, ActionOwner,
    }
    CapacityGql = "shared::role::Capacity" as "Capacity" {
        BoardChair, BusinessManager, InitialPanelMember, PanelChair, PanelMember, OverviewAuthor,
        ImrAuthor, DesignatedProfessional, AgencyManager, Referrer, ActionOwner, PerformanceSubGroup,
        Inspector, PartnerBoard, ReportingAnalyst, SystemAdministrator,
    }
    StageGql = "shared::stage::Stage" as "Stage" {
        Referred, CriteriaAssessed, Recommended, Decided, OfstedNotified, SetUp, TermsAgreed,
        ImrsRequested, ImrsSubmitted, CombinedChronology, Analysis, OverviewReport, QualityAssured,
        Submitted, Evaluated, ActionPlanning, Published, Concluded, ClosedWithoutReview,
        IncidentNotified, InformationRequested, RapidReviewMeeting, RapidReviewDecided,
        SentToNationalPanel, NationalPanelResponded, ClosedWithLearning, ReviewCommissioned,
    }
    ProfileKindGql = "shared::profile::ProfileKind" as "Procedure" {
        SeriousCaseReview2010, PracticeReview2023,
    }
    NoReviewOutcomeGql = "shared::stage::NoReviewOutcome" as "NoReviewOutcome" {
        ImrsOnly, SmallScaleAudit, NoFurtherAction,
    }
    ChecklistItemGql = "shared::stage::ChecklistItem" as "ChecklistItemKind" {
        AgenciesNotified, DesignatedStaffNamed, RecordsSecured, PractitionersInformed, MediaStrategy,
    }
    RelationshipGql = "shared::stage::Relationship" as "Relationship" {
        Child, Sibling, Mother, Father, Carer, AllegedPerpetrator, HouseholdMember, Professional,
    }
    CategoryGql = "shared::criteria::Category" as "CriteriaCategory" {
        Mandatory, Discretionary, Indicators, NotYetKnown, NotMet,
    }
    AbuseOrNeglectGql = "shared::criteria::AbuseOrNeglect" as "AbuseOrNeglect" {
        Known, Suspected, NotSuspected,
    }
    CustodySettingGql = "shared::criteria::CustodySetting" as "CustodySetting" {
        PoliceCustody, Remand, YoungOffenderInstitution, SecureTrainingCentre, SecureChildrensHome,
    }
    HarmCategoryGql = "shared::criteria::HarmCategory" as "HarmCategory" {
        LifeThreateningInjury, SexualAbuse, ParentMurderedWithDomesticHomicideReview, ViolentAssault,
    }
    IndicatorGql = "shared::criteria::Indicator" as "Indicator" {
        HarmNotRecognised, HarmNotShared, HarmNotActedOn, InstitutionalSetting, LookedAfter,
        RecentlyMovedToUk, UnauthorisedAbsence, ConcernsNotTakenSeriously, WiderProcedureFailings,
        ChildProtectionPlan, RangeOfAgencies, LocalProtocolsNeedChange, NationalImplications,
    }
    TaskGql = "shared::tasks::Task" as "Task" {
        Referral, Assessment, Recommendation, Decision, Notification, SetUp, Terms, Family, Imrs,
        Chronology, Analysis, Report, Assurance, Submission, Evaluation, Actions, Publication, Conclusion,
        Incident, RapidReview, PanelResponse, Commissioning,
    }
    TaskStatusGql = "shared::tasks::TaskStatus" as "TaskStatus" {
        Completed, InProgress, NotStarted, CannotStartYet, NotNeeded,
    }
    PhaseGql = "shared::tasks::Phase" as "Phase" {
        Decision, SetUp, Review, Completion,
    }
    DeadlineKindGql = "shared::deadline::DeadlineKind" as "DeadlineKind" {
        PanelRecommendation, ChairDecision, TermsToOfsted, ImrSubmission, Completion,
        IncidentNotification, RapidReview, LocalReviewPublication,
    }
    DeadlineStatusGql = "shared::deadline::DeadlineStatus" as "DeadlineStatus" {
        OnTrack, AtRisk, Overdue, Met, MetLate,
    }
    OperationGql = "shared::policy::Operation" as "Operation" {
        SubmitReferral, RecordAssessment, RecordRecommendation, DecideReview, RecordOfstedNotification,
        UpdateSetupChecklist, ConfirmRecordsSecured, Appoint, EditTermsOfReference,
        ApproveTermsOfReference, RecordTermsSent, RecordPeople, RecordParallelProcess,
        RecordFamilyContribution, RequestImr, DesignateImrAuthor, WriteImr, DecideImr,
        LinkChronologyEntries, AdvancePhase, EditOverviewReport, ConfirmRepresentation,
        EditExecutiveSummary, ExportForOutside, RecordQualityAssurance, ApproveReport, SubmitReview,
        RecordOfstedLetter, RecordEvaluation, ManageActions, SignUpActions, UpdateAction, DecideClosure,
        PlanPublication, Publish, Conclude, ExtendDeadline, ManageUsers, RecordFinding,
        OverrideGateWarning, ManageOrganisations, NotifyNationalPanel, RequestRapidReviewInformation,
        ReturnRapidReviewInformation, RecordRapidReviewMeeting, DecideRapidReview, SendRapidReview,
        RecordPanelResponse, RecordLearning, CommissionReview, AddPartnerBoard,
    }
    ThemeGql = "shared::findings::Theme" as "Theme" {
        InformationSharing, RiskAssessment, VoiceOfTheChild, Neglect, DomesticAbuse, ParentalMentalHealth,
        SubstanceMisuse, MenInTheHousehold, Supervision, Escalation, DisguisedCompliance, WasNotBrought,
        RecordKeeping,
    }
    MilestoneGql = "shared::completion::Milestone" as "Milestone" {
        QualityAssured, Approved, Submitted, ExtensionLetter, InterimReport, Evaluation, PlanningMeeting,
        PublicationPlan, Notice, Published, GovernmentOfficeNotice,
    }
    NoticeBodyGql = "shared::completion::NoticeBody" as "NoticeBody" {
        DepartmentForEducation, Ofsted, StrategicHealthAuthority, CareQualityCommission, Hmic, Hmip,
        HmiProbation, YouthJusticeBoard, PrisonsOmbudsman, Family,
    }
    ActionStatusGql = "shared::completion::ActionStatus" as "ActionStatus" {
        Open, ClosureRequested, Implemented,
    }
    ImrStatusGql = "shared::imr::ImrStatus" as "ImrStatus" {
        Requested, AuthorDesignated, InProgress, Submitted, Returned, Accepted,
    }
    PrecisionGql = "shared::chronology::Precision" as "DatePrecision" {
        Exact, Month, Year,
    }
    ParallelProcessKindGql = "shared::stage::ParallelProcessKind" as "ParallelProcessKind" {
        CriminalProceedings, Inquest, DomesticHomicideReview, OmbudsmanInvestigation, MappaReview,
        SeriousFurtherOffence, NhsSeriousIncident, YouthJusticeReview, Disciplinary,
    }
    ProcessStatusGql = "shared::stage::ProcessStatus" as "ProcessStatus" {
        Expected, Open, Concluded,
    }
    ContributionMethodGql = "shared::stage::ContributionMethod" as "ContributionMethod" {
        Meeting, HomeVisit, Telephone, Letter, Declined,
    }
    TieGql = "shared::genogram::Tie" as "Tie" {
        ParentOf, PartnerOf, SiblingOf,
    }
    ScopeReasonGql = "shared::policy::ScopeReason" as "ScopeReason" {
        BoardRole, Assignment, InvolvedAgencyManager, PartnerBoard, NotifiedToOfsted, Referrer,
    }
}
