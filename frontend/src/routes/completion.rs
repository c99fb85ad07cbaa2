//! The completion phase in the browser: on a review's page, its milestones and the
//! forms for assurance, approval, submission, letters, evaluation, the action plan and
//! publication; and the actions workspace, where owners record progress and ask for
//! closure, and the board and the sub-group follow every action across reviews.

use leptos::prelude::*;
use shared::completion::{ActionStatus, Milestone, NoticeBody};
use shared::policy::{Field, Operation};
use shared::stage::Stage;
use shared::tasks::Task;

use crate::api::{self, ApiError};
use crate::components::{CheckStep, DateInput, ErrorSummary, Failure, Loading, TextArea, TextField, form_field_id};
use crate::format::uk_date;
use crate::gql::*;
use crate::page::{Busy, Ctx, send, today};

/// A small form: its fields, one submit button, errors at the top.
macro_rules! step_form {
    ($id:expr, $title:expr, $errors:expr, $busy:expr, $button:expr, $submit:expr, $($field:tt)*) => {
        view! {
            <form class="scr-step" id=$id on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); ($submit)(); }>
                <h3 class="govuk-heading-s">{$title}</h3>
                <ErrorSummary errors=$errors form=$id/>
                $($field)*
                <button type="submit" class="govuk-button" disabled=move || $busy.get()>{$button}</button>
            </form>
        }
    };
}

