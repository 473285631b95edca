//! The evidence snapshot's nearby enterprises on an officer's complaint page: each
//! registered enterprise near the complaint's point at submission, its distance, whether it
//! exceeded a limit then, its latest values against limits and its newest exceedances (the
//! snapshot's JSON follows in full). Never on a public page.

use std::fmt::Write;

use daylight_app::complaint::enterprise_evidence::NEARBY_RADIUS_M;
use daylight_app::complaint::{EvidenceSnapshot, NearbyEnterpriseEvidence};
use daylight_app::i18n::Lang;

use super::html::{esc, local};

/// The section, from the stored snapshot (an old one without the field lists none).
pub fn nearby_enterprises_html(lang: Lang, evidence: &serde_json::Value, tz: i32) -> String {
    let nearby = serde_json::from_value::<EvidenceSnapshot>(evidence.clone())
        .map(|e| e.nearby_enterprises)
        .unwrap_or_default();
    let mut out = format!(
        "<section class=\"admin-nearby-enterprises\"><h2>{}</h2>",
        esc(&match lang {
            Lang::Zh => format!(
                "提交时附近的排污企业（{} 范围内）",
                lang.distance(NEARBY_RADIUS_M)
            ),
            Lang::En => format!(
                "Enterprises nearby at submission (within {})",
                lang.distance(NEARBY_RADIUS_M)
            ),
        })
    );
    if nearby.is_empty() {
        let _ = write!(
            out,
            "<p class=\"empty\">{}</p>",
            lang.pick(
                "附近没有登记的排污企业（或投诉未标注位置）。",
                "No registered enterprise nearby (or the complaint has no point)."
            )
        );
    } else {
        out.push_str("<ul>");
        for n in &nearby {
            out.push_str(&enterprise_html(lang, n, tz));
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>");
    out
}

fn number(v: f64) -> String {
    let text = format!("{v:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn enterprise_html(lang: Lang, n: &NearbyEnterpriseEvidence, tz: i32) -> String {
    let e = &n.evidence;
    let code = esc(&e.code);
    let status = if e.exceeding_now {
        format!(
            "<strong class=\"exceeding\">{}</strong>",
            lang.pick("当时超标", "exceeding then")
        )
    } else {
        lang.pick("当时未超标", "not over a limit then").to_string()
    };
    let demo = if e.demo {
        format!(" · {}", lang.pick("示例企业", "demo"))
    } else {
        String::new()
    };
    let mut out = format!(
        "<li data-code=\"{code}\" data-distance=\"{:.0}\"><a href=\"/enterprise/{code}\">{}</a> · {} · {status}{demo}<br><small>{}</small>",
        n.distance_m,
        esc(&e.name),
        esc(&lang.distance(n.distance_m)),
        lang.pick("企业自行监测数据", "The enterprise's self-monitoring"),
    );
    if e.latest.is_empty() {
        let _ = write!(
            out,
            "<p>{}</p>",
            lang.pick("没有最新监测值。", "No latest values.")
        );
    } else {
        out.push_str("<ul class=\"latest\">");
        for v in &e.latest {
            let over = v
                .multiple
                .map(|m| format!(" · {} {}×", lang.pick("超标倍数", "over by"), number(m)))
                .unwrap_or_default();
            let _ = write!(
                out,
                "<li>{} {}: {} {} ({} {} {}){over} · {}</li>",
                esc(&v.outlet),
                lang.pick(v.pollutant.name_zh(), v.pollutant.name_en()),
                number(v.value),
                v.unit.symbol(),
                lang.pick("限值", "limit"),
                number(v.limit),
                v.unit.symbol(),
                local(v.time, tz),
            );
        }
        out.push_str("</ul>");
    }
    if !e.exceedances.is_empty() {
        let _ = write!(
            out,
            "<p>{} ({})</p><ul class=\"exceedances\">",
            lang.pick("超标记录", "Exceedances"),
            e.exceedances_total
        );
        for x in &e.exceedances {
            let _ = write!(
                out,
                "<li>{} {} – {}: {} {} {} ({} {} {}, {}×)</li>",
                esc(&x.outlet),
                local(x.start, tz),
                local(x.end, tz),
                lang.pick(x.pollutant.name_zh(), x.pollutant.name_en()),
                number(x.peak),
                x.unit.symbol(),
                lang.pick("限值", "limit"),
                number(x.limit),
                x.unit.symbol(),
                number(x.multiple),
            );
        }
        out.push_str("</ul>");
    }
    out.push_str("</li>");
    out
}
