//! `/`: the map of every air station and water section, and the same data as a list that
//! works without JavaScript and with a screen reader.

use daylight_domain::station::StationKind;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::assess::{combined_source, status, Status};
use crate::components::{format_local, AqiBadge, Legend, SourceBadge, WaterClassBadge};
use crate::i18n::{use_lang, use_texts, Lang};
use crate::model::{MapData, StationLatest};
use crate::pages::not_found::LoadError;
use crate::server_fns::load_map;

#[component]
pub fn MapPage() -> impl IntoView {
    let t = use_texts();
    let data = Resource::new(|| (), |_| load_map());
    view! {
        <Title text=t.nav_map />
        <Suspense fallback=move || view! { <p class="loading">{t.map_loading}</p> }>
            {move || {
                data.get()
                    .map(|result| match result {
                        Ok(data) => view! { <MapView data /> }.into_any(),
                        Err(_) => view! { <LoadError /> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

/// What the browser map needs to draw one station.
#[derive(Debug, Clone, PartialEq)]
pub struct MarkerSpec {
    pub code: String,
    pub name: String,
    pub kind: StationKind,
    pub lat: f64,
    pub lon: f64,
    /// The number or class shown on the marker ("—" without data).
    pub text: String,
    pub color: &'static str,
    pub text_color: &'static str,
    pub href: String,
    /// A one-line description for the tooltip and screen readers.
    pub title: String,
    pub simulated: bool,
    pub approximate: bool,
}

const NO_DATA_COLOR: &str = "#9e9e9e";

pub fn station_href(kind: StationKind, code: &str) -> String {
    match kind {
        StationKind::Air => format!("/station/{code}"),
        StationKind::Water => format!("/water/{code}"),
    }
}

fn marker_spec(lang: Lang, s: &StationLatest) -> MarkerSpec {
    let readings: Vec<_> = s.latest.iter().collect();
    let simulated = combined_source(&readings)
        .is_some_and(|src| src == daylight_domain::station::DataSource::Simulated);
    let (text, color, text_color, state) = match status(&s.station, &readings) {
        Status::Air(Ok(report)) => (
            report.aqi.to_string(),
            report.category.color,
            report.category.text_color,
            format!(
                "AQI {} {}",
                report.aqi,
                lang.pick(report.category.name_zh, report.category.name_en)
            ),
        ),
        Status::Water(Some(assessment)) => (
            assessment.class.roman().to_string(),
            assessment.class.color(),
            assessment.class.text_color(),
            lang.pick(assessment.class.label_zh(), assessment.class.label_en())
                .to_string(),
        ),
        _ => (
            "—".into(),
            NO_DATA_COLOR,
            "#000000",
            lang.t().no_data.to_string(),
        ),
    };
    let sim = if simulated {
        format!(" ({})", lang.t().source_simulated)
    } else {
        String::new()
    };
    MarkerSpec {
        code: s.station.code.to_string(),
        name: s.station.name.clone(),
        kind: s.station.kind,
        lat: s.station.lat,
        lon: s.station.lon,
        text,
        color,
        text_color,
        href: station_href(s.station.kind, s.station.code.as_str()),
        title: format!("{}: {state}{sim}", s.station.name),
        simulated,
        approximate: s.station.approximate,
    }
}

#[component]
fn MapView(data: MapData) -> impl IntoView {
    let lang = use_lang();
    let t = use_texts();
    let markers: Vec<MarkerSpec> = data.stations.iter().map(|s| marker_spec(lang, s)).collect();
    let (air, water): (Vec<_>, Vec<_>) = data
        .stations
        .iter()
        .cloned()
        .partition(|s| s.station.kind == StationKind::Air);
    let offset = data.site.utc_offset_minutes;
    let map_ref = NodeRef::<leptos::html::Div>::new();
    let hydrated = RwSignal::new(false);
    let nearest = RwSignal::new(None::<String>);

    #[cfg(feature = "hydrate")]
    let map_handle = {
        let handle = StoredValue::new_local(None::<crate::map_js::MapHandle>);
        let navigate = leptos_router::hooks::use_navigate();
        let tiles = data.tiles.clone();
        let markers = markers.clone();
        Effect::new(move |_| {
            hydrated.set(true);
            if let Some(element) = map_ref.get() {
                if handle.with_value(|h| h.is_none()) {
                    let navigate = navigate.clone();
                    let created = crate::map_js::create_map(
                        &element,
                        &markers,
                        tiles.as_ref(),
                        move |href: &str| navigate(href, Default::default()),
                    );
                    handle.set_value(created);
                }
            }
        });
        handle
    };
    let markers_for_near = markers.clone();
    let on_near_me = move |_| {
        #[cfg(feature = "hydrate")]
        {
            nearest.set(Some(t.near_me_locating.to_string()));
            let markers = markers_for_near.clone();
            crate::map_js::locate(move |position| match position {
                Some((lat, lon)) => {
                    let here = daylight_domain::geo::LonLat { lon, lat };
                    let best = markers
                        .iter()
                        .map(|m| {
                            let there = daylight_domain::geo::LonLat {
                                lon: m.lon,
                                lat: m.lat,
                            };
                            (m, daylight_domain::geo::distance_m(here, there))
                        })
                        .min_by(|a, b| a.1.total_cmp(&b.1));
                    if let Some((m, metres)) = best {
                        nearest.set(Some(format!(
                            "{}: {} · {} · {}",
                            t.nearest_station,
                            m.name,
                            m.text,
                            lang.distance(metres)
                        )));
                        map_handle.with_value(|h| {
                            if let Some(h) = h {
                                h.show_position(lat, lon, &m.code);
                            }
                        });
                    }
                }
                None => nearest.set(Some(t.near_me_denied.to_string())),
            });
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = &markers_for_near;
        }
    };

    view! {
        {data.site.demo.then(|| view! { <p class="demo-banner" role="note">{t.simulated_banner}</p> })}
        <section class="map-section" aria-label=t.map_label>
            <div class="map" id="map" node_ref=map_ref data-station-count=markers.len()>
                <p class="map-placeholder">{t.map_loading}</p>
            </div>
            <div class="map-tools">
                <button type="button" class="near-me" hidden=move || !hydrated.get() on:click=on_near_me>
                    "◎ "{t.near_me}
                </button>
                <output class="nearest" aria-live="polite">{move || nearest.get()}</output>
            </div>
            <Legend />
        </section>
        <section class="station-list" id="list">
            <h2>{t.air_stations}</h2>
            <AirTable stations=air offset />
            <h2>{t.water_sections}</h2>
            <WaterTable stations=water offset />
        </section>
    }
}

#[component]
fn AirTable(stations: Vec<StationLatest>, offset: i32) -> impl IntoView {
    let lang = use_lang();
    let t = use_texts();
    let rows = stations
        .into_iter()
        .map(|s| {
            let readings: Vec<_> = s.latest.iter().collect();
            let source = combined_source(&readings);
            let time = readings.first().map(|r| format_local(r.time, offset));
            let (aqi, category, primary) = match status(&s.station, &readings) {
                Status::Air(Ok(report)) => (
                    view! { <AqiBadge aqi=report.aqi /> }.into_any(),
                    lang.pick(report.category.name_zh, report.category.name_en).to_string(),
                    report
                        .primary
                        .iter()
                        .map(|p| lang.pick(p.name_zh(), p.name_en()))
                        .collect::<Vec<_>>()
                        .join("、"),
                ),
                Status::Air(Err(reason)) => (
                    view! { <span class="badge badge-none">"—"</span> }.into_any(),
                    match lang { Lang::Zh => reason.reason_zh(), Lang::En => reason.reason_en() },
                    String::new(),
                ),
                _ => (
                    view! { <span class="badge badge-none">"—"</span> }.into_any(),
                    t.no_data.to_string(),
                    String::new(),
                ),
            };
            let href = station_href(s.station.kind, s.station.code.as_str());
            view! {
                <tr data-code=s.station.code.to_string()>
                    <th scope="row"><a href=href>{s.station.name.clone()}</a></th>
                    <td>{s.station.district.clone().unwrap_or_default()}</td>
                    <td>{aqi}</td>
                    <td>{category}</td>
                    <td>{primary}</td>
                    <td class="time">{time}" "{source.map(|source| view! { <SourceBadge source /> })}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="stations air">
                <thead>
                    <tr>
                        <th scope="col">{t.col_station}</th>
                        <th scope="col">{t.col_district}</th>
                        <th scope="col">{t.col_aqi}</th>
                        <th scope="col">{t.col_category}</th>
                        <th scope="col">{t.col_primary}</th>
                        <th scope="col">{t.col_time}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[component]
fn WaterTable(stations: Vec<StationLatest>, offset: i32) -> impl IntoView {
    let lang = use_lang();
    let t = use_texts();
    let rows = stations
        .into_iter()
        .map(|s| {
            let readings: Vec<_> = s.latest.iter().collect();
            let source = combined_source(&readings);
            let time = readings.first().map(|r| format_local(r.time, offset));
            let (class, deciding) = match status(&s.station, &readings) {
                Status::Water(Some(a)) => (
                    view! { <WaterClassBadge class=a.class /> }.into_any(),
                    a.deciding
                        .iter()
                        .map(|i| lang.pick(i.name_zh(), i.name_en()))
                        .collect::<Vec<_>>()
                        .join("、"),
                ),
                _ => (
                    view! { <span class="badge badge-none">"—"</span> }.into_any(),
                    t.no_data.to_string(),
                ),
            };
            let href = station_href(s.station.kind, s.station.code.as_str());
            let approx = s.station.approximate.then(|| {
                view! { <span class="approx" title=t.position_approximate>"≈"</span> }
            });
            view! {
                <tr data-code=s.station.code.to_string()>
                    <th scope="row"><a href=href>{s.station.name.clone()}</a>{approx}</th>
                    <td>{s.station.river.clone().unwrap_or_default()}</td>
                    <td>{class}</td>
                    <td>{deciding}</td>
                    <td class="time">{time}" "{source.map(|source| view! { <SourceBadge source /> })}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="stations water">
                <thead>
                    <tr>
                        <th scope="col">{t.col_station}</th>
                        <th scope="col">{t.river}</th>
                        <th scope="col">{t.col_class}</th>
                        <th scope="col">{t.col_deciding}</th>
                        <th scope="col">{t.col_time}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
