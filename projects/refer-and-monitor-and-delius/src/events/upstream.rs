//! GET a `detailUrl` from Refer and Monitor: only allow-listed hosts, with the message's trace
//! context. A 404 means R&M no longer has the record, so the message is ignored; an empty or
//! `null` body is "nothing returned", which each event reports in its own words.

use auth::outbound::UpstreamError;
use messaging::detail::DetailError;
use messaging::Ignored;
use serde::de::DeserializeOwned;

use super::Common;
use crate::context::Context;

/// Telemetry of a message whose detail R&M answers 404 for.
pub const DETAIL_NOT_FOUND: &str = "ReferAndMonitorDetailNotFound";

pub async fn fetch<T: DeserializeOwned>(
    context: &Context,
    common: &Common,
    detail_url: &str,
) -> anyhow::Result<Option<T>> {
    let url = context.detail_urls.check(detail_url)?;
    let (status, body) = context
        .client
        .get_with_status(url.as_str(), &messaging::detail::trace_headers())
        .await?;
    if status == http::StatusCode::NOT_FOUND {
        let mut ignored = Ignored::new(DETAIL_NOT_FOUND);
        ignored.properties = common.properties();
        ignored
            .properties
            .insert("detailUrl".to_owned(), detail_url.to_owned());
        return Err(ignored.into());
    }
    if !status.is_success() {
        return Err(DetailError::from(UpstreamError::Status { status, url }).into());
    }
    if messaging::detail::is_no_data(&body) {
        return Ok(None);
    }
    serde_json::from_slice(&body)
        .map(Some)
        .map_err(|source| DetailError::from(UpstreamError::Decode { url, source }).into())
}
