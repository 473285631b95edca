use daylight_domain::aqi::AqiScale;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::i18n::{use_texts, Lang};
use crate::prefs::use_scale;

/// The scale's name as the visitor reads it.
pub fn scale_name(lang: Lang, scale: AqiScale) -> &'static str {
    match scale {
        AqiScale::Hj633 => lang.t().scale_hj633,
        AqiScale::UsEpa => lang.t().scale_us_epa,
    }
}

/// A plain link to the other AQI scale, remembered in a cookie; works without JavaScript.
#[component]
pub fn ScaleSwitch() -> impl IntoView {
    let t = use_texts();
    let scale = use_scale();
    let location = use_location();
    let other = match scale {
        AqiScale::Hj633 => AqiScale::UsEpa,
        AqiScale::UsEpa => AqiScale::Hj633,
    };
    let href = move || format!("/scale/{}?next={}", other.as_str(), location.pathname.get());
    let label = match other {
        AqiScale::Hj633 => t.show_hj633,
        AqiScale::UsEpa => t.show_us_epa,
    };
    view! {
        <p class="scale-switch">
            <a href=href rel="external">{label}</a>
        </p>
    }
}
