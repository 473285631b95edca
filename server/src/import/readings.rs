use std::collections::HashMap;
use std::io::Read;

use daylight_domain::station::{DataSource, StationCode, StationKind};
use daylight_store::Reading;

use super::validate::{check_reading, RawValue, ReadingError, ReadingFields, ReadingRules};
use super::{parse_csv, Columns, Parsed};

const REQUIRED: [&str; 5] = ["station_code", "time", "parameter", "value", "unit"];

/// Parses a readings CSV in long format (see docs/import-formats.md). Values are converted
/// to each parameter's canonical unit; a station must already exist.
pub fn parse_readings(
    input: impl Read,
    known_stations: &HashMap<StationCode, StationKind>,
    default_source: DataSource,
) -> Parsed<Reading> {
    parse_csv(
        input,
        &REQUIRED,
        |columns, record| reading_from_record(columns, record, known_stations, default_source),
        |r| (r.station.clone(), r.parameter, r.time),
        |r| {
            format!(
                "a second value for {} {} at {}",
                r.station,
                r.parameter.code(),
                r.time.to_rfc3339()
            )
        },
    )
}

fn reading_from_record(
    c: &Columns,
    r: &csv::StringRecord,
    known: &HashMap<StationCode, StationKind>,
    default_source: DataSource,
) -> Result<Reading, String> {
    let fields = ReadingFields {
        station: c.get(r, "station_code"),
        time: c.get(r, "time"),
        parameter: c.get(r, "parameter"),
        value: RawValue::Text(c.get(r, "value")),
        unit: c.get(r, "unit"),
        flag: Some(c.get(r, "flag")),
        source: Some(c.get(r, "source")),
    };
    let rules = ReadingRules {
        default_source,
        ..ReadingRules::IMPORT
    };
    check_reading(&fields, known, &rules).map_err(|e| match e {
        // The file's own words: the column, and what to do about a missing station.
        ReadingError::BadStationCode(e) => format!("station_code: {e}"),
        ReadingError::UnknownStation(code) => {
            format!("unknown station '{code}' (import it with `daylight import stations` first)")
        }
        e => e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use daylight_domain::station::DataFlag;
    use daylight_domain::units::Unit;

    fn known() -> HashMap<StationCode, StationKind> {
        [("1462A", StationKind::Air), ("W-X", StationKind::Water)]
            .iter()
            .map(|(c, k)| (StationCode::parse(c).unwrap(), *k))
            .collect()
    }

    #[test]
    fn water_parameters_at_air_stations_and_unknown_flags_are_rejected() {
        let csv = "station_code,time,parameter,value,unit,flag\n\
                   1462A,2022-01-01T00:00:00+08:00,pH,7,pH,N\n\
                   1462A,2022-01-01T00:00:00+08:00,CO,1,mg/m3,x\n\
                   1462A,2022-01-01T00:00:00+08:00,NO2,1,ug/m3,d\n";
        let parsed = parse_readings(csv.as_bytes(), &known(), DataSource::Measured);
        assert_eq!(parsed.errors.len(), 2, "{:?}", parsed.errors);
        assert!(parsed.errors[0].message.contains("water"));
        assert!(parsed.errors[1].message.contains("flag"));
        assert_eq!(parsed.rows[0].flag, DataFlag::Fault);
    }

    #[test]
    fn readings_convert_units_and_keep_time_in_utc() {
        let csv = "station_code,time,parameter,value,unit\n\
                   1462A,2022-01-01T08:00:00+08:00,CO,1.6,mg/m3\n\
                   1462A,2022-01-01T08:00:00+08:00,PM2.5,0.102,mg/m3\n\
                   W-X,2022-01-01T08:00:00+08:00,NH3-N,0.5,mg/L\n";
        let parsed = parse_readings(csv.as_bytes(), &known(), DataSource::Measured);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        assert_eq!(
            parsed.rows[0].time.to_rfc3339(),
            "2022-01-01T00:00:00+00:00"
        );
        assert!((parsed.rows[1].value - 102.0).abs() < 1e-9);
        assert_eq!(parsed.rows[1].unit, Unit::MicrogramsPerCubicMetre);
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        let csv = "station_code,time,parameter,value,unit\n\
                   9999A,2022-01-01T00:00:00+08:00,CO,1,mg/m3\n\
                   1462A,2022-01-01 00:00,CO,1,mg/m3\n\
                   1462A,2022-01-01T00:00:00+08:00,PM3,1,ug/m3\n\
                   1462A,2022-01-01T00:00:00+08:00,CO,abc,mg/m3\n\
                   1462A,2022-01-01T00:00:00+08:00,CO,1,furlongs\n\
                   1462A,2022-01-01T00:00:00+08:00,CO,1,mg/L\n\
                   1462A,2022-01-01T00:00:00+08:00,SO2,-3,ug/m3\n\
                   1462A,2022-01-01T00:00:00+08:00,NO2,3,ug/m3\n\
                   1462A,2022-01-01T00:00:00+08:00,NO2,4,ug/m3\n";
        let parsed = parse_readings(csv.as_bytes(), &known(), DataSource::Measured);
        let lines: Vec<u64> = parsed.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 5, 6, 7, 8, 10]);
        assert!(parsed.errors[0].message.contains("unknown station"));
        assert!(parsed.errors[1].message.contains("offset"));
        assert!(parsed.errors[2].message.contains("PM3"));
        assert_eq!(parsed.rows.len(), 1);
    }
}
