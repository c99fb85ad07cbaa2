//! `/admin/people`: accounts found by name or e-mail, agency, role and state, sorted by
//! name, 25 a page.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::role::Role;

use super::{AdminNav, Orgs};
use crate::api;
use crate::components::{Failure, Loading};
use crate::format::date_time;
use crate::gql::{AdminOrganisations, AdminPeople, admin_organisations, admin_people};

const PAGE: i64 = 25;

#[component]
pub fn PeoplePage() -> impl IntoView {
    let orgs = LocalResource::new(|| async {
        api::call::<AdminOrganisations>(admin_organisations::Variables).await.map(Orgs::from)
    });
    // What is typed stays typed; the search runs on "Search" (or Enter).
    let text = RwSignal::new(String::new());
    let agency = RwSignal::new(String::new());
    let role = RwSignal::new(String::new());
    let state = RwSignal::new("active".to_owned());
    let applied = RwSignal::new((String::new(), String::new(), String::new(), "active".to_owned()));
    let offset = RwSignal::new(0i64);
    let data = LocalResource::new(move || {
        let (t, a, r, s) = applied.get();
        let o = offset.get();
        async move {
            let filter = admin_people::PeopleFilter {
                text: Some(t).filter(|t| !t.trim().is_empty()),
                agency_id: a.parse().ok(),
                role: Role::parse(&r),
                active: match s.as_str() {
                    "active" => Some(true),
                    "inactive" => Some(false),
                    _ => None,
                },
            };
            api::call::<AdminPeople>(admin_people::Variables { filter, offset: o, limit: PAGE }).await
        }
    });
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        offset.set(0);
        applied.set((text.get_untracked(), agency.get_untracked(), role.get_untracked(), state.get_untracked()));
    };
    view! {
        <h1 class="govuk-heading-l">"People"</h1>
        <AdminNav current="/admin/people"/>
        <p class="govuk-body"><A href="/admin/invite" attr:class="govuk-button govuk-button--secondary">"Invite someone"</A></p>
        <form class="scr-filter" role="search" aria-label="Find people" on:submit=search>
            <div class="govuk-form-group">
                <label class="govuk-label" for="people-text">"Name or e-mail address"</label>
                <input class="govuk-input govuk-!-width-one-half" id="people-text" type="search" bind:value=text/>
            </div>
            <div class="govuk-form-group">
                <label class="govuk-label" for="people-agency">"Agency"</label>
                <select class="govuk-select" id="people-agency" on:change:target=move |ev| agency.set(ev.target().value())>
                    <option value="">"Any agency"</option>
                    {move || orgs.get().and_then(Result::ok).map(|o| o.agencies.into_iter().map(|a| {
                        let label = if a.3 { a.1.clone() } else { format!("{} (closed)", a.1) };
                        view! { <option value=a.0.to_string()>{label}</option> }
                    }).collect_view())}
                </select>
            </div>
            <div class="govuk-form-group">
                <label class="govuk-label" for="people-role">"Role"</label>
                <select class="govuk-select" id="people-role" on:change:target=move |ev| role.set(ev.target().value())>
                    <option value="">"Any role"</option>
                    {Role::ALL.iter().map(|r| view! { <option value=r.as_str()>{r.title()}</option> }).collect_view()}
                </select>
            </div>
            <div class="govuk-form-group">
                <label class="govuk-label" for="people-state">"Accounts"</label>
                <select class="govuk-select" id="people-state" on:change:target=move |ev| state.set(ev.target().value())>
                    <option value="active" selected>"Active"</option>
                    <option value="inactive">"Deactivated"</option>
                    <option value="all">"All"</option>
                </select>
            </div>
            <button type="submit" class="govuk-button" id="people-search">"Search"</button>
        </form>
        <Transition fallback=|| view! { <Loading/> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <Failure error=e/> }.into_any(),
                Ok(d) => {
                    let orgs = orgs.get().and_then(Result::ok).unwrap_or_default();
                    let page = d.people;
                    let (total, from) = (page.total, page.offset);
                    if page.people.is_empty() {
                        return view! { <p class="govuk-body" id="people-results" role="status">"Nobody matches. Change the search or the filters."</p> }.into_any();
                    }
                    let to = from + page.people.len() as i64;
                    view! {
                        <p class="govuk-body" id="people-results" role="status">{format!("Showing {} to {to} of {total}", from + 1)}</p>
                        <table class="govuk-table" id="people-table">
                            <caption class="govuk-table__caption govuk-visually-hidden">"People, by name"</caption>
                            <thead class="govuk-table__head"><tr class="govuk-table__row">
                                <th scope="col" class="govuk-table__header">"Name"</th>
                                <th scope="col" class="govuk-table__header">"Agency"</th>
                                <th scope="col" class="govuk-table__header">"Roles"</th>
                                <th scope="col" class="govuk-table__header">"Last signed in"</th>
                            </tr></thead>
                            <tbody class="govuk-table__body">
                                {page.people.into_iter().map(|u| {
                                    let roles: Vec<String> = u.roles.iter().map(|g| orgs.grant(g.role, g.board_id, g.agency_id)).collect();
                                    let waiting = u.pending_roles.len();
                                    view! {
                                        <tr class="govuk-table__row">
                                            <td class="govuk-table__cell">
                                                <A href=format!("/admin/people/{}", u.id) attr:class="govuk-link">{u.name}</A>
                                                {(!u.active).then(|| view! { " " <strong class="govuk-tag govuk-tag--grey">"Deactivated"</strong> })}
                                                <br/><span class="govuk-body-s">{u.email}</span>
                                            </td>
                                            <td class="govuk-table__cell">{u.agency.map(|a| a.name).unwrap_or_default()}</td>
                                            <td class="govuk-table__cell">
                                                {roles.join("; ")}
                                                {(waiting > 0).then(|| view! { <br/><strong class="govuk-tag govuk-tag--yellow">{format!("{waiting} waiting for approval")}</strong> })}
                                            </td>
                                            <td class="govuk-table__cell">{u.last_sign_in_at.map_or_else(|| "Never".to_owned(), |t| date_time(&t))}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        <nav class="govuk-pagination" aria-label="Pages of people">
                            {(from > 0).then(|| view! {
                                <div class="govuk-pagination__prev">
                                    <button type="button" class="govuk-link govuk-pagination__link scr-link-button" on:click=move |_| offset.set((from - PAGE).max(0))>"Previous"</button>
                                </div>
                            })}
                            {(to < total).then(|| view! {
                                <div class="govuk-pagination__next">
                                    <button type="button" class="govuk-link govuk-pagination__link scr-link-button" id="people-next" on:click=move |_| offset.set(to)>"Next"</button>
                                </div>
                            })}
                        </nav>
                    }.into_any()
                }
            })}
        </Transition>
    }
}
