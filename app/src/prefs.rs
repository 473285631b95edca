//! The visitor's preferences: language and AQI scale. On the server they come from the
//! `?lang=` / `?scale=` query, then the cookies, then the deployment's defaults; the server
//! writes them into `<html lang data-aqi-scale>`, where the browser reads them when it
//! hydrates, so both sides render the same page.

use daylight_domain::aqi::AqiScale;
use leptos::prelude::*;

use crate::i18n::Lang;
#[cfg(feature = "ssr")]
use crate::i18n::LANG_COOKIE;

/// The cookie that remembers the visitor's AQI scale.
pub const SCALE_COOKIE: &str = "daylight_scale";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prefs {
    pub lang: Lang,
    pub scale: AqiScale,
}

/// The AQI scale of the page being rendered.
pub fn use_scale() -> AqiScale {
    use_context::<Prefs>()
        .map(|p| p.scale)
        .unwrap_or(AqiScale::Hj633)
}

/// The value of a cookie in a request's headers.
#[cfg(feature = "ssr")]
pub fn cookie(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The preferences a URL's query asks for (`?lang=zh|en`, `?scale=hj633|us-epa`); values
/// that are not understood count as not given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueryPrefs {
    pub lang: Option<Lang>,
    pub scale: Option<AqiScale>,
}

impl QueryPrefs {
    pub fn parse(query: Option<&str>) -> Self {
        let value = |key: &str| {
            query.and_then(|q| {
                q.split('&')
                    .filter_map(|pair| pair.split_once('='))
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| v)
            })
        };
        Self {
            lang: value("lang").and_then(Lang::from_code),
            scale: value("scale").and_then(|v| v.parse().ok()),
        }
    }
}

/// Reads the preferences of the request (server) or of the document (browser).
pub fn request_prefs() -> Prefs {
    #[cfg(feature = "ssr")]
    {
        let default_scale = use_context::<crate::data::SiteContext>()
            .map(|s| s.default_scale)
            .unwrap_or(AqiScale::Hj633);
        let Some(parts) = use_context::<http::request::Parts>() else {
            return Prefs {
                lang: Lang::default(),
                scale: default_scale,
            };
        };
        let query = QueryPrefs::parse(parts.uri.query());
        let cookie = |name: &str| cookie(&parts.headers, name);
        let lang = query
            .lang
            .or_else(|| cookie(LANG_COOKIE).and_then(|v| Lang::from_code(&v)))
            .unwrap_or_default();
        let scale = query
            .scale
            .or_else(|| cookie(SCALE_COOKIE).and_then(|v| v.parse().ok()))
            .unwrap_or(default_scale);
        Prefs { lang, scale }
    }
    #[cfg(not(feature = "ssr"))]
    {
        let root = document().document_element();
        let attr = |name: &str| root.as_ref().and_then(|r| r.get_attribute(name));
        Prefs {
            lang: attr("lang")
                .and_then(|v| Lang::from_code(&v))
                .unwrap_or_default(),
            scale: attr("data-aqi-scale")
                .and_then(|v| v.parse().ok())
                .unwrap_or(AqiScale::Hj633),
        }
    }
}
