//! Stations, their readings, AQI and water class, and the district boundaries.

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::Json;
use chrono::{DateTime, Duration, FixedOffset, Offset, Utc};
use daylight_app::assess::{self, Status};
use daylight_app::data::{self, SiteContext};
use daylight_app::model::ReadingView;
use daylight_domain::aqi::{AqiReport, AqiScale, NoAqi, Pollutant};
use daylight_domain::parameter::Parameter;
use daylight_domain::station::{StationCode, StationKind};
use daylight_domain::water::{WaterAssessment, WaterBody, WaterItem};
use daylight_store::{Station, TimeRange};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{ApiError, ApiLang};

/// The longest range one request may ask for.
const MAX_RANGE_DAYS: i64 = 366;

type ApiResult = Result<Json<Value>, ApiError>;

#[derive(Debug, Default, Deserialize)]
pub struct RangeQuery {
    from: Option<String>,
    to: Option<String>,
    parameter: Option<String>,
    scale: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ScaleQuery {
    scale: Option<String>,
}

/// The AQI scale asked for, or the deployment's.
pub(super) fn resolve_scale(site: &SiteContext, raw: Option<&str>) -> Result<AqiScale, ApiError> {
    match raw {
        None | Some("") => Ok(site.default_scale),
        Some(raw) => raw.parse().map_err(|_| {
            ApiError::bad_parameter(
                "scale",
                format!("应为 hj633 或 us-epa，而不是“{raw}”"),
                format!("expected hj633 or us-epa, not '{raw}'"),
            )
        }),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct DistrictQuery {
    simplify: Option<String>,
}

fn offset(site: &SiteContext) -> FixedOffset {
    FixedOffset::east_opt(site.utc_offset_minutes * 60).unwrap_or_else(|| Utc.fix())
}

pub(super) fn iso(time: DateTime<Utc>, site: &SiteContext) -> String {
    time.with_timezone(&offset(site)).to_rfc3339()
}

/// `GET /api/v1/stations`: every station as a GeoJSON feature with its latest state.
pub async fn list(
    State(site): State<SiteContext>,
    headers: HeaderMap,
    query: Result<Query<ScaleQuery>, QueryRejection>,
) -> ApiResult {
    let lang = ApiLang::from_headers(&headers);
    let scale = match &query {
        Ok(Query(q)) => resolve_scale(&site, q.scale.as_deref()),
        Err(e) => Err(ApiError::bad_parameter(
            "query",
            format!("无法解析：{e}"),
            format!("cannot be parsed: {e}"),
        )),
    }
    .map_err(|e| e.in_lang(lang))?;
    let stations = data::latest_by_station(site.store.as_ref())
        .await
        .map_err(|e| ApiError::from(e).in_lang(lang))?;
    let features: Vec<Value> = stations
        .iter()
        .map(|s| {
            let readings: Vec<&ReadingView> = s.latest.iter().collect();
            let latest = readings.first().map(|r| r.time);
            let state = match assess::status(&s.station, &readings, scale) {
                Status::Air(result) => aqi_json(result),
                Status::Water(assessment) => water_json(assessment),
                Status::NoData => json!(null),
            };
            json!({
                "type": "Feature",
                "geometry": { "type": "Point", "coordinates": [s.station.lon, s.station.lat] },
                "properties": {
                    "code": s.station.code,
                    "name": s.station.name,
                    "kind": s.station.kind,
                    "district": s.station.district,
                    "water_body": s.station.water_body.map(|w| w.as_str()),
                    "river": s.station.river,
                    "position_approximate": s.station.approximate,
                    "latest_time": latest.map(|t| iso(t, &site)),
                    "source": assess::combined_source(&readings),
                    "latest": state,
                }
            })
        })
        .collect();
    Ok(Json(
        json!({ "type": "FeatureCollection", "features": features }),
    ))
}

fn aqi_json(result: Result<AqiReport, NoAqi>) -> Value {
    match result {
        Ok(r) => json!({
            "scale": r.scale.as_str(),
            "aqi": r.aqi,
            "category": {
                "level": r.category.level,
                "name_zh": r.category.name_zh,
                "name_en": r.category.name_en,
                "color": r.category.color,
            },
            "primary_pollutants": r.primary.iter().map(|p| pollutant_code(*p)).collect::<Vec<_>>(),
            "sub_indices": r.sub_indices.iter().map(|s| json!({
                "pollutant": pollutant_code(s.pollutant),
                "iaqi": s.iaqi,
                "concentration": s.concentration,
                "unit": s.unit.ascii(),
                "averaging": s.averaging,
                "note": s.note,
            })).collect::<Vec<_>>(),
        }),
        Err(reason) => json!({
            "aqi": null,
            "reason_zh": reason.reason_zh(),
            "reason_en": reason.reason_en(),
        }),
    }
}

/// Pollutants are named as the parameters of their 1-hour values, as in the readings API.
fn pollutant_code(p: Pollutant) -> &'static str {
    match p {
        Pollutant::So2 => Parameter::So2.code(),
        Pollutant::No2 => Parameter::No2.code(),
        Pollutant::Co => Parameter::Co.code(),
        Pollutant::O3 => Parameter::O3.code(),
        Pollutant::Pm10 => Parameter::Pm10.code(),
        Pollutant::Pm25 => Parameter::Pm25.code(),
    }
}

/// Water items are named as their parameters where Daylight stores one (pH, DO, NH3-N…).
fn water_item_code(item: WaterItem) -> String {
    match item.parameter() {
        Some(p) => p.code().to_string(),
        None => serde_json::to_value(item)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
    }
}

fn water_json(assessment: Option<WaterAssessment>) -> Value {
    match assessment {
        Some(a) => json!({
            "standard": "GB 3838-2002",
            "class": a.class.roman(),
            "class_zh": a.class.label_zh(),
            "color": a.class.color(),
            "deciding_items": a.deciding.iter().map(|i| water_item_code(*i)).collect::<Vec<_>>(),
            "items": a.items.iter().map(|i| json!({
                "item": water_item_code(i.item), "value": i.value, "class": i.class.roman(),
            })).collect::<Vec<_>>(),
            "missing_items": a.missing.iter().map(|i| water_item_code(*i)).collect::<Vec<_>>(),
            "invalid_items": a.invalid.iter().map(|i| water_item_code(*i)).collect::<Vec<_>>(),
            "total_nitrogen": a.total_nitrogen.map(|tn| json!({
                "value": tn.value, "class": tn.class.roman(),
            })),
        }),
        None => json!({ "class": null }),
    }
}

pub(super) async fn find_station(
    site: &SiteContext,
    code: &str,
    lang: ApiLang,
) -> Result<Station, ApiError> {
    let parsed =
        StationCode::parse(code).map_err(|_| ApiError::unknown_station(code).in_lang(lang))?;
    site.store
        .station(&parsed)
        .await
        .map_err(|e| ApiError::from(e).in_lang(lang))?
        .ok_or_else(|| ApiError::unknown_station(code).in_lang(lang))
}

fn parse_time(name: &str, raw: &str) -> Result<DateTime<Utc>, ApiError> {
    DateTime::parse_from_rfc3339(raw)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            ApiError::bad_parameter(
                name,
                format!("应为带时区的 ISO 8601 时间，例如 2022-01-01T00:00:00+08:00，而不是“{raw}”"),
                format!("expected an ISO 8601 time with offset, e.g. 2022-01-01T00:00:00+08:00, not '{raw}'"),
            )
        })
}

