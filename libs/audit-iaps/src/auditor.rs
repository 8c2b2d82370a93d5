//! Writing `audited_interaction` rows.
//!
//! Each row is written on a connection of its own, checked out of the pool, never on the
//! business connection. That is what lets a `F` row survive the rollback of the business
//! transaction it reports on (Delius does the same with a `REQUIRES_NEW` transaction).
//!
//! # How a service uses it
//!
//! Wrap the unit of work in [`Auditor::audited`] (or [`Auditor::begin`] … [`AuditScope::finish`]).
//! The work checks out its own connection and runs its business transaction to the end, so by the
//! time the audit row is written:
//! - on success the business transaction has **committed**, and a `P` row follows;
//! - on error it has **rolled back**, and a `F` row follows; the work's error is returned as is.
//!
//! Writing after the business transaction, not inside it, also means the business connection is
//! back in the pool, so a full pool cannot leave every business transaction waiting for an audit
//! connection.

use std::fmt;

use chrono::{NaiveDateTime, SubsecRound, TimeDelta};
use delius_data::schema::audited_interaction;
use delius_data::DbPool;
use diesel::prelude::*;
use diesel_async::scoped_futures::ScopedBoxFuture;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::error::AuditError;
use crate::interaction::{business_interaction, InteractionCache};
use crate::parameters::AuditParameters;
use crate::user::{resolve_service_user, ServiceUser};

/// How many microsecond slots one row tries before giving up. Collisions need the same
/// interaction, the same user and the same microsecond, so more than one retry is already rare.
pub const MAX_WRITE_ATTEMPTS: u32 = 5;

/// PostgreSQL keeps microseconds; the retry steps by one so it always reaches a new key.
const TIMESTAMP_STEP: TimeDelta = TimeDelta::microseconds(1);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditOutcome {
    Success,
    Failure,
}

impl AuditOutcome {
    /// The `audited_interaction.outcome` code: `P` (pass) or `F` (fail).
    pub fn code(self) -> &'static str {
        match self {
            Self::Success => "P",
            Self::Failure => "F",
        }
    }
}

impl fmt::Display for AuditOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Writes the service's audit rows. Cheap to clone: clones share the pool and the code cache.
#[derive(Clone)]
pub struct Auditor {
    pool: DbPool,
    user: ServiceUser,
    interactions: InteractionCache,
}

impl fmt::Debug for Auditor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Auditor")
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

impl Auditor {
    pub fn new(pool: DbPool, user: ServiceUser) -> Self {
        Self {
            pool,
            user,
            interactions: InteractionCache::default(),
        }
    }

    /// Resolves the service user (see [`resolve_service_user`]) and builds the auditor: the
    /// start-up call of a service.
    pub async fn connect(pool: DbPool, username: &str) -> Result<Self, AuditError> {
        let user = resolve_service_user(&pool, username).await?;
        Ok(Self::new(pool, user))
    }

    pub fn user(&self) -> &ServiceUser {
        &self.user
    }

    /// Writes one row stamped with the current Europe/London time.
    pub async fn record(
        &self,
        code: &str,
        outcome: AuditOutcome,
        params: &AuditParameters,
    ) -> Result<(), AuditError> {
        self.record_at(code, outcome, params, delius_data::time::now_london())
            .await
            .map(|_| ())
    }

    /// Writes one row stamped `at` (Europe/London wall-clock time), moved on a microsecond at a
    /// time while another row holds the same (date_time, interaction, user) key. Returns the
    /// timestamp actually written.
    pub async fn record_at(
        &self,
        code: &str,
        outcome: AuditOutcome,
        params: &AuditParameters,
        at: NaiveDateTime,
    ) -> Result<NaiveDateTime, AuditError> {
        let mut conn = self.pool.get().await?;
        let interaction_id = self.interaction_id(&mut conn, code).await?;
        // Delius (Oracle) stores an empty string as NULL; write what it would hold.
        let parameters = (!params.is_empty()).then(|| params.encode());
        // Cut to what the column keeps, so the key compared for collisions is the stored one.
        let mut date_time = at.trunc_subsecs(6);
        for _ in 0..MAX_WRITE_ATTEMPTS {
            // Each statement runs outside any transaction on this connection, i.e. in a
            // transaction of its own that commits at once. ON CONFLICT DO NOTHING reports a taken
            // key as 0 rows instead of an error.
            let inserted = diesel::insert_into(audited_interaction::table)
                .values((
                    audited_interaction::date_time.eq(date_time),
                    audited_interaction::business_interaction_id.eq(interaction_id),
                    audited_interaction::user_id.eq(self.user.id),
                    audited_interaction::outcome.eq(outcome.code()),
                    audited_interaction::interaction_parameters.eq(parameters.as_deref()),
                ))
                .on_conflict((
                    audited_interaction::date_time,
                    audited_interaction::business_interaction_id,
                    audited_interaction::user_id,
                ))
                .do_nothing()
                .execute(&mut conn)
                .await?;
            if inserted == 1 {
                return Ok(date_time);
            }
            date_time += TIMESTAMP_STEP;
        }
        Err(AuditError::TimestampCollision {
            code: code.to_owned(),
            attempts: MAX_WRITE_ATTEMPTS,
        })
    }

    async fn interaction_id(
        &self,
        conn: &mut AsyncPgConnection,
        code: &str,
    ) -> Result<i64, AuditError> {
        if let Some(id) = self.interactions.get(code) {
            return Ok(id);
        }
        let interaction = business_interaction(conn, code).await?;
        self.interactions.insert(code, interaction.id);
        Ok(interaction.id)
    }

