//! The people of a review on its page: the genogram, the forms that add people, ties
//! and households, parallel processes and the family's contributions.

use leptos::prelude::*;
use shared::policy::Operation;
use shared::stage::Relationship;

use crate::api;
use crate::components::{ErrorSummary, Failure, Loading, form_field_id};
use crate::format::uk_date;
use crate::gql::*;
use crate::layout::{self, LineKind, R, Shape};
use crate::page::{Busy, Ctx, send};

/// The family drawn as a genogram, in SVG, by label: what partner boards and
/// inspectors may see is what everyone sees here.
#[component]
pub fn Genogram(ctx: Ctx) -> impl IntoView {
    let data = LocalResource::new(move || {
        ctx.refresh.get();
        async move {
            let _busy = Busy::start(ctx.loading);
            api::call::<ReviewGenogram>(review_genogram::Variables { id: ctx.id }).await
        }
    });
    view! {
        <h2 class="govuk-heading-m">"Genogram"</h2>
        <Transition fallback=|| view! { <Loading/> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <Failure error=e/> }.into_any(),
                Ok(d) => {
                    let people: Vec<(i64, Relationship, String)> = d.review.people.iter().map(|p| (p.id, p.relationship, p.label.clone())).collect();
                    let ties: Vec<(i64, i64, shared::genogram::Tie)> = d.review.relationships.iter().map(|t| (t.from_person_id, t.to_person_id, t.tie)).collect();
                    let households: Vec<(String, Vec<i64>)> = d.review.households.iter().map(|h| (h.label.clone(), h.person_ids.clone())).collect();
                    view! { <GenogramSvg g=layout::genogram(&people, &ties, &households)/> }.into_any()
                }
            })}
        </Transition>
    }
}

