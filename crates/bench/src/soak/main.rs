//! Soak: a long mixed stream of messages through five services' real handlers, each behind its own
//! platform `Consumer` on its own in-memory queue and database, as five deployed services would
//! run. Reports throughput per interval, RSS at the start and the end, and checks that nothing was
//! lost: every message handled once with its expected outcome, the queues and DLQs empty, and the
//! expected rows in each database. See crates/bench/README.md.
//!
//! `cargo run --release -p bench --bin soak [-- --messages 50000 | --quick]` (in `make bench`).

mod case_notes;
mod custody;
mod pom;
mod refer_and_monitor;
mod workforce;
mod workload;

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use messaging::{Consumer, ConsumerConfig, InMemoryQueue, Queue, Telemetry};
use serde_json::json;
use test_support::bench::{log_like_production, Memory, Report, ScenarioResult};
use tokio_util::sync::CancellationToken;

use workload::{Counted, Workload};

/// Production defaults: `DATABASE_POOL_SIZE` and `MESSAGING_CONSUMER_CONCURRENCY`, per service.
pub const POOL_SIZE: usize = 10;
const CONCURRENCY: usize = 10;
/// The services whose handlers the soak drives.
const SERVICES: usize = 5;
/// No progress for this long fails the soak instead of hanging it.
const STALL_LIMIT: Duration = Duration::from_secs(120);

#[derive(Parser, Debug)]
#[command(
    about = "Mixed messages through five services' handlers: throughput over time, RSS, nothing lost"
)]
struct Args {
    /// Messages in all, spread round robin over the five services.
    #[arg(long, default_value_t = 50_000)]
    messages: usize,
    /// A smoke run: 2,000 messages, 1 s intervals.
    #[arg(long)]
    quick: bool,
    /// Seconds per throughput sample.
    #[arg(long, default_value_t = 5)]
    interval: u64,
    /// Most messages waiting per queue: the producer keeps each queue topped up to this, so the
    /// soak holds a steady backlog rather than all its messages in memory at once.
    #[arg(long, default_value_t = 200)]
    backlog: usize,
}

struct Running {
    workload: Box<dyn Workload>,
    counted: Arc<Counted>,
    queue: InMemoryQueue,
}

#[derive(serde::Serialize)]
struct Interval {
    end_seconds: f64,
    messages: u64,
    msgs_per_sec: f64,
    total: u64,
    rss_kb: Option<u64>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = Args::parse();
    if args.quick {
        args.messages = 2_000;
        args.interval = 1;
    }
    // Each service's people are numbered into CRNs and NOMS numbers that run out at 260,000.
    anyhow::ensure!(
        (SERVICES..=1_000_000).contains(&args.messages) && args.interval > 0,
        "--messages must be 5 to 1,000,000 and --interval above 0"
    );
    log_like_production();

    let n = args.messages;
    let share = |service: usize| n / SERVICES + usize::from(service < n % SERVICES);
    println!(
        "soak: {n} messages over {SERVICES} services, setting up ({SERVICES} databases, stubs, seeds)..."
    );
    let (case_notes, custody, workforce, pom, refer_and_monitor) = tokio::try_join!(
        case_notes::CaseNotes::start(),
        custody::Custody::start(share(1)),
        workforce::Workforce::start(share(2)),
        pom::Pom::start(share(3)),
        refer_and_monitor::ReferAndMonitor::start(share(4)),
    )?;
    let workloads: Vec<Box<dyn Workload>> = vec![
        Box::new(case_notes),
        Box::new(custody),
        Box::new(workforce),
        Box::new(pom),
        Box::new(refer_and_monitor),
    ];

