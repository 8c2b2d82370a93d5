//! The binaries under test.
//!
//! `env!("CARGO_BIN_EXE_<name>")` only exists for binaries of the test's own package, so the e2e
//! tests build the binaries they drive themselves: the first test that needs one runs
//! `cargo build -p <package> --bin <name>` once per test process, into the same target directory
//! and profile as the running test executable (`<target>/<profile>/deps/it-<hash>`), and then
//! runs `<target>/<profile>/<name>`. Under `make test` the workspace is already built, so this is
//! a quick no-op check; `cargo test -p e2e` on its own gets the binaries built on first use.
//!
//! `E2E_BIN_DIR=<folder>` skips building and takes the binaries from that folder instead (for
//! example prebuilt release binaries, or a cross-compiled `target/<triple>/debug`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock, PoisonError};

/// Overrides where the binaries are found; nothing is built when it is set.
pub const BIN_DIR_VARIABLE: &str = "E2E_BIN_DIR";

/// The `local-stack` binary (package `local-stack`).
pub fn local_stack() -> PathBuf {
    binary("local-stack", "local-stack")
}

/// A service binary: package and binary are both named after the service (the convention
/// `scripts/run-local.sh` relies on). For the service tests to come.
pub fn service(name: &str) -> PathBuf {
    binary(name, name)
}

/// The folder of the profile the test executable was built with: `<target>/<profile>`.
pub fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test executable's path");
    // <target>/<profile>/deps/<test executable>
    exe.parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .expect("the test executable runs from <target>/<profile>/deps")
}

/// The target directory the test executable was built in.
pub fn target_dir() -> PathBuf {
    let profile = profile_dir();
    profile.parent().map(Path::to_path_buf).unwrap_or(profile)
}

fn bin_dir() -> PathBuf {
    match std::env::var_os(BIN_DIR_VARIABLE) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => profile_dir(),
    }
}

/// Builds `package`'s `bin` at most once per test process (concurrent callers wait for the first)
/// and returns its path. Panics with cargo's output when the build fails.
pub fn binary(package: &str, bin: &str) -> PathBuf {
    static BUILT: OnceLock<Mutex<HashMap<String, Result<PathBuf, String>>>> = OnceLock::new();
    let built = BUILT.get_or_init(|| Mutex::new(HashMap::new()));
    // Held while building: one cargo at a time, and nobody uses a half-built binary.
    let mut built = built.lock().unwrap_or_else(PoisonError::into_inner);
    let result = built
        .entry(format!("{package}/{bin}"))
        .or_insert_with(|| locate_or_build(package, bin))
        .clone();
    result.unwrap_or_else(|message| panic!("{message}"))
}

fn locate_or_build(package: &str, bin: &str) -> Result<PathBuf, String> {
    let path = bin_dir().join(bin);
    if std::env::var_os(BIN_DIR_VARIABLE).is_none_or(|d| d.is_empty()) {
        build(package, bin)?;
    }
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "no binary {} (built for package {package}; with {BIN_DIR_VARIABLE} set nothing is built)",
            path.display()
        ))
    }
}

fn build(package: &str, bin: &str) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(&cargo);
    without_test_environment(&mut command);
    command
        .current_dir(crate::workspace_root())
        .args([
            "build",
            "--quiet",
            "-p",
            package,
            "--bin",
            bin,
            "--target-dir",
        ])
        .arg(target_dir());
    match profile_dir().file_name().and_then(|n| n.to_str()) {
        Some("debug") | None => {}
        Some("release") => {
            command.arg("--release");
        }
        Some(other) => {
            command.args(["--profile", other]);
        }
    }
    eprintln!("e2e: building {bin} (cargo build -p {package} --bin {bin})");
    let started = std::time::Instant::now();
    let output = command
        .output()
        .map_err(|e| format!("cannot run {cargo} to build {bin}: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "{command:?} failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    eprintln!("e2e: {bin} ready in {:.1?}", started.elapsed());
    Ok(())
}

/// Removes the variables cargo sets for the running test (`CARGO_MANIFEST_DIR=<e2e>`,
/// `CARGO_PKG_NAME=e2e`, ...) from a command that runs cargo. Build scripts such as ring's declare
/// `rerun-if-env-changed` on them, so a nested build that inherited them would rebuild those crates,
/// and the next ordinary build would rebuild them back.
pub fn without_test_environment(command: &mut Command) -> &mut Command {
    for (name, _) in std::env::vars_os() {
        let Some(name) = name.to_str() else { continue };
        let set_by_cargo_for_the_test = name.starts_with("CARGO_PKG_")
            || name.starts_with("CARGO_MANIFEST_")
            || name.starts_with("CARGO_CRATE_")
            || name.starts_with("CARGO_BIN_")
            || matches!(
                name,
                "CARGO_TARGET_TMPDIR" | "CARGO_PRIMARY_PACKAGE" | "OUT_DIR"
            );
        if set_by_cargo_for_the_test {
            command.env_remove(name);
        }
    }
    command
}
