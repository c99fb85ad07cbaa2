//! The browser client of the Serious Case Review system (Leptos, client-side
//! rendered, compiled to WebAssembly).
//!
//! Not built yet: the workspaces, sign-in and the WebAssembly build arrive with the
//! client's own piece of work. Until then this crate only proves that the domain
//! crate it will share with the server builds here, so nothing in it is shown to
//! users.

pub use shared;
