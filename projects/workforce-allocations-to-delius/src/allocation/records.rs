//! What the allocations read besides managers (spec 3.5, 3.7): the event, requirement and
//! licence condition with their person and sentence, pending transfers, the accredited-programme
//! test, and the row locks that make allocations of one record run one at a time. Every per-
//! message statement is built with the query builder, so it is prepared once per connection.

use anyhow::Context as _;
use delius_data::schema::{
    disposal, event, lic_condition, lic_condition_transfer, offender, offender_transfer,
    order_transfer, r_lic_cond_type_main_cat, r_reference_data_master,
    r_rqmnt_type_main_category as main_category, r_standard_reference_list as reference, rqmnt,
    rqmnt_transfer,
};
use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

/// An event with its person and the flags the allocations check.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Event {
    pub event_id: i64,
    pub event_number: String,
    pub event_active: i16,
    pub person_id: i64,
    pub crn: String,
}

/// The live event numbered `event_number` of the live person `crn`, locked (with its person) for
/// this transaction so two allocations of one event cannot both find the same current manager.
pub async fn lock_event(
    conn: &mut AsyncPgConnection,
    crn: &str,
    event_number: &str,
) -> anyhow::Result<Option<Event>> {
    event::table
        .inner_join(offender::table)
        .filter(offender::crn.eq(crn))
        .filter(event::event_number.eq(event_number))
        .filter(event::soft_deleted.eq(0))
        .filter(offender::soft_deleted.eq(0))
        .order(event::event_id)
        .select((
            event::event_id,
            event::event_number.assume_not_null(),
            event::active_flag,
            offender::offender_id,
            offender::crn,
        ))
        .for_update()
        .first(conn)
        .await
        .optional()
        .context("reading the event")
}

/// A requirement or licence condition with the sentence, event and person it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Component {
    pub id: i64,
    pub active: i16,
    pub person_id: i64,
    pub crn: String,
    pub event_id: i64,
    pub event_number: Option<String>,
    pub event_active: i16,
    pub disposal_active: i16,
    /// Licence conditions only: main and sub category descriptions, for telemetry.
    pub main_category: Option<String>,
    pub sub_category: Option<String>,
}

impl Component {
    /// Spec 4.4 step 4 / 4.5 step 5: the sentence and its event must both be active.
    pub fn sentence_active(&self) -> bool {
        self.event_active == 1 && self.disposal_active == 1
    }
}

/// The live requirement `id` on a live sentence, locked for this transaction.
pub async fn lock_requirement(
    conn: &mut AsyncPgConnection,
    id: i64,
) -> anyhow::Result<Option<Component>> {
    let locked: Option<i64> = rqmnt::table
        .find(id)
        .filter(rqmnt::soft_deleted.eq(0))
        .select(rqmnt::rqmnt_id)
        .for_update()
        .first(conn)
        .await
        .optional()
        .context("locking the requirement")?;
    if locked.is_none() {
        return Ok(None);
    }
    rqmnt::table
        .inner_join(offender::table)
        .inner_join(disposal::table.inner_join(event::table))
        .filter(rqmnt::rqmnt_id.eq(id))
        .filter(disposal::soft_deleted.eq(0))
        .filter(event::soft_deleted.eq(0))
        .select((
            rqmnt::rqmnt_id,
            rqmnt::active_flag,
            offender::offender_id,
            offender::crn,
            event::event_id,
            event::event_number,
            event::active_flag,
            disposal::active_flag,
            None::<String>.into_sql::<Nullable<Text>>(),
            None::<String>.into_sql::<Nullable<Text>>(),
        ))
        .first(conn)
        .await
        .optional()
        .context("reading the requirement")
}

/// The live licence condition `id` on a live sentence, locked for this transaction.
pub async fn lock_licence_condition(
    conn: &mut AsyncPgConnection,
    id: i64,
) -> anyhow::Result<Option<Component>> {
    let locked: Option<i64> = lic_condition::table
        .find(id)
        .filter(lic_condition::soft_deleted.eq(0))
        .select(lic_condition::lic_condition_id)
        .for_update()
        .first(conn)
        .await
        .optional()
        .context("locking the licence condition")?;
    if locked.is_none() {
        return Ok(None);
    }
    lic_condition::table
        .inner_join(offender::table)
        .inner_join(disposal::table.inner_join(event::table))
        .inner_join(r_lic_cond_type_main_cat::table)
        .left_join(
            reference::table.on(reference::standard_reference_list_id
                .nullable()
                .eq(lic_condition::lic_cond_type_sub_cat_id)),
        )
        .filter(lic_condition::lic_condition_id.eq(id))
        .filter(disposal::soft_deleted.eq(0))
        .filter(event::soft_deleted.eq(0))
        .select((
            lic_condition::lic_condition_id,
            lic_condition::active_flag,
            offender::offender_id,
            offender::crn,
            event::event_id,
            event::event_number,
            event::active_flag,
            disposal::active_flag,
            r_lic_cond_type_main_cat::description,
            reference::code_description.nullable(),
        ))
        .first(conn)
        .await
        .optional()
        .context("reading the licence condition")
}

/// Locks the person's OFFENDER row: person allocations also move the responsible officer, so
/// two of them for one person must run one after the other.
pub async fn lock_person(conn: &mut AsyncPgConnection, crn: &str) -> anyhow::Result<Option<i64>> {
    offender::table
        .filter(offender::crn.eq(crn))
        .filter(offender::soft_deleted.eq(0))
        .select(offender::offender_id)
        .for_update()
        .first(conn)
        .await
        .optional()
        .context("reading the person")
}

