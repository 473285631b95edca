//! Server functions of the complaint pages (see `crate::server_fns`).

use leptos::prelude::*;

use super::{FollowView, RegisterData, RegistryEntry, ReportForm};

/// A fresh report form, or the refused one the POST handler provided as context.
#[server(prefix = "/api/fn", endpoint = "report_form")]
pub async fn load_report_form() -> Result<ReportForm, ServerFnError> {
    if let Some(form) = use_context::<ReportForm>() {
        return Ok(form);
    }
    let site = use_context::<crate::data::SiteContext>()
        .ok_or_else(|| ServerFnError::new("site context missing"))?;
    let form = super::data::fresh_form(&site).map_err(|error| {
        tracing::error!(%error, "cannot make a submission key");
        ServerFnError::new("unavailable")
    })?;
    Ok(super::data::with_registry(&site, form).await)
}

/// The report form's enterprise search (name or credit code).
#[server(prefix = "/api/fn", endpoint = "report_enterprises")]
pub async fn search_enterprises(query: String) -> Result<Vec<RegistryEntry>, ServerFnError> {
    let site = use_context::<crate::data::SiteContext>()
        .ok_or_else(|| ServerFnError::new("site context missing"))?;
    super::data::search_registry(&site, &query)
        .await
        .map_err(internal)
}

#[server(prefix = "/api/fn", endpoint = "follow")]
pub async fn load_follow(token: String) -> Result<Option<FollowView>, ServerFnError> {
    let site = use_context::<crate::data::SiteContext>()
        .ok_or_else(|| ServerFnError::new("site context missing"))?;
    super::data::follow_view(&site, &token)
        .await
        .map_err(internal)
}

/// `month`: `YYYY-MM` from the page's query; anything else (or a future month) is the
/// current month.
#[server(prefix = "/api/fn", endpoint = "complaints")]
pub async fn load_register(month: Option<String>) -> Result<RegisterData, ServerFnError> {
    let site = use_context::<crate::data::SiteContext>()
        .ok_or_else(|| ServerFnError::new("site context missing"))?;
    let month = month.and_then(|m| m.parse().ok());
    super::data::register(&site, month).await.map_err(internal)
}

/// The complaints found against the enterprise with this credit code (none for a code
/// that is not one).
#[server(prefix = "/api/fn", endpoint = "found_against")]
pub async fn load_found_against(code: String) -> Result<super::FoundAgainst, ServerFnError> {
    let site = use_context::<crate::data::SiteContext>()
        .ok_or_else(|| ServerFnError::new("site context missing"))?;
    super::data::found_against(&site, &code)
        .await
        .map_err(internal)
}

#[cfg(feature = "ssr")]
fn internal(error: daylight_store::StoreError) -> ServerFnError {
    tracing::error!(%error, "loading complaint data failed");
    ServerFnError::new("storage unavailable")
}
