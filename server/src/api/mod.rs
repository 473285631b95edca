//! `/api/v1`: the public JSON API (documented in docs/api.md).

mod caching;
mod complaints;
mod csv;
mod enterprises;
mod enterprises_geojson;
mod error;
mod ingest;
pub(crate) mod licence;
mod live;
mod openapi;
mod stations;

pub use error::{ApiError, ApiLang};

use std::sync::Arc;

use axum::extract::FromRef;
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::Router;
use daylight_app::data::SiteContext;

use crate::ingest::Ingestor;
use crate::page_cache::{self, PageCache};

/// What the API's handlers share.
#[derive(Clone)]
pub struct ApiState {
    pub site: SiteContext,
    pub ingestor: Arc<Ingestor>,
}

impl FromRef<ApiState> for SiteContext {
    fn from_ref(state: &ApiState) -> Self {
        state.site.clone()
    }
}

pub fn router(state: ApiState, page_cache: PageCache) -> Router {
    // Reads that every visitor shares go through the page micro-cache; the live stream and
    // writes must not (a stream never ends, a write is never shared).
    let cached = Router::new()
        .route("/stations", get(stations::list))
        .route("/stations/{code}/readings", get(stations::readings))
        .route("/stations/{code}/aqi", get(stations::aqi))
        .route("/water/{code}/class", get(stations::water_class))
        .route("/districts", get(stations::districts))
        .route("/complaints", get(complaints::list))
        .route("/complaints/stats", get(complaints::stats))
        .route("/enterprises", get(enterprises_geojson::list_or_geojson))
        .route("/enterprises.geojson", get(enterprises_geojson::geojson))
        .route("/enterprises/{code}", get(enterprises::detail))
        .route("/enterprises/{code}/readings", get(enterprises::readings))
        .route(
            "/enterprises/{code}/exceedances",
            get(enterprises::exceedances),
        )
        .route(
            "/enterprises/{code}/statements",
            get(enterprises::statements),
        )
        .route("/", get(licence::index))
        .route("/openapi.json", get(openapi::handler))
        // Inside the cache: the policy is stored with the answer and sent with its 304s.
        .layer(axum::middleware::from_fn(caching::middleware))
        // Compressed once per stored answer, not once per request (the outer compression
        // layer leaves an answer that already has a Content-Encoding alone).
        .layer(crate::web::compression())
        .layer(axum::middleware::from_fn_with_state(
            page_cache,
            page_cache::middleware,
        ));
    Router::new()
        .merge(cached)
        .route("/live", get(live::stream))
        // Streamed, so not through the cache (which holds whole bodies).
        .route(
            "/stations/{code}/readings.csv",
            get(csv::readings).layer(axum::middleware::from_fn(caching::middleware)),
        )
        // Immutable: sets its own long Cache-Control, no micro-cache needed.
        .route("/snapshots/{id}", get(crate::snapshot::api_json))
        .route(
            "/ingest/readings",
            post(ingest::readings).fallback(ingest::method_not_allowed),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
}

async fn method_not_allowed(headers: HeaderMap) -> ApiError {
    ApiError::method_not_allowed().in_lang(ApiLang::from_headers(&headers))
}

async fn not_found(headers: HeaderMap) -> ApiError {
    ApiError::not_found().in_lang(ApiLang::from_headers(&headers))
}
