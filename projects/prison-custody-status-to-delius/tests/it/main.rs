//! Integration tests: real PostgreSQL, wiremock Prison API and HMPPS Auth, messages through the
//! platform consumer on the in-memory queue. Each test is named after the spec rule or scenario.

mod examples;
mod flags;
mod helpers;
mod outbox;
mod rules;
mod scenarios;
