//! Live fan-out: CLIENTS open `GET /api/v1/live` (server-sent events over plain HTTP/1.1),
//! then one logger sends hourly uploads through the HJ 212 gateway at RATE packets/s. For
//! every (packet, client) pair, the time from the gateway's 9014 ack to the client reading
//! the packet's `readings` event. Budget (issue 4): reading committed → seen by 1,000
//! connected clients, p95 < 200 ms.
//!
//! Each packet carries one PM2.5 value that identifies it (`hour + 0.25`); a client matches
//! a `readings` event of the logger's station by that value. The ack is sent after the commit
//! and the event is published at the commit, so a client may see an event before its ack
//! arrives: those pairs count as 0.
//!
//! Usage: hj212_live HTTP_ADDR HJ212_ADDR LOGGERS_FILE [CLIENTS] [PACKETS] [RATE]

use daylight_bench::{
    connect_from, hourly_packet, is_data_reply, percentiles, read_loggers, Connection,
};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// An SSE client: per packet number, when its event was read.
async fn client(http: String, n: usize, station: String, out: Arc<Mutex<Vec<(u64, Instant)>>>) {
    let mut stream = match connect_from(&http, n).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("client {n}: {e}");
            return;
        }
    };
    let request =
        format!("GET /api/v1/live HTTP/1.1\r\nHost: {http}\r\nAccept: text/event-stream\r\n\r\n");
    if stream.write_all(request.as_bytes()).await.is_err() {
        return;
    }
    let mut raw = Vec::new();
    let mut body = Decoder::default();
    let mut seen = Vec::new();
    let mut buf = vec![0u8; 16 * 1024];
    let mut event = String::new();
    loop {
        let n = match stream.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let now = Instant::now();
        raw.extend_from_slice(&buf[..n]);
        let text = body.decode(&mut raw);
        for line in text.lines() {
            if let Some(name) = line.strip_prefix("event:") {
                event = name.trim().to_string();
            } else if let Some(data) = line.strip_prefix("data:") {
                if event == "readings" && data.contains(&format!("\"{station}\"")) {
                    // One event carries every value committed for the station together
                    // (group commit), possibly more than one packet's.
                    for v in pm25_values(data) {
                        seen.push(((v - 0.25).round() as u64, now));
                    }
                }
            } else if line.is_empty() {
                event.clear();
            }
        }
        if !seen.is_empty() {
            // Handed over at once: the client is aborted when the run ends.
            out.lock()
                .unwrap_or_else(|p| p.into_inner())
                .append(&mut seen);
        }
        if body.done {
            break;
        }
    }
}

/// The PM2.5 values in a `readings` event's data.
fn pm25_values(data: &str) -> Vec<f64> {
    data.match_indices("\"parameter\":\"PM2.5\"")
        .filter_map(|(at, _)| {
            let rest = &data[at..];
            let v = rest.find("\"value\":")? + "\"value\":".len();
            let end = rest[v..].find([',', '}'])?;
            rest[v..v + end].parse().ok()
        })
        .collect()
}

/// The HTTP response head, then `Transfer-Encoding: chunked` (or a plain body), into text
/// lines. Keeps partial lines and chunks for the next call.
#[derive(Default)]
struct Decoder {
    head_done: bool,
    chunked: bool,
    /// Bytes left in the current chunk.
    left: usize,
    pending: Vec<u8>,
    done: bool,
}

