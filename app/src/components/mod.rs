//! UI pieces shared by several features.

pub mod diff;
pub mod form;
pub mod permissions;
pub mod status;

pub use diff::{DiffView, JsonView};
pub use form::{FormAlert, TextField};
pub use permissions::{IfAllowed, SignedInUser};
pub use status::StatusBadge;
