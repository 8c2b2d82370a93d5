//! NOMS numbers of people with exactly one live custody on an active event and disposal: the one
//! lookup behind SENTENCE_CHANGED (spec 3.5) and the bulk re-sync candidates (spec 3.4). Rule 9:
//! SENTENCE_CHANGED counts every live custody; the bulk re-sync counts only custodies in prison.

use diesel::sql_types::Text;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

/// Whose custodies are counted, and which of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    /// SENTENCE_CHANGED: the person with this CRN; every live custody counts.
    Crn(&'a str),
    /// The bulk re-sync: everyone; only custodies with a prisoner number and a custodial status
    /// other than `P` (post-sentence supervision) count.
    BulkCandidates,
}

#[derive(diesel::QueryableByName)]
struct NomsRow {
    #[diesel(sql_type = Text)]
    noms_number: String,
}

/// The NOMS numbers in `scope` whose counted custodies number exactly one, in order.
pub async fn noms_with_single_custody(
    conn: &mut AsyncPgConnection,
    scope: Scope<'_>,
) -> diesel::QueryResult<Vec<String>> {
    let sql = query_text(scope);
    let rows: Vec<NomsRow> = match scope {
        Scope::Crn(crn) => {
            diesel::sql_query(sql)
                .bind::<Text, _>(crn)
                .load(conn)
                .await?
        }
        Scope::BulkCandidates => diesel::sql_query(sql).load(conn).await?,
    };
    Ok(rows.into_iter().map(|row| row.noms_number).collect())
}

/// The query for `scope`; a CRN is bound as `$1`.
fn query_text(scope: Scope<'_>) -> String {
    let (status_join, filter) = match scope {
        Scope::Crn(_) => ("", "AND o.crn = $1"),
        Scope::BulkCandidates => (
            "JOIN r_standard_reference_list status \
                  ON status.standard_reference_list_id = c.custodial_status_id ",
            "AND c.prisoner_number IS NOT NULL AND status.code_value <> 'P'",
        ),
    };
    format!(
        "SELECT o.noms_number \
         FROM offender o \
         JOIN event e ON e.offender_id = o.offender_id AND e.active_flag = 1 AND e.soft_deleted = 0 \
         JOIN disposal d ON d.event_id = e.event_id AND d.active_flag = 1 AND d.soft_deleted = 0 \
         JOIN custody c ON c.disposal_id = d.disposal_id AND c.soft_deleted = 0 \
         {status_join}\
         WHERE o.soft_deleted = 0 AND o.noms_number IS NOT NULL {filter} \
         GROUP BY o.noms_number \
         HAVING COUNT(*) = 1 \
         ORDER BY o.noms_number"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_9_only_the_bulk_query_filters_on_prisoner_number_and_status() {
        let sentence_changed = query_text(Scope::Crn("X"));
        assert!(sentence_changed.contains("o.crn = $1"));
        assert!(!sentence_changed.contains("prisoner_number"));
        assert!(!sentence_changed.contains("status"));
        let bulk = query_text(Scope::BulkCandidates);
        assert!(!bulk.contains("$1"));
        assert!(bulk.contains("c.prisoner_number IS NOT NULL AND status.code_value <> 'P'"));
        assert!(bulk.contains("HAVING COUNT(*) = 1"));
    }
}
