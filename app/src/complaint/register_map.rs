//! The public register's map: a point per listed complaint at its coarsened position (the
//! same ~200 m cell the list shows, never the reported point), shaped and labelled by
//! status, each linking to its row in the list. The points come with the register's data.
//! Without script the map stays hidden and the list is the register.

use leptos::prelude::*;

use super::texts::{category_name, status_name};
use super::RegisterEntry;
use crate::i18n::{use_lang, Lang};
use crate::model::TileLayerConfig;
use daylight_domain::complaint::Status;

/// A complaint on the register's map.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterPoint {
    pub tracking_code: String,
    /// The coarsened position (`RegisterEntry::coarse_location`), latitude first.
    pub lat: f64,
    pub lon: f64,
    /// Closed or referred: handled here; drawn as a square with a tick, open ones as a
    /// circle with an exclamation mark.
    pub done: bool,
    /// "code · category · status", the marker's title and accessible name.
    pub title: String,
}

/// The list row's anchor: `id` of the row, target of the marker's link.
pub fn row_id(tracking_code: &str) -> String {
    format!("complaint-{tracking_code}")
}

/// Whether the complaint's handling here has ended.
pub fn is_done(status: Status) -> bool {
    match status {
        Status::ClosedFounded | Status::ClosedUnfounded | Status::Referred => true,
        Status::Received | Status::Accepted | Status::Investigating => false,
    }
}

/// The points of the listed complaints that have a location.
pub fn points(lang: Lang, entries: &[RegisterEntry]) -> Vec<RegisterPoint> {
    entries
        .iter()
        .filter_map(|e| {
            let (lon, lat) = e.coarse_location?;
            Some(RegisterPoint {
                tracking_code: e.tracking_code.clone(),
                lat,
                lon,
                done: is_done(e.status),
                title: format!(
                    "{} · {} · {}",
                    e.tracking_code,
                    category_name(lang, e.category),
                    status_name(lang, e.status)
                ),
            })
        })
        .collect()
}

#[component]
pub fn RegisterMap(points: Vec<RegisterPoint>, tiles: Option<TileLayerConfig>) -> impl IntoView {
    let lang = use_lang();
    let hydrated = RwSignal::new(false);
    let map_ref = NodeRef::<leptos::html::Div>::new();
    let count = points.len();

    #[cfg(feature = "hydrate")]
    {
        let created = StoredValue::new(false);
        Effect::new(move |_| {
            hydrated.set(true);
            let Some(element) = map_ref.get() else {
                return;
            };
            let points = points.clone();
            let tiles = tiles.clone();
            // After the next frame: the map is shown by then (`hidden` removed), so Leaflet
            // measures a real size.
            request_animation_frame(move || {
                if created.get_value() {
                    return;
                }
                created.set_value(super::register_map_js::create(
                    &element,
                    &points,
                    tiles.as_ref(),
                ));
            });
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (&points, &tiles, &map_ref);

    view! {
        <section class="register-map" hidden=move || !hydrated.get() || count == 0>
            <h2>{lang.pick("投诉举报地图", "Map of complaints")}</h2>
            <p class="hint" id="register-map-hint">
                {lang.pick(
                    "每个点是一件投诉举报的大致位置（约 200 米网格），点击可跳到列表中的该条。",
                    "Each point is a complaint's approximate place (a ~200 m grid); tap one to go to its row in the list.",
                )}
            </p>
            <ul class="register-map-legend">
                <li><span class="register-marker register-open" aria-hidden="true">"!"</span>" "{lang.pick("办理中", "Open")}</li>
                <li><span class="register-marker register-done" aria-hidden="true">"✓"</span>" "{lang.pick("已办结或转办", "Closed or referred")}</li>
            </ul>
            <div class="register-map-view" id="register-map" node_ref=map_ref role="region" aria-label=lang.pick("投诉举报地图", "Map of complaints") aria-describedby="register-map-hint">
                <p class="map-placeholder">{lang.pick("地图加载中…", "Loading the map…")}</p>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use daylight_domain::complaint::Category;

    fn entry(code: &str, status: Status, coarse: Option<(f64, f64)>) -> RegisterEntry {
        RegisterEntry {
            tracking_code: code.to_string(),
            category: Category::Air,
            status,
            district: None,
            outside_city: false,
            submitted: Utc::now(),
            coarse_location: coarse,
            photos: Vec::new(),
            enterprise: None,
        }
    }

    #[test]
    fn a_point_per_located_entry_at_its_coarse_place() {
        let entries = [
            entry("A1", Status::Received, Some((108.947, 34.261))),
            entry("B2", Status::ClosedFounded, None),
            entry("C3", Status::ClosedUnfounded, Some((108.901, 34.233))),
        ];
        let points = points(Lang::En, &entries);
        assert_eq!(points.len(), 2);
        assert_eq!((points[0].lat, points[0].lon), (34.261, 108.947));
        assert!(!points[0].done);
        assert!(points[1].done);
        assert!(points[0].title.starts_with("A1 · "));
        assert!(points[1]
            .title
            .contains(status_name(Lang::En, Status::ClosedUnfounded)));
        assert_eq!(row_id("C3"), "complaint-C3");
    }
}
