//! A snapshot as a page, a CSV and JSON: all three written from the stored document only.
//! The page is plain server-rendered HTML (no script), like the back office's pages.

use std::fmt::Write;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, FixedOffset, Offset, Utc};
use daylight_app::i18n::Lang;
use daylight_store::Snapshot;
use serde_json::{json, Value};

use super::document::{Document, FrozenAqi, FrozenHour, FrozenValue, Name};
use crate::admin::html::esc;
use crate::api::licence;

/// The site's name in citations.
const SITE_ZH: &str = "阳光环境 Daylight";
const SITE_EN: &str = "Daylight";

const STYLE: &str = ".snapshot-page{max-width:60rem;margin:0 auto;padding:1rem}\
.snapshot-page .table-wrap{overflow-x:auto}\
.snapshot-page table{border-collapse:collapse}\
.snapshot-page th,.snapshot-page td{padding:.2rem .5rem;border-bottom:1px solid #ddd;text-align:left}\
.snapshot-page td.num{text-align:right;font-variant-numeric:tabular-nums}\
.snapshot-page table.hours th,.snapshot-page table.hours td{white-space:nowrap}\
.snapshot-badge{display:inline-block;padding:.1rem .5rem;border-radius:.3rem;font-weight:bold}\
.snapshot-taken{background:#fff8e1;border-left:4px solid #f9a825;padding:.5rem}\
.citation{background:#f5f5f5;padding:.5rem;overflow-wrap:anywhere}";

fn offset(minutes: i32) -> FixedOffset {
    FixedOffset::east_opt(minutes.saturating_mul(60)).unwrap_or_else(|| Utc.fix())
}

/// `2026-11-30 10:00`, in the display time zone.
fn local(time: DateTime<Utc>, minutes: i32) -> String {
    time.with_timezone(&offset(minutes))
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

fn local_date(time: DateTime<Utc>, minutes: i32) -> String {
    time.with_timezone(&offset(minutes))
        .format("%Y-%m-%d")
        .to_string()
}

/// `UTC+08:00`.
fn zone(minutes: i32) -> String {
    format!("UTC{}", offset(minutes))
}

fn name(lang: Lang, n: &Name) -> &str {
    match lang {
        Lang::Zh => &n.zh,
        Lang::En => &n.en,
    }
}

fn source_name(lang: Lang, source: &str) -> &'static str {
    match source {
        "measured" => lang.pick("实测", "measured"),
        "replayed" => lang.pick("回放", "replayed"),
        "self_reported" => lang.pick("企业自报", "self-reported"),
        "simulated" => lang.pick("模拟", "simulated"),
        _ => lang.pick("未知", "unknown"),
    }
}

/// The permalink, absolute when the site's address is known.
fn permalink(base: &str, snapshot: &Snapshot) -> String {
    format!("{base}/snapshot/{}", snapshot.id)
}

/// The path of the snapshot's share card (PNG), in the page's language.
pub fn card_path(lang: Lang, snapshot: &Snapshot) -> String {
    match lang {
        Lang::Zh => format!("/card/snapshot/{}.png", snapshot.id),
        Lang::En => format!("/card/snapshot/{}.png?lang=en", snapshot.id),
    }
}

fn live_path(document: &Document) -> String {
    let segment = if document.is_air() {
        "station"
    } else {
        "water"
    };
    format!("/{segment}/{}", document.station.code)
}

/// The suggested citations, in Chinese (GB/T 7714 style for electronic resources) and in
/// English.
pub fn citations(
    snapshot: &Snapshot,
    document: &Document,
    base: &str,
    minutes: i32,
) -> (String, String) {
    let url = permalink(base, snapshot);
    let taken = local(snapshot.taken, minutes);
    let accessed = local_date(snapshot.taken, minutes);
    let zone = zone(minutes);
    let hour = document.latest().map(|h| local(h.time, minutes));
    let (what_zh, what_en) = if document.is_air() {
        ("空气质量", "air quality")
    } else {
        ("水质", "water quality")
    };
    let station = &document.station.name;
    let zh = format!(
        "{SITE_ZH}. {station}{what_zh}数据快照（{}，{zone}）[EB/OL]. 快照时间 {taken}. {url}. 访问日期：{accessed}.",
        hour.as_deref()
            .map(|h| format!("{h} 时数据"))
            .unwrap_or_else(|| "暂无数据".to_string()),
    );
    let en = format!(
        "{SITE_EN}. \"{station}: {what_en} snapshot ({}, {zone}).\" Snapshot taken {taken}. {url} (accessed {accessed}).",
        hour.as_deref()
            .map(|h| format!("data for {h}"))
            .unwrap_or_else(|| "no data".to_string()),
    );
    (zh, en)
}

