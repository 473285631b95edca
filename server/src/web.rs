//! The HTTP server: pages (Leptos), server functions, the JSON API and static files.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use daylight_app::data::SiteContext;
use daylight_app::i18n::{Lang, LANG_COOKIE};
use daylight_app::model::TileLayerConfig;
use daylight_app::prefs::SCALE_COOKIE;
use daylight_app::{shell, App};
use daylight_domain::aqi::AqiScale;
use daylight_store::Store;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{
    generate_route_list_with_exclusions, handle_server_fns_with_context, LeptosRoutes,
};
use serde::Deserialize;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::api;
use crate::config::Config;
use crate::ingest::Ingestor;
use crate::live::LiveHub;
use crate::page_cache::{self, PageCache};

pub fn site_context(
    config: &Config,
    store: Arc<dyn Store>,
    demo: bool,
    live: Arc<LiveHub>,
) -> SiteContext {
    SiteContext {
        store,
        demo,
        live: Some(live),
        utc_offset_minutes: config.utc_offset_minutes,
        default_scale: config.aqi_scale,
        public_url: config.public_base(),
        deadlines: daylight_domain::complaint::Deadlines {
            accept_working_days: config.complaints.accept_days,
            close_days: config.complaints.close_days,
        },
        tiles: match (&config.map.tile_url, &config.map.tile_attribution) {
            (Some(url), Some(attribution)) => Some(TileLayerConfig {
                url: url.clone(),
                attribution: attribution.clone(),
            }),
            _ => None,
        },
    }
}

pub fn router(config: &Config, site: SiteContext, ingestor: Arc<Ingestor>) -> Router {
    let options = LeptosOptions::builder()
        .output_name("daylight")
        .site_root(config.site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .site_addr(SocketAddr::new(config.bind, config.port))
        .build();
    // `/report` is served by `crate::complaints` (a fresh key per visitor, never cached).
    let routes = generate_route_list_with_exclusions(App, Some(vec!["/report".into()]));

    let page_cache = PageCache::new(PAGE_CACHE_TTL);
    let page_site = site.clone();
    let shell_options = options.clone();
    let pages = Router::new()
        .leptos_routes_with_context(
            &options,
            routes,
            move || provide_context(page_site.clone()),
            move || shell(shell_options.clone()),
        )
        .with_state(options.clone())
        // `leptos_routes` also mounts the server functions, at their exact paths.
        .layer(axum::middleware::from_fn(guard_server_fns))
        .layer(compression())
        .layer(axum::middleware::from_fn_with_state(
            page_cache.clone(),
            page_cache::middleware,
        ));

    let fn_site = site.clone();
    let server_fns = move |request: Request<Body>| {
        let fn_site = fn_site.clone();
        async move {
            let response =
                handle_server_fns_with_context(move || provide_context(fn_site.clone()), request)
                    .await
                    .into_response();
            plain_server_fn_errors(response).await
        }
    };

    // Any other path is rendered by the app, whose fallback route is the 404 page.
    let fallback_site = site.clone();
    let fallback_options = options.clone();
    let not_found = leptos_axum::render_app_async_with_context(
        move || provide_context(fallback_site.clone()),
        move || shell(fallback_options.clone()),
    );

    let static_dir = |dir: &str, cache: &'static str| {
        Router::new()
            .fallback_service(
                ServeDir::new(config.site_root.join(dir))
                    .precompressed_br()
                    .precompressed_gzip(),
            )
            .layer(SetResponseHeaderLayer::overriding(
                header::CACHE_CONTROL,
                HeaderValue::from_static(cache),
            ))
    };

    // The embeddable cards: rendered once per second at most, stored compressed.
    let embeds = crate::embed::router(site.clone())
        .layer(compression())
        .layer(axum::middleware::from_fn_with_state(
            page_cache.clone(),
            page_cache::middleware,
        ));

    // The Atom feeds: through the micro-cache (which gives them their ETag and 304s).
    let feeds = crate::feeds::router(site.clone())
        .layer(compression())
        .layer(axum::middleware::from_fn_with_state(
            page_cache.clone(),
            page_cache::middleware,
        ));

    // The share-card images that `og:image` points to (SVG compressed; PNG as is: the
    // compression layer leaves images other than SVG alone). Loads the card fonts.
    let cards = crate::card::router(site.clone(), &config.card_fonts).layer(compression());

    // The complaint form and its submission (not through the page cache).
    let report = crate::complaints::router(site.clone(), options.clone()).layer(compression());

    // The complaints back office (not through the page cache).
    let admin = crate::admin::router(
        site.clone(),
        daylight_domain::complaint::Deadlines {
            accept_working_days: config.complaints.accept_days,
            close_days: config.complaints.close_days,
        },
    )
    .layer(compression());

    // Open311 GeoReport v2 (not through the page cache: answers depend on the query).
    let open311 = crate::open311::router(
        site.clone(),
        daylight_domain::complaint::Deadlines {
            accept_working_days: config.complaints.accept_days,
            close_days: config.complaints.close_days,
        },
    )
    .layer(compression());

    // Citable snapshots: created by POST, then immutable (not through the page cache).
    let snapshots = crate::snapshot::router(site.clone()).layer(compression());

    // The widget builder `/embed` (depends on its query; not through the page cache).
    let builder = crate::embed_builder::router(site.clone()).layer(compression());

    // Enterprise accounts (not through the page cache).
    let account = crate::account::router(site.clone()).layer(compression());

    let dynamic = Router::new()
        .route(
            "/oembed",
            get(crate::oembed::oembed).with_state(site.clone()),
        )
        .route("/api/fn/{*name}", get(server_fns.clone()).post(server_fns))
        .nest(
            "/api/v1",
            api::router(api::ApiState { site, ingestor }, page_cache.clone()),
        )
        // The API index is `/api/v1`; the nested router cannot match the trailing slash.
        .route(
            "/api/v1/",
            get(|| async { axum::response::Redirect::permanent("/api/v1") }),
        )
        .route("/lang/{code}", get(set_language))
        .route("/scale/{code}", get(set_scale))
        .fallback(move |request: Request<Body>| {
            let not_found = not_found.clone();
            async move { not_found(request).await }
        })
        .layer(compression());

    Router::new()
        .merge(pages)
        .merge(embeds)
        .merge(feeds)
        .merge(cards)
        .merge(report)
        .merge(admin)
        .merge(account)
        .merge(snapshots)
        .merge(builder)
        .merge(open311)
        .merge(dynamic)
        .nest(
            "/pkg",
            static_dir("pkg", "public, max-age=300, must-revalidate"),
        )
        .nest(
            "/style",
            static_dir("style", "public, max-age=300, must-revalidate"),
        )
        .nest("/vendor", static_dir("vendor", "public, max-age=86400"))
        .route_service("/favicon.svg", ServeDir::new(&config.site_root))
        // Outside the compression layers, so that a flood of 429s costs no compression.
        .layer(axum::middleware::from_fn_with_state(
            crate::rate_limit::ApiLimits::new(&config.api),
            crate::rate_limit::middleware,
        ))
        .layer(axum::middleware::from_fn(cors))
        .layer(axum::middleware::from_fn(framing))
}

