//! `POST /api/v1/ingest/readings`: hourly readings pushed over HTTP by a source holding a
//! token (`daylight token add`). Each item passes the same checks as a row of a CSV import
//! (`import::check_reading`) plus those of live data (on the hour, not in the future, only
//! `measured` or `replayed`); the valid ones are committed together through the
//! [`Ingestor`](crate::ingest::Ingestor), which also announces them live, and every item gets
//! its own result. An invalid item never holds back a valid one.
//!
//! A token restricted to some stations gets a per-item `station_not_allowed` for the others
//! rather than a 403 for the whole request, so that one stray item does not stop a feed.

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Duration, FixedOffset, Offset, Utc};
use daylight_domain::parameter::Parameter;
use daylight_domain::station::{DataSource, StationCode};
use daylight_store::{IngestSecret, IngestToken, Reading};
use futures_util::StreamExt;
use serde_json::{json, Map, Value};

use super::error::{ApiError, ApiLang};
use super::ApiState;
use crate::import::{check_reading, RawValue, ReadingError, ReadingFields, ReadingRules};

/// The largest body accepted. 5,000 readings take about 750 KB.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// The most readings in one request: one transaction should stay short, since it holds
/// SQLite's write lock against every other writer.
pub const MAX_READINGS: usize = 5_000;
/// How far ahead of the server's clock a value's time may be (the sender's clock may run
/// ahead a little).
pub const CLOCK_SKEW_MINUTES: i64 = 5;
/// A push carries live measurements or their replay; `simulated` belongs to the demo feed
/// and `self_reported` to enterprises' own channel.
const PUSH_SOURCES: &[DataSource] = &[DataSource::Measured, DataSource::Replayed];
/// The fields of an item: those of `GET /api/v1/stations/{code}/readings`, plus `station`.
/// `provenance` is accepted so that what GET returns can be pushed back, but it is the
/// server's to write: a pushed value's provenance names the token's source.
const FIELDS: [&str; 8] = [
    "station",
    "parameter",
    "time",
    "value",
    "unit",
    "flag",
    "source",
    "provenance",
];

pub async fn readings(State(state): State<ApiState>, headers: HeaderMap, body: Body) -> Response {
    let lang = ApiLang::from_headers(&headers);
    match push(&state, &headers, body, lang).await {
        Ok(answer) => Json(answer).into_response(),
        Err(error) => error.in_lang(lang).into_response(),
    }
}

/// Any other method on the push endpoint.
pub async fn method_not_allowed(headers: HeaderMap) -> ApiError {
    ApiError::post_only().in_lang(ApiLang::from_headers(&headers))
}

async fn push(
    state: &ApiState,
    headers: &HeaderMap,
    body: Body,
    lang: ApiLang,
) -> Result<Value, ApiError> {
    // Who is asking comes first: nothing else is looked at for a stranger.
    let token = authenticate(state, headers).await?;
    if !is_json(headers) {
        return Err(ApiError::not_json());
    }
    let bytes = read_body(headers, body).await?;
    let items = parse_items(&bytes)?;
    let known = state
        .ingestor
        .store()
        .stations()
        .await
        .map_err(ApiError::unavailable)?
        .into_iter()
        .map(|s| (s.code, s.kind))
        .collect();
    let rules = ReadingRules {
        default_source: DataSource::Measured,
        sources: PUSH_SOURCES,
        hourly_in: Some(zone(state.site.utc_offset_minutes)),
        not_after: Some(Utc::now() + Duration::minutes(CLOCK_SKEW_MINUTES)),
    };
    let checked = check_items(&items, &token, &known, &rules);
    let provenance = format!("HTTP push by {}", token.name);
    let readings: Vec<Reading> = checked
        .iter()
        .filter_map(|c| c.as_ref().ok())
        .map(|r| Reading {
            provenance: provenance.clone(),
            ..r.clone()
        })
        .collect();
    let stored = readings.len();
    if !readings.is_empty() {
        state
            .ingestor
            .commit(readings)
            .await
            .map_err(ApiError::unavailable)?;
    }
    let rejected = checked.len() - stored;
    tracing::info!(
        source = %token.name,
        stored,
        rejected,
        "readings pushed"
    );
    let results: Vec<Value> = checked
        .iter()
        .enumerate()
        .map(|(index, result)| match result {
            Ok(_) => json!({ "index": index, "status": "stored" }),
            Err(error) => {
                tracing::debug!(source = %token.name, index, error = %error.en(), "pushed reading rejected");
                json!({
                    "index": index,
                    "status": "rejected",
                    "error": {
                        "code": error.code(),
                        "message": match lang {
                            ApiLang::Zh => error.zh(),
                            ApiLang::En => error.en(),
                        },
                    },
                })
            }
        })
        .collect();
    Ok(json!({
        "stored": stored,
        "rejected": rejected,
        "results": results,
    }))
}

