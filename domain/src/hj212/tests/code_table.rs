//! Factor codes (Appendix B) and command codes (Table 9).

use super::*;

#[test]
fn daylight_parameters_by_code() {
    let cases = [
        ("w01001", Parameter::Ph, Unit::Ph),
        (
            "w01009",
            Parameter::DissolvedOxygen,
            Unit::MilligramsPerLitre,
        ),
        ("w01010", Parameter::WaterTemperature, Unit::DegreesCelsius),
        (
            "w01014",
            Parameter::Conductivity,
            Unit::MicrosiemensPerCentimetre,
        ),
        ("w01003", Parameter::Turbidity, Unit::Ntu),
        ("w01019", Parameter::CodMn, Unit::MilligramsPerLitre),
        ("w21003", Parameter::Nh3N, Unit::MilligramsPerLitre),
        (
            "w21011",
            Parameter::TotalPhosphorus,
            Unit::MilligramsPerLitre,
        ),
        ("w21001", Parameter::TotalNitrogen, Unit::MilligramsPerLitre),
    ];
    for (code, parameter, unit) in cases {
        let info = lookup(code).unwrap();
        assert_eq!(
            (info.parameter, info.unit),
            (Some(parameter), Some(unit)),
            "{code}"
        );
        assert_eq!(info.unit, Some(parameter.unit()), "{code}");
    }
    // Ambient air-quality stations (ST=22).
    let air = [
        ("a21026", Parameter::So2, Unit::MicrogramsPerCubicMetre),
        ("a21004", Parameter::No2, Unit::MicrogramsPerCubicMetre),
        ("a21005", Parameter::Co, Unit::MilligramsPerCubicMetre),
        ("a05024", Parameter::O3, Unit::MicrogramsPerCubicMetre),
        ("a34002", Parameter::Pm10, Unit::MicrogramsPerCubicMetre),
        ("a34004", Parameter::Pm25, Unit::MicrogramsPerCubicMetre),
    ];
    for (code, parameter, unit) in air {
        let info = lookup(code).unwrap();
        assert_eq!(info.parameter, Some(parameter), "{code}");
        assert_eq!(info.unit_for(codes::ST_AIR_QUALITY), Some(unit), "{code}");
        assert_eq!(unit, parameter.unit(), "{code}");
    }
    // From a flue-gas source (ST=31) the same SO2 code is in Appendix B's mg/m³.
    let so2 = lookup("a21026").unwrap();
    assert_eq!(so2.unit_for("31"), Some(Unit::MilligramsPerCubicMetre));
    assert_eq!(so2.reading("31", 6.0), Some((Parameter::So2, 6000.0)));
    assert_eq!(so2.reading("22", 6.0), Some((Parameter::So2, 6.0)));
    // Particulate matter is µg/m³ whatever the printed 纳克/立方米 says, for every system.
    for code in ["a34001", "a34002", "a34004", "a34005"] {
        let info = lookup(code).unwrap();
        assert_eq!(info.unit_for("22"), Some(Unit::MicrogramsPerCubicMetre));
        assert_eq!(info.unit_for("31"), Some(Unit::MicrogramsPerCubicMetre));
    }
}

#[test]
fn legacy_codes_map_to_current_ones() {
    let cases = [
        ("011", "w01018"),
        ("060", "w21003"),
        ("101", "w21011"),
        ("065", "w21001"),
        ("001", "w01001"),
        ("003", "w01012"),
        ("02", "a21026"),
        ("03", "a21002"),
        ("04", "a21005"),
        ("01", "a34013"),
        ("B01", "w00000"),
        ("B02", "a00000"),
        ("S01", "a19001"),
        ("S08", "a01013"),
    ];
    for (legacy, current) in cases {
        let info = lookup(legacy).unwrap_or_else(|| panic!("{legacy}"));
        assert_eq!(info.current_code, current, "{legacy}");
        assert_eq!(info.legacy_code, Some(legacy));
        assert_eq!(lookup(current), Some(info));
    }
    assert_eq!(lookup("060").unwrap().parameter, Some(Parameter::Nh3N));
}

#[test]
fn codes_without_a_daylight_parameter_are_recognised() {
    let cod = lookup("w01018").unwrap();
    assert_eq!(
        (cod.name_zh, cod.parameter, cod.unit, cod.cou_unit_text),
        ("化学需氧量", None, Some(Unit::MilligramsPerLitre), "kg")
    );
    assert!(cod.name_en.contains("COD"));
    let nox = lookup("a21002").unwrap();
    assert_eq!((nox.name_zh, nox.parameter), ("氮氧化物", None));
    assert_eq!(nox.unit, Some(Unit::MilligramsPerCubicMetre));
    let flow = lookup("w00000").unwrap();
    assert_eq!(
        (flow.unit, flow.unit_text, flow.cou_unit_text),
        (None, "L/s", "m³")
    );
    let gas_flow = lookup("a00000").unwrap();
    assert_eq!((gas_flow.unit, gas_flow.unit_text), (None, "m³/s"));
    assert_eq!(lookup("w02003").unwrap().unit_text, "个/L");
    assert_eq!(lookup("a01010").unwrap().unit_text, "");
    assert_eq!(lookup("W01018"), None);
    assert_eq!(lookup("w99999"), None);
    assert_eq!(lookup(""), None);
}

