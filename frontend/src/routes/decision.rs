//! The decision phase on a review's page (stages 1 to 7): the referral and its facts,
//! the criteria assessments, the recommendation, the chair's decision, Ofsted's
//! notification, the set-up checklist and appointments, the terms of reference, and
//! the forms for each step.

use leptos::prelude::*;
use shared::policy::Operation;
use shared::role::Assignment;
use shared::stage::NoReviewOutcome;

use crate::api::{self, ApiError};
use crate::components::{CheckStep, DateInput, Radios};
use crate::components::{ErrorSummary, Failure, Loading, TextArea, form_field_id};
use crate::format::uk_date;
use crate::gql::*;
use crate::page::{Busy, Ctx, section, send, today};

#[component]
pub fn Referral(ctx: Ctx) -> impl IntoView {
    section!(
        ctx,
        "The referral",
        ReviewReferral,
        |id| review_referral::Variables { id },
        |d: review_referral::ResponseData| {
            let r = d.review.referral;
            view! {
                {r.map(|r| view! {
                    <p class="govuk-body scr-prewrap" id="circumstances">{r.circumstances}</p>
                    <p class="govuk-body-s">{r.lead_board_reason}</p>
                    {(!r.partners.is_empty()).then(|| view! {
                        <h3 class="govuk-heading-s">"Partner boards, and why"</h3>
                        <ul class="govuk-list govuk-list--bullet" id="partner-grounds">
                            {r.partners.into_iter().map(|p| view! { <li><strong>{p.board_name}</strong>": " {p.grounds.join(" ")}</li> }).collect_view()}
                        </ul>
                    })}
                    {(!r.boards_left_out.is_empty()).then(|| view! {
                        <h3 class="govuk-heading-s">"Boards left out, with the reason"</h3>
                        <ul class="govuk-list govuk-list--bullet" id="boards-left-out">
                            {r.boards_left_out.into_iter().map(|b| view! { <li><strong>{b.board_name}</strong>": " {b.reason}</li> }).collect_view()}
                        </ul>
                    })}
                    {(!r.boards_added.is_empty()).then(|| view! {
                        <h3 class="govuk-heading-s">"Boards added after the referral"</h3>
                        <ul class="govuk-list govuk-list--bullet" id="boards-added">
                            {r.boards_added.into_iter().map(|b| view! {
                                <li><strong>{b.board_name}</strong>{format!(", added {}: ", uk_date(&b.added_on))}{b.reason}</li>
                            }).collect_view()}
                        </ul>
                    })}
                })}
            }
        }
    )
}

#[component]
pub fn Facts(ctx: Ctx) -> impl IntoView {
    section!(ctx, "The criteria", ReviewFacts, |id| review_facts::Variables { id }, |d: review_facts::ResponseData| {
        let r = d.review.referral;
        view! {
            {r.map(|r| view! {
                <p class="govuk-body">"The engine proposes: " <strong class="govuk-tag">{r.proposal.category.title()}</strong></p>
                <ul class="govuk-list govuk-list--bullet">{r.proposal.reasons.into_iter().map(|x| view! { <li>{x}</li> }).collect_view()}</ul>
                {(!r.proposal.missing.is_empty()).then(|| {
                    let items = r.proposal.missing.clone().into_iter().map(|x| view! { <li>{x}</li> }).collect_view();
                    // When nothing is met, what was absent is the answer itself, so it is shown.
                    if matches!(r.proposal.category, shared::criteria::Category::NotMet | shared::criteria::Category::NotYetKnown) {
                        view! { <div id="criteria-absent"><h3 class="govuk-heading-s">"What was absent or not yet known"</h3><ul class="govuk-list govuk-list--bullet">{items}</ul></div> }.into_any()
                    } else {
                        view! { <details class="govuk-details"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">"Facts not shown"</span></summary>
                        <div class="govuk-details__text"><ul class="govuk-list govuk-list--bullet">{items}</ul></div></details> }.into_any()
                    }
                })}
            })}
        }
    })
}

#[component]
pub fn Assessments(ctx: Ctx) -> impl IntoView {
    section!(
        ctx,
        "Criteria assessment",
        ReviewAssessments,
        |id| review_assessments::Variables { id },
        |d: review_assessments::ResponseData| {
            let list = d.review.criteria_assessments;
            if list.is_empty() {
                return view! { <p class="govuk-body">"Not assessed yet."</p> }.into_any();
            }
            view! {
            {list.into_iter().map(|a| view! {
                <div class="govuk-inset-text">
                    <p class="govuk-body">"Panel's view: " <strong>{a.category.title()}</strong> " (engine: " {a.engine_category.title()} ")"</p>
                    <p class="govuk-body scr-prewrap">{a.reasons}</p>
                    <p class="govuk-body-s">{uk_date(&a.assessed_at)}</p>
                </div>
            }).collect_view()}
        }.into_any()
        }
    )
}

