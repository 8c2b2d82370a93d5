//! The registrations the API reads (spec 2.1, 2.2, 2.3): the latest MAPPA registration with a
//! level, whether a victim liaison officer is assigned, and the latest RoSH registration. Each is
//! one statically typed query, so the connection keeps it prepared between requests.

use std::future::Future;

use chrono::NaiveDate;
use diesel::dsl::exists;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use delius_data::schema::{offender, r_register_type, r_standard_reference_list, registration};

/// Register type of MAPPA registrations.
const MAPPA: &str = "MAPP";
/// Register types meaning a victim liaison officer is assigned.
const VICTIM_LIAISON: [&str; 2] = ["DASO", "INVI"];
/// Register type flag (R_REGISTER_TYPE.REGISTER_TYPE_FLAG_ID) of the RoSH register types.
const ROSH_FLAG: &str = "RoSH";

/// The latest live MAPPA registration's level and category.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct MappaRegistration {
    pub level_code: String,
    pub level_description: Option<String>,
    pub category_code: Option<String>,
    pub category_description: Option<String>,
    pub start_date: NaiveDate,
    pub review_date: Option<NaiveDate>,
}

/// The latest live (not deleted, not deregistered) `MAPP` registration of the person that has a
/// level; registrations without a level do not count (the reference inner-joins the level).
pub fn latest_mappa(
    conn: &mut AsyncPgConnection,
    offender_id: i64,
) -> impl Future<Output = QueryResult<Option<MappaRegistration>>> + Send {
    let (level, category) = diesel::alias!(
        r_standard_reference_list as mappa_level,
        r_standard_reference_list as mappa_category
    );
    let query = registration::table
        .inner_join(
            r_register_type::table
                .on(r_register_type::register_type_id.eq(registration::register_type_id)),
        )
        .inner_join(
            level.on(level
                .field(r_standard_reference_list::standard_reference_list_id)
                .nullable()
                .eq(registration::register_level_id)),
        )
        .left_join(
            category.on(category
                .field(r_standard_reference_list::standard_reference_list_id)
                .nullable()
                .eq(registration::register_category_id)),
        )
        .filter(registration::offender_id.eq(offender_id))
        .filter(registration::soft_deleted.eq(0))
        .filter(registration::deregistered.eq(0))
        .filter(r_register_type::code.eq(MAPPA))
        .order((
            registration::registration_date.desc(),
            registration::registration_id.desc(),
        ))
        .select((
            level.field(r_standard_reference_list::code_value),
            level.field(r_standard_reference_list::code_description),
            category
                .field(r_standard_reference_list::code_value)
                .nullable(),
            category
                .field(r_standard_reference_list::code_description)
                .nullable(),
            registration::registration_date,
            registration::next_review_date,
        ))
        .first(conn);
    async move { query.await.optional() }
}

/// True when the person has a live `DASO` or `INVI` registration.
pub fn victim_liaison_officer_assigned(
    conn: &mut AsyncPgConnection,
    offender_id: i64,
) -> impl Future<Output = QueryResult<bool>> + Send {
    diesel::select(exists(
        registration::table
            .inner_join(
                r_register_type::table
                    .on(r_register_type::register_type_id.eq(registration::register_type_id)),
            )
            .filter(registration::offender_id.eq(offender_id))
            .filter(registration::soft_deleted.eq(0))
            .filter(registration::deregistered.eq(0))
            // Two equalities rather than `IN`: a fixed statement the connection can keep prepared.
            .filter(
                r_register_type::code
                    .eq(VICTIM_LIAISON[0])
                    .or(r_register_type::code.eq(VICTIM_LIAISON[1])),
            ),
    ))
    .get_result(conn)
}

/// The latest live RoSH registration of the (not deleted) person with this CRN.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct RoshRegistration {
    pub register_type_code: String,
    pub start_date: NaiveDate,
}

pub async fn latest_rosh(
    conn: &mut AsyncPgConnection,
    crn: &str,
) -> QueryResult<Option<RoshRegistration>> {
    registration::table
        .inner_join(offender::table.on(offender::offender_id.eq(registration::offender_id)))
        .inner_join(
            r_register_type::table
                .on(r_register_type::register_type_id.eq(registration::register_type_id)),
        )
        .inner_join(
            r_standard_reference_list::table.on(
                r_standard_reference_list::standard_reference_list_id
                    .nullable()
                    .eq(r_register_type::register_type_flag_id),
            ),
        )
        .filter(offender::crn.eq(crn))
        .filter(offender::soft_deleted.eq(0))
        .filter(registration::soft_deleted.eq(0))
        .filter(registration::deregistered.eq(0))
        .filter(r_standard_reference_list::code_value.eq(ROSH_FLAG))
        .order((
            registration::registration_date.desc(),
            registration::registration_id.desc(),
        ))
        .select((r_register_type::code, registration::registration_date))
        .first(conn)
        .await
        .optional()
}
