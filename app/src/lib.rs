#![recursion_limit = "512"]
//! Daylight's pages. Rendered on the server first (a phone gets readable HTML before any
//! script), then hydrated in the browser, where the live map is created.

pub mod assess;
pub mod components;
#[cfg(feature = "ssr")]
pub mod data;
pub mod i18n;
#[cfg(feature = "hydrate")]
mod map_js;
pub mod model;
pub mod pages;
pub mod server_fns;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::i18n::{use_texts, Lang};
use crate::pages::{MapPage, NotFound, StationPage};

/// The HTML document around the app (server side).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = request_lang();
    view! {
        <!DOCTYPE html>
        <html lang=lang.tag()>
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

/// The visitor's language: on the server from the `?lang=` query or the cookie, in the
/// browser from `<html lang>`, which the server wrote from the same source.
pub fn request_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        let Some(parts) = use_context::<http::request::Parts>() else {
            return Lang::default();
        };
        let from_query = parts.uri.query().and_then(|q| {
            q.split('&')
                .filter_map(|pair| pair.split_once('='))
                .find(|(k, _)| *k == "lang")
                .and_then(|(_, v)| Lang::from_code(v))
        });
        let from_cookie = || {
            parts
                .headers
                .get_all(http::header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(';'))
                .filter_map(|c| c.trim().split_once('='))
                .find(|(k, _)| *k == i18n::LANG_COOKIE)
                .and_then(|(_, v)| Lang::from_code(v))
        };
        from_query.or_else(from_cookie).unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document_lang().unwrap_or_default()
    }
}

#[cfg(not(feature = "ssr"))]
fn document_lang() -> Option<Lang> {
    let tag = document().document_element()?.get_attribute("lang")?;
    Lang::from_code(&tag)
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = request_lang();
    provide_context(lang);
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
                    <Route path=path!("/station/:code") view=StationPage ssr=SsrMode::Async />
                    <Route path=path!("/water/:code") view=StationPage ssr=SsrMode::Async />
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
