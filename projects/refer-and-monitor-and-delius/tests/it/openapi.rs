//! The OpenAPI document is public and describes exactly what the handlers do: the same paths
//! and methods as the router, the role, every status a test here sees, and the request and
//! response fields the code reads and writes.

use http::{Method, StatusCode};
use serde_json::Value;

use refer_and_monitor_and_delius::api::openapi::DOCUMENT;
use refer_and_monitor_and_delius::api::CASE_DETAIL_RW_ROLE;

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

#[tokio::test]
async fn openapi_document_matches_the_handlers() {
    let document = document();
    let paths = &document["paths"];
    assert_eq!(
        keys(paths),
        [
            "/probation-case/{crn}/referrals",
            "/probation-case/{crn}/referrals/{referralId}/appointments"
        ]
    );
    for (path, statuses) in [
        (
            "/probation-case/{crn}/referrals",
            vec!["204", "400", "401", "403", "404", "500"],
        ),
        (
            "/probation-case/{crn}/referrals/{referralId}/appointments",
            vec!["200", "400", "401", "403", "404", "409"],
        ),
    ] {
        assert_eq!(keys(&paths[path]), ["put"], "{path}: only PUT is routed");
        let put = &paths[path]["put"];
        assert_eq!(put["x-required-role"], CASE_DETAIL_RW_ROLE, "{path}");
        assert_eq!(keys(&put["responses"]), statuses, "{path}");
        let parameters: Vec<&str> = put["parameters"]
            .as_array()
            .expect("parameters")
            .iter()
            .filter_map(|p| p["name"].as_str())
            .collect();
        let in_path: Vec<&str> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
            .collect();
        assert_eq!(parameters, in_path, "{path}");
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
