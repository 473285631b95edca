//! Atom feeds (RFC 4287; docs/open-data.md): `/feeds/alerts.atom` and
//! `/feeds/complaints.atom`. Feed readers, newsroom dashboards and city systems poll them
//! instead of the pages.
//!
//! Every entry is computed from stored data on each (micro-cached) request, not kept in a
//! table of its own: the alerts are a view over the last 7 days of readings, outlet values
//! and assessments, so there is nothing to migrate or keep in step. Ids are `tag:` URIs built
//! from the kind, the code and the event's time, so the same event has the same id on every
//! fetch and a reader never shows it twice.

mod atom;
mod texts;

use std::collections::HashMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, Duration, DurationRound, SecondsFormat, Utc};
use daylight_app::assess;
use daylight_app::complaint::data::{district_names, register_entry};
use daylight_app::components::format_local;
use daylight_app::data::{reading_view, SiteContext};
use daylight_app::i18n::Lang;
use daylight_app::model::ReadingView;
use daylight_domain::enterprise::{
    daily_means, exceedances, exceedances_every, Averaging, CreditCode, Method,
};
use daylight_domain::station::{DataSource, StationCode, StationKind};
use daylight_domain::water::WaterBody;
use daylight_store::{EventKind, Station, TimeRange};
use serde::Deserialize;

use crate::api::{ApiError, ApiLang};
use atom::{Entry, Feed};
use texts::{texts, FeedTexts};

/// How far back the alerts feed looks.
const WINDOW_DAYS: i64 = 7;
/// Outlet values are read from further back, so that an event already running when the
/// window opens is not mistaken for one starting then.
const EXCEEDANCE_LOOKBACK_DAYS: i64 = 14;
/// Entries per feed, newest first.
const MAX_ENTRIES: usize = 100;
/// The default alert level: AQI 151 is where "unhealthy" (中度污染) begins on both scales.
const DEFAULT_LEVEL: u16 = 151;
/// The date part of every `tag:` id (RFC 4151): the year these ids were minted. Fixed, so
/// that ids never change.
const TAG_DATE: &str = "2026";
/// Readings arrive hourly; a minute of reuse in readers and CDNs costs little.
const CACHE_CONTROL: &str = "public, max-age=60";

pub fn router(site: SiteContext) -> Router {
    Router::new()
        .route("/feeds/alerts.atom", get(alerts))
        .route("/feeds/complaints.atom", get(complaints))
        .with_state(site)
}

#[derive(Debug, Default, Deserialize)]
pub struct FeedQuery {
    station: Option<String>,
    enterprise: Option<String>,
    lang: Option<String>,
    level: Option<String>,
}

/// What the request asked for, checked.
struct Request {
    base: String,
    lang: Lang,
    self_link: String,
}

fn prepare(
    site: &SiteContext,
    headers: &HeaderMap,
    query: &FeedQuery,
    path_and_query: &str,
) -> Result<Request, ApiError> {
    let base = site.base_url(headers).ok_or_else(|| {
        ApiError::bad_parameter(
            "Host",
            "无法确定本站地址（缺少 Host 请求头）".into(),
            "cannot tell this site's address (no Host header)".into(),
        )
    })?;
    let lang = query
        .lang
        .as_deref()
        .and_then(Lang::from_code)
        .unwrap_or_default();
    Ok(Request {
        self_link: format!("{base}{path_and_query}"),
        base,
        lang,
    })
}

/// The authority of the `tag:` ids: the portal's host name without port (a `:` would end
/// the authority).
fn authority(base: &str) -> &str {
    let host = base.split_once("://").map_or(base, |(_, rest)| rest);
    let host = host.split('/').next().unwrap_or(host);
    match host.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => host,
    }
}

fn tag(base: &str, specific: &str) -> String {
    format!("tag:{},{TAG_DATE}:{specific}", authority(base))
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn page_link(base: &str, path: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{base}{path}"),
        Lang::En => format!("{base}{path}?lang=en"),
    }
}

