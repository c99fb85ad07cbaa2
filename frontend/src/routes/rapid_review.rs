//! The rapid review's tasks (2023 procedure) on a review's page: the notification to
//! the National Panel, the agencies' information, the meeting, the partners' decision,
//! sending it, the National Panel's response, and then a local review commissioned or
//! the learning recorded. Each form takes the date the step happened (today unless
//! changed); what is typed survives the page reloading after another step.

use leptos::prelude::*;
use shared::policy::Operation;
use shared::tasks::Task;

use crate::api;
use crate::components::{CheckStep, DateInput, ErrorSummary, Failure, Loading, Radios, TextArea, form_field_id};
use crate::format::uk_date;
use crate::gql::*;
use crate::page::{Busy, Ctx, section, send, today};

type Errors = RwSignal<Vec<(String, String)>>;

fn date_or_not_yet(d: Option<String>) -> String {
    d.as_deref().map(uk_date).unwrap_or_else(|| "Not yet".to_owned())
}

/// One row of a summary list.
fn row(key: &'static str, value: String) -> impl IntoView {
    view! {
        <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">{key}</dt>
            <dd class="govuk-summary-list__value scr-prewrap">{value}</dd>
        </div>
    }
}

#[component]
pub fn RapidReviewTask(ctx: Ctx, task: Task) -> impl IntoView {
    let may = move |o: Operation| ctx.may(o);
    // The return form's fields, kept here so that a reload of the record keeps them.
    let agency = RwSignal::new(String::new());
    let summary = RwSignal::new(String::new());
    let returned_on = RwSignal::new(today());
    let return_errors: Errors = RwSignal::new(Vec::new());
    let return_busy = RwSignal::new(false);
    view! {
        {match task {
            Task::Incident => view! { {may(Operation::NotifyNationalPanel).then(|| view! {
                <DatedStep form="notify" heading="Notify the National Panel"
                    intro="The local authority notifies the Child Safeguarding Practice Review Panel within 5 working days of becoming aware of a serious incident."
                    label="Date the National Panel was notified" path="sentOn" button="Record the notification"
                    send={move |on: String, errors: Errors, busy: RwSignal<bool>| { send::<NotifyNationalPanel>(ctx, notify_national_panel::Variables { id: ctx.id, on: Some(on) }, errors, busy, "The notification to the National Panel was recorded"); }}/>
            })} }.into_any(),
            Task::RapidReview => view! {
                {may(Operation::RequestRapidReviewInformation).then(|| view! {
                    <DatedStep form="request-information" heading="Ask the agencies for their information"
                        label="Date the agencies were asked" path="requestedOn" button="Ask every involved agency"
                        send={move |on: String, errors: Errors, busy: RwSignal<bool>| { send::<RequestRapidReviewInformation>(ctx, request_rapid_review_information::Variables { id: ctx.id, on: Some(on) }, errors, busy, "Each involved agency was asked for its information"); }}/>
                })}
                {may(Operation::RecordRapidReviewMeeting).then(|| view! { <MeetingForm ctx=ctx/> })}
                {may(Operation::DecideRapidReview).then(|| view! { <DecideForm ctx=ctx/> })}
                {may(Operation::SendRapidReview).then(|| view! {
                    <DatedStep form="send" heading="Send the rapid review to the National Panel"
                        label="Date sent" path="sentOn" button="Record it as sent"
                        send={move |on: String, errors: Errors, busy: RwSignal<bool>| { send::<SendRapidReview>(ctx, send_rapid_review::Variables { id: ctx.id, on: Some(on) }, errors, busy, "The rapid review was recorded as sent to the National Panel"); }}/>
                })}
            }.into_any(),
            Task::PanelResponse => view! { {may(Operation::RecordPanelResponse).then(|| view! { <ResponseForm ctx=ctx/> })} }.into_any(),
            _ => view! {
                {may(Operation::CommissionReview).then(|| view! {
                    <DatedStep form="commission" heading="Commission the local child safeguarding practice review"
                        intro="Its final report is due for publication within six months of this date."
                        label="Date commissioned" path="commissionedOn" button="Commission the review"
                        send={move |on: String, errors: Errors, busy: RwSignal<bool>| { send::<CommissionReview>(ctx, commission_review::Variables { id: ctx.id, on: Some(on) }, errors, busy, "The local review was commissioned"); }}/>
                })}
                {may(Operation::RecordLearning).then(|| view! { <LearningForm ctx=ctx/> })}
            }.into_any(),
        }}
        {section!(ctx, "The rapid review", RapidReviewRecord, |id| rapid_review_record::Variables { id }, move |d: rapid_review_record::ResponseData| {
            match d.review.rapid_review {
                None => view! { <p class="govuk-body" id="rapid-review-none">"The National Panel has not been notified yet."</p> }.into_any(),
                Some(r) => {
                    let awaiting: Vec<(i64, String)> = r.information.iter().filter(|i| i.returned_on.is_none()).map(|i| (i.agency_id, i.agency.clone())).collect();
                    let returning = may(Operation::ReturnRapidReviewInformation) && !awaiting.is_empty();
                    view! {
                        <dl class="govuk-summary-list" id="rapid-review">
                            {row("National Panel notified", uk_date(&r.notified_on))}
                            {row("Agencies asked for information", date_or_not_yet(r.information_requested_on))}
                            {row("Rapid review meeting", date_or_not_yet(r.meeting_on))}
                            {r.meeting_notes.map(|n| row("What the meeting found", n))}
                            {row("Partners' decision", match r.commission {
                                None => "Not yet".to_owned(),
                                Some(true) => "Commission a local child safeguarding practice review".to_owned(),
                                Some(false) => "No local review".to_owned(),
                            })}
                            {r.decided_on.map(|d| row("Decided", uk_date(&d)))}
                            {r.reasons.map(|x| row("Reasons", x))}
                            {row("Sent to the National Panel", date_or_not_yet(r.sent_on))}
                            {r.panel_response.map(|x| row("The National Panel's response", x))}
                            {r.learning.map(|x| row("Learning recorded", x))}
                            {r.commissioned_on.map(|d| row("Local review commissioned", uk_date(&d)))}
                        </dl>
                        {(!r.information.is_empty()).then(|| view! {
                            <table class="govuk-table" id="rapid-review-information">
                                <caption class="govuk-table__caption govuk-table__caption--s">"Each agency's information"</caption>
                                <thead class="govuk-table__head"><tr class="govuk-table__row">
                                    <th scope="col" class="govuk-table__header">"Agency"</th>
                                    <th scope="col" class="govuk-table__header">"Returned"</th>
                                    <th scope="col" class="govuk-table__header">"Summary"</th>
                                </tr></thead>
                                <tbody class="govuk-table__body">
                                    {r.information.into_iter().map(|i| view! {
                                        <tr class="govuk-table__row">
                                            <td class="govuk-table__cell">{i.agency}</td>
                                            <td class="govuk-table__cell">{date_or_not_yet(i.returned_on)}</td>
                                            <td class="govuk-table__cell scr-prewrap">{i.summary.unwrap_or_default()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        })}
                        {returning.then(|| view! { <ReturnForm ctx=ctx awaiting=awaiting agency=agency summary=summary on=returned_on errors=return_errors busy=return_busy/> })}
                    }.into_any()
                }
            }
        })}
    }
}

#[component]
fn ReturnForm(
    ctx: Ctx,
    awaiting: Vec<(i64, String)>,
    agency: RwSignal<String>,
    summary: RwSignal<String>,
    on: RwSignal<String>,
    errors: Errors,
    busy: RwSignal<bool>,
) -> impl IntoView {
    let agency_error = move || errors.with(|e| crate::components::error_for(e, "agencyId"));
    view! {
        <form class="scr-step" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let Ok(agency_id) = agency.get_untracked().parse::<i64>() else {
                errors.set(vec![("agencyId".into(), "Choose the agency whose information this is".into())]);
                return;
            };
            let vars = return_rapid_review_information::Variables { id: ctx.id, agency_id, summary: summary.get_untracked(), on: Some(on.get_untracked()) };
            send::<ReturnRapidReviewInformation>(ctx, vars, errors, busy, "The agency's information was returned");
        }>
            <h2 class="govuk-heading-m">"Return your agency's information"</h2>
            <ErrorSummary errors=errors form="return-information"/>
            <div class="govuk-form-group" class:govuk-form-group--error=move || agency_error().is_some()>
                <label class="govuk-label" for=form_field_id("return-information", "agencyId")>"Agency"</label>
                {move || agency_error().map(|m| view! { <p class="govuk-error-message">{m}</p> })}
                <select class="govuk-select" id=form_field_id("return-information", "agencyId") prop:value=move || agency.get() on:change:target=move |ev| agency.set(ev.target().value())>
                    <option value="">"Choose an agency"</option>
                    {awaiting.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                </select>
            </div>
            <TextArea form="return-information" label="The agency's involvement with the child and family" path="summary" value=summary errors=errors/>
            <DateInput form="return-information" label="Date returned" path="returnedOn" value=on errors=errors/>
            <button type="submit" class="govuk-button" disabled=move || busy.get()>"Return the information"</button>
        </form>
    }
}

#[component]
fn MeetingForm(ctx: Ctx) -> impl IntoView {
    let on = RwSignal::new(today());
    let notes = RwSignal::new(String::new());
    let errors: Errors = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    view! {
        <form class="scr-step" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            send::<RecordRapidReviewMeeting>(ctx, record_rapid_review_meeting::Variables { id: ctx.id, notes: notes.get_untracked(), on: Some(on.get_untracked()) }, errors, busy, "The rapid review meeting was recorded");
        }>
            <h2 class="govuk-heading-m">"Record the rapid review meeting"</h2>
            <ErrorSummary errors=errors form="meeting"/>
            {move || errors.with(|e| crate::components::error_for(e, "information")).map(|m| view! { <p class="govuk-error-message" id="meeting-waiting">{m}</p> })}
            <DateInput form="meeting" label="Date of the meeting" path="heldOn" value=on errors=errors/>
            <TextArea form="meeting" label="What the meeting found" path="notes" value=notes errors=errors hint="The facts agreed, immediate actions for children's safety, and what may be learned"/>
            <button type="submit" class="govuk-button" disabled=move || busy.get()>"Record the meeting"</button>
        </form>
    }
}

#[component]
fn DecideForm(ctx: Ctx) -> impl IntoView {
    let commission = RwSignal::new(String::new());
    let reasons = RwSignal::new(String::new());
    let on = RwSignal::new(today());
    let checking = RwSignal::new(false);
    let errors: Errors = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    let rows = Signal::derive(move || {
        vec![
            (
                "Commission a local child safeguarding practice review".to_owned(),
                if commission.get() == "yes" { "Yes" } else { "No" }.to_owned(),
            ),
            ("Reasons".to_owned(), reasons.get()),
            ("Date of the decision".to_owned(), uk_date(&on.get())),
        ]
    });
    let record = Callback::new(move |()| {
        let vars = decide_rapid_review::Variables {
            id: ctx.id,
            commission: commission.get_untracked() == "yes",
            reasons: reasons.get_untracked(),
            on: Some(on.get_untracked()),
        };
        send::<DecideRapidReview>(ctx, vars, errors, busy, "The partners' decision was recorded");
    });
    view! {
        <CheckStep checking=checking heading="Check the partners' decision before you record it" rows=rows
            warning="The decision and its reasons go to the National Panel with the rapid review."
            confirm="Record the decision" errors=errors busy=busy on_confirm=record>
            <form class="scr-step" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let mut found = Vec::new();
                if !matches!(commission.get_untracked().as_str(), "yes" | "no") { found.push(("commission".to_owned(), "Say whether the partners commission a local review".to_owned())); }
                if reasons.get_untracked().trim().is_empty() { found.push(("reasons".to_owned(), "Give the partners' reasons".to_owned())); }
                if !found.is_empty() { errors.set(found); return; }
                errors.set(Vec::new());
                checking.set(true);
            }>
                <h2 class="govuk-heading-m">"Record the partners' decision"</h2>
                <ErrorSummary errors=errors form="rapid-decision"/>
                <Radios form="rapid-decision" legend="Do the safeguarding partners commission a local child safeguarding practice review?" name="commission" value=commission options=vec![("yes", "Yes"), ("no", "No")]/>
                <TextArea form="rapid-decision" label="Reasons" path="reasons" value=reasons errors=errors/>
                <DateInput form="rapid-decision" label="Date of the decision" path="decidedOn" value=on errors=errors/>
                <button type="submit" class="govuk-button" disabled=move || busy.get()>"Continue"</button>
            </form>
        </CheckStep>
    }
}

#[component]
fn ResponseForm(ctx: Ctx) -> impl IntoView {
    let on = RwSignal::new(today());
    let response = RwSignal::new(String::new());
    let errors: Errors = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    view! {
        <form class="scr-step" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            send::<RecordPanelResponse>(ctx, record_panel_response::Variables { id: ctx.id, response: response.get_untracked(), on: Some(on.get_untracked()) }, errors, busy, "The National Panel's response was recorded");
        }>
            <h2 class="govuk-heading-m">"Record the National Panel's response"</h2>
            <ErrorSummary errors=errors form="response"/>
            <TextArea form="response" label="The National Panel's response" path="response" value=response errors=errors/>
            <DateInput form="response" label="Date received" path="receivedOn" value=on errors=errors/>
            <button type="submit" class="govuk-button" disabled=move || busy.get()>"Record the response"</button>
        </form>
    }
}

#[component]
fn LearningForm(ctx: Ctx) -> impl IntoView {
    let on = RwSignal::new(today());
    let learning = RwSignal::new(String::new());
    let errors: Errors = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    view! {
        <form class="scr-step" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            send::<RecordLearning>(ctx, record_learning::Variables { id: ctx.id, learning: learning.get_untracked(), on: Some(on.get_untracked()) }, errors, busy, "The case was closed with its learning recorded");
        }>
            <h2 class="govuk-heading-m">"No further review: record the learning"</h2>
            <ErrorSummary errors=errors form="learning"/>
            <TextArea form="learning" label="The learning the rapid review identified" path="learning" value=learning errors=errors/>
            <DateInput form="learning" label="Date closed" path="closedOn" value=on errors=errors/>
            <button type="submit" class="govuk-button govuk-button--secondary" disabled=move || busy.get()>"Close with the learning recorded"</button>
        </form>
    }
}

/// A step that is only a date: the day it happened (today unless changed), and the
/// button that records it.
#[component]
fn DatedStep<F>(
    #[prop(into)] form: String,
    heading: &'static str,
    #[prop(optional)] intro: Option<&'static str>,
    label: &'static str,
    path: &'static str,
    button: &'static str,
    send: F,
) -> impl IntoView
where
    F: Fn(String, Errors, RwSignal<bool>) + 'static,
{
    let on = RwSignal::new(today());
    let errors: Errors = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    view! {
        <form class="scr-step" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            send(on.get_untracked(), errors, busy);
        }>
            <h2 class="govuk-heading-m">{heading}</h2>
            {intro.map(|t| view! { <p class="govuk-body">{t}</p> })}
            <ErrorSummary errors=errors form=form.clone()/>
            <DateInput form=form label=label path=path value=on errors=errors/>
            <button type="submit" class="govuk-button" disabled=move || busy.get()>{button}</button>
        </form>
    }
}
