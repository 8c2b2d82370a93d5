//! Start-up shared by every service binary: typed configuration from the environment, logs,
//! traces and metrics, the operational HTTP endpoints, and graceful shutdown.

pub mod config;
pub mod http_trace;
pub mod observability;
pub mod ops;
pub mod runtime;
pub mod settings;
pub mod shutdown;

pub use config::{ConfigError, Env};
pub use runtime::Platform;
pub use settings::{LogFormat, PlatformSettings, ServiceInfo};