fn atom_response(feed: Feed) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/atom+xml; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static(CACHE_CONTROL),
            ),
        ],
        feed.to_xml(),
    )
        .into_response()
}

fn newest_first(mut entries: Vec<Entry>) -> Vec<Entry> {
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.id.cmp(&b.id)));
    entries.truncate(MAX_ENTRIES);
    entries
}

/// The feed's `updated`: its newest entry's, else the start of the current hour (so an
/// empty feed does not change, and get a new ETag, on every request).
fn feed_updated(entries: &[Entry], now: DateTime<Utc>) -> DateTime<Utc> {
    entries
        .first()
        .map(|e| e.updated)
        .unwrap_or_else(|| now.duration_trunc(Duration::hours(1)).unwrap_or(now))
}

fn bad_query(e: QueryRejection) -> ApiError {
    ApiError::bad_parameter(
        "query",
        format!("无法解析：{e}"),
        format!("cannot be parsed: {e}"),
    )
}

fn parse_level(raw: Option<&str>) -> Result<u16, ApiError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(DEFAULT_LEVEL),
        Some(raw) => match raw.parse::<u16>() {
            Ok(n) if (1..=500).contains(&n) => Ok(n),
            _ => Err(ApiError::bad_parameter(
                "level",
                format!("应为 1 到 500 之间的整数，而不是“{raw}”"),
                format!("expected a whole number from 1 to 500, not '{raw}'"),
            )),
        },
    }
}

/// `GET /feeds/alerts.atom[?station=CODE][&enterprise=CREDIT_CODE][&level=N][&lang=en]`.
/// With `station`, only that station's alerts; with `enterprise`, only that enterprise's;
/// with both, both; with neither, everything.
async fn alerts(
    State(site): State<SiteContext>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    query: Result<Query<FeedQuery>, QueryRejection>,
) -> Response {
    let lang = ApiLang::from_headers(&headers);
    match alerts_feed(&site, &headers, &uri, query).await {
        Ok(feed) => atom_response(feed),
        Err(e) => e.in_lang(lang).into_response(),
    }
}

async fn alerts_feed(
    site: &SiteContext,
    headers: &HeaderMap,
    uri: &axum::http::Uri,
    query: Result<Query<FeedQuery>, QueryRejection>,
) -> Result<Feed, ApiError> {
    let Query(query) = query.map_err(bad_query)?;
    let path = uri
        .path_and_query()
        .map_or("/feeds/alerts.atom", |p| p.as_str());
    let req = prepare(site, headers, &query, path)?;
    let level = parse_level(query.level.as_deref())?;
    let station = query
        .station
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let enterprise = query
        .enterprise
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let t = texts(req.lang);
    let now = Utc::now();
    let since = now - Duration::days(WINDOW_DAYS);
    let mut entries = Vec::new();

    if station.is_some() || enterprise.is_none() {
        let stations = match station {
            Some(code) => {
                let found = match StationCode::parse(code) {
                    Ok(c) => site.store.station(&c).await?,
                    Err(_) => None,
                };
                vec![found.ok_or_else(|| ApiError::unknown_station(code))?]
            }
            None => site.store.stations().await?,
        };
        for s in &stations {
            match s.kind {
                StationKind::Air => {
                    entries.extend(aqi_entries(site, &req, t, s, since, now, level).await?)
                }
                StationKind::Water => {
                    entries.extend(water_entries(site, &req, t, s, since, now).await?)
                }
            }
        }
    }
    if enterprise.is_some() || station.is_none() {
        let codes: Vec<CreditCode> = match enterprise {
            Some(code) => {
                let found = match CreditCode::parse(code) {
                    Ok(c) => site.store.enterprise(&c).await?.map(|e| e.credit_code),
                    Err(_) => None,
                };
                vec![found.ok_or_else(|| ApiError::unknown_enterprise(code))?]
            }
            None => site
                .store
                .enterprises()
                .await?
                .into_iter()
                .map(|e| e.credit_code)
                .collect(),
        };
        for code in &codes {
            entries.extend(exceedance_entries(site, &req, t, code, since, now).await?);
        }
    }

    let entries = newest_first(entries);
    Ok(Feed {
        id: tag(&req.base, "feed/alerts"),
        title: t.alerts_title.into(),
        subtitle: t.alerts_subtitle.into(),
        self_link: req.self_link.clone(),
        alternate: page_link(&req.base, "/", req.lang),
        lang: t.xml_lang,
        rights: t.rights.into(),
        updated: feed_updated(&entries, now),
        entries,
    })
}

