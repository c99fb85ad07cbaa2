//! Queries.

use std::sync::Arc;

use async_graphql::{Context, Enum, Object};
use chrono::{NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use shared::policy::{Field, Operation};
use shared::role::Role;
use shared::stage::Relationship;

use super::enums::*;
use super::errors::GqlResult;
use super::inputs::ReferralFactsInput;
use super::types::*;
use super::{caller, state};
use crate::access::{self, ReviewAccess};
use crate::entities::*;
use crate::errors::{ApiError, ApiResult};
use crate::graphql::loaders::ByReview;

pub struct Query;

/// How a list of reviews is sorted.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum ReviewOrder {
    #[default]
    ReferredOnDesc,
    ReferredOnAsc,
    Reference,
    /// Needs full access to names on every review you can see.
    ChildName,
}

/// Refuses a filter or sort on `field` unless the caller may read it as asked on every
/// review in scope: otherwise the order of results would leak what the field hides.
fn require_on_all(all: &[Arc<ReviewAccess>], field: Field, full: bool, what: &str) -> ApiResult<()> {
    let ok = all.iter().all(|a| if full { a.full(field) } else { a.read(field).is_ok() });
    if ok {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!(
            "{what}: you cannot read {} on every review you see",
            field.title().to_lowercase()
        )))
    }
}

/// The reviews on which the caller may take one of `ops` now, for a workspace that
/// only holders of `role` have (others are refused, not shown an empty queue).
async fn queue(ctx: &Context<'_>, role: Role, ops: &[Operation]) -> GqlResult<Vec<Review>> {
    let c = caller(ctx)?;
    if !c.has_role(role) {
        return Err(ApiError::Forbidden(format!("the {} workspace", role.title())).into());
    }
    let db = &state(ctx)?.db;
    let candidates =
        review::Entity::find().filter(access::candidates(c)).order_by_asc(review::Column::ReferredOn).all(db).await?;
    let mut list: Vec<ReviewAccess> = Vec::new();
    for a in access::for_reviews(db, c, &candidates).await? {
        if a.allowed_operations()?.iter().any(|op| ops.contains(op)) {
            list.push(a);
        }
    }
    let ids: Vec<i32> = list.iter().map(|a| a.review.id).collect();
    crate::graphql::loaders::prefetch(loaders(ctx)?, &ids, wanted(&ctx.look_ahead())).await?;
    Ok(list.into_iter().map(|a| Review(Arc::new(a))).collect())
}

/// Which relations of the reviews a selection asks for.
fn wanted(sel: &async_graphql::Lookahead<'_>) -> crate::graphql::loaders::Wanted {
    let has = |f: &str| sel.field(f).exists();
    crate::graphql::loaders::Wanted {
        people: has("people") || has("child"),
        deadlines: has("deadlines"),
        extensions: sel.field("deadlines").field("extensions").exists(),
        referral: has("referral"),
        assessments: has("criteriaAssessments"),
        recommendation: has("recommendation"),
        decision: has("decision"),
        notification: has("ofstedNotification"),
        checklist: has("setupChecklist"),
        appointments: has("appointments"),
        terms: has("termsOfReference") || has("termsOfReferenceVersions"),
        boards: has("leadBoard") || has("partnerBoards"),
        agencies: has("involvedAgencies"),
        findings: has("findings"),
    }
}

#[Object]
impl Query {
    /// Who you are, with your roles.
    async fn me(&self, ctx: &Context<'_>) -> GqlResult<UserAccount> {
        let c = caller(ctx)?;
        Ok(UserAccount { user: c.user.clone(), grants: c.grants.clone() })
    }