/// The requested range; without one, the window ending at the station's latest value.
pub(super) async fn resolve_range(
    site: &SiteContext,
    station: &Station,
    query: &RangeQuery,
) -> Result<TimeRange, ApiError> {
    let default_hours = i64::from(data::window_hours(station.kind));
    let to = match (&query.to, &query.from) {
        (Some(raw), _) => parse_time("to", raw)?,
        // An open-ended range ("everything since …") runs until now.
        (None, Some(_)) => Utc::now() + Duration::seconds(1),
        (None, None) => match site.store.latest_time(&station.code).await? {
            Some(latest) => latest + Duration::seconds(1),
            None => Utc::now(),
        },
    };
    let from = match &query.from {
        Some(raw) => parse_time("from", raw)?,
        None => to - Duration::hours(default_hours),
    };
    if from >= to {
        return Err(ApiError::bad_parameter(
            "from",
            "开始时间必须早于结束时间".into(),
            "must be earlier than 'to'".into(),
        ));
    }
    if to - from > Duration::days(MAX_RANGE_DAYS) {
        return Err(ApiError::bad_parameter(
            "to",
            format!("时间范围不能超过 {MAX_RANGE_DAYS} 天"),
            format!("the range may not exceed {MAX_RANGE_DAYS} days"),
        ));
    }
    Ok(TimeRange { from, to })
}

