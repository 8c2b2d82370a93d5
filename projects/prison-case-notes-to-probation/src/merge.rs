//! Merging a case note or alert state into the Delius contact log (the reference's
//! `DeliusService.mergeCaseNote`): create the contact, update it, or move it from the wrong
//! person, in one transaction per record, with an audit row for every save.

use std::fmt;
use std::sync::Arc;

use anyhow::Context;
use audit_iaps::{AuditOutcome, AuditParameters, Auditor};
use chrono::{Duration, NaiveDateTime, SubsecRound};
use delius_data::schema::{
    contact, disposal, event, nsi, offender, r_disposal_type, r_nomis_type_nsi_type,
};
use delius_data::time::{from_london, now_london};
use delius_data::{DbPool, StaleRow, ZeroOne};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel_async::scoped_futures::ScopedFutureExt;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use messaging::Properties;

use crate::data_cleanse::record_data_cleanse;
use crate::description::description;
use crate::entities::{ContactImage, ContactUpdate, ExistingContact, NewContact};
use crate::model::{CaseNoteHeader, CaseNoteKind, DeliusCaseNote};
use crate::notes::{notes, padded_to};
use crate::reference::ReferenceData;
use crate::staff::{self, Assignment, Establishment};

/// `BUSINESS_INTERACTION` CASE_NOTES_MERGE.
pub const CASE_NOTES_MERGE: &str = "APIBI001";

/// What a merge did to Delius.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergeAction {
    Created,
    Updated,
    /// The contact was on another person (a NOMS number once linked to the wrong record).
    Moved {
        from_crn: String,
        to_crn: String,
    },
}

impl fmt::Display for MergeAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Created => "Created",
            Self::Updated => "Updated",
            Self::Moved { .. } => "Moved",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    pub crn: String,
    pub noms_number: String,
    pub action: MergeAction,
    pub contact_id: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergeResult {
    Saved(Merged),
    /// Delius already has this version or a newer one (a duplicate or late message): nothing
    /// was written.
    Unchanged,
}

impl MergeResult {
    /// The merge-result telemetry properties: crn, nomsNumber, action, and for a move
    /// fromCrn/toCrn. An unchanged merge has none.
    pub fn properties(&self) -> Properties {
        let mut p = Properties::new();
        if let Self::Saved(m) = self {
            p.insert("crn".into(), m.crn.clone());
            p.insert("nomsNumber".into(), m.noms_number.clone());
            p.insert("action".into(), m.action.to_string());
            if let MergeAction::Moved { from_crn, to_crn } = &m.action {
                p.insert("fromCrn".into(), from_crn.clone());
                p.insert("toCrn".into(), to_crn.clone());
            }
        }
        p
    }
}

/// Nobody in Delius has the NOMS number: not retried (the person may never be linked).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Person not found for NOMS number {noms_number}")]
pub struct PersonNotFound {
    pub noms_number: String,
}

pub fn is_person_not_found(error: &anyhow::Error) -> bool {
    error.chain().any(|e| e.is::<PersonNotFound>())
}

/// More than one live person has the NOMS number: a Delius data problem someone must fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{count} people in Delius share the NOMS number {noms_number}")]
pub struct DuplicateNomsNumber {
    pub noms_number: String,
    pub count: usize,
}

/// Whether a move's data-cleanse contact is written with the move (one record at a time) or
/// later, once per person (the migration moves many records from the same person).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataCleanse {
    WithMove,
    Deferred,
}

/// Merges records into Delius. Cheap to clone.
#[derive(Clone)]
pub struct Merger {
    pool: DbPool,
    auditor: Auditor,
    reference: Arc<ReferenceData>,
}

/// What one transaction found it had to do.
enum Step {
    Done(MergeResult),
    /// The author is not a staff member of the prison's provider yet: create them in their own
    /// transaction, then merge again.
    CreateStaff(Establishment),
}

