//! Breakpoint tables, held as data.
//!
//! Every number of HJ 633-2012 Table 1 and of the US EPA 2024 table lives here and nowhere else,
//! so a revised standard is a new constant, not new code: [`HJ633_2025_DRAFT`] is the December
//! 2025 consultation draft (§2.8 of the project's standards notes), kept beside
//! [`HJ633_2012`] and not used by default.
//!
//! A table is a list of linear [`Segment`]s. HJ 633 tables are continuous (each segment starts
//! where the previous ends, the standard's "upper limit per IAQI level"); EPA tables are banded
//! (e.g. PM2.5 0.0–9.0 → 0–50, 9.1–35.4 → 51–100) because EPA truncates concentrations first.

use crate::units::Unit;

/// One linear piece of a table: concentrations `c_lo..=c_hi` map onto indices `i_lo..=i_hi`
/// (the IAQI formula of HJ 633-2012 and equation 1 of the EPA TAD are the same interpolation;
/// standards §2.2).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    pub c_lo: f64,
    pub c_hi: f64,
    pub i_lo: u16,
    pub i_hi: u16,
}

const fn seg(c_lo: f64, c_hi: f64, i_lo: u16, i_hi: u16) -> Segment {
    Segment {
        c_lo,
        c_hi,
        i_lo,
        i_hi,
    }
}

/// What a standard says about a concentration above the highest breakpoint of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AboveTop {
    /// The index is capped at the table's top index (500 for HJ 633's full tables): the value
    /// is "beyond the index", and the public scale ends at 500.
    Cap,
    /// The table does not define an index there; another averaging period must be used
    /// (HJ 633-2012 Table 1 notes 2 and 3: SO₂ 1 h > 800 → SO₂ 24 h; O₃ 8 h > 800 → O₃ 1 h).
    UseOtherAveraging,
    /// The index is fixed at this value (2025 draft: SO₂ 1 h > 800 → 200, O₃ 8 h > 800 → 300).
    Fixed(u16),
}

/// A breakpoint table for one pollutant and averaging period.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BreakpointTable {
    /// Concentration unit of the segments.
    pub unit: BreakpointUnit,
    pub segments: &'static [Segment],
    pub above: AboveTop,
}

/// Units used by breakpoint tables: mass concentrations (HJ 633) or mixing ratios (EPA).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakpointUnit {
    Mass(Unit),
    /// Parts per billion by volume.
    Ppb,
    /// Parts per million by volume.
    Ppm,
}

/// Where a concentration falls in a table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Lookup {
    /// Below the first breakpoint of a table that does not start at zero (EPA 1-hour O₃ starts
    /// at 0.125 ppm): the table defines no index for it.
    Below,
    /// The unrounded, interpolated index.
    Within(f64),
    /// Above the last breakpoint; see [`BreakpointTable::above`].
    Above,
}

impl Lookup {
    /// The index rounded to the nearest integer (halves up), for display and tests; `None`
    /// outside the table. HJ 633 rounds up instead, see [`super::hj633`].
    pub fn to_index(self) -> Option<u16> {
        match self {
            Lookup::Within(x) => Some(round_half_up(x)),
            _ => None,
        }
    }
}

/// Nearest integer, halves up, clamped to 0..=500. The 1e-9 guard makes an exact .5 computed as
/// .49999… round up, as EPA's hand calculation does (O₃ 0.078 ppm → 125.5 → 126).
pub(crate) fn round_half_up(x: f64) -> u16 {
    // `as` saturates (NaN → 0); the clamp documents the range.
    (x + 0.5 + 1e-9).floor().clamp(0.0, 500.0) as u16
}

impl BreakpointTable {
    /// Locates `c` (already valid: finite and ≥ 0) and interpolates.
    ///
    /// A value exactly on a breakpoint takes the lower segment's upper index, which for
    /// continuous HJ tables equals the next segment's lower index. A value falling in the small
    /// gap between two EPA bands (only possible if it was not truncated) is taken as the upper
    /// band's lower edge.
    pub fn lookup(&self, c: f64) -> Lookup {
        let Some(first) = self.segments.first() else {
            return Lookup::Below;
        };
        if c < first.c_lo {
            return Lookup::Below;
        }
        for s in self.segments {
            if c <= s.c_hi {
                let c = c.max(s.c_lo);
                let span = s.c_hi - s.c_lo;
                if span <= 0.0 {
                    return Lookup::Within(f64::from(s.i_hi));
                }
                // Multiply before dividing: with integer-valued inputs the product is exact, so
                // a concentration on a breakpoint gives exactly the breakpoint's index.
                let rise = f64::from(s.i_hi) - f64::from(s.i_lo);
                return Lookup::Within(rise * (c - s.c_lo) / span + f64::from(s.i_lo));
            }
        }
        Lookup::Above
    }

