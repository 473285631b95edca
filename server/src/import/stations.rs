use std::io::Read;
use std::str::FromStr;

use daylight_domain::geo::LonLat;
use daylight_domain::station::{StationCode, StationKind};
use daylight_domain::water::WaterBody;
use daylight_store::Station;

use super::{parse_csv, Columns, Parsed};

const REQUIRED: [&str; 7] = [
    "code",
    "name",
    "kind",
    "lon",
    "lat",
    "district",
    "water_body",
];

/// Parses a stations CSV (see docs/import-formats.md).
pub fn parse_stations(input: impl Read) -> Parsed<Station> {
    parse_csv(
        input,
        &REQUIRED,
        station_from_record,
        |s| s.code.clone(),
        |s| format!("station {} appears twice", s.code),
    )
}

fn station_from_record(c: &Columns, r: &csv::StringRecord) -> Result<Station, String> {
    let code = StationCode::parse(c.get(r, "code")).map_err(|e| format!("code: {e}"))?;
    let name = c.get(r, "name");
    if name.is_empty() {
        return Err("name is empty".into());
    }
    let kind = StationKind::from_str(c.get(r, "kind"))
        .map_err(|_| format!("kind must be 'air' or 'water', not '{}'", c.get(r, "kind")))?;
    let lon = parse_number(c.get(r, "lon"), "lon")?;
    let lat = parse_number(c.get(r, "lat"), "lat")?;
    let position = LonLat::new(lon, lat).map_err(|e| format!("position: {e}"))?;
    let water_body_raw = c.get(r, "water_body");
    let water_body = match (kind, water_body_raw) {
        (StationKind::Air, "") => None,
        (StationKind::Air, other) => {
            return Err(format!(
                "water_body must be empty for an air station, not '{other}'"
            ))
        }
        (StationKind::Water, "") => {
            return Err(
                "water_body is required for a water section: river, lake or reservoir".into(),
            )
        }
        (StationKind::Water, raw) => Some(
            WaterBody::from_str(raw)
                .map_err(|_| format!("water_body must be river, lake or reservoir, not '{raw}'"))?,
        ),
    };
    let approximate = match c.get(r, "approximate").to_ascii_lowercase().as_str() {
        "" | "false" | "0" | "no" => false,
        "true" | "1" | "yes" => true,
        other => return Err(format!("approximate must be true or false, not '{other}'")),
    };
    let non_empty = |name: &str| Some(c.get(r, name).to_string()).filter(|s| !s.is_empty());
    Ok(Station {
        code,
        name: name.to_string(),
        kind,
        position,
        district: non_empty("district"),
        water_body,
        river: non_empty("river"),
        position_approximate: approximate,
        provenance: non_empty("provenance")
            .or_else(|| non_empty("placement_note"))
            .unwrap_or_default(),
    })
}

pub(crate) fn parse_number(raw: &str, what: &str) -> Result<f64, String> {
    match raw.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ if raw.is_empty() => Err(format!("{what} is empty")),
        _ => Err(format!("{what} is not a number: '{raw}'")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_rows_parse_and_bad_rows_name_their_line() {
        let csv = "code,name,kind,lon,lat,district,water_body,river,approximate\n\
                   1462A,高压开关厂,air,108.882,34.2749,莲湖区,,,\n\
                   W-BAHEKOU,灞河口,water,109.03,34.43,灞桥区,river,灞河,true\n\
                   BAD/CODE,x,air,1,1,,,,\n\
                   X1,x,soil,1,1,,,,\n\
                   X2,x,air,200,1,,,,\n\
                   X3,x,water,1,1,,,,\n";
        let parsed = parse_stations(csv.as_bytes());
        assert_eq!(parsed.rows.len(), 2);
        assert!(parsed.rows[1].position_approximate);
        assert_eq!(parsed.rows[1].water_body, Some(WaterBody::River));
        let lines: Vec<u64> = parsed.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![4, 5, 6, 7]);
        assert!(parsed.errors[1].message.contains("kind"));
        assert!(parsed.errors[3].message.contains("water_body"));
    }

    #[test]
    fn missing_columns_are_reported_once() {
        let parsed = parse_stations("code,name\nA,b\n".as_bytes());
        assert!(parsed.rows.is_empty());
        assert_eq!(parsed.errors.len(), 1);
        assert!(parsed.errors[0].message.contains("kind"));
    }
}
