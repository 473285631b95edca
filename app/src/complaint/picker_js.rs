//! The location picker's map and the browser's geolocation (browser only, after
//! hydration). The map is a small Leaflet map on the same offline basemap as the home map
//! (`crate::map_js::draw_basemap`): a tap sets the point, shown as a circle.

use std::cell::RefCell;
use std::rc::Rc;

use leaflet::{CircleMarker, LatLng, LatLngBounds, Map, MapOptions};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

use crate::model::TileLayerConfig;

/// The zoom a chosen point is shown at.
const POINT_ZOOM: f64 = 15.0;

fn set(target: &JsValue, key: &str, value: JsValue) {
    let _ = js_sys::Reflect::set(target, &key.into(), &value);
}

fn get_f64(target: &JsValue, key: &str) -> Option<f64> {
    js_sys::Reflect::get(target, &key.into()).ok()?.as_f64()
}

/// The picker's map and its point.
pub struct Picker {
    map: Map,
    point: RefCell<Option<CircleMarker>>,
}

impl Picker {
    /// Shows the point (moves the circle there); `recenter`: also brings it into view.
    pub fn show(&self, lat: f64, lon: f64, recenter: bool) {
        let at = LatLng::new(lat, lon);
        let mut point = self.point.borrow_mut();
        match point.as_ref() {
            Some(circle) => circle.set_lat_lng(&at),
            None => {
                let options = js_sys::Object::new();
                set(&options, "radius", 9.0.into());
                set(&options, "color", "#8a1c14".into());
                set(&options, "weight", 3.0.into());
                set(&options, "fillColor", "#e53935".into());
                set(&options, "fillOpacity", 0.85.into());
                set(&options, "interactive", JsValue::FALSE);
                let circle = CircleMarker::new_with_options(&at, &options);
                circle.add_to(&self.map);
                *point = Some(circle);
            }
        }
        if recenter {
            let zoom = self.map.get_zoom().max(POINT_ZOOM);
            self.map.set_view(&at, zoom);
        }
    }

    pub fn clear(&self) {
        if let Some(circle) = self.point.borrow_mut().take() {
            circle.remove();
        }
    }
}

/// Creates the picker's map inside `element`, opening on `area` (south, west, north, east)
/// or on `initial` when a point is already chosen. `on_tap(lat, lon)` is called for every
/// tap on the map. None when Leaflet is not loaded (the coordinate fields still work).
pub fn create(
    element: &HtmlElement,
    tiles: Option<&TileLayerConfig>,
    area: Option<(f64, f64, f64, f64)>,
    initial: Option<(f64, f64)>,
    on_tap: impl Fn(f64, f64) + 'static,
) -> Option<Rc<Picker>> {
    let leaflet_loaded = js_sys::Reflect::has(&js_sys::global(), &"L".into()).unwrap_or(false);
    if !leaflet_loaded {
        leptos::logging::warn!("Leaflet is not loaded; the coordinate fields stay available");
        return None;
    }
    let options = MapOptions::new();
    options.set_zoom_control(true);
    options.set_attribution_control(true);
    let map = Map::new_with_element(element, &options).ok()?;
    element.class_list().add_1("map-ready").ok();
    crate::map_js::draw_basemap(&map, tiles);
    match (initial, area) {
        (Some((lat, lon)), _) => map.set_view(&LatLng::new(lat, lon), POINT_ZOOM),
        (None, Some((south, west, north, east))) => map.fit_bounds(&LatLngBounds::new(
            &LatLng::new(south, west),
            &LatLng::new(north, east),
        )),
        (None, None) => map.set_view(&LatLng::new(34.26, 108.94), 10.0),
    };
    let on_click = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
        let Ok(at) = js_sys::Reflect::get(&event, &"latlng".into()) else {
            return;
        };
        if let (Some(lat), Some(lon)) = (get_f64(&at, "lat"), get_f64(&at, "lng")) {
            on_tap(lat, lon);
        }
    });
    if let Ok(on) = js_sys::Reflect::get(&map, &"on".into()) {
        if let Ok(on) = on.dyn_into::<js_sys::Function>() {
            let _ = on.call2(&map, &"click".into(), on_click.as_ref());
        }
    }
    // The map lives as long as the page; so does its handler.
    on_click.forget();
    let picker = Rc::new(Picker {
        map,
        point: RefCell::new(None),
    });
    if let Some((lat, lon)) = initial {
        picker.show(lat, lon, false);
    }
    Some(picker)
}

/// Why the browser gave no position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeoFailure {
    Denied,
    Unavailable,
    Timeout,
    Unsupported,
}

/// Asks the browser for the resident's position (precise, at most a minute old, within
/// 15 s); `done` gets (latitude, longitude) or the reason there is none.
pub fn locate(done: impl Fn(Result<(f64, f64), GeoFailure>) + 'static) {
    let done = Rc::new(done);
    let Some(geolocation) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
        done(Err(GeoFailure::Unsupported));
        return;
    };
    let ok_done = done.clone();
    let on_ok = Closure::<dyn FnMut(web_sys::Position)>::new(move |position: web_sys::Position| {
        let coords = position.coords();
        ok_done(Ok((coords.latitude(), coords.longitude())));
    });
    let on_err = Closure::<dyn FnMut(JsValue)>::new(move |error: JsValue| {
        let failure = match get_f64(&error, "code").map(|c| c as u16) {
            Some(1) => GeoFailure::Denied,
            Some(3) => GeoFailure::Timeout,
            _ => GeoFailure::Unavailable,
        };
        done(Err(failure));
    });
    let options = web_sys::PositionOptions::new();
    options.set_enable_high_accuracy(true);
    options.set_timeout(15_000);
    options.set_maximum_age(60_000);
    if geolocation
        .get_current_position_with_error_callback_and_options(
            on_ok.as_ref().unchecked_ref(),
            Some(on_err.as_ref().unchecked_ref()),
            &options,
        )
        .is_err()
    {
        leptos::logging::warn!("geolocation request refused by the browser");
    }
    on_ok.forget();
    on_err.forget();
}
