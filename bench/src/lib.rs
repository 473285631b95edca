//! Helpers shared by the benchmark binaries: HJ 212 uploads over TCP and latency figures.

use daylight_domain::hj212::{frame, Frame, FrameReader, Mode};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// Connects from a loopback source address chosen by `client` (127.0.0.2, …, one per 16
/// clients): the gateway caps connections per IP address (32), as a real deployment sees
/// loggers from many addresses.
pub async fn connect_from(addr: &str, client: usize) -> std::io::Result<TcpStream> {
    let target: std::net::SocketAddr = tokio::net::lookup_host(addr)
        .await?
        .next()
        .ok_or_else(|| std::io::Error::other(format!("{addr}: no address")))?;
    let socket = TcpSocket::new_v4()?;
    if target.ip().is_loopback() {
        let octet = (2 + client / 16).min(254) as u8;
        socket.bind(std::net::SocketAddr::from(([127, 0, 0, octet], 0)))?;
    }
    socket.connect(target).await
}

/// One registered logger: its MN, password and station, as `bench/*.sh` registered it.
#[derive(Debug, Clone)]
pub struct Logger {
    pub mn: String,
    pub pw: String,
    pub station: String,
}

/// Reads `MN PW STATION` lines.
pub fn read_loggers(path: &str) -> Result<Vec<Logger>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let mut parts = line.split_whitespace();
            match (parts.next(), parts.next(), parts.next()) {
                (Some(mn), Some(pw), Some(station)) => Ok(Logger {
                    mn: mn.into(),
                    pw: pw.into(),
                    station: station.into(),
                }),
                _ => Err(format!("{path}: not 'MN PW STATION': {line:?}")),
            }
        })
        .collect()
}

/// A framed hourly upload (CN 2061, Flag=5: HJ 212-2017 asking for a 9014 reply) for hour
/// number `hour` after 1970-01-01 00:00 local time, with PM2.5 = `pm25` and five other air
/// factors, as an air station's logger sends it.
pub fn hourly_packet(logger: &Logger, hour: u64, pm25: f64) -> String {
    let t = hour * 3600;
    let days = t / 86_400;
    let (y, m, d) = civil_from_days(days as i64);
    let h = (t % 86_400) / 3600;
    let qn = format!("{y:04}{m:02}{d:02}{h:02}0500000");
    let segment = format!(
        "QN={qn};ST=22;CN=2061;PW={pw};MN={mn};Flag=5;CP=&&DataTime={y:04}{m:02}{d:02}{h:02}0000;\
         a34004-Avg={pm25},a34004-Flag=N;a34002-Avg=61.0,a34002-Flag=N;a21026-Avg=8.0,\
         a21026-Flag=N;a21004-Avg=35.0,a21004-Flag=N;a05024-Avg=72.0,a05024-Flag=N;\
         a21005-Avg=0.6,a21005-Flag=N&&",
        pw = logger.pw,
        mn = logger.mn,
    );
    frame(&segment)
}

/// Days since 1970-01-01 to (year, month, day) (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// A logger's connection: sends a packet and waits for the gateway's reply.
pub struct Connection {
    stream: TcpStream,
    reader: FrameReader,
    buf: Vec<u8>,
}

impl Connection {
    pub async fn open(addr: &str, client: usize) -> std::io::Result<Self> {
        let stream = connect_from(addr, client).await?;
        stream.set_nodelay(true)?;
        Ok(Self {
            stream,
            reader: FrameReader::new(Mode::Strict),
            buf: vec![0; 4096],
        })
    }

    /// Sends `packet` and returns the reply; an error when the connection fails, no reply
    /// comes within `wait`, or the reply is not a valid frame with a valid segment.
    pub async fn request(&mut self, packet: &str, wait: Duration) -> Result<Frame, String> {
        self.stream
            .write_all(packet.as_bytes())
            .await
            .map_err(|e| format!("write: {e}"))?;
        let read = async {
            loop {
                let n = self
                    .stream
                    .read(&mut self.buf)
                    .await
                    .map_err(|e| format!("read: {e}"))?;
                if n == 0 {
                    return Err("the gateway closed the connection".to_string());
                }
                if let Some(item) = self.reader.feed(&self.buf[..n]).into_iter().next() {
                    let frame = item.map_err(|e| format!("bad reply frame: {e}"))?;
                    frame
                        .parse_segment()
                        .map_err(|e| format!("bad reply segment: {e}"))?;
                    return Ok(frame);
                }
            }
        };
        tokio::time::timeout(wait, read)
            .await
            .map_err(|_| format!("no reply within {wait:?}"))?
    }
}

/// Whether `reply` is the 9014 data reply that acknowledges an upload.
pub fn is_data_reply(reply: &Frame) -> bool {
    reply
        .parse_segment()
        .is_ok_and(|segment| segment.command().code() == 9014)
}

/// p50/p95/p99/max of latencies in microseconds, as one line in milliseconds.
pub fn percentiles(label: &str, mut micros: Vec<u64>) -> String {
    if micros.is_empty() {
        return format!("{label}: no samples");
    }
    micros.sort_unstable();
    let at = |q: f64| {
        let i = ((micros.len() as f64 * q).ceil() as usize).clamp(1, micros.len()) - 1;
        micros[i] as f64 / 1000.0
    };
    format!(
        "{label}: p50 {:.1} ms  p95 {:.1} ms  p99 {:.1} ms  max {:.1} ms  ({} samples)",
        at(0.50),
        at(0.95),
        at(0.99),
        at(1.0),
        micros.len()
    )
}