/// The deployment's offset, in which hourly values are on the hour.
fn zone(utc_offset_minutes: i32) -> FixedOffset {
    FixedOffset::east_opt(utc_offset_minutes.saturating_mul(60)).unwrap_or_else(|| Utc.fix())
}

/// The token of `Authorization: Bearer <token>`, looked up by its hash.
async fn authenticate(state: &ApiState, headers: &HeaderMap) -> Result<IngestToken, ApiError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Err(ApiError::token_missing());
    };
    let secret = value
        .to_str()
        .ok()
        .and_then(bearer)
        .and_then(IngestSecret::parse)
        .ok_or_else(ApiError::token_invalid)?;
    state
        .ingestor
        .store()
        .ingest_token_by_hash(&secret.hash())
        .await
        .map_err(ApiError::unavailable)?
        .ok_or_else(ApiError::token_invalid)
}

/// The credentials of a `Bearer` authorization (the scheme is case-insensitive, RFC 9110).
fn bearer(value: &str) -> Option<&str> {
    let (scheme, credentials) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| credentials.trim())
}

/// `Content-Type: application/json`, with or without parameters (`; charset=utf-8`).
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
}

/// How much of an oversize body is still read (and dropped) before answering 413.
///
/// Answering without reading what the client is still sending makes the server close a
/// socket with unread bytes, which the kernel turns into a connection reset; the reset can
/// destroy the 413 before the client reads it, leaving the sender with "connection reset"
/// instead of a reason. So a moderately oversize body is drained first. Only a client with a
/// valid token gets this far, and a body declared larger than this is refused at once.
const DRAIN_LIMIT: usize = 2 * MAX_BODY_BYTES;

/// The body, or a 413 when it exceeds [`MAX_BODY_BYTES`] (see [`DRAIN_LIMIT`]).
async fn read_body(headers: &HeaderMap, body: Body) -> Result<Vec<u8>, ApiError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > DRAIN_LIMIT as u64) {
        return Err(ApiError::body_too_large(MAX_BODY_BYTES));
    }
    let capacity = declared.map_or(0, |n| (n as usize).min(MAX_BODY_BYTES));
    let mut bytes = Vec::with_capacity(capacity);
    let mut received = 0usize;
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| {
            ApiError::bad_body(
                format!("无法读取请求体：{e}"),
                format!("the body could not be read: {e}"),
            )
        })?;
        received = received.saturating_add(chunk.len());
        if received > DRAIN_LIMIT {
            break;
        }
        if received <= MAX_BODY_BYTES {
            bytes.extend_from_slice(&chunk);
        }
    }
    if received > MAX_BODY_BYTES {
        return Err(ApiError::body_too_large(MAX_BODY_BYTES));
    }
    Ok(bytes)
}

