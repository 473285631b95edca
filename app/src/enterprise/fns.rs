//! Server functions of the enterprise pages (see `crate::server_fns`).

use leptos::prelude::*;

use super::{EnterpriseList, EnterprisePageData};

#[server(prefix = "/api/fn", endpoint = "enterprises")]
pub async fn load_enterprises(query: String) -> Result<EnterpriseList, ServerFnError> {
    let site = use_context::<crate::data::SiteContext>()
        .ok_or_else(|| ServerFnError::new("site context missing"))?;
    super::data::enterprise_list(
        site.store.as_ref(),
        &query,
        chrono::Utc::now(),
        site.utc_offset_minutes,
    )
    .await
    .map_err(internal)
}

#[server(prefix = "/api/fn", endpoint = "enterprise")]
pub async fn load_enterprise(code: String) -> Result<Option<EnterprisePageData>, ServerFnError> {
    let site = use_context::<crate::data::SiteContext>()
        .ok_or_else(|| ServerFnError::new("site context missing"))?;
    let mut page = super::data::enterprise_page(
        site.store.as_ref(),
        &code,
        chrono::Utc::now(),
        site.utc_offset_minutes,
    )
    .await
    .map_err(internal)?;
    // The page lists the newest events; rendering (and sending) hundreds is what made a
    // year of a plant near its limit slow.
    if let Some(page) = page.as_mut() {
        page.exceedances.truncate(super::EVENTS_SHOWN);
        page.base_url =
            use_context::<http::request::Parts>().and_then(|parts| site.base_url(&parts.headers));
    }
    Ok(page)
}

#[cfg(feature = "ssr")]
fn internal(error: daylight_store::StoreError) -> ServerFnError {
    tracing::error!(%error, "loading enterprise data failed");
    ServerFnError::new("storage unavailable")
}
