//! Administration: user accounts and their roles, never case content.

use leptos::prelude::*;

use crate::api;
use crate::components::{Failure, Loading};
use crate::gql::{Users, users};

#[component]
pub fn Admin() -> impl IntoView {
    let data = LocalResource::new(|| api::call::<Users>(users::Variables));
    view! {
        <h1 class="govuk-heading-l">"Users and their roles"</h1>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <Failure error=e/> }.into_any(),
                Ok(d) => view! {
                    <table class="govuk-table">
                        <thead class="govuk-table__head"><tr class="govuk-table__row">
                            <th scope="col" class="govuk-table__header">"Name"</th>
                            <th scope="col" class="govuk-table__header">"E-mail"</th>
                            <th scope="col" class="govuk-table__header">"Agency"</th>
                            <th scope="col" class="govuk-table__header">"Roles"</th>
                        </tr></thead>
                        <tbody class="govuk-table__body">
                            {d.users.into_iter().map(|u| view! {
                                <tr class="govuk-table__row">
                                    <td class="govuk-table__cell">{u.name}<br/><span class="govuk-body-s">{u.job_title.unwrap_or_default()}</span></td>
                                    <td class="govuk-table__cell">{u.email}</td>
                                    <td class="govuk-table__cell">{u.agency.map(|a| a.name).unwrap_or_default()}</td>
                                    <td class="govuk-table__cell">{u.roles.iter().map(|r| r.role.title()).collect::<Vec<_>>().join(", ")}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            })}
        </Suspense>
    }
}
