//! The local stack as the tests drive it: `local-stack provision` / `publish` / `env` against the
//! emulator, the simulator on a free port, and (for the service tests to come) service binaries
//! started with the environment `local-stack env <service>` prints.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use anyhow::{bail, Context};
use tokio::sync::{Mutex, MutexGuard};

use crate::process::{self, Finished, Server};
use crate::{bins, net, wait};

/// How long a one-shot `local-stack` command may take.
pub const COMMAND_LIMIT: Duration = Duration::from_secs(60);

/// The topology's names (`hmpps-domain-events`, `<service>-queue`, `<service>-dlq`) are fixed and
/// shared with `make run`; only e2e tests use them on the test emulator. Every test that publishes
/// to the topic or reads those queues holds this guard, so such tests never overlap: within the
/// test process (a mutex, whatever `--test-threads` is) and across processes on the same machine
/// (a PostgreSQL advisory lock keyed by the emulator endpoint, on the test database server, so two
/// `cargo test -p e2e` runs against one emulator wait for each other). Other crates' tests use
/// their own uniquely named `test-...` queues.
pub struct FixedNames {
    _in_process: MutexGuard<'static, ()>,
    // Holding the session holds the advisory lock; dropping it releases the lock.
    _across_processes: Option<diesel_async::AsyncPgConnection>,
}

/// How long to wait for another test process to finish with the fixed names.
const FIXED_NAMES_LIMIT: Duration = Duration::from_secs(180);

pub async fn fixed_names() -> FixedNames {
    static LOCK: Mutex<()> = Mutex::const_new(());
    let in_process = LOCK.lock().await;
    let key = advisory_key(&crate::sqs::endpoint());
    let across_processes = match crate::db::connect(&crate::db::admin_url()).await {
        Ok(mut conn) => {
            let sql = format!(
                "SELECT CASE WHEN pg_try_advisory_lock({key}) THEN 1::int8 ELSE 0::int8 END AS n"
            );
            let deadline = tokio::time::Instant::now() + FIXED_NAMES_LIMIT;
            loop {
                match crate::db::count(&mut conn, &sql).await {
                    Ok(1) => break,
                    Ok(_) if tokio::time::Instant::now() < deadline => {
                        tokio::time::sleep(wait::INTERVAL).await;
                    }
                    Ok(_) => panic!(
                        "the fixed-name lock is still held by another session after \
                         {FIXED_NAMES_LIMIT:?} (another e2e run against the same emulator?)"
                    ),
                    Err(e) => panic!("taking the fixed-name lock: {e:#}"),
                }
            }
            Some(conn)
        }
        Err(e) => {
            eprintln!("e2e: no cross-process lock on the fixed names ({e:#}); in-process only");
            None
        }
    };
    FixedNames {
        _in_process: in_process,
        _across_processes: across_processes,
    }
}

/// A stable 64-bit key (FNV-1a) for the advisory lock of one emulator endpoint.
fn advisory_key(endpoint: &str) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in format!("e2e fixed names {endpoint}").bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash as i64
}

/// `local-stack provision --endpoint <endpoint>`: the topic, queues, DLQs and subscriptions.
pub async fn provision(endpoint: &str) -> anyhow::Result<Finished> {
    process::run(
        process::local_stack().args(["provision", "--endpoint", endpoint]),
        COMMAND_LIMIT,
    )
    .await?
    .success()
}

/// One file as `local-stack publish` reported it.
#[derive(Debug, Clone)]
pub struct Published {
    /// The path as printed (as given on the command line).
    pub file: String,
    pub message_id: String,
    pub event_type: String,
    /// Queues the tool said the filter policies accept (`  -> <queue>` lines).
    pub predicted_queues: Vec<String>,
}

/// `local-stack publish --endpoint <endpoint> --simulator-url <url> FILE...`, parsed.
pub async fn publish(
    endpoint: &str,
    simulator_url: &str,
    files: &[&Path],
) -> anyhow::Result<Vec<Published>> {
    let finished = process::run(
        process::local_stack()
            .args([
                "publish",
                "--endpoint",
                endpoint,
                "--simulator-url",
                simulator_url,
            ])
            .args(files),
        COMMAND_LIMIT,
    )
    .await?
    .success()?;
    let published = parse_publish_output(&finished.stdout)
        .with_context(|| format!("reading the output of {}", finished.command))?;
    if published.len() != files.len() {
        bail!(
            "published {} of {} files:\n{}",
            published.len(),
            files.len(),
            finished.stdout
        );
    }
    Ok(published)
}