/// Who may put our pages in a frame. The embeddable cards (`/embed/…`) may be framed by any
/// site; they carry no script, so their policy also forbids scripts, plugins and forms. The
/// embedded map (`/embed/map`) may be framed by any site too, and runs the app's scripts.
/// Everything else refuses to be framed (clickjacking): CSP `frame-ancestors 'none'` and,
/// for browsers without CSP 2, `X-Frame-Options: DENY`; the back office (`/admin`) gets its
/// stricter policy (`crate::admin::CONTENT_POLICY`), which includes it. Applied outside the
/// page cache, so a cached answer gets the same headers as a fresh one.
async fn framing(request: Request<Body>, next: axum::middleware::Next) -> Response {
    let path = request.uri().path();
    let embeddable = path.starts_with("/embed/");
    // The embedded map is the app itself (it hydrates and opens the live stream): framed
    // by anyone, but with the site's scripts.
    let live_embed = path == "/embed/map";
    let back_office = path == "/admin" || path.starts_with("/admin/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if live_embed {
        headers.remove(header::X_FRAME_OPTIONS);
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("frame-ancestors *"),
        );
    } else if embeddable {
        headers.remove(header::X_FRAME_OPTIONS);
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(EMBED_POLICY),
        );
    } else {
        let policy = if back_office {
            crate::admin::CONTENT_POLICY
        } else {
            "frame-ancestors 'none'"
        };
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(policy),
        );
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    response
}

/// The content policy of an embeddable card: inline styles, nothing else loaded, framed
/// by anyone.
const EMBED_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
     base-uri 'none'; form-action 'none'; frame-ancestors *";

