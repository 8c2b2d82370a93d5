//! How often and how patiently outbound calls are retried after I/O failures.

use std::time::Duration;

/// Attempts in total (not retries) and the back-off base: the wait after attempt `n` fails is
/// `base × n²` (200 ms, 800 ms with the defaults, as in the Kotlin retry interceptor).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub attempts: u32,
    pub base: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: 3,
            base: Duration::from_millis(200),
        }
    }
}

impl RetryPolicy {
    /// The wait after the 1-based `attempt` has failed.
    pub fn backoff(&self, attempt: u32) -> Duration {
        self.base.saturating_mul(attempt.saturating_mul(attempt))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_with_the_square_of_the_attempt() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.backoff(1), Duration::from_millis(200));
        assert_eq!(policy.backoff(2), Duration::from_millis(800));
        assert_eq!(policy.backoff(3), Duration::from_millis(1800));
        // Saturates instead of overflowing.
        assert_eq!(
            policy.backoff(u32::MAX),
            Duration::from_millis(200).saturating_mul(u32::MAX)
        );
    }
}
