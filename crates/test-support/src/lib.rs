//! Test support shared by every crate: a database per test, a fake HMPPS Auth with token minting,
//! a consumer on an in-memory queue with publish-and-wait, row builders and message fixtures.

pub mod auth;
pub mod bench;
pub mod builders;
pub mod db;
pub mod fixtures;
pub mod messaging;
pub mod sqs;

pub use builders::{ContactTypeBuilder, PersonBuilder};
pub use db::TestDatabase;
pub use messaging::TestConsumer;
