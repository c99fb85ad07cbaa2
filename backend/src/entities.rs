//! Database entities: one per table, backend only. They never reach the API as they
//! are: GraphQL objects (each feature's `graphql`) are built from them through the policy.

/// One table's entity; relations are followed through `graphql::loaders`, in batches,
/// so none are declared here.
macro_rules! entity {
    ($module:ident, $table:tt, { $($field:tt)* }) => {
        pub mod $module {
            use sea_orm::entity::prelude::*;

            #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
            #[sea_orm(table_name = $table)]
            pub struct Model {
                #[sea_orm(primary_key)]
                pub id: i32,
                $($field)*
            }

            #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
            pub enum Relation {}

            impl ActiveModelBehavior for ActiveModel {}
        }
    };
}

entity!(board, "boards", {
    pub name: String,
    pub procedure_profile: String,
    pub created_at: DateTimeUtc,
    /// Everyone on the board signs in with a second factor, not only those who read names.
    pub second_factor_for_all: bool,
    /// The board's own closure days, a JSON list of dates: skipped with weekends and
    /// bank holidays when working days are counted.
    pub closure_days: String,
});

entity!(agency, "agencies", {
    pub name: String,
    pub kind: String,
    pub board_id: i32,
    /// A closed agency stays on the reviews that name it and leaves every picker.
    pub active: bool,
});

entity!(local_authority_area, "local_authority_areas", {
    pub name: String,
    pub board_id: i32,
});

entity!(user, "users", {
    pub email: String,
    pub name: String,
    pub job_title: Option<String>,
    pub password_hash: String,
    pub agency_id: Option<i32>,
    pub active: bool,
    pub created_at: DateTimeUtc,
    /// Raised to revoke every token issued before (sign out everywhere, a password
    /// changed, a role removed, the account deactivated).
    pub session_generation: i32,
    /// Raised to revoke the calendar-feed address issued before.
    pub calendar_generation: i32,
    pub last_sign_in_at: Option<DateTimeUtc>,
    /// The password is known to its owner alone (set through a link only they
    /// received, or from the command line): a role that reads names in full is
    /// approved only on such a password.
    pub password_private: bool,
    /// The TOTP secret (base32) of an enrolled second factor.
    pub totp_secret: Option<String>,
    /// A secret shown for enrolment, kept until a code from it confirms it.
    pub totp_pending_secret: Option<String>,
    /// The time step of the last code accepted: no code of it or before is accepted again.
    pub totp_last_step: Option<i64>,
    /// Wrong codes since the last right one: at `second_factor::MAX_FAILURES` the factor
    /// is locked until reset.
    pub totp_failures: Option<i32>,
    /// Who proposed resetting the second factor, awaiting a second person.
    pub factor_reset_proposed_by: Option<i32>,
});

entity!(sign_in_session, "sign_in_sessions", {
    pub user_id: i32,
    /// How the person signed in: `password`, `password+totp`, `recovery-code`, `provider`.
    pub method: String,
    /// The user's session generation at sign-in: a session of an older one has ended.
    pub generation: i32,
    pub started_at: DateTimeUtc,
    pub last_active_at: DateTimeUtc,
    /// The absolute end, however active the session is.
    pub ends_at: DateTimeUtc,
    pub ended_at: Option<DateTimeUtc>,
    pub end_reason: Option<String>,
});

entity!(refresh_token, "refresh_tokens", {
    pub session_id: i32,
    /// SHA-256 of the token, hex.
    pub token_hash: String,
    pub issued_at: DateTimeUtc,
    pub used_at: Option<DateTimeUtc>,
});

entity!(recovery_code, "recovery_codes", {
    pub user_id: i32,
    /// SHA-256 of the code (random, about 49 bits), hex.
    pub code_hash: String,
    pub used_at: Option<DateTimeUtc>,
});

entity!(external_identity, "external_identities", {
    pub user_id: i32,
    /// The identity provider (`iss`) and its subject (`sub`): one account each.
    pub issuer: String,
    pub subject: String,
    pub bound_at: DateTimeUtc,
});

