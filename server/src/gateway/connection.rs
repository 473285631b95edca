//! One logger connection: read bytes, cut them into frames, answer each frame in order.
//!
//! Frames are handled one after another, and the next bytes are read only after a frame's
//! reply is written: a logger waits for each acknowledgement anyway, and a peer that sends
//! faster than its values are committed is slowed down by TCP instead of queueing in memory.

use std::time::Duration;

use daylight_domain::hj212::{FrameReader, Mode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::{timeout, Instant};

use super::{ingest, Gateway};

/// A connection that sends nothing for this long is closed. Loggers upload at least every
/// few minutes and send a heartbeat in between (or reconnect); an idle socket is a dead peer.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// A frame that has started must be complete within this time, so that a peer sending one
/// byte now and then (slow loris) cannot hold a connection and its buffer forever.
pub const FRAME_TIMEOUT: Duration = Duration::from_secs(30);
/// How long writing a reply may take before the peer is given up.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves one connection until the peer closes it, times out or fails.
pub async fn serve(mut stream: TcpStream, gateway: &Gateway) {
    tracing::debug!("HJ 212 connection opened");
    // Every frame is read leniently, because strictness is a setting of the logger and the
    // logger is known only once the frame's MN is; `ingest` then refuses what a strict
    // logger may not send. The buffer is therefore bounded by the lenient maximum frame.
    let mut reader = FrameReader::new(Mode::Lenient);
    let mut buf = vec![0u8; 4096];
    let mut frame_started: Option<Instant> = None;
    loop {
        let wait = match frame_started {
            Some(started) => FRAME_TIMEOUT
                .saturating_sub(started.elapsed())
                .min(IDLE_TIMEOUT),
            None => IDLE_TIMEOUT,
        };
        let n = match timeout(wait, stream.read(&mut buf)).await {
            Err(_) => {
                if frame_started.is_some() {
                    tracing::warn!(
                        buffered = reader.buffered(),
                        "HJ 212 frame not completed within {}s; closing",
                        FRAME_TIMEOUT.as_secs()
                    );
                } else {
                    tracing::info!(
                        "HJ 212 connection idle for {}s; closing",
                        IDLE_TIMEOUT.as_secs()
                    );
                }
                break;
            }
            Ok(Ok(0)) => break,
            Ok(Ok(n)) => n,
            Ok(Err(error)) => {
                tracing::debug!(%error, "HJ 212 connection failed");
                break;
            }
        };
        let items = reader.feed(&buf[..n]);
        // A completed (or rejected) frame restarts the clock for whatever follows it.
        let progressed = !items.is_empty();
        for item in items {
            let reply = match item {
                Ok(frame) => ingest::handle(gateway, frame).await,
                Err(reason) => {
                    tracing::warn!(%reason, "HJ 212 frame rejected");
                    None
                }
            };
            if let Some(reply) = reply {
                match timeout(WRITE_TIMEOUT, stream.write_all(reply.as_bytes())).await {
                    Ok(Ok(())) => {}
                    Ok(Err(error)) => {
                        tracing::debug!(%error, "HJ 212 reply not delivered");
                        return;
                    }
                    Err(_) => {
                        tracing::warn!("HJ 212 peer does not read its replies; closing");
                        return;
                    }
                }
            }
        }
        frame_started = match frame_started {
            _ if reader.buffered() == 0 => None,
            Some(started) if !progressed => Some(started),
            _ => Some(Instant::now()),
        };
    }
    for item in reader.finish() {
        if let Err(reason) = item {
            tracing::warn!(%reason, "HJ 212 frame rejected at end of connection");
        }
    }
    tracing::debug!("HJ 212 connection closed");
}
