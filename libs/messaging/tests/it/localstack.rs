//! LocalStack for the SQS/SNS scenarios: a container started through testcontainers when a Docker
//! engine answers, an already running LocalStack named by `PI_TEST_LOCALSTACK_ENDPOINT`, or a
//! skip with its reason printed.
//!
//! | variable | effect |
//! | --- | --- |
//! | `PI_TEST_LOCALSTACK_ENDPOINT` | use this LocalStack (e.g. `docker compose up localstack`: `http://127.0.0.1:4566`) instead of starting a container |
//! | `PI_TEST_LOCALSTACK_IMAGE` | `name:tag` of the image to start (default: the module's `localstack/localstack:4.5`), e.g. a mirror |
//! | `PI_TEST_LOCALSTACK=off` | skip even where Docker answers |
//! | `DOCKER_HOST` | the engine to use (`unix://…` or `tcp://…`); otherwise `/var/run/docker.sock` |

use std::io::Write;
use std::time::Duration;

use testcontainers_modules::localstack::LocalStack as LocalStackImage;
use testcontainers_modules::testcontainers::runners::AsyncRunner;
use testcontainers_modules::testcontainers::{ContainerAsync, ImageExt};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

const DEFAULT_SOCKET: &str = "/var/run/docker.sock";
const PING_TIMEOUT: Duration = Duration::from_secs(3);

pub struct LocalStack {
    endpoint: String,
    /// Held so the container lives as long as the test; dropping it removes the container.
    _container: Option<ContainerAsync<LocalStackImage>>,
}

impl LocalStack {
    /// A LocalStack to run the scenarios on, or `None` after printing why there is none.
    ///
    /// Panics when a Docker engine answers but the container does not start (e.g. the image
    /// cannot be pulled): where Docker exists the LocalStack run is expected, so that is a
    /// failure, not a skip. `PI_TEST_LOCALSTACK=off` opts out.
    pub async fn start_or_skip() -> Option<Self> {
        if let Some(endpoint) = non_empty_var("PI_TEST_LOCALSTACK_ENDPOINT") {
            notice(&format!("running the SQS/SNS scenarios on LocalStack at {endpoint} (PI_TEST_LOCALSTACK_ENDPOINT)"));
            return Some(Self {
                endpoint,
                _container: None,
            });
        }
        if non_empty_var("PI_TEST_LOCALSTACK").as_deref() == Some("off") {
            skip("PI_TEST_LOCALSTACK=off");
            return None;
        }
        let engine = match docker_engine().await {
            Ok(engine) => engine,
            Err(reason) => {
                skip(&reason);
                return None;
            }
        };
        let mut request = LocalStackImage::default().with_env_var("SERVICES", "sqs,sns");
        if let Some(image) = non_empty_var("PI_TEST_LOCALSTACK_IMAGE") {
            let (name, tag) = image.rsplit_once(':').unwrap_or((image.as_str(), "latest"));
            request = request.with_name(name).with_tag(tag);
        }
        notice(&format!(
            "starting LocalStack through the Docker engine at {engine}"
        ));
        let container = request.start().await.unwrap_or_else(|e| {
            panic!(
                "the Docker engine at {engine} answers, but LocalStack did not start: {e}. \
                 Pull the image (or set PI_TEST_LOCALSTACK_IMAGE to a mirror), or skip it \
                 with PI_TEST_LOCALSTACK=off"
            )
        });
        let host = container.get_host().await.expect("LocalStack's host");
        let port = container
            .get_host_port_ipv4(4566)
            .await
            .expect("LocalStack's port 4566 is published");
        Some(Self {
            endpoint: format!("http://{host}:{port}"),
            _container: Some(container),
        })
    }

    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Names the scenario about to run: one test runs them all, so a failure says which.
    pub fn announce(&self, scenario: &str) {
        notice(&format!("LocalStack: {scenario}"));
    }
}

fn non_empty_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Written to the process's stderr directly, not with `eprintln!`: the test harness captures
/// `eprintln!` of passing tests, and a skip must never be silent.
fn notice(message: &str) {
    let _ = writeln!(std::io::stderr(), "{message}");
}

fn skip(reason: &str) {
    notice(&format!(
        "SKIPPED sqs_emulator::localstack (the SQS/SNS scenarios on LocalStack): {reason}; \
         the same scenarios ran on moto (sqs_emulator::moto::*)"
    ));
}

/// Where a Docker engine answers `GET /_ping`, as testcontainers would find it (`DOCKER_HOST`,
/// else the default socket), or why none does.
async fn docker_engine() -> Result<String, String> {
    let from_variable = non_empty_var("DOCKER_HOST");
    let source = if from_variable.is_some() {
        "DOCKER_HOST"
    } else {
        "DOCKER_HOST unset"
    };
    let host = from_variable.unwrap_or_else(|| format!("unix://{DEFAULT_SOCKET}"));
    let answered = if let Some(path) = host.strip_prefix("unix://") {
        match tokio::net::UnixStream::connect(path).await {
            Ok(stream) => ping(stream).await,
            Err(e) => Err(format!("no Docker engine: cannot connect to {path} ({e})")),
        }
    } else if let Some(address) = host.strip_prefix("tcp://") {
        if non_empty_var("DOCKER_TLS_VERIFY").is_some() {
            return Err(format!(
                "DOCKER_HOST={host} needs TLS, which these tests' testcontainers is built without"
            ));
        }
        match tokio::time::timeout(PING_TIMEOUT, tokio::net::TcpStream::connect(address)).await {
            Ok(Ok(stream)) => ping(stream).await,
            Ok(Err(e)) => Err(format!(
                "no Docker engine: cannot connect to {address} ({e})"
            )),
            Err(_) => Err(format!(
                "no Docker engine: {address} did not accept a connection within {PING_TIMEOUT:?}"
            )),
        }
    } else {
        return Err(format!("DOCKER_HOST={host} is neither unix:// nor tcp://"));
    };
    answered
        .map(|()| host.clone())
        .map_err(|e| format!("{e} ({source})"))
}

async fn ping(mut stream: impl AsyncRead + AsyncWrite + Unpin) -> Result<(), String> {
    let exchange = async {
        stream
            .write_all(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n")
            .await?;
        let mut response = Vec::new();
        stream.read_to_end(&mut response).await?;
        std::io::Result::Ok(response)
    };
    let response = match tokio::time::timeout(PING_TIMEOUT, exchange).await {
        Ok(Ok(response)) => response,
        Ok(Err(e)) => return Err(format!("the Docker socket did not answer a ping ({e})")),
        Err(_) => {
            return Err(format!(
                "the Docker socket did not answer a ping within {PING_TIMEOUT:?}"
            ))
        }
    };
    let status = String::from_utf8_lossy(&response);
    let status_line = status.lines().next().unwrap_or_default();
    if status_line.split_whitespace().nth(1) == Some("200") {
        Ok(())
    } else {
        Err(format!(
            "the Docker engine answered the ping with `{status_line}`"
        ))
    }
}