/// A note on values that are not measurements (the demo's simulated feed).
fn source_note(t: &FeedTexts, readings: &[&ReadingView]) -> String {
    match assess::combined_source(readings) {
        Some(DataSource::Simulated) => format!(" · {}", t.simulated),
        _ => String::new(),
    }
}

async fn station_readings(
    site: &SiteContext,
    s: &Station,
    from: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Vec<ReadingView>, ApiError> {
    Ok(site
        .store
        .readings(
            &s.code,
            TimeRange {
                from,
                to: now + Duration::hours(1),
            },
            None,
        )
        .await?
        .iter()
        .map(reading_view)
        .collect())
}

/// (a) Every hour of an air station at or above the alert level, on the deployment's scale.
async fn aqi_entries(
    site: &SiteContext,
    req: &Request,
    t: &FeedTexts,
    s: &Station,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
    level: u16,
) -> Result<Vec<Entry>, ApiError> {
    let readings = station_readings(site, s, since, now).await?;
    let mut entries = Vec::new();
    for (time, hour) in assess::by_hour(&readings) {
        let Ok(report) = assess::air_status(&hour, site.default_scale) else {
            continue;
        };
        if report.aqi < level {
            continue;
        }
        let c = report.category;
        let category = req.lang.pick(c.name_zh, c.name_en);
        let primary = if report.primary.is_empty() {
            t.no_primary.to_string()
        } else {
            report
                .primary
                .iter()
                .map(|p| req.lang.pick(p.name_zh(), p.name_en()))
                .collect::<Vec<_>>()
                .join("、")
        };
        let hour_text = format_local(time, site.utc_offset_minutes);
        entries.push(Entry {
            id: tag(&req.base, &format!("aqi/{}/{}", s.code, stamp(time))),
            title: (t.aqi_title)(&s.name, report.aqi, category),
            summary: format!(
                "{}{}",
                (t.aqi_summary)(
                    &hour_text,
                    report.aqi,
                    category,
                    &c.level.to_string(),
                    &primary,
                    level
                ),
                source_note(t, &hour)
            ),
            updated: time,
            link: page_link(&req.base, &format!("/station/{}", s.code), req.lang),
            author: "Daylight".into(),
            category: (t.aqi_term.into(), category.into()),
        });
    }
    Ok(entries)
}

/// (c) A water section's class changing between two consecutive assessed samples. The
/// sample before the window is read too, so that the first change in the window is seen.
async fn water_entries(
    site: &SiteContext,
    req: &Request,
    t: &FeedTexts,
    s: &Station,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Vec<Entry>, ApiError> {
    let readings = station_readings(site, s, since - Duration::days(1), now).await?;
    let body = s.water_body.unwrap_or(WaterBody::River);
    let mut entries = Vec::new();
    let mut previous = None;
    for (time, sample) in assess::by_hour(&readings) {
        let Some(assessment) = assess::water_status(&sample, body) else {
            continue;
        };
        let class = assessment.class;
        if let Some(before) = previous.replace(class) {
            if before != class && time >= since {
                let hour_text = format_local(time, site.utc_offset_minutes);
                let quality = req.lang.pick(class.quality_zh(), class.quality_en());
                entries.push(Entry {
                    id: tag(
                        &req.base,
                        &format!("water-class/{}/{}", s.code, stamp(time)),
                    ),
                    title: (t.water_title)(&s.name, before.roman(), class.roman()),
                    summary: format!(
                        "{}{}",
                        (t.water_summary)(&hour_text, before.roman(), class.roman(), quality),
                        source_note(t, &sample)
                    ),
                    updated: time,
                    link: page_link(&req.base, &format!("/water/{}", s.code), req.lang),
                    author: "Daylight".into(),
                    category: (t.water_term.into(), quality.into()),
                });
            }
        }
    }
    Ok(entries)
}

/// (b) An outlet's exceedance events (the same events as the enterprise page and
/// `/api/v1/enterprises/{code}/exceedances`): one entry when an event starts and one when
/// it ends, the end being the first later value of the series (back under the limit, or
/// after a gap). An event still running has no end entry yet.
async fn exceedance_entries(
    site: &SiteContext,
    req: &Request,
    t: &FeedTexts,
    code: &CreditCode,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Vec<Entry>, ApiError> {
    let Some(enterprise) = site.store.enterprise(code).await? else {
        return Ok(Vec::new());
    };
    let outlets: HashMap<String, String> = site
        .store
        .outlets(Some(code))
        .await?
        .into_iter()
        .map(|o| (o.code.to_string(), o.name))
        .collect();
    let limits = site.store.outlet_limits(Some(code)).await?;
    let readings = site
        .store
        .outlet_readings(
            code,
            TimeRange {
                from: now - Duration::days(EXCEEDANCE_LOOKBACK_DAYS),
                to: now + Duration::hours(1),
            },
        )
        .await?;
    let tz = daylight_app::enterprise::data::offset(site.utc_offset_minutes);
    let link = page_link(&req.base, &format!("/enterprise/{code}"), req.lang);
    let mut entries = Vec::new();
    for l in &limits {
        let points: Vec<(DateTime<Utc>, f64)> = readings
            .iter()
            .filter(|r| r.outlet == l.outlet && r.pollutant == l.pollutant)
            .map(|r| (r.time, r.value))
            .collect();
        let (series, events) = match (l.method, l.limit.averaging) {
            (Method::Manual, _) => (
                points.clone(),
                exceedances_every(&points, l.limit.value, Duration::zero()),
            ),
            (_, Averaging::Hourly) => (points.clone(), exceedances(&points, l.limit.value)),
            (_, Averaging::Daily) => {
                let days = daily_means(&points, tz);
                let events = exceedances_every(&days, l.limit.value, Duration::days(1));
                (days, events)
            }
        };
        let outlet = outlets
            .get(l.outlet.as_str())
            .filter(|n| !n.is_empty())
            .map_or_else(|| l.outlet.to_string(), |n| format!("{n} ({})", l.outlet));
        let pollutant = req.lang.pick(l.pollutant.name_zh(), l.pollutant.name_en());
        let unit = l.limit.unit.symbol();
        let key = format!("{code}/{}/{}", l.outlet, l.pollutant.as_str());
        for e in events {
            let summary = format!(
                "{} · {}",
                (t.exceedance_summary)(
                    &format_local(e.start, site.utc_offset_minutes),
                    &format_local(e.end, site.utc_offset_minutes),
                    e.hours,
                    l.limit.value,
                    unit,
                    e.peak,
                    e.multiple,
                ),
                t.self_reported
            );
            if e.start >= since {
                entries.push(Entry {
                    id: tag(
                        &req.base,
                        &format!("exceedance-start/{key}/{}", stamp(e.start)),
                    ),
                    title: (t.start_title)(&enterprise.name, &outlet, pollutant),
                    summary: summary.clone(),
                    updated: e.start,
                    link: link.clone(),
                    author: "Daylight".into(),
                    category: (t.exceedance_start_term.into(), pollutant.into()),
                });
            }
            // A lab result stands alone: it starts and ends nothing after it.
            if l.method == Method::Manual {
                continue;
            }
            let Some(&(ended, _)) = series.iter().find(|(time, _)| *time > e.end) else {
                continue;
            };
            if ended >= since {
                entries.push(Entry {
                    id: tag(&req.base, &format!("exceedance-end/{key}/{}", stamp(ended))),
                    title: (t.end_title)(&enterprise.name, &outlet, pollutant),
                    summary,
                    updated: ended,
                    link: link.clone(),
                    author: "Daylight".into(),
                    category: (t.exceedance_end_term.into(), pollutant.into()),
                });
            }
        }
    }
    Ok(entries)
}

/// `GET /feeds/complaints.atom[?lang=en]`: the newest 100 complaints of the public register
/// with exactly the register's public fields (no contact, description or address; the
/// position is not in the feed at all). An entry's `updated` is its last status change, so
/// a reader shows it again when the status moves on.
async fn complaints(
    State(site): State<SiteContext>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    query: Result<Query<FeedQuery>, QueryRejection>,
) -> Response {
    let lang = ApiLang::from_headers(&headers);
    match complaints_feed(&site, &headers, &uri, query).await {
        Ok(feed) => atom_response(feed),
        Err(e) => e.in_lang(lang).into_response(),
    }
}

async fn complaints_feed(
    site: &SiteContext,
    headers: &HeaderMap,
    uri: &axum::http::Uri,
    query: Result<Query<FeedQuery>, QueryRejection>,
) -> Result<Feed, ApiError> {
    let Query(query) = query.map_err(bad_query)?;
    let path = uri
        .path_and_query()
        .map_or("/feeds/complaints.atom", |p| p.as_str());
    let req = prepare(site, headers, &query, path)?;
    let t = texts(req.lang);
    let now = Utc::now();
    let names = district_names(site).await?;
    let complaints = site.store.complaints(MAX_ENTRIES as u32, 0).await?;
    let mut entries = Vec::with_capacity(complaints.len());
    for c in &complaints {
        let e = register_entry(c, &names);
        let changed = site
            .store
            .complaint_events(c.id)
            .await?
            .iter()
            .filter(|ev| ev.kind == EventKind::Status)
            .map(|ev| ev.time)
            .max();
        let updated = changed.map_or(e.submitted, |t| t.max(e.submitted));
        let category = req.lang.pick(e.category.name_zh(), e.category.name_en());
        let status = req.lang.pick(e.status.name_zh(), e.status.name_en());
        let district = e
            .district
            .clone()
            .unwrap_or_else(|| t.unknown_district.to_string());
        entries.push(Entry {
            id: tag(&req.base, &format!("complaint/{}", e.tracking_code)),
            title: (t.complaint_title)(&e.tracking_code, category, status),
            summary: (t.complaint_summary)(
                &format_local(e.submitted, site.utc_offset_minutes),
                category,
                &district,
                status,
            ),
            updated,
            link: page_link(&req.base, "/complaints", req.lang),
            author: "Daylight".into(),
            category: (e.category.as_str().into(), category.into()),
        });
    }
    let entries = newest_first(entries);
    Ok(Feed {
        id: tag(&req.base, "feed/complaints"),
        title: t.complaints_title.into(),
        subtitle: t.complaints_subtitle.into(),
        self_link: req.self_link.clone(),
        alternate: page_link(&req.base, "/complaints", req.lang),
        lang: t.xml_lang,
        rights: t.rights.into(),
        updated: feed_updated(&entries, now),
        entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_ids_use_the_host_without_port_and_never_change() {
        assert_eq!(
            tag("http://127.0.0.1:3000", "aqi/1462A/2026-11-30T02:00:00Z"),
            "tag:127.0.0.1,2026:aqi/1462A/2026-11-30T02:00:00Z"
        );
        assert_eq!(
            tag("https://air.example.gov.cn", "feed/alerts"),
            "tag:air.example.gov.cn,2026:feed/alerts"
        );
    }

    #[test]
    fn the_alert_level_is_an_aqi() {
        assert_eq!(parse_level(None).ok(), Some(151));
        assert_eq!(parse_level(Some("201")).ok(), Some(201));
        assert!(parse_level(Some("0")).is_err());
        assert!(parse_level(Some("x")).is_err());
    }
}
