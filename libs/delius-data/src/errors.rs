//! Database errors: which are worth retrying, and the optimistic-lock failure.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

/// An update found the row changed since it was read (`row_version` mismatch).
#[derive(Debug, thiserror::Error)]
#[error("{table} row {id} was changed by someone else (expected row_version {expected})")]
pub struct StaleRow {
    pub table: &'static str,
    pub id: i64,
    pub expected: i64,
}

/// True for errors another attempt may not hit: lost connections, serialisation failures,
/// deadlocks, lock timeouts, pool timeouts and optimistic-lock conflicts.
pub fn is_transient(error: &anyhow::Error) -> bool {
    error.chain().any(|e| {
        if e.is::<StaleRow>() {
            return true;
        }
        if let Some(diesel_error) = e.downcast_ref::<DieselError>() {
            return is_transient_diesel(diesel_error);
        }
        if let Some(pool_error) =
            e.downcast_ref::<diesel_async::pooled_connection::deadpool::PoolError>()
        {
            use diesel_async::pooled_connection::deadpool::PoolError as P;
            return matches!(pool_error, P::Timeout(_) | P::Backend(_));
        }
        false
    })
}

fn is_transient_diesel(error: &DieselError) -> bool {
    match error {
        DieselError::DatabaseError(kind, info) => match kind {
            DatabaseErrorKind::SerializationFailure
            | DatabaseErrorKind::ClosedConnection
            | DatabaseErrorKind::UnableToSendCommand => true,
            _ => {
                let message = info.message();
                message.contains("deadlock detected")
                    || message.contains("could not obtain lock")
                    || message.contains("canceling statement due to lock timeout")
            }
        },
        DieselError::BrokenTransactionManager => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_rows_and_lost_connections_are_transient() {
        assert!(is_transient(&anyhow::Error::from(StaleRow {
            table: "contact",
            id: 1,
            expected: 0
        })));
        let closed = DieselError::DatabaseError(
            DatabaseErrorKind::ClosedConnection,
            Box::new("gone".to_owned()),
        );
        assert!(is_transient(&anyhow::Error::from(closed)));
        let unique = DieselError::DatabaseError(
            DatabaseErrorKind::UniqueViolation,
            Box::new("dup".to_owned()),
        );
        assert!(!is_transient(&anyhow::Error::from(unique)));
        assert!(!is_transient(&anyhow::Error::from(DieselError::NotFound)));
    }
}
