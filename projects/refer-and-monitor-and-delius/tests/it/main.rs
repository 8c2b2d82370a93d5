//! Integration tests: real PostgreSQL, wiremock Refer and Monitor and HMPPS Auth, messages through
//! the platform consumer on the in-memory queue, the API through its axum router. Each test is
//! named after the spec rule or scenario it checks.

mod appointments;
mod auth;
mod events;
mod examples;
mod harness;
mod openapi;
mod reads;
mod referral_started;
mod rows;
mod seed;
