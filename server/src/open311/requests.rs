//! Reading requests: `GET requests` and `GET requests/{id}`, complaints as the public
//! register shows them.

use std::collections::HashMap;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Duration, FixedOffset, Offset, SecondsFormat, Utc};
use daylight_app::complaint::data::district_names;
use daylight_app::data::SiteContext;
use daylight_app::i18n::Lang;
use daylight_domain::complaint::{coarsen, Category, Status, TrackingCode};
use daylight_store::{RequestRecord, RequestSelection, TimeRange};

use super::doc::{Document, Node};
use super::services::service_name;
use super::{
    language, respond, split_format, Format, Open311Error, Open311State, Params, DEFAULT_DAYS,
    MAX_REQUESTS,
};

/// The district names by adcode, and what a complaint outside every district is handled by.
pub(super) struct Agencies {
    names: HashMap<String, String>,
    city: &'static str,
}

impl Agencies {
    pub(super) async fn load(site: &SiteContext, lang: Lang) -> Result<Self, Open311Error> {
        Ok(Self {
            names: district_names(site)
                .await
                .map_err(Open311Error::unavailable)?,
            city: lang.complaint_texts().city_queue,
        })
    }

    pub(super) fn of(&self, district: Option<&str>) -> String {
        match district {
            Some(adcode) => self
                .names
                .get(adcode)
                .cloned()
                .unwrap_or_else(|| adcode.to_owned()),
            None => self.city.to_owned(),
        }
    }
}

pub(super) fn w3(time: DateTime<Utc>, zone: FixedOffset) -> String {
    time.with_timezone(&zone)
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub(super) fn zone_of(site: &SiteContext) -> FixedOffset {
    FixedOffset::east_opt(site.utc_offset_minutes.saturating_mul(60)).unwrap_or_else(|| Utc.fix())
}

/// The public address of a request's photo: its first photo an officer published (the copy
/// without metadata the register links), absolute on the site's address; None without one
/// (or when the site's address is unknown: a relative `media_url` is of no use to a client).
fn media_url(record: &RequestRecord, base: Option<&str>) -> Option<String> {
    let number = record.public_photo?;
    Some(format!(
        "{}{}",
        base?,
        daylight_app::complaint::photos::public_url(
            record.complaint.tracking_code.as_str(),
            number
        )
    ))
}

/// A complaint as GeoReport's `request`: what the public register shows, nothing personal.
/// `base`: the site's address (`SiteContext::base_url`), for `media_url`.
pub(super) fn request_node(
    state: &Open311State,
    record: &RequestRecord,
    agencies: &Agencies,
    lang: Lang,
    now: DateTime<Utc>,
    base: Option<&str>,
) -> Node {
    let c = &record.complaint;
    let zone = zone_of(&state.site);
    let clock = state
        .deadlines
        .clock(c.created, c.status, now, state.site.utc_offset_minutes);
    let place = c.location.map(coarsen);
    Node::Object(vec![
        ("service_request_id", Node::text(c.tracking_code.as_str())),
        (
            "status",
            Node::text(if c.status.is_closed() {
                "closed"
            } else {
                "open"
            }),
        ),
        (
            "status_notes",
            Node::opt_text(record.latest_public_reply.clone()),
        ),
        ("service_name", Node::text(service_name(lang, c.category))),
        ("service_code", Node::text(c.category.as_str())),
        // Withheld: see the module's documentation.
        ("description", Node::Null),
        (
            "agency_responsible",
            Node::Text(agencies.of(c.district.as_deref())),
        ),
        ("service_notice", Node::Null),
        ("requested_datetime", Node::text(w3(c.created, zone))),
        ("updated_datetime", Node::text(w3(record.updated, zone))),
        ("expected_datetime", Node::text(w3(clock.close_by, zone))),
        ("address", Node::Null),
        ("lat", place.map_or(Node::Null, |p| Node::Number(p.lat))),
        ("long", place.map_or(Node::Null, |p| Node::Number(p.lon))),
        ("media_url", Node::opt_text(media_url(record, base))),
    ])
}

pub(super) fn requests_document(nodes: Vec<Node>) -> Document {
    Document {
        root: "service_requests",
        body: Node::List("request", nodes),
    }
}

/// A comma-separated parameter's items, trimmed, empty ones skipped.
pub(super) fn items(raw: &str) -> impl Iterator<Item = &str> {
    raw.split(',').map(str::trim).filter(|s| !s.is_empty())
}

pub(super) fn date_param(
    params: &Params,
    name: &str,
) -> Result<Option<DateTime<Utc>>, Open311Error> {
    params
        .get(name)
        .map(|raw| {
            DateTime::parse_from_rfc3339(raw.trim())
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| {
                    Open311Error::bad_request(
                        format!(
                            "{name} 应为带时区的 W3C 日期时间，例如 2026-05-01T00:00:00+08:00，\
                             而不是“{raw}”。"
                        ),
                        format!(
                            "{name} must be a W3C date and time with a time zone, e.g. \
                             2026-05-01T00:00:00Z, not '{raw}'."
                        ),
                    )
                })
        })
        .transpose()
}

