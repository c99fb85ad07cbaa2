//! The home page: the signed-in person's own work across reviews first (steps to take,
//! IMRs to write or decide, actions due, deadlines at risk), overdue first; then the
//! reviews they can see, each with the parts they play on it.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::components::{Failure, Loading, stage_tag};
use crate::format::uk_date;
use crate::gql::{Dashboard, dashboard};

#[component]
pub fn Home() -> impl IntoView {
    let data = LocalResource::new(|| api::call::<Dashboard>(dashboard::Variables));
    view! {
        <h1 class="govuk-heading-l" tabindex="-1">"Your work"</h1>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <Failure error=e/> }.into_any(),
                Ok(d) => view! { <Tasks items=d.notifications/> <Reviews reviews=d.reviews/> }.into_any(),
            })}
        </Suspense>
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

#[component]
fn Reviews(reviews: Vec<dashboard::DashboardReviews>) -> impl IntoView {
    view! {
        <h2 class="govuk-heading-m">"Reviews you can see"</h2>
        {if reviews.is_empty() {
            view! { <p class="govuk-body">"There are no reviews for you yet."</p> }.into_any()
        } else {
            view! {
                <table class="govuk-table scr-stack" id="review-table">
                    <thead class="govuk-table__head"><tr class="govuk-table__row">
                        <th scope="col" class="govuk-table__header">"Reference"</th>
                        <th scope="col" class="govuk-table__header">"Child"</th>
                        <th scope="col" class="govuk-table__header">"Referred"</th>
                        <th scope="col" class="govuk-table__header">"Stage"</th>
                        <th scope="col" class="govuk-table__header">"Your part"</th>
                    </tr></thead>
                    <tbody class="govuk-table__body">
                        {reviews.into_iter().map(|r| {
                            let parts: Vec<&str> = r.my_capacities.iter().map(|c| c.title()).collect();
                            view! {
                                <tr class="govuk-table__row">
                                    <td class="govuk-table__cell" data-label="Reference"><A href=format!("/reviews/{}", r.id) attr:class="govuk-link">{r.reference.clone()}</A></td>
                                    <td class="govuk-table__cell" data-label="Child">{r.child.map(|c| c.name).unwrap_or_default()}</td>
                                    <td class="govuk-table__cell" data-label="Referred">{uk_date(&r.referred_on)}</td>
                                    <td class="govuk-table__cell" data-label="Stage">{stage_tag(r.stage)}</td>
                                    <td class="govuk-table__cell" data-label="Your part">{parts.join(", ")}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}
