//! Enterprises, their outlets and the outlets' limits as CSV (see docs/import-formats.md).

use std::collections::{HashMap, HashSet};
use std::io::Read;

use daylight_domain::enterprise::{
    Averaging, CreditCode, Frequency, Limit, Method, OutletCode, OutletKind, Pollutant,
};
use daylight_domain::geo::LonLat;
use daylight_domain::units::Unit;
use daylight_store::{Enterprise, Outlet, OutletLimit};

use super::stations::parse_number;
use super::{parse_csv, Columns, Parsed};

const ENTERPRISE_COLUMNS: [&str; 4] = ["credit_code", "name", "industry", "district"];
const OUTLET_COLUMNS: [&str; 3] = ["credit_code", "outlet", "kind"];
const LIMIT_COLUMNS: [&str; 8] = [
    "credit_code",
    "outlet",
    "pollutant",
    "limit",
    "standard",
    "averaging",
    "method",
    "frequency",
];

fn credit_code(c: &Columns, r: &csv::StringRecord) -> Result<CreditCode, String> {
    CreditCode::parse(c.get(r, "credit_code")).map_err(|e| format!("credit_code: {e}"))
}

fn outlet_code(c: &Columns, r: &csv::StringRecord) -> Result<OutletCode, String> {
    OutletCode::parse(c.get(r, "outlet")).map_err(|e| format!("outlet: {e}"))
}

/// An optional position from `lon` and `lat`: both or neither.
fn position(c: &Columns, r: &csv::StringRecord) -> Result<Option<LonLat>, String> {
    match (c.get(r, "lon"), c.get(r, "lat")) {
        ("", "") => Ok(None),
        (lon, lat) => {
            let lon = parse_number(lon, "lon")?;
            let lat = parse_number(lat, "lat")?;
            LonLat::new(lon, lat)
                .map(Some)
                .map_err(|e| format!("position: {e}"))
        }
    }
}

fn boolean(c: &Columns, r: &csv::StringRecord, name: &str) -> Result<bool, String> {
    match c.get(r, name).to_ascii_lowercase().as_str() {
        "" | "false" | "0" | "no" => Ok(false),
        "true" | "1" | "yes" => Ok(true),
        other => Err(format!("{name} must be true or false, not '{other}'")),
    }
}

fn one_of<T: std::str::FromStr + Copy>(
    c: &Columns,
    r: &csv::StringRecord,
    name: &str,
    all: &[T],
    text: impl Fn(T) -> &'static str,
) -> Result<T, String> {
    let raw = c.get(r, name);
    raw.parse().map_err(|_| {
        let names: Vec<&str> = all.iter().map(|v| text(*v)).collect();
        format!("{name} must be one of {}, not '{raw}'", names.join(", "))
    })
}

/// Parses an enterprises CSV.
pub fn parse_enterprises(input: impl Read) -> Parsed<Enterprise> {
    parse_csv(
        input,
        &ENTERPRISE_COLUMNS,
        enterprise_from_record,
        |e| e.credit_code.clone(),
        |e| format!("enterprise {} appears twice", e.credit_code),
    )
}

fn enterprise_from_record(c: &Columns, r: &csv::StringRecord) -> Result<Enterprise, String> {
    let credit_code = credit_code(c, r)?;
    let name = c.get(r, "name");
    if name.is_empty() {
        return Err("name is empty".into());
    }
    let non_empty = |name: &str| Some(c.get(r, name).to_string()).filter(|s| !s.is_empty());
    Ok(Enterprise {
        credit_code,
        name: name.to_string(),
        permit_number: c.get(r, "permit_number").to_string(),
        industry: c.get(r, "industry").to_string(),
        district: non_empty("district"),
        address: c.get(r, "address").to_string(),
        position: position(c, r)?,
        key_unit: c.get(r, "key_unit").to_string(),
        demo: boolean(c, r, "demo")?,
        provenance: c.get(r, "provenance").to_string(),
    })
}

