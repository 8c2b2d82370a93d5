//! Handlers with scripted behaviour that record what they were given.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use messaging::{Ignored, Notification, NotificationHandler, Outcome, Transient};

/// What the scripted handler does with a payload, decided by the payload's `action` field.
#[derive(Default)]
pub struct ScriptedHandler {
    pub calls: AtomicUsize,
    pub handled: Mutex<Vec<String>>,
}

impl ScriptedHandler {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    pub fn handled(&self) -> Vec<String> {
        self.handled.lock().unwrap().clone()
    }
}

/// A payload that tells [`ScriptedHandler`] what to do.
pub fn scripted(event_type: &str, action: &str) -> Notification {
    Notification::for_event(
        event_type,
        &serde_json::json!({"eventType": event_type, "action": action}),
    )
    .unwrap()
}

#[async_trait]
impl NotificationHandler for ScriptedHandler {
    async fn handle(&self, notification: &Notification) -> anyhow::Result<Outcome> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let payload: serde_json::Value = notification.payload()?;
        let action = payload["action"].as_str().unwrap_or("process").to_owned();
        let outcome = match action.as_str() {
            "process" => Ok(Outcome::processed("ThingDone").with("action", &action)),
            "ignore" => Ok(Outcome::ignored("NothingToDo").with("why", "test")),
            "ignore-deep" => Err(anyhow::Error::from(
                Ignored::new("PersonNotFound").with("noms", "A1"),
            )
            .context("looking up")),
            "transient" => Err(Transient::wrap(anyhow::anyhow!("lock conflict"))),
            "permanent" => Err(anyhow::anyhow!("no such contact type")),
            "slow" => {
                tokio::time::sleep(Duration::from_millis(2500)).await;
                Ok(Outcome::processed("SlowThingDone"))
            }
            "sleep-300ms" => {
                tokio::time::sleep(Duration::from_millis(300)).await;
                Ok(Outcome::processed("ThingDone"))
            }
            other => Err(anyhow::anyhow!("unknown action {other}")),
        };
        if outcome.is_ok() {
            self.handled.lock().unwrap().push(action);
        }
        outcome
    }
}

/// Fails with a transient error `failures` times, then succeeds.
pub struct FlakyHandler {
    pub failures: usize,
    pub calls: AtomicUsize,
}

#[async_trait]
impl NotificationHandler for FlakyHandler {
    async fn handle(&self, _: &Notification) -> anyhow::Result<Outcome> {
        let call = self.calls.fetch_add(1, Ordering::SeqCst);
        if call < self.failures {
            Err(Transient::wrap(anyhow::anyhow!("deadlock detected")))
        } else {
            Ok(Outcome::processed("RecoveredAfterRetry"))
        }
    }
}
