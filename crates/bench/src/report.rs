//! The results: a table on stdout, and `platform-consumer.{json,md}` under `target/bench/`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;

use crate::stats::LatencySummary;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Skipped,
    Failed,
}

/// One row of the report.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioReport {
    pub scenario: &'static str,
    pub description: &'static str,
    pub status: Status,
    /// Why it was skipped or how it failed.
    pub reason: Option<String>,
    pub messages: usize,
    pub seconds: Option<f64>,
    pub msgs_per_sec: Option<f64>,
    /// Per-message handler time (per transaction for the floors).
    pub latency: Option<LatencySummary>,
    /// Handler calls that returned Ok (more than `messages` means redeliveries).
    pub handler_calls: Option<usize>,
    pub receive_calls: Option<u64>,
    /// DeleteMessage + DeleteMessageBatch calls.
    pub delete_calls: Option<u64>,
    pub messages_per_receive: Option<f64>,
    /// Messages asked for per receive call (`min(batch_size, free slots)` each time).
    pub asked_per_receive: Option<f64>,
    /// The floor this scenario is compared with (`db-floor-concurrent` for the DB scenarios,
    /// `sqs-floor` for `sqs-noop`).
    pub floor: Option<&'static str>,
    /// msgs/s of this scenario divided by msgs/s of its floor.
    pub vs_floor: Option<f64>,
}

impl ScenarioReport {
    pub fn not_run(
        scenario: &'static str,
        description: &'static str,
        messages: usize,
        status: Status,
        reason: String,
    ) -> Self {
        Self {
            scenario,
            description,
            status,
            reason: Some(reason),
            messages,
            seconds: None,
            msgs_per_sec: None,
            latency: None,
            handler_calls: None,
            receive_calls: None,
            delete_calls: None,
            messages_per_receive: None,
            asked_per_receive: None,
            floor: None,
            vs_floor: None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    pub cores: usize,
    pub os: &'static str,
    pub arch: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub generated_at: String,
    pub quick: bool,
    pub machine: Machine,
    /// The consumer and pool settings the scenarios ran with.
    pub settings: serde_json::Value,
    pub scenarios: Vec<ScenarioReport>,
}

/// `$CARGO_TARGET_DIR/bench`, else the workspace's `target/bench`.
pub fn output_dir() -> PathBuf {
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"),
    };
    target.join("bench")
}

fn opt(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format!("{v:.decimals$}"))
}

/// Milliseconds to 3 decimals; sub-microsecond handler times show as `<0.001`.
fn latency_cell(ms: Option<f64>) -> String {
    match ms {
        Some(v) if v < 0.001 => "<0.001".to_owned(),
        other => opt(other, 3),
    }
}

/// A markdown table, padded so it also reads well in a terminal.
pub fn table(scenarios: &[ScenarioReport]) -> String {
    let header = [
        "scenario",
        "messages",
        "seconds",
        "msgs/s",
        "p50 ms",
        "p99 ms",
        "receives",
        "asked/receive",
        "msgs/receive",
        "deletes",
        "vs floor",
    ];
    let rows: Vec<[String; 11]> = scenarios
        .iter()
        .map(|s| {
            let status = match s.status {
                Status::Ok => String::new(),
                Status::Skipped => " (skipped)".to_owned(),
                Status::Failed => " (FAILED)".to_owned(),
            };
            [
                format!("{}{status}", s.scenario),
                s.messages.to_string(),
                opt(s.seconds, 3),
                opt(s.msgs_per_sec, 0),
                latency_cell(s.latency.map(|l| l.p50_ms)),
                latency_cell(s.latency.map(|l| l.p99_ms)),
                s.receive_calls
                    .map_or_else(|| "–".to_owned(), |n| n.to_string()),
                opt(s.asked_per_receive, 2),
                opt(s.messages_per_receive, 2),
                s.delete_calls
                    .map_or_else(|| "–".to_owned(), |n| n.to_string()),
                match (s.vs_floor, s.floor) {
                    (Some(ratio), Some(floor)) => format!("{ratio:.2}× {floor}"),
                    _ => "–".to_owned(),
                },
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut out = String::from("|");
        for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
            let pad = width.saturating_sub(cell.chars().count());
            // Text left, numbers right.
            if i == 0 {
                let _ = write!(out, " {cell}{} |", " ".repeat(pad));
            } else {
                let _ = write!(out, " {}{cell} |", " ".repeat(pad));
            }
        }
        out.push('\n');
        out
    };
    let mut out = line(&header.map(str::to_owned));
    out.push('|');
    for (i, width) in widths.iter().enumerate() {
        let dashes = "-".repeat(width.saturating_sub(1));
        out.push_str(&if i == 0 {
            format!(" {dashes}- |")
        } else {
            format!(" {dashes}: |")
        });
    }
    out.push('\n');
    for row in &rows {
        out.push_str(&line(row));
    }
    out
}

/// Skipped / failed scenarios with their reasons.
pub fn notes(scenarios: &[ScenarioReport]) -> String {
    let mut out = String::new();
    for s in scenarios {
        if let (Status::Skipped | Status::Failed, Some(reason)) = (s.status, &s.reason) {
            let verb = if s.status == Status::Skipped {
                "skipped"
            } else {
                "failed"
            };
            let _ = writeln!(out, "- `{}` {verb}: {reason}", s.scenario);
        }
    }
    out
}

pub fn markdown(report: &Report) -> String {
    let mut out = String::from("# Platform consumer throughput\n\n");
    let _ = writeln!(
        out,
        "Generated {} on {} cores ({}/{}){}.\n",
        report.generated_at,
        report.machine.cores,
        report.machine.os,
        report.machine.arch,
        if report.quick {
            ", `--quick` (10x fewer messages)"
        } else {
            ""
        }
    );
    out.push_str(&table(&report.scenarios));
    out.push('\n');
    for s in &report.scenarios {
        let _ = writeln!(out, "- `{}`: {}", s.scenario, s.description);
    }
    let notes = notes(&report.scenarios);
    if !notes.is_empty() {
        out.push('\n');
        out.push_str(&notes);
    }
    out.push_str(
        "\n`vs floor`: the scenario's msgs/s divided by its floor's: `db-floor-concurrent` (the \
         same insert transaction from 10 plain tasks on the same pool) for the DB scenarios, \
         `sqs-floor` (the same SQS calls in a plain loop) for `sqs-noop`. 1.00× means the \
         consumer costs nothing measurable on top of the work it drives.\n\n`receives` and \
         `deletes`: ReceiveMessage and DeleteMessage/DeleteMessageBatch calls the consumer made \
         (a batch delete counts once). Compare `sqs-batch-1` (no batching) with `sqs-batch-10`.\n",
    );
    out
}

/// Writes `platform-consumer.json` and `.md`; returns their paths.
pub fn write(report: &Report) -> anyhow::Result<(PathBuf, PathBuf)> {
    let dir = output_dir();
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let dir = dir.canonicalize().unwrap_or(dir);
    let json_path = dir.join("platform-consumer.json");
    let md_path = dir.join("platform-consumer.md");
    let json = serde_json::to_string_pretty(report).context("serialising the report")?;
    std::fs::write(&json_path, json + "\n")
        .with_context(|| format!("writing {}", json_path.display()))?;
    std::fs::write(&md_path, markdown(report))
        .with_context(|| format!("writing {}", md_path.display()))?;
    Ok((json_path, md_path))
}
