//! POM allocation (spec 3.2, 3.3): read the person's POM from Manage POM Cases, then allocate,
//! deallocate or report that they are not ready. `occurredAt` (as Europe/London time) is the
//! allocation date for every row, contact and telemetry property.
//!
//! - [`fetch`]: the MPC call and what its 404s mean;
//! - [`staff`]: the POM's STAFF row, found or created;
//! - [`pom`]: current POM, end dates, reasons and the no-change check; [`target`]: the
//!   establishment's provider and the unallocated staff a POM moves to; [`change`]: "change to";
//! - [`contacts`]: EPOMAT / EPOMIN / EPOMEX / ROC contacts and their notes;
//! - [`dates`] and [`telemetry`]: the allocation date and the outcomes.

mod change;
mod contacts;
mod dates;
mod fetch;
mod pom;
mod staff;
mod target;
mod telemetry;

use anyhow::bail;
use chrono::NaiveDateTime;
use delius_data::lookups::{people_by_noms, team_by_code};
use diesel_async::scoped_futures::ScopedFutureExt;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use messaging::{HmppsDomainEvent, Outcome};
use url::Url;

use crate::context::Context;
use crate::handler::{IDENTIFIER_ADDED, IDENTIFIER_UPDATED};
use delius_data::staff::NewStaffMember;
use fetch::{AllocationDetail, PomAllocation};
use pom::Target;

/// A row the allocation needs is missing: the message fails and is retried (spec 3.8).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{entity} with {field} of {value} not found")]
pub struct NotFound {
    pub entity: &'static str,
    pub field: &'static str,
    pub value: String,
}

impl NotFound {
    pub fn new(entity: &'static str, field: &'static str, value: impl Into<String>) -> Self {
        Self {
            entity,
            field,
            value: value.into(),
        }
    }
}

/// `offender-management.allocation.changed` (spec 3.2): the allocation is at `detailUrl`.
pub async fn allocation_changed(
    context: &Context,
    event: &HmppsDomainEvent,
) -> anyhow::Result<Outcome> {
    let noms = event.noms_number();
    let Some(detail_url) = event.detail_url.as_deref() else {
        return Ok(telemetry::no_allocation_data(noms, None));
    };
    let allocation_date = dates::allocation_date(event)?;
    let url = context.detail_urls.check(detail_url)?;
    handle(context, noms, &url, allocation_date).await
}

/// `probation-case.prison-identifier.added` / `.updated` (spec 3.3): the allocation is read
/// from `{mpc_base}/api/allocation/{noms}/primary_pom`.
pub async fn prison_identifier_changed(
    context: &Context,
    event_type: &str,
    event: &HmppsDomainEvent,
) -> anyhow::Result<Outcome> {
    if ![IDENTIFIER_ADDED, IDENTIFIER_UPDATED].contains(&event_type) {
        bail!("Unhandled message type received: {event_type}");
    }
    let Some(noms) = event.noms_number() else {
        return Ok(telemetry::noms_not_found(event_type));
    };
    let allocation_date = dates::allocation_date(event)?;
    let url = fetch::primary_pom_url(&context.mpc_base, noms)?;
    handle(context, Some(noms), &url, allocation_date).await
}

/// Fetch first, then the person, then act on what MPC said (spec 3.2 steps 1-3).
async fn handle(
    context: &Context,
    noms: Option<&str>,
    url: &Url,
    allocation_date: NaiveDateTime,
) -> anyhow::Result<Outcome> {
    let Some(detail) = fetch::fetch(&context.client, url).await? else {
        return Ok(telemetry::no_allocation_data(noms, Some(url.as_str())));
    };
    let mut conn = context.pool.get().await?;
    let person_id = match noms {
        Some(noms) => person_id(&mut conn, noms).await?,
        None => None,
    };
    let (Some(noms), Some(person_id)) = (noms, person_id) else {
        return Ok(telemetry::person_not_found(noms));
    };
    let request = Request {
        person_id,
        allocation_date,
        user_id: context.user_id,
    };
    match detail {
        AllocationDetail::Allocated(allocation) => {
            let changed = allocate(&mut conn, &request, &allocation).await?;
            Ok(telemetry::allocated(
                changed,
                &allocation.prison.code,
                noms,
                &allocation_date,
            ))
        }
        AllocationDetail::Deallocated => {
            let changed = deallocate(&mut conn, &request).await?;
            Ok(telemetry::deallocated(changed, noms, &allocation_date))
        }
        AllocationDetail::NotReady => Ok(telemetry::not_ready(noms, &allocation_date)),
    }
}

