//! The four manager tables (spec 3.1) share one column set; each is described once here and
//! read and written through the same statements. Table and column names come only from these
//! constants, never from input; every value is a bound parameter.

use anyhow::Context as _;
use chrono::NaiveDateTime;
use delius_data::StaleRow;
use diesel::sql_types::{BigInt, Nullable, SmallInt, Text, Timestamp};
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

/// Where one kind of manager lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ManagerTable {
    pub table: &'static str,
    pub id_column: &'static str,
    pub sequence: &'static str,
    /// What is managed: the person, event, requirement or licence condition.
    pub owner_column: &'static str,
    /// `offender_manager` calls its team column `team_id`; the others `allocation_team_id`.
    pub team_column: &'static str,
    /// Person allocations record no transfer reason.
    pub has_transfer_reason: bool,
    /// Named in the "not found" message, as Delius users know it.
    pub description: &'static str,
}

pub const PERSON_MANAGER: ManagerTable = ManagerTable {
    table: "offender_manager",
    id_column: "offender_manager_id",
    sequence: "offender_manager_id_seq",
    owner_column: "offender_id",
    team_column: "team_id",
    has_transfer_reason: false,
    description: "Person Manager",
};

pub const ORDER_MANAGER: ManagerTable = ManagerTable {
    table: "order_manager",
    id_column: "order_manager_id",
    sequence: "order_manager_id_seq",
    owner_column: "event_id",
    team_column: "allocation_team_id",
    has_transfer_reason: true,
    description: "Order Manager",
};

pub const REQUIREMENT_MANAGER: ManagerTable = ManagerTable {
    table: "rqmnt_manager",
    id_column: "rqmnt_manager_id",
    sequence: "rqmnt_manager_id_seq",
    owner_column: "rqmnt_id",
    team_column: "allocation_team_id",
    has_transfer_reason: true,
    description: "Requirement Manager",
};

pub const LICENCE_CONDITION_MANAGER: ManagerTable = ManagerTable {
    table: "lic_condition_manager",
    id_column: "lic_condition_manager_id",
    sequence: "lic_condition_manager_id_seq",
    owner_column: "lic_condition_id",
    team_column: "allocation_team_id",
    has_transfer_reason: true,
    description: "Licence Condition Manager",
};

/// A manager row with the staff and team it names.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Manager {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub staff_id: i64,
    #[diesel(sql_type = Text)]
    pub staff_code: String,
    #[diesel(sql_type = Text)]
    pub staff_forename: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub staff_forename2: Option<String>,
    #[diesel(sql_type = Text)]
    pub staff_surname: String,
    #[diesel(sql_type = BigInt)]
    pub team_id: i64,
    #[diesel(sql_type = Text)]
    pub team_code: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub team_description: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub provider_id: Option<i64>,
    #[diesel(sql_type = BigInt)]
    pub partition_area_id: i64,
    #[diesel(sql_type = Timestamp)]
    pub allocation_date: NaiveDateTime,
    #[diesel(sql_type = Nullable<Timestamp>)]
    pub end_date: Option<NaiveDateTime>,
    #[diesel(sql_type = BigInt)]
    pub row_version: i64,
}

impl Manager {
    /// Forenames and surname separated by spaces (spec 4.1e "From Officer").
    pub fn staff_name(&self) -> String {
        display_name(
            &self.staff_forename,
            self.staff_forename2.as_deref(),
            &self.staff_surname,
        )
    }
}

