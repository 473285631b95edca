//! The US EPA AQI (Technical Assistance Document EPA 454/B-24-002, May 2024), for the site's
//! international mode.
//!
//! EPA defines its breakpoints in ppb/ppm for gases; Daylight stores µg/m³ (mg/m³ for CO), so
//! gases are converted at **25 °C and 1 atm** (molar volume 24.45 L/mol, the reference state
//! EPA's NAAQS use): ppb = µg/m³ × 24.45 / M, with M = 64.066 (SO₂), 46.0055 (NO₂),
//! 47.997 (O₃) and 28.010 (CO) g/mol. China's GB 3095-2012 as amended in 2018 reports gases at
//! 25 °C too, so no temperature correction is needed.
//!
//! EPA conventions: concentrations are **truncated** before look-up (PM2.5 to 0.1 µg/m³, PM10 to
//! 1 µg/m³, O₃ to 0.001 ppm, CO to 0.1 ppm, SO₂ and NO₂ to 1 ppb); each index is **rounded to
//! the nearest integer** (halves up); the AQI is the largest; the primary pollutant is the one
//! with the largest index once the AQI exceeds 50.
//!
//! Hourly mode: EPA's own hourly index is the NowCast, which needs the last 12 hours. From one
//! station-hour we approximate it the way CNEMC's hourly practice does: PM 1-hour values on the
//! 24-hour breakpoints and CO 1-hour on the 8-hour breakpoints (flagged
//! [`SubIndexNote::HourlyOnLongerBreakpoints`]); O₃ from its 8-hour moving mean, and from the
//! 1-hour value when that gives the higher index (EPA: the 1-hour table applies from 0.125 ppm)
//! or when the 8-hour value is above 0.200 ppm (then at least 300, the top of the 8-hour
//! table); SO₂ 1-hour, and above 304 ppb the 24-hour mean
//! (1-hour SO₂ does not define AQI > 200).

use super::breakpoints::{BreakpointTable, EpaTable, Lookup, US_EPA_2024};
use super::{
    AqiReport, AqiScale, Averaging, Collector, HourlyConcentrations, NoAqi, Pollutant, SubIndex,
    SubIndexNote,
};
use crate::units::Unit;

/// Molar volume of an ideal gas at 25 °C and 101.325 kPa, L/mol.
pub const MOLAR_VOLUME_25C: f64 = 24.45;

/// Molar masses used for the µg/m³ → ppb conversion, g/mol.
pub mod molar_mass {
    pub const SO2: f64 = 64.066;
    pub const NO2: f64 = 46.0055;
    pub const O3: f64 = 47.997;
    pub const CO: f64 = 28.010;
}

/// µg/m³ → ppb (or equally mg/m³ → ppm) at 25 °C, 1 atm.
pub fn ppb_from_ug_m3(ug_m3: f64, molar_mass: f64) -> f64 {
    ug_m3 * MOLAR_VOLUME_25C / molar_mass
}

/// The hourly AQI on the US EPA 2024 scale (see the module documentation for the rule).
///
/// Requires the six 1-hour values, and for O₃ the 8-hour mean unless the 1-hour value alone
/// defines the index (≥ 0.125 ppm). Negative, NaN or infinite inputs give [`NoAqi::Invalid`].
pub fn us_epa_hourly(c: &HourlyConcentrations) -> Result<AqiReport, NoAqi> {
    us_epa_hourly_with(&US_EPA_2024, c)
}

/// [`us_epa_hourly`] with another edition of the EPA tables.
pub fn us_epa_hourly_with(t: &EpaTable, c: &HourlyConcentrations) -> Result<AqiReport, NoAqi> {
    let mut acc = Collector::new();
    let ug = Unit::MicrogramsPerCubicMetre;
    let one = Averaging::OneHour;
    let s = t.steps;
    let approx = Some(SubIndexNote::HourlyOnLongerBreakpoints);

    // SO₂
    if let Some(v) = acc.require(Pollutant::So2, c.so2_1h.map(|x| x.value())) {
        let ppb = truncate(ppb_from_ug_m3(v, molar_mass::SO2), s.so2_ppb);
        match t.so2_1h.lookup(ppb) {
            Lookup::Within(x) => acc.push(sub(Pollutant::So2, round(x), v, ug, None, one)),
            Lookup::Below => acc.push(sub(Pollutant::So2, 0, v, ug, None, one)),
            Lookup::Above => {
                let daily = acc.require(Pollutant::So2, c.so2_24h.map(|x| x.value()));
                if let Some(d) = daily {
                    let ppb24 = truncate(ppb_from_ug_m3(d, molar_mass::SO2), s.so2_ppb);
                    let day = Averaging::TwentyFourHour;
                    let from24 = Some(SubIndexNote::So2From24h);
                    match t.so2_24h.lookup(ppb24) {
                        Lookup::Within(x) => {
                            acc.push(sub(Pollutant::So2, round(x), d, ug, from24, day))
                        }
                        Lookup::Above => acc.push(sub(
                            Pollutant::So2,
                            t.so2_24h.top_index(),
                            d,
                            ug,
                            Some(SubIndexNote::AboveTable),
                            day,
                        )),
                        // The 24-hour mean is below the rows that start at AQI 201: the 1-hour
                        // value has reached the top of its own table, 200.
                        Lookup::Below => acc.push(sub(
                            Pollutant::So2,
                            t.so2_1h.top_index(),
                            v,
                            ug,
                            Some(SubIndexNote::FixedAboveTable),
                            one,
                        )),
                    }
                }
            }
        }
    }

    // NO₂
    if let Some(v) = acc.require(Pollutant::No2, c.no2_1h.map(|x| x.value())) {
        let ppb = truncate(ppb_from_ug_m3(v, molar_mass::NO2), s.no2_ppb);
        let (i, note) = capped(&t.no2_1h, ppb, None);
        acc.push(sub(Pollutant::No2, i, v, ug, note, one));
    }

    // PM10, CO (1-hour values on longer breakpoints)
    if let Some(v) = acc.require(Pollutant::Pm10, c.pm10_1h.map(|x| x.value())) {
        let (i, note) = capped(&t.pm10_24h, truncate(v, s.pm10), approx);
        acc.push(sub(Pollutant::Pm10, i, v, ug, note, one));
    }
    if let Some(v) = acc.require(Pollutant::Co, c.co_1h.map(|x| x.value())) {
        let ppm = truncate(ppb_from_ug_m3(v, molar_mass::CO), s.co_ppm);
        let (i, note) = capped(&t.co_8h, ppm, approx);
        acc.push(sub(
            Pollutant::Co,
            i,
            v,
            Unit::MilligramsPerCubicMetre,
            note,
            one,
        ));
    }

    o3(&mut acc, t, c);

    if let Some(v) = acc.require(Pollutant::Pm25, c.pm25_1h.map(|x| x.value())) {
        let (i, note) = capped(&t.pm25_24h, truncate(v, s.pm25), approx);
        acc.push(sub(Pollutant::Pm25, i, v, ug, note, one));
    }
    acc.finish(AqiScale::UsEpa)
}

