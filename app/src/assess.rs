//! Turns readings into what the public reads, with the standards engine.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use daylight_domain::aqi::{self, AqiReport, AqiScale, HourlyConcentrations, NoAqi};
use daylight_domain::parameter::Parameter;
use daylight_domain::station::{DataSource, StationKind};
use daylight_domain::water::{self, Judgement, WaterAssessment, WaterBody, WaterItem};

use crate::model::{ReadingView, StationInfo};

/// The state of a station at one hour.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Air(Result<AqiReport, NoAqi>),
    Water(Option<WaterAssessment>),
    NoData,
}

/// The AQI of one hour from its readings, on the given scale (HJ 633: CNEMC's real-time
/// practice).
pub fn air_status(readings: &[&ReadingView], scale: AqiScale) -> Result<AqiReport, NoAqi> {
    let concentrations = HourlyConcentrations::from_readings(
        readings
            .iter()
            .filter(|r| r.flag.is_valid())
            .map(|r| (r.parameter, r.value)),
    );
    aqi::hourly_aqi(scale, &concentrations)
}

/// The water class of one sample by the automatic-station judgement (GB 3838-2002).
pub fn water_status(readings: &[&ReadingView], body: WaterBody) -> Option<WaterAssessment> {
    let sample: Vec<(WaterItem, f64)> = readings
        .iter()
        .filter(|r| r.flag.is_valid())
        .filter_map(|r| WaterItem::from_parameter(r.parameter).map(|item| (item, r.value)))
        .collect();
    water::assess(&sample, body, Judgement::Automatic)
}

pub fn status(station: &StationInfo, readings: &[&ReadingView], scale: AqiScale) -> Status {
    if readings.is_empty() {
        return Status::NoData;
    }
    match station.kind {
        StationKind::Air => Status::Air(air_status(readings, scale)),
        StationKind::Water => Status::Water(water_status(
            readings,
            station.water_body.unwrap_or(WaterBody::River),
        )),
    }
}

/// Groups readings by their hour, oldest first.
pub fn by_hour(readings: &[ReadingView]) -> BTreeMap<DateTime<Utc>, Vec<&ReadingView>> {
    let mut hours: BTreeMap<DateTime<Utc>, Vec<&ReadingView>> = BTreeMap::new();
    for r in readings {
        hours.entry(r.time).or_default().push(r);
    }
    hours
}

/// The most telling source among a set of readings: anything not measured is named, so a
/// simulated value is never shown as if it were real. Simulated outranks everything, then
/// self-reported, then replayed.
pub fn combined_source(readings: &[&ReadingView]) -> Option<DataSource> {
    fn rank(s: DataSource) -> u8 {
        match s {
            DataSource::Measured => 0,
            DataSource::Replayed => 1,
            DataSource::SelfReported => 2,
            DataSource::Simulated => 3,
        }
    }
    readings.iter().map(|r| r.source).max_by_key(|s| rank(*s))
}

/// The readings of one parameter from an hour.
pub fn value_of(readings: &[&ReadingView], parameter: Parameter) -> Option<f64> {
    readings
        .iter()
        .find(|r| r.parameter == parameter)
        .map(|r| r.value)
}

/// The summary the map shows for a station's latest hour.
pub fn summarize(
    latest: &crate::model::StationLatest,
    scale: AqiScale,
) -> crate::model::StationSummary {
    use crate::model::{StationSummary, SummaryState};
    let readings: Vec<&ReadingView> = latest.latest.iter().collect();
    let state = match status(&latest.station, &readings, scale) {
        Status::Air(Ok(report)) => SummaryState::Aqi {
            aqi: report.aqi,
            primary: report.primary,
        },
        Status::Air(Err(reason)) => SummaryState::NoAqi {
            reason_zh: reason.reason_zh(),
            reason_en: reason.reason_en(),
        },
        Status::Water(Some(a)) => SummaryState::Water {
            class: a.class,
            deciding: a.deciding,
        },
        Status::Water(None) | Status::NoData => SummaryState::NoData,
    };
    let s = &latest.station;
    StationSummary {
        code: s.code.clone(),
        name: s.name.clone(),
        kind: s.kind,
        lon: s.lon,
        lat: s.lat,
        district: s.district.clone(),
        river: s.river.clone(),
        approximate: s.approximate,
        time: readings.first().map(|r| r.time),
        source: combined_source(&readings),
        state,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use daylight_domain::station::DataFlag;

    fn reading(source: DataSource) -> ReadingView {
        ReadingView {
            parameter: Parameter::Pm25,
            time: Utc.with_ymd_and_hms(2022, 1, 1, 0, 0, 0).unwrap(),
            value: 1.0,
            flag: DataFlag::Normal,
            source,
            provenance: String::new(),
        }
    }

    #[test]
    fn a_simulated_value_marks_the_whole_hour_simulated() {
        let r = [
            reading(DataSource::Measured),
            reading(DataSource::Replayed),
            reading(DataSource::Simulated),
        ];
        let refs: Vec<&ReadingView> = r.iter().collect();
        assert_eq!(combined_source(&refs), Some(DataSource::Simulated));
        assert_eq!(combined_source(&refs[..2]), Some(DataSource::Replayed));
        assert_eq!(combined_source(&[]), None);
    }
}
