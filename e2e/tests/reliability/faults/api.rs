//! The database-outage case for a service's HTTP API.

use std::time::Duration;

use tokio::time::Instant;

use super::{Stack, API_LIMIT, CASE_LIMIT};
use crate::report::CaseResult;

impl Stack {
    /// The API while PostgreSQL is down: a read answers 200 before, 503 (try again; not a hang or
    /// a bare 500) during, and 200 again soon after the database is back.
    pub(super) async fn api_during_outage(&self, role: &str, path: &str) -> CaseResult {
        let started = Instant::now();
        let mut problems = Vec::new();
        let mut sent = 0;
        let mut during = String::from("no answer");
        let outcome: anyhow::Result<()> = async {
            let http = reqwest::Client::builder().timeout(API_LIMIT * 2).build()?;
            let token: serde_json::Value = http
                .post(self.simulator.url(&format!("/auth/dev-token?roles={role}")))
                .send()
                .await?
                .json()
                .await?;
            let token = token["access_token"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            let port = self.service.as_ref().map_or(0, |s| s.port);
            let url = format!("http://127.0.0.1:{port}{path}");
            let read = || http.get(&url).bearer_auth(&token).send();

            sent += 1;
            let before = read().await?.status();
            if before != 200 {
                problems.push(format!("before the outage: HTTP {before}"));
            }
            self.cluster.stop()?;
            let asked = Instant::now();
            sent += 1;
            let answer = read().await;
            if let Ok(r) = &answer {
                during = r.status().as_u16().to_string();
            }
            match answer {
                Ok(r) if r.status() == 503 && asked.elapsed() <= API_LIMIT => {}
                Ok(r) => problems.push(format!(
                    "during the outage: HTTP {} after {:?}: {}",
                    r.status(),
                    asked.elapsed(),
                    r.text().await.unwrap_or_default()
                )),
                Err(e) => problems.push(format!(
                    "during the outage: no answer after {:?}: {e}",
                    asked.elapsed()
                )),
            }
            self.cluster.restart()?;
            let deadline = Instant::now() + CASE_LIMIT;
            loop {
                sent += 1;
                match read().await {
                    Ok(r) if r.status() == 200 => break,
                    other if Instant::now() >= deadline => {
                        problems.push(format!("after the outage: {other:?}"));
                        break;
                    }
                    _ => tokio::time::sleep(Duration::from_millis(200)).await,
                }
            }
            Ok(())
        }
        .await;
        if let Err(e) = outcome {
            problems.push(format!("{e:#}"));
        }
        CaseResult {
            case: format!(
                "{}: API read during a PostgreSQL outage (GET {path}: 200, {during}, 200)",
                self.subject.service()
            ),
            sent,
            rows_expected: 0,
            rows_found: 0,
            dlq_expected: 0,
            dlq_found: 0,
            seconds: started.elapsed().as_secs_f64(),
            problems,
        }
    }
}
