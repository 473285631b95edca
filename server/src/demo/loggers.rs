//! The demo's simulated data loggers: one per station, registered like any logger (but as
//! `simulated`), speaking HJ 212-2017 to the gateway over TCP. So the demo's values take the
//! production path — framing, CRC, password, parsing, group commit, acknowledgement, live
//! events — and still say everywhere that they are simulated.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{bail, Context};
use chrono::{DateTime, FixedOffset, TimeDelta, Utc};
use daylight_domain::enterprise::{CreditCode, Method, OutletCode, OutletKind, Pollutant};
use daylight_domain::hj212::{codes, frame, FrameReader, Mode};
use daylight_domain::station::{DataSource, StationCode, StationKind};
use daylight_domain::units::Unit;
use daylight_store::{Logger, LoggerTarget, Reading, Store};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The password of the demo's loggers (PW is at most 6 characters).
const PASSWORD: &str = "demo01";
/// Connections used to send a batch: several, so that the gateway commits them together,
/// and few, well under the gateway's limit per address.
const CONNECTIONS: usize = 4;
/// How long a batch may take before the feed gives up on it (and tries again next tick).
const BATCH_TIMEOUT: Duration = Duration::from_secs(60);

/// The MN of a station's demo logger: `DEMO` and the code's letters and digits.
pub fn mn_for(code: &StationCode) -> String {
    let mut mn = String::from("DEMO");
    mn.extend(
        code.as_str()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_uppercase()),
    );
    mn.truncate(24);
    mn
}

/// Registers (or re-registers) a simulated logger for every station.
pub async fn register(store: &dyn Store) -> anyhow::Result<usize> {
    let stations = store.stations().await?;
    for station in &stations {
        let logger = Logger {
            mn: mn_for(&station.code),
            password: PASSWORD.into(),
            target: LoggerTarget::Station(station.code.clone()),
            lenient: false,
            source: DataSource::Simulated,
        };
        store
            .upsert_logger(&logger)
            .await
            .with_context(|| format!("cannot register the demo logger of {}", station.code))?;
    }
    Ok(stations.len())
}

/// The MN of a demo outlet's logger: `DEMO`, the credit code's last six characters (its
/// serial part, unique in the demo) and the outlet code.
pub fn outlet_mn(enterprise: &CreditCode, outlet: &OutletCode) -> String {
    let code = enterprise.as_str();
    let mut mn = format!(
        "DEMO{}{}",
        &code[code.len().saturating_sub(6)..],
        outlet.as_str()
    );
    mn.retain(|c| c.is_ascii_alphanumeric());
    mn.truncate(24);
    mn
}

/// Registers (or re-registers) a simulated logger on every outlet with automatic monitoring.
pub async fn register_outlets(store: &dyn Store) -> anyhow::Result<usize> {
    let limits = store.outlet_limits(None).await?;
    let mut outlets: Vec<(&CreditCode, &OutletCode)> = limits
        .iter()
        .filter(|l| l.method == Method::Automatic)
        .map(|l| (&l.enterprise, &l.outlet))
        .collect();
    outlets.dedup();
    for (enterprise, outlet) in &outlets {
        let logger = Logger {
            mn: outlet_mn(enterprise, outlet),
            password: PASSWORD.into(),
            target: LoggerTarget::Outlet {
                enterprise: (*enterprise).clone(),
                outlet: (*outlet).clone(),
            },
            lenient: false,
            source: DataSource::Simulated,
        };
        store.upsert_logger(&logger).await.with_context(|| {
            format!("cannot register the demo logger of outlet {enterprise}/{outlet}")
        })?;
    }
    Ok(outlets.len())
}

