//! One frame from a logger: who sent it, whether to believe it, what it means for Daylight,
//! and what to answer.
//!
//! The answer follows the standard where it defines one: a 9014 data reply when the Flag's A
//! bit asks for it, and only once the values are committed (a logger resends what was not
//! acknowledged, so an ack for a lost write would lose data); a 9011 request reply with
//! QnRtn 4 (MN error) or 3 (PW error) for an unknown logger or a wrong password, also only
//! when the A bit asks for an answer. Frames that cannot be read at all get no answer.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeDelta, Timelike, Utc};
use daylight_domain::enterprise::{CreditCode, OutletCode, Pollutant};
use daylight_domain::hj212::CpData;
use daylight_domain::hj212::{
    codes, data_reply, request_reply, Command, Frame, PollutantValues, QnRtn, Segment, Version,
};
use daylight_domain::station::{DataFlag, DataSource, StationCode, StationKind};
use daylight_domain::units::Unit;
use daylight_store::{Logger, LoggerTarget, OutletReading, Reading};

use super::Gateway;

/// Handles one checked frame and returns the framed reply to send, if any.
/// Logs go to the connection's span, which carries the peer address.
pub async fn handle(gateway: &Gateway, frame: Frame) -> Option<String> {
    let segment = match frame.parse_segment() {
        Ok(segment) => segment,
        Err(reason) => {
            tracing::warn!(%reason, "HJ 212 frame rejected: unreadable data segment");
            return None;
        }
    };
    let mn = segment.mn();
    let logger = match gateway.logger(mn).await {
        Ok(Some(logger)) => logger,
        Ok(None) => {
            tracing::warn!(mn, cn = %segment.command(), "HJ 212 frame rejected: unknown MN");
            return ack_refusal(&segment, QnRtn::MnError);
        }
        Err(error) => {
            tracing::error!(%error, mn, "HJ 212 frame not handled: cannot look up the logger");
            return None;
        }
    };
    if segment.pw() != logger.password {
        tracing::warn!(mn, "HJ 212 frame rejected: wrong password");
        return ack_refusal(&segment, QnRtn::PwError);
    }
    if !logger.lenient && !frame.is_conforming() {
        let deviations = describe(&frame);
        tracing::warn!(
            mn,
            deviations,
            "HJ 212 frame rejected: deviates from the standard and the logger is strict \
             (register it with --lenient to accept this)"
        );
        return None;
    }
    let provenance = provenance(&frame, &segment);
    if !frame.is_conforming() {
        tracing::info!(
            mn,
            deviations = describe(&frame),
            "HJ 212 frame accepted leniently"
        );
    }
    let nonconformities = segment.nonconformities();
    if !nonconformities.is_empty() {
        tracing::debug!(mn, ?nonconformities, "HJ 212 segment departs from Table 3");
    }
    let command = segment.command();
    match command {
        Command::Hour | Command::RealTime | Command::Minute => {}
        Command::Day => {
            tracing::debug!(
                mn,
                "daily values are not hourly readings: acknowledged, not stored"
            );
            return ack(gateway, &segment);
        }
        Command::Other(_) => {
            tracing::warn!(mn, cn = %command, "HJ 212 frame rejected: command not supported");
            return ack_refusal(&segment, QnRtn::CnError);
        }
    }
    let station = match &logger.target {
        LoggerTarget::Station(code) => code.clone(),
        LoggerTarget::Outlet { enterprise, outlet } => {
            return outlet_upload(
                gateway,
                &logger,
                (enterprise, outlet),
                &segment,
                &provenance,
            )
            .await;
        }
    };
    let values = match readings(gateway, &logger, &station, &segment, command, &provenance).await {
        Ok(values) => values,
        Err(reason) => {
            tracing::warn!(mn, %reason, "HJ 212 frame rejected");
            return None;
        }
    };
    let count = values.len();
    let committed = match command {
        Command::Hour => gateway.ingestor.commit(values).await,
        _ => gateway.ingestor.commit_samples(values).await,
    };
    match committed {
        Ok(()) => tracing::debug!(mn, cn = %command, values = count, "HJ 212 values committed"),
        Err(error) => {
            // No ack: the logger keeps the packet and sends it again.
            tracing::error!(%error, mn, "HJ 212 values not stored; not acknowledged");
            return None;
        }
    }
    ack(gateway, &segment)
}

