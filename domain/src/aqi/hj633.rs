//! HJ 633-2012: China's AQI, as CNEMC actually publishes it.
//!
//! Hourly (实时报), following CNEMC's practice since its 2014-01-01 platform upgrade, verified
//! against 50 published station-hours: SO₂, NO₂, CO and O₃ use their 1-hour values on the 1-hour
//! breakpoints; PM10 and PM2.5 use their **1-hour** values on the 24-hour breakpoints (HJ 633 has
//! no 1-hour PM rows); the O₃ 8-hour term is **not** part of the hourly AQI. Daily (日报,
//! HJ 633 §5, standards §2.5): 24-hour means of SO₂, NO₂, PM10, PM2.5 and CO, and O₃'s daily maximum 1-hour and
//! maximum 8-hour moving mean.
//!
//! Rounding: each IAQI is rounded **up** to an integer (进位取整). Published CNEMC values are
//! consistent only with the ceiling (PM2.5 146 µg/m³ → 194.29 → published 195). An interpolated
//! value within 1e-9 of an integer counts as that integer, so floating-point noise cannot push a
//! concentration that sits exactly on a breakpoint into the next index.

use super::breakpoints::{AboveTop, BreakpointTable, Hj633Table, Lookup, HJ633_2012};
use super::{
    AqiReport, AqiScale, Averaging, Collector, DailyConcentrations, HourlyConcentrations, NoAqi,
    Pollutant, SubIndex, SubIndexNote,
};
use crate::units::{ConcentrationUnit, MgM3, UgM3, Unit};

/// The hourly AQI under HJ 633-2012 (see the module documentation for the rule).
///
/// Requires all six 1-hour values. SO₂ 1 h above 800 µg/m³ → the SO₂ IAQI comes from `so2_24h`
/// on the 24-hour breakpoints (Table 1 note 2); if that is absent, SO₂ is reported missing.
/// Above the highest breakpoint an IAQI is 500. Negative, NaN or infinite inputs give
/// [`NoAqi::Invalid`].
pub fn hj633_hourly(c: &HourlyConcentrations) -> Result<AqiReport, NoAqi> {
    hj633_hourly_with(&HJ633_2012, c)
}

/// [`hj633_hourly`] with another edition of the tables, e.g. [`super::HJ633_2025_DRAFT`].
pub fn hj633_hourly_with(t: &Hj633Table, c: &HourlyConcentrations) -> Result<AqiReport, NoAqi> {
    let mut acc = Collector::new();
    let ug = UgM3::UNIT;
    let one = Averaging::OneHour;

    // SO₂: 1-hour, or the 24-hour mean above the 1-hour table.
    if let Some(v) = acc.require(Pollutant::So2, c.so2_1h.map(|x| x.value())) {
        match step(&t.so2_1h, v) {
            Step::Index(iaqi, note) => acc.push(sub(Pollutant::So2, iaqi, v, ug, note, one)),
            Step::UseOther => {
                let daily = acc.require(Pollutant::So2, c.so2_24h.map(|x| x.value()));
                if let Some(d) = daily {
                    let (iaqi, _) = step_or_cap(&t.so2_24h, d);
                    acc.push(sub(
                        Pollutant::So2,
                        iaqi,
                        d,
                        ug,
                        Some(SubIndexNote::So2From24h),
                        Averaging::TwentyFourHour,
                    ));
                }
            }
        }
    }
    simple(
        &mut acc,
        Pollutant::No2,
        c.no2_1h.map(|x| x.value()),
        ug,
        &t.no2_1h,
        one,
    );
    // PM10 and PM2.5: the 1-hour value on the 24-hour table (CNEMC practice).
    simple(
        &mut acc,
        Pollutant::Pm10,
        c.pm10_1h.map(|x| x.value()),
        ug,
        &t.pm10_24h,
        one,
    );
    simple(
        &mut acc,
        Pollutant::Co,
        c.co_1h.map(|x| x.value()),
        MgM3::UNIT,
        &t.co_1h,
        one,
    );
    simple(
        &mut acc,
        Pollutant::O3,
        c.o3_1h.map(|x| x.value()),
        ug,
        &t.o3_1h,
        one,
    );
    simple(
        &mut acc,
        Pollutant::Pm25,
        c.pm25_1h.map(|x| x.value()),
        ug,
        &t.pm25_24h,
        one,
    );
    acc.finish(AqiScale::Hj633)
}

/// The daily AQI under HJ 633-2012 §5 (日报).
///
/// Requires all seven values. O₃ contributes two sub-indices, the daily maximum 1-hour value on
/// the 1-hour table and the daily maximum 8-hour moving mean on the 8-hour table; an 8-hour
/// value above 800 µg/m³ has no IAQI and O₃ is then indexed from the 1-hour value alone
/// (Table 1 note 3).
pub fn hj633_daily(d: &DailyConcentrations) -> Result<AqiReport, NoAqi> {
    hj633_daily_with(&HJ633_2012, d)
}

