//! The `scr` server: the Serious Case Review records behind a GraphQL API with
//! role-based access. See ARCHITECTURE.md for the map.
//!
//! Feature folders, one per phase of the procedure or concern, each holding its steps
//! and its GraphQL objects and resolvers (`graphql.rs`): they import the common
//! modules below, never each other. The GraphQL root (`graphql/`) composes them, the
//! HTTP adapter (`app.rs`) serves them, and the demo (`seed/`) drives them.

// Feature folders.
pub mod attention;
pub mod completion;
pub mod decision;
pub mod exports;
pub mod findings;
pub mod organisations;
pub mod people;
pub mod rapid_review;
pub mod reporting;
pub mod review;
pub mod seed;
pub mod users;

// What composes the features: the GraphQL root, the HTTP adapter, `scr init`.
pub mod app;
pub mod graphql;
pub mod init;

// Common modules: what every feature builds on.
pub mod access;
pub mod anonymise;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod config;
pub mod context;
pub mod db;
pub mod edge;
pub mod entities;
pub mod errors;
pub mod mailer;
pub mod metrics;
pub mod oidc;
pub mod records;
pub mod register;
pub mod serve;
pub mod session_rules;
pub(crate) mod step;
pub mod stored;