impl Merger {
    pub fn new(pool: DbPool, auditor: Auditor) -> Self {
        Self {
            pool,
            auditor,
            reference: Arc::new(ReferenceData::default()),
        }
    }

    /// Merges one record. Every save is audited (`P`); a failure is audited (`F`) after the
    /// rollback; an unchanged record and an unknown person write nothing at all.
    pub async fn merge(
        &self,
        case_note: &DeliusCaseNote,
        data_cleanse: DataCleanse,
    ) -> anyhow::Result<MergeResult> {
        let result = self.merge_unaudited(case_note, data_cleanse).await;
        let mut params = AuditParameters::new();
        match case_note.header.uuid {
            Some(uuid) => params.set("dpsId", uuid),
            None => params.set("nomisId", case_note.header.reference()),
        }
        let outcome = match &result {
            Ok(MergeResult::Saved(merged)) => {
                params.set("contactId", merged.contact_id);
                Some(AuditOutcome::Success)
            }
            Ok(MergeResult::Unchanged) => None,
            Err(error) if is_person_not_found(error) => None,
            Err(_) => Some(AuditOutcome::Failure),
        };
        if let Some(outcome) = outcome {
            // The business connection is back in the pool by now (see `Auditor`); a failed audit
            // write is logged and does not undo a committed merge.
            if let Err(error) = self
                .auditor
                .record(CASE_NOTES_MERGE, outcome, &params)
                .await
            {
                tracing::error!(%error, %outcome, parameters = %params.encode(), "could not write the audited_interaction row");
            }
        }
        result
    }

    async fn merge_unaudited(
        &self,
        case_note: &DeliusCaseNote,
        data_cleanse: DataCleanse,
    ) -> anyhow::Result<MergeResult> {
        let user_id = self.auditor.user().id;
        let ctx = MergeContext {
            user_id,
            data_cleanse,
            reference: &self.reference,
        };
        let mut conn = self.pool.get().await?;
        let mut staff_created = false;
        loop {
            let step = conn
                .transaction::<Step, anyhow::Error, _>(|tx| {
                    async move { merge_in_transaction(tx, case_note, ctx).await }.scope_boxed()
                })
                .await?;
            match step {
                Step::Done(result) => return Ok(result),
                Step::CreateStaff(establishment) if !staff_created => {
                    staff::create_staff(
                        &mut conn,
                        &establishment,
                        &case_note.body.staff_name,
                        user_id,
                    )
                    .await
                    .context("creating the author as prison staff")?;
                    staff_created = true;
                }
                Step::CreateStaff(_) => anyhow::bail!(
                    "staff {:?} was created but then not found in their provider",
                    case_note.body.staff_name
                ),
            }
        }
    }

    /// The data-cleanse contact for a person contacts were moved from, in its own transaction
    /// (the migration writes one per person after all its moves).
    pub async fn data_cleanse(&self, crn: &str) -> anyhow::Result<Option<i64>> {
        let user_id = self.auditor.user().id;
        let mut conn = self.pool.get().await?;
        conn.transaction::<_, anyhow::Error, _>(|tx| {
            async move { record_data_cleanse(tx, crn, user_id).await }.scope_boxed()
        })
        .await
    }
}

/// A live person with the NOMS number, from the rows locked at the start of the transaction.
fn the_person(people: &[(i64, String)], noms_number: &str) -> anyhow::Result<(i64, String)> {
    match people {
        [] => Err(PersonNotFound {
            noms_number: noms_number.to_owned(),
        }
        .into()),
        [one] => Ok(one.clone()),
        many => Err(DuplicateNomsNumber {
            noms_number: noms_number.to_owned(),
            count: many.len(),
        }
        .into()),
    }
}

/// What every step of one merge needs besides the record.
#[derive(Clone, Copy)]
struct MergeContext<'a> {
    user_id: i64,
    data_cleanse: DataCleanse,
    reference: &'a ReferenceData,
}

