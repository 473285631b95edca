//! Loading page data from the store (server side only).

use std::sync::Arc;

use chrono::{Duration, Utc};
use daylight_domain::aqi::AqiScale;
use daylight_domain::station::{StationCode, StationKind};
use daylight_store::{Reading, Station, Store, StoreError, TimeRange};

use crate::enterprise::data::{enterprise_summaries, nearby_enterprises, StatusNow};
use crate::model::{
    MapData, ReadingView, SiteFacts, StationInfo, StationLatest, StationPageData, TileLayerConfig,
};

/// What the server gives the pages: the store and the deployment's settings.
#[derive(Clone)]
pub struct SiteContext {
    pub store: Arc<dyn Store>,
    pub demo: bool,
    pub utc_offset_minutes: i32,
    pub tiles: Option<TileLayerConfig>,
    /// The AQI scale visitors see unless they choose the other one.
    pub default_scale: AqiScale,
    /// The live event stream's position, handed to pages so that their live connection
    /// starts exactly where their data ends. None when live updates are off.
    pub live: Option<Arc<dyn LiveCursor>>,
    /// The configured public address (`https://air.example.gov.cn`, no trailing slash);
    /// None: taken from each request's `Host` header (see [`SiteContext::base_url`]).
    pub public_url: Option<String>,
    /// The back office's deadlines (`[complaints]` in the configuration), which the
    /// register's statistics count overdue complaints by.
    pub deadlines: daylight_domain::complaint::Deadlines,
}

/// The id of the most recent live event (see the server's `live` module).
pub trait LiveCursor: Send + Sync {
    fn cursor(&self) -> String;
}

impl SiteContext {
    pub fn facts(&self) -> SiteFacts {
        SiteFacts {
            demo: self.demo,
            utc_offset_minutes: self.utc_offset_minutes,
            // Taken before the data is read: an event in between is sent again, not lost.
            live_cursor: self.live.as_ref().map(|live| live.cursor()),
            now: Utc::now(),
            base_url: leptos::prelude::use_context::<http::request::Parts>()
                .and_then(|parts| self.base_url(&parts.headers)),
        }
    }

    /// The site's public address as visitors reach it: the configured `public_url`, else
    /// `http://` + the request's `Host` (`https://` behind a proxy that sends
    /// `X-Forwarded-Proto: https`). None when the `Host` header is missing or malformed.
    pub fn base_url(&self, headers: &http::HeaderMap) -> Option<String> {
        if let Some(url) = &self.public_url {
            return Some(url.clone());
        }
        let host = headers.get(http::header::HOST)?.to_str().ok()?;
        if !is_host(host) {
            return None;
        }
        let https = headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"));
        let scheme = if https { "https" } else { "http" };
        Some(format!("{scheme}://{}", host.to_ascii_lowercase()))
    }
}

/// A `Host` header value that is a plain host name or address with an optional port:
/// nothing that could carry a path, credentials or markup into a link.
pub fn is_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
}

pub fn station_info(s: &Station) -> StationInfo {
    StationInfo {
        code: s.code.clone(),
        name: s.name.clone(),
        kind: s.kind,
        lon: s.position.lon,
        lat: s.position.lat,
        district: s.district.clone(),
        water_body: s.water_body,
        river: s.river.clone(),
        approximate: s.position_approximate,
        provenance: s.provenance.clone(),
    }
}

pub fn reading_view(r: &Reading) -> ReadingView {
    ReadingView {
        parameter: r.parameter,
        time: r.time,
        value: r.value,
        flag: r.flag,
        source: r.source,
        provenance: r.provenance.clone(),
    }
}

/// Every station with its latest hour.
pub async fn latest_by_station(store: &dyn Store) -> Result<Vec<StationLatest>, StoreError> {
    let stations = store.stations().await?;
    let latest = store.latest_readings().await?;
    let mut by_station: std::collections::HashMap<&StationCode, Vec<ReadingView>> =
        std::collections::HashMap::new();
    for r in &latest {
        by_station
            .entry(&r.station)
            .or_default()
            .push(reading_view(r));
    }
    Ok(stations
        .iter()
        .map(|s| StationLatest {
            station: station_info(s),
            latest: by_station.remove(&s.code).unwrap_or_default(),
        })
        .collect())
}

/// One station with the readings of its latest hour; None for an unknown code.
pub async fn station_latest(
    site: &SiteContext,
    code: &str,
) -> Result<Option<StationLatest>, StoreError> {
    let Ok(code) = StationCode::parse(code) else {
        return Ok(None);
    };
    let Some(station) = site.store.station(&code).await? else {
        return Ok(None);
    };
    let latest = match site.store.latest_time(&code).await? {
        Some(time) => {
            let range = TimeRange {
                from: time,
                to: time + Duration::seconds(1),
            };
            site.store.readings(&code, range, None).await?
        }
        None => Vec::new(),
    };
    Ok(Some(StationLatest {
        station: station_info(&station),
        latest: latest.iter().map(reading_view).collect(),
    }))
}

pub async fn map_data(site: &SiteContext, scale: AqiScale) -> Result<MapData, StoreError> {
    let status = StatusNow::read(site.store.as_ref(), Utc::now()).await?;
    Ok(MapData {
        site: site.facts(),
        tiles: site.tiles.clone(),
        stations: latest_by_station(site.store.as_ref())
            .await?
            .iter()
            .map(|s| crate::assess::summarize(s, scale))
            .collect(),
        enterprises: enterprise_summaries(&site.store.enterprises().await?, &status),
    })
}

/// The hours shown on a station page's trend.
pub fn window_hours(kind: StationKind) -> u32 {
    match kind {
        StationKind::Air => 24,
        StationKind::Water => 48,
    }
}

pub async fn station_page(
    site: &SiteContext,
    code: &str,
) -> Result<Option<StationPageData>, StoreError> {
    let site_facts = site.facts();
    let Ok(code) = StationCode::parse(code) else {
        return Ok(None);
    };
    let Some(station) = site.store.station(&code).await? else {
        return Ok(None);
    };
    let hours = window_hours(station.kind);
    let readings = match site.store.latest_time(&code).await? {
        Some(latest) => {
            let range = TimeRange {
                from: latest - Duration::hours(i64::from(hours) - 1),
                to: latest + Duration::seconds(1),
            };
            site.store.readings(&code, range, None).await?
        }
        None => Vec::new(),
    };
    let store = site.store.as_ref();
    let nearby_enterprises = nearby_enterprises(
        &station,
        &store.enterprises().await?,
        &store.outlets(None).await?,
        &StatusNow::read(store, Utc::now()).await?,
    );
    Ok(Some(StationPageData {
        site: site_facts,
        station: station_info(&station),
        readings: readings.iter().map(reading_view).collect(),
        window_hours: hours,
        nearby_enterprises,
    }))
}
