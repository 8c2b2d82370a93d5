//! Running the binaries: one-shot commands with a time limit, and servers kept running for the
//! length of a test (stopped with SIGTERM when dropped, SIGKILL if they do not stop).

use std::fmt;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

/// Environment variables that `make` exports and the binaries read as defaults. They are removed
/// from every child so that a test only ever uses what it passes explicitly.
pub const AMBIENT_VARIABLES: &[&str] = &[
    "SQS_PORT",
    "SIMULATOR_PORT",
    "SIMULATOR_HOST",
    "SIMULATOR_URL",
    "SIMULATOR_SIGNING_KEY",
    "LOCAL_STACK_ENDPOINT",
    "DATABASE_URL",
    "PGPORT",
    "PI_LOCAL_DIR",
];

/// A command for the `local-stack` binary, run from the workspace root (as `make` does) with the
/// ambient variables removed.
pub fn local_stack() -> tokio::process::Command {
    let mut command = tokio::process::Command::new(crate::bins::local_stack());
    command.current_dir(crate::workspace_root());
    for name in AMBIENT_VARIABLES {
        command.env_remove(name);
    }
    command
}

/// What a finished command printed.
pub struct Finished {
    pub command: String,
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Finished {
    /// The output, or an error that shows the command, its status and everything it printed.
    pub fn success(self) -> anyhow::Result<Self> {
        if self.status.success() {
            Ok(self)
        } else {
            bail!("{self}")
        }
    }
}

impl fmt::Display for Finished {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` exited with {} after {:.1?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.command, self.status, self.elapsed, self.stdout, self.stderr
        )
    }
}

/// Runs `command` to completion, killing it after `limit`.
pub async fn run(
    command: &mut tokio::process::Command,
    limit: Duration,
) -> anyhow::Result<Finished> {
    let shown = format!("{:?}", command.as_std());
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let started = Instant::now();
    let child = command
        .spawn()
        .with_context(|| format!("cannot start {shown}"))?;
    let output = match tokio::time::timeout(limit, child.wait_with_output()).await {
        Ok(output) => output.with_context(|| format!("waiting for {shown}"))?,
        Err(_) => bail!("{shown} did not finish within {limit:?} (killed)"),
    };
    Ok(Finished {
        command: shown,
        status: output.status,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        elapsed: started.elapsed(),
    })
}

/// A process that runs in the background for a test; its output goes to a log file under
/// `<target>/e2e-logs/`, kept when the test fails. Dropping it stops it.
pub struct Server {
    name: String,
    child: Child,
    log: PathBuf,
}

impl Server {
    /// Starts `command` with stdout and stderr appended to `<target>/e2e-logs/<log_name>.log`.
    pub fn spawn(log_name: &str, mut command: Command) -> anyhow::Result<Self> {
        let log = crate::log_dir().join(format!("{log_name}.log"));
        let out = File::create(&log).with_context(|| format!("creating {}", log.display()))?;
        let err = out.try_clone()?;
        let child = command
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .with_context(|| format!("cannot start {command:?}"))?;
        Ok(Self {
            name: log_name.to_owned(),
            child,
            log,
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn log_path(&self) -> &Path {
        &self.log
    }

    /// The exit status, when the process has already ended.
    pub fn exited(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// The last `lines` lines of the log, for failure messages.
    pub fn log_tail(&self, lines: usize) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let all: Vec<&str> = text.lines().collect();
        let start = all.len().saturating_sub(lines);
        format!(
            "--- last lines of {} ({}) ---\n{}",
            self.name,
            self.log.display(),
            all[start..].join("\n")
        )
    }

    /// SIGTERM, then up to `grace` for the process to exit, then SIGKILL. Returns the exit status.
    pub fn stop(&mut self, grace: Duration) -> Option<ExitStatus> {
        if let Some(status) = self.exited() {
            return Some(status);
        }
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let deadline = Instant::now() + grace;
        while Instant::now() < deadline {
            if let Some(status) = self.exited() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        self.child.wait().ok()
    }
}

impl Drop for Server {
    /// Stops the process; its log is kept only when the test is failing (panicking).
    fn drop(&mut self) {
        self.stop(Duration::from_secs(5));
        if !std::thread::panicking() {
            let _ = std::fs::remove_file(&self.log);
        }
    }
}