pub(super) fn document_page(lang: Lang, status: StatusCode, head: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\
         <link rel=\"stylesheet\" href=\"/style/daylight.css\"><style>{STYLE}</style>{head}\
         </head><body><main id=\"main\" class=\"snapshot-page\">{body}</main></body></html>",
        lang.tag(),
    );
    let mut response = (status, html).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

/// A short page with one message (404, 403, 429, 503).
pub(super) fn message(lang: Lang, status: StatusCode, text: &str) -> Response {
    let head = format!("<title>{} · Daylight</title>", esc(text));
    let body = format!(
        "<h1>{}</h1><p>{}</p><p><a href=\"/\">{}</a></p>",
        status.as_u16(),
        esc(text),
        lang.pick("返回地图", "Back to the map"),
    );
    document_page(lang, status, &head, &body)
}

fn aqi_cell(aqi: Option<&FrozenAqi>) -> String {
    match aqi.and_then(|a| a.aqi.map(|v| (v, a))) {
        Some((value, a)) => format!(
            "<span class=\"snapshot-badge\" style=\"background:{}\">{value}</span>",
            esc(a.color.as_deref().unwrap_or("#9e9e9e"))
        ),
        None => "—".to_string(),
    }
}

fn aqi_block(lang: Lang, title: &str, aqi: Option<&FrozenAqi>) -> String {
    let Some(a) = aqi else {
        return String::new();
    };
    let mut out = format!(
        "<div class=\"snapshot-aqi\" data-scale=\"{}\">",
        esc(&a.scale)
    );
    match (a.aqi, &a.category) {
        (Some(value), Some(category)) => {
            let primary = if a.primary.is_empty() {
                lang.pick("无", "none").to_string()
            } else {
                a.primary
                    .iter()
                    .map(|p| name(lang, p))
                    .collect::<Vec<_>>()
                    .join(lang.pick("、", ", "))
            };
            let _ = write!(
                out,
                "<p><strong>{}</strong>: {} {} · {} {} · {}: {}</p>",
                esc(title),
                aqi_cell(Some(a)),
                esc(name(lang, category)),
                lang.pick("级别", "level"),
                a.level.unwrap_or(0),
                lang.pick("首要污染物", "primary pollutant"),
                esc(&primary),
            );
            let _ = value;
        }
        _ => {
            let reason = a.reason.as_ref().map(|r| name(lang, r)).unwrap_or("");
            let _ = write!(
                out,
                "<p><strong>{}</strong>: {}</p>",
                esc(title),
                esc(reason)
            );
        }
    }
    out.push_str("</div>");
    out
}

fn value_text(v: &FrozenValue) -> String {
    if v.unit == "pH" || v.unit.is_empty() {
        format!("{}", v.value)
    } else {
        format!("{} {}", v.value, v.unit)
    }
}

fn latest_table(lang: Lang, document: &Document, hour: &FrozenHour) -> String {
    let air = document.is_air();
    let mut out = String::from("<div class=\"table-wrap\"><table class=\"readings\"><thead><tr>");
    let _ = write!(
        out,
        "<th scope=\"col\">{}</th><th scope=\"col\">{}</th>",
        lang.pick("项目", "Parameter"),
        lang.pick("浓度", "Value"),
    );
    if air {
        let _ = write!(
            out,
            "<th scope=\"col\">IAQI (HJ 633)</th><th scope=\"col\">IAQI (US EPA)</th>"
        );
    } else {
        let _ = write!(out, "<th scope=\"col\">{}</th>", lang.pick("类别", "Class"));
    }
    let _ = write!(
        out,
        "<th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        lang.pick("标记", "Flag"),
        lang.pick("来源", "Source"),
    );
    for v in &hour.values {
        let _ = write!(
            out,
            "<tr data-parameter=\"{}\"><th scope=\"row\">{}</th><td class=\"num value\">{}</td>",
            esc(&v.parameter),
            esc(name(lang, &v.name)),
            esc(&value_text(v)),
        );
        if air {
            let _ = write!(
                out,
                "<td class=\"num\">{}</td><td class=\"num\">{}</td>",
                v.iaqi_hj633.map(|i| i.to_string()).unwrap_or_default(),
                v.iaqi_us_epa.map(|i| i.to_string()).unwrap_or_default(),
            );
        } else {
            let _ = write!(
                out,
                "<td>{}</td>",
                esc(v.water_class.as_deref().unwrap_or(""))
            );
        }
        let _ = write!(
            out,
            "<td>{}</td><td>{}</td></tr>",
            esc(&v.flag),
            source_name(lang, &v.source),
        );
    }
    out.push_str("</tbody></table></div>");
    out
}

