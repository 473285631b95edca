#![recursion_limit = "512"]
//! Daylight's pages. Rendered on the server first (a phone gets readable HTML before any
//! script), then hydrated in the browser, where the live map is created.

pub mod assess;
pub mod complaint;
pub mod components;
#[cfg(feature = "ssr")]
pub mod data;
#[cfg(feature = "ssr")]
pub mod embed;
#[cfg(feature = "ssr")]
pub mod embed_enterprise;
pub mod enterprise;
pub mod feeds;
pub mod i18n;
pub mod live;
#[cfg(feature = "hydrate")]
mod map_js;
pub mod model;
pub mod oembed;
pub mod pages;
pub mod prefs;
pub mod server_fns;
pub mod share;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::i18n::use_texts;
use crate::pages::{
    EmbedMapPage, FollowPage, MapPage, NotFound, RegisterPage, ReportPage, StationPage,
};
use crate::prefs::request_prefs;

/// The HTML document around the app (server side).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let prefs = request_prefs();
    view! {
        <!DOCTYPE html>
        <html lang=prefs.lang.tag() data-aqi-scale=prefs.scale.as_str()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0b5fa5" />
                <link rel="stylesheet" href="/style/daylight.css" />
                <link rel="stylesheet" href="/vendor/leaflet/leaflet.css" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <script src="/vendor/leaflet/leaflet.js" defer></script>
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let prefs = request_prefs();
    provide_context(prefs);
    provide_context(prefs.lang);
    let t = use_texts();
    view! {
        <Title formatter=move |page: String| {
            if page.is_empty() { t.site_name.to_string() } else { format!("{page} · {}", t.site_name) }
        } />
        <Router>
            <components::Header />
            <main id="main">
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") view=MapPage ssr=SsrMode::Async />
                    <Route path=path!("/embed/map") view=EmbedMapPage ssr=SsrMode::Async />
                    <Route path=path!("/station/:code") view=StationPage ssr=SsrMode::Async />
                    <Route path=path!("/water/:code") view=StationPage ssr=SsrMode::Async />
                    <Route path=path!("/report") view=ReportPage ssr=SsrMode::Async />
                    <Route path=path!("/report/follow/:token") view=FollowPage ssr=SsrMode::Async />
                    <Route path=path!("/complaints") view=RegisterPage ssr=SsrMode::Async />
                    <Route path=path!("/enterprises") view=crate::enterprise::pages::EnterprisesPage ssr=SsrMode::Async />
                    <Route path=path!("/enterprise/:code") view=crate::enterprise::pages::EnterprisePage ssr=SsrMode::Async />
                </Routes>
            </main>
            <components::Footer />
        </Router>
    }
}

/// The browser entry point: hydrate the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
