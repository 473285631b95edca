use daylight_domain::aqi::category;
use daylight_domain::station::DataSource;
use daylight_domain::water::WaterClass;
use leptos::prelude::*;

use crate::i18n::{use_lang, use_texts};
use crate::prefs::use_scale;

/// The AQI number on its category colour.
#[component]
pub fn AqiBadge(aqi: u16, #[prop(optional)] large: bool) -> impl IntoView {
    let c = category(use_scale(), aqi);
    let style = format!("background:{};color:{}", c.color, c.text_color);
    let class = if large { "badge badge-large" } else { "badge" };
    view! { <span class=class style=style data-level=c.level>{aqi}</span> }
}

#[component]
pub fn WaterClassBadge(class: WaterClass, #[prop(optional)] large: bool) -> impl IntoView {
    let lang = use_lang();
    let style = format!("background:{};color:{}", class.color(), class.text_color());
    let css = if large { "badge badge-large" } else { "badge" };
    view! { <span class=css style=style>{lang.pick(class.label_zh(), class.label_en())}</span> }
}

/// Says where a value came from; anything but a measurement is marked visibly.
#[component]
pub fn SourceBadge(source: DataSource) -> impl IntoView {
    let t = use_texts();
    let (text, class) = match source {
        DataSource::Measured => (t.source_measured, "source source-measured"),
        DataSource::Replayed => (t.source_replayed, "source source-replayed"),
        DataSource::Simulated => (t.source_simulated, "source source-simulated"),
        DataSource::SelfReported => (t.source_self_reported, "source source-self-reported"),
    };
    view! { <span class=class data-source=source.as_str()>{text}</span> }
}
