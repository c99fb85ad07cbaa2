//! The access policy: one table of capacity x field -> full / pseudonymised / hidden,
//! one table of capacity x operation, and the row-scope rules that turn a user's
//! roles and assignments into capacities on a review (SPEC 5).
//!
//! The server enforces these; the client reads the same tables only to hide what
//! the server would refuse anyway. `render_markdown` writes the tables into
//! `docs/ACCESS.md`, and a test keeps that file current.

use serde::{Deserialize, Serialize};

use crate::role::{Assignment, Capacity, Role, str_enum};
use crate::{AgencyId, BoardId, UserId};

/// How much of a field a capacity may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Access {
    /// Refused with `FORBIDDEN`.
    Hidden,
    /// Labels instead of identities; registered names replaced in free text.
    Pseudonymised,
    Full,
}

impl Access {
    fn symbol(self) -> &'static str {
        match self {
            Access::Full => "full",
            Access::Pseudonymised => "pseud.",
            Access::Hidden => "-",
        }
    }
}

str_enum! {
    /// The fields of a review that the policy governs.
    pub enum Field {
        ReviewSummary => "review_summary", "Reference, stage, lead and partner boards";
        Deadlines => "deadlines", "Deadlines and extensions";
        PersonLabel => "person_label", "Person: label and relationship";
        PersonName => "person_name", "Person: name and aliases";
        PersonDateOfBirth => "person_date_of_birth", "Person: date of birth";
        PersonAddress => "person_address", "Person: address";
        ReferralCircumstances => "referral_circumstances", "Referral: circumstances (free text)";
        ReferralFacts => "referral_facts", "Referral: criteria facts and the engine's proposal";
        CriteriaAssessment => "criteria_assessment", "Initial Panel's criteria assessment";
        Recommendation => "recommendation", "Initial Panel's recommendation and scope";
        ChairDecision => "chair_decision", "Chair's decision and reasons";
        OfstedNotification => "ofsted_notification", "Ofsted notification";
        SetupChecklist => "setup_checklist", "Set-up checklist";
        Appointments => "appointments", "Appointments (panel chair, members, authors)";
        TermsOfReference => "terms_of_reference", "Terms of reference";
        ParallelProcesses => "parallel_processes", "Parallel processes";
        FamilyContributions => "family_contributions", "Family contributions";
        Imrs => "imrs", "IMRs: sections and chronology (own agency's, or once submitted)";
        CombinedChronology => "combined_chronology", "Combined chronology, its gaps and links";
        OverviewReport => "overview_report", "Overview report and agency confirmations";
        ExecutiveSummary => "executive_summary", "Executive summary";
        ActionPlan => "action_plan", "Action plan: actions, progress and closure (action owners: their own)";
        Completion => "completion", "Approval, submission, evaluation and publication";
        Findings => "findings", "Findings and their learning themes";
        AuditTrail => "audit_trail", "Audit trail of the review";
        RapidReview => "rapid_review",
            "Rapid review: notification, agencies' information, meeting, decision, the National Panel's response";
    }
}