#[component]
pub fn RecommendationView(ctx: Ctx) -> impl IntoView {
    section!(
        ctx,
        "Panel recommendation",
        ReviewRecommendation,
        |id| review_recommendation::Variables { id },
        |d: review_recommendation::ResponseData| {
            match d.review.recommendation {
            None => view! { <p class="govuk-body">"No recommendation yet."</p> }.into_any(),
            Some(r) => view! {
                <p class="govuk-body"><strong>{if r.conduct { "Conduct a Serious Case Review".to_owned() } else { format!("No review: {}", r.alternative.map(|a| a.title()).unwrap_or_default()) }}</strong></p>
                {r.scope.map(|s| view! { <p class="govuk-body scr-prewrap">"Scope: "{s}</p> })}
                <p class="govuk-body scr-prewrap">{r.reasons}</p>
            }.into_any(),
        }
        }
    )
}

#[component]
pub fn DecisionView(ctx: Ctx) -> impl IntoView {
    section!(
        ctx,
        "Chair's decision",
        ReviewDecision,
        |id| review_decision::Variables { id },
        |d: review_decision::ResponseData| {
            match d.review.decision {
            None => view! { <p class="govuk-body">"Not decided yet."</p> }.into_any(),
            Some(x) => view! {
                <p class="govuk-body"><strong>{if x.conduct { "A Serious Case Review will be held".to_owned() } else { format!("No review: {}", x.outcome.map(|a| a.title()).unwrap_or_default()) }}</strong>" on "{uk_date(&x.decided_on)}</p>
                <p class="govuk-body scr-prewrap">{x.reasons}</p>
            }.into_any(),
        }
        }
    )
}

#[component]
pub fn NotificationView(ctx: Ctx) -> impl IntoView {
    section!(
        ctx,
        "Ofsted notification",
        ReviewNotification,
        |id| review_notification::Variables { id },
        |d: review_notification::ResponseData| {
            match d.review.ofsted_notification {
            None => view! { <p class="govuk-body">"Ofsted has not been notified yet."</p> }.into_any(),
            Some(n) => view! {
                <p class="govuk-body">{n.subject}": sent "{uk_date(&n.sent_on)}</p>
                {n.reasons.map(|r| view! { <p class="govuk-body scr-prewrap">{r}</p> })}
                <p class="govuk-body">"Terms of reference sent: " {n.terms_sent_on.as_deref().map(uk_date).unwrap_or_else(|| "not yet".into())}</p>
            }.into_any(),
        }
        }
    )
}