    /// The reviews you may see, from referral onwards.
    async fn reviews(
        &self,
        ctx: &Context<'_>,
        stage: Option<StageGql>,
        #[graphql(desc = "Part of the child's name or an alias; needs full access to names.")] child_name: Option<
            String,
        >,
        #[graphql(default)] order_by: ReviewOrder,
        #[graphql(default = 50, validator(minimum = 1, maximum = 200))] first: i32,
        #[graphql(default = 0, validator(minimum = 0))] offset: i32,
    ) -> GqlResult<Vec<Review>> {
        let all = super::visible_reviews(ctx).await?;
        if stage.is_some() {
            require_on_all(&all, Field::ReviewSummary, false, "filtering by stage")?;
        }
        let needs_names = child_name.is_some() || order_by == ReviewOrder::ChildName;
        if child_name.is_some() {
            require_on_all(&all, Field::PersonName, true, "filtering by name")?;
        }
        if order_by == ReviewOrder::ChildName {
            require_on_all(&all, Field::PersonName, true, "sorting by name")?;
        }
        let mut children: std::collections::HashMap<i32, person::Model> = std::collections::HashMap::new();
        if needs_names {
            let found =
                loaders(ctx)?.load_many(all.iter().map(|a| ByReview::<person::Entity>::of(a.review.id))).await?;
            for (k, people) in found {
                if let Some(ch) = people.iter().find(|p| p.relationship == Relationship::Child.as_str()) {
                    children.insert(k.0, ch.clone());
                }
            }
        }
        let needle = child_name.map(|n| n.trim().to_lowercase());
        let aliases: std::collections::HashMap<i32, Vec<String>> =
            children.iter().map(|(id, ch)| Ok((*id, crate::stored::aliases(ch)?))).collect::<ApiResult<_>>()?;
        let mut at_stage: Vec<&Arc<ReviewAccess>> = Vec::new();
        for a in all.iter() {
            if let Some(s) = stage
                && a.stage()? != shared::stage::Stage::from(s)
            {
                continue;
            }
            at_stage.push(a);
        }
        let mut list: Vec<Arc<ReviewAccess>> = at_stage
            .into_iter()
            .filter(|a| {
                needle.as_ref().is_none_or(|n| {
                    children.get(&a.review.id).is_some_and(|ch| {
                        ch.name.to_lowercase().contains(n)
                            || aliases.get(&a.review.id).is_some_and(|l| l.iter().any(|x| x.to_lowercase().contains(n)))
                    })
                })
            })
            .cloned()
            .collect();
        match order_by {
            ReviewOrder::ReferredOnDesc => {
                list.sort_by(|a, b| b.review.referred_on.cmp(&a.review.referred_on).then(b.review.id.cmp(&a.review.id)))
            }
            ReviewOrder::ReferredOnAsc => {
                list.sort_by(|a, b| a.review.referred_on.cmp(&b.review.referred_on).then(a.review.id.cmp(&b.review.id)))
            }
            ReviewOrder::Reference => list.sort_by(|a, b| a.review.reference.cmp(&b.review.reference)),
            ReviewOrder::ChildName => list.sort_by_key(|a| children.get(&a.review.id).map(|c| c.name.to_lowercase())),
        }
        let page: Vec<Arc<ReviewAccess>> = list.into_iter().skip(offset as usize).take(first as usize).collect();
        let ids: Vec<i32> = page.iter().map(|a| a.review.id).collect();
        crate::graphql::loaders::prefetch(loaders(ctx)?, &ids, wanted(&ctx.look_ahead())).await?;
        Ok(page.into_iter().map(Review).collect())
    }

    /// The Initial Panel's queue: referrals waiting for an assessment or a
    /// recommendation. Only Initial Panel members have it.
    async fn panel_queue(&self, ctx: &Context<'_>) -> GqlResult<Vec<Review>> {
        queue(ctx, Role::InitialPanelMember, &[Operation::RecordAssessment, Operation::RecordRecommendation]).await
    }

    /// The Board Chair's queue: decisions and terms of reference awaiting approval.
    async fn chair_queue(&self, ctx: &Context<'_>) -> GqlResult<Vec<Review>> {
        queue(ctx, Role::BoardChair, &[Operation::DecideReview, Operation::ApproveTermsOfReference]).await
    }

    /// The Business Manager's queue: notifications, set-up and appointments to do.
    async fn manager_queue(&self, ctx: &Context<'_>) -> GqlResult<Vec<Review>> {
        queue(
            ctx,
            Role::BusinessManager,
            &[Operation::RecordOfstedNotification, Operation::UpdateSetupChecklist, Operation::RecordTermsSent],
        )
        .await
    }

