//! The home page: the signed-in person's own work across reviews first (steps to take,
//! IMRs to write or decide, actions due, deadlines at risk), overdue first; then the
//! reviews they can see, each with the parts they play on it.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::components::{Failure, Loading, Pages, stage_tag_titled};
use crate::format::uk_date;
use crate::gql::{Dashboard, ReviewList, dashboard, review_list};

#[component]
pub fn Home() -> impl IntoView {
    let data = LocalResource::new(|| api::call::<Dashboard>(dashboard::Variables));
    view! {
        <h1 class="govuk-heading-l" tabindex="-1">"Your work"</h1>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <Failure error=e/> }.into_any(),
                Ok(d) => view! { <Tasks items=d.notifications/> }.into_any(),
            })}
        </Suspense>
        <Reviews/>
    }
}

#[component]
fn Tasks(items: Vec<dashboard::DashboardNotifications>) -> impl IntoView {
    let overdue = items.iter().filter(|i| i.overdue).count();
    view! {
        <h2 class="govuk-heading-m" id="your-tasks">"Your tasks"</h2>
        {if items.is_empty() {
            view! { <p class="govuk-body">"You have nothing to do on any review at the moment."</p> }.into_any()
        } else {
            view! {
                <p class="govuk-body">{match overdue {
                    0 => format!("{} to do, none overdue.", items.len()),
                    n => format!("{} to do, {n} overdue.", items.len()),
                }}</p>
                <table class="govuk-table scr-stack" id="task-table">
                    <caption class="govuk-table__caption govuk-visually-hidden">"Your tasks, overdue first"</caption>
                    <thead class="govuk-table__head"><tr class="govuk-table__row">
                        <th scope="col" class="govuk-table__header">"What to do"</th>
                        <th scope="col" class="govuk-table__header">"Review"</th>
                        <th scope="col" class="govuk-table__header">"Due"</th>
                    </tr></thead>
                    <tbody class="govuk-table__body">
                        {items.into_iter().map(|i| view! {
                            <tr class="govuk-table__row" data-kind=i.kind.clone()>
                                <td class="govuk-table__cell" data-label="What to do"><A href=i.path.clone() attr:class="govuk-link">{i.message.clone()}</A></td>
                                <td class="govuk-table__cell" data-label="Review">{i.reference.clone()}</td>
                                <td class="govuk-table__cell" data-label="Due">
                                    {i.due_on.as_deref().map(uk_date).unwrap_or_else(|| "No date".into())}
                                    {i.overdue.then(|| view! { " " <strong class="govuk-tag govuk-tag--red">"Overdue"</strong> })}
                                </td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}

/// How many reviews a page of the list shows.
const PAGE: i64 = 25;

/// The list of reviews: searched, filtered, sorted and paged on the server, with every
/// choice kept in the address so that a view can be bookmarked or shared.
#[component]
fn Reviews() -> impl IntoView {
    use shared::policy::{Access, Field, best_access, global_capacity};
    use shared::stage::Stage;
    let query = leptos_router::hooks::use_query_map();
    let param = move |k: &str| query.with(|q| q.get(k).filter(|v| !v.trim().is_empty()));
    let page = move || param("page").and_then(|p| p.parse::<i64>().ok()).filter(|p| *p >= 1).unwrap_or(1);
    let order_of = |o: &str| match o {
        "oldest" => review_list::ReviewOrder::REFERRED_ON_ASC,
        "reference" => review_list::ReviewOrder::REFERENCE,
        "child" => review_list::ReviewOrder::CHILD_NAME,
        _ => review_list::ReviewOrder::REFERRED_ON_DESC,
    };
    let data = LocalResource::new(move || {
        let vars = review_list::Variables {
            stage: param("stage").and_then(|s| Stage::parse(&s)),
            reference: param("reference"),
            child_name: param("child"),
            order_by: Some(order_of(&param("order").unwrap_or_default())),
            first: Some(PAGE),
            offset: Some((page() - 1) * PAGE),
        };
        api::call::<ReviewList>(vars)
    });
    // Only someone who reads names in full may search or sort by them.
    let reads_names = expect_context::<crate::session::Auth>().session.with_untracked(|s| {
        s.as_ref().is_some_and(|s| {
            s.roles.iter().any(|r| best_access(&[global_capacity(*r)], Field::PersonName) == Access::Full)
        })
    });
    let reference = RwSignal::new(param("reference").unwrap_or_default());
    let child = RwSignal::new(param("child").unwrap_or_default());
    let stage = RwSignal::new(param("stage").unwrap_or_default());
    let order = RwSignal::new(param("order").unwrap_or_default());
    let navigate = leptos_router::hooks::use_navigate();
    let address = move |page: i64| {
        let mut parts = Vec::new();
        for (k, v) in [
            ("reference", reference.get_untracked()),
            ("child", child.get_untracked()),
            ("stage", stage.get_untracked()),
            ("order", order.get_untracked()),
        ] {
            if !v.trim().is_empty() {
                parts.push(format!("{k}={}", js_sys::encode_uri_component(v.trim())));
            }
        }
        if page > 1 {
            parts.push(format!("page={page}"));
        }
        if parts.is_empty() { "/".to_owned() } else { format!("/?{}", parts.join("&")) }
    };
    let apply = {
        let navigate = navigate.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            navigate(&address(1), Default::default());
        }
    };
    view! {
        <h2 class="govuk-heading-m" id="reviews-heading">"Reviews you can see"</h2>
        <form class="scr-filters scr-filter" role="search" aria-label="Find reviews" on:submit=apply>
            <div class="govuk-form-group">
                <label class="govuk-label" for="find-reference">"Reference"</label>
                <input class="govuk-input govuk-input--width-10" id="find-reference" type="search" bind:value=reference/>
            </div>
            {reads_names.then(|| view! {
                <div class="govuk-form-group">
                    <label class="govuk-label" for="find-child">"Child's name"</label>
                    <input class="govuk-input govuk-input--width-20" id="find-child" type="search" bind:value=child/>
                </div>
            })}
            <div class="govuk-form-group">
                <label class="govuk-label" for="find-stage">"Stage"</label>
                <select class="govuk-select" id="find-stage" bind:value=stage>
                    <option value="">"Any stage"</option>
                    {Stage::ALL.iter().map(|s| view! { <option value=s.as_str()>{s.title()}</option> }).collect_view()}
                </select>
            </div>
            <div class="govuk-form-group">
                <label class="govuk-label" for="find-order">"Sort by"</label>
                <select class="govuk-select" id="find-order" bind:value=order>
                    <option value="">"Newest referral first"</option>
                    <option value="oldest">"Oldest referral first"</option>
                    <option value="reference">"Reference"</option>
                    {reads_names.then(|| view! { <option value="child">"Child's name"</option> })}
                </select>
            </div>
            <div class="govuk-button-group">
                <button type="submit" class="govuk-button govuk-button--secondary">"Show reviews"</button>
                <A href="/" attr:class="govuk-link">"Clear"</A>
            </div>
        </form>
        <Transition fallback=|| view! { <Loading/> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <Failure error=e/> }.into_any(),
                Ok(d) => {
                    let p = d.review_page;
                    if p.reviews.is_empty() {
                        let filtered = ["reference", "child", "stage"].iter().any(|k| param(k).is_some());
                        return view! {
                            <p class="govuk-body" id="review-results" role="status">
                                {if filtered { "No review matches. Change the search or the filters." } else { "There are no reviews for you yet." }}
                            </p>
                        }.into_any();
                    }
                    let from = p.offset + 1;
                    let to = p.offset + p.reviews.len() as i64;
                    let pages = (p.total + p.first - 1) / p.first;
                    let current = p.offset / p.first + 1;
                    view! {
                        <p class="govuk-body" id="review-results" role="status">{format!("Showing {from} to {to} of {} reviews, {} a page", p.total, p.first)}</p>
                        <table class="govuk-table scr-stack" id="review-table">
                            <thead class="govuk-table__head"><tr class="govuk-table__row">
                                <th scope="col" class="govuk-table__header">"Reference"</th>
                                <th scope="col" class="govuk-table__header">"Child"</th>
                                <th scope="col" class="govuk-table__header">"Referred"</th>
                                <th scope="col" class="govuk-table__header">"Stage"</th>
                                <th scope="col" class="govuk-table__header">"Your part"</th>
                            </tr></thead>
                            <tbody class="govuk-table__body">
                                {p.reviews.into_iter().map(|r| {
                                    let parts = r.my_parts.clone();
                                    view! {
                                        <tr class="govuk-table__row">
                                            <td class="govuk-table__cell"><A href=format!("/reviews/{}", r.id) attr:class="govuk-link">{r.reference.clone()}</A></td>
                                            <td class="govuk-table__cell">{r.child.map(|c| c.name).unwrap_or_default()}</td>
                                            <td class="govuk-table__cell">{uk_date(&r.referred_on)}</td>
                                            <td class="govuk-table__cell">{stage_tag_titled(r.stage, &r.stage_title)}</td>
                                            <td class="govuk-table__cell">{parts.join(", ")}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        <Pages label="Pages of reviews" current=current pages=pages href=address/>
                    }.into_any()
                }
            })}
        </Transition>
    }
}