    /// Starts an audited unit of work; see [`AuditScope`].
    pub fn begin(&self, code: &str, params: AuditParameters) -> AuditScope<'_> {
        AuditScope {
            auditor: self,
            code: code.to_owned(),
            params,
            finished: false,
        }
    }

    /// Runs `work` and writes `P` if it succeeds or `F` if it fails, then returns its result.
    ///
    /// `work` gets the parameters mutably, to add what it learns (such as a new contact id)
    /// before the row is written. It returns a boxed scoped future (`.scope_boxed()`, as for
    /// diesel-async transactions) so it can both borrow the parameters and capture references
    /// from the caller.
    ///
    /// Failing to write the audit row never changes the result: it is logged. On failure the
    /// work's own error is what matters; on success the business transaction has committed, and
    /// an error would only get the work repeated (Delius writes audit rows asynchronously and
    /// ignores their failures too).
    ///
    /// ```no_run
    /// use audit_iaps::{flag_iaps_offender, AuditParameters, Auditor};
    /// use delius_data::DbPool;
    /// use diesel_async::scoped_futures::ScopedFutureExt;
    /// use diesel_async::AsyncConnection;
    ///
    /// async fn flag_person(auditor: &Auditor, pool: &DbPool, crn: &str, offender_id: i64)
    ///     -> anyhow::Result<i64>
    /// {
    ///     let params = AuditParameters::new().with("crn", crn);
    ///     auditor
    ///         .audited("CLBI003", params, |params| {
    ///             async move {
    ///                 // The business connection and transaction live and end inside the work:
    ///                 // committed or rolled back before the audit row is written.
    ///                 let mut conn = pool.get().await?;
    ///                 let id = conn
    ///                     .transaction::<i64, anyhow::Error, _>(|tx| {
    ///                         async move {
    ///                             flag_iaps_offender(tx, offender_id).await?;
    ///                             Ok(offender_id)
    ///                         }
    ///                         .scope_boxed()
    ///                     })
    ///                     .await?;
    ///                 params.set("offenderId", id);
    ///                 Ok(id)
    ///             }
    ///             .scope_boxed()
    ///         })
    ///         .await
    /// }
    /// ```
    pub async fn audited<'a, T, F>(
        &self,
        code: &str,
        params: AuditParameters,
        work: F,
    ) -> anyhow::Result<T>
    where
        F: for<'r> FnOnce(&'r mut AuditParameters) -> ScopedBoxFuture<'a, 'r, anyhow::Result<T>>
            + Send
            + 'a,
        T: Send + 'a,
    {
        let mut scope = self.begin(code, params);
        let result = work(scope.params_mut()).await;
        scope.finish(result).await
    }
}

/// An audited unit of work in progress, for code that does not fit a closure:
///
/// ```no_run
/// # async fn example(auditor: &audit_iaps::Auditor) -> anyhow::Result<()> {
/// let mut audit = auditor.begin("CLBI007", audit_iaps::AuditParameters::new().with("crn", "A000001"));
/// let result: anyhow::Result<i64> = async {
///     // run and finish the business transaction here
///     Ok(123)
/// }
/// .await;
/// if let Ok(contact_id) = &result {
///     audit.param("contactId", contact_id);
/// }
/// let contact_id = audit.finish(result).await?;
/// # let _ = contact_id;
/// # Ok(())
/// # }
/// ```
///
/// A scope dropped without [`success`](Self::success), [`failure`](Self::failure) or
/// [`finish`](Self::finish) writes nothing and logs a warning.
#[must_use = "no audit row is written until success, failure or finish is awaited"]
pub struct AuditScope<'a> {
    auditor: &'a Auditor,
    code: String,
    params: AuditParameters,
    finished: bool,
}

impl AuditScope<'_> {
    pub fn param(&mut self, key: impl Into<String>, value: impl ToString) {
        self.params.set(key, value);
    }

    pub fn params(&self) -> &AuditParameters {
        &self.params
    }

    pub fn params_mut(&mut self) -> &mut AuditParameters {
        &mut self.params
    }

    /// Writes the `P` row.
    pub async fn success(mut self) -> Result<(), AuditError> {
        self.write(AuditOutcome::Success).await
    }

    /// Writes the `F` row.
    pub async fn failure(mut self) -> Result<(), AuditError> {
        self.write(AuditOutcome::Failure).await
    }

    /// Writes `P` for `Ok` and `F` for `Err`, and returns `result` unchanged; an audit-write
    /// failure is logged (see [`Auditor::audited`] for why).
    pub async fn finish<T, E>(mut self, result: Result<T, E>) -> Result<T, E> {
        let outcome = if result.is_ok() {
            AuditOutcome::Success
        } else {
            AuditOutcome::Failure
        };
        if let Err(error) = self.write(outcome).await {
            tracing::error!(
                business_interaction = %self.code,
                %outcome,
                parameters = %self.params.encode(),
                error = %error,
                "could not write the audited_interaction row"
            );
        }
        result
    }

    async fn write(&mut self, outcome: AuditOutcome) -> Result<(), AuditError> {
        self.finished = true;
        self.auditor.record(&self.code, outcome, &self.params).await
    }
}

impl Drop for AuditScope<'_> {
    fn drop(&mut self) {
        if !self.finished {
            tracing::warn!(
                business_interaction = %self.code,
                parameters = %self.params.encode(),
                "audit scope dropped without an outcome: no audited_interaction row written"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_use_the_delius_codes() {
        assert_eq!(AuditOutcome::Success.code(), "P");
        assert_eq!(AuditOutcome::Failure.code(), "F");
        assert_eq!(AuditOutcome::Failure.to_string(), "F");
    }
}
