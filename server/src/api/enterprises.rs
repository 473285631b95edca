//! Enterprises, their outlets' latest values against limits, readings and exceedances
//! (issue 5; documented in docs/api.md).

use std::collections::HashSet;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::Json;
use chrono::{DateTime, Duration, Utc};
use daylight_app::data::SiteContext;
use daylight_app::enterprise::data::{
    enterprise_list, enterprise_page, enterprise_readings, enterprise_statements,
};
use daylight_app::enterprise::{EnterprisePageData, LatestValue, MonitoredView, StatementView};
use daylight_domain::enterprise::Pollutant;
use daylight_store::TimeRange;
use serde::Deserialize;
use serde_json::{json, Value};

use super::stations::iso;
use super::{ApiError, ApiLang};

type ApiResult = Result<Json<Value>, ApiError>;

/// What every value of an enterprise is, said in every response.
const NOTICE: &str = "企业自行监测，未经审核 / self-reported, not audited";
const MAX_RANGE_DAYS: i64 = 366;
const DEFAULT_HOURS: i64 = 48;
/// Manual results looked up for a readings window (lab results are monthly or rarer).
const MAX_MANUAL: u32 = 100_000;

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    q: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ReadingsQuery {
    from: Option<String>,
    to: Option<String>,
    outlet: Option<String>,
    pollutant: Option<String>,
}

fn bad_query(e: QueryRejection) -> ApiError {
    ApiError::bad_parameter(
        "query",
        format!("无法解析：{e}"),
        format!("cannot be parsed: {e}"),
    )
}

fn path_code(code: Result<Path<String>, PathRejection>) -> String {
    code.map(|Path(c)| c).unwrap_or_default()
}

