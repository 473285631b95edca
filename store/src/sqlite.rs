//! The SQLite implementation: one file in the data directory, WAL mode, migrations on open.

use std::collections::BTreeSet;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use daylight_domain::complaint::suspect::Suspect;
use daylight_domain::complaint::{Category, Contact, Status, TrackingCode};
use daylight_domain::enterprise::{CreditCode, OutletCode};
use daylight_domain::geo::{LonLat, MultiPolygon};
use daylight_domain::parameter::Parameter;
use daylight_domain::station::{DataFlag, DataSource, StationCode, StationKind};
use daylight_domain::units::Unit;
use daylight_domain::water::WaterBody;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Row, SqlitePool};

use crate::{Admin, AdminSession, AuditReport, ComplaintAction, Role};
use crate::{Complaint, ComplaintEvent, EventKind, NewComplaint, Submitted};
use crate::{
    District, ImportCounts, IngestToken, Logger, LoggerTarget, Reading, Result, SourceName,
    Station, StationScope, Store, StoreError, TimeRange, TokenHash,
};
use bulk::BulkWriter;

mod backoffice;
mod bulk;
mod enterprise_accounts;
mod enterprises;
mod handling;
mod open311;
mod photos;
mod snapshots;
mod stats;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// How write transactions begin. A deferred transaction that reads first and writes later
/// fails at once with SQLITE_BUSY (the busy timeout does not apply) when another connection
/// or process, such as the CLI beside a running server, committed in between; taking the
/// write lock up front makes it wait its turn instead.
const WRITE: &str = "BEGIN IMMEDIATE";

/// Whether a write works out what it changed ([`ImportCounts`]): a query per chunk that
/// imports want and the live ingest path does without.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Counting {
    Count,
    Skip,
}

/// Daylight on an SQLite file.
#[derive(Clone)]
pub struct SqliteStore {
    /// Connections for reading.
    pool: SqlitePool,
    /// The one connection that writes. SQLite lets one writer in at a time anyway; with a
    /// connection of its own, writers queue here instead of sleeping in the busy handler,
    /// and its page cache stays warm: a connection throws its whole cache away when it finds
    /// that another connection has written, so a writer taking turns with the readers' pool
    /// read most of the readings' B-tree back from the file on every transaction.
    writer: SqlitePool,
    /// Writes readings and samples (see [`bulk`]).
    values: Arc<BulkWriter>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Self> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a commit is on disk when it returns, so a value acknowledged to a data
            // logger survives a power cut too (NORMAL in WAL mode only survives a process
            // crash). Group commit in the ingest path keeps this to one sync per batch.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
            // 64 MiB of page cache per connection (the default is 2 MiB): ingest touches
            // pages all over the readings index, and re-reading them costs more than memory.
            .pragma("cache_size", "-65536");
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            // A local file does not go stale: no ping (a thread round trip) per transaction.
            .test_before_acquire(false)
            // Kept open: its page cache is the point.
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options.clone())
            .await?;
        MIGRATOR.run(&writer).await?;
        backoffice::seal_legacy(&writer).await?;
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .test_before_acquire(false)
            .connect_with(options)
            .await?;
        let values = Arc::new(BulkWriter::open(path)?);
        Ok(Self {
            pool,
            writer,
            values,
        })
    }

    /// One station's values in `[from, to)` from `table` (readings or samples), oldest first,
    /// optionally of one parameter.
    async fn select_values(
        &self,
        table: &str,
        code: &StationCode,
        range: TimeRange,
        parameter: Option<Parameter>,
    ) -> Result<Vec<Reading>> {
        let sql = format!(
            "SELECT {READING_COLUMNS} FROM {table} WHERE station_code = ?1 AND time >= ?2 \
             AND time < ?3 AND (?4 IS NULL OR parameter = ?4) ORDER BY time, parameter"
        );
        sqlx::query(&sql)
            .bind(code.as_str())
            .bind(to_unix(range.from))
            .bind(to_unix(range.to))
            .bind(parameter.map(|p| p.code()))
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(reading_from_row)
            .collect()
    }
}

fn to_unix(time: DateTime<Utc>) -> i64 {
    time.timestamp()
}

fn from_unix(secs: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp(secs, 0)
        .ok_or_else(|| StoreError::Corrupt(format!("time {secs} out of range")))
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} '{value}'"))
}

fn station_from_row(row: &SqliteRow) -> Result<Station> {
    let code: String = row.try_get("code")?;
    let kind: String = row.try_get("kind")?;
    let water_body: Option<String> = row.try_get("water_body")?;
    let position = LonLat::new(row.try_get("lon")?, row.try_get("lat")?)
        .map_err(|e| StoreError::Corrupt(format!("station {code}: {e}")))?;
    Ok(Station {
        code: StationCode::parse(&code).map_err(|_| corrupt("station code", &code))?,
        name: row.try_get("name")?,
        kind: StationKind::from_str(&kind).map_err(|_| corrupt("station kind", &kind))?,
        position,
        district: row.try_get("district")?,
        water_body: water_body
            .map(|w| WaterBody::from_str(&w).map_err(|_| corrupt("water body", &w)))
            .transpose()?,
        river: row.try_get("river")?,
        position_approximate: row.try_get::<i64, _>("position_approximate")? != 0,
        provenance: row.try_get("provenance")?,
    })
}

