//! Drafts of long texts, kept in the tab's storage as the person types, so that a
//! reload, a lost connection or a refused save never costs a word: the text is offered
//! back when the field appears again, and cleared once a save succeeds. Leaving a page
//! that holds such unsaved text asks first.

use std::cell::RefCell;

const PREFIX: &str = "scr-draft:";

thread_local! {
    /// The draft keys of the fields on the page now.
    static MOUNTED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// The unsaved text kept under `key`.
pub fn read(key: &str) -> Option<String> {
    storage()?.get_item(&format!("{PREFIX}{key}")).ok().flatten()
}

/// Keeps `text` under `key` until it is saved.
pub fn write(key: &str, text: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(&format!("{PREFIX}{key}"), text);
    }
}

/// Forgets the text under `key`.
pub fn clear(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&format!("{PREFIX}{key}"));
    }
}

/// Forgets every draft whose key starts with `prefix`: a form's fields after it saved.
pub fn saved(prefix: &str) {
    let Some(s) = storage() else { return };
    let wanted = format!("{PREFIX}{prefix}");
    let keys: Vec<String> = (0..s.length().unwrap_or(0))
        .filter_map(|i| s.key(i).ok().flatten())
        .filter(|k| k.starts_with(&wanted))
        .collect();
    for k in keys {
        let _ = s.remove_item(&k);
    }
}

/// A field with a draft is on the page; `forget` when it leaves.
pub fn mounted(key: &str) {
    MOUNTED.with(|m| m.borrow_mut().push(key.to_owned()));
}

pub fn forget(key: &str) {
    MOUNTED.with(|m| {
        let mut m = m.borrow_mut();
        if let Some(i) = m.iter().position(|k| k == key) {
            m.remove(i);
        }
    });
}

/// Whether a field on the page holds text that is not saved.
pub fn any_unsaved() -> bool {
    MOUNTED.with(|m| m.borrow().iter().any(|k| read(k).is_some()))
}

/// Asks before leaving a page with unsaved text: the browser's own question when the
/// tab is closed or reloaded, and a question before a link inside the client is
/// followed (the text stays kept in the tab either way).
pub fn guard_leaving() -> [leptos::prelude::WindowListenerHandle; 2] {
    use leptos::prelude::window_event_listener;
    use wasm_bindgen::JsCast;
    let unload = window_event_listener(leptos::ev::beforeunload, |ev| {
        if any_unsaved() {
            ev.prevent_default();
            ev.set_return_value("You have unsaved changes.");
        }
    });
    let links = window_event_listener(leptos::ev::click, |ev| {
        if ev.default_prevented() || ev.button() != 0 || ev.ctrl_key() || ev.meta_key() || ev.shift_key() {
            return;
        }
        let anchor = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten());
        let Some(anchor) = anchor else { return };
        let href = anchor.get_attribute("href").unwrap_or_default();
        if href.starts_with('#') || !any_unsaved() {
            return;
        }
        let leave = web_sys::window()
            .and_then(|w| {
                w.confirm_with_message(
                    "You have changes that are not saved. They are kept in this tab and offered back when you return. Leave this page?",
                )
                .ok()
            })
            .unwrap_or(true);
        if !leave {
            ev.prevent_default();
            ev.stop_immediate_propagation();
        }
    });
    [unload, links]
}