entity!(grant_proposal, "grant_proposals", {
    pub user_id: i32,
    pub role: String,
    pub board_id: Option<i32>,
    pub agency_id: Option<i32>,
    /// `None`: proposed from the command line.
    pub proposed_by: Option<i32>,
    pub proposed_at: DateTimeUtc,
    pub decided_by: Option<i32>,
    pub decided_at: Option<DateTimeUtc>,
    /// `approved` or `refused`; `None` while pending.
    pub outcome: Option<String>,
    pub reason: Option<String>,
});

entity!(one_time_link, "one_time_links", {
    pub user_id: i32,
    /// `invitation` or `reset`.
    pub purpose: String,
    /// SHA-256 of the token, hex: the token itself is never stored.
    pub token_hash: String,
    pub expires_at: DateTimeUtc,
    pub used_at: Option<DateTimeUtc>,
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
    /// Delivered to its person alone (e-mailed, or printed on the server), never
    /// shown to whoever issued it.
    pub private: bool,
});

entity!(role_grant, "role_grants", {
    pub user_id: i32,
    pub role: String,
    pub board_id: Option<i32>,
    pub agency_id: Option<i32>,
});

entity!(review, "reviews", {
    pub reference: String,
    pub stage: String,
    pub lead_board_id: i32,
    pub referred_by: i32,
    pub referred_on: Date,
    pub decided_on: Option<Date>,
    pub notified_to_ofsted: bool,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The procedure the review started under (`shared::profile::ProfileKind`), kept
    /// whatever its board runs later.
    pub profile: String,
});

entity!(referral, "referrals", {
    pub review_id: i32,
    pub circumstances: String,
    pub facts: String,
    pub looked_after_by_board_id: Option<i32>,
    pub normal_residence_board_id: i32,
    pub lead_board_reason: String,
    /// Boards an involved agency would have made partners that were left out, each
    /// with its reason: a JSON list of `shared::lead_board::LeftOut`.
    pub boards_left_out: String,
    /// Boards added as partners after the referral, each with its reason: a JSON list
    /// of `shared::lead_board::Added`.
    pub boards_added: String,
});

entity!(review_board, "review_boards", {
    pub review_id: i32,
    pub board_id: i32,
    pub is_lead: bool,
});

entity!(review_agency, "review_agencies", {
    pub review_id: i32,
    pub agency_id: i32,
});

entity!(review_assignment, "review_assignments", {
    pub review_id: i32,
    pub user_id: i32,
    pub assignment: String,
    pub agency_id: Option<i32>,
    pub appointed_by: i32,
    pub appointed_at: DateTimeUtc,
    /// The day the appointment was made; when it was recorded is `appointed_at`.
    pub appointed_on: Option<Date>,
});

entity!(person, "people", {
    pub review_id: i32,
    pub label: String,
    pub relationship: String,
    pub name: String,
    pub aliases: String,
    pub date_of_birth: Option<Date>,
    pub address: Option<String>,
    pub agency_id: Option<i32>,
});

entity!(criteria_assessment, "criteria_assessments", {
    pub review_id: i32,
    pub category: String,
    pub engine_category: String,
    pub reasons: String,
    pub assessed_by: i32,
    /// When it was recorded; `assessed_on` is when the panel assessed.
    pub assessed_at: DateTimeUtc,
    pub assessed_on: Option<Date>,
});

entity!(recommendation, "recommendations", {
    pub review_id: i32,
    pub conduct: bool,
    pub alternative: Option<String>,
    pub scope: Option<String>,
    pub reasons: String,
    pub recommended_by: i32,
    /// When it was recorded; `recommended_on` is when the panel recommended.
    pub recommended_at: DateTimeUtc,
    pub recommended_on: Option<Date>,
});

entity!(decision, "decisions", {
    pub review_id: i32,
    pub conduct: bool,
    pub outcome: Option<String>,
    pub reasons: String,
    pub decided_by: i32,
    pub decided_on: Date,
});

entity!(notification, "notifications", {
    pub review_id: i32,
    pub recipient: String,
    pub subject: String,
    pub reasons: Option<String>,
    pub sent_on: Date,
    pub terms_sent_on: Option<Date>,
    pub recorded_by: i32,
    pub recorded_at: DateTimeUtc,
});

entity!(setup_checklist_item, "setup_checklist_items", {
    pub review_id: i32,
    pub item: String,
    pub agency_id: Option<i32>,
    pub done: bool,
    pub done_on: Option<Date>,
    pub note: Option<String>,
    pub done_by: Option<i32>,
});

