//! The auth crate's integration tests: one binary, a module per feature.

mod helpers;
mod inbound;
mod outbound;