/// Parses an outlets CSV; every enterprise must be in `known` (stored or in the same run).
pub fn parse_outlets(input: impl Read, known: &HashSet<CreditCode>) -> Parsed<Outlet> {
    parse_csv(
        input,
        &OUTLET_COLUMNS,
        |c, r| outlet_from_record(c, r, known),
        |o| (o.enterprise.clone(), o.code.clone()),
        |o| format!("outlet {} of {} appears twice", o.code, o.enterprise),
    )
}

fn outlet_from_record(
    c: &Columns,
    r: &csv::StringRecord,
    known: &HashSet<CreditCode>,
) -> Result<Outlet, String> {
    let enterprise = credit_code(c, r)?;
    if !known.contains(&enterprise) {
        return Err(format!(
            "enterprise {enterprise} is not registered (import it first)"
        ));
    }
    let code = outlet_code(c, r)?;
    let kind = one_of(c, r, "kind", OutletKind::ALL, OutletKind::as_str)?;
    let stack_height = match c.get(r, "stack_height") {
        "" => None,
        raw => {
            let h = parse_number(raw, "stack_height")?;
            if kind == OutletKind::Water {
                return Err("stack_height applies only to an air outlet".into());
            }
            if !(0.0..=500.0).contains(&h) {
                return Err(format!("stack_height must be 0 to 500 m, not {h}"));
            }
            Some(h)
        }
    };
    let receiving_water = match c.get(r, "receiving_water") {
        "" => None,
        _ if kind == OutletKind::Air => {
            return Err("receiving_water applies only to a water outlet".into());
        }
        name if name.chars().count() > 100 => {
            return Err("receiving_water is longer than 100 characters".into());
        }
        name => Some(name.to_string()),
    };
    Ok(Outlet {
        enterprise,
        code,
        name: c.get(r, "name").to_string(),
        kind,
        position: position(c, r)?,
        stack_height,
        receiving_water,
    })
}

/// Parses a limits CSV; every outlet must be in `known` with its kind.
pub fn parse_limits(
    input: impl Read,
    known: &HashMap<(CreditCode, OutletCode), OutletKind>,
) -> Parsed<OutletLimit> {
    parse_csv(
        input,
        &LIMIT_COLUMNS,
        |c, r| limit_from_record(c, r, known),
        |l| (l.enterprise.clone(), l.outlet.clone(), l.pollutant),
        |l| {
            format!(
                "a second limit for {} at outlet {} of {}",
                l.pollutant, l.outlet, l.enterprise
            )
        },
    )
}

