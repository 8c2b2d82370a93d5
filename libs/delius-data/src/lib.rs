//! The Delius database as the services see it: the Diesel schema of the Delius tables, the
//! dev/test migrations that create them, the connection pool, Delius encodings and time rules,
//! and the lookups every service shares.

pub mod errors;
pub mod flags;
pub mod lookups;
pub mod migrate;
pub mod pool;
pub mod schema;
pub mod staff;
pub mod time;

pub use errors::{is_transient, StaleRow};
pub use flags::{YesNo, ZeroOne};
pub use pool::{build_pool, DbConnection, DbPool};
