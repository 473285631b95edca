//! The terms of the open data, in one place: the API index (`GET /api/v1/`), the OpenAPI
//! document's `info.license`, the CSV exports' first line and `Link` header
//! (docs/open-data.md).

use axum::extract::State;
use axum::Json;
use daylight_app::data::SiteContext;
use serde_json::{json, Value};

pub const LICENCE_NAME: &str = "CC BY 4.0";
pub const LICENCE_URL: &str = "https://creativecommons.org/licenses/by/4.0/";
/// The attribution CNEMC's values need wherever they are shown.
pub const CNEMC_ATTRIBUTION_ZH: &str = "数据来源：中国环境监测总站 (CNEMC)";
pub const CNEMC_ATTRIBUTION_EN: &str =
    "Data: China National Environmental Monitoring Centre (CNEMC)";

/// A `Link` header naming the licence (RFC 8288, relation type `license`, RFC 4946).
pub const LINK_HEADER: &str = "<https://creativecommons.org/licenses/by/4.0/>; rel=\"license\"";

/// One line for the top of an export.
pub fn statement_line() -> String {
    format!(
        "Daylight open data, licence {LICENCE_NAME} ({LICENCE_URL}): credit \"Daylight\". \
         Values whose source is \"measured\" or \"replayed\": {CNEMC_ATTRIBUTION_EN} / \
         {CNEMC_ATTRIBUTION_ZH}. \"simulated\" values are not measurements."
    )
}

/// The licence as JSON (also the OpenAPI `x-daylight-licence` extension).
pub fn statement() -> Value {
    json!({
        "name": LICENCE_NAME,
        "url": LICENCE_URL,
        "applies_to": "everything Daylight publishes under /api/v1: its own data (water sections, \
                       complaints register, assessments, district boundaries as served) and its \
                       compilation of the national network's values",
        "attribution": "Daylight",
        "third_party": [{
            "source": "China National Environmental Monitoring Centre (CNEMC) / 中国环境监测总站",
            "applies_to": "values whose source is \"measured\" or \"replayed\"",
            "attribution_zh": CNEMC_ATTRIBUTION_ZH,
            "attribution_en": CNEMC_ATTRIBUTION_EN,
        }],
        "note": "Values whose source is \"simulated\" are not measurements and must be shown as such.",
        "docs": "docs/open-data.md",
    })
}

/// `GET /api/v1/`: what is here, and on what terms.
pub async fn index(State(site): State<SiteContext>) -> Json<Value> {
    let base = site.public_url.clone().unwrap_or_default();
    Json(json!({
        "name": "Daylight open data API",
        "version": "v1",
        "openapi": format!("{base}/api/v1/openapi.json"),
        "licence": statement(),
        "endpoints": [
            "/api/v1/stations",
            "/api/v1/stations/{code}/readings",
            "/api/v1/stations/{code}/readings.csv",
            "/api/v1/stations/{code}/aqi",
            "/api/v1/water/{code}/class",
            "/api/v1/districts",
            "/api/v1/complaints",
            "/api/v1/enterprises",
            "/api/v1/enterprises/{code}",
            "/api/v1/enterprises/{code}/readings",
            "/api/v1/enterprises/{code}/exceedances",
            "/api/v1/live",
            "/api/v1/snapshots/{id}",
            "/api/v1/ingest/readings",
        ],
    }))
}
