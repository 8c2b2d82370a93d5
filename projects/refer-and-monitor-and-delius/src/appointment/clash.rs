//! The future-appointment clash check (spec 2.2.1), kept to the reference's string semantics:
//! the stored times as `HH24:MI` against the request's London times as `HH:mm:ss`, compared
//! byte-wise, so an appointment starting exactly when the new one ends clashes and one ending
//! exactly when it starts does not.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::MergeAppointment;
use crate::times::london_time_string;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

const CLASH_QUERY: &str = r#"
SELECT count(*) AS count
FROM contact c
JOIN r_contact_type t ON t.contact_type_id = c.contact_type_id
WHERE c.offender_id = $1
  AND t.attendance_contact = 'Y'
  AND (c.external_reference IS NULL OR c.external_reference <> $2)
  AND ($3::varchar IS NULL OR c.external_reference <> $3)
  AND c.contact_date = $4
  AND to_char(c.contact_start_time, 'HH24:MI') COLLATE "C" < $5 COLLATE "C"
  AND to_char(c.contact_end_time, 'HH24:MI') COLLATE "C" > $6 COLLATE "C"
  AND c.soft_deleted = 0
  AND c.contact_outcome_type_id IS NULL
"#;

/// How many live, un-outcomed attendance contacts of the person overlap the appointment.
pub async fn clashes(
    conn: &mut AsyncPgConnection,
    offender_id: i64,
    request: &MergeAppointment,
) -> QueryResult<i64> {
    let row: Count = diesel::sql_query(CLASH_QUERY)
        .bind::<BigInt, _>(offender_id)
        .bind::<Text, _>(request.urn())
        .bind::<Nullable<Text>, _>(request.previous_urn())
        // The date in the offset the client sent, as the reference does.
        .bind::<Date, _>(request.start.date_naive())
        .bind::<Text, _>(london_time_string(&request.end()))
        .bind::<Text, _>(london_time_string(&request.start))
        .get_result(conn)
        .await?;
    Ok(row.count)
}