str_enum! {
    /// The operations the policy governs.
    pub enum Operation {
        SubmitReferral => "submit_referral", "Refer a case";
        RecordAssessment => "record_assessment", "Record the criteria assessment";
        RecordRecommendation => "record_recommendation", "Record the panel's recommendation";
        DecideReview => "decide_review", "Decide whether a review is held";
        RecordOfstedNotification => "record_ofsted_notification", "Record the Ofsted notification";
        UpdateSetupChecklist => "update_setup_checklist", "Update the set-up checklist";
        ConfirmRecordsSecured => "confirm_records_secured", "Confirm an agency's records are secured";
        Appoint => "appoint", "Appoint the panel chair, members and overview author";
        EditTermsOfReference => "edit_terms_of_reference", "Edit the terms of reference";
        ApproveTermsOfReference => "approve_terms_of_reference", "Approve the terms of reference";
        RecordTermsSent => "record_terms_sent", "Record the terms of reference sent to Ofsted";
        RecordPeople => "record_people", "Record people, relationships and households";
        RecordParallelProcess => "record_parallel_process", "Record a parallel process";
        RecordFamilyContribution => "record_family_contribution", "Record a family contribution";
        RequestImr => "request_imr", "Request an IMR from an involved agency";
        DesignateImrAuthor => "designate_imr_author", "Designate the agency's IMR author";
        WriteImr => "write_imr", "Write and submit the agency's IMR";
        DecideImr => "decide_imr", "Accept an IMR or return it for revision";
        LinkChronologyEntries => "link_chronology_entries", "Link chronology entries that may conflict";
        AdvancePhase => "advance_phase", "Move the review on through chronology, analysis and report";
        EditOverviewReport => "edit_overview_report", "Write the overview report";
        ConfirmRepresentation => "confirm_representation", "Confirm the agency is fairly represented";
        EditExecutiveSummary => "edit_executive_summary", "Edit the executive summary";
        ExportForOutside => "export_for_outside", "Export a document for outside use";
        RecordQualityAssurance => "record_quality_assurance", "Record the quality assurance of the report";
        ApproveReport => "approve_report", "Approve the report for submission";
        SubmitReview => "submit_review", "Submit the review to Ofsted and the DfE";
        RecordOfstedLetter => "record_ofsted_letter", "Record an extension letter or interim report";
        RecordEvaluation => "record_evaluation", "Record Ofsted's evaluation";
        ManageActions => "manage_actions", "Manage the action plan";
        SignUpActions => "sign_up_actions", "Sign the agency up to its actions";
        UpdateAction => "update_action", "Record progress on an action";
        DecideClosure => "decide_closure", "Approve or refuse an action's closure";
        PlanPublication => "plan_publication", "Plan publication and record notices";
        Publish => "publish", "Publish the executive summary";
        Conclude => "conclude", "Conclude the review";
        ExtendDeadline => "extend_deadline", "Extend a deadline";
        ManageUsers => "manage_users", "Manage user accounts";
        RecordFinding => "record_finding", "Record the panel's findings and their learning themes";
        OverrideGateWarning => "override_gate_warning", "Override a warning of the anonymisation gate, with a reason";
        ManageOrganisations => "manage_organisations", "Set up boards, their areas and agencies";
        NotifyNationalPanel => "notify_national_panel", "Notify the National Panel of a serious incident";
        RequestRapidReviewInformation => "request_rapid_review_information",
            "Ask the involved agencies for their information for the rapid review";
        ReturnRapidReviewInformation => "return_rapid_review_information",
            "Return the agency's information for the rapid review";
        RecordRapidReviewMeeting => "record_rapid_review_meeting", "Record the rapid review meeting";
        DecideRapidReview => "decide_rapid_review",
            "Record the partners' decision whether to commission a local review";
        SendRapidReview => "send_rapid_review", "Send the rapid review to the National Panel";
        RecordPanelResponse => "record_panel_response", "Record the National Panel's response";
        RecordLearning => "record_learning", "Close with no further review, recording the learning";
        CommissionReview => "commission_review", "Commission the local child safeguarding practice review";
        AddPartnerBoard => "add_partner_board", "Add a board with an interest as a partner, with the reason";
    }
}

impl Operation {
    /// Operations taken outside any review: allowed by a global role alone.
    pub fn is_global(self) -> bool {
        matches!(self, Operation::SubmitReferral | Operation::ManageUsers | Operation::ManageOrganisations)
    }
}

use Access::{Full as F, Hidden as H, Pseudonymised as P};

