//! `GET /users/{username}/managed-cases` (spec 2.8) and `GET|POST /users/{username}/access`
//! (spec 2.9).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Array, Nullable, Text, Timestamp};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;

use delius_data::schema::user_;

/// The most CRNs one access check takes.
pub const MAX_CRNS: usize = 500;
pub const CRNS_SIZE_MESSAGE: &str = "userAccessCheck.crns: Please provide between 1 and 500 crns";

/// A path value starting with a digit is a `USER_.USER_ID` when such a user exists; anything
/// else is the username itself.
pub async fn resolve_username(conn: &mut AsyncPgConnection, value: &str) -> QueryResult<String> {
    if !value.starts_with(|c: char| c.is_ascii_digit()) {
        return Ok(value.to_owned());
    }
    let Ok(id) = value.parse::<i64>() else {
        return Ok(value.to_owned());
    };
    let name: Option<String> = user_::table
        .find(id)
        .select(user_::distinguished_name)
        .first(conn)
        .await
        .optional()?;
    Ok(name.unwrap_or_else(|| value.to_owned()))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManagedCase {
    pub crn: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ManagedCases {
    pub managed_cases: Vec<ManagedCase>,
}

#[derive(QueryableByName)]
struct CrnRow {
    #[diesel(sql_type = Text)]
    crn: String,
}

const MANAGED_CASES: &str = r#"
SELECT DISTINCT o.crn
FROM offender_manager om
JOIN offender o ON o.offender_id = om.offender_id
JOIN user_ u ON u.staff_id = om.allocation_staff_id
WHERE om.active_flag = 1 AND om.soft_deleted = 0 AND o.soft_deleted = 0
  AND lower(u.distinguished_name) = lower($1)
ORDER BY o.crn
"#;

/// Distinct CRNs of the live people the user's staff record actively manages.
pub async fn managed_cases(
    conn: &mut AsyncPgConnection,
    username: &str,
) -> QueryResult<ManagedCases> {
    let rows: Vec<CrnRow> = diesel::sql_query(MANAGED_CASES)
        .bind::<Text, _>(username)
        .load(conn)
        .await?;
    Ok(ManagedCases {
        managed_cases: rows
            .into_iter()
            .map(|row| ManagedCase { crn: row.crn })
            .collect(),
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseAccess {
    pub crn: String,
    pub user_excluded: bool,
    pub user_restricted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclusion_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restriction_message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserAccess {
    pub access: Vec<CaseAccess>,
}

#[derive(QueryableByName)]
struct AccessRow {
    #[diesel(sql_type = Text)]
    crn: String,
    #[diesel(sql_type = Nullable<Text>)]
    exclusion_message: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    restriction_message: Option<String>,
}

/// Restricted: the person has an active restriction and none of them names the user. Excluded:
/// an active exclusion names the user. Each gives the person's message.
const ACCESS: &str = r#"
SELECT o.crn,
       CASE WHEN EXISTS (SELECT 1 FROM exclusion e JOIN user_ u ON u.user_id = e.user_id
                         WHERE e.offender_id = o.offender_id
                           AND lower(u.distinguished_name) = lower($1)
                           AND (e.exclusion_end_time IS NULL OR e.exclusion_end_time > $3))
            THEN o.exclusion_message END AS exclusion_message,
       CASE WHEN EXISTS (SELECT 1 FROM restriction r
                         WHERE r.offender_id = o.offender_id
                           AND (r.restriction_end_time IS NULL OR r.restriction_end_time > $3))
             AND NOT EXISTS (SELECT 1 FROM restriction r JOIN user_ u ON u.user_id = r.user_id
                             WHERE r.offender_id = o.offender_id
                               AND lower(u.distinguished_name) = lower($1)
                               AND (r.restriction_end_time IS NULL OR r.restriction_end_time > $3))
            THEN o.restriction_message END AS restriction_message
FROM offender o
WHERE o.crn = ANY($2) AND o.soft_deleted = 0
"#;

fn non_blank(message: Option<String>) -> Option<String> {
    message.filter(|m| !m.trim().is_empty())
}

/// One entry per CRN in the order given; unknown CRNs are unrestricted. The flags follow the
/// messages: a restriction whose person has a blank message does not count (spec 2.9).
pub async fn access(
    conn: &mut AsyncPgConnection,
    username: &str,
    crns: &[String],
    now: NaiveDateTime,
) -> QueryResult<UserAccess> {
    let rows: Vec<AccessRow> = diesel::sql_query(ACCESS)
        .bind::<Text, _>(username)
        .bind::<Array<Text>, _>(crns)
        .bind::<Timestamp, _>(now)
        .load(conn)
        .await?;
    let access = crns
        .iter()
        .map(|crn| {
            let row = rows.iter().find(|r| &r.crn == crn);
            let exclusion_message = non_blank(row.and_then(|r| r.exclusion_message.clone()));
            let restriction_message = non_blank(row.and_then(|r| r.restriction_message.clone()));
            CaseAccess {
                crn: crn.clone(),
                user_excluded: exclusion_message.is_some(),
                user_restricted: restriction_message.is_some(),
                exclusion_message,
                restriction_message,
            }
        })
        .collect();
    Ok(UserAccess { access })
}

/// The body of an access check: a JSON array of 1 to 500 CRNs.
pub fn crns(body: &[u8]) -> Result<Vec<String>, super::errors::ApiError> {
    use super::errors::ApiError;
    let crns: Vec<String> = serde_json::from_slice(body).map_err(|e| {
        ApiError::BadRequest(format!("Request body must be a JSON array of CRNs: {e}"))
    })?;
    if crns.is_empty() || crns.len() > MAX_CRNS {
        return Err(ApiError::BadRequest(CRNS_SIZE_MESSAGE.to_owned()));
    }
    Ok(crns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_2_9_between_1_and_500_crns() {
        assert!(crns(b"[]").is_err());
        assert_eq!(crns(br#"["X1"]"#).unwrap(), ["X1"]);
        let many = serde_json::to_vec(&vec!["X1"; 501]).unwrap();
        assert!(
            matches!(crns(&many), Err(super::super::errors::ApiError::BadRequest(m)) if m == CRNS_SIZE_MESSAGE)
        );
        let most = serde_json::to_vec(&vec!["X1"; 500]).unwrap();
        assert_eq!(crns(&most).unwrap().len(), 500);
        assert!(crns(b"{}").is_err());
    }
}
