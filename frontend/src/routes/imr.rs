//! The IMR workspace: the designated author declares independence, then writes the
//! chronology and the sections and submits; everyone else who may see the IMR reads
//! it, and the panel accepts it or returns it with comments.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::imr::ImrStatus;
use shared::policy::Operation;

use super::review::imr_tag;
use crate::api::{self, ApiError};
use crate::components::{CheckStep, DateInput, Radios};
use crate::components::{ErrorSummary, Failure, Loading, Success, TextArea, TextField, error_for, form_field_id};
use crate::format::uk_date;
use crate::gql::*;
use crate::page::{Busy, Ctx, keep, kept_error, send, today};

type Imr = imr_workspace::ImrWorkspaceReviewImrs;
type Person = imr_workspace::ImrWorkspaceReviewPeople;
type Agency = imr_workspace::ImrWorkspaceReviewInvolvedAgencies;
type Entry = imr_workspace::ImrWorkspaceReviewImrsChronology;

#[component]
pub fn ImrPage() -> impl IntoView {
    let params = use_params_map();
    let ids = Memo::new(move |_| {
        let p = params.read();
        Some((p.get("id")?.parse::<i64>().ok()?, p.get("imr")?.parse::<i64>().ok()?))
    });
    let refresh = RwSignal::new(0u32);
    let done = RwSignal::new(None::<String>);
    let loading = RwSignal::new(0i32);
    let data = LocalResource::new(move || {
        let ids = ids.get();
        refresh.get();
        async move {
            let _busy = Busy::start(loading);
            let Some((id, _)) = ids else { return Err(ApiError::NotFound) };
            api::call::<ImrWorkspace>(imr_workspace::Variables { id }).await
        }
    });
    let find = move |d: &imr_workspace::ResponseData| {
        let wanted = ids.get_untracked().map(|(_, i)| i);
        d.review.imrs.iter().find(|i| Some(i.id) == wanted).cloned()
    };
    // The page is rebuilt only when where the IMR stands changes; adding an entry or
    // saving a version reloads the lists in place and keeps the editor as typed.
    let (latest, key) = keep(data, move |d| {
        (
            d.review.id,
            find(d).map(|i| (i.id, i.status, i.is_mine)),
            d.review.allowed_operations.clone(),
            (d.review.stage, d.review.procedure),
        )
    });
    let body = move || match key.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(_)) => view! { <h1 class="govuk-heading-l">"IMR"</h1><Failure error=kept_error(latest)/> }.into_any(),
        Some(Ok((_, None, _, _))) => {
            view! { <h1 class="govuk-heading-l">"IMR"</h1><Failure error=ApiError::NotFound/> }.into_any()
        }
        Some(Ok((id, Some(_), ops, (stage, profile)))) => {
            let Some(Ok(d)) = latest.get_untracked() else { return view! { <Loading/> }.into_any() };
            let Some(imr) = find(&d) else { return view! { <Loading/> }.into_any() };
            let ctx = Ctx {
                id,
                loading,
                caps: StoredValue::new(Vec::new()),
                ops: StoredValue::new(ops),
                stage,
                profile,
                refresh,
                done,
            };
            let current = Signal::derive(move || {
                latest.with(|r| match r {
                    Some(Ok(d)) => find(d),
                    _ => None,
                })
            });
            crate::page::title(&format!("{}: IMR", d.review.reference));
            view! { <ImrBody ctx=ctx reference=d.review.reference.clone() imr=imr current=current people=d.review.people.clone() agencies=d.review.involved_agencies.clone()/> }.into_any()
        }
    };
    view! {
        <div id="review" aria-busy=move || (loading.get() > 0).to_string()>
            {body}
        </div>
    }
}