fn reading_from_row(row: &SqliteRow) -> Result<Reading> {
    let code: String = row.try_get("station_code")?;
    let parameter: String = row.try_get("parameter")?;
    let unit: String = row.try_get("unit")?;
    let flag: String = row.try_get("flag")?;
    let source: String = row.try_get("source")?;
    Ok(Reading {
        station: StationCode::parse(&code).map_err(|_| corrupt("station code", &code))?,
        parameter: Parameter::from_str(&parameter).map_err(|_| corrupt("parameter", &parameter))?,
        time: from_unix(row.try_get("time")?)?,
        value: row.try_get("value")?,
        unit: Unit::from_str(&unit).map_err(|_| corrupt("unit", &unit))?,
        flag: DataFlag::from_code(&flag),
        source: DataSource::from_str(&source).map_err(|_| corrupt("source", &source))?,
        provenance: row.try_get("provenance")?,
    })
}

fn logger_from_row(row: &SqliteRow) -> Result<Logger> {
    let station: Option<String> = row.try_get("station_code")?;
    let enterprise: Option<String> = row.try_get("outlet_enterprise")?;
    let outlet: Option<String> = row.try_get("outlet_code")?;
    let target = match (station, enterprise, outlet) {
        (Some(code), None, None) => LoggerTarget::Station(
            StationCode::parse(&code).map_err(|_| corrupt("station code", &code))?,
        ),
        (None, Some(enterprise), Some(outlet)) => LoggerTarget::Outlet {
            enterprise: CreditCode::parse(&enterprise)
                .map_err(|_| corrupt("credit code", &enterprise))?,
            outlet: OutletCode::parse(&outlet).map_err(|_| corrupt("outlet code", &outlet))?,
        },
        _ => {
            return Err(corrupt(
                "logger target",
                "neither one station nor one outlet",
            ))
        }
    };
    Ok(Logger {
        mn: row.try_get("mn")?,
        password: row.try_get("password")?,
        target,
        lenient: row.try_get::<i64, _>("lenient")? != 0,
        source: match row.try_get::<String, _>("source")?.as_str() {
            "simulated" => DataSource::Simulated,
            "measured" => DataSource::Measured,
            other => return Err(corrupt("logger source", other)),
        },
    })
}

/// A token with one of its stations (`None` when it has none): `TOKEN_SELECT`'s rows.
type TokenRow = (String, i64, i64, Option<String>);

const TOKEN_SELECT: &str = "SELECT t.name, t.all_stations, t.created, s.station_code \
     FROM ingest_tokens AS t LEFT JOIN ingest_token_stations AS s ON s.token_name = t.name";

/// Tokens from rows ordered by token name (or of one token), in that order.
fn ingest_tokens_from_rows(rows: Vec<TokenRow>) -> Result<Vec<IngestToken>> {
    let mut tokens: Vec<(String, bool, i64, BTreeSet<StationCode>)> = Vec::new();
    for (name, all_stations, created, station) in rows {
        if tokens.last().is_none_or(|(last, ..)| *last != name) {
            tokens.push((name, all_stations != 0, created, BTreeSet::new()));
        }
        if let Some(code) = station {
            let code = StationCode::parse(&code).map_err(|_| corrupt("station code", &code))?;
            if let Some((.., stations)) = tokens.last_mut() {
                stations.insert(code);
            }
        }
    }
    tokens
        .into_iter()
        .map(|(name, all_stations, created, stations)| {
            Ok(IngestToken {
                name: SourceName::parse(&name).map_err(|_| corrupt("token name", &name))?,
                scope: if all_stations {
                    StationScope::All
                } else {
                    StationScope::Only(stations)
                },
                created: from_unix(created)?,
            })
        })
        .collect()
}

const COMPLAINT_COLUMNS: &str = "id, tracking_code, category, description, observed, lon, lat, \
     address, district, outside_city, contact_kind, contact, status, created, evidence, \
     suspect_code, suspect_name";

