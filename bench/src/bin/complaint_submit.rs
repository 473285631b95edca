//! The concurrency budget of issue 6: "200 concurrent submissions are all stored exactly
//! once". Takes 200 submission keys from the form (`GET /report`), then sends every
//! submission twice at the same moment, as a double tap would: 400 `POST /report` at once,
//! each pair from its own loopback address (127.0.0.2 …), because the form's rate limit
//! counts per client address (the TCP peer when no proxy header is sent). Checks that both
//! taps of a pair were sent to the same follow-up page, that the 200 pages name 200
//! different tracking codes, and that the public API lists exactly those 200, and prints
//! the time per request (p50, p95, max) and for the whole burst.
//!
//! Usage: `complaint_submit BASE_URL [SUBMISSIONS]` on a server with no complaints yet
//! (bench/complaints.sh starts one and runs it).

use std::collections::BTreeSet;
use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::Barrier;

/// One HTTP/1.1 exchange on a new connection from `from`; the whole answer as text.
async fn exchange(
    server: SocketAddr,
    from: Option<Ipv4Addr>,
    request: &[u8],
) -> std::io::Result<String> {
    let mut stream = match from {
        Some(ip) => {
            let socket = TcpSocket::new_v4()?;
            socket.bind(SocketAddr::from((ip, 0)))?;
            socket.connect(server).await?
        }
        None => TcpStream::connect(server).await?,
    };
    stream.set_nodelay(true)?;
    stream.write_all(request).await?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await?;
    Ok(String::from_utf8_lossy(&answer).into_owned())
}

fn get(path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n").into_bytes()
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(&text[from..from + len])
}

/// `application/x-www-form-urlencoded` for the few characters our values contain.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

/// The tracking codes in the public API's register (GeoJSON, newest 500) and its total.
async fn register(server: SocketAddr) -> Result<(u64, BTreeSet<String>), String> {
    let answer = exchange(server, None, &get("/api/v1/complaints?limit=500"))
        .await
        .map_err(|e| format!("GET /api/v1/complaints: {e}"))?;
    let total = between(&answer, "\"total\":", ",")
        .and_then(|t| t.trim().parse().ok())
        .ok_or("no total in /api/v1/complaints")?;
    let codes = answer
        .split("\"tracking_code\":\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect();
    Ok((total, codes))
}

async fn run(server: SocketAddr, submissions: usize) -> Result<(), String> {
    let (before, _) = register(server).await?;
    if before != 0 {
        return Err(format!(
            "the server has {before} complaints already; start a fresh one"
        ));
    }
    // The forms, one at a time (not timed): a key and a valid time each.
    let mut forms = Vec::with_capacity(submissions);
    for _ in 0..submissions {
        let form = exchange(server, None, &get("/report"))
            .await
            .map_err(|e| format!("GET /report: {e}"))?;
        let key = between(&form, "name=\"key\" value=\"", "\"").ok_or("no submission key")?;
        let observed = between(&form, "name=\"observed\" value=\"", "\"").ok_or("no time")?;
        forms.push((key.to_owned(), observed.to_owned()));
    }

    let barrier = Arc::new(Barrier::new(2 * submissions));
    let mut tasks = Vec::with_capacity(2 * submissions);
    for (i, (key, observed)) in forms.iter().enumerate() {
        let body = format!(
            "key={key}&category=odour&description={}&observed={}&lat=34.26&lon=108.94\
             &address=&contact=&consent=yes&website=",
            encode(&format!("夜间异味（并发基准 {i}）")),
            encode(observed),
        );
        let request = format!(
            "POST /report HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes();
        let from = Ipv4Addr::new(127, 0, (i / 250) as u8, (2 + i % 250) as u8);
        for _tap in 0..2 {
            let (request, barrier) = (request.clone(), barrier.clone());
            tasks.push(tokio::spawn(async move {
                barrier.wait().await;
                let started = Instant::now();
                let answer = exchange(server, Some(from), &request).await;
                (i, started.elapsed(), answer)
            }));
        }
    }
    let burst = Instant::now();
    let mut times = Vec::with_capacity(tasks.len());
    let mut follow: Vec<Vec<String>> = vec![Vec::new(); submissions];
    for task in tasks {
        let (i, took, answer) = task.await.map_err(|e| format!("a task failed: {e}"))?;
        let answer = answer.map_err(|e| format!("POST /report: {e}"))?;
        if !answer.starts_with("HTTP/1.1 303") {
            return Err(format!(
                "submission {i} was refused: {}",
                answer.lines().next().unwrap_or("")
            ));
        }
        let location = between(&answer, "location: ", "\r\n")
            .ok_or_else(|| format!("submission {i}: no Location"))?;
        follow[i].push(location.to_owned());
        times.push(took);
    }
    let wall = burst.elapsed();

    // Each key made one complaint: both taps went to the same follow-up page …
    let mut codes = BTreeSet::new();
    for (i, pages) in follow.iter().enumerate() {
        if pages[0] != pages[1] {
            return Err(format!(
                "the two taps of submission {i} got different pages"
            ));
        }
        let page = exchange(server, None, &get(&pages[0]))
            .await
            .map_err(|e| format!("GET the follow-up page: {e}"))?;
        let code = page
            .split("TS-20")
            .nth(1)
            .and_then(|rest| rest.get(..9))
            .map(|rest| format!("TS-20{rest}"))
            .ok_or_else(|| format!("submission {i}: no tracking code on its page"))?;
        codes.insert(code);
    }
    // … the pages name as many codes as there were keys, and the register holds those.
    let (total, listed) = register(server).await?;
    times.sort();
    println!(
        "{} POST /report ({submissions} submissions, each tapped twice at once, \
         {submissions} client addresses): p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms; \
         the burst took {:.2} s",
        times.len(),
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        percentile(&times, 1.0),
        wall.as_secs_f64()
    );
    println!(
        "stored: {total} complaints in the API, {} tracking codes on the {submissions} \
         follow-up pages, {} of them in the API's register",
        codes.len(),
        codes.intersection(&listed).count()
    );
    if total != submissions as u64 || codes.len() != submissions || codes != listed {
        return Err(format!(
            "expected exactly {submissions} complaints, one per key"
        ));
    }
    println!("each key made exactly one complaint: OK");
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let base = args
        .next()
        .unwrap_or_else(|| "http://127.0.0.1:3919".to_owned());
    let submissions: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(200);
    let Ok(server) = base
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse::<SocketAddr>()
    else {
        eprintln!("BASE_URL must be http://IP:PORT, not {base}");
        return ExitCode::FAILURE;
    };
    match run(server, submissions).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => {
            eprintln!("FAILED: {problem}");
            ExitCode::FAILURE
        }
    }
}
