//! The SQLite implementation: one file in the data directory, WAL mode, migrations on open.

use std::collections::BTreeSet;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use daylight_domain::geo::{LonLat, MultiPolygon};
use daylight_domain::parameter::Parameter;
use daylight_domain::station::{DataFlag, DataSource, StationCode, StationKind};
use daylight_domain::units::Unit;
use daylight_domain::water::WaterBody;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Row, SqlitePool};

use crate::{
    District, ImportCounts, IngestToken, Logger, Reading, Result, SourceName, Station,
    StationScope, Store, StoreError, TimeRange, TokenHash,
};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// How write transactions begin. A deferred transaction that reads first and writes later
/// fails at once with SQLITE_BUSY (the busy timeout does not apply) when another connection
/// or process, such as the CLI beside a running server, committed in between; taking the
/// write lock up front makes it wait its turn instead.
const WRITE: &str = "BEGIN IMMEDIATE";

/// Daylight on an SQLite file.
#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Self> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(Self { pool })
    }

    /// Inserts new values and replaces changed ones (as `destination` allows), in one
    /// transaction; every value's station must exist, or nothing is written.
    async fn write_values(
        &self,
        values: &[Reading],
        destination: Destination,
    ) -> Result<ImportCounts> {
        let table = match destination {
            Destination::Reported | Destination::Derived => "readings",
            Destination::Samples => "samples",
        };
        let insert = match destination {
            Destination::Samples => format!(
                "INSERT OR IGNORE INTO samples ({READING_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            ),
            Destination::Reported | Destination::Derived => format!(
                "INSERT OR IGNORE INTO readings ({READING_COLUMNS}, derived) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, {})",
                i64::from(destination == Destination::Derived)
            ),
        };
        // What a write may replace, and what it marks the row as.
        let (replaceable, mark) = match destination {
            Destination::Reported => ("", ", derived = 0"),
            Destination::Derived => (" AND derived = 1", ""),
            Destination::Samples => ("", ""),
        };
        let update = format!(
            "UPDATE {table} SET value = ?4, unit = ?5, flag = ?6, source = ?7, provenance = ?8{mark} \
             WHERE station_code = ?1 AND parameter = ?2 AND time = ?3{replaceable} \
             AND (value IS NOT ?4 OR unit IS NOT ?5 OR flag IS NOT ?6 OR source IS NOT ?7 \
             OR provenance IS NOT ?8{changed_mark})",
            changed_mark = if mark.is_empty() { "" } else { " OR derived <> 0" },
        );
        let mut tx = self.pool.begin_with(WRITE).await?;
        let mut counts = ImportCounts::default();
        let mut known = std::collections::HashSet::new();
        for r in values {
            if !known.contains(&r.station) {
                let exists: Option<i64> =
                    sqlx::query_scalar("SELECT 1 FROM stations WHERE code = ?")
                        .bind(r.station.as_str())
                        .fetch_optional(&mut *tx)
                        .await?;
                if exists.is_none() {
                    return Err(StoreError::UnknownStation(r.station.to_string()));
                }
                known.insert(r.station.clone());
            }
            let flag = r.flag.code().to_string();
            let inserted = sqlx::query(&insert)
                .bind(r.station.as_str())
                .bind(r.parameter.code())
                .bind(to_unix(r.time))
                .bind(r.value)
                .bind(r.unit.ascii())
                .bind(&flag)
                .bind(r.source.as_str())
                .bind(&r.provenance)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if inserted == 1 {
                counts.inserted += 1;
                continue;
            }
            let updated = sqlx::query(&update)
                .bind(r.station.as_str())
                .bind(r.parameter.code())
                .bind(to_unix(r.time))
                .bind(r.value)
                .bind(r.unit.ascii())
                .bind(&flag)
                .bind(r.source.as_str())
                .bind(&r.provenance)
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
    let code: String = row.try_get("station_code")?;
    Ok(Logger {
        mn: row.try_get("mn")?,
        password: row.try_get("password")?,
        station: StationCode::parse(&code).map_err(|_| corrupt("station code", &code))?,
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
        let mut tx = self.pool.begin_with(WRITE).await?;
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

    async fn upsert_readings(&self, readings: &[Reading]) -> Result<ImportCounts> {
        self.write_values(readings, Destination::Reported).await
    }

    async fn upsert_derived_readings(&self, readings: &[Reading]) -> Result<ImportCounts> {
        self.write_values(readings, Destination::Derived).await
    }

    async fn upsert_samples(&self, samples: &[Reading]) -> Result<ImportCounts> {
        self.write_values(samples, Destination::Samples).await
    }

    async fn samples(
        &self,
        code: &StationCode,
        range: TimeRange,
        parameter: Option<Parameter>,
    ) -> Result<Vec<Reading>> {
        let sql = format!(
            "SELECT {READING_COLUMNS} FROM samples WHERE station_code = ?1 AND time >= ?2 \
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

    async fn readings(
        &self,
        code: &StationCode,
        range: TimeRange,
        parameter: Option<Parameter>,
    ) -> Result<Vec<Reading>> {
        let sql = format!(
            "SELECT {READING_COLUMNS} FROM readings WHERE station_code = ?1 AND time >= ?2 \
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
        let mut tx = self.pool.begin_with(WRITE).await?;
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
        let mut tx = self.pool.begin_with(WRITE).await?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM stations WHERE code = ?")
            .bind(logger.station.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Err(StoreError::UnknownStation(logger.station.to_string()));
        }
        sqlx::query(
            "INSERT INTO loggers (mn, password, station_code, lenient, created, source) \
             VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (mn) DO UPDATE SET \
             password = excluded.password, station_code = excluded.station_code, \
             lenient = excluded.lenient, source = excluded.source",
        )
        .bind(&logger.mn)
        .bind(&logger.password)
        .bind(logger.station.as_str())
        .bind(logger.lenient as i64)
        .bind(to_unix(Utc::now()))
        .bind(logger.source.as_str())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn logger(&self, mn: &str) -> Result<Option<Logger>> {
        sqlx::query("SELECT mn, password, station_code, lenient, source FROM loggers WHERE mn = ?")
            .bind(mn)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(logger_from_row)
            .transpose()
    }

    async fn loggers(&self) -> Result<Vec<Logger>> {
        sqlx::query("SELECT mn, password, station_code, lenient, source FROM loggers ORDER BY mn")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(logger_from_row)
            .collect()
    }

    async fn remove_logger(&self, mn: &str) -> Result<bool> {
        let removed = sqlx::query("DELETE FROM loggers WHERE mn = ?")
            .bind(mn)
            .execute(&self.pool)
            .await?
            .rows_affected();
        Ok(removed > 0)
    }

    async fn add_ingest_token(&self, token: &IngestToken, hash: &TokenHash) -> Result<()> {
        let mut tx = self.pool.begin_with(WRITE).await?;
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
            .execute(&self.pool)
            .await?
            .rows_affected();
        Ok(removed > 0)
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
