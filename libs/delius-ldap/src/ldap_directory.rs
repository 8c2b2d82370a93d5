//! [`Directory`] backed by a real LDAP server (the Delius directory, or OpenLDAP locally).

use std::fmt;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use ldap3::{DerefAliases, Ldap, LdapConnAsync, LdapConnSettings, LdapError, Scope, SearchEntry};
use ldap3::{ResultEntry, SearchOptions};
use tokio::sync::Mutex;

use crate::filter::user_filter;
use crate::{Directory, DirectoryError, DirectoryUser, LdapSettings};

/// The attributes read for a user (refer-and-monitor needs the names and telephone too).
const ATTRIBUTES: [&str; 5] = ["cn", "givenName", "sn", "mail", "telephoneNumber"];
/// Usernames are unique: two entries are enough to notice that one is not.
const SIZE_LIMIT: i32 = 2;
/// After a failed connection attempt, look-ups fail at once for this long instead of each waiting
/// out its own connection timeout while the server is down.
const RECONNECT_BACKOFF: Duration = Duration::from_secs(1);

// LDAP result codes (RFC 4511 appendix A) that the search handles itself.
const RC_SUCCESS: u32 = 0;
const RC_SIZE_LIMIT_EXCEEDED: u32 = 4;

/// Looks users up in an LDAP directory: a subtree search under the base for
/// `(&(objectclass=inetOrgPerson)(cn=<username>))`, aliases never dereferenced.
///
/// One bound connection is shared by all look-ups (ldap3 multiplexes operations over it). It is
/// opened on first use and opened again after it breaks, so the service starts while the
/// directory is down and recovers when it comes back. Every failure (unreachable, timed out,
/// bind rejected, search refused) is [`DirectoryError::Unavailable`].
pub struct LdapDirectory {
    settings: LdapSettings,
    state: Mutex<ConnectionState>,
}

#[derive(Default)]
struct ConnectionState {
    current: Option<Connection>,
    next_generation: u64,
    last_failure: Option<(Instant, String)>,
}

/// A bound connection; `generation` tells a broken connection from its replacement.
#[derive(Clone)]
struct Connection {
    ldap: Ldap,
    generation: u64,
}

/// Why a search failed: `broken` when the connection can no longer be trusted, `retryable` when
/// the same search on a new connection may well succeed.
struct SearchFailure {
    message: String,
    broken: bool,
    retryable: bool,
}

impl LdapDirectory {
    /// Does not connect yet: the first look-up (or [`LdapDirectory::verify`]) does.
    pub fn new(settings: LdapSettings) -> Self {
        Self {
            settings,
            state: Mutex::new(ConnectionState::default()),
        }
    }

    pub fn settings(&self) -> &LdapSettings {
        &self.settings
    }

    /// Connects and binds now (when not already connected): for a start-up log line or a health
    /// check.
    pub async fn verify(&self) -> Result<(), DirectoryError> {
        self.connection().await.map(|_| ())
    }

    /// The shared connection, opened (and bound) when there is none or it has closed.
    async fn connection(&self) -> Result<Connection, DirectoryError> {
        let mut state = self.state.lock().await;
        if let Some(connection) = state.current.as_mut() {
            if !connection.ldap.is_closed() {
                return Ok(connection.clone());
            }
            state.current = None;
        }
        if let Some((failed_at, message)) = &state.last_failure {
            if failed_at.elapsed() < RECONNECT_BACKOFF {
                return Err(DirectoryError::Unavailable(format!(
                    "{message} (not retried for {RECONNECT_BACKOFF:?} after a failure)"
                )));
            }
        }
        match self.open().await {
            Ok(ldap) => {
                let connection = Connection {
                    ldap,
                    generation: state.next_generation,
                };
                state.next_generation += 1;
                state.current = Some(connection.clone());
                state.last_failure = None;
                Ok(connection)
            }
            Err(message) => {
                state.last_failure = Some((Instant::now(), message.clone()));
                Err(DirectoryError::Unavailable(message))
            }
        }
    }

    /// Drops `broken` so that the next look-up reconnects, unless it was already replaced.
    async fn forget(&self, broken: &Connection) {
        let mut state = self.state.lock().await;
        if state
            .current
            .as_ref()
            .is_some_and(|current| current.generation == broken.generation)
        {
            state.current = None;
        }
    }