/// Whose POM changes, when, and who is writing.
struct Request {
    person_id: i64,
    allocation_date: NaiveDateTime,
    user_id: i64,
}

/// The live person with this NOMS number. Two live people sharing one is a data problem that
/// nobody should guess at, so the message fails.
async fn person_id(conn: &mut AsyncPgConnection, noms: &str) -> anyhow::Result<Option<i64>> {
    let people = people_by_noms(conn, noms).await?;
    match people.as_slice() {
        [] => Ok(None),
        [person] => Ok(Some(person.id)),
        _ => bail!("more than one person has NOMS number {noms}"),
    }
}

/// Allocate (spec 3.2.1). Returns whether anything changed.
async fn allocate(
    conn: &mut AsyncPgConnection,
    request: &Request,
    allocation: &PomAllocation,
) -> anyhow::Result<bool> {
    let provider = target::establishment_provider(conn, &allocation.prison.code).await?;
    let team_code = format!("{}POM", provider.code);
    let team = team_by_code(conn, &team_code)
        .await?
        .ok_or_else(|| NotFound::new("Team", "code", &team_code))?;
    let member = staff::find_or_create(
        conn,
        &NewStaffMember {
            forename: &allocation.manager.forename,
            surname: &allocation.manager.surname,
            provider_id: provider.id,
            provider_code: &provider.code,
            team_id: team.id,
            start_date: request.allocation_date.date(),
            user_id: request.user_id,
        },
    )
    .await?;
    let target = Target {
        assignment: pom::Assignment {
            provider_id: provider.id,
            team_id: team.id,
            staff_id: member.id,
        },
        staff_code: member.code,
        email: allocation.manager.email.clone(),
    };
    change_unless_same(conn, request, &target).await
}

/// Deallocate (spec 3.2.2): move to the provider's unallocated staff. Returns whether anything
/// changed; no staff member is ever created.
async fn deallocate(conn: &mut AsyncPgConnection, request: &Request) -> anyhow::Result<bool> {
    conn.transaction::<_, anyhow::Error, _>(|tx| {
        async move {
            pom::lock_person(tx, request.person_id).await?;
            let current = pom::current_pom(tx, request.person_id, request.allocation_date).await?;
            let Some(current) = current.filter(|c| !c.is_unallocated()) else {
                return Ok(false);
            };
            let target = target::unallocated(tx, &current).await?;
            change::change_to(
                tx,
                request.person_id,
                Some(&current),
                &target,
                request.allocation_date,
                request.user_id,
            )
            .await?;
            Ok(true)
        }
        .scope_boxed()
    })
    .await
}

/// Locks the person, reads the current POM and changes to `target` unless it is the same POM
/// (rule 3), in one transaction.
async fn change_unless_same(
    conn: &mut AsyncPgConnection,
    request: &Request,
    target: &Target,
) -> anyhow::Result<bool> {
    conn.transaction::<_, anyhow::Error, _>(|tx| {
        async move {
            pom::lock_person(tx, request.person_id).await?;
            let current = pom::current_pom(tx, request.person_id, request.allocation_date).await?;
            if pom::is_unchanged(current.as_ref(), target) {
                return Ok(false);
            }
            change::change_to(
                tx,
                request.person_id,
                current.as_ref(),
                target,
                request.allocation_date,
                request.user_id,
            )
            .await?;
            Ok(true)
        }
        .scope_boxed()
    })
    .await
}