/// Forenames and surname separated by single spaces, skipping blank parts.
pub fn display_name(forename: &str, forename2: Option<&str>, surname: &str) -> String {
    [Some(forename), forename2, Some(surname)]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// How far ahead of this service's clock an end date may be and still count as reached: an
/// allocation stamped by Workforce a moment "in the future" must not leave the manager it ends
/// flagged active for good (nothing revisits the flag later).
pub const CLOCK_SKEW: chrono::TimeDelta = chrono::TimeDelta::seconds(60);

/// Rule 3: a manager is active while its end date is unset or still ahead (beyond clock skew).
pub fn active_flag(end_date: Option<NaiveDateTime>, now: NaiveDateTime) -> i16 {
    i16::from(end_date.is_none_or(|end| end > now + CLOCK_SKEW))
}

/// The values of a new manager row (spec 4.1c).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewManager {
    pub owner_id: i64,
    pub staff_id: i64,
    pub team_id: i64,
    pub provider_id: Option<i64>,
    pub partition_area_id: i64,
    pub allocation_date: NaiveDateTime,
    pub end_date: Option<NaiveDateTime>,
    pub reason_id: i64,
    pub transfer_reason_id: Option<i64>,
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

impl ManagerTable {
    /// The manager of `owner_id` in force at `at` (spec 3.1): started on or before it, not yet
    /// ended, not soft-deleted. Should two overlap, the latest start is the one in force.
    pub async fn active_at(
        &self,
        conn: &mut AsyncPgConnection,
        owner_id: i64,
        at: NaiveDateTime,
    ) -> anyhow::Result<Option<Manager>> {
        let sql = format!(
            "SELECT m.{id} AS id, m.allocation_staff_id AS staff_id, s.officer_code AS staff_code, \
                    s.forename AS staff_forename, s.forename2 AS staff_forename2, \
                    s.surname AS staff_surname, m.{team} AS team_id, t.code AS team_code, \
                    t.description AS team_description, \
                    COALESCE(m.probation_area_id, t.probation_area_id) AS provider_id, \
                    m.partition_area_id, m.allocation_date, m.end_date, m.row_version \
             FROM {table} m \
             JOIN staff s ON s.staff_id = m.allocation_staff_id \
             JOIN team t ON t.team_id = m.{team} \
             WHERE m.{owner} = $1 AND m.soft_deleted = 0 AND m.allocation_date <= $2 \
               AND (m.end_date IS NULL OR m.end_date > $2) \
             ORDER BY m.allocation_date DESC, m.{id} DESC LIMIT 1",
            id = self.id_column,
            team = self.team_column,
            table = self.table,
            owner = self.owner_column,
        );
        let rows: Vec<Manager> = diesel::sql_query(sql)
            .bind::<BigInt, _>(owner_id)
            .bind::<Timestamp, _>(at)
            .load(conn)
            .await
            .with_context(|| format!("reading the active {}", self.table))?;
        Ok(rows.into_iter().next())
    }

    /// Ends `manager` at `end_date` if nobody changed it since it was read (row version).
    pub async fn end(
        &self,
        conn: &mut AsyncPgConnection,
        manager: &Manager,
        end_date: NaiveDateTime,
        user_id: i64,
        now: NaiveDateTime,
    ) -> anyhow::Result<()> {
        let sql = format!(
            "UPDATE {table} SET end_date = $1, active_flag = $2, row_version = row_version + 1, \
                    last_updated_user_id = $3, last_updated_datetime = $4 \
             WHERE {id} = $5 AND row_version = $6",
            table = self.table,
            id = self.id_column,
        );
        let updated = diesel::sql_query(sql)
            .bind::<Timestamp, _>(end_date)
            .bind::<SmallInt, _>(active_flag(Some(end_date), now))
            .bind::<BigInt, _>(user_id)
            .bind::<Timestamp, _>(now)
            .bind::<BigInt, _>(manager.id)
            .bind::<BigInt, _>(manager.row_version)
            .execute(conn)
            .await
            .with_context(|| format!("ending {} {}", self.table, manager.id))?;
        if updated == 0 {
            return Err(StaleRow {
                table: self.table,
                id: manager.id,
                expected: manager.row_version,
            }
            .into());
        }
        Ok(())
    }

    /// Inserts the new manager and returns its id.
    pub async fn insert(
        &self,
        conn: &mut AsyncPgConnection,
        new: &NewManager,
        user_id: i64,
        now: NaiveDateTime,
    ) -> anyhow::Result<i64> {
        let (transfer_column, transfer_value) = if self.has_transfer_reason {
            (", transfer_reason_id", ", $10")
        } else {
            ("", "")
        };
        let sql = format!(
            "INSERT INTO {table} ({id}, {owner}, allocation_staff_id, staff_employee_id, {team}, \
                    trust_provider_team_id, trust_provider_flag, probation_area_id, \
                    partition_area_id, allocation_date, end_date, allocation_reason_id, \
                    active_flag, soft_deleted, row_version, created_by_user_id, \
                    last_updated_user_id, created_datetime, last_updated_datetime{transfer_column}) \
             VALUES (nextval('{sequence}'), $1, $2, $2, $3, $3, 0, $4, $5, $6, $7, $8, $9, 0, 0, \
                    $11, $11, $12, $12{transfer_value}) \
             RETURNING {id} AS id",
            table = self.table,
            id = self.id_column,
            owner = self.owner_column,
            team = self.team_column,
            sequence = self.sequence,
        );
        let row: Id = diesel::sql_query(sql)
            .bind::<BigInt, _>(new.owner_id)
            .bind::<BigInt, _>(new.staff_id)
            .bind::<BigInt, _>(new.team_id)
            .bind::<Nullable<BigInt>, _>(new.provider_id)
            .bind::<BigInt, _>(new.partition_area_id)
            .bind::<Timestamp, _>(new.allocation_date)
            .bind::<Nullable<Timestamp>, _>(new.end_date)
            .bind::<BigInt, _>(new.reason_id)
            .bind::<SmallInt, _>(active_flag(new.end_date, now))
            .bind::<Nullable<BigInt>, _>(new.transfer_reason_id)
            .bind::<BigInt, _>(user_id)
            .bind::<Timestamp, _>(now)
            .get_result(conn)
            .await
            .with_context(|| format!("inserting the new {}", self.table))?;
        Ok(row.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .expect("date")
    }

    #[test]
    fn rule_3_active_flag_follows_the_end_date() {
        let now = at(2024, 6, 1);
        assert_eq!(active_flag(None, now), 1);
        assert_eq!(active_flag(Some(at(2024, 6, 2)), now), 1);
        assert_eq!(active_flag(Some(now), now), 0);
        assert_eq!(
            active_flag(Some(now + chrono::TimeDelta::seconds(30)), now),
            0,
            "a few seconds ahead is clock skew, not a future end"
        );
        assert_eq!(active_flag(Some(at(2022, 7, 28)), now), 0);
    }

    #[test]
    fn display_names_join_forenames_and_surname_with_single_spaces() {
        assert_eq!(display_name("Staff", None, "With User"), "Staff With User");
        assert_eq!(
            display_name("Ann", Some("Marie"), "Smith"),
            "Ann Marie Smith"
        );
        assert_eq!(display_name("Ann", Some(" "), "Smith"), "Ann Smith");
    }
}
