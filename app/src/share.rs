//! Share cards: what a link preview (WeChat, Weibo, Twitter/X, Slack…) shows of a page.
//! The pages put OpenGraph and Twitter `<meta>` tags in their `<head>` ([`ShareMeta`]); the
//! image they point to is drawn as SVG ([`card_svg`], [`draw_card`]) and served as
//! `/card/station/{code}.svg` or, rasterised by the server, `/card/station/{code}.png` (most
//! crawlers take no SVG). Both read the station's state through [`crate::assess::status`],
//! the same assessment as the pages and the embed cards.

use chrono::{DateTime, Utc};
use daylight_domain::station::{DataSource, StationKind};
use leptos::prelude::*;
use leptos_meta::Meta;

use crate::assess::{self, Status};
use crate::components::format_local;
use crate::i18n::Lang;
use crate::model::{ReadingView, StationInfo};
use crate::prefs::Prefs;

/// The card image's size: the 1.91:1 OpenGraph recommends for large previews.
pub const CARD_WIDTH: u32 = 1200;
pub const CARD_HEIGHT: u32 = 630;

/// A station's state in a few words: "AQI 134 轻度污染", "水质类别 III 良好".
#[derive(Debug, Clone, PartialEq)]
pub struct Headline {
    /// What the value is ("AQI", "水质类别").
    pub measure: String,
    /// The value itself ("134", "III", "—").
    pub value: String,
    /// Its meaning ("轻度污染", "良好", "暂无数据").
    pub label: String,
    /// The colour of its class (grey without a value).
    pub color: &'static str,
    /// The hour it describes.
    pub time: Option<DateTime<Utc>>,
    /// Where the values came from (simulated ones are labelled).
    pub source: Option<DataSource>,
}

const NO_VALUE_GREY: &str = "#9e9e9e";

impl Headline {
    /// The headline of a station's latest hour (`latest`: the readings of that hour).
    pub fn new(lang: Lang, prefs: Prefs, station: &StationInfo, latest: &[&ReadingView]) -> Self {
        let t = lang.t();
        let time = latest.first().map(|r| r.time);
        let source = assess::combined_source(latest);
        let (measure, value, label, color) = match assess::status(station, latest, prefs.scale) {
            Status::Air(Ok(report)) => (
                "AQI".to_string(),
                report.aqi.to_string(),
                lang.pick(report.category.name_zh, report.category.name_en)
                    .to_string(),
                report.category.color,
            ),
            Status::Air(Err(_)) => (
                "AQI".to_string(),
                "—".to_string(),
                t.no_aqi.to_string(),
                NO_VALUE_GREY,
            ),
            Status::Water(Some(a)) => (
                t.water_class.to_string(),
                a.class.roman().to_string(),
                lang.pick(a.class.quality_zh(), a.class.quality_en())
                    .to_string(),
                a.class.color(),
            ),
            Status::Water(None) | Status::NoData => (
                match station.kind {
                    StationKind::Air => "AQI".to_string(),
                    StationKind::Water => t.water_class.to_string(),
                },
                "—".to_string(),
                t.no_data.to_string(),
                NO_VALUE_GREY,
            ),
        };
        Headline {
            measure,
            value,
            label,
            color,
            time,
            source,
        }
    }

    /// The one-line description of a preview: "高压开关厂 · AQI 134 轻度污染 · 2026-11-30 10:00 (UTC+08:00)".
    pub fn description(&self, lang: Lang, name: &str, offset: i32) -> String {
        let mut text = format!("{name} · {} {} {}", self.measure, self.value, self.label);
        if let Some(time) = self.time {
            text.push_str(" · ");
            text.push_str(&format_local(time, offset));
        }
        if self.source == Some(DataSource::Simulated) {
            text.push_str(&format!(" · {}", lang.t().source_simulated));
        }
        text
    }
}

/// The page path of a station (`/station/{code}`) or water section (`/water/{code}`), and
/// the path segment its cards use.
pub fn page_segment(kind: StationKind) -> &'static str {
    match kind {
        StationKind::Air => "station",
        StationKind::Water => "water",
    }
}

