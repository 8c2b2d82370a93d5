//! Feature flags (spec 2.5 feature-flag rule, 5.1.3b `MULTIPLE_EVENTS`) and the properties of the
//! handler's own ignores (5.1.4). The flag defaults are the newest reference's behaviour; the
//! section 7 scenarios run with them (hospital, IRC, absconded, ECSL processed; one event).

use delius_data::schema::event;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use messaging::queue::memory::Disposition;
use prison_custody_status_to_delius::Flags;

use crate::helpers::*;

const COMMUN: i64 = 101;

fn sorted(v: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = v.iter().map(|s| (*s).to_owned()).collect();
    v.sort();
    v
}

fn on_licence(noms: &'static str) -> CaseSpec {
    let mut spec = CaseSpec::new(noms, "B").released("2021-06-01");
    spec.institution_id = Some(COMMUN);
    spec
}

#[tokio::test]
async fn rule_2_5_flag_off_movements_are_feature_flag_not_active_and_change_nothing() {
    let app = TestApp::start_with(Flags {
        released_hospital: false,
        released_irc: false,
        released_absconded: false,
        ..Flags::default()
    })
    .await;
    let cases = [
        ("A0040AA", "HO", "messages_released_hospital"),
        ("A0040AB", "DE", "messages_released_irc"),
        ("A0040AC", "UAL", "messages_released_absconded"),
    ];
    for (noms, nomis, flag) in cases {
        let case = app.case(on_licence(noms)).await;
        app.telemetry.clear();
        let disposition = app
            .publish(&released(
                noms,
                "RELEASED",
                nomis,
                "2023-08-04T08:09:36+01:00",
            ))
            .await;
        assert_eq!(
            disposition,
            Disposition::Deleted,
            "{nomis}: ignored, not retried"
        );
        assert_eq!(app.outcomes(), sorted(&["FeatureFlagNotActive"]), "{nomis}");
        let p = app.event("FeatureFlagNotActive").properties;
        assert_eq!(p["featureFlag"], flag);
        assert_eq!(p["movementReason"], nomis);
        assert_eq!(p["movementType"], "Released");
        assert_eq!(p["previousInstitution"], "WSI");
        let custody = app.custody(&case).await;
        assert_eq!(
            (custody.status.as_str(), custody.institution.as_deref()),
            ("B", Some("COMMUN"))
        );
        assert!(app.recalls(&case).await.is_empty());
        assert!(app.contact_types(&case).await.is_empty());
    }
}

#[tokio::test]
async fn rule_2_5_ecsl_flag_off_uses_the_reason_override_and_releases_on_a_plain_licence() {
    let app = TestApp::start_with(Flags {
        released_ecsl: false,
        ..Flags::default()
    })
    .await;
    let case = app.case(CaseSpec::new("A0041AA", "D")).await;
    app.publish(&released(
        "A0041AA",
        "RELEASED",
        "ECSL",
        "2022-05-04T07:03:50+01:00",
    ))
    .await;
    let releases = app.releases(&case).await;
    assert_eq!(releases.len(), 1);
    assert_eq!(
        (releases[0].0.as_str(), releases[0].2.as_deref()),
        ("ADL", Some("ECSL")),
        "release type from the override `RO`; the NOMIS reason is still stored"
    );
    assert_eq!(app.custody(&case).await.status, "B");
    assert_eq!(
        app.outcomes(),
        sorted(&["Released", "StatusUpdated", "LocationUpdated"])
    );
}

#[tokio::test]
async fn rule_2_5_flags_on_by_default_process_hospital_irc_and_absconded_releases() {
    let app = TestApp::start().await;
    for (noms, nomis) in [("A0042AA", "HP"), ("A0042AB", "DL"), ("A0042AC", "UAL_ECL")] {
        let case = app.case(on_licence(noms)).await;
        app.telemetry.clear();
        app.publish(&released(
            noms,
            "RELEASED",
            nomis,
            "2023-08-04T08:09:36+01:00",
        ))
        .await;
        assert_eq!(app.custody(&case).await.status, "C", "{nomis}");
        assert!(app.telemetry.named("FeatureFlagNotActive").is_empty());
        assert_eq!(
            app.outcomes(),
            sorted(&["Recalled", "StatusUpdated", "LocationUpdated"])
        );
    }
}