/// Lines `published <file>: MessageId <id> eventType <type>`, each followed by `  -> <queue>` lines.
fn parse_publish_output(stdout: &str) -> anyhow::Result<Vec<Published>> {
    let mut out: Vec<Published> = Vec::new();
    for line in stdout.lines() {
        if let Some(rest) = line.strip_prefix("published ") {
            let (file, rest) = rest
                .rsplit_once(": MessageId ")
                .with_context(|| format!("unexpected line {line:?}"))?;
            let (message_id, event_type) = rest
                .split_once(" eventType ")
                .with_context(|| format!("unexpected line {line:?}"))?;
            out.push(Published {
                file: file.to_owned(),
                message_id: message_id.to_owned(),
                event_type: event_type.to_owned(),
                predicted_queues: Vec::new(),
            });
        } else if let Some(queue) = line.strip_prefix("  -> ") {
            out.last_mut()
                .with_context(|| format!("{line:?} before any `published` line"))?
                .predicted_queues
                .push(queue.trim().to_owned());
        }
    }
    Ok(out)
}

/// `local-stack env <service> --database-url <url> --endpoint <endpoint>` as name → value.
pub async fn service_env(
    service: &str,
    database_url: &str,
    endpoint: &str,
) -> anyhow::Result<BTreeMap<String, String>> {
    let finished = process::run(
        process::local_stack().args([
            "env",
            service,
            "--database-url",
            database_url,
            "--endpoint",
            endpoint,
        ]),
        COMMAND_LIMIT,
    )
    .await?
    .success()?;
    finished
        .stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            line.split_once('=')
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .with_context(|| format!("`local-stack env` printed {line:?}, not NAME=value"))
        })
        .collect()
}

/// `local-stack simulate` on a free port, stopped when dropped.
pub struct Simulator {
    pub port: u16,
    server: Server,
}

impl Simulator {
    /// Starts the simulator and waits until `/__admin/health` says UP.
    pub async fn start() -> anyhow::Result<Self> {
        let mut last_error = None;
        // A free port can be taken between choosing and binding it: try a few.
        for _ in 0..3 {
            match Self::start_on(net::free_port()).await {
                Ok(simulator) => return Ok(simulator),
                Err(e) => last_error = Some(e),
            }
        }
        Err(last_error.expect("at least one attempt"))
    }

    async fn start_on(port: u16) -> anyhow::Result<Self> {
        let mut command = std::process::Command::new(bins::local_stack());
        command.current_dir(crate::workspace_root()).args([
            "simulate",
            "--port",
            &port.to_string(),
        ]);
        for name in process::AMBIENT_VARIABLES {
            command.env_remove(name);
        }
        let server = Server::spawn(&format!("simulator.{port}"), command)?;
        let mut simulator = Self { port, server };
        simulator.wait_healthy(Duration::from_secs(20)).await?;
        Ok(simulator)
    }

    async fn wait_healthy(&mut self, limit: Duration) -> anyhow::Result<()> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(1))
            .build()?;
        let health = self.url("/__admin/health");
        let server = &mut self.server;
        wait::until("the simulator answering /__admin/health", limit, || {
            let exited = server.exited();
            let tail = server.log_tail(20);
            let request = http.get(&health).send();
            async move {
                if let Some(status) = exited {
                    bail!("the simulator exited with {status} during start-up\n{tail}");
                }
                match request.await {
                    Ok(response) if response.status().is_success() => Ok(Ok(())),
                    Ok(response) => Ok(Err(format!("HTTP {}", response.status()))),
                    Err(e) => Ok(Err(e.to_string())),
                }
            }
        })
        .await
    }

    /// `http://127.0.0.1:<port>`
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url())
    }

    /// The issuer of the simulator's tokens (it names `localhost`, as HMPPS Auth's dev issuer does).
    pub fn issuer(&self) -> String {
        format!("http://localhost:{}/auth/issuer", self.port)
    }

    pub fn jwks_url(&self) -> String {
        self.url("/auth/.well-known/jwks.json")
    }

    pub fn log_tail(&self) -> String {
        self.server.log_tail(30)
    }

    /// SIGTERM and wait; the exit status.
    pub fn stop(&mut self) -> Option<std::process::ExitStatus> {
        self.server.stop(Duration::from_secs(5))
    }
}

/// The simulator base URL in the topology (`hmppsAuth.url` and every upstream URL start with it).
const TOPOLOGY_SIMULATOR_URL: &str = "http://127.0.0.1:8090";
const TOPOLOGY_ISSUER_BASE: &str = "http://localhost:8090";

