//! Citable snapshots (docs/open-data.md, "Citing"): the "引用 / Cite" button of a station or
//! water page posts here, the server freezes what the page shows ([`document::capture`]),
//! stores it, and answers with its permalink. `/snapshot/{id}` (HTML), `/snapshot/{id}.csv`
//! and `/api/v1/snapshots/{id}` (JSON) all read the stored document, never the readings, so
//! a citation keeps showing the numbers its author saw.

pub mod card;
pub mod document;
mod html;

use std::time::Instant;

use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use chrono::Utc;
use daylight_app::data::SiteContext;
use daylight_app::i18n::Lang;
use daylight_app::prefs::QueryPrefs;
use daylight_domain::station::StationCode;
use daylight_store::{Snapshot, SnapshotId};
use serde::Deserialize;

use crate::api::{ApiError, ApiLang};
use crate::rate_limit::ApiLimits;
use document::Document;

/// A snapshot never changes: browsers and CDNs may keep it for a year.
pub(crate) const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Snapshots one address may take at once, then per minute: enough for a newsroom behind one
/// address, not enough to fill the database.
const CREATE_BURST: u32 = 20;
const CREATE_PER_MINUTE: u32 = 10;

#[derive(Clone)]
struct SnapshotState {
    site: SiteContext,
    limits: ApiLimits,
}

pub fn router(site: SiteContext) -> Router {
    Router::new()
        .route("/snapshot", post(create))
        .route("/snapshot/{file}", get(page))
        .with_state(SnapshotState {
            site,
            limits: ApiLimits::per_minute(CREATE_PER_MINUTE, CREATE_BURST),
        })
}

#[derive(Debug, Deserialize)]
struct CreateForm {
    station: String,
    #[serde(default)]
    lang: Option<String>,
}

