//! `/api/v1`: the public JSON API (documented in docs/api.md).

mod error;
mod stations;

pub use error::{ApiError, ApiLang};

use axum::http::HeaderMap;
use axum::routing::get;
use axum::Router;
use daylight_app::data::SiteContext;

pub fn router(site: SiteContext) -> Router {
    Router::new()
        .route("/stations", get(stations::list))
        .route("/stations/{code}/readings", get(stations::readings))
        .route("/stations/{code}/aqi", get(stations::aqi))
        .route("/water/{code}/class", get(stations::water_class))
        .route("/districts", get(stations::districts))
        .fallback(not_found)
        .with_state(site)
}

async fn not_found(headers: HeaderMap) -> ApiError {
    ApiError::not_found().in_lang(ApiLang::from_headers(&headers))
}
