//! A review's page: where it stands on the tracker, its deadlines and people, then the
//! sections of each phase (`decision`, `people`, `review`, `completion`) for what the
//! signed-in user may read, with the forms for the steps they may take now. Each
//! section is fetched only when the policy lets the user read it (the server refuses
//! the rest anyway).

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::policy::{Field, Operation};
use shared::stage::Stage;

use super::decision::*;
use crate::api::{self, ApiError};
use crate::components::{Failure, Loading, Success, stage_tag};
use crate::format::{days_left, status_tag, uk_date};
use crate::gql::*;
use crate::page::{Busy, Ctx, section};

/// The review phase's stages, for the tracker once the terms are agreed.
const REVIEW_TRACK: [Stage; 6] = [
    Stage::TermsAgreed,
    Stage::ImrsRequested,
    Stage::ImrsSubmitted,
    Stage::CombinedChronology,
    Stage::Analysis,
    Stage::OverviewReport,
];

/// The completion phase's stages, for the tracker once the report is assured.
const COMPLETION_TRACK: [Stage; 7] = [
    Stage::OverviewReport,
    Stage::QualityAssured,
    Stage::Submitted,
    Stage::Evaluated,
    Stage::ActionPlanning,
    Stage::Published,
    Stage::Concluded,
];

/// The decision phase's stages, for the tracker.
const TRACK: [Stage; 7] = [
    Stage::Referred,
    Stage::CriteriaAssessed,
    Stage::Recommended,
    Stage::Decided,
    Stage::OfstedNotified,
    Stage::SetUp,
    Stage::TermsAgreed,
];

#[component]
pub fn ReviewPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i64>().ok()));
    let refresh = RwSignal::new(0u32);
    let done = RwSignal::new(None::<String>);
    let loading = RwSignal::new(0i32);
    let header = LocalResource::new(move || {
        let id = id.get();
        refresh.get();
        async move {
            let _busy = Busy::start(loading);
            match id {
                Some(id) => api::call::<ReviewHeader>(review_header::Variables { id }).await.map(|d| d.review),
                None => Err(ApiError::NotFound),
            }
        }
    });
    view! {
        <div id="review" aria-busy=move || (loading.get() > 0).to_string()>
        <Transition fallback=|| view! { <Loading/> }>
            {move || header.get().map(|r| match r {
                Err(e) => view! { <h1 class="govuk-heading-l">"Review"</h1><Failure error=e/> }.into_any(),
                Ok(h) => {
                    let ctx = Ctx {
                        id: h.id,
                        loading,
                        caps: StoredValue::new(h.my_capacities.clone()),
                        ops: StoredValue::new(h.allowed_operations.clone()),
                        stage: h.stage,
                        refresh,
                        done,
                    };
                    view! { <ReviewBody h=h ctx=ctx/> }.into_any()
                }
            })}
        </Transition>
        </div>
    }
}

