//! Who is signed in. The token lives in memory (a signal) and in the tab's session
//! storage, so it survives a reload of the page but not the closing of the tab.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use shared::role::Role;

const KEY: &str = "scr.session";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub token: String,
    pub expires_at: String,
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub roles: Vec<Role>,
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
    /// Set when the server says the token is no longer good: the page stays as it is
    /// (with whatever was typed) and a sign-in panel appears above it.
    pub expired: RwSignal<bool>,
}

impl Auth {
    pub fn new() -> Self {
        Self { session: RwSignal::new(load()), expired: RwSignal::new(false) }
    }

    pub fn sign_in(&self, s: Session) {
        save(&s);
        self.session.set(Some(s));
        self.expired.set(false);
    }

    pub fn sign_out(&self) {
        clear();
        self.session.set(None);
        self.expired.set(false);
    }
}

thread_local! {
    static AUTH: std::cell::Cell<Option<Auth>> = const { std::cell::Cell::new(None) };
}

/// Makes `auth` reachable from the network layer, which runs outside components.
pub fn install(auth: Auth) {
    AUTH.with(|a| a.set(Some(auth)));
}

pub fn installed() -> Option<Auth> {
    AUTH.with(|a| a.get())
}
