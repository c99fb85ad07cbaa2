//! The board's reports: timeliness and overdue work across reviews, as bar charts with
//! the numbers beside them, each table downloadable as CSV.

use leptos::prelude::*;

use crate::api;
use crate::components::{Failure, Loading};
use crate::gql::*;

/// Counts as CSV, with a header row; labels quoted.
fn csv(title: &str, rows: &[(String, i64)]) -> String {
    let mut out = format!("\"{}\",count\n", title.replace('"', "\"\""));
    for (label, count) in rows {
        out.push_str(&format!("\"{}\",{count}\n", label.replace('"', "\"\"")));
    }
    out
}

fn save_csv(name: &str, text: &str) {
    use wasm_bindgen::JsCast;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let Ok(blob) = web_sys::Blob::new_with_str_sequence(&parts) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Some(a) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// A bar chart (SVG, described for screen readers) and the same numbers as a table.
#[component]
fn Counts(#[prop(into)] title: String, #[prop(into)] slug: String, rows: Vec<(String, i64)>) -> impl IntoView {
    let max = rows.iter().map(|(_, c)| *c).max().unwrap_or(0).max(1) as f64;
    let height = 30.0 * rows.len().max(1) as f64 + 10.0;
    let description = format!(
        "{title}: {}",
        if rows.is_empty() {
            "none".to_owned()
        } else {
            rows.iter().map(|(l, c)| format!("{l} {c}")).collect::<Vec<_>>().join(", ")
        }
    );
    let data = csv(&title, &rows);
    let file = format!("{slug}.csv");
    view! {
        <section class="scr-report" id=format!("report-{slug}")>
            <h2 class="govuk-heading-m">{title.clone()}</h2>
            {if rows.is_empty() {
                view! { <p class="govuk-body">"None."</p> }.into_any()
            } else {
                view! {
                    <svg role="img" aria-label=description viewBox=format!("0 0 640 {height:.0}") width="100%" class="scr-chart">
                        {rows.iter().enumerate().map(|(i, (label, count))| {
                            let y = 5.0 + 30.0 * i as f64;
                            let w = 380.0 * (*count as f64) / max;
                            view! {
                                <g>
                                    <text x="0" y=y + 17.0>{label.clone()}</text>
                                    <rect x="220" y=y width=w.max(1.0) height="22"/>
                                    <text x=228.0 + w y=y + 17.0>{count.to_string()}</text>
                                </g>
                            }
                        }).collect_view()}
                    </svg>
                    <table class="govuk-table">
                        <thead class="govuk-table__head"><tr class="govuk-table__row">
                            <th scope="col" class="govuk-table__header">{title.clone()}</th>
                            <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Count"</th>
                        </tr></thead>
                        <tbody class="govuk-table__body">
                            {rows.iter().map(|(l, c)| view! {
                                <tr class="govuk-table__row"><td class="govuk-table__cell">{l.clone()}</td><td class="govuk-table__cell govuk-table__cell--numeric">{c.to_string()}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <button type="button" class="govuk-button govuk-button--secondary" on:click=move |_| save_csv(&file, &data)>"Download CSV"</button>
        </section>
    }
}

fn share(part: i64, whole: i64) -> String {
    if whole == 0 { "none yet".to_owned() } else { format!("{} of {} ({}%)", part, whole, part * 100 / whole) }
}

#[component]
pub fn ReportsPage() -> impl IntoView {
    let data = LocalResource::new(|| api::call::<Report>(report::Variables));
    view! {
        <div id="review" aria-busy=move || data.get().is_none().to_string()>
            <h1 class="govuk-heading-l">"Reports"</h1>
            <Transition fallback=|| view! { <Loading/> }>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <Failure error=e/> }.into_any(),
                    Ok(d) => {
                        let r = d.report;
                        let t = &r.timeliness;
                        let timeliness = vec![
                            ("Decided within 28 days".to_owned(), t.decided_within28_days),
                            ("Decided later".to_owned(), t.decisions - t.decided_within28_days),
                            ("Submitted within 6 months".to_owned(), t.submitted_on_time),
                            ("Submitted within an extension".to_owned(), t.submitted_on_time_with_extensions - t.submitted_on_time),
                            ("Submitted late".to_owned(), t.submissions - t.submitted_on_time_with_extensions),
                        ];
                        let counts = |v: &[report::ReportReportOverdueImrsByAgency]| v.iter().map(|c| (c.label.clone(), c.count)).collect::<Vec<_>>();
                        let imrs = counts(&r.overdue_imrs_by_agency);
                        let overdue: Vec<(String, i64)> = r.overdue_actions_by_agency.iter().map(|c| (c.label.clone(), c.count)).collect();
                        let status: Vec<(String, i64)> = r.actions_by_status.iter().map(|c| (c.label.clone(), c.count)).collect();
                        let age: Vec<(String, i64)> = r.open_actions_by_age.iter().map(|c| (c.label.clone(), c.count)).collect();
                        let category: Vec<(String, i64)> = r.reviews_by_category.iter().map(|c| (c.label.clone(), c.count)).collect();
                        let themes: Vec<(String, i64)> = r.themes.iter().map(|t| (t.theme.title().to_owned(), t.reviews)).collect();
                        view! {
                            <p class="govuk-body" id="report-summary">{format!("Across {} reviews. Decisions within 28 days: {}. Submissions within 6 months: {}; with extensions: {}.",
                                r.reviews, share(t.decided_within28_days, t.decisions), share(t.submitted_on_time, t.submissions), share(t.submitted_on_time_with_extensions, t.submissions))}</p>
                            <Counts title="Timeliness" slug="timeliness" rows=timeliness/>
                            <Counts title="Overdue IMRs by agency" slug="overdue-imrs" rows=imrs/>
                            <Counts title="Overdue actions by agency" slug="overdue-actions" rows=overdue/>
                            <Counts title="Actions by status" slug="actions-by-status" rows=status/>
                            <Counts title="Open actions by age" slug="actions-by-age" rows=age/>
                            <Counts title="Reviews by criteria category" slug="reviews-by-category" rows=category/>
                            <Counts title="Learning themes: reviews with a finding on each" slug="learning-themes" rows=themes/>
                        }.into_any()
                    }
                })}
            </Transition>
        </div>
    }
}

/// What needs the user's attention, overdue first, each linking to where to act; the
/// notifications kept for them (appointments, returns, approvals), unread first marked,
/// with "mark as read"; and the address of their calendar feed.
#[component]
pub fn NotificationsPage() -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let data = LocalResource::new(move || {
        refresh.get();
        api::call::<Notifications>(notifications::Variables)
    });
    let failed = RwSignal::new(None::<String>);
    let unread_changed = use_context::<crate::page::UnreadChanged>();
    let mark = move |ids: Option<Vec<i64>>| {
        leptos::task::spawn_local(async move {
            match api::call::<MarkNotificationsRead>(mark_notifications_read::Variables { ids }).await {
                Ok(_) => {
                    failed.set(None);
                    refresh.update(|n| *n += 1);
                    if let Some(crate::page::UnreadChanged(s)) = unread_changed {
                        s.update(|n| *n += 1);
                    }
                }
                Err(e) => failed.set(Some(e.message())),
            }
        });
    };
    view! {
        <div id="review" aria-busy=move || data.get().is_none().to_string()>
            <h1 class="govuk-heading-l">"Notifications"</h1>
            {move || failed.get().map(|m| view! { <p class="govuk-error-message" role="alert">{m}</p> })}
            <Transition fallback=|| view! { <Loading/> }>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <Failure error=e/> }.into_any(),
                    Ok(d) => {
                        let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
                        let unread = d.unread_notification_count;
                        view! {
                            <h2 class="govuk-heading-m">"Needs your attention"</h2>
                            {if d.notifications.is_empty() {
                                view! { <p class="govuk-body" id="no-notifications">"Nothing needs your attention."</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="govuk-list" id="notifications">
                                        {d.notifications.into_iter().map(|n| view! {
                                            <li class="scr-notification">
                                                {n.overdue.then(|| view! { <strong class="govuk-tag govuk-tag--red">"Overdue"</strong> " " })}
                                                <a class="govuk-link" href=n.path>{format!("{}: {}", n.reference, n.message)}</a>
                                                {n.due_on.map(|d| view! { <span class="govuk-body-s">{format!(" (due {})", crate::format::uk_date(&d))}</span> })}
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            <h2 class="govuk-heading-m" id="inbox-heading">{if unread == 0 { "Messages".to_owned() } else { format!("Messages ({unread} unread)") }}</h2>
                            {if d.inbox.is_empty() {
                                view! { <p class="govuk-body" id="no-messages">"No messages yet."</p> }.into_any()
                            } else {
                                view! {
                                    {(unread > 0).then(|| view! {
                                        <button type="button" class="govuk-button govuk-button--secondary" id="mark-all-read"
                                            on:click=move |_| mark(None)>"Mark all as read"</button>
                                    })}
                                    <ul class="govuk-list" id="inbox">
                                        {d.inbox.into_iter().map(|m| {
                                            let id = m.id;
                                            let when = crate::format::uk_date(m.created_at.get(..10).unwrap_or(""));
                                            view! {
                                                <li class="scr-message" class:scr-message--unread=!m.read>
                                                    {(!m.read).then(|| view! { <strong class="govuk-tag">"New"</strong> " " })}
                                                    <a class="govuk-link" href=m.path>{m.message}</a>
                                                    <span class="govuk-body-s">{format!(" ({when})")}</span>
                                                    {(!m.read).then(|| view! {
                                                        " "
                                                        <button type="button" class="govuk-button govuk-button--secondary scr-inline-button"
                                                            on:click=move |_| mark(Some(vec![id]))>"Mark as read"</button>
                                                    })}
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            <h2 class="govuk-heading-m">"Your calendar"</h2>
                            <p class="govuk-body">"Subscribe to this address in your calendar app to see your deadlines and due work. Keep it private: it opens your calendar and nothing else."</p>
                            <p class="govuk-body scr-feed" id="calendar-feed">{format!("{origin}{}", d.calendar_feed_url)}</p>
                        }.into_any()
                    }
                })}
            </Transition>
        </div>
    }
}
