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
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(site)
}

async fn method_not_allowed(headers: HeaderMap) -> ApiError {
    ApiError::method_not_allowed().in_lang(ApiLang::from_headers(&headers))
}

async fn not_found(headers: HeaderMap) -> ApiError {
    ApiError::not_found().in_lang(ApiLang::from_headers(&headers))
}
