//! Vectors derived by hand from HJ 633-2012 Table 1/Table 2 and its notes (standards §2).

use super::super::*;
use crate::units::{Concentration, MgM3, UgM3};

fn ug(v: f64) -> Option<Concentration<UgM3>> {
    Some(Concentration::new(v))
}

fn mg(v: f64) -> Option<Concentration<MgM3>> {
    Some(Concentration::new(v))
}

/// A clean hour: every pollutant present and low (all IAQI ≤ 10).
fn clean_hour() -> HourlyConcentrations {
    HourlyConcentrations {
        so2_1h: ug(5.0),
        so2_24h: ug(5.0),
        no2_1h: ug(10.0),
        co_1h: mg(0.3),
        o3_1h: ug(20.0),
        o3_8h: ug(20.0),
        pm10_1h: ug(5.0),
        pm25_1h: ug(3.0),
        pm10_24h: ug(5.0),
        pm25_24h: ug(3.0),
    }
}

fn clean_day() -> DailyConcentrations {
    DailyConcentrations {
        so2_24h: ug(5.0),
        no2_24h: ug(4.0),
        co_24h: mg(0.2),
        pm10_24h: ug(5.0),
        pm25_24h: ug(3.0),
        o3_1h_max: ug(16.0),
        o3_8h_max: ug(10.0),
    }
}

fn set_hourly(c: &mut HourlyConcentrations, p: Pollutant, v: f64) {
    match p {
        Pollutant::So2 => c.so2_1h = ug(v),
        Pollutant::No2 => c.no2_1h = ug(v),
        Pollutant::Co => c.co_1h = mg(v),
        Pollutant::O3 => c.o3_1h = ug(v),
        Pollutant::Pm10 => c.pm10_1h = ug(v),
        Pollutant::Pm25 => c.pm25_1h = ug(v),
    }
}

fn iaqi_of(r: &AqiReport, p: Pollutant) -> u16 {
    r.sub_indices
        .iter()
        .filter(|s| s.pollutant == p)
        .map(|s| s.iaqi)
        .max()
        .unwrap_or(u16::MAX)
}

fn hourly_iaqi(p: Pollutant, v: f64) -> u16 {
    let mut c = clean_hour();
    set_hourly(&mut c, p, v);
    match hj633_hourly(&c) {
        Ok(r) => iaqi_of(&r, p),
        Err(e) => panic!("{p:?} {v}: {e}"),
    }
}

/// (concentration, IAQI) at every breakpoint of the tables the hourly AQI uses.
const HOURLY_EDGES: &[(Pollutant, &[(f64, u16)])] = &[
    (
        Pollutant::So2,
        &[
            (0.0, 0),
            (150.0, 50),
            (500.0, 100),
            (650.0, 150),
            (800.0, 200),
        ],
    ),
    (
        Pollutant::No2,
        &[
            (0.0, 0),
            (100.0, 50),
            (200.0, 100),
            (700.0, 150),
            (1200.0, 200),
            (2340.0, 300),
            (3090.0, 400),
            (3840.0, 500),
        ],
    ),
    (
        Pollutant::Co,
        &[
            (0.0, 0),
            (5.0, 50),
            (10.0, 100),
            (35.0, 150),
            (60.0, 200),
            (90.0, 300),
            (120.0, 400),
            (150.0, 500),
        ],
    ),
    (
        Pollutant::O3,
        &[
            (0.0, 0),
            (160.0, 50),
            (200.0, 100),
            (300.0, 150),
            (400.0, 200),
            (800.0, 300),
            (1000.0, 400),
            (1200.0, 500),
        ],
    ),
    // PM: 1-hour values on the 24-hour table (CNEMC practice).
    (
        Pollutant::Pm10,
        &[
            (0.0, 0),
            (50.0, 50),
            (150.0, 100),
            (250.0, 150),
            (350.0, 200),
            (420.0, 300),
            (500.0, 400),
            (600.0, 500),
        ],
    ),
    (
        Pollutant::Pm25,
        &[
            (0.0, 0),
            (35.0, 50),
            (75.0, 100),
            (115.0, 150),
            (150.0, 200),
            (250.0, 300),
            (350.0, 400),
            (500.0, 500),
        ],
    ),
];

