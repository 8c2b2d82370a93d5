//! Business interactions (`business_interaction`): the codes audit rows are recorded against.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

use delius_data::schema::business_interaction;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::error::AuditError;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = business_interaction, check_for_backend(diesel::pg::Pg))]
pub struct BusinessInteraction {
    #[diesel(column_name = business_interaction_id)]
    pub id: i64,
    #[diesel(column_name = business_interaction_code)]
    pub code: String,
}

/// The business interaction with this code, or [`AuditError::BusinessInteractionNotFound`].
pub async fn business_interaction(
    conn: &mut AsyncPgConnection,
    code: &str,
) -> Result<BusinessInteraction, AuditError> {
    business_interaction::table
        .filter(business_interaction::business_interaction_code.eq(code))
        .select(BusinessInteraction::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or_else(|| AuditError::BusinessInteractionNotFound(code.to_owned()))
}

/// Business interaction ids by code. Reference data that never changes while a service runs, so
/// each code is queried once per process instead of on every audited call.
#[derive(Debug, Clone, Default)]
pub(crate) struct InteractionCache {
    ids: Arc<RwLock<HashMap<String, i64>>>,
}

impl InteractionCache {
    pub(crate) fn get(&self, code: &str) -> Option<i64> {
        // A panic elsewhere while holding the lock cannot leave the map half-written (insert is
        // the only write), so a poisoned lock is still safe to read.
        self.ids
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(code)
            .copied()
    }

    pub(crate) fn insert(&self, code: &str, id: i64) {
        self.ids
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(code.to_owned(), id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_returns_what_was_inserted_and_is_shared_by_clones() {
        let cache = InteractionCache::default();
        assert_eq!(cache.get("CLBI003"), None);
        let clone = cache.clone();
        clone.insert("CLBI003", 106);
        assert_eq!(cache.get("CLBI003"), Some(106));
        assert_eq!(cache.get("CLBI007"), None);
    }
}