#[component]
pub fn Checklist(ctx: Ctx) -> impl IntoView {
    let can_tick = ctx.may(Operation::UpdateSetupChecklist) || ctx.may(Operation::ConfirmRecordsSecured);
    let error = RwSignal::new(None::<String>);
    section!(
        ctx,
        "Set-up checklist",
        ReviewChecklist,
        |id| review_checklist::Variables { id },
        move |d: review_checklist::ResponseData| {
            let list = d.review.setup_checklist;
            if list.is_empty() {
                return view! { <p class="govuk-body">"The checklist opens once Ofsted has been notified of a decision to hold a review."</p> }.into_any();
            }
            view! {
            {move || error.get().map(|e| view! { <p class="govuk-error-message">{e}</p> })}
            <ul class="govuk-list scr-checklist">
                {list.into_iter().map(|i| {
                    let item_id = i.id;
                    let done = i.done;
                    let label = match (i.agency_name, i.agency_id) { (Some(a), _) => format!("{}: {a}", i.item.title()), (None, Some(a)) => format!("{} (agency {a})", i.item.title()), (None, None) => i.item.title().to_owned() };
                    view! {
                        <li>
                            <strong class=if done { "govuk-tag govuk-tag--green" } else { "govuk-tag govuk-tag--grey" }>{if done { "Done" } else { "To do" }}</strong>
                            " " {label}
                            {i.done_on.map(|d| view! { <span class="govuk-body-s">" on "{uk_date(&d)}</span> })}
                            {(can_tick && !done).then(|| view! {
                                " "
                                <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                                    on:click=move |_| {
                                        let vars = update_setup_checklist_item::Variables { item_id, done: true, note: None };
                                        ctx.done.set(None);
                                        leptos::task::spawn_local(async move {
                                            match api::call::<UpdateSetupChecklistItem>(vars).await {
                                                Ok(_) => { error.set(None); ctx.changed("Checklist item marked as done") }
                                                Err(e) => error.set(Some(e.message())),
                                            }
                                        });
                                    }>"Mark as done"</button>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }.into_any()
        }
    )
}

#[component]
pub fn Appointments(ctx: Ctx) -> impl IntoView {
    section!(
        ctx,
        "Appointments",
        ReviewAppointments,
        |id| review_appointments::Variables { id },
        |d: review_appointments::ResponseData| {
            let list = d.review.appointments;
            if list.is_empty() {
                return view! { <p class="govuk-body">"Nobody has been appointed yet."</p> }.into_any();
            }
            view! {
            <dl class="govuk-summary-list">
                {list.into_iter().map(|a| view! {
                    <div class="govuk-summary-list__row">
                        <dt class="govuk-summary-list__key">{a.assignment.title()}</dt>
                        <dd class="govuk-summary-list__value">{a.name.unwrap_or_default()}" " <span class="govuk-body-s">{a.job_title.unwrap_or_default()}{a.agency.map(|x| format!(", {x}")).unwrap_or_default()}{format!(". Appointed {}", uk_date(&a.appointed_on))}</span></dd>
                    </div>
                }).collect_view()}
            </dl>
        }.into_any()
        }
    )
}

pub fn outcome_options() -> Vec<(&'static str, &'static str)> {
    NoReviewOutcome::ALL.iter().map(|o| (o.as_str(), o.title())).collect()
}

#[component]
pub fn AssessmentForm(ctx: Ctx) -> impl IntoView {
    let category = RwSignal::new(String::new());
    let reasons = RwSignal::new(String::new());
    let on = RwSignal::new(today());
    let errors = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    let options: Vec<(&'static str, &'static str)> =
        shared::criteria::Category::panel_views().map(|c| (c.as_str(), c.title())).collect();
    view! {
        <form class="scr-step" on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let Some(c) = shared::criteria::Category::parse(&category.get_untracked()) else {
                errors.set(vec![("category".into(), "Choose the panel's view of the criteria".into())]);
                return;
            };
            send::<RecordCriteriaAssessment>(ctx, record_criteria_assessment::Variables { id: ctx.id, category: c, reasons: reasons.get_untracked(), on: Some(on.get_untracked()) }, errors, busy, "The panel's assessment was recorded");
        }>
            <h2 class="govuk-heading-m">"Record the panel's criteria assessment"</h2>
            <ErrorSummary errors=errors form="assessment"/>
            <Radios form="assessment" legend="The panel's view" name="category" value=category options=options/>
            <TextArea form="assessment" label="Reasons" path="reasons" value=reasons errors=errors/>
            <DateInput form="assessment" label="Date the panel assessed" path="assessedOn" value=on errors=errors hint="The day it happened, if not today"/>
            <button type="submit" class="govuk-button" disabled=move || busy.get()>"Record the assessment"</button>
        </form>
    }
}

#[component]
pub fn RecommendationForm(ctx: Ctx) -> impl IntoView {
    let conduct = RwSignal::new(String::new());
    let alternative = RwSignal::new(String::new());
    let scope = RwSignal::new(String::new());
    let reasons = RwSignal::new(String::new());
    let on = RwSignal::new(today());
    let errors = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    view! {
        <form class="scr-step" on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let c = match conduct.get_untracked().as_str() { "yes" => true, "no" => false, _ => {
                errors.set(vec![("conduct".into(), "Say whether the panel recommends a review".into())]);
                return;
            } };
            let vars = record_recommendation::Variables {
                id: ctx.id,
                conduct: c,
                alternative: if c { None } else { NoReviewOutcome::parse(&alternative.get_untracked()) },
                scope: Some(scope.get_untracked()).filter(|s| !s.trim().is_empty()),
                reasons: reasons.get_untracked(),
                on: Some(on.get_untracked()),
            };
            send::<RecordRecommendation>(ctx, vars, errors, busy, "The panel's recommendation was recorded");
        }>
            <h2 class="govuk-heading-m">"Record the panel's recommendation"</h2>
            <ErrorSummary errors=errors form="recommendation"/>
            <Radios form="recommendation" legend="Does the panel recommend a Serious Case Review?" name="conduct" value=conduct options=vec![("yes", "Yes"), ("no", "No")]/>
            <Show when=move || conduct.get() == "no">
                <Radios form="recommendation" legend="What instead (11.6.1)" name="alternative" value=alternative options=outcome_options()/>
            </Show>
            <Show when=move || conduct.get() == "yes">
                <TextArea form="recommendation" label="Scope of the review" path="scope" value=scope errors=errors hint="The period and the agencies the review will cover"/>
            </Show>
            <TextArea form="recommendation" label="Reasons" path="reasons" value=reasons errors=errors/>
            <DateInput form="recommendation" label="Date the panel recommended" path="recommendedOn" value=on errors=errors hint="The day it happened, if not today"/>
            <button type="submit" class="govuk-button" disabled=move || busy.get()>"Record the recommendation"</button>
        </form>
    }
}

#[component]
pub fn DecisionForm(ctx: Ctx) -> impl IntoView {
    let conduct = RwSignal::new(String::new());
    let outcome = RwSignal::new(String::new());
    let reasons = RwSignal::new(String::new());
    let on = RwSignal::new(today());
    let checking = RwSignal::new(false);
    let errors = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    let rows = Signal::derive(move || {
        let held = conduct.get() == "yes";
        let mut rows =
            vec![("Will a Serious Case Review be held".to_owned(), if held { "Yes" } else { "No" }.to_owned())];
        if !held {
            let instead = NoReviewOutcome::parse(&outcome.get()).map_or("Not chosen", |o| o.title());
            rows.push(("What instead".to_owned(), instead.to_owned()));
        }
        rows.push(("Reasons".to_owned(), reasons.get()));
        rows.push(("Date of the decision".to_owned(), uk_date(&on.get())));
        rows
    });
    let record = Callback::new(move |()| {
        let c = conduct.get_untracked() == "yes";
        let vars = decide_review::Variables {
            id: ctx.id,
            conduct: c,
            outcome: if c { None } else { NoReviewOutcome::parse(&outcome.get_untracked()) },
            reasons: reasons.get_untracked(),
            on: Some(on.get_untracked()),
        };
        send::<DecideReview>(ctx, vars, errors, busy, "Your decision was recorded");
    });
    view! {
        <CheckStep checking=checking heading="Check your decision before you record it" rows=rows
            warning="The Chair's decision is final: Ofsted will be told of it, and it cannot be changed here afterwards."
            confirm="Record the decision" errors=errors busy=busy on_confirm=record>
            <form class="scr-step" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let mut found = Vec::new();
                if !matches!(conduct.get_untracked().as_str(), "yes" | "no") { found.push(("conduct".to_owned(), "Say whether a review will be held".to_owned())); }
                if reasons.get_untracked().trim().is_empty() { found.push(("reasons".to_owned(), "Give the reasons for your decision".to_owned())); }
                if !found.is_empty() { errors.set(found); return; }
                errors.set(Vec::new());
                checking.set(true);
            }>
                <h2 class="govuk-heading-m">"Decide whether a review is held"</h2>
                <ErrorSummary errors=errors form="decision"/>
                <Radios form="decision" legend="Will a Serious Case Review be held?" name="conduct" value=conduct options=vec![("yes", "Yes"), ("no", "No")]/>
                <Show when=move || conduct.get() == "no">
                    <Radios form="decision" legend="What instead (11.6.1)" name="outcome" value=outcome options=outcome_options()/>
                </Show>
                <TextArea form="decision" label="Reasons for your decision" path="reasons" value=reasons errors=errors/>
                <DateInput form="decision" label="Date of the decision" path="decidedOn" value=on errors=errors hint="The day you decided, if not today"/>
                <button type="submit" class="govuk-button" disabled=move || busy.get()>"Continue"</button>
            </form>
        </CheckStep>
    }
}

#[component]
pub fn NotificationForm(ctx: Ctx) -> impl IntoView {
    let sent_on = RwSignal::new(today());
    let reasons = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    view! {
        <form class="scr-step" on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let vars = record_ofsted_notification::Variables { id: ctx.id, sent_on: sent_on.get_untracked(), reasons: Some(reasons.get_untracked()).filter(|r| !r.trim().is_empty()) };
            send::<RecordOfstedNotification>(ctx, vars, errors, busy, "The Ofsted notification was recorded");
        }>
            <h2 class="govuk-heading-m">"Record the notification to Ofsted"</h2>
            <ErrorSummary errors=errors form="notification"/>
            <DateInput form="notification" label="Date sent" path="sentOn" value=sent_on errors=errors/>
            <TextArea form="notification" label="Reasons given to Ofsted" path="reasons" value=reasons errors=errors hint="Required when no review is held"/>
            <button type="submit" class="govuk-button" disabled=move || busy.get()>"Record the notification"</button>
        </form>
    }
}

#[component]
pub fn AppointForm(ctx: Ctx) -> impl IntoView {
    let users = LocalResource::new(move || async move {
        api::call::<AppointableUsers>(appointable_users::Variables { id: ctx.id }).await
    });
    let user = RwSignal::new(String::new());
    let assignment = RwSignal::new(String::new());
    let on = RwSignal::new(today());
    let errors = RwSignal::new(Vec::<(String, String)>::new());
    let busy = RwSignal::new(false);
    let user_errors =
        move || errors.with(|e| e.iter().filter(|(f, _)| f == "userId").map(|(_, m)| m.clone()).collect::<Vec<_>>());
    let choices: Vec<(&'static str, &'static str)> = [
        Assignment::PanelChair,
        Assignment::PanelMember,
        Assignment::OverviewAuthor,
        Assignment::DesignatedProfessional,
    ]
    .iter()
    .map(|a| (a.as_str(), a.title()))
    .collect();
    view! {
        <form class="scr-step" on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let mut found = Vec::new();
            let uid = user.get_untracked().parse::<i64>().ok();
            let a = Assignment::parse(&assignment.get_untracked());
            if uid.is_none() { found.push(("userId".to_owned(), "Choose who to appoint".to_owned())); }
            if a.is_none() { found.push(("assignment".to_owned(), "Choose the post".to_owned())); }
            if !found.is_empty() { errors.set(found); return; }
            if let (Some(uid), Some(a)) = (uid, a) {
                send::<Appoint>(ctx, appoint::Variables { id: ctx.id, user_id: uid, assignment: a, on: Some(on.get_untracked()) }, errors, busy, "The appointment was made");
            }
        }>
            <h2 class="govuk-heading-m">"Appoint to the review"</h2>
            <ErrorSummary errors=errors form="appoint"/>
            <Radios form="appoint" legend="Post" name="assignment" value=assignment options=choices/>
            <div class="govuk-form-group" class:govuk-form-group--error=move || !user_errors().is_empty()>
                <label class="govuk-label" for=form_field_id("appoint", "userId")>"Person"</label>
                {move || user_errors().into_iter().map(|m| view! { <p class="govuk-error-message"><span class="govuk-visually-hidden">"Error: "</span>{m}</p> }).collect_view()}
                <select class="govuk-select" id=form_field_id("appoint", "userId") on:change:target=move |ev| user.set(ev.target().value())>
                    <option value="">"Choose a person"</option>
                    {move || users.get().map(|r| match r {
                        Ok(d) => d.appointable_users.into_iter().map(|u| view! {
                            <option value=u.id.to_string()>{format!("{}, {}{}", u.name, u.job_title.unwrap_or_default(), u.agency.map(|a| format!(" ({a})")).unwrap_or_default())}</option>
                        }).collect_view().into_any(),
                        Err(_) => view! { <option value="">"Could not load people"</option> }.into_any(),
                    })}
                </select>
            </div>
            <DateInput form="appoint" label="Date of the appointment" path="appointedOn" value=on errors=errors hint="The day it was made, if not today"/>
            <button type="submit" class="govuk-button" disabled=move || busy.get()>"Appoint"</button>
        </form>
    }
}

#[component]
pub fn CompleteSetUpForm(ctx: Ctx) -> impl IntoView {
    let errors = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    // What still stands in the way, from the checklist and the appointments.
    let missing = LocalResource::new(move || {
        ctx.refresh.get();
        async move {
            let checklist = api::call::<ReviewChecklist>(review_checklist::Variables { id: ctx.id }).await?;
            let appointed = api::call::<ReviewAppointments>(review_appointments::Variables { id: ctx.id }).await?;
            let mut out: Vec<String> = checklist
                .review
                .setup_checklist
                .into_iter()
                .filter(|i| !i.done)
                .map(|i| match i.agency_name {
                    Some(a) => format!("{}: {a}", i.item.title()),
                    None => i.item.title().to_owned(),
                })
                .collect();
            for (post, title) in [
                (Assignment::PanelChair, "Appoint the independent SCR Panel chair"),
                (Assignment::OverviewAuthor, "Appoint the overview author"),
            ] {
                if !appointed.review.appointments.iter().any(|a| a.assignment == post) {
                    out.push(title.to_owned());
                }
            }
            Ok::<_, ApiError>(out)
        }
    });
    view! {
        <h2 class="govuk-heading-m">"Complete set-up"</h2>
        <Transition fallback=|| view! { <Loading/> }>
            {move || missing.get().map(|r| match r {
                Err(e) => view! { <Failure error=e/> }.into_any(),
                Ok(list) if !list.is_empty() => view! {
                    <div class="govuk-inset-text" id="setup-missing">
                        <p class="govuk-body">{format!("Set-up can be completed once these {} are done:", list.len())}</p>
                        <ul class="govuk-list govuk-list--bullet">{list.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                    </div>
                }.into_any(),
                Ok(_) => view! {
                    <form class="scr-step" on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        send::<CompleteSetUp>(ctx, complete_set_up::Variables { id: ctx.id }, errors, busy, "Set-up is complete");
                    }>
                        <p class="govuk-body">"Every checklist item is done and the independent panel chair and overview author are appointed."</p>
                        <ErrorSummary errors=errors form="setup"/>
                        <button type="submit" class="govuk-button" disabled=move || busy.get()>"Complete set-up"</button>
                    </form>
                }.into_any(),
            })}
        </Transition>
    }
}

#[component]
pub fn TermsSentForm(ctx: Ctx) -> impl IntoView {
    let sent_on = RwSignal::new(today());
    let errors = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    view! {
        <form class="scr-step" on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            send::<RecordTermsSentToOfsted>(ctx, record_terms_sent_to_ofsted::Variables { id: ctx.id, sent_on: sent_on.get_untracked() }, errors, busy, "Recorded that the terms were sent to Ofsted");
        }>
            <h2 class="govuk-heading-m">"Record the terms of reference sent to Ofsted"</h2>
            <ErrorSummary errors=errors form="terms-sent"/>
            <DateInput form="terms-sent" label="Date sent" path="sentOn" value=sent_on errors=errors/>
            <button type="submit" class="govuk-button" disabled=move || busy.get()>"Record"</button>
        </form>
    }
}

/// One answer as the editor holds it.
#[derive(Debug, Clone, PartialEq)]
struct Draft {
    text: RwSignal<String>,
    not_applicable: RwSignal<bool>,
}

#[component]
pub fn Terms(ctx: Ctx) -> impl IntoView {
    let questions = LocalResource::new(|| api::call::<TermsQuestions>(terms_questions::Variables));
    let terms = LocalResource::new(move || {
        ctx.refresh.get();
        async move {
            let _busy = Busy::start(ctx.loading);
            api::call::<ReviewTerms>(review_terms::Variables { id: ctx.id }).await
        }
    });
    view! {
        <h2 class="govuk-heading-m">"Terms of reference"</h2>
        <Transition fallback=|| view! { <Loading/> }>
            {move || match (questions.get(), terms.get()) {
                (Some(Ok(q)), Some(Ok(t))) => {
                    let current = t.review.terms_of_reference;
                    if ctx.may(Operation::EditTermsOfReference) {
                        view! { <TermsEditor ctx=ctx questions=q.terms_of_reference_questions current=current/> }.into_any()
                    } else {
                        view! { <TermsView current=current ctx=ctx/> }.into_any()
                    }
                }
                (Some(Err(e)), _) | (_, Some(Err(e))) => view! { <Failure error=e/> }.into_any(),
                _ => view! { <Loading/> }.into_any(),
            }}
        </Transition>
    }
}

#[component]
pub fn TermsView(current: Option<review_terms::ReviewTermsReviewTermsOfReference>, ctx: Ctx) -> impl IntoView {
    let Some(t) = current else {
        return view! { <p class="govuk-body">"No terms of reference have been drafted yet."</p> }.into_any();
    };
    let version = t.version;
    let errors = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    view! {
        <p class="govuk-body">"Version "{t.version}" " {if t.approved { view! { <strong class="govuk-tag govuk-tag--green">"Approved"</strong> }.into_any() } else { view! { <strong class="govuk-tag govuk-tag--grey">"Draft"</strong> }.into_any() }}</p>
        <dl class="govuk-summary-list">
            {t.answers.into_iter().map(|a| view! {
                <div class="govuk-summary-list__row">
                    <dt class="govuk-summary-list__key">{a.number}". "{a.question}</dt>
                    <dd class="govuk-summary-list__value scr-prewrap">{if a.not_applicable { "Not applicable".to_owned() } else { a.text.unwrap_or_else(|| "Not answered yet".into()) }}</dd>
                </div>
            }).collect_view()}
        </dl>
        <super::documents::ExportButtons doc="terms-of-reference" base=format!("/api/reviews/{}/export/terms-of-reference", ctx.id) outside=ctx.may(Operation::ExportForOutside)/>
        {ctx.may(Operation::ApproveTermsOfReference).then(|| view! {
            <form class="scr-step" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                send::<ApproveTermsOfReference>(ctx, approve_terms_of_reference::Variables { id: ctx.id, version }, errors, busy, "The terms of reference are approved");
            }>
                <ErrorSummary errors=errors form="approve"/>
                <button type="submit" class="govuk-button" disabled=move || busy.get()>{format!("Approve version {version}")}</button>
            </form>
        })}
    }
    .into_any()
}

