//! The four manager tables (spec 3.1) share one column set; each is described once here and
//! read and written through the same query-builder statements (generated per table by
//! `manager_queries!`), so PostgreSQL plans each statement once per connection and caches it.

use anyhow::Context as _;
use chrono::NaiveDateTime;
use delius_data::StaleRow;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

/// Which manager table, with what the messages about it name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ManagerTable {
    pub table: &'static str,
    queries: Queries,
    /// Named in the "not found" message, as Delius users know it.
    pub description: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Queries {
    Person,
    Order,
    Requirement,
    LicenceCondition,
}

pub const PERSON_MANAGER: ManagerTable = ManagerTable {
    table: "offender_manager",
    queries: Queries::Person,
    description: "Person Manager",
};

pub const ORDER_MANAGER: ManagerTable = ManagerTable {
    table: "order_manager",
    queries: Queries::Order,
    description: "Order Manager",
};

pub const REQUIREMENT_MANAGER: ManagerTable = ManagerTable {
    table: "rqmnt_manager",
    queries: Queries::Requirement,
    description: "Requirement Manager",
};

pub const LICENCE_CONDITION_MANAGER: ManagerTable = ManagerTable {
    table: "lic_condition_manager",
    queries: Queries::LicenceCondition,
    description: "Licence Condition Manager",
};

/// A manager row with the staff and team it names.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Manager {
    pub id: i64,
    pub staff_id: i64,
    pub staff_code: String,
    pub staff_forename: String,
    pub staff_forename2: Option<String>,
    pub staff_surname: String,
    pub team_id: i64,
    pub team_code: String,
    pub team_description: Option<String>,
    /// The manager's provider or, where the row has none, its team's (see `active_at`).
    pub provider_id: Option<i64>,
    team_provider_id: Option<i64>,
    pub partition_area_id: i64,
    pub allocation_date: NaiveDateTime,
    pub end_date: Option<NaiveDateTime>,
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

/// The statements of one manager table: `$team` is its team column, `$transfer` its transfer
/// reason column where it has one (person managers record none).
macro_rules! manager_queries {
    ($module:ident, $table:ident, $id:ident, $owner:ident, $team:ident $(, $transfer:ident)?) => {
        mod $module {
            use super::*;
            use delius_data::schema::{$table as m, staff, team};

            pub async fn active_at(
                conn: &mut AsyncPgConnection,
                owner_id: i64,
                at: NaiveDateTime,
            ) -> QueryResult<Option<Manager>> {
                m::table
                    .inner_join(staff::table.on(staff::staff_id.eq(m::allocation_staff_id)))
                    .inner_join(team::table.on(team::team_id.eq(m::$team)))
                    .filter(m::$owner.eq(owner_id))
                    .filter(m::soft_deleted.eq(0))
                    .filter(m::allocation_date.le(at))
                    .filter(m::end_date.is_null().or(m::end_date.gt(at)))
                    .order((m::allocation_date.desc(), m::$id.desc()))
                    .select((
                        m::$id,
                        m::allocation_staff_id,
                        staff::officer_code,
                        staff::forename,
                        staff::forename2,
                        staff::surname,
                        m::$team,
                        team::code,
                        team::description,
                        m::probation_area_id,
                        team::probation_area_id,
                        m::partition_area_id,
                        m::allocation_date.assume_not_null(),
                        m::end_date,
                        m::row_version,
                    ))
                    .first::<Manager>(conn)
                    .await
                    .optional()
            }

            pub async fn end(
                conn: &mut AsyncPgConnection,
                manager: &Manager,
                end_date: NaiveDateTime,
                (user_id, now): (i64, NaiveDateTime),
            ) -> QueryResult<usize> {
                diesel::update(
                    m::table
                        .filter(m::$id.eq(manager.id))
                        .filter(m::row_version.eq(manager.row_version)),
                )
                .set((
                    m::end_date.eq(end_date),
                    m::active_flag.eq(active_flag(Some(end_date), now)),
                    m::row_version.eq(m::row_version + 1),
                    m::last_updated_user_id.eq(user_id),
                    m::last_updated_datetime.eq(now),
                ))
                .execute(conn)
                .await
            }

            pub async fn insert(
                conn: &mut AsyncPgConnection,
                new: &NewManager,
                (user_id, now): (i64, NaiveDateTime),
            ) -> QueryResult<i64> {
                diesel::insert_into(m::table)
                    .values((
                        m::$id.eq(diesel::dsl::sql::<BigInt>(concat!(
                            "nextval('",
                            stringify!($id),
                            "_seq')"
                        ))),
                        m::$owner.eq(new.owner_id),
                        m::allocation_staff_id.eq(new.staff_id),
                        m::staff_employee_id.eq(new.staff_id),
                        m::$team.eq(new.team_id),
                        m::trust_provider_team_id.eq(new.team_id),
                        m::trust_provider_flag.eq(0i16),
                        m::probation_area_id.eq(new.provider_id),
                        m::partition_area_id.eq(new.partition_area_id),
                        m::allocation_date.eq(new.allocation_date),
                        m::end_date.eq(new.end_date),
                        m::allocation_reason_id.eq(new.reason_id),
                        $(m::$transfer.eq(new.transfer_reason_id),)?
                        m::active_flag.eq(active_flag(new.end_date, now)),
                        m::soft_deleted.eq(0i16),
                        m::row_version.eq(0i64),
                        m::created_by_user_id.eq(user_id),
                        m::last_updated_user_id.eq(user_id),
                        m::created_datetime.eq(now),
                        m::last_updated_datetime.eq(now),
                    ))
                    .returning(m::$id)
                    .get_result(conn)
                    .await
            }
        }
    };
}

