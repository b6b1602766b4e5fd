//! UI pieces shared by several features: the form kit (fields, errors, the no-JavaScript
//! round trip), alerts, tables and badges, and the addresses of the pages.

pub mod alerts;
pub mod change_requests;
pub mod diff;
pub mod form;
pub mod history;
pub mod paths;
pub mod permissions;
pub mod round_trip;
pub mod status;

pub use alerts::{loaded, loaded_list, ErrorAlert};
pub use change_requests::{ChangeRequestTable, ChangeStatusBadge, SeverityBadge};
pub use diff::{ChangeTable, DiffView, JsonView};
pub use form::{action_error, field_error, FieldErrorText, FormAlert, ModelField, TextField};
pub use history::{HistoryTable, RecentHistory};
pub use permissions::{IfAllowed, SignedInUser};
pub use status::StatusBadge;