/// A service binary running on the local stack. For the service tests to come:
///
/// ```ignore
/// let _names = stack::fixed_names().await;
/// let simulator = Simulator::start().await?;
/// let db = ScratchDatabase::create().await?;
/// process::run(process::local_stack().args(["migrate", "--database-url", &db.url]), ..).await?;
/// stack::provision(&sqs::endpoint()).await?;
/// let service = ServiceProcess::start("prison-custody-status-to-delius", &db.url, &sqs::endpoint(), &simulator).await?;
/// stack::publish(&sqs::endpoint(), &simulator.base_url(), &[path]).await?;
/// // then poll the database until the expected rows appear
/// ```
pub struct ServiceProcess {
    pub name: String,
    pub port: u16,
    pub env: BTreeMap<String, String>,
    server: Server,
}

impl ServiceProcess {
    /// Starts `bins::service(name)` with `local-stack env` output, the simulator URLs pointed at
    /// `simulator` (`local-stack env` prints the topology's fixed 8090) and a free `PORT`, then
    /// waits for `/health/liveness`.
    pub async fn start(
        name: &str,
        database_url: &str,
        endpoint: &str,
        simulator: &Simulator,
    ) -> anyhow::Result<Self> {
        Self::start_with(name, database_url, endpoint, simulator, &[]).await
    }

    /// As [`ServiceProcess::start`], with `overrides` set over the local-stack environment (an
    /// upstream pointed at a test double, a shorter timeout...).
    pub async fn start_with(
        name: &str,
        database_url: &str,
        endpoint: &str,
        simulator: &Simulator,
        overrides: &[(&str, String)],
    ) -> anyhow::Result<Self> {
        let mut env = service_env(name, database_url, endpoint).await?;
        for value in env.values_mut() {
            *value = value
                .replace(TOPOLOGY_SIMULATOR_URL, &simulator.base_url())
                .replace(
                    TOPOLOGY_ISSUER_BASE,
                    &format!("http://localhost:{}", simulator.port),
                );
        }
        // The staff directory, as `make run` passes it (manage-pom-cases-and-delius needs it;
        // the test LDAP server from `make infra`, or none at that address: only a warning).
        let ldap = std::env::var("PI_TEST_LDAP_URL")
            .unwrap_or_else(|_| "ldap://127.0.0.1:3389".to_owned());
        for (name, value) in [
            ("LDAP_URL", ldap.as_str()),
            ("LDAP_USERNAME", "cn=admin,dc=moj,dc=com"),
            ("LDAP_PASSWORD", "secret"),
            ("LDAP_BASE", "dc=moj,dc=com"),
        ] {
            env.entry(name.to_owned())
                .or_insert_with(|| value.to_owned());
        }
        for (name, value) in overrides {
            env.insert((*name).to_owned(), value.clone());
        }
        let port = net::free_port();
        env.insert("PORT".to_owned(), port.to_string());

        let mut command = std::process::Command::new(bins::service(name));
        command.current_dir(crate::workspace_root()).envs(&env);
        let mut server = Server::spawn(&format!("{name}.{port}"), command)?;
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(1))
            .build()?;
        let liveness = format!("http://127.0.0.1:{port}/health/liveness");
        let started = {
            let server = &mut server;
            wait::until(
                &format!("{name} answering /health/liveness"),
                Duration::from_secs(60),
                || {
                    let exited = server.exited();
                    let tail = server.log_tail(30);
                    let request = http.get(&liveness).send();
                    async move {
                        if let Some(status) = exited {
                            bail!("{name} exited with {status} during start-up\n{tail}");
                        }
                        Ok(match request.await {
                            Ok(r) if r.status().is_success() => Ok(()),
                            Ok(r) => Err(format!("HTTP {}", r.status())),
                            Err(e) => Err(e.to_string()),
                        })
                    }
                },
            )
            .await
        };
        started?;
        Ok(Self {
            name: name.to_owned(),
            port,
            env,
            server,
        })
    }

    pub fn log_tail(&self) -> String {
        self.server.log_tail(50)
    }

    /// SIGTERM, as Kubernetes stops a pod, and wait for the exit status.
    pub fn stop(&mut self) -> Option<std::process::ExitStatus> {
        self.server.stop(Duration::from_secs(30))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_publish_output() {
        let stdout = "published a/b.json: MessageId 1-2 eventType x.y\n  -> q1\n  -> q2\n\
                      published c.json: MessageId 3 eventType KA-KE\n  (no subscription's filter policy accepts eventType KA-KE)\n";
        let published = parse_publish_output(stdout).expect("parses");
        assert_eq!(published.len(), 2);
        assert_eq!(published[0].file, "a/b.json");
        assert_eq!(published[0].message_id, "1-2");
        assert_eq!(published[0].predicted_queues, ["q1", "q2"]);
        assert_eq!(published[1].event_type, "KA-KE");
        assert!(published[1].predicted_queues.is_empty());
    }
}
