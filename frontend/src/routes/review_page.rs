//! A review's pages: the overview (its header, deadlines and the procedure as a task
//! list, grouped by phase, in `tasks`) and one page per task, with that task's records
//! and, when the signed-in user may act now, its forms. The review is loaded once per
//! address; after a step only the sections reload, and the page is rebuilt only when
//! the stage or what the user may do has changed, so text typed in a form survives
//! every other save on the page.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::policy::{Field, Operation};
use shared::stage::Stage;
use shared::tasks::Task;

use super::decision::*;
use crate::api::{self, ApiError};
use crate::components::{Failure, Loading, Success, stage_tag_titled};
use crate::format::{days_left, status_tag, uk_date};
use crate::gql::*;
use crate::page::{Busy, Ctx, keep, kept_error, section};

/// The rapid review's stages (2023 procedure), for the tracker.
const RAPID_TRACK: [Stage; 7] = [
    Stage::Referred,
    Stage::IncidentNotified,
    Stage::InformationRequested,
    Stage::RapidReviewMeeting,
    Stage::RapidReviewDecided,
    Stage::SentToNationalPanel,
    Stage::NationalPanelResponded,
];

/// A local review's stages (2023 procedure), once commissioned.
const LOCAL_TRACK: [Stage; 7] = [
    Stage::ReviewCommissioned,
    Stage::TermsAgreed,
    Stage::ImrsRequested,
    Stage::ImrsSubmitted,
    Stage::CombinedChronology,
    Stage::Analysis,
    Stage::OverviewReport,
];

/// A local review's completion (2023 procedure): no Ofsted evaluation.
const LOCAL_COMPLETION_TRACK: [Stage; 6] = [
    Stage::OverviewReport,
    Stage::QualityAssured,
    Stage::Submitted,
    Stage::ActionPlanning,
    Stage::Published,
    Stage::Concluded,
];

/// What a review of this procedure is called.
pub fn review_kind(p: shared::profile::ProfileKind) -> &'static str {
    match p {
        shared::profile::ProfileKind::SeriousCaseReview2010 => "Serious Case Review",
        shared::profile::ProfileKind::PracticeReview2023 => "Child safeguarding practice review",
    }
}

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

type Header = review_header::ReviewHeaderReview;

/// What the page is built from: when none of it changes, the page stays as it is.
#[derive(Clone, PartialEq)]
struct Shape {
    id: i64,
    stage: Stage,
    profile: shared::profile::ProfileKind,
    ops: Vec<Operation>,
    caps: Vec<shared::role::Capacity>,
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i64>().ok()));
    // None: the overview; Some(None): an address that names no task.
    let task = Memo::new(move |_| params.read().get("task").map(|t| Task::parse(&t)));
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
    let (latest, shape) = keep(header, |h: &Header| Shape {
        id: h.id,
        stage: h.stage,
        profile: h.procedure,
        ops: h.allowed_operations.clone(),
        caps: h.my_capacities.clone(),
    });
    let body = move || {
        let task = task.get();
        match shape.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(_)) => {
                let e = kept_error(latest);
                view! { <h1 class="govuk-heading-l" tabindex="-1">"Review"</h1><Failure error=e/><p class="govuk-body"><a class="govuk-link" href="/">"Go to your reviews"</a></p> }.into_any()
            }
            Some(Ok(s)) => {
                let Some(Ok(h)) = latest.get_untracked() else { return view! { <Loading/> }.into_any() };
                let ctx = Ctx {
                    id: s.id,
                    loading,
                    caps: StoredValue::new(s.caps),
                    ops: StoredValue::new(s.ops),
                    stage: s.stage,
                    profile: s.profile,
                    refresh,
                    done,
                };
                match task {
                    None => view! { <super::tasks::Overview h=h ctx=ctx/> }.into_any(),
                    Some(Some(t)) => view! { <super::tasks::TaskPage h=h ctx=ctx task=t/> }.into_any(),
                    Some(None) => view! {
                        <h1 class="govuk-heading-l" tabindex="-1">"Page not found"</h1>
                        <p class="govuk-body"><a class="govuk-link" href=format!("/reviews/{}", s.id)>"Go to the review's tasks"</a></p>
                    }.into_any(),
                }
            }
        }
    };
    view! {
        <div id="review" aria-busy=move || (loading.get() > 0).to_string()>
            {body}
        </div>
    }
}

/// The review's heading, shared by its overview and its task pages.
#[component]
pub fn ReviewHeading(h: Header, ctx: Ctx, #[prop(optional, into)] task: Option<String>) -> impl IntoView {
    let caps = h.my_parts.clone();
    let title = match &task {
        Some(t) => format!("{}: {t}", h.reference),
        None => h.reference.clone(),
    };
    crate::page::title(&title);
    view! {
        {task.is_some().then(|| view! {
            <a class="govuk-back-link" href=format!("/reviews/{}", ctx.id)>"Back to the review's tasks"</a>
        })}
        <span class="govuk-caption-l">{match &task { Some(_) => h.reference.clone(), None => review_kind(ctx.profile).to_owned() }}</span>
        <h1 class="govuk-heading-l" tabindex="-1">
            {task.clone().unwrap_or_else(|| h.reference.clone())}" " {stage_tag_titled(h.stage, &h.stage_title)}
        </h1>
        <Success message=ctx.done/>
        <p class="govuk-body-s">"You see this review as: " {caps.join(", ")}</p>
    }
}

