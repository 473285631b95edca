//! What the pages receive from the server. Station pages get raw readings and compute the
//! AQI and water class with the domain crate on whichever side renders; the map gets a
//! summary per station computed on the server, to keep the page small. Times travel as Unix
//! seconds, which keeps chrono's date parser and formatter out of the browser bundle.

use chrono::{DateTime, Utc};
use daylight_domain::aqi::Pollutant;
use daylight_domain::parameter::Parameter;
use daylight_domain::station::{DataFlag, DataSource, StationCode, StationKind};
use daylight_domain::water::{WaterBody, WaterClass, WaterItem};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StationInfo {
    pub code: StationCode,
    pub name: String,
    pub kind: StationKind,
    pub lon: f64,
    pub lat: f64,
    pub district: Option<String>,
    pub water_body: Option<WaterBody>,
    pub river: Option<String>,
    pub approximate: bool,
    pub provenance: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReadingView {
    pub parameter: Parameter,
    #[serde(with = "chrono::serde::ts_seconds")]
    pub time: DateTime<Utc>,
    pub value: f64,
    pub flag: DataFlag,
    pub source: DataSource,
    /// How the value came to be, when that says more than `source` (empty otherwise).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub provenance: String,
}

/// A station with the readings of its most recent hour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StationLatest {
    pub station: StationInfo,
    pub latest: Vec<ReadingView>,
}

/// A tile layer chosen by the deployment (Tianditu, an internal server, OSM…).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TileLayerConfig {
    pub url: String,
    pub attribution: String,
}

/// Facts about the deployment that every page needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteFacts {
    /// Demo mode: the feed writes simulated values, so pages say so up front.
    pub demo: bool,
    /// The display time zone as a fixed offset from UTC (Asia/Shanghai: +480).
    pub utc_offset_minutes: i32,
    /// Where the page's live connection starts (`GET /api/v1/live?after=`), so that
    /// nothing committed after the page's data was read is missed.
    pub live_cursor: Option<String>,
    /// When the page was rendered, for "updated N minutes ago".
    #[serde(with = "chrono::serde::ts_seconds")]
    pub now: DateTime<Utc>,
    /// The site's public address (`https://host`, no trailing slash), for links that leave
    /// the site such as oEmbed discovery; None when it cannot be told.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
}

/// What the map and its list show of a station: the assessment is made on the server,
/// so the page carries a few numbers per station, not every reading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StationSummary {
    pub code: StationCode,
    pub name: String,
    pub kind: StationKind,
    pub lon: f64,
    pub lat: f64,
    pub district: Option<String>,
    pub river: Option<String>,
    pub approximate: bool,
    /// The hour of the latest values and where they came from.
    #[serde(with = "chrono::serde::ts_seconds_option")]
    pub time: Option<DateTime<Utc>>,
    pub source: Option<DataSource>,
    pub state: SummaryState,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SummaryState {
    Aqi {
        aqi: u16,
        primary: Vec<Pollutant>,
    },
    NoAqi {
        reason_zh: String,
        reason_en: String,
    },
    Water {
        class: WaterClass,
        deciding: Vec<WaterItem>,
    },
    NoData,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapData {
    pub site: SiteFacts,
    pub tiles: Option<TileLayerConfig>,
    pub stations: Vec<StationSummary>,
    /// The enterprise layer: every registered enterprise with a position.
    #[serde(default)]
    pub enterprises: Vec<crate::enterprise::EnterpriseSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StationPageData {
    pub site: SiteFacts,
    pub station: StationInfo,
    /// Every reading in the trend window, oldest first; the last hour is the "latest".
    pub readings: Vec<ReadingView>,
    /// Length of the trend window in hours.
    pub window_hours: u32,
    /// Enterprises around the station, or on the section's river.
    #[serde(default)]
    pub nearby_enterprises: crate::enterprise::NearbyEnterprises,
}
