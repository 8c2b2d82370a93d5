//! The OpenAPI document is public and describes exactly what the handlers do: the same paths
//! and methods as the router, the role, every status a test here sees, and the request and
//! response fields the code reads and writes.

use http::{Method, StatusCode};
use serde_json::Value;

use refer_and_monitor_and_delius::api::openapi::DOCUMENT;
use refer_and_monitor_and_delius::api::{CASE_DETAIL_RW_ROLE, CRS_REFERRAL_ROLE};

use crate::harness::TestApp;

fn document() -> Value {
    serde_json::from_str(DOCUMENT).expect("openapi.json is JSON")
}

fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value.as_object().expect("object").keys().cloned().collect();
    keys.sort();
    keys
}

#[tokio::test]
async fn openapi_document_is_public_at_v3_api_docs() {
    let app = TestApp::start().await;
    let (status, body) = app.send(Method::GET, "/v3/api-docs", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, document());
    assert_eq!(
        app.send(Method::GET, "/swagger-ui/index.html", None, None)
            .await
            .0,
        StatusCode::OK
    );
}

/// How the router serves one path.
type Route = (
    &'static str,
    Vec<&'static str>,
    Vec<&'static str>,
    Vec<&'static str>,
);

/// (path, methods, roles, statuses) as the router serves them.
fn routes() -> Vec<Route> {
    let either = vec![CRS_REFERRAL_ROLE, CASE_DETAIL_RW_ROLE];
    vec![
        (
            "/office-locations",
            vec!["get"],
            either.clone(),
            vec!["200", "401", "403"],
        ),
        (
            "/probation-case/{crn}/convictions",
            vec!["get"],
            vec![CRS_REFERRAL_ROLE],
            vec!["200", "401", "403", "404"],
        ),
        (
            "/probation-case/{crn}/convictions/{id}",
            vec!["get"],
            vec![CRS_REFERRAL_ROLE],
            vec!["200", "401", "403", "404"],
        ),
        (
            "/probation-case/{crn}/details",
            vec!["get"],
            vec![CRS_REFERRAL_ROLE],
            vec!["200", "401", "403", "404"],
        ),
        (
            "/probation-case/{crn}/identifiers",
            vec!["get"],
            vec![CRS_REFERRAL_ROLE],
            vec!["200", "401", "403"],
        ),
        (
            "/probation-case/{crn}/referrals",
            vec!["put"],
            vec![CASE_DETAIL_RW_ROLE],
            vec!["204", "400", "401", "403", "404", "500"],
        ),
        (
            "/probation-case/{crn}/referrals/{referralId}/appointments",
            vec!["put"],
            vec![CASE_DETAIL_RW_ROLE],
            vec!["200", "400", "401", "403", "404", "409"],
        ),
        (
            "/probation-case/{crn}/responsible-officer",
            vec!["get"],
            vec![CRS_REFERRAL_ROLE],
            vec!["200", "401", "403", "404"],
        ),
        (
            "/probation-delivery-units",
            vec!["get"],
            either.clone(),
            vec!["200", "401", "403"],
        ),
        (
            "/users/{username}/access",
            vec!["get", "post"],
            either.clone(),
            vec!["200", "400", "401", "403"],
        ),
        (
            "/users/{username}/details",
            vec!["get"],
            either.clone(),
            vec!["200", "401", "403", "404"],
        ),
        (
            "/users/{username}/managed-cases",
            vec!["get"],
            either,
            vec!["200", "401", "403"],
        ),
    ]
}

