//! "Nearby" (issue 5, item 4): on `/enterprise/{code}` the air stations and water sections
//! around the enterprise, nearest first with their distance, so a reader can compare what
//! it reports with what the monitoring network measures next to it; on station and section
//! pages the enterprises around them or on the section's river (`data::nearby_enterprises`
//! chooses them).

use daylight_domain::station::StationKind;
use leptos::prelude::*;

use super::{NearbyBasis, NearbyEnterprises, NearbyStation, NEARBY_RADIUS_M, SAME_RIVER_RADIUS_M};
use crate::i18n::{use_lang, Lang};

/// Metres as a reader says them: "850 m", "3.2 km".
pub fn distance_text(metres: f64) -> String {
    if metres < 1_000.0 {
        format!("{:.0} m", (metres / 10.0).round() * 10.0)
    } else {
        format!("{:.1} km", metres / 1_000.0)
    }
}

#[component]
pub fn NearbyList(nearby: Vec<NearbyStation>) -> impl IntoView {
    let lang = use_lang();
    let heading = lang.pick("附近的监测站点", "Monitoring nearby");
    let radius = distance_text(NEARBY_RADIUS_M);
    let intro = match lang {
        crate::i18n::Lang::Zh => format!("{radius} 范围内的空气站点和水质断面，由近到远。"),
        crate::i18n::Lang::En => {
            format!("Air stations and water sections within {radius}, nearest first.")
        }
    };
    let none = lang.pick("附近没有监测站点。", "No station or section nearby.");
    let items = nearby
        .iter()
        .map(|n| {
            let (href, kind) = match n.kind {
                StationKind::Air => (format!("/station/{}", n.code), lang.pick("空气", "air")),
                StationKind::Water => (format!("/water/{}", n.code), lang.pick("水质", "water")),
            };
            view! {
                <li data-code=n.code.clone() data-distance=format!("{:.0}", n.distance_m)>
                    <a href=href>{n.name.clone()}</a>
                    {format!(" · {kind} · {}", distance_text(n.distance_m))}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="nearby">
            <h2>{heading}</h2>
            <p>{intro}</p>
            {if nearby.is_empty() {
                view! { <p class="empty">{none}</p> }.into_any()
            } else {
                view! { <ol class="nearby-list">{items}</ol> }.into_any()
            }}
        </section>
    }
}

/// On a station's or section's page: the enterprises nearby (or on the section's river),
/// nearest first, with distance and whether they exceed a limit now.
#[component]
pub fn NearbyEnterpriseList(nearby: NearbyEnterprises, kind: StationKind) -> impl IntoView {
    let lang = use_lang();
    let heading = match kind {
        StationKind::Air => lang.pick("附近的排污企业", "Enterprises nearby"),
        StationKind::Water => lang.pick(
            "附近和上下游的排污企业",
            "Enterprises nearby and on the river",
        ),
    };
    let radius = distance_text(NEARBY_RADIUS_M);
    let intro = match (&nearby.basis, kind, lang) {
        (NearbyBasis::SameRiver { river }, _, Lang::Zh) => format!(
            "向{river}排放废水的排放口（{}范围内），由近到远。本站不掌握河道走向，无法区分上游和下游：列出的排放口也可能位于本断面下游。",
            distance_text(SAME_RIVER_RADIUS_M)
        ),
        (NearbyBasis::SameRiver { river }, _, Lang::En) => format!(
            "Outlets discharging into the {river} within {}, nearest first. Daylight does not know the river's course, so it cannot tell upstream from downstream: an outlet listed may be below this section.",
            distance_text(SAME_RIVER_RADIUS_M)
        ),
        (NearbyBasis::Radius, StationKind::Air, Lang::Zh) => {
            format!("{radius} 范围内有废气排放口的企业，由近到远。")
        }
        (NearbyBasis::Radius, StationKind::Air, Lang::En) => {
            format!("Enterprises with an air outlet within {radius}, nearest first.")
        }
        (NearbyBasis::Radius, StationKind::Water, Lang::Zh) => {
            format!("{radius} 范围内有废水排放口的企业（未登记排入本河流的排放口），由近到远。")
        }
        (NearbyBasis::Radius, StationKind::Water, Lang::En) => format!(
            "Enterprises with a wastewater outlet within {radius} (none is registered as discharging into this river), nearest first."
        ),
    };
    let none = lang.pick(
        "附近没有登记的排污企业。",
        "No registered enterprise nearby.",
    );
    let et = super::texts::texts(lang);
    let items = nearby
        .items
        .iter()
        .map(|n| {
            let status = if n.exceeding_now {
                view! { <span class="now-exceeding">"! "{et.exceeding}</span> }.into_any()
            } else {
                view! { <span class="now-within">{lang.pick("目前未超标", "not over a limit now")}</span> }.into_any()
            };
            let demo = n
                .demo
                .then(|| view! { " "<span class="source source-simulated">{lang.pick("示例企业", "demo")}</span> });
            view! {
                <li data-code=n.credit_code.clone() data-distance=format!("{:.0}", n.distance_m)
                    data-exceeding=if n.exceeding_now { "true" } else { "false" }>
                    <a href=format!("/enterprise/{}", n.credit_code)>{n.name.clone()}</a>
                    {demo}
                    {format!(" · {} · {} · ", distance_text(n.distance_m), n.outlets.join("、"))}
                    {status}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="nearby nearby-enterprises">
            <h2>{heading}</h2>
            <p>{intro}</p>
            {if nearby.items.is_empty() {
                view! { <p class="empty">{none}</p> }.into_any()
            } else {
                view! { <ol class="nearby-list">{items}</ol> }.into_any()
            }}
            <p class="note">{et.self_reported}</p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_read_naturally() {
        assert_eq!(distance_text(843.0), "840 m");
        assert_eq!(distance_text(3_240.0), "3.2 km");
        assert_eq!(distance_text(10_000.0), "10.0 km");
    }
}
