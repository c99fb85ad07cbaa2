//! Mutations: each one a step of the procedure, guarded by role and stage, written
//! with its audit entry in one transaction (see `services`).

use std::sync::Arc;

use async_graphql::{Context, Object};
use chrono::NaiveDate;
use shared::policy::Grant;

use super::enums::*;
use super::errors::GqlResult;
use super::inputs::*;
use super::types::loaders;
use super::types::*;
use super::{caller, state};
use crate::access;
use crate::completion;
use crate::errors::ApiError;
use crate::review_phase::{self, Doc};
use crate::{decision_phase, people, users};

pub struct Mutation;

async fn reload(ctx: &Context<'_>, review_id: i32) -> GqlResult<Review> {
    // What this request read before the change is stale now.
    crate::graphql::loaders::forget(loaders(ctx)?);
    let a = access::for_review(&state(ctx)?.db, caller(ctx)?, review_id).await?;
    Ok(Review(Arc::new(a)))
}

/// The review of an IMR the caller just changed.
async fn reload_imr(ctx: &Context<'_>, imr_id: i32) -> GqlResult<Review> {
    use sea_orm::EntityTrait;
    let i = crate::entities::imr::Entity::find_by_id(imr_id).one(&state(ctx)?.db).await?.ok_or(ApiError::NotFound)?;
    reload(ctx, i.review_id).await
}

#[Object]
impl Mutation {
    /// Signs in. The token goes in `Authorization: Bearer <token>`.
    async fn login(&self, ctx: &Context<'_>, email: String, password: String) -> GqlResult<LoginResult> {
        let st = state(ctx)?;
        if password.len() > 1024 {
            return Err(ApiError::Unauthenticated.into());
        }
        let (token, user) = users::login(&st.db, &st.tokens, &email, &password).await?;
        let caller = crate::context::Caller::load(&st.db, &crate::auth::Subject::User(user.id)).await?;
        Ok(LoginResult {
            token,
            expires_at: chrono::Utc::now() + st.tokens.lifetime(),
            user: UserAccount { user: caller.user, grants: caller.grants },
        })
    }

    /// Stage 1: refer a case.
    async fn submit_referral(&self, ctx: &Context<'_>, input: ReferralInput) -> GqlResult<Review> {
        let id = decision_phase::submit_referral(&state(ctx)?.db, caller(ctx)?, input.into()).await?;
        reload(ctx, id).await
    }

    /// Stage 2: the Initial Panel's view of the criteria.
    async fn record_criteria_assessment(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        category: CategoryGql,
        reasons: String,
    ) -> GqlResult<Review> {
        decision_phase::record_assessment(&state(ctx)?.db, caller(ctx)?, review_id, category.into(), &reasons).await?;
        reload(ctx, review_id).await
    }

    /// Stage 3: the Initial Panel's recommendation.
    async fn record_recommendation(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        conduct: bool,
        alternative: Option<NoReviewOutcomeGql>,
        scope: Option<String>,
        reasons: String,
    ) -> GqlResult<Review> {
        decision_phase::record_recommendation(
            &state(ctx)?.db,
            caller(ctx)?,
            review_id,
            conduct,
            alternative.map(Into::into),
            scope.as_deref(),
            &reasons,
        )
        .await?;
        reload(ctx, review_id).await
    }

    /// Stage 4: the Chair's decision, with reasons.
    async fn decide_review(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        conduct: bool,
        outcome: Option<NoReviewOutcomeGql>,
        reasons: String,
    ) -> GqlResult<Review> {
        decision_phase::decide(&state(ctx)?.db, caller(ctx)?, review_id, conduct, outcome.map(Into::into), &reasons)
            .await?;
        reload(ctx, review_id).await
    }

    /// Stage 5: Ofsted told of the decision.
    async fn record_ofsted_notification(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        sent_on: NaiveDate,
        reasons: Option<String>,
    ) -> GqlResult<Review> {
        decision_phase::record_ofsted_notification(
            &state(ctx)?.db,
            caller(ctx)?,
            review_id,
            sent_on,
            reasons.as_deref(),
        )
        .await?;
        reload(ctx, review_id).await
    }