#[test]
fn hourly_iaqi_is_exact_at_every_breakpoint() {
    for (p, edges) in HOURLY_EDGES {
        for &(c, iaqi) in *edges {
            assert_eq!(hourly_iaqi(*p, c), iaqi, "{p:?} at {c}");
        }
    }
}

#[test]
fn hourly_iaqi_rounds_up_just_above_every_breakpoint() {
    for (p, edges) in HOURLY_EDGES {
        let last = edges.len() - 1;
        for &(c, iaqi) in &edges[..last] {
            if *p == Pollutant::So2 && c == 800.0 {
                continue;
            }
            assert_eq!(hourly_iaqi(*p, c + 0.01), iaqi + 1, "{p:?} just above {c}");
        }
    }
}

#[test]
fn ceiling_rounding_matches_cnemc_publications() {
    // standards §2.2: PM2.5 146 → 194.29 → 195; 148 → 197.14 → 198.
    assert_eq!(hourly_iaqi(Pollutant::Pm25, 146.0), 195);
    assert_eq!(hourly_iaqi(Pollutant::Pm25, 148.0), 198);
    // §2.6: 1099A, July 2022, current O3 1h = 66 → ceil(66 × 50 / 160) = ceil(20.625) = 21.
    assert_eq!(hourly_iaqi(Pollutant::O3, 66.0), 21);
    // CO 1.6 mg/m³ → 16 exactly, not 17 (binary 1.6 is inexact).
    assert_eq!(hourly_iaqi(Pollutant::Co, 1.6), 16);
    // NO2 67 → 33.5 → 34.
    assert_eq!(hourly_iaqi(Pollutant::No2, 67.0), 34);
}

#[test]
fn report_for_a_haze_hour() {
    // 1462A, Xi'an, 2022-01-01 09:00 (from shared/data): PM2.5 160 → 210 decides.
    let c = HourlyConcentrations::from_readings([
        (Parameter::So2, 13.0),
        (Parameter::No2, 67.0),
        (Parameter::Co, 1.6),
        (Parameter::O3, 20.0),
        (Parameter::Pm10, 148.0),
        (Parameter::Pm25, 160.0),
    ]);
    let r = hj633_hourly(&c).expect("complete hour");
    assert_eq!(r.aqi, 210);
    assert_eq!(r.primary, vec![Pollutant::Pm25]);
    assert_eq!(r.primary_labels_zh(), vec!["细颗粒物(PM2.5)"]);
    assert_eq!(r.category.level, 5);
    assert_eq!(r.category.name_zh, "重度污染");
    assert_eq!(r.exceeding(), vec![Pollutant::Pm25]);
    let order: Vec<Pollutant> = r.sub_indices.iter().map(|s| s.pollutant).collect();
    assert_eq!(order, Pollutant::ALL.to_vec());
    let iaqis: Vec<u16> = r.sub_indices.iter().map(|s| s.iaqi).collect();
    // SO2 13 → 4.33 → 5; NO2 67 → 34; PM10 148 → 99; CO 1.6 → 16; O3 20 → 6.25 → 7.
    assert_eq!(iaqis, vec![5, 34, 99, 16, 7, 210]);
}

#[test]
fn so2_above_800_uses_the_24h_mean() {
    // standards §2.7: SO2 1h 900, 24h 500 → 150 + (500 − 475) × 50 / 325 = 153.8 → 154.
    let mut c = clean_hour();
    c.so2_1h = ug(900.0);
    c.so2_24h = ug(500.0);
    let r = hj633_hourly(&c).expect("24h present");
    assert_eq!(r.aqi, 154);
    let so2 = r.sub_indices[0];
    assert_eq!(so2.pollutant, Pollutant::So2);
    assert_eq!(so2.iaqi, 154);
    assert_eq!(so2.concentration, 500.0);
    assert_eq!(so2.averaging, Averaging::TwentyFourHour);
    assert_eq!(so2.note, Some(SubIndexNote::So2From24h));
    assert_eq!(r.primary, vec![Pollutant::So2]);
}

#[test]
fn so2_above_800_without_24h_is_missing_so2() {
    let mut c = clean_hour();
    c.so2_1h = ug(900.0);
    c.so2_24h = None;
    assert_eq!(hj633_hourly(&c), Err(NoAqi::Missing(vec![Pollutant::So2])));
    // At exactly 800 the 1-hour table still applies and the 24h mean is not needed.
    c.so2_1h = ug(800.0);
    let r = hj633_hourly(&c).expect("800 is on the table");
    assert_eq!((r.aqi, r.sub_indices[0].note), (200, None));
}

