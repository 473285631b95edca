//! The share card of a snapshot (`/card/snapshot/{id}.png`, the `og:image` of its page):
//! the same card as a station's ([`daylight_app::share::draw_card`]) drawn from the frozen
//! document only, with the time it was taken. It never changes.

use daylight_app::components::format_local;
use daylight_app::i18n::Lang;
use daylight_app::share::{draw_card, CardText};
use daylight_domain::aqi::AqiScale;
use daylight_store::Snapshot;

use super::document::{Document, Name};

const NO_VALUE_GREY: &str = "#9e9e9e";

fn name(lang: Lang, n: &Name) -> &str {
    match lang {
        Lang::Zh => &n.zh,
        Lang::En => &n.en,
    }
}

/// The snapshot's card as SVG, in `lang`, with the AQI on `scale` (a snapshot keeps both).
pub fn svg(
    lang: Lang,
    scale: AqiScale,
    snapshot: &Snapshot,
    document: &Document,
    offset: i32,
) -> String {
    let t = lang.t();
    let station = &document.station;
    let air = document.is_air();
    let section = if air { t.air_quality } else { t.water_quality };
    let place = if air {
        station.district.clone()
    } else {
        station.river.clone().or_else(|| station.district.clone())
    };
    let sub = match place {
        Some(place) => format!("{place} · {section}"),
        None => section.to_string(),
    };
    let hour = document.latest();
    let (measure, value, label, color) = match hour {
        Some(hour) if air => {
            let aqi = match scale {
                AqiScale::Hj633 => hour.aqi_hj633.as_ref(),
                AqiScale::UsEpa => hour.aqi_us_epa.as_ref(),
            };
            match aqi.and_then(|a| Some((a.aqi?, a.category.as_ref()?, a.color.as_deref()?))) {
                Some((value, category, color)) => (
                    "AQI".to_string(),
                    value.to_string(),
                    name(lang, category).to_string(),
                    color.to_string(),
                ),
                None => (
                    "AQI".to_string(),
                    "—".to_string(),
                    t.no_aqi.to_string(),
                    NO_VALUE_GREY.to_string(),
                ),
            }
        }
        Some(hour) => match &hour.water {
            Some(w) => (
                t.water_class.to_string(),
                w.class.clone(),
                name(lang, &w.quality).to_string(),
                w.color.clone(),
            ),
            None => (
                t.water_class.to_string(),
                "—".to_string(),
                t.no_data.to_string(),
                NO_VALUE_GREY.to_string(),
            ),
        },
        None => (
            if air { "AQI" } else { t.water_class }.to_string(),
            "—".to_string(),
            t.no_data.to_string(),
            NO_VALUE_GREY.to_string(),
        ),
    };
    // Only a colour goes into the SVG's fill: the document is ours, but it is read back
    // from storage.
    let color = if is_hex_colour(&color) {
        color
    } else {
        NO_VALUE_GREY.to_string()
    };
    let time = match hour {
        Some(hour) => format!("{}: {}", t.as_of, format_local(hour.time, offset)),
        None => t.no_data.to_string(),
    };
    let note = format!(
        "{} {}",
        lang.pick("快照 · 截取于", "Snapshot taken"),
        format_local(snapshot.taken, offset)
    );
    let simulated = hour.and_then(|h| h.source.as_deref()) == Some("simulated");
    draw_card(&CardText {
        name: &station.name,
        sub: &sub,
        measure: &measure,
        value: &value,
        label: &label,
        color: &color,
        time: &time,
        note: Some(&note),
        badge: simulated.then_some(t.source_simulated),
    })
}

fn is_hex_colour(text: &str) -> bool {
    text.len() == 7 && text.starts_with('#') && text[1..].chars().all(|c| c.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hex_colours_pass() {
        assert!(is_hex_colour("#FFFF00"));
        assert!(!is_hex_colour("red"));
        assert!(!is_hex_colour("#fff\"/><x"));
    }
}