#[tokio::test]
async fn openapi_document_matches_the_handlers() {
    let document = document();
    let paths = &document["paths"];
    let routes = routes();
    let declared: Vec<&str> = routes.iter().map(|r| r.0).collect();
    assert_eq!(keys(paths), declared);
    for (path, methods, roles, statuses) in routes {
        assert_eq!(keys(&paths[path]), methods, "{path}");
        for method in methods {
            let operation = &paths[path][method];
            let declared_roles: Vec<&str> = operation["x-required-roles"]
                .as_array()
                .expect("roles")
                .iter()
                .filter_map(Value::as_str)
                .collect();
            assert_eq!(declared_roles, roles, "{method} {path}");
            assert_eq!(keys(&operation["responses"]), statuses, "{method} {path}");
            let parameters: Vec<&str> = operation["parameters"]
                .as_array()
                .expect("parameters")
                .iter()
                .filter_map(|p| p["name"].as_str())
                .collect();
            let in_path: Vec<&str> = path
                .split('/')
                .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
                .collect();
            assert_eq!(parameters, in_path, "{method} {path}");
        }
    }
    let schemas = &document["components"]["schemas"];
    // The fields requests.rs reads, and what the handlers answer.
    assert_eq!(
        keys(&schemas["ReferralStarted"]["properties"]),
        [
            "contractType",
            "notes",
            "referralId",
            "sentenceId",
            "startedAt"
        ]
    );
    assert_eq!(
        keys(&schemas["MergeAppointment"]["properties"]),
        [
            "countsTowardsRar",
            "deliusId",
            "durationInMinutes",
            "id",
            "notes",
            "officeLocationCode",
            "outcome",
            "previousId",
            "referralId",
            "referralReference",
            "rescheduleRequestedBy",
            "sentenceId",
            "start"
        ]
    );
    assert_eq!(
        keys(&schemas["Outcome"]["properties"]),
        [
            "attended",
            "didSessionHappen",
            "noSessionReasonType",
            "notify"
        ]
    );
    let merged = serde_json::to_value(
        refer_and_monitor_and_delius::api::referrals::AppointmentMerged { appointment_id: 1 },
    )
    .expect("json");
    assert_eq!(
        keys(&schemas["AppointmentMerged"]["properties"]),
        keys(&merged)
    );
    let error = serde_json::to_value(auth::ErrorResponse::validation(vec![auth::FieldError {
        code: "c".into(),
        message: "m".into(),
        field: "f".into(),
    }]))
    .expect("json");
    assert_eq!(keys(&schemas["ErrorResponse"]["properties"]), keys(&error));
    assert_eq!(
        keys(&schemas["FieldError"]["properties"]),
        keys(&error["fields"][0])
    );
}