    /// One review; `NOT_FOUND` when it does not exist or you may not see it.
    async fn review(&self, ctx: &Context<'_>, id: i32) -> GqlResult<Review> {
        let (a, links) = access::for_review_with_links(&state(ctx)?.db, caller(ctx)?, id).await?;
        crate::graphql::loaders::remember(loaders(ctx)?, &[&a.review], links).await;
        crate::graphql::loaders::prefetch(loaders(ctx)?, &[id], wanted(&ctx.look_ahead())).await?;
        Ok(Review(Arc::new(a)))
    }

    /// Deadlines at risk or overdue on the reviews you may see, soonest first.
    async fn my_deadlines(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The day to judge by; today when left out.")] as_of: Option<NaiveDate>,
    ) -> GqlResult<Vec<DeadlineAlert>> {
        let today = as_of.unwrap_or_else(|| Utc::now().date_naive());
        let found = crate::notify::alerts_among(&state(ctx)?.db, &super::visible_reviews(ctx).await?, today).await?;
        let mut ids: Vec<i32> = found.iter().map(|(a, _, _)| a.review.id).collect();
        ids.dedup();
        crate::graphql::loaders::prefetch(loaders(ctx)?, &ids, wanted(&ctx.look_ahead().field("review"))).await?;
        Ok(found
            .into_iter()
            .map(|(a, d, at_risk_days)| DeadlineAlert {
                review: Review(a.clone()),
                deadline: Deadline { row: d, today, at_risk_days, access: a },
            })
            .collect())
    }

    /// What the criteria engine proposes for a set of facts (nothing is stored).
    async fn criteria_proposal(&self, ctx: &Context<'_>, facts: ReferralFactsInput) -> GqlResult<Proposal> {
        caller(ctx)?;
        Ok(shared::criteria::assess(&facts.into()).into())
    }

