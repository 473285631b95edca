//! Configuration: defaults, overlaid by a TOML file, overlaid by environment variables,
//! overlaid by command-line flags. Secrets come only from the environment.

use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use daylight_domain::aqi::AqiScale;
use serde::Deserialize;

use crate::cli::ServeArgs;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub data_dir: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    /// TCP port of the HJ 212 gateway for data loggers, on the same `bind` address; 0 = off.
    pub hj212_port: u16,
    /// Load the built-in Xi'an demo into an empty data directory.
    pub demo: bool,
    pub demo_feed: DemoFeedConfig,
    /// The built site: pkg/ (WASM and JS), style/, vendor/.
    pub site_root: PathBuf,
    /// The display time zone as minutes east of UTC (Asia/Shanghai, which has no daylight
    /// saving time, is +480).
    pub utc_offset_minutes: i32,
    /// The AQI scale visitors see by default (`hj633` or `us-epa`); each visitor may switch.
    pub aqi_scale: AqiScale,
    /// The address visitors use, e.g. `https://air.example.gov.cn` (scheme and host, no
    /// path), for absolute links: oEmbed answers, discovery links, embed snippets. Unset:
    /// taken from each request's `Host` header (`https` when a proxy sends
    /// `X-Forwarded-Proto: https`). Set it behind a proxy that rewrites `Host`.
    pub public_url: Option<String>,
    pub map: MapConfig,
    /// Font files and folders (searched recursively) for the PNG share cards; they need a
    /// font with Chinese characters such as Noto Sans CJK (`fonts-noto-cjk`). Default: the
    /// system's font folders. `DAYLIGHT_CARD_FONTS` takes a `:`-separated list.
    pub card_fonts: Vec<PathBuf>,
    /// The back office's deadlines for complaints.
    pub complaints: ComplaintsConfig,
    pub api: ApiConfig,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DemoFeedConfig {
    pub enabled: bool,
    pub interval_secs: u64,
}

/// The optional tile layer; without one the map draws the district boundaries offline.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MapConfig {
    pub tile_url: Option<String>,
    pub tile_attribution: Option<String>,
}

/// Limits of the public API per client address (see `crate::rate_limit`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ApiConfig {
    /// Requests per second an address may sustain; 0 = no limit.
    pub rate_limit_per_second: u32,
    /// Requests an address may make at once after a quiet spell.
    pub rate_limit_burst: u32,
    /// Concurrent `/api/v1/live` streams per address; 0 = no cap.
    pub live_connections_per_ip: u32,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            rate_limit_per_second: 20,
            rate_limit_burst: 100,
            live_connections_per_ip: 20,
        }
    }
}

/// `[complaints]`: how long the back office has (see `daylight_domain::complaint::Deadlines`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ComplaintsConfig {
    /// Working days (Mon–Fri, holidays not counted out) to accept a complaint.
    pub accept_days: u32,
    /// Calendar days to close it.
    pub close_days: u32,
}

impl Default for ComplaintsConfig {
    fn default() -> Self {
        Self {
            accept_days: 2,
            close_days: 30,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("data"),
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 3000,
            hj212_port: 9212,
            demo: true,
            demo_feed: DemoFeedConfig::default(),
            site_root: PathBuf::from("target/site"),
            utc_offset_minutes: 480,
            aqi_scale: AqiScale::Hj633,
            public_url: None,
            map: MapConfig::default(),
            card_fonts: crate::card::raster::SYSTEM_FONT_DIRS
                .iter()
                .map(PathBuf::from)
                .collect(),
            complaints: ComplaintsConfig::default(),
            api: ApiConfig::default(),
        }
    }
}

impl Default for DemoFeedConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            interval_secs: 3600,
        }
    }
}

