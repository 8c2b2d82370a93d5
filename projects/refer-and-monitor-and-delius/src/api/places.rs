//! `GET /office-locations` (spec 2.11) and `GET /probation-delivery-units` (spec 2.12).

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;

use delius_data::schema::{borough, office_location, probation_area};

use crate::refs::CRS_PROVIDER;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub building_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub building_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub town: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub county: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
}

impl Address {
    /// `None` when every part is missing, so the field is left out.
    pub fn or_none(self) -> Option<Self> {
        let empty = [
            &self.building_name,
            &self.building_number,
            &self.street_name,
            &self.district,
            &self.town,
            &self.county,
            &self.postcode,
        ]
        .iter()
        .all(|part| part.is_none());
        (!empty).then_some(self)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OfficeLocation {
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub telephone_number: Option<String>,
}

type LocationRow = (
    String,
    Option<String>,
    (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    ),
    Option<String>,
);

/// The CRS provider's open office locations, by code.
pub async fn office_locations(
    conn: &mut AsyncPgConnection,
    today: NaiveDate,
) -> QueryResult<Vec<OfficeLocation>> {
    let rows: Vec<LocationRow> = office_location::table
        .inner_join(probation_area::table)
        .filter(probation_area::code.eq(CRS_PROVIDER))
        .filter(
            probation_area::end_date
                .is_null()
                .or(probation_area::end_date.gt(today)),
        )
        .filter(
            office_location::end_date
                .is_null()
                .or(office_location::end_date.gt(today)),
        )
        .order(office_location::code)
        .select((
            office_location::code,
            office_location::description,
            (
                office_location::building_name,
                office_location::building_number,
                office_location::street_name,
                office_location::district,
                office_location::town_city,
                office_location::county,
                office_location::postcode,
            ),
            office_location::telephone_number,
        ))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(code, description, parts, telephone_number)| OfficeLocation {
                code,
                description,
                address: Address {
                    building_name: parts.0,
                    building_number: parts.1,
                    street_name: parts.2,
                    district: parts.3,
                    town: parts.4,
                    county: parts.5,
                    postcode: parts.6,
                }
                .or_none(),
                telephone_number,
            },
        )
        .collect())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeDescription {
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeliveryUnit {
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub region: CodeDescription,
}

/// Every selectable borough (PDU) with its provider (region), by code.
pub async fn delivery_units(conn: &mut AsyncPgConnection) -> QueryResult<Vec<DeliveryUnit>> {
    let rows: Vec<(String, Option<String>, String, Option<String>)> = borough::table
        .inner_join(probation_area::table)
        .filter(borough::selectable.eq("Y"))
        .order(borough::code)
        .select((
            borough::code,
            borough::description,
            probation_area::code,
            probation_area::description,
        ))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(code, description, region, region_description)| DeliveryUnit {
                code,
                description,
                region: CodeDescription {
                    code: region,
                    description: region_description,
                },
            },
        )
        .collect())
}
