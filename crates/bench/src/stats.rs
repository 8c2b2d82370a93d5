//! Per-message latencies and their percentiles: the shared benchmark toolkit's.

pub use test_support::bench::{Latencies, LatencySummary};
