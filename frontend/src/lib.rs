//! The browser client of the Serious Case Review system: Leptos, client-side
//! rendered, compiled to WebAssembly and served by `scr serve`.
//!
//! `gql` (the operations) and `format` (presentation rules) build on every target
//! and are tested on the host; the user interface builds for the browser only.

pub mod format;
pub mod gql;
pub mod layout;

#[cfg(target_arch = "wasm32")]
mod api;
#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod components;
#[cfg(target_arch = "wasm32")]
mod drafts;
#[cfg(target_arch = "wasm32")]
mod page;
#[cfg(target_arch = "wasm32")]
mod responsive;
#[cfg(target_arch = "wasm32")]
mod routes;
#[cfg(target_arch = "wasm32")]
mod session;

/// Starts the client when the module loads.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
    responsive::install();
    // The first render is done when mounting returns: mark it for the first-load benchmark.
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark("scr-first-render");
    }
}