    let shutdown = CancellationToken::new();
    let mut services = Vec::new();
    let mut consumers = Vec::new();
    for workload in workloads {
        let share = share(services.len());
        let counted = Arc::new(Counted::new(workload.as_ref(), share));
        let queue = InMemoryQueue::new(&format!("{}-queue", workload.name()));
        let config = ConsumerConfig {
            concurrency: CONCURRENCY,
            wait_time: Duration::from_millis(20),
            ..ConsumerConfig::default()
        };
        let consumer = Consumer::new(
            Arc::new(queue.clone()),
            counted.clone(),
            config,
            Telemetry::new(),
            // The services' classifier, as their `main`s build it.
            service_kit::Platform::classifier(vec![]),
        );
        consumers.push(tokio::spawn(consumer.run(shutdown.clone())));
        services.push(Running {
            workload,
            counted,
            queue,
        });
    }
    let services = Arc::new(services);

    // InMemoryQueue remembers the ids of up to 65,536 finished messages (for `wait_for`), so the
    // soak's RSS grows with every message until that cap whatever the services do. Measure that
    // record alone on bare queues with the same message counts, kept alive to the end.
    let before_control = Memory::now();
    let control = queue_record_control(services.len(), share).await?;
    let rss_start = Memory::now();
    let record_kb = kb_between(before_control.rss_kb, rss_start.rss_kb);
    println!(
        "the in-memory queues' record of {n} finished message ids alone: {:.1} MiB",
        record_kb / 1024.0
    );
    println!(
        "RSS at start (services set up, consumers idle): {} MiB",
        mib(rss_start.rss_kb)
    );
    println!(
        "{:>8} {:>9} {:>9} {:>9} {:>9}",
        "t (s)", "messages", "msgs/s", "total", "RSS MiB"
    );

    let started = Instant::now();
    let producer = tokio::spawn(produce(services.clone(), n, args.backlog));
    let handled = || -> u64 {
        services
            .iter()
            .map(|s| {
                s.counted.handled.load(Ordering::Relaxed)
                    + s.counted.unexpected.load(Ordering::Relaxed)
            })
            .sum()
    };
    let mut intervals: Vec<Interval> = Vec::new();
    let (mut last_total, mut last_at, mut last_progress) = (0u64, started, Instant::now());
    let mut rss_after_first = None;
    loop {
        // An interval ends at its tick or when the last message is handled, whichever is first,
        // so the last sample is not padded with idle time.
        let tick = last_at + Duration::from_secs(args.interval);
        let finished = || producer.is_finished() && services.iter().all(|s| s.queue.pending() == 0);
        let mut done = finished();
        while !done && Instant::now() < tick {
            tokio::time::sleep(Duration::from_millis(20).min(tick - Instant::now())).await;
            done = finished();
        }
        let now = Instant::now();
        let total = handled();
        let seconds = now.duration_since(last_at).as_secs_f64();
        if total > last_total {
            last_progress = now;
        }
        let interval = Interval {
            end_seconds: now.duration_since(started).as_secs_f64(),
            messages: total - last_total,
            msgs_per_sec: (total - last_total) as f64 / seconds.max(f64::MIN_POSITIVE),
            total,
            rss_kb: Memory::now().rss_kb,
        };
        println!(
            "{:>8.1} {:>9} {:>9.0} {:>9} {:>9}",
            interval.end_seconds,
            interval.messages,
            interval.msgs_per_sec,
            interval.total,
            mib(interval.rss_kb)
        );
        if rss_after_first.is_none() {
            rss_after_first = interval.rss_kb;
        }
        intervals.push(interval);
        (last_total, last_at) = (total, now);
        if done {
            break;
        }
        if now.duration_since(last_progress) > STALL_LIMIT {
            shutdown.cancel();
            anyhow::bail!(
                "no message handled for {STALL_LIMIT:?}: {total} of {n} handled, pending {:?}",
                services
                    .iter()
                    .map(|s| s.queue.pending())
                    .collect::<Vec<_>>()
            );
        }
    }
    let elapsed = started.elapsed();
    let sent = producer.await??;
    shutdown.cancel();
    for consumer in consumers {
        consumer.await?;
    }
    let rss_end = Memory::now();