impl Config {
    /// Reads the file (if any) and the environment.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Self> {
        let mut config = match file {
            Some(path) => Self::from_file(path)?,
            None if Path::new("daylight.toml").exists() => {
                Self::from_file(Path::new("daylight.toml"))?
            }
            None => Self::default(),
        };
        config.apply_env(|key| std::env::var(key).ok())?;
        Ok(config)
    }

    fn from_file(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read configuration file {}", path.display()))?;
        toml::from_str(&text)
            .with_context(|| format!("invalid configuration file {}", path.display()))
    }

    /// Environment overrides, named `DAYLIGHT_*`.
    pub fn apply_env(&mut self, var: impl Fn(&str) -> Option<String>) -> anyhow::Result<()> {
        fn parse<T: std::str::FromStr>(key: &str, value: String) -> anyhow::Result<T> {
            match value.trim().parse() {
                Ok(v) => Ok(v),
                Err(_) => bail!("environment variable {key} has an invalid value '{value}'"),
            }
        }
        if let Some(v) = var("DAYLIGHT_DATA_DIR") {
            self.data_dir = PathBuf::from(v);
        }
        if let Some(v) = var("DAYLIGHT_BIND") {
            self.bind = parse("DAYLIGHT_BIND", v)?;
        }
        if let Some(v) = var("DAYLIGHT_PORT") {
            self.port = parse("DAYLIGHT_PORT", v)?;
        }
        if let Some(v) = var("DAYLIGHT_HJ212_PORT") {
            self.hj212_port = parse("DAYLIGHT_HJ212_PORT", v)?;
        }
        if let Some(v) = var("DAYLIGHT_DEMO") {
            self.demo = parse("DAYLIGHT_DEMO", v)?;
        }
        if let Some(v) = var("DAYLIGHT_DEMO_FEED") {
            self.demo_feed.enabled = parse("DAYLIGHT_DEMO_FEED", v)?;
        }
        if let Some(v) = var("DAYLIGHT_DEMO_FEED_INTERVAL_SECS") {
            self.demo_feed.interval_secs = parse("DAYLIGHT_DEMO_FEED_INTERVAL_SECS", v)?;
        }
        if let Some(v) = var("DAYLIGHT_SITE_ROOT") {
            self.site_root = PathBuf::from(v);
        }
        if let Some(v) = var("DAYLIGHT_UTC_OFFSET_MINUTES") {
            self.utc_offset_minutes = parse("DAYLIGHT_UTC_OFFSET_MINUTES", v)?;
        }
        if let Some(v) = var("DAYLIGHT_AQI_SCALE") {
            self.aqi_scale = parse("DAYLIGHT_AQI_SCALE", v)?;
        }
        if let Some(v) = var("DAYLIGHT_PUBLIC_URL") {
            self.public_url = Some(v.trim().to_string()).filter(|v| !v.is_empty());
        }
        if let Some(v) = var("DAYLIGHT_CARD_FONTS") {
            self.card_fonts = std::env::split_paths(&v)
                .filter(|p| !p.as_os_str().is_empty())
                .collect();
        }
        if let Some(v) = var("DAYLIGHT_TILE_URL") {
            self.map.tile_url = Some(v);
        }
        if let Some(v) = var("DAYLIGHT_TILE_ATTRIBUTION") {
            self.map.tile_attribution = Some(v);
        }
        if let Some(v) = var("DAYLIGHT_API_RATE_LIMIT_PER_SECOND") {
            self.api.rate_limit_per_second = parse("DAYLIGHT_API_RATE_LIMIT_PER_SECOND", v)?;
        }
        if let Some(v) = var("DAYLIGHT_API_RATE_LIMIT_BURST") {
            self.api.rate_limit_burst = parse("DAYLIGHT_API_RATE_LIMIT_BURST", v)?;
        }
        if let Some(v) = var("DAYLIGHT_API_LIVE_CONNECTIONS_PER_IP") {
            self.api.live_connections_per_ip = parse("DAYLIGHT_API_LIVE_CONNECTIONS_PER_IP", v)?;
        }
        Ok(())
    }

    /// Command-line flags win over everything else.
    pub fn apply_serve_args(&mut self, args: &ServeArgs) {
        if let Some(port) = args.port {
            self.port = port;
        }
        if let Some(bind) = args.bind {
            self.bind = bind;
        }
        if let Some(port) = args.hj212_port {
            self.hj212_port = port;
        }
        if args.no_demo {
            self.demo = false;
        }
        if let Some(secs) = args.demo_feed_interval {
            self.demo_feed.interval_secs = secs;
        }
        if let Some(root) = &args.site_root {
            self.site_root = root.clone();
        }
    }

    pub fn validate(&self) -> anyhow::Result<()> {
        if self.demo_feed.interval_secs == 0 {
            bail!("demo_feed.interval_secs must be at least 1");
        }
        if !(-14 * 60..=14 * 60).contains(&self.utc_offset_minutes) {
            bail!("utc_offset_minutes must be between -840 and 840");
        }
        if self.map.tile_url.is_some() && self.map.tile_attribution.is_none() {
            bail!("map.tile_attribution is required when map.tile_url is set");
        }
        if let Some(url) = &self.public_url {
            if public_base(url).is_none() {
                bail!(
                    "public_url must be a scheme and host such as https://air.example.gov.cn \
                     (http or https, an optional port, no path), not '{url}'"
                );
            }
        }
        Ok(())
    }

    /// The configured public address without a trailing slash, if any (and valid).
    pub fn public_base(&self) -> Option<String> {
        self.public_url.as_deref().and_then(public_base)
    }

    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("daylight.sqlite3")
    }
}