#[test]
fn code_table_is_consistent() {
    let all = codes::all();
    assert!(all.len() > 180);
    for (i, a) in all.iter().enumerate() {
        assert!(
            !a.name_zh.is_empty() && !a.name_en.is_empty(),
            "{}",
            a.current_code
        );
        assert!(
            a.unit.is_some() || !a.unit_text.is_empty() || a.current_code == "a01010",
            "{}",
            a.current_code
        );
        if let Some(unit) = a.unit {
            assert!(
                unit.symbol() == a.unit_text || unit.ascii() == a.unit_text,
                "{}: {} vs {}",
                a.current_code,
                unit.symbol(),
                a.unit_text
            );
        }
        for b in &all[i + 1..] {
            assert_ne!(a.current_code, b.current_code);
            if a.legacy_code.is_some() {
                assert_ne!(a.legacy_code, b.legacy_code, "{}", a.current_code);
            }
            if a.parameter.is_some() {
                assert_ne!(a.parameter, b.parameter, "{}", a.current_code);
            }
        }
        if let Some(legacy) = a.legacy_code {
            assert!(all.iter().all(|c| c.current_code != legacy), "{legacy}");
        }
        // Every mapped code converts to its parameter, from any system.
        if let Some(parameter) = a.parameter {
            for st in ["21", "22", "31", "32"] {
                assert_eq!(
                    a.reading(st, 1.0).map(|(p, _)| p),
                    Some(parameter),
                    "{} from ST={st}",
                    a.current_code
                );
            }
        }
    }
}

#[test]
fn commands_and_data_time_semantics() {
    for command in Command::NAMED {
        assert_eq!(Command::from_code(command.code()), command);
        assert!(command.is_pollutant_data());
    }
    assert_eq!(Command::from_code(2011), Command::RealTime);
    assert_eq!(Command::from_code(2051), Command::Minute);
    assert_eq!(Command::from_code(2061), Command::Hour);
    assert_eq!(Command::from_code(2031), Command::Day);
    assert_eq!(Command::from_code(9014), Command::Other(9014));
    assert!(!Command::Other(9014).is_pollutant_data());
    assert_eq!(
        Command::RealTime.data_time_meaning(),
        Some(DataTimeMeaning::Instant)
    );
    for c in [Command::Minute, Command::Hour, Command::Day] {
        assert_eq!(c.data_time_meaning(), Some(DataTimeMeaning::PeriodStart));
    }
    assert_eq!(Command::Other(1062).data_time_meaning(), None);
    assert_eq!(Command::Hour.period(), chrono::TimeDelta::try_hours(1));
    assert_eq!(Command::Day.period(), chrono::TimeDelta::try_days(1));
    assert_eq!(Command::Minute.period(), None);
    assert_eq!(Command::RealTime.to_string(), "2011");
    assert_eq!(Command::Other(12).to_string(), "0012");
}

#[test]
fn every_hourly_parameter_a_station_measures_has_a_code_that_reads_back_as_itself() {
    use crate::hj212::codes::{for_parameter, ST_AIR_QUALITY};
    use crate::parameter::Parameter as P;
    let air = [P::So2, P::No2, P::Co, P::O3, P::Pm10, P::Pm25];
    let water = [
        P::Ph,
        P::DissolvedOxygen,
        P::CodMn,
        P::Nh3N,
        P::TotalPhosphorus,
        P::TotalNitrogen,
        P::WaterTemperature,
        P::Conductivity,
        P::Turbidity,
    ];
    for (st, parameters) in [(ST_AIR_QUALITY, &air[..]), ("21", &water[..])] {
        for &p in parameters {
            let info = for_parameter(p).unwrap_or_else(|| panic!("{p:?} has no code"));
            // A value written in the parameter's canonical unit reads back unchanged.
            assert_eq!(info.unit_for(st), Some(p.unit()), "{p:?}");
            assert_eq!(info.reading(st, 12.5), Some((p, 12.5)), "{p:?}");
        }
    }
    // Moving means are computed, never sent.
    assert!(for_parameter(P::O3_8h).is_none());
    assert!(for_parameter(P::Pm25_24h).is_none());
}