    /// The index at the top of the table (500 for HJ 633's full tables, 200 for SO₂ 1 h).
    pub fn top_index(&self) -> u16 {
        self.segments.last().map_or(0, |s| s.i_hi)
    }

    /// The concentration at the top of the table.
    pub fn top_concentration(&self) -> f64 {
        self.segments.last().map_or(0.0, |s| s.c_hi)
    }
}

/// All tables of one edition of HJ 633 (Table 1 and its notes).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hj633Table {
    pub edition: &'static str,
    pub so2_24h: BreakpointTable,
    pub so2_1h: BreakpointTable,
    pub no2_24h: BreakpointTable,
    pub no2_1h: BreakpointTable,
    pub pm10_24h: BreakpointTable,
    pub co_24h: BreakpointTable,
    pub co_1h: BreakpointTable,
    pub o3_1h: BreakpointTable,
    pub o3_8h: BreakpointTable,
    pub pm25_24h: BreakpointTable,
}

const UG: BreakpointUnit = BreakpointUnit::Mass(Unit::MicrogramsPerCubicMetre);
const MG: BreakpointUnit = BreakpointUnit::Mass(Unit::MilligramsPerCubicMetre);

const fn full(unit: BreakpointUnit, segments: &'static [Segment]) -> BreakpointTable {
    BreakpointTable {
        unit,
        segments,
        above: AboveTop::Cap,
    }
}

// HJ 633-2012 Table 1. IAQI levels 0, 50, 100, 150, 200, 300, 400, 500.
const HJ_SO2_24H: &[Segment] = &[
    seg(0.0, 50.0, 0, 50),
    seg(50.0, 150.0, 50, 100),
    seg(150.0, 475.0, 100, 150),
    seg(475.0, 800.0, 150, 200),
    seg(800.0, 1600.0, 200, 300),
    seg(1600.0, 2100.0, 300, 400),
    seg(2100.0, 2620.0, 400, 500),
];
/// SO₂ 1 h stops at 800 µg/m³ = IAQI 200 (Table 1 note 2).
const HJ_SO2_1H: &[Segment] = &[
    seg(0.0, 150.0, 0, 50),
    seg(150.0, 500.0, 50, 100),
    seg(500.0, 650.0, 100, 150),
    seg(650.0, 800.0, 150, 200),
];
const HJ_NO2_24H: &[Segment] = &[
    seg(0.0, 40.0, 0, 50),
    seg(40.0, 80.0, 50, 100),
    seg(80.0, 180.0, 100, 150),
    seg(180.0, 280.0, 150, 200),
    seg(280.0, 565.0, 200, 300),
    seg(565.0, 750.0, 300, 400),
    seg(750.0, 940.0, 400, 500),
];
const HJ_NO2_1H: &[Segment] = &[
    seg(0.0, 100.0, 0, 50),
    seg(100.0, 200.0, 50, 100),
    seg(200.0, 700.0, 100, 150),
    seg(700.0, 1200.0, 150, 200),
    seg(1200.0, 2340.0, 200, 300),
    seg(2340.0, 3090.0, 300, 400),
    seg(3090.0, 3840.0, 400, 500),
];
const HJ_PM10_24H: &[Segment] = &[
    seg(0.0, 50.0, 0, 50),
    seg(50.0, 150.0, 50, 100),
    seg(150.0, 250.0, 100, 150),
    seg(250.0, 350.0, 150, 200),
    seg(350.0, 420.0, 200, 300),
    seg(420.0, 500.0, 300, 400),
    seg(500.0, 600.0, 400, 500),
];
const HJ_CO_24H: &[Segment] = &[
    seg(0.0, 2.0, 0, 50),
    seg(2.0, 4.0, 50, 100),
    seg(4.0, 14.0, 100, 150),
    seg(14.0, 24.0, 150, 200),
    seg(24.0, 36.0, 200, 300),
    seg(36.0, 48.0, 300, 400),
    seg(48.0, 60.0, 400, 500),
];
const HJ_CO_1H: &[Segment] = &[
    seg(0.0, 5.0, 0, 50),
    seg(5.0, 10.0, 50, 100),
    seg(10.0, 35.0, 100, 150),
    seg(35.0, 60.0, 150, 200),
    seg(60.0, 90.0, 200, 300),
    seg(90.0, 120.0, 300, 400),
    seg(120.0, 150.0, 400, 500),
];
const HJ_O3_1H: &[Segment] = &[
    seg(0.0, 160.0, 0, 50),
    seg(160.0, 200.0, 50, 100),
    seg(200.0, 300.0, 100, 150),
    seg(300.0, 400.0, 150, 200),
    seg(400.0, 800.0, 200, 300),
    seg(800.0, 1000.0, 300, 400),
    seg(1000.0, 1200.0, 400, 500),
];
/// O₃ 8 h stops at 800 µg/m³ = IAQI 300 (Table 1 note 3).
const HJ_O3_8H: &[Segment] = &[
    seg(0.0, 100.0, 0, 50),
    seg(100.0, 160.0, 50, 100),
    seg(160.0, 215.0, 100, 150),
    seg(215.0, 265.0, 150, 200),
    seg(265.0, 800.0, 200, 300),
];
const HJ_PM25_24H: &[Segment] = &[
    seg(0.0, 35.0, 0, 50),
    seg(35.0, 75.0, 50, 100),
    seg(75.0, 115.0, 100, 150),
    seg(115.0, 150.0, 150, 200),
    seg(150.0, 250.0, 200, 300),
    seg(250.0, 350.0, 300, 400),
    seg(350.0, 500.0, 400, 500),
];

