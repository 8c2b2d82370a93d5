//! Integration tests: real PostgreSQL, wiremock Manage POM Cases and HMPPS Auth, messages through
//! the platform consumer on the in-memory queue, the API through its axum router. Each test is
//! named after the spec rule or scenario it checks.

mod allocation;
mod api;
mod bulk;
mod examples;
mod handover;
mod harness;
mod prison_identifier;
mod routing;
mod seed;
