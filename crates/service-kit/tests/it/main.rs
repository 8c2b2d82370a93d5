//! The operational endpoints every service serves, and the metrics the consumer records.

mod ops;
mod platform;
