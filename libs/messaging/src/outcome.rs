//! What a handler did with a message.

use std::collections::BTreeMap;
use std::fmt;

/// Telemetry properties: name -> value, ordered so logs and tests are stable.
pub type Properties = BTreeMap<String, String>;

/// A handler's successful result. Both variants delete the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The message changed (or confirmed) Delius state; `event` is the telemetry event name.
    Processed {
        event: String,
        properties: Properties,
    },
    /// The message was deliberately not acted on; `reason` is the telemetry event name.
    Ignored {
        reason: String,
        properties: Properties,
    },
}

impl Outcome {
    pub fn processed(event: impl Into<String>) -> Self {
        Self::Processed {
            event: event.into(),
            properties: Properties::new(),
        }
    }

    pub fn ignored(reason: impl Into<String>) -> Self {
        Self::Ignored {
            reason: reason.into(),
            properties: Properties::new(),
        }
    }

    pub fn with(mut self, key: &str, value: impl ToString) -> Self {
        match &mut self {
            Self::Processed { properties, .. } | Self::Ignored { properties, .. } => {
                properties.insert(key.to_owned(), value.to_string());
            }
        }
        self
    }

    pub fn with_all(mut self, extra: &Properties) -> Self {
        match &mut self {
            Self::Processed { properties, .. } | Self::Ignored { properties, .. } => {
                properties.extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
        }
        self
    }

    /// The telemetry event name of this outcome.
    pub fn name(&self) -> &str {
        match self {
            Self::Processed { event, .. } => event,
            Self::Ignored { reason, .. } => reason,
        }
    }

    pub fn properties(&self) -> &Properties {
        match self {
            Self::Processed { properties, .. } | Self::Ignored { properties, .. } => properties,
        }
    }

    pub fn is_ignored(&self) -> bool {
        matches!(self, Self::Ignored { .. })
    }

    /// A short label for metrics.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Processed { .. } => "processed",
            Self::Ignored { .. } => "ignored",
        }
    }
}

/// An "ignore this message" result raised from deep inside a handler with `?`. The consumer turns
/// it into [`Outcome::Ignored`]: the message is deleted and not retried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ignored {
    pub reason: String,
    pub properties: Properties,
}

impl Ignored {
    pub fn new(reason: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
            properties: Properties::new(),
        }
    }

    pub fn with(mut self, key: &str, value: impl ToString) -> Self {
        self.properties.insert(key.to_owned(), value.to_string());
        self
    }

    pub fn into_outcome(self) -> Outcome {
        Outcome::Ignored {
            reason: self.reason,
            properties: self.properties,
        }
    }
}

impl fmt::Display for Ignored {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "message ignored: {}", self.reason)
    }
}

impl std::error::Error for Ignored {}

/// Turns a missing value into an [`Ignored`] error, e.g. `person.or_ignore("PersonNotFound")?`.
pub trait OrIgnore<T> {
    fn or_ignore(self, reason: &str) -> Result<T, Ignored>;
}

impl<T> OrIgnore<T> for Option<T> {
    fn or_ignore(self, reason: &str) -> Result<T, Ignored> {
        self.ok_or_else(|| Ignored::new(reason))
    }
}

/// Finds an [`Ignored`] anywhere in an error's chain.
pub fn find_ignored(error: &anyhow::Error) -> Option<&Ignored> {
    error
        .downcast_ref::<Ignored>()
        .or_else(|| error.chain().find_map(|e| e.downcast_ref::<Ignored>()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn or_ignore_converts_none() {
        let missing: Option<i32> = None;
        let err = anyhow::Error::from(missing.or_ignore("PersonNotFound").unwrap_err())
            .context("while merging");
        let ignored = find_ignored(&err).expect("ignored in chain");
        assert_eq!(ignored.reason, "PersonNotFound");
        assert_eq!(Some(3).or_ignore("x"), Ok(3));
    }

    #[test]
    fn outcome_properties_accumulate() {
        let o = Outcome::processed("CaseNoteMerged")
            .with("crn", "X1")
            .with("n", 2);
        assert_eq!(o.name(), "CaseNoteMerged");
        assert_eq!(o.properties()["n"], "2");
        assert_eq!(o.label(), "processed");
    }
}
