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
mod requests;
mod services;
mod submit;

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use daylight_app::data::SiteContext;
use daylight_app::i18n::Lang;
use daylight_domain::complaint::{Category, Deadlines};

use doc::{Document, Node};
use requests::{get_request, list_requests};
use services::{get_service, service_node};
use submit::post_file;

/// GeoReport's specification URL, which discovery names for the endpoint.
const SPECIFICATION: &str = "http://wiki.open311.org/GeoReport_v2";
/// When this interface last changed in a way clients may notice (discovery's `changeset`).
const CHANGESET: &str = "2026-11-30T00:00:00Z";
/// Largest request body (the fields' limits add up to well under this).
const MAX_FORM_BYTES: usize = 64 * 1024;
/// GeoReport's default window and largest answer for `GET requests`.
const DEFAULT_DAYS: i64 = 90;
const MAX_REQUESTS: u32 = 1000;

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
        "requests" => list_requests(&state, &params, lang, &headers).await,
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
