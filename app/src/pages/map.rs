//! `/`: the map of every air station and water section, and the same data as a list that
//! works without JavaScript and with a screen reader.

use daylight_domain::aqi::{category, AqiScale};
use daylight_domain::station::{DataSource, StationKind};
use leptos::prelude::*;
use leptos_meta::{Link, Title};

use crate::components::{
    format_local, AqiBadge, Legend, ScaleSwitch, SourceBadge, WaterClassBadge,
};
use crate::enterprise::layer;
use crate::enterprise::EnterpriseSummary;
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

/// One layer of the map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layer {
    Air,
    Water,
    Enterprises,
}

impl Layer {
    pub const ALL: [Layer; 3] = [Layer::Air, Layer::Water, Layer::Enterprises];

    /// The name in `?layers=`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Air => "air",
            Self::Water => "water",
            Self::Enterprises => "enterprises",
        }
    }

    pub fn of(kind: StationKind) -> Self {
        match kind {
            StationKind::Air => Self::Air,
            StationKind::Water => Self::Water,
        }
    }
}

/// The layers a map shows: `?layers=air,water,enterprises` on the home map (all three
/// without the parameter) and on the embedded one (air and water without it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layers {
    pub air: bool,
    pub water: bool,
    pub enterprises: bool,
}

impl Layers {
    pub const ALL: Layers = Layers {
        air: true,
        water: true,
        enterprises: true,
    };

    /// The layers named in `text` (comma-separated; unknown names ignored); None when it
    /// names none, so that a mistyped address still shows a map.
    pub fn parse(text: &str) -> Option<Self> {
        let names: Vec<&str> = text.split(',').map(str::trim).collect();
        let has = |layer: Layer| names.contains(&layer.name());
        let layers = Self {
            air: has(Layer::Air),
            water: has(Layer::Water),
            enterprises: has(Layer::Enterprises),
        };
        (layers != Self::NONE).then_some(layers)
    }

    const NONE: Layers = Layers {
        air: false,
        water: false,
        enterprises: false,
    };

    pub fn shows(self, layer: Layer) -> bool {
        match layer {
            Layer::Air => self.air,
            Layer::Water => self.water,
            Layer::Enterprises => self.enterprises,
        }
    }

    /// These layers with `layer` switched on or off.
    pub fn toggled(self, layer: Layer) -> Self {
        let mut next = self;
        match layer {
            Layer::Air => next.air = !next.air,
            Layer::Water => next.water = !next.water,
            Layer::Enterprises => next.enterprises = !next.enterprises,
        }
        next
    }

