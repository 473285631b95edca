//! Open311 GeoReport v2 under `/open311/v2/` (docs/open311.md): third-party apps and city
//! systems list our complaint categories, file complaints with an API key and follow them.
//!
//! A request created here is a complaint like any other: it goes through the same
//! validation, district routing, evidence snapshot, storage and audit record as the public
//! form (`crate::complaints::store`). What is read back is what the public register shows
//! (`/complaints`), in GeoReport's shape: the location snapped to the register's ~200 m
//! grid, and never the reporter's contact, description or address (the register promises
//! residents that these are not published, and a request filed on the form is read here
//! too).
//!
//! Formats: XML (GeoReport's required one) and JSON, by the extension; both are written
//! from one [`doc::Document`].

mod doc;

use axum::body::Body;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, Duration, FixedOffset, Offset, SecondsFormat, Utc};
use daylight_app::complaint::data::district_names;
use daylight_app::complaint::texts::problem_text;
use daylight_app::data::SiteContext;
use daylight_app::i18n::Lang;
use daylight_domain::complaint::{
    coarsen, Category, Deadlines, Field, Problem, RawComplaint, Status, TrackingCode,
};
use daylight_store::{
    open311_submission_key, IngestSecret, Open311Key, RequestRecord, RequestSelection,
    SubmissionKey, Submitted, TimeRange,
};

use doc::{Document, Node};

/// GeoReport's specification URL, which discovery names for the endpoint.
const SPECIFICATION: &str = "http://wiki.open311.org/GeoReport_v2";
/// When this interface last changed in a way clients may notice (discovery's `changeset`).
const CHANGESET: &str = "2026-11-30T00:00:00Z";
/// Largest request body (the fields' limits add up to well under this).
const MAX_FORM_BYTES: usize = 64 * 1024;
/// GeoReport's default window and largest answer for `GET requests`.
const DEFAULT_DAYS: i64 = 90;
const MAX_REQUESTS: u32 = 1000;
/// The `group` every service is in.
const GROUP: (&str, &str) = ("环境污染", "Pollution");

#[derive(Clone)]
struct Open311State {
    site: SiteContext,
    deadlines: Deadlines,
}

pub fn router(site: SiteContext, deadlines: Deadlines) -> Router {
    Router::new()
        .route("/open311/v2/{file}", get(get_file).post(post_file))
        .route("/open311/v2/requests/{file}", get(get_request))
        .route("/open311/v2/services/{file}", get(get_service))
        .route("/open311/v2/tokens/{file}", get(get_token))
        .with_state(Open311State { site, deadlines })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Xml,
}

/// `name.json` or `name.xml`; anything else is not ours (XML answers the error: it is the
/// format every GeoReport client reads).
fn split_format(file: &str) -> Result<(&str, Format), Open311Error> {
    match file.rsplit_once('.') {
        Some((name, "json")) => Ok((name, Format::Json)),
        Some((name, "xml")) => Ok((name, Format::Xml)),
        _ => Err(Open311Error::not_found(
            "没有这个资源：地址应以 .json 或 .xml 结尾。",
            "No such resource: the address must end in .json or .xml.",
        )),
    }
}

fn respond(format: Format, status: StatusCode, doc: &Document) -> Response {
    let (body, content_type) = match format {
        Format::Json => (doc.to_json(), "application/json; charset=utf-8"),
        Format::Xml => (doc.to_xml(), "text/xml; charset=utf-8"),
    };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // Answers change with every new complaint and reply; nothing in between keeps them.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// One or more errors in GeoReport's shape, with the HTTP status the specification asks
/// for: 404 for what does not exist, 403 for a missing or wrong `api_key`, 400 otherwise.
#[derive(Debug)]
struct Open311Error {
    status: StatusCode,
    /// Each error's description, in Chinese and English.
    errors: Vec<(String, String)>,
}

impl Open311Error {
    fn new(status: StatusCode, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            status,
            errors: vec![(zh.into(), en.into())],
        }
    }

    fn bad_request(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, zh, en)
    }

    fn not_found(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, zh, en)
    }

    /// The store failed: the caller learns that it was not their fault, the log learns why.
    fn unavailable(error: impl std::fmt::Display) -> Self {
        tracing::error!(%error, "Open311 request failed");
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "服务暂时不可用，请稍后重试。",
            "The service is unavailable for a moment; please try again later.",
        )
    }

    fn into_response(self, format: Format, lang: Lang) -> Response {
        let code = i64::from(self.status.as_u16());
        let errors = self
            .errors
            .into_iter()
            .map(|(zh, en)| {
                Node::Object(vec![
                    ("code", Node::Integer(code)),
                    (
                        "description",
                        Node::Text(match lang {
                            Lang::Zh => zh,
                            Lang::En => en,
                        }),
                    ),
                ])
            })
            .collect();
        let doc = Document {
            root: "errors",
            body: Node::List("error", errors),
        };
        respond(format, self.status, &doc)
    }
}

