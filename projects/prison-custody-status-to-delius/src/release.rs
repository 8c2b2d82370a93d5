//! Action `Release` (spec 5.2).

use chrono::NaiveDate;
use delius_data::lookups::{next_id, Sequence};
use delius_data::schema::{event, host, release};
use delius_data::time::now_london;
use delius_data::StaleRow;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::actions::ECSL;
use crate::custody::{Custody, LatestRelease, COMMITTAL_PSSR_BREACH};
use crate::movement::{MovementType, PrisonerMovement};
use crate::outcome::{names, ActionResult, Ctx};
use crate::store::{self, Conn, NewContact};

pub const RELEASE_TYPE: &str = "RELEASE TYPE";
pub const HDC_REASON: &str = "HD";

pub const PSSR_BREACH_NOTES: &str = "Delius has been informed of a Post PSSR Committal Breach release. \nThe Event should now be terminated with a reason of \"Released - No Licence to Supervise\"";

/// Release type code from the effective NOMIS reason (spec 5.2.3).
pub fn release_type(effective_reason: &str, hdc_flag: bool) -> &'static str {
    match effective_reason {
        ECSL => "ECSL",
        HDC_REASON if hdc_flag => "HDC",
        _ => "ADL",
    }
}

/// Spec 5.2.1-2, in the reference's order: a release dated before the sentence (or before the
/// recall of the latest release) is `InvalidReleaseDate`; a movement that is not RELEASED is
/// `UnsupportedReleaseType`. The action table only gives `Release` to RELEASED rows, so the
/// second is a guard that no message reaches today (`actions::tests`).
pub fn precondition(custody: &Custody, m: &PrisonerMovement) -> Option<&'static str> {
    if !custody.release_date_is_valid(m.occurred_at) {
        Some(names::INVALID_RELEASE_DATE)
    } else if m.movement_type != MovementType::Released {
        Some(names::UNSUPPORTED_RELEASE_TYPE)
    } else {
        None
    }
}

pub async fn release(
    conn: &mut Conn,
    ctx: Ctx<'_>,
    custody: &mut Custody,
) -> anyhow::Result<ActionResult> {
    let m = ctx.movement;
    if let Some(reason) = precondition(custody, m) {
        return Ok(ActionResult::ignored(reason));
    }
    let type_code = release_type(m.effective_reason(), ctx.flags.hdc_release_type);
    let release_type = store::required_reference(conn, RELEASE_TYPE, type_code).await?;

    if custody.can_be_released() {
        let from = match m.from_prison_id.as_deref() {
            Some(code) => store::institution_by_nomis_code(conn, code).await?,
            None => None,
        };
        let from = match from.or_else(|| custody.institution.clone()) {
            Some(i) => i,
            None => store::institution_by_code(conn, "UNKNOW").await?,
        };
        let date: NaiveDate = m.occurred_at.date();
        let provider = lead_host(conn, from.id, date).await?;
        let id = next_id(conn, Sequence::named("release_id_seq")).await?;
        let now = now_london();
        diesel::insert_into(release::table)
            .values((
                release::release_id.eq(id),
                release::actual_release_date.eq(date),
                release::release_type_id.eq(release_type.id),
                release::offender_id.eq(custody.offender_id),
                release::custody_id.eq(custody.id),
                release::institution_id.eq(from.id),
                release::establishment.eq(&from.establishment),
                release::probation_area_id.eq(provider),
                release::nomis_movement_reason_code.eq(non_empty(&m.reason)),
                release::created_by_user_id.eq(ctx.user_id),
                release::last_updated_user_id.eq(ctx.user_id),
                release::created_datetime.eq(now),
                release::last_updated_datetime.eq(now),
            ))
            .execute(conn)
            .await?;
        let manager = store::order_manager(conn, custody.event_id).await?;
        store::add_contact(
            conn,
            NewContact {
                type_code: "EREL",
                offender_id: custody.offender_id,
                event_id: Some(custody.event_id),
                lic_condition_id: None,
                at: m.occurred_at,
                notes: format!(
                    "Release Type: {}",
                    release_type.description.as_deref().unwrap_or_default()
                ),
                manager,
                alert: false,
                created: now,
            },
            ctx.user_id,
        )
        .await?;
        if custody.first_release_date.is_none() {
            let updated = diesel::update(
                event::table
                    .filter(event::event_id.eq(custody.event_id))
                    .filter(event::row_version.eq(custody.event_row_version)),
            )
            .set((
                event::first_release_date.eq(date),
                event::row_version.eq(custody.event_row_version + 1),
                event::last_updated_user_id.eq(ctx.user_id),
                event::last_updated_datetime.eq(now),
            ))
            .execute(conn)
            .await?;
            if updated == 0 {
                return Err(StaleRow {
                    table: "event",
                    id: custody.event_id,
                    expected: custody.event_row_version,
                }
                .into());
            }
            custody.event_row_version += 1;
            custody.first_release_date = Some(date);
        }
        audit_iaps::iaps::flag_iaps_event(conn, custody.event_id).await?;
        custody.latest_release = Some(LatestRelease {
            id,
            date,
            recall_date: None,
        });
        return Ok(ActionResult::Success(names::RELEASED));
    }

    if custody.disposal_type_code == COMMITTAL_PSSR_BREACH {
        let manager = store::order_manager(conn, custody.event_id).await?;
        store::add_contact(
            conn,
            NewContact {
                type_code: "ERPSSR",
                offender_id: custody.offender_id,
                event_id: Some(custody.event_id),
                lic_condition_id: None,
                at: m.occurred_at,
                notes: PSSR_BREACH_NOTES.to_owned(),
                manager,
                alert: true,
                created: now_london(),
            },
            ctx.user_id,
        )
        .await?;
    }
    Ok(ActionResult::ignored_with(
        names::UNABLE_TO_RELEASE,
        &[
            ("currentStatus", custody.status.code.clone()),
            ("disposalTypeCode", custody.disposal_type_code.clone()),
        ],
    ))
}

