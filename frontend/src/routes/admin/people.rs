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
    // The search, the filters and the page live in the address, so that a list can be
    // bookmarked, shared and gone back to; what is typed stays typed until "Search".
    let query = leptos_router::hooks::use_query_map();
    let param = move |k: &str| query.with(|q| q.get(k).unwrap_or_default());
    let text = RwSignal::new(param("q"));
    let agency = RwSignal::new(param("agency"));
    let role = RwSignal::new(param("role"));
    let state = RwSignal::new(query.with_untracked(|q| q.get("state")).unwrap_or_else(|| "active".to_owned()));
    let data = LocalResource::new(move || {
        let (t, a, r) = (param("q"), param("agency"), param("role"));
        let s = query.with(|q| q.get("state")).unwrap_or_else(|| "active".to_owned());
        let o = query.with(|q| q.get("from").and_then(|o| o.parse::<i64>().ok())).unwrap_or(0).max(0);
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
    let address = move |from: i64| {
        let mut parts = Vec::new();
        for (k, v) in [("q", text.get_untracked()), ("agency", agency.get_untracked()), ("role", role.get_untracked())]
        {
            if !v.trim().is_empty() {
                parts.push(format!("{k}={}", js_sys::encode_uri_component(v.trim())));
            }
        }
        let s = state.get_untracked();
        if s != "active" {
            parts.push(format!("state={s}"));
        }
        if from > 0 {
            parts.push(format!("from={from}"));
        }
        if parts.is_empty() { "/admin/people".to_owned() } else { format!("/admin/people?{}", parts.join("&")) }
    };
    let navigate = leptos_router::hooks::use_navigate();
    let search = {
        let navigate = navigate.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            navigate(&address(0), Default::default());
        }
    };
    let go = Callback::new(move |from: i64| navigate(&address(from), Default::default()));
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
                <select class="govuk-select" id="people-agency" prop:value=move || agency.get() on:change:target=move |ev| agency.set(ev.target().value())>
                    <option value="">"Any agency"</option>
                    {move || orgs.get().and_then(Result::ok).map(|o| o.agencies.into_iter().map(|a| {
                        let label = if a.3 { a.1.clone() } else { format!("{} (closed)", a.1) };
                        let id = a.0.to_string();
                        view! { <option value=id.clone() selected=agency.get_untracked() == id>{label}</option> }
                    }).collect_view())}
                </select>
            </div>
            <div class="govuk-form-group">
                <label class="govuk-label" for="people-role">"Role"</label>
                <select class="govuk-select" id="people-role" on:change:target=move |ev| role.set(ev.target().value())>
                    <option value="">"Any role"</option>
                    {Role::ALL.iter().map(|r| view! { <option value=r.as_str() selected=role.get_untracked() == r.as_str()>{r.title()}</option> }).collect_view()}
                </select>
            </div>
            <div class="govuk-form-group">
                <label class="govuk-label" for="people-state">"Accounts"</label>
                <select class="govuk-select" id="people-state" on:change:target=move |ev| state.set(ev.target().value())>
                    <option value="active" selected=state.get_untracked() == "active">"Active"</option>
                    <option value="inactive" selected=state.get_untracked() == "inactive">"Deactivated"</option>
                    <option value="all" selected=state.get_untracked() == "all">"All"</option>
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
                                    <button type="button" class="govuk-link govuk-pagination__link scr-link-button" on:click=move |_| go.run((from - PAGE).max(0))>"Previous"</button>
                                </div>
                            })}
                            {(to < total).then(|| view! {
                                <div class="govuk-pagination__next">
                                    <button type="button" class="govuk-link govuk-pagination__link scr-link-button" id="people-next" on:click=move |_| go.run(to)>"Next"</button>
                                </div>
                            })}
                        </nav>
                    }.into_any()
                }
            })}
        </Transition>
    }
}