    /// Stage 6: tick or untick an item of the set-up checklist.
    async fn update_setup_checklist_item(
        &self,
        ctx: &Context<'_>,
        item_id: i32,
        done: bool,
        note: Option<String>,
        done_on: Option<NaiveDate>,
    ) -> GqlResult<Review> {
        let item = decision_phase::update_checklist_item(
            &state(ctx)?.db,
            caller(ctx)?,
            item_id,
            done,
            note.as_deref(),
            done_on,
        )
        .await?;
        reload(ctx, item.review_id).await
    }

    /// Stage 6: appoint the panel chair, a panel member, the overview author or a
    /// designated professional. Independence failures are refused with every reason.
    async fn appoint(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        user_id: i32,
        assignment: AssignmentGql,
    ) -> GqlResult<Review> {
        decision_phase::appoint(&state(ctx)?.db, caller(ctx)?, review_id, user_id, assignment.into()).await?;
        reload(ctx, review_id).await
    }

    /// Stage 6 complete.
    async fn complete_set_up(&self, ctx: &Context<'_>, review_id: i32) -> GqlResult<Review> {
        decision_phase::complete_set_up(&state(ctx)?.db, caller(ctx)?, review_id).await?;
        reload(ctx, review_id).await
    }

    /// Stage 7: save the terms of reference as a new version. `expectedVersion` is the
    /// version you started from (0 for the first); a stale one is refused with `CONFLICT`.
    async fn save_terms_of_reference(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        expected_version: i32,
        answers: Vec<TermsAnswerInput>,
    ) -> GqlResult<Review> {
        let answers: Vec<(Option<String>, bool)> = answers.into_iter().map(|a| (a.text, a.not_applicable)).collect();
        decision_phase::save_terms(&state(ctx)?.db, caller(ctx)?, review_id, expected_version, &answers).await?;
        reload(ctx, review_id).await
    }

    /// Stage 7 complete: the Chair approves a version of the terms of reference.
    async fn approve_terms_of_reference(&self, ctx: &Context<'_>, review_id: i32, version: i32) -> GqlResult<Review> {
        decision_phase::approve_terms(&state(ctx)?.db, caller(ctx)?, review_id, version).await?;
        reload(ctx, review_id).await
    }

    /// The approved terms of reference were sent to Ofsted.
    async fn record_terms_sent_to_ofsted(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        sent_on: NaiveDate,
    ) -> GqlResult<Review> {
        decision_phase::record_terms_sent(&state(ctx)?.db, caller(ctx)?, review_id, sent_on).await?;
        reload(ctx, review_id).await
    }

    /// Add a person to the review: a sibling, a carer, a professional...
    async fn add_person(&self, ctx: &Context<'_>, review_id: i32, input: PersonInput) -> GqlResult<Review> {
        people::add_person(&state(ctx)?.db, caller(ctx)?, review_id, input.into()).await?;
        reload(ctx, review_id).await
    }

    /// Record how two people of the review are related, read "from ... to".
    async fn add_relationship(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        from_person_id: i32,
        to_person_id: i32,
        tie: TieGql,
    ) -> GqlResult<Review> {
        people::add_relationship(&state(ctx)?.db, caller(ctx)?, review_id, from_person_id, to_person_id, tie.into())
            .await?;
        reload(ctx, review_id).await
    }

    /// Name a household and who lives in it (replacing its members if it exists).
    async fn set_household(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        label: String,
        person_ids: Vec<i32>,
    ) -> GqlResult<Review> {
        people::set_household(&state(ctx)?.db, caller(ctx)?, review_id, &label, &person_ids).await?;
        reload(ctx, review_id).await
    }

    /// Record a process running beside the review.
    async fn record_parallel_process(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        kind: ParallelProcessKindGql,
        status: ProcessStatusGql,
        description: String,
        expected_end: Option<NaiveDate>,
    ) -> GqlResult<Review> {
        let db = &state(ctx)?.db;
        people::record_parallel_process(
            db,
            caller(ctx)?,
            review_id,
            kind.into(),
            status.into(),
            &description,
            expected_end,
        )
        .await?;
        reload(ctx, review_id).await
    }