async fn merge_in_transaction(
    tx: &mut AsyncPgConnection,
    case_note: &DeliusCaseNote,
    ctx: MergeContext<'_>,
) -> anyhow::Result<Step> {
    let MergeContext {
        user_id,
        data_cleanse,
        ..
    } = ctx;
    let header = &case_note.header;
    // Every message about one record carries the same NOMS number, so locking the person's rows
    // first serialises them across consumers and replicas: no duplicate creates, no lost updates.
    // NO KEY UPDATE, not UPDATE: it still excludes other merges, but not the key-share locks that
    // inserting rows referencing the person takes, so other writers (and moves) do not block.
    let people: Vec<(i64, String)> = offender::table
        .filter(offender::noms_number.eq(&header.noms_number))
        .filter(offender::soft_deleted.eq(0))
        .order(offender::offender_id)
        .select((offender::offender_id, offender::crn))
        .for_no_key_update()
        .load(tx)
        .await?;

    let Some((existing, owner_crn, owner_noms)) = find_existing(tx, header).await? else {
        let person = the_person(&people, &header.noms_number)?;
        return create(tx, case_note, person, ctx).await;
    };
    let same_person = owner_noms
        .as_deref()
        .is_some_and(|n| n.trim().eq_ignore_ascii_case(&header.noms_number));
    if same_person {
        return update(tx, case_note, existing, owner_crn, user_id).await;
    }
    let person = the_person(&people, &header.noms_number)?;
    let step = move_contact(tx, case_note, existing, &owner_crn, person, ctx).await?;
    if let (Step::Done(MergeResult::Saved(merged)), DataCleanse::WithMove) = (&step, data_cleanse) {
        if let MergeAction::Moved { from_crn, .. } = &merged.action {
            record_data_cleanse(tx, from_crn, user_id).await?;
        }
    }
    Ok(step)
}

/// The contact already holding this record: by URN, then (case notes only) by NOMIS id, for
/// contacts written before URNs. Soft-deleted contacts are found too, so a record a Delius user
/// deleted is not brought back.
async fn find_existing(
    tx: &mut AsyncPgConnection,
    header: &CaseNoteHeader,
) -> anyhow::Result<Option<(ExistingContact, String, Option<String>)>> {
    let select = (
        ExistingContact::as_select(),
        offender::crn,
        offender::noms_number,
    );
    let legacy_id = match header.kind {
        CaseNoteKind::CaseNote => header.legacy_id,
        CaseNoteKind::ActiveAlert | CaseNoteKind::InactiveAlert => None,
    };
    let urn = header.urn();
    let candidates = match (&urn, legacy_id) {
        // Both keys in one round trip (a create always misses the URN); the URN match wins.
        (Some(urn), Some(legacy_id)) => {
            contact::table
                .inner_join(offender::table)
                .filter(
                    contact::external_reference
                        .eq(urn)
                        .or(contact::nomis_case_note_id.eq(legacy_id)),
                )
                .order(contact::contact_id)
                .select(select)
                .load(tx)
                .await?
        }
        (Some(urn), None) => {
            contact::table
                .inner_join(offender::table)
                .filter(contact::external_reference.eq(urn))
                .order(contact::contact_id)
                .select(select)
                .limit(1)
                .load(tx)
                .await?
        }
        (None, Some(legacy_id)) => {
            contact::table
                .inner_join(offender::table)
                .filter(contact::nomis_case_note_id.eq(legacy_id))
                .order(contact::contact_id)
                .select(select)
                .limit(1)
                .load(tx)
                .await?
        }
        (None, None) => Vec::new(),
    };
    let by_urn = candidates
        .iter()
        .position(|(c, _, _)| urn.is_some() && c.external_reference == urn);
    Ok(match by_urn {
        Some(i) => candidates.into_iter().nth(i),
        None => candidates.into_iter().next(),
    })
}

