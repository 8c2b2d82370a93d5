//! Delius reference data the merge reads for every new contact: the contact type of a NOMIS
//! case-note type, and the provider and team of a prison. It changes rarely (by Delius
//! administrators), so each answer is kept for a minute: a new mapping or team is picked up
//! within that time. Only answers are kept; a missing row is looked up again every time, so a
//! failed message succeeds as soon as the data is fixed.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::Context;
use delius_data::lookups::ContactType;
use delius_data::schema::{r_contact_type, r_contact_type_nomis_type};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::description::DEFAULT_CONTACT_TYPE;
use crate::staff::{self, Establishment};

/// How long an answer is reused.
pub const REFERENCE_DATA_TTL: Duration = Duration::from_secs(60);

#[derive(Debug)]
struct Cache<T> {
    entries: Mutex<HashMap<String, (Instant, T)>>,
}

impl<T> Default for Cache<T> {
    fn default() -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
        }
    }
}

impl<T: Clone> Cache<T> {
    fn get(&self, key: &str, ttl: Duration) -> Option<T> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(key)
            .filter(|(at, _)| at.elapsed() < ttl)
            .map(|(_, value)| value.clone())
    }

    fn put(&self, key: &str, value: T) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.insert(key.to_owned(), (Instant::now(), value));
    }
}

#[derive(Debug)]
pub struct ReferenceData {
    ttl: Duration,
    contact_types: Cache<ContactType>,
    establishments: Cache<Establishment>,
}

impl Default for ReferenceData {
    fn default() -> Self {
        Self::with_ttl(REFERENCE_DATA_TTL)
    }
}

impl ReferenceData {
    pub fn with_ttl(ttl: Duration) -> Self {
        Self {
            ttl,
            contact_types: Cache::default(),
            establishments: Cache::default(),
        }
    }

    /// The contact type mapped from `"{type} {subType}"`, else the default NOMIS case-note type.
    pub async fn contact_type(
        &self,
        conn: &mut AsyncPgConnection,
        type_key: &str,
    ) -> anyhow::Result<ContactType> {
        if let Some(hit) = self.contact_types.get(type_key, self.ttl) {
            return Ok(hit);
        }
        let found = resolve_contact_type(conn, type_key).await?;
        self.contact_types.put(type_key, found.clone());
        Ok(found)
    }

    /// The provider and CSN team of a prison (see [`staff::establishment`]).
    pub async fn establishment(
        &self,
        conn: &mut AsyncPgConnection,
        establishment_code: &str,
    ) -> anyhow::Result<Establishment> {
        if let Some(hit) = self.establishments.get(establishment_code, self.ttl) {
            return Ok(hit);
        }
        let found = staff::establishment(conn, establishment_code).await?;
        self.establishments.put(establishment_code, found.clone());
        Ok(found)
    }
}

/// The mapped contact type of `"{type} {subType}"`, else the default NOMIS case-note type.
async fn resolve_contact_type(
    tx: &mut AsyncPgConnection,
    type_key: &str,
) -> anyhow::Result<ContactType> {
    // The mapped type and the default in one round trip; the mapped one wins.
    let mapped_type = r_contact_type_nomis_type::table
        .filter(r_contact_type_nomis_type::nomis_contact_type.eq(type_key))
        .select(r_contact_type_nomis_type::contact_type_id);
    let candidates: Vec<ContactType> = r_contact_type::table
        .filter(
            r_contact_type::contact_type_id
                .eq_any(mapped_type)
                .or(r_contact_type::code.eq(DEFAULT_CONTACT_TYPE)),
        )
        .select(ContactType::as_select())
        .load(tx)
        .await?;
    let mapped = candidates
        .iter()
        .position(|t| t.code != DEFAULT_CONTACT_TYPE);
    match mapped {
        Some(i) => Ok(candidates
            .into_iter()
            .nth(i)
            .context("mapped contact type")?),
        None => candidates
            .into_iter()
            .next()
            .with_context(|| format!("Contact type {DEFAULT_CONTACT_TYPE} not found")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_expire() {
        let cache: Cache<i32> = Cache::default();
        cache.put("k", 1);
        assert_eq!(cache.get("k", Duration::from_secs(60)), Some(1));
        assert_eq!(cache.get("k", Duration::ZERO), None);
        assert_eq!(cache.get("other", Duration::from_secs(60)), None);
    }
}
