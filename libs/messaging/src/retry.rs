//! Which errors are worth retrying in-process, and the back-off between tries.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Marks an error as transient (worth another try): wrap with `Transient::wrap(e)` or `.context(Transient)`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Transient;

impl fmt::Display for Transient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("transient failure")
    }
}

impl std::error::Error for Transient {}

impl Transient {
    pub fn wrap(error: impl Into<anyhow::Error>) -> anyhow::Error {
        error.into().context(Transient)
    }
}

/// One test of an error: true when it is worth retrying.
pub type TransientCheck = fn(&anyhow::Error) -> bool;

/// Decides whether an error is transient. Libraries that know their own error types (database,
/// upstream HTTP) provide one each; [`TransientClassifier::any_of`] combines them.
#[derive(Clone)]
pub struct TransientClassifier {
    checks: Arc<Vec<TransientCheck>>,
}

impl fmt::Debug for TransientClassifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TransientClassifier({} checks)", self.checks.len())
    }
}

impl Default for TransientClassifier {
    fn default() -> Self {
        Self::any_of(vec![])
    }
}

impl TransientClassifier {
    /// The marker [`Transient`] and I/O errors always count; `extra` adds more.
    pub fn any_of(extra: Vec<TransientCheck>) -> Self {
        let mut checks: Vec<TransientCheck> = vec![is_marked_transient, is_io_error];
        checks.extend(extra);
        Self {
            checks: Arc::new(checks),
        }
    }

    pub fn is_transient(&self, error: &anyhow::Error) -> bool {
        self.checks.iter().any(|check| check(error))
    }
}

fn is_marked_transient(error: &anyhow::Error) -> bool {
    // `downcast_ref` finds the marker when it was attached with `.context(Transient)`.
    error.downcast_ref::<Transient>().is_some() || error.chain().any(|e| e.is::<Transient>())
}

fn is_io_error(error: &anyhow::Error) -> bool {
    error.chain().any(|e| e.is::<std::io::Error>())
}

/// Attempts and quadratic back-off: `base × attempt²` after each failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub attempts: u32,
    pub base_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: 3,
            base_delay: Duration::from_millis(100),
        }
    }
}

impl RetryPolicy {
    /// The pause after failed attempt number `attempt` (1-based).
    pub fn delay_after(&self, attempt: u32) -> Duration {
        self.base_delay * attempt.saturating_mul(attempt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_is_quadratic() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay_after(1), Duration::from_millis(100));
        assert_eq!(p.delay_after(2), Duration::from_millis(400));
    }

    #[test]
    fn classifies_marker_io_and_extra_checks() {
        let c = TransientClassifier::default();
        assert!(c.is_transient(&Transient::wrap(anyhow::anyhow!("lock"))));
        assert!(c.is_transient(&anyhow::Error::from(std::io::Error::other("reset"))));
        assert!(!c.is_transient(&anyhow::anyhow!("bad data")));
        fn says_yes(e: &anyhow::Error) -> bool {
            e.to_string() == "retry me"
        }
        assert!(
            TransientClassifier::any_of(vec![says_yes]).is_transient(&anyhow::anyhow!("retry me"))
        );
    }
}