/// Where the review stands on its phase's stages, in words as well as colour.
#[component]
pub fn Tracker(stage: Stage, profile: shared::profile::ProfileKind) -> impl IntoView {
    let procedure = shared::profile::Profile::of(profile);
    let learning = [&RAPID_TRACK[..], &[Stage::ClosedWithLearning]].concat();
    let (track, phase): (&[Stage], &str) = if profile == shared::profile::ProfileKind::PracticeReview2023 {
        if stage == Stage::ClosedWithLearning {
            (&learning, "Stages of the rapid review")
        } else if LOCAL_COMPLETION_TRACK.contains(&stage) && stage != Stage::OverviewReport {
            (&LOCAL_COMPLETION_TRACK, "Stages of completing the local review")
        } else if LOCAL_TRACK.contains(&stage) {
            (&LOCAL_TRACK, "Stages of the local review")
        } else {
            (&RAPID_TRACK, "Stages of the rapid review")
        }
    } else if COMPLETION_TRACK.contains(&stage) && stage != Stage::OverviewReport {
        (&COMPLETION_TRACK, "Stages of the completion phase")
    } else if REVIEW_TRACK.contains(&stage) && stage != Stage::TermsAgreed {
        (&REVIEW_TRACK, "Stages of the review phase")
    } else {
        (&TRACK, "Stages of the decision phase")
    };
    let position = track.iter().position(|s| *s == stage);
    view! {
        <ol class="scr-tracker" aria-label=phase>
            {track.iter().enumerate().map(|(i, s)| {
                let (state, words) = match position {
                    Some(p) if i < p => ("done", "done"),
                    Some(p) if i == p => ("current", "current stage"),
                    _ => ("todo", "to come"),
                };
                view! {
                    <li class=format!("scr-tracker__step scr-tracker__step--{state}") aria-current=(state == "current").then_some("step")>
                        {procedure.title(*s)}<span class="scr-tracker__state">{format!(" ({words})")}</span>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// The review's boards, agencies and dates.
#[component]
pub fn AtAGlance(h: Header) -> impl IntoView {
    view! {
        {matches!(h.stage, Stage::Published | Stage::Concluded).then(|| view! {
            <p class="govuk-body"><a class="govuk-link" rel="external" href=format!("/published/{}", h.reference)>"The published executive summary (public)"</a></p>
        })}
        <dl class="govuk-summary-list">
            <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">"Child"</dt><dd class="govuk-summary-list__value" id="child">{h.child.map(|c| c.name).unwrap_or_default()}</dd></div>
            <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">"Procedure"</dt><dd class="govuk-summary-list__value" id="procedure">{h.procedure.title()}</dd></div>
            <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">"Referred"</dt><dd class="govuk-summary-list__value">{uk_date(&h.referred_on)}</dd></div>
            <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">"Decided"</dt><dd class="govuk-summary-list__value">{h.decided_on.as_deref().map(uk_date).unwrap_or_else(|| "Not yet".into())}</dd></div>
            <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">"Lead board"</dt><dd class="govuk-summary-list__value">{h.lead_board.map(|b| b.name).unwrap_or_default()}</dd></div>
            <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">"Partner boards"</dt><dd class="govuk-summary-list__value">{if h.partner_boards.is_empty() { "None".to_owned() } else { h.partner_boards.iter().map(|b| b.name.clone()).collect::<Vec<_>>().join(", ") }}</dd></div>
            <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">"Agencies involved"</dt><dd class="govuk-summary-list__value">{h.involved_agencies.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join(", ")}</dd></div>
        </dl>
    }
}

/// Whether the caller sees anything of a task: one of its records, or a step of it
/// they may take now. A task they see nothing of is listed but not linked.
pub fn task_readable(ctx: &Ctx, task: Task) -> bool {
    let fields: &[Field] = match task {
        Task::Referral => &[Field::PersonLabel, Field::ReferralCircumstances, Field::ReferralFacts],
        Task::Assessment => &[Field::CriteriaAssessment, Field::ReferralFacts],
        Task::Recommendation => &[Field::Recommendation, Field::CriteriaAssessment],
        Task::Decision => &[Field::ChairDecision, Field::Recommendation],
        Task::Notification => &[Field::OfstedNotification],
        Task::SetUp => &[Field::SetupChecklist, Field::Appointments],
        Task::Terms => &[Field::TermsOfReference],
        Task::Family => &[Field::PersonLabel, Field::ParallelProcesses, Field::FamilyContributions],
        Task::Imrs => &[Field::Imrs],
        Task::Chronology => &[Field::CombinedChronology],
        Task::Analysis => &[Field::Findings],
        Task::Report => &[Field::OverviewReport, Field::ExecutiveSummary],
        Task::Assurance | Task::Submission | Task::Evaluation | Task::Publication | Task::Conclusion => {
            &[Field::Completion]
        }
        Task::Actions => &[Field::Completion, Field::ActionPlan],
        Task::Incident | Task::RapidReview | Task::PanelResponse | Task::Commissioning => &[Field::RapidReview],
    };
    fields.iter().any(|f| ctx.can_read(*f))
        || task.rule_in(ctx.profile).is_some_and(|r| r.operations.iter().any(|o| ctx.may(*o)))
}

/// The records and forms of one task.
pub fn task_sections(ctx: Ctx, task: Task) -> impl IntoView {
    let read = |f: Field| ctx.can_read(f);
    let may = |o: Operation| ctx.may(o);
    match task {
        Task::Referral => view! {
            {read(Field::PersonLabel).then(|| view! { <People ctx=ctx/> })}
            {read(Field::ReferralCircumstances).then(|| view! { <Referral ctx=ctx/> })}
            {read(Field::ReferralFacts).then(|| view! { <Facts ctx=ctx/> })}
        }
        .into_any(),
        Task::Assessment => view! {
            {may(Operation::RecordAssessment).then(|| view! { <AssessmentForm ctx=ctx/> })}
            {read(Field::CriteriaAssessment).then(|| view! { <Assessments ctx=ctx/> })}
            {read(Field::ReferralFacts).then(|| view! { <Facts ctx=ctx/> })}
        }
        .into_any(),
        Task::Recommendation => view! {
            {may(Operation::RecordRecommendation).then(|| view! { <RecommendationForm ctx=ctx/> })}
            {read(Field::Recommendation).then(|| view! { <RecommendationView ctx=ctx/> })}
            {read(Field::CriteriaAssessment).then(|| view! { <Assessments ctx=ctx/> })}
        }
        .into_any(),
        Task::Decision => view! {
            {may(Operation::DecideReview).then(|| view! { <DecisionForm ctx=ctx/> })}
            {read(Field::ChairDecision).then(|| view! { <DecisionView ctx=ctx/> })}
            {read(Field::Recommendation).then(|| view! { <RecommendationView ctx=ctx/> })}
        }
        .into_any(),
        Task::Notification => view! {
            {may(Operation::RecordOfstedNotification).then(|| view! { <NotificationForm ctx=ctx/> })}
            {read(Field::OfstedNotification).then(|| view! { <NotificationView ctx=ctx/> })}
        }
        .into_any(),
        Task::SetUp => view! {
            {read(Field::SetupChecklist).then(|| view! { <Checklist ctx=ctx/> })}
            {read(Field::Appointments).then(|| view! { <Appointments ctx=ctx/> })}
            {may(Operation::Appoint).then(|| view! { <AppointForm ctx=ctx/> })}
            {(may(Operation::UpdateSetupChecklist) && ctx.stage == Stage::OfstedNotified).then(|| view! { <CompleteSetUpForm ctx=ctx/> })}
        }
        .into_any(),
        Task::Terms => view! {
            {read(Field::TermsOfReference).then(|| view! { <Terms ctx=ctx/> })}
            {may(Operation::RecordTermsSent).then(|| view! { <TermsSentForm ctx=ctx/> })}
        }
        .into_any(),
        Task::Family => view! {
            {read(Field::PersonLabel).then(|| view! { <super::people::Genogram ctx=ctx/> })}
            {may(Operation::RecordPeople).then(|| view! { <super::people::PeopleForms ctx=ctx/> })}
            {read(Field::ParallelProcesses).then(|| view! { <super::people::Processes ctx=ctx/> })}
            {read(Field::FamilyContributions).then(|| view! { <super::people::Contributions ctx=ctx/> })}
        }
        .into_any(),
        Task::Imrs => view! { {read(Field::Imrs).then(|| view! { <super::review::Imrs ctx=ctx/> })} }.into_any(),
        Task::Chronology | Task::Report => view! { <super::review::Workspaces ctx=ctx task=task/> }.into_any(),
        Task::Analysis => view! {
            {read(Field::Findings).then(|| view! { <super::findings::Findings ctx=ctx/> })}
            <super::review::Workspaces ctx=ctx task=task/>
        }
        .into_any(),
        Task::Assurance | Task::Submission | Task::Evaluation | Task::Publication | Task::Conclusion => {
            let (completion, _) = super::completion::shows(&ctx);
            view! { {completion.then(|| view! { <super::completion::Completion ctx=ctx task=task/> })} }.into_any()
        }
        Task::Incident | Task::RapidReview | Task::PanelResponse | Task::Commissioning => {
            view! { <super::rapid_review::RapidReviewTask ctx=ctx task=task/> }.into_any()
        }
        Task::Actions => {
            let (completion, plan) = super::completion::shows(&ctx);
            view! {
                {completion.then(|| view! { <super::completion::Completion ctx=ctx task=task/> })}
                {plan.then(|| view! { <super::completion::ActionPlan ctx=ctx/> })}
            }
            .into_any()
        }
    }
}

#[component]
pub fn Deadlines(ctx: Ctx) -> impl IntoView {
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
