//! Integration tests of audit-iaps against a real PostgreSQL (one database per test).

mod business_interaction;
mod iaps;
mod record;
mod rollback;
mod service_user;
mod support;
