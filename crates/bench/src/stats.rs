//! Per-message latencies and their percentiles.

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use serde::Serialize;

/// Durations recorded from many tasks at once (a short lock per sample; the lock is never held
/// across an await).
#[derive(Debug, Default)]
pub struct Latencies {
    nanos: Mutex<Vec<u64>>,
}

/// Nearest-rank percentiles of the recorded durations, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LatencySummary {
    pub samples: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

impl Latencies {
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            nanos: Mutex::new(Vec::with_capacity(capacity)),
        }
    }

    fn samples(&self) -> MutexGuard<'_, Vec<u64>> {
        // Pushing a number cannot leave the vector inconsistent, so a poisoned lock is usable.
        self.nanos
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn record(&self, elapsed: Duration) {
        let nanos = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        self.samples().push(nanos);
    }

    /// `None` when nothing was recorded.
    pub fn summary(&self) -> Option<LatencySummary> {
        let mut sorted = self.samples().clone();
        sorted.sort_unstable();
        let max = *sorted.last()?;
        Some(LatencySummary {
            samples: sorted.len(),
            p50_ms: millis(percentile(&sorted, 50.0)),
            p99_ms: millis(percentile(&sorted, 99.0)),
            max_ms: millis(max),
        })
    }
}

fn millis(nanos: u64) -> f64 {
    nanos as f64 / 1_000_000.0
}

/// Nearest rank: the smallest sample with at least `p` percent of samples at or below it.
/// `sorted` must be non-empty and ascending.
fn percentile(sorted: &[u64], p: f64) -> u64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    let index = rank.clamp(1, sorted.len()) - 1;
    sorted[index]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let sorted: Vec<u64> = (1..=100).collect();
        assert_eq!(percentile(&sorted, 50.0), 50);
        assert_eq!(percentile(&sorted, 99.0), 99);
        assert_eq!(percentile(&[7], 99.0), 7);
    }

    #[test]
    fn summary_in_milliseconds() {
        let l = Latencies::default();
        assert_eq!(l.summary(), None);
        for ms in [1, 2, 3, 4] {
            l.record(Duration::from_millis(ms));
        }
        let s = l.summary().expect("samples were recorded");
        assert_eq!(s.samples, 4);
        assert_eq!(s.p50_ms, 2.0);
        assert_eq!(s.p99_ms, 4.0);
        assert_eq!(s.max_ms, 4.0);
    }
}