#[component]
fn GenogramSvg(g: layout::Genogram) -> impl IntoView {
    if g.nodes.is_empty() {
        return view! { <p class="govuk-body">"No family members are recorded yet."</p> }.into_any();
    }
    let summary = format!(
        "Genogram of {} people: {}",
        g.nodes.len(),
        g.nodes.iter().map(|n| n.label.clone()).collect::<Vec<_>>().join(", ")
    );
    let points = |p: &[(f64, f64)]| p.iter().map(|(x, y)| format!("{x:.0},{y:.0}")).collect::<Vec<_>>().join(" ");
    view! {
        <figure class="scr-genogram">
            <svg role="img" aria-label=summary viewBox=format!("0 0 {:.0} {:.0}", g.width, g.height) width=format!("{:.0}", g.width.min(900.0))>
                {g.households.iter().map(|b| view! {
                    <g class="scr-genogram__household">
                        <rect x=b.x y=b.y width=b.w height=b.h rx="12"/>
                        <text x=b.x + 8.0 y=b.y + 16.0>{b.label.clone()}</text>
                    </g>
                }).collect_view()}
                {g.lines.iter().map(|l| {
                    let class = match l.kind { LineKind::Partner => "scr-genogram__partner", LineKind::Parent => "scr-genogram__parent", LineKind::Sibling => "scr-genogram__sibling" };
                    view! { <polyline class=class points=points(&l.points)/> }
                }).collect_view()}
                {g.nodes.iter().map(|n| {
                    let shape = |r: f64, class: &'static str| match n.shape {
                        Shape::Square => view! { <rect class=class x=n.x - r y=n.y - r width=2.0 * r height=2.0 * r/> }.into_any(),
                        Shape::Circle => view! { <circle class=class cx=n.x cy=n.y r=r/> }.into_any(),
                        Shape::Diamond => view! { <polygon class=class points=format!("{:.0},{:.0} {:.0},{:.0} {:.0},{:.0} {:.0},{:.0}", n.x, n.y - r, n.x + r, n.y, n.x, n.y + r, n.x - r, n.y)/> }.into_any(),
                    };
                    view! {
                        <g class="scr-genogram__person" class:scr-genogram__person--index=n.index>
                            {shape(R, "")}
                            {n.index.then(|| shape(R - 6.0, "scr-genogram__index"))}
                            <text x=n.x y=n.y + R + 16.0 text-anchor="middle">{n.label.clone()}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
            <figcaption class="govuk-body-s">"Squares are male, circles female, diamonds not recorded; the child the review is about has a double outline; dashed boxes are households."</figcaption>
        </figure>
    }
    .into_any()
}

/// A select over a `str_enum` of `shared`, bound to its stable name.
fn enum_select<T: Copy + 'static>(
    id: String,
    label: &'static str,
    value: RwSignal<String>,
    all: &'static [T],
    name: fn(T) -> &'static str,
    title: fn(T) -> &'static str,
) -> impl IntoView {
    view! {
        <div class="govuk-form-group">
            <label class="govuk-label" for=id.clone()>{label}</label>
            <select class="govuk-select" id=id bind:value=value>
                {all.iter().map(|x| view! { <option value=name(*x)>{title(*x)}</option> }).collect_view()}
            </select>
        </div>
    }
}

/// Recording the family for the genogram: a person, a tie between two people, a household.
#[component]
pub fn PeopleForms(ctx: Ctx) -> impl IntoView {
    use shared::genogram::Tie;
    let people = LocalResource::new(move || {
        ctx.refresh.get();
        async move { api::call::<ReviewGenogram>(review_genogram::Variables { id: ctx.id }).await }
    });
    let relationship = RwSignal::new(Relationship::Sibling.as_str().to_owned());
    let name = RwSignal::new(String::new());
    let aliases = RwSignal::new(String::new());
    let dob = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let agency = RwSignal::new(String::new());
    let agencies =
        LocalResource::new(|| async { api::call::<Directory>(directory::Variables).await.map(|d| d.agencies) });
    let (from, to, tie) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(Tie::ParentOf.as_str().to_owned()));
    let household = RwSignal::new("Household 1".to_owned());
    let members = RwSignal::new(Vec::<i64>::new());
    let (e1, e2, e3) = (RwSignal::new(Vec::new()), RwSignal::new(Vec::new()), RwSignal::new(Vec::new()));
    let busy = RwSignal::new(false);
    let add_person = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = add_person::PersonInput {
            relationship: Relationship::parse(&relationship.get_untracked()).unwrap_or(Relationship::HouseholdMember),
            label: None,
            name: name.get_untracked(),
            aliases: aliases
                .get_untracked()
                .split(',')
                .map(|a| a.trim().to_owned())
                .filter(|a| !a.is_empty())
                .collect(),
            date_of_birth: Some(dob.get_untracked()).filter(|d| !d.is_empty()),
            address: Some(address.get_untracked()).filter(|a| !a.trim().is_empty()),
            agency_id: agency
                .get_untracked()
                .parse()
                .ok()
                .filter(|_| relationship.get_untracked() == Relationship::Professional.as_str()),
        };
        send::<AddPerson>(ctx, add_person::Variables { id: ctx.id, input }, e1, busy, "The person was added");
    };
    let add_tie = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Ok(f), Ok(t)) = (from.get_untracked().parse::<i64>(), to.get_untracked().parse::<i64>()) else {
            e2.set(vec![("toPersonId".into(), "Choose both people".into())]);
            return;
        };
        let vars = add_relationship::Variables {
            id: ctx.id,
            from: f,
            to: t,
            tie: Tie::parse(&tie.get_untracked()).unwrap_or(Tie::ParentOf),
        };
        send::<AddRelationship>(ctx, vars, e2, busy, "The relationship was recorded");
    };
    let set_household = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let vars = set_household::Variables {
            id: ctx.id,
            label: household.get_untracked(),
            person_ids: members.get_untracked(),
        };
        send::<SetHousehold>(ctx, vars, e3, busy, "The household was recorded");
    };
    let choose = move |id: String, label: &'static str, sig: RwSignal<String>, list: Vec<(i64, String)>| {
        view! {
            <div class="govuk-form-group">
                <label class="govuk-label" for=id.clone()>{label}</label>
                <select class="govuk-select" id=id bind:value=sig>
                    <option value="">"Choose a person"</option>
                    {list.into_iter().map(|(i, l)| view! { <option value=i.to_string()>{l}</option> }).collect_view()}
                </select>
            </div>
        }
    };
    view! {
        <details class="govuk-details" id="people-forms">
            <summary class="govuk-details__summary"><span class="govuk-details__summary-text">"Record the family"</span></summary>
            <div class="govuk-details__text">
                <form on:submit=add_person>
                    <h3 class="govuk-heading-s">"Add a person"</h3>
                    <ErrorSummary errors=e1 form="person"/>
                    {enum_select(form_field_id("person", "relationship"), "Relationship to the child", relationship, Relationship::ALL, Relationship::as_str, Relationship::title)}
                    <crate::components::TextField form="person" label="Full name" path="name" value=name errors=e1/>
                    <crate::components::TextField form="person" label="Other names and spellings (comma-separated)" path="aliases" value=aliases errors=e1/>
                    <crate::components::DateInput form="person" label="Date of birth (if known)" path="dateOfBirth" value=dob errors=e1/>
                    <crate::components::TextField form="person" label="Address (if known)" path="address" value=address errors=e1/>
                    {move || (relationship.get() == Relationship::Professional.as_str()).then(|| view! {
                        <div class="govuk-form-group">
                            <label class="govuk-label" for=form_field_id("person", "agencyId")>"Agency they work for"</label>
                            <select class="govuk-select" id=form_field_id("person", "agencyId") bind:value=agency>
                                <option value="">"Choose the agency"</option>
                                {move || agencies.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|a| view! { <option value=a.id.to_string()>{a.name}</option> }).collect_view()}
                            </select>
                        </div>
                    })}
                    <button type="submit" class="govuk-button govuk-button--secondary" disabled=move || busy.get()>"Add the person"</button>
                </form>
                <Transition fallback=|| view! { <Loading/> }>
                    {move || people.get().map(|r| match r {
                        Err(e) => view! { <Failure error=e/> }.into_any(),
                        Ok(d) => {
                            let list: Vec<(i64, String)> = d.review.people.iter().filter(|p| p.relationship != Relationship::Professional).map(|p| (p.id, p.label.clone())).collect();
                            view! {
                                <form on:submit=add_tie>
                                    <h3 class="govuk-heading-s">"Record a relationship"</h3>
                                    <ErrorSummary errors=e2 form="tie"/>
                                    {choose(form_field_id("tie", "fromPersonId"), "Who", from, list.clone())}
                                    {enum_select(form_field_id("tie", "tie"), "is the", tie, Tie::ALL, Tie::as_str, Tie::title)}
                                    {choose(form_field_id("tie", "toPersonId"), "of", to, list.clone())}
                                    <button type="submit" class="govuk-button govuk-button--secondary" disabled=move || busy.get()>"Record the relationship"</button>
                                </form>
                                <form on:submit=set_household>
                                    <h3 class="govuk-heading-s">"Record a household"</h3>
                                    <ErrorSummary errors=e3 form="household"/>
                                    <crate::components::TextField form="household" label="Household label" path="label" value=household errors=e3 hint="A label, not an address: for example Household 1"/>
                                    <div class="govuk-checkboxes govuk-checkboxes--small" id=form_field_id("household", "personIds")>
                                        {list.into_iter().map(|(pid, l)| {
                                            let dom = format!("household-person-{pid}");
                                            view! {
                                                <div class="govuk-checkboxes__item">
                                                    <input class="govuk-checkboxes__input" type="checkbox" id=dom.clone()
                                                        on:change=move |ev| { let on = event_target_checked(&ev); members.update(|m| { m.retain(|x| *x != pid); if on { m.push(pid); } }); }/>
                                                    <label class="govuk-label govuk-checkboxes__label" for=dom>{l}</label>
                                                </div>
                                            }
                                        }).collect_view()}
                                    </div>
                                    <button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-top-4" disabled=move || busy.get()>"Record the household"</button>
                                </form>
                            }.into_any()
                        }
                    })}
                </Transition>
            </div>
        </details>
    }
}

