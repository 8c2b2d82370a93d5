//! The two request bodies (spec 2.1, 2.2), validated into the workflows' types.

use auth::FieldError;
use serde_json::{Map, Value};

use super::errors::ApiError;
use super::fields::{
    finish, object, Fields, BOOLEAN, INTEGER, INVALID, OBJECT, STRING, UUID, ZONED_DATE_TIME,
};
use crate::appointment::{AppointmentOutcome, MergeAppointment};
use crate::attendance::{Attended, NoSessionReason};
use crate::referral::ReferralStarted;
use crate::refs::nsi_type_for_contract;

pub fn referral_started(body: &[u8]) -> Result<ReferralStarted, ApiError> {
    let map = object(body)?;
    let mut errors = Vec::new();
    let mut fields = Fields::new("", &map, &mut errors);
    let referral_id = fields.required("referralId", UUID);
    let started_at = fields.required("startedAt", ZONED_DATE_TIME);
    let contract_type = fields.required("contractType", STRING);
    // An unknown contract type is the caller's mistake: 400 naming the field, where the
    // reference answers 500 (IllegalArgumentException "Unexpected Contract Type").
    if let Some(contract) = &contract_type {
        if nsi_type_for_contract(contract).is_none() {
            fields.error("contractType", INVALID, "Unexpected Contract Type");
        }
    }
    let sentence_id = fields.required("sentenceId", INTEGER);
    let notes = fields.required("notes", STRING);
    finish(errors)?;
    match (referral_id, started_at, contract_type, sentence_id, notes) {
        (
            Some(referral_id),
            Some(started_at),
            Some(contract_type),
            Some(sentence_id),
            Some(notes),
        ) => Ok(ReferralStarted {
            referral_id,
            started_at,
            contract_type,
            sentence_id,
            notes,
        }),
        _ => Err(ApiError::Internal(anyhow::anyhow!(
            "validated referral is incomplete"
        ))),
    }
}

pub fn merge_appointment(body: &[u8]) -> Result<MergeAppointment, ApiError> {
    let map = object(body)?;
    let mut errors = Vec::new();
    let mut fields = Fields::new("", &map, &mut errors);
    let id = fields.required("id", UUID);
    let referral_id = fields.required("referralId", UUID);
    let referral_reference = fields.required("referralReference", STRING);
    let start = fields.required("start", ZONED_DATE_TIME);
    let duration = fields.required("durationInMinutes", INTEGER);
    if duration.is_some_and(|d| d < 0) {
        fields.error("durationInMinutes", INVALID, "must not be negative");
    }
    let notes = fields.optional("notes", STRING);
    let office_location_code = fields.optional("officeLocationCode", STRING);
    let counts_towards_rar = fields.required("countsTowardsRar", BOOLEAN);
    let outcome_object = fields.optional("outcome", OBJECT);
    // Read but not used, as in the reference; still checked so a wrong type is reported.
    let _sentence_id = fields.optional("sentenceId", INTEGER);
    let previous_id = fields.optional("previousId", UUID);
    let delius_id = fields.optional("deliusId", INTEGER);
    let reschedule_requested_by = fields.optional("rescheduleRequestedBy", STRING);
    let outcome = outcome_object.and_then(|object| outcome(&object, &mut errors));
    finish(errors)?;
    match (
        id,
        referral_id,
        referral_reference,
        start,
        duration,
        counts_towards_rar,
    ) {
        (
            Some(id),
            Some(referral_id),
            Some(referral_reference),
            Some(start),
            Some(duration_in_minutes),
            Some(counts_towards_rar),
        ) => Ok(MergeAppointment {
            id,
            referral_id,
            referral_reference,
            start,
            duration_in_minutes,
            notes,
            office_location_code,
            counts_towards_rar,
            outcome,
            previous_id,
            delius_id,
            reschedule_requested_by,
        }),
        _ => Err(ApiError::Internal(anyhow::anyhow!(
            "validated appointment is incomplete"
        ))),
    }
}

