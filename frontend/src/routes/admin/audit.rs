//! `/admin/audit`: changes to accounts and organisations, newest first, found by a
//! name, an e-mail address or an operation, by what they were about and by day, 50 a
//! page; the search and the page live in the address, and the CSV download takes the
//! same search.

use leptos::prelude::*;

use super::AdminNav;
use crate::api;
use crate::components::{DateInput, ErrorSummary, Failure, Loading, Pages};
use crate::format::date_time;
use crate::gql::{AdministrationAudit, administration_audit};

const PAGE: i64 = 50;

/// The search's parts, as they are named in the address and in the CSV download's.
const KEYS: [&str; 4] = ["q", "about", "from", "to"];

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let param = move |k: &str| query.with(|q| q.get(k).filter(|v| !v.trim().is_empty()));
    let data = LocalResource::new(move || {
        let filter = administration_audit::AdministrationFilter {
            text: param("q"),
            about: param("about"),
            from: param("from"),
            to: param("to"),
        };
        let page = param("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1).max(1);
        api::call::<AdministrationAudit>(administration_audit::Variables {
            filter,
            offset: (page - 1) * PAGE,
            limit: PAGE,
        })
    });
    // What is typed stays typed until "Search"; the address holds what was searched.
    let text = RwSignal::new(param("q").unwrap_or_default());
    let about = RwSignal::new(param("about").unwrap_or_default());
    let from = RwSignal::new(param("from").unwrap_or_default());
    let to = RwSignal::new(param("to").unwrap_or_default());
    let errors = crate::page::refused_fields(data);
    let searched = move || {
        KEYS.iter()
            .filter_map(|k| param(k).map(|v| format!("{k}={}", js_sys::encode_uri_component(v.trim()))))
            .collect::<Vec<_>>()
    };
    let address = move |page: i64| {
        let mut parts = searched();
        if page > 1 {
            parts.push(format!("page={page}"));
        }
        if parts.is_empty() { "/admin/audit".to_owned() } else { format!("/admin/audit?{}", parts.join("&")) }
    };
    let navigate = leptos_router::hooks::use_navigate();
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let parts: Vec<String> = [
            ("q", text.get_untracked()),
            ("about", about.get_untracked()),
            ("from", from.get_untracked()),
            ("to", to.get_untracked()),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}={}", js_sys::encode_uri_component(v.trim())))
        .collect();
        let to = if parts.is_empty() { "/admin/audit".to_owned() } else { format!("/admin/audit?{}", parts.join("&")) };
        navigate(&to, Default::default());
    };
    let status = RwSignal::new(None::<Result<String, api::ApiError>>);
    let download = move |_| {
        let parts = searched();
        let path = if parts.is_empty() {
            "/api/administration-audit.csv".to_owned()
        } else {
            format!("/api/administration-audit.csv?{}", parts.join("&"))
        };
        leptos::task::spawn_local(async move {
            status.set(Some(api::download(&path).await));
        });
    };
    let filtered = move || KEYS.iter().any(|k| param(k).is_some());
    view! {
        <h1 class="govuk-heading-l">"Administration audit"</h1>
        <AdminNav current="/admin/audit"/>
        <p class="govuk-body">"Every change to accounts and organisations, newest first, with who made it."</p>
        <form class="scr-filter" role="search" aria-label="Find changes" on:submit=search novalidate>
            <ErrorSummary errors=errors form="audit"/>
            <div class="govuk-form-group">
                <label class="govuk-label" for="audit-text">"Name, e-mail address or operation"</label>
                <div class="govuk-hint" id="audit-text-hint">"Who made the change or who or what it was about, for example a board's name or \"approve grant\""</div>
                <input class="govuk-input govuk-!-width-one-half" id="audit-text" type="search" aria-describedby="audit-text-hint" bind:value=text/>
            </div>
            <div class="govuk-form-group">
                <label class="govuk-label" for="audit-about">"About"</label>
                <select class="govuk-select" id="audit-about" on:change:target=move |ev| about.set(ev.target().value())>
                    {[("", "Anything"), ("accounts", "Accounts"), ("proposals", "Roles proposed and decided"), ("organisations", "Boards, agencies and areas")]
                        .into_iter()
                        .map(|(v, l)| view! { <option value=v selected=about.get_untracked() == v>{l}</option> })
                        .collect_view()}
                </select>
            </div>
            <div class="scr-row">
                <DateInput form="audit" label="From" path="from" value=from errors=errors/>
                <DateInput form="audit" label="To" path="to" value=to errors=errors/>
            </div>
            <div class="govuk-button-group">
                <button type="submit" class="govuk-button" id="audit-search">"Search"</button>
                <leptos_router::components::A href="/admin/audit" attr:class="govuk-link">"Clear"</leptos_router::components::A>
            </div>
        </form>
        <button type="button" class="govuk-button govuk-button--secondary" id="audit-csv" on:click=download>
            {move || if filtered() { "Download these as CSV" } else { "Download as CSV" }}
        </button>
        {move || status.get().map(|r| match r {
            Ok(name) => view! { <p class="govuk-body" role="status">{format!("Downloaded {name}.")}</p> }.into_any(),
            Err(e) => view! { <p class="govuk-error-message">{e.message()}</p> }.into_any(),
        })}
        <Transition fallback=|| view! { <Loading/> }>
            {move || data.get().map(|r| match r {
                // Shown beside the fields, by the effect above.
                Err(api::ApiError::Validation(_)) => ().into_any(),
                Err(e) => view! { <Failure error=e/> }.into_any(),
                Ok(d) => {
                    let p = d.administration_audit;
                    if p.entries.is_empty() {
                        return view! {
                            <p class="govuk-body" id="audit-results" role="status">
                                {if filtered() { "No change matches. Change the search or the filters." } else { "Nothing has changed yet." }}
                            </p>
                        }.into_any();
                    }
                    let first = p.offset + 1;
                    let last = p.offset + p.entries.len() as i64;
                    let pages = (p.total + PAGE - 1) / PAGE;
                    let current = p.offset / PAGE + 1;
                    view! {
                        <p class="govuk-body" id="audit-results" role="status">{format!("Showing {first} to {last} of {} changes, {PAGE} a page", p.total)}</p>
                        <table class="govuk-table scr-stack" id="audit-table">
                            <caption class="govuk-table__caption govuk-visually-hidden">"Changes, newest first"</caption>
                            <thead class="govuk-table__head"><tr class="govuk-table__row">
                                <th scope="col" class="govuk-table__header">"When"</th>
                                <th scope="col" class="govuk-table__header">"Who"</th>
                                <th scope="col" class="govuk-table__header">"What"</th>
                                <th scope="col" class="govuk-table__header">"About"</th>
                            </tr></thead>
                            <tbody class="govuk-table__body">
                                {p.entries.into_iter().map(|e| view! {
                                    <tr class="govuk-table__row">
                                        <td class="govuk-table__cell">{date_time(&e.at)}</td>
                                        <td class="govuk-table__cell scr-break-words">{e.actor}</td>
                                        <td class="govuk-table__cell">{e.operation.replace('_', " ")}</td>
                                        <td class="govuk-table__cell scr-break-words">{e.subject}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <Pages label="Pages of changes" current=current pages=pages href=address/>
                    }.into_any()
                }
            })}
        </Transition>
    }
}
