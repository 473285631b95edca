//! The report form's location: a small map to tap, "use my location", and the latitude and
//! longitude fields they fill. Without script the map and the button stay hidden and the
//! fields (and the address in words beside them) are the whole form; with script a tap or
//! the browser's position writes the point into the same fields, so the form posts the
//! same way either way.

use leptos::prelude::*;

use super::field;
use super::place_texts::point_text;
use crate::i18n::use_lang;
use crate::model::TileLayerConfig;

/// A coordinate as the fields show it: 6 decimals (~0.1 m), enough for any tap.
pub fn coordinate_text(value: f64) -> String {
    format!("{value:.6}")
}

/// The point the fields hold, when both parse and are in range.
pub fn parse_point(lat: &str, lon: &str) -> Option<(f64, f64)> {
    let lat = lat.trim().parse::<f64>().ok()?;
    let lon = lon.trim().parse::<f64>().ok()?;
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
}

#[component]
pub fn LocationPicker(
    /// The fields as the form had them (a refused submission keeps them).
    lat: String,
    lon: String,
    /// `aria-invalid` of the fields.
    invalid: Option<&'static str>,
    tiles: Option<TileLayerConfig>,
    area: Option<(f64, f64, f64, f64)>,
) -> impl IntoView {
    let lang = use_lang();
    let ct = lang.complaint_texts();
    let pt = lang.place_texts();
    let initial = parse_point(&lat, &lon);
    let point = RwSignal::new(initial);
    // What "use my location" last said (locating, refused, timed out…).
    let status = RwSignal::new(None::<String>);
    let hydrated = RwSignal::new(false);
    let map_ref = NodeRef::<leptos::html::Div>::new();
    let lat_ref = NodeRef::<leptos::html::Input>::new();
    let lon_ref = NodeRef::<leptos::html::Input>::new();

    #[cfg(feature = "hydrate")]
    let handle = StoredValue::new_local(None::<std::rc::Rc<super::picker_js::Picker>>);
    // Shows a point on the map and in the line under it.
    let show = move |lat: f64, lon: f64, recenter: bool| {
        point.set(Some((lat, lon)));
        #[cfg(feature = "hydrate")]
        handle.with_value(|h| {
            if let Some(h) = h {
                h.show(lat, lon, recenter);
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = recenter;
    };
    // A tap or the browser's position: also written into the fields.
    let choose = move |lat: f64, lon: f64, recenter: bool| {
        if let (Some(lat_input), Some(lon_input)) =
            (lat_ref.get_untracked(), lon_ref.get_untracked())
        {
            lat_input.set_value(&coordinate_text(lat));
            lon_input.set_value(&coordinate_text(lon));
        }
        show(lat, lon, recenter);
    };

    #[cfg(feature = "hydrate")]
    {
        let tiles = tiles.clone();
        Effect::new(move |_| {
            hydrated.set(true);
            let Some(element) = map_ref.get() else {
                return;
            };
            let tiles = tiles.clone();
            // After the next frame: the picker is shown by then (`hidden` removed), so
            // Leaflet measures a real size.
            request_animation_frame(move || {
                if handle.with_value(|h| h.is_some()) {
                    return;
                }
                let created = super::picker_js::create(
                    &element,
                    tiles.as_ref(),
                    area,
                    initial,
                    move |lat, lon| {
                        status.set(None);
                        choose(lat, lon, false);
                    },
                );
                handle.set_value(created);
            });
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (&tiles, area, &map_ref, &choose);

    let on_locate = move |_| {
        #[cfg(feature = "hydrate")]
        {
            use super::picker_js::GeoFailure;
            status.set(Some(pt.locating.to_string()));
            super::picker_js::locate(move |result| match result {
                Ok((lat, lon)) => {
                    choose(lat, lon, true);
                    status.set(Some(pt.located.to_string()));
                }
                Err(failure) => status.set(Some(
                    match failure {
                        GeoFailure::Denied => pt.geo_denied,
                        GeoFailure::Unavailable => pt.geo_unavailable,
                        GeoFailure::Timeout => pt.geo_timeout,
                        GeoFailure::Unsupported => pt.geo_unsupported,
                    }
                    .to_string(),
                )),
            });
        }
    };
    let on_clear = move |_| {
        if let (Some(lat_input), Some(lon_input)) =
            (lat_ref.get_untracked(), lon_ref.get_untracked())
        {
            lat_input.set_value("");
            lon_input.set_value("");
        }
        point.set(None);
        status.set(None);
        #[cfg(feature = "hydrate")]
        handle.with_value(|h| {
            if let Some(h) = h {
                h.clear();
            }
        });
    };
    // Typed coordinates move the point too (the fields keep what was typed).
    let on_typed = move |_| {
        let (Some(lat_input), Some(lon_input)) = (lat_ref.get_untracked(), lon_ref.get_untracked())
        else {
            return;
        };
        if let Some((lat, lon)) = parse_point(&lat_input.value(), &lon_input.value()) {
            show(lat, lon, true);
        }
    };

    view! {
        <div class="picker" hidden=move || !hydrated.get()>
            <p class="hint" id="picker-hint">{pt.map_hint}</p>
            <div class="picker-map" id="picker-map" node_ref=map_ref role="application" aria-label=pt.map_label aria-describedby="picker-hint">
                <p class="map-placeholder">{pt.map_loading}</p>
            </div>
            <div class="picker-tools">
                <button type="button" class="locate" on:click=on_locate>"◎ "{pt.use_my_location}</button>
                <button type="button" class="clear-point" on:click=on_clear hidden=move || point.get().is_none()>{pt.clear_point}</button>
            </div>
            <output class="picker-status" aria-live="polite">{move || status.get()}</output>
        </div>
        <p class="picker-point" aria-live="polite" data-set=move || point.get().is_some().then_some("true")>
            {move || match point.get() {
                Some((lat, lon)) => point_text(lang, lat, lon),
                None => pt.no_point.to_string(),
            }}
        </p>
        <p class="hint">{pt.coordinates_hint}</p>
        <div class="coordinates">
            <label>
                {ct.latitude}
                <input id="lat" type="text" inputmode="decimal" name=field::LAT value=lat maxlength="20" node_ref=lat_ref on:change=on_typed aria-invalid=invalid aria-describedby="err-location" />
            </label>
            <label>
                {ct.longitude}
                <input id="lon" type="text" inputmode="decimal" name=field::LON value=lon maxlength="20" node_ref=lon_ref on:change=on_typed aria-invalid=invalid aria-describedby="err-location" />
            </label>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_give_a_point_only_when_both_are_coordinates() {
        assert_eq!(parse_point(" 34.261 ", "108.947"), Some((34.261, 108.947)));
        assert_eq!(parse_point("34.261", ""), None);
        assert_eq!(parse_point("95", "108.9"), None);
        assert_eq!(parse_point("north", "108.9"), None);
        assert_eq!(coordinate_text(34.26100049), "34.261000");
    }
}