async fn create(
    tx: &mut AsyncPgConnection,
    case_note: &DeliusCaseNote,
    (offender_id, crn): (i64, String),
    ctx: MergeContext<'_>,
) -> anyhow::Result<Step> {
    let image = match contact_image(tx, case_note, offender_id, ctx).await? {
        Ok(image) => image,
        Err(establishment) => return Ok(Step::CreateStaff(establishment)),
    };
    // The id comes from CONTACT_ID_SEQ inside the insert: one round trip fewer than asking first.
    let contact_id: i64 = diesel::insert_into(contact::table)
        .values((
            contact::contact_id.eq(sql::<BigInt>("nextval('contact_id_seq')")),
            NewContact {
                row_version: 0,
                image,
                partition_area_id: 0,
                trust_provider_flag: ZeroOne::ZERO,
                soft_deleted: ZeroOne::ZERO,
            },
        ))
        .returning(contact::contact_id)
        .get_result(tx)
        .await?;
    Ok(Step::Done(MergeResult::Saved(Merged {
        crn,
        noms_number: case_note.header.noms_number.clone(),
        action: MergeAction::Created,
        contact_id,
    })))
}

/// The order of `LAST_UPDATED_DATETIME` values, compared as instants to whole seconds.
fn is_before(existing: Option<NaiveDateTime>, incoming: NaiveDateTime) -> bool {
    match existing {
        None => true,
        Some(existing) => {
            from_london(existing.trunc_subsecs(0)) < from_london(incoming.trunc_subsecs(0))
        }
    }
}

async fn update(
    tx: &mut AsyncPgConnection,
    case_note: &DeliusCaseNote,
    existing: ExistingContact,
    crn: String,
    user_id: i64,
) -> anyhow::Result<Step> {
    let body = &case_note.body;
    let urn = case_note.header.urn();
    let changes = if is_before(existing.last_updated_datetime, body.system_time) {
        Some(ContactUpdate {
            notes: Some(padded_to(notes(body), existing.notes.as_deref())),
            contact_date: body.contact_time.date(),
            contact_start_time: Some(body.contact_time.time()),
            last_updated_datetime: Some(body.system_time),
            // A contact found by its NOMIS id keeps its URN from now on.
            external_reference: urn.clone().or(existing.external_reference.clone()),
            last_updated_user_id: Some(user_id),
        })
    } else {
        None
    };
    let saved = if let Some(changes) = changes {
        update_versioned(tx, &existing, changes).await?;
        true
    } else if existing.external_reference.is_none()
        && urn.is_some()
        && wants_external_reference(case_note)
    {
        // Not newer, but a legacy contact learns its URN so later messages find it directly.
        update_versioned(tx, &existing, contact::external_reference.eq(urn)).await?;
        true
    } else {
        tracing::info!(
            contact_id = existing.contact_id,
            "Case Note update ignored because it was out of sequence"
        );
        false
    };
    Ok(Step::Done(if saved {
        MergeResult::Saved(Merged {
            crn,
            noms_number: case_note.header.noms_number.clone(),
            action: MergeAction::Updated,
            contact_id: existing.contact_id,
        })
    } else {
        MergeResult::Unchanged
    }))
}

/// Back-filling a URN is worth it for records practitioners still look at: case notes and
/// inactive alerts of the last year, and every active alert.
fn wants_external_reference(case_note: &DeliusCaseNote) -> bool {
    match case_note.header.kind {
        CaseNoteKind::ActiveAlert => true,
        CaseNoteKind::CaseNote | CaseNoteKind::InactiveAlert => {
            case_note.body.contact_time > now_london() - Duration::days(365)
        }
    }
}

