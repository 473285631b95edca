//! `GET /card/station/{code}.svg` and `/card/water/{code}.svg`: the share-card images that
//! the pages' `og:image` points to (docs/embedding.md). Drawn by the app crate
//! ([`daylight_app::share::card_svg`]) with the same assessment as the pages; this module
//! picks the language and scale from the query (a link-preview crawler sends no cookies)
//! and answers with the right status and caching. PNG is not served yet (see the docs).

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use daylight_app::data::{self, SiteContext};
use daylight_app::model::ReadingView;
use daylight_app::prefs::{Prefs, QueryPrefs};
use daylight_app::share;
use daylight_domain::station::StationKind;

pub fn router(site: SiteContext) -> Router {
    Router::new()
        .route("/card/station/{file}", get(station))
        .route("/card/water/{file}", get(water))
        .with_state(site)
}

async fn station(State(site): State<SiteContext>, uri: Uri, Path(file): Path<String>) -> Response {
    card(&site, StationKind::Air, &uri, &file).await
}

async fn water(State(site): State<SiteContext>, uri: Uri, Path(file): Path<String>) -> Response {
    card(&site, StationKind::Water, &uri, &file).await
}

async fn card(site: &SiteContext, kind: StationKind, uri: &Uri, file: &str) -> Response {
    let Some(code) = file.strip_suffix(".svg") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let query = QueryPrefs::parse(uri.query());
    let prefs = Prefs {
        lang: query.lang.unwrap_or_default(),
        scale: query.scale.unwrap_or(site.default_scale),
    };
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
            (
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("image/svg+xml"),
                    ),
                    // Readings arrive hourly; crawlers and CDNs may keep a card five minutes.
                    (
                        header::CACHE_CONTROL,
                        HeaderValue::from_static("public, max-age=300"),
                    ),
                ],
                svg,
            )
                .into_response()
        }
        Ok(_) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "loading a share card failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
            )
                .into_response()
        }
    }
}
