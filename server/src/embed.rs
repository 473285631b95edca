//! `/embed/station/{code}`, `/embed/water/{code}` and `/embed/enterprise/{code}`: the cards
//! other sites put in an `<iframe>` (docs/embedding.md). The card is rendered by the app
//! crate ([`daylight_app::embed`], [`daylight_app::embed_enterprise`]); this module picks the language and scale from the query only
//! (an iframe on another site gets no cookies of ours, and the embedding page should decide
//! what its readers see), and answers with the right status and caching.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use daylight_app::data::SiteContext;
use daylight_app::embed::{self, CardOutcome, RenderedCard};
use daylight_app::prefs::{Prefs, QueryPrefs};
use daylight_domain::station::StationKind;

pub fn router(site: SiteContext) -> Router {
    Router::new()
        .route("/embed/station/{code}", get(station))
        .route("/embed/water/{code}", get(water))
        .route("/embed/enterprise/{code}", get(enterprise))
        .route("/embed/{*rest}", get(unknown))
        .with_state(site)
}

/// The language and scale of a card: `?lang=` and `?scale=`, else Chinese and the
/// deployment's scale.
fn prefs(site: &SiteContext, uri: &Uri) -> Prefs {
    let query = QueryPrefs::parse(uri.query());
    Prefs {
        lang: query.lang.unwrap_or_default(),
        scale: query.scale.unwrap_or(site.default_scale),
    }
}

async fn station(
    State(site): State<SiteContext>,
    uri: Uri,
    code: Result<Path<String>, PathRejection>,
) -> Response {
    card(&site, StationKind::Air, &uri, code).await
}

async fn water(
    State(site): State<SiteContext>,
    uri: Uri,
    code: Result<Path<String>, PathRejection>,
) -> Response {
    card(&site, StationKind::Water, &uri, code).await
}

/// `/embed/enterprise/{code}`: an enterprise's self-monitoring card (by credit code).
async fn enterprise(
    State(site): State<SiteContext>,
    uri: Uri,
    code: Result<Path<String>, PathRejection>,
) -> Response {
    let prefs = prefs(&site, &uri);
    let rendered = match code {
        Ok(Path(code)) => {
            daylight_app::embed_enterprise::enterprise_card(&site, &code, prefs).await
        }
        Err(_) => embed::not_found_card(prefs),
    };
    respond(rendered)
}

async fn unknown(State(site): State<SiteContext>, uri: Uri) -> Response {
    respond(embed::not_found_card(prefs(&site, &uri)))
}

async fn card(
    site: &SiteContext,
    kind: StationKind,
    uri: &Uri,
    code: Result<Path<String>, PathRejection>,
) -> Response {
    let prefs = prefs(site, uri);
    let rendered = match code {
        Ok(Path(code)) => embed::station_card(site, kind, &code, prefs).await,
        // A code that is not even UTF-8 names no station.
        Err(_) => embed::not_found_card(prefs),
    };
    respond(rendered)
}

fn respond(card: RenderedCard) -> Response {
    let (status, cache) = match card.outcome {
        // Readings arrive hourly: a minute of caching in browsers and CDNs costs little.
        CardOutcome::Found => (StatusCode::OK, "public, max-age=60"),
        CardOutcome::NotFound => (StatusCode::NOT_FOUND, "public, max-age=60"),
        CardOutcome::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "no-store"),
    };
    let mut response = (status, card.html).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}