/// The items of `{"readings": [...]}`; anything else is a 400 (or 413 for too many).
fn parse_items(bytes: &[u8]) -> Result<Vec<Value>, ApiError> {
    let body: Value = serde_json::from_slice(bytes).map_err(|e| {
        ApiError::malformed_json(
            e.line(),
            e.column(),
            e.classify() == serde_json::error::Category::Eof,
        )
    })?;
    let shape = || {
        ApiError::bad_body(
            r#"请求体应为 {"readings": [ … ]}"#.into(),
            r#"the body must be {"readings": [ … ]}"#.into(),
        )
    };
    let Value::Object(mut body) = body else {
        return Err(shape());
    };
    if let Some(key) = body.keys().find(|k| k.as_str() != "readings") {
        return Err(ApiError::bad_body(
            format!(r#"请求体中有未知字段“{key}”，只应有 "readings""#),
            format!(r#"unknown field '{key}' in the body; only "readings" is expected"#),
        ));
    }
    let Some(Value::Array(items)) = body.remove("readings") else {
        return Err(shape());
    };
    if items.len() > MAX_READINGS {
        return Err(ApiError::too_many_readings(items.len(), MAX_READINGS));
    }
    Ok(items)
}

/// Why one pushed item is not stored.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemError {
    /// The item is not an object with the expected fields and types.
    Shape(Shape),
    /// The station is not among those the token may write.
    StationNotAllowed(StationCode),
    /// The same station, parameter and time as an earlier item of the request.
    Duplicate {
        station: StationCode,
        parameter: Parameter,
        time: DateTime<Utc>,
        first: usize,
    },
    Reading(ReadingError),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    NotAnObject,
    Missing(&'static str),
    NotAString(&'static str),
    NotANumber(&'static str),
    UnknownField(String),
}

impl ItemError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Shape(_) => "bad_item",
            Self::StationNotAllowed(_) => "station_not_allowed",
            Self::Duplicate { .. } => "duplicate",
            Self::Reading(e) => e.code(),
        }
    }

    pub fn en(&self) -> String {
        match self {
            Self::Shape(Shape::NotAnObject) => "an item must be a JSON object".into(),
            Self::Shape(Shape::Missing(field)) => format!("'{field}' is missing"),
            Self::Shape(Shape::NotAString(field)) => format!("'{field}' must be a string"),
            Self::Shape(Shape::NotANumber(field)) => format!("'{field}' must be a number"),
            Self::Shape(Shape::UnknownField(field)) => {
                format!("unknown field '{field}'; an item has {}", FIELDS.join(", "))
            }
            Self::StationNotAllowed(code) => {
                format!("this token may not write station '{code}'")
            }
            Self::Duplicate {
                station,
                parameter,
                time,
                first,
            } => format!(
                "a second value for {station} {} at {} (the first is item {first})",
                parameter.code(),
                time.to_rfc3339()
            ),
            Self::Reading(e) => e.en(),
        }
    }

    pub fn zh(&self) -> String {
        match self {
            Self::Shape(Shape::NotAnObject) => "每条数据应为一个 JSON 对象".into(),
            Self::Shape(Shape::Missing(field)) => format!("缺少字段“{field}”"),
            Self::Shape(Shape::NotAString(field)) => format!("字段“{field}”应为字符串"),
            Self::Shape(Shape::NotANumber(field)) => format!("字段“{field}”应为数字"),
            Self::Shape(Shape::UnknownField(field)) => {
                format!("未知字段“{field}”，每条数据的字段为 {}", FIELDS.join("、"))
            }
            Self::StationNotAllowed(code) => format!("此令牌无权写入站点“{code}”"),
            Self::Duplicate {
                station,
                parameter,
                time,
                first,
            } => format!(
                "{station} {} 在 {} 的数据重复（与第 {first} 条相同）",
                parameter.code(),
                time.to_rfc3339()
            ),
            Self::Reading(e) => e.zh(),
        }
    }
}

/// Checks every item in order: the same station, parameter and time twice is an error on
/// the second (as in a CSV file), so a request cannot say two things about one fact.
fn check_items(
    items: &[Value],
    token: &IngestToken,
    known: &HashMap<StationCode, daylight_domain::station::StationKind>,
    rules: &ReadingRules,
) -> Vec<Result<Reading, ItemError>> {
    let mut seen: HashMap<(StationCode, Parameter, DateTime<Utc>), usize> = HashMap::new();
    items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let fields = item_fields(item).map_err(ItemError::Shape)?;
            // The token's scope before anything else, so that a restricted source learns
            // nothing about stations it may not write.
            if let Ok(code) = StationCode::parse(fields.station) {
                if !token.scope.allows(&code) {
                    return Err(ItemError::StationNotAllowed(code));
                }
            }
            let reading = check_reading(&fields, known, rules).map_err(ItemError::Reading)?;
            let key = (reading.station.clone(), reading.parameter, reading.time);
            if let Some(&first) = seen.get(&key) {
                return Err(ItemError::Duplicate {
                    station: key.0,
                    parameter: key.1,
                    time: key.2,
                    first,
                });
            }
            seen.insert(key, index);
            Ok(reading)
        })
        .collect()
}