    /// The nineteen questions of the terms of reference (Appendix 1).
    async fn terms_of_reference_questions(&self) -> Vec<&'static str> {
        shared::terms::QUESTIONS.to_vec()
    }

    async fn boards(&self, ctx: &Context<'_>) -> GqlResult<Vec<Board>> {
        caller(ctx)?;
        Ok(board::Entity::find()
            .order_by_asc(board::Column::Name)
            .all(&state(ctx)?.db)
            .await?
            .into_iter()
            .map(Board)
            .collect())
    }

    async fn agencies(&self, ctx: &Context<'_>) -> GqlResult<Vec<Agency>> {
        caller(ctx)?;
        Ok(agency::Entity::find()
            .order_by_asc(agency::Column::Name)
            .all(&state(ctx)?.db)
            .await?
            .into_iter()
            .map(Agency)
            .collect())
    }

    /// Every user account with its roles: for administrators, and only accounts.
    async fn users(&self, ctx: &Context<'_>) -> GqlResult<Vec<UserAccount>> {
        let c = caller(ctx)?;
        if !shared::policy::may_globally(&c.roles(), Operation::ManageUsers) {
            return Err(ApiError::Forbidden(Operation::ManageUsers.title().to_lowercase()).into());
        }
        let db = &state(ctx)?.db;
        let users = user::Entity::find().order_by_asc(user::Column::Name).all(db).await?;
        let grants = role_grant::Entity::find().all(db).await?;
        let mut out = Vec::new();
        for u in users {
            let g = grants
                .iter()
                .filter(|g| g.user_id == u.id)
                .map(crate::stored::grant)
                .collect::<ApiResult<Vec<shared::policy::Grant>>>()?;
            out.push(UserAccount { user: u, grants: g });
        }
        Ok(out)
    }

    /// Checks text bound for an external body against the review's registered names
    /// What needs the caller's attention across their reviews, overdue first.
    async fn notifications(&self, ctx: &Context<'_>, as_of: Option<NaiveDate>) -> GqlResult<Vec<Notification>> {
        let today = as_of.unwrap_or_else(crate::reporting::today);
        Ok(crate::notify::items(&state(ctx)?.db, caller(ctx)?, today)
            .await?
            .into_iter()
            .map(|i| Notification {
                kind: i.kind.to_owned(),
                review_id: i.review_id,
                reference: i.reference,
                message: i.message,
                path: i.path,
                due_on: i.due_on,
                overdue: i.overdue,
            })
            .collect())
    }

    /// The notifications kept for the caller, newest first; only the unread when asked.
    async fn inbox(&self, ctx: &Context<'_>, unread_only: Option<bool>) -> GqlResult<Vec<InboxMessage>> {
        let list = crate::notify::inbox(&state(ctx)?.db, caller(ctx)?, unread_only.unwrap_or(false)).await?;
        Ok(list
            .into_iter()
            .map(|m| InboxMessage {
                id: m.id,
                kind: m.kind,
                review_id: m.review_id,
                message: m.message,
                path: m.path,
                created_at: m.created_at,
                read: m.read_at.is_some(),
            })
            .collect())
    }

    /// How many of the caller's notifications are unread.
    async fn unread_notification_count(&self, ctx: &Context<'_>) -> GqlResult<i32> {
        let n = crate::notify::unread_count(&state(ctx)?.db, caller(ctx)?).await?;
        Ok(i32::try_from(n).unwrap_or(i32::MAX))
    }

    /// The address of the caller's calendar feed (iCalendar), with its own token.
    async fn calendar_feed_url(&self, ctx: &Context<'_>) -> GqlResult<String> {
        let token = state(ctx)?.tokens.issue_calendar(caller(ctx)?.user.id)?;
        Ok(format!("/api/calendar.ics?token={token}"))
    }

    /// The board's report across the reviews the caller reads as a board officer:
    /// counts only, for the board, the performance sub-group and reporting tools.
    async fn report(&self, ctx: &Context<'_>, as_of: Option<NaiveDate>) -> GqlResult<ReportView> {
        let today = as_of.unwrap_or_else(crate::reporting::today);
        let r = crate::reporting::report(&state(ctx)?.db, caller(ctx)?, today).await?;
        let counts = |v: Vec<(String, i32)>| v.into_iter().map(|(label, count)| Count { label, count }).collect();
        Ok(ReportView {
            reviews: r.reviews,
            timeliness: TimelinessView {
                decisions: r.timeliness.decisions,
                decided_within_28_days: r.timeliness.decided_within_28_days,
                submissions: r.timeliness.submissions,
                submitted_on_time: r.timeliness.submitted_on_time,
                submitted_on_time_with_extensions: r.timeliness.submitted_on_time_with_extensions,
            },
            overdue_imrs_by_agency: counts(r.overdue_imrs_by_agency),
            overdue_actions_by_agency: counts(r.overdue_actions_by_agency),
            actions_by_status: r
                .actions_by_status
                .into_iter()
                .map(|(s, count)| Count { label: s.title().to_owned(), count })
                .collect(),
            open_actions_by_age: counts(r.open_actions_by_age),
            reviews_by_category: counts(r.reviews_by_category),
            themes: r
                .themes
                .into_iter()
                .map(|t| ThemeCount { theme: t.theme.into(), reviews: t.reviews, findings: t.findings })
                .collect(),
        })
    }

    /// Actions across every review whose plan the caller may read: an action owner their
    /// own, the performance sub-group and the board every one. Overdue first.
    async fn actions(
        &self,
        ctx: &Context<'_>,
        filter: Option<super::completion::ActionFilterInput>,
    ) -> GqlResult<Vec<super::completion::Action>> {
        Ok(super::completion::actions_across(ctx, filter.unwrap_or_default()).await?)
    }

    /// (hits: the text may not leave) and quasi-identifiers (warnings). The answer
    /// quotes the names it found, so it needs full access to names on the review.
    #[graphql(complexity = 200)]
    async fn anonymisation_check(&self, ctx: &Context<'_>, review_id: i32, text: String) -> GqlResult<GateReport> {
        let a = access::for_review(&state(ctx)?.db, caller(ctx)?, review_id).await?;
        if !a.full(Field::PersonName) {
            return Err(ApiError::forbidden_field(Field::PersonName).into());
        }
        if text.chars().count() > shared::value::Text::MAX_CHARS * 5 {
            return Err(ApiError::invalid("text", "The text is too long to check at once").into());
        }
        let register = crate::anonymise::gate_register(
            &state(ctx)?.db,
            &a.review,
            a.full(Field::PersonDateOfBirth),
            a.full(Field::PersonAddress),
        )
        .await?;
        // A long text takes a while to scan: keep it off the async workers.
        let (text, report) = tokio::task::spawn_blocking(move || {
            let report = shared::gate::check(&text, &register);
            (text, report)
        })
        .await
        .map_err(ApiError::internal)?;
        Ok(GateReport {
            passes: report.passes(),
            replaced: shared::gate::replace_hits(&text, &report),
            hits: report
                .hits
                .into_iter()
                .map(|h| GateHit { start: h.start as i32, end: h.end as i32, found: h.found, label: Some(h.label) })
                .collect(),
            warnings: report
                .warnings
                .into_iter()
                .map(|w| GateWarning {
                    kind: w.kind.title().to_owned(),
                    hit: GateHit { start: w.start as i32, end: w.end as i32, found: w.found, label: None },
                })
                .collect(),
        })
    }

    /// A document as the anonymisation gate sees it on its way to an outside body: its
    /// names, its warnings and their overrides. For those who may export for outside use
    /// and read names in full.
    async fn outside_gate(&self, ctx: &Context<'_>, review_id: i32, document: String) -> GqlResult<OutsideGate> {
        outside_gate(ctx, review_id, &document).await
    }

    /// Users who could be appointed to a review: name, job title and agency only.
    async fn appointable_users(&self, ctx: &Context<'_>, review_id: i32) -> GqlResult<Vec<AppointableUser>> {
        let c = caller(ctx)?;
        let db = &state(ctx)?.db;
        access::for_review(db, c, review_id).await?.require(Operation::Appoint)?;
        let users =
            user::Entity::find().filter(user::Column::Active.eq(true)).order_by_asc(user::Column::Name).all(db).await?;
        let agencies = agency::Entity::find().all(db).await?;
        Ok(users
            .into_iter()
            .map(|u| AppointableUser {
                id: u.id,
                agency: u.agency_id.and_then(|id| agencies.iter().find(|a| a.id == id)).map(|a| a.name.clone()),
                name: u.name,
                job_title: u.job_title,
            })
            .collect())
    }
}

