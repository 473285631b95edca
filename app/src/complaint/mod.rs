//! Complaints (投诉举报) in the interface: what the report form, the follow-up page and the
//! public register receive from the server, their texts, and how the server fills them.

pub mod addition_view;
#[cfg(feature = "ssr")]
pub mod data;
pub mod fns;
pub mod photos;
pub mod stats_view;
pub mod texts;

use chrono::{DateTime, Utc};
use daylight_domain::aqi::{AqiScale, Pollutant};
use daylight_domain::complaint::photo::UploadProblem;
pub use daylight_domain::complaint::stats::Month;
use daylight_domain::complaint::stats::StatsRow;
use daylight_domain::complaint::{Category, Problem, RawComplaint, Status};
use daylight_domain::parameter::Parameter;
use daylight_domain::station::{DataSource, StationCode};
use daylight_domain::water::{WaterClass, WaterItem};
use serde::{Deserialize, Serialize};

/// Names of the form's fields (also what the server's POST handler reads).
pub mod field {
    pub const KEY: &str = "key";
    pub const CATEGORY: &str = "category";
    pub const DESCRIPTION: &str = "description";
    pub const OBSERVED: &str = "observed";
    pub const LAT: &str = "lat";
    pub const LON: &str = "lon";
    pub const ADDRESS: &str = "address";
    pub const CONTACT: &str = "contact";
    pub const CONSENT: &str = "consent";
    /// The honeypot: hidden from people, filled by bots.
    pub const HONEYPOT: &str = "website";
    /// The photos (a multipart form's file parts).
    pub const PHOTOS: &str = "photos";
}

/// The report form as the page shows it: empty with a fresh key, or a refused submission
/// with the resident's input and a problem per field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportForm {
    /// The submission key (see `daylight_store::SubmissionKey`), in a hidden field.
    pub key: String,
    pub draft: RawComplaint,
    pub problems: Vec<Problem>,
    /// The submission failed for a reason that is not the resident's (storage down).
    pub unavailable: bool,
    /// The photos were refused (nothing was stored).
    #[serde(default)]
    pub photo_problem: Option<UploadProblem>,
}

/// What the network measured near the complaint's location when it was submitted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EvidenceSnapshot {
    #[serde(with = "chrono::serde::ts_seconds_option", default)]
    pub taken: Option<DateTime<Utc>>,
    /// The AQI scale the AQI values are on.
    pub scale: Option<AqiScale>,
    /// The nearest air stations with data, nearest first.
    pub air: Vec<AirEvidence>,
    /// The nearest water section with data.
    pub water: Option<WaterEvidence>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AirEvidence {
    pub code: StationCode,
    pub name: String,
    pub distance_m: f64,
    #[serde(with = "chrono::serde::ts_seconds_option", default)]
    pub time: Option<DateTime<Utc>>,
    pub aqi: Option<u16>,
    pub primary: Vec<Pollutant>,
    /// The hour's valid values in their canonical units.
    pub values: Vec<(Parameter, f64)>,
    pub source: Option<DataSource>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaterEvidence {
    pub code: StationCode,
    pub name: String,
    pub distance_m: f64,
    #[serde(with = "chrono::serde::ts_seconds_option", default)]
    pub time: Option<DateTime<Utc>>,
    pub class: Option<WaterClass>,
    pub deciding: Vec<WaterItem>,
    pub source: Option<DataSource>,
}

/// What the reporter's follow-up page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowView {
    pub tracking_code: String,
    pub category: Category,
    pub status: Status,
    pub description: String,
    /// The district it was routed to, by name; None: the city-level queue.
    pub district: Option<String>,
    pub outside_city: bool,
    pub address: Option<String>,
    pub location: Option<(f64, f64)>,
    #[serde(with = "chrono::serde::ts_seconds")]
    pub submitted: DateTime<Utc>,
    #[serde(with = "chrono::serde::ts_seconds")]
    pub observed: DateTime<Utc>,
    pub evidence: EvidenceSnapshot,
    pub utc_offset_minutes: i32,
    /// The page's own address, to show as the link to keep (`https://host/report/follow/…`).
    pub follow_url: String,
    /// The officers' public replies, oldest first.
    #[serde(default)]
    pub replies: Vec<PublicReply>,
    /// The numbers of the reporter's photos (shown without metadata).
    #[serde(default)]
    pub photos: Vec<u32>,
    /// What the reporter added from this page, oldest first (never public).
    #[serde(default)]
    pub additions: Vec<PublicReply>,
}

/// A reply an officer published on a complaint (back office, `/admin`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicReply {
    #[serde(with = "chrono::serde::ts_seconds")]
    pub time: DateTime<Utc>,
    pub body: String,
}

/// One line of the public register: no personal data, the location coarsened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegisterEntry {
    pub tracking_code: String,
    pub category: Category,
    pub status: Status,
    pub district: Option<String>,
    pub outside_city: bool,
    #[serde(with = "chrono::serde::ts_seconds")]
    pub submitted: DateTime<Utc>,
    /// Longitude and latitude snapped to a ~200 m grid.
    pub coarse_location: Option<(f64, f64)>,
    /// The numbers of the photos an officer marked publishable.
    #[serde(default)]
    pub photos: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegisterData {
    pub entries: Vec<RegisterEntry>,
    pub total: u64,
    pub utc_offset_minutes: i32,
    /// The monthly statistics of the month the visitor chose (`?month=YYYY-MM`).
    pub stats: MonthlyStats,
}

/// The register's monthly statistics: per district and category, for the complaints
/// submitted in `month` (see `daylight_domain::complaint::stats`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthlyStats {
    pub month: Month,
    /// The month before and after, for links (None past the current month).
    pub previous: Month,
    pub next: Option<Month>,
    pub rows: Vec<StatsLine>,
}

/// One row of [`MonthlyStats`], the district by name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatsLine {
    /// The district's name; None: the city-level queue.
    pub district: Option<String>,
    pub row: StatsRow,
}

/// How many complaints the register page lists.
pub const REGISTER_PAGE: u32 = 100;