/// HJ 633-2012, in force since 2016-01-01 nationwide. The default.
pub const HJ633_2012: Hj633Table = Hj633Table {
    edition: "HJ 633-2012",
    so2_24h: full(UG, HJ_SO2_24H),
    so2_1h: BreakpointTable {
        unit: UG,
        segments: HJ_SO2_1H,
        above: AboveTop::UseOtherAveraging,
    },
    no2_24h: full(UG, HJ_NO2_24H),
    no2_1h: full(UG, HJ_NO2_1H),
    pm10_24h: full(UG, HJ_PM10_24H),
    co_24h: full(MG, HJ_CO_24H),
    co_1h: full(MG, HJ_CO_1H),
    o3_1h: full(UG, HJ_O3_1H),
    o3_8h: BreakpointTable {
        unit: UG,
        segments: HJ_O3_8H,
        above: AboveTop::UseOtherAveraging,
    },
    pm25_24h: full(UG, HJ_PM25_24H),
};

// 2025 draft: PM2.5 and PM10 24-h rows tightened; the two "above the table" rules become fixed
// indices. Other rows unchanged. Source: MEE consultation notice 2025-12-15, as transcribed by
// NSRingo/WeatherKit (`HJ6332025_DRAFT`) — secondary, not final.
const DRAFT_PM25_24H: &[Segment] = &[
    seg(0.0, 30.0, 0, 50),
    seg(30.0, 60.0, 50, 100),
    seg(60.0, 115.0, 100, 150),
    seg(115.0, 150.0, 150, 200),
    seg(150.0, 250.0, 200, 300),
    seg(250.0, 350.0, 300, 400),
    seg(350.0, 500.0, 400, 500),
];
const DRAFT_PM10_24H: &[Segment] = &[
    seg(0.0, 50.0, 0, 50),
    seg(50.0, 120.0, 50, 100),
    seg(120.0, 250.0, 100, 150),
    seg(250.0, 350.0, 150, 200),
    seg(350.0, 420.0, 200, 300),
    seg(420.0, 500.0, 300, 400),
    seg(500.0, 600.0, 400, 500),
];

/// The December 2025 consultation draft revising HJ 633. Not in force; not used by default.
pub const HJ633_2025_DRAFT: Hj633Table = Hj633Table {
    edition: "HJ 633 (2025 draft)",
    so2_1h: BreakpointTable {
        unit: UG,
        segments: HJ_SO2_1H,
        above: AboveTop::Fixed(200),
    },
    o3_8h: BreakpointTable {
        unit: UG,
        segments: HJ_O3_8H,
        above: AboveTop::Fixed(300),
    },
    pm10_24h: full(UG, DRAFT_PM10_24H),
    pm25_24h: full(UG, DRAFT_PM25_24H),
    ..HJ633_2012
};

