//! IAM roles and policies as the portal changes them: policy documents and their linter,
//! IAM's limits, least-privilege templates, change requests (payload, hash, state machine)
//! and line diffs between document versions. Pure: no I/O, built for server and browser.

pub mod change_request;
pub mod diff;
pub mod form;
pub mod limits;
pub mod lint;
pub mod live;
pub mod policy;
pub mod role;
pub mod templates;
pub mod trust;
