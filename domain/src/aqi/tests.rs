//! Cross-scale properties and the plausibility check on real Xi'an data.

use super::*;
use proptest::prelude::*;
use std::collections::BTreeMap;

#[test]
fn scale_names_round_trip() {
    for scale in [AqiScale::Hj633, AqiScale::UsEpa] {
        assert_eq!(scale.as_str().parse::<AqiScale>(), Ok(scale));
    }
    assert_eq!("US-EPA".parse::<AqiScale>(), Ok(AqiScale::UsEpa));
    assert!("aqi".parse::<AqiScale>().is_err());
}

#[test]
fn from_readings_maps_codes_to_fields() {
    let c = HourlyConcentrations::from_readings([
        (Parameter::Pm25, 75.0),
        (Parameter::Co, 1.2),
        (Parameter::O3_8h, 40.0),
        (Parameter::So2_24h, 9.0),
        (Parameter::Pm25, 76.0), // last wins
        (Parameter::No2_24h, 50.0),
        (Parameter::Ph, 7.0),
    ]);
    assert_eq!(c.pm25_1h.map(|x| x.value()), Some(76.0));
    assert_eq!(c.co_1h.map(|x| x.value()), Some(1.2));
    assert_eq!(c.o3_8h.map(|x| x.value()), Some(40.0));
    assert_eq!(c.so2_24h.map(|x| x.value()), Some(9.0));
    assert_eq!(c.no2_1h, None);
    let mut c = c;
    assert!(!c.set(Parameter::Ph, 7.0));
    assert!(c.set(Parameter::Pm10_24h, 80.0));
    let d = DailyConcentrations::from_readings([
        (Parameter::O3_24h, 180.0),
        (Parameter::O3_8h_24h, 150.0),
        (Parameter::Co24h, 1.0),
    ]);
    assert_eq!(d.o3_1h_max.map(|x| x.value()), Some(180.0));
    assert_eq!(d.o3_8h_max.map(|x| x.value()), Some(150.0));
    assert_eq!(d.co_24h.map(|x| x.value()), Some(1.0));
}

#[test]
fn no_aqi_explains_itself_in_both_languages() {
    let e = NoAqi::Missing(vec![Pollutant::So2, Pollutant::Pm25]);
    assert_eq!(e.to_string(), "no AQI: missing data for SO₂, PM2.5");
    assert_eq!(
        e.reason_zh(),
        "无法计算AQI：缺少二氧化硫、细颗粒物(PM2.5)监测数据"
    );
    let e = NoAqi::Invalid {
        pollutant: Pollutant::Co,
        value: -1.5,
    };
    assert_eq!(
        e.reason_en(),
        "no AQI: invalid CO value -1.5 (must be a finite number ≥ 0)"
    );
    assert_eq!(
        e.reason_zh(),
        "无法计算AQI：一氧化碳数据无效（-1.5），应为非负有限数值"
    );
}

#[test]
fn hourly_aqi_dispatches_on_scale() {
    let c = HourlyConcentrations::from_readings([
        (Parameter::So2, 10.0),
        (Parameter::No2, 40.0),
        (Parameter::Co, 0.8),
        (Parameter::O3, 60.0),
        (Parameter::O3_8h, 50.0),
        (Parameter::Pm10, 80.0),
        (Parameter::Pm25, 50.0),
    ]);
    let hj = hourly_aqi(AqiScale::Hj633, &c).map(|r| (r.scale, r.aqi));
    let us = hourly_aqi(AqiScale::UsEpa, &c).map(|r| (r.scale, r.aqi));
    // HJ: PM2.5 50 → 50 + 15 × 50 / 40 = 68.75 → 69. EPA: 101 + 49 × 14.5 / 19.9 = 136.7 → 137.
    assert_eq!(hj, Ok((AqiScale::Hj633, 69)));
    assert_eq!(us, Ok((AqiScale::UsEpa, 137)));
}

// ---------------------------------------------------------------------------------------------
// Properties

fn hour_strategy() -> impl Strategy<Value = HourlyConcentrations> {
    (
        (0.0..800.0f64, 0.0..3000.0f64, 0.0..4000.0f64, 0.0..160.0f64),
        (0.0..1300.0f64, 0.0..1000.0f64),
        (0.0..700.0f64, 0.0..600.0f64),
    )
        .prop_map(|((so2, so2d, no2, co), (o3, o3_8h), (pm10, pm25))| {
            HourlyConcentrations::from_readings([
                (Parameter::So2, so2),
                (Parameter::So2_24h, so2d),
                (Parameter::No2, no2),
                (Parameter::Co, co),
                (Parameter::O3, o3),
                (Parameter::O3_8h, o3_8h),
                (Parameter::Pm10, pm10),
                (Parameter::Pm25, pm25),
            ])
        })
}