    let mut results = Vec::new();
    let mut checks = Vec::new();
    let mut failures = Vec::new();
    println!(
        "\n{:<22} {:>7} {:>7} {:>7} {:>10} {:>5} {:>5}",
        "service", "sent", "calls", "handled", "unexpected", "DLQ", "lost"
    );
    for (service, sent) in services.iter().zip(&sent) {
        let name = service.workload.name();
        let counted = &service.counted;
        let (calls, ok, unexpected) = (
            counted.calls.load(Ordering::Relaxed),
            counted.handled.load(Ordering::Relaxed),
            counted.unexpected.load(Ordering::Relaxed),
        );
        let dead = service.queue.dead_letters().len();
        let lost = (*sent as u64).saturating_sub(ok);
        println!("{name:<22} {sent:>7} {calls:>7} {ok:>7} {unexpected:>10} {dead:>5} {lost:>5}");
        if lost > 0 || unexpected > 0 || dead > 0 {
            let first = counted
                .first_unexpected
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone();
            failures.push(format!(
                "{name}: {lost} lost, {unexpected} unexpected, {dead} dead-lettered (first: {})",
                first.unwrap_or_else(|| "none recorded".to_owned())
            ));
        }
        let rows = service.workload.rows(*sent).await?;
        for row in &rows {
            println!(
                "    {:<44} expected {:>7} found {:>7}",
                row.what, row.expected, row.found
            );
            if row.expected != row.found {
                failures.push(format!(
                    "{name}: {} expected {}, found {}",
                    row.what, row.expected, row.found
                ));
            }
        }
        checks.push(json!({"service": name, "sent": sent, "handler_calls": calls, "handled": ok,
                           "unexpected": unexpected, "dead_letters": dead, "lost": lost, "rows": rows}));
        results.push(ScenarioResult::new(
            name,
            format!("{sent} messages of the soak through the service's handler"),
            *sent,
            elapsed,
            counted.latencies.summary(),
        ));
    }
    let total_sent: usize = sent.iter().sum();
    results.push(ScenarioResult::new(
        "soak-total",
        "every message of the five services, interleaved",
        total_sent,
        elapsed,
        None,
    ));
    let lost_total: u64 = checks.iter().filter_map(|c| c["lost"].as_u64()).sum();

