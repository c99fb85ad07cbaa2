//! Sign in.

use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::components::{ErrorSummary, TextField};
use crate::gql::{Login, login};
use crate::session::{Auth, Session};
use shared::value::Email;

#[component]
pub fn SignInPage() -> impl IntoView {
    view! {
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <h1 class="govuk-heading-l">"Sign in"</h1>
                <p class="govuk-body">"Sign in with the account your board or agency gave you."</p>
                <SignInForm/>
            </div>
        </div>
    }
}

/// The sign-in form; also shown above a page whose session has ended.
#[component]
pub fn SignInForm() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let email = RwSignal::new(auth.session.get_untracked().map(|s| s.email).unwrap_or_default());
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<(String, String)>::new());
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut found = Vec::new();
        if let Err(e) = Email::parse(&email.get_untracked()) {
            found.push(("email".to_owned(), e.message));
        }
        if password.get_untracked().is_empty() {
            found.push(("password".to_owned(), "Enter your password".to_owned()));
        }
        errors.set(found.clone());
        if !found.is_empty() {
            return;
        }
        busy.set(true);
        let vars = login::Variables { email: email.get_untracked(), password: password.get_untracked() };
        leptos::task::spawn_local(async move {
            match api::call::<Login>(vars).await {
                Ok(d) => {
                    let u = d.login.user;
                    password.set(String::new());
                    auth.sign_in(Session {
                        token: d.login.token,
                        expires_at: d.login.expires_at,
                        user_id: u.id,
                        name: u.name,
                        email: u.email,
                        roles: u.roles.into_iter().map(|r| r.role).collect(),
                    });
                }
                Err(ApiError::Unauthenticated) => {
                    errors.set(vec![("email".to_owned(), "Enter a correct e-mail address and password".to_owned())])
                }
                Err(e) => errors.set(vec![("email".to_owned(), e.message())]),
            }
            busy.set(false);
        });
    };
    view! {
        <form on:submit=submit novalidate>
            <ErrorSummary errors=errors/>
            <TextField label="E-mail address" path="email" value=email errors=errors input_type="email" autocomplete="username"/>
            <TextField label="Password" path="password" value=password errors=errors input_type="password" autocomplete="current-password"/>
            <button type="submit" class="govuk-button" disabled=move || busy.get()>
                {move || if busy.get() { "Signing in…" } else { "Sign in" }}
            </button>
        </form>
    }
}
