//! Integration tests: real PostgreSQL, wiremock upstreams and HMPPS Auth, messages through the
//! platform consumer on the in-memory queue. Each test is named after the spec rule or scenario it
//! proves.

mod alerts;
mod case_notes;
mod examples;
mod failures;
mod helpers;
mod legacy;
mod migration;
mod related_records;
