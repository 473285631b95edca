use std::collections::BTreeSet;
use std::fmt;

use chrono::{DateTime, Utc};
use daylight_domain::enterprise::{CreditCode, OutletCode};
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
    /// How the value came to be, where that says more than `source`: "" for a value taken
    /// as reported; otherwise, e.g., the HJ 212 deviation a lenient logger was allowed, or
    /// how many samples an hourly mean was derived from.
    pub provenance: String,
}

/// An HJ 212 data logger (数采仪) registered with the gateway: packets carrying its `mn` and
/// `password` are stored as values of its `target`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logger {
    /// The logger's unique number (MN, Table 3): up to 24 characters of `[0-9A-Za-z]`.
    pub mn: String,
    /// The password (PW) the logger sends in every packet. A shared secret of the protocol,
    /// sent in clear text on every connection, not a user password: stored as given.
    pub password: String,
    pub target: LoggerTarget,
    /// Accept the real-world framing deviations of [`daylight_domain::hj212::Mode::Lenient`].
    pub lenient: bool,
    /// What its values are: [`DataSource::Measured`], or [`DataSource::Simulated`] for the
    /// demo's loggers.
    pub source: DataSource,
}

/// What a logger's values belong to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoggerTarget {
    /// A monitoring station (air) or section (water): values become readings.
    Station(StationCode),
    /// An enterprise's outlet (排放口, HJ 212 ST 31/32): values become outlet readings,
    /// self-reported.
    Outlet {
        enterprise: CreditCode,
        outlet: OutletCode,
    },
}

impl fmt::Display for LoggerTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Station(code) => write!(f, "station {code}"),
            Self::Outlet { enterprise, outlet } => write!(f, "outlet {enterprise}/{outlet}"),
        }
    }
}

/// The name of a source that pushes readings over HTTP (`city-bureau-feed`): what an
/// operator issues, lists and revokes tokens by, and what the server logs a push under.
/// 1–64 characters of ASCII letters, digits, `-`, `_` and `.`, so that it is safe in a shell,
/// a log line and a file name; case-sensitive.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceName(String);

/// A source name that breaks the rules of [`SourceName`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid source name '{0}': 1 to 64 characters of A-Z, a-z, 0-9, '-', '_' and '.' expected"
)]
pub struct InvalidSourceName(pub String);

impl SourceName {
    pub const MAX_LEN: usize = 64;

    pub fn parse(raw: &str) -> Result<Self, InvalidSourceName> {
        let ok = !raw.is_empty()
            && raw.len() <= Self::MAX_LEN
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(InvalidSourceName(raw.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SourceName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Which stations a push token may write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StationScope {
    /// Every station, including those added later.
    All,
    /// Only these. A station deleted later drops out of the set; the scope never widens to
    /// [`StationScope::All`] because its set became empty.
    Only(BTreeSet<StationCode>),
}

impl StationScope {
    pub fn allows(&self, station: &StationCode) -> bool {
        match self {
            Self::All => true,
            Self::Only(stations) => stations.contains(station),
        }
    }
}

/// A token of the HTTP push API, as the store knows it: who it belongs to and what it may
/// write. The token itself is not here (see [`crate::IngestSecret`]); the store keeps only
/// its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestToken {
    pub name: SourceName,
    pub scope: StationScope,
    /// When it was issued; stored to the second.
    pub created: DateTime<Utc>,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_names_are_safe_in_a_shell_and_a_log() {
        for good in ["city-bureau-feed", "lab.2", "A_b-9", &"x".repeat(64)] {
            assert_eq!(
                SourceName::parse(good).map(|n| n.to_string()),
                Ok(good.to_string())
            );
        }
        for bad in ["", " feed", "feed ", "a/b", "城市", "a;b", &"x".repeat(65)] {
            assert!(SourceName::parse(bad).is_err(), "{bad:?}");
        }
    }
}
