//! Administration: boards, areas and agencies; people and their accounts; roles waiting
//! for a second person; the administration audit. Never case content. Each page is
//! offered to whom the server lets do it (administrators everything; a business
//! manager invites for their board; the Board Chair and business manager approve roles
//! and read the audit); the server refuses the rest whatever is shown.

pub mod approvals;
pub mod audit;
pub mod invite;
pub mod organisations;
pub mod people;
pub mod person;

use leptos::prelude::*;
use leptos_router::components::A;
use shared::policy::{Operation, may_globally};
use shared::role::Role;

use crate::gql::admin_organisations;
use crate::session::Auth;

/// The boards, areas and agencies, for naming the organisations a role is held for.
#[derive(Clone, Default)]
pub struct Orgs {
    pub boards: Vec<(i64, String)>,
    pub areas: Vec<(i64, String, i64)>,
    /// Id, name, kind, open, board.
    pub agencies: Vec<(i64, String, String, bool, Option<i64>)>,
    /// The procedure each board runs new reviews by.
    pub procedures: Vec<(i64, shared::profile::ProfileKind)>,
    /// Each board's own closure days (ISO dates), skipped in working-day clocks.
    pub closures: Vec<(i64, Vec<String>)>,
}

impl Orgs {
    pub fn from(d: admin_organisations::ResponseData) -> Self {
        Orgs {
            procedures: d.boards.iter().map(|b| (b.id, b.procedure)).collect(),
            closures: d.boards.iter().map(|b| (b.id, b.closure_days.clone())).collect(),
            boards: d.boards.into_iter().map(|b| (b.id, b.name)).collect(),
            areas: d.areas.into_iter().map(|a| (a.id, a.name, a.board_id)).collect(),
            agencies: d
                .all_agencies
                .into_iter()
                .map(|a| (a.id, a.name, a.kind, a.active, a.board.map(|b| b.id)))
                .collect(),
        }
    }
    pub fn board(&self, id: i64) -> String {
        self.boards.iter().find(|b| b.0 == id).map_or_else(|| format!("board {id}"), |b| b.1.clone())
    }
    pub fn agency(&self, id: i64) -> String {
        self.agencies.iter().find(|a| a.0 == id).map_or_else(|| format!("agency {id}"), |a| a.1.clone())
    }
    /// "Board Chair, Stockport Safeguarding Children Board".
    pub fn grant(&self, role: Role, board: Option<i64>, agency: Option<i64>) -> String {
        match (board, agency) {
            (_, Some(a)) => format!("{}, {}", role.title(), self.agency(a)),
            (Some(b), None) => format!("{}, {}", role.title(), self.board(b)),
            (None, None) => role.title().to_owned(),
        }
    }
}

/// What the signed-in user may do here.
#[derive(Clone, Copy)]
pub struct Powers {
    pub admin: bool,
    pub manager: bool,
    pub officer: bool,
}

pub fn powers() -> Powers {
    let roles =
        expect_context::<Auth>().session.with_untracked(|s| s.as_ref().map(|s| s.roles.clone()).unwrap_or_default());
    Powers {
        admin: may_globally(&roles, Operation::ManageUsers),
        manager: roles.contains(&Role::BusinessManager),
        officer: roles.iter().any(|r| matches!(r, Role::BoardChair | Role::BusinessManager)),
    }
}

/// The administration pages this user is offered, with what each is for.
fn pages(p: Powers) -> Vec<(&'static str, &'static str, &'static str)> {
    let mut out = Vec::new();
    if p.admin {
        out.push(("/admin/people", "People", "Find an account, see its roles and work, reset, deactivate."));
    }
    if p.admin || p.manager {
        out.push((
            "/admin/invite",
            "Invite someone",
            "Make an account with its roles; the person sets their own password.",
        ));
    }
    if p.admin {
        out.push((
            "/admin/organisations",
            "Boards and agencies",
            "Boards, the areas they cover, and agencies opened and closed.",
        ));
    }
    if p.admin || p.officer {
        out.push(("/admin/approvals", "Roles to approve", "Roles that read names wait for a second person."));
        out.push(("/admin/audit", "Administration audit", "Every change to accounts and organisations, also as CSV."));
    }
    out
}

/// The administration pages as a list of links, the current one marked.
#[component]
pub fn AdminNav(current: &'static str) -> impl IntoView {
    view! {
        <nav class="scr-sub-navigation" aria-label="Administration">
            <ul class="govuk-list scr-sub-navigation__list">
                {pages(powers()).into_iter().map(|(href, label, _)| {
                    let here = href == current;
                    view! {
                        <li class="scr-sub-navigation__item">
                            <A href=href attr:class="govuk-link govuk-link--no-visited-state" attr:aria-current=here.then_some("page")>
                                {if here { view! { <strong>{label}</strong> }.into_any() } else { label.into_any() }}
                            </A>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </nav>
    }
}

/// `/admin`: what this user may do in administration.
#[component]
pub fn Admin() -> impl IntoView {
    let list = pages(powers());
    view! {
        <h1 class="govuk-heading-l">"Administration"</h1>
        {if list.is_empty() {
            view! { <p class="govuk-body">"There is nothing here for your roles."</p> }.into_any()
        } else {
            view! {
                <dl class="govuk-summary-list">
                    {list.into_iter().map(|(href, label, what)| view! {
                        <div class="govuk-summary-list__row">
                            <dt class="govuk-summary-list__key"><A href=href attr:class="govuk-link">{label}</A></dt>
                            <dd class="govuk-summary-list__value">{what}</dd>
                        </div>
                    }).collect_view()}
                </dl>
            }.into_any()
        }}
    }
}

/// The result of issuing a one-time link, said plainly: e-mailed, printed on the
/// server, or the link itself to pass on (shown once).
pub fn link_outcome(name: &str, emailed: bool, link: Option<String>, on_server: bool) -> String {
    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    match (emailed, link, on_server) {
        (true, _, _) => format!("A link was e-mailed to {name}."),
        (_, _, true) => format!(
            "Mail is not set up, and {name} awaits a role that reads names: whoever runs the server prints the link with scr password-link."
        ),
        (_, Some(l), _) => format!("Give {name} this link, which works once: {origin}{l}"),
        _ => format!("{name}'s link was issued."),
    }
}
