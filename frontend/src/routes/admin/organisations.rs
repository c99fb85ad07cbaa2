//! `/admin/organisations`: boards with the local authority areas they cover, and
//! agencies (created, renamed, closed and reopened; a closed agency stays on the
//! reviews that name it and leaves every picker). Administrators only.

use leptos::prelude::*;

use super::{AdminNav, Orgs};
use crate::api::{self, ApiError};
use crate::components::{DateInput, ErrorSummary, Failure, Loading, Radios, Success, TextField};
use crate::gql::{
    AddArea, AdminOrganisations, CloseAgency, CreateAgency, CreateBoard, RenameAgency, RenameBoard, ReopenAgency,
    SetBoardClosureDays, SetBoardProcedure, add_area, admin_organisations, close_agency, create_agency, create_board,
    rename_agency, rename_board, reopen_agency, set_board_closure_days, set_board_procedure,
};
use crate::page::confirmed;
use crate::page::focus;

const KINDS: [(&str, &str); 6] = [
    ("police", "Police"),
    ("health", "Health"),
    ("social_care", "Children's social care"),
    ("education", "Education"),
    ("probation", "Probation"),
    ("other", "Other"),
];

fn kind_title(kind: &str) -> &str {
    KINDS.iter().find(|k| k.0 == kind).map_or(kind, |k| k.1)
}

type Sent = std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), ApiError>>>>;

/// A one-field form (a name): sends it, shows a refusal beside the field, and on
/// success clears it, says so at the top of the page and reloads.
#[component]
fn NameForm<F>(
    #[prop(into)] form: String,
    label: String,
    button: &'static str,
    #[prop(optional, into)] initial: String,
    send: F,
    done: RwSignal<Option<String>>,
    refresh: RwSignal<u32>,
) -> impl IntoView
where
    F: Fn(String) -> (Sent, String) + 'static,
{
    let value = RwSignal::new(initial);
    let errors = RwSignal::new(Vec::<(String, String)>::new());
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (future, message) = send(value.get_untracked());
        busy.set(true);
        leptos::task::spawn_local(async move {
            match future.await {
                Ok(()) => {
                    errors.set(Vec::new());
                    done.set(Some(message));
                    refresh.update(|n| *n += 1);
                    focus("organisations-outcome");
                }
                Err(ApiError::Validation(list)) => errors.set(list),
                Err(e) => errors.set(vec![("name".to_owned(), e.message())]),
            }
            busy.set(false);
        });
    };
    let form_id = format!("{form}-form");
    view! {
        <form id=form_id class="scr-inline-form" on:submit=submit novalidate>
            <ErrorSummary errors=errors form=form.clone()/>
            <TextField label=label path="name" value=value errors=errors form=form/>
            <button type="submit" class="govuk-button govuk-button--secondary" disabled=move || busy.get()>{button}</button>
        </form>
    }
}