fn complaint_from_row(row: &SqliteRow) -> Result<Complaint> {
    let code: String = row.try_get("tracking_code")?;
    let category: String = row.try_get("category")?;
    let status: String = row.try_get("status")?;
    let lon: Option<f64> = row.try_get("lon")?;
    let lat: Option<f64> = row.try_get("lat")?;
    let location = match (lon, lat) {
        (Some(lon), Some(lat)) => Some(
            LonLat::new(lon, lat)
                .map_err(|e| StoreError::Corrupt(format!("complaint {code}: {e}")))?,
        ),
        _ => None,
    };
    let contact_kind: Option<String> = row.try_get("contact_kind")?;
    let contact: Option<String> = row.try_get("contact")?;
    let contact = match (contact_kind.as_deref(), contact) {
        (Some("phone"), Some(v)) => Some(Contact::Phone(v)),
        (Some("email"), Some(v)) => Some(Contact::Email(v)),
        (None, None) => None,
        (kind, _) => return Err(corrupt("contact kind", kind.unwrap_or("NULL"))),
    };
    let evidence: String = row.try_get("evidence")?;
    let suspect_code: Option<String> = row.try_get("suspect_code")?;
    let suspect_name: Option<String> = row.try_get("suspect_name")?;
    let suspect = match (suspect_code, suspect_name) {
        (Some(c), Some(name)) => Some(Suspect::Registered {
            code: CreditCode::parse(&c).map_err(|_| corrupt("suspect code", &c))?,
            name,
        }),
        (None, Some(text)) => Some(Suspect::Named { text }),
        (Some(c), None) => return Err(corrupt("suspect without a name", &c)),
        (None, None) => None,
    };
    Ok(Complaint {
        id: row.try_get("id")?,
        tracking_code: TrackingCode::parse(&code).map_err(|_| corrupt("tracking code", &code))?,
        category: category
            .parse::<Category>()
            .map_err(|_| corrupt("category", &category))?,
        description: row.try_get("description")?,
        observed: from_unix(row.try_get("observed")?)?,
        location,
        address: row.try_get("address")?,
        district: row.try_get("district")?,
        outside_city: row.try_get::<i64, _>("outside_city")? != 0,
        contact,
        status: status
            .parse::<Status>()
            .map_err(|_| corrupt("status", &status))?,
        created: from_unix(row.try_get("created")?)?,
        evidence: serde_json::from_str(&evidence)
            .map_err(|e| StoreError::Corrupt(format!("evidence of {code}: {e}")))?,
        suspect,
    })
}

fn event_from_row(row: &SqliteRow) -> Result<ComplaintEvent> {
    let kind: String = row.try_get("kind")?;
    let status: Option<String> = row.try_get("status")?;
    Ok(ComplaintEvent {
        id: row.try_get("id")?,
        complaint_id: row.try_get("complaint_id")?,
        time: from_unix(row.try_get("time")?)?,
        kind: EventKind::parse(&kind).ok_or_else(|| corrupt("event kind", &kind))?,
        status: status
            .map(|s| s.parse::<Status>().map_err(|_| corrupt("status", &s)))
            .transpose()?,
        body: row.try_get("body")?,
        actor: row.try_get("actor")?,
    })
}

enum Key {
    Blob(Vec<u8>),
    Text(String),
}

impl SqliteStore {
    /// The complaint whose `column` equals `value` (a hash as a BLOB, or text).
    async fn complaint_where(&self, column: &str, value: Key) -> Result<Option<Complaint>> {
        let sql = format!("SELECT {COMPLAINT_COLUMNS} FROM complaints WHERE {column} = ?");
        let query = sqlx::query(&sql);
        let query = match value {
            Key::Blob(bytes) => query.bind(bytes),
            Key::Text(text) => query.bind(text),
        };
        query
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(complaint_from_row)
            .transpose()
    }
}

const READING_COLUMNS: &str =
    "station_code, parameter, time, value, unit, flag, source, provenance";

/// Where a batch of values goes and what it may replace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Destination {
    /// Hourly values as reported: insert, or replace whatever is there.
    Reported,
    /// Hourly values derived from samples: insert, or replace only derived values.
    Derived,
    /// Sub-hourly samples.
    Samples,
}

