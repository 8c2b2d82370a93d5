//! Rule 7: a person allocation always replaces the responsible officer (spec 4.2 step 8). The
//! old RO ends at the new manager's start and is saved before the new RO is inserted (only one
//! may be active); a ROC contact records the change.

use anyhow::Context as _;
use chrono::NaiveDateTime;
use delius_data::schema::{
    offender_manager as om, prison_offender_manager as pom, probation_area,
    responsible_officer as ro, staff, team,
};
use delius_data::time::format_delius_date_time;
use delius_data::StaleRow;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::managers::display_name;

/// Who holds a responsible-officer row, as the ROC notes print them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Officer {
    pub name: String,
    pub team: String,
    pub provider: String,
}

/// A responsible-officer row with the community and prison managers it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponsibleOfficer {
    pub id: i64,
    pub row_version: i64,
    pub start: NaiveDateTime,
    pub end: Option<NaiveDateTime>,
    pub community_manager: Option<Officer>,
    pub prison_manager: Option<Officer>,
}

/// Who holds a manager row, as the notes print them: (forenames, surname, team, provider).
type OfficerRow = (
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
);

fn officer((forename, forename2, surname, team, provider): OfficerRow) -> Officer {
    Officer {
        name: display_name(&forename, forename2.as_deref(), &surname),
        team: team.unwrap_or_default(),
        provider: provider.unwrap_or_default(),
    }
}

async fn community_manager(
    conn: &mut AsyncPgConnection,
    id: i64,
) -> anyhow::Result<Option<Officer>> {
    let row: Option<OfficerRow> = om::table
        .inner_join(staff::table.on(staff::staff_id.eq(om::allocation_staff_id)))
        .inner_join(team::table.on(team::team_id.eq(om::team_id)))
        .left_join(
            probation_area::table.on(probation_area::probation_area_id
                .nullable()
                .eq(om::probation_area_id)),
        )
        .filter(om::offender_manager_id.eq(id))
        .select((
            staff::forename,
            staff::forename2,
            staff::surname,
            team::description,
            probation_area::description.nullable(),
        ))
        .first(conn)
        .await
        .optional()
        .context("reading the responsible officer's community manager")?;
    Ok(row.map(officer))
}

async fn prison_manager(conn: &mut AsyncPgConnection, id: i64) -> anyhow::Result<Option<Officer>> {
    let row: Option<OfficerRow> = pom::table
        .inner_join(staff::table.on(staff::staff_id.eq(pom::allocation_staff_id)))
        .inner_join(team::table.on(team::team_id.eq(pom::allocation_team_id)))
        .inner_join(
            probation_area::table.on(probation_area::probation_area_id.eq(pom::probation_area_id)),
        )
        .filter(pom::prison_offender_manager_id.eq(id))
        .select((
            staff::forename,
            staff::forename2,
            staff::surname,
            team::description,
            probation_area::description,
        ))
        .first(conn)
        .await
        .optional()
        .context("reading the responsible officer's prison manager")?;
    Ok(row.map(officer))
}

/// The person's responsible officer in force at `at`, if any (the newest version tolerates none).
pub async fn active_at(
    conn: &mut AsyncPgConnection,
    person_id: i64,
    at: NaiveDateTime,
) -> anyhow::Result<Option<ResponsibleOfficer>> {
    type Row = (
        i64,
        i64,
        NaiveDateTime,
        Option<NaiveDateTime>,
        Option<i64>,
        Option<i64>,
    );
    let row: Option<Row> = ro::table
        .filter(ro::offender_id.eq(person_id))
        .filter(ro::start_date.le(at))
        .filter(ro::end_date.is_null().or(ro::end_date.gt(at)))
        .order((ro::start_date.desc(), ro::responsible_officer_id.desc()))
        .select((
            ro::responsible_officer_id,
            ro::row_version,
            ro::start_date,
            ro::end_date,
            ro::offender_manager_id,
            ro::prison_offender_manager_id,
        ))
        .first(conn)
        .await
        .optional()
        .context("reading the responsible officer")?;
    let Some((id, row_version, start, end, community_id, prison_id)) = row else {
        return Ok(None);
    };
    let community_manager = match community_id {
        Some(id) => community_manager(conn, id).await?,
        None => None,
    };
    let prison_manager = match prison_id {
        Some(id) => prison_manager(conn, id).await?,
        None => None,
    };
    Ok(Some(ResponsibleOfficer {
        id,
        row_version,
        start,
        end,
        community_manager,
        prison_manager,
    }))
}

/// Ends `officer` at `end` if nobody changed it since it was read.
pub async fn end(
    conn: &mut AsyncPgConnection,
    officer: &ResponsibleOfficer,
    end: NaiveDateTime,
    user_id: i64,
    now: NaiveDateTime,
) -> anyhow::Result<()> {
    let updated = diesel::update(
        ro::table
            .filter(ro::responsible_officer_id.eq(officer.id))
            .filter(ro::row_version.eq(officer.row_version)),
    )
    .set((
        ro::end_date.eq(end),
        ro::row_version.eq(ro::row_version + 1),
        ro::last_updated_user_id.eq(user_id),
        ro::last_updated_datetime.eq(now),
    ))
    .execute(conn)
    .await
    .context("ending the previous responsible officer")?;
    if updated == 0 {
        return Err(StaleRow {
            table: "responsible_officer",
            id: officer.id,
            expected: officer.row_version,
        }
        .into());
    }
    Ok(())
}