#[component]
pub fn OrganisationsPage() -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let done = RwSignal::new(None::<String>);
    let failed = RwSignal::new(None::<String>);
    let data = LocalResource::new(move || {
        refresh.get();
        async { api::call::<AdminOrganisations>(admin_organisations::Variables).await.map(Orgs::from) }
    });
    view! {
        <h1 class="govuk-heading-l">"Boards and agencies"</h1>
        <AdminNav current="/admin/organisations"/>
        <div id="organisations-outcome" tabindex="-1">
            <Success message=done/>
            {move || failed.get().map(|m| view! { <p class="govuk-error-message">{m}</p> })}
        </div>
        <Transition fallback=|| view! { <Loading/> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <Failure error=e/> }.into_any(),
                Ok(orgs) => view! {
                    <h2 class="govuk-heading-m">"Boards"</h2>
                    {orgs.boards.iter().map(|(id, name)| {
                        let board_id = *id;
                        let areas: Vec<String> = orgs.areas.iter().filter(|a| a.2 == board_id).map(|a| a.1.clone()).collect();
                        view! {
                            <div class="govuk-summary-card" id=format!("board-{board_id}")>
                                <div class="govuk-summary-card__title-wrapper"><h3 class="govuk-summary-card__title">{name.clone()}</h3></div>
                                <div class="govuk-summary-card__content">
                                    <p class="govuk-body">{if areas.is_empty() { "Covers no area yet.".to_owned() } else { format!("Covers {}.", areas.join(", ")) }}</p>
                                    <NameForm form=format!("area-{board_id}") label="Add a local authority area".to_owned() button="Add area" done refresh
                                        send=move |name: String| {
                                            let message = format!("{name} was added.");
                                            (Box::pin(async move { api::call::<AddArea>(add_area::Variables { board_id, name }).await.map(|_| ()) }) as Sent, message)
                                        }/>
                                    <ClosureDays board_id=board_id days=orgs.closures.iter().find(|c| c.0 == board_id).map(|c| c.1.clone()).unwrap_or_default() done refresh/>
                                    <ProcedureForm board_id=board_id current=orgs.procedures.iter().find(|p| p.0 == board_id).map(|p| p.1).unwrap_or_default() done refresh/>
                                    <NameForm form=format!("board-name-{board_id}") label="Rename the board".to_owned() button="Rename" initial=name.clone() done refresh
                                        send=move |name: String| {
                                            let message = format!("The board is now called {name}.");
                                            (Box::pin(async move { api::call::<RenameBoard>(rename_board::Variables { board_id, name }).await.map(|_| ()) }) as Sent, message)
                                        }/>
                                </div>
                            </div>
                        }
                    }).collect_view()}
                    <NameForm form="new-board" label="A new board's name".to_owned() button="Create board" done refresh
                        send=move |name: String| {
                            let message = format!("{name} was created.");
                            (Box::pin(async move { api::call::<CreateBoard>(create_board::Variables { name }).await.map(|_| ()) }) as Sent, message)
                        }/>

                    <h2 class="govuk-heading-m">"Agencies"</h2>
                    <table class="govuk-table" id="agencies-table">
                        <thead class="govuk-table__head"><tr class="govuk-table__row">
                            <th scope="col" class="govuk-table__header">"Agency"</th>
                            <th scope="col" class="govuk-table__header">"Kind"</th>
                            <th scope="col" class="govuk-table__header">"Board"</th>
                            <th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">"Open or closed"</span></th>
                        </tr></thead>
                        <tbody class="govuk-table__body">
                            {orgs.agencies.iter().map(|(id, name, kind, open, board)| {
                                let (agency_id, open, n) = (*id, *open, name.clone());
                                let toggle = move |_| {
                                    if open && !confirmed(&format!("Close {n}? It stays on the reviews that name it and leaves every list to choose from.")) { return; }
                                    let n = n.clone();
                                    leptos::task::spawn_local(async move {
                                        let r = if open {
                                            api::call::<CloseAgency>(close_agency::Variables { agency_id }).await.map(|_| ())
                                        } else {
                                            api::call::<ReopenAgency>(reopen_agency::Variables { agency_id }).await.map(|_| ())
                                        };
                                        match r {
                                            Ok(()) => {
                                                done.set(Some(format!("{n} is {}.", if open { "closed" } else { "open again" })));
                                                refresh.update(|x| *x += 1);
                                            }
                                            Err(e) => failed.set(Some(e.message())),
                                        }
                                        focus("organisations-outcome");
                                    });
                                };
                                view! {
                                    <tr class="govuk-table__row">
                                        <td class="govuk-table__cell">
                                            {name.clone()}
                                            {(!open).then(|| view! { " " <strong class="govuk-tag govuk-tag--grey">"Closed"</strong> })}
                                            <details class="govuk-details govuk-!-margin-bottom-0">
                                                <summary class="govuk-details__summary"><span class="govuk-details__summary-text">"Rename"</span></summary>
                                                <div class="govuk-details__text">
                                                    <NameForm form=format!("agency-name-{agency_id}") label="New name".to_owned() button="Rename" initial=name.clone() done refresh
                                                        send=move |name: String| {
                                                            let message = format!("The agency is now called {name}.");
                                                            (Box::pin(async move { api::call::<RenameAgency>(rename_agency::Variables { agency_id, name }).await.map(|_| ()) }) as Sent, message)
                                                        }/>
                                                </div>
                                            </details>
                                        </td>
                                        <td class="govuk-table__cell">{kind_title(kind).to_owned()}</td>
                                        <td class="govuk-table__cell">{board.map(|b| orgs.board(b)).unwrap_or_default()}</td>
                                        <td class="govuk-table__cell">
                                            <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" on:click=toggle>
                                                {if open { "Close" } else { "Reopen" }}<span class="govuk-visually-hidden">{format!(" {name}")}</span>
                                            </button>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    <NewAgency boards=orgs.boards.clone() done refresh/>
                }.into_any(),
            })}
        </Transition>
    }
}

