//! Sign in: a password, then the second factor when the account has or needs one
//! (the code from an authenticator app or a recovery code; or, the first time,
//! setting the factor up and keeping the recovery codes).

use leptos::prelude::*;

use crate::answer;
use crate::api::{self, ApiError};
use crate::components::{ErrorSummary, TextField};
use crate::gql::{
    ConfirmSecondFactorEnrolment, Login, SignInProviders, StartSecondFactorEnrolment, VerifySecondFactor,
    confirm_second_factor_enrolment, login, sign_in_providers, start_second_factor_enrolment, verify_second_factor,
};
use crate::session::{Answer, Auth, Session};
use shared::value::Email;

#[component]
pub fn SignInPage() -> impl IntoView {
    view! {
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <h1 class="govuk-heading-l">"Sign in"</h1>
                <ProviderRefusal/>
                <Providers/>
                <p class="govuk-body">"Sign in with the account your board or agency gave you."</p>
                <SignInForm/>
            </div>
        </div>
    }
}

/// "Sign in with ..." for each organisation's identity provider the server offers. A
/// plain link: the browser leaves for the provider and comes back signed in.
#[component]
fn Providers() -> impl IntoView {
    let offered = LocalResource::new(|| async {
        api::call::<SignInProviders>(sign_in_providers::Variables)
            .await
            .map(|d| d.sign_in_providers)
            .unwrap_or_default()
    });
    move || {
        offered.get().filter(|p| !p.is_empty()).map(|list| {
            view! {
                <div class="govuk-button-group" id="sign-in-providers">
                    {list.into_iter().map(|p| view! {
                        <a href=format!("/api/oidc/{}/start", p.id) rel="external" class="govuk-button govuk-button--secondary" role="button">
                            {format!("Sign in with {}", p.name)}
                        </a>
                    }).collect_view()}
                </div>
                <p class="govuk-body">"Or, with a password:"</p>
            }
        })
    }
}

/// Why a sign-in through a provider came back without a session (`?sign-in=...`).
#[component]
fn ProviderRefusal() -> impl IntoView {
    let why = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let message = if why.contains("sign-in=refused") {
        Some(
            "Your organisation's sign-in did not sign you in here: the account it vouched for is not one of this board's, its e-mail address is not verified, or the sign-in was interrupted. Try again, or sign in with your password.",
        )
    } else if why.contains("sign-in=unavailable") {
        Some(
            "Your organisation's sign-in could not be reached. Try again in a few minutes, or sign in with your password.",
        )
    } else {
        None
    };
    message.map(|m| {
        view! {
            <div class="govuk-error-summary" data-module="govuk-error-summary" id="provider-refusal" tabindex="-1">
                <div role="alert">
                    <h2 class="govuk-error-summary__title">"You are not signed in"</h2>
                    <div class="govuk-error-summary__body"><p class="govuk-body">{m}</p></div>
                </div>
            </div>
        }
    })
}

/// Where a sign-in has got to.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Password,
    /// The code is asked for, with the challenge the password earned.
    Code(String),
    /// A second factor is to be set up, with the challenge the password earned.
    Enrol(String),
    /// Set up: the recovery codes to keep, then the session.
    Keep(Vec<String>, Session),
}

impl Step {
    /// The step after an answer that did not sign in; `None` when it signed in (and
    /// `auth` holds the session).
    pub fn after(answer: Answer, auth: Auth) -> Option<Step> {
        match answer {
            Answer::SignedIn(s) => {
                auth.sign_in(s);
                None
            }
            Answer::EnterCode(ch) => Some(Step::Code(ch)),
            Answer::Enrol(ch) => Some(Step::Enrol(ch)),
            Answer::Nothing => Some(Step::Password),
        }
    }
}

/// The sign-in form; also shown above a page whose session has ended.
#[component]
pub fn SignInForm() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let step = RwSignal::new(Step::Password);
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
                    password.set(String::new());
                    if let Some(next) = Step::after(answer!(d.login, login), auth) {
                        step.set(next);
                    }
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
        {move || match step.get() {
            Step::Password => view! {
                <form on:submit=submit novalidate>
                    <ErrorSummary errors=errors/>
                    <TextField label="E-mail address" path="email" value=email errors=errors input_type="email" autocomplete="username"/>
                    <TextField label="Password" path="password" value=password errors=errors input_type="password" autocomplete="current-password"/>
                    <button type="submit" class="govuk-button" disabled=move || busy.get()>
                        {move || if busy.get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </form>
            }.into_any(),
            other => view! { <SecondFactorSteps step=step first=other/> }.into_any(),
        }}
    }
}

/// The second factor's steps of a sign-in, from `first`; back to the password when
/// the challenge has run out.
#[component]
pub fn SecondFactorSteps(step: RwSignal<Step>, first: Step) -> impl IntoView {
    match first {
        Step::Code(ch) => view! { <CodeForm step=step challenge=ch/> }.into_any(),
        Step::Enrol(ch) => view! { <EnrolForm step=step challenge=ch/> }.into_any(),
        Step::Keep(codes, session) => view! { <KeepCodes codes=codes session=session/> }.into_any(),
        Step::Password => ().into_any(),
    }
}

fn challenge_ended(step: RwSignal<Step>, errors: RwSignal<Vec<(String, String)>>, e: ApiError) {
    match e {
        ApiError::Unauthenticated => step.set(Step::Password),
        ApiError::Validation(list) => errors.set(list),
        e => errors.set(vec![("code".to_owned(), e.message())]),
    }
}