/// `GET /api/v1/enterprises`: the register, optionally searched with `q`.
pub async fn list(
    State(site): State<SiteContext>,
    headers: HeaderMap,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> ApiResult {
    let lang = ApiLang::from_headers(&headers);
    let Query(query) = query.map_err(|e| bad_query(e).in_lang(lang))?;
    let list = enterprise_list(
        site.store.as_ref(),
        query.q.as_deref().unwrap_or(""),
        Utc::now(),
        site.utc_offset_minutes,
    )
    .await
    .map_err(|e| ApiError::from(e).in_lang(lang))?;
    let rows: Vec<Value> = list
        .rows
        .iter()
        .map(|e| {
            json!({
                "credit_code": e.credit_code,
                "name": e.name,
                "district": e.district,
                "industry": e.industry,
                "demo": e.demo,
                "exceeding_now": e.exceeding_now,
                "latest_time": e.latest_time.map(|t| iso(t, &site)),
            })
        })
        .collect();
    Ok(Json(json!({
        "notice": NOTICE,
        "query": list.query,
        "total": list.total,
        "enterprises": rows,
    })))
}

async fn page(
    site: &SiteContext,
    code: &str,
    lang: ApiLang,
) -> Result<EnterprisePageData, ApiError> {
    enterprise_page(
        site.store.as_ref(),
        code,
        Utc::now(),
        site.utc_offset_minutes,
    )
    .await
    .map_err(|e| ApiError::from(e).in_lang(lang))?
    .ok_or_else(|| ApiError::unknown_enterprise(code).in_lang(lang))
}

fn latest_json(l: &LatestValue, site: &SiteContext) -> Value {
    json!({
        "time": iso(l.time, site),
        "value": l.value,
        "ratio": l.ratio,
        "exceedance_multiple": l.multiple,
        "flag": l.flag.code().to_string(),
        "source": l.source.as_str(),
    })
}

fn monitored_json(m: &MonitoredView, site: &SiteContext) -> Value {
    json!({
        "pollutant": m.pollutant.as_str(),
        "name_zh": m.pollutant.name_zh(),
        "name_en": m.pollutant.name_en(),
        "limit": {
            "value": m.limit,
            "unit": m.unit.symbol(),
            "standard": m.standard,
            "averaging": m.averaging.as_str(),
        },
        "method": m.method.as_str(),
        "frequency": m.frequency.as_str(),
        "latest": m.latest.as_ref().map(|l| latest_json(l, site)),
        "exceeding_now": m.exceeding_now,
        "completeness": m.completeness.iter().map(|c| json!({
            "month": format!("{}-{:02}", c.year, c.month),
            "expected": c.expected,
            "received": c.received,
        })).collect::<Vec<_>>(),
    })
}

/// A statement (right of reply) as the API gives it: never edited; a correction is a new
/// statement with `corrects`.
fn statement_json(s: &StatementView, site: &SiteContext) -> Value {
    json!({
        "id": s.id,
        "kind": s.kind.as_str(),
        "kind_zh": s.kind.name_zh(),
        "kind_en": s.kind.name_en(),
        "body": s.body,
        "outlet": s.outlet,
        "period_from": s.period_from.map(|t| iso(t, site)),
        "period_to": s.period_to.map(|t| iso(t, site)),
        "corrects": s.corrects,
        "corrected_by": s.corrected_by,
        "author": s.author,
        "published": iso(s.created, site),
    })
}

/// `GET /api/v1/enterprises/{code}/statements`: the enterprise's statements, newest first.
pub async fn statements(
    State(site): State<SiteContext>,
    headers: HeaderMap,
    code: Result<Path<String>, PathRejection>,
) -> ApiResult {
    let lang = ApiLang::from_headers(&headers);
    let code = path_code(code);
    let (enterprise, list) = enterprise_statements(site.store.as_ref(), &code)
        .await
        .map_err(|e| ApiError::from(e).in_lang(lang))?
        .ok_or_else(|| ApiError::unknown_enterprise(&code).in_lang(lang))?;
    Ok(Json(json!({
        "notice": NOTICE,
        "credit_code": enterprise.credit_code.as_str(),
        "demo": enterprise.demo,
        "statements": list.iter().map(|s| statement_json(s, &site)).collect::<Vec<_>>(),
    })))
}

/// `GET /api/v1/enterprises/{code}`: the enterprise, its outlets, the latest value of each
/// monitored pollutant against its limit, and the completeness per month.
pub async fn detail(
    State(site): State<SiteContext>,
    headers: HeaderMap,
    code: Result<Path<String>, PathRejection>,
) -> ApiResult {
    let lang = ApiLang::from_headers(&headers);
    let p = page(&site, &path_code(code), lang).await?;
    let i = &p.info;
    let outlets: Vec<Value> = p
        .outlets
        .iter()
        .map(|o| {
            json!({
                "code": o.code,
                "name": o.name,
                "kind": o.kind.as_str(),
                "stack_height_m": o.stack_height,
                "monitored": o.monitored.iter().map(|m| monitored_json(m, &site)).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(Json(json!({
        "notice": NOTICE,
        "credit_code": i.credit_code,
        "name": i.name,
        "permit_number": i.permit_number,
        "industry": i.industry,
        "district": i.district,
        "address": i.address,
        "position": i.position.map(|(lon, lat)| json!({ "lon": lon, "lat": lat })),
        "key_unit": i.key_unit,
        "demo": i.demo,
        "provenance": i.provenance,
        "sources": p.sources.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        "exceeding_now": p.exceeding_now,
        "exceedance_count": p.exceedances.len(),
        "window": { "from": iso(p.from, &site), "to": iso(p.now, &site) },
        "outlets": outlets,
        "manual_results": p.manual_results.iter().map(|m| json!({
            "outlet": m.outlet,
            "pollutant": m.pollutant.as_str(),
            "time": iso(m.time, &site),
            "value": m.value,
            "unit": m.unit.symbol(),
            "method": "manual",
            "source": "self_reported",
            "lab_note": m.lab_note,
            "uploaded": iso(m.uploaded, &site),
        })).collect::<Vec<_>>(),
        "statements": p.statements.iter().map(|s| statement_json(s, &site)).collect::<Vec<_>>(),
    })))
}

/// `GET /api/v1/enterprises/{code}/exceedances`: the events of the last 366 days, newest
/// first.
pub async fn exceedances(
    State(site): State<SiteContext>,
    headers: HeaderMap,
    code: Result<Path<String>, PathRejection>,
) -> ApiResult {
    let lang = ApiLang::from_headers(&headers);
    let p = page(&site, &path_code(code), lang).await?;
    let events: Vec<Value> = p
        .exceedances
        .iter()
        .map(|e| {
            json!({
                "outlet": e.outlet,
                "pollutant": e.pollutant.as_str(),
                "averaging": e.averaging.as_str(),
                "limit": e.limit,
                "unit": e.unit.symbol(),
                "start": iso(e.start, &site),
                "end": iso(e.end, &site),
                "values": e.values,
                "peak": e.peak,
                "exceedance_multiple": e.multiple,
            })
        })
        .collect();
    Ok(Json(json!({
        "notice": NOTICE,
        "credit_code": p.info.credit_code,
        "demo": p.info.demo,
        "window": { "from": iso(p.from, &site), "to": iso(p.now, &site) },
        "exceedances": events,
    })))
}

fn parse_time(name: &str, raw: &str) -> Result<DateTime<Utc>, ApiError> {
    DateTime::parse_from_rfc3339(&raw.replacen(' ', "T", 1))
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            ApiError::bad_parameter(
                name,
                format!("应为带时区的 ISO 8601 时间，例如 2022-01-01T00:00:00+08:00，而不是“{raw}”"),
                format!("expected an ISO 8601 time with offset, e.g. 2022-01-01T00:00:00+08:00, not '{raw}'"),
            )
        })
}

fn range(query: &ReadingsQuery) -> Result<TimeRange, ApiError> {
    let to = match &query.to {
        Some(raw) => parse_time("to", raw)?,
        None => Utc::now() + Duration::seconds(1),
    };
    let from = match &query.from {
        Some(raw) => parse_time("from", raw)?,
        None => to - Duration::hours(DEFAULT_HOURS),
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

/// `GET /api/v1/enterprises/{code}/readings`: outlet values in a window (default: the last
/// 48 hours), optionally of one outlet and one pollutant.
pub async fn readings(
    State(site): State<SiteContext>,
    headers: HeaderMap,
    code: Result<Path<String>, PathRejection>,
    query: Result<Query<ReadingsQuery>, QueryRejection>,
) -> ApiResult {
    let lang = ApiLang::from_headers(&headers);
    let code = path_code(code);
    let Query(query) = query.map_err(|e| bad_query(e).in_lang(lang))?;
    let range = range(&query).map_err(|e| e.in_lang(lang))?;
    let pollutant = match query.pollutant.as_deref() {
        None | Some("") => None,
        Some(raw) => Some(raw.parse::<Pollutant>().map_err(|_| {
            ApiError::bad_parameter(
                "pollutant",
                format!("未知的污染物代码“{raw}”"),
                format!("unknown pollutant code '{raw}'"),
            )
            .in_lang(lang)
        })?),
    };
    let (enterprise, values) = enterprise_readings(site.store.as_ref(), &code, range)
        .await
        .map_err(|e| ApiError::from(e).in_lang(lang))?
        .ok_or_else(|| ApiError::unknown_enterprise(&code).in_lang(lang))?;
    // Which values are lab results entered through an account (the provenance table).
    let manual: HashSet<(String, Pollutant, DateTime<Utc>)> = site
        .store
        .manual_results(&enterprise.credit_code, range.from, MAX_MANUAL)
        .await
        .map_err(|e| ApiError::from(e).in_lang(lang))?
        .into_iter()
        .map(|m| (m.outlet.to_string(), m.pollutant, m.time))
        .collect();
    let outlet = query.outlet.as_deref().filter(|o| !o.is_empty());
    let rows: Vec<Value> = values
        .iter()
        .filter(|r| outlet.is_none_or(|o| r.outlet.as_str() == o))
        .filter(|r| pollutant.is_none_or(|p| r.pollutant == p))
        .map(|r| {
            json!({
                "outlet": r.outlet.as_str(),
                "pollutant": r.pollutant.as_str(),
                "time": iso(r.time, &site),
                "value": r.value,
                "unit": r.unit.symbol(),
                "flag": r.flag.code().to_string(),
                "source": r.source.as_str(),
                "manual": manual.contains(&(r.outlet.to_string(), r.pollutant, r.time)),
            })
        })
        .collect();
    Ok(Json(json!({
        "notice": NOTICE,
        "credit_code": enterprise.credit_code.as_str(),
        "demo": enterprise.demo,
        "from": iso(range.from, &site),
        "to": iso(range.to, &site),
        "readings": rows,
    })))
}