/// `POST /snapshot` (form: `station`, optional `lang`): freezes the station's page and
/// answers `303 See Other` to its permalink.
async fn create(State(state): State<SnapshotState>, request: Request) -> Response {
    let client = crate::complaints::client_address(&request);
    let headers = request.headers().clone();
    let lang = daylight_app::prefs::cookie(&headers, daylight_app::i18n::LANG_COOKIE)
        .and_then(|c| Lang::from_code(&c))
        .unwrap_or_default();
    if cross_site(&state.site, &headers) {
        return html::message(
            lang,
            StatusCode::FORBIDDEN,
            lang.pick(
                "只能从本站的页面创建快照。",
                "Snapshots can only be taken from this site's pages.",
            ),
        );
    }
    if let Err(wait) = state.limits.check(client, Instant::now()) {
        let mut response = html::message(
            lang,
            StatusCode::TOO_MANY_REQUESTS,
            lang.pick(
                "创建快照过于频繁，请稍后再试。",
                "Too many snapshots from your address; please try again shortly.",
            ),
        );
        if let Ok(value) = HeaderValue::from_str(&wait.to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        return response;
    }
    let Ok(Form(form)) = Form::<CreateForm>::from_request(request, &()).await else {
        return html::message(
            lang,
            StatusCode::BAD_REQUEST,
            lang.pick("请求不完整。", "The request was incomplete."),
        );
    };
    let lang = form
        .lang
        .as_deref()
        .and_then(Lang::from_code)
        .unwrap_or(lang);
    let Ok(code) = StationCode::parse(form.station.trim()) else {
        return not_found(lang);
    };
    let taken = Utc::now();
    let document = match document::capture(&state.site, &code, taken).await {
        Ok(Some(document)) => document,
        Ok(None) => return not_found(lang),
        Err(error) => return unavailable(lang, &error),
    };
    let Ok(json) = serde_json::to_value(&document) else {
        return unavailable(lang, &"the snapshot could not be written as JSON");
    };
    // 50 random bits: a collision is all but impossible, but costs only another draw.
    for _ in 0..5 {
        let id = match SnapshotId::generate() {
            Ok(id) => id,
            Err(error) => return unavailable(lang, &error),
        };
        let snapshot = Snapshot {
            id: id.clone(),
            station: code.clone(),
            taken,
            document: json.clone(),
        };
        match state.site.store.create_snapshot(&snapshot).await {
            Ok(true) => {
                tracing::info!(id = %id, station = %code.as_str(), "snapshot taken");
                let location = match lang {
                    Lang::Zh => format!("/snapshot/{id}"),
                    Lang::En => format!("/snapshot/{id}?lang=en"),
                };
                return (
                    StatusCode::SEE_OTHER,
                    [
                        (header::LOCATION, location),
                        (header::CACHE_CONTROL, "no-store".to_string()),
                    ],
                )
                    .into_response();
            }
            Ok(false) => continue,
            Err(error) => return unavailable(lang, &error),
        }
    }
    unavailable(lang, &"no free snapshot id")
}

/// A POST from another site's page: refused (the browser says where it comes from with
/// `Sec-Fetch-Site` or `Origin`; a client that sends neither is not a browser on another
/// site). No CSRF token: the action only creates a public, harmless record.
fn cross_site(site: &SiteContext, headers: &HeaderMap) -> bool {
    if let Some(fetch_site) = headers.get("sec-fetch-site") {
        return !matches!(fetch_site.to_str(), Ok("same-origin" | "none"));
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return false;
    };
    let Ok(origin) = origin.to_str() else {
        return true;
    };
    match site.base_url(headers) {
        Some(base) => !origin.eq_ignore_ascii_case(&base),
        None => true,
    }
}

/// `GET /snapshot/{id}` (HTML) and `/snapshot/{id}.csv`.
async fn page(
    State(state): State<SnapshotState>,
    uri: Uri,
    headers: HeaderMap,
    file: Result<Path<String>, PathRejection>,
) -> Response {
    // The language comes from the address only: the page is the same for every reader and
    // can be cached as such.
    let lang = QueryPrefs::parse(uri.query()).lang.unwrap_or_default();
    let Ok(Path(file)) = file else {
        return not_found(lang);
    };
    let (id, csv) = match file.strip_suffix(".csv") {
        Some(id) => (id, true),
        None => (file.as_str(), false),
    };
    let site = &state.site;
    let (snapshot, document) = match load(site, id).await {
        Ok(Some(found)) => found,
        Ok(None) => return not_found(lang),
        Err(error) => return unavailable(lang, &error),
    };
    let base = site.base_url(&headers).unwrap_or_default();
    let mut response = if csv {
        html::csv(&snapshot, &document, &base, site.utc_offset_minutes)
    } else {
        html::snapshot_page(lang, &snapshot, &document, &base, site.utc_offset_minutes)
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    response
}

/// `GET /api/v1/snapshots/{id}`: the stored document as JSON, with its addresses and the
/// suggested citations.
pub async fn api_json(
    State(site): State<SiteContext>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    let lang = ApiLang::from_headers(&headers);
    let id = id.map(|Path(id)| id).unwrap_or_default();
    let (snapshot, document) = match load(&site, &id).await {
        Ok(Some(found)) => found,
        Ok(None) => {
            return ApiError::unknown_snapshot(&id)
                .in_lang(lang)
                .into_response()
        }
        Err(error) => return ApiError::unavailable(error).in_lang(lang).into_response(),
    };
    let base = site.base_url(&headers).unwrap_or_default();
    let json = html::api_json(&snapshot, &document, &base, site.utc_offset_minutes);
    let mut response = Json(json).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    response
}

/// A stored snapshot and its document; None for an id that is not one.
pub(crate) async fn load(
    site: &SiteContext,
    id: &str,
) -> Result<Option<(Snapshot, Document)>, daylight_store::StoreError> {
    let Some(id) = SnapshotId::parse(id) else {
        return Ok(None);
    };
    let Some(snapshot) = site.store.snapshot(&id).await? else {
        return Ok(None);
    };
    let document: Document = serde_json::from_value(snapshot.document.clone()).map_err(|_| {
        daylight_store::StoreError::Corrupt(format!("snapshot document {}", id.as_str()))
    })?;
    Ok(Some((snapshot, document)))
}

fn not_found(lang: Lang) -> Response {
    let mut response = html::message(
        lang,
        StatusCode::NOT_FOUND,
        lang.pick("没有这个快照或站点。", "No such snapshot or station."),
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn unavailable(lang: Lang, error: &dyn std::fmt::Display) -> Response {
    tracing::error!(%error, "snapshot failed");
    let mut response = html::message(
        lang,
        StatusCode::SERVICE_UNAVAILABLE,
        lang.pick(
            "暂时无法处理快照，请稍后再试。",
            "Snapshots are unavailable right now; please try again later.",
        ),
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
