//! `local-stack`: the tool behind `make run` and the e2e tests.
//!
//! * `provision` – SNS topic, per-service queues + DLQs and filtered subscriptions on the SQS/SNS emulator
//! * `simulate`  – one HTTP server for every upstream API (WireMock-format mappings) and HMPPS Auth
//! * `publish`   – publish example message files to the topic, as the upstream system would
//! * `queues`    – visible / in-flight / dead-lettered message counts per service
//! * `migrate`   – create the Delius tables and seed reference data in a database
//! * `seed`      – load services' dev seed SQL (example people) for `make run`
//! * `env`       – the environment a service runs with on the local stack

mod aws;
mod provision;
mod publish;
mod queues;
mod seed;
mod service_env;
mod simulate;
mod table;
mod topology;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use topology::Topology;

#[derive(Parser)]
#[command(
    name = "local-stack",
    version,
    about = "Local SQS/SNS, upstream simulator and HMPPS Auth for the probation integration services"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create (idempotently) the topic, queues, DLQs and filtered subscriptions; print what exists.
    Provision {
        #[command(flatten)]
        aws: AwsArgs,
        /// Leave `{"prefix": ...}` filters out of the filter policies (for emulators without prefix matching).
        #[arg(long)]
        exact_only: bool,
    },
    /// Serve the upstream simulations and a fake HMPPS Auth.
    Simulate {
        #[arg(long, env = "SIMULATOR_PORT", default_value_t = 8090)]
        port: u16,
        #[arg(long, env = "SIMULATOR_HOST", default_value = "127.0.0.1")]
        host: String,
        /// Folder of `<service>/mappings/*.json` + `<service>/__files/` [default: crates/local-stack/simulations]
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Topology file, for the upstream path prefixes [default: crates/local-stack/topology.json]
        #[arg(long)]
        topology: Option<PathBuf>,
        /// RSA private key (PEM) that signs tokens [default: crates/test-support/keys/test-private.pem if
        /// present, else crates/local-stack/keys/dev-private.pem]
        #[arg(long, env = "SIMULATOR_SIGNING_KEY")]
        signing_key: Option<PathBuf>,
    },
    /// Publish example message files (SNS Notification envelopes) to the topic.
    Publish {
        /// Message files, e.g. crates/local-stack/messages/prison-custody-status-to-delius/prisoner-released.json
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        aws: AwsArgs,
        /// Replaces `http://localhost:{wiremock.port}` in the message.
        #[arg(long, env = "SIMULATOR_URL")]
        simulator_url: Option<String>,
    },
    /// Print message counts per service queue and its DLQ.
    Queues {
        #[command(flatten)]
        aws: AwsArgs,
    },
    /// Create the Delius tables and seed the reference data (dev/test only).
    Migrate {
        #[arg(long, env = "DATABASE_URL")]
        database_url: String,
    },
    /// Run SQL files (e.g. a service's dev-seed.sql of example people) against a database.
    Seed {
        #[arg(long, env = "DATABASE_URL")]
        database_url: String,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print `NAME=value` lines: the environment SERVICE runs with on the local stack.
    Env {
        service: String,
        #[arg(long, env = "DATABASE_URL")]
        database_url: String,
        #[command(flatten)]
        aws: AwsArgs,
    },
}

#[derive(Args)]
struct AwsArgs {
    /// SQS/SNS endpoint [default: http://127.0.0.1:${SQS_PORT:-4566}]
    #[arg(long, env = "LOCAL_STACK_ENDPOINT")]
    endpoint: Option<String>,
    /// Topology file [default: crates/local-stack/topology.json]
    #[arg(long)]
    topology: Option<PathBuf>,
}

impl AwsArgs {
    fn endpoint(&self) -> String {
        self.endpoint.clone().unwrap_or_else(|| {
            let port = std::env::var("SQS_PORT").unwrap_or_else(|_| "4566".into());
            format!("http://127.0.0.1:{port}")
        })
    }

    fn topology(&self) -> Result<Topology> {
        load_topology(self.topology.as_deref())
    }
}

/// A repository-relative default: as given when it exists from the current directory, else relative to
/// the workspace this binary was built from (so `cargo run` works from any folder).
fn default_path(relative: &str) -> PathBuf {
    let here = PathBuf::from(relative);
    if here.exists() {
        return here;
    }
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .and_then(Path::parent);
    match workspace {
        Some(root) if root.join(relative).exists() => root.join(relative),
        _ => here,
    }
}

fn load_topology(path: Option<&Path>) -> Result<Topology> {
    let path = path
        .map(Path::to_path_buf)
        .unwrap_or_else(|| default_path("crates/local-stack/topology.json"));
    Topology::load(&path)
}

fn init_tracing(default: &str) {
    use std::io::IsTerminal;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .init();
}

async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Provision { aws, exact_only } => {
            let topology = aws.topology()?;
            let clients = aws::clients(&aws.endpoint(), &topology.region).await;
            provision::provision(&clients, &topology, exact_only).await
        }
        Command::Publish {
            files,
            aws,
            simulator_url,
        } => {
            let topology = aws.topology()?;
            let clients = aws::clients(&aws.endpoint(), &topology.region).await;
            let simulator_url = simulator_url.unwrap_or_else(|| {
                let port = std::env::var("SIMULATOR_PORT").unwrap_or_else(|_| "8090".into());
                format!("http://127.0.0.1:{port}")
            });
            publish::publish_files(&clients, &topology, &files, &simulator_url).await
        }
        Command::Queues { aws } => {
            let topology = aws.topology()?;
            let clients = aws::clients(&aws.endpoint(), &topology.region).await;
            queues::queues(&clients, &topology).await
        }
        Command::Migrate { database_url } => {
            delius_data::migrate::run_migrations(&database_url).await?;
            println!("migrated {}", delius_data::migrate::redact(&database_url));
            Ok(())
        }
        Command::Seed {
            database_url,
            files,
        } => seed::run(&database_url, &files).await,
        Command::Env {
            service,
            database_url,
            aws,
        } => {
            let topology = aws.topology()?;
            for (name, value) in
                service_env::service_env(&topology, &service, &database_url, &aws.endpoint())?
            {
                println!("{name}={value}");
            }
            Ok(())
        }
        Command::Simulate {
            port,
            host,
            dir,
            topology,
            signing_key,
        } => {
            let topology = load_topology(topology.as_deref())?;
            let dir = dir.unwrap_or_else(|| default_path("crates/local-stack/simulations"));
            let signing_key = signing_key.unwrap_or_else(|| {
                let shared = default_path("crates/test-support/keys/test-private.pem");
                if shared.exists() {
                    shared
                } else {
                    default_path("crates/local-stack/keys/dev-private.pem")
                }
            });
            simulate::run(simulate::SimulatorConfig {
                host,
                port,
                dir: &dir,
                signing_key: &signing_key,
                prefixes: topology.upstream_prefixes(),
            })
            .await
            .context("simulator")
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let default_filter = match cli.command {
        Command::Simulate { .. } => "info,hyper=warn",
        _ => "warn,aws_config=error,aws_smithy_runtime=error",
    };
    init_tracing(default_filter);
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("local-stack: {e:#}");
            ExitCode::FAILURE
        }
    }
}
