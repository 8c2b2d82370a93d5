//! The outbox against a real PostgreSQL database per test and, for publishing, the SNS/SQS
//! emulator: rows published with their attributes and deleted, failures left for the next poll,
//! replicas sharing the table without publishing a row twice or out of order per CRN, and a
//! restart carrying on with what is left.

mod helpers;
mod ordering;
mod publishing;
