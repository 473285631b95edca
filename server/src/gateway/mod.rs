//! The HJ 212-2017 TCP gateway: data loggers (数采仪) connect, upload their values in the
//! protocol they already speak, and get the standard's replies.
//!
//! * [`mod.rs`](self): the listener and the connection limits, so that no single peer, and no
//!   flood of peers, can exhaust the server.
//! * [`connection`]: one connection's read loop, timeouts and frame splitting.
//! * [`ingest`]: one frame's checks (MN, PW, strictness) and its mapping to readings.

mod connection;
mod ingest;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use daylight_store::{Logger, Store, StoreError};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tracing::Instrument;

use crate::ingest::Ingestor;

/// Connections open at once from one IP address. A station has one logger, an enterprise a
/// handful; 32 leaves room for NAT while keeping one address from holding every slot.
pub const MAX_CONNECTIONS_PER_IP: usize = 32;
/// Connections open at once in total: each holds at most one frame buffer (about 4 KiB) and a
/// task, so this bounds the gateway's memory.
pub const MAX_CONNECTIONS: usize = 1024;

/// What every connection needs.
pub struct Gateway {
    store: Arc<dyn Store>,
    ingestor: Arc<Ingestor>,
    /// The loggers' local time zone as minutes east of UTC (Asia/Shanghai: +480): `DataTime`
    /// and `QN` are the logger's wall-clock time.
    utc_offset_minutes: i32,
    per_ip: Mutex<HashMap<IpAddr, usize>>,
    slots: Arc<Semaphore>,
    /// Recent registry lookups by MN, so that a busy logger costs no query per packet.
    loggers: Mutex<HashMap<String, (Instant, Option<Logger>)>>,
}

/// How long a registry lookup is reused: `daylight logger add/remove` (another process)
/// takes effect within this time.
pub const REGISTRY_TTL: Duration = Duration::from_secs(1);
/// Lookups kept at most; beyond it the cache starts afresh (a flood of made-up MNs).
const MAX_CACHED_LOGGERS: usize = 100_000;

impl Gateway {
    /// The logger registered with this MN, from the cache when it is fresh.
    pub async fn logger(&self, mn: &str) -> Result<Option<Logger>, StoreError> {
        if let Some((at, hit)) = lock(&self.loggers).get(mn) {
            if at.elapsed() < REGISTRY_TTL {
                return Ok(hit.clone());
            }
        }
        let found = self.store.logger(mn).await?;
        let mut cache = lock(&self.loggers);
        if cache.len() >= MAX_CACHED_LOGGERS {
            cache.clear();
        }
        cache.insert(mn.to_owned(), (Instant::now(), found.clone()));
        Ok(found)
    }
}

/// Binds the gateway's port. Done before anything is served, so that a port already in use
/// stops the server with a clear message instead of leaving loggers without a gateway.
pub async fn bind(addr: SocketAddr) -> anyhow::Result<TcpListener> {
    TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr} for the HJ 212 gateway"))
}

/// Accepts connections until the process ends, each served by its own task.
pub fn spawn(listener: TcpListener, ingestor: Arc<Ingestor>, utc_offset_minutes: i32) {
    let gateway = Arc::new(Gateway {
        store: ingestor.store().clone(),
        ingestor,
        utc_offset_minutes,
        per_ip: Mutex::new(HashMap::new()),
        slots: Arc::new(Semaphore::new(MAX_CONNECTIONS)),
        loggers: Mutex::new(HashMap::new()),
    });
    tokio::spawn(accept_loop(listener, gateway));
}

async fn accept_loop(listener: TcpListener, gateway: Arc<Gateway>) {
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(error) => {
                // Out of file descriptors and the like: transient; wait instead of spinning.
                tracing::warn!(%error, "HJ 212 gateway cannot accept a connection");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                continue;
            }
        };
        let Ok(slot) = gateway.slots.clone().try_acquire_owned() else {
            tracing::warn!(%peer, "HJ 212 connection refused: {MAX_CONNECTIONS} connections open");
            continue;
        };
        let Some(ip_slot) = IpSlot::take(&gateway, peer.ip()) else {
            tracing::warn!(
                %peer,
                "HJ 212 connection refused: {MAX_CONNECTIONS_PER_IP} connections open from this address"
            );
            continue;
        };
        let span = tracing::info_span!("hj212", %peer);
        let gateway = gateway.clone();
        tokio::spawn(
            async move {
                connection::serve(stream, &gateway).await;
                drop(ip_slot);
                drop(slot);
            }
            .instrument(span),
        );
    }
}

/// One connection's share of its address's quota, given back when dropped (also when the
/// connection's task ends by a panic).
struct IpSlot {
    gateway: Arc<Gateway>,
    ip: IpAddr,
}

impl IpSlot {
    fn take(gateway: &Arc<Gateway>, ip: IpAddr) -> Option<Self> {
        let mut per_ip = lock(&gateway.per_ip);
        let open = per_ip.entry(ip).or_insert(0);
        if *open >= MAX_CONNECTIONS_PER_IP {
            return None;
        }
        *open += 1;
        Some(Self {
            gateway: gateway.clone(),
            ip,
        })
    }
}

impl Drop for IpSlot {
    fn drop(&mut self) {
        let mut per_ip = lock(&self.gateway.per_ip);
        if let Some(open) = per_ip.get_mut(&self.ip) {
            *open = open.saturating_sub(1);
            if *open == 0 {
                per_ip.remove(&self.ip);
            }
        }
    }
}

/// The counters stay consistent under any panic (each update is a single step), so a
/// poisoned lock is taken over.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