impl Decoder {
    fn decode(&mut self, raw: &mut Vec<u8>) -> String {
        if !self.head_done {
            let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
                return String::new();
            };
            let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
            self.chunked = head.contains("transfer-encoding: chunked");
            raw.drain(..end + 4);
            self.head_done = true;
        }
        if !self.chunked {
            self.pending.append(raw);
        } else {
            loop {
                if self.left > 0 {
                    let take = self.left.min(raw.len());
                    self.pending.extend(raw.drain(..take));
                    self.left -= take;
                    if self.left > 0 {
                        break;
                    }
                }
                // "\r\n" after a chunk, then "SIZE\r\n".
                let skip = usize::from(raw.starts_with(b"\r\n")) * 2;
                let Some(eol) = raw[skip..].windows(2).position(|w| w == b"\r\n") else {
                    break;
                };
                let size = std::str::from_utf8(&raw[skip..skip + eol])
                    .ok()
                    .and_then(|s| usize::from_str_radix(s.trim(), 16).ok());
                raw.drain(..skip + eol + 2);
                match size {
                    Some(0) | None => {
                        self.done = true;
                        break;
                    }
                    Some(n) => self.left = n,
                }
            }
        }
        // Hand out complete lines only.
        match self.pending.iter().rposition(|&b| b == b'\n') {
            Some(at) => {
                let lines: Vec<u8> = self.pending.drain(..=at).collect();
                String::from_utf8_lossy(&lines).into_owned()
            }
            None => String::new(),
        }
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 1)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(http), Some(gateway), Some(file)) = (args.get(1), args.get(2), args.get(3)) else {
        eprintln!("usage: hj212_live HTTP_ADDR HJ212_ADDR LOGGERS_FILE [CLIENTS] [PACKETS] [RATE]");
        std::process::exit(2);
    };
    let clients: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let packets: u64 = args.get(5).and_then(|s| s.parse().ok()).unwrap_or(200);
    let rate: f64 = args.get(6).and_then(|s| s.parse().ok()).unwrap_or(10.0);
    let logger = match read_loggers(file) {
        Ok(l) if !l.is_empty() => l[0].clone(),
        _ => {
            eprintln!("{file}: no logger");
            std::process::exit(2);
        }
    };
    let seen = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for n in 0..clients {
        tasks.push(tokio::spawn(client(
            http.clone(),
            n,
            logger.station.clone(),
            seen.clone(),
        )));
        if n % 100 == 99 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    // Let every client's subscription start.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mut conn = match Connection::open(gateway, 0).await {
        Ok(c) => c,
        Err(e) => {
            eprintln!("gateway: {e}");
            std::process::exit(1);
        }
    };
    let mut acks = HashMap::new();
    let interval = Duration::from_secs_f64(1.0 / rate);
    let start = Instant::now();
    for k in 0..packets {
        let due = start + interval.mul_f64(k as f64);
        tokio::time::sleep_until(due.into()).await;
        let hour = 450_000 + k; // 2021, one hour per packet
        let packet = hourly_packet(&logger, hour, hour as f64 + 0.25);
        match conn.request(&packet, Duration::from_secs(10)).await {
            Ok(reply) if is_data_reply(&reply) => {
                acks.insert(hour, Instant::now());
            }
            Ok(reply) => eprintln!("packet {k}: unexpected reply {}", reply.segment),
            Err(e) => eprintln!("packet {k}: {e}"),
        }
    }
    // Give the last events time to arrive, then stop the clients.
    tokio::time::sleep(Duration::from_secs(3)).await;
    for t in &tasks {
        t.abort();
    }
    for t in tasks {
        let _ = t.await;
    }
    let seen = std::mem::take(&mut *seen.lock().unwrap_or_else(|p| p.into_inner()));
    let mut latencies = Vec::with_capacity(seen.len());
    for (hour, at) in &seen {
        if let Some(ack) = acks.get(hour) {
            latencies.push(at.saturating_duration_since(*ack).as_micros() as u64);
        }
    }
    let expected = acks.len() * clients;
    println!(
        "{clients} SSE clients, {} packets acknowledged at {rate}/s: {} of {expected} (packet, client) events seen",
        acks.len(),
        latencies.len()
    );
    let mut sorted = latencies.clone();
    sorted.sort_unstable();
    let p95 = sorted
        .get((sorted.len() * 95 / 100).min(sorted.len().saturating_sub(1)))
        .copied()
        .unwrap_or(u64::MAX);
    println!("{}", percentiles("ack → event seen", latencies));
    let verdict = if p95 < 200_000 && sorted.len() == expected {
        "within"
    } else {
        "OUTSIDE"
    };
    println!("{verdict} the budget (every client sees every packet, p95 < 200 ms)");
}
