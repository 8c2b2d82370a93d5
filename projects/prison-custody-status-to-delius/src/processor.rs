//! One transaction per message (spec 5.1.3): person, active custodial events, then each action
//! in table order on one in-memory custody. Ignored results are kept and committed with the
//! writes before them; any error rolls the whole message back.

use delius_data::lookups::people_by_noms;
use delius_data::time::now_london;
use delius_data::DbPool;
use diesel_async::scoped_futures::ScopedFutureExt;
use diesel_async::AsyncConnection;
use messaging::Properties;

use crate::actions::Action;
use crate::movement::PrisonerMovement;
use crate::outcome::{names, ActionResult, Ctx, Flags};
use crate::store::{self, Conn};
use crate::{death, location, recall, release, status};

/// One telemetry event to report: name, properties and whether it is an ignore reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub name: String,
    pub properties: Properties,
    pub ignored: bool,
}

impl Report {
    pub fn ignored(name: &str, properties: Properties) -> Self {
        Self {
            name: name.to_owned(),
            properties,
            ignored: true,
        }
    }
}

pub async fn process(
    pool: &DbPool,
    movement: &PrisonerMovement,
    actions: &[Action],
    message_properties: &Properties,
    user_id: i64,
    flags: Flags,
) -> anyhow::Result<Vec<Report>> {
    let mut conn = pool.get().await?;
    conn.transaction::<_, anyhow::Error, _>(|tx| {
        async move { run(tx, movement, actions, message_properties, user_id, flags).await }
            .scope_boxed()
    })
    .await
}

async fn run(
    conn: &mut Conn,
    movement: &PrisonerMovement,
    actions: &[Action],
    message_properties: &Properties,
    user_id: i64,
    flags: Flags,
) -> anyhow::Result<Vec<Report>> {
    let people = people_by_noms(conn, &movement.noms_number).await?;
    let person = match people.as_slice() {
        [] => {
            return Ok(vec![Report::ignored(
                names::MISSING_NOMS_NUMBER,
                message_properties.clone(),
            )])
        }
        [one] => one,
        _ => {
            return Ok(vec![Report::ignored(
                names::DUPLICATE_NOMS_NUMBER,
                message_properties.clone(),
            )])
        }
    };
    let mut custodies = store::active_custodial_events(conn, person.id, &person.crn).await?;
    match custodies.len() {
        0 => {
            return Ok(vec![Report::ignored(
                names::NO_ACTIVE_CUSTODIAL_EVENT,
                message_properties.clone(),
            )])
        }
        1 => {}
        // Spec 5.1.3b: with `MULTIPLE_EVENTS` on, every active custodial event gets the actions
        // (each its own custody); off, the reference cannot tell which event moved and ignores.
        _ if flags.multiple_events => {}
        _ => {
            return Ok(vec![Report::ignored(
                names::MULTIPLE_ACTIVE_CUSTODIAL_EVENTS,
                message_properties.clone(),
            )])
        }
    }
    let ctx = Ctx {
        movement,
        user_id,
        flags,
        now: now_london(),
    };
    let mut reports = Vec::new();
    for custody in &mut custodies {
        for action in actions {
            let result = match action {
                Action::Release => release::release(conn, ctx, custody).await?,
                Action::Recall => recall::recall(conn, ctx, custody).await?,
                Action::UpdateStatus => status::update_status(conn, ctx, custody).await?,
                Action::UpdateLocation => location::update_location(conn, ctx, custody).await?,
                Action::Died => death::died(conn, ctx, custody).await?,
            };
            let mut properties = movement.properties();
            reports.push(match result {
                ActionResult::Success(name) => Report {
                    name: name.to_owned(),
                    properties,
                    ignored: false,
                },
                ActionResult::Ignored(reason, extra) => {
                    properties.extend(extra);
                    Report::ignored(reason, properties)
                }
            });
        }
    }
    Ok(reports)
}
