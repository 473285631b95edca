//! The enterprise layer of the map (issue 5, item 4): every enterprise with a position as a
//! diamond, red with "!" when a value is over its limit now (the register's rule,
//! `data::StatusNow`), grey otherwise; shape and mark, not colour alone, tell it apart. Also
//! its legend and the table the list view shows without JavaScript.

use leptos::prelude::*;

use super::EnterpriseSummary;
use crate::components::format_local;
use crate::i18n::{use_lang, Lang};

/// The marker's colours: red when exceeding now, a neutral grey otherwise.
pub const EXCEEDING_COLOR: &str = "#c62828";
pub const NEUTRAL_COLOR: &str = "#78909c";

/// The layer's texts, zh-CN first.
pub struct LayerTexts {
    pub layer: &'static str,
    pub exceeding: &'static str,
    pub not_exceeding: &'static str,
    pub legend_shape: &'static str,
    pub legend_note: &'static str,
    pub table_title: &'static str,
    pub col_name: &'static str,
    pub col_district: &'static str,
    pub col_now: &'static str,
    pub col_latest: &'static str,
    pub none: &'static str,
}

pub const ZH: LayerTexts = LayerTexts {
    layer: "企业",
    exceeding: "正在超标",
    not_exceeding: "目前未超标",
    legend_shape: "菱形：排污企业",
    legend_note:
        "红色带“!”：某项最新值（3 小时内）超过排放限值；灰色：没有。企业自行监测，未经审核。",
    table_title: "排污企业",
    col_name: "企业",
    col_district: "区县",
    col_now: "当前",
    col_latest: "最新数据",
    none: "没有登记位置的企业。",
};

pub const EN: LayerTexts = LayerTexts {
    layer: "Enterprises",
    exceeding: "exceeding a limit now",
    not_exceeding: "not over a limit now",
    legend_shape: "Diamond: discharging enterprise",
    legend_note: "Red with “!”: a latest value (within 3 hours) is over its emission limit; grey: none is. Self-reported, not audited.",
    table_title: "Discharging enterprises",
    col_name: "Enterprise",
    col_district: "District",
    col_now: "Now",
    col_latest: "Latest data",
    none: "No enterprise with a registered position.",
};

pub fn texts(lang: Lang) -> &'static LayerTexts {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

/// What the browser map needs to draw one enterprise.
#[derive(Debug, Clone, PartialEq)]
pub struct EnterpriseMarker {
    pub code: String,
    pub lat: f64,
    pub lon: f64,
    pub exceeding: bool,
    /// "!" when exceeding, nothing otherwise: the mark that does not depend on colour.
    pub text: &'static str,
    pub color: &'static str,
    pub href: String,
    /// A one-line description for the tooltip and screen readers.
    pub title: String,
    pub simulated: bool,
}

pub fn enterprise_href(code: &str) -> String {
    format!("/enterprise/{code}")
}

pub fn marker(lang: Lang, e: &EnterpriseSummary) -> EnterpriseMarker {
    let t = texts(lang);
    let (text, color, state) = if e.exceeding_now {
        ("!", EXCEEDING_COLOR, t.exceeding)
    } else {
        ("", NEUTRAL_COLOR, t.not_exceeding)
    };
    let demo = if e.demo {
        lang.pick("（示例企业，模拟数据）", " (demo enterprise, simulated)")
    } else {
        ""
    };
    EnterpriseMarker {
        code: e.credit_code.clone(),
        lat: e.lat,
        lon: e.lon,
        exceeding: e.exceeding_now,
        text,
        color,
        href: enterprise_href(&e.credit_code),
        title: format!(
            "{}: {state} · {}{demo}",
            e.name,
            lang.pick("企业自行监测，未经审核", "self-reported, not audited")
        ),
        simulated: e.demo,
    }
}

/// The legend's rows for the layer.
#[component]
pub fn LayerLegend() -> impl IntoView {
    let t = texts(use_lang());
    view! {
        <div class="legend-enterprises">
            <h3>{t.table_title}</h3>
            <ul>
                <li>
                    <span class="swatch swatch-enterprise" style=format!("background:{EXCEEDING_COLOR}")>"!"</span>
                    {t.exceeding}
                </li>
                <li>
                    <span class="swatch swatch-enterprise" style=format!("background:{NEUTRAL_COLOR}")></span>
                    {t.not_exceeding}
                </li>
            </ul>
            <p class="legend-note">{t.legend_shape}"。"{t.legend_note}</p>
        </div>
    }
}

/// The enterprises of the map as a table: name (a link), district, exceeding now, newest
/// value's time.
#[component]
pub fn EnterpriseTable(enterprises: Vec<EnterpriseSummary>, offset: i32) -> impl IntoView {
    let lang = use_lang();
    let t = texts(lang);
    if enterprises.is_empty() {
        return view! { <p class="empty">{t.none}</p> }.into_any();
    }
    let rows = enterprises
        .into_iter()
        .map(|e| {
            let now = if e.exceeding_now {
                view! { <span class="now-exceeding">"! "{t.exceeding}</span> }.into_any()
            } else {
                view! { <span class="now-within">{t.not_exceeding}</span> }.into_any()
            };
            let demo = e
                .demo
                .then(|| view! { <span class="source source-simulated">{lang.pick("示例企业", "demo")}</span> });
            view! {
                <tr data-code=e.credit_code.clone() data-exceeding=if e.exceeding_now { "true" } else { "false" }>
                    <th scope="row"><a href=enterprise_href(&e.credit_code)>{e.name.clone()}</a>" "{demo}</th>
                    <td>{e.district.clone().unwrap_or_default()}</td>
                    <td>{now}</td>
                    <td class="time">{e.latest_time.map(|time| format_local(time, offset))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="stations enterprises">
                <thead>
                    <tr>
                        <th scope="col">{t.col_name}</th>
                        <th scope="col">{t.col_district}</th>
                        <th scope="col">{t.col_now}</th>
                        <th scope="col">{t.col_latest}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(exceeding_now: bool) -> EnterpriseSummary {
        EnterpriseSummary {
            credit_code: "91610114MA6DM0009N".into(),
            name: "示例燃煤锅炉房".into(),
            lon: 109.2,
            lat: 34.6,
            district: None,
            industry: String::new(),
            demo: true,
            exceeding_now,
            latest_time: None,
        }
    }

    #[test]
    fn exceeding_is_told_by_a_mark_and_words_not_only_by_colour() {
        let over = marker(Lang::Zh, &summary(true));
        let within = marker(Lang::Zh, &summary(false));
        assert_eq!((over.text, over.color), ("!", EXCEEDING_COLOR));
        assert_eq!((within.text, within.color), ("", NEUTRAL_COLOR));
        assert!(over.title.contains("正在超标"), "{}", over.title);
        assert!(within.title.contains("目前未超标"), "{}", within.title);
        assert!(over.title.contains("未经审核") && over.title.contains("示例企业"));
        assert_eq!(over.href, "/enterprise/91610114MA6DM0009N");
        let english = marker(Lang::En, &summary(true));
        assert!(
            english.title.contains("exceeding a limit now"),
            "{}",
            english.title
        );
    }
}