/// The fields of one item, typed as JSON allows: strings, a number, optional `flag` and
/// `source` (`null` = absent). Unknown fields are refused, so that a misspelt `flag` is not
/// silently taken as `N`.
fn item_fields(item: &Value) -> Result<ReadingFields<'_>, Shape> {
    let Value::Object(object) = item else {
        return Err(Shape::NotAnObject);
    };
    if let Some(key) = object.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(Shape::UnknownField(key.clone()));
    }
    let text = |field: &'static str| match object.get(field) {
        None | Some(Value::Null) => Err(Shape::Missing(field)),
        Some(Value::String(s)) => Ok(s.as_str()),
        Some(_) => Err(Shape::NotAString(field)),
    };
    let optional = |field: &'static str| match object.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str())),
        Some(_) => Err(Shape::NotAString(field)),
    };
    Ok(ReadingFields {
        station: text("station")?,
        parameter: text("parameter")?,
        time: text("time")?,
        value: number(object, "value")?,
        unit: text("unit")?,
        flag: optional("flag")?,
        source: optional("source")?,
    })
}

fn number(object: &Map<String, Value>, field: &'static str) -> Result<RawValue<'static>, Shape> {
    match object.get(field) {
        None | Some(Value::Null) => Err(Shape::Missing(field)),
        Some(Value::Number(n)) => n
            .as_f64()
            .map(RawValue::Number)
            .ok_or(Shape::NotANumber(field)),
        Some(_) => Err(Shape::NotANumber(field)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use daylight_domain::station::StationKind;
    use daylight_store::{SourceName, StationScope};

    fn token(scope: StationScope) -> IngestToken {
        IngestToken {
            name: SourceName::parse("feed").unwrap(),
            scope,
            created: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
        }
    }

    fn known() -> HashMap<StationCode, StationKind> {
        [("1462A", StationKind::Air), ("1463A", StationKind::Air)]
            .iter()
            .map(|(c, k)| (StationCode::parse(c).unwrap(), *k))
            .collect()
    }

    fn rules() -> ReadingRules {
        ReadingRules {
            default_source: DataSource::Measured,
            sources: PUSH_SOURCES,
            hourly_in: FixedOffset::east_opt(8 * 3600),
            not_after: Some(Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap()),
        }
    }

    fn item(station: &str, time: &str) -> Value {
        json!({"station": station, "parameter": "PM2.5", "time": time, "value": 35.0, "unit": "ug/m3"})
    }

    fn codes(results: &[Result<Reading, ItemError>]) -> Vec<&'static str> {
        results
            .iter()
            .map(|r| r.as_ref().map_or_else(|e| e.code(), |_| "stored"))
            .collect()
    }

    #[test]
    fn items_are_checked_one_by_one() {
        let items = vec![
            item("1462A", "2026-11-30T08:00:00+08:00"),
            json!("not an object"),
            json!({"station": "1462A", "parameter": "PM2.5", "time": "2026-11-30T08:00:00+08:00", "value": "35", "unit": "ug/m3"}),
            json!({"station": "1462A", "parameter": "PM2.5", "time": "2026-11-30T08:00:00+08:00", "unit": "ug/m3"}),
            json!({"station": 1462, "parameter": "PM2.5", "time": "2026-11-30T08:00:00+08:00", "value": 1, "unit": "ug/m3"}),
            json!({"station": "1462A", "parameter": "PM2.5", "time": "2026-11-30T09:00:00+08:00", "value": 1, "unit": "ug/m3", "flg": "D"}),
            json!({"station": "1462A", "parameter": "CO", "time": "2026-11-30T08:00:00+08:00", "value": 1, "unit": "mg/m3", "flag": null, "source": null}),
            json!({"station": "1462A", "parameter": "CO", "time": "2026-11-30T08:00:00+08:00", "value": 1, "unit": "mg/m3", "flag": 7}),
            item("1462A", "2026-11-30T00:00:00Z"),
            item("1462A", "2026-11-30T08:30:00+08:00"),
        ];
        let results = check_items(&items, &token(StationScope::All), &known(), &rules());
        assert_eq!(
            codes(&results),
            vec![
                "stored",
                "bad_item",
                "bad_item",
                "bad_item",
                "bad_item",
                "bad_item",
                "stored",
                "bad_item",
                "duplicate",
                "not_on_the_hour",
            ]
        );
        let duplicate = results[8].as_ref().unwrap_err();
        assert_eq!(
            duplicate.en(),
            "a second value for 1462A PM2.5 at 2026-11-30T00:00:00+00:00 (the first is item 0)"
        );
        assert_eq!(results[2].as_ref().unwrap_err().zh(), "字段“value”应为数字");
        assert!(results[5].as_ref().unwrap_err().en().contains("'flg'"));
    }

    #[test]
    fn a_restricted_token_writes_only_its_stations() {
        let scope = StationScope::Only([StationCode::parse("1463A").unwrap()].into());
        let items = vec![
            item("1462A", "2026-11-30T08:00:00+08:00"),
            item("1463A", "2026-11-30T08:00:00+08:00"),
            // Unknown stations are not revealed to a restricted token.
            item("9999A", "2026-11-30T08:00:00+08:00"),
            item("bad/code", "2026-11-30T08:00:00+08:00"),
        ];
        let results = check_items(&items, &token(scope), &known(), &rules());
        assert_eq!(
            codes(&results),
            vec![
                "station_not_allowed",
                "stored",
                "station_not_allowed",
                "bad_station_code"
            ]
        );
    }

    #[test]
    fn the_authorization_header_is_read_as_rfc_6750_says() {
        assert_eq!(bearer("Bearer abc"), Some("abc"));
        assert_eq!(bearer("bearer  abc "), Some("abc"));
        assert_eq!(bearer("Basic abc"), None);
        assert_eq!(bearer("Bearer"), None);
        assert_eq!(bearer(""), None);
    }

    #[test]
    fn only_json_bodies_are_read() {
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::CONTENT_TYPE, value.parse().unwrap());
            is_json(&headers)
        };
        assert!(with("application/json"));
        assert!(with("Application/JSON; charset=utf-8"));
        assert!(!with("text/plain"));
        assert!(!with("application/jsonp"));
        assert!(!is_json(&HeaderMap::new()));
    }

    #[test]
    fn the_body_must_be_an_object_with_readings() {
        let code = |body: &str| match parse_items(body.as_bytes()) {
            Ok(items) => format!("ok {}", items.len()),
            Err(e) => format!("{e:?}"),
        };
        assert_eq!(code(r#"{"readings": []}"#), "ok 0");
        assert_eq!(code(r#"{"readings": [1, 2]}"#), "ok 2");
        assert!(code("{").contains("malformed_json"));
        assert!(code("").contains("malformed_json"));
        assert!(code("[]").contains("bad_body"));
        assert!(code(r#"{"readings": {}}"#).contains("bad_body"));
        assert!(code(r#"{"readings": [], "station": "1462A"}"#).contains("bad_body"));
        let many = format!(
            r#"{{"readings": [{}]}}"#,
            vec!["{}"; MAX_READINGS + 1].join(",")
        );
        assert!(code(&many).contains("too_many_readings"));
    }
}