pub(super) fn query_or_400(
    query: Result<Query<RangeQuery>, QueryRejection>,
) -> Result<RangeQuery, ApiError> {
    query.map(|Query(q)| q).map_err(|e| {
        ApiError::bad_parameter(
            "query",
            format!("无法解析：{e}"),
            format!("cannot be parsed: {e}"),
        )
    })
}

/// What every per-station endpoint starts from: the station, the resolved window and its
/// readings. `kind` is the station kind the endpoint serves, if it serves only one.
struct Window {
    station: Station,
    query: RangeQuery,
    range: TimeRange,
    readings: Vec<ReadingView>,
}

async fn station_window(
    site: &SiteContext,
    code: Result<Path<String>, PathRejection>,
    query: Result<Query<RangeQuery>, QueryRejection>,
    lang: ApiLang,
    kind: Option<StationKind>,
) -> Result<Window, ApiError> {
    // A code that is not even UTF-8 names no station.
    let code = code.map(|Path(c)| c).unwrap_or_default();
    let query = query_or_400(query)?;
    let station = find_station(site, &code, lang).await?;
    match kind {
        Some(StationKind::Air) if station.kind != StationKind::Air => {
            return Err(ApiError::wrong_kind(&code, "空气站", "an air station"))
        }
        Some(StationKind::Water) if station.kind != StationKind::Water => {
            return Err(ApiError::wrong_kind(&code, "水质断面", "a water section"))
        }
        _ => {}
    }
    let parameter = parse_parameter(&query)?;
    let range = resolve_range(site, &station, &query).await?;
    let readings = site
        .store
        .readings(&station.code, range, parameter)
        .await?
        .iter()
        .map(data::reading_view)
        .collect();
    Ok(Window {
        station,
        query,
        range,
        readings,
    })
}

/// The `parameter` filter of a range query, if any.
pub(super) fn parse_parameter(query: &RangeQuery) -> Result<Option<Parameter>, ApiError> {
    match query.parameter.as_deref() {
        None | Some("") => Ok(None),
        Some(raw) => raw.parse::<Parameter>().map(Some).map_err(|_| {
            ApiError::bad_parameter(
                "parameter",
                format!("未知的监测项目“{raw}”"),
                format!("unknown parameter '{raw}'"),
            )
        }),
    }
}

/// One JSON entry per hour of the window, each with its time and combined source.
fn per_hour(
    window: &Window,
    site: &SiteContext,
    entry: impl Fn(&[&ReadingView]) -> Value,
) -> Vec<Value> {
    assess::by_hour(&window.readings)
        .iter()
        .map(|(time, readings)| {
            let mut value = entry(readings);
            if let Some(obj) = value.as_object_mut() {
                obj.insert("time".into(), json!(iso(*time, site)));
                obj.insert("source".into(), json!(assess::combined_source(readings)));
            }
            value
        })
        .collect()
}

/// `GET /api/v1/stations/{code}/readings?from&to&parameter`
pub async fn readings(
    State(site): State<SiteContext>,
    code: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    query: Result<Query<RangeQuery>, QueryRejection>,
) -> ApiResult {
    let lang = ApiLang::from_headers(&headers);
    let w = station_window(&site, code, query, lang, None)
        .await
        .map_err(|e| e.in_lang(lang))?;
    Ok(Json(json!({
        "station": w.station.code,
        "from": iso(w.range.from, &site),
        "to": iso(w.range.to, &site),
        "readings": w.readings.iter().map(|r| {
            let mut reading = json!({
                "time": iso(r.time, &site),
                "parameter": r.parameter.code(),
                "value": r.value,
                "unit": r.parameter.unit().ascii(),
                "flag": r.flag.code().to_string(),
                "source": r.source,
            });
            if !r.provenance.is_empty() {
                reading["provenance"] = json!(r.provenance);
            }
            reading
        }).collect::<Vec<_>>(),
    })))
}