/// The parameters of a query string or a form body; empty values count as absent (GeoReport:
/// "a null parameter should be treated as equivalent to a non-declared parameter"), and a
/// parameter sent twice keeps its first value.
struct Params(Vec<(String, String)>);

impl Params {
    fn parse(text: &[u8]) -> Self {
        Self(serde_urlencoded::from_bytes(text).unwrap_or_default())
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.as_str())
    }
}

/// The answer's language: `locale` (GeoReport's convention for it), then the first
/// `Accept-Language`, like the JSON API; Chinese by default.
fn language(params: &Params, headers: &HeaderMap) -> Lang {
    let from_tag = |tag: &str| {
        let tag = tag.trim().to_ascii_lowercase();
        if tag.starts_with("en") {
            Some(Lang::En)
        } else if tag.starts_with("zh") {
            Some(Lang::Zh)
        } else {
            None
        }
    };
    if let Some(lang) = params.get("locale").and_then(from_tag) {
        return lang;
    }
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .and_then(|first| from_tag(first.split(';').next().unwrap_or("")))
        .unwrap_or_default()
}

fn service_name(lang: Lang, category: Category) -> &'static str {
    lang.pick(category.name_zh(), category.name_en())
}

/// What each service is for, and words people may search for it by.
fn service_texts(lang: Lang, category: Category) -> (&'static str, &'static str) {
    use Category::*;
    match (category, lang) {
        (Air, Lang::Zh) => (
            "烟尘、粉尘、废气排放，露天焚烧，工地扬尘。",
            "大气,烟尘,粉尘,废气,扬尘,焚烧,雾霾",
        ),
        (Air, Lang::En) => (
            "Smoke, dust or fumes from a chimney, a site or open burning.",
            "air, smoke, dust, fumes, burning, haze",
        ),
        (Odour, Lang::Zh) => ("刺鼻、恶臭或化工异味。", "异味,恶臭,臭气,化工味"),
        (Odour, Lang::En) => (
            "A pungent, foul or chemical smell.",
            "odour, odor, smell, stench",
        ),
        (Water, Lang::Zh) => (
            "污水直排、河道变色、死鱼、油污。",
            "水污染,污水,排污,河流,黑臭水体",
        ),
        (Water, Lang::En) => (
            "Sewage discharged, a river discoloured, dead fish, oil on water.",
            "water, sewage, discharge, river, pollution",
        ),
        (Noise, Lang::Zh) => (
            "工业、施工、社会生活噪声，夜间施工。",
            "噪声,噪音,施工,夜间施工",
        ),
        (Noise, Lang::En) => (
            "Noise from a factory, a construction site or at night.",
            "noise, construction, night work",
        ),
        (SolidWaste, Lang::Zh) => (
            "垃圾、工业固废或危险废物倾倒、堆放、焚烧。",
            "固体废物,垃圾,危险废物,倾倒",
        ),
        (SolidWaste, Lang::En) => (
            "Rubbish, industrial or hazardous waste dumped, piled or burnt.",
            "waste, rubbish, garbage, hazardous waste, dumping",
        ),
        (Ecology, Lang::Zh) => (
            "毁林、非法采砂采矿、破坏湿地或自然保护地。",
            "生态破坏,毁林,采砂,湿地,保护区",
        ),
        (Ecology, Lang::En) => (
            "Trees felled, illegal sand or mineral extraction, a wetland or reserve damaged.",
            "ecology, deforestation, sand mining, wetland, reserve",
        ),
        (Radiation, Lang::Zh) => ("放射源、电磁辐射设施的异常情况。", "辐射,放射源,电磁辐射"),
        (Radiation, Lang::En) => (
            "A radioactive source or an electromagnetic installation that seems wrong.",
            "radiation, radioactive, electromagnetic",
        ),
        (Other, Lang::Zh) => ("以上之外的环境问题。", "其他,环境"),
        (Other, Lang::En) => ("Any other environmental problem.", "other, environment"),
    }
}

fn service_node(lang: Lang, category: Category) -> Node {
    let (description, keywords) = service_texts(lang, category);
    Node::Object(vec![
        ("service_code", Node::text(category.as_str())),
        ("service_name", Node::text(service_name(lang, category))),
        ("description", Node::text(description)),
        ("metadata", Node::Bool(false)),
        ("type", Node::text("realtime")),
        ("keywords", Node::text(keywords)),
        ("group", Node::text(lang.pick(GROUP.0, GROUP.1))),
    ])
}