/// Milestones, amendments and the steps of stages 13 to 18 the caller may take.
#[component]
pub fn Completion(ctx: Ctx, task: Task) -> impl IntoView {
    let on = |t: Task| t == task;
    let data = LocalResource::new(move || {
        ctx.refresh.get();
        async move {
            let _busy = Busy::start(ctx.loading);
            api::call::<ReviewCompletion>(review_completion::Variables { id: ctx.id }).await
        }
    });
    view! {
        <h2 class="govuk-heading-m">"Approval, submission and publication"</h2>
        <Transition fallback=|| view! { <Loading/> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <Failure error=e/> }.into_any(),
                Ok(d) => view! {
                    {if d.review.milestones.is_empty() {
                        view! { <p class="govuk-body">"Nothing recorded yet."</p> }.into_any()
                    } else {
                        view! {
                            <dl class="govuk-summary-list" id="milestones">
                                {d.review.milestones.into_iter().map(|m| view! {
                                    <div class="govuk-summary-list__row">
                                        <dt class="govuk-summary-list__key">{m.kind.title()}{m.body.map(|b| format!(": {}", b.title()))}</dt>
                                        <dd class="govuk-summary-list__value scr-prewrap">{uk_date(&m.on_date)}{(!m.details.is_empty()).then(|| format!("\n{}", m.details))}</dd>
                                    </div>
                                }).collect_view()}
                            </dl>
                        }.into_any()
                    }}
                    {(!d.review.amendments.is_empty()).then(|| view! {
                        <h3 class="govuk-heading-s">"Amendments Ofsted asked for"</h3>
                        <ul class="govuk-list govuk-list--bullet" id="amendments">
                            {d.review.amendments.into_iter().map(|a| {
                                let errors = RwSignal::new(Vec::new());
                                let busy = RwSignal::new(false);
                                let id = a.id;
                                let done = move |_| send::<CompleteAmendment>(ctx, complete_amendment::Variables { amendment_id: id }, errors, busy, "The amendment is done");
                                view! {
                                    <li>{a.description}" "
                                        {match a.done_on {
                                            Some(d) => view! { <strong class="govuk-tag govuk-tag--green">{format!("Done {}", uk_date(&d))}</strong> }.into_any(),
                                            None if ctx.may(Operation::ManageActions) => view! { <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" disabled=move || busy.get() on:click=done>"Mark done"</button> }.into_any(),
                                            None => view! { <strong class="govuk-tag govuk-tag--grey">"To do"</strong> }.into_any(),
                                        }}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    })}
                }.into_any(),
            })}
        </Transition>
        {(on(Task::Assurance) && ctx.may(Operation::RecordQualityAssurance)).then(|| view! { <QaForm ctx=ctx/> })}
        {(on(Task::Submission) && ctx.may(Operation::ApproveReport)).then(|| view! { <ApproveForm ctx=ctx/> })}
        {(on(Task::Submission) && ctx.may(Operation::ExportForOutside) && ctx.stage >= Stage::OverviewReport && ctx.stage != Stage::ClosedWithoutReview)
            .then(|| view! { <super::documents::PackageButton review=ctx.id/> })}
        {(on(Task::Submission) && ctx.may(Operation::SubmitReview)).then(|| view! { <SubmitForm ctx=ctx/> })}
        {(on(Task::Submission) && ctx.may(Operation::RecordOfstedLetter) && ctx.stage >= Stage::Decided && ctx.stage < Stage::Submitted && ctx.stage != Stage::ClosedWithoutReview).then(|| view! { <LetterForm ctx=ctx/> })}
        {(on(Task::Evaluation) && ctx.may(Operation::RecordEvaluation)).then(|| view! { <EvaluationForm ctx=ctx/> })}
        {(on(Task::Actions) && ctx.may(Operation::ManageActions)).then(|| view! { <MeetingForm ctx=ctx/> })}
        {(on(Task::Publication) && ctx.may(Operation::PlanPublication)).then(|| view! { <PublicationForms ctx=ctx/> })}
        {(on(Task::Conclusion) && ctx.may(Operation::Conclude)).then(|| view! { <ConcludeForm ctx=ctx/> })}
    }
}

#[component]
fn QaForm(ctx: Ctx) -> impl IntoView {
    let notes = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    let submit = move || {
        let vars = record_quality_assurance::Variables {
            id: ctx.id,
            notes: Some(notes.get_untracked()).filter(|n| !n.trim().is_empty()),
        };
        send::<RecordQualityAssurance>(ctx, vars, errors, busy, "The quality assurance was recorded");
    };
    step_form!("qa", "Quality assurance (Initial Panel)", errors, busy, "Record the quality assurance", submit,
        <TextArea form="qa" label="Notes (optional)" path="notes" value=notes errors=errors rows=2/>)
}

#[component]
fn ApproveForm(ctx: Ctx) -> impl IntoView {
    let errors = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    let checking = RwSignal::new(false);
    let rows = Signal::derive(|| {
        vec![
            ("Overview report".to_owned(), "The newest saved version".to_owned()),
            ("Executive summary".to_owned(), "The newest saved version".to_owned()),
        ]
    });
    let approve = Callback::new(move |()| {
        send::<ApproveReport>(ctx, approve_report::Variables { id: ctx.id }, errors, busy, "The report is approved");
    });
    view! {
        <CheckStep checking=checking heading="Check what you are approving" rows=rows
            warning="Approval sends these versions on for submission to Ofsted and the Department for Education."
            confirm="Approve the report" errors=errors busy=busy on_confirm=approve>
            {step_form!("approve-report", "The Chair's approval", errors, busy, "Continue", move || { errors.set(Vec::new()); checking.set(true) },)}
        </CheckStep>
    }
}

#[component]
fn SubmitForm(ctx: Ctx) -> impl IntoView {
    let on = RwSignal::new(today());
    let errors = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    let checking = RwSignal::new(false);
    let rows = Signal::derive(move || vec![("Sent on".to_owned(), crate::format::uk_date(&on.get()))]);
    let record = Callback::new(move |()| {
        send::<SubmitReview>(
            ctx,
            submit_review::Variables { id: ctx.id, sent_on: on.get_untracked() },
            errors,
            busy,
            "The review was submitted",
        );
    });
    view! {
        <CheckStep checking=checking heading="Check the submission before you record it" rows=rows
            warning="The review moves on to Ofsted's evaluation: the report cannot be changed here afterwards."
            confirm="Record the submission" errors=errors busy=busy on_confirm=record>
            {step_form!("submit-review", "Submission to Ofsted and the DfE", errors, busy, "Continue", move || { errors.set(Vec::new()); checking.set(true) },
                <DateInput form="submit-review" label="Sent on" path="sentOn" value=on errors=errors/>)}
        </CheckStep>
    }
}

#[component]
fn LetterForm(ctx: Ctx) -> impl IntoView {
    let kind = RwSignal::new(Milestone::ExtensionLetter.as_str().to_owned());
    let on = RwSignal::new(today());
    let reasons = RwSignal::new(String::new());
    let progress = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    let submit = move || {
        let vars = record_ofsted_letter::Variables {
            id: ctx.id,
            kind: Milestone::parse(&kind.get_untracked()).unwrap_or(Milestone::ExtensionLetter),
            sent_on: on.get_untracked(),
            reasons: reasons.get_untracked(),
            progress: progress.get_untracked(),
        };
        send::<RecordOfstedLetter>(ctx, vars, errors, busy, "The letter to Ofsted was recorded");
    };
    step_form!("letter", "A letter to Ofsted about delay", errors, busy, "Record the letter", submit,
        <div class="govuk-form-group">
            <label class="govuk-label" for=form_field_id("letter", "kind")>"Letter"</label>
            <select class="govuk-select" id=form_field_id("letter", "kind") bind:value=kind>
                <option value=Milestone::ExtensionLetter.as_str()>{Milestone::ExtensionLetter.title()}</option>
                <option value=Milestone::InterimReport.as_str()>{Milestone::InterimReport.title()}</option>
            </select>
        </div>
        <DateInput form="letter" label="Sent on" path="sentOn" value=on errors=errors/>
        <TextArea form="letter" label="Reasons" path="reasons" value=reasons errors=errors rows=2/>
        <TextArea form="letter" label="Progress made" path="progress" value=progress errors=errors rows=2/>)
}

#[component]
fn EvaluationForm(ctx: Ctx) -> impl IntoView {
    let on = RwSignal::new(today());
    let judgement = RwSignal::new(String::new());
    let amendments = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    let submit = move || {
        let vars = record_evaluation::Variables {
            id: ctx.id,
            received_on: on.get_untracked(),
            judgement: judgement.get_untracked(),
            amendments: amendments
                .get_untracked()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
        };
        send::<RecordEvaluation>(ctx, vars, errors, busy, "Ofsted's evaluation was recorded");
    };
    step_form!("evaluation", "Ofsted's evaluation letter", errors, busy, "Record the evaluation", submit,
        <DateInput form="evaluation" label="Received on" path="receivedOn" value=on errors=errors/>
        <TextField form="evaluation" label="Judgement" path="judgement" value=judgement errors=errors/>
        <TextArea form="evaluation" label="Amendments required, one per line" path="amendments" value=amendments errors=errors rows=3/>)
}

#[component]
fn MeetingForm(ctx: Ctx) -> impl IntoView {
    let held = RwSignal::new(today());
    let participants = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    let submit = move || {
        if due.get_untracked().is_empty() {
            errors.set(vec![("updatesDue".into(), "Enter when owners' updates are due".into())]);
            return;
        }
        let vars = record_planning_meeting::Variables {
            id: ctx.id,
            held_on: held.get_untracked(),
            participants: participants.get_untracked(),
            updates_due: due.get_untracked(),
        };
        send::<RecordPlanningMeeting>(ctx, vars, errors, busy, "The planning meeting was recorded");
    };
    step_form!("meeting", "Action-plan planning meeting", errors, busy, "Record the meeting", submit,
        <DateInput form="meeting" label="Held on" path="heldOn" value=held errors=errors/>
        <TextArea form="meeting" label="Participants" path="participants" value=participants errors=errors rows=2/>
        <DateInput form="meeting" label="Owners' updates due" path="updatesDue" value=due errors=errors/>)
}

#[component]
fn PublicationForms(ctx: Ctx) -> impl IntoView {
    let problems = LocalResource::new(move || {
        ctx.refresh.get();
        async move { api::call::<PublicationProblems>(publication_problems::Variables { id: ctx.id }).await }
    });
    let planned = RwSignal::new(String::new());
    let together = RwSignal::new(true);
    let reasons = RwSignal::new(String::new());
    let bodies = RwSignal::new(Vec::<NoticeBody>::new());
    let sent = RwSignal::new(today());
    let override_reason = RwSignal::new(String::new());
    let (e1, e2, e3) = (RwSignal::new(Vec::new()), RwSignal::new(Vec::new()), RwSignal::new(Vec::new()));
    let busy = RwSignal::new(false);
    let plan = move || {
        if planned.get_untracked().is_empty() {
            e1.set(vec![("plannedOn".into(), "Enter the planned date".into())]);
            return;
        }
        let vars = plan_publication::Variables {
            id: ctx.id,
            planned_on: planned.get_untracked(),
            together: together.get_untracked(),
            apart_reasons: Some(reasons.get_untracked()).filter(|r| !r.trim().is_empty()),
        };
        send::<PlanPublication>(ctx, vars, e1, busy, "The publication plan was recorded");
    };
    // Every body told on the same day goes in one submission; the choice stays as it
    // was if one of them is refused.
    let notice = move || {
        let chosen = bodies.get_untracked();
        if chosen.is_empty() {
            e2.set(vec![("body".into(), "Choose at least one body that was told".into())]);
            return;
        }
        let sent_on = sent.get_untracked();
        busy.set(true);
        ctx.done.set(None);
        leptos::task::spawn_local(async move {
            let _busy = Busy::start(ctx.loading);
            let mut told = 0;
            for b in chosen {
                let vars = record_notice::Variables { id: ctx.id, body: b, sent_on: sent_on.clone() };
                match api::call::<RecordNotice>(vars).await {
                    Ok(_) => {
                        told += 1;
                        bodies.update(|l| l.retain(|x| *x != b));
                    }
                    Err(ApiError::Validation(list)) => {
                        e2.set(list);
                        break;
                    }
                    Err(e) => {
                        e2.set(vec![(String::new(), format!("{}: {}", b.title(), e.message()))]);
                        break;
                    }
                }
            }
            if told > 0 {
                if e2.with_untracked(Vec::is_empty) {
                    ctx.changed(&format!("{told} notice(s) recorded"));
                } else {
                    ctx.refresh.update(|n| *n += 1);
                }
            }
            busy.set(false);
        });
    };
    let checking = RwSignal::new(false);
    let publish = Callback::new(move |()| {
        let vars = publish::Variables {
            id: ctx.id,
            override_reason: Some(override_reason.get_untracked()).filter(|r| !r.trim().is_empty()),
        };
        send::<Publish>(ctx, vars, e3, busy, "The executive summary is published");
    });
    let publish_rows = Signal::derive(move || {
        let reason = override_reason.get();
        vec![
            ("What is published".to_owned(), "The anonymised executive summary, on the board's public page".to_owned()),
            (
                "Reason to publish before a parallel process concludes".to_owned(),
                if reason.trim().is_empty() { "None given".to_owned() } else { reason },
            ),
        ]
    });
    view! {
        {step_form!("plan", "Publication plan", e1, busy, "Record the plan", plan,
            <DateInput form="plan" label="Planned date" path="plannedOn" value=planned errors=e1/>
            <div class="govuk-checkboxes govuk-checkboxes--small govuk-!-margin-bottom-4">
                <div class="govuk-checkboxes__item">
                    <input class="govuk-checkboxes__input" type="checkbox" id="plan-together" bind:checked=together/>
                    <label class="govuk-label govuk-checkboxes__label" for="plan-together">"Publish the overview report with the executive summary"</label>
                </div>
            </div>
            <TextArea form="plan" label="If not together, the compelling reasons" path="apartReasons" value=reasons errors=e1 rows=2/>)}
        {step_form!("notice", "Advance notice of publication", e2, busy, "Record the notices", notice,
            <div class="govuk-form-group" id=form_field_id("notice", "body")>
                <fieldset class="govuk-fieldset">
                    <legend class="govuk-fieldset__legend">"Who was told (choose every body told that day)"</legend>
                    <div class="govuk-checkboxes govuk-checkboxes--small">
                        {NoticeBody::ALL.iter().map(|b| {
                            let b = *b;
                            let id = format!("notice-body-{}", b.as_str());
                            view! {
                                <div class="govuk-checkboxes__item">
                                    <input class="govuk-checkboxes__input" type="checkbox" id=id.clone()
                                        prop:checked=move || bodies.with(|l| l.contains(&b))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            bodies.update(|l| { l.retain(|x| *x != b); if on { l.push(b); } });
                                        }/>
                                    <label class="govuk-label govuk-checkboxes__label" for=id>{b.title()}</label>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
            </div>
            <DateInput form="notice" label="Sent on" path="sentOn" value=sent errors=e2/>)}
        <div class="scr-step" id="publication">
            <h3 class="govuk-heading-s">"Publication"</h3>
            <Transition fallback=|| view! { <Loading/> }>
                {move || problems.get().map(|r| match r {
                    Err(e) => view! { <Failure error=e/> }.into_any(),
                    Ok(d) if d.review.publication_problems.is_empty() => view! { <p class="govuk-body">"Everything publication needs is in place."</p> }.into_any(),
                    Ok(d) => view! {
                        <div class="govuk-inset-text" id="publication-problems">
                            <p class="govuk-body">"Before publication:"</p>
                            <ul class="govuk-list govuk-list--bullet">{d.review.publication_problems.into_iter().map(|p| view! { <li>{p.message}</li> }).collect_view()}</ul>
                        </div>
                    }.into_any(),
                })}
            </Transition>
            <CheckStep checking=checking heading="Check before you publish" rows=publish_rows
                warning="Publishing puts the executive summary on the public page at once; it cannot be withdrawn here."
                confirm="Publish" errors=e3 busy=busy on_confirm=publish>
                {step_form!("publish", "Publish the executive summary", e3, busy, "Continue", move || { e3.set(Vec::new()); checking.set(true) },
                    <TextArea form="publish" label="Reason to publish before a parallel process concludes (only if one is open)" path="overrideReason" value=override_reason errors=e3 rows=2/>)}
            </CheckStep>
        </div>
    }
}

#[component]
fn ConcludeForm(ctx: Ctx) -> impl IntoView {
    let on = RwSignal::new(today());
    let errors = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    let checking = RwSignal::new(false);
    let rows =
        Signal::derive(move || vec![("Government Office told on".to_owned(), crate::format::uk_date(&on.get()))]);
    let conclude = Callback::new(move |()| {
        send::<Conclude>(
            ctx,
            conclude::Variables { id: ctx.id, government_office_told_on: on.get_untracked() },
            errors,
            busy,
            "The review is concluded",
        );
    });
    view! {
        <CheckStep checking=checking heading="Check before you conclude the review" rows=rows
            warning="Every action must be implemented; a concluded review takes no further steps."
            confirm="Conclude the review" errors=errors busy=busy on_confirm=conclude>
            {step_form!("conclude", "Conclusion", errors, busy, "Continue", move || { errors.set(Vec::new()); checking.set(true) },
                <DateInput form="conclude" label="Government Office told on" path="governmentOfficeToldOn" value=on errors=errors/>)}
        </CheckStep>
    }
}

/// An action as either list shows it.
#[derive(Clone)]
pub struct ActionData {
    pub(crate) id: i64,
    pub(crate) review: Option<(i64, String)>,
    pub(crate) recommendation: String,
    pub(crate) agency: String,
    pub(crate) owner: String,
    pub(crate) mine: bool,
    pub(crate) due_on: String,
    pub(crate) overdue: bool,
    pub(crate) outcome: String,
    pub(crate) measure: String,
    pub(crate) status: ActionStatus,
    pub(crate) comment: Option<String>,
    pub(crate) version: i64,
    pub(crate) updates: Vec<(String, String)>,
    /// (id, file name, kind, size in bytes)
    pub(crate) evidence: Vec<(i64, String, String, i64)>,
    pub(crate) may_update: bool,
    pub(crate) may_decide: bool,
}

fn status_tag(a: &ActionData) -> impl IntoView + use<> {
    let (class, text) = match a.status {
        ActionStatus::Implemented => ("govuk-tag govuk-tag--green", a.status.title().to_owned()),
        ActionStatus::ClosureRequested => ("govuk-tag govuk-tag--blue", a.status.title().to_owned()),
        ActionStatus::Open if a.overdue => ("govuk-tag govuk-tag--red", "Overdue".to_owned()),
        ActionStatus::Open => ("govuk-tag govuk-tag--grey", a.status.title().to_owned()),
    };
    view! { <strong class=class>{text}</strong> }
}

#[component]
pub(crate) fn ActionCard(ctx: Ctx, a: ActionData) -> impl IntoView {
    let note = RwSignal::new(String::new());
    let comment = RwSignal::new(String::new());
    let reaudit = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    let form = format!("action{}", a.id);
    let (id, version) = (a.id, a.version);
    let progress = move |close: bool| {
        let vars = record_progress::Variables {
            action_id: id,
            expected_version: version,
            note: note.get_untracked(),
            request_closure: Some(close),
        };
        send::<RecordProgress>(
            ctx,
            vars,
            errors,
            busy,
            if close { "Your update was saved and closure requested" } else { "Your update was saved" },
        );
    };
    let decide = move |approve: bool| {
        let vars = decide_closure::Variables {
            action_id: id,
            approve,
            comment: Some(comment.get_untracked()).filter(|c| !c.trim().is_empty()),
            reaudit_on: Some(reaudit.get_untracked()).filter(|d| !d.is_empty()),
        };
        send::<DecideClosure>(
            ctx,
            vars,
            errors,
            busy,
            if approve { "The action is closed as implemented" } else { "The action was returned to its owner" },
        );
    };
    view! {
        <div class="scr-action" id=format!("action-{}", a.id)>
            <h3 class="govuk-heading-s">{a.recommendation.clone()}" " {status_tag(&a)}</h3>
            <p class="govuk-body-s">
                {a.review.clone().map(|(rid, reference)| view! { <a class="govuk-link" href=format!("/reviews/{rid}")>{reference}</a>". " })}
                {format!("{}. Owner: {}{}. Due {}.", a.agency, a.owner, if a.mine { " (you)" } else { "" }, uk_date(&a.due_on))}
            </p>
            <p class="govuk-body-s">{format!("Intended outcome: {}. Measured by: {}.", a.outcome, a.measure)}</p>
            {a.comment.clone().map(|c| view! { <p class="govuk-body-s">"Comment: "{c}</p> })}
            {(!a.updates.is_empty()).then(|| view! {
                <ul class="govuk-list govuk-list--bullet govuk-body-s">{a.updates.iter().map(|(n, at)| view! { <li>{format!("{}: {n}", uk_date(at))}</li> }).collect_view()}</ul>
            })}
            {(!a.evidence.is_empty()).then(|| view! {
                <ul class="govuk-list govuk-body-s" id=format!("evidence-{}", a.id)>
                    {a.evidence.iter().map(|(eid, name, kind, size)| {
                        let url = format!("/api/evidence/{eid}");
                        let status = RwSignal::new(None::<String>);
                        view! {
                            <li>
                                <button type="button" class="scr-link-button govuk-link" on:click=move |_| {
                                    let url = url.clone();
                                    leptos::task::spawn_local(async move {
                                        if let Err(e) = api::download(&url).await { status.set(Some(e.message())); }
                                    });
                                }>{name.clone()}</button>
                                {format!(" ({kind}, {} KB)", (size + 1023) / 1024)}
                                {move || status.get().map(|m| view! { <span class="govuk-error-message">{m}</span> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            <ErrorSummary errors=errors form=form.clone()/>
            {a.may_update.then(|| {
                let file_input = NodeRef::<leptos::html::Input>::new();
                let file_id = form_field_id(&form, "file");
                let attach = move |_| {
                    use wasm_bindgen::JsCast;
                    let Some(input) = file_input.get() else { return };
                    let input: web_sys::HtmlInputElement = input.unchecked_into();
                    let Some(file) = input.files().and_then(|f| f.get(0)) else {
                        errors.set(vec![("file".into(), "Choose a file to attach".into())]);
                        return;
                    };
                    // Refused before a byte is sent: the same rule the server applies.
                    if let Err(e) = shared::completion::check_evidence_size(file.size() as usize) {
                        errors.set(vec![(e.field, e.message)]);
                        return;
                    }
                    let url = format!("/api/actions/{id}/evidence?name={}", js_sys::encode_uri_component(&file.name()));
                    busy.set(true);
                    leptos::task::spawn_local(async move {
                        let _busy = Busy::start(ctx.loading);
                        match api::upload(&url, file).await {
                            Ok(()) => {
                                errors.set(Vec::new());
                                ctx.changed("The evidence was attached");
                            }
                            Err(ApiError::Validation(list)) => errors.set(list),
                            Err(e) => errors.set(vec![(String::new(), e.message())]),
                        }
                        busy.set(false);
                    });
                };
                view! {
                    <div class="govuk-form-group">
                        <label class="govuk-label" for=file_id.clone()>"Attach evidence (PDF, Word, PNG, JPEG or text; up to 5 MB)"</label>
                        <input class="govuk-file-upload" type="file" id=file_id node_ref=file_input accept=".pdf,.docx,.png,.jpg,.jpeg,.txt"/>
                    </div>
                    <button type="button" class="govuk-button govuk-button--secondary" disabled=move || busy.get() on:click=attach>"Attach the file"</button>
                }
            })}
            {a.may_update.then(|| view! {
                <TextArea form=form.clone() label="Progress and evidence" path="note" value=note errors=errors rows=2/>
                <div class="govuk-button-group">
                    <button type="button" class="govuk-button govuk-button--secondary" disabled=move || busy.get() on:click=move |_| progress(false)>"Save progress"</button>
                    <button type="button" class="govuk-button" disabled=move || busy.get() on:click=move |_| progress(true)>"Save and ask to close"</button>
                </div>
            })}
            {a.may_decide.then(|| view! {
                <TextArea form=form.clone() label="Comment (required to refuse)" path="comment" value=comment errors=errors rows=2/>
                <DateInput form=form.clone() label="Re-audit on (optional)" path="reauditOn" value=reaudit errors=errors/>
                <div class="govuk-button-group">
                    <button type="button" class="govuk-button" disabled=move || busy.get() on:click=move |_| decide(true)>"Approve closure"</button>
                    <button type="button" class="govuk-button govuk-button--secondary" disabled=move || busy.get() on:click=move |_| decide(false)>"Refuse closure"</button>
                </div>
            })}
        </div>
    }
}

/// The review's action plan, with the board's forms.
#[component]
pub fn ActionPlan(ctx: Ctx) -> impl IntoView {
    let data = LocalResource::new(move || {
        ctx.refresh.get();
        async move {
            let _busy = Busy::start(ctx.loading);
            api::call::<ReviewActions>(review_actions::Variables { id: ctx.id }).await
        }
    });
    view! {
        <h2 class="govuk-heading-m">"Action plan"</h2>
        <Transition fallback=|| view! { <Loading/> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <Failure error=e/> }.into_any(),
                Ok(d) => {
                    let agencies: Vec<(i64, String)> = d.review.involved_agencies.iter().map(|a| (a.id, a.name.clone())).collect();
                    let actions: Vec<ActionData> = d.review.actions.iter().map(|x| ActionData {
                        id: x.id,
                        review: None,
                        recommendation: x.recommendation.clone(),
                        agency: x.agency.as_ref().map(|a| a.name.clone()).unwrap_or_default(),
                        owner: x.owner_name.clone().unwrap_or_default(),
                        mine: x.is_mine,
                        due_on: x.due_on.clone(),
                        overdue: x.overdue,
                        outcome: x.intended_outcome.clone(),
                        measure: x.success_measure.clone(),
                        status: x.status,
                        comment: x.closure_comment.clone(),
                        version: x.version,
                        updates: x.updates.iter().map(|u| (u.note.clone(), u.recorded_at.clone())).collect(),
                        evidence: x.evidence.iter().map(|e| (e.id, e.file_name.clone(), e.kind.clone(), e.size)).collect(),
                        may_update: x.is_mine && x.status == ActionStatus::Open && ctx.may(Operation::UpdateAction),
                        may_decide: !x.is_mine && x.status == ActionStatus::ClosureRequested && ctx.may(Operation::DecideClosure),
                    }).collect();
                    view! {
                        {if actions.is_empty() {
                            view! { <p class="govuk-body">"No actions yet."</p> }.into_any()
                        } else {
                            view! { <div id="action-plan">{actions.into_iter().map(|a| view! { <ActionCard ctx=ctx a=a/> }).collect_view()}</div> }.into_any()
                        }}
                        {ctx.may(Operation::ManageActions).then(|| view! { <AddActionForm ctx=ctx agencies=agencies.clone() owners=d.review.action_owner_candidates.iter().map(|u| (u.id, format!("{}{}", u.name, u.agency.clone().map(|a| format!(", {a}")).unwrap_or_default()))).collect()/> })}
                        {ctx.may(Operation::SignUpActions).then(|| view! { <SignUpForm ctx=ctx agencies=agencies.clone()/> })}
                    }.into_any()
                }
            })}
        </Transition>
    }
}

#[component]
fn AddActionForm(ctx: Ctx, agencies: Vec<(i64, String)>, owners: Vec<(i64, String)>) -> impl IntoView {
    let what = RwSignal::new(String::new());
    let agency = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let outcome = RwSignal::new(String::new());
    let measure = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    let submit = move || {
        let (Ok(ag), Ok(ow)) = (agency.get_untracked().parse::<i64>(), owner.get_untracked().parse::<i64>()) else {
            errors.set(vec![("agencyId".into(), "Choose the agency and the owner".into())]);
            return;
        };
        let input = add_action::ActionInput {
            recommendation: what.get_untracked(),
            agency_id: ag,
            owner_id: ow,
            due_on: Some(due.get_untracked()).filter(|d| !d.is_empty()),
            intended_outcome: outcome.get_untracked(),
            success_measure: measure.get_untracked(),
        };
        send::<AddAction>(ctx, add_action::Variables { id: ctx.id, input }, errors, busy, "The action was added");
    };
    let select = |path: &'static str, label: &'static str, sig: RwSignal<String>, list: Vec<(i64, String)>| {
        view! {
            <div class="govuk-form-group">
                <label class="govuk-label" for=form_field_id("add-action", path)>{label}</label>
                <select class="govuk-select" id=form_field_id("add-action", path) bind:value=sig>
                    <option value="">"Choose"</option>
                    {list.into_iter().map(|(i, n)| view! { <option value=i.to_string()>{n}</option> }).collect_view()}
                </select>
            </div>
        }
    };
    step_form!("add-action", "Add an action", errors, busy, "Add the action", submit,
        <TextArea form="add-action" label="Action" path="recommendation" value=what errors=errors rows=2/>
        {select("agencyId", "Agency", agency, agencies)}
        {select("ownerId", "Owner", owner, owners)}
        <DateInput form="add-action" label="Due date" path="dueOn" value=due errors=errors/>
        <TextField form="add-action" label="Intended outcome" path="intendedOutcome" value=outcome errors=errors/>
        <TextField form="add-action" label="How success will be measured" path="successMeasure" value=measure errors=errors/>)
}

#[component]
fn SignUpForm(ctx: Ctx, agencies: Vec<(i64, String)>) -> impl IntoView {
    let agency = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    let submit = move || {
        let Ok(ag) = agency.get_untracked().parse::<i64>() else {
            errors.set(vec![("agencyId".into(), "Choose your agency".into())]);
            return;
        };
        send::<SignUpActions>(
            ctx,
            sign_up_actions::Variables { id: ctx.id, agency_id: ag },
            errors,
            busy,
            "Your agency is signed up to its actions",
        );
    };
    step_form!("sign-up", "Sign your agency up to its actions", errors, busy, "Sign up", submit,
        <div class="govuk-form-group">
            <label class="govuk-label" for=form_field_id("sign-up", "agencyId")>"Agency"</label>
            <select class="govuk-select" id=form_field_id("sign-up", "agencyId") bind:value=agency>
                <option value="">"Choose"</option>
                {agencies.into_iter().map(|(i, n)| view! { <option value=i.to_string()>{n}</option> }).collect_view()}
            </select>
        </div>)
}

/// Whether the review page shows the completion sections.
pub fn shows(ctx: &Ctx) -> (bool, bool) {
    (
        ctx.can_read(Field::Completion)
            && ctx.stage >= Stage::OverviewReport
            && ctx.stage != Stage::ClosedWithoutReview,
        ctx.can_read(Field::ActionPlan) && ctx.stage >= Stage::Evaluated && ctx.stage != Stage::ClosedWithoutReview,
    )
}