fn o3(acc: &mut Collector, t: &EpaTable, c: &HourlyConcentrations) {
    let ug = Unit::MicrogramsPerCubicMetre;
    let step = t.steps.o3_ppm;
    let h1 = c.o3_1h.and_then(|x| acc.check(Pollutant::O3, x.value()));
    let h8 = c.o3_8h.and_then(|x| acc.check(Pollutant::O3, x.value()));
    let invalid_present =
        (c.o3_1h.is_some() && h1.is_none()) || (c.o3_8h.is_some() && h8.is_none());
    if invalid_present {
        return;
    }
    let ppm = |ug_m3: f64| truncate(ppb_from_ug_m3(ug_m3, molar_mass::O3) / 1000.0, step);

    // The 1-hour index, where the 1-hour table defines one (≥ 0.125 ppm).
    let one = h1.and_then(|v| match t.o3_1h.lookup(ppm(v)) {
        Lookup::Below => None,
        Lookup::Within(x) => Some(sub(
            Pollutant::O3,
            round(x),
            v,
            ug,
            None,
            Averaging::OneHour,
        )),
        Lookup::Above => Some(sub(
            Pollutant::O3,
            t.o3_1h.top_index(),
            v,
            ug,
            Some(SubIndexNote::AboveTable),
            Averaging::OneHour,
        )),
    });
    let eight = match h8 {
        None => None,
        Some(v) => match t.o3_8h.lookup(ppm(v)) {
            Lookup::Within(x) => Some(sub(
                Pollutant::O3,
                round(x),
                v,
                ug,
                None,
                Averaging::EightHour,
            )),
            Lookup::Below => Some(sub(Pollutant::O3, 0, v, ug, None, Averaging::EightHour)),
            Lookup::Above => {
                // 8-hour O₃ defines no AQI above 300 and EPA says to use the 1-hour value. An
                // 8-hour mean above 0.200 ppm is itself at least 300, so the 1-hour index is
                // taken only when it is higher: the index never falls as the 8-hour mean rises.
                let floor = sub(
                    Pollutant::O3,
                    t.o3_8h.top_index(),
                    v,
                    ug,
                    Some(SubIndexNote::FixedAboveTable),
                    Averaging::EightHour,
                );
                let chosen = match one {
                    Some(mut s) if s.iaqi > floor.iaqi => {
                        s.note = Some(SubIndexNote::O3From1h);
                        s
                    }
                    _ => floor,
                };
                acc.push(chosen);
                return;
            }
        },
    };
    match (eight, one) {
        (Some(e), Some(o)) => acc.push(if o.iaqi > e.iaqi { o } else { e }),
        (Some(e), None) => acc.push(e),
        (None, Some(o)) => acc.push(o),
        (None, None) => acc.missing(Pollutant::O3),
    }
}

fn capped(
    table: &BreakpointTable,
    c: f64,
    note: Option<SubIndexNote>,
) -> (u16, Option<SubIndexNote>) {
    match table.lookup(c) {
        Lookup::Within(x) => (round(x), note),
        Lookup::Below => (0, note),
        Lookup::Above => (table.top_index(), Some(SubIndexNote::AboveTable)),
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

/// Truncates to a multiple of `step` (0.1, 1, 0.001 …). Dividing by the integer 1/step, rather
/// than multiplying by `step`, lands exactly on the decimal value (0.078, not 0.07800000000000001);
/// the 1e-9 guard keeps 0.078 from truncating to 0.077 when it arrives as 0.07799999999999999.
fn truncate(x: f64, step: f64) -> f64 {
    let per_unit = (1.0 / step).round();
    (x * per_unit + 1e-9).floor() / per_unit
}

/// EPA rounds each index to the nearest integer.
fn round(x: f64) -> u16 {
    super::breakpoints::round_half_up(x)
}

#[cfg(test)]
mod tests;