#[async_trait]
impl Store for SqliteStore {
    async fn upsert_stations(&self, stations: &[Station]) -> Result<ImportCounts> {
        let mut tx = self.writer.begin_with(WRITE).await?;
        let mut counts = ImportCounts::default();
        for s in stations {
            let inserted = sqlx::query(
                "INSERT OR IGNORE INTO stations (code, name, kind, lon, lat, district, water_body, \
                 river, position_approximate, provenance) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(s.code.as_str())
            .bind(&s.name)
            .bind(s.kind.as_str())
            .bind(s.position.lon)
            .bind(s.position.lat)
            .bind(&s.district)
            .bind(s.water_body.map(|w| w.as_str()))
            .bind(&s.river)
            .bind(s.position_approximate as i64)
            .bind(&s.provenance)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if inserted == 1 {
                counts.inserted += 1;
                continue;
            }
            let updated = sqlx::query(
                "UPDATE stations SET name = ?2, kind = ?3, lon = ?4, lat = ?5, district = ?6, \
                 water_body = ?7, river = ?8, position_approximate = ?9, provenance = ?10 \
                 WHERE code = ?1 AND (name IS NOT ?2 OR kind IS NOT ?3 OR lon IS NOT ?4 \
                 OR lat IS NOT ?5 OR district IS NOT ?6 OR water_body IS NOT ?7 OR river IS NOT ?8 \
                 OR position_approximate IS NOT ?9 OR provenance IS NOT ?10)",
            )
            .bind(s.code.as_str())
            .bind(&s.name)
            .bind(s.kind.as_str())
            .bind(s.position.lon)
            .bind(s.position.lat)
            .bind(&s.district)
            .bind(s.water_body.map(|w| w.as_str()))
            .bind(&s.river)
            .bind(s.position_approximate as i64)
            .bind(&s.provenance)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 1 {
                counts.updated += 1;
            } else {
                counts.unchanged += 1;
            }
        }
        tx.commit().await?;
        Ok(counts)
    }

    async fn stations(&self) -> Result<Vec<Station>> {
        sqlx::query("SELECT * FROM stations ORDER BY kind, code")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(station_from_row)
            .collect()
    }

    async fn station(&self, code: &StationCode) -> Result<Option<Station>> {
        sqlx::query("SELECT * FROM stations WHERE code = ?")
            .bind(code.as_str())
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(station_from_row)
            .transpose()
    }

    async fn ingest_readings(&self, readings: &[Reading]) -> Result<()> {
        self.values
            .write(readings.to_vec(), Destination::Reported, Counting::Skip)
            .await
            .map(drop)
    }

    async fn upsert_readings(&self, readings: &[Reading]) -> Result<ImportCounts> {
        self.values
            .write(readings.to_vec(), Destination::Reported, Counting::Count)
            .await
    }

    async fn upsert_derived_readings(&self, readings: &[Reading]) -> Result<ImportCounts> {
        self.values
            .write(readings.to_vec(), Destination::Derived, Counting::Count)
            .await
    }

    async fn upsert_samples(&self, samples: &[Reading]) -> Result<ImportCounts> {
        self.values
            .write(samples.to_vec(), Destination::Samples, Counting::Count)
            .await
    }

    async fn samples(
        &self,
        code: &StationCode,
        range: TimeRange,
        parameter: Option<Parameter>,
    ) -> Result<Vec<Reading>> {
        self.select_values("samples", code, range, parameter).await
    }

    async fn readings(
        &self,
        code: &StationCode,
        range: TimeRange,
        parameter: Option<Parameter>,
    ) -> Result<Vec<Reading>> {
        self.select_values("readings", code, range, parameter).await
    }

    async fn latest_readings(&self) -> Result<Vec<Reading>> {
        let sql = format!(
            "SELECT {READING_COLUMNS} FROM readings AS r \
             JOIN (SELECT station_code AS code, MAX(time) AS latest FROM readings GROUP BY station_code) AS l \
             ON r.station_code = l.code AND r.time = l.latest ORDER BY r.station_code, r.parameter"
        );
        sqlx::query(&sql)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(reading_from_row)
            .collect()
    }

    async fn latest_time(&self, code: &StationCode) -> Result<Option<DateTime<Utc>>> {
        let latest: Option<i64> =
            sqlx::query_scalar("SELECT MAX(time) FROM readings WHERE station_code = ?")
                .bind(code.as_str())
                .fetch_one(&self.pool)
                .await?;
        latest.map(from_unix).transpose()
    }

    async fn upsert_districts(&self, districts: &[District]) -> Result<ImportCounts> {
        let mut tx = self.writer.begin_with(WRITE).await?;
        let mut counts = ImportCounts::default();
        for d in districts {
            let boundary = serde_json::to_string(&d.boundary)
                .map_err(|e| StoreError::Corrupt(format!("boundary of {}: {e}", d.adcode)))?;
            let before: Option<(String, f64, f64, String)> = sqlx::query_as(
                "SELECT name, center_lon, center_lat, boundary FROM districts WHERE adcode = ?",
            )
            .bind(&d.adcode)
            .fetch_optional(&mut *tx)
            .await?;
            let row = (d.name.clone(), d.center.lon, d.center.lat, boundary);
            match before {
                Some(existing) if existing == row => counts.unchanged += 1,
                existing => {
                    if existing.is_some() {
                        counts.updated += 1;
                    } else {
                        counts.inserted += 1;
                    }
                    sqlx::query(
                        "INSERT INTO districts (adcode, name, center_lon, center_lat, boundary) \
                         VALUES (?, ?, ?, ?, ?) ON CONFLICT (adcode) DO UPDATE SET \
                         name = excluded.name, center_lon = excluded.center_lon, \
                         center_lat = excluded.center_lat, boundary = excluded.boundary",
                    )
                    .bind(&d.adcode)
                    .bind(&row.0)
                    .bind(row.1)
                    .bind(row.2)
                    .bind(&row.3)
                    .execute(&mut *tx)
                    .await?;
                }
            }
        }
        tx.commit().await?;
        Ok(counts)
    }

    async fn districts(&self) -> Result<Vec<District>> {
        let rows: Vec<(String, String, f64, f64, String)> = sqlx::query_as(
            "SELECT adcode, name, center_lon, center_lat, boundary FROM districts ORDER BY adcode",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(adcode, name, lon, lat, boundary)| {
                let boundary: MultiPolygon = serde_json::from_str(&boundary)
                    .map_err(|e| StoreError::Corrupt(format!("boundary of {adcode}: {e}")))?;
                let center = LonLat::new(lon, lat)
                    .map_err(|e| StoreError::Corrupt(format!("center of {adcode}: {e}")))?;
                Ok(District {
                    adcode,
                    name,
                    center,
                    boundary,
                })
            })
            .collect()
    }

    async fn upsert_logger(&self, logger: &Logger) -> Result<()> {
        let mut tx = self.writer.begin_with(WRITE).await?;
        let (station, enterprise, outlet) = match &logger.target {
            LoggerTarget::Station(code) => {
                let exists: Option<i64> =
                    sqlx::query_scalar("SELECT 1 FROM stations WHERE code = ?")
                        .bind(code.as_str())
                        .fetch_optional(&mut *tx)
                        .await?;
                if exists.is_none() {
                    return Err(StoreError::UnknownStation(code.to_string()));
                }
                (Some(code.as_str()), None, None)
            }
            LoggerTarget::Outlet { enterprise, outlet } => {
                let exists: Option<i64> =
                    sqlx::query_scalar("SELECT 1 FROM outlets WHERE enterprise = ? AND code = ?")
                        .bind(enterprise.as_str())
                        .bind(outlet.as_str())
                        .fetch_optional(&mut *tx)
                        .await?;
                if exists.is_none() {
                    return Err(StoreError::UnknownOutlet(format!("{enterprise}/{outlet}")));
                }
                (None, Some(enterprise.as_str()), Some(outlet.as_str()))
            }
        };
        sqlx::query(
            "INSERT INTO loggers (mn, password, station_code, outlet_enterprise, outlet_code, \
             lenient, created, source) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (mn) DO UPDATE SET \
             password = excluded.password, station_code = excluded.station_code, \
             outlet_enterprise = excluded.outlet_enterprise, outlet_code = excluded.outlet_code, \
             lenient = excluded.lenient, source = excluded.source",
        )
        .bind(&logger.mn)
        .bind(&logger.password)
        .bind(station)
        .bind(enterprise)
        .bind(outlet)
        .bind(logger.lenient as i64)
        .bind(to_unix(Utc::now()))
        .bind(logger.source.as_str())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn logger(&self, mn: &str) -> Result<Option<Logger>> {
        sqlx::query(
            "SELECT mn, password, station_code, outlet_enterprise, outlet_code, lenient, source \
             FROM loggers WHERE mn = ?",
        )
        .bind(mn)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(logger_from_row)
        .transpose()
    }

    async fn loggers(&self) -> Result<Vec<Logger>> {
        sqlx::query(
            "SELECT mn, password, station_code, outlet_enterprise, outlet_code, lenient, source \
             FROM loggers ORDER BY mn",
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(logger_from_row)
        .collect()
    }

    async fn remove_logger(&self, mn: &str) -> Result<bool> {
        let removed = sqlx::query("DELETE FROM loggers WHERE mn = ?")
            .bind(mn)
            .execute(&self.writer)
            .await?
            .rows_affected();
        Ok(removed > 0)
    }

    async fn add_ingest_token(&self, token: &IngestToken, hash: &TokenHash) -> Result<()> {
        let mut tx = self.writer.begin_with(WRITE).await?;
        let taken: Option<i64> = sqlx::query_scalar("SELECT 1 FROM ingest_tokens WHERE name = ?")
            .bind(token.name.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(StoreError::TokenNameTaken(token.name.to_string()));
        }
        sqlx::query(
            "INSERT INTO ingest_tokens (name, token_hash, all_stations, created) VALUES (?, ?, ?, ?)",
        )
        .bind(token.name.as_str())
        .bind(hash.as_bytes().as_slice())
        .bind(matches!(token.scope, StationScope::All) as i64)
        .bind(to_unix(token.created))
        .execute(&mut *tx)
        .await?;
        if let StationScope::Only(stations) = &token.scope {
            for code in stations {
                let exists: Option<i64> =
                    sqlx::query_scalar("SELECT 1 FROM stations WHERE code = ?")
                        .bind(code.as_str())
                        .fetch_optional(&mut *tx)
                        .await?;
                if exists.is_none() {
                    return Err(StoreError::UnknownStation(code.to_string()));
                }
                sqlx::query(
                    "INSERT INTO ingest_token_stations (token_name, station_code) VALUES (?, ?)",
                )
                .bind(token.name.as_str())
                .bind(code.as_str())
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    // The two reads below are single statements, so each sees one consistent snapshot
    // without a transaction (and without taking SQLite's write lock on every push).
    async fn ingest_token_by_hash(&self, hash: &TokenHash) -> Result<Option<IngestToken>> {
        let rows: Vec<TokenRow> = sqlx::query_as(&format!("{TOKEN_SELECT} WHERE t.token_hash = ?"))
            .bind(hash.as_bytes().as_slice())
            .fetch_all(&self.pool)
            .await?;
        Ok(ingest_tokens_from_rows(rows)?.into_iter().next())
    }

    async fn ingest_tokens(&self) -> Result<Vec<IngestToken>> {
        let rows: Vec<TokenRow> = sqlx::query_as(&format!("{TOKEN_SELECT} ORDER BY t.name"))
            .fetch_all(&self.pool)
            .await?;
        ingest_tokens_from_rows(rows)
    }

    async fn remove_ingest_token(&self, name: &SourceName) -> Result<bool> {
        // The token's stations go with it (ON DELETE CASCADE).
        let removed = sqlx::query("DELETE FROM ingest_tokens WHERE name = ?")
            .bind(name.as_str())
            .execute(&self.writer)
            .await?
            .rows_affected();
        Ok(removed > 0)
    }

    async fn submit_complaint(&self, c: &NewComplaint) -> Result<Submitted> {
        self.submit_complaint_with_photos(c, &[]).await
    }

    async fn submit_complaint_with_photos(
        &self,
        c: &NewComplaint,
        photos: &[daylight_domain::complaint::photo::Photo],
    ) -> Result<Submitted> {
        let mut tx = self.writer.begin_with(WRITE).await?;
        let existing = sqlx::query(&format!(
            "SELECT {COMPLAINT_COLUMNS} FROM complaints WHERE idempotency_hash = ?"
        ))
        .bind(c.idempotency_hash.as_bytes().as_slice())
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(row) = existing {
            return Ok(Submitted::Existing(complaint_from_row(&row)?));
        }
        let taken: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM complaints WHERE tracking_code = ?")
                .bind(c.tracking_code.as_str())
                .fetch_optional(&mut *tx)
                .await?;
        if taken.is_some() {
            return Err(StoreError::TrackingCodeTaken(c.tracking_code.to_string()));
        }
        let evidence = serde_json::to_string(&c.evidence)
            .map_err(|e| StoreError::Corrupt(format!("evidence: {e}")))?;
        let created = to_unix(c.created);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO complaints (tracking_code, follow_hash, idempotency_hash, category, \
             description, observed, lon, lat, address, district, outside_city, contact_kind, \
             contact, status, created, evidence, suspect_code, suspect_name) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', ?, ?, ?, ?) RETURNING id",
        )
        .bind(c.tracking_code.as_str())
        .bind(c.follow_hash.as_bytes().as_slice())
        .bind(c.idempotency_hash.as_bytes().as_slice())
        .bind(c.category.as_str())
        .bind(&c.description)
        .bind(to_unix(c.observed))
        .bind(c.location.map(|p| p.lon))
        .bind(c.location.map(|p| p.lat))
        .bind(&c.address)
        .bind(&c.district)
        .bind(c.outside_city as i64)
        .bind(c.contact.as_ref().map(Contact::kind))
        .bind(c.contact.as_ref().map(|v| v.value().to_owned()))
        .bind(created)
        .bind(&evidence)
        .bind(
            c.suspect
                .as_ref()
                .and_then(Suspect::code)
                .map(CreditCode::as_str),
        )
        .bind(c.suspect.as_ref().map(Suspect::name))
        .fetch_one(&mut *tx)
        .await?;
        // The first record of its history, at the head of the audit chain.
        backoffice::append(
            &mut tx,
            &backoffice::Draft {
                complaint_id: id,
                tracking_code: c.tracking_code.as_str(),
                time: created,
                kind: "status",
                status: Some("received"),
                body: "",
                actor: "",
            },
        )
        .await?;
        photos::insert(&mut tx, id, photos).await?;
        let row = sqlx::query(&format!(
            "SELECT {COMPLAINT_COLUMNS} FROM complaints WHERE id = ?"
        ))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let stored = complaint_from_row(&row)?;
        tx.commit().await?;
        Ok(Submitted::Created(stored))
    }

    async fn complaint_by_follow_hash(&self, hash: &TokenHash) -> Result<Option<Complaint>> {
        self.complaint_where("follow_hash", Key::Blob(hash.as_bytes().to_vec()))
            .await
    }

    async fn complaint_by_code(&self, code: &TrackingCode) -> Result<Option<Complaint>> {
        self.complaint_where("tracking_code", Key::Text(code.to_string()))
            .await
    }

    async fn complaints(&self, limit: u32, offset: u32) -> Result<Vec<Complaint>> {
        sqlx::query(&format!(
            "SELECT {COMPLAINT_COLUMNS} FROM complaints ORDER BY created DESC, id DESC \
             LIMIT ? OFFSET ?"
        ))
        .bind(i64::from(limit))
        .bind(i64::from(offset))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(complaint_from_row)
        .collect()
    }

    async fn complaint_count(&self) -> Result<u64> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM complaints")
            .fetch_one(&self.pool)
            .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    async fn complaint_timelines(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<daylight_domain::complaint::stats::Timeline>> {
        stats::complaint_timelines(&self.pool, from, to).await
    }

    async fn complaint_events(&self, complaint_id: i64) -> Result<Vec<ComplaintEvent>> {
        sqlx::query(
            "SELECT id, complaint_id, time, kind, status, body, actor FROM complaint_events \
             WHERE complaint_id = ? ORDER BY id",
        )
        .bind(complaint_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(event_from_row)
        .collect()
    }

    async fn complaint_photos(&self, complaint_id: i64) -> Result<Vec<crate::PhotoInfo>> {
        self.ph_list(complaint_id).await
    }

    async fn publishable_photos(&self, complaint_ids: &[i64]) -> Result<Vec<crate::PhotoInfo>> {
        self.ph_publishable(complaint_ids).await
    }

    async fn complaint_photo(
        &self,
        complaint_id: i64,
        number: u32,
        copy: crate::PhotoCopy,
    ) -> Result<Option<(crate::PhotoInfo, Vec<u8>)>> {
        self.ph_bytes(complaint_id, number, copy).await
    }

    async fn set_photo_publishable(
        &self,
        complaint_id: i64,
        number: u32,
        publishable: bool,
        actor: &str,
        time: DateTime<Utc>,
    ) -> Result<Option<crate::PhotoInfo>> {
        self.ph_set_publishable(complaint_id, number, publishable, actor, time)
            .await
    }

    async fn add_admin(
        &self,
        username: &str,
        role: &Role,
        password_hash: &str,
        created: DateTime<Utc>,
    ) -> Result<bool> {
        self.bo_add_admin(username, role, password_hash, created)
            .await
    }

    async fn admins(&self) -> Result<Vec<Admin>> {
        self.bo_admins().await
    }

    async fn remove_admin(&self, username: &str) -> Result<bool> {
        self.bo_remove_admin(username).await
    }

    async fn admin_credentials(&self, username: &str) -> Result<Option<(Admin, String)>> {
        self.bo_admin_credentials(username).await
    }

    async fn create_admin_session(
        &self,
        id_hash: &TokenHash,
        admin_id: i64,
        csrf: &str,
        expires: DateTime<Utc>,
    ) -> Result<()> {
        self.bo_create_session(id_hash, admin_id, csrf, expires)
            .await
    }

    async fn admin_session(
        &self,
        id_hash: &TokenHash,
        now: DateTime<Utc>,
    ) -> Result<Option<AdminSession>> {
        self.bo_session(id_hash, now).await
    }

    async fn end_admin_session(&self, id_hash: &TokenHash) -> Result<()> {
        self.bo_end_session(id_hash).await
    }

    async fn complaint_queue(
        &self,
        filter: &crate::QueueFilter,
        limit: u32,
    ) -> Result<Vec<crate::QueueItem>> {
        self.hd_queue(filter, limit).await
    }

    async fn act_on_complaint(&self, action: &ComplaintAction) -> Result<Option<ComplaintEvent>> {
        self.bo_act(action).await
    }

    async fn verify_audit_chain(&self) -> Result<AuditReport> {
        self.bo_verify().await
    }

    async fn complaint_handling(
        &self,
        complaint_ids: &[i64],
    ) -> Result<Vec<(i64, crate::Handling)>> {
        self.hd_handling(complaint_ids).await
    }

    async fn assign_complaint(
        &self,
        assignment: &crate::Assignment,
    ) -> Result<crate::AssignOutcome> {
        self.hd_assign(assignment).await
    }

    async fn record_finding(&self, finding: &crate::Finding) -> Result<crate::FindingOutcome> {
        self.hd_finding(finding).await
    }

    async fn complaints_found_against(
        &self,
        enterprise: &CreditCode,
        limit: u32,
    ) -> Result<Vec<crate::FoundComplaint>> {
        self.hd_found_against(enterprise, limit).await
    }

    async fn complaints_after(&self, after: i64, limit: u32) -> Result<Vec<crate::QueueItem>> {
        self.hd_after(after, limit).await
    }

    async fn last_complaint_id(&self) -> Result<i64> {
        self.hd_last_id().await
    }

    async fn upsert_enterprises(&self, enterprises: &[crate::Enterprise]) -> Result<ImportCounts> {
        self.upsert_enterprises_impl(enterprises).await
    }

    async fn enterprises(&self) -> Result<Vec<crate::Enterprise>> {
        self.enterprises_impl().await
    }

    async fn enterprise(
        &self,
        code: &daylight_domain::enterprise::CreditCode,
    ) -> Result<Option<crate::Enterprise>> {
        self.enterprise_impl(code).await
    }

    async fn upsert_outlets(&self, outlets: &[crate::Outlet]) -> Result<ImportCounts> {
        self.upsert_outlets_impl(outlets).await
    }

    async fn outlets(
        &self,
        enterprise: Option<&daylight_domain::enterprise::CreditCode>,
    ) -> Result<Vec<crate::Outlet>> {
        self.outlets_impl(enterprise).await
    }

    async fn upsert_outlet_limits(&self, limits: &[crate::OutletLimit]) -> Result<ImportCounts> {
        self.upsert_outlet_limits_impl(limits).await
    }

    async fn outlet_limits(
        &self,
        enterprise: Option<&daylight_domain::enterprise::CreditCode>,
    ) -> Result<Vec<crate::OutletLimit>> {
        self.outlet_limits_impl(enterprise).await
    }

    async fn upsert_outlet_readings(
        &self,
        readings: &[crate::OutletReading],
    ) -> Result<ImportCounts> {
        self.upsert_outlet_readings_impl(readings).await
    }

    async fn outlet_readings(
        &self,
        enterprise: &daylight_domain::enterprise::CreditCode,
        range: TimeRange,
    ) -> Result<Vec<crate::OutletReading>> {
        self.outlet_readings_impl(enterprise, range).await
    }

    async fn latest_outlet_readings(&self) -> Result<Vec<crate::OutletReading>> {
        self.latest_outlet_readings_impl().await
    }

    async fn outlet_values_over_limit(
        &self,
        enterprise: &daylight_domain::enterprise::CreditCode,
        range: TimeRange,
    ) -> Result<Vec<crate::OutletSeries>> {
        self.outlet_values_over_limit_impl(enterprise, range).await
    }

    async fn outlet_recent(
        &self,
        enterprise: &daylight_domain::enterprise::CreditCode,
        range: TimeRange,
    ) -> Result<Vec<crate::OutletSeries>> {
        self.outlet_recent_impl(enterprise, range).await
    }

    async fn outlet_months(
        &self,
        enterprise: &daylight_domain::enterprise::CreditCode,
        from_day: i64,
        to_day: i64,
    ) -> Result<Vec<crate::OutletMonth>> {
        self.outlet_months_impl(enterprise, from_day, to_day).await
    }

    async fn outlet_days_over_daily_limit(
        &self,
        enterprise: &daylight_domain::enterprise::CreditCode,
        from_day: i64,
        to_day: i64,
        min_values: u32,
    ) -> Result<Vec<crate::OutletDay>> {
        self.outlet_days_over_daily_limit_impl(enterprise, from_day, to_day, min_values)
            .await
    }

    async fn set_outlet_day_offset(&self, seconds: i32) -> Result<bool> {
        self.set_outlet_day_offset_impl(seconds).await
    }

    async fn add_open311_key(
        &self,
        name: &SourceName,
        hash: &TokenHash,
        created: DateTime<Utc>,
    ) -> Result<bool> {
        self.o311_add_key(name, hash, created).await
    }

    async fn open311_key_by_hash(&self, hash: &TokenHash) -> Result<Option<crate::Open311Key>> {
        self.o311_key_by_hash(hash).await
    }

    async fn open311_keys(&self) -> Result<Vec<crate::Open311Key>> {
        self.o311_keys().await
    }

    async fn remove_open311_key(&self, name: &SourceName) -> Result<bool> {
        self.o311_remove_key(name).await
    }

    async fn open311_requests(
        &self,
        selection: &crate::RequestSelection,
    ) -> Result<Vec<crate::RequestRecord>> {
        self.o311_requests(selection).await
    }

    async fn add_enterprise_user(
        &self,
        username: &str,
        enterprise: &CreditCode,
        display_name: &str,
        password_hash: &str,
        created: DateTime<Utc>,
    ) -> Result<bool> {
        self.ea_add_user(username, enterprise, display_name, password_hash, created)
            .await
    }

    async fn enterprise_users(&self) -> Result<Vec<crate::EnterpriseUser>> {
        self.ea_users().await
    }

    async fn remove_enterprise_user(&self, username: &str) -> Result<bool> {
        self.ea_remove_user(username).await
    }

    async fn enterprise_user_credentials(
        &self,
        username: &str,
    ) -> Result<Option<(crate::EnterpriseUser, String)>> {
        self.ea_credentials(username).await
    }

    async fn create_enterprise_session(
        &self,
        id_hash: &TokenHash,
        user: &crate::EnterpriseUser,
        csrf: &str,
        expires: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.ea_create_session(id_hash, user, csrf, expires, now)
            .await
    }

    async fn enterprise_session(
        &self,
        id_hash: &TokenHash,
        now: DateTime<Utc>,
    ) -> Result<Option<crate::EnterpriseSession>> {
        self.ea_session(id_hash, now).await
    }

    async fn end_enterprise_session(&self, id_hash: &TokenHash) -> Result<()> {
        self.ea_end_session(id_hash).await
    }

    async fn record_manual_results(
        &self,
        user: &crate::EnterpriseUser,
        results: &[crate::NewManualResult],
        now: DateTime<Utc>,
    ) -> Result<Vec<crate::AuditRecord>> {
        self.ea_record_manual_results(user, results, now).await
    }

    async fn manual_results(
        &self,
        enterprise: &CreditCode,
        since: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<crate::ManualResult>> {
        self.ea_manual_results(enterprise, since, limit).await
    }

    async fn publish_statement(
        &self,
        user: &crate::EnterpriseUser,
        statement: &crate::NewStatement,
        now: DateTime<Utc>,
    ) -> Result<crate::Statement> {
        self.ea_publish_statement(user, statement, now).await
    }

    async fn statements(&self, enterprise: &CreditCode) -> Result<Vec<crate::Statement>> {
        self.ea_statements(enterprise).await
    }

    async fn enterprise_audit(
        &self,
        enterprise: &CreditCode,
        limit: u32,
    ) -> Result<Vec<crate::AuditRecord>> {
        self.ea_audit(enterprise, limit).await
    }

    async fn verify_enterprise_audit_chain(&self) -> Result<crate::EnterpriseAuditReport> {
        self.ea_verify_chain().await
    }

    async fn create_snapshot(&self, snapshot: &crate::Snapshot) -> Result<bool> {
        self.snap_create(snapshot).await
    }

    async fn snapshot(&self, id: &crate::SnapshotId) -> Result<Option<crate::Snapshot>> {
        self.snap_get(id).await
    }

    async fn is_empty(&self) -> Result<bool> {
        let any: Option<i64> = sqlx::query_scalar(
            "SELECT 1 WHERE EXISTS (SELECT 1 FROM stations) OR EXISTS (SELECT 1 FROM districts)",
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(any.is_none())
    }
}