    /// Move a parallel process on.
    async fn update_parallel_process(
        &self,
        ctx: &Context<'_>,
        process_id: i32,
        status: ProcessStatusGql,
        expected_end: Option<NaiveDate>,
    ) -> GqlResult<Review> {
        let review_id =
            people::update_parallel_process(&state(ctx)?.db, caller(ctx)?, process_id, status.into(), expected_end)
                .await?;
        reload(ctx, review_id).await
    }

    /// Record a family member's contribution to the review.
    async fn record_family_contribution(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        person_id: Option<i32>,
        contributed_on: NaiveDate,
        method: ContributionMethodGql,
        summary: String,
    ) -> GqlResult<Review> {
        let db = &state(ctx)?.db;
        people::record_family_contribution(
            db,
            caller(ctx)?,
            review_id,
            person_id,
            contributed_on,
            method.into(),
            &summary,
        )
        .await?;
        reload(ctx, review_id).await
    }

    /// Record one of the panel's findings, tagged with its learning themes.
    async fn record_finding(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        text: String,
        themes: Vec<ThemeGql>,
    ) -> GqlResult<Review> {
        let themes: Vec<shared::findings::Theme> = themes.into_iter().map(Into::into).collect();
        crate::findings::record_finding(&state(ctx)?.db, caller(ctx)?, review_id, &text, &themes).await?;
        reload(ctx, review_id).await
    }

    /// Remove a finding and its themes.
    async fn remove_finding(&self, ctx: &Context<'_>, finding_id: i32) -> GqlResult<Review> {
        let review_id = crate::findings::remove_finding(&state(ctx)?.db, caller(ctx)?, finding_id).await?;
        reload(ctx, review_id).await
    }

    /// Mark the caller's notifications read: those named, or all when none are named.
    /// Returns how many were marked.
    async fn mark_notifications_read(&self, ctx: &Context<'_>, ids: Option<Vec<i32>>) -> GqlResult<i32> {
        let n = crate::notify::mark_read(&state(ctx)?.db, caller(ctx)?, ids).await?;
        Ok(i32::try_from(n).unwrap_or(i32::MAX))
    }

    /// Move a deadline later, with the reason; the history is kept.
    async fn extend_deadline(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        kind: DeadlineKindGql,
        due_on: NaiveDate,
        reason: String,
    ) -> GqlResult<Review> {
        decision_phase::extend_deadline(&state(ctx)?.db, caller(ctx)?, review_id, kind.into(), due_on, &reason).await?;
        reload(ctx, review_id).await
    }

    /// Stage 8: ask involved agencies for their IMRs, due with the review's IMR deadline.
    async fn request_imrs(&self, ctx: &Context<'_>, review_id: i32, agency_ids: Vec<i32>) -> GqlResult<Review> {
        review_phase::request_imrs(&state(ctx)?.db, caller(ctx)?, review_id, &agency_ids).await?;
        reload(ctx, review_id).await
    }

    /// The agency manager designates who writes the agency's IMR.
    async fn designate_imr_author(&self, ctx: &Context<'_>, imr_id: i32, user_id: i32) -> GqlResult<Review> {
        review_phase::designate_imr_author(&state(ctx)?.db, caller(ctx)?, imr_id, user_id).await?;
        reload_imr(ctx, imr_id).await
    }

    /// The designated author declares independence; refused, with the reasons, when it fails.
    async fn declare_imr_independence(
        &self,
        ctx: &Context<'_>,
        imr_id: i32,
        direct_involvement: bool,
        line_manages_practitioners: bool,
    ) -> GqlResult<Review> {
        let db = &state(ctx)?.db;
        review_phase::declare_independence(db, caller(ctx)?, imr_id, direct_involvement, line_manages_practitioners)
            .await?;
        reload_imr(ctx, imr_id).await
    }

    /// Save a new version of the IMR's sections; `expectedVersion` is the version edited.
    async fn save_imr(
        &self,
        ctx: &Context<'_>,
        imr_id: i32,
        expected_version: i32,
        content: ImrContentInput,
    ) -> GqlResult<Review> {
        review_phase::save_imr(&state(ctx)?.db, caller(ctx)?, imr_id, expected_version, content.into()).await?;
        reload_imr(ctx, imr_id).await
    }

