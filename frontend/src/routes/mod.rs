//! One module per route area.

pub mod admin;
pub mod home;
pub mod queues;
pub mod refer;
pub mod review;
pub mod sign_in;