fn limit_from_record(
    c: &Columns,
    r: &csv::StringRecord,
    known: &HashMap<(CreditCode, OutletCode), OutletKind>,
) -> Result<OutletLimit, String> {
    let enterprise = credit_code(c, r)?;
    let outlet = outlet_code(c, r)?;
    let Some(kind) = known.get(&(enterprise.clone(), outlet.clone())).copied() else {
        return Err(format!(
            "outlet {outlet} of {enterprise} is not registered (import it first)"
        ));
    };
    let pollutant = one_of(c, r, "pollutant", Pollutant::ALL, Pollutant::as_str)?;
    if pollutant.kind() != kind {
        return Err(format!(
            "pollutant {pollutant} is not measured at a {kind} outlet"
        ));
    }
    let value = parse_number(c.get(r, "limit"), "limit")?;
    if value <= 0.0 {
        return Err(format!("limit must be above 0, not {value}"));
    }
    let unit = match c.get(r, "unit") {
        "" => pollutant.unit(),
        raw => {
            let unit: Unit = raw.parse().map_err(|_| format!("unknown unit '{raw}'"))?;
            if unit != pollutant.unit() {
                return Err(format!(
                    "the limit of {pollutant} must be in {}, not {unit}",
                    pollutant.unit()
                ));
            }
            unit
        }
    };
    let standard = c.get(r, "standard");
    if standard.is_empty() {
        return Err("standard is empty: cite the standard and table of the limit".into());
    }
    Ok(OutletLimit {
        enterprise,
        outlet,
        pollutant,
        limit: Limit {
            value,
            unit,
            standard: standard.to_string(),
            averaging: one_of(c, r, "averaging", Averaging::ALL, Averaging::as_str)?,
        },
        method: one_of(c, r, "method", Method::ALL, Method::as_str)?,
        frequency: one_of(c, r, "frequency", Frequency::ALL, Frequency::as_str)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "91350100M000100Y43";

    #[test]
    fn enterprises_parse_and_bad_rows_name_their_line() {
        let csv = "credit_code,name,industry,district,lon,lat,demo\n\
                   91350100M000100Y43,示例企业 A,火力发电,灞桥区,109.06,34.27,true\n\
                   91350100M000100Y44,示例企业 B,火力发电,灞桥区,,,\n\
                   914403001922038216,,造纸,未央区,,,\n\
                   91110000802100433B,示例企业 C,造纸,未央区,109,,\n\
                   91350100M000100Y43,again,x,y,,,\n";
        let parsed = parse_enterprises(csv.as_bytes());
        assert_eq!(parsed.rows.len(), 1);
        assert!(parsed.rows[0].demo);
        let lines: Vec<u64> = parsed.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6]);
        assert!(parsed.errors[0].message.contains("check character"));
        assert!(parsed.errors[1].message.contains("name"));
        assert!(parsed.errors[2].message.contains("lat"));
        assert!(parsed.errors[3].message.contains("twice"));
    }

    #[test]
    fn outlets_and_limits_need_their_owner() {
        let known: HashSet<_> = [CreditCode::parse(A).unwrap()].into();
        let csv = "credit_code,outlet,name,kind,stack_height,receiving_water\n\
                   91350100M000100Y43,DA001,1号烟囱,air,120,\n\
                   91350100M000100Y43,DW001,总排口,water,10,\n\
                   914403001922038216,DA001,x,air,,\n\
                   91350100M000100Y43,DA002,x,smoke,,\n\
                   91350100M000100Y43,DW002,2号排口,water,, 灞河 \n\
                   91350100M000100Y43,DA003,2号烟囱,air,,灞河\n";
        let parsed = parse_outlets(csv.as_bytes(), &known);
        assert_eq!(parsed.rows.len(), 2);
        assert_eq!(parsed.rows[0].receiving_water, None);
        // Trimmed like every field.
        assert_eq!(parsed.rows[1].receiving_water.as_deref(), Some("灞河"));
        let lines: Vec<u64> = parsed.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 7]);
        assert!(parsed.errors[1].message.contains("not registered"));
        assert!(parsed.errors[3].message.contains("water outlet"));

        let outlets: HashMap<_, _> = [(
            (
                CreditCode::parse(A).unwrap(),
                OutletCode::parse("DA001").unwrap(),
            ),
            OutletKind::Air,
        )]
        .into();
        let csv = "credit_code,outlet,pollutant,limit,unit,standard,averaging,method,frequency\n\
                   91350100M000100Y43,DA001,a21026,35,mg/m3,GB 13223-2011 表1,1h,automatic,hourly\n\
                   91350100M000100Y43,DA001,w01018,50,,GB 8978-1996,24h,manual,monthly\n\
                   91350100M000100Y43,DA001,a21002,0,,GB 13223-2011 表1,1h,automatic,hourly\n\
                   91350100M000100Y43,DA001,a34013,10,mg/L,GB 13223-2011 表1,1h,automatic,hourly\n\
                   91350100M000100Y43,DA001,a34013,10,,,1h,automatic,hourly\n\
                   91350100M000100Y43,DA009,a34013,10,,GB 13223-2011,1h,automatic,hourly\n\
                   91350100M000100Y43,DA001,a21002,50,,GB 13223-2011 表1,8h,automatic,hourly\n";
        let parsed = parse_limits(csv.as_bytes(), &outlets);
        assert_eq!(parsed.rows.len(), 1);
        assert_eq!(parsed.rows[0].limit.unit, Unit::MilligramsPerCubicMetre);
        let messages: Vec<String> = parsed.errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(messages.len(), 6, "{messages:?}");
        assert!(messages[0].starts_with("line 3: pollutant w01018"));
        assert!(messages[1].contains("above 0"));
        assert!(messages[2].contains("mg/m³"));
        assert!(messages[3].contains("standard"));
        assert!(messages[4].contains("not registered"));
        assert!(messages[5].contains("averaging"));
    }
}
