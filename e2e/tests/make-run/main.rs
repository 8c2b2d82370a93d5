//! The newcomer path: `make run` (`scripts/run-local.sh start`) brings up PostgreSQL, the SQS/SNS
//! emulator, the simulator and every service on one machine, prints how to use them, and
//! `make stop` takes it all down again.
//!
//! It runs on its own ports and in its own `PI_LOCAL_DIR`, so it never touches the test infra or
//! a `make run` already going. A test binary of its own (it starts a whole PostgreSQL cluster and
//! builds the workspace's binaries); `make test` and `make e2e` run it, and
//! `cargo test -p e2e --test make-run` runs only it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use e2e::process::{self, Finished};
use e2e::topology::Topology;
use e2e::{bins, db, net, wait, workspace_root};

/// `start` builds the workspace's binaries first: generous, for a cold target directory.
const START_LIMIT: Duration = Duration::from_secs(300);
const STOP_LIMIT: Duration = Duration::from_secs(60);

/// A `scripts/run-local.sh` environment of its own; stopped and deleted when dropped.
struct LocalRun {
    dir: PathBuf,
    pg_port: u16,
    sqs_port: u16,
    simulator_port: u16,
    ldap_port: u16,
}

impl LocalRun {
    fn new() -> Self {
        let dir = std::env::temp_dir().join(format!("pi-e2e-{}", uuid::Uuid::new_v4().simple()));
        // The PostgreSQL server runs as the `postgres` OS user when this runs as root: it must
        // be able to enter the folder (temp_dir is world-traversable, the folder 0755).
        std::fs::create_dir_all(&dir).expect("a temporary PI_LOCAL_DIR");
        reuse_moto_install(&dir);
        let mut ports = Vec::new();
        while ports.len() < 4 {
            let port = net::free_port();
            if !ports.contains(&port) {
                ports.push(port);
            }
        }
        Self {
            dir,
            pg_port: ports[0],
            sqs_port: ports[1],
            simulator_port: ports[2],
            ldap_port: ports[3],
        }
    }

    fn script(&self, verb: &str) -> tokio::process::Command {
        let mut command = tokio::process::Command::new("bash");
        bins::without_test_environment(command.as_std_mut());
        for name in process::AMBIENT_VARIABLES {
            command.env_remove(name);
        }
        command
            .current_dir(workspace_root())
            .arg("scripts/run-local.sh")
            .arg(verb)
            .env("PI_LOCAL_DIR", &self.dir)
            .env("PGPORT", self.pg_port.to_string())
            .env("SQS_PORT", self.sqs_port.to_string())
            .env("SIMULATOR_PORT", self.simulator_port.to_string())
            .env("LDAP_PORT", self.ldap_port.to_string());
        command
    }

    async fn run(&self, verb: &str, limit: Duration) -> Finished {
        process::run(&mut self.script(verb), limit)
            .await
            .unwrap_or_else(|e| panic!("scripts/run-local.sh {verb}: {e:#}"))
    }

