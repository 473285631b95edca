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
    /// Register, list or remove HJ 212 data loggers (数采仪) of the TCP gateway.
    #[command(subcommand)]
    Logger(LoggerCommand),
    /// Issue, list or revoke the tokens of the HTTP push API (POST /api/v1/ingest/readings).
    #[command(subcommand)]
    Token(TokenCommand),
    /// Manage the API keys of the Open311 GeoReport v2 interface (/open311/v2/).
    #[command(subcommand)]
    Open311(Open311Command),
    /// Add, list or remove the accounts of the complaints back office (/admin).
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Add, list or remove the accounts of enterprises (/account): each sees and changes only
    /// its own enterprise.
    #[command(subcommand)]
    EnterpriseUser(EnterpriseUserCommand),
    /// Check the audit trails (留痕) of the complaints and of the enterprise accounts.
    #[command(subcommand)]
    Audit(AuditCommand),
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
    /// TCP port of the HJ 212 gateway for data loggers (default 9212; 0 turns it off).
    #[arg(long)]
    pub hj212_port: Option<u16>,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Stations CSV: code,name,kind,lon,lat,district,water_body[,river,approximate,provenance].
    Stations(ImportArgs),
    /// Readings CSV: station_code,time,parameter,value,unit[,flag,source].
    Readings(ImportArgs),
    /// District boundaries as a GeoJSON FeatureCollection.
    Districts(DistrictImportArgs),
    /// Enterprises CSV: credit_code,name,industry,district[,permit_number,address,lon,lat,key_unit,demo,provenance].
    Enterprises(ImportArgs),
    /// Outlets CSV: credit_code,outlet,kind[,name,lon,lat,stack_height,receiving_water].
    Outlets(ImportArgs),
    /// Outlet limits CSV: credit_code,outlet,pollutant,limit,standard,averaging,method,frequency[,unit].
    Limits(ImportArgs),
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

#[derive(Debug, Subcommand)]
pub enum LoggerCommand {
    /// Register a logger (or change the registration of its MN).
    Add(LoggerAddArgs),
    /// List the registered loggers.
    List,
    /// Unregister a logger; its packets are refused from then on.
    Remove {
        /// The logger's MN.
        mn: String,
    },
}

#[derive(Debug, Args)]
pub struct LoggerAddArgs {
    /// The logger's unique number (MN): 1–24 characters of 0-9, A-Z, a-z.
    pub mn: String,
    /// The password (PW) the logger sends: 1–6 characters, as HJ 212-2017 Table 3 allows.
    #[arg(long)]
    pub password: String,
    /// The code of the station whose values the logger sends (it must exist).
    #[arg(long, required_unless_present = "outlet", conflicts_with = "outlet")]
    pub station: Option<String>,
    /// The enterprise outlet whose emissions the logger sends, as CREDIT_CODE/OUTLET_CODE
    /// (both must exist; see `daylight import outlets`). Its values are self-reported.
    #[arg(long, value_name = "CREDIT_CODE/OUTLET_CODE")]
    pub outlet: Option<String>,
    /// Accept the documented real-world framing deviations (swapped MODBUS CRC, wrong length
    /// field, segments over 1024 bytes).
    #[arg(long)]
    pub lenient: bool,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Issue a token for a source and print it (once: only its hash is kept).
    Add(TokenAddArgs),
    /// List the tokens: name, creation time, stations (never the token).
    List,
    /// Revoke a token; requests with it are refused from then on.
    Remove {
        /// The source's name.
        name: String,
    },
}

#[derive(Debug, Args)]
pub struct TokenAddArgs {
    /// A name for the source, e.g. city-bureau-feed: 1–64 characters of A-Z, a-z, 0-9, '-',
    /// '_' and '.'.
    pub name: String,
    /// A station the token may write (repeat for several; without it, every station).
    #[arg(long = "station", value_name = "CODE")]
    pub stations: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Add an account; the password is asked for, or read from standard input.
    Add(AdminAddArgs),
    /// List the accounts: name, role, district, creation time (never a password).
    List,
    /// Remove an account; its sessions end at once.
    Remove {
        /// The user name.
        username: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AdminRole {
    /// The complaints of one district (--district ADCODE).
    DistrictOfficer,
    /// Every complaint, including the city-level queue.
    CitySupervisor,
    /// Like a city supervisor; the CSV export includes the reporters' contacts.
    Admin,
}

#[derive(Debug, Args)]
pub struct AdminAddArgs {
    /// 1–64 characters of a-z, 0-9, '.', '_' and '-'.
    pub username: String,
    #[arg(long, value_enum)]
    pub role: AdminRole,
    /// The district (adcode) of a district officer.
    #[arg(long)]
    pub district: Option<String>,
    /// Read the password from the first line of standard input instead of asking.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Subcommand)]
pub enum EnterpriseUserCommand {
    /// Add an account of an enterprise; the password is asked for, or read from standard
    /// input.
    Add(EnterpriseUserAddArgs),
    /// List the accounts: name, enterprise, creation time (never a password).
    List,
    /// Remove an account; its sessions end at once (its statements and audit records stay).
    Remove {
        /// The user name.
        username: String,
    },
}

#[derive(Debug, Args)]
pub struct EnterpriseUserAddArgs {
    /// 1–64 characters of a-z, 0-9, '.', '_' and '-'.
    pub username: String,
    /// The unified social credit code of the account's enterprise (it must be imported).
    #[arg(long, value_name = "CREDIT_CODE")]
    pub enterprise: String,
    /// The name statements are published under (default: the user name).
    #[arg(long)]
    pub display_name: Option<String>,
    /// Read the password from the first line of standard input instead of asking.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the hash chains of the complaint history and of the enterprise accounts' changes;
    /// exit 1 naming the first broken record.
    Verify,
}

#[derive(Debug, Subcommand)]
pub enum Open311Command {
    /// Issue, list or revoke the API keys that may create requests (POST requests).
    #[command(subcommand)]
    Key(Open311KeyCommand),
}

#[derive(Debug, Subcommand)]
pub enum Open311KeyCommand {
    /// Issue a key for a client and print it (once: only its hash is kept).
    Add {
        /// A name for the client, e.g. city-hotline: 1–64 characters of A-Z, a-z, 0-9, '-',
        /// '_' and '.'.
        name: String,
    },
    /// List the clients: name and creation time (never a key).
    List,
    /// Revoke a client's key; its requests are refused from then on.
    Remove {
        /// The client's name.
        name: String,
    },
}
