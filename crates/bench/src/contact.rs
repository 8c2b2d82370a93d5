//! The unit of database work every DB scenario measures: one transaction that takes an id from
//! `contact_id_seq` and inserts one `contact` row, as a service recording a contact does.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use delius_data::lookups::{self, next_id, Sequence};
use delius_data::schema::contact;
use delius_data::DbPool;
use diesel::prelude::*;
use diesel_async::scoped_futures::ScopedFutureExt;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use test_support::builders::SEED_USER_ID;
use test_support::PersonBuilder;
use tokio::sync::Barrier;
use tokio::task::JoinSet;

use crate::stats::Latencies;

/// A seeded contact type (`NOMISD`, NOMIS Case Note).
const CONTACT_TYPE_CODE: &str = "NOMISD";

/// Inserts contacts for one bench person.
#[derive(Clone)]
pub struct ContactWriter {
    pool: DbPool,
    person_id: i64,
    contact_type_id: i64,
}

impl ContactWriter {
    /// Creates the person the contacts belong to and looks up the contact type.
    pub async fn setup(pool: DbPool) -> anyhow::Result<Self> {
        let mut conn = pool
            .get()
            .await
            .context("checking out a connection to set up the bench data")?;
        let person = PersonBuilder::default()
            .insert(&mut conn)
            .await
            .context("inserting the bench person")?;
        let contact_type = lookups::contact_type(&mut conn, CONTACT_TYPE_CODE)
            .await
            .with_context(|| format!("looking up contact type {CONTACT_TYPE_CODE}"))?
            .with_context(|| {
                format!("contact type {CONTACT_TYPE_CODE} is not in the seeded reference data")
            })?;
        Ok(Self {
            pool,
            person_id: person.id,
            contact_type_id: contact_type.id,
        })
    }

    /// One transaction on a connection checked out from the pool for it (what a handler does).
    pub async fn insert(&self, reference: &str) -> anyhow::Result<i64> {
        let mut conn = self
            .pool
            .get()
            .await
            .context("checking out a database connection")?;
        self.insert_on(&mut conn, reference).await
    }

    /// One transaction on a connection the caller holds.
    pub async fn insert_on(
        &self,
        conn: &mut AsyncPgConnection,
        reference: &str,
    ) -> anyhow::Result<i64> {
        let now = delius_data::time::now_london();
        let (person_id, contact_type_id) = (self.person_id, self.contact_type_id);
        conn.transaction::<_, diesel::result::Error, _>(|conn| {
            async move {
                let id = next_id(conn, Sequence::named("contact_id_seq")).await?;
                diesel::insert_into(contact::table)
                    .values((
                        contact::contact_id.eq(id),
                        contact::offender_id.eq(person_id),
                        contact::contact_type_id.eq(contact_type_id),
                        contact::contact_date.eq(now.date()),
                        contact::description.eq("Benchmark contact"),
                        contact::external_reference.eq(reference),
                        contact::created_by_user_id.eq(SEED_USER_ID),
                        contact::last_updated_user_id.eq(SEED_USER_ID),
                        contact::created_datetime.eq(now),
                        contact::last_updated_datetime.eq(now),
                    ))
                    .execute(conn)
                    .await?;
                Ok(id)
            }
            .scope_boxed()
        })
        .await
        .with_context(|| format!("inserting contact {reference}"))
    }

    /// Opens `connections` pool connections at once and runs one insert on each, so timed runs
    /// do not pay for connecting or preparing statements.
    pub async fn warm_up(&self, connections: usize) -> anyhow::Result<()> {
        let barrier = Arc::new(Barrier::new(connections));
        let mut tasks = JoinSet::new();
        for i in 0..connections {
            let (writer, barrier) = (self.clone(), barrier.clone());
            tasks.spawn(async move {
                let mut conn = writer
                    .pool
                    .get()
                    .await
                    .context("checking out a connection to warm up")?;
                // Every task holds its connection before any inserts, forcing `connections`
                // distinct connections to open.
                barrier.wait().await;
                writer
                    .insert_on(&mut conn, &format!("urn:bench:warm-up:{i}"))
                    .await
                    .map(drop)
            });
        }
        let joined = tokio::time::timeout(Duration::from_secs(60), async {
            while let Some(done) = tasks.join_next().await {
                done.context("a warm-up task panicked")??;
            }
            anyhow::Ok(())
        })
        .await;
        joined.with_context(|| format!("opening {connections} connections took over 60 s"))?
    }

    /// The floor, sequential: `n` transactions one after another on one held connection.
    pub async fn floor_sequential(
        &self,
        n: usize,
        latencies: &Latencies,
    ) -> anyhow::Result<Duration> {
        let mut conn = self
            .pool
            .get()
            .await
            .context("checking out a database connection")?;
        let started = Instant::now();
        for i in 0..n {
            let one = Instant::now();
            self.insert_on(&mut conn, &format!("urn:bench:floor-seq:{i}"))
                .await?;
            latencies.record(one.elapsed());
        }
        Ok(started.elapsed())
    }

    /// The floor, concurrent: `n` transactions shared among `tasks` tasks, each checking a
    /// connection out of the pool per transaction (as the handler does).
    pub async fn floor_concurrent(
        &self,
        n: usize,
        tasks: usize,
        latencies: Arc<Latencies>,
    ) -> anyhow::Result<Duration> {
        let next = Arc::new(AtomicUsize::new(0));
        let started = Instant::now();
        let mut running = JoinSet::new();
        for _ in 0..tasks {
            let (writer, next, latencies) = (self.clone(), next.clone(), latencies.clone());
            running.spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n {
                        return anyhow::Ok(());
                    }
                    let one = Instant::now();
                    writer.insert(&format!("urn:bench:floor-conc:{i}")).await?;
                    latencies.record(one.elapsed());
                }
            });
        }
        while let Some(done) = running.join_next().await {
            done.context("a floor task panicked")??;
        }
        Ok(started.elapsed())
    }
}
