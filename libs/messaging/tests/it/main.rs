//! Messaging integration tests: the consumer on the in-memory queue, the same behaviours against
//! the real SQS/SNS API of the local emulator, publishing, and detailUrl fetching.

mod batching;
mod consumer;
mod detail;
mod handlers;
mod localstack;
mod recording;
mod sqs_emulator;
