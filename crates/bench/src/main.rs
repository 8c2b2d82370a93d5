//! Throughput of the platform consumer: messages per second through the real `Consumer` with a
//! no-op handler and with a one-insert-per-message handler, on the in-memory queue and on the
//! SQS emulator, against the database floor (the same insert without a consumer).
//!
//! `cargo run --release -p bench [-- --quick] [-- --only memory-noop,db-floor-concurrent]`;
//! results go to `target/bench/platform-consumer.{json,md}`. See README.md.

mod contact;
mod handler;
mod report;
mod runner;
mod stats;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::{Parser, ValueEnum};
use delius_data::DbPool;
use test_support::TestDatabase;
use tracing_subscriber::EnvFilter;

use crate::contact::ContactWriter;
use crate::handler::Work;
use crate::report::{Machine, Report, ScenarioReport, Status};
use crate::runner::ConsumerRun;
use crate::stats::Latencies;

/// Connections in the pool, and tasks in the concurrent floor.
const POOL_SIZE: usize = 10;
const FLOOR_TASKS: usize = 10;

#[derive(Debug, Parser)]
#[command(about = "Messages per second through the platform consumer; results in target/bench/")]
struct Args {
    /// 10x fewer messages, for smoke runs.
    #[arg(long)]
    quick: bool,
    /// Run only these scenarios (comma-separated or repeated).
    #[arg(long, value_enum, value_delimiter = ',')]
    only: Vec<Scenario>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
enum Scenario {
    MemoryNoop,
    SqsNoop,
    MemoryDb,
    SqsDb,
    DbFloorSequential,
    DbFloorConcurrent,
    SqsFloor,
    #[value(name = "sqs-batch-1")]
    SqsBatch1,
    #[value(name = "sqs-batch-10")]
    SqsBatch10,
}

impl Scenario {
    fn name(self) -> &'static str {
        match self {
            Self::MemoryNoop => "memory-noop",
            Self::SqsNoop => "sqs-noop",
            Self::MemoryDb => "memory-db",
            Self::SqsDb => "sqs-db",
            Self::DbFloorSequential => "db-floor-sequential",
            Self::DbFloorConcurrent => "db-floor-concurrent",
            Self::SqsFloor => "sqs-floor",
            Self::SqsBatch1 => "sqs-batch-1",
            Self::SqsBatch10 => "sqs-batch-10",
        }
    }

    fn description(self) -> &'static str {
        match self {
            Self::MemoryNoop => "no-op handler, in-memory queue, concurrency 10",
            Self::SqsNoop => "no-op handler, SQS emulator (1 s long-poll, batch 10), concurrency 10",
            Self::MemoryDb => {
                "one contact-insert transaction per message, in-memory queue, pool 10, concurrency 10"
            }
            Self::SqsDb => {
                "one contact-insert transaction per message, SQS emulator, pool 10, concurrency 10"
            }
            Self::DbFloorSequential => {
                "the same insert transaction in a plain loop on one connection"
            }
            Self::DbFloorConcurrent => {
                "the same insert transaction from 10 plain tasks on the pool of 10"
            }
            Self::SqsFloor => {
                "the consumer's SQS calls (receive 10, one batch delete) in a plain sequential loop, no consumer"
            }
            Self::SqsBatch1 => {
                "no-op handler, SQS emulator, receive 1 and DeleteMessage per message (no batching), concurrency 10"
            }
            Self::SqsBatch10 => {
                "no-op handler, SQS emulator, receive up to 10 and DeleteMessageBatch of up to 10, concurrency 10"
            }
        }
    }

    fn messages(self, quick: bool) -> usize {
        let full = match self {
            Self::MemoryNoop => 20_000,
            Self::SqsNoop | Self::SqsDb | Self::SqsFloor => 1_000,
            Self::SqsBatch1 | Self::SqsBatch10 => 300,
            Self::MemoryDb | Self::DbFloorSequential | Self::DbFloorConcurrent => 5_000,
        };
        if quick {
            full / 10
        } else {
            full
        }
    }

    fn uses_sqs(self) -> bool {
        matches!(
            self,
            Self::SqsNoop | Self::SqsDb | Self::SqsFloor | Self::SqsBatch1 | Self::SqsBatch10
        )
    }

    fn uses_db(self) -> bool {
        !matches!(
            self,
            Self::MemoryNoop | Self::SqsNoop | Self::SqsFloor | Self::SqsBatch1 | Self::SqsBatch10
        )
    }

    /// The floor a scenario's throughput is compared with.
    fn floor(self) -> Option<Self> {
        match self {
            Self::MemoryDb | Self::SqsDb => Some(Self::DbFloorConcurrent),
            Self::SqsNoop => Some(Self::SqsFloor),
            _ => None,
        }
    }
}

