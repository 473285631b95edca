//! `daylight serve`: open the store, load the demo on first run, start the feed, listen.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use daylight_store::{CachedStore, SqliteStore, Store};

use crate::config::Config;
use crate::ingest::Ingestor;
use crate::live::LiveHub;
use crate::{demo, gateway, web};

pub async fn open_store(config: &Config) -> anyhow::Result<Arc<dyn Store>> {
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("cannot create data directory {}", config.data_dir.display()))?;
    let path = config.database_path();
    let store = SqliteStore::open(&path)
        .await
        .with_context(|| format!("cannot open database {}", path.display()))?;
    Ok(Arc::new(CachedStore::new(store, READ_CACHE_TTL)))
}

/// How stale a page may be when another instance writes to the same database; writes
/// through this instance are visible at once.
const READ_CACHE_TTL: Duration = Duration::from_secs(2);

pub async fn run(config: Config) -> anyhow::Result<()> {
    config.validate()?;
    let store = open_store(&config).await?;
    let first_run = store.is_empty().await?;
    // The enterprise pages read daily sums of outlet values counted in local days.
    if store
        .set_outlet_day_offset(config.utc_offset_minutes.saturating_mul(60))
        .await?
    {
        tracing::info!("daily sums of outlet values recounted for the configured UTC offset");
    }
    if config.demo && first_run {
        demo::load(store.as_ref())
            .await
            .context("loading the built-in demo")?;
        std::fs::write(demo_marker(&config), "demo\n").context("marking the demo database")?;
    }
    // A demo database stays labelled as such even when started with --no-demo.
    let demo = is_demo_database(&config);
    if !config.site_root.join("pkg").exists() {
        tracing::warn!(
            site_root = %config.site_root.display(),
            "no built site found: pages render, but without scripts and styles (run scripts/build-site.sh)"
        );
    }
    let live = Arc::new(LiveHub::new());
    let ingestor = Ingestor::new(store.clone(), live.clone(), config.utc_offset_minutes);
    // Bound before HTTP, so that a taken port stops the server before it reports running.
    let mut gateway_addr = None;
    if config.hj212_port != 0 {
        let listener = gateway::bind(SocketAddr::new(config.bind, config.hj212_port)).await?;
        let local = listener.local_addr()?;
        gateway::spawn(listener, ingestor.clone(), config.utc_offset_minutes);
        tracing::info!("HJ 212 gateway listening on {local}");
        gateway_addr = Some(reachable(local));
    }
    if demo && config.demo && config.demo_feed.enabled {
        // The demo's simulated loggers talk HJ 212 to a gateway: the public one, or, when
        // that is off, one of their own on a loopback port nobody else is told about.
        let gateway_addr = match gateway_addr {
            Some(addr) => addr,
            None => {
                let listener =
                    gateway::bind(SocketAddr::new(Ipv4Addr::LOCALHOST.into(), 0)).await?;
                let local = listener.local_addr()?;
                gateway::spawn(listener, ingestor.clone(), config.utc_offset_minutes);
                tracing::info!(
                    "HJ 212 gateway off; the demo's simulated loggers use a loopback gateway on {local}"
                );
                local
            }
        };
        demo::feed::spawn(
            store.clone(),
            gateway_addr,
            Duration::from_secs(config.demo_feed.interval_secs),
            config.utc_offset_minutes,
        );
    }
    let site = web::site_context(&config, store, demo, live);
    let app = web::router(&config, site, ingestor);
    let addr = SocketAddr::new(config.bind, config.port);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let local = listener.local_addr()?;
    tracing::info!("Daylight is serving on http://{local}/");
    println!("Daylight is running: http://{local}/");
    // With the peer's address, for the complaint form's per-address rate limit.
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    Ok(())
}

/// Where a local client reaches a listener: a wildcard bind (0.0.0.0, ::) is reached on the
/// loopback address.
fn reachable(local: SocketAddr) -> SocketAddr {
    if local.ip().is_unspecified() {
        SocketAddr::new(Ipv4Addr::LOCALHOST.into(), local.port())
    } else {
        local
    }
}

/// A database that was filled with the demo says so, so that a restart keeps labelling it.
fn demo_marker(config: &Config) -> std::path::PathBuf {
    config.data_dir.join("DEMO")
}

fn is_demo_database(config: &Config) -> bool {
    demo_marker(config).exists()
}

/// Ctrl-C or SIGTERM (systemd, container stops): finish the requests in flight, then exit.
async fn shutdown_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate => {}
    }
    tracing::info!("shutting down");
}
