//! Who is signed in, and keeping them signed in while they work.
//!
//! The access token lives in memory (a signal) and in the tab's session storage, so it
//! survives a reload of the page but not the closing of the tab. It is short-lived:
//! the session is renewed through `POST /api/session/refresh`, whose refresh token is
//! an `HttpOnly` cookie this code never sees. Renewal happens before a call whose
//! token is about to run out, after a call refused for an expired token, and while the
//! person types or clicks; left alone, the session ends at the server's idle limit,
//! with a warning two minutes before.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use shared::role::Role;

const KEY: &str = "scr.session";
/// How long before the idle limit the warning shows, in milliseconds.
pub const WARN_BEFORE_MS: f64 = 120_000.0;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub token: String,
    pub expires_at: String,
    /// When the session ends unless renewed before (RFC 3339).
    #[serde(default)]
    pub idle_ends_at: String,
    /// When the session ends however busy.
    #[serde(default)]
    pub ends_at: String,
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub roles: Vec<Role>,
}

/// What a sign-in step answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    SignedIn(Session),
    /// The code from the authenticator app is asked for, with this challenge.
    EnterCode(String),
    /// A second factor must be set up first, with this challenge.
    Enrol(String),
    /// The server answered neither a session nor a challenge.
    Nothing,
}

/// The `Answer` of an operation returning a `LoginResult` (`$m` is the operation's
/// generated module: each has its own types).
#[macro_export]
macro_rules! answer {
    ($a:expr, $m:ident) => {{
        let a = $a;
        let enrol = matches!(a.second_factor, $m::SecondFactorStep::ENROL);
        match (a.token, a.user, a.challenge) {
            (Some(token), Some(u), _) => $crate::session::Answer::SignedIn($crate::session::Session {
                token,
                expires_at: a.expires_at.unwrap_or_default(),
                idle_ends_at: a.idle_ends_at.unwrap_or_default(),
                ends_at: a.ends_at.unwrap_or_default(),
                user_id: u.id,
                name: u.name,
                email: u.email,
                roles: u.roles.into_iter().map(|r| r.role).collect(),
            }),
            (_, _, Some(ch)) if enrol => $crate::session::Answer::Enrol(ch),
            (_, _, Some(ch)) => $crate::session::Answer::EnterCode(ch),
            _ => $crate::session::Answer::Nothing,
        }
    }};
}

fn storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

pub fn load() -> Option<Session> {
    storage()?.get_item(KEY).ok().flatten().and_then(|s| serde_json::from_str(&s).ok())
}

pub fn save(s: &Session) {
    if let (Some(st), Ok(json)) = (storage(), serde_json::to_string(s)) {
        let _ = st.set_item(KEY, &json);
    }
}

pub fn clear() {
    if let Some(st) = storage() {
        let _ = st.remove_item(KEY);
    }
}

/// The signed-in state every page reads.
#[derive(Debug, Clone, Copy)]
pub struct Auth {
    pub session: RwSignal<Option<Session>>,
    /// Set when the server says the session is over: the page stays as it is (with
    /// whatever was typed) and a sign-in panel appears above it.
    pub expired: RwSignal<bool>,
    /// Set two minutes before the idle limit, until the session is renewed.
    pub idle_warning: RwSignal<bool>,
}

impl Auth {
    pub fn new() -> Self {
        Self { session: RwSignal::new(load()), expired: RwSignal::new(false), idle_warning: RwSignal::new(false) }
    }

    pub fn sign_in(&self, s: Session) {
        save(&s);
        RENEWED_AT.with(|r| r.set(now_ms()));
        self.session.set(Some(s));
        self.expired.set(false);
        self.idle_warning.set(false);
    }

    /// Signs out here and ends the session on the server.
    pub fn sign_out(&self) {
        let auth = *self;
        leptos::task::spawn_local(async move {
            // The server ends the session first; offline, this tab forgets it anyway.
            let _ = gloo_net::http::Request::post("/api/session/sign-out").header(SESSION_HEADER, "1").send().await;
            clear();
            auth.session.set(None);
            auth.expired.set(false);
            auth.idle_warning.set(false);
        });
    }
}

thread_local! {
    static AUTH: std::cell::Cell<Option<Auth>> = const { std::cell::Cell::new(None) };
    static RENEWING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static RENEWED_AT: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
    static ACTIVE_AT: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
}

/// Makes `auth` reachable from the network layer, which runs outside components.
pub fn install(auth: Auth) {
    AUTH.with(|a| a.set(Some(auth)));
}