    /// The value of `?layers=`, e.g. `air,enterprises`.
    pub fn query_value(self) -> String {
        Layer::ALL
            .iter()
            .filter(|l| self.shows(**l))
            .map(|l| l.name())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The home map's address with these layers: `/` for all three; with none left, the
    /// parameter names none and the map shows nothing but the basemap.
    pub fn home_href(self) -> String {
        if self == Self::ALL {
            "/".to_string()
        } else if self == Self::NONE {
            "/?layers=none".to_string()
        } else {
            format!("/?layers={}", self.query_value())
        }
    }

    /// The home map's layers from its `?layers=` (all three without it; `none` for none).
    pub fn of_home(value: Option<&str>) -> Self {
        match value.map(str::trim) {
            Some("none") => Self::NONE,
            Some(text) => Self::parse(text).unwrap_or(Self::ALL),
            None => Self::ALL,
        }
    }
}

/// What an embedded map shows: `layers=air,water,enterprises` (air and water by default),
/// `center=LAT,LON` and `zoom=N` (else the city's air stations fill the frame),
/// `stations=CODE,CODE` (only those air stations and water sections). Values that do not
/// parse are ignored, so a mistyped snippet still shows a map.
#[derive(Debug, Clone, PartialEq)]
pub struct EmbedView {
    pub air: bool,
    pub water: bool,
    pub enterprises: bool,
    pub center: Option<(f64, f64)>,
    pub zoom: Option<f64>,
    pub stations: Vec<String>,
}

impl EmbedView {
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        let layers = get("layers")
            .and_then(|text| Layers::parse(&text))
            .unwrap_or(Layers {
                enterprises: false,
                ..Layers::ALL
            });
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
            air: layers.air,
            water: layers.water,
            enterprises: layers.enterprises,
            center,
            zoom,
            stations,
        }
    }

    pub fn layers(&self) -> Layers {
        Layers {
            air: self.air,
            water: self.water,
            enterprises: self.enterprises,
        }
    }

    pub fn shows(&self, s: &StationSummary) -> bool {
        let layer = match s.kind {
            StationKind::Air => self.air,
            StationKind::Water => self.water,
        };
        layer && self.picks(s)
    }

    /// Whether the `stations` filter lets this station through (layers aside).
    fn picks(&self, s: &StationSummary) -> bool {
        self.stations.is_empty() || self.stations.iter().any(|c| c == s.code.as_str())
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
    // The home map draws every station and follows `?layers=` (links that work without
    // JavaScript; with it the router changes the query in place and the layers follow); an
    // embed draws only what its address asks for.
    let query = leptos_router::hooks::use_query_map();
    let layers: Signal<Layers> = match &embed {
        Some(e) => Signal::stored(e.layers()),
        None => Signal::derive(move || Layers::of_home(query.read().get("layers").as_deref())),
    };
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
    let enterprises: Vec<EnterpriseSummary> = match &embed {
        Some(e) if !e.enterprises => Vec::new(),
        _ => data.enterprises.clone(),
    };
    // The list follows live updates; the map's markers are redrawn one by one.
    let summaries = RwSignal::new(stations);
    let firms = RwSignal::new(enterprises);
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
        let firm_markers: Vec<layer::EnterpriseMarker> = firms
            .get_untracked()
            .iter()
            .map(|e| layer::marker(lang, e))
            .collect();
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
                    let go = move |href: &str| {
                        if embedded {
                            // Out of the frame: the station's page opens in a new tab.
                            crate::map_js::open_in_new_tab(href);
                        } else {
                            navigate(href, Default::default());
                        }
                    };
                    let mut created = crate::map_js::create_map(
                        &element,
                        &markers,
                        tiles.as_ref(),
                        initial_view.as_ref(),
                        go.clone(),
                    );
                    if let Some(map) = created.as_mut() {
                        map.add_enterprises(&firm_markers, go);
                        map.show_layers(layers.get_untracked());
                    }
                    handle.set_value(created);
                }
            }
        });
        // The layers shown, now and after every toggle.
        Effect::new(move |_| {
            let layers = layers.get();
            handle.with_value(|h| {
                if let Some(h) = h {
                    h.show_layers(layers);
                }
            });
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
            let apply_firms = move |changed: Vec<EnterpriseSummary>| {
                if only.with_value(|e| e.as_ref().is_some_and(|e| !e.enterprises)) {
                    return;
                }
                for summary in &changed {
                    let spec = layer::marker(lang, summary);
                    handle.with_value(|h| {
                        if let Some(h) = h {
                            h.update_enterprise(&spec);
                        }
                    });
                }
                firms.update(|all| {
                    for summary in changed {
                        if let Some(slot) = all
                            .iter_mut()
                            .find(|e| e.credit_code == summary.credit_code)
                        {
                            *slot = summary;
                        }
                    }
                });
                live.touch();
            };
            crate::live::connect(scale, cursor.clone(), live, move |message| match message {
                LiveMessage::Station(summary) => apply(vec![*summary]),
                LiveMessage::Enterprise(summary) => apply_firms(vec![*summary]),
                LiveMessage::Resync => {
                    leptos::task::spawn_local(async move {
                        if let Ok(fresh) = load_map(scale).await {
                            apply(fresh.stations);
                            apply_firms(fresh.enterprises);
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
                    {embed.enterprises.then(|| view! { <span class="self-reported">" · ◆ "{lang.pick("企业自行监测，未经审核", "enterprises: self-reported, not audited")}</span> })}
                    <LiveLine status=live />
                </div>
                <p class="embed-map-attribution">{t.attribution}</p>
            </section>
        }
        .into_any();
    }
    // oEmbed discovery (issue 7): where a CMS finds the embeddable map of this page.
    let oembed = data.site.base_url.clone().map(|base| {
        let title = format!("{} · {} (oEmbed)", t.site_name, t.nav_map);
        let href = |format| crate::oembed::discovery_href(&base, "/", format);
        view! {
            <Link rel="alternate" type_="application/json+oembed" href=href("json") title=title.clone() />
            <Link rel="alternate" type_="text/xml+oembed" href=href("xml") title=title />
        }
    });
    view! {
        <crate::share::ShareMeta
            title=t.site_name.to_string()
            description=format!("{} · {}", t.tagline, t.nav_map)
            base=data.site.base_url.clone()
            path="/".to_string()
        />
        {oembed}
        {data.site.demo.then(|| view! { <p class="demo-banner" role="note">{t.simulated_banner}</p> })}
        <section class="map-section" aria-label=t.map_label>
            <LayerToggle layers />
            <div class="map" id="map" node_ref=map_ref data-station-count=markers.len()
                data-layers=move || layers.get().query_value()>
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
            <layer::LayerLegend />
            <ScaleSwitch />
        </section>
        <section class="station-list" id="list">
            {move || {
                let shown = layers.get();
                let (air, water): (Vec<_>, Vec<_>) = summaries
                    .get()
                    .into_iter()
                    .partition(|s| s.kind == StationKind::Air);
                view! {
                    {shown.air.then(|| view! {
                        <h2>{t.air_stations}</h2>
                        <AirTable stations=air offset />
                    })}
                    {shown.water.then(|| view! {
                        <h2>{t.water_sections}</h2>
                        <WaterTable stations=water offset />
                    })}
                    {shown.enterprises.then(|| view! {
                        <h2>{layer::texts(lang).table_title}</h2>
                        <p class="note">{lang.pick("企业自行监测，未经审核。", "Self-reported, not audited.")}</p>
                        <layer::EnterpriseTable enterprises=firms.get() offset />
                    })}
                }
            }}
        </section>
    }
    .into_any()
}

/// The layer switches above the map: links to the same map with one layer more or less, so
/// they work without JavaScript; with it the router changes the address in place (no reload,
/// no scroll) and the map and list follow.
#[component]
fn LayerToggle(layers: Signal<Layers>) -> impl IntoView {
    let lang = use_lang();
    let t = use_texts();
    let label = lang.pick("图层", "Layers");
    let links = Layer::ALL
        .into_iter()
        .map(|layer| {
            let name = match layer {
                Layer::Air => t.air_stations,
                Layer::Water => t.water_sections,
                Layer::Enterprises => layer::texts(lang).layer,
            };
            let on = move || layers.get().shows(layer);
            view! {
                <a class=move || format!("layer-switch layer-{} {}", layer.name(), if on() { "on" } else { "off" })
                    data-layer=layer.name()
                    data-on=move || if on() { "true" } else { "false" }
                    data-noscroll="true"
                    href=move || layers.get().toggled(layer).home_href()>
                    <span class="layer-mark" aria-hidden="true">{move || if on() { "☑" } else { "☐" }}</span>
                    " "{name}
                    <span class="vh">{move || if on() { lang.pick("（显示中，点击隐藏）", " (shown; hide)") } else { lang.pick("（已隐藏，点击显示）", " (hidden; show)") }}</span>
                </a>
            }
        })
        .collect_view();
    view! {
        <nav class="layer-toggle" aria-label=label>
            <span class="layer-label">{label}": "</span>
            {links}
        </nav>
    }
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
    use super::{EmbedView, Layer, Layers};

    fn parse(query: &[(&str, &str)]) -> EmbedView {
        EmbedView::from_query(|name| {
            query
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn an_embed_shows_air_and_water_unless_told_otherwise() {
        let all = parse(&[]);
        assert!(all.air && all.water && !all.enterprises);
        assert_eq!((all.center, all.zoom), (None, None));
        let air = parse(&[("layers", "air")]);
        assert!(air.air && !air.water && !air.enterprises);
        let three = parse(&[("layers", "air, water,enterprises")]);
        assert!(three.air && three.water && three.enterprises);
        let firms = parse(&[("layers", "enterprises")]);
        assert!(!firms.air && !firms.water && firms.enterprises);
        // Nothing known asked for: air and water, not an empty map.
        let unknown = parse(&[("layers", "noise")]);
        assert!(unknown.air && unknown.water && !unknown.enterprises);
    }

    #[test]
    fn the_home_map_toggles_each_layer_by_a_link() {
        let all = Layers::of_home(None);
        assert_eq!(all, Layers::ALL);
        assert_eq!(all.home_href(), "/");
        let no_firms = all.toggled(Layer::Enterprises);
        assert_eq!(no_firms.home_href(), "/?layers=air,water");
        assert_eq!(Layers::of_home(Some("air,water")), no_firms);
        assert_eq!(no_firms.toggled(Layer::Enterprises), Layers::ALL);
        let only_firms = all.toggled(Layer::Air).toggled(Layer::Water);
        assert_eq!(only_firms.home_href(), "/?layers=enterprises");
        // The last layer off: an explicit "none", not the default of all three.
        let none = only_firms.toggled(Layer::Enterprises);
        assert_eq!(none.home_href(), "/?layers=none");
        assert_eq!(Layers::of_home(Some("none")), none);
        assert!(!Layer::ALL.iter().any(|l| none.shows(*l)));
        // Nonsense: all three.
        assert_eq!(Layers::of_home(Some("smoke")), Layers::ALL);
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