/// What `GET requests` asks for, checked.
pub(super) fn selection(
    params: &Params,
    now: DateTime<Utc>,
) -> Result<RequestSelection, Open311Error> {
    if let Some(raw) = params.get("service_request_id") {
        let codes = items(raw)
            .map(|id| {
                TrackingCode::parse(id).map_err(|_| {
                    Open311Error::bad_request(
                        format!("“{id}”不是查询码（形如 TS-2026-3PG36X）。"),
                        format!("'{id}' is not a service_request_id (e.g. TS-2026-3PG36X)."),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if codes.len() > MAX_REQUESTS as usize {
            return Err(Open311Error::bad_request(
                format!("一次最多查询 {MAX_REQUESTS} 个 service_request_id。"),
                format!("At most {MAX_REQUESTS} service_request_id values at a time."),
            ));
        }
        return Ok(RequestSelection::Codes(codes));
    }
    let categories = match params.get("service_code") {
        None => Vec::new(),
        Some(raw) => items(raw)
            .map(|code| {
                code.parse::<Category>().map_err(|_| {
                    Open311Error::bad_request(
                        format!("没有代码为“{code}”的服务类型（见 services.json）。"),
                        format!("There is no service with the code '{code}' (see services.json)."),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?,
    };
    let mut statuses = Vec::new();
    if let Some(raw) = params.get("status") {
        for status in items(raw) {
            let closed = match status.to_ascii_lowercase().as_str() {
                "open" => false,
                "closed" => true,
                _ => {
                    return Err(Open311Error::bad_request(
                        format!("status 只能是 open 或 closed，而不是“{status}”。"),
                        format!("status must be open or closed, not '{status}'."),
                    ))
                }
            };
            statuses.extend(Status::ALL.iter().filter(|s| s.is_closed() == closed));
        }
    }
    let window = Duration::days(DEFAULT_DAYS);
    let (from, to) = match (
        date_param(params, "start_date")?,
        date_param(params, "end_date")?,
    ) {
        (None, None) => (now - window, now),
        (Some(from), None) => (from, (from + window).min(now.max(from))),
        (None, Some(to)) => (to - window, to),
        (Some(from), Some(to)) => (from, to),
    };
    if to < from {
        return Err(Open311Error::bad_request(
            "end_date 早于 start_date。",
            "end_date is before start_date.",
        ));
    }
    if to - from > window {
        return Err(Open311Error::bad_request(
            format!("start_date 到 end_date 不能超过 {DEFAULT_DAYS} 天。"),
            format!("start_date to end_date may span at most {DEFAULT_DAYS} days."),
        ));
    }
    Ok(RequestSelection::Query {
        range: TimeRange { from, to },
        categories,
        statuses,
        limit: MAX_REQUESTS,
    })
}

/// `GET /open311/v2/requests.{fmt}`.
pub(super) async fn list_requests(
    state: &Open311State,
    params: &Params,
    lang: Lang,
    headers: &HeaderMap,
) -> Result<Document, Open311Error> {
    let now = Utc::now();
    let selection = selection(params, now)?;
    let records = state
        .site
        .store
        .open311_requests(&selection)
        .await
        .map_err(Open311Error::unavailable)?;
    let agencies = Agencies::load(&state.site, lang).await?;
    let base = state.site.base_url(headers);
    Ok(requests_document(
        records
            .iter()
            .map(|r| request_node(state, r, &agencies, lang, now, base.as_deref()))
            .collect(),
    ))
}

/// `GET /open311/v2/requests/{id}.{fmt}`.
pub(super) async fn get_request(
    State(state): State<Open311State>,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let params = Params::parse(query.unwrap_or_default().as_bytes());
    let lang = language(&params, &headers);
    let (id, format) = match split_format(&file) {
        Ok(split) => split,
        Err(error) => return error.into_response(Format::Xml, lang),
    };
    let not_found = || {
        Open311Error::not_found(
            format!("没有查询码为“{id}”的投诉举报。"),
            format!("There is no request with the id '{id}'."),
        )
    };
    let result = async {
        let code = TrackingCode::parse(id).map_err(|_| not_found())?;
        let records = state
            .site
            .store
            .open311_requests(&RequestSelection::Codes(vec![code]))
            .await
            .map_err(Open311Error::unavailable)?;
        let record = records.first().ok_or_else(not_found)?;
        let agencies = Agencies::load(&state.site, lang).await?;
        let base = state.site.base_url(&headers);
        Ok::<_, Open311Error>(requests_document(vec![request_node(
            &state,
            record,
            &agencies,
            lang,
            Utc::now(),
            base.as_deref(),
        )]))
    }
    .await;
    match result {
        Ok(doc) => respond(format, StatusCode::OK, &doc),
        Err(error) => error.into_response(format, lang),
    }
}
