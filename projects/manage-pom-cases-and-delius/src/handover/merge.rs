//! The per-date merge rule (spec 3.1 steps 6 and 7, rule 7), kept free of the database so every
//! branch is unit tested: what to write for one key date, and which result wins overall.

use chrono::NaiveDate;

/// The result of merging one key date. The declaration order is the spec's fixed order: the
/// overall result of a message is the greater of its two per-date results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MergeResult {
    NoKeyDateChange,
    KeyDateUpdated,
    KeyDateCreated,
    DryRunNoKeyDateChange,
    DryRunKeyDateUpdated,
    DryRunKeyDateCreated,
}

impl MergeResult {
    /// The telemetry event name.
    pub fn name(self) -> &'static str {
        match self {
            Self::NoKeyDateChange => "NoKeyDateChange",
            Self::KeyDateUpdated => "KeyDateUpdated",
            Self::KeyDateCreated => "KeyDateCreated",
            Self::DryRunNoKeyDateChange => "DryRunNoKeyDateChange",
            Self::DryRunKeyDateUpdated => "DryRunKeyDateUpdated",
            Self::DryRunKeyDateCreated => "DryRunKeyDateCreated",
        }
    }
}

/// A live KEY_DATE row as read before the merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExistingKeyDate {
    pub id: i64,
    pub date: NaiveDate,
    pub row_version: i64,
}

/// What the merge of one date writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Write {
    Nothing,
    Insert {
        date: NaiveDate,
    },
    /// Only planned when the date really changes, so an equal date leaves ROW_VERSION alone.
    Update {
        id: i64,
        row_version: i64,
        date: NaiveDate,
    },
}

/// Plans the merge of one incoming date into the existing row of its type.
///
/// A missing incoming date never deletes. An existing row counts as updated even when the date is
/// the same (as the reference implementation reports it), but nothing is written then.
pub fn plan(
    existing: Option<&ExistingKeyDate>,
    incoming: Option<NaiveDate>,
    dry_run: bool,
) -> (MergeResult, Write) {
    let Some(date) = incoming else {
        let result = if dry_run {
            MergeResult::DryRunNoKeyDateChange
        } else {
            MergeResult::NoKeyDateChange
        };
        return (result, Write::Nothing);
    };
    match (existing, dry_run) {
        (None, true) => (MergeResult::DryRunKeyDateCreated, Write::Nothing),
        (Some(_), true) => (MergeResult::DryRunKeyDateUpdated, Write::Nothing),
        (None, false) => (MergeResult::KeyDateCreated, Write::Insert { date }),
        (Some(row), false) if row.date == date => (MergeResult::KeyDateUpdated, Write::Nothing),
        (Some(row), false) => (
            MergeResult::KeyDateUpdated,
            Write::Update {
                id: row.id,
                row_version: row.row_version,
                date,
            },
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(d: &str) -> NaiveDate {
        NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()
    }

    fn row(d: &str) -> ExistingKeyDate {
        ExistingKeyDate {
            id: 7,
            date: date(d),
            row_version: 3,
        }
    }

    #[test]
    fn rule_7_results_are_ordered_by_declaration() {
        use MergeResult::*;
        let ordered = [
            NoKeyDateChange,
            KeyDateUpdated,
            KeyDateCreated,
            DryRunNoKeyDateChange,
            DryRunKeyDateUpdated,
            DryRunKeyDateCreated,
        ];
        assert!(ordered.windows(2).all(|pair| pair[0] < pair[1]));
        assert_eq!(KeyDateCreated.max(KeyDateUpdated), KeyDateCreated);
        assert_eq!(NoKeyDateChange.max(NoKeyDateChange), NoKeyDateChange);
        // The dry-run quirk: a real POM1 create never outranks a dry-run POM2 result.
        assert_eq!(
            DryRunNoKeyDateChange.max(KeyDateCreated),
            DryRunNoKeyDateChange
        );
        let names: Vec<&str> = ordered.iter().map(|r| r.name()).collect();
        assert_eq!(
            names,
            [
                "NoKeyDateChange",
                "KeyDateUpdated",
                "KeyDateCreated",
                "DryRunNoKeyDateChange",
                "DryRunKeyDateUpdated",
                "DryRunKeyDateCreated"
            ]
        );
    }

    #[test]
    fn rule_7_a_missing_date_never_deletes() {
        assert_eq!(
            plan(Some(&row("2023-01-01")), None, false),
            (MergeResult::NoKeyDateChange, Write::Nothing)
        );
        assert_eq!(
            plan(Some(&row("2023-01-01")), None, true),
            (MergeResult::DryRunNoKeyDateChange, Write::Nothing)
        );
        assert_eq!(
            plan(None, None, false),
            (MergeResult::NoKeyDateChange, Write::Nothing)
        );
    }

    #[test]
    fn spec_3_1_new_dates_are_inserted_or_updated_for_real() {
        assert_eq!(
            plan(None, Some(date("2023-05-09")), false),
            (
                MergeResult::KeyDateCreated,
                Write::Insert {
                    date: date("2023-05-09")
                }
            )
        );
        assert_eq!(
            plan(Some(&row("2023-01-01")), Some(date("2023-05-09")), false),
            (
                MergeResult::KeyDateUpdated,
                Write::Update {
                    id: 7,
                    row_version: 3,
                    date: date("2023-05-09")
                }
            )
        );
    }

    #[test]
    fn rule_7_an_equal_date_is_reported_updated_but_not_written() {
        assert_eq!(
            plan(Some(&row("2023-05-09")), Some(date("2023-05-09")), false),
            (MergeResult::KeyDateUpdated, Write::Nothing)
        );
    }

    #[test]
    fn spec_3_1_dry_run_writes_nothing() {
        assert_eq!(
            plan(None, Some(date("2023-05-09")), true),
            (MergeResult::DryRunKeyDateCreated, Write::Nothing)
        );
        assert_eq!(
            plan(Some(&row("2023-01-01")), Some(date("2023-05-09")), true),
            (MergeResult::DryRunKeyDateUpdated, Write::Nothing)
        );
    }
}