/// One hourly upload (CN 2061, ST 31 flue gas or 32 wastewater) of an outlet's values for the
/// hour labelled `hour_end`, each in the unit its code is read in for that system.
pub fn outlet_packet(
    mn: &str,
    kind: OutletKind,
    values: &[(Pollutant, f64)],
    hour_end: DateTime<Utc>,
    zone: FixedOffset,
    sequence: u32,
) -> Option<String> {
    let st = match kind {
        OutletKind::Air => "31",
        OutletKind::Water => "32",
    };
    let values: Vec<String> = values
        .iter()
        .filter_map(|(pollutant, value)| {
            let info = codes::lookup(pollutant.as_str())?;
            let value = match info.unit_for(st)? {
                unit if unit == pollutant.unit() => *value,
                Unit::MicrogramsPerCubicMetre => value * 1000.0,
                _ => return None,
            };
            Some(format!(
                "{code}-Avg={value},{code}-Flag=N",
                code = pollutant.as_str()
            ))
        })
        .collect();
    if values.is_empty() {
        return None;
    }
    let start = (hour_end - TimeDelta::hours(1)).with_timezone(&zone);
    let now = Utc::now().with_timezone(&zone);
    let qn = format!(
        "{}{:03}",
        now.format("%Y%m%d%H%M%S"),
        (now.timestamp_subsec_millis() + sequence) % 1000
    );
    let segment = format!(
        "QN={qn};ST={st};CN=2061;PW={PASSWORD};MN={mn};Flag=5;CP=&&DataTime={time};{values}&&",
        time = start.format("%Y%m%d%H%M%S"),
        values = values.join(";"),
    );
    Some(frame(&segment))
}

/// One hourly upload (CN 2061) of a station's values for the hour labelled `hour_end`
/// (Daylight's end-of-hour label; the packet's DataTime is the hour's start, local time).
/// Parameters without an HJ 212 code (moving means) are left out: the server derives them.
pub fn hourly_packet(
    code: &StationCode,
    kind: StationKind,
    readings: &[Reading],
    hour_end: DateTime<Utc>,
    zone: FixedOffset,
    sequence: u32,
) -> Option<String> {
    let st = match kind {
        StationKind::Air => codes::ST_AIR_QUALITY,
        StationKind::Water => "21",
    };
    let values: Vec<String> = readings
        .iter()
        .filter_map(|r| {
            let info = codes::for_parameter(r.parameter)?;
            // Sent in the unit the code is read in, which is the canonical one for every
            // parameter a station measures (checked by the code table's tests).
            (info.unit_for(st) == Some(r.parameter.unit())).then(|| {
                format!(
                    "{code}-Avg={value},{code}-Flag={flag}",
                    code = info.current_code,
                    value = r.value,
                    flag = r.flag.code()
                )
            })
        })
        .collect();
    if values.is_empty() {
        return None;
    }
    let start = (hour_end - TimeDelta::hours(1)).with_timezone(&zone);
    let now = Utc::now().with_timezone(&zone);
    // QN: the request's own time to the millisecond; the sequence keeps it unique per batch.
    let qn = format!(
        "{}{:03}",
        now.format("%Y%m%d%H%M%S"),
        (now.timestamp_subsec_millis() + sequence) % 1000
    );
    let segment = format!(
        "QN={qn};ST={st};CN=2061;PW={PASSWORD};MN={mn};Flag=5;CP=&&DataTime={time};{values}&&",
        mn = mn_for(code),
        time = start.format("%Y%m%d%H%M%S"),
        values = values.join(";"),
    );
    Some(frame(&segment))
}

/// Sends the packets to the gateway over a few connections and waits until each is
/// acknowledged; returns how many were.
pub async fn send(gateway: SocketAddr, packets: Vec<String>) -> anyhow::Result<usize> {
    if packets.is_empty() {
        return Ok(0);
    }
    let per_connection = packets.len().div_ceil(CONNECTIONS);
    let mut tasks = Vec::new();
    for share in packets.chunks(per_connection) {
        let share = share.to_vec();
        tasks.push(tokio::spawn(async move {
            tokio::time::timeout(BATCH_TIMEOUT, send_over_one(gateway, share))
                .await
                .context("the gateway did not acknowledge in time")?
        }));
    }
    let mut acked = 0;
    for task in tasks {
        acked += task.await.context("a demo logger task failed")??;
    }
    Ok(acked)
}

