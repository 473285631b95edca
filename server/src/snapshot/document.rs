//! The frozen state of a station or water page: what [`capture`] reads from the store and
//! works out once, at the moment of the click. Stored as JSON (migration 0014) and read back
//! as it was written; nothing here is ever recomputed from readings after the fact, so a
//! later correction of a value leaves every snapshot of it as it was cited.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use daylight_app::assess::{air_status, combined_source, water_status};
use daylight_app::data::{self, SiteContext};
use daylight_app::model::ReadingView;
use daylight_domain::aqi::{AqiScale, Pollutant};
use daylight_domain::parameter::Parameter;
use daylight_domain::station::{StationCode, StationKind};
use daylight_domain::water::{WaterBody, WaterItem};
use daylight_store::{StoreError, TimeRange};
use serde::{Deserialize, Serialize};

use crate::api::licence;

/// The document's layout version, so that a reader of an old snapshot knows what it holds.
pub const VERSION: u32 = 1;

/// A name in both languages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Name {
    pub zh: String,
    pub en: String,
}

impl Name {
    fn of(zh: &str, en: &str) -> Self {
        Self {
            zh: zh.to_string(),
            en: en.to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrozenStation {
    pub code: String,
    pub name: String,
    /// `air` or `water`.
    pub kind: String,
    pub district: Option<String>,
    pub river: Option<String>,
    /// `river`, `lake` or `reservoir` (water sections).
    pub water_body: Option<String>,
    pub lon: f64,
    pub lat: f64,
    pub provenance: String,
}

/// One value as the page showed it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrozenValue {
    /// The parameter's code (`PM2.5`, `NH3-N`…).
    pub parameter: String,
    pub name: Name,
    pub value: f64,
    /// The unit in ASCII (`ug/m3`, `mg/L`).
    pub unit: String,
    /// The HJ 212 data flag (`N` normal).
    pub flag: String,
    /// `measured`, `replayed`, `self_reported` or `simulated`.
    pub source: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub provenance: String,
    /// The sub-index on each scale, for the six pollutants of the hourly AQI.
    pub iaqi_hj633: Option<u16>,
    pub iaqi_us_epa: Option<u16>,
    /// The class of this item (GB 3838-2002), for the water items that are judged.
    pub water_class: Option<String>,
}

/// The AQI of one hour on one scale, or why there is none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrozenAqi {
    /// `hj633` or `us-epa`.
    pub scale: String,
    pub aqi: Option<u16>,
    pub level: Option<u8>,
    pub category: Option<Name>,
    pub color: Option<String>,
    pub primary: Vec<Name>,
    /// Why there is no AQI (missing or invalid values).
    pub reason: Option<Name>,
}

/// The water class of one hour (GB 3838-2002, automatic-station judgement).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrozenWater {
    /// `I` … `V`, `劣V`.
    pub class: String,
    pub label: Name,
    pub quality: Name,
    pub color: String,
    pub deciding: Vec<Name>,
    pub missing: Vec<Name>,
}

/// One hour of the page: its values and what they meant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrozenHour {
    pub time: DateTime<Utc>,
    pub values: Vec<FrozenValue>,
    /// Air: the AQI on HJ 633 and on the US EPA scale.
    pub aqi_hj633: Option<FrozenAqi>,
    pub aqi_us_epa: Option<FrozenAqi>,
    /// Water: the class.
    pub water: Option<FrozenWater>,
    /// The most telling source of the hour's values (simulated outranks measured).
    pub source: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribution {
    pub zh: String,
    pub en: String,
    pub licence: String,
    pub licence_url: String,
}

/// Everything a snapshot shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub version: u32,
    pub taken: DateTime<Utc>,
    pub station: FrozenStation,
    /// The hours of the page's trend (24 for air, 48 for water), oldest first; the last is
    /// the latest hour the page showed. Empty when the station had no data.
    pub window_hours: u32,
    pub hours: Vec<FrozenHour>,
    pub attribution: Attribution,
}

impl Document {
    /// The latest hour, as the page's headline and table showed it.
    pub fn latest(&self) -> Option<&FrozenHour> {
        self.hours.last()
    }

    pub fn is_air(&self) -> bool {
        self.station.kind == StationKind::Air.as_str()
    }
}

