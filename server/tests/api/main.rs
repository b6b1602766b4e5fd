//! Integration tests, one binary: the real router on a free port, a temporary SQLite file,
//! a `moto_server` child on another port. One module per area; the harness in `helpers`,
//! the seed's documents in `fixtures`.

// A failed unwrap is a failed test: the workspace's unwrap/expect lints are for server code.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;
mod helpers;

mod auth;
mod change_requests;
mod clusters;
mod history;
mod seed_flow;
mod services;
mod task_definitions;
