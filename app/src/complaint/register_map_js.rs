//! The register's map in the browser (after hydration): a Leaflet map on the offline
//! basemap (`crate::map_js::draw_basemap`) with a marker per complaint at its coarsened
//! position; a tap on a marker brings the complaint's row in the list into view.

use leaflet::{LatLng, LatLngBounds, Map, MapOptions, Marker, MarkerOptions};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

use super::register_map::{row_id, RegisterPoint};
use crate::model::TileLayerConfig;

#[wasm_bindgen]
extern "C" {
    /// `L.divIcon` (the crate's `DivIcon` builds an `L.Icon`, which cannot hold HTML).
    #[wasm_bindgen(js_namespace = L, js_name = divIcon)]
    fn div_icon(options: &leaflet::DivIconOptions) -> leaflet::Icon;
}

/// The most a single complaint is zoomed to (its cell is ~200 m wide).
const MAX_ZOOM: f64 = 15.0;

fn icon(point: &RegisterPoint) -> leaflet::Icon {
    let (class, glyph) = if point.done {
        ("register-done", "✓")
    } else {
        ("register-open", "!")
    };
    let options = leaflet::DivIconOptions::new();
    options.set_html(format!(
        "<span class=\"register-marker {class}\" aria-hidden=\"true\">{glyph}</span>"
    ));
    options.set_class_name("daylight-marker".to_string());
    options.set_icon_size(leaflet::Point::new(28.0, 28.0));
    options.set_icon_anchor(leaflet::Point::new(14.0, 14.0));
    div_icon(&options)
}

fn call_method(target: &JsValue, name: &str, args: &[JsValue]) -> Option<JsValue> {
    let method: js_sys::Function = js_sys::Reflect::get(target, &name.into())
        .ok()?
        .dyn_into()
        .ok()?;
    let args: js_sys::Array = args.iter().collect();
    method.apply(target, &args).ok()
}

/// Brings the complaint's row into view and marks it as the one chosen.
fn show_row(tracking_code: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    // At most one row is marked at a time.
    if let Ok(Some(previous)) = document.query_selector("tr[data-selected]") {
        let _ = previous.remove_attribute("data-selected");
    }
    if let Some(row) = document.get_element_by_id(&row_id(tracking_code)) {
        let _ = row.set_attribute("data-selected", "true");
        row.scroll_into_view();
    }
}

fn add_marker(map: &Map, point: &RegisterPoint) {
    let options = MarkerOptions::new();
    options.set_icon(icon(point));
    options.set_title(point.title.clone());
    options.set_keyboard(true);
    options.set_rise_on_hover(true);
    let marker = Marker::new_with_options(&LatLng::new(point.lat, point.lon), &options);
    call_method(&marker, "bindTooltip", &[JsValue::from_str(&point.title)]);
    let code = point.tracking_code.clone();
    let on_click = Closure::<dyn FnMut(JsValue)>::new(move |_event: JsValue| show_row(&code));
    marker.on("click", on_click.as_ref().unchecked_ref());
    // The map lives as long as the page; so does its handler.
    on_click.forget();
    marker.add_to(map);
    if let Some(el) = call_method(&marker, "getElement", &[])
        .and_then(|el| el.dyn_into::<web_sys::Element>().ok())
    {
        let _ = el.set_attribute("aria-label", &point.title);
        let _ = el.set_attribute("data-code", &point.tracking_code);
        let _ = el.set_attribute("data-status", if point.done { "done" } else { "open" });
    }
}

/// Creates the map inside `element` with a marker per point, opening on their extent.
/// False when Leaflet is not loaded (the list is the register all the same).
pub fn create(
    element: &HtmlElement,
    points: &[RegisterPoint],
    tiles: Option<&TileLayerConfig>,
) -> bool {
    let leaflet_loaded = js_sys::Reflect::has(&js_sys::global(), &"L".into()).unwrap_or(false);
    if !leaflet_loaded {
        leptos::logging::warn!("Leaflet is not loaded; the register's list stays available");
        return false;
    }
    let options = MapOptions::new();
    options.set_zoom_control(true);
    options.set_attribution_control(true);
    let Ok(map) = Map::new_with_element(element, &options) else {
        return false;
    };
    element.class_list().add_1("map-ready").ok();
    crate::map_js::draw_basemap(&map, tiles);
    let (mut south, mut west, mut north, mut east) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for p in points {
        south = south.min(p.lat);
        north = north.max(p.lat);
        west = west.min(p.lon);
        east = east.max(p.lon);
    }
    if points.is_empty() {
        map.set_view(&LatLng::new(34.26, 108.94), 10.0);
    } else {
        let bounds = LatLngBounds::new(&LatLng::new(south, west), &LatLng::new(north, east));
        let fit = js_sys::Object::new();
        let _ = js_sys::Reflect::set(
            &fit,
            &"padding".into(),
            &js_sys::Array::of2(&24.into(), &24.into()),
        );
        let _ = js_sys::Reflect::set(&fit, &"maxZoom".into(), &MAX_ZOOM.into());
        map.fit_bounds_with_options(&bounds, &fit);
    }
    for p in points {
        add_marker(&map, p);
    }
    true
}
