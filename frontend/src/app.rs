//! The shell: header, navigation for the signed-in role, the sign-in panel when a
//! session ends, and the routes.

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;
use shared::policy::{Operation, may_globally};
use shared::role::Role;

use crate::routes::{account, home, set_password, sign_in};
use crate::session::{self, Auth};

/// Which workspaces the navigation offers to `roles`. The server refuses the rest
/// whatever the navigation shows.
pub fn workspaces(roles: &[Role]) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    if !roles.iter().all(|r| *r == Role::SystemAdministrator) {
        out.push(("/", "Reviews"));
        out.push(("/notifications", "Notifications"));
    }
    if may_globally(roles, Operation::SubmitReferral) {
        out.push(("/refer", "Refer a case"));
    }
    if roles.contains(&Role::InitialPanelMember) {
        out.push(("/panel", "Initial panel"));
    }
    if roles.contains(&Role::BoardChair) {
        out.push(("/chair", "Board Chair"));
    }
    if roles.contains(&Role::BusinessManager) {
        out.push(("/manager", "Business manager"));
    }
    if roles.iter().any(|r| shared::policy::reads_reports(shared::policy::global_capacity(*r))) {
        out.push(("/reports", "Reports"));
    }
    // Anyone may own an action; the board and the sub-group follow them all. The
    // reporting analyst reads reports only.
    if !roles.iter().all(|r| matches!(r, Role::SystemAdministrator | Role::ReportingAnalyst)) {
        out.push(("/actions", "Actions"));
    }
    // Administrators set everything up; the Board Chair and business manager approve
    // roles and read the administration audit, and the business manager invites.
    if may_globally(roles, Operation::ManageUsers)
        || roles.iter().any(|r| matches!(r, Role::BoardChair | Role::BusinessManager))
    {
        out.push(("/admin", "Administration"));
    }
    out.push(("/account", "Your account"));
    out
}

/// The pages beyond the sign-in page and the home page, each loaded from a module of
/// its own the first time it is opened (`#[lazy]`; `scripts/build-client.sh` splits the
/// module after linking), so that the first load carries the shell, sign-in and home.
mod lazy {
    use leptos::prelude::*;

    #[allow(unused_imports)]
    use crate::routes::*;

    macro_rules! page {
        ($name:ident, $($view:ident)::+) => {
            #[leptos::lazy]
            pub fn $name() -> AnyView {
                $($view)::+().into_any()
            }
        };
    }

    page!(refer_page, refer::Refer);
    page!(panel_queue_page, queues::PanelQueuePage);
    page!(chair_queue_page, queues::ChairQueuePage);
    page!(manager_queue_page, queues::ManagerQueuePage);
    page!(review_pages, review_page::ReviewPage);
    page!(imr_page, imr::ImrPage);
    page!(chronology_page, chronology::ChronologyPage);
    page!(documents_page, documents::DocumentsPage);
    page!(actions_page, actions::ActionsPage);
    page!(reports_page, reports::ReportsPage);
    page!(notifications_page, reports::NotificationsPage);
    page!(admin_page, admin::Admin);
    page!(people_page, admin::people::PeoplePage);
    page!(person_page, admin::person::PersonPage);
    page!(invite_page, admin::invite::InvitePage);
    page!(organisations_page, admin::organisations::OrganisationsPage);
    page!(approvals_page, admin::approvals::ApprovalsPage);
    page!(audit_page, admin::audit::AuditPage);
}

/// A page from its own module, with "Loading…" while the module arrives.
fn later(page: impl std::future::Future<Output = AnyView> + 'static) -> impl IntoView {
    let page = send_wrapper::SendWrapper::new(page);
    // A transition, not a suspense: it shows "Loading…" only until the module arrives,
    // never again when the page reloads its data (which would redraw the page).
    view! { <Transition fallback=|| view! { <crate::components::Loading/> }>{Suspend::new(page)}</Transition> }
}