#[test]
fn so2_rule_is_not_monotonic_by_the_standards_own_text() {
    // HJ 633-2012 note 2 replaces the 1-hour index by the 24-hour one above 800 µg/m³, so the
    // SO2 index can fall when the hourly value rises. The 2025 draft fixes it at 200 instead.
    let mut c = clean_hour();
    c.so2_24h = ug(100.0);
    c.so2_1h = ug(800.0);
    assert_eq!(hj633_hourly(&c).map(|r| r.aqi), Ok(200));
    c.so2_1h = ug(801.0);
    // 24h 100 → 50 + (100 − 50) × 50 / 100 = 75.
    assert_eq!(hj633_hourly(&c).map(|r| r.aqi), Ok(75));
    let draft = hj633_hourly_with(&HJ633_2025_DRAFT, &c).expect("draft");
    assert_eq!(draft.aqi, 200);
    assert_eq!(
        draft.sub_indices[0].note,
        Some(SubIndexNote::FixedAboveTable)
    );
}

#[test]
fn o3_8h_is_not_part_of_the_hourly_aqi() {
    let mut c = clean_hour();
    c.o3_8h = ug(700.0);
    let r = hj633_hourly(&c).expect("complete");
    assert!(r.aqi <= 10, "{}", r.aqi);
    assert!(r
        .sub_indices
        .iter()
        .all(|s| s.averaging == Averaging::OneHour));
    c.o3_8h = None;
    assert!(hj633_hourly(&c).is_ok());
}

#[test]
fn pm_24h_means_are_not_used_hourly() {
    let mut c = clean_hour();
    c.pm25_24h = ug(300.0);
    c.pm10_24h = None;
    assert!(hj633_hourly(&c).expect("complete").aqi <= 10);
}

#[test]
fn ties_are_all_primary_in_table_order() {
    // PM10 150 → 100 and PM2.5 75 → 100 (as 1105A 2022-01-01T10 was published).
    let mut c = clean_hour();
    c.pm10_1h = ug(150.0);
    c.pm25_1h = ug(75.0);
    let r = hj633_hourly(&c).expect("complete");
    assert_eq!(r.aqi, 100);
    assert_eq!(r.primary, vec![Pollutant::Pm10, Pollutant::Pm25]);
    assert_eq!(
        r.primary_labels_zh(),
        vec!["颗粒物(PM10)", "细颗粒物(PM2.5)"]
    );
    // PM10 and O3 1h tie (as 1180A was published): "颗粒物(PM10),臭氧1小时".
    let mut c = clean_hour();
    c.pm10_1h = ug(150.0);
    c.o3_1h = ug(200.0);
    let r = hj633_hourly(&c).expect("complete");
    assert_eq!(r.primary_labels_zh(), vec!["颗粒物(PM10)", "臭氧1小时"]);
    assert_eq!(r.exceeding(), Vec::<Pollutant>::new());
}

#[test]
fn primary_pollutant_only_above_50() {
    let mut c = clean_hour();
    c.pm25_1h = ug(35.0);
    let r = hj633_hourly(&c).expect("complete");
    assert_eq!(r.aqi, 50);
    assert!(r.primary.is_empty());
    assert!(r.primary_labels_zh().is_empty());
    assert_eq!(r.category.name_zh, "优");
    // 35.5 → 50.625 → 51.
    c.pm25_1h = ug(35.5);
    let r = hj633_hourly(&c).expect("complete");
    assert_eq!(r.aqi, 51);
    assert_eq!(r.primary, vec![Pollutant::Pm25]);
    assert_eq!(r.category.name_zh, "良");
}

#[test]
fn missing_inputs_are_all_listed_in_table_order() {
    assert_eq!(
        hj633_hourly(&HourlyConcentrations::default()),
        Err(NoAqi::Missing(Pollutant::ALL.to_vec()))
    );
    let mut c = clean_hour();
    c.pm25_1h = None;
    c.co_1h = None;
    c.so2_1h = None;
    assert_eq!(
        hj633_hourly(&c),
        Err(NoAqi::Missing(vec![
            Pollutant::So2,
            Pollutant::Co,
            Pollutant::Pm25
        ]))
    );
}