    fn ports(&self) -> [(&'static str, u16); 4] {
        [
            ("PostgreSQL", self.pg_port),
            ("SQS/SNS emulator", self.sqs_port),
            ("simulator", self.simulator_port),
            ("LDAP", self.ldap_port),
        ]
    }
}

impl Drop for LocalRun {
    fn drop(&mut self) {
        if std::thread::panicking() {
            print_logs(&self.dir.join("logs"));
        }
        // After a failure part-way: stop whatever started, then delete the folder.
        let mut stop = std::process::Command::new("bash");
        bins::without_test_environment(&mut stop);
        let _ = stop
            .current_dir(workspace_root())
            .args(["scripts/run-local.sh", "stop"])
            .env("PI_LOCAL_DIR", &self.dir)
            .env("PGPORT", self.pg_port.to_string())
            .env("SQS_PORT", self.sqs_port.to_string())
            .env("SIMULATOR_PORT", self.simulator_port.to_string())
            .env("LDAP_PORT", self.ldap_port.to_string())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The end of every log `run-local.sh` wrote, for a failure message (the folder is deleted).
fn print_logs(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        eprintln!(
            "--- last lines of {} ---\n{}",
            entry.path().display(),
            lines[lines.len().saturating_sub(30)..].join("\n")
        );
    }
}

/// Links the emulator's virtualenv of the usual `PI_LOCAL_DIR`, when there is one, so the
/// script does not install moto again into the new folder.
fn reuse_moto_install(dir: &Path) {
    let usual = std::env::var_os("PI_LOCAL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join(".local"));
    let venv = usual.join("moto-venv");
    if venv.join("bin/moto_server").exists() {
        let _ = std::os::unix::fs::symlink(&venv, dir.join("moto-venv"));
    }
}

/// Services `run-local.sh` starts: those of the topology with a crate under `projects/`.
fn services_with_a_crate(topology: &Topology) -> Vec<(String, u16)> {
    topology
        .services
        .iter()
        .filter(|s| {
            workspace_root()
                .join("projects")
                .join(&s.name)
                .join("Cargo.toml")
                .exists()
        })
        .map(|s| (s.name.clone(), s.port))
        .collect()
}

#[tokio::test]
async fn make_run_starts_the_local_stack_prints_how_to_use_it_and_make_stop_ends_it() {
    let started = Instant::now();
    let topology = Topology::load();
    let local = LocalRun::new();
    for (what, port) in local.ports() {
        assert!(!net::is_open(port), "{what} port {port} is taken already");
    }
    // Services always get their topology port (8081-8085): run-local.sh cannot move them.
    let services = services_with_a_crate(&topology);
    for (name, port) in &services {
        assert!(
            !net::is_open(*port),
            "port {port} of {name} is in use (is `make run` running? `make stop` ends it): \
             scripts/run-local.sh starts services on their fixed topology ports"
        );
    }

    let start = local.run("start", START_LIMIT).await;
    let start_elapsed = start.elapsed;
    let start = start.success().expect("scripts/run-local.sh start");
    let out = &start.stdout;

    // The instructions, with this run's ports.
    for expected in [
        "The local stack is running:".to_owned(),
        format!(
            "postgres://delius:delius@127.0.0.1:{}/delius",
            local.pg_port
        ),
        format!("http://127.0.0.1:{}", local.sqs_port),
        format!("http://127.0.0.1:{}", local.simulator_port),
        format!("ldap://127.0.0.1:{}", local.ldap_port),
        "make publish MESSAGE=crates/local-stack/messages/".to_owned(),
        "make queues".to_owned(),
        "make logs SERVICE=".to_owned(),
        "make psql".to_owned(),
        format!(
            "http://127.0.0.1:{}/auth/dev-token?roles=",
            local.simulator_port
        ),
        "Stop everything with: make stop".to_owned(),
    ] {
        assert!(out.contains(&expected), "no {expected:?} in:\n{start}");
    }
    if services.is_empty() {
        assert!(out.contains("Services        none yet"), "{start}");
    }
    for (name, port) in &services {
        let line = format!("{name} on http://127.0.0.1:{port}");
        assert!(out.contains(&line), "no {line:?} in:\n{start}");
        assert!(net::is_open(*port), "{name} is not listening on {port}");
    }

    // Everything it names answers.
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .expect("http client");
    let health: serde_json::Value = http
        .get(format!(
            "http://127.0.0.1:{}/__admin/health",
            local.simulator_port
        ))
        .send()
        .await
        .expect("the simulator answers")
        .json()
        .await
        .expect("JSON health");
    assert_eq!(health["status"], "UP");

    // The probation record API answers a token from the simulated HMPPS Auth with the seeded
    // person, the manager's e-mail coming from the local LDAP directory.
    if let Some((_, port)) = services
        .iter()
        .find(|(name, _)| name == "manage-pom-cases-and-delius")
    {
        let token: serde_json::Value = http
            .post(format!(
                "http://127.0.0.1:{}/auth/dev-token?roles=ROLE_PROBATION_API__MANAGE_POM_CASES__CASE_DETAIL",
                local.simulator_port
            ))
            .send()
            .await
            .expect("a dev token")
            .json()
            .await
            .expect("token JSON");
        let token = token["access_token"].as_str().expect("access_token");
        let response = http
            .get(format!("http://127.0.0.1:{port}/case-records/T123456"))
            .bearer_auth(token)
            .send()
            .await
            .expect("the case record API answers");
        assert_eq!(response.status(), 200);
        let record: serde_json::Value = response.json().await.expect("JSON record");
        assert_eq!(record["crn"], "T123456", "{record}");
        assert_eq!(
            record["manager"]["email"], "default.staff@moj.gov.uk",
            "{record}"
        );
    }

    let queues = process::run(
        process::local_stack().args([
            "queues",
            "--endpoint",
            &format!("http://127.0.0.1:{}", local.sqs_port),
        ]),
        Duration::from_secs(30),
    )
    .await
    .expect("local-stack queues")
    .success()
    .expect("local-stack queues succeeds");
    for service in &topology.services {
        let row = queues
            .stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(service.queue().as_str()))
            .unwrap_or_else(|| panic!("no {} in:\n{queues}", service.queue()));
        assert!(!row.contains("missing"), "{row}");
    }
    assert!(!queues.stdout.contains("missing"), "{queues}");

    let mut conn = db::connect(&format!(
        "postgres://delius:delius@127.0.0.1:{}/delius",
        local.pg_port
    ))
    .await
    .expect("the local database");
    let users = db::count(&mut conn, "SELECT count(*) AS n FROM user_")
        .await
        .expect("user_ is there: migrated and seeded");
    assert!(users >= topology.services.len() as i64, "{users} users");
    drop(conn);

    let status = local.run("status", STOP_LIMIT).await;
    assert!(status.stdout.contains("simulator: running"), "{status}");

    // make stop: every port closes.
    let stop = local
        .run("stop", STOP_LIMIT)
        .await
        .success()
        .expect("scripts/run-local.sh stop");
    let service_ports = services.iter().map(|(name, port)| (name.as_str(), *port));
    for (what, port) in local.ports().into_iter().chain(service_ports) {
        wait::until(
            &format!("{what} port {port} closed after stop"),
            Duration::from_secs(15),
            || async move {
                Ok(if net::is_open(port) {
                    Err("still accepting connections".to_owned())
                } else {
                    Ok(())
                })
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e:#}\n{stop}"));
    }
    eprintln!(
        "make-run: start {:.1?}, stop {:.1?}, total {:.1?}",
        start_elapsed,
        stop.elapsed,
        started.elapsed()
    );
}
