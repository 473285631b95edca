//! "Nearby" on `/enterprise/{code}` (issue 5, item 4): the air stations and water sections
//! around the enterprise, nearest first with their distance, so a reader can compare what
//! it reports with what the monitoring network measures next to it.

use daylight_domain::station::StationKind;
use leptos::prelude::*;

use super::{NearbyStation, NEARBY_RADIUS_M};
use crate::i18n::use_lang;

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
