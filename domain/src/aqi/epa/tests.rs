//! Vectors derived from the EPA 2024 table (standards §3). Concentrations in µg/m³ were chosen
//! so that, converted at 25 °C, they truncate to the round ppb/ppm value named beside them.

use super::super::*;
use super::{molar_mass, ppb_from_ug_m3, round, truncate};
use crate::units::{Concentration, MgM3, UgM3};

fn ug(v: f64) -> Option<Concentration<UgM3>> {
    Some(Concentration::new(v))
}

fn clean_hour() -> HourlyConcentrations {
    HourlyConcentrations {
        so2_1h: ug(5.0),
        so2_24h: ug(5.0),
        no2_1h: ug(10.0),
        co_1h: Some(Concentration::<MgM3>::new(0.3)),
        o3_1h: ug(20.0),
        o3_8h: ug(20.0),
        pm10_1h: ug(5.0),
        pm25_1h: ug(3.0),
        pm10_24h: ug(5.0),
        pm25_24h: ug(3.0),
    }
}

fn epa(c: &HourlyConcentrations) -> AqiReport {
    match us_epa_hourly(c) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    }
}

fn iaqi_of(r: &AqiReport, p: Pollutant) -> u16 {
    r.sub_indices
        .iter()
        .find(|s| s.pollutant == p)
        .map_or(u16::MAX, |s| s.iaqi)
}

#[test]
fn clean_hour_is_good() {
    let r = epa(&clean_hour());
    // PM2.5 3.0 → 16.7 → 17 is the largest.
    assert_eq!(r.aqi, 17);
    assert_eq!(r.scale, AqiScale::UsEpa);
    assert!(r.primary.is_empty());
    assert_eq!(r.category.name_en, "Good");
}

#[test]
fn tad_examples() {
    // PM2.5 35.9 µg/m³ → 101 + 49 × 0.4 / 19.9 = 101.98 → 102.
    let mut c = clean_hour();
    c.pm25_1h = ug(35.9);
    let r = epa(&c);
    assert_eq!(r.aqi, 102);
    assert_eq!(r.primary, vec![Pollutant::Pm25]);
    assert_eq!(r.category.name_en, "Unhealthy for Sensitive Groups");
    // O3 8h 0.078 ppm (153.2 µg/m³) → 101 + 49 × 7 / 14 = 125.5 → 126.
    let mut c = clean_hour();
    c.o3_8h = ug(153.2);
    let r = epa(&c);
    assert_eq!(r.aqi, 126);
    assert_eq!(r.primary, vec![Pollutant::O3]);
    assert_eq!(r.sub_indices[4].averaging, Averaging::EightHour);
    assert_eq!(r.primary_labels_en(), vec!["Ozone (8-hour)"]);
}

#[test]
fn half_way_index_rounds_up() {
    assert_eq!(US_EPA_2024.o3_8h.lookup(0.078).to_index(), Some(126));
    assert_eq!(round(125.5), 126);
    assert_eq!(round(125.49), 125);
    assert_eq!(round(101.98), 102);
}

#[test]
fn truncation_conventions() {
    assert_eq!(truncate(35.99, 0.1), 35.9);
    assert_eq!(truncate(9.09, 0.1), 9.0);
    assert_eq!(truncate(0.0789, 0.001), 0.078);
    assert_eq!(truncate(0.078, 0.001), 0.078);
    assert_eq!(truncate(154.9, 1.0), 154.0);
}

#[test]
fn pm25_2024_breakpoints() {
    let cases = [
        (0.0, 0),
        (9.0, 50),
        (9.09, 50), // truncates to 9.0
        (9.1, 51),
        (12.0, 56), // "Good" under the pre-2024 table; 51 + 49 × 2.9 / 26.3 = 56.4 now
        (35.4, 100),
        (35.5, 101),
        (55.4, 150),
        (55.5, 151),
        (125.4, 200),
        (125.5, 201),
        (225.4, 300),
        (225.5, 301),
        (325.4, 500),
    ];
    for (v, aqi) in cases {
        let mut c = clean_hour();
        c.pm25_1h = ug(v);
        let r = epa(&c);
        assert_eq!(iaqi_of(&r, Pollutant::Pm25), aqi, "PM2.5 {v}");
        assert_eq!(
            r.sub_indices[5].note,
            Some(SubIndexNote::HourlyOnLongerBreakpoints)
        );
    }
    let mut c = clean_hour();
    c.pm25_1h = ug(400.0);
    let r = epa(&c);
    assert_eq!(
        (r.aqi, r.sub_indices[5].note),
        (500, Some(SubIndexNote::AboveTable))
    );
}

