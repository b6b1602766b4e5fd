//! UI pieces shared by several features.

pub mod form;
pub mod status;

pub use form::{FormAlert, TextField};
pub use status::StatusBadge;