async fn move_contact(
    tx: &mut AsyncPgConnection,
    case_note: &DeliusCaseNote,
    existing: ExistingContact,
    from_crn: &str,
    (offender_id, to_crn): (i64, String),
    ctx: MergeContext<'_>,
) -> anyhow::Result<Step> {
    let mut image = match contact_image(tx, case_note, offender_id, ctx).await? {
        Ok(image) => image,
        Err(establishment) => return Ok(Step::CreateStaff(establishment)),
    };
    // The row is rebuilt for the right person as if new (spec §4.10 step 3: the whole row image
    // of a create, so also live, `SOFT_DELETED = 0`, with the create's fixed flags), but keeps
    // its id, its row version (bumped) and a NOMIS id it already had so it can still be found
    // by it.
    if image.nomis_case_note_id.is_none() {
        image.nomis_case_note_id = existing.nomis_case_note_id;
    }
    let rebuilt = (
        image,
        contact::partition_area_id.eq(0),
        contact::trust_provider_flag.eq(ZeroOne::ZERO),
        contact::soft_deleted.eq(ZeroOne::ZERO),
    );
    update_versioned(tx, &existing, rebuilt).await?;
    Ok(Step::Done(MergeResult::Saved(Merged {
        crn: to_crn.clone(),
        noms_number: case_note.header.noms_number.clone(),
        action: MergeAction::Moved {
            from_crn: from_crn.to_owned(),
            to_crn,
        },
        contact_id: existing.contact_id,
    })))
}

/// Applies `changes` if nobody changed the row since it was read, bumping `row_version`.
async fn update_versioned<C>(
    tx: &mut AsyncPgConnection,
    existing: &ExistingContact,
    changes: C,
) -> anyhow::Result<()>
where
    C: AsChangeset<Target = contact::table>,
    C::Changeset: diesel::query_builder::QueryFragment<diesel::pg::Pg> + Send,
{
    let updated = diesel::update(
        contact::table
            .filter(contact::contact_id.eq(existing.contact_id))
            .filter(contact::row_version.eq(existing.row_version)),
    )
    .set((changes, contact::row_version.eq(contact::row_version + 1)))
    .execute(tx)
    .await?;
    if updated == 0 {
        return Err(StaleRow {
            table: "contact",
            id: existing.contact_id,
            expected: existing.row_version,
        }
        .into());
    }
    Ok(())
}

/// Everything a new (or moved) contact holds, in the reference's order: related event/NSI,
/// contact type, description, assignment. `Err(establishment)` when the author must first be
/// created as staff.
async fn contact_image(
    tx: &mut AsyncPgConnection,
    case_note: &DeliusCaseNote,
    offender_id: i64,
    ctx: MergeContext<'_>,
) -> anyhow::Result<Result<ContactImage, Establishment>> {
    let user_id = ctx.user_id;
    let body = &case_note.body;
    let (event_id, nsi_id) = if case_note.is_alert_type() {
        (None, None)
    } else {
        related_ids(tx, offender_id, &case_note.type_key()).await?
    };
    let contact_type = ctx
        .reference
        .contact_type(tx, &case_note.type_key())
        .await?;
    let description = description(case_note, &contact_type.code);
    let establishment = ctx
        .reference
        .establishment(tx, &body.establishment_code)
        .await?;
    let Some(staff_id) = staff::find_staff(tx, establishment.provider_id, &body.staff_name).await?
    else {
        return Ok(Err(establishment));
    };
    let assignment = Assignment {
        provider_id: establishment.provider_id,
        team_id: establishment.team_id,
        staff_id,
    };
    Ok(Ok(ContactImage {
        offender_id,
        event_id,
        nsi_id,
        contact_type_id: contact_type.id,
        contact_date: body.contact_time.date(),
        contact_start_time: Some(body.contact_time.time()),
        staff_id: Some(assignment.staff_id),
        staff_employee_id: Some(assignment.staff_id),
        team_id: Some(assignment.team_id),
        probation_area_id: Some(assignment.provider_id),
        description,
        notes: Some(notes(body)),
        sensitive: Some(contact_type.sensitive),
        external_reference: case_note.header.urn(),
        // Only a record without a UUID is keyed by its NOMIS id (legacy input); otherwise the
        // URN is the key and the column stays empty, as in the reference.
        nomis_case_note_id: if case_note.header.uuid.is_none() {
            case_note.header.legacy_id
        } else {
            None
        },
        trust_provider_team_id: Some(assignment.team_id),
        created_by_user_id: Some(user_id),
        last_updated_user_id: Some(user_id),
        created_datetime: Some(body.system_time),
        last_updated_datetime: Some(body.system_time),
    }))
}