/// `GET /open311/v2/{discovery,services,requests}.{json,xml}`.
async fn get_file(
    State(state): State<Open311State>,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let params = Params::parse(query.unwrap_or_default().as_bytes());
    let lang = language(&params, &headers);
    let (name, format) = match split_format(&file) {
        Ok(split) => split,
        Err(error) => return error.into_response(Format::Xml, lang),
    };
    let result = match name {
        "discovery" => Ok(discovery(&state.site, &headers)),
        "services" => Ok(Document {
            root: "services",
            body: Node::List(
                "service",
                Category::ALL
                    .iter()
                    .map(|&c| service_node(lang, c))
                    .collect(),
            ),
        }),
        "requests" => list_requests(&state, &params, lang).await,
        _ => Err(unknown_resource()),
    };
    match result {
        Ok(doc) => respond(format, StatusCode::OK, &doc),
        Err(error) => error.into_response(format, lang),
    }
}

fn unknown_resource() -> Open311Error {
    Open311Error::not_found(
        "没有这个资源。可用的有 discovery、services、requests（见 /open311/v2/discovery.json）。",
        "No such resource. There are discovery, services and requests \
         (see /open311/v2/discovery.json).",
    )
}

/// GeoReport's service discovery document: where the endpoint is and what it speaks.
fn discovery(site: &SiteContext, headers: &HeaderMap) -> Document {
    let base = site.base_url(headers).unwrap_or_default();
    let endpoint = Node::Object(vec![
        ("specification", Node::text(SPECIFICATION)),
        ("url", Node::text(format!("{base}/open311/v2"))),
        ("changeset", Node::text(CHANGESET)),
        ("type", Node::text("production")),
        (
            "formats",
            Node::List(
                "format",
                vec![Node::text("text/xml"), Node::text("application/json")],
            ),
        ),
    ]);
    Document {
        root: "discovery",
        body: Node::Object(vec![
            ("changeset", Node::text(CHANGESET)),
            (
                "contact",
                Node::text(format!(
                    "The operator of {base}/ (Daylight 阳光环境); the interface is described \
                     in docs/open311.md of Daylight's source"
                )),
            ),
            (
                "key_service",
                Node::text(format!(
                    "API keys (for POST requests only) are issued by the operator of {base}/ \
                     on request, one per application"
                )),
            ),
            ("endpoints", Node::List("endpoint", vec![endpoint])),
        ]),
    }
}

/// `GET /open311/v2/services/{code}.{fmt}`: no service has extra fields (`metadata` is
/// false), so a definition has no attributes; it exists so that a client that asks anyway
/// gets a truthful answer instead of a 404.
async fn get_service(
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let params = Params::parse(query.unwrap_or_default().as_bytes());
    let lang = language(&params, &headers);
    let (code, format) = match split_format(&file) {
        Ok(split) => split,
        Err(error) => return error.into_response(Format::Xml, lang),
    };
    match code.parse::<Category>() {
        Ok(category) => respond(
            format,
            StatusCode::OK,
            &Document {
                root: "service_definition",
                body: Node::Object(vec![
                    ("service_code", Node::text(category.as_str())),
                    ("attributes", Node::List("attribute", Vec::new())),
                ]),
            },
        ),
        Err(_) => unknown_service(code).into_response(format, lang),
    }
}

fn unknown_service(code: &str) -> Open311Error {
    Open311Error::not_found(
        format!("没有代码为“{code}”的服务类型（见 services.json）。"),
        format!("There is no service with the code '{code}' (see services.json)."),
    )
}

/// `GET /open311/v2/tokens/{token}.{fmt}`: every service is `realtime` (the request id is
/// returned at once), so no token is ever issued and none can be found.
async fn get_token(
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let params = Params::parse(query.unwrap_or_default().as_bytes());
    let lang = language(&params, &headers);
    let format = match split_format(&file) {
        Ok((_, format)) => format,
        Err(error) => return error.into_response(Format::Xml, lang),
    };
    Open311Error::not_found(
        "没有这个令牌：本服务在提交时直接返回 service_request_id，不发放令牌。",
        "No such token: this server returns the service_request_id at once and issues no \
         tokens.",
    )
    .into_response(format, lang)
}

/// The district names by adcode, and what a complaint outside every district is handled by.
struct Agencies {
    names: std::collections::HashMap<String, String>,
    city: &'static str,
}

