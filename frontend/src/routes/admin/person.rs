//! `/admin/people/:id`: one account. Who it is, its roles (remove one; give one, which
//! waits for a second person when it reads names), the work it holds on reviews, and
//! the account itself: a reset link, its sessions ended, deactivated with the work to
//! hand on listed, or reactivated. Every step that cannot be undone is confirmed first.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::role::Role;

use super::{AdminNav, Orgs, link_outcome};
use crate::api::{self, ApiError};
use crate::components::{ErrorSummary, Failure, Loading, Refusal, Success};
use crate::format::date_time;
use crate::gql::{
    AdminOrganisations, AdminPerson, DeactivateUser, EndSessions, ProposeGrant, ReactivateUser, RemoveRole,
    ResetSecondFactor, StartPasswordReset, admin_organisations, admin_person, deactivate_user, end_sessions,
    propose_grant, reactivate_user, remove_role, reset_second_factor, start_password_reset,
};
use crate::page::{confirmed, focus};

type Step = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Option<String>, ApiError>>>>;

#[component]
pub fn PersonPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0));
    let refresh = RwSignal::new(0u32);
    let done = RwSignal::new(None::<String>);
    let failed = RwSignal::new(None::<String>);
    let orgs = LocalResource::new(|| async {
        api::call::<AdminOrganisations>(admin_organisations::Variables).await.map(Orgs::from)
    });
    let data = LocalResource::new(move || {
        refresh.get();
        let user_id = id();
        async move { api::call::<AdminPerson>(admin_person::Variables { user_id }).await }
    });
    // Runs an account step; says what happened at the top of the page, or why not.
    let act = move |message: String, run: Step| {
        done.set(None);
        failed.set(None);
        leptos::task::spawn_local(async move {
            match run.await {
                Ok(extra) => {
                    done.set(Some(extra.unwrap_or(message)));
                    refresh.update(|n| *n += 1);
                }
                Err(e) => failed.set(Some(e.message())),
            }
            focus("person-outcome");
        });
    };
    view! {
        <AdminNav current="/admin/people"/>
        <div id="person-outcome" tabindex="-1">
            <Success message=done/>
            <Refusal message=failed/>
        </div>
        <Transition fallback=|| view! { <Loading/> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <Failure error=e/> }.into_any(),
                Ok(d) => {
                    let orgs = orgs.get().and_then(Result::ok).unwrap_or_default();
                    let p = d.person;
                    let user_id = p.id;
                    let name = p.name.clone();
                    let active = p.active;
                    let n1 = name.clone();
                    let reset = move |_| {
                        let n = n1.clone();
                        act(String::new(), Box::pin(async move {
                            let r = api::call::<StartPasswordReset>(start_password_reset::Variables { user_id }).await?.start_password_reset;
                            Ok(Some(link_outcome(&n, r.emailed, r.link, r.on_server)))
                        }));
                    };
                    let n2 = name.clone();
                    let end = move |_| {
                        if !confirmed(&format!("End every session of {n2}? They must sign in again on every device.")) { return; }
                        act(format!("{n2}'s sessions have ended."), Box::pin(async move {
                            api::call::<EndSessions>(end_sessions::Variables { user_id }).await?;
                            Ok(None)
                        }));
                    };
                    let n3 = name.clone();
                    let deactivate = move |_| {
                        if !confirmed(&format!("Deactivate {n3}'s account? They are signed out everywhere at once, their calendar address and any link stop working.")) { return; }
                        let n = n3.clone();
                        act(String::new(), Box::pin(async move {
                            let r = api::call::<DeactivateUser>(deactivate_user::Variables { user_id }).await?.deactivate_user;
                            let work: Vec<String> = r.open_assignments.iter().map(|a| format!("{} on {}", a.what, a.reference)).collect();
                            Ok(Some(if work.is_empty() {
                                format!("{n}'s account is deactivated. They held no open work.")
                            } else {
                                format!("{n}'s account is deactivated. Hand on: {}.", work.join("; "))
                            }))
                        }));
                    };
                    let n5 = name.clone();
                    let reset_factor = move |_| {
                        if !confirmed(&format!("Reset {n5}'s second factor? Their sessions end and they set up a new one at their next sign-in.")) { return; }
                        let n = n5.clone();
                        act(String::new(), Box::pin(async move {
                            use reset_second_factor::SecondFactorReset as R;
                            let r = api::call::<ResetSecondFactor>(reset_second_factor::Variables { user_id }).await?.reset_second_factor;
                            Ok(Some(match r {
                                R::PROPOSED => format!("Resetting {n}'s second factor waits for a second person: another administrator or an officer of their board confirms it."),
                                _ => format!("{n}'s second factor is reset. They set up a new one at their next sign-in."),
                            }))
                        }));
                    };
                    let factor = match (p.second_factor_enrolled, p.second_factor_reset_pending) {
                        (_, true) => "Set up; a reset waits for a second person",
                        (true, false) => "Set up",
                        (false, false) => "Not set up",
                    };
                    let has_factor = p.second_factor_enrolled;
                    let n4 = name.clone();
                    let reactivate = move |_| {
                        act(format!("{n4}'s account is active again. Send them a reset link to sign in."), Box::pin(async move {
                            api::call::<ReactivateUser>(reactivate_user::Variables { user_id }).await?;
                            Ok(None)
                        }));
                    };
                    view! {
                        <h1 class="govuk-heading-l">{p.name.clone()}
                            {(!active).then(|| view! { " " <strong class="govuk-tag govuk-tag--grey">"Deactivated"</strong> })}
                        </h1>
                        <dl class="govuk-summary-list">
                            <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">"E-mail"</dt><dd class="govuk-summary-list__value">{p.email.clone()}</dd></div>
                            <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">"Job title"</dt><dd class="govuk-summary-list__value">{p.job_title.clone().unwrap_or_default()}</dd></div>
                            <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">"Agency"</dt><dd class="govuk-summary-list__value">{p.agency.as_ref().map(|a| a.name.clone()).unwrap_or_else(|| "None".into())}</dd></div>
                            <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">"Second factor"</dt><dd class="govuk-summary-list__value" id="person-factor">{factor}</dd></div>
                            <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">"Last signed in"</dt><dd class="govuk-summary-list__value">{p.last_sign_in_at.as_deref().map_or_else(|| "Never".to_owned(), date_time)}</dd></div>
                        </dl>

                        <h2 class="govuk-heading-m">"Roles"</h2>
                        {if p.roles.is_empty() {
                            view! { <p class="govuk-body">"No role in effect."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="govuk-list" id="person-roles">
                                    {p.roles.iter().map(|g| {
                                        let (role, board_id, agency_id) = (g.role, g.board_id, g.agency_id);
                                        let label = orgs.grant(role, board_id, agency_id);
                                        let l = label.clone();
                                        let remove = move |_| {
                                            if !confirmed(&format!("Remove the role {l}? Their sessions end so it goes at once.")) { return; }
                                            act(format!("The role {l} was removed."), Box::pin(async move {
                                                let grant = remove_role::RoleGrantInput { role, board_id, agency_id };
                                                api::call::<RemoveRole>(remove_role::Variables { user_id, grant }).await?;
                                                Ok(None)
                                            }));
                                        };
                                        view! {
                                            <li>{label.clone()} " "
                                                <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0 govuk-!-margin-left-2" on:click=remove>
                                                    "Remove" <span class="govuk-visually-hidden">{format!(" {label}")}</span>
                                                </button>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        {(!p.pending_roles.is_empty()).then(|| view! {
                            <h3 class="govuk-heading-s">"Waiting for a second person"</h3>
                            <ul class="govuk-list govuk-list--bullet" id="person-pending">
                                {p.pending_roles.iter().map(|g| view! {
                                    <li>{orgs.grant(g.role, g.board_id, g.agency_id)} ", proposed by " {g.proposer.clone().unwrap_or_else(|| "the server".into())} " on " {date_time(&g.proposed_at)}</li>
                                }).collect_view()}
                            </ul>
                        })}
                        {active.then(|| view! { <GiveRole user_id orgs=orgs.clone() done refresh/> })}

                        <h2 class="govuk-heading-m">"Work on reviews"</h2>
                        {if d.open_assignments.is_empty() {
                            view! { <p class="govuk-body">"No open work: nothing to hand on."</p> }.into_any()
                        } else {
                            view! {
                                <p class="govuk-body">"If they leave, the review's business manager hands these on:"</p>
                                <ul class="govuk-list govuk-list--bullet" id="person-work">
                                    {d.open_assignments.iter().map(|a| view! { <li>{format!("{} on {}", a.what, a.reference)}</li> }).collect_view()}
                                </ul>
                            }.into_any()
                        }}

                        <h2 class="govuk-heading-m">"Account"</h2>
                        {if active {
                            view! {
                                <div class="govuk-button-group">
                                    <button type="button" class="govuk-button govuk-button--secondary" id="person-reset" on:click=reset>"Send a password reset link"</button>
                                    <button type="button" class="govuk-button govuk-button--secondary" on:click=end>"End their sessions"</button>
                                    {has_factor.then(|| view! {
                                        <button type="button" class="govuk-button govuk-button--secondary" id="person-reset-factor" on:click=reset_factor.clone()>"Reset second factor"</button>
                                    })}
                                    <button type="button" class="govuk-button govuk-button--warning" id="person-deactivate" on:click=deactivate>"Deactivate account"</button>
                                </div>
                            }.into_any()
                        } else {
                            view! {
                                <button type="button" class="govuk-button" id="person-reactivate" on:click=reactivate>"Reactivate account"</button>
                            }.into_any()
                        }}
                    }.into_any()
                }
            })}
        </Transition>
    }
}

/// Give a role: in effect at once, or waiting for a second person. Refusals are shown
/// beside the fields; what happened, at the top of the page.
#[component]
fn GiveRole(user_id: i64, orgs: Orgs, done: RwSignal<Option<String>>, refresh: RwSignal<u32>) -> impl IntoView {
    let role = RwSignal::new(None::<Role>);
    let board = RwSignal::new(String::new());
    let agency = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<(String, String)>::new());
    let give = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(r) = role.get_untracked() else {
            errors.set(vec![("grant.role".into(), "Choose a role".into())]);
            return;
        };
        errors.set(Vec::new());
        let grant = propose_grant::RoleGrantInput {
            role: r,
            board_id: board.get_untracked().parse().ok(),
            agency_id: agency.get_untracked().parse().ok(),
        };
        leptos::task::spawn_local(async move {
            match api::call::<ProposeGrant>(propose_grant::Variables { user_id, grant }).await {
                Ok(d) => {
                    let waits = shared::policy::grant_needs_second_person(r)
                        && !d.propose_grant.roles.iter().any(|g| g.role == r);
                    done.set(Some(if waits {
                        format!("{} waits for a second person to approve it.", r.title())
                    } else {
                        format!("{} is in effect.", r.title())
                    }));
                    refresh.update(|n| *n += 1);
                    focus("person-outcome");
                }
                Err(ApiError::Validation(list)) => errors.set(list),
                Err(e) => errors.set(vec![("grant".into(), e.message())]),
            }
        });
    };
    let boards = orgs.boards.clone();
    let agencies: Vec<_> = orgs.agencies.iter().filter(|a| a.3).cloned().collect();
    view! {
        <h3 class="govuk-heading-s">"Give a role"</h3>
        <form id="give-role" on:submit=give novalidate>
            <ErrorSummary errors=errors form="give"/>
            <div class="govuk-form-group">
                <label class="govuk-label" for="f-give-grant-role">"Role"</label>
                <select class="govuk-select" id="f-give-grant-role" on:change:target=move |ev| role.set(Role::parse(&ev.target().value()))>
                    <option value="" selected=move || role.get().is_none()>"Choose a role"</option>
                    {Role::ALL.iter().map(|r| view! { <option value=r.as_str()>{r.title()}</option> }).collect_view()}
                </select>
            </div>
            <Show when=move || role.get().is_some_and(Role::is_board_role)>
                <div class="govuk-form-group">
                    <label class="govuk-label" for="f-give-grant-boardId">"Board"</label>
                    <select class="govuk-select" id="f-give-grant-boardId" on:change:target=move |ev| board.set(ev.target().value())>
                        <option value="">"Choose a board"</option>
                        {boards.iter().map(|b| view! { <option value=b.0.to_string()>{b.1.clone()}</option> }).collect_view()}
                    </select>
                </div>
            </Show>
            <Show when=move || role.get().is_some_and(Role::is_agency_role)>
                <div class="govuk-form-group">
                    <label class="govuk-label" for="f-give-grant-agencyId">"Agency"</label>
                    <select class="govuk-select" id="f-give-grant-agencyId" on:change:target=move |ev| agency.set(ev.target().value())>
                        <option value="">"Choose an agency"</option>
                        {agencies.iter().map(|a| view! { <option value=a.0.to_string()>{a.1.clone()}</option> }).collect_view()}
                    </select>
                </div>
            </Show>
            <button type="submit" class="govuk-button">"Give the role"</button>
        </form>
    }
}