/// A fresh database from the migrated template, with its own pool of `POOL_SIZE`.
struct BenchDatabase {
    // Field order matters: the pool closes before the database is dropped.
    pool: DbPool,
    writer: ContactWriter,
    _database: TestDatabase,
}

impl BenchDatabase {
    async fn create() -> anyhow::Result<Self> {
        let database = TestDatabase::new()
            .await
            .context("creating a fresh bench database")?;
        let pool = delius_data::build_pool(database.url(), POOL_SIZE, Duration::from_secs(10))
            .context("building the bench pool")?;
        let writer = ContactWriter::setup(pool.clone()).await?;
        Ok(Self {
            pool,
            writer,
            _database: database,
        })
    }
}

impl Drop for BenchDatabase {
    fn drop(&mut self) {
        self.pool.close();
    }
}

/// What a scenario measured, before it becomes a report row.
struct Measured {
    elapsed: Duration,
    latencies: Option<stats::LatencySummary>,
    consumer: Option<ConsumerRun>,
}

impl From<ConsumerRun> for Measured {
    fn from(run: ConsumerRun) -> Self {
        Self {
            elapsed: run.elapsed,
            latencies: run.latency,
            consumer: Some(run),
        }
    }
}

async fn run(
    scenario: Scenario,
    messages: usize,
    db: Option<&BenchDatabase>,
) -> anyhow::Result<Measured> {
    let db = || db.context("internal error: a database scenario ran without a database");
    match scenario {
        Scenario::MemoryNoop => Ok(runner::memory(messages, Work::Noop).await?.into()),
        Scenario::SqsNoop => Ok(runner::sqs(messages, Work::Noop).await?.into()),
        Scenario::SqsFloor => Ok(runner::sqs_floor(messages).await?.into()),
        Scenario::SqsBatch1 => {
            let config = runner::sqs_batch_config(1);
            Ok(runner::sqs_with(messages, Work::Noop, config).await?.into())
        }
        Scenario::SqsBatch10 => {
            let config = runner::sqs_batch_config(10);
            Ok(runner::sqs_with(messages, Work::Noop, config).await?.into())
        }
        Scenario::MemoryDb => {
            let db = db()?;
            db.writer.warm_up(POOL_SIZE).await?;
            let work = Work::InsertContact(db.writer.clone());
            Ok(runner::memory(messages, work).await?.into())
        }
        Scenario::SqsDb => {
            let db = db()?;
            db.writer.warm_up(POOL_SIZE).await?;
            let work = Work::InsertContact(db.writer.clone());
            Ok(runner::sqs(messages, work).await?.into())
        }
        Scenario::DbFloorSequential => {
            let db = db()?;
            db.writer.warm_up(POOL_SIZE).await?;
            let latencies = Latencies::with_capacity(messages);
            let elapsed = db.writer.floor_sequential(messages, &latencies).await?;
            Ok(Measured {
                elapsed,
                latencies: latencies.summary(),
                consumer: None,
            })
        }
        Scenario::DbFloorConcurrent => {
            let db = db()?;
            db.writer.warm_up(POOL_SIZE).await?;
            let latencies = Arc::new(Latencies::with_capacity(messages));
            let elapsed = db
                .writer
                .floor_concurrent(messages, FLOOR_TASKS, latencies.clone())
                .await?;
            Ok(Measured {
                elapsed,
                latencies: latencies.summary(),
                consumer: None,
            })
        }
    }
}

fn report_row(scenario: Scenario, messages: usize, measured: &Measured) -> ScenarioReport {
    let seconds = measured.elapsed.as_secs_f64();
    let consumer = measured.consumer.as_ref();
    ScenarioReport {
        scenario: scenario.name(),
        description: scenario.description(),
        status: Status::Ok,
        reason: None,
        messages,
        seconds: Some(seconds),
        msgs_per_sec: (seconds > 0.0).then(|| messages as f64 / seconds),
        latency: measured.latencies,
        handler_calls: consumer.map(|c| c.handler_calls),
        receive_calls: consumer.map(|c| c.receive_calls),
        delete_calls: consumer.map(|c| c.delete_calls),
        messages_per_receive: consumer
            .filter(|c| c.receive_calls > 0)
            .map(|c| c.messages_received as f64 / c.receive_calls as f64),
        asked_per_receive: consumer
            .filter(|c| c.receive_calls > 0)
            .map(|c| c.messages_asked as f64 / c.receive_calls as f64),
        floor: None,
        vs_floor: None,
    }
}

