//! The embeddable cards, `/embed/station/{code}` and `/embed/water/{code}`: a station's
//! latest hour as a small, self-contained HTML document for another site's `<iframe>`.
//! Rendered on the server only and sent without any script (no hydration, no WASM), with
//! its styles inline, so that it is one small response that works everywhere. The
//! assessment is the pages' own ([`crate::assess::status`]); Leptos escapes every text.

use daylight_domain::aqi::{AqiReport, NoAqi};
use daylight_domain::station::StationKind;
use daylight_domain::water::WaterAssessment;
use leptos::prelude::*;

use crate::assess::{self, Status};
use crate::components::{format_local, scale_name, AqiBadge, SourceBadge, WaterClassBadge};
use crate::data::{self, SiteContext};
use crate::i18n::Lang;
use crate::model::{ReadingView, StationLatest};
use crate::prefs::Prefs;

/// The card's styles, inlined into every card (one response, nothing else to fetch).
const CSS: &str = include_str!("../../style/embed.css");

/// What became of a request for a card: the server answers 200, 404 or 503.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardOutcome {
    Found,
    NotFound,
    Unavailable,
}

/// A rendered card: a complete HTML document.
#[derive(Debug, Clone)]
pub struct RenderedCard {
    pub outcome: CardOutcome,
    pub html: String,
}

/// The card of the station `code`, which must be of `kind` (an air station under
/// `/embed/station/`, a water section under `/embed/water/`).
pub async fn station_card(
    site: &SiteContext,
    kind: StationKind,
    code: &str,
    prefs: Prefs,
) -> RenderedCard {
    match data::station_latest(site, code).await {
        Ok(Some(latest)) if latest.station.kind == kind => {
            let title = latest.station.name.clone();
            let offset = site.utc_offset_minutes;
            RenderedCard {
                outcome: CardOutcome::Found,
                html: document(prefs, title, move || {
                    view! { <StationCard latest offset prefs /> }.into_any()
                }),
            }
        }
        Ok(_) => not_found_card(prefs),
        Err(error) => {
            tracing::error!(%error, "loading an embed card failed");
            let t = prefs.lang.t();
            RenderedCard {
                outcome: CardOutcome::Unavailable,
                html: document(prefs, t.error_title.to_string(), move || {
                    message_card(t.error_title, t.error_body)
                }),
            }
        }
    }
}

/// The card for a code (or an `/embed/…` path) that names no station.
pub fn not_found_card(prefs: Prefs) -> RenderedCard {
    let t = prefs.lang.t();
    RenderedCard {
        outcome: CardOutcome::NotFound,
        html: document(prefs, t.embed_not_found_title.to_string(), move || {
            message_card(t.embed_not_found_title, t.embed_not_found_body)
        }),
    }
}

/// The whole document around a card, rendered to a string in a reactive owner of its own
/// that provides the language and the AQI scale to the shared components.
pub(crate) fn document(prefs: Prefs, title: String, card: impl FnOnce() -> AnyView) -> String {
    let owner = Owner::new();
    owner.with(|| {
        provide_context(prefs);
        provide_context(prefs.lang);
        let t = prefs.lang.t();
        let title = format!("{title} · {}", t.site_name);
        view! {
            <!DOCTYPE html>
            <html lang=prefs.lang.tag()>
                <head>
                    <meta charset="utf-8" />
                    <meta name="viewport" content="width=device-width, initial-scale=1" />
                    <meta name="robots" content="noindex" />
                    <title>{title}</title>
                    <style inner_html=CSS></style>
                </head>
                <body>{card()}</body>
            </html>
        }
        .to_html()
        // Leptos separates adjacent text nodes with `<!>` for hydration, which a card never
        // has; inside `<title>` the marker would even show. Every text is escaped (a `<` in
        // a name becomes `&lt;`), so a literal `<!>` can only be a marker.
        .replace("<!>", "")
    })
}

fn message_card(title: &'static str, body: &'static str) -> AnyView {
    view! {
        <article class="card card-message">
            <h1>{title}</h1>
            <p>{body}</p>
            <Attribution link=None />
        </article>
    }
    .into_any()
}

/// "Daylight · data source" and the way back to the full page, in a new tab (the card
/// lives in someone else's page).
#[component]
fn Attribution(link: Option<String>) -> impl IntoView {
    let t = crate::i18n::use_texts();
    view! {
        <footer>
            <span class="attribution">{t.embed_brand}" · "{t.embed_attribution}</span>
            {link.map(|href| view! {
                <a class="full" href=href target="_blank" rel="noopener">
                    {t.embed_full_page}" ↗"<span class="vh">{t.embed_new_tab}</span>
                </a>
            })}
        </footer>
    }
}

