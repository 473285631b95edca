//! Atom feed discovery: the `<link rel="alternate" type="application/atom+xml">` a feed
//! reader looks for in a page's `<head>`. The feeds themselves are the server's
//! `/feeds/alerts.atom` and `/feeds/complaints.atom` (docs/open-data.md). Relative addresses
//! are allowed in discovery links, so the page needs no knowledge of its public address.

use leptos::prelude::*;
use leptos_meta::Link;

use crate::i18n::{use_lang, Lang};
use crate::oembed::encode_query_value;

/// Which feed a page announces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedKind {
    /// All alerts (the map).
    Alerts,
    /// One station's or section's alerts.
    Station(String),
    /// One enterprise's exceedances.
    Enterprise(String),
    /// The public complaint register.
    Complaints,
}

impl FeedKind {
    fn href(&self, lang: Lang) -> String {
        let (path, filter) = match self {
            Self::Alerts => ("/feeds/alerts.atom", None),
            Self::Station(code) => (
                "/feeds/alerts.atom",
                Some(format!("station={}", encode_query_value(code))),
            ),
            Self::Enterprise(code) => (
                "/feeds/alerts.atom",
                Some(format!("enterprise={}", encode_query_value(code))),
            ),
            Self::Complaints => ("/feeds/complaints.atom", None),
        };
        let lang = (lang == Lang::En).then(|| "lang=en".to_string());
        let query: Vec<String> = filter.into_iter().chain(lang).collect();
        if query.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{}", query.join("&"))
        }
    }

    fn title(&self, lang: Lang) -> &'static str {
        match self {
            Self::Alerts | Self::Station(_) | Self::Enterprise(_) => {
                lang.pick("预警（Atom 订阅）", "Alerts (Atom feed)")
            }
            Self::Complaints => lang.pick(
                "投诉举报公开登记（Atom 订阅）",
                "Complaint register (Atom feed)",
            ),
        }
    }
}

/// The discovery link of `kind`'s feed, in the page's language.
#[component]
pub fn FeedLink(kind: FeedKind) -> impl IntoView {
    let lang = use_lang();
    view! { <Link rel="alternate" type_="application/atom+xml" href=kind.href(lang) title=kind.title(lang) /> }
}