/// Reads what the station's page shows now and freezes it. None for an unknown code.
pub async fn capture(
    site: &SiteContext,
    code: &StationCode,
    taken: DateTime<Utc>,
) -> Result<Option<Document>, StoreError> {
    let Some(station) = site.store.station(code).await? else {
        return Ok(None);
    };
    let info = data::station_info(&station);
    let window = data::window_hours(station.kind);
    let readings = match site.store.latest_time(code).await? {
        Some(latest) => {
            let range = TimeRange {
                from: latest - Duration::hours(i64::from(window) - 1),
                to: latest + Duration::seconds(1),
            };
            site.store.readings(code, range, None).await?
        }
        None => Vec::new(),
    };
    let views: Vec<ReadingView> = readings.iter().map(data::reading_view).collect();
    let mut by_hour: BTreeMap<DateTime<Utc>, Vec<&ReadingView>> = BTreeMap::new();
    for r in &views {
        by_hour.entry(r.time).or_default().push(r);
    }
    let body = info.water_body.unwrap_or(WaterBody::River);
    let hours = by_hour
        .into_iter()
        .map(|(time, mut readings)| {
            readings.sort_by_key(|r| Parameter::ALL.iter().position(|p| *p == r.parameter));
            freeze_hour(info.kind, body, time, &readings)
        })
        .collect();
    Ok(Some(Document {
        version: VERSION,
        taken,
        station: FrozenStation {
            code: info.code.as_str().to_string(),
            name: info.name.clone(),
            kind: info.kind.as_str().to_string(),
            district: info.district.clone(),
            river: info.river.clone(),
            water_body: info.water_body.map(|b| b.as_str().to_string()),
            lon: info.lon,
            lat: info.lat,
            provenance: info.provenance.clone(),
        },
        window_hours: window,
        hours,
        attribution: Attribution {
            zh: format!("阳光环境 Daylight · {}", licence::CNEMC_ATTRIBUTION_ZH),
            en: format!("Daylight · {}", licence::CNEMC_ATTRIBUTION_EN),
            licence: licence::LICENCE_NAME.to_string(),
            licence_url: licence::LICENCE_URL.to_string(),
        },
    }))
}

fn freeze_hour(
    kind: StationKind,
    body: WaterBody,
    time: DateTime<Utc>,
    readings: &[&ReadingView],
) -> FrozenHour {
    let (hj633, epa, water) = match kind {
        StationKind::Air => (
            Some(air_status(readings, AqiScale::Hj633)),
            Some(air_status(readings, AqiScale::UsEpa)),
            None,
        ),
        StationKind::Water => (None, None, water_status(readings, body)),
    };
    let iaqi = |report: &Option<Result<daylight_domain::aqi::AqiReport, _>>, p: Parameter| {
        let pollutant = pollutant_of(p)?;
        let Some(Ok(report)) = report else {
            return None;
        };
        report
            .sub_indices
            .iter()
            .find(|si| si.pollutant == pollutant)
            .map(|si| si.iaqi)
    };
    let values = readings
        .iter()
        .map(|r| FrozenValue {
            parameter: r.parameter.code().to_string(),
            name: Name::of(r.parameter.name_zh(), r.parameter.name_en()),
            value: r.value,
            unit: r.parameter.unit().ascii().to_string(),
            flag: r.flag.code().to_string(),
            source: r.source.as_str().to_string(),
            provenance: r.provenance.clone(),
            iaqi_hj633: iaqi(&hj633, r.parameter),
            iaqi_us_epa: iaqi(&epa, r.parameter),
            water_class: water.as_ref().and_then(|a| {
                let item = WaterItem::from_parameter(r.parameter)?;
                a.items
                    .iter()
                    .find(|ic| ic.item == item)
                    .map(|ic| ic.class.roman().to_string())
            }),
        })
        .collect();
    FrozenHour {
        time,
        values,
        aqi_hj633: hj633.map(|r| freeze_aqi(AqiScale::Hj633, r)),
        aqi_us_epa: epa.map(|r| freeze_aqi(AqiScale::UsEpa, r)),
        water: water.map(|a| FrozenWater {
            class: a.class.roman().to_string(),
            label: Name::of(a.class.label_zh(), a.class.label_en()),
            quality: Name::of(a.class.quality_zh(), a.class.quality_en()),
            color: a.class.color().to_string(),
            deciding: a
                .deciding
                .iter()
                .map(|i| Name::of(i.name_zh(), i.name_en()))
                .collect(),
            missing: a
                .missing
                .iter()
                .map(|i| Name::of(i.name_zh(), i.name_en()))
                .collect(),
        }),
        source: combined_source(readings).map(|s| s.as_str().to_string()),
    }
}

fn freeze_aqi(
    scale: AqiScale,
    report: Result<daylight_domain::aqi::AqiReport, daylight_domain::aqi::NoAqi>,
) -> FrozenAqi {
    match report {
        Ok(r) => FrozenAqi {
            scale: scale.as_str().to_string(),
            aqi: Some(r.aqi),
            level: Some(r.category.level),
            category: Some(Name::of(r.category.name_zh, r.category.name_en)),
            color: Some(r.category.color.to_string()),
            primary: r
                .primary
                .iter()
                .map(|p| Name::of(p.name_zh(), p.name_en()))
                .collect(),
            reason: None,
        },
        Err(reason) => FrozenAqi {
            scale: scale.as_str().to_string(),
            aqi: None,
            level: None,
            category: None,
            color: None,
            primary: Vec::new(),
            reason: Some(Name {
                zh: reason.reason_zh(),
                en: reason.reason_en(),
            }),
        },
    }
}

/// The pollutant of the hourly AQI a parameter is, if any (the moving averages are not).
fn pollutant_of(p: Parameter) -> Option<Pollutant> {
    match p {
        Parameter::So2 => Some(Pollutant::So2),
        Parameter::No2 => Some(Pollutant::No2),
        Parameter::Co => Some(Pollutant::Co),
        Parameter::O3 => Some(Pollutant::O3),
        Parameter::Pm10 => Some(Pollutant::Pm10),
        Parameter::Pm25 => Some(Pollutant::Pm25),
        _ => None,
    }
}