pub fn installed() -> Option<Auth> {
    AUTH.with(|a| a.get())
}

/// The header the session routes require (a page of another origin cannot send it).
const SESSION_HEADER: &str = "X-SCR-Session";

pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn at_ms(rfc3339: &str) -> Option<f64> {
    let ms = js_sys::Date::parse(rfc3339);
    (!ms.is_nan()).then_some(ms)
}

/// Whether the token runs out within `margin_ms`.
pub fn expires_within(s: &Session, margin_ms: f64) -> bool {
    at_ms(&s.expires_at).is_some_and(|t| t - now_ms() < margin_ms)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Renewed {
    token: String,
    expires_at: String,
    idle_ends_at: String,
    ends_at: String,
    user: RenewedUser,
}

#[derive(Deserialize)]
struct RenewedUser {
    id: i64,
    name: String,
    email: String,
    roles: Vec<Role>,
}

async fn pause(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window().map(|w| w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms));
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

async fn refresh() -> Option<Renewed> {
    match gloo_net::http::Request::post("/api/session/refresh").header(SESSION_HEADER, "1").send().await {
        Ok(res) if res.ok() => res.json::<Renewed>().await.ok(),
        _ => None,
    }
}

/// Renews the session: a new access token, the idle limit moved on. One renewal at a
/// time (a refresh token is good once); a caller arriving during one waits for it.
/// False when the server refused (the session is over).
pub async fn renew() -> bool {
    if RENEWING.with(|r| r.replace(true)) {
        while RENEWING.with(std::cell::Cell::get) {
            pause(50).await;
        }
        return installed().is_some_and(|a| a.session.get_untracked().is_some() && !a.expired.get_untracked());
    }
    let mut renewed = refresh().await;
    if renewed.is_none() {
        // Another tab may have renewed with the same cookie a moment ago: the browser
        // now holds the newer one.
        pause(300).await;
        renewed = refresh().await;
    }
    let auth = installed();
    // Only the person signed in here: a cookie of someone else's session (set by a
    // sign-in elsewhere in this browser) never switches this tab to their account.
    let same = |r: &Renewed| auth.and_then(|a| a.session.get_untracked()).is_none_or(|s| s.user_id == r.user.id);
    let renewed = renewed.filter(same);
    let ok = renewed.is_some();
    if let (Some(r), Some(auth)) = (renewed, auth) {
        auth.sign_in(Session {
            token: r.token,
            expires_at: r.expires_at,
            idle_ends_at: r.idle_ends_at,
            ends_at: r.ends_at,
            user_id: r.user.id,
            name: r.user.name,
            email: r.user.email,
            roles: r.user.roles,
        });
    }
    RENEWING.with(|r| r.set(false));
    ok
}

/// Notes that the person did something (typed, clicked): a session in use is renewed.
pub fn touch() {
    ACTIVE_AT.with(|a| a.set(now_ms()));
}

/// Runs every few seconds: renews a session in use before its token runs out, warns
/// before the idle limit of one left alone, and shows the sign-in panel after it.
pub fn tick(auth: Auth) {
    let Some(s) = auth.session.get_untracked() else { return };
    if auth.expired.get_untracked() || RENEWING.with(std::cell::Cell::get) {
        return;
    }
    let now = now_ms();
    let (renewed, active) = (RENEWED_AT.with(std::cell::Cell::get), ACTIVE_AT.with(std::cell::Cell::get));
    let life = at_ms(&s.expires_at).map_or(60_000.0, |e| e - renewed);
    if active > renewed && now - renewed > f64::min(60_000.0, life / 2.0) {
        leptos::task::spawn_local(async move {
            if !renew().await {
                auth.expired.set(true);
            }
        });
        return;
    }
    let Some(idle_end) = at_ms(&s.idle_ends_at) else { return };
    if now >= idle_end {
        auth.idle_warning.set(false);
        auth.expired.set(true);
    } else {
        let warn = idle_end - now <= WARN_BEFORE_MS;
        if auth.idle_warning.get_untracked() != warn {
            auth.idle_warning.set(warn);
        }
    }
}

/// Restores a session from its cookie when the tab holds none (a new tab, a reload
/// after the tab's storage was cleared).
pub async fn resume(auth: Auth) {
    if auth.session.get_untracked().is_none() {
        let _ = renew().await;
    } else {
        RENEWED_AT.with(|r| r.set(now_ms()));
    }
}
