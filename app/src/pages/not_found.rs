use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::use_texts;

/// The 404 page; on the server it also sets the status code.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let t = use_texts();
    view! {
        <Title text=t.not_found_title />
        <section class="message-page">
            <h1>{t.not_found_title}</h1>
            <p>{t.not_found_body}</p>
            <p><a href="/">{t.back_to_map}</a></p>
        </section>
    }
}

/// Shown when data cannot be loaded; the cause is in the server log, not on the page.
#[component]
pub fn LoadError() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::SERVICE_UNAVAILABLE);
    }
    let t = use_texts();
    view! {
        <section class="message-page">
            <h1>{t.error_title}</h1>
            <p>{t.error_body}</p>
        </section>
    }
}