entity!(terms_of_reference, "terms_of_reference", {
    pub review_id: i32,
    pub version: i32,
    pub answers: String,
    pub saved_by: i32,
    pub saved_at: DateTimeUtc,
    pub approved_by: Option<i32>,
    /// When the approval was recorded; `approved_on` is the day the Chair approved.
    pub approved_at: Option<DateTimeUtc>,
    pub approved_on: Option<Date>,
});

entity!(deadline, "deadlines", {
    pub review_id: i32,
    pub kind: String,
    pub starts_on: Date,
    pub due_on: Date,
    pub original_due_on: Date,
    pub met_on: Option<Date>,
});

entity!(deadline_extension, "deadline_extensions", {
    pub deadline_id: i32,
    pub from_due: Date,
    pub to_due: Date,
    pub reason: String,
    pub granted_by: i32,
    pub granted_at: DateTimeUtc,
});

entity!(audit_entry, "audit_log", {
    pub at: DateTimeUtc,
    pub actor_id: Option<i32>,
    pub operation: String,
    pub record_type: String,
    pub record_id: i32,
    pub review_id: Option<i32>,
    pub version: Option<i32>,
    /// The hash of the entry before (empty for the first).
    pub prev_hash: String,
    /// HMAC-SHA-256 (or, without a key, SHA-256) over `prev_hash` and this entry's
    /// fields (`audit::entry_hash`).
    pub hash: String,
    /// The key the hash was made with (`audit::key_id`); none: plain SHA-256.
    pub key_id: Option<String>,
});

entity!(audit_head, "audit_head", {
    pub hash: String,
    pub entries: i32,
});

entity!(relationship, "relationships", {
    pub review_id: i32,
    pub from_person_id: i32,
    pub to_person_id: i32,
    pub tie: String,
});

entity!(household, "households", {
    pub review_id: i32,
    pub label: String,
});

entity!(household_member, "household_members", {
    pub household_id: i32,
    pub person_id: i32,
});

entity!(parallel_process, "parallel_processes", {
    pub review_id: i32,
    pub kind: String,
    pub status: String,
    pub description: String,
    pub expected_end: Option<Date>,
    pub updated_at: DateTimeUtc,
});

entity!(family_contribution, "family_contributions", {
    pub review_id: i32,
    pub person_id: Option<i32>,
    pub contributed_on: Date,
    pub method: String,
    pub summary: String,
    pub recorded_by: i32,
});

entity!(imr, "imrs", {
    pub review_id: i32,
    pub agency_id: i32,
    pub status: String,
    pub due_on: Date,
    pub requested_by: i32,
    pub requested_at: DateTimeUtc,
    pub author_id: Option<i32>,
    pub designated_by: Option<i32>,
    pub declared_at: Option<DateTimeUtc>,
    pub version: i32,
    pub content: String,
    pub submitted_at: Option<DateTimeUtc>,
    pub panel_comments: Option<String>,
    pub decided_by: Option<i32>,
    pub decided_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
    /// The days the IMR was requested, submitted and accepted or returned; when each
    /// was recorded is the matching `_at`.
    pub requested_on: Option<Date>,
    pub submitted_on: Option<Date>,
    pub decided_on: Option<Date>,
});

entity!(imr_version, "imr_versions", {
    pub imr_id: i32,
    pub version: i32,
    pub content: String,
    pub saved_by: i32,
    pub saved_at: DateTimeUtc,
});

entity!(chronology_entry, "chronology_entries", {
    pub review_id: i32,
    pub imr_id: i32,
    pub agency_id: i32,
    pub on_date: Date,
    pub at_time: Option<Time>,
    pub precision: String,
    pub sequence: i32,
    pub practitioner_role: String,
    pub event: String,
    pub decision_or_action: String,
    pub child_seen: bool,
    pub seen_alone: bool,
    pub wishes_sought: bool,
    pub perpetrator_contact: bool,
    pub source: String,
    pub people: String,
    pub version: i32,
    pub updated_at: DateTimeUtc,
});

entity!(chronology_link, "chronology_links", {
    pub review_id: i32,
    pub entry_a: i32,
    pub entry_b: i32,
    pub note: String,
    pub linked_by: i32,
    pub linked_at: DateTimeUtc,
});