/// Raises one input by `delta` (index 0..8). SO₂ 1 h is kept at or below 800 µg/m³ for HJ 633,
/// whose note 2 makes the index fall there by design (see the hj633 tests).
fn raise(
    c: &HourlyConcentrations,
    which: usize,
    delta: f64,
    scale: AqiScale,
) -> HourlyConcentrations {
    let mut out = *c;
    let up = |x: Option<Concentration<UgM3>>| x.map(|v| Concentration::new(v.value() + delta));
    match which {
        0 => {
            out.so2_1h = up(c.so2_1h);
            if scale == AqiScale::Hj633 {
                out.so2_1h = out.so2_1h.map(|v| Concentration::new(v.value().min(800.0)));
                if c.so2_1h.map(|v| v.value()) > Some(800.0) {
                    out.so2_1h = c.so2_1h;
                }
            }
        }
        1 => out.so2_24h = up(c.so2_24h),
        2 => out.no2_1h = up(c.no2_1h),
        3 => {
            out.co_1h = c
                .co_1h
                .map(|v| Concentration::new(v.value() + delta / 10.0))
        }
        4 => out.o3_1h = up(c.o3_1h),
        5 => out.o3_8h = up(c.o3_8h),
        6 => out.pm10_1h = up(c.pm10_1h),
        _ => out.pm25_1h = up(c.pm25_1h),
    }
    out
}