/// The field table. Columns follow `Field::ALL`:
/// summary, deadlines, label, name, date of birth, address, circumstances, facts,
/// assessment, recommendation, decision, notification, checklist, appointments,
/// terms of reference, parallel processes, family contributions, IMRs, combined
/// chronology, overview report, executive summary, action plan, completion, findings,
/// audit trail, rapid review.
#[rustfmt::skip]
const FIELD_TABLE: [(Capacity, [Access; 26]); 16] = [
    (Capacity::BoardChair,              [F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F]),
    (Capacity::BusinessManager,         [F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F]),
    (Capacity::InitialPanelMember,      [F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, H, F, F, F, F, F, F, H, F]),
    (Capacity::PanelChair,              [F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, H, F]),
    (Capacity::PanelMember,             [F, F, F, F, F, F, F, F, F, F, F, H, F, F, F, F, F, F, F, F, F, F, F, F, H, F]),
    (Capacity::OverviewAuthor,          [F, F, F, F, F, F, F, F, F, F, F, H, H, F, F, F, F, F, F, F, F, F, F, F, H, F]),
    (Capacity::ImrAuthor,               [F, F, F, F, F, F, F, H, H, H, H, H, H, F, F, F, H, F, H, F, H, H, H, H, H, H]),
    (Capacity::DesignatedProfessional,  [F, F, F, F, F, F, F, F, F, F, F, H, F, F, F, F, F, F, F, F, F, F, F, F, H, H]),
    (Capacity::AgencyManager,           [F, F, F, F, F, H, F, H, H, H, F, H, F, F, F, F, H, F, H, F, H, F, F, F, H, F]),
    (Capacity::Referrer,                [F, F, F, F, F, F, F, F, H, H, F, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H]),
    (Capacity::ActionOwner,             [F, F, F, P, H, H, P, H, H, P, P, H, H, P, P, P, H, H, H, H, P, P, P, P, H, H]),
    (Capacity::PerformanceSubGroup,     [F, F, F, P, H, H, P, F, P, P, P, P, P, P, P, P, H, H, H, P, P, P, P, P, H, P]),
    (Capacity::Inspector,               [F, F, F, P, H, H, P, F, P, P, P, P, H, P, P, P, P, P, P, P, P, P, P, P, H, H]),
    (Capacity::PartnerBoard,            [F, F, F, P, H, H, P, F, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, H, P]),
    (Capacity::ReportingAnalyst,        [F, F, F, P, H, H, H, F, P, P, P, P, H, H, H, P, H, H, H, H, P, P, P, P, H, P]),
    (Capacity::SystemAdministrator,     [H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H]),
];

const fn yes(b: u8) -> bool {
    b == 1
}

