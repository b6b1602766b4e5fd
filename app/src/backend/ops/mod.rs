//! Use-cases shared by server functions and `/api/v1`: validate, (authorize), record
//! history, call AWS, record the outcome. One place, so the UI and the API cannot drift.

pub mod accounts;
pub mod change_requests;
pub mod clusters;
pub mod history;
pub mod roles;
pub mod rollouts;
pub mod services;
pub mod task_definitions;
