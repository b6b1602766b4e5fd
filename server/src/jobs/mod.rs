//! Background work that runs beside the web server.

pub mod rollouts;
