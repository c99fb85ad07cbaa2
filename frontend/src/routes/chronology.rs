//! The combined chronology: every submitted IMR's entries in one time order, filtered
//! by agency, person and the four flags, shown as a list or as a timeline with a lane
//! per agency; gaps and possible conflicts marked, and linked by the panel.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use shared::policy::Operation;

use super::documents::ExportButtons;
use crate::api::{self, ApiError};
use crate::components::{ErrorSummary, Failure, Loading, Success, TextField, form_field_id};
use crate::format::uk_date;
use crate::gql::*;
use crate::layout::TimeScale;
use crate::page::{Busy, Ctx, send};

type Data = combined_chronology::ResponseData;
type Variables = combined_chronology::Variables;
type Entry = combined_chronology::CombinedChronologyReviewCombinedChronologyEntries;

/// Entries a page: 500, or fewer when the address asks (`?per-page=N`).
const PAGE: i64 = 500;

/// "Any", "Yes" or "No" for a flag filter.
fn flag(s: &str) -> Option<bool> {
    match s {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

#[derive(Clone, Copy)]
struct Filters {
    agencies: RwSignal<Vec<i64>>,
    person: RwSignal<String>,
    seen: RwSignal<String>,
    alone: RwSignal<String>,
    wishes: RwSignal<String>,
    perpetrator: RwSignal<String>,
    gap_days: RwSignal<String>,
}

#[component]
pub fn ChronologyPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i64>().ok()));
    let per_page = Memo::new(move |_| {
        query.read().get("per-page").and_then(|s| s.parse::<i64>().ok()).map_or(PAGE, |n| n.clamp(1, PAGE))
    });
    let refresh = RwSignal::new(0u32);
    let done = RwSignal::new(None::<String>);
    let loading = RwSignal::new(0i32);
    let f = Filters {
        agencies: RwSignal::new(Vec::new()),
        person: RwSignal::new(String::new()),
        seen: RwSignal::new(String::new()),
        alone: RwSignal::new(String::new()),
        wishes: RwSignal::new(String::new()),
        perpetrator: RwSignal::new(String::new()),
        gap_days: RwSignal::new("28".into()),
    };
    // The filters applied: changed by "Apply", not on every keystroke.
    let applied = RwSignal::new(0u32);
    // The variables of the first page, as applied; a later page adds its cursor.
    let variables = Memo::new(move |_| {
        refresh.get();
        applied.get();
        let filter = combined_chronology::ChronologyFilterInput {
            agency_ids: f.agencies.get_untracked(),
            person_id: f.person.get_untracked().parse().ok(),
            child_seen: flag(&f.seen.get_untracked()),
            seen_alone: flag(&f.alone.get_untracked()),
            wishes_sought: flag(&f.wishes.get_untracked()),
            perpetrator_contact: flag(&f.perpetrator.get_untracked()),
        };
        let gap_days = f.gap_days.get_untracked().trim().parse().ok();
        id.get()
            .map(|id| Vars(Variables { id, filter: Some(filter), gap_days, first: Some(per_page.get()), after: None }))
    });
    let data = LocalResource::new(move || {
        let vars = variables.get();
        async move {
            let _busy = Busy::start(loading);
            let Some(Vars(vars)) = vars else { return Err(ApiError::NotFound) };
            api::call::<CombinedChronology>(vars).await
        }
    });
    let timeline = RwSignal::new(false);
    view! {
        <div id="review" aria-busy=move || (loading.get() > 0).to_string()>
        <Transition fallback=|| view! { <Loading/> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <h1 class="govuk-heading-l">"Combined chronology"</h1><Failure error=e/> }.into_any(),
                Ok(d) => {
                    let ctx = Ctx {
                        id: d.review.id,
                        loading,
                        caps: StoredValue::new(Vec::new()),
                        ops: StoredValue::new(d.review.allowed_operations.clone()),
                        stage: shared::stage::Stage::CombinedChronology,
                        profile: d.review.procedure,
                        refresh,
                        done,
                    };
                    view! { <Body ctx=ctx d=d f=f applied=applied timeline=timeline variables=variables/> }.into_any()
                }
            })}
        </Transition>
        </div>
    }
}

