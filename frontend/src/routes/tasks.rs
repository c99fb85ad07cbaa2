//! A review as a task list (the GOV.UK task list pattern): the overview lists every
//! task of the procedure by phase with its status, who does it and when it is due;
//! each task has its own page with its records and, when the user may act now, its
//! forms. Tasks that cannot start yet say what they wait for.

use leptos::prelude::*;
use shared::policy::{Field, Operation};
use shared::tasks::{Phase, Task, TaskStatus};

use super::review_page::{AtAGlance, Deadlines, ReviewHeading, Tracker, task_readable, task_sections};
use crate::api;
use crate::components::{Failure, Loading};
use crate::format::uk_date;
use crate::gql::*;
use crate::page::{Busy, Ctx};

type Header = review_header::ReviewHeaderReview;

/// A task's status as the task list shows it: words always, a tag where it helps.
pub fn task_status(s: TaskStatus) -> AnyView {
    let class = match s {
        TaskStatus::Completed => return view! { <span class="scr-task-done">{s.title()}</span> }.into_any(),
        TaskStatus::InProgress => "govuk-tag govuk-tag--light-blue",
        TaskStatus::NotStarted => "govuk-tag govuk-tag--blue",
        TaskStatus::CannotStartYet | TaskStatus::NotNeeded => "govuk-tag govuk-tag--grey",
    };
    view! { <strong class=class>{s.title()}</strong> }.into_any()
}

/// The address of a task's page.
pub fn task_href(review: i64, task: Task) -> String {
    format!("/reviews/{review}/tasks/{}", task.as_str())
}

#[component]
pub fn Overview(h: Header, ctx: Ctx) -> impl IntoView {
    let stage = h.stage;
    let taking_part: Vec<i64> =
        h.lead_board.iter().map(|b| b.id).chain(h.partner_boards.iter().map(|b| b.id)).collect();
    view! {
        <ReviewHeading h=h.clone() ctx=ctx/>
        <Tracker stage=stage profile=ctx.profile/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds-from-desktop">
                <TaskList ctx=ctx/>
            </div>
            <div class="govuk-grid-column-one-third-from-desktop">
                <h2 class="govuk-heading-m">"About this review"</h2>
                <AtAGlance h=h/>
                {ctx.may(Operation::AddPartnerBoard).then(|| view! { <super::decision::AddPartnerBoardForm ctx=ctx taking_part=taking_part/> })}
            </div>
        </div>
        {ctx.can_read(Field::Deadlines).then(|| view! { <Deadlines ctx=ctx/> })}
    }
}

#[component]
fn TaskList(ctx: Ctx) -> impl IntoView {
    let data = LocalResource::new(move || {
        ctx.refresh.get();
        async move {
            let _busy = Busy::start(ctx.loading);
            api::call::<ReviewTasks>(review_tasks::Variables { id: ctx.id }).await
        }
    });
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <Failure error=e/> }.into_any(),
                Ok(d) => {
                    let tasks = d.review.tasks;
                    let done = tasks.iter().filter(|t| t.status == TaskStatus::Completed).count();
                    let now: Vec<_> = tasks.iter().filter(|t| t.mine && !t.steps_now.is_empty()).cloned().collect();
                    view! {
                        {(!now.is_empty()).then(|| view! {
                            <div class="govuk-inset-text" id="act-now">
                                <h2 class="govuk-heading-s">"You can act on this review now"</h2>
                                <ul class="govuk-list">
                                    {now.into_iter().map(|t| view! {
                                        <li><a class="govuk-link" href=task_href(ctx.id, t.task)>{t.title.clone()}</a>
                                            {t.due_on.as_deref().map(|d| format!(" (due {})", uk_date(d)))}</li>
                                    }).collect_view()}
                                </ul>
                            </div>
                        })}
                        <p class="govuk-body" id="task-progress">{format!("{done} of {} tasks completed.", tasks.len())}</p>
                        {Phase::ALL.iter().map(|phase| {
                            let mine: Vec<_> = tasks.iter().filter(|t| t.phase == *phase).cloned().collect();
                            (!mine.is_empty()).then(|| view! {
                                <h2 class="govuk-heading-m">{phase.title()}</h2>
                                <ul class="govuk-task-list" id=format!("tasks-{}", phase.as_str())>
                                    {mine.into_iter().map(|t| view! { <TaskRow ctx=ctx t=t/> }).collect_view()}
                                </ul>
                            })
                        }).collect_view()}
                    }.into_any()
                }
            })}
        </Transition>
    }
}