fn hours_table(lang: Lang, document: &Document, minutes: i32) -> String {
    let air = document.is_air();
    let mut parameters: Vec<(&str, &Name)> = Vec::new();
    for hour in &document.hours {
        for v in &hour.values {
            if !parameters.iter().any(|(code, _)| *code == v.parameter) {
                parameters.push((&v.parameter, &v.name));
            }
        }
    }
    let mut out = String::from("<div class=\"table-wrap\"><table class=\"hours\"><thead><tr>");
    let _ = write!(out, "<th scope=\"col\">{}</th>", lang.pick("时间", "Hour"));
    if air {
        out.push_str("<th scope=\"col\">AQI (HJ 633)</th><th scope=\"col\">AQI (US EPA)</th>");
    } else {
        let _ = write!(out, "<th scope=\"col\">{}</th>", lang.pick("类别", "Class"));
    }
    for (code, _) in &parameters {
        let _ = write!(out, "<th scope=\"col\">{}</th>", esc(code));
    }
    out.push_str("</tr></thead><tbody>");
    for hour in document.hours.iter().rev() {
        let _ = write!(
            out,
            "<tr><th scope=\"row\"><time datetime=\"{}\">{}</time></th>",
            hour.time.to_rfc3339(),
            hour.time
                .with_timezone(&offset(minutes))
                .format("%m-%d %H:%M"),
        );
        if air {
            let _ = write!(
                out,
                "<td class=\"num\">{}</td><td class=\"num\">{}</td>",
                hour.aqi_hj633
                    .as_ref()
                    .and_then(|a| a.aqi)
                    .map(|v| v.to_string())
                    .unwrap_or_else(|| "—".into()),
                hour.aqi_us_epa
                    .as_ref()
                    .and_then(|a| a.aqi)
                    .map(|v| v.to_string())
                    .unwrap_or_else(|| "—".into()),
            );
        } else {
            let _ = write!(
                out,
                "<td>{}</td>",
                esc(hour.water.as_ref().map(|w| w.class.as_str()).unwrap_or("—"))
            );
        }
        for (code, _) in &parameters {
            let cell = hour
                .values
                .iter()
                .find(|v| v.parameter == *code)
                .map(|v| v.value.to_string())
                .unwrap_or_default();
            let _ = write!(out, "<td class=\"num\">{cell}</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
    out
}

/// The snapshot's page.
pub(super) fn snapshot_page(
    lang: Lang,
    snapshot: &Snapshot,
    document: &Document,
    base: &str,
    minutes: i32,
) -> Response {
    let station = &document.station;
    let url = permalink(base, snapshot);
    let taken = local(snapshot.taken, minutes);
    let zone = zone(minutes);
    let (cite_zh, cite_en) = citations(snapshot, document, base, minutes);
    let latest = document.latest();
    let title = format!("{} · {}", station.name, lang.pick("快照", "snapshot"));
    let description = match latest {
        Some(hour) => {
            let state = if document.is_air() {
                hour.aqi_hj633
                    .as_ref()
                    .and_then(|a| {
                        Some(format!(
                            "AQI {} {}",
                            a.aqi?,
                            name(lang, a.category.as_ref()?)
                        ))
                    })
                    .unwrap_or_default()
            } else {
                hour.water
                    .as_ref()
                    .map(|w| name(lang, &w.label).to_string())
                    .unwrap_or_default()
            };
            format!(
                "{} · {state} · {} ({zone}) · {} {taken}",
                station.name,
                local(hour.time, minutes),
                lang.pick("快照", "snapshot"),
            )
        }
        None => format!("{} · {}", station.name, lang.pick("暂无数据", "no data")),
    };
    // What a link preview shows: what was cited (station, kind) and when (in the
    // description: the data's hour and the time it was taken), with the frozen card.
    let share_title = format!(
        "{} · {}",
        station.name,
        match (document.is_air(), lang) {
            (true, Lang::Zh) => "空气质量快照",
            (true, Lang::En) => "air quality snapshot",
            (false, Lang::Zh) => "水质快照",
            (false, Lang::En) => "water quality snapshot",
        }
    );
    let image = format!("{base}{}", card_path(lang, snapshot));
    let mut head = format!("<title>{} · Daylight</title>", esc(&title));
    for (property, value) in [
        ("og:title", share_title.as_str()),
        ("og:description", description.as_str()),
        ("og:url", url.as_str()),
        ("og:type", "article"),
        ("og:site_name", "Daylight"),
        ("og:image", image.as_str()),
        ("og:image:type", "image/png"),
        ("og:image:width", "1200"),
        ("og:image:height", "630"),
    ] {
        let _ = write!(
            head,
            "<meta property=\"{property}\" content=\"{}\">",
            esc(value)
        );
    }
    for (name, value) in [
        ("twitter:card", "summary_large_image"),
        ("twitter:title", share_title.as_str()),
        ("twitter:description", description.as_str()),
        ("twitter:image", image.as_str()),
        ("description", description.as_str()),
    ] {
        let _ = write!(head, "<meta name=\"{name}\" content=\"{}\">", esc(value));
    }
    let _ = write!(
        head,
        "<link rel=\"canonical\" href=\"{}\">\
         <link rel=\"alternate\" type=\"application/json\" href=\"/api/v1/snapshots/{}\">",
        esc(&url),
        snapshot.id,
    );

    let live = live_path(document);
    let other_lang = match lang {
        Lang::Zh => format!(
            "<a href=\"/snapshot/{}?lang=en\" hreflang=\"en\">English</a>",
            snapshot.id
        ),
        Lang::En => format!(
            "<a href=\"/snapshot/{}\" hreflang=\"zh-CN\">中文</a>",
            snapshot.id
        ),
    };
    let mut body = String::new();
    let _ = write!(
        body,
        "<p class=\"crumbs\"><a href=\"/\">{}</a> › {} · {other_lang}</p>\
         <h1>{}</h1>\
         <p class=\"snapshot-taken\" data-taken=\"{}\"><strong>快照 / Snapshot</strong> · {} {taken} ({zone}). {}</p>",
        lang.pick("地图", "Map"),
        lang.pick("快照", "Snapshot"),
        esc(&station.name),
        snapshot.taken.to_rfc3339(),
        lang.pick("截取于", "taken at"),
        lang.pick(
            "以下数值在截取时冻结，之后的数据修正不会改变它们。",
            "The values below were frozen when it was taken; later corrections of the data do not change them.",
        ),
    );
    match latest {
        Some(hour) => {
            let _ = write!(
                body,
                "<p class=\"as-of\">{}: {} ({zone}) · {}</p>",
                lang.pick("数据时间", "Data for"),
                local(hour.time, minutes),
                source_name(lang, hour.source.as_deref().unwrap_or("")),
            );
            if document.is_air() {
                body.push_str(&aqi_block(
                    lang,
                    "AQI (HJ 633-2012)",
                    hour.aqi_hj633.as_ref(),
                ));
                body.push_str(&aqi_block(
                    lang,
                    "AQI (US EPA 2024)",
                    hour.aqi_us_epa.as_ref(),
                ));
            } else if let Some(w) = &hour.water {
                let deciding = w
                    .deciding
                    .iter()
                    .map(|d| name(lang, d))
                    .collect::<Vec<_>>()
                    .join(lang.pick("、", ", "));
                let _ = write!(
                    body,
                    "<p class=\"snapshot-water\"><strong>{} (GB 3838-2002)</strong>: \
                     <span class=\"snapshot-badge\" style=\"background:{}\">{}</span> {} · {}: {}</p>",
                    lang.pick("水质类别", "Water class"),
                    esc(&w.color),
                    esc(&w.class),
                    esc(name(lang, &w.quality)),
                    lang.pick("定类项目", "deciding items"),
                    esc(&deciding),
                );
            }
            body.push_str(&latest_table(lang, document, hour));
            let _ = write!(
                body,
                "<h2>{}</h2>",
                match document.window_hours {
                    24 => lang.pick("近 24 小时", "Last 24 hours").to_string(),
                    n => match lang {
                        Lang::Zh => format!("近 {n} 小时"),
                        Lang::En => format!("Last {n} hours"),
                    },
                }
            );
            body.push_str(&hours_table(lang, document, minutes));
        }
        None => {
            let _ = write!(body, "<p>{}</p>", lang.pick("暂无数据", "No data"));
        }
    }
    let _ = write!(
        body,
        "<h2>{}</h2>\
         <p lang=\"zh-CN\" class=\"citation\" id=\"cite-zh\">{}</p>\
         <p lang=\"en\" class=\"citation\" id=\"cite-en\">{}</p>\
         <p><a href=\"{}\" class=\"live-link\">{}</a> · \
         <a href=\"/snapshot/{id}.csv\" download>CSV</a> · \
         <a href=\"/api/v1/snapshots/{id}\">JSON</a></p>\
         <p class=\"provenance\">{} · {}<br>{} <a href=\"{}\" rel=\"license\">{}</a></p>",
        lang.pick("引用本快照", "Cite this snapshot"),
        esc(&cite_zh),
        esc(&cite_en),
        esc(&live),
        lang.pick("查看实时页面", "See the live page"),
        esc(&document.attribution.zh),
        esc(&document.attribution.en),
        lang.pick("许可：", "Licence:"),
        esc(&document.attribution.licence_url),
        esc(&document.attribution.licence),
        id = snapshot.id,
    );
    document_page(lang, StatusCode::OK, &head, &body)
}

/// The CSV header of a snapshot export: the columns of `readings.csv` and what the page
/// showed of each value.
pub const CSV_HEADER: &str = "station,time,parameter,value,unit,flag,source,provenance,\
iaqi_hj633,iaqi_us_epa,water_class";

/// The snapshot as CSV: the licence line and a line naming the snapshot (both `#`
/// comments, as in `readings.csv`), the header, then every value of every hour, oldest first.
pub(super) fn csv(snapshot: &Snapshot, document: &Document, base: &str, minutes: i32) -> Response {
    let mut out = format!(
        "# {}\n# snapshot {} of {} taken {}: {}\n{CSV_HEADER}\n",
        licence::statement_line(),
        snapshot.id,
        field(&document.station.code),
        snapshot.taken.to_rfc3339(),
        permalink(base, snapshot),
    );
    let tz = offset(minutes);
    for hour in &document.hours {
        for v in &hour.values {
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{},{},{},{}",
                field(&document.station.code),
                hour.time.with_timezone(&tz).to_rfc3339(),
                field(&v.parameter),
                v.value,
                field(&v.unit),
                field(&v.flag),
                field(&v.source),
                field(&v.provenance),
                v.iaqi_hj633.map(|i| i.to_string()).unwrap_or_default(),
                v.iaqi_us_epa.map(|i| i.to_string()).unwrap_or_default(),
                field(v.water_class.as_deref().unwrap_or("")),
            );
        }
    }
    let filename = format!(
        "daylight_snapshot_{}_{}.csv",
        document.station.code, snapshot.id
    );
    let mut response = (StatusCode::OK, out).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8; header=present"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, value);
    }
    h.insert(header::LINK, HeaderValue::from_static(licence::LINK_HEADER));
    response
}

/// A CSV field, quoted when it must be (RFC 4180), and never read as a formula or comment.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) || text.starts_with(['#', '=', '+', '-', '@']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The JSON answer: the stored document with the snapshot's addresses and citations.
pub(super) fn api_json(
    snapshot: &Snapshot,
    document: &Document,
    base: &str,
    minutes: i32,
) -> Value {
    let (zh, en) = citations(snapshot, document, base, minutes);
    json!({
        "id": snapshot.id.as_str(),
        "url": permalink(base, snapshot),
        "csv": format!("{}.csv", permalink(base, snapshot)),
        "live_url": format!("{base}{}", live_path(document)),
        "taken": snapshot.taken.to_rfc3339(),
        "citation": { "zh": zh, "en": en },
        "snapshot": document,
        "licence": licence::statement(),
    })
}