proptest! {
    #[test]
    fn aqi_never_falls_when_one_concentration_rises(
        c in hour_strategy(),
        which in 0usize..8,
        delta in 0.0..500.0f64,
    ) {
        for scale in [AqiScale::Hj633, AqiScale::UsEpa] {
            let before = hourly_aqi(scale, &c);
            let after = hourly_aqi(scale, &raise(&c, which, delta, scale));
            if let (Ok(b), Ok(a)) = (&before, &after) {
                prop_assert!(a.aqi >= b.aqi, "{scale:?} input {which}: {} → {}", b.aqi, a.aqi);
            }
        }
    }

    #[test]
    fn daily_aqi_never_falls_when_one_mean_rises(
        v in proptest::array::uniform7(0.0..900.0f64),
        which in 0usize..7,
        delta in 0.0..500.0f64,
    ) {
        let make = |v: [f64; 7]| DailyConcentrations {
            so2_24h: Some(Concentration::new(v[0] * 3.0)),
            no2_24h: Some(Concentration::new(v[1])),
            co_24h: Some(Concentration::new(v[2] / 10.0)),
            pm10_24h: Some(Concentration::new(v[3])),
            pm25_24h: Some(Concentration::new(v[4])),
            // A day's highest hour is never below its highest 8-hour mean.
            o3_1h_max: Some(Concentration::new(v[5].max(v[6]) * 1.4)),
            o3_8h_max: Some(Concentration::new(v[6])),
        };
        let mut raised = v;
        raised[which] += delta;
        if which == 6 {
            raised[6] = raised[6].min(v[5].max(v[6]));
        }
        let (b, a) = (hj633_daily(&make(v)), hj633_daily(&make(raised)));
        if let (Ok(b), Ok(a)) = (b, a) {
            prop_assert!(a.aqi >= b.aqi, "input {which}: {} → {}", b.aqi, a.aqi);
        }
    }

    #[test]
    fn category_matches_the_aqi(c in hour_strategy()) {
        for scale in [AqiScale::Hj633, AqiScale::UsEpa] {
            let r = hourly_aqi(scale, &c);
            prop_assert!(r.is_ok());
            if let Ok(r) = r {
                let (lo, hi) = r.category.range();
                prop_assert!(lo <= r.aqi && r.aqi <= hi);
                prop_assert_eq!(r.category, category(scale, r.aqi));
                prop_assert!(r.aqi <= 500);
                prop_assert_eq!(r.primary.is_empty(), r.aqi <= 50);
                let max = r.sub_indices.iter().map(|s| s.iaqi).max();
                prop_assert_eq!(max, Some(r.aqi));
            }
        }
    }

    #[test]
    fn category_of_every_value(aqi in 0u16..=600, epa in any::<bool>()) {
        let scale = if epa { AqiScale::UsEpa } else { AqiScale::Hj633 };
        let c = category(scale, aqi);
        let (lo, hi) = c.range();
        prop_assert!(aqi >= lo && (aqi <= hi || c.level == 6));
        prop_assert_eq!(c.scale, scale);
    }

    #[test]
    fn any_f64_gives_a_result_never_a_panic(x in any::<f64>(), which in 0usize..8) {
        let p = [Parameter::So2, Parameter::So2_24h, Parameter::No2, Parameter::Co,
                 Parameter::O3, Parameter::O3_8h, Parameter::Pm10, Parameter::Pm25][which];
        let mut c = HourlyConcentrations::from_readings([
            // SO₂ 1 h above 800 µg/m³ (343 ppb), so that both scales use the 24-hour mean.
            (Parameter::So2, if p == Parameter::So2_24h { 900.0 } else { 1.0 }),
            (Parameter::No2, 1.0), (Parameter::Co, 0.1), (Parameter::O3, 1.0),
            (Parameter::O3_8h, 1.0), (Parameter::Pm10, 1.0), (Parameter::Pm25, 1.0),
            (Parameter::So2_24h, 1.0),
        ]);
        c.set(p, x);
        let valid = x.is_finite() && x >= 0.0;
        for scale in [AqiScale::Hj633, AqiScale::UsEpa] {
            // HJ 633's hourly AQI does not use the 8-hour O₃ mean at all.
            let used = !(scale == AqiScale::Hj633 && p == Parameter::O3_8h);
            match hourly_aqi(scale, &c) {
                Ok(r) => prop_assert!((valid || !used) && r.aqi <= 500),
                Err(NoAqi::Invalid { .. }) => prop_assert!(!valid && used),
                Err(e) => prop_assert!(false, "{e}"),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Real data: 12 Xi'an stations × 12 hours of CNEMC's 2022-01-01 release (a haze morning).

const XIAN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/data/xian/air_hourly_2022-01-01.csv"
);

#[test]
fn xian_haze_morning_is_plausible() {
    let Ok(text) = std::fs::read_to_string(XIAN) else {
        println!("skipping: {XIAN} is not present");
        return;
    };
    let mut hours: BTreeMap<(String, String), HourlyConcentrations> = BTreeMap::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        assert_eq!(f.len(), 5, "{line}");
        let parameter: Parameter = f[2].parse().expect("known parameter");
        let unit: Unit = f[4].parse().expect("known unit");
        let raw: f64 = f[3].parse().expect("number");
        let value = parameter.to_canonical(raw, unit).expect("convertible unit");
        hours
            .entry((f[0].to_string(), f[1].to_string()))
            .or_default()
            .set(parameter, value);
    }
    assert_eq!(hours.len(), 144, "12 stations × 12 hours");

    let reports: Vec<AqiReport> = hours
        .values()
        .filter_map(|c| hj633_hourly(c).ok())
        .collect();
    assert_eq!(reports.len(), 144, "every station-hour is complete");
    let pm25_primary = reports
        .iter()
        .filter(|r| r.primary.contains(&Pollutant::Pm25))
        .count();
    let polluted = reports.iter().filter(|r| r.aqi > 100).count();
    let (lo, hi) = reports
        .iter()
        .fold((u16::MAX, 0), |(lo, hi), r| (lo.min(r.aqi), hi.max(r.aqi)));
    println!(
        "Xi'an: PM2.5 primary in {pm25_primary}/144 hours; AQI {lo}–{hi}; > 100 in {polluted}/144"
    );
    // PM2.5 ranged 33–190 µg/m³ that morning: AQI 48–240, mostly 轻度 to 重度污染.
    assert!(
        pm25_primary >= 130,
        "PM2.5 primary in only {pm25_primary} hours"
    );
    assert!(
        (40..=300).contains(&lo) && (40..=300).contains(&hi),
        "{lo}–{hi}"
    );
    assert!(polluted >= 72, "AQI above 100 in only {polluted} hours");

    // One station-hour in full: 1462A at 00:00 — PM2.5 102 → 100 + 27 × 50 / 40 = 133.75 → 134.
    let key = ("1462A".to_string(), "2022-01-01T00:00:00+08:00".to_string());
    let r = hours.get(&key).map(hj633_hourly);
    assert_eq!(r.as_ref().map(|r| r.as_ref().map(|r| r.aqi)), Some(Ok(134)));

    // The EPA scale reads the same haze as worse (its PM2.5 bands are tighter).
    let epa_worse = hours
        .values()
        .filter_map(|c| Some((hj633_hourly(c).ok()?.aqi, us_epa_hourly(c).ok()?.aqi)))
        .filter(|(hj, us)| us >= hj)
        .count();
    assert!(epa_worse >= 130, "{epa_worse}");
}