/// All tables of the US EPA AQI (Technical Assistance Document EPA 454/B-24-002, May 2024).
///
/// Concentrations are in the units EPA uses: µg/m³ for particles, ppm for O₃ and CO, ppb for
/// SO₂ and NO₂.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EpaTable {
    pub edition: &'static str,
    pub pm25_24h: BreakpointTable,
    pub pm10_24h: BreakpointTable,
    pub o3_8h: BreakpointTable,
    pub o3_1h: BreakpointTable,
    pub co_8h: BreakpointTable,
    pub so2_1h: BreakpointTable,
    pub so2_24h: BreakpointTable,
    pub no2_1h: BreakpointTable,
    /// The truncation step EPA applies before looking a concentration up, per table above:
    /// PM2.5 0.1 µg/m³, PM10 1 µg/m³, O₃ 0.001 ppm, CO 0.1 ppm, SO₂ and NO₂ 1 ppb.
    pub steps: EpaSteps,
}

/// EPA truncation steps (TAD: "truncate to" the reporting precision of each pollutant).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EpaSteps {
    pub pm25: f64,
    pub pm10: f64,
    pub o3_ppm: f64,
    pub co_ppm: f64,
    pub so2_ppb: f64,
    pub no2_ppb: f64,
}

const EPA_PM25: &[Segment] = &[
    seg(0.0, 9.0, 0, 50),
    seg(9.1, 35.4, 51, 100),
    seg(35.5, 55.4, 101, 150),
    seg(55.5, 125.4, 151, 200),
    seg(125.5, 225.4, 201, 300),
    seg(225.5, 325.4, 301, 500),
];
const EPA_PM10: &[Segment] = &[
    seg(0.0, 54.0, 0, 50),
    seg(55.0, 154.0, 51, 100),
    seg(155.0, 254.0, 101, 150),
    seg(255.0, 354.0, 151, 200),
    seg(355.0, 424.0, 201, 300),
    seg(425.0, 604.0, 301, 500),
];
/// 8-h O₃ does not define AQI ≥ 301 (EPA note b): above 0.200 ppm use 1-h O₃.
const EPA_O3_8H: &[Segment] = &[
    seg(0.000, 0.054, 0, 50),
    seg(0.055, 0.070, 51, 100),
    seg(0.071, 0.085, 101, 150),
    seg(0.086, 0.105, 151, 200),
    seg(0.106, 0.200, 201, 300),
];
/// 1-h O₃ defines only AQI ≥ 101 (from 0.125 ppm).
const EPA_O3_1H: &[Segment] = &[
    seg(0.125, 0.164, 101, 150),
    seg(0.165, 0.204, 151, 200),
    seg(0.205, 0.404, 201, 300),
    seg(0.405, 0.604, 301, 500),
];
const EPA_CO_8H: &[Segment] = &[
    seg(0.0, 4.4, 0, 50),
    seg(4.5, 9.4, 51, 100),
    seg(9.5, 12.4, 101, 150),
    seg(12.5, 15.4, 151, 200),
    seg(15.5, 30.4, 201, 300),
    seg(30.5, 50.4, 301, 500),
];
/// 1-h SO₂ does not define AQI > 200 (EPA note a): above 304 ppb use 24-h SO₂.
const EPA_SO2_1H: &[Segment] = &[
    seg(0.0, 35.0, 0, 50),
    seg(36.0, 75.0, 51, 100),
    seg(76.0, 185.0, 101, 150),
    seg(186.0, 304.0, 151, 200),
];
/// 24-h SO₂ rows, used only for AQI ≥ 201.
const EPA_SO2_24H: &[Segment] = &[seg(305.0, 604.0, 201, 300), seg(605.0, 1004.0, 301, 500)];
const EPA_NO2_1H: &[Segment] = &[
    seg(0.0, 53.0, 0, 50),
    seg(54.0, 100.0, 51, 100),
    seg(101.0, 360.0, 101, 150),
    seg(361.0, 649.0, 151, 200),
    seg(650.0, 1249.0, 201, 300),
    seg(1250.0, 2049.0, 301, 500),
];

