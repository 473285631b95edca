use daylight_domain::aqi::category;
use daylight_domain::water::WaterClass;
use leptos::prelude::*;

use super::scale_name;
use crate::i18n::{use_lang, use_texts};
use crate::prefs::use_scale;

/// The colour keys of the map: HJ 633 categories and GB 3838 classes.
#[component]
pub fn Legend() -> impl IntoView {
    let lang = use_lang();
    let t = use_texts();
    let scale = use_scale();
    let aqi_rows = [25u16, 75, 125, 175, 250, 400].map(|aqi| {
        let c = category(scale, aqi);
        view! {
            <li>
                <span class="swatch" style=format!("background:{}", c.color)></span>
                {lang.pick(c.name_zh, c.name_en)}
            </li>
        }
    });
    let water_rows = [
        WaterClass::I,
        WaterClass::II,
        WaterClass::III,
        WaterClass::IV,
        WaterClass::V,
        WaterClass::WorseThanV,
    ]
    .map(|class| {
        view! {
            <li>
                <span class="swatch swatch-water" style=format!("background:{}", class.color())></span>
                {lang.pick(class.label_zh(), class.label_en())}
            </li>
        }
    });
    view! {
        <details class="legend" open>
            <summary>{t.legend}</summary>
            <div class="legend-columns">
                <div>
                    <h3>{t.air_quality}" (AQI, "{scale_name(lang, scale)}")"</h3>
                    <ul>{aqi_rows.into_iter().collect_view()}</ul>
                </div>
                <div>
                    <h3>{t.water_quality}</h3>
                    <ul>{water_rows.into_iter().collect_view()}</ul>
                </div>
            </div>
        </details>
    }
}