/// What a value's provenance says about the packet it came in: the deviations a lenient
/// logger was allowed, and whether it was a 2005-style packet whose codes were mapped.
fn provenance(frame: &Frame, segment: &Segment) -> String {
    let mut notes = Vec::new();
    if !frame.is_conforming() {
        notes.push(format!("HJ 212 accepted leniently: {}", describe(frame)));
    }
    if segment.version() == Version::V2005 {
        notes.push("HJ/T 212-2005 packet, codes mapped to HJ 212-2017".to_string());
    }
    notes.join("; ")
}

/// The 9014 data reply, when the request asks for one.
fn ack(gateway: &Gateway, segment: &Segment) -> Option<String> {
    segment
        .needs_ack()
        .then(|| data_reply(segment, local_now(gateway.utc_offset_minutes)))
}

/// A 9011 request reply with `rtn`, when the request asks for an answer.
fn ack_refusal(segment: &Segment, rtn: QnRtn) -> Option<String> {
    segment.needs_ack().then(|| request_reply(segment, rtn))
}

fn describe(frame: &Frame) -> String {
    frame
        .deviations
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// How far ahead of our clock a logger's clock may be. Beyond it a value would claim a
/// period that has not ended, and would stand on the map as "latest" for hours.
const CLOCK_SKEW: TimeDelta = TimeDelta::minutes(10);

/// Why a readable frame from a known logger still cannot be stored.
#[derive(Debug, thiserror::Error)]
enum Refusal {
    #[error("CP data area: {0}")]
    Cp(#[from] daylight_domain::hj212::CpError),
    #[error("no DataTime")]
    NoDataTime,
    #[error("DataTime {0} is not a time in the configured time zone")]
    BadTime(NaiveDateTime),
    #[error("hourly DataTime {0} is not on the hour")]
    NotOnTheHour(NaiveDateTime),
    #[error("DataTime {0} describes a period that has not ended yet (logger clock wrong?)")]
    InTheFuture(NaiveDateTime),
    #[error("the logger's station {0} no longer exists")]
    NoStation(String),
    #[error("cannot read the logger's station: {0}")]
    Store(#[from] daylight_store::StoreError),
}

/// The time an upload's values are stored at, checked: on the hour for hourly values, and
/// not for a period that has not ended yet.
fn upload_time(
    gateway: &Gateway,
    command: Command,
    data_time: Option<NaiveDateTime>,
) -> Result<DateTime<Utc>, Refusal> {
    let data_time = data_time.ok_or(Refusal::NoDataTime)?;
    if command == Command::Hour && (data_time.minute(), data_time.second()) != (0, 0) {
        return Err(Refusal::NotOnTheHour(data_time));
    }
    let time = reading_time(command, data_time, gateway.utc_offset_minutes)
        .ok_or(Refusal::BadTime(data_time))?;
    if time > Utc::now() + CLOCK_SKEW {
        return Err(Refusal::InTheFuture(data_time));
    }
    Ok(time)
}

/// The readings an upload carries for the logger's station.
async fn readings(
    gateway: &Gateway,
    logger: &Logger,
    code: &StationCode,
    segment: &Segment<'_>,
    command: Command,
    provenance: &str,
) -> Result<Vec<Reading>, Refusal> {
    let cp = segment.cp_data()?;
    let time = upload_time(gateway, command, cp.data_time)?;
    let station = gateway
        .store
        .station(code)
        .await?
        .ok_or_else(|| Refusal::NoStation(code.to_string()))?;
    let mut out = Vec::with_capacity(cp.pollutants.len());
    for values in &cp.pollutants {
        match reading(segment.st(), command, station.kind, values) {
            Ok((parameter, value, flag)) => out.push(Reading {
                station: code.clone(),
                parameter,
                time,
                value,
                unit: parameter.unit(),
                flag,
                source: logger.source,
                provenance: provenance.to_owned(),
            }),
            Err(skip) => {
                tracing::debug!(code = values.code.as_str(), %skip, "HJ 212 value skipped")
            }
        }
    }
    Ok(out)
}

/// An upload from an enterprise outlet's logger (ST 31 flue gas, 32 wastewater): hourly
/// values are stored as the outlet's self-reported readings (simulated for the demo's),
/// announced on the live stream (`outlet`, and `enterprise` when its map summary changed)
/// and acknowledged after the commit. Real-time and minute values of outlets are acknowledged but
/// not stored yet (no outlet samples table).
async fn outlet_upload(
    gateway: &Gateway,
    logger: &Logger,
    (enterprise, outlet): (&CreditCode, &OutletCode),
    segment: &Segment<'_>,
    provenance: &str,
) -> Option<String> {
    let mn = segment.mn();
    let command = segment.command();
    if command != Command::Hour {
        tracing::debug!(mn, cn = %command, "outlet samples are not stored yet: acknowledged");
        return ack(gateway, segment);
    }
    let values = match segment.cp_data().map_err(Refusal::from).and_then(|cp| {
        let time = upload_time(gateway, command, cp.data_time)?;
        Ok(outlet_readings(
            logger,
            enterprise,
            outlet,
            segment.st(),
            time,
            &cp,
            provenance,
        ))
    }) {
        Ok(values) => values,
        Err(reason) => {
            tracing::warn!(mn, %reason, "HJ 212 frame rejected");
            return None;
        }
    };
    let count = values.len();
    if let Err(error) = gateway.ingestor.commit_outlet(values).await {
        // No ack: the logger keeps the packet and sends it again.
        tracing::error!(%error, mn, "HJ 212 outlet values not stored; not acknowledged");
        return None;
    }
    tracing::debug!(mn, values = count, "HJ 212 outlet values committed");
    ack(gateway, segment)
}

/// The hourly values of an outlet upload, in the pollutants' units (mg/m³, mg/L).
fn outlet_readings(
    logger: &Logger,
    enterprise: &CreditCode,
    outlet: &OutletCode,
    st: &str,
    time: DateTime<Utc>,
    cp: &CpData,
    provenance: &str,
) -> Vec<OutletReading> {
    let source = match logger.source {
        DataSource::Simulated => DataSource::Simulated,
        _ => DataSource::SelfReported,
    };
    cp.pollutants
        .iter()
        .filter_map(|values| {
            let info = codes::lookup(&values.code)?;
            let pollutant: Pollutant = info.current_code.parse().ok()?;
            let value = values.avg.filter(|v| v.is_finite())?;
            // Sent in the code's unit for this system; stored in the pollutant's.
            let value = match info.unit_for(st)? {
                unit if unit == pollutant.unit() => value,
                Unit::MicrogramsPerCubicMetre
                    if pollutant.unit() == Unit::MilligramsPerCubicMetre =>
                {
                    value / 1000.0
                }
                _ => return None,
            };
            Some(OutletReading {
                enterprise: enterprise.clone(),
                outlet: outlet.clone(),
                pollutant,
                time,
                value,
                unit: pollutant.unit(),
                flag: values.flag.unwrap_or(DataFlag::Normal),
                source,
                provenance: provenance.to_owned(),
            })
        })
        .collect()
}

/// Why one factor's values do not become a reading.
#[derive(Debug, PartialEq, thiserror::Error)]
enum Skip {
    #[error("unknown factor code")]
    UnknownCode,
    #[error("no {0} value for this command")]
    NoValue(&'static str),
    #[error("not a number Daylight can store")]
    NotFinite,
    #[error("no Daylight parameter or no known unit for this code")]
    NoParameter,
    #[error("the parameter does not belong to a {0} station")]
    WrongKind(&'static str),
}

/// One factor's value as a Daylight parameter, canonical value and data flag.
fn reading(
    st: &str,
    command: Command,
    kind: StationKind,
    values: &PollutantValues,
) -> Result<(daylight_domain::parameter::Parameter, f64, DataFlag), Skip> {
    let info = codes::lookup(&values.code).ok_or(Skip::UnknownCode)?;
    let (field, value) = value_for(command, values);
    let value = value.ok_or(Skip::NoValue(field))?;
    if !value.is_finite() {
        return Err(Skip::NotFinite);
    }
    let (parameter, value) = info.reading(st, value).ok_or(Skip::NoParameter)?;
    if parameter.kind() != kind {
        return Err(Skip::WrongKind(kind.as_str()));
    }
    // Table 8: a value without a flag is a normal one.
    Ok((parameter, value, values.flag.unwrap_or(DataFlag::Normal)))
}

/// The value that represents a period: the real-time value (`-Rtd`) of a 2011 upload, the
/// period's mean (`-Avg`) of minute, hour and day statistics (Table 4).
fn value_for(command: Command, values: &PollutantValues) -> (&'static str, Option<f64>) {
    match command {
        Command::RealTime => ("Rtd", values.rtd),
        _ => ("Avg", values.avg),
    }
}

/// The UTC time a value is stored at. `DataTime` is the logger's wall-clock time; for hourly
/// statistics it is the start of the hour, while Daylight labels an hour by its end, as
/// CNEMC does (see `Reading::time`), so an hourly value moves one hour later.
fn reading_time(
    command: Command,
    data_time: NaiveDateTime,
    utc_offset_minutes: i32,
) -> Option<DateTime<Utc>> {
    let zone = FixedOffset::east_opt(utc_offset_minutes.checked_mul(60)?)?;
    let utc = data_time
        .and_local_timezone(zone)
        .single()?
        .with_timezone(&Utc);
    match command {
        Command::Hour => utc.checked_add_signed(TimeDelta::try_hours(1)?),
        _ => Some(utc),
    }
}

/// The loggers' wall-clock time now, for the QN of replies to 2005-style packets.
fn local_now(utc_offset_minutes: i32) -> NaiveDateTime {
    let offset = TimeDelta::try_minutes(i64::from(utc_offset_minutes)).unwrap_or_default();
    Utc::now().naive_utc() + offset
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone};
    use daylight_domain::parameter::Parameter;

    fn at(h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 29)
            .and_then(|d| d.and_hms_opt(h, m, 0))
            .unwrap()
    }

    #[test]
    fn an_hourly_value_is_labelled_by_the_end_of_its_hour_in_utc() {
        // 2061 with DataTime 10:00 Beijing time covers 10:00–11:00 = 02:00–03:00 UTC.
        assert_eq!(
            reading_time(Command::Hour, at(10, 0), 480),
            Some(Utc.with_ymd_and_hms(2026, 11, 29, 3, 0, 0).unwrap())
        );
        assert_eq!(
            reading_time(Command::RealTime, at(10, 7), 480),
            Some(Utc.with_ymd_and_hms(2026, 11, 29, 2, 7, 0).unwrap())
        );
        assert_eq!(
            reading_time(Command::Hour, at(0, 0), 480),
            Some(Utc.with_ymd_and_hms(2026, 11, 28, 17, 0, 0).unwrap())
        );
        assert_eq!(reading_time(Command::Hour, at(0, 0), i32::MAX), None);
    }

    fn values(code: &str) -> PollutantValues {
        PollutantValues {
            code: code.into(),
            rtd: Some(10.0),
            avg: Some(20.0),
            ..PollutantValues::default()
        }
    }

    #[test]
    fn real_time_uploads_give_rtd_and_statistics_give_avg() {
        let v = values("a34004");
        assert_eq!(value_for(Command::RealTime, &v), ("Rtd", Some(10.0)));
        assert_eq!(value_for(Command::Minute, &v), ("Avg", Some(20.0)));
        assert_eq!(value_for(Command::Hour, &v), ("Avg", Some(20.0)));
        assert_eq!(value_for(Command::Day, &v), ("Avg", Some(20.0)));
    }

    #[test]
    fn values_map_to_parameters_of_the_stations_kind_with_their_flag() {
        let pm = PollutantValues {
            flag: Some(DataFlag::Calibration),
            ..values("a34004")
        };
        assert_eq!(
            reading("22", Command::Hour, StationKind::Air, &pm),
            Ok((Parameter::Pm25, 20.0, DataFlag::Calibration))
        );
        // No flag: a normal value.
        let (_, _, flag) =
            reading("22", Command::Hour, StationKind::Air, &values("a34004")).unwrap();
        assert_eq!(flag, DataFlag::Normal);
        assert_eq!(
            reading("22", Command::Hour, StationKind::Water, &pm),
            Err(Skip::WrongKind("water"))
        );
        assert_eq!(
            reading("22", Command::Hour, StationKind::Air, &values("zz9999")),
            Err(Skip::UnknownCode)
        );
        let no_avg = PollutantValues {
            avg: None,
            ..values("a34004")
        };
        assert_eq!(
            reading("22", Command::Hour, StationKind::Air, &no_avg),
            Err(Skip::NoValue("Avg"))
        );
        let nan = PollutantValues {
            avg: Some(f64::NAN),
            ..values("a34004")
        };
        assert_eq!(
            reading("22", Command::Hour, StationKind::Air, &nan),
            Err(Skip::NotFinite)
        );
    }
}