#[component]
fn ImrBody(
    ctx: Ctx,
    reference: String,
    imr: Imr,
    current: Signal<Option<Imr>>,
    people: Vec<Person>,
    agencies: Vec<Agency>,
) -> impl IntoView {
    let agency = imr.agency.as_ref().map(|a| a.name.clone()).unwrap_or_default();
    let writing = imr.is_mine && imr.status.is_editable();
    let declaring = imr.is_mine && imr.status == ImrStatus::AuthorDesignated;
    let deciding = imr.status == ImrStatus::Submitted && ctx.may(Operation::DecideImr);
    let people = StoredValue::new(people);
    // The entry being changed in the entry form, if any.
    let editing = RwSignal::new(None::<Entry>);
    view! {
        <a class="govuk-back-link" href=format!("/reviews/{}/tasks/imrs", ctx.id)>{format!("Back to the IMRs of {reference}")}</a>
        <span class="govuk-caption-l">{format!("Individual Management Review, {reference}")}</span>
        <h1 class="govuk-heading-l" tabindex="-1">{agency.clone()}" " {imr_tag(imr.status)}</h1>
        <Success message=ctx.done/>
        <p class="govuk-body">"Requested " {uk_date(&imr.requested_on)} ", due " {uk_date(&imr.due_on)} ". Author: " {imr.author_name.clone().unwrap_or_else(|| "not designated".into())} "."</p>
        {imr.submitted_on.as_deref().map(|d| {
            let decided = imr.decided_on.as_deref().filter(|_| matches!(imr.status, ImrStatus::Accepted | ImrStatus::Returned));
            let decided = decided.map(|d| format!(" The panel decided on {}.", uk_date(d))).unwrap_or_default();
            view! { <p class="govuk-body" id="imr-dates">{format!("Submitted on {}.{decided}", uk_date(d))}</p> }
        })}
        {imr.panel_comments.clone().filter(|_| imr.status == ImrStatus::Returned).map(|c| view! {
            <div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">"!"</span>
                <strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">"Warning"</span>"Returned by the panel: " {c}</strong></div>
        })}
        {declaring.then(|| view! { <Declaration ctx=ctx imr_id=imr.id/> })}
        {if writing {
            view! {
                <Missing imr=current/>
                <Chronology ctx=ctx imr=current people=people editable=Some(editing)/>
                <AddEntry ctx=ctx imr_id=imr.id people=people editing=editing/>
                <Editor ctx=ctx imr=imr.clone() agencies=agencies.clone()/>
            }.into_any()
        } else {
            view! {
                <Chronology ctx=ctx imr=current people=people editable=None/>
                <Sections imr=imr.clone() agencies=agencies.clone()/>
            }.into_any()
        }}
        {deciding.then(|| view! { <Decide ctx=ctx imr_id=imr.id/> })}
        {imr.content.is_some().then(|| view! { <Exports ctx=ctx imr_id=imr.id/> })}
    }
}

#[component]
fn Declaration(ctx: Ctx, imr_id: i64) -> impl IntoView {
    let involved = RwSignal::new(String::new());
    let manages = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (a, b) = (involved.get_untracked(), manages.get_untracked());
        let mut missing = Vec::new();
        if a.is_empty() {
            missing.push(("directInvolvement".to_owned(), "Say whether you were directly involved".to_owned()));
        }
        if b.is_empty() {
            missing
                .push(("lineManagesPractitioners".to_owned(), "Say whether you manage the practitioners".to_owned()));
        }
        if !missing.is_empty() {
            errors.set(missing);
            return;
        }
        let vars = declare_imr_independence::Variables {
            imr_id,
            direct_involvement: a == "yes",
            line_manages_practitioners: b == "yes",
        };
        send::<DeclareImrIndependence>(
            ctx,
            vars,
            errors,
            busy,
            "Your independence is declared: you can now write the IMR",
        );
    };
    view! {
        <form class="scr-step" on:submit=submit id="declaration">
            <h2 class="govuk-heading-m">"Declare your independence"</h2>
            <p class="govuk-body">"An IMR author must not have been involved with the child or family, nor manage the practitioners whose work the IMR looks at (11.10.1)."</p>
            <ErrorSummary errors=errors form="declare"/>
            <Radios form="declare" legend="Have you had any direct involvement with the child or the family?" name="directInvolvement" value=involved options=vec![("no", "No"), ("yes", "Yes")]/>
            {move || error_for(&errors.get(), "directInvolvement").map(|m| view! { <p class="govuk-error-message">{m}</p> })}
            <Radios form="declare" legend="Do you line-manage any of the practitioners involved?" name="lineManagesPractitioners" value=manages options=vec![("no", "No"), ("yes", "Yes")]/>
            {move || error_for(&errors.get(), "lineManagesPractitioners").map(|m| view! { <p class="govuk-error-message">{m}</p> })}
            <button type="submit" class="govuk-button" disabled=move || busy.get()>"Declare"</button>
        </form>
    }
}

