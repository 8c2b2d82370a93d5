//! Test support for the black-box tests in `tests/`: the built binaries are run as processes and
//! observed only from outside (HTTP, the SQS/SNS emulator, PostgreSQL).
//!
//! * [`bins`]: find the binaries, building them once per test process (`cargo build -p ...`)
//! * [`process`]: run a command with a time limit, or keep a server process running for a test
//! * [`stack`]: the local stack: provisioning the emulator, the simulator, the fixed-name lock
//! * [`postgres`]: a PostgreSQL cluster of a test's own, to stop and restart
//! * [`service_stack`]: one service binary on its own stack, for the per-service tests
//! * [`sqs`]: SQS clients for the emulator, purging and draining queues
//! * [`db`]: scratch databases created through the admin URL and dropped afterwards
//! * [`topology`], [`messages`]: `crates/local-stack/topology.json` and the example messages
//! * [`net`], [`wait`]: free ports and bounded polling

pub mod bins;
pub mod db;
pub mod messages;
pub mod net;
pub mod postgres;
pub mod process;
pub mod service_stack;
pub mod sqs;
pub mod stack;
pub mod topology;
pub mod wait;

use std::path::{Path, PathBuf};

/// The workspace root (the folder of the root `Cargo.toml`).
pub fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("e2e/ lives in the workspace root")
}

/// `crates/local-stack/<relative>` in the workspace.
pub fn local_stack_path(relative: &str) -> PathBuf {
    workspace_root().join("crates/local-stack").join(relative)
}

/// Where e2e writes the logs of the processes it starts: `<target dir>/e2e-logs/`.
pub fn log_dir() -> PathBuf {
    let dir = bins::target_dir().join("e2e-logs");
    let _ = std::fs::create_dir_all(&dir);
    dir
}