/// The first page's variables, compared by value so that a memo of them changes only
/// when they do.
#[derive(Clone)]
struct Vars(Variables);

impl PartialEq for Vars {
    fn eq(&self, o: &Self) -> bool {
        serde_json::to_value(&self.0).ok() == serde_json::to_value(&o.0).ok()
    }
}

#[component]
fn Body(
    ctx: Ctx,
    d: Data,
    f: Filters,
    applied: RwSignal<u32>,
    timeline: RwSignal<bool>,
    variables: Memo<Option<Vars>>,
) -> impl IntoView {
    let c = d.review.combined_chronology.clone();
    // Every page read so far, in order: the first, then each "Show more".
    let entries = RwSignal::new(c.entries.clone());
    let next = RwSignal::new(c.next.clone());
    let more_busy = RwSignal::new(false);
    let more_error = RwSignal::new(None::<ApiError>);
    let more = move |_| {
        let (Some(Vars(mut vars)), Some(after)) = (variables.get_untracked(), next.get_untracked()) else { return };
        vars.after = Some(after);
        more_busy.set(true);
        more_error.set(None);
        leptos::task::spawn_local(async move {
            match api::call::<CombinedChronology>(vars).await {
                Ok(d) => {
                    let page = d.review.combined_chronology;
                    let first_new = page.entries.first().map(|e| e.id);
                    entries.update(|e| e.extend(page.entries));
                    next.set(page.next);
                    // Focus the first entry of the new page, where reading continues.
                    if let Some(id) = first_new {
                        request_animation_frame(move || crate::page::focus(&format!("entry-{id}")));
                    }
                }
                Err(e) => more_error.set(Some(e)),
            }
            more_busy.set(false);
        });
    };
    let people = d.review.people.clone();
    let label = move |ids: &[i64]| {
        ids.iter()
            .filter_map(|id| people.iter().find(|p| p.id == *id))
            .map(|p| p.label.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let suggested: Vec<i64> = c.suggested_conflicts.iter().flat_map(|s| s.entry_ids.iter().copied()).collect();
    let linked: Vec<(i64, i64)> = c.links.iter().map(|l| (l.entry_a, l.entry_b)).collect();
    let marks = move |id: i64| {
        let mut m = Vec::new();
        if linked.iter().any(|(a, b)| *a == id || *b == id) {
            m.push("Linked");
        } else if suggested.contains(&id) {
            m.push("Possible conflict");
        }
        m
    };
    let (filtered, total) = (c.filtered, c.total);
    view! {
        <a class="govuk-back-link" href=format!("/reviews/{}/tasks/chronology", ctx.id)>{format!("Back to {}", d.review.reference)}</a>
        <span class="govuk-caption-l">{d.review.reference.clone()}</span>
        <h1 class="govuk-heading-l">"Combined chronology"</h1>
        <Success message=ctx.done/>
        <FilterForm f=f applied=applied agencies=d.review.involved_agencies.iter().map(|a| (a.id, a.name.clone())).collect() people=d.review.people.iter().map(|p| (p.id, p.label.clone())).collect()/>
        <p class="govuk-body" role="status" id="chronology-count">{move || if filtered == total {
            format!("Showing {} of {total} entries from the submitted IMRs.", entries.with(Vec::len))
        } else {
            format!("Showing {} of {total} entries from the submitted IMRs ({filtered} match the filters).", entries.with(Vec::len))
        }}</p>
        {(!c.gaps.is_empty()).then(|| view! {
            <div class="govuk-inset-text" id="chronology-gaps">
                <p class="govuk-body govuk-!-font-weight-bold">"Periods with no agency contact"</p>
                <ul class="govuk-list govuk-list--bullet">
                    {c.gaps.iter().map(|g| view! { <li>{format!("{} to {}: {} days", uk_date(&g.from), uk_date(&g.to), g.days)}</li> }).collect_view()}
                </ul>
            </div>
        })}
        <div class="govuk-button-group">
            <button type="button" class="govuk-button govuk-button--secondary" aria-pressed=move || (!timeline.get()).to_string() on:click=move |_| timeline.set(false)>"List"</button>
            <button type="button" class="govuk-button govuk-button--secondary" aria-pressed=move || timeline.get().to_string() on:click=move |_| timeline.set(true)>"Timeline"</button>
        </div>
        {
            let c2 = c.clone();
            move || if timeline.get() {
                let mut whole = c2.clone();
                whole.entries = entries.get();
                view! { <Timeline c=whole/> }.into_any()
            } else {
                view! {
                    <table class="govuk-table scr-chronology" id="combined-chronology">
                        <caption class="govuk-table__caption govuk-table__caption--s">"Entries in time order, each with its agency"</caption>
                        <thead class="govuk-table__head"><tr class="govuk-table__row">
                            <th scope="col" class="govuk-table__header">"When"</th>
                            <th scope="col" class="govuk-table__header">"Agency"</th>
                            <th scope="col" class="govuk-table__header">"Practitioner"</th>
                            <th scope="col" class="govuk-table__header">"Event, decision or action"</th>
                            <th scope="col" class="govuk-table__header">"Child seen / alone / wishes / perpetrator"</th>
                            <th scope="col" class="govuk-table__header">"People"</th>
                        </tr></thead>
                        <tbody class="govuk-table__body">
                            {entries.get().iter().map(|e| row(e, &label(&e.person_ids), &marks(e.id))).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }
        }
        {move || more_error.get().map(|e| view! { <Failure error=e/> })}
        {move || next.get().is_some().then(|| view! {
            <button type="button" class="govuk-button govuk-button--secondary" id="chronology-more" disabled=move || more_busy.get() on:click=more>
                {move || if more_busy.get() { "Loading the next entries\u{2026}".to_owned() } else {
                    let left = usize::try_from(filtered).unwrap_or(0).saturating_sub(entries.with(Vec::len));
                    format!("Show the next {} of {left} entries", left.min(variables.get_untracked().and_then(|v| v.0.first).unwrap_or(PAGE) as usize))
                }}
            </button>
        })}
        {(!c.links.is_empty()).then(|| view! {
            <h2 class="govuk-heading-m">"Entries the panel linked"</h2>
            <ul class="govuk-list govuk-list--bullet">
                {c.links.iter().map(|l| {
                    // Each entry by its date, agency and first words, as the table shows it.
                    let describe = |id: i64| {
                        entries.read_untracked().iter().find(|e| e.id == id).map_or_else(
                            || "an entry outside the current filters".to_owned(),
                            |e| format!("{} ({}): \u{201c}{}\u{201d}", uk_date(&e.date), e.agency_name, e.event.chars().take(60).collect::<String>()),
                        )
                    };
                    view! { <li>{format!("{} and {}. {}", describe(l.entry_a), describe(l.entry_b), l.note)}</li> }
                }).collect_view()}
            </ul>
        })}
        {ctx.may(Operation::LinkChronologyEntries).then(|| view! { <LinkForm ctx=ctx entries=c.entries.clone() suggested=c.suggested_conflicts.iter().filter_map(|s| Some((*s.entry_ids.first()?, *s.entry_ids.get(1)?))).collect()/> })}
        <ExportButtons doc="chronology" base=format!("/api/reviews/{}/export/chronology", ctx.id) outside=ctx.may(Operation::ExportForOutside) csv=true/>
    }
}

fn yes(b: bool) -> &'static str {
    if b { "Yes" } else { "No" }
}

fn row(e: &Entry, people: &str, marks: &[&str]) -> impl IntoView + use<> {
    view! {
        <tr class="govuk-table__row" id=format!("entry-{}", e.id) tabindex="-1">
            <td class="govuk-table__cell">{uk_date(&e.date)}{e.time.clone().map(|t| format!(" {t}"))}
                {marks.iter().map(|m| view! { <br/><strong class="govuk-tag govuk-tag--orange">{m.to_string()}</strong> }).collect_view()}</td>
            <td class="govuk-table__cell">{e.agency_name.clone()}</td>
            <td class="govuk-table__cell">{e.practitioner_role.clone()}</td>
            <td class="govuk-table__cell scr-prewrap">{e.event.clone()}{(!e.decision_or_action.is_empty()).then(|| format!("\n→ {}", e.decision_or_action))}</td>
            <td class="govuk-table__cell">{format!("{} / {} / {} / {}", yes(e.child_seen), yes(e.seen_alone), yes(e.wishes_sought), yes(e.perpetrator_contact))}</td>
            <td class="govuk-table__cell">{people.to_owned()}</td>
        </tr>
    }
}

#[component]
fn FilterForm(
    f: Filters,
    applied: RwSignal<u32>,
    agencies: Vec<(i64, String)>,
    people: Vec<(i64, String)>,
) -> impl IntoView {
    let errors = RwSignal::new(Vec::new());
    let flags = [
        (f.seen, "childSeen", "Child seen"),
        (f.alone, "seenAlone", "Seen alone"),
        (f.wishes, "wishesSought", "Wishes and feelings sought"),
        (f.perpetrator, "perpetratorContact", "Contact with the alleged perpetrator"),
    ];
    view! {
        <form class="scr-filters" id="chronology-filters" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); applied.update(|n| *n += 1); }>
            <h2 class="govuk-heading-s">"Filter"</h2>
            <div class="govuk-form-group">
                <fieldset class="govuk-fieldset">
                    <legend class="govuk-fieldset__legend">"Agencies"</legend>
                    <div class="govuk-checkboxes govuk-checkboxes--small">
                        {agencies.into_iter().map(|(id, name)| {
                            let dom = format!("filter-agency-{id}");
                            view! {
                                <div class="govuk-checkboxes__item">
                                    <input class="govuk-checkboxes__input" type="checkbox" id=dom.clone()
                                        prop:checked=move || f.agencies.get().contains(&id)
                                        on:change=move |ev| { let on = event_target_checked(&ev); f.agencies.update(|a| { a.retain(|x| *x != id); if on { a.push(id); } }); }/>
                                    <label class="govuk-label govuk-checkboxes__label" for=dom>{name}</label>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
            </div>
            <div class="govuk-form-group">
                <label class="govuk-label" for="filter-person">"Person"</label>
                <select class="govuk-select" id="filter-person" bind:value=f.person>
                    <option value="">"Anyone"</option>
                    {people.into_iter().map(|(id, l)| view! { <option value=id.to_string()>{l}</option> }).collect_view()}
                </select>
            </div>
            <div class="scr-row">
                {flags.into_iter().map(|(sig, key, label)| {
                    let dom = format!("filter-{key}");
                    view! {
                        <div class="govuk-form-group">
                            <label class="govuk-label" for=dom.clone()>{label}</label>
                            <select class="govuk-select" id=dom bind:value=sig>
                                <option value="">"Any"</option>
                                <option value="yes">"Yes"</option>
                                <option value="no">"No"</option>
                            </select>
                        </div>
                    }
                }).collect_view()}
            </div>
            <TextField form="filter" label="Mark gaps longer than (days)" path="gapDays" value=f.gap_days errors=errors input_type="number"/>
            <button type="submit" class="govuk-button">"Apply filters"</button>
        </form>
    }
}

/// The timeline: one lane per agency, a dot per entry, gaps shaded.
#[component]
fn Timeline(c: combined_chronology::CombinedChronologyReviewCombinedChronology) -> impl IntoView {
    const LEFT: f64 = 220.0;
    const WIDTH: f64 = 640.0;
    const LANE: f64 = 48.0;
    let scale = TimeScale::over(c.entries.iter().map(|e| e.date.as_str()), LEFT, WIDTH);
    let height = 40.0 + LANE * c.agencies.len().max(1) as f64 + 30.0;
    let lane_of = |agency: i64| c.agencies.iter().position(|a| a.id == agency).unwrap_or(0) as f64;
    let first = c.entries.first().map(|e| uk_date(&e.date)).unwrap_or_default();
    let last = c.entries.last().map(|e| uk_date(&e.date)).unwrap_or_default();
    let summary = format!(
        "Timeline of {} entries from {first} to {last}, one lane per agency: {}",
        c.entries.len(),
        c.agencies.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join(", ")
    );
    view! {
        <figure class="scr-timeline" id="chronology-timeline">
            <svg role="img" aria-label=summary viewBox=format!("0 0 {:.0} {height:.0}", LEFT + WIDTH + 20.0) width="100%">
                {c.gaps.iter().map(|g| {
                    let (x1, x2) = (scale.x(&g.from), scale.x(&g.to));
                    view! { <rect class="scr-timeline__gap" x=x1 y="20" width=(x2 - x1).max(1.0) height=height - 50.0><title>{format!("No contact for {} days", g.days)}</title></rect> }
                }).collect_view()}
                {c.agencies.iter().enumerate().map(|(i, a)| {
                    let y = 40.0 + LANE * i as f64;
                    view! {
                        <g class="scr-timeline__lane">
                            <text x="8" y=y + 5.0>{a.name.clone()}</text>
                            <line x1=LEFT y1=y x2=LEFT + WIDTH y2=y/>
                        </g>
                    }
                }).collect_view()}
                {c.entries.iter().map(|e| {
                    let y = 40.0 + LANE * lane_of(e.agency_id);
                    let class = if e.child_seen { "scr-timeline__entry scr-timeline__entry--seen" } else { "scr-timeline__entry" };
                    view! { <circle class=class cx=scale.x(&e.date) cy=y r="7"><title>{format!("{} {}: {}", uk_date(&e.date), e.agency_name, e.event)}</title></circle> }
                }).collect_view()}
                <text x=LEFT y=height - 8.0>{first.clone()}</text>
                <text x=LEFT + WIDTH y=height - 8.0 text-anchor="end">{last.clone()}</text>
            </svg>
            <figcaption class="govuk-body-s">"Filled dots: the child was seen. Shaded: periods with no agency contact."</figcaption>
        </figure>
    }
}

#[component]
fn LinkForm(ctx: Ctx, entries: Vec<Entry>, suggested: Vec<(i64, i64)>) -> impl IntoView {
    let a = RwSignal::new(suggested.first().map(|p| p.0.to_string()).unwrap_or_default());
    let b = RwSignal::new(suggested.first().map(|p| p.1.to_string()).unwrap_or_default());
    let note = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    let option =
        |e: &Entry| format!("{} {}, {}", uk_date(&e.date), e.agency_name, e.event.chars().take(60).collect::<String>());
    let options: Vec<(i64, String)> = entries.iter().map(|e| (e.id, option(e))).collect();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Ok(x), Ok(y)) = (a.get_untracked().parse::<i64>(), b.get_untracked().parse::<i64>()) else {
            errors.set(vec![("entryB".into(), "Choose two entries".into())]);
            return;
        };
        let vars =
            link_chronology_entries::Variables { id: ctx.id, entry_a: x, entry_b: y, note: note.get_untracked() };
        send::<LinkChronologyEntries>(ctx, vars, errors, busy, "The entries were linked");
    };
    let select = move |path: &'static str, label: &'static str, sig: RwSignal<String>| {
        let dom = form_field_id("link", path);
        let options = options.clone();
        view! {
            <div class="govuk-form-group">
                <label class="govuk-label" for=dom.clone()>{label}</label>
                <select class="govuk-select" id=dom bind:value=sig>
                    <option value="">"Choose an entry"</option>
                    {options.into_iter().map(|(id, t)| view! { <option value=id.to_string()>{t}</option> }).collect_view()}
                </select>
            </div>
        }
    };
    view! {
        <form class="scr-step" id="link-entries" on:submit=submit>
            <h2 class="govuk-heading-m">"Link entries that describe the same event differently"</h2>
            <p class="govuk-body-s">"Entries about the same person on the same day from different agencies are suggested above as possible conflicts."</p>
            <ErrorSummary errors=errors form="link"/>
            {select("entryA", "First entry", a)}
            {select("entryB", "Second entry", b)}
            <crate::components::TextArea form="link" label="What differs" path="note" value=note errors=errors rows=2/>
            <button type="submit" class="govuk-button" disabled=move || busy.get()>"Link the entries"</button>
        </form>
    }
}