#[component]
fn CodeForm(step: RwSignal<Step>, challenge: String) -> impl IntoView {
    let auth = expect_context::<Auth>();
    let code = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<(String, String)>::new());
    let busy = RwSignal::new(false);
    request_animation_frame(|| crate::page::focus("f-code"));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if code.get_untracked().trim().is_empty() {
            errors.set(vec![("code".to_owned(), "Enter the code from your authenticator app".to_owned())]);
            return;
        }
        busy.set(true);
        let vars = verify_second_factor::Variables { challenge: challenge.clone(), code: code.get_untracked() };
        leptos::task::spawn_local(async move {
            match api::call::<VerifySecondFactor>(vars).await {
                Ok(d) => {
                    if let Some(next) = Step::after(answer!(d.verify_second_factor, verify_second_factor), auth) {
                        step.set(next);
                    }
                }
                Err(e) => {
                    code.set(String::new());
                    challenge_ended(step, errors, e);
                }
            }
            busy.set(false);
        });
    };
    view! {
        <form on:submit=submit novalidate>
            <ErrorSummary errors=errors/>
            <h2 class="govuk-heading-m">"Enter your code"</h2>
            <TextField
                label="Code from your authenticator app"
                hint="The 6 digits your app shows now, or one of your recovery codes if you do not have your phone."
                path="code" value=code errors=errors autocomplete="one-time-code"/>
            <button type="submit" class="govuk-button" disabled=move || busy.get()>
                {move || if busy.get() { "Checking…" } else { "Continue" }}
            </button>
        </form>
    }
}

#[component]
fn EnrolForm(step: RwSignal<Step>, challenge: String) -> impl IntoView {
    let code = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<(String, String)>::new());
    let busy = RwSignal::new(false);
    let secret = RwSignal::new(None::<(String, String)>);
    let started = challenge.clone();
    leptos::task::spawn_local(async move {
        let vars = start_second_factor_enrolment::Variables { challenge: Some(started) };
        match api::call::<StartSecondFactorEnrolment>(vars).await {
            Ok(d) => {
                let e = d.start_second_factor_enrolment;
                let image = web_sys::window()
                    .and_then(|w| w.btoa(&e.qr_svg).ok())
                    .map(|b| format!("data:image/svg+xml;base64,{b}"))
                    .unwrap_or_default();
                secret.set(Some((e.secret, image)));
                crate::page::focus("f-code");
            }
            Err(e) => challenge_ended(step, errors, e),
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if code.get_untracked().trim().is_empty() {
            errors.set(vec![("code".to_owned(), "Enter the code your authenticator app shows".to_owned())]);
            return;
        }
        busy.set(true);
        let vars = confirm_second_factor_enrolment::Variables {
            challenge: Some(challenge.clone()),
            code: code.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match api::call::<ConfirmSecondFactorEnrolment>(vars).await {
                Ok(d) => {
                    let done = d.confirm_second_factor_enrolment;
                    match done.sign_in.map(|s| answer!(s, confirm_second_factor_enrolment)) {
                        Some(Answer::SignedIn(session)) => step.set(Step::Keep(done.recovery_codes, session)),
                        _ => step.set(Step::Password),
                    }
                }
                Err(e) => challenge_ended(step, errors, e),
            }
            busy.set(false);
        });
    };
    view! {
        <form on:submit=submit novalidate>
            <ErrorSummary errors=errors/>
            <h2 class="govuk-heading-m">"Set up a second factor"</h2>
            <p class="govuk-body">
                "Your account reads people's names, so signing in needs a code from an authenticator app as well as your password."
            </p>
            {move || match secret.get() {
                None => view! { <p class="govuk-body" role="status">"Making your secret…"</p> }.into_any(),
                Some((text, image)) => view! {
                    <ol class="govuk-list govuk-list--number">
                        <li>"Open an authenticator app on your phone and add an account by scanning this code:"</li>
                    </ol>
                    <img src=image alt="QR code holding your secret" width="200" height="200" class="scr-qr"/>
                    <p class="govuk-body">"Or type this secret into the app: "<code id="totp-secret" class="scr-secret">{text}</code></p>
                }.into_any(),
            }}
            <TextField label="Code your app shows" hint="6 digits" path="code" value=code errors=errors autocomplete="one-time-code"/>
            <button type="submit" class="govuk-button" disabled=move || busy.get() || secret.with(Option::is_none)>
                {move || if busy.get() { "Checking…" } else { "Set up and continue" }}
            </button>
        </form>
    }
}

#[component]
fn KeepCodes(codes: Vec<String>, session: Session) -> impl IntoView {
    let auth = expect_context::<Auth>();
    request_animation_frame(|| crate::page::focus("recovery-codes-title"));
    let go_on = move |_| {
        auth.sign_in(session.clone());
        leave_set_password_page();
    };
    view! {
        <h2 class="govuk-heading-m" id="recovery-codes-title" tabindex="-1">"Keep your recovery codes"</h2>
        <div class="govuk-warning-text">
            <span class="govuk-warning-text__icon" aria-hidden="true">"!"</span>
            <strong class="govuk-warning-text__text">
                <span class="govuk-visually-hidden">"Warning"</span>
                "If you lose your phone, each of these codes signs you in once. They are shown only now: print them or write them down, and keep them somewhere safe."
            </strong>
        </div>
        <ul class="govuk-list scr-recovery-codes" id="recovery-codes">
            {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
        </ul>
        <button type="button" class="govuk-button" id="codes-kept" on:click=go_on>"I have kept my recovery codes: continue"</button>
    }
}

/// After a sign-in that began on the page of a one-time link, the reviews.
pub fn leave_set_password_page() {
    if let Some(w) = web_sys::window()
        && w.location().pathname().is_ok_and(|p| p == "/set-password")
    {
        let _ = w.location().set_href("/");
    }
}
