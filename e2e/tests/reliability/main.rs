//! The fault suite (issue 11, `make reliability`): the built service binaries on the local stack
//! under faults, checked only from outside (the database, the queue and its dead-letter queue,
//! the exit status). Every case ends in a row of the printed table (case, messages sent, rows
//! expected, rows found, DLQ count) and the test fails if any row is not as expected.
//!
//! - [`faults`] with [`subjects`]: every service with data: PostgreSQL stopped and restarted
//!   mid-stream, the upstream failing then recovering, the upstream slower than the client
//!   timeout, SIGTERM during a burst, the same message delivered twice at once, and for the two
//!   services with an API a read while the database is down;
//! - [`bad_input`]: every service: malformed JSON, an unknown event type, missing fields and an
//!   oversized body are dead-lettered or ignored, and nothing is written.

mod bad_input;
mod faults;
mod report;
mod subjects;

use std::sync::Arc;

use subjects::workforce_allocations;
use subjects::{case_notes, custody_status, manage_pom_cases, refer_and_monitor};

#[tokio::test]
async fn case_notes_survive_faults_without_loss_or_duplicates() {
    faults::run(Arc::new(case_notes::CaseNotes)).await;
}

#[tokio::test]
async fn custody_status_survives_faults_without_loss_or_duplicates() {
    faults::run(Arc::new(custody_status::CustodyStatus)).await;
}

#[tokio::test]
async fn manage_pom_cases_survive_faults_without_loss_or_duplicates() {
    faults::run(Arc::new(manage_pom_cases::ManagePomCases)).await;
}

#[tokio::test]
async fn refer_and_monitor_survives_faults_without_loss_or_duplicates() {
    faults::run(Arc::new(refer_and_monitor::ReferAndMonitor)).await;
}

#[tokio::test]
async fn workforce_allocations_survive_faults_without_loss_or_duplicates() {
    faults::run(Arc::new(workforce_allocations::WorkforceAllocations)).await;
}