#[component]
pub fn TermsEditor(
    ctx: Ctx,
    questions: Vec<String>,
    current: Option<review_terms::ReviewTermsReviewTermsOfReference>,
) -> impl IntoView {
    let expected = RwSignal::new(current.as_ref().map_or(0, |t| t.version));
    let drafts: Vec<Draft> = (0..questions.len())
        .map(|i| {
            let a = current.as_ref().and_then(|t| t.answers.get(i));
            Draft {
                text: RwSignal::new(a.and_then(|a| a.text.clone()).unwrap_or_default()),
                not_applicable: RwSignal::new(a.is_some_and(|a| a.not_applicable)),
            }
        })
        .collect();
    let drafts = StoredValue::new(drafts);
    // What someone else saved, shown beside your text after a conflict.
    let theirs = RwSignal::new(None::<Vec<(Option<String>, bool)>>);
    let errors = RwSignal::new(Vec::<(String, String)>::new());
    let busy = RwSignal::new(false);
    let approved = current.as_ref().is_some_and(|t| t.approved);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let answers: Vec<save_terms_of_reference::TermsAnswerInput> = drafts.with_value(|d| {
            d.iter()
                .map(|x| {
                    let na = x.not_applicable.get_untracked();
                    save_terms_of_reference::TermsAnswerInput {
                        text: if na { None } else { Some(x.text.get_untracked()).filter(|t| !t.trim().is_empty()) },
                        not_applicable: na,
                    }
                })
                .collect()
        });
        let vars =
            save_terms_of_reference::Variables { id: ctx.id, expected_version: expected.get_untracked(), answers };
        busy.set(true);
        ctx.done.set(None);
        leptos::task::spawn_local(async move {
            match api::call::<SaveTermsOfReference>(vars).await {
                Ok(_) => {
                    theirs.set(None);
                    errors.set(Vec::new());
                    crate::drafts::saved(&format!("terms:{}:", ctx.id));
                    ctx.changed("The terms of reference were saved");
                }
                Err(ApiError::Conflict { message, current }) => {
                    // Keep what was typed; fetch what the other person saved and show it beside it.
                    if let Ok(d) = api::call::<ReviewTerms>(review_terms::Variables { id: ctx.id }).await {
                        if let Some(t) = d.review.terms_of_reference {
                            theirs.set(Some(t.answers.into_iter().map(|a| (a.text, a.not_applicable)).collect()));
                        }
                    }
                    if let Some(v) = current {
                        expected.set(v);
                    }
                    errors.set(vec![(String::new(), format!("{message}. Their version is shown beside each of your answers; your text is kept. Save again to replace theirs with yours."))]);
                }
                Err(ApiError::Validation(list)) => errors.set(list),
                Err(e) => errors.set(vec![(String::new(), e.message())]),
            }
            busy.set(false);
        });
    };
    view! {
        <p class="govuk-body">{move || match expected.get() { 0 => "Not saved yet".to_owned(), v => format!("Editing from version {v}") }}
            {approved.then(|| view! { " " <strong class="govuk-tag govuk-tag--green">"Approved"</strong> })}</p>
        <form on:submit=save id="terms-editor">
            <ErrorSummary errors=errors form="terms"/>
            {questions.into_iter().enumerate().map(|(i, q)| {
                let d = drafts.with_value(|d| d[i].clone());
                let path = format!("answers.{i}");
                let na_id = format!("{}-na", form_field_id("terms", &path));
                let theirs_text = move || theirs.get().and_then(|t| t.get(i).cloned()).map(|(t, na)| if na { "Not applicable".to_owned() } else { t.unwrap_or_else(|| "(empty)".into()) });
                view! {
                    <div class="scr-question">
                        <TextArea form="terms" draft=format!("terms:{}:", ctx.id) label=format!("{}. {q}", i + 1) path=path.clone() value=d.text errors=errors rows=3/>
                        <div class="govuk-checkboxes govuk-checkboxes--small govuk-!-margin-bottom-4">
                            <div class="govuk-checkboxes__item">
                                <input class="govuk-checkboxes__input" id=na_id.clone() type="checkbox" bind:checked=d.not_applicable/>
                                <label class="govuk-label govuk-checkboxes__label" for=na_id>"Not applicable"</label>
                            </div>
                        </div>
                        {move || theirs_text().map(|t| view! {
                            <div class="govuk-inset-text scr-theirs"><p class="govuk-body-s">"Saved by someone else:"</p><p class="govuk-body scr-prewrap">{t}</p></div>
                        })}
                    </div>
                }
            }).collect_view()}
            <button type="submit" class="govuk-button" disabled=move || busy.get()>"Save the terms of reference"</button>
        </form>
        {current.map(|t| view! { <TermsView current=Some(t) ctx=ctx/> })}
    }
}