/// CORS for the public API (and the oEmbed answer and the Atom feeds): any web page may read
/// them (`Access-Control-Allow-Origin: *`, no credentials), and a preflight for a GET is
/// answered here. The write endpoints under `/api/v1/ingest/` get no CORS headers at all, so
/// a browser never sends a cross-site push.
async fn cors(request: Request<Body>, next: axum::middleware::Next) -> Response {
    let path = request.uri().path();
    let open = (path.starts_with("/api/v1/") && !path.starts_with("/api/v1/ingest/"))
        || path == "/oembed"
        || path.starts_with("/feeds/")
        || path.starts_with("/open311/");
    if !open {
        return next.run(request).await;
    }
    let method = request.method().clone();
    if method == axum::http::Method::OPTIONS {
        return (
            StatusCode::NO_CONTENT,
            [
                (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
                (header::ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD, OPTIONS"),
                (header::ACCESS_CONTROL_ALLOW_HEADERS, "*"),
                (header::ACCESS_CONTROL_MAX_AGE, "86400"),
                (header::ALLOW, "GET, HEAD, OPTIONS"),
            ],
        )
            .into_response();
    }
    let mut response = next.run(request).await;
    if method == axum::http::Method::GET || method == axum::http::Method::HEAD {
        response.headers_mut().insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
    }
    response
}

/// How long a rendered page or API answer is reused (see `page_cache`).
const PAGE_CACHE_TTL: Duration = Duration::from_secs(1);

/// Pages and JSON are compressed on the fly (static files come precompressed). Behind the
/// micro-cache this runs once per page per second, so a high quality is affordable; brotli's
/// maximum (11) would cost tens of milliseconds per miss for a few percent.
pub(crate) fn compression() -> CompressionLayer {
    CompressionLayer::new().quality(CompressionLevel::Precise(9))
}

async fn guard_server_fns(request: Request<Body>, next: axum::middleware::Next) -> Response {
    let is_server_fn = request.uri().path().starts_with("/api/fn/");
    let response = next.run(request).await;
    if is_server_fn {
        plain_server_fn_errors(response).await
    } else {
        response
    }
}

/// Server functions are called by our own pages; anything else that reaches them (a
/// garbled body, missing arguments, an unknown function) gets a short 4xx instead of
/// Leptos's internal error text with a 500. Errors our functions return themselves
/// ("ServerError|…") pass unchanged, so the page can show them.
async fn plain_server_fn_errors(response: Response) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (StatusCode::BAD_REQUEST, "bad request").into_response();
    };
    let text = String::from_utf8_lossy(&bytes);
    if text.starts_with("ServerError|") {
        return Response::from_parts(parts, Body::from(bytes));
    }
    if text.contains("length limit") {
        return (StatusCode::PAYLOAD_TOO_LARGE, "request body too large").into_response();
    }
    let status =
        if status == StatusCode::NOT_FOUND || text.contains("Could not find a server function") {
            StatusCode::NOT_FOUND
        } else {
            StatusCode::BAD_REQUEST
        };
    tracing::debug!(%status, detail = %text, "rejected a server function call");
    (status, "bad request to a page data function").into_response()
}

#[derive(Debug, Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// `GET /lang/{zh|en}?next=/path`: remembers the choice in a cookie and goes back. A plain
/// link, so it works without JavaScript.
async fn set_language(
    Path(code): Path<String>,
    query: Result<Query<NextQuery>, QueryRejection>,
) -> Response {
    let Some(lang) = Lang::from_code(&code) else {
        return (StatusCode::NOT_FOUND, "unknown language / 不支持的语言").into_response();
    };
    remember_and_return(LANG_COOKIE, lang.code(), query)
}

/// `GET /scale/{hj633|us-epa}?next=/path`: the visitor's AQI scale, like the language.
async fn set_scale(
    Path(code): Path<String>,
    query: Result<Query<NextQuery>, QueryRejection>,
) -> Response {
    let Ok(scale) = code.parse::<AqiScale>() else {
        return (
            StatusCode::NOT_FOUND,
            "unknown AQI scale / 不支持的空气质量指数标准",
        )
            .into_response();
    };
    remember_and_return(SCALE_COOKIE, scale.as_str(), query)
}

/// Sets a preference cookie for a year and sends the visitor back to a page of this site.
fn remember_and_return(
    cookie: &str,
    value: &str,
    query: Result<Query<NextQuery>, QueryRejection>,
) -> Response {
    let next = query
        .ok()
        .and_then(|Query(q)| q.next)
        .filter(|n| is_local_path(n))
        .unwrap_or_else(|| "/".to_string());
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, next)]).into_response();
    let cookie = format!("{cookie}={value}; Path=/; Max-Age=31536000; SameSite=Lax");
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// Only paths on this site: no scheme, no host, no `//evil.example`.
fn is_local_path(path: &str) -> bool {
    // Browsers drop tabs and newlines from URLs ("/\t/evil" becomes "//evil"), and control
    // characters cannot go into a header at all: none of them is allowed.
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::is_local_path;

    #[test]
    fn language_switch_never_redirects_off_site() {
        assert!(is_local_path("/station/1462A"));
        assert!(!is_local_path("//evil.example/"));
        assert!(!is_local_path("https://evil.example/"));
        assert!(!is_local_path("/\\evil.example"));
        assert!(!is_local_path("/\t/evil.example"));
        assert!(!is_local_path("/\0x"));
    }
}
