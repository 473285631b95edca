use chrono::{DateTime, Utc};
use daylight_domain::geo::{LonLat, MultiPolygon};
use daylight_domain::parameter::Parameter;
use daylight_domain::station::{DataFlag, DataSource, StationCode, StationKind};
use daylight_domain::units::Unit;
use daylight_domain::water::WaterBody;

/// An air station or a water section.
#[derive(Debug, Clone, PartialEq)]
pub struct Station {
    pub code: StationCode,
    pub name: String,
    pub kind: StationKind,
    pub position: LonLat,
    pub district: Option<String>,
    /// Only for water sections: river, lake or reservoir (GB 3838 judges TP differently).
    pub water_body: Option<WaterBody>,
    pub river: Option<String>,
    /// The position was worked out from descriptions, not published coordinates.
    pub position_approximate: bool,
    /// Where the station's description comes from, for the "source" line on its page.
    pub provenance: String,
}

/// One value of one parameter at one station and time.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub station: StationCode,
    pub parameter: Parameter,
    /// The hour the value is published for (UTC), labelled as CNEMC labels it: the value
    /// "16:00" covers 15:00–16:00. The standards engine's series use the same convention.
    pub time: DateTime<Utc>,
    pub value: f64,
    pub unit: Unit,
    pub flag: DataFlag,
    pub source: DataSource,
}

/// A district (区县) with its WGS-84 boundary.
#[derive(Debug, Clone, PartialEq)]
pub struct District {
    pub adcode: String,
    pub name: String,
    pub center: LonLat,
    pub boundary: MultiPolygon,
}

/// What a batch write did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
}

impl ImportCounts {
    pub fn total(&self) -> u64 {
        self.inserted + self.updated + self.unchanged
    }
}

/// A half-open time range `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}
