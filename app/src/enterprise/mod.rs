//! Enterprise self-monitoring disclosure (issue 5): the `/enterprises` register and the
//! `/enterprise/{code}` page. The views below are what the server computes from the store
//! (exceedances, completeness) and the pages render; the JSON API serves the same figures.

pub mod chart;
#[cfg(feature = "ssr")]
pub mod data;
pub mod fns;
pub mod layer;
pub mod nearby;
pub mod pages;
pub mod texts;

use chrono::{DateTime, Utc};
use daylight_domain::enterprise::{
    Averaging, Frequency, Method, OutletKind, Pollutant, StatementKind,
};
use daylight_domain::station::{DataFlag, DataSource};
use daylight_domain::units::Unit;
use serde::{Deserialize, Serialize};

/// One row of the register.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnterpriseRow {
    pub credit_code: String,
    pub name: String,
    pub district: Option<String>,
    pub industry: String,
    pub demo: bool,
    /// Some pollutant's latest value, no older than [`RECENT_HOURS`], is above its limit.
    pub exceeding_now: bool,
    #[serde(with = "chrono::serde::ts_seconds_option")]
    pub latest_time: Option<DateTime<Utc>>,
}

/// How many manual results the public page lists.
pub const MANUAL_SHOWN: u32 = 200;

/// How many exceedance events the page lists (a year of a plant running close to its limit
/// has hundreds; the API has them all).
pub const EVENTS_SHOWN: usize = 50;

/// How old the latest value may be and still count as "now".
pub const RECENT_HOURS: i64 = 3;

/// The register, filtered by a search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnterpriseList {
    pub rows: Vec<EnterpriseRow>,
    pub query: String,
    /// How many enterprises are registered in all.
    pub total: usize,
    pub utc_offset_minutes: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnterpriseInfo {
    pub credit_code: String,
    pub name: String,
    pub permit_number: String,
    pub industry: String,
    pub district: Option<String>,
    pub address: String,
    pub position: Option<(f64, f64)>,
    pub key_unit: String,
    pub demo: bool,
    pub provenance: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LatestValue {
    #[serde(with = "chrono::serde::ts_seconds")]
    pub time: DateTime<Utc>,
    pub value: f64,
    /// value / limit.
    pub ratio: f64,
    /// 超标倍数 (value − limit) / limit, when over.
    pub multiple: Option<f64>,
    pub flag: DataFlag,
    pub source: DataSource,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthView {
    pub year: i32,
    pub month: u32,
    pub expected: u32,
    pub received: u32,
}

/// A pollutant monitored at an outlet, against its limit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonitoredView {
    pub pollutant: Pollutant,
    pub limit: f64,
    pub unit: Unit,
    pub standard: String,
    pub averaging: Averaging,
    pub method: Method,
    pub frequency: Frequency,
    pub latest: Option<LatestValue>,
    pub exceeding_now: bool,
    pub completeness: Vec<MonthView>,
    /// The values of the last [`CHART_HOURS`] as (Unix seconds, value), oldest first, for
    /// the hourly chart (automatic monitoring only; empty otherwise).
    #[serde(default)]
    pub recent: Vec<(i64, f64)>,
}

/// A monitoring station (air) or water section near an enterprise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearbyStation {
    pub code: String,
    pub name: String,
    pub kind: daylight_domain::station::StationKind,
    pub distance_m: f64,
}

/// How far the page looks for stations and sections, and how many of each it lists.
pub const NEARBY_RADIUS_M: f64 = 10_000.0;
pub const NEARBY_SHOWN: usize = 5;

/// What the map shows of an enterprise, and what an `enterprise` live event carries: only
/// enterprises with a registered position are on the map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnterpriseSummary {
    pub credit_code: String,
    pub name: String,
    pub lon: f64,
    pub lat: f64,
    pub district: Option<String>,
    pub industry: String,
    pub demo: bool,
    /// As on the register ([`EnterpriseRow::exceeding_now`]).
    pub exceeding_now: bool,
    #[serde(with = "chrono::serde::ts_seconds_option")]
    pub latest_time: Option<DateTime<Utc>>,
}

/// How far a water section looks along its river for outlets that discharge into it.
pub const SAME_RIVER_RADIUS_M: f64 = 30_000.0;
/// How many enterprises a station or section page lists.
pub const NEARBY_ENTERPRISES_SHOWN: usize = 10;

