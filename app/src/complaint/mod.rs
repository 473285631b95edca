//! Complaints (投诉举报) in the interface: what the report form, the follow-up page and the
//! public register receive from the server, their texts, and how the server fills them.

pub mod addition_view;
#[cfg(feature = "ssr")]
pub mod data;
#[cfg(feature = "ssr")]
pub mod enterprise_evidence;
pub mod fns;
pub mod photos;
pub mod picker;
#[cfg(feature = "hydrate")]
mod picker_js;
pub mod place_texts;
pub mod register_map;
#[cfg(feature = "hydrate")]
mod register_map_js;
pub mod stats_view;
pub mod suspect_view;
pub mod texts;

use chrono::{DateTime, Utc};
use daylight_domain::aqi::{AqiScale, Pollutant};
use daylight_domain::complaint::photo::UploadProblem;
pub use daylight_domain::complaint::stats::Month;
use daylight_domain::complaint::stats::StatsRow;
use daylight_domain::complaint::suspect::SuspectProblem;
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
    /// The suspected enterprise as typed: a name or a credit code (optional).
    pub const SUSPECT: &str = "suspect";
    /// The credit code the page's search picked (a hidden field set by script).
    pub const SUSPECT_CODE: &str = "suspect_code";
}

/// The suspected enterprise as the form sent it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuspectDraft {
    pub text: String,
    pub code: String,
}

/// An enterprise of the registry, for the form's search (name and credit code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryEntry {
    pub code: String,
    pub name: String,
    pub district: Option<String>,
}

/// How many registry entries the form lists for browsers without script (a `<datalist>`);
/// with script the page searches the whole registry.
pub const REGISTRY_LISTED: usize = 300;
/// How many matches the search gives.
pub const SEARCH_RESULTS: usize = 8;

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
    /// The suspected enterprise as typed (kept on a refused form).
    #[serde(default)]
    pub suspect: SuspectDraft,
    #[serde(default)]
    pub suspect_problem: Option<SuspectProblem>,
    /// The registry's first [`REGISTRY_LISTED`] enterprises by name, for the no-script list.
    #[serde(default)]
    pub registry: Vec<RegistryEntry>,
    /// The deployment's tile layer for the location picker (None: the offline basemap).
    #[serde(default)]
    pub tiles: Option<crate::model::TileLayerConfig>,
    /// The districts' extent (south, west, north, east), where the picker opens.
    #[serde(default)]
    pub area: Option<(f64, f64, f64, f64)>,
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
    /// The suspected enterprise's latest values and exceedances, when it is registered.
    #[serde(default)]
    pub enterprise: Option<EnterpriseEvidence>,
    /// The registered enterprises near the complaint's point, nearest first (never the
    /// suspected one, which is in `enterprise`). Snapshots stored before it read empty.
    #[serde(default)]
    pub nearby_enterprises: Vec<NearbyEnterpriseEvidence>,
}

/// A registered enterprise near the complaint's point and its self-monitoring then.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearbyEnterpriseEvidence {
    /// From the complaint's point to the enterprise's registered position.
    pub distance_m: f64,
    pub evidence: EnterpriseEvidence,
}

/// What a registered suspected enterprise's self-monitoring said at submission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnterpriseEvidence {
    pub code: String,
    pub name: String,
    pub demo: bool,
    /// Some latest value (recent enough) is over its limit.
    pub exceeding_now: bool,
    /// Each monitored pollutant's latest value against its limit.
    pub latest: Vec<EnterpriseValue>,
    /// The newest exceedance events of the enterprise page's window, newest first.
    pub exceedances: Vec<crate::enterprise::ExceedanceView>,
    /// How many events the window has in all.
    pub exceedances_total: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnterpriseValue {
    pub outlet: String,
    pub pollutant: daylight_domain::enterprise::Pollutant,
    pub limit: f64,
    pub unit: daylight_domain::units::Unit,
    #[serde(with = "chrono::serde::ts_seconds")]
    pub time: DateTime<Utc>,
    pub value: f64,
    /// 超标倍数 when over the limit.
    pub multiple: Option<f64>,
    pub source: DataSource,
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
    /// The enterprise the reporter suspects, as stored (never public).
    #[serde(default)]
    pub suspect: Option<daylight_domain::complaint::suspect::Suspect>,
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
    /// For a complaint closed as founded: the enterprise it was found against, if an officer
    /// linked one (a finding, so public; the resident's suspicion never is).
    #[serde(default)]
    pub enterprise: Option<FoundEnterprise>,
}

/// An enterprise of the registry a complaint was found against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoundEnterprise {
    pub code: String,
    pub name: String,
}

/// A complaint found against an enterprise, as the enterprise's public page lists it: no
/// personal data, no description, no location.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FoundComplaint {
    pub tracking_code: String,
    pub category: Category,
    #[serde(with = "chrono::serde::ts_seconds")]
    pub submitted: DateTime<Utc>,
    /// When the officer linked the enterprise (closed the complaint as founded).
    #[serde(with = "chrono::serde::ts_seconds")]
    pub found: DateTime<Utc>,
}

/// The complaints found against one enterprise, newest finding first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FoundAgainst {
    pub complaints: Vec<FoundComplaint>,
    pub utc_offset_minutes: i32,
}

/// How many found complaints an enterprise's page lists.
pub const FOUND_SHOWN: u32 = 100;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegisterData {
    pub entries: Vec<RegisterEntry>,
    pub total: u64,
    pub utc_offset_minutes: i32,
    /// The monthly statistics of the month the visitor chose (`?month=YYYY-MM`).
    pub stats: MonthlyStats,
    /// The deployment's tile layer for the register's map, if any (the district
    /// boundaries are the basemap otherwise).
    #[serde(default)]
    pub tiles: Option<crate::model::TileLayerConfig>,
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