#[component]
fn StationCard(latest: StationLatest, offset: i32, prefs: Prefs) -> impl IntoView {
    let lang = prefs.lang;
    let t = lang.t();
    let s = &latest.station;
    let readings: Vec<&ReadingView> = latest.latest.iter().collect();
    let time = readings.first().map(|r| r.time);
    let source = assess::combined_source(&readings);
    let status = assess::status(s, &readings, prefs.scale);
    let (section, page) = match s.kind {
        StationKind::Air => (t.air_quality, "station"),
        StationKind::Water => (t.water_quality, "water"),
    };
    let place = match s.kind {
        StationKind::Air => s.district.clone(),
        StationKind::Water => s.river.clone().or_else(|| s.district.clone()),
    };
    let sub = match place {
        Some(place) => format!("{place} · {section}"),
        None => section.to_string(),
    };
    let link = format!(
        "/{page}/{}?lang={}&scale={}",
        s.code,
        lang.code(),
        prefs.scale.as_str()
    );
    let (color, main) = match status {
        Status::Air(Ok(report)) => (report.category.color, air_main(lang, prefs, report)),
        Status::Air(Err(reason)) => ("#9e9e9e", no_aqi_main(lang, reason)),
        Status::Water(Some(assessment)) => (assessment.class.color(), water_main(lang, assessment)),
        Status::Water(None) | Status::NoData => ("#9e9e9e", no_data_main(lang)),
    };
    view! {
        <article
            class="card"
            style=format!("--c:{color}")
            data-kind=s.kind.as_str()
            data-code=s.code.to_string()
        >
            <header>
                <h1>{s.name.clone()}</h1>
                <p class="sub">{sub}</p>
            </header>
            {main}
            <p class="as-of">
                {t.as_of}": "
                {match time {
                    Some(time) => {
                        view! { <time datetime=time.to_rfc3339()>{format_local(time, offset)}</time> }
                            .into_any()
                    }
                    None => t.no_data.into_any(),
                }}
                {source.map(|source| view! { " " <SourceBadge source /> })}
            </p>
            <Attribution link=Some(link) />
        </article>
    }
}

fn air_main(lang: Lang, prefs: Prefs, report: AqiReport) -> AnyView {
    let t = lang.t();
    let c = report.category;
    let primary = if report.primary.is_empty() {
        t.no_primary.to_string()
    } else {
        report
            .primary
            .iter()
            .map(|p| lang.pick(p.name_zh(), p.name_en()))
            .collect::<Vec<_>>()
            .join("、")
    };
    view! {
        <div class="main">
            <AqiBadge aqi=report.aqi large=true />
            <div>
                <p class="category">{lang.pick(c.name_zh, c.name_en)}" · "{t.level}" "{c.level}</p>
                <p class="sub">"AQI · "{scale_name(lang, prefs.scale)}</p>
            </div>
        </div>
        <p class="detail">{t.primary_pollutant}": "<strong>{primary}</strong></p>
    }
    .into_any()
}

fn no_aqi_main(lang: Lang, reason: NoAqi) -> AnyView {
    let t = lang.t();
    let reason = match lang {
        Lang::Zh => reason.reason_zh(),
        Lang::En => reason.reason_en(),
    };
    view! {
        <div class="main">
            <span class="badge badge-large badge-none">"—"</span>
            <p class="category">{t.no_aqi}</p>
        </div>
        <p class="detail">{reason}</p>
    }
    .into_any()
}

fn water_main(lang: Lang, assessment: WaterAssessment) -> AnyView {
    let t = lang.t();
    let deciding = assessment
        .deciding
        .iter()
        .map(|i| lang.pick(i.name_zh(), i.name_en()))
        .collect::<Vec<_>>()
        .join("、");
    let class = assessment.class;
    view! {
        <div class="main">
            <WaterClassBadge class large=true />
            <div>
                <p class="category">{lang.pick(class.quality_zh(), class.quality_en())}</p>
                <p class="sub">{t.water_class}" · GB 3838-2002"</p>
            </div>
        </div>
        <p class="detail">{t.deciding_items}": "<strong>{deciding}</strong></p>
    }
    .into_any()
}

fn no_data_main(lang: Lang) -> AnyView {
    let t = lang.t();
    view! {
        <div class="main">
            <span class="badge badge-large badge-none">"—"</span>
            <p class="category">{t.no_data}</p>
        </div>
    }
    .into_any()
}