/// OpenGraph and Twitter `<meta>` tags for a page. `base` is the site's public address
/// (see `SiteContext::base_url`); without it the absolute `og:url` and `og:image` cannot
/// be written and only the texts are given.
#[component]
pub fn ShareMeta(
    title: String,
    description: String,
    base: Option<String>,
    /// The page's path, e.g. `/station/1462A`.
    path: String,
    /// The card image's path, e.g. `/card/station/1462A.png`; None for a text-only preview.
    #[prop(optional)]
    image: Option<String>,
) -> impl IntoView {
    // A large image preview only when there is an image to show.
    let twitter_card = if image.is_some() && base.is_some() {
        "summary_large_image"
    } else {
        "summary"
    };
    let absolute = base.map(|base| {
        let url = format!("{base}{path}");
        let image = image.map(|image| format!("{base}{image}"));
        view! {
            <Meta property="og:url" content=url />
            {image.map(|image| view! {
                <Meta property="og:image" content=image.clone() />
                <Meta property="og:image:type" content=image_type(&image) />
                <Meta property="og:image:width" content=CARD_WIDTH.to_string() />
                <Meta property="og:image:height" content=CARD_HEIGHT.to_string() />
                <Meta name="twitter:image" content=image />
            })}
        }
    });
    view! {
        <Meta property="og:type" content="website" />
        <Meta property="og:site_name" content="Daylight" />
        <Meta property="og:title" content=title.clone() />
        <Meta property="og:description" content=description.clone() />
        <Meta name="twitter:card" content=twitter_card />
        <Meta name="twitter:title" content=title />
        <Meta name="twitter:description" content=description />
        {absolute}
    }
}

/// The share card of a station as a 1200×630 SVG document. Every text is escaped for XML.
pub fn card_svg(
    lang: Lang,
    prefs: Prefs,
    station: &StationInfo,
    latest: &[&ReadingView],
    offset: i32,
) -> String {
    let t = lang.t();
    let h = Headline::new(lang, prefs, station, latest);
    let section = match station.kind {
        StationKind::Air => t.air_quality,
        StationKind::Water => t.water_quality,
    };
    let place = match station.kind {
        StationKind::Air => station.district.clone(),
        StationKind::Water => station.river.clone().or_else(|| station.district.clone()),
    };
    let sub = match place {
        Some(place) => format!("{place} · {section}"),
        None => section.to_string(),
    };
    let time = match h.time {
        Some(time) => format!("{}: {}", t.as_of, format_local(time, offset)),
        None => t.no_data.to_string(),
    };
    let simulated = (h.source == Some(DataSource::Simulated)).then_some(t.source_simulated);
    draw_card(&CardText {
        name: &station.name,
        sub: &sub,
        measure: &h.measure,
        value: &h.value,
        label: &h.label,
        color: h.color,
        time: &time,
        note: None,
        badge: simulated,
    })
}

/// The texts and colour of a share card, already worked out: from a station's latest hour
/// ([`card_svg`]) or from the frozen values of a citable snapshot (the server's
/// `snapshot::card`).
#[derive(Debug, Clone, Copy)]
pub struct CardText<'a> {
    /// The station's name (the largest line).
    pub name: &'a str,
    /// Where and what: "雁塔区 · 空气质量".
    pub sub: &'a str,
    /// "AQI", "水质类别".
    pub measure: &'a str,
    /// "134", "III", "—".
    pub value: &'a str,
    /// "轻度污染", "良好".
    pub label: &'a str,
    /// The class colour of the value block, `#rrggbb`.
    pub color: &'a str,
    /// "数据时间: 2026-11-30 10:00 (UTC+08:00)".
    pub time: &'a str,
    /// A further line under the time (a snapshot's "taken at").
    pub note: Option<&'a str>,
    /// A boxed label in the top right corner ("模拟" for simulated values).
    pub badge: Option<&'a str>,
}

/// Where the value block is drawn: `(x, y, width, height)`. The PNG tests read its colour.
pub const VALUE_BLOCK: (u32, u32, u32, u32) = (80, 230, 360, 220);

