//! Messaging for the probation integration services: the SNS envelope and HMPPS event payloads,
//! a queue abstraction with SQS and in-memory backends, the concurrent consumer that turns handler
//! results into delete / retry / dead-letter decisions, the SNS publisher, `detailUrl` fetching and
//! the telemetry events every service records.

pub mod aws;
pub mod consumer;
mod deleter;
pub mod detail;
pub mod envelope;
pub mod event;
pub mod outcome;
pub mod publisher;
pub mod queue;
pub mod retry;
pub mod telemetry;
pub mod trace_context;

pub use consumer::{Consumer, ConsumerConfig, NotificationHandler};
pub use envelope::{MessageAttribute, Notification};
pub use event::{HmppsDomainEvent, PersonIdentifier, PersonReference, PrisonOffenderEvent};
pub use outcome::{Ignored, OrIgnore, Outcome, Properties};
pub use publisher::{InMemoryTopic, Publisher, SnsPublisher};
pub use queue::{
    memory::InMemoryQueue, sqs::SqsQueue, DeleteFailure, Queue, QueueError, ReceivedMessage,
};
pub use retry::{Transient, TransientClassifier};
pub use telemetry::{Telemetry, TelemetryEvent};