/// A board with an interest found after the referral, added as a partner with the
/// reason (11.3). The lead board and the partners already taking part are not offered;
/// the typed reason is kept in the tab until the board is added.
#[component]
pub fn AddPartnerBoardForm(ctx: Ctx, taking_part: Vec<i64>) -> impl IntoView {
    let boards = LocalResource::new(|| api::call::<Directory>(directory::Variables));
    let board = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let on = RwSignal::new(today());
    let errors = RwSignal::new(Vec::<(String, String)>::new());
    let busy = RwSignal::new(false);
    let draft = format!("partner-board:{}:", ctx.id);
    let prefix = StoredValue::new(draft.clone());
    let board_error = move || crate::components::error_for(&errors.get(), "boardId");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(board_id) = board.get_untracked().parse::<i64>() else {
            errors.set(vec![("boardId".into(), "Choose the board to add".into())]);
            return;
        };
        let vars = add_partner_board::Variables {
            id: ctx.id,
            board_id,
            reason: reason.get_untracked(),
            on: Some(on.get_untracked()),
        };
        busy.set(true);
        ctx.done.set(None);
        leptos::task::spawn_local(async move {
            let _busy = Busy::start(ctx.loading);
            match api::call::<AddPartnerBoard>(vars).await {
                Ok(_) => {
                    errors.set(Vec::new());
                    crate::drafts::saved(&prefix.get_value());
                    reason.set(String::new());
                    board.set(String::new());
                    ctx.changed("The board was added as a partner");
                }
                Err(ApiError::Validation(list)) => errors.set(list),
                Err(e) => errors.set(vec![(String::new(), e.message())]),
            }
            busy.set(false);
        });
    };
    view! {
        <details class="govuk-details" id="add-partner-board">
            <summary class="govuk-details__summary"><span class="govuk-details__summary-text">"Add a board with an interest"</span></summary>
            <div class="govuk-details__text">
                <form class="scr-step" on:submit=submit>
                    <ErrorSummary errors=errors form="partner"/>
                    <div class="govuk-form-group" class:govuk-form-group--error=move || board_error().is_some()>
                        <label class="govuk-label" for=form_field_id("partner", "boardId")>"Board"</label>
                        {move || board_error().map(|m| view! { <p class="govuk-error-message"><span class="govuk-visually-hidden">"Error: "</span>{m}</p> })}
                        <select class="govuk-select" id=form_field_id("partner", "boardId") prop:value=move || board.get()
                            on:change:target=move |ev| board.set(ev.target().value())>
                            <option value="">"Choose a board"</option>
                            {move || boards.get().map(|r| match r {
                                Ok(d) => d.boards.into_iter().filter(|b| !taking_part.contains(&b.id)).map(|b| view! {
                                    <option value=b.id.to_string()>{b.name}</option>
                                }).collect_view().into_any(),
                                Err(_) => view! { <option value="">"Could not load the boards"</option> }.into_any(),
                            })}
                        </select>
                    </div>
                    <TextArea form="partner" draft=draft label="Why this board has an interest" path="reason" value=reason errors=errors rows=3
                        hint="For example, one of its agencies knew the child. This is kept on the referral."/>
                    <DateInput form="partner" label="Date added" path="addedOn" value=on errors=errors hint="The day the board was added, if not today"/>
                    <button type="submit" class="govuk-button" disabled=move || busy.get()>"Add the board as a partner"</button>
                </form>
            </div>
        </details>
    }
}
