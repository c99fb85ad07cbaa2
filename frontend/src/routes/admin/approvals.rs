//! `/admin/approvals`: roles that read names, waiting for a second person (approve, or
//! refuse with a reason).

use leptos::prelude::*;

use super::{AdminNav, Orgs};
use crate::api::{self, ApiError};
use crate::components::{Failure, Loading, Refusal, Success};
use crate::format::date_time;
use crate::gql::{
    AdminOrganisations, ApproveGrant, GrantProposals, RefuseGrant, admin_organisations, approve_grant, grant_proposals,
    refuse_grant,
};
use crate::page::{confirmed, focus};

#[component]
pub fn ApprovalsPage() -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let done = RwSignal::new(None::<String>);
    let failed = RwSignal::new(None::<String>);
    let orgs = LocalResource::new(|| async {
        api::call::<AdminOrganisations>(admin_organisations::Variables).await.map(Orgs::from)
    });
    let data = LocalResource::new(move || {
        refresh.get();
        async { api::call::<GrantProposals>(grant_proposals::Variables).await }
    });
    view! {
        <h1 class="govuk-heading-l">"Roles to approve"</h1>
        <AdminNav current="/admin/approvals"/>
        <p class="govuk-body">"A role that reads names in full takes effect when a second person approves it. Check that the person and their e-mail address are right, and that they need the role."</p>
        <div id="approvals-outcome" tabindex="-1">
            <Success message=done/>
            <Refusal message=failed/>
        </div>
        <Transition fallback=|| view! { <Loading/> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <Failure error=e/> }.into_any(),
                Ok(d) if d.grant_proposals.is_empty() => view! {
                    <p class="govuk-body" id="no-approvals">"No role is waiting for approval."</p>
                }.into_any(),
                Ok(d) => {
                    let orgs = orgs.get().and_then(Result::ok).unwrap_or_default();
                    view! {
                        <ul class="govuk-list" id="approvals">
                            {d.grant_proposals.into_iter().map(|p| {
                                let proposal_id = p.id;
                                let role = orgs.grant(p.role, p.board_id, p.agency_id);
                                let person = p.person.clone().unwrap_or_default();
                                let reason = RwSignal::new(String::new());
                                let reason_error = RwSignal::new(None::<String>);
                                let (r1, p1) = (role.clone(), person.clone());
                                let approve = move |_| {
                                    if !confirmed(&format!("Approve {r1} for {p1}? They will read names in full.")) { return; }
                                    let (r, who) = (r1.clone(), p1.clone());
                                    done.set(None);
                                    failed.set(None);
                                    leptos::task::spawn_local(async move {
                                        match api::call::<ApproveGrant>(approve_grant::Variables { proposal_id }).await {
                                            Ok(d) => {
                                                let a = d.approve_grant;
                                                let mut text = format!("{r} is approved for {who}.");
                                                if a.password_ended {
                                                    text.push_str(if a.link_emailed {
                                                        " Someone else may have known their password, so it has ended: a link to set their own was e-mailed to them."
                                                    } else {
                                                        " Someone else may have known their password, so it has ended: whoever runs the server prints a link for them with scr password-link."
                                                    });
                                                }
                                                done.set(Some(text));
                                                refresh.update(|n| *n += 1);
                                            }
                                            Err(e) => failed.set(Some(e.message())),
                                        }
                                        focus("approvals-outcome");
                                    });
                                };
                                let (r2, p2) = (role.clone(), person.clone());
                                let refuse = move |ev: leptos::ev::SubmitEvent| {
                                    ev.prevent_default();
                                    let why = reason.get_untracked();
                                    if why.trim().is_empty() {
                                        reason_error.set(Some("Say why the role is refused".into()));
                                        return;
                                    }
                                    let (r, who) = (r2.clone(), p2.clone());
                                    leptos::task::spawn_local(async move {
                                        match api::call::<RefuseGrant>(refuse_grant::Variables { proposal_id, reason: why }).await {
                                            Ok(_) => {
                                                done.set(Some(format!("{r} is refused for {who}.")));
                                                refresh.update(|n| *n += 1);
                                                focus("approvals-outcome");
                                            }
                                            Err(ApiError::Validation(list)) => reason_error.set(list.into_iter().next().map(|(_, m)| m)),
                                            Err(e) => reason_error.set(Some(e.message())),
                                        }
                                    });
                                };
                                let reason_id = format!("refuse-reason-{proposal_id}");
                                view! {
                                    <li class="govuk-summary-card" id=format!("proposal-{proposal_id}")>
                                        <div class="govuk-summary-card__title-wrapper"><h2 class="govuk-summary-card__title">{format!("{role} for {person}")}</h2></div>
                                        <div class="govuk-summary-card__content">
                                            <p class="govuk-body">"Proposed by " {p.proposer.clone().unwrap_or_else(|| "the server".into())} " on " {date_time(&p.proposed_at)} "."</p>
                                            <p class="govuk-body-s">{format!("Proposal {proposal_id}. On a new board with nobody yet to approve it, whoever runs the server approves it with: scr approve-grant --proposal {proposal_id}")}</p>
                                            <button type="button" class="govuk-button" on:click=approve>"Approve" <span class="govuk-visually-hidden">{format!(" {role} for {person}")}</span></button>
                                            <form on:submit=refuse novalidate>
                                                <div class="govuk-form-group" class:govuk-form-group--error=move || reason_error.get().is_some()>
                                                    <label class="govuk-label" for=reason_id.clone()>"Or refuse it, saying why"</label>
                                                    {move || reason_error.get().map(|m| view! { <p class="govuk-error-message"><span class="govuk-visually-hidden">"Error: "</span>{m}</p> })}
                                                    <input class="govuk-input" id=reason_id.clone() type="text" bind:value=reason/>
                                                </div>
                                                <button type="submit" class="govuk-button govuk-button--warning">"Refuse"</button>
                                            </form>
                                        </div>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            })}
        </Transition>
    }
}
