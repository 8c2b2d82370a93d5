//! Outbound calls to other HMPPS services with a client-credentials token from HMPPS Auth.
//!
//! ```no_run
//! # use std::sync::Arc;
//! use auth::outbound::{http_client, AuthorisedClient, ClientCredentials, TokenProvider};
//!
//! #[derive(serde::Deserialize)]
//! struct Detail { crn: String }
//!
//! # async fn example(credentials: ClientCredentials, detail_url: &str) -> Result<(), Box<dyn std::error::Error>> {
//! let http = http_client()?;
//! let tokens = Arc::new(TokenProvider::new(credentials, http.clone()));
//! let client = AuthorisedClient::new(http, tokens);
//! match client.get_json::<Detail>(detail_url).await {
//!     Ok(Some(detail)) => println!("{}", detail.crn),
//!     Ok(None) => println!("not found"),
//!     Err(error) if error.is_transient() => return Err(error.into()), // retry the message later
//!     Err(error) => return Err(error.into()),                          // will not get better
//! }
//! # Ok(())
//! # }
//! ```

mod client;
mod http_client;
mod retry;
mod token;

pub use client::{AuthorisedClient, UpstreamError, TRACEPARENT};
pub use http_client::{http_client, CONNECT_TIMEOUT, TOTAL_TIMEOUT};
pub use retry::RetryPolicy;
pub use token::{AuthError, ClientCredentials, TokenProvider};