/// What a visitor who is not signed in sees: the page that sets a password from a
/// one-time link, or the sign-in page.
#[component]
fn SignedOut() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    move || {
        if location.pathname.get() == "/set-password" {
            view! { <set_password::SetPasswordPage/> }.into_any()
        } else {
            view! { <sign_in::SignInPage/> }.into_any()
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    let auth = Auth::new();
    session::install(auth);
    provide_context(auth);
    // Typing and clicking keep a session in use; a timer renews it and warns before
    // the idle limit.
    let listeners = [
        window_event_listener(leptos::ev::keydown, |_| session::touch()),
        window_event_listener(leptos::ev::pointerdown, |_| session::touch()),
        window_event_listener(leptos::ev::input, |_| session::touch()),
    ];
    let leaving = crate::drafts::guard_leaving();
    let ticker = set_interval_with_handle(move || session::tick(auth), std::time::Duration::from_secs(2)).ok();
    on_cleanup(move || {
        for l in listeners.into_iter().chain(leaving) {
            l.remove();
        }
        if let Some(t) = ticker {
            t.clear();
        }
    });
    leptos::task::spawn_local(session::resume(auth));
    let stay = move |_| {
        leptos::task::spawn_local(async move {
            if !session::renew().await {
                auth.expired.set(true);
            }
        });
    };
    view! {
        <Router>
            <a href="#main-content" class="govuk-skip-link" on:click=|ev: leptos::ev::MouseEvent| {
                // The router would treat the fragment as a navigation: move focus instead.
                ev.prevent_default();
                crate::page::focus("main-content");
            }>"Skip to main content"</a>
            <FocusOnNavigation/>
            <Header/>
            <div class="govuk-width-container">
                <Show when=move || auth.idle_warning.get() && !auth.expired.get()>
                    <div class="govuk-notification-banner" role="alert" aria-labelledby="idle-title" id="idle-warning">
                        <div class="govuk-notification-banner__header">
                            <h2 class="govuk-notification-banner__title" id="idle-title">"Important"</h2>
                        </div>
                        <div class="govuk-notification-banner__content">
                            <p class="govuk-notification-banner__heading">
                                {move || {
                                    let at = auth.session.with(|s| s.as_ref().map(|s| crate::format::time_of(&s.idle_ends_at)).unwrap_or_default());
                                    format!("You will be signed out at {at} because nothing has been done for a while. What you typed is kept either way.")
                                }}
                            </p>
                            <button type="button" class="govuk-button" id="stay-signed-in" on:click=stay>"Stay signed in"</button>
                        </div>
                    </div>
                </Show>
                <Show when=move || auth.expired.get()>
                    <div class="govuk-notification-banner" role="region" aria-labelledby="expired-title">
                        <div class="govuk-notification-banner__header">
                            <h2 class="govuk-notification-banner__title" id="expired-title">"Signed out"</h2>
                        </div>
                        <div class="govuk-notification-banner__content">
                            <p class="govuk-notification-banner__heading">
                                "Your session has ended. Sign in again below: what you typed on this page is kept."
                            </p>
                            <sign_in::SignInForm/>
                        </div>
                    </div>
                </Show>
                <main class="govuk-main-wrapper" id="main-content" role="main" tabindex="-1">
                    <Show when=move || auth.session.with(Option::is_some) fallback=|| view! { <SignedOut/> }>
                        <Routes fallback=|| view! { <NotFound/> }>
                            <Route path=path!("/") view=home::Home/>
                            <Route path=path!("/refer") view=|| later(lazy::refer_page())/>
                            <Route path=path!("/panel") view=|| later(lazy::panel_queue_page())/>
                            <Route path=path!("/chair") view=|| later(lazy::chair_queue_page())/>
                            <Route path=path!("/manager") view=|| later(lazy::manager_queue_page())/>
                            <Route path=path!("/reviews/:id") view=|| later(lazy::review_pages())/>
                            <Route path=path!("/reviews/:id/tasks/:task") view=|| later(lazy::review_pages())/>
                            <Route path=path!("/reviews/:id/imrs/:imr") view=|| later(lazy::imr_page())/>
                            <Route path=path!("/reviews/:id/chronology") view=|| later(lazy::chronology_page())/>
                            <Route path=path!("/reviews/:id/report") view=|| later(lazy::documents_page())/>
                            <Route path=path!("/actions") view=|| later(lazy::actions_page())/>
                            <Route path=path!("/reports") view=|| later(lazy::reports_page())/>
                            <Route path=path!("/notifications") view=|| later(lazy::notifications_page())/>
                            <Route path=path!("/admin") view=|| later(lazy::admin_page())/>
                            <Route path=path!("/admin/people") view=|| later(lazy::people_page())/>
                            <Route path=path!("/admin/people/:id") view=|| later(lazy::person_page())/>
                            <Route path=path!("/admin/invite") view=|| later(lazy::invite_page())/>
                            <Route path=path!("/admin/organisations") view=|| later(lazy::organisations_page())/>
                            <Route path=path!("/admin/approvals") view=|| later(lazy::approvals_page())/>
                            <Route path=path!("/admin/audit") view=|| later(lazy::audit_page())/>
                            <Route path=path!("/account") view=account::AccountPage/>
                        </Routes>
                    </Show>
                </main>
            </div>
            <footer class="govuk-footer" role="contentinfo">
                <div class="govuk-width-container">
                    <p class="govuk-footer__meta-custom">
                        "Serious Case Reviews: Stockport Safeguarding Children Board procedure, chapter 11."
                    </p>
                </div>
            </footer>
        </Router>
    }
}

#[component]
fn Header() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let changed = RwSignal::new(0u32);
    provide_context(crate::page::UnreadChanged(changed));
    let location = leptos_router::hooks::use_location();
    let menu_open = RwSignal::new(false);
    // Following a link closes the menu.
    Effect::new(move |_| {
        location.pathname.track();
        menu_open.set(false);
    });
    // The unread count beside "Notifications", asked again on each page and after marking.
    let unread = LocalResource::new(move || {
        let signed_in = auth.session.with(Option::is_some);
        location.pathname.track();
        changed.track();
        async move {
            if !signed_in {
                return 0;
            }
            crate::api::call::<crate::gql::UnreadCount>(crate::gql::unread_count::Variables)
                .await
                .map_or(0, |d| d.unread_notification_count)
        }
    });
    let badge = move || {
        unread.get().filter(|n| *n > 0).map(|n| {
            view! {
                " "
                <strong class="govuk-tag govuk-tag--red" id="unread-count">
                    {n.to_string()}<span class="govuk-visually-hidden">" unread"</span>
                </strong>
            }
        })
    };
    view! {
        <header class="govuk-header" data-module="govuk-header">
            <div class="govuk-header__container govuk-width-container">
                <div class="govuk-header__logo">
                    <A href="/" attr:class="govuk-header__homepage-link">
                        <span class="govuk-header__product-name">"Safeguarding children board"</span>
                    </A>
                </div>
            </div>
        </header>
        <section aria-label="Service information" class="govuk-service-navigation">
            <div class="govuk-width-container">
                <div class="govuk-service-navigation__container">
                    <span class="govuk-service-navigation__service-name">
                        <A href="/" attr:class="govuk-service-navigation__link">"Serious Case Reviews"</A>
                    </span>
                    {move || auth.session.get().map(|s| {
                        let links = workspaces(&s.roles);
                        view! {
                            <nav aria-label="Workspaces" class="govuk-service-navigation__wrapper">
                                // Under 641 pixels the links fold behind a menu button.
                                <button type="button" class="govuk-service-navigation__toggle scr-menu-toggle" aria-controls="navigation"
                                    aria-expanded=move || menu_open.get().to_string()
                                    on:click=move |_| menu_open.update(|o| *o = !*o)>"Menu"</button>
                                <ul class="govuk-service-navigation__list" class:scr-menu-closed=move || !menu_open.get() id="navigation">
                                    {links.into_iter().map(|(href, label)| view! {
                                        <li class="govuk-service-navigation__item">
                                            <A href=href attr:class="govuk-service-navigation__link">{label}{(href == "/notifications").then_some(badge)}</A>
                                        </li>
                                    }).collect_view()}
                                    <li class="govuk-service-navigation__item">
                                        <button type="button" class="govuk-service-navigation__link scr-link-button" on:click=move |_| auth.sign_out()>
                                            "Sign out"
                                        </button>
                                    </li>
                                </ul>
                            </nav>
                        }
                    })}
                </div>
            </div>
        </section>
        {move || auth.session.get().map(|s| {
            let roles: Vec<&str> = s.roles.iter().map(|r| r.title()).collect();
            view! {
                <div class="govuk-width-container">
                    <p class="govuk-body-s scr-whoami">
                        "Signed in as " <strong>{s.name.clone()}</strong> " (" {s.email.clone()} "): " {roles.join(", ")}
                    </p>
                </div>
            }
        })}
    }
}

/// After each navigation inside the client: the page's title until the page names
/// itself, and focus on the new page's main heading once it is drawn, as a page load
/// would leave a screen reader at the top of the new page.
#[component]
fn FocusOnNavigation() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        crate::page::title(default_title(&path));
        if previous.is_some_and(|p| p != path) {
            crate::page::focus_heading_when_drawn();
        }
        path
    });
}

/// The title of a page before it loads what it shows.
fn default_title(path: &str) -> &'static str {
    match path {
        "/" => "Your reviews",
        "/refer" => "Refer a case",
        "/panel" => "Initial panel",
        "/chair" => "Board Chair",
        "/manager" => "Business manager",
        "/actions" => "Actions",
        "/reports" => "Reports",
        "/notifications" => "Notifications",
        "/account" => "Your account",
        p if p.starts_with("/admin") => "Administration",
        p if p.starts_with("/reviews/") => "Review",
        _ => "Serious Case Reviews",
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <h1 class="govuk-heading-l" tabindex="-1">"Page not found"</h1>
        <p class="govuk-body">"If you typed the web address, check it is correct."</p>
        <p class="govuk-body"><A href="/" attr:class="govuk-link">"Go to your reviews"</A></p>
    }
}
