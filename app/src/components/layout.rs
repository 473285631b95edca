use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::i18n::{use_lang, use_texts};

#[component]
pub fn Header() -> impl IntoView {
    let lang = use_lang();
    let t = use_texts();
    let location = use_location();
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
}

#[component]
pub fn Footer() -> impl IntoView {
    let t = use_texts();
    view! {
        <footer class="site-footer">
            <p>{t.attribution}</p>
            <p>
                <a href="/api/v1/stations" rel="external">{t.api_link}</a>
            </p>
        </footer>
    }
}