/// Draws a share card: 1200×630 SVG, every text escaped for XML.
pub fn draw_card(card: &CardText) -> String {
    let ink = ink_on(card.color);
    let badge = card
        .badge
        .map(|badge| {
            format!(
                r##"<rect x="880" y="60" width="260" height="64" rx="12" fill="#fff3cd" stroke="#b58900" stroke-width="3"/><text x="1010" y="103" text-anchor="middle" font-size="32" fill="#6b4f00">{}</text>"##,
                xml_escape(badge)
            )
        })
        .unwrap_or_default();
    let note = card
        .note
        .map(|note| {
            format!(
                r##"<text x="490" y="450" font-size="30" fill="#555555">{}</text>"##,
                xml_escape(note)
            )
        })
        .unwrap_or_default();
    let value_size = if card.value.chars().count() > 3 {
        120
    } else {
        150
    };
    let (bx, by, bw, bh) = VALUE_BLOCK;
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{CARD_WIDTH}" height="{CARD_HEIGHT}" viewBox="0 0 {CARD_WIDTH} {CARD_HEIGHT}" font-family="'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif"><title>{title}</title><rect width="{CARD_WIDTH}" height="{CARD_HEIGHT}" fill="#ffffff"/><rect width="24" height="{CARD_HEIGHT}" fill="{color}"/>{badge}<text x="80" y="120" font-size="64" font-weight="700" fill="#1a1a1a">{name}</text><text x="80" y="180" font-size="34" fill="#555555">{sub}</text><rect x="{bx}" y="{by}" width="{bw}" height="{bh}" rx="24" fill="{color}"/><text x="260" y="285" text-anchor="middle" font-size="34" fill="{ink}">{measure}</text><text x="260" y="415" text-anchor="middle" font-size="{value_size}" font-weight="700" fill="{ink}">{value}</text><text x="490" y="330" font-size="64" font-weight="700" fill="#1a1a1a">{label}</text><text x="490" y="400" font-size="34" fill="#555555">{time}</text>{note}<line x1="80" y1="520" x2="1120" y2="520" stroke="#dddddd" stroke-width="2"/><text x="80" y="575" font-size="30" fill="#555555">Daylight · {attribution}</text></svg>"##,
        title = xml_escape(&format!(
            "{} · {} {} {}",
            card.name, card.measure, card.value, card.label
        )),
        color = xml_escape(card.color),
        name = xml_escape(card.name),
        sub = xml_escape(card.sub),
        measure = xml_escape(card.measure),
        value = xml_escape(card.value),
        label = xml_escape(card.label),
        time = xml_escape(card.time),
        attribution = xml_escape(crate::i18n::Lang::Zh.t().embed_attribution),
    )
}

/// The media type of a card image, from its path's extension.
fn image_type(path: &str) -> &'static str {
    let path = path.split('?').next().unwrap_or(path);
    if path.ends_with(".svg") {
        "image/svg+xml"
    } else {
        "image/png"
    }
}

/// Dark or white text, whichever reads better on `background` (`#rrggbb`).
fn ink_on(background: &str) -> &'static str {
    let hex = background.trim_start_matches('#');
    let channel = |i: usize| {
        hex.get(i..i + 2)
            .and_then(|c| u8::from_str_radix(c, 16).ok())
            .map_or(0.0, f64::from)
    };
    let luma = 0.299 * channel(0) + 0.587 * channel(2) + 0.114 * channel(4);
    if luma > 140.0 {
        "#1a1a1a"
    } else {
        "#ffffff"
    }
}

/// Escapes text for XML character data and attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_ink_contrasts() {
        assert_eq!(xml_escape(r#"<a&"'>"#), "&lt;a&amp;&quot;&apos;&gt;");
        assert_eq!(ink_on("#FFFF00"), "#1a1a1a");
        assert_eq!(ink_on("#7E0023"), "#ffffff");
    }

    #[test]
    fn a_card_escapes_names_and_renders_fast() {
        use daylight_domain::aqi::AqiScale;
        use daylight_domain::station::StationCode;
        let station = StationInfo {
            code: StationCode::parse("X1").expect("a valid code"),
            name: r#"<b>A&B "厂"</b>"#.to_string(),
            kind: StationKind::Air,
            lon: 108.9,
            lat: 34.3,
            district: Some("雁塔区".into()),
            water_body: None,
            river: None,
            approximate: false,
            provenance: String::new(),
        };
        let prefs = Prefs {
            lang: Lang::Zh,
            scale: AqiScale::Hj633,
        };
        let svg = card_svg(Lang::Zh, prefs, &station, &[], 480);
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("&lt;b&gt;A&amp;B &quot;厂&quot;&lt;/b&gt;"));
        assert!(!svg.contains("<b>"));
        let started = std::time::Instant::now();
        for _ in 0..1000 {
            std::hint::black_box(card_svg(Lang::Zh, prefs, &station, &[], 480));
        }
        assert!(started.elapsed() < std::time::Duration::from_millis(1000));
    }
}