/// `GET /api/v1/stations/{code}/aqi?from&to&scale`: the AQI of every hour, or why there is none.
pub async fn aqi(
    State(site): State<SiteContext>,
    code: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    query: Result<Query<RangeQuery>, QueryRejection>,
) -> ApiResult {
    let lang = ApiLang::from_headers(&headers);
    let run = async {
        let w = station_window(&site, code, query, lang, Some(StationKind::Air)).await?;
        let scale = resolve_scale(&site, w.query.scale.as_deref())?;
        let hours = per_hour(&w, &site, |readings| {
            aqi_json(assess::air_status(readings, scale))
        });
        Ok(Json(json!({
            "station": w.station.code,
            "scale": scale.as_str(),
            "standard": match scale {
                AqiScale::Hj633 => "HJ 633-2012 (real-time report)",
                AqiScale::UsEpa => "US EPA AQI, 2024 revision (1-hour values; not NowCast)",
            },
            "from": iso(w.range.from, &site),
            "to": iso(w.range.to, &site),
            "hours": hours,
        })))
    };
    run.await.map_err(|e: ApiError| e.in_lang(lang))
}

/// `GET /api/v1/water/{code}/class?from&to`: the GB 3838 class of every sample.
pub async fn water_class(
    State(site): State<SiteContext>,
    code: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    query: Result<Query<RangeQuery>, QueryRejection>,
) -> ApiResult {
    let lang = ApiLang::from_headers(&headers);
    let w = station_window(&site, code, query, lang, Some(StationKind::Water))
        .await
        .map_err(|e| e.in_lang(lang))?;
    let body = w.station.water_body.unwrap_or(WaterBody::River);
    let samples = per_hour(&w, &site, |readings| {
        water_json(assess::water_status(readings, body))
    });
    Ok(Json(json!({
        "station": w.station.code,
        "water_body": body.as_str(),
        "judgement": "automatic (pH, DO, CODMn, NH3-N, TP)",
        "from": iso(w.range.from, &site),
        "to": iso(w.range.to, &site),
        "samples": samples,
    })))
}

/// `GET /api/v1/districts[?simplify=DEGREES]`: boundaries as GeoJSON (WGS-84).
pub async fn districts(
    State(site): State<SiteContext>,
    headers: HeaderMap,
    query: Result<Query<DistrictQuery>, QueryRejection>,
) -> ApiResult {
    let lang = ApiLang::from_headers(&headers);
    let Query(query) = query.map_err(|e| {
        ApiError::bad_parameter(
            "query",
            format!("无法解析：{e}"),
            format!("cannot be parsed: {e}"),
        )
        .in_lang(lang)
    })?;
    let tolerance = match query.simplify.as_deref() {
        None | Some("") => None,
        Some(raw) => match raw.parse::<f64>() {
            Ok(t) if (0.0..=0.1).contains(&t) => Some(t),
            _ => {
                return Err(ApiError::bad_parameter(
                    "simplify",
                    format!("应为 0 到 0.1 之间的度数，而不是“{raw}”"),
                    format!("expected degrees between 0 and 0.1, not '{raw}'"),
                )
                .in_lang(lang))
            }
        },
    };
    let districts = site
        .store
        .districts()
        .await
        .map_err(|e| ApiError::from(e).in_lang(lang))?;
    let decimals = if tolerance.is_some() { 5 } else { 6 };
    let features: Vec<Value> = districts
        .iter()
        .map(|d| {
            let boundary = match tolerance {
                Some(t) => d.boundary.simplify(t),
                None => d.boundary.clone(),
            };
            let coordinates: Vec<Value> = boundary
                .0
                .iter()
                .map(|polygon| {
                    let ring = |points: &Vec<daylight_domain::geo::LonLat>| {
                        Value::Array(points.iter().map(|p| json!([round_to(p.lon, decimals), round_to(p.lat, decimals)])).collect())
                    };
                    let mut rings = vec![ring(&polygon.exterior)];
                    rings.extend(polygon.holes.iter().map(ring));
                    Value::Array(rings)
                })
                .collect();
            json!({
                "type": "Feature",
                "properties": { "adcode": d.adcode, "name": d.name, "center": [d.center.lon, d.center.lat] },
                "geometry": { "type": "MultiPolygon", "coordinates": coordinates },
            })
        })
        .collect();
    Ok(Json(
        json!({ "type": "FeatureCollection", "features": features }),
    ))
}

/// Rounds a coordinate; 6 decimals is 0.1 m, 5 decimals (for simplified shapes) 1 m.
fn round_to(v: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (v * scale).round() / scale
}