    /// Add an entry to the IMR's chronology.
    async fn add_chronology_entry(
        &self,
        ctx: &Context<'_>,
        imr_id: i32,
        entry: ChronologyEntryInput,
    ) -> GqlResult<Review> {
        review_phase::add_entry(&state(ctx)?.db, caller(ctx)?, imr_id, entry.try_into()?).await?;
        reload_imr(ctx, imr_id).await
    }

    /// Change a chronology entry; `expectedVersion` is the entry's version edited.
    async fn update_chronology_entry(
        &self,
        ctx: &Context<'_>,
        entry_id: i32,
        expected_version: i32,
        entry: ChronologyEntryInput,
    ) -> GqlResult<Review> {
        let review_id =
            review_phase::update_entry(&state(ctx)?.db, caller(ctx)?, entry_id, expected_version, entry.try_into()?)
                .await?;
        reload(ctx, review_id).await
    }

    /// Remove a chronology entry.
    async fn delete_chronology_entry(
        &self,
        ctx: &Context<'_>,
        entry_id: i32,
        expected_version: i32,
    ) -> GqlResult<Review> {
        let review_id = review_phase::delete_entry(&state(ctx)?.db, caller(ctx)?, entry_id, expected_version).await?;
        reload(ctx, review_id).await
    }

    /// Submit the IMR to the panel: refused, listing what is missing, until complete.
    async fn submit_imr(&self, ctx: &Context<'_>, imr_id: i32, expected_version: i32) -> GqlResult<Review> {
        review_phase::submit_imr(&state(ctx)?.db, caller(ctx)?, imr_id, expected_version).await?;
        reload_imr(ctx, imr_id).await
    }

    /// The panel accepts a submitted IMR, or returns it with comments.
    async fn decide_imr(
        &self,
        ctx: &Context<'_>,
        imr_id: i32,
        accept: bool,
        comments: Option<String>,
    ) -> GqlResult<Review> {
        review_phase::decide_imr(&state(ctx)?.db, caller(ctx)?, imr_id, accept, comments.as_deref()).await?;
        reload_imr(ctx, imr_id).await
    }

    /// Link two entries of the combined chronology that describe the same event differently.
    async fn link_chronology_entries(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        entry_a: i32,
        entry_b: i32,
        note: String,
    ) -> GqlResult<Review> {
        review_phase::link_entries(&state(ctx)?.db, caller(ctx)?, review_id, entry_a, entry_b, &note).await?;
        reload(ctx, review_id).await
    }

    /// Move the review on: combined chronology, analysis, overview report.
    async fn advance_phase(&self, ctx: &Context<'_>, review_id: i32, to: StageGql) -> GqlResult<Review> {
        review_phase::advance_phase(&state(ctx)?.db, caller(ctx)?, review_id, to.into()).await?;
        reload(ctx, review_id).await
    }

    /// Save a new version of the overview report, one text per section of 11.14.
    async fn save_overview_report(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        expected_version: i32,
        sections: Vec<String>,
    ) -> GqlResult<Review> {
        let db = &state(ctx)?.db;
        review_phase::save_document(db, caller(ctx)?, review_id, Doc::OverviewReport, expected_version, sections)
            .await?;
        reload(ctx, review_id).await
    }

    /// An agency confirms a version of the report represents its information fairly.
    async fn confirm_representation(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        agency_id: i32,
        report_version: i32,
        comment: Option<String>,
    ) -> GqlResult<Review> {
        let db = &state(ctx)?.db;
        review_phase::confirm_representation(
            db,
            caller(ctx)?,
            review_id,
            agency_id,
            report_version,
            comment.as_deref(),
        )
        .await?;
        reload(ctx, review_id).await
    }

    /// Save a new version of the executive summary, one text per section of 11.16.
    async fn save_executive_summary(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        expected_version: i32,
        sections: Vec<String>,
    ) -> GqlResult<Review> {
        let db = &state(ctx)?.db;
        review_phase::save_document(db, caller(ctx)?, review_id, Doc::ExecutiveSummary, expected_version, sections)
            .await?;
        reload(ctx, review_id).await
    }

