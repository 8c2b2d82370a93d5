//! The platform's outbound HTTP client settings.

use std::time::Duration;

pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
/// Whole-request timeout (the Kotlin services' 5 s read timeout, made a hard upper bound).
pub const TOTAL_TIMEOUT: Duration = Duration::from_secs(5);

/// A `reqwest::Client` with the platform timeouts (connect 1 s, request 5 s). Build one per
/// process and clone it: clones share the connection pool.
///
/// Fails only if the TLS backend cannot be initialised, which is a start-up error.
pub fn http_client() -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .read_timeout(TOTAL_TIMEOUT)
        .timeout(TOTAL_TIMEOUT)
        .build()
}
