//! The custody of an active custodial event as the actions share it in memory (spec 5.1 c), the
//! custodial status sets, the recall-reason table and the date rules.

use chrono::{NaiveDate, NaiveDateTime};

use crate::movement::{Direction, MovementType, PrisonerMovement};

/// `THROUGHCARE STATUS` codes.
pub mod status {
    pub const SENTENCED_IN_CUSTODY: &str = "A";
    pub const RELEASED_ON_LICENCE: &str = "B";
    pub const RECALLED: &str = "C";
    pub const IN_CUSTODY: &str = "D";
    pub const IN_CUSTODY_IRC: &str = "I";
    pub const POST_SENTENCE_SUPERVISION: &str = "P";
    pub const CUSTODY_ROTL: &str = "R";
    pub const TERMINATED: &str = "T";
    pub const AUTO_TERMINATED: &str = "AT";
    /// Every status the service knows; anything else is a data error (retried).
    pub const KNOWN: [&str; 9] = ["A", "B", "C", "D", "I", "P", "R", "T", "AT"];
    /// An inbound movement does not change these (newest reference: {D, I}).
    pub const NO_CHANGE: [&str; 2] = [IN_CUSTODY, IN_CUSTODY_IRC];
    pub const CAN_RECALL: [&str; 2] = [RELEASED_ON_LICENCE, CUSTODY_ROTL];
    /// (unconfirmed) A, C, D from the tests; I and R added: both are still in custody.
    pub const CAN_RELEASE: [&str; 5] = [
        SENTENCED_IN_CUSTODY,
        RECALLED,
        IN_CUSTODY,
        IN_CUSTODY_IRC,
        CUSTODY_ROTL,
    ];
}

