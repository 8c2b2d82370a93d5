//! The database-outage case for a service's HTTP API: while PostgreSQL is down a call answers
//! 503 at once (try again; not a hang or a bare 500) and writes nothing; once it is back the
//! same call succeeds, and a write retried by its client leaves its rows exactly once.

use std::time::Duration;

use e2e::db;
use tokio::time::Instant;

use super::{ApiCall, Stack, API_LIMIT, CASE_LIMIT};
use crate::report::CaseResult;

impl Stack {
    pub(super) async fn api_during_outage(&self, call: &ApiCall) -> CaseResult {
        let started = Instant::now();
        let mut problems = Vec::new();
        let mut statuses = Vec::new();
        let outcome = self
            .call_through_outage(call, &mut statuses, &mut problems)
            .await;
        if let Err(e) = outcome {
            problems.push(format!("{e:#}"));
        }
        let (rows_expected, rows_found) = match &call.written {
            Some((sql, expected)) => {
                let found = match db::connect(&self.cluster.url()).await {
                    Ok(mut conn) => db::count(&mut conn, sql).await.unwrap_or(-1),
                    Err(_) => -1,
                };
                (*expected, found)
            }
            None => (0, 0),
        };
        let method = if call.put.is_some() { "PUT" } else { "GET" };
        CaseResult {
            case: format!(
                "{}: API {method} {} during a PostgreSQL outage ({})",
                self.subject.service(),
                call.path,
                statuses.join(", ")
            ),
            sent: statuses.len(),
            rows_expected,
            rows_found,
            dlq_expected: 0,
            dlq_found: 0,
            seconds: started.elapsed().as_secs_f64(),
            problems,
        }
    }

    async fn call_through_outage(
        &self,
        call: &ApiCall,
        statuses: &mut Vec<String>,
        problems: &mut Vec<String>,
    ) -> anyhow::Result<()> {
        let http = reqwest::Client::builder().timeout(API_LIMIT * 2).build()?;
        let token: serde_json::Value = http
            .post(
                self.simulator
                    .url(&format!("/auth/dev-token?roles={}", call.role)),
            )
            .send()
            .await?
            .json()
            .await?;
        let token = token["access_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let port = self.service.as_ref().map_or(0, |s| s.port);
        let url = format!("http://127.0.0.1:{port}{}", call.path);
        let send = || {
            let request = match &call.put {
                Some(body) => http.put(&url).json(body),
                None => http.get(&url),
            };
            request.bearer_auth(&token).send()
        };
        let succeeded = |status: reqwest::StatusCode| status.is_success();

        if call.put.is_none() {
            let before = send().await?.status();
            statuses.push(before.as_u16().to_string());
            if !succeeded(before) {
                problems.push(format!("before the outage: HTTP {before}"));
            }
        }

        self.cluster.stop()?;
        let asked = Instant::now();
        let during = send().await;
        match during {
            Ok(r) if r.status() == 503 && asked.elapsed() <= API_LIMIT => {
                statuses.push("503".to_owned());
            }
            Ok(r) => {
                statuses.push(r.status().as_u16().to_string());
                problems.push(format!(
                    "during the outage: HTTP {} after {:?}: {}",
                    r.status(),
                    asked.elapsed(),
                    r.text().await.unwrap_or_default()
                ));
            }
            Err(e) => {
                statuses.push("no answer".to_owned());
                problems.push(format!(
                    "during the outage: no answer after {:?}: {e}",
                    asked.elapsed()
                ));
            }
        }
        self.cluster.restart()?;

        // The client retries until the call succeeds; a write is then sent once more.
        let deadline = Instant::now() + CASE_LIMIT;
        let mut retries = 0;
        loop {
            retries += 1;
            match send().await {
                Ok(r) if succeeded(r.status()) => {
                    statuses.push(format!("{} (retry {retries})", r.status().as_u16()));
                    break;
                }
                other if Instant::now() >= deadline => {
                    problems.push(format!("after the outage: {other:?}"));
                    return Ok(());
                }
                _ => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        }
        if call.put.is_some() {
            let again = send().await?.status();
            statuses.push(format!("{} (sent again)", again.as_u16()));
            if !succeeded(again) {
                problems.push(format!("the write sent again: HTTP {again}"));
            }
        }
        Ok(())
    }
}