impl Agencies {
    async fn load(site: &SiteContext, lang: Lang) -> Result<Self, Open311Error> {
        Ok(Self {
            names: district_names(site)
                .await
                .map_err(Open311Error::unavailable)?,
            city: lang.complaint_texts().city_queue,
        })
    }

    fn of(&self, district: Option<&str>) -> String {
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

fn w3(time: DateTime<Utc>, zone: FixedOffset) -> String {
    time.with_timezone(&zone)
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn zone_of(site: &SiteContext) -> FixedOffset {
    FixedOffset::east_opt(site.utc_offset_minutes.saturating_mul(60)).unwrap_or_else(|| Utc.fix())
}

/// A complaint as GeoReport's `request`: what the public register shows, nothing personal.
fn request_node(
    state: &Open311State,
    record: &RequestRecord,
    agencies: &Agencies,
    lang: Lang,
    now: DateTime<Utc>,
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
        ("media_url", Node::Null),
    ])
}

fn requests_document(nodes: Vec<Node>) -> Document {
    Document {
        root: "service_requests",
        body: Node::List("request", nodes),
    }
}

/// A comma-separated parameter's items, trimmed, empty ones skipped.
fn items(raw: &str) -> impl Iterator<Item = &str> {
    raw.split(',').map(str::trim).filter(|s| !s.is_empty())
}

fn date_param(params: &Params, name: &str) -> Result<Option<DateTime<Utc>>, Open311Error> {
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
fn selection(params: &Params, now: DateTime<Utc>) -> Result<RequestSelection, Open311Error> {
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
async fn list_requests(
    state: &Open311State,
    params: &Params,
    lang: Lang,
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
    Ok(requests_document(
        records
            .iter()
            .map(|r| request_node(state, r, &agencies, lang, now))
            .collect(),
    ))
}

/// `GET /open311/v2/requests/{id}.{fmt}`.
async fn get_request(
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
        Ok::<_, Open311Error>(requests_document(vec![request_node(
            &state,
            record,
            &agencies,
            lang,
            Utc::now(),
        )]))
    }
    .await;
    match result {
        Ok(doc) => respond(format, StatusCode::OK, &doc),
        Err(error) => error.into_response(format, lang),
    }
}

/// `POST /open311/v2/requests.{fmt}` (application/x-www-form-urlencoded).
async fn post_file(
    State(state): State<Open311State>,
    Path(file): Path<String>,
    request: Request<Body>,
) -> Response {
    let (parts, body) = request.into_parts();
    let query = Params::parse(parts.uri.query().unwrap_or_default().as_bytes());
    let lang = language(&query, &parts.headers);
    let (name, format) = match split_format(&file) {
        Ok(split) => split,
        Err(error) => return error.into_response(Format::Xml, lang),
    };
    if name != "requests" {
        return unknown_resource().into_response(format, lang);
    }
    let Ok(body) = axum::body::to_bytes(body, MAX_FORM_BYTES).await else {
        return Open311Error::bad_request("提交的内容过大。", "The request body is too large.")
            .into_response(format, lang);
    };
    let form = Params::parse(&body);
    let lang = if form.get("locale").is_some() {
        language(&form, &parts.headers)
    } else {
        lang
    };
    let idempotency = parts
        .headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned);
    match create(&state, &form, &query, idempotency.as_deref(), lang).await {
        Ok(doc) => respond(format, StatusCode::OK, &doc),
        Err(error) => error.into_response(format, lang),
    }
}

/// The client whose `api_key` this is (in the form body, as GeoReport sends it, or in the
/// query string, where some clients put it).
async fn client(
    site: &SiteContext,
    form: &Params,
    query: &Params,
) -> Result<Open311Key, Open311Error> {
    let forbidden = |zh: &str, en: &str| Open311Error::new(StatusCode::FORBIDDEN, zh, en);
    let Some(raw) = form.get("api_key").or_else(|| query.get("api_key")) else {
        return Err(forbidden(
            "缺少 api_key：提交投诉举报需要本网站运营方发放的 API 密钥。",
            "The api_key is missing: creating a request needs an API key issued by the \
             operator of this site.",
        ));
    };
    let invalid = || {
        forbidden(
            "api_key 无效或已被撤销。",
            "The api_key is not valid (or it was revoked).",
        )
    };
    let secret = IngestSecret::parse(raw).ok_or_else(invalid)?;
    site.store
        .open311_key_by_hash(&secret.hash())
        .await
        .map_err(Open311Error::unavailable)?
        .ok_or_else(invalid)
}

/// The GeoReport parameter a problem is about, to name it in the message.
fn parameter_of(problem: &Problem) -> &'static str {
    match problem.field() {
        Field::Category => "service_code",
        Field::Description => "description",
        Field::Observed => "requested_datetime",
        Field::Location => "lat/long",
        Field::Address => "address_string",
        Field::Contact => "email/phone",
        Field::Consent => "api_key",
    }
}