entity!(overview_report, "overview_reports", {
    pub review_id: i32,
    pub version: i32,
    pub sections: String,
    pub saved_by: i32,
    pub saved_at: DateTimeUtc,
});

entity!(executive_summary, "executive_summaries", {
    pub review_id: i32,
    pub version: i32,
    pub sections: String,
    pub saved_by: i32,
    pub saved_at: DateTimeUtc,
});

entity!(report_confirmation, "report_confirmations", {
    pub review_id: i32,
    pub agency_id: i32,
    pub report_version: i32,
    pub comment: Option<String>,
    pub confirmed_by: i32,
    pub confirmed_at: DateTimeUtc,
});

entity!(milestone, "milestones", {
    pub review_id: i32,
    pub kind: String,
    /// For notices, the body told; empty otherwise.
    pub body: String,
    pub on_date: Date,
    pub details: String,
    pub recorded_by: i32,
    pub recorded_at: DateTimeUtc,
});

entity!(amendment, "amendments", {
    pub review_id: i32,
    pub description: String,
    pub done_on: Option<Date>,
    pub done_by: Option<i32>,
});

entity!(action, "actions", {
    pub review_id: i32,
    pub recommendation: String,
    pub agency_id: i32,
    pub owner_id: i32,
    pub due_on: Date,
    pub intended_outcome: String,
    pub success_measure: String,
    pub status: String,
    pub signed_up_by: Option<i32>,
    pub signed_up_at: Option<DateTimeUtc>,
    pub closure_comment: Option<String>,
    pub closed_by: Option<i32>,
    pub closed_at: Option<DateTimeUtc>,
    pub reaudit_on: Option<Date>,
    pub reaudit_result: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
});

entity!(action_update, "action_updates", {
    pub action_id: i32,
    pub note: String,
    pub recorded_by: i32,
    pub recorded_at: DateTimeUtc,
});

entity!(action_evidence, "action_evidence", {
    pub action_id: i32,
    pub file_name: String,
    pub kind: String,
    pub size: i32,
    pub bytes: Vec<u8>,
    pub uploaded_by: i32,
    pub uploaded_at: DateTimeUtc,
});

entity!(finding, "findings", {
    pub review_id: i32,
    pub text: String,
    pub recorded_by: i32,
    pub recorded_at: DateTimeUtc,
});

entity!(finding_theme, "finding_themes", {
    pub finding_id: i32,
    pub theme: String,
});

entity!(user_notification, "user_notifications", {
    pub user_id: i32,
    pub review_id: Option<i32>,
    pub kind: String,
    pub message: String,
    pub path: String,
    pub created_at: DateTimeUtc,
    pub read_at: Option<DateTimeUtc>,
});

entity!(login_failure, "login_failures", {
    pub email: String,
    pub failed_at: DateTimeUtc,
});

entity!(identity_read, "identity_reads", {
    pub user_id: i32,
    pub review_id: i32,
    pub person_id: i32,
    pub field: String,
    pub read_at: DateTimeUtc,
});

entity!(gate_override, "gate_overrides", {
    pub review_id: i32,
    pub document: String,
    pub version: String,
    pub kind: String,
    pub found: String,
    pub reason: String,
    pub overridden_by: i32,
    pub overridden_at: DateTimeUtc,
});

entity!(rapid_review, "rapid_reviews", {
    pub review_id: i32,
    /// When the National Panel was notified of the serious incident.
    pub notified_on: Date,
    pub notified_by: i32,
    pub information_requested_on: Option<Date>,
    pub meeting_on: Option<Date>,
    pub meeting_notes: Option<String>,
    /// Whether the partners decided to commission a local review.
    pub commission: Option<bool>,
    pub reasons: Option<String>,
    pub decided_on: Option<Date>,
    pub decided_by: Option<i32>,
    /// When the rapid review was sent to the National Panel.
    pub sent_on: Option<Date>,
    pub panel_response: Option<String>,
    pub panel_responded_on: Option<Date>,
    /// The learning recorded when no local review follows.
    pub learning: Option<String>,
    pub closed_on: Option<Date>,
    pub commissioned_on: Option<Date>,
});

entity!(rapid_review_information, "rapid_review_information", {
    pub review_id: i32,
    pub agency_id: i32,
    pub requested_on: Date,
    pub returned_on: Option<Date>,
    pub summary: Option<String>,
    pub returned_by: Option<i32>,
});
