//! Integration tests: real PostgreSQL with the service's seed (dev-seed.sql), wiremock standing
//! in for HMPPS Workload and HMPPS Auth, messages through the platform consumer on the in-memory
//! queue. Each test is named after the spec scenario or rule it checks.

mod component;
mod concurrency;
mod event;
mod examples;
mod failures;
mod harness;
mod person;
mod validation;