fn problem_error(problem: &Problem) -> (String, String) {
    let parameter = parameter_of(problem);
    let text = |lang| match problem {
        // The form's wording speaks of its own fields; here the parameters have names.
        Problem::PlaceMissing => lang_pick(
            lang,
            "需要 lat 和 long，或 address_string（不支持 address_id）。",
            "lat and long, or address_string, are required (address_id is not supported).",
        ),
        _ => problem_text(lang, problem),
    };
    (
        format!("{parameter}：{}", text(Lang::Zh)),
        format!("{parameter}: {}", text(Lang::En)),
    )
}

fn lang_pick(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_owned(),
        Lang::En => en.to_owned(),
    }
}

/// Checks the client and the request, then files it exactly as the public form does.
async fn create(
    state: &Open311State,
    form: &Params,
    query: &Params,
    idempotency: Option<&str>,
    lang: Lang,
) -> Result<Document, Open311Error> {
    let client = client(&state.site, form, query).await?;
    let site = &state.site;
    let service_code = form.get("service_code").ok_or_else(|| {
        Open311Error::bad_request(
            "缺少 service_code（见 services.json）。",
            "The service_code is missing (see services.json).",
        )
    })?;
    if service_code.trim().parse::<Category>().is_err() {
        // GeoReport: a service_code that is not found is a 404.
        return Err(unknown_service(service_code.trim()));
    }
    let now = Utc::now();
    // GeoReport has no time of observation: the request is about now, in the display time
    // zone the validation reads times in.
    let observed = now
        .with_timezone(&zone_of(site))
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string();
    // One contact is kept, as on the form: the phone number (officers call back), else the
    // e-mail address. Names are not stored: nobody needs them to handle a complaint.
    let contact = form
        .get("phone")
        .or_else(|| form.get("email"))
        .unwrap_or_default();
    let raw = RawComplaint {
        category: service_code.trim().to_owned(),
        description: form.get("description").unwrap_or_default().to_owned(),
        observed,
        lat: form.get("lat").unwrap_or_default().to_owned(),
        lon: form.get("long").unwrap_or_default().to_owned(),
        address: form.get("address_string").unwrap_or_default().to_owned(),
        contact: contact.to_owned(),
        // The client agreed to the terms when its key was issued and asks its users.
        consent: true,
    };
    let valid = daylight_domain::complaint::validate(&raw, now, site.utc_offset_minutes).map_err(
        |problems| Open311Error {
            status: StatusCode::BAD_REQUEST,
            errors: problems.iter().map(problem_error).collect(),
        },
    )?;
    let key = match idempotency {
        Some(text) => open311_submission_key(&client.name, text),
        None => SubmissionKey::generate().map_err(Open311Error::unavailable)?,
    };
    let submitted = crate::complaints::store(site, &key, valid)
        .await
        .map_err(Open311Error::unavailable)?;
    let complaint = submitted.complaint();
    match &submitted {
        Submitted::Created(_) => tracing::info!(
            client = %client.name,
            code = %complaint.tracking_code,
            district = complaint.district.as_deref().unwrap_or("city"),
            outside_city = complaint.outside_city,
            "Open311 request received"
        ),
        Submitted::Existing(_) => tracing::info!(
            client = %client.name,
            code = %complaint.tracking_code,
            "Open311 request sent again; kept once"
        ),
    }
    let agencies = Agencies::load(site, lang).await?;
    let agency = agencies.of(complaint.district.as_deref());
    let zone = zone_of(site);
    let clock = state.deadlines.clock(
        complaint.created,
        complaint.status,
        now,
        site.utc_offset_minutes,
    );
    let local = |t: DateTime<Utc>| t.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string();
    let notice = match lang {
        Lang::Zh => format!(
            "已转交{agency}，应于 {} 前受理、{} 前办结。查询码 {}。",
            local(clock.accept_by),
            local(clock.close_by),
            complaint.tracking_code
        ),
        Lang::En => format!(
            "Passed to {agency}; to be accepted by {} and closed by {}. Tracking code {}.",
            local(clock.accept_by),
            local(clock.close_by),
            complaint.tracking_code
        ),
    };
    Ok(requests_document(vec![Node::Object(vec![
        (
            "service_request_id",
            Node::text(complaint.tracking_code.as_str()),
        ),
        ("service_notice", Node::Text(notice)),
        ("account_id", Node::Null),
    ])]))
}
