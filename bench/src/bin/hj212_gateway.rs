//! The HJ 212 gateway end to end: concurrent loggers over TCP, each sending hourly uploads
//! (CN 2061, Flag=5) one at a time and waiting for the 9014 reply, which the gateway sends
//! only once the values are committed to SQLite. Every packet has its own hour, so every
//! packet is a real insert. Budget (issue 4): with 200 concurrent loggers, ≥ 20,000
//! packets/s sustained, p99 ack latency < 50 ms.
//!
//! Usage: hj212_gateway ADDR LOGGERS_FILE [SECONDS]   (see bench/gateway.sh)

use daylight_bench::{hourly_packet, is_data_reply, percentiles, read_loggers, Connection};
use std::time::{Duration, Instant};

const REPLY_WAIT: Duration = Duration::from_secs(10);
/// Packets acknowledged in the first second are not counted: connections and caches warm up.
const WARM_UP: Duration = Duration::from_secs(1);

#[tokio::main(flavor = "multi_thread", worker_threads = 1)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(addr), Some(file)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: hj212_gateway ADDR LOGGERS_FILE [SECONDS]");
        std::process::exit(2);
    };
    let seconds: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(20);
    let loggers = match read_loggers(file) {
        Ok(l) if !l.is_empty() => l,
        Ok(_) => {
            eprintln!("{file}: no loggers");
            std::process::exit(2);
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let count = loggers.len() as u64;
    let start = Instant::now();
    let counted_from = start + WARM_UP;
    let end = start + WARM_UP + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for (i, logger) in loggers.into_iter().enumerate() {
        let addr = addr.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = Vec::new();
            let mut conn = match Connection::open(&addr, i).await {
                Ok(c) => c,
                Err(e) => return (latencies, vec![format!("connect: {e}")]),
            };
            let mut k = 0u64;
            while Instant::now() < end {
                // A distinct past hour for every packet of every logger (loggers share
                // stations), counting back from 2024-10 (the gateway refuses future hours).
                let hour = 480_000u64.saturating_sub(k * count + i as u64);
                let packet = hourly_packet(&logger, hour, (hour % 500) as f64 + 0.5);
                let sent = Instant::now();
                match conn.request(&packet, REPLY_WAIT).await {
                    Ok(reply) if is_data_reply(&reply) => {
                        if sent >= counted_from {
                            latencies.push(sent.elapsed().as_micros() as u64);
                        }
                    }
                    Ok(reply) => {
                        errors.push(format!("unexpected reply {}", reply.segment));
                        break;
                    }
                    Err(e) => {
                        errors.push(e);
                        break;
                    }
                }
                k += 1;
            }
            (latencies, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = Vec::new();
    for task in tasks {
        match task.await {
            Ok((l, e)) => {
                all.extend(l);
                errors.extend(e);
            }
            Err(e) => errors.push(format!("task failed: {e}")),
        }
    }
    let measured = end.saturating_duration_since(counted_from).as_secs_f64();
    let rate = all.len() as f64 / measured;
    println!(
        "{count} loggers, {measured:.0} s: {} packets acknowledged, {rate:.0} packets/s ({:.0} readings/s)",
        all.len(),
        rate * 6.0
    );
    let mut sorted = all.clone();
    sorted.sort_unstable();
    let p99 = sorted
        .get((sorted.len() * 99 / 100).min(sorted.len().saturating_sub(1)))
        .copied()
        .unwrap_or(u64::MAX);
    println!("{}", percentiles("ack latency", all));
    if !errors.is_empty() {
        println!("{} connections failed; first: {}", errors.len(), errors[0]);
    }
    let verdict = if rate >= 20_000.0 && p99 < 50_000 {
        "within"
    } else {
        "OUTSIDE"
    };
    println!("{verdict} the budget (>= 20,000 packets/s, p99 < 50 ms with 200 loggers)");
}
