//! The 19 scenarios of spec section 7, each with its rows, contacts, history and telemetry.

use messaging::queue::memory::Disposition;
use serde_json::json;

use crate::helpers::*;

const COMMUN: i64 = 101;
const WHITEMOOR: &str = "HMP Whitemoor";

fn strs(v: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = v.iter().map(|s| (*s).to_owned()).collect();
    v.sort();
    v
}

fn history(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

#[tokio::test]
async fn scenario_01_release_from_custody() {
    let app = TestApp::start().await;
    let case = app.case(CaseSpec::new("A0001AA", "D")).await;
    let disposition = app
        .publish(&released(
            "A0001AA",
            "RELEASED",
            "NCS",
            "2022-05-04T07:03:50.912169+01:00",
        ))
        .await;
    assert_eq!(disposition, Disposition::Deleted);

    let custody = app.custody(&case).await;
    assert_eq!(custody.status, "B");
    assert_eq!(custody.institution.as_deref(), Some("COMMUN"));
    assert_eq!(custody.status_change_date, Some(day("2022-05-04")));
    assert_eq!(
        app.releases(&case).await,
        vec![("ADL".to_owned(), day("2022-05-04"), Some("NCS".to_owned()))]
    );
    assert_eq!(
        app.history(&case).await,
        history(&[("TSC", "Released on Licence"), ("CPL", "In the Community")])
    );
    assert_eq!(app.contact_types(&case).await, strs(&["EREL"]));
    let erel = app.contact(&case, "EREL").await;
    assert_eq!(erel.1.as_deref(), Some("Release Type: Adult Licence"));
    assert_eq!(
        (erel.2, erel.3, erel.4),
        (Some(MGR_STAFF), Some(MGR_TEAM), Some(case.event_id))
    );
    assert_eq!(
        app.outcomes(),
        strs(&["Released", "StatusUpdated", "LocationUpdated"])
    );
    let released = app.event("Released").properties;
    assert_eq!(released["previousInstitution"], "WSI");
    assert_eq!(released["institution"], "OUT");
    assert_eq!(released["reason"], "RELEASED");
    assert_eq!(released["movementReason"], "NCS");
    assert_eq!(released["movementType"], "Released");
    assert_eq!(released["occurredAt"], "2022-05-04T07:03:50.912169+01:00");
}

#[tokio::test]
async fn scenario_02_recall_on_admission_terminates_licence_conditions() {
    let app = TestApp::start().await;
    let mut spec = CaseSpec::new("A0002AA", "B")
        .released("2021-06-01")
        .with_licence_conditions();
    spec.institution_id = Some(COMMUN);
    let case = app.case(spec).await;
    app.publish(&received(
        "A0002AA",
        "ADMISSION",
        "R1",
        "WSI",
        "2023-08-04T08:09:36+01:00",
    ))
    .await;

    let custody = app.custody(&case).await;
    assert_eq!(custody.status, "D");
    assert_eq!(custody.institution.as_deref(), Some("WSIHMP"));
    assert_eq!(custody.status_change_date, Some(day("2023-08-04")));
    assert_eq!(custody.location_change_date, Some(day("2023-08-04")));
    let recalls = app.recalls(&case).await;
    assert_eq!(recalls.len(), 1);
    assert_eq!(
        (recalls[0].0.as_str(), recalls[0].1, recalls[0].2.as_deref()),
        ("NN", day("2023-08-04"), Some("R1"))
    );
    assert_eq!(
        app.history(&case).await,
        history(&[("TSC", "Recall added in custody "), ("CPL", WHITEMOOR)])
    );
    assert_eq!(app.poms(&case).await, vec![(107, Some(10701), 1)]);
    assert_eq!(
        app.contact_types(&case).await,
        strs(&["ERCL", "ETER", "ETER", "ETCP"])
    );
    let ercl = app.contact(&case, "ERCL").await;
    assert_eq!(ercl.5.as_deref(), Some("Y"));
    assert_eq!(
        ercl.6, recalls[0].3,
        "ERCL created time equals the recall's"
    );
    assert_eq!(
        ercl.1.as_deref(),
        Some("Reason for Recall: Notified by Custodial Establishment")
    );
    assert_eq!(app.contact_alerts(&case).await, 1);
    let etcp = app.contact(&case, "ETCP").await;
    assert_eq!(
        etcp.1.as_deref(),
        Some("Custodial Status: In Custody\nCustodial Establishment: HMP Whitemoor\nLocation Change Date: 04/08/2023 08:09:36\n-------------------------------")
    );
    let terminated = app.terminated_licence_conditions(&case).await;
    assert_eq!(terminated.len(), 2, "LAP is never terminated");
    assert!(terminated.iter().all(|(_, reason)| *reason == Some(11401)));
    let events = app.domain_events(&case).await;
    assert_eq!(events.len(), 2);
    assert_eq!(
        events[0]["eventType"],
        "probation-case.licence-condition.terminated"
    );
    assert_eq!(
        events[0]["additionalInformation"]["licconditionMainType"],
        "Freedom of Movement"
    );
    assert_eq!(
        events[0]["additionalInformation"]["licconditionSubType"],
        "Test Licence Condition Sub Category"
    );
    assert_eq!(events[0]["additionalInformation"]["eventNumber"], "1");
    assert_eq!(
        app.outcomes(),
        strs(&["Recalled", "StatusUpdated", "LocationUpdated"])
    );
}

#[tokio::test]
async fn scenario_03_prisoner_matched_moves_location_from_prison_api() {
    let app = TestApp::start().await;
    let case = app.case(CaseSpec::new("A5295DZ", "D")).await;
    app.mock_booking("A5295DZ", booking("A5295DZ", "ADM", "INT", "IN", "MOV"))
        .await;
    app.mock_movements(json!([{"offenderNo": "A5295DZ", "fromAgency": "WSI", "toAgency": "MOV", "movementType": "ADM",
        "movementDate": "2023-07-20", "movementTime": "13:24:21", "movementReason": "Transferred", "movementReasonCode": "INT"}]))
        .await;
    app.publish(&identifier_added("A5295DZ")).await;

    let custody = app.custody(&case).await;
    assert_eq!(custody.status, "D");
    assert_eq!(custody.institution.as_deref(), Some("MOVHMP"));
    assert_eq!(
        app.history(&case).await,
        history(&[("CPL", "Moved To Prison")])
    );
    assert_eq!(app.contact_types(&case).await, strs(&["ETCP"]));
    assert_eq!(
        app.outcomes(),
        strs(&[
            "RecallNotRequired",
            "PrisonerStatusCorrect",
            "LocationUpdated"
        ])
    );
    assert_eq!(
        app.event("LocationUpdated").properties["occurredAt"],
        "2023-07-20T13:24:21+01:00"
    );
}

#[tokio::test]
async fn scenario_04_died_in_custody() {
    let app = TestApp::start().await;
    let case = app.case(CaseSpec::new("A0003AA", "D")).await;
    app.publish(&released(
        "A0003AA",
        "RELEASED",
        "DEC",
        "2023-02-24T09:17:21+00:00",
    ))
    .await;
    assert_eq!(app.contact_types(&case).await, strs(&["DUS3"]));
    let dus3 = app.contact(&case, "DUS3").await;
    assert_eq!(
        (dus3.2, dus3.3, dus3.4),
        (Some(MGR_STAFF), Some(MGR_TEAM), None)
    );
    assert_eq!(dus3.5.as_deref(), Some("Y"));
    assert_eq!(
        dus3.1.as_deref(),
        Some("This information has been provided via a movement reason recorded at 24/02/2023 09:17:21 in NOMIS")
    );
    assert_eq!(app.contact_alerts(&case).await, 1);
    assert_eq!(app.outcomes(), strs(&["Died"]));
}

async fn received_into_custody(noms: &'static str, status: &'static str, nomis: &str) {
    let app = TestApp::start().await;
    let mut spec = CaseSpec::new(noms, status);
    spec.institution_id = Some(MDI);
    let case = app.case(spec).await;
    app.publish(&received(
        noms,
        "ADMISSION",
        nomis,
        "WSI",
        "2023-08-04T08:09:36+01:00",
    ))
    .await;
    let custody = app.custody(&case).await;
    assert_eq!(custody.status, "D");
    assert_eq!(custody.institution.as_deref(), Some("WSIHMP"));
    assert!(app.recalls(&case).await.is_empty());
    assert_eq!(
        app.history(&case).await,
        history(&[("TSC", "In custody "), ("CPL", WHITEMOOR)])
    );
    assert_eq!(app.poms(&case).await, vec![(107, Some(10701), 1)]);
    assert_eq!(app.contact_types(&case).await, strs(&["ETCP"]));
    assert_eq!(
        app.outcomes(),
        strs(&["RecallNotRequired", "StatusUpdated", "LocationUpdated"])
    );
}

#[tokio::test]
async fn scenario_05_new_custodial_sentence() {
    received_into_custody("A0004AA", "A", "N").await;
}

#[tokio::test]
async fn scenario_06_already_recalled_in_delius() {
    received_into_custody("A0006AA", "C", "24").await;
}

/// Released to hospital / IRC / unlawfully at large while on licence: recalled.
async fn recalled_on_release(
    noms: &'static str,
    nomis: &str,
    reason_code: &str,
    institution: &str,
    detail: &str,
) {
    let app = TestApp::start().await;
    let mut spec = CaseSpec::new(noms, "B").released("2021-06-01");
    spec.institution_id = Some(COMMUN);
    let case = app.case(spec).await;
    app.publish(&released(
        noms,
        "RELEASED",
        nomis,
        "2023-08-04T08:09:36+01:00",
    ))
    .await;
    let custody = app.custody(&case).await;
    assert_eq!(custody.status, "C");
    assert_eq!(custody.status_change_date, Some(day("2023-08-04")));
    assert_eq!(custody.institution.as_deref(), Some(institution));
    let recalls = app.recalls(&case).await;
    assert_eq!(recalls.len(), 1);
    assert_eq!(
        (recalls[0].0.as_str(), recalls[0].2.as_deref()),
        (reason_code, Some(nomis))
    );
    let history_rows = app.history(&case).await;
    assert_eq!(history_rows[0], ("TSC".to_owned(), detail.to_owned()));
    assert_eq!(history_rows[1].0, "CPL");
    assert_eq!(app.contact_types(&case).await, strs(&["ERCL", "ETCP"]));
    assert!(app.terminated_licence_conditions(&case).await.is_empty());
    assert_eq!(
        app.outcomes(),
        strs(&["Recalled", "StatusUpdated", "LocationUpdated"])
    );
}

#[tokio::test]
async fn scenario_07_hospital_release_when_on_licence() {
    recalled_on_release(
        "A0005AA",
        "HO",
        "TSH",
        "XXX056",
        "Transfer to/from Hospital",
    )
    .await;
}

#[tokio::test]
async fn scenario_10_irc_release_on_licence() {
    recalled_on_release(
        "A0009AA",
        "DE",
        "IRC",
        "XXX054",
        "Transfer to Immigration Removal Centre",
    )
    .await;
}

#[tokio::test]
async fn scenario_13_absconded_when_not_in_custody() {
    recalled_on_release(
        "A0017AA",
        "UAL",
        "NN",
        "UATLRG",
        "Recall added unlawfully at large ",
    )
    .await;
}

/// Released to hospital / IRC while in custody: location only.
async fn moved_while_in_custody(
    noms: &'static str,
    reason: &str,
    nomis: &str,
    institution: &str,
    description: &str,
) {
    let app = TestApp::start().await;
    let case = app.case(CaseSpec::new(noms, "D")).await;
    app.publish(&movement_message(
        RELEASED,
        noms,
        reason,
        nomis,
        Some("SWI"),
        "2023-08-04T08:09:36+01:00",
    ))
    .await;
    let custody = app.custody(&case).await;
    assert_eq!(custody.status, "D");
    assert_eq!(custody.institution.as_deref(), Some(institution));
    assert_eq!(app.history(&case).await, history(&[("CPL", description)]));
    assert_eq!(app.contact_types(&case).await, strs(&["ETCP"]));
    assert_eq!(
        app.outcomes(),
        strs(&[
            "RecallNotRequired",
            "PrisonerStatusCorrect",
            "LocationUpdated"
        ])
    );
}

#[tokio::test]
async fn scenario_08_hospital_release_when_in_custody() {
    moved_while_in_custody(
        "A0007AA",
        "RELEASED_TO_HOSPITAL",
        "HQ",
        "XXX056",
        "Other Secure Unit",
    )
    .await;
}

#[tokio::test]
async fn scenario_11_irc_release_when_in_custody() {
    moved_while_in_custody(
        "A0011AA",
        "RELEASED",
        "DD",
        "XXX054",
        "Other Immigration Removal Centre",
    )
    .await;
}

#[tokio::test]
async fn scenario_14_etr_when_in_custody() {
    moved_while_in_custody(
        "A0019AA",
        "RELEASED",
        "ETR",
        "XXX054",
        "Other Immigration Removal Centre",
    )
    .await;
}

#[tokio::test]
async fn scenario_15_ecslirc_when_in_custody() {
    moved_while_in_custody(
        "A0019BB",
        "RELEASED",
        "ECSLIRC",
        "XXX054",
        "Other Immigration Removal Centre",
    )
    .await;
}

#[tokio::test]
async fn scenario_09_rotl_return_is_an_eotl_recall() {
    let app = TestApp::start().await;
    let mut spec = CaseSpec::new("A0008AA", "R").released("2021-06-01");
    spec.institution_id = Some(COMMUN);
    let case = app.case(spec).await;
    app.publish(&received(
        "A0008AA",
        "TEMPORARY_ABSENCE_RETURN",
        "24",
        "WSI",
        "2023-08-04T08:09:36+01:00",
    ))
    .await;
    let custody = app.custody(&case).await;
    assert_eq!(custody.status, "D");
    assert_eq!(custody.institution.as_deref(), Some("WSIHMP"));
    let recalls = app.recalls(&case).await;
    assert_eq!(
        (recalls[0].0.as_str(), recalls[0].2.as_deref()),
        ("EOTL", Some("24"))
    );
    assert_eq!(
        app.history(&case).await,
        history(&[("TSC", "Recall added in custody "), ("CPL", WHITEMOOR)])
    );
    assert_eq!(app.contact_types(&case).await, strs(&["ERCL", "ETCP"]));
    let ercl = app.contact(&case, "ERCL").await.1.unwrap_or_default();
    assert!(
        ercl.contains("following a Temporary Absence Return in NOMIS"),
        "{ercl}"
    );
    let etcp = app.contact(&case, "ETCP").await.1.unwrap_or_default();
    assert!(
        etcp.ends_with("actual change to location occurred."),
        "{etcp}"
    );
    assert_eq!(
        app.outcomes(),
        strs(&["Recalled", "StatusUpdated", "LocationUpdated"])
    );
}

async fn released_on_licence(
    flags: prison_custody_status_to_delius::Flags,
    noms: &'static str,
    nomis: &str,
    release_type: &str,
    occurred: &str,
) {
    let app = TestApp::start_with(flags).await;
    let case = app.case(CaseSpec::new(noms, "D")).await;
    app.publish(&released(noms, "RELEASED", nomis, occurred))
        .await;
    assert_eq!(app.custody(&case).await.status, "B");
    let releases = app.releases(&case).await;
    assert_eq!(releases.len(), 1);
    assert_eq!(
        (releases[0].0.as_str(), releases[0].2.as_deref()),
        (release_type, Some(nomis))
    );
    assert_eq!(
        app.history(&case).await,
        history(&[("TSC", "Released on Licence"), ("CPL", "In the Community")])
    );
    assert_eq!(app.contact_types(&case).await, strs(&["EREL"]));
    assert_eq!(
        app.outcomes(),
        strs(&["Released", "StatusUpdated", "LocationUpdated"])
    );
}

#[tokio::test]
async fn scenario_12_ecsl_release() {
    released_on_licence(
        Default::default(),
        "A0013AA",
        "ECSL",
        "ECSL",
        "2022-05-04T07:03:50+01:00",
    )
    .await;
}

#[tokio::test]
async fn scenario_19_hdc_release_with_the_flag_on() {
    let flags = prison_custody_status_to_delius::Flags {
        hdc_release_type: true,
        ..Default::default()
    };
    released_on_licence(flags, "A0023AA", "HD", "HDC", "2025-03-31T07:03:50+01:00").await;
}

#[tokio::test]
async fn hdc_release_with_the_flag_off_is_an_adult_licence() {
    let flags = prison_custody_status_to_delius::Flags {
        hdc_release_type: false,
        ..Default::default()
    };
    released_on_licence(flags, "A0023AA", "HD", "ADL", "2025-03-31T07:03:50+01:00").await;
}

#[tokio::test]
async fn scenario_16_admin_merge_has_no_actions() {
    let app = TestApp::start().await;
    let case = app.case(CaseSpec::new("A0021AA", "D")).await;
    app.publish(&released(
        "A0021AA",
        "RELEASED",
        "MRG",
        "2022-05-04T07:03:50+01:00",
    ))
    .await;
    assert_eq!(app.outcomes(), strs(&["NoActions"]));
    assert_eq!(app.event("NoActions").properties["movementReason"], "MRG");
    assert_eq!(app.custody(&case).await.status, "D");
    assert!(app.contact_types(&case).await.is_empty());
}

#[tokio::test]
async fn scenario_17_missing_booking_is_booking_not_found() {
    let app = TestApp::start().await;
    app.mock_booking_status("A0001AA", 404).await;
    let mut event = messaging::HmppsDomainEvent::new("probation-case.prison-identifier.added")
        .with_identifier("NOMS", "A0001AA")
        .with_info("prisonId", "WSI")
        .with_info("details", "Movement reason code NCS");
    event.occurred_at =
        Some(chrono::DateTime::parse_from_rfc3339("2022-05-04T07:03:50+01:00").expect("time"));
    let n = messaging::Notification::for_event("probation-case.prison-identifier.added", &event)
        .expect("n");
    assert_eq!(app.publish(&n).await, Disposition::Deleted);
    assert_eq!(app.outcomes(), strs(&["BookingNotFound"]));
    let p = app.event("BookingNotFound").properties;
    assert_eq!(p["nomsNumber"], "A0001AA");
    assert_eq!(p["institution"], "WSI");
    assert_eq!(p["details"], "Movement reason code NCS");
    assert_eq!(p["occurredAt"], "2022-05-04T07:03:50+01:00");
}

#[tokio::test]
async fn scenario_18_historic_release_is_ignored() {
    let app = TestApp::start().await;
    let case = app.case(CaseSpec::new("A0001AA", "D")).await;
    app.publish(&released(
        "A0001AA",
        "RELEASED",
        "NCS",
        "2010-01-01T07:03:50+00:00",
    ))
    .await;
    assert_eq!(
        app.outcomes(),
        strs(&[
            "InvalidReleaseDate",
            "PrisonerStatusCorrect",
            "PrisonerLocationCorrect"
        ])
    );
    assert_eq!(app.custody(&case).await.status, "D");
    assert!(app.releases(&case).await.is_empty());
    assert!(app.history(&case).await.is_empty());
    assert!(app.contact_types(&case).await.is_empty());
}
