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

/// An HJ 212 data logger (数采仪) registered with the gateway: packets carrying its `mn` and
/// `password` are stored as readings of `station`.
///
/// The target is a station for now; enterprise outlets (issue 5) will make it an enum of
/// station or outlet, with the table gaining an `outlet_id` column beside `station_code`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logger {
    /// The logger's unique number (MN, Table 3): up to 24 characters of `[0-9A-Za-z]`.
    pub mn: String,
    /// The password (PW) the logger sends in every packet. A shared secret of the protocol,
    /// sent in clear text on every connection, not a user password: stored as given.
    pub password: String,
    pub station: StationCode,
    /// Accept the real-world framing deviations of [`daylight_domain::hj212::Mode::Lenient`].
    pub lenient: bool,
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
