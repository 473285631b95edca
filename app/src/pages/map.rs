//! `/`: the map of every air station and water section, and the same data as a list that
//! works without JavaScript and with a screen reader.

use daylight_domain::aqi::{category, AqiScale};
use daylight_domain::station::{DataSource, StationKind};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::{
    format_local, AqiBadge, Legend, ScaleSwitch, SourceBadge, WaterClassBadge,
};
use crate::i18n::{use_lang, use_texts, Lang};
#[cfg(feature = "hydrate")]
use crate::live::LiveMessage;
use crate::live::{LiveLine, LiveStatus};
use crate::model::{MapData, StationSummary, SummaryState};
use crate::pages::not_found::LoadError;
use crate::prefs::use_scale;
use crate::server_fns::load_map;

#[component]
pub fn MapPage() -> impl IntoView {
    let t = use_texts();
    let scale = use_scale();
    let data = Resource::new(move || scale, load_map);
    view! {
        <Title text=t.nav_map />
        <crate::feeds::FeedLink kind=crate::feeds::FeedKind::Alerts />
        <Suspense fallback=move || view! { <p class="loading">{t.map_loading}</p> }>
            {move || {
                data.get()
                    .map(|result| match result {
                        Ok(data) => view! { <MapView data embed=None /> }.into_any(),
                        Err(_) => view! { <LoadError /> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

/// `/embed/map`: the live map alone, for a frame in someone else's page. The query picks
/// what it shows (see [`EmbedView`]); language and AQI scale come from `?lang=` and
/// `?scale=` like everywhere.
#[component]
pub fn EmbedMapPage() -> impl IntoView {
    let t = use_texts();
    let scale = use_scale();
    let query = leptos_router::hooks::use_query_map();
    let embed = EmbedView::from_query(|name| query.with_untracked(|q| q.get(name)));
    let data = Resource::new(move || scale, load_map);
    view! {
        <Title text=t.nav_map />
        <Suspense fallback=move || view! { <p class="loading">{t.map_loading}</p> }>
            {move || {
                let embed = embed.clone();
                data.get()
                    .map(|result| match result {
                        Ok(data) => view! { <MapView data embed=Some(embed) /> }.into_any(),
                        Err(_) => view! { <LoadError /> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

/// What an embedded map shows: `layers=air,water` (both by default), `center=LAT,LON` and
/// `zoom=N` (else the city's air stations fill the frame), `stations=CODE,CODE` (only
/// those). Values that do not parse are ignored, so a mistyped snippet still shows a map.
#[derive(Debug, Clone, PartialEq)]
pub struct EmbedView {
    pub air: bool,
    pub water: bool,
    pub center: Option<(f64, f64)>,
    pub zoom: Option<f64>,
    pub stations: Vec<String>,
}

impl EmbedView {
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        let layers = get("layers").unwrap_or_default();
        let (mut air, mut water) = (layers.contains("air"), layers.contains("water"));
        if !air && !water {
            (air, water) = (true, true);
        }
        let center = get("center").and_then(|c| {
            let (lat, lon) = c.split_once(',')?;
            let (lat, lon) = (
                lat.trim().parse::<f64>().ok()?,
                lon.trim().parse::<f64>().ok()?,
            );
            ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
        });
        let zoom = get("zoom")
            .and_then(|z| z.trim().parse::<f64>().ok())
            .filter(|z| (3.0..=18.0).contains(z));
        let stations = get("stations")
            .map(|codes| {
                codes
                    .split(',')
                    .map(|c| c.trim().to_string())
                    .filter(|c| !c.is_empty())
                    .take(100)
                    .collect()
            })
            .unwrap_or_default();
        Self {
            air,
            water,
            center,
            zoom,
            stations,
        }
    }

    pub fn shows(&self, s: &StationSummary) -> bool {
        let layer = match s.kind {
            StationKind::Air => self.air,
            StationKind::Water => self.water,
        };
        layer && (self.stations.is_empty() || self.stations.iter().any(|c| c == s.code.as_str()))
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

fn marker_spec(lang: Lang, scale: AqiScale, s: &StationSummary) -> MarkerSpec {
    let simulated = s.source == Some(DataSource::Simulated);
    let (text, color, text_color, state) = match &s.state {
        SummaryState::Aqi { aqi, .. } => {
            let c = category(scale, *aqi);
            (
                aqi.to_string(),
                c.color,
                c.text_color,
                format!("AQI {aqi} {}", lang.pick(c.name_zh, c.name_en)),
            )
        }
        SummaryState::Water { class, .. } => (
            class.roman().to_string(),
            class.color(),
            class.text_color(),
            lang.pick(class.label_zh(), class.label_en()).to_string(),
        ),
        SummaryState::NoAqi { .. } | SummaryState::NoData => (
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
        code: s.code.to_string(),
        name: s.name.clone(),
        kind: s.kind,
        lat: s.lat,
        lon: s.lon,
        text,
        color,
        text_color,
        href: station_href(s.kind, s.code.as_str()),
        title: format!("{}: {state}{sim}", s.name),
        simulated,
        approximate: s.approximate,
    }
}

#[component]
fn MapView(data: MapData, embed: Option<EmbedView>) -> impl IntoView {
    let lang = use_lang();
    let scale = use_scale();
    let t = use_texts();
    let shown = {
        let embed = embed.clone();
        move |s: &StationSummary| embed.as_ref().is_none_or(|e| e.shows(s))
    };
    let stations: Vec<StationSummary> =
        data.stations.iter().filter(|s| shown(s)).cloned().collect();
    let markers: Vec<MarkerSpec> = stations
        .iter()
        .map(|s| marker_spec(lang, scale, s))
        .collect();
    // The list follows live updates; the map's markers are redrawn one by one.
    let summaries = RwSignal::new(stations);
    let offset = data.site.utc_offset_minutes;
    let map_ref = NodeRef::<leptos::html::Div>::new();
    let hydrated = RwSignal::new(false);
    let nearest = RwSignal::new(None::<String>);
    let live = LiveStatus::new();

    #[cfg(feature = "hydrate")]
    let map_handle = {
        let handle = StoredValue::new_local(None::<crate::map_js::MapHandle>);
        let navigate = leptos_router::hooks::use_navigate();
        let tiles = data.tiles.clone();
        let markers = markers.clone();
        let cursor = data.site.live_cursor.clone();
        let initial_view = embed.clone();
        let embedded = embed.is_some();
        // Copy, so that the live handler below stays a copyable closure.
        let only = StoredValue::new(embed.clone());
        Effect::new(move |_| {
            hydrated.set(true);
            if let Some(element) = map_ref.get() {
                if handle.with_value(|h| h.is_none()) {
                    let navigate = navigate.clone();
                    let created = crate::map_js::create_map(
                        &element,
                        &markers,
                        tiles.as_ref(),
                        initial_view.as_ref(),
                        move |href: &str| {
                            if embedded {
                                // Out of the frame: the station's page opens in a new tab.
                                crate::map_js::open_in_new_tab(href);
                            } else {
                                navigate(href, Default::default());
                            }
                        },
                    );
                    handle.set_value(created);
                }
            }
        });
        // Once, after hydration: the clock and the live connection.
        Effect::new(move |started: Option<()>| {
            if started.is_some() {
                return;
            }
            live.start_clock();
            live.touch();
            let apply = move |changed: Vec<StationSummary>| {
                let changed: Vec<StationSummary> = changed
                    .into_iter()
                    .filter(|s| only.with_value(|e| e.as_ref().is_none_or(|e| e.shows(s))))
                    .collect();
                for summary in &changed {
                    let spec = marker_spec(lang, scale, summary);
                    handle.with_value(|h| {
                        if let Some(h) = h {
                            h.update_marker(&spec);
                        }
                    });
                }
                summaries.update(|all| {
                    for summary in changed {
                        match all.iter_mut().find(|s| s.code == summary.code) {
                            Some(slot) => *slot = summary,
                            None => all.push(summary),
                        }
                    }
                });
                live.touch();
            };
            crate::live::connect(scale, cursor.clone(), live, move |message| match message {
                LiveMessage::Station(summary) => apply(vec![*summary]),
                LiveMessage::Resync => {
                    leptos::task::spawn_local(async move {
                        if let Ok(fresh) = load_map(scale).await {
                            apply(fresh.stations);
                        }
                    });
                }
            });
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

    if let Some(embed) = embed {
        let _ = (&on_near_me, &embed);
        let as_of = summaries
            .get_untracked()
            .iter()
            .filter_map(|s| s.time)
            .max()
            .map(|time| format_local(time, offset));
        // Relative links in a frame resolve against the frame's own address: ours.
        let full = "/";
        return view! {
            <section class="map-section embed-map" aria-label=t.map_label>
                <div class="map" id="map" node_ref=map_ref data-station-count=markers.len()>
                    <p class="map-placeholder">{t.map_loading}</p>
                </div>
                <div class="embed-map-line">
                    <a class="full" href=full target="_blank" rel="noopener">{t.site_name}" ↗"</a>
                    {as_of.map(|time| view! { <span class="as-of">" · "{time}</span> })}
                    {data.site.demo.then(|| view! { <span class="sim">" · "{t.source_simulated}</span> })}
                    <LiveLine status=live />
                </div>
                <p class="embed-map-attribution">{t.attribution}</p>
            </section>
        }
        .into_any();
    }
    view! {
        <crate::share::ShareMeta
            title=t.site_name.to_string()
            description=format!("{} · {}", t.tagline, t.nav_map)
            base=data.site.base_url.clone()
            path="/".to_string()
        />
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
            <LiveLine status=live />
            <Legend />
            <ScaleSwitch />
        </section>
        <section class="station-list" id="list">
            {move || {
                let (air, water): (Vec<_>, Vec<_>) = summaries
                    .get()
                    .into_iter()
                    .partition(|s| s.kind == StationKind::Air);
                view! {
                    <h2>{t.air_stations}</h2>
                    <AirTable stations=air offset />
                    <h2>{t.water_sections}</h2>
                    <WaterTable stations=water offset />
                }
            }}
        </section>
    }
    .into_any()
}

#[component]
fn AirTable(stations: Vec<StationSummary>, offset: i32) -> impl IntoView {
    let lang = use_lang();
    let t = use_texts();
    let rows = stations
        .into_iter()
        .map(|s| {
            let time = s.time.map(|time| format_local(time, offset));
            let (aqi, category_name, primary) = match &s.state {
                SummaryState::Aqi { aqi, primary } => {
                    let c = category(use_scale(), *aqi);
                    (
                        view! { <AqiBadge aqi=*aqi /> }.into_any(),
                        lang.pick(c.name_zh, c.name_en).to_string(),
                        primary.iter().map(|p| lang.pick(p.name_zh(), p.name_en())).collect::<Vec<_>>().join("、"),
                    )
                }
                SummaryState::NoAqi { reason_zh, reason_en } => (
                    view! { <span class="badge badge-none">"—"</span> }.into_any(),
                    match lang { Lang::Zh => reason_zh.clone(), Lang::En => reason_en.clone() },
                    String::new(),
                ),
                _ => (
                    view! { <span class="badge badge-none">"—"</span> }.into_any(),
                    t.no_data.to_string(),
                    String::new(),
                ),
            };
            let href = station_href(s.kind, s.code.as_str());
            view! {
                <tr data-code=s.code.to_string()>
                    <th scope="row"><a href=href>{s.name.clone()}</a></th>
                    <td>{s.district.clone().unwrap_or_default()}</td>
                    <td>{aqi}</td>
                    <td>{category_name}</td>
                    <td>{primary}</td>
                    <td class="time">{time}" "{s.source.map(|source| view! { <SourceBadge source /> })}</td>
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
fn WaterTable(stations: Vec<StationSummary>, offset: i32) -> impl IntoView {
    let lang = use_lang();
    let t = use_texts();
    let rows = stations
        .into_iter()
        .map(|s| {
            let time = s.time.map(|time| format_local(time, offset));
            let (class, deciding) = match &s.state {
                SummaryState::Water { class, deciding } => (
                    view! { <WaterClassBadge class=*class /> }.into_any(),
                    deciding.iter().map(|i| lang.pick(i.name_zh(), i.name_en())).collect::<Vec<_>>().join("、"),
                ),
                _ => (
                    view! { <span class="badge badge-none">"—"</span> }.into_any(),
                    t.no_data.to_string(),
                ),
            };
            let href = station_href(s.kind, s.code.as_str());
            let approx = s.approximate.then(|| {
                view! { <span class="approx" title=t.position_approximate>"≈"</span> }
            });
            view! {
                <tr data-code=s.code.to_string()>
                    <th scope="row"><a href=href>{s.name.clone()}</a>{approx}</th>
                    <td>{s.river.clone().unwrap_or_default()}</td>
                    <td>{class}</td>
                    <td>{deciding}</td>
                    <td class="time">{time}" "{s.source.map(|source| view! { <SourceBadge source /> })}</td>
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

#[cfg(test)]
mod tests {
    use super::EmbedView;

    fn parse(query: &[(&str, &str)]) -> EmbedView {
        EmbedView::from_query(|name| {
            query
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn an_embed_shows_both_layers_unless_told_otherwise() {
        let all = parse(&[]);
        assert!(all.air && all.water);
        assert_eq!((all.center, all.zoom), (None, None));
        let air = parse(&[("layers", "air")]);
        assert!(air.air && !air.water);
        // Nothing known asked for: both, not an empty map.
        let unknown = parse(&[("layers", "noise")]);
        assert!(unknown.air && unknown.water);
    }

    #[test]
    fn centre_zoom_and_stations_are_read_and_nonsense_is_ignored() {
        let v = parse(&[
            ("center", "34.26, 108.94"),
            ("zoom", "11"),
            ("stations", "1462A, ,1463A"),
        ]);
        assert_eq!(v.center, Some((34.26, 108.94)));
        assert_eq!(v.zoom, Some(11.0));
        assert_eq!(v.stations, vec!["1462A", "1463A"]);
        let bad = parse(&[("center", "108.94,234"), ("zoom", "40")]);
        assert_eq!((bad.center, bad.zoom), (None, None));
        let unparsable = parse(&[("center", "here"), ("zoom", "near")]);
        assert_eq!((unparsable.center, unparsable.zoom), (None, None));
    }
}
