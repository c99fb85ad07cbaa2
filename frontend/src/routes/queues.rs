//! The work queues of the Initial Panel, the Board Chair and the Business Manager:
//! searched by reference and paged on the server, both kept in the address. The server
//! refuses each queue to anyone without the role.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::deadline::DeadlineStatus;
use shared::stage::Stage;

use crate::api;
use crate::components::{Failure, Loading, Pages, stage_tag_titled};
use crate::format::{days_left, status_tag, uk_date};
use crate::gql::{QueuePage, queue_page};

/// One row of a queue, whichever queue it came from.
#[derive(Debug, Clone)]
struct Item {
    id: i64,
    reference: String,
    stage: Stage,
    /// The stage under the name the review's procedure gives it.
    stage_title: String,
    referred_on: String,
    child: String,
    next: Option<(String, String, i64, DeadlineStatus)>,
}

fn next_deadline<I: IntoIterator<Item = (String, String, DeadlineStatus, i64)>>(
    list: I,
) -> Option<(String, String, i64, DeadlineStatus)> {
    list.into_iter()
        .filter(|(_, _, s, _)| !matches!(s, DeadlineStatus::Met | DeadlineStatus::MetLate))
        .min_by(|a, b| a.1.cmp(&b.1))
        .map(|(k, due, s, days)| (k, due, days, s))
}

macro_rules! to_items {
    ($list:expr) => {
        $list
            .into_iter()
            .map(|r| Item {
                id: r.id,
                reference: r.reference,
                stage: r.stage,
                stage_title: r.stage_title,
                referred_on: r.referred_on,
                child: r.child.map(|c| c.name).unwrap_or_default(),
                next: next_deadline(
                    r.deadlines.into_iter().map(|d| (d.kind.title().to_owned(), d.due_on, d.status, d.days_left)),
                ),
            })
            .collect::<Vec<Item>>()
    };
}

#[component]
fn QueueTable(items: Vec<Item>, #[prop(into)] empty: String) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="govuk-body">{empty}</p> }.into_any();
    }
    view! {
        <table class="govuk-table">
            <thead class="govuk-table__head"><tr class="govuk-table__row">
                <th scope="col" class="govuk-table__header">"Reference"</th>
                <th scope="col" class="govuk-table__header">"Child"</th>
                <th scope="col" class="govuk-table__header">"Stage"</th>
                <th scope="col" class="govuk-table__header">"Next deadline"</th>
            </tr></thead>
            <tbody class="govuk-table__body">
                {items.into_iter().map(|i| view! {
                    <tr class="govuk-table__row">
                        <td class="govuk-table__cell">
                            <A href=format!("/reviews/{}", i.id) attr:class="govuk-link">{i.reference.clone()}</A>
                            <br/><span class="govuk-body-s">"Referred "{uk_date(&i.referred_on)}</span>
                        </td>
                        <td class="govuk-table__cell">{i.child.clone()}</td>
                        <td class="govuk-table__cell">{stage_tag_titled(i.stage, &i.stage_title)}</td>
                        <td class="govuk-table__cell">{i.next.clone().map(|(k, due, days, s)| view! {
                            {k}": "{uk_date(&due)}" " <strong class=status_tag(s)>{days_left(days)}</strong>
                        })}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// How many reviews a page of a queue shows.
const PAGE: i64 = 25;

/// A queue: searched by reference and paged on the server, both kept in the address.
#[component]
fn Queue(
    queue: queue_page::Queue,
    #[prop(into)] path: String,
    #[prop(into)] title: String,
    #[prop(into)] intro: String,
    #[prop(into)] empty: String,
) -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let reference = move || query.with(|q| q.get("reference").filter(|r| !r.trim().is_empty()));
    let page =
        move || query.with(|q| q.get("page").and_then(|p| p.parse::<i64>().ok()).filter(|p| *p >= 1).unwrap_or(1));
    let data = LocalResource::new(move || {
        let vars = queue_page::Variables {
            queue: queue.clone(),
            reference: reference(),
            first: Some(PAGE),
            offset: Some((page() - 1) * PAGE),
        };
        async move { api::call::<QueuePage>(vars).await.map(|d| d.queue_page) }
    });
    let typed = RwSignal::new(reference().unwrap_or_default());
    let path = StoredValue::new(path);
    let address = move |page: i64| {
        let mut parts = Vec::new();
        let r = typed.get_untracked();
        if !r.trim().is_empty() {
            parts.push(format!("reference={}", js_sys::encode_uri_component(r.trim())));
        }
        if page > 1 {
            parts.push(format!("page={page}"));
        }
        let base = path.get_value();
        if parts.is_empty() { base } else { format!("{base}?{}", parts.join("&")) }
    };
    let navigate = leptos_router::hooks::use_navigate();
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        navigate(&address(1), Default::default());
    };
    let empty = StoredValue::new(empty);
    view! {
        <h1 class="govuk-heading-l" tabindex="-1">{title}</h1>
        <p class="govuk-body">{intro}</p>
        <form class="scr-filter" role="search" aria-label="Find in the queue" on:submit=search>
            <div class="govuk-form-group">
                <label class="govuk-label" for="queue-reference">"Reference"</label>
                <input class="govuk-input govuk-input--width-10" id="queue-reference" type="search" bind:value=typed/>
            </div>
            <button type="submit" class="govuk-button govuk-button--secondary">"Search"</button>
        </form>
        <Transition fallback=|| view! { <Loading/> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <Failure error=e/> }.into_any(),
                Ok(p) => {
                    let pages = (p.total + p.first - 1) / p.first;
                    let current = p.offset / p.first + 1;
                    let items = to_items!(p.reviews);
                    let shown = if reference().is_some() && items.is_empty() { "No review in the queue matches that reference.".to_owned() } else { empty.get_value() };
                    view! {
                        {(p.total > 0).then(|| view! {
                            <p class="govuk-body" id="queue-results" role="status">{format!("{} waiting{}", p.total, if pages > 1 { format!(": page {current} of {pages}, {} a page", p.first) } else { String::new() })}</p>
                        })}
                        <QueueTable items=items empty=shown/>
                        <Pages label="Pages of the queue" current=current pages=pages href=address/>
                    }.into_any()
                }
            })}
        </Transition>
    }
}

#[component]
pub fn PanelQueuePage() -> impl IntoView {
    view! {
        <Queue queue=queue_page::Queue::PANEL path="/panel" title="Initial panel: referrals to consider"
            intro="Referrals waiting for the panel's criteria assessment or recommendation, within 28 days of referral."
            empty="No referrals are waiting for the panel."/>
    }
}

#[component]
pub fn ChairQueuePage() -> impl IntoView {
    view! {
        <Queue queue=queue_page::Queue::CHAIR path="/chair" title="Board Chair: decisions and approvals"
            intro="Panel recommendations awaiting your decision, terms of reference awaiting approval, and rapid reviews awaiting the partners' decision or what follows the National Panel's response."
            empty="Nothing is waiting for you."/>
    }
}

#[component]
pub fn ManagerQueuePage() -> impl IntoView {
    view! {
        <Queue queue=queue_page::Queue::MANAGER path="/manager" title="Business manager: notifications and set-up"
            intro="Decisions to notify to Ofsted, reviews to set up, terms of reference to send, and serious incidents to notify to the National Panel and take through the rapid review."
            empty="Nothing is waiting for you."/>
    }
}
