//! The `daylight` command line.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "daylight",
    version,
    about = "Daylight: a city's public window on its environment"
)]
pub struct Cli {
    /// Where the database and other state live (default ./data).
    #[arg(long, global = true, env = "DAYLIGHT_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// A TOML configuration file (default: ./daylight.toml when it exists).
    #[arg(long, global = true, env = "DAYLIGHT_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the portal (the default).
    Serve(ServeArgs),
    /// Import stations, readings or districts from files.
    #[command(subcommand)]
    Import(ImportCommand),
}

#[derive(Debug, Default, Args)]
pub struct ServeArgs {
    /// TCP port for HTTP (default 3000).
    #[arg(long)]
    pub port: Option<u16>,
    /// Address to listen on (default 127.0.0.1).
    #[arg(long)]
    pub bind: Option<std::net::IpAddr>,
    /// Start with an empty database instead of the built-in demo.
    #[arg(long)]
    pub no_demo: bool,
    /// Seconds between two ticks of the demo feed (default 3600; 10 makes a lively demo).
    #[arg(long)]
    pub demo_feed_interval: Option<u64>,
    /// Folder with the built site (pkg/, style/, vendor/).
    #[arg(long)]
    pub site_root: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Stations CSV: code,name,kind,lon,lat,district,water_body[,river,approximate,provenance].
    Stations(ImportArgs),
    /// Readings CSV: station_code,time,parameter,value,unit[,flag,source].
    Readings(ImportArgs),
    /// District boundaries as a GeoJSON FeatureCollection.
    Districts(DistrictImportArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    pub file: PathBuf,
    /// Import the good rows and skip the bad ones (default: nothing is imported if any row is bad).
    #[arg(long)]
    pub skip_bad_rows: bool,
}

#[derive(Debug, Args)]
pub struct DistrictImportArgs {
    pub file: PathBuf,
    /// The datum of the file's coordinates; GCJ-02 (AMap, DataV) is converted to WGS-84.
    #[arg(long, value_enum, default_value_t = Datum::Wgs84)]
    pub datum: Datum,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Datum {
    Wgs84,
    Gcj02,
}