/// `(EVENT_ID, NSI_ID)`: the person's newest active NSI of a type mapped from the case-note type
/// (with the NSI's event), else their single active custodial event, else neither.
async fn related_ids(
    tx: &mut AsyncPgConnection,
    offender_id: i64,
    type_key: &str,
) -> anyhow::Result<(Option<i64>, Option<i64>)> {
    let mapped_nsi_types = r_nomis_type_nsi_type::table
        .filter(r_nomis_type_nsi_type::nomis_contact_type.eq(type_key))
        .select(r_nomis_type_nsi_type::nsi_type_id);
    let nsi: Option<(i64, Option<i64>)> = nsi::table
        .filter(nsi::offender_id.eq(offender_id))
        .filter(nsi::nsi_type_id.eq_any(mapped_nsi_types))
        .filter(nsi::active_flag.eq(1))
        .filter(nsi::soft_deleted.eq(0))
        .order((nsi::referral_date.desc(), nsi::nsi_id.desc()))
        .select((nsi::nsi_id, nsi::event_id))
        .first(tx)
        .await
        .optional()?;
    if let Some((nsi_id, event_id)) = nsi {
        return Ok((event_id, Some(nsi_id)));
    }
    let custodial_events: Vec<i64> = event::table
        .inner_join(disposal::table.inner_join(r_disposal_type::table))
        .filter(event::offender_id.eq(offender_id))
        .filter(event::active_flag.eq(1))
        .filter(event::soft_deleted.eq(0))
        .filter(disposal::active_flag.eq(1))
        .filter(disposal::soft_deleted.eq(0))
        .filter(r_disposal_type::sentence_type.eq_any(["NC", "SC"]))
        .select(event::event_id)
        .distinct()
        .load(tx)
        .await?;
    Ok(match custodial_events.as_slice() {
        [only] => (Some(*only), None),
        _ => (None, None),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f").unwrap()
    }

    #[test]
    fn ordering_compares_whole_seconds() {
        assert!(is_before(None, at("2022-07-20 12:00:00")));
        assert!(is_before(
            Some(at("2022-07-20 11:59:59.9")),
            at("2022-07-20 12:00:00")
        ));
        assert!(!is_before(
            Some(at("2022-07-20 12:00:00.9")),
            at("2022-07-20 12:00:00")
        ));
        assert!(!is_before(
            Some(at("2022-07-20 12:00:00")),
            at("2022-07-20 12:00:00.5")
        ));
        assert!(!is_before(
            Some(at("2022-07-20 12:00:01")),
            at("2022-07-20 12:00:00")
        ));
    }

    #[test]
    fn merge_result_properties() {
        let moved = MergeResult::Saved(Merged {
            crn: "A000001".into(),
            noms_number: "AA0001A".into(),
            action: MergeAction::Moved {
                from_crn: "B000001".into(),
                to_crn: "A000001".into(),
            },
            contact_id: 1,
        });
        let p = moved.properties();
        assert_eq!(p["action"], "Moved");
        assert_eq!(p["fromCrn"], "B000001");
        assert_eq!(p["toCrn"], "A000001");
        assert_eq!(p["crn"], "A000001");
        assert_eq!(p["nomsNumber"], "AA0001A");
        assert!(MergeResult::Unchanged.properties().is_empty());
    }
}
