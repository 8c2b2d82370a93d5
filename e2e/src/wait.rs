//! Bounded polling instead of sleeps.

use std::future::Future;
use std::time::Duration;

use anyhow::bail;
use tokio::time::Instant;

/// How often [`until`] checks.
pub const INTERVAL: Duration = Duration::from_millis(50);

/// Calls `check` every [`INTERVAL`] until it returns `Ok(Ok(value))`, for at most `limit`.
/// `Ok(Err(reason))` means "not yet" (the last reason is reported on time-out); `Err(e)` stops
/// waiting at once (e.g. the process being waited for has exited).
pub async fn until<T, F, Fut>(what: &str, limit: Duration, mut check: F) -> anyhow::Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = anyhow::Result<Result<T, String>>>,
{
    let started = Instant::now();
    let deadline = started + limit;
    loop {
        let reason = match check().await? {
            Ok(value) => return Ok(value),
            Err(reason) => reason,
        };
        if Instant::now() >= deadline {
            bail!(
                "{what}: still not done after {:.1?} (limit {limit:?}); last state: {reason}",
                started.elapsed()
            );
        }
        tokio::time::sleep(INTERVAL).await;
    }
}
