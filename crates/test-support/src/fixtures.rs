//! Example messages kept as files: load them and point their `detailUrl` at a test server. And
//! the services' bulk people fixtures (`tests/fixtures/people.sql`) for benches and the soak.

use delius_data::DbPool;
use diesel_async::SimpleAsyncConnection;
use messaging::Notification;

/// Runs a service's `tests/fixtures/people.sql` (its text, with `{FIRST_ID}` and `{LAST_ID}`
/// placeholders) for `people` people from id `first_id`.
pub async fn load_people(
    pool: &DbPool,
    template: &str,
    first_id: i64,
    people: usize,
) -> anyhow::Result<()> {
    let last_id = first_id + people.max(1) as i64 - 1;
    let sql = template
        .replace("{FIRST_ID}", &first_id.to_string())
        .replace("{LAST_ID}", &last_id.to_string());
    pool.get().await?.batch_execute(&sql).await?;
    Ok(())
}

/// Reads an SNS notification file and replaces the `{wiremock.port}` style placeholders of the
/// example messages (`http://localhost:{wiremock.port}`) with `base_url`.
pub fn notification_from_file(
    path: impl AsRef<std::path::Path>,
    base_url: &str,
) -> anyhow::Result<Notification> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))?;
    notification_from_str(&text, base_url)
}

pub fn notification_from_str(text: &str, base_url: &str) -> anyhow::Result<Notification> {
    let base = base_url.trim_end_matches('/');
    let mut substituted = text.to_owned();
    // The examples name the mock server's port in several ways; all mean "the test server".
    for placeholder in ["{wiremock.port}", "${wiremock.port}", "{dev.wiremock.port}"] {
        substituted = substituted.replace(&format!("http://localhost:{placeholder}"), base);
    }
    Ok(Notification::parse(&substituted)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_spelling_is_replaced() {
        for placeholder in ["{wiremock.port}", "${wiremock.port}", "{dev.wiremock.port}"] {
            let text = format!(
                r#"{{"Message":"{{\"eventType\":\"x\",\"detailUrl\":\"http://localhost:{placeholder}/api/1\"}}"}}"#
            );
            let n = notification_from_str(&text, "http://127.0.0.1:9").unwrap();
            let e: messaging::HmppsDomainEvent = n.payload().unwrap();
            assert_eq!(
                e.detail_url.as_deref(),
                Some("http://127.0.0.1:9/api/1"),
                "{placeholder}"
            );
        }
    }

    #[test]
    fn detail_urls_point_at_the_test_server() {
        let text = r#"{"Message":"{\"eventType\":\"x\",\"detailUrl\":\"http://localhost:{wiremock.port}/a/1\"}","MessageAttributes":{"eventType":{"Type":"String","Value":"x"}}}"#;
        let n = notification_from_str(text, "http://127.0.0.1:4321/").unwrap();
        let e: messaging::HmppsDomainEvent = n.payload().unwrap();
        assert_eq!(e.detail_url.as_deref(), Some("http://127.0.0.1:4321/a/1"));
    }
}
