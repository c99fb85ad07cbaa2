//! One module per route area.

pub mod account;
pub mod actions;
pub mod admin;
pub mod chronology;
pub mod completion;
pub mod decision;
pub mod documents;
pub mod findings;
pub mod home;
pub mod imr;
pub mod people;
pub mod queues;
pub mod rapid_review;
pub mod refer;
pub mod reports;
pub mod review;
pub mod review_page;
pub mod set_password;
pub mod sign_in;
pub mod tasks;
