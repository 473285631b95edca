//! Enterprises, outlets, limits and outlet values as the store keeps them (issue 5).

use chrono::{DateTime, Utc};
use daylight_domain::enterprise::{
    CreditCode, Frequency, Limit, Method, OutletCode, OutletKind, Pollutant,
};
use daylight_domain::geo::LonLat;
use daylight_domain::station::{DataFlag, DataSource};
use daylight_domain::units::Unit;

/// A discharging enterprise (排污单位), identified by its unified social credit code.
#[derive(Debug, Clone, PartialEq)]
pub struct Enterprise {
    pub credit_code: CreditCode,
    pub name: String,
    /// 排污许可证编号, "" when unknown.
    pub permit_number: String,
    pub industry: String,
    pub district: Option<String>,
    pub address: String,
    pub position: Option<LonLat>,
    /// 重点排污单位 category as published, "" when none.
    pub key_unit: String,
    /// A fictional enterprise of the demo, labelled as such everywhere.
    pub demo: bool,
    pub provenance: String,
}

/// An outlet (排放口) of an enterprise.
#[derive(Debug, Clone, PartialEq)]
pub struct Outlet {
    pub enterprise: CreditCode,
    pub code: OutletCode,
    pub name: String,
    pub kind: OutletKind,
    pub position: Option<LonLat>,
    /// Metres; air outlets only.
    pub stack_height: Option<f64>,
    /// The river (lake, reservoir) a water outlet discharges into, named as the water
    /// sections name theirs (`Station::river`); None when unknown.
    pub receiving_water: Option<String>,
}

/// A pollutant monitored at an outlet, with its limit, method and required frequency.
#[derive(Debug, Clone, PartialEq)]
pub struct OutletLimit {
    pub enterprise: CreditCode,
    pub outlet: OutletCode,
    pub pollutant: Pollutant,
    pub limit: Limit,
    pub method: Method,
    pub frequency: Frequency,
}

/// One self-monitoring value of one pollutant at one outlet: hourly for automatic
/// monitoring, the sampling time for manual results.
#[derive(Debug, Clone, PartialEq)]
pub struct OutletReading {
    pub enterprise: CreditCode,
    pub outlet: OutletCode,
    pub pollutant: Pollutant,
    pub time: DateTime<Utc>,
    pub value: f64,
    pub unit: Unit,
    pub flag: DataFlag,
    /// [`DataSource::SelfReported`] for an enterprise's data, [`DataSource::Simulated`] in
    /// the demo.
    pub source: DataSource,
    pub provenance: String,
}

/// One local day of one pollutant at one outlet: how many values and their sum (migration
/// 0015 keeps these up to date).
#[derive(Debug, Clone, PartialEq)]
pub struct OutletDay {
    pub outlet: OutletCode,
    pub pollutant: Pollutant,
    /// The local day's number since 1970-01-01 (time + UTC offset, in whole days).
    pub day: i64,
    pub values: u32,
    pub total: f64,
}

/// One local calendar month of one pollutant at one outlet, summed from its days: what
/// the completeness of a month needs.
#[derive(Debug, Clone, PartialEq)]
pub struct OutletMonth {
    pub outlet: OutletCode,
    pub pollutant: Pollutant,
    pub year: i32,
    pub month: u32,
    /// Values in the month.
    pub values: u32,
    /// Days with at least one value.
    pub days: u32,
    /// The first and the last day with a value (local day numbers).
    pub first_day: i64,
    pub last_day: i64,
}

/// The recent values of one pollutant at one outlet: the latest in full, the others as
/// (time, value) for a chart, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct OutletSeries {
    pub latest: OutletReading,
    pub points: Vec<(DateTime<Utc>, f64)>,
}