/// Why the enterprises on a station or section page are listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum NearbyBasis {
    /// Water outlets that discharge into the section's river (`receiving_water`), within
    /// [`SAME_RIVER_RADIUS_M`]: upstream or downstream, which Daylight cannot tell.
    SameRiver { river: String },
    /// Outlets of the station's kind (air stacks for an air station, wastewater outlets for
    /// a section) within [`NEARBY_RADIUS_M`].
    Radius,
}

/// An enterprise near a station or section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearbyEnterprise {
    pub credit_code: String,
    pub name: String,
    /// To its nearest outlet that counted (the enterprise's position for an outlet without
    /// one of its own).
    pub distance_m: f64,
    pub exceeding_now: bool,
    pub demo: bool,
    /// The outlets that counted, by code.
    pub outlets: Vec<String>,
}

/// The enterprises a station or section page lists, nearest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearbyEnterprises {
    pub basis: NearbyBasis,
    pub items: Vec<NearbyEnterprise>,
}

impl Default for NearbyEnterprises {
    fn default() -> Self {
        Self {
            basis: NearbyBasis::Radius,
            items: Vec::new(),
        }
    }
}

/// How many hours the chart of an outlet's pollutant shows.
pub const CHART_HOURS: i64 = 7 * 24;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutletView {
    pub code: String,
    pub name: String,
    pub kind: OutletKind,
    pub stack_height: Option<f64>,
    pub monitored: Vec<MonitoredView>,
}

/// One exceedance event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExceedanceView {
    pub outlet: String,
    pub pollutant: Pollutant,
    pub limit: f64,
    pub unit: Unit,
    pub averaging: Averaging,
    #[serde(with = "chrono::serde::ts_seconds")]
    pub start: DateTime<Utc>,
    /// The last hour (or day, for a daily limit) over the limit.
    #[serde(with = "chrono::serde::ts_seconds")]
    pub end: DateTime<Utc>,
    /// How many hourly (daily) values the event spans.
    pub values: u32,
    pub peak: f64,
    pub multiple: f64,
}

/// A statement of the enterprise (right of reply), as published: never edited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatementView {
    pub id: i64,
    pub kind: StatementKind,
    pub body: String,
    pub outlet: Option<String>,
    #[serde(with = "chrono::serde::ts_seconds_option")]
    pub period_from: Option<DateTime<Utc>>,
    #[serde(with = "chrono::serde::ts_seconds_option")]
    pub period_to: Option<DateTime<Utc>>,
    /// The earlier statement this one corrects.
    pub corrects: Option<i64>,
    /// Later statements that correct this one.
    pub corrected_by: Vec<i64>,
    pub author: String,
    #[serde(with = "chrono::serde::ts_seconds")]
    pub created: DateTime<Utc>,
}

/// A lab result the enterprise entered by hand (still the stored value).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManualResultView {
    pub outlet: String,
    pub pollutant: Pollutant,
    #[serde(with = "chrono::serde::ts_seconds")]
    pub time: DateTime<Utc>,
    pub value: f64,
    pub unit: Unit,
    pub lab_note: String,
    #[serde(with = "chrono::serde::ts_seconds")]
    pub uploaded: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnterprisePageData {
    pub info: EnterpriseInfo,
    pub outlets: Vec<OutletView>,
    /// Newest first (on the page at most [`EVENTS_SHOWN`]).
    pub exceedances: Vec<ExceedanceView>,
    /// How many events the window has in all (the page lists the newest; the API all).
    #[serde(default)]
    pub exceedances_total: usize,
    /// The sources of the values shown (self-reported, simulated…), for the labels.
    pub sources: Vec<DataSource>,
    pub exceeding_now: bool,
    /// The enterprise's statements, newest first.
    pub statements: Vec<StatementView>,
    /// Manual results of the window, newest first (at most [`MANUAL_SHOWN`]).
    pub manual_results: Vec<ManualResultView>,
    /// Monitoring stations and water sections near the enterprise, nearest first.
    #[serde(default)]
    pub nearby: Vec<NearbyStation>,
    #[serde(with = "chrono::serde::ts_seconds")]
    pub from: DateTime<Utc>,
    #[serde(with = "chrono::serde::ts_seconds")]
    pub now: DateTime<Utc>,
    pub utc_offset_minutes: i32,
    /// The site's public address, for the oEmbed discovery links (see `SiteFacts`); None
    /// when it cannot be told (and from the API, which has no use for it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
}