    let rates: Vec<f64> = intervals
        .iter()
        .filter(|i| i.messages > 0)
        .map(|i| i.msgs_per_sec)
        .collect();
    // The last sample is usually a partial one as the queues drain, so it is left out of the spread.
    let steady = if rates.len() > 1 {
        &rates[..rates.len() - 1]
    } else {
        &rates[..]
    };
    let (min, max) = steady.iter().fold((f64::INFINITY, 0f64), |(lo, hi), r| {
        (lo.min(*r), hi.max(*r))
    });
    let growth_mib = |from: Option<u64>| match (from, rss_end.rss_kb) {
        (Some(from), Some(to)) => (to as f64 - from as f64) / 1024.0,
        _ => 0.0,
    };
    let first_interval_total = intervals.first().map_or(0, |i| i.total);
    let record_after_first_mib =
        record_kb / 1024.0 * (n as u64 - first_interval_total) as f64 / n as f64;
    drop(control);
    let mut report = Report {
        name: "soak",
        title: "soak: mixed messages through five services",
        unit: "msgs",
        quick: args.quick,
        settings: json!({"messages": n, "interval_seconds": args.interval, "backlog_per_queue": args.backlog,
                         "services": services.iter().map(|s| s.workload.name()).collect::<Vec<_>>(),
                         "pool_size_per_service": POOL_SIZE, "consumer_concurrency_per_service": CONCURRENCY,
                         "queue": "in-memory, one per service", "log": "JSON at info into a sink"}),
        results,
        findings: vec![
            format!(
                "Throughput per {} s interval: min {:.0}, max {:.0} msgs/s over {} intervals (last partial one excluded); {:.0} msgs/s overall.",
                args.interval, if min.is_finite() { min } else { 0.0 }, max, steady.len(),
                total_sent as f64 / elapsed.as_secs_f64().max(f64::MIN_POSITIVE)
            ),
            format!(
                "RSS: {} MiB at start, {} MiB after the first interval, {} MiB at the end (peak {} MiB): {:+.1} MiB since the start, {:+.1} MiB since the first interval.",
                mib(rss_start.rss_kb), mib(rss_after_first), mib(rss_end.rss_kb), mib(rss_end.peak_rss_kb),
                growth_mib(rss_start.rss_kb), growth_mib(rss_after_first)
            ),
            format!(
                "Of the growth since the first interval, the in-memory queues' finished-id record accounts for about {:.1} MiB \
                 ({:.1} MiB measured for all {n} ids on bare queues before the start, scaled to the {} messages after the first interval); \
                 the rest, {:+.1} MiB, is the services, consumers, pools and the {:.1} MiB of latency samples.",
                record_after_first_mib, record_kb / 1024.0, n as u64 - first_interval_total,
                growth_mib(rss_after_first) - record_after_first_mib,
                (n * 8) as f64 / 1024.0 / 1024.0
            ),
            format!("Lost: {lost_total} of {total_sent} (sent minus handled with the expected outcome; DLQs and row counts checked per service)."),
        ],
        extra: json!({"intervals": intervals, "checks": checks, "lost": lost_total,
                      "queue_record_kb": record_kb, "rss_kb": {"start": rss_start.rss_kb, "after_first_interval": rss_after_first,
                                 "end": rss_end.rss_kb, "peak": rss_end.peak_rss_kb}}),
        memory: rss_end,
        memory_note: "one process: five services' handlers, consumers and pools, their HTTP stubs and fake HMPPS Auth, the producer",
    };
    if !failures.is_empty() {
        report
            .findings
            .push(format!("FAILED: {}", failures.join("; ")));
    }
    report.write()?;
    anyhow::ensure!(
        failures.is_empty(),
        "the soak lost or mishandled messages: {}",
        failures.join("; ")
    );
    Ok(())
}

/// Sends message `i` to service `i % 4`, keeping each queue at most `backlog` deep. Returns how
/// many each service was sent.
async fn produce(
    services: Arc<Vec<Running>>,
    n: usize,
    backlog: usize,
) -> anyhow::Result<Vec<usize>> {
    let mut sent = vec![0usize; services.len()];
    for i in 0..n {
        let s = i % services.len();
        let service = &services[s];
        while service.queue.pending() >= backlog {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        service
            .queue
            .send(&service.workload.message(sent[s]))
            .await?;
        sent[s] += 1;
    }
    Ok(sent)
}

/// Bare in-memory queues that each send, receive and delete as many messages as the soak gives
/// that service, ten at a time, so only their finished-id record is left behind.
async fn queue_record_control(
    queues: usize,
    share: impl Fn(usize) -> usize,
) -> anyhow::Result<Vec<InMemoryQueue>> {
    let body = "x".repeat(600);
    let mut control = Vec::new();
    for q in 0..queues {
        let queue = InMemoryQueue::new(&format!("control-{q}"));
        let mut left = share(q);
        while left > 0 {
            let batch = left.min(10);
            for _ in 0..batch {
                queue.send(&body).await?;
            }
            let received = queue.receive(batch, Duration::ZERO).await?;
            anyhow::ensure!(!received.is_empty(), "the control queue returned nothing");
            for message in &received {
                queue.delete(&message.receipt).await?;
            }
            left -= received.len();
        }
        control.push(queue);
    }
    Ok(control)
}

fn kb_between(from: Option<u64>, to: Option<u64>) -> f64 {
    match (from, to) {
        (Some(from), Some(to)) => to as f64 - from as f64,
        _ => 0.0,
    }
}

fn mib(kb: Option<u64>) -> String {
    kb.map_or_else(|| "?".to_owned(), |kb| format!("{:.1}", kb as f64 / 1024.0))
}
