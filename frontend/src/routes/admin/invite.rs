//! `/admin/invite`: an account with its roles, and a one-time link for the person to
//! set their own password: e-mailed, shown here once to pass on, or (without mail, for
//! a role that reads names) printed on the server. A role that reads names waits for a
//! second person. Administrators invite anyone; a business manager, for their board.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::role::Role;

use super::{AdminNav, Orgs, link_outcome, powers};
use crate::api::{self, ApiError};
use crate::components::{ErrorSummary, TextField, error_for};
use crate::gql::{AdminOrganisations, InviteUser, admin_organisations, invite_user};
use crate::page::focus;

#[component]
pub fn InvitePage() -> impl IntoView {
    let p = powers();
    let orgs = LocalResource::new(|| async {
        api::call::<AdminOrganisations>(admin_organisations::Variables).await.map(Orgs::from)
    });
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let job = RwSignal::new(String::new());
    let agency = RwSignal::new(String::new());
    let board = RwSignal::new(String::new());
    let roles = RwSignal::new(Vec::<Role>::new());
    let errors = RwSignal::new(Vec::<(String, String)>::new());
    let outcome = RwSignal::new(None::<(String, Option<i64>)>);
    let busy = RwSignal::new(false);
    // What a business manager may give; the server decides either way.
    let offered: Vec<Role> = Role::ALL
        .iter()
        .copied()
        .filter(|r| p.admin || r.is_board_role() || matches!(r, Role::AgencyManager | Role::Professional))
        .collect();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        outcome.set(None);
        let chosen = roles.get_untracked();
        let board_id: Option<i64> = board.get_untracked().parse().ok();
        let mut found = Vec::new();
        if chosen.is_empty() {
            found.push(("roles".to_owned(), "Choose at least one role".to_owned()));
        }
        if chosen.iter().any(|r| r.is_board_role()) && board_id.is_none() {
            found.push(("roles.0.boardId".to_owned(), "Choose the board the role is held for".to_owned()));
        }
        if !found.is_empty() {
            errors.set(found);
            focus("invite-form");
            return;
        }
        let input = invite_user::InviteInput {
            email: email.get_untracked(),
            name: name.get_untracked(),
            job_title: Some(job.get_untracked()).filter(|j| !j.trim().is_empty()),
            agency_id: agency.get_untracked().parse().ok(),
            roles: chosen
                .iter()
                .map(|r| invite_user::RoleGrantInput {
                    role: *r,
                    board_id: if r.is_board_role() { board_id } else { None },
                    agency_id: None,
                })
                .collect(),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::call::<InviteUser>(invite_user::Variables { input }).await {
                Ok(d) => {
                    let r = d.invite_user;
                    let waiting = r.user.pending_roles.len();
                    let mut text = link_outcome(&r.user.name, r.emailed, r.link, r.on_server);
                    if waiting > 0 {
                        text.push_str(&format!(
                            " {waiting} role(s) that read names wait for a second person to approve them."
                        ));
                    }
                    outcome.set(Some((text, Some(r.user.id))));
                    errors.set(Vec::new());
                    for s in [email, name, job] {
                        s.set(String::new());
                    }
                    roles.set(Vec::new());
                    focus("invite-outcome");
                }
                Err(ApiError::Validation(list)) => {
                    errors.set(list);
                    focus("invite-form");
                }
                Err(e) => {
                    errors.set(vec![("email".to_owned(), e.message())]);
                    focus("invite-form");
                }
            }
            busy.set(false);
        });
    };
    view! {
        <h1 class="govuk-heading-l">"Invite someone"</h1>
        <AdminNav current="/admin/invite"/>
        <div id="invite-outcome" tabindex="-1">
            {move || outcome.get().map(|(text, id)| view! {
                <div class="govuk-panel govuk-panel--confirmation scr-panel-left" role="status">
                    <h2 class="govuk-panel__title govuk-!-font-size-27">"Invitation made"</h2>
                    <div class="govuk-panel__body govuk-!-font-size-19 scr-break-words">{text}</div>
                </div>
                {(p.admin).then(|| id.map(|id| view! {
                    <p class="govuk-body"><A href=format!("/admin/people/{id}") attr:class="govuk-link">"See their account"</A></p>
                }))}
            })}
        </div>
        <form id="invite-form" tabindex="-1" on:submit=submit novalidate>
            <ErrorSummary errors=errors/>
            <TextField label="E-mail address" path="email" value=email errors=errors input_type="email" autocomplete="off"/>
            <TextField label="Full name" path="name" value=name errors=errors/>
            <TextField label="Job title (optional)" path="jobTitle" value=job errors=errors/>
            <div class="govuk-form-group">
                <label class="govuk-label" for="f-agencyId">"Agency (optional)"</label>
                <div class="govuk-hint">"An agency manager manages this agency; a professional works for it."</div>
                <select class="govuk-select" id="f-agencyId" on:change:target=move |ev| agency.set(ev.target().value())>
                    <option value="">"None"</option>
                    {move || orgs.get().and_then(Result::ok).map(|o| o.agencies.into_iter().filter(|a| a.3).map(|a| view! {
                        <option value=a.0.to_string()>{a.1}</option>
                    }).collect_view())}
                </select>
            </div>
            <div class="govuk-form-group" class:govuk-form-group--error=move || error_for(&errors.get(), "roles").is_some()>
                <fieldset class="govuk-fieldset" id="f-roles">
                    <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">"Roles"</legend>
                    <div class="govuk-hint">"Board Chair, Business Manager, Initial SCR Panel member and agency manager read names: they wait for a second person."</div>
                    {move || error_for(&errors.get(), "roles").map(|m| view! { <p class="govuk-error-message"><span class="govuk-visually-hidden">"Error: "</span>{m}</p> })}
                    <div class="govuk-checkboxes govuk-checkboxes--small">
                        {offered.iter().map(|r| {
                            let r = *r;
                            let id = format!("role-{}", r.as_str());
                            view! {
                                <div class="govuk-checkboxes__item">
                                    <input class="govuk-checkboxes__input" type="checkbox" id=id.clone()
                                        prop:checked=move || roles.with(|l| l.contains(&r))
                                        on:change:target=move |ev| {
                                            let on = ev.target().checked();
                                            roles.update(|l| { l.retain(|x| *x != r); if on { l.push(r); } });
                                        }/>
                                    <label class="govuk-label govuk-checkboxes__label" for=id>{r.title()}</label>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
            </div>
            <div class="govuk-form-group" class:govuk-form-group--error=move || error_for(&errors.get(), "roles.0.boardId").is_some()>
                <label class="govuk-label" for="f-roles-0-boardId">"Board, for a board's roles"</label>
                {move || error_for(&errors.get(), "roles.0.boardId").map(|m| view! { <p class="govuk-error-message"><span class="govuk-visually-hidden">"Error: "</span>{m}</p> })}
                <select class="govuk-select" id="f-roles-0-boardId" on:change:target=move |ev| board.set(ev.target().value())>
                    <option value="">"Choose a board"</option>
                    {move || orgs.get().and_then(Result::ok).map(|o| o.boards.into_iter().map(|b| view! {
                        <option value=b.0.to_string()>{b.1}</option>
                    }).collect_view())}
                </select>
            </div>
            <button type="submit" class="govuk-button" disabled=move || busy.get()>
                {move || if busy.get() { "Inviting…" } else { "Send the invitation" }}
            </button>
        </form>
    }
}
