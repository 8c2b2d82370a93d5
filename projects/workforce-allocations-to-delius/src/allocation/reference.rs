//! Delius reference data the allocations read on every message (contact types, allocation and
//! transfer reasons, provider descriptions), kept once found. It changes only with Delius
//! releases; a code that is missing is looked up again next time, so a fix to the data is seen
//! without a restart.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, RwLock};

use anyhow::Context as _;
use delius_data::lookups::{contact_type, reference_data, ContactType, ReferenceData};
use delius_data::schema::{probation_area, r_transfer_reason};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

#[derive(Debug, Default, Clone)]
pub struct ReferenceCache {
    contact_types: Cache<String, ContactType>,
    reasons: Cache<(String, String), ReferenceData>,
    transfer_reasons: Cache<String, i64>,
    providers: Cache<i64, String>,
}

#[derive(Debug)]
struct Cache<K, V>(Arc<RwLock<HashMap<K, V>>>);

impl<K, V> Default for Cache<K, V> {
    fn default() -> Self {
        Self(Arc::default())
    }
}

impl<K, V> Clone for Cache<K, V> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<K: Eq + Hash, V: Clone> Cache<K, V> {
    fn get(&self, key: &K) -> Option<V> {
        self.0.read().ok()?.get(key).cloned()
    }

    fn keep(&self, key: K, value: &Option<V>) {
        if let (Some(value), Ok(mut map)) = (value, self.0.write()) {
            map.insert(key, value.clone());
        }
    }
}

impl ReferenceCache {
    pub async fn contact_type(
        &self,
        conn: &mut AsyncPgConnection,
        code: &str,
    ) -> anyhow::Result<Option<ContactType>> {
        if let Some(found) = self.contact_types.get(&code.to_owned()) {
            return Ok(Some(found));
        }
        let found = contact_type(conn, code)
            .await
            .context("reading the contact type")?;
        self.contact_types.keep(code.to_owned(), &found);
        Ok(found)
    }

    pub async fn reason(
        &self,
        conn: &mut AsyncPgConnection,
        code_set: &str,
        code: &str,
    ) -> anyhow::Result<Option<ReferenceData>> {
        let key = (code_set.to_owned(), code.to_owned());
        if let Some(found) = self.reasons.get(&key) {
            return Ok(Some(found));
        }
        let found = reference_data(conn, code_set, code)
            .await
            .context("reading the allocation reason")?;
        self.reasons.keep(key, &found);
        Ok(found)
    }

    pub async fn transfer_reason(
        &self,
        conn: &mut AsyncPgConnection,
        code: &str,
    ) -> anyhow::Result<Option<i64>> {
        if let Some(found) = self.transfer_reasons.get(&code.to_owned()) {
            return Ok(Some(found));
        }
        let found = r_transfer_reason::table
            .filter(r_transfer_reason::code.eq(code))
            .select(r_transfer_reason::transfer_reason_id)
            .first(conn)
            .await
            .optional()
            .context("reading the transfer reason")?;
        self.transfer_reasons.keep(code.to_owned(), &found);
        Ok(found)
    }

    /// A provider's description ("Trust" in the notes); blank when it has none.
    pub async fn provider_description(
        &self,
        conn: &mut AsyncPgConnection,
        provider_id: Option<i64>,
    ) -> anyhow::Result<String> {
        let Some(provider_id) = provider_id else {
            return Ok(String::new());
        };
        if let Some(found) = self.providers.get(&provider_id) {
            return Ok(found);
        }
        let found: Option<Option<String>> = probation_area::table
            .find(provider_id)
            .select(probation_area::description)
            .first(conn)
            .await
            .optional()
            .context("reading the provider")?;
        let found = found.map(Option::unwrap_or_default);
        self.providers.keep(provider_id, &found);
        Ok(found.unwrap_or_default())
    }
}