/// `http(s)://host[:port]` with at most a trailing slash, which is dropped.
fn public_base(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let host = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))?;
    let host = host.strip_suffix('/').unwrap_or(host);
    daylight_app::data::is_host(host).then(|| lower.trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_values_are_overridden_by_environment() {
        let mut config: Config =
            toml::from_str("port = 4000\n[demo_feed]\ninterval_secs = 10\n").unwrap();
        assert_eq!(config.port, 4000);
        assert_eq!(config.demo_feed.interval_secs, 10);
        config
            .apply_env(|k| (k == "DAYLIGHT_PORT").then(|| "5000".to_string()))
            .unwrap();
        assert_eq!(config.port, 5000);
    }

    #[test]
    fn unknown_keys_and_bad_env_values_are_errors() {
        assert!(toml::from_str::<Config>("prot = 1").is_err());
        let mut config = Config::default();
        let err = config
            .apply_env(|k| (k == "DAYLIGHT_PORT").then(|| "eighty".to_string()))
            .unwrap_err();
        assert!(err.to_string().contains("DAYLIGHT_PORT"));
    }

    #[test]
    fn the_aqi_scale_is_a_deployment_choice() {
        let config: Config = toml::from_str("aqi_scale = \"us-epa\"").unwrap();
        assert_eq!(config.aqi_scale, AqiScale::UsEpa);
        assert!(toml::from_str::<Config>("aqi_scale = \"who\"").is_err());
    }

    #[test]
    fn the_gateway_port_comes_from_file_env_or_flag() {
        assert_eq!(Config::default().hj212_port, 9212);
        let mut config: Config = toml::from_str("hj212_port = 0").unwrap();
        assert_eq!(config.hj212_port, 0);
        config
            .apply_env(|k| (k == "DAYLIGHT_HJ212_PORT").then(|| "9300".to_string()))
            .unwrap();
        assert_eq!(config.hj212_port, 9300);
        config.apply_serve_args(&ServeArgs {
            hj212_port: Some(9400),
            ..ServeArgs::default()
        });
        assert_eq!(config.hj212_port, 9400);
    }

    #[test]
    fn public_url_is_a_scheme_and_host() {
        let mut config = Config {
            public_url: Some("https://Air.Example.gov.cn/".into()),
            ..Config::default()
        };
        assert!(config.validate().is_ok());
        assert_eq!(
            config.public_base().as_deref(),
            Some("https://air.example.gov.cn")
        );
        for bad in [
            "air.example.gov.cn",
            "ftp://air.example",
            "https://air.example/daylight",
            "https://",
            "https://a\"b",
        ] {
            config.public_url = Some(bad.into());
            assert!(config.validate().is_err(), "{bad} accepted");
        }
        config.public_url = None;
        config
            .apply_env(|k| (k == "DAYLIGHT_PUBLIC_URL").then(|| "http://127.0.0.1:8080".into()))
            .unwrap();
        assert_eq!(
            config.public_base().as_deref(),
            Some("http://127.0.0.1:8080")
        );
    }

    #[test]
    fn api_limits_come_from_file_or_env() {
        assert_eq!(Config::default().api.rate_limit_per_second, 20);
        let mut config: Config =
            toml::from_str("[api]\nrate_limit_per_second = 5\nrate_limit_burst = 7\n").unwrap();
        assert_eq!(config.api.rate_limit_burst, 7);
        assert_eq!(config.api.live_connections_per_ip, 20);
        config
            .apply_env(|k| (k == "DAYLIGHT_API_RATE_LIMIT_PER_SECOND").then(|| "0".into()))
            .unwrap();
        assert_eq!(config.api.rate_limit_per_second, 0);
        assert!(toml::from_str::<Config>("[api]\nrate_limit = 1").is_err());
    }

    #[test]
    fn card_fonts_default_to_the_system_folders() {
        let config = Config::default();
        assert!(config
            .card_fonts
            .contains(&PathBuf::from("/usr/share/fonts")));
        let mut config: Config = toml::from_str("card_fonts = [\"/opt/fonts\"]").unwrap();
        assert_eq!(config.card_fonts, vec![PathBuf::from("/opt/fonts")]);
        config
            .apply_env(|k| (k == "DAYLIGHT_CARD_FONTS").then(|| "/a/b.ttc:/c".into()))
            .unwrap();
        assert_eq!(
            config.card_fonts,
            vec![PathBuf::from("/a/b.ttc"), PathBuf::from("/c")]
        );
    }

    #[test]
    fn tile_url_needs_attribution() {
        let mut config = Config::default();
        config.map.tile_url = Some("https://tiles.example/{z}/{x}/{y}.png".into());
        assert!(config.validate().is_err());
    }
}
