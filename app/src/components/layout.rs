use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::i18n::{use_lang, use_texts};

#[component]
pub fn Header() -> impl IntoView {
    let lang = use_lang();
    let t = use_texts();
    let location = use_location();
    if is_embedded(&location) {
        return ().into_any();
    }
    // A plain link to a server route that sets the cookie and comes back: works without
    // JavaScript, and `rel=external` keeps the client router from intercepting it.
    let switch_href = move || {
        format!(
            "/lang/{}?next={}",
            lang.other().code(),
            location.pathname.get()
        )
    };
    view! {
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-sun" aria-hidden="true">"☀"</span>
                <span class="brand-name">{t.site_name}</span>
                <span class="brand-tagline">{t.tagline}</span>
            </a>
            <nav class="site-nav">
                <a href="/report" rel="external">{lang.complaint_texts().nav_report}</a>
                <a href="/complaints">{lang.complaint_texts().nav_register}</a>
                <a href="/enterprises">{crate::enterprise::texts::texts(lang).nav}</a>
            </nav>
            <a class="lang-switch" href=switch_href rel="external" hreflang=lang.other().tag()>
                {t.switch_language}
            </a>
        </header>
    }
    .into_any()
}

/// Pages under `/embed/` live in someone else's frame: no site header or footer, their
/// own attribution line instead. Their path never changes (links leave the frame).
fn is_embedded(location: &leptos_router::location::Location) -> bool {
    location
        .pathname
        .with_untracked(|path| path.starts_with("/embed/"))
}

#[component]
pub fn Footer() -> impl IntoView {
    let t = use_texts();
    if is_embedded(&use_location()) {
        return ().into_any();
    }
    view! {
        <footer class="site-footer">
            <p>{t.attribution}</p>
            <p>
                <a href="/api/v1/stations" rel="external">{t.api_link}</a>
            </p>
        </footer>
    }
    .into_any()
}