#[component]
fn Missing(imr: Signal<Option<Imr>>) -> impl IntoView {
    move || {
        let imr = imr.get()?;
        (!imr.missing.is_empty()).then(|| {
            view! {
                <div class="govuk-inset-text" id="imr-missing">
                    <h2 class="govuk-heading-s">"Before you can submit"</h2>
                    <ul class="govuk-list govuk-list--bullet">
                        {imr.missing.into_iter().map(|m| view! { <li>{m.message}</li> }).collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

fn yes(b: bool) -> &'static str {
    if b { "Yes" } else { "No" }
}

#[component]
fn Chronology(
    ctx: Ctx,
    imr: Signal<Option<Imr>>,
    people: StoredValue<Vec<Person>>,
    editable: Option<RwSignal<Option<Entry>>>,
) -> impl IntoView {
    let label = move |ids: &[i64]| {
        people.with_value(|p| {
            ids.iter()
                .filter_map(|id| p.iter().find(|x| x.id == *id))
                .map(|x| x.label.clone())
                .collect::<Vec<_>>()
                .join(", ")
        })
    };
    let errors = RwSignal::new(Vec::new());
    view! {
        <h2 class="govuk-heading-m">"Chronology"</h2>
        <ErrorSummary errors=errors form="entries"/>
        {move || { let entries = imr.get().map(|i| i.chronology).unwrap_or_default(); if entries.is_empty() {
            view! { <p class="govuk-body">"No entries yet."</p> }.into_any()
        } else {
            view! {
                <table class="govuk-table scr-chronology" id="imr-chronology">
                    <thead class="govuk-table__head"><tr class="govuk-table__row">
                        <th scope="col" class="govuk-table__header">"When"</th>
                        <th scope="col" class="govuk-table__header">"Practitioner"</th>
                        <th scope="col" class="govuk-table__header">"Event, decision or action"</th>
                        <th scope="col" class="govuk-table__header">"Seen / alone / wishes / perpetrator"</th>
                        <th scope="col" class="govuk-table__header">"People"</th>
                        {editable.is_some().then(|| view! { <th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">"Change or remove"</span></th> })}
                    </tr></thead>
                    <tbody class="govuk-table__body">
                        {entries.into_iter().map(|e| {
                            let (id, version) = (e.id, e.version);
                            let busy = RwSignal::new(false);
                            let whole = e.clone();
                            view! {
                                <tr class="govuk-table__row">
                                    <td class="govuk-table__cell">{uk_date(&e.date)}{e.time.map(|t| format!(" {t}"))}</td>
                                    <td class="govuk-table__cell">{e.practitioner_role}</td>
                                    <td class="govuk-table__cell scr-prewrap">{e.event}{(!e.decision_or_action.is_empty()).then(|| format!("\n→ {}", e.decision_or_action))}</td>
                                    <td class="govuk-table__cell">{format!("{} / {} / {} / {}", yes(e.child_seen), yes(e.seen_alone), yes(e.wishes_sought), yes(e.perpetrator_contact))}</td>
                                    <td class="govuk-table__cell">{label(&e.person_ids)}</td>
                                    {editable.map(|editing| view! { <td class="govuk-table__cell">
                                        <div class="govuk-button-group govuk-!-margin-bottom-0">
                                        <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                                            on:click=move |_| { editing.set(Some(whole.clone())); crate::page::focus("add-entry-heading"); }>
                                            "Change"<span class="govuk-visually-hidden">" this entry"</span></button>
                                        <button type="button" class="govuk-button govuk-button--warning govuk-!-margin-bottom-0" disabled=move || busy.get()
                                            on:click=move |_| {
                                                let sure = web_sys::window().and_then(|w| w.confirm_with_message("Remove this entry from the chronology?").ok()).unwrap_or(false);
                                                if sure {
                                                    send::<DeleteChronologyEntry>(ctx, delete_chronology_entry::Variables { entry_id: id, expected_version: version }, errors, busy, "The entry was removed");
                                                }
                                            }>"Remove"<span class="govuk-visually-hidden">" this entry"</span></button>
                                        </div>
                                    </td> })}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}}
    }
}

#[component]
fn AddEntry(
    ctx: Ctx,
    imr_id: i64,
    people: StoredValue<Vec<Person>>,
    editing: RwSignal<Option<Entry>>,
) -> impl IntoView {
    let date = RwSignal::new(String::new());
    let time = RwSignal::new(String::new());
    let precision = RwSignal::new("EXACT".to_owned());
    let sequence = RwSignal::new("0".to_owned());
    let role = RwSignal::new(String::new());
    let event = RwSignal::new(String::new());
    let action = RwSignal::new(String::new());
    let source = RwSignal::new(String::new());
    let flags: [(RwSignal<bool>, &str, &str); 4] = [
        (RwSignal::new(false), "childSeen", "The child was seen"),
        (RwSignal::new(false), "seenAlone", "The child was seen alone"),
        (RwSignal::new(false), "wishesSought", "The child's wishes and feelings were sought"),
        (RwSignal::new(false), "perpetratorContact", "Contact was with the alleged perpetrator"),
    ];
    let chosen = RwSignal::new(Vec::<i64>::new());
    let errors = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    // "Change" on an entry fills the form with it; saving or cancelling empties it.
    Effect::new(move |_| {
        if let Some(e) = editing.get() {
            date.set(e.date.clone());
            time.set(e.time.clone().unwrap_or_default());
            precision.set(
                match e.precision {
                    shared::chronology::Precision::Month => "MONTH",
                    shared::chronology::Precision::Year => "YEAR",
                    _ => "EXACT",
                }
                .to_owned(),
            );
            sequence.set(e.sequence.to_string());
            role.set(e.practitioner_role.clone());
            event.set(e.event.clone());
            action.set(e.decision_or_action.clone());
            source.set(e.source.clone());
            for (sig, on) in
                flags.iter().map(|f| f.0).zip([e.child_seen, e.seen_alone, e.wishes_sought, e.perpetrator_contact])
            {
                sig.set(on);
            }
            chosen.set(e.person_ids.clone());
            errors.set(Vec::new());
        }
    });
    let clear = move || {
        for s in [event, action, source] {
            s.set(String::new());
        }
        editing.set(None);
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if date.get_untracked().is_empty() {
            errors.set(vec![("date".into(), "Enter the date of the event".into())]);
            return;
        }
        let precision = match precision.get_untracked().as_str() {
            "MONTH" => shared::chronology::Precision::Month,
            "YEAR" => shared::chronology::Precision::Year,
            _ => shared::chronology::Precision::Exact,
        };
        // The same fields for a new entry and a changed one.
        macro_rules! entry {
            ($module:ident) => {
                $module::ChronologyEntryInput {
                    date: date.get_untracked(),
                    time: Some(time.get_untracked()).filter(|t| !t.is_empty()),
                    precision,
                    sequence: sequence.get_untracked().trim().parse().unwrap_or(-1),
                    practitioner_role: role.get_untracked(),
                    event: event.get_untracked(),
                    decision_or_action: action.get_untracked(),
                    child_seen: flags[0].0.get_untracked(),
                    seen_alone: flags[1].0.get_untracked(),
                    wishes_sought: flags[2].0.get_untracked(),
                    perpetrator_contact: flags[3].0.get_untracked(),
                    source: source.get_untracked(),
                    person_ids: chosen.get_untracked(),
                }
            };
        }
        let changing = editing.get_untracked().map(|e| (e.id, e.version));
        let add = entry!(add_chronology_entry);
        let update = entry!(update_chronology_entry);
        busy.set(true);
        ctx.done.set(None);
        leptos::task::spawn_local(async move {
            let _busy = Busy::start(ctx.loading);
            let sent = match changing {
                Some((entry_id, expected_version)) => {
                    api::call::<UpdateChronologyEntry>(update_chronology_entry::Variables {
                        entry_id,
                        expected_version,
                        entry: update,
                    })
                    .await
                    .map(|_| "The entry was changed")
                }
                None => api::call::<AddChronologyEntry>(add_chronology_entry::Variables { imr_id, entry: add })
                    .await
                    .map(|_| "The entry was added to the chronology"),
            };
            match sent {
                Ok(message) => {
                    errors.set(Vec::new());
                    clear();
                    ctx.changed(message);
                }
                Err(ApiError::Validation(list)) => errors.set(list),
                Err(e) => errors.set(vec![(String::new(), e.message())]),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="scr-step" on:submit=submit id="add-entry">
            <h2 class="govuk-heading-m" id="add-entry-heading" tabindex="-1">
                {move || if editing.with(Option::is_some) { "Change the entry" } else { "Add to the chronology" }}
            </h2>
            <ErrorSummary errors=errors form="entry"/>
            <div class="scr-row">
                <DateInput form="entry" label="Date" path="date" value=date errors=errors/>
                <TextField form="entry" label="Time (if known)" path="time" value=time errors=errors input_type="time"/>
                <div class="govuk-form-group">
                    <label class="govuk-label" for=form_field_id("entry", "precision")>"How exact is the date"</label>
                    <select class="govuk-select" id=form_field_id("entry", "precision") bind:value=precision>
                        <option value="EXACT">"Exact date"</option>
                        <option value="MONTH">"Month only"</option>
                        <option value="YEAR">"Year only"</option>
                    </select>
                </div>
                <TextField form="entry" label="Order within the day" path="sequence" value=sequence errors=errors input_type="number"/>
            </div>
            <TextField form="entry" label="Practitioner (by role)" path="practitionerRole" value=role errors=errors hint="For example: Health visitor, Police constable"/>
            <TextArea form="entry" label="Event" path="event" value=event errors=errors rows=3/>
            <TextArea form="entry" label="Decision or action" path="decisionOrAction" value=action errors=errors rows=2/>
            <div class="govuk-form-group" id=form_field_id("entry", "seenAlone")>
                <fieldset class="govuk-fieldset">
                    <legend class="govuk-fieldset__legend">"The child"</legend>
                    {move || error_for(&errors.get(), "seenAlone").map(|m| view! { <p class="govuk-error-message">{m}</p> })}
                    <div class="govuk-checkboxes govuk-checkboxes--small">
                        {flags.into_iter().map(|(sig, key, text)| {
                            let id = format!("entry-{key}");
                            view! {
                                <div class="govuk-checkboxes__item">
                                    <input class="govuk-checkboxes__input" type="checkbox" id=id.clone() bind:checked=sig/>
                                    <label class="govuk-label govuk-checkboxes__label" for=id>{text}</label>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
            </div>
            <div class="govuk-form-group" id=form_field_id("entry", "people")>
                <fieldset class="govuk-fieldset">
                    <legend class="govuk-fieldset__legend">"Who the entry is about"</legend>
                    {move || error_for(&errors.get(), "people").map(|m| view! { <p class="govuk-error-message">{m}</p> })}
                    <div class="govuk-checkboxes govuk-checkboxes--small">
                        {people.get_value().into_iter().map(|p| {
                            let id = format!("entry-person-{}", p.id);
                            let pid = p.id;
                            view! {
                                <div class="govuk-checkboxes__item">
                                    <input class="govuk-checkboxes__input" type="checkbox" id=id.clone()
                                        prop:checked=move || chosen.with(|c| c.contains(&pid))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            chosen.update(|c| { c.retain(|x| *x != pid); if on { c.push(pid); } });
                                        }/>
                                    <label class="govuk-label govuk-checkboxes__label" for=id>{p.label}</label>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
            </div>
            <TextField form="entry" label="Source record" path="source" value=source errors=errors hint="Where the entry comes from, for example: Visit record 12/3"/>
            <div class="govuk-button-group">
                <button type="submit" class="govuk-button govuk-button--secondary" disabled=move || busy.get()>
                    {move || if editing.with(Option::is_some) { "Save the change" } else { "Add the entry" }}
                </button>
                {move || editing.with(Option::is_some).then(|| view! {
                    <button type="button" class="govuk-button govuk-button--secondary" on:click=move |_| clear()>"Cancel the change"</button>
                })}
            </div>
        </form>
    }
}

#[derive(Clone, Copy)]
struct Rec {
    action: RwSignal<String>,
    owner: RwSignal<String>,
    due: RwSignal<String>,
    outcome: RwSignal<String>,
    measure: RwSignal<String>,
}

impl Rec {
    fn new() -> Self {
        Rec {
            action: RwSignal::new(String::new()),
            owner: RwSignal::new(String::new()),
            due: RwSignal::new(String::new()),
            outcome: RwSignal::new(String::new()),
            measure: RwSignal::new(String::new()),
        }
    }
}

#[component]
fn Editor(ctx: Ctx, imr: Imr, agencies: Vec<Agency>) -> impl IntoView {
    let c = imr.content.clone();
    let text = |f: fn(&imr_workspace::ImrWorkspaceReviewImrsContent) -> String| {
        RwSignal::new(c.as_ref().map(f).unwrap_or_default())
    };
    let summary = text(|c| c.summary.clone());
    let lessons = text(|c| c.lessons.clone());
    let good = text(|c| c.good_practice.clone());
    let support = text(|c| c.staff_support.clone());
    let questions: Vec<(String, RwSignal<String>)> = c
        .as_ref()
        .map(|c| c.analysis.iter().map(|a| (a.question.clone(), RwSignal::new(a.answer.clone()))).collect())
        .unwrap_or_default();
    let questions = StoredValue::new(questions);
    let recs = RwSignal::new(
        c.as_ref()
            .map(|c| {
                c.recommendations
                    .iter()
                    .map(|r| {
                        let x = Rec::new();
                        x.action.set(r.action.clone());
                        x.owner.set(r.owner_agency_id.map(|a| a.to_string()).unwrap_or_default());
                        x.due.set(r.due.clone().unwrap_or_default());
                        x.outcome.set(r.intended_outcome.clone());
                        x.measure.set(r.success_measure.clone());
                        x
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default(),
    );
    let expected = RwSignal::new(imr.version);
    let errors = RwSignal::new(Vec::<(String, String)>::new());
    let busy = RwSignal::new(false);
    let agencies = StoredValue::new(agencies);
    let content = move || save_imr::ImrContentInput {
        summary: summary.get_untracked(),
        analysis: questions.with_value(|q| q.iter().map(|(_, a)| a.get_untracked()).collect()),
        lessons: lessons.get_untracked(),
        good_practice: good.get_untracked(),
        recommendations: recs
            .get_untracked()
            .iter()
            .map(|r| save_imr::RecommendationInput {
                action: r.action.get_untracked(),
                owner_agency_id: r.owner.get_untracked().parse().ok(),
                due: Some(r.due.get_untracked()).filter(|d| !d.is_empty()),
                intended_outcome: r.outcome.get_untracked(),
                success_measure: r.measure.get_untracked(),
            })
            .collect(),
        staff_support: support.get_untracked(),
    };
    let imr_id = imr.id;
    let draft_key = format!("imr:{imr_id}:");
    // Saves, then (when asked) submits the version just saved.
    let submitted_on = RwSignal::new(today());
    let save = move |and_submit: bool| {
        busy.set(true);
        ctx.done.set(None);
        let vars = save_imr::Variables { imr_id, expected_version: expected.get_untracked(), content: content() };
        leptos::task::spawn_local(async move {
            let _busy = Busy::start(ctx.loading);
            let saved = match api::call::<SaveImr>(vars).await {
                Ok(_) => {
                    expected.update(|v| *v += 1);
                    errors.set(Vec::new());
                    crate::drafts::saved(&format!("imr:{imr_id}:"));
                    true
                }
                Err(ApiError::Conflict { message, current }) => {
                    if let Some(v) = current {
                        expected.set(v);
                    }
                    errors.set(vec![(String::new(), format!("{message}. Your text is still here: copy anything you need, then reload to see the other version, or save again to replace it with yours."))]);
                    false
                }
                Err(ApiError::Validation(list)) => {
                    errors.set(list);
                    false
                }
                Err(e) => {
                    errors.set(vec![(String::new(), e.message())]);
                    false
                }
            };
            if saved && and_submit {
                let vars = submit_imr::Variables {
                    imr_id,
                    expected_version: expected.get_untracked(),
                    on: Some(submitted_on.get_untracked()),
                };
                match api::call::<SubmitImr>(vars).await {
                    Ok(_) => ctx.changed("The IMR was submitted to the panel"),
                    Err(ApiError::Validation(list)) => {
                        errors.set(list);
                        ctx.refresh.update(|n| *n += 1);
                    }
                    Err(e) => errors.set(vec![(String::new(), e.message())]),
                }
            } else if saved {
                ctx.changed(&format!("Version {} of the IMR was saved", expected.get_untracked()));
            }
            busy.set(false);
        });
    };
    let checking = RwSignal::new(false);
    let answered = move |t: String| if t.trim().is_empty() { "Not answered".to_owned() } else { t };
    let rows = Signal::derive(move || {
        let analysis = questions.with_value(|q| q.iter().filter(|(_, a)| !a.get().trim().is_empty()).count());
        let total = questions.with_value(Vec::len);
        vec![
            ("Summary of decisions and services".to_owned(), answered(summary.get())),
            ("Analysis of involvement".to_owned(), format!("{analysis} of {total} questions answered")),
            ("Lessons learned".to_owned(), answered(lessons.get())),
            ("Good practice".to_owned(), answered(good.get())),
            ("Recommendations".to_owned(), recs.with(Vec::len).to_string()),
            ("Staff support and de-briefing".to_owned(), answered(support.get())),
            ("Date submitted".to_owned(), uk_date(&submitted_on.get())),
        ]
    });
    view! {
        <CheckStep checking=checking heading="Check the IMR before you submit it" rows=rows
            warning="Once submitted, the IMR goes to the panel and cannot be changed unless the panel returns it."
            confirm="Submit the IMR to the panel" errors=errors busy=busy on_confirm=Callback::new(move |()| save(true))>
        <form class="scr-step" id="imr-editor" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); save(false); }>
            <h2 class="govuk-heading-m">"The IMR"</h2>
            <p class="govuk-body-s">{move || format!("Editing from version {}", expected.get())}</p>
            <ErrorSummary errors=errors form="imr"/>
            <TextArea form="imr" draft=draft_key.clone() label="Summary of decisions and services" path="summary" value=summary errors=errors/>
            <h3 class="govuk-heading-s">"Analysis of involvement (11.13)"</h3>
            {questions.get_value().into_iter().enumerate().map(|(i, (q, a))| view! {
                <TextArea form="imr" draft=draft_key.clone() label=format!("{}. {q}", i + 1) path=format!("analysis.{i}") value=a errors=errors rows=3/>
            }).collect_view()}
            <TextArea form="imr" draft=draft_key.clone() label="Lessons learned" path="lessons" value=lessons errors=errors/>
            <TextArea form="imr" draft=draft_key.clone() label="Good practice" path="goodPractice" value=good errors=errors/>
            <h3 class="govuk-heading-s" id=form_field_id("imr", "recommendations")>"Recommendations"</h3>
            <p class="govuk-body-s">"Each must be SMART: the action, the agency that owns it, a due date, the outcome intended and how success will be measured."</p>
            {move || recs.get().into_iter().enumerate().map(|(i, r)| {
                let base = format!("recommendations.{i}");
                view! {
                    <fieldset class="govuk-fieldset scr-recommendation">
                        <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{format!("Recommendation {}", i + 1)}</legend>
                        <TextArea form="imr" label="Action" path=format!("{base}.action") value=r.action errors=errors rows=2/>
                        <div class="govuk-form-group">
                            <label class="govuk-label" for=form_field_id("imr", &format!("{base}.ownerAgencyId"))>"Owner agency"</label>
                            {move || error_for(&errors.get(), &format!("recommendations.{i}.ownerAgencyId")).map(|m| view! { <p class="govuk-error-message">{m}</p> })}
                            <select class="govuk-select" id=form_field_id("imr", &format!("{base}.ownerAgencyId")) bind:value=r.owner>
                                <option value="">"Choose the agency"</option>
                                {agencies.get_value().into_iter().map(|a| view! { <option value=a.id.to_string()>{a.name}</option> }).collect_view()}
                            </select>
                        </div>
                        <DateInput form="imr" label="Due date" path=format!("{base}.due") value=r.due errors=errors/>
                        <TextField form="imr" label="Intended outcome" path=format!("{base}.intendedOutcome") value=r.outcome errors=errors/>
                        <TextField form="imr" label="How success will be measured" path=format!("{base}.successMeasure") value=r.measure errors=errors/>
                        <button type="button" class="govuk-button govuk-button--secondary" on:click=move |_| recs.update(|v| { v.remove(i); })>{format!("Remove recommendation {}", i + 1)}</button>
                    </fieldset>
                }
            }).collect_view()}
            <button type="button" class="govuk-button govuk-button--secondary" on:click=move |_| recs.update(|v| v.push(Rec::new()))>"Add a recommendation"</button>
            <TextArea form="imr" draft=draft_key.clone() label="Staff support and de-briefing" path="staffSupport" value=support errors=errors/>
            <DateInput form="imr" label="Date submitted to the panel" path="submittedOn" value=submitted_on errors=errors hint="Used when you submit: the day it was submitted, if not today"/>
            <div class="govuk-button-group">
                <button type="submit" class="govuk-button" disabled=move || busy.get()>"Save draft"</button>
                <button type="button" class="govuk-button govuk-button--secondary" disabled=move || busy.get()
                    on:click=move |_| { errors.set(Vec::new()); checking.set(true); }>"Save and submit to the panel"</button>
            </div>
        </form>
        </CheckStep>
    }
}

#[component]
fn Sections(imr: Imr, agencies: Vec<Agency>) -> impl IntoView {
    let Some(c) = imr.content else {
        return view! { <p class="govuk-body">"The IMR's content is shown once it is submitted to the panel."</p> }
            .into_any();
    };
    let owner =
        move |id: Option<i64>| agencies.iter().find(|a| Some(a.id) == id).map(|a| a.name.clone()).unwrap_or_default();
    let row = |k: &str, v: String| {
        view! {
            <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{k.to_owned()}</dt><dd class="govuk-summary-list__value scr-prewrap">{v}</dd></div>
        }
    };
    view! {
        <h2 class="govuk-heading-m">"The IMR"</h2>
        <dl class="govuk-summary-list" id="imr-sections">
            {row("Summary of decisions and services", c.summary)}
            {c.analysis.into_iter().map(|a| row(&format!("{}. {}", a.number, a.question), a.answer)).collect_view()}
            {row("Lessons learned", c.lessons)}
            {row("Good practice", c.good_practice)}
            {c.recommendations.into_iter().enumerate().map(|(i, r)| row(
                &format!("Recommendation {}", i + 1),
                format!("{}\nOwner: {}. Due: {}.\nIntended outcome: {}\nMeasured by: {}", r.action, owner(r.owner_agency_id), r.due.as_deref().map(uk_date).unwrap_or_default(), r.intended_outcome, r.success_measure),
            )).collect_view()}
            {row("Staff support and de-briefing", c.staff_support)}
        </dl>
    }
    .into_any()
}

#[component]
fn Decide(ctx: Ctx, imr_id: i64) -> impl IntoView {
    let comments = RwSignal::new(String::new());
    let on = RwSignal::new(today());
    let errors = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    let decide = move |accept: bool| {
        let c = comments.get_untracked();
        let vars = decide_imr::Variables {
            imr_id,
            accept,
            comments: Some(c).filter(|c| !c.trim().is_empty()),
            on: Some(on.get_untracked()),
        };
        let ok = if accept { "The IMR was accepted" } else { "The IMR was returned to its author" };
        send::<DecideImr>(ctx, vars, errors, busy, ok);
    };
    view! {
        <form class="scr-step" id="decide-imr" on:submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default()>
            <h2 class="govuk-heading-m">"The panel's decision"</h2>
            <ErrorSummary errors=errors form="decide"/>
            <TextArea form="decide" label="Comments for the author" path="comments" value=comments errors=errors hint="Required when returning the IMR for revision" rows=3/>
            <DateInput form="decide" label="Date of the decision" path="decidedOn" value=on errors=errors hint="The day the panel decided, if not today"/>
            <div class="govuk-button-group">
                <button type="button" class="govuk-button" disabled=move || busy.get() on:click=move |_| decide(true)>"Accept the IMR"</button>
                <button type="button" class="govuk-button govuk-button--secondary" disabled=move || busy.get() on:click=move |_| decide(false)>"Return for revision"</button>
            </div>
        </form>
    }
}

#[component]
fn Exports(ctx: Ctx, imr_id: i64) -> impl IntoView {
    let base = format!("/api/reviews/{}/export/imr?imr={imr_id}", ctx.id);
    let outside = ctx.may(Operation::ExportForOutside);
    view! { <super::documents::ExportButtons doc="imr" base=base outside=outside/> }
}
