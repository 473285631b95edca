//! `GET /api/v1/complaints`: the public register as GeoJSON. The same fields as the
//! `/complaints` page and nothing more: no contact, no description, no follow-up token;
//! points snapped to a ~200 m grid (docs/complaints.md). And `GET /api/v1/complaints/stats`,
//! the register's monthly statistics.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::Json;
use daylight_app::complaint::data::{district_names, monthly_stats, register_entry};
use daylight_app::complaint::Month;
use daylight_app::data::SiteContext;
use serde::Deserialize;
use serde_json::{json, Value};

use super::error::{ApiError, ApiLang};
use super::stations::iso;

/// Default and largest page size.
const DEFAULT_LIMIT: u32 = 100;
const MAX_LIMIT: u32 = 500;

#[derive(Debug, Default, Deserialize)]
pub struct RegisterQuery {
    limit: Option<String>,
    offset: Option<String>,
}

fn number(name: &str, raw: Option<&str>, default: u32, max: u32) -> Result<u32, ApiError> {
    match raw {
        None | Some("") => Ok(default),
        Some(raw) => match raw.parse::<u32>() {
            Ok(n) if n <= max => Ok(n),
            _ => Err(ApiError::bad_parameter(
                name,
                format!("应为 0 到 {max} 之间的整数，而不是“{raw}”"),
                format!("expected a whole number from 0 to {max}, not '{raw}'"),
            )),
        },
    }
}

/// `GET /api/v1/complaints[?limit=N&offset=M]`: newest first.
pub async fn list(
    State(site): State<SiteContext>,
    headers: HeaderMap,
    query: Result<Query<RegisterQuery>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let lang = ApiLang::from_headers(&headers);
    let Query(query) = query.map_err(|e| {
        ApiError::bad_parameter(
            "query",
            format!("无法解析：{e}"),
            format!("cannot be parsed: {e}"),
        )
        .in_lang(lang)
    })?;
    let limit = number("limit", query.limit.as_deref(), DEFAULT_LIMIT, MAX_LIMIT)
        .map_err(|e| e.in_lang(lang))?;
    let offset =
        number("offset", query.offset.as_deref(), 0, u32::MAX).map_err(|e| e.in_lang(lang))?;
    let unavailable = |e| ApiError::from(e).in_lang(lang);
    let names = district_names(&site).await.map_err(unavailable)?;
    let complaints = site
        .store
        .complaints(limit, offset)
        .await
        .map_err(unavailable)?;
    let total = site.store.complaint_count().await.map_err(unavailable)?;
    let features: Vec<Value> = complaints
        .iter()
        .map(|c| {
            let e = register_entry(c, &names);
            json!({
                "type": "Feature",
                "geometry": e.coarse_location.map(|(lon, lat)| json!({
                    "type": "Point",
                    "coordinates": [lon, lat],
                })),
                "properties": {
                    "tracking_code": e.tracking_code,
                    "category": e.category.as_str(),
                    "category_name_zh": e.category.name_zh(),
                    "category_name_en": e.category.name_en(),
                    "status": e.status.as_str(),
                    "district_adcode": c.district,
                    "district": e.district,
                    "outside_city": e.outside_city,
                    "submitted": iso(e.submitted, &site),
                },
            })
        })
        .collect();
    Ok(Json(json!({
        "type": "FeatureCollection",
        "total": total,
        "limit": limit,
        "offset": offset,
        "features": features,
    })))
}

#[derive(Debug, Default, Deserialize)]
pub struct StatsQuery {
    month: Option<String>,
}

/// `GET /api/v1/complaints/stats[?month=YYYY-MM]`: the register's monthly statistics per
/// district and category (the current month by default; a future month is refused, it has
/// nothing yet and would only ever be cached empty).
pub async fn stats(
    State(site): State<SiteContext>,
    headers: HeaderMap,
    query: Result<Query<StatsQuery>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let lang = ApiLang::from_headers(&headers);
    let Query(query) = query.map_err(|e| {
        ApiError::bad_parameter(
            "query",
            format!("无法解析：{e}"),
            format!("cannot be parsed: {e}"),
        )
        .in_lang(lang)
    })?;
    let current = Month::of(chrono::Utc::now(), site.utc_offset_minutes);
    let month = match query.month.as_deref() {
        None | Some("") => current,
        Some(raw) => match raw.parse::<Month>() {
            Ok(m) if m <= current => m,
            _ => {
                return Err(ApiError::bad_parameter(
                    "month",
                    format!("应为不晚于本月的年月（YYYY-MM），而不是“{raw}”"),
                    format!("expected a month (YYYY-MM) no later than this one, not '{raw}'"),
                )
                .in_lang(lang))
            }
        },
    };
    let unavailable = |e| ApiError::from(e).in_lang(lang);
    let names = district_names(&site).await.map_err(unavailable)?;
    let stats = monthly_stats(&site, &names, Some(month))
        .await
        .map_err(unavailable)?;
    let (from, to) = month.range(site.utc_offset_minutes);
    let rows: Vec<Value> = stats
        .rows
        .iter()
        .map(|line| {
            let r = &line.row;
            json!({
                "district_adcode": r.district,
                "district": line.district,
                "category": r.category.as_str(),
                "category_name_zh": r.category.name_zh(),
                "category_name_en": r.category.name_en(),
                "count": r.count,
                "closed": r.closed,
                "median_days_to_close": r.median_days_to_close,
                "overdue": r.overdue,
                "overdue_share": r.overdue_share(),
            })
        })
        .collect();
    Ok(Json(json!({
        "month": month.to_string(),
        "from": iso(from, &site),
        "to": iso(to, &site),
        "deadlines": {
            "accept_working_days": site.deadlines.accept_working_days,
            "close_days": site.deadlines.close_days,
        },
        "rows": rows,
    })))
}