const PPM: BreakpointUnit = BreakpointUnit::Ppm;
const PPB: BreakpointUnit = BreakpointUnit::Ppb;

/// The US EPA AQI as revised in 2024 (PM2.5 "Good" now ends at 9.0 µg/m³).
pub const US_EPA_2024: EpaTable = EpaTable {
    edition: "US EPA AQI (2024)",
    pm25_24h: full(UG, EPA_PM25),
    pm10_24h: full(UG, EPA_PM10),
    o3_8h: BreakpointTable {
        unit: PPM,
        segments: EPA_O3_8H,
        above: AboveTop::UseOtherAveraging,
    },
    o3_1h: full(PPM, EPA_O3_1H),
    co_8h: full(PPM, EPA_CO_8H),
    so2_1h: BreakpointTable {
        unit: PPB,
        segments: EPA_SO2_1H,
        above: AboveTop::UseOtherAveraging,
    },
    so2_24h: full(PPB, EPA_SO2_24H),
    no2_1h: full(PPB, EPA_NO2_1H),
    steps: EpaSteps {
        pm25: 0.1,
        pm10: 1.0,
        o3_ppm: 0.001,
        co_ppm: 0.1,
        so2_ppb: 1.0,
        no2_ppb: 1.0,
    },
};

#[cfg(test)]
mod tests {
    use super::*;

    fn hj_tables(t: &Hj633Table) -> [(&'static str, BreakpointTable); 10] {
        [
            ("so2_24h", t.so2_24h),
            ("so2_1h", t.so2_1h),
            ("no2_24h", t.no2_24h),
            ("no2_1h", t.no2_1h),
            ("pm10_24h", t.pm10_24h),
            ("co_24h", t.co_24h),
            ("co_1h", t.co_1h),
            ("o3_1h", t.o3_1h),
            ("o3_8h", t.o3_8h),
            ("pm25_24h", t.pm25_24h),
        ]
    }

    #[test]
    fn hj_tables_are_continuous_and_increasing() {
        for edition in [HJ633_2012, HJ633_2025_DRAFT] {
            for (name, table) in hj_tables(&edition) {
                let s = table.segments;
                assert_eq!((s[0].c_lo, s[0].i_lo), (0.0, 0), "{name}");
                for w in s.windows(2) {
                    assert_eq!(w[0].c_hi, w[1].c_lo, "{name}");
                    assert_eq!(w[0].i_hi, w[1].i_lo, "{name}");
                }
                for x in s {
                    assert!(x.c_hi > x.c_lo && x.i_hi > x.i_lo, "{name}");
                }
            }
        }
    }

    #[test]
    fn hj_table_tops() {
        let t = HJ633_2012;
        assert_eq!(t.so2_1h.top_index(), 200);
        assert_eq!(t.so2_1h.top_concentration(), 800.0);
        assert_eq!(t.o3_8h.top_index(), 300);
        assert_eq!(t.o3_8h.top_concentration(), 800.0);
        assert_eq!(t.pm25_24h.top_index(), 500);
        assert_eq!(t.pm25_24h.top_concentration(), 500.0);
    }

    #[test]
    fn epa_bands_are_ordered_and_indices_contiguous() {
        let t = US_EPA_2024;
        for table in [
            t.pm25_24h, t.pm10_24h, t.o3_8h, t.o3_1h, t.co_8h, t.so2_1h, t.so2_24h, t.no2_1h,
        ] {
            for w in table.segments.windows(2) {
                assert!(w[1].c_lo > w[0].c_hi);
                assert_eq!(w[1].i_lo, w[0].i_hi + 1);
            }
        }
        assert_eq!(t.pm25_24h.segments[0].c_hi, 9.0);
    }

    #[test]
    fn lookup_edges() {
        let t = HJ633_2012.pm25_24h;
        assert_eq!(t.lookup(0.0), Lookup::Within(0.0));
        assert_eq!(t.lookup(35.0), Lookup::Within(50.0));
        assert_eq!(t.lookup(500.0), Lookup::Within(500.0));
        assert_eq!(t.lookup(500.1), Lookup::Above);
        assert_eq!(US_EPA_2024.o3_1h.lookup(0.124), Lookup::Below);
    }
}