/// The transfer tables a pending transfer is looked for in (spec 3.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferTable {
    Person,
    Order,
    Requirement,
    LicenceCondition,
}

/// Live transfers of `$key` in `$table` whose status is `PN` (Pending) of TRANSFER STATUS.
macro_rules! pending_transfers {
    ($conn:expr, $table:ident, $key_column:ident, $key:expr) => {
        $table::table
            .inner_join(
                reference::table
                    .on(reference::standard_reference_list_id.eq($table::status_id))
                    .inner_join(r_reference_data_master::table),
            )
            .filter($table::$key_column.eq($key))
            .filter($table::soft_deleted.eq(0))
            .filter(r_reference_data_master::code_set_name.eq("TRANSFER STATUS"))
            .filter(reference::code_value.eq("PN"))
            .select(count_star())
            .get_result::<i64>($conn)
            .await
    };
}

/// Whether a live transfer of `key` has status `PN` (Pending).
pub async fn has_pending_transfer(
    conn: &mut AsyncPgConnection,
    table: TransferTable,
    key: i64,
) -> anyhow::Result<bool> {
    let count = match table {
        TransferTable::Person => pending_transfers!(conn, offender_transfer, offender_id, key),
        TransferTable::Order => pending_transfers!(conn, order_transfer, event_id, key),
        TransferTable::Requirement => pending_transfers!(conn, rqmnt_transfer, rqmnt_id, key),
        TransferTable::LicenceCondition => {
            pending_transfers!(conn, lic_condition_transfer, lic_condition_id, key)
        }
    }
    .context("counting pending transfers")?;
    Ok(count > 0)
}

/// Whose requirements the accredited-programme test looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequirementsOf {
    Person(i64),
    Event(i64),
}

diesel::alias!(delius_data::schema::r_rqmnt_type_main_category as additional_category: AdditionalCategory);

/// A requirement's main category code, sub category code and additional main category code.
type Categories = (Option<String>, Option<String>, Option<String>);

/// The accredited-programme test (spec 3.7, rule 9) over the active requirements of a person or
/// of an event's sentence.
pub async fn has_accredited_programme(
    conn: &mut AsyncPgConnection,
    of: RequirementsOf,
) -> anyhow::Result<bool> {
    let requirements = rqmnt::table
        .left_join(
            main_category::table.on(main_category::rqmnt_type_main_category_id
                .nullable()
                .eq(rqmnt::rqmnt_type_main_category_id)),
        )
        .left_join(
            reference::table.on(reference::standard_reference_list_id
                .nullable()
                .eq(rqmnt::rqmnt_type_sub_category_id)),
        )
        .left_join(
            additional_category.on(additional_category
                .field(main_category::rqmnt_type_main_category_id)
                .nullable()
                .eq(rqmnt::ad_rqmnt_type_main_category_id)),
        )
        .filter(rqmnt::active_flag.eq(1))
        .filter(rqmnt::soft_deleted.eq(0))
        .select((
            main_category::code.nullable(),
            reference::code_value.nullable(),
            additional_category.field(main_category::code).nullable(),
        ));
    let categories: Vec<Categories> = match of {
        RequirementsOf::Person(person_id) => {
            requirements
                .filter(rqmnt::offender_id.eq(person_id))
                .load(conn)
                .await
        }
        RequirementsOf::Event(event_id) => {
            requirements
                .filter(
                    rqmnt::disposal_id.eq_any(
                        disposal::table
                            .filter(disposal::event_id.eq(event_id))
                            .filter(disposal::soft_deleted.eq(0))
                            .select(disposal::disposal_id),
                    ),
                )
                .load(conn)
                .await
        }
    }
    .context("reading the requirements' categories")?;
    Ok(categories.iter().any(is_accredited_programme))
}

/// Main category RM38, or 7 unless its sub category is RS66, or an additional main category of
/// RM38 or 7.
pub fn is_accredited_programme((main, sub, additional): &Categories) -> bool {
    let accredited = |code: &Option<String>| matches!(code.as_deref(), Some("RM38" | "7"));
    match main.as_deref() {
        Some("RM38") => true,
        Some("7") if sub.as_deref() != Some("RS66") => true,
        _ => accredited(additional),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn categories(main: Option<&str>, sub: Option<&str>, additional: Option<&str>) -> Categories {
        (
            main.map(str::to_owned),
            sub.map(str::to_owned),
            additional.map(str::to_owned),
        )
    }

    #[test]
    fn rule_9_accredited_programme_categories() {
        assert!(is_accredited_programme(&categories(
            Some("RM38"),
            None,
            None
        )));
        assert!(is_accredited_programme(&categories(
            Some("RM38"),
            Some("RS66"),
            None
        )));
        assert!(is_accredited_programme(&categories(Some("7"), None, None)));
        assert!(is_accredited_programme(&categories(
            Some("7"),
            Some("RS01"),
            None
        )));
        assert!(!is_accredited_programme(&categories(
            Some("7"),
            Some("RS66"),
            None
        )));
        assert!(is_accredited_programme(&categories(
            Some("F"),
            None,
            Some("7")
        )));
        assert!(is_accredited_programme(&categories(
            Some("7"),
            Some("RS66"),
            Some("RM38")
        )));
        assert!(!is_accredited_programme(&categories(
            Some("F"),
            None,
            Some("W")
        )));
        assert!(!is_accredited_programme(&categories(None, None, None)));
    }
}