/// The new RO: the new community manager, over the same period as that manager.
pub struct NewResponsibleOfficer {
    pub person_id: i64,
    pub offender_manager_id: i64,
    pub start: NaiveDateTime,
    pub end: Option<NaiveDateTime>,
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    new: &NewResponsibleOfficer,
    user_id: i64,
    now: NaiveDateTime,
) -> anyhow::Result<i64> {
    diesel::insert_into(ro::table)
        .values((
            ro::responsible_officer_id.eq(diesel::dsl::sql::<diesel::sql_types::BigInt>(
                "nextval('responsible_officer_id_seq')",
            )),
            ro::offender_id.eq(new.person_id),
            ro::offender_manager_id.eq(new.offender_manager_id),
            ro::start_date.eq(new.start),
            ro::end_date.eq(new.end),
            ro::row_version.eq(0i64),
            ro::created_by_user_id.eq(user_id),
            ro::last_updated_user_id.eq(user_id),
            ro::created_datetime.eq(now),
            ro::last_updated_datetime.eq(now),
        ))
        .returning(ro::responsible_officer_id)
        .get_result(conn)
        .await
        .context("inserting the new responsible officer")
}

/// One RO as the ROC notes print it (spec 4.2 step 8.5): the community manager block, the
/// prison manager block straight after it (no newline between, as Delius prints them), the
/// start, and the end when there is one.
pub fn details(officer: &ResponsibleOfficer) -> String {
    let block = |kind: &str, who: &Officer| {
        format!(
            "Responsible Officer Type: {kind}\nResponsible Officer: {}({},{})",
            who.name, who.team, who.provider
        )
    };
    let mut text = String::new();
    if let Some(who) = &officer.community_manager {
        text.push_str(&block("Offender Manager", who));
    }
    if let Some(who) = &officer.prison_manager {
        text.push_str(&block("Prison Offender Manager", who));
    }
    text.push_str(&format!(
        "\nStart Date: {}",
        format_delius_date_time(&officer.start)
    ));
    if let Some(end) = &officer.end {
        text.push_str(&format!("\nEnd Date: {}", format_delius_date_time(end)));
    }
    text
}

/// The ROC notes: new details, previous details ("null" when there was no RO), and the new
/// manager's allocation reason.
pub fn change_notes(
    new: &ResponsibleOfficer,
    previous: Option<&ResponsibleOfficer>,
    reason_description: &str,
) -> String {
    [
        "New Details:".to_owned(),
        details(new),
        "Previous Details:".to_owned(),
        previous.map_or_else(|| "null".to_owned(), details),
        format!("Allocation Reason: {reason_description}"),
    ]
    .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2022, 7, 28)
            .and_then(|d| d.and_hms_opt(h, 30, 54))
            .expect("date")
    }

    fn officer(name: &str) -> Officer {
        Officer {
            name: name.into(),
            team: "Team N02ABS".into(),
            provider: "Description of N02".into(),
        }
    }

    #[test]
    fn rule_7_roc_notes_show_new_and_previous_with_the_previous_end() {
        let new = ResponsibleOfficer {
            id: 2,
            row_version: 0,
            start: at(10),
            end: None,
            community_manager: Some(officer("Staff With User")),
            prison_manager: None,
        };
        let old = ResponsibleOfficer {
            id: 1,
            row_version: 1,
            start: at(8),
            end: Some(at(10)),
            community_manager: Some(officer("Old Manager")),
            prison_manager: None,
        };
        assert_eq!(
            change_notes(&new, Some(&old), "Initial Allocation"),
            "New Details:\n\
             Responsible Officer Type: Offender Manager\n\
             Responsible Officer: Staff With User(Team N02ABS,Description of N02)\n\
             Start Date: 28/07/2022 10:30:54\n\
             Previous Details:\n\
             Responsible Officer Type: Offender Manager\n\
             Responsible Officer: Old Manager(Team N02ABS,Description of N02)\n\
             Start Date: 28/07/2022 08:30:54\n\
             End Date: 28/07/2022 10:30:54\n\
             Allocation Reason: Initial Allocation"
        );
    }

    #[test]
    fn rule_7_no_previous_ro_prints_null_and_a_prison_manager_block_follows_directly() {
        let new = ResponsibleOfficer {
            id: 2,
            row_version: 0,
            start: at(10),
            end: Some(at(11)),
            community_manager: Some(officer("A B")),
            prison_manager: Some(officer("C D")),
        };
        assert_eq!(
            change_notes(&new, None, "Other"),
            "New Details:\n\
             Responsible Officer Type: Offender Manager\n\
             Responsible Officer: A B(Team N02ABS,Description of N02)\
             Responsible Officer Type: Prison Offender Manager\n\
             Responsible Officer: C D(Team N02ABS,Description of N02)\n\
             Start Date: 28/07/2022 10:30:54\n\
             End Date: 28/07/2022 11:30:54\n\
             Previous Details:\n\
             null\n\
             Allocation Reason: Other"
        );
    }
}
