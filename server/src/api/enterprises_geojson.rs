//! The enterprise register as GeoJSON (RFC 7946), for maps: `GET /api/v1/enterprises.geojson`
//! or `GET /api/v1/enterprises?format=geojson`. The same rows as the JSON register (search
//! with `q` too), each a Feature at the enterprise's registered position (WGS-84,
//! `[lon, lat]`); an enterprise without a position has `"geometry": null`, as RFC 7946 §3.2
//! allows, so that the collection stays complete.
//!
//! Content negotiation on `Accept` is deliberately not offered: the API's micro-cache keys
//! answers by address, not by `Accept`, so one address must always mean one representation.

use std::collections::HashMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use daylight_app::data::SiteContext;
use daylight_app::enterprise::data::enterprise_list;
use serde::Deserialize;
use serde_json::{json, Value};

use super::enterprises;
use super::stations::iso;
use super::{ApiError, ApiLang};

/// What every value of an enterprise is (the same words as the JSON register).
const NOTICE: &str = "企业自行监测，未经审核 / self-reported, not audited";

/// RFC 7946's media type.
const GEOJSON: &str = "application/geo+json";

#[derive(Debug, Default, Deserialize)]
pub struct GeoQuery {
    q: Option<String>,
    format: Option<String>,
}

/// `GET /api/v1/enterprises`: the JSON register, or GeoJSON with `?format=geojson`.
pub async fn list_or_geojson(
    State(site): State<SiteContext>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let wants_geojson = Query::<GeoQuery>::try_from_uri(&uri).is_ok_and(|Query(q)| {
        q.format
            .as_deref()
            .is_some_and(|f| f.eq_ignore_ascii_case("geojson"))
    });
    if wants_geojson {
        geojson(State(site), headers, Query::try_from_uri(&uri)).await
    } else {
        enterprises::list(State(site), headers, Query::try_from_uri(&uri))
            .await
            .into_response()
    }
}

/// `GET /api/v1/enterprises.geojson[?q=…]`.
pub async fn geojson(
    State(site): State<SiteContext>,
    headers: HeaderMap,
    query: Result<Query<GeoQuery>, QueryRejection>,
) -> Response {
    let lang = ApiLang::from_headers(&headers);
    match collection(&site, query).await {
        Ok(body) => {
            let mut response = Json(body).into_response();
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(GEOJSON));
            response
        }
        Err(e) => e.in_lang(lang).into_response(),
    }
}

async fn collection(
    site: &SiteContext,
    query: Result<Query<GeoQuery>, QueryRejection>,
) -> Result<Value, ApiError> {
    let Query(query) = query.map_err(|e| {
        ApiError::bad_parameter(
            "query",
            format!("无法解析：{e}"),
            format!("cannot be parsed: {e}"),
        )
    })?;
    if let Some(format) = query.format.as_deref() {
        if !format.eq_ignore_ascii_case("geojson") && !format.eq_ignore_ascii_case("json") {
            return Err(ApiError::bad_parameter(
                "format",
                format!("应为 json 或 geojson，而不是“{format}”"),
                format!("expected json or geojson, not '{format}'"),
            ));
        }
    }
    let list = enterprise_list(
        site.store.as_ref(),
        query.q.as_deref().unwrap_or(""),
        Utc::now(),
        site.utc_offset_minutes,
    )
    .await?;
    // The register's rows carry no position: take it from the registry itself.
    let registry: HashMap<String, daylight_store::Enterprise> = site
        .store
        .enterprises()
        .await?
        .into_iter()
        .map(|e| (e.credit_code.to_string(), e))
        .collect();
    let features: Vec<Value> = list
        .rows
        .iter()
        .map(|row| {
            let e = registry.get(&row.credit_code);
            json!({
                "type": "Feature",
                "id": row.credit_code,
                "geometry": e.and_then(|e| e.position).map(|p| json!({
                    "type": "Point",
                    "coordinates": [p.lon, p.lat],
                })),
                "properties": {
                    "credit_code": row.credit_code,
                    "name": row.name,
                    "district": row.district,
                    "industry": row.industry,
                    "permit_number": e.map(|e| e.permit_number.as_str()),
                    "key_unit": e.map(|e| e.key_unit.as_str()),
                    "demo": row.demo,
                    "exceeding_now": row.exceeding_now,
                    "latest_time": row.latest_time.map(|t| iso(t, site)),
                    "page": format!("/enterprise/{}", row.credit_code),
                },
            })
        })
        .collect();
    Ok(json!({
        "type": "FeatureCollection",
        "notice": NOTICE,
        "total": list.total,
        "features": features,
    }))
}