    /// A second person (the Board Chair or the business manager, never the text's writer)
    /// lets one warning of one version of a document through to an outside body, with a
    /// reason. A name can never be overridden. `kind` is the warning's stable name as
    /// `outsideGate` gives it.
    #[allow(clippy::too_many_arguments)]
    async fn override_gate_warning(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        document: String,
        version: String,
        kind: String,
        found: String,
        reason: String,
    ) -> GqlResult<super::types::OutsideGate> {
        let kind = shared::gate::WarningKind::parse(&kind.to_lowercase())
            .ok_or_else(|| ApiError::invalid("kind", "No such kind of warning"))?;
        let req = crate::exports::OverrideRequest {
            review_id,
            document: &document,
            version: &version,
            kind,
            found: &found,
            reason: &reason,
        };
        crate::exports::override_warning(&state(ctx)?.db, caller(ctx)?, req).await?;
        super::query::outside_gate(ctx, review_id, &document).await
    }

    /// Stage 13: the Initial Panel assures the report and summary.
    async fn record_quality_assurance(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        notes: Option<String>,
    ) -> GqlResult<Review> {
        completion::record_quality_assurance(&state(ctx)?.db, caller(ctx)?, review_id, notes.as_deref()).await?;
        reload(ctx, review_id).await
    }

    /// Stage 13: the Board Chair approves the report.
    async fn approve_report(&self, ctx: &Context<'_>, review_id: i32) -> GqlResult<Review> {
        completion::approve_report(&state(ctx)?.db, caller(ctx)?, review_id).await?;
        reload(ctx, review_id).await
    }

    /// Stage 14: submit to Ofsted and the DfE.
    async fn submit_review(&self, ctx: &Context<'_>, review_id: i32, sent_on: NaiveDate) -> GqlResult<Review> {
        completion::submit_review(&state(ctx)?.db, caller(ctx)?, review_id, sent_on).await?;
        reload(ctx, review_id).await
    }

    /// An extension letter or interim report sent to Ofsted.
    async fn record_ofsted_letter(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        kind: MilestoneGql,
        sent_on: NaiveDate,
        reasons: String,
        progress: String,
    ) -> GqlResult<Review> {
        let db = &state(ctx)?.db;
        completion::record_ofsted_letter(db, caller(ctx)?, review_id, kind.into(), sent_on, &reasons, &progress)
            .await?;
        reload(ctx, review_id).await
    }

    /// Stage 15: Ofsted's evaluation letter, each amendment it asks for a task.
    async fn record_evaluation(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        received_on: NaiveDate,
        judgement: String,
        #[graphql(default)] amendments: Vec<String>,
    ) -> GqlResult<Review> {
        let db = &state(ctx)?.db;
        completion::record_evaluation(db, caller(ctx)?, review_id, received_on, &judgement, &amendments).await?;
        reload(ctx, review_id).await
    }

    /// An amendment Ofsted asked for is done.
    async fn complete_amendment(&self, ctx: &Context<'_>, amendment_id: i32) -> GqlResult<Review> {
        let review_id = completion::complete_amendment(&state(ctx)?.db, caller(ctx)?, amendment_id).await?;
        reload(ctx, review_id).await
    }

    /// Add an action to the plan; its owner is given the review to see.
    async fn add_action(&self, ctx: &Context<'_>, review_id: i32, input: ActionInput) -> GqlResult<Review> {
        completion::add_action(&state(ctx)?.db, caller(ctx)?, review_id, input.into()).await?;
        reload(ctx, review_id).await
    }

    /// The initial action-plan planning meeting.
    async fn record_planning_meeting(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        held_on: NaiveDate,
        participants: String,
        updates_due: NaiveDate,
    ) -> GqlResult<Review> {
        let db = &state(ctx)?.db;
        completion::record_planning_meeting(db, caller(ctx)?, review_id, held_on, &participants, updates_due).await?;
        reload(ctx, review_id).await
    }