manager_queries!(
    person,
    offender_manager,
    offender_manager_id,
    offender_id,
    team_id
);
manager_queries!(
    order,
    order_manager,
    order_manager_id,
    event_id,
    allocation_team_id,
    transfer_reason_id
);
manager_queries!(
    requirement,
    rqmnt_manager,
    rqmnt_manager_id,
    rqmnt_id,
    allocation_team_id,
    transfer_reason_id
);
manager_queries!(
    licence_condition,
    lic_condition_manager,
    lic_condition_manager_id,
    lic_condition_id,
    allocation_team_id,
    transfer_reason_id
);

impl ManagerTable {
    /// The manager of `owner_id` in force at `at` (spec 3.1): started on or before it, not yet
    /// ended, not soft-deleted. Should two overlap, the latest start is the one in force.
    pub async fn active_at(
        &self,
        conn: &mut AsyncPgConnection,
        owner_id: i64,
        at: NaiveDateTime,
    ) -> anyhow::Result<Option<Manager>> {
        let found = match self.queries {
            Queries::Person => person::active_at(conn, owner_id, at).await,
            Queries::Order => order::active_at(conn, owner_id, at).await,
            Queries::Requirement => requirement::active_at(conn, owner_id, at).await,
            Queries::LicenceCondition => licence_condition::active_at(conn, owner_id, at).await,
        };
        let found = found.with_context(|| format!("reading the active {}", self.table))?;
        Ok(found.map(|manager| Manager {
            provider_id: manager.provider_id.or(manager.team_provider_id),
            ..manager
        }))
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
        let audit = (user_id, now);
        let updated = match self.queries {
            Queries::Person => person::end(conn, manager, end_date, audit).await,
            Queries::Order => order::end(conn, manager, end_date, audit).await,
            Queries::Requirement => requirement::end(conn, manager, end_date, audit).await,
            Queries::LicenceCondition => {
                licence_condition::end(conn, manager, end_date, audit).await
            }
        }
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
        let audit = (user_id, now);
        match self.queries {
            Queries::Person => person::insert(conn, new, audit).await,
            Queries::Order => order::insert(conn, new, audit).await,
            Queries::Requirement => requirement::insert(conn, new, audit).await,
            Queries::LicenceCondition => licence_condition::insert(conn, new, audit).await,
        }
        .with_context(|| format!("inserting the new {}", self.table))
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
