//! The Leaflet map, created in the browser after hydration (never during server rendering).
//!
//! The default basemap is offline: the district boundaries as vector layers, fetched from
//! our own API. A deployment may add a tile layer (Tianditu, an internal server, OSM).

use std::collections::HashMap;

use daylight_domain::station::StationKind;
use leaflet::{
    LatLng, LatLngBounds, LayerGroup, Map, MapOptions, Marker, MarkerOptions, TileLayer,
    TileLayerOptions,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

use crate::enterprise::layer::EnterpriseMarker;
use crate::model::TileLayerConfig;
use crate::pages::{EmbedView, Layer, Layers, MarkerSpec};

#[wasm_bindgen]
extern "C" {
    /// `L.divIcon`: the `leaflet` crate's `DivIcon` constructs an `L.Icon`, which cannot
    /// hold HTML, so we bind the factory ourselves.
    #[wasm_bindgen(js_namespace = L, js_name = divIcon)]
    fn div_icon(options: &leaflet::DivIconOptions) -> leaflet::Icon;

    /// `L.geoJSON` (the crate declares it in a private module).
    #[wasm_bindgen(js_namespace = L, js_name = geoJSON)]
    fn geo_json(data: &JsValue, options: &JsValue) -> leaflet::Layer;
}

/// Calls a Leaflet method the crate binds wrongly or not at all (`bindTooltip`,
/// `getElement`).
fn call_method(target: &JsValue, name: &str, args: &[JsValue]) -> Option<JsValue> {
    let method: js_sys::Function = js_sys::Reflect::get(target, &name.into())
        .ok()?
        .dyn_into()
        .ok()?;
    let args: js_sys::Array = args.iter().collect();
    method.apply(target, &args).ok()
}

/// The marker's DOM element, tagged with the station code for tests and assistive technology.
fn marker_element(marker: &Marker) -> Option<web_sys::Element> {
    call_method(marker, "getElement", &[])?.dyn_into().ok()
}

/// Tags a marker's element with its code (for tests and assistive technology) and title
/// every time Leaflet creates the element: a marker whose layer is hidden loses it, and gets
/// a new one when shown again.
fn tag_on_add(marker: &Marker, code: &str) {
    let tagged = marker.clone();
    let code = code.to_string();
    let on_add = Closure::<dyn FnMut(JsValue)>::new(move |_event: JsValue| {
        if let Some(el) = marker_element(&tagged) {
            let _ = el.set_attribute("data-code", &code);
        }
    });
    marker.on("add", on_add.as_ref().unchecked_ref());
    // The map lives as long as the page; so do its handlers.
    on_add.forget();
}

/// Keeps a marker's title in its options too: Leaflet writes `title` and `alt` from them
/// when it recreates the element (a hidden layer shown again).
fn remember_title(marker: &Marker, title: &str) {
    if let Ok(options) = js_sys::Reflect::get(marker, &"options".into()) {
        for key in ["title", "alt"] {
            let _ = js_sys::Reflect::set(&options, &key.into(), &JsValue::from_str(title));
        }
    }
}

/// A created map and its markers, kept for "near me", live updates and the layer switches.
pub struct MapHandle {
    map: Map,
    markers: HashMap<String, Marker>,
    enterprises: HashMap<String, Marker>,
    groups: HashMap<Layer, LayerGroup>,
}

impl MapHandle {
    /// Redraws a station's marker after its values changed (live updates). Leaflet reuses
    /// the marker's element, so its `data-code` stays.
    pub fn update_marker(&self, spec: &MarkerSpec) {
        let Some(marker) = self.markers.get(&spec.code) else {
            return;
        };
        remember_title(marker, &spec.title);
        call_method(marker, "setIcon", &[marker_icon(spec).into()]);
        call_method(
            marker,
            "setTooltipContent",
            &[JsValue::from_str(&spec.title)],
        );
        if let Some(el) = marker_element(marker) {
            let _ = el.set_attribute("title", &spec.title);
            let _ = el.set_attribute("alt", &spec.title);
            let _ = el.set_attribute("data-code", &spec.code);
        }
    }

    /// Draws the enterprise layer (issue 5): a diamond per enterprise, linking to its page.
    pub fn add_enterprises(
        &mut self,
        markers: &[EnterpriseMarker],
        go: impl Fn(&str) + Clone + 'static,
    ) {
        let Some(group) = self.groups.get(&Layer::Enterprises) else {
            return;
        };
        for spec in markers {
            let marker = new_marker(
                spec.lat,
                spec.lon,
                enterprise_icon(spec),
                &spec.title,
                &spec.code,
                &spec.href,
                go.clone(),
            );
            // Under the stations' markers: where a diamond and a station overlap, the
            // station (what the map is first about) stays on top and tappable.
            marker.set_z_index_offset(-1000.0);
            group.add_layer(&marker);
            self.enterprises.insert(spec.code.clone(), marker);
        }
    }

    /// Recolours an enterprise's marker after its "exceeding now" changed (live updates).
    pub fn update_enterprise(&self, spec: &EnterpriseMarker) {
        let Some(marker) = self.enterprises.get(&spec.code) else {
            return;
        };
        remember_title(marker, &spec.title);
        call_method(marker, "setIcon", &[enterprise_icon(spec).into()]);
        call_method(
            marker,
            "setTooltipContent",
            &[JsValue::from_str(&spec.title)],
        );
        if let Some(el) = marker_element(marker) {
            let _ = el.set_attribute("title", &spec.title);
            let _ = el.set_attribute("alt", &spec.title);
            let _ = el.set_attribute("data-code", &spec.code);
        }
    }

    /// Shows the layers switched on and hides the others.
    pub fn show_layers(&self, layers: Layers) {
        for (layer, group) in &self.groups {
            let on_map = self.map.has_layer(group);
            if layers.shows(*layer) && !on_map {
                self.map.add_layer(group);
            } else if !layers.shows(*layer) && on_map {
                self.map.remove_layer(group);
            }
        }
    }

    /// Centres the map on the visitor and opens the nearest station's tooltip.
    pub fn show_position(&self, lat: f64, lon: f64, nearest_code: &str) {
        let here = LatLng::new(lat, lon);
        if let Some(marker) = self.markers.get(nearest_code) {
            let bounds = LatLngBounds::new(&here, &marker.get_lat_lng());
            let options = js_sys::Object::new();
            let _ = js_sys::Reflect::set(
                &options,
                &"padding".into(),
                &js_sys::Array::of2(&40.into(), &40.into()),
            );
            let _ = js_sys::Reflect::set(&options, &"maxZoom".into(), &14.into());
            self.map.fit_bounds_with_options(&bounds, &options);
            marker.open_tooltip(&marker.get_lat_lng());
        } else {
            self.map.set_view(&here, 12.0);
        }
    }
}

fn marker_icon(spec: &MarkerSpec) -> leaflet::Icon {
    let icon_options = leaflet::DivIconOptions::new();
    icon_options.set_html(marker_html(spec));
    icon_options.set_class_name("daylight-marker".to_string());
    icon_options.set_icon_size(leaflet::Point::new(36.0, 36.0));
    icon_options.set_icon_anchor(leaflet::Point::new(18.0, 18.0));
    div_icon(&icon_options)
}

fn marker_html(spec: &MarkerSpec) -> String {
    let shape = match spec.kind {
        StationKind::Air => "marker-air",
        StationKind::Water => "marker-water",
    };
    let simulated = if spec.simulated {
        " marker-simulated"
    } else {
        ""
    };
    format!(
        "<span class=\"marker {shape}{simulated}\" style=\"background:{};color:{}\">{}</span>",
        spec.color,
        spec.text_color,
        html_escape(&spec.text)
    )
}

fn enterprise_icon(spec: &EnterpriseMarker) -> leaflet::Icon {
    let icon_options = leaflet::DivIconOptions::new();
    let state = if spec.exceeding {
        " marker-exceeding"
    } else {
        ""
    };
    let simulated = if spec.simulated {
        " marker-simulated"
    } else {
        ""
    };
    icon_options.set_html(format!(
        "<span class=\"marker marker-enterprise{state}{simulated}\" style=\"background:{}\"><span>{}</span></span>",
        spec.color,
        html_escape(spec.text)
    ));
    icon_options.set_class_name("daylight-marker".to_string());
    icon_options.set_icon_size(leaflet::Point::new(30.0, 30.0));
    icon_options.set_icon_anchor(leaflet::Point::new(15.0, 15.0));
    div_icon(&icon_options)
}

/// A marker with its icon, tooltip, code and link.
fn new_marker(
    lat: f64,
    lon: f64,
    icon: leaflet::Icon,
    title: &str,
    code: &str,
    href: &str,
    go: impl Fn(&str) + 'static,
) -> Marker {
    let marker_options = MarkerOptions::new();
    marker_options.set_icon(icon);
    marker_options.set_title(title.to_string());
    marker_options.set_alt(title.to_string());
    marker_options.set_keyboard(true);
    marker_options.set_rise_on_hover(true);
    let marker = Marker::new_with_options(&LatLng::new(lat, lon), &marker_options);
    call_method(&marker, "bindTooltip", &[JsValue::from_str(title)]);
    let href = href.to_string();
    let on_click = Closure::<dyn FnMut(JsValue)>::new(move |_event: JsValue| go(&href));
    marker.on("click", on_click.as_ref().unchecked_ref());
    // The map lives as long as the page; so do its handlers.
    on_click.forget();
    tag_on_add(&marker, code);
    marker
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Creates the map inside `element`. Returns None if Leaflet is not loaded.
pub fn create_map(
    element: &HtmlElement,
    markers: &[MarkerSpec],
    tiles: Option<&TileLayerConfig>,
    embed: Option<&EmbedView>,
    go: impl Fn(&str) + Clone + 'static,
) -> Option<MapHandle> {
    let leaflet_loaded = js_sys::Reflect::has(&js_sys::global(), &"L".into()).unwrap_or(false);
    if !leaflet_loaded {
        leptos::logging::warn!("Leaflet is not loaded; the list view stays available");
        return None;
    }
    let options = MapOptions::new();
    options.set_zoom_control(true);
    options.set_attribution_control(true);
    let map = Map::new_with_element(element, &options).ok()?;
    element.class_list().add_1("map-ready").ok();

    if let Some(tiles) = tiles {
        let tile_options = TileLayerOptions::new();
        tile_options.set_attribution(tiles.attribution.clone());
        TileLayer::new_options(&tiles.url, &tile_options).add_to(&map);
    }

    // Open on the city: the air stations' extent with a margin; the water sections of the
    // whole province are a zoom-out away.
    // An embed may ask for its own centre and zoom.
    let (center, zoom) = embed.map_or((None, None), |e| (e.center, e.zoom));
    match (center, city_bounds(markers)) {
        (Some((lat, lon)), _) => {
            map.set_view(&LatLng::new(lat, lon), zoom.unwrap_or(12.0));
        }
        (None, Some(bounds)) => {
            map.fit_bounds(&bounds);
            if let Some(zoom) = zoom {
                map.set_zoom(zoom);
            }
        }
        (None, None) => {
            map.set_view(&LatLng::new(34.26, 108.94), zoom.unwrap_or(10.0));
        }
    }

    load_districts(map.clone());

    // One group per layer, on the map until a layer switch hides it.
    let groups: HashMap<Layer, LayerGroup> = Layer::ALL
        .into_iter()
        .map(|layer| {
            let group = LayerGroup::new();
            group.add_to(&map);
            (layer, group)
        })
        .collect();
    let mut by_code = HashMap::new();
    for spec in markers {
        let marker = new_marker(
            spec.lat,
            spec.lon,
            marker_icon(spec),
            &spec.title,
            &spec.code,
            &spec.href,
            go.clone(),
        );
        if let Some(group) = groups.get(&Layer::of(spec.kind)) {
            group.add_layer(&marker);
        }
        by_code.insert(spec.code.clone(), marker);
    }
    Some(MapHandle {
        map,
        markers: by_code,
        enterprises: HashMap::new(),
        groups,
    })
}

fn city_bounds(markers: &[MarkerSpec]) -> Option<LatLngBounds> {
    let air = markers.iter().filter(|m| m.kind == StationKind::Air);
    let (mut south, mut west, mut north, mut east) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    let mut any = false;
    for m in air {
        any = true;
        south = south.min(m.lat);
        north = north.max(m.lat);
        west = west.min(m.lon);
        east = east.max(m.lon);
    }
    if !any {
        return None;
    }
    let pad_lat = (north - south).max(0.05) * 0.1;
    let pad_lon = (east - west).max(0.05) * 0.1;
    Some(LatLngBounds::new(
        &LatLng::new(south - pad_lat, west - pad_lon),
        &LatLng::new(north + pad_lat, east + pad_lon),
    ))
}

/// The basemap alone on a map made elsewhere (the report form's location picker): the
/// configured tile layer, if any, and the district boundaries.
pub fn draw_basemap(map: &Map, tiles: Option<&TileLayerConfig>) {
    if let Some(tiles) = tiles {
        let tile_options = TileLayerOptions::new();
        tile_options.set_attribution(tiles.attribution.clone());
        TileLayer::new_options(&tiles.url, &tile_options).add_to(map);
    }
    load_districts(map.clone());
}

/// Fetches the district boundaries (our offline basemap) and draws them under the markers.
fn load_districts(map: Map) {
    leptos::task::spawn_local(async move {
        let Some(window) = web_sys::window() else {
            return;
        };
        let result: Result<JsValue, JsValue> = async {
            let response = wasm_bindgen_futures::JsFuture::from(
                window.fetch_with_str("/api/v1/districts?simplify=0.001"),
            )
            .await?;
            let response: web_sys::Response = response.dyn_into()?;
            if !response.ok() {
                return Err(JsValue::from_str("district request failed"));
            }
            wasm_bindgen_futures::JsFuture::from(response.json()?).await
        }
        .await;
        match result {
            Ok(geojson) => {
                let style = js_sys::Object::new();
                for (key, value) in [
                    ("color", JsValue::from_str("#5b6b7a")),
                    ("weight", JsValue::from_f64(1.2)),
                    ("fillColor", JsValue::from_str("#eef3f7")),
                    ("fillOpacity", JsValue::from_f64(0.6)),
                ] {
                    let _ = js_sys::Reflect::set(&style, &key.into(), &value);
                }
                let options = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&options, &"style".into(), &style);
                let _ = js_sys::Reflect::set(&options, &"interactive".into(), &JsValue::FALSE);
                geo_json(&geojson, &options).add_to(&map);
            }
            Err(error) => leptos::logging::warn!("district boundaries unavailable: {error:?}"),
        }
    });
}

/// Asks the browser for the visitor's position; calls back with None when refused.
pub fn locate(done: impl Fn(Option<(f64, f64)>) + Clone + 'static) {
    let Some(geolocation) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
        done(None);
        return;
    };
    let ok_done = done.clone();
    let on_ok = Closure::<dyn FnMut(web_sys::Position)>::new(move |position: web_sys::Position| {
        let coords = position.coords();
        ok_done(Some((coords.latitude(), coords.longitude())));
    });
    let on_err = Closure::<dyn FnMut(JsValue)>::new(move |_error: JsValue| done(None));
    let _ = geolocation.get_current_position_with_error_callback(
        on_ok.as_ref().unchecked_ref(),
        Some(on_err.as_ref().unchecked_ref()),
    );
    on_ok.forget();
    on_err.forget();
}

/// Opens `url` in a new tab: a marker in an embedded map leads out of the frame.
pub fn open_in_new_tab(url: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.open_with_url_and_target_and_features(url, "_blank", "noopener");
    }
}