#[test]
fn beyond_the_table_is_500() {
    for (p, v) in [
        (Pollutant::Pm25, 501.0),
        (Pollutant::Pm25, 1500.0),
        (Pollutant::Pm10, 900.0),
        (Pollutant::Co, 200.0),
        (Pollutant::No2, 5000.0),
        (Pollutant::O3, 1201.0),
    ] {
        let mut c = clean_hour();
        set_hourly(&mut c, p, v);
        let r = hj633_hourly(&c).expect("complete");
        assert_eq!(r.aqi, 500, "{p:?} {v}");
        let s = r.sub_indices.iter().find(|s| s.pollutant == p);
        assert_eq!(s.and_then(|s| s.note), Some(SubIndexNote::AboveTable));
        assert_eq!(r.category.level, 6);
    }
    // SO2 24h beyond its table while replacing the 1-hour value.
    let mut c = clean_hour();
    c.so2_1h = ug(3000.0);
    c.so2_24h = ug(2700.0);
    assert_eq!(hj633_hourly(&c).map(|r| r.aqi), Ok(500));
}

#[test]
fn invalid_values_are_errors_not_numbers() {
    for v in [-1.0, -0.0001, f64::INFINITY, f64::NEG_INFINITY] {
        let mut c = clean_hour();
        c.pm25_1h = ug(v);
        assert_eq!(
            hj633_hourly(&c),
            Err(NoAqi::Invalid {
                pollutant: Pollutant::Pm25,
                value: v
            })
        );
    }
    let mut c = clean_hour();
    c.co_1h = mg(f64::NAN);
    assert!(matches!(
        hj633_hourly(&c),
        Err(NoAqi::Invalid { pollutant: Pollutant::Co, value }) if value.is_nan()
    ));
    // Invalid wins over missing: the data error is the one to fix first.
    c.pm25_1h = None;
    assert!(matches!(hj633_hourly(&c), Err(NoAqi::Invalid { .. })));
    // An invalid value in a field the computation does not use is ignored.
    let mut c = clean_hour();
    c.o3_8h = ug(-5.0);
    c.so2_24h = ug(f64::NAN);
    assert!(hj633_hourly(&c).is_ok());
}

#[test]
fn daily_iaqi_at_breakpoints() {
    type Setter = fn(&mut DailyConcentrations, f64);
    type Edges = &'static [(f64, u16)];
    let cases: &[(Pollutant, Setter, Edges)] = &[
        (
            Pollutant::So2,
            |d, v| d.so2_24h = ug(v),
            &[
                (50.0, 50),
                (150.0, 100),
                (475.0, 150),
                (800.0, 200),
                (1600.0, 300),
                (2100.0, 400),
                (2620.0, 500),
            ],
        ),
        (
            Pollutant::No2,
            |d, v| d.no2_24h = ug(v),
            &[
                (40.0, 50),
                (80.0, 100),
                (180.0, 150),
                (280.0, 200),
                (565.0, 300),
                (750.0, 400),
                (940.0, 500),
            ],
        ),
        (
            Pollutant::Co,
            |d, v| d.co_24h = mg(v),
            &[
                (2.0, 50),
                (4.0, 100),
                (14.0, 150),
                (24.0, 200),
                (36.0, 300),
                (48.0, 400),
                (60.0, 500),
            ],
        ),
        (
            Pollutant::Pm10,
            |d, v| d.pm10_24h = ug(v),
            &[
                (50.0, 50),
                (150.0, 100),
                (250.0, 150),
                (350.0, 200),
                (600.0, 500),
            ],
        ),
        (
            Pollutant::Pm25,
            |d, v| d.pm25_24h = ug(v),
            &[
                (35.0, 50),
                (75.0, 100),
                (115.0, 150),
                (150.0, 200),
                (500.0, 500),
            ],
        ),
        (
            Pollutant::O3,
            |d, v| {
                d.o3_8h_max = ug(v);
                d.o3_1h_max = ug(v.min(100.0));
            },
            &[
                (100.0, 50),
                (160.0, 100),
                (215.0, 150),
                (265.0, 200),
                (800.0, 300),
            ],
        ),
        (
            Pollutant::O3,
            |d, v| d.o3_1h_max = ug(v),
            &[(160.0, 50), (200.0, 100), (400.0, 200), (1200.0, 500)],
        ),
    ];
    for (p, set, edges) in cases {
        for &(v, iaqi) in *edges {
            let mut d = clean_day();
            set(&mut d, v);
            let r = hj633_daily(&d).expect("complete day");
            assert_eq!(iaqi_of(&r, *p), iaqi, "{p:?} daily at {v}");
            assert_eq!(r.aqi, iaqi, "{p:?} daily at {v}");
        }
    }
}

