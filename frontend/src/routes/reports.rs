//! The board's reports: timeliness and overdue work across reviews, as bar charts with
//! the numbers beside them, each table downloadable as CSV.

use leptos::prelude::*;

use crate::api;
use crate::components::{DateInput, ErrorSummary, Failure, Loading};
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

/// A bar chart (HTML bars, so labels wrap rather than overlap, described for screen
/// readers) and the same numbers as a table.
#[component]
fn Counts(#[prop(into)] title: String, #[prop(into)] slug: String, rows: Vec<(String, i64)>) -> impl IntoView {
    let max = rows.iter().map(|(_, c)| *c).max().unwrap_or(0).max(1) as f64;
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
                    <div class="scr-bars" role="img" aria-label=description>
                        {rows.iter().map(|(label, count)| {
                            // Set through the style object, which the page's CSP allows (a style attribute it refuses).
                            let width = format!("{:.1}%", 85.0 * (*count as f64) / max);
                            view! {
                                <div class="scr-bars__row">
                                    <span class="scr-bars__label">{label.clone()}</span>
                                    <span class="scr-bars__bar"><span class="scr-bars__fill" style:width=width></span>{count.to_string()}</span>
                                </div>
                            }
                        }).collect_view()}
                    </div>
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

/// How the timeliness reads: deadlines met in time out of those met plus those already
/// missed without being met, so that a decision that is late and not yet made counts
/// against the figure as it does on the review's own deadlines.
fn timeliness_summary(t: &report::ReportReportTimeliness) -> String {
    let decisions = share(t.decided_within28_days, t.decisions + t.decisions_overdue);
    let submissions = share(t.submitted_on_time, t.submissions + t.submissions_overdue);
    let extended = share(t.submitted_on_time_with_extensions, t.submissions + t.submissions_overdue);
    let mut out = format!("Decisions within 28 days: {decisions}");
    if t.decisions_overdue > 0 {
        out.push_str(&format!(", with {} overdue and not yet made", t.decisions_overdue));
    }
    out.push_str(&format!(". Submissions within 6 months: {submissions}; with extensions: {extended}"));
    if t.submissions_overdue > 0 {
        out.push_str(&format!(", with {} overdue and not yet submitted", t.submissions_overdue));
    }
    out.push('.');
    out
}

#[component]
pub fn ReportsPage() -> impl IntoView {
    // The period and the day judged live in the address, so a view can be shared.
    let query = leptos_router::hooks::use_query_map();
    let param = move |k: &str| query.with(|q| q.get(k).filter(|v| !v.is_empty()));
    let data = LocalResource::new(move || {
        let vars = report::Variables { as_of: param("asOf"), from: param("from"), to: param("to") };
        api::call::<Report>(vars)
    });
    let as_of = RwSignal::new(param("asOf").unwrap_or_default());
    let from = RwSignal::new(param("from").unwrap_or_default());
    let to = RwSignal::new(param("to").unwrap_or_default());
    let errors = crate::page::refused_fields(data);
    let navigate = leptos_router::hooks::use_navigate();
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut parts = Vec::new();
        for (k, v) in [("from", from.get_untracked()), ("to", to.get_untracked()), ("asOf", as_of.get_untracked())] {
            if !v.is_empty() {
                parts.push(format!("{k}={v}"));
            }
        }
        navigate(&format!("/reports?{}", parts.join("&")), Default::default());
    };
    view! {
        <div id="review" aria-busy=move || data.get().is_none().to_string()>
            <h1 class="govuk-heading-l" tabindex="-1">"Reports"</h1>
            <form class="scr-filters" id="report-period" on:submit=apply>
                <ErrorSummary errors=errors form="period"/>
                <div class="scr-row">
                    <DateInput form="period" label="Deadlines due from" path="from" value=from errors=errors/>
                    <DateInput form="period" label="Deadlines due to" path="to" value=to errors=errors/>
                    <DateInput form="period" label="As of" path="asOf" value=as_of errors=errors hint="Today when left empty"/>
                </div>
                <button type="submit" class="govuk-button govuk-button--secondary">"Show the report"</button>
            </form>
            <Transition fallback=|| view! { <Loading/> }>
                {move || data.get().map(|r| match r {
                    // Shown beside the fields, by the effect above.
                    Err(crate::api::ApiError::Validation(_)) => ().into_any(),
                    Err(e) => view! { <Failure error=e/> }.into_any(),
                    Ok(d) => {
                        let r = d.report;
                        let t = &r.timeliness;
                        let timeliness = vec![
                            ("Decided within 28 days".to_owned(), t.decided_within28_days),
                            ("Decided later".to_owned(), t.decisions - t.decided_within28_days),
                            ("Decision overdue, not yet made".to_owned(), t.decisions_overdue),
                            ("Submitted within 6 months".to_owned(), t.submitted_on_time),
                            ("Submitted within an extension".to_owned(), t.submitted_on_time_with_extensions - t.submitted_on_time),
                            ("Submitted late".to_owned(), t.submissions - t.submitted_on_time_with_extensions),
                            ("Submission overdue, not yet made".to_owned(), t.submissions_overdue),
                        ];
                        let judged = param("asOf").map(|d| crate::format::uk_date(&d)).unwrap_or_else(|| "today".to_owned());
                        let period = match (param("from"), param("to")) {
                            (None, None) => String::new(),
                            (f, t) => format!(
                                " Timeliness counts deadlines due {}{}.",
                                f.map(|f| format!("from {}", crate::format::uk_date(&f))).unwrap_or_default(),
                                t.map(|t| format!(" to {}", crate::format::uk_date(&t))).unwrap_or_default()
                            ),
                        };
                        let counts = |v: &[report::ReportReportOverdueImrsByAgency]| v.iter().map(|c| (c.label.clone(), c.count)).collect::<Vec<_>>();
                        let imrs = counts(&r.overdue_imrs_by_agency);
                        let overdue: Vec<(String, i64)> = r.overdue_actions_by_agency.iter().map(|c| (c.label.clone(), c.count)).collect();
                        let status: Vec<(String, i64)> = r.actions_by_status.iter().map(|c| (c.label.clone(), c.count)).collect();
                        let age: Vec<(String, i64)> = r.open_actions_by_age.iter().map(|c| (c.label.clone(), c.count)).collect();
                        let category: Vec<(String, i64)> = r.reviews_by_category.iter().map(|c| (c.label.clone(), c.count)).collect();
                        let themes: Vec<(String, i64)> = r.themes.iter().map(|t| (t.theme.title().to_owned(), t.reviews)).collect();
                        let procedures: Vec<(String, i64)> = r.reviews_by_procedure.iter().map(|c| (c.label.clone(), c.count)).collect();
                        // The 2023 route's clocks: on time, late, and overdue not yet done.
                        let clocks: Vec<(String, i64)> = r.clocks.iter().flat_map(|c| {
                            let what = c.kind.title();
                            [
                                (format!("{what}: on time"), c.met_on_time),
                                (format!("{what}: late"), c.met - c.met_on_time),
                                (format!("{what}: overdue, not yet done"), c.overdue),
                            ]
                        }).collect();
                        view! {
                            <p class="govuk-body" id="report-summary">{format!("Across {} reviews, as of {judged}.{period} {}", r.reviews, timeliness_summary(t))}</p>
                            <Counts title="Reviews by procedure" slug="reviews-by-procedure" rows=procedures/>
                            <Counts title="Timeliness" slug="timeliness" rows=timeliness/>
                            <Counts title="Timeliness of notifications, rapid reviews and local reviews" slug="practice-review-timeliness" rows=clocks/>
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
