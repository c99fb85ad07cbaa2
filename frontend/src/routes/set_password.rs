//! Setting one's password through a one-time link (an invitation or a reset): reached
//! without signing in. The token comes in the address's fragment, so it reaches no
//! server log; once the password is set, the person is signed in.

use leptos::prelude::*;

use crate::answer;
use crate::api::{self, ApiError};
use crate::components::{ErrorSummary, TextField};
use crate::gql::{SetPasswordWithLink, set_password_with_link};
use crate::routes::sign_in::{SecondFactorSteps, Step, leave_set_password_page};
use crate::session::Auth;

/// The token in `#token=...`, if the address has one.
fn token_from_address() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    hash.strip_prefix("#token=").map(str::to_owned).filter(|t| !t.is_empty())
}

#[component]
pub fn SetPasswordPage() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let token = token_from_address();
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<(String, String)>::new());
    let busy = RwSignal::new(false);
    let step = RwSignal::new(Step::Password);
    let has_token = token.is_some();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(token) = token.clone() else { return };
        let mut found = Vec::new();
        if let Err(e) = shared::value::check_new_password(&password.get_untracked()) {
            found.push(("password".to_owned(), e.message));
        }
        if confirm.get_untracked() != password.get_untracked() {
            found.push(("confirm".to_owned(), "Type the same password twice".to_owned()));
        }
        errors.set(found.clone());
        if !found.is_empty() {
            return;
        }
        busy.set(true);
        let vars = set_password_with_link::Variables { token, password: password.get_untracked() };
        leptos::task::spawn_local(async move {
            match api::call::<SetPasswordWithLink>(vars).await {
                Ok(d) => {
                    password.set(String::new());
                    confirm.set(String::new());
                    match Step::after(answer!(d.set_password_with_link, set_password_with_link), auth) {
                        None => leave_set_password_page(),
                        Some(next) => step.set(next),
                    }
                }
                Err(ApiError::Validation(list)) => errors.set(list),
                Err(e) => errors.set(vec![("password".to_owned(), e.message())]),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <h1 class="govuk-heading-l">"Set your password"</h1>
                <Show when=move || step.with(|s| *s != Step::Password)>
                    <p class="govuk-body">"Your password is set."</p>
                    {move || view! { <SecondFactorSteps step=step first=step.get()/> }}
                </Show>
                <Show
                    when=move || has_token && step.with(|s| *s == Step::Password)
                    fallback=|| view! {
                        <p class="govuk-body">"This address has no link in it. Open the link from your invitation or reset e-mail, or ask your administrator for a new one."</p>
                    }
                >
                    <p class="govuk-body">"At least 12 characters. Not your e-mail address, and not a common password. The link works once."</p>
                    <form on:submit=submit.clone() novalidate>
                        <ErrorSummary errors=errors/>
                        <TextField label="New password" path="password" value=password errors=errors input_type="password" autocomplete="new-password"/>
                        <TextField label="Type it again" path="confirm" value=confirm errors=errors input_type="password" autocomplete="new-password"/>
                        <p class="govuk-error-message" id="f-token-error" hidden=move || !errors.with(|e| e.iter().any(|(f, _)| f == "token"))>
                            {move || errors.with(|e| e.iter().find(|(f, _)| f == "token").map(|(_, m)| m.clone()).unwrap_or_default())}
                        </p>
                        <button type="submit" class="govuk-button" disabled=move || busy.get()>
                            {move || if busy.get() { "Setting your password…" } else { "Set password and sign in" }}
                        </button>
                    </form>
                </Show>
            </div>
        </div>
    }
}
