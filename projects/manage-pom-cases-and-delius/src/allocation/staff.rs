//! The POM's STAFF row (spec 3.2.1 step 3, rule 6): found by name within the provider, or created
//! with a generated officer code in the provider's POM team (`delius_data::staff`), the whole
//! find-or-create tried up to 3 times.

use std::time::Duration;

use delius_data::staff::{self, NewStaffMember, StaffCodeExhausted, StaffMember};
use diesel_async::scoped_futures::ScopedFutureExt;
use diesel_async::{AsyncConnection, AsyncPgConnection};

/// How often the whole find-or-create runs before the message fails (spec: 3 attempts).
const ATTEMPTS: u32 = 3;
/// Wait before attempt n+1: n × this.
const BACKOFF: Duration = Duration::from_millis(100);

/// Finds or creates the staff member, trying up to 3 times. `conn` must not be inside a
/// transaction: a created staff member is committed on its own, so it stays even if the
/// allocation that needed it fails.
pub async fn find_or_create(
    conn: &mut AsyncPgConnection,
    wanted: &NewStaffMember<'_>,
) -> anyhow::Result<StaffMember> {
    let mut attempt = 1;
    loop {
        match find_or_create_once(conn, wanted).await {
            Ok(member) => return Ok(member),
            // Running out of codes will not change on the next attempt.
            Err(error) if is_exhausted(&error) => return Err(error),
            Err(error) if attempt < ATTEMPTS => {
                tracing::warn!(%error, attempt, "finding or creating POM staff failed; retrying");
                tokio::time::sleep(BACKOFF * attempt).await;
                attempt += 1;
            }
            Err(error) => return Err(error),
        }
    }
}

async fn find_or_create_once(
    conn: &mut AsyncPgConnection,
    wanted: &NewStaffMember<'_>,
) -> anyhow::Result<StaffMember> {
    if let Some(found) =
        staff::find_by_name(conn, wanted.provider_id, wanted.forename, wanted.surname).await?
    {
        return Ok(found);
    }
    conn.transaction::<_, anyhow::Error, _>(|tx| {
        async move { staff::create_locked(tx, wanted).await }.scope_boxed()
    })
    .await
}

fn is_exhausted(error: &anyhow::Error) -> bool {
    error.chain().any(|e| e.is::<StaffCodeExhausted>())
}