#[component]
fn ReviewBody(h: review_header::ReviewHeaderReview, ctx: Ctx) -> impl IntoView {
    let (track, phase): (&[Stage], &str) = if COMPLETION_TRACK.contains(&h.stage) && h.stage != Stage::OverviewReport {
        (&COMPLETION_TRACK, "Stages of the completion phase")
    } else if REVIEW_TRACK.contains(&h.stage) && h.stage != Stage::TermsAgreed {
        (&REVIEW_TRACK, "Stages of the review phase")
    } else {
        (&TRACK, "Stages of the decision phase")
    };
    let position = track.iter().position(|s| *s == h.stage);
    let caps: Vec<&str> = h.my_capacities.iter().map(|c| c.title()).collect();
    view! {
        <span class="govuk-caption-l">"Serious Case Review"</span>
        <h1 class="govuk-heading-l">{h.reference.clone()}" " {stage_tag(h.stage)}</h1>
        <Success message=ctx.done/>
        <p class="govuk-body-s">"You see this review as: " {caps.join(", ")}</p>
        {matches!(h.stage, Stage::Published | Stage::Concluded).then(|| view! {
            <p class="govuk-body"><a class="govuk-link" rel="external" href=format!("/published/{}", h.reference)>"The published executive summary (public)"</a></p>
        })}
        <ol class="scr-tracker" aria-label=phase>
            {track.iter().enumerate().map(|(i, s)| {
                let state = match position { Some(p) if i < p => "done", Some(p) if i == p => "current", _ => "todo" };
                view! { <li class=format!("scr-tracker__step scr-tracker__step--{state}") aria-current=(state == "current").then_some("step")>{s.title()}</li> }
            }).collect_view()}
        </ol>
        <dl class="govuk-summary-list">
            <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">"Referred"</dt><dd class="govuk-summary-list__value">{uk_date(&h.referred_on)}</dd></div>
            <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">"Decided"</dt><dd class="govuk-summary-list__value">{h.decided_on.as_deref().map(uk_date).unwrap_or_else(|| "Not yet".into())}</dd></div>
            <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">"Lead board"</dt><dd class="govuk-summary-list__value">{h.lead_board.map(|b| b.name).unwrap_or_default()}</dd></div>
            <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">"Partner boards"</dt><dd class="govuk-summary-list__value">{if h.partner_boards.is_empty() { "None".to_owned() } else { h.partner_boards.iter().map(|b| b.name.clone()).collect::<Vec<_>>().join(", ") }}</dd></div>
            <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">"Agencies involved"</dt><dd class="govuk-summary-list__value">{h.involved_agencies.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join(", ")}</dd></div>
        </dl>
        {ctx.can_read(Field::Deadlines).then(|| view! { <Deadlines ctx=ctx/> })}
        {ctx.can_read(Field::PersonLabel).then(|| view! { <People ctx=ctx/> })}
        {ctx.can_read(Field::ReferralCircumstances).then(|| view! { <Referral ctx=ctx/> })}
        {ctx.can_read(Field::ReferralFacts).then(|| view! { <Facts ctx=ctx/> })}
        {ctx.may(Operation::RecordAssessment).then(|| view! { <AssessmentForm ctx=ctx/> })}
        {ctx.can_read(Field::CriteriaAssessment).then(|| view! { <Assessments ctx=ctx/> })}
        {ctx.may(Operation::RecordRecommendation).then(|| view! { <RecommendationForm ctx=ctx/> })}
        {ctx.can_read(Field::Recommendation).then(|| view! { <RecommendationView ctx=ctx/> })}
        {ctx.may(Operation::DecideReview).then(|| view! { <DecisionForm ctx=ctx/> })}
        {ctx.can_read(Field::ChairDecision).then(|| view! { <DecisionView ctx=ctx/> })}
        {ctx.may(Operation::RecordOfstedNotification).then(|| view! { <NotificationForm ctx=ctx/> })}
        {ctx.can_read(Field::OfstedNotification).then(|| view! { <NotificationView ctx=ctx/> })}
        {ctx.can_read(Field::SetupChecklist).then(|| view! { <Checklist ctx=ctx/> })}
        {ctx.can_read(Field::Appointments).then(|| view! { <Appointments ctx=ctx/> })}
        {ctx.may(Operation::Appoint).then(|| view! { <AppointForm ctx=ctx/> })}
        {(ctx.may(Operation::UpdateSetupChecklist) && ctx.stage == Stage::OfstedNotified).then(|| view! { <CompleteSetUpForm ctx=ctx/> })}
        {ctx.can_read(Field::TermsOfReference).then(|| view! { <Terms ctx=ctx/> })}
        {ctx.may(Operation::RecordTermsSent).then(|| view! { <TermsSentForm ctx=ctx/> })}
        {ctx.can_read(Field::PersonLabel).then(|| view! { <super::people::Genogram ctx=ctx/> })}
        {ctx.may(Operation::RecordPeople).then(|| view! { <super::people::PeopleForms ctx=ctx/> })}
        {ctx.can_read(Field::ParallelProcesses).then(|| view! { <super::people::Processes ctx=ctx/> })}
        {ctx.can_read(Field::FamilyContributions).then(|| view! { <super::people::Contributions ctx=ctx/> })}
        {ctx.can_read(Field::Imrs).then(|| view! { <super::review::Imrs ctx=ctx/> })}
        {ctx.can_read(Field::Findings).then(|| view! { <super::findings::Findings ctx=ctx/> })}
        <super::review::Workspaces ctx=ctx/>
        {
            let (completion, plan) = super::completion::shows(&ctx);
            view! {
                {completion.then(|| view! { <super::completion::Completion ctx=ctx/> })}
                {plan.then(|| view! { <super::completion::ActionPlan ctx=ctx/> })}
            }
        }
    }
}

#[component]
fn Deadlines(ctx: Ctx) -> impl IntoView {
    section!(
        ctx,
        "Deadlines",
        ReviewDeadlines,
        |id| review_deadlines::Variables { id },
        |d: review_deadlines::ResponseData| view! {
            <table class="govuk-table">
                <thead class="govuk-table__head"><tr class="govuk-table__row">
                    <th scope="col" class="govuk-table__header">"Deadline"</th>
                    <th scope="col" class="govuk-table__header">"Due"</th>
                    <th scope="col" class="govuk-table__header">"Status"</th>
                </tr></thead>
                <tbody class="govuk-table__body">
                    {d.review.deadlines.into_iter().map(|x| view! {
                        <tr class="govuk-table__row">
                            <td class="govuk-table__cell">{x.kind.title()}</td>
                            <td class="govuk-table__cell">
                                {uk_date(&x.due_on)}
                                {(x.due_on != x.original_due_on).then(|| view! { <br/><span class="govuk-body-s">"extended from "{uk_date(&x.original_due_on)}</span> })}
                            </td>
                            <td class="govuk-table__cell">
                                <strong class=status_tag(x.status)>{x.status.title()}</strong>
                                {x.met_on.is_none().then(|| view! { " " <span class="govuk-body-s">{days_left(x.days_left)}</span> })}
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        }
    )
}

#[component]
fn People(ctx: Ctx) -> impl IntoView {
    section!(
        ctx,
        "People",
        ReviewPeople,
        |id| review_people::Variables { id },
        |d: review_people::ResponseData| view! {
            <dl class="govuk-summary-list" id="people">
                {d.review.people.into_iter().map(|p| view! {
                    <div class="govuk-summary-list__row">
                        <dt class="govuk-summary-list__key">{p.label.clone()}</dt>
                        <dd class="govuk-summary-list__value">
                            {p.name.clone()}
                            {(!p.aliases.is_empty()).then(|| view! { <br/><span class="govuk-body-s">"Also known as "{p.aliases.join(", ")}</span> })}
                            <br/><span class="govuk-body-s">{p.relationship.title()}</span>
                        </dd>
                    </div>
                }).collect_view()}
            </dl>
        }
    )
}
