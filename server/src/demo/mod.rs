//! The built-in Xi'an demo: real stations, hours, boundaries and water sections, loaded into
//! an empty data directory, and a feed of clearly labelled simulated values that keeps the
//! map alive.

pub mod enterprises;
pub mod feed;
pub mod loggers;

use std::collections::HashMap;

use anyhow::{bail, Context};
use chrono::{NaiveDateTime, TimeZone};
use daylight_domain::geo::LonLat;
use daylight_domain::parameter::Parameter;
use daylight_domain::station::{DataFlag, DataSource, StationCode, StationKind};
use daylight_store::{Reading, Station, Store};

use crate::cli::Datum;
use crate::import;

/// CNEMC's 18 national air stations of Xi'an (station list of 2022-02-13).
const AIR_STATIONS: &str = include_str!("../../demo/air_stations.csv");
/// 12 real hours of the hourly release, 2022-01-01 00:00–11:00 +08:00.
const AIR_HOURLY: &str = include_str!("../../demo/air_hourly_2022-01-01.csv");
/// The 13 districts of Xi'an from DataV GeoAtlas, in GCJ-02.
const DISTRICTS: &str = include_str!("../../demo/districts.geojson");
/// Our approximate placement of the Shaanxi national water sections.
const WATER_SECTIONS: &str = include_str!("../../demo/water_sections.csv");
/// One real snapshot of those sections, 2026-07-09 20:00–22:00 +08:00.
const WATER_SNAPSHOT: &str = include_str!("../../demo/shaanxi_water_snapshot_2026-07-09.csv");

const AIR_PROVENANCE: &str = "CNEMC 国控站点列表 (2022-02-13)";

/// Loads the demo into an empty store.
pub async fn load(store: &dyn Store) -> anyhow::Result<()> {
    let districts = import::parse_districts(DISTRICTS, Datum::Gcj02)
        .map_err(|e| anyhow::anyhow!("demo districts: {:?}", e))?;
    store.upsert_districts(&districts).await?;

    let mut stations = air_stations()?;
    let water = import::parse_stations(WATER_SECTIONS.as_bytes());
    if !water.errors.is_empty() {
        bail!("demo water sections: {:?}", water.errors);
    }
    stations.extend(water.rows);
    store.upsert_stations(&stations).await?;

    let known: HashMap<StationCode, StationKind> =
        stations.iter().map(|s| (s.code.clone(), s.kind)).collect();
    let air = import::parse_readings(AIR_HOURLY.as_bytes(), &known, DataSource::Measured);
    if !air.errors.is_empty() {
        bail!("demo air readings: {:?}", air.errors);
    }
    store.upsert_readings(&air.rows).await?;

    let by_name: HashMap<&str, &StationCode> = stations
        .iter()
        .filter(|s| s.kind == StationKind::Water)
        .map(|s| (s.name.as_str(), &s.code))
        .collect();
    let water_readings = water_snapshot(&by_name)?;
    store.upsert_readings(&water_readings).await?;
    // Fictional enterprises with simulated outlet values (issue 5; not on the map yet).
    enterprises::load(store, chrono::Utc::now()).await?;
    tracing::info!(
        stations = stations.len(),
        districts = districts.len(),
        readings = air.rows.len() + water_readings.len(),
        "loaded the built-in Xi'an demo"
    );
    Ok(())
}

fn air_stations() -> anyhow::Result<Vec<Station>> {
    let mut reader = csv::Reader::from_reader(AIR_STATIONS.as_bytes());
    let mut out = Vec::new();
    for record in reader.records() {
        let r = record?;
        let field = |i: usize| r.get(i).map(str::trim).unwrap_or_default();
        let lon: f64 = field(2).parse().context("demo air station lon")?;
        let lat: f64 = field(3).parse().context("demo air station lat")?;
        out.push(Station {
            code: StationCode::parse(field(0))?,
            name: field(1).to_string(),
            kind: StationKind::Air,
            position: LonLat::new(lon, lat)?,
            district: Some(field(4).to_string()).filter(|d| !d.is_empty()),
            water_body: None,
            river: None,
            position_approximate: false,
            provenance: AIR_PROVENANCE.to_string(),
        });
    }
    Ok(out)
}

/// The snapshot is wide (one row per section); readings are long.
fn water_snapshot(by_name: &HashMap<&str, &StationCode>) -> anyhow::Result<Vec<Reading>> {
    const COLUMNS: [(&str, Parameter); 9] = [
        ("water_temp_c", Parameter::WaterTemperature),
        ("ph", Parameter::Ph),
        ("do_mg_l", Parameter::DissolvedOxygen),
        ("conductivity_us_cm", Parameter::Conductivity),
        ("turbidity_ntu", Parameter::Turbidity),
        ("codmn_mg_l", Parameter::CodMn),
        ("nh3n_mg_l", Parameter::Nh3N),
        ("tp_mg_l", Parameter::TotalPhosphorus),
        ("tn_mg_l", Parameter::TotalNitrogen),
    ];
    let mut reader = csv::Reader::from_reader(WATER_SNAPSHOT.as_bytes());
    let headers = reader.headers()?.clone();
    let column = |name: &str| headers.iter().position(|h| h == name);
    let name_col = column("section_name").context("snapshot: section_name")?;
    let time_col = column("monitor_time_local").context("snapshot: monitor_time_local")?;
    let shanghai = chrono::FixedOffset::east_opt(8 * 3600).context("offset")?;
    let mut out = Vec::new();
    for record in reader.records() {
        let r = record?;
        let name = r.get(name_col).unwrap_or_default();
        let Some(code) = by_name.get(name) else {
            bail!("snapshot section '{name}' has no entry in water_sections.csv");
        };
        let local =
            NaiveDateTime::parse_from_str(r.get(time_col).unwrap_or_default(), "%Y-%m-%dT%H:%M")?;
        let time = shanghai
            .from_local_datetime(&local)
            .single()
            .context("snapshot time")?
            .with_timezone(&chrono::Utc);
        for (col, parameter) in COLUMNS {
            let Some(raw) = column(col)
                .and_then(|i| r.get(i))
                .filter(|v| !v.trim().is_empty())
            else {
                continue;
            };
            out.push(Reading {
                station: (*code).clone(),
                parameter,
                time,
                value: raw
                    .trim()
                    .parse()
                    .with_context(|| format!("snapshot {name} {col}"))?,
                unit: parameter.unit(),
                flag: DataFlag::Normal,
                source: DataSource::Measured,
                provenance: String::new(),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_snapshot_section_is_placed() {
        let water = import::parse_stations(WATER_SECTIONS.as_bytes());
        assert!(water.errors.is_empty(), "{:?}", water.errors);
        let by_name: HashMap<&str, &StationCode> = water
            .rows
            .iter()
            .map(|s| (s.name.as_str(), &s.code))
            .collect();
        let readings = water_snapshot(&by_name).unwrap();
        let sections: HashSet<_> = readings.iter().map(|r| r.station.clone()).collect();
        assert_eq!(sections.len(), 35);
        assert!(water.rows.iter().all(|s| s.position_approximate));
    }

    #[test]
    fn all_eighteen_air_stations_load() {
        assert_eq!(air_stations().unwrap().len(), 18);
    }
}
