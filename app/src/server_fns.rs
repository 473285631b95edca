//! Server functions: how the pages load their data. During server rendering they run
//! in-process; after hydration the browser calls them over HTTP.

use daylight_domain::aqi::AqiScale;
use leptos::prelude::*;

use crate::model::{MapData, StationPageData};

#[server(prefix = "/api/fn", endpoint = "map")]
pub async fn load_map(scale: AqiScale) -> Result<MapData, ServerFnError> {
    let site = expect_site()?;
    crate::data::map_data(&site, scale).await.map_err(internal)
}

#[server(prefix = "/api/fn", endpoint = "station")]
pub async fn load_station(code: String) -> Result<Option<StationPageData>, ServerFnError> {
    let site = expect_site()?;
    crate::data::station_page(&site, &code)
        .await
        .map_err(internal)
}

#[cfg(feature = "ssr")]
fn expect_site() -> Result<crate::data::SiteContext, ServerFnError> {
    use_context::<crate::data::SiteContext>()
        .ok_or_else(|| ServerFnError::new("site context missing"))
}

/// Logs the real cause and gives the client an opaque message.
#[cfg(feature = "ssr")]
fn internal(error: daylight_store::StoreError) -> ServerFnError {
    tracing::error!(%error, "loading page data failed");
    ServerFnError::new("storage unavailable")
}