#[component]
fn TaskRow(ctx: Ctx, t: review_tasks::ReviewTasksReviewTasks) -> impl IntoView {
    let status_id = format!("task-{}-status", t.task.as_str());
    let hint_id = format!("task-{}-hint", t.task.as_str());
    let mut hint = format!("By: {}", t.owners.join(", "));
    if let Some(due) = &t.due_on {
        hint.push_str(&format!(". Due {}", uk_date(due)));
    }
    if t.mine && !t.steps_now.is_empty() {
        hint.push_str(". You can act on this now");
    }
    if let Some(w) = &t.waits_for {
        hint = format!("{hint}. {w}");
    }
    let readable = task_readable(&ctx, t.task);
    if !readable {
        hint.push_str(". Its records are not open to your part on this review");
    }
    let linked = readable && !matches!(t.status, TaskStatus::CannotStartYet | TaskStatus::NotNeeded);
    let described = format!("{hint_id} {status_id}");
    view! {
        <li class="govuk-task-list__item" class:govuk-task-list__item--with-link=linked data-task=t.task.as_str()>
            <div class="govuk-task-list__name-and-hint">
                {if linked {
                    view! { <a class="govuk-link govuk-task-list__link" href=task_href(ctx.id, t.task) aria-describedby=described>{t.title.clone()}</a> }.into_any()
                } else {
                    view! { <div>{t.title.clone()}</div> }.into_any()
                }}
                <div id=hint_id class="govuk-task-list__hint">{hint}</div>
            </div>
            <div class="govuk-task-list__status" class:govuk-task-list__status--cannot-start-yet=!linked id=status_id>
                {task_status(t.status)}
            </div>
        </li>
    }
}

#[component]
pub fn TaskPage(h: Header, ctx: Ctx, task: Task) -> impl IntoView {
    let Some(rule) = task.rule_in(ctx.profile) else {
        return view! {
            <ReviewHeading h=h ctx=ctx task=task.title()/>
            <div class="govuk-inset-text" id="task-body">
                <p class="govuk-body">{format!("This review runs under the {} procedure, which has no such task.", ctx.profile.title())}</p>
            </div>
            <p class="govuk-body"><a class="govuk-link" href=format!("/reviews/{}", ctx.id)>"Go to the review's tasks"</a></p>
        }
        .into_any();
    };
    let procedure = ctx.procedure();
    let status = rule.status(procedure, ctx.stage);
    let owners: Vec<&str> = rule.owners.iter().map(|c| c.title()).collect();
    let next = task.next_in(ctx.profile);
    view! {
        <ReviewHeading h=h ctx=ctx task=task.title()/>
        <p class="govuk-body">"Status: " {task_status(status)} <span class="govuk-body-s">{format!(" Done by: {}.", owners.join(", "))}</span></p>
        {rule.waits_for(procedure, ctx.stage).map(|w| view! {
            <div class="govuk-inset-text" id="task-waits">
                <p class="govuk-body">{format!("This task cannot start yet. {w}")}</p>
            </div>
        })}
        {(status == TaskStatus::NotNeeded).then(|| view! {
            <div class="govuk-inset-text"><p class="govuk-body">{if ctx.stage == shared::stage::Stage::ClosedWithLearning {
                "Not needed: no further review was held, and the learning was recorded."
            } else {
                "Not needed: the case was closed without a review."
            }}</p></div>
        })}
        {if task_readable(&ctx, task) {
            view! { <div id="task-body">{task_sections(ctx, task)}</div> }.into_any()
        } else {
            view! {
                <div class="govuk-inset-text" id="task-body">
                    <p class="govuk-body">"The records of this task are not open to your part on this review."</p>
                </div>
            }.into_any()
        }}
        <nav class="govuk-!-margin-top-6" aria-label="Other tasks">
            <p class="govuk-body">
                <a class="govuk-link" href=format!("/reviews/{}", ctx.id)>"Return to the task list"</a>
                {next.map(|n| view! { " · " <a class="govuk-link" href=task_href(ctx.id, n)>{format!("Next task: {}", n.title())}</a> })}
            </p>
        </nav>
    }
    .into_any()
}
