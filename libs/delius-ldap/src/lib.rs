//! The Delius LDAP directory: the details Delius keeps for a user outside its database (e-mail,
//! telephone), looked up by username (`USER_.DISTINGUISHED_NAME`).

//!
//! [`LdapDirectory`] searches a real LDAP server (locally: `scripts/ldap.sh start`);
//! [`StaticDirectory`] holds users in memory for tests.

use std::collections::HashMap;

use async_trait::async_trait;

mod filter;
mod ldap_directory;
mod settings;

pub use filter::{escape_filter_value, user_filter};
pub use ldap_directory::LdapDirectory;
pub use settings::{LdapSettings, LdapSettingsError, DEFAULT_BASE_DN, DEFAULT_TIMEOUT};

/// What the directory holds for one user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DirectoryUser {
    pub username: String,
    pub forename: Option<String>,
    pub surname: Option<String>,
    pub email: Option<String>,
    pub telephone: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    #[error("LDAP directory unavailable: {0}")]
    Unavailable(String),
}

/// Looks users up by username. `Ok(None)` means the directory has no such user.
#[async_trait]
pub trait Directory: Send + Sync + 'static {
    async fn find_user(&self, username: &str) -> Result<Option<DirectoryUser>, DirectoryError>;
}

/// A directory held in memory: for tests, and for running without an LDAP server.
#[derive(Debug, Clone, Default)]
pub struct StaticDirectory {
    users: HashMap<String, DirectoryUser>,
}

impl StaticDirectory {
    pub fn new(users: impl IntoIterator<Item = DirectoryUser>) -> Self {
        Self {
            users: users.into_iter().map(|u| (u.username.clone(), u)).collect(),
        }
    }
}

#[async_trait]
impl Directory for StaticDirectory {
    async fn find_user(&self, username: &str) -> Result<Option<DirectoryUser>, DirectoryError> {
        Ok(self.users.get(username).cloned())
    }
}
