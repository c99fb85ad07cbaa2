//! The review phase on a review's page (stages 8 to 12): the IMRs with the business
//! manager's request and the agency managers' designations, and the ways into the IMR,
//! chronology and report workspaces.

use leptos::prelude::*;
use shared::imr::ImrStatus;
use shared::policy::{Field, Operation};
use shared::stage::Stage;
use shared::tasks::Task;

use crate::api;
use crate::components::{DateInput, ErrorSummary, Failure, Loading, form_field_id};
use crate::format::uk_date;
use crate::gql::*;
use crate::page::{Busy, Ctx, send};

/// A status as a tag.
pub(crate) fn imr_tag(s: ImrStatus) -> impl IntoView {
    let colour = match s {
        ImrStatus::Accepted => "govuk-tag--green",
        ImrStatus::Submitted => "govuk-tag--blue",
        ImrStatus::Returned => "govuk-tag--orange",
        ImrStatus::InProgress => "govuk-tag--light-blue",
        _ => "govuk-tag--grey",
    };
    view! { <strong class=format!("govuk-tag {colour}")>{s.title()}</strong> }
}

/// The IMRs of the review: who has been asked, who writes, where each stands.
#[component]
pub fn Imrs(ctx: Ctx) -> impl IntoView {
    let data = LocalResource::new(move || {
        ctx.refresh.get();
        async move {
            let _busy = Busy::start(ctx.loading);
            api::call::<ReviewImrs>(review_imrs::Variables { id: ctx.id }).await
        }
    });
    view! {
        <h2 class="govuk-heading-m">"Individual Management Reviews"</h2>
        <Transition fallback=|| view! { <Loading/> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <Failure error=e/> }.into_any(),
                Ok(d) => {
                    let requested: Vec<i64> = d.review.imrs.iter().map(|i| i.agency.as_ref().map_or(0, |a| a.id)).collect();
                    view! {
                        {if d.review.imrs.is_empty() {
                            view! { <p class="govuk-body">"No IMRs have been requested yet."</p> }.into_any()
                        } else {
                            view! { <ImrTable ctx=ctx imrs=d.review.imrs.clone()/> }.into_any()
                        }}
                        {ctx.may(Operation::RequestImr).then(|| view! { <RequestForm ctx=ctx requested=requested/> })}
                        {d.review.imrs.iter().filter(|i| !i.author_candidates.is_empty()).map(|i| view! { <DesignateForm ctx=ctx imr=i.clone()/> }).collect_view()}
                    }.into_any()
                }
            })}
        </Transition>
    }
}

