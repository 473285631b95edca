//! `GET /card/station/{code}.svg|png`, `/card/water/{code}.svg|png` and
//! `/card/snapshot/{id}.svg|png`: the share-card images that the pages' `og:image` points to
//! (docs/embedding.md). Drawn by the app crate ([`daylight_app::share::draw_card`]) with the
//! same assessment as the pages, or from a snapshot's frozen document; the PNG is that SVG
//! rasterised here ([`raster`]), since most link-preview crawlers take no SVG. This module
//! picks the language and scale from the query (a crawler sends no cookies) and answers with
//! the right status and caching.

mod cache;
pub mod raster;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use daylight_app::data::{self, SiteContext};
use daylight_app::model::ReadingView;
use daylight_app::prefs::{Prefs, QueryPrefs};
use daylight_app::share;
use daylight_domain::station::StationKind;
use tokio::sync::Semaphore;

use crate::etag;
use cache::PngCache;
use raster::{CardRaster, RasterError};

/// Readings arrive hourly; crawlers and CDNs may keep a station's card five minutes.
const LIVE_CACHE: &str = "public, max-age=300";
/// Rendered PNGs kept in memory (about 40 KB each).
const CACHED_PNGS: usize = 512;

#[derive(Clone)]
struct CardState {
    site: SiteContext,
    raster: Arc<CardRaster>,
    cache: Arc<PngCache>,
    /// Renders at once: one per core, so that a burst of crawlers queues instead of
    /// starting a thread (and a 3 MB pixmap) each.
    renders: Arc<Semaphore>,
}

/// The card routes. `fonts` are the font files and folders of the PNG renderer (see
/// `Config::card_fonts`), loaded here, once.
pub fn router(site: SiteContext, fonts: &[PathBuf]) -> Router {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    Router::new()
        .route("/card/station/{file}", get(station))
        .route("/card/water/{file}", get(water))
        .route("/card/snapshot/{file}", get(snapshot))
        .with_state(CardState {
            site,
            raster: Arc::new(CardRaster::load(fonts)),
            cache: Arc::new(PngCache::new(CACHED_PNGS)),
            renders: Arc::new(Semaphore::new(cores)),
        })
}

/// The image format asked for by the file name's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Svg,
    Png,
}

fn split(file: &str) -> Option<(&str, Format)> {
    if let Some(code) = file.strip_suffix(".svg") {
        Some((code, Format::Svg))
    } else {
        file.strip_suffix(".png").map(|code| (code, Format::Png))
    }
}

async fn station(
    State(state): State<CardState>,
    uri: Uri,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Response {
    live(&state, StationKind::Air, &uri, &headers, &file).await
}

async fn water(
    State(state): State<CardState>,
    uri: Uri,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Response {
    live(&state, StationKind::Water, &uri, &headers, &file).await
}

fn prefs(site: &SiteContext, uri: &Uri) -> Prefs {
    let query = QueryPrefs::parse(uri.query());
    Prefs {
        lang: query.lang.unwrap_or_default(),
        scale: query.scale.unwrap_or(site.default_scale),
    }
}

/// A station's or water section's card of its latest hour.
async fn live(
    state: &CardState,
    kind: StationKind,
    uri: &Uri,
    headers: &HeaderMap,
    file: &str,
) -> Response {
    let Some((code, format)) = split(file) else {
        return not_found();
    };
    let site = &state.site;
    let prefs = prefs(site, uri);
    match data::station_latest(site, code).await {
        Ok(Some(latest)) if latest.station.kind == kind => {
            let readings: Vec<&ReadingView> = latest.latest.iter().collect();
            let svg = share::card_svg(
                prefs.lang,
                prefs,
                &latest.station,
                &readings,
                site.utc_offset_minutes,
            );
            answer(state, format, svg, LIVE_CACHE, headers).await
        }
        Ok(_) => not_found(),
        Err(error) => unavailable(&error),
    }
}

/// A snapshot's card: its frozen values, for ever.
async fn snapshot(
    State(state): State<CardState>,
    uri: Uri,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Response {
    let Some((id, format)) = split(&file) else {
        return not_found();
    };
    let site = &state.site;
    let prefs = prefs(site, &uri);
    match crate::snapshot::load(site, id).await {
        Ok(Some((snapshot, document))) => {
            let svg = crate::snapshot::card::svg(
                prefs.lang,
                prefs.scale,
                &snapshot,
                &document,
                site.utc_offset_minutes,
            );
            answer(&state, format, svg, crate::snapshot::IMMUTABLE, &headers).await
        }
        Ok(None) => not_found(),
        Err(error) => unavailable(&error),
    }
}

/// The card as SVG, or as PNG with an entity tag (of the SVG it is drawn from, so that a
/// conditional request is answered without rendering) from the cache or a fresh render.
async fn answer(
    state: &CardState,
    format: Format,
    svg: String,
    cache_control: &'static str,
    request: &HeaderMap,
) -> Response {
    if format == Format::Svg {
        return (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("image/svg+xml"),
                ),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static(cache_control),
                ),
            ],
            svg,
        )
            .into_response();
    }
    let tag = etag::strong(svg.as_bytes(), "png");
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    headers.insert(header::ETAG, tag.clone());
    if etag::none_match(request, &tag) {
        return etag::not_modified(&headers);
    }
    let key = tag.to_str().unwrap_or_default().to_string();
    let png = match state.cache.get(&key) {
        Some(png) => {
            headers.insert("server-timing", HeaderValue::from_static("cache;desc=hit"));
            png
        }
        None => match render(state, svg).await {
            Ok((png, took)) => {
                // How long the render took (parse, draw, encode), for the bench and for
                // an operator's browser tools.
                let timing = format!("render;dur={:.2}", took.as_secs_f64() * 1000.0);
                if let Ok(value) = HeaderValue::from_str(&timing) {
                    headers.insert("server-timing", value);
                }
                state.cache.insert(key, png.clone());
                png
            }
            Err(RasterError::NoCjkFont) => return no_font(),
            Err(error) => {
                tracing::error!(%error, "rendering a share card failed");
                return (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
                )
                    .into_response();
            }
        },
    };
    (headers, png).into_response()
}

/// Renders on a blocking thread, at most one per core at a time; the PNG and the time the
/// render itself took.
async fn render(state: &CardState, svg: String) -> Result<(Bytes, Duration), RasterError> {
    if state.raster.cjk_family().is_none() {
        return Err(RasterError::NoCjkFont);
    }
    let Ok(_permit) = state.renders.acquire().await else {
        return Err(RasterError::Interrupted);
    };
    let raster = state.raster.clone();
    let rendered = tokio::task::spawn_blocking(move || {
        let started = Instant::now();
        raster
            .render_png(&svg)
            .map(|png| (Bytes::from(png), started.elapsed()))
    })
    .await;
    rendered.unwrap_or(Err(RasterError::Interrupted))
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
    )
        .into_response()
}

/// Without a CJK font the PNG cards are refused rather than drawn with empty boxes; the
/// SVG cards still work (the viewer's fonts draw them).
fn no_font() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        "服务器未安装中文字体，暂时无法生成 PNG 分享图；SVG 版本可用（同一地址，扩展名 .svg）。\n\
         No Chinese font is installed on the server, so PNG share cards are unavailable; \
         the SVG card is at the same address with .svg.\n",
    )
        .into_response()
}

fn unavailable(error: &dyn std::fmt::Display) -> Response {
    tracing::error!(%error, "loading a share card failed");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
    )
        .into_response()
}