/// The operation table. Columns follow `Operation::ALL`:
/// refer, assess, recommend, decide, notify Ofsted, checklist, records secured,
/// appoint, edit terms, approve terms, terms sent, record people, parallel process,
/// family contribution, request IMR, designate author, write IMR, decide IMR, link
/// entries, advance phase, edit report, confirm representation, edit summary,
/// export for outside, quality assurance, approve report, submit, Ofsted letter,
/// evaluation, manage actions, sign up, update action, decide closure, plan
/// publication, publish, conclude, extend deadline, manage users, record finding,
/// override a gate warning (a second person: never the text's writer, checked apart),
/// manage organisations; then the 2023 route: notify the National Panel, request the
/// rapid review's information, return it, record the meeting, decide, send to the
/// National Panel, record its response, record the learning, commission the review;
/// then add a partner board after the referral.
#[rustfmt::skip]
const OPERATION_TABLE: [(Capacity, [u8; 51]); 16] = [
    (Capacity::BoardChair,              [1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 0]),
    (Capacity::BusinessManager,         [1, 0, 0, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1]),
    (Capacity::InitialPanelMember,      [1, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    (Capacity::PanelChair,              [1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    (Capacity::PanelMember,             [1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    (Capacity::OverviewAuthor,          [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    (Capacity::ImrAuthor,               [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    (Capacity::DesignatedProfessional,  [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    (Capacity::AgencyManager,           [1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]),
    (Capacity::Referrer,                [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    (Capacity::ActionOwner,             [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    (Capacity::PerformanceSubGroup,     [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    (Capacity::Inspector,               [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    (Capacity::PartnerBoard,            [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    (Capacity::ReportingAnalyst,        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    (Capacity::SystemAdministrator,     [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
];

fn index_of<T: PartialEq>(all: &[T], x: &T) -> usize {
    all.iter().position(|y| y == x).unwrap_or(usize::MAX)
}

/// What `capacity` may read of `field`. Anything not in the table is hidden.
pub fn field_access(capacity: Capacity, field: Field) -> Access {
    let col = index_of(Field::ALL, &field);
    FIELD_TABLE
        .iter()
        .find(|(c, _)| *c == capacity)
        .and_then(|(_, row)| row.get(col).copied())
        .unwrap_or(Access::Hidden)
}

/// Whether `capacity` may take `op`. Anything not in the table is refused.
pub fn may(capacity: Capacity, op: Operation) -> bool {
    let col = index_of(Operation::ALL, &op);
    OPERATION_TABLE.iter().find(|(c, _)| *c == capacity).and_then(|(_, row)| row.get(col).copied()).is_some_and(yes)
}

/// The capacity a global role acts in for operations outside any review.
pub fn global_capacity(role: Role) -> Capacity {
    match role {
        Role::BoardChair => Capacity::BoardChair,
        Role::BusinessManager => Capacity::BusinessManager,
        Role::InitialPanelMember => Capacity::InitialPanelMember,
        Role::AgencyManager => Capacity::AgencyManager,
        Role::Professional => Capacity::Referrer,
        Role::PerformanceSubGroup => Capacity::PerformanceSubGroup,
        Role::Inspector => Capacity::Inspector,
        Role::PartnerBoard => Capacity::PartnerBoard,
        Role::SystemAdministrator => Capacity::SystemAdministrator,
        Role::ReportingAnalyst => Capacity::ReportingAnalyst,
    }
}

/// Whether a grant of `role` takes effect only when a second person approves it: the
/// roles that read people's names in full across their board or agency, and the
/// administrator's role (which approves such grants). Never the person it is for, nor
/// the person who proposed it.
pub fn grant_needs_second_person(role: Role) -> bool {
    matches!(
        role,
        Role::BoardChair
            | Role::BusinessManager
            | Role::InitialPanelMember
            | Role::AgencyManager
            | Role::SystemAdministrator
    )
}

/// Whether any of the user's global roles allows a global operation.
pub fn may_globally(roles: &[Role], op: Operation) -> bool {
    op.is_global() && roles.iter().any(|r| may(global_capacity(*r), op))
}

/// A role granted to a user, for a board or an agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub role: Role,
    pub board: Option<BoardId>,
    pub agency: Option<AgencyId>,
}

/// What the row-scope rules need to know of the user.
#[derive(Debug, Clone, Copy)]
pub struct Viewer<'a> {
    pub user: UserId,
    pub grants: &'a [Grant],
    /// The user's assignments on this review.
    pub assignments: &'a [Assignment],
}

/// What the row-scope rules need to know of the review.
#[derive(Debug, Clone, Copy)]
pub struct ReviewScope<'a> {
    pub lead_board: BoardId,
    pub partner_boards: &'a [BoardId],
    pub involved_agencies: &'a [AgencyId],
    pub notified_to_ofsted: bool,
    pub referred_by: UserId,
}

str_enum! {
    /// Why a user sees a review at all (SPEC 5).
    pub enum ScopeReason {
        BoardRole => "board_role", "Holds a role on the lead board";
        Assignment => "assignment", "Assigned to the review";
        InvolvedAgencyManager => "involved_agency_manager", "Manages an involved agency";
        PartnerBoard => "partner_board", "Belongs to a partner board";
        NotifiedToOfsted => "notified_to_ofsted", "Inspector of a review notified to Ofsted";
        Referrer => "referrer", "Made the referral";
    }
}

/// Where a role granted for a board or an agency reaches a review (SPEC 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// The grant's board leads the review.
    LeadBoard,
    /// The grant's board leads the review or is one of its partner boards.
    ReviewBoard,
    /// The grant's agency is involved in the review.
    InvolvedAgency,
    /// The review has been notified to Ofsted (whatever the grant's board).
    NotifiedToOfsted,
}

/// One rule of row scope: a role that reaches a review, and the capacity it then acts
/// in (`None`: the role's own, [`global_capacity`]).
#[derive(Debug, Clone, Copy)]
pub struct ScopeRule {
    pub role: Role,
    pub reach: Reach,
    pub capacity: Option<Capacity>,
    pub reason: ScopeReason,
}

const fn rule(role: Role, reach: Reach, capacity: Option<Capacity>, reason: ScopeReason) -> ScopeRule {
    ScopeRule { role, reach, capacity, reason }
}

/// Row scope by role, in order: a grant acts through the first rule of its role that
/// reaches the review, and through no later one. Besides these, everyone acts on a
/// review in the capacity of each assignment they hold on it, and as the referrer of
/// the reviews they referred. [`capacities`] decides with this table in Rust; the
/// server builds the same rules into one condition of its queries, and a property test
/// on both databases proves the two agree.
pub const SCOPE_RULES: &[ScopeRule] = &[
    rule(Role::BoardChair, Reach::LeadBoard, None, ScopeReason::BoardRole),
    rule(Role::BusinessManager, Reach::LeadBoard, None, ScopeReason::BoardRole),
    rule(Role::InitialPanelMember, Reach::LeadBoard, None, ScopeReason::BoardRole),
    rule(Role::PerformanceSubGroup, Reach::LeadBoard, None, ScopeReason::BoardRole),
    rule(Role::ReportingAnalyst, Reach::LeadBoard, None, ScopeReason::BoardRole),
    // A board officer whose board is only a partner sees what a partner board sees.
    rule(Role::BoardChair, Reach::ReviewBoard, Some(Capacity::PartnerBoard), ScopeReason::PartnerBoard),
    rule(Role::BusinessManager, Reach::ReviewBoard, Some(Capacity::PartnerBoard), ScopeReason::PartnerBoard),
    rule(Role::InitialPanelMember, Reach::ReviewBoard, Some(Capacity::PartnerBoard), ScopeReason::PartnerBoard),
    rule(Role::PerformanceSubGroup, Reach::ReviewBoard, Some(Capacity::PartnerBoard), ScopeReason::PartnerBoard),
    rule(Role::PartnerBoard, Reach::ReviewBoard, Some(Capacity::PartnerBoard), ScopeReason::PartnerBoard),
    rule(Role::AgencyManager, Reach::InvolvedAgency, None, ScopeReason::InvolvedAgencyManager),
    rule(Role::Inspector, Reach::NotifiedToOfsted, None, ScopeReason::NotifiedToOfsted),
];

impl ScopeRule {
    /// The capacity a grant acts in through this rule.
    pub fn capacity(&self) -> Capacity {
        self.capacity.unwrap_or_else(|| global_capacity(self.role))
    }

    /// Whether `grant` reaches `review` through this rule.
    pub fn reaches(&self, grant: &Grant, review: &ReviewScope<'_>) -> bool {
        match self.reach {
            Reach::LeadBoard => grant.board == Some(review.lead_board),
            Reach::ReviewBoard => {
                grant.board.is_some_and(|b| b == review.lead_board || review.partner_boards.contains(&b))
            }
            Reach::InvolvedAgency => grant.agency.is_some_and(|a| review.involved_agencies.contains(&a)),
            Reach::NotifiedToOfsted => review.notified_to_ofsted,
        }
    }
}

/// Every capacity in which `viewer` acts on the review, each with its reason.
/// Empty means the review is out of scope: the server answers `NOT_FOUND`.
pub fn capacities(viewer: &Viewer<'_>, review: &ReviewScope<'_>) -> Vec<(Capacity, ScopeReason)> {
    let mut out: Vec<(Capacity, ScopeReason)> = Vec::new();
    for g in viewer.grants {
        let first = SCOPE_RULES.iter().find(|r| r.role == g.role && r.reaches(g, review));
        out.extend(first.map(|r| (r.capacity(), r.reason)));
    }
    out.extend(viewer.assignments.iter().map(|a| (Capacity::from(*a), ScopeReason::Assignment)));
    if viewer.user == review.referred_by {
        out.push((Capacity::Referrer, ScopeReason::Referrer));
    }
    out.sort();
    out.dedup();
    out
}

/// The most any of `caps` may read of `field`.
pub fn best_access(caps: &[Capacity], field: Field) -> Access {
    caps.iter().map(|c| field_access(*c, field)).max().unwrap_or(Access::Hidden)
}

/// Whether any of `caps` may take `op`.
pub fn may_any(caps: &[Capacity], op: Operation) -> bool {
    caps.iter().any(|c| may(*c, op))
}

/// How much of one agency's IMR a caller sees (SPEC 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ImrView {
    /// Not listed at all.
    Hidden,
    /// Listed with its status, deadline and author, its content withheld (a draft).
    Status,
    /// Listed with its content, at the caller's access to `Field::Imrs`.
    Content,
}

/// IMR authors and agency managers see their own agency's IMR, drafts included, and no
/// other agency's; everyone else who may read IMRs sees every agency's status and the
/// content once submitted.
pub fn imr_view(caps: &[Capacity], own_agencies: &[AgencyId], imr_agency: AgencyId, submitted: bool) -> ImrView {
    let agency_bound = |c: &Capacity| matches!(c, Capacity::ImrAuthor | Capacity::AgencyManager);
    let reads = |c: &Capacity| field_access(*c, Field::Imrs) > Access::Hidden;
    let mut best = ImrView::Hidden;
    for c in caps.iter().filter(|c| reads(c)) {
        let view = match (agency_bound(c), submitted) {
            (true, _) if own_agencies.contains(&imr_agency) => ImrView::Content,
            (true, _) => ImrView::Hidden,
            (false, true) => ImrView::Content,
            (false, false) => ImrView::Status,
        };
        best = best.max(view);
    }
    best
}

/// Whether the caller sees an action owned by `owner`: an action owner only their own;
/// everyone else who may read the action plan, every action.
pub fn action_visible(caps: &[Capacity], caller: UserId, owner: UserId) -> bool {
    caps.iter().any(|c| {
        field_access(*c, Field::ActionPlan) > Access::Hidden && (*c != Capacity::ActionOwner || caller == owner)
    })
}

/// Who reads the board's reports across reviews (counts only, no names): the board's
/// officers and the read-only reporting analyst, on the reviews their board leads.
pub const REPORT_READERS: [Capacity; 5] = [
    Capacity::BoardChair,
    Capacity::BusinessManager,
    Capacity::InitialPanelMember,
    Capacity::PerformanceSubGroup,
    Capacity::ReportingAnalyst,
];

/// Whether `capacity` reads the board's reports.
pub fn reads_reports(capacity: Capacity) -> bool {
    REPORT_READERS.contains(&capacity)
}

/// The two tables as Markdown, for `docs/ACCESS.md`.
pub fn render_markdown() -> String {
    let mut s = String::from(
        "# Access policy\n\nGenerated from `shared/src/policy.rs` (`policy::render_markdown`); a test fails when this file is stale.\n\n\
         `full`: the field as recorded. `pseud.`: people by their labels, registered names replaced in free text. `-`: refused (`FORBIDDEN`).\n\n## Fields\n\n| field |",
    );
    for (c, _) in FIELD_TABLE.iter() {
        s.push_str(&format!(" {} |", c.title()));
    }
    s.push_str("\n| --- |");
    s.push_str(&" :-: |".repeat(FIELD_TABLE.len()));
    s.push('\n');
    for f in Field::ALL {
        s.push_str(&format!("| {} |", f.title()));
        for (c, _) in FIELD_TABLE.iter() {
            s.push_str(&format!(" {} |", field_access(*c, *f).symbol()));
        }
        s.push('\n');
    }
    s.push_str("\n## Operations\n\n| operation |");
    for (c, _) in OPERATION_TABLE.iter() {
        s.push_str(&format!(" {} |", c.title()));
    }
    s.push_str("\n| --- |");
    s.push_str(&" :-: |".repeat(OPERATION_TABLE.len()));
    s.push('\n');
    for op in Operation::ALL {
        s.push_str(&format!("| {} |", op.title()));
        for (c, _) in OPERATION_TABLE.iter() {
            s.push_str(if may(*c, *op) { " yes |" } else { " - |" });
        }
        s.push('\n');
    }
    for p in crate::profile::PROFILES {
        s.push_str(&format!(
            "\n## Stages: {}\n\nA review keeps the procedure it started under. Stages in order: {}.\n\n| operation | may be taken at | moves the review to |\n| --- | --- | --- |\n",
            p.kind.title(),
            p.stages.iter().map(|x| p.title(*x)).collect::<Vec<_>>().join("; ")
        ));
        for op in p.operations() {
            let stages = p
                .allowed_in(op)
                .map_or_else(|| "any".to_owned(), |st| st.iter().map(|x| p.title(*x)).collect::<Vec<_>>().join(", "));
            let moves = p.moves_to(op).iter().map(|x| p.title(*x)).collect::<Vec<_>>().join(" or ");
            let moves = if moves.is_empty() { "-".to_owned() } else { moves };
            s.push_str(&format!("| {} | {} | {} |\n", op.title(), stages, moves));
        }
    }
    s.push_str(
        "\n## Row scope\n\nA user sees a review only through one of these reasons, each giving the capacity named:\n\n",
    );
    for r in ScopeReason::ALL {
        s.push_str(&format!("- {}\n", r.title()));
    }
    s.push_str(
        "\nBoard officers (chair, business manager, Initial Panel, performance sub-group) act in their own capacity on reviews their board leads, and as a partner board on reviews where their board is a partner. \
         An agency manager acts as one on reviews involving the agency; an inspector once the review has been notified to Ofsted; a referring professional on the referral they made. \
         The system administrator has no reason to see any review.\n",
    );
    s.push_str("\n## Reports across reviews\n\nCounts only, over the reviews the reader's board leads: ");
    s.push_str(&REPORT_READERS.iter().map(|c| c.title()).collect::<Vec<_>>().join(", "));
    s.push_str(".\n");
    s
}

#[cfg(test)]
#[path = "policy_tests.rs"]
mod tests;
