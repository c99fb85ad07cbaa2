//! The work queues of the Initial Panel, the Board Chair and the Business Manager.
//! The server refuses each queue to anyone without the role.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::deadline::DeadlineStatus;
use shared::stage::Stage;

use crate::api;
use crate::components::{Failure, Loading, stage_tag};
use crate::format::{days_left, status_tag, uk_date};
use crate::gql::{ChairQueue, ManagerQueue, PanelQueue, chair_queue, manager_queue, panel_queue};

/// One row of a queue, whichever queue it came from.
#[derive(Debug, Clone)]
struct Item {
    id: i64,
    reference: String,
    stage: Stage,
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
                        <td class="govuk-table__cell">{stage_tag(i.stage)}</td>
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

#[component]
pub fn PanelQueuePage() -> impl IntoView {
    let data = LocalResource::new(|| async {
        api::call::<PanelQueue>(panel_queue::Variables).await.map(|d| to_items!(d.panel_queue))
    });
    view! {
        <h1 class="govuk-heading-l">"Initial panel: referrals to consider"</h1>
        <p class="govuk-body">"Referrals waiting for the panel's criteria assessment or recommendation, within 28 days of referral."</p>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || data.get().map(|r| match r {
                Ok(items) => view! { <QueueTable items=items empty="No referrals are waiting for the panel."/> }.into_any(),
                Err(e) => view! { <Failure error=e/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
pub fn ChairQueuePage() -> impl IntoView {
    let data = LocalResource::new(|| async {
        api::call::<ChairQueue>(chair_queue::Variables).await.map(|d| to_items!(d.chair_queue))
    });
    view! {
        <h1 class="govuk-heading-l">"Board Chair: decisions and approvals"</h1>
        <p class="govuk-body">"Panel recommendations awaiting your decision, and terms of reference awaiting approval."</p>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || data.get().map(|r| match r {
                Ok(items) => view! { <QueueTable items=items empty="Nothing is waiting for you."/> }.into_any(),
                Err(e) => view! { <Failure error=e/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
pub fn ManagerQueuePage() -> impl IntoView {
    let data = LocalResource::new(|| async {
        api::call::<ManagerQueue>(manager_queue::Variables).await.map(|d| to_items!(d.manager_queue))
    });
    view! {
        <h1 class="govuk-heading-l">"Business manager: notifications and set-up"</h1>
        <p class="govuk-body">"Decisions to notify to Ofsted, reviews to set up, terms of reference to send."</p>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || data.get().map(|r| match r {
                Ok(items) => view! { <QueueTable items=items empty="Nothing is waiting for you."/> }.into_any(),
                Err(e) => view! { <Failure error=e/> }.into_any(),
            })}
        </Suspense>
    }
}