#[test]
fn category_boundaries_and_primary() {
    let mut c = clean_hour();
    c.pm25_1h = ug(9.0);
    let r = epa(&c);
    assert_eq!((r.aqi, r.category.name_en), (50, "Good"));
    assert!(r.primary.is_empty());
    c.pm25_1h = ug(9.1);
    let r = epa(&c);
    assert_eq!((r.aqi, r.category.name_en), (51, "Moderate"));
    assert_eq!(r.primary, vec![Pollutant::Pm25]);
    c.pm25_1h = ug(125.5);
    assert_eq!(epa(&c).category.name_en, "Very Unhealthy");
    c.pm25_1h = ug(225.5);
    assert_eq!(epa(&c).category.name_en, "Hazardous");
}

#[test]
fn gases_convert_at_25_c() {
    assert!((ppb_from_ug_m3(1000.0, molar_mass::SO2) - 381.637).abs() < 1e-3);
    assert!((ppb_from_ug_m3(1.0, molar_mass::CO) - 0.87290).abs() < 1e-5);
    // NO2 188.2 µg/m³ = 100.02 ppb → 100 ppb → AQI 100.
    let mut c = clean_hour();
    c.no2_1h = ug(188.2);
    assert_eq!(iaqi_of(&epa(&c), Pollutant::No2), 100);
    // CO 10.77 mg/m³ = 9.401 ppm → 9.4 → 100 (1-hour value on the 8-hour table).
    let mut c = clean_hour();
    c.co_1h = Some(Concentration::new(10.77));
    let r = epa(&c);
    assert_eq!(iaqi_of(&r, Pollutant::Co), 100);
    assert_eq!(
        r.sub_indices[3].note,
        Some(SubIndexNote::HourlyOnLongerBreakpoints)
    );
    // SO2 196.6 µg/m³ = 75.03 ppb → 75 → 100.
    let mut c = clean_hour();
    c.so2_1h = ug(196.6);
    assert_eq!(iaqi_of(&epa(&c), Pollutant::So2), 100);
}

#[test]
fn so2_above_304_ppb_uses_24h() {
    let mut c = clean_hour();
    c.so2_1h = ug(1048.1); // 400 ppb
    c.so2_24h = None;
    assert_eq!(us_epa_hourly(&c), Err(NoAqi::Missing(vec![Pollutant::So2])));
    c.so2_24h = ug(917.1); // 350 ppb → 201 + 99 × 45 / 299 = 215.9 → 216
    let r = epa(&c);
    assert_eq!(r.aqi, 216);
    assert_eq!(r.sub_indices[0].note, Some(SubIndexNote::So2From24h));
    assert_eq!(r.sub_indices[0].averaging, Averaging::TwentyFourHour);
    c.so2_24h = ug(100.0); // 38 ppb: below the 24-hour rows → the 1-hour top, 200
    let r = epa(&c);
    assert_eq!(r.aqi, 200);
    assert_eq!(r.sub_indices[0].note, Some(SubIndexNote::FixedAboveTable));
}

#[test]
fn ozone_1h_and_8h() {
    // 1h 0.200 ppm → 151 + 49 × 35 / 39 = 194.97 → 195; 8h 0.060 ppm → 67. The higher wins.
    let mut c = clean_hour();
    c.o3_1h = ug(392.7);
    c.o3_8h = ug(117.8);
    let r = epa(&c);
    let o3 = r.sub_indices[4];
    assert_eq!((o3.iaqi, o3.averaging), (195, Averaging::OneHour));
    // Without the 8-hour mean, a 1-hour value below 0.125 ppm defines nothing.
    c.o3_8h = None;
    assert_eq!(epa(&c).aqi, 195);
    c.o3_1h = ug(98.2);
    assert_eq!(us_epa_hourly(&c), Err(NoAqi::Missing(vec![Pollutant::O3])));
}

#[test]
fn ozone_8h_above_0_200_ppm() {
    // 8h 0.250 ppm; 1h 0.450 ppm → 301 + 199 × 45 / 199 = 346, taken from the 1-hour value.
    let mut c = clean_hour();
    c.o3_8h = ug(490.8);
    c.o3_1h = ug(883.4);
    let r = epa(&c);
    assert_eq!(r.aqi, 346);
    assert_eq!(r.sub_indices[4].note, Some(SubIndexNote::O3From1h));
    // 1h 0.300 ppm → 249 < 300: the 8-hour mean above its table is still 300.
    c.o3_1h = ug(589.0);
    let r = epa(&c);
    assert_eq!(r.aqi, 300);
    assert_eq!(r.sub_indices[4].note, Some(SubIndexNote::FixedAboveTable));
}

#[test]
fn invalid_and_missing() {
    let mut c = clean_hour();
    c.o3_8h = ug(-1.0);
    assert_eq!(
        us_epa_hourly(&c),
        Err(NoAqi::Invalid {
            pollutant: Pollutant::O3,
            value: -1.0
        })
    );
    assert_eq!(
        us_epa_hourly(&HourlyConcentrations::default()),
        Err(NoAqi::Missing(Pollutant::ALL.to_vec()))
    );
}
