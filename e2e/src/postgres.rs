//! A PostgreSQL cluster of a test's own (`scripts/postgres.sh` with its own folder and port), so
//! a fault test can stop and restart the database under a running service without touching the
//! server every other test uses.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{bail, Context as _};

pub struct Cluster {
    pub port: u16,
    dir: PathBuf,
}

impl Cluster {
    /// Creates (installing PostgreSQL if needed) and starts a cluster on a free port.
    pub fn start() -> anyhow::Result<Self> {
        let port = crate::net::free_port();
        // Under /var/tmp: the `postgres` OS user must reach it (a target dir under /root it cannot).
        let dir = std::env::temp_dir().join(format!("e2e-postgres-{port}"));
        let cluster = Self { port, dir };
        cluster.run("start")?;
        Ok(cluster)
    }

    /// `postgres://delius:delius@127.0.0.1:<port>/delius`
    pub fn url(&self) -> String {
        format!("postgres://delius:delius@127.0.0.1:{}/delius", self.port)
    }

    /// Fast shutdown: open connections are cut, as when a database fails over.
    pub fn stop(&self) -> anyhow::Result<()> {
        self.run("stop")
    }

    pub fn restart(&self) -> anyhow::Result<()> {
        self.run("start")
    }

    fn run(&self, verb: &str) -> anyhow::Result<()> {
        let script = crate::workspace_root().join("scripts/postgres.sh");
        let output = Command::new("bash")
            .arg(&script)
            .arg(verb)
            .env("PI_LOCAL_DIR", &self.dir)
            .env("PGPORT", self.port.to_string())
            .output()
            .with_context(|| format!("running {} {verb}", script.display()))?;
        if !output.status.success() {
            bail!(
                "postgres.sh {verb} failed ({}):\n{}{}",
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        Ok(())
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if let Err(e) = self.run("destroy") {
            eprintln!(
                "e2e: could not destroy the test cluster on port {}: {e:#}",
                self.port
            );
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
