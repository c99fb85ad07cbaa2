//! The panel's findings on a review, each tagged with its learning themes: read by
//! whoever the policy lets read them (pseudonymised for those outside the panel),
//! recorded and removed by the panel and the overview author.

use leptos::prelude::*;
use shared::findings::Theme;
use shared::policy::Operation;

use crate::api;
use crate::components::{ErrorSummary, Failure, Loading, error_for, form_field_id};
use crate::gql::*;
use crate::page::{Busy, Ctx, send};

#[component]
pub fn Findings(ctx: Ctx) -> impl IntoView {
    let data = LocalResource::new(move || {
        ctx.refresh.get();
        async move {
            let _busy = Busy::start(ctx.loading);
            api::call::<ReviewFindings>(review_findings::Variables { id: ctx.id }).await
        }
    });
    let text = RwSignal::new(String::new());
    let themes = RwSignal::new(Vec::<Theme>::new());
    let errors = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    let record = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let vars = record_finding::Variables { id: ctx.id, text: text.get_untracked(), themes: themes.get_untracked() };
        send::<RecordFinding>(ctx, vars, errors, busy, "The finding was recorded");
    };
    // Clear the form once the finding is in the list.
    Effect::new(move |_| {
        if ctx.done.get().as_deref() == Some("The finding was recorded") {
            text.set(String::new());
            themes.set(Vec::new());
        }
    });
    // A refused removal is shown above the list, not inside the (usually closed) form.
    let remove_errors = RwSignal::new(Vec::<(String, String)>::new());
    let remove = move |id: i64| {
        let sure = web_sys::window()
            .and_then(|w| w.confirm_with_message("Remove this finding and its themes? This cannot be undone.").ok())
            .unwrap_or(false);
        if sure {
            send::<RemoveFinding>(
                ctx,
                remove_finding::Variables { id },
                remove_errors,
                busy,
                "The finding was removed",
            );
        }
    };
    let may_record = ctx.may(Operation::RecordFinding);
    let themes_error = move || error_for(&errors.get(), "themes");
    view! {
        <h2 class="govuk-heading-m">"Findings and learning themes"</h2>
        {move || remove_errors.get().first().map(|(_, m)| view! {
            <div class="govuk-error-summary" role="alert" id="finding-remove-error">
                <div class="govuk-error-summary__body"><p class="govuk-body">{m.clone()}</p></div>
            </div>
        })}
        <Transition fallback=|| view! { <Loading/> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <Failure error=e/> }.into_any(),
                Ok(d) => {
                    if d.review.findings.is_empty() {
                        return view! { <p class="govuk-body" id="no-findings">"No findings recorded yet."</p> }.into_any();
                    }
                    view! {
                        <ul class="govuk-list" id="findings">
                            {d.review.findings.into_iter().map(|f| {
                                let id = f.id;
                                view! {
                                    <li class="scr-finding">
                                        <p class="govuk-body">{f.text}</p>
                                        <p class="govuk-body-s">
                                            {f.themes.iter().map(|t| view! { <strong class="govuk-tag govuk-tag--blue">{t.title()}</strong> " " }).collect_view()}
                                        </p>
                                        {may_record.then(|| view! {
                                            <button type="button" class="govuk-button govuk-button--warning govuk-button--secondary"
                                                disabled=move || busy.get() on:click=move |_| remove(id)>"Remove"</button>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            })}
        </Transition>
        {may_record.then(|| view! {
            <details class="govuk-details" id="finding-form">
                <summary class="govuk-details__summary"><span class="govuk-details__summary-text">"Record a finding"</span></summary>
                <form class="govuk-details__text" on:submit=record>
                    <ErrorSummary errors=errors form="finding"/>
                    <crate::components::TextArea form="finding" label="The finding" path="text" value=text errors=errors rows=3/>
                    <div class="govuk-form-group" class:govuk-form-group--error=move || themes_error().is_some() id=form_field_id("finding", "themes")>
                        <fieldset class="govuk-fieldset">
                            <legend class="govuk-fieldset__legend">"Learning themes"</legend>
                            {move || themes_error().map(|m| view! { <p class="govuk-error-message"><span class="govuk-visually-hidden">"Error: "</span>{m}</p> })}
                            <div class="govuk-checkboxes govuk-checkboxes--small">
                                {Theme::ALL.iter().map(|t| {
                                    let t = *t;
                                    let id = format!("finding-theme-{}", t.as_str());
                                    view! {
                                        <div class="govuk-checkboxes__item">
                                            <input class="govuk-checkboxes__input" type="checkbox" id=id.clone()
                                                prop:checked=move || themes.get().contains(&t)
                                                on:change=move |ev| {
                                                    let on = event_target_checked(&ev);
                                                    themes.update(|c| { c.retain(|x| *x != t); if on { c.push(t); } });
                                                }/>
                                            <label class="govuk-label govuk-checkboxes__label" for=id>{t.title()}</label>
                                        </div>
                                    }
                                }).collect_view()}
                            </div>
                        </fieldset>
                    </div>
                    <button type="submit" class="govuk-button govuk-button--secondary" disabled=move || busy.get()>"Record the finding"</button>
                </form>
            </details>
        })}
    }
}