/// Every property the read endpoints can send is declared, and nothing else: bodies with every
/// optional field present, serialised by the handlers' own types.
#[tokio::test]
async fn openapi_read_schemas_are_the_handlers_types() {
    use refer_and_monitor_and_delius::api::convictions::{
        CaseConviction, CaseConvictions, Conviction, MainOffence, Sentence,
    };
    use refer_and_monitor_and_delius::api::identifiers::CaseIdentifier;
    use refer_and_monitor_and_delius::api::person::{
        CaseDetail, ContactDetails, Disability, Name, Profile,
    };
    use refer_and_monitor_and_delius::api::places::{
        Address, CodeDescription, DeliveryUnit, OfficeLocation,
    };
    use refer_and_monitor_and_delius::api::responsible_officer::{
        Manager, Pdu, ResponsibleOfficer, Team, UserDetail,
    };
    use refer_and_monitor_and_delius::api::users::{
        CaseAccess, ManagedCase, ManagedCases, UserAccess,
    };

    let document = document();
    let schemas = &document["components"]["schemas"];
    let some = || Some("x".to_owned());
    let address = Address {
        building_name: some(),
        building_number: some(),
        street_name: some(),
        district: some(),
        town: some(),
        county: some(),
        postcode: some(),
    };
    let location = OfficeLocation {
        code: "c".into(),
        description: some(),
        address: Some(address.clone()),
        telephone_number: some(),
    };
    let region = CodeDescription {
        code: "c".into(),
        description: some(),
    };
    let unit = DeliveryUnit {
        code: "c".into(),
        description: some(),
        region: region.clone(),
    };
    let access = CaseAccess {
        crn: "c".into(),
        user_excluded: true,
        user_restricted: true,
        exclusion_message: some(),
        restriction_message: some(),
    };
    let detail = CaseDetail {
        crn: "c".into(),
        name: Name {
            forename: "f".into(),
            surname: "s".into(),
        },
        date_of_birth: chrono::NaiveDate::from_ymd_opt(2000, 1, 1),
        gender: some(),
        profile: Some(Profile {
            primary_language: some(),
            ethnicity: some(),
            religion: some(),
            disabilities: vec![Disability {
                kind: "k".into(),
                start_date: chrono::NaiveDate::MIN,
                notes: some(),
            }],
        }),
        contact_details: ContactDetails {
            no_fixed_abode: false,
            main_address: Some(address.clone()),
            email_address: some(),
            telephone_number: some(),
            mobile_number: some(),
        },
    };
    let profile = detail.profile.clone().expect("profile");
    let conviction = Conviction {
        id: 1,
        date: chrono::NaiveDate::from_ymd_opt(2000, 1, 1),
        sentence: Sentence {
            description: some(),
            expected_end_date: chrono::NaiveDate::from_ymd_opt(2000, 1, 1),
        },
        main_offence: MainOffence {
            category: some(),
            sub_category: some(),
        },
        active: true,
    };
    let manager = Manager {
        code: "c".into(),
        name: detail.name.clone(),
        username: some(),
        email: some(),
        telephone_number: some(),
        responsible_officer: true,
        pdu: Some(Pdu {
            code: "c".into(),
            description: some(),
        }),
        team: Team {
            code: "c".into(),
            description: some(),
            email: some(),
            telephone_number: some(),
        },
        office_locations: vec![location.clone()],
        unallocated: false,
    };
    let officer = ResponsibleOfficer {
        community_manager: manager.clone(),
        prison_manager: Some(manager.clone()),
    };
    let user = UserDetail {
        username: "u".into(),
        name: detail.name.clone(),
        email: some(),
    };
    for (schema, value) in [
        ("Manager", serde_json::to_value(manager.clone())),
        ("Pdu", serde_json::to_value(manager.pdu.clone())),
        ("Team", serde_json::to_value(manager.team.clone())),
        ("ResponsibleOfficer", serde_json::to_value(officer)),
        ("UserDetail", serde_json::to_value(user)),
        ("CaseDetail", serde_json::to_value(detail.clone())),
        ("Name", serde_json::to_value(detail.name.clone())),
        ("Profile", serde_json::to_value(profile.clone())),
        (
            "Disability",
            serde_json::to_value(profile.disabilities[0].clone()),
        ),
        (
            "ContactDetails",
            serde_json::to_value(detail.contact_details.clone()),
        ),
        ("Conviction", serde_json::to_value(conviction.clone())),
        (
            "Sentence",
            serde_json::to_value(conviction.sentence.clone()),
        ),
        (
            "MainOffence",
            serde_json::to_value(conviction.main_offence.clone()),
        ),
        (
            "CaseConvictions",
            serde_json::to_value(CaseConvictions {
                case_detail: detail.clone(),
                convictions: vec![],
            }),
        ),
        (
            "CaseConviction",
            serde_json::to_value(CaseConviction {
                case_detail: detail,
                conviction,
            }),
        ),
        (
            "CaseIdentifier",
            serde_json::to_value(CaseIdentifier {
                crn: "c".into(),
                noms_id: some(),
            }),
        ),
        ("Address", serde_json::to_value(address)),
        ("OfficeLocation", serde_json::to_value(location)),
        ("CodeDescription", serde_json::to_value(region)),
        ("DeliveryUnit", serde_json::to_value(unit)),
        ("CaseAccess", serde_json::to_value(access.clone())),
        (
            "UserAccess",
            serde_json::to_value(UserAccess {
                access: vec![access],
            }),
        ),
        (
            "ManagedCase",
            serde_json::to_value(ManagedCase { crn: "c".into() }),
        ),
        (
            "ManagedCases",
            serde_json::to_value(ManagedCases {
                managed_cases: vec![],
            }),
        ),
    ] {
        assert_eq!(
            keys(&schemas[schema]["properties"]),
            keys(&value.expect("json")),
            "{schema}"
        );
    }
}

/// Every body the document declares required is rejected without that field, so "required"
/// in the document and in requests.rs agree.
#[tokio::test]
async fn openapi_required_fields_are_the_ones_the_api_requires() {
    let app = TestApp::start().await;
    let document = document();
    for (schema, path) in [
        ("ReferralStarted", "/probation-case/T140225/referrals"),
        (
            "MergeAppointment",
            "/probation-case/T140224/referrals/09c62549-bcd3-49a9-8120-7811b76925e5/appointments",
        ),
    ] {
        let (status, body) = app.put(path, &serde_json::json!({})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let mut named: Vec<String> = body["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .map(|f| f["field"].as_str().unwrap_or_default().to_owned())
            .collect();
        named.sort();
        let mut required: Vec<String> = document["components"]["schemas"][schema]["required"]
            .as_array()
            .expect("required")
            .iter()
            .map(|f| f.as_str().unwrap_or_default().to_owned())
            .collect();
        required.sort();
        assert_eq!(named, required, "{schema}");
    }
}