fn outcome(
    object: &Map<String, Value>,
    errors: &mut Vec<FieldError>,
) -> Option<AppointmentOutcome> {
    let mut fields = Fields::new("outcome.", object, errors);
    let attended = fields.required("attended", STRING);
    let attended = attended.and_then(|value| {
        let parsed = enum_name(&value).and_then(Attended::parse);
        if parsed.is_none() {
            fields.error("attended", INVALID, "must be one of YES, LATE, NO");
        }
        parsed
    });
    let did_session_happen = fields.optional("didSessionHappen", BOOLEAN);
    let reason = fields.optional("noSessionReasonType", STRING);
    let no_session_reason_type = match reason {
        Some(value) => {
            let parsed = NoSessionReason::parse(&value);
            if parsed.is_none() {
                fields.error(
                    "noSessionReasonType",
                    INVALID,
                    "must be one of LOGISTICS, POP_ACCEPTABLE, POP_UNACCEPTABLE",
                );
            }
            parsed
        }
        None => None,
    };
    let notify_field = if fields.present("notify") {
        "notify"
    } else {
        "notifyProbationPractitionerOfBehaviour"
    };
    let notify = fields.optional(notify_field, BOOLEAN).unwrap_or(false);
    Some(AppointmentOutcome {
        attended: attended?,
        did_session_happen,
        no_session_reason_type,
        notify,
    })
}

/// The API takes the enum names exactly (`YES`, `LATE`, `NO`).
fn enum_name(value: &str) -> Option<&str> {
    matches!(value, "YES" | "LATE" | "NO").then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields_of(result: Result<impl std::fmt::Debug, ApiError>) -> Vec<String> {
        match result {
            Err(ApiError::Validation(fields)) => fields.into_iter().map(|f| f.field).collect(),
            other => panic!("expected a validation failure, got {other:?}"),
        }
    }

    #[test]
    fn spec_2_1_every_referral_field_is_required() {
        let named = fields_of(referral_started(b"{}"));
        assert_eq!(
            named,
            [
                "referralId",
                "startedAt",
                "contractType",
                "sentenceId",
                "notes"
            ]
        );
    }

    #[test]
    fn spec_4_9_unknown_contract_type_is_named() {
        let body = json!({"referralId": "68df9f6c-3fcb-4ec6-8fcf-96551cd9b080", "startedAt": "2023-02-23T15:29:54Z", "contractType": "FBD", "sentenceId": 1, "notes": "n"});
        assert_eq!(
            fields_of(referral_started(body.to_string().as_bytes())),
            ["contractType"]
        );
    }

    #[test]
    fn spec_2_2_outcome_fields_are_checked_and_notify_alias_is_accepted() {
        let base = json!({"id": "68df9f6c-3fcb-4ec6-8fcf-96551cd9b080", "referralId": "68df9f6c-3fcb-4ec6-8fcf-96551cd9b080", "referralReference": "R", "start": "2023-02-23T15:29:54Z", "durationInMinutes": 30, "countsTowardsRar": true});
        let mut bad = base.clone();
        bad["outcome"] = json!({"attended": "yes", "noSessionReasonType": "OTHER"});
        assert_eq!(
            fields_of(merge_appointment(bad.to_string().as_bytes())),
            ["outcome.attended", "outcome.noSessionReasonType"]
        );
        let mut alias = base.clone();
        alias["outcome"] =
            json!({"attended": "LATE", "notifyProbationPractitionerOfBehaviour": true});
        let merged = merge_appointment(alias.to_string().as_bytes()).unwrap();
        let outcome = merged.outcome.unwrap();
        assert!(outcome.notify);
        assert_eq!(outcome.did_session_happen, None);
        let mut default = base;
        default["outcome"] = json!({"attended": "NO"});
        assert!(
            !merge_appointment(default.to_string().as_bytes())
                .unwrap()
                .outcome
                .unwrap()
                .notify
        );
    }
}
