//! The `scr` server: the Serious Case Review records behind a GraphQL API with
//! role-based access. See ARCHITECTURE.md for the map.

pub mod access;
pub mod anonymise;
pub mod app;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod completion;
pub mod config;
pub mod context;
pub mod db;
pub mod entities;
pub mod errors;
pub mod exports;
pub mod findings;
pub mod graphql;

pub mod decision_phase;
pub mod mail;
pub mod metrics;
pub mod notify;
pub mod people;
pub mod public;
pub mod reporting;
pub mod review_phase;
pub mod seed;
mod seed_review;
pub(crate) mod step;
pub mod stored;
pub mod synthetic;
pub mod users;
