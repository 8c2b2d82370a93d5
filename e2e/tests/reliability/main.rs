//! The fault suite (issue 11, `make reliability`): the built service binaries on the local stack
//! under faults, checked only from outside (the database, the queue and its dead-letter queue,
//! the exit status). Every case ends in a row of the printed table (case, messages sent, rows
//! expected, rows found, DLQ count) and the test fails if any row is not as expected.
//!
//! - [`workforce`]: workforce-allocations-to-delius with data: PostgreSQL stopped and restarted
//!   mid-stream, the upstream failing then recovering, the upstream slower than the client
//!   timeout, SIGTERM during a burst, the same message delivered twice at once;
//! - [`bad_input`]: every service: malformed JSON, an unknown event type, missing fields and an
//!   oversized body are dead-lettered or ignored, and nothing is written.

mod bad_input;
mod report;
mod workforce;
