//! Your account: change your password (the current one required), sign out
//! everywhere, and a new address for your calendar feed. Each step that ends sessions
//! or retires an address is confirmed first.

use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::components::{ErrorSummary, Success, TextField};
use crate::gql::{
    ChangePassword, RotateCalendarLink, SignOutEverywhere, change_password, rotate_calendar_link, sign_out_everywhere,
};
use crate::page::confirmed;
use crate::session::Auth;

#[component]
pub fn AccountPage() -> impl IntoView {
    view! {
        <h1 class="govuk-heading-l">"Your account"</h1>
        <PasswordForm/>
        <Sessions/>
        <Calendar/>
    }
}

#[component]
fn PasswordForm() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<(String, String)>::new());
    let done = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        let mut found = Vec::new();
        if current.get_untracked().is_empty() {
            found.push(("currentPassword".to_owned(), "Enter your current password".to_owned()));
        }
        if let Err(e) = shared::value::check_new_password(&new.get_untracked()) {
            found.push(("newPassword".to_owned(), e.message));
        }
        if confirm.get_untracked() != new.get_untracked() {
            found.push(("confirm".to_owned(), "Type the same new password twice".to_owned()));
        }
        errors.set(found.clone());
        if !found.is_empty() {
            return;
        }
        busy.set(true);
        let vars = change_password::Variables { current: current.get_untracked(), new: new.get_untracked() };
        leptos::task::spawn_local(async move {
            match api::call::<ChangePassword>(vars).await {
                Ok(d) => {
                    if let crate::session::Answer::SignedIn(s) = crate::answer!(d.change_password, change_password) {
                        auth.sign_in(s);
                    }
                    for s in [current, new, confirm] {
                        s.set(String::new());
                    }
                    done.set(Some("Your password is changed. Your other sessions have ended.".to_owned()));
                }
                Err(ApiError::Validation(list)) => errors.set(list),
                Err(e) => errors.set(vec![("currentPassword".to_owned(), e.message())]),
            }
            busy.set(false);
        });
    };
    view! {
        <h2 class="govuk-heading-m">"Change your password"</h2>
        <Success message=done/>
        <form id="password-form" on:submit=submit novalidate>
            <ErrorSummary errors=errors/>
            <TextField label="Current password" path="currentPassword" value=current errors=errors input_type="password" autocomplete="current-password"/>
            <TextField label="New password (12 characters or more)" path="newPassword" value=new errors=errors input_type="password" autocomplete="new-password"/>
            <TextField label="Type the new password again" path="confirm" value=confirm errors=errors input_type="password" autocomplete="new-password"/>
            <button type="submit" class="govuk-button" disabled=move || busy.get()>
                {move || if busy.get() { "Changing…" } else { "Change password" }}
            </button>
        </form>
    }
}

#[component]
fn Sessions() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let failed = RwSignal::new(None::<String>);
    let go = move |_| {
        if !confirmed("Sign out on every device, this one included?") {
            return;
        }
        leptos::task::spawn_local(async move {
            match api::call::<SignOutEverywhere>(sign_out_everywhere::Variables).await {
                Ok(_) => auth.sign_out(),
                Err(e) => failed.set(Some(e.message())),
            }
        });
    };
    view! {
        <h2 class="govuk-heading-m">"Sessions"</h2>
        <p class="govuk-body">"Ends every session of yours, on every device, this one included."</p>
        {move || failed.get().map(|m| view! { <p class="govuk-error-message">{m}</p> })}
        <button type="button" class="govuk-button govuk-button--warning" on:click=go>"Sign out everywhere"</button>
    }
}

#[component]
fn Calendar() -> impl IntoView {
    let url = RwSignal::new(None::<String>);
    let failed = RwSignal::new(None::<String>);
    let go = move |_| {
        if !confirmed("Get a new calendar address? The old one stops working in every calendar that uses it.") {
            return;
        }
        leptos::task::spawn_local(async move {
            match api::call::<RotateCalendarLink>(rotate_calendar_link::Variables).await {
                Ok(d) => url.set(Some(d.rotate_calendar_link)),
                Err(e) => failed.set(Some(e.message())),
            }
        });
    };
    view! {
        <h2 class="govuk-heading-m">"Calendar address"</h2>
        <p class="govuk-body">"If your calendar address was shared by mistake, get a new one: the old one stops working."</p>
        {move || failed.get().map(|m| view! { <p class="govuk-error-message">{m}</p> })}
        {move || url.get().map(|u| view! {
            <div class="govuk-inset-text" id="new-calendar-address" tabindex="-1">"Your new address: " <code>{u}</code></div>
        })}
        <button type="button" class="govuk-button govuk-button--secondary" on:click=go>"Get a new calendar address"</button>
    }
}