/// A person with a second active custodial event (moved onto them from another case).
async fn two_events(app: &TestApp, noms: &'static str, other: &'static str) -> (Case, Case) {
    let first = app.case(CaseSpec::new(noms, "D")).await;
    let second = app.case(CaseSpec::new(other, "D")).await;
    let mut conn = app.db.conn().await.expect("conn");
    diesel::update(event::table.filter(event::event_id.eq(second.event_id)))
        .set(event::offender_id.eq(first.offender_id))
        .execute(&mut conn)
        .await
        .expect("move event");
    (first, second)
}

#[tokio::test]
async fn rule_5_1_3b_multiple_events_flag_on_processes_every_active_custodial_event() {
    let app = TestApp::start_with(Flags {
        multiple_events: true,
        ..Flags::default()
    })
    .await;
    let (first, second) = two_events(&app, "A0043AA", "A0043AB").await;
    let disposition = app
        .publish(&released(
            "A0043AA",
            "RELEASED",
            "NCS",
            "2022-05-04T07:03:50+01:00",
        ))
        .await;
    assert_eq!(disposition, Disposition::Deleted);
    for case in [&first, &second] {
        let custody = app.custody(case).await;
        assert_eq!(custody.status, "B");
        assert_eq!(custody.institution.as_deref(), Some("COMMUN"));
        assert_eq!(app.releases(case).await.len(), 1);
    }
    // Both EREL contacts are the person's (the second event now belongs to them).
    assert_eq!(app.contact_types(&first).await, sorted(&["EREL", "EREL"]));
    assert_eq!(
        app.outcomes(),
        sorted(&[
            "Released",
            "StatusUpdated",
            "LocationUpdated",
            "Released",
            "StatusUpdated",
            "LocationUpdated"
        ])
    );
    assert!(app
        .telemetry
        .named("MultipleActiveCustodialEvents")
        .is_empty());
}

#[tokio::test]
async fn rule_5_1_3b_multiple_events_flag_off_ignores_the_message_with_message_properties() {
    let app = TestApp::start().await;
    let (first, second) = two_events(&app, "A0044AA", "A0044AB").await;
    app.publish(&released(
        "A0044AA",
        "RELEASED",
        "NCS",
        "2022-05-04T07:03:50+01:00",
    ))
    .await;
    assert_eq!(app.outcomes(), sorted(&["MultipleActiveCustodialEvents"]));
    let p = app.event("MultipleActiveCustodialEvents").properties;
    assert_eq!(p["institution"], "WSI");
    assert_eq!(p["details"], "Movement reason code NCS");
    for case in [&first, &second] {
        assert_eq!(app.custody(case).await.status, "D");
        assert!(app.releases(case).await.is_empty());
    }
}

#[tokio::test]
async fn rule_5_1_4_no_config_for_movement_carries_the_message_properties_too() {
    let app = TestApp::start().await;
    app.publish(&released(
        "A0045AA",
        "SENT_TO_COURT",
        "CRT",
        "2022-05-04T07:03:50+01:00",
    ))
    .await;
    let p = app.event("NoConfigForMovement").properties;
    assert_eq!(p["nomsNumber"], "A0045AA");
    assert_eq!(p["movementType"], "SENT_TO_COURT");
    assert_eq!(p["movementReason"], "CRT");
    assert_eq!(p["occurredAt"], "2022-05-04T07:03:50+01:00");
    assert_eq!(p["institution"], "WSI");
    assert_eq!(p["details"], "Movement reason code CRT");
}