#[component]
fn ImrTable(ctx: Ctx, imrs: Vec<review_imrs::ReviewImrsReviewImrs>) -> impl IntoView {
    view! {
        <table class="govuk-table" id="imr-table">
            <thead class="govuk-table__head"><tr class="govuk-table__row">
                <th scope="col" class="govuk-table__header">"Agency"</th>
                <th scope="col" class="govuk-table__header">"Status"</th>
                <th scope="col" class="govuk-table__header">"Due"</th>
                <th scope="col" class="govuk-table__header">"Author"</th>
                <th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">"Open"</span></th>
            </tr></thead>
            <tbody class="govuk-table__body">
                {imrs.into_iter().map(|i| {
                    let agency = i.agency.map(|a| a.name).unwrap_or_default();
                    let href = format!("/reviews/{}/imrs/{}", ctx.id, i.id);
                    let open = if i.is_mine { "Write this IMR" } else { "Open" };
                    view! {
                        <tr class="govuk-table__row">
                            <td class="govuk-table__cell">{agency.clone()}</td>
                            <td class="govuk-table__cell">{imr_tag(i.status)}</td>
                            <td class="govuk-table__cell">{uk_date(&i.due_on)}</td>
                            <td class="govuk-table__cell">{i.author_name.unwrap_or_else(|| "Not designated".into())}</td>
                            <td class="govuk-table__cell"><a class="govuk-link" href=href>{open}<span class="govuk-visually-hidden">{format!(": {agency}")}</span></a></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn RequestForm(ctx: Ctx, requested: Vec<i64>) -> impl IntoView {
    let agencies = LocalResource::new(move || async move {
        api::call::<ReviewHeader>(review_header::Variables { id: ctx.id }).await.map(|d| d.review.involved_agencies)
    });
    let chosen = RwSignal::new(Vec::<i64>::new());
    let on = RwSignal::new(crate::page::today());
    let errors = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let vars =
            request_imrs::Variables { id: ctx.id, agency_ids: chosen.get_untracked(), on: Some(on.get_untracked()) };
        send::<RequestImrs>(ctx, vars, errors, busy, "The IMRs were requested");
    };
    view! {
        <form class="scr-step" on:submit=submit>
            <h3 class="govuk-heading-s">"Request IMRs"</h3>
            <ErrorSummary errors=errors form="request"/>
            <Transition fallback=|| view! { <Loading/> }>
                {move || agencies.get().map(|r| match r {
                    Err(e) => view! { <Failure error=e/> }.into_any(),
                    Ok(list) => {
                        let open: Vec<_> = list.into_iter().filter(|a| !requested.contains(&a.id)).collect();
                        if open.is_empty() {
                            return view! { <p class="govuk-body">"Every involved agency has been asked for its IMR."</p> }.into_any();
                        }
                        view! {
                            <div class="govuk-form-group" id=form_field_id("request", "agencyIds")>
                                <fieldset class="govuk-fieldset">
                                    <legend class="govuk-fieldset__legend">"Agencies to ask, each with the review's 6-week IMR deadline"</legend>
                                    <div class="govuk-checkboxes govuk-checkboxes--small">
                                        {open.into_iter().map(|a| {
                                            let id = format!("request-agency-{}", a.id);
                                            let aid = a.id;
                                            view! {
                                                <div class="govuk-checkboxes__item">
                                                    <input class="govuk-checkboxes__input" type="checkbox" id=id.clone()
                                                        on:change=move |ev| {
                                                            let on = event_target_checked(&ev);
                                                            chosen.update(|c| { c.retain(|x| *x != aid); if on { c.push(aid); } });
                                                        }/>
                                                    <label class="govuk-label govuk-checkboxes__label" for=id>{a.name}</label>
                                                </div>
                                            }
                                        }).collect_view()}
                                    </div>
                                </fieldset>
                            </div>
                            <DateInput form="request" label="Date requested" path="requestedOn" value=on errors=errors hint="The day the agencies were asked, if not today"/>
                            <button type="submit" class="govuk-button" disabled=move || busy.get() || chosen.get().is_empty()>"Request the IMRs"</button>
                        }.into_any()
                    }
                })}
            </Transition>
        </form>
    }
}

#[component]
fn DesignateForm(ctx: Ctx, imr: review_imrs::ReviewImrsReviewImrs) -> impl IntoView {
    let agency = imr.agency.map(|a| a.name).unwrap_or_default();
    let form = format!("designate{}", imr.id);
    let select_id = form_field_id(&form, "userId");
    let user = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    let imr_id = imr.id;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(user_id) = user.get_untracked().parse::<i64>() else {
            errors.set(vec![("userId".into(), "Choose who will write the IMR".into())]);
            return;
        };
        send::<DesignateImrAuthor>(
            ctx,
            designate_imr_author::Variables { imr_id, user_id },
            errors,
            busy,
            "The IMR author was designated",
        );
    };
    view! {
        <form class="scr-step" on:submit=submit>
            <h3 class="govuk-heading-s">{format!("IMR author for {agency}")}</h3>
            <ErrorSummary errors=errors form=form.clone()/>
            <div class="govuk-form-group">
                <label class="govuk-label" for=select_id.clone()>"Who will write the IMR"</label>
                <div class="govuk-hint">"They will be asked to declare that they had no direct involvement with the family and do not manage the practitioners."</div>
                <select class="govuk-select" id=select_id bind:value=user>
                    <option value="">"Choose a member of staff"</option>
                    {imr.author_candidates.into_iter().map(|u| view! {
                        <option value=u.id.to_string()>{format!("{}{}", u.name, u.job_title.map(|t| format!(", {t}")).unwrap_or_default())}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="govuk-button govuk-button--secondary" disabled=move || busy.get()>{if imr.author_name.is_some() { "Designate instead" } else { "Designate the author" }}</button>
        </form>
    }
}

/// The way into a task's workspace (the combined chronology, the report) and the
/// panel's step that moves the review on from it.
#[component]
pub fn Workspaces(ctx: Ctx, task: Task) -> impl IntoView {
    let reached = |s: Stage| ctx.procedure().reached(ctx.stage, s);
    let chronology =
        task == Task::Chronology && ctx.can_read(Field::CombinedChronology) && reached(Stage::ImrsRequested);
    let documents = task == Task::Report
        && (ctx.can_read(Field::OverviewReport) || ctx.can_read(Field::ExecutiveSummary))
        && reached(Stage::CombinedChronology);
    let next = match (task, ctx.stage) {
        (Task::Chronology, Stage::ImrsSubmitted) => Some(Stage::CombinedChronology),
        (Task::Chronology, Stage::CombinedChronology) => Some(Stage::Analysis),
        (Task::Analysis, Stage::Analysis) => Some(Stage::OverviewReport),
        _ => None,
    }
    .filter(|_| ctx.may(Operation::AdvancePhase));
    let errors = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    (chronology || documents || next.is_some()).then(|| view! {
        {(chronology || documents).then(|| view! {
            <ul class="govuk-list">
                {chronology.then(|| view! { <li><a class="govuk-link govuk-!-font-weight-bold" href=format!("/reviews/{}/chronology", ctx.id)>"Open the combined chronology"</a></li> })}
                {documents.then(|| view! { <li><a class="govuk-link govuk-!-font-weight-bold" href=format!("/reviews/{}/report", ctx.id)>"Open the overview report and executive summary"</a></li> })}
            </ul>
        })}
        {next.map(|to| view! {
            <form class="scr-step" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                send::<AdvancePhase>(ctx, advance_phase::Variables { id: ctx.id, to }, errors, busy, "The review has moved on");
            }>
                <ErrorSummary errors=errors form="advance"/>
                <button type="submit" class="govuk-button" disabled=move || busy.get()>{format!("Move on to: {}", to.title())}</button>
            </form>
        })}
    })
}