    /// The agency's senior manager signs up to its actions.
    async fn sign_up_actions(&self, ctx: &Context<'_>, review_id: i32, agency_id: i32) -> GqlResult<Review> {
        completion::sign_up_actions(&state(ctx)?.db, caller(ctx)?, review_id, agency_id).await?;
        reload(ctx, review_id).await
    }

    /// The owner records progress on an action, and may ask for it to be closed.
    async fn record_progress(
        &self,
        ctx: &Context<'_>,
        action_id: i32,
        expected_version: i32,
        note: String,
        #[graphql(desc = "Ask for the action to be closed with this update (default no)")] request_closure: Option<
            bool,
        >,
    ) -> GqlResult<Review> {
        let db = &state(ctx)?.db;
        let closure = request_closure.unwrap_or(false);
        let review_id =
            completion::record_progress(db, caller(ctx)?, action_id, expected_version, &note, closure).await?;
        reload(ctx, review_id).await
    }

    /// Someone other than the owner approves an action's closure or refuses it.
    async fn decide_closure(
        &self,
        ctx: &Context<'_>,
        action_id: i32,
        approve: bool,
        comment: Option<String>,
        reaudit_on: Option<NaiveDate>,
    ) -> GqlResult<Review> {
        let db = &state(ctx)?.db;
        let review_id =
            completion::decide_closure(db, caller(ctx)?, action_id, approve, comment.as_deref(), reaudit_on).await?;
        reload(ctx, review_id).await
    }

    /// The result of an implemented action's re-audit.
    async fn record_reaudit(&self, ctx: &Context<'_>, action_id: i32, result: String) -> GqlResult<Review> {
        let review_id = completion::record_reaudit(&state(ctx)?.db, caller(ctx)?, action_id, &result).await?;
        reload(ctx, review_id).await
    }

    /// The publication plan.
    async fn plan_publication(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        planned_on: NaiveDate,
        #[graphql(default = true)] together: bool,
        apart_reasons: Option<String>,
    ) -> GqlResult<Review> {
        let db = &state(ctx)?.db;
        completion::plan_publication(db, caller(ctx)?, review_id, planned_on, together, apart_reasons.as_deref())
            .await?;
        reload(ctx, review_id).await
    }

    /// An advance notice of publication sent.
    async fn record_notice(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        body: NoticeBodyGql,
        sent_on: NaiveDate,
    ) -> GqlResult<Review> {
        completion::record_notice(&state(ctx)?.db, caller(ctx)?, review_id, body.into(), sent_on).await?;
        reload(ctx, review_id).await
    }

    /// Stage 17: publish; refused with every reason until it may go ahead.
    async fn publish(&self, ctx: &Context<'_>, review_id: i32, override_reason: Option<String>) -> GqlResult<Review> {
        completion::publish(&state(ctx)?.db, caller(ctx)?, review_id, override_reason.as_deref()).await?;
        reload(ctx, review_id).await
    }

    /// Stage 18: conclude once every action is implemented.
    async fn conclude(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        government_office_told_on: NaiveDate,
    ) -> GqlResult<Review> {
        completion::conclude(&state(ctx)?.db, caller(ctx)?, review_id, government_office_told_on).await?;
        reload(ctx, review_id).await
    }

    /// Create a user account (administrators).
    async fn create_user(&self, ctx: &Context<'_>, input: NewUserInput) -> GqlResult<UserAccount> {
        let c = caller(ctx)?;
        let grants: Vec<Grant> = input
            .roles
            .iter()
            .map(|g| Grant {
                role: g.role.into(),
                board: g.board_id.map(shared::BoardId),
                agency: g.agency_id.map(shared::AgencyId),
            })
            .collect();
        let u = users::create_user(
            &state(ctx)?.db,
            Some(c),
            users::NewUser {
                email: input.email,
                name: input.name,
                job_title: input.job_title,
                agency_id: input.agency_id,
                password: input.password,
                grants,
            },
        )
        .await?;
        let loaded = crate::context::Caller::load(&state(ctx)?.db, &crate::auth::Subject::User(u.id)).await?;
        Ok(UserAccount { user: loaded.user, grants: loaded.grants })
    }
}