    async fn open(&self) -> Result<Ldap, String> {
        let url = &self.settings.url;
        let timeout = self.settings.timeout;
        let connect = async {
            let connection_settings = LdapConnSettings::new().set_conn_timeout(timeout);
            let (driver, mut ldap) = LdapConnAsync::with_settings(connection_settings, url)
                .await
                .map_err(|e| format!("cannot connect to {url}: {e}"))?;
            let driven_url = url.clone();
            tokio::spawn(async move {
                if let Err(e) = driver.drive().await {
                    tracing::warn!(url = %driven_url, error = %e, "LDAP connection closed");
                }
            });
            if !self.settings.bind_dn.is_empty() {
                ldap.with_timeout(timeout)
                    .simple_bind(&self.settings.bind_dn, &self.settings.password)
                    .await
                    .and_then(|result| result.success())
                    .map_err(|e| {
                        format!("bind to {url} as {} failed: {e}", self.settings.bind_dn)
                    })?;
            }
            Ok(ldap)
        };
        // ldap3 bounds the TCP connect and the bind; this also bounds a TLS handshake.
        tokio::time::timeout(timeout, connect)
            .await
            .unwrap_or_else(|_| Err(format!("connecting to {url} took longer than {timeout:?}")))
    }

    /// Searches, dropping the connection when it proved broken so that the next look-up reconnects.
    async fn search_or_forget(
        &self,
        connection: &Connection,
        username: &str,
    ) -> Result<Option<DirectoryUser>, SearchFailure> {
        let outcome = self.search(connection, username).await;
        if outcome.as_ref().is_err_and(|failure| failure.broken) {
            self.forget(connection).await;
        }
        outcome
    }

    async fn search(
        &self,
        connection: &Connection,
        username: &str,
    ) -> Result<Option<DirectoryUser>, SearchFailure> {
        let mut ldap = connection.ldap.clone();
        let outcome = ldap
            .with_timeout(self.settings.timeout)
            .with_search_options(
                SearchOptions::new()
                    .deref(DerefAliases::Never)
                    .sizelimit(SIZE_LIMIT),
            )
            .search(
                &self.settings.base_dn,
                Scope::Subtree,
                &user_filter(username),
                ATTRIBUTES.to_vec(),
            )
            .await;
        let result = outcome.map_err(|e| SearchFailure::from_ldap_error(e, &self.settings))?;
        let (entries, status) = (result.0, result.1);
        if status.rc != RC_SUCCESS && status.rc != RC_SIZE_LIMIT_EXCEEDED {
            return Err(SearchFailure {
                message: format!(
                    "search under {} on {} failed: {status}",
                    self.settings.base_dn, self.settings.url
                ),
                broken: false,
                retryable: false,
            });
        }
        Ok(first_user(entries, username))
    }
}

impl SearchFailure {
    fn into_error(self) -> DirectoryError {
        DirectoryError::Unavailable(self.message)
    }

    fn from_ldap_error(error: LdapError, settings: &LdapSettings) -> Self {
        // A timeout leaves the connection suspect but retrying would double the wait; transport
        // failures (server restarted, socket closed) are worth one retry on a new connection.
        let (broken, retryable) = match &error {
            LdapError::Timeout { .. } => (true, false),
            LdapError::Io { .. }
            | LdapError::OpSend { .. }
            | LdapError::ResultRecv { .. }
            | LdapError::IdScrubSend { .. }
            | LdapError::EndOfStream => (true, true),
            _ => (false, false),
        };
        Self {
            message: format!(
                "search under {} on {} failed: {error}",
                settings.base_dn, settings.url
            ),
            broken,
            retryable,
        }
    }
}

/// The first matching entry as a user. More than one match means duplicate usernames in the
/// directory: the first is used, as Delius would, and the duplication is logged.
fn first_user(entries: Vec<ResultEntry>, username: &str) -> Option<DirectoryUser> {
    let mut users = entries
        .into_iter()
        .filter(|entry| !entry.is_ref() && !entry.is_intermediate())
        .map(SearchEntry::construct);
    let entry = users.next()?;
    if users.next().is_some() {
        tracing::warn!(username, dn = %entry.dn, "more than one LDAP entry has this username; using the first");
    }
    Some(DirectoryUser {
        username: first_value(&entry, "cn").unwrap_or_else(|| username.to_owned()),
        forename: first_value(&entry, "givenName"),
        surname: first_value(&entry, "sn"),
        email: first_value(&entry, "mail"),
        telephone: first_value(&entry, "telephoneNumber"),
    })
}

/// An attribute's first non-blank value; attribute names are case-insensitive in LDAP.
fn first_value(entry: &SearchEntry, attribute: &str) -> Option<String> {
    entry
        .attrs
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(attribute))
        .and_then(|(_, values)| values.iter().find(|value| !value.trim().is_empty()))
        .cloned()
}

#[async_trait]
impl Directory for LdapDirectory {
    async fn find_user(&self, username: &str) -> Result<Option<DirectoryUser>, DirectoryError> {
        let connection = self.connection().await?;
        match self.search_or_forget(&connection, username).await {
            Err(failure) if failure.retryable => {
                tracing::info!(error = %failure.message, "LDAP connection broken; reconnecting once");
                let connection = self.connection().await?;
                self.search_or_forget(&connection, username)
                    .await
                    .map_err(SearchFailure::into_error)
            }
            outcome => outcome.map_err(SearchFailure::into_error),
        }
    }
}

impl fmt::Debug for LdapDirectory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LdapDirectory")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}