/// A board's own closure days: listed, each removable, and one added at a time. Working
/// days skip them (with weekends and bank holidays) in deadlines set from now on.
#[component]
fn ClosureDays(
    board_id: i64,
    days: Vec<String>,
    done: RwSignal<Option<String>>,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let adding = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<(String, String)>::new());
    let busy = RwSignal::new(false);
    let form = format!("closure-{board_id}");
    let form_id = format!("{form}-form");
    let list_id = format!("{form}-list");
    let save = move |days: Vec<String>, message: String| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::call::<SetBoardClosureDays>(set_board_closure_days::Variables { board_id, days }).await {
                Ok(_) => {
                    errors.set(Vec::new());
                    adding.set(String::new());
                    done.set(Some(message));
                    refresh.update(|n| *n += 1);
                    focus("organisations-outcome");
                }
                Err(ApiError::Validation(list)) => errors.set(list),
                Err(e) => errors.set(vec![("days".to_owned(), e.message())]),
            }
            busy.set(false);
        });
    };
    let current = days.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let day = adding.get_untracked();
        if crate::format::date_parts(&day).2.len() != 4 || day.len() != 10 {
            errors.set(vec![("days".to_owned(), "Give the day, month and year of the closure day".to_owned())]);
            return;
        }
        let mut next = current.clone();
        next.push(day.clone());
        save(next, format!("The board is closed on {}.", crate::format::uk_date(&day)));
    };
    view! {
        <div class="govuk-!-margin-bottom-4" id=list_id>
            <h4 class="govuk-heading-s">"Closure days"</h4>
            {if days.is_empty() {
                view! { <p class="govuk-body">"None besides weekends and bank holidays."</p> }.into_any()
            } else {
                view! {
                    <ul class="govuk-list">
                        {days.iter().map(|d| {
                            let rest: Vec<String> = days.iter().filter(|x| *x != d).cloned().collect();
                            let shown = crate::format::uk_date(d);
                            let message = format!("{shown} is no longer a closure day.");
                            view! {
                                <li>{shown.clone()}" "
                                    <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                                        disabled=move || busy.get() on:click=move |_| save(rest.clone(), message.clone())>
                                        "Remove"<span class="govuk-visually-hidden">{format!(" {shown}")}</span>
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <form id=form_id class="scr-inline-form" on:submit=submit novalidate>
                <ErrorSummary errors=errors form=form.clone()/>
                <DateInput form=form label="Add a closure day" path="days" value=adding errors=errors/>
                <button type="submit" class="govuk-button govuk-button--secondary" disabled=move || busy.get()>"Add the closure day"</button>
            </form>
        </div>
    }
}

/// The procedure a board runs new reviews by; reviews under way keep theirs.
#[component]
fn ProcedureForm(
    board_id: i64,
    current: shared::profile::ProfileKind,
    done: RwSignal<Option<String>>,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    use shared::profile::ProfileKind;
    let chosen = RwSignal::new(current.as_str().to_owned());
    let errors = RwSignal::new(Vec::<(String, String)>::new());
    let busy = RwSignal::new(false);
    let form = format!("procedure-{board_id}");
    let form_id = format!("{form}-form");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(procedure) = ProfileKind::parse(&chosen.get_untracked()) else { return };
        if procedure == current {
            errors.set(vec![("procedure".to_owned(), "The board already runs this procedure".to_owned())]);
            return;
        }
        if !confirmed(&format!(
            "Run new reviews of this board under \"{}\"? Reviews under way keep the procedure they started under.",
            procedure.title()
        )) {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::call::<SetBoardProcedure>(set_board_procedure::Variables { board_id, procedure }).await {
                Ok(_) => {
                    errors.set(Vec::new());
                    done.set(Some(format!("New reviews will run under \"{}\".", procedure.title())));
                    refresh.update(|n| *n += 1);
                    focus("organisations-outcome");
                }
                Err(ApiError::Validation(list)) => errors.set(list),
                Err(e) => errors.set(vec![("procedure".to_owned(), e.message())]),
            }
            busy.set(false);
        });
    };
    let options: Vec<(&'static str, &'static str)> = ProfileKind::ALL.iter().map(|k| (k.as_str(), k.title())).collect();
    view! {
        <form id=form_id class="scr-inline-form" on:submit=submit novalidate>
            <ErrorSummary errors=errors form=form.clone()/>
            <Radios form=form legend="Procedure for new reviews" name="procedure" value=chosen options=options/>
            <button type="submit" class="govuk-button govuk-button--secondary" disabled=move || busy.get()>"Change the procedure"</button>
        </form>
    }
}

#[component]
fn NewAgency(boards: Vec<(i64, String)>, done: RwSignal<Option<String>>, refresh: RwSignal<u32>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let board = RwSignal::new(boards.first().map(|b| b.0.to_string()).unwrap_or_default());
    let kind = RwSignal::new("police".to_owned());
    let errors = RwSignal::new(Vec::<(String, String)>::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(board_id) = board.get_untracked().parse::<i64>() else {
            errors.set(vec![("boardId".to_owned(), "Choose the agency's board".to_owned())]);
            return;
        };
        let vars = create_agency::Variables { board_id, name: name.get_untracked(), kind: kind.get_untracked() };
        leptos::task::spawn_local(async move {
            match api::call::<CreateAgency>(vars.clone()).await {
                Ok(_) => {
                    errors.set(Vec::new());
                    done.set(Some(format!("{} was created.", vars.name)));
                    refresh.update(|n| *n += 1);
                    focus("organisations-outcome");
                }
                Err(ApiError::Validation(list)) => errors.set(list),
                Err(e) => errors.set(vec![("name".to_owned(), e.message())]),
            }
        });
    };
    view! {
        <h3 class="govuk-heading-s">"Create an agency"</h3>
        <form id="new-agency-form" on:submit=submit novalidate>
            <ErrorSummary errors=errors form="agency"/>
            <TextField label="Name" path="name" value=name errors=errors form="agency"/>
            <div class="govuk-form-group">
                <label class="govuk-label" for="f-agency-kind">"Kind"</label>
                <select class="govuk-select" id="f-agency-kind" on:change:target=move |ev| kind.set(ev.target().value())>
                    {KINDS.iter().map(|(k, t)| view! { <option value=*k>{*t}</option> }).collect_view()}
                </select>
            </div>
            <div class="govuk-form-group">
                <label class="govuk-label" for="f-agency-boardId">"Board"</label>
                <select class="govuk-select" id="f-agency-boardId" on:change:target=move |ev| board.set(ev.target().value())>
                    {boards.iter().map(|b| view! { <option value=b.0.to_string()>{b.1.clone()}</option> }).collect_view()}
                </select>
            </div>
            <button type="submit" class="govuk-button" id="create-agency">"Create agency"</button>
        </form>
    }
}
