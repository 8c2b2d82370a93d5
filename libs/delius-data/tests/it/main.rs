//! Integration tests of delius-data against a real PostgreSQL (one database per test).

mod lookups;
mod pool;
mod schema;