/// Writes every packet, then reads one 9014 reply per packet (the gateway handles a
/// connection's frames in order).
async fn send_over_one(gateway: SocketAddr, packets: Vec<String>) -> anyhow::Result<usize> {
    let mut stream = TcpStream::connect(gateway)
        .await
        .with_context(|| format!("cannot reach the HJ 212 gateway at {gateway}"))?;
    let (mut reader, mut writer) = stream.split();
    let wanted = packets.len();
    let write_all = async {
        for packet in &packets {
            writer.write_all(packet.as_bytes()).await?;
        }
        writer.flush().await?;
        anyhow::Ok(())
    };
    let read_acks = async {
        let mut frames = FrameReader::new(Mode::Strict);
        let mut buffer = [0u8; 4096];
        let mut acked = 0;
        while acked < wanted {
            let n = reader.read(&mut buffer).await?;
            if n == 0 {
                bail!("the gateway closed the connection after {acked} of {wanted} replies");
            }
            for item in frames.feed(&buffer[..n]) {
                let Ok(frame) = item else {
                    bail!("unexpected reply from the gateway: {item:?}");
                };
                match frame.parse_segment() {
                    Ok(reply) if reply.command().code() == 9014 => acked += 1,
                    other => bail!("unexpected reply from the gateway: {other:?}"),
                }
            }
        }
        Ok(acked)
    };
    let ((), acked) = tokio::try_join!(write_all, read_acks)?;
    Ok(acked)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use daylight_domain::hj212::{Frame, Segment};
    use daylight_domain::parameter::Parameter;
    use daylight_domain::station::DataFlag;

    fn reading(parameter: Parameter, value: f64) -> Reading {
        Reading {
            station: StationCode::parse("1462A").unwrap(),
            parameter,
            time: Utc.with_ymd_and_hms(2026, 11, 30, 2, 0, 0).unwrap(),
            value,
            unit: parameter.unit(),
            flag: DataFlag::Normal,
            source: DataSource::Simulated,
            provenance: String::new(),
        }
    }

    #[test]
    fn a_demo_packet_is_a_strict_2061_frame_for_the_start_of_the_hour() {
        let code = StationCode::parse("1462A").unwrap();
        let zone = FixedOffset::east_opt(8 * 3600).unwrap();
        let hour_end = Utc.with_ymd_and_hms(2026, 11, 30, 2, 0, 0).unwrap();
        let readings = [
            reading(Parameter::Pm25, 80.0),
            reading(Parameter::Co, 1.2),
            reading(Parameter::O3_8h, 40.0),
        ];
        let packet = hourly_packet(&code, StationKind::Air, &readings, hour_end, zone, 7).unwrap();
        let frame = Frame::parse(packet.as_bytes(), Mode::Strict).unwrap();
        let segment: Segment = frame.parse_segment().unwrap();
        assert_eq!(segment.command().code(), 2061);
        assert_eq!(segment.mn(), "DEMO1462A");
        assert!(segment.needs_ack());
        let cp = segment.cp_data().unwrap();
        // 02:00 UTC ends the hour 09:00–10:00 Beijing time, which starts at 09:00.
        assert_eq!(
            cp.data_time.map(|t| t.to_string()),
            Some("2026-11-30 09:00:00".into())
        );
        let codes: Vec<&str> = cp.pollutants.iter().map(|p| p.code.as_str()).collect();
        // The 8-hour mean has no code: the server derives it.
        assert_eq!(codes, ["a34004", "a21005"]);
    }

    #[test]
    fn an_outlet_packet_reads_back_as_the_outlets_values() {
        let enterprise = CreditCode::parse("91610114MA6DM0009N").unwrap();
        let outlet = OutletCode::parse("DA001").unwrap();
        let mn = outlet_mn(&enterprise, &outlet);
        assert_eq!(mn, "DEMOM0009NDA001");
        let zone = FixedOffset::east_opt(8 * 3600).unwrap();
        let hour_end = Utc.with_ymd_and_hms(2026, 11, 30, 2, 0, 0).unwrap();
        let packet = outlet_packet(
            &mn,
            OutletKind::Air,
            &[(Pollutant::Nox, 312.5), (Pollutant::So2, 40.0)],
            hour_end,
            zone,
            1,
        )
        .unwrap();
        let frame = Frame::parse(packet.as_bytes(), Mode::Strict).unwrap();
        let segment: Segment = frame.parse_segment().unwrap();
        assert_eq!(segment.st(), "31");
        let cp = segment.cp_data().unwrap();
        assert_eq!(
            cp.data_time.map(|t| t.to_string()),
            Some("2026-11-30 09:00:00".into())
        );
        let values: Vec<(&str, Option<f64>)> = cp
            .pollutants
            .iter()
            .map(|p| (p.code.as_str(), p.avg))
            .collect();
        assert_eq!(values, [("a21002", Some(312.5)), ("a21026", Some(40.0))]);
    }

    #[test]
    fn demo_mns_are_letters_and_digits() {
        for (code, mn) in [("1462A", "DEMO1462A"), ("W-BAHEKOU", "DEMOWBAHEKOU")] {
            assert_eq!(mn_for(&StationCode::parse(code).unwrap()), mn);
        }
    }
}