/// Disposal type code of a committal for PSS breach (`COMMITTAL_PSSR_BREACH`, unconfirmed: `326`).
pub const COMMITTAL_PSSR_BREACH: &str = "326";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Institution {
    pub id: i64,
    pub establishment: String,
    pub code: String,
    pub description: String,
    pub nomis_cde_code: Option<String>,
    pub irc: bool,
    pub secure_hospital: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub id: i64,
    pub code: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LatestRelease {
    pub id: i64,
    pub date: NaiveDate,
    pub recall_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Custody {
    pub id: i64,
    pub row_version: i64,
    pub offender_id: i64,
    pub crn: String,
    pub event_id: i64,
    pub event_number: Option<String>,
    pub event_row_version: i64,
    pub first_release_date: Option<NaiveDate>,
    pub disposal_id: i64,
    pub disposal_date: Option<NaiveDate>,
    pub disposal_type_code: String,
    pub status: Status,
    pub institution: Option<Institution>,
    pub status_change_date: Option<NaiveDate>,
    pub location_change_date: Option<NaiveDate>,
    pub latest_release: Option<LatestRelease>,
    /// Whether the custody could be recalled when the message began: a recall written earlier
    /// in the same message does not count (spec 5.4).
    pub could_recall_at_start: bool,
}

impl Custody {
    pub fn status_is(&self, codes: &[&str]) -> bool {
        codes.contains(&self.status.code.as_str())
    }

    pub fn can_be_recalled(&self) -> bool {
        matches!(&self.latest_release, Some(r) if r.recall_date.is_none())
            && self.status_is(&status::CAN_RECALL)
    }

    pub fn can_be_released(&self) -> bool {
        self.status_is(&status::CAN_RELEASE) && self.disposal_type_code != COMMITTAL_PSSR_BREACH
    }

    /// Spec 5.2.1: a release before the sentence date, or before the recall of the most recent
    /// release, is invalid.
    pub fn release_date_is_valid(&self, occurred_at: NaiveDateTime) -> bool {
        let before_sentence = self
            .disposal_date
            .is_some_and(|d| occurred_at < midnight(d));
        let before_recall = self
            .latest_release
            .as_ref()
            .and_then(|r| r.recall_date)
            .is_some_and(|d| occurred_at < midnight(d));
        !before_sentence && !before_recall
    }

    /// Spec 5.3.2: a recall in the future or before the most recent release is invalid.
    pub fn recall_date_is_valid(&self, occurred_at: NaiveDateTime, now: NaiveDateTime) -> bool {
        occurred_at <= now && self.not_before_latest_release(occurred_at)
    }

    /// Spec 5.4 (unconfirmed): a receipt before the sentence date or the most recent release.
    pub fn received_date_is_valid(&self, occurred_at: NaiveDateTime) -> bool {
        self.disposal_date
            .is_none_or(|d| occurred_at >= midnight(d))
            && self.not_before_latest_release(occurred_at)
    }

    fn not_before_latest_release(&self, occurred_at: NaiveDateTime) -> bool {
        self.latest_release
            .as_ref()
            .is_none_or(|r| occurred_at >= midnight(r.date))
    }
}

pub fn midnight(d: NaiveDate) -> NaiveDateTime {
    d.and_time(chrono::NaiveTime::MIN)
}

/// Recall reason code (spec 5.3.3); `None` -> `RecallNotSupported`. Absconded is checked first,
/// then hospital, then IRC.
pub fn recall_reason(movement: &PrisonerMovement, status_code: &str) -> Option<&'static str> {
    let rotl = status_code == status::CUSTODY_ROTL;
    match (movement.direction, movement.movement_type) {
        (_, MovementType::Admission) => Some("NN"),
        (_, MovementType::TemporaryAbsenceReturn) => Some("EOTL"),
        (_, MovementType::Transferred) if movement.reason == "INT" => {
            Some(if rotl { "EOTL" } else { "NN" })
        }
        (Direction::Released, MovementType::Released | MovementType::ReleasedToHospital) => {
            if movement.is_absconded() {
                Some(if rotl { "EOTL" } else { "NN" })
            } else if movement.is_hospital_release() {
                Some("TSH")
            } else if movement.is_irc_release() {
                Some("IRC")
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Shared with the other modules' unit tests (a custody and a movement to check rules on).
#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }
    pub(crate) fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    pub(crate) fn custody(code: &str) -> Custody {
        Custody {
            id: 1,
            row_version: 0,
            offender_id: 1,
            crn: "X1".into(),
            event_id: 1,
            event_number: Some("1".into()),
            event_row_version: 0,
            first_release_date: None,
            disposal_id: 1,
            disposal_date: Some(day("2020-01-01")),
            disposal_type_code: "SC".into(),
            status: Status {
                id: 1,
                code: code.into(),
                description: code.into(),
            },
            institution: None,
            status_change_date: None,
            location_change_date: None,
            latest_release: None,
            could_recall_at_start: false,
        }
    }

    pub(crate) fn movement(
        direction: Direction,
        t: MovementType,
        reason: &str,
    ) -> PrisonerMovement {
        PrisonerMovement {
            noms_number: "A".into(),
            direction,
            movement_type: t,
            reason: reason.into(),
            reason_override: None,
            from_prison_id: None,
            to_prison_id: None,
            occurred_at: at("2023-01-01 10:00:00"),
        }
    }

    #[test]
    fn recall_reason_table() {
        use Direction::*;
        use MovementType as T;
        let cases = [
            (Received, T::Admission, "R1", "B", Some("NN")),
            (Received, T::TemporaryAbsenceReturn, "24", "D", Some("EOTL")),
            (Received, T::Transferred, "INT", "R", Some("EOTL")),
            (Received, T::Transferred, "INT", "B", Some("NN")),
            (Released, T::Released, "UAL", "R", Some("EOTL")),
            (Released, T::Released, "UAL_ECL", "B", Some("NN")),
            (Released, T::Released, "HO", "B", Some("TSH")),
            (Released, T::ReleasedToHospital, "X", "B", Some("TSH")),
            (Released, T::Released, "DE", "B", Some("IRC")),
            (Released, T::Released, "ECSLIRC", "B", Some("IRC")),
            (Released, T::Released, "NCS", "B", None),
            (Received, T::ReturnFromCourt, "CRT", "B", None),
        ];
        for (d, t, reason, status, expected) in cases {
            assert_eq!(
                recall_reason(&movement(d, t, reason), status),
                expected,
                "{t:?} {reason} {status}"
            );
        }
    }

    #[test]
    fn can_be_recalled_needs_an_unrecalled_release_and_a_licence_status() {
        let mut c = custody("B");
        assert!(!c.can_be_recalled(), "no release");
        c.latest_release = Some(LatestRelease {
            id: 1,
            date: day("2022-01-01"),
            recall_date: None,
        });
        assert!(c.can_be_recalled());
        c.status.code = "D".into();
        assert!(!c.can_be_recalled());
        c.status.code = "R".into();
        assert!(c.can_be_recalled());
        c.latest_release.as_mut().unwrap().recall_date = Some(day("2022-02-01"));
        assert!(!c.can_be_recalled(), "already recalled");
    }

    #[test]
    fn can_be_released_excludes_licence_statuses_and_pssr_breach_committals() {
        for code in ["A", "C", "D", "I", "R"] {
            assert!(custody(code).can_be_released(), "{code}");
        }
        for code in ["B", "P", "T", "AT"] {
            assert!(!custody(code).can_be_released(), "{code}");
        }
        let mut c = custody("D");
        c.disposal_type_code = COMMITTAL_PSSR_BREACH.into();
        assert!(!c.can_be_released());
    }

    #[test]
    fn release_before_sentence_or_before_the_last_recall_is_invalid() {
        let mut c = custody("D");
        assert!(!c.release_date_is_valid(at("2019-12-31 23:59:59")));
        assert!(c.release_date_is_valid(at("2020-01-01 00:00:00")));
        c.latest_release = Some(LatestRelease {
            id: 1,
            date: day("2021-01-01"),
            recall_date: Some(day("2021-06-01")),
        });
        assert!(!c.release_date_is_valid(at("2021-05-31 10:00:00")));
        assert!(c.release_date_is_valid(at("2021-06-01 10:00:00")));
    }

    #[test]
    fn recall_in_the_future_or_before_the_release_is_invalid() {
        let mut c = custody("B");
        c.latest_release = Some(LatestRelease {
            id: 1,
            date: day("2022-06-01"),
            recall_date: None,
        });
        let now = at("2023-01-01 12:00:00");
        assert!(c.recall_date_is_valid(at("2022-06-01 00:00:00"), now));
        assert!(!c.recall_date_is_valid(at("2022-05-31 23:00:00"), now));
        assert!(!c.recall_date_is_valid(at("2023-01-01 12:00:01"), now));
    }
}