#[test]
fn daily_o3_8h_above_800_uses_1h() {
    // standards §2.7: O3 8h 850 with O3 1h 900 → 300 + (900 − 800) × 100 / 200 = 350.
    let mut d = clean_day();
    d.o3_8h_max = ug(850.0);
    d.o3_1h_max = ug(900.0);
    let r = hj633_daily(&d).expect("complete day");
    assert_eq!(r.aqi, 350);
    let o3: Vec<&SubIndex> = r
        .sub_indices
        .iter()
        .filter(|s| s.pollutant == Pollutant::O3)
        .collect();
    assert_eq!(o3.len(), 1);
    assert_eq!(o3[0].iaqi, 350);
    assert_eq!(o3[0].averaging, Averaging::OneHour);
    assert_eq!(o3[0].note, Some(SubIndexNote::O3From1h));
    assert_eq!(r.primary, vec![Pollutant::O3]);
    assert_eq!(r.primary_labels_zh(), vec!["臭氧1小时"]);
}

#[test]
fn daily_o3_8h_primary_label() {
    let mut d = clean_day();
    d.o3_8h_max = ug(180.0); // 100 + 20 × 50 / 55 = 118.2 → 119
    d.o3_1h_max = ug(210.0); // 100 + 10 × 50 / 100 = 105
    let r = hj633_daily(&d).expect("complete day");
    assert_eq!(r.aqi, 119);
    assert_eq!(r.primary_labels_zh(), vec!["臭氧8小时"]);
    assert_eq!(r.primary_labels_en(), vec!["Ozone (8-hour)"]);
}

#[test]
fn daily_requires_all_seven_values() {
    let mut d = clean_day();
    d.o3_8h_max = None;
    d.no2_24h = None;
    assert_eq!(
        hj633_daily(&d),
        Err(NoAqi::Missing(vec![Pollutant::No2, Pollutant::O3]))
    );
    d = clean_day();
    d.so2_24h = ug(-3.0);
    assert_eq!(
        hj633_daily(&d),
        Err(NoAqi::Invalid {
            pollutant: Pollutant::So2,
            value: -3.0
        })
    );
}

#[test]
fn draft_2025_tables_are_data_only() {
    // PM2.5 60: 2012 → 50 + 25 × 50 / 40 = 81.25 → 82; draft → 100 exactly.
    let mut c = clean_hour();
    c.pm25_1h = ug(60.0);
    assert_eq!(hj633_hourly(&c).map(|r| r.aqi), Ok(82));
    assert_eq!(
        hj633_hourly_with(&HJ633_2025_DRAFT, &c).map(|r| r.aqi),
        Ok(100)
    );
    // PM10 120: 2012 → 85; draft → 100.
    let mut c = clean_hour();
    c.pm10_1h = ug(120.0);
    assert_eq!(hj633_hourly(&c).map(|r| r.aqi), Ok(85));
    assert_eq!(
        hj633_hourly_with(&HJ633_2025_DRAFT, &c).map(|r| r.aqi),
        Ok(100)
    );
    // O3 8h above 800 is fixed at 300 in the draft.
    let mut d = clean_day();
    d.o3_8h_max = ug(850.0);
    d.o3_1h_max = ug(900.0);
    let r = hj633_daily_with(&HJ633_2025_DRAFT, &d).expect("complete day");
    assert_eq!(r.aqi, 350);
    let o3_8h = r
        .sub_indices
        .iter()
        .find(|s| s.averaging == Averaging::EightHour);
    assert_eq!(
        o3_8h.map(|s| (s.iaqi, s.note)),
        Some((300, Some(SubIndexNote::FixedAboveTable)))
    );
}