/// Processes running beside the review, with their status and expected end.
#[component]
pub fn Processes(ctx: Ctx) -> impl IntoView {
    use shared::stage::{ParallelProcessKind, ProcessStatus};
    let data = LocalResource::new(move || {
        ctx.refresh.get();
        async move {
            let _busy = Busy::start(ctx.loading);
            api::call::<ReviewProcesses>(review_processes::Variables { id: ctx.id }).await
        }
    });
    let kind = RwSignal::new(ParallelProcessKind::CriminalProceedings.as_str().to_owned());
    let status = RwSignal::new(ProcessStatus::Open.as_str().to_owned());
    let description = RwSignal::new(String::new());
    let end = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    let record = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let vars = record_parallel_process::Variables {
            id: ctx.id,
            kind: ParallelProcessKind::parse(&kind.get_untracked()).unwrap_or(ParallelProcessKind::CriminalProceedings),
            status: ProcessStatus::parse(&status.get_untracked()).unwrap_or(ProcessStatus::Open),
            description: description.get_untracked(),
            expected_end: Some(end.get_untracked()).filter(|d| !d.is_empty()),
        };
        send::<RecordParallelProcess>(ctx, vars, errors, busy, "The parallel process was recorded");
    };
    view! {
        <h2 class="govuk-heading-m">"Parallel processes"</h2>
        <Transition fallback=|| view! { <Loading/> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <Failure error=e/> }.into_any(),
                Ok(d) if d.review.parallel_processes.is_empty() => view! { <p class="govuk-body">"None recorded."</p> }.into_any(),
                Ok(d) => view! {
                    <table class="govuk-table" id="parallel-processes">
                        <thead class="govuk-table__head"><tr class="govuk-table__row">
                            <th scope="col" class="govuk-table__header">"Process"</th>
                            <th scope="col" class="govuk-table__header">"Status"</th>
                            <th scope="col" class="govuk-table__header">"Expected end"</th>
                        </tr></thead>
                        <tbody class="govuk-table__body">
                            {d.review.parallel_processes.into_iter().map(|p| {
                                let pid = p.id;
                                let expected = p.expected_end.clone();
                                let conclude = (p.status != ProcessStatus::Concluded && ctx.may(Operation::RecordParallelProcess)).then(|| {
                                    let busy = RwSignal::new(false);
                                    let conclude = move |_| {
                                        let vars = update_parallel_process::Variables { process_id: pid, status: ProcessStatus::Concluded, expected_end: expected.clone() };
                                        send::<UpdateParallelProcess>(ctx, vars, errors, busy, "The process is recorded as concluded");
                                    };
                                    view! { <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" disabled=move || busy.get() on:click=conclude>"Mark concluded"</button> }
                                });
                                view! {
                                    <tr class="govuk-table__row">
                                        <td class="govuk-table__cell">{p.kind.title()}<br/><span class="govuk-body-s scr-prewrap">{p.description}</span></td>
                                        <td class="govuk-table__cell">{p.status.title()}{conclude}</td>
                                        <td class="govuk-table__cell">{p.expected_end.as_deref().map(uk_date).unwrap_or_else(|| "Not known".into())}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            })}
        </Transition>
        {ctx.may(Operation::RecordParallelProcess).then(|| view! {
            <details class="govuk-details">
                <summary class="govuk-details__summary"><span class="govuk-details__summary-text">"Record a parallel process"</span></summary>
                <form class="govuk-details__text" on:submit=record>
                    <ErrorSummary errors=errors form="process"/>
                    {enum_select(form_field_id("process", "kind"), "Process", kind, ParallelProcessKind::ALL, ParallelProcessKind::as_str, ParallelProcessKind::title)}
                    {enum_select(form_field_id("process", "status"), "Status", status, ProcessStatus::ALL, ProcessStatus::as_str, ProcessStatus::title)}
                    <crate::components::TextArea form="process" label="Description" path="description" value=description errors=errors rows=2/>
                    <crate::components::DateInput form="process" label="Expected end (if known)" path="expectedEnd" value=end errors=errors/>
                    <button type="submit" class="govuk-button govuk-button--secondary" disabled=move || busy.get()>"Record the process"</button>
                </form>
            </details>
        })}
    }
}

/// What the family contributed to the review, and how.
#[component]
pub fn Contributions(ctx: Ctx) -> impl IntoView {
    use shared::stage::ContributionMethod;
    let data = LocalResource::new(move || {
        ctx.refresh.get();
        async move {
            let _busy = Busy::start(ctx.loading);
            api::call::<ReviewContributions>(review_contributions::Variables { id: ctx.id }).await
        }
    });
    let person = RwSignal::new(String::new());
    let on = RwSignal::new(String::new());
    let method = RwSignal::new(ContributionMethod::Meeting.as_str().to_owned());
    let summary = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    let record = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if on.get_untracked().is_empty() {
            errors.set(vec![("contributedOn".into(), "Enter the date of the contribution".into())]);
            return;
        }
        let vars = record_family_contribution::Variables {
            id: ctx.id,
            person_id: person.get_untracked().parse().ok(),
            contributed_on: on.get_untracked(),
            method: ContributionMethod::parse(&method.get_untracked()).unwrap_or(ContributionMethod::Meeting),
            summary: summary.get_untracked(),
        };
        send::<RecordFamilyContribution>(ctx, vars, errors, busy, "The family's contribution was recorded");
    };
    view! {
        <h2 class="govuk-heading-m">"Family involvement"</h2>
        <Transition fallback=|| view! { <Loading/> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <Failure error=e/> }.into_any(),
                Ok(d) => {
                    let people = d.review.people.clone();
                    let who = move |id: Option<i64>| id.and_then(|i| people.iter().find(|p| p.id == i)).map_or_else(|| "The family".to_owned(), |p| p.label.clone());
                    view! {
                        {if d.review.family_contributions.is_empty() {
                            view! { <p class="govuk-body">"No contributions recorded yet."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="govuk-list govuk-list--bullet" id="family-contributions">
                                    {d.review.family_contributions.iter().map(|c| view! {
                                        <li>{format!("{}, {} ({}): {}", who(c.person_id), uk_date(&c.contributed_on), c.method.title(), c.summary)}</li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        {ctx.may(Operation::RecordFamilyContribution).then(|| view! {
                            <details class="govuk-details">
                                <summary class="govuk-details__summary"><span class="govuk-details__summary-text">"Record a contribution"</span></summary>
                                <form class="govuk-details__text" on:submit=record>
                                    <ErrorSummary errors=errors form="contribution"/>
                                    <div class="govuk-form-group">
                                        <label class="govuk-label" for=form_field_id("contribution", "personId")>"Who contributed"</label>
                                        <select class="govuk-select" id=form_field_id("contribution", "personId") bind:value=person>
                                            <option value="">"The family together"</option>
                                            {d.review.people.iter().map(|p| view! { <option value=p.id.to_string()>{p.label.clone()}</option> }).collect_view()}
                                        </select>
                                    </div>
                                    <crate::components::DateInput form="contribution" label="Date" path="contributedOn" value=on errors=errors/>
                                    {enum_select(form_field_id("contribution", "method"), "How", method, ContributionMethod::ALL, ContributionMethod::as_str, ContributionMethod::title)}
                                    <crate::components::TextArea form="contribution" label="What they said" path="summary" value=summary errors=errors rows=3/>
                                    <button type="submit" class="govuk-button govuk-button--secondary" disabled=move || busy.get()>"Record the contribution"</button>
                                </form>
                            </details>
                        })}
                    }.into_any()
                }
            })}
        </Transition>
    }
}
