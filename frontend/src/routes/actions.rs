//! `/actions`: the caller's actions and, for the board and the sub-group, every action
//! across reviews, overdue first: filtered and paged on the server, the choices kept in
//! the address so that a view can be bookmarked or shared.

use leptos::prelude::*;
use shared::completion::ActionStatus;
use shared::policy::Operation;
use shared::stage::Stage;

use super::completion::{ActionCard, ActionData};
use crate::api;
use crate::components::{Failure, Loading, Pages, Success};
use crate::gql::{ActionPage, action_page};
use crate::page::{Busy, Ctx};

/// How many actions a page shows.
const PAGE: i64 = 20;

#[component]
pub fn ActionsPage() -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let done = RwSignal::new(None::<String>);
    let loading = RwSignal::new(0i32);
    let query = leptos_router::hooks::use_query_map();
    let on = move |k: &str| query.with(|q| q.get(k).is_some_and(|v| v == "1"));
    let page =
        move || query.with(|q| q.get("page").and_then(|p| p.parse::<i64>().ok()).filter(|p| *p >= 1).unwrap_or(1));
    let data = LocalResource::new(move || {
        refresh.get();
        let filter = action_page::ActionFilterInput {
            status: None,
            agency_id: None,
            overdue_only: on("overdue"),
            mine: on("mine"),
        };
        let vars =
            action_page::Variables { filter: Some(filter), first: Some(PAGE), offset: Some((page() - 1) * PAGE) };
        async move {
            let _busy = Busy::start(loading);
            api::call::<ActionPage>(vars).await
        }
    });
    let address = move |mine: bool, overdue: bool, page: i64| {
        let mut parts = Vec::new();
        if mine {
            parts.push("mine=1".to_owned());
        }
        if overdue {
            parts.push("overdue=1".to_owned());
        }
        if page > 1 {
            parts.push(format!("page={page}"));
        }
        if parts.is_empty() { "/actions".to_owned() } else { format!("/actions?{}", parts.join("&")) }
    };
    let navigate = leptos_router::hooks::use_navigate();
    let toggle = move |which: &'static str| {
        let navigate = navigate.clone();
        move |ev: leptos::ev::Event| {
            let checked = event_target_checked(&ev);
            let (mine, overdue) = match which {
                "mine" => (checked, on("overdue")),
                _ => (on("mine"), checked),
            };
            navigate(&address(mine, overdue, 1), Default::default());
        }
    };
    view! {
        <div id="review" aria-busy=move || (loading.get() > 0).to_string()>
            <h1 class="govuk-heading-l" tabindex="-1">"Actions"</h1>
            <Success message=done/>
            <div class="govuk-checkboxes govuk-checkboxes--small govuk-!-margin-bottom-4" role="group" aria-label="Filter the actions">
                <div class="govuk-checkboxes__item">
                    <input class="govuk-checkboxes__input" type="checkbox" id="actions-mine" prop:checked=move || on("mine") on:change=toggle("mine")/>
                    <label class="govuk-label govuk-checkboxes__label" for="actions-mine">"Only my actions"</label>
                </div>
                <div class="govuk-checkboxes__item">
                    <input class="govuk-checkboxes__input" type="checkbox" id="actions-overdue" prop:checked=move || on("overdue") on:change=toggle("overdue")/>
                    <label class="govuk-label govuk-checkboxes__label" for="actions-overdue">"Only overdue actions"</label>
                </div>
            </div>
            <Transition fallback=|| view! { <Loading/> }>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <Failure error=e/> }.into_any(),
                    Ok(d) if d.action_page.actions.is_empty() => view! { <p class="govuk-body" id="no-actions" role="status">"No actions to show."</p> }.into_any(),
                    Ok(d) => {
                        let p = d.action_page;
                        let pages = (p.total + p.first - 1) / p.first;
                        let current = p.offset / p.first + 1;
                        let (mine, overdue) = (on("mine"), on("overdue"));
                        view! {
                            <p class="govuk-body" role="status">{format!("{} action(s){}", p.total, if pages > 1 { format!(": page {current} of {pages}, {} a page", p.first) } else { String::new() })}</p>
                            {p.actions.into_iter().map(|x| {
                                let ops = x.review.allowed_operations.clone();
                                let ctx = Ctx {
                                    id: x.review.id,
                                    loading,
                                    caps: StoredValue::new(Vec::new()),
                                    ops: StoredValue::new(ops.clone()),
                                    stage: Stage::ActionPlanning,
                                    profile: x.review.procedure,
                                    refresh,
                                    done,
                                };
                                let a = ActionData {
                                    id: x.id,
                                    review: Some((x.review.id, x.review.reference.clone())),
                                    recommendation: x.recommendation,
                                    agency: x.agency.map(|a| a.name).unwrap_or_default(),
                                    owner: x.owner_name.unwrap_or_default(),
                                    mine: x.is_mine,
                                    due_on: x.due_on,
                                    overdue: x.overdue,
                                    outcome: x.intended_outcome,
                                    measure: x.success_measure,
                                    status: x.status,
                                    comment: x.closure_comment,
                                    version: x.version,
                                    updates: x.updates.into_iter().map(|u| (u.note, u.recorded_at)).collect(),
                                    evidence: x.evidence.into_iter().map(|e| (e.id, e.file_name, e.kind, e.size)).collect(),
                                    may_update: x.is_mine && x.status == ActionStatus::Open && ops.contains(&Operation::UpdateAction),
                                    may_decide: !x.is_mine && x.status == ActionStatus::ClosureRequested && ops.contains(&Operation::DecideClosure),
                                };
                                view! { <ActionCard ctx=ctx a=a/> }
                            }).collect_view()}
                            <Pages label="Pages of actions" current=current pages=pages href=move |n| address(mine, overdue, n)/>
                        }.into_any()
                    }
                })}
            </Transition>
        </div>
    }
}