/// [`hj633_daily`] with another edition of the tables.
pub fn hj633_daily_with(t: &Hj633Table, d: &DailyConcentrations) -> Result<AqiReport, NoAqi> {
    let mut acc = Collector::new();
    let ug = UgM3::UNIT;
    let day = Averaging::TwentyFourHour;
    simple(
        &mut acc,
        Pollutant::So2,
        d.so2_24h.map(|x| x.value()),
        ug,
        &t.so2_24h,
        day,
    );
    simple(
        &mut acc,
        Pollutant::No2,
        d.no2_24h.map(|x| x.value()),
        ug,
        &t.no2_24h,
        day,
    );
    simple(
        &mut acc,
        Pollutant::Pm10,
        d.pm10_24h.map(|x| x.value()),
        ug,
        &t.pm10_24h,
        day,
    );
    simple(
        &mut acc,
        Pollutant::Co,
        d.co_24h.map(|x| x.value()),
        MgM3::UNIT,
        &t.co_24h,
        day,
    );

    let o3_1h = acc.require(Pollutant::O3, d.o3_1h_max.map(|x| x.value()));
    let o3_8h = acc.require(Pollutant::O3, d.o3_8h_max.map(|x| x.value()));
    if let Some(h1) = o3_1h {
        let (iaqi, note) = step_or_cap(&t.o3_1h, h1);
        acc.push(sub(Pollutant::O3, iaqi, h1, ug, note, Averaging::OneHour));
    }
    if let Some(h8) = o3_8h {
        match step(&t.o3_8h, h8) {
            Step::Index(iaqi, note) => {
                acc.push(sub(Pollutant::O3, iaqi, h8, ug, note, Averaging::EightHour))
            }
            Step::UseOther => {
                // The 1-hour sub-index, already present, stands for O₃; say why.
                if let Some(s) = acc.last_mut(Pollutant::O3) {
                    s.note = Some(SubIndexNote::O3From1h);
                }
            }
        }
    }
    simple(
        &mut acc,
        Pollutant::Pm25,
        d.pm25_24h.map(|x| x.value()),
        ug,
        &t.pm25_24h,
        day,
    );
    acc.finish(AqiScale::Hj633)
}

enum Step {
    Index(u16, Option<SubIndexNote>),
    UseOther,
}

/// Places a valid concentration on an HJ 633 table.
fn step(table: &BreakpointTable, c: f64) -> Step {
    match table.lookup(c) {
        Lookup::Within(x) => Step::Index(ceil_index(x), None),
        // HJ 633 tables start at 0 and `c` is ≥ 0, so this is unreachable; 0 is the safe answer.
        Lookup::Below => Step::Index(0, None),
        Lookup::Above => match table.above {
            AboveTop::Cap => Step::Index(table.top_index(), Some(SubIndexNote::AboveTable)),
            AboveTop::Fixed(i) => Step::Index(i, Some(SubIndexNote::FixedAboveTable)),
            AboveTop::UseOtherAveraging => Step::UseOther,
        },
    }
}

/// [`step`] for a table that is itself the fallback: "use another averaging" there (which no
/// edition defines) degrades to the cap.
fn step_or_cap(table: &BreakpointTable, c: f64) -> (u16, Option<SubIndexNote>) {
    match step(table, c) {
        Step::Index(i, note) => (i, note),
        Step::UseOther => (table.top_index(), Some(SubIndexNote::AboveTable)),
    }
}

fn simple(
    acc: &mut Collector,
    pollutant: Pollutant,
    value: Option<f64>,
    unit: Unit,
    table: &BreakpointTable,
    averaging: Averaging,
) {
    if let Some(v) = acc.require(pollutant, value) {
        let (iaqi, note) = step_or_cap(table, v);
        acc.push(sub(pollutant, iaqi, v, unit, note, averaging));
    }
}

fn sub(
    pollutant: Pollutant,
    iaqi: u16,
    concentration: f64,
    unit: Unit,
    note: Option<SubIndexNote>,
    averaging: Averaging,
) -> SubIndex {
    SubIndex {
        pollutant,
        iaqi,
        concentration,
        unit,
        note,
        averaging,
    }
}

/// 进位取整 with a 1e-9 tolerance (see the module documentation).
fn ceil_index(x: f64) -> u16 {
    // `as` saturates; the clamp documents the range.
    (x - 1e-9).ceil().clamp(0.0, 500.0) as u16
}

#[cfg(test)]
mod tests;
