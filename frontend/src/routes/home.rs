//! Your reviews, and what is at risk or overdue.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::components::{Failure, Loading, stage_tag};
use crate::format::{days_left, status_tag, uk_date};
use crate::gql::{Dashboard, dashboard};

#[component]
pub fn Home() -> impl IntoView {
    let data = LocalResource::new(|| api::call::<Dashboard>(dashboard::Variables));
    view! {
        <h1 class="govuk-heading-l">"Your reviews"</h1>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <Failure error=e/> }.into_any(),
                Ok(d) => {
                    let alerts = d.my_deadlines;
                    let reviews = d.reviews;
                    view! {
                        <h2 class="govuk-heading-m">"At risk or overdue"</h2>
                        {if alerts.is_empty() {
                            view! { <p class="govuk-body">"Nothing is at risk or overdue."</p> }.into_any()
                        } else {
                            view! {
                                <table class="govuk-table">
                                    <thead class="govuk-table__head"><tr class="govuk-table__row">
                                        <th scope="col" class="govuk-table__header">"Review"</th>
                                        <th scope="col" class="govuk-table__header">"Deadline"</th>
                                        <th scope="col" class="govuk-table__header">"Due"</th>
                                        <th scope="col" class="govuk-table__header">"Status"</th>
                                    </tr></thead>
                                    <tbody class="govuk-table__body">
                                        {alerts.into_iter().map(|a| view! {
                                            <tr class="govuk-table__row">
                                                <td class="govuk-table__cell"><A href=format!("/reviews/{}", a.review.id) attr:class="govuk-link">{a.review.reference.clone()}</A></td>
                                                <td class="govuk-table__cell">{a.deadline.kind.title()}</td>
                                                <td class="govuk-table__cell">{uk_date(&a.deadline.due_on)}" ("{days_left(a.deadline.days_left)}")"</td>
                                                <td class="govuk-table__cell"><strong class=status_tag(a.deadline.status)>{a.deadline.status.title()}</strong></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any()
                        }}
                        <h2 class="govuk-heading-m">"Reviews you can see"</h2>
                        {if reviews.is_empty() {
                            view! { <p class="govuk-body">"There are no reviews for you yet."</p> }.into_any()
                        } else {
                            view! {
                                <table class="govuk-table">
                                    <thead class="govuk-table__head"><tr class="govuk-table__row">
                                        <th scope="col" class="govuk-table__header">"Reference"</th>
                                        <th scope="col" class="govuk-table__header">"Child"</th>
                                        <th scope="col" class="govuk-table__header">"Referred"</th>
                                        <th scope="col" class="govuk-table__header">"Stage"</th>
                                    </tr></thead>
                                    <tbody class="govuk-table__body">
                                        {reviews.into_iter().map(|r| view! {
                                            <tr class="govuk-table__row">
                                                <td class="govuk-table__cell"><A href=format!("/reviews/{}", r.id) attr:class="govuk-link">{r.reference.clone()}</A></td>
                                                <td class="govuk-table__cell">{r.child.map(|c| c.name).unwrap_or_default()}</td>
                                                <td class="govuk-table__cell">{uk_date(&r.referred_on)}</td>
                                                <td class="govuk-table__cell">{stage_tag(r.stage)}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any()
                        }}
                    }.into_any()
                }
            })}
        </Suspense>
    }
}