/// Lead host provider of the institution on `date` (nullable).
async fn lead_host(
    conn: &mut Conn,
    institution_id: i64,
    date: NaiveDate,
) -> QueryResult<Option<i64>> {
    host::table
        .filter(host::institution_id.eq(institution_id))
        .filter(host::lead_host.eq("Y"))
        .filter(host::start_date.le(date).or(host::start_date.is_null()))
        .filter(host::end_date.ge(date).or(host::end_date.is_null()))
        .select(host::probation_area_id)
        .order(host::start_date.desc())
        .first(conn)
        .await
        .optional()
}

pub fn non_empty(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_type_from_the_effective_reason() {
        assert_eq!(release_type("ECSL", false), "ECSL");
        assert_eq!(release_type("HD", true), "HDC");
        assert_eq!(release_type("HD", false), "ADL");
        assert_eq!(release_type("NCS", true), "ADL");
    }

    #[test]
    fn rule_5_2_2_a_movement_that_is_not_released_is_an_unsupported_release_type() {
        use crate::custody::tests::{custody, movement};
        use crate::movement::Direction;
        use MovementType as T;
        let c = custody("D");
        assert_eq!(
            precondition(&c, &movement(Direction::Released, T::Released, "NCS")),
            None
        );
        for (d, t) in [
            (Direction::Released, T::ReleasedToHospital),
            (Direction::Released, T::TemporaryAbsenceRelease),
            (Direction::Received, T::Admission),
        ] {
            assert_eq!(
                precondition(&c, &movement(d, t, "NCS")),
                Some(names::UNSUPPORTED_RELEASE_TYPE),
                "{t:?}"
            );
        }
        // The release date is checked first (spec 5.2.1 before 5.2.2).
        let mut early = movement(Direction::Released, T::ReleasedToHospital, "HO");
        early.occurred_at = crate::custody::tests::at("2019-01-01 10:00:00");
        assert_eq!(precondition(&c, &early), Some(names::INVALID_RELEASE_DATE));
    }
}
