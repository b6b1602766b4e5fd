//! One folder per area a user sees: its pages, components and server functions.

pub mod account;
pub mod audit;
pub mod change_requests;
pub mod clusters;
pub mod dashboard;
pub mod environment;
pub mod history;
pub mod home;
pub mod roles;
pub mod services;
pub mod sign_in;
pub mod task_definitions;
pub mod users;