fn settings() -> serde_json::Value {
    let memory = runner::memory_config();
    let sqs = runner::sqs_config();
    serde_json::json!({
        "pool_size": POOL_SIZE,
        "floor_tasks": FLOOR_TASKS,
        "memory_consumer": {
            "concurrency": memory.concurrency,
            "batch_size": memory.batch_size,
            "wait_time_ms": memory.wait_time.as_millis() as u64,
            "visibility_timeout_s": memory.visibility_timeout.as_secs(),
        },
        "sqs_consumer": {
            "concurrency": sqs.concurrency,
            "batch_size": sqs.batch_size,
            "delete_batch_size": sqs.delete_batch_size,
            "delete_batch_window_ms": sqs.delete_batch_window.as_millis() as u64,
            "wait_time_ms": sqs.wait_time.as_millis() as u64,
            "visibility_timeout_s": sqs.visibility_timeout.as_secs(),
            "endpoint": test_support::sqs::endpoint(),
        },
        "handler": "DB scenarios: parse payload, check out a pooled connection, one transaction of nextval(contact_id_seq) + INSERT INTO contact",
        "telemetry": "Telemetry::new() (tracing events, filtered at warn); no metrics recorder installed",
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    match bench(Args::parse()).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("bench: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the selected scenarios; Ok(false) when any of them failed (the others still report).
async fn bench(args: Args) -> anyhow::Result<bool> {
    let mut selected = if args.only.is_empty() {
        Scenario::value_variants().to_vec()
    } else {
        args.only.clone()
    };
    selected.sort();
    selected.dedup();

    let sqs_unavailable = if selected.iter().any(|s| s.uses_sqs()) {
        match runner::probe_emulator().await {
            Ok(()) => None,
            Err(reason) => {
                eprintln!("bench: skipping the SQS scenarios: {reason}");
                Some(reason)
            }
        }
    } else {
        None
    };
    let needs_db = selected.iter().any(|s| s.uses_db());
    let db = if needs_db {
        Some(BenchDatabase::create().await?)
    } else {
        None
    };

    let mut rows = Vec::new();
    for scenario in selected {
        let messages = scenario.messages(args.quick);
        if let (true, Some(reason)) = (scenario.uses_sqs(), &sqs_unavailable) {
            rows.push(ScenarioReport::not_run(
                scenario.name(),
                scenario.description(),
                messages,
                Status::Skipped,
                reason.clone(),
            ));
            continue;
        }
        eprintln!("bench: {} ({messages} messages)…", scenario.name());
        match run(scenario, messages, db.as_ref()).await {
            Ok(measured) => {
                let row = report_row(scenario, messages, &measured);
                eprintln!(
                    "bench: {}: {:.3} s, {} msgs/s",
                    row.scenario,
                    row.seconds.unwrap_or_default(),
                    row.msgs_per_sec.map_or(0, |r| r.round() as u64)
                );
                rows.push(row);
            }
            Err(error) => {
                eprintln!("bench: {} failed: {error:#}", scenario.name());
                rows.push(ScenarioReport::not_run(
                    scenario.name(),
                    scenario.description(),
                    messages,
                    Status::Failed,
                    format!("{error:#}"),
                ));
            }
        }
    }
    drop(db);

    let rates: Vec<(&'static str, Option<f64>)> =
        rows.iter().map(|r| (r.scenario, r.msgs_per_sec)).collect();
    for row in &mut rows {
        let floor = Scenario::value_variants()
            .iter()
            .find(|s| s.name() == row.scenario)
            .and_then(|s| s.floor());
        if let Some(floor) = floor {
            let floor_rate = rates
                .iter()
                .find(|(name, _)| *name == floor.name())
                .and_then(|(_, rate)| *rate);
            row.floor = Some(floor.name());
            row.vs_floor = row.msgs_per_sec.zip(floor_rate).map(|(r, f)| r / f);
        }
    }

    let report = Report {
        generated_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        quick: args.quick,
        machine: Machine {
            cores: std::thread::available_parallelism().map_or(0, |n| n.get()),
            os: std::env::consts::OS,
            arch: std::env::consts::ARCH,
        },
        settings: settings(),
        scenarios: rows,
    };
    println!();
    print!("{}", report::table(&report.scenarios));
    let notes = report::notes(&report.scenarios);
    if !notes.is_empty() {
        println!();
        print!("{notes}");
    }
    let (json, md) = report::write(&report)?;
    println!("\nwrote {} and {}", json.display(), md.display());
    Ok(report.scenarios.iter().all(|s| s.status != Status::Failed))
}
