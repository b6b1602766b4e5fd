//! Pure types and rules: no I/O, compiled for the server and the browser alike, so the
//! form's live feedback and the server's final check are the same code.

pub mod accounts;
pub mod clusters;
pub mod environment;
pub mod forms;
pub mod history;
pub mod iam;
pub mod images;
pub mod names;
pub mod permissions;
pub mod services;
pub mod task_definitions;
pub mod url;