/// A document as the gate sees it on its way out, with the overrides of its version.
pub(crate) async fn outside_gate(ctx: &Context<'_>, review_id: i32, document: &str) -> GqlResult<OutsideGate> {
    let db = &state(ctx)?.db;
    let c = caller(ctx)?;
    let a = access::for_review(db, c, review_id).await?;
    if !a.full(Field::PersonName) {
        return Err(ApiError::forbidden_field(Field::PersonName).into());
    }
    let check = crate::exports::outside_check(db, c, review_id, document).await?;
    let done = crate::anonymise::overrides(db, review_id, &check.document, &check.version).await?;
    let ids: Vec<i32> = done.iter().map(|o| o.overridden_by).collect();
    let users = user::Entity::find().filter(user::Column::Id.is_in(ids)).all(db).await?;
    let mut hits = Vec::new();
    let mut warnings: Vec<OutsideWarning> = Vec::new();
    for r in check.reports {
        hits.extend(r.hits.into_iter().map(|h| GateHit {
            start: h.start as i32,
            end: h.end as i32,
            found: h.found,
            label: Some(h.label),
        }));
        for w in r.warnings {
            if warnings.iter().any(|x| x.kind == w.kind.as_str().to_uppercase() && x.found == w.found) {
                continue;
            }
            let overridden =
                done.iter().find(|o| o.kind == w.kind.as_str() && o.found == w.found).map(|o| GateOverride {
                    by: users.iter().find(|u| u.id == o.overridden_by).map_or_else(String::new, |u| u.name.clone()),
                    reason: o.reason.clone(),
                    at: o.overridden_at,
                });
            warnings.push(OutsideWarning {
                kind: w.kind.as_str().to_uppercase(),
                title: w.kind.title().to_owned(),
                found: w.found,
                overridden,
            });
        }
    }
    Ok(OutsideGate {
        clear: hits.is_empty() && warnings.iter().all(|w| w.overridden.is_some()),
        document: check.document,
        version: check.version,
        hits,
        warnings,
    })
}
